/* cw-store-outbox.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-store-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-core-enums.h"
#include "cw-store-private.h"
#include "cw-text.h"
#include "cw-writeback.h"

/*
 * The outbox (DESIGN §5): the SQL behind changes that must reach the DMS. An entry is
 * written in the same transaction as the local change it carries, with an idempotency key
 * made once; the drainer (src/sync/cw-outbox-drainer.c) moves it through its states.
 *
 * Which changes go to the outbox is the connection's writeback policy: the sync layer
 * tells the store (cw_store_set_writeback()), and the store keeps it in a TEMP table of
 * the writer's connection, so that the check runs inside the write's own transaction.
 *
 * A local line whose entry has been attempted (the DMS may have it) no longer changes in
 * the app: an edit could not be sent under the same key. A line whose entry has not been
 * attempted, or failed, can still be edited (the entry is rewritten) or removed (the entry
 * is dismissed).
 */

static const char policy_table_sql[] =
  "CREATE TEMP TABLE IF NOT EXISTS writeback_policy ("
  "  connection_id TEXT PRIMARY KEY,"
  "  capabilities  INTEGER NOT NULL"
  ")";

/* The policy of the workorder's connection; none when the connection has not told it. */
static gboolean
read_policy (CwDb            *db,
             gint64           workorder_id,
             CwCapabilities  *policy,
             char           **connection_id,
             GError         **error)
{
  static const char sql[] =
    "SELECT w.connection_id, p.capabilities FROM workorder w"
    " LEFT JOIN temp.writeback_policy p ON p.connection_id = w.connection_id"
    " WHERE w.id = :id";
  sqlite3_stmt *stmt;
  int rc;

  *policy = CW_CAPABILITY_NONE;

  if (!_cw_db_exec_script (db, policy_table_sql, error) ||
      !(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":id", workorder_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (connection_id != NULL)
        *connection_id = g_strdup (_cw_column_text (stmt, 0));
      *policy = (CwCapabilities) sqlite3_column_int64 (stmt, 1);
      rc = sqlite3_step (stmt);
    }

  return _cw_db_end_rows (db, stmt, rc, error);
}

static char *
serialize_line (CwIntervention *intervention)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GVariant) payload = NULL;
  GEnumClass *kinds = g_type_class_ref (CW_TYPE_ELEMENT_KIND);
  GEnumValue *kind = g_enum_get_value (kinds, cw_intervention_get_element_kind (intervention));
  const char *description = cw_intervention_get_description (intervention);
  gint64 cents;

  g_variant_dict_insert (&dict, "title", "s", cw_intervention_get_title (intervention));
  if (description != NULL)
    g_variant_dict_insert (&dict, "description", "s", description);
  if (cw_intervention_get_price (intervention, &cents))
    g_variant_dict_insert (&dict, "price-cents", "x", cents);
  g_variant_dict_insert (&dict, "currency", "s", cw_intervention_get_currency (intervention));
  if (kind != NULL)
    g_variant_dict_insert (&dict, "element-kind", "s", kind->value_nick);
  g_type_class_unref (kinds);

  payload = g_variant_ref_sink (g_variant_dict_end (&dict));

  return g_variant_print (payload, TRUE);
}

static char *
serialize_mileage (gint64 mileage,
                   gint64 dms_mileage)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GVariant) payload = NULL;

  g_variant_dict_insert (&dict, "mileage", "x", mileage);
  if (dms_mileage >= 0)
    g_variant_dict_insert (&dict, "dms-mileage", "x", dms_mileage);
  payload = g_variant_ref_sink (g_variant_dict_end (&dict));

  return g_variant_print (payload, TRUE);
}

/* Reads a payload back into @entry; a payload this version cannot read is left empty
 * and the entry will fail with a message rather than send something half-read. */
static void
deserialize_payload (CwOutboxEntry *entry,
                     const char    *text)
{
  g_autoptr(GVariant) payload = NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL ||
      !(payload = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error)))
    {
      g_warning ("Outbox entry %" G_GINT64_FORMAT " has a payload this version cannot read: %s",
                 cw_outbox_entry_get_id (entry), error ? error->message : "none");
      return;
    }

  if (cw_outbox_entry_get_kind (entry) == CW_OUTBOX_MILEAGE)
    {
      gint64 km;

      if (g_variant_lookup (payload, "mileage", "x", &km))
        cw_outbox_entry_set_mileage (entry, km);
      if (g_variant_lookup (payload, "dms-mileage", "x", &km))
        cw_outbox_entry_set_dms_mileage (entry, km);
    }
  else
    {
      g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
      const char *value;
      gint64 cents;

      if (g_variant_lookup (payload, "title", "&s", &value))
        cw_intervention_set_title (line, value);
      if (g_variant_lookup (payload, "description", "&s", &value))
        cw_intervention_set_description (line, value);
      if (g_variant_lookup (payload, "price-cents", "x", &cents))
        cw_intervention_set_price (line, cents);
      if (g_variant_lookup (payload, "currency", "&s", &value))
        cw_intervention_set_currency (line, value);
      if (g_variant_lookup (payload, "element-kind", "&s", &value))
        {
          GEnumClass *kinds = g_type_class_ref (CW_TYPE_ELEMENT_KIND);
          GEnumValue *kind = g_enum_get_value_by_nick (kinds, value);

          if (kind != NULL)
            cw_intervention_set_element_kind (line, kind->value);
          g_type_class_unref (kinds);
        }

      cw_outbox_entry_set_intervention (entry, line);
    }
}

static gboolean
insert_entry (CwDb          *db,
              CwOutboxKind   kind,
              gint64         workorder_id,
              const char    *connection_id,
              gint64         intervention_id,
              const char    *payload,
              gint64         now,
              GError       **error)
{
  static const char sql[] =
    "INSERT INTO outbox (idem_key, workorder_id, connection_id, kind, payload, state,"
    " attempts, created_at, intervention_id) VALUES (:idem_key, :workorder_id,"
    " :connection_id, :kind, :payload, 'pending', 0, :created_at, :intervention_id)";
  g_autofree char *key = g_uuid_string_random ();
  sqlite3_stmt *stmt;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_text (stmt, ":idem_key", key);
  _cw_bind_int64 (stmt, ":workorder_id", workorder_id);
  _cw_bind_text (stmt, ":connection_id", connection_id);
  _cw_bind_enum (stmt, ":kind", CW_TYPE_OUTBOX_KIND, kind);
  _cw_bind_text (stmt, ":payload", payload);
  _cw_bind_int64 (stmt, ":created_at", now);
  if (intervention_id > 0)
    _cw_bind_int64 (stmt, ":intervention_id", intervention_id);
  else
    _cw_bind_null (stmt, ":intervention_id");

  return _cw_db_step_done (db, stmt, error);
}

/**
 * _cw_store_outbox_line_added:
 * @db: the writer, inside the transaction that added the line
 * @workorder_id: the workorder
 * @intervention_id: the new local line
 * @intervention: what it says
 * @now: the time of the change
 * @error: return location for a #CwStoreError
 *
 * Queues the new line for the DMS when the connection writes interventions back.
 *
 * Returns: %TRUE on success (queued or not)
 */
gboolean
_cw_store_outbox_line_added (CwDb            *db,
                             gint64           workorder_id,
                             gint64           intervention_id,
                             CwIntervention  *intervention,
                             gint64           now,
                             GError         **error)
{
  g_autofree char *connection_id = NULL;
  g_autofree char *payload = NULL;
  CwCapabilities policy;

  if (!read_policy (db, workorder_id, &policy, &connection_id, error))
    return FALSE;

  if (!cw_writeback_policy_allows (policy, CW_OUTBOX_INTERVENTION))
    return TRUE;

  payload = serialize_line (intervention);

  return insert_entry (db, CW_OUTBOX_INTERVENTION, workorder_id, connection_id,
                       intervention_id, payload, now, error);
}

typedef struct
{
  gint64         id;
  CwOutboxState  state;
  guint          attempts;
} LineEntry;

/* The live entry (not dismissed) that carries the line, if any. */
static gboolean
read_line_entry (CwDb       *db,
                 gint64      intervention_id,
                 LineEntry  *entry,
                 GError    **error)
{
  static const char sql[] =
    "SELECT id, state, attempts FROM outbox WHERE intervention_id = :intervention_id"
    " AND state <> 'dismissed' ORDER BY id DESC LIMIT 1";
  sqlite3_stmt *stmt;
  int rc;

  entry->id = 0;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":intervention_id", intervention_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->state = _cw_column_enum (stmt, 1, CW_TYPE_OUTBOX_STATE, CW_OUTBOX_SENT);
      entry->attempts = sqlite3_column_int (stmt, 2);
      rc = sqlite3_step (stmt);
    }

  return _cw_db_end_rows (db, stmt, rc, error);
}

/* Refuses a change of a line the DMS may already have. */
static gboolean
check_line_unsent (const LineEntry  *entry,
                   const char       *title,
                   GError          **error)
{
  g_autofree char *quoted = NULL;

  if (entry->id == 0 || entry->state == CW_OUTBOX_FAILED ||
      (entry->state == CW_OUTBOX_PENDING && entry->attempts == 0))
    return TRUE;

  quoted = cw_text_quote (title != NULL ? title : "");
  if (entry->state == CW_OUTBOX_SENT)
    g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY,
                 _("The intervention “%s” is in the DMS now: change it there, and refresh the workorder."),
                 quoted);
  else
    g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_READ_ONLY,
                 _("The intervention “%s” is being sent to the DMS and cannot change until the DMS has answered. Try again in a moment."),
                 quoted);

  return FALSE;
}

/**
 * _cw_store_outbox_line_changed:
 * @db: the writer, inside the transaction that changes the line
 * @intervention_id: the local line
 * @intervention: what it says now
 * @title: its title before the change, for messages
 * @error: return location for a #CwStoreError
 *
 * Keeps the line's entry in step with the line: refused once the DMS may have the line;
 * an entry not yet attempted carries the new text; a failed one is queued again with it.
 *
 * Returns: %TRUE if the line may change
 */
gboolean
_cw_store_outbox_line_changed (CwDb            *db,
                               gint64           intervention_id,
                               CwIntervention  *intervention,
                               const char      *title,
                               GError         **error)
{
  static const char sql[] =
    "UPDATE outbox SET payload = :payload, state = 'pending', attempts = 0,"
    " next_attempt_at = NULL, last_error = NULL WHERE id = :id";
  g_autofree char *payload = NULL;
  LineEntry entry;
  sqlite3_stmt *stmt;

  if (!read_line_entry (db, intervention_id, &entry, error) ||
      !check_line_unsent (&entry, title, error))
    return FALSE;

  if (entry.id == 0)
    return TRUE;

  payload = serialize_line (intervention);
  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;
  _cw_bind_text (stmt, ":payload", payload);
  _cw_bind_int64 (stmt, ":id", entry.id);

  return _cw_db_step_done (db, stmt, error);
}

/**
 * _cw_store_outbox_line_removed:
 * @db: the writer, inside the transaction that removes the line
 * @intervention_id: the local line
 * @title: its title, for messages
 * @error: return location for a #CwStoreError
 *
 * Dismisses the line's entry: refused once the DMS may have the line.
 *
 * Returns: %TRUE if the line may go
 */
gboolean
_cw_store_outbox_line_removed (CwDb        *db,
                               gint64       intervention_id,
                               const char  *title,
                               GError     **error)
{
  static const char sql[] = "UPDATE outbox SET state = 'dismissed' WHERE id = :id";
  LineEntry entry;
  sqlite3_stmt *stmt;

  if (!read_line_entry (db, intervention_id, &entry, error) ||
      !check_line_unsent (&entry, title, error))
    return FALSE;

  if (entry.id == 0)
    return TRUE;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;
  _cw_bind_int64 (stmt, ":id", entry.id);

  return _cw_db_step_done (db, stmt, error);
}

/**
 * _cw_store_write_mileage:
 * @db: the writer, inside a transaction
 * @workorder_id: the workorder
 * @km: the reading, km
 * @actor: (nullable): who read it
 * @now: the time of the reading
 * @queued: (out): whether it went to the outbox
 * @error: return location for a #CwStoreError
 *
 * Records a mileage reading on the workorder and the timeline, and queues it for the DMS
 * when the connection writes mileage back and it is higher than the DMS's. A reading not
 * yet attempted is replaced by the newer one rather than sent twice.
 *
 * Returns: %TRUE on success
 */
gboolean
_cw_store_write_mileage (CwDb        *db,
                         gint64       workorder_id,
                         gint64       km,
                         const char  *actor,
                         gint64       now,
                         gboolean    *queued,
                         GError     **error)
{
  static const char dms_sql[] = "SELECT dms_mileage FROM workorder WHERE id = :id";
  static const char update_sql[] =
    "UPDATE workorder SET mileage = :mileage, mileage_at = :now, mileage_source = 'advisor',"
    " updated_at = :now, updated_by = :actor, revision = revision + 1 WHERE id = :id";
  g_autofree char *km_text = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(CwTimelineEvent) event = NULL;
  gint64 dms_mileage = -1;
  sqlite3_stmt *stmt;
  int rc;

  *queued = FALSE;

  if (km < 0 || km > 9999999)
    {
      g_set_error_literal (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID,
                           _("A mileage is a whole number of kilometres, from 0 to 9,999,999."));
      return FALSE;
    }

  if (!_cw_store_check_writable (db, workorder_id, error))
    return FALSE;

  if (!(stmt = _cw_db_prepare (db, dms_sql, error)))
    return FALSE;
  _cw_bind_int64 (stmt, ":id", workorder_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    dms_mileage = sqlite3_column_int64 (stmt, 0);
  if (!_cw_db_end_rows (db, stmt, rc, error))
    return FALSE;

  if (!(stmt = _cw_db_prepare (db, update_sql, error)))
    return FALSE;
  _cw_bind_int64 (stmt, ":mileage", km);
  _cw_bind_int64 (stmt, ":now", now);
  _cw_bind_text (stmt, ":actor", actor);
  _cw_bind_int64 (stmt, ":id", workorder_id);
  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  /* The number only: the timeline writes it in the desk's language when it shows it. */
  km_text = g_strdup_printf ("%" G_GINT64_FORMAT, km);
  at = g_date_time_new_from_unix_local (now);
  event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                        "kind", CW_EVENT_MILEAGE_RECORDED,
                        "at", at,
                        "actor", actor,
                        "detail", km_text,
                        NULL);
  if (!_cw_store_insert_event (db, workorder_id, event, error))
    return FALSE;

  return _cw_store_outbox_queue_mileage (db, workorder_id, km, dms_mileage, now, queued, error);
}

/* The highest mileage already on its way to the DMS or there (pending, in flight, sent). */
static gboolean
read_highest_queued_mileage (CwDb     *db,
                             gint64    workorder_id,
                             gint64   *highest,
                             GError  **error)
{
  static const char sql[] =
    "SELECT payload FROM outbox WHERE workorder_id = :id AND kind = 'mileage'"
    " AND state IN ('pending', 'inflight', 'sent')";
  sqlite3_stmt *stmt;
  int rc;

  *highest = -1;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":id", workorder_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CwOutboxEntry) entry = cw_outbox_entry_new (CW_OUTBOX_MILEAGE, "-");

      deserialize_payload (entry, _cw_column_text (stmt, 0));
      *highest = MAX (*highest, cw_outbox_entry_get_mileage (entry));
    }

  return _cw_db_end_rows (db, stmt, rc, error);
}

/**
 * _cw_store_outbox_queue_mileage:
 * @db: the writer, inside the transaction of the reading
 * @workorder_id: the workorder
 * @km: the reading
 * @dms_mileage: the DMS's mileage, or -1
 * @now: the time
 * @queued: (out): whether the reading goes to the DMS
 * @error: return location for a #CwStoreError
 *
 * Queues a mileage reading for the DMS when the connection writes mileage back and it is
 * higher than the DMS's and than any reading already on its way or sent: the same
 * mileage is written back once. A queued reading not yet attempted is replaced by a
 * higher one rather than sent as well.
 *
 * Returns: %TRUE on success
 */
gboolean
_cw_store_outbox_queue_mileage (CwDb      *db,
                                gint64     workorder_id,
                                gint64     km,
                                gint64     dms_mileage,
                                gint64     now,
                                gboolean  *queued,
                                GError   **error)
{
  static const char replace_sql[] =
    "UPDATE outbox SET payload = :payload WHERE workorder_id = :id AND kind = 'mileage'"
    " AND state = 'pending' AND attempts = 0";
  g_autofree char *connection_id = NULL;
  g_autofree char *payload = NULL;
  CwCapabilities policy;
  gint64 highest;
  sqlite3_stmt *stmt;

  *queued = FALSE;

  if (!read_policy (db, workorder_id, &policy, &connection_id, error))
    return FALSE;

  if (!cw_writeback_mileage_is_due (km, dms_mileage, policy))
    return TRUE;

  if (!read_highest_queued_mileage (db, workorder_id, &highest, error))
    return FALSE;
  /* The advisor may correct a reading not yet sent (lower): that one is replaced below. */
  if (highest >= km)
    {
      g_autofree char *lower = serialize_mileage (km, dms_mileage);

      if (!(stmt = _cw_db_prepare (db, replace_sql, error)))
        return FALSE;
      _cw_bind_text (stmt, ":payload", lower);
      _cw_bind_int64 (stmt, ":id", workorder_id);
      if (!_cw_db_step_done (db, stmt, error))
        return FALSE;
      *queued = sqlite3_changes (_cw_db_get_handle (db)) > 0;
      return TRUE;
    }

  payload = serialize_mileage (km, dms_mileage);
  if (!(stmt = _cw_db_prepare (db, replace_sql, error)))
    return FALSE;
  _cw_bind_text (stmt, ":payload", payload);
  _cw_bind_int64 (stmt, ":id", workorder_id);
  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  *queued = TRUE;
  if (sqlite3_changes (_cw_db_get_handle (db)) > 0)
    return TRUE;

  return insert_entry (db, CW_OUTBOX_MILEAGE, workorder_id, connection_id, 0, payload, now, error);
}

/**
 * _cw_store_write_policy:
 * @db: the writer, inside a transaction
 * @connection_id: a connection
 * @policy: its writeback policy (cw_writeback_policy())
 * @error: return location for a #CwStoreError
 *
 * Returns: %TRUE on success
 */
gboolean
_cw_store_write_policy (CwDb            *db,
                        const char      *connection_id,
                        CwCapabilities   policy,
                        GError         **error)
{
  static const char sql[] =
    "INSERT INTO temp.writeback_policy (connection_id, capabilities) VALUES (:id, :caps)"
    " ON CONFLICT (connection_id) DO UPDATE SET capabilities = excluded.capabilities";
  sqlite3_stmt *stmt;

  if (!_cw_db_exec_script (db, policy_table_sql, error) ||
      !(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_text (stmt, ":id", connection_id);
  _cw_bind_int64 (stmt, ":caps", policy);

  return _cw_db_step_done (db, stmt, error);
}

#define ENTRY_SELECT \
  "SELECT o.id, o.idem_key, o.kind, o.workorder_id, o.connection_id, o.payload, o.state," \
  " o.attempts, o.last_error, o.created_at, o.sent_at, o.next_attempt_at, w.dms_key," \
  " w.wo_number, w.dms_mileage FROM outbox o JOIN workorder w ON w.id = o.workorder_id "

static CwOutboxEntry *
read_entry_row (sqlite3_stmt *stmt)
{
  CwOutboxKind kind = _cw_column_enum (stmt, 2, CW_TYPE_OUTBOX_KIND, CW_OUTBOX_INTERVENTION);
  g_autoptr(CwOutboxEntry) entry = cw_outbox_entry_new (kind, _cw_column_text (stmt, 1));
  g_autoptr(GDateTime) created_at = _cw_column_time (stmt, 9);
  g_autoptr(GDateTime) sent_at = _cw_column_time (stmt, 10);
  g_autoptr(GDateTime) next_attempt_at = _cw_column_time (stmt, 11);

  cw_outbox_entry_set_id (entry, sqlite3_column_int64 (stmt, 0));
  cw_outbox_entry_set_workorder_id (entry, sqlite3_column_int64 (stmt, 3));
  cw_outbox_entry_set_connection_id (entry, _cw_column_text (stmt, 4));
  deserialize_payload (entry, _cw_column_text (stmt, 5));
  cw_outbox_entry_set_state (entry, _cw_column_enum (stmt, 6, CW_TYPE_OUTBOX_STATE, CW_OUTBOX_FAILED));
  cw_outbox_entry_set_attempts (entry, sqlite3_column_int (stmt, 7));
  cw_outbox_entry_set_last_error (entry, _cw_column_text (stmt, 8));
  cw_outbox_entry_set_created_at (entry, created_at);
  cw_outbox_entry_set_sent_at (entry, sent_at);
  cw_outbox_entry_set_next_attempt_at (entry, next_attempt_at);
  cw_outbox_entry_set_dms_key (entry, _cw_column_text (stmt, 12));
  cw_outbox_entry_set_wo_number (entry, _cw_column_text (stmt, 13));
  if (cw_outbox_entry_get_dms_mileage (entry) < 0 && sqlite3_column_type (stmt, 14) != SQLITE_NULL)
    cw_outbox_entry_set_dms_mileage (entry, sqlite3_column_int64 (stmt, 14));

  return g_steal_pointer (&entry);
}

static GPtrArray *
read_entries (CwDb          *db,
              const char    *sql,
              gint64         param,
              GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return NULL;

  if (param > 0)
    _cw_bind_int64 (stmt, ":param", param);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry_row (stmt));

  if (!_cw_db_end_rows (db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&entries);
}

/**
 * _cw_store_read_outbox:
 * @db: a connection
 * @workorder_id: the workorder
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (element-type CwOutboxEntry): the workorder's entries, oldest
 *   first, without the dismissed ones
 */
GPtrArray *
_cw_store_read_outbox (CwDb     *db,
                       gint64    workorder_id,
                       GError  **error)
{
  static const char sql[] =
    ENTRY_SELECT "WHERE o.workorder_id = :param AND o.state <> 'dismissed' ORDER BY o.id";

  return read_entries (db, sql, workorder_id, error);
}

/**
 * _cw_store_read_outbox_heads:
 * @db: a connection
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (element-type CwOutboxEntry): per workorder, its oldest entry
 *   still to send (pending or inflight): entries of one workorder go in order, a failed
 *   one does not hold back the next
 */
GPtrArray *
_cw_store_read_outbox_heads (CwDb     *db,
                             GError  **error)
{
  static const char sql[] =
    ENTRY_SELECT "WHERE o.id IN (SELECT min (id) FROM outbox"
    " WHERE state IN ('pending', 'inflight') GROUP BY workorder_id) ORDER BY o.id";

  return read_entries (db, sql, 0, error);
}

/**
 * _cw_store_write_outbox_update:
 * @db: the writer, inside a transaction
 * @id: the entry
 * @update: what happened to it
 * @now: the time
 * @error: return location for a #CwStoreError
 *
 * Moves an entry to its next state. Marking it sent records the DMS's line id on the
 * local line (so that the line, imported back from the DMS, is not shown twice) and puts
 * it on the timeline; failing it puts it on the timeline too.
 *
 * Returns: %TRUE on success; %CW_STORE_ERROR_NOT_FOUND when the entry is not in a state
 *   the update applies to (dismissed meanwhile, say)
 */
gboolean
_cw_store_write_outbox_update (CwDb                  *db,
                               gint64                 id,
                               const CwOutboxUpdate  *update,
                               gint64                 now,
                               GError               **error)
{
  static const char begin_sql[] =
    "UPDATE outbox SET state = 'inflight' WHERE id = :id AND state = 'pending'";
  static const char sent_sql[] =
    "UPDATE outbox SET state = 'sent', sent_at = :now, last_error = NULL,"
    " attempts = attempts + 1, next_attempt_at = NULL WHERE id = :id AND state = 'inflight'";
  static const char defer_sql[] =
    "UPDATE outbox SET state = 'pending', attempts = attempts + :counts,"
    " next_attempt_at = :next, last_error = :message WHERE id = :id AND state = 'inflight'";
  static const char fail_sql[] =
    "UPDATE outbox SET state = 'failed', attempts = attempts + :counts, next_attempt_at = NULL,"
    " last_error = :message WHERE id = :id AND state IN ('inflight', 'pending')";
  static const char retry_sql[] =
    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = NULL, last_error = NULL"
    " WHERE id = :id AND state = 'failed'";
  static const char dismiss_sql[] =
    "UPDATE outbox SET state = 'dismissed', next_attempt_at = NULL"
    " WHERE id = :id AND state IN ('failed', 'pending')";
  static const char line_sql[] =
    "UPDATE intervention SET dms_line_id = :dms_ref WHERE id ="
    " (SELECT intervention_id FROM outbox WHERE id = :id)";
  /* The DMS may have sent the line back (a change event) before its answer was stored. */
  static const char twin_sql[] =
    "DELETE FROM intervention WHERE source = 'dms' AND dms_line_id = :dms_ref AND workorder_id ="
    " (SELECT workorder_id FROM outbox WHERE id = :id) AND EXISTS (SELECT 1 FROM outbox"
    "  WHERE id = :id AND intervention_id IS NOT NULL)";
  static const char touch_sql[] =
    "UPDATE workorder SET revision = revision + 1 WHERE id ="
    " (SELECT workorder_id FROM outbox WHERE id = :id)";
  const char *sql = NULL;
  sqlite3_stmt *stmt;

  switch (update->transition)
    {
    case CW_OUTBOX_BEGIN: sql = begin_sql; break;
    case CW_OUTBOX_MARK_SENT: sql = sent_sql; break;
    case CW_OUTBOX_DEFER: sql = defer_sql; break;
    case CW_OUTBOX_MARK_FAILED: sql = fail_sql; break;
    case CW_OUTBOX_RETRY: sql = retry_sql; break;
    case CW_OUTBOX_DISMISS: sql = dismiss_sql; break;
    default: g_return_val_if_reached (FALSE);
    }

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":id", id);
  if (update->transition == CW_OUTBOX_MARK_SENT)
    _cw_bind_int64 (stmt, ":now", now);
  if (update->transition == CW_OUTBOX_DEFER || update->transition == CW_OUTBOX_MARK_FAILED)
    {
      _cw_bind_text (stmt, ":message", update->message);
      _cw_bind_int64 (stmt, ":counts", update->counts_attempt ? 1 : 0);
    }
  if (update->transition == CW_OUTBOX_DEFER)
    _cw_bind_int64 (stmt, ":next", update->next_attempt_at);

  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cw_db_get_handle (db)) == 0)
    {
      g_set_error_literal (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND,
                           _("This change is no longer waiting to be sent to the DMS."));
      return FALSE;
    }

  if (update->transition == CW_OUTBOX_MARK_SENT && update->dms_ref != NULL)
    {
      if (!(stmt = _cw_db_prepare (db, line_sql, error)))
        return FALSE;
      _cw_bind_text (stmt, ":dms_ref", update->dms_ref);
      _cw_bind_int64 (stmt, ":id", id);
      if (!_cw_db_step_done (db, stmt, error))
        return FALSE;

      if (!(stmt = _cw_db_prepare (db, twin_sql, error)))
        return FALSE;
      _cw_bind_text (stmt, ":dms_ref", update->dms_ref);
      _cw_bind_int64 (stmt, ":id", id);
      if (!_cw_db_step_done (db, stmt, error))
        return FALSE;
    }

  /* The page shows the entries of the workorder: a new revision makes it look again. */
  if (!(stmt = _cw_db_prepare (db, touch_sql, error)))
    return FALSE;
  _cw_bind_int64 (stmt, ":id", id);
  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  if (update->transition == CW_OUTBOX_MARK_SENT || update->transition == CW_OUTBOX_MARK_FAILED)
    {
      static const char read_sql[] = ENTRY_SELECT "WHERE o.id = :param";
      g_autoptr(GPtrArray) entries = read_entries (db, read_sql, id, error);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (now);
      g_autoptr(CwTimelineEvent) event = NULL;
      g_autofree char *summary = NULL;
      CwOutboxEntry *entry;

      if (entries == NULL || entries->len == 0)
        return entries != NULL;

      entry = g_ptr_array_index (entries, 0);
      summary = cw_outbox_entry_dup_summary (entry);
      event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                            "kind", update->transition == CW_OUTBOX_MARK_SENT ? CW_EVENT_WRITTEN_BACK
                                                                               : CW_EVENT_WRITEBACK_FAILED,
                            "at", at,
                            "detail", summary,
                            NULL);
      if (!_cw_store_insert_event (db, cw_outbox_entry_get_workorder_id (entry), event, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * _cw_store_write_outbox_recover:
 * @db: the writer, inside a transaction
 * @error: return location for a #CwStoreError
 *
 * At start-up: an entry left in flight by a crash or a kill goes back to pending, to be
 * sent again with the same key (the DMS applies it once).
 *
 * Returns: %TRUE on success
 */
gboolean
_cw_store_write_outbox_recover (CwDb     *db,
                                GError  **error)
{
  static const char sql[] = "UPDATE outbox SET state = 'pending' WHERE state = 'inflight'";
  sqlite3_stmt *stmt;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  return _cw_db_step_done (db, stmt, error);
}
