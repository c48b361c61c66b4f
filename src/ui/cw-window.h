/* cw-window.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-application.h"
#include "cw-workorder-page.h"

G_BEGIN_DECLS

#define CW_TYPE_WINDOW (cw_window_get_type ())

G_DECLARE_FINAL_TYPE (CwWindow, cw_window, CW, WINDOW, AdwApplicationWindow)

CwWindow    *cw_window_new            (CwApplication *application);
const GDate *cw_window_get_day        (CwWindow      *self);
void         cw_window_set_day        (CwWindow      *self,
                                       const GDate   *day);
void         cw_window_set_days       (CwWindow      *self,
                                       const GDate   *first_day,
                                       guint          n_days);
GListModel  *cw_window_get_rows       (CwWindow      *self);
const char  *cw_window_get_page_name  (CwWindow      *self);
GListModel  *cw_window_get_search_results (CwWindow  *self);
CwWorkorderPage *cw_window_get_workorder_page (CwWindow *self);
void         cw_window_search         (CwWindow      *self,
                                       const char    *text);
void         cw_window_open_workorder (CwWindow      *self,
                                       gint64         workorder_id);

G_END_DECLS
