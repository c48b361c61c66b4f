/* cw-capabilities.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CwCapabilities:
 * @CW_CAPABILITY_SEARCH_IMPORT: a WO number or plate typed in the search is fetched from
 *   the DMS and imported
 * @CW_CAPABILITY_REFRESH: the workorder page can fetch one workorder again
 * @CW_CAPABILITY_KEEP_IMPORTING: the app polls the DMS on its own for new and changed
 *   workorders around today
 * @CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED: the dealer may choose to take DMS changes
 *   after work has started (off: the DMS data freezes once work starts)
 * @CW_CAPABILITY_WRITEBACK_INTERVENTIONS: interventions added in the app can be written
 *   to the DMS
 * @CW_CAPABILITY_WRITEBACK_MILEAGE: a higher mileage can be written to the DMS
 * @CW_CAPABILITY_EVENTS: the DMS pushes change events
 *
 * What a DMS connector can do (DESIGN §3).
 */
typedef enum /*< flags >*/
{
  CW_CAPABILITY_NONE                      = 0,
  CW_CAPABILITY_SEARCH_IMPORT             = 1 << 0,
  CW_CAPABILITY_REFRESH                   = 1 << 1,
  CW_CAPABILITY_KEEP_IMPORTING            = 1 << 2,
  CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED = 1 << 3,
  CW_CAPABILITY_WRITEBACK_INTERVENTIONS   = 1 << 4,
  CW_CAPABILITY_WRITEBACK_MILEAGE         = 1 << 5,
  CW_CAPABILITY_EVENTS                    = 1 << 6,
} CwCapabilities;

G_END_DECLS
