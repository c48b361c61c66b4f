/* cw-intervention-dialog.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-intervention.h"

G_BEGIN_DECLS

#define CW_TYPE_INTERVENTION_DIALOG (cw_intervention_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CwInterventionDialog, cw_intervention_dialog, CW, INTERVENTION_DIALOG, AdwMessageDialog)

CwInterventionDialog *cw_intervention_dialog_new                  (GtkWindow            *parent,
                                                                   CwIntervention       *intervention);
gint64                cw_intervention_dialog_get_intervention_id  (CwInterventionDialog *self);
char                 *cw_intervention_dialog_dup_line_title       (CwInterventionDialog *self);
char                 *cw_intervention_dialog_dup_description      (CwInterventionDialog *self);
gboolean              cw_intervention_dialog_get_price            (CwInterventionDialog *self,
                                                                   gint64               *cents);
gboolean              cw_intervention_dialog_get_can_save         (CwInterventionDialog *self);

G_END_DECLS
