/* cw-wincar-connector.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-wincar-connector"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-http-client.h"
#include "cw-plate.h"
#include "cw-text.h"
#include "cw-wincar-connector.h"
#include "cw-wincar-connector-private.h"
#include "cw-wincar-mapping.h"

/*
 * The Wincar connector (DESIGN §3, docs/connectors/wincar.md). Wincar publishes no API: this
 * is our interpretation, one table in the doc, so that the vendor's specification is a
 * small change when it arrives.
 *
 * - Login: POST {endpoint}/auth/login with the user name and password; the token is kept
 *   until 60 s before it expires and fetched again once when the API answers 401. Requests
 *   that need a token while one is being fetched wait for that one.
 * - Search and refresh: GET {endpoint}/workorders?number=… or ?plate=…, and
 *   GET {endpoint}/workorders/{id}. The DMS key is Wincar's workorder id.
 * - Writeback: POST {endpoint}/workorders/{id}/lines and …/mileage with the outbox entry's
 *   key as Idempotency-Key. Never retried here: the outbox drainer decides.
 * - Events: a WebSocket at {endpoint}/events?after=SEQ that replays the changes Wincar kept
 *   after SEQ, then sends the live ones. Pings keep it alive; a stream silent for three ping
 *   intervals, or closed, ends the watch with an error, and the listener reconnects.
 *
 * Everything runs on the thread that created the connector (the HTTP client's rule).
 */

#define SERVICE_NAME          "Wincar"
#define TOKEN_RENEW_MARGIN_S  60
#define MAX_TOKEN_LIFETIME_S  (30 * 24 * 3600)
#define MAX_TOKEN_LENGTH      16384
/* A car can have years of workorders: the newest appointments are the ones wanted. */
#define MAX_PLATE_RESULTS     10
/* The largest message of the event stream: one workorder, however many lines. */
#define MAX_EVENT_SIZE        (4 * 1024 * 1024)
/* A stream that answers no ping for this many intervals is taken for dead. */
#define SILENT_INTERVALS      3

struct _CwWincarConnector
{
  GObject       parent_instance;

  CwConnection *connection;
  char         *username;
  char         *password;
  CwHttpClient *http;
  guint         keepalive_s;

  /* The token, what it was issued for (address and user), when to fetch a new one
   * (monotonic time), the login in flight and the TokenWaiters waiting for it. */
  char         *token;
  char         *token_scope;
  gint64        token_renew_at;
  char         *pending_scope;
  GPtrArray    *token_waiters;
};

static void cw_wincar_connector_iface_init (CwConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CwWincarConnector, cw_wincar_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CW_TYPE_CONNECTOR, cw_wincar_connector_iface_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

/* ------------------------------------------------------------------------------------- */
/* Settings                                                                              */
/* ------------------------------------------------------------------------------------- */

/* The endpoint, trimmed and without a trailing slash; NULL when it is blank. */
static char *
dup_base (CwWincarConnector *self)
{
  char *base = cw_text_dup_stripped (cw_connection_get_endpoint (self->connection));
  gsize length;

  if (base == NULL)
    return NULL;

  length = strlen (base);
  while (length > 0 && base[length - 1] == '/')
    base[--length] = '\0';

  return base;
}

static gboolean
check_configuration (CwWincarConnector  *self,
                     GError            **error)
{
  g_autofree char *base = dup_base (self);
  g_autofree char *display = NULL;

  if (base != NULL && *base != '\0')
    return TRUE;

  display = cw_connection_dup_display_name (self->connection);
  g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
               /* Translators: %s is the name of a DMS connection. */
               _("The connection “%s” has no Wincar address. Enter the address of the "
                 "dealer’s Wincar API in Preferences."),
               display);
  return FALSE;
}

/* A token is good for one address and one user; a change in Preferences drops it. */
static char *
dup_token_scope (CwWincarConnector *self)
{
  g_autofree char *base = dup_base (self);

  return g_strconcat (base != NULL ? base : "", "\n", self->username, NULL);
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
  CwWincarConnector *self = g_task_get_source_object (task);

  /* Frees the waiter, and with it this source, before the callback can run. */
  g_ptr_array_remove (self->token_waiters, waiter);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
forget_token (CwWincarConnector *self)
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

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return FALSE;

  object = json_node_get_object (body);
  node = json_object_get_member (object, "token");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !token_is_usable (json_node_get_string (node)))
    return FALSE;

  /* Without a lifetime the token serves the request that asked for it, then is renewed. */
  *lifetime_s = 0;
  node = json_object_get_member (object, "expiresIn");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    *lifetime_s = CLAMP (json_node_get_int (node), 0, MAX_TOKEN_LIFETIME_S);

  *token = g_strdup (json_node_get_string (json_object_get_member (object, "token")));
  return TRUE;
}

static GError *
login_refused_error_new (void)
{
  return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_LOGIN,
                              _("Wincar refused the login: check the user name and password "
                                "in Preferences."));
}

static GError *
token_error_new (CwHttpResponse *response)
{
  guint status = cw_http_response_get_status (response);
  GError *error = NULL;

  if (status == 401 || status == 403)
    return login_refused_error_new ();

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    return error;

  return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                              _("The Wincar login sent an answer Claire Workshop cannot use. "
                                "Try again later; if it persists, report it to the supplier "
                                "of Wincar."));
}

static void
complete_token_waiters (CwWincarConnector *self,
                        const char        *token,
                        const GError      *error)
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
  g_autoptr(CwWincarConnector) self = user_data;
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
      self->token_renew_at = g_get_monotonic_time () +
                             MAX (lifetime_s - TOKEN_RENEW_MARGIN_S, 0) * G_USEC_PER_SEC;
      g_debug ("New Wincar token, valid for %" G_GINT64_FORMAT " s", lifetime_s);
    }

  complete_token_waiters (self, token, error);
}

static void
request_token (CwWincarConnector *self)
{
  g_autoptr(CwHttpRequest) request = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *base = dup_base (self);
  g_autofree char *url = g_strconcat (base != NULL ? base : "", CW_WINCAR_PATH_LOGIN, NULL);

  g_assert (self->pending_scope == NULL);
  self->pending_scope = dup_token_scope (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, self->username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, self->password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  request = cw_http_request_new ("POST", url);
  cw_http_request_set_json_body (request, body);
  /* Logging in twice only gives two tokens: safe to retry. */
  cw_http_request_set_idempotent (request, TRUE);

  /* No cancellable: other requests may be waiting for this token. */
  cw_http_client_send_async (self->http, request, NULL, on_token_answer, g_object_ref (self));
}

/* Gives the cached token, or waits for a new one (as a string, transfer full). */
static void
get_token_async (CwWincarConnector   *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *scope = dup_token_scope (self);
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
get_token_finish (CwWincarConnector  *self,
                  GAsyncResult       *result,
                  GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The token of an attempt was refused: drop it, unless another request replaced it. */
static void
token_refused (CwWincarConnector *self,
               const char        *token)
{
  g_debug ("Wincar refused the token; logging in again");
  if (g_strcmp0 (self->token, token) == 0)
    forget_token (self);
}

static GError *
access_refused_error_new (void)
{
  return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_LOGIN,
                              _("Wincar accepted the login but refused the request. Check "
                                "the address in Preferences; if it is right, ask the "
                                "supplier of Wincar whether the user may use the API."));
}

/* ------------------------------------------------------------------------------------- */
/* The API                                                                               */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  const char *method;
  char       *path;
  char       *name;
  char       *value;
  JsonNode   *body;
  char       *idem_key;
  /* The token of the attempt in flight, and whether it is the second one. */
  char       *token;
  gboolean    renewed;
} ApiCall;

static void
api_call_free (ApiCall *call)
{
  g_free (call->path);
  g_free (call->name);
  g_free (call->value);
  g_clear_pointer (&call->body, json_node_unref);
  g_free (call->idem_key);
  g_free (call->token);
  g_free (call);
}

static void api_call_with_token (GTask *task);

static void
on_api_answer (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwWincarConnector *self = g_task_get_source_object (task);
  ApiCall *call = g_task_get_task_data (task);
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
      /* Refused before it was applied, so sending it again (with the same idempotency
       * key, for a write) cannot apply it twice. */
      if (!call->renewed)
        {
          token_refused (self, call->token);
          call->renewed = TRUE;
          api_call_with_token (g_steal_pointer (&task));
          return;
        }

      g_task_return_error (task, access_refused_error_new ());
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) cw_http_response_unref);
}

static void
on_api_token (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (source);
  ApiCall *call = g_task_get_task_data (task);
  g_autoptr(CwHttpRequest) request = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  g_free (call->token);
  call->token = get_token_finish (self, result, &error);
  if (call->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  base = dup_base (self);
  url = g_strconcat (base != NULL ? base : "", call->path, NULL);
  request = cw_http_request_new (call->method, url);
  if (call->name != NULL)
    cw_http_request_add_query (request, call->name, call->value);
  authorization = g_strconcat ("Bearer ", call->token, NULL);
  cw_http_request_set_header (request, "Authorization", authorization);
  if (call->idem_key != NULL)
    cw_http_request_set_header (request, CW_WINCAR_HEADER_IDEM_KEY, call->idem_key);
  cw_http_request_set_json_body (request, call->body);

  cancellable = g_task_get_cancellable (task);
  cw_http_client_send_async (self->http, request, cancellable, on_api_answer,
                             g_steal_pointer (&task));
}

/* Takes over @task. */
static void
api_call_with_token (GTask *task)
{
  CwWincarConnector *self = g_task_get_source_object (task);

  get_token_async (self, g_task_get_cancellable (task), on_api_token, task);
}

/*
 * Sends one request to the API with the token handling above and gives the answer, for any
 * status but a 401 after a new login (a CwHttpResponse, transfer full). @path is under the
 * endpoint and already escaped.
 */
static void
api_call_async (CwWincarConnector   *self,
                const char          *method,
                const char          *path,
                const char          *name,
                const char          *value,
                JsonNode            *body,
                const char          *idem_key,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ApiCall *call = g_new0 (ApiCall, 1);

  g_task_set_source_tag (task, api_call_async);
  call->method = g_intern_string (method);
  call->path = g_strdup (path);
  call->name = g_strdup (name);
  call->value = g_strdup (value);
  call->body = body != NULL ? json_node_ref (body) : NULL;
  call->idem_key = g_strdup (idem_key);
  g_task_set_task_data (task, call, (GDestroyNotify) api_call_free);

  api_call_with_token (g_steal_pointer (&task));
}

static CwHttpResponse *
api_call_finish (CwWincarConnector  *self,
                 GAsyncResult       *result,
                 GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* "/workorders/{id}" followed by @tail, with the id escaped as one path segment. */
static char *
dup_workorder_path (const char *dms_key,
                    const char *tail)
{
  g_autofree char *escaped = g_uri_escape_string (dms_key, NULL, FALSE);

  return g_strconcat (CW_WINCAR_PATH_WORKORDERS, "/", escaped, tail, NULL);
}

static void
set_unreadable (GError     **error,
                const char  *reason)
{
  g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
               _("Wincar sent an answer Claire Workshop cannot read (%s). Try again; if it "
                 "persists, report this to the supplier of Wincar."),
               reason);
}

/* ------------------------------------------------------------------------------------- */
/* Search and fetch                                                                      */
/* ------------------------------------------------------------------------------------- */

typedef enum
{
  LOOKUP_WO_NUMBER,
  LOOKUP_PLATE,
  LOOKUP_KEY,
} LookupKind;

typedef struct
{
  char       *wo_number;
  char       *plate;
  char       *key;
  LookupKind  kind;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->wo_number);
  g_free (lookup->plate);
  g_free (lookup->key);
  g_free (lookup);
}

static void
set_not_found (Lookup  *lookup,
               GError **error)
{
  g_autofree char *wo_number = cw_text_quote (lookup->wo_number);
  g_autofree char *key = cw_text_quote (lookup->key);
  g_autofree char *plate = NULL;

  if (lookup->plate != NULL)
    {
      g_autofree char *formatted = cw_plate_format (lookup->plate);

      plate = cw_text_quote (formatted);
    }

  if (lookup->kind == LOOKUP_KEY)
    g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                 /* Translators: %s is Wincar's id of a workorder. */
                 _("Wincar no longer has workorder %s. It may have been deleted; check it in "
                   "Wincar."),
                 key);
  else if (lookup->wo_number != NULL && lookup->plate != NULL)
    g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                 /* Translators: the first %s is a WO number, the second a licence plate;
                  * both are what the advisor typed. */
                 _("Wincar has no workorder %s, nor one for the car %s. Check the number or "
                   "the registration."),
                 wo_number, plate);
  else if (lookup->plate != NULL)
    g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                 /* Translators: %s is a licence plate such as AB-123-C. */
                 _("Wincar has no workorder for the car %s. Check the registration."),
                 plate);
  else
    g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                 /* Translators: %s is a WO number. */
                 _("Wincar has no workorder %s. Check the number."),
                 wo_number);
}

static gboolean
same_wo_number (const char *a,
                const char *b)
{
  g_autofree char *x = cw_text_compact (a);
  g_autofree char *y = cw_text_compact (b);

  return *x != '\0' && g_ascii_strcasecmp (x, y) == 0;
}

/* Whether a mapped workorder answers the search; Wincar is asked exactly that, and checked. */
static gboolean
answers_lookup (Lookup      *lookup,
                CwWorkorder *workorder)
{
  if (lookup->kind == LOOKUP_PLATE)
    {
      const char *plate = cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE);

      return plate == NULL || g_strcmp0 (plate, lookup->plate) == 0;
    }

  return same_wo_number (cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER),
                         lookup->wo_number);
}

/* Newest appointment first; without one, last. */
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

static void lookup_start (GTask *task);

static void
on_search_answer (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (source);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) problem = NULL;
  const char *connection_id = cw_connection_get_id (self->connection);
  GError *error = NULL;
  JsonArray *list;

  response = api_call_finish (self, result, &error);
  if (response == NULL || !cw_http_response_check_status (response, SERVICE_NAME, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  list = cw_wincar_get_workorders (cw_http_response_get_body (response));
  if (list == NULL)
    {
      set_unreadable (&error, _("it has no “workorders” list"));
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      g_autoptr(CwWorkorder) workorder = NULL;
      g_autoptr(GError) map_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          if (problem == NULL)
            set_unreadable (&problem, _("a workorder is not an object"));
          continue;
        }

      workorder = cw_wincar_map_workorder (json_node_get_object (node), connection_id, &map_error);
      if (workorder == NULL)
        {
          g_debug ("A Wincar workorder was left out: %s", map_error->message);
          if (problem == NULL)
            problem = g_steal_pointer (&map_error);
          continue;
        }

      /* Another workorder than asked for, or the same one twice, is not taken. */
      if (!answers_lookup (lookup, workorder) ||
          !g_hash_table_add (seen, (gpointer) cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY)))
        continue;

      g_ptr_array_add (found, g_steal_pointer (&workorder));
    }

  if (found->len == 0 && problem != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&problem));
      return;
    }

  if (found->len == 0)
    {
      /* "12-ABC-3" reads as a WO number and as a plate: the number first, then the car. */
      if (lookup->kind == LOOKUP_WO_NUMBER && lookup->plate != NULL)
        {
          lookup->kind = LOOKUP_PLATE;
          lookup_start (g_steal_pointer (&task));
          return;
        }

      set_not_found (lookup, &error);
      g_task_return_error (task, error);
      return;
    }

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
  CwWincarConnector *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);

  if (lookup->kind == LOOKUP_PLATE)
    api_call_async (self, "GET", CW_WINCAR_PATH_WORKORDERS, CW_WINCAR_PARAM_PLATE, lookup->plate,
                    NULL, NULL, g_task_get_cancellable (task), on_search_answer, task);
  else
    api_call_async (self, "GET", CW_WINCAR_PATH_WORKORDERS, CW_WINCAR_PARAM_NUMBER, lookup->wo_number,
                    NULL, NULL, g_task_get_cancellable (task), on_search_answer, task);
}

static void
cw_wincar_connector_search_async (CwConnector         *connector,
                                  const CwDmsQuery    *query,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_wincar_connector_search_async);
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
                               _("Wincar finds a workorder by its number or by the car’s "
                                 "registration only. Type a WO number or a registration."));
      return;
    }

  lookup_start (g_steal_pointer (&task));
}

static GPtrArray *
cw_wincar_connector_search_finish (CwConnector   *connector,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_fetch_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (source);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  CwWorkorder *workorder;
  JsonNode *body;
  GError *error = NULL;

  response = api_call_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (cw_http_response_get_status (response) == 404)
    {
      set_not_found (lookup, &error);
      g_task_return_error (task, error);
      return;
    }

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  body = cw_http_response_get_body (response);
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      set_unreadable (&error, _("a workorder is not an object"));
      g_task_return_error (task, error);
      return;
    }

  workorder = cw_wincar_map_workorder (json_node_get_object (body),
                                       cw_connection_get_id (self->connection), &error);
  if (workorder == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, workorder, g_object_unref);
}

static void
cw_wincar_connector_fetch_async (CwConnector         *connector,
                                 const char          *dms_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;
  Lookup *lookup = g_new0 (Lookup, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_wincar_connector_fetch_async);
  lookup->key = cw_text_dup_stripped (dms_key);
  lookup->kind = LOOKUP_KEY;
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (lookup->key == NULL)
    {
      set_not_found (lookup, &error);
      g_task_return_error (task, error);
      return;
    }

  path = dup_workorder_path (lookup->key, NULL);
  api_call_async (self, "GET", path, NULL, NULL, NULL, NULL, cancellable, on_fetch_answer,
                  g_steal_pointer (&task));
}

static CwWorkorder *
cw_wincar_connector_fetch_finish (CwConnector   *connector,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* Writeback                                                                             */
/* ------------------------------------------------------------------------------------- */

static void
on_write_answer (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (source);
  CwOutboxEntry *entry = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  g_autofree char *message = NULL;
  char *line_id = NULL;
  GError *error = NULL;
  guint status;

  response = api_call_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = cw_http_response_get_status (response);
  if (status >= 400 && status < 500)
    message = cw_wincar_dup_error_message (cw_http_response_get_body (response));

  if (message != NULL)
    {
      /* The DMS's own words say best why it will not take the change. */
      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                               /* Translators: %s is Wincar's own message, as it sent it. */
                               _("Wincar refused the change: %s"), message);
      return;
    }

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (cw_outbox_entry_get_kind (entry) == CW_OUTBOX_INTERVENTION)
    {
      line_id = cw_wincar_dup_line_id (cw_http_response_get_body (response));
      /* Wincar has the line (a repeat answers the same): a missing id is not a reason to
       * send it again. */
      if (line_id == NULL)
        g_message ("Wincar took intervention %s without giving its line id",
                   cw_outbox_entry_get_idem_key (entry));
    }

  g_task_return_pointer (task, line_id != NULL ? line_id : g_strdup (""), g_free);
}

static void
cw_wincar_connector_write_async (CwConnector         *connector,
                                 CwOutboxEntry       *entry,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = cw_text_dup_stripped (cw_outbox_entry_get_dms_key (entry));
  const char *idem_key = cw_outbox_entry_get_idem_key (entry);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_wincar_connector_write_async);
  g_task_set_task_data (task, g_object_ref (entry), g_object_unref);

  if (!check_configuration (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (key == NULL || idem_key == NULL || *idem_key == '\0')
    {
      g_autofree char *summary = cw_outbox_entry_dup_summary (entry);

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_UNSUPPORTED,
                               /* Translators: %s describes the change ("Mileage 12 345 km"). */
                               _("“%s” cannot go to Wincar: the workorder was not imported "
                                 "from Wincar."),
                               summary);
      return;
    }

  if (cw_outbox_entry_get_kind (entry) == CW_OUTBOX_INTERVENTION &&
      cw_outbox_entry_get_intervention (entry) != NULL)
    {
      body = cw_wincar_intervention_to_json (cw_outbox_entry_get_intervention (entry));
      path = dup_workorder_path (key, CW_WINCAR_PATH_LINES);
    }
  else if (cw_outbox_entry_get_kind (entry) == CW_OUTBOX_MILEAGE &&
           cw_outbox_entry_get_mileage (entry) > 0)
    {
      body = cw_wincar_mileage_to_json (cw_outbox_entry_get_mileage (entry));
      path = dup_workorder_path (key, CW_WINCAR_PATH_MILEAGE);
    }
  else
    {
      g_autofree char *summary = cw_outbox_entry_dup_summary (entry);

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_UNSUPPORTED,
                               /* Translators: %s describes the change. */
                               _("“%s” cannot go to Wincar: it carries nothing to write."),
                               summary);
      return;
    }

  /* A POST: the HTTP client never sends it twice by itself. */
  api_call_async (self, "POST", path, NULL, NULL, body, idem_key, cancellable, on_write_answer,
                  g_steal_pointer (&task));
}

static gboolean
cw_wincar_connector_write_finish (CwConnector   *connector,
                                  GAsyncResult  *result,
                                  char         **dms_ref,
                                  GError       **error)
{
  g_autofree char *line_id = NULL;

  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);

  line_id = g_task_propagate_pointer (G_TASK (result), error);
  if (line_id == NULL)
    return FALSE;

  if (dms_ref != NULL)
    *dms_ref = *line_id != '\0' ? g_steal_pointer (&line_id) : NULL;

  return TRUE;
}

/* ------------------------------------------------------------------------------------- */
/* Events                                                                                */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  /* The watch's task (not a reference: the task owns this). */
  GTask                   *task;
  /* The reference the open stream's handlers hold on the task. */
  gboolean                 holds_task;
  gint64                   after_seq;
  /* The last change handed over: later messages must come after it. */
  gint64                   last_seq;
  CwDmsEventFunc           func;
  gpointer                 func_data;

  char                    *token;
  gboolean                 renewed;

  SoupWebsocketConnection *stream;
  gint64                   last_heard;
  GSource                 *watchdog;
  GSource                 *cancelled;
  /* Why the watch ends, once it is known (the stream is being closed). */
  GError                  *error;
  gboolean                 done;
} Watch;

static void
watch_release_stream (Watch *watch)
{
  if (watch->watchdog != NULL)
    {
      g_source_destroy (watch->watchdog);
      g_clear_pointer (&watch->watchdog, g_source_unref);
    }

  if (watch->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (watch->stream, watch->task);
      if (soup_websocket_connection_get_state (watch->stream) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (watch->stream, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&watch->stream);
    }
}

static void
watch_free (Watch *watch)
{
  watch_release_stream (watch);
  if (watch->cancelled != NULL)
    {
      g_source_destroy (watch->cancelled);
      g_clear_pointer (&watch->cancelled, g_source_unref);
    }
  g_free (watch->token);
  g_clear_error (&watch->error);
  g_free (watch);
}

/* Ends the watch with @error (taken over), once. */
static void
watch_end (GTask  *task,
           GError *error)
{
  Watch *watch = g_task_get_task_data (task);

  if (watch->done)
    {
      g_error_free (error);
      return;
    }

  watch->done = TRUE;
  watch_release_stream (watch);
  if (watch->cancelled != NULL)
    {
      g_source_destroy (watch->cancelled);
      g_clear_pointer (&watch->cancelled, g_source_unref);
    }

  g_debug ("The Wincar event stream ended: %s", error->message);
  g_task_return_error (task, error);

  if (watch->holds_task)
    {
      watch->holds_task = FALSE;
      g_object_unref (task);
    }
}

static GError *
stream_closed_error_new (void)
{
  return g_error_new_literal (CW_NET_ERROR, CW_NET_ERROR_UNREACHABLE,
                              _("The connection to Wincar’s change stream broke off. Claire "
                                "Workshop connects again by itself; until then, refresh a "
                                "workorder to see Wincar’s changes."));
}

static void
on_stream_message (SoupWebsocketConnection *stream,
                   SoupWebsocketDataType    type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  GTask *task = user_data;
  Watch *watch = g_task_get_task_data (task);
  CwWincarConnector *self = g_task_get_source_object (task);
  g_autoptr(CwDmsEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  watch->last_heard = g_get_monotonic_time ();
  if (watch->done || type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  event = cw_wincar_map_event_data (data, length, cw_connection_get_id (self->connection), &error);
  if (event == NULL)
    {
      /* Without a sequence number it has no place in the stream: nothing to apply or
       * to skip. */
      g_message ("A message of Wincar's change stream was left out: %s", error->message);
      return;
    }

  if (g_error_matches (event->error, CW_DMS_ERROR, CW_DMS_ERROR_EVENTS_LOST))
    {
      g_object_ref (task);
      watch->func (CW_CONNECTOR (self), event, watch->func_data);
      watch_end (task, g_error_copy (event->error));
      g_object_unref (task);
      return;
    }

  /* A change repeated (a server that sends at least once) is no new change. */
  if (event->seq <= watch->last_seq)
    {
      g_debug ("Wincar change %" G_GINT64_FORMAT " was handed over already", event->seq);
      return;
    }

  watch->last_seq = event->seq;
  watch->func (CW_CONNECTOR (self), event, watch->func_data);
}

static void
on_stream_pong (SoupWebsocketConnection *stream,
                GBytes                  *message,
                gpointer                 user_data)
{
  Watch *watch = g_task_get_task_data (G_TASK (user_data));

  watch->last_heard = g_get_monotonic_time ();
}

static void
on_stream_error (SoupWebsocketConnection *stream,
                 GError                  *error,
                 gpointer                 user_data)
{
  g_debug ("Wincar's change stream: %s", error->message);
}

static void
on_stream_closed (SoupWebsocketConnection *stream,
                  gpointer                 user_data)
{
  GTask *task = user_data;

  g_debug ("Wincar closed its change stream (code %u)",
           soup_websocket_connection_get_close_code (stream));
  g_object_ref (task);
  watch_end (task, stream_closed_error_new ());
  g_object_unref (task);
}

static gboolean
on_watchdog (gpointer user_data)
{
  GTask *task = user_data;
  CwWincarConnector *self = g_task_get_source_object (task);
  Watch *watch = g_task_get_task_data (task);
  gint64 silent_us = g_get_monotonic_time () - watch->last_heard;

  if (silent_us <= (gint64) self->keepalive_s * SILENT_INTERVALS * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  g_object_ref (task);
  watch_end (task, g_error_new (CW_NET_ERROR, CW_NET_ERROR_TIMEOUT,
                                /* Translators: %u is a number of seconds. */
                                g_dngettext (GETTEXT_PACKAGE,
                                             "Wincar’s change stream went silent for more than %u second. Claire Workshop connects again by itself.",
                                             "Wincar’s change stream went silent for more than %u seconds. Claire Workshop connects again by itself.",
                                             self->keepalive_s * SILENT_INTERVALS),
                                self->keepalive_s * SILENT_INTERVALS));
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void watch_connect (GTask *task);

static void
on_stream_open (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwWincarConnector *self = g_task_get_source_object (task);
  Watch *watch = g_task_get_task_data (task);
  g_autoptr(SoupWebsocketConnection) stream = NULL;
  GError *error = NULL;

  stream = cw_http_client_websocket_connect_finish (CW_HTTP_CLIENT (source), result, &error);
  if (watch->done)
    {
      g_clear_error (&error);
      if (stream != NULL)
        soup_websocket_connection_close (stream, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return;
    }

  if (stream == NULL)
    {
      if (g_error_matches (error, CW_NET_ERROR, CW_NET_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          if (!watch->renewed)
            {
              token_refused (self, watch->token);
              watch->renewed = TRUE;
              watch_connect (g_steal_pointer (&task));
              return;
            }
          error = access_refused_error_new ();
        }

      watch_end (task, error);
      return;
    }

  watch->stream = g_steal_pointer (&stream);
  watch->last_heard = g_get_monotonic_time ();
  soup_websocket_connection_set_max_incoming_payload_size (watch->stream, MAX_EVENT_SIZE);
  soup_websocket_connection_set_keepalive_interval (watch->stream, self->keepalive_s);

  /* The task outlives the stream's handlers: they are disconnected when it ends. */
  g_signal_connect (watch->stream, "message", G_CALLBACK (on_stream_message), task);
  g_signal_connect (watch->stream, "pong", G_CALLBACK (on_stream_pong), task);
  g_signal_connect (watch->stream, "error", G_CALLBACK (on_stream_error), task);
  g_signal_connect (watch->stream, "closed", G_CALLBACK (on_stream_closed), task);

  watch->watchdog = g_timeout_source_new_seconds (self->keepalive_s);
  g_source_set_callback (watch->watchdog, on_watchdog, task, NULL);
  g_source_set_static_name (watch->watchdog, "[cw-wincar] stream watchdog");
  g_source_attach (watch->watchdog, g_task_get_context (task));

  /* The handlers hold the task until the watch ends. */
  watch->holds_task = TRUE;
  g_steal_pointer (&task);

  g_debug ("Following Wincar's changes after %" G_GINT64_FORMAT, watch->after_seq);
}

static void
on_watch_token (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (source);
  Watch *watch = g_task_get_task_data (task);
  g_autoptr(CwHttpRequest) request = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *after = NULL;
  g_autofree char *authorization = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  g_free (watch->token);
  watch->token = get_token_finish (self, result, &error);
  if (watch->done)
    {
      g_clear_error (&error);
      return;
    }

  if (watch->token == NULL)
    {
      watch_end (task, error);
      return;
    }

  /* ws:// and wss:// for the API's http:// and https://. */
  base = dup_base (self);
  if (g_str_has_prefix (base, "http"))
    url = g_strconcat ("ws", base + strlen ("http"), CW_WINCAR_PATH_EVENTS, NULL);
  else
    url = g_strconcat (base, CW_WINCAR_PATH_EVENTS, NULL);
  after = g_strdup_printf ("%" G_GINT64_FORMAT, watch->after_seq);

  request = cw_http_request_new ("GET", url);
  cw_http_request_add_query (request, CW_WINCAR_PARAM_AFTER, after);
  authorization = g_strconcat ("Bearer ", watch->token, NULL);
  cw_http_request_set_header (request, "Authorization", authorization);

  cancellable = g_task_get_cancellable (task);
  cw_http_client_websocket_connect_async (self->http, request, cancellable, on_stream_open,
                                          g_steal_pointer (&task));
}

/* Takes over @task. */
static void
watch_connect (GTask *task)
{
  CwWincarConnector *self = g_task_get_source_object (task);

  get_token_async (self, g_task_get_cancellable (task), on_watch_token, task);
}

static gboolean
on_watch_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Watch *watch = g_task_get_task_data (task);

  /* Dispatched from the main loop, never from inside g_cancellable_cancel(). */
  g_clear_pointer (&watch->cancelled, g_source_unref);
  g_object_ref (task);
  watch_end (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                        "The watch was cancelled"));
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
cw_wincar_connector_watch_async (CwConnector         *connector,
                                 gint64               after_seq,
                                 CwDmsEventFunc       func,
                                 gpointer             func_data,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Watch *watch = g_new0 (Watch, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_wincar_connector_watch_async);
  watch->task = task;
  watch->after_seq = MAX (after_seq, 0);
  watch->last_seq = watch->after_seq;
  watch->func = func;
  watch->func_data = func_data;
  g_task_set_task_data (task, watch, (GDestroyNotify) watch_free);

  if (!check_configuration (self, &error))
    {
      watch->done = TRUE;
      g_task_return_error (task, error);
      return;
    }

  if (cancellable != NULL)
    {
      watch->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (watch->cancelled, G_SOURCE_FUNC (on_watch_cancelled), task, NULL);
      g_source_attach (watch->cancelled, g_task_get_context (task));
    }

  watch_connect (g_steal_pointer (&task));
}

static gboolean
cw_wincar_connector_watch_finish (CwConnector   *connector,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);

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

  token = get_token_finish (CW_WINCAR_CONNECTOR (source), result, &error);
  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
cw_wincar_connector_check_async (CwConnector         *connector,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_wincar_connector_check_async);

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
cw_wincar_connector_check_finish (CwConnector   *connector,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static CwCapabilities
cw_wincar_connector_get_capabilities (CwConnector *connector)
{
  /* Import after work started, writeback and events are the dealer's options. */
  return CW_CAPABILITY_SEARCH_IMPORT |
         CW_CAPABILITY_REFRESH |
         CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED |
         CW_CAPABILITY_WRITEBACK_INTERVENTIONS |
         CW_CAPABILITY_WRITEBACK_MILEAGE |
         CW_CAPABILITY_EVENTS;
}

/* ------------------------------------------------------------------------------------- */
/* GObject                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
cw_wincar_connector_iface_init (CwConnectorInterface *iface)
{
  iface->get_capabilities = cw_wincar_connector_get_capabilities;
  iface->check_async = cw_wincar_connector_check_async;
  iface->check_finish = cw_wincar_connector_check_finish;
  iface->search_async = cw_wincar_connector_search_async;
  iface->search_finish = cw_wincar_connector_search_finish;
  iface->fetch_async = cw_wincar_connector_fetch_async;
  iface->fetch_finish = cw_wincar_connector_fetch_finish;
  iface->write_async = cw_wincar_connector_write_async;
  iface->write_finish = cw_wincar_connector_write_finish;
  iface->watch_async = cw_wincar_connector_watch_async;
  iface->watch_finish = cw_wincar_connector_watch_finish;
}

static void
cw_wincar_connector_finalize (GObject *object)
{
  CwWincarConnector *self = (CwWincarConnector *)object;

  g_clear_object (&self->connection);
  g_clear_object (&self->http);
  g_clear_pointer (&self->username, g_free);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  forget_token (self);
  g_clear_pointer (&self->pending_scope, g_free);
  g_clear_pointer (&self->token_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_wincar_connector_parent_class)->finalize (object);
}

static void
cw_wincar_connector_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (object);

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
cw_wincar_connector_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CwWincarConnector *self = CW_WINCAR_CONNECTOR (object);

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
cw_wincar_connector_class_init (CwWincarConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_wincar_connector_finalize;
  object_class->get_property = cw_wincar_connector_get_property;
  object_class->set_property = cw_wincar_connector_set_property;

  g_object_class_override_property (object_class, PROP_CONNECTION, "connection");
}

static void
cw_wincar_connector_init (CwWincarConnector *self)
{
  self->keepalive_s = CW_WINCAR_KEEPALIVE_S;
  self->token_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) token_waiter_free);
}

/**
 * cw_wincar_connector_new:
 * @connection: a "wincar" connection
 * @credentials: (element-type utf8 utf8): "username" and "password"
 * @error: return location for a #CwNetError (an unusable CA file)
 *
 * Creates the connector; it logs in on first use.
 *
 * Returns: (transfer full) (nullable): the connector
 */
CwConnector *
cw_wincar_connector_new (CwConnection  *connection,
                         GHashTable    *credentials,
                         GError       **error)
{
  g_autoptr(CwWincarConnector) self = NULL;
  const char *password;

  g_return_val_if_fail (CW_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CW_TYPE_WINCAR_CONNECTOR, "connection", connection, NULL);
  self->username = cw_text_dup_stripped (g_hash_table_lookup (credentials, "username"));
  if (self->username == NULL)
    self->username = g_strdup ("");
  password = g_hash_table_lookup (credentials, "password");
  self->password = g_strdup (password != NULL ? password : "");

  self->http = cw_http_client_new (SERVICE_NAME, cw_connection_get_ca_file (connection), error);
  if (self->http == NULL)
    return NULL;

  return CW_CONNECTOR (g_steal_pointer (&self));
}

CwHttpClient *
cw_wincar_connector_get_http_client (CwWincarConnector *self)
{
  g_return_val_if_fail (CW_IS_WINCAR_CONNECTOR (self), NULL);

  return self->http;
}

/**
 * cw_wincar_connector_set_keepalive:
 * @seconds: the ping interval of the event streams opened from now on (at least 1)
 */
void
cw_wincar_connector_set_keepalive (CwWincarConnector *self,
                                   guint              seconds)
{
  g_return_if_fail (CW_IS_WINCAR_CONNECTOR (self));

  self->keepalive_s = MAX (seconds, 1);
}
