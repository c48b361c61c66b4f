/* cw-pon-client-private.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-http-client.h"
#include "cw-pon-client.h"

G_BEGIN_DECLS

/* For the tests: the client's HTTP client, to shorten its timeout and retry policy. */
CwHttpClient *cw_pon_client_get_http_client (CwPonClient *self);

G_END_DECLS
