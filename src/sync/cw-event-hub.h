/* cw-event-hub.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-event-listener.h"
#include "cw-import-service.h"

G_BEGIN_DECLS

#define CW_TYPE_EVENT_HUB (cw_event_hub_get_type ())

G_DECLARE_FINAL_TYPE (CwEventHub, cw_event_hub, CW, EVENT_HUB, GObject)

CwEventHub      *cw_event_hub_new          (CwImportService *service,
                                            GNetworkMonitor *monitor);
void             cw_event_hub_start        (CwEventHub      *self);
void             cw_event_hub_stop         (CwEventHub      *self);
CwEventListener *cw_event_hub_get_listener (CwEventHub      *self,
                                            const char      *connection_id);

G_END_DECLS
