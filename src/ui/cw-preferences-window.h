/* cw-preferences-window.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-import-service.h"

G_BEGIN_DECLS

#define CW_TYPE_PREFERENCES_WINDOW (cw_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CwPreferencesWindow, cw_preferences_window, CW, PREFERENCES_WINDOW, AdwPreferencesWindow)

CwPreferencesWindow *cw_preferences_window_new (GtkWindow       *parent,
                                                GSettings       *settings,
                                                GListModel      *connections,
                                                CwImportService *service);

G_END_DECLS
