/* cw-ui.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-ui"

#include "config.h"

#include "cw-application.h"
#include "cw-cancel-dialog.h"
#include "cw-connection-page.h"
#include "cw-day-popover.h"
#include "cw-intervention-dialog.h"
#include "cw-ocw-button.h"
#include "cw-preferences-window.h"
#include "cw-search-result.h"
#include "cw-search-row.h"
#include "cw-status-bar.h"
#include "cw-status-filter.h"
#include "cw-ui-resources.h"
#include "cw-ui.h"
#include "cw-window.h"
#include "cw-workorder-page.h"

/**
 * cw_ui_ensure_types:
 *
 * Registers the UI's resources and every widget type of the UI, so that a .ui file can name
 * any of them. Add each new widget here: tests/ui/test-templates.c instantiates every
 * template in the resources and fails on a class this function does not register.
 */
void
cw_ui_ensure_types (void)
{
  /* Referencing the resource bundle links it in from the static library; its constructor
   * registers it. */
  g_assert (cw_ui_get_resource () != NULL);

  g_type_ensure (CW_TYPE_APPLICATION);
  g_type_ensure (CW_TYPE_CANCEL_DIALOG);
  g_type_ensure (CW_TYPE_CONNECTION_PAGE);
  g_type_ensure (CW_TYPE_DAY_POPOVER);
  g_type_ensure (CW_TYPE_INTERVENTION_DIALOG);
  g_type_ensure (CW_TYPE_OCW_BUTTON);
  g_type_ensure (CW_TYPE_PREFERENCES_WINDOW);
  g_type_ensure (CW_TYPE_SEARCH_RESULT);
  g_type_ensure (CW_TYPE_SEARCH_ROW);
  g_type_ensure (CW_TYPE_STATUS_BAR);
  g_type_ensure (CW_TYPE_STATUS_FILTER);
  g_type_ensure (CW_TYPE_WINDOW);
  g_type_ensure (CW_TYPE_WORKORDER_PAGE);
}
