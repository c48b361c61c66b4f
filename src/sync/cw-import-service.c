/* cw-import-service.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-import-service"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-connector-registry.h"
#include "cw-import-service.h"
#include "cw-text.h"

/*
 * The import services the UI calls (DESIGN §6): search-import (what the advisor typed →
 * the connector → mapped workorders → one store transaction → the stored workorder) and
 * the refresh of one workorder. Connectors are made on first use, from the connection and
 * its credentials in the keyring, and kept until the connection changes. A failure never
 * deletes or blanks anything: the store is only written with what the DMS returned, and a
 * failed refresh is recorded on the workorder's timeline.
 */

struct _CwImportService
{
  GObject      parent_instance;

  CwStore     *store;
  GListModel  *connections;
  GHashTable  *connectors;
};

G_DEFINE_FINAL_TYPE (CwImportService, cw_import_service, G_TYPE_OBJECT)

static void
cw_import_service_dispose (GObject *object)
{
  CwImportService *self = (CwImportService *)object;

  g_clear_pointer (&self->connectors, g_hash_table_unref);
  g_clear_object (&self->connections);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cw_import_service_parent_class)->dispose (object);
}

static void
cw_import_service_class_init (CwImportServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cw_import_service_dispose;
}

static void
cw_import_service_init (CwImportService *self)
{
  self->connectors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * cw_import_service_new:
 * @store: the local store
 * @connections: a #GListModel of #CwConnection: the configured connections
 *
 * Returns: (transfer full): the service
 */
CwImportService *
cw_import_service_new (CwStore    *store,
                       GListModel *connections)
{
  CwImportService *self;

  g_return_val_if_fail (CW_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (connections), NULL);

  self = g_object_new (CW_TYPE_IMPORT_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->connections = g_object_ref (connections);

  return self;
}

/**
 * cw_import_service_get_store:
 *
 * Returns: (transfer none): the store
 */
CwStore *
cw_import_service_get_store (CwImportService *self)
{
  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (self), NULL);

  return self->store;
}

/**
 * cw_import_service_get_connections:
 *
 * Returns: (transfer none): the configured connections
 */
GListModel *
cw_import_service_get_connections (CwImportService *self)
{
  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (self), NULL);

  return self->connections;
}

/**
 * cw_import_service_find_connection:
 * @connection_id: (nullable): a connection id
 *
 * Returns: (transfer none) (nullable): the configured connection with that id
 */
CwConnection *
cw_import_service_find_connection (CwImportService *self,
                                   const char      *connection_id)
{
  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (self), NULL);

  for (guint i = 0; connection_id != NULL && i < g_list_model_get_n_items (self->connections); i++)
    {
      g_autoptr(CwConnection) connection = g_list_model_get_item (self->connections, i);

      if (g_strcmp0 (cw_connection_get_id (connection), connection_id) == 0)
        return connection;
    }

  return NULL;
}

/**
 * cw_import_service_get_import_flags:
 * @connection: a connection
 *
 * Returns: the store flags for imports from @connection: DMS changes after work started
 *   only when its DMS offers that and the dealer chose it
 */
CwImportFlags
cw_import_service_get_import_flags (CwImportService *self,
                                    CwConnection    *connection)
{
  const CwConnectorKind *kind;

  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (self), CW_IMPORT_FLAGS_NONE);
  g_return_val_if_fail (CW_IS_CONNECTION (connection), CW_IMPORT_FLAGS_NONE);

  kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));
  if (kind != NULL &&
      (kind->capabilities & CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED) &&
      cw_connection_get_import_after_work_started (connection))
    return CW_IMPORT_AFTER_WORK_STARTED;

  return CW_IMPORT_FLAGS_NONE;
}

/**
 * cw_import_service_forget_connector:
 * @connection_id: a connection id
 *
 * Drops the connector made for a connection, so that the next use makes a new one with
 * the current settings and credentials (after the preferences changed them).
 */
void
cw_import_service_forget_connector (CwImportService *self,
                                    const char      *connection_id)
{
  g_return_if_fail (CW_IS_IMPORT_SERVICE (self));

  g_hash_table_remove (self->connectors, connection_id);
}

static void
on_connection_changed_cb (CwConnection    *connection,
                          GParamSpec      *pspec,
                          CwImportService *self)
{
  cw_import_service_forget_connector (self, cw_connection_get_id (connection));
}

static void
credentials_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CwConnection *connection = CW_CONNECTION (source);
  g_autoptr(GTask) task = user_data;
  CwImportService *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) credentials = NULL;
  g_autoptr(CwConnector) connector = NULL;
  GError *error = NULL;

  credentials = cw_connection_lookup_credentials_finish (connection, result, &error);
  if (credentials == NULL ||
      !(connector = cw_connector_new_for_connection (connection, credentials, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_hash_table_replace (self->connectors, g_strdup (cw_connection_get_id (connection)),
                        g_object_ref (connector));
  g_signal_connect_object (connection, "notify", G_CALLBACK (on_connection_changed_cb), self, 0);

  g_task_return_pointer (task, g_steal_pointer (&connector), g_object_unref);
}

/**
 * cw_import_service_get_connector_async:
 * @connection: a configured connection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the connector is ready
 * @user_data: data for @callback
 *
 * The connector for @connection: the one made before, or a new one made with the
 * credentials from the keyring.
 */
void
cw_import_service_get_connector_async (CwImportService     *self,
                                       CwConnection        *connection,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CwConnector *connector;

  g_return_if_fail (CW_IS_IMPORT_SERVICE (self));
  g_return_if_fail (CW_IS_CONNECTION (connection));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_import_service_get_connector_async);

  connector = g_hash_table_lookup (self->connectors, cw_connection_get_id (connection));
  if (connector != NULL)
    {
      g_task_return_pointer (task, g_object_ref (connector), g_object_unref);
      return;
    }

  cw_connection_lookup_credentials_async (connection, cancellable, credentials_cb,
                                          g_steal_pointer (&task));
}

/**
 * cw_import_service_get_connector_finish:
 *
 * Returns: (transfer full) (nullable): the connector, or %NULL with @error set
 */
CwConnector *
cw_import_service_get_connector_finish (CwImportService  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* What an import hands back: the stored workorder and what happened to it. */
typedef struct
{
  gint64          workorder_id;
  CwImportOutcome outcome;
} ImportResult;

static void
return_import_result (GTask           *task,
                      gint64           workorder_id,
                      CwImportOutcome  outcome)
{
  ImportResult result = { workorder_id, outcome };

  g_task_return_pointer (task, g_memdup2 (&result, sizeof result), g_free);
}

static gint64
propagate_import_result (GAsyncResult     *result,
                         CwImportOutcome  *outcome,
                         GError          **error)
{
  g_autofree ImportResult *import = g_task_propagate_pointer (G_TASK (result), error);

  if (import == NULL)
    return 0;

  if (outcome != NULL)
    *outcome = import->outcome;

  return import->workorder_id;
}

static gboolean
return_unknown_connection (GTask      *task,
                           const char *connection_id)
{
  g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
                           _("No DMS connection “%s” is set up. Add it in Preferences."),
                           connection_id != NULL ? connection_id : "");
  return FALSE;
}

/*
 * Search-import
 */

typedef struct
{
  CwConnection *connection;
  CwDmsQuery   *query;
  GPtrArray    *workorders;
} SearchImport;

static void
search_import_free (SearchImport *state)
{
  g_clear_object (&state->connection);
  g_clear_pointer (&state->query, cw_dms_query_free);
  g_clear_pointer (&state->workorders, g_ptr_array_unref);
  g_free (state);
}

/* The workorder to open: the one with the typed WO number, else the appointment nearest to now. */
static guint
best_match (SearchImport *state)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GTimeSpan best_distance = G_MAXINT64;
  guint best = 0;

  for (guint i = 0; i < state->workorders->len; i++)
    {
      CwWorkorder *workorder = g_ptr_array_index (state->workorders, i);
      g_autofree char *number = cw_text_compact (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER));
      GDateTime *appointment = cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT);
      GTimeSpan distance;

      if (state->query->wo_number != NULL && g_ascii_strcasecmp (number, state->query->wo_number) == 0)
        return i;

      distance = appointment != NULL ? ABS (g_date_time_difference (appointment, now)) : G_MAXINT64 - 1;
      if (distance < best_distance)
        {
          best_distance = distance;
          best = i;
        }
    }

  return best;
}

static void
search_import_stored_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchImport *state = g_task_get_task_data (task);
  g_autoptr(GArray) outcomes = NULL;
  GError *error = NULL;
  guint best;

  outcomes = cw_store_import_workorders_finish (CW_STORE (source), result, &error);
  if (outcomes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  best = best_match (state);
  return_import_result (task, cw_workorder_get_id (g_ptr_array_index (state->workorders, best)),
                        g_array_index (outcomes, CwImportOutcome, best));
}

static void
search_import_found_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwImportService *self = g_task_get_source_object (task);
  SearchImport *state = g_task_get_task_data (task);
  GError *error = NULL;

  GCancellable *cancellable;

  state->workorders = cw_connector_search_finish (CW_CONNECTOR (source), result, &error);
  if (state->workorders == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  cw_store_import_workorders_async (self->store, state->workorders,
                                    cw_import_service_get_import_flags (self, state->connection),
                                    cancellable, search_import_stored_cb, g_steal_pointer (&task));
}

static void
search_import_connector_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchImport *state = g_task_get_task_data (task);
  g_autoptr(CwConnector) connector = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  connector = cw_import_service_get_connector_finish (CW_IMPORT_SERVICE (source), result, &error);
  if (connector == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  cw_connector_search_async (connector, state->query, cancellable,
                             search_import_found_cb, g_steal_pointer (&task));
}

/**
 * cw_import_service_search_import_async:
 * @connection_id: the connection to import from
 * @text: what the advisor typed: a WO number or a plate in any spelling
 * @cancellable: (nullable): cancels the import; nothing is stored then
 * @callback: called when the workorder is stored
 * @user_data: data for @callback
 *
 * Finds @text in the DMS, maps what it finds and stores it in one transaction. When a
 * plate finds several workorders, all are stored and the nearest appointment is returned.
 */
void
cw_import_service_search_import_async (CwImportService     *self,
                                       const char          *connection_id,
                                       const char          *text,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CwConnection *connection;
  SearchImport *state;

  g_return_if_fail (CW_IS_IMPORT_SERVICE (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_import_service_search_import_async);

  connection = cw_import_service_find_connection (self, connection_id);
  if (connection == NULL)
    {
      return_unknown_connection (task, connection_id);
      return;
    }

  state = g_new0 (SearchImport, 1);
  state->connection = g_object_ref (connection);
  state->query = cw_dms_query_new (text);
  g_task_set_task_data (task, state, (GDestroyNotify) search_import_free);

  cw_import_service_get_connector_async (self, connection, cancellable,
                                         search_import_connector_cb, g_steal_pointer (&task));
}

/**
 * cw_import_service_search_import_finish:
 * @outcome: (out) (optional): whether the workorder was new, updated or unchanged
 *
 * Returns: the id of the stored workorder to open, or 0 with @error set
 */
gint64
cw_import_service_search_import_finish (CwImportService  *self,
                                        GAsyncResult     *result,
                                        CwImportOutcome  *outcome,
                                        GError          **error)
{
  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  return propagate_import_result (result, outcome, error);
}

/*
 * Refresh of one workorder
 */

typedef struct
{
  gint64        workorder_id;
  char         *dms_key;
  CwConnection *connection;
  CwWorkorder  *fetched;
  GError       *failure;
} Refresh;

static void
refresh_free (Refresh *state)
{
  g_free (state->dms_key);
  g_clear_object (&state->connection);
  g_clear_object (&state->fetched);
  g_clear_error (&state->failure);
  g_free (state);
}

static void
failure_recorded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *state = g_task_get_task_data (task);
  g_autoptr(GError) record_error = NULL;

  if (!cw_store_add_event_finish (CW_STORE (source), result, &record_error))
    g_warning ("A failed refresh could not be recorded: %s", record_error->message);

  g_task_return_error (task, g_steal_pointer (&state->failure));
}

/* Records the failure on the workorder's timeline, then reports it. */
static void
refresh_fail (GTask  *task,
              GError *error)
{
  CwImportService *self = g_task_get_source_object (task);
  Refresh *state = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(CwTimelineEvent) event = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  now = g_date_time_new_now_local ();
  event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                        "kind", CW_EVENT_SYNC_FAILED,
                        "at", now,
                        "detail", error->message,
                        NULL);
  state->failure = error;
  cw_store_add_event_async (self->store, state->workorder_id, event, NULL,
                            failure_recorded_cb, task);
}

static void
refresh_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *state = g_task_get_task_data (task);
  g_autoptr(GArray) outcomes = NULL;
  GError *error = NULL;

  outcomes = cw_store_import_workorders_finish (CW_STORE (source), result, &error);
  if (outcomes == NULL)
    {
      refresh_fail (g_steal_pointer (&task), error);
      return;
    }

  return_import_result (task, cw_workorder_get_id (state->fetched),
                        g_array_index (outcomes, CwImportOutcome, 0));
}

static void
refresh_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwImportService *self = g_task_get_source_object (task);
  Refresh *state = g_task_get_task_data (task);
  g_autoptr(GPtrArray) one = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  state->fetched = cw_connector_fetch_finish (CW_CONNECTOR (source), result, &error);
  if (state->fetched == NULL)
    {
      refresh_fail (g_steal_pointer (&task), error);
      return;
    }

  one = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (one, g_object_ref (state->fetched));
  cancellable = g_task_get_cancellable (task);
  cw_store_import_workorders_async (self->store, one,
                                    cw_import_service_get_import_flags (self, state->connection) |
                                    CW_IMPORT_RECORD_REFRESH,
                                    cancellable, refresh_stored_cb, g_steal_pointer (&task));
}

static void
refresh_connector_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *state = g_task_get_task_data (task);
  g_autoptr(CwConnector) connector = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  connector = cw_import_service_get_connector_finish (CW_IMPORT_SERVICE (source), result, &error);
  if (connector == NULL)
    {
      refresh_fail (g_steal_pointer (&task), error);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  cw_connector_fetch_async (connector, state->dms_key, cancellable,
                            refresh_fetched_cb, g_steal_pointer (&task));
}

/**
 * cw_import_service_refresh_async:
 * @workorder_id: a stored workorder
 * @cancellable: (nullable): cancels the refresh; nothing is stored then
 * @callback: called when the refresh is done
 * @user_data: data for @callback
 *
 * Fetches the workorder from its DMS again and stores it. Whether it was updated, was
 * unchanged or kept its DMS data because work started is the outcome; every refresh and
 * every failure is recorded on the workorder's timeline.
 */
void
cw_import_service_refresh_async (CwImportService     *self,
                                 gint64               workorder_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;
  GError *error = NULL;
  CwConnection *connection;
  Refresh *state;

  g_return_if_fail (CW_IS_IMPORT_SERVICE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_import_service_refresh_async);

  workorder = cw_store_load_workorder (self->store, workorder_id, &error);
  if (workorder == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  state = g_new0 (Refresh, 1);
  state->workorder_id = workorder_id;
  state->dms_key = g_strdup (cw_workorder_get_identity (workorder));
  g_task_set_task_data (task, state, (GDestroyNotify) refresh_free);

  connection = cw_import_service_find_connection (self, cw_workorder_get_field (workorder, CW_WORKORDER_CONNECTION_ID));
  if (connection == NULL)
    {
      g_set_error (&error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
                   _("This workorder came from a DMS connection that is no longer set up (“%s”). Add it again in Preferences to refresh it."),
                   cw_workorder_get_field (workorder, CW_WORKORDER_CONNECTION_ID));
      refresh_fail (g_steal_pointer (&task), error);
      return;
    }

  state->connection = g_object_ref (connection);
  cw_import_service_get_connector_async (self, connection, cancellable,
                                         refresh_connector_cb, g_steal_pointer (&task));
}

/**
 * cw_import_service_refresh_finish:
 * @outcome: (out) (optional): updated, unchanged, or frozen because work started
 *
 * Returns: %TRUE if the DMS answered and the answer was stored
 */
gboolean
cw_import_service_refresh_finish (CwImportService  *self,
                                  GAsyncResult     *result,
                                  CwImportOutcome  *outcome,
                                  GError          **error)
{
  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return propagate_import_result (result, outcome, error) > 0;
}
