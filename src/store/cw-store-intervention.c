/* cw-store-intervention.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-store-intervention"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-core-enums.h"
#include "cw-store-private.h"
#include "cw-text.h"

/*
 * The SQL behind the interventions an advisor adds in the app. Only `local` lines change
 * here: the DMS's lines are the DMS's (an import replaces them as a whole and never touches
 * the others), and OCW lines belong to the OCW rules. A canceled or invoiced workorder
 * takes no change at all. Each change bumps the workorder's revision, so the list and the
 * page see it, and is recorded on the timeline with the line's title.
 */

/* Refuses a change to a workorder that no longer changes: canceled, or invoiced. Shared
 * with the other writes of the advisor's changes (the mileage, cw-store-outbox.c). */
gboolean
_cw_store_check_writable (CwDb    *db,
                          gint64   workorder_id,
                          GError **error)
{
  CwProcess process = CW_PROCESS_INIT;
  gboolean billed = FALSE;

  if (!_cw_store_read_process (db, workorder_id, &process, &billed, error))
    return FALSE;

  if (billed)
    {
      g_set_error_literal (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY,
                           _("This workorder is invoiced in the DMS and can no longer change."));
      return FALSE;
    }
  if (process.status == CW_STATUS_CANCELED)
    {
      g_set_error_literal (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY,
                           _("This workorder is canceled and can no longer change."));
      return FALSE;
    }

  return TRUE;
}

/* The title a line is stored with: trimmed, and never blank. */
static char *
dup_title (const char  *title,
           GError     **error)
{
  char *stripped = cw_text_dup_stripped (title);

  if (stripped == NULL)
    g_set_error_literal (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID,
                         _("An intervention needs a title: say what will be done."));

  return stripped;
}

/* A change of the workorder's own row: who changed it and when, and a new revision. */
static gboolean
touch_workorder (CwDb        *db,
                 gint64       workorder_id,
                 const char  *actor,
                 gint64       now,
                 GError     **error)
{
  static const char sql[] =
    "UPDATE workorder SET updated_at = :updated_at, updated_by = :updated_by,"
    " revision = revision + 1 WHERE id = :id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  _cw_bind_int64 (stmt, ":updated_at", now);
  _cw_bind_text (stmt, ":updated_by", actor);
  _cw_bind_int64 (stmt, ":id", workorder_id);

  return _cw_db_step_done (db, stmt, error);
}

static gboolean
record_line_event (CwDb         *db,
                   gint64        workorder_id,
                   CwEventKind   kind,
                   const char   *title,
                   const char   *actor,
                   gint64        now,
                   GError      **error)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (now);
  g_autoptr(CwTimelineEvent) event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                                                   "kind", kind,
                                                   "at", at,
                                                   "actor", actor,
                                                   "detail", title,
                                                   NULL);

  return _cw_store_insert_event (db, workorder_id, event, error);
}

typedef struct
{
  gint64                workorder_id;
  CwInterventionSource  source;
  char                 *title;
} StoredLine;

static void
stored_line_clear (StoredLine *line)
{
  g_clear_pointer (&line->title, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoredLine, stored_line_clear)

/* Reads the line @id and refuses it unless it is a local line of a writable workorder. */
static gboolean
read_local_line (CwDb        *db,
                 gint64       id,
                 StoredLine  *line,
                 GError     **error)
{
  static const char sql[] = "SELECT workorder_id, source, title FROM intervention WHERE id = :id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  _cw_bind_int64 (stmt, ":id", id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      line->workorder_id = sqlite3_column_int64 (stmt, 0);
      /* A source this version does not know is treated as one it may not change. */
      line->source = _cw_column_enum (stmt, 1, CW_TYPE_INTERVENTION_SOURCE, CW_INTERVENTION_SOURCE_DMS);
      line->title = g_strdup (_cw_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND,
                           _("This intervention is no longer on the workorder: it may have been removed at another desk."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _cw_db_set_error (db, rc, error);
      return FALSE;
    }

  if (line->source != CW_INTERVENTION_SOURCE_LOCAL)
    {
      g_autofree char *quoted = cw_text_quote (line->title != NULL ? line->title : "");

      if (line->source == CW_INTERVENTION_SOURCE_OCW)
        g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY,
                     _("The intervention “%s” was added for OCW and cannot be changed by hand."),
                     quoted);
      else
        g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY,
                     _("The intervention “%s” comes from the DMS and can only be changed there."),
                     quoted);
      return FALSE;
    }

  return _cw_store_check_writable (db, line->workorder_id, error);
}

/**
 * _cw_store_write_add_intervention:
 * @db: the writer, inside a transaction
 * @workorder_id: the workorder
 * @intervention: the line; its source must be %CW_INTERVENTION_SOURCE_LOCAL
 * @actor: (nullable): who added it
 * @now: the time of the change, Unix seconds
 * @id: (out): the new line's id
 * @error: return location for a #CwStoreError
 *
 * Appends a local line after every line the workorder has: the DMS's lines keep their
 * order (the page lists them first), and local lines follow in the order they were added.
 *
 * Returns: %TRUE if the line was added
 */
gboolean
_cw_store_write_add_intervention (CwDb            *db,
                                  gint64           workorder_id,
                                  CwIntervention  *intervention,
                                  const char      *actor,
                                  gint64           now,
                                  gint64          *id,
                                  GError         **error)
{
  static const char sql[] =
    "INSERT INTO intervention (workorder_id, position, source, element_kind, title,"
    " description, price_cents, currency, created_at)"
    " VALUES (:id, (SELECT coalesce (max (position) + 1, 0) FROM intervention"
    "  WHERE workorder_id = :id AND source <> 'dms'), 'local', :element_kind, :title,"
    " :description, :price_cents, :currency, :created_at)";
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  sqlite3_stmt *stmt;
  gint64 cents;

  if (cw_intervention_get_source (intervention) != CW_INTERVENTION_SOURCE_LOCAL)
    {
      g_set_error_literal (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID,
                           _("Only the advisor’s own interventions can be added in the app; the DMS’s lines come with an import."));
      return FALSE;
    }

  if (!(title = dup_title (cw_intervention_get_title (intervention), error)) ||
      !_cw_store_check_writable (db, workorder_id, error))
    return FALSE;

  description = cw_text_dup_stripped (cw_intervention_get_description (intervention));

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":id", workorder_id);
  _cw_bind_enum (stmt, ":element_kind", CW_TYPE_ELEMENT_KIND, cw_intervention_get_element_kind (intervention));
  _cw_bind_text (stmt, ":title", title);
  _cw_bind_text (stmt, ":description", description);
  if (cw_intervention_get_price (intervention, &cents))
    _cw_bind_int64 (stmt, ":price_cents", cents);
  else
    _cw_bind_null (stmt, ":price_cents");
  _cw_bind_text (stmt, ":currency", cw_intervention_get_currency (intervention));
  _cw_bind_int64 (stmt, ":created_at", now);

  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  *id = sqlite3_last_insert_rowid (_cw_db_get_handle (db));

  {
    /* The line as stored, for the DMS if the connection writes interventions back. */
    g_autoptr(CwIntervention) stored = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);

    cw_intervention_set_title (stored, title);
    cw_intervention_set_description (stored, description);
    cw_intervention_set_element_kind (stored, cw_intervention_get_element_kind (intervention));
    cw_intervention_set_currency (stored, cw_intervention_get_currency (intervention));
    if (cw_intervention_get_price (intervention, &cents))
      cw_intervention_set_price (stored, cents);

    if (!_cw_store_outbox_line_added (db, workorder_id, *id, stored, now, error))
      return FALSE;
  }

  return touch_workorder (db, workorder_id, actor, now, error) &&
         record_line_event (db, workorder_id, CW_EVENT_INTERVENTION_ADDED, title, actor, now, error);
}

/**
 * _cw_store_write_update_intervention:
 * @db: the writer, inside a transaction
 * @id: the line
 * @title: its new title; not blank
 * @description: (nullable): its new description
 * @price_cents: (nullable): its new price, %NULL for none
 * @actor: (nullable): who changed it
 * @now: the time of the change, Unix seconds
 * @error: return location for a #CwStoreError
 *
 * Rewrites a local line; DMS and OCW lines are refused with %CW_STORE_ERROR_READ_ONLY.
 *
 * Returns: %TRUE if the line was changed
 */
gboolean
_cw_store_write_update_intervention (CwDb          *db,
                                     gint64         id,
                                     const char    *title,
                                     const char    *description,
                                     const gint64  *price_cents,
                                     const char    *actor,
                                     gint64         now,
                                     GError       **error)
{
  static const char sql[] =
    "UPDATE intervention SET title = :title, description = :description,"
    " price_cents = :price_cents WHERE id = :id";
  g_auto(StoredLine) line = { 0 };
  g_autofree char *new_title = NULL;
  g_autofree char *new_description = NULL;
  sqlite3_stmt *stmt;

  if (!read_local_line (db, id, &line, error) ||
      !(new_title = dup_title (title, error)))
    return FALSE;

  new_description = cw_text_dup_stripped (description);

  {
    g_autoptr(CwIntervention) changed = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);

    cw_intervention_set_title (changed, new_title);
    cw_intervention_set_description (changed, new_description);
    if (price_cents != NULL)
      cw_intervention_set_price (changed, *price_cents);

    if (!_cw_store_outbox_line_changed (db, id, changed, line.title, error))
      return FALSE;
  }

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_text (stmt, ":title", new_title);
  _cw_bind_text (stmt, ":description", new_description);
  if (price_cents != NULL)
    _cw_bind_int64 (stmt, ":price_cents", *price_cents);
  else
    _cw_bind_null (stmt, ":price_cents");
  _cw_bind_int64 (stmt, ":id", id);

  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  return touch_workorder (db, line.workorder_id, actor, now, error) &&
         record_line_event (db, line.workorder_id, CW_EVENT_INTERVENTION_CHANGED, new_title, actor, now, error);
}

/**
 * _cw_store_write_remove_intervention:
 * @db: the writer, inside a transaction
 * @id: the line
 * @actor: (nullable): who removed it
 * @now: the time of the change, Unix seconds
 * @error: return location for a #CwStoreError
 *
 * Deletes a local line; DMS and OCW lines are refused with %CW_STORE_ERROR_READ_ONLY.
 *
 * Returns: %TRUE if the line was removed
 */
gboolean
_cw_store_write_remove_intervention (CwDb        *db,
                                     gint64       id,
                                     const char  *actor,
                                     gint64       now,
                                     GError     **error)
{
  static const char sql[] = "DELETE FROM intervention WHERE id = :id";
  g_auto(StoredLine) line = { 0 };
  sqlite3_stmt *stmt;

  if (!read_local_line (db, id, &line, error) ||
      !_cw_store_outbox_line_removed (db, id, line.title, error))
    return FALSE;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":id", id);

  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  return touch_workorder (db, line.workorder_id, actor, now, error) &&
         record_line_event (db, line.workorder_id, CW_EVENT_INTERVENTION_REMOVED, line.title, actor, now, error);
}
