/* cw-http-client.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cw-net-error.h"

G_BEGIN_DECLS

/* The largest answer read into memory; a larger one is refused without reading it. */
#define CW_HTTP_MAX_BODY (16 * 1024 * 1024)
/* The deepest nesting of arrays and objects accepted in a JSON answer. */
#define CW_HTTP_MAX_JSON_DEPTH 64

/*
 * CwHttpRequest: what to send. A boxed, reference-counted value built before sending.
 */
typedef struct _CwHttpRequest CwHttpRequest;

#define CW_TYPE_HTTP_REQUEST (cw_http_request_get_type ())

GType           cw_http_request_get_type        (void) G_GNUC_CONST;
CwHttpRequest  *cw_http_request_new             (const char     *method,
                                                 const char     *uri);
CwHttpRequest  *cw_http_request_ref             (CwHttpRequest  *request);
void            cw_http_request_unref           (CwHttpRequest  *request);
void            cw_http_request_add_query       (CwHttpRequest  *request,
                                                 const char     *name,
                                                 const char     *value);
void            cw_http_request_set_header      (CwHttpRequest  *request,
                                                 const char     *name,
                                                 const char     *value);
void            cw_http_request_set_json_body   (CwHttpRequest  *request,
                                                 JsonNode       *body);
void            cw_http_request_set_idempotent  (CwHttpRequest  *request,
                                                 gboolean        idempotent);
const char     *cw_http_request_get_method      (CwHttpRequest  *request);
char           *cw_http_request_dup_uri         (CwHttpRequest  *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwHttpRequest, cw_http_request_unref)

/*
 * CwHttpResponse: what came back, for any HTTP status. The body is the parsed JSON for a
 * 2xx answer (NULL when empty); for other statuses it is the parsed JSON when the body
 * happened to be JSON, NULL otherwise.
 */
typedef struct _CwHttpResponse CwHttpResponse;

#define CW_TYPE_HTTP_RESPONSE (cw_http_response_get_type ())

GType           cw_http_response_get_type       (void) G_GNUC_CONST;
CwHttpResponse *cw_http_response_ref            (CwHttpResponse *response);
void            cw_http_response_unref          (CwHttpResponse *response);
guint           cw_http_response_get_status     (CwHttpResponse *response);
JsonNode       *cw_http_response_get_body       (CwHttpResponse *response);
const char     *cw_http_response_get_header     (CwHttpResponse *response,
                                                 const char     *name);
guint           cw_http_response_get_attempts   (CwHttpResponse *response);
gboolean        cw_http_response_check_status   (CwHttpResponse *response,
                                                 const char     *service_name,
                                                 GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwHttpResponse, cw_http_response_unref)

/*
 * CwHttpClient: one SoupSession for one service (one DMS connection, the PON API).
 */
#define CW_TYPE_HTTP_CLIENT (cw_http_client_get_type ())

G_DECLARE_FINAL_TYPE (CwHttpClient, cw_http_client, CW, HTTP_CLIENT, GObject)

CwHttpClient   *cw_http_client_new              (const char          *service_name,
                                                 const char          *ca_file,
                                                 GError             **error);
const char     *cw_http_client_get_service_name (CwHttpClient        *self);
void            cw_http_client_set_timeout      (CwHttpClient        *self,
                                                 guint                seconds);
void            cw_http_client_set_retry_policy (CwHttpClient        *self,
                                                 guint                max_attempts,
                                                 guint                first_delay_ms,
                                                 guint                max_delay_ms);
void            cw_http_client_send_async       (CwHttpClient        *self,
                                                 CwHttpRequest       *request,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
CwHttpResponse *cw_http_client_send_finish      (CwHttpClient        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void            cw_http_client_websocket_connect_async  (CwHttpClient        *self,
                                                         CwHttpRequest       *request,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
SoupWebsocketConnection *
                cw_http_client_websocket_connect_finish (CwHttpClient        *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

char           *cw_http_redact_log_line         (const char          *line);

G_END_DECLS
