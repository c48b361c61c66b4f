/* cw-net-error.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The error domain of the net layer, on its own so that the layers above can tell a
 * network failure from others without seeing libsoup or json-glib. */

#define CW_NET_ERROR (cw_net_error_quark ())

/**
 * CwNetError:
 * @CW_NET_ERROR_UNREACHABLE: the host could not be reached (name, refused, no route)
 * @CW_NET_ERROR_TIMEOUT: the service did not answer in time
 * @CW_NET_ERROR_TLS: the secure connection failed (untrusted or invalid certificate);
 *   never retried, never ignored
 * @CW_NET_ERROR_UNAUTHORIZED: HTTP 401
 * @CW_NET_ERROR_FORBIDDEN: HTTP 403
 * @CW_NET_ERROR_NOT_FOUND: HTTP 404
 * @CW_NET_ERROR_THROTTLED: HTTP 429 (or a service's own "slow down"), still so after the
 *   retries
 * @CW_NET_ERROR_SERVER: HTTP 5xx, still so after the retries
 * @CW_NET_ERROR_REQUEST: any other HTTP 4xx
 * @CW_NET_ERROR_TOO_LARGE: the answer is larger than the client accepts
 * @CW_NET_ERROR_MALFORMED: the answer is not the JSON expected
 *
 * Every message says which service failed, what happened and what to do, in words a
 * service advisor can act on. Cancellation is reported as %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  CW_NET_ERROR_UNREACHABLE,
  CW_NET_ERROR_TIMEOUT,
  CW_NET_ERROR_TLS,
  CW_NET_ERROR_UNAUTHORIZED,
  CW_NET_ERROR_FORBIDDEN,
  CW_NET_ERROR_NOT_FOUND,
  CW_NET_ERROR_THROTTLED,
  CW_NET_ERROR_SERVER,
  CW_NET_ERROR_REQUEST,
  CW_NET_ERROR_TOO_LARGE,
  CW_NET_ERROR_MALFORMED,
} CwNetError;

GQuark cw_net_error_quark (void);

G_END_DECLS
