/* cw-autoflex-mapping.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-autoflex-mapping"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-autoflex-mapping.h"
#include "cw-connector.h"
#include "cw-json.h"
#include "cw-money.h"
#include "cw-text.h"

/*
 * Autoflex order JSON → domain objects: the one mapping table of docs/connectors/autoflex.md
 * in code. Everything here is a pure function of its input, with no I/O and no main loop,
 * so that the connector can run it in a worker thread and the fuzzer can feed it anything.
 *
 * Autoflex is known to send numbers and 0/1 flags as strings now and then, so every number
 * and flag is read from either. Missing data is normal and never an error; data that is
 * there but cannot be read makes that one order a problem, with a message naming the order
 * and the field, and the rest of the page is used.
 */

/* Autoflex's own zone: its times carry no offset and are Dutch wall-clock time. */
#define AUTOFLEX_TIME_ZONE "Europe/Amsterdam"

/* The highest mileage taken for real, in kilometres; anything above is a typing error. */
#define MAX_MILEAGE_KM G_GINT64_CONSTANT (9999999)

/* The longest part of an Autoflex error message shown, in characters. */
#define MAX_MESSAGE_CHARS 200

/* Doubles hold every integer up to 2^53 exactly; beyond that a "whole number" is a guess. */
#define MAX_EXACT_DOUBLE 9007199254740992.0

/* Everything the mapping reads, and nothing else: sent as `fields` with every request so
 * that the answer stays small. Nested members are named "object.member" (our reading of
 * the projection syntax; see docs/connectors/autoflex.md). */
static const char order_fields[] =
  "order_id,order_number,order_type,order_date,appointment_date,planned_in,planned_out,"
  "is_invoiced,notes,workshop_status,is_internal,mileage,is_cancelled,"
  "vehicle.license_plate,vehicle.brand,vehicle.model,vehicle.vin,vehicle.engine_number,"
  "vehicle.notes,vehicle.driver_id,"
  "relation.relation_id,relation.company_name,relation.title,relation.last_name,"
  "relation.street,relation.house_number,relation.postcode,relation.city,"
  "lines.line_id,lines.sequence,lines.description,lines.price_excl_vat";

typedef enum
{
  READ_MISSING,
  READ_OK,
  READ_BAD,
  READ_RANGE,
} ReadResult;

typedef enum
{
  PROBLEM_MISSING,
  PROBLEM_NOT_TEXT,
  PROBLEM_NOT_NUMBER,
  PROBLEM_NOT_AMOUNT,
  PROBLEM_NOT_FLAG,
  PROBLEM_NOT_DATE,
  PROBLEM_NOT_OBJECT,
  PROBLEM_NOT_LIST,
  PROBLEM_OUT_OF_RANGE,
  PROBLEM_UNKNOWN_VALUE,
} ProblemKind;

/* One order being mapped: how messages name it, where its first problem goes, and the
 * position of the intervention being mapped (from 1; 0 outside the interventions). */
typedef struct
{
  char    *label;
  GError **error;
  guint    line;
} Mapper;

/* The names of an intervention's fields, which hold its position: passed as the @field of
 * fail() and told apart by address. Every other @field is an untranslated name (N_()):
 * names are translated only when a message is made, not for every order that is fine. */
static const char FIELD_LINE[] = "intervention";
static const char FIELD_LINE_TITLE[] = "intervention title";
static const char FIELD_LINE_PRICE[] = "intervention price";
static const char FIELD_LINE_POSITION[] = "intervention position";

static char *
describe_field (Mapper     *mapper,
                const char *field)
{
  if (field == FIELD_LINE)
    /* Translators: %u is the position of an intervention on the order (1, 2, …). */
    return g_strdup_printf (_("intervention %u"), mapper->line);
  if (field == FIELD_LINE_TITLE)
    /* Translators: %u is the position of an intervention on the order (1, 2, …). */
    return g_strdup_printf (_("title of intervention %u"), mapper->line);
  if (field == FIELD_LINE_PRICE)
    /* Translators: %u is the position of an intervention on the order (1, 2, …). */
    return g_strdup_printf (_("price of intervention %u"), mapper->line);
  if (field == FIELD_LINE_POSITION)
    /* Translators: %u is the position of an intervention on the order (1, 2, …). */
    return g_strdup_printf (_("position of intervention %u"), mapper->line);

  return g_strdup (_(field));
}

/**
 * cw_autoflex_order_fields:
 *
 * Returns: the `fields` list sent with every order request
 */
const char *
cw_autoflex_order_fields (void)
{
  return order_fields;
}

/**
 * cw_autoflex_time_zone:
 *
 * Returns: (transfer none): Europe/Amsterdam, the zone of every Autoflex time; the local
 *   zone if the system has no time zone data
 */
GTimeZone *
cw_autoflex_time_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *found = g_time_zone_new_identifier (AUTOFLEX_TIME_ZONE);

      if (found == NULL)
        {
          g_warning ("No time zone data for %s; reading Autoflex times as local time",
                     AUTOFLEX_TIME_ZONE);
          found = g_time_zone_new_local ();
        }

      g_once_init_leave (&zone, found);
    }

  return zone;
}

static gboolean
take_digits (const char **p,
             guint        n_digits,
             int         *value)
{
  int result = 0;

  for (guint i = 0; i < n_digits; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      result = result * 10 + ((*p)[i] - '0');
    }

  *p += n_digits;
  *value = result;
  return TRUE;
}

static GDateTime *
date_time_new (int year,
               int month,
               int day,
               int hour,
               int minute,
               int second)
{
  if (year < 1 || year > 9999 || month < 1 || month > 12 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year) ||
      hour > 23 || minute > 59 || second > 59)
    return NULL;

  return g_date_time_new (cw_autoflex_time_zone (), year, month, day, hour, minute, second);
}

/* Reads "YYYY-MM-DD HH:MM:SS" (also with a T, without seconds, or a bare date at
 * midnight) as Amsterdam time. Sets @zero for the "0000-00-00" that databases write for
 * "no date". */
static GDateTime *
parse_order_time (const char *text,
                  gboolean   *zero)
{
  const char *p = text;
  int year, month, day, hour = 0, minute = 0, second = 0;

  *zero = FALSE;

  if (!take_digits (&p, 4, &year) || *p++ != '-' ||
      !take_digits (&p, 2, &month) || *p++ != '-' ||
      !take_digits (&p, 2, &day))
    return NULL;

  if (*p == ' ' || *p == 'T')
    {
      p++;
      if (!take_digits (&p, 2, &hour) || *p++ != ':' || !take_digits (&p, 2, &minute))
        return NULL;
      if (*p == ':')
        {
          p++;
          if (!take_digits (&p, 2, &second))
            return NULL;
        }
    }

  if (*p != '\0')
    return NULL;

  if (year == 0 && month == 0 && day == 0)
    {
      *zero = TRUE;
      return NULL;
    }

  return date_time_new (year, month, day, hour, minute, second);
}

/**
 * cw_autoflex_parse_valid_until:
 * @text: (nullable): a `token_valid_until` value, "YYYYMMDDTHHMMSS" without a zone
 *
 * Returns: (transfer full) (nullable): the moment, read as Amsterdam time, or %NULL when
 *   @text is not in that form
 */
GDateTime *
cw_autoflex_parse_valid_until (const char *text)
{
  const char *p = text;
  int year, month, day, hour, minute, second;

  if (text == NULL)
    return NULL;

  if (!take_digits (&p, 4, &year) || !take_digits (&p, 2, &month) ||
      !take_digits (&p, 2, &day) || *p++ != 'T' ||
      !take_digits (&p, 2, &hour) || !take_digits (&p, 2, &minute) ||
      !take_digits (&p, 2, &second) || *p != '\0')
    return NULL;

  return date_time_new (year, month, day, hour, minute, second);
}

/**
 * cw_autoflex_format_day:
 * @day: a valid date
 *
 * Returns: (transfer full): @day as Autoflex writes dates, "YYYY-MM-DD"
 */
char *
cw_autoflex_format_day (const GDate *day)
{
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", (guint) g_date_get_year (day),
                          (guint) g_date_get_month (day), (guint) g_date_get_day (day));
}

/*
 * Reading single values
 */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  /* null is how a database says "nothing": the same as leaving the member out. */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return cw_json_node_value_type (node) == type;
}

/* The value as an error message may quote it. */
static char *
node_to_display (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("{…}");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("[…]");
  if (holds (node, G_TYPE_STRING))
    return cw_text_quote (json_node_get_string (node));
  if (holds (node, G_TYPE_INT64))
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (holds (node, G_TYPE_DOUBLE))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", json_node_get_double (node)));
    }
  if (holds (node, G_TYPE_BOOLEAN))
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");

  return g_strdup ("?");
}

/* Text as Autoflex sends it; a whole number is taken as its digits (ids may be numbers). */
static ReadResult
read_text (JsonNode  *node,
           char     **value)
{
  switch (cw_json_read_text (node, value))
    {
    case CW_JSON_READ_OK:
      return READ_OK;
    case CW_JSON_READ_MALFORMED:
      return READ_BAD;
    case CW_JSON_READ_MISSING:
    case CW_JSON_READ_BLANK:
    default:
      return READ_MISSING;
    }
}

static ReadResult
read_int (JsonNode *node,
          gint64    min,
          gint64    max,
          gint64   *value)
{
  *value = 0;

  if (node == NULL)
    return READ_MISSING;

  if (holds (node, G_TYPE_INT64))
    {
      gint64 number = json_node_get_int (node);

      if (number < min || number > max)
        return READ_RANGE;
      *value = number;
      return READ_OK;
    }

  if (holds (node, G_TYPE_DOUBLE))
    {
      double number = json_node_get_double (node);

      /* json-glib reads a number with a fraction or an exponent as a double, and so an
       * integer too large for a gint64. Only an exact whole number is taken. */
      if (!isfinite (number) || number != trunc (number))
        return READ_BAD;
      if (fabs (number) > MAX_EXACT_DOUBLE || number < (double) min || number > (double) max)
        return READ_RANGE;
      *value = (gint64) number;
      return READ_OK;
    }

  if (holds (node, G_TYPE_STRING))
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
      g_autoptr(GError) error = NULL;

      if (*text == '\0')
        return READ_MISSING;
      if (g_ascii_string_to_signed (text, 10, min, max, value, &error))
        return READ_OK;
      /* Digits that merely do not fit are out of range; anything else is not a number. */
      if (g_error_matches (error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        return READ_RANGE;
      return READ_BAD;
    }

  return READ_BAD;
}

/**
 * cw_autoflex_read_int:
 * @node: (nullable): a number, or a string holding one
 * @min: the smallest value accepted
 * @max: the largest value accepted
 * @value: (out): the number
 *
 * Returns: %TRUE when @node is a whole number from @min to @max, as a number or a string
 */
gboolean
cw_autoflex_read_int (JsonNode *node,
                      gint64    min,
                      gint64    max,
                      gint64   *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  return read_int (node, min, max, value) == READ_OK;
}

static ReadResult
read_flag (JsonNode *node,
           gboolean *value)
{
  *value = FALSE;

  if (node == NULL)
    return READ_MISSING;

  if (holds (node, G_TYPE_BOOLEAN))
    {
      *value = json_node_get_boolean (node);
      return READ_OK;
    }

  if (holds (node, G_TYPE_STRING))
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));

      if (*text == '\0')
        return READ_MISSING;
      if (g_str_equal (text, "1") || g_ascii_strcasecmp (text, "true") == 0)
        *value = TRUE;
      else if (!g_str_equal (text, "0") && g_ascii_strcasecmp (text, "false") != 0)
        return READ_BAD;
      return READ_OK;
    }

  if (holds (node, G_TYPE_INT64) || holds (node, G_TYPE_DOUBLE))
    {
      gint64 number;

      if (read_int (node, 0, 1, &number) != READ_OK)
        return READ_BAD;
      *value = number == 1;
      return READ_OK;
    }

  return READ_BAD;
}

static ReadResult
read_time (JsonNode   *node,
           GDateTime **value)
{
  g_autofree char *text = NULL;
  gboolean zero;

  *value = NULL;

  if (node == NULL)
    return READ_MISSING;
  if (!holds (node, G_TYPE_STRING))
    return READ_BAD;

  text = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*text == '\0')
    return READ_MISSING;

  *value = parse_order_time (text, &zero);
  if (zero)
    return READ_MISSING;

  return *value != NULL ? READ_OK : READ_BAD;
}

/* An amount in euros, as a number or a string, to cents. A JSON number is read back from
 * its shortest decimal form, so that 189.5 is 18950 cents and no float arithmetic touches
 * the amount. */
static ReadResult
read_amount (JsonNode *node,
             gint64   *cents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  *cents = 0;

  if (node == NULL)
    return READ_MISSING;

  if (holds (node, G_TYPE_INT64))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (holds (node, G_TYPE_DOUBLE))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", json_node_get_double (node)));
    }
  else if (holds (node, G_TYPE_STRING))
    {
      text = g_strstrip (g_strdup (json_node_get_string (node)));
      if (*text == '\0')
        return READ_MISSING;
    }
  else
    return READ_BAD;

  if (cw_money_parse_decimal (text, cents, &error))
    return READ_OK;

  return g_error_matches (error, CW_MONEY_ERROR, CW_MONEY_ERROR_OVERFLOW) ? READ_RANGE : READ_BAD;
}

/*
 * Problems
 */

static char *
order_label (const char *wo_number,
             const char *dms_key)
{
  if (wo_number != NULL)
    return cw_text_quote (wo_number);

  if (dms_key != NULL)
    /* Translators: completes "Autoflex order %s: …" when the order has no WO number;
     * %s is Autoflex's internal number of the order. */
    return g_strdup_printf (_("with DMS number %s"), dms_key);

  /* Translators: completes "Autoflex order %s: …" for an order with no number at all. */
  return g_strdup (_("without a number"));
}

/* Sets the order's error; @field is an untranslated name or one of the FIELD_LINE names.
 * Returns FALSE, for the caller to return. */
static gboolean
fail (Mapper      *mapper,
      ProblemKind  kind,
      const char  *field_name,
      JsonNode    *value)
{
  g_autofree char *shown = node_to_display (value);
  g_autofree char *field = describe_field (mapper, field_name);
  const char *order = mapper->label;

  /* In the messages below, the first %s is a WO number (or "with DMS number 700123"), the
   * second the name of a field such as "appointment date", a third the value sent. */
  switch (kind)
    {
    case PROBLEM_MISSING:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s is missing. Enter it in Autoflex; the order is imported once it is there."),
                   order, field);
      break;

    case PROBLEM_NOT_TEXT:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s (%s) is not text. Correct it in Autoflex; if it looks right there, contact the supplier of Autoflex."),
                   order, field, shown);
      break;

    case PROBLEM_NOT_NUMBER:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s “%s” is not a whole number. Correct it in Autoflex."),
                   order, field, shown);
      break;

    case PROBLEM_NOT_AMOUNT:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s “%s” is not an amount. Correct it in Autoflex."),
                   order, field, shown);
      break;

    case PROBLEM_NOT_FLAG:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s “%s” is neither yes (1) nor no (0). Correct it in Autoflex."),
                   order, field, shown);
      break;

    case PROBLEM_NOT_DATE:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s “%s” is not a date. Correct it in Autoflex."),
                   order, field, shown);
      break;

    case PROBLEM_NOT_OBJECT:
    case PROBLEM_NOT_LIST:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s is not in the form Claire Workshop expects. If this persists, contact the supplier of Autoflex."),
                   order, field);
      break;

    case PROBLEM_OUT_OF_RANGE:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s “%s” is out of range. Correct it in Autoflex."),
                   order, field, shown);
      break;

    case PROBLEM_UNKNOWN_VALUE:
      g_set_error (mapper->error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the %s are a WO number, a field name and, if any, the value sent. */
                   _("Autoflex order %s: the %s “%s” is not a value Claire Workshop knows. If Autoflex shows it correctly, contact the supplier of Claire Workshop."),
                   order, field, shown);
      break;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* Turns a failed read into the order's problem; TRUE when there is none. */
static gboolean
check (Mapper      *mapper,
       ReadResult   result,
       ProblemKind  bad_kind,
       const char  *field,
       JsonNode    *value)
{
  switch (result)
    {
    case READ_MISSING:
    case READ_OK:
      return TRUE;
    case READ_RANGE:
      return fail (mapper, PROBLEM_OUT_OF_RANGE, field, value);
    case READ_BAD:
    default:
      return fail (mapper, bad_kind, field, value);
    }
}

/* As check(), for a value that must be there. */
static gboolean
require (Mapper      *mapper,
         ReadResult   result,
         ProblemKind  bad_kind,
         const char  *field,
         JsonNode    *value)
{
  if (result == READ_MISSING)
    return fail (mapper, PROBLEM_MISSING, field, value);

  return check (mapper, result, bad_kind, field, value);
}

/*
 * Orders
 */

static gboolean
map_time (Mapper          *mapper,
          JsonObject      *object,
          const char      *name,
          const char      *field,
          CwWorkorder     *workorder,
          CwWorkorderTime  which,
          gboolean         required)
{
  JsonNode *node = member (object, name);
  g_autoptr(GDateTime) time = NULL;
  ReadResult result = read_time (node, &time);

  if (!(required ? require : check) (mapper, result, PROBLEM_NOT_DATE, field, node))
    return FALSE;

  cw_workorder_set_time (workorder, which, time);
  return TRUE;
}

static gboolean
map_flag (Mapper          *mapper,
          JsonObject      *object,
          const char      *name,
          const char      *field,
          CwWorkorder     *workorder,
          CwWorkorderFlag  flag)
{
  JsonNode *node = member (object, name);
  gboolean value;

  if (!check (mapper, read_flag (node, &value), PROBLEM_NOT_FLAG, field, node))
    return FALSE;

  cw_workorder_set_flag (workorder, flag, value);
  return TRUE;
}

static gboolean
map_text (Mapper      *mapper,
          JsonObject  *object,
          const char  *name,
          const char  *field,
          char       **value)
{
  JsonNode *node = member (object, name);

  return check (mapper, read_text (node, value), PROBLEM_NOT_TEXT, field, node);
}

static gboolean
map_shop_state (Mapper      *mapper,
                JsonObject  *object,
                CwWorkorder *workorder)
{
  static const struct {
    const char  *value;
    CwShopState  state;
  } states[] = {
    { "expected", CW_SHOP_NOT_ARRIVED },
    { "in", CW_SHOP_IN },
    { "out", CW_SHOP_LEFT },
  };
  JsonNode *node = member (object, "workshop_status");
  g_autofree char *text = NULL;
  const char *field = N_("in/out of shop state");

  if (!check (mapper, read_text (node, &text), PROBLEM_NOT_TEXT, field, node))
    return FALSE;

  /* Not given: the car is not known to be in the shop. */
  if (text == NULL)
    {
      cw_workorder_set_dms_shop_state (workorder, CW_SHOP_NOT_ARRIVED);
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (g_ascii_strcasecmp (text, states[i].value) == 0)
      {
        cw_workorder_set_dms_shop_state (workorder, states[i].state);
        return TRUE;
      }

  return fail (mapper, PROBLEM_UNKNOWN_VALUE, field, node);
}

static gboolean
map_vehicle (Mapper      *mapper,
             JsonObject  *order,
             CwWorkorder *workorder)
{
  static const struct {
    const char *name;
    const char *label;
    CwCarField  field;
  } fields[] = {
    { "license_plate", N_("registration number"), CW_CAR_PLATE },
    { "brand", N_("make"), CW_CAR_MAKE },
    { "model", N_("model"), CW_CAR_MODEL },
    { "vin", N_("VIN"), CW_CAR_VIN },
    { "engine_number", N_("engine number"), CW_CAR_ENGINE_NUMBER },
    { "notes", N_("car notes"), CW_CAR_NOTES },
    { "driver_id", N_("driver id"), CW_CAR_DRIVER_ID },
  };
  JsonNode *node = member (order, "vehicle");
  CwCar *car = cw_workorder_get_car (workorder);
  JsonObject *vehicle;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (mapper, PROBLEM_NOT_OBJECT, N_("car"), node);

  vehicle = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = NULL;

      if (!map_text (mapper, vehicle, fields[i].name, fields[i].label, &value))
        return FALSE;
      /* Normalises the plate: Autoflex keeps it as typed ("ab-123-c", "AB123C"). */
      cw_car_set_field (car, fields[i].field, value);
    }

  return TRUE;
}

static gboolean
map_relation (Mapper      *mapper,
              JsonObject  *order,
              CwWorkorder *workorder)
{
  static const struct {
    const char   *name;
    const char   *label;
    CwPartyField  field;
  } fields[] = {
    { "relation_id", N_("customer number"), CW_PARTY_DMS_ID },
    { "company_name", N_("company"), CW_PARTY_COMPANY },
    { "title", N_("title"), CW_PARTY_TITLE },
    { "last_name", N_("last name"), CW_PARTY_LAST_NAME },
    { "street", N_("street"), CW_PARTY_STREET },
    { "house_number", N_("house number"), CW_PARTY_HOUSE_NUMBER },
    { "postcode", N_("postcode"), CW_PARTY_POSTCODE },
    { "city", N_("place"), CW_PARTY_PLACE },
  };
  JsonNode *node = member (order, "relation");
  g_autoptr(CwParty) party = NULL;
  JsonObject *relation;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (mapper, PROBLEM_NOT_OBJECT, N_("customer"), node);

  /* The order's relation is who the order is for and who pays: the contractor. */
  party = cw_party_new (CW_PARTY_ROLE_CONTRACTOR);
  relation = json_node_get_object (node);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = NULL;

      if (!map_text (mapper, relation, fields[i].name, fields[i].label, &value))
        return FALSE;
      cw_party_set_field (party, fields[i].field, value);
    }

  /* A relation with nothing in it is no party (docs/domain.md). */
  if (!cw_party_is_empty (party))
    cw_workorder_set_party (workorder, party);

  return TRUE;
}

typedef struct
{
  gint64          sequence;
  guint           index;
  CwIntervention *line;
} Line;

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const Line *first = a;
  const Line *second = b;

  if (first->sequence != second->sequence)
    return first->sequence < second->sequence ? -1 : 1;

  /* Equal (or missing) sequence numbers keep the order Autoflex sent them in. */
  return first->index < second->index ? -1 : first->index > second->index;
}

static void
clear_line (Line *line)
{
  g_clear_object (&line->line);
}

static gboolean
map_line (Mapper     *mapper,
          JsonNode   *node,
          guint       number,
          Line       *line)
{
  g_autofree char *line_id = NULL;
  g_autofree char *title = NULL;
  JsonObject *object;
  JsonNode *value;
  gint64 cents;
  ReadResult result;

  mapper->line = number;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (mapper, PROBLEM_NOT_OBJECT, FIELD_LINE, node);
  object = json_node_get_object (node);

  if (!map_text (mapper, object, "line_id", FIELD_LINE, &line_id) ||
      !map_text (mapper, object, "description", FIELD_LINE_TITLE, &title))
    return FALSE;

  value = member (object, "sequence");
  result = read_int (value, G_MININT64, G_MAXINT64, &line->sequence);
  if (!check (mapper, result, PROBLEM_NOT_NUMBER, FIELD_LINE_POSITION, value))
    return FALSE;
  /* Lines without a position go after the numbered ones, in the order sent. */
  if (result == READ_MISSING)
    line->sequence = G_MAXINT64;

  line->line = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  cw_intervention_set_dms_line_id (line->line, line_id);
  cw_intervention_set_title (line->line, title);
  /* Autoflex does not tell labour from parts (Claire's Autoflex list has no such split). */
  cw_intervention_set_element_kind (line->line, CW_ELEMENT_KIND_UNSPECIFIED);

  value = member (object, "price_excl_vat");
  result = read_amount (value, &cents);
  if (!check (mapper, result, PROBLEM_NOT_AMOUNT, FIELD_LINE_PRICE, value))
    return FALSE;
  /* No price is a text line, which differs from a line that costs nothing. */
  if (result == READ_OK)
    cw_intervention_set_price (line->line, cents);

  return TRUE;
}

static gboolean
map_lines (Mapper      *mapper,
           JsonObject  *order,
           CwWorkorder *workorder)
{
  JsonNode *node = member (order, "lines");
  g_autoptr(GArray) lines = NULL;
  JsonArray *array;
  guint n_lines;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (mapper, PROBLEM_NOT_LIST, N_("interventions"), node);

  array = json_node_get_array (node);
  n_lines = json_array_get_length (array);
  lines = g_array_sized_new (FALSE, TRUE, sizeof (Line), n_lines);
  g_array_set_clear_func (lines, (GDestroyNotify) clear_line);

  for (guint i = 0; i < n_lines; i++)
    {
      Line line = { 0, i, NULL };

      if (!map_line (mapper, json_array_get_element (array, i), i + 1, &line))
        {
          clear_line (&line);
          return FALSE;
        }
      g_array_append_val (lines, line);
    }

  /* Autoflex's order, which the workshop chose and the advisor expects to see. */
  g_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    cw_workorder_append_intervention (workorder, g_array_index (lines, Line, i).line);

  return TRUE;
}

/* The order itself, once it is known to be a workshop order with an identity. */
static gboolean
map_order_fields (Mapper      *mapper,
                  JsonObject  *object,
                  CwWorkorder *workorder)
{
  g_autofree char *notes = NULL;
  JsonNode *node;
  gint64 mileage;

  if (!map_time (mapper, object, "appointment_date", N_("appointment date"), workorder,
                 CW_WORKORDER_APPOINTMENT, TRUE) ||
      !map_time (mapper, object, "order_date", N_("creation date"), workorder,
                 CW_WORKORDER_DMS_CREATED, FALSE) ||
      !map_time (mapper, object, "planned_in", N_("scheduled in date"), workorder,
                 CW_WORKORDER_SCHEDULED_IN, FALSE) ||
      !map_time (mapper, object, "planned_out", N_("scheduled out date"), workorder,
                 CW_WORKORDER_SCHEDULED_OUT, FALSE))
    return FALSE;

  if (!map_flag (mapper, object, "is_invoiced", N_("invoiced flag"), workorder, CW_WORKORDER_BILLED) ||
      !map_flag (mapper, object, "is_internal", N_("internal flag"), workorder, CW_WORKORDER_INTERNAL) ||
      !map_flag (mapper, object, "is_cancelled", N_("canceled flag"), workorder, CW_WORKORDER_DMS_CANCELED))
    return FALSE;

  if (!map_text (mapper, object, "notes", N_("DMS notes"), &notes))
    return FALSE;
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NOTES, notes);

  node = member (object, "mileage");
  switch (read_int (node, 0, MAX_MILEAGE_KM, &mileage))
    {
    case READ_OK:
      cw_workorder_set_dms_mileage (workorder, mileage);
      break;
    case READ_MISSING:
      cw_workorder_set_dms_mileage (workorder, CW_MILEAGE_UNKNOWN);
      break;
    case READ_RANGE:
      return fail (mapper, PROBLEM_OUT_OF_RANGE, N_("mileage"), node);
    case READ_BAD:
    default:
      return fail (mapper, PROBLEM_NOT_NUMBER, N_("mileage"), node);
    }

  return map_shop_state (mapper, object, workorder) &&
         map_vehicle (mapper, object, workorder) &&
         map_relation (mapper, object, workorder) &&
         map_lines (mapper, object, workorder);
}

/**
 * cw_autoflex_map_order:
 * @order: one element of a page's `data`
 * @connection_id: (nullable): the connection, set on the workorder
 * @skipped: (out): set when the order is no workshop order and must be left out
 * @dms_key: (out) (optional) (nullable): the order's identity, as far as it could be read
 * @wo_number: (out) (optional) (nullable): its WO number, as far as it could be read
 * @error: return location for a %CW_DMS_ERROR_MALFORMED naming the order and the field
 *
 * Maps one Autoflex order. Returns %NULL without an error for an order that is not a
 * workshop order (@skipped is then set).
 *
 * Returns: (transfer full) (nullable): the workorder
 */
CwWorkorder *
cw_autoflex_map_order (JsonNode    *order,
                       const char  *connection_id,
                       gboolean    *skipped,
                       char       **dms_key,
                       char       **wo_number,
                       GError     **error)
{
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autofree char *key = NULL;
  g_autofree char *number = NULL;
  g_autofree char *label = NULL;
  Mapper mapper = { NULL, error };
  JsonObject *object;
  JsonNode *node;
  ReadResult id_result, number_result, type_result;
  gint64 order_id, order_type;

  g_return_val_if_fail (order != NULL, NULL);
  g_return_val_if_fail (skipped != NULL, NULL);

  *skipped = FALSE;
  if (dms_key != NULL)
    *dms_key = NULL;
  if (wo_number != NULL)
    *wo_number = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (order))
    {
      g_autofree char *shown = node_to_display (order);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: %s is what Autoflex sent instead of an order. */
                   _("Autoflex sent an order Claire Workshop cannot read (%s). If this persists, contact the supplier of Autoflex."),
                   shown);
      return NULL;
    }
  object = json_node_get_object (order);

  /* A car sale or purchase is listed with the orders but is none of the workshop's
   * business: left out whatever else is wrong with it. */
  node = member (object, "order_type");
  type_result = read_int (node, G_MININT64, G_MAXINT64, &order_type);
  if (type_result == READ_OK && order_type != CW_AUTOFLEX_ORDER_TYPE_WORKSHOP)
    {
      *skipped = TRUE;
      return NULL;
    }

  id_result = read_int (member (object, "order_id"), 1, G_MAXINT64, &order_id);
  if (id_result == READ_OK)
    key = g_strdup_printf ("%" G_GINT64_FORMAT, order_id);
  number_result = read_text (member (object, "order_number"), &number);

  if (dms_key != NULL)
    *dms_key = g_strdup (key);
  if (wo_number != NULL)
    *wo_number = g_strdup (number);

  label = order_label (number, key);
  mapper.label = label;

  /* The identity first: without it the order cannot be stored or named. Then the type:
   * without it an order might be a car sale, so it is never taken on trust. */
  if (!require (&mapper, id_result, PROBLEM_NOT_NUMBER, N_("DMS number"), member (object, "order_id")) ||
      !require (&mapper, number_result, PROBLEM_NOT_TEXT, N_("WO number"), member (object, "order_number")) ||
      !require (&mapper, type_result, PROBLEM_NOT_NUMBER, N_("order type"), node))
    return NULL;

  workorder = cw_workorder_new ();
  cw_workorder_set_field (workorder, CW_WORKORDER_CONNECTION_ID, connection_id);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_KEY, key);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NUMBER, key);
  cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, number);

  if (!map_order_fields (&mapper, object, workorder))
    return NULL;

  return g_steal_pointer (&workorder);
}

/*
 * Pages
 */

/**
 * cw_autoflex_get_error:
 * @root: (nullable): an answer of Autoflex
 * @code: (out) (optional): the `errorCode`, 0 when it is not a number
 * @message: (out) (optional) (transfer full) (nullable): the `errorMessage`
 *
 * Autoflex reports errors as `{"errorCode": …, "errorMessage": …}`, also with HTTP 200.
 *
 * Returns: %TRUE if @root is such an error
 */
gboolean
cw_autoflex_get_error (JsonNode  *root,
                       gint64    *code,
                       char     **message)
{
  JsonObject *object;
  JsonNode *node;
  g_autofree char *text = NULL;
  gint64 number;

  if (code != NULL)
    *code = 0;
  if (message != NULL)
    *message = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  object = json_node_get_object (root);
  node = member (object, "errorCode");
  if (node == NULL)
    return FALSE;

  if (code != NULL && read_int (node, G_MININT64, G_MAXINT64, &number) == READ_OK)
    *code = number;
  if (message != NULL && read_text (member (object, "errorMessage"), &text) == READ_OK)
    *message = g_steal_pointer (&text);

  return TRUE;
}

/* Autoflex's own message, safe to show: valid UTF-8, no control or format characters, and
 * cut short if long. Longer than cw_text_quote() allows, as the whole sentence helps. */
static char *
dup_message (const char *message)
{
  g_autofree char *valid = NULL;
  GString *shown = g_string_new (NULL);
  guint n_chars = 0;

  if (message == NULL)
    return g_string_free (shown, FALSE);

  valid = g_utf8_make_valid (message, strnlen (message, MAX_MESSAGE_CHARS * 4 + 4));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (n_chars == MAX_MESSAGE_CHARS)
        {
          g_string_append (shown, "…");
          break;
        }

      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT || type == G_UNICODE_UNASSIGNED ||
          type == G_UNICODE_PRIVATE_USE || type == G_UNICODE_SURROGATE ||
          type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_unichar (shown, 0xFFFD);
      else
        g_string_append_unichar (shown, c);
    }

  return g_string_free (shown, FALSE);
}

/**
 * cw_autoflex_error_new:
 * @code: Autoflex's `errorCode`
 * @message: (nullable): its `errorMessage`
 *
 * Returns: (transfer full): %CW_DMS_ERROR_LOGIN for code 401, else %CW_DMS_ERROR_DMS with
 *   Autoflex's message
 */
GError *
cw_autoflex_error_new (gint64      code,
                       const char *message)
{
  g_autofree char *quoted = NULL;
  g_autofree char *number = NULL;

  if (code == 401)
    return g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_LOGIN,
                                _("Autoflex refused the login: check the API key, user name and password in Preferences."));

  quoted = dup_message (message);
  number = g_strdup_printf ("%" G_GINT64_FORMAT, code);

  return g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_DMS,
                      /* Translators: the first %s is Autoflex's own message (in Dutch or
                       * English), the second its error code. */
                      _("Autoflex reported an error: “%s” (code %s). Try again later; if it persists, contact the supplier of Autoflex."),
                      quoted, number);
}

static void
set_page_error (GError     **error,
                const char  *detail)
{
  g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
               /* Translators: %s says what is wrong, e.g. "no list of orders". */
               _("Autoflex sent a page of orders Claire Workshop cannot read (%s). Try again later; if it persists, contact the supplier of Autoflex."),
               detail);
}

/**
 * cw_autoflex_map_page:
 * @root: an answer to `GET order`
 * @connection_id: (nullable): the connection, set on each workorder
 * @next_page: (out) (optional): whether Autoflex has a next page
 * @problems: (out) (optional) (element-type CwDmsProblem) (transfer full): the orders
 *   that could not be mapped
 * @error: return location for a #CwDmsError
 *
 * Maps the page envelope `{"data": [...], "nextpage": ...}`. Runs in any thread; reads
 * @root and changes nothing in it.
 *
 * Returns: (transfer full) (element-type CwWorkorder) (nullable): the workshop orders of
 *   the page, possibly none; %NULL with @error set when the page as a whole is unusable
 */
GPtrArray *
cw_autoflex_map_page (JsonNode    *root,
                      const char  *connection_id,
                      gboolean    *next_page,
                      GPtrArray  **problems,
                      GError     **error)
{
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  g_autofree char *message = NULL;
  JsonObject *object;
  JsonNode *node;
  JsonArray *data;
  gboolean more = FALSE;
  gint64 code;

  if (next_page != NULL)
    *next_page = FALSE;
  if (problems != NULL)
    *problems = NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_page_error (error, _("not a JSON object"));
      return NULL;
    }

  if (cw_autoflex_get_error (root, &code, &message))
    {
      g_propagate_error (error, cw_autoflex_error_new (code, message));
      return NULL;
    }

  object = json_node_get_object (root);
  node = member (object, "data");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      /* No list is not "no orders": the caller must not take it for an empty day. */
      set_page_error (error, _("no list of orders"));
      return NULL;
    }

  if (read_flag (member (object, "nextpage"), &more) == READ_BAD)
    {
      set_page_error (error, _("the next-page marker is neither true nor false"));
      return NULL;
    }

  workorders = g_ptr_array_new_with_free_func (g_object_unref);
  failed = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_dms_problem_free);
  data = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      g_autoptr(GError) order_error = NULL;
      g_autofree char *dms_key = NULL;
      g_autofree char *wo_number = NULL;
      CwWorkorder *workorder;
      gboolean skipped;

      workorder = cw_autoflex_map_order (json_array_get_element (data, i), connection_id,
                                         &skipped, &dms_key, &wo_number, &order_error);
      if (workorder != NULL)
        g_ptr_array_add (workorders, workorder);
      else if (!skipped)
        {
          g_debug ("%s", order_error->message);
          g_ptr_array_add (failed, cw_dms_problem_new (dms_key, wo_number,
                                                       g_steal_pointer (&order_error)));
        }
    }

  if (next_page != NULL)
    *next_page = more;
  if (problems != NULL)
    *problems = g_steal_pointer (&failed);

  return g_steal_pointer (&workorders);
}

/**
 * cw_autoflex_map_page_data:
 * @data: (array length=length): the body of an answer to `GET order`
 * @length: its length in bytes
 * @connection_id: (nullable): the connection, set on each workorder
 * @next_page: (out) (optional): whether Autoflex has a next page
 * @problems: (out) (optional) (element-type CwDmsProblem) (transfer full): the orders
 *   that could not be mapped
 * @error: return location for a #CwDmsError
 *
 * Parses and maps a page: the whole mapping from bytes, for tests and fuzzing. Any input
 * gives either workorders or an error.
 *
 * Returns: (transfer full) (element-type CwWorkorder) (nullable): the workshop orders of
 *   the page; %NULL with @error set when the page as a whole is unusable
 */
GPtrArray *
cw_autoflex_map_page_data (const char  *data,
                           gsize        length,
                           const char  *connection_id,
                           gboolean    *next_page,
                           GPtrArray  **problems,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) parse_error = NULL;

  if (next_page != NULL)
    *next_page = FALSE;
  if (problems != NULL)
    *problems = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  root = cw_json_parse (data, length, CW_AUTOFLEX_MAX_DEPTH, &parse_error);
  if (root == NULL)
    {
      g_debug ("Not an Autoflex page: %s", parse_error->message);
      if (g_error_matches (parse_error, CW_JSON_ERROR, CW_JSON_ERROR_TOO_DEEP))
        set_page_error (error, _("nested too deeply"));
      else
        set_page_error (error, _("not JSON"));
      return NULL;
    }

  return cw_autoflex_map_page (root, connection_id, next_page, problems, error);
}
