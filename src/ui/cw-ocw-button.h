/* cw-ocw-button.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-ocw.h"

G_BEGIN_DECLS

#define CW_TYPE_OCW_BUTTON (cw_ocw_button_get_type ())

G_DECLARE_FINAL_TYPE (CwOcwButton, cw_ocw_button, CW, OCW_BUTTON, GtkButton)

GtkWidget  *cw_ocw_button_new              (void);
CwOcwState  cw_ocw_button_get_state        (CwOcwButton       *self);
void        cw_ocw_button_set_state        (CwOcwButton       *self,
                                            CwOcwState         state);
gboolean    cw_ocw_button_get_checking     (CwOcwButton       *self);
void        cw_ocw_button_set_checking     (CwOcwButton       *self,
                                            gboolean           checking);
gboolean    cw_ocw_button_get_unreachable  (CwOcwButton       *self);
void        cw_ocw_button_set_unreachable  (CwOcwButton       *self,
                                            gboolean           unreachable);
const char *cw_ocw_button_get_message      (CwOcwButton       *self);
void        cw_ocw_button_set_message      (CwOcwButton       *self,
                                            const char        *message);
gint64      cw_ocw_button_get_mileage      (CwOcwButton       *self);
void        cw_ocw_button_set_mileage      (CwOcwButton       *self,
                                            gint64             mileage);
GDateTime  *cw_ocw_button_get_reading_time (CwOcwButton       *self);
void        cw_ocw_button_set_reading_time (CwOcwButton       *self,
                                            GDateTime         *reading_time);
const char *cw_ocw_button_get_portal_url   (CwOcwButton       *self);
void        cw_ocw_button_set_portal_url   (CwOcwButton       *self,
                                            const char        *portal_url);
void        cw_ocw_button_set_status       (CwOcwButton       *self,
                                            const CwOcwStatus *status);
gboolean    cw_ocw_button_can_open_portal  (CwOcwButton       *self);

G_END_DECLS
