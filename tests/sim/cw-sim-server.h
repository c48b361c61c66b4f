/* cw-sim-server.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cw-ocw.h"
#include "cw-sim-dataset.h"

G_BEGIN_DECLS

/**
 * CwSimFaultKind:
 * @CW_SIM_FAULT_DELAY: answer only after `value` milliseconds
 * @CW_SIM_FAULT_HANG: never answer (until the client gives up)
 * @CW_SIM_FAULT_UNAUTHORIZED: HTTP 401
 * @CW_SIM_FAULT_TOO_MANY: HTTP 429 with `Retry-After: value` (seconds)
 * @CW_SIM_FAULT_SERVER_ERROR: HTTP 500
 * @CW_SIM_FAULT_MALFORMED_JSON: HTTP 200 with a body that is not JSON
 * @CW_SIM_FAULT_OVERSIZED: HTTP 200 with a 50 MB body
 * @CW_SIM_FAULT_THROTTLE_202: (Autoflex) HTTP 202 with `{"retry": value}` milliseconds
 * @CW_SIM_FAULT_ERROR_CODE_200: (Autoflex) HTTP 200 with `{"errorCode": value, "errorMessage": …}`
 * @CW_SIM_FAULT_MISSING_FIELDS: the answer leaves out fields, required ones included
 * @CW_SIM_FAULT_NUMBERS_AS_STRINGS: numbers and flags sent as strings ("1", "189.50")
 * @CW_SIM_FAULT_TOKEN_EXPIRED: the token is treated as expired, as the DMS would after
 *   its validity ended
 *
 * The faults the simulator injects (DESIGN §7). The first seven are applied by the server
 * itself, whatever the API; the others are the API module's to apply: it receives the
 * fault with the request.
 */
typedef enum
{
  CW_SIM_FAULT_NONE,
  CW_SIM_FAULT_DELAY,
  CW_SIM_FAULT_HANG,
  CW_SIM_FAULT_UNAUTHORIZED,
  CW_SIM_FAULT_TOO_MANY,
  CW_SIM_FAULT_SERVER_ERROR,
  CW_SIM_FAULT_MALFORMED_JSON,
  CW_SIM_FAULT_OVERSIZED,
  CW_SIM_FAULT_THROTTLE_202,
  CW_SIM_FAULT_ERROR_CODE_200,
  CW_SIM_FAULT_MISSING_FIELDS,
  CW_SIM_FAULT_NUMBERS_AS_STRINGS,
  CW_SIM_FAULT_TOKEN_EXPIRED,
} CwSimFaultKind;

typedef struct
{
  CwSimFaultKind kind;
  int            value;
} CwSimFault;

/**
 * CwSimWriteback:
 * @dms: the simulated DMS that received it
 * @idem_key: the idempotency key of the requests
 * @dms_key: the workorder's key in the DMS
 * @kind: "intervention" or "mileage"
 * @detail: what was written (a title, a mileage)
 * @result: what the DMS answered (the new line id), the same for every repeat
 * @n_received: how many requests carried @idem_key
 * @n_applied: how many times it was applied: 1, or the ledger is broken
 *
 * One change a connector wrote to the simulator.
 */
typedef struct
{
  char  *dms;
  char  *idem_key;
  char  *dms_key;
  char  *kind;
  char  *detail;
  char  *result;
  guint  n_received;
  guint  n_applied;
} CwSimWriteback;

#define CW_TYPE_SIM_SERVER (cw_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (CwSimServer, cw_sim_server, CW, SIM_SERVER, GObject)

/**
 * CwSimHandler:
 * @server: the simulator
 * @message: the request, to answer (or pause and answer later)
 * @path: the request path
 * @query: (element-type utf8 utf8): the decoded query parameters
 * @fault: the fault to apply, %CW_SIM_FAULT_NONE mostly
 * @user_data: the data given with the handler
 *
 * An API module's handler for the requests under its path prefix.
 */
typedef void (*CwSimHandler) (CwSimServer       *server,
                              SoupServerMessage *message,
                              const char        *path,
                              GHashTable        *query,
                              const CwSimFault  *fault,
                              gpointer           user_data);

/**
 * CwSimWebsocketHandler:
 * @server: the simulator
 * @message: the request that opened the stream
 * @stream: the open stream; the handler keeps a reference while it uses it
 * @user_data: the data given with the handler
 *
 * An API module's handler for a WebSocket it serves. The request went through the
 * module's CwSimHandler first (faults, counting), which left it unanswered to accept it.
 */
typedef void (*CwSimWebsocketHandler) (CwSimServer             *server,
                                       SoupServerMessage       *message,
                                       SoupWebsocketConnection *stream,
                                       gpointer                 user_data);

CwSimServer  *cw_sim_server_new              (guint32            seed,
                                              const GDate       *today);
gboolean      cw_sim_server_listen           (CwSimServer       *self,
                                              guint              port,
                                              GError           **error);
guint         cw_sim_server_get_port         (CwSimServer       *self);
char         *cw_sim_server_dup_url          (CwSimServer       *self,
                                              const char        *path);
CwSimDataset *cw_sim_server_get_dataset      (CwSimServer       *self);
void          cw_sim_server_add_handler      (CwSimServer       *self,
                                              const char        *path_prefix,
                                              CwSimHandler       handler,
                                              gpointer           user_data);
void          cw_sim_server_add_websocket_handler (CwSimServer           *self,
                                              const char            *path,
                                              CwSimWebsocketHandler  handler,
                                              gpointer               user_data);
void          cw_sim_server_add_fault        (CwSimServer       *self,
                                              const char        *path_prefix,
                                              CwSimFaultKind     kind,
                                              int                value,
                                              guint              count);
void          cw_sim_server_clear_faults     (CwSimServer       *self);
guint         cw_sim_server_count_requests   (CwSimServer       *self,
                                              const char        *path_prefix);
void          cw_sim_server_reset_counts     (CwSimServer       *self);
void          cw_sim_server_record           (CwSimServer       *self,
                                              const char        *path_prefix);
GHashTable   *cw_sim_server_take_recorded    (CwSimServer       *self);
void          cw_sim_server_replay           (CwSimServer       *self,
                                              GHashTable        *answers);
void          cw_sim_server_disconnect       (CwSimServer       *self);
CwSimWriteback *cw_sim_server_receive_writeback (CwSimServer     *self,
                                              const char        *dms,
                                              const char        *idem_key,
                                              const char        *dms_key,
                                              const char        *kind,
                                              const char        *detail,
                                              const char        *result,
                                              gboolean          *applied);
GPtrArray    *cw_sim_server_list_writebacks  (CwSimServer       *self,
                                              const char        *dms);
guint         cw_sim_server_count_writebacks (CwSimServer       *self,
                                              const char        *dms);
void          cw_sim_reply_json              (SoupServerMessage *message,
                                              guint              status,
                                              JsonNode          *body);
void          cw_sim_reply_text              (SoupServerMessage *message,
                                              guint              status,
                                              const char        *content_type,
                                              const char        *body);

/* The API modules, one per simulated service (cw-sim-autoflex.c, cw-sim-2drive.c,
 * cw-sim-incadea.c, cw-sim-wincar.c, cw-sim-pon.c). */
void          cw_sim_autoflex_install        (CwSimServer       *server);
void          cw_sim_2drive_install          (CwSimServer       *server);
void          cw_sim_incadea_install         (CwSimServer       *server);
void          cw_sim_wincar_install          (CwSimServer       *server);
void          cw_sim_pon_install             (CwSimServer       *server);

/* Wincar's test hooks (cw-sim-wincar.c): a change made in the "DMS" (after changing
 * order->workorder) goes out on the change stream; the streams can be dropped abruptly. */
gint64        cw_sim_wincar_change_order     (CwSimServer       *server,
                                              CwSimOrder        *order);
gint64        cw_sim_wincar_emit_change      (CwSimServer       *server,
                                              const char        *workorder_json);
void          cw_sim_wincar_drop_streams     (CwSimServer       *server);
guint         cw_sim_wincar_count_streams    (CwSimServer       *server);
guint         cw_sim_wincar_count_live_streams (CwSimServer     *server);
gint64        cw_sim_wincar_get_seq          (CwSimServer       *server);
void          cw_sim_wincar_set_first_seq    (CwSimServer       *server,
                                              gint64             seq);
void          cw_sim_wincar_set_retention    (CwSimServer       *server,
                                              guint              n_changes);
void          cw_sim_wincar_set_replay_overlap (CwSimServer     *server,
                                              guint              n_changes);
char         *cw_sim_wincar_dup_workorder_json (CwSimServer     *server,
                                              CwSimOrder        *order);

/**
 * CwSimPonMileage:
 * @CW_SIM_PON_MILEAGE_ANY: any reading, or none
 * @CW_SIM_PON_MILEAGE_NONE: no reading (or one a test set)
 * @CW_SIM_PON_MILEAGE_HIGHER: higher than the order's DMS mileage, in km
 * @CW_SIM_PON_MILEAGE_EQUAL: equal to it
 * @CW_SIM_PON_MILEAGE_LOWER: lower than it
 * @CW_SIM_PON_MILEAGE_MILES: higher, and given in miles
 *
 * How the reading PON gives a car compares with the DMS mileage of its order.
 */
typedef enum
{
  CW_SIM_PON_MILEAGE_ANY,
  CW_SIM_PON_MILEAGE_NONE,
  CW_SIM_PON_MILEAGE_HIGHER,
  CW_SIM_PON_MILEAGE_EQUAL,
  CW_SIM_PON_MILEAGE_LOWER,
  CW_SIM_PON_MILEAGE_MILES,
} CwSimPonMileage;

/* PON's test hooks (cw-sim-pon.c): which car has which answer, changing a car's answer,
 * and counting requests per car. */
CwOcwState    cw_sim_pon_get_state           (CwSimServer       *server,
                                              const char        *vin);
gint64        cw_sim_pon_get_mileage         (CwSimServer       *server,
                                              const char        *vin);
CwSimOrder   *cw_sim_pon_find_order          (CwSimServer       *server,
                                              CwOcwState         state,
                                              CwSimPonMileage    mileage,
                                              guint              nth);
const char   *cw_sim_pon_find_vin            (CwSimServer       *server,
                                              CwOcwState         state,
                                              CwSimPonMileage    mileage,
                                              guint              nth);
void          cw_sim_pon_set_state           (CwSimServer       *server,
                                              const char        *vin,
                                              CwOcwState         state);
void          cw_sim_pon_set_mileage         (CwSimServer       *server,
                                              const char        *vin,
                                              gint64             km,
                                              gboolean           miles,
                                              GDateTime         *read_at);
guint         cw_sim_pon_count_requests      (CwSimServer       *server,
                                              const char        *vin);
guint         cw_sim_pon_count_logins        (CwSimServer       *server);
char         *cw_sim_pon_dup_answer          (CwSimServer       *server,
                                              const char        *vin,
                                              const CwSimFault  *fault);

/* Where each API lives on the simulator, and its demo credentials. */
#define CW_SIM_AUTOFLEX_BOOTSTRAP "/autoflex/v2"
#define CW_SIM_AUTOFLEX_API       "/autoflex/api/v2"
#define CW_SIM_AUTOFLEX_API_KEY   "demo-api-key"
#define CW_SIM_AUTOFLEX_USERNAME  "demo"
#define CW_SIM_AUTOFLEX_PASSWORD  "demo-password"

#define CW_SIM_2DRIVE_TOKEN       "/2drive/oauth/token"
#define CW_SIM_2DRIVE_API         "/2drive/api"
#define CW_SIM_2DRIVE_CLIENT_ID   "demo-client"
#define CW_SIM_2DRIVE_SECRET      "demo-secret"
#define CW_SIM_2DRIVE_AUDIENCE    "api:vinalces.dab.10259"
#define CW_SIM_2DRIVE_AFFILIATE   "259"

#define CW_SIM_INCADEA_API        "/incadea/api/v1"
#define CW_SIM_INCADEA_USERNAME   "demo-advisor"
#define CW_SIM_INCADEA_PASSWORD   "demo-password"
#define CW_SIM_WINCAR_API         "/wincar/api/v1"
#define CW_SIM_WINCAR_EVENTS      CW_SIM_WINCAR_API "/events"
#define CW_SIM_WINCAR_USERNAME    "demo"
#define CW_SIM_WINCAR_PASSWORD    "demo-wincar"

/* PON: the base address is CW_SIM_PON_API (as the pon-endpoint setting has it); the paths
 * below it are docs/pon-api.md's. */
#define CW_SIM_PON_API            "/pon/ocw/v1"
#define CW_SIM_PON_LOGIN          CW_SIM_PON_API "/auth/token"
#define CW_SIM_PON_VEHICLES       CW_SIM_PON_API "/vehicles/"
#define CW_SIM_PON_PORTAL         "/pon/portal"
#define CW_SIM_PON_USERNAME       "demo-pon"
#define CW_SIM_PON_PASSWORD       "demo-pon-Wachtwoord-8"

G_END_DECLS
