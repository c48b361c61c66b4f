/* test-events.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cw-event-hub.h"
#include "cw-event-listener.h"
#include "cw-import-service.h"
#include "cw-sim-server.h"
#include "cw-test-fixtures.h"

/*
 * Realtime changes end to end: the simulator's Wincar change stream over a real WebSocket
 * on loopback, the real connector, the listener and a real SQLite store in a temporary
 * directory, with the credentials in libsecret's file backend. A change made in the
 * "DMS" reaches the store with no request but the stream; a dropped stream catches up,
 * applying nothing twice; lost changes make the listener fetch what it holds; and the
 * network, the dealer's option and stop() are followed.
 */

#define WINCAR   "demo-wincar"
#define AUTOFLEX "demo-autoflex"

#define ORDERS_PATH CW_SIM_WINCAR_API "/workorders"

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
 * The fixture: simulator, store, connections with their credentials, the service, the
 * network, and what the listener reported.
 */

typedef struct
{
  CwSimServer     *sim;
  char            *dir;
  CwStore         *store;
  GListStore      *connections;
  CwImportService *service;
  TestNetwork     *network;
  CwEventListener *listener;

  guint            n_applied;
  gint64           last_applied;
  guint            n_ended;
} Fixture;

/* Wakes the loop now and then, so that a wait can see its deadline pass. */
static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(condition) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 20 * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (100, on_tick, NULL); \
    while (!(condition)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("Timed out waiting for %s", #condition); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

/* For asserting that nothing happens: lets whatever would happen happen. */
static void
iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static void
on_event_applied (CwEventListener *listener,
                  gint64           seq,
                  Fixture         *fixture)
{
  fixture->n_applied++;
  fixture->last_applied = seq;
}

static void
on_stream_ended (CwEventListener *listener,
                 const GError    *error,
                 Fixture         *fixture)
{
  fixture->n_ended++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CwConnection) wincar = cw_connection_new (WINCAR, "wincar");
  g_autofree char *db = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  fixture->sim = cw_sim_server_new (2026, NULL);
  g_assert_true (cw_sim_server_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);

  fixture->dir = g_dir_make_tmp ("cw-events-XXXXXX", NULL);
  db = g_build_filename (fixture->dir, "workshop.db", NULL);
  fixture->store = cw_store_open (db, &error);
  g_assert_no_error (error);

  url = cw_sim_server_dup_url (fixture->sim, CW_SIM_WINCAR_API);
  g_object_set (wincar, "endpoint", url, "name", "Wincar (demo)", "writeback", TRUE, NULL);
  cw_test_store_credentials (wincar, "username", CW_SIM_WINCAR_USERNAME,
                             "password", CW_SIM_WINCAR_PASSWORD, NULL);

  fixture->connections = g_list_store_new (CW_TYPE_CONNECTION);
  g_list_store_append (fixture->connections, wincar);
  fixture->service = cw_import_service_new (fixture->store, G_LIST_MODEL (fixture->connections));
  fixture->network = g_object_new (TEST_TYPE_NETWORK, NULL);

  fixture->listener = cw_event_listener_new (fixture->service, WINCAR, G_NETWORK_MONITOR (fixture->network));
  g_assert_nonnull (fixture->listener);
  /* Fast: the tests have no minutes to wait. */
  cw_event_listener_set_backoff (fixture->listener, 20, 200);
  g_signal_connect (fixture->listener, "event-applied", G_CALLBACK (on_event_applied), fixture);
  g_signal_connect (fixture->listener, "stream-ended", G_CALLBACK (on_stream_ended), fixture);
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
  cw_event_listener_stop (fixture->listener);
  g_signal_handlers_disconnect_by_data (fixture->listener, fixture);
  iterate_for (50);
  g_clear_object (&fixture->listener);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->connections);
  g_clear_object (&fixture->network);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->sim);
  iterate_for (20);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static CwSimOrder *
wincar_order (Fixture *fixture,
              guint    nth)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

      if (order->dms == CW_SIM_DMS_WINCAR && nth-- == 0)
        return order;
    }

  g_assert_not_reached ();
}

static const char *
key_of (CwSimOrder *order)
{
  return cw_workorder_get_field (order->workorder, CW_WORKORDER_DMS_NUMBER);
}

static gint64
stored_id (Fixture    *fixture,
           CwSimOrder *order)
{
  return cw_store_find_workorder (fixture->store, WINCAR, key_of (order), NULL);
}

static CwWorkorder *
load (Fixture    *fixture,
      CwSimOrder *order)
{
  gint64 id = stored_id (fixture, order);
  CwWorkorder *workorder;

  g_assert_cmpint (id, >, 0);
  workorder = cw_store_load_workorder (fixture->store, id, NULL);
  g_assert_nonnull (workorder);

  return workorder;
}

static guint
count_timeline (Fixture     *fixture,
                CwSimOrder  *order,
                CwEventKind  kind)
{
  g_autoptr(GPtrArray) events = cw_store_list_events (fixture->store, stored_id (fixture, order), NULL);
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    if (cw_timeline_event_get_kind (g_ptr_array_index (events, i)) == kind)
      n++;

  return n;
}

static gint64
cursor (Fixture *fixture)
{
  return cw_store_get_event_seq (fixture->store, WINCAR, NULL);
}

/* Changes the order's mileage in the "DMS"; returns the change's number. */
static gint64
change_mileage (Fixture    *fixture,
                CwSimOrder *order,
                gint64      km)
{
  cw_workorder_set_dms_mileage (order->workorder, km);
  return cw_sim_wincar_change_order (fixture->sim, order);
}

static void
start_and_wait_for_stream (Fixture *fixture)
{
  guint streams = cw_sim_wincar_count_streams (fixture->sim);

  cw_event_listener_start (fixture->listener);
  WAIT_UNTIL (cw_sim_wincar_count_streams (fixture->sim) > streams &&
              cw_sim_wincar_count_live_streams (fixture->sim) == 1);
  g_assert_true (cw_event_listener_get_connected (fixture->listener));
}

/*
 * The tests
 */

static void
test_change_arrives_without_poll (Fixture       *fixture,
                                  gconstpointer  data)
{
  CwSimOrder *order = wincar_order (fixture, 0);
  g_autoptr(CwWorkorder) stored = NULL;
  gint64 first, second;

  start_and_wait_for_stream (fixture);
  cw_sim_server_reset_counts (fixture->sim);

  /* New in Wincar: it appears in the store, imported by the change itself. */
  first = change_mileage (fixture, order, 123456);
  WAIT_UNTIL (fixture->last_applied == first);
  stored = load (fixture, order);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored), ==, 123456);
  g_assert_cmpint (cw_workorder_get_revision (stored), ==, 1);
  g_assert_cmpint (cursor (fixture), ==, first);
  g_clear_object (&stored);

  /* Changed in Wincar: updated, once. */
  cw_workorder_set_field (order->workorder, CW_WORKORDER_DMS_NOTES, "Klant brengt de auto zelf");
  second = cw_sim_wincar_change_order (fixture->sim, order);
  WAIT_UNTIL (fixture->last_applied == second);
  stored = load (fixture, order);
  g_assert_cmpstr (cw_workorder_get_field (stored, CW_WORKORDER_DMS_NOTES), ==, "Klant brengt de auto zelf");
  g_assert_cmpint (cw_workorder_get_revision (stored), ==, 2);
  g_assert_cmpuint (count_timeline (fixture, order, CW_EVENT_IMPORTED), ==, 1);
  g_assert_cmpuint (count_timeline (fixture, order, CW_EVENT_REFRESHED), ==, 1);
  g_assert_cmpint (cursor (fixture), ==, second);
  g_assert_cmpuint (fixture->n_applied, ==, 2);

  /* Not a single request: no search, no fetch, no poll, not even a login. */
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 0);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 1);
}

static void
test_dropped_stream_catches_up (Fixture       *fixture,
                                gconstpointer  data)
{
  CwSimOrder *a = wincar_order (fixture, 0);
  CwSimOrder *b = wincar_order (fixture, 1);
  g_autoptr(CwWorkorder) stored_a = NULL;
  g_autoptr(CwWorkorder) stored_b = NULL;
  gint64 seq;

  start_and_wait_for_stream (fixture);
  seq = change_mileage (fixture, a, 10000);
  WAIT_UNTIL (fixture->last_applied == seq);

  /* The stream is cut; Wincar goes on changing, and replays two changes too many when
   * the listener is back (a server that delivers at least once). */
  cw_sim_wincar_set_replay_overlap (fixture->sim, 2);
  cw_sim_wincar_drop_streams (fixture->sim);
  change_mileage (fixture, a, 11000);
  change_mileage (fixture, b, 55000);
  seq = change_mileage (fixture, a, 12000);

  /* Back, from where it was: every change, in order, each once. */
  WAIT_UNTIL (fixture->last_applied == seq);
  g_assert_cmpint (cursor (fixture), ==, seq);
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 1);
  g_assert_cmpuint (fixture->n_ended, ==, 1);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 2);
  g_assert_cmpuint (fixture->n_applied, ==, 4);

  stored_a = load (fixture, a);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored_a), ==, 12000);
  g_assert_cmpint (cw_workorder_get_revision (stored_a), ==, 3);
  g_assert_cmpuint (count_timeline (fixture, a, CW_EVENT_REFRESHED), ==, 2);
  stored_b = load (fixture, b);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored_b), ==, 55000);
  g_assert_cmpint (cw_workorder_get_revision (stored_b), ==, 1);

  /* And it follows the live changes again. */
  seq = change_mileage (fixture, b, 56000);
  WAIT_UNTIL (fixture->last_applied == seq);
  g_assert_cmpuint (fixture->n_applied, ==, 5);
}

static void
test_repeat_changes_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  CwSimOrder *order = wincar_order (fixture, 0);
  g_autoptr(CwWorkorder) stored = NULL;
  g_autoptr(CwWorkorder) old = NULL;
  gboolean applied = TRUE;
  g_autoptr(GError) error = NULL;
  gint64 first, second;

  start_and_wait_for_stream (fixture);
  first = change_mileage (fixture, order, 20000);
  WAIT_UNTIL (fixture->last_applied == first);
  old = load (fixture, order);
  second = change_mileage (fixture, order, 21000);
  WAIT_UNTIL (fixture->last_applied == second);

  /* Change 1 again, or change 2 again: the cursor is past them, nothing moves back. */
  cw_workorder_set_field (old, CW_WORKORDER_CONNECTION_ID, WINCAR);
  g_assert_true (cw_store_apply_event (fixture->store, WINCAR, first, old, CW_IMPORT_FLAGS_NONE,
                                       &applied, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (applied);
  applied = TRUE;
  g_assert_true (cw_store_apply_event (fixture->store, WINCAR, second, old, CW_IMPORT_FLAGS_NONE,
                                       &applied, NULL, &error));
  g_assert_false (applied);

  stored = load (fixture, order);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored), ==, 21000);
  g_assert_cmpint (cw_workorder_get_revision (stored), ==, 2);
  g_assert_cmpint (cursor (fixture), ==, second);
}

static void
test_lost_changes_fetch_what_is_held (Fixture       *fixture,
                                      gconstpointer  data)
{
  CwSimOrder *a = wincar_order (fixture, 0);
  CwSimOrder *b = wincar_order (fixture, 1);
  CwSimOrder *c = wincar_order (fixture, 2);
  g_autoptr(CwWorkorder) stored = NULL;
  g_autofree char *a_path = g_strconcat (ORDERS_PATH "/", key_of (a), NULL);
  gint64 seq;

  cw_sim_wincar_set_retention (fixture->sim, 2);
  start_and_wait_for_stream (fixture);
  seq = change_mileage (fixture, a, 30000);
  WAIT_UNTIL (fixture->last_applied == seq);
  cw_event_listener_stop (fixture->listener);
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 0);

  /* Four changes while away; Wincar keeps the last two. */
  change_mileage (fixture, b, 40000);
  change_mileage (fixture, a, 31000);
  change_mileage (fixture, c, 50000);
  seq = change_mileage (fixture, c, 50001);
  cw_sim_server_reset_counts (fixture->sim);

  /* The listener hears of the gap, fetches what the store holds (only a), then follows
   * Wincar from its current number. */
  start_and_wait_for_stream (fixture);
  g_assert_cmpint (cursor (fixture), ==, seq);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, a_path), ==, 1);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, ORDERS_PATH), ==, 1);
  stored = load (fixture, a);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored), ==, 31000);
  g_assert_cmpint (stored_id (fixture, b), ==, 0);

  seq = change_mileage (fixture, c, 50002);
  WAIT_UNTIL (fixture->last_applied == seq);
  g_clear_object (&stored);
  stored = load (fixture, c);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored), ==, 50002);
}

static void
test_broken_change_is_recorded (Fixture       *fixture,
                                gconstpointer  data)
{
  CwSimOrder *order = wincar_order (fixture, 0);
  g_autofree char *json = NULL;
  g_autofree char *broken = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(CwWorkorder) stored = NULL;
  CwTimelineEvent *last;
  gint64 seq;

  start_and_wait_for_stream (fixture);
  seq = change_mileage (fixture, order, 60000);
  WAIT_UNTIL (fixture->last_applied == seq);

  json = cw_sim_wincar_dup_workorder_json (fixture->sim, order);
  parts = g_strsplit (json, "\"mileage\":", 2);
  broken = g_strconcat (parts[0], "\"mileage\":-1,\"was\":", parts[1], NULL);
  seq = cw_sim_wincar_emit_change (fixture->sim, broken);

  /* The cursor moves past it; the workorder keeps its data, and its timeline says why. */
  WAIT_UNTIL (cursor (fixture) == seq);
  WAIT_UNTIL (count_timeline (fixture, order, CW_EVENT_SYNC_FAILED) == 1);
  timeline = cw_store_list_events (fixture->store, stored_id (fixture, order), NULL);
  last = g_ptr_array_index (timeline, timeline->len - 1);
  g_assert_nonnull (strstr (cw_timeline_event_get_detail (last), "“mileage”"));
  stored = load (fixture, order);
  g_assert_cmpint (cw_workorder_get_dms_mileage (stored), ==, 60000);
  g_assert_cmpint (cw_workorder_get_revision (stored), ==, 1);
}

static void
test_follows_the_network (Fixture       *fixture,
                          gconstpointer  data)
{
  CwSimOrder *order = wincar_order (fixture, 0);
  gint64 seq;

  /* Offline: nothing is tried. */
  test_network_set_available (fixture->network, FALSE);
  cw_event_listener_start (fixture->listener);
  iterate_for (200);
  g_assert_cmpuint (cw_sim_server_count_requests (fixture->sim, "/"), ==, 0);
  g_assert_false (cw_event_listener_get_connected (fixture->listener));

  /* Back: the stream opens at once. */
  test_network_set_available (fixture->network, TRUE);
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 1);

  /* Gone while open: closed, and opened again when it is back, with what it missed. */
  test_network_set_available (fixture->network, FALSE);
  g_assert_false (cw_event_listener_get_connected (fixture->listener));
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 0);
  seq = change_mileage (fixture, order, 70000);
  iterate_for (100);
  g_assert_cmpint (cursor (fixture), ==, 0);

  test_network_set_available (fixture->network, TRUE);
  WAIT_UNTIL (cursor (fixture) == seq);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 2);
}

static void
test_follows_the_option (Fixture       *fixture,
                         gconstpointer  data)
{
  CwConnection *connection = cw_import_service_find_connection (fixture->service, WINCAR);

  /* The dealer did not want realtime changes. */
  g_object_set (connection, "events", FALSE, NULL);
  cw_event_listener_start (fixture->listener);
  iterate_for (200);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 0);

  g_object_set (connection, "events", TRUE, NULL);
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 1);
  g_assert_true (cw_event_listener_get_connected (fixture->listener));

  g_object_set (connection, "events", FALSE, NULL);
  g_assert_false (cw_event_listener_get_connected (fixture->listener));
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 0);
  iterate_for (100);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 1);
}

static void
test_stops_cleanly (Fixture       *fixture,
                    gconstpointer  data)
{
  CwSimOrder *order = wincar_order (fixture, 0);

  start_and_wait_for_stream (fixture);
  cw_event_listener_stop (fixture->listener);
  g_assert_false (cw_event_listener_is_started (fixture->listener));
  g_assert_false (cw_event_listener_get_connected (fixture->listener));
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 0);

  change_mileage (fixture, order, 80000);
  iterate_for (200);
  g_assert_cmpuint (fixture->n_applied, ==, 0);
  g_assert_cmpuint (fixture->n_ended, ==, 0);
  g_assert_cmpint (cursor (fixture), ==, 0);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 1);
}

static void
test_refused_login_backs_off (Fixture       *fixture,
                              gconstpointer  data)
{
  CwConnection *connection = cw_import_service_find_connection (fixture->service, WINCAR);

  cw_test_store_credentials (connection, "username", CW_SIM_WINCAR_USERNAME,
                             "password", "wrong", NULL);
  cw_import_service_forget_connector (fixture->service, WINCAR);

  cw_event_listener_start (fixture->listener);
  WAIT_UNTIL (fixture->n_ended >= 3);
  g_assert_error (cw_event_listener_get_last_error (fixture->listener), CW_DMS_ERROR, CW_DMS_ERROR_LOGIN);
  g_assert_cmpuint (cw_event_listener_get_failures (fixture->listener), >=, 3);
  /* Doubling, with jitter between half and all of it, up to the cap. */
  g_assert_cmpuint (cw_event_listener_get_next_delay (fixture->listener), >=, 40);
  g_assert_cmpuint (cw_event_listener_get_next_delay (fixture->listener), <=, 200);
  g_assert_cmpuint (cw_sim_wincar_count_streams (fixture->sim), ==, 0);
}

static void
test_hub_follows_the_connections (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(CwConnection) autoflex = cw_connection_new (AUTOFLEX, "autoflex");
  g_autoptr(CwEventHub) hub = cw_event_hub_new (fixture->service, G_NETWORK_MONITOR (fixture->network));

  g_list_store_append (fixture->connections, autoflex);
  cw_event_hub_start (hub);
  g_assert_nonnull (cw_event_hub_get_listener (hub, WINCAR));
  g_assert_null (cw_event_hub_get_listener (hub, AUTOFLEX));
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 1);

  /* The connection removed in Preferences: its stream goes with it. */
  g_list_store_remove (fixture->connections, 0);
  g_assert_null (cw_event_hub_get_listener (hub, WINCAR));
  WAIT_UNTIL (cw_sim_wincar_count_live_streams (fixture->sim) == 0);

  cw_event_hub_stop (hub);
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
  ADD ("/events/change-arrives-without-poll", test_change_arrives_without_poll);
  ADD ("/events/dropped-stream-catches-up", test_dropped_stream_catches_up);
  ADD ("/events/repeat-changes-nothing", test_repeat_changes_nothing);
  ADD ("/events/lost-changes-fetch-what-is-held", test_lost_changes_fetch_what_is_held);
  ADD ("/events/broken-change-is-recorded", test_broken_change_is_recorded);
  ADD ("/events/follows-the-network", test_follows_the_network);
  ADD ("/events/follows-the-option", test_follows_the_option);
  ADD ("/events/stops-cleanly", test_stops_cleanly);
  ADD ("/events/refused-login-backs-off", test_refused_login_backs_off);
  ADD ("/events/hub-follows-the-connections", test_hub_follows_the_connections);
#undef ADD

  return g_test_run ();
}
