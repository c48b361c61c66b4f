/* cw-test-fixtures.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "cw-test-fixtures.h"

/*
 * Realistic workorders for tests and benchmarks: Dutch and Belgian names with diacritics,
 * plates of several sidecodes, the usual makes, interventions in a deliberate
 * non-alphabetical order. Generated from a GRand so a seed always gives the same data.
 */

static const char * const first_names[] = {
  "Jan", "Sanne", "Daan", "Émilie", "François", "Anouk", "Lotte", "Thijs", "Zoë",
  "Geneviève", "Bram", "Inès", "Joris", "Maëlle", "Noah", "Fleur", "Sören", "Chloé",
};

static const char * const last_names[] = {
  "de Vries", "Jansen", "Bakker", "van den Berg", "Peeters", "Janssens", "Maes",
  "Müller", "Dubois", "Lefèvre", "Ünal", "Çelik", "van Dijk", "Smits", "Claes",
  "Wouters", "Verbruggen", "d'Hondt", "Brandão", "Nuñez",
};

static const char * const lease_companies[] = {
  "LeasePlan Nederland", "Athlon Car Lease", "Arval België", "Alphabet Nederland",
};

static const struct {
  const char *make;
  const char *model;
} cars[] = {
  { "Volkswagen", "Golf" }, { "Volkswagen", "ID.3" }, { "Volkswagen", "Polo" },
  { "VW", "Caddy" }, { "Audi", "A3 Sportback" }, { "Škoda", "Octavia" },
  { "SEAT", "León" }, { "Toyota", "Yaris" }, { "Renault", "Clio" },
  { "Peugeot", "208" }, { "Kia", "Niro" }, { "Citroën", "C4" },
};

/* Deliberately not in alphabetical order: the DMS's order must be kept. */
static const struct {
  const char *title;
  gint64      cents;
} jobs[] = {
  { "Kleine beurt", 18950 },
  { "APK-keuring", 4995 },
  { "Remblokken voor vervangen", 23400 },
  { "Airco onderhoud", 8900 },
  { "Distributieriem vervangen", 64500 },
  { "Bandenwissel winter", 6000 },
  { "Ruitenwisserbladen", 3450 },
  { "Grote beurt", 42500 },
};

/* The masks of a few Dutch sidecodes and Belgian formats: L = letter, D = digit. */
static const char * const plate_masks[] = {
  "LL-DDD-L",  /* sidecode 9 */
  "L-DDD-LL",  /* 10 */
  "DD-LLL-D",  /* 7 */
  "D-LLL-DD",  /* 8 */
  "LL-DD-LL",  /* 4 */
  "LLL-DD-L",  /* 11 */
  "B-LLL-DDD", /* Belgian: B is the index digit 1 or 2 */
};

#define PICK(rand, array) (array[g_rand_int_range (rand, 0, G_N_ELEMENTS (array))])

static char *
make_plate (GRand *rand)
{
  static const char consonants[] = "BDFGHJKLNPRSTVXZ";
  const char *mask = PICK (rand, plate_masks);
  GString *plate = g_string_new (NULL);

  for (const char *m = mask; *m; m++)
    {
      if (*m == 'L')
        g_string_append_c (plate, consonants[g_rand_int_range (rand, 0, sizeof consonants - 1)]);
      else if (*m == 'D')
        g_string_append_c (plate, '0' + g_rand_int_range (rand, 0, 10));
      else if (*m == 'B')
        g_string_append_c (plate, '1' + g_rand_int_range (rand, 0, 2));
      else
        g_string_append_c (plate, *m);
    }

  return g_string_free (plate, FALSE);
}

static CwParty *
make_person (GRand       *rand,
             CwPartyRole  role)
{
  CwParty *party = cw_party_new (role);
  g_autofree char *house_number = NULL;

  cw_party_set_field (party, CW_PARTY_FIRST_NAME, PICK (rand, first_names));
  cw_party_set_field (party, CW_PARTY_LAST_NAME, PICK (rand, last_names));
  cw_party_set_field (party, CW_PARTY_STREET, "Stationsstraat");
  house_number = g_strdup_printf ("%u", g_rand_int_range (rand, 1, 200));
  cw_party_set_field (party, CW_PARTY_HOUSE_NUMBER, house_number);
  cw_party_set_field (party, CW_PARTY_POSTCODE, "3511 AB");
  cw_party_set_field (party, CW_PARTY_PLACE, "Utrecht");
  cw_party_set_field (party, CW_PARTY_BUSINESS_PHONE, "+31 30 123 45 67");

  return party;
}

/**
 * cw_test_date_time_on:
 *
 * Returns: (transfer full): @day at @hour:@minute in the local time zone
 */
GDateTime *
cw_test_date_time_on (const GDate *day,
                      int          hour,
                      int          minute)
{
  return g_date_time_new_local (g_date_get_year (day), g_date_get_month (day),
                                g_date_get_day (day), hour, minute, 0);
}

void
cw_test_date_today (GDate *day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

void
cw_test_date_offset (GDate *day,
                     int    days)
{
  if (days >= 0)
    g_date_add_days (day, days);
  else
    g_date_subtract_days (day, -days);
}

/**
 * cw_test_workorder_new:
 * @wo_number: the WO number, also the DMS number "D" + @wo_number
 * @appointment: (nullable): the appointment
 *
 * A small, fully known workorder: a Volkswagen Golf AB-123-C, owner Jan de Vries, two
 * interventions "Kleine beurt" (€189.50) then "APK-keuring" (€49.95).
 *
 * Returns: (transfer full): the workorder
 */
CwWorkorder *
cw_test_workorder_new (const char *wo_number,
                       GDateTime  *appointment)
{
  CwWorkorder *workorder = cw_workorder_new ();
  g_autofree char *dms_number = g_strconcat ("D", wo_number, NULL);
  g_autoptr(CwParty) owner = cw_party_new (CW_PARTY_ROLE_OWNER);
  g_autoptr(CwIntervention) first = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(CwIntervention) second = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  CwCar *car = cw_workorder_get_car (workorder);

  cw_workorder_set_field (workorder, CW_WORKORDER_CONNECTION_ID, CW_TEST_CONNECTION);
  cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, wo_number);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NUMBER, dms_number);
  cw_workorder_set_time (workorder, CW_WORKORDER_APPOINTMENT, appointment);
  cw_workorder_set_dms_mileage (workorder, 48210);

  cw_car_set_field (car, CW_CAR_MAKE, "Volkswagen");
  cw_car_set_field (car, CW_CAR_MODEL, "Golf");
  cw_car_set_field (car, CW_CAR_PLATE, "AB-123-C");
  cw_car_set_field (car, CW_CAR_VIN, "WVWZZZ1KZAW000001");

  cw_party_set_field (owner, CW_PARTY_FIRST_NAME, "Jan");
  cw_party_set_field (owner, CW_PARTY_LAST_NAME, "de Vries");
  cw_workorder_set_party (workorder, owner);

  cw_intervention_set_title (first, "Kleine beurt");
  cw_intervention_set_price (first, 18950);
  cw_intervention_set_title (second, "APK-keuring");
  cw_intervention_set_price (second, 4995);
  cw_workorder_append_intervention (workorder, first);
  cw_workorder_append_intervention (workorder, second);

  return workorder;
}

/**
 * cw_test_workorder_generate:
 * @rand: the random source
 * @index: a number unique to this workorder; its WO number is derived from it
 * @day: the day of the appointment
 *
 * Returns: (transfer full): a realistic workorder on @day between 7:30 and 17:00
 */
CwWorkorder *
cw_test_workorder_generate (GRand       *rand,
                            guint        index,
                            const GDate *day)
{
  CwWorkorder *workorder = cw_workorder_new ();
  g_autofree char *wo_number = g_strdup_printf ("%u", 100000 + index);
  g_autofree char *dms_number = g_strdup_printf ("W%02u-%05u", index % 100, index);
  g_autofree char *plate = make_plate (rand);
  int slot = g_rand_int_range (rand, 0, 20);
  g_autoptr(GDateTime) appointment = cw_test_date_time_on (day, 7 + (slot * 30 + 30) / 60,
                                                          (slot * 30 + 30) % 60);
  guint n_jobs = g_rand_int_range (rand, 1, 5);
  guint first_job = g_rand_int_range (rand, 0, G_N_ELEMENTS (jobs));
  CwCar *car = cw_workorder_get_car (workorder);
  guint car_index = g_rand_int_range (rand, 0, G_N_ELEMENTS (cars));

  cw_workorder_set_field (workorder, CW_WORKORDER_CONNECTION_ID, CW_TEST_CONNECTION);
  cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, wo_number);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NUMBER, dms_number);
  cw_workorder_set_time (workorder, CW_WORKORDER_APPOINTMENT, appointment);
  cw_workorder_set_dms_mileage (workorder, g_rand_int_range (rand, 1000, 250000));
  cw_workorder_set_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING, g_rand_int_range (rand, 0, 5) == 0);

  cw_car_set_field (car, CW_CAR_MAKE, cars[car_index].make);
  cw_car_set_field (car, CW_CAR_MODEL, cars[car_index].model);
  cw_car_set_field (car, CW_CAR_PLATE, plate);

  {
    g_autoptr(CwParty) driver = make_person (rand, CW_PARTY_ROLE_DRIVER);
    cw_workorder_set_party (workorder, driver);
  }

  if (g_rand_int_range (rand, 0, 4) == 0)
    {
      g_autoptr(CwParty) lease = cw_party_new (CW_PARTY_ROLE_CONTRACTOR);

      cw_party_set_field (lease, CW_PARTY_COMPANY, PICK (rand, lease_companies));
      cw_party_set_lease_company (lease, TRUE);
      cw_workorder_set_party (workorder, lease);
    }
  else
    {
      g_autoptr(CwParty) owner = make_person (rand, CW_PARTY_ROLE_OWNER);
      cw_workorder_set_party (workorder, owner);
    }

  for (guint i = 0; i < n_jobs; i++)
    {
      g_autoptr(CwIntervention) intervention = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
      guint job = (first_job + i * 3) % G_N_ELEMENTS (jobs);

      cw_intervention_set_title (intervention, jobs[job].title);
      cw_intervention_set_price (intervention, jobs[job].cents);
      cw_intervention_set_element_kind (intervention, CW_ELEMENT_KIND_LABOUR);
      cw_workorder_append_intervention (workorder, intervention);
    }

  return workorder;
}

/**
 * cw_test_store_fill:
 * @store: an empty store
 * @n_workorders: how many workorders to import
 *
 * Fills @store the way the benchmarks need it: @n_workorders generated workorders (seed
 * 20261121), 50 a day, centred on today, imported in batches of 5 000 with the progress on
 * stderr.
 */
void
cw_test_store_fill (CwStore *store,
                    guint    n_workorders)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261121);
  const guint batch_size = 5000;
  gint64 start = g_get_monotonic_time ();
  GDate first;

  cw_test_date_today (&first);
  cw_test_date_offset (&first, -(int) (n_workorders / 50 / 2));

  for (guint done = 0; done < n_workorders; done += batch_size)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;

      for (guint i = done; i < MIN (done + batch_size, n_workorders); i++)
        {
          GDate day = first;

          g_date_add_days (&day, i / 50);
          g_ptr_array_add (batch, cw_test_workorder_generate (rand, i, &day));
        }

      if (!cw_store_import_workorders (store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error))
        g_error ("Filling the store failed: %s", error->message);

      fprintf (stderr, "\rfilling the store: %u/%u", MIN (done + batch_size, n_workorders), n_workorders);
    }

  fprintf (stderr, "\rfilled %u workorders in %.1f s\n", n_workorders,
           (g_get_monotonic_time () - start) / 1e6);
}

static void
credentials_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_connection_store_credentials_finish (CW_CONNECTION (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/**
 * cw_test_store_credentials:
 * @connection: a connection
 * @...: pairs of a credential field and its value, ending with %NULL
 *
 * Stores the credentials of @connection in the keyring (libsecret's file backend in the
 * unit tests) and waits until they are, iterating the default main context.
 */
void
cw_test_store_credentials (CwConnection *connection,
                           ...)
{
  g_autoptr(GHashTable) credentials = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean stored = FALSE;
  const char *name;
  va_list args;

  va_start (args, connection);
  while ((name = va_arg (args, const char *)) != NULL)
    g_hash_table_insert (credentials, (gpointer) name, va_arg (args, char *));
  va_end (args);

  /* libsecret 0.20.5's file backend drops the previous etag of its file at every write
   * after the first (GLib allocates it in a main-loop callback, with no libsecret frame
   * on the stack for lsan.supp to match). The real keyring's store path is tested under
   * LeakSanitizer in tests/integration/test-credentials; here it is only set-up. */
#ifdef __SANITIZE_ADDRESS__
  __lsan_disable ();
#endif
  cw_connection_store_credentials_async (connection, credentials, NULL, credentials_stored_cb, &stored);
  while (!stored)
    g_main_context_iteration (NULL, TRUE);
#ifdef __SANITIZE_ADDRESS__
  __lsan_enable ();
#endif
}

static void
pon_account_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_pon_account_store_finish (CW_PON_ACCOUNT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/**
 * cw_test_store_pon_account:
 * @account: the PON account
 * @username: its user name
 * @password: its password
 *
 * Stores the account in the keyring (libsecret's file backend in the unit tests) and waits
 * until it is, with LeakSanitizer off for the file backend's leak, as
 * cw_test_store_credentials() does.
 */
void
cw_test_store_pon_account (CwPonAccount *account,
                           const char   *username,
                           const char   *password)
{
  gboolean stored = FALSE;

#ifdef __SANITIZE_ADDRESS__
  __lsan_disable ();
#endif
  cw_pon_account_store_async (account, username, password, NULL, pon_account_stored_cb, &stored);
  while (!stored)
    g_main_context_iteration (NULL, TRUE);
#ifdef __SANITIZE_ADDRESS__
  __lsan_enable ();
#endif
}
