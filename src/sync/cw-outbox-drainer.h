/* cw-outbox-drainer.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-import-service.h"

G_BEGIN_DECLS

/* The longest wait before an entry is tried again after an error of the DMS, seconds. */
#define CW_OUTBOX_MAX_DELAY 300
/* The longest wait while a DMS cannot be reached at all, seconds. */
#define CW_OUTBOX_MAX_PAUSE 30

#define CW_TYPE_OUTBOX_DRAINER (cw_outbox_drainer_get_type ())

G_DECLARE_FINAL_TYPE (CwOutboxDrainer, cw_outbox_drainer, CW, OUTBOX_DRAINER, GObject)

CwOutboxDrainer *cw_outbox_drainer_new            (CwImportService  *service,
                                                   GNetworkMonitor  *monitor);
void             cw_outbox_drainer_apply_policies (CwOutboxDrainer  *self);
void             cw_outbox_drainer_start          (CwOutboxDrainer  *self);
void             cw_outbox_drainer_stop           (CwOutboxDrainer  *self);
void             cw_outbox_drainer_kick           (CwOutboxDrainer  *self);
gboolean         cw_outbox_drainer_is_busy        (CwOutboxDrainer  *self);
void             cw_outbox_drainer_set_max_delays (CwOutboxDrainer  *self,
                                                   guint             max_delay,
                                                   guint             max_pause);
void             cw_outbox_drainer_retry_async    (CwOutboxDrainer  *self,
                                                   gint64            entry_id,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
gboolean         cw_outbox_drainer_retry_finish   (CwOutboxDrainer  *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);
void             cw_outbox_drainer_dismiss_async  (CwOutboxDrainer  *self,
                                                   gint64            entry_id,
                                                   GCancellable     *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer          user_data);
gboolean         cw_outbox_drainer_dismiss_finish (CwOutboxDrainer  *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);

G_END_DECLS
