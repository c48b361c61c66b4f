/* cw-2drive-mapping.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-2drive-mapping"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cw-2drive-mapping.h"
#include "cw-connector.h"
#include "cw-json.h"
#include "cw-text.h"

/*
 * 2Drive rows into domain objects, and nothing else: no I/O, so that the tests and the fuzz
 * target can feed it anything. The row shapes are our interpretation of an API whose
 * vendor publishes no specification; docs/connectors/2drive.md has the table, and what public
 * code shows is marked there. When Vinacles publishes a specification, this file and that
 * table are what change.
 *
 * The rules (DESIGN §3): a missing field is normal and leaves the domain field unset; a field
 * that is there but unusable is an error for this workorder, naming it and the field; a
 * workorder without a labour line is refused.
 */

/* Depth of a 2Drive answer: {"value": [ {row} ]} is 3; anything far deeper is hostile. */
#define MAX_JSON_DEPTH 32

/* Plausibility limits. */
#define MAX_MILEAGE_KM   G_GINT64_CONSTANT (9999999)
#define MAX_LINE_NUMBER  G_GINT64_CONSTANT (999999999)

typedef struct
{
  /* For messages: the WO number once it is known, and the line being read, if any. */
  const char *wo_number;
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
 * @expected is a translated phrase ("a whole number of kilometres"); @value is what 2Drive
 * sent, shown as JSON so that "12" and 12 can be told apart.
 */
static void
set_malformed (GError      **error,
               const Where  *where,
               const char   *field,
               const char   *expected,
               JsonNode     *value)
{
  g_autofree char *wo_number = cw_text_quote (where->wo_number);
  g_autofree char *got = dup_node_text (value);

  if (where->line != NULL)
    {
      g_autofree char *line = cw_text_quote (where->line);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the first %s is a line number, the second a WO number, the
                    * third a 2Drive field name such as "Price", the fourth what was expected
                    * ("an amount such as 189.50"), the last what 2Drive sent. */
                   _("2Drive sent line %s of workorder %s with an unusable “%s”: expected %s, "
                     "got %s. Check the workorder in 2Drive; if it looks right there, report "
                     "this to Vinacles."),
                   line, wo_number, field, expected, got);
    }
  else
    {
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: the first %s is a WO number, the second a 2Drive field name
                    * such as "KmStand", the third what was expected ("a whole number of
                    * kilometres"), the last what 2Drive sent. */
                   _("2Drive sent workorder %s with an unusable “%s”: expected %s, got %s. "
                     "Check the workorder in 2Drive; if it looks right there, report this to "
                     "Vinacles."),
                   wo_number, field, expected, got);
    }
}

static void
set_unreadable_answer (GError     **error,
                       const char  *reason)
{
  g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
               /* Translators: %s says what is wrong with the answer. */
               _("2Drive sent an answer Claire Workshop cannot read (%s). Try again; if it "
                 "persists, report this to Vinacles."),
               reason);
}

/* ------------------------------------------------------------------------------------- */
/* Reading fields                                                                        */
/* ------------------------------------------------------------------------------------- */

/*
 * Reads a text member: a string, trimmed (blank counts as missing), or a whole number, which
 * a Data API Builder sends for an int column ("WONUMMER": 60123).
 */
static gboolean
read_text (JsonObject   *row,
           const char   *name,
           const Where  *where,
           char        **out,
           GError      **error)
{
  JsonNode *node = json_object_get_member (row, name);

  if (cw_json_read_text (node, out) != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, _("text"), node);
  return FALSE;
}

/*
 * Reads a whole number in [@min, @max]: a JSON integer, a double without a fraction, or the
 * same written as a string (some gateways quote every number).
 */
static gboolean
read_whole (JsonObject   *row,
            const char   *name,
            gint64        min,
            gint64        max,
            const char   *expected,
            const Where  *where,
            gboolean     *present,
            gint64       *out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (row, name);
  CwJsonRead found = cw_json_read_whole (node, min, max, out);

  *present = found == CW_JSON_READ_OK;
  if (found != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, expected, node);
  return FALSE;
}

/* A price in euros into cents, exactly (see cw_json_read_cents()). */
static gboolean
read_price (JsonObject   *row,
            const Where  *where,
            gboolean     *present,
            gint64       *cents,
            GError      **error)
{
  static const char name[] = "Price";
  JsonNode *node = json_object_get_member (row, name);
  CwJsonRead found = cw_json_read_cents (node, cents);

  *present = found == CW_JSON_READ_OK;
  if (found != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, _("an amount in euros such as 189.50"), node);
  return FALSE;
}

/*
 * A moment as Data API Builder writes a SQL datetime: ISO 8601 without a zone, meaning the
 * dealer's local time (which is this computer's); with a zone, that zone. A date alone is
 * midnight.
 */
static gboolean
read_date_time (JsonObject   *row,
                const char   *name,
                const char   *expected,
                const Where  *where,
                GDateTime   **out,
                GError      **error)
{
  JsonNode *node = json_object_get_member (row, name);

  if (cw_json_read_date_time (node, out) != CW_JSON_READ_MALFORMED)
    return TRUE;

  set_malformed (error, where, name, expected, node);
  return FALSE;
}

static CwElementKind
element_kind_from_soort (const char *soort)
{
  if (soort == NULL)
    return CW_ELEMENT_KIND_UNSPECIFIED;
  if (g_ascii_strcasecmp (soort, "Arbeid") == 0)
    return CW_ELEMENT_KIND_LABOUR;
  if (g_ascii_strcasecmp (soort, "Onderdeel") == 0)
    return CW_ELEMENT_KIND_PART;
  if (g_ascii_strcasecmp (soort, "Tekst") == 0)
    return CW_ELEMENT_KIND_NOTE;

  /* A kind we do not know is kept as "unspecified", never guessed: it is not labour. */
  return CW_ELEMENT_KIND_UNSPECIFIED;
}

/**
 * cw_2drive_get_rows:
 * @body: (nullable): a parsed 2Drive answer
 *
 * Returns: (transfer none) (nullable): the rows of a `{"value": [...]}` answer, %NULL when
 *   @body is not one
 */
JsonArray *
cw_2drive_get_rows (JsonNode *body)
{
  JsonNode *value;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  value = json_object_get_member (json_node_get_object (body), "value");
  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    return NULL;

  return json_node_get_array (value);
}

/**
 * cw_2drive_row_dup_text:
 * @row: a 2Drive row
 * @name: a member name, e.g. "WONUMMER"
 *
 * Returns: (transfer full) (nullable): the member as text (a string, trimmed, or a whole
 *   number), %NULL when it is missing, blank or not text
 */
char *
cw_2drive_row_dup_text (JsonObject *row,
                        const char *name)
{
  char *text;

  g_return_val_if_fail (row != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  cw_json_read_text (json_object_get_member (row, name), &text);
  return text;
}

/* "259" is the branch 259 however it is written ("0259", 259). */
static gboolean
same_affiliate (const char *a,
                const char *b)
{
  guint64 x, y;

  if (g_ascii_string_to_unsigned (a, 10, 0, G_MAXUINT64, &x, NULL) &&
      g_ascii_string_to_unsigned (b, 10, 0, G_MAXUINT64, &y, NULL))
    return x == y;

  return g_str_equal (a, b);
}

/**
 * cw_2drive_row_is_for_branch:
 * @row: a 2Drive row (a workorder or a line)
 * @affiliate_id: the connection's branch
 *
 * A row that names a branch (`AffiliateId`) must name @affiliate_id; one that does not, or
 * leaves it blank, is taken as asked for; one whose branch cannot be read is not taken.
 *
 * Returns: %TRUE if the row may be used for @affiliate_id
 */
gboolean
cw_2drive_row_is_for_branch (JsonObject *row,
                             const char *affiliate_id)
{
  g_autofree char *affiliate = NULL;
  CwJsonRead found;

  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (affiliate_id != NULL, FALSE);

  found = cw_json_read_text (json_object_get_member (row, "AffiliateId"), &affiliate);
  if (found == CW_JSON_READ_OK)
    return same_affiliate (affiliate, affiliate_id);

  /* Missing or blank text names no branch; anything else unreadable is not this branch
   * for sure. */
  return found != CW_JSON_READ_MALFORMED;
}

/* ------------------------------------------------------------------------------------- */
/* The workorder                                                                         */
/* ------------------------------------------------------------------------------------- */

static gboolean
map_order_fields (CwWorkorder  *workorder,
                  JsonObject   *order,
                  const Where  *where,
                  GError      **error)
{
  CwCar *car = cw_workorder_get_car (workorder);
  g_autoptr(CwParty) owner = cw_party_new (CW_PARTY_ROLE_OWNER);
  g_autoptr(GDateTime) appointment = NULL;
  g_autoptr(GDateTime) invoiced = NULL;
  static const struct {
    const char   *name;
    CwCarField    field;
  } car_fields[] = {
    { "Merk", CW_CAR_MAKE },
    { "Model", CW_CAR_MODEL },
    { "Kenteken", CW_CAR_PLATE },
  };
  static const struct {
    const char   *name;
    CwPartyField  field;
  } party_fields[] = {
    { "Achternaam", CW_PARTY_LAST_NAME },
    { "TelefoonZakelijk", CW_PARTY_BUSINESS_PHONE },
    { "EmailZakelijk", CW_PARTY_BUSINESS_EMAIL },
  };
  g_autofree char *dms_number = NULL;
  gboolean present;
  gint64 km;

  if (!read_text (order, "DMSNUMMER", where, &dms_number, error))
    return FALSE;
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NUMBER, dms_number);

  if (!read_date_time (order, "AfspraakDatum", _("a date and time such as 2026-11-21T09:30:00"),
                       where, &appointment, error))
    return FALSE;
  cw_workorder_set_time (workorder, CW_WORKORDER_APPOINTMENT, appointment);

  if (!read_whole (order, "KmStand", 0, MAX_MILEAGE_KM, _("a whole number of kilometres"),
                   where, &present, &km, error))
    return FALSE;
  cw_workorder_set_dms_mileage (workorder, present ? km : CW_MILEAGE_UNKNOWN);

  /* Public code reads InvoicedDate: set once the workorder is invoiced, which makes it
   * read-only here as in the DMS. */
  if (!read_date_time (order, "InvoicedDate", _("a date such as 2025-10-02"), where,
                       &invoiced, error))
    return FALSE;
  cw_workorder_set_flag (workorder, CW_WORKORDER_BILLED, invoiced != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (car_fields); i++)
    {
      g_autofree char *text = NULL;

      if (!read_text (order, car_fields[i].name, where, &text, error))
        return FALSE;
      /* The car normalises the plate ("ab-123-c" → "AB123C"). */
      cw_car_set_field (car, car_fields[i].field, text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (party_fields); i++)
    {
      g_autofree char *text = NULL;

      if (!read_text (order, party_fields[i].name, where, &text, error))
        return FALSE;
      cw_party_set_field (owner, party_fields[i].field, text);
    }

  /* 2Drive's customer is the one the workorder is for: the owner. Nothing is invented
   * for the driver or a contractor. */
  if (!cw_party_is_empty (owner))
    cw_workorder_set_party (workorder, owner);

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

/* RegelNummer order; lines without one after the rest, in the order they came. */
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

static Line *
map_line (JsonObject   *row,
          guint         position,
          const char   *wo_number,
          GError      **error)
{
  g_autoptr(CwIntervention) intervention = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autofree char *label = g_strdup_printf ("%u", position + 1);
  g_autofree char *title = NULL;
  g_autofree char *soort = NULL;
  g_autofree char *part_number = NULL;
  Where where = { wo_number, label };
  Line *line;
  gboolean present;
  gint64 number;
  gint64 cents;

  if (!read_whole (row, "RegelNummer", 0, MAX_LINE_NUMBER, _("a whole number"), &where,
                   &present, &number, error))
    return NULL;

  if (present)
    {
      g_free (label);
      label = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      where.line = label;
      cw_intervention_set_dms_line_id (intervention, label);
    }

  if (!read_text (row, "Omschrijving", &where, &title, error) ||
      !read_text (row, "Soort", &where, &soort, error) ||
      !read_text (row, "PartNumber", &where, &part_number, error) ||
      !read_price (row, &where, &present, &cents, error))
    return NULL;

  cw_intervention_set_title (intervention, title);
  cw_intervention_set_element_kind (intervention, element_kind_from_soort (soort));
  if (present)
    cw_intervention_set_price (intervention, cents);
  if (part_number != NULL)
    {
      const char * const codes[] = { part_number, NULL };

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
           JsonArray    *rows,
           const char   *wo_number,
           const char   *affiliate_id,
           GError      **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  guint n_rows = rows != NULL ? json_array_get_length (rows) : 0;
  gboolean has_labour = FALSE;

  for (guint i = 0; i < n_rows; i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      g_autofree char *label = g_strdup_printf ("%u", i + 1);
      g_autofree char *line_wo_number = NULL;
      Where where = { wo_number, label };
      JsonObject *row;
      Line *line;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          set_malformed (error, &where, "value", _("an object"), node);
          return FALSE;
        }

      row = json_node_get_object (node);

      /* The public scripts read this entity for a whole branch; a line that says it
       * belongs to another workorder is not this one's. */
      if (!read_text (row, "WONUMMER", &where, &line_wo_number, error))
        return FALSE;
      if (line_wo_number != NULL && !g_str_equal (line_wo_number, wo_number))
        continue;
      /* Nor is one of another branch, where the same WO number may exist. */
      if (affiliate_id != NULL && !cw_2drive_row_is_for_branch (row, affiliate_id))
        continue;

      line = map_line (row, i, wo_number, error);
      if (line == NULL)
        return FALSE;

      g_ptr_array_add (lines, line);
    }

  g_ptr_array_sort (lines, compare_lines);

  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = g_ptr_array_index (lines, i);

      if (cw_intervention_get_element_kind (line->intervention) == CW_ELEMENT_KIND_LABOUR)
        has_labour = TRUE;
      cw_workorder_append_intervention (workorder, line->intervention);
    }

  if (!has_labour)
    {
      g_autofree char *quoted = cw_text_quote (wo_number);

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_LABOUR,
                   /* Translators: %s is a WO number. */
                   _("Workorder %s has no labour line in 2Drive; add one there and import again"),
                   quoted);
      return FALSE;
    }

  return TRUE;
}

/**
 * cw_2drive_map_workorder:
 * @order: a row of GetAftersalesForAffiliateExtended
 * @lines: (nullable): the rows of GetAftersalesPartsForAffiliateExtended for it; rows of
 *   another WONUMMER, or of another AffiliateId than the workorder's, are skipped
 * @connection_id: the connection the workorder comes from
 * @error: return location for a #CwDmsError
 *
 * Maps one 2Drive workorder with its lines (docs/connectors/2drive.md). The DMS key is the
 * WO number. Fails with %CW_DMS_ERROR_MALFORMED for a field that is there but unusable (the
 * message names the workorder and the field) and with %CW_DMS_ERROR_NO_LABOUR when no line
 * is labour.
 *
 * Returns: (transfer full) (nullable): the workorder
 */
CwWorkorder *
cw_2drive_map_workorder (JsonObject   *order,
                         JsonArray    *lines,
                         const char   *connection_id,
                         GError      **error)
{
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autofree char *wo_number = NULL;
  g_autofree char *affiliate_id = NULL;
  Where where = { NULL, NULL };

  g_return_val_if_fail (order != NULL, NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_text (order, "WONUMMER", &where, &wo_number, NULL) || wo_number == NULL)
    {
      g_autofree char *got = dup_node_text (json_object_get_member (order, "WONUMMER"));

      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_MALFORMED,
                   /* Translators: %s is what 2Drive sent as the WO number, possibly empty. */
                   _("2Drive sent a workorder without a usable WO number (“WONUMMER”: %s), so "
                     "it cannot be imported. Report this to Vinacles."),
                   got);
      return NULL;
    }
  where.wo_number = wo_number;

  workorder = cw_workorder_new ();
  cw_workorder_set_field (workorder, CW_WORKORDER_CONNECTION_ID, connection_id);
  /* The WO number is what 2Drive is asked by, for a refresh as for a search. */
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_KEY, wo_number);
  cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, wo_number);

  affiliate_id = cw_2drive_row_dup_text (order, "AffiliateId");
  if (!map_order_fields (workorder, order, &where, error) ||
      !map_lines (workorder, lines, wo_number, affiliate_id, error))
    return NULL;

  return g_steal_pointer (&workorder);
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
      g_debug ("Not a 2Drive answer: %s", local_error->message);
      if (g_error_matches (local_error, CW_JSON_ERROR, CW_JSON_ERROR_TOO_DEEP))
        set_unreadable_answer (error, _("it is nested too deeply"));
      else
        set_unreadable_answer (error, _("it is not valid JSON"));
      return NULL;
    }

  return root;
}

/**
 * cw_2drive_map_workorder_data:
 * @order_json: (array length=order_length): an answer of GetAftersalesForAffiliateExtended
 *   (`{"value": [row, …]}`, of which the first row is used) or one row
 * @order_length: its length in bytes
 * @lines_json: (nullable) (array length=lines_length): an answer of
 *   GetAftersalesPartsForAffiliateExtended (`{"value": [...]}`) or a bare array of lines;
 *   %NULL or empty for none
 * @lines_length: its length in bytes
 * @connection_id: the connection the workorder comes from
 * @error: return location for a #CwDmsError
 *
 * cw_2drive_map_workorder() from JSON text, for the tests and the fuzz target. Any input is
 * safe: what is not a 2Drive answer is an error.
 *
 * Returns: (transfer full) (nullable): the workorder
 */
CwWorkorder *
cw_2drive_map_workorder_data (const char  *order_json,
                              gsize        order_length,
                              const char  *lines_json,
                              gsize        lines_length,
                              const char  *connection_id,
                              GError     **error)
{
  g_autoptr(JsonNode) order_root = NULL;
  g_autoptr(JsonNode) lines_root = NULL;
  JsonObject *order = NULL;
  JsonArray *lines = NULL;
  JsonArray *rows;

  g_return_val_if_fail (connection_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  order_root = parse_document (order_json, order_length, error);
  if (order_root == NULL)
    return NULL;

  rows = cw_2drive_get_rows (order_root);
  if (rows != NULL)
    {
      JsonNode *first;

      if (json_array_get_length (rows) == 0)
        {
          g_set_error_literal (error, CW_DMS_ERROR, CW_DMS_ERROR_NOT_FOUND,
                               _("2Drive sent no workorder. Check the number, or the branch in Preferences."));
          return NULL;
        }

      first = json_array_get_element (rows, 0);
      if (JSON_NODE_HOLDS_OBJECT (first))
        order = json_node_get_object (first);
    }
  else if (JSON_NODE_HOLDS_OBJECT (order_root))
    order = json_node_get_object (order_root);

  if (order == NULL)
    {
      set_unreadable_answer (error, _("a workorder is not an object"));
      return NULL;
    }

  if (lines_json != NULL && lines_length > 0)
    {
      lines_root = parse_document (lines_json, lines_length, error);
      if (lines_root == NULL)
        return NULL;

      if (JSON_NODE_HOLDS_ARRAY (lines_root))
        lines = json_node_get_array (lines_root);
      else
        lines = cw_2drive_get_rows (lines_root);

      if (lines == NULL)
        {
          set_unreadable_answer (error, _("the lines are not a list"));
          return NULL;
        }
    }

  return cw_2drive_map_workorder (order, lines, connection_id, error);
}
