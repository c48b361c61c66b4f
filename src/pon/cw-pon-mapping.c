/* cw-pon-mapping.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-pon-mapping"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-http-client.h"
#include "cw-json.h"
#include "cw-pon-client.h"
#include "cw-pon-mapping.h"

/*
 * What the PON API answers, mapped into a CwOcwStatus (docs/pon-api.md, "Mapping"). The
 * answer is our interpretation of an API that is not public, so the mapping is strict
 * where a wrong guess would do harm: a field it needs that is missing or of another type is
 * an error that names the field (CW_PON_ERROR_MALFORMED), never a guessed colour or
 * mileage. Members it does not know are ignored.
 */

/* VW's "no value" sentinels for a mileage (reference/dms-apis.md §4.4). */
#define NO_MILEAGE_32 2147483647.0
#define NO_MILEAGE_U32 4294967295.0

/**
 * cw_pon_normalize_vin:
 * @text: (nullable): a VIN as the DMS gave it
 *
 * Returns: (transfer full) (nullable): the VIN in capitals without blanks, or %NULL when it
 *   is not a VIN (17 letters and digits, never I, O or Q)
 */
char *
cw_pon_normalize_vin (const char *text)
{
  g_autoptr(GString) vin = NULL;

  if (text == NULL)
    return NULL;

  vin = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (g_ascii_isspace (c))
        continue;
      if (!g_ascii_isalnum (c) || c == 'I' || c == 'O' || c == 'Q' || vin->len == 17)
        return NULL;
      g_string_append_c (vin, c);
    }

  if (vin->len != 17)
    return NULL;

  return g_string_free (g_steal_pointer (&vin), FALSE);
}

static void
set_malformed (GError     **error,
               const char  *vin,
               const char  *problem)
{
  g_set_error (error, CW_PON_ERROR, CW_PON_ERROR_MALFORMED,
               /* Translators: %s are the car's VIN and what is wrong with the answer, e.g.
                * "“mileage.unit” is missing" */
               _("PON sent an answer about the car %s that Claire Workshop cannot use: %s. "
                 "Try again later; if it persists, report it to PON."),
               vin, problem);
}

/* A macro, so that the compiler checks each translated format against its argument. */
#define set_field_malformed(error, vin, format, field)                 \
  G_STMT_START {                                                        \
    g_autofree char *problem_ = g_strdup_printf (format, field);        \
    set_malformed (error, vin, problem_);                               \
  } G_STMT_END

/* The problems every kind of field can have. */
#define FIELD_MISSING     _("“%s” is missing")
#define FIELD_NOT_BOOLEAN _("“%s” is not true or false")
#define FIELD_NOT_OBJECT  _("“%s” is not an object")
#define FIELD_NOT_TEXT    _("“%s” is not text")

/* A member, %NULL when absent or null. */
static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return cw_json_node_is_missing (node) ? NULL : node;
}

static gboolean
is_boolean (JsonNode *node)
{
  return cw_json_node_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
is_text (JsonNode *node)
{
  return cw_json_node_value_type (node) == G_TYPE_STRING;
}

/* A flag: required ones must be there; optional ones are FALSE when absent. */
static gboolean
read_flag (JsonObject  *object,
           const char  *name,
           gboolean     required,
           const char  *vin,
           gboolean    *flag,
           GError     **error)
{
  JsonNode *node = member (object, name);

  *flag = FALSE;

  if (node == NULL)
    {
      if (!required)
        return TRUE;

      set_field_malformed (error, vin, FIELD_MISSING, name);
      return FALSE;
    }

  if (!is_boolean (node))
    {
      set_field_malformed (error, vin, FIELD_NOT_BOOLEAN, name);
      return FALSE;
    }

  *flag = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_mileage (JsonObject   *object,
              const char   *vin,
              CwOcwStatus  *status,
              GError      **error)
{
  JsonNode *node = member (object, CW_PON_FIELD_MILEAGE);
  const char *value_field = CW_PON_FIELD_MILEAGE "." CW_PON_FIELD_MILEAGE_VALUE;
  const char *unit_field = CW_PON_FIELD_MILEAGE "." CW_PON_FIELD_MILEAGE_UNIT;
  const char *at_field = CW_PON_FIELD_MILEAGE "." CW_PON_FIELD_MILEAGE_AT;
  g_autoptr(GDateTime) at = NULL;
  JsonObject *mileage;
  JsonNode *value;
  JsonNode *unit;
  JsonNode *read_at;
  GType type;
  double number;

  /* No reading (a car that is not connected has none). */
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_field_malformed (error, vin, FIELD_NOT_OBJECT, CW_PON_FIELD_MILEAGE);
      return FALSE;
    }

  mileage = json_node_get_object (node);
  value = member (mileage, CW_PON_FIELD_MILEAGE_VALUE);
  unit = member (mileage, CW_PON_FIELD_MILEAGE_UNIT);
  read_at = member (mileage, CW_PON_FIELD_MILEAGE_AT);

  if (value == NULL)
    {
      set_field_malformed (error, vin, FIELD_MISSING, value_field);
      return FALSE;
    }

  type = cw_json_node_value_type (value);
  if (type == G_TYPE_INT64)
    number = (double) json_node_get_int (value);
  else if (type == G_TYPE_DOUBLE)
    number = json_node_get_double (value);
  else
    {
      set_field_malformed (error, vin, _("“%s” is not a number"), value_field);
      return FALSE;
    }

  /* The car's own "unknown". */
  if (number == NO_MILEAGE_32 || number == NO_MILEAGE_U32)
    return TRUE;

  if (unit == NULL)
    {
      set_field_malformed (error, vin, FIELD_MISSING, unit_field);
      return FALSE;
    }
  if (!is_text (unit))
    {
      set_field_malformed (error, vin, FIELD_NOT_TEXT, unit_field);
      return FALSE;
    }

  if (read_at == NULL)
    {
      set_field_malformed (error, vin, FIELD_MISSING, at_field);
      return FALSE;
    }
  if (is_text (read_at))
    at = g_date_time_new_from_iso8601 (json_node_get_string (read_at), NULL);
  if (at == NULL)
    {
      set_field_malformed (error, vin, _("“%s” is not a date and time with its time zone (ISO 8601)"),
                           at_field);
      return FALSE;
    }

  if (g_ascii_strcasecmp (json_node_get_string (unit), "km") != 0 &&
      g_ascii_strcasecmp (json_node_get_string (unit), "mi") != 0)
    {
      set_field_malformed (error, vin, _("“%s” is neither “km” nor “mi”"), unit_field);
      return FALSE;
    }

  if (!cw_ocw_status_set_mileage (status, number, json_node_get_string (unit), at))
    {
      set_field_malformed (error, vin, _("“%s” is not a mileage from 0 to 9,999,999 km"),
                           value_field);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_portal_url (JsonObject   *object,
                 const char   *vin,
                 CwOcwStatus  *status,
                 GError      **error)
{
  JsonNode *node = member (object, CW_PON_FIELD_PORTAL_URL);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (node == NULL)
    return TRUE;

  if (is_text (node))
    uri = g_uri_parse (json_node_get_string (node), G_URI_FLAGS_NONE, NULL);

  /* It is opened in the advisor's browser: a web address, nothing else. */
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      set_field_malformed (error, vin, _("“%s” is not a web address"), CW_PON_FIELD_PORTAL_URL);
      return FALSE;
    }

  status->portal_url = g_uri_to_string (uri);
  return TRUE;
}

/**
 * cw_pon_map_car:
 * @body: (nullable): the JSON of a 200 answer to `GET …/vehicles/{vin}/ocw`
 * @vin: the VIN asked for, normalized
 * @error: %CW_PON_ERROR_MALFORMED, naming the field, when the answer cannot be used
 *
 * Returns: (transfer full) (nullable): what PON says about the car
 */
CwOcwStatus *
cw_pon_map_car (JsonNode    *body,
                const char  *vin,
                GError     **error)
{
  g_autoptr(CwOcwStatus) status = cw_ocw_status_new ();
  JsonObject *object;
  JsonNode *answered_vin;

  g_return_val_if_fail (vin != NULL, NULL);

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      set_malformed (error, vin, _("it is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (body);

  /* Named, it must be the car asked about. */
  answered_vin = member (object, CW_PON_FIELD_VIN);
  if (answered_vin != NULL)
    {
      g_autofree char *normalized = NULL;

      if (is_text (answered_vin))
        normalized = cw_pon_normalize_vin (json_node_get_string (answered_vin));
      if (g_strcmp0 (normalized, vin) != 0)
        {
          set_field_malformed (error, vin, _("“%s” names another car"), CW_PON_FIELD_VIN);
          return NULL;
        }
    }

  /* A car that cannot use OCW may leave out what only such a car has. */
  if (!read_flag (object, CW_PON_FIELD_CAPABLE, TRUE, vin, &status->capable, error) ||
      !read_flag (object, CW_PON_FIELD_ACTIVATED, status->capable, vin, &status->activated, error) ||
      !read_flag (object, CW_PON_FIELD_CONNECTED, status->capable, vin, &status->connected, error) ||
      !read_flag (object, CW_PON_FIELD_MAINTENANCE, status->capable, vin, &status->maintenance, error) ||
      !read_mileage (object, vin, status, error) ||
      !read_portal_url (object, vin, status, error))
    return NULL;

  return g_steal_pointer (&status);
}

/**
 * cw_pon_map_car_data:
 * @data: the body of a 200 answer, as received
 * @length: its length
 * @vin: the VIN asked for, normalized
 * @error: %CW_PON_ERROR_MALFORMED when it is not JSON or cannot be used
 *
 * Parses with the net layer's guards (cw_json_parse()) and maps; the fuzz target's way in.
 *
 * Returns: (transfer full) (nullable): what PON says about the car
 */
CwOcwStatus *
cw_pon_map_car_data (const char  *data,
                     gsize        length,
                     const char  *vin,
                     GError     **error)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) parse_error = NULL;

  body = cw_json_parse (data, length, CW_HTTP_MAX_JSON_DEPTH, &parse_error);
  if (body == NULL)
    {
      set_malformed (error, vin, _("it is not JSON"));
      return NULL;
    }

  return cw_pon_map_car (body, vin, error);
}

/* RFC 6750 b64token: only characters that can go into a header as they are. */
static gboolean
token_is_usable (const char *token)
{
  gsize length = strlen (token);

  if (length == 0 || length > CW_PON_MAX_TOKEN_LENGTH)
    return FALSE;

  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~+/=", *p) == NULL)
      return FALSE;

  return TRUE;
}

/**
 * cw_pon_read_token:
 * @body: (nullable): the JSON of a 2xx answer to the login
 * @token: (out) (transfer full): the bearer token
 * @lifetime_s: (out): how long it lives, in seconds; 0 when PON did not say
 *
 * Returns: %TRUE if the answer holds a usable bearer token
 */
gboolean
cw_pon_read_token (JsonNode  *body,
                   char     **token,
                   gint64    *lifetime_s)
{
  JsonObject *object;
  JsonNode *node;
  const char *type;

  *token = NULL;
  *lifetime_s = 0;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return FALSE;

  object = json_node_get_object (body);
  node = json_object_get_member (object, "access_token");
  if (node == NULL || !is_text (node) || !token_is_usable (json_node_get_string (node)))
    return FALSE;

  node = json_object_get_member (object, "token_type");
  type = node != NULL && is_text (node) ? json_node_get_string (node) : "Bearer";
  if (node != NULL && !is_text (node))
    return FALSE;
  if (g_ascii_strcasecmp (type, "Bearer") != 0)
    return FALSE;

  node = json_object_get_member (object, "expires_in");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    *lifetime_s = CLAMP (json_node_get_int (node), 0, CW_PON_MAX_TOKEN_LIFETIME);

  *token = g_strdup (json_node_get_string (json_object_get_member (object, "access_token")));
  return TRUE;
}

/**
 * cw_pon_is_unknown_car:
 * @body: (nullable): the JSON of a 404 answer
 *
 * Returns: whether it says that PON does not know the VIN (rather than that the address is
 *   wrong)
 */
gboolean
cw_pon_is_unknown_car (JsonNode *body)
{
  JsonNode *code;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return FALSE;

  code = json_object_get_member (json_node_get_object (body), "error");

  return code != NULL && is_text (code) &&
         g_strcmp0 (json_node_get_string (code), CW_PON_ERROR_CODE_UNKNOWN_VEHICLE) == 0;
}
