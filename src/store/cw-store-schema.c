/* cw-store-schema.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-store-schema"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-store-private.h"

/*
 * The schema, as a list of migrations keyed on PRAGMA user_version. Migration N brings a
 * database from version N-1 to N; each runs in its own transaction together with the
 * version bump, so a crash leaves the database at one version or the next, never between.
 * Never edit a migration that has shipped: add the next one. docs/store.md describes the
 * resulting schema for power users.
 */

static const char migration_1[] =
  "CREATE TABLE workorder ("
  "  id               INTEGER PRIMARY KEY,"
  "  connection_id    TEXT NOT NULL,"
  "  dms_key          TEXT NOT NULL,"
  "  dms_number       TEXT,"
  "  wo_number        TEXT,"
  "  appointment_at   INTEGER,"
  "  dms_created_at   INTEGER,"
  "  scheduled_in     INTEGER,"
  "  scheduled_out    INTEGER,"
  "  billed           INTEGER NOT NULL DEFAULT 0 CHECK (billed IN (0, 1)),"
  "  internal         INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),"
  "  customer_waiting INTEGER NOT NULL DEFAULT 0 CHECK (customer_waiting IN (0, 1)),"
  "  dms_canceled     INTEGER NOT NULL DEFAULT 0 CHECK (dms_canceled IN (0, 1)),"
  "  dms_notes        TEXT,"
  "  location         TEXT,"
  "  dms_mileage      INTEGER CHECK (dms_mileage IS NULL OR dms_mileage >= 0),"
  "  customer_name    TEXT,"
  "  status           TEXT NOT NULL DEFAULT 'new-entry',"
  "  resume_status    TEXT NOT NULL DEFAULT 'new-entry',"
  "  shop_state       TEXT NOT NULL DEFAULT 'not-arrived',"
  "  cancel_reason    TEXT NOT NULL DEFAULT 'none',"
  "  cancel_text      TEXT,"
  "  last_sync_at     INTEGER,"
  "  updated_at       INTEGER NOT NULL,"
  "  updated_by       TEXT,"
  "  revision         INTEGER NOT NULL DEFAULT 1,"
  "  UNIQUE (connection_id, dms_key)"
  ");"
  "CREATE INDEX workorder_by_appointment ON workorder (appointment_at);"

  "CREATE TABLE car ("
  "  workorder_id       INTEGER PRIMARY KEY REFERENCES workorder (id) ON DELETE CASCADE,"
  "  make               TEXT,"
  "  model              TEXT,"
  "  plate              TEXT,"
  "  vin                TEXT,"
  "  engine_number      TEXT,"
  "  notes              TEXT,"
  "  fuel               TEXT,"
  "  driver_id          TEXT,"
  "  owner_id           TEXT,"
  "  contractor_id      TEXT,"
  "  first_registration TEXT,"
  "  apk_date           TEXT,"
  "  warranty_start     TEXT,"
  "  warranty_end       TEXT"
  ");"

  "CREATE TABLE party ("
  "  workorder_id    INTEGER NOT NULL REFERENCES workorder (id) ON DELETE CASCADE,"
  "  role            TEXT NOT NULL CHECK (role IN ('driver', 'owner', 'contractor')),"
  "  dms_id          TEXT,"
  "  company         TEXT,"
  "  title           TEXT,"
  "  first_name      TEXT,"
  "  last_name       TEXT,"
  "  street          TEXT,"
  "  house_number    TEXT,"
  "  postcode        TEXT,"
  "  place           TEXT,"
  "  business_phone  TEXT,"
  "  business_email  TEXT,"
  "  business_mobile TEXT,"
  "  private_phone   TEXT,"
  "  private_email   TEXT,"
  "  private_mobile  TEXT,"
  "  lease_company   INTEGER NOT NULL DEFAULT 0 CHECK (lease_company IN (0, 1)),"
  "  PRIMARY KEY (workorder_id, role)"
  ") WITHOUT ROWID;"

  "CREATE TABLE intervention ("
  "  id           INTEGER PRIMARY KEY,"
  "  workorder_id INTEGER NOT NULL REFERENCES workorder (id) ON DELETE CASCADE,"
  "  position     INTEGER NOT NULL,"
  "  source       TEXT NOT NULL CHECK (source IN ('dms', 'ocw', 'local')),"
  "  element_kind TEXT NOT NULL DEFAULT 'unspecified',"
  "  dms_line_id  TEXT,"
  "  title        TEXT,"
  "  description  TEXT,"
  "  price_cents  INTEGER,"
  "  currency     TEXT NOT NULL DEFAULT 'EUR',"
  "  part_codes   TEXT,"
  "  created_at   INTEGER NOT NULL"
  ");"
  "CREATE INDEX intervention_by_workorder ON intervention (workorder_id, source, position);"

  "CREATE TABLE event ("
  "  id            INTEGER PRIMARY KEY,"
  "  workorder_id  INTEGER NOT NULL REFERENCES workorder (id) ON DELETE CASCADE,"
  "  at            INTEGER NOT NULL,"
  "  kind          TEXT NOT NULL,"
  "  actor         TEXT,"
  "  status_from   TEXT,"
  "  status_to     TEXT,"
  "  cancel_reason TEXT,"
  "  detail        TEXT"
  ");"
  "CREATE INDEX event_by_workorder ON event (workorder_id, at);"

  "CREATE TABLE outbox ("
  "  id              INTEGER PRIMARY KEY,"
  "  idem_key        TEXT NOT NULL UNIQUE,"
  "  workorder_id    INTEGER NOT NULL REFERENCES workorder (id) ON DELETE CASCADE,"
  "  connection_id   TEXT NOT NULL,"
  "  kind            TEXT NOT NULL,"
  "  payload         TEXT NOT NULL,"
  "  state           TEXT NOT NULL DEFAULT 'pending'"
  "                  CHECK (state IN ('pending', 'inflight', 'sent', 'failed', 'dismissed')),"
  "  attempts        INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER,"
  "  last_error      TEXT,"
  "  created_at      INTEGER NOT NULL,"
  "  sent_at         INTEGER"
  ");"
  "CREATE INDEX outbox_by_state ON outbox (state, workorder_id, id);"
  "CREATE INDEX outbox_by_workorder ON outbox (workorder_id, id);"

  "CREATE TABLE search_term ("
  "  kind           INTEGER NOT NULL,"
  "  term           TEXT NOT NULL,"
  "  workorder_id   INTEGER NOT NULL REFERENCES workorder (id) ON DELETE CASCADE,"
  "  appointment_at INTEGER,"
  "  PRIMARY KEY (kind, term, workorder_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX search_term_by_workorder ON search_term (workorder_id, kind, term);";

/* The digest of the DMS data last imported, to tell a changed order from the same one,
 * and the DMS's own in/out of shop state, to apply only its changes to the process. */
static const char migration_2[] =
  "ALTER TABLE workorder ADD COLUMN dms_digest TEXT;"
  "ALTER TABLE workorder ADD COLUMN dms_shop_state TEXT NOT NULL DEFAULT 'not-arrived';";

/* Writeback and events (issue 5): the advisor's own mileage reading beside the DMS's, the
 * local line an outbox entry carries, and per connection the last DMS change event
 * applied, so that a dropped event stream resumes after it. */
static const char migration_3[] =
  "ALTER TABLE workorder ADD COLUMN mileage INTEGER CHECK (mileage IS NULL OR mileage >= 0);"
  "ALTER TABLE workorder ADD COLUMN mileage_at INTEGER;"
  "ALTER TABLE workorder ADD COLUMN mileage_source TEXT;"
  "ALTER TABLE outbox ADD COLUMN intervention_id INTEGER"
  "  REFERENCES intervention (id) ON DELETE SET NULL;"
  "CREATE INDEX outbox_by_intervention ON outbox (intervention_id);"
  "CREATE TABLE event_cursor ("
  "  connection_id TEXT PRIMARY KEY,"
  "  seq           INTEGER NOT NULL CHECK (seq >= 0),"
  "  applied_at    INTEGER NOT NULL"
  ") WITHOUT ROWID;";

/* OCW (issue 6): what PON last said about the car of each workorder, and at most one
 * OCW safety intervention per workorder, however many desks or runs add it. */
static const char migration_4[] =
  "ALTER TABLE workorder ADD COLUMN ocw_state TEXT;"
  "ALTER TABLE workorder ADD COLUMN ocw_checked_at INTEGER;"
  "ALTER TABLE workorder ADD COLUMN ocw_mileage INTEGER CHECK (ocw_mileage IS NULL OR ocw_mileage >= 0);"
  "ALTER TABLE workorder ADD COLUMN ocw_mileage_at INTEGER;"
  "ALTER TABLE workorder ADD COLUMN ocw_portal_url TEXT;"
  "CREATE UNIQUE INDEX intervention_one_ocw ON intervention (workorder_id) WHERE source = 'ocw';";

static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CW_STORE_SCHEMA_VERSION);

/* PRAGMA user_version takes no bound parameters; one constant statement per version. */
static const char * const set_version_sql[] = {
  "PRAGMA user_version = 1",
  "PRAGMA user_version = 2",
  "PRAGMA user_version = 3",
  "PRAGMA user_version = 4",
};

G_STATIC_ASSERT (G_N_ELEMENTS (set_version_sql) == CW_STORE_SCHEMA_VERSION);

/**
 * _cw_store_migrate:
 * @db: the writer connection
 * @error: return location for a #CwStoreError
 *
 * Brings the database to %CW_STORE_SCHEMA_VERSION, one migration per transaction. A file
 * that is empty or new starts at version 0.
 *
 * Returns: %TRUE if the schema is current
 */
gboolean
_cw_store_migrate (CwDb    *db,
                   GError **error)
{
  static const char version_sql[] = "PRAGMA user_version";
  gint64 version;

  version = _cw_db_pragma_int (db, version_sql, error);
  if (version < 0)
    return FALSE;

  if (version > CW_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_TOO_NEW,
                   _("The workorder database was written by a newer version of Claire Workshop (schema %d; this version knows up to %d). Update the app to open it."),
                   (int) version, CW_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (gint64 next = version + 1; next <= CW_STORE_SCHEMA_VERSION; next++)
    {
      if (!_cw_db_begin (db, error))
        return FALSE;

      if (!_cw_db_exec_script (db, migrations[next - 1], error) ||
          !_cw_db_exec_script (db, set_version_sql[next - 1], error) ||
          !_cw_db_commit (db, error))
        {
          _cw_db_rollback (db);
          return FALSE;
        }

      g_debug ("Migrated the store to schema %d", (int) next);
    }

  return TRUE;
}
