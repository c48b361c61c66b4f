/* test-ocw.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cw-import-service.h"
#include "cw-ocw-service.h"
#include "cw-outbox-drainer.h"
#include "cw-pon-account.h"
#include "cw-pon-client.h"
#include "cw-sim-server.h"
#include "cw-test-fixtures.h"

/*
 * OCW end to end (DESIGN §4): the OCW service, the PON client, the store and the outbox
 * against the simulator (PON and Wincar, a writeback-capable DMS) over HTTP on loopback.
 * PON's answers per car and its request counts come from the simulator's hooks; "30
 * minutes later" is the stored time of the last answer moved back with SQL.
 */

#define WINCAR "demo-wincar"

typedef struct
{
  CwSimServer     *sim;
  char            *dir;
  char            *db;
  CwStore         *store;
  GListStore      *connections;
  CwImportService *service;
  CwOutboxDrainer *drainer;
  CwPonAccount    *account;
  CwPonClient     *client;
  CwOcwService    *ocw;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition condition,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static void
iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
open_services (Fixture *fixture)
{
  g_autofree char *pon = cw_sim_server_dup_url (fixture->sim, CW_SIM_PON_API);
  g_autoptr(GError) error = NULL;

  fixture->store = cw_store_open (fixture->db, &error);
  g_assert_no_error (error);
  fixture->service = cw_import_service_new (fixture->store, G_LIST_MODEL (fixture->connections));
  fixture->drainer = cw_outbox_drainer_new (fixture->service, NULL);
  cw_outbox_drainer_set_max_delays (fixture->drainer, 1, 1);
  cw_outbox_drainer_start (fixture->drainer);
  fixture->client = cw_pon_client_new (pon, NULL, fixture->account, &error);
  g_assert_no_error (error);
  fixture->ocw = cw_ocw_service_new (fixture->store, fixture->account, fixture->client);
}

static void
close_services (Fixture *fixture)
{
  cw_ocw_service_stop (fixture->ocw);
  cw_outbox_drainer_stop (fixture->drainer);
  iterate_for (50);
  g_clear_object (&fixture->ocw);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->drainer);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->store);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CwConnection) wincar = cw_connection_new (WINCAR, "wincar");
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  fixture->sim = cw_sim_server_new (2026, NULL);
  g_assert_true (cw_sim_server_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("cw-ocw-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "workshop.db", NULL);

  url = cw_sim_server_dup_url (fixture->sim, CW_SIM_WINCAR_API);
  g_object_set (wincar, "endpoint", url, "name", "Wincar (demo)", "writeback", TRUE, NULL);
  cw_test_store_credentials (wincar, "username", CW_SIM_WINCAR_USERNAME,
                             "password", CW_SIM_WINCAR_PASSWORD, NULL);
  fixture->connections = g_list_store_new (CW_TYPE_CONNECTION);
  g_list_store_append (fixture->connections, wincar);

  fixture->account = cw_pon_account_new ();
  cw_test_store_pon_account (fixture->account, CW_SIM_PON_USERNAME, CW_SIM_PON_PASSWORD);

  open_services (fixture);
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
  close_services (fixture);
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->connections);
  g_clear_object (&fixture->sim);
  remove_tree (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->dir);
}

/* A Wincar order whose car PON gives @state and a mileage as @mileage says. */
static CwSimOrder *
wincar_car (Fixture         *fixture,
            CwOcwState       state,
            CwSimPonMileage  mileage)
{
  for (guint nth = 0; ; nth++)
    {
      CwSimOrder *order = cw_sim_pon_find_order (fixture->sim, state, mileage, nth);

      g_assert_nonnull (order);
      if (order->dms == CW_SIM_DMS_WINCAR && !order->invoiced)
        return order;
    }
}

/* The @nth Wincar Volkswagen PON knows, made to answer @state with a mileage @delta km
 * from its DMS mileage. */
static CwSimOrder *
wincar_vw (Fixture    *fixture,
           guint       nth,
           CwOcwState  state,
           gint64      delta)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);
      const char *vin = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_VIN);
      g_autoptr(GDateTime) now = NULL;

      if (order->dms != CW_SIM_DMS_WINCAR || order->invoiced || vin == NULL ||
          cw_sim_pon_get_state (fixture->sim, vin) == CW_OCW_UNKNOWN || nth-- > 0)
        continue;

      now = g_date_time_new_now_local ();
      cw_sim_pon_set_state (fixture->sim, vin, state);
      cw_sim_pon_set_mileage (fixture->sim, vin, cw_workorder_get_dms_mileage (order->workorder) + delta, FALSE, now);

      return order;
    }

  g_assert_not_reached ();
}

static const char *
vin_of (CwSimOrder *order)
{
  return cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_VIN);
}

typedef struct
{
  gboolean  done;
  gint64    id;
  GError   *error;
} Result;

static void
search_import_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Result *r = user_data;

  r->id = cw_import_service_search_import_finish (CW_IMPORT_SERVICE (source), result, NULL, &r->error);
  r->done = TRUE;
}

static gint64
import (Fixture    *fixture,
        CwSimOrder *order)
{
  Result r = { 0 };

  cw_import_service_search_import_async (fixture->service, WINCAR,
                                         cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER),
                                         NULL, search_import_cb, &r);
  wait_until (is_true, &r.done);
  g_assert_no_error (r.error);

  return r.id;
}

typedef struct
{
  Fixture *fixture;
  gint64   id;
} Check;

static gboolean
not_checking (gpointer data)
{
  Check *check = data;

  return !cw_ocw_service_is_checking (check->fixture->ocw, check->id);
}

static void
open_and_wait (Fixture *fixture,
               gint64   id)
{
  Check check = { fixture, id };

  cw_ocw_service_workorder_opened (fixture->ocw, id);
  wait_until (not_checking, &check);
}

/* The stored time of PON's last answer, @minutes before now. */
static void
age_last_answer (Fixture *fixture,
                 gint64   id,
                 int      minutes)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE workorder SET ocw_checked_at = %" G_GINT64_FORMAT
                                          " WHERE id = %" G_GINT64_FORMAT,
                                          g_get_real_time () / G_USEC_PER_SEC - minutes * 60, id);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static CwWorkorder *
load (Fixture *fixture,
      gint64   id)
{
  g_autoptr(GError) error = NULL;
  CwWorkorder *workorder = cw_store_load_workorder (fixture->store, id, &error);

  g_assert_no_error (error);

  return workorder;
}

static guint
count_ocw_lines (Fixture *fixture,
                 gint64   id)
{
  g_autoptr(CwWorkorder) workorder = load (fixture, id);
  GListModel *lines = cw_workorder_get_interventions (workorder);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      n += cw_intervention_get_source (line) == CW_INTERVENTION_SOURCE_OCW;
    }

  return n;
}

/* The changes the DMS applied for workorder @id (0: for any), of @kind. */
static guint
count_writebacks (Fixture    *fixture,
                  gint64      id,
                  const char *kind)
{
  g_autoptr(GPtrArray) ledger = cw_sim_server_list_writebacks (fixture->sim, "wincar");
  g_autoptr(CwWorkorder) workorder = id != 0 ? load (fixture, id) : NULL;
  const char *dms_key = workorder != NULL ? cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY) : NULL;
  guint n = 0;

  g_assert_true (id == 0 || dms_key != NULL);
  for (guint i = 0; i < ledger->len; i++)
    {
      CwSimWriteback *writeback = g_ptr_array_index (ledger, i);

      g_assert_cmpuint (writeback->n_applied, ==, 1);
      n += g_str_equal (writeback->kind, kind) && (id == 0 || g_strcmp0 (writeback->dms_key, dms_key) == 0);
    }

  return n;
}

static gboolean
outbox_drained (gpointer data)
{
  Check *check = data;
  g_autoptr(GPtrArray) entries = cw_store_list_outbox (check->fixture->store, check->id, NULL);

  for (guint i = 0; i < entries->len; i++)
    if (cw_outbox_entry_get_state (g_ptr_array_index (entries, i)) != CW_OUTBOX_SENT)
      return FALSE;

  return TRUE;
}

static void
test_one_request_per_30_minutes (Fixture       *fixture,
                                 gconstpointer  data)
{
  CwSimOrder *order = wincar_car (fixture, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY);
  const char *vin = vin_of (order);
  gint64 id = import (fixture, order);

  /* Twenty openings within 30 minutes: one question to PON. */
  for (guint i = 0; i < 20; i++)
    {
      cw_ocw_service_workorder_opened (fixture->ocw, id);
      iterate_for (5);
    }
  open_and_wait (fixture, id);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 1);
  {
    g_autoptr(CwWorkorder) workorder = load (fixture, id);

    g_assert_cmpint (cw_workorder_get_ocw_state (workorder), ==, CW_OCW_CONNECTED);
    g_assert_nonnull (cw_workorder_get_ocw_checked_at (workorder));
  }

  /* 29 minutes later: still not. 31 minutes later: once more. */
  age_last_answer (fixture, id, 29);
  open_and_wait (fixture, id);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 1);
  age_last_answer (fixture, id, 31);
  for (guint i = 0; i < 20; i++)
    cw_ocw_service_workorder_opened (fixture->ocw, id);
  open_and_wait (fixture, id);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 2);
}

static void
test_safety_intervention_once (Fixture       *fixture,
                               gconstpointer  data)
{
  CwSimOrder *order = wincar_car (fixture, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY);
  gint64 id = import (fixture, order);
  Check check = { fixture, id };

  open_and_wait (fixture, id);
  g_assert_cmpuint (count_ocw_lines (fixture, id), ==, 1);

  /* Reopened after 30 minutes, refreshed from the DMS, restarted: still one. */
  age_last_answer (fixture, id, 45);
  open_and_wait (fixture, id);
  g_assert_cmpuint (count_ocw_lines (fixture, id), ==, 1);
  g_assert_cmpint (import (fixture, order), ==, id);
  g_assert_cmpuint (count_ocw_lines (fixture, id), ==, 1);
  wait_until (outbox_drained, &check);

  close_services (fixture);
  open_services (fixture);
  age_last_answer (fixture, id, 45);
  open_and_wait (fixture, id);
  g_assert_cmpuint (count_ocw_lines (fixture, id), ==, 1);
  check.fixture = fixture;
  wait_until (outbox_drained, &check);
  iterate_for (500);

  /* Through the writeback-capable connection the DMS got it exactly once. */
  g_assert_cmpuint (count_writebacks (fixture, id, "intervention"), ==, 1);
}

static void
test_no_safety_unless_connected (Fixture       *fixture,
                                 gconstpointer  data)
{
  const CwOcwState states[] = { CW_OCW_NOT_CAPABLE, CW_OCW_NOT_ACTIVATED, CW_OCW_MAINTENANCE };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      CwSimOrder *order = wincar_car (fixture, states[i], CW_SIM_PON_MILEAGE_ANY);
      gint64 id = import (fixture, order);
      g_autoptr(CwWorkorder) workorder = NULL;

      open_and_wait (fixture, id);
      workorder = load (fixture, id);
      g_assert_cmpint (cw_workorder_get_ocw_state (workorder), ==, states[i]);
      g_assert_cmpuint (count_ocw_lines (fixture, id), ==, 0);
    }
  iterate_for (500);
  g_assert_cmpuint (count_writebacks (fixture, 0, "intervention"), ==, 0);
}

static void
test_mileage_higher_once (Fixture       *fixture,
                          gconstpointer  data)
{
  CwSimOrder *higher = wincar_vw (fixture, 0, CW_OCW_CONNECTED, 1234);
  CwSimOrder *equal = wincar_vw (fixture, 1, CW_OCW_CONNECTED, 0);
  CwSimOrder *lower = wincar_vw (fixture, 2, CW_OCW_CONNECTED, -500);
  gint64 id = import (fixture, higher);
  gint64 equal_id = import (fixture, equal);
  gint64 lower_id = import (fixture, lower);
  Check check = { fixture, id };

  open_and_wait (fixture, id);
  open_and_wait (fixture, equal_id);
  open_and_wait (fixture, lower_id);
  wait_until (outbox_drained, &check);

  /* Asked again later, with the same reading: not again. */
  age_last_answer (fixture, id, 40);
  open_and_wait (fixture, id);
  wait_until (outbox_drained, &check);
  iterate_for (500);

  g_assert_cmpuint (count_writebacks (fixture, id, "mileage"), ==, 1);
  g_assert_cmpuint (count_writebacks (fixture, equal_id, "mileage"), ==, 0);
  g_assert_cmpuint (count_writebacks (fixture, lower_id, "mileage"), ==, 0);
  g_assert_cmpuint (count_writebacks (fixture, 0, "mileage"), ==, 1);
  g_assert_cmpint (cw_workorder_get_dms_mileage (higher->workorder), ==,
                   cw_sim_pon_get_mileage (fixture->sim, vin_of (higher)));
}

static void
test_pon_down (Fixture       *fixture,
               gconstpointer  data)
{
  CwSimOrder *order = wincar_car (fixture, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY);
  gint64 id = import (fixture, order);
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);

  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_API, CW_SIM_FAULT_SERVER_ERROR, 0, 1000);
  open_and_wait (fixture, id);

  /* The page can say why; nothing was guessed or stored. */
  g_assert_nonnull (cw_ocw_service_get_error (fixture->ocw, id));
  workorder = load (fixture, id);
  g_assert_cmpint (cw_workorder_get_ocw_state (workorder), ==, CW_OCW_UNKNOWN);
  g_assert_null (cw_workorder_get_ocw_checked_at (workorder));
  g_assert_cmpuint (count_ocw_lines (fixture, id), ==, 0);

  /* Nothing else breaks: the workorder still takes changes. */
  cw_intervention_set_title (line, "Wisserbladen");
  g_assert_cmpint (cw_store_add_intervention (fixture->store, id, line, NULL, &error), >, 0);
  g_assert_no_error (error);

  /* PON back: the next opening asks (no answer was stored) and clears the error. */
  cw_sim_server_clear_faults (fixture->sim);
  open_and_wait (fixture, id);
  g_assert_null (cw_ocw_service_get_error (fixture->ocw, id));
  g_assert_cmpuint (count_ocw_lines (fixture, id), ==, 1);
}

static void
forgotten_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_assert_true (cw_pon_account_forget_finish (CW_PON_ACCOUNT (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
test_rules_gate_requests (Fixture       *fixture,
                          gconstpointer  data)
{
  CwSimOrder *order = wincar_car (fixture, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY);
  gint64 id = import (fixture, order);
  g_autoptr(GError) error = NULL;
  CwProcessChange ready = { 0 };
  gboolean forgotten = FALSE;

  /* Car ready: PON is not asked. */
  ready.action = CW_PROCESS_ADVANCE;
  ready.target = CW_STATUS_CAR_READY;
  g_assert_true (cw_store_change_process (fixture->store, id, &ready, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cw_ocw_service_workorder_opened (fixture->ocw, id));

  /* No PON account: no button, no question. */
  cw_pon_account_forget_async (fixture->account, NULL, forgotten_cb, &forgotten);
  wait_until (is_true, &forgotten);
  {
    g_autoptr(CwWorkorder) workorder = load (fixture, id);

    g_assert_false (cw_ocw_service_shows_button (fixture->ocw, workorder));
  }
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin_of (order)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("cw-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  int status;

  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ocw/one-request-per-30-minutes", test_one_request_per_30_minutes);
  ADD ("/ocw/safety-intervention-once", test_safety_intervention_once);
  ADD ("/ocw/no-safety-unless-connected", test_no_safety_unless_connected);
  ADD ("/ocw/mileage-higher-once", test_mileage_higher_once);
  ADD ("/ocw/pon-down", test_pon_down);
  ADD ("/ocw/rules-gate-requests", test_rules_gate_requests);
#undef ADD

  status = g_test_run ();
  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
