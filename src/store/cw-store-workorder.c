/* cw-store-workorder.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-store-workorder"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "cw-core-enums.h"
#include "cw-store-private.h"
#include "cw-text.h"
#include "cw-util.h"

/*
 * The SQL behind the store's workorder API: writing a whole workorder, process changes
 * with their timeline events, and the reads behind the list, the search and the page.
 * Every function here runs on a connection the caller owns (and, for writes, inside a
 * transaction the caller opened).
 */

/* The search index: one row per term, by kind, in the order results are ranked. */
typedef enum
{
  TERM_WO_NUMBER,
  TERM_DMS_NUMBER,
  TERM_PLATE,
  TERM_NAME,
  N_TERM_KINDS
} TermKind;

/* Terms are prefixes people type; longer ones add nothing to the index. */
#define MAX_TERM_BYTES 64
/* At most this many words of a typed name take part in a search. */
#define MAX_NAME_TOKENS 4

/*
 * Writing
 */

static void
bind_dms_fields (sqlite3_stmt *stmt,
                 CwWorkorder  *workorder,
                 gint64        now)
{
  GDateTime *last_sync = cw_workorder_get_time (workorder, CW_WORKORDER_LAST_SYNC);
  g_autofree char *customer = cw_workorder_dup_customer_name (workorder);
  gint64 mileage = cw_workorder_get_dms_mileage (workorder);

  _cw_bind_text (stmt, ":dms_number", cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER));
  _cw_bind_text (stmt, ":wo_number", cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER));
  _cw_bind_time (stmt, ":appointment_at", cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT));
  _cw_bind_time (stmt, ":dms_created_at", cw_workorder_get_time (workorder, CW_WORKORDER_DMS_CREATED));
  _cw_bind_time (stmt, ":scheduled_in", cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_IN));
  _cw_bind_time (stmt, ":scheduled_out", cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_OUT));
  _cw_bind_bool (stmt, ":billed", cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));
  _cw_bind_bool (stmt, ":internal", cw_workorder_get_flag (workorder, CW_WORKORDER_INTERNAL));
  _cw_bind_bool (stmt, ":customer_waiting", cw_workorder_get_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING));
  _cw_bind_bool (stmt, ":dms_canceled", cw_workorder_get_flag (workorder, CW_WORKORDER_DMS_CANCELED));
  _cw_bind_text (stmt, ":dms_notes", cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NOTES));
  _cw_bind_text (stmt, ":location", cw_workorder_get_field (workorder, CW_WORKORDER_LOCATION));
  if (mileage == CW_MILEAGE_UNKNOWN)
    _cw_bind_null (stmt, ":dms_mileage");
  else
    _cw_bind_int64 (stmt, ":dms_mileage", mileage);
  _cw_bind_text (stmt, ":customer_name", customer);
  if (last_sync != NULL)
    _cw_bind_time (stmt, ":last_sync_at", last_sync);
  else
    _cw_bind_int64 (stmt, ":last_sync_at", now);
  _cw_bind_int64 (stmt, ":updated_at", now);
}

static gboolean
insert_workorder_row (CwDb             *db,
                      CwWorkorder      *workorder,
                      const CwProcess  *process,
                      const char       *identity,
                      const char       *digest,
                      gint64            now,
                      gint64           *id,
                      GError          **error)
{
  static const char sql[] =
    "INSERT INTO workorder (connection_id, dms_key, dms_number, wo_number, appointment_at,"
    " dms_created_at, scheduled_in, scheduled_out, billed, internal, customer_waiting,"
    " dms_canceled, dms_notes, location, dms_mileage, customer_name, status, resume_status,"
    " shop_state, cancel_reason, cancel_text, last_sync_at, updated_at, updated_by, dms_digest,"
    " dms_shop_state)"
    " VALUES (:connection_id, :dms_key, :dms_number, :wo_number, :appointment_at,"
    " :dms_created_at, :scheduled_in, :scheduled_out, :billed, :internal, :customer_waiting,"
    " :dms_canceled, :dms_notes, :location, :dms_mileage, :customer_name, :status,"
    " :resume_status, :shop_state, :cancel_reason, :cancel_text, :last_sync_at, :updated_at,"
    " :updated_by, :dms_digest, :dms_shop_state)";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  _cw_bind_text (stmt, ":connection_id", cw_workorder_get_field (workorder, CW_WORKORDER_CONNECTION_ID));
  _cw_bind_text (stmt, ":dms_key", identity);
  bind_dms_fields (stmt, workorder, now);
  _cw_bind_enum (stmt, ":status", CW_TYPE_STATUS, process->status);
  _cw_bind_enum (stmt, ":resume_status", CW_TYPE_STATUS, process->resume_status);
  _cw_bind_enum (stmt, ":shop_state", CW_TYPE_SHOP_STATE, process->shop);
  _cw_bind_enum (stmt, ":cancel_reason", CW_TYPE_CANCEL_REASON, process->cancel_reason);
  _cw_bind_enum (stmt, ":dms_shop_state", CW_TYPE_SHOP_STATE, cw_workorder_get_dms_shop_state (workorder));
  _cw_bind_text (stmt, ":cancel_text", cw_workorder_get_field (workorder, CW_WORKORDER_CANCEL_TEXT));
  _cw_bind_text (stmt, ":updated_by", cw_workorder_get_field (workorder, CW_WORKORDER_UPDATED_BY));
  _cw_bind_text (stmt, ":dms_digest", digest);

  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  *id = sqlite3_last_insert_rowid (_cw_db_get_handle (db));

  return TRUE;
}

/* An update from the DMS rewrites the DMS's fields and leaves the workshop process alone. */
static gboolean
update_workorder_row (CwDb         *db,
                      CwWorkorder  *workorder,
                      const char   *digest,
                      gint64        id,
                      gint64        now,
                      GError      **error)
{
  static const char sql[] =
    "UPDATE workorder SET dms_number = :dms_number, wo_number = :wo_number,"
    " appointment_at = :appointment_at, dms_created_at = :dms_created_at,"
    " scheduled_in = :scheduled_in, scheduled_out = :scheduled_out, billed = :billed,"
    " internal = :internal, customer_waiting = :customer_waiting,"
    " dms_canceled = :dms_canceled, dms_notes = :dms_notes, location = :location,"
    " dms_mileage = :dms_mileage, customer_name = :customer_name,"
    " last_sync_at = :last_sync_at, updated_at = :updated_at, dms_digest = :dms_digest,"
    " revision = revision + 1 WHERE id = :id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  bind_dms_fields (stmt, workorder, now);
  _cw_bind_text (stmt, ":dms_digest", digest);
  _cw_bind_int64 (stmt, ":id", id);

  return _cw_db_step_done (db, stmt, error);
}

static gboolean
write_car (CwDb     *db,
           gint64    id,
           CwCar    *car,
           GError  **error)
{
  static const char sql[] =
    "INSERT OR REPLACE INTO car (workorder_id, make, model, plate, vin, engine_number, notes,"
    " fuel, driver_id, owner_id, contractor_id, first_registration, apk_date, warranty_start,"
    " warranty_end) VALUES (:id, :make, :model, :plate, :vin, :engine_number, :notes, :fuel,"
    " :driver_id, :owner_id, :contractor_id, :first_registration, :apk_date, :warranty_start,"
    " :warranty_end)";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  _cw_bind_int64 (stmt, ":id", id);
  _cw_bind_text (stmt, ":make", cw_car_get_field (car, CW_CAR_MAKE));
  _cw_bind_text (stmt, ":model", cw_car_get_field (car, CW_CAR_MODEL));
  _cw_bind_text (stmt, ":plate", cw_car_get_field (car, CW_CAR_PLATE));
  _cw_bind_text (stmt, ":vin", cw_car_get_field (car, CW_CAR_VIN));
  _cw_bind_text (stmt, ":engine_number", cw_car_get_field (car, CW_CAR_ENGINE_NUMBER));
  _cw_bind_text (stmt, ":notes", cw_car_get_field (car, CW_CAR_NOTES));
  _cw_bind_text (stmt, ":fuel", cw_car_get_field (car, CW_CAR_FUEL));
  _cw_bind_text (stmt, ":driver_id", cw_car_get_field (car, CW_CAR_DRIVER_ID));
  _cw_bind_text (stmt, ":owner_id", cw_car_get_field (car, CW_CAR_OWNER_ID));
  _cw_bind_text (stmt, ":contractor_id", cw_car_get_field (car, CW_CAR_CONTRACTOR_ID));
  _cw_bind_date (stmt, ":first_registration", cw_car_get_date (car, CW_CAR_FIRST_REGISTRATION));
  _cw_bind_date (stmt, ":apk_date", cw_car_get_date (car, CW_CAR_APK_DATE));
  _cw_bind_date (stmt, ":warranty_start", cw_car_get_date (car, CW_CAR_WARRANTY_START));
  _cw_bind_date (stmt, ":warranty_end", cw_car_get_date (car, CW_CAR_WARRANTY_END));

  return _cw_db_step_done (db, stmt, error);
}

/* Parameter names of the party columns, in CwPartyField order. */
static const char * const party_params[CW_PARTY_N_FIELDS] = {
  [CW_PARTY_DMS_ID]          = ":dms_id",
  [CW_PARTY_COMPANY]         = ":company",
  [CW_PARTY_TITLE]           = ":title",
  [CW_PARTY_FIRST_NAME]      = ":first_name",
  [CW_PARTY_LAST_NAME]       = ":last_name",
  [CW_PARTY_STREET]          = ":street",
  [CW_PARTY_HOUSE_NUMBER]    = ":house_number",
  [CW_PARTY_POSTCODE]        = ":postcode",
  [CW_PARTY_PLACE]           = ":place",
  [CW_PARTY_BUSINESS_PHONE]  = ":business_phone",
  [CW_PARTY_BUSINESS_EMAIL]  = ":business_email",
  [CW_PARTY_BUSINESS_MOBILE] = ":business_mobile",
  [CW_PARTY_PRIVATE_PHONE]   = ":private_phone",
  [CW_PARTY_PRIVATE_EMAIL]   = ":private_email",
  [CW_PARTY_PRIVATE_MOBILE]  = ":private_mobile",
};

/* Runs @sql, a DELETE of the rows of workorder :id. */
static gboolean
delete_rows (CwDb        *db,
             const char  *sql,
             gint64       id,
             GError     **error)
{
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  _cw_bind_int64 (stmt, ":id", id);

  return _cw_db_step_done (db, stmt, error);
}

static gboolean
write_parties (CwDb         *db,
               gint64        id,
               CwWorkorder  *workorder,
               gboolean      fresh,
               GError      **error)
{
  static const char delete_sql[] = "DELETE FROM party WHERE workorder_id = :id";
  static const char insert_sql[] =
    "INSERT INTO party (workorder_id, role, dms_id, company, title, first_name, last_name,"
    " street, house_number, postcode, place, business_phone, business_email, business_mobile,"
    " private_phone, private_email, private_mobile, lease_company) VALUES (:id, :role, :dms_id,"
    " :company, :title, :first_name, :last_name, :street, :house_number, :postcode, :place,"
    " :business_phone, :business_email, :business_mobile, :private_phone, :private_email,"
    " :private_mobile, :lease_company)";
  sqlite3_stmt *stmt;

  if (!fresh && !delete_rows (db, delete_sql, id, error))
    return FALSE;

  for (guint role = 0; role < CW_PARTY_N_ROLES; role++)
    {
      CwParty *party = cw_workorder_get_party (workorder, role);

      if (party == NULL || cw_party_is_empty (party))
        continue;

      if (!(stmt = _cw_db_prepare (db, insert_sql, error)))
        return FALSE;

      _cw_bind_int64 (stmt, ":id", id);
      _cw_bind_enum (stmt, ":role", CW_TYPE_PARTY_ROLE, role);
      for (guint field = 0; field < CW_PARTY_N_FIELDS; field++)
        _cw_bind_text (stmt, party_params[field], cw_party_get_field (party, field));
      _cw_bind_bool (stmt, ":lease_company", cw_party_get_lease_company (party));

      if (!_cw_db_step_done (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static char *
join_part_codes (CwIntervention *intervention)
{
  const char * const *codes = cw_intervention_get_part_codes (intervention);

  return codes != NULL ? g_strjoinv ("\n", (GStrv) codes) : NULL;
}

/* The DMS's lines are replaced as a whole, in its order; lines added in the app stay. */
static gboolean
write_dms_interventions (CwDb         *db,
                         gint64        id,
                         CwWorkorder  *workorder,
                         gboolean      fresh,
                         gint64        now,
                         GError      **error)
{
  static const char delete_sql[] =
    "DELETE FROM intervention WHERE workorder_id = :id AND source = 'dms'";
  /* A new workorder has no lines of the app: the plain insert. */
  static const char fresh_sql[] =
    "INSERT INTO intervention (workorder_id, position, source, element_kind, dms_line_id,"
    " title, description, price_cents, currency, part_codes, created_at) VALUES (:id,"
    " :position, 'dms', :element_kind, :dms_line_id, :title, :description, :price_cents,"
    " :currency, :part_codes, :created_at)";
  /* A DMS line that a line of the app became, by writeback, is shown once: as the app's. */
  static const char insert_sql[] =
    "INSERT INTO intervention (workorder_id, position, source, element_kind, dms_line_id,"
    " title, description, price_cents, currency, part_codes, created_at) SELECT :id,"
    " :position, 'dms', :element_kind, :dms_line_id, :title, :description, :price_cents,"
    " :currency, :part_codes, :created_at WHERE :dms_line_id IS NULL OR NOT EXISTS"
    " (SELECT 1 FROM intervention WHERE workorder_id = :id AND source <> 'dms'"
    "  AND dms_line_id = :dms_line_id)";
  GListModel *interventions = cw_workorder_get_interventions (workorder);
  guint n_items = g_list_model_get_n_items (interventions);
  guint position = 0;
  sqlite3_stmt *stmt;

  if (!fresh && !delete_rows (db, delete_sql, id, error))
    return FALSE;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CwIntervention) intervention = g_list_model_get_item (interventions, i);
      g_autofree char *codes = NULL;
      gint64 cents;

      if (cw_intervention_get_source (intervention) != CW_INTERVENTION_SOURCE_DMS)
        continue;

      if (!(stmt = _cw_db_prepare (db, fresh ? fresh_sql : insert_sql, error)))
        return FALSE;

      codes = join_part_codes (intervention);

      _cw_bind_int64 (stmt, ":id", id);
      _cw_bind_int64 (stmt, ":position", position++);
      _cw_bind_enum (stmt, ":element_kind", CW_TYPE_ELEMENT_KIND,
                     cw_intervention_get_element_kind (intervention));
      _cw_bind_text (stmt, ":dms_line_id", cw_intervention_get_dms_line_id (intervention));
      _cw_bind_text (stmt, ":title", cw_intervention_get_title (intervention));
      _cw_bind_text (stmt, ":description", cw_intervention_get_description (intervention));
      if (cw_intervention_get_price (intervention, &cents))
        _cw_bind_int64 (stmt, ":price_cents", cents);
      else
        _cw_bind_null (stmt, ":price_cents");
      _cw_bind_text (stmt, ":currency", cw_intervention_get_currency (intervention));
      _cw_bind_text (stmt, ":part_codes", codes);
      _cw_bind_int64 (stmt, ":created_at", now);

      if (!_cw_db_step_done (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_term (CwDb        *db,
             gint64       id,
             TermKind     kind,
             const char  *term,
             GDateTime   *appointment,
             GError     **error)
{
  static const char sql[] =
    "INSERT OR IGNORE INTO search_term (kind, term, workorder_id, appointment_at)"
    " VALUES (:kind, :term, :id, :appointment_at)";
  g_autofree char *bounded = NULL;
  sqlite3_stmt *stmt;

  if (term == NULL || *term == '\0')
    return TRUE;

  if (strlen (term) > MAX_TERM_BYTES)
    {
      const char *end = term + MAX_TERM_BYTES;

      /* Cut at a character boundary. */
      while (end > term && (*end & 0xC0) == 0x80)
        end--;
      term = bounded = g_strndup (term, end - term);
    }

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":kind", kind);
  _cw_bind_text (stmt, ":term", term);
  _cw_bind_int64 (stmt, ":id", id);
  _cw_bind_time (stmt, ":appointment_at", appointment);

  return _cw_db_step_done (db, stmt, error);
}

static gboolean
insert_name_terms (CwDb        *db,
                   gint64       id,
                   const char  *name,
                   GDateTime   *appointment,
                   GError     **error)
{
  g_auto(GStrv) tokens = cw_text_tokens (name);

  for (guint i = 0; tokens[i] != NULL; i++)
    if (!insert_term (db, id, TERM_NAME, tokens[i], appointment, error))
      return FALSE;

  return TRUE;
}

static gboolean
write_search_terms (CwDb         *db,
                    gint64        id,
                    CwWorkorder  *workorder,
                    gboolean      fresh,
                    GError      **error)
{
  static const char delete_sql[] = "DELETE FROM search_term WHERE workorder_id = :id";
  static const CwPartyField name_fields[] = {
    CW_PARTY_COMPANY, CW_PARTY_FIRST_NAME, CW_PARTY_LAST_NAME,
  };
  GDateTime *appointment = cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT);
  g_autofree char *wo_number = cw_text_compact (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER));
  g_autofree char *dms_number = cw_text_compact (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER));
  g_autofree char *plate = cw_text_compact (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE));

  if (!fresh && !delete_rows (db, delete_sql, id, error))
    return FALSE;

  if (!insert_term (db, id, TERM_WO_NUMBER, wo_number, appointment, error) ||
      !insert_term (db, id, TERM_DMS_NUMBER, dms_number, appointment, error) ||
      !insert_term (db, id, TERM_PLATE, plate, appointment, error))
    return FALSE;

  for (guint role = 0; role < CW_PARTY_N_ROLES; role++)
    {
      CwParty *party = cw_workorder_get_party (workorder, role);

      for (guint i = 0; party != NULL && i < G_N_ELEMENTS (name_fields); i++)
        if (!insert_name_terms (db, id, cw_party_get_field (party, name_fields[i]), appointment, error))
          return FALSE;
    }

  return TRUE;
}

/**
 * _cw_store_read_process:
 * @db: a connection
 * @id: the workorder
 * @process: (out): its process state
 * @billed: (out): whether the DMS invoiced it
 * @error: return location for a #CwStoreError; %CW_STORE_ERROR_NOT_FOUND when it is gone
 *
 * Returns: %TRUE if the workorder was read
 */
gboolean
_cw_store_read_process (CwDb       *db,
                        gint64      id,
                        CwProcess  *process,
                        gboolean   *billed,
                        GError    **error)
{
  static const char sql[] =
    "SELECT status, resume_status, shop_state, cancel_reason, billed FROM workorder WHERE id = :id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  _cw_bind_int64 (stmt, ":id", id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      process->status = _cw_column_enum (stmt, 0, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY);
      process->resume_status = _cw_column_enum (stmt, 1, CW_TYPE_STATUS, process->status);
      process->shop = _cw_column_enum (stmt, 2, CW_TYPE_SHOP_STATE, CW_SHOP_NOT_ARRIVED);
      process->cancel_reason = _cw_column_enum (stmt, 3, CW_TYPE_CANCEL_REASON, CW_CANCEL_REASON_NONE);
      *billed = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND,
                   _("This workorder is no longer in the local store. Search for it to import it again."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _cw_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
record_process_events (CwDb             *db,
                       gint64            id,
                       const CwProcess  *before,
                       const CwProcess  *after,
                       const char       *cancel_text,
                       const char       *actor,
                       gint64            now,
                       GError          **error)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (now);

  if (before->status != after->status)
    {
      gboolean canceled = after->status == CW_STATUS_CANCELED;
      g_autoptr(CwTimelineEvent) event = NULL;

      event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                            "kind", canceled ? CW_EVENT_CANCELED : CW_EVENT_STATUS_CHANGED,
                            "at", at,
                            "actor", actor,
                            "status-from", before->status,
                            "status-to", after->status,
                            "cancel-reason", after->cancel_reason,
                            "detail", canceled ? cancel_text : NULL,
                            NULL);
      if (!_cw_store_insert_event (db, id, event, error))
        return FALSE;
    }

  if (before->shop != after->shop)
    {
      CwEventKind kind = after->shop == CW_SHOP_IN ? CW_EVENT_CAR_IN : CW_EVENT_CAR_OUT;
      g_autoptr(CwTimelineEvent) event = cw_timeline_event_new (kind, at, actor);

      if (!_cw_store_insert_event (db, id, event, error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  gint64       id;
  gint64       revision;
  char        *digest;
  CwStatus     status;
  CwShopState  dms_shop;
} StoredRow;

static void
stored_row_clear (StoredRow *row)
{
  g_clear_pointer (&row->digest, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoredRow, stored_row_clear)

/* What the store holds under an identity: row->id stays 0 when nothing. */
static gboolean
read_stored_row (CwDb        *db,
                 const char  *connection_id,
                 const char  *identity,
                 StoredRow   *row,
                 GError     **error)
{
  static const char sql[] =
    "SELECT id, revision, dms_digest, status, dms_shop_state FROM workorder"
    " WHERE connection_id = :connection_id AND dms_key = :dms_key";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  _cw_bind_text (stmt, ":connection_id", connection_id);
  _cw_bind_text (stmt, ":dms_key", identity);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->id = sqlite3_column_int64 (stmt, 0);
      row->revision = sqlite3_column_int64 (stmt, 1);
      row->digest = g_strdup (_cw_column_text (stmt, 2));
      row->status = _cw_column_enum (stmt, 3, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY);
      row->dms_shop = _cw_column_enum (stmt, 4, CW_TYPE_SHOP_STATE, CW_SHOP_NOT_ARRIVED);
    }

  return _cw_db_end_rows (db, stmt, rc, error);
}

static gboolean
touch_last_sync (CwDb    *db,
                 gint64   id,
                 gint64   now,
                 GError **error)
{
  static const char sql[] = "UPDATE workorder SET last_sync_at = :now WHERE id = :id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  _cw_bind_int64 (stmt, ":now", now);
  _cw_bind_int64 (stmt, ":id", id);

  return _cw_db_step_done (db, stmt, error);
}

static gboolean
record_event (CwDb         *db,
              gint64        id,
              CwEventKind   kind,
              gint64        now,
              GError      **error)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (now);
  g_autoptr(CwTimelineEvent) event = cw_timeline_event_new (kind, at, NULL);

  return _cw_store_insert_event (db, id, event, error);
}

/* @fresh: the workorder row was inserted just now, so nothing hangs off it yet. */
static gboolean
write_whole_workorder (CwDb         *db,
                       gint64        id,
                       CwWorkorder  *workorder,
                       gboolean      fresh,
                       gint64        now,
                       GError      **error)
{
  return write_car (db, id, cw_workorder_get_car (workorder), error) &&
         write_parties (db, id, workorder, fresh, error) &&
         write_dms_interventions (db, id, workorder, fresh, now, error) &&
         write_search_terms (db, id, workorder, fresh, error);
}

static gboolean follow_dms_shop (CwDb         *db,
                                 gint64        id,
                                 CwShopState   stored_dms_shop,
                                 CwShopState   dms_shop,
                                 gint64        now,
                                 gint64       *revision,
                                 GError      **error);

/**
 * _cw_store_write_workorder:
 * @db: the writer, inside a transaction
 * @workorder: the workorder as the DMS gave it
 * @flags: see cw_store_import_workorders()
 * @now: the time of the write, Unix seconds
 * @outcome: (out): what happened
 * @error: return location for a #CwStoreError
 *
 * Imports @workorder by its DMS identity: a new one is inserted whole with an "imported"
 * event; a known one is rewritten only when the digest of its DMS data changed (with a
 * "refreshed" event), and not at all when its work has started and @flags does not allow
 * that. On success the id and revision of @workorder are the stored ones.
 *
 * Returns: %TRUE on success
 */
gboolean
_cw_store_write_workorder (CwDb             *db,
                           CwWorkorder      *workorder,
                           CwImportFlags     flags,
                           gint64            now,
                           CwImportOutcome  *outcome,
                           GError          **error)
{
  const char *connection_id = cw_workorder_get_field (workorder, CW_WORKORDER_CONNECTION_ID);
  const char *identity = cw_workorder_get_identity (workorder);
  g_auto(StoredRow) stored = { 0 };
  g_autofree char *digest = NULL;
  gboolean refresh = (flags & CW_IMPORT_RECORD_REFRESH) != 0;

  if (connection_id == NULL || identity == NULL)
    {
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID,
                   _("A workorder without a DMS connection and a DMS or WO number cannot be stored."));
      return FALSE;
    }

  if (!read_stored_row (db, connection_id, identity, &stored, error))
    return FALSE;

  digest = cw_workorder_dup_dms_digest (workorder);

  if (stored.id == 0)
    {
      CwProcess initial, process;

      /* A car the DMS already has in the shop arrives in the shop. */
      cw_workorder_get_process (workorder, &initial);
      process = initial;
      cw_process_follow_dms_shop (&process, cw_workorder_get_dms_shop_state (workorder));

      if (!insert_workorder_row (db, workorder, &process, identity, digest, now, &stored.id, error) ||
          !write_whole_workorder (db, stored.id, workorder, TRUE, now, error) ||
          !record_event (db, stored.id, CW_EVENT_IMPORTED, now, error) ||
          !record_process_events (db, stored.id, &initial, &process, NULL, NULL, now, error))
        return FALSE;

      stored.revision = 1;
      *outcome = CW_IMPORT_CREATED;
      cw_workorder_set_id (workorder, stored.id);
      cw_workorder_set_revision (workorder, stored.revision);
      return TRUE;
    }

  if (!follow_dms_shop (db, stored.id, stored.dms_shop, cw_workorder_get_dms_shop_state (workorder),
                        now, &stored.revision, error))
    return FALSE;

  if (cw_status_is_work_started (stored.status) && !(flags & CW_IMPORT_AFTER_WORK_STARTED))
    {
      if (refresh && !record_event (db, stored.id, CW_EVENT_REFRESH_SKIPPED, now, error))
        return FALSE;

      *outcome = CW_IMPORT_FROZEN;
    }
  else if (g_strcmp0 (stored.digest, digest) == 0)
    {
      if (!touch_last_sync (db, stored.id, now, error) ||
          (refresh && !record_event (db, stored.id, CW_EVENT_REFRESHED, now, error)))
        return FALSE;

      *outcome = CW_IMPORT_UNCHANGED;
    }
  else
    {
      if (!update_workorder_row (db, workorder, digest, stored.id, now, error) ||
          !write_whole_workorder (db, stored.id, workorder, FALSE, now, error) ||
          !record_event (db, stored.id, CW_EVENT_REFRESHED, now, error))
        return FALSE;

      stored.revision++;
      *outcome = CW_IMPORT_UPDATED;
    }

  cw_workorder_set_id (workorder, stored.id);
  cw_workorder_set_revision (workorder, stored.revision);

  return TRUE;
}

/**
 * _cw_store_read_identity:
 *
 * Returns: the id stored under (@connection_id, @dms_key), 0 when none or on error
 */
gint64
_cw_store_read_identity (CwDb        *db,
                         const char  *connection_id,
                         const char  *dms_key,
                         GError     **error)
{
  g_auto(StoredRow) stored = { 0 };

  if (!read_stored_row (db, connection_id, dms_key, &stored, error))
    return 0;

  return stored.id;
}

gboolean
_cw_store_insert_event (CwDb             *db,
                        gint64            workorder_id,
                        CwTimelineEvent  *event,
                        GError          **error)
{
  static const char sql[] =
    "INSERT INTO event (workorder_id, at, kind, actor, status_from, status_to, cancel_reason,"
    " detail) VALUES (:id, :at, :kind, :actor, :status_from, :status_to, :cancel_reason, :detail)";
  CwEventKind kind = cw_timeline_event_get_kind (event);
  sqlite3_stmt *stmt;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_int64 (stmt, ":id", workorder_id);
  _cw_bind_time (stmt, ":at", cw_timeline_event_get_at (event));
  _cw_bind_enum (stmt, ":kind", CW_TYPE_EVENT_KIND, kind);
  _cw_bind_text (stmt, ":actor", cw_timeline_event_get_actor (event));
  if (kind == CW_EVENT_STATUS_CHANGED || kind == CW_EVENT_CANCELED)
    {
      _cw_bind_enum (stmt, ":status_from", CW_TYPE_STATUS, cw_timeline_event_get_status_from (event));
      _cw_bind_enum (stmt, ":status_to", CW_TYPE_STATUS, cw_timeline_event_get_status_to (event));
    }
  if (kind == CW_EVENT_CANCELED)
    _cw_bind_enum (stmt, ":cancel_reason", CW_TYPE_CANCEL_REASON,
                   cw_timeline_event_get_cancel_reason (event));
  _cw_bind_text (stmt, ":detail", cw_timeline_event_get_detail (event));

  return _cw_db_step_done (db, stmt, error);
}

/* Writes a process state and records on the timeline what changed from @before. */
static gboolean
store_process_change (CwDb             *db,
                      gint64            id,
                      const CwProcess  *before,
                      const CwProcess  *after,
                      gboolean          canceling,
                      const char       *cancel_text,
                      const char       *actor,
                      gint64            now,
                      GError          **error)
{
  static const char sql[] =
    "UPDATE workorder SET status = :status, resume_status = :resume_status,"
    " shop_state = :shop_state, cancel_reason = :cancel_reason,"
    " cancel_text = CASE WHEN :canceling THEN :cancel_text ELSE cancel_text END,"
    " updated_at = :updated_at, updated_by = :updated_by, revision = revision + 1"
    " WHERE id = :id";
  sqlite3_stmt *stmt;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;

  _cw_bind_enum (stmt, ":status", CW_TYPE_STATUS, after->status);
  _cw_bind_enum (stmt, ":resume_status", CW_TYPE_STATUS, after->resume_status);
  _cw_bind_enum (stmt, ":shop_state", CW_TYPE_SHOP_STATE, after->shop);
  _cw_bind_enum (stmt, ":cancel_reason", CW_TYPE_CANCEL_REASON, after->cancel_reason);
  _cw_bind_bool (stmt, ":canceling", canceling);
  _cw_bind_text (stmt, ":cancel_text", cancel_text);
  _cw_bind_int64 (stmt, ":updated_at", now);
  _cw_bind_text (stmt, ":updated_by", actor);
  _cw_bind_int64 (stmt, ":id", id);

  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  return record_process_events (db, id, before, after, cancel_text, actor, now, error);
}

/**
 * _cw_store_write_process:
 * @db: the writer, inside a transaction
 * @id: the workorder
 * @change: what the advisor asked for
 * @actor: (nullable): who asked
 * @now: the time of the change, Unix seconds
 * @error: return location for a #CwStoreError or #CwStatusError
 *
 * Reads the workorder's process state, applies @change with the workflow rules, writes
 * the result and records what changed on the timeline.
 *
 * Returns: %TRUE if the change was made
 */
gboolean
_cw_store_write_process (CwDb                   *db,
                         gint64                  id,
                         const CwProcessChange  *change,
                         const char             *actor,
                         gint64                  now,
                         GError                **error)
{
  g_autofree char *cancel_text = NULL;
  CwProcess before, after;
  gboolean billed = FALSE;
  gboolean canceling;

  if (!_cw_store_read_process (db, id, &before, &billed, error))
    return FALSE;

  if (billed)
    {
      g_set_error_literal (error, CW_STATUS_ERROR, CW_STATUS_ERROR_FROZEN,
                           _("This workorder is invoiced in the DMS and can no longer change."));
      return FALSE;
    }

  after = before;
  if (!cw_process_apply (&after, change, error))
    return FALSE;

  canceling = change->action == CW_PROCESS_CANCEL;
  if (canceling && change->reason == CW_CANCEL_REASON_OTHER)
    cw_set_text (&cancel_text, change->text);

  return store_process_change (db, id, &before, &after, canceling, cancel_text, actor, now, error);
}

/*
 * The DMS's own in/out of shop state: only a change of it reaches the process, so that a
 * DMS repeating itself never overrules the advisor's toggle. It applies even when the DMS
 * data is frozen because work started: a car leaving the shop is a fact of the process.
 */
static gboolean
follow_dms_shop (CwDb         *db,
                 gint64        id,
                 CwShopState   stored_dms_shop,
                 CwShopState   dms_shop,
                 gint64        now,
                 gint64       *revision,
                 GError      **error)
{
  static const char sql[] = "UPDATE workorder SET dms_shop_state = :dms_shop_state WHERE id = :id";
  CwProcess before, after;
  gboolean billed;
  sqlite3_stmt *stmt;

  if (stored_dms_shop == dms_shop)
    return TRUE;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;
  _cw_bind_enum (stmt, ":dms_shop_state", CW_TYPE_SHOP_STATE, dms_shop);
  _cw_bind_int64 (stmt, ":id", id);
  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  if (!_cw_store_read_process (db, id, &before, &billed, error))
    return FALSE;

  after = before;
  if (!cw_process_follow_dms_shop (&after, dms_shop))
    return TRUE;

  (*revision)++;

  return store_process_change (db, id, &before, &after, FALSE, NULL, NULL, now, error);
}

/*
 * Reading
 */

static gboolean
read_workorder_row (CwDb         *db,
                    gint64        id,
                    CwWorkorder  *workorder,
                    GError      **error)
{
  static const char sql[] =
    "SELECT connection_id, dms_key, dms_number, wo_number, appointment_at, dms_created_at,"
    " scheduled_in, scheduled_out, billed, internal, customer_waiting, dms_canceled, dms_notes,"
    " location, dms_mileage, status, resume_status, shop_state, cancel_reason, cancel_text,"
    " last_sync_at, updated_at, updated_by, revision, dms_shop_state, mileage, mileage_at,"
    " ocw_state, ocw_checked_at, ocw_mileage, ocw_mileage_at, ocw_portal_url"
    " FROM workorder WHERE id = :id";
  /* The first columns, in the order of the SELECT. */
  static const CwWorkorderField text_columns[] = {
    CW_WORKORDER_CONNECTION_ID, CW_WORKORDER_DMS_KEY,
    CW_WORKORDER_DMS_NUMBER, CW_WORKORDER_WO_NUMBER,
  };
  static const CwWorkorderTime time_columns[] = {
    CW_WORKORDER_APPOINTMENT, CW_WORKORDER_DMS_CREATED,
    CW_WORKORDER_SCHEDULED_IN, CW_WORKORDER_SCHEDULED_OUT,
  };
  static const CwWorkorderFlag flag_columns[] = {
    CW_WORKORDER_BILLED, CW_WORKORDER_INTERNAL,
    CW_WORKORDER_CUSTOMER_WAITING, CW_WORKORDER_DMS_CANCELED,
  };
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  CwProcess process;
  int rc;

  if (stmt == NULL)
    return FALSE;

  _cw_bind_int64 (stmt, ":id", id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_NOT_FOUND,
                     _("This workorder is no longer in the local store. Search for it to import it again."));
      else
        _cw_db_set_error (db, rc, error);
      return FALSE;
    }

  cw_workorder_set_id (workorder, id);
  for (guint i = 0; i < G_N_ELEMENTS (text_columns); i++)
    cw_workorder_set_field (workorder, text_columns[i], _cw_column_text (stmt, i));
  for (guint i = 0; i < G_N_ELEMENTS (time_columns); i++)
    {
      g_autoptr(GDateTime) time = _cw_column_time (stmt, 4 + i);
      cw_workorder_set_time (workorder, time_columns[i], time);
    }
  for (guint i = 0; i < G_N_ELEMENTS (flag_columns); i++)
    cw_workorder_set_flag (workorder, flag_columns[i], sqlite3_column_int (stmt, 8 + i));
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NOTES, _cw_column_text (stmt, 12));
  cw_workorder_set_field (workorder, CW_WORKORDER_LOCATION, _cw_column_text (stmt, 13));
  if (sqlite3_column_type (stmt, 14) != SQLITE_NULL)
    cw_workorder_set_dms_mileage (workorder, sqlite3_column_int64 (stmt, 14));

  process.status = _cw_column_enum (stmt, 15, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY);
  process.resume_status = _cw_column_enum (stmt, 16, CW_TYPE_STATUS, process.status);
  process.shop = _cw_column_enum (stmt, 17, CW_TYPE_SHOP_STATE, CW_SHOP_NOT_ARRIVED);
  process.cancel_reason = _cw_column_enum (stmt, 18, CW_TYPE_CANCEL_REASON, CW_CANCEL_REASON_NONE);
  cw_workorder_set_process (workorder, &process);
  cw_workorder_set_field (workorder, CW_WORKORDER_CANCEL_TEXT, _cw_column_text (stmt, 19));

  {
    g_autoptr(GDateTime) last_sync = _cw_column_time (stmt, 20);
    g_autoptr(GDateTime) updated_at = _cw_column_time (stmt, 21);

    cw_workorder_set_time (workorder, CW_WORKORDER_LAST_SYNC, last_sync);
    cw_workorder_set_time (workorder, CW_WORKORDER_UPDATED_AT, updated_at);
  }
  cw_workorder_set_field (workorder, CW_WORKORDER_UPDATED_BY, _cw_column_text (stmt, 22));
  cw_workorder_set_revision (workorder, sqlite3_column_int64 (stmt, 23));
  cw_workorder_set_dms_shop_state (workorder, _cw_column_enum (stmt, 24, CW_TYPE_SHOP_STATE, CW_SHOP_NOT_ARRIVED));
  if (sqlite3_column_type (stmt, 25) != SQLITE_NULL)
    {
      g_autoptr(GDateTime) mileage_at = _cw_column_time (stmt, 26);

      cw_workorder_set_mileage (workorder, sqlite3_column_int64 (stmt, 25), mileage_at);
    }
  if (sqlite3_column_type (stmt, 27) != SQLITE_NULL)
    {
      g_autoptr(CwOcwStatus) ocw = cw_ocw_status_new ();
      g_autoptr(GDateTime) checked_at = _cw_column_time (stmt, 28);

      if (sqlite3_column_type (stmt, 29) != SQLITE_NULL)
        ocw->mileage_km = sqlite3_column_int64 (stmt, 29);
      ocw->mileage_at = _cw_column_time (stmt, 30);
      ocw->portal_url = g_strdup (_cw_column_text (stmt, 31));
      cw_workorder_set_ocw (workorder, _cw_column_enum (stmt, 27, CW_TYPE_OCW_STATE, CW_OCW_UNKNOWN),
                            ocw, checked_at);
    }

  sqlite3_reset (stmt);

  return TRUE;
}

static gboolean
read_car (CwDb         *db,
          gint64        id,
          CwWorkorder  *workorder,
          GError      **error)
{
  static const char sql[] =
    "SELECT make, model, plate, vin, engine_number, notes, fuel, driver_id, owner_id,"
    " contractor_id, first_registration, apk_date, warranty_start, warranty_end"
    " FROM car WHERE workorder_id = :id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  g_autoptr(CwCar) car = cw_car_new ();
  int rc;

  if (stmt == NULL)
    return FALSE;

  /* The columns are in CwCarField then CwCarDate order. */
  _cw_bind_int64 (stmt, ":id", id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      for (guint i = 0; i < CW_CAR_N_FIELDS; i++)
        cw_car_set_field (car, i, _cw_column_text (stmt, i));
      for (guint i = 0; i < CW_CAR_N_DATES; i++)
        {
          g_autoptr(GDate) date = _cw_column_date (stmt, CW_CAR_N_FIELDS + i);
          cw_car_set_date (car, i, date);
        }
    }
  if (!_cw_db_end_rows (db, stmt, rc, error))
    return FALSE;

  cw_workorder_set_car (workorder, car);

  return TRUE;
}

static gboolean
read_parties (CwDb         *db,
              gint64        id,
              CwWorkorder  *workorder,
              GError      **error)
{
  static const char sql[] =
    "SELECT role, dms_id, company, title, first_name, last_name, street, house_number,"
    " postcode, place, business_phone, business_email, business_mobile, private_phone,"
    " private_email, private_mobile, lease_company FROM party WHERE workorder_id = :id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  /* The columns after the role are in CwPartyField order. */
  _cw_bind_int64 (stmt, ":id", id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CwParty) party = NULL;
      int role;

      if (!cw_enum_from_nick (CW_TYPE_PARTY_ROLE, _cw_column_text (stmt, 0), &role))
        continue;

      party = cw_party_new (role);
      for (guint i = 0; i < CW_PARTY_N_FIELDS; i++)
        cw_party_set_field (party, i, _cw_column_text (stmt, 1 + i));
      cw_party_set_lease_company (party, sqlite3_column_int (stmt, 1 + CW_PARTY_N_FIELDS));

      cw_workorder_set_party (workorder, party);
    }
  return _cw_db_end_rows (db, stmt, rc, error);
}

static gboolean
read_interventions (CwDb         *db,
                    gint64        id,
                    CwWorkorder  *workorder,
                    GError      **error)
{
  static const char sql[] =
    "SELECT id, source, element_kind, dms_line_id, title, description, price_cents, currency,"
    " part_codes FROM intervention WHERE workorder_id = :id"
    " ORDER BY source <> 'dms', position, id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  _cw_bind_int64 (stmt, ":id", id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CwIntervention) intervention = NULL;
      const char *codes = _cw_column_text (stmt, 8);

      intervention = cw_intervention_new (_cw_column_enum (stmt, 1, CW_TYPE_INTERVENTION_SOURCE,
                                                           CW_INTERVENTION_SOURCE_LOCAL));
      cw_intervention_set_id (intervention, sqlite3_column_int64 (stmt, 0));
      cw_intervention_set_element_kind (intervention,
                                        _cw_column_enum (stmt, 2, CW_TYPE_ELEMENT_KIND,
                                                         CW_ELEMENT_KIND_UNSPECIFIED));
      cw_intervention_set_dms_line_id (intervention, _cw_column_text (stmt, 3));
      cw_intervention_set_title (intervention, _cw_column_text (stmt, 4));
      cw_intervention_set_description (intervention, _cw_column_text (stmt, 5));
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        cw_intervention_set_price (intervention, sqlite3_column_int64 (stmt, 6));
      cw_intervention_set_currency (intervention, _cw_column_text (stmt, 7));
      if (codes != NULL)
        {
          g_auto(GStrv) split = g_strsplit (codes, "\n", -1);
          cw_intervention_set_part_codes (intervention, (const char * const *) split);
        }

      cw_workorder_append_intervention (workorder, intervention);
    }
  return _cw_db_end_rows (db, stmt, rc, error);
}

/**
 * _cw_store_read_workorder:
 *
 * Returns: (transfer full) (nullable): the whole workorder, or %NULL with @error set
 */
CwWorkorder *
_cw_store_read_workorder (CwDb    *db,
                          gint64   id,
                          GError **error)
{
  g_autoptr(CwWorkorder) workorder = cw_workorder_new ();

  if (!read_workorder_row (db, id, workorder, error) ||
      !read_car (db, id, workorder, error) ||
      !read_parties (db, id, workorder, error) ||
      !read_interventions (db, id, workorder, error))
    return NULL;

  return g_steal_pointer (&workorder);
}

#define SUMMARY_SELECT \
  "SELECT w.id, w.revision, w.connection_id, w.wo_number, w.dms_number, c.plate," \
  " w.customer_name, c.make, c.model, w.updated_by, w.appointment_at, w.updated_at," \
  " w.status, w.shop_state, w.billed, w.ocw_state FROM workorder w" \
  " LEFT JOIN car c ON c.workorder_id = w.id"

static CwWorkorderSummary *
summary_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(GDateTime) appointment = _cw_column_time (stmt, 10);
  g_autoptr(GDateTime) updated_at = _cw_column_time (stmt, 11);

  return g_object_new (CW_TYPE_WORKORDER_SUMMARY,
                       "id", sqlite3_column_int64 (stmt, 0),
                       "revision", sqlite3_column_int64 (stmt, 1),
                       "connection-id", _cw_column_text (stmt, 2),
                       "wo-number", _cw_column_text (stmt, 3),
                       "dms-number", _cw_column_text (stmt, 4),
                       "plate", _cw_column_text (stmt, 5),
                       "customer", _cw_column_text (stmt, 6),
                       "make", _cw_column_text (stmt, 7),
                       "model", _cw_column_text (stmt, 8),
                       "updated-by", _cw_column_text (stmt, 9),
                       "appointment", appointment,
                       "updated-at", updated_at,
                       "status", _cw_column_enum (stmt, 12, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY),
                       "shop-state", _cw_column_enum (stmt, 13, CW_TYPE_SHOP_STATE, CW_SHOP_NOT_ARRIVED),
                       "billed", sqlite3_column_int (stmt, 14) != 0,
                       "ocw-state", _cw_column_enum (stmt, 15, CW_TYPE_OCW_STATE, CW_OCW_UNKNOWN),
                       NULL);
}

/**
 * _cw_store_read_range:
 * @from: start of the range, Unix seconds, inclusive
 * @to: end of the range, Unix seconds, exclusive
 *
 * Returns: (transfer full) (element-type CwWorkorderSummary) (nullable): the workorders
 *   with an appointment in the range, by appointment time
 */
GPtrArray *
_cw_store_read_range (CwDb    *db,
                      gint64   from,
                      gint64   to,
                      GError **error)
{
  static const char sql[] =
    SUMMARY_SELECT
    " WHERE w.appointment_at >= :from AND w.appointment_at < :to"
    " ORDER BY w.appointment_at, w.wo_number, w.id";
  g_autoptr(GPtrArray) summaries = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  _cw_bind_int64 (stmt, ":from", from);
  _cw_bind_int64 (stmt, ":to", to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (summaries, summary_from_row (stmt));
  if (!_cw_db_end_rows (db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&summaries);
}

typedef struct
{
  gint64 id;
  int    rank;
  gint64 distance;
} Hit;

static void
add_hit (GArray *hits,
         GHashTable *seen,
         gint64 id,
         int rank,
         gint64 distance)
{
  gpointer index_ptr;

  if (g_hash_table_lookup_extended (seen, &id, NULL, &index_ptr))
    {
      Hit *hit = &g_array_index (hits, Hit, GPOINTER_TO_UINT (index_ptr));

      hit->rank = MIN (hit->rank, rank);
      return;
    }

  g_array_append_vals (hits, &(Hit) { id, rank, distance }, 1);
  g_hash_table_insert (seen,
                       g_memdup2 (&id, sizeof id),
                       GUINT_TO_POINTER (hits->len - 1));
}

static gint64
distance_from_now (sqlite3_stmt *stmt,
                   int           column,
                   gint64        now)
{
  /* Workorders without an appointment sort after every dated one. */
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return G_MAXINT64;

  return ABS (sqlite3_column_int64 (stmt, column) - now);
}

static gboolean
search_number_terms (CwDb        *db,
                     const char  *compact,
                     guint        limit,
                     gint64       now,
                     GArray      *hits,
                     GHashTable  *seen,
                     GError     **error)
{
  static const char sql[] =
    "SELECT workorder_id, term = :term, appointment_at FROM search_term"
    " WHERE kind = :kind AND term >= :term AND term < :end LIMIT :limit";
  g_autofree char *end = cw_text_prefix_end (compact);

  g_assert (end != NULL);

  for (TermKind kind = TERM_WO_NUMBER; kind <= TERM_PLATE; kind++)
    {
      sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      _cw_bind_text (stmt, ":term", compact);
      _cw_bind_text (stmt, ":end", end);
      _cw_bind_int64 (stmt, ":kind", kind);
      _cw_bind_int64 (stmt, ":limit", limit);

      /* Ranks: exact WO number, DMS number, plate (0–2), then the same as prefixes (3–5). */
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_hit (hits, seen, sqlite3_column_int64 (stmt, 0),
                 sqlite3_column_int (stmt, 1) ? (int) kind : 3 + (int) kind,
                 distance_from_now (stmt, 2, now));
      if (!_cw_db_end_rows (db, stmt, rc, error))
        return FALSE;
    }

  return TRUE;
}

/* Counting stops here: past it a word is common, and only the order of words matters. */
#define TOKEN_COUNT_CAP 500

typedef struct
{
  char  *token;
  gint64 matches;
} NameToken;

static int
compare_by_matches (gconstpointer a,
                    gconstpointer b)
{
  const NameToken *x = a, *y = b;

  return x->matches < y->matches ? -1 : x->matches > y->matches;
}

/* How many name terms start with @token, up to TOKEN_COUNT_CAP. */
static gint64
count_name_matches (CwDb        *db,
                    const char  *token,
                    GError     **error)
{
  static const char sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM search_term"
    " WHERE kind = 3 AND term >= :term AND term < :end LIMIT :cap)";
  g_autofree char *end = cw_text_prefix_end (token);
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  gint64 count = -1;
  int rc;

  if (stmt == NULL)
    return -1;

  _cw_bind_text (stmt, ":term", token);
  _cw_bind_text (stmt, ":end", end);
  _cw_bind_int64 (stmt, ":cap", TOKEN_COUNT_CAP);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _cw_db_set_error (db, rc, error);
  sqlite3_reset (stmt);

  return count;
}

/* One statement per number of words: the rarest word drives the index scan, and every
 * other word must prefix-match another name term of the same workorder. */
static const char * const name_search_sql[MAX_NAME_TOKENS] = {
  "SELECT DISTINCT s.workorder_id, s.appointment_at FROM search_term s"
  " WHERE s.kind = 3 AND s.term >= :t0 AND s.term < :e0 LIMIT :limit",

  "SELECT DISTINCT s.workorder_id, s.appointment_at FROM search_term s"
  " WHERE s.kind = 3 AND s.term >= :t0 AND s.term < :e0"
  " AND EXISTS (SELECT 1 FROM search_term x WHERE x.workorder_id = s.workorder_id"
  "  AND x.kind = 3 AND x.term >= :t1 AND x.term < :e1) LIMIT :limit",

  "SELECT DISTINCT s.workorder_id, s.appointment_at FROM search_term s"
  " WHERE s.kind = 3 AND s.term >= :t0 AND s.term < :e0"
  " AND EXISTS (SELECT 1 FROM search_term x WHERE x.workorder_id = s.workorder_id"
  "  AND x.kind = 3 AND x.term >= :t1 AND x.term < :e1)"
  " AND EXISTS (SELECT 1 FROM search_term x WHERE x.workorder_id = s.workorder_id"
  "  AND x.kind = 3 AND x.term >= :t2 AND x.term < :e2) LIMIT :limit",

  "SELECT DISTINCT s.workorder_id, s.appointment_at FROM search_term s"
  " WHERE s.kind = 3 AND s.term >= :t0 AND s.term < :e0"
  " AND EXISTS (SELECT 1 FROM search_term x WHERE x.workorder_id = s.workorder_id"
  "  AND x.kind = 3 AND x.term >= :t1 AND x.term < :e1)"
  " AND EXISTS (SELECT 1 FROM search_term x WHERE x.workorder_id = s.workorder_id"
  "  AND x.kind = 3 AND x.term >= :t2 AND x.term < :e2)"
  " AND EXISTS (SELECT 1 FROM search_term x WHERE x.workorder_id = s.workorder_id"
  "  AND x.kind = 3 AND x.term >= :t3 AND x.term < :e3) LIMIT :limit",
};

static gboolean
search_name_terms (CwDb        *db,
                   const char  *query,
                   guint        limit,
                   gint64       now,
                   GArray      *hits,
                   GHashTable  *seen,
                   GError     **error)
{
  static const char * const term_params[MAX_NAME_TOKENS] = { ":t0", ":t1", ":t2", ":t3" };
  static const char * const end_params[MAX_NAME_TOKENS] = { ":e0", ":e1", ":e2", ":e3" };
  g_auto(GStrv) tokens = cw_text_tokens (query);
  NameToken words[MAX_NAME_TOKENS];
  guint n_words = 0;
  sqlite3_stmt *stmt;
  int rc;

  /* Several typed words each narrow the result, so a few suffice. A word no name starts
   * with ("6" in a plate typed as "j 6") means no name matches at all: stop before any
   * scan, rather than scanning every "j…" for it. */
  for (guint i = 0; tokens[i] != NULL && n_words < MAX_NAME_TOKENS; i++)
    {
      gint64 matches = count_name_matches (db, tokens[i], error);

      if (matches < 0)
        return FALSE;
      if (matches == 0)
        return TRUE;

      words[n_words++] = (NameToken) { tokens[i], matches };
    }

  if (n_words == 0)
    return TRUE;

  qsort (words, n_words, sizeof (NameToken), compare_by_matches);

  if (!(stmt = _cw_db_prepare (db, name_search_sql[n_words - 1], error)))
    return FALSE;

  for (guint i = 0; i < n_words; i++)
    {
      g_autofree char *end = cw_text_prefix_end (words[i].token);

      _cw_bind_text (stmt, term_params[i], words[i].token);
      _cw_bind_text (stmt, end_params[i], end);
    }
  _cw_bind_int64 (stmt, ":limit", limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_hit (hits, seen, sqlite3_column_int64 (stmt, 0), 3 + TERM_NAME,
             distance_from_now (stmt, 1, now));
  return _cw_db_end_rows (db, stmt, rc, error);
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const Hit *ha = a, *hb = b;

  if (ha->rank != hb->rank)
    return ha->rank - hb->rank;
  if (ha->distance != hb->distance)
    return ha->distance < hb->distance ? -1 : 1;

  return ha->id < hb->id ? -1 : ha->id > hb->id;
}

static CwWorkorderSummary *
read_summary (CwDb    *db,
              gint64   id,
              GError **error)
{
  static const char sql[] = SUMMARY_SELECT " WHERE w.id = :id";
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  CwWorkorderSummary *summary = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  _cw_bind_int64 (stmt, ":id", id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    summary = summary_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _cw_db_set_error (db, rc, error);

  return summary;
}

/**
 * _cw_store_read_search:
 * @query: what the advisor typed
 * @limit: the most results to return
 * @now: the present, Unix seconds; ties go to the appointment closest to it
 *
 * Finds workorders by WO number, DMS number, plate (any spelling, as a prefix) and the
 * names of their parties (each typed word a prefix of a name, case and accents ignored),
 * best match first: exact WO number, DMS number, plate, then the same as prefixes, then
 * names.
 *
 * Returns: (transfer full) (element-type CwWorkorderSummary) (nullable): the results
 */
GPtrArray *
_cw_store_read_search (CwDb        *db,
                       const char  *query,
                       guint        limit,
                       gint64       now,
                       GError     **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  g_autofree char *compact = cw_text_compact (query);

  if (*compact == '\0' || limit == 0)
    return g_steal_pointer (&results);

  if (!search_number_terms (db, compact, limit, now, hits, seen, error) ||
      !search_name_terms (db, query, limit, now, hits, seen, error))
    return NULL;

  g_array_sort (hits, compare_hits);

  for (guint i = 0; i < hits->len && results->len < limit; i++)
    {
      g_autoptr(GError) local_error = NULL;
      CwWorkorderSummary *summary;

      summary = read_summary (db, g_array_index (hits, Hit, i).id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (summary != NULL)
        g_ptr_array_add (results, summary);
    }

  return g_steal_pointer (&results);
}

/**
 * _cw_store_read_events:
 *
 * Returns: (transfer full) (element-type CwTimelineEvent) (nullable): the timeline of a
 *   workorder, oldest first
 */
GPtrArray *
_cw_store_read_events (CwDb    *db,
                       gint64   workorder_id,
                       GError **error)
{
  static const char sql[] =
    "SELECT id, at, kind, actor, status_from, status_to, cancel_reason, detail FROM event"
    " WHERE workorder_id = :id ORDER BY at, id";
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = _cw_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  _cw_bind_int64 (stmt, ":id", workorder_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) at = _cw_column_time (stmt, 1);
      int kind;

      /* A kind recorded by a newer version of the app is skipped, not misread. */
      if (at == NULL || !cw_enum_from_nick (CW_TYPE_EVENT_KIND, _cw_column_text (stmt, 2), &kind))
        continue;

      g_ptr_array_add (events,
                       g_object_new (CW_TYPE_TIMELINE_EVENT,
                                     "id", sqlite3_column_int64 (stmt, 0),
                                     "at", at,
                                     "kind", kind,
                                     "actor", _cw_column_text (stmt, 3),
                                     "status-from", _cw_column_enum (stmt, 4, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY),
                                     "status-to", _cw_column_enum (stmt, 5, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY),
                                     "cancel-reason", _cw_column_enum (stmt, 6, CW_TYPE_CANCEL_REASON, CW_CANCEL_REASON_NONE),
                                     "detail", _cw_column_text (stmt, 7),
                                     NULL));
    }
  if (!_cw_db_end_rows (db, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&events);
}
