/* cw-ocw-service.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-pon-account.h"
#include "cw-pon-client.h"
#include "cw-store.h"

G_BEGIN_DECLS

/**
 * CwPonClientFactory:
 * @user_data: the data given with the factory
 * @error: return location for why there is no client
 *
 * Makes the PON client when it is first needed (its HTTP session loads the system's
 * certificates, which the window's first frame should not wait for).
 *
 * Returns: (transfer full) (nullable): the client
 */
typedef CwPonClient *(*CwPonClientFactory) (gpointer   user_data,
                                            GError   **error);

#define CW_TYPE_OCW_SERVICE (cw_ocw_service_get_type ())

G_DECLARE_FINAL_TYPE (CwOcwService, cw_ocw_service, CW, OCW_SERVICE, GObject)

CwOcwService *cw_ocw_service_new               (CwStore           *store,
                                                CwPonAccount      *account,
                                                CwPonClient       *client);
CwPonAccount *cw_ocw_service_get_account       (CwOcwService      *self);
void          cw_ocw_service_set_client        (CwOcwService      *self,
                                                CwPonClient       *client);
void          cw_ocw_service_set_client_factory (CwOcwService     *self,
                                                CwPonClientFactory factory,
                                                gpointer           user_data);
gboolean      cw_ocw_service_shows_button      (CwOcwService      *self,
                                                CwWorkorder       *workorder);
gboolean      cw_ocw_service_workorder_opened  (CwOcwService      *self,
                                                gint64             workorder_id);
gboolean      cw_ocw_service_is_checking       (CwOcwService      *self,
                                                gint64             workorder_id);
const GError *cw_ocw_service_get_error         (CwOcwService      *self,
                                                gint64             workorder_id);
void          cw_ocw_service_stop              (CwOcwService      *self);

G_END_DECLS
