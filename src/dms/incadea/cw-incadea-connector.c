/* cw-incadea-connector.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-incadea-connector"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-http-client.h"
#include "cw-incadea-connector.h"
#include "cw-incadea-connector-private.h"
#include "cw-incadea-mapping.h"
#include "cw-plate.h"
#include "cw-text.h"

/*
 * The Incadea connector (DESIGN §3, docs/connectors/incadea.md): search-import by WO number
 * or plate, refresh, keep-importing, and writing a higher mileage back. Incadea publishes no
 * API: this is our interpretation, one table in the doc.
 *
 * - Login: POST {endpoint}/oauth/token with the dealer's Incadea API user (OAuth2 password
 *   grant) gives a bearer token. It is kept until 60 s before it expires, and fetched again
 *   once when the API answers 401, after which the request is sent again once. Requests
 *   that need a token while one is being fetched wait for that one.
 * - Data: GET {endpoint}/workorders?workorderNo=… | ?licensePlate=… |
 *   ?appointmentFrom=…&appointmentTo=…&page=…&pageSize=… answers {"value": [...],
 *   "nextPage": n}; GET {endpoint}/workorders/{id} answers one workorder. The DMS key is
 *   the workorder's `id`.
 * - Mileage: POST {endpoint}/workorders/{id}/mileage with the entry's Idempotency-Key. The
 *   connector never retries it (the outbox drainer decides), and the HTTP client does not
 *   either: the request is not declared idempotent.
 *
 * Everything runs on the thread that created the connector (the HTTP client's rule), except
 * the mapping of keep-importing pages, which runs in a worker thread.
 */

#define SERVICE_NAME          "Incadea"
#define TOKEN_RENEW_MARGIN_S  60
#define MAX_TOKEN_LIFETIME_S  (30 * 24 * 3600)
#define MAX_TOKEN_LENGTH      16384
/* A car can have years of history; the newest appointments are the ones wanted. */
#define MAX_PLATE_RESULTS     10
#define PAGE_SIZE             100
/* More pages than this for a few days is a DMS looping on nextPage, not a busy workshop. */
#define MAX_PAGES             1000

struct _CwIncadeaConnector
{
  GObject       parent_instance;

  CwConnection *connection;
  char         *username;
  char         *password;
  CwHttpClient *http;

  /* The bearer token, the endpoint it was issued for, and when to fetch a new one
   * (monotonic time). */
  char         *token;
  char         *token_scope;
  gint64        token_renew_at;

  /* The token request in flight, and the TokenWaiters waiting for it. */
  char         *pending_scope;
  GPtrArray    *token_waiters;
};

static void cw_incadea_connector_iface_init (CwConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CwIncadeaConnector, cw_incadea_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CW_TYPE_CONNECTOR, cw_incadea_connector_iface_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

/* ------------------------------------------------------------------------------------- */
/* Settings                                                                              */
/* ------------------------------------------------------------------------------------- */

/* The endpoint without white space or trailing slashes; "" when there is none. */
static char *
dup_base_url (CwIncadeaConnector *self)
{
  char *base = cw_text_dup_stripped (cw_connection_get_endpoint (self->connection));
  gsize length;

  if (base == NULL)
    return g_strdup ("");

  length = strlen (base);
  while (length > 0 && base[length - 1] == '/')
    base[--length] = '\0';

  return base;
}

static gboolean
check_configuration (CwIncadeaConnector  *self,
                     GError             **error)
{
  g_autofree char *base = dup_base_url (self);
  g_autofree char *display = NULL;

  if (*base != '\0')
    return TRUE;

  display = cw_connection_dup_display_name (self->connection);
  g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
               /* Translators: %s is the name of a DMS connection. */
               _("The connection “%s” has no Incadea API address. Enter the address your "
                 "Incadea partner gave for the dealership in Preferences."),
               display);
  return FALSE;
}

/* The workorder as the advisor knows it: its WO number, else its DMS key. */
static char *
dup_workorder_label (const char *wo_number,
                     const char *dms_key)
{
  return cw_text_quote (wo_number != NULL && *wo_number != '\0' ? wo_number : dms_key);
}

/* ------------------------------------------------------------------------------------- */
/* The token                                                                             */
/* ------------------------------------------------------------------------------------- */

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
  CwIncadeaConnector *self = g_task_get_source_object (task);

  /* Frees the waiter, and with it this source, before the callback can run. */
  g_ptr_array_remove (self->token_waiters, waiter);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
forget_token (CwIncadeaConnector *self)
{
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->token_scope, g_free);
  self->token_renew_at = 0;
}

/* RFC 6750 b64token: only characters that can go into a header as they are. */
static gboolean
token_is_usable (const char *token)
{
  gsize length = strlen (token);

  if (length == 0 || length > MAX_TOKEN_LENGTH)
    return FALSE;

  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~+/=", *p) == NULL)
      return FALSE;

  return TRUE;
}

static gboolean
read_token_answer (JsonNode  *body,
                   char     **token,
                   gint64    *lifetime_s)
{
  JsonObject *object;
  JsonNode *node;
  const char *type;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return FALSE;

  object = json_node_get_object (body);
  node = json_object_get_member (object, "access_token");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !token_is_usable (json_node_get_string (node)))
    return FALSE;

  node = json_object_get_member (object, "token_type");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return FALSE;
      type = json_node_get_string (node);
      if (g_ascii_strcasecmp (type, "Bearer") != 0)
        return FALSE;
    }

  /* Without a lifetime the token is used for the request that asked for it, then renewed. */
  *lifetime_s = 0;
  node = json_object_get_member (object, "expires_in");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    *lifetime_s = CLAMP (json_node_get_int (node), 0, MAX_TOKEN_LIFETIME_S);
  else if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      gint64 value;

      if (g_ascii_string_to_signed (json_node_get_string (node), 10, 0, MAX_TOKEN_LIFETIME_S, &value, NULL))
        *lifetime_s = value;
    }

  *token = g_strdup (json_node_get_string (json_object_get_member (object, "access_token")));
  return TRUE;
}

static GError *
token_error_new (CwHttpResponse *response)
{
  guint status = cw_http_response_get_status (response);
  GError *error = NULL;

  /* OAuth2 answers a wrong user or password with 400 invalid_grant; 401 and 403 say the
   * same in other words. */
  if (status == 400 || status == 401 || status == 403)
    return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_LOGIN,
                                _("Incadea refused the login: check the user name and "
                                  "password in Preferences."));

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    return error;

  return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                              _("The Incadea login sent an answer Claire Workshop cannot "
                                "use. Try again later; if it persists, contact the supplier "
                                "of Incadea."));
}

static void
complete_token_waiters (CwIncadeaConnector *self,
                        const char         *token,
                        const GError       *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->token_waiters);

  /* A callback may ask for a token again: it finds a fresh list. */
  self->token_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) token_waiter_free);
  g_clear_pointer (&self->pending_scope, g_free);

  for (guint i = 0; i < waiters->len; i++)
    {
      TokenWaiter *waiter = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (waiter->task, g_error_copy (error));
      else
        g_task_return_pointer (waiter->task, g_strdup (token), g_free);
    }
}

static void
on_token_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CwIncadeaConnector) self = user_data;
  g_autoptr(CwHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 lifetime_s = 0;

  response = cw_http_client_send_finish (CW_HTTP_CLIENT (source), result, &error);
  if (response != NULL)
    {
      guint status = cw_http_response_get_status (response);

      if (status < 200 || status > 299 ||
          !read_token_answer (cw_http_response_get_body (response), &token, &lifetime_s))
        error = token_error_new (response);
    }

  if (error == NULL)
    {
      g_free (self->token);
      self->token = g_strdup (token);
      g_free (self->token_scope);
      self->token_scope = g_strdup (self->pending_scope);
      /* A token that lives no longer than the margin serves this request only. */
      self->token_renew_at = g_get_monotonic_time () +
                             MAX (lifetime_s - TOKEN_RENEW_MARGIN_S, 0) * G_USEC_PER_SEC;
      g_debug ("New Incadea token, valid for %" G_GINT64_FORMAT " s", lifetime_s);
    }

  complete_token_waiters (self, token, error);
}

static void
request_token (CwIncadeaConnector *self)
{
  g_autoptr(CwHttpRequest) request = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = NULL;

  g_assert (self->pending_scope == NULL);
  self->pending_scope = dup_base_url (self);
  url = g_strconcat (self->pending_scope, CW_INCADEA_PATH_TOKEN, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "grant_type");
  json_builder_add_string_value (builder, "password");
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, self->username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, self->password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  request = cw_http_request_new ("POST", url);
  cw_http_request_set_json_body (request, body);
  cw_http_request_set_header (request, "Accept", "application/json");
  /* Asking for a token twice only gives two tokens: safe to retry. */
  cw_http_request_set_idempotent (request, TRUE);

  /* No cancellable: other requests may be waiting for this token. */
  cw_http_client_send_async (self->http, request, NULL, on_token_answer, g_object_ref (self));
}

/* Gives the cached token, or waits for a new one (as a string, transfer full). */
static void
get_token_async (CwIncadeaConnector  *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *scope = dup_base_url (self);
  TokenWaiter *waiter;

  g_task_set_source_tag (task, get_token_async);

  if (self->token != NULL && g_strcmp0 (scope, self->token_scope) == 0 &&
      g_get_monotonic_time () < self->token_renew_at)
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

  if (self->pending_scope == NULL)
    request_token (self);
}

static char *
get_token_finish (CwIncadeaConnector  *self,
                  GAsyncResult        *result,
                  GError             **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* Requests                                                                              */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  const char *method;
  /* Below the endpoint, already escaped: "/workorders/700123". */
  char       *path;
  /* name, value, name, value, … */
  GPtrArray  *query;
  JsonNode   *body;
  char       *idem_key;
  /* The token of the attempt in flight, and whether it is the second one. */
  char       *token;
  gboolean    renewed;
} SendData;

static void
send_data_free (SendData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->query, g_ptr_array_unref);
  g_clear_pointer (&data->body, json_node_unref);
  g_free (data->idem_key);
  g_free (data->token);
  g_free (data);
}

static void send_with_token (GTask *task);

static void
on_send_answer (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwIncadeaConnector *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  GError *error = NULL;

  response = cw_http_client_send_finish (CW_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (cw_http_response_get_status (response) == 401)
    {
      /* Refused before anything was done: a token revoked or expired early. One new
       * token, unless another request got one meanwhile, and the same request again (a
       * write with the same idempotency key). */
      if (!data->renewed)
        {
          g_debug ("Incadea refused the token; logging in again");
          if (g_strcmp0 (self->token, data->token) == 0)
            forget_token (self);
          data->renewed = TRUE;
          send_with_token (g_steal_pointer (&task));
          return;
        }

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN,
                               _("Incadea accepted the login but refused access to the "
                                 "workorders. Check that the Incadea user may use the API, "
                                 "and the API address in Preferences."));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) cw_http_response_unref);
}

static void
on_send_token (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (source);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(CwHttpRequest) request = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  g_free (data->token);
  data->token = get_token_finish (self, result, &error);
  if (data->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  base = dup_base_url (self);
  url = g_strconcat (base, data->path, NULL);
  request = cw_http_request_new (data->method, url);
  for (guint i = 0; data->query != NULL && i + 1 < data->query->len; i += 2)
    cw_http_request_add_query (request, g_ptr_array_index (data->query, i),
                               g_ptr_array_index (data->query, i + 1));
  authorization = g_strconcat ("Bearer ", data->token, NULL);
  cw_http_request_set_header (request, "Authorization", authorization);
  cw_http_request_set_header (request, "Accept", "application/json");
  if (data->body != NULL)
    cw_http_request_set_json_body (request, data->body);
  if (data->idem_key != NULL)
    {
      cw_http_request_set_header (request, CW_INCADEA_HEADER_IDEMPOTENCY, data->idem_key);
      /* A write is never retried below the outbox drainer, key or no key. */
      cw_http_request_set_idempotent (request, FALSE);
    }

  cancellable = g_task_get_cancellable (task);
  cw_http_client_send_async (self->http, request, cancellable, on_send_answer,
                             g_steal_pointer (&task));
}

/* Takes over @task. */
static void
send_with_token (GTask *task)
{
  CwIncadeaConnector *self = g_task_get_source_object (task);

  get_token_async (self, g_task_get_cancellable (task), on_send_token, task);
}

/*
 * Sends @method {endpoint}@path?@query… with a token, and gives the response whatever its
 * status (a CwHttpResponse, transfer full), except a second 401, which is a login error.
 * @query: (nullable): name, value, … ; @body: (nullable); @idem_key: (nullable): for a write
 */
static void
api_send_async (CwIncadeaConnector  *self,
                const char          *method,
                const char          *path,
                GPtrArray           *query,
                JsonNode            *body,
                const char          *idem_key,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SendData *data = g_new0 (SendData, 1);

  g_task_set_source_tag (task, api_send_async);
  data->method = g_intern_string (method);
  data->path = g_strdup (path);
  data->query = query != NULL ? g_ptr_array_ref (query) : NULL;
  data->body = body != NULL ? json_node_ref (body) : NULL;
  data->idem_key = g_strdup (idem_key);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  send_with_token (g_steal_pointer (&task));
}

static CwHttpResponse *
api_send_finish (CwIncadeaConnector  *self,
                 GAsyncResult        *result,
                 GError             **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GPtrArray *
query_new (const char *name,
           ...) G_GNUC_NULL_TERMINATED;

/* name, value, …, NULL */
static GPtrArray *
query_new (const char *name,
           ...)
{
  GPtrArray *query = g_ptr_array_new_with_free_func (g_free);
  va_list args;

  va_start (args, name);
  for (const char *n = name; n != NULL; n = va_arg (args, const char *))
    {
      g_ptr_array_add (query, g_strdup (n));
      g_ptr_array_add (query, g_strdup (va_arg (args, const char *)));
    }
  va_end (args);

  return query;
}

/* "/workorders/{key}" with the key escaped as one path segment. */
static char *
dup_workorder_path (const char *dms_key,
                    const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (dms_key, NULL, FALSE);

  return g_strconcat (CW_INCADEA_PATH_WORKORDERS, "/", escaped, suffix, NULL);
}

static GError *
empty_answer_error_new (void)
{
  return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                              _("Incadea sent an empty answer. Try again later; if it "
                                "persists, contact the supplier of Incadea."));
}

/* ------------------------------------------------------------------------------------- */
/* Search                                                                                */
/* ------------------------------------------------------------------------------------- */

typedef enum
{
  LOOKUP_WO_NUMBER,
  LOOKUP_PLATE,
} LookupKind;

typedef struct
{
  char       *wo_number;
  char       *plate;
  LookupKind  kind;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->wo_number);
  g_free (lookup->plate);
  g_free (lookup);
}

static void lookup_start (GTask *task);

static gboolean
same_wo_number (const char *a,
                const char *b)
{
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  if (a == NULL || b == NULL)
    return FALSE;

  x = cw_text_compact (a);
  y = cw_text_compact (b);
  return *x != '\0' && g_ascii_strcasecmp (x, y) == 0;
}

/* Whether a workorder answers the lookup: Incadea is asked exactly that, and checked. */
static gboolean
lookup_matches (Lookup      *lookup,
                CwWorkorder *workorder)
{
  if (lookup->kind == LOOKUP_PLATE)
    return g_strcmp0 (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE),
                      lookup->plate) == 0;

  return same_wo_number (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER),
                         lookup->wo_number);
}

/* Newest appointment first; workorders without one last. */
static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  GDateTime *x = cw_workorder_get_time (*(CwWorkorder * const *) a, CW_WORKORDER_APPOINTMENT);
  GDateTime *y = cw_workorder_get_time (*(CwWorkorder * const *) b, CW_WORKORDER_APPOINTMENT);

  if (x == NULL || y == NULL)
    return (x == NULL) - (y == NULL);

  return -g_date_time_compare (x, y);
}

static GError *
not_found_error_new (Lookup *lookup)
{
  g_autofree char *wo_number = cw_text_quote (lookup->wo_number);
  g_autofree char *plate = NULL;

  if (lookup->plate != NULL)
    {
      g_autofree char *formatted = cw_plate_format (lookup->plate);

      plate = cw_text_quote (formatted);
    }

  if (lookup->wo_number != NULL && lookup->plate != NULL)
    return g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                        /* Translators: the first %s is a WO number, the second a licence
                         * plate; both are what the advisor typed. */
                        _("Incadea has no workorder %s, nor one for the car %s. Check the "
                          "number or the registration."),
                        wo_number, plate);

  if (lookup->plate != NULL)
    return g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                        /* Translators: %s is a licence plate such as AB-123-C. */
                        _("Incadea has no workorder for the car %s. Check the registration."),
                        plate);

  return g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                      /* Translators: %s is a WO number. */
                      _("Incadea has no workorder %s. Check the number."),
                      wo_number);
}

static void
on_lookup_answer (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (source);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  g_autoptr(GPtrArray) mapped = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GError *error = NULL;

  response = api_send_finish (self, result, &error);
  if (response == NULL || !cw_http_response_check_status (response, SERVICE_NAME, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  mapped = cw_incadea_map_page (cw_http_response_get_body (response),
                                cw_connection_get_id (self->connection), NULL, &problems, &error);
  if (mapped == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < mapped->len; i++)
    {
      CwWorkorder *workorder = g_ptr_array_index (mapped, i);

      /* What was not asked for is left out, and the same workorder twice is one. */
      if (!lookup_matches (lookup, workorder) ||
          !g_hash_table_add (seen, (gpointer) cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY)))
        continue;

      g_ptr_array_add (found, g_object_ref (workorder));
    }

  if (found->len == 0)
    {
      /* Incadea was asked for this one: the reason it cannot be used is the answer. */
      if (problems->len > 0)
        {
          CwDmsProblem *problem = g_ptr_array_index (problems, 0);

          g_task_return_error (task, g_error_copy (problem->error));
          return;
        }

      /* "12-ABC-3" reads as a WO number and as a plate: the number first, then the car. */
      if (lookup->kind == LOOKUP_WO_NUMBER && lookup->plate != NULL)
        {
          lookup->kind = LOOKUP_PLATE;
          lookup_start (g_steal_pointer (&task));
          return;
        }

      g_task_return_error (task, not_found_error_new (lookup));
      return;
    }

  for (guint i = 0; i < problems->len; i++)
    g_debug ("An Incadea workorder was left out: %s",
             ((CwDmsProblem *) g_ptr_array_index (problems, i))->error->message);

  if (lookup->kind == LOOKUP_PLATE)
    {
      g_ptr_array_sort (found, compare_newest_first);
      if (found->len > MAX_PLATE_RESULTS)
        g_ptr_array_set_size (found, MAX_PLATE_RESULTS);
    }

  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_ptr_array_unref);
}

/* Takes over @task. */
static void
lookup_start (GTask *task)
{
  CwIncadeaConnector *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GPtrArray) query = NULL;

  if (lookup->kind == LOOKUP_PLATE)
    query = query_new (CW_INCADEA_PARAM_PLATE, lookup->plate, NULL);
  else
    query = query_new (CW_INCADEA_PARAM_WO_NUMBER, lookup->wo_number, NULL);

  api_send_async (self, "GET", CW_INCADEA_PATH_WORKORDERS, query, NULL, NULL,
                  g_task_get_cancellable (task), on_lookup_answer, task);
}

static void
cw_incadea_connector_search_async (CwConnector         *connector,
                                   const CwDmsQuery    *query,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_incadea_connector_search_async);
  lookup->wo_number = g_strdup (query->wo_number);
  lookup->plate = g_strdup (query->plate);
  lookup->kind = lookup->wo_number != NULL ? LOOKUP_WO_NUMBER : LOOKUP_PLATE;
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (lookup->wo_number == NULL && lookup->plate == NULL)
    {
      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                               _("Incadea finds a workorder by its number or by the car’s "
                                 "registration only. Type a WO number or a registration."));
      return;
    }

  lookup_start (g_steal_pointer (&task));
}

static GPtrArray *
cw_incadea_connector_search_finish (CwConnector   *connector,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* Refresh                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
on_fetch_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (source);
  const char *dms_key = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;
  GError *error = NULL;
  JsonNode *body;

  response = api_send_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (cw_http_response_get_status (response) == 404)
    {
      g_autofree char *quoted = cw_text_quote (dms_key);

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                               /* Translators: %s is the workorder's number in Incadea. */
                               _("Incadea no longer has workorder %s. It may have been "
                                 "deleted; check it in Incadea."),
                               quoted);
      return;
    }

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  body = cw_http_response_get_body (response);
  if (body == NULL)
    {
      g_task_return_error (task, empty_answer_error_new ());
      return;
    }

  workorder = cw_incadea_map_order (body, cw_connection_get_id (self->connection), NULL, NULL, &error);
  if (workorder == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_strcmp0 (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY), dms_key) != 0)
    {
      g_autofree char *asked = cw_text_quote (dms_key);
      g_autofree char *got = cw_text_quote (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY));

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                               /* Translators: both %s are workorder numbers in Incadea. */
                               _("Incadea answered with workorder %s when asked for %s. Try "
                                 "again; if it persists, contact the supplier of Incadea."),
                               got, asked);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&workorder), g_object_unref);
}

static void
cw_incadea_connector_fetch_async (CwConnector         *connector,
                                  const char          *dms_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;
  char *key = cw_text_dup_stripped (dms_key);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_incadea_connector_fetch_async);
  g_task_set_task_data (task, key, g_free);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (key == NULL)
    {
      g_autofree char *quoted = cw_text_quote (dms_key);

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                               _("Incadea no longer has workorder %s. It may have been "
                                 "deleted; check it in Incadea."),
                               quoted);
      return;
    }

  path = dup_workorder_path (key, NULL);
  api_send_async (self, "GET", path, NULL, NULL, NULL, cancellable, on_fetch_answer,
                  g_steal_pointer (&task));
}

static CwWorkorder *
cw_incadea_connector_fetch_finish (CwConnector   *connector,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* Keep importing                                                                        */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  GDate       first_day;
  GDate       last_day;
  gint64      page;
  guint       n_pages;
  GPtrArray  *workorders;
  GPtrArray  *problems;
  /* dms key → index in workorders: a workorder seen twice (it moved while the pages were
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
  gint64     next_page;
} MappedPage;

static void
mapped_page_free (MappedPage *page)
{
  g_clear_pointer (&page->workorders, g_ptr_array_unref);
  g_clear_pointer (&page->problems, g_ptr_array_unref);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MappedPage, mapped_page_free)

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
  g_autoptr(MappedPage) page = NULL;
  GError *error = NULL;

  page = g_new0 (MappedPage, 1);
  page->workorders = cw_incadea_map_page (job->root, job->connection_id, &page->next_page,
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
  g_autoptr(MappedPage) page = NULL;
  GError *error = NULL;

  page = g_task_propagate_pointer (G_TASK (result), &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  list_take_page (data, page);

  if (page->next_page > 0)
    {
      if (++data->n_pages >= MAX_PAGES)
        {
          g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                                   /* Translators: %u is a number of pages. */
                                   _("Incadea kept sending pages of workorders (more than %u). "
                                     "Try again later; if it persists, contact the supplier "
                                     "of Incadea."),
                                   MAX_PAGES);
          return;
        }
      data->page = page->next_page;
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
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (source);
  g_autoptr(CwHttpResponse) response = NULL;
  g_autoptr(GTask) map = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  MapJob *job;

  response = api_send_finish (self, result, &error);
  if (response == NULL || !cw_http_response_check_status (response, SERVICE_NAME, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (cw_http_response_get_body (response) == NULL)
    {
      g_task_return_error (task, empty_answer_error_new ());
      return;
    }

  job = g_new0 (MapJob, 1);
  job->root = json_node_ref (cw_http_response_get_body (response));
  job->connection_id = g_strdup (cw_connection_get_id (self->connection));
  /* The worker holds the only reference to the page: nothing on this thread touches it
   * while it is mapped. */
  g_clear_pointer (&response, cw_http_response_unref);

  cancellable = g_task_get_cancellable (task);
  map = g_task_new (NULL, cancellable, on_page_mapped, g_steal_pointer (&task));
  g_task_set_source_tag (map, map_page_in_thread);
  g_task_set_task_data (map, job, (GDestroyNotify) map_job_free);
  g_task_run_in_thread (map, map_page_in_thread);
}

/* Takes over @task: asks for the current page of the range. */
static void
list_fetch_page (GTask *task)
{
  CwIncadeaConnector *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autofree char *from = cw_incadea_format_day (&data->first_day);
  g_autofree char *to = cw_incadea_format_day (&data->last_day);
  g_autofree char *page = g_strdup_printf ("%" G_GINT64_FORMAT, data->page);
  g_autofree char *size = g_strdup_printf ("%d", PAGE_SIZE);
  g_autoptr(GPtrArray) query = query_new (CW_INCADEA_PARAM_FROM, from,
                                          CW_INCADEA_PARAM_TO, to,
                                          CW_INCADEA_PARAM_PAGE, page,
                                          CW_INCADEA_PARAM_PAGE_SIZE, size,
                                          NULL);

  api_send_async (self, "GET", CW_INCADEA_PATH_WORKORDERS, query, NULL, NULL,
                  g_task_get_cancellable (task), on_page_received, task);
}

static void
cw_incadea_connector_list_days_async (CwConnector         *connector,
                                      const GDate         *first_day,
                                      guint                n_days,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);
  GError *error = NULL;

  data->first_day = *first_day;
  data->last_day = *first_day;
  g_date_add_days (&data->last_day, n_days - 1);
  data->page = 1;
  data->workorders = g_ptr_array_new_with_free_func (g_object_unref);
  data->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_dms_problem_free);
  data->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_task_set_source_tag (task, cw_incadea_connector_list_days_async);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  list_fetch_page (g_steal_pointer (&task));
}

static GPtrArray *
cw_incadea_connector_list_days_finish (CwConnector   *connector,
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

/* ------------------------------------------------------------------------------------- */
/* Mileage writeback                                                                     */
/* ------------------------------------------------------------------------------------- */

/* An idempotency key goes into a header as it is: visible ASCII only. */
static gboolean
idem_key_is_usable (const char *key)
{
  gsize length = key != NULL ? strlen (key) : 0;

  if (length == 0 || length > 255)
    return FALSE;

  for (const char *p = key; *p != '\0'; p++)
    if (*p <= ' ' || *p > '~')
      return FALSE;

  return TRUE;
}

static GError *
write_refused_error_new (CwOutboxEntry  *entry,
                         CwHttpResponse *response)
{
  g_autofree char *workorder = dup_workorder_label (cw_outbox_entry_get_wo_number (entry),
                                                    cw_outbox_entry_get_dms_key (entry));
  g_autofree char *km = g_strdup_printf ("%'" G_GINT64_FORMAT, cw_outbox_entry_get_mileage (entry));
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  gint64 current = -1;
  guint status = cw_http_response_get_status (response);
  GError *error = NULL;

  if (status == 404)
    return g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                        /* Translators: %s is a WO number. */
                        _("Incadea no longer has workorder %s, so the mileage was not "
                          "recorded there. Check the workorder in Incadea."),
                        workorder);

  if (status >= 400 && status < 500 &&
      cw_incadea_get_error (cw_http_response_get_body (response), &code, &message, &current))
    {
      g_autofree char *quoted = cw_text_quote (message != NULL ? message : code);

      if (g_strcmp0 (code, CW_INCADEA_CODE_NOT_HIGHER) == 0 && current >= 0)
        {
          g_autofree char *current_km = g_strdup_printf ("%'" G_GINT64_FORMAT, current);

          return g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                              /* Translators: the first %s is a mileage in km, the second a
                               * WO number, the third the mileage Incadea has. */
                              _("Incadea did not take the mileage of %s km for workorder "
                                "%s: it already has %s km, and a new reading must be higher. "
                                "Check the reading on the car; if it is right, correct the "
                                "mileage in Incadea."),
                              km, workorder, current_km);
        }

      if (g_strcmp0 (code, CW_INCADEA_CODE_NOT_HIGHER) == 0)
        return g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                            /* Translators: the first %s is a mileage in km, the second a
                             * WO number. */
                            _("Incadea did not take the mileage of %s km for workorder %s: "
                              "it is not higher than the mileage Incadea has. Check the "
                              "reading on the car; if it is right, correct the mileage in "
                              "Incadea."),
                            km, workorder);

      return g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                          /* Translators: the first %s is a mileage in km, the second a WO
                           * number, the last Incadea's own message, in its language. */
                          _("Incadea refused the mileage of %s km for workorder %s with the "
                            "message %s. Check the workorder in Incadea; if the message does "
                            "not help, contact the supplier of Incadea."),
                          km, workorder, quoted);
    }

  cw_http_response_check_status (response, SERVICE_NAME, &error);
  return error;
}

static void
on_write_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwOutboxEntry *entry = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  GError *error = NULL;
  guint status;

  response = api_send_finish (CW_INCADEA_CONNECTOR (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The same answer for the first request and for a repeat of its key. */
  status = cw_http_response_get_status (response);
  if (status >= 200 && status <= 299)
    {
      g_debug ("Incadea has the mileage of entry %s", cw_outbox_entry_get_idem_key (entry));
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_task_return_error (task, write_refused_error_new (entry, response));
}

static void
cw_incadea_connector_write_async (CwConnector         *connector,
                                  CwOutboxEntry       *entry,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (connector);
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *dms_key = cw_text_dup_stripped (cw_outbox_entry_get_dms_key (entry));
  g_autofree char *path = NULL;
  gint64 mileage = cw_outbox_entry_get_mileage (entry);
  gint64 dms_mileage = cw_outbox_entry_get_dms_mileage (entry);
  GError *error = NULL;

  /* cw_connector_write_async() sends mileage only here: Incadea takes no interventions. */
  g_return_if_fail (cw_outbox_entry_get_kind (entry) == CW_OUTBOX_MILEAGE);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_incadea_connector_write_async);
  g_task_set_task_data (task, g_object_ref (entry), g_object_unref);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (dms_key == NULL)
    {
      g_autofree char *workorder = cw_text_quote (cw_outbox_entry_get_wo_number (entry));

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                               /* Translators: %s is a WO number. */
                               _("Workorder %s is not linked to a workorder in Incadea, so "
                                 "its mileage cannot be sent. Enter the mileage in Incadea."),
                               workorder);
      return;
    }

  if (mileage < 1 || mileage > CW_INCADEA_MAX_MILEAGE_KM)
    {
      g_autofree char *km = g_strdup_printf ("%'" G_GINT64_FORMAT, mileage);

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                               /* Translators: %s is a number of kilometres. */
                               _("A mileage of %s km cannot be sent to Incadea: it takes a "
                                 "whole number of kilometres from 1 to 9,999,999. Correct the "
                                 "reading."),
                               km);
      return;
    }

  if (!idem_key_is_usable (cw_outbox_entry_get_idem_key (entry)))
    {
      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_UNSUPPORTED,
                               _("This change has no key Incadea can take, so Claire "
                                 "Workshop does not send it. Dismiss it and enter the mileage "
                                 "in Incadea."));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mileageKm");
  json_builder_add_int_value (builder, mileage);
  /* What the app saw, for Incadea's own check; absent when the DMS gave none. */
  if (dms_mileage >= 0)
    {
      json_builder_set_member_name (builder, "previousMileageKm");
      json_builder_add_int_value (builder, dms_mileage);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  path = dup_workorder_path (dms_key, CW_INCADEA_PATH_MILEAGE);
  api_send_async (self, "POST", path, NULL, body, cw_outbox_entry_get_idem_key (entry),
                  cancellable, on_write_answer, g_steal_pointer (&task));
}

static gboolean
cw_incadea_connector_write_finish (CwConnector   *connector,
                                   GAsyncResult  *result,
                                   char         **dms_ref,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);

  /* A mileage creates nothing with an identity of its own. */
  if (dms_ref != NULL)
    *dms_ref = NULL;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* Check                                                                                 */
/* ------------------------------------------------------------------------------------- */

static void
on_check_token (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *token = NULL;
  GError *error = NULL;

  token = get_token_finish (CW_INCADEA_CONNECTOR (source), result, &error);
  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* A login is the check: it proves the address, the user and the password. */
static void
cw_incadea_connector_check_async (CwConnector         *connector,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_incadea_connector_check_async);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A login now, with the settings as they are now: not a token from before. */
  if (self->pending_scope == NULL)
    forget_token (self);
  get_token_async (self, cancellable, on_check_token, g_steal_pointer (&task));
}

static gboolean
cw_incadea_connector_check_finish (CwConnector   *connector,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static CwCapabilities
cw_incadea_connector_get_capabilities (CwConnector *connector)
{
  /* Claire's Incadea options: import by WO number or plate, refresh, keep importing, and
   * the mileage written back when it is higher. No intervention writeback, no events. */
  return CW_CAPABILITY_SEARCH_IMPORT |
         CW_CAPABILITY_REFRESH |
         CW_CAPABILITY_KEEP_IMPORTING |
         CW_CAPABILITY_WRITEBACK_MILEAGE;
}

/* ------------------------------------------------------------------------------------- */
/* GObject                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
cw_incadea_connector_iface_init (CwConnectorInterface *iface)
{
  iface->get_capabilities = cw_incadea_connector_get_capabilities;
  iface->check_async = cw_incadea_connector_check_async;
  iface->check_finish = cw_incadea_connector_check_finish;
  iface->search_async = cw_incadea_connector_search_async;
  iface->search_finish = cw_incadea_connector_search_finish;
  iface->fetch_async = cw_incadea_connector_fetch_async;
  iface->fetch_finish = cw_incadea_connector_fetch_finish;
  iface->list_days_async = cw_incadea_connector_list_days_async;
  iface->list_days_finish = cw_incadea_connector_list_days_finish;
  iface->write_async = cw_incadea_connector_write_async;
  iface->write_finish = cw_incadea_connector_write_finish;
}

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
cw_incadea_connector_finalize (GObject *object)
{
  CwIncadeaConnector *self = (CwIncadeaConnector *)object;

  g_clear_object (&self->connection);
  g_clear_object (&self->http);
  g_clear_pointer (&self->username, g_free);
  clear_secret (&self->password);
  forget_token (self);
  g_clear_pointer (&self->pending_scope, g_free);
  g_clear_pointer (&self->token_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_incadea_connector_parent_class)->finalize (object);
}

static void
cw_incadea_connector_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (object);

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
cw_incadea_connector_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CwIncadeaConnector *self = CW_INCADEA_CONNECTOR (object);

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
cw_incadea_connector_class_init (CwIncadeaConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_incadea_connector_finalize;
  object_class->get_property = cw_incadea_connector_get_property;
  object_class->set_property = cw_incadea_connector_set_property;

  g_object_class_override_property (object_class, PROP_CONNECTION, "connection");
}

static void
cw_incadea_connector_init (CwIncadeaConnector *self)
{
  self->token_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) token_waiter_free);
}

/**
 * cw_incadea_connector_new:
 * @connection: an "incadea" connection; its endpoint is the dealer's Incadea API address
 * @credentials: (element-type utf8 utf8): "username" and "password" of the dealer's
 *   Incadea API user
 * @error: return location for a #CwDmsError or a #CwNetError (an unusable CA file)
 *
 * Creates the connector; it logs in on first use.
 *
 * Returns: (transfer full) (nullable): the connector
 */
CwConnector *
cw_incadea_connector_new (CwConnection  *connection,
                          GHashTable    *credentials,
                          GError       **error)
{
  g_autoptr(CwIncadeaConnector) self = NULL;
  g_autofree char *username = NULL;
  const char *password;

  g_return_val_if_fail (CW_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  username = cw_text_dup_stripped (g_hash_table_lookup (credentials, "username"));
  password = g_hash_table_lookup (credentials, "password");
  if (username == NULL || password == NULL || *password == '\0')
    {
      g_autofree char *display = cw_connection_dup_display_name (connection);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS,
                   /* Translators: %s is the name of a DMS connection. */
                   _("The credentials of %s are incomplete: Incadea needs a user name and a "
                     "password. Enter them in Preferences."),
                   display);
      return NULL;
    }

  self = g_object_new (CW_TYPE_INCADEA_CONNECTOR, "connection", connection, NULL);
  self->username = g_steal_pointer (&username);
  self->password = g_strdup (password);

  self->http = cw_http_client_new (SERVICE_NAME, cw_connection_get_ca_file (connection), error);
  if (self->http == NULL)
    return NULL;

  return CW_CONNECTOR (g_steal_pointer (&self));
}

CwHttpClient *
cw_incadea_connector_get_http_client (CwIncadeaConnector *self)
{
  g_return_val_if_fail (CW_IS_INCADEA_CONNECTOR (self), NULL);

  return self->http;
}
