/* cw-status-filter.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CW_TYPE_STATUS_FILTER (cw_status_filter_get_type ())

G_DECLARE_FINAL_TYPE (CwStatusFilter, cw_status_filter, CW, STATUS_FILTER, GtkPopover)

GtkWidget *cw_status_filter_new         (void);
guint      cw_status_filter_get_hidden  (CwStatusFilter *self);

G_END_DECLS
