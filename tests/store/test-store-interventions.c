/* test-store-interventions.c
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
 * Interventions the advisor adds in the app, against a real SQLite file: added after the
 * DMS's lines, changed and removed with a timeline event and a new revision each, refused
 * for the DMS's and OCW's lines and on canceled or invoiced workorders, and kept through
 * every later import of the workorder.
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

static GDateTime *
today_at (int hour,
          int minute)
{
  GDate today;

  cw_test_date_today (&today);

  return cw_test_date_time_on (&today, hour, minute);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (8, 0);
  g_autoptr(CwWorkorder) workorder = cw_test_workorder_new ("4711", at);
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cw-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workshop.db", NULL);
  fixture->store = cw_store_open (fixture->path, &error);
  g_assert_no_error (error);

  /* "Kleine beurt" then "APK-keuring" from the DMS. */
  g_assert_true (cw_store_import_workorder (fixture->store, workorder, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  fixture->id = cw_workorder_get_id (workorder);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* A queued ::changed emission and a finished GTask's worker both hold a reference for a
   * moment after the test's last write. */
  for (guint tries = 0; G_OBJECT (fixture->store)->ref_count > 1 && tries < 2000; tries++)
    {
      spin_until_idle ();
      g_usleep (1000);
    }
  g_assert_finalize_object (fixture->store);
  g_unlink (fixture->path);
  for (const char *suffix = "-wal"; suffix != NULL; suffix = g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *side = g_strconcat (fixture->path, suffix, NULL);
      g_unlink (side);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static CwIntervention *
local_line (const char *title,
            const char *description,
            gint64      cents)
{
  CwIntervention *line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);

  cw_intervention_set_title (line, title);
  cw_intervention_set_description (line, description);
  if (cents >= 0)
    cw_intervention_set_price (line, cents);

  return line;
}

static CwWorkorder *
load (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CwWorkorder *workorder = cw_store_load_workorder (fixture->store, fixture->id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (workorder);

  return workorder;
}

static CwIntervention *
line_at (CwWorkorder *workorder,
         guint        position)
{
  GListModel *lines = cw_workorder_get_interventions (workorder);
  g_autoptr(CwIntervention) line = g_list_model_get_item (lines, position);

  g_assert_nonnull (line);

  /* The workorder keeps its own reference. */
  return line;
}

static char *
titles_of (CwWorkorder *workorder)
{
  GListModel *lines = cw_workorder_get_interventions (workorder);
  GString *titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      g_string_append_printf (titles, "%s%s:%s", i > 0 ? " | " : "",
                              cw_enum_to_nick (CW_TYPE_INTERVENTION_SOURCE, cw_intervention_get_source (line)),
                              cw_intervention_get_title (line));
    }

  return g_string_free (titles, FALSE);
}

static CwTimelineEvent *
last_event (Fixture   *fixture,
            GPtrArray **keep)
{
  g_autoptr(GError) error = NULL;

  *keep = cw_store_list_events (fixture->store, fixture->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((*keep)->len, >, 0);

  return g_ptr_array_index (*keep, (*keep)->len - 1);
}

static guint
count_events (Fixture *fixture)
{
  g_autoptr(GPtrArray) events = cw_store_list_events (fixture->store, fixture->id, NULL);

  return events->len;
}

/*
 * Add, change, remove
 */

static void
test_add_update_remove (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CwIntervention) wipers = local_line ("Ruitenwisserbladen", "Voor en achter", 3450);
  g_autoptr(CwIntervention) wash = local_line ("  Wasbeurt  ", NULL, -1);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *titles = NULL;
  g_autofree char *description = NULL;
  CwTimelineEvent *event;
  CwIntervention *line;
  gint64 wipers_id, wash_id, cents = 0, new_price = 2995;
  guint n_events = count_events (fixture);

  wipers_id = cw_store_add_intervention (fixture->store, fixture->id, wipers, "Sanne", &error);
  g_assert_no_error (error);
  g_assert_cmpint (wipers_id, >, 0);
  wash_id = cw_store_add_intervention (fixture->store, fixture->id, wash, "Daan", &error);
  g_assert_no_error (error);
  g_assert_cmpint (wash_id, >, wipers_id);

  /* After the DMS's lines, in the order added; trimmed; the revision moved twice. */
  loaded = load (fixture);
  titles = titles_of (loaded);
  g_assert_cmpstr (titles, ==, "dms:Kleine beurt | dms:APK-keuring | local:Ruitenwisserbladen | local:Wasbeurt");
  g_assert_cmpint (cw_workorder_get_revision (loaded), ==, 3);
  g_assert_cmpstr (cw_workorder_get_field (loaded, CW_WORKORDER_UPDATED_BY), ==, "Daan");
  line = line_at (loaded, 2);
  g_assert_cmpint (cw_intervention_get_id (line), ==, wipers_id);
  g_assert_true (cw_intervention_is_editable (line));
  g_assert_cmpstr (cw_intervention_get_description (line), ==, "Voor en achter");
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, 3450);
  g_assert_cmpstr (cw_intervention_get_currency (line), ==, "EUR");
  g_assert_false (cw_intervention_get_price (line_at (loaded, 3), NULL));

  event = last_event (fixture, &events);
  g_assert_cmpuint (events->len, ==, n_events + 2);
  g_assert_cmpint (cw_timeline_event_get_kind (event), ==, CW_EVENT_INTERVENTION_ADDED);
  g_assert_cmpstr (cw_timeline_event_get_detail (event), ==, "Wasbeurt");
  g_assert_cmpstr (cw_timeline_event_get_actor (event), ==, "Daan");
  description = cw_timeline_event_dup_description (event);
  g_assert_cmpstr (description, ==, "Intervention added: Wasbeurt");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&description, g_free);

  /* Change the first: new title and price, no description. */
  g_assert_true (cw_store_update_intervention (fixture->store, wipers_id, "Ruitenwisserbladen voor",
                                               "", &new_price, "Sanne", &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = load (fixture);
  line = line_at (loaded, 2);
  g_assert_cmpstr (cw_intervention_get_title (line), ==, "Ruitenwisserbladen voor");
  g_assert_null (cw_intervention_get_description (line));
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, 2995);
  g_assert_cmpint (cw_workorder_get_revision (loaded), ==, 4);
  event = last_event (fixture, &events);
  g_assert_cmpint (cw_timeline_event_get_kind (event), ==, CW_EVENT_INTERVENTION_CHANGED);
  g_assert_cmpstr (cw_timeline_event_get_detail (event), ==, "Ruitenwisserbladen voor");
  g_clear_pointer (&events, g_ptr_array_unref);

  /* No price is not a price of 0. */
  g_assert_true (cw_store_update_intervention (fixture->store, wipers_id, "Ruitenwisserbladen voor",
                                               "Alleen voor", NULL, "Sanne", &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = load (fixture);
  g_assert_false (cw_intervention_get_price (line_at (loaded, 2), NULL));
  g_assert_cmpstr (cw_intervention_get_description (line_at (loaded, 2)), ==, "Alleen voor");

  /* Remove the second; the timeline keeps its title. */
  g_assert_true (cw_store_remove_intervention (fixture->store, wash_id, "Lotte", &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  g_clear_pointer (&titles, g_free);
  loaded = load (fixture);
  titles = titles_of (loaded);
  g_assert_cmpstr (titles, ==, "dms:Kleine beurt | dms:APK-keuring | local:Ruitenwisserbladen voor");
  g_assert_cmpint (cw_workorder_get_revision (loaded), ==, 6);
  g_assert_cmpstr (cw_workorder_get_field (loaded, CW_WORKORDER_UPDATED_BY), ==, "Lotte");
  event = last_event (fixture, &events);
  g_assert_cmpuint (events->len, ==, n_events + 5);
  g_assert_cmpint (cw_timeline_event_get_kind (event), ==, CW_EVENT_INTERVENTION_REMOVED);
  g_assert_cmpstr (cw_timeline_event_get_detail (event), ==, "Wasbeurt");
  g_assert_cmpstr (cw_enum_to_nick (CW_TYPE_EVENT_KIND, cw_timeline_event_get_kind (event)), ==,
                   "intervention-removed");

  /* A line added after a removal still goes last. */
  {
    g_autoptr(CwIntervention) late = local_line ("Koffie", NULL, 0);
    g_autofree char *after = NULL;

    g_assert_cmpint (cw_store_add_intervention (fixture->store, fixture->id, late, NULL, &error), >, 0);
    g_assert_no_error (error);
    g_clear_object (&loaded);
    loaded = load (fixture);
    after = titles_of (loaded);
    g_assert_cmpstr (after, ==, "dms:Kleine beurt | dms:APK-keuring | local:Ruitenwisserbladen voor | local:Koffie");
    g_assert_true (cw_intervention_get_price (line_at (loaded, 3), &cents));
    g_assert_cmpint (cents, ==, 0);
  }
}

/*
 * What is refused
 */

static gint64
dms_line_id (Fixture *fixture)
{
  g_autoptr(CwWorkorder) loaded = load (fixture);
  CwIntervention *line = line_at (loaded, 0);

  g_assert_cmpint (cw_intervention_get_source (line), ==, CW_INTERVENTION_SOURCE_DMS);

  return cw_intervention_get_id (line);
}

static void
assert_unchanged (Fixture *fixture,
                  gint64   revision,
                  guint    n_events)
{
  g_autoptr(CwWorkorder) loaded = load (fixture);

  g_assert_cmpint (cw_workorder_get_revision (loaded), ==, revision);
  g_assert_cmpuint (count_events (fixture), ==, n_events);
}

static void
test_dms_lines_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CwWorkorder) before = load (fixture);
  g_autoptr(CwWorkorder) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 revision = cw_workorder_get_revision (before);
  guint n_events = count_events (fixture);
  gint64 dms_id = dms_line_id (fixture);
  gint64 price = 1;
  gint64 ocw_id;

  g_assert_false (cw_store_update_intervention (fixture->store, dms_id, "Grote beurt", NULL, &price, "Sanne", &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "“Kleine beurt” comes from the DMS"));
  g_clear_error (&error);

  g_assert_false (cw_store_remove_intervention (fixture->store, dms_id, "Sanne", &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* An OCW line (the app adds those, issue 6) is no more the advisor's to change. */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO intervention (workorder_id, position, source, title,"
                                            " created_at) VALUES (%" G_GINT64_FORMAT ", 0, 'ocw',"
                                            " 'OCW ontkoppelen', 0)", fixture->id);
    raw_exec (fixture->path, sql);
  }
  {
    g_autoptr(CwWorkorder) with_ocw = load (fixture);
    CwIntervention *ocw = line_at (with_ocw, 2);

    g_assert_cmpint (cw_intervention_get_source (ocw), ==, CW_INTERVENTION_SOURCE_OCW);
    ocw_id = cw_intervention_get_id (ocw);
  }
  g_assert_false (cw_store_update_intervention (fixture->store, ocw_id, "Iets anders", NULL, NULL, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "OCW"));
  g_clear_error (&error);
  g_assert_false (cw_store_remove_intervention (fixture->store, ocw_id, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* Nothing was written. */
  assert_unchanged (fixture, revision, n_events);
  after = load (fixture);
  g_assert_cmpstr (cw_intervention_get_title (line_at (after, 0)), ==, "Kleine beurt");
  g_assert_cmpuint (g_list_model_get_n_items (cw_workorder_get_interventions (after)), ==, 3);
}

static void
test_invalid_requests (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CwWorkorder) before = load (fixture);
  g_autoptr(CwIntervention) blank = local_line ("   ", "Zonder titel", 100);
  g_autoptr(CwIntervention) from_dms = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(CwIntervention) fine = local_line ("Wasbeurt", NULL, -1);
  g_autoptr(GError) error = NULL;
  gint64 revision = cw_workorder_get_revision (before);
  guint n_events = count_events (fixture);
  gint64 line_id;

  g_assert_cmpint (cw_store_add_intervention (fixture->store, fixture->id, blank, NULL, &error), ==, 0);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
  g_clear_error (&error);

  cw_intervention_set_title (from_dms, "Grote beurt");
  g_assert_cmpint (cw_store_add_intervention (fixture->store, fixture->id, from_dms, NULL, &error), ==, 0);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (cw_store_add_intervention (fixture->store, 9999, fine, NULL, &error), ==, 0);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (cw_store_update_intervention (fixture->store, 9999, "Wasbeurt", NULL, NULL, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_store_remove_intervention (fixture->store, 9999, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assert_unchanged (fixture, revision, n_events);

  /* A blank title is refused when changing too. */
  line_id = cw_store_add_intervention (fixture->store, fixture->id, fine, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cw_store_update_intervention (fixture->store, line_id, "", NULL, NULL, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID);
  assert_unchanged (fixture, revision + 1, n_events + 1);
}

static void
test_read_only_workorders (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (9, 0);
  g_autoptr(CwWorkorder) invoiced = cw_test_workorder_new ("4712", at);
  g_autoptr(CwIntervention) line = local_line ("Wasbeurt", NULL, -1);
  CwProcessChange cancel = { CW_PROCESS_CANCEL, 0, CW_CANCEL_REASON_NO_SHOW };
  g_autoptr(GError) error = NULL;
  gint64 line_id;

  /* A line added before the cancel can no longer change after it. */
  line_id = cw_store_add_intervention (fixture->store, fixture->id, line, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cw_store_change_process (fixture->store, fixture->id, &cancel, "Sanne", &error));
  g_assert_no_error (error);

  g_assert_cmpint (cw_store_add_intervention (fixture->store, fixture->id, line, NULL, &error), ==, 0);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "canceled"));
  g_clear_error (&error);
  g_assert_false (cw_store_update_intervention (fixture->store, line_id, "Poetsbeurt", NULL, NULL, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cw_store_remove_intervention (fixture->store, line_id, NULL, &error));
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  cw_workorder_set_flag (invoiced, CW_WORKORDER_BILLED, TRUE);
  g_assert_true (cw_store_import_workorder (fixture->store, invoiced, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cw_store_add_intervention (fixture->store, cw_workorder_get_id (invoiced), line, NULL, &error), ==, 0);
  g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "invoiced"));
}

/*
 * Imports keep the local lines
 */

static void
test_survives_reimport (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) at = today_at (8, 0);
  g_autoptr(CwWorkorder) same = cw_test_workorder_new ("4711", at);
  g_autoptr(CwWorkorder) changed = cw_test_workorder_new ("4711", at);
  g_autoptr(CwIntervention) wipers = local_line ("Ruitenwisserbladen", NULL, 3450);
  g_autoptr(CwIntervention) brakes = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(CwWorkorder) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *titles = NULL;
  CwImportOutcome outcome = CW_IMPORT_CREATED;
  gint64 wipers_id;

  wipers_id = cw_store_add_intervention (fixture->store, fixture->id, wipers, "Sanne", &error);
  g_assert_no_error (error);

  /* The DMS says the same again. */
  g_assert_true (cw_store_import_workorder (fixture->store, same, CW_IMPORT_RECORD_REFRESH, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CW_IMPORT_UNCHANGED);

  /* The DMS adds a line of its own in front: its lines are rewritten, ours stays, last. */
  cw_intervention_set_title (brakes, "Remblokken voor vervangen");
  cw_intervention_set_price (brakes, 23400);
  {
    GListModel *lines = cw_workorder_get_interventions (changed);
    g_autoptr(CwIntervention) a = g_list_model_get_item (lines, 0);
    g_autoptr(CwIntervention) b = g_list_model_get_item (lines, 1);

    cw_workorder_clear_interventions (changed);
    cw_workorder_append_intervention (changed, brakes);
    cw_workorder_append_intervention (changed, a);
    cw_workorder_append_intervention (changed, b);
  }
  g_assert_true (cw_store_import_workorder (fixture->store, changed, CW_IMPORT_FLAGS_NONE, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CW_IMPORT_UPDATED);

  loaded = load (fixture);
  titles = titles_of (loaded);
  g_assert_cmpstr (titles, ==,
                   "dms:Remblokken voor vervangen | dms:Kleine beurt | dms:APK-keuring | local:Ruitenwisserbladen");
  g_assert_cmpint (cw_intervention_get_id (line_at (loaded, 3)), ==, wipers_id);

  /* And the line can still be changed afterwards. */
  g_assert_true (cw_store_remove_intervention (fixture->store, wipers_id, "Sanne", &error));
  g_assert_no_error (error);
}

/*
 * The asynchronous variants
 */

typedef struct
{
  gboolean  done;
  gint64    id;
  gboolean  ok;
  GError   *error;
} Result;

static void
on_line_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Result *r = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  if (tag == cw_store_add_intervention_async)
    r->ok = (r->id = cw_store_add_intervention_finish (CW_STORE (source), result, &r->error)) != 0;
  else if (tag == cw_store_update_intervention_async)
    r->ok = cw_store_update_intervention_finish (CW_STORE (source), result, &r->error);
  else
    r->ok = cw_store_remove_intervention_finish (CW_STORE (source), result, &r->error);
  r->done = TRUE;
}

static void
wait_for (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  spin_until_idle ();
}

static void
on_changed (CwStore *store,
            guint   *count)
{
  (*count)++;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CwIntervention) line = local_line ("Wasbeurt", NULL, -1);
  g_autoptr(CwWorkorder) loaded = NULL;
  Result added = { 0 }, updated = { 0 }, refused = { 0 }, removed = { 0 };
  gint64 price = 1500;
  guint changed = 0;

  /* The set-up's import has its own ::changed queued. */
  spin_until_idle ();
  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed), &changed);

  cw_store_add_intervention_async (fixture->store, fixture->id, line, "Sanne", NULL, on_line_written, &added);
  /* The store wrote a copy: changing ours now changes nothing there. */
  cw_intervention_set_title (line, "Iets anders");
  wait_for (&added);
  g_assert_no_error (added.error);
  g_assert_true (added.ok);
  g_assert_cmpuint (changed, ==, 1);

  cw_store_update_intervention_async (fixture->store, added.id, "Wasbeurt binnen en buiten", NULL, &price,
                                      "Sanne", NULL, on_line_written, &updated);
  wait_for (&updated);
  g_assert_no_error (updated.error);
  g_assert_true (updated.ok);
  g_assert_cmpuint (changed, ==, 2);

  loaded = load (fixture);
  g_assert_cmpstr (cw_intervention_get_title (line_at (loaded, 2)), ==, "Wasbeurt binnen en buiten");

  cw_store_remove_intervention_async (fixture->store, dms_line_id (fixture), "Sanne", NULL, on_line_written, &refused);
  wait_for (&refused);
  g_assert_error (refused.error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY);
  g_assert_false (refused.ok);
  g_clear_error (&refused.error);
  g_assert_cmpuint (changed, ==, 2);

  cw_store_remove_intervention_async (fixture->store, added.id, "Sanne", NULL, on_line_written, &removed);
  wait_for (&removed);
  g_assert_no_error (removed.error);
  g_assert_true (removed.ok);
  g_assert_cmpuint (changed, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/interventions/add-update-remove", test_add_update_remove);
  ADD ("/store/interventions/dms-lines-refused", test_dms_lines_refused);
  ADD ("/store/interventions/invalid-requests", test_invalid_requests);
  ADD ("/store/interventions/read-only-workorders", test_read_only_workorders);
  ADD ("/store/interventions/survives-reimport", test_survives_reimport);
  ADD ("/store/interventions/async", test_async);
#undef ADD

  return g_test_run ();
}
