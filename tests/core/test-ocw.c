/* test-ocw.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "cw-core-enums.h"
#include "cw-ocw.h"
#include "cw-writeback.h"

/*
 * The OCW rules of DESIGN §4 (src/core/cw-ocw.c), every combination: make spellings, the
 * PON flags, 29 vs 30 vs 31 minutes, every status, canceled and invoiced, higher / equal /
 * lower mileage against writeback on and off and each capability. The tables are the
 * oracle: each expected outcome is written out, not recomputed from the rules.
 */

static void
test_makes (void)
{
  static const struct { const char *make; gboolean vw; } cases[] = {
    { "Volkswagen", TRUE }, { "VOLKSWAGEN", TRUE }, { "volkswagen", TRUE },
    { " Volkswagen ", TRUE }, { "Volks wagen", TRUE }, { "Volks-Wagen", TRUE },
    { "VW", TRUE }, { "vw", TRUE }, { "V.W.", TRUE }, { " v w ", TRUE },
    { "Volkswagen Bedrijfswagens", TRUE }, { "VW Bedrijfswagens", TRUE },
    { "Volkswagen Nutzfahrzeuge", TRUE }, { "Volkswagen Commercial Vehicles", TRUE },
    { "Volkswagen Utilitaires", TRUE }, { "VW LCV", TRUE },
    { "Audi", FALSE }, { "Škoda", FALSE }, { "SEAT", FALSE }, { "Cupra", FALSE },
    { "Porsche", FALSE }, { "Volvo", FALSE }, { "VWX", FALSE }, { "Volkswagens", FALSE },
    { "Volkswagen Golf", FALSE }, { "", FALSE }, { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("make %s", cases[i].make ? cases[i].make : "(null)");
      g_assert_cmpint (cw_ocw_is_volkswagen (cases[i].make), ==, cases[i].vw);
      /* The button: a stored account and a Volkswagen, both needed. */
      g_assert_cmpint (cw_ocw_button_shown (TRUE, cases[i].make), ==, cases[i].vw);
      g_assert_false (cw_ocw_button_shown (FALSE, cases[i].make));
    }
}

static void
test_states (void)
{
  /* capable, activated, connected, maintenance → state: all sixteen. */
  static const CwOcwState expected[16] = {
    /* not capable: grey, whatever else PON says */
    CW_OCW_NOT_CAPABLE, CW_OCW_NOT_CAPABLE, CW_OCW_NOT_CAPABLE, CW_OCW_NOT_CAPABLE,
    CW_OCW_NOT_CAPABLE, CW_OCW_NOT_CAPABLE, CW_OCW_NOT_CAPABLE, CW_OCW_NOT_CAPABLE,
    /* capable, not activated: red; connected without activation is still red; maintenance orange */
    CW_OCW_NOT_ACTIVATED, CW_OCW_MAINTENANCE, CW_OCW_NOT_ACTIVATED, CW_OCW_MAINTENANCE,
    /* capable and activated: red until connected, green when connected; maintenance orange */
    CW_OCW_NOT_ACTIVATED, CW_OCW_MAINTENANCE, CW_OCW_CONNECTED, CW_OCW_MAINTENANCE,
  };

  for (guint bits = 0; bits < 16; bits++)
    {
      g_autoptr(CwOcwStatus) status = cw_ocw_status_new ();

      status->capable = (bits & 8) != 0;
      status->activated = (bits & 4) != 0;
      status->connected = (bits & 2) != 0;
      status->maintenance = (bits & 1) != 0;
      g_test_message ("capable %d activated %d connected %d maintenance %d",
                      status->capable, status->activated, status->connected, status->maintenance);
      g_assert_cmpint (cw_ocw_state_from_status (status), ==, expected[bits]);
    }
}

static void
test_labels_and_icons (void)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (CW_TYPE_OCW_STATE);
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) icons = g_hash_table_new (g_str_hash, g_str_equal);

  /* Each state its own words and its own icon: colour is never the only cue. */
  for (guint i = 0; i < states->n_values; i++)
    {
      CwOcwState state = states->values[i].value;

      g_assert_true (g_hash_table_add (labels, (gpointer) cw_ocw_state_get_label (state)));
      g_assert_true (g_hash_table_add (icons, (gpointer) cw_ocw_state_get_icon_name (state)));
    }
  g_assert_cmpuint (g_hash_table_size (labels), ==, 5);
}

static void
test_refresh (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 21, 10, 0, 0);
  g_autoptr(GDateTime) min29 = g_date_time_add_minutes (now, -29);
  g_autoptr(GDateTime) min29s59 = g_date_time_add_seconds (now, -(29 * 60 + 59));
  g_autoptr(GDateTime) min30 = g_date_time_add_minutes (now, -30);
  g_autoptr(GDateTime) min31 = g_date_time_add_minutes (now, -31);
  g_autoptr(GDateTime) days = g_date_time_add_days (now, -3);
  g_autoptr(GDateTime) future = g_date_time_add_minutes (now, 5);
  g_autoptr(GEnumClass) statuses = g_type_class_ref (CW_TYPE_STATUS);
  const struct { GDateTime *last; gboolean due; } ages[] = {
    { NULL, TRUE }, { min29, FALSE }, { min29s59, FALSE }, { min30, TRUE }, { min31, TRUE },
    { days, TRUE }, { future, FALSE },
  };

  for (guint s = 0; s < statuses->n_values; s++)
    {
      CwStatus status = statuses->values[s].value;
      /* Every status before Car ready, Backorder included; not Car ready; not canceled. */
      gboolean open = status != CW_STATUS_CAR_READY && status != CW_STATUS_CANCELED;

      for (guint a = 0; a < G_N_ELEMENTS (ages); a++)
        {
          g_test_message ("status %s, age case %u", statuses->values[s].value_nick, a);
          g_assert_cmpint (cw_ocw_refresh_due (ages[a].last, now, status, FALSE), ==, open && ages[a].due);
          /* Invoiced: never. */
          g_assert_false (cw_ocw_refresh_due (ages[a].last, now, status, TRUE));
        }
    }
}

static void
test_mileage_writeback (void)
{
  static const CwCapabilities policies[] = {
    CW_CAPABILITY_NONE,
    CW_CAPABILITY_WRITEBACK_INTERVENTIONS,
    CW_CAPABILITY_WRITEBACK_MILEAGE,
    CW_CAPABILITY_WRITEBACK_INTERVENTIONS | CW_CAPABILITY_WRITEBACK_MILEAGE,
  };
  static const struct { gint64 ocw; gint64 dms; gboolean higher; } readings[] = {
    { 48211, 48210, TRUE }, { 48210, 48210, FALSE }, { 48209, 48210, FALSE },
    { 0, 0, FALSE }, { 150000, -1, TRUE }, { -1, 48210, FALSE }, { -1, -1, FALSE },
  };

  for (guint p = 0; p < G_N_ELEMENTS (policies); p++)
    for (guint r = 0; r < G_N_ELEMENTS (readings); r++)
      {
        gboolean can = (policies[p] & CW_CAPABILITY_WRITEBACK_MILEAGE) != 0;

        g_test_message ("policy %u, reading %u", p, r);
        g_assert_cmpint (cw_ocw_mileage_writeback_due (readings[r].ocw, readings[r].dms, policies[p]),
                         ==, can && readings[r].higher);
      }

  /* The policy itself: writeback only when the dealer enabled it AND the DMS can take it. */
  g_assert_cmpint (cw_writeback_policy (CW_CAPABILITY_WRITEBACK_MILEAGE | CW_CAPABILITY_REFRESH, FALSE), ==, CW_CAPABILITY_NONE);
  g_assert_cmpint (cw_writeback_policy (CW_CAPABILITY_WRITEBACK_MILEAGE | CW_CAPABILITY_REFRESH, TRUE), ==, CW_CAPABILITY_WRITEBACK_MILEAGE);
  g_assert_cmpint (cw_writeback_policy (CW_CAPABILITY_REFRESH, TRUE), ==, CW_CAPABILITY_NONE);
}

static void
test_safety_intervention (void)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (CW_TYPE_OCW_STATE);

  for (guint i = 0; i < states->n_values; i++)
    {
      CwOcwState state = states->values[i].value;

      g_assert_cmpint (cw_ocw_safety_intervention_due (state, FALSE), ==, state == CW_OCW_CONNECTED);
      g_assert_false (cw_ocw_safety_intervention_due (state, TRUE));
    }
  g_assert_nonnull (cw_ocw_safety_title ());
  g_assert_nonnull (cw_ocw_safety_description ());
}

static void
test_status_mileage (void)
{
  g_autoptr(CwOcwStatus) status = cw_ocw_status_new ();
  g_autoptr(CwOcwStatus) copy = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 11, 21, 9, 30, 0);

  g_assert_cmpint (status->mileage_km, ==, -1);
  g_assert_true (cw_ocw_status_set_mileage (status, 48210, "km", at));
  g_assert_cmpint (status->mileage_km, ==, 48210);
  g_assert_true (cw_ocw_status_set_mileage (status, 10000, "mi", at));
  g_assert_cmpint (status->mileage_km, ==, 16093);
  g_assert_true (cw_ocw_status_set_mileage (status, 1, "MI", NULL));
  g_assert_cmpint (status->mileage_km, ==, 2);
  g_assert_null (status->mileage_at);

  /* Refused, and nothing changed. */
  g_assert_false (cw_ocw_status_set_mileage (status, 5, "furlong", at));
  g_assert_false (cw_ocw_status_set_mileage (status, -5, "km", at));
  g_assert_false (cw_ocw_status_set_mileage (status, NAN, "km", at));
  g_assert_false (cw_ocw_status_set_mileage (status, INFINITY, "km", at));
  g_assert_false (cw_ocw_status_set_mileage (status, 1e12, "km", at));
  g_assert_cmpint (status->mileage_km, ==, 2);

  status->portal_url = g_strdup ("https://example.org/ocw");
  g_assert_true (cw_ocw_status_set_mileage (status, 48210, NULL, at));
  copy = cw_ocw_status_copy (status);
  g_assert_cmpint (copy->mileage_km, ==, 48210);
  g_assert_cmpstr (copy->portal_url, ==, "https://example.org/ocw");
  g_assert_true (g_date_time_equal (copy->mileage_at, at));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ocw/makes", test_makes);
  g_test_add_func ("/ocw/states", test_states);
  g_test_add_func ("/ocw/labels-and-icons", test_labels_and_icons);
  g_test_add_func ("/ocw/refresh", test_refresh);
  g_test_add_func ("/ocw/mileage-writeback", test_mileage_writeback);
  g_test_add_func ("/ocw/safety-intervention", test_safety_intervention);
  g_test_add_func ("/ocw/status-mileage", test_status_mileage);

  return g_test_run ();
}
