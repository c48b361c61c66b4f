/* test-money.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-money.h"

#define NBSP  "\u00a0"
#define NNBSP "\u202f"

typedef struct
{
  gint64      cents;
  const char *currency;
  const char *locale;
  const char *expected;
} FormatCase;

static const FormatCase format_cases[] = {
  /* Dutch: "€ 1.234,56", the sign after the symbol. */
  { 0,              NULL,  "nl", "€" NBSP "0,00" },
  { 5,              NULL,  "nl", "€" NBSP "0,05" },
  { 99,             NULL,  "nl", "€" NBSP "0,99" },
  { 100,            NULL,  "nl", "€" NBSP "1,00" },
  { 99999,          NULL,  "nl", "€" NBSP "999,99" },
  { 100000,         NULL,  "nl", "€" NBSP "1.000,00" },
  { 123456,         "EUR", "nl", "€" NBSP "1.234,56" },
  { 100000000,      NULL,  "nl", "€" NBSP "1.000.000,00" },
  { -5,             NULL,  "nl", "€" NBSP "-0,05" },
  { -123456,        NULL,  "nl", "€" NBSP "-1.234,56" },
  { G_MAXINT64,     NULL,  "nl", "€" NBSP "92.233.720.368.547.758,07" },
  { G_MININT64,     NULL,  "nl", "€" NBSP "-92.233.720.368.547.758,08" },
  { 1250,           "USD", "nl", "USD" NBSP "12,50" },
  { -1250,          "USD", "nl", "USD" NBSP "-12,50" },

  /* French: "1 234,56 €" with a narrow space between thousands. */
  { 0,              NULL,  "fr", "0,00" NBSP "€" },
  { 5,              NULL,  "fr", "0,05" NBSP "€" },
  { 99,             NULL,  "fr", "0,99" NBSP "€" },
  { 100,            NULL,  "fr", "1,00" NBSP "€" },
  { 123456,         "EUR", "fr", "1" NNBSP "234,56" NBSP "€" },
  { 100000000,      NULL,  "fr", "1" NNBSP "000" NNBSP "000,00" NBSP "€" },
  { -5,             NULL,  "fr", "-0,05" NBSP "€" },
  { -123456,        NULL,  "fr", "-1" NNBSP "234,56" NBSP "€" },
  { G_MAXINT64,     NULL,  "fr", "92" NNBSP "233" NNBSP "720" NNBSP "368" NNBSP "547" NNBSP "758,07" NBSP "€" },
  { G_MININT64,     NULL,  "fr", "-92" NNBSP "233" NNBSP "720" NNBSP "368" NNBSP "547" NNBSP "758,08" NBSP "€" },
  { 1250,           "USD", "fr", "12,50" NBSP "USD" },
  { -1250,          "USD", "fr", "-12,50" NBSP "USD" },

  /* English: "€1,234.56", the sign in front. */
  { 0,              NULL,  "en", "€0.00" },
  { 5,              NULL,  "en", "€0.05" },
  { 99,             NULL,  "en", "€0.99" },
  { 100,            NULL,  "en", "€1.00" },
  { 123456,         "EUR", "en", "€1,234.56" },
  { 100000000,      NULL,  "en", "€1,000,000.00" },
  { -5,             NULL,  "en", "-€0.05" },
  { -123456,        NULL,  "en", "-€1,234.56" },
  { G_MAXINT64,     NULL,  "en", "€92,233,720,368,547,758.07" },
  { G_MININT64,     NULL,  "en", "-€92,233,720,368,547,758.08" },
  { 1250,           "USD", "en", "USD" NBSP "12.50" },
  { -1250,          "USD", "en", "-USD" NBSP "12.50" },

  /* Locale tags: the language in front decides; anything unknown is English. */
  { 123456,         NULL,  "nl_BE.UTF-8", "€" NBSP "1.234,56" },
  { 123456,         NULL,  "nl_NL",       "€" NBSP "1.234,56" },
  { 123456,         NULL,  "nl-BE",       "€" NBSP "1.234,56" },
  { 123456,         NULL,  "NL",          "€" NBSP "1.234,56" },
  { 123456,         NULL,  "fr_BE",       "1" NNBSP "234,56" NBSP "€" },
  { 123456,         NULL,  "fr_FR.UTF-8", "1" NNBSP "234,56" NBSP "€" },
  { 123456,         NULL,  "fr@euro",     "1" NNBSP "234,56" NBSP "€" },
  { 123456,         NULL,  "en_GB",       "€1,234.56" },
  { 123456,         NULL,  "C",           "€1,234.56" },
  { 123456,         NULL,  "C.UTF-8",     "€1,234.56" },
  { 123456,         NULL,  "POSIX",       "€1,234.56" },
  { 123456,         NULL,  "de_DE",       "€1,234.56" },
  { 123456,         NULL,  "nld",         "€1,234.56" },
  { 123456,         NULL,  "",            "€1,234.56" },

  /* Currency codes: case and blanks do not matter, blank means euros. */
  { 1250,           "eur", "nl", "€" NBSP "12,50" },
  { 1250,           "",    "nl", "€" NBSP "12,50" },
  { 1250,           "  ",  "en", "€12.50" },
  { 1250,           "usd", "nl", "USD" NBSP "12,50" },
  { 1250,           " gbp ", "fr", "12,50" NBSP "GBP" },
  { G_MININT64,     "CHF", "en", "-CHF" NBSP "92,233,720,368,547,758.08" },
};

typedef struct
{
  const char   *text;
  gboolean      ok;
  gint64        cents;
  CwMoneyError  code;
} ParseCase;

#define OK(text, cents)   { text, TRUE, cents, 0 }
#define BAD(text)         { text, FALSE, 0, CW_MONEY_ERROR_INVALID }
#define TOO_LARGE(text)   { text, FALSE, 0, CW_MONEY_ERROR_OVERFLOW }

static const ParseCase decimal_cases[] = {
  OK ("0", 0),
  OK ("5", 500),
  OK ("12", 1200),
  OK ("12.5", 1250),
  OK ("12.50", 1250),
  OK ("-12.50", -1250),
  OK ("+3", 300),
  OK ("-0", 0),
  OK ("-0.00", 0),
  OK (" 7.1 ", 710),
  OK ("\t-0.01\n", -1),
  OK ("00012.30", 1230),
  OK ("1234567.89", 123456789),
  /* Rounded half away from zero. */
  OK ("12.345", 1235),
  OK ("-12.345", -1235),
  OK ("12.344", 1234),
  OK ("-12.344", -1234),
  OK ("12.3449999", 1234),
  OK ("12.3450000", 1235),
  OK ("0.005", 1),
  OK ("-0.005", -1),
  OK ("0.004", 0),
  OK ("-0.004", 0),
  OK ("0.995", 100),
  OK ("-9.999", -1000),
  OK ("0.000000000000000000000000000001", 0),
  /* The range ends at ±G_MAXINT64 cents. */
  OK ("92233720368547758.07", G_MAXINT64),
  OK ("-92233720368547758.07", -G_MAXINT64),
  OK ("92233720368547758.065", G_MAXINT64),
  OK ("00000000000000000000000000001", 100),
  TOO_LARGE ("92233720368547758.08"),
  TOO_LARGE ("-92233720368547758.08"),
  TOO_LARGE ("92233720368547758.075"),
  TOO_LARGE ("92233720368547759"),
  TOO_LARGE ("-92233720368547759"),
  TOO_LARGE ("99999999999999999999999"),
  TOO_LARGE ("1000000000000000000000000000000.00"),
  BAD (NULL),
  BAD (""),
  BAD ("   "),
  BAD ("-"),
  BAD ("+"),
  BAD ("."),
  BAD ("1."),
  BAD (".5"),
  BAD ("-.5"),
  BAD ("1,5"),
  BAD ("1,000.00"),
  BAD ("1 000"),
  BAD ("1e3"),
  BAD ("1E3"),
  BAD ("1.5e2"),
  BAD ("1.2.3"),
  BAD ("12 .5"),
  BAD ("12. 5"),
  BAD ("abc"),
  BAD ("NaN"),
  BAD ("nan"),
  BAD ("inf"),
  BAD ("-inf"),
  BAD ("Infinity"),
  BAD ("0x10"),
  BAD ("--1"),
  BAD ("+-1"),
  BAD ("- 1"),
  BAD ("1-"),
  BAD ("€12"),
  BAD ("12.5 EUR"),
  BAD ("１２"),
  BAD ("12" NBSP),
  BAD ("1\xff"),
  BAD ("12\x01"),
  /* Syntax errors win over a number that is too large. */
  BAD ("99999999999999999999x"),
};

typedef struct
{
  const char *locale;
  const char *text;
  gboolean    ok;
  gint64      cents;
  CwMoneyError code;
} LocalizedCase;

#define L_OK(locale, text, cents)  { locale, text, TRUE, cents, 0 }
#define L_BAD(locale, text)        { locale, text, FALSE, 0, CW_MONEY_ERROR_INVALID }
#define L_TOO_LARGE(locale, text)  { locale, text, FALSE, 0, CW_MONEY_ERROR_OVERFLOW }

static const LocalizedCase localized_cases[] = {
  L_OK ("nl", "12", 1200),
  L_OK ("nl", "0", 0),
  L_OK ("nl", "12,5", 1250),
  L_OK ("nl", "12,50", 1250),
  L_OK ("nl", ",50", 50),
  L_OK ("nl", "0,05", 5),
  L_OK ("nl", "1234,56", 123456),
  L_OK ("nl", "1.234,56", 123456),
  L_OK ("nl", "1.234", 123400),
  L_OK ("nl", "12.345.678,90", 1234567890),
  L_OK ("nl", "€ 12,50", 1250),
  L_OK ("nl", "€12,50", 1250),
  L_OK ("nl", "12,50 €", 1250),
  L_OK ("nl", "12,50€", 1250),
  L_OK ("nl", "EUR 12,50", 1250),
  L_OK ("nl", "12,50 EUR", 1250),
  L_OK ("nl", "eur 5", 500),
  L_OK ("nl", "-12,50", -1250),
  L_OK ("nl", "€ -12,50", -1250),
  L_OK ("nl", "-€ 12,50", -1250),
  L_OK ("nl", "- 12,50", -1250),
  L_OK ("nl", "+5", 500),
  L_OK ("nl", "\u2212" "5", -500),
  L_OK ("nl", "-0,00", 0),
  L_OK ("nl", "  12,50  ", 1250),
  L_OK ("nl", NBSP "€" NBSP "12,50" NBSP, 1250),
  L_OK ("nl", "\t12,50\n", 1250),
  L_OK ("nl_BE.UTF-8", "1.234,56", 123456),
  L_OK ("nl", "92.233.720.368.547.758,07", G_MAXINT64),
  L_OK ("nl", "€ -92.233.720.368.547.758,07", -G_MAXINT64),
  L_TOO_LARGE ("nl", "92.233.720.368.547.758,08"),
  L_TOO_LARGE ("nl", "€ -92.233.720.368.547.758,08"),
  L_TOO_LARGE ("nl", "999999999999999999999"),
  L_BAD ("nl", NULL),
  L_BAD ("nl", ""),
  L_BAD ("nl", "   "),
  L_BAD ("nl", "€"),
  L_BAD ("nl", "-"),
  L_BAD ("nl", "- €"),
  L_BAD ("nl", ","),
  L_BAD ("nl", "12,"),
  L_BAD ("nl", "12.50"),
  L_BAD ("nl", "12.5"),
  L_BAD ("nl", "1.23"),
  L_BAD ("nl", "1.2345"),
  L_BAD ("nl", "1234.567"),
  L_BAD ("nl", "1.234.56"),
  L_BAD ("nl", "1..234"),
  L_BAD ("nl", ".123"),
  L_BAD ("nl", "1.234."),
  L_BAD ("nl", "1,2,3"),
  L_BAD ("nl", "12 50"),
  L_BAD ("nl", "1 234,56"),
  L_BAD ("nl", "abc"),
  L_BAD ("nl", "1e3"),
  L_BAD ("nl", "$12"),
  L_BAD ("nl", "USD 12"),
  L_BAD ("nl", "12 USD"),
  L_BAD ("nl", "€€5"),
  L_BAD ("nl", "€ 12,50 €"),
  L_BAD ("nl", "EUR12EUR"),
  L_BAD ("nl", "12,5-"),
  L_BAD ("nl", "--5"),
  L_BAD ("nl", "-€-5"),
  L_BAD ("nl", "1\xff"),
  L_BAD ("nl", "12\x01"),
  L_BAD ("nl", "１２"),
  L_BAD ("nl", "99999999999999999999x"),

  L_OK ("fr", "12,5", 1250),
  L_OK ("fr", "1234,56", 123456),
  L_OK ("fr", "1 234,56", 123456),
  L_OK ("fr", "1" NBSP "234,56", 123456),
  L_OK ("fr", "1" NNBSP "234,56", 123456),
  L_OK ("fr", "1\u2009" "234,56", 123456),
  L_OK ("fr", "1 234 567", 123456700),
  L_OK ("fr", "1" NNBSP "234 567,89", 123456789),
  L_OK ("fr", "1.234,56", 123456),
  L_OK ("fr", "12,50 €", 1250),
  L_OK ("fr", "12,50" NBSP "€", 1250),
  L_OK ("fr", "-1" NNBSP "234,56" NBSP "€", -123456),
  L_OK ("fr", "€ 12", 1200),
  L_OK ("fr", "EUR 7", 700),
  L_OK ("fr_BE", "7 EUR", 700),
  L_TOO_LARGE ("fr", "92 233 720 368 547 758,08"),
  L_BAD ("fr", "12.50"),
  L_BAD ("fr", "1 23,4"),
  L_BAD ("fr", "1 234.56"),
  L_BAD ("fr", "1.234 567,00"),
  L_BAD ("fr", "1  234"),
  L_BAD ("fr", "1,234.56"),
  L_BAD ("fr", "1\t234"),

  L_OK ("en", "12", 1200),
  L_OK ("en", "12.5", 1250),
  L_OK ("en", "1234.56", 123456),
  L_OK ("en", "1,234.56", 123456),
  L_OK ("en", "1,234,567", 123456700),
  L_OK ("en", "€1,234.56", 123456),
  L_OK ("en", "-€1,234.56", -123456),
  L_OK ("en", "€-12.50", -1250),
  L_OK ("en", "€ 12.5", 1250),
  L_OK ("en", "12.50 EUR", 1250),
  L_OK ("en", ".5", 50),
  L_OK ("en_GB", "1,000", 100000),
  L_OK ("C", "1,000.01", 100001),
  L_TOO_LARGE ("en", "92,233,720,368,547,758.08"),
  L_BAD ("en", "12,50"),
  L_BAD ("en", "1,23"),
  L_BAD ("en", "1.234,56"),
  L_BAD ("en", "1 234.56"),
  L_BAD ("en", "1,234,56"),
  L_BAD ("en", "12."),
};

/* Entries that must fail with the "at most two decimals" message. */
static const LocalizedCase decimals_cases[] = {
  L_BAD ("nl", "12,345"),
  L_BAD ("nl", "1,234"),
  L_BAD ("nl", "€ 1.234,567"),
  L_BAD ("fr", "12,345 €"),
  L_BAD ("en", "12.345"),
  L_BAD ("en", "-€1,234.001"),
};

static void
assert_error_message (const GError *error)
{
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), <, 400);

  for (const char *p = error->message; *p; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
test_format (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++)
    {
      const FormatCase *c = &format_cases[i];
      g_autofree char *formatted = cw_money_format (c->cents, c->currency, c->locale);

      g_test_message ("%" G_GINT64_FORMAT " %s in %s", c->cents,
                      c->currency ? c->currency : "(null)", c->locale);
      g_assert_cmpstr (formatted, ==, c->expected);
      g_assert_true (g_utf8_validate (formatted, -1, NULL));
    }
}

static void
restore_env (char **saved)
{
  const char *names[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (saved[i] != NULL)
        g_setenv (names[i], saved[i], TRUE);
      else
        g_unsetenv (names[i]);
    }
}

/* With no locale the language of the user interface decides, read from the environment
 * like gettext does. */
static void
test_format_ui_language (void)
{
  static const struct {
    const char *language;
    const char *lang;
    const char *expected;
  } cases[] = {
    { "nl",    "C.UTF-8",     "€" NBSP "1.234,56" },
    { "fr",    "C.UTF-8",     "1" NNBSP "234,56" NBSP "€" },
    { "en",    "C.UTF-8",     "€1,234.56" },
    { "de:nl", "C.UTF-8",     "€" NBSP "1.234,56" },
    { "de",    "C.UTF-8",     "€1,234.56" },
    { NULL,    "C.UTF-8",     "€1,234.56" },
    { NULL,    "fr_BE.UTF-8", "1" NNBSP "234,56" NBSP "€" },
    { NULL,    "nl_BE.UTF-8", "€" NBSP "1.234,56" },
    { "nl",    "C.UTF-8",     "€" NBSP "1.234,56" },
  };
  char *saved[] = {
    g_strdup (g_getenv ("LANGUAGE")),
    g_strdup (g_getenv ("LC_ALL")),
    g_strdup (g_getenv ("LC_MESSAGES")),
    g_strdup (g_getenv ("LANG")),
  };

  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *formatted = NULL;
      gint64 cents = 0;

      if (cases[i].language != NULL)
        g_setenv ("LANGUAGE", cases[i].language, TRUE);
      else
        g_unsetenv ("LANGUAGE");
      g_setenv ("LANG", cases[i].lang, TRUE);

      formatted = cw_money_format (123456, NULL, NULL);
      g_assert_cmpstr (formatted, ==, cases[i].expected);

      /* Parsing follows the same language. */
      g_assert_true (cw_money_parse_localized (formatted, NULL, &cents, NULL));
      g_assert_cmpint (cents, ==, 123456);
    }

  restore_env (saved);
  for (guint i = 0; i < G_N_ELEMENTS (saved); i++)
    g_free (saved[i]);
}

static void
test_parse_decimal (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (decimal_cases); i++)
    {
      const ParseCase *c = &decimal_cases[i];
      g_autoptr(GError) error = NULL;
      /* Escaped: some cases are not UTF-8, and the TAP log must stay readable. */
      g_autofree char *shown = c->text != NULL ? g_strescape (c->text, NULL) : g_strdup ("(null)");
      gint64 cents = 42;
      gboolean ok;

      g_test_message ("decimal “%s”", shown);
      ok = cw_money_parse_decimal (c->text, &cents, &error);
      if (c->ok)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (cents, ==, c->cents);
          g_assert_true (cw_money_parse_decimal (c->text, NULL, NULL));
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CW_MONEY_ERROR, (int) c->code);
          assert_error_message (error);
          g_assert_cmpint (cents, ==, 42);
        }
    }
}

static void
test_parse_localized (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (localized_cases); i++)
    {
      const LocalizedCase *c = &localized_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = c->text != NULL ? g_strescape (c->text, NULL) : g_strdup ("(null)");
      gint64 cents = 42;
      gboolean ok;

      g_test_message ("%s “%s”", c->locale, shown);
      ok = cw_money_parse_localized (c->text, c->locale, &cents, &error);
      if (c->ok)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (cents, ==, c->cents);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CW_MONEY_ERROR, (int) c->code);
          assert_error_message (error);
          g_assert_cmpint (cents, ==, 42);
          /* Only the decimals case has its own message. */
          g_assert_false (g_str_has_prefix (error->message, "Use at most two decimals"));
        }
    }
}

static void
test_parse_localized_decimals (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (decimals_cases); i++)
    {
      const LocalizedCase *c = &decimals_cases[i];
      g_autoptr(GError) error = NULL;

      g_assert_false (cw_money_parse_localized (c->text, c->locale, NULL, &error));
      g_assert_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "Use at most two decimals"));
    }
}

static void
test_error_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cw_money_parse_localized ("", "nl", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Type an amount, like 1.234,56");
  g_clear_error (&error);

  g_assert_false (cw_money_parse_localized ("12.50", "nl", NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "“12.50” is not an amount: type digits with a comma for the cents, like 1.234,56");
  g_clear_error (&error);

  g_assert_false (cw_money_parse_localized ("12,50", "en", NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "“12,50” is not an amount: type digits with a point for the cents, like 1,234.56");
  g_clear_error (&error);

  g_assert_false (cw_money_parse_localized ("12,345", "fr", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Use at most two decimals, like 1" NNBSP "234,56");
  g_clear_error (&error);

  /* Control characters and invalid bytes are not echoed back. */
  g_assert_false (cw_money_parse_decimal ("1\x01\xff", NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "“1\ufffd\ufffd” is not an amount: expected a number like 1234.56");
  g_clear_error (&error);
}

static void
test_long_input (void)
{
  g_autofree char *nines = g_strnfill (200, '9');
  g_autofree char *zeros = g_strnfill (200, '0');
  g_autofree char *junk = g_strnfill (200, 'x');
  g_autoptr(GError) error = NULL;
  gint64 cents = 42;

  g_assert_false (cw_money_parse_decimal (nines, &cents, &error));
  g_assert_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_OVERFLOW);
  g_assert_nonnull (strstr (error->message, "9999…”"));
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_clear_error (&error);

  g_assert_false (cw_money_parse_localized (nines, "nl", &cents, &error));
  g_assert_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_OVERFLOW);
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_clear_error (&error);

  g_assert_false (cw_money_parse_localized (junk, "fr", &cents, &error));
  g_assert_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_INVALID);
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_clear_error (&error);

  g_assert_cmpint (cents, ==, 42);

  g_assert_true (cw_money_parse_decimal (zeros, &cents, NULL));
  g_assert_cmpint (cents, ==, 0);
  g_assert_true (cw_money_parse_localized (zeros, "en", &cents, NULL));
  g_assert_cmpint (cents, ==, 0);
}

/* Amounts to round-trip: edges of every digit group, and random values of every size. */
static GArray *
round_trip_values (void)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 power = 1;

  for (guint i = 0; i < 19; i++)
    {
      gint64 around[] = { power - 1, power, power + 1, -power + 1, -power, -power - 1 };

      g_array_append_vals (values, around, G_N_ELEMENTS (around));
      if (i < 18)
        power *= 10;
    }

  for (guint i = 0; i < 2000; i++)
    {
      /* A random magnitude of 1 to 63 bits, so every length gets tried. */
      guint bits = (guint) g_test_rand_int_range (1, 64);
      guint64 value = ((guint64) g_test_rand_int () << 32) ^ (guint32) g_test_rand_int ();
      gint64 cents = (gint64) (value >> (64 - bits));

      if (i % 2 == 1)
        cents = -cents;
      g_array_append_val (values, cents);
    }

  {
    gint64 edges[] = { 0, 1, -1, 99, -99, G_MAXINT64, -G_MAXINT64, G_MAXINT64 - 1 };

    g_array_append_vals (values, edges, G_N_ELEMENTS (edges));
  }

  return values;
}

static void
test_round_trip (void)
{
  const char *locales[] = { "nl", "fr", "en", "nl_BE.UTF-8", "fr_BE", "en_GB", "C" };
  g_autoptr(GArray) values = round_trip_values ();

  for (guint i = 0; i < values->len; i++)
    {
      gint64 cents = g_array_index (values, gint64, i);

      for (guint l = 0; l < G_N_ELEMENTS (locales); l++)
        {
          g_autofree char *formatted = cw_money_format (cents, "EUR", locales[l]);
          g_autoptr(GError) error = NULL;
          gint64 parsed = 0;

          if (!cw_money_parse_localized (formatted, locales[l], &parsed, &error))
            g_error ("“%s” (%s) did not parse back: %s", formatted, locales[l], error->message);
          g_assert_cmpint (parsed, ==, cents);
        }

      /* And through the wire format. */
      {
        guint64 magnitude = cents < 0 ? (guint64) 0 - (guint64) cents : (guint64) cents;
        g_autofree char *wire = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u",
                                                 cents < 0 ? "-" : "",
                                                 magnitude / 100, (guint) (magnitude % 100));
        gint64 parsed = 0;

        g_assert_true (cw_money_parse_decimal (wire, &parsed, NULL));
        g_assert_cmpint (parsed, ==, cents);
      }
    }
}

/* G_MININT64 can be formatted but is one cent beyond what is accepted back. */
static void
test_round_trip_minimum (void)
{
  const char *locales[] = { "nl", "fr", "en" };

  for (guint l = 0; l < G_N_ELEMENTS (locales); l++)
    {
      g_autofree char *formatted = cw_money_format (G_MININT64, NULL, locales[l]);
      g_autoptr(GError) error = NULL;

      g_assert_false (cw_money_parse_localized (formatted, locales[l], NULL, &error));
      g_assert_error (error, CW_MONEY_ERROR, CW_MONEY_ERROR_OVERFLOW);
    }
}

/* Random bytes and mixes of amount-like characters never crash, and every answer is
 * either an amount or one of the two errors with a message that can be shown. */
static void
test_random (void)
{
  static const char * const pieces[] = {
    "0", "1", "5", "9", ",", ".", "-", "+", " ", NBSP, NNBSP, "€", "EUR", "e", "\xff", "\x01",
    "\xe2", "\x82",
  };
  const char *locales[] = { "nl", "fr", "en" };

  for (guint round = 0; round < 20000; round++)
    {
      GString *text = g_string_new (NULL);
      guint n = (guint) g_test_rand_int_range (0, 30);
      g_autofree char *input = NULL;
      g_autoptr(GError) error = NULL;
      gint64 cents;

      for (guint i = 0; i < n; i++)
        {
          if (round % 2 == 0)
            g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
          else
            g_string_append_c (text, (char) g_test_rand_int_range (1, 256));
        }
      input = g_string_free (text, FALSE);

      if (!cw_money_parse_decimal (input, &cents, &error))
        {
          g_assert_true (error->domain == CW_MONEY_ERROR);
          assert_error_message (error);
        }
      g_clear_error (&error);

      if (cw_money_parse_localized (input, locales[round % 3], &cents, &error))
        {
          /* Whatever parses formats and parses back to the same amount. */
          g_autofree char *formatted = cw_money_format (cents, NULL, locales[round % 3]);
          gint64 again = 0;

          g_assert_true (cw_money_parse_localized (formatted, locales[round % 3], &again, NULL));
          g_assert_cmpint (again, ==, cents);
        }
      else
        {
          g_assert_true (error->domain == CW_MONEY_ERROR);
          assert_error_message (error);
        }
    }
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (CW_MONEY_ERROR), ==, "cw-money-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/format/table", test_format);
  g_test_add_func ("/money/format/ui-language", test_format_ui_language);
  g_test_add_func ("/money/parse-decimal/table", test_parse_decimal);
  g_test_add_func ("/money/parse-localized/table", test_parse_localized);
  g_test_add_func ("/money/parse-localized/decimals", test_parse_localized_decimals);
  g_test_add_func ("/money/parse/long-input", test_long_input);
  g_test_add_func ("/money/parse/error-messages", test_error_messages);
  g_test_add_func ("/money/parse/random", test_random);
  g_test_add_func ("/money/round-trip/values", test_round_trip);
  g_test_add_func ("/money/round-trip/minimum", test_round_trip_minimum);
  g_test_add_func ("/money/error-quark", test_error_quark);

  return g_test_run ();
}
