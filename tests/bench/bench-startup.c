/* bench-startup.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "cw-store.h"
#include "cw-test-fixtures.h"

/*
 * The start-up budget (issue 4): from spawning claire-workshop to the first frame of its
 * main window with today's list, over a store of 100 000 workorders, within 1.3 × the same
 * time for an empty libadwaita window (floor-window, the floor); and the app's resident
 * memory with that store and the list shown under 120 MB (10^6 bytes).
 *
 *   bench-startup [--runs N] [--workorders N] [--db PATH] [--renderer NAME]
 *                 [--env VAR=VALUE…] --schema-dir DIR APP FLOOR
 *
 * Both programs install the start-up probe (src/ui/cw-startup-probe.c), which writes the
 * monotonic time of the first frame, of the first frame with the list's rows and the
 * resident memory once the window has settled, then quits. This driver reads the same clock
 * just before it spawns each, so a time includes exec, dynamic linking, GTK's and
 * libadwaita's start-up, D-Bus registration, the app's own start-up and the first frame.
 *
 * The store is built once next to the benchmark (shared with bench-store: same file name,
 * same fill) and copied into a temporary XDG_DATA_HOME, where the app finds it. The programs
 * then run alternately, after one warm-up run each that is not counted (both then start with
 * their files in the page cache, as on a desk where the app was used before), each in the
 * same isolated environment: temporary XDG directories and HOME, GSettings in memory,
 * libsecret's file backend, a private session bus without activatable services, no
 * accessibility bus, no portal, no DMS connection (so no network), X11 and the same GSK
 * renderer. It needs an X server: run it under Xvfb (docs/benchmarks.md).
 */

#define RATIO_BUDGET     1.3
#define RSS_BUDGET_BYTES (G_GINT64_CONSTANT (120) * 1000 * 1000)
#define RUN_TIMEOUT_S    60

typedef struct
{
  const char *name;
  const char *path;
  gboolean    expects_list;
  GArray     *frame_us;  /* spawn → first frame */
  GArray     *list_us;   /* spawn → first frame with the list's rows */
  GArray     *rss_kb;
  GArray     *frames;
  guint       rows;
  int         width;
  int         height;
} Program;

typedef struct
{
  gint64   first_frame;
  gint64   list_frame;
  guint    rows;
  gint64   rss_kb;
  gint64   frames;
  int      width;
  int      height;
  gboolean timeout;
} ProbeResult;

static void
program_init (Program    *program,
              const char *name,
              const char *path,
              gboolean    expects_list)
{
  program->name = name;
  program->path = path;
  program->expects_list = expects_list;
  program->frame_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  program->list_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  program->rss_kb = g_array_new (FALSE, FALSE, sizeof (gint64));
  program->frames = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
program_clear (Program *program)
{
  g_clear_pointer (&program->frame_us, g_array_unref);
  g_clear_pointer (&program->list_us, g_array_unref);
  g_clear_pointer (&program->rss_kb, g_array_unref);
  g_clear_pointer (&program->frames, g_array_unref);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The nearest-rank percentile of @samples, which this sorts. */
static gint64
percentile (GArray *samples,
            double  fraction)
{
  guint rank;

  g_assert (samples->len > 0);
  g_array_sort (samples, compare_gint64);
  rank = (guint) (fraction * samples->len + 0.999999);

  return g_array_index (samples, gint64, CLAMP (rank, 1, samples->len) - 1);
}

static gboolean
parse_probe (const char   *path,
             ProbeResult  *result,
             GError      **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  *result = (ProbeResult) { 0, 0, 0, -1, 0, 0, 0, FALSE };

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);
      guint n_words = g_strv_length (words);

      if (n_words == 2 && g_str_equal (words[0], "first-frame"))
        result->first_frame = g_ascii_strtoll (words[1], NULL, 10);
      else if (n_words == 3 && g_str_equal (words[0], "list-frame"))
        {
          result->list_frame = g_ascii_strtoll (words[1], NULL, 10);
          result->rows = g_ascii_strtoull (words[2], NULL, 10);
        }
      else if (n_words == 3 && g_str_equal (words[0], "size"))
        {
          result->width = atoi (words[1]);
          result->height = atoi (words[2]);
        }
      else if (n_words == 2 && g_str_equal (words[0], "frames"))
        result->frames = g_ascii_strtoll (words[1], NULL, 10);
      else if (n_words == 2 && g_str_equal (words[0], "rss-kb"))
        result->rss_kb = g_ascii_strtoll (words[1], NULL, 10);
      else if (n_words == 1 && g_str_equal (words[0], "timeout"))
        result->timeout = TRUE;
    }

  if (result->first_frame == 0 || result->rss_kb <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The probe wrote no first frame or no memory: “%s”", contents);
      return FALSE;
    }

  return TRUE;
}

static void
on_wait_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
on_run_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spawns @program once and waits for it; the probe's times are made relative to the spawn. */
static gboolean
run_once (Program      *program,
          char        **environment,
          const char   *probe_path,
          ProbeResult  *result,
          GError      **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  const char *argv[] = { program->path, NULL };
  gboolean done = FALSE, timed_out = FALSE;
  guint timeout_id;
  gint64 spawned;

  if (g_unlink (probe_path) != 0 && errno != ENOENT)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Cannot remove %s: %s", probe_path, g_strerror (errno));
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_environ (launcher, environment);
  g_subprocess_launcher_setenv (launcher, "CLAIRE_WORKSHOP_STARTUP_PROBE", probe_path, TRUE);

  spawned = g_get_monotonic_time ();
  subprocess = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (subprocess == NULL)
    return FALSE;

  g_subprocess_wait_async (subprocess, NULL, on_wait_done_cb, &done);
  timeout_id = g_timeout_add_seconds (RUN_TIMEOUT_S, on_run_timeout_cb, &timed_out);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!done)
    {
      g_subprocess_force_exit (subprocess);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "%s did not quit within %d s", program->name, RUN_TIMEOUT_S);
      return FALSE;
    }
  g_source_remove (timeout_id);

  if (!g_subprocess_get_successful (subprocess))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed (wait status %d)",
                   program->name, g_subprocess_get_status (subprocess));
      return FALSE;
    }

  if (!parse_probe (probe_path, result, error))
    return FALSE;

  if (program->expects_list && result->list_frame == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s never drew its list with rows%s", program->name,
                   result->timeout ? " (the probe timed out)" : "");
      return FALSE;
    }

  result->first_frame -= spawned;
  if (result->list_frame != 0)
    result->list_frame -= spawned;

  return TRUE;
}

static gboolean
run_program (Program     *program,
             char       **environment,
             const char  *probe_path,
             gboolean     record,
             GError     **error)
{
  ProbeResult result;

  if (!run_once (program, environment, probe_path, &result, error))
    return FALSE;

  printf ("  %-16s first frame %7.1f ms", program->name, result.first_frame / 1e3);
  if (result.list_frame != 0)
    printf (", with %u rows %7.1f ms", result.rows, result.list_frame / 1e3);
  printf (", RSS %6.1f MB, %" G_GINT64_FORMAT " frames%s\n", result.rss_kb * 1024 / 1e6,
          result.frames, record ? "" : " (warm-up, not counted)");

  if (record)
    {
      gint64 until_list = result.list_frame != 0 ? result.list_frame : result.first_frame;

      g_array_append_val (program->frame_us, result.first_frame);
      g_array_append_val (program->list_us, until_list);
      g_array_append_val (program->rss_kb, result.rss_kb);
      g_array_append_val (program->frames, result.frames);
      program->rows = result.rows;
      program->width = result.width;
      program->height = result.height;
    }

  return TRUE;
}

/* The store the app opens, from the cached database (built first if need be). */
static void
prepare_store (const char *cache_path,
               int         n_workorders,
               const char *data_home)
{
  g_autoptr(CwStore) store = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *target_path = NULL;
  gint64 count;

  store = cw_store_open (cache_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);

  count = cw_store_count_workorders (store, NULL);
  if (count != n_workorders)
    {
      if (count != 0)
        g_error ("%s holds %" G_GINT64_FORMAT " workorders, not %d: remove it", cache_path, count, n_workorders);
      cw_test_store_fill (store, n_workorders);
    }

  /* Closing the last connection checkpoints the WAL into the main file, the one copied. */
  g_clear_object (&store);

  dir = g_build_filename (data_home, "claire-workshop", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_error ("Cannot create %s: %s", dir, g_strerror (errno));

  target_path = g_build_filename (dir, "workshop.db", NULL);
  source = g_file_new_for_path (cache_path);
  target = g_file_new_for_path (target_path);
  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("Cannot copy the store to %s: %s", target_path, error->message);
}

static char *
make_dir (const char *root,
          const char *name)
{
  char *path = g_build_filename (root, name, NULL);

  if (g_mkdir_with_parents (path, 0700) != 0)
    g_error ("Cannot create %s: %s", path, g_strerror (errno));

  return path;
}

/* The one environment both programs run in; nothing is inherited but what is named here. */
static char **
make_environment (const char *root,
                  const char *display,
                  const char *schema_dir,
                  const char *bus_address,
                  const char *renderer)
{
  const char * const passed[] = { "PATH", "XAUTHORITY", "LANG", "TZ", "XDG_DATA_DIRS", "XDG_CONFIG_DIRS" };
  char **environment = NULL;
  g_autofree char *home = make_dir (root, "home");
  g_autofree char *data = make_dir (root, "data");
  g_autofree char *config = make_dir (root, "config");
  g_autofree char *cache = make_dir (root, "cache");
  g_autofree char *state = make_dir (root, "state");
  g_autofree char *runtime = make_dir (root, "runtime");
  g_autofree char *keyring = g_build_filename (root, "keyring", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (passed); i++)
    if (g_getenv (passed[i]) != NULL)
      environment = g_environ_setenv (environment, passed[i], g_getenv (passed[i]), TRUE);

  environment = g_environ_setenv (environment, "DISPLAY", display, TRUE);
  environment = g_environ_setenv (environment, "HOME", home, TRUE);
  environment = g_environ_setenv (environment, "XDG_DATA_HOME", data, TRUE);
  environment = g_environ_setenv (environment, "XDG_CONFIG_HOME", config, TRUE);
  environment = g_environ_setenv (environment, "XDG_CACHE_HOME", cache, TRUE);
  environment = g_environ_setenv (environment, "XDG_STATE_HOME", state, TRUE);
  environment = g_environ_setenv (environment, "XDG_RUNTIME_DIR", runtime, TRUE);
  environment = g_environ_setenv (environment, "DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);
  environment = g_environ_setenv (environment, "GSETTINGS_BACKEND", "memory", TRUE);
  environment = g_environ_setenv (environment, "GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  environment = g_environ_setenv (environment, "SECRET_BACKEND", "file", TRUE);
  environment = g_environ_setenv (environment, "SECRET_FILE_TEST_PATH", keyring, TRUE);
  environment = g_environ_setenv (environment, "SECRET_FILE_TEST_PASSWORD", "bench", TRUE);
  environment = g_environ_setenv (environment, "GDK_BACKEND", "x11", TRUE);
  if (renderer != NULL)
    environment = g_environ_setenv (environment, "GSK_RENDERER", renderer, TRUE);
  environment = g_environ_setenv (environment, "NO_AT_BRIDGE", "1", TRUE);
  environment = g_environ_setenv (environment, "GTK_A11Y", "none", TRUE);
  environment = g_environ_setenv (environment, "ADW_DISABLE_PORTAL", "1", TRUE);
  environment = g_environ_setenv (environment, "GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  return environment;
}

/* Other work on the machine skews both programs, so the load is part of the figures. */
static void
print_load (void)
{
  g_autofree char *loadavg = NULL;

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    printf ("load average (1, 5, 15 min) before the runs: %.14s\n", loadavg);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }

  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) environment = NULL;
  g_autofree char *cache_path = NULL;
  g_autofree char *schema_dir = NULL;
  g_autofree char *renderer = NULL;
  g_autofree char *root = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *probe_path = NULL;
  g_autofree char *display = NULL;
  g_autofree char *app_path = NULL;
  g_autofree char *floor_path = NULL;
  g_auto(GStrv) extra_env = NULL;
  int n_runs = 10, n_workorders = 100000;
  Program app, floor_program;
  Program *order[2];
  gint64 app_median, floor_median, rss_median;
  double ratio, rss_bytes;
  gboolean failed = FALSE;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "How many measured runs of each program (10)", "N" },
    { "workorders", 0, 0, G_OPTION_ARG_INT, &n_workorders, "How many workorders the store holds (100000)", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &cache_path, "The cached store to copy (bench-store-N.db)", "PATH" },
    { "schema-dir", 0, 0, G_OPTION_ARG_FILENAME, &schema_dir, "The compiled GSettings schemas", "DIR" },
    { "renderer", 0, 0, G_OPTION_ARG_STRING, &renderer, "GSK_RENDERER for both, or “default” (cairo)", "NAME" },
    { "env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &extra_env, "Also set VAR=VALUE for both (repeatable)", "VAR=VALUE" },
    { NULL }
  };

  context = g_option_context_new ("APP FLOOR - start-up benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (argc != 3 || schema_dir == NULL || n_runs < 1 || n_workorders < 50)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      fprintf (stderr, "%s", help);
      return 2;
    }

  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    {
      printf ("bench-startup needs an X server; run it under Xvfb:\n"
              "  xvfb-run -a -s \"-screen 0 1280x1024x24\" meson test -C _build --benchmark bench-startup -v\n");
      return 77;
    }
  display = g_strdup (g_getenv ("DISPLAY"));

  if (renderer == NULL)
    renderer = g_strdup ("cairo");
  else if (g_str_equal (renderer, "default"))
    g_clear_pointer (&renderer, g_free);

  if (cache_path == NULL)
    cache_path = g_strdup_printf ("bench-store-%d.db", n_workorders);

  /* meson names a built target relative to the working directory. */
  app_path = g_canonicalize_filename (argv[1], NULL);
  floor_path = g_canonicalize_filename (argv[2], NULL);
  program_init (&app, "claire-workshop", app_path, TRUE);
  program_init (&floor_program, "floor-window", floor_path, FALSE);

  root = g_dir_make_tmp ("cw-bench-startup-XXXXXX", &error);
  if (root == NULL)
    g_error ("%s", error->message);

  data_home = g_build_filename (root, "data", NULL);
  prepare_store (cache_path, n_workorders, data_home);

  /* A private bus: both register their application on it, as on a desk, but nothing on it
   * can be activated and no other instance of the app can answer in their place. This
   * unsets DISPLAY in this process, which is why it was kept above. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  environment = make_environment (root, display, schema_dir, g_test_dbus_get_bus_address (bus), renderer);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      if (pair[0] == NULL || pair[1] == NULL || *pair[0] == '\0')
        g_error ("--env takes VAR=VALUE, not “%s”", extra_env[i]);
      environment = g_environ_setenv (environment, pair[0], pair[1], TRUE);
    }
  probe_path = g_build_filename (root, "probe.txt", NULL);

  printf ("bench-startup: %d workorders, %d runs each, GSK_RENDERER=%s, GDK_BACKEND=x11",
          n_workorders, n_runs, renderer != NULL ? renderer : "(default)");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    printf (", %s", extra_env[i]);
  printf ("\n");
  print_load ();

  /* Warm-up, then alternately, the floor first in every other round. */
  if (!run_program (&floor_program, environment, probe_path, FALSE, &error) ||
      !run_program (&app, environment, probe_path, FALSE, &error))
    {
      printf ("FAILED: %s\n", error->message);
      failed = TRUE;
    }

  for (int i = 0; i < n_runs && !failed; i++)
    {
      order[i % 2] = &floor_program;
      order[(i + 1) % 2] = &app;

      printf ("run %d:\n", i + 1);
      for (guint j = 0; j < 2 && !failed; j++)
        if (!run_program (order[j], environment, probe_path, TRUE, &error))
          {
            printf ("FAILED: %s\n", error->message);
            failed = TRUE;
          }
    }

  g_test_dbus_down (bus);
  remove_tree (root);

  if (failed)
    {
      program_clear (&app);
      program_clear (&floor_program);
      return 1;
    }

  floor_median = percentile (floor_program.frame_us, 0.5);
  app_median = percentile (app.list_us, 0.5);
  rss_median = percentile (app.rss_kb, 0.5);
  ratio = (double) app_median / floor_median;
  rss_bytes = rss_median * 1024.0;

  printf ("\n%-44s %9s %9s %12s\n", "spawn → first frame", "median", "p90", "RSS median");
  printf ("%-44s %6.1f ms %6.1f ms %9.1f MB\n", "floor-window (empty AdwApplicationWindow)",
          floor_median / 1e3, percentile (floor_program.frame_us, 0.9) / 1e3,
          percentile (floor_program.rss_kb, 0.5) * 1024 / 1e6);
  printf ("%-44s %6.1f ms %6.1f ms %9.1f MB\n", "claire-workshop, first frame",
          percentile (app.frame_us, 0.5) / 1e3, percentile (app.frame_us, 0.9) / 1e3,
          rss_bytes / 1e6);
  printf ("%-44s %6.1f ms %6.1f ms\n", "claire-workshop, first frame with the list",
          app_median / 1e3, percentile (app.list_us, 0.9) / 1e3);
  printf ("(today's list: %u rows; MB = 10^6 bytes; percentiles by nearest rank)\n", app.rows);
  printf ("window size: floor-window %d × %d, claire-workshop %d × %d%s\n",
          floor_program.width, floor_program.height, app.width, app.height,
          floor_program.width * floor_program.height != app.width * app.height ?
          " (not the same: the floor draws a different area)" : "");
  printf ("frames drawn until the memory was read (median): floor-window %" G_GINT64_FORMAT
          ", claire-workshop %" G_GINT64_FORMAT "\n",
          percentile (floor_program.frames, 0.5), percentile (app.frames, 0.5));
  printf ("ratio app/floor (medians, with the list): %.2f (budget ≤ %.1f)\n", ratio, RATIO_BUDGET);
  printf ("app RSS median: %.1f MB (budget < %.0f MB)\n", rss_bytes / 1e6, RSS_BUDGET_BYTES / 1e6);

  program_clear (&app);
  program_clear (&floor_program);

  if (ratio > RATIO_BUDGET)
    {
      printf ("MISSED: the app starts in %.2f × the floor's time, over the %.1f × budget\n", ratio, RATIO_BUDGET);
      failed = TRUE;
    }
  if (rss_bytes >= RSS_BUDGET_BYTES)
    {
      printf ("MISSED: the app's resident memory %.1f MB is over the %.0f MB budget\n",
              rss_bytes / 1e6, RSS_BUDGET_BYTES / 1e6);
      failed = TRUE;
    }

  return failed ? 1 : 0;
}
