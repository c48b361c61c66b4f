/* cw-status-bar.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-status.h"

G_BEGIN_DECLS

#define CW_TYPE_STATUS_BAR (cw_status_bar_get_type ())

G_DECLARE_FINAL_TYPE (CwStatusBar, cw_status_bar, CW, STATUS_BAR, AdwBin)

GtkWidget *cw_status_bar_new        (void);
void       cw_status_bar_set_state  (CwStatusBar      *self,
                                     const CwProcess  *process,
                                     const char       *cancel_text,
                                     gboolean          billed);
CwStatus   cw_status_bar_next_step  (const CwProcess  *process);

G_END_DECLS
