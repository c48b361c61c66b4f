/* cw-wincar-mapping.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-wincar-mapping"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-json.h"
#include "cw-text.h"
#include "cw-wincar-mapping.h"

/*
 * Wincar JSON into domain objects and back, and nothing else: no I/O, so that the tests and
 * the fuzz target can feed it anything. Wincar publishes no API; the shapes are our
 * interpretation, documented member by member in docs/connectors/wincar.md, and when the
 * vendor's specification arrives this file and that table are what change.
 *
 * The rules (DESIGN §3): a missing member (or null) is normal and leaves the domain field
 * unset; a member that is there but unusable is an error for this workorder, naming it and
 * the member; what is already stored is never touched by a workorder that fails.
 */

/* {"workorders": [ {"vehicle": {...}, "lines": [ {...} ]} ]} is 4 deep; far deeper is hostile. */
#define MAX_JSON_DEPTH 32

/* Plausibility limits. */
#define MAX_MILEAGE_KM  G_GINT64_CONSTANT (9999999)
#define MAX_SEQ         (G_GINT64_CONSTANT (1) << 53)
#define MAX_PRICE_EUROS 1e13
#define MAX_KEY_LENGTH  256

typedef struct
{
  /* For messages: how the workorder is named (its number, else its id), and the line
   * being read, if any. */
  const char *workorder;
  const char *line;
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
 * @expected is a translated phrase ("true or false"); @value is what Wincar sent, shown as
 * JSON so that "12" and 12 can be told apart; @field is the member as the table names it
 * ("vehicle.apkDate").
 */
static void
set_malformed (GError      **error,
               const Where  *where,
               const char   *field,
               const char   *expected,
               JsonNode     *value)
{
  g_autofree char *workorder = cw_text_quote (where->workorder);
  g_autofree char *got = dup_node_text (value);

  if (where->line != NULL)
    {
      g_autofree char *line = cw_text_quote (where->line);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the first %s is a line number, the second a WO number, the
                    * third a Wincar member name such as "price", the fourth what was expected
                    * ("an amount such as 189.50"), the last what Wincar sent. */
                   _("Wincar sent line %s of workorder %s with an unusable “%s”: expected %s, "
                     "got %s. Check the workorder in Wincar; if it looks right there, report "
                     "this to the supplier of Wincar."),
                   line, workorder, field, expected, got);
    }
  else
    {
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the first %s is a WO number, the second a Wincar member
                    * name such as "mileage", the third what was expected ("a whole number of
                    * kilometres"), the last what Wincar sent. */
                   _("Wincar sent workorder %s with an unusable “%s”: expected %s, got %s. "
                     "Check the workorder in Wincar; if it looks right there, report this to "
                     "the supplier of Wincar."),
                   workorder, field, expected, got);
    }
}

static void
set_unreadable_answer (GError     **error,
                       const char  *reason)
{
  g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
               /* Translators: %s says what is wrong with the answer. */
               _("Wincar sent an answer Claire Workshop cannot read (%s). Try again; if it "
                 "persists, report this to the supplier of Wincar."),
               reason);
}

/* ------------------------------------------------------------------------------------- */
/* Reading members                                                                       */
/* ------------------------------------------------------------------------------------- */

/* A string, trimmed (blank is missing), or a whole number as its digits; else NULL. */
static char *
node_dup_text (JsonNode *node)
{
  char *text;

  cw_json_read_text (node, &text);
  return text;
}

static gboolean
read_text (JsonObject   *object,
           const char   *member,
           const char   *field,
           const Where  *where,
           char        **out,
           GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (cw_json_read_text (node, out) != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, field, _("text"), node);
  return FALSE;
}

/* Only a JSON boolean: Wincar sends nothing else for a yes/no. */
static gboolean
read_flag (JsonObject   *object,
           const char   *member,
           const char   *field,
           const Where  *where,
           gboolean     *present,
           gboolean     *out,
           GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *present = FALSE;
  *out = FALSE;
  if (cw_json_node_is_missing (node))
    return TRUE;

  if (cw_json_node_value_type (node) != G_TYPE_BOOLEAN)
    {
      set_malformed (error, where, field, _("true or false"), node);
      return FALSE;
    }

  *present = TRUE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A whole number in [@min, @max] (see cw_json_read_whole()); unlike a missing one, a
 * blank string is unusable. */
static gboolean
read_whole (JsonObject   *object,
            const char   *member,
            gint64        min,
            gint64        max,
            const char   *expected,
            const Where  *where,
            gboolean     *present,
            gint64       *out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);
  CwJsonRead found = cw_json_read_whole (node, min, max, out);

  *present = found == CW_JSON_READ_OK;
  if (found == CW_JSON_READ_OK || found == CW_JSON_READ_MISSING)
    return TRUE;

  set_malformed (error, where, member, expected, node);
  return FALSE;
}

/*
 * A price in euros into cents, exactly (see cw_json_read_cents(); docs/money.md), below
 * 10¹³ euros whichever way it was written.
 */
static gboolean
read_price (JsonObject   *object,
            const Where  *where,
            gboolean     *present,
            gint64       *cents,
            GError      **error)
{
  static const char member[] = "price";
  JsonNode *node = json_object_get_member (object, member);
  CwJsonRead found = cw_json_read_cents (node, cents);

  *present = FALSE;
  if (found == CW_JSON_READ_OK && ABS (*cents) < (gint64) MAX_PRICE_EUROS * 100)
    {
      *present = TRUE;
      return TRUE;
    }
  if (found == CW_JSON_READ_MISSING || found == CW_JSON_READ_BLANK)
    return TRUE;

  *cents = 0;
  set_malformed (error, where, member, _("an amount in euros such as 189.50"), node);
  return FALSE;
}

/* ISO 8601; without a zone it is the dealer's local time (this computer's); a date alone
 * is midnight. */
static gboolean
read_date_time (JsonObject   *object,
                const char   *member,
                const Where  *where,
                GDateTime   **out,
                GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (cw_json_read_date_time (node, out) != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, member, _("a date and time such as 2026-11-21T09:30:00"), node);
  return FALSE;
}

/* "YYYY-MM-DD", a calendar date. */
/* "YYYY-MM-DD" with digits only: sscanf's %u alone would also take signs and spaces. */
static gboolean
is_iso_date_shape (const char *text)
{
  if (strlen (text) != 10)
    return FALSE;

  for (guint i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? text[i] != '-' : !g_ascii_isdigit (text[i]))
      return FALSE;

  return TRUE;
}

static gboolean
read_date (JsonObject   *object,
           const char   *member,
           const char   *field,
           const Where  *where,
           gboolean     *present,
           GDate        *out,
           GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *present = FALSE;
  g_date_clear (out, 1);
  if (cw_json_node_is_missing (node))
    return TRUE;

  if (cw_json_node_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      unsigned int year, month, day;
      int consumed = 0;

      if (is_iso_date_shape (text) &&
          sscanf (text, "%4u-%2u-%2u%n", &year, &month, &day, &consumed) == 3 &&
          consumed == 10 && text[4] == '-' && text[7] == '-' &&
          year >= 1 && year <= 9999 && month >= 1 && month <= 12 &&
          g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
        {
          g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
          *present = TRUE;
          return TRUE;
        }
    }

  set_malformed (error, where, field, _("a date such as 2025-10-02"), node);
  return FALSE;
}

/* An object member: missing is fine (*out NULL); anything but an object is not. */
static gboolean
read_object (JsonObject   *object,
             const char   *member,
             const Where  *where,
             JsonObject  **out,
             GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (cw_json_read_object (node, out) != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, member, _("an object"), node);
  return FALSE;
}

/* ------------------------------------------------------------------------------------- */
/* The workorder                                                                         */
/* ------------------------------------------------------------------------------------- */

/**
 * cw_wincar_order_dup_key:
 * @order: a Wincar workorder
 *
 * Returns: (transfer full) (nullable): its `id` (the DMS key) as text, %NULL when it has no
 *   usable one
 */
char *
cw_wincar_order_dup_key (JsonObject *order)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (order != NULL, NULL);

  key = node_dup_text (json_object_get_member (order, "id"));
  if (key == NULL || strlen (key) > MAX_KEY_LENGTH)
    return NULL;

  return g_steal_pointer (&key);
}

/**
 * cw_wincar_order_dup_number:
 * @order: a Wincar workorder
 *
 * Returns: (transfer full) (nullable): its WO number (`number`) as text
 */
char *
cw_wincar_order_dup_number (JsonObject *order)
{
  g_return_val_if_fail (order != NULL, NULL);

  return node_dup_text (json_object_get_member (order, "number"));
}

static gboolean
map_car (CwWorkorder  *workorder,
         JsonObject   *vehicle,
         const Where  *where,
         GError      **error)
{
  CwCar *car = cw_workorder_get_car (workorder);
  static const struct {
    const char *member;
    const char *field;
    CwCarField  car_field;
  } texts[] = {
    { "make", "vehicle.make", CW_CAR_MAKE },
    { "model", "vehicle.model", CW_CAR_MODEL },
    { "plate", "vehicle.plate", CW_CAR_PLATE },
    { "vin", "vehicle.vin", CW_CAR_VIN },
    { "fuel", "vehicle.fuel", CW_CAR_FUEL },
    { "driverId", "vehicle.driverId", CW_CAR_DRIVER_ID },
    { "ownerId", "vehicle.ownerId", CW_CAR_OWNER_ID },
  };
  static const struct {
    const char *member;
    const char *field;
    CwCarDate   which;
  } dates[] = {
    { "firstRegistration", "vehicle.firstRegistration", CW_CAR_FIRST_REGISTRATION },
    { "apkDate", "vehicle.apkDate", CW_CAR_APK_DATE },
    { "warrantyStart", "vehicle.warrantyStart", CW_CAR_WARRANTY_START },
    { "warrantyEnd", "vehicle.warrantyEnd", CW_CAR_WARRANTY_END },
  };

  if (vehicle == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *text = NULL;

      if (!read_text (vehicle, texts[i].member, texts[i].field, where, &text, error))
        return FALSE;
      /* The car normalises the plate ("1-abc-123" → "1ABC123"). */
      cw_car_set_field (car, texts[i].car_field, text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      gboolean present;
      GDate date;

      if (!read_date (vehicle, dates[i].member, dates[i].field, where, &present, &date, error))
        return FALSE;
      cw_car_set_date (car, dates[i].which, present ? &date : NULL);
    }

  return TRUE;
}

static gboolean
map_party (CwWorkorder  *workorder,
           JsonObject   *order,
           const char   *member,
           CwPartyRole   role,
           const Where  *where,
           GError      **error)
{
  static const struct {
    const char   *member;
    CwPartyField  field;
  } texts[] = {
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
  g_autoptr(CwParty) party = NULL;
  JsonObject *object;
  gboolean present;
  gboolean lease;

  if (!read_object (order, member, where, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;

  party = cw_party_new (role);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *field = g_strconcat (member, ".", texts[i].member, NULL);
      g_autofree char *text = NULL;

      if (!read_text (object, texts[i].member, field, where, &text, error))
        return FALSE;
      cw_party_set_field (party, texts[i].field, text);
    }

  {
    g_autofree char *field = g_strconcat (member, ".leaseCompany", NULL);

    if (!read_flag (object, "leaseCompany", field, where, &present, &lease, error))
      return FALSE;
    cw_party_set_lease_company (party, lease);
  }

  if (!cw_party_is_empty (party))
    cw_workorder_set_party (workorder, party);

  return TRUE;
}

static gboolean
element_kind_from_type (const char    *type,
                        CwElementKind *kind)
{
  static const struct {
    const char    *name;
    CwElementKind  kind;
  } kinds[] = {
    { "labour", CW_ELEMENT_KIND_LABOUR },
    { "part", CW_ELEMENT_KIND_PART },
    { "menu", CW_ELEMENT_KIND_MENU },
    { "note", CW_ELEMENT_KIND_NOTE },
  };

  *kind = CW_ELEMENT_KIND_UNSPECIFIED;
  if (type == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (type, kinds[i].name) == 0)
      {
        *kind = kinds[i].kind;
        return TRUE;
      }

  return FALSE;
}

static const char *
element_kind_to_type (CwElementKind kind)
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

static gboolean
is_currency_code (const char *text)
{
  return text != NULL && strlen (text) == 3 &&
         g_ascii_isupper (text[0]) && g_ascii_isupper (text[1]) && g_ascii_isupper (text[2]);
}

static CwIntervention *
map_line (JsonObject   *line,
          guint         position,
          const char   *workorder,
          GError      **error)
{
  g_autoptr(CwIntervention) intervention = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autofree char *label = g_strdup_printf ("%u", position + 1);
  g_autofree char *id = NULL;
  g_autofree char *type = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *currency = NULL;
  Where where = { workorder, label };
  CwElementKind kind;
  gboolean present;
  gint64 cents;

  if (!read_text (line, "id", "id", &where, &id, error))
    return NULL;
  if (id != NULL)
    {
      g_free (label);
      label = g_strdup (id);
      where.line = label;
      cw_intervention_set_dms_line_id (intervention, id);
    }

  if (!read_text (line, "type", "type", &where, &type, error) ||
      !read_text (line, "title", "title", &where, &title, error) ||
      !read_text (line, "description", "description", &where, &description, error) ||
      !read_text (line, "currency", "currency", &where, &currency, error) ||
      !read_price (line, &where, &present, &cents, error))
    return NULL;

  if (!element_kind_from_type (type, &kind))
    {
      set_malformed (error, &where, "type", _("labour, part, menu or note"),
                     json_object_get_member (line, "type"));
      return NULL;
    }

  if (currency != NULL && !is_currency_code (currency))
    {
      set_malformed (error, &where, "currency", _("a currency code such as EUR"),
                     json_object_get_member (line, "currency"));
      return NULL;
    }

  cw_intervention_set_element_kind (intervention, kind);
  cw_intervention_set_title (intervention, title);
  cw_intervention_set_description (intervention, description);
  if (present)
    {
      cw_intervention_set_price (intervention, cents);
      cw_intervention_set_currency (intervention, currency != NULL ? currency : "EUR");
    }

  return g_steal_pointer (&intervention);
}

static gboolean
map_lines (CwWorkorder  *workorder,
           JsonObject   *order,
           const Where  *where,
           GError      **error)
{
  JsonNode *node = json_object_get_member (order, "lines");
  JsonArray *lines;

  if (cw_json_node_is_missing (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_malformed (error, where, "lines", _("a list"), node);
      return FALSE;
    }

  /* Wincar's order is the workshop's: kept as it comes. */
  lines = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonNode *element = json_array_get_element (lines, i);
      g_autoptr(CwIntervention) intervention = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_autofree char *label = g_strdup_printf ("%u", i + 1);
          Where line_where = { where->workorder, label };

          set_malformed (error, &line_where, "lines", _("an object"), element);
          return FALSE;
        }

      intervention = map_line (json_node_get_object (element), i, where->workorder, error);
      if (intervention == NULL)
        return FALSE;

      cw_workorder_append_intervention (workorder, intervention);
    }

  return TRUE;
}

static gboolean
map_shop (CwWorkorder  *workorder,
          JsonObject   *order,
          const Where  *where,
          GError      **error)
{
  g_autofree char *shop = NULL;

  if (!read_text (order, "shop", "shop", where, &shop, error))
    return FALSE;

  if (shop == NULL || g_ascii_strcasecmp (shop, "expected") == 0)
    cw_workorder_set_dms_shop_state (workorder, CW_SHOP_NOT_ARRIVED);
  else if (g_ascii_strcasecmp (shop, "in") == 0)
    cw_workorder_set_dms_shop_state (workorder, CW_SHOP_IN);
  else if (g_ascii_strcasecmp (shop, "left") == 0)
    cw_workorder_set_dms_shop_state (workorder, CW_SHOP_LEFT);
  else
    {
      set_malformed (error, where, "shop", _("“expected”, “in” or “left”"),
                     json_object_get_member (order, "shop"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
map_order_fields (CwWorkorder  *workorder,
                  JsonObject   *order,
                  const Where  *where,
                  GError      **error)
{
  static const struct {
    const char      *member;
    CwWorkorderTime  which;
  } times[] = {
    { "appointment", CW_WORKORDER_APPOINTMENT },
    { "created", CW_WORKORDER_DMS_CREATED },
    { "plannedIn", CW_WORKORDER_SCHEDULED_IN },
    { "plannedOut", CW_WORKORDER_SCHEDULED_OUT },
  };
  static const struct {
    const char      *member;
    CwWorkorderFlag  flag;
  } flags[] = {
    { "customerWaiting", CW_WORKORDER_CUSTOMER_WAITING },
    { "canceled", CW_WORKORDER_DMS_CANCELED },
    { "invoiced", CW_WORKORDER_BILLED },
    { "internal", CW_WORKORDER_INTERNAL },
  };
  g_autofree char *notes = NULL;
  JsonObject *vehicle;
  gboolean present;
  gint64 km;

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(GDateTime) at = NULL;

      if (!read_date_time (order, times[i].member, where, &at, error))
        return FALSE;
      cw_workorder_set_time (workorder, times[i].which, at);
    }

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      gboolean value;

      if (!read_flag (order, flags[i].member, flags[i].member, where, &present, &value, error))
        return FALSE;
      cw_workorder_set_flag (workorder, flags[i].flag, value);
    }

  if (!read_whole (order, "mileage", 0, MAX_MILEAGE_KM, _("a whole number of kilometres"),
                   where, &present, &km, error))
    return FALSE;
  cw_workorder_set_dms_mileage (workorder, present ? km : CW_MILEAGE_UNKNOWN);

  if (!read_text (order, "notes", "notes", where, &notes, error))
    return FALSE;
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NOTES, notes);

  if (!map_shop (workorder, order, where, error))
    return FALSE;

  if (!read_object (order, "vehicle", where, &vehicle, error) ||
      !map_car (workorder, vehicle, where, error))
    return FALSE;

  return map_party (workorder, order, "driver", CW_PARTY_ROLE_DRIVER, where, error) &&
         map_party (workorder, order, "owner", CW_PARTY_ROLE_OWNER, where, error) &&
         map_party (workorder, order, "contractor", CW_PARTY_ROLE_CONTRACTOR, where, error);
}

/**
 * cw_wincar_map_workorder:
 * @order: a Wincar workorder object
 * @connection_id: the connection the workorder comes from
 * @error: return location for a #CwDmsError
 *
 * Maps one Wincar workorder with its lines (docs/connectors/wincar.md). The DMS key and the
 * DMS number are its `id`. Fails with %CW_DMS_ERROR_MALFORMED for a member that is there
 * but unusable; the message names the workorder (by its number, else its id) and the
 * member.
 *
 * Returns: (transfer full) (nullable): the workorder
 */
CwWorkorder *
cw_wincar_map_workorder (JsonObject  *order,
                         const char  *connection_id,
                         GError     **error)
{
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autofree char *key = NULL;
  g_autofree char *number = NULL;
  Where where = { NULL, NULL };

  g_return_val_if_fail (order != NULL, NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = cw_wincar_order_dup_key (order);
  if (key == NULL)
    {
      g_autofree char *got = dup_node_text (json_object_get_member (order, "id"));

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: %s is what Wincar sent as the workorder's id. */
                   _("Wincar sent a workorder without a usable id (“id”: %s), so it cannot be "
                     "imported. Report this to the supplier of Wincar."),
                   got);
      return NULL;
    }
  where.workorder = key;

  if (!read_text (order, "number", "number", &where, &number, error))
    return NULL;
  if (number != NULL)
    where.workorder = number;

  workorder = cw_workorder_new ();
  cw_workorder_set_field (workorder, CW_WORKORDER_CONNECTION_ID, connection_id);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_KEY, key);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NUMBER, key);
  cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, number);

  if (!map_order_fields (workorder, order, &where, error) ||
      !map_lines (workorder, order, &where, error))
    return NULL;

  return g_steal_pointer (&workorder);
}

/* ------------------------------------------------------------------------------------- */
/* Answers                                                                               */
/* ------------------------------------------------------------------------------------- */

/**
 * cw_wincar_get_workorders:
 * @body: (nullable): a parsed answer of a search
 *
 * Returns: (transfer none) (nullable): the `workorders` list of `{"workorders": [...]}`,
 *   %NULL when @body is not such an answer
 */
JsonArray *
cw_wincar_get_workorders (JsonNode *body)
{
  JsonNode *list;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  list = json_object_get_member (json_node_get_object (body), "workorders");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return NULL;

  return json_node_get_array (list);
}

/**
 * cw_wincar_dup_error_message:
 * @body: (nullable): the parsed body of a 4xx answer
 *
 * Returns: (transfer full) (nullable): Wincar's own message (`{"message": "…"}`), trimmed,
 *   at most 500 characters, %NULL when it gives none
 */
char *
cw_wincar_dup_error_message (JsonNode *body)
{
  JsonNode *node;
  g_autofree char *text = NULL;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  node = json_object_get_member (json_node_get_object (body), "message");
  if (node == NULL || cw_json_node_value_type (node) != G_TYPE_STRING)
    return NULL;

  text = node_dup_text (node);
  if (text != NULL && g_utf8_strlen (text, -1) > 500)
    {
      char *end = g_utf8_offset_to_pointer (text, 500);

      *end = '\0';
    }

  return g_steal_pointer (&text);
}

/**
 * cw_wincar_dup_line_id:
 * @body: (nullable): the parsed answer of an intervention writeback
 *
 * Returns: (transfer full) (nullable): the new line's id (`{"lineId": …}`)
 */
char *
cw_wincar_dup_line_id (JsonNode *body)
{
  g_autofree char *id = NULL;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  id = node_dup_text (json_object_get_member (json_node_get_object (body), "lineId"));
  if (id == NULL || strlen (id) > MAX_KEY_LENGTH)
    return NULL;

  return g_steal_pointer (&id);
}

/* ------------------------------------------------------------------------------------- */
/* Events                                                                                */
/* ------------------------------------------------------------------------------------- */

static CwDmsEvent *
event_new (gint64      seq,
           const char *dms_key)
{
  CwDmsEvent *event = g_new0 (CwDmsEvent, 1);

  event->seq = seq;
  event->dms_key = g_strdup (dms_key);

  return event;
}

/**
 * cw_wincar_map_event:
 * @message: one parsed message of the event stream
 * @connection_id: the connection the stream belongs to
 * @error: return location for a #CwDmsError
 *
 * Maps one message of the event stream:
 * - `{"seq": 42, "workorder": {…}}`, a change: an event with the workorder, or, when the
 *   workorder cannot be mapped, with @error set (so the cursor still moves past it);
 * - `{"gap": {"seq": 1234, …}}`: the DMS no longer has the changes asked for; an event with
 *   no workorder, %CW_DMS_ERROR_EVENTS_LOST and the DMS's current seq.
 *
 * A message that has no usable `seq` cannot take its place in the sequence: %NULL and
 * %CW_DMS_ERROR_MALFORMED.
 *
 * Returns: (transfer full) (nullable): the event
 */
CwDmsEvent *
cw_wincar_map_event (JsonNode    *message,
                     const char  *connection_id,
                     GError     **error)
{
  JsonObject *object;
  JsonNode *node;
  JsonNode *gap;
  g_autoptr(CwDmsEvent) event = NULL;
  g_autofree char *got = NULL;
  gboolean usable;
  gint64 seq = 0;

  g_return_val_if_fail (connection_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (message == NULL || !JSON_NODE_HOLDS_OBJECT (message))
    {
      set_unreadable_answer (error, _("a message of the event stream is not an object"));
      return NULL;
    }

  object = json_node_get_object (message);
  gap = json_object_get_member (object, "gap");
  if (gap != NULL)
    {
      node = JSON_NODE_HOLDS_OBJECT (gap) ? json_object_get_member (json_node_get_object (gap), "seq") : gap;
      usable = node != NULL && cw_json_read_whole (node, 0, MAX_SEQ, &seq) == CW_JSON_READ_OK;
    }
  else
    {
      node = json_object_get_member (object, "seq");
      usable = node != NULL && cw_json_read_whole (node, 1, MAX_SEQ, &seq) == CW_JSON_READ_OK;
    }

  if (!usable)
    {
      got = dup_node_text (node);
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: %s is what Wincar sent as the sequence number. */
                   _("Wincar sent a change without a usable sequence number (%s); it was left "
                     "out. If this happens again, report it to the supplier of Wincar."),
                   got);
      return NULL;
    }

  if (gap != NULL)
    {
      event = event_new (seq, NULL);
      event->error = g_error_new_literal (CW_DMS_ERROR, CW_DMS_ERROR_EVENTS_LOST,
                                          _("Wincar no longer has the changes made while "
                                            "Claire Workshop was not listening. The "
                                            "workorders are fetched from Wincar again "
                                            "instead."));
      return g_steal_pointer (&event);
    }

  node = json_object_get_member (object, "workorder");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

      got = dup_node_text (node);
      event = event_new (seq, NULL);
      event->error = g_error_new (CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                                  /* Translators: the first %s is a sequence number, the
                                   * second what Wincar sent instead of a workorder. */
                                  _("Wincar sent change %s without a workorder (got %s). "
                                    "Report this to the supplier of Wincar."),
                                  number, got);
      return g_steal_pointer (&event);
    }

  event = event_new (seq, NULL);
  event->dms_key = cw_wincar_order_dup_key (json_node_get_object (node));
  event->workorder = cw_wincar_map_workorder (json_node_get_object (node), connection_id,
                                              &event->error);

  return g_steal_pointer (&event);
}

/* ------------------------------------------------------------------------------------- */
/* From text                                                                             */
/* ------------------------------------------------------------------------------------- */

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

  root = cw_json_parse (data, length, MAX_JSON_DEPTH, &local_error);
  if (root == NULL)
    {
      g_debug ("Not a Wincar answer: %s", local_error->message);
      if (g_error_matches (local_error, CW_JSON_ERROR, CW_JSON_ERROR_TOO_DEEP))
        set_unreadable_answer (error, _("it is nested too deeply"));
      else
        set_unreadable_answer (error, _("it is not valid JSON"));
      return NULL;
    }

  return root;
}

/**
 * cw_wincar_map_event_data:
 * @data: (array length=length): one text message of the event stream
 * @length: its length in bytes
 * @connection_id: the connection the stream belongs to
 * @error: return location for a #CwDmsError
 *
 * cw_wincar_map_event() from the text as it arrives. Any input is safe.
 *
 * Returns: (transfer full) (nullable): the event
 */
CwDmsEvent *
cw_wincar_map_event_data (const char  *data,
                          gsize        length,
                          const char  *connection_id,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (connection_id != NULL, NULL);

  root = parse_document (data, length, error);
  if (root == NULL)
    return NULL;

  return cw_wincar_map_event (root, connection_id, error);
}

/**
 * cw_wincar_map_workorder_data:
 * @data: (array length=length): a workorder (the answer of a fetch) or a search answer
 *   (`{"workorders": [...]}`, of which the first is used)
 * @length: its length in bytes
 * @connection_id: the connection the workorder comes from
 * @error: return location for a #CwDmsError
 *
 * cw_wincar_map_workorder() from JSON text, for the tests and the fuzz target. Any input is
 * safe: what is not a Wincar answer is an error.
 *
 * Returns: (transfer full) (nullable): the workorder
 */
CwWorkorder *
cw_wincar_map_workorder_data (const char  *data,
                              gsize        length,
                              const char  *connection_id,
                              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;
  JsonObject *order = NULL;

  g_return_val_if_fail (connection_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_document (data, length, error);
  if (root == NULL)
    return NULL;

  list = cw_wincar_get_workorders (root);
  if (list != NULL)
    {
      JsonNode *first;

      if (json_array_get_length (list) == 0)
        {
          g_set_error_literal (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                               _("Wincar sent no workorder. Check the number or the registration."));
          return NULL;
        }

      first = json_array_get_element (list, 0);
      if (JSON_NODE_HOLDS_OBJECT (first))
        order = json_node_get_object (first);
    }
  else if (JSON_NODE_HOLDS_OBJECT (root))
    order = json_node_get_object (root);

  if (order == NULL)
    {
      set_unreadable_answer (error, _("a workorder is not an object"));
      return NULL;
    }

  return cw_wincar_map_workorder (order, connection_id, error);
}

/* ------------------------------------------------------------------------------------- */
/* Writeback                                                                             */
/* ------------------------------------------------------------------------------------- */

/**
 * cw_wincar_intervention_to_json:
 * @intervention: an intervention added in the app
 *
 * The body of `POST …/workorders/{id}/lines`: `title`, `description`, `type` and `price`
 * (a decimal string of euros, so no float ever carries money) with `currency`, each only
 * when the intervention has it.
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
cw_wincar_intervention_to_json (CwIntervention *intervention)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *type = element_kind_to_type (cw_intervention_get_element_kind (intervention));
  gint64 cents;

  g_return_val_if_fail (CW_IS_INTERVENTION (intervention), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, cw_intervention_get_title (intervention) ?
                                          cw_intervention_get_title (intervention) : "");
  if (cw_intervention_get_description (intervention) != NULL)
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, cw_intervention_get_description (intervention));
    }
  if (type != NULL)
    {
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type);
    }
  if (cw_intervention_get_price (intervention, &cents))
    {
      g_autofree char *price = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d",
                                                cents < 0 ? "-" : "", ABS (cents) / 100,
                                                (int) (ABS (cents) % 100));
      const char *currency = cw_intervention_get_currency (intervention);

      json_builder_set_member_name (builder, "price");
      json_builder_add_string_value (builder, price);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, currency != NULL ? currency : "EUR");
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * cw_wincar_mileage_to_json:
 * @mileage: a reading in kilometres
 *
 * Returns: (transfer full): the body of `POST …/workorders/{id}/mileage`
 */
JsonNode *
cw_wincar_mileage_to_json (gint64 mileage)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mileage");
  json_builder_add_int_value (builder, mileage);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, "km");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
