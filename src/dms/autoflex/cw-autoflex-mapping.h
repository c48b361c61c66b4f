/* cw-autoflex-mapping.h
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

/* The only order type the app imports: WORKSHOP in Autoflex's "ordertypes" list. */
#define CW_AUTOFLEX_ORDER_TYPE_WORKSHOP 1

/* The deepest JSON the mapping reads; an Autoflex page is four levels deep. */
#define CW_AUTOFLEX_MAX_DEPTH 32

const char   *cw_autoflex_order_fields      (void);
GTimeZone    *cw_autoflex_time_zone         (void);
GDateTime    *cw_autoflex_parse_valid_until (const char   *text);
char         *cw_autoflex_format_day        (const GDate  *day);
gboolean      cw_autoflex_get_error         (JsonNode     *root,
                                             gint64       *code,
                                             char        **message);
GError       *cw_autoflex_error_new         (gint64        code,
                                             const char   *message);
gboolean      cw_autoflex_read_int          (JsonNode     *node,
                                             gint64        min,
                                             gint64        max,
                                             gint64       *value);
CwWorkorder  *cw_autoflex_map_order         (JsonNode     *order,
                                             const char   *connection_id,
                                             gboolean     *skipped,
                                             char        **dms_key,
                                             char        **wo_number,
                                             GError      **error);
GPtrArray    *cw_autoflex_map_page          (JsonNode     *root,
                                             const char   *connection_id,
                                             gboolean     *next_page,
                                             GPtrArray   **problems,
                                             GError      **error);
GPtrArray    *cw_autoflex_map_page_data     (const char   *data,
                                             gsize         length,
                                             const char   *connection_id,
                                             gboolean     *next_page,
                                             GPtrArray   **problems,
                                             GError      **error);

G_END_DECLS
