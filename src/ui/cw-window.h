/* cw-window.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-application.h"

G_BEGIN_DECLS

#define CW_TYPE_WINDOW (cw_window_get_type ())

G_DECLARE_FINAL_TYPE (CwWindow, cw_window, CW, WINDOW, AdwApplicationWindow)

CwWindow    *cw_window_new            (CwApplication *application);
const GDate *cw_window_get_day        (CwWindow      *self);
void         cw_window_set_day        (CwWindow      *self,
                                       const GDate   *day);
GListModel  *cw_window_get_rows       (CwWindow      *self);
const char  *cw_window_get_page_name  (CwWindow      *self);

G_END_DECLS
