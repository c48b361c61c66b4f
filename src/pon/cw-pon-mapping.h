/* cw-pon-mapping.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cw-ocw.h"

G_BEGIN_DECLS

/* The PON API as we interpret it (docs/pon-api.md): paths under the base address, and the
 * members of its answers. The simulator (tests/sim/cw-sim-pon.c) serves the same. */
#define CW_PON_PATH_LOGIN          "/auth/token"
#define CW_PON_PATH_VEHICLES       "/vehicles/"
#define CW_PON_PATH_OCW            "/ocw"

#define CW_PON_FIELD_VIN           "vin"
#define CW_PON_FIELD_CAPABLE       "capable"
#define CW_PON_FIELD_ACTIVATED     "activated"
#define CW_PON_FIELD_CONNECTED     "connected"
#define CW_PON_FIELD_MAINTENANCE   "maintenanceMode"
#define CW_PON_FIELD_MILEAGE       "mileage"
#define CW_PON_FIELD_MILEAGE_VALUE "value"
#define CW_PON_FIELD_MILEAGE_UNIT  "unit"
#define CW_PON_FIELD_MILEAGE_AT    "readAt"
#define CW_PON_FIELD_PORTAL_URL    "portalUrl"

/* The "error" of a 404 answer for a VIN PON does not know. */
#define CW_PON_ERROR_CODE_UNKNOWN_VEHICLE "vehicle_not_found"

#define CW_PON_MAX_TOKEN_LENGTH    16384
#define CW_PON_MAX_TOKEN_LIFETIME  (30 * 24 * 3600)

char        *cw_pon_normalize_vin     (const char   *text);
CwOcwStatus *cw_pon_map_car           (JsonNode     *body,
                                       const char   *vin,
                                       GError      **error);
CwOcwStatus *cw_pon_map_car_data      (const char   *data,
                                       gsize         length,
                                       const char   *vin,
                                       GError      **error);
gboolean     cw_pon_read_token        (JsonNode     *body,
                                       char        **token,
                                       gint64       *lifetime_s);
gboolean     cw_pon_is_unknown_car    (JsonNode     *body);

G_END_DECLS
