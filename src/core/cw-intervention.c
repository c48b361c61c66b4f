/* cw-intervention.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-intervention"

#include "config.h"

#include "cw-core-enums.h"
#include <string.h>

#include "cw-intervention.h"
#include "cw-text.h"
#include "cw-util.h"

/*
 * A job line of a workorder. Prices are integer cents with an ISO 4217 currency; an
 * intervention may have no price at all (a note line), which is not the same as a price of 0.
 */

struct _CwIntervention
{
  GObject               parent_instance;

  gint64                id;
  CwInterventionSource  source;
  CwElementKind         element_kind;
  char                 *dms_line_id;
  char                 *title;
  char                 *description;
  gint64                price;
  char                 *currency;
  GStrv                 part_codes;
  guint                 has_price : 1;
};

G_DEFINE_FINAL_TYPE (CwIntervention, cw_intervention, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SOURCE,
  PROP_ELEMENT_KIND,
  PROP_DMS_LINE_ID,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_PRICE,
  PROP_HAS_PRICE,
  PROP_CURRENCY,
  PROP_PART_CODES,
  PROP_EDITABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cw_intervention_finalize (GObject *object)
{
  CwIntervention *self = (CwIntervention *)object;

  g_clear_pointer (&self->dms_line_id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->part_codes, g_strfreev);

  G_OBJECT_CLASS (cw_intervention_parent_class)->finalize (object);
}

static void
cw_intervention_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CwIntervention *self = CW_INTERVENTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;

    case PROP_ELEMENT_KIND:
      g_value_set_enum (value, self->element_kind);
      break;

    case PROP_DMS_LINE_ID:
      g_value_set_string (value, self->dms_line_id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;

    case PROP_PRICE:
      g_value_set_int64 (value, self->price);
      break;

    case PROP_HAS_PRICE:
      g_value_set_boolean (value, self->has_price);
      break;

    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;

    case PROP_PART_CODES:
      g_value_set_boxed (value, self->part_codes);
      break;

    case PROP_EDITABLE:
      g_value_set_boolean (value, cw_intervention_is_editable (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_intervention_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CwIntervention *self = CW_INTERVENTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      cw_intervention_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_SOURCE:
      self->source = g_value_get_enum (value);
      break;

    case PROP_ELEMENT_KIND:
      cw_intervention_set_element_kind (self, g_value_get_enum (value));
      break;

    case PROP_DMS_LINE_ID:
      cw_intervention_set_dms_line_id (self, g_value_get_string (value));
      break;

    case PROP_TITLE:
      cw_intervention_set_title (self, g_value_get_string (value));
      break;

    case PROP_DESCRIPTION:
      cw_intervention_set_description (self, g_value_get_string (value));
      break;

    case PROP_PRICE:
      cw_intervention_set_price (self, g_value_get_int64 (value));
      break;

    case PROP_CURRENCY:
      cw_intervention_set_currency (self, g_value_get_string (value));
      break;

    case PROP_PART_CODES:
      cw_intervention_set_part_codes (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_intervention_class_init (CwInterventionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_intervention_finalize;
  object_class->get_property = cw_intervention_get_property;
  object_class->set_property = cw_intervention_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL,
                       CW_TYPE_INTERVENTION_SOURCE,
                       CW_INTERVENTION_SOURCE_DMS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ELEMENT_KIND] =
    g_param_spec_enum ("element-kind", NULL, NULL,
                       CW_TYPE_ELEMENT_KIND,
                       CW_ELEMENT_KIND_UNSPECIFIED,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DMS_LINE_ID] =
    g_param_spec_string ("dms-line-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PRICE] =
    g_param_spec_int64 ("price", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HAS_PRICE] =
    g_param_spec_boolean ("has-price", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL,
                         "EUR",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PART_CODES] =
    g_param_spec_boxed ("part-codes", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_intervention_init (CwIntervention *self)
{
  self->currency = g_strdup ("EUR");
}

CwIntervention *
cw_intervention_new (CwInterventionSource source)
{
  return g_object_new (CW_TYPE_INTERVENTION, "source", source, NULL);
}

/**
 * cw_intervention_copy:
 * @self: a #CwIntervention
 *
 * Returns: (transfer full): a new intervention with the same fields
 */
CwIntervention *
cw_intervention_copy (CwIntervention *self)
{
  CwIntervention *copy;

  g_return_val_if_fail (CW_IS_INTERVENTION (self), NULL);

  copy = cw_intervention_new (self->source);
  copy->id = self->id;
  copy->element_kind = self->element_kind;
  copy->dms_line_id = g_strdup (self->dms_line_id);
  copy->title = g_strdup (self->title);
  copy->description = g_strdup (self->description);
  copy->price = self->price;
  copy->has_price = self->has_price;
  g_free (copy->currency);
  copy->currency = g_strdup (self->currency);
  copy->part_codes = g_strdupv (self->part_codes);

  return copy;
}

gint64
cw_intervention_get_id (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), 0);

  return self->id;
}

void
cw_intervention_set_id (CwIntervention *self,
                        gint64          id)
{
  g_return_if_fail (CW_IS_INTERVENTION (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

CwInterventionSource
cw_intervention_get_source (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), CW_INTERVENTION_SOURCE_DMS);

  return self->source;
}

CwElementKind
cw_intervention_get_element_kind (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), CW_ELEMENT_KIND_UNSPECIFIED);

  return self->element_kind;
}

void
cw_intervention_set_element_kind (CwIntervention *self,
                                  CwElementKind   kind)
{
  g_return_if_fail (CW_IS_INTERVENTION (self));

  if (self->element_kind == kind)
    return;

  self->element_kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELEMENT_KIND]);
}

const char *
cw_intervention_get_dms_line_id (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), NULL);

  return self->dms_line_id;
}

void
cw_intervention_set_dms_line_id (CwIntervention *self,
                                 const char     *dms_line_id)
{
  g_return_if_fail (CW_IS_INTERVENTION (self));

  if (cw_set_text (&self->dms_line_id, dms_line_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DMS_LINE_ID]);
}

const char *
cw_intervention_get_title (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), NULL);

  return self->title;
}

void
cw_intervention_set_title (CwIntervention *self,
                           const char     *title)
{
  g_return_if_fail (CW_IS_INTERVENTION (self));

  if (cw_set_text (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
cw_intervention_get_description (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), NULL);

  return self->description;
}

void
cw_intervention_set_description (CwIntervention *self,
                                 const char     *description)
{
  g_return_if_fail (CW_IS_INTERVENTION (self));

  if (cw_set_text (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

/**
 * cw_intervention_get_price:
 * @self: a #CwIntervention
 * @cents: (out) (optional): the price in cents
 *
 * Returns: %TRUE if the intervention has a price
 */
gboolean
cw_intervention_get_price (CwIntervention *self,
                           gint64         *cents)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), FALSE);

  if (cents != NULL)
    *cents = self->price;

  return self->has_price;
}

void
cw_intervention_set_price (CwIntervention *self,
                           gint64          cents)
{
  g_return_if_fail (CW_IS_INTERVENTION (self));

  if (self->has_price && self->price == cents)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (!self->has_price)
    {
      self->has_price = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_PRICE]);
    }
  self->price = cents;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRICE]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
cw_intervention_unset_price (CwIntervention *self)
{
  g_return_if_fail (CW_IS_INTERVENTION (self));

  if (!self->has_price)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->has_price = FALSE;
  self->price = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_PRICE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRICE]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
cw_intervention_get_currency (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), NULL);

  return self->currency;
}

static gboolean
is_currency_code (const char *code)
{
  return strlen (code) == 3 &&
         g_ascii_isalpha (code[0]) && g_ascii_isalpha (code[1]) && g_ascii_isalpha (code[2]);
}

/**
 * cw_intervention_set_currency:
 * @self: a #CwIntervention
 * @currency: (nullable): an ISO 4217 code, in any case
 *
 * %NULL, blank text, or text that is not three letters means EUR: every DMS the app
 * speaks to prices in euros and leaves the currency out (docs/money.md).
 */
void
cw_intervention_set_currency (CwIntervention *self,
                              const char     *currency)
{
  g_autofree char *stripped = NULL;
  g_autofree char *upper = NULL;

  g_return_if_fail (CW_IS_INTERVENTION (self));

  stripped = cw_text_dup_stripped (currency);
  if (stripped != NULL && is_currency_code (stripped))
    upper = g_ascii_strup (stripped, -1);

  if (cw_set_text (&self->currency, upper != NULL ? upper : "EUR"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

/**
 * cw_intervention_get_part_codes:
 * @self: a #CwIntervention
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the reference codes of the
 *   parts on this line (2Drive gives these), or %NULL
 */
const char * const *
cw_intervention_get_part_codes (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), NULL);

  return (const char * const *) self->part_codes;
}

void
cw_intervention_set_part_codes (CwIntervention     *self,
                                const char * const *part_codes)
{
  g_autoptr(GPtrArray) kept = NULL;

  g_return_if_fail (CW_IS_INTERVENTION (self));

  /* Keep only non-blank codes, so "no codes" has one representation: NULL. */
  kept = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; part_codes != NULL && part_codes[i] != NULL; i++)
    {
      char *code = NULL;

      if (cw_set_text (&code, part_codes[i]))
        g_ptr_array_add (kept, code);
    }

  if (kept->len == 0)
    {
      if (self->part_codes == NULL)
        return;
      g_clear_pointer (&self->part_codes, g_strfreev);
    }
  else
    {
      g_ptr_array_add (kept, NULL);
      if (self->part_codes != NULL &&
          g_strv_equal ((const char * const *) self->part_codes, (const char * const *) kept->pdata))
        return;
      g_clear_pointer (&self->part_codes, g_strfreev);
      self->part_codes = (GStrv) g_ptr_array_free (g_steal_pointer (&kept), FALSE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PART_CODES]);
}

/**
 * cw_intervention_is_editable:
 * @self: a #CwIntervention
 *
 * Returns: %TRUE for interventions added in the app; DMS lines are read-only
 */
gboolean
cw_intervention_is_editable (CwIntervention *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION (self), FALSE);

  return self->source == CW_INTERVENTION_SOURCE_LOCAL;
}
