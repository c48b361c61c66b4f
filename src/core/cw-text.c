/* cw-text.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-text"

#include "config.h"

#include <string.h>

#include "cw-text.h"

/**
 * cw_text_dup_stripped:
 * @text: (nullable): UTF-8 text
 *
 * Drops white space (any Unicode space, the no-break space included) around @text.
 *
 * Returns: (transfer full) (nullable): the stripped text, or %NULL when nothing is left
 *   or @text is not valid UTF-8
 */
char *
cw_text_dup_stripped (const char *text)
{
  const char *start, *end;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  start = text;
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  end = start + strlen (start);
  while (end > start)
    {
      const char *previous = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (previous)))
        break;
      end = previous;
    }

  if (end == start)
    return NULL;

  return g_strndup (start, end - start);
}

/* Quotes longer than this many characters are cut. */
#define QUOTE_MAX_CHARS 24

/**
 * cw_text_quote:
 * @text: (nullable): text someone typed or a DMS sent
 *
 * Makes @text safe to show inside an error message: invalid UTF-8 and anything that is
 * not printable (control and format characters, which could hide or reorder the text) are
 * replaced by U+FFFD, and long text is cut with an ellipsis.
 *
 * Returns: (transfer full): the quotable text, never %NULL
 */
char *
cw_text_quote (const char *text)
{
  g_autofree char *valid = NULL;
  GString *quoted = g_string_new (NULL);
  guint n_chars = 0;

  if (text == NULL)
    return g_string_free (quoted, FALSE);

  /* Four bytes per character at most, so this cut is never shorter than the quote. */
  valid = g_utf8_make_valid (text, strnlen (text, QUOTE_MAX_CHARS * 4 + 4));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars == QUOTE_MAX_CHARS)
        {
          g_string_append (quoted, "…");
          break;
        }

      switch ((int) g_unichar_type (c))
        {
        case G_UNICODE_CONTROL:
        case G_UNICODE_FORMAT:
        case G_UNICODE_UNASSIGNED:
        case G_UNICODE_PRIVATE_USE:
        case G_UNICODE_SURROGATE:
        case G_UNICODE_LINE_SEPARATOR:
        case G_UNICODE_PARAGRAPH_SEPARATOR:
          g_string_append_unichar (quoted, 0xFFFD);
          break;

        default:
          g_string_append_unichar (quoted, c);
        }

      n_chars++;
    }

  return g_string_free (quoted, FALSE);
}

/**
 * cw_text_fold:
 * @text: (nullable): UTF-8 text
 *
 * Folds @text for matching: compatibility-decomposed, accents dropped and case-folded, so
 * that "Müller", "MULLER" and "muller" compare equal, and "Françoise" matches "francoise".
 * Invalid UTF-8 is treated as absent text.
 *
 * Returns: (transfer full): the folded text, never %NULL
 */
char *
cw_text_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) bare = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");

  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch ((int) g_unichar_type (c))
        {
        case G_UNICODE_NON_SPACING_MARK:
        case G_UNICODE_SPACING_MARK:
        case G_UNICODE_ENCLOSING_MARK:
          continue;

        default:
          g_string_append_unichar (bare, c);
        }
    }

  return g_utf8_casefold (bare->str, bare->len);
}

/**
 * cw_text_compact:
 * @text: (nullable): UTF-8 text
 *
 * Folds @text (see cw_text_fold()) and keeps only its letters and digits, so that every
 * spelling of a workorder number or a plate ("AB-123-C", "ab 123 c") gives the same key.
 *
 * Returns: (transfer full): the compact key, never %NULL
 */
char *
cw_text_compact (const char *text)
{
  g_autofree char *folded = cw_text_fold (text);
  GString *compact = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (compact, c);
    }

  return g_string_free (compact, FALSE);
}

/**
 * cw_text_tokens:
 * @text: (nullable): UTF-8 text
 *
 * Splits the folded form of @text into words of letters and digits: "Jan-Willem de Vries"
 * gives "jan", "willem", "de", "vries".
 *
 * Returns: (transfer full): a %NULL-terminated array of tokens, possibly empty
 */
char **
cw_text_tokens (const char *text)
{
  g_autofree char *folded = cw_text_fold (text);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = folded;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0)
        {
          g_ptr_array_add (tokens, g_strndup (word->str, word->len));
          g_string_truncate (word, 0);
        }

      if (c == 0)
        break;
    }

  g_ptr_array_add (tokens, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&tokens), FALSE);
}

/**
 * cw_text_prefix_end:
 * @prefix: a non-empty string
 *
 * Returns the smallest string that sorts (bytewise) after every string starting with
 * @prefix, so that a prefix search becomes the index range [@prefix, result). The result
 * is a byte string meant for comparisons only; it need not be valid UTF-8.
 *
 * Returns: (transfer full) (nullable): the upper bound, or %NULL when there is none
 *   (an empty prefix, or one made only of 0xFF bytes)
 */
char *
cw_text_prefix_end (const char *prefix)
{
  g_autofree char *end = g_strdup (prefix);
  gsize len = end ? strlen (end) : 0;

  while (len > 0)
    {
      guchar last = (guchar) end[len - 1];

      if (last < 0xFF)
        {
          end[len - 1] = (char) (last + 1);
          end[len] = '\0';
          return g_steal_pointer (&end);
        }

      len--;
    }

  return NULL;
}

/**
 * cw_text_ui_language:
 *
 * The language the user interface is shown in, as one of the languages the app is
 * translated to: "nl", "fr" or "en". It follows the same environment gettext reads
 * (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`).
 *
 * Returns: (transfer none): "nl", "fr" or "en"
 */
const char *
cw_text_ui_language (void)
{
  static const char * const translated[] = { "nl", "fr", "en" };
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      /* The language is the part before the territory, codeset or modifier: "fr_BE.UTF-8"
       * is French, "frr_DE" (North Frisian) is not. */
      gsize length = strcspn (names[i], "_.@");

      for (guint j = 0; j < G_N_ELEMENTS (translated); j++)
        if (length == 2 && strncmp (names[i], translated[j], 2) == 0)
          return translated[j];
    }

  return "en";
}

/**
 * cw_text_dup_grouped:
 * @value: a whole number, 0 or more
 *
 * Groups the thousands of @value as the desk's language writes them, whatever the system
 * locale: "81.500" in Dutch, "81 500" (narrow no-break space) in French, "81,500" in
 * English.
 *
 * Returns: (transfer full): the number
 */
char *
cw_text_dup_grouped (gint64 value)
{
  const char *language = cw_text_ui_language ();
  const char *separator = ",";
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, ABS (value));
  GString *number = g_string_new (value < 0 ? "-" : NULL);
  gsize n_digits = strlen (digits);
  gsize first = n_digits % 3 != 0 ? n_digits % 3 : 3;

  if (g_str_equal (language, "nl"))
    separator = ".";
  else if (g_str_equal (language, "fr"))
    separator = "\u202f";

  g_string_append_len (number, digits, first);
  for (gsize i = first; i < n_digits; i += 3)
    {
      g_string_append (number, separator);
      g_string_append_len (number, digits + i, 3);
    }

  return g_string_free (number, FALSE);
}
