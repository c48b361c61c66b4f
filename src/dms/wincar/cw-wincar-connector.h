/* cw-wincar-connector.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-connector.h"

G_BEGIN_DECLS

#define CW_TYPE_WINCAR_CONNECTOR (cw_wincar_connector_get_type ())

G_DECLARE_FINAL_TYPE (CwWincarConnector, cw_wincar_connector, CW, WINCAR_CONNECTOR, GObject)

CwConnector *cw_wincar_connector_new (CwConnection  *connection,
                                      GHashTable    *credentials,
                                      GError       **error);

G_END_DECLS
