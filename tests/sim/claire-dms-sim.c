/* claire-dms-sim.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>

#include "cw-sim-server.h"

/*
 * The DMS simulator as a program, for the demo (build-aux/run) and for trying the app by
 * hand: it serves the Autoflex, 2Drive, Incadea and Wincar APIs and the PON API (OCW) on 127.0.0.1 from a generated dataset
 * dated around today, until it gets SIGINT or SIGTERM. Wincar's changes are numbered from
 * the clock, so that an app that remembers the last change of an earlier run sees a gap
 * (and fetches what it holds again) rather than numbers that went backwards. Faults can be injected with
 * `curl -X POST 'http://127.0.0.1:PORT/_sim/fault?path=/autoflex&kind=server-error&count=3'`,
 * and a change made in Wincar (sent to the app on its change stream) with
 * `curl -X POST 'http://127.0.0.1:PORT/_sim/wincar/change?number=90182&notes=Leenauto'`.
 */

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

/* SIGUSR1 takes the DMS down (nothing listens on its port), SIGUSR2 brings it back on the
 * same port, with its workorders and its writeback ledger as they were: the demo of an
 * outbox that waits and then drains by itself. */
typedef struct
{
  CwSimServer *server;
  guint        port;
} Switch;

static gboolean
on_down (gpointer user_data)
{
  Switch *power = user_data;

  cw_sim_server_disconnect (power->server);
  fprintf (stderr, "claire-dms-sim: down (SIGUSR2 brings it back)\n");

  return G_SOURCE_CONTINUE;
}

static gboolean
on_up (gpointer user_data)
{
  Switch *power = user_data;
  g_autoptr(GError) error = NULL;

  if (cw_sim_server_get_port (power->server) != 0)
    return G_SOURCE_CONTINUE;

  if (!cw_sim_server_listen (power->server, power->port, &error))
    fprintf (stderr, "claire-dms-sim: cannot listen on port %u again: %s\n", power->port, error->message);
  else
    fprintf (stderr, "claire-dms-sim: up again on port %u\n", power->port);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(CwSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  int port = 0;
  int seed = 2026;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "The port on 127.0.0.1 (0: any free port)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, "The seed of the generated workorders", "N" },
    { NULL }
  };

  context = g_option_context_new ("- simulate the Autoflex, 2Drive, Incadea and Wincar APIs and the PON API");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || port < 0 || port > 65535)
    {
      fprintf (stderr, "claire-dms-sim: %s\n", error ? error->message : "the port must be 0 to 65535");
      return 2;
    }

  server = cw_sim_server_new ((guint32) seed, NULL);
  cw_sim_wincar_set_first_seq (server, g_get_real_time () / 1000);
  if (!cw_sim_server_listen (server, (guint) port, &error))
    {
      fprintf (stderr, "claire-dms-sim: cannot listen on port %d: %s\n", port, error->message);
      return 1;
    }

  /* One line per service, so scripts can read what they need. */
  {
    g_autofree char *autoflex = cw_sim_server_dup_url (server, CW_SIM_AUTOFLEX_BOOTSTRAP);
    g_autofree char *twodrive = cw_sim_server_dup_url (server, CW_SIM_2DRIVE_API);
    g_autofree char *token = cw_sim_server_dup_url (server, CW_SIM_2DRIVE_TOKEN);
    g_autofree char *incadea = cw_sim_server_dup_url (server, CW_SIM_INCADEA_API);
    g_autofree char *wincar = cw_sim_server_dup_url (server, CW_SIM_WINCAR_API);
    g_autofree char *pon = cw_sim_server_dup_url (server, CW_SIM_PON_API);

    printf ("port %u\n", cw_sim_server_get_port (server));
    printf ("autoflex endpoint=%s api_key=%s username=%s password=%s\n",
            autoflex, CW_SIM_AUTOFLEX_API_KEY, CW_SIM_AUTOFLEX_USERNAME, CW_SIM_AUTOFLEX_PASSWORD);
    printf ("2drive endpoint=%s token-url=%s audience=%s affiliate-id=%s client_id=%s client_secret=%s\n",
            twodrive, token, CW_SIM_2DRIVE_AUDIENCE, CW_SIM_2DRIVE_AFFILIATE,
            CW_SIM_2DRIVE_CLIENT_ID, CW_SIM_2DRIVE_SECRET);
    printf ("incadea endpoint=%s username=%s password=%s\n",
            incadea, CW_SIM_INCADEA_USERNAME, CW_SIM_INCADEA_PASSWORD);
    printf ("wincar endpoint=%s username=%s password=%s\n",
            wincar, CW_SIM_WINCAR_USERNAME, CW_SIM_WINCAR_PASSWORD);
    printf ("pon endpoint=%s username=%s password=%s\n",
            pon, CW_SIM_PON_USERNAME, CW_SIM_PON_PASSWORD);
    fflush (stdout);
  }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  {
    static Switch power;

    power.server = server;
    power.port = cw_sim_server_get_port (server);
    g_unix_signal_add (SIGUSR1, on_down, &power);
    g_unix_signal_add (SIGUSR2, on_up, &power);
  }
  g_main_loop_run (loop);

  return 0;
}
