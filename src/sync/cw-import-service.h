/* cw-import-service.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-connection.h"
#include "cw-connector.h"
#include "cw-store.h"

G_BEGIN_DECLS

#define CW_TYPE_IMPORT_SERVICE (cw_import_service_get_type ())

G_DECLARE_FINAL_TYPE (CwImportService, cw_import_service, CW, IMPORT_SERVICE, GObject)

CwImportService *cw_import_service_new                  (CwStore              *store,
                                                         GListModel           *connections);
CwStore         *cw_import_service_get_store            (CwImportService      *self);
GListModel      *cw_import_service_get_connections      (CwImportService      *self);
CwConnection    *cw_import_service_find_connection      (CwImportService      *self,
                                                         const char           *connection_id);
CwImportFlags    cw_import_service_get_import_flags     (CwImportService      *self,
                                                         CwConnection         *connection);
void             cw_import_service_forget_connector     (CwImportService      *self,
                                                         const char           *connection_id);
void             cw_import_service_get_connector_async  (CwImportService      *self,
                                                         CwConnection         *connection,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
CwConnector     *cw_import_service_get_connector_finish (CwImportService      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void             cw_import_service_search_import_async  (CwImportService      *self,
                                                         const char           *connection_id,
                                                         const char           *text,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gint64           cw_import_service_search_import_finish (CwImportService      *self,
                                                         GAsyncResult         *result,
                                                         CwImportOutcome      *outcome,
                                                         GError              **error);
void             cw_import_service_refresh_async        (CwImportService      *self,
                                                         gint64                workorder_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean         cw_import_service_refresh_finish       (CwImportService      *self,
                                                         GAsyncResult         *result,
                                                         CwImportOutcome      *outcome,
                                                         GError              **error);

G_END_DECLS
