/* cw-pon-client.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cw-ocw.h"
#include "cw-pon-account.h"

G_BEGIN_DECLS

#define CW_PON_ERROR (cw_pon_error_quark ())

/**
 * CwPonError:
 * @CW_PON_ERROR_NO_ACCOUNT: no PON account is stored
 * @CW_PON_ERROR_LOGIN: PON refused the user name or password
 * @CW_PON_ERROR_UNKNOWN_CAR: PON does not know the VIN
 * @CW_PON_ERROR_MALFORMED: PON sent what the client cannot use; the message says what
 * @CW_PON_ERROR_CONFIGURATION: no PON address is configured, or it is not usable
 *
 * Errors of the PON client. Transport and HTTP failures come as #CwNetError, with the
 * net/ rules for retries and TLS (docs/net.md).
 */
typedef enum
{
  CW_PON_ERROR_NO_ACCOUNT,
  CW_PON_ERROR_LOGIN,
  CW_PON_ERROR_UNKNOWN_CAR,
  CW_PON_ERROR_MALFORMED,
  CW_PON_ERROR_CONFIGURATION,
} CwPonError;

GQuark cw_pon_error_quark (void);

#define CW_TYPE_PON_CLIENT (cw_pon_client_get_type ())

G_DECLARE_FINAL_TYPE (CwPonClient, cw_pon_client, CW, PON_CLIENT, GObject)

/*
 * The PON API client (docs/pon-api.md): logs in with the dealer's PON account (password
 * looked up from the keyring per login, never kept longer than the request), reuses its
 * token until it expires, logs in again once on a 401, and asks per car, by VIN.
 */

CwPonClient  *cw_pon_client_new              (const char           *base_url,
                                              const char           *ca_file,
                                              CwPonAccount         *account,
                                              GError              **error);
const char   *cw_pon_client_get_base_url     (CwPonClient          *self);
void          cw_pon_client_check_async      (CwPonClient          *self,
                                              const char           *username,
                                              const char           *password,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean      cw_pon_client_check_finish     (CwPonClient          *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void          cw_pon_client_get_car_async    (CwPonClient          *self,
                                              const char           *vin,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CwOcwStatus  *cw_pon_client_get_car_finish   (CwPonClient          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
