/* cw-money.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-money"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cw-money.h"
#include "cw-text.h"

/*
 * Money is an integer number of cents. Formatting and parsing are done by hand with
 * integer arithmetic only, for the three languages the app is translated to, so that the
 * result depends neither on floating point nor on which system locales are installed.
 * See docs/money.md for the formats and the decisions.
 */

G_DEFINE_QUARK (cw-money-error-quark, cw_money_error)

#define NBSP  "\u00a0"  /* NO-BREAK SPACE */
#define NNBSP "\u202f"  /* NARROW NO-BREAK SPACE */
#define EURO  "\u20ac"

/* Amounts run from -G_MAXINT64 to G_MAXINT64 cents, so that every amount can be negated. */
#define MAX_CENTS ((guint64) G_MAXINT64)
#define MAX_UNITS (MAX_CENTS / 100)

/* Longest stretch of the input that an error message quotes, in characters. */

typedef enum
{
  LANGUAGE_EN,
  LANGUAGE_NL,
  LANGUAGE_FR,
} Language;

/* An amount being read digit by digit: whole units, then up to two decimals into @cents
 * and the third decimal deciding the rounding. */
typedef struct
{
  guint64  units;
  guint    cents;
  guint    n_decimals;
  gboolean round_up;
  gboolean overflow;
} Amount;

static Language
language_from_locale (const char *locale)
{
  gsize len;

  if (locale == NULL)
    locale = cw_text_ui_language ();

  /* "nl", "nl_BE.UTF-8", "fr-BE" and "fr@euro" all name the language in front. */
  len = strcspn (locale, "_-.@");
  if (len == 2 && g_ascii_strncasecmp (locale, "nl", 2) == 0)
    return LANGUAGE_NL;
  if (len == 2 && g_ascii_strncasecmp (locale, "fr", 2) == 0)
    return LANGUAGE_FR;

  return LANGUAGE_EN;
}

/* An amount as the user should type it, for error messages. */
static const char *
example_for (Language language)
{
  switch (language)
    {
    case LANGUAGE_NL:
      return "1.234,56";
    case LANGUAGE_FR:
      return "1" NNBSP "234,56";
    case LANGUAGE_EN:
    default:
      return "1,234.56";
    }
}

static void
amount_add_unit_digit (Amount *amount,
                       char    digit)
{
  g_assert (g_ascii_isdigit (digit));

  /* units stays at most MAX_UNITS, so units * 10 + 9 cannot wrap a guint64. */
  if (amount->overflow)
    return;

  amount->units = amount->units * 10 + (guint) (digit - '0');
  if (amount->units > MAX_UNITS)
    amount->overflow = TRUE;
}

static void
amount_add_decimal (Amount *amount,
                    char    digit)
{
  guint value = (guint) (digit - '0');

  g_assert (g_ascii_isdigit (digit));

  amount->n_decimals++;
  if (amount->n_decimals == 1)
    amount->cents += value * 10;
  else if (amount->n_decimals == 2)
    amount->cents += value;
  else if (amount->n_decimals == 3)
    amount->round_up = value >= 5; /* half away from zero: the magnitude goes up */
}

/* Combines @amount and the sign into cents; FALSE when out of range. */
static gboolean
amount_to_cents (const Amount *amount,
                 gboolean      negative,
                 gint64       *cents)
{
  guint64 magnitude;

  if (amount->overflow)
    return FALSE;

  /* At most MAX_UNITS * 100 + 100, far below G_MAXUINT64. */
  magnitude = amount->units * 100 + amount->cents + (amount->round_up ? 1 : 0);
  if (magnitude > MAX_CENTS)
    return FALSE;

  *cents = negative ? -(gint64) magnitude : (gint64) magnitude;
  return TRUE;
}

/* Appends @units in decimal with @separator between groups of three digits. */
static void
append_grouped (GString    *out,
                guint64     units,
                const char *separator)
{
  char digits[32];
  gsize n_digits;
  gsize first;

  n_digits = (gsize) g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, units);
  first = n_digits % 3 != 0 ? n_digits % 3 : 3;

  g_string_append_len (out, digits, (gssize) first);
  for (gsize i = first; i < n_digits; i += 3)
    {
      g_string_append (out, separator);
      g_string_append_len (out, digits + i, 3);
    }
}

/**
 * cw_money_format:
 * @cents: the amount in cents
 * @currency: (nullable): an ISO 4217 code; %NULL or blank means EUR
 * @locale: (nullable): a locale or language tag such as "nl", "nl_BE.UTF-8" or "fr_BE";
 *   %NULL for the language of the user interface
 *
 * Formats an amount the way CLDR writes it for the language of @locale: `€ 1.234,56` in
 * Dutch, `1 234,56 €` in French and `€1,234.56` in any other language, always with two
 * decimals. Euros are written with the € sign; any other currency with its code in place
 * of the sign (`USD 12,50`). Every amount of a #gint64 can be formatted.
 *
 * Returns: (transfer full): the formatted amount
 */
char *
cw_money_format (gint64      cents,
                 const char *currency,
                 const char *locale)
{
  Language language = language_from_locale (locale);
  g_autofree char *code = NULL;
  const char *symbol = EURO;
  gboolean is_euro = TRUE;
  gboolean negative = cents < 0;
  /* Unsigned negation is defined for G_MININT64, whose magnitude no gint64 can hold. */
  guint64 magnitude = negative ? (guint64) 0 - (guint64) cents : (guint64) cents;
  guint64 units = magnitude / 100;
  guint fraction = (guint) (magnitude % 100);
  const char *sign = negative ? "-" : "";
  GString *out = g_string_new (NULL);

  if (currency != NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (currency, -1);

      code = g_ascii_strup (g_strstrip (valid), -1);
      if (*code != '\0' && strcmp (code, "EUR") != 0)
        {
          symbol = code;
          is_euro = FALSE;
        }
    }

  switch (language)
    {
    case LANGUAGE_NL:
      g_string_append_printf (out, "%s" NBSP "%s", symbol, sign);
      append_grouped (out, units, ".");
      g_string_append_printf (out, ",%02u", fraction);
      break;

    case LANGUAGE_FR:
      g_string_append (out, sign);
      append_grouped (out, units, NNBSP);
      g_string_append_printf (out, ",%02u" NBSP "%s", fraction, symbol);
      break;

    case LANGUAGE_EN:
    default:
      /* CLDR puts a space between a currency code and the digits, not after a sign. */
      g_string_append_printf (out, "%s%s%s", sign, symbol, is_euro ? "" : NBSP);
      append_grouped (out, units, ",");
      g_string_append_printf (out, ".%02u", fraction);
      break;
    }

  return g_string_free (out, FALSE);
}

/**
 * cw_money_parse_decimal:
 * @text: (nullable): an amount as a DMS sends it, e.g. "-1234.565"
 * @cents: (out) (optional): the amount in cents
 * @error: return location for a #GError
 *
 * Parses the plain decimal notation DMSs use on the wire: an optional `-` or `+`, digits,
 * and optionally a `.` followed by digits, with optional white space around. Amounts with
 * more than two decimals are rounded half away from zero to whole cents. Anything else,
 * including commas, exponents and "NaN", gives %CW_MONEY_ERROR_INVALID; an amount beyond
 * ±%G_MAXINT64 cents gives %CW_MONEY_ERROR_OVERFLOW.
 *
 * Returns: %TRUE if @text is an amount
 */
gboolean
cw_money_parse_decimal (const char  *text,
                        gint64      *cents,
                        GError     **error)
{
  Amount amount = { 0 };
  gboolean negative = FALSE;
  const char *p = text;
  gint64 result;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL)
    text = p = "";

  while (g_ascii_isspace (*p))
    p++;

  if (*p == '\0')
    {
      g_set_error_literal (error, CW_MONEY_ERROR, CW_MONEY_ERROR_INVALID,
                           _("The amount is empty: expected a number like 1234.56"));
      return FALSE;
    }

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';

  if (!g_ascii_isdigit (*p))
    goto invalid;
  for (; g_ascii_isdigit (*p); p++)
    amount_add_unit_digit (&amount, *p);

  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        goto invalid;
      for (; g_ascii_isdigit (*p); p++)
        amount_add_decimal (&amount, *p);
    }

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    goto invalid;

  if (!amount_to_cents (&amount, negative, &result))
    {
      g_autofree char *quoted = cw_text_quote (text);

      g_set_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_OVERFLOW,
                   _("The amount “%s” is too large: check the amount in the DMS"),
                   quoted);
      return FALSE;
    }

  if (cents != NULL)
    *cents = result;
  return TRUE;

invalid:
  {
    g_autofree char *quoted = cw_text_quote (text);

    g_set_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_INVALID,
                 _("“%s” is not an amount: expected a number like 1234.56"),
                 quoted);
    return FALSE;
  }
}

/* The length of the white space character at @p, 0 if there is none. With @in_number,
 * only the characters that may group thousands count. */
static gsize
space_length (const char *p,
              const char *end,
              gboolean    in_number)
{
  static const char * const spaces[] = { " ", NBSP, NNBSP, "\u2009" /* THIN SPACE */ };

  if (!in_number && p < end && (*p == '\t' || *p == '\n' || *p == '\r'))
    return 1;

  for (guint i = 0; i < G_N_ELEMENTS (spaces); i++)
    {
      gsize len = strlen (spaces[i]);

      if ((gsize) (end - p) >= len && memcmp (p, spaces[i], len) == 0)
        return len;
    }

  return 0;
}

static const char *
skip_spaces (const char *p,
             const char *end)
{
  gsize len;

  while ((len = space_length (p, end, FALSE)) > 0)
    p += len;

  return p;
}

static const char *
skip_spaces_back (const char *start,
                  const char *end)
{
  gboolean found = TRUE;

  while (found && end > start)
    {
      found = FALSE;
      for (gsize len = 1; len <= 3 && len <= (gsize) (end - start); len++)
        {
          if (space_length (end - len, end, FALSE) == len)
            {
              end -= len;
              found = TRUE;
              break;
            }
        }
    }

  return end;
}

/* The length of the currency ("€" or "EUR" in any case) at @p, 0 if there is none. */
static gsize
currency_length (const char *p,
                 const char *end)
{
  gsize left = (gsize) (end - p);

  if (left >= strlen (EURO) && memcmp (p, EURO, strlen (EURO)) == 0)
    return strlen (EURO);
  if (left >= 3 && g_ascii_strncasecmp (p, "EUR", 3) == 0)
    return 3;

  return 0;
}

/* The length of the sign at @p ("-", "+" or U+2212 MINUS SIGN), 0 if there is none. */
static gsize
sign_length (const char *p,
             const char *end,
             gboolean   *negative)
{
  if (p < end && (*p == '-' || *p == '+'))
    {
      *negative = *p == '-';
      return 1;
    }
  if ((gsize) (end - p) >= 3 && memcmp (p, "\u2212", 3) == 0)
    {
      *negative = TRUE;
      return 3;
    }

  return 0;
}

/* The length of the thousands separator of @language at @p, 0 if there is none, and
 * which kind it is, so that one number does not mix them. */
static gsize
group_separator_length (Language    language,
                        const char *p,
                        const char *end,
                        char       *kind)
{
  switch (language)
    {
    case LANGUAGE_NL:
      *kind = '.';
      return *p == '.' ? 1 : 0;

    case LANGUAGE_FR:
      /* CLDR groups French with a narrow space, but Belgians often write a dot. */
      if (*p == '.')
        {
          *kind = '.';
          return 1;
        }
      *kind = ' ';
      return space_length (p, end, TRUE);

    case LANGUAGE_EN:
    default:
      *kind = ',';
      return *p == ',' ? 1 : 0;
    }
}

/**
 * cw_money_parse_localized:
 * @text: (nullable): an amount as the user typed it
 * @locale: (nullable): a locale or language tag as for cw_money_format(); %NULL for the
 *   language of the user interface
 * @cents: (out) (optional): the amount in cents
 * @error: return location for a #GError
 *
 * Parses an amount the way an advisor types it in the language of @locale: digits with
 * that language's decimal separator (a comma in Dutch and French, a point otherwise) and
 * optionally its thousands separator in the right places (a dot in Dutch; a space, no-break
 * space, narrow no-break space or dot in French; a comma otherwise), at most two decimals,
 * a sign, and "€" or "EUR" before or after. Everything cw_money_format() writes for euros
 * parses back to the same amount.
 *
 * Returns: %TRUE if @text is an amount
 */
gboolean
cw_money_parse_localized (const char  *text,
                          const char  *locale,
                          gint64      *cents,
                          GError     **error)
{
  Language language = language_from_locale (locale);
  char decimal_separator = language == LANGUAGE_EN ? '.' : ',';
  Amount amount = { 0 };
  gboolean negative = FALSE;
  gboolean has_sign = FALSE;
  gboolean has_currency = FALSE;
  gboolean has_digits = FALSE;
  char group_kind = '\0';
  guint n_groups = 1;
  guint group_len = 0;
  const char *p;
  const char *end;
  gsize len;
  gint64 result;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL)
    text = "";

  if (!g_utf8_validate (text, -1, NULL))
    goto invalid;

  p = skip_spaces (text, text + strlen (text));
  end = skip_spaces_back (p, text + strlen (text));

  if (p == end)
    {
      g_set_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_INVALID,
                   _("Type an amount, like %s"), example_for (language));
      return FALSE;
    }

  /* Sign and currency in either order in front ("-€ 5", "€ -5"), or the currency last. */
  if ((len = sign_length (p, end, &negative)) > 0)
    {
      has_sign = TRUE;
      p = skip_spaces (p + len, end);
    }
  if ((len = currency_length (p, end)) > 0)
    {
      has_currency = TRUE;
      p = skip_spaces (p + len, end);
    }
  if (!has_sign && (len = sign_length (p, end, &negative)) > 0)
    p = skip_spaces (p + len, end);
  /* Both "€" and "EUR" are three bytes long. */
  if (!has_currency && end - p >= 3 && currency_length (end - 3, end) == 3)
    end = skip_spaces_back (p, end - 3);

  /* Whole units, in groups of three after the first group when they are grouped. */
  while (p < end && *p != decimal_separator)
    {
      char kind;

      if (g_ascii_isdigit (*p))
        {
          amount_add_unit_digit (&amount, *p);
          has_digits = TRUE;
          group_len++;
          p++;
        }
      else if ((len = group_separator_length (language, p, end, &kind)) > 0)
        {
          if (group_len == 0 || group_len > 3 ||
              (n_groups > 1 && group_len != 3) ||
              (group_kind != '\0' && kind != group_kind))
            goto invalid;
          group_kind = kind;
          n_groups++;
          group_len = 0;
          p += len;
        }
      else
        goto invalid;
    }

  if (n_groups > 1 && group_len != 3)
    goto invalid;

  if (p < end)
    {
      g_assert (*p == decimal_separator);

      for (p++; p < end; p++)
        {
          if (!g_ascii_isdigit (*p))
            goto invalid;
          amount_add_decimal (&amount, *p);
          has_digits = TRUE;
        }

      if (amount.n_decimals == 0)
        goto invalid;
    }

  if (!has_digits)
    goto invalid;

  if (amount.n_decimals > 2)
    {
      g_set_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_INVALID,
                   _("Use at most two decimals, like %s"), example_for (language));
      return FALSE;
    }

  if (!amount_to_cents (&amount, negative, &result))
    {
      g_autofree char *quoted = cw_text_quote (text);

      g_set_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_OVERFLOW,
                   _("“%s” is too large an amount: check the number of digits"),
                   quoted);
      return FALSE;
    }

  if (cents != NULL)
    *cents = result;
  return TRUE;

invalid:
  {
    g_autofree char *quoted = cw_text_quote (text);

    switch (language)
      {
      case LANGUAGE_NL:
      case LANGUAGE_FR:
        g_set_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_INVALID,
                     _("“%s” is not an amount: type digits with a comma for the cents, like %s"),
                     quoted, example_for (language));
        break;

      case LANGUAGE_EN:
      default:
        g_set_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_INVALID,
                     _("“%s” is not an amount: type digits with a point for the cents, like %s"),
                     quoted, example_for (language));
        break;
      }

    return FALSE;
  }
}
