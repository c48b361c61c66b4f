/* test-store.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cw-core-enums.h"
#include "cw-store.h"
#include "cw-test-fixtures.h"
#include "cw-util.h"
#include "cw-workorder-list.h"

/*
 * The store against a real SQLite file in a temporary directory: migrations, upserts keyed
 * on the DMS identity, the day lists, the search, process changes and their timeline, and
 * the list model that follows the store.
 */

typedef struct
{
  char    *dir;
  char    *path;
  CwStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cw-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "sub", "workshop.db", NULL);
  fixture->store = cw_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void spin_until_idle (void);

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* A queued ::changed emission holds a reference until it runs, and a GTask's worker
   * thread drops its reference to the store just after the callback ran. */
  for (guint tries = 0; G_OBJECT (fixture->store)->ref_count > 1 && tries < 2000; tries++)
    {
      spin_until_idle ();
      g_usleep (1000);
    }
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
spin_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static CwWorkorder *
store_new_workorder (CwStore    *store,
                     const char *wo_number,
                     GDateTime  *appointment)
{
  g_autoptr(CwWorkorder) workorder = cw_test_workorder_new (wo_number, appointment);
  g_autoptr(GError) error = NULL;
  CwImportOutcome outcome = CW_IMPORT_UNCHANGED;

  g_assert_true (cw_store_import_workorder (store, workorder, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CW_IMPORT_CREATED);

  return g_steal_pointer (&workorder);
}

static GDateTime *
today_at (int hour,
          int minute)
{
  GDate today;

  cw_test_date_today (&today);

  return cw_test_date_time_on (&today, hour, minute);
}

/*
 * Opening and migrations
 */

static void
test_open_creates_schema (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (raw_int (fixture->path, "PRAGMA user_version"), ==, 4);
  g_assert_cmpint (raw_int (fixture->path, "PRAGMA journal_mode = WAL"), !=, -1);
  g_assert_cmpint (raw_int (fixture->path,
                            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                            " ('workorder', 'car', 'party', 'intervention', 'event', 'outbox', 'search_term', 'event_cursor')"),
                   ==, 8);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (cw_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

static void
test_open_empty_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cw-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "workshop.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  store = cw_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 4);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM workorder"), ==, 0);

  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_open_garbage_file (void)
{
  static const char garbage[] = "This is a spreadsheet, not a database. 1;2;3;4;5\n";
  g_autofree char *dir = g_dir_make_tmp ("cw-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "workshop.db", NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwStore) store = NULL;
  char filler[4096];

  /* Bigger than one page, so SQLite reads a header and finds it is not a database. */
  memset (filler, 'x', sizeof filler);
  {
    g_autoptr(GString) content = g_string_new (garbage);
    g_string_append_len (content, filler, sizeof filler);
    g_assert_true (g_file_set_contents (path, content->str, content->len, NULL));
  }

  store = cw_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "backup"));

  /* Nothing the user had is overwritten. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_true (g_str_has_prefix (after, garbage));

  remove_tree (dir);
}

static void
test_open_newer_schema (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cw-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "workshop.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = cw_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_TOO_NEW);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 99);

  remove_tree (dir);
}

static void
test_reopen_keeps_data (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (9, 0);
  g_autoptr(CwWorkorder) stored = store_new_workorder (fixture->store, "4711", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = cw_store_open (fixture->path, &error);
  g_assert_no_error (error);

  loaded = cw_store_load_workorder (fixture->store, cw_workorder_get_id (stored), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_workorder_get_field (loaded, CW_WORKORDER_WO_NUMBER), ==, "4711");
}

/*
 * Upserts
 */

static void
test_upsert_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (8, 30);
  g_autoptr(CwWorkorder) workorder = cw_test_workorder_new ("12345", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(CwParty) driver = cw_party_new (CW_PARTY_ROLE_DRIVER);
  g_autoptr(CwIntervention) parts = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(GDate) apk = g_date_new_dmy (14, G_DATE_MARCH, 2027);
  const char * const codes[] = { "1K0 698 151 A", "N 911 455 02", NULL };
  g_autoptr(GError) error = NULL;
  CwIntervention *item;
  CwParty *party;
  CwCar *car;
  CwImportOutcome outcome = CW_IMPORT_UNCHANGED;
  gint64 cents = 0;

  cw_workorder_set_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING, TRUE);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NOTES, "Klant wacht, koffie aanbieden");
  cw_car_set_date (cw_workorder_get_car (workorder), CW_CAR_APK_DATE, apk);
  cw_party_set_field (driver, CW_PARTY_LAST_NAME, "Çelik");
  cw_party_set_field (driver, CW_PARTY_BUSINESS_EMAIL, "celik@example.nl");
  cw_workorder_set_party (workorder, driver);
  cw_intervention_set_title (parts, "Remblokken voor");
  cw_intervention_set_part_codes (parts, codes);
  cw_workorder_append_intervention (workorder, parts);

  g_assert_true (cw_store_import_workorder (fixture->store, workorder, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CW_IMPORT_CREATED);
  g_assert_cmpint (cw_workorder_get_id (workorder), >, 0);
  g_assert_cmpint (cw_workorder_get_revision (workorder), ==, 1);

  loaded = cw_store_load_workorder (fixture->store, cw_workorder_get_id (workorder), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_workorder_get_field (loaded, CW_WORKORDER_CONNECTION_ID), ==, CW_TEST_CONNECTION);
  g_assert_cmpstr (cw_workorder_get_field (loaded, CW_WORKORDER_DMS_NUMBER), ==, "D12345");
  g_assert_cmpstr (cw_workorder_get_field (loaded, CW_WORKORDER_DMS_NOTES), ==, "Klant wacht, koffie aanbieden");
  g_assert_true (g_date_time_equal (cw_workorder_get_time (loaded, CW_WORKORDER_APPOINTMENT), at));
  g_assert_nonnull (cw_workorder_get_time (loaded, CW_WORKORDER_LAST_SYNC));
  g_assert_true (cw_workorder_get_flag (loaded, CW_WORKORDER_CUSTOMER_WAITING));
  g_assert_false (cw_workorder_get_flag (loaded, CW_WORKORDER_BILLED));
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, 48210);
  g_assert_cmpint (cw_workorder_get_status (loaded), ==, CW_STATUS_NEW_ENTRY);

  car = cw_workorder_get_car (loaded);
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_MAKE), ==, "Volkswagen");
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_PLATE), ==, "AB123C");
  g_assert_true (cw_date_equal (cw_car_get_date (car, CW_CAR_APK_DATE), apk));
  g_assert_null (cw_car_get_date (car, CW_CAR_FIRST_REGISTRATION));

  party = cw_workorder_get_party (loaded, CW_PARTY_ROLE_DRIVER);
  g_assert_nonnull (party);
  g_assert_cmpstr (cw_party_get_field (party, CW_PARTY_LAST_NAME), ==, "Çelik");
  g_assert_cmpstr (cw_party_get_field (party, CW_PARTY_BUSINESS_EMAIL), ==, "celik@example.nl");
  g_assert_null (cw_party_get_field (party, CW_PARTY_FIRST_NAME));
  g_assert_null (cw_workorder_get_party (loaded, CW_PARTY_ROLE_CONTRACTOR));

  g_assert_cmpuint (g_list_model_get_n_items (cw_workorder_get_interventions (loaded)), ==, 3);
  item = g_list_model_get_item (cw_workorder_get_interventions (loaded), 0);
  g_assert_cmpstr (cw_intervention_get_title (item), ==, "Kleine beurt");
  g_assert_true (cw_intervention_get_price (item, &cents));
  g_assert_cmpint (cents, ==, 18950);
  g_object_unref (item);
  item = g_list_model_get_item (cw_workorder_get_interventions (loaded), 2);
  g_assert_cmpstr (cw_intervention_get_title (item), ==, "Remblokken voor");
  g_assert_false (cw_intervention_get_price (item, NULL));
  g_assert_cmpstrv (cw_intervention_get_part_codes (item), codes);
  g_object_unref (item);
}

static char **
intervention_titles (CwWorkorder *workorder)
{
  GListModel *list = cw_workorder_get_interventions (workorder);
  GPtrArray *titles = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CwIntervention) item = g_list_model_get_item (list, i);
      g_ptr_array_add (titles, g_strdup (cw_intervention_get_title (item)));
    }
  g_ptr_array_add (titles, NULL);

  return (char **) g_ptr_array_free (titles, FALSE);
}

static void
test_upsert_twice_is_one_workorder (Fixture       *fixture,
                                    gconstpointer  data)
{
  static const char * const new_order[] = { "Remblokken voor vervangen", "Kleine beurt", "APK-keuring", NULL };
  g_autoptr(GDateTime) at = today_at (10, 0);
  g_autoptr(CwWorkorder) first = store_new_workorder (fixture->store, "555", at);
  g_autoptr(CwWorkorder) again = cw_test_workorder_new ("555", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(CwIntervention) extra = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(GPtrArray) events = NULL;
  g_auto(GStrv) titles = NULL;
  g_autoptr(GError) error = NULL;
  CwImportOutcome outcome = CW_IMPORT_UNCHANGED;
  GListModel *list;

  /* The DMS now lists a new first line, then the two old ones. */
  list = cw_workorder_get_interventions (again);
  cw_intervention_set_title (extra, "Remblokken voor vervangen");
  {
    g_autoptr(CwIntervention) a = g_list_model_get_item (list, 0);
    g_autoptr(CwIntervention) b = g_list_model_get_item (list, 1);

    cw_workorder_clear_interventions (again);
    cw_workorder_append_intervention (again, extra);
    cw_workorder_append_intervention (again, a);
    cw_workorder_append_intervention (again, b);
  }
  cw_workorder_set_dms_mileage (again, 51000);

  g_assert_true (cw_store_import_workorder (fixture->store, again, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CW_IMPORT_UPDATED);
  g_assert_cmpint (cw_workorder_get_id (again), ==, cw_workorder_get_id (first));
  g_assert_cmpint (cw_workorder_get_revision (again), ==, 2);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 1);
  g_assert_cmpint (raw_int (fixture->path, "SELECT count(*) FROM intervention"), ==, 3);

  loaded = cw_store_load_workorder (fixture->store, cw_workorder_get_id (first), &error);
  g_assert_no_error (error);
  titles = intervention_titles (loaded);
  g_assert_cmpstrv (titles, new_order);
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, 51000);

  /* Imported once: the update is recorded as a refresh, not as a second import. */
  events = cw_store_list_events (fixture->store, cw_workorder_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (cw_timeline_event_get_kind (g_ptr_array_index (events, 0)), ==, CW_EVENT_IMPORTED);
  g_assert_cmpint (cw_timeline_event_get_kind (g_ptr_array_index (events, 1)), ==, CW_EVENT_REFRESHED);
}

static void
test_upsert_keeps_process (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (10, 0);
  g_autoptr(CwWorkorder) first = store_new_workorder (fixture->store, "777", at);
  g_autoptr(CwWorkorder) again = cw_test_workorder_new ("777", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  CwProcessChange change = { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_STARTED };
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_store_change_process (fixture->store, cw_workorder_get_id (first), &change, "Sanne", &error));
  g_assert_no_error (error);

  g_assert_true (cw_store_import_workorder (fixture->store, again, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  loaded = cw_store_load_workorder (fixture->store, cw_workorder_get_id (first), &error);
  g_assert_cmpint (cw_workorder_get_status (loaded), ==, CW_STATUS_CHECK_STARTED);
  g_assert_cmpstr (cw_workorder_get_field (loaded, CW_WORKORDER_UPDATED_BY), ==, "Sanne");
}

static GPtrArray *
event_kinds (CwStore *store,
             gint64   id)
{
  g_autoptr(GPtrArray) events = cw_store_list_events (store, id, NULL);
  GPtrArray *kinds = g_ptr_array_new ();

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (kinds, (gpointer) cw_enum_to_nick (CW_TYPE_EVENT_KIND,
                                                        cw_timeline_event_get_kind (g_ptr_array_index (events, i))));
  g_ptr_array_add (kinds, NULL);

  return kinds;
}

static void
test_import_outcomes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (10, 0);
  g_autoptr(CwWorkorder) first = store_new_workorder (fixture->store, "808", at);
  g_autoptr(CwWorkorder) same = cw_test_workorder_new ("808", at);
  g_autoptr(CwWorkorder) changed = cw_test_workorder_new ("808", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GError) error = NULL;
  CwImportOutcome outcome = CW_IMPORT_CREATED;
  gint64 id = cw_workorder_get_id (first);
  static const char * const expected_kinds[] = { "imported", "refreshed", "refreshed", NULL };

  /* The same DMS data again: nothing rewritten, the revision stays. */
  g_assert_true (cw_store_import_workorder (fixture->store, same, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CW_IMPORT_UNCHANGED);
  g_assert_cmpint (cw_workorder_get_id (same), ==, id);
  g_assert_cmpint (cw_workorder_get_revision (same), ==, 1);

  /* An advisor's refresh of unchanged data is still on the timeline. */
  g_assert_true (cw_store_import_workorder (fixture->store, same, CW_IMPORT_RECORD_REFRESH, &outcome, &error));
  g_assert_cmpint (outcome, ==, CW_IMPORT_UNCHANGED);

  /* A change is written and recorded. */
  cw_workorder_set_dms_mileage (changed, 50123);
  g_assert_true (cw_store_import_workorder (fixture->store, changed, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_cmpint (outcome, ==, CW_IMPORT_UPDATED);
  g_assert_cmpint (cw_workorder_get_revision (changed), ==, 2);

  kinds = event_kinds (fixture->store, id);
  g_assert_cmpstrv ((const char * const *) kinds->pdata, expected_kinds);
  loaded = cw_store_load_workorder (fixture->store, id, &error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, 50123);
  g_assert_cmpint (cw_store_find_workorder (fixture->store, CW_TEST_CONNECTION, "D808", NULL), ==, id);
  g_assert_cmpint (cw_store_find_workorder (fixture->store, CW_TEST_CONNECTION, "D809", NULL), ==, 0);
  g_assert_cmpint (cw_store_find_workorder (fixture->store, "other-dms", "D808", NULL), ==, 0);
}

static void
test_import_frozen_after_work_started (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (10, 0);
  g_autoptr(CwWorkorder) first = store_new_workorder (fixture->store, "909", at);
  g_autoptr(CwWorkorder) changed = cw_test_workorder_new ("909", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GError) error = NULL;
  CwProcessChange start = { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_STARTED };
  CwImportOutcome outcome = CW_IMPORT_CREATED;
  gint64 id = cw_workorder_get_id (first);
  static const char * const expected_kinds[] = {
    "imported", "status-changed", "car-in", "refresh-skipped", "refreshed", NULL
  };

  g_assert_true (cw_store_change_process (fixture->store, id, &start, "Sanne", &error));
  cw_workorder_set_dms_mileage (changed, 77777);

  /* Work has started: the DMS data stays as it was, and an advisor's refresh says so. */
  g_assert_true (cw_store_import_workorder (fixture->store, changed, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_cmpint (outcome, ==, CW_IMPORT_FROZEN);
  g_assert_true (cw_store_import_workorder (fixture->store, changed, CW_IMPORT_RECORD_REFRESH, &outcome, &error));
  g_assert_cmpint (outcome, ==, CW_IMPORT_FROZEN);
  loaded = cw_store_load_workorder (fixture->store, id, &error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, 48210);
  g_clear_object (&loaded);

  /* With the dealer option, the change comes through and the process stays. */
  g_assert_true (cw_store_import_workorder (fixture->store, changed, CW_IMPORT_AFTER_WORK_STARTED, &outcome, &error));
  g_assert_cmpint (outcome, ==, CW_IMPORT_UPDATED);
  loaded = cw_store_load_workorder (fixture->store, id, &error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, 77777);
  g_assert_cmpint (cw_workorder_get_status (loaded), ==, CW_STATUS_CHECK_STARTED);

  kinds = event_kinds (fixture->store, id);
  g_assert_cmpstrv ((const char * const *) kinds->pdata, expected_kinds);
}

static void
test_import_follows_dms_shop (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (10, 0);
  g_autoptr(CwWorkorder) order = cw_test_workorder_new ("606", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GError) error = NULL;
  CwProcessChange toggle = { CW_PROCESS_TOGGLE_SHOP };
  CwImportOutcome outcome;
  CwProcess process;
  gint64 id;
  static const char * const expected_kinds[] = {
    "imported", "status-changed", "car-in", "car-out", "refreshed", "car-in", NULL
  };

  /* The DMS has the car in the shop on the first import: it arrives. */
  cw_workorder_set_dms_shop_state (order, CW_SHOP_IN);
  g_assert_true (cw_store_import_workorder (fixture->store, order, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_no_error (error);
  id = cw_workorder_get_id (order);
  loaded = cw_store_load_workorder (fixture->store, id, NULL);
  cw_workorder_get_process (loaded, &process);
  g_assert_cmpint (process.status, ==, CW_STATUS_CAR_IN_SHOP);
  g_assert_cmpint (process.shop, ==, CW_SHOP_IN);
  g_assert_cmpint (cw_workorder_get_dms_shop_state (loaded), ==, CW_SHOP_IN);
  g_clear_object (&loaded);

  /* The advisor sends the car out; the DMS repeating "in" does not overrule that. */
  g_assert_true (cw_store_change_process (fixture->store, id, &toggle, "Sanne", &error));
  cw_workorder_set_dms_mileage (order, 1);
  g_assert_true (cw_store_import_workorder (fixture->store, order, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_cmpint (outcome, ==, CW_IMPORT_UPDATED);
  loaded = cw_store_load_workorder (fixture->store, id, NULL);
  cw_workorder_get_process (loaded, &process);
  g_assert_cmpint (process.shop, ==, CW_SHOP_LEFT);
  g_clear_object (&loaded);

  /* The DMS changes its mind twice: out (the car already is), then in again. */
  cw_workorder_set_dms_shop_state (order, CW_SHOP_LEFT);
  g_assert_true (cw_store_import_workorder (fixture->store, order, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  cw_workorder_set_dms_shop_state (order, CW_SHOP_IN);
  g_assert_true (cw_store_import_workorder (fixture->store, order, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  loaded = cw_store_load_workorder (fixture->store, id, NULL);
  cw_workorder_get_process (loaded, &process);
  g_assert_cmpint (process.shop, ==, CW_SHOP_IN);
  g_assert_cmpint (process.status, ==, CW_STATUS_CAR_IN_SHOP);

  kinds = event_kinds (fixture->store, id);
  g_assert_cmpstrv ((const char * const *) kinds->pdata, expected_kinds);
}

static void
test_upsert_same_number_other_connection (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (10, 0);
  g_autoptr(CwWorkorder) first = store_new_workorder (fixture->store, "900", at);
  g_autoptr(CwWorkorder) other = cw_test_workorder_new ("900", at);
  g_autoptr(GError) error = NULL;
  CwImportOutcome outcome = CW_IMPORT_UNCHANGED;

  cw_workorder_set_field (other, CW_WORKORDER_CONNECTION_ID, "other-dms");
  g_assert_true (cw_store_import_workorder (fixture->store, other, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CW_IMPORT_CREATED);
  g_assert_cmpint (cw_workorder_get_id (other), !=, cw_workorder_get_id (first));
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 2);
}

static void
test_upsert_without_identity (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(CwWorkorder) workorder = cw_workorder_new ();
  g_autoptr(GError) error = NULL;

  cw_workorder_set_field (workorder, CW_WORKORDER_CONNECTION_ID, CW_TEST_CONNECTION);
  g_assert_false (cw_store_import_workorder (fixture->store, workorder, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 0);
}

static void
test_upsert_batch_is_atomic (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) at = today_at (11, 0);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (batch, cw_test_workorder_new ("1", at));
  g_ptr_array_add (batch, cw_test_workorder_new ("2", at));
  /* The third has no identity: the whole batch must be refused. */
  g_ptr_array_add (batch, cw_workorder_new ());
  cw_workorder_set_field (g_ptr_array_index (batch, 2), CW_WORKORDER_CONNECTION_ID, CW_TEST_CONNECTION);

  g_assert_false (cw_store_import_workorders (fixture->store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 0);
  g_assert_cmpint (raw_int (fixture->path, "SELECT count(*) FROM intervention"), ==, 0);

  g_ptr_array_remove_index (batch, 2);
  g_clear_error (&error);
  g_assert_true (cw_store_import_workorders (fixture->store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 2);
}

/*
 * Lists by day
 */

static guint
count_with_number (GPtrArray  *summaries,
                   const char *wo_number)
{
  guint n = 0;

  for (guint i = 0; i < summaries->len; i++)
    if (g_strcmp0 (cw_workorder_summary_get_wo_number (g_ptr_array_index (summaries, i)), wo_number) == 0)
      n++;

  return n;
}

static void
test_list_days (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) today = NULL;
  g_autoptr(GPtrArray) week = NULL;
  g_autoptr(GError) error = NULL;
  GDate day, first;

  cw_test_date_today (&day);
  first = day;

  /* 10:00 today, 08:00 today, 23:59 today, 00:00 tomorrow, 9:00 yesterday, in 7 and 8 days */
  {
    struct { const char *number; int offset, hour, minute; } plan[] = {
      { "A", 0, 10, 0 }, { "B", 0, 8, 0 }, { "C", 0, 23, 59 }, { "D", 1, 0, 0 },
      { "E", -1, 9, 0 }, { "F", 6, 12, 0 }, { "G", 7, 12, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (plan); i++)
      {
        GDate when = day;
        g_autoptr(GDateTime) at = NULL;

        cw_test_date_offset (&when, plan[i].offset);
        at = cw_test_date_time_on (&when, plan[i].hour, plan[i].minute);
        g_ptr_array_add (batch, cw_test_workorder_new (plan[i].number, at));
      }
  }
  g_assert_true (cw_store_import_workorders (fixture->store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  today = cw_store_list_days (fixture->store, &day, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (today->len, ==, 3);
  /* By appointment time. */
  g_assert_cmpstr (cw_workorder_summary_get_wo_number (g_ptr_array_index (today, 0)), ==, "B");
  g_assert_cmpstr (cw_workorder_summary_get_wo_number (g_ptr_array_index (today, 1)), ==, "A");
  g_assert_cmpstr (cw_workorder_summary_get_wo_number (g_ptr_array_index (today, 2)), ==, "C");
  g_assert_cmpstr (cw_workorder_summary_get_plate_display (g_ptr_array_index (today, 0)), ==, "AB-123-C");
  g_assert_cmpstr (cw_workorder_summary_get_customer (g_ptr_array_index (today, 0)), ==, "Jan de Vries");
  g_assert_cmpstr (cw_workorder_summary_get_make_model (g_ptr_array_index (today, 0)), ==, "Volkswagen Golf");

  week = cw_store_list_days (fixture->store, &first, CW_STORE_MAX_DAYS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (week->len, ==, 5);
  g_assert_cmpuint (count_with_number (week, "F"), ==, 1);
  g_assert_cmpuint (count_with_number (week, "G"), ==, 0);
  g_assert_cmpuint (count_with_number (week, "E"), ==, 0);
}

static void
test_list_range_limit (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  GDate day;

  cw_test_date_today (&day);

  none = cw_store_list_days (fixture->store, &day, CW_STORE_MAX_DAYS + 1, &error);
  g_assert_null (none);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "7"));
  g_clear_error (&error);

  none = cw_store_list_days (fixture->store, &day, 0, &error);
  g_assert_null (none);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
}

static void
test_list_day_with_dst_change (Fixture       *fixture,
                               gconstpointer  data)
{
  /* In Europe/Amsterdam (the tests' TZ) 29 March 2026 has 23 hours and 25 October 25. */
  struct { GDateDay day; GDateMonth month; } dst_days[] = {
    { 29, G_DATE_MARCH }, { 25, G_DATE_OCTOBER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dst_days); i++)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *late = g_strdup_printf ("late-%u", i);
      g_autofree char *next = g_strdup_printf ("next-%u", i);
      GDate day, after;
      g_autoptr(GDateTime) late_at = NULL;
      g_autoptr(GDateTime) next_at = NULL;

      g_date_clear (&day, 1);
      g_date_set_dmy (&day, dst_days[i].day, dst_days[i].month, 2026);
      after = day;
      g_date_add_days (&after, 1);
      late_at = cw_test_date_time_on (&day, 23, 30);
      next_at = cw_test_date_time_on (&after, 0, 30);

      g_ptr_array_add (batch, cw_test_workorder_new (late, late_at));
      g_ptr_array_add (batch, cw_test_workorder_new (next, next_at));
      g_assert_true (cw_store_import_workorders (fixture->store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error));

      list = cw_store_list_days (fixture->store, &day, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (count_with_number (list, late), ==, 1);
      g_assert_cmpuint (count_with_number (list, next), ==, 0);
    }
}

/*
 * Search
 */

static CwWorkorder *
store_person (CwStore    *store,
              const char *wo_number,
              const char *plate,
              const char *first_name,
              const char *last_name,
              int         day_offset)
{
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(CwParty) owner = cw_party_new (CW_PARTY_ROLE_OWNER);
  g_autoptr(GError) error = NULL;
  GDate day;

  cw_test_date_today (&day);
  cw_test_date_offset (&day, day_offset);
  at = cw_test_date_time_on (&day, 9, 0);

  workorder = cw_test_workorder_new (wo_number, at);
  cw_car_set_field (cw_workorder_get_car (workorder), CW_CAR_PLATE, plate);
  cw_party_set_field (owner, CW_PARTY_FIRST_NAME, first_name);
  cw_party_set_field (owner, CW_PARTY_LAST_NAME, last_name);
  cw_workorder_set_party (workorder, owner);

  g_assert_true (cw_store_import_workorder (store, workorder, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&workorder);
}

static char *
search_numbers (CwStore    *store,
                const char *query)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) numbers = g_string_new (NULL);

  results = cw_store_search (store, query, 20, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);

  for (guint i = 0; i < results->len; i++)
    {
      if (i > 0)
        g_string_append_c (numbers, ' ');
      g_string_append (numbers, cw_workorder_summary_get_wo_number (g_ptr_array_index (results, i)));
    }

  return g_string_free (g_steal_pointer (&numbers), FALSE);
}

#define assert_search(store, query, expected) \
  G_STMT_START { \
    g_autofree char *__found = search_numbers (store, query); \
    g_assert_cmpstr (__found, ==, expected); \
  } G_STMT_END

static void
populate_search (CwStore *store)
{
  g_autoptr(CwWorkorder) a = store_person (store, "24017", "AB-123-C", "Jan", "de Vries", 0);
  g_autoptr(CwWorkorder) b = store_person (store, "24018", "1-ABC-123", "Françoise", "Lefèvre", -30);
  g_autoptr(CwWorkorder) c = store_person (store, "31999", "ZX-99-KL", "Jörg", "Müller", 200);
  g_autoptr(CwWorkorder) d = store_person (store, "77", "24-017-X", "Anouk", "Jansen", 2);
}

static void
test_search_numbers (Fixture       *fixture,
                     gconstpointer  data)
{
  populate_search (fixture->store);

  /* WO numbers: exact first, then prefixes, across days. */
  assert_search (fixture->store, "24017", "24017 77");
  assert_search (fixture->store, "2401", "24017 24018 77");
  assert_search (fixture->store, "31999", "31999");
  /* DMS numbers (D + WO number in the fixtures). */
  assert_search (fixture->store, "D31999", "31999");
  assert_search (fixture->store, "d 319", "31999");
  /* Nothing matches. */
  assert_search (fixture->store, "999999", "");
  assert_search (fixture->store, "", "");
  assert_search (fixture->store, " - ", "");
}

static void
test_search_plates (Fixture       *fixture,
                    gconstpointer  data)
{
  populate_search (fixture->store);

  assert_search (fixture->store, "AB-123-C", "24017");
  assert_search (fixture->store, "ab123c", "24017");
  assert_search (fixture->store, "ab 123 c", "24017");
  assert_search (fixture->store, "Ab-12", "24017");
  assert_search (fixture->store, "1 abc 123", "24018");
  assert_search (fixture->store, "zx99", "31999");
}

static void
test_search_names (Fixture       *fixture,
                   gconstpointer  data)
{
  populate_search (fixture->store);

  assert_search (fixture->store, "muller", "31999");
  assert_search (fixture->store, "MÜLLER", "31999");
  assert_search (fixture->store, "jorg", "31999");
  assert_search (fixture->store, "francoise", "24018");
  assert_search (fixture->store, "Lefe", "24018");
  assert_search (fixture->store, "vries", "24017");
  assert_search (fixture->store, "jan de vr", "24017");
  assert_search (fixture->store, "de vries jan", "24017");
  /* "jan" is a first name and the prefix of a last name: both, today's first. */
  assert_search (fixture->store, "jan", "24017 77");
  assert_search (fixture->store, "jan müller", "");
  /* A plate typed with spaces is no name: no name search, the plate still matches. */
  assert_search (fixture->store, "zx 99", "31999");
  assert_search (fixture->store, "jan 6", "");
}

static void
test_search_ranking (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CwWorkorder) plate_owner = store_person (fixture->store, "1", "24-017-X", "Bram", "Smits", 0);
  g_autoptr(CwWorkorder) number_owner = store_person (fixture->store, "24017", "ZZ-11-ZZ", "Inès", "Claes", 5);
  g_autoptr(CwWorkorder) prefix_owner = store_person (fixture->store, "240170", "XX-22-XX", "Joris", "Maes", 0);
  g_autoptr(CwWorkorder) name_owner = store_person (fixture->store, "2", "YY-33-YY", "Noah", "24017", 0);

  /* Exact WO number, then exact plate, then WO number prefix, then name. */
  assert_search (fixture->store, "24017x", "1");
  assert_search (fixture->store, "24017", "24017 240170 1 2");
}

static void
test_search_limit (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  GDate day;

  cw_test_date_today (&day);
  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (batch, cw_test_workorder_generate (rand, i, &day));
  g_assert_true (cw_store_import_workorders (fixture->store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error));

  /* Every generated WO number starts with 1. */
  results = cw_store_search (fixture->store, "1", 25, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 25);
}

/*
 * Process changes and the timeline
 */

static void
test_process_changes_and_timeline (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (9, 0);
  g_autoptr(CwWorkorder) stored = store_new_workorder (fixture->store, "42", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = cw_workorder_get_id (stored);
  CwProcessChange toggle = { CW_PROCESS_TOGGLE_SHOP };
  CwProcessChange check = { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_READY };
  CwProcessChange back = { CW_PROCESS_ADVANCE, CW_STATUS_CAR_IN_SHOP };
  CwProcessChange cancel = { CW_PROCESS_CANCEL, 0, CW_CANCEL_REASON_NO_SHOW };
  CwTimelineEvent *event;
  CwProcess process;

  g_assert_true (cw_store_change_process (fixture->store, id, &toggle, "Sanne", &error));
  g_assert_no_error (error);
  g_assert_true (cw_store_change_process (fixture->store, id, &check, "Sanne", &error));
  g_assert_no_error (error);

  /* Backwards is refused, and nothing is written. */
  g_assert_false (cw_store_change_process (fixture->store, id, &back, "Sanne", &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_BACKWARD);
  g_clear_error (&error);
  g_assert_false (cw_store_change_process (fixture->store, id, &cancel, "Sanne", &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_CANCEL_NOT_ALLOWED);
  g_clear_error (&error);

  loaded = cw_store_load_workorder (fixture->store, id, &error);
  g_assert_no_error (error);
  cw_workorder_get_process (loaded, &process);
  g_assert_cmpint (process.status, ==, CW_STATUS_CHECK_READY);
  g_assert_cmpint (process.shop, ==, CW_SHOP_IN);
  /* Imported at 1, then two writes. */
  g_assert_cmpint (cw_workorder_get_revision (loaded), ==, 3);

  events = cw_store_list_events (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpint (cw_timeline_event_get_kind (g_ptr_array_index (events, 0)), ==, CW_EVENT_IMPORTED);
  event = g_ptr_array_index (events, 1);
  g_assert_cmpint (cw_timeline_event_get_kind (event), ==, CW_EVENT_STATUS_CHANGED);
  g_assert_cmpint (cw_timeline_event_get_status_from (event), ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (cw_timeline_event_get_status_to (event), ==, CW_STATUS_CAR_IN_SHOP);
  g_assert_cmpstr (cw_timeline_event_get_actor (event), ==, "Sanne");
  g_assert_cmpint (cw_timeline_event_get_kind (g_ptr_array_index (events, 2)), ==, CW_EVENT_CAR_IN);
  event = g_ptr_array_index (events, 3);
  g_assert_cmpint (cw_timeline_event_get_status_from (event), ==, CW_STATUS_CAR_IN_SHOP);
  g_assert_cmpint (cw_timeline_event_get_status_to (event), ==, CW_STATUS_CHECK_READY);

  /* The car leaves the shop; the status stays. */
  g_assert_true (cw_store_change_process (fixture->store, id, &toggle, "Sanne", &error));
  g_clear_object (&loaded);
  loaded = cw_store_load_workorder (fixture->store, id, &error);
  cw_workorder_get_process (loaded, &process);
  g_assert_cmpint (process.status, ==, CW_STATUS_CHECK_READY);
  g_assert_cmpint (process.shop, ==, CW_SHOP_LEFT);
}

static void
test_process_cancel (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (9, 0);
  g_autoptr(CwWorkorder) stored = store_new_workorder (fixture->store, "43", at);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  gint64 id = cw_workorder_get_id (stored);
  CwProcessChange no_text = { CW_PROCESS_CANCEL, 0, CW_CANCEL_REASON_OTHER, "  " };
  CwProcessChange cancel = { CW_PROCESS_CANCEL, 0, CW_CANCEL_REASON_OTHER, "Auto total loss" };
  CwProcessChange toggle = { CW_PROCESS_TOGGLE_SHOP };
  CwTimelineEvent *event;

  g_assert_false (cw_store_change_process (fixture->store, id, &no_text, NULL, &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_REASON_REQUIRED);
  g_clear_error (&error);

  g_assert_true (cw_store_change_process (fixture->store, id, &cancel, "Daan", &error));
  g_assert_no_error (error);

  /* Frozen: even the toggle is refused. */
  g_assert_false (cw_store_change_process (fixture->store, id, &toggle, NULL, &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_FROZEN);
  g_clear_error (&error);

  loaded = cw_store_load_workorder (fixture->store, id, &error);
  g_assert_cmpint (cw_workorder_get_status (loaded), ==, CW_STATUS_CANCELED);
  g_assert_true (cw_workorder_is_read_only (loaded));
  g_assert_cmpstr (cw_workorder_get_field (loaded, CW_WORKORDER_CANCEL_TEXT), ==, "Auto total loss");

  events = cw_store_list_events (fixture->store, id, &error);
  g_assert_cmpuint (events->len, ==, 2);
  event = g_ptr_array_index (events, 1);
  g_assert_cmpint (cw_timeline_event_get_kind (event), ==, CW_EVENT_CANCELED);
  g_assert_cmpint (cw_timeline_event_get_cancel_reason (event), ==, CW_CANCEL_REASON_OTHER);
  description = cw_timeline_event_dup_description (event);
  g_assert_cmpstr (description, ==, "Canceled: Auto total loss");
}

static void
test_process_invoiced_is_frozen (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (9, 0);
  g_autoptr(CwWorkorder) workorder = cw_test_workorder_new ("44", at);
  CwProcessChange toggle = { CW_PROCESS_TOGGLE_SHOP };
  g_autoptr(GError) error = NULL;

  cw_workorder_set_flag (workorder, CW_WORKORDER_BILLED, TRUE);
  g_assert_true (cw_store_import_workorder (fixture->store, workorder, CW_IMPORT_FLAGS_NONE, NULL, &error));

  g_assert_false (cw_store_change_process (fixture->store, cw_workorder_get_id (workorder), &toggle, NULL, &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_FROZEN);
}

static void
test_process_unknown_workorder (Fixture       *fixture,
                                gconstpointer  data)
{
  CwProcessChange toggle = { CW_PROCESS_TOGGLE_SHOP };
  g_autoptr(GError) error = NULL;

  g_assert_false (cw_store_change_process (fixture->store, 9999, &toggle, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND);
}

/*
 * Asynchronous writes and the ::changed signal
 */

static void
on_changed (CwStore *store,
            guint   *count)
{
  (*count)++;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == cw_store_import_workorders_async)
    {
      g_autoptr(GArray) outcomes = cw_store_import_workorders_finish (CW_STORE (source), result, &error);
      g_assert_nonnull (outcomes);
    }
  else
    g_assert_true (cw_store_change_process_finish (CW_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_async_writes_emit_changed (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) at = today_at (9, 0);
  CwProcessChange advance = { CW_PROCESS_ADVANCE, CW_STATUS_CAR_IN_SHOP };
  gboolean done = FALSE;
  guint changed = 0;

  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed), &changed);

  g_ptr_array_add (batch, cw_test_workorder_new ("50", at));
  g_ptr_array_add (batch, cw_test_workorder_new ("51", at));
  cw_store_import_workorders_async (fixture->store, batch, CW_IMPORT_FLAGS_NONE, NULL, on_async_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  spin_until_idle ();
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 2);

  done = FALSE;
  cw_store_change_process_async (fixture->store,
                                 cw_workorder_get_id (g_ptr_array_index (batch, 0)),
                                 &advance, "Lotte", NULL, on_async_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  spin_until_idle ();
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_changed_is_coalesced (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (9, 0);
  guint changed = 0;

  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed), &changed);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *number = g_strdup_printf ("6%u", i);
      g_autoptr(CwWorkorder) workorder = store_new_workorder (fixture->store, number, at);
    }

  g_assert_cmpuint (changed, ==, 0);
  spin_until_idle ();
  g_assert_cmpuint (changed, ==, 1);
}

/*
 * The list model
 */

typedef struct
{
  guint position, removed, added, calls;
} ItemsChanged;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *record)
{
  record->position = position;
  record->removed = removed;
  record->added = added;
  record->calls++;
}

static void
test_list_model_follows_store (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CwWorkorderList) list = cw_workorder_list_new (fixture->store);
  g_autoptr(GDateTime) nine = today_at (9, 0);
  g_autoptr(GDateTime) eleven = today_at (11, 0);
  g_autoptr(GDateTime) ten = today_at (10, 0);
  g_autoptr(CwWorkorder) a = store_new_workorder (fixture->store, "A1", nine);
  g_autoptr(CwWorkorder) b = store_new_workorder (fixture->store, "B2", eleven);
  g_autoptr(CwWorkorder) c = NULL;
  g_autoptr(CwWorkorder) a_again = cw_test_workorder_new ("A1", nine);
  g_autoptr(CwWorkorderSummary) first = NULL;
  g_autoptr(CwWorkorderSummary) still_first = NULL;
  g_autoptr(GError) error = NULL;
  ItemsChanged record = { 0 };
  GDate today;

  cw_test_date_today (&today);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (cw_workorder_list_set_range (list, &today, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpuint (g_list_model_get_item_type (G_LIST_MODEL (list)), ==, CW_TYPE_WORKORDER_SUMMARY);
  spin_until_idle ();

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &record);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);

  /* A new workorder in between is one insertion at its place. */
  c = store_new_workorder (fixture->store, "C3", ten);
  spin_until_idle ();
  g_assert_cmpuint (record.calls, ==, 1);
  g_assert_cmpuint (record.position, ==, 1);
  g_assert_cmpuint (record.removed, ==, 0);
  g_assert_cmpuint (record.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  /* A changed workorder keeps its row object and emits no items-changed. */
  cw_car_set_field (cw_workorder_get_car (a_again), CW_CAR_PLATE, "99-XX-ZZ");
  g_assert_true (cw_store_import_workorder (fixture->store, a_again, CW_IMPORT_FLAGS_NONE, NULL, &error));
  spin_until_idle ();
  g_assert_cmpuint (record.calls, ==, 1);
  still_first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (still_first == first);
  g_assert_cmpstr (cw_workorder_summary_get_plate_display (first), ==, "99-XX-ZZ");
  g_assert_cmpint (cw_workorder_summary_get_revision (first), ==, 2);

  /* Another day is a different list. */
  cw_test_date_offset (&today, 1);
  g_assert_true (cw_workorder_list_set_range (list, &today, 1, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpuint (record.calls, ==, 2);
  g_assert_cmpuint (record.removed, ==, 3);

  /* A range too long is refused and the list keeps what it shows. */
  g_assert_false (cw_workorder_list_set_range (list, &today, 8, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
  g_assert_cmpuint (cw_workorder_list_get_n_days (list), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/open/creates-schema", test_open_creates_schema);
  g_test_add_func ("/store/open/empty-file", test_open_empty_file);
  g_test_add_func ("/store/open/garbage-file", test_open_garbage_file);
  g_test_add_func ("/store/open/newer-schema", test_open_newer_schema);
  ADD ("/store/open/reopen-keeps-data", test_reopen_keeps_data);
  ADD ("/store/upsert/round-trip", test_upsert_round_trip);
  ADD ("/store/upsert/twice-is-one-workorder", test_upsert_twice_is_one_workorder);
  ADD ("/store/upsert/keeps-process", test_upsert_keeps_process);
  ADD ("/store/upsert/other-connection", test_upsert_same_number_other_connection);
  ADD ("/store/import/outcomes", test_import_outcomes);
  ADD ("/store/import/frozen-after-work-started", test_import_frozen_after_work_started);
  ADD ("/store/import/follows-dms-shop", test_import_follows_dms_shop);
  ADD ("/store/upsert/without-identity", test_upsert_without_identity);
  ADD ("/store/upsert/batch-is-atomic", test_upsert_batch_is_atomic);
  ADD ("/store/list/days", test_list_days);
  ADD ("/store/list/range-limit", test_list_range_limit);
  ADD ("/store/list/dst-change", test_list_day_with_dst_change);
  ADD ("/store/search/numbers", test_search_numbers);
  ADD ("/store/search/plates", test_search_plates);
  ADD ("/store/search/names", test_search_names);
  ADD ("/store/search/ranking", test_search_ranking);
  ADD ("/store/search/limit", test_search_limit);
  ADD ("/store/process/changes-and-timeline", test_process_changes_and_timeline);
  ADD ("/store/process/cancel", test_process_cancel);
  ADD ("/store/process/invoiced-is-frozen", test_process_invoiced_is_frozen);
  ADD ("/store/process/unknown-workorder", test_process_unknown_workorder);
  ADD ("/store/changed/async-writes", test_async_writes_emit_changed);
  ADD ("/store/changed/coalesced", test_changed_is_coalesced);
  ADD ("/store/list-model/follows-store", test_list_model_follows_store);
#undef ADD

  return g_test_run ();
}
