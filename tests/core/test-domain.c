/* test-domain.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-car.h"
#include "cw-core-enums.h"
#include "cw-intervention.h"
#include "cw-party.h"
#include "cw-timeline-event.h"
#include "cw-util.h"
#include "cw-workorder.h"
#include "cw-workorder-summary.h"

/* ---------------------------------------------------------------------------------------
 * Helpers
 */

/* Records every "notify" of one object, by property name. */
typedef struct
{
  GObject    *object;
  gulong      handler;
  GHashTable *counts;
} NotifyLog;

static void
notify_log_on_notify (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  NotifyLog *log = user_data;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));

  g_hash_table_insert (log->counts, g_strdup (pspec->name), GUINT_TO_POINTER (count + 1));
}

static NotifyLog *
notify_log_new (gpointer object)
{
  NotifyLog *log = g_new0 (NotifyLog, 1);

  log->object = object;
  log->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  log->handler = g_signal_connect (object, "notify", G_CALLBACK (notify_log_on_notify), log);
  g_object_add_weak_pointer (log->object, (gpointer *) &log->object);

  return log;
}

static void
notify_log_free (NotifyLog *log)
{
  if (log->object != NULL)
    {
      g_signal_handler_disconnect (log->object, log->handler);
      g_object_remove_weak_pointer (log->object, (gpointer *) &log->object);
    }
  g_hash_table_unref (log->counts);
  g_free (log);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NotifyLog, notify_log_free)

static guint
notify_log_count (NotifyLog  *log,
                  const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* "name=count" for every property that notified, sorted by name; "" for none. */
static char *
notify_log_take (NotifyLog *log)
{
  g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (log->counts, NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  g_qsort_with_data (names, g_hash_table_size (log->counts), sizeof (char *), compare_names, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (text, "%s%s=%u", i > 0 ? " " : "", names[i],
                            notify_log_count (log, names[i]));

  g_hash_table_remove_all (log->counts);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Asserts what notified since the last check, and starts over. */
#define assert_notified(log, expected) \
  G_STMT_START { \
    g_autofree char *notified_ = notify_log_take (log); \
    g_assert_cmpstr (notified_, ==, (expected)); \
  } G_STMT_END

static void
assert_property (gpointer     object,
                 const char  *name,
                 GType        value_type,
                 GParamFlags  flags)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);

  g_assert_nonnull (pspec);
  g_assert_cmpstr (g_type_name (pspec->value_type), ==, g_type_name (value_type));
  g_assert_cmphex (pspec->flags & flags, ==, flags);
}

static char *
get_string (gpointer    object,
            const char *name)
{
  char *value = NULL;

  g_object_get (object, name, &value, NULL);

  return value;
}

static GDateTime *
make_time (int year,
           int month,
           int day,
           int hour,
           int minute)
{
  /* A fixed offset, so that the tests need no time zone database. */
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3600);

  return g_date_time_new (tz, year, month, day, hour, minute, 0);
}

/* A text field of some object, reached by an index. */
typedef void         (*SetTextFunc) (gpointer    object,
                                     guint       field,
                                     const char *value);
typedef const char * (*GetTextFunc) (gpointer    object,
                                     guint       field);

/*
 * The contract every text field of a domain object shares: white space is trimmed, blank
 * and invalid text is stored as NULL, the setter notifies exactly once on a real change
 * and not at all otherwise, and the field is a property of the name the name table gives.
 */
static void
check_text_field (gpointer     object,
                  SetTextFunc  set,
                  GetTextFunc  get,
                  guint        field,
                  const char  *name,
                  const char  *sample,
                  const char  *stored,
                  const char  *padding)
{
  g_autoptr(NotifyLog) log = notify_log_new (object);
  g_autofree char *padded = g_strdup_printf ("%s%s%s", padding, sample, padding);
  g_autofree char *expected_once = g_strdup_printf ("%s=1", name);
  g_autofree char *by_name = NULL;

  assert_property (object, name, G_TYPE_STRING,
                   G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  set (object, field, NULL);
  assert_notified (log, "");
  g_assert_null (get (object, field));

  set (object, field, padded);
  g_assert_cmpstr (get (object, field), ==, stored);
  assert_notified (log, expected_once);

  /* The same value, however it is padded, is no change. */
  set (object, field, sample);
  set (object, field, padded);
  set (object, field, stored);
  g_assert_cmpstr (get (object, field), ==, stored);
  assert_notified (log, "");

  by_name = get_string (object, name);
  g_assert_cmpstr (by_name, ==, stored);

  /* Blank and invalid text mean the field is missing. */
  set (object, field, "");
  g_assert_null (get (object, field));
  assert_notified (log, expected_once);
  set (object, field, "   ");
  set (object, field, "\n\t ");
  set (object, field, "\xff\xfe");
  set (object, field, NULL);
  g_assert_null (get (object, field));
  assert_notified (log, "");

  set (object, field, sample);
  assert_notified (log, expected_once);
  set (object, field, "\xff");
  g_assert_null (get (object, field));
  assert_notified (log, expected_once);

  /* The same through the property. */
  g_object_set (object, name, padded, NULL);
  g_assert_cmpstr (get (object, field), ==, stored);
  assert_notified (log, expected_once);
  g_object_set (object, name, sample, NULL);
  assert_notified (log, "");
  g_object_set (object, name, "  ", NULL);
  g_assert_null (get (object, field));
  assert_notified (log, expected_once);
}

/* ---------------------------------------------------------------------------------------
 * cw-util
 */

typedef struct
{
  const char *old;
  const char *value;
  const char *expected;
  gboolean    changed;
} SetTextCase;

static const SetTextCase set_text_cases[] = {
  { NULL,     "abc",          "abc",     TRUE },
  { NULL,     "  abc  ",      "abc",     TRUE },
  { NULL,     "\tabc\n",      "abc",     TRUE },
  { NULL,     "a b  c",       "a b  c",  TRUE },
  { NULL,     "Müller",       "Müller",  TRUE },
  { NULL,     NULL,           NULL,      FALSE },
  { NULL,     "",             NULL,      FALSE },
  { NULL,     "   ",          NULL,      FALSE },
  { NULL,     "\t\r\n ",      NULL,      FALSE },
  { NULL,     "\xff",         NULL,      FALSE },
  { NULL,     "M\xfcller",    NULL,      FALSE },
  { "abc",    "abc",          "abc",     FALSE },
  { "abc",    " abc ",        "abc",     FALSE },
  { "abc",    "abd",          "abd",     TRUE },
  { "abc",    "ABC",          "ABC",     TRUE },
  { "abc",    NULL,           NULL,      TRUE },
  { "abc",    "",             NULL,      TRUE },
  { "abc",    "   ",          NULL,      TRUE },
  { "abc",    "\xff",         NULL,      TRUE },
};

static void
test_util_set_text (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (set_text_cases); i++)
    {
      const SetTextCase *c = &set_text_cases[i];
      g_autofree char *field = g_strdup (c->old);
      char *before = field;
      gboolean changed = cw_set_text (&field, c->value);

      g_assert_cmpint (changed, ==, c->changed);
      g_assert_cmpstr (field, ==, c->expected);

      /* No change leaves the very same string in place. */
      if (!changed)
        g_assert_true (field == before);
      /* The field never aliases the caller's string. */
      if (field != NULL)
        g_assert_true (field != c->value);
    }
}

static void
test_util_set_date_time (void)
{
  g_autoptr(GDateTime) ten = make_time (2026, 3, 2, 10, 0);
  g_autoptr(GDateTime) ten_again = make_time (2026, 3, 2, 10, 0);
  g_autoptr(GDateTime) ten_utc = g_date_time_to_utc (ten);
  g_autoptr(GDateTime) eleven = make_time (2026, 3, 2, 11, 0);
  GDateTime *field = NULL;

  g_assert_false (cw_set_date_time (&field, NULL));
  g_assert_null (field);

  g_assert_true (cw_set_date_time (&field, ten));
  g_assert_true (field == ten);

  /* Same instance, or the same instant in another object or time zone: no change. */
  g_assert_false (cw_set_date_time (&field, ten));
  g_assert_false (cw_set_date_time (&field, ten_again));
  g_assert_false (cw_set_date_time (&field, ten_utc));
  g_assert_true (field == ten);

  g_assert_true (cw_set_date_time (&field, eleven));
  g_assert_true (g_date_time_equal (field, eleven));

  g_assert_true (cw_set_date_time (&field, NULL));
  g_assert_null (field);
  g_assert_false (cw_set_date_time (&field, NULL));

  /* The field holds its own reference. */
  {
    GDateTime *owned = make_time (2027, 1, 1, 8, 30);

    g_assert_true (cw_set_date_time (&field, owned));
    g_date_time_unref (owned);
    g_assert_cmpint (g_date_time_get_year (field), ==, 2027);
    g_assert_cmpint (g_date_time_get_minute (field), ==, 30);
  }

  g_clear_pointer (&field, g_date_time_unref);
}

static void
test_util_set_date (void)
{
  g_autoptr(GDate) first = g_date_new_dmy (29, G_DATE_FEBRUARY, 2024);
  g_autoptr(GDate) same = g_date_new_dmy (29, G_DATE_FEBRUARY, 2024);
  g_autoptr(GDate) later = g_date_new_dmy (1, G_DATE_MARCH, 2024);
  g_autoptr(GDate) invalid = g_date_new ();
  GDate *field = NULL;

  g_assert_false (g_date_valid (invalid));

  g_assert_false (cw_set_date (&field, NULL));
  g_assert_false (cw_set_date (&field, invalid));
  g_assert_null (field);

  g_assert_true (cw_set_date (&field, first));
  g_assert_nonnull (field);
  g_assert_true (field != first);
  g_assert_cmpint (g_date_compare (field, first), ==, 0);

  g_assert_false (cw_set_date (&field, same));
  g_assert_false (cw_set_date (&field, first));

  g_assert_true (cw_set_date (&field, later));
  g_assert_cmpint (g_date_get_day (field), ==, 1);
  g_assert_cmpint (g_date_get_month (field), ==, G_DATE_MARCH);

  /* An invalid date counts as no date. */
  g_assert_true (cw_set_date (&field, invalid));
  g_assert_null (field);

  g_assert_true (cw_set_date (&field, later));
  g_assert_true (cw_set_date (&field, NULL));
  g_assert_null (field);
}

static void
test_util_date_equal (void)
{
  g_autoptr(GDate) a = g_date_new_dmy (1, G_DATE_JANUARY, 2026);
  g_autoptr(GDate) b = g_date_new_dmy (1, G_DATE_JANUARY, 2026);
  g_autoptr(GDate) c = g_date_new_dmy (2, G_DATE_JANUARY, 2026);
  g_autoptr(GDate) invalid1 = g_date_new ();
  g_autoptr(GDate) invalid2 = g_date_new ();

  g_assert_true (cw_date_equal (NULL, NULL));
  g_assert_true (cw_date_equal (a, a));
  g_assert_true (cw_date_equal (a, b));
  g_assert_false (cw_date_equal (a, c));
  g_assert_false (cw_date_equal (a, NULL));
  g_assert_false (cw_date_equal (NULL, a));
  g_assert_true (cw_date_equal (invalid1, invalid2));
  g_assert_false (cw_date_equal (invalid1, a));
  g_assert_false (cw_date_equal (a, invalid1));
}

typedef struct
{
  const char *text;
  int         year;   /* 0: expect NULL */
  int         month;
  int         day;
} IsoDateCase;

static const IsoDateCase iso_date_cases[] = {
  { "2024-02-29",          2024, 2, 29 },
  { "2026-01-01",          2026, 1, 1 },
  { "2026-12-31",          2026, 12, 31 },
  { "1999-07-15",          1999, 7, 15 },
  { "0001-01-01",          1, 1, 1 },
  { "9999-12-31",          9999, 12, 31 },
  /* A time after the date is ignored. */
  { "2026-01-01T10:00:00", 2026, 1, 1 },
  { "2026-01-01T23:59:59+01:00", 2026, 1, 1 },
  { "2026-01-01 10:00",    2026, 1, 1 },
  /* Not dates. */
  { "2026-02-29",          0, 0, 0 },
  { "2100-02-29",          0, 0, 0 },
  { "2026-04-31",          0, 0, 0 },
  { "2026-13-01",          0, 0, 0 },
  { "2026-00-10",          0, 0, 0 },
  { "2026-01-00",          0, 0, 0 },
  { "2026-01-32",          0, 0, 0 },
  { "0000-01-01",          0, 0, 0 },
  { "abc",                 0, 0, 0 },
  { "abcd-ef-gh",          0, 0, 0 },
  { "",                    0, 0, 0 },
  { NULL,                  0, 0, 0 },
  { "2026-1-1",            0, 0, 0 },
  { "2026-01-1",           0, 0, 0 },
  { "2026-1-01",           0, 0, 0 },
  { "2026-1-01xx",         0, 0, 0 },
  { "26-01-01",            0, 0, 0 },
  { "20260101",            0, 0, 0 },
  { "2026/01/01",          0, 0, 0 },
  { "01-01-2026",          0, 0, 0 },
  { "2026-01-01X",         0, 0, 0 },
  { "2026-01-01-",         0, 0, 0 },
  { "2026-01-011",         0, 0, 0 },
};

static void
test_util_date_from_iso (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (iso_date_cases); i++)
    {
      const IsoDateCase *c = &iso_date_cases[i];
      g_autoptr(GDate) date = cw_date_from_iso (c->text);
      g_autofree char *expected = NULL;
      g_autofree char *actual = NULL;

      /* Compared as text so that a failure names the input. */
      if (c->year == 0)
        expected = g_strdup_printf ("%s: (none)", c->text);
      else
        expected = g_strdup_printf ("%s: %04d-%02d-%02d", c->text, c->year, c->month, c->day);

      if (date == NULL)
        actual = g_strdup_printf ("%s: (none)", c->text);
      else
        {
          g_assert_true (g_date_valid (date));
          actual = g_strdup_printf ("%s: %04d-%02d-%02d", c->text,
                                    (int) g_date_get_year (date), (int) g_date_get_month (date),
                                    (int) g_date_get_day (date));
        }

      g_assert_cmpstr (actual, ==, expected);
    }
}

static void
test_util_date_from_iso_malformed (void)
{
  /* Regression: cw_date_from_iso() once read the text with sscanf ("%4u-%2u-%2u"), which
   * skips spaces and takes signs, so these gave dates ("-001-01-01" even the year 65535).
   * Only exactly YYYY-MM-DD is a date. */
  static const char * const malformed[] = {
    "2026-+1-01",
    "2026- 1-01",
    " 026-01-01",
    "+026-01-01",
    "-001-01-01",
  };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(GDate) date = cw_date_from_iso (malformed[i]);
      g_autofree char *actual = NULL;
      g_autofree char *expected = g_strdup_printf ("%s: (none)", malformed[i]);

      if (date == NULL)
        actual = g_strdup_printf ("%s: (none)", malformed[i]);
      else
        actual = g_strdup_printf ("%s: %04u-%02u-%02u", malformed[i],
                                  (guint) g_date_get_year (date), (guint) g_date_get_month (date),
                                  (guint) g_date_get_day (date));

      g_assert_cmpstr (actual, ==, expected);
    }
}

static void
test_util_date_to_iso (void)
{
  static const char * const round_trips[] = {
    "2024-02-29", "2026-01-01", "0001-01-05", "9999-12-31", "1970-10-09",
  };
  g_autoptr(GDate) invalid = g_date_new ();

  g_assert_null (cw_date_to_iso (NULL));
  g_assert_null (cw_date_to_iso (invalid));

  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autoptr(GDate) date = cw_date_from_iso (round_trips[i]);
      g_autofree char *text = NULL;

      g_assert_nonnull (date);
      text = cw_date_to_iso (date);
      g_assert_cmpstr (text, ==, round_trips[i]);
    }

  {
    g_autoptr(GDate) date = g_date_new_dmy (7, G_DATE_MAY, 2026);
    g_autofree char *text = cw_date_to_iso (date);

    g_assert_cmpstr (text, ==, "2026-05-07");
  }
}

static void
test_util_enum_nicks (void)
{
  static const char * const status_nicks[] = {
    "new-entry", "car-in-shop", "check-started", "check-ready", "calculating", "proposal-ok",
    "contact-customer", "customer-answered", "customer-ok", "car-ready", "backorder", "canceled",
  };
  static const char * const unknown[] = {
    "", "bogus", "New-Entry", "new_entry", "CW_STATUS_NEW_ENTRY", " new-entry", "new-entry ",
    "0", "\xff",
  };
  int value;

  for (int status = CW_STATUS_NEW_ENTRY; status <= CW_STATUS_CANCELED; status++)
    {
      const char *nick = cw_enum_to_nick (CW_TYPE_STATUS, status);

      g_assert_cmpstr (nick, ==, status_nicks[status]);

      value = -1;
      g_assert_true (cw_enum_from_nick (CW_TYPE_STATUS, nick, &value));
      g_assert_cmpint (value, ==, status);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      value = 1234;
      g_assert_false (cw_enum_from_nick (CW_TYPE_STATUS, unknown[i], &value));
      g_assert_cmpint (value, ==, 1234);
    }

  value = 1234;
  g_assert_false (cw_enum_from_nick (CW_TYPE_STATUS, NULL, &value));
  g_assert_cmpint (value, ==, 1234);

  g_assert_null (cw_enum_to_nick (CW_TYPE_STATUS, CW_STATUS_CANCELED + 1));
  g_assert_null (cw_enum_to_nick (CW_TYPE_STATUS, -1));

  /* The other enums the store writes by nick. */
  g_assert_cmpstr (cw_enum_to_nick (CW_TYPE_SHOP_STATE, CW_SHOP_LEFT), ==, "left");
  g_assert_true (cw_enum_from_nick (CW_TYPE_SHOP_STATE, "not-arrived", &value));
  g_assert_cmpint (value, ==, CW_SHOP_NOT_ARRIVED);
  g_assert_cmpstr (cw_enum_to_nick (CW_TYPE_CANCEL_REASON, CW_CANCEL_REASON_NO_SHOW), ==, "no-show");
  g_assert_true (cw_enum_from_nick (CW_TYPE_CANCEL_REASON, "other", &value));
  g_assert_cmpint (value, ==, CW_CANCEL_REASON_OTHER);
  g_assert_cmpstr (cw_enum_to_nick (CW_TYPE_EVENT_KIND, CW_EVENT_SYNC_FAILED), ==, "sync-failed");
  g_assert_true (cw_enum_from_nick (CW_TYPE_EVENT_KIND, "car-out", &value));
  g_assert_cmpint (value, ==, CW_EVENT_CAR_OUT);
  g_assert_cmpstr (cw_enum_to_nick (CW_TYPE_INTERVENTION_SOURCE, CW_INTERVENTION_SOURCE_LOCAL), ==, "local");
  g_assert_cmpstr (cw_enum_to_nick (CW_TYPE_PARTY_ROLE, CW_PARTY_ROLE_CONTRACTOR), ==, "contractor");
  g_assert_false (cw_enum_from_nick (CW_TYPE_SHOP_STATE, "new-entry", &value));
}

/* ---------------------------------------------------------------------------------------
 * CwParty
 */

static const char * const party_field_names[CW_PARTY_N_FIELDS] = {
  "dms-id", "company", "title", "first-name", "last-name", "street", "house-number",
  "postcode", "place", "business-phone", "business-email", "business-mobile",
  "private-phone", "private-email", "private-mobile",
};

static void
party_set (gpointer    object,
           guint       field,
           const char *value)
{
  cw_party_set_field (object, field, value);
}

static const char *
party_get (gpointer object,
           guint    field)
{
  return cw_party_get_field (object, field);
}

static void
test_party_defaults (void)
{
  for (CwPartyRole role = CW_PARTY_ROLE_DRIVER; role < CW_PARTY_N_ROLES; role++)
    {
      CwParty *party = cw_party_new (role);
      CwPartyRole role_prop = CW_PARTY_N_ROLES;
      gboolean lease = TRUE;

      g_assert_true (CW_IS_PARTY (party));
      g_assert_cmpint (cw_party_get_role (party), ==, role);
      for (CwPartyField f = 0; f < CW_PARTY_N_FIELDS; f++)
        g_assert_null (cw_party_get_field (party, f));
      g_assert_false (cw_party_get_lease_company (party));
      g_assert_true (cw_party_is_empty (party));
      g_assert_null (cw_party_dup_display_name (party));

      g_object_get (party, "role", &role_prop, "lease-company", &lease, NULL);
      g_assert_cmpint (role_prop, ==, role);
      g_assert_false (lease);

      g_assert_finalize_object (party);
    }
}

static void
test_party_field_names (void)
{
  g_autoptr(CwParty) party = cw_party_new (CW_PARTY_ROLE_OWNER);

  for (CwPartyField f = 0; f < CW_PARTY_N_FIELDS; f++)
    {
      g_assert_cmpstr (cw_party_field_get_name (f), ==, party_field_names[f]);
      assert_property (party, party_field_names[f], G_TYPE_STRING, G_PARAM_READWRITE);
    }

  assert_property (party, "role", CW_TYPE_PARTY_ROLE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY);
  assert_property (party, "lease-company", G_TYPE_BOOLEAN, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);

  g_test_expect_message ("cw-party", G_LOG_LEVEL_CRITICAL, "*CW_PARTY_N_FIELDS*");
  g_assert_null (cw_party_field_get_name (CW_PARTY_N_FIELDS));
  g_test_assert_expected_messages ();
}

static void
test_party_fields (void)
{
  CwParty *party = cw_party_new (CW_PARTY_ROLE_DRIVER);

  for (CwPartyField f = 0; f < CW_PARTY_N_FIELDS; f++)
    {
      check_text_field (party, party_set, party_get, f, party_field_names[f],
                        "Waarde één", "Waarde één", " \t\n");

      /* Any one field makes the party non-empty. */
      g_assert_true (cw_party_is_empty (party));
      cw_party_set_field (party, f, "x");
      g_assert_false (cw_party_is_empty (party));
      cw_party_set_field (party, f, NULL);
      g_assert_true (cw_party_is_empty (party));
    }

  g_assert_finalize_object (party);
}

static void
test_party_lease_company (void)
{
  CwParty *party = cw_party_new (CW_PARTY_ROLE_CONTRACTOR);
  g_autoptr(NotifyLog) log = notify_log_new (party);
  gboolean value = FALSE;

  cw_party_set_lease_company (party, FALSE);
  assert_notified (log, "");

  cw_party_set_lease_company (party, TRUE);
  assert_notified (log, "lease-company=1");
  g_assert_true (cw_party_get_lease_company (party));
  g_assert_false (cw_party_is_empty (party));

  /* Any true value is TRUE, and no change. */
  cw_party_set_lease_company (party, 42);
  assert_notified (log, "");
  g_assert_cmpint (cw_party_get_lease_company (party), ==, TRUE);

  g_object_get (party, "lease-company", &value, NULL);
  g_assert_true (value);

  g_object_set (party, "lease-company", FALSE, NULL);
  assert_notified (log, "lease-company=1");
  g_assert_false (cw_party_get_lease_company (party));
  g_assert_true (cw_party_is_empty (party));

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (party);
}

typedef struct
{
  const char *company;
  const char *title;
  const char *first;
  const char *last;
  const char *expected;
} DisplayNameCase;

static const DisplayNameCase display_name_cases[] = {
  { NULL,                NULL,      NULL,       NULL,       NULL },
  { "Garage Janssen BV", NULL,      NULL,       NULL,       "Garage Janssen BV" },
  { NULL,                NULL,      "Jan",      "Jansen",   "Jan Jansen" },
  { NULL,                "Dhr.",    "Jan",      "Jansen",   "Dhr. Jan Jansen" },
  { NULL,                "Dhr.",    NULL,       "Jansen",   "Dhr. Jansen" },
  { NULL,                "Mevr.",   "Anna",     NULL,       "Mevr. Anna" },
  { NULL,                NULL,      "Anna",     NULL,       "Anna" },
  { NULL,                NULL,      NULL,       "De Vries", "De Vries" },
  /* A named person wins over the company. */
  { "Lease BV",          NULL,      "Jan",      "Jansen",   "Jan Jansen" },
  { "Lease BV",          "Dhr.",    NULL,       "Jansen",   "Dhr. Jansen" },
  /* Nothing is invented: a title alone is no name. */
  { NULL,                "Dhr.",    NULL,       NULL,       NULL },
  { "Lease BV",          "Dhr.",    NULL,       NULL,       "Lease BV" },
  /* Blank fields are missing. */
  { "  ",                "",        "  Jan ",   "\tJansen", "Jan Jansen" },
  { "",                  "   ",     "",         "",         NULL },
};

static void
test_party_display_name (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (display_name_cases); i++)
    {
      const DisplayNameCase *c = &display_name_cases[i];
      CwParty *party = cw_party_new (CW_PARTY_ROLE_OWNER);
      g_autofree char *name = NULL;

      cw_party_set_field (party, CW_PARTY_COMPANY, c->company);
      cw_party_set_field (party, CW_PARTY_TITLE, c->title);
      cw_party_set_field (party, CW_PARTY_FIRST_NAME, c->first);
      cw_party_set_field (party, CW_PARTY_LAST_NAME, c->last);
      /* Other fields play no part. */
      cw_party_set_field (party, CW_PARTY_PLACE, "Utrecht");
      cw_party_set_field (party, CW_PARTY_PRIVATE_EMAIL, "jan@example.org");

      name = cw_party_dup_display_name (party);
      g_assert_cmpstr (name, ==, c->expected);

      g_assert_finalize_object (party);
    }
}

static void
test_party_copy (void)
{
  CwParty *party = cw_party_new (CW_PARTY_ROLE_CONTRACTOR);
  CwParty *copy;

  for (CwPartyField f = 0; f < CW_PARTY_N_FIELDS; f++)
    {
      g_autofree char *value = g_strdup_printf ("value %u", f);

      cw_party_set_field (party, f, value);
    }
  cw_party_set_field (party, CW_PARTY_STREET, NULL);
  cw_party_set_lease_company (party, TRUE);

  copy = cw_party_copy (party);
  g_assert_true (copy != party);
  g_assert_cmpint (cw_party_get_role (copy), ==, CW_PARTY_ROLE_CONTRACTOR);
  g_assert_true (cw_party_get_lease_company (copy));
  for (CwPartyField f = 0; f < CW_PARTY_N_FIELDS; f++)
    {
      g_assert_cmpstr (cw_party_get_field (copy, f), ==, cw_party_get_field (party, f));
      if (cw_party_get_field (copy, f) != NULL)
        g_assert_true (cw_party_get_field (copy, f) != cw_party_get_field (party, f));
    }

  /* Independent: changing one leaves the other. */
  cw_party_set_field (copy, CW_PARTY_LAST_NAME, "Peeters");
  cw_party_set_lease_company (copy, FALSE);
  g_assert_cmpstr (cw_party_get_field (party, CW_PARTY_LAST_NAME), ==, "value 4");
  g_assert_true (cw_party_get_lease_company (party));
  cw_party_set_field (party, CW_PARTY_COMPANY, "Other");
  g_assert_cmpstr (cw_party_get_field (copy, CW_PARTY_COMPANY), ==, "value 1");

  g_assert_finalize_object (party);
  g_assert_finalize_object (copy);
}

static void
test_party_role_labels (void)
{
  g_assert_cmpstr (cw_party_role_get_label (CW_PARTY_ROLE_DRIVER), ==, "Driver");
  g_assert_cmpstr (cw_party_role_get_label (CW_PARTY_ROLE_OWNER), ==, "Owner");
  g_assert_cmpstr (cw_party_role_get_label (CW_PARTY_ROLE_CONTRACTOR), ==, "Contractor");
}

/* ---------------------------------------------------------------------------------------
 * CwCar
 */

static const char * const car_field_names[CW_CAR_N_FIELDS] = {
  "make", "model", "plate", "vin", "engine-number", "notes", "fuel", "driver-id",
  "owner-id", "contractor-id",
};

static const char * const car_date_names[CW_CAR_N_DATES] = {
  "first-registration", "apk-date", "warranty-start", "warranty-end",
};

static void
car_set (gpointer    object,
         guint       field,
         const char *value)
{
  cw_car_set_field (object, field, value);
}

static const char *
car_get (gpointer object,
         guint    field)
{
  return cw_car_get_field (object, field);
}

static void
test_car_defaults (void)
{
  CwCar *car = cw_car_new ();

  for (CwCarField f = 0; f < CW_CAR_N_FIELDS; f++)
    g_assert_null (cw_car_get_field (car, f));
  for (CwCarDate d = 0; d < CW_CAR_N_DATES; d++)
    g_assert_null (cw_car_get_date (car, d));
  g_assert_true (cw_car_is_empty (car));
  g_assert_null (cw_car_dup_make_model (car));
  g_assert_null (cw_car_dup_plate_display (car));

  g_assert_finalize_object (car);
}

static void
test_car_names (void)
{
  g_autoptr(CwCar) car = cw_car_new ();

  for (CwCarField f = 0; f < CW_CAR_N_FIELDS; f++)
    {
      g_assert_cmpstr (cw_car_field_get_name (f), ==, car_field_names[f]);
      assert_property (car, car_field_names[f], G_TYPE_STRING, G_PARAM_READWRITE);
    }
  for (CwCarDate d = 0; d < CW_CAR_N_DATES; d++)
    {
      g_assert_cmpstr (cw_car_date_get_name (d), ==, car_date_names[d]);
      assert_property (car, car_date_names[d], G_TYPE_DATE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
    }

  g_test_expect_message ("cw-car", G_LOG_LEVEL_CRITICAL, "*CW_CAR_N_FIELDS*");
  g_assert_null (cw_car_field_get_name (CW_CAR_N_FIELDS));
  g_test_assert_expected_messages ();
  g_test_expect_message ("cw-car", G_LOG_LEVEL_CRITICAL, "*CW_CAR_N_DATES*");
  g_assert_null (cw_car_date_get_name (CW_CAR_N_DATES));
  g_test_assert_expected_messages ();
}

static void
test_car_fields (void)
{
  CwCar *car = cw_car_new ();

  for (CwCarField f = 0; f < CW_CAR_N_FIELDS; f++)
    {
      if (f == CW_CAR_PLATE)
        check_text_field (car, car_set, car_get, f, car_field_names[f], "ab-123-c", "AB123C", "  ");
      else
        check_text_field (car, car_set, car_get, f, car_field_names[f], "Golf 1.4 TSI", "Golf 1.4 TSI", "\t \n");

      g_assert_true (cw_car_is_empty (car));
      cw_car_set_field (car, f, "x1");
      g_assert_false (cw_car_is_empty (car));
      cw_car_set_field (car, f, NULL);
      g_assert_true (cw_car_is_empty (car));
    }

  g_assert_finalize_object (car);
}

typedef struct
{
  const char *text;
  const char *stored;
  const char *display;
} PlateCase;

static const PlateCase car_plate_cases[] = {
  /* Plates are stored compact and upper-case, shown dashed. */
  { "ab-123-c",                "AB123C",                "AB-123-C" },
  { "AB 123 C",                "AB123C",                "AB-123-C" },
  { " 1-abc-123 ",             "1ABC123",               "1-ABC-123" },
  { "ABC-123",                 "ABC123",                "ABC-123" },
  /* A plausible plate of no known format (cw-plate.h: 2–10 letters and digits) is a
   * plate too: "onbekend" is normalised like any foreign plate. */
  { "onbekend",                "ONBEKEND",              "ONBEKEND" },
  { "m-ab 1234",               "MAB1234",               "MAB1234" },
  /* Text that is no plate at all is kept as the DMS gave it, trimmed. */
  { "🚗",                      "🚗",                    "🚗" },
  { "  🚗 AB-123 ",            "🚗 AB-123",             "🚗 AB-123" },
  { "onbekend (zie notities)", "onbekend (zie notities)", "onbekend (zie notities)" },
  { "x",                       "x",                     "x" },
  { "ÅB-123-C",                "ÅB-123-C",              "ÅB-123-C" },
  { "ABCDEFGHIJK",             "ABCDEFGHIJK",           "ABCDEFGHIJK" },
  { " - ",                     "-",                     "-" },
  /* Nothing. */
  { "",                        NULL,                    NULL },
  { "   ",                     NULL,                    NULL },
  { "\xff",                    NULL,                    NULL },
  { NULL,                      NULL,                    NULL },
};

static void
test_car_plate (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (car_plate_cases); i++)
    {
      const PlateCase *c = &car_plate_cases[i];
      CwCar *car = cw_car_new ();
      g_autofree char *display = NULL;
      g_autofree char *by_name = NULL;

      cw_car_set_field (car, CW_CAR_PLATE, c->text);
      g_assert_cmpstr (cw_car_get_field (car, CW_CAR_PLATE), ==, c->stored);
      display = cw_car_dup_plate_display (car);
      g_assert_cmpstr (display, ==, c->display);

      /* The property normalises the same way. */
      cw_car_set_field (car, CW_CAR_PLATE, NULL);
      g_object_set (car, "plate", c->text, NULL);
      by_name = get_string (car, "plate");
      g_assert_cmpstr (by_name, ==, c->stored);

      g_assert_finalize_object (car);
    }
}

static void
test_car_plate_padded (void)
{
  /* Regression: cw_car_set_field() once normalised a plate before trimming the white
   * space around it, and the plate parser refuses tabs and newlines, so a plate a DMS sent
   * with a trailing newline was stored raw and a search by plate missed the car. */
  static const PlateCase padded_cases[] = {
    { "AB-123-C\n",             "AB123C",                "AB-123-C" },
    { "\tab-123-c",             "AB123C",                "AB-123-C" },
    { "ab 123 c\r\n",           "AB123C",                "AB-123-C" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (padded_cases); i++)
    {
      CwCar *car = cw_car_new ();

      cw_car_set_field (car, CW_CAR_PLATE, padded_cases[i].text);
      g_assert_cmpstr (cw_car_get_field (car, CW_CAR_PLATE), ==, padded_cases[i].stored);

      g_assert_finalize_object (car);
    }
}

static void
test_car_plate_notify (void)
{
  CwCar *car = cw_car_new ();
  g_autoptr(NotifyLog) log = notify_log_new (car);

  cw_car_set_field (car, CW_CAR_PLATE, "ab-123-c");
  assert_notified (log, "plate=1");

  /* Every spelling of the same plate is no change. */
  cw_car_set_field (car, CW_CAR_PLATE, "AB-123-C");
  cw_car_set_field (car, CW_CAR_PLATE, "ab 123 c");
  cw_car_set_field (car, CW_CAR_PLATE, "AB123C");
  g_object_set (car, "plate", "a.b.1.2.3.c", NULL);
  assert_notified (log, "");

  cw_car_set_field (car, CW_CAR_PLATE, "XX-99-99");
  assert_notified (log, "plate=1");
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_PLATE), ==, "XX9999");

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (car);
}

typedef struct
{
  const char *make;
  const char *model;
  const char *expected;
} MakeModelCase;

static const MakeModelCase make_model_cases[] = {
  { NULL,             NULL,       NULL },
  { "Volkswagen",     NULL,       "Volkswagen" },
  { NULL,             "Golf",     "Golf" },
  { "Volkswagen",     "Golf",     "Volkswagen Golf" },
  { "  Volkswagen ",  " Golf\t",  "Volkswagen Golf" },
  { "",               "Golf",     "Golf" },
  { "Škoda",          "   ",      "Škoda" },
  { "  ",             "",         NULL },
  { "Mercedes-Benz",  "C 200 d",  "Mercedes-Benz C 200 d" },
};

static void
test_car_make_model (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (make_model_cases); i++)
    {
      CwCar *car = cw_car_new ();
      g_autofree char *make_model = NULL;

      cw_car_set_field (car, CW_CAR_MAKE, make_model_cases[i].make);
      cw_car_set_field (car, CW_CAR_MODEL, make_model_cases[i].model);
      make_model = cw_car_dup_make_model (car);
      g_assert_cmpstr (make_model, ==, make_model_cases[i].expected);

      g_assert_finalize_object (car);
    }
}

static void
test_car_dates (void)
{
  CwCar *car = cw_car_new ();
  g_autoptr(NotifyLog) log = notify_log_new (car);
  g_autoptr(GDate) apk = g_date_new_dmy (31, G_DATE_MAY, 2026);
  g_autoptr(GDate) apk_again = g_date_new_dmy (31, G_DATE_MAY, 2026);
  g_autoptr(GDate) later = g_date_new_dmy (1, G_DATE_JUNE, 2027);
  g_autoptr(GDate) invalid = g_date_new ();

  for (CwCarDate d = 0; d < CW_CAR_N_DATES; d++)
    {
      g_autofree char *expected_once = g_strdup_printf ("%s=1", car_date_names[d]);
      GDate *by_name = NULL;

      cw_car_set_date (car, d, NULL);
      cw_car_set_date (car, d, invalid);
      assert_notified (log, "");
      g_assert_null (cw_car_get_date (car, d));

      cw_car_set_date (car, d, apk);
      assert_notified (log, expected_once);
      g_assert_nonnull (cw_car_get_date (car, d));
      g_assert_true (cw_car_get_date (car, d) != apk);
      g_assert_true (cw_date_equal (cw_car_get_date (car, d), apk));
      g_assert_false (cw_car_is_empty (car));

      cw_car_set_date (car, d, apk_again);
      assert_notified (log, "");

      g_object_get (car, car_date_names[d], &by_name, NULL);
      g_assert_nonnull (by_name);
      g_assert_true (cw_date_equal (by_name, apk));
      g_date_free (by_name);

      g_object_set (car, car_date_names[d], later, NULL);
      assert_notified (log, expected_once);
      g_assert_true (cw_date_equal (cw_car_get_date (car, d), later));

      /* An invalid date is ignored as a date: it unsets the field. */
      cw_car_set_date (car, d, invalid);
      assert_notified (log, expected_once);
      g_assert_null (cw_car_get_date (car, d));
      g_assert_true (cw_car_is_empty (car));

      g_object_set (car, car_date_names[d], NULL, NULL);
      assert_notified (log, "");
    }

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (car);
}

static void
test_car_copy (void)
{
  CwCar *car = cw_car_new ();
  CwCar *copy;
  g_autoptr(GDate) date = g_date_new_dmy (3, G_DATE_MARCH, 2019);

  for (CwCarField f = 0; f < CW_CAR_N_FIELDS; f++)
    cw_car_set_field (car, f, car_field_names[f]);
  cw_car_set_field (car, CW_CAR_PLATE, "ab-123-c");
  cw_car_set_field (car, CW_CAR_NOTES, NULL);
  cw_car_set_date (car, CW_CAR_APK_DATE, date);

  copy = cw_car_copy (car);
  g_assert_true (copy != car);
  for (CwCarField f = 0; f < CW_CAR_N_FIELDS; f++)
    g_assert_cmpstr (cw_car_get_field (copy, f), ==, cw_car_get_field (car, f));
  g_assert_cmpstr (cw_car_get_field (copy, CW_CAR_PLATE), ==, "AB123C");
  for (CwCarDate d = 0; d < CW_CAR_N_DATES; d++)
    g_assert_true (cw_date_equal (cw_car_get_date (copy, d), cw_car_get_date (car, d)));
  g_assert_true (cw_car_get_date (copy, CW_CAR_APK_DATE) != cw_car_get_date (car, CW_CAR_APK_DATE));
  g_assert_null (cw_car_get_date (copy, CW_CAR_WARRANTY_END));

  /* Independent. */
  cw_car_set_field (copy, CW_CAR_MAKE, "Opel");
  cw_car_set_date (copy, CW_CAR_APK_DATE, NULL);
  g_assert_cmpstr (cw_car_get_field (car, CW_CAR_MAKE), ==, "make");
  g_assert_true (cw_date_equal (cw_car_get_date (car, CW_CAR_APK_DATE), date));

  g_assert_finalize_object (car);
  g_assert_finalize_object (copy);
}

/* ---------------------------------------------------------------------------------------
 * CwIntervention
 */

static void
test_intervention_defaults (void)
{
  static const gboolean editable[] = {
    [CW_INTERVENTION_SOURCE_DMS]   = FALSE,
    [CW_INTERVENTION_SOURCE_OCW]   = FALSE,
    [CW_INTERVENTION_SOURCE_LOCAL] = TRUE,
  };

  for (CwInterventionSource source = CW_INTERVENTION_SOURCE_DMS; source <= CW_INTERVENTION_SOURCE_LOCAL; source++)
    {
      CwIntervention *line = cw_intervention_new (source);
      gint64 cents = 42;
      gboolean editable_prop = !editable[source];
      gboolean has_price = TRUE;
      g_autofree char *currency = NULL;
      g_auto(GStrv) codes = NULL;

      g_assert_cmpint (cw_intervention_get_id (line), ==, 0);
      g_assert_cmpint (cw_intervention_get_source (line), ==, source);
      g_assert_cmpint (cw_intervention_get_element_kind (line), ==, CW_ELEMENT_KIND_UNSPECIFIED);
      g_assert_null (cw_intervention_get_dms_line_id (line));
      g_assert_null (cw_intervention_get_title (line));
      g_assert_null (cw_intervention_get_description (line));
      g_assert_false (cw_intervention_get_price (line, &cents));
      g_assert_cmpint (cents, ==, 0);
      g_assert_false (cw_intervention_get_price (line, NULL));
      g_assert_cmpstr (cw_intervention_get_currency (line), ==, "EUR");
      g_assert_null (cw_intervention_get_part_codes (line));
      g_assert_cmpint (cw_intervention_is_editable (line), ==, editable[source]);

      g_object_get (line,
                    "editable", &editable_prop,
                    "has-price", &has_price,
                    "currency", &currency,
                    "part-codes", &codes,
                    NULL);
      g_assert_cmpint (editable_prop, ==, editable[source]);
      g_assert_false (has_price);
      g_assert_cmpstr (currency, ==, "EUR");
      g_assert_null (codes);

      g_assert_finalize_object (line);
    }
}

static void
test_intervention_properties (void)
{
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  GParamSpec *currency;

  assert_property (line, "id", G_TYPE_INT64, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  assert_property (line, "source", CW_TYPE_INTERVENTION_SOURCE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY);
  assert_property (line, "element-kind", CW_TYPE_ELEMENT_KIND, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  assert_property (line, "dms-line-id", G_TYPE_STRING, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  assert_property (line, "title", G_TYPE_STRING, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  assert_property (line, "description", G_TYPE_STRING, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  assert_property (line, "price", G_TYPE_INT64, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  assert_property (line, "has-price", G_TYPE_BOOLEAN, G_PARAM_READABLE);
  assert_property (line, "currency", G_TYPE_STRING, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  assert_property (line, "part-codes", G_TYPE_STRV, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
  assert_property (line, "editable", G_TYPE_BOOLEAN, G_PARAM_READABLE);

  currency = g_object_class_find_property (G_OBJECT_GET_CLASS (line), "currency");
  g_assert_cmpstr (G_PARAM_SPEC_STRING (currency)->default_value, ==, "EUR");
}

static void
test_intervention_setters (void)
{
  CwIntervention *line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(NotifyLog) log = notify_log_new (line);
  gint64 id = 0;
  CwElementKind kind = CW_ELEMENT_KIND_UNSPECIFIED;

  cw_intervention_set_id (line, 0);
  assert_notified (log, "");
  cw_intervention_set_id (line, 17);
  assert_notified (log, "id=1");
  cw_intervention_set_id (line, 17);
  assert_notified (log, "");
  g_object_set (line, "id", (gint64) 18, NULL);
  assert_notified (log, "id=1");
  g_object_get (line, "id", &id, NULL);
  g_assert_cmpint (id, ==, 18);

  cw_intervention_set_element_kind (line, CW_ELEMENT_KIND_UNSPECIFIED);
  assert_notified (log, "");
  cw_intervention_set_element_kind (line, CW_ELEMENT_KIND_LABOUR);
  assert_notified (log, "element-kind=1");
  cw_intervention_set_element_kind (line, CW_ELEMENT_KIND_LABOUR);
  assert_notified (log, "");
  g_object_set (line, "element-kind", CW_ELEMENT_KIND_PART, NULL);
  assert_notified (log, "element-kind=1");
  g_object_get (line, "element-kind", &kind, NULL);
  g_assert_cmpint (kind, ==, CW_ELEMENT_KIND_PART);

  /* The text setters share the cw_set_text() contract. */
  cw_intervention_set_title (line, "  Grote beurt ");
  assert_notified (log, "title=1");
  g_assert_cmpstr (cw_intervention_get_title (line), ==, "Grote beurt");
  cw_intervention_set_title (line, "Grote beurt");
  assert_notified (log, "");
  cw_intervention_set_title (line, "   ");
  assert_notified (log, "title=1");
  g_assert_null (cw_intervention_get_title (line));

  cw_intervention_set_description (line, "Olie en filters\nvervangen");
  assert_notified (log, "description=1");
  g_assert_cmpstr (cw_intervention_get_description (line), ==, "Olie en filters\nvervangen");
  cw_intervention_set_description (line, "\xff");
  assert_notified (log, "description=1");
  g_assert_null (cw_intervention_get_description (line));

  cw_intervention_set_dms_line_id (line, " L-0001 ");
  assert_notified (log, "dms-line-id=1");
  g_assert_cmpstr (cw_intervention_get_dms_line_id (line), ==, "L-0001");
  g_object_set (line, "dms-line-id", "L-0001", "title", "A", "description", "", NULL);
  assert_notified (log, "title=1");

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (line);
}

static void
test_intervention_price (void)
{
  CwIntervention *line = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(NotifyLog) log = notify_log_new (line);
  gint64 cents = -1;
  gboolean has_price = FALSE;

  /* No price is not a price of 0; unsetting it is no change. */
  cw_intervention_unset_price (line);
  assert_notified (log, "");

  /* 0 is a real price. */
  cw_intervention_set_price (line, 0);
  assert_notified (log, "has-price=1 price=1");
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, 0);

  cw_intervention_set_price (line, 0);
  assert_notified (log, "");

  cw_intervention_set_price (line, 12345);
  assert_notified (log, "price=1");
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, 12345);

  /* A credit line. */
  cw_intervention_set_price (line, -2500);
  assert_notified (log, "price=1");
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, -2500);

  cw_intervention_set_price (line, G_MAXINT64);
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, G_MAXINT64);
  assert_notified (log, "price=1");

  cw_intervention_unset_price (line);
  assert_notified (log, "has-price=1 price=1");
  g_assert_false (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, 0);
  cw_intervention_unset_price (line);
  assert_notified (log, "");

  /* Setting the property gives a price too. */
  g_object_set (line, "price", (gint64) 995, NULL);
  assert_notified (log, "has-price=1 price=1");
  g_object_get (line, "price", &cents, "has-price", &has_price, NULL);
  g_assert_cmpint (cents, ==, 995);
  g_assert_true (has_price);

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (line);
}

typedef struct
{
  const char *value;
  const char *expected;
} CurrencyCase;

static const CurrencyCase currency_cases[] = {
  { "usd",    "USD" },
  { " usd ",  "USD" },
  { "USD",    "USD" },
  { "gbp",    "GBP" },
  { NULL,     "EUR" },
  { "",       "EUR" },
  { "   ",    "EUR" },
  { "\t",     "EUR" },
  { "eur",    "EUR" },
  { "ChF",    "CHF" },
};

static void
test_intervention_currency (void)
{
  CwIntervention *line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(NotifyLog) log = notify_log_new (line);

  for (guint i = 0; i < G_N_ELEMENTS (currency_cases); i++)
    {
      const char *before = cw_intervention_get_currency (line);
      gboolean changes = g_strcmp0 (before, currency_cases[i].expected) != 0;
      g_autofree char *by_name = NULL;

      cw_intervention_set_currency (line, currency_cases[i].value);
      g_assert_cmpstr (cw_intervention_get_currency (line), ==, currency_cases[i].expected);
      assert_notified (log, changes ? "currency=1" : "");

      cw_intervention_set_currency (line, currency_cases[i].value);
      assert_notified (log, "");

      by_name = get_string (line, "currency");
      g_assert_cmpstr (by_name, ==, currency_cases[i].expected);
    }

  g_object_set (line, "currency", "sek", NULL);
  assert_notified (log, "currency=1");
  g_assert_cmpstr (cw_intervention_get_currency (line), ==, "SEK");
  g_object_set (line, "currency", NULL, NULL);
  assert_notified (log, "currency=1");
  g_assert_cmpstr (cw_intervention_get_currency (line), ==, "EUR");

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (line);
}

static void
test_intervention_currency_invalid (void)
{
  /* Regression: text that is not valid UTF-8 once left the currency NULL, although a
   * missing code means EUR. */
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);

  cw_intervention_set_currency (line, "US\xff");
  g_assert_cmpstr (cw_intervention_get_currency (line), ==, "EUR");

  cw_intervention_set_currency (line, "usd");
  cw_intervention_set_currency (line, "\xfe");
  g_assert_cmpstr (cw_intervention_get_currency (line), ==, "EUR");
}

static void
test_intervention_part_codes (void)
{
  CwIntervention *line = cw_intervention_new (CW_INTERVENTION_SOURCE_DMS);
  g_autoptr(NotifyLog) log = notify_log_new (line);
  const char * const with_blanks[] = { "A1", " B2 ", "", "   ", "\xff", "C3", NULL };
  const char * const kept[] = { "A1", "B2", "C3", NULL };
  const char * const reordered[] = { "B2", "A1", "C3", NULL };
  const char * const only_blanks[] = { "", " ", "\t", NULL };
  const char * const empty[] = { NULL };
  g_auto(GStrv) by_name = NULL;

  cw_intervention_set_part_codes (line, NULL);
  cw_intervention_set_part_codes (line, empty);
  cw_intervention_set_part_codes (line, only_blanks);
  assert_notified (log, "");
  g_assert_null (cw_intervention_get_part_codes (line));

  cw_intervention_set_part_codes (line, with_blanks);
  assert_notified (log, "part-codes=1");
  g_assert_cmpstrv (cw_intervention_get_part_codes (line), kept);

  cw_intervention_set_part_codes (line, kept);
  cw_intervention_set_part_codes (line, with_blanks);
  assert_notified (log, "");

  /* Order matters: it is the DMS's order. */
  cw_intervention_set_part_codes (line, reordered);
  assert_notified (log, "part-codes=1");
  g_assert_cmpstrv (cw_intervention_get_part_codes (line), reordered);

  g_object_get (line, "part-codes", &by_name, NULL);
  g_assert_cmpstrv (by_name, reordered);

  /* No codes has one representation: NULL. */
  cw_intervention_set_part_codes (line, only_blanks);
  assert_notified (log, "part-codes=1");
  g_assert_null (cw_intervention_get_part_codes (line));

  g_object_set (line, "part-codes", kept, NULL);
  assert_notified (log, "part-codes=1");
  g_assert_cmpstrv (cw_intervention_get_part_codes (line), kept);
  g_object_set (line, "part-codes", NULL, NULL);
  assert_notified (log, "part-codes=1");
  g_assert_null (cw_intervention_get_part_codes (line));

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (line);
}

static void
test_intervention_copy (void)
{
  CwIntervention *line = cw_intervention_new (CW_INTERVENTION_SOURCE_OCW);
  CwIntervention *copy;
  const char * const codes[] = { "P-1", "P-2", NULL };
  const char * const other_codes[] = { "Q", NULL };
  gint64 cents = 0;

  cw_intervention_set_id (line, 99);
  cw_intervention_set_element_kind (line, CW_ELEMENT_KIND_MENU);
  cw_intervention_set_dms_line_id (line, "line-7");
  cw_intervention_set_title (line, "Remblokken");
  cw_intervention_set_description (line, "Voor");
  cw_intervention_set_price (line, 0);
  cw_intervention_set_currency (line, "chf");
  cw_intervention_set_part_codes (line, codes);

  copy = cw_intervention_copy (line);
  g_assert_true (copy != line);
  g_assert_cmpint (cw_intervention_get_id (copy), ==, 99);
  g_assert_cmpint (cw_intervention_get_source (copy), ==, CW_INTERVENTION_SOURCE_OCW);
  g_assert_cmpint (cw_intervention_get_element_kind (copy), ==, CW_ELEMENT_KIND_MENU);
  g_assert_cmpstr (cw_intervention_get_dms_line_id (copy), ==, "line-7");
  g_assert_cmpstr (cw_intervention_get_title (copy), ==, "Remblokken");
  g_assert_cmpstr (cw_intervention_get_description (copy), ==, "Voor");
  g_assert_true (cw_intervention_get_price (copy, &cents));
  g_assert_cmpint (cents, ==, 0);
  g_assert_cmpstr (cw_intervention_get_currency (copy), ==, "CHF");
  g_assert_cmpstrv (cw_intervention_get_part_codes (copy), codes);
  g_assert_false (cw_intervention_is_editable (copy));

  /* Independent: no shared strings or arrays. */
  g_assert_true (cw_intervention_get_part_codes (copy) != cw_intervention_get_part_codes (line));
  g_assert_true (cw_intervention_get_title (copy) != cw_intervention_get_title (line));
  cw_intervention_set_title (copy, "Anders");
  cw_intervention_unset_price (copy);
  cw_intervention_set_part_codes (copy, other_codes);
  cw_intervention_set_currency (copy, NULL);
  g_assert_cmpstr (cw_intervention_get_title (line), ==, "Remblokken");
  g_assert_true (cw_intervention_get_price (line, NULL));
  g_assert_cmpstrv (cw_intervention_get_part_codes (line), codes);
  g_assert_cmpstr (cw_intervention_get_currency (line), ==, "CHF");

  /* A copy of a line without a price has none either. */
  g_assert_finalize_object (copy);
  cw_intervention_unset_price (line);
  cw_intervention_set_part_codes (line, NULL);
  copy = cw_intervention_copy (line);
  g_assert_false (cw_intervention_get_price (copy, NULL));
  g_assert_null (cw_intervention_get_part_codes (copy));

  g_assert_finalize_object (line);
  g_assert_finalize_object (copy);
}

/* ---------------------------------------------------------------------------------------
 * CwWorkorder
 */

static const char * const workorder_field_names[CW_WORKORDER_N_FIELDS] = {
  "connection-id", "dms-key", "dms-number", "wo-number", "dms-notes", "location",
  "cancel-text", "updated-by",
};

static const char * const workorder_time_names[CW_WORKORDER_N_TIMES] = {
  "appointment", "dms-created", "scheduled-in", "scheduled-out", "last-sync", "updated-at",
};

static const char * const workorder_flag_names[CW_WORKORDER_N_FLAGS] = {
  "billed", "internal", "customer-waiting", "dms-canceled",
};

static void
workorder_set (gpointer    object,
               guint       field,
               const char *value)
{
  cw_workorder_set_field (object, field, value);
}

static const char *
workorder_get (gpointer object,
               guint    field)
{
  return cw_workorder_get_field (object, field);
}

static void
test_workorder_defaults (void)
{
  CwWorkorder *workorder = cw_workorder_new ();
  CwProcess process = { CW_STATUS_CANCELED, CW_STATUS_CANCELED, CW_SHOP_LEFT, CW_CANCEL_REASON_OTHER };
  GListModel *interventions;
  gint64 mileage = 0;
  CwStatus status = CW_STATUS_CANCELED;
  gboolean read_only = TRUE, work_started = TRUE;
  g_autofree char *customer = NULL;

  g_assert_cmpint (cw_workorder_get_id (workorder), ==, 0);
  g_assert_cmpint (cw_workorder_get_revision (workorder), ==, 0);
  for (CwWorkorderField f = 0; f < CW_WORKORDER_N_FIELDS; f++)
    g_assert_null (cw_workorder_get_field (workorder, f));
  for (CwWorkorderTime t = 0; t < CW_WORKORDER_N_TIMES; t++)
    g_assert_null (cw_workorder_get_time (workorder, t));
  for (CwWorkorderFlag f = 0; f < CW_WORKORDER_N_FLAGS; f++)
    g_assert_false (cw_workorder_get_flag (workorder, f));
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, CW_MILEAGE_UNKNOWN);
  g_assert_cmpint (cw_workorder_get_status (workorder), ==, CW_STATUS_NEW_ENTRY);

  cw_workorder_get_process (workorder, &process);
  g_assert_cmpint (process.status, ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (process.resume_status, ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (process.shop, ==, CW_SHOP_NOT_ARRIVED);
  g_assert_cmpint (process.cancel_reason, ==, CW_CANCEL_REASON_NONE);

  /* Every workorder has a car, possibly empty. */
  g_assert_true (CW_IS_CAR (cw_workorder_get_car (workorder)));
  g_assert_true (cw_car_is_empty (cw_workorder_get_car (workorder)));

  for (CwPartyRole role = CW_PARTY_ROLE_DRIVER; role < CW_PARTY_N_ROLES; role++)
    g_assert_null (cw_workorder_get_party (workorder, role));

  interventions = cw_workorder_get_interventions (workorder);
  g_assert_true (G_IS_LIST_MODEL (interventions));
  g_assert_cmpuint (g_list_model_get_n_items (interventions), ==, 0);
  g_assert_true (g_list_model_get_item_type (interventions) == CW_TYPE_INTERVENTION);

  g_assert_null (cw_workorder_get_identity (workorder));
  g_assert_null (cw_workorder_dup_customer_name (workorder));
  g_assert_false (cw_workorder_is_read_only (workorder));
  g_assert_false (cw_workorder_is_work_started (workorder));

  g_object_get (workorder,
                "dms-mileage", &mileage,
                "status", &status,
                "read-only", &read_only,
                "work-started", &work_started,
                "customer-name", &customer,
                NULL);
  g_assert_cmpint (mileage, ==, CW_MILEAGE_UNKNOWN);
  g_assert_cmpint (status, ==, CW_STATUS_NEW_ENTRY);
  g_assert_false (read_only);
  g_assert_false (work_started);
  g_assert_null (customer);

  g_assert_finalize_object (workorder);
}

static void
test_workorder_names (void)
{
  g_autoptr(CwWorkorder) workorder = cw_workorder_new ();
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  for (CwWorkorderField f = 0; f < CW_WORKORDER_N_FIELDS; f++)
    {
      g_assert_cmpstr (cw_workorder_field_get_name (f), ==, workorder_field_names[f]);
      assert_property (workorder, workorder_field_names[f], G_TYPE_STRING, rw);
    }
  for (CwWorkorderTime t = 0; t < CW_WORKORDER_N_TIMES; t++)
    {
      g_assert_cmpstr (cw_workorder_time_get_name (t), ==, workorder_time_names[t]);
      assert_property (workorder, workorder_time_names[t], G_TYPE_DATE_TIME, rw);
    }
  for (CwWorkorderFlag f = 0; f < CW_WORKORDER_N_FLAGS; f++)
    {
      g_assert_cmpstr (cw_workorder_flag_get_name (f), ==, workorder_flag_names[f]);
      assert_property (workorder, workorder_flag_names[f], G_TYPE_BOOLEAN, rw);
    }

  assert_property (workorder, "id", G_TYPE_INT64, rw);
  assert_property (workorder, "revision", G_TYPE_INT64, rw);
  assert_property (workorder, "dms-mileage", G_TYPE_INT64, rw);
  assert_property (workorder, "status", CW_TYPE_STATUS, rw);
  assert_property (workorder, "resume-status", CW_TYPE_STATUS, rw);
  assert_property (workorder, "shop-state", CW_TYPE_SHOP_STATE, rw);
  assert_property (workorder, "cancel-reason", CW_TYPE_CANCEL_REASON, rw);
  assert_property (workorder, "car", CW_TYPE_CAR, rw);
  assert_property (workorder, "driver", CW_TYPE_PARTY, G_PARAM_READABLE);
  assert_property (workorder, "owner", CW_TYPE_PARTY, G_PARAM_READABLE);
  assert_property (workorder, "contractor", CW_TYPE_PARTY, G_PARAM_READABLE);
  assert_property (workorder, "interventions", G_TYPE_LIST_MODEL, G_PARAM_READABLE);
  assert_property (workorder, "customer-name", G_TYPE_STRING, G_PARAM_READABLE);
  assert_property (workorder, "read-only", G_TYPE_BOOLEAN, G_PARAM_READABLE);
  assert_property (workorder, "work-started", G_TYPE_BOOLEAN, G_PARAM_READABLE);

  g_test_expect_message ("cw-workorder", G_LOG_LEVEL_CRITICAL, "*CW_WORKORDER_N_FIELDS*");
  g_assert_null (cw_workorder_field_get_name (CW_WORKORDER_N_FIELDS));
  g_test_assert_expected_messages ();
  g_test_expect_message ("cw-workorder", G_LOG_LEVEL_CRITICAL, "*CW_WORKORDER_N_TIMES*");
  g_assert_null (cw_workorder_time_get_name (CW_WORKORDER_N_TIMES));
  g_test_assert_expected_messages ();
  g_test_expect_message ("cw-workorder", G_LOG_LEVEL_CRITICAL, "*CW_WORKORDER_N_FLAGS*");
  g_assert_null (cw_workorder_flag_get_name (CW_WORKORDER_N_FLAGS));
  g_test_assert_expected_messages ();
}

static void
test_workorder_fields (void)
{
  CwWorkorder *workorder = cw_workorder_new ();

  for (CwWorkorderField f = 0; f < CW_WORKORDER_N_FIELDS; f++)
    check_text_field (workorder, workorder_set, workorder_get, f, workorder_field_names[f],
                      "W24-0012 «x»", "W24-0012 «x»", "\r\n  ");

  g_assert_finalize_object (workorder);
}

static void
test_workorder_times (void)
{
  CwWorkorder *workorder = cw_workorder_new ();
  g_autoptr(NotifyLog) log = notify_log_new (workorder);
  g_autoptr(GDateTime) nine = make_time (2026, 3, 2, 9, 0);
  g_autoptr(GDateTime) nine_again = make_time (2026, 3, 2, 9, 0);
  g_autoptr(GDateTime) noon = make_time (2026, 3, 2, 12, 0);

  for (CwWorkorderTime t = 0; t < CW_WORKORDER_N_TIMES; t++)
    {
      g_autofree char *expected_once = g_strdup_printf ("%s=1", workorder_time_names[t]);
      g_autoptr(GDateTime) by_name = NULL;

      cw_workorder_set_time (workorder, t, NULL);
      assert_notified (log, "");

      cw_workorder_set_time (workorder, t, nine);
      assert_notified (log, expected_once);
      g_assert_true (g_date_time_equal (cw_workorder_get_time (workorder, t), nine));

      cw_workorder_set_time (workorder, t, nine_again);
      cw_workorder_set_time (workorder, t, nine);
      assert_notified (log, "");

      g_object_get (workorder, workorder_time_names[t], &by_name, NULL);
      g_assert_true (g_date_time_equal (by_name, nine));

      g_object_set (workorder, workorder_time_names[t], noon, NULL);
      assert_notified (log, expected_once);
      g_assert_true (g_date_time_equal (cw_workorder_get_time (workorder, t), noon));

      cw_workorder_set_time (workorder, t, NULL);
      assert_notified (log, expected_once);
      g_assert_null (cw_workorder_get_time (workorder, t));
    }

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (workorder);
}

static void
test_workorder_flags (void)
{
  CwWorkorder *workorder = cw_workorder_new ();
  g_autoptr(NotifyLog) log = notify_log_new (workorder);

  for (CwWorkorderFlag f = 0; f < CW_WORKORDER_N_FLAGS; f++)
    {
      /* Billed also changes read-only. */
      g_autofree char *expected_once =
        f == CW_WORKORDER_BILLED ? g_strdup ("billed=1 read-only=1")
                                 : g_strdup_printf ("%s=1", workorder_flag_names[f]);
      gboolean value = FALSE;

      cw_workorder_set_flag (workorder, f, FALSE);
      assert_notified (log, "");

      cw_workorder_set_flag (workorder, f, TRUE);
      assert_notified (log, expected_once);
      g_assert_true (cw_workorder_get_flag (workorder, f));

      cw_workorder_set_flag (workorder, f, 7);
      assert_notified (log, "");
      g_assert_cmpint (cw_workorder_get_flag (workorder, f), ==, TRUE);

      g_object_get (workorder, workorder_flag_names[f], &value, NULL);
      g_assert_true (value);

      g_object_set (workorder, workorder_flag_names[f], FALSE, NULL);
      assert_notified (log, expected_once);
      g_assert_false (cw_workorder_get_flag (workorder, f));
    }

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (workorder);
}

static void
test_workorder_numbers (void)
{
  CwWorkorder *workorder = cw_workorder_new ();
  g_autoptr(NotifyLog) log = notify_log_new (workorder);
  gint64 value = 0;

  cw_workorder_set_id (workorder, 0);
  cw_workorder_set_revision (workorder, 0);
  cw_workorder_set_dms_mileage (workorder, CW_MILEAGE_UNKNOWN);
  assert_notified (log, "");

  cw_workorder_set_id (workorder, 12);
  assert_notified (log, "id=1");
  cw_workorder_set_id (workorder, 12);
  assert_notified (log, "");
  g_object_set (workorder, "id", (gint64) 13, NULL);
  assert_notified (log, "id=1");
  g_assert_cmpint (cw_workorder_get_id (workorder), ==, 13);

  cw_workorder_set_revision (workorder, 4);
  assert_notified (log, "revision=1");
  cw_workorder_set_revision (workorder, 4);
  assert_notified (log, "");
  g_object_get (workorder, "revision", &value, NULL);
  g_assert_cmpint (value, ==, 4);

  /* 0 km is a real mileage; any negative one is unknown. */
  cw_workorder_set_dms_mileage (workorder, 0);
  assert_notified (log, "dms-mileage=1");
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, 0);
  cw_workorder_set_dms_mileage (workorder, 123456);
  assert_notified (log, "dms-mileage=1");
  cw_workorder_set_dms_mileage (workorder, 123456);
  assert_notified (log, "");
  cw_workorder_set_dms_mileage (workorder, -5);
  assert_notified (log, "dms-mileage=1");
  g_assert_cmpint (cw_workorder_get_dms_mileage (workorder), ==, CW_MILEAGE_UNKNOWN);
  cw_workorder_set_dms_mileage (workorder, G_MININT64);
  cw_workorder_set_dms_mileage (workorder, -1);
  assert_notified (log, "");
  g_object_set (workorder, "dms-mileage", (gint64) 88000, NULL);
  assert_notified (log, "dms-mileage=1");
  g_object_get (workorder, "dms-mileage", &value, NULL);
  g_assert_cmpint (value, ==, 88000);

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (workorder);
}

typedef struct
{
  const char *dms_key;
  const char *dms_number;
  const char *wo_number;
  const char *expected;
} IdentityCase;

static const IdentityCase identity_cases[] = {
  { "K-1",  "D-1",  "W-1",  "K-1" },
  { "K-1",  NULL,   "W-1",  "K-1" },
  { "K-1",  "D-1",  NULL,   "K-1" },
  { "K-1",  NULL,   NULL,   "K-1" },
  { NULL,   "D-1",  "W-1",  "D-1" },
  { NULL,   "D-1",  NULL,   "D-1" },
  { NULL,   NULL,   "W-1",  "W-1" },
  { NULL,   NULL,   NULL,   NULL },
  /* Blank is missing. */
  { "   ",  "D-1",  "W-1",  "D-1" },
  { "",     " ",    " W-1", "W-1" },
  { " ",    "",     "\t",   NULL },
};

static void
test_workorder_identity (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (identity_cases); i++)
    {
      const IdentityCase *c = &identity_cases[i];
      CwWorkorder *workorder = cw_workorder_new ();

      cw_workorder_set_field (workorder, CW_WORKORDER_DMS_KEY, c->dms_key);
      cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NUMBER, c->dms_number);
      cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, c->wo_number);
      /* Other fields play no part. */
      cw_workorder_set_field (workorder, CW_WORKORDER_CONNECTION_ID, "autoflex-1");
      cw_workorder_set_field (workorder, CW_WORKORDER_LOCATION, "Hal 2");

      g_assert_cmpstr (cw_workorder_get_identity (workorder), ==, c->expected);

      g_assert_finalize_object (workorder);
    }
}

static CwParty *
make_party (CwPartyRole  role,
            const char  *company,
            const char  *first,
            const char  *last)
{
  CwParty *party = cw_party_new (role);

  cw_party_set_field (party, CW_PARTY_COMPANY, company);
  cw_party_set_field (party, CW_PARTY_FIRST_NAME, first);
  cw_party_set_field (party, CW_PARTY_LAST_NAME, last);
  cw_party_set_field (party, CW_PARTY_PLACE, "Breda");

  return party;
}

typedef struct
{
  /* Per party: "-" for no party, "" for a party without a name, else the last name. */
  const char *contractor;
  const char *owner;
  const char *driver;
  const char *expected;
} CustomerCase;

static const CustomerCase customer_cases[] = {
  { "-",        "-",        "-",        NULL },
  { "-",        "-",        "Driver",   "Driver" },
  { "-",        "Owner",    "-",        "Owner" },
  { "Contract", "-",        "-",        "Contract" },
  { "-",        "Owner",    "Driver",   "Owner" },
  { "Contract", "Owner",    "-",        "Contract" },
  { "Contract", "-",        "Driver",   "Contract" },
  { "Contract", "Owner",    "Driver",   "Contract" },
  /* A party without a name is passed over. */
  { "",         "Owner",    "Driver",   "Owner" },
  { "",         "",         "Driver",   "Driver" },
  { "",         "",         "",         NULL },
  { "-",        "",         "-",        NULL },
};

static void
test_workorder_customer_name (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (customer_cases); i++)
    {
      const CustomerCase *c = &customer_cases[i];
      const char *names[CW_PARTY_N_ROLES] = {
        [CW_PARTY_ROLE_DRIVER]     = c->driver,
        [CW_PARTY_ROLE_OWNER]      = c->owner,
        [CW_PARTY_ROLE_CONTRACTOR] = c->contractor,
      };
      CwWorkorder *workorder = cw_workorder_new ();
      g_autofree char *name = NULL;
      g_autofree char *by_name = NULL;

      for (CwPartyRole role = CW_PARTY_ROLE_DRIVER; role < CW_PARTY_N_ROLES; role++)
        {
          g_autoptr(CwParty) party = NULL;

          if (g_str_equal (names[role], "-"))
            continue;
          party = make_party (role, NULL, NULL, *names[role] ? names[role] : NULL);
          cw_workorder_set_party (workorder, party);
        }

      name = cw_workorder_dup_customer_name (workorder);
      g_assert_cmpstr (name, ==, c->expected);
      by_name = get_string (workorder, "customer-name");
      g_assert_cmpstr (by_name, ==, c->expected);

      g_assert_finalize_object (workorder);
    }
}

static void
test_workorder_customer_name_forms (void)
{
  CwWorkorder *workorder = cw_workorder_new ();
  g_autoptr(CwParty) company = make_party (CW_PARTY_ROLE_CONTRACTOR, "Lease BV", NULL, NULL);
  g_autoptr(CwParty) person = make_party (CW_PARTY_ROLE_OWNER, "Jansen Transport", "Jan", "Jansen");
  g_autofree char *name = NULL;

  /* A party with only a company gives the company. */
  cw_workorder_set_party (workorder, company);
  name = cw_workorder_dup_customer_name (workorder);
  g_assert_cmpstr (name, ==, "Lease BV");
  g_clear_pointer (&name, g_free);

  /* Title, first and last name, in that order. */
  cw_workorder_clear_party (workorder, CW_PARTY_ROLE_CONTRACTOR);
  cw_party_set_field (person, CW_PARTY_TITLE, "Dhr.");
  cw_workorder_set_party (workorder, person);
  name = cw_workorder_dup_customer_name (workorder);
  g_assert_cmpstr (name, ==, "Dhr. Jan Jansen");

  g_assert_finalize_object (workorder);
}

static void
test_workorder_parties (void)
{
  static const char * const role_names[CW_PARTY_N_ROLES] = { "driver", "owner", "contractor" };
  CwWorkorder *workorder = cw_workorder_new ();
  g_autoptr(NotifyLog) log = notify_log_new (workorder);
  CwParty *first[CW_PARTY_N_ROLES];
  CwParty *second[CW_PARTY_N_ROLES];

  for (CwPartyRole role = CW_PARTY_ROLE_DRIVER; role < CW_PARTY_N_ROLES; role++)
    {
      /* Sorted by name, as the log reports them. */
      g_autofree char *expected =
        strcmp (role_names[role], "customer-name") < 0 ? g_strdup_printf ("%s=1 customer-name=1", role_names[role])
                                                       : g_strdup_printf ("customer-name=1 %s=1", role_names[role]);
      CwParty *by_name = NULL;

      first[role] = make_party (role, NULL, "Eerste", role_names[role]);
      second[role] = make_party (role, NULL, "Tweede", role_names[role]);
      g_object_add_weak_pointer (G_OBJECT (first[role]), (gpointer *) &first[role]);
      g_object_add_weak_pointer (G_OBJECT (second[role]), (gpointer *) &second[role]);

      cw_workorder_clear_party (workorder, role);
      assert_notified (log, "");

      cw_workorder_set_party (workorder, first[role]);
      assert_notified (log, expected);
      g_assert_true (cw_workorder_get_party (workorder, role) == first[role]);

      /* The same party again is no change. */
      cw_workorder_set_party (workorder, first[role]);
      assert_notified (log, "");

      g_object_get (workorder, role_names[role], &by_name, NULL);
      g_assert_true (by_name == first[role]);
      g_object_unref (by_name);

      /* Another party of the role takes its place. */
      cw_workorder_set_party (workorder, second[role]);
      assert_notified (log, expected);
      g_assert_true (cw_workorder_get_party (workorder, role) == second[role]);

      /* The workorder holds its own reference. */
      g_object_unref (first[role]);
      g_assert_null (first[role]);
      g_object_unref (second[role]);
      g_assert_nonnull (second[role]);
    }

  /* Each role has its own slot. */
  for (CwPartyRole role = CW_PARTY_ROLE_DRIVER; role < CW_PARTY_N_ROLES; role++)
    {
      g_assert_true (cw_workorder_get_party (workorder, role) == second[role]);
      g_assert_cmpint (cw_party_get_role (cw_workorder_get_party (workorder, role)), ==, role);
    }

  /* The contractor still gives the customer name, so only the owner notifies. */
  cw_workorder_clear_party (workorder, CW_PARTY_ROLE_OWNER);
  assert_notified (log, "owner=1");
  g_assert_null (cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER));
  g_assert_null (second[CW_PARTY_ROLE_OWNER]);
  cw_workorder_clear_party (workorder, CW_PARTY_ROLE_OWNER);
  assert_notified (log, "");
  g_assert_nonnull (cw_workorder_get_party (workorder, CW_PARTY_ROLE_DRIVER));

  /* Finalizing the workorder releases the parties it holds. */
  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (workorder);
  g_assert_null (second[CW_PARTY_ROLE_DRIVER]);
  g_assert_null (second[CW_PARTY_ROLE_CONTRACTOR]);
}

static void
test_workorder_read_only (void)
{
  for (CwStatus status = CW_STATUS_NEW_ENTRY; status <= CW_STATUS_CANCELED; status++)
    for (guint billed = 0; billed <= 1; billed++)
      {
        CwWorkorder *workorder = cw_workorder_new ();
        CwProcess process = { status, status, CW_SHOP_IN, CW_CANCEL_REASON_NONE };
        gboolean expected = billed || status == CW_STATUS_CANCELED;
        gboolean by_name = !expected;

        cw_workorder_set_process (workorder, &process);
        cw_workorder_set_flag (workorder, CW_WORKORDER_BILLED, billed);
        g_assert_cmpint (cw_workorder_is_read_only (workorder), ==, expected);
        g_object_get (workorder, "read-only", &by_name, NULL);
        g_assert_cmpint (by_name, ==, expected);

        g_assert_finalize_object (workorder);
      }
}

static void
test_workorder_work_started (void)
{
  static const gboolean expected[] = {
    [CW_STATUS_NEW_ENTRY]         = FALSE,
    [CW_STATUS_CAR_IN_SHOP]       = FALSE,
    [CW_STATUS_CHECK_STARTED]     = TRUE,
    [CW_STATUS_CHECK_READY]       = TRUE,
    [CW_STATUS_CALCULATING]       = TRUE,
    [CW_STATUS_PROPOSAL_OK]       = TRUE,
    [CW_STATUS_CONTACT_CUSTOMER]  = TRUE,
    [CW_STATUS_CUSTOMER_ANSWERED] = TRUE,
    [CW_STATUS_CUSTOMER_OK]       = TRUE,
    [CW_STATUS_CAR_READY]         = TRUE,
    [CW_STATUS_BACKORDER]         = TRUE,
    [CW_STATUS_CANCELED]          = FALSE,
  };
  CwWorkorder *workorder = cw_workorder_new ();

  for (CwStatus status = CW_STATUS_NEW_ENTRY; status <= CW_STATUS_CANCELED; status++)
    {
      gboolean by_name = !expected[status];

      g_object_set (workorder, "status", status, NULL);
      g_assert_cmpint (cw_workorder_get_status (workorder), ==, status);
      g_assert_cmpint (cw_workorder_is_work_started (workorder), ==, expected[status]);
      g_object_get (workorder, "work-started", &by_name, NULL);
      g_assert_cmpint (by_name, ==, expected[status]);
    }

  g_assert_finalize_object (workorder);
}

static void
test_workorder_process (void)
{
  CwWorkorder *workorder = cw_workorder_new ();
  g_autoptr(NotifyLog) log = notify_log_new (workorder);
  CwProcess process = CW_PROCESS_INIT;
  CwProcess read_back;
  CwStatus resume = CW_STATUS_NEW_ENTRY;
  CwShopState shop = CW_SHOP_NOT_ARRIVED;
  CwCancelReason reason = CW_CANCEL_REASON_NONE;

  /* The same state is no change. */
  cw_workorder_set_process (workorder, &process);
  assert_notified (log, "");

  /* One member at a time: only that one notifies. */
  process.shop = CW_SHOP_IN;
  cw_workorder_set_process (workorder, &process);
  assert_notified (log, "shop-state=1");

  process.resume_status = CW_STATUS_CAR_IN_SHOP;
  cw_workorder_set_process (workorder, &process);
  assert_notified (log, "resume-status=1");

  process.cancel_reason = CW_CANCEL_REASON_DEALER;
  cw_workorder_set_process (workorder, &process);
  assert_notified (log, "cancel-reason=1");
  process.cancel_reason = CW_CANCEL_REASON_NONE;
  cw_workorder_set_process (workorder, &process);
  assert_notified (log, "cancel-reason=1");

  /* A status change that starts work also changes work-started. */
  process.status = CW_STATUS_CHECK_STARTED;
  cw_workorder_set_process (workorder, &process);
  g_assert_cmpuint (notify_log_count (log, "status"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "work-started"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "resume-status"), ==, 0);
  g_assert_cmpuint (notify_log_count (log, "shop-state"), ==, 0);
  g_assert_cmpuint (notify_log_count (log, "cancel-reason"), ==, 0);
  g_free (notify_log_take (log));

  /* All four members at once: each notifies once. */
  process = (CwProcess) { CW_STATUS_CANCELED, CW_STATUS_NEW_ENTRY, CW_SHOP_LEFT, CW_CANCEL_REASON_OTHER };
  cw_workorder_set_process (workorder, &process);
  assert_notified (log, "cancel-reason=1 read-only=1 resume-status=1 shop-state=1 status=1 work-started=1");

  cw_workorder_get_process (workorder, &read_back);
  g_assert_cmpint (read_back.status, ==, CW_STATUS_CANCELED);
  g_assert_cmpint (read_back.resume_status, ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (read_back.shop, ==, CW_SHOP_LEFT);
  g_assert_cmpint (read_back.cancel_reason, ==, CW_CANCEL_REASON_OTHER);
  g_assert_true (cw_workorder_is_read_only (workorder));

  /* The rules are not applied here: a stored state is taken as it is. */
  process = (CwProcess) { CW_STATUS_CHECK_READY, CW_STATUS_CHECK_READY, CW_SHOP_NOT_ARRIVED, CW_CANCEL_REASON_NONE };
  cw_workorder_set_process (workorder, &process);
  g_assert_cmpint (cw_workorder_get_status (workorder), ==, CW_STATUS_CHECK_READY);
  g_free (notify_log_take (log));

  /* Each member is a property of its own. */
  g_object_set (workorder, "shop-state", CW_SHOP_IN, NULL);
  assert_notified (log, "shop-state=1");
  g_object_set (workorder, "resume-status", CW_STATUS_CALCULATING, NULL);
  assert_notified (log, "resume-status=1");
  g_object_set (workorder, "cancel-reason", CW_CANCEL_REASON_NO_SHOW, NULL);
  assert_notified (log, "cancel-reason=1");
  g_object_set (workorder, "shop-state", CW_SHOP_IN, "resume-status", CW_STATUS_CALCULATING, NULL);
  assert_notified (log, "");

  g_object_get (workorder,
                "resume-status", &resume,
                "shop-state", &shop,
                "cancel-reason", &reason,
                NULL);
  g_assert_cmpint (resume, ==, CW_STATUS_CALCULATING);
  g_assert_cmpint (shop, ==, CW_SHOP_IN);
  g_assert_cmpint (reason, ==, CW_CANCEL_REASON_NO_SHOW);

  /* A rule applied to the workorder's process, then stored back. */
  cw_workorder_get_process (workorder, &process);
  g_assert_true (cw_process_advance (&process, CW_STATUS_CUSTOMER_OK, NULL));
  cw_workorder_set_process (workorder, &process);
  g_assert_cmpuint (notify_log_count (log, "status"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "resume-status"), ==, 1);
  g_assert_cmpuint (notify_log_count (log, "shop-state"), ==, 0);
  g_assert_cmpuint (notify_log_count (log, "cancel-reason"), ==, 0);
  g_free (notify_log_take (log));

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (workorder);
}

static void
test_workorder_car (void)
{
  CwWorkorder *workorder = cw_workorder_new ();
  g_autoptr(NotifyLog) log = notify_log_new (workorder);
  CwCar *car = cw_car_new ();
  CwCar *original = cw_workorder_get_car (workorder);
  CwCar *by_name = NULL;

  g_object_add_weak_pointer (G_OBJECT (original), (gpointer *) &original);
  g_object_add_weak_pointer (G_OBJECT (car), (gpointer *) &car);
  cw_car_set_field (car, CW_CAR_PLATE, "ab-123-c");

  cw_workorder_set_car (workorder, car);
  assert_notified (log, "car=1");
  g_assert_true (cw_workorder_get_car (workorder) == car);
  g_assert_null (original);

  cw_workorder_set_car (workorder, car);
  assert_notified (log, "");

  g_object_get (workorder, "car", &by_name, NULL);
  g_assert_true (by_name == car);
  g_object_unref (by_name);

  /* The workorder holds its own reference. */
  g_object_unref (car);
  g_assert_nonnull (car);
  g_assert_cmpstr (cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_PLATE), ==, "AB123C");

  /* NULL means an empty car, never no car. */
  cw_workorder_set_car (workorder, NULL);
  assert_notified (log, "car=1");
  g_assert_null (car);
  g_assert_true (CW_IS_CAR (cw_workorder_get_car (workorder)));
  g_assert_true (cw_car_is_empty (cw_workorder_get_car (workorder)));

  g_object_set (workorder, "car", NULL, NULL);
  assert_notified (log, "car=1");
  g_assert_true (CW_IS_CAR (cw_workorder_get_car (workorder)));

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (workorder);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  GString *changes = user_data;

  g_string_append_printf (changes, "%s%u-%u+%u", changes->len ? " " : "", position, removed, added);
}

static void
test_workorder_interventions (void)
{
  CwWorkorder *workorder = cw_workorder_new ();
  GListModel *model = cw_workorder_get_interventions (workorder);
  g_autoptr(GString) changes = g_string_new (NULL);
  CwIntervention *lines[3];
  GListModel *by_name = NULL;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), changes);

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autofree char *title = g_strdup_printf ("Regel %u", i + 1);

      lines[i] = cw_intervention_new (i < 2 ? CW_INTERVENTION_SOURCE_DMS : CW_INTERVENTION_SOURCE_LOCAL);
      cw_intervention_set_title (lines[i], title);
      g_object_add_weak_pointer (G_OBJECT (lines[i]), (gpointer *) &lines[i]);
      cw_workorder_append_intervention (workorder, lines[i]);
      g_object_unref (lines[i]);
      g_assert_nonnull (lines[i]);
    }

  g_assert_cmpstr (changes->str, ==, "0-0+1 1-0+1 2-0+1");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(CwIntervention) item = g_list_model_get_item (model, i);
      g_autofree char *title = g_strdup_printf ("Regel %u", i + 1);

      g_assert_true (item == lines[i]);
      g_assert_cmpstr (cw_intervention_get_title (item), ==, title);
    }

  /* The property is the same model. */
  g_object_get (workorder, "interventions", &by_name, NULL);
  g_assert_true (by_name == model);
  g_object_unref (by_name);

  g_string_truncate (changes, 0);
  cw_workorder_clear_interventions (workorder);
  g_assert_cmpstr (changes->str, ==, "0-3+0");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_assert_null (lines[i]);
  g_assert_true (cw_workorder_get_interventions (workorder) == model);

  g_signal_handlers_disconnect_by_func (model, on_items_changed, changes);
  g_assert_finalize_object (workorder);
}

static void
test_workorder_finalize (void)
{
  /* A full workorder leaves nothing behind: no reference cycles between its parts. */
  CwWorkorder *workorder = cw_workorder_new ();
  CwCar *car = cw_workorder_get_car (workorder);
  GListModel *model = cw_workorder_get_interventions (workorder);
  CwParty *party = make_party (CW_PARTY_ROLE_DRIVER, NULL, "Jan", "Jansen");
  CwIntervention *line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(GDateTime) now = make_time (2026, 6, 1, 8, 0);

  g_object_add_weak_pointer (G_OBJECT (car), (gpointer *) &car);
  g_object_add_weak_pointer (G_OBJECT (model), (gpointer *) &model);
  g_object_add_weak_pointer (G_OBJECT (party), (gpointer *) &party);
  g_object_add_weak_pointer (G_OBJECT (line), (gpointer *) &line);

  cw_workorder_set_party (workorder, party);
  g_object_unref (party);
  cw_workorder_append_intervention (workorder, line);
  g_object_unref (line);
  cw_workorder_set_field (workorder, CW_WORKORDER_WO_NUMBER, "W24-0012");
  cw_workorder_set_time (workorder, CW_WORKORDER_APPOINTMENT, now);
  cw_car_set_field (car, CW_CAR_MAKE, "Volvo");

  g_assert_finalize_object (workorder);
  g_assert_null (car);
  g_assert_null (model);
  g_assert_null (party);
  g_assert_null (line);
}

/* ---------------------------------------------------------------------------------------
 * CwWorkorderSummary
 */

static CwWorkorderSummary *
make_summary (gint64 id)
{
  return g_object_new (CW_TYPE_WORKORDER_SUMMARY, "id", id, NULL);
}

static void
test_summary_defaults (void)
{
  CwWorkorderSummary *summary = make_summary (7);
  g_autofree char *model = NULL;
  g_autofree char *updated_by = NULL;

  g_assert_cmpint (cw_workorder_summary_get_id (summary), ==, 7);
  g_assert_cmpint (cw_workorder_summary_get_revision (summary), ==, 0);
  g_assert_null (cw_workorder_summary_get_connection_id (summary));
  g_assert_null (cw_workorder_summary_get_wo_number (summary));
  g_assert_null (cw_workorder_summary_get_dms_number (summary));
  g_assert_null (cw_workorder_summary_get_plate (summary));
  g_assert_null (cw_workorder_summary_get_plate_display (summary));
  g_assert_null (cw_workorder_summary_get_customer (summary));
  g_assert_null (cw_workorder_summary_get_make (summary));
  g_assert_null (cw_workorder_summary_get_make_model (summary));
  g_assert_null (cw_workorder_summary_get_appointment (summary));
  g_assert_null (cw_workorder_summary_get_updated_at (summary));
  g_assert_cmpint (cw_workorder_summary_get_status (summary), ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (cw_workorder_summary_get_shop_state (summary), ==, CW_SHOP_NOT_ARRIVED);
  g_assert_false (cw_workorder_summary_get_billed (summary));

  g_object_get (summary, "model", &model, "updated-by", &updated_by, NULL);
  g_assert_null (model);
  g_assert_null (updated_by);

  assert_property (summary, "id", G_TYPE_INT64, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY);
  assert_property (summary, "plate-display", G_TYPE_STRING, G_PARAM_READABLE);
  assert_property (summary, "make-model", G_TYPE_STRING, G_PARAM_READABLE);

  g_assert_finalize_object (summary);
}

static void
test_summary_derived (void)
{
  CwWorkorderSummary *summary = make_summary (1);
  g_autoptr(NotifyLog) log = notify_log_new (summary);

  g_object_set (summary, "plate", "AB123C", NULL);
  assert_notified (log, "plate=1 plate-display=1");
  g_assert_cmpstr (cw_workorder_summary_get_plate (summary), ==, "AB123C");
  g_assert_cmpstr (cw_workorder_summary_get_plate_display (summary), ==, "AB-123-C");

  g_object_set (summary, "plate", "AB123C", NULL);
  assert_notified (log, "");

  /* A plate spelled otherwise with the same display only changes the plate. */
  g_object_set (summary, "plate", "ab-123-c", NULL);
  assert_notified (log, "plate=1");
  g_assert_cmpstr (cw_workorder_summary_get_plate_display (summary), ==, "AB-123-C");

  g_object_set (summary, "plate", "onbekend (zie notities)", NULL);
  assert_notified (log, "plate=1 plate-display=1");
  g_assert_cmpstr (cw_workorder_summary_get_plate_display (summary), ==, "onbekend (zie notities)");

  g_object_set (summary, "plate", "  ", NULL);
  assert_notified (log, "plate=1 plate-display=1");
  g_assert_null (cw_workorder_summary_get_plate_display (summary));

  g_object_set (summary, "make", "Volkswagen", NULL);
  assert_notified (log, "make=1 make-model=1");
  g_assert_cmpstr (cw_workorder_summary_get_make_model (summary), ==, "Volkswagen");
  g_object_set (summary, "model", "Golf", NULL);
  assert_notified (log, "make-model=1 model=1");
  g_assert_cmpstr (cw_workorder_summary_get_make_model (summary), ==, "Volkswagen Golf");
  g_object_set (summary, "make", NULL, NULL);
  assert_notified (log, "make=1 make-model=1");
  g_assert_cmpstr (cw_workorder_summary_get_make_model (summary), ==, "Golf");
  g_object_set (summary, "model", "", NULL);
  assert_notified (log, "make-model=1 model=1");
  g_assert_null (cw_workorder_summary_get_make_model (summary));

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (summary);
}

static void
test_summary_update_from (void)
{
  g_autoptr(GDateTime) nine = make_time (2026, 3, 2, 9, 0);
  g_autoptr(GDateTime) nine_again = make_time (2026, 3, 2, 9, 0);
  g_autoptr(GDateTime) ten = make_time (2026, 3, 2, 10, 0);
  CwWorkorderSummary *row = g_object_new (CW_TYPE_WORKORDER_SUMMARY,
                                          "id", (gint64) 42,
                                          "revision", (gint64) 3,
                                          "connection-id", "autoflex",
                                          "wo-number", "W24-0012",
                                          "dms-number", "D-1",
                                          "plate", "AB123C",
                                          "customer", "Jan Jansen",
                                          "make", "Volkswagen",
                                          "model", "Golf",
                                          "updated-by", "anna",
                                          "appointment", nine,
                                          "updated-at", nine,
                                          "status", CW_STATUS_CAR_IN_SHOP,
                                          "shop-state", CW_SHOP_IN,
                                          "billed", FALSE,
                                          NULL);
  CwWorkorderSummary *fresh = g_object_new (CW_TYPE_WORKORDER_SUMMARY,
                                            "id", (gint64) 42,
                                            "revision", (gint64) 4,
                                            "connection-id", "autoflex",
                                            "wo-number", "W24-0012",
                                            "dms-number", "D-1",
                                            "plate", "XX9999",
                                            "customer", "Jan Jansen",
                                            "make", "Volkswagen",
                                            "model", "Polo",
                                            "updated-by", "piet",
                                            "appointment", nine_again,
                                            "updated-at", ten,
                                            "status", CW_STATUS_CHECK_STARTED,
                                            "shop-state", CW_SHOP_IN,
                                            "billed", TRUE,
                                            NULL);
  CwWorkorderSummary *other_row = make_summary (43);
  g_autoptr(NotifyLog) log = notify_log_new (row);
  g_autofree char *model = NULL;
  g_autofree char *updated_by = NULL;

  cw_workorder_summary_update_from (row, fresh);

  /* Only what differs notifies, each once, and never the id. */
  assert_notified (log, "billed=1 make-model=1 model=1 plate=1 plate-display=1 revision=1 "
                        "status=1 updated-at=1 updated-by=1");

  g_assert_cmpint (cw_workorder_summary_get_id (row), ==, 42);
  g_assert_cmpint (cw_workorder_summary_get_revision (row), ==, 4);
  g_assert_cmpstr (cw_workorder_summary_get_connection_id (row), ==, "autoflex");
  g_assert_cmpstr (cw_workorder_summary_get_wo_number (row), ==, "W24-0012");
  g_assert_cmpstr (cw_workorder_summary_get_dms_number (row), ==, "D-1");
  g_assert_cmpstr (cw_workorder_summary_get_plate (row), ==, "XX9999");
  g_assert_cmpstr (cw_workorder_summary_get_plate_display (row), ==, "XX-99-99");
  g_assert_cmpstr (cw_workorder_summary_get_customer (row), ==, "Jan Jansen");
  g_assert_cmpstr (cw_workorder_summary_get_make (row), ==, "Volkswagen");
  g_assert_cmpstr (cw_workorder_summary_get_make_model (row), ==, "Volkswagen Polo");
  g_assert_true (g_date_time_equal (cw_workorder_summary_get_appointment (row), nine));
  g_assert_true (g_date_time_equal (cw_workorder_summary_get_updated_at (row), ten));
  g_assert_cmpint (cw_workorder_summary_get_status (row), ==, CW_STATUS_CHECK_STARTED);
  g_assert_cmpint (cw_workorder_summary_get_shop_state (row), ==, CW_SHOP_IN);
  g_assert_true (cw_workorder_summary_get_billed (row));
  g_object_get (row, "model", &model, "updated-by", &updated_by, NULL);
  g_assert_cmpstr (model, ==, "Polo");
  g_assert_cmpstr (updated_by, ==, "piet");

  /* A second time, nothing differs. */
  cw_workorder_summary_update_from (row, fresh);
  assert_notified (log, "");

  /* Values that became unknown are cleared. */
  g_object_set (fresh, "customer", NULL, "appointment", NULL, NULL);
  cw_workorder_summary_update_from (row, fresh);
  assert_notified (log, "appointment=1 customer=1");
  g_assert_null (cw_workorder_summary_get_customer (row));
  g_assert_null (cw_workorder_summary_get_appointment (row));

  /* Another workorder's summary is refused. */
  g_test_expect_message ("cw-workorder-summary", G_LOG_LEVEL_CRITICAL, "*self->id == other->id*");
  cw_workorder_summary_update_from (row, other_row);
  g_test_assert_expected_messages ();
  assert_notified (log, "");
  g_assert_cmpint (cw_workorder_summary_get_id (row), ==, 42);
  g_assert_cmpstr (cw_workorder_summary_get_plate (row), ==, "XX9999");

  /* The fresh summary is untouched by the copy. */
  g_assert_cmpint (cw_workorder_summary_get_revision (fresh), ==, 4);

  g_clear_pointer (&log, notify_log_free);
  g_assert_finalize_object (row);
  g_assert_finalize_object (fresh);
  g_assert_finalize_object (other_row);
}

/* ---------------------------------------------------------------------------------------
 * CwTimelineEvent
 */

static void
test_timeline_event_new (void)
{
  g_autoptr(GDateTime) at = make_time (2026, 3, 2, 9, 15);
  CwTimelineEvent *event = cw_timeline_event_new (CW_EVENT_CAR_IN, at, "  anna ");
  CwTimelineEvent *anonymous;
  GDateTime *at_prop = NULL;

  g_assert_cmpint (cw_timeline_event_get_id (event), ==, 0);
  g_assert_cmpint (cw_timeline_event_get_kind (event), ==, CW_EVENT_CAR_IN);
  g_assert_true (g_date_time_equal (cw_timeline_event_get_at (event), at));
  g_assert_cmpstr (cw_timeline_event_get_actor (event), ==, "anna");
  g_assert_cmpint (cw_timeline_event_get_status_from (event), ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (cw_timeline_event_get_status_to (event), ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (cw_timeline_event_get_cancel_reason (event), ==, CW_CANCEL_REASON_NONE);
  g_assert_null (cw_timeline_event_get_detail (event));

  g_object_get (event, "at", &at_prop, NULL);
  g_assert_true (g_date_time_equal (at_prop, at));
  g_date_time_unref (at_prop);

  /* The app itself has no name; blank is the same. */
  anonymous = cw_timeline_event_new (CW_EVENT_IMPORTED, at, "   ");
  g_assert_null (cw_timeline_event_get_actor (anonymous));
  g_assert_finalize_object (anonymous);
  anonymous = cw_timeline_event_new (CW_EVENT_IMPORTED, at, NULL);
  g_assert_null (cw_timeline_event_get_actor (anonymous));
  g_assert_finalize_object (anonymous);

  /* Every property is set once, at construction. */
  for (guint i = 0; i < 8; i++)
    {
      static const char * const names[] = {
        "id", "kind", "at", "actor", "status-from", "status-to", "cancel-reason", "detail",
      };
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (event), names[i]);

      g_assert_nonnull (pspec);
      g_assert_true (pspec->flags & G_PARAM_CONSTRUCT_ONLY);
    }
  assert_property (event, "description", G_TYPE_STRING, G_PARAM_READABLE);

  g_test_expect_message ("cw-timeline-event", G_LOG_LEVEL_CRITICAL, "*at != NULL*");
  g_assert_null (cw_timeline_event_new (CW_EVENT_CAR_IN, NULL, NULL));
  g_test_assert_expected_messages ();

  g_assert_finalize_object (event);
}

typedef struct
{
  CwEventKind     kind;
  CwStatus        from;
  CwStatus        to;
  CwCancelReason  reason;
  const char     *detail;
  const char     *expected;
} DescriptionCase;

static const DescriptionCase description_cases[] = {
  { CW_EVENT_STATUS_CHANGED, CW_STATUS_CHECK_READY, CW_STATUS_CALCULATING, CW_CANCEL_REASON_NONE, NULL,
    "Check ready → Calculating" },
  { CW_EVENT_STATUS_CHANGED, CW_STATUS_NEW_ENTRY, CW_STATUS_CAR_IN_SHOP, CW_CANCEL_REASON_NONE, NULL,
    "New entry → Car in shop" },
  { CW_EVENT_STATUS_CHANGED, CW_STATUS_CALCULATING, CW_STATUS_BACKORDER, CW_CANCEL_REASON_NONE, NULL,
    "Calculating → Backorder" },
  { CW_EVENT_STATUS_CHANGED, CW_STATUS_BACKORDER, CW_STATUS_CAR_READY, CW_CANCEL_REASON_NONE, NULL,
    "Backorder → Car ready" },
  { CW_EVENT_CAR_IN, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Car in the shop" },
  { CW_EVENT_CAR_OUT, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Car left the shop" },
  { CW_EVENT_CANCELED, CW_STATUS_NEW_ENTRY, CW_STATUS_CANCELED, CW_CANCEL_REASON_NONE, NULL,
    "Canceled" },
  { CW_EVENT_CANCELED, CW_STATUS_NEW_ENTRY, CW_STATUS_CANCELED, CW_CANCEL_REASON_NO_SHOW, NULL,
    "Canceled: Customer no-show" },
  { CW_EVENT_CANCELED, CW_STATUS_CAR_IN_SHOP, CW_STATUS_CANCELED, CW_CANCEL_REASON_CUSTOMER, NULL,
    "Canceled: Customer cancelation" },
  /* The detail is only the reason for "Other". */
  { CW_EVENT_CANCELED, CW_STATUS_NEW_ENTRY, CW_STATUS_CANCELED, CW_CANCEL_REASON_DEALER, "ignored",
    "Canceled: Dealer cancelation" },
  { CW_EVENT_CANCELED, CW_STATUS_NEW_ENTRY, CW_STATUS_CANCELED, CW_CANCEL_REASON_OTHER, " Klant belde af ",
    "Canceled: Klant belde af" },
  { CW_EVENT_CANCELED, CW_STATUS_NEW_ENTRY, CW_STATUS_CANCELED, CW_CANCEL_REASON_OTHER, NULL,
    "Canceled: Other" },
  { CW_EVENT_CANCELED, CW_STATUS_NEW_ENTRY, CW_STATUS_CANCELED, CW_CANCEL_REASON_OTHER, "   ",
    "Canceled: Other" },
  { CW_EVENT_IMPORTED, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Imported from the DMS" },
  { CW_EVENT_REFRESHED, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Refreshed from the DMS" },
  { CW_EVENT_SYNC_FAILED, 0, 0, CW_CANCEL_REASON_NONE, "Connection timed out",
    "DMS sync failed: Connection timed out" },
  { CW_EVENT_SYNC_FAILED, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "DMS sync failed" },
  { CW_EVENT_SYNC_FAILED, 0, 0, CW_CANCEL_REASON_NONE, "",
    "DMS sync failed" },
  { CW_EVENT_REFRESH_SKIPPED, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Not refreshed from the DMS: work has started" },
  { CW_EVENT_INTERVENTION_ADDED, 0, 0, CW_CANCEL_REASON_NONE, "Ruitenwisserbladen",
    "Intervention added: Ruitenwisserbladen" },
  { CW_EVENT_INTERVENTION_CHANGED, 0, 0, CW_CANCEL_REASON_NONE, "Ruitenwisserbladen voor",
    "Intervention changed: Ruitenwisserbladen voor" },
  { CW_EVENT_INTERVENTION_REMOVED, 0, 0, CW_CANCEL_REASON_NONE, "Ruitenwisserbladen voor",
    "Intervention removed: Ruitenwisserbladen voor" },
  { CW_EVENT_INTERVENTION_REMOVED, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Intervention removed" },
  { CW_EVENT_MILEAGE_RECORDED, 0, 0, CW_CANCEL_REASON_NONE, "123456",
    "Mileage recorded: 123,456 km" },
  { CW_EVENT_MILEAGE_RECORDED, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Mileage recorded" },
  { CW_EVENT_WRITTEN_BACK, 0, 0, CW_CANCEL_REASON_NONE, "Intervention “Remtest”",
    "Written to the DMS: Intervention “Remtest”" },
  { CW_EVENT_WRITTEN_BACK, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Written to the DMS" },
  { CW_EVENT_WRITEBACK_FAILED, 0, 0, CW_CANCEL_REASON_NONE, "Mileage 80,000 km",
    "Not written to the DMS: Mileage 80,000 km" },
  { CW_EVENT_WRITEBACK_FAILED, 0, 0, CW_CANCEL_REASON_NONE, NULL,
    "Not written to the DMS" },
};

static void
test_timeline_event_description (void)
{
  g_autoptr(GDateTime) at = make_time (2026, 3, 2, 9, 15);
  g_autoptr(GEnumClass) kinds = g_type_class_ref (CW_TYPE_EVENT_KIND);

  /* Every kind has at least one case. */
  for (guint k = 0; k < kinds->n_values; k++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (description_cases); i++)
        found |= (int) description_cases[i].kind == kinds->values[k].value;
      g_assert_true (found);
    }

  for (guint i = 0; i < G_N_ELEMENTS (description_cases); i++)
    {
      const DescriptionCase *c = &description_cases[i];
      CwTimelineEvent *event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                                             "id", (gint64) (i + 1),
                                             "kind", c->kind,
                                             "at", at,
                                             "actor", "anna",
                                             "status-from", c->from,
                                             "status-to", c->to,
                                             "cancel-reason", c->reason,
                                             "detail", c->detail,
                                             NULL);
      g_autofree char *description = cw_timeline_event_dup_description (event);
      g_autofree char *by_name = get_string (event, "description");

      g_assert_cmpint (cw_timeline_event_get_id (event), ==, i + 1);
      g_assert_cmpint (cw_timeline_event_get_status_from (event), ==, c->from);
      g_assert_cmpint (cw_timeline_event_get_status_to (event), ==, c->to);
      g_assert_cmpint (cw_timeline_event_get_cancel_reason (event), ==, c->reason);
      g_assert_cmpstr (description, ==, c->expected);
      g_assert_cmpstr (by_name, ==, c->expected);

      g_assert_finalize_object (event);
    }

  /* Every status change reads "from → to" with the two labels. */
  for (CwStatus from = CW_STATUS_NEW_ENTRY; from <= CW_STATUS_CANCELED; from++)
    for (CwStatus to = CW_STATUS_NEW_ENTRY; to <= CW_STATUS_CANCELED; to++)
      {
        CwTimelineEvent *event = g_object_new (CW_TYPE_TIMELINE_EVENT,
                                               "kind", CW_EVENT_STATUS_CHANGED,
                                               "at", at,
                                               "status-from", from,
                                               "status-to", to,
                                               NULL);
        g_autofree char *description = cw_timeline_event_dup_description (event);
        g_autofree char *expected = g_strdup_printf ("%s → %s", cw_status_get_label (from),
                                                     cw_status_get_label (to));

        g_assert_cmpstr (description, ==, expected);
        g_assert_finalize_object (event);
      }
}

int
main (int   argc,
      char *argv[])
{
  /* Descriptions and labels are checked in English: no translation may apply. */
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "C.UTF-8", TRUE);

  g_test_init (&argc, &argv, NULL);


  g_test_add_func ("/domain/util/set-text", test_util_set_text);
  g_test_add_func ("/domain/util/set-date-time", test_util_set_date_time);
  g_test_add_func ("/domain/util/set-date", test_util_set_date);
  g_test_add_func ("/domain/util/date-equal", test_util_date_equal);
  g_test_add_func ("/domain/util/date-from-iso", test_util_date_from_iso);
  g_test_add_func ("/domain/util/date-from-iso-malformed", test_util_date_from_iso_malformed);
  g_test_add_func ("/domain/util/date-to-iso", test_util_date_to_iso);
  g_test_add_func ("/domain/util/enum-nicks", test_util_enum_nicks);

  g_test_add_func ("/domain/party/defaults", test_party_defaults);
  g_test_add_func ("/domain/party/field-names", test_party_field_names);
  g_test_add_func ("/domain/party/fields", test_party_fields);
  g_test_add_func ("/domain/party/lease-company", test_party_lease_company);
  g_test_add_func ("/domain/party/display-name", test_party_display_name);
  g_test_add_func ("/domain/party/copy", test_party_copy);
  g_test_add_func ("/domain/party/role-labels", test_party_role_labels);

  g_test_add_func ("/domain/car/defaults", test_car_defaults);
  g_test_add_func ("/domain/car/names", test_car_names);
  g_test_add_func ("/domain/car/fields", test_car_fields);
  g_test_add_func ("/domain/car/plate", test_car_plate);
  g_test_add_func ("/domain/car/plate-padded", test_car_plate_padded);
  g_test_add_func ("/domain/car/plate-notify", test_car_plate_notify);
  g_test_add_func ("/domain/car/make-model", test_car_make_model);
  g_test_add_func ("/domain/car/dates", test_car_dates);
  g_test_add_func ("/domain/car/copy", test_car_copy);

  g_test_add_func ("/domain/intervention/defaults", test_intervention_defaults);
  g_test_add_func ("/domain/intervention/properties", test_intervention_properties);
  g_test_add_func ("/domain/intervention/setters", test_intervention_setters);
  g_test_add_func ("/domain/intervention/price", test_intervention_price);
  g_test_add_func ("/domain/intervention/currency", test_intervention_currency);
  g_test_add_func ("/domain/intervention/currency-invalid", test_intervention_currency_invalid);
  g_test_add_func ("/domain/intervention/part-codes", test_intervention_part_codes);
  g_test_add_func ("/domain/intervention/copy", test_intervention_copy);

  g_test_add_func ("/domain/workorder/defaults", test_workorder_defaults);
  g_test_add_func ("/domain/workorder/names", test_workorder_names);
  g_test_add_func ("/domain/workorder/fields", test_workorder_fields);
  g_test_add_func ("/domain/workorder/times", test_workorder_times);
  g_test_add_func ("/domain/workorder/flags", test_workorder_flags);
  g_test_add_func ("/domain/workorder/numbers", test_workorder_numbers);
  g_test_add_func ("/domain/workorder/identity", test_workorder_identity);
  g_test_add_func ("/domain/workorder/customer-name", test_workorder_customer_name);
  g_test_add_func ("/domain/workorder/customer-name-forms", test_workorder_customer_name_forms);
  g_test_add_func ("/domain/workorder/parties", test_workorder_parties);
  g_test_add_func ("/domain/workorder/read-only", test_workorder_read_only);
  g_test_add_func ("/domain/workorder/work-started", test_workorder_work_started);
  g_test_add_func ("/domain/workorder/process", test_workorder_process);
  g_test_add_func ("/domain/workorder/car", test_workorder_car);
  g_test_add_func ("/domain/workorder/interventions", test_workorder_interventions);
  g_test_add_func ("/domain/workorder/finalize", test_workorder_finalize);

  g_test_add_func ("/domain/summary/defaults", test_summary_defaults);
  g_test_add_func ("/domain/summary/derived", test_summary_derived);
  g_test_add_func ("/domain/summary/update-from", test_summary_update_from);

  g_test_add_func ("/domain/timeline-event/new", test_timeline_event_new);
  g_test_add_func ("/domain/timeline-event/description", test_timeline_event_description);

  return g_test_run ();
}
