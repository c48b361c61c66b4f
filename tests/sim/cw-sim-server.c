/* cw-sim-server.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cw-sim-server.h"

/*
 * The DMS simulator (DESIGN §7): a SoupServer on 127.0.0.1 that speaks each DMS's API
 * from one generated dataset. Tests run it in-process on port 0; the demo runs it as
 * claire-dms-sim. Requests go to the API module registered for the longest matching path
 * prefix. Faults are queued per path prefix with a count, and every request is counted, so
 * tests can say "the next two requests to /autoflex/api fail with 500" and then check how
 * many requests the client made.
 */

typedef struct
{
  char         *prefix;
  CwSimHandler  handler;
  gpointer      user_data;
} Route;

typedef struct
{
  CwSimServer           *server;
  CwSimWebsocketHandler  handler;
  gpointer               user_data;
} WebsocketRoute;

typedef struct
{
  char       *prefix;
  CwSimFault  fault;
  guint       remaining;
} QueuedFault;

typedef struct
{
  char  *path;
  guint  count;
} RequestCount;

struct _CwSimServer
{
  GObject        parent_instance;

  SoupServer    *server;
  CwSimDataset  *dataset;
  GPtrArray     *routes;
  GPtrArray     *websocket_routes;
  GPtrArray     *faults;
  GPtrArray     *requests;
  GPtrArray     *paused;
  /* Answers kept for cw_sim_server_take_recorded() and given again by
   * cw_sim_server_replay(), which may be called from another thread. */
  GMutex         recording_lock;
  char          *recording_prefix;
  GHashTable    *recorded;
  GHashTable    *replayed;
  /* The writeback ledger: idempotency key → CwSimWriteback, and the keys in order. */
  GHashTable    *writebacks;
  GPtrArray     *writeback_order;
};

G_DEFINE_FINAL_TYPE (CwSimServer, cw_sim_server, G_TYPE_OBJECT)

static void
route_free (Route *route)
{
  g_free (route->prefix);
  g_free (route);
}

static void
writeback_free (CwSimWriteback *writeback)
{
  g_free (writeback->dms);
  g_free (writeback->idem_key);
  g_free (writeback->dms_key);
  g_free (writeback->kind);
  g_free (writeback->detail);
  g_free (writeback->result);
  g_free (writeback);
}

static void
queued_fault_free (QueuedFault *fault)
{
  g_free (fault->prefix);
  g_free (fault);
}

static void
request_count_free (RequestCount *count)
{
  g_free (count->path);
  g_free (count);
}

static void
count_request (CwSimServer *self,
               const char  *path)
{
  RequestCount *count;

  for (guint i = 0; i < self->requests->len; i++)
    {
      count = g_ptr_array_index (self->requests, i);
      if (g_str_equal (count->path, path))
        {
          count->count++;
          return;
        }
    }

  count = g_new0 (RequestCount, 1);
  count->path = g_strdup (path);
  count->count = 1;
  g_ptr_array_add (self->requests, count);
}

static CwSimFault
take_fault (CwSimServer *self,
            const char  *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      QueuedFault *queued = g_ptr_array_index (self->faults, i);

      if (g_str_has_prefix (path, queued->prefix))
        {
          CwSimFault fault = queued->fault;

          if (--queued->remaining == 0)
            g_ptr_array_remove_index (self->faults, i);

          return fault;
        }
    }

  return (CwSimFault) { CW_SIM_FAULT_NONE, 0 };
}

static Route *
find_route (CwSimServer *self,
            const char  *path)
{
  Route *best = NULL;

  for (guint i = 0; i < self->routes->len; i++)
    {
      Route *route = g_ptr_array_index (self->routes, i);

      if (g_str_has_prefix (path, route->prefix) &&
          (best == NULL || strlen (route->prefix) > strlen (best->prefix)))
        best = route;
    }

  return best;
}

void
cw_sim_reply_text (SoupServerMessage *message,
                   guint              status,
                   const char        *content_type,
                   const char        *body)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

/**
 * cw_sim_reply_json:
 * @message: the request to answer
 * @status: the HTTP status
 * @body: (nullable): the JSON to send, or %NULL for an empty body
 */
void
cw_sim_reply_json (SoupServerMessage *message,
                   guint              status,
                   JsonNode          *body)
{
  g_autofree char *text = body != NULL ? json_to_string (body, FALSE) : g_strdup ("");
  gsize length = strlen (text);

  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

typedef struct
{
  CwSimServer       *self;
  SoupServerMessage *message;
  Route             *route;
  char              *path;
  GHashTable        *query;
  CwSimFault         fault;
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->message);
  g_clear_pointer (&pending->query, g_hash_table_unref);
  g_free (pending->path);
  g_free (pending);
}

/* What identifies a request for recording and replay: its path and query, as sent. */
static char *
request_key (SoupServerMessage *message)
{
  GUri *uri = soup_server_message_get_uri (message);

  return g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL);
}

static void
record_reply (CwSimServer *self,
              Pending     *pending)
{
  SoupMessageBody *body;

  g_mutex_lock (&self->recording_lock);
  if (self->recording_prefix != NULL && g_str_has_prefix (pending->path, self->recording_prefix) &&
      soup_server_message_get_status (pending->message) == SOUP_STATUS_OK)
    {
      body = soup_server_message_get_response_body (pending->message);
      g_hash_table_replace (self->recorded, request_key (pending->message),
                            soup_message_body_flatten (body));
    }
  g_mutex_unlock (&self->recording_lock);
}

/* Answers @message as recorded, if it was. */
static gboolean
replay_reply (CwSimServer       *self,
              SoupServerMessage *message)
{
  g_autofree char *key = NULL;
  GBytes *body = NULL;

  g_mutex_lock (&self->recording_lock);
  if (self->replayed != NULL)
    {
      key = request_key (message);
      body = g_hash_table_lookup (self->replayed, key);
      if (body != NULL)
        g_bytes_ref (body);
    }
  g_mutex_unlock (&self->recording_lock);

  if (body == NULL)
    return FALSE;

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_bytes_unref (body);

  return TRUE;
}

static void
dispatch (Pending *pending)
{
  CwSimServer *self = pending->self;

  if (pending->route == NULL)
    {
      cw_sim_reply_text (pending->message, SOUP_STATUS_NOT_FOUND, "text/plain", "No such API\n");
      return;
    }

  pending->route->handler (self, pending->message, pending->path, pending->query,
                           &pending->fault, pending->route->user_data);
  record_reply (self, pending);
}

static gboolean
on_delay_elapsed (gpointer user_data)
{
  Pending *pending = user_data;

  g_ptr_array_remove (pending->self->paused, pending->message);
  pending->fault.kind = CW_SIM_FAULT_NONE;
  dispatch (pending);
  soup_server_message_unpause (pending->message);

  return G_SOURCE_REMOVE;
}

static void
reply_oversized (SoupServerMessage *message)
{
  const gsize size = 50 * 1024 * 1024;
  char *body = g_malloc (size);

  /* A valid start, so only the size can be the reason to refuse it. */
  memset (body, ' ', size);
  memcpy (body, "{\"data\": [", 10);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE, body, size);
}

/* The faults every API gets alike; TRUE if the request was answered (or parked). */
static gboolean
apply_generic_fault (CwSimServer *self,
                     Pending     *pending)
{
  switch (pending->fault.kind)
    {
    case CW_SIM_FAULT_DELAY:
      soup_server_message_pause (pending->message);
      g_ptr_array_add (self->paused, g_object_ref (pending->message));
      g_timeout_add_full (G_PRIORITY_DEFAULT, MAX (pending->fault.value, 0), on_delay_elapsed,
                          pending, (GDestroyNotify) pending_free);
      return TRUE;

    case CW_SIM_FAULT_HANG:
      /* Parked until the client gives up; the server lets go of it when disposed. */
      soup_server_message_pause (pending->message);
      g_ptr_array_add (self->paused, g_object_ref (pending->message));
      pending_free (pending);
      return TRUE;

    case CW_SIM_FAULT_UNAUTHORIZED:
      cw_sim_reply_text (pending->message, SOUP_STATUS_UNAUTHORIZED, "application/json",
                         "{\"error\": \"unauthorized\"}");
      break;

    case CW_SIM_FAULT_TOO_MANY:
      {
        g_autofree char *seconds = g_strdup_printf ("%d", MAX (pending->fault.value, 0));

        soup_message_headers_replace (soup_server_message_get_response_headers (pending->message),
                                      "Retry-After", seconds);
        cw_sim_reply_text (pending->message, 429, "application/json",
                           "{\"error\": \"too many requests\"}");
      }
      break;

    case CW_SIM_FAULT_SERVER_ERROR:
      cw_sim_reply_text (pending->message, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/html",
                         "<html><body><h1>500 Internal Server Error</h1></body></html>");
      break;

    case CW_SIM_FAULT_MALFORMED_JSON:
      cw_sim_reply_text (pending->message, SOUP_STATUS_OK, "application/json",
                         "{\"data\": [{\"order_id\": 1, \"order_number\": \"4\"");
      break;

    case CW_SIM_FAULT_OVERSIZED:
      reply_oversized (pending->message);
      break;

    case CW_SIM_FAULT_NONE:
    case CW_SIM_FAULT_THROTTLE_202:
    case CW_SIM_FAULT_ERROR_CODE_200:
    case CW_SIM_FAULT_MISSING_FIELDS:
    case CW_SIM_FAULT_NUMBERS_AS_STRINGS:
    case CW_SIM_FAULT_TOKEN_EXPIRED:
    default:
      return FALSE;
    }

  pending_free (pending);
  return TRUE;
}

static CwSimFaultKind
fault_kind_from_name (const char *name)
{
  static const struct {
    const char     *name;
    CwSimFaultKind  kind;
  } names[] = {
    { "delay", CW_SIM_FAULT_DELAY },
    { "hang", CW_SIM_FAULT_HANG },
    { "unauthorized", CW_SIM_FAULT_UNAUTHORIZED },
    { "too-many", CW_SIM_FAULT_TOO_MANY },
    { "server-error", CW_SIM_FAULT_SERVER_ERROR },
    { "malformed-json", CW_SIM_FAULT_MALFORMED_JSON },
    { "oversized", CW_SIM_FAULT_OVERSIZED },
    { "throttle-202", CW_SIM_FAULT_THROTTLE_202 },
    { "error-code-200", CW_SIM_FAULT_ERROR_CODE_200 },
    { "missing-fields", CW_SIM_FAULT_MISSING_FIELDS },
    { "numbers-as-strings", CW_SIM_FAULT_NUMBERS_AS_STRINGS },
    { "token-expired", CW_SIM_FAULT_TOKEN_EXPIRED },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].name, name))
      return names[i].kind;

  return CW_SIM_FAULT_NONE;
}

/* POST /_sim/fault?path=/autoflex&kind=server-error&value=0&count=2, for manual tests. */
static void
handle_control (CwSimServer       *self,
                SoupServerMessage *message,
                GHashTable        *query)
{
  const char *path = query ? g_hash_table_lookup (query, "path") : NULL;
  CwSimFaultKind kind = fault_kind_from_name (query ? g_hash_table_lookup (query, "kind") : NULL);
  const char *value = query ? g_hash_table_lookup (query, "value") : NULL;
  const char *count = query ? g_hash_table_lookup (query, "count") : NULL;

  if (path == NULL || kind == CW_SIM_FAULT_NONE)
    {
      cw_sim_reply_text (message, SOUP_STATUS_BAD_REQUEST, "text/plain",
                         "usage: POST /_sim/fault?path=PREFIX&kind=KIND[&value=N][&count=N]\n");
      return;
    }

  cw_sim_server_add_fault (self, path, kind, value ? atoi (value) : 0, count ? MAX (atoi (count), 1) : 1);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "text/plain", "ok\n");
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  CwSimServer *self = user_data;
  Pending *pending;

  if (g_str_has_prefix (path, "/_sim/fault"))
    {
      handle_control (self, message, query);
      return;
    }

  count_request (self, path);

  if (replay_reply (self, message))
    return;

  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->message = g_object_ref (message);
  pending->route = find_route (self, path);
  pending->path = g_strdup (path);
  pending->query = query != NULL ? g_hash_table_ref (query) : g_hash_table_new (g_str_hash, g_str_equal);
  pending->fault = take_fault (self, path);

  if (apply_generic_fault (self, pending))
    return;

  dispatch (pending);
  pending_free (pending);
}

static void
cw_sim_server_dispose (GObject *object)
{
  CwSimServer *self = (CwSimServer *)object;

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->paused, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_sim_server_parent_class)->dispose (object);
}

static void
cw_sim_server_finalize (GObject *object)
{
  CwSimServer *self = (CwSimServer *)object;

  g_clear_pointer (&self->dataset, cw_sim_dataset_free);
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->websocket_routes, g_ptr_array_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->recording_prefix, g_free);
  g_clear_pointer (&self->recorded, g_hash_table_unref);
  g_clear_pointer (&self->replayed, g_hash_table_unref);
  g_clear_pointer (&self->writeback_order, g_ptr_array_unref);
  g_clear_pointer (&self->writebacks, g_hash_table_unref);
  g_mutex_clear (&self->recording_lock);

  G_OBJECT_CLASS (cw_sim_server_parent_class)->finalize (object);
}

static void
cw_sim_server_class_init (CwSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cw_sim_server_dispose;
  object_class->finalize = cw_sim_server_finalize;
}

static void
cw_sim_server_init (CwSimServer *self)
{
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  self->websocket_routes = g_ptr_array_new_with_free_func (g_free);
  self->writebacks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) writeback_free);
  self->writeback_order = g_ptr_array_new ();
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) queued_fault_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_count_free);
  self->paused = g_ptr_array_new_with_free_func (g_object_unref);
  self->recorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_mutex_init (&self->recording_lock);
  self->server = soup_server_new ("server-header", "claire-dms-sim ", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
}

/**
 * cw_sim_server_new:
 * @seed: the dataset's seed
 * @today: (nullable): the day the dataset is centred on; %NULL for the real today
 *
 * A simulator with every API module installed; call cw_sim_server_listen() next.
 *
 * Returns: (transfer full): the simulator
 */
CwSimServer *
cw_sim_server_new (guint32      seed,
                   const GDate *today)
{
  CwSimServer *self = g_object_new (CW_TYPE_SIM_SERVER, NULL);

  self->dataset = cw_sim_dataset_new (seed, today);
  cw_sim_autoflex_install (self);
  cw_sim_2drive_install (self);
  cw_sim_incadea_install (self);
  cw_sim_wincar_install (self);
  cw_sim_pon_install (self);

  return self;
}

/**
 * cw_sim_server_listen:
 * @port: the port on 127.0.0.1, or 0 for any free one
 *
 * Returns: %TRUE when listening
 */
gboolean
cw_sim_server_listen (CwSimServer  *self,
                      guint         port,
                      GError      **error)
{
  g_return_val_if_fail (CW_IS_SIM_SERVER (self), FALSE);

  return soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error);
}

guint
cw_sim_server_get_port (CwSimServer *self)
{
  GSList *uris;
  guint port;

  g_return_val_if_fail (CW_IS_SIM_SERVER (self), 0);

  uris = soup_server_get_uris (self->server);
  port = uris != NULL ? (guint) g_uri_get_port (uris->data) : 0;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return port;
}

/**
 * cw_sim_server_dup_url:
 * @path: a path on the simulator, e.g. %CW_SIM_AUTOFLEX_BOOTSTRAP
 *
 * Returns: (transfer full): "http://127.0.0.1:PORT" followed by @path
 */
char *
cw_sim_server_dup_url (CwSimServer *self,
                       const char  *path)
{
  g_return_val_if_fail (CW_IS_SIM_SERVER (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u%s", cw_sim_server_get_port (self), path ? path : "");
}

/**
 * cw_sim_server_get_dataset:
 *
 * Returns: (transfer none): the orders the simulator serves; tests may change them (then
 *   call cw_sim_dataset_touch())
 */
CwSimDataset *
cw_sim_server_get_dataset (CwSimServer *self)
{
  g_return_val_if_fail (CW_IS_SIM_SERVER (self), NULL);

  return self->dataset;
}

void
cw_sim_server_add_handler (CwSimServer  *self,
                           const char   *path_prefix,
                           CwSimHandler  handler,
                           gpointer      user_data)
{
  Route *route;

  g_return_if_fail (CW_IS_SIM_SERVER (self));

  route = g_new0 (Route, 1);
  route->prefix = g_strdup (path_prefix);
  route->handler = handler;
  route->user_data = user_data;
  g_ptr_array_add (self->routes, route);
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *message,
              const char              *path,
              SoupWebsocketConnection *stream,
              gpointer                 user_data)
{
  WebsocketRoute *route = user_data;

  route->handler (route->server, message, stream, route->user_data);
}

/**
 * cw_sim_server_add_websocket_handler:
 * @path: the stream's path; the API module's CwSimHandler for it (through its prefix)
 *   sees the handshake first, and accepts it by leaving the request unanswered
 * @handler: called with the open stream
 *
 * Serves a WebSocket at @path. Its handshakes are counted and get the queued faults like
 * any request.
 */
void
cw_sim_server_add_websocket_handler (CwSimServer           *self,
                                     const char            *path,
                                     CwSimWebsocketHandler  handler,
                                     gpointer               user_data)
{
  WebsocketRoute *route;

  g_return_if_fail (CW_IS_SIM_SERVER (self));
  g_return_if_fail (path != NULL && handler != NULL);

  route = g_new0 (WebsocketRoute, 1);
  route->server = self;
  route->handler = handler;
  route->user_data = user_data;
  g_ptr_array_add (self->websocket_routes, route);

  /* One SoupServer handler holds both: the plain one runs first and may refuse. */
  soup_server_add_handler (self->server, path, on_request, self, NULL);
  soup_server_add_websocket_handler (self->server, path, NULL, NULL, on_websocket, route, NULL);
}

/**
 * cw_sim_server_add_fault:
 * @path_prefix: the requests it applies to
 * @kind: the fault
 * @value: its parameter (milliseconds, seconds or an error code, see #CwSimFaultKind)
 * @count: how many requests get it
 *
 * Queues a fault for the next @count requests under @path_prefix. Faults queued earlier
 * for the same requests come first.
 */
void
cw_sim_server_add_fault (CwSimServer    *self,
                         const char     *path_prefix,
                         CwSimFaultKind  kind,
                         int             value,
                         guint           count)
{
  QueuedFault *queued;

  g_return_if_fail (CW_IS_SIM_SERVER (self));
  g_return_if_fail (count > 0);

  queued = g_new0 (QueuedFault, 1);
  queued->prefix = g_strdup (path_prefix);
  queued->fault.kind = kind;
  queued->fault.value = value;
  queued->remaining = count;
  g_ptr_array_add (self->faults, queued);
}

void
cw_sim_server_clear_faults (CwSimServer *self)
{
  g_return_if_fail (CW_IS_SIM_SERVER (self));

  g_ptr_array_set_size (self->faults, 0);
}

/**
 * cw_sim_server_count_requests:
 * @path_prefix: which requests to count
 *
 * Returns: how many requests under @path_prefix the simulator received
 */
guint
cw_sim_server_count_requests (CwSimServer *self,
                              const char  *path_prefix)
{
  guint total = 0;

  g_return_val_if_fail (CW_IS_SIM_SERVER (self), 0);

  for (guint i = 0; i < self->requests->len; i++)
    {
      RequestCount *count = g_ptr_array_index (self->requests, i);

      if (g_str_has_prefix (count->path, path_prefix))
        total += count->count;
    }

  return total;
}

void
cw_sim_server_reset_counts (CwSimServer *self)
{
  g_return_if_fail (CW_IS_SIM_SERVER (self));

  g_ptr_array_set_size (self->requests, 0);
}

/**
 * cw_sim_server_record:
 * @self: a #CwSimServer
 * @path_prefix: (nullable): keep the bodies of the successful answers under this path;
 *   %NULL to stop
 *
 * Keeps what the simulator answers, byte for byte and by request (path and query), for a
 * benchmark to replay without the simulator's own work. Thread-safe, as are the two
 * functions after it.
 */
void
cw_sim_server_record (CwSimServer *self,
                      const char  *path_prefix)
{
  g_return_if_fail (CW_IS_SIM_SERVER (self));

  g_mutex_lock (&self->recording_lock);
  g_free (self->recording_prefix);
  self->recording_prefix = g_strdup (path_prefix);
  g_mutex_unlock (&self->recording_lock);
}

/**
 * cw_sim_server_take_recorded:
 * @self: a #CwSimServer
 *
 * Returns: (transfer full) (element-type utf8 GBytes): the answers recorded so far, by
 *   request; the simulator starts a new table
 */
GHashTable *
cw_sim_server_take_recorded (CwSimServer *self)
{
  GHashTable *recorded;

  g_return_val_if_fail (CW_IS_SIM_SERVER (self), NULL);

  g_mutex_lock (&self->recording_lock);
  recorded = g_steal_pointer (&self->recorded);
  self->recorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_mutex_unlock (&self->recording_lock);

  return recorded;
}

/**
 * cw_sim_server_replay:
 * @self: a #CwSimServer
 * @answers: (nullable) (element-type utf8 GBytes): from cw_sim_server_take_recorded();
 *   %NULL to stop replaying
 *
 * From now on a request that was recorded gets the recorded answer at once, without
 * faults or the API modules; any other request is served as usual.
 */
void
cw_sim_server_replay (CwSimServer *self,
                      GHashTable  *answers)
{
  g_return_if_fail (CW_IS_SIM_SERVER (self));

  g_mutex_lock (&self->recording_lock);
  g_clear_pointer (&self->replayed, g_hash_table_unref);
  if (answers != NULL)
    self->replayed = g_hash_table_ref (answers);
  g_mutex_unlock (&self->recording_lock);
}

/**
 * cw_sim_server_disconnect:
 *
 * Stops listening and closes every connection, as a DMS that went down. Listen again on
 * the same port with cw_sim_server_listen().
 */
void
cw_sim_server_disconnect (CwSimServer *self)
{
  g_return_if_fail (CW_IS_SIM_SERVER (self));

  soup_server_disconnect (self->server);
}

/**
 * cw_sim_server_receive_writeback:
 * @dms: the simulated DMS ("incadea", "wincar")
 * @idem_key: the request's idempotency key
 * @dms_key: the workorder's key in the DMS
 * @kind: what is written ("intervention", "mileage")
 * @detail: what was asked for, for the tests to read (title, or mileage)
 * @result: (nullable): what the DMS made of it (a new line id), answered again for a repeat
 * @applied: (out): %TRUE when this call applied the change; %FALSE when the key was seen
 *   before and the earlier result is returned instead
 *
 * The idempotency ledger every simulated writeback goes through: a key is applied once,
 * and every request that carries it is counted.
 *
 * Returns: (transfer none): the ledger's record for @idem_key
 */
CwSimWriteback *
cw_sim_server_receive_writeback (CwSimServer *self,
                                 const char  *dms,
                                 const char  *idem_key,
                                 const char  *dms_key,
                                 const char  *kind,
                                 const char  *detail,
                                 const char  *result,
                                 gboolean    *applied)
{
  CwSimWriteback *writeback;

  g_return_val_if_fail (CW_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (idem_key != NULL, NULL);

  writeback = g_hash_table_lookup (self->writebacks, idem_key);
  if (writeback != NULL)
    {
      writeback->n_received++;
      *applied = FALSE;
      return writeback;
    }

  writeback = g_new0 (CwSimWriteback, 1);
  writeback->dms = g_strdup (dms);
  writeback->idem_key = g_strdup (idem_key);
  writeback->dms_key = g_strdup (dms_key);
  writeback->kind = g_strdup (kind);
  writeback->detail = g_strdup (detail);
  writeback->result = g_strdup (result);
  writeback->n_received = 1;
  writeback->n_applied = 1;
  g_hash_table_insert (self->writebacks, writeback->idem_key, writeback);
  g_ptr_array_add (self->writeback_order, writeback);
  *applied = TRUE;

  return writeback;
}

/**
 * cw_sim_server_list_writebacks:
 * @dms: (nullable): only this DMS's, or all
 *
 * Returns: (transfer container) (element-type CwSimWriteback): the applied writebacks, in
 *   the order they were applied
 */
GPtrArray *
cw_sim_server_list_writebacks (CwSimServer *self,
                               const char  *dms)
{
  GPtrArray *list = g_ptr_array_new ();

  g_return_val_if_fail (CW_IS_SIM_SERVER (self), list);

  for (guint i = 0; i < self->writeback_order->len; i++)
    {
      CwSimWriteback *writeback = g_ptr_array_index (self->writeback_order, i);

      if (dms == NULL || g_strcmp0 (dms, writeback->dms) == 0)
        g_ptr_array_add (list, writeback);
    }

  return list;
}

guint
cw_sim_server_count_writebacks (CwSimServer *self,
                                const char  *dms)
{
  g_autoptr(GPtrArray) list = cw_sim_server_list_writebacks (self, dms);

  return list->len;
}
