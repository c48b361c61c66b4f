/* cw-import-scheduler.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-import-service.h"

G_BEGIN_DECLS

/* The keep-importing window: from this many days before today ... */
#define CW_IMPORT_WINDOW_DAYS_BEFORE 1
/* ... to this many days after it (DESIGN §3: "yesterday to 7 days ahead"). */
#define CW_IMPORT_WINDOW_DAYS_AFTER 7
/* The longest wait between attempts while a DMS keeps failing, in seconds. */
#define CW_IMPORT_MAX_BACKOFF 3600

#define CW_TYPE_IMPORT_SCHEDULER (cw_import_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (CwImportScheduler, cw_import_scheduler, CW, IMPORT_SCHEDULER, GObject)

CwImportScheduler *cw_import_scheduler_new              (CwImportService    *service,
                                                         GNetworkMonitor    *monitor);
void               cw_import_scheduler_start            (CwImportScheduler  *self);
void               cw_import_scheduler_stop             (CwImportScheduler  *self);
gboolean           cw_import_scheduler_is_started       (CwImportScheduler  *self);
gboolean           cw_import_scheduler_run_now          (CwImportScheduler  *self,
                                                         const char         *connection_id);
gboolean           cw_import_scheduler_is_running       (CwImportScheduler  *self,
                                                         const char         *connection_id);
guint              cw_import_scheduler_get_failures     (CwImportScheduler  *self,
                                                         const char         *connection_id);
guint              cw_import_scheduler_get_next_delay   (CwImportScheduler  *self,
                                                         const char         *connection_id);
const GError      *cw_import_scheduler_get_last_error   (CwImportScheduler  *self,
                                                         const char         *connection_id);

G_END_DECLS
