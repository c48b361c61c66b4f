/* test-outbox.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "cw-import-service.h"
#include "cw-outbox-drainer.h"
#include "cw-sim-server.h"
#include "cw-test-fixtures.h"
#include "cw-writeback.h"

/*
 * DMS writeback end to end (DESIGN §5): the store's outbox, the drainer and the Wincar and
 * Incadea connectors, against the simulator over HTTP on loopback. The simulator keeps a
 * ledger of every writeback by idempotency key, so the tests can tell "sent twice" from
 * "applied twice": a change must be applied exactly once, whatever happens between.
 */

#define WINCAR "demo-wincar"
#define INCADEA "demo-incadea"

typedef struct
{
  CwSimServer     *sim;
  guint            port;
  char            *dir;
  char            *db;
  CwStore         *store;
  GListStore      *connections;
  CwImportService *service;
  CwOutboxDrainer *drainer;
} Fixture;

static void
wait_until (gboolean (*condition) (gpointer),
            gpointer   data,
            guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

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

static CwConnection *
wincar_connection (Fixture  *fixture,
                   gboolean  writeback)
{
  CwConnection *connection = cw_connection_new (WINCAR, "wincar");
  g_autofree char *url = cw_sim_server_dup_url (fixture->sim, CW_SIM_WINCAR_API);

  g_object_set (connection, "endpoint", url, "name", "Wincar (demo)", "writeback", writeback, NULL);
  cw_test_store_credentials (connection, "username", CW_SIM_WINCAR_USERNAME,
                             "password", CW_SIM_WINCAR_PASSWORD, NULL);

  return connection;
}

static CwConnection *
incadea_connection (Fixture *fixture)
{
  CwConnection *connection = cw_connection_new (INCADEA, "incadea");
  g_autofree char *url = cw_sim_server_dup_url (fixture->sim, CW_SIM_INCADEA_API);

  g_object_set (connection, "endpoint", url, "name", "Incadea (demo)", "writeback", TRUE, NULL);
  cw_test_store_credentials (connection, "username", CW_SIM_INCADEA_USERNAME,
                             "password", CW_SIM_INCADEA_PASSWORD, NULL);

  return connection;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CwConnection) wincar = NULL;
  g_autoptr(CwConnection) incadea = NULL;
  g_autoptr(GError) error = NULL;

  fixture->sim = cw_sim_server_new (2026, NULL);
  g_assert_true (cw_sim_server_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);
  fixture->port = cw_sim_server_get_port (fixture->sim);

  fixture->dir = g_dir_make_tmp ("cw-outbox-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "workshop.db", NULL);
  fixture->store = cw_store_open (fixture->db, &error);
  g_assert_no_error (error);

  /* data: writeback off for the Wincar connection. */
  wincar = wincar_connection (fixture, data == NULL);
  incadea = incadea_connection (fixture);
  fixture->connections = g_list_store_new (CW_TYPE_CONNECTION);
  g_list_store_append (fixture->connections, wincar);
  g_list_store_append (fixture->connections, incadea);
  fixture->service = cw_import_service_new (fixture->store, G_LIST_MODEL (fixture->connections));
  fixture->drainer = cw_outbox_drainer_new (fixture->service, NULL);
  cw_outbox_drainer_set_max_delays (fixture->drainer, 1, 1);
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
  cw_outbox_drainer_stop (fixture->drainer);
  iterate_for (50);
  g_clear_object (&fixture->drainer);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->connections);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->sim);
  remove_tree (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->dir);
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

static gboolean
is_done (gpointer data)
{
  return ((Result *) data)->done;
}

/* Imports the @n-th order of @dms in the dataset, by its WO number. */
static gint64
import_order (Fixture    *fixture,
              CwSimDms    dms,
              guint       n,
              CwSimOrder **order_out)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);
  Result r = { 0 };

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

      if (order->dms != dms || order->invoiced ||
          cw_workorder_get_flag (order->workorder, CW_WORKORDER_DMS_CANCELED) || n-- > 0)
        continue;

      cw_import_service_search_import_async (fixture->service, dms == CW_SIM_DMS_WINCAR ? WINCAR : INCADEA,
                                             cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER),
                                             NULL, search_import_cb, &r);
      wait_until (is_done, &r, 30);
      g_assert_no_error (r.error);
      if (order_out != NULL)
        *order_out = order;

      return r.id;
    }

  g_assert_not_reached ();
}

static gint64
add_line (Fixture    *fixture,
          gint64      workorder_id,
          const char *title)
{
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(GError) error = NULL;
  gint64 id;

  cw_intervention_set_title (line, title);
  cw_intervention_set_price (line, 4950);
  id = cw_store_add_intervention (fixture->store, workorder_id, line, "Advisor", &error);
  g_assert_no_error (error);

  return id;
}

static GPtrArray *
outbox (Fixture *fixture,
        gint64   workorder_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = cw_store_list_outbox (fixture->store, workorder_id, &error);

  g_assert_no_error (error);

  return entries;
}

typedef struct
{
  Fixture       *fixture;
  gint64         workorder_id;
  CwOutboxState  state;
} AllIn;

static gboolean
all_in_state (gpointer data)
{
  AllIn *wanted = data;
  g_autoptr(GPtrArray) entries = outbox (wanted->fixture, wanted->workorder_id);

  for (guint i = 0; i < entries->len; i++)
    if (cw_outbox_entry_get_state (g_ptr_array_index (entries, i)) != wanted->state)
      return FALSE;

  return entries->len > 0;
}

static void
wait_all (Fixture       *fixture,
          gint64         workorder_id,
          CwOutboxState  state)
{
  AllIn wanted = { fixture, workorder_id, state };

  wait_until (all_in_state, &wanted, 60);
}

/* The ledger's record for an entry's key, or NULL. */
static CwSimWriteback *
ledger_lookup (Fixture       *fixture,
               CwOutboxEntry *entry)
{
  g_autoptr(GPtrArray) ledger = cw_sim_server_list_writebacks (fixture->sim, NULL);

  for (guint i = 0; i < ledger->len; i++)
    {
      CwSimWriteback *writeback = g_ptr_array_index (ledger, i);

      if (g_str_equal (writeback->idem_key, cw_outbox_entry_get_idem_key (entry)))
        return writeback;
    }

  return NULL;
}

static void
test_sent_once (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GError) error = NULL;
  CwSimWriteback *writeback;
  CwOutboxEntry *entry;
  GListModel *lines;
  gint64 id, line_id;
  guint n_same = 0;

  id = import_order (fixture, CW_SIM_DMS_WINCAR, 0, NULL);
  cw_outbox_drainer_start (fixture->drainer);
  line_id = add_line (fixture, id, "Uitlijnen");

  /* No click: the drainer sends it as soon as it is stored. */
  wait_all (fixture, id, CW_OUTBOX_SENT);
  entries = outbox (fixture, id);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  writeback = ledger_lookup (fixture, entry);
  g_assert_nonnull (writeback);
  g_assert_cmpstr (writeback->kind, ==, "intervention");
  g_assert_cmpuint (writeback->n_applied, ==, 1);
  g_assert_cmpuint (writeback->n_received, ==, 1);
  g_assert_cmpuint (cw_sim_server_count_writebacks (fixture->sim, NULL), ==, 1);

  /* The line came back from the DMS with a refresh: still one line, the advisor's. */
  {
    Result r = { 0 };

    cw_import_service_search_import_async (fixture->service, WINCAR,
                                           cw_outbox_entry_get_wo_number (entry),
                                           NULL, search_import_cb, &r);
    wait_until (is_done, &r, 30);
    g_assert_no_error (r.error);
  }
  loaded = cw_store_load_workorder (fixture->store, id, &error);
  lines = cw_workorder_get_interventions (loaded);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      if (g_str_equal (cw_intervention_get_title (line), "Uitlijnen"))
        {
          n_same++;
          g_assert_cmpint (cw_intervention_get_id (line), ==, line_id);
          g_assert_cmpstr (cw_intervention_get_dms_line_id (line), ==, writeback->result);
        }
    }
  g_assert_cmpuint (n_same, ==, 1);

  /* Nothing more goes out. */
  iterate_for (1500);
  g_assert_cmpuint (writeback->n_received, ==, 1);
}

static void
test_dms_down (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GError) error = NULL;
  gint64 a, b;
  const char *titles[] = { "Eerste", "Tweede", "Derde" };

  a = import_order (fixture, CW_SIM_DMS_WINCAR, 0, NULL);
  b = import_order (fixture, CW_SIM_DMS_WINCAR, 1, NULL);
  cw_outbox_drainer_start (fixture->drainer);

  /* The DMS goes down; the advisor keeps working. */
  cw_sim_server_disconnect (fixture->sim);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    add_line (fixture, a, titles[i]);
  add_line (fixture, b, "Ander");
  iterate_for (2500);

  first = outbox (fixture, a);
  g_assert_cmpuint (first->len, ==, 3);
  for (guint i = 0; i < first->len; i++)
    {
      CwOutboxEntry *entry = g_ptr_array_index (first, i);

      g_assert_cmpint (cw_outbox_entry_get_state (entry), ==, CW_OUTBOX_PENDING);
      /* Not reaching the DMS uses up no attempt. */
      g_assert_cmpuint (cw_outbox_entry_get_attempts (entry), ==, 0);
    }
  g_assert_cmpuint (cw_sim_server_count_writebacks (fixture->sim, NULL), ==, 0);

  /* Back up on the same port: everything drains by itself, in order, once. */
  g_assert_true (cw_sim_server_listen (fixture->sim, fixture->port, &error));
  g_assert_no_error (error);
  wait_all (fixture, a, CW_OUTBOX_SENT);
  wait_all (fixture, b, CW_OUTBOX_SENT);

  ledger = cw_sim_server_list_writebacks (fixture->sim, "wincar");
  g_assert_cmpuint (ledger->len, ==, 4);
  {
    guint next = 0;

    for (guint i = 0; i < ledger->len; i++)
      {
        CwSimWriteback *writeback = g_ptr_array_index (ledger, i);

        g_assert_cmpuint (writeback->n_applied, ==, 1);
        if (g_strcmp0 (writeback->detail, "Ander") == 0)
          continue;
        g_assert_cmpstr (writeback->detail, ==, titles[next++]);
      }
    g_assert_cmpuint (next, ==, 3);
  }
}

static void
test_writeback_off (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gboolean queued = TRUE;
  gint64 id;

  id = import_order (fixture, CW_SIM_DMS_WINCAR, 0, NULL);
  cw_outbox_drainer_start (fixture->drainer);
  add_line (fixture, id, "Blijft hier");
  g_assert_true (cw_store_record_mileage (fixture->store, id, 999999, NULL, &queued, &error));
  g_assert_no_error (error);
  g_assert_false (queued);
  iterate_for (1500);

  entries = outbox (fixture, id);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_cmpuint (cw_sim_server_count_writebacks (fixture->sim, NULL), ==, 0);
  /* Not one request about the workorder after its import: nothing was posted. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_WINCAR_API "/workorders/"), ==, 0);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  CwSimOrder *order = NULL;
  CwOutboxEntry *entry;
  gint64 id;
  guint before;

  id = import_order (fixture, CW_SIM_DMS_WINCAR, 0, &order);
  cw_outbox_drainer_start (fixture->drainer);

  /* Invoiced in Wincar meanwhile: Wincar refuses the line (409) with its reason. */
  order->invoiced = TRUE;
  before = cw_sim_server_count_requests (fixture->sim, CW_SIM_WINCAR_API "/workorders/");
  add_line (fixture, id, "Te laat");
  wait_all (fixture, id, CW_OUTBOX_FAILED);

  entries = outbox (fixture, id);
  entry = g_ptr_array_index (entries, 0);
  g_assert_nonnull (cw_outbox_entry_get_last_error (entry));
  g_assert_nonnull (strstr (cw_outbox_entry_get_last_error (entry), "is invoiced"));
  g_assert_cmpuint (cw_outbox_entry_get_attempts (entry), ==, 1);

  /* No retry storm: one request for the change, however long we wait. */
  iterate_for (3000);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, CW_SIM_WINCAR_API "/workorders/") - before, ==, 1);
  g_assert_cmpuint (cw_sim_server_count_writebacks (fixture->sim, NULL), ==, 0);
}

static void
test_server_errors_bounded (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  CwOutboxEntry *entry;
  gint64 id;

  id = import_order (fixture, CW_SIM_DMS_WINCAR, 0, NULL);
  cw_outbox_drainer_start (fixture->drainer);
  cw_sim_server_add_fault (fixture->sim, CW_SIM_WINCAR_API "/workorders/", CW_SIM_FAULT_SERVER_ERROR, 0, 1000);
  add_line (fixture, id, "Later");
  wait_all (fixture, id, CW_OUTBOX_FAILED);

  entries = outbox (fixture, id);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpuint (cw_outbox_entry_get_attempts (entry), ==, CW_WRITEBACK_MAX_ATTEMPTS);

  /* The advisor tries again once the DMS is well: sent, with the same key. */
  cw_sim_server_clear_faults (fixture->sim);
  {
    CwOutboxUpdate retry = { CW_OUTBOX_RETRY, NULL, NULL, 0, FALSE };
    g_autoptr(GError) error = NULL;

    g_assert_true (cw_store_update_outbox (fixture->store, cw_outbox_entry_get_id (entry), &retry, &error));
    g_assert_no_error (error);
  }
  wait_all (fixture, id, CW_OUTBOX_SENT);
  g_assert_nonnull (ledger_lookup (fixture, entry));
}

static void
test_incadea_mileage (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GError) error = NULL;
  CwSimOrder *order = NULL;
  gboolean queued = TRUE;
  gint64 id, dms_mileage;

  id = import_order (fixture, CW_SIM_DMS_INCADEA, 0, &order);
  dms_mileage = cw_workorder_get_dms_mileage (order->workorder);
  g_assert_cmpint (dms_mileage, >, 0);
  cw_outbox_drainer_start (fixture->drainer);

  /* Equal and lower: never sent. */
  g_assert_true (cw_store_record_mileage (fixture->store, id, dms_mileage, NULL, &queued, &error));
  g_assert_false (queued);
  g_assert_true (cw_store_record_mileage (fixture->store, id, dms_mileage - 100, NULL, &queued, &error));
  g_assert_false (queued);

  /* Interventions stay local: Incadea takes mileage only. */
  add_line (fixture, id, "Blijft lokaal");
  iterate_for (1000);
  entries = outbox (fixture, id);
  g_assert_cmpuint (entries->len, ==, 0);

  /* Higher: sent once, and the DMS has it. */
  g_assert_true (cw_store_record_mileage (fixture->store, id, dms_mileage + 1234, NULL, &queued, &error));
  g_assert_true (queued);
  wait_all (fixture, id, CW_OUTBOX_SENT);
  ledger = cw_sim_server_list_writebacks (fixture->sim, "incadea");
  g_assert_cmpuint (ledger->len, ==, 1);
  g_assert_cmpstr (((CwSimWriteback *) g_ptr_array_index (ledger, 0))->kind, ==, "mileage");
  g_assert_cmpint (cw_workorder_get_dms_mileage (order->workorder), ==, dms_mileage + 1234);
}

/*
 * Killed with SIGKILL at random points of a drain, 50 times over, by a process that runs
 * the drainer as the app does (outbox-drainer-child). Afterwards every change is in the
 * DMS exactly once, under the key the store gave it, and the database is sound.
 */

typedef struct
{
  gboolean done;
  gboolean killed;
  int      status;
} Child;

static void
child_exited_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Child *child = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  child->killed = g_subprocess_get_if_signaled (G_SUBPROCESS (source));
  child->status = g_subprocess_get_if_exited (G_SUBPROCESS (source)) ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1;
  child->done = TRUE;
}

static gboolean
child_done (gpointer data)
{
  return ((Child *) data)->done;
}

static gboolean
kill_child (gpointer user_data)
{
  g_subprocess_send_signal (user_data, SIGKILL);

  return G_SOURCE_REMOVE;
}

static Child
run_child (Fixture *fixture,
           guint    kill_after_ms)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "sync", "outbox-drainer-child", NULL);
  g_autofree char *endpoint = cw_sim_server_dup_url (fixture->sim, CW_SIM_WINCAR_API);
  g_autofree char *endpoint_arg = g_strconcat ("endpoint=", endpoint, NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Child child = { 0 };
  guint timer = 0;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              program, fixture->db, WINCAR, "wincar", endpoint_arg, "writeback=true", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, child_exited_cb, &child);
  if (kill_after_ms > 0)
    timer = g_timeout_add_full (G_PRIORITY_HIGH, kill_after_ms, kill_child, g_object_ref (process), g_object_unref);

  /* The simulator answers from this process's main loop while the child drains. */
  wait_until (child_done, &child, 120);
  if (!child.killed && timer != 0)
    g_source_remove (timer);

  return child;
}

static void
test_killed_while_draining (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autoptr(GPtrArray) ledger = NULL;
  guint n_kills = 0, n_resent = 0;
  gint64 ids[4];
  Child last;

  /* The test process writes, the child sends: the policy is set here for the writes. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = import_order (fixture, CW_SIM_DMS_WINCAR, i, NULL);
  cw_outbox_drainer_apply_policies (fixture->drainer);
  for (guint n = 0; n < 120; n++)
    {
      g_autofree char *title = g_strdup_printf ("Regel %u", n);

      add_line (fixture, ids[n % G_N_ELEMENTS (ids)], title);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_true (cw_store_record_mileage (fixture->store, ids[i], 500000 + i, NULL, NULL, &error));

  /* Slow answers, so that kills land while requests are out. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_WINCAR_API "/workorders/", CW_SIM_FAULT_DELAY, 25, 100000);

  for (guint round = 0; round < 50; round++)
    {
      Child child = run_child (fixture, 30 + g_rand_int_range (rand, 0, 120));

      n_kills += child.killed;
      if (!child.killed)
        g_assert_cmpint (child.status, ==, 0);
    }
  g_assert_cmpuint (n_kills, >=, 25);

  /* A last run to the end. */
  last = run_child (fixture, 0);
  g_assert_false (last.killed);
  g_assert_cmpint (last.status, ==, 0);

  /* Every change sent, exactly once, under its own key. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GPtrArray) entries = outbox (fixture, ids[i]);

      for (guint j = 0; j < entries->len; j++)
        {
          CwOutboxEntry *entry = g_ptr_array_index (entries, j);
          CwSimWriteback *writeback = ledger_lookup (fixture, entry);

          g_assert_cmpint (cw_outbox_entry_get_state (entry), ==, CW_OUTBOX_SENT);
          g_assert_nonnull (writeback);
          g_assert_cmpuint (writeback->n_applied, ==, 1);
          n_resent += writeback->n_received > 1;
          g_ptr_array_add (all, g_object_ref (entry));
        }
    }
  g_assert_cmpuint (all->len, ==, 124);
  ledger = cw_sim_server_list_writebacks (fixture->sim, "wincar");
  g_assert_cmpuint (ledger->len, ==, all->len);
  g_test_message ("%u kills, %u changes sent more than once and applied once", n_kills, n_resent);

  g_assert_true (cw_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("cw-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  int status;

  /* The same file backend as inside the Flatpak, without a D-Bus service; the drainer's
   * child process finds the credentials in the same file. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/outbox/sent-once", NULL, test_sent_once);
  ADD ("/outbox/dms-down", NULL, test_dms_down);
  ADD ("/outbox/writeback-off", GINT_TO_POINTER (1), test_writeback_off);
  ADD ("/outbox/refused", NULL, test_refused);
  ADD ("/outbox/server-errors-bounded", NULL, test_server_errors_bounded);
  ADD ("/outbox/incadea-mileage", NULL, test_incadea_mileage);
  ADD ("/outbox/killed-while-draining", NULL, test_killed_while_draining);

  status = g_test_run ();
  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
