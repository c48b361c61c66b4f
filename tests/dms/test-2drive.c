/* test-2drive.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cw-2drive-connector-private.h"
#include "cw-2drive-mapping.h"
#include "cw-connector-registry.h"
#include "cw-plate.h"
#include "cw-sim-server.h"
#include "cw-store.h"

/*
 * The 2Drive connector against the in-process simulator over real HTTP on 127.0.0.1, and
 * its mapping on hand-written rows. Simulator and client share the default main context:
 * the tests start an operation and iterate the context until it is done. The connector's
 * HTTP client gets a short timeout and retry policy through the private test hook, so the
 * only real waits are the hang test's one second.
 */

#define CONNECTION_ID "test-2drive"
#define TOKEN_PATH    CW_SIM_2DRIVE_TOKEN
#define ORDERS_PATH   CW_SIM_2DRIVE_API "/" CW_2DRIVE_ENTITY_WORKORDERS
#define LINES_PATH    CW_SIM_2DRIVE_API "/" CW_2DRIVE_ENTITY_LINES

#define LOGIN_REFUSED "2Drive refused the login: check the client id and secret in Preferences."

typedef struct
{
  CwSimServer  *sim;
  CwConnection *connection;
  CwConnector  *connector;
  char         *dir;
} Fixture;

static CwConnector *
connector_new (CwConnection *connection,
               const char   *client_id,
               const char   *secret)
{
  g_autoptr(GHashTable) credentials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  CwConnector *connector;
  CwHttpClient *http;

  g_hash_table_insert (credentials, (char *) "client_id", (char *) client_id);
  g_hash_table_insert (credentials, (char *) "client_secret", (char *) secret);
  connector = cw_connector_new_for_connection (connection, credentials, &error);
  g_assert_no_error (error);
  g_assert_true (CW_IS_2DRIVE_CONNECTOR (connector));

  /* Fast: one second to answer, retries after a few milliseconds. */
  http = cw_2drive_connector_get_http_client (CW_2DRIVE_CONNECTOR (connector));
  cw_http_client_set_timeout (http, 1);
  cw_http_client_set_retry_policy (http, 3, 2, 10);

  return connector;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *api = NULL;
  g_autofree char *token = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 21, G_DATE_NOVEMBER, 2026);
  fixture->sim = cw_sim_server_new (2026, &today);
  cw_sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);

  api = cw_sim_server_dup_url (fixture->sim, CW_SIM_2DRIVE_API);
  token = cw_sim_server_dup_url (fixture->sim, CW_SIM_2DRIVE_TOKEN);
  fixture->connection = cw_connection_new (CONNECTION_ID, "2drive");
  g_object_set (fixture->connection,
                "endpoint", api,
                "token-url", token,
                "audience", CW_SIM_2DRIVE_AUDIENCE,
                "affiliate-id", CW_SIM_2DRIVE_AFFILIATE,
                NULL);

  fixture->connector = connector_new (fixture->connection, CW_SIM_2DRIVE_CLIENT_ID, CW_SIM_2DRIVE_SECRET);

  fixture->dir = g_dir_make_tmp ("cw-test-2drive-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
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

  remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
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
search (Fixture     *fixture,
        const char  *text,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CwDmsQuery) query = cw_dms_query_new (text);

  cw_connector_search_async (fixture->connector, query, NULL, on_done, &result);
  return cw_connector_search_finish (fixture->connector, wait_for (&result), error);
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

/* ------------------------------------------------------------------------------------- */
/* The dataset                                                                           */
/* ------------------------------------------------------------------------------------- */

static gboolean
plate_is_unique (Fixture    *fixture,
                 CwSimOrder *order)
{
  const char *plate = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE);
  g_autoptr(GPtrArray) same = cw_sim_dataset_find_plate (cw_sim_server_get_dataset (fixture->sim),
                                                         CW_SIM_DMS_2DRIVE, plate);

  return same->len == 1;
}

/* The @nth 2Drive order with (or without) a labour line, with a unique Dutch plate. */
static CwSimOrder *
find_order (Fixture  *fixture,
            gboolean  with_labour,
            guint     nth)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);
      const char *plate = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE);
      CwPlate parsed;

      if (order->dms != CW_SIM_DMS_2DRIVE || cw_sim_order_has_labour (order) != with_labour ||
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

static void
assert_same_text_fields (CwParty *expected,
                         CwParty *actual)
{
  for (guint i = 0; i < CW_PARTY_N_FIELDS; i++)
    g_assert_cmpstr (cw_party_get_field (actual, i), ==, cw_party_get_field (expected, i));
}

/* Everything Claire's 2Drive list names, compared with the dataset; nothing more. */
static void
assert_mapped (CwWorkorder *workorder,
               CwSimOrder  *order)
{
  CwWorkorder *expected = order->workorder;
  CwCar *car = cw_workorder_get_car (workorder);
  CwCar *expected_car = cw_workorder_get_car (expected);
  GListModel *lines = cw_workorder_get_interventions (workorder);
  GListModel *expected_lines = cw_workorder_get_interventions (expected);
  CwParty *owner = cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER);

  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_CONNECTION_ID), ==, CONNECTION_ID);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, wo_number_of (order));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, wo_number_of (order));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER), ==,
                   cw_workorder_get_field (expected, CW_WORKORDER_DMS_NUMBER));
  g_assert_true (g_date_time_equal (cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT),
                                    cw_workorder_get_time (expected, CW_WORKORDER_APPOINTMENT)));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, cw_workorder_get_dms_mileage (expected));
  g_assert_false (cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));

  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_MAKE), ==, cw_car_get_field (expected_car, CW_CAR_MAKE));
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_MODEL), ==, cw_car_get_field (expected_car, CW_CAR_MODEL));
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_PLATE), ==, cw_car_get_field (expected_car, CW_CAR_PLATE));
  g_assert_null (cw_car_get_field (car, CW_CAR_VIN));

  /* The owner with its last name and business contact details, and no one else. */
  g_assert_nonnull (owner);
  g_assert_nonnull (cw_party_get_field (owner, CW_PARTY_LAST_NAME));
  assert_same_text_fields (cw_workorder_get_party (expected, CW_PARTY_ROLE_OWNER), owner);
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER));
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_CONTRACTOR));

  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, g_list_model_get_n_items (expected_lines));
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);
      g_autoptr(CwIntervention) wanted = g_list_model_get_item (expected_lines, i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      const char * const *codes = cw_intervention_get_part_codes (line);
      const char * const *wanted_codes = cw_intervention_get_part_codes (wanted);
      gint64 cents = -1, wanted_cents = -1;

      g_assert_cmpint (cw_intervention_get_source (line), ==, CW_INTERVENTION_SOURCE_DMS);
      g_assert_cmpstr (cw_intervention_get_dms_line_id (line), ==, number);
      g_assert_cmpstr (cw_intervention_get_title (line), ==, cw_intervention_get_title (wanted));
      g_assert_cmpint (cw_intervention_get_element_kind (line), ==, cw_intervention_get_element_kind (wanted));
      g_assert_cmpint (cw_intervention_get_price (line, &cents), ==, cw_intervention_get_price (wanted, &wanted_cents));
      g_assert_cmpint (cents, ==, wanted_cents);
      g_assert_cmpstr (cw_intervention_get_currency (line), ==, "EUR");
      g_assert_cmpuint (codes ? g_strv_length ((char **) codes) : 0, ==,
                        wanted_codes ? g_strv_length ((char **) wanted_codes) : 0);
      for (guint j = 0; codes != NULL && codes[j] != NULL; j++)
        g_assert_cmpstr (codes[j], ==, wanted_codes[j]);
    }
}

/* ------------------------------------------------------------------------------------- */
/* Check                                                                                 */
/* ------------------------------------------------------------------------------------- */

static void
test_check_ok (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (cw_connector_get_capabilities (fixture->connector), ==,
                    CW_CAPABILITY_SEARCH_IMPORT | CW_CAPABILITY_REFRESH |
                    CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED);

  g_assert_true (check (fixture->connector, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 1);

  /* A check logs in anew each time: it tests the settings as they are now. */
  g_assert_true (check (fixture->connector, &error));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_2DRIVE_API), ==, 0);
}

static void
test_check_wrong_secret (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CwConnector) wrong = connector_new (fixture->connection, CW_SIM_2DRIVE_CLIENT_ID, "not-the-secret");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(CwDmsQuery) query = cw_dms_query_new ("60100");
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_false (check (wrong, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpstr (error->message, ==, LOGIN_REFUSED);
  g_clear_error (&error);

  /* A search says the same, and never reaches the API. */
  cw_connector_search_async (wrong, query, NULL, on_done, &result);
  found = cw_connector_search_finish (wrong, wait_for (&result), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpstr (error->message, ==, LOGIN_REFUSED);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_2DRIVE_API), ==, 0);
}

static void
test_check_wrong_audience (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_object_set (fixture->connection, "audience", "api:vinalces.dab.99999", NULL);
  g_assert_false (check (fixture->connector, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpstr (error->message, ==, LOGIN_REFUSED);
  g_clear_error (&error);

  /* Corrected in Preferences: the connector follows the connection. */
  g_object_set (fixture->connection, "audience", CW_SIM_2DRIVE_AUDIENCE, NULL);
  g_assert_true (check (fixture->connector, &error));
  g_assert_no_error (error);
}

static void
test_check_configuration (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_object_set (fixture->connection, "affiliate-id", "", NULL);
  g_assert_false (check (fixture->connector, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "AffiliateId"));
  g_clear_error (&error);

  g_object_set (fixture->connection, "affiliate-id", CW_SIM_2DRIVE_AFFILIATE, "endpoint", NULL, NULL);
  found = search (fixture, "60100", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "API address"));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);
}

/* ------------------------------------------------------------------------------------- */
/* Search-import                                                                         */
/* ------------------------------------------------------------------------------------- */

static void
test_search_wo_number (Fixture       *fixture,
                       gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  const char *number = wo_number_of (order);
  g_autofree char *spaced = g_strdup_printf ("  %.2s %s\t", number, number + 2);
  g_autofree char *dashed = g_strdup_printf ("%.3s-%s", number, number + 3);
  const char *spellings[] = { number, spaced, dashed };

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(CwWorkorder) workorder = search_one (fixture, spellings[i]);

      assert_mapped (workorder, order);
    }

  /* A WO number is looked for as one, not also as a plate. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 3);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LINES_PATH), ==, 3);
}

static void
test_search_plate (Fixture       *fixture,
                   gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 1);
  CwCar *car = cw_workorder_get_car (order->workorder);
  g_autofree char *dashed = cw_car_dup_plate_display (car);
  g_autofree char *lower = g_ascii_strdown (dashed, -1);
  const char *spellings[] = { NULL, NULL, cw_car_get_field (car, CW_CAR_PLATE) };

  /* "ab 123 c" and "AB-123-C". */
  g_strdelimit (lower, "-", ' ');
  spellings[0] = lower;
  spellings[1] = dashed;

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(CwWorkorder) workorder = search_one (fixture, spellings[i]);

      assert_mapped (workorder, order);
    }

  /* A plate has digits, so it is tried as a WO number first: two questions each. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 6);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LINES_PATH), ==, 3);
}

static void
test_search_no_labour (Fixture       *fixture,
                       gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, FALSE, 0);
  g_autofree char *expected = g_strdup_printf ("Workorder %s has no labour line in 2Drive; "
                                               "add one there and import again",
                                               wo_number_of (order));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = search (fixture, wo_number_of (order), &error);
  g_autoptr(CwWorkorder) fetched = NULL;

  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* By its plate, and on a refresh, the same refusal. */
  found = search (fixture, cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  fetched = fetch (fixture, wo_number_of (order), &error);
  g_assert_null (fetched);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_search_not_found (Fixture       *fixture,
                       gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(CwWorkorder) fetched = NULL;

  found = search (fixture, "99999", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "2Drive has no workorder 99999 for this branch. "
                                       "Check the number, or the branch in Preferences.");
  g_clear_error (&error);

  /* A plate no car in 2Drive has: asked as a number, then as a plate. */
  found = search (fixture, "xx-999-x", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "2Drive has no workorder XX999X, nor one for the car "
                                       "XX-999-X, at this branch. Check the number or the "
                                       "registration, or the branch in Preferences.");
  g_clear_error (&error);

  /* A name: 2Drive cannot be asked by name, so it is not. */
  cw_sim_server_reset_counts (fixture->sim);
  found = search (fixture, "Jansen", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);
  g_clear_error (&error);

  /* Another branch of the dealer sees nothing of this one. */
  g_object_set (fixture->connection, "affiliate-id", "260", NULL);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  fetched = fetch (fixture, wo_number_of (order), &error);
  g_assert_null (fetched);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
}

static void
test_fetch (Fixture       *fixture,
            gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 2);
  g_autoptr(CwWorkorder) found = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) fetched = NULL;
  g_autoptr(GError) error = NULL;

  fetched = fetch (fixture, cw_workorder_get_field (found, CW_WORKORDER_DMS_KEY), &error);
  g_assert_no_error (error);
  assert_mapped (fetched, order);
}

/* ------------------------------------------------------------------------------------- */
/* The token                                                                             */
/* ------------------------------------------------------------------------------------- */

static void
test_token_cached (Fixture       *fixture,
                   gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(CwWorkorder) first = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) second = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) fetched = NULL;
  g_autoptr(GError) error = NULL;

  fetched = fetch (fixture, wo_number_of (order), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_2DRIVE_API), ==, 6);
}

static void
test_token_renewed (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(CwWorkorder) workorder = NULL;

  /* A token that lives 30 s is inside the 60 s margin: it serves the request it was
   * fetched for, and the lines of the workorder need a new one. */
  cw_sim_server_add_fault (fixture->sim, TOKEN_PATH, CW_SIM_FAULT_TOKEN_EXPIRED, 30, 1);
  workorder = search_one (fixture, wo_number_of (order));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  assert_mapped (workorder, order);
  g_clear_object (&workorder);

  /* That one lives an hour, and is kept. */
  workorder = search_one (fixture, wo_number_of (order));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  assert_mapped (workorder, order);
}

static void
test_token_expired (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(CwWorkorder) workorder = search_one (fixture, wo_number_of (order));

  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 1);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 1);
  g_clear_object (&workorder);

  /* 2Drive drops the token early: one 401, one new token, and on. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_TOKEN_EXPIRED, 0, 1);
  workorder = search_one (fixture, wo_number_of (order));
  assert_mapped (workorder, order);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 3);

  /* The new token is kept. */
  g_clear_object (&workorder);
  workorder = search_one (fixture, wo_number_of (order));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
}

static void
test_token_refused_twice (Fixture       *fixture,
                          gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  /* Only once is a new token worth it: then the settings are wrong. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_UNAUTHORIZED, 0, 2);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_nonnull (strstr (error->message, "audience"));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 2);
}

static void
test_token_concurrent (Fixture       *fixture,
                       gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(CwDmsQuery) query = cw_dms_query_new (wo_number_of (order));
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GAsyncResult) third = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autoptr(GError) error = NULL;

  /* Three searches at once share one login; one of them is cancelled while it waits. */
  cw_connector_search_async (fixture->connector, query, NULL, on_done, &first);
  cw_connector_search_async (fixture->connector, query, cancellable, on_done, &second);
  cw_connector_search_async (fixture->connector, query, NULL, on_done, &third);
  g_cancellable_cancel (cancellable);

  b = cw_connector_search_finish (fixture->connector, wait_for (&second), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (b);
  g_clear_error (&error);

  a = cw_connector_search_finish (fixture->connector, wait_for (&first), &error);
  g_assert_no_error (error);
  c = cw_connector_search_finish (fixture->connector, wait_for (&third), &error);
  g_assert_no_error (error);
  assert_mapped (g_ptr_array_index (a, 0), order);
  assert_mapped (g_ptr_array_index (c, 0), order);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, TOKEN_PATH), ==, 1);
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
  g_assert_nonnull (strstr (error->message, "2Drive"));
}

static void
test_fault_server_error (Fixture       *fixture,
                         gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(CwWorkorder) workorder = NULL;

  /* The net layer does not retry a plain 500 (it may not be transient). */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_SERVER);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 1);

  /* On the lines too. */
  cw_sim_server_add_fault (fixture->sim, LINES_PATH, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_SERVER);

  /* On the login. */
  cw_sim_server_add_fault (fixture->sim, TOKEN_PATH, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  g_assert_false (check (fixture->connector, NULL));

  /* And then all is well again. */
  workorder = search_one (fixture, wo_number_of (order));
  assert_mapped (workorder, order);
}

static void
test_fault_throttled (Fixture       *fixture,
                      gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(CwWorkorder) workorder = NULL;

  /* 429 is retried by the net layer for the GETs, as Retry-After says (0 s here). */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_TOO_MANY, 0, 2);
  cw_sim_server_add_fault (fixture->sim, LINES_PATH, CW_SIM_FAULT_TOO_MANY, 0, 1);
  workorder = search_one (fixture, wo_number_of (order));
  assert_mapped (workorder, order);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 3);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LINES_PATH), ==, 2);

  /* Until the retries are used up. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_TOO_MANY, 0, 3);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_THROTTLED);
}

static void
test_fault_malformed (Fixture       *fixture,
                      gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);

  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_MALFORMED_JSON, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_MALFORMED);

  cw_sim_server_add_fault (fixture->sim, LINES_PATH, CW_SIM_FAULT_MALFORMED_JSON, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_MALFORMED);

  /* Valid JSON without the "value" list is no answer either. */
  cw_sim_server_add_fault (fixture->sim, TOKEN_PATH, CW_SIM_FAULT_MALFORMED_JSON, 0, 1);
  g_assert_false (check (fixture->connector, NULL));
}

static void
test_fault_oversized (Fixture       *fixture,
                      gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);

  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_OVERSIZED, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_TOO_LARGE);
}

static void
test_fault_hang (Fixture       *fixture,
                 gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  CwHttpClient *http = cw_2drive_connector_get_http_client (CW_2DRIVE_CONNECTOR (fixture->connector));

  /* One attempt of one second. */
  cw_http_client_set_retry_policy (http, 1, 0, 0);
  cw_sim_server_add_fault (fixture->sim, LINES_PATH, CW_SIM_FAULT_HANG, 0, 1);
  assert_search_fails (fixture, wo_number_of (order), CW_NET_ERROR, CW_NET_ERROR_TIMEOUT);
}

static void
test_fault_missing_fields (Fixture       *fixture,
                           gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(CwWorkorder) workorder = NULL;
  CwCar *car;
  CwParty *owner;
  GListModel *lines;
  GListModel *expected_lines = cw_workorder_get_interventions (order->workorder);

  /* Missing fields are normal: the workorder comes without them. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_MISSING_FIELDS, 0, 1);
  cw_sim_server_add_fault (fixture->sim, LINES_PATH, CW_SIM_FAULT_MISSING_FIELDS, 0, 1);
  workorder = search_one (fixture, wo_number_of (order));

  car = cw_workorder_get_car (workorder);
  owner = cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, wo_number_of (order));
  g_assert_null (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER));
  g_assert_null (cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, CW_MILEAGE_UNKNOWN);
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_MAKE), ==,
                   cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_MAKE));
  g_assert_null (cw_car_get_field (car, CW_CAR_MODEL));
  g_assert_cmpstr (cw_party_get_field (owner, CW_PARTY_LAST_NAME), ==,
                   cw_party_get_field (cw_workorder_get_party (order->workorder, CW_PARTY_ROLE_OWNER),
                                       CW_PARTY_LAST_NAME));
  g_assert_null (cw_party_get_field (owner, CW_PARTY_BUSINESS_PHONE));
  g_assert_null (cw_party_get_field (owner, CW_PARTY_BUSINESS_EMAIL));

  lines = cw_workorder_get_interventions (workorder);
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, g_list_model_get_n_items (expected_lines));
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);
      g_autoptr(CwIntervention) wanted = g_list_model_get_item (expected_lines, i);

      g_assert_cmpstr (cw_intervention_get_title (line), ==, cw_intervention_get_title (wanted));
      g_assert_false (cw_intervention_get_price (line, NULL));
      g_assert_null (cw_intervention_get_part_codes (line));
    }
}

static void
test_fault_missing_required (Fixture       *fixture,
                             gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  /* A workorder without its number cannot be imported, and the advisor is told why. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_MISSING_FIELDS, 1, 1);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "WONUMMER"));
  g_clear_error (&error);

  /* Lines without their kind: none is known to be labour. */
  cw_sim_server_add_fault (fixture->sim, LINES_PATH, CW_SIM_FAULT_MISSING_FIELDS, 1, 1);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR);
}

static void
test_fault_numbers_as_strings (Fixture       *fixture,
                               gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    {
      CwSimOrder *order = find_order (fixture, TRUE, i);
      g_autoptr(CwWorkorder) workorder = NULL;

      cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_NUMBERS_AS_STRINGS, 0, 1);
      cw_sim_server_add_fault (fixture->sim, LINES_PATH, CW_SIM_FAULT_NUMBERS_AS_STRINGS, 0, 1);
      workorder = search_one (fixture, wo_number_of (order));
      assert_mapped (workorder, order);
    }
}

/* ------------------------------------------------------------------------------------- */
/* With the store                                                                        */
/* ------------------------------------------------------------------------------------- */

static CwStore *
store_open (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "workshop.db", NULL);
  g_autoptr(GError) error = NULL;
  CwStore *store = cw_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

/* What the sync layer does: the dealer's option, if the connector offers it. */
static CwImportFlags
refresh_flags (Fixture *fixture)
{
  CwImportFlags flags = CW_IMPORT_RECORD_REFRESH;

  if (cw_connector_can (fixture->connector, CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED) &&
      cw_connection_get_import_after_work_started (fixture->connection))
    flags |= CW_IMPORT_AFTER_WORK_STARTED;

  return flags;
}

static CwImportOutcome
import (CwStore     *store,
        CwWorkorder *workorder,
        CwImportFlags flags)
{
  g_autoptr(GError) error = NULL;
  CwImportOutcome outcome = -1;

  g_assert_true (cw_store_import_workorder (store, workorder, flags, &outcome, &error));
  g_assert_no_error (error);

  return outcome;
}

static void
test_store_import_twice (Fixture       *fixture,
                         gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  g_autoptr(CwStore) store = store_open (fixture);
  g_autoptr(CwWorkorder) first = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) second = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_cmpint (import (store, first, CW_IMPORT_FLAGS_NONE), ==, CW_IMPORT_CREATED);
  g_assert_cmpint (import (store, second, CW_IMPORT_FLAGS_NONE), ==, CW_IMPORT_UNCHANGED);
  g_assert_cmpint (cw_store_count_workorders (store, NULL), ==, 1);

  id = cw_store_find_workorder (store, CONNECTION_ID, wo_number_of (order), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, cw_workorder_get_id (first));

  /* What was stored is what 2Drive said, line for line. */
  loaded = cw_store_load_workorder (store, id, &error);
  g_assert_no_error (error);
  assert_mapped (loaded, order);
  spin ();
}

static void
test_store_refresh (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 0);
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);
  g_autoptr(CwStore) store = store_open (fixture);
  g_autoptr(CwWorkorder) imported = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) refreshed = NULL;
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 mileage = cw_workorder_get_dms_mileage (order->workorder);

  g_assert_cmpint (import (store, imported, CW_IMPORT_FLAGS_NONE), ==, CW_IMPORT_CREATED);

  /* Unchanged in 2Drive: an advisor's refresh changes nothing. */
  refreshed = fetch (fixture, cw_workorder_get_field (imported, CW_WORKORDER_DMS_KEY), &error);
  g_assert_no_error (error);
  g_assert_cmpint (import (store, refreshed, refresh_flags (fixture)), ==, CW_IMPORT_UNCHANGED);
  g_clear_object (&refreshed);

  /* The mileage changed in 2Drive. */
  cw_workorder_set_dms_mileage (order->workorder, mileage + 1234);
  cw_sim_dataset_touch (dataset, order);
  refreshed = fetch (fixture, cw_workorder_get_field (imported, CW_WORKORDER_DMS_KEY), &error);
  g_assert_no_error (error);
  g_assert_cmpint (import (store, refreshed, refresh_flags (fixture)), ==, CW_IMPORT_UPDATED);

  loaded = cw_store_load_workorder (store, cw_workorder_get_id (imported), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, mileage + 1234);
  g_assert_cmpint (cw_store_count_workorders (store, NULL), ==, 1);
  spin ();
}

static void
test_store_work_started (Fixture       *fixture,
                         gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, TRUE, 1);
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);
  CwProcessChange start = { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_STARTED, CW_CANCEL_REASON_NONE, NULL };
  g_autoptr(CwStore) store = store_open (fixture);
  g_autoptr(CwWorkorder) imported = search_one (fixture, wo_number_of (order));
  g_autoptr(CwWorkorder) refreshed = NULL;
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *key = cw_workorder_get_field (imported, CW_WORKORDER_DMS_KEY);
  gint64 id;
  gint64 mileage = cw_workorder_get_dms_mileage (order->workorder);

  g_assert_cmpint (import (store, imported, CW_IMPORT_FLAGS_NONE), ==, CW_IMPORT_CREATED);
  id = cw_workorder_get_id (imported);
  g_assert_true (cw_store_change_process (store, id, &start, "Sanne", &error));
  g_assert_no_error (error);

  cw_workorder_set_dms_mileage (order->workorder, mileage + 500);
  cw_sim_dataset_touch (dataset, order);

  /* The dealer option is off: the DMS data is frozen once work started. */
  g_assert_false (cw_connection_get_import_after_work_started (fixture->connection));
  refreshed = fetch (fixture, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (refresh_flags (fixture) & CW_IMPORT_AFTER_WORK_STARTED, ==, 0);
  g_assert_cmpint (import (store, refreshed, refresh_flags (fixture)), ==, CW_IMPORT_FROZEN);
  loaded = cw_store_load_workorder (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, mileage);
  g_assert_cmpint (cw_workorder_get_status (loaded), ==, CW_STATUS_CHECK_STARTED);
  g_clear_object (&refreshed);
  g_clear_object (&loaded);

  /* The dealer turns it on: the change comes through, and the process stays. */
  g_object_set (fixture->connection, "import-after-work-started", TRUE, NULL);
  refreshed = fetch (fixture, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (import (store, refreshed, refresh_flags (fixture)), ==, CW_IMPORT_UPDATED);
  loaded = cw_store_load_workorder (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, mileage + 500);
  g_assert_cmpint (cw_workorder_get_status (loaded), ==, CW_STATUS_CHECK_STARTED);
  spin ();
}

/* ------------------------------------------------------------------------------------- */
/* The mapping on its own                                                                */
/* ------------------------------------------------------------------------------------- */

#define ORDER_ROW(extra) \
  "{\"value\":[{\"WONUMMER\":\"123456\",\"DMSNUMMER\":\"700123\",\"AffiliateId\":259," \
  "\"AfspraakDatum\":\"2026-11-21T09:30:00\",\"KmStand\":48210,\"Merk\":\"Volkswagen\"," \
  "\"Model\":\"Golf\",\"Kenteken\":\"ab-123-c\",\"Achternaam\":\"van den Berg\"," \
  "\"TelefoonZakelijk\":\"+31 30 123 4567\",\"EmailZakelijk\":\"inkoop@example.nl\"," \
  "\"InvoicedDate\":null" extra "}]}"

#define LABOUR_LINE "{\"WONUMMER\":\"123456\",\"RegelNummer\":1,\"Omschrijving\":\"Kleine beurt\"," \
  "\"Soort\":\"Arbeid\",\"PartNumber\":null,\"Price\":189.50,\"CompanyName\":\"Autobedrijf\",\"AffiliateId\":259}"

static CwWorkorder *
map (const char  *order,
     const char  *lines,
     GError     **error)
{
  return cw_2drive_map_workorder_data (order, strlen (order), lines, lines ? strlen (lines) : 0,
                                       CONNECTION_ID, error);
}

static void
test_mapping_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) workorder = map (ORDER_ROW (""), "{\"value\":[" LABOUR_LINE "]}", &error);
  g_autoptr(GDateTime) expected = g_date_time_new_local (2026, 11, 21, 9, 30, 0);
  CwParty *owner;

  g_assert_no_error (error);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, "123456");
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, "123456");
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER), ==, "700123");
  g_assert_true (g_date_time_equal (cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT), expected));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, 48210);
  g_assert_cmpstr (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE), ==, "AB123C");
  g_assert_false (cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));
  owner = cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER);
  g_assert_cmpstr (cw_party_get_field (owner, CW_PARTY_LAST_NAME), ==, "van den Berg");
  g_assert_cmpstr (cw_party_get_field (owner, CW_PARTY_BUSINESS_PHONE), ==, "+31 30 123 4567");
  g_assert_cmpstr (cw_party_get_field (owner, CW_PARTY_BUSINESS_EMAIL), ==, "inkoop@example.nl");
  g_assert_null (cw_party_get_field (owner, CW_PARTY_COMPANY));
  g_clear_object (&workorder);

  /* Invoiced: read-only. A zone, when given, counts. */
  workorder = map ("{\"WONUMMER\":123456,\"InvoicedDate\":\"2025-10-02\","
                   "\"AfspraakDatum\":\"2026-11-21T08:30:00Z\",\"Kenteken\":\" 12 bdf 3 \"}",
                   "[" LABOUR_LINE "]", &error);
  g_assert_no_error (error);
  g_assert_true (cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));
  g_assert_cmpint (g_date_time_to_unix (cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT)), ==,
                   g_date_time_to_unix (expected));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, "123456");
  g_assert_cmpstr (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE), ==, "12BDF3");
  /* No customer fields: no owner. */
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER));
}

static void
test_mapping_prices (void)
{
  static const struct {
    const char *price;
    gboolean    present;
    gint64      cents;
  } cases[] = {
    { "189.50", TRUE, 18950 },
    { "49.95", TRUE, 4995 },
    { "0.1", TRUE, 10 },
    { "1.005", TRUE, 101 },
    { "12", TRUE, 1200 },
    { "-10.5", TRUE, -1050 },
    { "0", TRUE, 0 },
    { "1e-7", TRUE, 0 },
    { "123456789012.34", TRUE, 12345678901234 },
    { "\"189.50\"", TRUE, 18950 },
    { "\" 64.5 \"", TRUE, 6450 },
    { "\"\"", FALSE, 0 },
    { "null", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *lines = g_strdup_printf ("[{\"RegelNummer\":1,\"Soort\":\"Arbeid\",\"Price\":%s}]",
                                                cases[i].price);
      g_autoptr(GError) error = NULL;
      g_autoptr(CwWorkorder) workorder = map (ORDER_ROW (""), lines, &error);
      g_autoptr(CwIntervention) line = NULL;
      gint64 cents = 0;

      g_test_message ("Price %s", cases[i].price);
      g_assert_no_error (error);
      line = g_list_model_get_item (cw_workorder_get_interventions (workorder), 0);
      g_assert_cmpint (cw_intervention_get_price (line, &cents), ==, cases[i].present);
      if (cases[i].present)
        g_assert_cmpint (cents, ==, cases[i].cents);
    }
}

static void
test_mapping_lines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;
  GListModel *lines;
  static const char * const titles[] = { "Eerste", "Tweede", "Derde", "Zonder nummer" };

  /* RegelNummer order; unnumbered at the end; another workorder's line left out. */
  workorder = map (ORDER_ROW (""),
                   "{\"value\":["
                   "{\"RegelNummer\":30,\"Omschrijving\":\"Derde\",\"Soort\":\"Onderdeel\",\"PartNumber\":\" 5Q0698151D \",\"Price\":86.5},"
                   "{\"Omschrijving\":\"Zonder nummer\",\"Soort\":\"Tekst\"},"
                   "{\"WONUMMER\":\"999\",\"RegelNummer\":5,\"Omschrijving\":\"Van een ander\",\"Soort\":\"Arbeid\"},"
                   "{\"RegelNummer\":\"10\",\"Omschrijving\":\"Eerste\",\"Soort\":\"arbeid\"},"
                   "{\"WONUMMER\":123456,\"RegelNummer\":20.0,\"Omschrijving\":\"Tweede\",\"Soort\":\"Pakket\"}"
                   "]}", &error);
  g_assert_no_error (error);

  lines = cw_workorder_get_interventions (workorder);
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      g_assert_cmpstr (cw_intervention_get_title (line), ==, titles[i]);
      if (i == 0)
        g_assert_cmpint (cw_intervention_get_element_kind (line), ==, CW_ELEMENT_KIND_LABOUR);
      if (i == 1)
        g_assert_cmpint (cw_intervention_get_element_kind (line), ==, CW_ELEMENT_KIND_UNSPECIFIED);
      if (i == 2)
        {
          g_assert_cmpstr (cw_intervention_get_part_codes (line)[0], ==, "5Q0698151D");
          g_assert_cmpstr (cw_intervention_get_dms_line_id (line), ==, "30");
        }
      if (i == 3)
        {
          g_assert_cmpint (cw_intervention_get_element_kind (line), ==, CW_ELEMENT_KIND_NOTE);
          g_assert_null (cw_intervention_get_dms_line_id (line));
        }
    }
  g_clear_object (&workorder);

  /* "Pakket" is not labour, nor is the other workorder's line. */
  workorder = map (ORDER_ROW (""),
                   "[{\"RegelNummer\":1,\"Soort\":\"Pakket\"},"
                   "{\"WONUMMER\":\"999\",\"RegelNummer\":2,\"Soort\":\"Arbeid\"}]", &error);
  g_assert_null (workorder);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR);
  g_assert_cmpstr (error->message, ==, "Workorder 123456 has no labour line in 2Drive; add one there and import again");
  g_clear_error (&error);

  /* No lines at all. */
  workorder = map (ORDER_ROW (""), NULL, &error);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR);
}

static void
test_mapping_malformed (void)
{
  static const struct {
    const char *order_extra;
    const char *lines;
    const char *field;
  } cases[] = {
    { ",\"KmStand\":-5", NULL, "KmStand" },
    { ",\"KmStand\":\"veel\"", NULL, "KmStand" },
    { ",\"KmStand\":1.5", NULL, "KmStand" },
    { ",\"KmStand\":true", NULL, "KmStand" },
    { ",\"AfspraakDatum\":\"21-11-2026\"", NULL, "AfspraakDatum" },
    { ",\"AfspraakDatum\":20261121", NULL, "AfspraakDatum" },
    { ",\"InvoicedDate\":\"ja\"", NULL, "InvoicedDate" },
    { ",\"Merk\":{\"naam\":\"VW\"}", NULL, "Merk" },
    { ",\"Achternaam\":[\"Jansen\"]", NULL, "Achternaam" },
    { ",\"DMSNUMMER\":1.5", NULL, "DMSNUMMER" },
    { "", "[{\"RegelNummer\":1,\"Soort\":\"Arbeid\",\"Price\":\"1,50\"}]", "Price" },
    { "", "[{\"RegelNummer\":1,\"Soort\":\"Arbeid\",\"Price\":1e20}]", "Price" },
    { "", "[{\"RegelNummer\":1,\"Soort\":\"Arbeid\",\"Price\":true}]", "Price" },
    { "", "[{\"RegelNummer\":-1,\"Soort\":\"Arbeid\"}]", "RegelNummer" },
    { "", "[{\"RegelNummer\":1,\"Soort\":5.5}]", "Soort" },
    { "", "[{\"RegelNummer\":1,\"Soort\":\"Arbeid\",\"PartNumber\":false}]", "PartNumber" },
    { "", "[7]", "value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *order = NULL;
      g_autofree char *needle = g_strdup_printf ("“%s”", cases[i].field);
      g_autoptr(GError) error = NULL;
      g_autoptr(CwWorkorder) workorder = NULL;

      /* The later member wins in json-glib, so "extra" overrides the row's own. */
      order = g_strdup_printf (ORDER_ROW ("%s"), cases[i].order_extra);
      workorder = map (order, cases[i].lines ? cases[i].lines : "[" LABOUR_LINE "]", &error);

      g_test_message ("Case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (workorder);
      g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
      /* The message names the workorder and the field. */
      g_assert_nonnull (strstr (error->message, "123456"));
      g_assert_nonnull (strstr (error->message, needle));
    }
}

static void
test_mapping_hostile (void)
{
  static const char * const orders[] = {
    "",
    "   ",
    "null",
    "[]",
    "{\"value\":{}}",
    "{\"value\":[1]}",
    "{\"WONUMMER\":null}",
    "{\"WONUMMER\":\"   \"}",
    "{\"WONUMMER\":true}",
    "{\"WONUMMER\":\"1\",\"KmStand\":99999999999999999999}",
    "{\"WONUMMER\":\"1\"",
    "{\"WONUMMER\":\"\\ud800\"}",
  };
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_clear_error (&error);
      workorder = map (orders[i], "[" LABOUR_LINE "]", &error);
      g_test_message ("%s: %s", orders[i], error ? error->message : "(no error)");
      g_assert_null (workorder);
      g_assert_nonnull (error);
      g_assert_true (error->domain == CW_DMS_ERROR);
    }

  /* Deep enough to overflow json-glib's recursion if it were parsed. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  g_clear_error (&error);
  workorder = map (ORDER_ROW (""), deep->str, &error);
  g_assert_null (workorder);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);

  /* An empty answer: nothing found. */
  g_clear_error (&error);
  workorder = map ("{\"value\":[]}", NULL, &error);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);

  /* Embedded NUL bytes are not JSON. */
  g_clear_error (&error);
  workorder = cw_2drive_map_workorder_data ("{\"WONUMMER\":\"1\"}\0x", 17, "[]", 2, CONNECTION_ID, &error);
  g_assert_null (workorder);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
}

static void
test_mapping_branch (void)
{
  static const struct {
    const char *row;
    gboolean    for_259;
  } cases[] = {
    { "{\"AffiliateId\":259}", TRUE },
    { "{\"AffiliateId\":\"259\"}", TRUE },
    { "{\"AffiliateId\":\" 0259 \"}", TRUE },
    { "{\"AffiliateId\":260}", FALSE },
    { "{\"AffiliateId\":\"Breda\"}", FALSE },
    { "{\"AffiliateId\":259.0}", FALSE },
    { "{\"AffiliateId\":true}", FALSE },
    { "{\"AffiliateId\":[259]}", FALSE },
    { "{\"AffiliateId\":null}", TRUE },
    { "{\"AffiliateId\":\"  \"}", TRUE },
    { "{}", TRUE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].row, &error);

      g_assert_no_error (error);
      g_test_message ("%s", cases[i].row);
      g_assert_cmpint (cw_2drive_row_is_for_branch (json_node_get_object (node), "259"), ==, cases[i].for_259);
    }

  /* A line of the same WO number at another branch is not this workorder's. */
  workorder = map (ORDER_ROW (""),
                   "[{\"WONUMMER\":\"123456\",\"AffiliateId\":260,\"RegelNummer\":1,\"Soort\":\"Arbeid\"},"
                   "{\"WONUMMER\":\"123456\",\"AffiliateId\":259,\"RegelNummer\":2,\"Soort\":\"Tekst\"}]",
                   &error);
  g_assert_null (workorder);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR);
}

int
main (int   argc,
      char *argv[])
{
  /* No XDG directory is used (the store lives in a temporary directory of its own), and
   * isolating them would hide the proxy settings' schema from GIO. */
  g_test_init (&argc, &argv, NULL);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/2drive/check/ok", test_check_ok);
  ADD ("/2drive/check/wrong-secret", test_check_wrong_secret);
  ADD ("/2drive/check/wrong-audience", test_check_wrong_audience);
  ADD ("/2drive/check/configuration", test_check_configuration);
  ADD ("/2drive/search/wo-number", test_search_wo_number);
  ADD ("/2drive/search/plate", test_search_plate);
  ADD ("/2drive/search/no-labour", test_search_no_labour);
  ADD ("/2drive/search/not-found", test_search_not_found);
  ADD ("/2drive/fetch", test_fetch);
  ADD ("/2drive/token/cached", test_token_cached);
  ADD ("/2drive/token/renewed", test_token_renewed);
  ADD ("/2drive/token/expired", test_token_expired);
  ADD ("/2drive/token/refused-twice", test_token_refused_twice);
  ADD ("/2drive/token/concurrent", test_token_concurrent);
  ADD ("/2drive/fault/server-error", test_fault_server_error);
  ADD ("/2drive/fault/throttled", test_fault_throttled);
  ADD ("/2drive/fault/malformed", test_fault_malformed);
  ADD ("/2drive/fault/oversized", test_fault_oversized);
  ADD ("/2drive/fault/hang", test_fault_hang);
  ADD ("/2drive/fault/missing-fields", test_fault_missing_fields);
  ADD ("/2drive/fault/missing-required", test_fault_missing_required);
  ADD ("/2drive/fault/numbers-as-strings", test_fault_numbers_as_strings);
  ADD ("/2drive/store/import-twice", test_store_import_twice);
  ADD ("/2drive/store/refresh", test_store_refresh);
  ADD ("/2drive/store/work-started", test_store_work_started);
#undef ADD

  g_test_add_func ("/2drive/mapping/fields", test_mapping_fields);
  g_test_add_func ("/2drive/mapping/prices", test_mapping_prices);
  g_test_add_func ("/2drive/mapping/lines", test_mapping_lines);
  g_test_add_func ("/2drive/mapping/malformed", test_mapping_malformed);
  g_test_add_func ("/2drive/mapping/hostile", test_mapping_hostile);
  g_test_add_func ("/2drive/mapping/branch", test_mapping_branch);

  return g_test_run ();
}
