/* cw-outbox-entry.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-intervention.h"

G_BEGIN_DECLS

/**
 * CwOutboxKind:
 * @CW_OUTBOX_INTERVENTION: an intervention added in the app, to be added in the DMS
 * @CW_OUTBOX_MILEAGE: a mileage reading higher than the DMS's, to be recorded in the DMS
 *
 * What a change waiting to reach the DMS carries.
 */
typedef enum
{
  CW_OUTBOX_INTERVENTION,
  CW_OUTBOX_MILEAGE,
} CwOutboxKind;

/**
 * CwOutboxState:
 * @CW_OUTBOX_PENDING: waiting to be sent (perhaps until a retry is due)
 * @CW_OUTBOX_INFLIGHT: being sent now; at start-up such an entry goes back to pending and
 *   is sent again with the same idempotency key
 * @CW_OUTBOX_SENT: the DMS has it
 * @CW_OUTBOX_FAILED: the DMS refused it, or every attempt failed; the message says why
 * @CW_OUTBOX_DISMISSED: the advisor dismissed it; it stays in the app only
 *
 * Where a change waiting to reach the DMS is (DESIGN §5).
 */
typedef enum
{
  CW_OUTBOX_PENDING,
  CW_OUTBOX_INFLIGHT,
  CW_OUTBOX_SENT,
  CW_OUTBOX_FAILED,
  CW_OUTBOX_DISMISSED,
} CwOutboxState;

#define CW_TYPE_OUTBOX_ENTRY (cw_outbox_entry_get_type ())

G_DECLARE_FINAL_TYPE (CwOutboxEntry, cw_outbox_entry, CW, OUTBOX_ENTRY, GObject)

CwOutboxEntry  *cw_outbox_entry_new                 (CwOutboxKind     kind,
                                                     const char      *idem_key);
gint64          cw_outbox_entry_get_id              (CwOutboxEntry   *self);
void            cw_outbox_entry_set_id              (CwOutboxEntry   *self,
                                                     gint64           id);
CwOutboxKind    cw_outbox_entry_get_kind            (CwOutboxEntry   *self);
const char     *cw_outbox_entry_get_idem_key        (CwOutboxEntry   *self);
gint64          cw_outbox_entry_get_workorder_id    (CwOutboxEntry   *self);
void            cw_outbox_entry_set_workorder_id    (CwOutboxEntry   *self,
                                                     gint64           workorder_id);
const char     *cw_outbox_entry_get_connection_id   (CwOutboxEntry   *self);
void            cw_outbox_entry_set_connection_id   (CwOutboxEntry   *self,
                                                     const char      *connection_id);
const char     *cw_outbox_entry_get_dms_key         (CwOutboxEntry   *self);
void            cw_outbox_entry_set_dms_key         (CwOutboxEntry   *self,
                                                     const char      *dms_key);
const char     *cw_outbox_entry_get_wo_number       (CwOutboxEntry   *self);
void            cw_outbox_entry_set_wo_number       (CwOutboxEntry   *self,
                                                     const char      *wo_number);
CwIntervention *cw_outbox_entry_get_intervention    (CwOutboxEntry   *self);
void            cw_outbox_entry_set_intervention    (CwOutboxEntry   *self,
                                                     CwIntervention  *intervention);
gint64          cw_outbox_entry_get_mileage         (CwOutboxEntry   *self);
void            cw_outbox_entry_set_mileage         (CwOutboxEntry   *self,
                                                     gint64           mileage);
gint64          cw_outbox_entry_get_dms_mileage     (CwOutboxEntry   *self);
void            cw_outbox_entry_set_dms_mileage     (CwOutboxEntry   *self,
                                                     gint64           dms_mileage);
CwOutboxState   cw_outbox_entry_get_state           (CwOutboxEntry   *self);
void            cw_outbox_entry_set_state           (CwOutboxEntry   *self,
                                                     CwOutboxState    state);
guint           cw_outbox_entry_get_attempts        (CwOutboxEntry   *self);
void            cw_outbox_entry_set_attempts        (CwOutboxEntry   *self,
                                                     guint            attempts);
const char     *cw_outbox_entry_get_last_error      (CwOutboxEntry   *self);
void            cw_outbox_entry_set_last_error      (CwOutboxEntry   *self,
                                                     const char      *message);
GDateTime      *cw_outbox_entry_get_created_at      (CwOutboxEntry   *self);
void            cw_outbox_entry_set_created_at      (CwOutboxEntry   *self,
                                                     GDateTime       *at);
GDateTime      *cw_outbox_entry_get_sent_at         (CwOutboxEntry   *self);
void            cw_outbox_entry_set_sent_at         (CwOutboxEntry   *self,
                                                     GDateTime       *at);
GDateTime      *cw_outbox_entry_get_next_attempt_at (CwOutboxEntry   *self);
void            cw_outbox_entry_set_next_attempt_at (CwOutboxEntry   *self,
                                                     GDateTime       *at);
char           *cw_outbox_entry_dup_summary         (CwOutboxEntry   *self);

G_END_DECLS
