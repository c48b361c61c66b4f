/* cw-sim-incadea.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-sim-incadea"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cw-plate.h"
#include "cw-sim-server.h"

/*
 * The Incadea API as the simulator speaks it. Incadea publishes no API: this is our
 * interpretation, documented field by field in docs/connectors/incadea.md, and the
 * connector reads exactly what this module writes. It uses its own literal names rather
 * than the connector's constants, so that a typo on one side is a failing test.
 *
 * - POST /oauth/token {"grant_type": "password", "username", "password"} gives a bearer
 *   token (OAuth2 errors: 400 invalid_grant);
 * - GET /workorders?workorderNo=… | ?licensePlate=… | ?appointmentFrom=…&appointmentTo=…
 *   [&page=…&pageSize=…] answers {"value": [...], "nextPage": n|null};
 * - GET /workorders/{id} answers one workorder;
 * - POST /workorders/{id}/mileage {"mileageKm": n, "previousMileageKm": n} with an
 *   Idempotency-Key header records a higher mileage once per key, through the server's
 *   writeback ledger; a reading that is not higher is refused with 422 and not recorded.
 * Errors are {"error": {"code", "message"}}.
 *
 * The workorders are written as JSON text by hand, so that prices keep their two decimals
 * (189.50) as a decimal column would; the lines are sent in descending lineNo order, so the
 * client has to sort them; plates come dashed; a date Incadea does not have is NAV's
 * 0001-01-01.
 *
 * Faults of this module (the server applies the generic ones):
 * - %CW_SIM_FAULT_TOKEN_EXPIRED on the token endpoint: the token lives `value` seconds; on
 *   the API: the request's token is dropped as if it had expired, and 401 returned;
 * - %CW_SIM_FAULT_MISSING_FIELDS: the optional fields are left out (value 1: the
 *   workorder's "id" too);
 * - %CW_SIM_FAULT_NUMBERS_AS_STRINGS: every number and flag is sent as a string.
 */

#define TOKEN_LIFETIME_S   3600
#define DEFAULT_PAGE_SIZE  50
#define MAX_PAGE_SIZE      100

typedef struct
{
  /* access token → expiry, monotonic microseconds (gint64 *). */
  GHashTable *tokens;
} Incadea;

static void
incadea_free (Incadea *state)
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
  gboolean  as_strings;
} Writer;

/* A comma before a member or an element, unless it is the first one. */
static void
separate (Writer *w)
{
  char last = w->text->len > 0 ? w->text->str[w->text->len - 1] : '\0';

  if (last != '\0' && last != '{' && last != '[' && last != ':')
    g_string_append_c (w->text, ',');
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
w_begin (Writer     *w,
         const char *name,
         char        bracket)
{
  separate (w);
  if (name != NULL)
    {
      append_json_string (w->text, name);
      g_string_append_c (w->text, ':');
    }
  g_string_append_c (w->text, bracket);
}

static void
w_end (Writer *w,
       char    bracket)
{
  g_string_append_c (w->text, bracket);
}

static void
w_name (Writer     *w,
        const char *name)
{
  separate (w);
  append_json_string (w->text, name);
  g_string_append_c (w->text, ':');
}

/* A string, or null for %NULL. */
static void
w_text (Writer     *w,
        const char *name,
        const char *value)
{
  w_name (w, name);
  if (value != NULL)
    append_json_string (w->text, value);
  else
    g_string_append (w->text, "null");
}

/* A number given as its JSON text; quoted when numbers are sent as strings. */
static void
w_number (Writer     *w,
          const char *name,
          const char *digits)
{
  w_name (w, name);
  if (digits == NULL)
    g_string_append (w->text, "null");
  else if (w->as_strings)
    g_string_append_printf (w->text, "\"%s\"", digits);
  else
    g_string_append (w->text, digits);
}

static void
w_int (Writer     *w,
       const char *name,
       gint64      value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  w_number (w, name, digits);
}

static void
w_flag (Writer     *w,
        const char *name,
        gboolean    value)
{
  w_name (w, name);
  if (w->as_strings)
    g_string_append (w->text, value ? "\"true\"" : "\"false\"");
  else
    g_string_append (w->text, value ? "true" : "false");
}

static void
w_time (Writer     *w,
        const char *name,
        GDateTime  *at)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  if (at != NULL)
    {
      local = g_date_time_to_local (at);
      text = g_date_time_format_iso8601 (local);
    }
  w_text (w, name, text);
}

/* A calendar date; one Incadea does not have is Dynamics NAV's empty date. */
static void
w_date (Writer      *w,
        const char  *name,
        const GDate *date)
{
  g_autofree char *text = NULL;

  if (date != NULL && g_date_valid (date))
    text = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                            g_date_get_day (date));
  w_text (w, name, text != NULL ? text : "0001-01-01");
}

/* ------------------------------------------------------------------------------------- */
/* The workorders                                                                        */
/* ------------------------------------------------------------------------------------- */

static const char *
shop_status (CwShopState shop)
{
  switch (shop)
    {
    case CW_SHOP_IN:
      return "inShop";
    case CW_SHOP_LEFT:
      return "left";
    case CW_SHOP_NOT_ARRIVED:
    default:
      return "notArrived";
    }
}

static const char *
line_type (CwElementKind kind)
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

static void
write_party (Writer     *w,
             const char *name,
             CwParty    *party,
             gboolean    missing)
{
  g_autofree char *address = NULL;
  const char *street, *number;

  if (party == NULL)
    {
      w_text (w, name, NULL);
      return;
    }

  /* Incadea keeps the street and the house number in one address line, as NAV does. */
  street = cw_party_get_field (party, CW_PARTY_STREET);
  number = cw_party_get_field (party, CW_PARTY_HOUSE_NUMBER);
  if (street != NULL)
    address = number != NULL ? g_strconcat (street, " ", number, NULL) : g_strdup (street);

  w_begin (w, name, '{');
  if (!missing)
    w_text (w, "id", cw_party_get_field (party, CW_PARTY_DMS_ID));
  if (!missing)
    w_text (w, "companyName", cw_party_get_field (party, CW_PARTY_COMPANY));
  if (!missing)
    w_text (w, "firstName", cw_party_get_field (party, CW_PARTY_FIRST_NAME));
  w_text (w, "lastName", cw_party_get_field (party, CW_PARTY_LAST_NAME));
  if (!missing)
    {
      w_text (w, "address", address);
      w_text (w, "postCode", cw_party_get_field (party, CW_PARTY_POSTCODE));
      w_text (w, "city", cw_party_get_field (party, CW_PARTY_PLACE));
      w_text (w, "privateEmail", cw_party_get_field (party, CW_PARTY_PRIVATE_EMAIL));
      w_text (w, "privatePhone", cw_party_get_field (party, CW_PARTY_PRIVATE_PHONE));
      w_text (w, "privateMobile", cw_party_get_field (party, CW_PARTY_PRIVATE_MOBILE));
      w_text (w, "businessEmail", cw_party_get_field (party, CW_PARTY_BUSINESS_EMAIL));
      w_text (w, "businessPhone", cw_party_get_field (party, CW_PARTY_BUSINESS_PHONE));
      w_text (w, "businessMobile", cw_party_get_field (party, CW_PARTY_BUSINESS_MOBILE));
      w_flag (w, "isLeaseCompany", cw_party_get_lease_company (party));
    }
  w_end (w, '}');
}

static void
write_lines (Writer     *w,
             CwSimOrder *order,
             gboolean    missing)
{
  GListModel *lines = cw_workorder_get_interventions (order->workorder);
  guint n_lines = g_list_model_get_n_items (lines);

  w_begin (w, "lines", '[');
  /* Last line first: the order is lineNo's, not the answer's. */
  for (guint i = n_lines; i-- > 0;)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);
      const char * const *codes = cw_intervention_get_part_codes (line);
      g_autofree char *price = NULL;
      gint64 cents;

      if (cw_intervention_get_price (line, &cents))
        price = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", cents < 0 ? "-" : "",
                                 ABS (cents) / 100, (int) (ABS (cents) % 100));

      w_begin (w, NULL, '{');
      w_int (w, "lineNo", (gint64) (i + 1) * 10000);
      w_text (w, "title", cw_intervention_get_title (line));
      if (!missing)
        {
          w_text (w, "type", line_type (cw_intervention_get_element_kind (line)));
          w_text (w, "description", cw_intervention_get_description (line));
          w_text (w, "itemNo", codes != NULL ? codes[0] : NULL);
          w_number (w, "price", price);
          w_text (w, "currencyCode", price != NULL ? cw_intervention_get_currency (line) : NULL);
        }
      w_end (w, '}');
    }
  w_end (w, ']');
}

static void
write_order (Writer           *w,
             CwSimOrder       *order,
             const CwSimFault *fault)
{
  CwWorkorder *workorder = order->workorder;
  CwCar *car = cw_workorder_get_car (workorder);
  gboolean missing = fault->kind == CW_SIM_FAULT_MISSING_FIELDS;
  gboolean missing_required = missing && fault->value == 1;
  g_autofree char *plate = cw_car_dup_plate_display (car);
  gint64 km = cw_workorder_get_dms_mileage (workorder);

  w_begin (w, NULL, '{');
  if (!missing_required)
    w_text (w, "id", cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER));
  w_text (w, "workorderNo", cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER));
  if (!missing)
    {
      w_time (w, "appointmentAt", cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT));
      w_time (w, "createdAt", cw_workorder_get_time (workorder, CW_WORKORDER_DMS_CREATED));
      w_time (w, "scheduledInAt", cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_IN));
      w_time (w, "scheduledOutAt", cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_OUT));
      w_flag (w, "customerWaiting", cw_workorder_get_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING));
      w_text (w, "shopStatus", shop_status (cw_workorder_get_dms_shop_state (workorder)));
      if (km != CW_MILEAGE_UNKNOWN)
        w_int (w, "mileageKm", km);
      else
        w_text (w, "mileageKm", NULL);
      w_flag (w, "canceled", cw_workorder_get_flag (workorder, CW_WORKORDER_DMS_CANCELED));
    }

  w_begin (w, "vehicle", '{');
  w_text (w, "make", cw_car_get_field (car, CW_CAR_MAKE));
  w_text (w, "licensePlate", plate);
  if (!missing)
    {
      w_text (w, "model", cw_car_get_field (car, CW_CAR_MODEL));
      w_text (w, "vin", cw_car_get_field (car, CW_CAR_VIN));
      w_date (w, "firstRegistrationDate", cw_car_get_date (car, CW_CAR_FIRST_REGISTRATION));
      w_date (w, "apkDueDate", cw_car_get_date (car, CW_CAR_APK_DATE));
      w_date (w, "warrantyStartDate", cw_car_get_date (car, CW_CAR_WARRANTY_START));
      w_date (w, "warrantyEndDate", cw_car_get_date (car, CW_CAR_WARRANTY_END));
      w_text (w, "driverId", cw_car_get_field (car, CW_CAR_DRIVER_ID));
      w_text (w, "ownerId", cw_car_get_field (car, CW_CAR_OWNER_ID));
    }
  w_end (w, '}');

  write_party (w, "driver", cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER), missing);
  write_party (w, "owner", cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER), missing);
  write_lines (w, order, missing);
  w_end (w, '}');
}

/* ------------------------------------------------------------------------------------- */
/* Answers                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
reply_error (SoupServerMessage *message,
             guint              status,
             const char        *code,
             const char        *text,
             gint64             current_mileage)
{
  Writer w = { g_string_new (NULL), FALSE };

  w_begin (&w, NULL, '{');
  w_begin (&w, "error", '{');
  w_text (&w, "code", code);
  w_text (&w, "message", text);
  if (current_mileage >= 0)
    w_int (&w, "currentMileageKm", current_mileage);
  w_end (&w, '}');
  w_end (&w, '}');

  cw_sim_reply_text (message, status, "application/json", w.text->str);
  g_string_free (w.text, TRUE);
}

static void
reply_unauthorized (SoupServerMessage *message)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "WWW-Authenticate",
                                "Bearer error=\"invalid_token\", error_description=\"The token expired\"");
  reply_error (message, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "The access token is missing, invalid or expired.", -1);
}

/* The body of a request as a JSON object, or NULL. */
static JsonNode *
parse_request (SoupServerMessage *message)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *data;
  gsize length;
  JsonNode *root;

  data = g_bytes_get_data (bytes, &length);
  if (length == 0 || !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_node_ref (root);
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

/* ------------------------------------------------------------------------------------- */
/* The token endpoint                                                                    */
/* ------------------------------------------------------------------------------------- */

static void
reply_oauth_error (SoupServerMessage *message,
                   guint              status,
                   const char        *code,
                   const char        *description)
{
  Writer w = { g_string_new (NULL), FALSE };

  w_begin (&w, NULL, '{');
  w_text (&w, "error", code);
  w_text (&w, "error_description", description);
  w_end (&w, '}');
  cw_sim_reply_text (message, status, "application/json", w.text->str);
  g_string_free (w.text, TRUE);
}

static void
handle_token (Incadea           *state,
              SoupServerMessage *message,
              const CwSimFault  *fault)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  JsonObject *request;
  gint64 *expiry;
  int lifetime = TOKEN_LIFETIME_S;

  if (!g_str_equal (soup_server_message_get_method (message), "POST"))
    {
      reply_oauth_error (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request", "Use POST");
      return;
    }

  root = parse_request (message);
  if (root == NULL)
    {
      reply_oauth_error (message, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                         "The request body must be a JSON object.");
      return;
    }

  request = json_node_get_object (root);
  if (g_strcmp0 (member_string (request, "grant_type"), "password") != 0)
    {
      reply_oauth_error (message, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                         "Only the password grant is supported.");
      return;
    }

  if (g_strcmp0 (member_string (request, "username"), CW_SIM_INCADEA_USERNAME) != 0 ||
      g_strcmp0 (member_string (request, "password"), CW_SIM_INCADEA_PASSWORD) != 0)
    {
      reply_oauth_error (message, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                         "The user name or password is incorrect.");
      return;
    }

  if (fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    lifetime = MAX (fault->value, 0);

  token = g_strdup_printf ("simic.%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());
  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (state->tokens, g_strdup (token), expiry);

  body = g_strdup_printf ("{\"access_token\":\"%s\",\"token_type\":\"Bearer\",\"expires_in\":%d}",
                          token, lifetime);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", body);
}

/* The request's bearer token when the simulator issued it and it is still valid. */
static const char *
valid_token (Incadea           *state,
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

/* ------------------------------------------------------------------------------------- */
/* Reading                                                                               */
/* ------------------------------------------------------------------------------------- */

static gboolean
parse_day (const char *text,
           GDate      *day)
{
  unsigned y, m, d;

  g_date_clear (day, 1);
  if (text == NULL || strlen (text) != 10 || sscanf (text, "%4u-%2u-%2u", &y, &m, &d) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;

  g_date_set_dmy (day, d, m, y);
  return TRUE;
}

static void
reply_orders (SoupServerMessage *message,
              GPtrArray         *orders,
              guint              first,
              guint              count,
              gint64             next_page,
              const CwSimFault  *fault)
{
  Writer w = { g_string_new (NULL), fault->kind == CW_SIM_FAULT_NUMBERS_AS_STRINGS };

  w_begin (&w, NULL, '{');
  w_begin (&w, "value", '[');
  for (guint i = first; i < first + count && i < orders->len; i++)
    write_order (&w, g_ptr_array_index (orders, i), fault);
  w_end (&w, ']');
  if (next_page > 0)
    w_int (&w, "nextPage", next_page);
  else
    w_text (&w, "nextPage", NULL);
  w_end (&w, '}');

  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", w.text->str);
  g_string_free (w.text, TRUE);
}

static void
handle_list (CwSimServer       *server,
             SoupServerMessage *message,
             GHashTable        *query,
             const CwSimFault  *fault)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (server);
  const char *wo_number = g_hash_table_lookup (query, "workorderNo");
  const char *plate = g_hash_table_lookup (query, "licensePlate");
  const char *from = g_hash_table_lookup (query, "appointmentFrom");
  const char *to = g_hash_table_lookup (query, "appointmentTo");
  const char *page_text = g_hash_table_lookup (query, "page");
  const char *size_text = g_hash_table_lookup (query, "pageSize");
  g_autoptr(GPtrArray) orders = NULL;
  guint64 page = 1, size = DEFAULT_PAGE_SIZE;
  gint64 next = 0;

  if ((page_text != NULL && !g_ascii_string_to_unsigned (page_text, 10, 1, G_MAXUINT32, &page, NULL)) ||
      (size_text != NULL && !g_ascii_string_to_unsigned (size_text, 10, 1, MAX_PAGE_SIZE, &size, NULL)))
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, "invalidPaging",
                   "page must be 1 or more, pageSize 1 to 100.", -1);
      return;
    }

  if (wo_number != NULL)
    {
      CwSimOrder *order = cw_sim_dataset_find_wo_number (dataset, CW_SIM_DMS_INCADEA, wo_number);

      orders = g_ptr_array_new ();
      if (order != NULL)
        g_ptr_array_add (orders, order);
    }
  else if (plate != NULL)
    orders = cw_sim_dataset_find_plate (dataset, CW_SIM_DMS_INCADEA, plate);
  else if (from != NULL || to != NULL)
    {
      GDate first, last;

      if (!parse_day (from, &first) || !parse_day (to, &last) || g_date_compare (&first, &last) > 0)
        {
          reply_error (message, SOUP_STATUS_BAD_REQUEST, "invalidFilter",
                       "appointmentFrom and appointmentTo must be dates (yyyy-mm-dd), from not after to.", -1);
          return;
        }
      orders = cw_sim_dataset_list_days (dataset, CW_SIM_DMS_INCADEA, &first,
                                         (guint) g_date_days_between (&first, &last) + 1);
    }
  else
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, "filterRequired",
                   "Give workorderNo, licensePlate, or appointmentFrom and appointmentTo.", -1);
      return;
    }

  if (page * size < orders->len)
    next = (gint64) page + 1;

  reply_orders (message, orders, (guint) MIN ((page - 1) * size, G_MAXUINT), (guint) size, next, fault);
}

static void
handle_one (CwSimServer       *server,
            SoupServerMessage *message,
            const char        *id,
            const CwSimFault  *fault)
{
  CwSimOrder *order = cw_sim_dataset_find_dms_number (cw_sim_server_get_dataset (server),
                                                      CW_SIM_DMS_INCADEA, id);
  Writer w = { g_string_new (NULL), fault->kind == CW_SIM_FAULT_NUMBERS_AS_STRINGS };

  if (order == NULL)
    {
      reply_error (message, SOUP_STATUS_NOT_FOUND, "notFound", "The workorder does not exist.", -1);
      g_string_free (w.text, TRUE);
      return;
    }

  write_order (&w, order, fault);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", w.text->str);
  g_string_free (w.text, TRUE);
}

/* ------------------------------------------------------------------------------------- */
/* The mileage                                                                           */
/* ------------------------------------------------------------------------------------- */

static CwSimWriteback *
find_writeback (CwSimServer *server,
                const char  *idem_key)
{
  g_autoptr(GPtrArray) all = cw_sim_server_list_writebacks (server, NULL);

  for (guint i = 0; i < all->len; i++)
    {
      CwSimWriteback *writeback = g_ptr_array_index (all, i);

      if (g_str_equal (writeback->idem_key, idem_key))
        return writeback;
    }

  return NULL;
}

static void
reply_mileage_taken (SoupServerMessage *message,
                     const char        *id,
                     const char        *km)
{
  Writer w = { g_string_new (NULL), FALSE };

  w_begin (&w, NULL, '{');
  w_text (&w, "workorderId", id);
  w_number (&w, "mileageKm", km);
  w_end (&w, '}');
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", w.text->str);
  g_string_free (w.text, TRUE);
}

static void
handle_mileage (CwSimServer       *server,
                SoupServerMessage *message,
                const char        *id)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (server);
  CwSimOrder *order = cw_sim_dataset_find_dms_number (dataset, CW_SIM_DMS_INCADEA, id);
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                  "Idempotency-Key");
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *detail = NULL;
  CwSimWriteback *writeback;
  JsonNode *node;
  gboolean applied;
  gint64 km, current;

  if (!g_str_equal (soup_server_message_get_method (message), "POST"))
    {
      reply_error (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "methodNotAllowed", "Use POST.", -1);
      return;
    }

  if (key == NULL || *key == '\0')
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, "idempotencyKeyMissing",
                   "Every write needs an Idempotency-Key header.", -1);
      return;
    }

  root = parse_request (message);
  node = root != NULL ? json_object_get_member (json_node_get_object (root), "mileageKm") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 1 || json_node_get_int (node) > 9999999)
    {
      reply_error (message, SOUP_STATUS_BAD_REQUEST, "invalidMileage",
                   "mileageKm must be a whole number of kilometres from 1 to 9999999.", -1);
      return;
    }
  km = json_node_get_int (node);
  detail = g_strdup_printf ("%" G_GINT64_FORMAT, km);

  if (order == NULL)
    {
      reply_error (message, SOUP_STATUS_NOT_FOUND, "notFound", "The workorder does not exist.", -1);
      return;
    }

  /* A key seen before: the same answer again, applied no second time. */
  writeback = find_writeback (server, key);
  if (writeback != NULL)
    {
      if (g_strcmp0 (writeback->dms, "incadea") != 0 || g_strcmp0 (writeback->dms_key, id) != 0 ||
          g_strcmp0 (writeback->kind, "mileage") != 0 || g_strcmp0 (writeback->detail, detail) != 0)
        {
          reply_error (message, SOUP_STATUS_CONFLICT, "idempotencyKeyReused",
                       "This Idempotency-Key was used for another request.", -1);
          return;
        }

      writeback = cw_sim_server_receive_writeback (server, "incadea", key, id, "mileage", detail,
                                                   NULL, &applied);
      g_assert (!applied);
      reply_mileage_taken (message, writeback->dms_key, writeback->detail);
      return;
    }

  /* Incadea takes a mileage only when it is higher than its own; a refusal is not
   * recorded, so the same key may come back with a correction. */
  current = cw_workorder_get_dms_mileage (order->workorder);
  if (current != CW_MILEAGE_UNKNOWN && km <= current)
    {
      g_autofree char *text = g_strdup_printf ("The mileage %" G_GINT64_FORMAT " km is not higher than "
                                               "the registered %" G_GINT64_FORMAT " km.", km, current);

      reply_error (message, 422, "mileageNotHigher", text, current);
      return;
    }

  writeback = cw_sim_server_receive_writeback (server, "incadea", key, id, "mileage", detail,
                                               NULL, &applied);
  if (applied)
    {
      cw_workorder_set_dms_mileage (order->workorder, km);
      cw_sim_dataset_touch (dataset, order);
    }

  reply_mileage_taken (message, writeback->dms_key, writeback->detail);
}

/* ------------------------------------------------------------------------------------- */
/* Routing                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
handle_api (CwSimServer       *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            const CwSimFault  *fault,
            gpointer           user_data)
{
  Incadea *state = user_data;
  const char *rest = path + strlen (CW_SIM_INCADEA_API);
  const char *method = soup_server_message_get_method (message);
  const char *token;
  g_auto(GStrv) parts = NULL;

  if (g_str_equal (rest, "/oauth/token"))
    {
      handle_token (state, message, fault);
      return;
    }

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

  /* "/workorders", "/workorders/{id}", "/workorders/{id}/mileage". */
  parts = g_strsplit (rest, "/", -1);
  if (g_strv_length (parts) >= 2 && *parts[0] == '\0' && g_str_equal (parts[1], "workorders"))
    {
      guint n_parts = g_strv_length (parts);
      g_autofree char *id = n_parts >= 3 ? g_uri_unescape_string (parts[2], NULL) : NULL;

      if (n_parts == 2 && g_str_equal (method, "GET"))
        {
          handle_list (server, message, query, fault);
          return;
        }
      if (n_parts == 3 && id != NULL && *id != '\0' && g_str_equal (method, "GET"))
        {
          handle_one (server, message, id, fault);
          return;
        }
      if (n_parts == 4 && id != NULL && *id != '\0' && g_str_equal (parts[3], "mileage"))
        {
          handle_mileage (server, message, id);
          return;
        }
    }

  reply_error (message, SOUP_STATUS_NOT_FOUND, "notFound", "No such resource.", -1);
}

/**
 * cw_sim_incadea_install:
 * @server: the simulator
 *
 * Serves the dataset's Incadea orders at %CW_SIM_INCADEA_API.
 */
void
cw_sim_incadea_install (CwSimServer *server)
{
  Incadea *state = g_new0 (Incadea, 1);

  state->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_object_set_data_full (G_OBJECT (server), "cw-sim-incadea", state, (GDestroyNotify) incadea_free);

  cw_sim_server_add_handler (server, CW_SIM_INCADEA_API, handle_api, state);
}
