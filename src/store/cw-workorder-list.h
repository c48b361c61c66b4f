/* cw-workorder-list.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-store.h"

G_BEGIN_DECLS

#define CW_TYPE_WORKORDER_LIST (cw_workorder_list_get_type ())

G_DECLARE_FINAL_TYPE (CwWorkorderList, cw_workorder_list, CW, WORKORDER_LIST, GObject)

CwWorkorderList *cw_workorder_list_new            (CwStore         *store);
CwStore         *cw_workorder_list_get_store      (CwWorkorderList *self);
const GDate     *cw_workorder_list_get_first_day  (CwWorkorderList *self);
guint            cw_workorder_list_get_n_days     (CwWorkorderList *self);
gboolean         cw_workorder_list_set_range      (CwWorkorderList *self,
                                                   const GDate     *first_day,
                                                   guint            n_days,
                                                   GError         **error);
const GError    *cw_workorder_list_get_error      (CwWorkorderList *self);

G_END_DECLS
