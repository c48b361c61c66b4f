/* cw-startup-probe.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-startup-probe"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gtk/gtk.h>

#include "cw-startup-probe.h"

/*
 * The start-up probe of tests/bench/bench-startup (docs/benchmarks.md). It does nothing
 * unless CLAIRE_WORKSHOP_STARTUP_PROBE names a file; then it appends to that file:
 *
 *   first-frame <µs>        the first frame of the first window: the first "after-paint" of
 *                           its surface's frame clock, after the window was mapped, in which
 *                           the surface was really rendered (GdkSurface::render was emitted)
 *   size <width> <height>   the window's size in that frame, in application pixels
 *   list-frame <µs> <rows>  the first such frame in which a mapped list (GtkColumnView,
 *                           GtkListView, GtkGridView) had rows, and how many its model had
 *   frames <n>              how many frames the window rendered until the memory was read
 *   rss-kb <kB>             VmRSS of /proc/self/status once the window is shown
 *   timeout                 (before rss-kb) the list was not shown within PROBE_DEADLINE_MS
 *                           of the first frame
 *
 * and then quits the application. Times are g_get_monotonic_time() (CLOCK_MONOTONIC, the same
 * clock in every process), so a parent that reads the clock just before spawning gets the
 * start-up time by subtraction.
 *
 * "Shown" is the honest reading of "the list is shown": when the window contains a list view,
 * not before a frame with its rows was drawn; without one (the floor program's empty window),
 * from the first frame. The memory is read PROBE_SETTLE_MS after that, at the first moment
 * the main loop is idle (a G_PRIORITY_LOW source), so that whatever the first frames set off
 * (styles, icons, rows filled in late, work queued at idle priority) is resident. A window
 * that keeps animating does not hold the reading up; "frames" tells that it drew on.
 */

#define PROBE_ENV         "CLAIRE_WORKSHOP_STARTUP_PROBE"
#define PROBE_SETTLE_MS   500
#define PROBE_DEADLINE_MS 10000

typedef struct
{
  GApplication  *app;
  FILE          *out;

  GtkWidget     *window;
  GdkSurface    *surface;
  GdkFrameClock *frame_clock;
  gulong         window_added_id;
  gulong         map_id;
  gulong         after_paint_id;
  guint          render_signal_id;
  gulong         render_hook_id;
  guint          settle_id;
  guint          deadline_id;

  gboolean       rendered;
  gboolean       first_frame_seen;
  gboolean       list_frame_seen;
  gboolean       done;
  guint          n_frames;
} CwStartupProbe;

static void
probe_write (CwStartupProbe *probe,
             const char     *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
probe_write (CwStartupProbe *probe,
             const char     *format,
             ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (probe->out, format, args);
  va_end (args);
  fputc ('\n', probe->out);
  fflush (probe->out);
}

/* The resident set size in kB, or -1 if /proc cannot tell. */
static gint64
read_vm_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  line = strstr (status, "\nVmRSS:");
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10);
}

/* The number of rows of the first mapped list view under @widget, 0 if none has rows; sets
 * @has_list when there is a list view at all, mapped or not. */
static guint
count_list_rows (GtkWidget *widget,
                 gboolean  *has_list)
{
  GListModel *model = NULL;

  if (GTK_IS_COLUMN_VIEW (widget))
    model = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (widget)));
  else if (GTK_IS_LIST_VIEW (widget))
    model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (widget)));
  else if (GTK_IS_GRID_VIEW (widget))
    model = G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (widget)));

  if (GTK_IS_COLUMN_VIEW (widget) || GTK_IS_LIST_VIEW (widget) || GTK_IS_GRID_VIEW (widget))
    {
      *has_list = TRUE;
      if (model != NULL && gtk_widget_get_mapped (widget))
        return g_list_model_get_n_items (model);
      return 0;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      guint rows = count_list_rows (child, has_list);

      if (rows > 0)
        return rows;
    }

  return 0;
}

static void
probe_stop (CwStartupProbe *probe)
{
  g_clear_handle_id (&probe->settle_id, g_source_remove);
  g_clear_handle_id (&probe->deadline_id, g_source_remove);

  if (probe->render_hook_id != 0)
    g_signal_remove_emission_hook (probe->render_signal_id, probe->render_hook_id);
  probe->render_hook_id = 0;

  g_clear_signal_handler (&probe->window_added_id, probe->app);
  if (probe->window != NULL)
    g_clear_signal_handler (&probe->map_id, probe->window);
  if (probe->frame_clock != NULL)
    g_clear_signal_handler (&probe->after_paint_id, probe->frame_clock);

  g_clear_object (&probe->frame_clock);
  g_clear_object (&probe->surface);
  g_clear_weak_pointer (&probe->window);
}

static void
probe_finish (CwStartupProbe *probe,
              gboolean        shown)
{
  if (probe->done)
    return;
  probe->done = TRUE;

  if (!shown)
    probe_write (probe, "timeout");
  probe_write (probe, "frames %u", probe->n_frames);
  probe_write (probe, "rss-kb %" G_GINT64_FORMAT, read_vm_rss_kb ());

  probe_stop (probe);
  g_application_quit (probe->app);
}

static gboolean
on_idle_cb (gpointer user_data)
{
  CwStartupProbe *probe = user_data;

  probe->settle_id = 0;
  probe_finish (probe, TRUE);

  return G_SOURCE_REMOVE;
}

static gboolean
on_settle_timeout_cb (gpointer user_data)
{
  CwStartupProbe *probe = user_data;

  probe->settle_id = g_idle_add_full (G_PRIORITY_LOW, on_idle_cb, probe, NULL);

  return G_SOURCE_REMOVE;
}

static gboolean
on_deadline_cb (gpointer user_data)
{
  CwStartupProbe *probe = user_data;

  probe->deadline_id = 0;
  probe_finish (probe, FALSE);

  return G_SOURCE_REMOVE;
}

/* Runs for every emission of GdkSurface::render, before its handlers (the window's handler
 * returns TRUE and so would hide it from any handler connected after). */
static gboolean
on_render_hook (GSignalInvocationHint *hint,
                guint                  n_param_values,
                const GValue          *param_values,
                gpointer               user_data)
{
  CwStartupProbe *probe = user_data;

  if (n_param_values > 0 && g_value_peek_pointer (&param_values[0]) == (gpointer) probe->surface)
    probe->rendered = TRUE;

  return TRUE;
}

static void
on_after_paint_cb (GdkFrameClock  *frame_clock,
                   CwStartupProbe *probe)
{
  gboolean has_list = FALSE;
  gint64 now;
  guint rows;

  /* A frame in which the window was not drawn shows nothing new. */
  if (!probe->rendered || probe->done)
    return;
  probe->rendered = FALSE;

  if (probe->window == NULL || !gtk_widget_get_mapped (probe->window))
    return;

  now = g_get_monotonic_time ();
  probe->n_frames++;

  if (!probe->first_frame_seen)
    {
      probe->first_frame_seen = TRUE;
      probe_write (probe, "first-frame %" G_GINT64_FORMAT, now);
      probe_write (probe, "size %d %d", gtk_widget_get_width (probe->window),
                   gtk_widget_get_height (probe->window));
      probe->deadline_id = g_timeout_add (PROBE_DEADLINE_MS, on_deadline_cb, probe);
    }

  if (probe->list_frame_seen || probe->settle_id != 0)
    return;

  rows = count_list_rows (probe->window, &has_list);
  if (rows > 0)
    {
      probe->list_frame_seen = TRUE;
      probe_write (probe, "list-frame %" G_GINT64_FORMAT " %u", now, rows);
    }

  if (probe->list_frame_seen || !has_list)
    {
      g_clear_handle_id (&probe->deadline_id, g_source_remove);
      probe->settle_id = g_timeout_add (PROBE_SETTLE_MS, on_settle_timeout_cb, probe);
    }
}

static void
on_window_map_cb (GtkWidget      *window,
                  CwStartupProbe *probe)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_clear_signal_handler (&probe->map_id, window);

  if (surface == NULL)
    {
      g_warning ("The window was mapped without a surface; the start-up probe gives up");
      return;
    }

  g_set_object (&probe->surface, surface);
  g_set_object (&probe->frame_clock, gdk_surface_get_frame_clock (surface));
  probe->after_paint_id = g_signal_connect (probe->frame_clock, "after-paint",
                                            G_CALLBACK (on_after_paint_cb), probe);

  /* The surface exists, so its class and signals do. */
  probe->render_signal_id = g_signal_lookup ("render", GDK_TYPE_SURFACE);
  probe->render_hook_id = g_signal_add_emission_hook (probe->render_signal_id, 0,
                                                      on_render_hook, probe, NULL);
}

static void
on_window_added_cb (GtkApplication *application,
                    GtkWindow      *window,
                    CwStartupProbe *probe)
{
  /* Only the first window counts. */
  g_clear_signal_handler (&probe->window_added_id, probe->app);

  g_set_weak_pointer (&probe->window, GTK_WIDGET (window));
  probe->map_id = g_signal_connect_after (window, "map", G_CALLBACK (on_window_map_cb), probe);
  if (gtk_widget_get_mapped (GTK_WIDGET (window)))
    on_window_map_cb (GTK_WIDGET (window), probe);
}

static void
cw_startup_probe_free (gpointer data)
{
  CwStartupProbe *probe = data;

  probe_stop (probe);
  fclose (probe->out);
  g_free (probe);
}

/**
 * cw_startup_probe_install:
 * @app: a #GtkApplication whose first window is measured
 *
 * Measures the start-up of @app when the environment variable
 * `CLAIRE_WORKSHOP_STARTUP_PROBE` names a file (appended to; `/dev/stderr` works): the
 * monotonic time of the first window's first frame, of the first frame with its list's
 * rows, and the resident memory shortly after that; then quits @app. Without the
 * variable it does nothing. See docs/benchmarks.md.
 */
void
cw_startup_probe_install (GApplication *app)
{
  const char *path = g_getenv (PROBE_ENV);
  CwStartupProbe *probe;
  FILE *out;

  g_return_if_fail (GTK_IS_APPLICATION (app));

  if (path == NULL || *path == '\0')
    return;

  out = fopen (path, "a");
  if (out == NULL)
    {
      int saved_errno = errno;

      g_warning ("The start-up probe cannot write to %s: %s", path, g_strerror (saved_errno));
      return;
    }

  probe = g_new0 (CwStartupProbe, 1);
  probe->app = app;
  probe->out = out;
  probe->window_added_id = g_signal_connect (app, "window-added",
                                             G_CALLBACK (on_window_added_cb), probe);
  g_object_set_data_full (G_OBJECT (app), "cw-startup-probe", probe, cw_startup_probe_free);
}
