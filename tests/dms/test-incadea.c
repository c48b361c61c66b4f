/* test-incadea.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-connector-registry.h"
#include "cw-incadea-connector-private.h"
#include "cw-incadea-mapping.h"
#include "cw-plate.h"
#include "cw-sim-server.h"

/*
 * The Incadea connector against the in-process simulator over real HTTP on 127.0.0.1, and
 * its mapping on hand-written JSON. Simulator and client share the default main context:
 * the tests start an operation and iterate the context until it is done. The connector's
 * HTTP client gets a short timeout and retry policy through the private test hook, so the
 * only real wait is the hang test's one second.
 */

#define CONNECTION_ID    "test-incadea"
#define TOKEN_PATH       CW_SIM_INCADEA_API "/oauth/token"
#define WORKORDERS_PATH  CW_SIM_INCADEA_API "/workorders"

#define LOGIN_REFUSED "Incadea refused the login: check the user name and password in Preferences."

typedef struct
{
  CwSimServer  *sim;
  CwConnection *connection;
  CwConnector  *connector;
} Fixture;

static CwConnector *
connector_new (CwConnection  *connection,
               const char    *username,
               const char    *password,
               GError       **error)
{
  g_autoptr(GHashTable) credentials = g_hash_table_new (g_str_hash, g_str_equal);
  CwConnector *connector;
  CwHttpClient *http;

  g_hash_table_insert (credentials, (char *) "username", (char *) username);
  g_hash_table_insert (credentials, (char *) "password", (char *) password);
  connector = cw_connector_new_for_connection (connection, credentials, error);
  if (connector == NULL)
    return NULL;
  g_assert_true (CW_IS_INCADEA_CONNECTOR (connector));

  /* Retries after a few milliseconds; a timeout long enough for a page of 250 orders
   * under AddressSanitizer on a busy machine (the hang test shortens it to a second). */
  http = cw_incadea_connector_get_http_client (CW_INCADEA_CONNECTOR (connector));
  cw_http_client_set_timeout (http, 20);
  cw_http_client_set_retry_policy (http, 3, 2, 10);

  return connector;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *api = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 21, G_DATE_NOVEMBER, 2026);
  fixture->sim = cw_sim_server_new (2026, &today);
  cw_sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);

  api = cw_sim_server_dup_url (fixture->sim, CW_SIM_INCADEA_API);
  fixture->connection = cw_connection_new (CONNECTION_ID, "incadea");
  g_object_set (fixture->connection, "endpoint", api, "writeback", TRUE, NULL);

  fixture->connector = connector_new (fixture->connection, CW_SIM_INCADEA_USERNAME,
                                      CW_SIM_INCADEA_PASSWORD, &error);
  g_assert_no_error (error);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->connector);
  g_clear_object (&fixture->connection);
  spin ();
  g_clear_object (&fixture->sim);
  spin ();
}

/* ------------------------------------------------------------------------------------- */
/* Driving the connector                                                                 */
/* ------------------------------------------------------------------------------------- */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static gboolean
check (CwConnector  *connector,
       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cw_connector_check_async (connector, NULL, on_done, &result);
  return cw_connector_check_finish (connector, wait_for (&result), error);
}

static GPtrArray *
search_with (CwConnector  *connector,
             const char   *text,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CwDmsQuery) query = cw_dms_query_new (text);

  cw_connector_search_async (connector, query, NULL, on_done, &result);
  return cw_connector_search_finish (connector, wait_for (&result), error);
}

static GPtrArray *
search (Fixture     *fixture,
        const char  *text,
        GError     **error)
{
  return search_with (fixture->connector, text, error);
}

/* A search that must find exactly one workorder. */
static CwWorkorder *
search_one (Fixture    *fixture,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = search (fixture, text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, ==, 1);

  return g_object_ref (g_ptr_array_index (found, 0));
}

static CwWorkorder *
fetch (Fixture     *fixture,
       const char  *dms_key,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cw_connector_fetch_async (fixture->connector, dms_key, NULL, on_done, &result);
  return cw_connector_fetch_finish (fixture->connector, wait_for (&result), error);
}

static GPtrArray *
list_days (Fixture     *fixture,
           const GDate *first,
           guint        n_days,
           GPtrArray  **problems,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cw_connector_list_days_async (fixture->connector, first, n_days, NULL, on_done, &result);
  return cw_connector_list_days_finish (fixture->connector, wait_for (&result), problems, error);
}

static gboolean
write_entry (Fixture        *fixture,
             CwOutboxEntry  *entry,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *dms_ref = NULL;
  gboolean ok;

  cw_connector_write_async (fixture->connector, entry, NULL, on_done, &result);
  ok = cw_connector_write_finish (fixture->connector, wait_for (&result), &dms_ref, error);
  /* A mileage creates nothing with an identity of its own. */
  g_assert_null (dms_ref);

  return ok;
}

/* ------------------------------------------------------------------------------------- */
/* The dataset                                                                           */
/* ------------------------------------------------------------------------------------- */

static gboolean
plate_is_unique (Fixture    *fixture,
                 CwSimOrder *order)
{
  const char *plate = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE);
  g_autoptr(GPtrArray) same = cw_sim_dataset_find_plate (cw_sim_server_get_dataset (fixture->sim),
                                                         CW_SIM_DMS_INCADEA, plate);

  return same->len == 1;
}

/* The @nth Incadea order with a unique Dutch plate. */
static CwSimOrder *
find_order (Fixture *fixture,
            guint    nth)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);
      const char *plate = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE);
      CwPlate parsed;

      if (order->dms != CW_SIM_DMS_INCADEA ||
          !cw_plate_parse (plate, &parsed, NULL) || parsed.kind != CW_PLATE_KIND_NL ||
          !plate_is_unique (fixture, order))
        continue;

      if (nth-- == 0)
        return order;
    }

  g_assert_not_reached ();
}

static const char *
wo_number_of (CwSimOrder *order)
{
  return cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
}

static const char *
dms_number_of (CwSimOrder *order)
{
  return cw_workorder_get_field (order->workorder, CW_WORKORDER_DMS_NUMBER);
}

static void
assert_same_time (GDateTime *actual,
                  GDateTime *expected)
{
  if (expected == NULL)
    g_assert_null (actual);
  else
    {
      g_assert_nonnull (actual);
      g_assert_true (g_date_time_equal (actual, expected));
    }
}

static void
assert_same_date (const GDate *actual,
                  const GDate *expected)
{
  if (expected == NULL)
    g_assert_null (actual);
  else
    {
      g_assert_nonnull (actual);
      g_assert_cmpint (g_date_compare (actual, expected), ==, 0);
    }
}

/* Incadea's party: its address line is street and house number; it has no title. */
static void
assert_party (CwParty *actual,
              CwParty *expected)
{
  const char *street = cw_party_get_field (expected, CW_PARTY_STREET);
  const char *number = cw_party_get_field (expected, CW_PARTY_HOUSE_NUMBER);
  g_autofree char *address = g_strconcat (street, " ", number, NULL);

  g_assert_nonnull (actual);
  g_assert_cmpint (cw_party_get_role (actual), ==, cw_party_get_role (expected));
  for (guint i = 0; i < CW_PARTY_N_FIELDS; i++)
    {
      if (i == CW_PARTY_STREET)
        g_assert_cmpstr (cw_party_get_field (actual, i), ==, address);
      else if (i == CW_PARTY_HOUSE_NUMBER || i == CW_PARTY_TITLE)
        g_assert_null (cw_party_get_field (actual, i));
      else
        g_assert_cmpstr (cw_party_get_field (actual, i), ==, cw_party_get_field (expected, i));
    }
  g_assert_cmpint (cw_party_get_lease_company (actual), ==, cw_party_get_lease_company (expected));
}

/* Everything Claire's Incadea list names, compared with the dataset. */
static void
assert_mapped (CwWorkorder *workorder,
               CwSimOrder  *order)
{
  static const CwWorkorderTime times[] = {
    CW_WORKORDER_APPOINTMENT, CW_WORKORDER_DMS_CREATED, CW_WORKORDER_SCHEDULED_IN,
    CW_WORKORDER_SCHEDULED_OUT,
  };
  static const CwCarField car_fields[] = {
    CW_CAR_MAKE, CW_CAR_MODEL, CW_CAR_PLATE, CW_CAR_VIN, CW_CAR_DRIVER_ID, CW_CAR_OWNER_ID,
  };
  CwWorkorder *expected = order->workorder;
  CwCar *car = cw_workorder_get_car (workorder);
  CwCar *expected_car = cw_workorder_get_car (expected);
  GListModel *lines = cw_workorder_get_interventions (workorder);
  GListModel *expected_lines = cw_workorder_get_interventions (expected);

  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_CONNECTION_ID), ==, CONNECTION_ID);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, dms_number_of (order));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER), ==, dms_number_of (order));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, wo_number_of (order));
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    assert_same_time (cw_workorder_get_time (workorder, times[i]), cw_workorder_get_time (expected, times[i]));
  g_assert_cmpint (cw_workorder_get_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING), ==,
                   cw_workorder_get_flag (expected, CW_WORKORDER_CUSTOMER_WAITING));
  g_assert_cmpint (cw_workorder_get_flag (workorder, CW_WORKORDER_DMS_CANCELED), ==,
                   cw_workorder_get_flag (expected, CW_WORKORDER_DMS_CANCELED));
  g_assert_cmpint (cw_workorder_get_dms_shop_state (workorder), ==, cw_workorder_get_dms_shop_state (expected));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, cw_workorder_get_dms_mileage (expected));
  g_assert_false (cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));

  for (guint i = 0; i < G_N_ELEMENTS (car_fields); i++)
    g_assert_cmpstr (cw_car_get_field (car, car_fields[i]), ==, cw_car_get_field (expected_car, car_fields[i]));
  for (guint i = 0; i < CW_CAR_N_DATES; i++)
    assert_same_date (cw_car_get_date (car, i), cw_car_get_date (expected_car, i));
  g_assert_null (cw_car_get_field (car, CW_CAR_ENGINE_NUMBER));

  assert_party (cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER),
                cw_workorder_get_party (expected, CW_PARTY_ROLE_DRIVER));
  assert_party (cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER),
                cw_workorder_get_party (expected, CW_PARTY_ROLE_OWNER));
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_CONTRACTOR));

  /* In the DMS's order (lineNo's), though the simulator sends the last line first. */
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, g_list_model_get_n_items (expected_lines));
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);
      g_autoptr(CwIntervention) wanted = g_list_model_get_item (expected_lines, i);
      g_autofree char *number = g_strdup_printf ("%u", (i + 1) * 10000);
      const char * const *codes = cw_intervention_get_part_codes (line);
      const char * const *wanted_codes = cw_intervention_get_part_codes (wanted);
      gint64 cents = -1, wanted_cents = -1;

      g_assert_cmpint (cw_intervention_get_source (line), ==, CW_INTERVENTION_SOURCE_DMS);
      g_assert_cmpstr (cw_intervention_get_dms_line_id (line), ==, number);
      g_assert_cmpstr (cw_intervention_get_title (line), ==, cw_intervention_get_title (wanted));
      g_assert_cmpstr (cw_intervention_get_description (line), ==, cw_intervention_get_description (wanted));
      g_assert_cmpint (cw_intervention_get_element_kind (line), ==, cw_intervention_get_element_kind (wanted));
      g_assert_cmpint (cw_intervention_get_price (line, &cents), ==, cw_intervention_get_price (wanted, &wanted_cents));
      g_assert_cmpint (cents, ==, wanted_cents);
      g_assert_cmpstr (cw_intervention_get_currency (line), ==, cw_intervention_get_currency (wanted));
      g_assert_cmpuint (codes ? g_strv_length ((char **) codes) : 0, ==,
                        wanted_codes ? g_strv_length ((char **) wanted_codes) : 0);
      for (guint j = 0; codes != NULL && codes[j] != NULL; j++)
        g_assert_cmpstr (codes[j], ==, wanted_codes[j]);
    }
}

/* ------------------------------------------------------------------------------------- */
/* Check and construction                                                                */
/* ------------------------------------------------------------------------------------- */

static void
test_check_ok (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (cw_connector_get_capabilities (fixture->connector), ==,
                    CW_CAPABILITY_SEARCH_IMPORT | CW_CAPABILITY_REFRESH |
                    CW_CAPABILITY_KEEP_IMPORTING | CW_CAPABILITY_WRITEBACK_MILEAGE);
  g_assert_cmpuint (cw_connector_kind_lookup ("incadea")->capabilities, ==,
                    cw_connector_get_capabilities (fixture->connector));

  g_assert_true (check (fixture->connector, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 1);

  /* A check logs in anew each time: it tests the settings as they are now. */
  g_assert_true (check (fixture->connector, &error));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 0);
}

static void
test_check_wrong_password (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwConnector) wrong = connector_new (fixture->connection, CW_SIM_INCADEA_USERNAME,
                                                "not-the-password", &error);
  g_autoptr(GPtrArray) found = NULL;

  g_assert_no_error (error);
  g_assert_false (check (wrong, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpstr (error->message, ==, LOGIN_REFUSED);
  g_clear_error (&error);

  /* A search says the same, and never reaches the workorders. */
  found = search_with (wrong, wo_number_of (find_order (fixture, 0)), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpstr (error->message, ==, LOGIN_REFUSED);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 0);
}

static void
test_check_configuration (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(CwConnector) none = NULL;
  g_autoptr(CwConnection) with_ca = NULL;
  g_autoptr(CwConnector) untrusted = NULL;
  GDate day;

  g_object_set (fixture->connection, "endpoint", "  ", NULL);
  g_assert_false (check (fixture->connector, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "Incadea API address"));
  g_clear_error (&error);

  found = search (fixture, "80100", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION);
  g_clear_error (&error);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 21, G_DATE_NOVEMBER, 2026);
  found = list_days (fixture, &day, 1, NULL, &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION);
  g_clear_error (&error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);

  /* Without a password there is no connector, and the advisor is told where to look. */
  none = connector_new (fixture->connection, CW_SIM_INCADEA_USERNAME, "", &error);
  g_assert_null (none);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS);
  g_clear_error (&error);

  /* A CA file that cannot be used is refused, never ignored. */
  with_ca = cw_connection_new ("test-incadea-ca", "incadea");
  g_object_set (with_ca, "endpoint", "https://incadea.example/api/v1",
                "ca-file", "/nonexistent/dealer-ca.pem", NULL);
  untrusted = connector_new (with_ca, CW_SIM_INCADEA_USERNAME, CW_SIM_INCADEA_PASSWORD, &error);
  g_assert_null (untrusted);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_TLS);
}

/* ------------------------------------------------------------------------------------- */
/* Search-import and refresh                                                             */
/* ------------------------------------------------------------------------------------- */

static void
test_search_wo_number (Fixture       *fixture,
                       gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  const char *number = wo_number_of (order);
  g_autofree char *spaced = g_strdup_printf ("  %.2s %s\t", number, number + 2);
  g_autofree char *dashed = g_strdup_printf ("%.3s-%s", number, number + 3);
  const char *spellings[] = { number, spaced, dashed };

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(CwWorkorder) workorder = search_one (fixture, spellings[i]);

      assert_mapped (workorder, order);
    }

  /* One question each, and one login for all of them. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 3);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 1);
}

static void
test_search_plate (Fixture       *fixture,
                   gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 1);
  CwCar *car = cw_workorder_get_car (order->workorder);
  g_autofree char *dashed = cw_car_dup_plate_display (car);
  g_autofree char *lower = g_ascii_strdown (dashed, -1);
  g_autofree char *compact = g_ascii_strdown (cw_car_get_field (car, CW_CAR_PLATE), -1);
  const char *spellings[] = { NULL, dashed, compact };

  /* "ab 123 c", "AB-123-C" and "ab123c"; the simulator stores "AB-123-C". */
  g_strdelimit (lower, "-", ' ');
  spellings[0] = lower;

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(CwWorkorder) workorder = search_one (fixture, spellings[i]);

      assert_mapped (workorder, order);
    }

  /* A plate has digits, so it is tried as a WO number first: two questions each. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 6);
}

static void
test_search_not_found (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  found = search (fixture, "99999", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Incadea has no workorder 99999. Check the number.");
  g_clear_error (&error);

  found = search (fixture, "xx-999-x", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Incadea has no workorder XX999X, nor one for the car "
                                       "XX-999-X. Check the number or the registration.");
  g_clear_error (&error);

  /* A name: Incadea is not asked by name. */
  cw_sim_server_reset_counts (fixture->sim);
  found = search (fixture, "Jansen", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);
}

static void
test_fetch (Fixture       *fixture,
            gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 2);
  g_autoptr(CwWorkorder) found = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) fetched = NULL;
  g_autoptr(CwWorkorder) again = NULL;
  g_autoptr(CwWorkorder) gone = NULL;
  g_autoptr(GError) error = NULL;

  fetched = fetch (fixture, cw_workorder_get_field (found, CW_WORKORDER_DMS_KEY), &error);
  g_assert_no_error (error);
  assert_mapped (fetched, order);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH "/"), ==, 1);

  /* A change in Incadea is what the next refresh brings. */
  cw_workorder_set_flag (order->workorder, CW_WORKORDER_CUSTOMER_WAITING,
                         !cw_workorder_get_flag (order->workorder, CW_WORKORDER_CUSTOMER_WAITING));
  cw_workorder_set_dms_shop_state (order->workorder, CW_SHOP_LEFT);
  cw_sim_dataset_touch (cw_sim_server_get_dataset (fixture->sim), order);
  again = fetch (fixture, dms_number_of (order), &error);
  g_assert_no_error (error);
  assert_mapped (again, order);
  g_assert_cmpint (cw_workorder_get_dms_shop_state (again), ==, CW_SHOP_LEFT);

  gone = fetch (fixture, "123", &error);
  g_assert_null (gone);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Incadea no longer has workorder 123. It may have been "
                                       "deleted; check it in Incadea.");
}

/* Every field of Claire's list, including the ones the generator leaves at their
 * defaults: car in the shop, canceled, a lease company, menus and notes, no warranty end. */
static void
test_every_field (Fixture       *fixture,
                  gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 3);
  CwWorkorder *workorder = order->workorder;
  CwParty *owner = cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER);
  g_autoptr(CwIntervention) menu = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(CwIntervention) note = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(CwWorkorder) found = NULL;
  g_autoptr(CwWorkorder) fetched = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *lines;

  cw_workorder_set_dms_shop_state (workorder, CW_SHOP_IN);
  cw_workorder_set_flag (workorder, CW_WORKORDER_DMS_CANCELED, TRUE);
  cw_workorder_set_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING, TRUE);
  cw_party_set_field (owner, CW_PARTY_COMPANY, "LeasePlan Nederland");
  cw_party_set_lease_company (owner, TRUE);
  cw_car_set_date (cw_workorder_get_car (workorder), CW_CAR_WARRANTY_END, NULL);

  cw_intervention_set_title (menu, "Onderhoudsmenu Golf 8");
  cw_intervention_set_description (menu, "Vaste prijs: olie, filters, controle");
  cw_intervention_set_element_kind (menu, CW_ELEMENT_KIND_MENU);
  cw_intervention_set_price (menu, 34900);
  cw_workorder_append_intervention (workorder, menu);
  cw_intervention_set_title (note, "Klant wil graag vervangende auto");
  cw_intervention_set_element_kind (note, CW_ELEMENT_KIND_NOTE);
  cw_workorder_append_intervention (workorder, note);
  cw_sim_dataset_touch (cw_sim_server_get_dataset (fixture->sim), order);

  found = search_one (fixture, wo_number_of (order));
  assert_mapped (found, order);
  fetched = fetch (fixture, dms_number_of (order), &error);
  g_assert_no_error (error);
  assert_mapped (fetched, order);

  /* Spelled out, so that a mapping that drops them cannot pass by the dataset's defaults. */
  g_assert_cmpint (cw_workorder_get_dms_shop_state (fetched), ==, CW_SHOP_IN);
  g_assert_true (cw_workorder_get_flag (fetched, CW_WORKORDER_DMS_CANCELED));
  g_assert_true (cw_workorder_get_flag (fetched, CW_WORKORDER_CUSTOMER_WAITING));
  g_assert_true (cw_party_get_lease_company (cw_workorder_get_party (fetched, CW_PARTY_ROLE_OWNER)));
  g_assert_cmpstr (cw_party_get_field (cw_workorder_get_party (fetched, CW_PARTY_ROLE_OWNER), CW_PARTY_COMPANY),
                   ==, "LeasePlan Nederland");
  g_assert_nonnull (cw_party_get_field (cw_workorder_get_party (fetched, CW_PARTY_ROLE_DRIVER), CW_PARTY_PRIVATE_MOBILE));
  g_assert_nonnull (cw_car_get_date (cw_workorder_get_car (fetched), CW_CAR_APK_DATE));
  g_assert_null (cw_car_get_date (cw_workorder_get_car (fetched), CW_CAR_WARRANTY_END));
  lines = cw_workorder_get_interventions (fetched);
  {
    guint n = g_list_model_get_n_items (lines);
    g_autoptr(CwIntervention) last_but_one = g_list_model_get_item (lines, n - 2);
    g_autoptr(CwIntervention) last = g_list_model_get_item (lines, n - 1);
    gint64 cents = 0;

    g_assert_cmpint (cw_intervention_get_element_kind (last_but_one), ==, CW_ELEMENT_KIND_MENU);
    g_assert_cmpstr (cw_intervention_get_description (last_but_one), ==, "Vaste prijs: olie, filters, controle");
    g_assert_true (cw_intervention_get_price (last_but_one, &cents));
    g_assert_cmpint (cents, ==, 34900);
    g_assert_cmpint (cw_intervention_get_element_kind (last), ==, CW_ELEMENT_KIND_NOTE);
    g_assert_false (cw_intervention_get_price (last, NULL));
  }
}

/* ------------------------------------------------------------------------------------- */
/* Keep importing                                                                        */
/* ------------------------------------------------------------------------------------- */

static GDate
day_offset (Fixture *fixture,
            int      days)
{
  GDate day = *cw_sim_dataset_get_today (cw_sim_server_get_dataset (fixture->sim));

  if (days < 0)
    g_date_subtract_days (&day, -days);
  else
    g_date_add_days (&day, days);

  return day;
}

static void
test_list_days (Fixture       *fixture,
                gconstpointer  data)
{
  GDate first = day_offset (fixture, -1);
  g_autoptr(GPtrArray) expected = cw_sim_dataset_list_days (cw_sim_server_get_dataset (fixture->sim),
                                                            CW_SIM_DMS_INCADEA, &first, 3);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (expected->len, >, 0);
  workorders = list_days (fixture, &first, 3, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (workorders->len, ==, expected->len);

  for (guint i = 0; i < expected->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (expected, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < workorders->len; j++)
        if (g_strcmp0 (cw_workorder_get_field (g_ptr_array_index (workorders, j), CW_WORKORDER_DMS_KEY),
                       dms_number_of (order)) == 0)
          {
            assert_mapped (g_ptr_array_index (workorders, j), order);
            seen = TRUE;
          }
      g_assert_true (seen);
    }

  /* One page: the range in one question. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 1);
}

static void
test_list_paging (Fixture       *fixture,
                  gconstpointer  data)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);
  GDate today = day_offset (fixture, 0);
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  cw_sim_dataset_add_bulk (dataset, CW_SIM_DMS_INCADEA, 250, &today);
  expected = cw_sim_dataset_list_days (dataset, CW_SIM_DMS_INCADEA, &today, 1);
  g_assert_cmpuint (expected->len, >, 250);

  workorders = list_days (fixture, &today, 1, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (workorders->len, ==, expected->len);
  for (guint i = 0; i < workorders->len; i++)
    g_assert_true (g_hash_table_add (keys, (gpointer) cw_workorder_get_field (g_ptr_array_index (workorders, i),
                                                                              CW_WORKORDER_DMS_KEY)));

  /* 100 to a page. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH),
                    ==, (expected->len + 99) / 100);
}

/* One workorder of a page has an unusable field: it is named, and the rest is kept. */
static void
test_list_malformed (Fixture       *fixture,
                     gconstpointer  data)
{
  GDate today = day_offset (fixture, 0);
  g_autoptr(GPtrArray) expected = cw_sim_dataset_list_days (cw_sim_server_get_dataset (fixture->sim),
                                                            CW_SIM_DMS_INCADEA, &today, 1);
  CwSimOrder *bad = g_ptr_array_index (expected, 0);
  g_autofree char *good_km = g_strdup_printf ("\"mileageKm\":%" G_GINT64_FORMAT,
                                              cw_workorder_get_dms_mileage (bad->workorder));
  g_autofree char *message = NULL;
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GHashTable) recorded = NULL;
  g_autoptr(GHashTable) tampered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  CwDmsProblem *problem;

  g_assert_cmpuint (expected->len, >=, 2);

  /* What Incadea answers, with the first workorder's mileage spoiled. */
  cw_sim_server_record (fixture->sim, WORKORDERS_PATH);
  workorders = list_days (fixture, &today, 1, &problems, &error);
  g_assert_no_error (error);
  g_clear_pointer (&workorders, g_ptr_array_unref);
  g_clear_pointer (&problems, g_ptr_array_unref);
  cw_sim_server_record (fixture->sim, NULL);
  recorded = cw_sim_server_take_recorded (fixture->sim);
  g_assert_cmpuint (g_hash_table_size (recorded), ==, 1);

  g_hash_table_iter_init (&iter, recorded);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (value, NULL), g_bytes_get_size (value));
      g_auto(GStrv) parts = g_strsplit (text, good_km, 2);
      g_autofree char *spoiled = NULL;

      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      gsize length;

      spoiled = g_strjoin ("\"mileageKm\":\"veel\"", parts[0], parts[1], NULL);
      length = strlen (spoiled);
      g_hash_table_insert (tampered, g_strdup (key), g_bytes_new_take (g_steal_pointer (&spoiled), length));
    }
  cw_sim_server_replay (fixture->sim, tampered);

  workorders = list_days (fixture, &today, 1, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workorders->len, ==, expected->len - 1);
  g_assert_cmpuint (problems->len, ==, 1);

  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (problem->dms_key, ==, dms_number_of (bad));
  g_assert_cmpstr (problem->wo_number, ==, wo_number_of (bad));
  g_assert_error (problem->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
  message = g_strdup_printf ("Incadea sent workorder %s with an unusable “mileageKm”: expected a "
                             "whole number of kilometres, got \"veel\". Check the workorder in "
                             "Incadea; if it looks right there, report this to the supplier of "
                             "Incadea.", wo_number_of (bad));
  g_assert_cmpstr (problem->error->message, ==, message);

  for (guint i = 0; i < workorders->len; i++)
    g_assert_cmpstr (cw_workorder_get_field (g_ptr_array_index (workorders, i), CW_WORKORDER_DMS_KEY),
                     !=, dms_number_of (bad));

  cw_sim_server_replay (fixture->sim, NULL);
}

/* ------------------------------------------------------------------------------------- */
/* The token                                                                             */
/* ------------------------------------------------------------------------------------- */

static void
test_token_expired (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(CwWorkorder) first = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) second = NULL;

  /* Incadea drops the token early: one new login, and the question again. */
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_TOKEN_EXPIRED, 0, 1);
  second = search_one (fixture, wo_number_of (order));
  assert_mapped (second, order);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 3);
}

static void
test_token_refused_twice (Fixture       *fixture,
                          gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  /* Refused again after a new login: said once, not looped. */
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_UNAUTHORIZED, 0, 5);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_nonnull (strstr (error->message, "refused access to the workorders"));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 2);
}

static void
test_token_short_lived (Fixture       *fixture,
                        gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(CwWorkorder) first = NULL;
  g_autoptr(CwWorkorder) second = NULL;
  g_autoptr(CwWorkorder) third = NULL;

  /* A token that ends within the renewal margin serves its own request only. */
  cw_sim_server_add_fault (fixture->sim, TOKEN_PATH, CW_SIM_FAULT_TOKEN_EXPIRED, 30, 1);
  first = search_one (fixture, wo_number_of (order));
  second = search_one (fixture, wo_number_of (order));
  third = search_one (fixture, wo_number_of (order));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
}

/* ------------------------------------------------------------------------------------- */
/* Faults                                                                                */
/* ------------------------------------------------------------------------------------- */

static void
assert_search_fails (Fixture    *fixture,
                     const char *text,
                     GQuark      domain,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = search (fixture, text, &error);

  g_assert_null (found);
  g_assert_error (error, domain, code);
  /* The advisor is told which system failed. */
  g_assert_nonnull (strstr (error->message, "Incadea"));
}

static void
test_fault_http (Fixture       *fixture,
                 gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(CwWorkorder) workorder = NULL;

  /* The net layer does not retry a plain 500 (it may not be transient). */
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_SERVER);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 1);

  /* 429 is retried for the GETs, as Retry-After says (0 s here)… */
  cw_sim_server_reset_counts (fixture->sim);
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_TOO_MANY, 0, 2);
  workorder = search_one (fixture, wo_number_of (order));
  assert_mapped (workorder, order);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 3);

  /* …until the retries are used up. */
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_TOO_MANY, 0, 3);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_THROTTLED);

  /* On the login, a 500 fails the check. */
  cw_sim_server_add_fault (fixture->sim, TOKEN_PATH, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  g_assert_false (check (fixture->connector, NULL));

  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_MALFORMED_JSON, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_MALFORMED);

  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_OVERSIZED, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_TOO_LARGE);
}

static void
test_fault_list_fails_whole (Fixture       *fixture,
                             gconstpointer  data)
{
  GDate today = day_offset (fixture, 0);
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  /* A failed fetch is never "no workorders": the range fails as a whole. */
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_MALFORMED_JSON, 0, 1);
  workorders = list_days (fixture, &today, 1, &problems, &error);
  g_assert_null (workorders);
  g_assert_null (problems);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_MALFORMED);
}

static void
test_fault_hang (Fixture       *fixture,
                 gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  CwHttpClient *http = cw_incadea_connector_get_http_client (CW_INCADEA_CONNECTOR (fixture->connector));

  /* One attempt of one second. */
  cw_http_client_set_timeout (http, 1);
  cw_http_client_set_retry_policy (http, 1, 0, 0);
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_HANG, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_TIMEOUT);
}

static void
test_fault_missing_fields (Fixture       *fixture,
                           gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  CwCar *car;
  CwParty *driver;
  GListModel *lines;

  /* Missing fields are normal: the workorder comes without them. */
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_MISSING_FIELDS, 0, 1);
  workorder = search_one (fixture, wo_number_of (order));

  car = cw_workorder_get_car (workorder);
  driver = cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, dms_number_of (order));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, wo_number_of (order));
  g_assert_null (cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT));
  g_assert_null (cw_workorder_get_time (workorder, CW_WORKORDER_DMS_CREATED));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, CW_MILEAGE_UNKNOWN);
  g_assert_cmpint (cw_workorder_get_dms_shop_state (workorder), ==, CW_SHOP_NOT_ARRIVED);
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_PLATE), ==,
                   cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE));
  g_assert_null (cw_car_get_field (car, CW_CAR_VIN));
  g_assert_null (cw_car_get_date (car, CW_CAR_APK_DATE));
  g_assert_cmpstr (cw_party_get_field (driver, CW_PARTY_LAST_NAME), ==,
                   cw_party_get_field (cw_workorder_get_party (order->workorder, CW_PARTY_ROLE_DRIVER),
                                       CW_PARTY_LAST_NAME));
  g_assert_null (cw_party_get_field (driver, CW_PARTY_PRIVATE_EMAIL));
  lines = cw_workorder_get_interventions (workorder);
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==,
                    g_list_model_get_n_items (cw_workorder_get_interventions (order->workorder)));
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      g_assert_nonnull (cw_intervention_get_title (line));
      g_assert_false (cw_intervention_get_price (line, NULL));
      g_assert_cmpint (cw_intervention_get_element_kind (line), ==, CW_ELEMENT_KIND_UNSPECIFIED);
    }

  /* Without its id a workorder cannot be imported, and the advisor is told why. */
  cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_MISSING_FIELDS, 1, 1);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "“id”"));
}

static void
test_fault_numbers_as_strings (Fixture       *fixture,
                               gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    {
      CwSimOrder *order = find_order (fixture, i);
      g_autoptr(CwWorkorder) workorder = NULL;
      g_autoptr(CwWorkorder) fetched = NULL;
      g_autoptr(GError) error = NULL;

      cw_sim_server_add_fault (fixture->sim, WORKORDERS_PATH, CW_SIM_FAULT_NUMBERS_AS_STRINGS, 0, 2);
      workorder = search_one (fixture, wo_number_of (order));
      assert_mapped (workorder, order);
      fetched = fetch (fixture, dms_number_of (order), &error);
      g_assert_no_error (error);
      assert_mapped (fetched, order);
    }
}

/* ------------------------------------------------------------------------------------- */
/* Mileage writeback                                                                     */
/* ------------------------------------------------------------------------------------- */

static CwOutboxEntry *
mileage_entry_new (CwSimOrder *order,
                   const char *idem_key,
                   gint64      km)
{
  CwOutboxEntry *entry = cw_outbox_entry_new (CW_OUTBOX_MILEAGE, idem_key);

  cw_outbox_entry_set_connection_id (entry, CONNECTION_ID);
  cw_outbox_entry_set_dms_key (entry, dms_number_of (order));
  cw_outbox_entry_set_wo_number (entry, wo_number_of (order));
  cw_outbox_entry_set_mileage (entry, km);
  cw_outbox_entry_set_dms_mileage (entry, cw_workorder_get_dms_mileage (order->workorder));

  return entry;
}

static void
test_write_mileage_once (Fixture       *fixture,
                         gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  gint64 before = cw_workorder_get_dms_mileage (order->workorder);
  gint64 km = before + 1234;
  g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT, km);
  g_autoptr(CwOutboxEntry) entry = mileage_entry_new (order, "incadea-mileage-0001", km);
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(CwWorkorder) fetched = NULL;
  g_autoptr(GError) error = NULL;
  CwSimWriteback *writeback;

  g_assert_true (cw_connector_can_write (fixture->connector, CW_OUTBOX_MILEAGE));

  /* Sent, then sent again (as after a crash before the answer was stored). */
  g_assert_true (write_entry (fixture, entry, &error));
  g_assert_no_error (error);
  g_assert_true (write_entry (fixture, entry, &error));
  g_assert_no_error (error);

  /* The key travelled in the Idempotency-Key header: the ledger knows it by that. */
  ledger = cw_sim_server_list_writebacks (fixture->sim, "incadea");
  g_assert_cmpuint (ledger->len, ==, 1);
  writeback = g_ptr_array_index (ledger, 0);
  g_assert_cmpstr (writeback->idem_key, ==, "incadea-mileage-0001");
  g_assert_cmpstr (writeback->dms_key, ==, dms_number_of (order));
  g_assert_cmpstr (writeback->kind, ==, "mileage");
  g_assert_cmpstr (writeback->detail, ==, detail);
  g_assert_cmpuint (writeback->n_received, ==, 2);
  g_assert_cmpuint (writeback->n_applied, ==, 1);

  /* Incadea has it, and says so on the next refresh. */
  g_assert_cmpint (cw_workorder_get_dms_mileage (order->workorder), ==, km);
  fetched = fetch (fixture, dms_number_of (order), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (fetched), ==, km);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 1);
}

static void
test_write_mileage_not_higher (Fixture       *fixture,
                               gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 1);
  gint64 current = cw_workorder_get_dms_mileage (order->workorder);
  const gint64 readings[] = { current - 500, current };

  for (guint i = 0; i < G_N_ELEMENTS (readings); i++)
    {
      g_autofree char *key = g_strdup_printf ("incadea-lower-%u", i);
      g_autoptr(CwOutboxEntry) entry = mileage_entry_new (order, key, readings[i]);
      g_autofree char *km = g_strdup_printf ("%'" G_GINT64_FORMAT, readings[i]);
      g_autofree char *has = g_strdup_printf ("%'" G_GINT64_FORMAT, current);
      g_autofree char *expected = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_false (write_entry (fixture, entry, &error));
      g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_DMS);
      expected = g_strdup_printf ("Incadea did not take the mileage of %s km for workorder %s: "
                                  "it already has %s km, and a new reading must be higher. "
                                  "Check the reading on the car; if it is right, correct the "
                                  "mileage in Incadea.", km, wo_number_of (order), has);
      g_assert_cmpstr (error->message, ==, expected);
    }

  /* Refused, so nothing applied and nothing recorded. */
  g_assert_cmpuint (cw_sim_server_count_writebacks (fixture->sim, "incadea"), ==, 0);
  g_assert_cmpint (cw_workorder_get_dms_mileage (order->workorder), ==, current);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, WORKORDERS_PATH), ==, 2);
}

static void
test_write_relogin (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 2);
  gint64 km = cw_workorder_get_dms_mileage (order->workorder) + 10;
  g_autoptr(CwOutboxEntry) entry = mileage_entry_new (order, "incadea-relogin", km);
  g_autofree char *path = g_strdup_printf (WORKORDERS_PATH "/%s/mileage", dms_number_of (order));
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GError) error = NULL;
  CwSimWriteback *writeback;

  g_assert_true (check (fixture->connector, &error));

  /* A token refused before anything was done: a new login and the same request, with the
   * same key. */
  cw_sim_server_add_fault (fixture->sim, path, CW_SIM_FAULT_TOKEN_EXPIRED, 0, 1);
  g_assert_true (write_entry (fixture, entry, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, path), ==, 2);

  ledger = cw_sim_server_list_writebacks (fixture->sim, "incadea");
  g_assert_cmpuint (ledger->len, ==, 1);
  writeback = g_ptr_array_index (ledger, 0);
  g_assert_cmpuint (writeback->n_received, ==, 1);
  g_assert_cmpuint (writeback->n_applied, ==, 1);
  g_assert_cmpint (cw_workorder_get_dms_mileage (order->workorder), ==, km);
}

static void
test_write_not_retried (Fixture       *fixture,
                        gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  gint64 before = cw_workorder_get_dms_mileage (order->workorder);
  g_autoptr(CwOutboxEntry) entry = mileage_entry_new (order, "incadea-throttled", before + 100);
  g_autofree char *path = g_strdup_printf (WORKORDERS_PATH "/%s/mileage", dms_number_of (order));
  g_autoptr(GError) error = NULL;

  /* A GET would be retried on 429; a write is the outbox drainer's to try again. */
  cw_sim_server_add_fault (fixture->sim, path, CW_SIM_FAULT_TOO_MANY, 0, 1);
  g_assert_false (write_entry (fixture, entry, &error));
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_THROTTLED);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, path), ==, 1);
  g_clear_error (&error);

  cw_sim_server_add_fault (fixture->sim, path, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  g_assert_false (write_entry (fixture, entry, &error));
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_SERVER);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, path), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_writebacks (fixture->sim, "incadea"), ==, 0);
  g_assert_cmpint (cw_workorder_get_dms_mileage (order->workorder), ==, before);
  g_clear_error (&error);

  /* When the drainer tries again, with the same key, it goes through. */
  g_assert_true (write_entry (fixture, entry, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (order->workorder), ==, before + 100);
}

static void
test_write_gone (Fixture       *fixture,
                 gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(CwOutboxEntry) entry = mileage_entry_new (order, "incadea-gone", 999999);
  g_autoptr(GError) error = NULL;

  cw_outbox_entry_set_dms_key (entry, "123");
  g_assert_false (write_entry (fixture, entry, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, wo_number_of (order)));
  g_clear_error (&error);

  /* Without a DMS key nothing can be sent, and nothing is. */
  cw_sim_server_reset_counts (fixture->sim);
  cw_outbox_entry_set_dms_key (entry, NULL);
  g_assert_false (write_entry (fixture, entry, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);
}

static void
test_write_intervention_unsupported (Fixture       *fixture,
                                     gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(CwOutboxEntry) entry = cw_outbox_entry_new (CW_OUTBOX_INTERVENTION, "incadea-line");
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_OCW);
  g_autoptr(GError) error = NULL;

  cw_intervention_set_title (line, "Auto wordt tijdens onderhoud losgekoppeld van OCW");
  cw_outbox_entry_set_dms_key (entry, dms_number_of (order));
  cw_outbox_entry_set_intervention (entry, line);

  g_assert_false (cw_connector_can_write (fixture->connector, CW_OUTBOX_INTERVENTION));
  g_assert_false (write_entry (fixture, entry, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "Incadea"));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);
}

/* ------------------------------------------------------------------------------------- */
/* The mapping on its own                                                                */
/* ------------------------------------------------------------------------------------- */

#define ORDER_HEAD "\"id\": \"700999\", \"workorderNo\": \"80999\""

static CwWorkorder *
map_one (const char  *json,
         GError     **error)
{
  return cw_incadea_map_order_data (json, strlen (json), CONNECTION_ID, error);
}

static void
test_mapping_malformed (void)
{
  static const struct {
    const char *extra;
    const char *field;
    const char *line;
  } cases[] = {
    { "\"mileageKm\": -5", "mileageKm", NULL },
    { "\"mileageKm\": 1.5", "mileageKm", NULL },
    { "\"mileageKm\": true", "mileageKm", NULL },
    { "\"mileageKm\": 99999999999999999999", "mileageKm", NULL },
    { "\"appointmentAt\": \"21-11-2026 09:30\"", "appointmentAt", NULL },
    { "\"createdAt\": 20261121", "createdAt", NULL },
    { "\"customerWaiting\": \"ja\"", "customerWaiting", NULL },
    { "\"canceled\": 2", "canceled", NULL },
    { "\"shopStatus\": \"maybe\"", "shopStatus", NULL },
    { "\"vehicle\": \"VW Golf\"", "vehicle", NULL },
    { "\"vehicle\": {\"make\": [\"VW\"]}", "vehicle.make", NULL },
    { "\"vehicle\": {\"apkDueDate\": \"2027-02-30\"}", "vehicle.apkDueDate", NULL },
    { "\"vehicle\": {\"firstRegistrationDate\": \"14-03-2019\"}", "vehicle.firstRegistrationDate", NULL },
    { "\"driver\": {\"privateEmail\": {\"a\": 1}}", "driver.privateEmail", NULL },
    { "\"owner\": {\"isLeaseCompany\": \"misschien\"}", "owner.isLeaseCompany", NULL },
    { "\"lines\": {\"lineNo\": 1}", "lines", NULL },
    { "\"lines\": [7]", "lines", NULL },
    { "\"lines\": [{\"lineNo\": 10000, \"price\": \"1,50\"}]", "price", "10000" },
    { "\"lines\": [{\"lineNo\": 10000, \"price\": 1e20}]", "price", "10000" },
    { "\"lines\": [{\"lineNo\": 10000, \"currencyCode\": \"euro\"}]", "currencyCode", "10000" },
    { "\"lines\": [{\"lineNo\": -1}]", "lineNo", "1" },
    { "\"lines\": [{\"title\": \"x\"}, {\"type\": 5.5}]", "type", "2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{" ORDER_HEAD ", %s}", cases[i].extra);
      g_autofree char *needle = g_strdup_printf ("“%s”", cases[i].field);
      g_autoptr(GError) error = NULL;
      g_autoptr(CwWorkorder) workorder = map_one (json, &error);

      g_test_message ("Case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (workorder);
      g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
      /* The message names the workorder and the field (and the line, for a line). */
      g_assert_nonnull (strstr (error->message, "workorder 80999"));
      g_assert_nonnull (strstr (error->message, needle));
      if (cases[i].line != NULL)
        {
          g_autofree char *line = g_strdup_printf ("line %s of", cases[i].line);

          g_assert_nonnull (strstr (error->message, line));
        }
    }
}

static void
test_mapping_values (void)
{
  static const char json[] =
    "{\"id\": 700999, \"workorderNo\": 80999,"
    " \"appointmentAt\": \"2026-11-21T09:30:00+01:00\","
    " \"createdAt\": \"2026-11-02\","
    " \"scheduledInAt\": \"0001-01-01T00:00:00\","
    " \"customerWaiting\": \"TRUE\", \"canceled\": 0, \"shopStatus\": \"INSHOP\","
    " \"mileageKm\": \"48210\","
    " \"vehicle\": {\"licensePlate\": \" ab-123-c \", \"make\": \"  \","
    "               \"firstRegistrationDate\": \"2019-03-14T00:00:00\","
    "               \"apkDueDate\": \"0001-01-01\", \"warrantyEndDate\": null},"
    " \"driver\": {},"
    " \"owner\": {\"isLeaseCompany\": 1},"
    " \"lines\": ["
    "   {\"title\": \"Without a number\", \"type\": \"labor\"},"
    "   {\"lineNo\": 20000, \"title\": \"Second\", \"type\": \"Item\", \"price\": \"49.95\","
    "    \"currencyCode\": \"CHF\", \"itemNo\": \"5Q0698151D\"},"
    "   {\"lineNo\": \"10000\", \"title\": \"First\", \"type\": \"washing\", \"price\": 49.95},"
    "   {\"lineNo\": 30000, \"title\": \"Third\", \"type\": \"Menu\", \"price\": 12}"
    " ]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) workorder = map_one (json, &error);
  g_autoptr(GDateTime) appointment = g_date_time_new_from_iso8601 ("2026-11-21T08:30:00Z", NULL);
  CwCar *car;
  GListModel *lines;
  CwParty *owner;
  const char * const expected_titles[] = { "First", "Second", "Third", "Without a number" };
  const CwElementKind expected_kinds[] = { CW_ELEMENT_KIND_UNSPECIFIED, CW_ELEMENT_KIND_PART,
                                           CW_ELEMENT_KIND_MENU, CW_ELEMENT_KIND_LABOUR };
  const gint64 expected_cents[] = { 4995, 4995, 1200, -1 };

  g_assert_no_error (error);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, "700999");
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, "80999");
  g_assert_true (g_date_time_equal (cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT), appointment));
  g_assert_nonnull (cw_workorder_get_time (workorder, CW_WORKORDER_DMS_CREATED));
  /* NAV's empty date is no date. */
  g_assert_null (cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_IN));
  g_assert_true (cw_workorder_get_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING));
  g_assert_false (cw_workorder_get_flag (workorder, CW_WORKORDER_DMS_CANCELED));
  g_assert_cmpint (cw_workorder_get_dms_shop_state (workorder), ==, CW_SHOP_IN);
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, 48210);

  car = cw_workorder_get_car (workorder);
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_PLATE), ==, "AB123C");
  g_assert_null (cw_car_get_field (car, CW_CAR_MAKE));
  g_assert_cmpuint (g_date_get_year (cw_car_get_date (car, CW_CAR_FIRST_REGISTRATION)), ==, 2019);
  g_assert_null (cw_car_get_date (car, CW_CAR_APK_DATE));
  g_assert_null (cw_car_get_date (car, CW_CAR_WARRANTY_END));

  /* An empty object is no party; a lease company with nothing else is one. */
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER));
  owner = cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER);
  g_assert_nonnull (owner);
  g_assert_true (cw_party_get_lease_company (owner));

  /* lineNo order, "10000" as 10000; lines without one last; unknown kinds not guessed. */
  lines = cw_workorder_get_interventions (workorder);
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);
      gint64 cents = -1;

      g_assert_cmpstr (cw_intervention_get_title (line), ==, expected_titles[i]);
      g_assert_cmpint (cw_intervention_get_element_kind (line), ==, expected_kinds[i]);
      if (expected_cents[i] >= 0)
        {
          g_assert_true (cw_intervention_get_price (line, &cents));
          g_assert_cmpint (cents, ==, expected_cents[i]);
        }
      else
        g_assert_false (cw_intervention_get_price (line, NULL));
    }
  {
    g_autoptr(CwIntervention) second = g_list_model_get_item (lines, 1);
    g_autoptr(CwIntervention) last = g_list_model_get_item (lines, 3);

    g_assert_cmpstr (cw_intervention_get_currency (second), ==, "CHF");
    g_assert_cmpstr (cw_intervention_get_part_codes (second)[0], ==, "5Q0698151D");
    g_assert_cmpstr (cw_intervention_get_dms_line_id (second), ==, "20000");
    g_assert_null (cw_intervention_get_dms_line_id (last));
  }
}

static void
test_mapping_pages (void)
{
  static const struct {
    const char *json;
    const char *reason;
  } bad_pages[] = {
    { "", "it is empty" },
    { "[]", "it is not a JSON object" },
    { "{\"error\": {\"code\": \"x\"}}", "it has no “value” list" },
    { "{\"value\": {}}", "it has no “value” list" },
    { "{\"value\": [], \"nextPage\": \"soon\"}", "its “nextPage” is not a page number" },
    { "{\"value\": [], \"nextPage\": 0}", "its “nextPage” is not a page number" },
    { "{\"value\": [", "it is not valid JSON" },
  };
  static const char good[] =
    "{\"value\": [{" ORDER_HEAD "},"
    "            {\"id\": \"700998\", \"workorderNo\": \"80998\", \"mileageKm\": \"veel\"},"
    "            {\"workorderNo\": \"80997\"},"
    "            \"nonsense\","
    "            {\"id\": \"700996\"}],"
    " \"nextPage\": 3}";
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gint64 next = -1;
  CwDmsProblem *problem;

  for (guint i = 0; i < G_N_ELEMENTS (bad_pages); i++)
    {
      g_autofree char *expected = g_strdup_printf ("Incadea sent an answer Claire Workshop "
                                                   "cannot read (%s). Try again; if it "
                                                   "persists, contact the supplier of Incadea.",
                                                   bad_pages[i].reason);

      workorders = cw_incadea_map_page_data (bad_pages[i].json, strlen (bad_pages[i].json),
                                             CONNECTION_ID, &next, &problems, &error);
      g_assert_null (workorders);
      g_assert_null (problems);
      g_assert_cmpint (next, ==, 0);
      g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);
    }

  /* One workorder that cannot be used is a problem of its own; the rest is kept. */
  workorders = cw_incadea_map_page_data (good, strlen (good), CONNECTION_ID, &next, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next, ==, 3);
  g_assert_cmpuint (workorders->len, ==, 2);
  g_assert_cmpstr (cw_workorder_get_field (g_ptr_array_index (workorders, 0), CW_WORKORDER_DMS_KEY), ==, "700999");
  g_assert_cmpstr (cw_workorder_get_field (g_ptr_array_index (workorders, 1), CW_WORKORDER_DMS_KEY), ==, "700996");
  /* Without a WO number the DMS number stands in. */
  g_assert_null (cw_workorder_get_field (g_ptr_array_index (workorders, 1), CW_WORKORDER_WO_NUMBER));

  g_assert_cmpuint (problems->len, ==, 3);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (problem->dms_key, ==, "700998");
  g_assert_cmpstr (problem->wo_number, ==, "80998");
  g_assert_nonnull (strstr (problem->error->message, "workorder 80998"));
  problem = g_ptr_array_index (problems, 1);
  g_assert_null (problem->dms_key);
  g_assert_nonnull (strstr (problem->error->message, "without a usable id"));
  problem = g_ptr_array_index (problems, 2);
  g_assert_error (problem->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
}

static void
test_mapping_errors (void)
{
  static const char body[] =
    "{\"error\": {\"code\": \"mileageNotHigher\", \"message\": \"Not higher.\","
    " \"currentMileageKm\": \"34000\"}}";
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  g_autoptr(JsonNode) other = json_from_string ("{\"value\": []}", NULL);
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  gint64 current = 0;
  GDate day;
  g_autofree char *text = NULL;

  g_assert_true (cw_incadea_get_error (node, &code, &message, &current));
  g_assert_cmpstr (code, ==, "mileageNotHigher");
  g_assert_cmpstr (message, ==, "Not higher.");
  g_assert_cmpint (current, ==, 34000);
  g_assert_false (cw_incadea_get_error (other, NULL, NULL, &current));
  g_assert_cmpint (current, ==, -1);
  g_assert_false (cw_incadea_get_error (NULL, NULL, NULL, NULL));

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 3, G_DATE_FEBRUARY, 2026);
  text = cw_incadea_format_day (&day);
  g_assert_cmpstr (text, ==, "2026-02-03");
}

int
main (int   argc,
      char *argv[])
{
  /* The simulator is local, so no proxy may come between. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/incadea/check/ok", test_check_ok);
  ADD ("/incadea/check/wrong-password", test_check_wrong_password);
  ADD ("/incadea/check/configuration", test_check_configuration);
  ADD ("/incadea/search/wo-number", test_search_wo_number);
  ADD ("/incadea/search/plate", test_search_plate);
  ADD ("/incadea/search/not-found", test_search_not_found);
  ADD ("/incadea/fetch", test_fetch);
  ADD ("/incadea/every-field", test_every_field);
  ADD ("/incadea/list/days", test_list_days);
  ADD ("/incadea/list/paging", test_list_paging);
  ADD ("/incadea/list/malformed-order", test_list_malformed);
  ADD ("/incadea/token/expired", test_token_expired);
  ADD ("/incadea/token/refused-twice", test_token_refused_twice);
  ADD ("/incadea/token/short-lived", test_token_short_lived);
  ADD ("/incadea/fault/http", test_fault_http);
  ADD ("/incadea/fault/list-fails-whole", test_fault_list_fails_whole);
  ADD ("/incadea/fault/hang", test_fault_hang);
  ADD ("/incadea/fault/missing-fields", test_fault_missing_fields);
  ADD ("/incadea/fault/numbers-as-strings", test_fault_numbers_as_strings);
  ADD ("/incadea/write/mileage-once", test_write_mileage_once);
  ADD ("/incadea/write/mileage-not-higher", test_write_mileage_not_higher);
  ADD ("/incadea/write/relogin", test_write_relogin);
  ADD ("/incadea/write/not-retried", test_write_not_retried);
  ADD ("/incadea/write/gone", test_write_gone);
  ADD ("/incadea/write/intervention-unsupported", test_write_intervention_unsupported);
#undef ADD

  g_test_add_func ("/incadea/mapping/malformed", test_mapping_malformed);
  g_test_add_func ("/incadea/mapping/values", test_mapping_values);
  g_test_add_func ("/incadea/mapping/pages", test_mapping_pages);
  g_test_add_func ("/incadea/mapping/errors", test_mapping_errors);

  return g_test_run ();
}
