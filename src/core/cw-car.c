/* cw-car.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-car"

#include "config.h"

#include "cw-car.h"
#include "cw-plate.h"
#include "cw-text.h"
#include "cw-util.h"

/*
 * The car of one workorder, as the DMS described it for this visit. Like CwParty, the text
 * fields live in one array and are installed as properties from a name table.
 */

struct _CwCar
{
  GObject  parent_instance;

  char    *fields[CW_CAR_N_FIELDS];
  GDate   *dates[CW_CAR_N_DATES];
};

G_DEFINE_FINAL_TYPE (CwCar, cw_car, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FIRST_FIELD,
  PROP_FIRST_DATE = PROP_FIRST_FIELD + CW_CAR_N_FIELDS,
  N_PROPS = PROP_FIRST_DATE + CW_CAR_N_DATES
};

static GParamSpec *properties[N_PROPS];

static const char * const field_names[CW_CAR_N_FIELDS] = {
  [CW_CAR_MAKE]          = "make",
  [CW_CAR_MODEL]         = "model",
  [CW_CAR_PLATE]         = "plate",
  [CW_CAR_VIN]           = "vin",
  [CW_CAR_ENGINE_NUMBER] = "engine-number",
  [CW_CAR_NOTES]         = "notes",
  [CW_CAR_FUEL]          = "fuel",
  [CW_CAR_DRIVER_ID]     = "driver-id",
  [CW_CAR_OWNER_ID]      = "owner-id",
  [CW_CAR_CONTRACTOR_ID] = "contractor-id",
};

static const char * const date_names[CW_CAR_N_DATES] = {
  [CW_CAR_FIRST_REGISTRATION] = "first-registration",
  [CW_CAR_APK_DATE]           = "apk-date",
  [CW_CAR_WARRANTY_START]     = "warranty-start",
  [CW_CAR_WARRANTY_END]       = "warranty-end",
};

static void
cw_car_finalize (GObject *object)
{
  CwCar *self = (CwCar *)object;

  for (guint i = 0; i < CW_CAR_N_FIELDS; i++)
    g_clear_pointer (&self->fields[i], g_free);
  for (guint i = 0; i < CW_CAR_N_DATES; i++)
    g_clear_pointer (&self->dates[i], g_date_free);

  G_OBJECT_CLASS (cw_car_parent_class)->finalize (object);
}

static void
cw_car_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  CwCar *self = CW_CAR (object);

  if (prop_id >= PROP_FIRST_FIELD && prop_id < PROP_FIRST_DATE)
    g_value_set_string (value, self->fields[prop_id - PROP_FIRST_FIELD]);
  else if (prop_id >= PROP_FIRST_DATE && prop_id < N_PROPS)
    g_value_set_boxed (value, self->dates[prop_id - PROP_FIRST_DATE]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cw_car_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  CwCar *self = CW_CAR (object);

  if (prop_id >= PROP_FIRST_FIELD && prop_id < PROP_FIRST_DATE)
    cw_car_set_field (self, prop_id - PROP_FIRST_FIELD, g_value_get_string (value));
  else if (prop_id >= PROP_FIRST_DATE && prop_id < N_PROPS)
    cw_car_set_date (self, prop_id - PROP_FIRST_DATE, g_value_get_boxed (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cw_car_class_init (CwCarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_car_finalize;
  object_class->get_property = cw_car_get_property;
  object_class->set_property = cw_car_set_property;

  for (guint i = 0; i < CW_CAR_N_FIELDS; i++)
    properties[PROP_FIRST_FIELD + i] =
      g_param_spec_string (field_names[i], NULL, NULL,
                           NULL,
                           (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  for (guint i = 0; i < CW_CAR_N_DATES; i++)
    properties[PROP_FIRST_DATE + i] =
      g_param_spec_boxed (date_names[i], NULL, NULL,
                          G_TYPE_DATE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_car_init (CwCar *self)
{
}

CwCar *
cw_car_new (void)
{
  return g_object_new (CW_TYPE_CAR, NULL);
}

/**
 * cw_car_copy:
 * @self: a #CwCar
 *
 * Returns: (transfer full): a new car with the same fields
 */
CwCar *
cw_car_copy (CwCar *self)
{
  CwCar *copy;

  g_return_val_if_fail (CW_IS_CAR (self), NULL);

  copy = cw_car_new ();
  for (guint i = 0; i < CW_CAR_N_FIELDS; i++)
    copy->fields[i] = g_strdup (self->fields[i]);
  for (guint i = 0; i < CW_CAR_N_DATES; i++)
    copy->dates[i] = self->dates[i] ? g_date_copy (self->dates[i]) : NULL;

  return copy;
}

/**
 * cw_car_get_field:
 * @self: a #CwCar
 * @field: which field
 *
 * Returns: (transfer none) (nullable): the field, %NULL when the DMS did not give it
 */
const char *
cw_car_get_field (CwCar      *self,
                  CwCarField  field)
{
  g_return_val_if_fail (CW_IS_CAR (self), NULL);
  g_return_val_if_fail ((guint) field < CW_CAR_N_FIELDS, NULL);

  return self->fields[field];
}

/**
 * cw_car_set_field:
 * @self: a #CwCar
 * @field: which field
 * @value: (nullable): the new value; blank text counts as missing
 *
 * A plate is normalised on the way in; text that cw_plate_normalize() does not take for
 * a plate (a DMS that writes "n.v.t." in the plate field) is kept as given, so nothing the
 * DMS said is lost.
 */
void
cw_car_set_field (CwCar       *self,
                  CwCarField   field,
                  const char  *value)
{
  g_autofree char *stripped = NULL;
  g_autofree char *normalized = NULL;

  g_return_if_fail (CW_IS_CAR (self));
  g_return_if_fail ((guint) field < CW_CAR_N_FIELDS);

  /* White space around a plate ("AB-123-C\n" from a DMS) is not part of it. */
  if (field == CW_CAR_PLATE && (stripped = cw_text_dup_stripped (value)) != NULL)
    {
      normalized = cw_plate_normalize (stripped);
      value = normalized != NULL ? normalized : stripped;
    }

  if (cw_set_text (&self->fields[field], value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_FIELD + field]);
}

/**
 * cw_car_get_date:
 * @self: a #CwCar
 * @which: which date
 *
 * Returns: (transfer none) (nullable): the date, %NULL when unknown
 */
const GDate *
cw_car_get_date (CwCar     *self,
                 CwCarDate  which)
{
  g_return_val_if_fail (CW_IS_CAR (self), NULL);
  g_return_val_if_fail ((guint) which < CW_CAR_N_DATES, NULL);

  return self->dates[which];
}

void
cw_car_set_date (CwCar       *self,
                 CwCarDate    which,
                 const GDate *date)
{
  g_return_if_fail (CW_IS_CAR (self));
  g_return_if_fail ((guint) which < CW_CAR_N_DATES);

  if (cw_set_date (&self->dates[which], date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_DATE + which]);
}

/**
 * cw_car_dup_make_model:
 * @self: a #CwCar
 *
 * Returns: (transfer full) (nullable): "Make Model", either alone, or %NULL
 */
char *
cw_car_dup_make_model (CwCar *self)
{
  const char *make, *model;

  g_return_val_if_fail (CW_IS_CAR (self), NULL);

  make = self->fields[CW_CAR_MAKE];
  model = self->fields[CW_CAR_MODEL];

  if (make != NULL && model != NULL)
    return g_strconcat (make, " ", model, NULL);

  return g_strdup (make != NULL ? make : model);
}

/**
 * cw_car_dup_plate_display:
 * @self: a #CwCar
 *
 * Returns: (transfer full) (nullable): the plate as it is shown ("AB-123-C"), or %NULL
 */
char *
cw_car_dup_plate_display (CwCar *self)
{
  g_return_val_if_fail (CW_IS_CAR (self), NULL);

  if (self->fields[CW_CAR_PLATE] == NULL)
    return NULL;

  return cw_plate_format (self->fields[CW_CAR_PLATE]);
}

gboolean
cw_car_is_empty (CwCar *self)
{
  g_return_val_if_fail (CW_IS_CAR (self), TRUE);

  for (guint i = 0; i < CW_CAR_N_FIELDS; i++)
    if (self->fields[i] != NULL)
      return FALSE;
  for (guint i = 0; i < CW_CAR_N_DATES; i++)
    if (self->dates[i] != NULL)
      return FALSE;

  return TRUE;
}

const char *
cw_car_field_get_name (CwCarField field)
{
  g_return_val_if_fail ((guint) field < CW_CAR_N_FIELDS, NULL);

  return field_names[field];
}

const char *
cw_car_date_get_name (CwCarDate which)
{
  g_return_val_if_fail ((guint) which < CW_CAR_N_DATES, NULL);

  return date_names[which];
}
