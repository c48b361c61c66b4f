/* cw-writeback.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cw-capabilities.h"
#include "cw-outbox-entry.h"

G_BEGIN_DECLS

/* The most attempts an outbox entry gets while the DMS answers with errors of its own
 * (5xx, throttling) or does not answer in time; then it is failed. */
#define CW_WRITEBACK_MAX_ATTEMPTS 6

CwCapabilities cw_writeback_policy          (CwCapabilities  connector_capabilities,
                                             gboolean        dealer_enabled);
gboolean       cw_writeback_policy_allows   (CwCapabilities  policy,
                                             CwOutboxKind    kind);
gboolean       cw_writeback_mileage_is_due  (gint64          reading,
                                             gint64          dms_mileage,
                                             CwCapabilities  policy);
guint          cw_writeback_backoff         (guint           attempts,
                                             guint           max_seconds,
                                             double          jitter);

G_END_DECLS
