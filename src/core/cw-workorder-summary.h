/* cw-workorder-summary.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-ocw.h"
#include "cw-status.h"

G_BEGIN_DECLS

#define CW_TYPE_WORKORDER_SUMMARY (cw_workorder_summary_get_type ())

G_DECLARE_FINAL_TYPE (CwWorkorderSummary, cw_workorder_summary, CW, WORKORDER_SUMMARY, GObject)

gint64       cw_workorder_summary_get_id            (CwWorkorderSummary *self);
gint64       cw_workorder_summary_get_revision      (CwWorkorderSummary *self);
const char  *cw_workorder_summary_get_connection_id (CwWorkorderSummary *self);
const char  *cw_workorder_summary_get_wo_number     (CwWorkorderSummary *self);
const char  *cw_workorder_summary_get_dms_number    (CwWorkorderSummary *self);
const char  *cw_workorder_summary_get_plate         (CwWorkorderSummary *self);
const char  *cw_workorder_summary_get_plate_display (CwWorkorderSummary *self);
const char  *cw_workorder_summary_get_customer      (CwWorkorderSummary *self);
const char  *cw_workorder_summary_get_make          (CwWorkorderSummary *self);
const char  *cw_workorder_summary_get_make_model    (CwWorkorderSummary *self);
GDateTime   *cw_workorder_summary_get_appointment   (CwWorkorderSummary *self);
GDateTime   *cw_workorder_summary_get_updated_at    (CwWorkorderSummary *self);
CwStatus     cw_workorder_summary_get_status        (CwWorkorderSummary *self);
CwShopState  cw_workorder_summary_get_shop_state    (CwWorkorderSummary *self);
gboolean     cw_workorder_summary_get_billed        (CwWorkorderSummary *self);
CwOcwState   cw_workorder_summary_get_ocw_state     (CwWorkorderSummary *self);
void         cw_workorder_summary_update_from       (CwWorkorderSummary *self,
                                                     CwWorkorderSummary *other);

G_END_DECLS
