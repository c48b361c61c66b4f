/* cw-2drive-mapping.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cw-workorder.h"

G_BEGIN_DECLS

/* The 2Drive (Data API Builder) entities and their query parameters; docs/connectors/2drive.md. */
#define CW_2DRIVE_ENTITY_WORKORDERS  "GetAftersalesForAffiliateExtended"
#define CW_2DRIVE_ENTITY_LINES       "GetAftersalesPartsForAffiliateExtended"
#define CW_2DRIVE_PARAM_AFFILIATE    "AffiliateId"
#define CW_2DRIVE_PARAM_WO_NUMBER    "WONUMMER"
#define CW_2DRIVE_PARAM_PLATE        "KENTEKEN"

JsonArray   *cw_2drive_get_rows               (JsonNode     *body);
char        *cw_2drive_row_dup_text           (JsonObject   *row,
                                               const char   *name);
gboolean     cw_2drive_row_is_for_branch      (JsonObject   *row,
                                               const char   *affiliate_id);
CwWorkorder *cw_2drive_map_workorder          (JsonObject   *order,
                                               JsonArray    *lines,
                                               const char   *connection_id,
                                               GError      **error);
CwWorkorder *cw_2drive_map_workorder_data     (const char   *order_json,
                                               gsize         order_length,
                                               const char   *lines_json,
                                               gsize         lines_length,
                                               const char   *connection_id,
                                               GError      **error);

G_END_DECLS
