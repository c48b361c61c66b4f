/* cw-2drive-connector.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-connector.h"

G_BEGIN_DECLS

#define CW_TYPE_2DRIVE_CONNECTOR (cw_2drive_connector_get_type ())

G_DECLARE_FINAL_TYPE (Cw2DriveConnector, cw_2drive_connector, CW, 2DRIVE_CONNECTOR, GObject)

CwConnector *cw_2drive_connector_new (CwConnection  *connection,
                                      GHashTable    *credentials,
                                      GError       **error);

G_END_DECLS
