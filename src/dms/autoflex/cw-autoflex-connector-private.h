/* cw-autoflex-connector-private.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-autoflex-connector.h"
#include "cw-http-client.h"

G_BEGIN_DECLS

/* For the tests: shorter timeouts, retries and throttle waits than the app uses. */

CwHttpClient *cw_autoflex_connector_get_http_client       (CwAutoflexConnector *self);
void          cw_autoflex_connector_set_max_throttle_waits (CwAutoflexConnector *self,
                                                            guint                max_waits);

G_END_DECLS
