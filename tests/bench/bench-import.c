/* bench-import.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "cw-import-scheduler.h"
#include "cw-import-service.h"
#include "cw-sim-server.h"

/*
 * The import budget (DESIGN §9): 10 000 Autoflex orders parsed, mapped and stored in under
 * 1 s, with the main loop never blocked longer than 16 ms meanwhile.
 *
 *   bench-import [--orders N] [--runs N]
 *
 * What is measured is what the app does: a run of the keep-importing scheduler, which asks
 * Autoflex for the window (yesterday to 7 days ahead) a day at a time over HTTP on
 * loopback, in pages of 100, parses and maps each page on a worker thread and stores each
 * day on the store's worker thread while it asks for the next. The N orders are spread
 * over the window's nine days. A 1 ms timer on the main loop measures its longest stall.
 *
 * 1. Once against the live simulator, recording its answers byte for byte. The simulator
 *    runs in a thread of its own (so its work is no main-loop stall), but on the same two
 *    cores, rendering pages as a real DMS would on its own machine: for information.
 * 2. The budget: into an empty store (all new), then again (all unchanged, what every poll
 *    on a quiet day finds), with the simulator replaying its recorded answers, so that the
 *    time is the app's own.
 */

#define CONNECTION_ID "bench-autoflex"
#define STALL_BUDGET_MS 16.0
#define TIME_BUDGET_MS 1000.0
#define WINDOW_DAYS (CW_IMPORT_WINDOW_DAYS_BEFORE + 1 + CW_IMPORT_WINDOW_DAYS_AFTER)

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

/*
 * The simulator, in a thread of its own.
 */

typedef struct
{
  GMutex        lock;
  GCond         ready;
  guint         n_orders;
  CwSimServer  *server;
  guint         port;
  guint         n_total;
  GMainContext *context;
  GMainLoop    *loop;
} Simulator;

static gpointer
simulator_thread (gpointer user_data)
{
  Simulator *sim = user_data;
  g_autoptr(CwSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  CwSimDataset *dataset;

  g_main_context_push_thread_default (sim->context);

  server = cw_sim_server_new (2026, NULL);
  dataset = cw_sim_server_get_dataset (server);
  for (guint i = 0; i < WINDOW_DAYS; i++)
    {
      GDate day = *cw_sim_dataset_get_today (dataset);
      guint share = sim->n_orders / WINDOW_DAYS + (i < sim->n_orders % WINDOW_DAYS ? 1 : 0);

      g_date_subtract_days (&day, CW_IMPORT_WINDOW_DAYS_BEFORE);
      g_date_add_days (&day, i);
      cw_sim_dataset_add_bulk (dataset, CW_SIM_DMS_AUTOFLEX, share, &day);
    }
  if (!cw_sim_server_listen (server, 0, &error))
    g_error ("The simulator cannot listen: %s", error->message);

  g_mutex_lock (&sim->lock);
  sim->server = server;
  sim->port = cw_sim_server_get_port (server);
  sim->n_total = cw_sim_dataset_get_n_orders (dataset);
  g_cond_signal (&sim->ready);
  g_mutex_unlock (&sim->lock);

  g_main_loop_run (sim->loop);

  g_main_context_pop_thread_default (sim->context);

  return NULL;
}

/*
 * The main loop's stalls: a 1 ms timer, and the longest gap between two of its ticks.
 */

typedef struct
{
  guint  source;
  gint64 last_tick;
  gint64 max_gap;
} StallMeter;

static gboolean
on_tick (gpointer user_data)
{
  StallMeter *meter = user_data;
  gint64 now = now_us ();

  meter->max_gap = MAX (meter->max_gap, now - meter->last_tick);
  meter->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
stall_meter_start (StallMeter *meter)
{
  meter->last_tick = now_us ();
  meter->max_gap = 0;
  meter->source = g_timeout_add (1, on_tick, meter);
}

/* Returns the longest stall in ms: the timer is due every millisecond, the rest of a gap
 * is time the loop was busy. */
static double
stall_meter_stop (StallMeter *meter)
{
  on_tick (meter);
  g_clear_handle_id (&meter->source, g_source_remove);

  return MAX (0.0, meter->max_gap / 1000.0 - 1.0);
}

/*
 * Waiting for one asynchronous step.
 */

typedef struct
{
  gboolean done;
  GError  *error;
} Step;

static void
wait_step (Step       *step,
           const char *what)
{
  while (!step->done)
    g_main_context_iteration (NULL, TRUE);
  if (step->error != NULL)
    g_error ("%s failed: %s", what, step->error->message);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Step *step = user_data;

  cw_connection_store_credentials_finish (CW_CONNECTION (source), result, &step->error);
  step->done = TRUE;
}

/*
 * One run of the keep-importing scheduler.
 */

typedef struct
{
  gboolean finished;
  GError  *error;
} Run;

static void
on_run_finished (CwImportScheduler *scheduler,
                 const char        *connection_id,
                 const GError      *error,
                 Run               *run)
{
  run->finished = TRUE;
  if (error != NULL)
    run->error = g_error_copy (error);
}

static gboolean
scheduler_run (CwImportScheduler *scheduler,
               CwStore           *store,
               const char        *what,
               gboolean           budget)
{
  Run run = { 0 };
  StallMeter meter = { 0 };
  gulong handler;
  gint64 start;
  double elapsed_ms, stall_ms;
  gboolean met;

  handler = g_signal_connect (scheduler, "run-finished", G_CALLBACK (on_run_finished), &run);
  stall_meter_start (&meter);
  start = now_us ();

  if (!cw_import_scheduler_is_started (scheduler))
    cw_import_scheduler_start (scheduler);
  else if (!cw_import_scheduler_run_now (scheduler, CONNECTION_ID))
    g_error ("The scheduler did not start a run");

  while (!run.finished)
    g_main_context_iteration (NULL, TRUE);

  elapsed_ms = (now_us () - start) / 1000.0;
  stall_ms = stall_meter_stop (&meter);
  g_signal_handler_disconnect (scheduler, handler);

  if (run.error != NULL)
    g_error ("The import failed: %s", run.error->message);

  met = elapsed_ms < TIME_BUDGET_MS && stall_ms < STALL_BUDGET_MS;
  g_print ("%-28s %5" G_GINT64_FORMAT " workorders stored: %5.0f ms, longest main-loop stall %4.1f ms%s\n",
           what, cw_store_count_workorders (store, NULL), elapsed_ms, stall_ms,
           !budget ? "" : met ? "  [within budget]" : "  [OVER BUDGET]");

  return met;
}

static void
connector_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Step *step = user_data;
  g_autoptr(CwConnector) connector = NULL;

  connector = cw_import_service_get_connector_finish (CW_IMPORT_SERVICE (source), result, &step->error);
  step->done = TRUE;
}

/* A service and a scheduler on @store, for one or more runs. The service logs in first:
 * reading the credentials (the libsecret file backend derives its key on each read) and
 * logging in to Autoflex are no part of the budget, and happen once per app start. */
static CwImportScheduler *
scheduler_new (CwStore    *store,
               GListModel *connections)
{
  g_autoptr(CwImportService) service = cw_import_service_new (store, connections);
  Step step = { 0 };

  cw_import_service_get_connector_async (service, cw_import_service_find_connection (service, CONNECTION_ID),
                                         NULL, connector_cb, &step);
  wait_step (&step, "Logging in");

  return cw_import_scheduler_new (service, g_network_monitor_get_default ());
}

static CwStore *
open_store (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  CwStore *store = cw_store_open (path, &error);

  if (store == NULL)
    g_error ("The store cannot open: %s", error->message);

  return store;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("cw-bench-import-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (dir, "bench.keyring", NULL);
  g_autofree char *endpoint = NULL;
  g_autoptr(GHashTable) credentials = NULL;
  g_autoptr(CwConnection) connection = NULL;
  g_autoptr(GListStore) connections = NULL;
  g_autoptr(GHashTable) answers = NULL;
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GError) error = NULL;
  Simulator sim = { 0 };
  Step step = { 0 };
  GThread *thread;
  gboolean within_budget = TRUE;
  int n_orders = 10000;
  int n_runs = 3;
  const GOptionEntry entries[] = {
    { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, "Orders added to the simulator, over the window", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Times each measurement is made", "N" },
    { NULL }
  };

  options = g_option_context_new ("- measure the import of Autoflex orders");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (n_orders < 0 || n_runs < 1)
    {
      g_printerr ("--orders must be 0 or more and --runs 1 or more\n");
      return EXIT_FAILURE;
    }

  /* The same file backend as inside the Flatpak, without a D-Bus service. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "bench", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* GIO's plain monitor takes the network as up, whatever the machine's routes. */
  g_setenv ("GIO_USE_NETWORK_MONITOR", "base", TRUE);

  g_mutex_init (&sim.lock);
  g_cond_init (&sim.ready);
  sim.n_orders = (guint) n_orders;
  sim.context = g_main_context_new ();
  sim.loop = g_main_loop_new (sim.context, FALSE);
  thread = g_thread_new ("simulator", simulator_thread, &sim);
  g_mutex_lock (&sim.lock);
  while (sim.server == NULL)
    g_cond_wait (&sim.ready, &sim.lock);
  g_mutex_unlock (&sim.lock);

  /* One Autoflex connection with its credentials. */
  connection = cw_connection_new (CONNECTION_ID, "autoflex");
  endpoint = g_strdup_printf ("http://127.0.0.1:%u%s", sim.port, CW_SIM_AUTOFLEX_BOOTSTRAP);
  g_object_set (connection, "endpoint", endpoint, "name", "Autoflex (bench)", NULL);
  credentials = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (credentials, (gpointer) "api_key", (gpointer) CW_SIM_AUTOFLEX_API_KEY);
  g_hash_table_insert (credentials, (gpointer) "username", (gpointer) CW_SIM_AUTOFLEX_USERNAME);
  g_hash_table_insert (credentials, (gpointer) "password", (gpointer) CW_SIM_AUTOFLEX_PASSWORD);
  cw_connection_store_credentials_async (connection, credentials, NULL, stored_cb, &step);
  wait_step (&step, "Storing the credentials");

  connections = g_list_store_new (CW_TYPE_CONNECTION);
  g_list_store_append (connections, connection);

  g_print ("bench-import: %u orders in the simulator (%d spread over the %d days of the window); "
           "%d runs each\n", sim.n_total, n_orders, WINDOW_DAYS, n_runs);

  /* 1. Live. */
  {
    g_autoptr(CwStore) store = open_store (dir, "live.db");
    g_autoptr(CwImportScheduler) scheduler = scheduler_new (store, G_LIST_MODEL (connections));

    cw_sim_server_record (sim.server, CW_SIM_AUTOFLEX_API "/order");
    scheduler_run (scheduler, store, "live simulator, all new", FALSE);
    cw_sim_server_record (sim.server, NULL);
    answers = cw_sim_server_take_recorded (sim.server);
    cw_import_scheduler_stop (scheduler);
  }

  /* 2. The budget. */
  cw_sim_server_replay (sim.server, answers);
  for (int i = 0; i < n_runs; i++)
    {
      g_autofree char *name = g_strdup_printf ("budget-%d.db", i);
      g_autoptr(CwStore) store = open_store (dir, name);
      g_autoptr(CwImportScheduler) scheduler = scheduler_new (store, G_LIST_MODEL (connections));

      within_budget &= scheduler_run (scheduler, store, "replayed, all new", TRUE);
      within_budget &= scheduler_run (scheduler, store, "replayed, all unchanged", TRUE);
      cw_import_scheduler_stop (scheduler);
    }
  cw_sim_server_replay (sim.server, NULL);

  g_print ("budget: parse, map and store in under %.0f ms with main-loop stalls under %.0f ms: %s\n",
           TIME_BUDGET_MS, STALL_BUDGET_MS, within_budget ? "met" : "NOT MET");

  g_main_loop_quit (sim.loop);
  g_thread_join (thread);
  g_main_loop_unref (sim.loop);
  g_main_context_unref (sim.context);
  g_mutex_clear (&sim.lock);
  g_cond_clear (&sim.ready);
  remove_tree (dir);

  return within_budget ? EXIT_SUCCESS : EXIT_FAILURE;
}
