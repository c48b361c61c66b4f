/* cw-cancel-dialog.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-status.h"

G_BEGIN_DECLS

#define CW_TYPE_CANCEL_DIALOG (cw_cancel_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CwCancelDialog, cw_cancel_dialog, CW, CANCEL_DIALOG, AdwMessageDialog)

CwCancelDialog *cw_cancel_dialog_new             (GtkWindow      *parent,
                                                  const char     *workorder_label);
CwCancelReason  cw_cancel_dialog_get_reason      (CwCancelDialog *self);
char           *cw_cancel_dialog_dup_text        (CwCancelDialog *self);
gboolean        cw_cancel_dialog_get_can_confirm (CwCancelDialog *self);

G_END_DECLS
