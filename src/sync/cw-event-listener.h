/* cw-event-listener.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-import-service.h"

G_BEGIN_DECLS

/* The first wait before connecting again after the change stream dropped, in ms ... */
#define CW_EVENT_LISTENER_FIRST_DELAY_MS 2000
/* ... doubling while it keeps failing, up to this. */
#define CW_EVENT_LISTENER_MAX_DELAY_MS   (5 * 60 * 1000)

#define CW_TYPE_EVENT_LISTENER (cw_event_listener_get_type ())

G_DECLARE_FINAL_TYPE (CwEventListener, cw_event_listener, CW, EVENT_LISTENER, GObject)

CwEventListener *cw_event_listener_new             (CwImportService  *service,
                                                    const char       *connection_id,
                                                    GNetworkMonitor  *monitor);
const char      *cw_event_listener_get_connection_id (CwEventListener *self);
void             cw_event_listener_start           (CwEventListener  *self);
void             cw_event_listener_stop            (CwEventListener  *self);
gboolean         cw_event_listener_is_started      (CwEventListener  *self);
gboolean         cw_event_listener_get_connected   (CwEventListener  *self);
guint            cw_event_listener_get_failures    (CwEventListener  *self);
guint            cw_event_listener_get_next_delay  (CwEventListener  *self);
const GError    *cw_event_listener_get_last_error  (CwEventListener  *self);
void             cw_event_listener_set_backoff     (CwEventListener  *self,
                                                    guint             first_delay_ms,
                                                    guint             max_delay_ms);

G_END_DECLS
