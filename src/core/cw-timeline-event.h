/* cw-timeline-event.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-status.h"

G_BEGIN_DECLS

/**
 * CwEventKind:
 * @CW_EVENT_STATUS_CHANGED: the process status moved (status-from → status-to)
 * @CW_EVENT_CAR_IN: the car was reported in the shop
 * @CW_EVENT_CAR_OUT: the car left the shop
 * @CW_EVENT_CANCELED: the workorder was canceled; cancel-reason says why, and the detail
 *   holds the advisor's text for "Other"
 * @CW_EVENT_IMPORTED: the workorder was imported from the DMS
 * @CW_EVENT_REFRESHED: the workorder's DMS data was refreshed
 * @CW_EVENT_SYNC_FAILED: an import or refresh failed; the detail holds the message
 * @CW_EVENT_REFRESH_SKIPPED: a refresh found work started, and the connection does not
 *   take DMS changes after that: the DMS data was kept as it was
 * @CW_EVENT_INTERVENTION_ADDED: the advisor added an intervention; the detail holds its title
 * @CW_EVENT_INTERVENTION_CHANGED: the advisor changed an intervention added in the app; the
 *   detail holds its (new) title
 * @CW_EVENT_INTERVENTION_REMOVED: the advisor removed an intervention added in the app; the
 *   detail holds its title
 *
 * What happened to a workorder. Stored by nick, so new kinds need no migration.
 */
typedef enum
{
  CW_EVENT_STATUS_CHANGED,
  CW_EVENT_CAR_IN,
  CW_EVENT_CAR_OUT,
  CW_EVENT_CANCELED,
  CW_EVENT_IMPORTED,
  CW_EVENT_REFRESHED,
  CW_EVENT_SYNC_FAILED,
  CW_EVENT_REFRESH_SKIPPED,
  CW_EVENT_INTERVENTION_ADDED,
  CW_EVENT_INTERVENTION_CHANGED,
  CW_EVENT_INTERVENTION_REMOVED,
  CW_EVENT_MILEAGE_RECORDED,
  CW_EVENT_WRITTEN_BACK,
  CW_EVENT_WRITEBACK_FAILED,
} CwEventKind;

#define CW_TYPE_TIMELINE_EVENT (cw_timeline_event_get_type ())

G_DECLARE_FINAL_TYPE (CwTimelineEvent, cw_timeline_event, CW, TIMELINE_EVENT, GObject)

CwTimelineEvent *cw_timeline_event_new              (CwEventKind      kind,
                                                     GDateTime       *at,
                                                     const char      *actor);
gint64           cw_timeline_event_get_id           (CwTimelineEvent *self);
CwEventKind      cw_timeline_event_get_kind         (CwTimelineEvent *self);
GDateTime       *cw_timeline_event_get_at           (CwTimelineEvent *self);
const char      *cw_timeline_event_get_actor        (CwTimelineEvent *self);
CwStatus         cw_timeline_event_get_status_from  (CwTimelineEvent *self);
CwStatus         cw_timeline_event_get_status_to    (CwTimelineEvent *self);
CwCancelReason   cw_timeline_event_get_cancel_reason (CwTimelineEvent *self);
const char      *cw_timeline_event_get_detail       (CwTimelineEvent *self);
char            *cw_timeline_event_dup_description  (CwTimelineEvent *self);

G_END_DECLS
