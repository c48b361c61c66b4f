/* cw-autoflex-connector.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-autoflex-connector"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-autoflex-connector-private.h"
#include "cw-autoflex-mapping.h"
#include "cw-http-client.h"
#include "cw-text.h"

/*
 * The Autoflex 10 client (DESIGN §3, docs/connectors/autoflex.md): keep-importing only.
 *
 * The connection's endpoint is Autoflex's bootstrap URL. GET {bootstrap}/authenticate with
 * the API key, user name and password gives a token, the `api_url` every data call goes
 * to, and the token's end of validity (Amsterdam time without a zone). Data calls carry
 * the `token` and `apikey` headers. The token is renewed 60 seconds before it ends, and
 * once when Autoflex refuses it (HTTP 401, or `errorCode` 401 in an HTTP 200 answer), after
 * which the request is repeated once. HTTP 202 with `{"retry": ms}` means "busy, ask again
 * after that long": honoured a few times, then given up. Any `{errorCode, errorMessage}`
 * body is an error, whatever the HTTP status.
 *
 * The connector lives on the main thread; the mapping of each page runs in a worker
 * thread, as pages of hundreds of orders take a while.
 */

/* Renew this long before the token's end, so that no request races its expiry. */
#define RENEW_MARGIN_US           (60 * G_USEC_PER_SEC)
/* The longest a token is trusted, whatever Autoflex says (the public clients do the same). */
#define MAX_TOKEN_LIFETIME_US     ((gint64) 30 * 60 * G_USEC_PER_SEC)
/* HTTP 202 without a usable `retry`: wait this long. */
#define DEFAULT_THROTTLE_WAIT_MS  1000
/* The longest wait a 202 may ask for; longer is taken as this. */
#define MAX_THROTTLE_WAIT_MS      60000
#define DEFAULT_MAX_THROTTLE_WAITS 5
/* A day with more pages than this is a DMS looping on `nextpage`, not a busy workshop. */
#define MAX_PAGES_PER_DAY         1000

#define SERVICE_NAME "Autoflex"

struct _CwAutoflexConnector
{
  GObject       parent_instance;

  CwConnection *connection;
  CwHttpClient *client;
  char         *bootstrap;
  char         *api_key;
  char         *username;
  char         *password;

  /* The session: the token, where to use it, and when to renew it. */
  char         *token;
  char         *api_url;
  gint64        renew_at;
  guint         token_serial;

  guint         max_throttle_waits;
};

static void cw_autoflex_connector_iface_init (CwConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CwAutoflexConnector, cw_autoflex_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CW_TYPE_CONNECTOR,
                                                      cw_autoflex_connector_iface_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    explicit_bzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
forget_token (CwAutoflexConnector *self)
{
  clear_secret (&self->token);
  g_clear_pointer (&self->api_url, g_free);
  self->renew_at = 0;
}

static void
cw_autoflex_connector_finalize (GObject *object)
{
  CwAutoflexConnector *self = (CwAutoflexConnector *)object;

  forget_token (self);
  clear_secret (&self->api_key);
  clear_secret (&self->username);
  clear_secret (&self->password);
  g_clear_pointer (&self->bootstrap, g_free);
  g_clear_object (&self->client);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (cw_autoflex_connector_parent_class)->finalize (object);
}

static void
cw_autoflex_connector_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CwAutoflexConnector *self = CW_AUTOFLEX_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_autoflex_connector_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CwAutoflexConnector *self = CW_AUTOFLEX_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_set_object (&self->connection, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_autoflex_connector_class_init (CwAutoflexConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_autoflex_connector_finalize;
  object_class->get_property = cw_autoflex_connector_get_property;
  object_class->set_property = cw_autoflex_connector_set_property;

  g_object_class_override_property (object_class, PROP_CONNECTION, "connection");
}

static void
cw_autoflex_connector_init (CwAutoflexConnector *self)
{
  self->max_throttle_waits = DEFAULT_MAX_THROTTLE_WAITS;
}

/*
 * Waiting
 */

typedef void (*ContinueFunc) (GTask *task);

typedef struct
{
  GTask        *task;
  ContinueFunc  next;
} Wait;

static void
wait_free (Wait *wait)
{
  g_clear_object (&wait->task);
  g_free (wait);
}

static gboolean
on_wait_over (gpointer user_data)
{
  Wait *wait = user_data;

  if (!g_task_return_error_if_cancelled (wait->task))
    wait->next (g_object_ref (wait->task));

  return G_SOURCE_REMOVE;
}

/* Takes over @task; calls @next with it after @delay_ms, or fails it at once when its
 * cancellable is cancelled meanwhile. */
static void
wait_then (GTask        *task,
           guint         delay_ms,
           ContinueFunc  next)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = g_timeout_source_new (delay_ms);
  Wait *wait = g_new0 (Wait, 1);

  wait->task = task;
  wait->next = next;

  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (cancellable);

      /* A ready child dispatches the parent, whose callback then sees the cancellation. */
      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source (source, cancelled);
    }

  g_source_set_static_name (source, "[cw-autoflex-connector] throttle wait");
  g_source_set_callback (source, on_wait_over, wait, (GDestroyNotify) wait_free);
  g_source_attach (source, g_task_get_context (task));
}

/* How long a 202 answer asks to wait, in milliseconds. */
static guint
throttle_delay_ms (CwHttpResponse *response)
{
  JsonNode *body = cw_http_response_get_body (response);
  gint64 delay;

  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body) &&
      cw_autoflex_read_int (json_object_get_member (json_node_get_object (body), "retry"),
                            0, G_MAXINT64, &delay))
    return (guint) MIN (delay, MAX_THROTTLE_WAIT_MS);

  return DEFAULT_THROTTLE_WAIT_MS;
}

static GError *
throttled_error_new (guint n_waits)
{
  return g_error_new (CW_NET_ERROR, CW_NET_ERROR_THROTTLED,
                      /* Translators: %u is how many times Autoflex asked to wait. */
                      g_dngettext (GETTEXT_PACKAGE, "Autoflex asked to wait %u time and is still busy. Claire Workshop will try again later.",
                                   "Autoflex asked to wait %u times in a row and is still busy. Claire Workshop will try again later.",
                                   n_waits),
                      n_waits);
}

/* An answer Autoflex marks as refused: HTTP 401 or `errorCode` 401. */
static gboolean
is_unauthorized (CwHttpResponse *response)
{
  gint64 code;

  if (cw_http_response_get_status (response) == 401)
    return TRUE;

  return cw_autoflex_get_error (cw_http_response_get_body (response), &code, NULL) && code == 401;
}

/* The error an answer stands for, or NULL when it is a usable one. */
static GError *
response_error_new (CwHttpResponse *response)
{
  g_autofree char *message = NULL;
  GError *error = NULL;
  gint64 code;

  /* The body first: Autoflex sends its errors with HTTP 200 as well. */
  if (cw_autoflex_get_error (cw_http_response_get_body (response), &code, &message))
    return cw_autoflex_error_new (code, message);

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    return error;

  if (cw_http_response_get_body (response) == NULL)
    return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                                _("Autoflex sent an empty answer. Try again later; if it persists, contact the supplier of Autoflex."));

  return NULL;
}

/*
 * Authentication
 */

typedef struct
{
  guint n_waits;
} AuthData;

static void send_authenticate (GTask *task);

static char *
dup_base_url (const char *url)
{
  gsize length = strlen (url);

  while (length > 0 && url[length - 1] == '/')
    length--;

  return g_strndup (url, length);
}

/* Takes the login's answer into the session; FALSE with @error when it is unusable. */
static gboolean
take_session (CwAutoflexConnector  *self,
              JsonNode             *body,
              GError              **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
  JsonNode *token = object != NULL ? json_object_get_member (object, "token") : NULL;
  JsonNode *api_url = object != NULL ? json_object_get_member (object, "api_url") : NULL;
  JsonNode *valid_until = object != NULL ? json_object_get_member (object, "token_valid_until") : NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GDateTime) until = NULL;
  gint64 now = g_get_real_time ();
  gint64 expires = now + MAX_TOKEN_LIFETIME_US;
  const char *url;

  if (token == NULL || !JSON_NODE_HOLDS_VALUE (token) ||
      json_node_get_value_type (token) != G_TYPE_STRING ||
      *json_node_get_string (token) == '\0' ||
      strpbrk (json_node_get_string (token), "\r\n") != NULL)
    {
      g_set_error_literal (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                           _("Autoflex accepted the login but sent no usable token. Try again later; if it persists, contact the supplier of Autoflex."));
      return FALSE;
    }

  url = api_url != NULL && JSON_NODE_HOLDS_VALUE (api_url) &&
        json_node_get_value_type (api_url) == G_TYPE_STRING ? json_node_get_string (api_url) : NULL;
  uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      g_autofree char *quoted = cw_text_quote (url != NULL ? url : "");

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: %s is the address Autoflex sent. */
                   _("Autoflex accepted the login but sent an unusable address for its data (“%s”). Try again later; if it persists, contact the supplier of Autoflex."),
                   quoted);
      return FALSE;
    }

  /* The token travels in a header: never send it in the clear after a secure login. */
  if (g_str_has_prefix (self->bootstrap, "https:") && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    {
      g_autofree char *quoted = cw_text_quote (url);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                   /* Translators: %s is the address Autoflex sent. */
                   _("Autoflex sent an address for its data that is not secure (“%s”), so Claire Workshop does not use it. Contact the supplier of Autoflex."),
                   quoted);
      return FALSE;
    }

  /* Without a readable end of validity the token is kept for the longest time trusted;
   * a refusal later still leads to a new login. */
  if (valid_until != NULL && JSON_NODE_HOLDS_VALUE (valid_until) &&
      json_node_get_value_type (valid_until) == G_TYPE_STRING)
    until = cw_autoflex_parse_valid_until (json_node_get_string (valid_until));
  if (until != NULL)
    expires = MIN (expires, g_date_time_to_unix (until) * G_USEC_PER_SEC);
  else
    g_debug ("Autoflex sent no readable token_valid_until; keeping the token for 30 minutes");

  forget_token (self);
  self->token = g_strdup (json_node_get_string (token));
  self->api_url = dup_base_url (url);
  self->renew_at = expires - RENEW_MARGIN_US;
  self->token_serial++;

  g_debug ("Logged in to Autoflex; renewing the token in %" G_GINT64_FORMAT " s",
           (self->renew_at - now) / G_USEC_PER_SEC);

  return TRUE;
}

static void
on_authenticate_sent (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwAutoflexConnector *self = g_task_get_source_object (task);
  AuthData *data = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  GError *error = NULL;

  response = cw_http_client_send_finish (CW_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (cw_http_response_get_status (response) == 202)
    {
      if (data->n_waits >= self->max_throttle_waits)
        {
          g_task_return_error (task, throttled_error_new (data->n_waits));
          return;
        }
      data->n_waits++;
      wait_then (g_steal_pointer (&task), throttle_delay_ms (response), send_authenticate);
      return;
    }

  /* At the login, any refusal is about the credentials. */
  if (is_unauthorized (response))
    {
      g_task_return_error (task, cw_autoflex_error_new (401, NULL));
      return;
    }

  error = response_error_new (response);
  if (error == NULL)
    take_session (self, cw_http_response_get_body (response), &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Takes over @task. */
static void
send_authenticate (GTask *task)
{
  CwAutoflexConnector *self = g_task_get_source_object (task);
  g_autofree char *url = g_strconcat (self->bootstrap, "/authenticate", NULL);
  g_autoptr(CwHttpRequest) request = cw_http_request_new ("GET", url);

  cw_http_request_add_query (request, "api_key", self->api_key);
  cw_http_request_add_query (request, "username", self->username);
  cw_http_request_add_query (request, "password", self->password);

  cw_http_client_send_async (self->client, request, g_task_get_cancellable (task),
                             on_authenticate_sent, task);
}

static void
authenticate_async (CwAutoflexConnector *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, authenticate_async);
  g_task_set_task_data (task, g_new0 (AuthData, 1), g_free);
  send_authenticate (task);
}

static gboolean
authenticate_finish (CwAutoflexConnector  *self,
                     GAsyncResult         *result,
                     GError              **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
token_is_usable (CwAutoflexConnector *self)
{
  return self->token != NULL && g_get_real_time () < self->renew_at;
}

/*
 * Data requests
 */

typedef struct
{
  char      *resource;
  /* name, value, name, value, … */
  GPtrArray *query;
  guint      n_waits;
  gboolean   renewed;
  guint      token_serial;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_free (data->resource);
  g_clear_pointer (&data->query, g_ptr_array_unref);
  g_free (data);
}

static void request_step (GTask *task);
static void request_send (GTask *task);

static void
on_request_authenticated (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwAutoflexConnector *self = CW_AUTOFLEX_CONNECTOR (source);
  GError *error = NULL;

  if (!authenticate_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A fresh token is used even when it ends within the renewal margin (a short-lived
   * token would otherwise mean logging in for ever). Another request may have dropped it
   * since, after a refusal of its own: then log in again. */
  if (self->token == NULL)
    request_step (g_steal_pointer (&task));
  else
    request_send (g_steal_pointer (&task));
}

static void
on_request_sent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwAutoflexConnector *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  GError *error = NULL;

  response = cw_http_client_send_finish (CW_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (cw_http_response_get_status (response) == 202)
    {
      if (data->n_waits >= self->max_throttle_waits)
        {
          g_task_return_error (task, throttled_error_new (data->n_waits));
          return;
        }
      data->n_waits++;
      wait_then (g_steal_pointer (&task), throttle_delay_ms (response), request_step);
      return;
    }

  if (is_unauthorized (response) && data->renewed)
    {
      /* The login works but the data stays refused: the user may lack the right. */
      g_task_return_error (task, cw_autoflex_error_new (401, NULL));
      return;
    }

  if (is_unauthorized (response))
    {
      /* Once: log in again (unless another request already did since this one was
       * sent) and repeat the request. A second refusal is reported. */
      data->renewed = TRUE;
      if (self->token_serial == data->token_serial)
        forget_token (self);
      g_debug ("Autoflex refused the token; logging in again");
      request_step (g_steal_pointer (&task));
      return;
    }

  error = response_error_new (response);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, json_node_ref (cw_http_response_get_body (response)),
                         (GDestroyNotify) json_node_unref);
}

/* Takes over @task: sends the request with the current token. */
static void
request_send (GTask *task)
{
  CwAutoflexConnector *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (self->api_url, "/", data->resource, NULL);
  g_autoptr(CwHttpRequest) request = cw_http_request_new ("GET", url);

  for (guint i = 0; i + 1 < data->query->len; i += 2)
    cw_http_request_add_query (request, g_ptr_array_index (data->query, i),
                               g_ptr_array_index (data->query, i + 1));
  cw_http_request_set_header (request, "token", self->token);
  cw_http_request_set_header (request, "apikey", self->api_key);

  data->token_serial = self->token_serial;
  cw_http_client_send_async (self->client, request, g_task_get_cancellable (task),
                             on_request_sent, task);
}

/* Takes over @task: logs in first when the token is missing or about to end. */
static void
request_step (GTask *task)
{
  CwAutoflexConnector *self = g_task_get_source_object (task);

  if (token_is_usable (self))
    {
      request_send (task);
      return;
    }

  authenticate_async (self, g_task_get_cancellable (task), on_request_authenticated, task);
}

/* GET {api_url}/@resource?@query…, logged in. @query: name, value, …, NULL. */
static void
request_async (CwAutoflexConnector *self,
               const char          *resource,
               GPtrArray           *query,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *data = g_new0 (RequestData, 1);

  data->resource = g_strdup (resource);
  data->query = g_ptr_array_ref (query);
  g_task_set_source_tag (task, request_async);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  request_step (task);
}

static JsonNode *
request_finish (CwAutoflexConnector  *self,
                GAsyncResult         *result,
                GError              **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/*
 * CwConnector
 */

static CwCapabilities
cw_autoflex_connector_get_capabilities (CwConnector *connector)
{
  return CW_CAPABILITY_KEEP_IMPORTING;
}

static void
on_check_authenticated (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!authenticate_finish (CW_AUTOFLEX_CONNECTOR (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* A login is the check: it proves the address, the key, the user and the password. */
static void
cw_autoflex_connector_check_async (CwConnector         *connector,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  CwAutoflexConnector *self = CW_AUTOFLEX_CONNECTOR (connector);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, cw_autoflex_connector_check_async);
  authenticate_async (self, cancellable, on_check_authenticated, task);
}

static gboolean
cw_autoflex_connector_check_finish (CwConnector   *connector,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GDate       day;
  guint       days_left;
  guint       page;
  GPtrArray  *workorders;
  GPtrArray  *problems;
  /* dms key → index in workorders: an order seen twice (it moved while the pages were
   * read) is kept once, as last seen. */
  GHashTable *positions;
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->workorders, g_ptr_array_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_clear_pointer (&data->positions, g_hash_table_unref);
  g_free (data);
}

/* What a worker thread makes of one page. */
typedef struct
{
  GPtrArray *workorders;
  GPtrArray *problems;
  gboolean   next_page;
} MappedPage;

static void
mapped_page_free (MappedPage *page)
{
  g_clear_pointer (&page->workorders, g_ptr_array_unref);
  g_clear_pointer (&page->problems, g_ptr_array_unref);
  g_free (page);
}

typedef struct
{
  JsonNode *root;
  char     *connection_id;
} MapJob;

static void
map_job_free (MapJob *job)
{
  g_clear_pointer (&job->root, json_node_unref);
  g_free (job->connection_id);
  g_free (job);
}

static void
map_page_in_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  MapJob *job = task_data;
  g_autofree MappedPage *page = g_new0 (MappedPage, 1);
  GError *error = NULL;

  page->workorders = cw_autoflex_map_page (job->root, job->connection_id, &page->next_page,
                                           &page->problems, &error);
  if (page->workorders == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&page), (GDestroyNotify) mapped_page_free);
}

static void list_fetch_page (GTask *task);

static void
list_take_page (ListData   *data,
                MappedPage *page)
{
  for (guint i = 0; i < page->workorders->len; i++)
    {
      CwWorkorder *workorder = g_ptr_array_index (page->workorders, i);
      const char *key = cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY);
      gpointer position;

      if (g_hash_table_lookup_extended (data->positions, key, NULL, &position))
        {
          guint index = GPOINTER_TO_UINT (position);

          g_object_unref (data->workorders->pdata[index]);
          data->workorders->pdata[index] = g_object_ref (workorder);
          continue;
        }

      g_hash_table_insert (data->positions, g_strdup (key), GUINT_TO_POINTER (data->workorders->len));
      g_ptr_array_add (data->workorders, g_object_ref (workorder));
    }

  for (guint i = 0; i < page->problems->len; i++)
    g_ptr_array_add (data->problems, g_steal_pointer (&page->problems->pdata[i]));
  g_ptr_array_set_size (page->problems, 0);
}

static void
on_page_mapped (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  MappedPage *page;
  GError *error = NULL;

  page = g_task_propagate_pointer (G_TASK (result), &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  list_take_page (data, page);

  if (page->next_page)
    {
      mapped_page_free (page);
      if (++data->page > MAX_PAGES_PER_DAY)
        {
          g_autofree char *day = cw_autoflex_format_day (&data->day);

          g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                                   /* Translators: %s is a date, %u a number of pages. */
                                   _("Autoflex kept sending pages of orders for %s (more than %u). Try again later; if it persists, contact the supplier of Autoflex."),
                                   day, MAX_PAGES_PER_DAY);
          return;
        }
      list_fetch_page (g_steal_pointer (&task));
      return;
    }
  mapped_page_free (page);

  if (--data->days_left > 0)
    {
      g_date_add_days (&data->day, 1);
      data->page = 1;
      list_fetch_page (g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_ptr_array_ref (data->workorders), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_page_received (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwAutoflexConnector *self = CW_AUTOFLEX_CONNECTOR (source);
  g_autoptr(GTask) map = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  MapJob *job;
  JsonNode *root;

  root = request_finish (self, result, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The request's answer is gone by now, so the worker holds the only reference to the
   * page: nothing on this thread touches it while it is mapped. */
  job = g_new0 (MapJob, 1);
  job->root = root;
  job->connection_id = g_strdup (cw_connection_get_id (self->connection));

  cancellable = g_task_get_cancellable (task);
  map = g_task_new (NULL, cancellable, on_page_mapped, g_steal_pointer (&task));
  g_task_set_source_tag (map, map_page_in_thread);
  g_task_set_task_data (map, job, (GDestroyNotify) map_job_free);
  g_task_run_in_thread (map, map_page_in_thread);
}

/* Takes over @task: asks for the next page of the current day. */
static void
list_fetch_page (GTask *task)
{
  CwAutoflexConnector *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) query = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *day = cw_autoflex_format_day (&data->day);

  g_ptr_array_add (query, g_strdup ("page"));
  g_ptr_array_add (query, g_strdup_printf ("%u", data->page));
  g_ptr_array_add (query, g_strdup ("fields"));
  g_ptr_array_add (query, g_strdup (cw_autoflex_order_fields ()));
  /* Workshop orders only (documented), of one day (our reading of the filter syntax:
   * conditions joined by commas). The net layer percent-encodes the brackets and colons. */
  g_ptr_array_add (query, g_strdup ("filter"));
  g_ptr_array_add (query, g_strdup_printf ("order_type[eq]:%d,appointment_date[eq]:%s",
                                           CW_AUTOFLEX_ORDER_TYPE_WORKSHOP, day));

  request_async (self, "order", query, g_task_get_cancellable (task), on_page_received, task);
}

static void
cw_autoflex_connector_list_days_async (CwConnector         *connector,
                                       const GDate         *first_day,
                                       guint                n_days,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  CwAutoflexConnector *self = CW_AUTOFLEX_CONNECTOR (connector);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  data->day = *first_day;
  data->days_left = n_days;
  data->page = 1;
  data->workorders = g_ptr_array_new_with_free_func (g_object_unref);
  data->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_dms_problem_free);
  data->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_task_set_source_tag (task, cw_autoflex_connector_list_days_async);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  list_fetch_page (task);
}

static GPtrArray *
cw_autoflex_connector_list_days_finish (CwConnector   *connector,
                                        GAsyncResult  *result,
                                        GPtrArray    **problems,
                                        GError       **error)
{
  ListData *data;
  GPtrArray *workorders;

  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);

  workorders = g_task_propagate_pointer (G_TASK (result), error);
  if (workorders == NULL)
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  if (problems != NULL)
    *problems = g_steal_pointer (&data->problems);

  return workorders;
}

static void
cw_autoflex_connector_iface_init (CwConnectorInterface *iface)
{
  iface->get_capabilities = cw_autoflex_connector_get_capabilities;
  iface->check_async = cw_autoflex_connector_check_async;
  iface->check_finish = cw_autoflex_connector_check_finish;
  /* No search or refresh: Autoflex's documented API lists orders, and Claire's Autoflex
   * options name keep-importing only. The interface reports both as unsupported. */
  iface->list_days_async = cw_autoflex_connector_list_days_async;
  iface->list_days_finish = cw_autoflex_connector_list_days_finish;
}

/**
 * cw_autoflex_connector_new:
 * @connection: an Autoflex connection; its endpoint is Autoflex's bootstrap URL
 * @credentials: (element-type utf8 utf8): "api_key", "username" and "password"
 * @error: return location for a #CwDmsError or a #CwNetError
 *
 * Returns: (transfer full) (nullable): the connector
 */
CwConnector *
cw_autoflex_connector_new (CwConnection  *connection,
                           GHashTable    *credentials,
                           GError       **error)
{
  g_autoptr(CwAutoflexConnector) self = NULL;
  const char *endpoint;
  const char *api_key, *username, *password;

  g_return_val_if_fail (CW_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  endpoint = cw_connection_get_endpoint (connection);
  if (endpoint == NULL || *endpoint == '\0')
    {
      g_autofree char *display = cw_connection_dup_display_name (connection);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
                   /* Translators: %s is the name of a DMS connection. */
                   _("The connection “%s” has no address. Enter the Autoflex address (the bootstrap URL Autoflex gave you) in Preferences."),
                   display);
      return NULL;
    }

  api_key = g_hash_table_lookup (credentials, "api_key");
  username = g_hash_table_lookup (credentials, "username");
  password = g_hash_table_lookup (credentials, "password");
  if (api_key == NULL || *api_key == '\0' || username == NULL || *username == '\0' ||
      password == NULL || *password == '\0')
    {
      g_autofree char *display = cw_connection_dup_display_name (connection);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS,
                   /* Translators: %s is the name of a DMS connection. */
                   _("The credentials of %s are incomplete: Autoflex needs an API key, a user name and a password. Enter them in Preferences."),
                   display);
      return NULL;
    }

  self = g_object_new (CW_TYPE_AUTOFLEX_CONNECTOR, "connection", connection, NULL);
  self->client = cw_http_client_new (SERVICE_NAME, cw_connection_get_ca_file (connection), error);
  if (self->client == NULL)
    return NULL;

  self->bootstrap = dup_base_url (endpoint);
  self->api_key = g_strdup (api_key);
  self->username = g_strdup (username);
  self->password = g_strdup (password);

  return CW_CONNECTOR (g_steal_pointer (&self));
}

/**
 * cw_autoflex_connector_get_http_client:
 *
 * Returns: (transfer none): the connector's HTTP client, for tests to shorten its timeout
 *   and retries
 */
CwHttpClient *
cw_autoflex_connector_get_http_client (CwAutoflexConnector *self)
{
  g_return_val_if_fail (CW_IS_AUTOFLEX_CONNECTOR (self), NULL);

  return self->client;
}

/**
 * cw_autoflex_connector_set_max_throttle_waits:
 * @max_waits: how many HTTP 202 answers in a row a request waits out before giving up
 */
void
cw_autoflex_connector_set_max_throttle_waits (CwAutoflexConnector *self,
                                              guint                max_waits)
{
  g_return_if_fail (CW_IS_AUTOFLEX_CONNECTOR (self));

  self->max_throttle_waits = max_waits;
}
