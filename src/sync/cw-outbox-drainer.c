/* cw-outbox-drainer.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-outbox-drainer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-connector-registry.h"
#include "cw-net-error.h"
#include "cw-outbox-drainer.h"
#include "cw-writeback.h"

/*
 * The outbox drainer (DESIGN §5): sends the changes that must reach a DMS, one request
 * at a time, the entries of one workorder in the order they were made.
 *
 * Before a request goes out its entry is marked in flight; the answer moves it to sent,
 * back to pending with a time to try again, or to failed with the DMS's message. A kill
 * between the two leaves it in flight, and start() puts it back to pending: it is sent
 * again with the same idempotency key, and the DMS applies it once.
 *
 * What an error means for the entry (docs/sync.md, "Writeback"):
 * - the DMS cannot be reached (refused, no route, offline): the request never arrived;
 *   the connection pauses (1, 2, 4 … up to CW_OUTBOX_MAX_PAUSE seconds) and the attempt
 *   does not count;
 * - the DMS refused the login, or has no credentials or a wrong certificate: the same, so
 *   that nothing fails while the advisor fixes the connection (the message says what);
 * - the DMS answered with an error of its own (5xx, throttled) or did not answer in time:
 *   the attempt counts, the entry waits 2, 4, 8 … seconds (up to CW_OUTBOX_MAX_DELAY,
 *   with jitter) and fails after CW_WRITEBACK_MAX_ATTEMPTS;
 * - the DMS refused the change itself (any other 4xx, its own error, a malformed answer):
 *   failed at once, with the DMS's message; no retry storm. The advisor can retry it or
 *   dismiss it.
 *
 * The drainer also tells the store each connection's writeback policy (the dealer's
 * option and the connector's capabilities), so that changes are queued only for a
 * connection that writes them back.
 */

typedef struct
{
  gint64  until;
  guint   failures;
} Pause;

struct _CwOutboxDrainer
{
  GObject          parent_instance;

  CwImportService *service;
  GNetworkMonitor *monitor;
  GCancellable    *cancellable;
  GHashTable      *pauses;
  guint            timeout_id;
  guint            max_delay;
  guint            max_pause;
  guint            started : 1;
  guint            busy : 1;
  guint            again : 1;
};

G_DEFINE_FINAL_TYPE (CwOutboxDrainer, cw_outbox_drainer, G_TYPE_OBJECT)

enum {
  ENTRY_DONE,
  IDLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void drain (CwOutboxDrainer *self);

static void
cw_outbox_drainer_dispose (GObject *object)
{
  CwOutboxDrainer *self = (CwOutboxDrainer *)object;

  cw_outbox_drainer_stop (self);

  G_OBJECT_CLASS (cw_outbox_drainer_parent_class)->dispose (object);
}

static void
cw_outbox_drainer_finalize (GObject *object)
{
  CwOutboxDrainer *self = (CwOutboxDrainer *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->monitor);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pauses, g_hash_table_unref);

  G_OBJECT_CLASS (cw_outbox_drainer_parent_class)->finalize (object);
}

static void
cw_outbox_drainer_class_init (CwOutboxDrainerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cw_outbox_drainer_dispose;
  object_class->finalize = cw_outbox_drainer_finalize;

  /**
   * CwOutboxDrainer::entry-done:
   * @self: the drainer
   * @entry_id: the entry that was tried
   * @state: its state now, a #CwOutboxState
   *
   * Emitted when the answer to a request is stored.
   */
  signals[ENTRY_DONE] =
    g_signal_new ("entry-done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT);

  /**
   * CwOutboxDrainer::idle:
   * @self: the drainer
   *
   * Emitted when nothing is due now: the outbox is empty, or every entry waits for its
   * next attempt or for its DMS to be reachable.
   */
  signals[IDLE] =
    g_signal_new ("idle",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cw_outbox_drainer_init (CwOutboxDrainer *self)
{
  self->pauses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_delay = CW_OUTBOX_MAX_DELAY;
  self->max_pause = CW_OUTBOX_MAX_PAUSE;
}

static CwCapabilities
connection_policy (CwConnection *connection)
{
  const CwConnectorKind *kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));

  if (kind == NULL)
    return CW_CAPABILITY_NONE;

  return cw_writeback_policy (kind->capabilities, cw_connection_get_writeback (connection));
}

static void
on_writeback_changed (CwConnection    *connection,
                      GParamSpec      *pspec,
                      CwOutboxDrainer *self)
{
  cw_outbox_drainer_apply_policies (self);
}

/**
 * cw_outbox_drainer_apply_policies:
 * @self: a #CwOutboxDrainer
 *
 * Tells the store, for every configured connection, which of its changes go to the DMS.
 * Called by itself when a connection or its writeback option changes.
 */
void
cw_outbox_drainer_apply_policies (CwOutboxDrainer *self)
{
  CwStore *store;
  GListModel *connections;
  guint n_items;

  g_return_if_fail (CW_IS_OUTBOX_DRAINER (self));

  store = cw_import_service_get_store (self->service);
  connections = cw_import_service_get_connections (self->service);
  n_items = g_list_model_get_n_items (connections);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CwConnection) connection = g_list_model_get_item (connections, i);
      g_autoptr(GError) error = NULL;

      g_signal_handlers_disconnect_by_func (connection, on_writeback_changed, self);
      g_signal_connect_object (connection, "notify::writeback",
                               G_CALLBACK (on_writeback_changed), self, 0);

      if (!cw_store_set_writeback (store, cw_connection_get_id (connection),
                                   connection_policy (connection), &error))
        g_warning ("Cannot set the writeback of connection %s: %s",
                   cw_connection_get_id (connection), error->message);
    }

  drain (self);
}

static void
on_connections_changed (GListModel      *connections,
                        guint            position,
                        guint            removed,
                        guint            added,
                        CwOutboxDrainer *self)
{
  cw_outbox_drainer_apply_policies (self);
}

static void
on_store_changed (CwStore         *store,
                  CwOutboxDrainer *self)
{
  drain (self);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    CwOutboxDrainer *self)
{
  if (!available)
    return;

  /* The network is back: every DMS may be reachable again. */
  g_hash_table_remove_all (self->pauses);
  drain (self);
}

/**
 * cw_outbox_drainer_new:
 * @service: the import service, for the connections and their connectors
 * @monitor: (nullable): the network monitor; %NULL to take the network as always there
 *
 * Returns: (transfer full): a drainer, not started
 */
CwOutboxDrainer *
cw_outbox_drainer_new (CwImportService *service,
                       GNetworkMonitor *monitor)
{
  CwOutboxDrainer *self;

  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (service), NULL);
  g_return_val_if_fail (monitor == NULL || G_IS_NETWORK_MONITOR (monitor), NULL);

  self = g_object_new (CW_TYPE_OUTBOX_DRAINER, NULL);
  self->service = g_object_ref (service);
  g_set_object (&self->monitor, monitor);

  g_signal_connect_object (cw_import_service_get_connections (service), "items-changed",
                           G_CALLBACK (on_connections_changed), self, 0);
  cw_outbox_drainer_apply_policies (self);

  return self;
}

/**
 * cw_outbox_drainer_start:
 * @self: a #CwOutboxDrainer
 *
 * Puts entries left in flight by an earlier run back to pending, then sends what is due.
 */
void
cw_outbox_drainer_start (CwOutboxDrainer *self)
{
  g_autoptr(GError) error = NULL;
  CwStore *store;

  g_return_if_fail (CW_IS_OUTBOX_DRAINER (self));

  if (self->started)
    return;

  store = cw_import_service_get_store (self->service);
  if (!cw_store_recover_outbox (store, &error))
    g_warning ("Cannot recover the outbox: %s", error->message);

  self->started = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, 0);
  if (self->monitor != NULL)
    g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self, 0);

  drain (self);
}

/**
 * cw_outbox_drainer_stop:
 * @self: a #CwOutboxDrainer
 *
 * Cancels the request under way (its entry stays in flight until the next start) and
 * sends nothing more.
 */
void
cw_outbox_drainer_stop (CwOutboxDrainer *self)
{
  g_return_if_fail (CW_IS_OUTBOX_DRAINER (self));

  if (!self->started)
    return;

  self->started = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_func (cw_import_service_get_store (self->service), on_store_changed, self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, on_network_changed, self);
}

/**
 * cw_outbox_drainer_kick:
 * @self: a #CwOutboxDrainer
 *
 * Forgets the pauses of unreachable DMSs and sends what is due now.
 */
void
cw_outbox_drainer_kick (CwOutboxDrainer *self)
{
  g_return_if_fail (CW_IS_OUTBOX_DRAINER (self));

  g_hash_table_remove_all (self->pauses);
  drain (self);
}

gboolean
cw_outbox_drainer_is_busy (CwOutboxDrainer *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_DRAINER (self), FALSE);

  return self->busy;
}

/**
 * cw_outbox_drainer_set_max_delays:
 * @self: a #CwOutboxDrainer
 * @max_delay: the longest wait after an error of the DMS, seconds
 * @max_pause: the longest pause while a DMS cannot be reached, seconds
 *
 * For tests, which cannot wait minutes.
 */
void
cw_outbox_drainer_set_max_delays (CwOutboxDrainer *self,
                                  guint            max_delay,
                                  guint            max_pause)
{
  g_return_if_fail (CW_IS_OUTBOX_DRAINER (self));

  self->max_delay = MAX (max_delay, 1);
  self->max_pause = MAX (max_pause, 1);
}

static gboolean
on_timeout (gpointer user_data)
{
  CwOutboxDrainer *self = user_data;

  self->timeout_id = 0;
  drain (self);

  return G_SOURCE_REMOVE;
}

static gboolean
network_available (CwOutboxDrainer *self)
{
  return self->monitor == NULL || g_network_monitor_get_network_available (self->monitor);
}

/* Unix seconds until which the connection waits, 0 when it does not. */
static gint64
paused_until (CwOutboxDrainer *self,
              const char      *connection_id)
{
  Pause *pause = g_hash_table_lookup (self->pauses, connection_id);

  return pause != NULL ? pause->until : 0;
}

typedef struct
{
  CwOutboxDrainer *self;
  CwOutboxEntry   *entry;
  CwConnector     *connector;
  char            *dms_ref;
  GError          *error;
  CwOutboxState    state;
} Send;

static void
send_free (Send *send)
{
  g_clear_object (&send->self);
  g_clear_object (&send->entry);
  g_clear_object (&send->connector);
  g_clear_pointer (&send->dms_ref, g_free);
  g_clear_error (&send->error);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

static void
send_done (Send *send)
{
  CwOutboxDrainer *self = send->self;

  self->busy = FALSE;
  g_signal_emit (self, signals[ENTRY_DONE], 0, cw_outbox_entry_get_id (send->entry), (int) send->state);
  send_free (send);
  drain (self);
}

static void
on_update_stored (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;

  if (!cw_store_update_outbox_finish (CW_STORE (object), result, &error))
    g_warning ("Cannot record the answer to outbox entry %" G_GINT64_FORMAT ": %s",
               cw_outbox_entry_get_id (send->entry), error->message);

  send_done (send);
}

static void
store_update (Send                  *send,
              const CwOutboxUpdate  *update,
              CwOutboxState          state)
{
  send->state = state;
  /* Not cancellable: the answer of a request that went out must be kept. */
  cw_store_update_outbox_async (cw_import_service_get_store (send->self->service),
                                cw_outbox_entry_get_id (send->entry), update, NULL,
                                on_update_stored, send);
}

typedef enum
{
  OUTCOME_PAUSE,
  OUTCOME_RETRY,
  OUTCOME_FAIL,
} Outcome;

static Outcome
classify (const GError *error)
{
  if (error->domain == CW_NET_ERROR)
    switch ((CwNetError) error->code)
      {
      case CW_NET_ERROR_UNREACHABLE:
      case CW_NET_ERROR_TLS:
      case CW_NET_ERROR_UNAUTHORIZED:
        return OUTCOME_PAUSE;
      case CW_NET_ERROR_TIMEOUT:
      case CW_NET_ERROR_THROTTLED:
      case CW_NET_ERROR_SERVER:
        return OUTCOME_RETRY;
      case CW_NET_ERROR_FORBIDDEN:
      case CW_NET_ERROR_NOT_FOUND:
      case CW_NET_ERROR_REQUEST:
      case CW_NET_ERROR_TOO_LARGE:
      case CW_NET_ERROR_MALFORMED:
      default:
        return OUTCOME_FAIL;
      }

  if (error->domain == CW_DMS_ERROR)
    switch ((CwDmsError) error->code)
      {
      case CW_DMS_ERROR_LOGIN:
      case CW_DMS_ERROR_NO_CREDENTIALS:
      case CW_DMS_ERROR_CONFIGURATION:
        return OUTCOME_PAUSE;
      case CW_DMS_ERROR_NOT_FOUND:
      case CW_DMS_ERROR_NO_LABOUR:
      case CW_DMS_ERROR_MALFORMED:
      case CW_DMS_ERROR_UNSUPPORTED:
      case CW_DMS_ERROR_DMS:
      case CW_DMS_ERROR_EVENTS_LOST:
      default:
        return OUTCOME_FAIL;
      }

  /* The network stack's own errors before the net layer could name them. */
  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR)
    return OUTCOME_PAUSE;

  return OUTCOME_FAIL;
}

static void
handle_error (Send *send)
{
  CwOutboxDrainer *self = send->self;
  const char *connection_id = cw_outbox_entry_get_connection_id (send->entry);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  CwOutboxUpdate update = { 0 };

  update.message = send->error->message;

  switch (classify (send->error))
    {
    case OUTCOME_PAUSE:
      {
        Pause *pause = g_hash_table_lookup (self->pauses, connection_id);

        if (pause == NULL)
          {
            pause = g_new0 (Pause, 1);
            g_hash_table_insert (self->pauses, g_strdup (connection_id), pause);
          }
        pause->failures++;
        pause->until = now + cw_writeback_backoff (pause->failures - 1, self->max_pause, g_random_double ());

        update.transition = CW_OUTBOX_DEFER;
        update.counts_attempt = FALSE;
        update.next_attempt_at = pause->until;
        store_update (send, &update, CW_OUTBOX_PENDING);
        return;
      }

    case OUTCOME_RETRY:
      {
        guint attempts = cw_outbox_entry_get_attempts (send->entry) + 1;

        update.counts_attempt = TRUE;
        if (attempts >= CW_WRITEBACK_MAX_ATTEMPTS)
          {
            update.transition = CW_OUTBOX_MARK_FAILED;
            store_update (send, &update, CW_OUTBOX_FAILED);
          }
        else
          {
            update.transition = CW_OUTBOX_DEFER;
            update.next_attempt_at = now + cw_writeback_backoff (attempts, self->max_delay, g_random_double ());
            store_update (send, &update, CW_OUTBOX_PENDING);
          }
        return;
      }

    case OUTCOME_FAIL:
    default:
      update.transition = CW_OUTBOX_MARK_FAILED;
      update.counts_attempt = TRUE;
      store_update (send, &update, CW_OUTBOX_FAILED);
      return;
    }
}

static void
on_written (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Send *send = user_data;
  CwOutboxUpdate update = { 0 };

  if (!cw_connector_write_finish (CW_CONNECTOR (object), result, &send->dms_ref, &send->error))
    {
      if (g_error_matches (send->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Stopped: the entry stays in flight and goes back to pending at the next start. */
          send->state = CW_OUTBOX_INFLIGHT;
          send_done (send);
          return;
        }

      handle_error (send);
      return;
    }

  g_hash_table_remove (send->self->pauses, cw_outbox_entry_get_connection_id (send->entry));

  update.transition = CW_OUTBOX_MARK_SENT;
  update.dms_ref = send->dms_ref;
  store_update (send, &update, CW_OUTBOX_SENT);
}

static void
on_connector (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Send *send = user_data;

  send->connector = cw_import_service_get_connector_finish (CW_IMPORT_SERVICE (object), result, &send->error);
  if (send->connector == NULL)
    {
      if (g_error_matches (send->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          send->state = CW_OUTBOX_INFLIGHT;
          send_done (send);
          return;
        }

      handle_error (send);
      return;
    }

  cw_connector_write_async (send->connector, send->entry, send->self->cancellable, on_written, send);
}

static void
on_begun (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Send *send = user_data;
  CwOutboxDrainer *self = send->self;
  g_autoptr(GError) error = NULL;
  CwConnection *connection;

  if (!cw_store_update_outbox_finish (CW_STORE (object), result, &error))
    {
      /* Dismissed or changed meanwhile: look again. */
      send->state = cw_outbox_entry_get_state (send->entry);
      send_done (send);
      return;
    }

  connection = cw_import_service_find_connection (self->service, cw_outbox_entry_get_connection_id (send->entry));
  if (connection == NULL || !self->started)
    {
      CwOutboxUpdate update = { CW_OUTBOX_DEFER, NULL, NULL, 0, FALSE };

      /* Stopped, or the connection is gone: keep it pending; a new connection with the
       * same id takes it up. */
      update.message = connection == NULL ? _("The DMS connection of this workorder is no longer configured: add it again in Preferences to send this change.") : NULL;
      update.next_attempt_at = g_get_real_time () / G_USEC_PER_SEC + self->max_pause;
      store_update (send, &update, CW_OUTBOX_PENDING);
      return;
    }

  cw_import_service_get_connector_async (self->service, connection, self->cancellable, on_connector, send);
}

/* Whether the connection still writes this kind of change back (the dealer may have
 * turned writeback off after the change was queued: then it waits, and the page says so). */
static gboolean
still_allowed (CwOutboxDrainer *self,
               CwOutboxEntry   *entry)
{
  CwConnection *connection = cw_import_service_find_connection (self->service,
                                                                cw_outbox_entry_get_connection_id (entry));

  if (connection == NULL)
    return TRUE;

  return cw_writeback_policy_allows (connection_policy (connection), cw_outbox_entry_get_kind (entry));
}

static void
drain (CwOutboxDrainer *self)
{
  g_autoptr(GPtrArray) heads = NULL;
  g_autoptr(GError) error = NULL;
  CwOutboxEntry *next = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 wake = G_MAXINT64;
  Send *send;

  if (!self->started)
    return;

  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  self->again = FALSE;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (!network_available (self))
    return;

  heads = cw_store_list_outbox_heads (cw_import_service_get_store (self->service), &error);
  if (heads == NULL)
    {
      g_warning ("Cannot read the outbox: %s", error->message);
      return;
    }

  for (guint i = 0; i < heads->len; i++)
    {
      CwOutboxEntry *entry = g_ptr_array_index (heads, i);
      GDateTime *due_at = cw_outbox_entry_get_next_attempt_at (entry);
      gint64 due = due_at != NULL ? g_date_time_to_unix (due_at) : 0;

      if (cw_outbox_entry_get_state (entry) != CW_OUTBOX_PENDING || !still_allowed (self, entry))
        continue;

      due = MAX (due, paused_until (self, cw_outbox_entry_get_connection_id (entry)));
      if (due <= now)
        {
          next = entry;
          break;
        }
      wake = MIN (wake, due);
    }

  if (next == NULL)
    {
      if (wake != G_MAXINT64)
        self->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) CLAMP (wake - now, 1, G_MAXINT),
                                                       on_timeout, self, NULL);
      g_signal_emit (self, signals[IDLE], 0);
      return;
    }

  self->busy = TRUE;
  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->entry = g_object_ref (next);
  send->state = CW_OUTBOX_PENDING;

  {
    CwOutboxUpdate update = { CW_OUTBOX_BEGIN, NULL, NULL, 0, FALSE };

    cw_store_update_outbox_async (cw_import_service_get_store (self->service),
                                  cw_outbox_entry_get_id (next), &update, NULL, on_begun, send);
  }
}

static void
on_advisor_update (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cw_store_update_outbox_finish (CW_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
advisor_update_async (CwOutboxDrainer     *self,
                      gint64               entry_id,
                      CwOutboxTransition   transition,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  CwOutboxUpdate update = { transition, NULL, NULL, 0, FALSE };
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (transition == CW_OUTBOX_RETRY)
    g_hash_table_remove_all (self->pauses);
  cw_store_update_outbox_async (cw_import_service_get_store (self->service), entry_id, &update,
                                cancellable, on_advisor_update, task);
}

/**
 * cw_outbox_drainer_retry_async:
 * @self: a #CwOutboxDrainer
 * @entry_id: a failed entry
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the entry is pending again
 * @user_data: data for @callback
 *
 * The advisor's "Try Again": the entry goes back to pending with a fresh count of
 * attempts and the same idempotency key, and is sent at once if its DMS is reachable.
 */
void
cw_outbox_drainer_retry_async (CwOutboxDrainer     *self,
                               gint64               entry_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CW_IS_OUTBOX_DRAINER (self));

  advisor_update_async (self, entry_id, CW_OUTBOX_RETRY, cw_outbox_drainer_retry_async,
                        cancellable, callback, user_data);
}

gboolean
cw_outbox_drainer_retry_finish (CwOutboxDrainer  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cw_outbox_drainer_dismiss_async:
 * @self: a #CwOutboxDrainer
 * @entry_id: a failed or pending entry
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the entry is dismissed
 * @user_data: data for @callback
 *
 * The advisor's "Dismiss": the change stays in the app and is not sent.
 */
void
cw_outbox_drainer_dismiss_async (CwOutboxDrainer     *self,
                                 gint64               entry_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CW_IS_OUTBOX_DRAINER (self));

  advisor_update_async (self, entry_id, CW_OUTBOX_DISMISS, cw_outbox_drainer_dismiss_async,
                        cancellable, callback, user_data);
}

gboolean
cw_outbox_drainer_dismiss_finish (CwOutboxDrainer  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
