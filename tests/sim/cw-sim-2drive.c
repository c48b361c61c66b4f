/* cw-sim-2drive.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-sim-2drive"

#include "config.h"

#include <string.h>

#include "cw-plate.h"
#include "cw-sim-server.h"

/*
 * The 2Drive API as the simulator speaks it: an Auth0-style OAuth2 client-credentials
 * token endpoint and an Azure Data-API-Builder REST API whose stored-procedure entities take
 * their parameters in the query string and answer {"value": [...]}. Only the token flow,
 * the envelope, the two entity names and a few field names are public (reference/dms-apis.md
 * §2); the rows below are our interpretation, documented field by field in
 * docs/connectors/2drive.md, and the connector reads exactly what this module writes.
 *
 * The rows are written as JSON text by hand rather than through json-glib, because a
 * Data-API-Builder over SQL decimals sends "Price": 189.50 with the digits it stores, and
 * json-glib would print the double 49.95 as 49.950000000000003. The lines are written in
 * descending RegelNummer order on purpose, so that the client has to sort them.
 *
 * Faults of this module (the server applies the generic ones):
 * - %CW_SIM_FAULT_TOKEN_EXPIRED on the token endpoint: the token issued lives `value`
 *   seconds (expires_in), so tests can check renewal without waiting an hour;
 * - %CW_SIM_FAULT_TOKEN_EXPIRED on the API: the bearer token of the request is dropped as
 *   if it had expired and the request gets 401, so the client must fetch a new token;
 * - %CW_SIM_FAULT_MISSING_FIELDS: the optional fields are left out (value 1: the required
 *   ones too, "WONUMMER" of a workorder and "Soort" of a line);
 * - %CW_SIM_FAULT_NUMBERS_AS_STRINGS: every number is sent as a string ("189.50").
 */

#define TOKEN_LIFETIME_S 3600

#define ENTITY_WORKORDERS "/GetAftersalesForAffiliateExtended"
#define ENTITY_LINES      "/GetAftersalesPartsForAffiliateExtended"

/* The dealer's company as it appears on the lines (seen in public code as CompanyName). */
#define COMPANY_NAME "Autobedrijf Van Gils B.V."

typedef struct
{
  /* access token → expiry, monotonic microseconds (gint64 *). */
  GHashTable *tokens;
} TwoDrive;

static void
two_drive_free (TwoDrive *state)
{
  g_clear_pointer (&state->tokens, g_hash_table_unref);
  g_free (state);
}

/* ------------------------------------------------------------------------------------- */
/* Writing JSON text                                                                     */
/* ------------------------------------------------------------------------------------- */

typedef struct
{
  GString  *text;
  gboolean  first;
  gboolean  numbers_as_strings;
} Row;

static void
row_begin (Row      *row,
           GString  *text,
           gboolean  numbers_as_strings)
{
  row->text = text;
  row->first = TRUE;
  row->numbers_as_strings = numbers_as_strings;
  g_string_append_c (text, '{');
}

static void
row_end (Row *row)
{
  g_string_append_c (row->text, '}');
}

static void
append_json_string (GString    *text,
                    const char *value)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), value);
  g_autofree char *quoted = json_to_string (node, FALSE);

  g_string_append (text, quoted);
}

static void
row_name (Row        *row,
          const char *name)
{
  if (!row->first)
    g_string_append_c (row->text, ',');
  row->first = FALSE;
  append_json_string (row->text, name);
  g_string_append_c (row->text, ':');
}

/* A string, or null for %NULL. */
static void
row_text (Row        *row,
          const char *name,
          const char *value)
{
  row_name (row, name);
  if (value != NULL)
    append_json_string (row->text, value);
  else
    g_string_append (row->text, "null");
}

/* A number given as its JSON text, or null for %NULL; quoted under NUMBERS_AS_STRINGS. */
static void
row_number (Row        *row,
            const char *name,
            const char *digits)
{
  row_name (row, name);
  if (digits == NULL)
    g_string_append (row->text, "null");
  else if (row->numbers_as_strings)
    g_string_append_printf (row->text, "\"%s\"", digits);
  else
    g_string_append (row->text, digits);
}

static void
reply_rows (SoupServerMessage *message,
            GString           *rows)
{
  g_autofree char *body = g_strdup_printf ("{\"value\":[%s]}", rows->str);

  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", body);
}

static void
reply_error (SoupServerMessage *message,
             guint              status,
             const char        *code,
             const char        *text)
{
  g_autoptr(GString) body = g_string_new ("{\"error\":{\"code\":");

  /* Data API Builder's error envelope. */
  append_json_string (body, code);
  g_string_append (body, ",\"message\":");
  append_json_string (body, text);
  g_string_append_printf (body, ",\"status\":%u}}", status);
  cw_sim_reply_text (message, status, "application/json", body->str);
}

/* ------------------------------------------------------------------------------------- */
/* The rows                                                                              */
/* ------------------------------------------------------------------------------------- */

static void
append_order_row (GString          *rows,
                  CwSimOrder       *order,
                  const CwSimFault *fault)
{
  CwWorkorder *workorder = order->workorder;
  CwCar *car = cw_workorder_get_car (workorder);
  CwParty *owner = cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER);
  GDateTime *appointment = cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT);
  const char *wo_number = cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER);
  gboolean numbers_as_strings = fault->kind == CW_SIM_FAULT_NUMBERS_AS_STRINGS;
  gboolean missing = fault->kind == CW_SIM_FAULT_MISSING_FIELDS;
  gboolean missing_required = missing && fault->value == 1;
  g_autofree char *plate = NULL;
  g_autofree char *when = NULL;
  g_autofree char *km = NULL;
  Row row;

  if (cw_car_get_field (car, CW_CAR_PLATE) != NULL)
    {
      plate = cw_car_dup_plate_display (car);
      /* As a clerk types it: some in lower case ("ab-123-c"), by the WO number's last digit. */
      if (wo_number != NULL && *wo_number != '\0' &&
          strchr ("02468", wo_number[strlen (wo_number) - 1]) != NULL)
        {
          char *lower = g_ascii_strdown (plate, -1);

          g_free (plate);
          plate = lower;
        }
    }

  if (appointment != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (appointment);

      /* Local time without a zone, as SQL Server's datetime2 comes out of DAB. */
      when = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
    }

  if (cw_workorder_get_dms_mileage (workorder) != CW_MILEAGE_UNKNOWN)
    km = g_strdup_printf ("%" G_GINT64_FORMAT, cw_workorder_get_dms_mileage (workorder));

  if (rows->len > 0)
    g_string_append_c (rows, ',');
  row_begin (&row, rows, numbers_as_strings);

  if (!missing_required)
    row_text (&row, "WONUMMER", wo_number);
  if (!missing)
    {
      row_text (&row, "DMSNUMMER", cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER));
      row_number (&row, "AffiliateId", CW_SIM_2DRIVE_AFFILIATE);
      row_text (&row, "AfspraakDatum", when);
      row_number (&row, "KmStand", km);
    }
  row_text (&row, "Merk", cw_car_get_field (car, CW_CAR_MAKE));
  if (!missing)
    row_text (&row, "Model", cw_car_get_field (car, CW_CAR_MODEL));
  row_text (&row, "Kenteken", plate);
  row_text (&row, "Achternaam", owner ? cw_party_get_field (owner, CW_PARTY_LAST_NAME) : NULL);
  if (!missing)
    {
      row_text (&row, "TelefoonZakelijk", owner ? cw_party_get_field (owner, CW_PARTY_BUSINESS_PHONE) : NULL);
      row_text (&row, "EmailZakelijk", owner ? cw_party_get_field (owner, CW_PARTY_BUSINESS_EMAIL) : NULL);
      row_text (&row, "InvoicedDate", order->invoiced ? "2025-10-02T00:00:00" : NULL);
    }

  row_end (&row);
}

static const char *
element_kind_to_soort (CwElementKind kind)
{
  switch (kind)
    {
    case CW_ELEMENT_KIND_LABOUR:
      return "Arbeid";
    case CW_ELEMENT_KIND_PART:
      return "Onderdeel";
    case CW_ELEMENT_KIND_UNSPECIFIED:
    case CW_ELEMENT_KIND_MENU:
    case CW_ELEMENT_KIND_NOTE:
    default:
      return "Tekst";
    }
}

static void
append_line_rows (GString          *rows,
                  CwSimOrder       *order,
                  const CwSimFault *fault)
{
  GListModel *lines = cw_workorder_get_interventions (order->workorder);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  gboolean numbers_as_strings = fault->kind == CW_SIM_FAULT_NUMBERS_AS_STRINGS;
  gboolean missing = fault->kind == CW_SIM_FAULT_MISSING_FIELDS;
  gboolean missing_required = missing && fault->value == 1;
  guint n_lines = g_list_model_get_n_items (lines);

  /* Last line first: the order is RegelNummer's, not the answer's. */
  for (guint i = n_lines; i-- > 0;)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);
      const char * const *codes = cw_intervention_get_part_codes (line);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      g_autofree char *price = NULL;
      gint64 cents;
      Row row;

      if (cw_intervention_get_price (line, &cents))
        price = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", cents < 0 ? "-" : "",
                                 ABS (cents) / 100, (int) (ABS (cents) % 100));

      if (rows->len > 0)
        g_string_append_c (rows, ',');
      row_begin (&row, rows, numbers_as_strings);

      if (!missing)
        row_text (&row, "WONUMMER", wo_number);
      row_number (&row, "RegelNummer", number);
      row_text (&row, "Omschrijving", cw_intervention_get_title (line));
      if (!missing_required)
        row_text (&row, "Soort", element_kind_to_soort (cw_intervention_get_element_kind (line)));
      if (!missing)
        {
          row_text (&row, "PartNumber", codes != NULL ? codes[0] : NULL);
          row_number (&row, "Price", price);
          row_text (&row, "CompanyName", COMPANY_NAME);
          row_number (&row, "AffiliateId", CW_SIM_2DRIVE_AFFILIATE);
        }

      row_end (&row);
    }
}

/* ------------------------------------------------------------------------------------- */
/* The token endpoint                                                                    */
/* ------------------------------------------------------------------------------------- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
reply_auth0_error (SoupServerMessage *message,
                   guint              status,
                   const char        *code,
                   const char        *description)
{
  g_autoptr(GString) body = g_string_new ("{\"error\":");

  append_json_string (body, code);
  g_string_append (body, ",\"error_description\":");
  append_json_string (body, description);
  g_string_append_c (body, '}');
  cw_sim_reply_text (message, status, "application/json", body->str);
}

static void
handle_token (CwSimServer       *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              const CwSimFault  *fault,
              gpointer           user_data)
{
  TwoDrive *state = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  JsonNode *root;
  JsonObject *request;
  gint64 *expiry;
  int lifetime = TOKEN_LIFETIME_S;
  const char *data;
  gsize length;

  if (!g_str_equal (soup_server_message_get_method (message), "POST"))
    {
      reply_auth0_error (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                         "Use POST");
      return;
    }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (message));
  data = g_bytes_get_data (bytes, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reply_auth0_error (message, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "Missing required parameter: grant_type");
      return;
    }

  request = json_node_get_object (root);
  if (g_strcmp0 (member_string (request, "grant_type"), "client_credentials") != 0)
    {
      reply_auth0_error (message, SOUP_STATUS_FORBIDDEN, "unsupported_grant_type",
                         "Unsupported grant type");
      return;
    }

  if (g_strcmp0 (member_string (request, "client_id"), CW_SIM_2DRIVE_CLIENT_ID) != 0 ||
      g_strcmp0 (member_string (request, "client_secret"), CW_SIM_2DRIVE_SECRET) != 0 ||
      g_strcmp0 (member_string (request, "audience"), CW_SIM_2DRIVE_AUDIENCE) != 0)
    {
      reply_auth0_error (message, SOUP_STATUS_UNAUTHORIZED, "access_denied", "Unauthorized");
      return;
    }

  if (fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    lifetime = MAX (fault->value, 0);

  token = g_strdup_printf ("sim2d.%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());
  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (state->tokens, g_strdup (token), expiry);

  body = g_strdup_printf ("{\"access_token\":\"%s\",\"expires_in\":%d,\"token_type\":\"Bearer\"}",
                          token, lifetime);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", body);
}

/* ------------------------------------------------------------------------------------- */
/* The API                                                                               */
/* ------------------------------------------------------------------------------------- */

/* Returns the request's bearer token when it is one the simulator issued and still valid. */
static const char *
valid_token (TwoDrive          *state,
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
reply_unauthorized (SoupServerMessage *message)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "WWW-Authenticate",
                                "Bearer error=\"invalid_token\", error_description=\"The token expired\"");
  cw_sim_reply_text (message, SOUP_STATUS_UNAUTHORIZED, "application/json", "");
}

static void
handle_api (CwSimServer       *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            const CwSimFault  *fault,
            gpointer           user_data)
{
  TwoDrive *state = user_data;
  CwSimDataset *dataset = cw_sim_server_get_dataset (server);
  const char *entity = path + strlen (CW_SIM_2DRIVE_API);
  const char *affiliate = g_hash_table_lookup (query, "AffiliateId");
  const char *wo_number = g_hash_table_lookup (query, "WONUMMER");
  const char *plate = g_hash_table_lookup (query, "KENTEKEN");
  g_autoptr(GPtrArray) orders = g_ptr_array_new ();
  g_autoptr(GString) rows = g_string_new (NULL);
  const char *token;
  gboolean lines;

  token = valid_token (state, message);
  if (token == NULL)
    {
      reply_unauthorized (message);
      return;
    }

  if (fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    {
      /* As if its validity had just ended: this token is never accepted again. */
      g_hash_table_remove (state->tokens, token);
      reply_unauthorized (message);
      return;
    }

  if (g_str_equal (entity, ENTITY_WORKORDERS))
    lines = FALSE;
  else if (g_str_equal (entity, ENTITY_LINES))
    lines = TRUE;
  else
    {
      reply_error (message, SOUP_STATUS_NOT_FOUND, "EntityNotFound",
                   "The requested entity was not found.");
      return;
    }

  if (!g_str_equal (soup_server_message_get_method (message), "GET"))
    {
      reply_error (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "BadRequest",
                   "This entity only supports GET.");
      return;
    }

  if (affiliate == NULL)
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, "BadRequest",
                   "Procedure expects parameter '@AffiliateId', which was not supplied.");
      return;
    }

  /* Another branch of the dealer (or none) sees nothing of this one. */
  if (g_str_equal (affiliate, CW_SIM_2DRIVE_AFFILIATE))
    {
      if (wo_number != NULL)
        {
          CwSimOrder *order = cw_sim_dataset_find_wo_number (dataset, CW_SIM_DMS_2DRIVE, wo_number);
          g_autoptr(GPtrArray) of_car = NULL;

          /* Both parameters: both must match, as a SQL WHERE would have it. */
          if (order != NULL && plate != NULL)
            {
              of_car = cw_sim_dataset_find_plate (dataset, CW_SIM_DMS_2DRIVE, plate);
              if (!g_ptr_array_find (of_car, order, NULL))
                order = NULL;
            }

          if (order != NULL)
            g_ptr_array_add (orders, order);
        }
      else if (plate != NULL)
        {
          g_autoptr(GPtrArray) found = cw_sim_dataset_find_plate (dataset, CW_SIM_DMS_2DRIVE, plate);

          g_ptr_array_extend (orders, found, NULL, NULL);
        }
      else
        {
          /* As in the public scripts: the whole branch. */
          for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
            {
              CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

              if (order->dms == CW_SIM_DMS_2DRIVE)
                g_ptr_array_add (orders, order);
            }
        }
    }

  for (guint i = 0; i < orders->len; i++)
    {
      if (lines)
        append_line_rows (rows, g_ptr_array_index (orders, i), fault);
      else
        append_order_row (rows, g_ptr_array_index (orders, i), fault);
    }

  reply_rows (message, rows);
}

/**
 * cw_sim_2drive_install:
 * @server: the simulator
 *
 * Serves the dataset's 2Drive orders at %CW_SIM_2DRIVE_TOKEN and %CW_SIM_2DRIVE_API.
 */
void
cw_sim_2drive_install (CwSimServer *server)
{
  TwoDrive *state = g_new0 (TwoDrive, 1);

  state->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_object_set_data_full (G_OBJECT (server), "cw-sim-2drive", state, (GDestroyNotify) two_drive_free);

  cw_sim_server_add_handler (server, CW_SIM_2DRIVE_TOKEN, handle_token, state);
  cw_sim_server_add_handler (server, CW_SIM_2DRIVE_API, handle_api, state);
}
