/* cw-search-result.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-workorder-summary.h"

G_BEGIN_DECLS

/**
 * CwSearchResultKind:
 * @CW_SEARCH_RESULT_WORKORDER: a stored workorder that matches
 * @CW_SEARCH_RESULT_IMPORT: nothing stored matches; the connection can import it
 * @CW_SEARCH_RESULT_SYNC: nothing stored matches and the connection cannot search-import:
 *   it keeps importing, and "Sync now" asks it for the newest workorders
 * @CW_SEARCH_RESULT_NONE: nothing matches and nothing can be imported
 *
 * What a row of the search results offers.
 */
typedef enum
{
  CW_SEARCH_RESULT_WORKORDER,
  CW_SEARCH_RESULT_IMPORT,
  CW_SEARCH_RESULT_SYNC,
  CW_SEARCH_RESULT_NONE,
} CwSearchResultKind;

#define CW_TYPE_SEARCH_RESULT (cw_search_result_get_type ())

G_DECLARE_FINAL_TYPE (CwSearchResult, cw_search_result, CW, SEARCH_RESULT, GObject)

CwSearchResult     *cw_search_result_new_workorder    (CwWorkorderSummary *summary);
CwSearchResult     *cw_search_result_new_action       (CwSearchResultKind  kind,
                                                       const char         *query,
                                                       const char         *connection_id,
                                                       const char         *title,
                                                       const char         *subtitle);
CwSearchResultKind  cw_search_result_get_kind         (CwSearchResult     *self);
CwWorkorderSummary *cw_search_result_get_summary      (CwSearchResult     *self);
const char         *cw_search_result_get_query        (CwSearchResult     *self);
const char         *cw_search_result_get_connection_id (CwSearchResult    *self);
const char         *cw_search_result_get_title        (CwSearchResult     *self);
const char         *cw_search_result_get_subtitle     (CwSearchResult     *self);
gboolean            cw_search_result_get_busy         (CwSearchResult     *self);
void                cw_search_result_set_busy         (CwSearchResult     *self,
                                                       gboolean            busy);

G_END_DECLS
