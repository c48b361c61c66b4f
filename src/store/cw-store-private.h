/* cw-store-private.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "cw-store.h"

G_BEGIN_DECLS

/*
 * CwDb is one SQLite connection with its prepared-statement cache. It is not thread-safe:
 * the store uses one for reads on its own thread and one, behind a mutex, for writes.
 * Statements are cached by the address of their SQL text, which is always a string
 * constant: no SQL is ever built from values.
 */
typedef struct _CwDb CwDb;

CwDb          *_cw_db_open            (const char    *path,
                                       gboolean       read_only,
                                       GError       **error);
void           _cw_db_close           (CwDb          *db);
sqlite3       *_cw_db_get_handle      (CwDb          *db);
sqlite3_stmt  *_cw_db_prepare         (CwDb          *db,
                                       const char    *sql,
                                       GError       **error);
gboolean       _cw_db_exec_script     (CwDb          *db,
                                       const char    *script,
                                       GError       **error);
gboolean       _cw_db_step_done       (CwDb          *db,
                                       sqlite3_stmt  *stmt,
                                       GError       **error);
gboolean       _cw_db_end_rows        (CwDb          *db,
                                       sqlite3_stmt  *stmt,
                                       int            rc,
                                       GError       **error);
gboolean       _cw_db_begin           (CwDb          *db,
                                       GError       **error);
gboolean       _cw_db_commit          (CwDb          *db,
                                       GError       **error);
void           _cw_db_rollback        (CwDb          *db);
void           _cw_db_set_error       (CwDb          *db,
                                       int            rc,
                                       GError       **error);
gint64         _cw_db_pragma_int      (CwDb          *db,
                                       const char    *pragma_sql,
                                       GError       **error);

void           _cw_bind_text          (sqlite3_stmt  *stmt,
                                       const char    *name,
                                       const char    *value);
void           _cw_bind_int64         (sqlite3_stmt  *stmt,
                                       const char    *name,
                                       gint64         value);
void           _cw_bind_bool          (sqlite3_stmt  *stmt,
                                       const char    *name,
                                       gboolean       value);
void           _cw_bind_time          (sqlite3_stmt  *stmt,
                                       const char    *name,
                                       GDateTime     *value);
void           _cw_bind_date          (sqlite3_stmt  *stmt,
                                       const char    *name,
                                       const GDate   *value);
void           _cw_bind_null          (sqlite3_stmt  *stmt,
                                       const char    *name);
void           _cw_bind_enum          (sqlite3_stmt  *stmt,
                                       const char    *name,
                                       GType          enum_type,
                                       int            value);
const char    *_cw_column_text        (sqlite3_stmt  *stmt,
                                       int            column);
GDateTime     *_cw_column_time        (sqlite3_stmt  *stmt,
                                       int            column);
GDate         *_cw_column_date        (sqlite3_stmt  *stmt,
                                       int            column);
int            _cw_column_enum        (sqlite3_stmt  *stmt,
                                       int            column,
                                       GType          enum_type,
                                       int            fallback);

/* Schema (cw-store-schema.c) */
#define CW_STORE_SCHEMA_VERSION 4

gboolean       _cw_store_migrate      (CwDb          *db,
                                       GError       **error);

/* Workorder queries (cw-store-workorder.c); writes run inside a transaction on the writer. */
gboolean       _cw_store_write_workorder  (CwDb                   *db,
                                           CwWorkorder            *workorder,
                                           CwImportFlags           flags,
                                           gint64                  now,
                                           CwImportOutcome        *outcome,
                                           GError                **error);
gint64         _cw_store_read_identity    (CwDb                   *db,
                                           const char             *connection_id,
                                           const char             *dms_key,
                                           GError                **error);
gboolean       _cw_store_write_process    (CwDb                   *db,
                                           gint64                  id,
                                           const CwProcessChange  *change,
                                           const char             *actor,
                                           gint64                  now,
                                           GError                **error);
gboolean       _cw_store_insert_event     (CwDb                   *db,
                                           gint64                  workorder_id,
                                           CwTimelineEvent        *event,
                                           GError                **error);
CwWorkorder   *_cw_store_read_workorder   (CwDb                   *db,
                                           gint64                  id,
                                           GError                **error);
GPtrArray     *_cw_store_read_range       (CwDb                   *db,
                                           gint64                  from,
                                           gint64                  to,
                                           GError                **error);
GPtrArray     *_cw_store_read_search      (CwDb                   *db,
                                           const char             *query,
                                           guint                   limit,
                                           gint64                  now,
                                           GError                **error);
GPtrArray     *_cw_store_read_events      (CwDb                   *db,
                                           gint64                  workorder_id,
                                           GError                **error);

gboolean       _cw_store_read_process     (CwDb                   *db,
                                           gint64                  id,
                                           CwProcess              *process,
                                           gboolean               *billed,
                                           GError                **error);

/* The outbox (cw-store-outbox.c), inside a transaction on the writer unless a read. */
gboolean       _cw_store_outbox_line_added     (CwDb                  *db,
                                                gint64                 workorder_id,
                                                gint64                 intervention_id,
                                                CwIntervention        *intervention,
                                                gint64                 now,
                                                GError               **error);
gboolean       _cw_store_outbox_line_changed   (CwDb                  *db,
                                                gint64                 intervention_id,
                                                CwIntervention        *intervention,
                                                const char            *title,
                                                GError               **error);
gboolean       _cw_store_outbox_line_removed   (CwDb                  *db,
                                                gint64                 intervention_id,
                                                const char            *title,
                                                GError               **error);
gboolean       _cw_store_write_mileage         (CwDb                  *db,
                                                gint64                 workorder_id,
                                                gint64                 km,
                                                const char            *actor,
                                                gint64                 now,
                                                gboolean              *queued,
                                                GError               **error);
gboolean       _cw_store_outbox_queue_mileage  (CwDb                  *db,
                                                gint64                 workorder_id,
                                                gint64                 km,
                                                gint64                 dms_mileage,
                                                gint64                 now,
                                                gboolean              *queued,
                                                GError               **error);
gboolean       _cw_store_write_ocw             (CwDb                  *db,
                                                gint64                 workorder_id,
                                                const CwOcwStatus     *status,
                                                gint64                 now,
                                                CwOcwOutcome          *outcome,
                                                GError               **error);
gboolean       _cw_store_write_policy          (CwDb                  *db,
                                                const char            *connection_id,
                                                CwCapabilities         policy,
                                                GError               **error);
GPtrArray     *_cw_store_read_outbox           (CwDb                  *db,
                                                gint64                 workorder_id,
                                                GError               **error);
GPtrArray     *_cw_store_read_outbox_heads     (CwDb                  *db,
                                                GError               **error);
gboolean       _cw_store_write_outbox_update   (CwDb                  *db,
                                                gint64                 id,
                                                const CwOutboxUpdate  *update,
                                                gint64                 now,
                                                GError               **error);
gboolean       _cw_store_write_outbox_recover  (CwDb                  *db,
                                                GError               **error);

gboolean       _cw_store_check_writable        (CwDb                  *db,
                                                gint64                 workorder_id,
                                                GError               **error);

/* Interventions added in the app (cw-store-intervention.c), inside a transaction on the writer. */
gboolean       _cw_store_write_add_intervention    (CwDb            *db,
                                                    gint64           workorder_id,
                                                    CwIntervention  *intervention,
                                                    const char      *actor,
                                                    gint64           now,
                                                    gint64          *id,
                                                    GError         **error);
gboolean       _cw_store_write_update_intervention (CwDb            *db,
                                                    gint64           id,
                                                    const char      *title,
                                                    const char      *description,
                                                    const gint64    *price_cents,
                                                    const char      *actor,
                                                    gint64           now,
                                                    GError         **error);
gboolean       _cw_store_write_remove_intervention (CwDb            *db,
                                                    gint64           id,
                                                    const char      *actor,
                                                    gint64           now,
                                                    GError         **error);

G_END_DECLS
