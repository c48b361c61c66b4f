/* cw-autoflex-connector.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-connector.h"

G_BEGIN_DECLS

#define CW_TYPE_AUTOFLEX_CONNECTOR (cw_autoflex_connector_get_type ())

G_DECLARE_FINAL_TYPE (CwAutoflexConnector, cw_autoflex_connector, CW, AUTOFLEX_CONNECTOR, GObject)

CwConnector *cw_autoflex_connector_new (CwConnection  *connection,
                                        GHashTable    *credentials,
                                        GError       **error);

G_END_DECLS
