/* cw-workorder.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-car.h"
#include "cw-intervention.h"
#include "cw-ocw.h"
#include "cw-party.h"
#include "cw-status.h"

G_BEGIN_DECLS

/**
 * CwWorkorderField:
 * @CW_WORKORDER_CONNECTION_ID: the configured DMS connection the workorder came from
 * @CW_WORKORDER_DMS_KEY: the identity of the workorder in that DMS, as the connector
 *   defines it; when unset, the DMS number, then the WO number, stands in
 * @CW_WORKORDER_UPDATED_BY: who made the last change in the app
 *
 * The text fields of a workorder; each is also a property.
 */
typedef enum
{
  CW_WORKORDER_CONNECTION_ID,
  CW_WORKORDER_DMS_KEY,
  CW_WORKORDER_DMS_NUMBER,
  CW_WORKORDER_WO_NUMBER,
  CW_WORKORDER_DMS_NOTES,
  CW_WORKORDER_LOCATION,
  CW_WORKORDER_CANCEL_TEXT,
  CW_WORKORDER_UPDATED_BY,
} CwWorkorderField;

#define CW_WORKORDER_N_FIELDS (CW_WORKORDER_UPDATED_BY + 1)

/**
 * CwWorkorderTime:
 * @CW_WORKORDER_DMS_CREATED: when the workorder was created in the DMS
 * @CW_WORKORDER_LAST_SYNC: when the DMS data was last imported or refreshed
 * @CW_WORKORDER_UPDATED_AT: when the workorder last changed in the app
 *
 * The moments of a workorder; each is also a #GDateTime property.
 */
typedef enum
{
  CW_WORKORDER_APPOINTMENT,
  CW_WORKORDER_DMS_CREATED,
  CW_WORKORDER_SCHEDULED_IN,
  CW_WORKORDER_SCHEDULED_OUT,
  CW_WORKORDER_LAST_SYNC,
  CW_WORKORDER_UPDATED_AT,
} CwWorkorderTime;

#define CW_WORKORDER_N_TIMES (CW_WORKORDER_UPDATED_AT + 1)

/**
 * CwWorkorderFlag:
 * @CW_WORKORDER_BILLED: invoiced in the DMS; read-only from then on
 * @CW_WORKORDER_DMS_CANCELED: the DMS marks the workorder canceled
 *
 * The yes/no facts of a workorder; each is also a boolean property.
 */
typedef enum
{
  CW_WORKORDER_BILLED,
  CW_WORKORDER_INTERNAL,
  CW_WORKORDER_CUSTOMER_WAITING,
  CW_WORKORDER_DMS_CANCELED,
} CwWorkorderFlag;

#define CW_WORKORDER_N_FLAGS (CW_WORKORDER_DMS_CANCELED + 1)

/* The DMS mileage when the DMS did not give one. */
#define CW_MILEAGE_UNKNOWN (-1)

#define CW_TYPE_WORKORDER (cw_workorder_get_type ())

G_DECLARE_FINAL_TYPE (CwWorkorder, cw_workorder, CW, WORKORDER, GObject)

CwWorkorder  *cw_workorder_new                  (void);
gint64        cw_workorder_get_id               (CwWorkorder      *self);
void          cw_workorder_set_id               (CwWorkorder      *self,
                                                 gint64            id);
gint64        cw_workorder_get_revision         (CwWorkorder      *self);
void          cw_workorder_set_revision         (CwWorkorder      *self,
                                                 gint64            revision);
const char   *cw_workorder_get_field            (CwWorkorder      *self,
                                                 CwWorkorderField  field);
void          cw_workorder_set_field            (CwWorkorder      *self,
                                                 CwWorkorderField  field,
                                                 const char       *value);
GDateTime    *cw_workorder_get_time             (CwWorkorder      *self,
                                                 CwWorkorderTime   which);
void          cw_workorder_set_time             (CwWorkorder      *self,
                                                 CwWorkorderTime   which,
                                                 GDateTime        *time);
gboolean      cw_workorder_get_flag             (CwWorkorder      *self,
                                                 CwWorkorderFlag   flag);
void          cw_workorder_set_flag             (CwWorkorder      *self,
                                                 CwWorkorderFlag   flag,
                                                 gboolean          value);
gint64        cw_workorder_get_dms_mileage      (CwWorkorder      *self);
gint64        cw_workorder_get_mileage          (CwWorkorder      *self,
                                                 GDateTime       **at);
void          cw_workorder_set_mileage          (CwWorkorder      *self,
                                                 gint64            km,
                                                 GDateTime        *at);
CwOcwState    cw_workorder_get_ocw_state        (CwWorkorder      *self);
const CwOcwStatus *cw_workorder_get_ocw_status  (CwWorkorder      *self);
GDateTime    *cw_workorder_get_ocw_checked_at   (CwWorkorder      *self);
void          cw_workorder_set_ocw              (CwWorkorder      *self,
                                                 CwOcwState        state,
                                                 const CwOcwStatus *status,
                                                 GDateTime        *checked_at);
void          cw_workorder_set_dms_mileage      (CwWorkorder      *self,
                                                 gint64            km);
CwShopState   cw_workorder_get_dms_shop_state   (CwWorkorder      *self);
void          cw_workorder_set_dms_shop_state   (CwWorkorder      *self,
                                                 CwShopState       shop);
CwStatus      cw_workorder_get_status           (CwWorkorder      *self);
void          cw_workorder_get_process          (CwWorkorder      *self,
                                                 CwProcess        *process);
void          cw_workorder_set_process          (CwWorkorder      *self,
                                                 const CwProcess  *process);
CwCar        *cw_workorder_get_car              (CwWorkorder      *self);
void          cw_workorder_set_car              (CwWorkorder      *self,
                                                 CwCar            *car);
CwParty      *cw_workorder_get_party            (CwWorkorder      *self,
                                                 CwPartyRole       role);
void          cw_workorder_set_party            (CwWorkorder      *self,
                                                 CwParty          *party);
void          cw_workorder_clear_party          (CwWorkorder      *self,
                                                 CwPartyRole       role);
GListModel   *cw_workorder_get_interventions    (CwWorkorder      *self);
void          cw_workorder_append_intervention  (CwWorkorder      *self,
                                                 CwIntervention   *intervention);
void          cw_workorder_clear_interventions  (CwWorkorder      *self);
const char   *cw_workorder_get_identity         (CwWorkorder      *self);
char         *cw_workorder_dup_customer_name    (CwWorkorder      *self);
gboolean      cw_workorder_is_read_only         (CwWorkorder      *self);
gboolean      cw_workorder_is_work_started      (CwWorkorder      *self);
char         *cw_workorder_dup_dms_digest       (CwWorkorder      *self);

const char   *cw_workorder_field_get_name       (CwWorkorderField  field);
const char   *cw_workorder_time_get_name        (CwWorkorderTime   which);
const char   *cw_workorder_flag_get_name        (CwWorkorderFlag   flag);

G_END_DECLS
