/* test-text.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-text.h"

typedef struct
{
  const char *text;
  const char *expected;
} TextCase;

/* ---------------------------------------------------------------------------------------
 * cw_text_fold()
 */

static const TextCase fold_cases[] = {
  { "Müller",                "muller" },
  { "MÜLLER",                "muller" },
  { "MULLER",                "muller" },
  { "muller",                "muller" },
  /* The same name, precomposed and with a combining diaeresis. */
  { "Mu\xcc\x88ller",        "muller" },
  { "Françoise",             "francoise" },
  { "FRANÇOISE",             "francoise" },
  { "Straße",                "strasse" },
  { "STRASSE",               "strasse" },
  { "ﬁ",                     "fi" },
  { "Ñandú",                 "nandu" },
  { "Zoë Œuvre",             "zoe œuvre" },
  { "Éric Lefèvre",          "eric lefevre" },
  /* Compatibility forms: the Dutch IJ ligature, full-width letters, superscripts. */
  { "Ĳssel",                 "ijssel" },
  { "Ａｂｃ１２",            "abc12" },
  { "m²",                    "m2" },
  /* Letters with no decomposition keep their base form, case-folded. */
  { "Ørsted",                "ørsted" },
  { "Łódź",                  "łodz" },
  { "Ærø",                   "ærø" },
  { "İstanbul",              "istanbul" },
  { "ΣΊΣΥΦΟΣ",               "σισυφοσ" },
  /* Punctuation and white space stay: only tokens and compact keys drop them. */
  { "  Jan-Willem  ",        "  jan-willem  " },
  { "AB-123-c",              "ab-123-c" },
  { "",                      "" },
  { NULL,                    "" },
  /* Invalid UTF-8 counts as absent text. */
  { "\xff",                  "" },
  { "M\xfcller",             "" },
  { "abc\xc3",               "" },
  { "\xc0\x80",              "" },
  { "\xed\xa0\x80",          "" },
};

static void
test_fold (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fold_cases); i++)
    {
      g_autofree char *folded = cw_text_fold (fold_cases[i].text);
      g_autofree char *again = NULL;

      g_assert_nonnull (folded);
      g_assert_cmpstr (folded, ==, fold_cases[i].expected);
      g_assert_true (g_utf8_validate (folded, -1, NULL));

      /* Folding is idempotent: a folded key folds to itself. */
      again = cw_text_fold (folded);
      g_assert_cmpstr (again, ==, folded);
    }
}

static void
test_fold_equivalent_spellings (void)
{
  /* Every spelling of a name gives the same key. */
  static const char * const groups[][4] = {
    { "Müller", "MÜLLER", "muller", "Mu\xcc\x88ller" },
    { "Françoise", "FRANCOISE", "françoise", "Franc\xcc\xa7oise" },
    { "Straße", "STRASSE", "strasse", "STRAẞE" },
    { "ﬁat", "Fiat", "FIAT", "ｆｉａｔ" },
  };

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      g_autofree char *first = cw_text_fold (groups[g][0]);

      for (guint i = 1; i < G_N_ELEMENTS (groups[g]); i++)
        {
          g_autofree char *other = cw_text_fold (groups[g][i]);

          g_assert_cmpstr (other, ==, first);
        }
    }
}

/* ---------------------------------------------------------------------------------------
 * cw_text_compact()
 */

static const TextCase compact_cases[] = {
  { "AB-123-c",              "ab123c" },
  { "ab 123 c",              "ab123c" },
  { " AB.123.C ",            "ab123c" },
  { "W24-0012",              "w240012" },
  { "W24/0012",              "w240012" },
  { "Müller-Lüdenscheidt",   "mullerludenscheidt" },
  { "12·34",                 "1234" },
  { "Ørsted A/S",            "ørstedas" },
  { "  ",                    "" },
  { "-- ..",                 "" },
  { "",                      "" },
  { NULL,                    "" },
  { "\xff",                  "" },
  { "AB\xff-123",            "" },
};

static void
test_compact (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (compact_cases); i++)
    {
      g_autofree char *compact = cw_text_compact (compact_cases[i].text);
      g_autofree char *again = NULL;

      g_assert_nonnull (compact);
      g_assert_cmpstr (compact, ==, compact_cases[i].expected);

      again = cw_text_compact (compact);
      g_assert_cmpstr (again, ==, compact);
    }
}

/* ---------------------------------------------------------------------------------------
 * cw_text_tokens()
 */

typedef struct
{
  const char *text;
  const char *expected[6];  /* NULL-terminated */
} TokensCase;

static const TokensCase tokens_cases[] = {
  { "Jan-Willem de Vries",        { "jan", "willem", "de", "vries", NULL } },
  { "  ,, ",                      { NULL } },
  { "",                           { NULL } },
  { NULL,                         { NULL } },
  { "\xff",                       { NULL } },
  { "Jan \xff Vries",             { NULL } },
  /* Ø has no decomposition (NFKD leaves it), so it stays, folded to ø. */
  { "Ørsted A/S",                 { "ørsted", "a", "s", NULL } },
  { "Müller, Hans",               { "muller", "hans", NULL } },
  { "van der Berg-Ölçer",         { "van", "der", "berg", "olcer", NULL } },
  { "O'Neill",                    { "o", "neill", NULL } },
  { "W24-0012",                   { "w24", "0012", NULL } },
  { "a",                          { "a", NULL } },
  { "\tDe Smet\n",                { "de", "smet", NULL } },
  { "Garage 't Hof B.V.",         { "garage", "t", "hof", "b", "v", NULL } },
};

static void
test_tokens (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (tokens_cases); i++)
    {
      g_auto(GStrv) tokens = cw_text_tokens (tokens_cases[i].text);

      g_assert_nonnull (tokens);
      g_assert_cmpstrv (tokens, tokens_cases[i].expected);

      for (guint t = 0; tokens[t] != NULL; t++)
        g_assert_cmpstr (tokens[t], !=, "");
    }
}

/* ---------------------------------------------------------------------------------------
 * cw_text_prefix_end()
 */

static const TextCase prefix_end_cases[] = {
  { "ab",               "ac" },
  { "a",                "b" },
  { "az",               "a{" },
  { "a\xfe",            "a\xff" },
  { "a\xff",            "b" },
  { "ab\xff\xff",       "ac" },
  { "\x01",             "\x02" },
  { "é",                "\xc3\xaa" },
  { "w24",              "w25" },
  { "",                 NULL },
  { NULL,               NULL },
  { "\xff",             NULL },
  { "\xff\xff",         NULL },
};

static void
test_prefix_end (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (prefix_end_cases); i++)
    {
      g_autofree char *end = cw_text_prefix_end (prefix_end_cases[i].text);

      g_assert_cmpstr (end, ==, prefix_end_cases[i].expected);
    }
}

static void
test_prefix_end_range (void)
{
  /* Every string of up to three bytes over an alphabet with the extreme bytes: for each
   * prefix p, s starts with p exactly when p <= s < prefix_end (p), bytewise. */
  static const char alphabet[] = { '\x01', 'a', 'b', '\x7f', '\xfe', '\xff' };
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  guint n_checked = 0;

  g_ptr_array_add (strings, g_strdup (""));
  for (guint len = 1; len <= 3; len++)
    {
      guint n = 1;

      for (guint k = 0; k < len; k++)
        n *= G_N_ELEMENTS (alphabet);

      for (guint i = 0; i < n; i++)
        {
          char buf[4] = { 0 };
          guint rest = i;

          for (guint k = 0; k < len; k++)
            {
              buf[k] = alphabet[rest % G_N_ELEMENTS (alphabet)];
              rest /= G_N_ELEMENTS (alphabet);
            }
          g_ptr_array_add (strings, g_strdup (buf));
        }
    }

  for (guint p = 0; p < strings->len; p++)
    {
      const char *prefix = g_ptr_array_index (strings, p);
      g_autofree char *end = cw_text_prefix_end (prefix);
      gboolean all_ff = TRUE;

      for (const char *c = prefix; *c; c++)
        all_ff &= (guchar) *c == 0xFF;

      /* No bound exists for "" and for prefixes of 0xFF bytes only. */
      if (all_ff)
        {
          g_assert_null (end);
          continue;
        }
      g_assert_nonnull (end);
      g_assert_cmpint (strcmp (prefix, end), <, 0);

      for (guint s = 0; s < strings->len; s++)
        {
          const char *text = g_ptr_array_index (strings, s);
          gboolean has_prefix = g_str_has_prefix (text, prefix);
          gboolean in_range = strcmp (prefix, text) <= 0 && strcmp (text, end) < 0;

          if (has_prefix != in_range)
            g_error ("prefix %s, string %s: has prefix %d, in range %d",
                     g_strescape (prefix, NULL), g_strescape (text, NULL), has_prefix, in_range);
          n_checked++;
        }
    }

  g_assert_cmpuint (n_checked, >, 10000);
}

/* ---------------------------------------------------------------------------------------
 * cw_text_ui_language()
 */

typedef struct
{
  const char *language;     /* NULL: unset */
  const char *lc_all;
  const char *lc_messages;
  const char *lang;
  const char *expected;
} LanguageCase;

static const LanguageCase language_cases[] = {
  { "nl",            NULL,          NULL,          "C.UTF-8",     "nl" },
  { "fr_BE",         NULL,          NULL,          "C.UTF-8",     "fr" },
  { "en_GB",         NULL,          NULL,          "C.UTF-8",     "en" },
  { "de",            NULL,          NULL,          "C.UTF-8",     "en" },
  { NULL,            NULL,          NULL,          "C",           "en" },
  { NULL,            NULL,          NULL,          NULL,          "en" },
  { "nl_BE.UTF-8",   NULL,          NULL,          "C.UTF-8",     "nl" },
  { "fr_FR@euro",    NULL,          NULL,          "C.UTF-8",     "fr" },
  /* A list: the first language the app has wins. */
  { "de:nl",         NULL,          NULL,          "C.UTF-8",     "nl" },
  { "de_AT:fr:nl",   NULL,          NULL,          "C.UTF-8",     "fr" },
  { "en_US:nl",      NULL,          NULL,          "C.UTF-8",     "en" },
  { "de:es",         NULL,          NULL,          "C.UTF-8",     "en" },
  /* Without LANGUAGE, the locale variables in gettext's order. */
  { NULL,            NULL,          NULL,          "nl_NL.UTF-8", "nl" },
  { "",              NULL,          NULL,          "nl_BE.UTF-8", "nl" },
  { NULL,            "fr_BE.UTF-8", NULL,          "nl_NL.UTF-8", "fr" },
  { NULL,            NULL,          "fr_BE.UTF-8", "nl_NL.UTF-8", "fr" },
  { NULL,            "en_GB.UTF-8", "fr_BE.UTF-8", "nl_NL.UTF-8", "en" },
  { NULL,            NULL,          NULL,          "de_DE.UTF-8", "en" },
  /* LANGUAGE before the locale variables. */
  { "nl",            "fr_BE.UTF-8", NULL,          "fr_BE.UTF-8", "nl" },
};

static void
set_or_unset (const char *name,
              const char *value)
{
  if (value != NULL)
    g_setenv (name, value, TRUE);
  else
    g_unsetenv (name);
}

static void
set_language_env (const LanguageCase *c)
{
  set_or_unset ("LANGUAGE", c->language);
  set_or_unset ("LC_ALL", c->lc_all);
  set_or_unset ("LC_MESSAGES", c->lc_messages);
  set_or_unset ("LANG", c->lang);
}

static void
test_ui_language (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (language_cases); i++)
    {
      const LanguageCase *c = &language_cases[i];
      g_autofree char *expected = g_strdup_printf ("LANGUAGE=%s LC_ALL=%s LC_MESSAGES=%s LANG=%s: %s",
                                                   c->language, c->lc_all, c->lc_messages, c->lang,
                                                   c->expected);
      g_autofree char *actual = NULL;

      set_language_env (c);
      actual = g_strdup_printf ("LANGUAGE=%s LC_ALL=%s LC_MESSAGES=%s LANG=%s: %s",
                                c->language, c->lc_all, c->lc_messages, c->lang,
                                cw_text_ui_language ());
      g_assert_cmpstr (actual, ==, expected);
    }

  /* Back and forth: the answer follows the environment, it is not cached once. */
  for (guint round = 0; round < 3; round++)
    {
      set_language_env (&language_cases[0]);
      g_assert_cmpstr (cw_text_ui_language (), ==, "nl");
      set_language_env (&language_cases[1]);
      g_assert_cmpstr (cw_text_ui_language (), ==, "fr");
      set_language_env (&language_cases[4]);
      g_assert_cmpstr (cw_text_ui_language (), ==, "en");
    }
}

static void
test_ui_language_other_codes (void)
{
  /* Regression: languages were once matched by string prefix, so North Frisian ("frr")
   * and Franco-Provençal ("frp") got a French interface instead of the English fallback. */
  static const LanguageCase cases[] = {
    { "frr_DE",        NULL, NULL, "C.UTF-8", "en" },
    { "frp",           NULL, NULL, "C.UTF-8", "en" },
    { "frr:nl",        NULL, NULL, "C.UTF-8", "nl" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expected = g_strdup_printf ("LANGUAGE=%s: %s", cases[i].language, cases[i].expected);
      g_autofree char *actual = NULL;

      set_language_env (&cases[i]);
      actual = g_strdup_printf ("LANGUAGE=%s: %s", cases[i].language, cw_text_ui_language ());
      g_assert_cmpstr (actual, ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);


  g_test_add_func ("/text/fold/cases", test_fold);
  g_test_add_func ("/text/fold/equivalent-spellings", test_fold_equivalent_spellings);
  g_test_add_func ("/text/compact", test_compact);
  g_test_add_func ("/text/tokens", test_tokens);
  g_test_add_func ("/text/prefix-end/cases", test_prefix_end);
  g_test_add_func ("/text/prefix-end/range", test_prefix_end_range);
  g_test_add_func ("/text/ui-language/environment", test_ui_language);
  g_test_add_func ("/text/ui-language/other-codes", test_ui_language_other_codes);

  return g_test_run ();
}
