/* cw-ocw-button-private.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-ocw-button.h"

G_BEGIN_DECLS

/* The shape of g_app_info_launch_default_for_uri_async() and its finish function, which
 * the button uses unless a test puts its own in their place (so that no browser starts). */
typedef void     (*CwOcwLaunchFunc)       (const char          *uri,
                                           GAppLaunchContext   *context,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
typedef gboolean (*CwOcwLaunchFinishFunc) (GAsyncResult        *result,
                                           GError             **error);

/* For tests: the launcher, and the time the age of the reading is counted to (%NULL: the
 * clock's). Setting the time is the clock moving on: the button counts again at its next
 * change, or when its tooltip next shows. */
void  _cw_ocw_button_set_launcher (CwOcwButton           *self,
                                   CwOcwLaunchFunc        launch,
                                   CwOcwLaunchFinishFunc  launch_finish);
void  _cw_ocw_button_set_now      (CwOcwButton           *self,
                                   GDateTime             *now);

G_END_DECLS
