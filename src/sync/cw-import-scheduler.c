/* cw-import-scheduler.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-import-scheduler"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-connector-registry.h"
#include "cw-import-scheduler.h"

/*
 * Keep-importing (DESIGN §3): for every connection whose DMS only offers it (Autoflex), the
 * app asks for the workorders of a window of days around today, at the connection's
 * interval, and imports what is new or changed. One run per connection at a time: the
 * next run is planned only when the previous one ended. While the DMS fails the wait
 * doubles (with jitter) up to an hour; while the network is down nothing runs, and a run
 * starts as soon as it is back. stop() cancels whatever runs and plans nothing more. A
 * failed fetch is never "no workorders": it deletes and blanks nothing in the store.
 */

typedef struct
{
  char         *connection_id;
  guint         generation;
  guint         timeout_id;
  GCancellable *cancellable;
  guint         failures;
  guint         next_delay;
  GError       *last_error;
  GHashTable   *problem_keys;
  guint         running : 1;
  guint         waiting_for_network : 1;
} Schedule;

struct _CwImportScheduler
{
  GObject          parent_instance;

  CwImportService *service;
  GNetworkMonitor *monitor;
  GHashTable      *schedules;
  guint            generation;
  guint            started : 1;
};

G_DEFINE_FINAL_TYPE (CwImportScheduler, cw_import_scheduler, G_TYPE_OBJECT)

enum {
  RUN_STARTED,
  RUN_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void plan_run (CwImportScheduler *self,
                      Schedule          *schedule,
                      guint              seconds);

static void
schedule_free (Schedule *schedule)
{
  g_cancellable_cancel (schedule->cancellable);
  g_clear_object (&schedule->cancellable);
  g_clear_handle_id (&schedule->timeout_id, g_source_remove);
  g_clear_error (&schedule->last_error);
  g_clear_pointer (&schedule->problem_keys, g_hash_table_unref);
  g_free (schedule->connection_id);
  g_free (schedule);
}

static gboolean
keeps_importing (CwConnection *connection)
{
  const CwConnectorKind *kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));

  return kind != NULL && (kind->capabilities & CW_CAPABILITY_KEEP_IMPORTING) != 0;
}

static gboolean
network_available (CwImportScheduler *self)
{
  return self->monitor == NULL || g_network_monitor_get_network_available (self->monitor);
}

/*
 * One run
 */

/*
 * A run asks for the window one day at a time and stores each day as soon as it has it,
 * while it asks for the next: the DMS and the disk work at the same time, and the list
 * fills day by day. Writes go one at a time, in the order the days came, so that an order
 * that moved between two days while they were read is stored as last seen. A run that
 * fails part-way keeps the days it stored (they are what the DMS said); it never deletes
 * or blanks anything.
 */
typedef struct
{
  CwImportScheduler *self;
  char              *connection_id;
  guint              generation;
  CwConnection      *connection;
  CwConnector       *connector;
  GDate              day;
  guint              days_left;
  GQueue             days_to_store;   /* GPtrArray of CwWorkorder, one per day */
  GPtrArray         *problems;
  GError            *error;
  guint              listing : 1;
  guint              storing : 1;
  guint              store_failed : 1;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->self);
  g_free (run->connection_id);
  g_clear_object (&run->connection);
  g_clear_object (&run->connector);
  g_queue_clear_full (&run->days_to_store, (GDestroyNotify) g_ptr_array_unref);
  g_clear_pointer (&run->problems, g_ptr_array_unref);
  g_clear_error (&run->error);
  g_free (run);
}

/* The schedule a run belongs to, or NULL when it was stopped or replaced meanwhile. */
static Schedule *
run_schedule (Run *run)
{
  Schedule *schedule = g_hash_table_lookup (run->self->schedules, run->connection_id);

  if (schedule == NULL || schedule->generation != run->generation)
    return NULL;

  return schedule;
}

static guint
backoff_delay (guint interval,
               guint failures)
{
  guint64 delay = interval;

  for (guint i = 0; i < failures && delay < CW_IMPORT_MAX_BACKOFF; i++)
    delay *= 2;
  delay = MIN (delay, CW_IMPORT_MAX_BACKOFF);

  /* Up to a tenth more, so that desks that failed together do not retry together. */
  return (guint) delay + g_random_int_range (0, (gint32) (delay / 10) + 1);
}

static void
finish_run (Run    *run,
            GError *error)
{
  g_autoptr(GError) owned_error = error;
  Schedule *schedule = run_schedule (run);
  CwImportScheduler *self = run->self;
  guint interval;

  if (schedule == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (schedule != NULL)
        schedule->running = FALSE;
      run_free (run);
      return;
    }

  schedule->running = FALSE;
  interval = cw_connection_get_poll_interval (run->connection);
  g_clear_error (&schedule->last_error);

  if (error != NULL)
    {
      schedule->failures++;
      schedule->last_error = g_steal_pointer (&owned_error);
      g_message ("Keep-importing from %s failed (%u in a row): %s",
                 run->connection_id, schedule->failures, schedule->last_error->message);
    }
  else
    schedule->failures = 0;

  plan_run (self, schedule, backoff_delay (interval, schedule->failures));
  g_signal_emit (self, signals[RUN_FINISHED], 0, run->connection_id, schedule->last_error);

  run_free (run);
}

static void
problem_recorded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cw_store_add_event_finish (CW_STORE (source), result, &error))
    g_warning ("A DMS problem could not be recorded on its workorder: %s", error->message);
}

/*
 * An order the DMS sent that could not be used goes on that workorder's timeline, once per
 * run of failures: the same problem in the next poll is not recorded again.
 */
static void
record_problems (Run      *run,
                 Schedule *schedule)
{
  CwStore *store = cw_import_service_get_store (run->self->service);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  for (guint i = 0; run->problems != NULL && i < run->problems->len; i++)
    {
      CwDmsProblem *problem = g_ptr_array_index (run->problems, i);
      g_autoptr(CwTimelineEvent) event = NULL;
      gint64 id;

      if (problem->dms_key == NULL)
        continue;

      g_hash_table_add (keys, g_strdup (problem->dms_key));
      if (schedule->problem_keys != NULL && g_hash_table_contains (schedule->problem_keys, problem->dms_key))
        continue;

      id = cw_store_find_workorder (store, run->connection_id, problem->dms_key, NULL);
      if (id == 0)
        continue;

      event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                            "kind", CW_EVENT_SYNC_FAILED,
                            "at", now,
                            "detail", problem->error->message,
                            NULL);
      cw_store_add_event_async (store, id, event, NULL, problem_recorded_cb, NULL);
    }

  g_clear_pointer (&schedule->problem_keys, g_hash_table_unref);
  schedule->problem_keys = g_steal_pointer (&keys);
}

/* Keeps the first error of the run; the ones after it say less. */
static void
run_fail (Run    *run,
          GError *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

static void run_list_day (Run *run);
static void run_store_next (Run *run);

/* Ends the run once nothing of it is under way any more. */
static void
run_continue (Run *run)
{
  Schedule *schedule = run_schedule (run);

  if (run->listing || run->storing)
    return;

  if (schedule == NULL)
    {
      finish_run (run, NULL);
      return;
    }

  if (!g_queue_is_empty (&run->days_to_store))
    {
      run_store_next (run);
      return;
    }

  if (run->error == NULL && run->days_left > 0)
    {
      run_list_day (run);
      return;
    }

  if (run->error == NULL)
    record_problems (run, schedule);

  finish_run (run, g_steal_pointer (&run->error));
}

static void
run_day_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GArray) outcomes = NULL;
  GError *error = NULL;

  run->storing = FALSE;
  outcomes = cw_store_import_workorders_finish (CW_STORE (source), result, &error);
  if (outcomes == NULL)
    {
      /* Nothing more is written after a failed write. */
      g_queue_clear_full (&run->days_to_store, (GDestroyNotify) g_ptr_array_unref);
      run->days_left = 0;
      run->store_failed = TRUE;
      run_fail (run, error);
    }

  run_continue (run);
}

static void
run_store_next (Run *run)
{
  Schedule *schedule = run_schedule (run);
  g_autoptr(GPtrArray) workorders = NULL;

  if (run->storing || schedule == NULL || g_queue_is_empty (&run->days_to_store))
    return;

  /* Not kept: the store lets go of them in its thread, where thousands of them are freed
   * without holding up the main loop. */
  workorders = g_queue_pop_head (&run->days_to_store);
  run->storing = TRUE;
  cw_store_import_workorders_async (cw_import_service_get_store (run->self->service),
                                    workorders,
                                    cw_import_service_get_import_flags (run->self->service, run->connection),
                                    schedule->cancellable,
                                    run_day_stored_cb, run);
}

static void
run_day_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  GPtrArray *workorders;
  GError *error = NULL;

  run->listing = FALSE;
  workorders = cw_connector_list_days_finish (CW_CONNECTOR (source), result, &problems, &error);
  if (workorders == NULL)
    {
      /* The days already listed are still stored. */
      run->days_left = 0;
      run_fail (run, error);
      run_continue (run);
      return;
    }

  if (problems != NULL)
    g_ptr_array_extend_and_steal (run->problems, g_steal_pointer (&problems));
  if (run->store_failed)
    g_ptr_array_unref (workorders);
  else
    g_queue_push_tail (&run->days_to_store, workorders);
  run_store_next (run);

  /* The next day is asked for while this one is written. */
  if (run->days_left > 0 && run->error == NULL && run_schedule (run) != NULL)
    run_list_day (run);
  else
    run_continue (run);
}

static void
run_list_day (Run *run)
{
  Schedule *schedule = run_schedule (run);

  g_assert (!run->listing && run->days_left > 0);

  run->listing = TRUE;
  cw_connector_list_days_async (run->connector, &run->day, 1, schedule->cancellable,
                                run_day_listed_cb, run);
  g_date_add_days (&run->day, 1);
  run->days_left--;
}

static void
run_connector_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  Schedule *schedule = run_schedule (run);
  g_autoptr(GDateTime) now = NULL;
  GError *error = NULL;

  run->connector = cw_import_service_get_connector_finish (CW_IMPORT_SERVICE (source), result, &error);
  if (run->connector == NULL || schedule == NULL)
    {
      finish_run (run, error);
      return;
    }

  now = g_date_time_new_now_local ();
  g_date_clear (&run->day, 1);
  g_date_set_dmy (&run->day, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  g_date_subtract_days (&run->day, CW_IMPORT_WINDOW_DAYS_BEFORE);
  run->days_left = CW_IMPORT_WINDOW_DAYS_BEFORE + 1 + CW_IMPORT_WINDOW_DAYS_AFTER;
  run->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_dms_problem_free);

  run_list_day (run);
}

static gboolean
start_run (CwImportScheduler *self,
           Schedule          *schedule)
{
  CwConnection *connection;
  Run *run;

  if (schedule->running)
    return FALSE;

  connection = cw_import_service_find_connection (self->service, schedule->connection_id);
  if (connection == NULL)
    return FALSE;

  g_clear_handle_id (&schedule->timeout_id, g_source_remove);

  if (!network_available (self))
    {
      /* Nothing runs offline; the network coming back starts the run. */
      schedule->waiting_for_network = TRUE;
      return FALSE;
    }

  schedule->waiting_for_network = FALSE;
  schedule->running = TRUE;

  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->connection_id = g_strdup (schedule->connection_id);
  run->generation = schedule->generation;
  run->connection = g_object_ref (connection);

  g_signal_emit (self, signals[RUN_STARTED], 0, schedule->connection_id);
  cw_import_service_get_connector_async (self->service, connection, schedule->cancellable,
                                         run_connector_cb, run);

  return TRUE;
}

typedef struct
{
  CwImportScheduler *self;
  char              *connection_id;
  guint              generation;
} Timer;

static void
timer_free (Timer *timer)
{
  g_object_unref (timer->self);
  g_free (timer->connection_id);
  g_free (timer);
}

static gboolean
on_timer (gpointer user_data)
{
  Timer *timer = user_data;
  Schedule *schedule = g_hash_table_lookup (timer->self->schedules, timer->connection_id);

  if (schedule != NULL && schedule->generation == timer->generation)
    {
      schedule->timeout_id = 0;
      start_run (timer->self, schedule);
    }

  return G_SOURCE_REMOVE;
}

static void
plan_run (CwImportScheduler *self,
          Schedule          *schedule,
          guint              seconds)
{
  Timer *timer;

  g_clear_handle_id (&schedule->timeout_id, g_source_remove);
  if (!self->started)
    return;

  timer = g_new0 (Timer, 1);
  timer->self = g_object_ref (self);
  timer->connection_id = g_strdup (schedule->connection_id);
  timer->generation = schedule->generation;

  schedule->next_delay = seconds;
  /* Whole seconds let GLib wake several timers at once; but "now" is now, not at the
   * next whole second. */
  if (seconds == 0)
    schedule->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 0, on_timer,
                                               timer, (GDestroyNotify) timer_free);
  else
    schedule->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, seconds, on_timer,
                                                       timer, (GDestroyNotify) timer_free);
}

/*
 * Following the connections and the network
 */

static void
sync_schedules (CwImportScheduler *self)
{
  GListModel *connections = cw_import_service_get_connections (self->service);
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(CwConnection) connection = g_list_model_get_item (connections, i);
      const char *id = cw_connection_get_id (connection);
      Schedule *schedule;

      if (!keeps_importing (connection))
        continue;

      g_hash_table_add (wanted, (gpointer) id);
      if (g_hash_table_contains (self->schedules, id))
        continue;

      schedule = g_new0 (Schedule, 1);
      schedule->connection_id = g_strdup (id);
      schedule->generation = ++self->generation;
      schedule->cancellable = g_cancellable_new ();
      g_hash_table_insert (self->schedules, schedule->connection_id, schedule);

      /* A new connection runs at once: the list should fill when the app starts. */
      plan_run (self, schedule, 0);
    }

  g_hash_table_iter_init (&iter, self->schedules);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (wanted, key))
      g_hash_table_iter_remove (&iter);
}

static void
on_connections_changed_cb (CwImportScheduler *self)
{
  if (self->started)
    sync_schedules (self);
}

static void
on_network_changed_cb (CwImportScheduler *self)
{
  GHashTableIter iter;
  gpointer value;

  if (!self->started || !network_available (self))
    return;

  g_hash_table_iter_init (&iter, self->schedules);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Schedule *schedule = value;

      if (schedule->waiting_for_network)
        plan_run (self, schedule, 0);
    }
}

static void
cw_import_scheduler_dispose (GObject *object)
{
  CwImportScheduler *self = (CwImportScheduler *)object;

  cw_import_scheduler_stop (self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (cw_import_scheduler_parent_class)->dispose (object);
}

static void
cw_import_scheduler_finalize (GObject *object)
{
  CwImportScheduler *self = (CwImportScheduler *)object;

  g_clear_pointer (&self->schedules, g_hash_table_unref);

  G_OBJECT_CLASS (cw_import_scheduler_parent_class)->finalize (object);
}

static void
cw_import_scheduler_class_init (CwImportSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cw_import_scheduler_dispose;
  object_class->finalize = cw_import_scheduler_finalize;

  /**
   * CwImportScheduler::run-started:
   * @self: the scheduler
   * @connection_id: the connection a run started for
   */
  signals[RUN_STARTED] =
    g_signal_new ("run-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * CwImportScheduler::run-finished:
   * @self: the scheduler
   * @connection_id: the connection the run was for
   * @error: (nullable): why it failed, %NULL when it succeeded
   *
   * Not emitted for a run that was cancelled by cw_import_scheduler_stop().
   */
  signals[RUN_FINISHED] =
    g_signal_new ("run-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
cw_import_scheduler_init (CwImportScheduler *self)
{
  self->schedules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) schedule_free);
}

/**
 * cw_import_scheduler_new:
 * @service: the import service that runs the imports
 * @monitor: (nullable): the network monitor to follow; %NULL for the default one
 *
 * Returns: (transfer full): a stopped scheduler; cw_import_scheduler_start() starts it
 */
CwImportScheduler *
cw_import_scheduler_new (CwImportService *service,
                         GNetworkMonitor *monitor)
{
  CwImportScheduler *self;

  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (service), NULL);
  g_return_val_if_fail (!monitor || G_IS_NETWORK_MONITOR (monitor), NULL);

  self = g_object_new (CW_TYPE_IMPORT_SCHEDULER, NULL);
  self->service = g_object_ref (service);
  self->monitor = g_object_ref (monitor != NULL ? monitor : g_network_monitor_get_default ());

  return self;
}

/**
 * cw_import_scheduler_start:
 * @self: a #CwImportScheduler
 *
 * Starts keep-importing for every connection that offers it, at once, and follows the
 * connections and the network from then on.
 */
void
cw_import_scheduler_start (CwImportScheduler *self)
{
  g_return_if_fail (CW_IS_IMPORT_SCHEDULER (self));

  if (self->started)
    return;

  self->started = TRUE;
  g_signal_connect_object (cw_import_service_get_connections (self->service), "items-changed",
                           G_CALLBACK (on_connections_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "network-changed",
                           G_CALLBACK (on_network_changed_cb), self, G_CONNECT_SWAPPED);
  sync_schedules (self);
}

/**
 * cw_import_scheduler_stop:
 * @self: a #CwImportScheduler
 *
 * Cancels every run and plans none any more. A write the store already began completes
 * (it is one transaction); nothing else happens after this returns.
 */
void
cw_import_scheduler_stop (CwImportScheduler *self)
{
  g_return_if_fail (CW_IS_IMPORT_SCHEDULER (self));

  if (!self->started)
    return;

  self->started = FALSE;
  g_signal_handlers_disconnect_by_data (cw_import_service_get_connections (self->service), self);
  g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_hash_table_remove_all (self->schedules);
}

gboolean
cw_import_scheduler_is_started (CwImportScheduler *self)
{
  g_return_val_if_fail (CW_IS_IMPORT_SCHEDULER (self), FALSE);

  return self->started;
}

/**
 * cw_import_scheduler_run_now:
 * @self: a #CwImportScheduler
 * @connection_id: a keep-importing connection
 *
 * Starts a run now ("Sync now"), unless one is running already.
 *
 * Returns: %TRUE if a run started
 */
gboolean
cw_import_scheduler_run_now (CwImportScheduler *self,
                             const char        *connection_id)
{
  Schedule *schedule;

  g_return_val_if_fail (CW_IS_IMPORT_SCHEDULER (self), FALSE);

  schedule = connection_id ? g_hash_table_lookup (self->schedules, connection_id) : NULL;
  if (schedule == NULL)
    return FALSE;

  return start_run (self, schedule);
}

gboolean
cw_import_scheduler_is_running (CwImportScheduler *self,
                                const char        *connection_id)
{
  Schedule *schedule;

  g_return_val_if_fail (CW_IS_IMPORT_SCHEDULER (self), FALSE);

  schedule = connection_id ? g_hash_table_lookup (self->schedules, connection_id) : NULL;

  return schedule != NULL && schedule->running;
}

/**
 * cw_import_scheduler_get_failures:
 *
 * Returns: how many runs in a row failed for the connection
 */
guint
cw_import_scheduler_get_failures (CwImportScheduler *self,
                                  const char        *connection_id)
{
  Schedule *schedule;

  g_return_val_if_fail (CW_IS_IMPORT_SCHEDULER (self), 0);

  schedule = connection_id ? g_hash_table_lookup (self->schedules, connection_id) : NULL;

  return schedule != NULL ? schedule->failures : 0;
}

/**
 * cw_import_scheduler_get_next_delay:
 *
 * Returns: the wait, in seconds, before the planned next run of the connection
 */
guint
cw_import_scheduler_get_next_delay (CwImportScheduler *self,
                                    const char        *connection_id)
{
  Schedule *schedule;

  g_return_val_if_fail (CW_IS_IMPORT_SCHEDULER (self), 0);

  schedule = connection_id ? g_hash_table_lookup (self->schedules, connection_id) : NULL;

  return schedule != NULL ? schedule->next_delay : 0;
}

/**
 * cw_import_scheduler_get_last_error:
 *
 * Returns: (transfer none) (nullable): why the last run of the connection failed, %NULL
 *   when it succeeded
 */
const GError *
cw_import_scheduler_get_last_error (CwImportScheduler *self,
                                    const char        *connection_id)
{
  Schedule *schedule;

  g_return_val_if_fail (CW_IS_IMPORT_SCHEDULER (self), NULL);

  schedule = connection_id ? g_hash_table_lookup (self->schedules, connection_id) : NULL;

  return schedule != NULL ? schedule->last_error : NULL;
}
