/* cw-workorder-page.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-import-service.h"
#include "cw-ocw-service.h"
#include "cw-store.h"

G_BEGIN_DECLS

#define CW_TYPE_WORKORDER_PAGE (cw_workorder_page_get_type ())

G_DECLARE_FINAL_TYPE (CwWorkorderPage, cw_workorder_page, CW, WORKORDER_PAGE, AdwBin)

GtkWidget  *cw_workorder_page_new                  (void);
CwStore    *cw_workorder_page_get_store            (CwWorkorderPage *self);
void        cw_workorder_page_set_store            (CwWorkorderPage *self,
                                                    CwStore         *store);
CwImportService *cw_workorder_page_get_import_service (CwWorkorderPage *self);
void        cw_workorder_page_set_import_service   (CwWorkorderPage *self,
                                                    CwImportService *service);
void        cw_workorder_page_set_ocw_service      (CwWorkorderPage *self,
                                                    CwOcwService    *service);
gint64      cw_workorder_page_get_workorder_id     (CwWorkorderPage *self);
void        cw_workorder_page_set_workorder_id     (CwWorkorderPage *self,
                                                    gint64           id);
GtkWidget  *cw_workorder_page_get_ocw_slot         (CwWorkorderPage *self);
const char *cw_workorder_page_get_title            (CwWorkorderPage *self);

G_END_DECLS
