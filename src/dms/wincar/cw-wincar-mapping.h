/* cw-wincar-mapping.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cw-connector.h"
#include "cw-outbox-entry.h"
#include "cw-workorder.h"

G_BEGIN_DECLS

/* The Wincar API as we interpret it (docs/connectors/wincar.md), under the endpoint. */
#define CW_WINCAR_PATH_LOGIN       "/auth/login"
#define CW_WINCAR_PATH_WORKORDERS  "/workorders"
#define CW_WINCAR_PATH_LINES       "/lines"
#define CW_WINCAR_PATH_MILEAGE     "/mileage"
#define CW_WINCAR_PATH_EVENTS      "/events"
#define CW_WINCAR_PARAM_NUMBER     "number"
#define CW_WINCAR_PARAM_PLATE      "plate"
#define CW_WINCAR_PARAM_AFTER      "after"
#define CW_WINCAR_HEADER_IDEM_KEY  "Idempotency-Key"

CwWorkorder *cw_wincar_map_workorder       (JsonObject     *order,
                                            const char     *connection_id,
                                            GError        **error);
char        *cw_wincar_order_dup_key       (JsonObject     *order);
char        *cw_wincar_order_dup_number    (JsonObject     *order);
JsonArray   *cw_wincar_get_workorders      (JsonNode       *body);
char        *cw_wincar_dup_error_message   (JsonNode       *body);
char        *cw_wincar_dup_line_id         (JsonNode       *body);
CwDmsEvent  *cw_wincar_map_event           (JsonNode       *message,
                                            const char     *connection_id,
                                            GError        **error);
CwDmsEvent  *cw_wincar_map_event_data      (const char     *data,
                                            gsize           length,
                                            const char     *connection_id,
                                            GError        **error);
CwWorkorder *cw_wincar_map_workorder_data  (const char     *data,
                                            gsize           length,
                                            const char     *connection_id,
                                            GError        **error);
JsonNode    *cw_wincar_intervention_to_json (CwIntervention *intervention);
JsonNode    *cw_wincar_mileage_to_json      (gint64          mileage);

G_END_DECLS
