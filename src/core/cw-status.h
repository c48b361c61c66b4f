/* cw-status.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CwStatus:
 *
 * The process status of a workorder (DESIGN §2). The first ten values are the forward
 * steps, in order; %CW_STATUS_BACKORDER and %CW_STATUS_CANCELED stand beside them.
 */
typedef enum
{
  CW_STATUS_NEW_ENTRY,
  CW_STATUS_CAR_IN_SHOP,
  CW_STATUS_CHECK_STARTED,
  CW_STATUS_CHECK_READY,
  CW_STATUS_CALCULATING,
  CW_STATUS_PROPOSAL_OK,
  CW_STATUS_CONTACT_CUSTOMER,
  CW_STATUS_CUSTOMER_ANSWERED,
  CW_STATUS_CUSTOMER_OK,
  CW_STATUS_CAR_READY,
  CW_STATUS_BACKORDER,
  CW_STATUS_CANCELED,
} CwStatus;

#define CW_STATUS_LAST_STEP CW_STATUS_CAR_READY

/**
 * CwShopState:
 * @CW_SHOP_NOT_ARRIVED: the car has not been reported in the shop yet
 * @CW_SHOP_IN: the car is in the shop
 * @CW_SHOP_LEFT: the car was in the shop and has left it
 */
typedef enum
{
  CW_SHOP_NOT_ARRIVED,
  CW_SHOP_IN,
  CW_SHOP_LEFT,
} CwShopState;

typedef enum
{
  CW_CANCEL_REASON_NONE,
  CW_CANCEL_REASON_NO_SHOW,
  CW_CANCEL_REASON_CUSTOMER,
  CW_CANCEL_REASON_DEALER,
  CW_CANCEL_REASON_OTHER,
} CwCancelReason;

#define CW_STATUS_ERROR (cw_status_error_quark ())

/**
 * CwStatusError:
 * @CW_STATUS_ERROR_BACKWARD: the target step is not later than the current one
 * @CW_STATUS_ERROR_FROZEN: the workorder is canceled and no longer changes
 * @CW_STATUS_ERROR_CANCEL_NOT_ALLOWED: cancel is only allowed in New entry and Car in shop
 * @CW_STATUS_ERROR_REASON_REQUIRED: cancel needs a reason (and a text for "Other")
 * @CW_STATUS_ERROR_NOT_ALLOWED: any other refused transition (e.g. Backorder before work started)
 */
typedef enum
{
  CW_STATUS_ERROR_BACKWARD,
  CW_STATUS_ERROR_FROZEN,
  CW_STATUS_ERROR_CANCEL_NOT_ALLOWED,
  CW_STATUS_ERROR_REASON_REQUIRED,
  CW_STATUS_ERROR_NOT_ALLOWED,
} CwStatusError;

/**
 * CwProcess:
 * @status: the current status
 * @resume_status: while in Backorder, the step the workorder was at when it entered it
 * @shop: whether the car is in the shop
 * @cancel_reason: why the workorder was canceled, %CW_CANCEL_REASON_NONE otherwise
 *
 * The part of a workorder that the workflow rules read and change. The rules are pure
 * functions over this value; the store persists it and records each change as a timeline
 * event. A free-text cancel reason lives beside it in #CwWorkorder.
 */
typedef struct
{
  CwStatus       status;
  CwStatus       resume_status;
  CwShopState    shop;
  CwCancelReason cancel_reason;
} CwProcess;

/**
 * CwProcessAction:
 * @CW_PROCESS_ADVANCE: move to #CwProcessChange.target (a step or Backorder)
 * @CW_PROCESS_TOGGLE_SHOP: the Car-in-shop in/out toggle
 * @CW_PROCESS_CANCEL: cancel with #CwProcessChange.reason (and .text for Other)
 */
typedef enum
{
  CW_PROCESS_ADVANCE,
  CW_PROCESS_TOGGLE_SHOP,
  CW_PROCESS_CANCEL,
} CwProcessAction;

/**
 * CwProcessChange:
 *
 * One change an advisor asks for, as a value, so that it can be checked, stored and
 * recorded on the timeline in one transaction (see cw_store_change_process()).
 */
typedef struct
{
  CwProcessAction  action;
  CwStatus         target;
  CwCancelReason   reason;
  const char      *text;
} CwProcessChange;

#define CW_PROCESS_INIT ((CwProcess) { CW_STATUS_NEW_ENTRY, CW_STATUS_NEW_ENTRY, CW_SHOP_NOT_ARRIVED, CW_CANCEL_REASON_NONE })

GQuark       cw_status_error_quark         (void);

gboolean     cw_status_is_step             (CwStatus          status);
gboolean     cw_status_is_work_started     (CwStatus          status);
gboolean     cw_status_has_reached         (CwStatus          status,
                                            CwStatus          step);
CwStatus     cw_status_next_step           (CwStatus          status);
const char  *cw_status_get_label           (CwStatus          status);
const char  *cw_status_get_icon_name       (CwStatus          status);


const char  *cw_cancel_reason_get_label    (CwCancelReason    reason);

gboolean     cw_process_can_advance        (const CwProcess  *process,
                                            CwStatus          target,
                                            GError          **error);
gboolean     cw_process_advance            (CwProcess        *process,
                                            CwStatus          target,
                                            GError          **error);
gboolean     cw_process_can_toggle_shop    (const CwProcess  *process,
                                            GError          **error);
gboolean     cw_process_toggle_shop        (CwProcess        *process,
                                            GError          **error);
gboolean     cw_process_can_cancel         (const CwProcess  *process,
                                            GError          **error);
gboolean     cw_process_cancel             (CwProcess        *process,
                                            CwCancelReason    reason,
                                            const char       *other_text,
                                            GError          **error);
gboolean     cw_process_follow_dms_shop    (CwProcess              *process,
                                            CwShopState             dms_shop);
gboolean     cw_process_apply              (CwProcess              *process,
                                            const CwProcessChange  *change,
                                            GError                **error);

G_END_DECLS
