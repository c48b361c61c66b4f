/* cw-sim-pon.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-sim-pon"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cw-ocw.h"
#include "cw-sim-server.h"

/*
 * The PON API (One Connect Workspace) as the simulator speaks it, in our interpretation
 * (docs/pon-api.md): a login that gives a bearer token for the dealer's user name and
 * password, and per car, by VIN, its OCW state, mileage and portal address. It knows the
 * dataset's Volkswagens with a VIN (Autoflex, Incadea and Wincar orders; 2Drive sends no
 * VIN), and answers 404 "vehicle_not_found" for any other VIN.
 *
 * The states are dealt deterministically, whatever the seed: the n-th Volkswagen of the
 * dataset (in its order) gets
 *
 *   n % 4 == 0  green: connected, with a reading that is, by (n / 4) % 4, higher than the
 *               order's DMS mileage, equal to it, lower, or higher and given in miles;
 *   n % 4 == 1  red: capable, not activated (or, every other one, activated but not yet
 *               connected), no reading;
 *   n % 4 == 2  orange: maintenance mode, with an older reading equal to the DMS's;
 *   n % 4 == 3  grey: not capable (every other one leaves the other flags out).
 *
 * A car's answer is decided once, when the simulator first sees it, and then kept: a
 * mileage written back to the DMS does not make PON's reading move. Tests change a car's
 * answer with cw_sim_pon_set_state() and cw_sim_pon_set_mileage().
 *
 * Faults of this module (the server applies the generic ones):
 * - %CW_SIM_FAULT_TOKEN_EXPIRED on the login: the token lives `value` seconds;
 * - %CW_SIM_FAULT_TOKEN_EXPIRED on a car: the request's token is dropped, as if it had
 *   expired, and the request gets 401, so the client must log in again;
 * - %CW_SIM_FAULT_MISSING_FIELDS on a car: the optional members are left out (value 1:
 *   the required "connected" too);
 * - %CW_SIM_FAULT_NUMBERS_AS_STRINGS on a car: the mileage and the flags as strings.
 */

#define TOKEN_LIFETIME_S 3600

typedef struct
{
  char       *vin;
  CwSimOrder *order;
  CwOcwState  state;
  gboolean    activated;
  gboolean    connected;
  /* A not-capable car whose answer leaves the other flags out. */
  gboolean    terse;
  /* The reading: km (-1: none), whether PON gives it in miles, and its age. */
  gint64      mileage_km;
  gboolean    miles;
  int         age_minutes;
  GDateTime  *read_at;
  CwSimPonMileage relation;
} PonCar;

typedef struct
{
  CwSimServer *server;
  /* access token → expiry, monotonic microseconds (gint64 *). */
  GHashTable  *tokens;
  /* VIN → PonCar */
  GHashTable  *cars;
  /* The cars in the order they were dealt. */
  GPtrArray   *order;
  guint        generation;
  gboolean     scanned;
  guint        n_logins;
} Pon;

static void
pon_car_free (PonCar *car)
{
  g_free (car->vin);
  g_clear_pointer (&car->read_at, g_date_time_unref);
  g_free (car);
}

static void
pon_free (Pon *pon)
{
  g_clear_pointer (&pon->order, g_ptr_array_unref);
  g_clear_pointer (&pon->cars, g_hash_table_unref);
  g_clear_pointer (&pon->tokens, g_hash_table_unref);
  g_free (pon);
}

static Pon *
get_pon (CwSimServer *server)
{
  Pon *pon = g_object_get_data (G_OBJECT (server), "cw-sim-pon");

  g_return_val_if_fail (pon != NULL, NULL);

  return pon;
}

/* ------------------------------------------------------------------------------------- */
/* The cars                                                                              */
/* ------------------------------------------------------------------------------------- */

static void
deal_car (Pon        *pon,
          CwSimOrder *order,
          const char *vin)
{
  PonCar *car = g_new0 (PonCar, 1);
  guint n = pon->order->len;
  guint round = n / 4;
  gint64 dms = cw_workorder_get_dms_mileage (order->workorder);

  car->vin = g_strdup (vin);
  car->order = order;
  car->mileage_km = -1;
  car->relation = CW_SIM_PON_MILEAGE_NONE;
  car->age_minutes = 5 + (int) ((n * 7) % 50);

  switch (n % 4)
    {
    case 0:
      car->state = CW_OCW_CONNECTED;
      car->activated = TRUE;
      car->connected = TRUE;
      switch (round % 4)
        {
        case 0:
          car->relation = CW_SIM_PON_MILEAGE_HIGHER;
          car->mileage_km = MAX (dms, 0) + 120 + (gint64) (n % 7) * 35;
          break;
        case 1:
          car->relation = CW_SIM_PON_MILEAGE_EQUAL;
          car->mileage_km = MAX (dms, 0);
          break;
        case 2:
          car->relation = CW_SIM_PON_MILEAGE_LOWER;
          car->mileage_km = MAX (dms - 250, 0);
          /* A car whose DMS mileage is too low to go under gives no "lower" reading. */
          if (car->mileage_km >= dms)
            car->relation = CW_SIM_PON_MILEAGE_EQUAL;
          break;
        default:
          car->relation = CW_SIM_PON_MILEAGE_MILES;
          car->mileage_km = MAX (dms, 0) + 800;
          car->miles = TRUE;
          break;
        }
      break;

    case 1:
      car->state = CW_OCW_NOT_ACTIVATED;
      car->activated = round % 2 == 1;
      break;

    case 2:
      car->state = CW_OCW_MAINTENANCE;
      car->activated = TRUE;
      car->mileage_km = MAX (dms, 0);
      car->relation = CW_SIM_PON_MILEAGE_EQUAL;
      car->age_minutes = 2 * 24 * 60;
      break;

    default:
      car->state = CW_OCW_NOT_CAPABLE;
      car->terse = round % 2 == 0;
      break;
    }

  g_hash_table_insert (pon->cars, car->vin, car);
  g_ptr_array_add (pon->order, car);
}

/* Deals the Volkswagens of the dataset not dealt yet; the others keep their answer. */
static void
update_cars (Pon *pon)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (pon->server);

  if (pon->scanned && pon->generation == cw_sim_dataset_get_generation (dataset))
    return;

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);
      CwCar *car = cw_workorder_get_car (order->workorder);
      const char *vin = cw_car_get_field (car, CW_CAR_VIN);

      if (vin != NULL && cw_ocw_is_volkswagen (cw_car_get_field (car, CW_CAR_MAKE)) &&
          !g_hash_table_contains (pon->cars, vin))
        deal_car (pon, order, vin);
    }

  pon->scanned = TRUE;
  pon->generation = cw_sim_dataset_get_generation (dataset);
}

static PonCar *
find_car (Pon        *pon,
          const char *vin)
{
  PonCar *car;

  update_cars (pon);
  car = vin != NULL ? g_hash_table_lookup (pon->cars, vin) : NULL;

  /* CW_OCW_UNKNOWN marks a car PON was told to forget. */
  return car != NULL && car->state != CW_OCW_UNKNOWN ? car : NULL;
}

/* ------------------------------------------------------------------------------------- */
/* Answers                                                                               */
/* ------------------------------------------------------------------------------------- */

static void
reply_error (SoupServerMessage *message,
             guint              status,
             const char        *code,
             const char        *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  cw_sim_reply_json (message, status, body);
}

static void
add_flag (JsonBuilder *builder,
          const char  *name,
          gboolean     value,
          gboolean     as_string)
{
  json_builder_set_member_name (builder, name);
  if (as_string)
    json_builder_add_string_value (builder, value ? "true" : "false");
  else
    json_builder_add_boolean_value (builder, value);
}

static char *
dup_answer (Pon              *pon,
            PonCar           *car,
            const CwSimFault *fault)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  gboolean strings = fault != NULL && fault->kind == CW_SIM_FAULT_NUMBERS_AS_STRINGS;
  gboolean missing = fault != NULL && fault->kind == CW_SIM_FAULT_MISSING_FIELDS;
  gboolean missing_required = missing && fault->value == 1;
  gboolean capable = car->state != CW_OCW_NOT_CAPABLE;

  json_builder_begin_object (builder);

  if (!missing)
    {
      json_builder_set_member_name (builder, "vin");
      json_builder_add_string_value (builder, car->vin);
    }

  add_flag (builder, "capable", capable, strings);
  if (capable || !car->terse)
    {
      add_flag (builder, "activated", car->activated, strings);
      if (!missing_required)
        add_flag (builder, "connected", car->connected, strings);
      add_flag (builder, "maintenanceMode", car->state == CW_OCW_MAINTENANCE, strings);
    }

  if (car->mileage_km >= 0 && !missing)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) read_at = car->read_at != NULL ? g_date_time_ref (car->read_at)
                                                          : g_date_time_add_minutes (now, -car->age_minutes);
      g_autoptr(GDateTime) utc = g_date_time_to_utc (read_at);
      g_autofree char *at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
      gint64 value = car->miles ? (gint64) ceil ((double) car->mileage_km / 1.609344) : car->mileage_km;

      json_builder_set_member_name (builder, "mileage");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      if (strings)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

          json_builder_add_string_value (builder, text);
        }
      else
        json_builder_add_int_value (builder, value);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_string_value (builder, car->miles ? "mi" : "km");
      json_builder_set_member_name (builder, "readAt");
      json_builder_add_string_value (builder, at);
      json_builder_end_object (builder);
    }
  else if (!missing)
    {
      json_builder_set_member_name (builder, "mileage");
      json_builder_add_null_value (builder);
    }

  if (capable && !missing)
    {
      g_autofree char *path = g_strconcat (CW_SIM_PON_PORTAL "?vin=", car->vin, NULL);
      g_autofree char *portal = cw_sim_server_dup_url (pon->server, path);

      json_builder_set_member_name (builder, "portalUrl");
      json_builder_add_string_value (builder, portal);
    }

  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  return json_to_string (body, TRUE);
}

/* ------------------------------------------------------------------------------------- */
/* Handlers                                                                              */
/* ------------------------------------------------------------------------------------- */

static void
handle_login (CwSimServer       *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              const CwSimFault  *fault,
              gpointer           user_data)
{
  Pon *pon = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  JsonObject *request = NULL;
  int lifetime = TOKEN_LIFETIME_S;
  gint64 *expiry;

  if (!g_str_equal (soup_server_message_get_method (message), "POST"))
    {
      reply_error (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", "Use POST.");
      return;
    }

  pon->n_logins++;

  if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    request = json_node_get_object (json_parser_get_root (parser));

  if (request == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (request, "username", NULL), CW_SIM_PON_USERNAME) != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (request, "password", NULL), CW_SIM_PON_PASSWORD) != 0)
    {
      reply_error (message, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                   "The user name or password is wrong.");
      return;
    }

  if (fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    lifetime = MAX (fault->value, 0);

  token = g_strdup_printf ("simpon.%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());
  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (pon->tokens, g_strdup (token), expiry);

  body = g_strdup_printf ("{\"access_token\":\"%s\",\"token_type\":\"Bearer\",\"expires_in\":%d}",
                          token, lifetime);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", body);
}

/* Returns the request's bearer token when it is one the simulator issued and still valid. */
static const char *
valid_token (Pon               *pon,
             SoupServerMessage *message)
{
  const char *authorization =
    soup_message_headers_get_one (soup_server_message_get_request_headers (message), "Authorization");
  gint64 *expiry;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;

  expiry = g_hash_table_lookup (pon->tokens, authorization + 7);
  if (expiry == NULL || *expiry <= g_get_monotonic_time ())
    return NULL;

  return authorization + 7;
}

static void
handle_vehicle (CwSimServer       *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                const CwSimFault  *fault,
                gpointer           user_data)
{
  Pon *pon = user_data;
  const char *rest = path + strlen (CW_SIM_PON_VEHICLES);
  const char *slash = strchr (rest, '/');
  g_autofree char *vin = slash != NULL ? g_strndup (rest, slash - rest) : NULL;
  g_autofree char *body = NULL;
  const char *token;
  PonCar *car;

  token = valid_token (pon, message);
  if (token == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "WWW-Authenticate", "Bearer error=\"invalid_token\"");
      reply_error (message, SOUP_STATUS_UNAUTHORIZED, "invalid_token", "The token is not valid.");
      return;
    }

  if (fault->kind == CW_SIM_FAULT_TOKEN_EXPIRED)
    {
      g_hash_table_remove (pon->tokens, token);
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "WWW-Authenticate", "Bearer error=\"invalid_token\"");
      reply_error (message, SOUP_STATUS_UNAUTHORIZED, "invalid_token", "The token expired.");
      return;
    }

  if (vin == NULL || g_strcmp0 (slash, "/ocw") != 0)
    {
      reply_error (message, SOUP_STATUS_NOT_FOUND, "not_found", "No such resource.");
      return;
    }

  if (!g_str_equal (soup_server_message_get_method (message), "GET"))
    {
      reply_error (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", "Use GET.");
      return;
    }

  car = find_car (pon, vin);
  if (car == NULL)
    {
      reply_error (message, SOUP_STATUS_NOT_FOUND, "vehicle_not_found",
                   "No vehicle with this VIN is known to PON.");
      return;
    }

  body = dup_answer (pon, car, fault);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json", body);
}

/* The Volkswagen portal, for the demo's red button: a page that says what it is. */
static void
handle_portal (CwSimServer       *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               const CwSimFault  *fault,
               gpointer           user_data)
{
  const char *vin = query != NULL ? g_hash_table_lookup (query, "vin") : NULL;
  g_autofree char *escaped = g_markup_escape_text (vin != NULL ? vin : "", -1);
  g_autofree char *page = NULL;

  page = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<title>One Connect Workspace (simulated)</title></head><body>"
                          "<h1>One Connect Workspace</h1>"
                          "<p>The simulated Volkswagen portal where the customer activates "
                          "OCW for the car <strong>%s</strong> and installs the app.</p>"
                          "</body></html>\n", escaped);
  cw_sim_reply_text (message, SOUP_STATUS_OK, "text/html; charset=utf-8", page);
}

/**
 * cw_sim_pon_install:
 * @server: the simulator
 *
 * Serves the PON API at %CW_SIM_PON_API and the portal at %CW_SIM_PON_PORTAL.
 */
void
cw_sim_pon_install (CwSimServer *server)
{
  Pon *pon = g_new0 (Pon, 1);

  pon->server = server;
  pon->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  pon->cars = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) pon_car_free);
  pon->order = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (server), "cw-sim-pon", pon, (GDestroyNotify) pon_free);

  cw_sim_server_add_handler (server, CW_SIM_PON_LOGIN, handle_login, pon);
  cw_sim_server_add_handler (server, CW_SIM_PON_VEHICLES, handle_vehicle, pon);
  cw_sim_server_add_handler (server, CW_SIM_PON_PORTAL, handle_portal, pon);
}

/* ------------------------------------------------------------------------------------- */
/* Test hooks                                                                            */
/* ------------------------------------------------------------------------------------- */

/**
 * cw_sim_pon_get_state:
 * @vin: a VIN
 *
 * Returns: the state PON gives the car, %CW_OCW_UNKNOWN for a VIN it does not know
 */
CwOcwState
cw_sim_pon_get_state (CwSimServer *server,
                      const char  *vin)
{
  PonCar *car = find_car (get_pon (server), vin);

  return car != NULL ? car->state : CW_OCW_UNKNOWN;
}

/**
 * cw_sim_pon_get_mileage:
 * @vin: a VIN
 *
 * Returns: the car's reading in km as PON gives it (before any conversion to miles), -1
 *   for none or a car PON does not know
 */
gint64
cw_sim_pon_get_mileage (CwSimServer *server,
                        const char  *vin)
{
  PonCar *car = find_car (get_pon (server), vin);

  return car != NULL ? car->mileage_km : -1;
}

static gboolean
relation_matches (PonCar          *car,
                  CwSimPonMileage  mileage)
{
  if (mileage == CW_SIM_PON_MILEAGE_ANY)
    return TRUE;

  return car->relation == mileage;
}

/**
 * cw_sim_pon_find_order:
 * @state: the state wanted
 * @mileage: for the reading, how it compares with the order's DMS mileage;
 *   %CW_SIM_PON_MILEAGE_ANY for any
 * @nth: 0 for the first such order of the dataset, 1 for the next, …
 *
 * Returns: (transfer none) (nullable): the order of a car PON gives that answer
 */
CwSimOrder *
cw_sim_pon_find_order (CwSimServer     *server,
                       CwOcwState       state,
                       CwSimPonMileage  mileage,
                       guint            nth)
{
  Pon *pon = get_pon (server);

  update_cars (pon);
  for (guint i = 0; i < pon->order->len; i++)
    {
      PonCar *car = g_ptr_array_index (pon->order, i);

      if (car->order != NULL && car->state == state && relation_matches (car, mileage) &&
          nth-- == 0)
        return car->order;
    }

  return NULL;
}

/**
 * cw_sim_pon_find_vin:
 *
 * As cw_sim_pon_find_order(), for the VIN.
 *
 * Returns: (transfer none) (nullable): the VIN
 */
const char *
cw_sim_pon_find_vin (CwSimServer     *server,
                     CwOcwState       state,
                     CwSimPonMileage  mileage,
                     guint            nth)
{
  CwSimOrder *order = cw_sim_pon_find_order (server, state, mileage, nth);

  if (order == NULL)
    return NULL;

  return cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_VIN);
}

static PonCar *
ensure_car (Pon        *pon,
            const char *vin)
{
  PonCar *car;

  update_cars (pon);
  car = g_hash_table_lookup (pon->cars, vin);
  if (car == NULL)
    {
      car = g_new0 (PonCar, 1);
      car->vin = g_strdup (vin);
      car->mileage_km = -1;
      car->relation = CW_SIM_PON_MILEAGE_NONE;
      car->age_minutes = 10;
      g_hash_table_insert (pon->cars, car->vin, car);
    }

  return car;
}

/**
 * cw_sim_pon_set_state:
 * @vin: a VIN, of the dataset or not
 * @state: the new state; %CW_OCW_UNKNOWN: PON forgets the car (404)
 *
 * Changes what PON answers about the car (connected: activated and connected; red:
 * neither), keeping its reading.
 */
void
cw_sim_pon_set_state (CwSimServer *server,
                      const char  *vin,
                      CwOcwState   state)
{
  PonCar *car;

  g_return_if_fail (vin != NULL);

  car = ensure_car (get_pon (server), vin);
  car->state = state;
  car->activated = state == CW_OCW_CONNECTED || state == CW_OCW_MAINTENANCE;
  car->connected = state == CW_OCW_CONNECTED;
  car->terse = FALSE;
}

/**
 * cw_sim_pon_set_mileage:
 * @vin: a VIN PON knows (or is told about with cw_sim_pon_set_state())
 * @km: the reading in km; negative for none
 * @miles: PON gives it in miles
 * @read_at: (nullable): when the car read it; %NULL for 10 minutes before each answer
 */
void
cw_sim_pon_set_mileage (CwSimServer *server,
                        const char  *vin,
                        gint64       km,
                        gboolean     miles,
                        GDateTime   *read_at)
{
  PonCar *car;

  g_return_if_fail (vin != NULL);

  car = ensure_car (get_pon (server), vin);
  car->mileage_km = km < 0 ? -1 : km;
  car->miles = miles;
  car->age_minutes = 10;
  g_clear_pointer (&car->read_at, g_date_time_unref);
  car->read_at = read_at != NULL ? g_date_time_ref (read_at) : NULL;
  car->relation = CW_SIM_PON_MILEAGE_NONE;
}

/**
 * cw_sim_pon_count_requests:
 * @vin: (nullable): a VIN, or %NULL for every car
 *
 * Returns: how many requests about the car (or any car) the simulator received
 */
guint
cw_sim_pon_count_requests (CwSimServer *server,
                           const char  *vin)
{
  g_autofree char *prefix = g_strconcat (CW_SIM_PON_VEHICLES, vin, vin != NULL ? "/" : NULL, NULL);

  return cw_sim_server_count_requests (server, prefix);
}

/**
 * cw_sim_pon_count_logins:
 *
 * Returns: how many logins (accepted or not) the simulator received
 */
guint
cw_sim_pon_count_logins (CwSimServer *server)
{
  return get_pon (server)->n_logins;
}

/**
 * cw_sim_pon_dup_answer:
 * @vin: a VIN PON knows
 * @fault: (nullable): a module fault to apply (missing fields, numbers as strings)
 *
 * Returns: (transfer full) (nullable): the body PON would send about the car now, for the
 *   fuzz corpus and for tests that feed the mapping directly
 */
char *
cw_sim_pon_dup_answer (CwSimServer      *server,
                       const char       *vin,
                       const CwSimFault *fault)
{
  Pon *pon = get_pon (server);
  PonCar *car = find_car (pon, vin);

  return car != NULL ? dup_answer (pon, car, fault) : NULL;
}
