/* cw-pon-client.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-pon-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-http-client.h"
#include "cw-pon-client.h"
#include "cw-pon-client-private.h"
#include "cw-pon-mapping.h"
#include "cw-text.h"

/*
 * The PON API client (DESIGN §4, docs/pon-api.md):
 *
 * - Login: POST {base}/auth/token with {"username", "password"}; the password is read
 *   from the keyring (CwPonAccount) for each login and freed once the request is built.
 *   The bearer token is kept until 60 s before it expires, and fetched again once when the
 *   API answers 401 (it may have been revoked early). Requests that need a token while one
 *   is being fetched wait for that one, so ten cars asked at once make one login.
 * - A car: GET {base}/vehicles/{VIN}/ocw, mapped by cw-pon-mapping.c.
 * - Transport, retries, TLS and the body cap are the net layer's (docs/net.md); GET and the
 *   login are retried on timeouts, 429 and 502–504.
 *
 * Everything runs on the thread that created the client (the HTTP client's rule).
 */

#define SERVICE_NAME         "PON"
#define TOKEN_RENEW_MARGIN_S 60

struct _CwPonClient
{
  GObject       parent_instance;

  char         *base_url;
  CwPonAccount *account;
  CwHttpClient *http;

  /* The bearer token and when to fetch a new one (monotonic time). */
  char         *token;
  gint64        token_renew_at;
  /* Bumped when the account changes: a login that started before must not be kept. */
  guint         account_generation;

  /* Whether a login is in flight, and the TokenWaiters waiting for it. */
  gboolean      logging_in;
  GPtrArray    *token_waiters;
};

G_DEFINE_FINAL_TYPE (CwPonClient, cw_pon_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (cw-pon-error-quark, cw_pon_error)

/* ------------------------------------------------------------------------------------- */
/* Logging in                                                                            */
/* ------------------------------------------------------------------------------------- */

static CwHttpRequest *
login_request_new (CwPonClient *self,
                   const char  *username,
                   const char  *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = g_strconcat (self->base_url, CW_PON_PATH_LOGIN, NULL);
  CwHttpRequest *request;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  request = cw_http_request_new ("POST", url);
  cw_http_request_set_json_body (request, body);
  /* Asking for a token twice only gives two tokens: safe to retry. */
  cw_http_request_set_idempotent (request, TRUE);

  return request;
}

/* What a login answer that gave no token means. */
static GError *
login_error_new (CwHttpResponse *response)
{
  guint status = cw_http_response_get_status (response);
  GError *error = NULL;

  if (status == 400 || status == 401)
    return g_error_new_literal (CW_PON_ERROR, CW_PON_ERROR_LOGIN,
                                _("PON refused the user name or password. Check the PON "
                                  "account in Preferences."));

  if (status == 403)
    return g_error_new_literal (CW_PON_ERROR, CW_PON_ERROR_LOGIN,
                                _("PON refused this account access to One Connect Workspace. "
                                  "Ask PON to grant it, or check the PON account in "
                                  "Preferences."));

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    return error;

  return g_error_new_literal (CW_PON_ERROR, CW_PON_ERROR_MALFORMED,
                              _("The PON login sent an answer Claire Workshop cannot use. Try "
                                "again later; if it persists, report it to PON."));
}

/* A login's answer: the token (transfer full) or the error. */
static char *
read_login_answer (CwHttpResponse  *response,
                   gint64          *lifetime_s,
                   GError         **error)
{
  guint status = cw_http_response_get_status (response);
  char *token = NULL;

  if (status < 200 || status > 299 ||
      !cw_pon_read_token (cw_http_response_get_body (response), &token, lifetime_s))
    {
      g_propagate_error (error, login_error_new (response));
      return NULL;
    }

  return token;
}

typedef struct
{
  GTask   *task;
  /* Ends the wait early when the task's cancellable is cancelled. */
  GSource *cancelled;
} TokenWaiter;

static void
token_waiter_free (TokenWaiter *waiter)
{
  if (waiter->cancelled != NULL)
    {
      g_source_destroy (waiter->cancelled);
      g_source_unref (waiter->cancelled);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static gboolean
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  TokenWaiter *waiter = user_data;
  GTask *task = g_object_ref (waiter->task);
  CwPonClient *self = g_task_get_source_object (task);

  /* Frees the waiter, and with it this source, before the callback can run. */
  g_ptr_array_remove (self->token_waiters, waiter);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
forget_token (CwPonClient *self)
{
  g_clear_pointer (&self->token, g_free);
  self->token_renew_at = 0;
}

static void
complete_token_waiters (CwPonClient  *self,
                        const char   *token,
                        const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->token_waiters);

  /* A callback may ask for a token again: it finds a fresh list. */
  self->token_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) token_waiter_free);
  self->logging_in = FALSE;

  for (guint i = 0; i < waiters->len; i++)
    {
      TokenWaiter *waiter = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_pointer (waiter->task, g_strdup (token), g_free);
    }
}

typedef struct
{
  CwPonClient *self;
  guint        generation;
} Login;

static void
login_free (Login *login)
{
  g_object_unref (login->self);
  g_free (login);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Login, login_free)

static void
on_login_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Login) login = user_data;
  CwPonClient *self = login->self;
  g_autoptr(CwHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 lifetime_s = 0;

  response = cw_http_client_send_finish (CW_HTTP_CLIENT (source), result, &error);
  if (response != NULL)
    token = read_login_answer (response, &lifetime_s, &error);

  /* Kept only if the account is still the one it logged in with. */
  if (token != NULL && login->generation == self->account_generation)
    {
      g_free (self->token);
      self->token = g_strdup (token);
      /* A token that lives no longer than the margin serves the waiting requests only. */
      self->token_renew_at = g_get_monotonic_time () +
                             MAX (lifetime_s - TOKEN_RENEW_MARGIN_S, 0) * G_USEC_PER_SEC;
      g_debug ("New PON token, valid for %" G_GINT64_FORMAT " s", lifetime_s);
    }

  complete_token_waiters (self, token, error);
}

static void
on_password (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Login) login = user_data;
  CwPonClient *self = login->self;
  g_autoptr(CwHttpRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  password = cw_pon_account_lookup_password_finish (CW_PON_ACCOUNT (source), result, &error);
  if (password == NULL || cw_pon_account_get_username (self->account) == NULL)
    {
      g_autoptr(GError) no_account = NULL;

      if (error != NULL)
        no_account = g_error_new (CW_PON_ERROR, CW_PON_ERROR_NO_ACCOUNT,
                                  /* Translators: %s says why the keyring cannot be used */
                                  _("The PON password cannot be read from the keyring. %s"),
                                  error->message);
      else
        no_account = g_error_new_literal (CW_PON_ERROR, CW_PON_ERROR_NO_ACCOUNT,
                                          _("No PON account is saved. Enter the PON user name "
                                            "and password in Preferences."));
      cw_pon_account_free_password (password);
      complete_token_waiters (self, NULL, no_account);
      return;
    }

  request = login_request_new (self, cw_pon_account_get_username (self->account), password);
  cw_pon_account_free_password (password);

  /* No cancellable: other requests may be waiting for this token. */
  cw_http_client_send_async (self->http, request, NULL, on_login_answer, g_steal_pointer (&login));
}

static void
start_login (CwPonClient *self)
{
  Login *login = g_new0 (Login, 1);

  g_assert (!self->logging_in);
  self->logging_in = TRUE;

  login->self = g_object_ref (self);
  login->generation = self->account_generation;

  cw_pon_account_lookup_password_async (self->account, NULL, on_password, login);
}

/* Gives the cached token, or waits for a new one (as a string, transfer full). */
static void
get_token_async (CwPonClient         *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  TokenWaiter *waiter;

  g_task_set_source_tag (task, get_token_async);

  if (self->token != NULL && g_get_monotonic_time () < self->token_renew_at)
    {
      g_task_return_pointer (task, g_strdup (self->token), g_free);
      return;
    }

  waiter = g_new0 (TokenWaiter, 1);
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      waiter->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancelled, G_SOURCE_FUNC (on_waiter_cancelled), waiter, NULL);
      g_source_attach (waiter->cancelled, g_task_get_context (waiter->task));
    }
  g_ptr_array_add (self->token_waiters, waiter);

  if (!self->logging_in)
    start_login (self);
}

static char *
get_token_finish (CwPonClient   *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* GObject                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
on_account_changed (CwPonClient *self)
{
  /* Another user, or none: the token of the old one must not be used for the new. */
  self->account_generation++;
  forget_token (self);
}

static void
cw_pon_client_finalize (GObject *object)
{
  CwPonClient *self = (CwPonClient *)object;

  g_clear_pointer (&self->token_waiters, g_ptr_array_unref);
  forget_token (self);
  g_clear_object (&self->http);
  g_clear_object (&self->account);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (cw_pon_client_parent_class)->finalize (object);
}

static void
cw_pon_client_class_init (CwPonClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_pon_client_finalize;
}

static void
cw_pon_client_init (CwPonClient *self)
{
  self->token_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) token_waiter_free);
}

/* https, or plain http to this machine (the simulator): a password never goes in clear
 * over a network. */
static gboolean
address_is_usable (const char *address)
{
  g_autoptr(GUri) uri = g_uri_parse (address, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return FALSE;

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 &&
         (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") ||
          g_ascii_strcasecmp (host, "localhost") == 0);
}

/**
 * cw_pon_client_new:
 * @base_url: the PON API's base address (the pon-endpoint setting), e.g.
 *   `https://api.pon.nl/ocw/v1`
 * @ca_file: (nullable): an absolute path to a PEM file of the authority to trust instead of
 *   the system's (the pon-ca-file setting); %NULL or empty: the system's
 * @account: (nullable): the dealer's PON account; without one only
 *   cw_pon_client_check_async() can be used
 * @error: %CW_PON_ERROR_CONFIGURATION for an address that is empty or not https, or the
 *   net layer's error for an unusable CA file
 *
 * Returns: (transfer full) (nullable): the client
 */
CwPonClient *
cw_pon_client_new (const char    *base_url,
                   const char    *ca_file,
                   CwPonAccount  *account,
                   GError       **error)
{
  g_autoptr(CwPonClient) self = NULL;
  g_autofree char *base = cw_text_dup_stripped (base_url);
  gsize length;

  g_return_val_if_fail (account == NULL || CW_IS_PON_ACCOUNT (account), NULL);

  if (base == NULL)
    {
      g_set_error_literal (error, CW_PON_ERROR, CW_PON_ERROR_CONFIGURATION,
                           _("No address of the PON API is set. Set it in the settings "
                             "(pon-endpoint, see the documentation on configuration)."));
      return NULL;
    }

  length = strlen (base);
  while (length > 0 && base[length - 1] == '/')
    base[--length] = '\0';

  if (!address_is_usable (base))
    {
      g_set_error (error, CW_PON_ERROR, CW_PON_ERROR_CONFIGURATION,
                   /* Translators: %s is the address as set */
                   _("The address of the PON API “%s” cannot be used: it must be an https:// "
                     "address. Correct the setting pon-endpoint."),
                   base);
      return NULL;
    }

  self = g_object_new (CW_TYPE_PON_CLIENT, NULL);
  self->base_url = g_steal_pointer (&base);
  self->http = cw_http_client_new (SERVICE_NAME, ca_file, error);
  if (self->http == NULL)
    return NULL;

  if (account != NULL)
    {
      self->account = g_object_ref (account);
      g_signal_connect_object (account, "changed", G_CALLBACK (on_account_changed), self,
                               G_CONNECT_SWAPPED);
    }

  return g_steal_pointer (&self);
}

const char *
cw_pon_client_get_base_url (CwPonClient *self)
{
  g_return_val_if_fail (CW_IS_PON_CLIENT (self), NULL);

  return self->base_url;
}

/* ------------------------------------------------------------------------------------- */
/* Checking a user name and password                                                     */
/* ------------------------------------------------------------------------------------- */

static void
on_check_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CwHttpResponse) response = NULL;
  g_autofree char *token = NULL;
  GError *error = NULL;
  gint64 lifetime_s;

  response = cw_http_client_send_finish (CW_HTTP_CLIENT (source), result, &error);
  if (response != NULL)
    token = read_login_answer (response, &lifetime_s, &error);

  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cw_pon_client_check_async:
 * @self: a #CwPonClient
 * @username: a PON user name, as typed
 * @password: its password, as typed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Logs in with @username and @password ("Test Connection" in Preferences). The token it
 * gets is dropped; the account's is not touched.
 */
void
cw_pon_client_check_async (CwPonClient         *self,
                           const char          *username,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CwHttpRequest) request = NULL;
  g_autofree char *user = cw_text_dup_stripped (username);

  g_return_if_fail (CW_IS_PON_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_pon_client_check_async);

  if (user == NULL || password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, CW_PON_ERROR, CW_PON_ERROR_NO_ACCOUNT,
                               _("Enter the PON user name and password first."));
      return;
    }

  request = login_request_new (self, user, password);
  cw_http_client_send_async (self->http, request, cancellable, on_check_answer,
                             g_steal_pointer (&task));
}

/**
 * cw_pon_client_check_finish:
 *
 * Returns: %TRUE when PON accepted the login; otherwise %CW_PON_ERROR_LOGIN for a refused
 *   user name or password, or the net layer's error
 */
gboolean
cw_pon_client_check_finish (CwPonClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (CW_IS_PON_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* A car                                                                                 */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  char     *vin;
  /* The token of the attempt in flight, and whether it is the second one. */
  char     *token;
  gboolean  renewed;
} CarRequest;

static void
car_request_free (CarRequest *car)
{
  g_free (car->vin);
  g_free (car->token);
  g_free (car);
}

static void get_car_with_token (GTask *task);

static void
on_car_answer (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwPonClient *self = g_task_get_source_object (task);
  CarRequest *car = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  CwOcwStatus *status;
  GError *error = NULL;
  guint code;

  response = cw_http_client_send_finish (CW_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  code = cw_http_response_get_status (response);

  if (code == 401)
    {
      if (!car->renewed)
        {
          /* Revoked or expired early: one new token, unless another request got one. */
          g_debug ("PON refused the token; logging in again");
          if (g_strcmp0 (self->token, car->token) == 0)
            forget_token (self);
          car->renewed = TRUE;
          get_car_with_token (g_steal_pointer (&task));
          return;
        }

      g_task_return_new_error (task, CW_PON_ERROR, CW_PON_ERROR_LOGIN,
                               _("PON accepted the login but refused the question about the "
                                 "car. Check the PON account in Preferences, or ask PON "
                                 "whether it may use One Connect Workspace."));
      return;
    }

  if (code == 404 && cw_pon_is_unknown_car (cw_http_response_get_body (response)))
    {
      g_task_return_new_error (task, CW_PON_ERROR, CW_PON_ERROR_UNKNOWN_CAR,
                               /* Translators: %s is a VIN */
                               _("PON does not know the car with VIN %s."), car->vin);
      return;
    }

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  status = cw_pon_map_car (cw_http_response_get_body (response), car->vin, &error);
  if (status == NULL)
    {
      g_debug ("%s", error->message);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, status, (GDestroyNotify) cw_ocw_status_free);
}

static void
on_car_token (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwPonClient *self = CW_PON_CLIENT (source);
  CarRequest *car = g_task_get_task_data (task);
  g_autoptr(CwHttpRequest) request = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *url = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  g_free (car->token);
  car->token = get_token_finish (self, result, &error);
  if (car->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A normalized VIN is letters and digits only: nothing to escape. */
  url = g_strconcat (self->base_url, CW_PON_PATH_VEHICLES, car->vin, CW_PON_PATH_OCW, NULL);
  request = cw_http_request_new ("GET", url);
  authorization = g_strconcat ("Bearer ", car->token, NULL);
  cw_http_request_set_header (request, "Authorization", authorization);

  cancellable = g_task_get_cancellable (task);
  cw_http_client_send_async (self->http, request, cancellable, on_car_answer,
                             g_steal_pointer (&task));
}

/* Takes over @task. */
static void
get_car_with_token (GTask *task)
{
  CwPonClient *self = g_task_get_source_object (task);

  get_token_async (self, g_task_get_cancellable (task), on_car_token, task);
}

/**
 * cw_pon_client_get_car_async:
 * @self: a #CwPonClient
 * @vin: the car's VIN, as the DMS gave it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with PON's answer
 * @user_data: data for @callback
 *
 * Asks PON about one car, logging in first if needed.
 */
void
cw_pon_client_get_car_async (CwPonClient         *self,
                             const char          *vin,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CarRequest *car;

  g_return_if_fail (CW_IS_PON_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_pon_client_get_car_async);

  if (self->account == NULL)
    {
      g_task_return_new_error (task, CW_PON_ERROR, CW_PON_ERROR_NO_ACCOUNT,
                               _("No PON account is saved. Enter the PON user name and "
                                 "password in Preferences."));
      return;
    }

  car = g_new0 (CarRequest, 1);
  car->vin = cw_pon_normalize_vin (vin);
  g_task_set_task_data (task, car, (GDestroyNotify) car_request_free);

  if (car->vin == NULL)
    {
      g_task_return_new_error (task, CW_PON_ERROR, CW_PON_ERROR_UNKNOWN_CAR,
                               /* Translators: %s is what the DMS has as the car's VIN */
                               _("“%s” is not a VIN that PON can look up."),
                               vin != NULL ? vin : "");
      return;
    }

  get_car_with_token (g_steal_pointer (&task));
}

/**
 * cw_pon_client_get_car_finish:
 *
 * Returns: (transfer full) (nullable): what PON says about the car; %NULL with
 *   %CW_PON_ERROR_UNKNOWN_CAR, %CW_PON_ERROR_MALFORMED (naming the field),
 *   %CW_PON_ERROR_LOGIN, %CW_PON_ERROR_NO_ACCOUNT, or the net layer's error
 */
CwOcwStatus *
cw_pon_client_get_car_finish (CwPonClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (CW_IS_PON_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* For the tests (cw-pon-client-private.h)                                               */
/* ------------------------------------------------------------------------------------- */

CwHttpClient *
cw_pon_client_get_http_client (CwPonClient *self)
{
  g_return_val_if_fail (CW_IS_PON_CLIENT (self), NULL);

  return self->http;
}
