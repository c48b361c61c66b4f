/* cw-store.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-capabilities.h"
#include "cw-ocw.h"
#include "cw-outbox-entry.h"
#include "cw-status.h"
#include "cw-timeline-event.h"
#include "cw-workorder.h"
#include "cw-workorder-summary.h"

G_BEGIN_DECLS

#define CW_STORE_ERROR (cw_store_error_quark ())

/**
 * CwStoreError:
 * @CW_STORE_ERROR_OPEN: the database file could not be opened or created
 * @CW_STORE_ERROR_CORRUPT: the file is not a workorder database, or it is damaged
 * @CW_STORE_ERROR_TOO_NEW: the database was written by a newer version of the app
 * @CW_STORE_ERROR_DISK_FULL: a write failed for lack of space
 * @CW_STORE_ERROR_BUSY: another program held the database for too long
 * @CW_STORE_ERROR_IO: any other input/output failure
 * @CW_STORE_ERROR_NOT_FOUND: no workorder with that id
 * @CW_STORE_ERROR_INVALID: the request itself is wrong (no identity, too long a range)
 * @CW_STORE_ERROR_READ_ONLY: the data may not be changed in the app: an intervention from
 *   the DMS or for OCW, or any line of a canceled or invoiced workorder
 */
typedef enum
{
  CW_STORE_ERROR_OPEN,
  CW_STORE_ERROR_CORRUPT,
  CW_STORE_ERROR_TOO_NEW,
  CW_STORE_ERROR_DISK_FULL,
  CW_STORE_ERROR_BUSY,
  CW_STORE_ERROR_IO,
  CW_STORE_ERROR_NOT_FOUND,
  CW_STORE_ERROR_INVALID,
  CW_STORE_ERROR_READ_ONLY,
} CwStoreError;

/**
 * CwImportFlags:
 * @CW_IMPORT_AFTER_WORK_STARTED: take the DMS's changes even when work has started (the
 *   dealer option of DESIGN §3); without it the DMS data of such a workorder is kept
 * @CW_IMPORT_RECORD_REFRESH: an advisor asked for this refresh: record it on the timeline
 *   even when nothing changed
 */
typedef enum
{
  CW_IMPORT_FLAGS_NONE          = 0,
  CW_IMPORT_AFTER_WORK_STARTED  = 1 << 0,
  CW_IMPORT_RECORD_REFRESH      = 1 << 1,
} CwImportFlags;

/**
 * CwImportOutcome:
 * @CW_IMPORT_CREATED: the workorder was new and is stored
 * @CW_IMPORT_UPDATED: the DMS data changed and the stored workorder was updated
 * @CW_IMPORT_UNCHANGED: the DMS says what the store already holds
 * @CW_IMPORT_FROZEN: work has started and the connection takes no DMS changes after that:
 *   the stored DMS data was kept as it was
 */
typedef enum
{
  CW_IMPORT_CREATED,
  CW_IMPORT_UPDATED,
  CW_IMPORT_UNCHANGED,
  CW_IMPORT_FROZEN,
} CwImportOutcome;

/**
 * CwOutboxTransition:
 * @CW_OUTBOX_BEGIN: pending → in flight, just before the request goes out
 * @CW_OUTBOX_MARK_SENT: in flight → sent; the DMS has it
 * @CW_OUTBOX_DEFER: in flight → pending until @next_attempt_at, with the error message
 * @CW_OUTBOX_MARK_FAILED: in flight or pending → failed, with the DMS's message
 * @CW_OUTBOX_RETRY: failed → pending, by the advisor, with the same idempotency key
 * @CW_OUTBOX_DISMISS: failed or pending → dismissed, by the advisor: it stays local
 */
typedef enum
{
  CW_OUTBOX_BEGIN,
  CW_OUTBOX_MARK_SENT,
  CW_OUTBOX_DEFER,
  CW_OUTBOX_MARK_FAILED,
  CW_OUTBOX_RETRY,
  CW_OUTBOX_DISMISS,
} CwOutboxTransition;

/**
 * CwOutboxUpdate:
 * @transition: the move
 * @message: (nullable): why, for %CW_OUTBOX_DEFER and %CW_OUTBOX_MARK_FAILED
 * @dms_ref: (nullable): the DMS's id of what it created, for %CW_OUTBOX_MARK_SENT
 * @next_attempt_at: Unix seconds, for %CW_OUTBOX_DEFER
 * @counts_attempt: whether a deferral or failure uses up an attempt (the request reached
 *   the DMS, or may have)
 */
typedef struct
{
  CwOutboxTransition  transition;
  const char         *message;
  const char         *dms_ref;
  gint64              next_attempt_at;
  gboolean            counts_attempt;
} CwOutboxUpdate;

/**
 * CwOcwOutcome:
 * @state: the car's state, from PON's answer
 * @safety_added: the OCW safety intervention was added now (it is added once)
 * @mileage_queued: PON's mileage goes to the DMS (higher than the DMS's, writeback on)
 *
 * What recording a PON answer led to.
 */
typedef struct
{
  CwOcwState state;
  gboolean   safety_added;
  gboolean   mileage_queued;
} CwOcwOutcome;

/* The longest range of days a list may cover (DESIGN §8). */
#define CW_STORE_MAX_DAYS 7

#define CW_TYPE_STORE (cw_store_get_type ())

G_DECLARE_FINAL_TYPE (CwStore, cw_store, CW, STORE, GObject)

GQuark        cw_store_error_quark               (void);
char         *cw_store_dup_default_path          (void);
CwStore      *cw_store_open                      (const char              *path,
                                                  GError                 **error);
const char   *cw_store_get_path                  (CwStore                 *self);

/* Writes: any thread, one at a time, each in its own transaction. */
gboolean      cw_store_import_workorder          (CwStore                 *self,
                                                  CwWorkorder             *workorder,
                                                  CwImportFlags            flags,
                                                  CwImportOutcome         *outcome,
                                                  GError                 **error);
gboolean      cw_store_import_workorders         (CwStore                 *self,
                                                  GPtrArray               *workorders,
                                                  CwImportFlags            flags,
                                                  GArray                 **outcomes,
                                                  GError                 **error);
void          cw_store_import_workorders_async   (CwStore                 *self,
                                                  GPtrArray               *workorders,
                                                  CwImportFlags            flags,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
GArray       *cw_store_import_workorders_finish  (CwStore                 *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
gboolean      cw_store_change_process            (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  const CwProcessChange   *change,
                                                  const char              *actor,
                                                  GError                 **error);
void          cw_store_change_process_async      (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  const CwProcessChange   *change,
                                                  const char              *actor,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean      cw_store_change_process_finish     (CwStore                 *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
gboolean      cw_store_add_event                 (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  CwTimelineEvent         *event,
                                                  GError                 **error);
void          cw_store_add_event_async           (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  CwTimelineEvent         *event,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean      cw_store_add_event_finish          (CwStore                 *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
gint64        cw_store_add_intervention          (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  CwIntervention          *intervention,
                                                  const char              *actor,
                                                  GError                 **error);
void          cw_store_add_intervention_async    (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  CwIntervention          *intervention,
                                                  const char              *actor,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gint64        cw_store_add_intervention_finish   (CwStore                 *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
gboolean      cw_store_update_intervention       (CwStore                 *self,
                                                  gint64                   intervention_id,
                                                  const char              *title,
                                                  const char              *description,
                                                  const gint64            *price_cents,
                                                  const char              *actor,
                                                  GError                 **error);
void          cw_store_update_intervention_async (CwStore                 *self,
                                                  gint64                   intervention_id,
                                                  const char              *title,
                                                  const char              *description,
                                                  const gint64            *price_cents,
                                                  const char              *actor,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean      cw_store_update_intervention_finish (CwStore                *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
gboolean      cw_store_remove_intervention       (CwStore                 *self,
                                                  gint64                   intervention_id,
                                                  const char              *actor,
                                                  GError                 **error);
void          cw_store_remove_intervention_async (CwStore                 *self,
                                                  gint64                   intervention_id,
                                                  const char              *actor,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean      cw_store_remove_intervention_finish (CwStore                *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

gboolean      cw_store_apply_event               (CwStore                 *self,
                                                  const char              *connection_id,
                                                  gint64                   seq,
                                                  CwWorkorder             *workorder,
                                                  CwImportFlags            flags,
                                                  gboolean                *applied,
                                                  CwImportOutcome         *outcome,
                                                  GError                 **error);
gboolean      cw_store_reset_event_seq           (CwStore                 *self,
                                                  const char              *connection_id,
                                                  gint64                   seq,
                                                  GError                 **error);

gboolean      cw_store_set_writeback             (CwStore                 *self,
                                                  const char              *connection_id,
                                                  CwCapabilities           policy,
                                                  GError                 **error);
gboolean      cw_store_record_mileage            (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  gint64                   km,
                                                  const char              *actor,
                                                  gboolean                *queued,
                                                  GError                 **error);
void          cw_store_record_mileage_async      (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  gint64                   km,
                                                  const char              *actor,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean      cw_store_record_mileage_finish     (CwStore                 *self,
                                                  GAsyncResult            *result,
                                                  gboolean                *queued,
                                                  GError                 **error);
gboolean      cw_store_update_outbox             (CwStore                 *self,
                                                  gint64                   entry_id,
                                                  const CwOutboxUpdate    *update,
                                                  GError                 **error);
void          cw_store_update_outbox_async       (CwStore                 *self,
                                                  gint64                   entry_id,
                                                  const CwOutboxUpdate    *update,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean      cw_store_update_outbox_finish      (CwStore                 *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
gboolean      cw_store_record_ocw                (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  const CwOcwStatus       *status,
                                                  CwOcwOutcome            *outcome,
                                                  GError                 **error);
void          cw_store_record_ocw_async          (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  const CwOcwStatus       *status,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean      cw_store_record_ocw_finish         (CwStore                 *self,
                                                  GAsyncResult            *result,
                                                  CwOcwOutcome            *outcome,
                                                  GError                 **error);
gboolean      cw_store_recover_outbox            (CwStore                 *self,
                                                  GError                 **error);

/* Reads: on the thread that opened the store. */
gint64        cw_store_find_workorder            (CwStore                 *self,
                                                  const char              *connection_id,
                                                  const char              *dms_key,
                                                  GError                 **error);
CwWorkorder  *cw_store_load_workorder            (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  GError                 **error);
GPtrArray    *cw_store_list_days                 (CwStore                 *self,
                                                  const GDate             *first_day,
                                                  guint                    n_days,
                                                  GError                 **error);
GPtrArray    *cw_store_search                    (CwStore                 *self,
                                                  const char              *query,
                                                  guint                    limit,
                                                  GError                 **error);
GPtrArray    *cw_store_list_events               (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  GError                 **error);
GPtrArray    *cw_store_list_outbox               (CwStore                 *self,
                                                  gint64                   workorder_id,
                                                  GError                 **error);
GPtrArray    *cw_store_list_outbox_heads         (CwStore                 *self,
                                                  GError                 **error);
gint64        cw_store_get_event_seq             (CwStore                 *self,
                                                  const char              *connection_id,
                                                  GError                 **error);
GStrv         cw_store_list_dms_keys             (CwStore                 *self,
                                                  const char              *connection_id,
                                                  GError                 **error);
gint64        cw_store_count_workorders          (CwStore                 *self,
                                                  GError                 **error);
gboolean      cw_store_has_workorders            (CwStore                 *self);
gboolean      cw_store_check_integrity           (CwStore                 *self,
                                                  GError                 **error);

G_END_DECLS
