/* cw-connector.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-connector"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cw-connector.h"
#include "cw-connector-registry.h"
#include "cw-plate.h"
#include "cw-text.h"

/*
 * The connector interface (DESIGN §3): one DMS's client bound to one connection. The
 * wrappers below check the capability before calling into the connector, so a caller
 * asking a keep-importing-only DMS to search gets a clear error rather than a crash.
 */

G_DEFINE_QUARK (cw-dms-error-quark, cw_dms_error)

G_DEFINE_INTERFACE (CwConnector, cw_connector, G_TYPE_OBJECT)

static void
cw_connector_default_init (CwConnectorInterface *iface)
{
  /**
   * CwConnector:connection:
   *
   * The connection the connector serves: its endpoint and the dealer's options.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_object ("connection", NULL, NULL,
                                                            CW_TYPE_CONNECTION,
                                                            G_PARAM_READWRITE |
                                                            G_PARAM_CONSTRUCT_ONLY |
                                                            G_PARAM_STATIC_STRINGS));
}

/**
 * cw_dms_query_new:
 * @text: what the advisor typed
 *
 * Reads @text as a WO number (letters and digits, upper case) and, when it is a Dutch or
 * Belgian plate in any spelling, as that plate. Either may be %NULL: a name is neither.
 *
 * Returns: (transfer full): the query
 */
CwDmsQuery *
cw_dms_query_new (const char *text)
{
  CwDmsQuery *query = g_new0 (CwDmsQuery, 1);
  g_autofree char *compact = NULL;
  CwPlate plate;

  query->text = cw_text_dup_stripped (text);
  if (query->text == NULL)
    query->text = g_strdup ("");

  compact = cw_text_compact (query->text);
  /* A WO number has at least one digit; "jansen" is a name, not a number. */
  if (*compact != '\0' && strpbrk (compact, "0123456789") != NULL)
    query->wo_number = g_ascii_strup (compact, -1);

  if (cw_plate_parse (query->text, &plate, NULL) && plate.kind != CW_PLATE_KIND_OTHER)
    query->plate = g_strdup (plate.compact);

  return query;
}

void
cw_dms_query_free (CwDmsQuery *query)
{
  if (query == NULL)
    return;

  g_free (query->text);
  g_free (query->wo_number);
  g_free (query->plate);
  g_free (query);
}

/**
 * cw_dms_problem_new:
 * @dms_key: (nullable): the identity of the workorder, as far as it could be read
 * @wo_number: (nullable): its WO number
 * @error: (transfer full): why it could not be used
 *
 * Returns: (transfer full): the problem
 */
CwDmsProblem *
cw_dms_problem_new (const char *dms_key,
                    const char *wo_number,
                    GError     *error)
{
  CwDmsProblem *problem = g_new0 (CwDmsProblem, 1);

  problem->dms_key = g_strdup (dms_key);
  problem->wo_number = g_strdup (wo_number);
  problem->error = error;

  return problem;
}

void
cw_dms_problem_free (CwDmsProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->dms_key);
  g_free (problem->wo_number);
  g_clear_error (&problem->error);
  g_free (problem);
}

/**
 * cw_connector_get_connection:
 * @self: a #CwConnector
 *
 * Returns: (transfer none): the connection
 */
CwConnection *
cw_connector_get_connection (CwConnector *self)
{
  CwConnection *connection = NULL;

  g_return_val_if_fail (CW_IS_CONNECTOR (self), NULL);

  g_object_get (self, "connection", &connection, NULL);
  /* The connector holds its connection for its whole life. */
  g_object_unref (connection);

  return connection;
}

CwCapabilities
cw_connector_get_capabilities (CwConnector *self)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), CW_CAPABILITY_NONE);

  return CW_CONNECTOR_GET_IFACE (self)->get_capabilities (self);
}

gboolean
cw_connector_can (CwConnector    *self,
                  CwCapabilities  capability)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), FALSE);

  return (cw_connector_get_capabilities (self) & capability) == capability;
}

/* What a connector cannot do, for the message that says so. */
typedef enum
{
  UNSUPPORTED_SEARCH,
  UNSUPPORTED_FETCH,
  UNSUPPORTED_LIST_DAYS,
  UNSUPPORTED_WRITE,
  UNSUPPORTED_WATCH,
} Unsupported;

static void
report_unsupported (CwConnector         *self,
                    gpointer             source_tag,
                    Unsupported          what,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  CwConnection *connection = cw_connector_get_connection (self);
  const CwConnectorKind *kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));
  const char *label = kind != NULL ? g_dgettext (GETTEXT_PACKAGE, kind->label) : cw_connection_get_kind (connection);
  g_autofree char *message = NULL;

  /* One whole sentence per case, so that translations need not assemble one. */
  switch (what)
    {
    case UNSUPPORTED_SEARCH:
      /* Translators: %s is the name of a DMS */
      message = g_strdup_printf (_("%s cannot import a single workorder on request: its workorders are imported by themselves, every few minutes."), label);
      break;
    case UNSUPPORTED_FETCH:
      /* Translators: %s is the name of a DMS */
      message = g_strdup_printf (_("%s cannot refresh a single workorder: its workorders are imported by themselves, every few minutes."), label);
      break;
    case UNSUPPORTED_LIST_DAYS:
      /* Translators: %s is the name of a DMS */
      message = g_strdup_printf (_("%s cannot send the workorders of a period by itself: import a workorder by typing its number or registration in the search."), label);
      break;
    case UNSUPPORTED_WRITE:
      /* Translators: %s is the name of a DMS */
      message = g_strdup_printf (_("%s cannot take this change from Claire Workshop: it stays in the app only. Enter it in the DMS if the DMS needs it."), label);
      break;
    case UNSUPPORTED_WATCH:
      /* Translators: %s is the name of a DMS */
      message = g_strdup_printf (_("%s does not send its changes by itself: its workorders are imported on request or every few minutes."), label);
      break;
    default:
      g_assert_not_reached ();
    }

  g_task_report_new_error (self, callback, user_data, source_tag,
                           CW_DMS_ERROR, CW_DMS_ERROR_UNSUPPORTED, "%s", message);
}

void
cw_connector_check_async (CwConnector         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (CW_IS_CONNECTOR (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  CW_CONNECTOR_GET_IFACE (self)->check_async (self, cancellable, callback, user_data);
}

gboolean
cw_connector_check_finish (CwConnector   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), FALSE);

  return CW_CONNECTOR_GET_IFACE (self)->check_finish (self, result, error);
}

/**
 * cw_connector_search_async:
 * @self: a #CwConnector
 * @query: what to look for
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the search is done
 * @user_data: data for @callback
 *
 * Finds and fetches, whole, the workorders matching @query (search-import).
 */
void
cw_connector_search_async (CwConnector         *self,
                           const CwDmsQuery    *query,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  CwConnectorInterface *iface;

  g_return_if_fail (CW_IS_CONNECTOR (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  iface = CW_CONNECTOR_GET_IFACE (self);
  if (iface->search_async == NULL || !cw_connector_can (self, CW_CAPABILITY_SEARCH_IMPORT))
    {
      report_unsupported (self, cw_connector_search_async, UNSUPPORTED_SEARCH,
                          callback, user_data);
      return;
    }

  iface->search_async (self, query, cancellable, callback, user_data);
}

/**
 * cw_connector_search_finish:
 *
 * Returns: (transfer full) (element-type CwWorkorder) (nullable): the matching workorders,
 *   never empty: no match is %CW_DMS_ERROR_NOT_FOUND
 */
GPtrArray *
cw_connector_search_finish (CwConnector   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), NULL);

  if (g_async_result_is_tagged (result, cw_connector_search_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return CW_CONNECTOR_GET_IFACE (self)->search_finish (self, result, error);
}

/**
 * cw_connector_fetch_async:
 * @self: a #CwConnector
 * @dms_key: the workorder's DMS key, as the connector set it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the fetch is done
 * @user_data: data for @callback
 *
 * Fetches one workorder again (refresh).
 */
void
cw_connector_fetch_async (CwConnector         *self,
                          const char          *dms_key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  CwConnectorInterface *iface;

  g_return_if_fail (CW_IS_CONNECTOR (self));
  g_return_if_fail (dms_key != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  iface = CW_CONNECTOR_GET_IFACE (self);
  if (iface->fetch_async == NULL || !cw_connector_can (self, CW_CAPABILITY_REFRESH))
    {
      report_unsupported (self, cw_connector_fetch_async, UNSUPPORTED_FETCH,
                          callback, user_data);
      return;
    }

  iface->fetch_async (self, dms_key, cancellable, callback, user_data);
}

/**
 * cw_connector_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the workorder, or %NULL with @error set
 */
CwWorkorder *
cw_connector_fetch_finish (CwConnector   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), NULL);

  if (g_async_result_is_tagged (result, cw_connector_fetch_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return CW_CONNECTOR_GET_IFACE (self)->fetch_finish (self, result, error);
}

/**
 * cw_connector_list_days_async:
 * @self: a #CwConnector
 * @first_day: the first day, local
 * @n_days: how many days
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the whole range is fetched
 * @user_data: data for @callback
 *
 * Fetches every workorder with an appointment in the range (keep-importing).
 */
void
cw_connector_list_days_async (CwConnector         *self,
                              const GDate         *first_day,
                              guint                n_days,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CwConnectorInterface *iface;

  g_return_if_fail (CW_IS_CONNECTOR (self));
  g_return_if_fail (first_day != NULL && g_date_valid (first_day));
  g_return_if_fail (n_days > 0);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  iface = CW_CONNECTOR_GET_IFACE (self);
  if (iface->list_days_async == NULL || !cw_connector_can (self, CW_CAPABILITY_KEEP_IMPORTING))
    {
      report_unsupported (self, cw_connector_list_days_async, UNSUPPORTED_LIST_DAYS,
                          callback, user_data);
      return;
    }

  iface->list_days_async (self, first_day, n_days, cancellable, callback, user_data);
}

/**
 * cw_connector_list_days_finish:
 * @problems: (out) (optional) (element-type CwDmsProblem): the workorders that could not
 *   be mapped, each with its error
 *
 * Returns: (transfer full) (element-type CwWorkorder) (nullable): the workorders, possibly
 *   none; %NULL with @error set when the range could not be fetched as a whole
 */
GPtrArray *
cw_connector_list_days_finish (CwConnector   *self,
                               GAsyncResult  *result,
                               GPtrArray    **problems,
                               GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), NULL);

  if (problems != NULL)
    *problems = NULL;

  if (g_async_result_is_tagged (result, cw_connector_list_days_async))
    return g_task_propagate_pointer (G_TASK (result), error);

  return CW_CONNECTOR_GET_IFACE (self)->list_days_finish (self, result, problems, error);
}

void
cw_dms_event_free (CwDmsEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->dms_key);
  g_clear_object (&event->workorder);
  g_clear_error (&event->error);
  g_free (event);
}

/**
 * cw_connector_can_write:
 * @self: a #CwConnector
 * @kind: what an outbox entry would carry
 *
 * Returns: whether the connector can send such an entry (the dealer's writeback option
 *   is the caller's to check)
 */
gboolean
cw_connector_can_write (CwConnector  *self,
                        CwOutboxKind  kind)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), FALSE);

  if (CW_CONNECTOR_GET_IFACE (self)->write_async == NULL)
    return FALSE;

  switch (kind)
    {
    case CW_OUTBOX_INTERVENTION:
      return cw_connector_can (self, CW_CAPABILITY_WRITEBACK_INTERVENTIONS);
    case CW_OUTBOX_MILEAGE:
      return cw_connector_can (self, CW_CAPABILITY_WRITEBACK_MILEAGE);
    default:
      return FALSE;
    }
}

/**
 * cw_connector_write_async:
 * @self: a #CwConnector
 * @entry: the change, with the workorder's DMS key and its idempotency key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the DMS has answered
 * @user_data: data for @callback
 *
 * Sends one outbox entry (writeback). The request carries the entry's idempotency key, so
 * that the DMS applies it once however often it is sent. The connector does not retry:
 * the outbox drainer decides when to try again, from the error.
 */
void
cw_connector_write_async (CwConnector         *self,
                          CwOutboxEntry       *entry,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (CW_IS_CONNECTOR (self));
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (entry));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (!cw_connector_can_write (self, cw_outbox_entry_get_kind (entry)))
    {
      report_unsupported (self, cw_connector_write_async, UNSUPPORTED_WRITE, callback, user_data);
      return;
    }

  CW_CONNECTOR_GET_IFACE (self)->write_async (self, entry, cancellable, callback, user_data);
}

/**
 * cw_connector_write_finish:
 * @dms_ref: (out) (optional) (transfer full) (nullable): the DMS's identity of what it
 *   created (the line id of an intervention), when it gives one
 *
 * Returns: %TRUE if the DMS has the change (now or from an earlier attempt with the same
 *   key)
 */
gboolean
cw_connector_write_finish (CwConnector   *self,
                           GAsyncResult  *result,
                           char         **dms_ref,
                           GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), FALSE);

  if (dms_ref != NULL)
    *dms_ref = NULL;

  if (g_async_result_is_tagged (result, cw_connector_write_async))
    return g_task_propagate_boolean (G_TASK (result), error);

  return CW_CONNECTOR_GET_IFACE (self)->write_finish (self, result, dms_ref, error);
}

/**
 * cw_connector_watch_async:
 * @self: a #CwConnector
 * @after_seq: the last change already applied; 0 for none
 * @func: called for every change after @after_seq, in order
 * @func_data: data for @func
 * @cancellable: (nullable): a #GCancellable; cancelling it ends the watch
 * @callback: called when the stream has ended
 * @user_data: data for @callback
 *
 * Follows the DMS's change stream: first the changes after @after_seq that the DMS kept
 * (the catch-up), then the live ones. Completes when the stream ends: with an error when
 * it dropped (the caller reconnects with backoff, from the last change it applied), or
 * with %G_IO_ERROR_CANCELLED.
 */
void
cw_connector_watch_async (CwConnector         *self,
                          gint64               after_seq,
                          CwDmsEventFunc       func,
                          gpointer             func_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  CwConnectorInterface *iface;

  g_return_if_fail (CW_IS_CONNECTOR (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  iface = CW_CONNECTOR_GET_IFACE (self);
  if (iface->watch_async == NULL || !cw_connector_can (self, CW_CAPABILITY_EVENTS))
    {
      report_unsupported (self, cw_connector_watch_async, UNSUPPORTED_WATCH, callback, user_data);
      return;
    }

  iface->watch_async (self, after_seq, func, func_data, cancellable, callback, user_data);
}

gboolean
cw_connector_watch_finish (CwConnector   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTOR (self), FALSE);

  if (g_async_result_is_tagged (result, cw_connector_watch_async))
    return g_task_propagate_boolean (G_TASK (result), error);

  return CW_CONNECTOR_GET_IFACE (self)->watch_finish (self, result, error);
}
