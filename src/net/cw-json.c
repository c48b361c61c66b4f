/* cw-json.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-json.h"

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
