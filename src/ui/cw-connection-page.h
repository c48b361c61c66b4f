/* cw-connection-page.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cw-import-service.h"

G_BEGIN_DECLS

#define CW_TYPE_CONNECTION_PAGE (cw_connection_page_get_type ())

G_DECLARE_FINAL_TYPE (CwConnectionPage, cw_connection_page, CW, CONNECTION_PAGE, AdwBin)

CwConnectionPage *cw_connection_page_new_for_kind       (const char       *kind,
                                                         GSettings        *settings,
                                                         CwImportService  *service);
CwConnectionPage *cw_connection_page_new_for_connection (CwConnection     *connection,
                                                         GSettings        *settings,
                                                         CwImportService  *service);
CwConnection     *cw_connection_page_get_connection     (CwConnectionPage *self);
gboolean          cw_connection_page_get_is_new         (CwConnectionPage *self);

G_END_DECLS
