/* cw-intervention.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CwInterventionSource:
 * @CW_INTERVENTION_SOURCE_DMS: imported from the DMS; read-only in the app
 * @CW_INTERVENTION_SOURCE_OCW: added by the app for a car connected to OCW
 * @CW_INTERVENTION_SOURCE_LOCAL: added by the advisor
 */
typedef enum
{
  CW_INTERVENTION_SOURCE_DMS,
  CW_INTERVENTION_SOURCE_OCW,
  CW_INTERVENTION_SOURCE_LOCAL,
} CwInterventionSource;

/**
 * CwElementKind:
 * @CW_ELEMENT_KIND_UNSPECIFIED: the DMS does not say
 */
typedef enum
{
  CW_ELEMENT_KIND_UNSPECIFIED,
  CW_ELEMENT_KIND_LABOUR,
  CW_ELEMENT_KIND_PART,
  CW_ELEMENT_KIND_MENU,
  CW_ELEMENT_KIND_NOTE,
} CwElementKind;

#define CW_TYPE_INTERVENTION (cw_intervention_get_type ())

G_DECLARE_FINAL_TYPE (CwIntervention, cw_intervention, CW, INTERVENTION, GObject)

CwIntervention       *cw_intervention_new              (CwInterventionSource  source);
CwIntervention       *cw_intervention_copy             (CwIntervention       *self);
gint64                cw_intervention_get_id           (CwIntervention       *self);
void                  cw_intervention_set_id           (CwIntervention       *self,
                                                        gint64                id);
CwInterventionSource  cw_intervention_get_source       (CwIntervention       *self);
CwElementKind         cw_intervention_get_element_kind (CwIntervention       *self);
void                  cw_intervention_set_element_kind (CwIntervention       *self,
                                                        CwElementKind         kind);
const char           *cw_intervention_get_dms_line_id  (CwIntervention       *self);
void                  cw_intervention_set_dms_line_id  (CwIntervention       *self,
                                                        const char           *dms_line_id);
const char           *cw_intervention_get_title        (CwIntervention       *self);
void                  cw_intervention_set_title        (CwIntervention       *self,
                                                        const char           *title);
const char           *cw_intervention_get_description  (CwIntervention       *self);
void                  cw_intervention_set_description  (CwIntervention       *self,
                                                        const char           *description);
gboolean              cw_intervention_get_price        (CwIntervention       *self,
                                                        gint64               *cents);
void                  cw_intervention_set_price        (CwIntervention       *self,
                                                        gint64                cents);
void                  cw_intervention_unset_price      (CwIntervention       *self);
const char           *cw_intervention_get_currency     (CwIntervention       *self);
void                  cw_intervention_set_currency     (CwIntervention       *self,
                                                        const char           *currency);
const char * const   *cw_intervention_get_part_codes   (CwIntervention       *self);
void                  cw_intervention_set_part_codes   (CwIntervention       *self,
                                                        const char * const   *part_codes);
gboolean              cw_intervention_is_editable      (CwIntervention       *self);

G_END_DECLS
