/* cw-json.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cw-json.h"
#include "cw-money.h"
#include "cw-text.h"

/*
 * What json-glib 1.6 cannot be trusted with: it recurses once per nesting level, so a
 * hostile or broken answer nested deeply enough overflows the stack and crashes the app;
 * and it wraps a whole number beyond 64 bits without a word (99999999999999999999 becomes
 * -1, a price or a mileage nobody would notice). A lexical pass over the text, outside
 * strings, finds both before the parser runs. A document too deep is refused; a whole
 * number too large is read as the floating-point number it is (".0" is appended), so that
 * the mapping's range checks see it and refuse that one field, not the whole answer.
 */

G_DEFINE_QUARK (cw-json-error-quark, cw_json_error)

static gboolean
integer_fits (const char *token,
              gsize       length)
{
  /* A sign and 19 digits: anything longer is out of range for sure. */
  char buffer[24];

  if (length >= sizeof buffer)
    return FALSE;

  memcpy (buffer, token, length);
  buffer[length] = '\0';

  return g_ascii_string_to_signed (buffer, 10, G_MININT64, G_MAXINT64, NULL, NULL);
}

static gboolean
is_number_char (char c)
{
  return g_ascii_isdigit (c) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
}

/* Returns FALSE if @data nests deeper than @max_depth. Sets @widened to a copy of @data
 * in which every whole number beyond 64 bits ends in ".0", or leaves it NULL if none. */
static gboolean
scan (const char  *data,
      gsize        length,
      guint        max_depth,
      GString    **widened)
{
  gsize copied = 0;
  guint depth = 0;

  *widened = NULL;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '"')
        {
          for (i++; i < length && data[i] != '"'; i++)
            if (data[i] == '\\')
              i++;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              if (*widened != NULL)
                g_string_free (g_steal_pointer (widened), TRUE);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = i;
          gboolean integer = TRUE;

          while (i + 1 < length && is_number_char (data[i + 1]))
            {
              if (data[i + 1] == '.' || data[i + 1] == 'e' || data[i + 1] == 'E')
                integer = FALSE;
              i++;
            }

          /* A fraction or an exponent makes a double, which json-glib reads safely. */
          if (integer && !integer_fits (data + start, i - start + 1))
            {
              if (*widened == NULL)
                *widened = g_string_sized_new (length + 16);
              g_string_append_len (*widened, data + copied, (gssize) (i + 1 - copied));
              g_string_append (*widened, ".0");
              copied = i + 1;
            }
        }
    }

  if (*widened != NULL)
    g_string_append_len (*widened, data + copied, (gssize) (length - copied));

  return TRUE;
}

/**
 * cw_json_parse:
 * @data: (array length=length): JSON text, from outside the app
 * @length: its length in bytes
 * @max_depth: the deepest nesting of arrays and objects allowed
 * @error: return location for a #CwJsonError
 *
 * Parses @data with json-glib, safely whatever it holds (see above). Runs in any thread.
 *
 * Returns: (transfer full): the root node, %NULL with @error set
 */
JsonNode *
cw_json_parse (const char  *data,
               gsize        length,
               guint        max_depth,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GString) widened = NULL;
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > G_MAXSSIZE)
    {
      g_set_error (error, CW_JSON_ERROR, CW_JSON_ERROR_INVALID, "%" G_GSIZE_FORMAT " bytes is too large", length);
      return NULL;
    }

  if (!scan (data, length, max_depth, &widened))
    {
      g_set_error (error, CW_JSON_ERROR, CW_JSON_ERROR_TOO_DEEP, "nested deeper than %u levels", max_depth);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (widened != NULL)
    json_parser_load_from_data (parser, widened->str, (gssize) widened->len, &parse_error);
  else
    json_parser_load_from_data (parser, length > 0 ? data : "", (gssize) length, &parse_error);

  if (parse_error != NULL)
    {
      g_set_error_literal (error, CW_JSON_ERROR, CW_JSON_ERROR_INVALID, parse_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, CW_JSON_ERROR, CW_JSON_ERROR_INVALID, "the text is empty");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/*
 * Reading members. The DMS and PON mappings read the same kinds of member the same way;
 * what differs between them is the sentence that names the DMS when a member is unusable,
 * so the readers below say only what they found (CwJsonRead) and leave that sentence to the
 * caller. Each takes the member's node as json_object_get_member() returns it, %NULL when
 * absent.
 */

/* A price sent as a JSON number with a fraction is written back with "%.15g"; below this
 * many euros that gives back every digit to the cent (see cw_json_read_cents()). */
#define MAX_DOUBLE_EUROS 1e13

/**
 * cw_json_node_is_missing:
 * @node: (nullable): a member's node
 *
 * Returns: whether @node is absent (%NULL) or a JSON null
 */
gboolean
cw_json_node_is_missing (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/**
 * cw_json_node_value_type:
 * @node: (nullable): a member's node
 *
 * Returns: the #GType of the value @node holds (%G_TYPE_STRING, %G_TYPE_INT64,
 *   %G_TYPE_DOUBLE or %G_TYPE_BOOLEAN), %G_TYPE_INVALID when it holds no value (absent,
 *   null, an object or an array)
 */
GType
cw_json_node_value_type (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
}

/**
 * cw_json_node_dup_quoted:
 * @node: a member's node
 *
 * @node written as JSON and quoted for a message (cw_text_quote(), which shortens a long
 * value), so that "12" and 12 can be told apart. A caller says itself, in its own words,
 * that a member is absent.
 *
 * Returns: (transfer full): the quoted JSON text
 */
char *
cw_json_node_dup_quoted (JsonNode *node)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  text = json_to_string (node, FALSE);
  return cw_text_quote (text);
}

/**
 * cw_json_read_string:
 * @node: (nullable): a member's node
 * @out: (out) (transfer full) (optional): return location for the string, trimmed
 *
 * Reads a string member: valid UTF-8, trimmed of white space. Anything but a string
 * (a number too) is %CW_JSON_READ_MALFORMED, and so is a string that is not UTF-8.
 *
 * Returns: what was found; *@out is set only with %CW_JSON_READ_OK, else %NULL
 */
CwJsonRead
cw_json_read_string (JsonNode  *node,
                     char     **out)
{
  const char *text;
  char *stripped;

  if (out != NULL)
    *out = NULL;

  if (cw_json_node_is_missing (node))
    return CW_JSON_READ_MISSING;

  if (cw_json_node_value_type (node) != G_TYPE_STRING)
    return CW_JSON_READ_MALFORMED;

  text = json_node_get_string (node);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return CW_JSON_READ_MALFORMED;

  stripped = cw_text_dup_stripped (text);
  if (stripped == NULL)
    return CW_JSON_READ_BLANK;

  if (out != NULL)
    *out = stripped;
  else
    g_free (stripped);

  return CW_JSON_READ_OK;
}

/**
 * cw_json_read_text:
 * @node: (nullable): a member's node
 * @out: (out) (transfer full): return location for the text
 *
 * Reads a text member: a string as cw_json_read_string() reads it, or a whole number
 * written as its digits, which is how a code column often comes out ("workorderNo": 80123).
 *
 * Returns: what was found; *@out is set only with %CW_JSON_READ_OK, else %NULL
 */
CwJsonRead
cw_json_read_text (JsonNode  *node,
                   char     **out)
{
  g_return_val_if_fail (out != NULL, CW_JSON_READ_MALFORMED);

  *out = NULL;
  if (cw_json_node_value_type (node) == G_TYPE_INT64)
    {
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return CW_JSON_READ_OK;
    }

  return cw_json_read_string (node, out);
}

/**
 * cw_json_read_whole:
 * @node: (nullable): a member's node
 * @min: the smallest value accepted
 * @max: the largest value accepted
 * @out: (out): return location for the number
 *
 * Reads a whole number in [@min, @max]: a JSON integer, a double without a fraction, or
 * the same written as a string, trimmed (a gateway that quotes every number). A number out
 * of range is %CW_JSON_READ_MALFORMED. @min and @max lie within ±2⁵³, where a double holds
 * every whole number exactly, so that the range test on a double is exact.
 *
 * Returns: what was found; *@out is set only with %CW_JSON_READ_OK, else 0
 */
CwJsonRead
cw_json_read_whole (JsonNode *node,
                    gint64    min,
                    gint64    max,
                    gint64   *out)
{
  GType type;

  g_return_val_if_fail (out != NULL, CW_JSON_READ_MALFORMED);
  g_assert (min > -(G_GINT64_CONSTANT (1) << 53) && max <= (G_GINT64_CONSTANT (1) << 53));

  *out = 0;
  if (cw_json_node_is_missing (node))
    return CW_JSON_READ_MISSING;

  type = cw_json_node_value_type (node);
  if (type == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      if (value >= min && value <= max)
        {
          *out = value;
          return CW_JSON_READ_OK;
        }
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      if (isfinite (value) && value >= (double) min && value <= (double) max &&
          value == floor (value))
        {
          *out = (gint64) value;
          return CW_JSON_READ_OK;
        }
    }
  else if (type == G_TYPE_STRING)
    {
      g_autofree char *text = NULL;
      CwJsonRead found = cw_json_read_string (node, &text);
      gint64 value;

      if (found != CW_JSON_READ_OK)
        return found;

      if (g_ascii_isdigit (text[text[0] == '-' ? 1 : 0]) &&
          g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
        {
          *out = value;
          return CW_JSON_READ_OK;
        }
    }

  return CW_JSON_READ_MALFORMED;
}

/**
 * cw_json_read_flag:
 * @node: (nullable): a member's node
 * @out: (out): return location for the flag
 *
 * Reads a yes/no: true or false, 1 or 0, or the same as a string, trimmed ("true", "FALSE",
 * "1"). Any other number or string is %CW_JSON_READ_MALFORMED.
 *
 * Returns: what was found; *@out is set only with %CW_JSON_READ_OK, else %FALSE
 */
CwJsonRead
cw_json_read_flag (JsonNode *node,
                   gboolean *out)
{
  GType type;

  g_return_val_if_fail (out != NULL, CW_JSON_READ_MALFORMED);

  *out = FALSE;
  if (cw_json_node_is_missing (node))
    return CW_JSON_READ_MISSING;

  type = cw_json_node_value_type (node);
  if (type == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node);
      return CW_JSON_READ_OK;
    }
  else if (type == G_TYPE_INT64 && (json_node_get_int (node) == 0 || json_node_get_int (node) == 1))
    {
      *out = json_node_get_int (node) == 1;
      return CW_JSON_READ_OK;
    }
  else if (type == G_TYPE_STRING)
    {
      g_autofree char *text = NULL;
      CwJsonRead found = cw_json_read_string (node, &text);

      if (found != CW_JSON_READ_OK)
        return found;

      if (g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1"))
        {
          *out = TRUE;
          return CW_JSON_READ_OK;
        }
      if (g_ascii_strcasecmp (text, "false") == 0 || g_str_equal (text, "0"))
        return CW_JSON_READ_OK;
    }

  return CW_JSON_READ_MALFORMED;
}

/**
 * cw_json_date_time_from_iso8601:
 * @text: a moment in ISO 8601, trimmed
 *
 * With a zone, @text is in that zone; without one, in the dealer's local time (which is
 * this computer's). A date alone ("2026-11-21") is midnight.
 *
 * Returns: (transfer full) (nullable): the moment, %NULL if @text is not one
 */
GDateTime *
cw_json_date_time_from_iso8601 (const char *text)
{
  g_autoptr(GTimeZone) local = NULL;
  GDateTime *moment;

  g_return_val_if_fail (text != NULL, NULL);

  local = g_time_zone_new_local ();
  moment = g_date_time_new_from_iso8601 (text, local);

  if (moment == NULL && strlen (text) == 10)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);

      moment = g_date_time_new_from_iso8601 (midnight, local);
    }

  return moment;
}

/**
 * cw_json_read_date_time:
 * @node: (nullable): a member's node
 * @out: (out) (transfer full): return location for the moment
 *
 * Reads a moment: a string as cw_json_read_string() reads it, in ISO 8601 as
 * cw_json_date_time_from_iso8601() reads it.
 *
 * Returns: what was found; *@out is set only with %CW_JSON_READ_OK, else %NULL
 */
CwJsonRead
cw_json_read_date_time (JsonNode   *node,
                        GDateTime **out)
{
  g_autofree char *text = NULL;
  CwJsonRead found;

  g_return_val_if_fail (out != NULL, CW_JSON_READ_MALFORMED);

  *out = NULL;
  found = cw_json_read_string (node, &text);
  if (found != CW_JSON_READ_OK)
    return found;

  *out = cw_json_date_time_from_iso8601 (text);
  return *out != NULL ? CW_JSON_READ_OK : CW_JSON_READ_MALFORMED;
}

/**
 * cw_json_read_cents:
 * @node: (nullable): a member's node
 * @cents: (out): return location for the amount in cents
 *
 * Reads an amount in euros into cents, exactly. json-glib hands a JSON number with a
 * fraction over as a double, so the digits that were sent are gone; "%.15g" gives them
 * back for every amount of at most 15 significant digits (DBL_DIG), which covers every
 * amount below 10¹³ euros to the cent, and cw_money_parse_decimal() then rounds in decimal.
 * No float arithmetic touches the amount itself (docs/money.md). A whole number of euros
 * is taken as it is, as long as its cents fit in 64 bits; an amount sent as a string,
 * trimmed, is parsed as it is.
 *
 * Returns: what was found; *@cents is set only with %CW_JSON_READ_OK, else 0
 */
CwJsonRead
cw_json_read_cents (JsonNode *node,
                    gint64   *cents)
{
  g_autofree char *text = NULL;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  GType type;

  g_return_val_if_fail (cents != NULL, CW_JSON_READ_MALFORMED);

  *cents = 0;
  if (cw_json_node_is_missing (node))
    return CW_JSON_READ_MISSING;

  type = cw_json_node_value_type (node);
  if (type == G_TYPE_INT64)
    {
      gint64 euros = json_node_get_int (node);

      if (euros <= G_MAXINT64 / 100 && euros >= G_MININT64 / 100)
        {
          *cents = euros * 100;
          return CW_JSON_READ_OK;
        }
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double euros = json_node_get_double (node);

      if (isfinite (euros) && fabs (euros) < MAX_DOUBLE_EUROS)
        {
          /* Below 0.0001 "%.15g" writes an exponent; such an amount is 0 cents anyway. */
          if (fabs (euros) < 0.0001)
            text = g_strdup ("0");
          else
            text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", euros));
        }
    }
  else if (type == G_TYPE_STRING)
    {
      CwJsonRead found = cw_json_read_string (node, &text);

      if (found != CW_JSON_READ_OK)
        return found;
    }

  if (text != NULL && cw_money_parse_decimal (text, cents, NULL))
    return CW_JSON_READ_OK;

  *cents = 0;
  return CW_JSON_READ_MALFORMED;
}

/**
 * cw_json_read_object:
 * @node: (nullable): a member's node
 * @out: (out) (transfer none): return location for the object
 *
 * Reads a member that must be an object when it is there.
 *
 * Returns: what was found (never %CW_JSON_READ_BLANK); *@out is set only with
 *   %CW_JSON_READ_OK, else %NULL
 */
CwJsonRead
cw_json_read_object (JsonNode    *node,
                     JsonObject **out)
{
  g_return_val_if_fail (out != NULL, CW_JSON_READ_MALFORMED);

  *out = NULL;
  if (cw_json_node_is_missing (node))
    return CW_JSON_READ_MISSING;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return CW_JSON_READ_MALFORMED;

  *out = json_node_get_object (node);
  return CW_JSON_READ_OK;
}
