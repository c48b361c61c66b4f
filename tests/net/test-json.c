/* test-json.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-json.h"
#include "cw-text.h"

/*
 * The member readers of cw-json.c, one value at a time. Each value is written as JSON the
 * way a DMS would send it and parsed with cw_json_parse(), so that what the readers see is
 * what the mappings see (a whole number beyond 64 bits arrives as a double).
 */

/* The widest range cw_json_read_whole() takes: ±2⁵³. */
#define TWO_53 (G_GINT64_CONSTANT (1) << 53)

/* The member "m" of {"m": @json}, as the readers get it from json_object_get_member();
 * "absent" gives %NULL (the member is left out). */
static JsonNode *
member (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (g_str_equal (json, "absent"))
    return NULL;

  text = g_strdup_printf ("{\"m\": %s}", json);
  root = cw_json_parse (text, strlen (text), 16, &error);
  g_assert_no_error (error);

  /* Freed when the test ends. */
  node = json_node_copy (json_object_get_member (json_node_get_object (root), "m"));
  g_test_queue_destroy ((GDestroyNotify) json_node_unref, node);
  return node;
}

/* A string node holding @bytes as they are, valid UTF-8 or not. */
static JsonNode *
raw_string_node (const char *bytes)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, bytes);
  return node;
}

static void
test_missing (void)
{
  g_assert_true (cw_json_node_is_missing (NULL));
  g_assert_cmpint (cw_json_node_value_type (NULL), ==, G_TYPE_INVALID);

  g_assert_true (cw_json_node_is_missing (member ("null")));
  g_assert_cmpint (cw_json_node_value_type (member ("null")), ==, G_TYPE_INVALID);

  g_assert_false (cw_json_node_is_missing (member ("{}")));
  g_assert_cmpint (cw_json_node_value_type (member ("{}")), ==, G_TYPE_INVALID);
  g_assert_cmpint (cw_json_node_value_type (member ("[]")), ==, G_TYPE_INVALID);

  g_assert_false (cw_json_node_is_missing (member ("\"\"")));
  g_assert_cmpint (cw_json_node_value_type (member ("\"\"")), ==, G_TYPE_STRING);
  g_assert_cmpint (cw_json_node_value_type (member ("12")), ==, G_TYPE_INT64);
  g_assert_cmpint (cw_json_node_value_type (member ("12.5")), ==, G_TYPE_DOUBLE);
  g_assert_cmpint (cw_json_node_value_type (member ("false")), ==, G_TYPE_BOOLEAN);
}

static void
test_dup_quoted (void)
{
  static const struct {
    const char *json;
    const char *quoted;
  } cases[] = {
    { "12", "12" },
    { "\"12\"", "\"12\"" },
    { "true", "true" },
    /* A JSON null is there: it is quoted as null, not left to the caller's "nothing". */
    { "null", "null" },
    { "[1,2]", "[1,2]" },
    { "{\"a\":1}", "{\"a\":1}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *quoted = cw_json_node_dup_quoted (member (cases[i].json));
      g_autofree char *expected = cw_text_quote (cases[i].quoted);

      g_assert_cmpstr (quoted, ==, expected);
    }
}

static void
test_string (void)
{
  g_autoptr(JsonNode) invalid = raw_string_node ("caf\xe9");
  char *text = (char *) "untouched";

  g_assert_cmpint (cw_json_read_string (member ("absent"), &text), ==, CW_JSON_READ_MISSING);
  g_assert_null (text);
  g_assert_cmpint (cw_json_read_string (member ("null"), &text), ==, CW_JSON_READ_MISSING);
  g_assert_cmpint (cw_json_read_string (member ("\"\""), &text), ==, CW_JSON_READ_BLANK);
  g_assert_null (text);
  g_assert_cmpint (cw_json_read_string (member ("\" \\t\\n \""), &text), ==, CW_JSON_READ_BLANK);
  g_assert_cmpint (cw_json_read_string (member ("\"\\u00a0\""), &text), ==, CW_JSON_READ_BLANK);
  g_assert_cmpint (cw_json_read_string (member ("12"), &text), ==, CW_JSON_READ_MALFORMED);
  g_assert_cmpint (cw_json_read_string (member ("true"), &text), ==, CW_JSON_READ_MALFORMED);
  g_assert_cmpint (cw_json_read_string (member ("[\"a\"]"), &text), ==, CW_JSON_READ_MALFORMED);
  g_assert_cmpint (cw_json_read_string (invalid, &text), ==, CW_JSON_READ_MALFORMED);
  g_assert_null (text);
  g_assert_cmpint (cw_json_read_string (member ("\"a\""), NULL), ==, CW_JSON_READ_OK);

  g_assert_cmpint (cw_json_read_string (member ("\"  Jansen \\t\""), &text), ==, CW_JSON_READ_OK);
  g_assert_cmpstr (text, ==, "Jansen");
  g_free (text);
}

static void
test_text (void)
{
  g_autoptr(JsonNode) invalid = raw_string_node ("\xff");
  static const struct {
    const char *json;
    CwJsonRead  found;
    const char *text;
  } cases[] = {
    { "absent", CW_JSON_READ_MISSING, NULL },
    { "null", CW_JSON_READ_MISSING, NULL },
    { "\"\"", CW_JSON_READ_BLANK, NULL },
    { "\"   \"", CW_JSON_READ_BLANK, NULL },
    { "\" 80123 \"", CW_JSON_READ_OK, "80123" },
    { "\"WO-1\"", CW_JSON_READ_OK, "WO-1" },
    { "80123", CW_JSON_READ_OK, "80123" },
    { "-7", CW_JSON_READ_OK, "-7" },
    { "0", CW_JSON_READ_OK, "0" },
    { "9223372036854775807", CW_JSON_READ_OK, "9223372036854775807" },
    /* Beyond 64 bits it is a double, and a double is no text. */
    { "99999999999999999999", CW_JSON_READ_MALFORMED, NULL },
    { "12.5", CW_JSON_READ_MALFORMED, NULL },
    { "12.0", CW_JSON_READ_MALFORMED, NULL },
    { "false", CW_JSON_READ_MALFORMED, NULL },
    { "{}", CW_JSON_READ_MALFORMED, NULL },
    { "[]", CW_JSON_READ_MALFORMED, NULL },
  };
  char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (cw_json_read_text (member (cases[i].json), &text), ==, cases[i].found);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_clear_pointer (&text, g_free);
    }

  g_assert_cmpint (cw_json_read_text (invalid, &text), ==, CW_JSON_READ_MALFORMED);
  g_assert_null (text);
}

static void
test_whole (void)
{
  g_autoptr(JsonNode) invalid = raw_string_node ("1\xff");
  static const struct {
    const char *json;
    gint64      min;
    gint64      max;
    CwJsonRead  found;
    gint64      value;
  } cases[] = {
    { "absent", 0, 100, CW_JSON_READ_MISSING, 0 },
    { "null", 0, 100, CW_JSON_READ_MISSING, 0 },
    { "\"\"", 0, 100, CW_JSON_READ_BLANK, 0 },
    { "\" \\t \"", 0, 100, CW_JSON_READ_BLANK, 0 },
    { "12", 0, 100, CW_JSON_READ_OK, 12 },
    { "0", 0, 100, CW_JSON_READ_OK, 0 },
    { "100", 0, 100, CW_JSON_READ_OK, 100 },
    { "101", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "-1", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "-1", -5, 100, CW_JSON_READ_OK, -1 },
    { "12.0", 0, 100, CW_JSON_READ_OK, 12 },
    { "1.2e1", 0, 100, CW_JSON_READ_OK, 12 },
    { "12.5", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "100.0", 0, 100, CW_JSON_READ_OK, 100 },
    { "100.5", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "-0.0", 0, 100, CW_JSON_READ_OK, 0 },
    { "\"12\"", 0, 100, CW_JSON_READ_OK, 12 },
    { "\"  12 \"", 0, 100, CW_JSON_READ_OK, 12 },
    { "\"-3\"", -5, 100, CW_JSON_READ_OK, -3 },
    { "\"-3\"", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "\"+12\"", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "\"12.0\"", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "\"1 2\"", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "\"12km\"", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "\"0x10\"", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "\"-\"", -5, 100, CW_JSON_READ_MALFORMED, 0 },
    { "\"101\"", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "true", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "[12]", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    { "{}", 0, 100, CW_JSON_READ_MALFORMED, 0 },
    /* Huge numbers: beyond 64 bits (read as a double), beyond the range, as a string. */
    { "99999999999999999999", 0, 9999999, CW_JSON_READ_MALFORMED, 0 },
    { "-99999999999999999999", -5, 9999999, CW_JSON_READ_MALFORMED, 0 },
    { "9223372036854775807", 0, 9999999, CW_JSON_READ_MALFORMED, 0 },
    { "\"99999999999999999999\"", 0, 9999999, CW_JSON_READ_MALFORMED, 0 },
    { "1e300", 0, 9999999, CW_JSON_READ_MALFORMED, 0 },
    /* The widest range allowed, ±2⁵³. */
    { "9007199254740992", 0, TWO_53, CW_JSON_READ_OK, TWO_53 },
    { "9007199254740993", 0, TWO_53, CW_JSON_READ_MALFORMED, 0 },
    { "9007199254740992.0", 0, TWO_53, CW_JSON_READ_OK, TWO_53 },
    { "\"9007199254740992\"", 1, TWO_53, CW_JSON_READ_OK, TWO_53 },
  };
  gint64 value = -1;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                      cases[i].json, cases[i].min, cases[i].max);
      value = -1;
      g_assert_cmpint (cw_json_read_whole (member (cases[i].json),
                                           cases[i].min, cases[i].max, &value),
                       ==, cases[i].found);
      g_assert_cmpint (value, ==, cases[i].value);
    }

  g_assert_cmpint (cw_json_read_whole (invalid, 0, 100, &value), ==, CW_JSON_READ_MALFORMED);
  g_assert_cmpint (value, ==, 0);
}

static void
test_flag (void)
{
  static const struct {
    const char *json;
    CwJsonRead  found;
    gboolean    value;
  } cases[] = {
    { "absent", CW_JSON_READ_MISSING, FALSE },
    { "null", CW_JSON_READ_MISSING, FALSE },
    { "\"\"", CW_JSON_READ_BLANK, FALSE },
    { "\"  \"", CW_JSON_READ_BLANK, FALSE },
    { "true", CW_JSON_READ_OK, TRUE },
    { "false", CW_JSON_READ_OK, FALSE },
    { "1", CW_JSON_READ_OK, TRUE },
    { "0", CW_JSON_READ_OK, FALSE },
    { "\"true\"", CW_JSON_READ_OK, TRUE },
    { "\" TRUE \"", CW_JSON_READ_OK, TRUE },
    { "\"False\"", CW_JSON_READ_OK, FALSE },
    { "\"1\"", CW_JSON_READ_OK, TRUE },
    { "\"0\"", CW_JSON_READ_OK, FALSE },
    { "2", CW_JSON_READ_MALFORMED, FALSE },
    { "-1", CW_JSON_READ_MALFORMED, FALSE },
    { "1.0", CW_JSON_READ_MALFORMED, FALSE },
    { "99999999999999999999", CW_JSON_READ_MALFORMED, FALSE },
    { "\"yes\"", CW_JSON_READ_MALFORMED, FALSE },
    { "\"t\"", CW_JSON_READ_MALFORMED, FALSE },
    { "\"01\"", CW_JSON_READ_MALFORMED, FALSE },
    { "[]", CW_JSON_READ_MALFORMED, FALSE },
    { "{}", CW_JSON_READ_MALFORMED, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean value = 7;

      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (cw_json_read_flag (member (cases[i].json), &value), ==, cases[i].found);
      g_assert_cmpint (value, ==, cases[i].value);
    }
}

static void
test_date_time (void)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) expected = NULL;
  GDateTime *at = NULL;
  static const char * const malformed[] = {
    "\"2026-02-30\"", "\"2026-13-01\"", "\"21-11-2026\"", "\"2026-11-21T25:00:00\"",
    "\"yesterday\"", "\"2026-11-2\"", "20261121", "1.5", "true", "{}", "[]",
  };

  g_assert_cmpint (cw_json_read_date_time (member ("absent"), &at), ==, CW_JSON_READ_MISSING);
  g_assert_null (at);
  g_assert_cmpint (cw_json_read_date_time (member ("null"), &at), ==, CW_JSON_READ_MISSING);
  g_assert_cmpint (cw_json_read_date_time (member ("\" \""), &at), ==, CW_JSON_READ_BLANK);
  g_assert_null (at);

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_test_message ("%s", malformed[i]);
      g_assert_cmpint (cw_json_read_date_time (member (malformed[i]), &at),
                       ==, CW_JSON_READ_MALFORMED);
      g_assert_null (at);
    }

  /* With a zone, that zone. */
  g_assert_cmpint (cw_json_read_date_time (member ("\"2026-11-21T09:30:00Z\""), &at),
                   ==, CW_JSON_READ_OK);
  g_assert_cmpint (g_date_time_to_unix (at), ==, 1795253400);
  g_clear_pointer (&at, g_date_time_unref);

  g_assert_cmpint (cw_json_read_date_time (member ("\" 2026-11-21T10:30:00+01:00 \""), &at),
                   ==, CW_JSON_READ_OK);
  g_assert_cmpint (g_date_time_to_unix (at), ==, 1795253400);
  g_clear_pointer (&at, g_date_time_unref);

  /* Without one, local time; a date alone is midnight. */
  expected = g_date_time_new (local, 2026, 11, 21, 9, 30, 0);
  g_assert_cmpint (cw_json_read_date_time (member ("\"2026-11-21T09:30:00\""), &at),
                   ==, CW_JSON_READ_OK);
  g_assert_true (g_date_time_equal (at, expected));
  g_clear_pointer (&at, g_date_time_unref);
  g_clear_pointer (&expected, g_date_time_unref);

  expected = g_date_time_new (local, 2026, 11, 21, 0, 0, 0);
  g_assert_cmpint (cw_json_read_date_time (member ("\"2026-11-21\""), &at), ==, CW_JSON_READ_OK);
  g_assert_true (g_date_time_equal (at, expected));
  g_clear_pointer (&at, g_date_time_unref);

  g_assert_null (cw_json_date_time_from_iso8601 (""));
  g_assert_null (cw_json_date_time_from_iso8601 ("2026-11-2x"));
}

static void
test_cents (void)
{
  static const struct {
    const char *json;
    CwJsonRead  found;
    gint64      cents;
  } cases[] = {
    { "absent", CW_JSON_READ_MISSING, 0 },
    { "null", CW_JSON_READ_MISSING, 0 },
    { "\"\"", CW_JSON_READ_BLANK, 0 },
    { "\" \"", CW_JSON_READ_BLANK, 0 },
    { "189.5", CW_JSON_READ_OK, 18950 },
    { "189.50", CW_JSON_READ_OK, 18950 },
    { "-12.34", CW_JSON_READ_OK, -1234 },
    { "12", CW_JSON_READ_OK, 1200 },
    { "0", CW_JSON_READ_OK, 0 },
    /* Rounded in decimal, half away from zero: 1.005 is not 1.00499999… */
    { "1.005", CW_JSON_READ_OK, 101 },
    { "-1.005", CW_JSON_READ_OK, -101 },
    { "0.00001", CW_JSON_READ_OK, 0 },
    { "1e-9", CW_JSON_READ_OK, 0 },
    { "1.5e2", CW_JSON_READ_OK, 15000 },
    { "9999999999999.99", CW_JSON_READ_OK, G_GINT64_CONSTANT (999999999999999) },
    { "\"189.50\"", CW_JSON_READ_OK, 18950 },
    { "\" -0.5 \"", CW_JSON_READ_OK, -50 },
    { "\"1.005\"", CW_JSON_READ_OK, 101 },
    { "\"12,50\"", CW_JSON_READ_MALFORMED, 0 },
    { "\"1e3\"", CW_JSON_READ_MALFORMED, 0 },
    { "\"NaN\"", CW_JSON_READ_MALFORMED, 0 },
    { "\"€ 12\"", CW_JSON_READ_MALFORMED, 0 },
    /* A double at or beyond 10¹³ euros has lost its cents. */
    { "1e13", CW_JSON_READ_MALFORMED, 0 },
    { "10000000000000.5", CW_JSON_READ_MALFORMED, 0 },
    { "-1e13", CW_JSON_READ_MALFORMED, 0 },
    /* A whole number of euros is exact up to where its cents leave 64 bits. */
    { "92233720368547758", CW_JSON_READ_OK, G_GINT64_CONSTANT (9223372036854775800) },
    { "-92233720368547758", CW_JSON_READ_OK, G_GINT64_CONSTANT (-9223372036854775800) },
    { "92233720368547759", CW_JSON_READ_MALFORMED, 0 },
    { "-92233720368547759", CW_JSON_READ_MALFORMED, 0 },
    { "99999999999999999999", CW_JSON_READ_MALFORMED, 0 },
    { "\"99999999999999999999\"", CW_JSON_READ_MALFORMED, 0 },
    { "true", CW_JSON_READ_MALFORMED, 0 },
    { "[1]", CW_JSON_READ_MALFORMED, 0 },
    { "{}", CW_JSON_READ_MALFORMED, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 cents = -1;

      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (cw_json_read_cents (member (cases[i].json), &cents), ==, cases[i].found);
      g_assert_cmpint (cents, ==, cases[i].cents);
    }
}

static void
test_object (void)
{
  static const struct {
    const char *json;
    CwJsonRead  found;
  } cases[] = {
    { "absent", CW_JSON_READ_MISSING },
    { "null", CW_JSON_READ_MISSING },
    { "{}", CW_JSON_READ_OK },
    { "{\"a\": 1}", CW_JSON_READ_OK },
    { "[]", CW_JSON_READ_MALFORMED },
    { "\"\"", CW_JSON_READ_MALFORMED },
    { "\"{}\"", CW_JSON_READ_MALFORMED },
    { "0", CW_JSON_READ_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonNode *node = member (cases[i].json);
      JsonObject *object = (JsonObject *) &cases[i];

      g_test_message ("%s", cases[i].json);
      g_assert_cmpint (cw_json_read_object (node, &object), ==, cases[i].found);
      if (cases[i].found == CW_JSON_READ_OK)
        g_assert_true (object == json_node_get_object (node));
      else
        g_assert_null (object);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/net/json/read/missing", test_missing);
  g_test_add_func ("/net/json/read/dup-quoted", test_dup_quoted);
  g_test_add_func ("/net/json/read/string", test_string);
  g_test_add_func ("/net/json/read/text", test_text);
  g_test_add_func ("/net/json/read/whole", test_whole);
  g_test_add_func ("/net/json/read/flag", test_flag);
  g_test_add_func ("/net/json/read/date-time", test_date_time);
  g_test_add_func ("/net/json/read/cents", test_cents);
  g_test_add_func ("/net/json/read/object", test_object);

  return g_test_run ();
}
