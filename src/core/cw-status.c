/* cw-status.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-status"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-status.h"
#include "cw-text.h"

/*
 * The workflow rules of DESIGN §2 as pure functions over a CwProcess value. The decisions
 * the design leaves open are written down in docs/workflow.md; in short:
 *
 *  - any later step may be chosen (a desk has no tablet to press the mechanic's steps), but
 *    never the current or an earlier one;
 *  - Backorder can be entered once work has started and before Car ready; leaving it goes
 *    to the step it was entered from or any later one;
 *  - the in/out toggle works in every status but Canceled; in New entry, toggling "in" is
 *    the Car in shop step itself;
 *  - cancel needs a reason, and a text for "Other", and only New entry and Car in shop allow it.
 */

static const struct {
  const char *label;
  const char *icon_name;
} statuses[] = {
  [CW_STATUS_NEW_ENTRY]         = { N_("New entry"),         "document-new-symbolic" },
  [CW_STATUS_CAR_IN_SHOP]       = { N_("Car in shop"),       "go-home-symbolic" },
  [CW_STATUS_CHECK_STARTED]     = { N_("Check started"),     "system-run-symbolic" },
  [CW_STATUS_CHECK_READY]       = { N_("Check ready"),       "object-select-symbolic" },
  [CW_STATUS_CALCULATING]       = { N_("Calculating"),       "accessories-calculator-symbolic" },
  [CW_STATUS_PROPOSAL_OK]       = { N_("Proposal OK"),       "mail-attachment-symbolic" },
  [CW_STATUS_CONTACT_CUSTOMER]  = { N_("Contact customer"),  "call-start-symbolic" },
  [CW_STATUS_CUSTOMER_ANSWERED] = { N_("Customer answered"), "mail-reply-sender-symbolic" },
  [CW_STATUS_CUSTOMER_OK]       = { N_("Customer OK"),       "emblem-ok-symbolic" },
  [CW_STATUS_CAR_READY]         = { N_("Car ready"),         "emblem-default-symbolic" },
  [CW_STATUS_BACKORDER]         = { N_("Backorder"),         "content-loading-symbolic" },
  [CW_STATUS_CANCELED]          = { N_("Canceled"),          "action-unavailable-symbolic" },
};

static const char * const cancel_labels[] = {
  [CW_CANCEL_REASON_NONE]     = NULL,
  [CW_CANCEL_REASON_NO_SHOW]  = N_("Customer no-show"),
  [CW_CANCEL_REASON_CUSTOMER] = N_("Customer cancelation"),
  [CW_CANCEL_REASON_DEALER]   = N_("Dealer cancelation"),
  [CW_CANCEL_REASON_OTHER]    = N_("Other"),
};

G_DEFINE_QUARK (cw-status-error-quark, cw_status_error)

static gboolean
status_is_valid (CwStatus status)
{
  return (guint) status < G_N_ELEMENTS (statuses);
}

/**
 * cw_status_is_step:
 * @status: a #CwStatus
 *
 * Returns: %TRUE if @status is one of the forward steps, New entry to Car ready
 */
gboolean
cw_status_is_step (CwStatus status)
{
  return (guint) status <= CW_STATUS_LAST_STEP;
}

/**
 * cw_status_is_work_started:
 * @status: a #CwStatus
 *
 * "Work has started" from Check started on, Backorder included (it can only be entered
 * after work started). A canceled workorder never started work: cancel is refused later.
 *
 * Returns: %TRUE if work has started in @status
 */
gboolean
cw_status_is_work_started (CwStatus status)
{
  if (status == CW_STATUS_BACKORDER)
    return TRUE;

  return cw_status_is_step (status) && status >= CW_STATUS_CHECK_STARTED;
}

/**
 * cw_status_has_reached:
 * @status: the current status
 * @step: a forward step
 *
 * Returns: %TRUE if @status is @step or a later step. Backorder has reached the steps up
 *   to Check started; Canceled has reached none.
 */
gboolean
cw_status_has_reached (CwStatus status,
                       CwStatus step)
{
  g_return_val_if_fail (cw_status_is_step (step), FALSE);

  if (status == CW_STATUS_BACKORDER)
    return step <= CW_STATUS_CHECK_STARTED;

  return cw_status_is_step (status) && status >= step;
}

/**
 * cw_status_next_step:
 * @status: a #CwStatus
 *
 * Returns: the step after @status, or @status itself when there is none (Car ready,
 *   Backorder and Canceled have no single next step)
 */
CwStatus
cw_status_next_step (CwStatus status)
{
  if (!cw_status_is_step (status) || status == CW_STATUS_LAST_STEP)
    return status;

  return status + 1;
}


/**
 * cw_status_get_label:
 * @status: a #CwStatus
 *
 * Returns: (transfer none): the translated name of @status
 */
const char *
cw_status_get_label (CwStatus status)
{
  g_return_val_if_fail (status_is_valid (status), NULL);

  return g_dgettext (GETTEXT_PACKAGE, statuses[status].label);
}

const char *
cw_status_get_icon_name (CwStatus status)
{
  g_return_val_if_fail (status_is_valid (status), NULL);

  return statuses[status].icon_name;
}



/**
 * cw_cancel_reason_get_label:
 * @reason: a #CwCancelReason
 *
 * Returns: (transfer none) (nullable): the translated reason, %NULL for
 *   %CW_CANCEL_REASON_NONE
 */
const char *
cw_cancel_reason_get_label (CwCancelReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (cancel_labels), NULL);

  if (cancel_labels[reason] == NULL)
    return NULL;

  return g_dgettext (GETTEXT_PACKAGE, cancel_labels[reason]);
}

static gboolean
refuse_if_canceled (const CwProcess  *process,
                    GError          **error)
{
  if (process->status != CW_STATUS_CANCELED)
    return TRUE;

  g_set_error_literal (error, CW_STATUS_ERROR, CW_STATUS_ERROR_FROZEN,
                       _("This workorder is canceled and can no longer change."));
  return FALSE;
}

static gboolean
can_enter_backorder (const CwProcess  *process,
                     GError          **error)
{
  if (process->status == CW_STATUS_BACKORDER)
    {
      g_set_error_literal (error, CW_STATUS_ERROR, CW_STATUS_ERROR_NOT_ALLOWED,
                           _("This workorder is already in backorder."));
      return FALSE;
    }

  if (!cw_status_is_work_started (process->status) || process->status == CW_STATUS_CAR_READY)
    {
      g_set_error_literal (error, CW_STATUS_ERROR, CW_STATUS_ERROR_NOT_ALLOWED,
                           _("Backorder is only possible after the check has started and before the car is ready."));
      return FALSE;
    }

  return TRUE;
}

/**
 * cw_process_can_advance:
 * @process: the current process state
 * @target: the status to go to: a forward step or %CW_STATUS_BACKORDER
 * @error: return location for a #CwStatusError
 *
 * Checks a status change without making it. Canceling has its own function,
 * cw_process_cancel(), because it needs a reason.
 *
 * Returns: %TRUE if @process may move to @target
 */
gboolean
cw_process_can_advance (const CwProcess  *process,
                        CwStatus          target,
                        GError          **error)
{
  CwStatus from;

  g_return_val_if_fail (process != NULL, FALSE);
  g_return_val_if_fail (status_is_valid (target), FALSE);

  if (!refuse_if_canceled (process, error))
    return FALSE;

  if (target == CW_STATUS_CANCELED)
    {
      g_set_error_literal (error, CW_STATUS_ERROR, CW_STATUS_ERROR_REASON_REQUIRED,
                           _("Canceling a workorder needs a reason."));
      return FALSE;
    }

  if (target == CW_STATUS_BACKORDER)
    return can_enter_backorder (process, error);

  /* Leaving Backorder resumes at the step it was entered from, or any later one. */
  if (process->status == CW_STATUS_BACKORDER)
    {
      if (target < process->resume_status)
        {
          g_set_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_BACKWARD,
                       _("Statuses only move forward: this workorder was at “%s” before the backorder."),
                       cw_status_get_label (process->resume_status));
          return FALSE;
        }

      return TRUE;
    }

  from = process->status;
  if (target <= from)
    {
      g_set_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_BACKWARD,
                   _("Statuses only move forward: this workorder is already at “%s”."),
                   cw_status_get_label (from));
      return FALSE;
    }

  return TRUE;
}

/**
 * cw_process_advance:
 * @process: the process state to change
 * @target: the status to go to: a forward step or %CW_STATUS_BACKORDER
 * @error: return location for a #CwStatusError
 *
 * Moves @process to @target if the rules allow it; leaves it unchanged otherwise. Reaching
 * any step from Car in shop on marks a car that had not arrived as in the shop.
 *
 * Returns: %TRUE if @process changed
 */
gboolean
cw_process_advance (CwProcess  *process,
                    CwStatus    target,
                    GError    **error)
{
  g_return_val_if_fail (process != NULL, FALSE);

  if (!cw_process_can_advance (process, target, error))
    return FALSE;

  if (target == CW_STATUS_BACKORDER)
    process->resume_status = process->status;
  else
    process->resume_status = target;

  /* Any step from Car in shop on means the car has arrived. */
  if (cw_status_is_step (target) && process->shop == CW_SHOP_NOT_ARRIVED)
    process->shop = CW_SHOP_IN;

  process->status = target;

  return TRUE;
}

/**
 * cw_process_can_toggle_shop:
 * @process: the current process state
 * @error: return location for a #CwStatusError
 *
 * Returns: %TRUE if the Car-in-shop in/out toggle may be used
 */
gboolean
cw_process_can_toggle_shop (const CwProcess  *process,
                            GError          **error)
{
  g_return_val_if_fail (process != NULL, FALSE);

  return refuse_if_canceled (process, error);
}

/**
 * cw_process_toggle_shop:
 * @process: the process state to change
 * @error: return location for a #CwStatusError
 *
 * The Car-in-shop toggle: a car that is not in the shop comes in, a car in the shop leaves
 * it. In New entry, coming in is also the Car in shop step. It never changes a later
 * status: a car that leaves the shop keeps its step.
 *
 * Returns: %TRUE if @process changed
 */
gboolean
cw_process_toggle_shop (CwProcess  *process,
                        GError    **error)
{
  g_return_val_if_fail (process != NULL, FALSE);

  if (!cw_process_can_toggle_shop (process, error))
    return FALSE;

  if (process->shop == CW_SHOP_IN)
    {
      process->shop = CW_SHOP_LEFT;
      return TRUE;
    }

  process->shop = CW_SHOP_IN;
  if (process->status == CW_STATUS_NEW_ENTRY)
    process->status = process->resume_status = CW_STATUS_CAR_IN_SHOP;

  return TRUE;
}

/**
 * cw_process_can_cancel:
 * @process: the current process state
 * @error: return location for a #CwStatusError
 *
 * Returns: %TRUE if @process is in New entry or Car in shop
 */
gboolean
cw_process_can_cancel (const CwProcess  *process,
                       GError          **error)
{
  g_return_val_if_fail (process != NULL, FALSE);

  if (!refuse_if_canceled (process, error))
    return FALSE;

  if (process->status != CW_STATUS_NEW_ENTRY && process->status != CW_STATUS_CAR_IN_SHOP)
    {
      g_set_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_CANCEL_NOT_ALLOWED,
                   _("A workorder can only be canceled in “%s” or “%s”; this one is at “%s”."),
                   cw_status_get_label (CW_STATUS_NEW_ENTRY),
                   cw_status_get_label (CW_STATUS_CAR_IN_SHOP),
                   cw_status_get_label (process->status));
      return FALSE;
    }

  return TRUE;
}

/**
 * cw_process_cancel:
 * @process: the process state to change
 * @reason: why the workorder is canceled
 * @other_text: (nullable): the explanation, required for %CW_CANCEL_REASON_OTHER
 * @error: return location for a #CwStatusError
 *
 * Cancels the workorder. After this, every change is refused.
 *
 * Returns: %TRUE if @process changed
 */
gboolean
cw_process_cancel (CwProcess       *process,
                   CwCancelReason   reason,
                   const char      *other_text,
                   GError         **error)
{
  g_return_val_if_fail (process != NULL, FALSE);

  if (!cw_process_can_cancel (process, error))
    return FALSE;

  if (reason == CW_CANCEL_REASON_NONE || (guint) reason >= G_N_ELEMENTS (cancel_labels))
    {
      g_set_error_literal (error, CW_STATUS_ERROR, CW_STATUS_ERROR_REASON_REQUIRED,
                           _("Choose why the workorder is canceled."));
      return FALSE;
    }

  if (reason == CW_CANCEL_REASON_OTHER)
    {
      g_autofree char *stripped = cw_text_dup_stripped (other_text);

      if (stripped == NULL)
        {
          g_set_error_literal (error, CW_STATUS_ERROR, CW_STATUS_ERROR_REASON_REQUIRED,
                               _("Describe why the workorder is canceled."));
          return FALSE;
        }
    }

  process->resume_status = process->status;
  process->status = CW_STATUS_CANCELED;
  process->cancel_reason = reason;

  return TRUE;
}

/**
 * cw_process_apply:
 * @process: the process state to change
 * @change: the change asked for
 * @error: return location for a #CwStatusError
 *
 * Applies @change with the rule of its action: cw_process_advance(),
 * cw_process_toggle_shop() or cw_process_cancel().
 *
 * Returns: %TRUE if @process changed
 */
gboolean
cw_process_apply (CwProcess              *process,
                  const CwProcessChange  *change,
                  GError                **error)
{
  g_return_val_if_fail (process != NULL, FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  switch (change->action)
    {
    case CW_PROCESS_ADVANCE:
      return cw_process_advance (process, change->target, error);

    case CW_PROCESS_TOGGLE_SHOP:
      return cw_process_toggle_shop (process, error);

    case CW_PROCESS_CANCEL:
      return cw_process_cancel (process, change->reason, change->text, error);

    default:
      g_return_val_if_reached (FALSE);
    }
}

/**
 * cw_process_follow_dms_shop:
 * @process: the process state to change
 * @dms_shop: what the DMS now says about the car being in the shop
 *
 * Applies a change the DMS reports in its own in/out of shop state: in, the car comes in
 * (New entry becomes Car in shop); left, the car leaves. The DMS saying nothing
 * (%CW_SHOP_NOT_ARRIVED) changes nothing, and neither does anything on a canceled
 * workorder. Only a *change* of the DMS's value should be applied, so that the advisor's
 * own toggle is not overruled by a DMS repeating itself: the store keeps the last value.
 *
 * Returns: %TRUE if @process changed
 */
gboolean
cw_process_follow_dms_shop (CwProcess   *process,
                            CwShopState  dms_shop)
{
  g_return_val_if_fail (process != NULL, FALSE);

  if (dms_shop == CW_SHOP_NOT_ARRIVED || process->status == CW_STATUS_CANCELED ||
      process->shop == dms_shop)
    return FALSE;

  if (dms_shop == CW_SHOP_LEFT && process->shop == CW_SHOP_NOT_ARRIVED)
    return FALSE;

  return cw_process_toggle_shop (process, NULL);
}
