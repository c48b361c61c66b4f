/* test-autoflex.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cw-autoflex-connector-private.h"
#include "cw-autoflex-mapping.h"
#include "cw-connector.h"
#include "cw-http-client.h"
#include "cw-sim-server.h"
#include "cw-store.h"

/*
 * The Autoflex connector against the in-process simulator, over real HTTP on 127.0.0.1.
 * Simulator and client share the test's main context: the test starts an operation and
 * iterates the context until its callback has fired. The dataset is centred on a fixed
 * Friday before the switch to summer time, so the eight days of the demo window cross it.
 * Timeouts and retries are shortened; the only real waits are the throttle waits under
 * test and the one-second timeout of the hang test.
 */

#define SEED          20260327
#define CONNECTION_ID "autoflex-test"
#define ORDER_PATH    CW_SIM_AUTOFLEX_API "/order"

typedef struct
{
  CwSimServer  *sim;
  CwSimDataset *dataset;
  CwConnection *connection;
  CwConnector  *connector;
  GDate         today;
} Fixture;

static GHashTable *
credentials_new (const char *password)
{
  GHashTable *credentials = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (credentials, (char *) "api_key", (char *) CW_SIM_AUTOFLEX_API_KEY);
  g_hash_table_insert (credentials, (char *) "username", (char *) CW_SIM_AUTOFLEX_USERNAME);
  g_hash_table_insert (credentials, (char *) "password", (char *) password);

  return credentials;
}

static CwConnector *
connector_new (Fixture    *fixture,
               const char *password)
{
  g_autoptr(GHashTable) credentials = credentials_new (password);
  g_autoptr(GError) error = NULL;
  CwConnector *connector;
  CwHttpClient *client;

  connector = cw_autoflex_connector_new (fixture->connection, credentials, &error);
  g_assert_no_error (error);
  g_assert_true (CW_IS_AUTOFLEX_CONNECTOR (connector));

  client = cw_autoflex_connector_get_http_client (CW_AUTOFLEX_CONNECTOR (connector));
  cw_http_client_set_timeout (client, 5);
  cw_http_client_set_retry_policy (client, 2, 5, 10);

  return connector;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bootstrap = NULL;

  g_date_clear (&fixture->today, 1);
  g_date_set_dmy (&fixture->today, 27, G_DATE_MARCH, 2026);

  fixture->sim = cw_sim_server_new (SEED, &fixture->today);
  cw_sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);
  fixture->dataset = cw_sim_server_get_dataset (fixture->sim);

  bootstrap = cw_sim_server_dup_url (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  fixture->connection = cw_connection_new (CONNECTION_ID, "autoflex");
  g_object_set (fixture->connection, "endpoint", bootstrap, NULL);

  fixture->connector = connector_new (fixture, CW_SIM_AUTOFLEX_PASSWORD);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->connector);
  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->sim);
}

/*
 * Driving the main loop
 */

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static gboolean
check (CwConnector  *connector,
       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cw_connector_check_async (connector, NULL, on_ready, &result);
  return cw_connector_check_finish (connector, wait_for (&result), error);
}

static GPtrArray *
list_days_full (CwConnector   *connector,
                const GDate   *first_day,
                guint          n_days,
                GCancellable  *cancellable,
                GPtrArray    **problems,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cw_connector_list_days_async (connector, first_day, n_days, cancellable, on_ready, &result);
  return cw_connector_list_days_finish (connector, wait_for (&result), problems, error);
}

static GPtrArray *
list_days (Fixture      *fixture,
           int           offset,
           guint         n_days,
           GPtrArray   **problems,
           GError      **error)
{
  GDate first = fixture->today;

  if (offset < 0)
    g_date_subtract_days (&first, (guint) -offset);
  else
    g_date_add_days (&first, (guint) offset);

  return list_days_full (fixture->connector, &first, n_days, NULL, problems, error);
}

/* The dataset's Autoflex workshop orders on those days, as the connector must return them. */
static GPtrArray *
expected_orders (Fixture *fixture,
                 int      offset,
                 guint    n_days,
                 guint   *n_other_types)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *workshop = g_ptr_array_new ();
  GDate first = fixture->today;

  if (offset < 0)
    g_date_subtract_days (&first, (guint) -offset);
  else
    g_date_add_days (&first, (guint) offset);

  if (n_other_types != NULL)
    *n_other_types = 0;

  all = cw_sim_dataset_list_days (fixture->dataset, CW_SIM_DMS_AUTOFLEX, &first, n_days);
  for (guint i = 0; i < all->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (all, i);

      if (order->order_type == CW_AUTOFLEX_ORDER_TYPE_WORKSHOP)
        g_ptr_array_add (workshop, order);
      else if (n_other_types != NULL)
        (*n_other_types)++;
    }

  return workshop;
}

static CwWorkorder *
find_workorder (GPtrArray  *workorders,
                const char *dms_number)
{
  for (guint i = 0; i < workorders->len; i++)
    {
      CwWorkorder *workorder = g_ptr_array_index (workorders, i);

      if (g_strcmp0 (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER), dms_number) == 0)
        return workorder;
    }

  return NULL;
}

/*
 * Comparing with the dataset
 */

static void
assert_same_time (GDateTime *expected,
                  GDateTime *actual)
{
  g_assert_true ((expected == NULL) == (actual == NULL));
  if (expected != NULL)
    g_assert_cmpint (g_date_time_to_unix (expected), ==, g_date_time_to_unix (actual));
}

/* Everything Claire's Autoflex list names, field by field. */
static void
assert_mapped (CwSimOrder  *order,
               CwWorkorder *actual)
{
  CwWorkorder *expected = order->workorder;
  CwCar *expected_car = cw_workorder_get_car (expected);
  CwCar *actual_car = cw_workorder_get_car (actual);
  CwParty *expected_party = cw_workorder_get_party (expected, CW_PARTY_ROLE_CONTRACTOR);
  CwParty *actual_party = cw_workorder_get_party (actual, CW_PARTY_ROLE_CONTRACTOR);
  GListModel *expected_lines = cw_workorder_get_interventions (expected);
  GListModel *actual_lines = cw_workorder_get_interventions (actual);
  static const CwWorkorderField fields[] = {
    CW_WORKORDER_DMS_NUMBER, CW_WORKORDER_WO_NUMBER, CW_WORKORDER_DMS_NOTES,
  };
  static const CwWorkorderTime times[] = {
    CW_WORKORDER_APPOINTMENT, CW_WORKORDER_DMS_CREATED, CW_WORKORDER_SCHEDULED_IN,
    CW_WORKORDER_SCHEDULED_OUT,
  };
  static const CwWorkorderFlag flags[] = {
    CW_WORKORDER_BILLED, CW_WORKORDER_INTERNAL, CW_WORKORDER_DMS_CANCELED,
  };
  static const CwCarField car_fields[] = {
    CW_CAR_MAKE, CW_CAR_MODEL, CW_CAR_PLATE, CW_CAR_VIN, CW_CAR_ENGINE_NUMBER, CW_CAR_NOTES,
    CW_CAR_DRIVER_ID,
  };
  static const CwPartyField party_fields[] = {
    CW_PARTY_DMS_ID, CW_PARTY_COMPANY, CW_PARTY_TITLE, CW_PARTY_LAST_NAME, CW_PARTY_STREET,
    CW_PARTY_HOUSE_NUMBER, CW_PARTY_POSTCODE, CW_PARTY_PLACE,
  };

  g_assert_cmpstr (cw_workorder_get_field (actual, CW_WORKORDER_CONNECTION_ID), ==, CONNECTION_ID);
  g_assert_cmpstr (cw_workorder_get_field (actual, CW_WORKORDER_DMS_KEY), ==,
                   cw_workorder_get_field (expected, CW_WORKORDER_DMS_NUMBER));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_cmpstr (cw_workorder_get_field (actual, fields[i]), ==,
                     cw_workorder_get_field (expected, fields[i]));
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    assert_same_time (cw_workorder_get_time (expected, times[i]), cw_workorder_get_time (actual, times[i]));
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    g_assert_cmpint (cw_workorder_get_flag (actual, flags[i]), ==, cw_workorder_get_flag (expected, flags[i]));
  g_assert_cmpint (cw_workorder_get_flag (actual, CW_WORKORDER_BILLED), ==, order->invoiced);
  g_assert_cmpint (cw_workorder_is_read_only (actual), ==, cw_workorder_is_read_only (expected));
  g_assert_cmpint (cw_workorder_get_dms_mileage (actual), ==, cw_workorder_get_dms_mileage (expected));
  g_assert_cmpint (cw_workorder_get_dms_shop_state (actual), ==, cw_workorder_get_dms_shop_state (expected));

  for (guint i = 0; i < G_N_ELEMENTS (car_fields); i++)
    g_assert_cmpstr (cw_car_get_field (actual_car, car_fields[i]), ==,
                     cw_car_get_field (expected_car, car_fields[i]));

  /* The relation is the contractor, and nobody else. */
  g_assert_nonnull (actual_party);
  for (guint i = 0; i < G_N_ELEMENTS (party_fields); i++)
    g_assert_cmpstr (cw_party_get_field (actual_party, party_fields[i]), ==,
                     cw_party_get_field (expected_party, party_fields[i]));
  g_assert_null (cw_workorder_get_party (actual, CW_PARTY_ROLE_DRIVER));
  g_assert_null (cw_workorder_get_party (actual, CW_PARTY_ROLE_OWNER));

  /* Interventions in Autoflex's order, prices in cents, text lines without a price. */
  g_assert_cmpuint (g_list_model_get_n_items (actual_lines), ==, g_list_model_get_n_items (expected_lines));
  for (guint i = 0; i < g_list_model_get_n_items (expected_lines); i++)
    {
      g_autoptr(CwIntervention) want = g_list_model_get_item (expected_lines, i);
      g_autoptr(CwIntervention) got = g_list_model_get_item (actual_lines, i);
      gint64 want_cents = -1, got_cents = -1;

      g_assert_cmpstr (cw_intervention_get_title (got), ==, cw_intervention_get_title (want));
      g_assert_cmpstr (cw_intervention_get_dms_line_id (got), ==, cw_intervention_get_dms_line_id (want));
      g_assert_cmpint (cw_intervention_get_price (got, &got_cents), ==,
                       cw_intervention_get_price (want, &want_cents));
      g_assert_cmpint (got_cents, ==, want_cents);
      g_assert_cmpstr (cw_intervention_get_currency (got), ==, "EUR");
      g_assert_cmpint (cw_intervention_get_source (got), ==, CW_INTERVENTION_SOURCE_DMS);
    }
}

/*
 * Logging in
 */

static void
test_login_ok (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (cw_connector_get_capabilities (fixture->connector), ==, CW_CAPABILITY_KEEP_IMPORTING);
  g_assert_true (check (fixture->connector, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP "/authenticate"), ==, 1);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_API), ==, 0);
}

static void
test_login_wrong (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(CwConnector) wrong = connector_new (fixture, "not-the-password");
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;
  GDate day = fixture->today;

  g_assert_false (check (wrong, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_nonnull (strstr (error->message, "Autoflex"));
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);

  /* An import with wrong credentials fails as a whole, before asking for any order. */
  workorders = list_days_full (wrong, &day, 1, NULL, NULL, &error);
  g_assert_null (workorders);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_API), ==, 0);
}

static void
test_construct_errors (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(CwConnection) no_endpoint = cw_connection_new ("autoflex-empty", "autoflex");
  g_autoptr(GHashTable) credentials = credentials_new (CW_SIM_AUTOFLEX_PASSWORD);
  g_autoptr(GHashTable) partial = credentials_new ("");
  g_autoptr(GError) error = NULL;
  CwConnector *connector;

  connector = cw_autoflex_connector_new (no_endpoint, credentials, &error);
  g_assert_null (connector);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);

  connector = cw_autoflex_connector_new (fixture->connection, partial, &error);
  g_assert_null (connector);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS);
}

/*
 * Listing
 */

static void
test_list_window (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint n_other_types, n_billed = 0, n_canceled = 0, n_internal = 0, n_in = 0, n_backwards = 0;
  guint n_text_lines = 0, n_company = 0, n_dashed_lower = 0;
  GDate first = fixture->today;

  /* The demo window: the dataset's eight days from yesterday. */
  expected = expected_orders (fixture, -1, 8, &n_other_types);
  g_assert_cmpuint (n_other_types, >, 0);

  workorders = list_days (fixture, -1, 8, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workorders);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (workorders->len, ==, expected->len);

  for (guint i = 0; i < expected->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (expected, i);
      const char *dms_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_DMS_NUMBER);
      CwWorkorder *actual = find_workorder (workorders, dms_number);
      CwParty *party = cw_workorder_get_party (order->workorder, CW_PARTY_ROLE_CONTRACTOR);
      gint64 order_id = g_ascii_strtoll (dms_number, NULL, 10);

      g_assert_nonnull (actual);
      assert_mapped (order, actual);

      n_billed += cw_workorder_get_flag (actual, CW_WORKORDER_BILLED);
      n_canceled += cw_workorder_get_flag (actual, CW_WORKORDER_DMS_CANCELED);
      n_internal += cw_workorder_get_flag (actual, CW_WORKORDER_INTERNAL);
      n_in += cw_workorder_get_dms_shop_state (actual) == CW_SHOP_IN;
      n_company += party != NULL && cw_party_get_field (party, CW_PARTY_COMPANY) != NULL;
      /* The simulator sends these lines backwards and these plates as "ab-123-c". */
      n_backwards += order_id % 2 != 0 &&
                     g_list_model_get_n_items (cw_workorder_get_interventions (actual)) > 1;
      n_dashed_lower += order_id % 3 == 0;
      for (guint j = 0; j < g_list_model_get_n_items (cw_workorder_get_interventions (actual)); j++)
        {
          g_autoptr(CwIntervention) line = g_list_model_get_item (cw_workorder_get_interventions (actual), j);

          n_text_lines += !cw_intervention_get_price (line, NULL);
        }
    }

  /* Every case the mapping has to get right is in the window. */
  g_assert_cmpuint (n_billed, >, 0);
  g_assert_cmpuint (n_canceled, >, 0);
  g_assert_cmpuint (n_internal, >, 0);
  g_assert_cmpuint (n_in, >, 0);
  g_assert_cmpuint (n_backwards, >, 0);
  g_assert_cmpuint (n_text_lines, >, 0);
  g_assert_cmpuint (n_company, >, 0);
  g_assert_cmpuint (n_dashed_lower, >, 0);

  /* One request a day, one login. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), ==, 8);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP), ==, 1);

  /* A day with no orders is an empty list, not an error. */
  g_date_subtract_days (&first, 30);
  g_clear_pointer (&workorders, g_ptr_array_unref);
  workorders = list_days_full (fixture->connector, &first, 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workorders);
  g_assert_cmpuint (workorders->len, ==, 0);
}

static void
test_list_paging (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;

  /* 7 + 300 orders: four pages of 100. */
  cw_sim_dataset_add_bulk (fixture->dataset, CW_SIM_DMS_AUTOFLEX, 300, &fixture->today);
  expected = expected_orders (fixture, 0, 1, NULL);
  g_assert_cmpuint (expected->len, >, 300);
  g_assert_cmpuint (expected->len, <=, 400);

  workorders = list_days (fixture, 0, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workorders->len, ==, expected->len);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), ==, 4);

  for (guint i = 0; i < expected->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (expected, i);
      CwWorkorder *actual = find_workorder (workorders, cw_workorder_get_field (order->workorder,
                                                                                CW_WORKORDER_DMS_NUMBER));

      g_assert_nonnull (actual);
      assert_mapped (order, actual);
    }
}

/* A stand-in for the simulator's order handler that records what the connector sent. */
typedef struct
{
  GPtrArray *raw_queries;
  GPtrArray *filters;
  GPtrArray *fields;
  GPtrArray *pages;
  char      *token;
  char      *api_key;
} Recorder;

static void recorder_clear (Recorder *recorder);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Recorder, recorder_clear)

static void
recorder_clear (Recorder *recorder)
{
  g_clear_pointer (&recorder->raw_queries, g_ptr_array_unref);
  g_clear_pointer (&recorder->filters, g_ptr_array_unref);
  g_clear_pointer (&recorder->fields, g_ptr_array_unref);
  g_clear_pointer (&recorder->pages, g_ptr_array_unref);
  g_clear_pointer (&recorder->token, g_free);
  g_clear_pointer (&recorder->api_key, g_free);
}

#define TWO_PAGE_ORDER(id, number, notes) \
  "{\"order_id\": " id ", \"order_number\": \"" number "\", \"order_type\": 1," \
  " \"appointment_date\": \"2026-03-27 10:00:00\", \"notes\": \"" notes "\"}"

static void
record_order_request (CwSimServer       *server,
                      SoupServerMessage *message,
                      const char        *path,
                      GHashTable        *query,
                      const CwSimFault  *fault,
                      gpointer           user_data)
{
  Recorder *recorder = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *page = g_hash_table_lookup (query, "page");

  g_ptr_array_add (recorder->raw_queries, g_strdup (g_uri_get_query (soup_server_message_get_uri (message))));
  g_ptr_array_add (recorder->filters, g_strdup (g_hash_table_lookup (query, "filter")));
  g_ptr_array_add (recorder->fields, g_strdup (g_hash_table_lookup (query, "fields")));
  g_ptr_array_add (recorder->pages, g_strdup (page));
  g_free (recorder->token);
  recorder->token = g_strdup (soup_message_headers_get_one (headers, "token"));
  g_free (recorder->api_key);
  recorder->api_key = g_strdup (soup_message_headers_get_one (headers, "apikey"));

  /* Two pages; the order 1 moves from the first to the second while they are read. */
  if (g_strcmp0 (page, "1") == 0)
    cw_sim_reply_text (message, 200, "application/json",
                       "{\"data\": [" TWO_PAGE_ORDER ("1", "W1", "first") "], \"nextpage\": true}");
  else
    cw_sim_reply_text (message, 200, "application/json",
                       "{\"data\": [" TWO_PAGE_ORDER ("2", "W2", "other") ", "
                       TWO_PAGE_ORDER ("1", "W1", "moved") "], \"nextpage\": \"0\"}");
}

static void
test_list_request (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_auto(Recorder) recorder = { 0 };
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;

  recorder.raw_queries = g_ptr_array_new_with_free_func (g_free);
  recorder.filters = g_ptr_array_new_with_free_func (g_free);
  recorder.fields = g_ptr_array_new_with_free_func (g_free);
  recorder.pages = g_ptr_array_new_with_free_func (g_free);
  cw_sim_server_add_handler (fixture->sim, ORDER_PATH, record_order_request, &recorder);

  workorders = list_days (fixture, 0, 1, NULL, &error);
  g_assert_no_error (error);

  /* What went over the wire: the documented filter, percent-encoded, and our day. */
  g_assert_cmpuint (recorder.pages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (recorder.pages, 0), ==, "1");
  g_assert_cmpstr (g_ptr_array_index (recorder.pages, 1), ==, "2");
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (recorder.filters, i), ==,
                       "order_type[eq]:1,appointment_date[eq]:2026-03-27");
      g_assert_cmpstr (g_ptr_array_index (recorder.fields, i), ==, cw_autoflex_order_fields ());
      g_assert_nonnull (strstr (g_ptr_array_index (recorder.raw_queries, i),
                                "filter=order_type%5Beq%5D%3A1%2Cappointment_date%5Beq%5D%3A2026-03-27"));
    }
  g_assert_nonnull (recorder.token);
  g_assert_cmpstr (recorder.token, !=, "");
  g_assert_cmpstr (recorder.api_key, ==, CW_SIM_AUTOFLEX_API_KEY);

  /* An order met on two pages is returned once, as last seen. */
  g_assert_cmpuint (workorders->len, ==, 2);
  g_assert_cmpstr (cw_workorder_get_field (find_workorder (workorders, "1"), CW_WORKORDER_DMS_NOTES), ==, "moved");
  g_assert_nonnull (find_workorder (workorders, "2"));
}

static void
test_list_concurrent (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GPtrArray) expected_first = expected_orders (fixture, -1, 2, NULL);
  g_autoptr(GPtrArray) expected_second = expected_orders (fixture, 2, 3, NULL);
  g_autoptr(GPtrArray) workorders_first = NULL;
  g_autoptr(GPtrArray) workorders_second = NULL;
  g_autoptr(GError) error = NULL;
  GDate day_first = fixture->today;
  GDate day_second = fixture->today;

  /* Two imports at once, one token refused along the way: both complete. */
  g_date_subtract_days (&day_first, 1);
  g_date_add_days (&day_second, 2);
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_DELAY, 0, 1);
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_TOKEN_EXPIRED, 1, 1);
  cw_connector_list_days_async (fixture->connector, &day_first, 2, NULL, on_ready, &first);
  cw_connector_list_days_async (fixture->connector, &day_second, 3, NULL, on_ready, &second);
  wait_for (&first);
  wait_for (&second);

  workorders_first = cw_connector_list_days_finish (fixture->connector, first, NULL, &error);
  g_assert_no_error (error);
  workorders_second = cw_connector_list_days_finish (fixture->connector, second, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workorders_first->len, ==, expected_first->len);
  g_assert_cmpuint (workorders_second->len, ==, expected_second->len);
  /* Five days and the refused request again; a request of the other import may have
   * carried the dropped token as well, and is then repeated too. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), >=, 6);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), <=, 7);
}

/*
 * The token
 */

static void
test_token_expired (Fixture       *fixture,
                    gconstpointer  user_data)
{
  int variant = GPOINTER_TO_INT (user_data);
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) expected = expected_orders (fixture, 0, 1, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (check (fixture->connector, &error));
  g_assert_no_error (error);
  cw_sim_server_reset_counts (fixture->sim);

  /* Refused (HTTP 401, or errorCode 401 under HTTP 200): one new login, one repeat. */
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_TOKEN_EXPIRED, variant, 1);
  workorders = list_days (fixture, 0, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workorders->len, ==, expected->len);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP), ==, 1);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), ==, 2);
}

static void
test_token_refused_twice (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;

  /* The login works but the data stays refused: one new login only, then the error. */
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_UNAUTHORIZED, 0, 5);
  workorders = list_days (fixture, 0, 1, NULL, &error);
  g_assert_null (workorders);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), ==, 2);
}

static void
test_token_renewed_early (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;

  /* A token valid for 30 more seconds is within the 60-second margin: the next request
   * logs in again first, without ever being refused. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP, CW_SIM_FAULT_TOKEN_EXPIRED, 30, 1);
  g_assert_true (check (fixture->connector, &error));
  g_assert_no_error (error);
  cw_sim_server_reset_counts (fixture->sim);

  workorders = list_days (fixture, 0, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workorders);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP), ==, 1);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), ==, 2);

  /* The new token is good for half an hour: no further login. */
  g_clear_pointer (&workorders, g_ptr_array_unref);
  workorders = list_days (fixture, 0, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP), ==, 1);
}

/*
 * Throttling
 */

static void
test_throttle (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) expected = expected_orders (fixture, 0, 1, NULL);
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* At the login. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP, CW_SIM_FAULT_THROTTLE_202, 150, 1);
  start = g_get_monotonic_time ();
  g_assert_true (check (fixture->connector, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP), ==, 2);

  /* On a data call, twice in a row. */
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_THROTTLE_202, 200, 2);
  start = g_get_monotonic_time ();
  workorders = list_days (fixture, 0, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 400 * 1000);
  g_assert_cmpuint (workorders->len, ==, expected->len);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), ==, 3);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP), ==, 2);
}

static void
test_throttle_gives_up (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;

  cw_autoflex_connector_set_max_throttle_waits (CW_AUTOFLEX_CONNECTOR (fixture->connector), 2);
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_THROTTLE_202, 10, 10);
  workorders = list_days (fixture, 0, 1, NULL, &error);
  g_assert_null (workorders);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_THROTTLED);
  g_assert_nonnull (strstr (error->message, "Autoflex"));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), ==, 3);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_throttle_cancel (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* A wait of a minute ends as soon as the import is cancelled. */
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_THROTTLE_202, 60000, 1);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 200, cancel_later, g_object_ref (cancellable), g_object_unref);
  workorders = list_days_full (fixture->connector, &fixture->today, 1, cancellable, NULL, &error);
  g_assert_null (workorders);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

/*
 * Errors
 */

static void
test_error_code_200 (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_ERROR_CODE_200, 500, 1);
  workorders = list_days (fixture, 0, 1, &problems, &error);
  g_assert_null (workorders);
  g_assert_null (problems);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_DMS);
  g_assert_nonnull (strstr (error->message, "Er is een fout opgetreden"));
  g_assert_nonnull (strstr (error->message, "500"));
  g_clear_error (&error);

  /* The same at the login. */
  g_clear_object (&fixture->connector);
  fixture->connector = connector_new (fixture, CW_SIM_AUTOFLEX_PASSWORD);
  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP, CW_SIM_FAULT_ERROR_CODE_200, 503, 1);
  g_assert_false (check (fixture->connector, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_DMS);
}

static void
test_failed_day_fails_range (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;

  /* The first day is answered (a delay of 0 ms), the second fails: no partial range. */
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_DELAY, 0, 1);
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  workorders = list_days (fixture, -1, 3, NULL, &error);
  g_assert_null (workorders);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_SERVER);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDER_PATH), ==, 2);
}

typedef struct
{
  CwSimFaultKind kind;
  int            value;
  guint          count;
  GQuark         domain;
  int            code;
} HttpCase;

static void
test_http_errors (Fixture       *fixture,
                  gconstpointer  user_data)
{
  const HttpCase cases[] = {
    { CW_SIM_FAULT_SERVER_ERROR, 0, 1, CW_NET_ERROR, CW_NET_ERROR_SERVER },
    { CW_SIM_FAULT_TOO_MANY, 0, 5, CW_NET_ERROR, CW_NET_ERROR_THROTTLED },
    { CW_SIM_FAULT_MALFORMED_JSON, 0, 1, CW_NET_ERROR, CW_NET_ERROR_MALFORMED },
    { CW_SIM_FAULT_OVERSIZED, 0, 1, CW_NET_ERROR, CW_NET_ERROR_TOO_LARGE },
  };

  g_assert_true (check (fixture->connector, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) workorders = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;

      cw_sim_server_clear_faults (fixture->sim);
      cw_sim_server_add_fault (fixture->sim, ORDER_PATH, cases[i].kind, cases[i].value, cases[i].count);
      workorders = list_days (fixture, 0, 1, &problems, &error);
      g_assert_null (workorders);
      g_assert_null (problems);
      g_assert_error (error, cases[i].domain, cases[i].code);
      g_assert_nonnull (strstr (error->message, "Autoflex"));
    }
}

static void
test_hang (Fixture       *fixture,
           gconstpointer  user_data)
{
  CwHttpClient *client = cw_autoflex_connector_get_http_client (CW_AUTOFLEX_CONNECTOR (fixture->connector));
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GError) error = NULL;

  cw_http_client_set_timeout (client, 1);
  cw_http_client_set_retry_policy (client, 1, 0, 0);
  g_assert_true (check (fixture->connector, NULL));

  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_HANG, 0, 1);
  workorders = list_days (fixture, 0, 1, NULL, &error);
  g_assert_null (workorders);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "Autoflex"));
}

/*
 * What the mapping makes of awkward data
 */

static void
test_missing_fields (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GPtrArray) expected = expected_orders (fixture, 0, 1, NULL);
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint n_problems = 0;

  /* The simulator's rule: row 0 loses its appointment date, row 6 its WO number, row 3
   * its car, relation, notes and mileage. */
  g_assert_cmpuint (expected->len, >=, 7);
  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_MISSING_FIELDS, 0, 1);
  workorders = list_days (fixture, 0, 1, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (problems);

  for (guint i = 0; i < expected->len; i++)
    {
      CwSimOrder *order = g_ptr_array_index (expected, i);
      const char *dms_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_DMS_NUMBER);
      const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
      CwWorkorder *actual = find_workorder (workorders, dms_number);

      if (i % 12 == 0 || i % 12 == 6)
        {
          CwDmsProblem *problem = g_ptr_array_index (problems, n_problems++);
          g_autofree char *prefix = NULL;

          g_assert_null (actual);
          g_assert_cmpstr (problem->dms_key, ==, dms_number);
          g_assert_error (problem->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
          if (i % 12 == 0)
            {
              prefix = g_strdup_printf ("Autoflex order %s: the appointment date is missing", wo_number);
              g_assert_cmpstr (problem->wo_number, ==, wo_number);
            }
          else
            {
              prefix = g_strdup_printf ("Autoflex order with DMS number %s: the WO number is missing", dms_number);
              g_assert_null (problem->wo_number);
            }
          g_assert_true (g_str_has_prefix (problem->error->message, prefix));
          continue;
        }

      g_assert_nonnull (actual);
      if (i % 6 == 3)
        {
          /* Optional data missing is normal: the order comes through without it. */
          g_assert_true (cw_car_is_empty (cw_workorder_get_car (actual)));
          g_assert_null (cw_workorder_get_party (actual, CW_PARTY_ROLE_CONTRACTOR));
          g_assert_cmpint (cw_workorder_get_dms_mileage (actual), ==, CW_MILEAGE_UNKNOWN);
          g_assert_null (cw_workorder_get_field (actual, CW_WORKORDER_DMS_NOTES));
        }
      else
        assert_mapped (order, actual);
    }

  g_assert_cmpuint (problems->len, ==, n_problems);
  g_assert_cmpuint (workorders->len + problems->len, ==, expected->len);
}

static void
test_numbers_as_strings (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(GPtrArray) strings = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  plain = list_days (fixture, 0, 1, NULL, &error);
  g_assert_no_error (error);

  cw_sim_server_add_fault (fixture->sim, ORDER_PATH, CW_SIM_FAULT_NUMBERS_AS_STRINGS, 0, 1);
  strings = list_days (fixture, 0, 1, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (strings->len, ==, plain->len);
  g_assert_cmpuint (plain->len, >, 0);

  /* The same workorders, to the last digest bit. */
  for (guint i = 0; i < plain->len; i++)
    {
      CwWorkorder *a = g_ptr_array_index (plain, i);
      CwWorkorder *b = g_ptr_array_index (strings, i);
      g_autofree char *digest_a = cw_workorder_dup_dms_digest (a);
      g_autofree char *digest_b = cw_workorder_dup_dms_digest (b);

      g_assert_cmpstr (digest_a, ==, digest_b);
      g_assert_cmpint (cw_workorder_get_dms_shop_state (a), ==, cw_workorder_get_dms_shop_state (b));
      assert_mapped (cw_sim_dataset_find_dms_number (fixture->dataset, CW_SIM_DMS_AUTOFLEX,
                                                     cw_workorder_get_field (b, CW_WORKORDER_DMS_NUMBER)),
                     b);
    }
}

/*
 * Into the store
 */

static void
test_store_twice (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "autoflex-test.db", NULL);
  g_autoptr(CwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  store = cw_store_open (path, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GPtrArray) workorders = NULL;
      g_autoptr(GArray) outcomes = NULL;

      workorders = list_days (fixture, -1, 8, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (cw_store_import_workorders (store, workorders, CW_IMPORT_FLAGS_NONE, &outcomes, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (outcomes->len, ==, workorders->len);
      for (guint i = 0; i < outcomes->len; i++)
        g_assert_cmpint (g_array_index (outcomes, CwImportOutcome, i), ==,
                         round == 0 ? CW_IMPORT_CREATED : CW_IMPORT_UNCHANGED);

      g_assert_cmpint (cw_store_count_workorders (store, &error), ==, workorders->len);
      g_assert_no_error (error);
    }
}

/*
 * What Autoflex cannot do
 */

static void
test_unsupported (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(CwDmsQuery) query = cw_dms_query_new ("AB-123-C");
  g_autoptr(GAsyncResult) search_result = NULL;
  g_autoptr(GAsyncResult) fetch_result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(CwWorkorder) fetched = NULL;
  g_autoptr(GError) error = NULL;

  cw_connector_search_async (fixture->connector, query, NULL, on_ready, &search_result);
  found = cw_connector_search_finish (fixture->connector, wait_for (&search_result), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "Autoflex"));
  g_clear_error (&error);

  cw_connector_fetch_async (fixture->connector, "700100", NULL, on_ready, &fetch_result);
  fetched = cw_connector_fetch_finish (fixture->connector, wait_for (&fetch_result), &error);
  g_assert_null (fetched);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_UNSUPPORTED);

  /* Neither reached the simulator. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/autoflex"), ==, 0);
}

/*
 * The mapping on its own
 */

static GPtrArray *
map (const char  *json,
     gboolean    *next_page,
     GPtrArray  **problems,
     GError     **error)
{
  return cw_autoflex_map_page_data (json, strlen (json), CONNECTION_ID, next_page, problems, error);
}

#define ORDER_HEAD "\"order_id\": 900001, \"order_number\": \"40123\", \"order_type\": 1"

static void
test_mapping_problems (void)
{
  static const struct {
    const char *order;
    const char *message;
  } cases[] = {
    { "{" ORDER_HEAD ", \"appointment_date\": \"31-02-2026\"}",
      "Autoflex order 40123: the appointment date “31-02-2026” is not a date." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-02-31 08:00:00\"}",
      "Autoflex order 40123: the appointment date “2026-02-31 08:00:00” is not a date." },
    { "{" ORDER_HEAD "}",
      "Autoflex order 40123: the appointment date is missing." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"0000-00-00 00:00:00\"}",
      "Autoflex order 40123: the appointment date is missing." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"mileage\": \"veel\"}",
      "Autoflex order 40123: the mileage “veel” is not a whole number." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"mileage\": -5}",
      "Autoflex order 40123: the mileage “-5” is out of range." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"mileage\": 1e300}",
      "Autoflex order 40123: the mileage “1e+300” is out of range." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"is_invoiced\": 2}",
      "Autoflex order 40123: the invoiced flag “2” is neither yes (1) nor no (0)." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"workshop_status\": \"parked\"}",
      "Autoflex order 40123: the in/out of shop state “parked” is not a value Claire Workshop knows." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"vehicle\": [1]}",
      "Autoflex order 40123: the car is not in the form Claire Workshop expects." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"vehicle\": {\"vin\": {\"a\": 1}}}",
      "Autoflex order 40123: the VIN ({…}) is not text." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"lines\": [{\"description\": \"APK\", \"price_excl_vat\": \"12,50\"}]}",
      "Autoflex order 40123: the price of intervention 1 “12,50” is not an amount." },
    { "{" ORDER_HEAD ", \"appointment_date\": \"2026-03-27 08:00\", \"lines\": [{}, 7]}",
      "Autoflex order 40123: the intervention 2 is not in the form Claire Workshop expects." },
    { "{\"order_id\": \"abc\", \"order_number\": \"40123\", \"order_type\": 1}",
      "Autoflex order 40123: the DMS number “abc” is not a whole number." },
    /* An integer beyond 64 bits is read as a double (json-glib 1.6 would wrap it). */
    { "{\"order_id\": 99999999999999999999, \"order_number\": \"40123\", \"order_type\": 1}",
      "Autoflex order 40123: the DMS number “1e+20” is out of range." },
    { "{\"order_id\": 900001, \"order_type\": 1}",
      "Autoflex order with DMS number 900001: the WO number is missing." },
    { "{\"order_number\": 40123, \"order_type\": \"1\"}",
      "Autoflex order 40123: the DMS number is missing." },
    { "{\"order_id\": 900001, \"order_number\": \"40123\", \"appointment_date\": \"2026-03-27 08:00\"}",
      "Autoflex order 40123: the order type is missing." },
    { "{}", "Autoflex order without a number: the DMS number is missing." },
    { "\"order\"", "Autoflex sent an order Claire Workshop cannot read (order)." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"data\": [%s, {\"order_id\": 900002, \"order_number\": \"W2\", \"order_type\": 1, \"appointment_date\": \"2026-03-27 09:00:00\"}], \"nextpage\": false}",
                                               cases[i].order);
      g_autoptr(GPtrArray) workorders = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;
      CwDmsProblem *problem;

      g_test_message ("case %u: %s", i, cases[i].order);
      workorders = map (json, NULL, &problems, &error);
      g_assert_no_error (error);

      /* The other order of the page comes through. */
      g_assert_cmpuint (workorders->len, ==, 1);
      g_assert_cmpstr (cw_workorder_get_field (g_ptr_array_index (workorders, 0), CW_WORKORDER_WO_NUMBER), ==, "W2");

      g_assert_cmpuint (problems->len, ==, 1);
      problem = g_ptr_array_index (problems, 0);
      g_assert_error (problem->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
      g_assert_true (g_str_has_prefix (problem->error->message, cases[i].message));
    }
}

static void
test_mapping_values (void)
{
  const char *json =
    "{\"nextpage\": \"1\", \"data\": ["
    " {\"order_id\": 900003, \"order_number\": \"40124\", \"order_type\": 2,"
    "  \"appointment_date\": \"not even a date\"},"
    " {\"order_id\": \"900004\", \"order_number\": \" 40125 \", \"order_type\": \"1\","
    "  \"appointment_date\": \"2026-03-29T02:30\", \"order_date\": \"2026-03-01\","
    "  \"planned_in\": null, \"planned_out\": \"\", \"is_invoiced\": true, \"is_internal\": \"0\","
    "  \"is_cancelled\": 0, \"mileage\": 123456.0, \"notes\": \"  \", \"workshop_status\": \"OUT\","
    "  \"vehicle\": {\"license_plate\": \"ab-123-c\", \"brand\": \"Škoda\", \"model\": \"Octavia\","
    "   \"driver_id\": 4711},"
    "  \"relation\": {\"relation_id\": null, \"company_name\": \"\", \"last_name\": null},"
    "  \"lines\": ["
    "   {\"line_id\": 3, \"sequence\": 30, \"description\": \"Derde\", \"price_excl_vat\": 49.95},"
    "   {\"line_id\": 9, \"description\": \"Zonder volgorde\", \"price_excl_vat\": null},"
    "   {\"line_id\": 1, \"sequence\": \"10\", \"description\": \"Eerste\", \"price_excl_vat\": \"189.50\"},"
    "   {\"line_id\": 2, \"sequence\": 10, \"description\": \"Tweede\", \"price_excl_vat\": 0},"
    "   {\"line_id\": 4, \"sequence\": 40, \"description\": \"Korting\", \"price_excl_vat\": -1.005}"
    "  ]}"
    "]}";
  static const struct {
    const char *title;
    gboolean    has_price;
    gint64      cents;
  } lines[] = {
    { "Eerste", TRUE, 18950 },
    { "Tweede", TRUE, 0 },
    { "Derde", TRUE, 4995 },
    { "Korting", TRUE, -101 },
    { "Zonder volgorde", FALSE, 0 },
  };
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) appointment = NULL;
  g_autofree char *text = NULL;
  CwWorkorder *workorder;
  GListModel *interventions;
  gboolean next_page = FALSE;

  workorders = map (json, &next_page, &problems, &error);
  g_assert_no_error (error);
  g_assert_true (next_page);
  /* The car sale is left out without a problem, whatever else is wrong with it. */
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (workorders->len, ==, 1);

  workorder = g_ptr_array_index (workorders, 0);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, "900004");
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER), ==, "900004");
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, "40125");
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_CONNECTION_ID), ==, CONNECTION_ID);
  g_assert_null (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NOTES));

  /* 02:30 on the night clocks go forward does not exist in Amsterdam; GLib takes the
   * moment the clocks jump, 03:00 summer time, which is 01:00 UTC. */
  appointment = g_date_time_to_utc (cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT));
  text = g_date_time_format_iso8601 (appointment);
  g_assert_cmpstr (text, ==, "2026-03-29T01:00:00Z");
  g_clear_pointer (&text, g_free);
  text = g_date_time_format_iso8601 (cw_workorder_get_time (workorder, CW_WORKORDER_DMS_CREATED));
  g_assert_cmpstr (text, ==, "2026-03-01T00:00:00+01");
  g_assert_null (cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_IN));
  g_assert_null (cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_OUT));

  g_assert_true (cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));
  g_assert_true (cw_workorder_is_read_only (workorder));
  g_assert_false (cw_workorder_get_flag (workorder, CW_WORKORDER_INTERNAL));
  g_assert_false (cw_workorder_get_flag (workorder, CW_WORKORDER_DMS_CANCELED));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, 123456);
  g_assert_cmpint (cw_workorder_get_dms_shop_state (workorder), ==, CW_SHOP_LEFT);

  g_assert_cmpstr (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE), ==, "AB123C");
  g_assert_cmpstr (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_MAKE), ==, "Škoda");
  g_assert_cmpstr (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_DRIVER_ID), ==, "4711");
  /* A relation with nothing in it is no party. */
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_CONTRACTOR));

  interventions = cw_workorder_get_interventions (workorder);
  g_assert_cmpuint (g_list_model_get_n_items (interventions), ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (interventions, i);
      gint64 cents = 0;

      g_assert_cmpstr (cw_intervention_get_title (line), ==, lines[i].title);
      g_assert_cmpint (cw_intervention_get_price (line, &cents), ==, lines[i].has_price);
      g_assert_cmpint (cents, ==, lines[i].cents);
      g_assert_cmpint (cw_intervention_get_element_kind (line), ==, CW_ELEMENT_KIND_UNSPECIFIED);
    }
}

static void
test_mapping_pages (void)
{
  static const struct {
    const char *json;
    int         code;
  } broken[] = {
    { "", CW_DMS_ERROR_MALFORMED },
    { "{\"data\": [", CW_DMS_ERROR_MALFORMED },
    { "[]", CW_DMS_ERROR_MALFORMED },
    { "{}", CW_DMS_ERROR_MALFORMED },
    { "{\"data\": null, \"nextpage\": false}", CW_DMS_ERROR_MALFORMED },
    { "{\"data\": {}, \"nextpage\": false}", CW_DMS_ERROR_MALFORMED },
    { "{\"data\": [], \"nextpage\": \"maybe\"}", CW_DMS_ERROR_MALFORMED },
    { "{\"errorCode\": 500, \"errorMessage\": \"Interne fout\"}", CW_DMS_ERROR_DMS },
    { "{\"errorCode\": \"401\", \"errorMessage\": \"Not authorized\"}", CW_DMS_ERROR_LOGIN },
  };
  g_autoptr(GString) deep = g_string_new ("{\"data\": ");
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean next_page = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GPtrArray) none = map (broken[i].json, &next_page, &problems, &error);

      g_assert_null (none);
      g_assert_null (problems);
      g_assert_false (next_page);
      g_assert_error (error, CW_DMS_ERROR, broken[i].code);
      g_assert_nonnull (strstr (error->message, "Autoflex"));
      g_clear_error (&error);
    }

  /* Nesting deep enough to exhaust json-glib's recursion is refused before parsing. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  workorders = cw_autoflex_map_page_data (deep->str, deep->len, NULL, NULL, &problems, &error);
  g_assert_null (workorders);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
  g_clear_error (&error);

  /* An empty page is no orders, not an error; a missing nextpage means the last page. */
  workorders = map ("{\"data\": []}", &next_page, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workorders->len, ==, 0);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_false (next_page);
}

static void
test_mapping_helpers (void)
{
  g_autoptr(GDateTime) until = cw_autoflex_parse_valid_until ("20260701T120000");
  g_autoptr(GDateTime) winter = cw_autoflex_parse_valid_until ("20261201T120000");
  GDate day;
  g_autofree char *text = NULL;

  g_assert_nonnull (until);
  /* Summer time in Amsterdam: UTC+2; winter time: UTC+1. */
  g_assert_cmpint (g_date_time_get_utc_offset (until), ==, 2 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_get_utc_offset (winter), ==, 1 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_get_hour (until), ==, 12);
  g_assert_null (cw_autoflex_parse_valid_until ("2026-07-01T12:00:00"));
  g_assert_null (cw_autoflex_parse_valid_until ("20260230T120000"));
  g_assert_null (cw_autoflex_parse_valid_until ("20260701T120000Z"));
  g_assert_null (cw_autoflex_parse_valid_until (NULL));

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 5, G_DATE_JANUARY, 2026);
  text = cw_autoflex_format_day (&day);
  g_assert_cmpstr (text, ==, "2026-01-05");

}

int
main (int   argc,
      char *argv[])
{
  /* The simulator is local, so no proxy may come between. The isolated directories hide
   * the system's proxy settings schema, which GIO's GNOME proxy resolver would abort on:
   * the dummy resolver needs none. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/autoflex/mapping/problems", test_mapping_problems);
  g_test_add_func ("/autoflex/mapping/values", test_mapping_values);
  g_test_add_func ("/autoflex/mapping/pages", test_mapping_pages);
  g_test_add_func ("/autoflex/mapping/helpers", test_mapping_helpers);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/autoflex/login/ok", test_login_ok, NULL);
  ADD ("/autoflex/login/wrong-credentials", test_login_wrong, NULL);
  ADD ("/autoflex/login/construct-errors", test_construct_errors, NULL);
  ADD ("/autoflex/list/demo-window", test_list_window, NULL);
  ADD ("/autoflex/list/paging", test_list_paging, NULL);
  ADD ("/autoflex/list/request", test_list_request, NULL);
  ADD ("/autoflex/list/concurrent", test_list_concurrent, NULL);
  ADD ("/autoflex/token/expired-401", test_token_expired, GINT_TO_POINTER (0));
  ADD ("/autoflex/token/expired-200", test_token_expired, GINT_TO_POINTER (1));
  ADD ("/autoflex/token/refused-twice", test_token_refused_twice, NULL);
  ADD ("/autoflex/token/renewed-before-expiry", test_token_renewed_early, NULL);
  ADD ("/autoflex/throttle/honoured", test_throttle, NULL);
  ADD ("/autoflex/throttle/gives-up", test_throttle_gives_up, NULL);
  ADD ("/autoflex/throttle/cancel", test_throttle_cancel, NULL);
  ADD ("/autoflex/errors/error-code-200", test_error_code_200, NULL);
  ADD ("/autoflex/errors/failed-day-fails-range", test_failed_day_fails_range, NULL);
  ADD ("/autoflex/errors/http", test_http_errors, NULL);
  ADD ("/autoflex/errors/hang", test_hang, NULL);
  ADD ("/autoflex/data/missing-fields", test_missing_fields, NULL);
  ADD ("/autoflex/data/numbers-as-strings", test_numbers_as_strings, NULL);
  ADD ("/autoflex/store/import-twice", test_store_twice, NULL);
  ADD ("/autoflex/unsupported", test_unsupported, NULL);

#undef ADD

  return g_test_run ();
}
