/* test-plate.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-plate.h"

typedef struct
{
  guint       sidecode;
  const char *compact;
  const char *formatted;
} SidecodeCase;

/* One example per Dutch sidecode; the spellings of each are generated below. */
static const SidecodeCase sidecode_cases[] = {
  {  1, "AB1234", "AB-12-34" },
  {  2, "1234AB", "12-34-AB" },
  {  3, "12AB34", "12-AB-34" },
  {  4, "AB12CD", "AB-12-CD" },
  {  5, "ABCD12", "AB-CD-12" },
  {  6, "12ABCD", "12-AB-CD" },
  {  7, "12ABC3", "12-ABC-3" },
  {  8, "1ABC23", "1-ABC-23" },
  {  9, "AB123C", "AB-123-C" },
  { 10, "A123BC", "A-123-BC" },
  { 11, "ABC12D", "ABC-12-D" },
  { 12, "A12BCD", "A-12-BCD" },
  { 13, "1AB234", "1-AB-234" },
  { 14, "123AB4", "123-AB-4" },
};

typedef struct
{
  const char  *text;
  CwPlateKind  kind;
  guint        sidecode;
  const char  *compact;
  const char  *formatted;
} PlateCase;

/* Hand-written spellings, as advisors and DMSs write them. */
static const PlateCase nl_cases[] = {
  { "XX-99-99",     CW_PLATE_KIND_NL,  1, "XX9999", "XX-99-99" },
  { "gz 45 67",     CW_PLATE_KIND_NL,  1, "GZ4567", "GZ-45-67" },
  { "34-56-ZT",     CW_PLATE_KIND_NL,  2, "3456ZT", "34-56-ZT" },
  { "03.BG.45",     CW_PLATE_KIND_NL,  3, "03BG45", "03-BG-45" },
  { "NB-45-TZ",     CW_PLATE_KIND_NL,  4, "NB45TZ", "NB-45-TZ" },
  { "vb-gh-12",     CW_PLATE_KIND_NL,  5, "VBGH12", "VB-GH-12" },
  { "92 ZL RP",     CW_PLATE_KIND_NL,  6, "92ZLRP", "92-ZL-RP" },
  { "45-JKB-6",     CW_PLATE_KIND_NL,  7, "45JKB6", "45-JKB-6" },
  { "45JK-B6",      CW_PLATE_KIND_NL,  7, "45JKB6", "45-JKB-6" },
  { "3 tgb 12",     CW_PLATE_KIND_NL,  8, "3TGB12", "3-TGB-12" },
  /* Six characters never reach the Belgian 1-ABC-123 rule. */
  { "1-AB-C12",     CW_PLATE_KIND_NL,  8, "1ABC12", "1-ABC-12" },
  { "GB-123-X",     CW_PLATE_KIND_NL,  9, "GB123X", "GB-123-X" },
  { "gb123x",       CW_PLATE_KIND_NL,  9, "GB123X", "GB-123-X" },
  { "G-B12-3X",     CW_PLATE_KIND_NL,  9, "GB123X", "GB-123-X" },
  { "G·B·1·2·3·X",  CW_PLATE_KIND_NL,  9, "GB123X", "GB-123-X" },
  { "  gb 123 x  ", CW_PLATE_KIND_NL,  9, "GB123X", "GB-123-X" },
  { "K-123-DX",     CW_PLATE_KIND_NL, 10, "K123DX", "K-123-DX" },
  { "FTB-12-G",     CW_PLATE_KIND_NL, 11, "FTB12G", "FTB-12-G" },
  { "D-12-FGH",     CW_PLATE_KIND_NL, 12, "D12FGH", "D-12-FGH" },
  { "9-XS-123",     CW_PLATE_KIND_NL, 13, "9XS123", "9-XS-123" },
  { "123-XS-9",     CW_PLATE_KIND_NL, 14, "123XS9", "123-XS-9" },
  /* Vowels, C and Q are not issued any more, but a search box accepts them. */
  { "AE-123-Q",     CW_PLATE_KIND_NL,  9, "AE123Q", "AE-123-Q" },
};

static const PlateCase be_cases[] = {
  { "1-ABC-123",   CW_PLATE_KIND_BE, 0, "1ABC123", "1-ABC-123" },
  { "2-AAA-001",   CW_PLATE_KIND_BE, 0, "2AAA001", "2-AAA-001" },
  { "2aaa001",     CW_PLATE_KIND_BE, 0, "2AAA001", "2-AAA-001" },
  { "2 AAA 001",   CW_PLATE_KIND_BE, 0, "2AAA001", "2-AAA-001" },
  { "2.aaa.001",   CW_PLATE_KIND_BE, 0, "2AAA001", "2-AAA-001" },
  { "9-XYZ-999",   CW_PLATE_KIND_BE, 0, "9XYZ999", "9-XYZ-999" },
  { "M-ABC-123",   CW_PLATE_KIND_BE, 0, "MABC123", "M-ABC-123" },
  { "w abc 123",   CW_PLATE_KIND_BE, 0, "WABC123", "W-ABC-123" },
  { "S-ABC-123",   CW_PLATE_KIND_BE, 0, "SABC123", "S-ABC-123" },
  { "Q-ABC-123",   CW_PLATE_KIND_BE, 0, "QABC123", "Q-ABC-123" },
  { "O-ABC-123",   CW_PLATE_KIND_BE, 0, "OABC123", "O-ABC-123" },
  { "TXA-123-",    CW_PLATE_KIND_BE, 0, "TXA123",  "TXA-123" },
  { "T-XAB-123",   CW_PLATE_KIND_BE, 0, "TXAB123", "T-XAB-123" },
  { "G-ABC-123",   CW_PLATE_KIND_BE, 0, "GABC123", "G-ABC-123" },
  { "Z-ABC-123",   CW_PLATE_KIND_BE, 0, "ZABC123", "Z-ABC-123" },
  { "V-ABC-123",   CW_PLATE_KIND_BE, 0, "VABC123", "V-ABC-123" },
  { "Y-ABC-123",   CW_PLATE_KIND_BE, 0, "YABC123", "Y-ABC-123" },
  { "ABC-123",     CW_PLATE_KIND_BE, 0, "ABC123",  "ABC-123" },
  { "abc 123",     CW_PLATE_KIND_BE, 0, "ABC123",  "ABC-123" },
  { "123-ABC",     CW_PLATE_KIND_BE, 0, "123ABC",  "123-ABC" },
  { "1.2.3.a.b.c", CW_PLATE_KIND_BE, 0, "123ABC",  "123-ABC" },
};

static const PlateCase other_cases[] = {
  /* No Belgian index 0, and X is no category letter. */
  { "0-ABC-123",        CW_PLATE_KIND_OTHER, 0, "0ABC123",    "0ABC123" },
  { "X-ABC-123",        CW_PLATE_KIND_OTHER, 0, "XABC123",    "XABC123" },
  /* German, French, British, personalised and special plates. */
  { "B-MW 1234",        CW_PLATE_KIND_OTHER, 0, "BMW1234",    "BMW1234" },
  { "AB-123-CD",        CW_PLATE_KIND_OTHER, 0, "AB123CD",    "AB123CD" },
  { "ab12 cde",         CW_PLATE_KIND_OTHER, 0, "AB12CDE",    "AB12CDE" },
  { "JAMES 1",          CW_PLATE_KIND_OTHER, 0, "JAMES1",     "JAMES1" },
  { "AB",               CW_PLATE_KIND_OTHER, 0, "AB",         "AB" },
  { "123456",           CW_PLATE_KIND_OTHER, 0, "123456",     "123456" },
  { "ABCDEF",           CW_PLATE_KIND_OTHER, 0, "ABCDEF",     "ABCDEF" },
  { "abcdefghij",       CW_PLATE_KIND_OTHER, 0, "ABCDEFGHIJ", "ABCDEFGHIJ" },
  { "1-ABC-1234",       CW_PLATE_KIND_OTHER, 0, "1ABC1234",   "1ABC1234" },
  /* Exactly CW_PLATE_MAX_INPUT bytes, separators included. */
  { "A-B-C-D-E-F-G-H-I-J-------------",
                        CW_PLATE_KIND_OTHER, 0, "ABCDEFGHIJ", "ABCDEFGHIJ" },
};

typedef struct
{
  const char   *name;
  const char   *text;
  CwPlateError  code;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "null",               NULL,                  CW_PLATE_ERROR_EMPTY },
  { "empty",              "",                    CW_PLATE_ERROR_EMPTY },
  { "spaces",             "   ",                 CW_PLATE_ERROR_EMPTY },
  { "dashes",             "---",                 CW_PLATE_ERROR_EMPTY },
  { "separators",         " .-·",                CW_PLATE_ERROR_EMPTY },
  { "emoji",              "AB-🚗-12",            CW_PLATE_ERROR_INVALID },
  { "control",            "AB\x01" "123C",       CW_PLATE_ERROR_INVALID },
  { "tab-newline",        "\t\n",                CW_PLATE_ERROR_INVALID },
  { "tab",                "AB\t123C",           CW_PLATE_ERROR_INVALID },
  { "trailing-newline",   "AB-123-C\n",          CW_PLATE_ERROR_INVALID },
  { "escape",             "\x1b[31mAB123C",      CW_PLATE_ERROR_INVALID },
  { "bidi-override",      "\u202eAB123C",        CW_PLATE_ERROR_INVALID },
  { "non-ascii-letter",   "ÅB-123-C",            CW_PLATE_ERROR_INVALID },
  { "fullwidth",          "ＡＢ１２３Ｃ",          CW_PLATE_ERROR_INVALID },
  { "no-break-space",     "AB\u00a0123\u00a0C",  CW_PLATE_ERROR_INVALID },
  { "en-dash",            "AB–123–C",            CW_PLATE_ERROR_INVALID },
  { "invalid-utf8",       "AB\xff" "123C",       CW_PLATE_ERROR_INVALID },
  { "truncated-utf8",     "AB123C\xc2",          CW_PLATE_ERROR_INVALID },
  { "lone-continuation",  "AB\xb7" "123C",       CW_PLATE_ERROR_INVALID },
  { "overlong-dot",       "AB\xc0\xae" "123C",   CW_PLATE_ERROR_INVALID },
  { "punctuation",        "AB/123_C",            CW_PLATE_ERROR_INVALID },
  { "question",           "?",                   CW_PLATE_ERROR_INVALID },
  { "one-char",           "A",                   CW_PLATE_ERROR_INVALID },
  { "one-char-dashed",    "-7-",                 CW_PLATE_ERROR_INVALID },
  { "eleven-chars",       "ABCDEFGHIJK",         CW_PLATE_ERROR_INVALID },
  { "eleven-dashed",      "AB-123-CD-4567",      CW_PLATE_ERROR_INVALID },
  { "input-33-bytes",     "A-B-C-D-E-F-G-H-I-J--------------", CW_PLATE_ERROR_INVALID },
  { "spaces-33-bytes",    "                                 ", CW_PLATE_ERROR_INVALID },
};

/* A copy of @text with @sep between every character: dashes in all the wrong places. */
static char *
interleave (const char *text,
            const char *sep)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (p != text)
        g_string_append (out, sep);
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
assert_plate (const char  *text,
              CwPlateKind  kind,
              guint        sidecode,
              const char  *compact,
              const char  *formatted)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *shown = NULL;
  CwPlate plate;
  gboolean ok;

  g_test_message ("plate “%s”", text);

  memset (&plate, 0x55, sizeof plate);
  ok = cw_plate_parse (text, &plate, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (plate.kind, ==, kind);
  g_assert_cmpuint (plate.sidecode, ==, sidecode);
  g_assert_cmpstr (plate.compact, ==, compact);
  g_assert_cmpstr (plate.formatted, ==, formatted);

  /* Without a place to store the result it still validates. */
  g_assert_true (cw_plate_parse (text, NULL, NULL));

  normalized = cw_plate_normalize (text);
  g_assert_cmpstr (normalized, ==, compact);
  shown = cw_plate_format (text);
  g_assert_cmpstr (shown, ==, formatted);
}

static void
assert_cases (const PlateCase *cases,
              gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    assert_plate (cases[i].text, cases[i].kind, cases[i].sidecode,
                  cases[i].compact, cases[i].formatted);
}

static void
test_nl_sidecode (gconstpointer data)
{
  const SidecodeCase *c = data;
  g_autofree char *lower = g_ascii_strdown (c->formatted, -1);
  g_autofree char *lower_compact = g_ascii_strdown (c->compact, -1);
  g_auto(GStrv) groups = g_strsplit (c->formatted, "-", -1);
  g_autofree char *spaced = g_strjoinv (" ", groups);
  g_autofree char *dotted = g_strjoinv (".", groups);
  g_autofree char *middle_dots = g_strjoinv ("·", groups);
  g_autofree char *padded = g_strdup_printf ("  %s  ", spaced);
  g_autofree char *wrong_dashes = interleave (c->compact, "-");
  g_autofree char *wrong_spaces = interleave (lower_compact, " ");
  g_autofree char *mixed = interleave (c->compact, " -.");
  const char *spellings[] = {
    c->formatted, c->compact, lower, lower_compact, spaced, dotted, middle_dots,
    padded, wrong_dashes, wrong_spaces, mixed,
  };

  g_assert_cmpuint (g_strv_length (groups), ==, 3);

  for (gsize i = 0; i < G_N_ELEMENTS (spellings); i++)
    assert_plate (spellings[i], CW_PLATE_KIND_NL, c->sidecode, c->compact, c->formatted);
}

static void
test_nl_examples (void)
{
  assert_cases (nl_cases, G_N_ELEMENTS (nl_cases));
}

/* Every 6-character letter/digit pattern: 14 are Dutch, 2 Belgian, the rest other. */
static void
test_nl_all_masks (void)
{
  guint n_nl = 0, n_be = 0, n_other = 0;
  gboolean seen[15] = { FALSE, };

  for (guint bits = 0; bits < 64; bits++)
    {
      char compact[7];
      g_autoptr(GError) error = NULL;
      CwPlate plate;

      for (guint i = 0; i < 6; i++)
        compact[i] = (bits & (1u << i)) ? (char) ('1' + i) : (char) ('A' + i);
      compact[6] = '\0';

      g_assert_true (cw_plate_parse (compact, &plate, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (plate.compact, ==, compact);

      switch (plate.kind)
        {
        case CW_PLATE_KIND_NL:
          g_assert_cmpuint (plate.sidecode, >=, 1);
          g_assert_cmpuint (plate.sidecode, <=, 14);
          g_assert_false (seen[plate.sidecode]);
          seen[plate.sidecode] = TRUE;
          g_assert_cmpuint (strlen (plate.formatted), ==, 8);
          n_nl++;
          break;

        case CW_PLATE_KIND_BE:
          g_assert_cmpuint (plate.sidecode, ==, 0);
          g_assert_cmpuint (strlen (plate.formatted), ==, 7);
          n_be++;
          break;

        case CW_PLATE_KIND_OTHER:
          g_assert_cmpuint (plate.sidecode, ==, 0);
          g_assert_cmpstr (plate.formatted, ==, compact);
          n_other++;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_assert_cmpuint (n_nl, ==, 14);
  g_assert_cmpuint (n_be, ==, 2);
  g_assert_cmpuint (n_other, ==, 48);
}

static void
test_be (void)
{
  assert_cases (be_cases, G_N_ELEMENTS (be_cases));
}

/* Of the 7-character patterns only index-or-category then LLLDDD is Belgian. */
static void
test_be_all_masks (void)
{
  const char firsts[] = "0123456789ABCMWSQOTGZVYX";

  for (const char *first = firsts; *first; first++)
    for (guint bits = 0; bits < 64; bits++)
      {
        char compact[8];
        CwPlate plate;
        gboolean is_be;

        compact[0] = *first;
        for (guint i = 0; i < 6; i++)
          compact[i + 1] = (bits & (1u << i)) ? (char) ('1' + i) : (char) ('A' + i);
        compact[7] = '\0';

        is_be = bits == 0x38 && strchr ("123456789MWSQOTGZVY", *first) != NULL;

        g_assert_true (cw_plate_parse (compact, &plate, NULL));
        g_assert_cmpstr (plate.compact, ==, compact);
        g_assert_cmpuint (plate.sidecode, ==, 0);
        if (is_be)
          {
            g_autofree char *expected = g_strdup_printf ("%c-%.3s-%.3s", compact[0],
                                                         compact + 1, compact + 4);

            g_assert_cmpint (plate.kind, ==, CW_PLATE_KIND_BE);
            g_assert_cmpstr (plate.formatted, ==, expected);
          }
        else
          {
            g_assert_cmpint (plate.kind, ==, CW_PLATE_KIND_OTHER);
            g_assert_cmpstr (plate.formatted, ==, compact);
          }
      }
}

static void
test_other (void)
{
  assert_cases (other_cases, G_N_ELEMENTS (other_cases));
}

static void
assert_error_message (const GError *error)
{
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), <, 400);

  for (const char *p = error->message; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_cmpint (g_unichar_type (c), !=, G_UNICODE_FORMAT);
    }
}

static void
assert_error (const char   *text,
              CwPlateError  code)
{
  g_autoptr(GError) error = NULL;
  CwPlate plate;
  CwPlate untouched;

  memset (&plate, 0x55, sizeof plate);
  memcpy (&untouched, &plate, sizeof plate);

  g_assert_false (cw_plate_parse (text, &plate, &error));
  g_assert_error (error, CW_PLATE_ERROR, (int) code);
  assert_error_message (error);
  g_assert_true (memcmp (&plate, &untouched, sizeof plate) == 0);

  g_assert_false (cw_plate_parse (text, NULL, NULL));
  g_assert_null (cw_plate_normalize (text));
}

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;

  assert_error (c->text, c->code);
}

static void
test_error_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cw_plate_parse ("", NULL, &error));
  g_assert_cmpstr (error->message, ==, "Type a licence plate");
  g_clear_error (&error);

  g_assert_false (cw_plate_parse ("AB-🚗-12", NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "“AB-🚗-12” is not a licence plate: use letters and digits, like AB-123-C");
  g_clear_error (&error);

  /* Control characters and invalid bytes are not echoed back. */
  g_assert_false (cw_plate_parse ("AB\x01" "1\xff", NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "“AB\ufffd1\ufffd” is not a licence plate: use letters and digits, like AB-123-C");
  g_clear_error (&error);

  g_assert_false (cw_plate_parse ("A", NULL, &error));
  g_assert_nonnull (strstr (error->message, "too short"));
  g_clear_error (&error);

  g_assert_false (cw_plate_parse ("ABCDEFGHIJK", NULL, &error));
  g_assert_nonnull (strstr (error->message, "at most 10"));
  g_clear_error (&error);
}

static void
test_long_input (void)
{
  g_autofree char *letters = g_strnfill (200, 'A');
  g_autofree char *spaces = g_strnfill (200, ' ');
  g_autofree char *emoji = NULL;
  GString *many = g_string_new (NULL);
  g_autofree char *shown = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append (many, "🚗");
  emoji = g_string_free (many, FALSE);

  assert_error (letters, CW_PLATE_ERROR_INVALID);
  assert_error (spaces, CW_PLATE_ERROR_INVALID);
  assert_error (emoji, CW_PLATE_ERROR_INVALID);

  /* Shown as given, so nothing a DMS sent is hidden. */
  shown = cw_plate_format (letters);
  g_assert_cmpstr (shown, ==, letters);
}

/* Random bytes and random mixes of plate-like characters never crash, and every answer
 * keeps the promises of the header. */
static void
test_random (void)
{
  static const char * const pieces[] = {
    "A", "b", "Z", "0", "7", "9", " ", "-", ".", "·", "\xc2", "\xb7", "\xff", "\x01",
    "🚗", "Å", "\t", "\u00a0",
  };

  for (guint round = 0; round < 20000; round++)
    {
      GString *text = g_string_new (NULL);
      guint n = (guint) g_test_rand_int_range (0, 40);
      g_autofree char *input = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = NULL;
      CwPlate plate;

      for (guint i = 0; i < n; i++)
        {
          if (round % 2 == 0)
            g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
          else
            g_string_append_c (text, (char) g_test_rand_int_range (1, 256));
        }
      input = g_string_free (text, FALSE);

      if (cw_plate_parse (input, &plate, &error))
        {
          gsize len = strlen (plate.compact);
          g_autoptr(GString) undashed = g_string_new (NULL);

          g_assert_no_error (error);
          g_assert_cmpuint (len, >=, 2);
          g_assert_cmpuint (len, <=, CW_PLATE_MAX_COMPACT);
          g_assert_cmpuint (strlen (input), <=, CW_PLATE_MAX_INPUT);
          for (gsize i = 0; i < len; i++)
            g_assert_true (g_ascii_isdigit (plate.compact[i]) || g_ascii_isupper (plate.compact[i]));
          for (const char *p = plate.formatted; *p; p++)
            if (*p != '-')
              g_string_append_c (undashed, *p);
          g_assert_cmpstr (undashed->str, ==, plate.compact);
          g_assert_true (plate.kind == CW_PLATE_KIND_NL ? plate.sidecode >= 1 && plate.sidecode <= 14
                                                        : plate.sidecode == 0);
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == CW_PLATE_ERROR);
          g_assert_true (error->code == CW_PLATE_ERROR_EMPTY ||
                         error->code == CW_PLATE_ERROR_INVALID);
          assert_error_message (error);
        }

      shown = cw_plate_format (input);
      g_assert_nonnull (shown);
      g_assert_true (g_utf8_validate (shown, -1, NULL));
    }
}

static void
test_normalize (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "ab-123-c",   "AB123C" },
    { " ab 123 c ", "AB123C" },
    { "1.abc.123",  "1ABC123" },
    { "b-mw 1234",  "BMW1234" },
    { NULL,         NULL },
    { "",           NULL },
    { "unknown!",   NULL },
    { "A",          NULL },
    { "AB\xff",     NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = cw_plate_normalize (cases[i].text);

      g_assert_cmpstr (normalized, ==, cases[i].expected);
    }
}

static void
test_format (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "ab123c",           "AB-123-C" },
    { "  AB 123 C ",      "AB-123-C" },
    { "1abc123",          "1-ABC-123" },
    { "abc123",           "ABC-123" },
    { "bmw1234",          "BMW1234" },
    /* Not a plate: shown as given, without the surrounding white space. */
    { "  unknown!  ",     "unknown!" },
    { "\t onbekend \n",   "onbekend" },
    { "   ",              "" },
    { "",                 "" },
    { "A",                "A" },
    { "ÅB-123-C",         "ÅB-123-C" },
    { "AB-🚗-12",         "AB-🚗-12" },
    { "ABCDEFGHIJK",      "ABCDEFGHIJK" },
    /* Invalid UTF-8 becomes U+FFFD, so the result can be shown. */
    { " AB\xff" "1 ",     "AB\ufffd1" },
    { NULL,               NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = cw_plate_format (cases[i].text);

      g_assert_cmpstr (shown, ==, cases[i].expected);
    }
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (CW_PLATE_ERROR), ==, "cw-plate-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (sidecode_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/plate/nl/sidecode-%u", sidecode_cases[i].sidecode);

      g_test_add_data_func (path, &sidecode_cases[i], test_nl_sidecode);
    }
  g_test_add_func ("/plate/nl/examples", test_nl_examples);
  g_test_add_func ("/plate/nl/all-masks", test_nl_all_masks);
  g_test_add_func ("/plate/be/formats", test_be);
  g_test_add_func ("/plate/be/all-masks", test_be_all_masks);
  g_test_add_func ("/plate/other", test_other);

  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/plate/error/%s", error_cases[i].name);

      g_test_add_data_func (path, &error_cases[i], test_error);
    }
  g_test_add_func ("/plate/error/messages", test_error_messages);
  g_test_add_func ("/plate/error/long-input", test_long_input);
  g_test_add_func ("/plate/error/quark", test_error_quark);
  g_test_add_func ("/plate/random", test_random);
  g_test_add_func ("/plate/normalize", test_normalize);
  g_test_add_func ("/plate/format", test_format);

  return g_test_run ();
}
