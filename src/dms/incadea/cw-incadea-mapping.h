/* cw-incadea-mapping.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cw-workorder.h"

G_BEGIN_DECLS

/* The resources and parameters of our interpretation of the Incadea API, relative to the
 * connection's endpoint (docs/connectors/incadea.md). */
#define CW_INCADEA_PATH_TOKEN          "/oauth/token"
#define CW_INCADEA_PATH_WORKORDERS     "/workorders"
#define CW_INCADEA_PATH_MILEAGE        "/mileage"
#define CW_INCADEA_PARAM_WO_NUMBER     "workorderNo"
#define CW_INCADEA_PARAM_PLATE         "licensePlate"
#define CW_INCADEA_PARAM_FROM          "appointmentFrom"
#define CW_INCADEA_PARAM_TO            "appointmentTo"
#define CW_INCADEA_PARAM_PAGE          "page"
#define CW_INCADEA_PARAM_PAGE_SIZE     "pageSize"
#define CW_INCADEA_HEADER_IDEMPOTENCY  "Idempotency-Key"
#define CW_INCADEA_CODE_NOT_HIGHER     "mileageNotHigher"

/* The deepest JSON the mapping reads; a page is five levels deep. */
#define CW_INCADEA_MAX_DEPTH 32

/* The largest mileage taken from, or sent to, Incadea. */
#define CW_INCADEA_MAX_MILEAGE_KM G_GINT64_CONSTANT (9999999)

char         *cw_incadea_format_day      (const GDate  *day);
gboolean      cw_incadea_get_error       (JsonNode     *body,
                                          char        **code,
                                          char        **message,
                                          gint64       *current_mileage);
CwWorkorder  *cw_incadea_map_order       (JsonNode     *order,
                                          const char   *connection_id,
                                          char        **dms_key,
                                          char        **wo_number,
                                          GError      **error);
GPtrArray    *cw_incadea_map_page        (JsonNode     *root,
                                          const char   *connection_id,
                                          gint64       *next_page,
                                          GPtrArray   **problems,
                                          GError      **error);
GPtrArray    *cw_incadea_map_page_data   (const char   *data,
                                          gsize         length,
                                          const char   *connection_id,
                                          gint64       *next_page,
                                          GPtrArray   **problems,
                                          GError      **error);
CwWorkorder  *cw_incadea_map_order_data  (const char   *data,
                                          gsize         length,
                                          const char   *connection_id,
                                          GError      **error);

G_END_DECLS
