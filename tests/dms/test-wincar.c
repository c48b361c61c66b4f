/* test-wincar.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-connector-registry.h"
#include "cw-net-error.h"
#include "cw-plate.h"
#include "cw-sim-server.h"
#include "cw-wincar-connector-private.h"
#include "cw-wincar-mapping.h"

/*
 * The Wincar connector against the in-process simulator over real HTTP (and a real
 * WebSocket) on 127.0.0.1, and its mapping on hand-written JSON. Simulator and client share
 * the default main context: a test starts an operation and iterates the context until it
 * is done. The connector's HTTP client gets a short timeout and retry policy.
 */

#define CONNECTION_ID "test-wincar"
#define LOGIN_PATH    CW_SIM_WINCAR_API "/auth/login"
#define ORDERS_PATH   CW_SIM_WINCAR_API "/workorders"

#define LOGIN_REFUSED "Wincar refused the login: check the user name and password in Preferences."

typedef struct
{
  CwSimServer  *sim;
  CwConnection *connection;
  CwConnector  *connector;
} Fixture;

static CwConnector *
connector_new (CwConnection *connection,
               const char   *password)
{
  g_autoptr(GHashTable) credentials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  CwConnector *connector;
  CwHttpClient *http;

  g_hash_table_insert (credentials, (char *) "username", (char *) CW_SIM_WINCAR_USERNAME);
  g_hash_table_insert (credentials, (char *) "password", (char *) password);
  connector = cw_connector_new_for_connection (connection, credentials, &error);
  g_assert_no_error (error);
  g_assert_true (CW_IS_WINCAR_CONNECTOR (connector));

  http = cw_wincar_connector_get_http_client (CW_WINCAR_CONNECTOR (connector));
  cw_http_client_set_timeout (http, 2);
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

  api = cw_sim_server_dup_url (fixture->sim, CW_SIM_WINCAR_API);
  fixture->connection = cw_connection_new (CONNECTION_ID, "wincar");
  g_object_set (fixture->connection, "endpoint", api, NULL);
  fixture->connector = connector_new (fixture->connection, CW_SIM_WINCAR_PASSWORD);
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
search (Fixture     *fixture,
        const char  *text,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CwDmsQuery) query = cw_dms_query_new (text);

  cw_connector_search_async (fixture->connector, query, NULL, on_done, &result);
  return cw_connector_search_finish (fixture->connector, wait_for (&result), error);
}

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

static gboolean
write_entry (Fixture        *fixture,
             CwOutboxEntry  *entry,
             char          **dms_ref,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cw_connector_write_async (fixture->connector, entry, NULL, on_done, &result);
  return cw_connector_write_finish (fixture->connector, wait_for (&result), dms_ref, error);
}

/* ------------------------------------------------------------------------------------- */
/* The dataset                                                                           */
/* ------------------------------------------------------------------------------------- */

/* The @nth Wincar order with a Dutch plate no other Wincar order has. */
static CwSimOrder *
find_order (Fixture *fixture,
            guint    nth)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);
      const char *plate = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE);
      g_autoptr(GPtrArray) same = NULL;
      CwPlate parsed;

      if (order->dms != CW_SIM_DMS_WINCAR || !cw_plate_parse (plate, &parsed, NULL) ||
          parsed.kind != CW_PLATE_KIND_NL)
        continue;

      same = cw_sim_dataset_find_plate (dataset, CW_SIM_DMS_WINCAR, plate);
      if (same->len != 1)
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
key_of (CwSimOrder *order)
{
  return cw_workorder_get_field (order->workorder, CW_WORKORDER_DMS_NUMBER);
}

static void
assert_same_party (CwParty *expected,
                   CwParty *actual)
{
  g_assert_nonnull (expected);
  g_assert_nonnull (actual);
  for (guint i = 0; i < CW_PARTY_N_FIELDS; i++)
    g_assert_cmpstr (cw_party_get_field (actual, i), ==, cw_party_get_field (expected, i));
  g_assert_cmpint (cw_party_get_lease_company (actual), ==, cw_party_get_lease_company (expected));
}

/* Every field the simulator sends, compared with the dataset. */
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
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, key_of (order));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER), ==, key_of (order));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, wo_number_of (order));
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    g_assert_true (g_date_time_equal (cw_workorder_get_time (workorder, times[i]),
                                      cw_workorder_get_time (expected, times[i])));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, cw_workorder_get_dms_mileage (expected));
  g_assert_cmpint (cw_workorder_get_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING), ==,
                   cw_workorder_get_flag (expected, CW_WORKORDER_CUSTOMER_WAITING));
  g_assert_false (cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));
  g_assert_cmpint (cw_workorder_get_dms_shop_state (workorder), ==, cw_workorder_get_dms_shop_state (expected));

  for (guint i = 0; i < G_N_ELEMENTS (car_fields); i++)
    g_assert_cmpstr (cw_car_get_field (car, car_fields[i]), ==, cw_car_get_field (expected_car, car_fields[i]));
  for (CwCarDate which = CW_CAR_FIRST_REGISTRATION; which <= CW_CAR_WARRANTY_END; which++)
    {
      g_assert_nonnull (cw_car_get_date (car, which));
      g_assert_cmpint (g_date_compare (cw_car_get_date (car, which), cw_car_get_date (expected_car, which)), ==, 0);
    }

  assert_same_party (cw_workorder_get_party (expected, CW_PARTY_ROLE_DRIVER),
                     cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER));
  assert_same_party (cw_workorder_get_party (expected, CW_PARTY_ROLE_OWNER),
                     cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER));
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_CONTRACTOR));

  /* In Wincar's order, which is the workshop's. */
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, g_list_model_get_n_items (expected_lines));
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);
      g_autoptr(CwIntervention) wanted = g_list_model_get_item (expected_lines, i);
      gint64 cents = -1, wanted_cents = -1;

      g_assert_cmpint (cw_intervention_get_source (line), ==, CW_INTERVENTION_SOURCE_DMS);
      g_assert_cmpstr (cw_intervention_get_dms_line_id (line), ==, cw_intervention_get_dms_line_id (wanted));
      g_assert_cmpstr (cw_intervention_get_title (line), ==, cw_intervention_get_title (wanted));
      g_assert_cmpstr (cw_intervention_get_description (line), ==, cw_intervention_get_description (wanted));
      g_assert_cmpint (cw_intervention_get_element_kind (line), ==, cw_intervention_get_element_kind (wanted));
      g_assert_cmpint (cw_intervention_get_price (line, &cents), ==, cw_intervention_get_price (wanted, &wanted_cents));
      g_assert_cmpint (cents, ==, wanted_cents);
    }
}

/* ------------------------------------------------------------------------------------- */
/* Check, search, fetch                                                                  */
/* ------------------------------------------------------------------------------------- */

static void
test_check (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CwConnector) wrong = connector_new (fixture->connection, "not-the-password");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (cw_connector_get_capabilities (fixture->connector), ==,
                    CW_CAPABILITY_SEARCH_IMPORT | CW_CAPABILITY_REFRESH |
                    CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED |
                    CW_CAPABILITY_WRITEBACK_INTERVENTIONS | CW_CAPABILITY_WRITEBACK_MILEAGE |
                    CW_CAPABILITY_EVENTS);
  g_assert_cmpuint (cw_connector_kind_lookup ("wincar")->capabilities, ==,
                    cw_connector_get_capabilities (fixture->connector));

  g_assert_true (check (fixture->connector, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LOGIN_PATH), ==, 1);

  g_assert_false (check (wrong, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpstr (error->message, ==, LOGIN_REFUSED);
  g_clear_error (&error);

  g_object_set (fixture->connection, "endpoint", "  ", NULL);
  g_assert_false (check (fixture->connector, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "Wincar address"));
}

static void
test_search_wo_number (Fixture       *fixture,
                       gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  const char *number = wo_number_of (order);
  g_autofree char *spaced = g_strdup_printf ("  %.2s %s\t", number, number + 2);
  const char *spellings[] = { number, spaced };

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(CwWorkorder) workorder = search_one (fixture, spellings[i]);

      assert_mapped (workorder, order);
    }

  /* One login for both. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LOGIN_PATH), ==, 1);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 2);
}

static void
test_search_plate (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint n = 0; n < 2; n++)
    {
      CwSimOrder *order = find_order (fixture, n);
      g_autofree char *formatted = cw_plate_format (cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE));
      g_autofree char *typed = g_ascii_strdown (formatted, -1);
      g_autoptr(CwWorkorder) workorder = NULL;

      /* "ab 123 c": lower case, spaces for dashes. */
      g_strdelimit (typed, "-", ' ');
      workorder = search_one (fixture, typed);
      assert_mapped (workorder, order);
    }
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
  g_assert_cmpstr (error->message, ==, "Wincar has no workorder 99999. Check the number.");
  g_clear_error (&error);

  found = search (fixture, "zz-999-z", &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "ZZ-999-Z"));
  g_clear_error (&error);

  /* A name is neither: Wincar is not asked. */
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
  CwSimOrder *order = find_order (fixture, 1);
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GError) error = NULL;

  workorder = fetch (fixture, key_of (order), &error);
  g_assert_no_error (error);
  assert_mapped (workorder, order);
  g_clear_object (&workorder);

  /* A change in Wincar shows in the next refresh. */
  cw_workorder_set_field (order->workorder, CW_WORKORDER_DMS_NOTES, "Klant wacht in de showroom");
  cw_workorder_set_dms_mileage (order->workorder, cw_workorder_get_dms_mileage (order->workorder) + 50);
  cw_sim_dataset_touch (cw_sim_server_get_dataset (fixture->sim), order);
  workorder = fetch (fixture, key_of (order), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NOTES), ==, "Klant wacht in de showroom");
  assert_mapped (workorder, order);
  g_clear_object (&workorder);

  workorder = fetch (fixture, "12/345", &error);
  g_assert_null (workorder);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "Wincar no longer has workorder 12/345. It may have been deleted; check it in Wincar.");
}

static void
test_relogin (Fixture       *fixture,
              gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(CwWorkorder) workorder = search_one (fixture, wo_number_of (order));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LOGIN_PATH), ==, 1);
  g_clear_object (&workorder);

  /* The token is kept ... */
  workorder = search_one (fixture, wo_number_of (order));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LOGIN_PATH), ==, 1);
  g_clear_object (&workorder);

  /* ... until Wincar drops it: one 401, one new login, and on. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_TOKEN_EXPIRED, 0, 1);
  workorder = search_one (fixture, wo_number_of (order));
  assert_mapped (workorder, order);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LOGIN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 4);

  /* Refused twice: the settings are wrong; no third try. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_UNAUTHORIZED, 0, 2);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LOGIN_PATH), ==, 3);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 6);
}

static void
test_faults (Fixture       *fixture,
             gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  /* Numbers as strings are the same numbers. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_NUMBERS_AS_STRINGS, 0, 1);
  workorder = search_one (fixture, wo_number_of (order));
  assert_mapped (workorder, order);
  g_clear_object (&workorder);

  /* Missing fields are normal. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_MISSING_FIELDS, 0, 1);
  workorder = search_one (fixture, wo_number_of (order));
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, key_of (order));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, CW_MILEAGE_UNKNOWN);
  g_assert_null (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE));
  g_assert_cmpuint (g_list_model_get_n_items (cw_workorder_get_interventions (workorder)), ==, 0);
  g_clear_object (&workorder);

  /* Without its id it cannot be imported, and the message says so. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_MISSING_FIELDS, 1, 1);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "without a usable id"));
  g_clear_error (&error);

  /* A 500 is the net layer's error, not retried (GET is, but 500 is not transient). */
  cw_sim_server_reset_counts (fixture->sim);
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  found = search (fixture, wo_number_of (order), &error);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_SERVER);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 1);
}

/* ------------------------------------------------------------------------------------- */
/* Writeback                                                                             */
/* ------------------------------------------------------------------------------------- */

static CwOutboxEntry *
intervention_entry (CwSimOrder *order,
                    const char *idem_key,
                    const char *title)
{
  CwOutboxEntry *entry = cw_outbox_entry_new (CW_OUTBOX_INTERVENTION, idem_key);
  g_autoptr(CwIntervention) intervention = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);

  cw_intervention_set_title (intervention, title);
  cw_intervention_set_description (intervention, "De auto wordt tijdens de werkzaamheden losgekoppeld van OCW.");
  cw_intervention_set_element_kind (intervention, CW_ELEMENT_KIND_NOTE);
  cw_intervention_set_price (intervention, 1995);
  cw_outbox_entry_set_connection_id (entry, CONNECTION_ID);
  cw_outbox_entry_set_dms_key (entry, key_of (order));
  cw_outbox_entry_set_wo_number (entry, wo_number_of (order));
  cw_outbox_entry_set_intervention (entry, intervention);

  return entry;
}

static CwOutboxEntry *
mileage_entry (CwSimOrder *order,
               const char *idem_key,
               gint64      km)
{
  CwOutboxEntry *entry = cw_outbox_entry_new (CW_OUTBOX_MILEAGE, idem_key);

  cw_outbox_entry_set_connection_id (entry, CONNECTION_ID);
  cw_outbox_entry_set_dms_key (entry, key_of (order));
  cw_outbox_entry_set_wo_number (entry, wo_number_of (order));
  cw_outbox_entry_set_mileage (entry, km);
  cw_outbox_entry_set_dms_mileage (entry, cw_workorder_get_dms_mileage (order->workorder));

  return entry;
}

static CwSimWriteback *
only_writeback (Fixture *fixture)
{
  g_autoptr(GPtrArray) list = cw_sim_server_list_writebacks (fixture->sim, "wincar");

  g_assert_cmpuint (list->len, ==, 1);

  return g_ptr_array_index (list, 0);
}

static void
test_write_intervention (Fixture       *fixture,
                         gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  guint n_lines = g_list_model_get_n_items (cw_workorder_get_interventions (order->workorder));
  g_autoptr(CwOutboxEntry) entry = intervention_entry (order, "idem-line-1", "OCW tijdelijk uit");
  g_autoptr(CwWorkorder) fetched = NULL;
  g_autoptr(CwIntervention) line = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_ref = NULL;
  g_autofree char *second_ref = NULL;
  CwSimWriteback *writeback;
  GListModel *lines;
  gint64 cents;

  g_assert_true (cw_connector_can_write (fixture->connector, CW_OUTBOX_INTERVENTION));
  g_assert_true (write_entry (fixture, entry, &first_ref, &error));
  g_assert_no_error (error);
  g_assert_nonnull (first_ref);

  /* Wincar has it once, under the entry's key (so the header was sent), as a new line. */
  writeback = only_writeback (fixture);
  g_assert_cmpstr (writeback->idem_key, ==, "idem-line-1");
  g_assert_cmpstr (writeback->dms_key, ==, key_of (order));
  g_assert_cmpstr (writeback->kind, ==, "intervention");
  g_assert_cmpstr (writeback->detail, ==, "OCW tijdelijk uit");
  g_assert_cmpstr (writeback->result, ==, first_ref);
  g_assert_cmpuint (writeback->n_applied, ==, 1);
  lines = cw_workorder_get_interventions (order->workorder);
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, n_lines + 1);

  /* Sent again with the same key (a crash before the answer was stored): the same line,
   * and nothing applied twice. */
  g_assert_true (write_entry (fixture, entry, &second_ref, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (second_ref, ==, first_ref);
  writeback = only_writeback (fixture);
  g_assert_cmpuint (writeback->n_received, ==, 2);
  g_assert_cmpuint (writeback->n_applied, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, n_lines + 1);

  /* A refresh brings it as Wincar's own line. */
  fetched = fetch (fixture, key_of (order), &error);
  g_assert_no_error (error);
  lines = cw_workorder_get_interventions (fetched);
  g_assert_cmpuint (g_list_model_get_n_items (lines), ==, n_lines + 1);
  line = g_list_model_get_item (lines, n_lines);
  g_assert_cmpint (cw_intervention_get_source (line), ==, CW_INTERVENTION_SOURCE_DMS);
  g_assert_cmpstr (cw_intervention_get_dms_line_id (line), ==, first_ref);
  g_assert_cmpstr (cw_intervention_get_title (line), ==, "OCW tijdelijk uit");
  g_assert_cmpint (cw_intervention_get_element_kind (line), ==, CW_ELEMENT_KIND_NOTE);
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, 1995);
}

static void
test_write_mileage (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 1);
  gint64 before = cw_workorder_get_dms_mileage (order->workorder);
  g_autoptr(CwOutboxEntry) higher = mileage_entry (order, "idem-km-1", before + 1234);
  g_autoptr(CwOutboxEntry) lower = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  CwSimWriteback *writeback;

  g_assert_true (cw_connector_can_write (fixture->connector, CW_OUTBOX_MILEAGE));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *ref = NULL;

      g_assert_true (write_entry (fixture, higher, &ref, &error));
      g_assert_no_error (error);
      g_assert_null (ref);
    }

  writeback = only_writeback (fixture);
  g_assert_cmpstr (writeback->idem_key, ==, "idem-km-1");
  g_assert_cmpstr (writeback->kind, ==, "mileage");
  g_assert_cmpuint (writeback->n_received, ==, 2);
  g_assert_cmpuint (writeback->n_applied, ==, 1);
  g_assert_cmpint (cw_workorder_get_dms_mileage (order->workorder), ==, before + 1234);

  /* Not higher than Wincar's: refused in Wincar's words, and not in the ledger. */
  lower = mileage_entry (order, "idem-km-2", before);
  g_assert_false (write_entry (fixture, lower, NULL, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_DMS);
  expected = g_strdup_printf ("Wincar refused the change: The mileage %" G_GINT64_FORMAT " km is not "
                              "higher than the %" G_GINT64_FORMAT " km Wincar has for this workorder.",
                              before, before + 1234);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (cw_sim_server_count_writebacks (fixture->sim, "wincar"), ==, 1);
}

static void
test_write_refused (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 2);
  g_autoptr(CwOutboxEntry) entry = intervention_entry (order, "idem-line-2", "Ruitenwissers");
  g_autoptr(CwOutboxEntry) unknown = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  /* Invoiced in Wincar: a 409 with Wincar's reason. */
  order->invoiced = TRUE;
  g_assert_false (write_entry (fixture, entry, NULL, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_DMS);
  expected = g_strdup_printf ("Wincar refused the change: Workorder %s is invoiced; it can no longer be changed.",
                              wo_number_of (order));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* A workorder Wincar does not know: its 404 message. */
  unknown = intervention_entry (order, "idem-line-3", "Ruitenwissers");
  cw_outbox_entry_set_dms_key (unknown, "1");
  g_assert_false (write_entry (fixture, unknown, NULL, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_DMS);
  g_assert_cmpstr (error->message, ==, "Wincar refused the change: Workorder 1 does not exist.");
  g_clear_error (&error);

  /* A 500 (or a 503) is the net layer's, and the connector never sends a write twice:
   * the outbox drainer decides. */
  order->invoiced = FALSE;
  cw_sim_server_reset_counts (fixture->sim);
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  g_assert_false (write_entry (fixture, entry, NULL, &error));
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_SERVER);
  g_clear_error (&error);
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_TOO_MANY, 0, 1);
  g_assert_false (write_entry (fixture, entry, NULL, &error));
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_THROTTLED);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_writebacks (fixture->sim, "wincar"), ==, 0);
}

static void
test_write_relogin (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 3);
  g_autoptr(CwOutboxEntry) entry = intervention_entry (order, "idem-line-4", "Bandenwissel");
  g_autoptr(GError) error = NULL;
  g_autofree char *ref = NULL;

  g_assert_true (check (fixture->connector, &error));

  /* The token was refused before anything was applied: a new login, the same key. */
  cw_sim_server_add_fault (fixture->sim, ORDERS_PATH, CW_SIM_FAULT_TOKEN_EXPIRED, 0, 1);
  g_assert_true (write_entry (fixture, entry, &ref, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LOGIN_PATH), ==, 2);
  g_assert_cmpuint (only_writeback (fixture)->n_received, ==, 1);
  g_assert_cmpuint (only_writeback (fixture)->n_applied, ==, 1);
}

/* ------------------------------------------------------------------------------------- */
/* Events                                                                                */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  GPtrArray    *events;   /* CwDmsEvent, copied */
  GAsyncResult *result;
} Watching;

static void
watching_clear (Watching *watching)
{
  g_clear_pointer (&watching->events, g_ptr_array_unref);
  g_clear_object (&watching->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Watching, watching_clear)

static void
on_event (CwConnector      *connector,
          const CwDmsEvent *event,
          gpointer          user_data)
{
  Watching *watching = user_data;
  CwDmsEvent *copy = g_new0 (CwDmsEvent, 1);

  copy->seq = event->seq;
  copy->dms_key = g_strdup (event->dms_key);
  copy->workorder = event->workorder ? g_object_ref (event->workorder) : NULL;
  copy->error = event->error ? g_error_copy (event->error) : NULL;
  g_ptr_array_add (watching->events, copy);
}

static void
watch (Fixture      *fixture,
       gint64        after,
       GCancellable *cancellable,
       Watching     *watching)
{
  watching->events = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_dms_event_free);
  cw_connector_watch_async (fixture->connector, after, on_event, watching, cancellable, on_done,
                            &watching->result);
}

static void
wait_for_events (Watching *watching,
                 guint     n_events)
{
  while (watching->events->len < n_events && watching->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (watching->events->len, ==, n_events);
}

static void
wait_for_live_streams (Fixture *fixture,
                       guint    n_streams)
{
  while (cw_sim_wincar_count_live_streams (fixture->sim) < n_streams)
    g_main_context_iteration (NULL, TRUE);
}

/* Cancels a watch and waits until it ended: nothing may call back into a finished test. */
static void
stop_watch (Fixture      *fixture,
            GCancellable *cancellable,
            Watching     *watching)
{
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  wait_for (&watching->result);
  g_assert_false (cw_connector_watch_finish (fixture->connector, watching->result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static CwDmsEvent *
event_at (Watching *watching,
          guint     index)
{
  return g_ptr_array_index (watching->events, index);
}

static void
test_watch_catch_up_and_live (Fixture       *fixture,
                              gconstpointer  data)
{
  CwSimOrder *first = find_order (fixture, 0);
  CwSimOrder *second = find_order (fixture, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Watching) watching = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 seq;

  /* Three changes before anyone listens; the watch asks after the first. */
  cw_workorder_set_dms_mileage (first->workorder, 100001);
  seq = cw_sim_wincar_change_order (fixture->sim, first);
  cw_workorder_set_dms_mileage (first->workorder, 100002);
  cw_sim_wincar_change_order (fixture->sim, first);
  cw_workorder_set_field (second->workorder, CW_WORKORDER_DMS_NOTES, "Leenauto gewenst");
  cw_sim_wincar_change_order (fixture->sim, second);

  watch (fixture, seq, cancellable, &watching);
  wait_for_events (&watching, 2);
  g_assert_cmpint (event_at (&watching, 0)->seq, ==, seq + 1);
  g_assert_cmpstr (event_at (&watching, 0)->dms_key, ==, key_of (first));
  g_assert_no_error (event_at (&watching, 0)->error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (event_at (&watching, 0)->workorder), ==, 100002);
  assert_mapped (event_at (&watching, 1)->workorder, second);
  g_assert_cmpint (event_at (&watching, 1)->seq, ==, seq + 2);

  /* Then the live ones, as they happen, with no request but the stream's. */
  wait_for_live_streams (fixture, 1);
  cw_sim_server_reset_counts (fixture->sim);
  cw_workorder_set_dms_shop_state (second->workorder, CW_SHOP_IN);
  cw_sim_wincar_change_order (fixture->sim, second);
  wait_for_events (&watching, 3);
  g_assert_cmpint (event_at (&watching, 2)->seq, ==, seq + 3);
  g_assert_cmpint (cw_workorder_get_dms_shop_state (event_at (&watching, 2)->workorder), ==, CW_SHOP_IN);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);

  /* Cancelling ends the watch and closes the stream. */
  g_cancellable_cancel (cancellable);
  wait_for (&watching.result);
  g_assert_false (cw_connector_watch_finish (fixture->connector, watching.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  while (cw_sim_wincar_count_live_streams (fixture->sim) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 1);
}

static void
test_watch_dropped (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_auto(Watching) watching = { 0 };
  g_autoptr(GError) error = NULL;

  cw_wincar_connector_set_keepalive (CW_WINCAR_CONNECTOR (fixture->connector), 1);
  watch (fixture, 0, NULL, &watching);
  wait_for_live_streams (fixture, 1);
  cw_sim_wincar_change_order (fixture->sim, order);
  wait_for_events (&watching, 1);

  /* Cut without a goodbye: the watch ends with an error for the listener to reconnect. */
  cw_sim_wincar_drop_streams (fixture->sim);
  wait_for (&watching.result);
  g_assert_false (cw_connector_watch_finish (fixture->connector, watching.result, &error));
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "connects again by itself"));
}

static void
test_watch_gap (Fixture       *fixture,
                gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Watching) watching = { 0 };
  g_autoptr(GError) error = NULL;
  CwDmsEvent *event;

  /* Wincar keeps the last 3 changes; the listener last saw change 1 of 6. */
  cw_sim_wincar_set_retention (fixture->sim, 3);
  for (guint i = 0; i < 6; i++)
    cw_sim_wincar_change_order (fixture->sim, order);

  watch (fixture, 1, NULL, &watching);
  wait_for (&watching.result);
  g_assert_cmpuint (watching.events->len, ==, 1);
  event = event_at (&watching, 0);
  g_assert_cmpint (event->seq, ==, 6);
  g_assert_null (event->dms_key);
  g_assert_null (event->workorder);
  g_assert_error (event->error, CW_DMS_ERROR, CW_DMS_ERROR_EVENTS_LOST);
  g_assert_false (cw_connector_watch_finish (fixture->connector, watching.result, &error));
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_EVENTS_LOST);
  g_clear_error (&error);
  watching_clear (&watching);

  /* From 3 on all is kept: the catch-up, no gap. */
  watch (fixture, 3, cancellable, &watching);
  wait_for_events (&watching, 3);
  g_assert_cmpint (event_at (&watching, 2)->seq, ==, 6);
  g_assert_null (watching.result);
  stop_watch (fixture, cancellable, &watching);
}

static void
test_watch_malformed (Fixture       *fixture,
                      gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autofree char *json = cw_sim_wincar_dup_workorder_json (fixture->sim, order);
  g_autofree char *broken = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Watching) watching = { 0 };
  g_auto(GStrv) parts = NULL;

  /* The same workorder with a mileage Wincar could never have meant. */
  parts = g_strsplit (json, "\"mileage\":", 2);
  g_assert_nonnull (parts[1]);
  broken = g_strconcat (parts[0], "\"mileage\":\"lots\",\"was\":", parts[1], NULL);

  watch (fixture, 0, cancellable, &watching);
  wait_for_live_streams (fixture, 1);
  cw_sim_wincar_emit_change (fixture->sim, broken);
  cw_sim_wincar_emit_change (fixture->sim, "[1, 2]");
  cw_sim_wincar_change_order (fixture->sim, order);
  wait_for_events (&watching, 3);

  /* An event for each, in order; the broken ones say why, naming WO and field. */
  g_assert_cmpint (event_at (&watching, 0)->seq, ==, 1);
  g_assert_cmpstr (event_at (&watching, 0)->dms_key, ==, key_of (order));
  g_assert_null (event_at (&watching, 0)->workorder);
  g_assert_error (event_at (&watching, 0)->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
  expected = g_strdup_printf ("Wincar sent workorder %s with an unusable “mileage”: expected a whole "
                              "number of kilometres, got \"lots\". Check the workorder in Wincar; "
                              "if it looks right there, report this to the supplier of Wincar.",
                              wo_number_of (order));
  g_assert_cmpstr (event_at (&watching, 0)->error->message, ==, expected);
  g_assert_cmpint (event_at (&watching, 1)->seq, ==, 2);
  g_assert_error (event_at (&watching, 1)->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
  g_assert_cmpint (event_at (&watching, 2)->seq, ==, 3);
  g_assert_no_error (event_at (&watching, 2)->error);
  assert_mapped (event_at (&watching, 2)->workorder, order);
  stop_watch (fixture, cancellable, &watching);
}

static void
test_watch_overlap_and_relogin (Fixture       *fixture,
                                gconstpointer  data)
{
  CwSimOrder *order = find_order (fixture, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Watching) watching = { 0 };

  for (guint i = 0; i < 4; i++)
    cw_sim_wincar_change_order (fixture->sim, order);

  /* A server that repeats two changes before the one asked, after a 401 on the handshake:
   * a new login, and only what comes after 2, once. */
  g_assert_true (check (fixture->connector, NULL));
  cw_sim_wincar_set_replay_overlap (fixture->sim, 2);
  cw_sim_server_add_fault (fixture->sim, CW_SIM_WINCAR_EVENTS, CW_SIM_FAULT_TOKEN_EXPIRED, 0, 1);
  watch (fixture, 2, cancellable, &watching);
  wait_for_live_streams (fixture, 1);
  wait_for_events (&watching, 2);
  g_assert_cmpint (event_at (&watching, 0)->seq, ==, 3);
  g_assert_cmpint (event_at (&watching, 1)->seq, ==, 4);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, LOGIN_PATH), ==, 2);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_WINCAR_EVENTS), ==, 2);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 1);
  stop_watch (fixture, cancellable, &watching);
}

/* ------------------------------------------------------------------------------------- */
/* The mapping                                                                           */
/* ------------------------------------------------------------------------------------- */

static CwWorkorder *
map (const char  *json,
     GError     **error)
{
  return cw_wincar_map_workorder_data (json, strlen (json), CONNECTION_ID, error);
}

static void
test_mapping_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(CwIntervention) first = NULL;
  g_autoptr(CwIntervention) second = NULL;
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 ("2026-11-21T08:30:00+01:00", NULL);
  CwParty *owner;
  gint64 cents;

  workorder = map ("{\"id\": 700123, \"number\": \"WC-90123\", \"appointment\": \"2026-11-21T08:30:00+01:00\","
                   " \"invoiced\": true, \"shop\": \"left\", \"mileage\": 123456.0, \"notes\": \"  \","
                   " \"vehicle\": {\"plate\": \"1-abc-234\", \"apkDate\": \"2027-02-28\"},"
                   " \"owner\": {\"company\": \"Arval België\", \"leaseCompany\": true},"
                   " \"lines\": [{\"id\": 5, \"type\": \"Labour\", \"title\": \"Grote beurt\", \"price\": 425.5},"
                   "            {\"title\": \"Vloermatten\", \"price\": \"-12.30\", \"currency\": \"EUR\"}]}",
                   &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, "700123");
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), ==, "WC-90123");
  g_assert_null (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NOTES));
  g_assert_true (g_date_time_equal (cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT), expected));
  g_assert_true (cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));
  g_assert_cmpint (cw_workorder_get_dms_shop_state (workorder), ==, CW_SHOP_LEFT);
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, 123456);
  g_assert_cmpstr (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE), ==, "1ABC234");
  g_assert_cmpint (g_date_get_day (cw_car_get_date (cw_workorder_get_car (workorder), CW_CAR_APK_DATE)), ==, 28);
  owner = cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER);
  g_assert_cmpstr (cw_party_get_field (owner, CW_PARTY_COMPANY), ==, "Arval België");
  g_assert_true (cw_party_get_lease_company (owner));
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER));

  first = g_list_model_get_item (cw_workorder_get_interventions (workorder), 0);
  second = g_list_model_get_item (cw_workorder_get_interventions (workorder), 1);
  g_assert_cmpstr (cw_intervention_get_dms_line_id (first), ==, "5");
  g_assert_cmpint (cw_intervention_get_element_kind (first), ==, CW_ELEMENT_KIND_LABOUR);
  g_assert_true (cw_intervention_get_price (first, &cents));
  g_assert_cmpint (cents, ==, 42550);
  g_assert_null (cw_intervention_get_dms_line_id (second));
  g_assert_cmpint (cw_intervention_get_element_kind (second), ==, CW_ELEMENT_KIND_UNSPECIFIED);
  g_assert_true (cw_intervention_get_price (second, &cents));
  g_assert_cmpint (cents, ==, -1230);

  /* Nothing but the id is needed. */
  g_clear_object (&workorder);
  workorder = map ("{\"id\": \"X1\", \"vehicle\": null, \"lines\": null}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), ==, "X1");
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, CW_MILEAGE_UNKNOWN);
}

static void
test_mapping_malformed (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "{\"id\": \"1\", \"number\": \"90100\", \"mileage\": -5}",
      "Wincar sent workorder 90100 with an unusable “mileage”: expected a whole number of kilometres, got -5." },
    { "{\"id\": \"1\", \"number\": \"90100\", \"canceled\": \"no\"}",
      "Wincar sent workorder 90100 with an unusable “canceled”: expected true or false, got \"no\"." },
    { "{\"id\": \"1\", \"vehicle\": {\"apkDate\": \"2027-02-30\"}}",
      "Wincar sent workorder 1 with an unusable “vehicle.apkDate”: expected a date such as 2025-10-02, got \"2027-02-30\"." },
    /* Signs and spaces are not digits (sscanf's %u would take them). */
    { "{\"id\": \"1\", \"vehicle\": {\"apkDate\": \"2019-+1-+1\"}}",
      "Wincar sent workorder 1 with an unusable “vehicle.apkDate”: expected a date such as 2025-10-02, got \"2019-+1-+1\"." },
    { "{\"id\": \"1\", \"vehicle\": {\"apkDate\": \"2019- 1- 1\"}}",
      "Wincar sent workorder 1 with an unusable “vehicle.apkDate”: expected a date such as 2025-10-02, got \"2019- 1- 1\"." },
    { "{\"id\": \"1\", \"number\": \"90100\", \"driver\": {\"lastName\": [\"de\", \"Vries\"]}}",
      "Wincar sent workorder 90100 with an unusable “driver.lastName”: expected text, got [\"de\",\"Vries\"]." },
    { "{\"id\": \"1\", \"number\": \"90100\", \"lines\": [{\"id\": \"L7\", \"price\": \"twelve\"}]}",
      "Wincar sent line L7 of workorder 90100 with an unusable “price”: expected an amount in euros such as 189.50, got \"twelve\"." },
    { "{\"id\": \"1\", \"number\": \"90100\", \"lines\": [{\"type\": \"hours\"}]}",
      "Wincar sent line 1 of workorder 90100 with an unusable “type”: expected labour, part, menu or note, got \"hours\"." },
    { "{\"id\": \"1\", \"number\": \"90100\", \"shop\": \"gone\"}",
      "Wincar sent workorder 90100 with an unusable “shop”: expected “expected”, “in” or “left”, got \"gone\"." },
    { "{\"number\": \"90100\"}",
      "Wincar sent a workorder without a usable id (“id”: nothing), so it cannot be imported." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CwWorkorder) workorder = map (cases[i].json, &error);

      g_test_message ("case %u", i);
      g_assert_null (workorder);
      g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
    }
}

static void
test_mapping_events (void)
{
  static const char * const no_seq[] = {
    "{\"workorder\": {\"id\": \"1\"}}",
    "{\"seq\": 0, \"workorder\": {\"id\": \"1\"}}",
    "{\"seq\": \"x\", \"workorder\": {\"id\": \"1\"}}",
    "{\"gap\": {}}",
    "[]",
    "not json",
    "",
  };
  g_autoptr(CwDmsEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  const char *change = "{\"seq\": \"42\", \"workorder\": {\"id\": \"7\", \"number\": \"90007\"}}";
  const char *gap = "{\"gap\": {\"seq\": 1234, \"oldest\": 235}}";

  event = cw_wincar_map_event_data (change, strlen (change), CONNECTION_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpint (event->seq, ==, 42);
  g_assert_cmpstr (event->dms_key, ==, "7");
  g_assert_cmpstr (cw_workorder_get_field (event->workorder, CW_WORKORDER_WO_NUMBER), ==, "90007");
  g_clear_pointer (&event, cw_dms_event_free);

  event = cw_wincar_map_event_data (gap, strlen (gap), CONNECTION_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpint (event->seq, ==, 1234);
  g_assert_null (event->dms_key);
  g_assert_error (event->error, CW_DMS_ERROR, CW_DMS_ERROR_EVENTS_LOST);
  g_clear_pointer (&event, cw_dms_event_free);

  for (guint i = 0; i < G_N_ELEMENTS (no_seq); i++)
    {
      event = cw_wincar_map_event_data (no_seq[i], strlen (no_seq[i]), CONNECTION_ID, &error);
      g_assert_null (event);
      g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED);
      g_clear_error (&error);
    }
}

static void
test_mapping_writeback_bodies (void)
{
  g_autoptr(CwIntervention) intervention = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;

  cw_intervention_set_title (intervention, "Olie bijvullen");
  cw_intervention_set_element_kind (intervention, CW_ELEMENT_KIND_PART);
  cw_intervention_set_price (intervention, -5);
  body = cw_wincar_intervention_to_json (intervention);
  text = json_to_string (body, FALSE);
  g_assert_cmpstr (text, ==, "{\"title\":\"Olie bijvullen\",\"type\":\"part\",\"price\":\"-0.05\",\"currency\":\"EUR\"}");
  g_clear_pointer (&body, json_node_unref);
  g_free (text);

  body = cw_wincar_mileage_to_json (123456);
  text = json_to_string (body, FALSE);
  g_assert_cmpstr (text, ==, "{\"mileage\":123456,\"unit\":\"km\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/wincar/check", test_check);
  ADD ("/wincar/search/wo-number", test_search_wo_number);
  ADD ("/wincar/search/plate", test_search_plate);
  ADD ("/wincar/search/not-found", test_search_not_found);
  ADD ("/wincar/fetch", test_fetch);
  ADD ("/wincar/relogin", test_relogin);
  ADD ("/wincar/faults", test_faults);
  ADD ("/wincar/write/intervention", test_write_intervention);
  ADD ("/wincar/write/mileage", test_write_mileage);
  ADD ("/wincar/write/refused", test_write_refused);
  ADD ("/wincar/write/relogin", test_write_relogin);
  ADD ("/wincar/watch/catch-up-and-live", test_watch_catch_up_and_live);
  ADD ("/wincar/watch/dropped", test_watch_dropped);
  ADD ("/wincar/watch/gap", test_watch_gap);
  ADD ("/wincar/watch/malformed", test_watch_malformed);
  ADD ("/wincar/watch/overlap-and-relogin", test_watch_overlap_and_relogin);
#undef ADD

  g_test_add_func ("/wincar/mapping/fields", test_mapping_fields);
  g_test_add_func ("/wincar/mapping/malformed", test_mapping_malformed);
  g_test_add_func ("/wincar/mapping/events", test_mapping_events);
  g_test_add_func ("/wincar/mapping/writeback-bodies", test_mapping_writeback_bodies);

  return g_test_run ();
}
