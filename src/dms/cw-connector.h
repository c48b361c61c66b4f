/* cw-connector.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-capabilities.h"
#include "cw-connection.h"
#include "cw-outbox-entry.h"
#include "cw-workorder.h"

G_BEGIN_DECLS

#define CW_DMS_ERROR (cw_dms_error_quark ())

/**
 * CwDmsError:
 * @CW_DMS_ERROR_NOT_FOUND: the DMS has no workorder matching the search or the key
 * @CW_DMS_ERROR_NO_LABOUR: the workorder has no labour line (2Drive refuses those)
 * @CW_DMS_ERROR_MALFORMED: the DMS sent data the mapping cannot use; the message names
 *   the workorder and the field
 * @CW_DMS_ERROR_LOGIN: the DMS refused the credentials
 * @CW_DMS_ERROR_NO_CREDENTIALS: nothing is stored in the keyring for the connection
 * @CW_DMS_ERROR_UNSUPPORTED: the connector cannot do this (see its capabilities)
 * @CW_DMS_ERROR_CONFIGURATION: the connection's settings are incomplete or wrong
 * @CW_DMS_ERROR_DMS: the DMS reported an error of its own
 * @CW_DMS_ERROR_EVENTS_LOST: the DMS no longer keeps the changes a watch asked for (the
 *   stream was down too long): the caller refreshes what it holds, then watches from the
 *   sequence number the DMS gave (see #CwDmsEvent)
 *
 * Errors of the connectors. Transport and HTTP failures come as #CwNetError. Every
 * message names the DMS, says what happened, and what to do.
 */
typedef enum
{
  CW_DMS_ERROR_NOT_FOUND,
  CW_DMS_ERROR_NO_LABOUR,
  CW_DMS_ERROR_MALFORMED,
  CW_DMS_ERROR_LOGIN,
  CW_DMS_ERROR_NO_CREDENTIALS,
  CW_DMS_ERROR_UNSUPPORTED,
  CW_DMS_ERROR_CONFIGURATION,
  CW_DMS_ERROR_DMS,
  CW_DMS_ERROR_EVENTS_LOST,
} CwDmsError;

GQuark cw_dms_error_quark (void);

/**
 * CwDmsQuery:
 * @text: what the advisor typed, trimmed
 * @wo_number: the text as a WO number (letters and digits only, upper case), or %NULL
 * @plate: the text as a normalised Dutch or Belgian plate ("AB123C"), or %NULL
 *
 * A search as a connector receives it: any spelling already normalised.
 */
typedef struct
{
  char *text;
  char *wo_number;
  char *plate;
} CwDmsQuery;

CwDmsQuery *cw_dms_query_new  (const char *text);
void        cw_dms_query_free (CwDmsQuery *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwDmsQuery, cw_dms_query_free)

/**
 * CwDmsProblem:
 * @dms_key: the identity of the workorder the DMS sent (as far as it could be read)
 * @wo_number: its WO number, for messages, or %NULL
 * @error: why it could not be used
 *
 * One workorder of a batch that could not be mapped. The rest of the batch is used.
 */
typedef struct
{
  char   *dms_key;
  char   *wo_number;
  GError *error;
} CwDmsProblem;

CwDmsProblem *cw_dms_problem_new  (const char   *dms_key,
                                   const char   *wo_number,
                                   GError       *error);
void          cw_dms_problem_free (CwDmsProblem *problem);

/**
 * CwDmsEvent:
 * @seq: the DMS's sequence number of the change; strictly increasing per connection
 * @dms_key: the identity of the workorder that changed
 * @workorder: (nullable): the workorder as it is now, fully mapped; %NULL when the change
 *   could not be mapped (@error says why)
 * @error: (nullable): why @workorder is missing
 *
 * One change pushed by a DMS that has %CW_CAPABILITY_EVENTS.
 *
 * When the DMS no longer has the changes after the watch's @after_seq, the watch hands
 * over one event with @dms_key and @workorder %NULL, @error %CW_DMS_ERROR_EVENTS_LOST and
 * @seq the DMS's current sequence number, then ends with that error: whoever applies the
 * changes refreshes every workorder it holds of the connection, then moves its cursor to
 * @seq (whatever it was) and watches again from there.
 */
typedef struct
{
  gint64       seq;
  char        *dms_key;
  CwWorkorder *workorder;
  GError      *error;
} CwDmsEvent;

void cw_dms_event_free (CwDmsEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwDmsEvent, cw_dms_event_free)

typedef struct _CwConnector CwConnector;

/**
 * CwDmsEventFunc:
 * @connector: the connector that received the change
 * @event: the change; valid during the call only
 * @user_data: the data given to cw_connector_watch_async()
 *
 * Called on the main context of the watch for every change, in @seq order. When it
 * returns, the caller has applied the change durably (or decided to skip it): the next
 * watch after a gap starts after the last @seq it applied.
 */
typedef void (*CwDmsEventFunc) (CwConnector      *connector,
                                const CwDmsEvent *event,
                                gpointer          user_data);

#define CW_TYPE_CONNECTOR (cw_connector_get_type ())

G_DECLARE_INTERFACE (CwConnector, cw_connector, CW, CONNECTOR, GObject)

/**
 * CwConnectorInterface:
 * @get_capabilities: what the connector can do
 * @check_async: logs in and asks one cheap question, to test a connection's settings
 * @search_async: finds and fetches the workorders matching a #CwDmsQuery (search-import)
 * @fetch_async: fetches one workorder by its DMS key (refresh)
 * @list_days_async: fetches the workorders with an appointment in a range of days
 *   (keep-importing)
 * @write_async: sends one outbox entry to the DMS with its idempotency key (writeback);
 *   the DMS applies an entry with a key it has seen before once only
 * @watch_async: follows the DMS's change stream from after a sequence number until the
 *   stream ends or @cancellable is cancelled (events)
 *
 * A DMS client bound to one #CwConnection. Every workorder it returns is fully mapped into
 * the domain objects, with the connection id and the DMS key set. A connector that lacks a
 * capability leaves the vfunc %NULL; the wrapper then reports %CW_DMS_ERROR_UNSUPPORTED.
 */
struct _CwConnectorInterface
{
  GTypeInterface parent_iface;

  CwCapabilities  (*get_capabilities)  (CwConnector          *self);

  void            (*check_async)       (CwConnector          *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gboolean        (*check_finish)      (CwConnector          *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  void            (*search_async)      (CwConnector          *self,
                                        const CwDmsQuery     *query,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GPtrArray      *(*search_finish)     (CwConnector          *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  void            (*fetch_async)       (CwConnector          *self,
                                        const char           *dms_key,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  CwWorkorder    *(*fetch_finish)      (CwConnector          *self,
                                        GAsyncResult         *result,
                                        GError              **error);

  void            (*list_days_async)   (CwConnector          *self,
                                        const GDate          *first_day,
                                        guint                 n_days,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  GPtrArray      *(*list_days_finish)  (CwConnector          *self,
                                        GAsyncResult         *result,
                                        GPtrArray           **problems,
                                        GError              **error);

  void            (*write_async)       (CwConnector          *self,
                                        CwOutboxEntry        *entry,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gboolean        (*write_finish)      (CwConnector          *self,
                                        GAsyncResult         *result,
                                        char                **dms_ref,
                                        GError              **error);

  void            (*watch_async)       (CwConnector          *self,
                                        gint64                after_seq,
                                        CwDmsEventFunc        func,
                                        gpointer              func_data,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  gboolean        (*watch_finish)      (CwConnector          *self,
                                        GAsyncResult         *result,
                                        GError              **error);
};

CwConnection   *cw_connector_get_connection    (CwConnector          *self);
CwCapabilities  cw_connector_get_capabilities  (CwConnector          *self);
gboolean        cw_connector_can               (CwConnector          *self,
                                                CwCapabilities        capability);
void            cw_connector_check_async       (CwConnector          *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        cw_connector_check_finish      (CwConnector          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            cw_connector_search_async      (CwConnector          *self,
                                                const CwDmsQuery     *query,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray      *cw_connector_search_finish     (CwConnector          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            cw_connector_fetch_async       (CwConnector          *self,
                                                const char           *dms_key,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
CwWorkorder    *cw_connector_fetch_finish      (CwConnector          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void            cw_connector_list_days_async   (CwConnector          *self,
                                                const GDate          *first_day,
                                                guint                 n_days,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GPtrArray      *cw_connector_list_days_finish  (CwConnector          *self,
                                                GAsyncResult         *result,
                                                GPtrArray           **problems,
                                                GError              **error);
gboolean        cw_connector_can_write         (CwConnector          *self,
                                                CwOutboxKind          kind);
void            cw_connector_write_async       (CwConnector          *self,
                                                CwOutboxEntry        *entry,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        cw_connector_write_finish      (CwConnector          *self,
                                                GAsyncResult         *result,
                                                char                **dms_ref,
                                                GError              **error);
void            cw_connector_watch_async       (CwConnector          *self,
                                                gint64                after_seq,
                                                CwDmsEventFunc        func,
                                                gpointer              func_data,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean        cw_connector_watch_finish      (CwConnector          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
