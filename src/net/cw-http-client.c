/* cw-http-client.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-http-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "cw-http-client.h"
#include "cw-json.h"
#include "cw-text.h"

/*
 * The one place in the app that speaks HTTP (docs/net.md). A CwHttpClient owns one
 * SoupSession for one service and is used from the thread that created it (the main thread
 * in the app); only the JSON parsing of an answer runs in a worker thread, so that a large
 * payload never blocks the main loop. Every failure becomes a CwNetError whose message names
 * the service and the host and says what to do; HTTP statuses are not errors here, because
 * the connectors treat some of them (202, 401) specially: cw_http_response_check_status()
 * turns them into errors for everyone else.
 */

#define DEFAULT_TIMEOUT_S       30
#define IDLE_TIMEOUT_S          60
#define MAX_CONNS               10
#define MAX_CONNS_PER_HOST      4
#define DEFAULT_MAX_ATTEMPTS    4
#define DEFAULT_FIRST_DELAY_MS  500
#define DEFAULT_MAX_DELAY_MS    8000
#define RETRY_AFTER_MAX_S       60
#define READ_CHUNK_SIZE         (64 * 1024)
#define USER_AGENT              "ClaireWorkshop/" PACKAGE_VERSION " "
#define DEBUG_ENV               "CLAIRE_WORKSHOP_HTTP_DEBUG"
#define WIRE_LOG_DOMAIN         "cw-http"
#define REDACTED                "[redacted]"
/* RFC 6585; libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

G_DEFINE_QUARK (cw-net-error-quark, cw_net_error)

/* Header names whose whole value is a secret (compared without regard to case). */
static const char * const secret_headers[] = {
  "Authorization",
  "Proxy-Authorization",
  "Cookie",
  "Set-Cookie",
  "token",
  "apikey",
  "api-key",
  "X-Api-Key",
  "X-Auth-Token",
  NULL
};

/* Names whose value is a secret in a query string, a form body or a JSON object. */
static const char * const secret_names[] = {
  "password",
  "passwd",
  "api_key",
  "apikey",
  "token",
  "access_token",
  "refresh_token",
  "client_secret",
  "secret",
  NULL
};

/* ------------------------------------------------------------------------------------- */
/* CwHttpRequest                                                                         */
/* ------------------------------------------------------------------------------------- */

struct _CwHttpRequest
{
  gatomicrefcount     ref_count;

  const char         *method;
  char               *uri;
  /* "name=value" with both parts already percent-encoded, in the order added. */
  GPtrArray          *query;
  SoupMessageHeaders *headers;
  JsonNode           *body;
  gboolean            idempotent;
};

G_DEFINE_BOXED_TYPE (CwHttpRequest, cw_http_request, cw_http_request_ref, cw_http_request_unref)

static gboolean
method_is_idempotent (const char *method)
{
  /* RFC 9110 §9.2.2; POST and PATCH are not, nor is anything unknown. */
  return g_str_equal (method, "GET") ||
         g_str_equal (method, "HEAD") ||
         g_str_equal (method, "PUT") ||
         g_str_equal (method, "DELETE") ||
         g_str_equal (method, "OPTIONS");
}

/**
 * cw_http_request_new:
 * @method: the HTTP method in capitals ("GET", "POST", …)
 * @uri: the absolute http or https address, without the query parameters added later
 *
 * Creates a request. It is idempotent (and so retried on transient failures) when the
 * method is: GET, HEAD, PUT, DELETE and OPTIONS are, POST and PATCH are not; see
 * cw_http_request_set_idempotent().
 *
 * Returns: (transfer full): a new request
 */
CwHttpRequest *
cw_http_request_new (const char *method,
                     const char *uri)
{
  CwHttpRequest *request;

  g_return_val_if_fail (method != NULL && *method != '\0', NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  request = g_new0 (CwHttpRequest, 1);
  g_atomic_ref_count_init (&request->ref_count);
  request->method = g_intern_string (method);
  request->uri = g_strdup (uri);
  request->query = g_ptr_array_new_with_free_func (g_free);
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  request->idempotent = method_is_idempotent (method);

  return request;
}

CwHttpRequest *
cw_http_request_ref (CwHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  g_atomic_ref_count_inc (&request->ref_count);

  return request;
}

void
cw_http_request_unref (CwHttpRequest *request)
{
  g_return_if_fail (request != NULL);

  if (!g_atomic_ref_count_dec (&request->ref_count))
    return;

  g_clear_pointer (&request->uri, g_free);
  g_clear_pointer (&request->query, g_ptr_array_unref);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, json_node_unref);
  g_free (request);
}

/**
 * cw_http_request_add_query:
 * @request: a request
 * @name: the parameter name
 * @value: the parameter value, as is
 *
 * Adds a query parameter. Name and value are percent-encoded completely (every character
 * but letters, digits and `-._~`), so a value such as `order_type[eq]:1` reaches the
 * service as `order_type%5Beq%5D%3A1` and cannot change the meaning of the query.
 */
void
cw_http_request_add_query (CwHttpRequest *request,
                           const char    *name,
                           const char    *value)
{
  g_autofree char *escaped_name = NULL;
  g_autofree char *escaped_value = NULL;

  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (value != NULL);

  escaped_name = g_uri_escape_string (name, NULL, FALSE);
  escaped_value = g_uri_escape_string (value, NULL, FALSE);
  g_ptr_array_add (request->query, g_strconcat (escaped_name, "=", escaped_value, NULL));
}

/**
 * cw_http_request_set_header:
 * @request: a request
 * @name: a header name
 * @value: its value, without line breaks
 *
 * Sets a request header, replacing an earlier value of the same header.
 */
void
cw_http_request_set_header (CwHttpRequest *request,
                            const char    *name,
                            const char    *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (strpbrk (name, " \t\r\n:") == NULL);
  g_return_if_fail (value != NULL);
  g_return_if_fail (strpbrk (value, "\r\n") == NULL);

  soup_message_headers_replace (request->headers, name, value);
}

/**
 * cw_http_request_set_json_body:
 * @request: a request
 * @body: (nullable): the JSON to send, or %NULL for none
 *
 * Sets the body, sent as `application/json`. The request keeps a reference to @body and
 * serializes it when it is sent, so @body must not change until then.
 */
void
cw_http_request_set_json_body (CwHttpRequest *request,
                               JsonNode      *body)
{
  g_return_if_fail (request != NULL);

  if (body != NULL)
    json_node_ref (body);
  g_clear_pointer (&request->body, json_node_unref);
  request->body = body;
}

/**
 * cw_http_request_set_idempotent:
 * @request: a request
 * @idempotent: whether sending the request twice has the same effect as sending it once
 *
 * Overrides the default taken from the method. Only idempotent requests are retried; an
 * OAuth token POST, for one, may safely be declared idempotent.
 */
void
cw_http_request_set_idempotent (CwHttpRequest *request,
                                gboolean       idempotent)
{
  g_return_if_fail (request != NULL);

  request->idempotent = !!idempotent;
}

const char *
cw_http_request_get_method (CwHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  return request->method;
}

/**
 * cw_http_request_dup_uri:
 * @request: a request
 *
 * Returns: (transfer full): the address with the query parameters, as it is sent
 */
char *
cw_http_request_dup_uri (CwHttpRequest *request)
{
  GString *uri;
  const char *fragment;
  gsize base_length;

  g_return_val_if_fail (request != NULL, NULL);

  fragment = strchr (request->uri, '#');
  base_length = fragment != NULL ? (gsize) (fragment - request->uri) : strlen (request->uri);
  uri = g_string_new_len (request->uri, base_length);

  for (guint i = 0; i < request->query->len; i++)
    {
      char last = uri->len > 0 ? uri->str[uri->len - 1] : '\0';

      if (memchr (uri->str, '?', uri->len) == NULL)
        g_string_append_c (uri, '?');
      else if (last != '?' && last != '&')
        g_string_append_c (uri, '&');
      g_string_append (uri, g_ptr_array_index (request->query, i));
    }

  if (fragment != NULL)
    g_string_append (uri, fragment);

  return g_string_free (uri, FALSE);
}

/* ------------------------------------------------------------------------------------- */
/* CwHttpResponse                                                                        */
/* ------------------------------------------------------------------------------------- */

struct _CwHttpResponse
{
  gatomicrefcount     ref_count;

  guint               status;
  SoupMessageHeaders *headers;
  JsonNode           *body;
  guint               attempts;
};

G_DEFINE_BOXED_TYPE (CwHttpResponse, cw_http_response, cw_http_response_ref, cw_http_response_unref)

static CwHttpResponse *
cw_http_response_new (SoupMessage *message,
                      JsonNode    *body,
                      guint        attempts)
{
  CwHttpResponse *response = g_new0 (CwHttpResponse, 1);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  g_atomic_ref_count_init (&response->ref_count);
  response->status = soup_message_get_status (message);
  response->body = body != NULL ? json_node_ref (body) : NULL;
  response->attempts = attempts;

  /* A copy, so that the response does not keep the message (and its connection) alive. */
  response->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (message));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (response->headers, name, value);

  return response;
}

CwHttpResponse *
cw_http_response_ref (CwHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  g_atomic_ref_count_inc (&response->ref_count);

  return response;
}

void
cw_http_response_unref (CwHttpResponse *response)
{
  g_return_if_fail (response != NULL);

  if (!g_atomic_ref_count_dec (&response->ref_count))
    return;

  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, json_node_unref);
  g_free (response);
}

guint
cw_http_response_get_status (CwHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, 0);

  return response->status;
}

/**
 * cw_http_response_get_body:
 * @response: a response
 *
 * Returns: (transfer none) (nullable): the parsed JSON, or %NULL when the body was empty
 *   (or, for a status other than 2xx, not JSON)
 */
JsonNode *
cw_http_response_get_body (CwHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  return response->body;
}

/**
 * cw_http_response_get_header:
 * @response: a response
 * @name: a header name, in any case
 *
 * Returns: (transfer none) (nullable): the header's value, or %NULL when it is absent
 */
const char *
cw_http_response_get_header (CwHttpResponse *response,
                             const char     *name)
{
  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return soup_message_headers_get_one (response->headers, name);
}

/**
 * cw_http_response_get_attempts:
 * @response: a response
 *
 * Returns: how many times the request was sent to get this response (1 without retries)
 */
guint
cw_http_response_get_attempts (CwHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, 0);

  return response->attempts;
}

/* The error for an HTTP status other than 2xx, in words a service advisor can act on. */
static void
set_status_error (GError     **error,
                  const char  *service_name,
                  guint        status)
{
  if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, CW_NET_ERROR, CW_NET_ERROR_UNAUTHORIZED,
                 /* Translators: both %s are a service such as "Autoflex". */
                 _("%s did not accept the user name, password or key (HTTP 401). "
                   "Check the credentials for %s in Preferences."),
                 service_name, service_name);
  else if (status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, CW_NET_ERROR, CW_NET_ERROR_FORBIDDEN,
                 /* Translators: both %s are a service such as "Autoflex". */
                 _("%s refused access (HTTP 403): the account in Preferences may not see or "
                   "change this. Ask the supplier of %s to grant the account that right."),
                 service_name, service_name);
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error (error, CW_NET_ERROR, CW_NET_ERROR_NOT_FOUND,
                 /* Translators: all %s are a service such as "Autoflex". */
                 _("%s does not know what was asked for (HTTP 404). Check the address of %s "
                   "in Preferences; if it is right, contact the supplier of %s."),
                 service_name, service_name, service_name);
  else if (status == STATUS_TOO_MANY_REQUESTS)
    g_set_error (error, CW_NET_ERROR, CW_NET_ERROR_THROTTLED,
                 /* Translators: %s is a service such as "Autoflex". */
                 _("%s asks to slow down: it received too many requests (HTTP 429). "
                   "Claire Workshop will try again later."),
                 service_name);
  else if (status >= 500)
    g_set_error (error, CW_NET_ERROR, CW_NET_ERROR_SERVER,
                 /* Translators: the first %s is a service such as "Autoflex", %u an HTTP
                  * status such as 503, the last %s the same service. */
                 _("%s had an internal error (HTTP %u). Try again later; if it persists, "
                   "contact the supplier of %s."),
                 service_name, status, service_name);
  else
    g_set_error (error, CW_NET_ERROR, CW_NET_ERROR_REQUEST,
                 /* Translators: the first %s is a service such as "Autoflex", %u an HTTP
                  * status such as 400, the last %s the same service. */
                 _("%s refused the request (HTTP %u). If this persists, contact the "
                   "supplier of %s."),
                 service_name, status, service_name);

}

/**
 * cw_http_response_check_status:
 * @response: a response
 * @service_name: the service's name as the advisor knows it ("Autoflex")
 * @error: return location for a #CwNetError
 *
 * Turns a status other than 2xx into an error that says what to do.
 *
 * Returns: %TRUE for a 2xx status
 */
gboolean
cw_http_response_check_status (CwHttpResponse  *response,
                               const char      *service_name,
                               GError         **error)
{
  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (service_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    return TRUE;

  set_status_error (error, service_name, response->status);

  return FALSE;
}

/* ------------------------------------------------------------------------------------- */
/* Redaction                                                                             */
/* ------------------------------------------------------------------------------------- */

static const char *
match_name (const char         *text,
            const char * const *names,
            char                terminator)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      gsize length = strlen (names[i]);

      if (g_ascii_strncasecmp (text, names[i], length) == 0 && text[length] == terminator)
        return text + length;
    }

  return NULL;
}

/* Returns the end of a header line's name when it is one of secret_headers, else NULL. */
static const char *
match_secret_header (const char *line)
{
  return match_name (line, secret_headers, ':');
}

static void
redact_one_line (GString    *out,
                 const char *line,
                 gsize       length)
{
  const char *end = line + length;
  const char *p = line;
  const char *name_end;

  /* SoupLogger's own printer puts "> " or "< " in front; ours does too. */
  if (length >= 2 && (line[0] == '>' || line[0] == '<') && line[1] == ' ')
    {
      g_string_append_len (out, line, 2);
      p += 2;
    }

  name_end = match_secret_header (p);
  if (name_end != NULL && name_end < end)
    {
      g_string_append_len (out, p, name_end - p);
      g_string_append (out, ": " REDACTED);
      return;
    }

  while (p < end)
    {
      gboolean param_start = (p == line || p[-1] == '?' || p[-1] == '&');

      /* name=value in a query string (or a form body) */
      if (param_start && (name_end = match_name (p, secret_names, '=')) != NULL)
        {
          g_string_append_len (out, p, name_end + 1 - p);
          g_string_append (out, REDACTED);
          p = name_end + 1;
          while (p < end && strchr ("&#;\"' \t<>", *p) == NULL)
            p++;
          continue;
        }

      /* "name": value in JSON */
      if (*p == '"' && (name_end = match_name (p + 1, secret_names, '"')) != NULL)
        {
          const char *q = name_end + 1;

          while (q < end && (*q == ' ' || *q == '\t'))
            q++;
          if (q < end && *q == ':')
            {
              q++;
              while (q < end && (*q == ' ' || *q == '\t'))
                q++;
              g_string_append_len (out, p, q - p);
              g_string_append (out, "\"" REDACTED "\"");

              if (q < end && *q == '"')
                {
                  /* A string: up to the closing quote, or the end of a cut-off line. */
                  for (q++; q < end && *q != '"'; q++)
                    if (*q == '\\' && q + 1 < end)
                      q++;
                  if (q < end)
                    q++;
                }
              else
                {
                  while (q < end && strchr (",}] \t", *q) == NULL)
                    q++;
                }

              p = q;
              continue;
            }
        }

      g_string_append_c (out, *p);
      p++;
    }
}

/**
 * cw_http_redact_log_line:
 * @line: a line of the HTTP debug log (or several, separated by newlines)
 *
 * Hides the secrets in @line: the values of the Authorization, Proxy-Authorization,
 * Cookie, Set-Cookie, token, apikey and X-Api-Key headers (and a few more), the values of
 * password, api_key, token, client_secret and similar parameters in any URL, and the
 * values of such keys in JSON. Each becomes `[redacted]`; the names stay, so the log still
 * shows what was sent.
 *
 * Returns: (transfer full): the line without secrets
 */
char *
cw_http_redact_log_line (const char *line)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (line != NULL, NULL);

  out = g_string_sized_new (strlen (line) + 16);

  for (p = line;;)
    {
      const char *newline = strchr (p, '\n');

      if (newline == NULL)
        {
          redact_one_line (out, p, strlen (p));
          break;
        }

      redact_one_line (out, p, newline - p);
      g_string_append_c (out, '\n');
      p = newline + 1;
    }

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------- */
/* CwHttpClient                                                                          */
/* ------------------------------------------------------------------------------------- */

struct _CwHttpClient
{
  GObject       parent_instance;

  char         *service_name;
  SoupSession  *session;
  /* The thread-default context of the creating thread: libsoup wants the session used there. */
  GMainContext *context;

  guint         timeout;
  guint         max_attempts;
  guint         first_delay_ms;
  guint         max_delay_ms;
};

G_DEFINE_FINAL_TYPE (CwHttpClient, cw_http_client, G_TYPE_OBJECT)

static void
cw_http_client_dispose (GObject *object)
{
  CwHttpClient *self = (CwHttpClient *)object;

  /* Every request in flight holds a reference to the client, so none is left here. */
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cw_http_client_parent_class)->dispose (object);
}

static void
cw_http_client_finalize (GObject *object)
{
  CwHttpClient *self = (CwHttpClient *)object;

  g_clear_pointer (&self->service_name, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (cw_http_client_parent_class)->finalize (object);
}

static void
cw_http_client_class_init (CwHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cw_http_client_dispose;
  object_class->finalize = cw_http_client_finalize;
}

static void
cw_http_client_init (CwHttpClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_S;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->first_delay_ms = DEFAULT_FIRST_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
}

static void
log_printer (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  const char *service_name = user_data;
  g_autofree char *safe = cw_http_redact_log_line (data);

  g_log (WIRE_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "%s: %c %s", service_name, direction, safe);
}

/**
 * cw_http_client_new:
 * @service_name: the service's name as the advisor knows it ("Autoflex"); every error
 *   message names it
 * @ca_file: (nullable): the absolute path of a PEM file with the certificate authorities to
 *   trust instead of the system's, for a service on the dealer's own network; %NULL or ""
 *   for the system's
 * @error: return location for a #CwNetError
 *
 * Creates a client with its own connection pool. It must be used from the thread that
 * creates it (with that thread's default main context). When the environment variable
 * `CLAIRE_WORKSHOP_HTTP_DEBUG` is 1 at this moment, the client logs the request and
 * response headers, without secrets, as debug messages in the "cw-http" log domain.
 *
 * Returns: (transfer full): the client, or %NULL when @ca_file cannot be used
 */
CwHttpClient *
cw_http_client_new (const char  *service_name,
                    const char  *ca_file,
                    GError     **error)
{
  g_autoptr(CwHttpClient) self = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  g_return_val_if_fail (service_name != NULL && *service_name != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *quoted = cw_text_quote (ca_file);

      /* GIO would only warn about a relative path and then trust nothing. */
      if (!g_path_is_absolute (ca_file))
        {
          g_set_error (error, CW_NET_ERROR, CW_NET_ERROR_TLS,
                       /* Translators: the first %s is a service such as "Autoflex", the
                        * second a file name. */
                       _("The certificate authority file for %s, “%s”, is not a full path. "
                         "Choose the file again in Preferences."),
                       service_name, quoted);
          return NULL;
        }

      database = g_tls_file_database_new (ca_file, &local_error);
      if (database == NULL)
        {
          g_set_error (error, CW_NET_ERROR, CW_NET_ERROR_TLS,
                       /* Translators: the first %s is a service such as "Autoflex", the
                        * second a file name, the third what is wrong with it. */
                       _("The certificate authority file for %s, “%s”, cannot be used (%s). "
                         "Choose the CA file of the dealer’s network again in Preferences."),
                       service_name, quoted, local_error->message);
          return NULL;
        }
    }

  self = g_object_new (CW_TYPE_HTTP_CLIENT, NULL);
  self->service_name = g_strdup (service_name);
  self->context = g_main_context_ref_thread_default ();
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", IDLE_TIMEOUT_S,
                                                 "max-conns", MAX_CONNS,
                                                 "max-conns-per-host", MAX_CONNS_PER_HOST,
                                                 "user-agent", USER_AGENT,
                                                 NULL);

  /* Trust exactly this file's authorities. TLS errors are never accepted anyway: no
   * handler for SoupMessage::accept-certificate exists in this file. */
  if (database != NULL)
    soup_session_set_tls_database (self->session, database);

  if (g_strcmp0 (g_getenv (DEBUG_ENV), "1") == 0)
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);

      soup_logger_set_printer (logger, log_printer, g_strdup (service_name), g_free);
      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }

  return g_steal_pointer (&self);
}

const char *
cw_http_client_get_service_name (CwHttpClient *self)
{
  g_return_val_if_fail (CW_IS_HTTP_CLIENT (self), NULL);

  return self->service_name;
}

/**
 * cw_http_client_set_timeout:
 * @self: a client
 * @seconds: how long to wait for the service at any one moment (connecting, sending,
 *   waiting for the answer); 0 for ever
 *
 * The default is 30 seconds.
 */
void
cw_http_client_set_timeout (CwHttpClient *self,
                            guint         seconds)
{
  g_return_if_fail (CW_IS_HTTP_CLIENT (self));

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

/**
 * cw_http_client_set_retry_policy:
 * @self: a client
 * @max_attempts: how many times an idempotent request is sent at most (1: no retries)
 * @first_delay_ms: the longest wait before the second attempt
 * @max_delay_ms: the longest wait between any two attempts
 *
 * Waits grow exponentially with full jitter: before attempt n + 1 the client waits a random
 * time between 0 and min(@max_delay_ms, @first_delay_ms × 2ⁿ⁻¹), unless the service said
 * how long with Retry-After (then that, up to 60 seconds). The default is 4 attempts,
 * 500 ms and 8 s.
 */
void
cw_http_client_set_retry_policy (CwHttpClient *self,
                                 guint         max_attempts,
                                 guint         first_delay_ms,
                                 guint         max_delay_ms)
{
  g_return_if_fail (CW_IS_HTTP_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
  self->first_delay_ms = first_delay_ms;
  self->max_delay_ms = max_delay_ms;
}

/* ------------------------------------------------------------------------------------- */
/* Sending                                                                               */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  CwHttpRequest *request;
  GUri          *uri;
  GBytes        *body;
  guint          attempts;

  /* The attempt in flight. */
  SoupMessage   *message;
  GInputStream  *stream;
  GByteArray    *received;
  guint8        *chunk;
  /* Why reading stopped early, once the stream is closed. */
  GError        *read_error;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_pointer (&data->request, cw_http_request_unref);
  g_clear_pointer (&data->uri, g_uri_unref);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->received, g_byte_array_unref);
  g_clear_pointer (&data->chunk, g_free);
  g_clear_error (&data->read_error);
  g_free (data);
}

static void send_attempt (GTask *task);

static const char *
send_data_host (SendData *data)
{
  return g_uri_get_host (data->uri);
}

static gboolean
can_retry (CwHttpClient *self,
           SendData     *data)
{
  return data->request->idempotent && data->attempts < self->max_attempts;
}

static guint
backoff_delay_ms (CwHttpClient *self,
                  guint         attempts)
{
  guint64 ceiling = self->first_delay_ms;

  for (guint i = 1; i < attempts && ceiling < self->max_delay_ms; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, self->max_delay_ms);

  /* Full jitter: clients that failed together do not come back together. */
  return (guint) MIN ((guint64) (g_random_double () * (ceiling + 1)), ceiling);
}

/* Returns the wait a Retry-After header asks for, in milliseconds, or -1 without one. */
static gint64
retry_after_ms (const char *value)
{
  g_autofree char *text = NULL;
  gint64 delay_us;

  if (value == NULL)
    return -1;

  text = g_strstrip (g_strdup (value));
  if (*text == '\0')
    return -1;

  if (strspn (text, "0123456789") == strlen (text))
    {
      guint64 seconds = g_ascii_strtoull (text, NULL, 10);

      delay_us = (gint64) MIN (seconds, RETRY_AFTER_MAX_S) * G_USEC_PER_SEC;
    }
  else
    {
      g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (text);
      g_autoptr(GDateTime) now = NULL;

      if (date == NULL)
        return -1;

      now = g_date_time_new_now_utc ();
      delay_us = CLAMP (g_date_time_difference (date, now), 0,
                        (gint64) RETRY_AFTER_MAX_S * G_USEC_PER_SEC);
    }

  return (delay_us + 999) / 1000;
}

static gboolean
on_wait_over (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    send_attempt (g_object_ref (task));

  return G_SOURCE_REMOVE;
}

/* Takes over @task. The wait ends at once when the task's cancellable is cancelled. */
static void
wait_then_retry (GTask *task,
                 guint  delay_ms)
{
  CwHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = g_timeout_source_new (delay_ms);

  g_debug ("%s at %s: attempt %u of %u failed, trying again in %u ms",
           self->service_name, send_data_host (data), data->attempts, self->max_attempts,
           delay_ms);

  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (cancellable);

      /* A ready child dispatches the parent, whose callback then sees the cancellation. */
      g_source_set_dummy_callback (cancelled);
      g_source_add_child_source (source, cancelled);
    }

  g_source_set_priority (source, g_task_get_priority (task));
  g_source_set_static_name (source, "[cw-http-client] retry wait");
  g_source_set_callback (source, on_wait_over, task, g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static GError *
tls_error_new (CwHttpClient *self,
               SoupMessage  *message,
               const char   *host,
               const GError *error)
{
  GTlsCertificateFlags flags = soup_message_get_tls_peer_certificate_errors (message);
  g_autoptr(GPtrArray) problems = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  if (!g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) || flags == 0)
    return g_error_new (CW_NET_ERROR, CW_NET_ERROR_TLS,
                        /* Translators: the first %s is a service such as "Autoflex", the
                         * second its host, the third what went wrong, the last the service. */
                        _("The secure connection to %s at %s failed (%s). Check that its "
                          "address in Preferences is right; if it is, contact the supplier "
                          "of %s."),
                        self->service_name, host, error->message, self->service_name);

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (problems,
                     (char *) _("it is not signed by a certificate authority this computer trusts"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (problems, (char *) _("it was issued for another address"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (problems, (char *) _("it is not valid yet (check this computer’s date)"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (problems, (char *) _("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (problems, (char *) _("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (problems, (char *) _("it uses an insecure algorithm"));
  if (flags & G_TLS_CERTIFICATE_GENERIC_ERROR || problems->len == 0)
    g_ptr_array_add (problems, (char *) _("it could not be checked"));
  g_ptr_array_add (problems, NULL);

  /* Translators: separates the problems found with a certificate. */
  joined = g_strjoinv (_("; "), (char **) problems->pdata);

  return g_error_new (CW_NET_ERROR, CW_NET_ERROR_TLS,
                      /* Translators: the first %s is a service such as "Autoflex", the second
                       * its host, the third a list of problems such as "it has expired", the
                       * last two the service again. */
                      _("The certificate of %s at %s cannot be trusted: %s. If %s runs on the "
                        "dealer’s own network, add the CA file of that network in "
                        "Preferences; otherwise contact the supplier of %s."),
                      self->service_name, host, joined, self->service_name,
                      self->service_name);
}

/* Maps a transport error (no HTTP status) to a CwNetError; sets @retryable for the
 * transient ones. */
static GError *
transport_error_new (CwHttpClient *self,
                     SoupMessage  *message,
                     const char   *host,
                     const GError *error,
                     gboolean     *retryable)
{
  *retryable = FALSE;

  if (error->domain == G_TLS_ERROR)
    return tls_error_new (self, message, host, error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      *retryable = TRUE;
      return g_error_new (CW_NET_ERROR, CW_NET_ERROR_TIMEOUT,
                          /* Translators: the first %s is a service such as "Autoflex", the
                           * second its host, %u a number of seconds. */
                          g_dngettext (GETTEXT_PACKAGE, "%s at %s did not answer within %u second. Check the "
                                       "network connection; if it works, the service may be "
                                       "busy: try again later.",
                                       "%s at %s did not answer within %u seconds. Check the "
                                       "network connection; if it works, the service may be "
                                       "busy: try again later.",
                                       self->timeout),
                          self->service_name, host, self->timeout);
    }

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    {
      *retryable = TRUE;
      return g_error_new (CW_NET_ERROR, CW_NET_ERROR_UNREACHABLE,
                          /* Translators: the first %s is a service such as "Autoflex", the
                           * second its host, the third the system's explanation. */
                          _("%s at %s cannot be reached (%s). Check the network connection "
                            "and the address in Preferences; if both are right, the service "
                            "may be down: try again later."),
                          self->service_name, host, error->message);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    {
      *retryable = TRUE;
      return g_error_new (CW_NET_ERROR, CW_NET_ERROR_UNREACHABLE,
                          /* Translators: the first %s is a service such as "Autoflex", the
                           * second its host. */
                          _("The connection to %s at %s broke off before the answer was "
                            "complete. Check the network connection and try again."),
                          self->service_name, host);
    }

  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    return g_error_new (CW_NET_ERROR, CW_NET_ERROR_MALFORMED,
                        /* Translators: the first %s is a service such as "Autoflex", the
                         * second its host, the last the service again. */
                        _("The answer of %s at %s was not understood. Try again; if it "
                          "happens again, contact the supplier of %s."),
                        self->service_name, host, self->service_name);

  /* Anything else (too many redirects, a proxy failure, …): not worth repeating. */
  return g_error_new (CW_NET_ERROR, CW_NET_ERROR_UNREACHABLE,
                      _("%s at %s cannot be reached (%s). Check the network connection "
                        "and the address in Preferences; if both are right, the service "
                        "may be down: try again later."),
                      self->service_name, host, error->message);
}

/* Takes over @task and @error: retries or fails. */
static void
attempt_failed (GTask  *task,
                GError *error)
{
  CwHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) mapped = NULL;
  gboolean retryable;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, CW_NET_ERROR, CW_NET_ERROR_TOO_LARGE))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  mapped = transport_error_new (self, data->message, send_data_host (data), error, &retryable);
  g_debug ("%s at %s: attempt %u: %s", self->service_name, send_data_host (data),
           data->attempts, error->message);
  g_error_free (error);

  if (retryable && can_retry (self, data))
    {
      wait_then_retry (task, backoff_delay_ms (self, data->attempts));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&mapped));
  g_object_unref (task);
}

/* Takes over @task: returns @body in a response, or retries on a transient status. */
static void
got_response (GTask    *task,
              JsonNode *body)
{
  CwHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(CwHttpResponse) response = cw_http_response_new (data->message, body,
                                                               data->attempts);
  guint status = response->status;

  if ((status == STATUS_TOO_MANY_REQUESTS ||
       status == SOUP_STATUS_BAD_GATEWAY ||
       status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
       status == SOUP_STATUS_GATEWAY_TIMEOUT) &&
      can_retry (self, data))
    {
      gint64 delay_ms = -1;

      if (status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
        delay_ms = retry_after_ms (cw_http_response_get_header (response, "Retry-After"));
      if (delay_ms < 0)
        delay_ms = backoff_delay_ms (self, data->attempts);

      wait_then_retry (task, (guint) delay_ms);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&response),
                         (GDestroyNotify) cw_http_response_unref);
  g_object_unref (task);
}

static GError *
malformed_error_new (CwHttpClient *self,
                     SendData     *data)
{
  return g_error_new (CW_NET_ERROR, CW_NET_ERROR_MALFORMED,
                      _("The answer of %s at %s was not understood. Try again; if it "
                        "happens again, contact the supplier of %s."),
                      self->service_name, send_data_host (data), self->service_name);
}

static GError *
too_large_error_new (CwHttpClient *self,
                     SendData     *data)
{
  return g_error_new (CW_NET_ERROR, CW_NET_ERROR_TOO_LARGE,
                      /* Translators: the first %s is a service such as "Autoflex", the
                       * second its host, %d a number of megabytes, the last %s the service. */
                      _("%s at %s sent an answer larger than %d MB, more than Claire Workshop "
                        "accepts. Contact the supplier of %s."),
                      self->service_name, send_data_host (data),
                      CW_HTTP_MAX_BODY / (1024 * 1024), self->service_name);
}

/* An answer of only white space has no body, as an empty one. */
static gboolean
is_blank (GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  for (gsize i = 0; i < size; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;

  return TRUE;
}

static void
parse_body_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  GError *error = NULL;
  const char *text;
  gsize size;
  JsonNode *root;

  text = g_bytes_get_data (bytes, &size);
  root = cw_json_parse (text, size, CW_HTTP_MAX_JSON_DEPTH, &error);
  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

static void
on_parsed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (error != NULL)
    {
      g_debug ("%s at %s: the answer (HTTP %u) is not JSON: %s", self->service_name,
               send_data_host (data), soup_message_get_status (data->message), error->message);

      /* Only a successful answer must be JSON; an error page may be anything. */
      if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (data->message)))
        {
          g_task_return_error (task, malformed_error_new (self, data));
          return;
        }
    }

  got_response (g_steal_pointer (&task), body);
}

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GCancellable *cancellable;
  GTask *parse;

  /* The body is complete or abandoned by now, so a failure to close changes nothing. */
  if (!g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    g_debug ("Closing a response stream failed: %s", error->message);
  g_clear_object (&data->stream);

  if (data->read_error != NULL)
    {
      attempt_failed (g_steal_pointer (&task), g_steal_pointer (&data->read_error));
      return;
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data->received));
  if (is_blank (bytes))
    {
      got_response (g_steal_pointer (&task), NULL);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  parse = g_task_new (NULL, cancellable, on_parsed, g_steal_pointer (&task));
  g_task_set_source_tag (parse, parse_body_in_thread);
  g_task_set_task_data (parse, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (parse, parse_body_in_thread);
  g_object_unref (parse);
}

/* Takes over @task and @error (NULL at the end of the body). Closing the stream before
 * the end drops the connection rather than reading the rest of the body. */
static void
stop_reading (GTask  *task,
              GError *error)
{
  SendData *data = g_task_get_task_data (task);

  g_assert (data->read_error == NULL);
  data->read_error = error;
  g_input_stream_close_async (data->stream, g_task_get_priority (task), NULL, on_closed, task);
}

static void read_next (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n_read < 0)
    stop_reading (g_steal_pointer (&task), error);
  else if (n_read == 0)
    stop_reading (g_steal_pointer (&task), NULL);
  else if (data->received->len + (gsize) n_read > CW_HTTP_MAX_BODY)
    stop_reading (g_steal_pointer (&task), too_large_error_new (self, data));
  else
    {
      g_byte_array_append (data->received, data->chunk, (guint) n_read);
      read_next (g_steal_pointer (&task));
    }
}

static void
read_next (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  g_input_stream_read_async (data->stream, data->chunk, READ_CHUNK_SIZE,
                             g_task_get_priority (task), g_task_get_cancellable (task),
                             on_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessageHeaders *headers;
  goffset length = 0;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->stream == NULL)
    {
      attempt_failed (g_steal_pointer (&task), error);
      return;
    }

  /* Refuse an announced oversized body before reading any of it. A HEAD answer announces
   * the length of a body it does not have. */
  headers = soup_message_get_response_headers (data->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      !g_str_equal (data->request->method, SOUP_METHOD_HEAD))
    length = soup_message_headers_get_content_length (headers);

  data->received = g_byte_array_sized_new ((guint) CLAMP (length, 0, CW_HTTP_MAX_BODY));

  if (length > CW_HTTP_MAX_BODY)
    {
      stop_reading (g_steal_pointer (&task), too_large_error_new (self, data));
      return;
    }

  if (data->chunk == NULL)
    data->chunk = g_malloc (READ_CHUNK_SIZE);
  read_next (g_steal_pointer (&task));
}

/* libsoup follows redirects itself and drops only Authorization when one leaves the
 * origin; the services' own key headers (token, apikey, …) would go along to the other
 * host. So every secret header goes when the host changes, or https becomes http. */
static void
on_restarted (SoupMessage *message,
              gpointer     user_data)
{
  GUri *original = user_data;
  GUri *uri = soup_message_get_uri (message);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  if (g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (original)) == 0 &&
      (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ||
       g_strcmp0 (g_uri_get_scheme (original), "http") == 0))
    return;

  for (guint i = 0; secret_headers[i] != NULL; i++)
    soup_message_headers_remove (headers, secret_headers[i]);
}

static SoupMessage *
message_new (SendData *data)
{
  SoupMessage *message = soup_message_new_from_uri (data->request->method, data->uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_replace (headers, "Accept", "application/json");

  soup_message_headers_iter_init (&iter, data->request->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_replace (headers, name, value);

  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", data->body);

  g_signal_connect_data (message, "restarted", G_CALLBACK (on_restarted),
                         g_uri_ref (data->uri), (GClosureNotify) g_uri_unref, 0);

  /* Lets libsoup reuse an idle connection for a POST the caller declared idempotent. */
  if (data->request->idempotent)
    soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);

  return message;
}

/* Takes over @task. */
static void
send_attempt (GTask *task)
{
  CwHttpClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  g_clear_object (&data->message);
  g_clear_pointer (&data->received, g_byte_array_unref);

  data->attempts++;
  data->message = message_new (data);
  soup_session_send_async (self->session, data->message, g_task_get_priority (task),
                           g_task_get_cancellable (task), on_sent, task);
}

/**
 * cw_http_client_send_async:
 * @self: a client
 * @request: what to send; it must not change until the answer is there
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer, in the thread-default main context of the caller
 * @user_data: data for @callback
 *
 * Sends @request and reads and parses the answer. An idempotent request is tried again on
 * transient failures (a timeout, an unreachable host, HTTP 429, 502, 503 and 504) as the
 * retry policy says; see cw_http_client_set_retry_policy().
 */
void
cw_http_client_send_async (CwHttpClient        *self,
                           CwHttpRequest       *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autofree char *uri_string = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  SendData *data;

  g_return_if_fail (CW_IS_HTTP_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  context = g_main_context_ref_thread_default ();
  g_return_if_fail (context == self->context);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_http_client_send_async);

  uri_string = cw_http_request_dup_uri (request);
  uri = g_uri_parse (uri_string, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      /* The address may carry a secret, like any URL. */
      g_autofree char *redacted = cw_http_redact_log_line (request->uri);
      g_autofree char *quoted = cw_text_quote (redacted);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               /* Translators: the first %s is a service such as "Autoflex",
                                * the second an address. */
                               _("The address of %s, “%s”, is not a web address starting "
                                 "with https:// or http://. Correct it in Preferences."),
                               self->service_name, quoted);
      return;
    }

  data = g_new0 (SendData, 1);
  data->request = cw_http_request_ref (request);
  data->uri = g_steal_pointer (&uri);
  if (request->body != NULL)
    {
      gsize length;
      char *text = json_to_string (request->body, FALSE);

      length = strlen (text);
      data->body = g_bytes_new_take (text, length);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  send_attempt (g_steal_pointer (&task));
}

/**
 * cw_http_client_send_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a #CwNetError, or %G_IO_ERROR_CANCELLED
 *
 * Returns the answer for any HTTP status: 4xx and 5xx are not errors here (see
 * cw_http_response_check_status()). After the retries, the last answer is returned, or
 * the last transport error.
 *
 * Returns: (transfer full): the response, or %NULL with @error set
 */
CwHttpResponse *
cw_http_client_send_finish (CwHttpClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (CW_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cw_http_client_send_async,
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------------------- */
/* WebSockets                                                                            */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  SoupMessage *message;
  char        *host;
} WebsocketData;

static void
websocket_data_free (WebsocketData *data)
{
  g_clear_object (&data->message);
  g_free (data->host);
  g_free (data);
}

static void
on_websocket_connected (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwHttpClient *self = g_task_get_source_object (task);
  WebsocketData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;
  GError *mapped = NULL;
  gboolean retryable;
  guint status;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection != NULL)
    {
      g_task_return_pointer (task, connection, g_object_unref);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("%s at %s: the WebSocket handshake failed: %s", self->service_name, data->host,
           error->message);

  status = soup_message_get_status (data->message);
  if (error->domain == SOUP_WEBSOCKET_ERROR && status >= 300)
    set_status_error (&mapped, self->service_name, status);
  else if (error->domain == SOUP_WEBSOCKET_ERROR)
    /* A 101 with a wrong handshake, or a 2xx page that is no stream. */
    mapped = g_error_new (CW_NET_ERROR, CW_NET_ERROR_MALFORMED,
                          _("The answer of %s at %s was not understood. Try again; if it "
                            "happens again, contact the supplier of %s."),
                          self->service_name, data->host, self->service_name);
  else
    mapped = transport_error_new (self, data->message, data->host, error, &retryable);

  g_task_return_error (task, mapped);
}

/**
 * cw_http_client_websocket_connect_async:
 * @self: a client
 * @request: a GET request for the stream's address: ws:// or wss:// (http:// and https://
 *   are taken as the same), with its query and headers; it must not change until the
 *   answer is there
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the stream is open or the handshake failed
 * @user_data: data for @callback
 *
 * Opens a WebSocket with the client's session: the same TLS rules (the connection's CA
 * file, never an ignored certificate error), the same user agent and the same redacting
 * debug log of the handshake's headers. The handshake is not retried: whoever follows a
 * stream decides when to connect again. An open stream has no timeout of its own; see
 * soup_websocket_connection_set_keepalive_interval().
 */
void
cw_http_client_websocket_connect_async (CwHttpClient        *self,
                                        CwHttpRequest       *request,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autofree char *uri_string = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) http_uri = NULL;
  SoupMessageHeaders *headers;
  SoupMessageHeadersIter iter;
  const char *scheme;
  const char *name;
  const char *value;
  WebsocketData *data;
  int priority;

  g_return_if_fail (CW_IS_HTTP_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (g_str_equal (request->method, "GET"));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  context = g_main_context_ref_thread_default ();
  g_return_if_fail (context == self->context);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_http_client_websocket_connect_async);

  uri_string = cw_http_request_dup_uri (request);
  uri = g_uri_parse (uri_string, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "ws") != 0 && g_strcmp0 (scheme, "wss") != 0 &&
       g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_autofree char *redacted = cw_http_redact_log_line (request->uri);
      g_autofree char *quoted = cw_text_quote (redacted);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The address of %s, “%s”, is not a web address starting "
                                 "with https:// or http://. Correct it in Preferences."),
                               self->service_name, quoted);
      return;
    }

  /* The handshake is an HTTP request: ws is http and wss is https to the session. */
  if (g_str_equal (scheme, "ws") || g_str_equal (scheme, "wss"))
    http_uri = soup_uri_copy (uri, SOUP_URI_SCHEME, g_str_equal (scheme, "ws") ? "http" : "https",
                              SOUP_URI_NONE);
  else
    http_uri = g_uri_ref (uri);

  data = g_new0 (WebsocketData, 1);
  data->host = g_strdup (g_uri_get_host (uri));
  data->message = soup_message_new_from_uri ("GET", http_uri);
  g_task_set_task_data (task, data, (GDestroyNotify) websocket_data_free);

  headers = soup_message_get_request_headers (data->message);
  soup_message_headers_iter_init (&iter, request->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_replace (headers, name, value);
  g_signal_connect_data (data->message, "restarted", G_CALLBACK (on_restarted),
                         g_uri_ref (http_uri), (GClosureNotify) g_uri_unref, 0);

  priority = g_task_get_priority (task);
  soup_session_websocket_connect_async (self->session, data->message, NULL, NULL, priority,
                                        cancellable, on_websocket_connected,
                                        g_steal_pointer (&task));
}

/**
 * cw_http_client_websocket_connect_finish:
 * @self: a client
 * @result: the result passed to the callback
 * @error: return location for a #CwNetError (a refused handshake is the error of its HTTP
 *   status, as cw_http_response_check_status() gives it), or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the open stream, or %NULL with @error set
 */
SoupWebsocketConnection *
cw_http_client_websocket_connect_finish (CwHttpClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (CW_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cw_http_client_websocket_connect_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
