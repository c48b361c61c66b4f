/* cw-test-ui.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-application.h"

G_BEGIN_DECLS

/**
 * CwTestDesk:
 * @prepare: (nullable): run before the application starts, on the new desk
 * @body: the test, run when the application activates; it opens its own windows
 *
 * A test that runs inside a real application run on a new desk (see
 * cw_test_ui_run_on_new_desk()).
 */
typedef struct
{
  void (*prepare) (void);
  void (*body)    (CwApplication *app);
} CwTestDesk;

/* Adds the test @path, a #CwTestDesk made of the other arguments (prepare, body). */
#define CW_TEST_UI_ADD_DESK(path, ...) \
  G_STMT_START { \
    static const CwTestDesk desk_test = { __VA_ARGS__ }; \
    g_test_add_data_func (path, &desk_test, cw_test_ui_run_on_new_desk); \
  } G_STMT_END

void     cw_test_ui_init            (int         *argc,
                                     char      ***argv);
void     cw_test_ui_reset_data      (void);
void     cw_test_ui_wait_until_shown (GtkWindow  *window);
void     cw_test_ui_iterate         (guint        milliseconds);
gboolean cw_test_ui_render_png      (GtkWidget   *widget,
                                     const char  *path,
                                     double      *mean_luminance);
void     cw_test_ui_close_window    (GtkWindow   *window);
void     cw_test_ui_run_on_new_desk (gconstpointer data);

G_END_DECLS
