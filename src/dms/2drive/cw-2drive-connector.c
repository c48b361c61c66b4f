/* cw-2drive-connector.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-2drive-connector"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-2drive-connector.h"
#include "cw-2drive-connector-private.h"
#include "cw-2drive-mapping.h"
#include "cw-http-client.h"
#include "cw-plate.h"
#include "cw-text.h"

/*
 * The 2Drive connector (DESIGN §3, docs/connectors/2drive.md): search-import and refresh
 * from Vinacles' 2Drive, a Data API Builder per dealer behind Auth0.
 *
 * - Login: OAuth2 client credentials at the connection's token address, for the dealer's
 *   audience. The bearer token is kept until 60 s before it expires, and fetched again once
 *   when the API answers 401 (it may have been revoked early). Requests that need a token
 *   while one is being fetched wait for that one.
 * - Data: GET {endpoint}/GetAftersalesForAffiliateExtended?AffiliateId=…&WONUMMER=… (or
 *   &KENTEKEN=…) for the workorders, then GetAftersalesPartsForAffiliateExtended for the
 *   lines of each; every answer is {"value": [...]}. Rows of another branch are skipped.
 * - The DMS key is the WO number: it is what 2Drive is asked by.
 *
 * Everything runs on the thread that created the connector (the HTTP client's rule); the
 * mapping is small and runs there too.
 */

#define SERVICE_NAME          "2Drive"
#define TOKEN_RENEW_MARGIN_S  60
#define MAX_TOKEN_LIFETIME_S  (30 * 24 * 3600)
#define MAX_TOKEN_LENGTH      16384
/* A plate can have years of history; the newest appointments are the ones wanted. */
#define MAX_PLATE_RESULTS     10

struct _Cw2DriveConnector
{
  GObject       parent_instance;

  CwConnection *connection;
  char         *client_id;
  char         *client_secret;
  CwHttpClient *http;

  /* The bearer token, what it was issued for (token address and audience), and when to
   * fetch a new one (monotonic time). */
  char         *token;
  char         *token_scope;
  gint64        token_renew_at;

  /* The token request in flight, and the TokenWaiters waiting for it. */
  char         *pending_scope;
  GPtrArray    *token_waiters;
};

static void cw_2drive_connector_iface_init (CwConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (Cw2DriveConnector, cw_2drive_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CW_TYPE_CONNECTOR, cw_2drive_connector_iface_init))

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

/* ------------------------------------------------------------------------------------- */
/* Settings                                                                              */
/* ------------------------------------------------------------------------------------- */

static gboolean
is_blank (const char *text)
{
  g_autofree char *stripped = cw_text_dup_stripped (text);

  return stripped == NULL;
}

/* The settings a request needs: the token's, and for the API its address and branch. */
static gboolean
check_configuration (Cw2DriveConnector  *self,
                     gboolean            for_api,
                     GError            **error)
{
  g_autofree char *display = cw_connection_dup_display_name (self->connection);

  if (is_blank (cw_connection_get_token_url (self->connection)))
    {
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
                   /* Translators: %s is the name of a DMS connection. */
                   _("The connection “%s” has no 2Drive token address. Enter the address "
                     "Vinacles gave for the login in Preferences."),
                   display);
      return FALSE;
    }

  if (is_blank (cw_connection_get_audience (self->connection)))
    {
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
                   /* Translators: %s is the name of a DMS connection. */
                   _("The connection “%s” has no 2Drive token audience. Enter the audience "
                     "Vinacles gave for the dealer in Preferences."),
                   display);
      return FALSE;
    }

  if (for_api && is_blank (cw_connection_get_endpoint (self->connection)))
    {
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
                   /* Translators: %s is the name of a DMS connection. */
                   _("The connection “%s” has no 2Drive API address. Enter the dealer’s API "
                     "address in Preferences."),
                   display);
      return FALSE;
    }

  if (for_api && is_blank (cw_connection_get_affiliate_id (self->connection)))
    {
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
                   /* Translators: %s is the name of a DMS connection. */
                   _("The connection “%s” has no 2Drive branch. Enter the branch number "
                     "(AffiliateId) in Preferences."),
                   display);
      return FALSE;
    }

  return TRUE;
}

static char *
dup_trimmed (const char *text)
{
  char *trimmed = cw_text_dup_stripped (text);

  return trimmed != NULL ? trimmed : g_strdup ("");
}

/* A token is good for one token address and one audience; a change in Preferences drops it. */
static char *
dup_token_scope (Cw2DriveConnector *self)
{
  g_autofree char *url = dup_trimmed (cw_connection_get_token_url (self->connection));
  g_autofree char *audience = dup_trimmed (cw_connection_get_audience (self->connection));

  return g_strconcat (url, "\n", audience, NULL);
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
  Cw2DriveConnector *self = g_task_get_source_object (task);

  /* Frees the waiter, and with it this source, before the callback can run. */
  g_ptr_array_remove (self->token_waiters, waiter);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
forget_token (Cw2DriveConnector *self)
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

  type = json_object_get_string_member_with_default (object, "token_type", "Bearer");
  if (type == NULL || g_ascii_strcasecmp (type, "Bearer") != 0)
    return FALSE;

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
token_error_new (Cw2DriveConnector *self,
                 CwHttpResponse    *response)
{
  guint status = cw_http_response_get_status (response);
  GError *error = NULL;

  if (status == 401)
    return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_LOGIN,
                                _("2Drive refused the login: check the client id and secret "
                                  "in Preferences."));

  /* Auth0 answers 403 when the client may not use the audience. */
  if (status == 403)
    return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_LOGIN,
                                _("2Drive refused the login for this dealer’s API: check the "
                                  "token audience and the client id in Preferences."));

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    return error;

  return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                              _("The 2Drive login service sent an answer Claire Workshop "
                                "cannot use. Try again later; if it persists, report it to "
                                "Vinacles."));
}

static void
complete_token_waiters (Cw2DriveConnector *self,
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
  g_autoptr(Cw2DriveConnector) self = user_data;
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
        error = token_error_new (self, response);
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
      g_debug ("New 2Drive token, valid for %" G_GINT64_FORMAT " s", lifetime_s);
    }

  complete_token_waiters (self, token, error);
}

static void
request_token (Cw2DriveConnector *self)
{
  g_autoptr(CwHttpRequest) request = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = dup_trimmed (cw_connection_get_token_url (self->connection));
  g_autofree char *audience = dup_trimmed (cw_connection_get_audience (self->connection));

  g_assert (self->pending_scope == NULL);
  self->pending_scope = dup_token_scope (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, self->client_id);
  json_builder_set_member_name (builder, "client_secret");
  json_builder_add_string_value (builder, self->client_secret);
  json_builder_set_member_name (builder, "audience");
  json_builder_add_string_value (builder, audience);
  json_builder_set_member_name (builder, "grant_type");
  json_builder_add_string_value (builder, "client_credentials");
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
get_token_async (Cw2DriveConnector   *self,
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
get_token_finish (Cw2DriveConnector  *self,
                  GAsyncResult       *result,
                  GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* The API                                                                               */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  char     *entity;
  char     *name;
  char     *value;
  /* The token of the attempt in flight, and whether it is the second one. */
  char     *token;
  gboolean  renewed;
} GetData;

static void
get_data_free (GetData *data)
{
  g_free (data->entity);
  g_free (data->name);
  g_free (data->value);
  g_free (data->token);
  g_free (data);
}

static void get_with_token (GTask *task);

static void
on_get_answer (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Cw2DriveConnector *self = g_task_get_source_object (task);
  GetData *data = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = NULL;
  GError *error = NULL;
  JsonArray *rows;

  response = cw_http_client_send_finish (CW_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (cw_http_response_get_status (response) == 401)
    {
      if (!data->renewed)
        {
          /* Revoked or expired early: one new token, unless another request got one. */
          g_debug ("2Drive refused the token; fetching a new one");
          if (g_strcmp0 (self->token, data->token) == 0)
            forget_token (self);
          data->renewed = TRUE;
          get_with_token (g_steal_pointer (&task));
          return;
        }

      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_LOGIN,
                               _("2Drive accepted the login but refused access to the "
                                 "workorders. Check the token audience and the API address "
                                 "in Preferences."));
      return;
    }

  if (!cw_http_response_check_status (response, SERVICE_NAME, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  rows = cw_2drive_get_rows (cw_http_response_get_body (response));
  if (rows == NULL)
    {
      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                               _("2Drive sent an answer Claire Workshop cannot read (it has "
                                 "no “value” list). Try again; if it persists, report this "
                                 "to Vinacles."));
      return;
    }

  g_task_return_pointer (task, json_array_ref (rows), (GDestroyNotify) json_array_unref);
}

static void
on_get_token (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Cw2DriveConnector *self = CW_2DRIVE_CONNECTOR (source);
  GetData *data = g_task_get_task_data (task);
  g_autoptr(CwHttpRequest) request = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *affiliate = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  gsize length;

  g_free (data->token);
  data->token = get_token_finish (self, result, &error);
  if (data->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  base = dup_trimmed (cw_connection_get_endpoint (self->connection));
  length = strlen (base);
  while (length > 0 && base[length - 1] == '/')
    base[--length] = '\0';
  url = g_strconcat (base, "/", data->entity, NULL);
  affiliate = dup_trimmed (cw_connection_get_affiliate_id (self->connection));

  request = cw_http_request_new ("GET", url);
  cw_http_request_add_query (request, CW_2DRIVE_PARAM_AFFILIATE, affiliate);
  if (data->name != NULL)
    cw_http_request_add_query (request, data->name, data->value);
  authorization = g_strconcat ("Bearer ", data->token, NULL);
  cw_http_request_set_header (request, "Authorization", authorization);
  cw_http_request_set_header (request, "Accept", "application/json");

  cancellable = g_task_get_cancellable (task);
  cw_http_client_send_async (self->http, request, cancellable, on_get_answer,
                             g_steal_pointer (&task));
}

/* Takes over @task. */
static void
get_with_token (GTask *task)
{
  Cw2DriveConnector *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  get_token_async (self, cancellable, on_get_token, task);
}

/*
 * GETs an entity of the branch with one parameter and gives its rows (a JsonArray, transfer
 * full), with the token handling above.
 */
static void
api_get_async (Cw2DriveConnector   *self,
               const char          *entity,
               const char          *name,
               const char          *value,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GetData *data = g_new0 (GetData, 1);

  g_task_set_source_tag (task, api_get_async);
  data->entity = g_strdup (entity);
  data->name = g_strdup (name);
  data->value = g_strdup (value);
  g_task_set_task_data (task, data, (GDestroyNotify) get_data_free);

  get_with_token (g_steal_pointer (&task));
}

static JsonArray *
api_get_finish (Cw2DriveConnector  *self,
                GAsyncResult       *result,
                GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
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
  LookupKind  kind;

  /* The workorder rows found, whose lines are fetched one after the other. */
  GPtrArray  *rows;
  guint       next;

  GPtrArray  *found;
  /* Why the first workorder that could not be used could not be. */
  GError     *problem;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_free (lookup->wo_number);
  g_free (lookup->plate);
  g_clear_pointer (&lookup->rows, g_ptr_array_unref);
  g_clear_pointer (&lookup->found, g_ptr_array_unref);
  g_clear_error (&lookup->problem);
  g_free (lookup);
}

static void
lookup_add_problem (Lookup *lookup,
                    GError *error)
{
  g_debug ("A 2Drive workorder was left out: %s", error->message);

  if (lookup->problem == NULL)
    lookup->problem = error;
  else
    g_error_free (error);
}

static gboolean
same_wo_number (const char *a,
                const char *b)
{
  g_autofree char *x = cw_text_compact (a);
  g_autofree char *y = cw_text_compact (b);

  return *x != '\0' && g_str_equal (x, y);
}

/* Whether a row answers the lookup; the DMS is asked exactly that, and checked. */
static gboolean
row_matches (Cw2DriveConnector *self,
             Lookup            *lookup,
             JsonObject        *row)
{
  g_autofree char *affiliate = dup_trimmed (cw_connection_get_affiliate_id (self->connection));

  if (!cw_2drive_row_is_for_branch (row, affiliate))
    return FALSE;

  if (lookup->kind == LOOKUP_PLATE)
    {
      g_autofree char *text = cw_2drive_row_dup_text (row, "Kenteken");
      g_autofree char *plate = cw_plate_normalize (text);

      return text == NULL || g_strcmp0 (plate, lookup->plate) == 0;
    }
  else
    {
      g_autofree char *wo_number = cw_2drive_row_dup_text (row, "WONUMMER");

      /* Without a WO number the row is kept, for the mapping to say what is wrong. */
      return wo_number == NULL || same_wo_number (wo_number, lookup->wo_number);
    }
}

/* Newest appointment first; ISO 8601 text sorts as time does. */
static int
compare_rows_newest_first (gconstpointer a,
                           gconstpointer b)
{
  JsonObject *x = *(JsonObject * const *) a;
  JsonObject *y = *(JsonObject * const *) b;
  g_autofree char *x_date = cw_2drive_row_dup_text (x, "AfspraakDatum");
  g_autofree char *y_date = cw_2drive_row_dup_text (y, "AfspraakDatum");

  return -g_strcmp0 (x_date, y_date);
}

static void set_not_found (Lookup   *lookup,
                           GError  **error);
static void lookup_start (GTask *task);
static void lookup_next_lines (GTask *task);

static void
on_lines (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Cw2DriveConnector *self = CW_2DRIVE_CONNECTOR (source);
  Lookup *lookup = g_task_get_task_data (task);
  JsonObject *row = g_ptr_array_index (lookup->rows, lookup->next);
  g_autoptr(JsonArray) lines = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;
  GError *error = NULL;

  lines = api_get_finish (self, result, &error);
  if (lines == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  workorder = cw_2drive_map_workorder (row, lines, cw_connection_get_id (self->connection), &error);
  if (workorder != NULL)
    g_ptr_array_add (lookup->found, g_steal_pointer (&workorder));
  else
    lookup_add_problem (lookup, error);

  lookup->next++;
  lookup_next_lines (g_steal_pointer (&task));
}

/* Takes over @task. */
static void
lookup_next_lines (GTask *task)
{
  Cw2DriveConnector *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);
  g_autofree char *wo_number = NULL;

  if (lookup->next == lookup->rows->len)
    {
      if (lookup->found->len > 0)
        g_task_return_pointer (task, g_steal_pointer (&lookup->found),
                               (GDestroyNotify) g_ptr_array_unref);
      else
        {
          /* Every row gave a workorder or a problem. */
          g_assert (lookup->problem != NULL);
          g_task_return_error (task, g_steal_pointer (&lookup->problem));
        }
      g_object_unref (task);
      return;
    }

  wo_number = cw_2drive_row_dup_text (g_ptr_array_index (lookup->rows, lookup->next), "WONUMMER");
  g_assert (wo_number != NULL);

  api_get_async (self, CW_2DRIVE_ENTITY_LINES, CW_2DRIVE_PARAM_WO_NUMBER, wo_number,
                 g_task_get_cancellable (task), on_lines, task);
}

static void
on_workorders (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Cw2DriveConnector *self = CW_2DRIVE_CONNECTOR (source);
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GError *error = NULL;

  rows = api_get_finish (self, result, &error);
  if (rows == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_pointer (&lookup->rows, g_ptr_array_unref);
  lookup->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  lookup->next = 0;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      g_autofree char *wo_number = NULL;
      JsonObject *row;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          lookup_add_problem (lookup, g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                                                           _("2Drive sent an answer Claire Workshop cannot read (a workorder is not an object). Try again; if it persists, report this to Vinacles.")));
          continue;
        }

      row = json_node_get_object (node);
      if (!row_matches (self, lookup, row))
        continue;

      wo_number = cw_2drive_row_dup_text (row, "WONUMMER");
      if (wo_number == NULL)
        {
          /* The mapping says precisely what is wrong with it. */
          g_autoptr(CwWorkorder) none = cw_2drive_map_workorder (row, NULL, cw_connection_get_id (self->connection), &error);

          if (none == NULL)
            lookup_add_problem (lookup, g_steal_pointer (&error));
          continue;
        }

      /* The same workorder twice is imported once. */
      if (!g_hash_table_add (seen, g_steal_pointer (&wo_number)))
        continue;

      g_ptr_array_add (lookup->rows, json_object_ref (row));
    }

  if (lookup->rows->len == 0 && lookup->problem == NULL)
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
      g_ptr_array_sort (lookup->rows, compare_rows_newest_first);
      if (lookup->rows->len > MAX_PLATE_RESULTS)
        g_ptr_array_set_size (lookup->rows, MAX_PLATE_RESULTS);
    }

  lookup_next_lines (g_steal_pointer (&task));
}

/* Takes over @task. */
static void
lookup_start (GTask *task)
{
  Cw2DriveConnector *self = g_task_get_source_object (task);
  Lookup *lookup = g_task_get_task_data (task);

  if (lookup->kind == LOOKUP_PLATE)
    api_get_async (self, CW_2DRIVE_ENTITY_WORKORDERS, CW_2DRIVE_PARAM_PLATE, lookup->plate,
                   g_task_get_cancellable (task), on_workorders, task);
  else
    api_get_async (self, CW_2DRIVE_ENTITY_WORKORDERS, CW_2DRIVE_PARAM_WO_NUMBER, lookup->wo_number,
                   g_task_get_cancellable (task), on_workorders, task);
}

static void
set_not_found (Lookup  *lookup,
               GError **error)
{
  g_autofree char *wo_number = cw_text_quote (lookup->wo_number);
  g_autofree char *plate = NULL;

  if (lookup->plate != NULL)
    {
      g_autofree char *formatted = cw_plate_format (lookup->plate);

      plate = cw_text_quote (formatted);
    }

  if (lookup->kind == LOOKUP_KEY)
    g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                 /* Translators: %s is a WO number. */
                 _("2Drive no longer has workorder %s for this branch. It may have been "
                   "deleted or moved to another branch; check it in 2Drive."),
                 wo_number);
  else if (lookup->wo_number != NULL && lookup->plate != NULL)
    g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                 /* Translators: the first %s is a WO number, the second a licence plate;
                  * both are what the advisor typed. */
                 _("2Drive has no workorder %s, nor one for the car %s, at this branch. Check "
                   "the number or the registration, or the branch in Preferences."),
                 wo_number, plate);
  else if (lookup->plate != NULL)
    g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                 /* Translators: %s is a licence plate such as AB-123-C. */
                 _("2Drive has no workorder for the car %s at this branch. Check the "
                   "registration, or the branch in Preferences."),
                 plate);
  else
    g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                 /* Translators: %s is a WO number. */
                 _("2Drive has no workorder %s for this branch. Check the number, or the "
                   "branch in Preferences."),
                 wo_number);
}

static GTask *
lookup_task_new (Cw2DriveConnector   *self,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Lookup *lookup = g_new0 (Lookup, 1);

  g_task_set_source_tag (task, source_tag);
  lookup->found = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  return task;
}

static void
cw_2drive_connector_search_async (CwConnector         *connector,
                                  const CwDmsQuery    *query,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Cw2DriveConnector *self = CW_2DRIVE_CONNECTOR (connector);
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Lookup *lookup;

  task = lookup_task_new (self, cw_2drive_connector_search_async, cancellable, callback, user_data);
  lookup = g_task_get_task_data (task);
  lookup->wo_number = g_strdup (query->wo_number);
  lookup->plate = g_strdup (query->plate);
  lookup->kind = lookup->wo_number != NULL ? LOOKUP_WO_NUMBER : LOOKUP_PLATE;

  if (!check_configuration (self, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (lookup->wo_number == NULL && lookup->plate == NULL)
    {
      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                               _("2Drive finds a workorder by its number or by the car’s "
                                 "registration only. Type a WO number or a registration."));
      return;
    }

  lookup_start (g_steal_pointer (&task));
}

static GPtrArray *
cw_2drive_connector_search_finish (CwConnector   *connector,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cw_2drive_connector_fetch_async (CwConnector         *connector,
                                 const char          *dms_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Cw2DriveConnector *self = CW_2DRIVE_CONNECTOR (connector);
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Lookup *lookup;

  task = lookup_task_new (self, cw_2drive_connector_fetch_async, cancellable, callback, user_data);
  lookup = g_task_get_task_data (task);
  lookup->wo_number = cw_text_dup_stripped (dms_key);
  lookup->kind = LOOKUP_KEY;

  if (!check_configuration (self, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (lookup->wo_number == NULL)
    {
      set_not_found (lookup, &error);
      g_task_return_error (task, error);
      return;
    }

  lookup_start (g_steal_pointer (&task));
}

static CwWorkorder *
cw_2drive_connector_fetch_finish (CwConnector   *connector,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;

  /* The key is a WO number, and the rows were checked to carry it: one workorder. */
  return g_object_ref (g_ptr_array_index (found, 0));
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

  token = get_token_finish (CW_2DRIVE_CONNECTOR (source), result, &error);
  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
cw_2drive_connector_check_async (CwConnector         *connector,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Cw2DriveConnector *self = CW_2DRIVE_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, cw_2drive_connector_check_async);

  if (!check_configuration (self, TRUE, &error))
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
cw_2drive_connector_check_finish (CwConnector   *connector,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static CwCapabilities
cw_2drive_connector_get_capabilities (CwConnector *connector)
{
  /* Import after work started is the dealer's option; the store applies it. */
  return CW_CAPABILITY_SEARCH_IMPORT |
         CW_CAPABILITY_REFRESH |
         CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED;
}

/* ------------------------------------------------------------------------------------- */
/* GObject                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
cw_2drive_connector_iface_init (CwConnectorInterface *iface)
{
  iface->get_capabilities = cw_2drive_connector_get_capabilities;
  iface->check_async = cw_2drive_connector_check_async;
  iface->check_finish = cw_2drive_connector_check_finish;
  iface->search_async = cw_2drive_connector_search_async;
  iface->search_finish = cw_2drive_connector_search_finish;
  iface->fetch_async = cw_2drive_connector_fetch_async;
  iface->fetch_finish = cw_2drive_connector_fetch_finish;
}

static void
cw_2drive_connector_finalize (GObject *object)
{
  Cw2DriveConnector *self = (Cw2DriveConnector *)object;

  g_clear_object (&self->connection);
  g_clear_object (&self->http);
  g_clear_pointer (&self->client_id, g_free);
  if (self->client_secret != NULL)
    memset (self->client_secret, 0, strlen (self->client_secret));
  g_clear_pointer (&self->client_secret, g_free);
  forget_token (self);
  g_clear_pointer (&self->pending_scope, g_free);
  g_clear_pointer (&self->token_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_2drive_connector_parent_class)->finalize (object);
}

static void
cw_2drive_connector_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  Cw2DriveConnector *self = CW_2DRIVE_CONNECTOR (object);

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
cw_2drive_connector_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  Cw2DriveConnector *self = CW_2DRIVE_CONNECTOR (object);

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
cw_2drive_connector_class_init (Cw2DriveConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_2drive_connector_finalize;
  object_class->get_property = cw_2drive_connector_get_property;
  object_class->set_property = cw_2drive_connector_set_property;

  g_object_class_override_property (object_class, PROP_CONNECTION, "connection");
}

static void
cw_2drive_connector_init (Cw2DriveConnector *self)
{
  self->token_waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) token_waiter_free);
}

/**
 * cw_2drive_connector_new:
 * @connection: a "2drive" connection
 * @credentials: (element-type utf8 utf8): "client_id" and "client_secret"
 * @error: return location for a #CwNetError (an unusable CA file)
 *
 * Creates the connector; it logs in on first use.
 *
 * Returns: (transfer full) (nullable): the connector
 */
CwConnector *
cw_2drive_connector_new (CwConnection  *connection,
                         GHashTable    *credentials,
                         GError       **error)
{
  g_autoptr(Cw2DriveConnector) self = NULL;
  const char *ca_file;

  g_return_val_if_fail (CW_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CW_TYPE_2DRIVE_CONNECTOR, "connection", connection, NULL);
  self->client_id = dup_trimmed (g_hash_table_lookup (credentials, "client_id"));
  self->client_secret = g_strdup (g_hash_table_lookup (credentials, "client_secret"));
  if (self->client_secret == NULL)
    self->client_secret = g_strdup ("");

  ca_file = cw_connection_get_ca_file (connection);
  self->http = cw_http_client_new (SERVICE_NAME, ca_file, error);
  if (self->http == NULL)
    return NULL;

  return CW_CONNECTOR (g_steal_pointer (&self));
}

CwHttpClient *
cw_2drive_connector_get_http_client (Cw2DriveConnector *self)
{
  g_return_val_if_fail (CW_IS_2DRIVE_CONNECTOR (self), NULL);

  return self->http;
}
