/* cw-workorder-summary.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-workorder-summary"

#include "config.h"

#include "cw-core-enums.h"
#include "cw-plate.h"
#include "cw-util.h"
#include "cw-workorder-summary.h"

/*
 * What the appointment list and the search results show of a workorder: one row, read from
 * the store in one query. The store creates summaries with g_object_new() and the list
 * models refresh existing ones in place with cw_workorder_summary_update_from(), so a row
 * that changes keeps its identity (and the view keeps its selection).
 */

typedef enum
{
  TEXT_CONNECTION_ID,
  TEXT_WO_NUMBER,
  TEXT_DMS_NUMBER,
  TEXT_PLATE,
  TEXT_CUSTOMER,
  TEXT_MAKE,
  TEXT_MODEL,
  TEXT_UPDATED_BY,
  N_TEXTS
} SummaryText;

struct _CwWorkorderSummary
{
  GObject      parent_instance;

  gint64       id;
  gint64       revision;
  char        *texts[N_TEXTS];
  char        *plate_display;
  char        *make_model;
  GDateTime   *appointment;
  GDateTime   *updated_at;
  CwStatus     status;
  CwShopState  shop_state;
  gboolean     billed;
  CwOcwState   ocw_state;
};

G_DEFINE_FINAL_TYPE (CwWorkorderSummary, cw_workorder_summary, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_REVISION,
  PROP_APPOINTMENT,
  PROP_UPDATED_AT,
  PROP_STATUS,
  PROP_SHOP_STATE,
  PROP_BILLED,
  PROP_OCW_STATE,
  PROP_PLATE_DISPLAY,
  PROP_MAKE_MODEL,
  PROP_FIRST_TEXT,
  N_PROPS = PROP_FIRST_TEXT + N_TEXTS
};

static GParamSpec *properties[N_PROPS];

static const char * const text_names[N_TEXTS] = {
  [TEXT_CONNECTION_ID] = "connection-id",
  [TEXT_WO_NUMBER]     = "wo-number",
  [TEXT_DMS_NUMBER]    = "dms-number",
  [TEXT_PLATE]         = "plate",
  [TEXT_CUSTOMER]      = "customer",
  [TEXT_MAKE]          = "make",
  [TEXT_MODEL]         = "model",
  [TEXT_UPDATED_BY]    = "updated-by",
};

static void
update_plate_display (CwWorkorderSummary *self)
{
  g_autofree char *display = NULL;

  if (self->texts[TEXT_PLATE] != NULL)
    display = cw_plate_format (self->texts[TEXT_PLATE]);

  if (cw_set_text (&self->plate_display, display))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLATE_DISPLAY]);
}

static void
update_make_model (CwWorkorderSummary *self)
{
  const char *make = self->texts[TEXT_MAKE];
  const char *model = self->texts[TEXT_MODEL];
  g_autofree char *make_model = NULL;

  if (make != NULL && model != NULL)
    make_model = g_strconcat (make, " ", model, NULL);
  else
    make_model = g_strdup (make != NULL ? make : model);

  if (cw_set_text (&self->make_model, make_model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAKE_MODEL]);
}

static void
set_text (CwWorkorderSummary *self,
          SummaryText         which,
          const char         *value)
{
  if (!cw_set_text (&self->texts[which], value))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_TEXT + which]);

  if (which == TEXT_PLATE)
    update_plate_display (self);
  else if (which == TEXT_MAKE || which == TEXT_MODEL)
    update_make_model (self);
}

static void
cw_workorder_summary_finalize (GObject *object)
{
  CwWorkorderSummary *self = (CwWorkorderSummary *)object;

  for (guint i = 0; i < N_TEXTS; i++)
    g_clear_pointer (&self->texts[i], g_free);
  g_clear_pointer (&self->plate_display, g_free);
  g_clear_pointer (&self->make_model, g_free);
  g_clear_pointer (&self->appointment, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (cw_workorder_summary_parent_class)->finalize (object);
}

static void
cw_workorder_summary_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CwWorkorderSummary *self = CW_WORKORDER_SUMMARY (object);

  if (prop_id >= PROP_FIRST_TEXT && prop_id < N_PROPS)
    {
      g_value_set_string (value, self->texts[prop_id - PROP_FIRST_TEXT]);
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_REVISION:
      g_value_set_int64 (value, self->revision);
      break;

    case PROP_APPOINTMENT:
      g_value_set_boxed (value, self->appointment);
      break;

    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_SHOP_STATE:
      g_value_set_enum (value, self->shop_state);
      break;

    case PROP_BILLED:
      g_value_set_boolean (value, self->billed);
      break;

    case PROP_OCW_STATE:
      g_value_set_enum (value, self->ocw_state);
      break;

    case PROP_PLATE_DISPLAY:
      g_value_set_string (value, self->plate_display);
      break;

    case PROP_MAKE_MODEL:
      g_value_set_string (value, self->make_model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_workorder_summary_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CwWorkorderSummary *self = CW_WORKORDER_SUMMARY (object);

  if (prop_id >= PROP_FIRST_TEXT && prop_id < N_PROPS)
    {
      set_text (self, prop_id - PROP_FIRST_TEXT, g_value_get_string (value));
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    case PROP_REVISION:
      if (self->revision != g_value_get_int64 (value))
        {
          self->revision = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_APPOINTMENT:
      if (cw_set_date_time (&self->appointment, g_value_get_boxed (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_UPDATED_AT:
      if (cw_set_date_time (&self->updated_at, g_value_get_boxed (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_STATUS:
      if (self->status != (CwStatus) g_value_get_enum (value))
        {
          self->status = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_SHOP_STATE:
      if (self->shop_state != (CwShopState) g_value_get_enum (value))
        {
          self->shop_state = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_BILLED:
      if (self->billed != g_value_get_boolean (value))
        {
          self->billed = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_OCW_STATE:
      if (self->ocw_state != (CwOcwState) g_value_get_enum (value))
        {
          self->ocw_state = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_workorder_summary_class_init (CwWorkorderSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cw_workorder_summary_finalize;
  object_class->get_property = cw_workorder_summary_get_property;
  object_class->set_property = cw_workorder_summary_set_property;

  /* The id is the row's identity: it is set once, when the store creates the summary. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVISION] = g_param_spec_int64 ("revision", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_APPOINTMENT] =
    g_param_spec_boxed ("appointment", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY, rw);
  properties[PROP_SHOP_STATE] =
    g_param_spec_enum ("shop-state", NULL, NULL, CW_TYPE_SHOP_STATE, CW_SHOP_NOT_ARRIVED, rw);
  properties[PROP_BILLED] = g_param_spec_boolean ("billed", NULL, NULL, FALSE, rw);
  properties[PROP_OCW_STATE] = g_param_spec_enum ("ocw-state", NULL, NULL, CW_TYPE_OCW_STATE, CW_OCW_UNKNOWN, rw);
  properties[PROP_PLATE_DISPLAY] = g_param_spec_string ("plate-display", NULL, NULL, NULL, ro);
  properties[PROP_MAKE_MODEL] = g_param_spec_string ("make-model", NULL, NULL, NULL, ro);

  for (guint i = 0; i < N_TEXTS; i++)
    properties[PROP_FIRST_TEXT + i] = g_param_spec_string (text_names[i], NULL, NULL, NULL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_workorder_summary_init (CwWorkorderSummary *self)
{
}

gint64
cw_workorder_summary_get_id (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), 0);

  return self->id;
}

gint64
cw_workorder_summary_get_revision (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), 0);

  return self->revision;
}

const char *
cw_workorder_summary_get_connection_id (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->texts[TEXT_CONNECTION_ID];
}

const char *
cw_workorder_summary_get_wo_number (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->texts[TEXT_WO_NUMBER];
}

const char *
cw_workorder_summary_get_dms_number (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->texts[TEXT_DMS_NUMBER];
}

/**
 * cw_workorder_summary_get_plate:
 * @self: a #CwWorkorderSummary
 *
 * Returns: (transfer none) (nullable): the normalised plate ("AB123C")
 */
const char *
cw_workorder_summary_get_plate (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->texts[TEXT_PLATE];
}

/**
 * cw_workorder_summary_get_plate_display:
 * @self: a #CwWorkorderSummary
 *
 * Returns: (transfer none) (nullable): the plate as shown ("AB-123-C")
 */
const char *
cw_workorder_summary_get_plate_display (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->plate_display;
}

const char *
cw_workorder_summary_get_customer (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->texts[TEXT_CUSTOMER];
}

const char *
cw_workorder_summary_get_make (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->texts[TEXT_MAKE];
}

const char *
cw_workorder_summary_get_make_model (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->make_model;
}

/**
 * cw_workorder_summary_get_appointment:
 * @self: a #CwWorkorderSummary
 *
 * Returns: (transfer none) (nullable): the appointment
 */
GDateTime *
cw_workorder_summary_get_appointment (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->appointment;
}

/**
 * cw_workorder_summary_get_updated_at:
 * @self: a #CwWorkorderSummary
 *
 * Returns: (transfer none) (nullable): when the workorder last changed
 */
GDateTime *
cw_workorder_summary_get_updated_at (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), NULL);

  return self->updated_at;
}

CwStatus
cw_workorder_summary_get_status (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), CW_STATUS_NEW_ENTRY);

  return self->status;
}

CwShopState
cw_workorder_summary_get_shop_state (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), CW_SHOP_NOT_ARRIVED);

  return self->shop_state;
}

gboolean
cw_workorder_summary_get_billed (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), FALSE);

  return self->billed;
}

/**
 * cw_workorder_summary_update_from:
 * @self: the summary shown in a list
 * @other: a fresh summary of the same workorder
 *
 * Copies every writable property of @other into @self; only the ones that differ notify,
 * so cells bound to them redraw and nothing else does.
 */
void
cw_workorder_summary_update_from (CwWorkorderSummary *self,
                                  CwWorkorderSummary *other)
{
  g_return_if_fail (CW_IS_WORKORDER_SUMMARY (self));
  g_return_if_fail (CW_IS_WORKORDER_SUMMARY (other));
  g_return_if_fail (self->id == other->id);

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = PROP_REVISION; i < N_PROPS; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (!(properties[i]->flags & G_PARAM_WRITABLE))
        continue;

      g_value_init (&value, properties[i]->value_type);
      g_object_get_property (G_OBJECT (other), properties[i]->name, &value);
      g_object_set_property (G_OBJECT (self), properties[i]->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * cw_workorder_summary_get_ocw_state:
 * @self: a #CwWorkorderSummary
 *
 * Returns: the car's OCW state as PON last gave it, %CW_OCW_UNKNOWN when never asked
 */
CwOcwState
cw_workorder_summary_get_ocw_state (CwWorkorderSummary *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (self), CW_OCW_UNKNOWN);

  return self->ocw_state;
}
