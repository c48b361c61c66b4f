/* test-store-outbox.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cw-core-enums.h"
#include "cw-store.h"
#include "cw-test-fixtures.h"
#include "cw-util.h"

/*
 * The outbox, against a real SQLite file: a change is queued in the same transaction as
 * the local change only when the connection writes it back; a mileage only when higher
 * than the DMS's; entries move through their states; a line the DMS may have can no
 * longer change; a line written back and imported again is shown once; and an entry left
 * in flight by a kill goes back to pending with the same key.
 */

typedef struct
{
  char    *dir;
  char    *path;
  CwStore *store;
  gint64   id;
} Fixture;

static void
spin_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GDate today;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GError) error = NULL;

  cw_test_date_today (&today);
  at = cw_test_date_time_on (&today, 8, 0);
  workorder = cw_test_workorder_new ("4711", at);
  cw_workorder_set_dms_mileage (workorder, 80000);

  fixture->dir = g_dir_make_tmp ("cw-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workshop.db", NULL);
  fixture->store = cw_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (cw_store_import_workorder (fixture->store, workorder, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  fixture->id = cw_workorder_get_id (workorder);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint tries = 0; G_OBJECT (fixture->store)->ref_count > 1 && tries < 2000; tries++)
    {
      spin_until_idle ();
      g_usleep (1000);
    }
  g_assert_finalize_object (fixture->store);
  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffix, NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
add_line (Fixture    *fixture,
          const char *title)
{
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(GError) error = NULL;
  gint64 id;

  cw_intervention_set_title (line, title);
  cw_intervention_set_price (line, 2500);
  id = cw_store_add_intervention (fixture->store, fixture->id, line, "Advisor", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static GPtrArray *
list_outbox (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = cw_store_list_outbox (fixture->store, fixture->id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);

  return entries;
}

static void
set_policy (Fixture        *fixture,
            CwCapabilities  policy)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_store_set_writeback (fixture->store, CW_TEST_CONNECTION, policy, &error));
  g_assert_no_error (error);
}

static void
update (Fixture            *fixture,
        gint64              entry_id,
        CwOutboxTransition  transition,
        const char         *text)
{
  CwOutboxUpdate change = { transition, NULL, NULL, 0, TRUE };
  g_autoptr(GError) error = NULL;

  if (transition == CW_OUTBOX_MARK_SENT)
    change.dms_ref = text;
  else
    change.message = text;
  g_assert_true (cw_store_update_outbox (fixture->store, entry_id, &change, &error));
  g_assert_no_error (error);
}

static void
test_no_policy_no_entry (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gboolean queued = TRUE;

  /* Until the sync layer says so, and with writeback off, nothing is queued. */
  add_line (fixture, "Remtest");
  g_assert_true (cw_store_record_mileage (fixture->store, fixture->id, 90000, NULL, &queued, &error));
  g_assert_no_error (error);
  g_assert_false (queued);

  set_policy (fixture, CW_CAPABILITY_NONE);
  add_line (fixture, "Ruitenwissers");
  entries = list_outbox (fixture);
  g_assert_cmpuint (entries->len, ==, 0);
}

static void
test_line_queued_with_change (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) heads = NULL;
  g_autoptr(GError) error = NULL;
  CwOutboxEntry *entry;
  CwIntervention *line;
  gint64 cents = 0;

  set_policy (fixture, CW_CAPABILITY_WRITEBACK_INTERVENTIONS);
  add_line (fixture, "  Remtest  ");

  entries = list_outbox (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (cw_outbox_entry_get_kind (entry), ==, CW_OUTBOX_INTERVENTION);
  g_assert_cmpint (cw_outbox_entry_get_state (entry), ==, CW_OUTBOX_PENDING);
  g_assert_cmpuint (strlen (cw_outbox_entry_get_idem_key (entry)), ==, 36);
  g_assert_cmpstr (cw_outbox_entry_get_wo_number (entry), ==, "4711");
  g_assert_nonnull (cw_outbox_entry_get_dms_key (entry));
  line = cw_outbox_entry_get_intervention (entry);
  g_assert_cmpstr (cw_intervention_get_title (line), ==, "Remtest");
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, 2500);

  heads = cw_store_list_outbox_heads (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heads->len, ==, 1);

  /* Mileage writeback is not on for this connection. */
  g_assert_true (cw_store_record_mileage (fixture->store, fixture->id, 99000, NULL, NULL, &error));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
}

static void
test_mileage_only_higher (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) loaded = NULL;
  gboolean queued = TRUE;
  GDateTime *at = NULL;

  set_policy (fixture, CW_CAPABILITY_WRITEBACK_MILEAGE);

  /* Equal and lower: recorded in the app, never queued. */
  g_assert_true (cw_store_record_mileage (fixture->store, fixture->id, 80000, NULL, &queued, &error));
  g_assert_false (queued);
  g_assert_true (cw_store_record_mileage (fixture->store, fixture->id, 79000, NULL, &queued, &error));
  g_assert_false (queued);
  entries = list_outbox (fixture);
  g_assert_cmpuint (entries->len, ==, 0);

  loaded = cw_store_load_workorder (fixture->store, fixture->id, &error);
  g_assert_cmpint (cw_workorder_get_mileage (loaded, &at), ==, 79000);
  g_assert_nonnull (at);

  /* Higher: queued; a second reading before the first was tried replaces it. */
  g_assert_true (cw_store_record_mileage (fixture->store, fixture->id, 81000, NULL, &queued, &error));
  g_assert_true (queued);
  g_assert_true (cw_store_record_mileage (fixture->store, fixture->id, 81500, NULL, &queued, &error));
  g_assert_true (queued);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (cw_outbox_entry_get_mileage (g_ptr_array_index (entries, 0)), ==, 81500);
  g_assert_cmpint (cw_outbox_entry_get_dms_mileage (g_ptr_array_index (entries, 0)), ==, 80000);

  /* Impossible readings are refused and change nothing. */
  g_assert_false (cw_store_record_mileage (fixture->store, fixture->id, -1, NULL, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
}

static void
test_states_and_sent_line (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) heads = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) again = NULL;
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(CwIntervention) dms_copy = NULL;
  CwOutboxUpdate defer = { CW_OUTBOX_DEFER, "The DMS is busy", NULL, 0, TRUE };
  CwOutboxEntry *entry;
  gint64 line_id, entry_id;
  GDate today;
  g_autoptr(GDateTime) at = NULL;
  guint n_remtest = 0;
  GListModel *lines;

  set_policy (fixture, CW_CAPABILITY_WRITEBACK_INTERVENTIONS);
  line_id = add_line (fixture, "Remtest");
  entries = list_outbox (fixture);
  entry_id = cw_outbox_entry_get_id (g_ptr_array_index (entries, 0));

  /* Sent once in flight only. */
  update (fixture, entry_id, CW_OUTBOX_BEGIN, NULL);
  g_assert_false (cw_store_update_outbox (fixture->store, entry_id, &(CwOutboxUpdate) { CW_OUTBOX_BEGIN, NULL, NULL, 0, FALSE }, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* In flight: the line cannot change or go. */
  g_assert_false (cw_store_update_intervention (fixture->store, line_id, "Remtest voor", NULL, NULL, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* Deferred with a time and a message, then in flight again and sent. */
  defer.next_attempt_at = g_get_real_time () / G_USEC_PER_SEC + 60;
  g_assert_true (cw_store_update_outbox (fixture->store, entry_id, &defer, &error));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (cw_outbox_entry_get_state (entry), ==, CW_OUTBOX_PENDING);
  g_assert_cmpuint (cw_outbox_entry_get_attempts (entry), ==, 1);
  g_assert_cmpstr (cw_outbox_entry_get_last_error (entry), ==, "The DMS is busy");
  g_assert_nonnull (cw_outbox_entry_get_next_attempt_at (entry));

  update (fixture, entry_id, CW_OUTBOX_BEGIN, NULL);
  update (fixture, entry_id, CW_OUTBOX_MARK_SENT, "L-900");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (cw_outbox_entry_get_state (entry), ==, CW_OUTBOX_SENT);
  g_assert_nonnull (cw_outbox_entry_get_sent_at (entry));
  heads = cw_store_list_outbox_heads (fixture->store, &error);
  g_assert_cmpuint (heads->len, ==, 0);

  /* Sent: the line is the DMS's now, and the timeline says so. */
  g_assert_false (cw_store_remove_intervention (fixture->store, line_id, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  events = cw_store_list_events (fixture->store, fixture->id, &error);
  g_assert_cmpint (cw_timeline_event_get_kind (g_ptr_array_index (events, events->len - 1)), ==, CW_EVENT_WRITTEN_BACK);

  /* The DMS sends the line back with the id it gave: shown once. */
  cw_test_date_today (&today);
  at = cw_test_date_time_on (&today, 8, 0);
  again = cw_test_workorder_new ("4711", at);
  dms_copy = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  cw_intervention_set_title (dms_copy, "Remtest");
  cw_intervention_set_dms_line_id (dms_copy, "L-900");
  cw_workorder_append_intervention (again, dms_copy);
  g_assert_true (cw_store_import_workorder (fixture->store, again, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  loaded = cw_store_load_workorder (fixture->store, fixture->id, &error);
  lines = cw_workorder_get_interventions (loaded);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      n_remtest += g_str_equal (cw_intervention_get_title (line), "Remtest");
    }
  g_assert_cmpuint (n_remtest, ==, 1);
}

/* The DMS sent the written line back (Wincar's change event) before the answer to the
 * write was stored: once the answer is, the line is shown once. */
static void
test_line_back_before_answer (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) again = NULL;
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(CwIntervention) dms_copy = NULL;
  g_autoptr(GDateTime) at = NULL;
  GListModel *lines;
  gint64 entry_id;
  guint n_same = 0;
  GDate today;

  set_policy (fixture, CW_CAPABILITY_WRITEBACK_INTERVENTIONS);
  add_line (fixture, "Remtest");
  entries = list_outbox (fixture);
  entry_id = cw_outbox_entry_get_id (g_ptr_array_index (entries, 0));
  update (fixture, entry_id, CW_OUTBOX_BEGIN, NULL);

  cw_test_date_today (&today);
  at = cw_test_date_time_on (&today, 8, 0);
  again = cw_test_workorder_new ("4711", at);
  dms_copy = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  cw_intervention_set_title (dms_copy, "Remtest");
  cw_intervention_set_dms_line_id (dms_copy, "L-77");
  cw_workorder_append_intervention (again, dms_copy);
  g_assert_true (cw_store_import_workorder (fixture->store, again, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  update (fixture, entry_id, CW_OUTBOX_MARK_SENT, "L-77");

  loaded = cw_store_load_workorder (fixture->store, fixture->id, &error);
  lines = cw_workorder_get_interventions (loaded);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      if (g_str_equal (cw_intervention_get_title (line), "Remtest"))
        {
          n_same++;
          g_assert_cmpint (cw_intervention_get_source (line), ==, CW_INTERVENTION_SOURCE_LOCAL);
        }
    }
  g_assert_cmpuint (n_same, ==, 1);
}

static void
test_failed_retry_dismiss (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  CwOutboxEntry *entry;
  gint64 line_id, entry_id;
  g_autofree char *key = NULL;

  set_policy (fixture, CW_CAPABILITY_WRITEBACK_INTERVENTIONS);
  line_id = add_line (fixture, "Remtest");
  entries = list_outbox (fixture);
  entry_id = cw_outbox_entry_get_id (g_ptr_array_index (entries, 0));
  key = g_strdup (cw_outbox_entry_get_idem_key (g_ptr_array_index (entries, 0)));

  update (fixture, entry_id, CW_OUTBOX_BEGIN, NULL);
  update (fixture, entry_id, CW_OUTBOX_MARK_FAILED, "Regel bestaat al");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (cw_outbox_entry_get_state (entry), ==, CW_OUTBOX_FAILED);
  g_assert_cmpstr (cw_outbox_entry_get_last_error (entry), ==, "Regel bestaat al");

  /* A failed line may be corrected: the entry carries the new text, queued again. */
  g_assert_true (cw_store_update_intervention (fixture->store, line_id, "Remtest achter", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (cw_outbox_entry_get_state (entry), ==, CW_OUTBOX_PENDING);
  g_assert_cmpuint (cw_outbox_entry_get_attempts (entry), ==, 0);
  g_assert_cmpstr (cw_intervention_get_title (cw_outbox_entry_get_intervention (entry)), ==, "Remtest achter");
  g_assert_cmpstr (cw_outbox_entry_get_idem_key (entry), ==, key);

  /* Failed again; retried by the advisor: pending, same key. Dismissed: gone from the page. */
  update (fixture, entry_id, CW_OUTBOX_BEGIN, NULL);
  update (fixture, entry_id, CW_OUTBOX_MARK_FAILED, "Regel bestaat al");
  update (fixture, entry_id, CW_OUTBOX_RETRY, NULL);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  g_assert_cmpint (cw_outbox_entry_get_state (g_ptr_array_index (entries, 0)), ==, CW_OUTBOX_PENDING);
  update (fixture, entry_id, CW_OUTBOX_DISMISS, NULL);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  g_assert_cmpuint (entries->len, ==, 0);

  /* A dismissed line stays in the app and is free to change. */
  g_assert_true (cw_store_remove_intervention (fixture->store, line_id, NULL, &error));
  g_assert_no_error (error);
}

static void
test_removed_before_sent (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) heads = NULL;
  g_autoptr(GError) error = NULL;
  gint64 line_id;

  set_policy (fixture, CW_CAPABILITY_WRITEBACK_INTERVENTIONS);
  line_id = add_line (fixture, "Vergissing");
  g_assert_true (cw_store_remove_intervention (fixture->store, line_id, NULL, &error));
  g_assert_no_error (error);

  entries = list_outbox (fixture);
  g_assert_cmpuint (entries->len, ==, 0);
  heads = cw_store_list_outbox_heads (fixture->store, &error);
  g_assert_cmpuint (heads->len, ==, 0);
}

static void
test_order_and_recover (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) heads = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first, second;

  set_policy (fixture, CW_CAPABILITY_WRITEBACK_INTERVENTIONS | CW_CAPABILITY_WRITEBACK_MILEAGE);
  add_line (fixture, "Eerste");
  g_assert_true (cw_store_record_mileage (fixture->store, fixture->id, 95000, NULL, NULL, &error));
  entries = list_outbox (fixture);
  g_assert_cmpuint (entries->len, ==, 2);
  first = cw_outbox_entry_get_id (g_ptr_array_index (entries, 0));
  second = cw_outbox_entry_get_id (g_ptr_array_index (entries, 1));

  /* One head per workorder: the oldest. */
  heads = cw_store_list_outbox_heads (fixture->store, &error);
  g_assert_cmpuint (heads->len, ==, 1);
  g_assert_cmpint (cw_outbox_entry_get_id (g_ptr_array_index (heads, 0)), ==, first);

  /* Killed in flight: at the next start it is pending again, same key, not counted. */
  update (fixture, first, CW_OUTBOX_BEGIN, NULL);
  g_assert_true (cw_store_recover_outbox (fixture->store, &error));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list_outbox (fixture);
  g_assert_cmpint (cw_outbox_entry_get_state (g_ptr_array_index (entries, 0)), ==, CW_OUTBOX_PENDING);
  g_assert_cmpuint (cw_outbox_entry_get_attempts (g_ptr_array_index (entries, 0)), ==, 0);

  /* A failed head does not hold back the next. */
  update (fixture, first, CW_OUTBOX_MARK_FAILED, "Nee");
  g_clear_pointer (&heads, g_ptr_array_unref);
  heads = cw_store_list_outbox_heads (fixture->store, &error);
  g_assert_cmpuint (heads->len, ==, 1);
  g_assert_cmpint (cw_outbox_entry_get_id (g_ptr_array_index (heads, 0)), ==, second);
  g_assert_cmpint (cw_outbox_entry_get_mileage (g_ptr_array_index (heads, 0)), ==, 95000);
}

static void
test_event_cursor (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwWorkorder) changed = NULL;
  g_autoptr(CwWorkorder) loaded = NULL;
  gboolean applied = FALSE;
  GDate today;
  g_autoptr(GDateTime) at = NULL;

  g_assert_cmpint (cw_store_get_event_seq (fixture->store, CW_TEST_CONNECTION, &error), ==, 0);

  cw_test_date_today (&today);
  at = cw_test_date_time_on (&today, 8, 0);
  changed = cw_test_workorder_new ("4711", at);
  cw_workorder_set_dms_mileage (changed, 81234);
  g_assert_true (cw_store_apply_event (fixture->store, CW_TEST_CONNECTION, 7, changed,
                                       CW_IMPORT_FLAGS_NONE, &applied, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (applied);
  g_assert_cmpint (cw_store_get_event_seq (fixture->store, CW_TEST_CONNECTION, &error), ==, 7);

  /* A repeat, or an older change, is not applied again. */
  cw_workorder_set_dms_mileage (changed, 1);
  g_assert_true (cw_store_apply_event (fixture->store, CW_TEST_CONNECTION, 7, changed,
                                       CW_IMPORT_FLAGS_NONE, &applied, NULL, &error));
  g_assert_false (applied);
  g_assert_true (cw_store_apply_event (fixture->store, CW_TEST_CONNECTION, 3, changed,
                                       CW_IMPORT_FLAGS_NONE, &applied, NULL, &error));
  g_assert_false (applied);
  loaded = cw_store_load_workorder (fixture->store, fixture->id, &error);
  g_assert_cmpint (cw_workorder_get_dms_mileage (loaded), ==, 81234);
  g_assert_cmpint (cw_store_get_event_seq (fixture->store, CW_TEST_CONNECTION, &error), ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/outbox/no-policy-no-entry", test_no_policy_no_entry);
  ADD ("/outbox/line-queued-with-change", test_line_queued_with_change);
  ADD ("/outbox/mileage-only-higher", test_mileage_only_higher);
  ADD ("/outbox/states-and-sent-line", test_states_and_sent_line);
  ADD ("/outbox/line-back-before-answer", test_line_back_before_answer);
  ADD ("/outbox/failed-retry-dismiss", test_failed_retry_dismiss);
  ADD ("/outbox/removed-before-sent", test_removed_before_sent);
  ADD ("/outbox/order-and-recover", test_order_and_recover);
  ADD ("/outbox/event-cursor", test_event_cursor);

  return g_test_run ();
}
