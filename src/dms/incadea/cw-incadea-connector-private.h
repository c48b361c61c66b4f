/* cw-incadea-connector-private.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-incadea-connector.h"
#include "cw-http-client.h"

G_BEGIN_DECLS

/* For the tests: the connector's client, to shorten its timeout and retry policy. */
CwHttpClient *cw_incadea_connector_get_http_client (CwIncadeaConnector *self);

G_END_DECLS
