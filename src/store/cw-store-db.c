/* cw-store-db.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-store-db"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-store-private.h"
#include "cw-util.h"

/*
 * One SQLite connection, set up as DESIGN §5 asks (WAL, synchronous=FULL, foreign keys,
 * a busy timeout), with its prepared statements cached, and SQLite's result codes turned
 * into CwStoreError messages an advisor can act on.
 */

struct _CwDb
{
  sqlite3    *handle;
  GHashTable *statements;
};

static const char * const connection_pragmas[] = {
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = FULL",
  "PRAGMA foreign_keys = ON",
  "PRAGMA temp_store = MEMORY",
};

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

void
_cw_db_set_error (CwDb    *db,
                  int      rc,
                  GError **error)
{
  const char *detail = db != NULL && db->handle != NULL ? sqlite3_errmsg (db->handle)
                                                        : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_DISK_FULL,
                   _("The disk is full, so the change could not be saved. Free some disk space and try again; everything saved before is kept."));
      break;

    case SQLITE_IOERR:
      if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE)
        g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_DISK_FULL,
                     _("The workorder database could not be written (%s). The disk may be full: free some space and try again; everything saved before is kept."),
                     detail);
      else
        g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_IO,
                     _("The workorder database could not be read or written (%s). Check the disk, then restart the app."),
                     detail);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_CORRUPT,
                   _("The workorder database is damaged or is not a workorder database (%s). Restore it from a backup, or move it aside so the app can start a new one."),
                   detail);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_BUSY,
                   _("The workorder database is in use by another program. Close other copies of Claire Workshop and try again."));
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_OPEN,
                   _("The workorder database cannot be opened for writing (%s). Check that the folder exists and that you may write to it."),
                   detail);
      break;

    default:
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_IO,
                   _("The workorder database reported an error (%s)."),
                   detail);
      break;
    }
}

static gboolean
exec_simple (CwDb        *db,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db->handle, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      do
        rc = sqlite3_step (stmt);
      while (rc == SQLITE_ROW);
    }

  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    {
      _cw_db_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  sqlite3_finalize (stmt);

  return TRUE;
}

/**
 * _cw_db_open:
 * @path: the database file
 * @read_only: open for reading only (the file must then exist)
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL with @error set
 */
CwDb *
_cw_db_open (const char  *path,
             gboolean     read_only,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  CwDb *db;
  int flags;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

  db = g_new0 (CwDb, 1);
  db->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);

  rc = sqlite3_open_v2 (path, &db->handle, flags, NULL);
  if (rc != SQLITE_OK)
    {
      _cw_db_set_error (db, rc, error);
      _cw_db_close (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db->handle, 1);
  sqlite3_busy_timeout (db->handle, 5000);

  for (guint i = 0; i < G_N_ELEMENTS (connection_pragmas); i++)
    {
      /* A read-only connection cannot switch the journal mode; the writer already did. */
      if (read_only && i == 0)
        continue;

      if (!exec_simple (db, connection_pragmas[i], &local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          _cw_db_close (db);
          return NULL;
        }
    }

  return db;
}

void
_cw_db_close (CwDb *db)
{
  if (db == NULL)
    return;

  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close (db->handle);
  g_free (db);
}

sqlite3 *
_cw_db_get_handle (CwDb *db)
{
  return db->handle;
}

/**
 * _cw_db_prepare:
 * @db: a connection
 * @sql: a string constant; its address is the cache key
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer none) (nullable): the statement, reset and with its bindings cleared
 */
sqlite3_stmt *
_cw_db_prepare (CwDb        *db,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (db->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cw_db_set_error (db, rc, error);
      return NULL;
    }

  g_hash_table_insert (db->statements, (gpointer) sql, stmt);

  return stmt;
}

/**
 * _cw_db_exec_script:
 * @db: a connection
 * @script: one or more constant SQL statements
 * @error: return location for a #CwStoreError
 *
 * Runs each statement of @script in turn, through prepared statements. Used for the
 * schema migrations, which are constant text.
 *
 * Returns: %TRUE on success
 */
gboolean
_cw_db_exec_script (CwDb        *db,
                    const char  *script,
                    GError     **error)
{
  const char *next = script;

  while (next != NULL && *next != '\0')
    {
      sqlite3_stmt *stmt = NULL;
      const char *tail = NULL;
      int rc;

      rc = sqlite3_prepare_v2 (db->handle, next, -1, &stmt, &tail);
      if (rc != SQLITE_OK)
        {
          _cw_db_set_error (db, rc, error);
          return FALSE;
        }

      /* Only white space or comments were left. */
      if (stmt == NULL)
        break;

      do
        rc = sqlite3_step (stmt);
      while (rc == SQLITE_ROW);

      sqlite3_finalize (stmt);

      if (rc != SQLITE_DONE)
        {
          _cw_db_set_error (db, rc, error);
          return FALSE;
        }

      next = tail;
    }

  return TRUE;
}

/**
 * _cw_db_step_done:
 * @db: a connection
 * @stmt: a statement that returns no rows
 * @error: return location for a #CwStoreError
 *
 * Returns: %TRUE if @stmt ran to completion
 */
gboolean
_cw_db_step_done (CwDb          *db,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cw_db_set_error (db, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);

  return TRUE;
}

/**
 * _cw_db_end_rows:
 * @db: a connection
 * @stmt: a statement whose rows were read with sqlite3_step()
 * @rc: what the last sqlite3_step() returned
 * @error: return location for a #CwStoreError
 *
 * Ends a read: resets @stmt and turns a last result other than the end of the rows (or a
 * row, when the caller stopped early) into an error.
 *
 * Returns: %TRUE if the rows were read without error
 */
gboolean
_cw_db_end_rows (CwDb          *db,
                 sqlite3_stmt  *stmt,
                 int            rc,
                 GError       **error)
{
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cw_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_cw_db_begin (CwDb    *db,
              GError **error)
{
  static const char sql[] = "BEGIN IMMEDIATE";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);

  return stmt != NULL && _cw_db_step_done (db, stmt, error);
}

gboolean
_cw_db_commit (CwDb    *db,
               GError **error)
{
  static const char sql[] = "COMMIT";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);

  return stmt != NULL && _cw_db_step_done (db, stmt, error);
}

/* Rolls back the open transaction, if any; a failed COMMIT may already have done so. */
void
_cw_db_rollback (CwDb *db)
{
  static const char sql[] = "ROLLBACK";
  sqlite3_stmt *stmt;

  if (sqlite3_get_autocommit (db->handle))
    return;

  stmt = _cw_db_prepare (db, sql, NULL);
  if (stmt != NULL)
    _cw_db_step_done (db, stmt, NULL);
}

/**
 * _cw_db_pragma_int:
 * @db: a connection
 * @pragma_sql: a constant PRAGMA query that returns one integer
 * @error: return location for a #CwStoreError
 *
 * Returns: the integer, or -1 with @error set
 */
gint64
_cw_db_pragma_int (CwDb        *db,
                   const char  *pragma_sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = _cw_db_prepare (db, pragma_sql, error);
  gint64 value;
  int rc;

  if (stmt == NULL)
    return -1;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cw_db_set_error (db, rc, error);
      sqlite3_reset (stmt);
      return -1;
    }

  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

static int
parameter_index (sqlite3_stmt *stmt,
                 const char   *name)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  /* A name missing from the statement is a programming error, never a runtime condition. */
  g_assert (index > 0);

  return index;
}

void
_cw_bind_text (sqlite3_stmt *stmt,
               const char   *name,
               const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, parameter_index (stmt, name));
  else
    sqlite3_bind_text (stmt, parameter_index (stmt, name), value, -1, SQLITE_TRANSIENT);
}

void
_cw_bind_int64 (sqlite3_stmt *stmt,
                const char   *name,
                gint64        value)
{
  sqlite3_bind_int64 (stmt, parameter_index (stmt, name), value);
}

void
_cw_bind_bool (sqlite3_stmt *stmt,
               const char   *name,
               gboolean      value)
{
  sqlite3_bind_int (stmt, parameter_index (stmt, name), value ? 1 : 0);
}

void
_cw_bind_null (sqlite3_stmt *stmt,
               const char   *name)
{
  sqlite3_bind_null (stmt, parameter_index (stmt, name));
}

/* Moments are stored as Unix seconds (UTC); see docs/store.md. */
void
_cw_bind_time (sqlite3_stmt *stmt,
               const char   *name,
               GDateTime    *value)
{
  if (value == NULL)
    _cw_bind_null (stmt, name);
  else
    _cw_bind_int64 (stmt, name, g_date_time_to_unix (value));
}

/* Calendar dates are stored as 'YYYY-MM-DD' text. */
void
_cw_bind_date (sqlite3_stmt *stmt,
               const char   *name,
               const GDate  *value)
{
  g_autofree char *iso = cw_date_to_iso (value);

  _cw_bind_text (stmt, name, iso);
}

void
_cw_bind_enum (sqlite3_stmt *stmt,
               const char   *name,
               GType         enum_type,
               int           value)
{
  _cw_bind_text (stmt, name, cw_enum_to_nick (enum_type, value));
}

const char *
_cw_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/**
 * _cw_column_time:
 *
 * Returns: (transfer full) (nullable): the moment in the local time zone, or %NULL
 */
GDateTime *
_cw_column_time (sqlite3_stmt *stmt,
                 int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, column));
}

GDate *
_cw_column_date (sqlite3_stmt *stmt,
                 int           column)
{
  return cw_date_from_iso (_cw_column_text (stmt, column));
}

/* A nick this version does not know (written by a newer app) reads as @fallback. */
int
_cw_column_enum (sqlite3_stmt *stmt,
                 int           column,
                 GType         enum_type,
                 int           fallback)
{
  int value;

  if (!cw_enum_from_nick (enum_type, _cw_column_text (stmt, column), &value))
    return fallback;

  return value;
}
