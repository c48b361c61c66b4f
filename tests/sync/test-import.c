/* test-import.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#ifdef __SANITIZE_ADDRESS__
#endif

#include "cw-connector.h"
#include "cw-core-enums.h"
#include "cw-import-scheduler.h"
#include "cw-import-service.h"
#include "cw-net-error.h"
#include "cw-plate.h"
#include "cw-sim-server.h"
#include "cw-test-fixtures.h"
#include "cw-util.h"

/*
 * The sync services end to end: a real simulator on loopback, the real connectors, a real
 * SQLite store in a temporary directory and credentials in the libsecret file backend
 * (the real keyring is covered by tests/integration). Search-import, refresh with the
 * work-started rule, failures recorded on the timeline, and the keep-importing scheduler:
 * one run at a time, backing off while the DMS fails, waiting while offline, and silent
 * once stopped.
 */

#define AUTOFLEX "demo-autoflex"
#define TWODRIVE "demo-2drive"

/*
 * A network monitor the test can switch off and on.
 */

#define TEST_TYPE_NETWORK (test_network_get_type ())
G_DECLARE_FINAL_TYPE (TestNetwork, test_network, TEST, NETWORK, GObject)

struct _TestNetwork
{
  GObject  parent_instance;
  gboolean available;
};

static void test_network_iface_init (GNetworkMonitorInterface *iface);
static void test_network_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetwork, test_network, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_network_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_network_iface_init))

static gboolean
test_network_initable_init_func (GInitable     *initable,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  return TRUE;
}

static void
test_network_initable_init (GInitableIface *iface)
{
  iface->init = test_network_initable_init_func;
}

enum { NET_PROP_0, NET_PROP_AVAILABLE, NET_PROP_METERED, NET_PROP_CONNECTIVITY };

static void
test_network_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestNetwork *self = TEST_NETWORK (object);

  switch (prop_id)
    {
    case NET_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case NET_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case NET_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
test_network_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  return TEST_NETWORK (monitor)->available;
}

static void
test_network_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_network_can_reach;
}

static void
test_network_class_init (TestNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_get_property;
  g_object_class_override_property (object_class, NET_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, NET_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, NET_PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_init (TestNetwork *self)
{
  self->available = TRUE;
}

static void
test_network_set_available (TestNetwork *self,
                            gboolean     available)
{
  self->available = available;
  g_signal_emit_by_name (self, "network-changed", available);
}

/*
 * The fixture: simulator, store, connections with their credentials, the service.
 */

typedef struct
{
  CwSimServer     *sim;
  char            *dir;
  CwStore         *store;
  GListStore      *connections;
  CwImportService *service;
} Fixture;

static void
wait_for (gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CwConnection) autoflex = cw_connection_new (AUTOFLEX, "autoflex");
  g_autoptr(CwConnection) twodrive = cw_connection_new (TWODRIVE, "2drive");
  g_autofree char *db = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  fixture->sim = cw_sim_server_new (2026, NULL);
  g_assert_true (cw_sim_server_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("cw-sync-XXXXXX", NULL);
  db = g_build_filename (fixture->dir, "workshop.db", NULL);
  fixture->store = cw_store_open (db, &error);
  g_assert_no_error (error);

  url = cw_sim_server_dup_url (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  g_object_set (autoflex, "endpoint", url, "name", "Autoflex (demo)", NULL);
  g_free (url);

  url = cw_sim_server_dup_url (fixture->sim, CW_SIM_2DRIVE_API);
  g_object_set (twodrive, "endpoint", url, "audience", CW_SIM_2DRIVE_AUDIENCE,
                "affiliate-id", CW_SIM_2DRIVE_AFFILIATE, NULL);
  g_free (url);
  url = cw_sim_server_dup_url (fixture->sim, CW_SIM_2DRIVE_TOKEN);
  g_object_set (twodrive, "token-url", url, NULL);

  cw_test_store_credentials (autoflex, "api_key", CW_SIM_AUTOFLEX_API_KEY,
                             "username", CW_SIM_AUTOFLEX_USERNAME,
                             "password", CW_SIM_AUTOFLEX_PASSWORD, NULL);
  cw_test_store_credentials (twodrive, "client_id", CW_SIM_2DRIVE_CLIENT_ID,
                             "client_secret", CW_SIM_2DRIVE_SECRET, NULL);

  fixture->connections = g_list_store_new (CW_TYPE_CONNECTION);
  g_list_store_append (fixture->connections, autoflex);
  g_list_store_append (fixture->connections, twodrive);
  fixture->service = cw_import_service_new (fixture->store, G_LIST_MODEL (fixture->connections));
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
  iterate_for (50);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->connections);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->sim);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static CwConnection *
connection (Fixture    *fixture,
            const char *id)
{
  return cw_import_service_find_connection (fixture->service, id);
}

/* A 2Drive order of the dataset, with or without a labour line. */
static CwSimOrder *
twodrive_order (Fixture  *fixture,
                gboolean  with_labour)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

      if (order->dms == CW_SIM_DMS_2DRIVE && cw_sim_order_has_labour (order) == with_labour)
        return order;
    }

  g_assert_not_reached ();
}

typedef struct
{
  gboolean         done;
  gint64           id;
  CwImportOutcome  outcome;
  GError          *error;
} Result;

static void
search_import_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Result *r = user_data;

  r->id = cw_import_service_search_import_finish (CW_IMPORT_SERVICE (source), result, &r->outcome, &r->error);
  r->done = TRUE;
}

static Result
search_import (Fixture    *fixture,
               const char *connection_id,
               const char *text)
{
  Result r = { 0 };

  cw_import_service_search_import_async (fixture->service, connection_id, text, NULL, search_import_cb, &r);
  wait_for (&r.done);

  return r;
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Result *r = user_data;

  cw_import_service_refresh_finish (CW_IMPORT_SERVICE (source), result, &r->outcome, &r->error);
  r->done = TRUE;
}

static Result
refresh (Fixture *fixture,
         gint64   id)
{
  Result r = { 0 };

  cw_import_service_refresh_async (fixture->service, id, NULL, refresh_cb, &r);
  wait_for (&r.done);

  return r;
}

static char *
last_event (CwStore *store,
            gint64   id)
{
  g_autoptr(GPtrArray) events = cw_store_list_events (store, id, NULL);

  g_assert_cmpuint (events->len, >, 0);

  return g_strdup (cw_enum_to_nick (CW_TYPE_EVENT_KIND,
                                    cw_timeline_event_get_kind (g_ptr_array_index (events, events->len - 1))));
}

/*
 * Search-import
 */

static void
test_search_import_by_number_and_plate (Fixture       *fixture,
                                        gconstpointer  data)
{
  CwSimOrder *order = twodrive_order (fixture, TRUE);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  g_autofree char *plate = cw_plate_format (cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE));
  g_autofree char *spaced = g_ascii_strdown (plate, -1);
  g_autoptr(CwWorkorder) stored = NULL;
  Result first, again, by_plate;

  first = search_import (fixture, TWODRIVE, wo_number);
  g_assert_no_error (first.error);
  g_assert_cmpint (first.outcome, ==, CW_IMPORT_CREATED);

  stored = cw_store_load_workorder (fixture->store, first.id, NULL);
  g_assert_cmpstr (cw_workorder_get_field (stored, CW_WORKORDER_WO_NUMBER), ==, wo_number);
  g_assert_cmpstr (cw_workorder_get_field (stored, CW_WORKORDER_CONNECTION_ID), ==, TWODRIVE);
  g_assert_cmpuint (g_list_model_get_n_items (cw_workorder_get_interventions (stored)), ==,
                    g_list_model_get_n_items (cw_workorder_get_interventions (order->workorder)));

  /* Again: the same workorder, unchanged, still one. */
  again = search_import (fixture, TWODRIVE, wo_number);
  g_assert_no_error (again.error);
  g_assert_cmpint (again.id, ==, first.id);
  g_assert_cmpint (again.outcome, ==, CW_IMPORT_UNCHANGED);

  /* The plate in another spelling: lower case, spaces for dashes. */
  g_strdelimit (spaced, "-", ' ');
  by_plate = search_import (fixture, TWODRIVE, spaced);
  g_assert_no_error (by_plate.error);
  g_assert_cmpint (by_plate.id, ==, first.id);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 1);
}

static void
test_search_import_refusals (Fixture       *fixture,
                             gconstpointer  data)
{
  CwSimOrder *order = twodrive_order (fixture, FALSE);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  g_autofree char *expected = g_strdup_printf ("Workorder %s has no labour line in 2Drive; add one there and import again",
                                               wo_number);
  Result no_labour, unknown, unsupported, no_connection;

  no_labour = search_import (fixture, TWODRIVE, wo_number);
  g_assert_error (no_labour.error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR);
  g_assert_cmpstr (no_labour.error->message, ==, expected);
  g_clear_error (&no_labour.error);

  unknown = search_import (fixture, TWODRIVE, "99999");
  g_assert_error (unknown.error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND);
  g_clear_error (&unknown.error);

  /* Autoflex only keeps importing: it cannot import from the search. */
  unsupported = search_import (fixture, AUTOFLEX, "40100");
  g_assert_error (unsupported.error, CW_DMS_ERROR, CW_DMS_ERROR_UNSUPPORTED);
  g_clear_error (&unsupported.error);

  no_connection = search_import (fixture, "gone", "40100");
  g_assert_error (no_connection.error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION);
  g_clear_error (&no_connection.error);

  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 0);
}

static void
test_search_import_without_credentials (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(CwConnection) lonely = cw_connection_new ("no-secrets", "2drive");
  Result r;

  g_list_store_append (fixture->connections, lonely);
  r = search_import (fixture, "no-secrets", "60100");
  g_assert_error (r.error, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (r.error->message, "Preferences"));
  g_clear_error (&r.error);
}

/*
 * Refresh
 */

static void
test_refresh_and_work_started (Fixture       *fixture,
                               gconstpointer  data)
{
  CwSimOrder *order = twodrive_order (fixture, TRUE);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  CwProcessChange start = { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_STARTED };
  g_autoptr(CwWorkorder) stored = NULL;
  g_autofree char *kind = NULL;
  Result imported, refreshed, frozen, taken;

  imported = search_import (fixture, TWODRIVE, wo_number);
  g_assert_no_error (imported.error);

  /* The DMS changes the mileage: a refresh brings it. */
  cw_workorder_set_dms_mileage (order->workorder, 123456);
  cw_sim_dataset_touch (cw_sim_server_get_dataset (fixture->sim), order);
  refreshed = refresh (fixture, imported.id);
  g_assert_no_error (refreshed.error);
  g_assert_cmpint (refreshed.outcome, ==, CW_IMPORT_UPDATED);
  stored = cw_store_load_workorder (fixture->store, imported.id, NULL);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored), ==, 123456);
  g_clear_object (&stored);

  /* Work starts; the dealer option is off: the DMS data stays, and the timeline says so. */
  g_assert_true (cw_store_change_process (fixture->store, imported.id, &start, "Sanne", NULL));
  cw_workorder_set_dms_mileage (order->workorder, 130000);
  cw_sim_dataset_touch (cw_sim_server_get_dataset (fixture->sim), order);
  frozen = refresh (fixture, imported.id);
  g_assert_no_error (frozen.error);
  g_assert_cmpint (frozen.outcome, ==, CW_IMPORT_FROZEN);
  stored = cw_store_load_workorder (fixture->store, imported.id, NULL);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored), ==, 123456);
  g_clear_object (&stored);
  kind = last_event (fixture->store, imported.id);
  g_assert_cmpstr (kind, ==, "refresh-skipped");

  /* With the option on, DMS changes still come in. */
  g_object_set (connection (fixture, TWODRIVE), "import-after-work-started", TRUE, NULL);
  taken = refresh (fixture, imported.id);
  g_assert_no_error (taken.error);
  g_assert_cmpint (taken.outcome, ==, CW_IMPORT_UPDATED);
  stored = cw_store_load_workorder (fixture->store, imported.id, NULL);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored), ==, 130000);
  g_assert_cmpint (cw_workorder_get_status (stored), ==, CW_STATUS_CHECK_STARTED);
}

static void
test_refresh_failure_is_recorded (Fixture       *fixture,
                                  gconstpointer  data)
{
  CwSimOrder *order = twodrive_order (fixture, TRUE);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  g_autoptr(CwWorkorder) before = NULL;
  g_autoptr(CwWorkorder) after = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *digest_before = NULL;
  g_autofree char *digest_after = NULL;
  CwTimelineEvent *last;
  Result imported, failed;

  imported = search_import (fixture, TWODRIVE, wo_number);
  g_assert_no_error (imported.error);
  before = cw_store_load_workorder (fixture->store, imported.id, NULL);

  /* The DMS breaks for longer than the retries last. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_2DRIVE_API, CW_SIM_FAULT_SERVER_ERROR, 0, 20);
  failed = refresh (fixture, imported.id);
  g_assert_error (failed.error, CW_NET_ERROR, CW_NET_ERROR_SERVER);
  cw_sim_server_clear_faults (fixture->sim);

  /* Nothing was lost, and the failure is on the timeline with its message. */
  after = cw_store_load_workorder (fixture->store, imported.id, NULL);
  digest_before = cw_workorder_dup_dms_digest (before);
  digest_after = cw_workorder_dup_dms_digest (after);
  g_assert_cmpstr (digest_after, ==, digest_before);
  events = cw_store_list_events (fixture->store, imported.id, NULL);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpint (cw_timeline_event_get_kind (last), ==, CW_EVENT_SYNC_FAILED);
  g_assert_cmpstr (cw_timeline_event_get_detail (last), ==, failed.error->message);
  g_clear_error (&failed.error);
}

/*
 * The keep-importing scheduler
 */

typedef struct
{
  guint   started;
  guint   finished;
  GError *last_error;
} Runs;

static void
on_run_started (CwImportScheduler *scheduler,
                const char        *connection_id,
                Runs              *runs)
{
  g_assert_cmpstr (connection_id, ==, AUTOFLEX);
  runs->started++;
}

static void
on_run_finished (CwImportScheduler *scheduler,
                 const char        *connection_id,
                 const GError      *error,
                 Runs              *runs)
{
  runs->finished++;
  g_clear_error (&runs->last_error);
  if (error != NULL)
    runs->last_error = g_error_copy (error);
}

static CwImportScheduler *
new_scheduler (Fixture     *fixture,
               TestNetwork *network,
               Runs        *runs)
{
  CwImportScheduler *scheduler = cw_import_scheduler_new (fixture->service, G_NETWORK_MONITOR (network));

  g_signal_connect (scheduler, "run-started", G_CALLBACK (on_run_started), runs);
  g_signal_connect (scheduler, "run-finished", G_CALLBACK (on_run_finished), runs);

  return scheduler;
}

static void
wait_for_runs (Runs  *runs,
               guint  finished)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (runs->finished < finished)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static guint
count_workshop_orders (CwSimServer *sim)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (sim);
  guint n = 0;

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

      if (order->dms == CW_SIM_DMS_AUTOFLEX && order->order_type == 1)
        n++;
    }

  return n;
}

static void
test_scheduler_imports_on_start (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(TestNetwork) network = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_autoptr(CwImportScheduler) scheduler = NULL;
  g_autoptr(GArray) outcomes = NULL;
  Runs runs = { 0 };

  scheduler = new_scheduler (fixture, network, &runs);
  cw_import_scheduler_start (scheduler);
  wait_for_runs (&runs, 1);

  g_assert_no_error (runs.last_error);
  g_assert_cmpuint (runs.started, ==, 1);
  /* The dataset spans yesterday and the six days after today: all inside the window. */
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, count_workshop_orders (fixture->sim));
  g_assert_cmpuint (cw_import_scheduler_get_next_delay (scheduler, AUTOFLEX), >=, CW_CONNECTION_DEFAULT_POLL_INTERVAL);
  /* The 2Drive connection does not keep importing. */
  g_assert_false (cw_import_scheduler_run_now (scheduler, TWODRIVE));

  cw_import_scheduler_stop (scheduler);
}

static void
test_scheduler_never_overlaps (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TestNetwork) network = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_autoptr(CwImportScheduler) scheduler = NULL;
  Runs runs = { 0 };

  /* A slow DMS keeps the first run going. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_API, CW_SIM_FAULT_DELAY, 800, 1);
  scheduler = new_scheduler (fixture, network, &runs);
  cw_import_scheduler_start (scheduler);
  while (runs.started == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (cw_import_scheduler_is_running (scheduler, AUTOFLEX));
  g_assert_false (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  g_assert_false (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  wait_for_runs (&runs, 1);
  g_assert_cmpuint (runs.started, ==, 1);

  /* Once it is done, "Sync now" runs again. */
  g_assert_true (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  wait_for_runs (&runs, 2);
  g_assert_cmpuint (runs.started, ==, 2);
  g_assert_no_error (runs.last_error);
}

static void
test_scheduler_backs_off_and_keeps_data (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(TestNetwork) network = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_autoptr(CwImportScheduler) scheduler = NULL;
  Runs runs = { 0 };
  gint64 imported;
  guint first_delay;

  scheduler = new_scheduler (fixture, network, &runs);
  cw_import_scheduler_start (scheduler);
  wait_for_runs (&runs, 1);
  imported = cw_store_count_workorders (fixture->store, NULL);
  g_assert_cmpint (imported, >, 0);

  /* The DMS fails: the error is reported, nothing is deleted, the wait grows. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_BOOTSTRAP, CW_SIM_FAULT_SERVER_ERROR, 0, 100);
  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_API, CW_SIM_FAULT_SERVER_ERROR, 0, 100);
  g_assert_true (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  wait_for_runs (&runs, 2);
  g_assert_nonnull (runs.last_error);
  g_assert_cmpuint (cw_import_scheduler_get_failures (scheduler, AUTOFLEX), ==, 1);
  first_delay = cw_import_scheduler_get_next_delay (scheduler, AUTOFLEX);
  g_assert_cmpuint (first_delay, >=, 2 * CW_CONNECTION_DEFAULT_POLL_INTERVAL);
  g_assert_nonnull (cw_import_scheduler_get_last_error (scheduler, AUTOFLEX));
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, imported);

  g_assert_true (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  wait_for_runs (&runs, 3);
  g_assert_cmpuint (cw_import_scheduler_get_failures (scheduler, AUTOFLEX), ==, 2);
  g_assert_cmpuint (cw_import_scheduler_get_next_delay (scheduler, AUTOFLEX), >=, 4 * CW_CONNECTION_DEFAULT_POLL_INTERVAL);

  /* It recovers: the failures are forgotten and the normal interval is back. */
  cw_sim_server_clear_faults (fixture->sim);
  g_assert_true (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  wait_for_runs (&runs, 4);
  g_assert_no_error (runs.last_error);
  g_assert_cmpuint (cw_import_scheduler_get_failures (scheduler, AUTOFLEX), ==, 0);
  g_assert_cmpuint (cw_import_scheduler_get_next_delay (scheduler, AUTOFLEX), <, 2 * CW_CONNECTION_DEFAULT_POLL_INTERVAL);
  g_clear_error (&runs.last_error);
}

/* The window is read and stored a day at a time: when the DMS fails on the fourth day,
 * the three days before it are stored, and the next run brings the rest. */
static void
test_scheduler_keeps_days_before_a_failure (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(TestNetwork) network = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_autoptr(CwImportScheduler) scheduler = NULL;
  g_autoptr(GPtrArray) first_days = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  Runs runs = { 0 };
  guint expected = 0;
  GDate first;

  g_date_clear (&first, 1);
  g_date_set_dmy (&first, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  g_date_subtract_days (&first, CW_IMPORT_WINDOW_DAYS_BEFORE);
  first_days = cw_sim_dataset_list_days (cw_sim_server_get_dataset (fixture->sim), CW_SIM_DMS_AUTOFLEX, &first, 3);
  for (guint i = 0; i < first_days->len; i++)
    if (((CwSimOrder *) g_ptr_array_index (first_days, i))->order_type == 1)
      expected++;
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected, <, count_workshop_orders (fixture->sim));

  /* One request a day: the first three are answered, then Autoflex fails. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_API, CW_SIM_FAULT_NONE, 0, 3);
  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_API, CW_SIM_FAULT_SERVER_ERROR, 0, 100);

  scheduler = new_scheduler (fixture, network, &runs);
  cw_import_scheduler_start (scheduler);
  wait_for_runs (&runs, 1);
  g_assert_error (runs.last_error, CW_NET_ERROR, CW_NET_ERROR_SERVER);
  g_assert_cmpuint (cw_import_scheduler_get_failures (scheduler, AUTOFLEX), ==, 1);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, expected);

  cw_sim_server_clear_faults (fixture->sim);
  g_assert_true (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  wait_for_runs (&runs, 2);
  g_assert_no_error (runs.last_error);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, count_workshop_orders (fixture->sim));
}

static void
test_scheduler_waits_while_offline (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(TestNetwork) network = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_autoptr(CwImportScheduler) scheduler = NULL;
  Runs runs = { 0 };

  network->available = FALSE;
  scheduler = new_scheduler (fixture, network, &runs);
  cw_import_scheduler_start (scheduler);
  iterate_for (300);
  g_assert_cmpuint (runs.started, ==, 0);
  g_assert_false (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/autoflex"), ==, 0);

  test_network_set_available (network, TRUE);
  wait_for_runs (&runs, 1);
  g_assert_cmpuint (runs.started, ==, 1);
  g_assert_no_error (runs.last_error);
}

static void
test_scheduler_stops_cleanly (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TestNetwork) network = g_object_new (TEST_TYPE_NETWORK, NULL);
  g_autoptr(CwImportScheduler) scheduler = NULL;
  Runs runs = { 0 };

  cw_sim_server_add_fault (fixture->sim, CW_SIM_AUTOFLEX_API, CW_SIM_FAULT_DELAY, 500, 1);
  scheduler = new_scheduler (fixture, network, &runs);
  cw_import_scheduler_start (scheduler);
  while (runs.started == 0)
    g_main_context_iteration (NULL, TRUE);

  /* Quit while a run waits for the DMS: nothing finishes, nothing is stored, nothing runs. */
  cw_import_scheduler_stop (scheduler);
  g_assert_false (cw_import_scheduler_is_started (scheduler));
  iterate_for (1200);
  g_assert_cmpuint (runs.finished, ==, 0);
  g_assert_cmpuint (runs.started, ==, 1);
  g_assert_cmpint (cw_store_count_workorders (fixture->store, NULL), ==, 0);
  g_assert_false (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("cw-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);

  /* The same file backend as inside the Flatpak, without a D-Bus service. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/search-import/number-and-plate", test_search_import_by_number_and_plate);
  ADD ("/sync/search-import/refusals", test_search_import_refusals);
  ADD ("/sync/search-import/without-credentials", test_search_import_without_credentials);
  ADD ("/sync/refresh/work-started", test_refresh_and_work_started);
  ADD ("/sync/refresh/failure-is-recorded", test_refresh_failure_is_recorded);
  ADD ("/sync/scheduler/imports-on-start", test_scheduler_imports_on_start);
  ADD ("/sync/scheduler/never-overlaps", test_scheduler_never_overlaps);
  ADD ("/sync/scheduler/backs-off-and-keeps-data", test_scheduler_backs_off_and_keeps_data);
  ADD ("/sync/scheduler/keeps-days-before-a-failure", test_scheduler_keeps_days_before_a_failure);
  ADD ("/sync/scheduler/waits-while-offline", test_scheduler_waits_while_offline);
  ADD ("/sync/scheduler/stops-cleanly", test_scheduler_stops_cleanly);
#undef ADD

  return g_test_run ();
}
