/* cw-test-ui.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void     cw_test_ui_init            (int         *argc,
                                     char      ***argv);
void     cw_test_ui_reset_data      (void);
void     cw_test_ui_wait_until_shown (GtkWindow  *window);
void     cw_test_ui_iterate         (guint        milliseconds);
gboolean cw_test_ui_render_png      (GtkWidget   *widget,
                                     const char  *path,
                                     double      *mean_luminance);

G_END_DECLS
