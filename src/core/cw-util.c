/* cw-util.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-util"

#include "config.h"

#include <string.h>

#include "cw-text.h"
#include "cw-util.h"

/**
 * cw_set_text:
 * @field: the string field to set
 * @value: (nullable): the new value
 *
 * Sets a text field of a domain object through cw_text_dup_stripped(): a DMS that sends
 * `""` or `"   "` for a missing field means the field is missing.
 *
 * Returns: %TRUE if @field changed
 */
gboolean
cw_set_text (char       **field,
             const char  *value)
{
  g_autofree char *stripped = cw_text_dup_stripped (value);

  g_return_val_if_fail (field != NULL, FALSE);

  if (g_strcmp0 (*field, stripped) == 0)
    return FALSE;

  g_free (*field);
  *field = g_steal_pointer (&stripped);

  return TRUE;
}

/**
 * cw_set_date_time:
 * @field: the date-time field to set
 * @value: (nullable): the new value
 *
 * Returns: %TRUE if @field changed
 */
gboolean
cw_set_date_time (GDateTime **field,
                  GDateTime  *value)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (*field == value)
    return FALSE;

  if (*field != NULL && value != NULL && g_date_time_equal (*field, value))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);

  return TRUE;
}

gboolean
cw_date_equal (const GDate *a,
               const GDate *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  if (!g_date_valid (a) || !g_date_valid (b))
    return g_date_valid (a) == g_date_valid (b);

  return g_date_compare (a, b) == 0;
}

/**
 * cw_set_date:
 * @field: the date field to set
 * @value: (nullable): the new value; an invalid date counts as %NULL
 *
 * Returns: %TRUE if @field changed
 */
gboolean
cw_set_date (GDate       **field,
             const GDate  *value)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (value != NULL && !g_date_valid (value))
    value = NULL;

  if (cw_date_equal (*field, value))
    return FALSE;

  g_clear_pointer (field, g_date_free);
  if (value != NULL)
    *field = g_date_copy (value);

  return TRUE;
}

/**
 * cw_date_from_iso:
 * @text: (nullable): a date as `YYYY-MM-DD`; a time part after it is ignored
 *
 * Returns: (transfer full) (nullable): the date, or %NULL if @text is not a valid date
 */
GDate *
cw_date_from_iso (const char *text)
{
  unsigned int year = 0, month = 0, day = 0;

  if (text == NULL || strlen (text) < 10)
    return NULL;

  /* Exactly four, two and two digits: no signs, no spaces, no shorter fields. */
  for (guint i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        {
          if (text[i] != '-')
            return NULL;
        }
      else if (!g_ascii_isdigit (text[i]))
        return NULL;
    }

  if (text[10] != '\0' && text[10] != 'T' && text[10] != ' ')
    return NULL;

  for (guint i = 0; i < 4; i++)
    year = year * 10 + (text[i] - '0');
  month = (text[5] - '0') * 10 + (text[6] - '0');
  day = (text[8] - '0') * 10 + (text[9] - '0');

  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;

  return g_date_new_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

/**
 * cw_date_to_iso:
 * @date: (nullable): a date
 *
 * Returns: (transfer full) (nullable): @date as `YYYY-MM-DD`, or %NULL for no date
 */
char *
cw_date_to_iso (const GDate *date)
{
  if (date == NULL || !g_date_valid (date))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

/**
 * cw_enum_to_nick:
 * @enum_type: a registered enumeration type
 * @value: one of its values
 *
 * The nick of a value is how it is written in the store and in settings ("car-in-shop").
 *
 * Returns: (transfer none) (nullable): the nick, %NULL if @value is not in @enum_type
 */
const char *
cw_enum_to_nick (GType enum_type,
                 int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

/**
 * cw_enum_from_nick:
 * @enum_type: a registered enumeration type
 * @nick: (nullable): a nick
 * @value: (out): the value
 *
 * Returns: %TRUE if @nick names a value of @enum_type
 */
gboolean
cw_enum_from_nick (GType       enum_type,
                   const char *nick,
                   int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *enum_value;

  g_return_val_if_fail (value != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (enum_type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;

  return TRUE;
}
