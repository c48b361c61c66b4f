/* cw-connection.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The keep-importing interval when the connection does not set one, in seconds. */
#define CW_CONNECTION_DEFAULT_POLL_INTERVAL 300

#define CW_TYPE_CONNECTION (cw_connection_get_type ())

G_DECLARE_FINAL_TYPE (CwConnection, cw_connection, CW, CONNECTION, GObject)

CwConnection *cw_connection_new                           (const char           *id,
                                                           const char           *kind);
CwConnection *cw_connection_new_for_settings              (const char           *id);
const char   *cw_connection_get_id                        (CwConnection         *self);
const char   *cw_connection_get_kind                      (CwConnection         *self);
const char   *cw_connection_get_name                      (CwConnection         *self);
char         *cw_connection_dup_display_name              (CwConnection         *self);
const char   *cw_connection_get_endpoint                  (CwConnection         *self);
const char   *cw_connection_get_ca_file                   (CwConnection         *self);
const char   *cw_connection_get_affiliate_id              (CwConnection         *self);
const char   *cw_connection_get_audience                  (CwConnection         *self);
const char   *cw_connection_get_token_url                 (CwConnection         *self);
gboolean      cw_connection_get_writeback                 (CwConnection         *self);
gboolean      cw_connection_get_import_after_work_started (CwConnection         *self);
gboolean      cw_connection_get_events                    (CwConnection         *self);
guint         cw_connection_get_poll_interval             (CwConnection         *self);

void          cw_connection_lookup_credentials_async      (CwConnection         *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GHashTable   *cw_connection_lookup_credentials_finish     (CwConnection         *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void          cw_connection_store_credentials_async       (CwConnection         *self,
                                                           GHashTable           *credentials,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean      cw_connection_store_credentials_finish      (CwConnection         *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
void          cw_connection_clear_credentials_async       (CwConnection         *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean      cw_connection_clear_credentials_finish      (CwConnection         *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

GListModel   *cw_connection_list_new                      (GSettings            *settings);

G_END_DECLS
