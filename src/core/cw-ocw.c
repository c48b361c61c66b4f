/* cw-ocw.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-ocw"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cw-ocw.h"
#include "cw-text.h"
#include "cw-writeback.h"

/*
 * The rules of One Connect Workspace (DESIGN §4, seeds/000), as pure functions: which
 * workorders show the OCW button, which colour a PON answer means, when to ask PON again,
 * and when the mileage and the safety intervention go to the DMS. docs/ocw.md explains
 * each decision.
 */

CwOcwStatus *
cw_ocw_status_new (void)
{
  CwOcwStatus *status = g_new0 (CwOcwStatus, 1);

  status->mileage_km = -1;

  return status;
}

CwOcwStatus *
cw_ocw_status_copy (const CwOcwStatus *status)
{
  CwOcwStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = g_memdup2 (status, sizeof *status);
  copy->mileage_at = status->mileage_at != NULL ? g_date_time_ref (status->mileage_at) : NULL;
  copy->portal_url = g_strdup (status->portal_url);

  return copy;
}

void
cw_ocw_status_free (CwOcwStatus *status)
{
  if (status == NULL)
    return;

  g_clear_pointer (&status->mileage_at, g_date_time_unref);
  g_free (status->portal_url);
  g_free (status);
}

/**
 * cw_ocw_status_set_mileage:
 * @status: a #CwOcwStatus
 * @value: the reading
 * @unit: "km" or "mi" (any case); %NULL for km
 * @at: (nullable): when the car read it
 *
 * Stores the reading in whole kilometres (miles converted, rounded).
 *
 * Returns: %FALSE (and nothing stored) for a unit other than km or miles, or a value that
 *   is negative, not finite or beyond 9,999,999 km
 */
gboolean
cw_ocw_status_set_mileage (CwOcwStatus *status,
                           double       value,
                           const char  *unit,
                           GDateTime   *at)
{
  double km;

  g_return_val_if_fail (status != NULL, FALSE);

  if (unit == NULL || g_ascii_strcasecmp (unit, "km") == 0)
    km = value;
  else if (g_ascii_strcasecmp (unit, "mi") == 0 || g_ascii_strcasecmp (unit, "miles") == 0)
    km = value * 1.609344;
  else
    return FALSE;

  if (!isfinite (km) || km < 0 || km > 9999999.0)
    return FALSE;

  status->mileage_km = (gint64) llround (km);
  g_clear_pointer (&status->mileage_at, g_date_time_unref);
  status->mileage_at = at != NULL ? g_date_time_ref (at) : NULL;

  return TRUE;
}

/**
 * cw_ocw_is_volkswagen:
 * @make: (nullable): the car's make as the DMS wrote it
 *
 * Whether the make is Volkswagen, in any case and spacing: "Volkswagen", "VOLKSWAGEN",
 * "Volks wagen", "VW", "V.W.". Volkswagen's commercial vehicles count too ("Volkswagen
 * Bedrijfswagens", "VW Nutzfahrzeuge", "Volkswagen Commercial Vehicles", "Volkswagen
 * Utilitaires"): they are Volkswagen cars with the same connectivity, and PON sells them.
 * The other makes of the group (Audi, Škoda, SEAT, Cupra, Porsche) do not.
 *
 * Returns: %TRUE for a Volkswagen
 */
gboolean
cw_ocw_is_volkswagen (const char *make)
{
  g_autofree char *folded = NULL;
  g_autoptr(GString) letters = NULL;
  static const char * const commercial[] = {
    "bedrijfswagens", "nutzfahrzeuge", "commercialvehicles", "commercial", "utilitaires", "lcv", "cv",
  };

  if (make == NULL)
    return FALSE;

  folded = g_utf8_casefold (make, -1);
  letters = g_string_new (NULL);
  for (const char *p = folded; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (letters, *p);

  if (g_str_equal (letters->str, "volkswagen") || g_str_equal (letters->str, "vw"))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (commercial); i++)
    {
      g_autofree char *long_name = g_strconcat ("volkswagen", commercial[i], NULL);
      g_autofree char *short_name = g_strconcat ("vw", commercial[i], NULL);

      if (g_str_equal (letters->str, long_name) || g_str_equal (letters->str, short_name))
        return TRUE;
    }

  return FALSE;
}

/**
 * cw_ocw_button_shown:
 * @has_account: a PON account is stored
 * @make: (nullable): the car's make
 *
 * Returns: whether the workorder page shows the OCW button
 */
gboolean
cw_ocw_button_shown (gboolean    has_account,
                     const char *make)
{
  return has_account && cw_ocw_is_volkswagen (make);
}

/**
 * cw_ocw_state_from_status:
 * @status: what PON said
 *
 * Grey when the car cannot use OCW; orange in maintenance mode (which only a capable car
 * has); green when connected; red otherwise: capable but not activated, and activated but
 * not connected (the customer has to finish the set-up in the app, which the portal helps
 * with, so the red button's action is the right one).
 *
 * Returns: the car's state
 */
CwOcwState
cw_ocw_state_from_status (const CwOcwStatus *status)
{
  g_return_val_if_fail (status != NULL, CW_OCW_UNKNOWN);

  if (!status->capable)
    return CW_OCW_NOT_CAPABLE;
  if (status->maintenance)
    return CW_OCW_MAINTENANCE;
  if (status->activated && status->connected)
    return CW_OCW_CONNECTED;

  return CW_OCW_NOT_ACTIVATED;
}

/**
 * cw_ocw_refresh_due:
 * @last_check: (nullable): when PON last answered about the car for this workorder
 * @now: the time now
 * @status: the workorder's status
 * @invoiced: the workorder is invoiced in the DMS
 *
 * Opening a workorder asks PON again when its last answer is 30 minutes old or older (or
 * there is none), and only while the workorder has not reached Car ready, is not
 * canceled and is not invoiced. Backorder is before Car ready.
 *
 * Returns: whether to ask PON now
 */
gboolean
cw_ocw_refresh_due (GDateTime *last_check,
                    GDateTime *now,
                    CwStatus   status,
                    gboolean   invoiced)
{
  g_return_val_if_fail (now != NULL, FALSE);

  if (invoiced || status == CW_STATUS_CANCELED || status == CW_STATUS_CAR_READY)
    return FALSE;

  if (last_check == NULL)
    return TRUE;

  return g_date_time_difference (now, last_check) >= (GTimeSpan) CW_OCW_REFRESH_SECONDS * G_TIME_SPAN_SECOND;
}

/**
 * cw_ocw_mileage_writeback_due:
 * @ocw_mileage: the mileage PON gave, km; negative when none
 * @dms_mileage: the DMS's mileage, km; negative when the DMS has none
 * @policy: the connection's writeback policy (the dealer's option and what the DMS takes)
 *
 * Returns: whether the OCW mileage goes to the DMS: only when higher than the DMS's and
 *   writeback of mileage is on
 */
gboolean
cw_ocw_mileage_writeback_due (gint64         ocw_mileage,
                              gint64         dms_mileage,
                              CwCapabilities policy)
{
  return cw_writeback_mileage_is_due (ocw_mileage, dms_mileage, policy);
}

/**
 * cw_ocw_safety_intervention_due:
 * @state: the car's state
 * @already_added: the workorder has the OCW safety intervention
 *
 * Returns: whether to add the safety intervention: once per workorder, when connected
 */
gboolean
cw_ocw_safety_intervention_due (CwOcwState state,
                                gboolean   already_added)
{
  return state == CW_OCW_CONNECTED && !already_added;
}

/**
 * cw_ocw_state_get_label:
 * @state: a state
 *
 * Returns: the state in words, for the button and screen readers
 */
const char *
cw_ocw_state_get_label (CwOcwState state)
{
  switch (state)
    {
    case CW_OCW_NOT_CAPABLE:
      return _("OCW not available for this car");
    case CW_OCW_NOT_ACTIVATED:
      return _("OCW not activated");
    case CW_OCW_CONNECTED:
      return _("OCW connected");
    case CW_OCW_MAINTENANCE:
      return _("OCW in maintenance mode");
    case CW_OCW_UNKNOWN:
    default:
      return _("OCW state unknown");
    }
}

/**
 * cw_ocw_state_get_icon_name:
 * @state: a state
 *
 * Returns: a symbolic icon of its own for each state, so colour is never the only cue
 */
const char *
cw_ocw_state_get_icon_name (CwOcwState state)
{
  switch (state)
    {
    case CW_OCW_NOT_CAPABLE:
      return "action-unavailable-symbolic";
    case CW_OCW_NOT_ACTIVATED:
      return "network-wireless-disabled-symbolic";
    case CW_OCW_CONNECTED:
      return "network-wireless-signal-excellent-symbolic";
    case CW_OCW_MAINTENANCE:
      return "emblem-system-symbolic";
    case CW_OCW_UNKNOWN:
    default:
      return "dialog-question-symbolic";
    }
}

/**
 * cw_ocw_safety_title:
 *
 * Returns: the title of the intervention added for a connected car, in the desk's language
 */
const char *
cw_ocw_safety_title (void)
{
  return _("Connected car: disconnected during the service");
}

/**
 * cw_ocw_safety_description:
 *
 * Returns: what the intervention tells the customer, in the desk's language
 */
const char *
cw_ocw_safety_description (void)
{
  return _("Your car is connected to the Volkswagen app. For safety reasons we disconnect it while we work on it; it connects again when the service is done.");
}
