/* cw-wincar-connector-private.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-http-client.h"
#include "cw-wincar-connector.h"

G_BEGIN_DECLS

/* The ping interval of the event stream when nothing else sets it, in seconds. */
#define CW_WINCAR_KEEPALIVE_S 30

/* For the tests: the connector's client (timeouts, retries) and a shorter ping interval. */
CwHttpClient *cw_wincar_connector_get_http_client (CwWincarConnector *self);
void          cw_wincar_connector_set_keepalive   (CwWincarConnector *self,
                                                   guint              seconds);

G_END_DECLS
