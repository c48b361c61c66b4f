/* cw-ocw.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-capabilities.h"
#include "cw-status.h"

G_BEGIN_DECLS

/* How old the last PON reading of a car may be before opening its workorder asks again. */
#define CW_OCW_REFRESH_SECONDS (30 * 60)

/**
 * CwOcwState:
 * @CW_OCW_UNKNOWN: never asked (or the answer was lost)
 * @CW_OCW_NOT_CAPABLE: grey: the car cannot use OCW
 * @CW_OCW_NOT_ACTIVATED: red: the car can use OCW, but it is not activated (or not
 *   connected to the customer's phone)
 * @CW_OCW_CONNECTED: green: the car is connected
 * @CW_OCW_MAINTENANCE: orange: the car is in maintenance mode
 *
 * A car's One Connect Workspace state, as the PON API last gave it (DESIGN §4). The
 * states of the button while it asks ("checking…") or when PON cannot be reached are
 * the UI's, never stored.
 */
typedef enum
{
  CW_OCW_UNKNOWN,
  CW_OCW_NOT_CAPABLE,
  CW_OCW_NOT_ACTIVATED,
  CW_OCW_CONNECTED,
  CW_OCW_MAINTENANCE,
} CwOcwState;

/**
 * CwOcwStatus:
 * @capable: the car can use OCW
 * @activated: OCW is activated for the car
 * @connected: the car is connected to the customer's app
 * @maintenance: the car is in maintenance mode
 * @mileage_km: the car's mileage in km (converted from miles if PON gave miles), or -1
 * @mileage_at: (nullable): when the car read it
 * @portal_url: (nullable): the Volkswagen portal where the customer activates OCW
 *
 * What the PON API says about one car (docs/pon-api.md), as the PON client maps it.
 */
typedef struct
{
  gboolean   capable;
  gboolean   activated;
  gboolean   connected;
  gboolean   maintenance;
  gint64     mileage_km;
  GDateTime *mileage_at;
  char      *portal_url;
} CwOcwStatus;

CwOcwStatus *cw_ocw_status_new                (void);
CwOcwStatus *cw_ocw_status_copy               (const CwOcwStatus *status);
void         cw_ocw_status_free               (CwOcwStatus       *status);
gboolean     cw_ocw_status_set_mileage        (CwOcwStatus       *status,
                                               double             value,
                                               const char        *unit,
                                               GDateTime         *at);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwOcwStatus, cw_ocw_status_free)

gboolean     cw_ocw_is_volkswagen             (const char        *make);
gboolean     cw_ocw_button_shown              (gboolean           has_account,
                                               const char        *make);
CwOcwState   cw_ocw_state_from_status         (const CwOcwStatus *status);
gboolean     cw_ocw_refresh_due               (GDateTime         *last_check,
                                               GDateTime         *now,
                                               CwStatus           status,
                                               gboolean           invoiced);
gboolean     cw_ocw_mileage_writeback_due     (gint64             ocw_mileage,
                                               gint64             dms_mileage,
                                               CwCapabilities     policy);
gboolean     cw_ocw_safety_intervention_due   (CwOcwState         state,
                                               gboolean           already_added);
const char  *cw_ocw_state_get_label           (CwOcwState         state);
const char  *cw_ocw_state_get_icon_name       (CwOcwState         state);
const char  *cw_ocw_safety_title              (void);
const char  *cw_ocw_safety_description        (void);

G_END_DECLS
