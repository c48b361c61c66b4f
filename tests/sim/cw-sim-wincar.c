/* cw-sim-wincar.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-sim-wincar"

#include "config.h"

#include <string.h>

#include "cw-plate.h"
#include "cw-sim-server.h"
#include "cw-util.h"

/*
 * The Wincar API as the simulator speaks it: our interpretation, member by member in
 * docs/connectors/wincar.md, which the connector reads exactly.
 *
 * - POST /auth/login → a bearer token;
 * - GET /workorders?number=… or ?plate=… → {"workorders": [...]}; GET /workorders/{id};
 * - POST /workorders/{id}/lines and …/mileage with an Idempotency-Key header, through the
 *   server's writeback ledger: the first request with a key changes the order (a new DMS
 *   line, a higher mileage) and sends the change on the stream; a repeat answers the same
 *   and changes nothing; a refusal ({"message": …}) is not recorded;
 * - GET /events?after=SEQ, a WebSocket: the changes kept after SEQ, then the live ones, each
 *   {"seq": N, "workorder": {…}}; when SEQ is before what it keeps (or after the newest),
 *   one {"gap": {"seq": CURRENT, "oldest": …}} and the stream closes.
 *
 * Faults of this module (the server applies the generic ones):
 * - %CW_SIM_FAULT_TOKEN_EXPIRED on the login: the token lives `value` seconds; on the API
 *   (the stream's handshake included): the request's token is dropped and it gets 401;
 * - %CW_SIM_FAULT_MISSING_FIELDS: the optional members are left out (value 1: the id too);
 * - %CW_SIM_FAULT_NUMBERS_AS_STRINGS: the mileage and the prices are sent as strings.
 */

#define TOKEN_LIFETIME_S  3600
#define DEFAULT_RETENTION 1000
#define MAX_BODY          (64 * 1024)

typedef struct
{
  gint64  seq;
  char   *text;
} Change;

typedef struct
{
  CwSimServer *server;
  /* access token → expiry, monotonic microseconds (gint64 *). */
  GHashTable  *tokens;
  /* The changes kept, oldest first, and up to which number changes were let go. */
  GQueue       changes;
  gint64       seq;
  gint64       forgotten_through;
  guint        retention;
  guint        replay_overlap;
  /* The open streams (SoupWebsocketConnection), and how many were ever opened. */
  GPtrArray   *streams;
  guint        n_streams;
  guint        next_line_id;
} Wincar;

static void
change_free (Change *change)
{
  g_free (change->text);
  g_free (change);
}

static void on_stream_closed (SoupWebsocketConnection *stream,
                              gpointer                 user_data);

static void
close_stream (SoupWebsocketConnection *stream)
{
  g_signal_handlers_disconnect_matched (stream, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        on_stream_closed, NULL);
  if (soup_websocket_connection_get_state (stream) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (stream, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (stream);
}

static void
wincar_free (Wincar *state)
{
  g_clear_pointer (&state->tokens, g_hash_table_unref);
  g_queue_clear_full (&state->changes, (GDestroyNotify) change_free);
  g_clear_pointer (&state->streams, g_ptr_array_unref);
  g_free (state);
}

static Wincar *
get_state (CwSimServer *server)
{
  return g_object_get_data (G_OBJECT (server), "cw-sim-wincar");
}

/* ------------------------------------------------------------------------------------- */
/* Writing JSON                                                                          */
/* ------------------------------------------------------------------------------------- */

static void
add_text (JsonBuilder *builder,
          const char  *name,
          const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return;

  text = g_date_time_format_iso8601 (value);
  add_text (builder, name, text);
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          const GDate *value)
{
  g_autofree char *text = cw_date_to_iso (value);

  add_text (builder, name, text);
}

static void
add_flag (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_party (JsonBuilder *builder,
           const char  *name,
           CwParty     *party)
{
  static const struct {
    const char   *member;
    CwPartyField  field;
  } fields[] = {
    { "id", CW_PARTY_DMS_ID },
    { "company", CW_PARTY_COMPANY },
    { "title", CW_PARTY_TITLE },
    { "firstName", CW_PARTY_FIRST_NAME },
    { "lastName", CW_PARTY_LAST_NAME },
    { "street", CW_PARTY_STREET },
    { "houseNumber", CW_PARTY_HOUSE_NUMBER },
    { "postcode", CW_PARTY_POSTCODE },
    { "city", CW_PARTY_PLACE },
    { "businessPhone", CW_PARTY_BUSINESS_PHONE },
    { "businessEmail", CW_PARTY_BUSINESS_EMAIL },
    { "businessMobile", CW_PARTY_BUSINESS_MOBILE },
    { "privatePhone", CW_PARTY_PRIVATE_PHONE },
    { "privateEmail", CW_PARTY_PRIVATE_EMAIL },
    { "privateMobile", CW_PARTY_PRIVATE_MOBILE },
  };

  if (party == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    add_text (builder, fields[i].member, cw_party_get_field (party, fields[i].field));
  add_flag (builder, "leaseCompany", cw_party_get_lease_company (party));
  json_builder_end_object (builder);
}

static const char *
element_type (CwElementKind kind)
{
  switch (kind)
    {
    case CW_ELEMENT_KIND_LABOUR:
      return "labour";
    case CW_ELEMENT_KIND_PART:
      return "part";
    case CW_ELEMENT_KIND_MENU:
      return "menu";
    case CW_ELEMENT_KIND_NOTE:
      return "note";
    case CW_ELEMENT_KIND_UNSPECIFIED:
    default:
      return NULL;
    }
}

static const char *
shop_name (CwShopState shop)
{
  switch (shop)
    {
    case CW_SHOP_IN:
      return "in";
    case CW_SHOP_LEFT:
      return "left";
    case CW_SHOP_NOT_ARRIVED:
    default:
      return "expected";
    }
}

static void
add_lines (JsonBuilder *builder,
           CwWorkorder *workorder,
           gboolean     numbers_as_strings)
{
  GListModel *lines = cw_workorder_get_interventions (workorder);

  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);
      gint64 cents;

      json_builder_begin_object (builder);
      add_text (builder, "id", cw_intervention_get_dms_line_id (line));
      add_text (builder, "type", element_type (cw_intervention_get_element_kind (line)));
      add_text (builder, "title", cw_intervention_get_title (line));
      add_text (builder, "description", cw_intervention_get_description (line));
      if (cw_intervention_get_price (line, &cents))
        {
          json_builder_set_member_name (builder, "price");
          if (numbers_as_strings)
            {
              g_autofree char *text = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d",
                                                       cents < 0 ? "-" : "", ABS (cents) / 100,
                                                       (int) (ABS (cents) % 100));

              json_builder_add_string_value (builder, text);
            }
          else
            /* As a DMS's JSON library writes a decimal: a double, with its noise. */
            json_builder_add_double_value (builder, (double) cents / 100.0);
          add_text (builder, "currency", cw_intervention_get_currency (line));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static JsonNode *
order_to_json (CwSimOrder       *order,
               const CwSimFault *fault)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  CwWorkorder *workorder = order->workorder;
  CwCar *car = cw_workorder_get_car (workorder);
  const char *wo_number = cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER);
  gboolean missing = fault != NULL && fault->kind == CW_SIM_FAULT_MISSING_FIELDS;
  gboolean numbers_as_strings = fault != NULL && fault->kind == CW_SIM_FAULT_NUMBERS_AS_STRINGS;
  gint64 km = cw_workorder_get_dms_mileage (workorder);

  json_builder_begin_object (builder);
  if (!(missing && fault->value == 1))
    add_text (builder, "id", cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER));
  add_text (builder, "number", wo_number);
  add_time (builder, "appointment", cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT));

  if (!missing)
    {
      g_autofree char *plate = cw_car_dup_plate_display (car);

      add_time (builder, "created", cw_workorder_get_time (workorder, CW_WORKORDER_DMS_CREATED));
      add_time (builder, "plannedIn", cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_IN));
      add_time (builder, "plannedOut", cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_OUT));
      add_flag (builder, "customerWaiting", cw_workorder_get_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING));
      add_flag (builder, "canceled", cw_workorder_get_flag (workorder, CW_WORKORDER_DMS_CANCELED));
      add_flag (builder, "invoiced", order->invoiced);
      add_text (builder, "shop", shop_name (cw_workorder_get_dms_shop_state (workorder)));
      add_text (builder, "notes", cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NOTES));
      if (km != CW_MILEAGE_UNKNOWN)
        {
          json_builder_set_member_name (builder, "mileage");
          if (numbers_as_strings)
            {
              g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, km);

              json_builder_add_string_value (builder, text);
            }
          else
            json_builder_add_int_value (builder, km);
        }

      /* As a clerk types it: some in lower case, by the WO number's last digit. */
      if (plate != NULL && wo_number != NULL && *wo_number != '\0' &&
          strchr ("13579", wo_number[strlen (wo_number) - 1]) != NULL)
        {
          char *lower = g_ascii_strdown (plate, -1);

          g_free (plate);
          plate = lower;
        }

      json_builder_set_member_name (builder, "vehicle");
      json_builder_begin_object (builder);
      add_text (builder, "make", cw_car_get_field (car, CW_CAR_MAKE));
      add_text (builder, "model", cw_car_get_field (car, CW_CAR_MODEL));
      add_text (builder, "plate", plate);
      add_text (builder, "vin", cw_car_get_field (car, CW_CAR_VIN));
      add_text (builder, "driverId", cw_car_get_field (car, CW_CAR_DRIVER_ID));
      add_text (builder, "ownerId", cw_car_get_field (car, CW_CAR_OWNER_ID));
      add_date (builder, "firstRegistration", cw_car_get_date (car, CW_CAR_FIRST_REGISTRATION));
      add_date (builder, "apkDate", cw_car_get_date (car, CW_CAR_APK_DATE));
      add_date (builder, "warrantyStart", cw_car_get_date (car, CW_CAR_WARRANTY_START));
      add_date (builder, "warrantyEnd", cw_car_get_date (car, CW_CAR_WARRANTY_END));
      json_builder_end_object (builder);

      add_party (builder, "driver", cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER));
      add_party (builder, "owner", cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER));
      add_party (builder, "contractor", cw_workorder_get_party (workorder, CW_PARTY_ROLE_CONTRACTOR));
      add_lines (builder, workorder, numbers_as_strings);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
reply_message (SoupServerMessage *message,
               guint              status,
               const char        *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  cw_sim_reply_json (message, status, body);
}

/* ------------------------------------------------------------------------------------- */
/* The change stream                                                                     */
/* ------------------------------------------------------------------------------------- */

static void
on_stream_closed (SoupWebsocketConnection *stream,
                  gpointer                 user_data)
{
  Wincar *state = user_data;

  if (g_ptr_array_remove (state->streams, stream))
    g_debug ("A Wincar stream closed; %u open", state->streams->len);
}

/* Keeps @text as change @seq and sends it to every open stream. */
static void
publish (Wincar     *state,
         gint64      seq,
         const char *text)
{
  Change *change = g_new0 (Change, 1);

  change->seq = seq;
  change->text = g_strdup (text);
  g_queue_push_tail (&state->changes, change);

  while (g_queue_get_length (&state->changes) > state->retention)
    {
      Change *oldest = g_queue_pop_head (&state->changes);

      state->forgotten_through = oldest->seq;
      change_free (oldest);
    }

  for (guint i = 0; i < state->streams->len; i++)
    soup_websocket_connection_send_text (g_ptr_array_index (state->streams, i), text);
}

static gint64
emit_workorder (Wincar   *state,
                JsonNode *workorder)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gint64 seq = ++state->seq;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  json_builder_set_member_name (builder, "workorder");
  json_builder_add_value (builder, json_node_copy (workorder));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  text = json_to_string (root, FALSE);
  publish (state, seq, text);

  return seq;
}

static gint64
emit_order (Wincar     *state,
            CwSimOrder *order)
{
  g_autoptr(JsonNode) workorder = order_to_json (order, NULL);

  return emit_workorder (state, workorder);
}

static void
handle_stream (CwSimServer             *server,
               SoupServerMessage       *message,
               SoupWebsocketConnection *stream,
               gpointer                 user_data)
{
  Wincar *state = user_data;
  const char *query = g_uri_get_query (soup_server_message_get_uri (message));
  g_autoptr(GHashTable) params = NULL;
  const char *after_text = NULL;
  gint64 after = 0;

  state->n_streams++;

  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL)
    after_text = g_hash_table_lookup (params, "after");
  if (after_text != NULL && !g_ascii_string_to_signed (after_text, 10, 0, G_MAXINT64, &after, NULL))
    after = -1;

  /* Asked for changes it no longer keeps, or that it never made: the client must fetch
   * what it holds, then follow from now on. */
  if (after < state->forgotten_through || after > state->seq)
    {
      g_autofree char *gap = NULL;
      Change *oldest = g_queue_peek_head (&state->changes);

      gap = g_strdup_printf ("{\"gap\":{\"seq\":%" G_GINT64_FORMAT ",\"oldest\":%" G_GINT64_FORMAT "}}",
                             state->seq, oldest != NULL ? oldest->seq : state->seq + 1);
      soup_websocket_connection_send_text (stream, gap);
      soup_websocket_connection_close (stream, SOUP_WEBSOCKET_CLOSE_NORMAL, "gap");
      return;
    }

  /* The catch-up (with the overlap a server that sends at least once may have), then the
   * live changes, in one go on this thread: nothing can come in between. */
  for (GList *l = state->changes.head; l != NULL; l = l->next)
    {
      Change *change = l->data;

      if (change->seq + state->replay_overlap > after)
        soup_websocket_connection_send_text (stream, change->text);
    }

  g_ptr_array_add (state->streams, g_object_ref (stream));
  g_signal_connect (stream, "closed", G_CALLBACK (on_stream_closed), state);
}

/* ------------------------------------------------------------------------------------- */
/* The API                                                                               */
/* ------------------------------------------------------------------------------------- */

static JsonObject *
read_body (SoupServerMessage *message,
           JsonParser        *parser)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (message));
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonNode *root;

  if (length == 0 || length > MAX_BODY || !json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_node_get_object (root);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
handle_login (Wincar            *state,
              SoupServerMessage *message,
              const CwSimFault  *fault)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  JsonObject *request;
  int lifetime = TOKEN_LIFETIME_S;
  gint64 *expiry;

  if (!g_str_equal (soup_server_message_get_method (message), "POST"))
    {
      reply_message (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use POST.");
      return;
    }

  request = read_body (message, parser);
  if (request == NULL)
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object.");
      return;
    }

  if (g_strcmp0 (member_string (request, "username"), CW_SIM_WINCAR_USERNAME) != 0 ||
      g_strcmp0 (member_string (request, "password"), CW_SIM_WINCAR_PASSWORD) != 0)
    {
      reply_message (message, SOUP_STATUS_UNAUTHORIZED, "Invalid user name or password.");
      return;
    }

  if (fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    lifetime = MAX (fault->value, 0);

  token = g_strdup_printf ("simwc.%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());
  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (state->tokens, g_strdup (token), expiry);

  body = g_strdup_printf ("{\"token\":\"%s\",\"expiresIn\":%d}", token, lifetime);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", body);
}

/* The request's bearer token when the simulator issued it and it is still valid. */
static const char *
valid_token (Wincar            *state,
             SoupServerMessage *message)
{
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (message), "Authorization");
  gint64 *expiry;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;

  expiry = g_hash_table_lookup (state->tokens, authorization + 7);
  if (expiry == NULL || *expiry <= g_get_monotonic_time ())
    return NULL;

  return authorization + 7;
}

static void
handle_search (CwSimServer       *server,
               SoupServerMessage *message,
               GHashTable        *query,
               const CwSimFault  *fault)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (server);
  const char *number = g_hash_table_lookup (query, "number");
  const char *plate = g_hash_table_lookup (query, "plate");
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  if (number != NULL)
    {
      CwSimOrder *order = cw_sim_dataset_find_wo_number (dataset, CW_SIM_DMS_WINCAR, number);

      orders = g_ptr_array_new ();
      if (order != NULL)
        g_ptr_array_add (orders, order);
    }
  else if (plate != NULL)
    orders = cw_sim_dataset_find_plate (dataset, CW_SIM_DMS_WINCAR, plate);
  else
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST, "Give a number or a plate.");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "workorders");
  json_builder_begin_array (builder);
  for (guint i = 0; i < orders->len; i++)
    json_builder_add_value (builder, order_to_json (g_ptr_array_index (orders, i), fault));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  cw_sim_reply_json (message, SOUP_STATUS_OK, body);
}

static CwSimWriteback *
find_writeback (CwSimServer *server,
                const char  *idem_key)
{
  g_autoptr(GPtrArray) list = cw_sim_server_list_writebacks (server, NULL);

  for (guint i = 0; i < list->len; i++)
    {
      CwSimWriteback *writeback = g_ptr_array_index (list, i);

      if (g_strcmp0 (writeback->idem_key, idem_key) == 0)
        return writeback;
    }

  return NULL;
}

static gboolean
read_element_kind (const char    *type,
                   CwElementKind *kind)
{
  static const char * const names[] = { "labour", "part", "menu", "note" };
  static const CwElementKind kinds[] = {
    CW_ELEMENT_KIND_LABOUR, CW_ELEMENT_KIND_PART, CW_ELEMENT_KIND_MENU, CW_ELEMENT_KIND_NOTE,
  };

  *kind = CW_ELEMENT_KIND_UNSPECIFIED;
  if (type == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (type, names[i]))
      {
        *kind = kinds[i];
        return TRUE;
      }

  return FALSE;
}

static void
handle_add_line (CwSimServer       *server,
                 Wincar            *state,
                 SoupServerMessage *message,
                 CwSimOrder        *order,
                 const char        *idem_key)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CwIntervention) line = NULL;
  g_autofree char *candidate = NULL;
  g_autofree char *body = NULL;
  const char *dms_key = cw_workorder_get_field (order->workorder, CW_WORKORDER_DMS_NUMBER);
  const char *title;
  const char *price;
  CwSimWriteback *writeback;
  JsonObject *request;
  CwElementKind kind;
  gboolean applied;
  gint64 cents = 0;

  request = read_body (message, parser);
  title = request != NULL ? member_string (request, "title") : NULL;
  price = request != NULL ? member_string (request, "price") : NULL;
  if (title == NULL || *title == '\0')
    {
      reply_message (message, SOUP_STATUS_UNPROCESSABLE_ENTITY, "A line needs a title.");
      return;
    }
  if (!read_element_kind (member_string (request, "type"), &kind))
    {
      reply_message (message, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Unknown line type.");
      return;
    }
  if (price != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (price, ".", 2);
      gint64 euros;
      guint64 hundredths = 0;

      if (!g_ascii_string_to_signed (parts[0], 10, -1000000000, 1000000000, &euros, NULL) ||
          (parts[1] != NULL && (strlen (parts[1]) != 2 ||
                                !g_ascii_string_to_unsigned (parts[1], 10, 0, 99, &hundredths, NULL))))
        {
          reply_message (message, SOUP_STATUS_UNPROCESSABLE_ENTITY, "The price is not an amount such as 12.50.");
          return;
        }
      cents = euros * 100 + (parts[0][0] == '-' ? -(gint64) hundredths : (gint64) hundredths);
    }

  if (order->invoiced || cw_workorder_get_flag (order->workorder, CW_WORKORDER_BILLED))
    {
      g_autofree char *text = g_strdup_printf ("Workorder %s is invoiced; it can no longer be changed.",
                                               cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER));

      reply_message (message, SOUP_STATUS_CONFLICT, text);
      return;
    }

  candidate = g_strdup_printf ("%u", state->next_line_id);
  writeback = cw_sim_server_receive_writeback (server, "wincar", idem_key, dms_key, "intervention",
                                               title, candidate, &applied);
  if (applied)
    {
      state->next_line_id++;
      line = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
      cw_intervention_set_dms_line_id (line, writeback->result);
      cw_intervention_set_title (line, title);
      cw_intervention_set_description (line, member_string (request, "description"));
      cw_intervention_set_element_kind (line, kind);
      if (price != NULL)
        cw_intervention_set_price (line, cents);
      cw_workorder_append_intervention (order->workorder, line);
      cw_sim_dataset_touch (cw_sim_server_get_dataset (server), order);
      emit_order (state, order);
    }

  body = g_strdup_printf ("{\"lineId\":\"%s\"}", writeback->result);
  cw_sim_reply_text (message, applied ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, "application/json", body);
}

static void
handle_mileage (CwSimServer       *server,
                Wincar            *state,
                SoupServerMessage *message,
                CwSimOrder        *order,
                const char        *idem_key)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *detail = NULL;
  g_autofree char *body = NULL;
  const char *dms_key = cw_workorder_get_field (order->workorder, CW_WORKORDER_DMS_NUMBER);
  gint64 current = cw_workorder_get_dms_mileage (order->workorder);
  JsonObject *request;
  JsonNode *node;
  gboolean applied;
  gint64 km;

  request = read_body (message, parser);
  node = request != NULL ? json_object_get_member (request, "mileage") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (km = json_node_get_int (node)) <= 0)
    {
      reply_message (message, SOUP_STATUS_UNPROCESSABLE_ENTITY, "The mileage must be a whole number of km above 0.");
      return;
    }

  if (km <= current)
    {
      g_autofree char *text = g_strdup_printf ("The mileage %" G_GINT64_FORMAT " km is not higher than the %"
                                               G_GINT64_FORMAT " km Wincar has for this workorder.",
                                               km, current);

      reply_message (message, SOUP_STATUS_CONFLICT, text);
      return;
    }

  detail = g_strdup_printf ("%" G_GINT64_FORMAT, km);
  cw_sim_server_receive_writeback (server, "wincar", idem_key, dms_key, "mileage", detail, detail, &applied);
  g_assert (applied);
  cw_workorder_set_dms_mileage (order->workorder, km);
  cw_sim_dataset_touch (cw_sim_server_get_dataset (server), order);
  emit_order (state, order);

  body = g_strdup_printf ("{\"mileage\":%" G_GINT64_FORMAT "}", km);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", body);
}

static void
handle_workorder (CwSimServer       *server,
                  Wincar            *state,
                  SoupServerMessage *message,
                  const char        *rest,
                  const CwSimFault  *fault)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (server);
  const char *method = soup_server_message_get_method (message);
  g_auto(GStrv) parts = g_strsplit (rest, "/", 3);
  g_autofree char *key = g_uri_unescape_string (parts[0], NULL);
  CwSimOrder *order = key != NULL ? cw_sim_dataset_find_dms_number (dataset, CW_SIM_DMS_WINCAR, key) : NULL;
  const char *idem_key;

  if (parts[1] == NULL)
    {
      g_autoptr(JsonNode) body = NULL;

      if (!g_str_equal (method, "GET"))
        {
          reply_message (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use GET.");
          return;
        }
      if (order == NULL)
        {
          g_autofree char *text = g_strdup_printf ("Workorder %s does not exist.", key ? key : "");

          reply_message (message, SOUP_STATUS_NOT_FOUND, text);
          return;
        }

      body = order_to_json (order, fault);
      cw_sim_reply_json (message, SOUP_STATUS_OK, body);
      return;
    }

  if (parts[2] != NULL || (!g_str_equal (parts[1], "lines") && !g_str_equal (parts[1], "mileage")))
    {
      reply_message (message, SOUP_STATUS_NOT_FOUND, "No such resource.");
      return;
    }

  if (!g_str_equal (method, "POST"))
    {
      reply_message (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use POST.");
      return;
    }

  idem_key = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                           "Idempotency-Key");
  if (idem_key == NULL || *idem_key == '\0')
    {
      reply_message (message, SOUP_STATUS_BAD_REQUEST, "The Idempotency-Key header is missing.");
      return;
    }

  /* A key seen before gets the answer it got, whatever changed since. */
  {
    CwSimWriteback *seen = find_writeback (server, idem_key);

    if (seen != NULL)
      {
        g_autofree char *body = NULL;
        gboolean applied;

        cw_sim_server_receive_writeback (server, "wincar", idem_key, seen->dms_key, seen->kind,
                                         seen->detail, seen->result, &applied);
        if (g_str_equal (seen->kind, "mileage"))
          body = g_strdup_printf ("{\"mileage\":%s}", seen->result);
        else
          body = g_strdup_printf ("{\"lineId\":\"%s\"}", seen->result);
        cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", body);
        return;
      }
  }

  if (order == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Workorder %s does not exist.", key ? key : "");

      reply_message (message, SOUP_STATUS_NOT_FOUND, text);
      return;
    }

  if (g_str_equal (parts[1], "lines"))
    handle_add_line (server, state, message, order, idem_key);
  else
    handle_mileage (server, state, message, order, idem_key);
}

static void
handle_api (CwSimServer       *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            const CwSimFault  *fault,
            gpointer           user_data)
{
  Wincar *state = user_data;
  const char *rest = path + strlen (CW_SIM_WINCAR_API);
  const char *token;

  if (g_str_equal (rest, "/auth/login"))
    {
      handle_login (state, message, fault);
      return;
    }

  token = valid_token (state, message);
  if (token == NULL || fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    {
      /* As if its validity had just ended: this token is never accepted again. */
      if (token != NULL)
        g_hash_table_remove (state->tokens, token);
      reply_message (message, SOUP_STATUS_UNAUTHORIZED, "The token is not valid.");
      return;
    }

  if (g_str_equal (rest, "/events"))
    /* Left unanswered: the server makes it a WebSocket (handle_stream). */
    return;

  if (g_str_equal (rest, "/workorders"))
    {
      if (!g_str_equal (soup_server_message_get_method (message), "GET"))
        reply_message (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use GET.");
      else
        handle_search (server, message, query, fault);
      return;
    }

  if (g_str_has_prefix (rest, "/workorders/") && rest[strlen ("/workorders/")] != '\0')
    {
      handle_workorder (server, state, message, rest + strlen ("/workorders/"), fault);
      return;
    }

  reply_message (message, SOUP_STATUS_NOT_FOUND, "No such resource.");
}

/*
 * POST /_sim/wincar/change?number=90182[&notes=…][&mileage=…], for trying the app by hand:
 * a clerk changes the workorder in Wincar (by default: 10 km more), and the change goes out
 * on the stream.
 */
static void
handle_control (CwSimServer       *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                const CwSimFault  *fault,
                gpointer           user_data)
{
  Wincar *state = user_data;
  const char *number = g_hash_table_lookup (query, "number");
  const char *notes = g_hash_table_lookup (query, "notes");
  const char *mileage = g_hash_table_lookup (query, "mileage");
  CwSimOrder *order;
  g_autofree char *answer = NULL;
  gint64 km;
  gint64 seq;

  if (!g_str_equal (path, "/_sim/wincar/change") ||
      !g_str_equal (soup_server_message_get_method (message), "POST") || number == NULL)
    {
      cw_sim_reply_text (message, SOUP_STATUS_BAD_REQUEST, "text/plain",
                         "usage: POST /_sim/wincar/change?number=WO[&notes=TEXT][&mileage=KM]\n");
      return;
    }

  order = cw_sim_dataset_find_wo_number (cw_sim_server_get_dataset (server), CW_SIM_DMS_WINCAR, number);
  if (order == NULL)
    {
      cw_sim_reply_text (message, SOUP_STATUS_NOT_FOUND, "text/plain", "No such Wincar workorder\n");
      return;
    }

  if (notes != NULL)
    cw_workorder_set_field (order->workorder, CW_WORKORDER_DMS_NOTES, notes);
  if (mileage != NULL && g_ascii_string_to_signed (mileage, 10, 0, 9999999, &km, NULL))
    cw_workorder_set_dms_mileage (order->workorder, km);
  else if (notes == NULL)
    cw_workorder_set_dms_mileage (order->workorder, MAX (cw_workorder_get_dms_mileage (order->workorder), 0) + 10);

  cw_sim_dataset_touch (cw_sim_server_get_dataset (server), order);
  seq = emit_order (state, order);
  answer = g_strdup_printf ("change %" G_GINT64_FORMAT "\n", seq);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "text/plain", answer);
}

/* ------------------------------------------------------------------------------------- */
/* Installing, and the test hooks                                                        */
/* ------------------------------------------------------------------------------------- */

/**
 * cw_sim_wincar_install:
 * @server: the simulator
 *
 * Serves the dataset's Wincar orders under %CW_SIM_WINCAR_API, with the change stream at
 * %CW_SIM_WINCAR_EVENTS.
 */
void
cw_sim_wincar_install (CwSimServer *server)
{
  Wincar *state = g_new0 (Wincar, 1);

  state->server = server;
  state->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&state->changes);
  state->retention = DEFAULT_RETENTION;
  state->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) close_stream);
  state->next_line_id = 900001;
  g_object_set_data_full (G_OBJECT (server), "cw-sim-wincar", state, (GDestroyNotify) wincar_free);

  cw_sim_server_add_handler (server, CW_SIM_WINCAR_API, handle_api, state);
  cw_sim_server_add_handler (server, "/_sim/wincar", handle_control, state);
  cw_sim_server_add_websocket_handler (server, CW_SIM_WINCAR_EVENTS, handle_stream, state);
}

/**
 * cw_sim_wincar_change_order:
 * @order: a Wincar order of the dataset, changed by the caller
 *
 * Makes the change known, as Wincar would after a clerk saved it: the order's revision
 * goes up and the change goes out on the stream.
 *
 * Returns: the change's sequence number
 */
gint64
cw_sim_wincar_change_order (CwSimServer *server,
                            CwSimOrder  *order)
{
  Wincar *state = get_state (server);

  g_return_val_if_fail (order != NULL && order->dms == CW_SIM_DMS_WINCAR, 0);

  cw_sim_dataset_touch (cw_sim_server_get_dataset (server), order);

  return emit_order (state, order);
}

/**
 * cw_sim_wincar_emit_change:
 * @workorder_json: the `workorder` member to send, as JSON text (valid JSON, any shape)
 *
 * Sends a change with the next sequence number and any workorder, a broken one included.
 *
 * Returns: its sequence number
 */
gint64
cw_sim_wincar_emit_change (CwSimServer *server,
                           const char  *workorder_json)
{
  Wincar *state = get_state (server);
  g_autoptr(JsonNode) workorder = json_from_string (workorder_json, NULL);

  g_return_val_if_fail (workorder != NULL, 0);

  return emit_workorder (state, workorder);
}

/**
 * cw_sim_wincar_dup_workorder_json:
 *
 * Returns: (transfer full): the order as Wincar sends it, as JSON text
 */
char *
cw_sim_wincar_dup_workorder_json (CwSimServer *server,
                                  CwSimOrder  *order)
{
  g_autoptr(JsonNode) node = order_to_json (order, NULL);

  return json_to_string (node, FALSE);
}

/**
 * cw_sim_wincar_drop_streams:
 *
 * Cuts every open change stream without a closing handshake, as a network failure would.
 */
void
cw_sim_wincar_drop_streams (CwSimServer *server)
{
  Wincar *state = get_state (server);
  g_autoptr(GPtrArray) streams = g_steal_pointer (&state->streams);

  state->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) close_stream);
  for (guint i = 0; i < streams->len; i++)
    {
      SoupWebsocketConnection *stream = g_ptr_array_index (streams, i);

      g_signal_handlers_disconnect_by_data (stream, state);
      g_io_stream_close (soup_websocket_connection_get_io_stream (stream), NULL, NULL);
    }
}

/**
 * cw_sim_wincar_count_streams:
 *
 * Returns: how many change streams were opened since the simulator started
 */
guint
cw_sim_wincar_count_streams (CwSimServer *server)
{
  return get_state (server)->n_streams;
}

/**
 * cw_sim_wincar_count_live_streams:
 *
 * Returns: how many change streams are open and following the live changes now
 */
guint
cw_sim_wincar_count_live_streams (CwSimServer *server)
{
  return get_state (server)->streams->len;
}

/**
 * cw_sim_wincar_get_seq:
 *
 * Returns: the number of the newest change
 */
gint64
cw_sim_wincar_get_seq (CwSimServer *server)
{
  return get_state (server)->seq;
}

/**
 * cw_sim_wincar_set_first_seq:
 * @seq: the number after which the changes are numbered
 *
 * Before any change: numbers the changes from @seq + 1, and counts those up to @seq as
 * let go. claire-dms-sim starts from the clock, so that a restarted simulator never
 * numbers backwards for an app that remembers where it was.
 */
void
cw_sim_wincar_set_first_seq (CwSimServer *server,
                             gint64       seq)
{
  Wincar *state = get_state (server);

  g_return_if_fail (g_queue_is_empty (&state->changes) && seq >= 0);

  state->seq = seq;
  state->forgotten_through = seq;
}

/**
 * cw_sim_wincar_set_retention:
 * @n_changes: how many of the newest changes are kept for a catch-up (1000 at first)
 */
void
cw_sim_wincar_set_retention (CwSimServer *server,
                             guint        n_changes)
{
  Wincar *state = get_state (server);

  state->retention = MAX (n_changes, 1);
  while (g_queue_get_length (&state->changes) > state->retention)
    {
      Change *oldest = g_queue_pop_head (&state->changes);

      state->forgotten_through = oldest->seq;
      change_free (oldest);
    }
}

/**
 * cw_sim_wincar_set_replay_overlap:
 * @n_changes: how many changes at or before the one asked after a catch-up repeats
 *
 * As a server that delivers at least once: the client must not apply them twice.
 */
void
cw_sim_wincar_set_replay_overlap (CwSimServer *server,
                                  guint        n_changes)
{
  get_state (server)->replay_overlap = n_changes;
}
