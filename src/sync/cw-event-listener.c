/* cw-event-listener.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-event-listener"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-connector-registry.h"
#include "cw-event-listener.h"
#include "cw-net-error.h"

/*
 * Realtime changes (DESIGN §3 "events", docs/sync.md): for one connection whose DMS pushes
 * its changes (Wincar), the listener follows the DMS's change stream from the last change
 * the store applied, and applies every change as it comes, each with the connection's
 * cursor in one transaction, so a change is applied once however often it arrives.
 *
 * - Changes are applied in order, off the main thread, one transaction each: a catch-up
 *   of a thousand changes never holds up the window. A new stream is opened only once
 *   every change of the last one is applied, from the cursor the store then holds.
 * - A stream that drops, or cannot be opened, is opened again after a wait that starts at
 *   a few seconds and doubles (with jitter) while it keeps failing, up to five minutes. A
 *   stream that ran a while or brought changes counts as a success: its successor is
 *   tried soon.
 * - While the network is down nothing is tried; a stream open when it goes down is closed,
 *   and one is opened as soon as it is back.
 * - When the DMS no longer has the changes the cursor asks for, every workorder the store
 *   holds of the connection is fetched again (none is ever deleted), then the cursor is set
 *   to the DMS's current number and the stream resumes from there. A fetch that fails ends
 *   the attempt, which is tried again after the wait.
 * - A change the mapping refused is skipped by the cursor, and recorded on its workorder's
 *   timeline when the store has it.
 * - stop() cancels whatever runs; a write the store began completes, nothing else happens.
 *
 * The dealer's option "realtime changes" (the connection's events setting) switches the
 * listener off and on while it runs.
 */

#define RAN_LONG_US (60 * G_USEC_PER_SEC)

typedef enum
{
  ITEM_EVENT,
  ITEM_IMPORT,
  ITEM_RESET,
} ItemKind;

/* One write, in the order the stream gave it. */
typedef struct
{
  ItemKind         kind;
  gint64           seq;
  char            *dms_key;
  CwWorkorder     *workorder;
  GError          *problem;
  /* Filled in by the writer. */
  gboolean         applied;
  CwImportOutcome  outcome;
} Item;

struct _CwEventListener
{
  GObject          parent_instance;

  CwImportService *service;
  GNetworkMonitor *monitor;
  char            *connection_id;
  CwConnection    *connection;

  /* The attempt in flight (connector lookup, watch or refetch), and its number: a callback
   * of an older attempt finds another one and does nothing. */
  GCancellable    *cancellable;
  guint            attempt;
  CwConnector     *connector;
  gint64           watch_started_at;
  guint            watch_events;

  /* The changes waiting to be written, and the batch being written. */
  GQueue           items;
  gboolean         writing;

  /* The DMS's current number after it lost changes, until the refetch is done; or -1. */
  gint64           lost_seq;
  char           **refetch_keys;
  guint            refetch_next;

  guint            retry_id;
  guint            failures;
  guint            next_delay;
  guint            first_delay_ms;
  guint            max_delay_ms;
  GError          *last_error;

  guint            started : 1;
  guint            connected : 1;
  guint            running : 1;
  guint            waiting_for_network : 1;
  guint            waiting_for_writes : 1;
};

G_DEFINE_FINAL_TYPE (CwEventListener, cw_event_listener, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EVENT_APPLIED,
  STREAM_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void begin_attempt (CwEventListener *self);
static void write_next (CwEventListener *self);

static void
item_free (Item *item)
{
  g_free (item->dms_key);
  g_clear_object (&item->workorder);
  g_clear_error (&item->problem);
  g_free (item);
}

static void
set_connected (CwEventListener *self,
               gboolean         connected)
{
  if (self->connected == !!connected)
    return;

  self->connected = !!connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

/* Whether this connection's DMS pushes changes and the dealer wants them. */
static gboolean
is_wanted (CwEventListener *self)
{
  const CwConnectorKind *kind = cw_connector_kind_lookup (cw_connection_get_kind (self->connection));

  return kind != NULL && (kind->capabilities & CW_CAPABILITY_EVENTS) != 0 &&
         cw_connection_get_events (self->connection);
}

static gboolean
network_available (CwEventListener *self)
{
  return self->monitor == NULL || g_network_monitor_get_network_available (self->monitor);
}

/* Ends the attempt in flight, if any: whatever it still reports is ignored. */
static void
cancel_attempt (CwEventListener *self)
{
  self->attempt++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connector);
  g_clear_pointer (&self->refetch_keys, g_strfreev);
  self->running = FALSE;
  self->waiting_for_writes = FALSE;
  set_connected (self, FALSE);
}

/* ------------------------------------------------------------------------------------- */
/* Waiting                                                                               */
/* ------------------------------------------------------------------------------------- */

static guint
backoff_delay_ms (CwEventListener *self)
{
  guint64 delay = self->first_delay_ms;

  for (guint i = 1; i < self->failures && delay < self->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->max_delay_ms);

  /* Between half and all of it, so that desks that lost the DMS together do not come back
   * together. */
  return (guint) (delay / 2 + (guint64) g_random_double_range (0, (double) (delay - delay / 2) + 1));
}

static gboolean
on_retry (gpointer user_data)
{
  CwEventListener *self = user_data;

  self->retry_id = 0;
  begin_attempt (self);

  return G_SOURCE_REMOVE;
}

static void
plan_retry (CwEventListener *self,
            guint            delay_ms)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->next_delay = delay_ms;
  if (!self->started)
    return;

  self->retry_id = g_timeout_add (delay_ms, on_retry, self);
}

/* Takes over @error: the attempt failed; the next one comes after the wait. */
static void
attempt_failed (CwEventListener *self,
                GError          *error)
{
  gboolean ran_long = self->watch_events > 0 ||
                      (self->watch_started_at > 0 &&
                       g_get_monotonic_time () - self->watch_started_at >= RAN_LONG_US);

  self->running = FALSE;
  g_clear_object (&self->connector);
  g_clear_pointer (&self->refetch_keys, g_strfreev);
  set_connected (self, FALSE);

  /* A stream that served a while dropped: its successor is tried soon. */
  if (ran_long)
    self->failures = 0;
  self->failures++;

  g_clear_error (&self->last_error);
  self->last_error = error;
  g_message ("The change stream of %s ended (%u in a row): %s", self->connection_id,
             self->failures, error->message);

  plan_retry (self, backoff_delay_ms (self));
  g_signal_emit (self, signals[STREAM_ENDED], 0, self->last_error);
}

/* ------------------------------------------------------------------------------------- */
/* Writing, in order, off the main thread                                                */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  CwStore       *store;
  char          *connection_id;
  CwImportFlags  flags;
  GPtrArray     *items;
  /* How many items were written before a write failed (all, without a failure). */
  guint          n_written;
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_object (&batch->store);
  g_free (batch->connection_id);
  g_clear_pointer (&batch->items, g_ptr_array_unref);
  g_free (batch);
}

static void
write_batch_in_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Batch *batch = task_data;
  GError *error = NULL;

  for (batch->n_written = 0; batch->n_written < batch->items->len; batch->n_written++)
    {
      Item *item = g_ptr_array_index (batch->items, batch->n_written);
      gboolean ok;

      switch (item->kind)
        {
        case ITEM_EVENT:
          ok = cw_store_apply_event (batch->store, batch->connection_id, item->seq,
                                     item->workorder, batch->flags, &item->applied,
                                     &item->outcome, &error);
          break;
        case ITEM_IMPORT:
          ok = cw_store_import_workorder (batch->store, item->workorder, batch->flags,
                                          &item->outcome, &error);
          item->applied = ok;
          break;
        case ITEM_RESET:
          ok = cw_store_reset_event_seq (batch->store, batch->connection_id, item->seq, &error);
          item->applied = ok;
          break;
        default:
          g_assert_not_reached ();
        }

      if (!ok)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
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

/* A change the mapping refused goes on its workorder's timeline, when the store has it. */
static void
record_problem (CwEventListener *self,
                Item            *item)
{
  CwStore *store = cw_import_service_get_store (self->service);
  g_autoptr(CwTimelineEvent) event = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 id;

  g_message ("Change %" G_GINT64_FORMAT " of %s was skipped: %s", item->seq,
             self->connection_id, item->problem->message);

  if (item->dms_key == NULL)
    return;

  id = cw_store_find_workorder (store, self->connection_id, item->dms_key, NULL);
  if (id == 0)
    return;

  now = g_date_time_new_now_local ();
  event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                        "kind", CW_EVENT_SYNC_FAILED,
                        "at", now,
                        "detail", item->problem->message,
                        NULL);
  cw_store_add_event_async (store, id, event, NULL, problem_recorded_cb, NULL);
}

static void
batch_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CwEventListener *self = CW_EVENT_LISTENER (source);
  Batch *batch = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  g_task_propagate_boolean (G_TASK (result), &error);

  for (guint i = 0; i < batch->n_written; i++)
    {
      Item *item = g_ptr_array_index (batch->items, i);

      if (item->kind == ITEM_RESET)
        {
          g_debug ("%s: the change stream resumes after %" G_GINT64_FORMAT,
                   self->connection_id, item->seq);
          self->lost_seq = -1;
          continue;
        }

      if (item->kind != ITEM_EVENT || !item->applied)
        continue;

      if (item->problem != NULL)
        record_problem (self, item);
      g_signal_emit (self, signals[EVENT_APPLIED], 0, item->seq);
    }

  if (error != NULL)
    {
      /* Nothing after a failed write is written: the stream gives it again from the
       * cursor, which has not moved past it. */
      g_warning ("A change of %s could not be stored: %s", self->connection_id, error->message);
      g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
      if (self->started)
        {
          cancel_attempt (self);
          attempt_failed (self, g_steal_pointer (&error));
        }
      return;
    }

  write_next (self);
}

static void
write_next (CwEventListener *self)
{
  g_autoptr(GTask) task = NULL;
  Batch *batch;

  if (self->writing)
    return;

  if (g_queue_is_empty (&self->items))
    {
      /* Every change of the last stream is stored: the next one may start from the cursor. */
      if (self->waiting_for_writes)
        {
          self->waiting_for_writes = FALSE;
          begin_attempt (self);
        }
      return;
    }

  batch = g_new0 (Batch, 1);
  batch->store = g_object_ref (cw_import_service_get_store (self->service));
  batch->connection_id = g_strdup (self->connection_id);
  batch->flags = cw_import_service_get_import_flags (self->service, self->connection);
  batch->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  while (!g_queue_is_empty (&self->items))
    g_ptr_array_add (batch->items, g_queue_pop_head (&self->items));

  self->writing = TRUE;
  /* No cancellable: a batch that began is written, each change in its transaction. */
  task = g_task_new (self, NULL, batch_written_cb, NULL);
  g_task_set_source_tag (task, write_next);
  g_task_set_task_data (task, batch, (GDestroyNotify) batch_free);
  g_task_run_in_thread (task, write_batch_in_thread);
}

static void
push_item (CwEventListener *self,
           Item            *item)
{
  g_queue_push_tail (&self->items, item);
  write_next (self);
}

/* ------------------------------------------------------------------------------------- */
/* Refetching after lost changes                                                         */
/* ------------------------------------------------------------------------------------- */

static void refetch_next (CwEventListener *self);

typedef struct
{
  CwEventListener *self;
  guint            attempt;
} Call;

static Call *
call_new (CwEventListener *self)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->attempt = self->attempt;

  return call;
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call);
}

/* The listener, when the call is of the attempt in flight; else NULL. */
static CwEventListener *
call_current (Call *call)
{
  CwEventListener *self = call->self;

  if (!self->started || call->attempt != self->attempt)
    return NULL;

  return self;
}

static void
refetched_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;
  CwEventListener *self = call_current (call);
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GError) error = NULL;

  workorder = cw_connector_fetch_finish (CW_CONNECTOR (source), result, &error);
  if (self == NULL)
    {
      call_free (call);
      return;
    }
  call_free (call);

  if (workorder != NULL)
    {
      Item *item = g_new0 (Item, 1);

      item->kind = ITEM_IMPORT;
      item->workorder = g_steal_pointer (&workorder);
      push_item (self, item);
    }
  else if (g_error_matches (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND) ||
           g_error_matches (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED))
    {
      /* Gone or unusable: kept as it is, never deleted; the others are still fetched. */
      g_message ("%s: a workorder was not fetched again: %s", self->connection_id, error->message);
    }
  else
    {
      attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  self->refetch_next++;
  refetch_next (self);
}

static void
refetch_next (CwEventListener *self)
{
  Item *item;

  if (self->refetch_keys[self->refetch_next] != NULL)
    {
      cw_connector_fetch_async (self->connector, self->refetch_keys[self->refetch_next],
                                self->cancellable, refetched_cb, call_new (self));
      return;
    }

  /* Every workorder is as the DMS has it now: resume after the DMS's current number, once
   * they are stored (the reset is written after them). */
  g_clear_pointer (&self->refetch_keys, g_strfreev);
  item = g_new0 (Item, 1);
  item->kind = ITEM_RESET;
  item->seq = self->lost_seq;
  push_item (self, item);

  self->running = FALSE;
  g_clear_object (&self->connector);
  self->failures = 0;
  self->waiting_for_writes = TRUE;
  write_next (self);
}

static void
start_refetch (CwEventListener *self)
{
  g_autoptr(GError) error = NULL;

  g_message ("%s lost the changes since the last one applied; fetching its workorders again",
             self->connection_id);

  self->refetch_keys = cw_store_list_dms_keys (cw_import_service_get_store (self->service),
                                               self->connection_id, &error);
  if (self->refetch_keys == NULL)
    {
      attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  self->refetch_next = 0;
  refetch_next (self);
}

/* ------------------------------------------------------------------------------------- */
/* Watching                                                                              */
/* ------------------------------------------------------------------------------------- */

static void
on_event (CwConnector      *connector,
          const CwDmsEvent *event,
          gpointer          user_data)
{
  CwEventListener *self = user_data;
  Item *item;

  if (!self->started || connector != self->connector)
    return;

  self->watch_events++;

  if (g_error_matches (event->error, CW_DMS_ERROR, CW_DMS_ERROR_EVENTS_LOST))
    {
      /* The watch ends with this error next; the refetch follows. */
      self->lost_seq = event->seq;
      return;
    }

  item = g_new0 (Item, 1);
  item->kind = ITEM_EVENT;
  item->seq = event->seq;
  item->dms_key = g_strdup (event->dms_key);
  /* Not changed by the connector once handed over: the writer's thread may take it. */
  item->workorder = event->workorder != NULL ? g_object_ref (event->workorder) : NULL;
  item->problem = event->error != NULL ? g_error_copy (event->error) : NULL;
  push_item (self, item);
}

static void
watch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Call *call = user_data;
  CwEventListener *self = call_current (call);
  GError *error = NULL;

  cw_connector_watch_finish (CW_CONNECTOR (source), result, &error);
  call_free (call);
  if (self == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (error == NULL)
    error = g_error_new_literal (CW_NET_ERROR, CW_NET_ERROR_UNREACHABLE,
                                 _("The DMS ended its change stream. Claire Workshop connects "
                                   "again by itself."));

  if (g_error_matches (error, CW_DMS_ERROR, CW_DMS_ERROR_EVENTS_LOST) && self->lost_seq >= 0)
    {
      g_clear_error (&error);
      set_connected (self, FALSE);
      g_clear_object (&self->connector);
      /* The refetch starts once the changes before the gap are stored. */
      self->running = FALSE;
      self->waiting_for_writes = TRUE;
      write_next (self);
      return;
    }

  attempt_failed (self, error);
}

static void
start_watch (CwEventListener *self)
{
  g_autoptr(GError) error = NULL;
  gint64 after;

  after = cw_store_get_event_seq (cw_import_service_get_store (self->service),
                                  self->connection_id, &error);
  if (after < 0)
    {
      attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  self->watch_started_at = g_get_monotonic_time ();
  self->watch_events = 0;
  set_connected (self, TRUE);
  g_debug ("%s: following the DMS's changes after %" G_GINT64_FORMAT, self->connection_id, after);
  cw_connector_watch_async (self->connector, after, on_event, self, self->cancellable,
                            watch_done_cb, call_new (self));
}

static void
connector_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;
  CwEventListener *self = call_current (call);
  g_autoptr(CwConnector) connector = NULL;
  GError *error = NULL;

  connector = cw_import_service_get_connector_finish (CW_IMPORT_SERVICE (source), result, &error);
  call_free (call);
  if (self == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (connector == NULL)
    {
      attempt_failed (self, error);
      return;
    }

  self->connector = g_steal_pointer (&connector);
  if (self->lost_seq >= 0)
    start_refetch (self);
  else
    start_watch (self);
}

/* Opens the stream (or refetches, after lost changes) when nothing stands in the way. */
static void
begin_attempt (CwEventListener *self)
{
  if (!self->started || self->running)
    return;

  g_clear_handle_id (&self->retry_id, g_source_remove);

  if (!is_wanted (self))
    {
      set_connected (self, FALSE);
      return;
    }

  if (!network_available (self))
    {
      /* The network coming back starts the attempt. */
      self->waiting_for_network = TRUE;
      return;
    }
  self->waiting_for_network = FALSE;

  /* The cursor counts only once every change before it is stored. */
  if (self->writing || !g_queue_is_empty (&self->items))
    {
      self->waiting_for_writes = TRUE;
      return;
    }

  self->running = TRUE;
  self->watch_started_at = 0;
  self->watch_events = 0;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  cw_import_service_get_connector_async (self->service, self->connection, self->cancellable,
                                         connector_cb, call_new (self));
}

/* Starts over now: the settings changed, or the network came back. */
static void
restart (CwEventListener *self)
{
  if (!self->started)
    return;

  cancel_attempt (self);
  self->failures = 0;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  begin_attempt (self);
}

static void
on_network_changed_cb (CwEventListener *self)
{
  if (!self->started)
    return;

  if (!network_available (self))
    {
      /* A stream open now is most likely dead: closed, and opened again when it is back. */
      if (self->running)
        {
          cancel_attempt (self);
          self->waiting_for_network = TRUE;
        }
      return;
    }

  if (self->waiting_for_network)
    restart (self);
}

static void
on_connection_changed_cb (CwEventListener *self,
                          GParamSpec      *pspec)
{
  static const char * const relevant[] = { "kind", "endpoint", "ca-file", "events", NULL };

  if (g_strv_contains (relevant, pspec->name))
    restart (self);
}

/* ------------------------------------------------------------------------------------- */
/* GObject                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
cw_event_listener_dispose (GObject *object)
{
  CwEventListener *self = (CwEventListener *)object;

  cw_event_listener_stop (self);
  g_clear_object (&self->connection);
  g_clear_object (&self->monitor);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (cw_event_listener_parent_class)->dispose (object);
}

static void
cw_event_listener_finalize (GObject *object)
{
  CwEventListener *self = (CwEventListener *)object;

  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
  g_clear_error (&self->last_error);
  g_free (self->connection_id);

  G_OBJECT_CLASS (cw_event_listener_parent_class)->finalize (object);
}

static void
cw_event_listener_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CwEventListener *self = CW_EVENT_LISTENER (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_event_listener_class_init (CwEventListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cw_event_listener_dispose;
  object_class->finalize = cw_event_listener_finalize;
  object_class->get_property = cw_event_listener_get_property;

  /**
   * CwEventListener:connected:
   *
   * Whether the DMS's change stream is followed now: open or being opened. %FALSE while
   * stopped, switched off, offline, waiting to connect again or fetching the workorders
   * again after lost changes.
   */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CwEventListener::event-applied:
   * @self: the listener
   * @seq: the DMS's sequence number of the change
   *
   * A change is stored (or skipped by the cursor, when it could not be mapped), durably.
   */
  signals[EVENT_APPLIED] =
    g_signal_new ("event-applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * CwEventListener::stream-ended:
   * @self: the listener
   * @error: why; the listener connects again after cw_event_listener_get_next_delay()
   *
   * The change stream dropped or could not be opened. Not emitted by stop().
   */
  signals[STREAM_ENDED] =
    g_signal_new ("stream-ended",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cw_event_listener_init (CwEventListener *self)
{
  g_queue_init (&self->items);
  self->lost_seq = -1;
  self->first_delay_ms = CW_EVENT_LISTENER_FIRST_DELAY_MS;
  self->max_delay_ms = CW_EVENT_LISTENER_MAX_DELAY_MS;
}

/**
 * cw_event_listener_new:
 * @service: the import service (the store, the connections and their connectors)
 * @connection_id: a configured connection
 * @monitor: (nullable): the network monitor to follow; %NULL for the default one
 *
 * Returns: (transfer full) (nullable): a stopped listener, %NULL when the connection is
 *   not configured
 */
CwEventListener *
cw_event_listener_new (CwImportService *service,
                       const char      *connection_id,
                       GNetworkMonitor *monitor)
{
  CwEventListener *self;
  CwConnection *connection;

  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (service), NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);
  g_return_val_if_fail (!monitor || G_IS_NETWORK_MONITOR (monitor), NULL);

  connection = cw_import_service_find_connection (service, connection_id);
  if (connection == NULL)
    return NULL;

  self = g_object_new (CW_TYPE_EVENT_LISTENER, NULL);
  self->service = g_object_ref (service);
  self->connection_id = g_strdup (connection_id);
  self->connection = g_object_ref (connection);
  self->monitor = g_object_ref (monitor != NULL ? monitor : g_network_monitor_get_default ());

  return self;
}

const char *
cw_event_listener_get_connection_id (CwEventListener *self)
{
  g_return_val_if_fail (CW_IS_EVENT_LISTENER (self), NULL);

  return self->connection_id;
}

/**
 * cw_event_listener_start:
 * @self: a #CwEventListener
 *
 * Follows the DMS's changes from the last one the store applied, and keeps following them
 * (see the top of this file) until cw_event_listener_stop().
 */
void
cw_event_listener_start (CwEventListener *self)
{
  g_return_if_fail (CW_IS_EVENT_LISTENER (self));

  if (self->started)
    return;

  self->started = TRUE;
  self->failures = 0;
  g_signal_connect_object (self->monitor, "network-changed",
                           G_CALLBACK (on_network_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->connection, "notify",
                           G_CALLBACK (on_connection_changed_cb), self, G_CONNECT_SWAPPED);
  begin_attempt (self);
}

/**
 * cw_event_listener_stop:
 * @self: a #CwEventListener
 *
 * Closes the stream and plans nothing more. Changes already handed to the store are
 * written (each is one transaction); the ones not yet are left for the next start, which
 * the DMS gives again from the cursor.
 */
void
cw_event_listener_stop (CwEventListener *self)
{
  g_return_if_fail (CW_IS_EVENT_LISTENER (self));

  if (!self->started)
    return;

  self->started = FALSE;
  g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  cancel_attempt (self);
  self->waiting_for_network = FALSE;
  g_queue_clear_full (&self->items, (GDestroyNotify) item_free);
}

gboolean
cw_event_listener_is_started (CwEventListener *self)
{
  g_return_val_if_fail (CW_IS_EVENT_LISTENER (self), FALSE);

  return self->started;
}

gboolean
cw_event_listener_get_connected (CwEventListener *self)
{
  g_return_val_if_fail (CW_IS_EVENT_LISTENER (self), FALSE);

  return self->connected;
}

/**
 * cw_event_listener_get_failures:
 *
 * Returns: how many attempts in a row failed
 */
guint
cw_event_listener_get_failures (CwEventListener *self)
{
  g_return_val_if_fail (CW_IS_EVENT_LISTENER (self), 0);

  return self->failures;
}

/**
 * cw_event_listener_get_next_delay:
 *
 * Returns: the wait, in milliseconds, before the planned next attempt
 */
guint
cw_event_listener_get_next_delay (CwEventListener *self)
{
  g_return_val_if_fail (CW_IS_EVENT_LISTENER (self), 0);

  return self->next_delay;
}

/**
 * cw_event_listener_get_last_error:
 *
 * Returns: (transfer none) (nullable): why the last stream ended or could not be opened
 */
const GError *
cw_event_listener_get_last_error (CwEventListener *self)
{
  g_return_val_if_fail (CW_IS_EVENT_LISTENER (self), NULL);

  return self->last_error;
}

/**
 * cw_event_listener_set_backoff:
 * @first_delay_ms: the first wait after a failure
 * @max_delay_ms: the longest wait
 *
 * The defaults are %CW_EVENT_LISTENER_FIRST_DELAY_MS and %CW_EVENT_LISTENER_MAX_DELAY_MS;
 * the tests wait less.
 */
void
cw_event_listener_set_backoff (CwEventListener *self,
                               guint            first_delay_ms,
                               guint            max_delay_ms)
{
  g_return_if_fail (CW_IS_EVENT_LISTENER (self));
  g_return_if_fail (first_delay_ms <= max_delay_ms);

  self->first_delay_ms = first_delay_ms;
  self->max_delay_ms = max_delay_ms;
}
