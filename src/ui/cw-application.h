/* cw-application.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-import-scheduler.h"
#include "cw-outbox-drainer.h"
#include "cw-import-service.h"
#include "cw-ocw-service.h"
#include "cw-pon-account.h"
#include "cw-store.h"

G_BEGIN_DECLS

#define CW_TYPE_APPLICATION (cw_application_get_type ())

G_DECLARE_FINAL_TYPE (CwApplication, cw_application, CW, APPLICATION, AdwApplication)

CwApplication     *cw_application_new                 (void);
CwStore           *cw_application_get_store           (CwApplication *self);
const GError      *cw_application_get_store_error     (CwApplication *self);
CwImportService   *cw_application_get_import_service  (CwApplication *self);
CwImportScheduler *cw_application_get_scheduler       (CwApplication *self);
CwOutboxDrainer   *cw_application_get_drainer         (CwApplication *self);
CwPonAccount      *cw_application_get_pon_account     (CwApplication *self);
CwOcwService      *cw_application_get_ocw_service     (CwApplication *self);

G_END_DECLS
