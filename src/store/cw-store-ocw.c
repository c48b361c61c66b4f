/* cw-store-ocw.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-store-ocw"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-core-enums.h"
#include <string.h>

#include "cw-store-private.h"

/*
 * What PON said about the car of a workorder (DESIGN §4), stored in one transaction with
 * what follows from it: the state and mileage on the workorder, the OCW safety intervention
 * once (a UNIQUE index on the OCW line of a workorder makes "once" hold across desks and
 * runs), and a higher mileage into the outbox, each change for the DMS only when the
 * connection writes it back.
 */

static gboolean
has_ocw_line (CwDb      *db,
              gint64     workorder_id,
              gboolean  *has,
              GError   **error)
{
  static const char sql[] =
    "SELECT EXISTS (SELECT 1 FROM intervention WHERE workorder_id = :id AND source = 'ocw')";
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":id", workorder_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *has = sqlite3_column_int (stmt, 0) != 0;

  return _cw_db_end_rows (db, stmt, rc, error);
}

static gboolean
add_safety_line (CwDb     *db,
                 gint64    workorder_id,
                 gint64    now,
                 gboolean *added,
                 GError  **error)
{
  static const char sql[] =
    "INSERT OR IGNORE INTO intervention (workorder_id, position, source, element_kind, title,"
    " description, currency, created_at) VALUES (:id, (SELECT coalesce (max (position) + 1, 0)"
    " FROM intervention WHERE workorder_id = :id AND source <> 'dms'), 'ocw', 'note', :title,"
    " :description, 'EUR', :now)";
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_OCW);
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (now);
  g_autoptr(CwTimelineEvent) event = NULL;
  sqlite3_stmt *stmt;
  gint64 line_id;

  *added = FALSE;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;
  _cw_bind_int64 (stmt, ":id", workorder_id);
  _cw_bind_text (stmt, ":title", cw_ocw_safety_title ());
  _cw_bind_text (stmt, ":description", cw_ocw_safety_description ());
  _cw_bind_int64 (stmt, ":now", now);
  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cw_db_get_handle (db)) == 0)
    return TRUE;

  *added = TRUE;
  line_id = sqlite3_last_insert_rowid (_cw_db_get_handle (db));
  cw_intervention_set_title (line, cw_ocw_safety_title ());
  cw_intervention_set_description (line, cw_ocw_safety_description ());
  cw_intervention_set_element_kind (line, CW_ELEMENT_KIND_NOTE);

  event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                        "kind", CW_EVENT_INTERVENTION_ADDED,
                        "at", at,
                        "actor", "OCW",
                        "detail", cw_ocw_safety_title (),
                        NULL);

  return _cw_store_insert_event (db, workorder_id, event, error) &&
         _cw_store_outbox_line_added (db, workorder_id, line_id, line, now, error);
}

/**
 * _cw_store_write_ocw:
 * @db: the writer, inside a transaction
 * @workorder_id: the workorder
 * @status: what PON said about its car
 * @now: the time of the answer
 * @outcome: (out): what followed from it
 * @error: return location for a #CwStoreError
 *
 * Returns: %TRUE on success
 */
gboolean
_cw_store_write_ocw (CwDb               *db,
                     gint64              workorder_id,
                     const CwOcwStatus  *status,
                     gint64              now,
                     CwOcwOutcome       *outcome,
                     GError            **error)
{
  static const char dms_sql[] = "SELECT dms_mileage, mileage_at FROM workorder WHERE id = :id";
  static const char update_sql[] =
    "UPDATE workorder SET ocw_state = :state, ocw_checked_at = :now, ocw_mileage = :mileage,"
    " ocw_mileage_at = :mileage_at, ocw_portal_url = :portal, revision = revision + 1"
    " WHERE id = :id";
  static const char reading_sql[] =
    "UPDATE workorder SET mileage = :mileage, mileage_at = :mileage_at, mileage_source = 'ocw'"
    " WHERE id = :id";
  CwOcwState state = cw_ocw_state_from_status (status);
  CwProcess process = CW_PROCESS_INIT;
  gboolean billed = FALSE, has_line = FALSE;
  gint64 dms_mileage = -1, reading_at = -1;
  gint64 mileage_at = status->mileage_at != NULL ? g_date_time_to_unix (status->mileage_at) : now;
  sqlite3_stmt *stmt;
  int rc;

  memset (outcome, 0, sizeof *outcome);
  outcome->state = state;

  if (!_cw_store_read_process (db, workorder_id, &process, &billed, error))
    return FALSE;

  if (!(stmt = _cw_db_prepare (db, dms_sql, error)))
    return FALSE;
  _cw_bind_int64 (stmt, ":id", workorder_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        dms_mileage = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        reading_at = sqlite3_column_int64 (stmt, 1);
    }
  if (!_cw_db_end_rows (db, stmt, rc, error))
    return FALSE;

  if (!(stmt = _cw_db_prepare (db, update_sql, error)))
    return FALSE;
  _cw_bind_enum (stmt, ":state", CW_TYPE_OCW_STATE, state);
  _cw_bind_int64 (stmt, ":now", now);
  if (status->mileage_km >= 0)
    {
      _cw_bind_int64 (stmt, ":mileage", status->mileage_km);
      _cw_bind_int64 (stmt, ":mileage_at", mileage_at);
    }
  else
    {
      _cw_bind_null (stmt, ":mileage");
      _cw_bind_null (stmt, ":mileage_at");
    }
  _cw_bind_text (stmt, ":portal", status->portal_url);
  _cw_bind_int64 (stmt, ":id", workorder_id);
  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  /* A canceled or invoiced workorder keeps what PON said, and takes nothing more. */
  if (billed || process.status == CW_STATUS_CANCELED)
    return TRUE;

  if (!has_ocw_line (db, workorder_id, &has_line, error))
    return FALSE;
  if (cw_ocw_safety_intervention_due (state, has_line) &&
      !add_safety_line (db, workorder_id, now, &outcome->safety_added, error))
    return FALSE;

  if (status->mileage_km >= 0)
    {
      /* The car's own reading is the live mileage, unless the advisor's is newer. */
      if (reading_at <= mileage_at)
        {
          if (!(stmt = _cw_db_prepare (db, reading_sql, error)))
            return FALSE;
          _cw_bind_int64 (stmt, ":mileage", status->mileage_km);
          _cw_bind_int64 (stmt, ":mileage_at", mileage_at);
          _cw_bind_int64 (stmt, ":id", workorder_id);
          if (!_cw_db_step_done (db, stmt, error))
            return FALSE;
        }

      if (!_cw_store_outbox_queue_mileage (db, workorder_id, status->mileage_km, dms_mileage, now,
                                           &outcome->mileage_queued, error))
        return FALSE;
    }

  return TRUE;
}
