/* cw-preferences-window-private.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-connection-page.h"
#include "cw-pon-account.h"
#include "cw-preferences-window.h"

G_BEGIN_DECLS

/* For the tests only: the parts of the window a test drives or reads. */

GtkListBox       *cw_preferences_window_get_connection_list  (CwPreferencesWindow *self);
const char       *cw_preferences_window_get_connections_view (CwPreferencesWindow *self);
CwConnectionPage *cw_preferences_window_get_subpage          (CwPreferencesWindow *self);
CwPonAccount     *cw_preferences_window_get_pon_account      (CwPreferencesWindow *self);
GtkWidget        *cw_preferences_window_get_pon_row          (CwPreferencesWindow *self,
                                                              const char          *name);
gboolean          cw_preferences_window_get_pon_busy         (CwPreferencesWindow *self);

GtkWidget        *cw_connection_page_get_field_row           (CwConnectionPage    *self,
                                                              const char          *key);
GtkWidget        *cw_connection_page_get_credential_row      (CwConnectionPage    *self,
                                                              const char          *field);
AdwActionRow     *cw_connection_page_get_test_row            (CwConnectionPage    *self);
gboolean          cw_connection_page_get_testing             (CwConnectionPage    *self);
gboolean          cw_connection_page_get_busy                (CwConnectionPage    *self);

G_END_DECLS
