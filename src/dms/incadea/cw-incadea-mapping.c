/* cw-incadea-mapping.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-incadea-mapping"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-connector.h"
#include "cw-incadea-mapping.h"
#include "cw-json.h"
#include "cw-text.h"

/*
 * Incadea workorders into domain objects, and nothing else: no I/O, so that the tests and
 * the fuzz target can feed it anything. Incadea publishes no API; the shapes read here are
 * our interpretation, one table in docs/connectors/incadea.md. When a specification
 * arrives, this file and that table are what change.
 *
 * The rules (DESIGN §3): a missing field (absent, null, blank, or Dynamics NAV's empty date
 * 0001-01-01) is normal and leaves the domain field unset; a field that is there but
 * unusable is an error for this workorder only, naming it and the field.
 */

/* Plausibility limits. */
#define MAX_LINE_NUMBER   G_GINT64_CONSTANT (999999999)
#define MAX_PAGE          G_GINT64_CONSTANT (1000000)

typedef struct
{
  /* How the workorder is named in messages (its WO number, else its DMS number), the line
   * being read, if any, and the object a field sits in ("vehicle"), if any. */
  const char *workorder;
  const char *line;
  const char *object;
} Where;

/* ------------------------------------------------------------------------------------- */
/* Errors                                                                                */
/* ------------------------------------------------------------------------------------- */

static char *
dup_node_text (JsonNode *node)
{
  return node != NULL ? cw_json_node_dup_quoted (node) : g_strdup (_("nothing"));
}

/*
 * @expected is a translated phrase ("a whole number of kilometres"); @value is what Incadea
 * sent, shown as JSON so that "12" and 12 can be told apart.
 */
static void
set_malformed (GError      **error,
               const Where  *where,
               const char   *name,
               const char   *expected,
               JsonNode     *value)
{
  g_autofree char *workorder = cw_text_quote (where->workorder);
  g_autofree char *got = dup_node_text (value);
  g_autofree char *field = where->object != NULL ? g_strconcat (where->object, ".", name, NULL)
                                                 : g_strdup (name);

  if (where->line != NULL)
    {
      g_autofree char *line = cw_text_quote (where->line);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the first %s is a line number, the second a WO number, the
                    * third an Incadea field name such as "price", the fourth what was
                    * expected ("an amount such as 189.50"), the last what Incadea sent. */
                   _("Incadea sent line %s of workorder %s with an unusable “%s”: expected %s, "
                     "got %s. Check the workorder in Incadea; if it looks right there, report "
                     "this to the supplier of Incadea."),
                   line, workorder, field, expected, got);
    }
  else
    {
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the first %s is a WO number, the second an Incadea field
                    * name such as "mileageKm", the third what was expected ("a whole number
                    * of kilometres"), the last what Incadea sent. */
                   _("Incadea sent workorder %s with an unusable “%s”: expected %s, got %s. "
                     "Check the workorder in Incadea; if it looks right there, report this to "
                     "the supplier of Incadea."),
                   workorder, field, expected, got);
    }
}

static void
set_unreadable_answer (GError     **error,
                       const char  *reason)
{
  g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
               /* Translators: %s says what is wrong with the answer. */
               _("Incadea sent an answer Claire Workshop cannot read (%s). Try again; if it "
                 "persists, contact the supplier of Incadea."),
               reason);
}

/* ------------------------------------------------------------------------------------- */
/* Reading fields                                                                        */
/* ------------------------------------------------------------------------------------- */

/*
 * A text member: a string, trimmed (blank counts as missing), or a whole number, which a
 * Dynamics NAV code field may come out as ("workorderNo": 80123).
 */
static gboolean
read_text (JsonObject   *object,
           const char   *name,
           const Where  *where,
           char        **out,
           GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (cw_json_read_text (node, out) != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, _("text"), node);
  return FALSE;
}

/*
 * A whole number in [@min, @max]: a JSON integer, a double without a fraction, or the same
 * written as a string (a gateway that quotes every number).
 */
static gboolean
read_whole (JsonObject   *object,
            const char   *name,
            gint64        min,
            gint64        max,
            const char   *expected,
            const Where  *where,
            gboolean     *present,
            gint64       *out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  CwJsonRead found = cw_json_read_whole (node, min, max, out);

  *present = found == CW_JSON_READ_OK;
  if (found != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, expected, node);
  return FALSE;
}

/* A yes/no: true/false, 1/0, or the same as a string ("true", "1"). */
static gboolean
read_flag (JsonObject   *object,
           const char   *name,
           const Where  *where,
           gboolean     *present,
           gboolean     *out,
           GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  CwJsonRead found = cw_json_read_flag (node, out);

  *present = found == CW_JSON_READ_OK;
  if (found != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, _("true or false"), node);
  return FALSE;
}

/* "2026-11-21" into @date; FALSE for anything else. */
static gboolean
parse_day (const char *text,
           GDate      *date)
{
  unsigned year, month, day;
  int end = 0;

  if (strlen (text) != 10 ||
      sscanf (text, "%4u-%2u-%2u%n", &year, &month, &day, &end) != 3 || end != 10 ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[8]))
    return FALSE;

  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* NAV writes an empty date as 0001-01-01 (with or without a time): no date. */
static gboolean
is_empty_nav_date (const char *text)
{
  return g_str_has_prefix (text, "0001-01-01");
}

/*
 * A calendar date, "2019-03-14". A date with a time of midnight (how a gateway may render a
 * Date) is that date.
 */
static gboolean
read_date (JsonObject   *object,
           const char   *name,
           const Where  *where,
           gboolean     *present,
           GDate        *out,
           GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *text = NULL;
  CwJsonRead found;

  *present = FALSE;
  g_date_clear (out, 1);
  found = cw_json_read_string (node, &text);
  if (found == CW_JSON_READ_OK)
    {
      if (is_empty_nav_date (text))
        return TRUE;

      if (strlen (text) > 10 && g_str_has_prefix (text + 10, "T00:00:00"))
        text[10] = '\0';

      if (parse_day (text, out))
        {
          *present = TRUE;
          return TRUE;
        }
    }
  else if (found != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, _("a date such as 2025-10-02"), node);
  return FALSE;
}

/*
 * A moment in ISO 8601: with a zone, that zone; without one, the dealer's local time (which
 * is this computer's). A date alone is midnight.
 */
static gboolean
read_date_time (JsonObject   *object,
                const char   *name,
                const Where  *where,
                GDateTime   **out,
                GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *text = NULL;
  CwJsonRead found;

  *out = NULL;
  found = cw_json_read_string (node, &text);
  if (found == CW_JSON_READ_OK)
    {
      if (is_empty_nav_date (text))
        return TRUE;

      *out = cw_json_date_time_from_iso8601 (text);
      if (*out != NULL)
        return TRUE;
    }
  else if (found != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, _("a date and time such as 2026-11-21T09:30:00"), node);
  return FALSE;
}

/* A price in euros into cents, exactly (see cw_json_read_cents()). */
static gboolean
read_price (JsonObject   *object,
            const char   *name,
            const Where  *where,
            gboolean     *present,
            gint64       *cents,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  CwJsonRead found = cw_json_read_cents (node, cents);

  *present = found == CW_JSON_READ_OK;
  if (found != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, _("an amount in euros such as 189.50"), node);
  return FALSE;
}

/* An ISO 4217 code: three capital letters. */
static gboolean
read_currency (JsonObject   *object,
               const char   *name,
               const Where  *where,
               char        **out,
               GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *text = NULL;

  *out = NULL;
  if (!read_text (object, name, where, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  if (strlen (text) == 3 && g_ascii_isupper (text[0]) && g_ascii_isupper (text[1]) &&
      g_ascii_isupper (text[2]))
    {
      *out = g_steal_pointer (&text);
      return TRUE;
    }

  set_malformed (error, where, name, _("a currency code such as EUR"), node);
  return FALSE;
}

/* A member that must be an object when it is there; NULL when it is missing. */
static gboolean
read_object (JsonObject   *object,
             const char   *name,
             const Where  *where,
             JsonObject  **out,
             GError      **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (cw_json_read_object (node, out) != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, _("an object"), node);
  return FALSE;
}

/* ------------------------------------------------------------------------------------- */
/* The parts of a workorder                                                              */
/* ------------------------------------------------------------------------------------- */

static gboolean
map_times (CwWorkorder  *workorder,
           JsonObject   *order,
           const Where  *where,
           GError      **error)
{
  static const struct {
    const char      *name;
    CwWorkorderTime  which;
  } times[] = {
    { "appointmentAt", CW_WORKORDER_APPOINTMENT },
    { "createdAt", CW_WORKORDER_DMS_CREATED },
    { "scheduledInAt", CW_WORKORDER_SCHEDULED_IN },
    { "scheduledOutAt", CW_WORKORDER_SCHEDULED_OUT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(GDateTime) at = NULL;

      if (!read_date_time (order, times[i].name, where, &at, error))
        return FALSE;
      cw_workorder_set_time (workorder, times[i].which, at);
    }

  return TRUE;
}

static gboolean
map_state (CwWorkorder  *workorder,
           JsonObject   *order,
           const Where  *where,
           GError      **error)
{
  static const struct {
    const char  *name;
    CwShopState  shop;
  } shop_states[] = {
    { "notArrived", CW_SHOP_NOT_ARRIVED },
    { "inShop", CW_SHOP_IN },
    { "left", CW_SHOP_LEFT },
  };
  g_autofree char *shop = NULL;
  gboolean present, flag;
  gint64 km;

  if (!read_flag (order, "customerWaiting", where, &present, &flag, error))
    return FALSE;
  cw_workorder_set_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING, flag);

  if (!read_flag (order, "canceled", where, &present, &flag, error))
    return FALSE;
  cw_workorder_set_flag (workorder, CW_WORKORDER_DMS_CANCELED, flag);

  if (!read_whole (order, "mileageKm", 0, CW_INCADEA_MAX_MILEAGE_KM,
                   _("a whole number of kilometres"), where, &present, &km, error))
    return FALSE;
  cw_workorder_set_dms_mileage (workorder, present ? km : CW_MILEAGE_UNKNOWN);

  if (!read_text (order, "shopStatus", where, &shop, error))
    return FALSE;
  if (shop != NULL)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (shop_states); i++)
        if (g_ascii_strcasecmp (shop, shop_states[i].name) == 0)
          break;

      /* A state we do not know is not guessed: in the shop or not matters at the desk. */
      if (i == G_N_ELEMENTS (shop_states))
        {
          set_malformed (error, where, "shopStatus", _("notArrived, inShop or left"),
                         json_object_get_member (order, "shopStatus"));
          return FALSE;
        }
      cw_workorder_set_dms_shop_state (workorder, shop_states[i].shop);
    }

  return TRUE;
}

static gboolean
map_vehicle (CwWorkorder  *workorder,
             JsonObject   *order,
             const Where  *order_where,
             GError      **error)
{
  static const struct {
    const char *name;
    CwCarField  field;
  } texts[] = {
    { "make", CW_CAR_MAKE },
    { "model", CW_CAR_MODEL },
    { "licensePlate", CW_CAR_PLATE },
    { "vin", CW_CAR_VIN },
    { "driverId", CW_CAR_DRIVER_ID },
    { "ownerId", CW_CAR_OWNER_ID },
  };
  static const struct {
    const char *name;
    CwCarDate   which;
  } dates[] = {
    { "firstRegistrationDate", CW_CAR_FIRST_REGISTRATION },
    { "apkDueDate", CW_CAR_APK_DATE },
    { "warrantyStartDate", CW_CAR_WARRANTY_START },
    { "warrantyEndDate", CW_CAR_WARRANTY_END },
  };
  CwCar *car = cw_workorder_get_car (workorder);
  Where where = *order_where;
  JsonObject *vehicle;

  if (!read_object (order, "vehicle", order_where, &vehicle, error))
    return FALSE;
  if (vehicle == NULL)
    return TRUE;

  where.object = "vehicle";

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *text = NULL;

      if (!read_text (vehicle, texts[i].name, &where, &text, error))
        return FALSE;
      /* The car normalises the plate ("ab-123-c" → "AB123C"). */
      cw_car_set_field (car, texts[i].field, text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      GDate date;
      gboolean present;

      if (!read_date (vehicle, dates[i].name, &where, &present, &date, error))
        return FALSE;
      cw_car_set_date (car, dates[i].which, present ? &date : NULL);
    }

  return TRUE;
}

static gboolean
map_party (CwWorkorder  *workorder,
           JsonObject   *order,
           const char   *name,
           CwPartyRole   role,
           const Where  *order_where,
           GError      **error)
{
  static const struct {
    const char   *name;
    CwPartyField  field;
  } texts[] = {
    { "id", CW_PARTY_DMS_ID },
    { "companyName", CW_PARTY_COMPANY },
    { "firstName", CW_PARTY_FIRST_NAME },
    { "lastName", CW_PARTY_LAST_NAME },
    { "address", CW_PARTY_STREET },
    { "postCode", CW_PARTY_POSTCODE },
    { "city", CW_PARTY_PLACE },
    { "privateEmail", CW_PARTY_PRIVATE_EMAIL },
    { "privatePhone", CW_PARTY_PRIVATE_PHONE },
    { "privateMobile", CW_PARTY_PRIVATE_MOBILE },
    { "businessEmail", CW_PARTY_BUSINESS_EMAIL },
    { "businessPhone", CW_PARTY_BUSINESS_PHONE },
    { "businessMobile", CW_PARTY_BUSINESS_MOBILE },
  };
  g_autoptr(CwParty) party = cw_party_new (role);
  Where where = *order_where;
  JsonObject *object;
  gboolean present, lease;

  if (!read_object (order, name, order_where, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;

  where.object = name;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *text = NULL;

      if (!read_text (object, texts[i].name, &where, &text, error))
        return FALSE;
      cw_party_set_field (party, texts[i].field, text);
    }

  if (!read_flag (object, "isLeaseCompany", &where, &present, &lease, error))
    return FALSE;
  cw_party_set_lease_company (party, lease);

  /* An object with nothing in it is no party. */
  if (!cw_party_is_empty (party))
    cw_workorder_set_party (workorder, party);

  return TRUE;
}

typedef struct
{
  CwIntervention *intervention;
  gint64          number;
  gboolean        numbered;
  guint           position;
} Line;

static void
line_free (Line *line)
{
  g_clear_object (&line->intervention);
  g_free (line);
}

/* lineNo order; lines without one after the rest, in the order they came. */
static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const Line *x = *(const Line * const *) a;
  const Line *y = *(const Line * const *) b;

  if (x->numbered != y->numbered)
    return x->numbered ? -1 : 1;
  if (x->numbered && x->number != y->number)
    return x->number < y->number ? -1 : 1;

  return x->position < y->position ? -1 : (x->position > y->position);
}

static CwElementKind
element_kind_from_type (const char *type)
{
  static const struct {
    const char    *name;
    CwElementKind  kind;
  } kinds[] = {
    { "labour", CW_ELEMENT_KIND_LABOUR },
    { "labor", CW_ELEMENT_KIND_LABOUR },
    { "part", CW_ELEMENT_KIND_PART },
    { "item", CW_ELEMENT_KIND_PART },
    { "menu", CW_ELEMENT_KIND_MENU },
    { "note", CW_ELEMENT_KIND_NOTE },
    { "text", CW_ELEMENT_KIND_NOTE },
  };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (type, kinds[i].name) == 0)
      return kinds[i].kind;

  /* A kind we do not know is kept as "unspecified", never guessed. */
  return CW_ELEMENT_KIND_UNSPECIFIED;
}

static Line *
map_line (JsonNode     *node,
          guint         position,
          const char   *workorder_name,
          GError      **error)
{
  g_autoptr(CwIntervention) intervention = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autofree char *label = g_strdup_printf ("%u", position + 1);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *type = NULL;
  g_autofree char *item = NULL;
  g_autofree char *currency = NULL;
  Where where = { workorder_name, label, NULL };
  JsonObject *row;
  Line *line;
  gboolean present;
  gint64 number;
  gint64 cents;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      where.line = NULL;
      set_malformed (error, &where, "lines", _("a list of objects"), node);
      return NULL;
    }
  row = json_node_get_object (node);

  if (!read_whole (row, "lineNo", 0, MAX_LINE_NUMBER, _("a whole number"), &where,
                   &present, &number, error))
    return NULL;

  if (present)
    {
      g_free (label);
      label = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      where.line = label;
      cw_intervention_set_dms_line_id (intervention, label);
    }

  if (!read_text (row, "type", &where, &type, error) ||
      !read_text (row, "title", &where, &title, error) ||
      !read_text (row, "description", &where, &description, error) ||
      !read_text (row, "itemNo", &where, &item, error) ||
      !read_price (row, "price", &where, &present, &cents, error) ||
      !read_currency (row, "currencyCode", &where, &currency, error))
    return NULL;

  cw_intervention_set_element_kind (intervention, element_kind_from_type (type));
  cw_intervention_set_title (intervention, title);
  cw_intervention_set_description (intervention, description);
  if (present)
    cw_intervention_set_price (intervention, cents);
  if (currency != NULL)
    cw_intervention_set_currency (intervention, currency);
  if (item != NULL)
    {
      const char * const codes[] = { item, NULL };

      cw_intervention_set_part_codes (intervention, codes);
    }

  line = g_new0 (Line, 1);
  line->intervention = g_steal_pointer (&intervention);
  line->number = number;
  line->numbered = cw_intervention_get_dms_line_id (line->intervention) != NULL;
  line->position = position;

  return line;
}

static gboolean
map_lines (CwWorkorder  *workorder,
           JsonObject   *order,
           const Where  *where,
           GError      **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  JsonNode *node = json_object_get_member (order, "lines");
  JsonArray *rows;

  if (cw_json_node_is_missing (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_malformed (error, where, "lines", _("a list of objects"), node);
      return FALSE;
    }

  rows = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      Line *line = map_line (json_array_get_element (rows, i), i, where->workorder, error);

      if (line == NULL)
        return FALSE;
      g_ptr_array_add (lines, line);
    }

  /* The DMS's order is lineNo's (Dynamics NAV numbers lines 10000, 20000, …), whatever
   * the order of the answer. */
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    cw_workorder_append_intervention (workorder, ((Line *) g_ptr_array_index (lines, i))->intervention);

  return TRUE;
}

/* ------------------------------------------------------------------------------------- */
/* The workorder                                                                         */
/* ------------------------------------------------------------------------------------- */

/**
 * cw_incadea_map_order:
 * @order: one workorder as Incadea sends it
 * @connection_id: (nullable): the connection, set on the workorder
 * @dms_key: (out) (optional) (transfer full) (nullable): the workorder's `id`, as far as it
 *   could be read, also when it could not be mapped
 * @wo_number: (out) (optional) (transfer full) (nullable): likewise its WO number
 * @error: return location for a #CwDmsError
 *
 * Maps one Incadea workorder (docs/connectors/incadea.md). Its `id` is the DMS number and
 * the DMS key. Fails with %CW_DMS_ERROR_MALFORMED for a field that is there but unusable,
 * with a message that names the workorder and the field.
 *
 * Returns: (transfer full) (nullable): the workorder
 */
CwWorkorder *
cw_incadea_map_order (JsonNode     *order,
                      const char   *connection_id,
                      char        **dms_key,
                      char        **wo_number,
                      GError      **error)
{
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;
  Where where = { NULL, NULL, NULL };
  JsonObject *object;

  if (dms_key != NULL)
    *dms_key = NULL;
  if (wo_number != NULL)
    *wo_number = NULL;

  g_return_val_if_fail (order != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (order))
    {
      set_unreadable_answer (error, _("a workorder is not an object"));
      return NULL;
    }
  object = json_node_get_object (order);

  if (!read_text (object, "id", &where, &id, NULL) || id == NULL)
    {
      g_autofree char *got = dup_node_text (json_object_get_member (object, "id"));

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: %s is what Incadea sent as the workorder's id, possibly
                    * nothing. */
                   _("Incadea sent a workorder without a usable id (“id”: %s), so it cannot "
                     "be imported. Report this to the supplier of Incadea."),
                   got);
      return NULL;
    }
  if (dms_key != NULL)
    *dms_key = g_strdup (id);

  where.workorder = id;
  if (!read_text (object, "workorderNo", &where, &number, error))
    return NULL;
  if (number != NULL)
    where.workorder = number;
  if (wo_number != NULL)
    *wo_number = g_strdup (number);

  workorder = cw_workorder_new ();
  if (connection_id != NULL)
    cw_workorder_set_field (workorder, CW_WORKORDER_CONNECTION_ID, connection_id);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_KEY, id);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NUMBER, id);
  cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, number);

  if (!map_times (workorder, object, &where, error) ||
      !map_state (workorder, object, &where, error) ||
      !map_vehicle (workorder, object, &where, error) ||
      !map_party (workorder, object, "driver", CW_PARTY_ROLE_DRIVER, &where, error) ||
      !map_party (workorder, object, "owner", CW_PARTY_ROLE_OWNER, &where, error) ||
      !map_lines (workorder, object, &where, error))
    return NULL;

  return g_steal_pointer (&workorder);
}

/* ------------------------------------------------------------------------------------- */
/* Pages and errors                                                                      */
/* ------------------------------------------------------------------------------------- */

/**
 * cw_incadea_format_day:
 * @day: a valid date
 *
 * Returns: (transfer full): @day as a query parameter, "2026-11-21"
 */
char *
cw_incadea_format_day (const GDate *day)
{
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (day), g_date_get_month (day),
                          g_date_get_day (day));
}

/**
 * cw_incadea_get_error:
 * @body: (nullable): a parsed answer
 * @code: (out) (optional) (transfer full) (nullable): the error's code ("mileageNotHigher")
 * @message: (out) (optional) (transfer full) (nullable): Incadea's own message
 * @current_mileage: (out) (optional): the `currentMileageKm` of the error, or -1
 *
 * Reads Incadea's error envelope, `{"error": {"code", "message", …}}`.
 *
 * Returns: %TRUE if @body is one
 */
gboolean
cw_incadea_get_error (JsonNode  *body,
                      char     **code,
                      char     **message,
                      gint64    *current_mileage)
{
  const Where nowhere = { "", NULL, NULL };
  JsonObject *object;
  JsonNode *node;
  gboolean present;
  gint64 km;

  if (code != NULL)
    *code = NULL;
  if (message != NULL)
    *message = NULL;
  if (current_mileage != NULL)
    *current_mileage = -1;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return FALSE;

  node = json_object_get_member (json_node_get_object (body), "error");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);

  if (code != NULL)
    read_text (object, "code", &nowhere, code, NULL);
  if (message != NULL)
    read_text (object, "message", &nowhere, message, NULL);
  if (current_mileage != NULL &&
      read_whole (object, "currentMileageKm", 0, CW_INCADEA_MAX_MILEAGE_KM, "", &nowhere,
                  &present, &km, NULL) && present)
    *current_mileage = km;

  return TRUE;
}

/**
 * cw_incadea_map_page:
 * @root: a parsed answer of `GET workorders`
 * @connection_id: (nullable): the connection, set on each workorder
 * @next_page: (out) (optional): the next page's number, 0 when this is the last
 * @problems: (out) (optional) (transfer full) (element-type CwDmsProblem): the workorders
 *   that could not be mapped, each with why
 * @error: return location for a #CwDmsError
 *
 * Maps a page `{"value": [workorder, …], "nextPage": 2}`. One workorder that cannot be
 * mapped is a problem of its own; the rest of the page is used.
 *
 * Returns: (transfer full) (element-type CwWorkorder) (nullable): the workorders, possibly
 *   none; %NULL with @error set when the page as a whole is unusable
 */
GPtrArray *
cw_incadea_map_page (JsonNode    *root,
                     const char  *connection_id,
                     gint64      *next_page,
                     GPtrArray  **problems,
                     GError     **error)
{
  const Where nowhere = { "", NULL, NULL };
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  JsonObject *object;
  JsonNode *node;
  JsonArray *rows;
  gboolean present;
  gint64 next = 0;

  if (next_page != NULL)
    *next_page = 0;
  if (problems != NULL)
    *problems = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_unreadable_answer (error, _("it is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  node = json_object_get_member (object, "value");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      /* No list is not "no workorders": the caller must not take it for an empty day. */
      set_unreadable_answer (error, _("it has no “value” list"));
      return NULL;
    }

  if (!read_whole (object, "nextPage", 1, MAX_PAGE, "", &nowhere, &present, &next, NULL))
    {
      set_unreadable_answer (error, _("its “nextPage” is not a page number"));
      return NULL;
    }

  workorders = g_ptr_array_new_with_free_func (g_object_unref);
  failed = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_dms_problem_free);
  rows = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      g_autoptr(GError) order_error = NULL;
      g_autofree char *dms_key = NULL;
      g_autofree char *wo_number = NULL;
      CwWorkorder *workorder;

      workorder = cw_incadea_map_order (json_array_get_element (rows, i), connection_id,
                                        &dms_key, &wo_number, &order_error);
      if (workorder != NULL)
        g_ptr_array_add (workorders, workorder);
      else
        {
          g_debug ("%s", order_error->message);
          g_ptr_array_add (failed, cw_dms_problem_new (dms_key, wo_number,
                                                       g_steal_pointer (&order_error)));
        }
    }

  if (next_page != NULL)
    *next_page = present ? next : 0;
  if (problems != NULL)
    *problems = g_steal_pointer (&failed);

  return g_steal_pointer (&workorders);
}

static JsonNode *
parse_document (const char  *data,
                gsize        length,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      set_unreadable_answer (error, _("it is empty"));
      return NULL;
    }

  root = cw_json_parse (data, length, CW_INCADEA_MAX_DEPTH, &local_error);
  if (root == NULL)
    {
      g_debug ("Not an Incadea answer: %s", local_error->message);
      if (g_error_matches (local_error, CW_JSON_ERROR, CW_JSON_ERROR_TOO_DEEP))
        set_unreadable_answer (error, _("it is nested too deeply"));
      else
        set_unreadable_answer (error, _("it is not valid JSON"));
      return NULL;
    }

  return root;
}

/**
 * cw_incadea_map_page_data:
 * @data: (array length=length): the body of an answer to `GET workorders`
 * @length: its length in bytes
 *
 * cw_incadea_map_page() from JSON text, for the tests and the fuzz target. Any input is
 * safe: what is not an Incadea page is an error.
 *
 * Returns: (transfer full) (element-type CwWorkorder) (nullable): the workorders
 */
GPtrArray *
cw_incadea_map_page_data (const char  *data,
                          gsize        length,
                          const char  *connection_id,
                          gint64      *next_page,
                          GPtrArray  **problems,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (next_page != NULL)
    *next_page = 0;
  if (problems != NULL)
    *problems = NULL;

  root = parse_document (data, length, error);
  if (root == NULL)
    return NULL;

  return cw_incadea_map_page (root, connection_id, next_page, problems, error);
}

/**
 * cw_incadea_map_order_data:
 * @data: (array length=length): the body of an answer to `GET workorders/{id}`
 * @length: its length in bytes
 *
 * cw_incadea_map_order() from JSON text, for the tests and the fuzz target.
 *
 * Returns: (transfer full) (nullable): the workorder
 */
CwWorkorder *
cw_incadea_map_order_data (const char  *data,
                           gsize        length,
                           const char  *connection_id,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  root = parse_document (data, length, error);
  if (root == NULL)
    return NULL;

  return cw_incadea_map_order (root, connection_id, NULL, NULL, error);
}
