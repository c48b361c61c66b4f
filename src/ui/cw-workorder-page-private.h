/* cw-workorder-page-private.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-workorder-page.h"

G_BEGIN_DECLS

/* For tests: what GTK does not let them ask a widget. */
gboolean     _cw_workorder_page_get_action_enabled (CwWorkorderPage *self,
                                                    const char      *action_name);
gboolean     _cw_workorder_page_is_busy            (CwWorkorderPage *self);
CwWorkorder *_cw_workorder_page_get_workorder      (CwWorkorderPage *self);

G_END_DECLS
