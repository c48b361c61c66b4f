/* cw-plate.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-plate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cw-plate.h"
#include "cw-text.h"

/*
 * Licence plates as an advisor types them into a search box. The input is reduced to its
 * upper-case ASCII letters and digits (the compact form that is stored and searched), and
 * the letter/digit pattern of that form decides the kind and where the dashes go. See
 * docs/plates.md for the decisions and dms-apis.md §5 for the plate facts.
 */

G_DEFINE_QUARK (cw-plate-error-quark, cw_plate_error)

/* Longest stretch of the input that an error message quotes, in characters. */

typedef struct
{
  const char *mask;
  guint8      groups[3];
} Sidecode;

/* Index is the sidecode; L = letter, D = digit. All masks are distinct, so the mask alone
 * fixes the sidecode and the dashes. */
static const Sidecode sidecodes[] = {
  [1]  = { "LLDDDD", { 2, 2, 2 } },
  [2]  = { "DDDDLL", { 2, 2, 2 } },
  [3]  = { "DDLLDD", { 2, 2, 2 } },
  [4]  = { "LLDDLL", { 2, 2, 2 } },
  [5]  = { "LLLLDD", { 2, 2, 2 } },
  [6]  = { "DDLLLL", { 2, 2, 2 } },
  [7]  = { "DDLLLD", { 2, 3, 1 } },
  [8]  = { "DLLLDD", { 1, 3, 2 } },
  [9]  = { "LLDDDL", { 2, 3, 1 } },
  [10] = { "LDDDLL", { 1, 3, 2 } },
  [11] = { "LLLDDL", { 3, 2, 1 } },
  [12] = { "LDDLLL", { 1, 2, 3 } },
  [13] = { "DLLDDD", { 1, 2, 3 } },
  [14] = { "DDDLLD", { 3, 2, 1 } },
};

/* Since 2010 a Belgian plate may start with a category letter instead of the index digit:
 * M/W motorcycles, S mopeds, Q trailers, O oldtimers, T taxis, G tractors and the green
 * Z/V/Y trade plates. */
static const char belgian_categories[] = "MWSQOTGZVY";

static void
set_not_a_plate (GError     **error,
                 const char  *text)
{
  g_autofree char *quoted = cw_text_quote (text);

  g_set_error (error, CW_PLATE_ERROR, CW_PLATE_ERROR_INVALID,
               _("“%s” is not a licence plate: use letters and digits, like AB-123-C"),
               quoted);
}

static void
set_too_long (GError **error)
{
  g_set_error (error, CW_PLATE_ERROR, CW_PLATE_ERROR_INVALID,
               ngettext ("That is too long for a licence plate: use at most %d letter or digit, like AB-123-C",
                         "That is too long for a licence plate: use at most %d letters and digits, like AB-123-C",
                         CW_PLATE_MAX_COMPACT),
               CW_PLATE_MAX_COMPACT);
}

/* Writes @compact into @formatted with a dash after each of the @n_groups group sizes
 * but the last. */
static void
format_groups (const char   *compact,
               const guint8 *groups,
               guint         n_groups,
               char         *formatted)
{
  char *out = formatted;

  for (guint g = 0; g < n_groups; g++)
    {
      if (g > 0)
        *out++ = '-';
      memcpy (out, compact, groups[g]);
      out += groups[g];
      compact += groups[g];
    }

  g_assert (*compact == '\0');
  *out = '\0';
}

/* Decides the kind, sidecode and formatted form of @plate from its compact form. */
static void
classify (CwPlate *plate)
{
  static const guint8 belgian_new[] = { 1, 3, 3 };
  static const guint8 belgian_old[] = { 3, 3 };
  const char *compact = plate->compact;
  gsize len = strlen (compact);
  char mask[CW_PLATE_MAX_COMPACT + 1];

  for (gsize i = 0; i < len; i++)
    mask[i] = g_ascii_isdigit (compact[i]) ? 'D' : 'L';
  mask[len] = '\0';

  plate->kind = CW_PLATE_KIND_OTHER;
  plate->sidecode = 0;

  if (len == 6)
    {
      for (guint code = 1; code < G_N_ELEMENTS (sidecodes); code++)
        {
          if (strcmp (mask, sidecodes[code].mask) == 0)
            {
              plate->kind = CW_PLATE_KIND_NL;
              plate->sidecode = code;
              format_groups (compact, sidecodes[code].groups, 3, plate->formatted);
              return;
            }
        }

      /* Neither mask is a Dutch sidecode, so the old Belgian formats cannot collide. */
      if (strcmp (mask, "LLLDDD") == 0 || strcmp (mask, "DDDLLL") == 0)
        {
          plate->kind = CW_PLATE_KIND_BE;
          format_groups (compact, belgian_old, G_N_ELEMENTS (belgian_old), plate->formatted);
          return;
        }
    }
  else if (len == 7 && strcmp (mask + 1, "LLLDDD") == 0 &&
           ((compact[0] >= '1' && compact[0] <= '9') ||
            strchr (belgian_categories, compact[0]) != NULL))
    {
      plate->kind = CW_PLATE_KIND_BE;
      format_groups (compact, belgian_new, G_N_ELEMENTS (belgian_new), plate->formatted);
      return;
    }

  memcpy (plate->formatted, compact, len + 1);
}

/**
 * cw_plate_parse:
 * @text: (nullable): what the user typed or the DMS sent
 * @plate: (out caller-allocates) (optional): the parsed plate
 * @error: return location for a #GError
 *
 * Parses a licence plate. Letters are upper-cased; space, `-`, `.` and `·` may separate
 * the groups and are dropped. Any other character, fewer than 2 or more than
 * %CW_PLATE_MAX_COMPACT letters and digits, or more than %CW_PLATE_MAX_INPUT bytes give
 * %CW_PLATE_ERROR_INVALID; %NULL, empty text or only separators give
 * %CW_PLATE_ERROR_EMPTY. Dutch sidecodes 1–14 and the Belgian formats are recognised
 * by their letter/digit pattern; anything else is %CW_PLATE_KIND_OTHER. Letter rules
 * (vowels, excluded combinations) are not enforced, as a search box must accept every
 * plausible plate.
 *
 * On failure @plate is left unchanged.
 *
 * Returns: %TRUE if @text is a licence plate
 */
gboolean
cw_plate_parse (const char  *text,
                CwPlate     *plate,
                GError     **error)
{
  CwPlate parsed = { 0 };
  gsize n_compact = 0;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL)
    {
      g_set_error_literal (error, CW_PLATE_ERROR, CW_PLATE_ERROR_EMPTY,
                           _("Type a licence plate"));
      return FALSE;
    }

  len = strnlen (text, CW_PLATE_MAX_INPUT + 1);
  if (len > CW_PLATE_MAX_INPUT)
    {
      set_too_long (error);
      return FALSE;
    }

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = *p;

      if (g_ascii_isalnum (c))
        {
          /* Keep counting past the limit so the error below knows the input was long. */
          if (n_compact < CW_PLATE_MAX_COMPACT)
            parsed.compact[n_compact] = g_ascii_toupper (c);
          n_compact++;
        }
      else if (c == ' ' || c == '-' || c == '.')
        continue;
      else if ((guchar) p[0] == 0xC2 && (guchar) p[1] == 0xB7)
        p++; /* U+00B7 MIDDLE DOT, as on some printed plates */
      else
        {
          set_not_a_plate (error, text);
          return FALSE;
        }
    }

  if (n_compact == 0)
    {
      g_set_error_literal (error, CW_PLATE_ERROR, CW_PLATE_ERROR_EMPTY,
                           _("Type a licence plate"));
      return FALSE;
    }

  if (n_compact > CW_PLATE_MAX_COMPACT)
    {
      set_too_long (error);
      return FALSE;
    }

  if (n_compact < 2)
    {
      g_autofree char *quoted = cw_text_quote (text);

      g_set_error (error, CW_PLATE_ERROR, CW_PLATE_ERROR_INVALID,
                   _("“%s” is too short for a licence plate: use letters and digits, like AB-123-C"),
                   quoted);
      return FALSE;
    }

  parsed.compact[n_compact] = '\0';
  classify (&parsed);

  if (plate != NULL)
    *plate = parsed;

  return TRUE;
}

/**
 * cw_plate_normalize:
 * @text: (nullable): a licence plate in any spelling
 *
 * The form a plate is stored and searched in: upper-case letters and digits without
 * separators, e.g. "AB123C" for "ab-123 c".
 *
 * Returns: (transfer full) (nullable): the compact plate, or %NULL if @text is not a plate
 */
char *
cw_plate_normalize (const char *text)
{
  CwPlate plate;

  if (!cw_plate_parse (text, &plate, NULL))
    return NULL;

  return g_strdup (plate.compact);
}

/**
 * cw_plate_format:
 * @text: (nullable): a licence plate in any spelling
 *
 * The form a plate is shown in, e.g. "AB-123-C" for "ab123c". Text that is not a plate
 * is returned as given, without surrounding white space, so nothing a DMS sent is hidden;
 * invalid UTF-8 in it is replaced by U+FFFD so that it can be shown.
 *
 * Returns: (transfer full) (nullable): the plate to show, %NULL only if @text is %NULL
 */
char *
cw_plate_format (const char *text)
{
  CwPlate plate;

  if (text == NULL)
    return NULL;

  if (cw_plate_parse (text, &plate, NULL))
    return g_strdup (plate.formatted);

  return g_strstrip (g_utf8_make_valid (text, -1));
}
