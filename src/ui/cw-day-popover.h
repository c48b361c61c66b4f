/* cw-day-popover.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CW_TYPE_DAY_POPOVER (cw_day_popover_get_type ())

G_DECLARE_FINAL_TYPE (CwDayPopover, cw_day_popover, CW, DAY_POPOVER, GtkPopover)

GtkWidget *cw_day_popover_new       (void);
void       cw_day_popover_set_days  (CwDayPopover *self,
                                     const GDate  *first_day,
                                     guint         n_days);
void       cw_day_popover_get_days  (CwDayPopover *self,
                                     GDate        *first_day,
                                     guint        *n_days);

G_END_DECLS
