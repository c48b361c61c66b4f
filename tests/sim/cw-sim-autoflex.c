/* cw-sim-autoflex.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-sim-autoflex"

#include "config.h"

#include <string.h>

#include "cw-plate.h"
#include "cw-sim-server.h"

/*
 * The Autoflex 10 API as the simulator speaks it. What Autoflex documents or public
 * clients show is followed exactly (reference/dms-apis.md §1): GET {bootstrap}/authenticate
 * with api_key, username and password → token, api_url, user_id, environment and
 * token_valid_until ("YYYYMMDDTHHMMSS", Amsterdam time, no zone); data calls with the
 * `token` and `apikey` headers; GET order with page (1-based), fields (projection) and
 * filter (`field[op]:value`, only `eq`); the {"data": [...], "nextpage": …} envelope;
 * {"errorCode", "errorMessage"} errors, also with HTTP 200; HTTP 202 + {"retry": ms}.
 *
 * Our interpretation where nothing is public (docs/connectors/autoflex.md):
 * - filter: several conditions joined by ',' all hold; `eq` on a date-time field with a
 *   bare date ("appointment_date[eq]:2026-11-21") matches that whole day;
 * - fields: a bare name takes the member whole, "vehicle.brand" one member of a nested
 *   object (of each element, for the list `lines`); without fields, everything;
 * - the order fields and their formats ("YYYY-MM-DD HH:MM:SS" local times, 0/1 flags);
 * - 25 orders per page (the real API is seen to page by about 100), so that tests page.
 *
 * The lines of an order with an odd order_id are sent last one first: their `sequence`
 * still ascends in the dataset's (Autoflex's) order, so the client has to sort by it.
 *
 * Faults of this module (the server applies the generic ones):
 * - %CW_SIM_FAULT_THROTTLE_202 (both paths): HTTP 202 {"retry": value} milliseconds;
 * - %CW_SIM_FAULT_ERROR_CODE_200 (both paths): HTTP 200 {"errorCode": value, …};
 * - %CW_SIM_FAULT_TOKEN_EXPIRED on authenticate: the token handed out is valid for only
 *   `value` seconds (token_valid_until says so), to test renewal before expiry;
 * - %CW_SIM_FAULT_TOKEN_EXPIRED on the API: the request's token is dropped as expired and
 *   the answer is {"errorCode": 401, …} with HTTP 401 (value 0) or HTTP 200 (value 1);
 * - %CW_SIM_FAULT_MISSING_FIELDS: in the page, row i (from 0) loses its appointment_date
 *   when i % 12 == 0, its order_number when i % 12 == 6 (both required), and its vehicle,
 *   relation, notes and mileage when i % 6 == 3 (optional);
 * - %CW_SIM_FAULT_NUMBERS_AS_STRINGS: every number and 0/1 flag is a string, prices with
 *   two decimals ("189.50").
 */

#define PAGE_SIZE        100
#define TOKEN_LIFETIME_S (30 * 60)
#define USER_ID          17

typedef struct
{
  /* token → expiry, real time in microseconds (gint64 *). */
  GHashTable *tokens;
  GTimeZone  *zone;
  /* CwSimOrder * → Rendered *: each order as JSON, rendered again when it is touched. */
  GHashTable *rendered;
  /* The orders the last filter matched, while the dataset is of that generation: the
   * pages of one listing are asked one after the other. */
  char       *last_filter;
  guint       last_generation;
  GPtrArray  *last_matching;
} Autoflex;

typedef struct
{
  guint       revision;
  JsonObject *object;
} Rendered;

static void
rendered_free (Rendered *rendered)
{
  json_object_unref (rendered->object);
  g_free (rendered);
}

static void
autoflex_free (Autoflex *state)
{
  g_clear_pointer (&state->tokens, g_hash_table_unref);
  g_clear_pointer (&state->zone, g_time_zone_unref);
  g_clear_pointer (&state->rendered, g_hash_table_unref);
  g_clear_pointer (&state->last_filter, g_free);
  g_clear_pointer (&state->last_matching, g_ptr_array_unref);
  g_free (state);
}

static void
reply_error (SoupServerMessage *message,
             guint              status,
             int                code,
             const char        *text)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "errorCode", code);
  json_object_set_string_member (object, "errorMessage", text);
  json_node_set_object (node, object);
  cw_sim_reply_json (message, status, node);
}

static void
reply_retry (SoupServerMessage *message,
             int                retry_ms)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "retry", retry_ms);
  json_node_set_object (node, object);
  cw_sim_reply_json (message, 202, node);
}

static const char *
query_get (GHashTable *query,
           const char *name)
{
  return query != NULL ? g_hash_table_lookup (query, name) : NULL;
}

/*
 * GET {bootstrap}/authenticate
 */

static void
handle_authenticate (CwSimServer       *server,
                     Autoflex          *state,
                     SoupServerMessage *message,
                     GHashTable        *query,
                     const CwSimFault  *fault)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *token = NULL;
  g_autofree char *api_url = NULL;
  g_autofree char *valid_until = NULL;
  gint64 lifetime_s = TOKEN_LIFETIME_S;
  gint64 *expiry;

  if (fault->kind == CW_SIM_FAULT_THROTTLE_202)
    {
      reply_retry (message, fault->value);
      return;
    }
  if (fault->kind == CW_SIM_FAULT_ERROR_CODE_200)
    {
      reply_error (message, SOUP_STATUS_OK, fault->value, "Er is een fout opgetreden");
      return;
    }

  if (g_strcmp0 (query_get (query, "api_key"), CW_SIM_AUTOFLEX_API_KEY) != 0 ||
      g_strcmp0 (query_get (query, "username"), CW_SIM_AUTOFLEX_USERNAME) != 0 ||
      g_strcmp0 (query_get (query, "password"), CW_SIM_AUTOFLEX_PASSWORD) != 0)
    {
      reply_error (message, SOUP_STATUS_UNAUTHORIZED, 401, "Not authorized");
      return;
    }

  if (fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    lifetime_s = MAX (fault->value, 0);

  token = g_uuid_string_random ();
  expiry = g_new (gint64, 1);
  *expiry = g_get_real_time () + lifetime_s * G_USEC_PER_SEC;
  g_hash_table_insert (state->tokens, g_strdup (token), expiry);

  /* Amsterdam wall-clock time without a zone, as the real API writes it. */
  utc = g_date_time_new_from_unix_utc (*expiry / G_USEC_PER_SEC);
  until = g_date_time_to_timezone (utc, state->zone);
  valid_until = g_date_time_format (until, "%Y%m%dT%H%M%S");
  api_url = cw_sim_server_dup_url (server, CW_SIM_AUTOFLEX_API);

  object = json_object_new ();
  json_object_set_string_member (object, "token", token);
  json_object_set_string_member (object, "api_url", api_url);
  json_object_set_int_member (object, "user_id", USER_ID);
  json_object_set_string_member (object, "environment", "demo");
  json_object_set_string_member (object, "token_valid_until", valid_until);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  cw_sim_reply_json (message, SOUP_STATUS_OK, node);
}

static void
handle_bootstrap (CwSimServer       *server,
                  SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  const CwSimFault  *fault,
                  gpointer           user_data)
{
  const char *resource = path + strlen (CW_SIM_AUTOFLEX_BOOTSTRAP);

  if (g_str_equal (resource, "/authenticate"))
    handle_authenticate (server, user_data, message, query, fault);
  else
    reply_error (message, SOUP_STATUS_NOT_FOUND, 404, "Not found");
}

/*
 * Orders as Autoflex would send them
 */

static void
set_number (JsonObject *object,
            const char *name,
            gint64      value,
            gboolean    as_strings)
{
  if (as_strings)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      json_object_set_string_member (object, name, text);
    }
  else
    json_object_set_int_member (object, name, value);
}

static void
set_text (JsonObject *object,
          const char *name,
          const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_time (Autoflex   *state,
          JsonObject *object,
          const char *name,
          GDateTime  *time)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  if (time == NULL)
    {
      json_object_set_null_member (object, name);
      return;
    }

  local = g_date_time_to_timezone (time, state->zone);
  text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  json_object_set_string_member (object, name, text);
}

/* An id the dataset keeps as text: a number when it is all digits, as Autoflex's are. */
static void
set_id (JsonObject *object,
        const char *name,
        const char *value,
        gboolean    as_strings)
{
  guint64 number;

  if (value != NULL && !as_strings &&
      g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &number, NULL))
    json_object_set_int_member (object, name, (gint64) number);
  else
    set_text (object, name, value);
}

static void
set_price (JsonObject     *object,
           CwIntervention *line,
           gboolean        as_strings)
{
  gint64 cents;

  if (!cw_intervention_get_price (line, &cents))
    {
      json_object_set_null_member (object, "price_excl_vat");
      return;
    }

  if (as_strings)
    {
      guint64 magnitude = cents < 0 ? (guint64) 0 - (guint64) cents : (guint64) cents;
      g_autofree char *text = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", cents < 0 ? "-" : "",
                                               magnitude / 100, (guint) (magnitude % 100));

      json_object_set_string_member (object, "price_excl_vat", text);
    }
  else
    json_object_set_double_member (object, "price_excl_vat", (double) cents / 100.0);
}

/* The plate as an advisor typed it into Autoflex: all three spellings occur. */
static char *
plate_as_typed (const char *plate,
                gint64      order_id)
{
  g_autofree char *dashed = NULL;

  if (plate == NULL)
    return NULL;

  switch (order_id % 3)
    {
    case 0:
      dashed = cw_plate_format (plate);
      return g_ascii_strdown (dashed, -1);
    case 1:
      return g_strdup (plate);
    default:
      return cw_plate_format (plate);
    }
}

static JsonObject *
render_vehicle (CwCar    *car,
                gint64    order_id,
                gboolean  as_strings)
{
  JsonObject *vehicle = json_object_new ();
  g_autofree char *plate = plate_as_typed (cw_car_get_field (car, CW_CAR_PLATE), order_id);

  set_number (vehicle, "vehicle_id", 300000 + order_id, as_strings);
  set_text (vehicle, "license_plate", plate);
  set_text (vehicle, "brand", cw_car_get_field (car, CW_CAR_MAKE));
  set_text (vehicle, "model", cw_car_get_field (car, CW_CAR_MODEL));
  set_text (vehicle, "vin", cw_car_get_field (car, CW_CAR_VIN));
  set_text (vehicle, "engine_number", cw_car_get_field (car, CW_CAR_ENGINE_NUMBER));
  set_text (vehicle, "notes", cw_car_get_field (car, CW_CAR_NOTES));
  set_id (vehicle, "driver_id", cw_car_get_field (car, CW_CAR_DRIVER_ID), as_strings);

  return vehicle;
}

static JsonObject *
render_relation (CwParty  *party,
                 gboolean  as_strings)
{
  JsonObject *relation = json_object_new ();

  set_id (relation, "relation_id", cw_party_get_field (party, CW_PARTY_DMS_ID), as_strings);
  set_text (relation, "company_name", cw_party_get_field (party, CW_PARTY_COMPANY));
  set_text (relation, "title", cw_party_get_field (party, CW_PARTY_TITLE));
  set_text (relation, "last_name", cw_party_get_field (party, CW_PARTY_LAST_NAME));
  set_text (relation, "street", cw_party_get_field (party, CW_PARTY_STREET));
  set_text (relation, "house_number", cw_party_get_field (party, CW_PARTY_HOUSE_NUMBER));
  set_text (relation, "postcode", cw_party_get_field (party, CW_PARTY_POSTCODE));
  set_text (relation, "city", cw_party_get_field (party, CW_PARTY_PLACE));

  return relation;
}

static JsonArray *
render_lines (CwWorkorder *workorder,
              gint64       order_id,
              gboolean     as_strings)
{
  GListModel *interventions = cw_workorder_get_interventions (workorder);
  guint n_items = g_list_model_get_n_items (interventions);
  JsonArray *lines = json_array_new ();

  for (guint i = 0; i < n_items; i++)
    {
      /* Odd orders list their lines backwards; `sequence` keeps Autoflex's order. */
      guint index = order_id % 2 != 0 ? n_items - 1 - i : i;
      g_autoptr(CwIntervention) intervention = g_list_model_get_item (interventions, index);
      JsonObject *line = json_object_new ();

      set_id (line, "line_id", cw_intervention_get_dms_line_id (intervention), as_strings);
      set_number (line, "sequence", (index + 1) * 10, as_strings);
      set_text (line, "description", cw_intervention_get_title (intervention));
      set_price (line, intervention, as_strings);
      json_array_add_object_element (lines, line);
    }

  return lines;
}

static const char *
shop_state_value (CwShopState shop)
{
  switch (shop)
    {
    case CW_SHOP_IN:
      return "in";
    case CW_SHOP_LEFT:
      return "out";
    case CW_SHOP_NOT_ARRIVED:
    default:
      return "expected";
    }
}

static JsonObject *
render_order (Autoflex   *state,
              CwSimOrder *order,
              gboolean    as_strings)
{
  CwWorkorder *workorder = order->workorder;
  CwParty *relation = cw_workorder_get_party (workorder, CW_PARTY_ROLE_CONTRACTOR);
  const char *dms_number = cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER);
  gint64 order_id = g_ascii_strtoll (dms_number, NULL, 10);
  gint64 mileage = cw_workorder_get_dms_mileage (workorder);
  JsonObject *object = json_object_new ();

  set_number (object, "order_id", order_id, as_strings);
  set_text (object, "order_number", cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER));
  set_number (object, "order_type", order->order_type, as_strings);
  set_time (state, object, "order_date", cw_workorder_get_time (workorder, CW_WORKORDER_DMS_CREATED));
  set_time (state, object, "appointment_date", cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT));
  set_time (state, object, "planned_in", cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_IN));
  set_time (state, object, "planned_out", cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_OUT));
  set_number (object, "is_invoiced", order->invoiced ? 1 : 0, as_strings);
  set_text (object, "notes", cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NOTES));
  json_object_set_string_member (object, "workshop_status",
                                 shop_state_value (cw_workorder_get_dms_shop_state (workorder)));
  set_number (object, "is_internal", cw_workorder_get_flag (workorder, CW_WORKORDER_INTERNAL), as_strings);
  if (mileage == CW_MILEAGE_UNKNOWN)
    json_object_set_null_member (object, "mileage");
  else
    set_number (object, "mileage", mileage, as_strings);
  set_number (object, "is_cancelled", cw_workorder_get_flag (workorder, CW_WORKORDER_DMS_CANCELED), as_strings);
  json_object_set_object_member (object, "vehicle",
                                 render_vehicle (cw_workorder_get_car (workorder), order_id, as_strings));
  if (relation != NULL)
    json_object_set_object_member (object, "relation", render_relation (relation, as_strings));
  else
    json_object_set_null_member (object, "relation");
  json_object_set_array_member (object, "lines", render_lines (workorder, order_id, as_strings));

  return object;
}

/* The order as rendered last, unless it was touched since: a page of a large dataset
 * (the import benchmark's 10 000 orders) must not render every order for every page.
 * Shared: the caller must not change it. */
static JsonObject *
lookup_order (Autoflex   *state,
              CwSimOrder *order)
{
  Rendered *rendered = g_hash_table_lookup (state->rendered, order);

  if (rendered == NULL || rendered->revision != order->revision)
    {
      rendered = g_new0 (Rendered, 1);
      rendered->revision = order->revision;
      rendered->object = render_order (state, order, FALSE);
      g_hash_table_replace (state->rendered, order, rendered);
    }

  return rendered->object;
}

/*
 * filter and fields
 */

typedef struct
{
  char *field;
  char *value;
} Condition;

static void
condition_clear (Condition *condition)
{
  g_free (condition->field);
  g_free (condition->value);
}

/* "a[eq]:1,b[eq]:2" → conditions; FALSE with @problem for anything else. */
static GArray *
parse_filter (const char  *filter,
              const char **problem)
{
  g_autoptr(GArray) conditions = g_array_new (FALSE, TRUE, sizeof (Condition));
  g_auto(GStrv) parts = NULL;

  g_array_set_clear_func (conditions, (GDestroyNotify) condition_clear);
  if (filter == NULL || *filter == '\0')
    return g_steal_pointer (&conditions);

  parts = g_strsplit (filter, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *open = strchr (parts[i], '[');
      const char *close = open != NULL ? strstr (open, "]:") : NULL;
      Condition condition;

      if (open == NULL || close == NULL || open == parts[i])
        {
          *problem = "Invalid filter";
          return NULL;
        }
      if (close - open - 1 != 2 || strncmp (open + 1, "eq", 2) != 0)
        {
          *problem = "Unknown filter operator";
          return NULL;
        }

      condition.field = g_strndup (parts[i], open - parts[i]);
      condition.value = g_strdup (close + 2);
      g_array_append_val (conditions, condition);
    }

  return g_steal_pointer (&conditions);
}

static gboolean
member_matches (JsonObject *order,
                Condition  *condition)
{
  JsonNode *node = json_object_get_member (order, condition->field);
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (node));
  else
    return FALSE;

  /* A date against a date-time field: that whole day. */
  if (g_str_has_suffix (condition->field, "_date") && strlen (condition->value) == 10 &&
      strlen (text) >= 10)
    return strncmp (text, condition->value, 10) == 0;

  return g_str_equal (text, condition->value);
}

static void
members_free (GHashTable *members)
{
  if (members != NULL)
    g_hash_table_unref (members);
}

/* fields "a,b.c,b.d" → { a: NULL (whole), b: { c, d } }. */
static GHashTable *
parse_fields (const char *fields)
{
  g_autoptr(GHashTable) spec = NULL;
  g_auto(GStrv) names = NULL;

  if (fields == NULL || *fields == '\0')
    return NULL;

  spec = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) members_free);
  names = g_strsplit (fields, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_strstrip (names[i]);
      char *dot = strchr (name, '.');
      GHashTable *members = NULL;

      if (*name == '\0')
        continue;

      if (dot == NULL)
        {
          /* The whole member, even if parts of it were named before. */
          g_hash_table_replace (spec, g_strdup (name), NULL);
          continue;
        }

      *dot = '\0';
      if (g_hash_table_lookup_extended (spec, name, NULL, (gpointer *) &members) && members == NULL)
        continue;
      if (members == NULL)
        {
          members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (spec, g_strdup (name), members);
        }
      g_hash_table_add (members, g_strdup (dot + 1));
    }

  return g_steal_pointer (&spec);
}

static JsonObject *
project_object (JsonObject *object,
                GHashTable *spec);

static JsonNode *
project_node (JsonNode   *node,
              GHashTable *members)
{
  JsonNode *projected;

  if (members == NULL)
    return json_node_copy (node);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(JsonObject) object = project_object (json_node_get_object (node), members);

      projected = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (projected, object);
      return projected;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) result = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (result, project_node (json_array_get_element (array, i), members));

      projected = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (projected, result);
      return projected;
    }

  return json_node_copy (node);
}

/* A copy of @object with only the members @spec names (a member's value: NULL for the
 * whole member, or a set of its own members). */
static JsonObject *
project_object (JsonObject *object,
                GHashTable *spec)
{
  JsonObject *projected = json_object_new ();
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    {
      GHashTable *members = NULL;

      if (g_hash_table_lookup_extended (spec, l->data, NULL, (gpointer *) &members))
        json_object_set_member (projected, l->data,
                                project_node (json_object_get_member (object, l->data), members));
    }

  return projected;
}

static void
drop_fields (JsonObject *row,
             guint       index)
{
  if (index % 12 == 0)
    json_object_remove_member (row, "appointment_date");
  else if (index % 12 == 6)
    json_object_remove_member (row, "order_number");
  else if (index % 6 == 3)
    {
      json_object_remove_member (row, "vehicle");
      json_object_remove_member (row, "relation");
      json_object_remove_member (row, "notes");
      json_object_remove_member (row, "mileage");
    }
}

/*
 * GET {api_url}/order
 */

static gboolean
check_token (Autoflex          *state,
             SoupServerMessage *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *token = soup_message_headers_get_one (headers, "token");
  const char *api_key = soup_message_headers_get_one (headers, "apikey");
  gint64 *expiry = token != NULL ? g_hash_table_lookup (state->tokens, token) : NULL;

  if (g_strcmp0 (api_key, CW_SIM_AUTOFLEX_API_KEY) != 0)
    return FALSE;

  if (expiry == NULL)
    return FALSE;

  if (*expiry <= g_get_real_time ())
    {
      g_hash_table_remove (state->tokens, token);
      return FALSE;
    }

  return TRUE;
}

/* The Autoflex orders that meet @conditions, in the dataset's order; %NULL if a condition
 * names a field an order does not have. */
static GPtrArray *
find_matching (Autoflex     *state,
               CwSimDataset *dataset,
               const char   *filter,
               GArray       *conditions)
{
  g_autoptr(GPtrArray) matching = NULL;

  if (state->last_matching != NULL &&
      state->last_generation == cw_sim_dataset_get_generation (dataset) &&
      g_strcmp0 (state->last_filter, filter) == 0)
    return g_ptr_array_ref (state->last_matching);

  matching = g_ptr_array_new ();
  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);
      JsonObject *plain;
      gboolean matches = TRUE;

      if (order->dms != CW_SIM_DMS_AUTOFLEX)
        continue;

      plain = lookup_order (state, order);
      for (guint c = 0; c < conditions->len && matches; c++)
        {
          Condition *condition = &g_array_index (conditions, Condition, c);

          if (!json_object_has_member (plain, condition->field))
            return NULL;
          matches = member_matches (plain, condition);
        }

      if (matches)
        g_ptr_array_add (matching, order);
    }

  g_clear_pointer (&state->last_matching, g_ptr_array_unref);
  g_free (state->last_filter);
  state->last_matching = g_ptr_array_ref (matching);
  state->last_filter = g_strdup (filter);
  state->last_generation = cw_sim_dataset_get_generation (dataset);

  return g_steal_pointer (&matching);
}

static void
handle_orders (CwSimServer       *server,
               Autoflex          *state,
               SoupServerMessage *message,
               GHashTable        *query,
               const CwSimFault  *fault)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (server);
  const char *page_text = query_get (query, "page");
  g_autoptr(GArray) conditions = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GPtrArray) matching = NULL;
  g_autoptr(JsonArray) data = NULL;
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *problem = NULL;
  gboolean as_strings = fault->kind == CW_SIM_FAULT_NUMBERS_AS_STRINGS;
  guint64 page = 1;
  guint first;

  if (page_text != NULL && !g_ascii_string_to_unsigned (page_text, 10, 1, G_MAXUINT32, &page, NULL))
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 400, "Invalid page");
      return;
    }

  conditions = parse_filter (query_get (query, "filter"), &problem);
  if (conditions == NULL)
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 400, problem);
      return;
    }
  fields = parse_fields (query_get (query, "fields"));

  matching = find_matching (state, dataset, query_get (query, "filter"), conditions);
  if (matching == NULL)
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 400, "Unknown filter field");
      return;
    }

  data = json_array_new ();
  first = (guint) MIN ((page - 1) * PAGE_SIZE, matching->len);
  for (guint i = first; i < matching->len && i < first + PAGE_SIZE; i++)
    {
      CwSimOrder *order = g_ptr_array_index (matching, i);
      gboolean changes = fault->kind == CW_SIM_FAULT_MISSING_FIELDS;
      g_autoptr(JsonObject) row = NULL;
      JsonObject *projected;

      /* The shared rendering is only ever read; a row to be changed is a new one. */
      if (as_strings || (changes && fields == NULL))
        row = render_order (state, order, as_strings);
      else
        row = json_object_ref (lookup_order (state, order));
      projected = fields != NULL ? project_object (row, fields) : json_object_ref (row);

      if (changes)
        drop_fields (projected, i - first);
      json_array_add_object_element (data, projected);
    }

  envelope = json_object_new ();
  json_object_set_array_member (envelope, "data", g_steal_pointer (&data));
  json_object_set_boolean_member (envelope, "nextpage", first + PAGE_SIZE < matching->len);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, envelope);
  cw_sim_reply_json (message, SOUP_STATUS_OK, node);
}

/* GET {api_url}/util/list?list=ordertypes, exactly as documented. */
static void
handle_list (SoupServerMessage *message,
             GHashTable        *query)
{
  g_autoptr(JsonObject) types = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (g_strcmp0 (query_get (query, "list"), "ordertypes") != 0)
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, 400, "Unknown list");
      return;
    }

  types = json_object_new ();
  json_object_set_int_member (types, "WORKSHOP", 1);
  json_object_set_int_member (types, "VEHICLE_SALES", 2);
  json_object_set_int_member (types, "VEHICLE_PURCHASE", 3);
  json_object_set_int_member (types, "INTERNAL_REVERSAL", 4);
  json_object_set_int_member (types, "BPM", 5);
  object = json_object_new ();
  json_object_set_object_member (object, "ordertypes", g_steal_pointer (&types));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  cw_sim_reply_json (message, SOUP_STATUS_OK, node);
}

static void
handle_api (CwSimServer       *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            const CwSimFault  *fault,
            gpointer           user_data)
{
  Autoflex *state = user_data;
  const char *resource = path + strlen (CW_SIM_AUTOFLEX_API);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  if (fault->kind == CW_SIM_FAULT_THROTTLE_202)
    {
      reply_retry (message, fault->value);
      return;
    }

  if (!check_token (state, message))
    {
      reply_error (message, SOUP_STATUS_UNAUTHORIZED, 401, "Not authorized");
      return;
    }

  if (fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    {
      g_hash_table_remove (state->tokens, soup_message_headers_get_one (headers, "token"));
      reply_error (message, fault->value == 1 ? SOUP_STATUS_OK : SOUP_STATUS_UNAUTHORIZED,
                   401, "Not authorized");
      return;
    }

  if (fault->kind == CW_SIM_FAULT_ERROR_CODE_200)
    {
      reply_error (message, SOUP_STATUS_OK, fault->value, "Er is een fout opgetreden in de webservice");
      return;
    }

  if (g_str_equal (resource, "/order"))
    handle_orders (server, state, message, query, fault);
  else if (g_str_equal (resource, "/util/list"))
    handle_list (message, query);
  else
    reply_error (message, SOUP_STATUS_NOT_FOUND, 404, "Not found");
}

/**
 * cw_sim_autoflex_install:
 * @server: the simulator
 *
 * Serves the Autoflex orders of the dataset under %CW_SIM_AUTOFLEX_BOOTSTRAP (login) and
 * %CW_SIM_AUTOFLEX_API (data).
 */
void
cw_sim_autoflex_install (CwSimServer *server)
{
  Autoflex *state = g_new0 (Autoflex, 1);

  state->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->rendered = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) rendered_free);
  state->zone = g_time_zone_new_identifier ("Europe/Amsterdam");
  if (state->zone == NULL)
    state->zone = g_time_zone_new_local ();

  g_object_set_data_full (G_OBJECT (server), "cw-sim-autoflex", state, (GDestroyNotify) autoflex_free);

  cw_sim_server_add_handler (server, CW_SIM_AUTOFLEX_BOOTSTRAP, handle_bootstrap, state);
  cw_sim_server_add_handler (server, CW_SIM_AUTOFLEX_API, handle_api, state);
}
