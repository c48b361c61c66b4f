/* cw-pon-account.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CW_PON_ACCOUNT_ERROR (cw_pon_account_error_quark ())

/**
 * CwPonAccountError:
 * @CW_PON_ACCOUNT_ERROR_NO_KEYRING: no keyring can keep the password; it is kept for this
 *   run only (the message says so plainly)
 * @CW_PON_ACCOUNT_ERROR_INVALID: a user name or password is missing
 */
typedef enum
{
  CW_PON_ACCOUNT_ERROR_NO_KEYRING,
  CW_PON_ACCOUNT_ERROR_INVALID,
} CwPonAccountError;

GQuark cw_pon_account_error_quark (void);

#define CW_TYPE_PON_ACCOUNT (cw_pon_account_get_type ())

G_DECLARE_FINAL_TYPE (CwPonAccount, cw_pon_account, CW, PON_ACCOUNT, GObject)

/*
 * The dealer's PON account: the user name and password, in the keyring only (libsecret
 * schema com.claire.Workshop.PonAccount, docs/configuration.md), looked up
 * asynchronously. When no keyring can keep them, they are kept in memory for this run and
 * never written anywhere else. ::changed is emitted when the account is stored, forgotten
 * or first looked up; `has-account` says whether there is one.
 */

CwPonAccount *cw_pon_account_new                (void);
gboolean      cw_pon_account_get_has_account    (CwPonAccount         *self);
const char   *cw_pon_account_get_username       (CwPonAccount         *self);
gboolean      cw_pon_account_get_session_only   (CwPonAccount         *self);
void          cw_pon_account_load_async         (CwPonAccount         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      cw_pon_account_load_finish        (CwPonAccount         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void          cw_pon_account_lookup_password_async  (CwPonAccount     *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char         *cw_pon_account_lookup_password_finish (CwPonAccount     *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void          cw_pon_account_store_async        (CwPonAccount         *self,
                                                 const char           *username,
                                                 const char           *password,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      cw_pon_account_store_finish       (CwPonAccount         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void          cw_pon_account_forget_async       (CwPonAccount         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      cw_pon_account_forget_finish      (CwPonAccount         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Added with the implementation. */
gboolean      cw_pon_account_get_loaded         (CwPonAccount         *self);
void          cw_pon_account_free_password      (char                 *password);

G_END_DECLS
