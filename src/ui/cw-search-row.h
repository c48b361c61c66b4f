/* cw-search-row.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cw-search-result.h"

G_BEGIN_DECLS

#define CW_TYPE_SEARCH_ROW (cw_search_row_get_type ())

G_DECLARE_FINAL_TYPE (CwSearchRow, cw_search_row, CW, SEARCH_ROW, GtkWidget)

GtkWidget      *cw_search_row_new         (void);
CwSearchResult *cw_search_row_get_result  (CwSearchRow    *self);
void            cw_search_row_set_result  (CwSearchRow    *self,
                                           CwSearchResult *result);

G_END_DECLS
