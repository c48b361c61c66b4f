/* cw-workorder.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-workorder"

#include "config.h"

#include "cw-core-enums.h"
#include "cw-util.h"
#include "cw-workorder.h"

/*
 * One visit of one car (DESIGN §2): what the DMS said about it, and the workshop process
 * the app adds on top. The text, time and flag fields live in arrays indexed by their enums
 * and are installed as properties from name tables; the rest are typed properties.
 */

struct _CwWorkorder
{
  GObject      parent_instance;

  gint64       id;
  gint64       revision;
  char        *fields[CW_WORKORDER_N_FIELDS];
  GDateTime   *times[CW_WORKORDER_N_TIMES];
  gboolean     flags[CW_WORKORDER_N_FLAGS];
  gint64       dms_mileage;
  gint64       mileage;
  GDateTime   *mileage_at;
  CwOcwState   ocw_state;
  CwOcwStatus *ocw_status;
  GDateTime   *ocw_checked_at;
  CwShopState  dms_shop;
  CwProcess    process;
  CwCar       *car;
  CwParty     *parties[CW_PARTY_N_ROLES];
  GListStore  *interventions;
};

G_DEFINE_FINAL_TYPE (CwWorkorder, cw_workorder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_REVISION,
  PROP_DMS_MILEAGE,
  PROP_DMS_SHOP_STATE,
  PROP_STATUS,
  PROP_RESUME_STATUS,
  PROP_SHOP_STATE,
  PROP_CANCEL_REASON,
  PROP_CAR,
  PROP_DRIVER,
  PROP_OWNER,
  PROP_CONTRACTOR,
  PROP_INTERVENTIONS,
  PROP_CUSTOMER_NAME,
  PROP_READ_ONLY,
  PROP_WORK_STARTED,
  PROP_FIRST_FIELD,
  PROP_FIRST_TIME = PROP_FIRST_FIELD + CW_WORKORDER_N_FIELDS,
  PROP_FIRST_FLAG = PROP_FIRST_TIME + CW_WORKORDER_N_TIMES,
  N_PROPS = PROP_FIRST_FLAG + CW_WORKORDER_N_FLAGS
};

static GParamSpec *properties[N_PROPS];

static const char * const field_names[CW_WORKORDER_N_FIELDS] = {
  [CW_WORKORDER_CONNECTION_ID] = "connection-id",
  [CW_WORKORDER_DMS_KEY]       = "dms-key",
  [CW_WORKORDER_DMS_NUMBER]    = "dms-number",
  [CW_WORKORDER_WO_NUMBER]     = "wo-number",
  [CW_WORKORDER_DMS_NOTES]     = "dms-notes",
  [CW_WORKORDER_LOCATION]      = "location",
  [CW_WORKORDER_CANCEL_TEXT]   = "cancel-text",
  [CW_WORKORDER_UPDATED_BY]    = "updated-by",
};

static const char * const time_names[CW_WORKORDER_N_TIMES] = {
  [CW_WORKORDER_APPOINTMENT]   = "appointment",
  [CW_WORKORDER_DMS_CREATED]   = "dms-created",
  [CW_WORKORDER_SCHEDULED_IN]  = "scheduled-in",
  [CW_WORKORDER_SCHEDULED_OUT] = "scheduled-out",
  [CW_WORKORDER_LAST_SYNC]     = "last-sync",
  [CW_WORKORDER_UPDATED_AT]    = "updated-at",
};

static const char * const flag_names[CW_WORKORDER_N_FLAGS] = {
  [CW_WORKORDER_BILLED]           = "billed",
  [CW_WORKORDER_INTERNAL]         = "internal",
  [CW_WORKORDER_CUSTOMER_WAITING] = "customer-waiting",
  [CW_WORKORDER_DMS_CANCELED]     = "dms-canceled",
};

static void
cw_workorder_dispose (GObject *object)
{
  CwWorkorder *self = (CwWorkorder *)object;

  g_clear_object (&self->car);
  for (guint i = 0; i < CW_PARTY_N_ROLES; i++)
    g_clear_object (&self->parties[i]);
  g_clear_object (&self->interventions);

  G_OBJECT_CLASS (cw_workorder_parent_class)->dispose (object);
}

static void
cw_workorder_finalize (GObject *object)
{
  CwWorkorder *self = (CwWorkorder *)object;

  for (guint i = 0; i < CW_WORKORDER_N_FIELDS; i++)
    g_clear_pointer (&self->fields[i], g_free);
  for (guint i = 0; i < CW_WORKORDER_N_TIMES; i++)
    g_clear_pointer (&self->times[i], g_date_time_unref);
  g_clear_pointer (&self->mileage_at, g_date_time_unref);
  g_clear_pointer (&self->ocw_status, cw_ocw_status_free);
  g_clear_pointer (&self->ocw_checked_at, g_date_time_unref);

  G_OBJECT_CLASS (cw_workorder_parent_class)->finalize (object);
}

static void
cw_workorder_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CwWorkorder *self = CW_WORKORDER (object);

  if (prop_id >= PROP_FIRST_FIELD && prop_id < PROP_FIRST_TIME)
    {
      g_value_set_string (value, self->fields[prop_id - PROP_FIRST_FIELD]);
      return;
    }
  if (prop_id >= PROP_FIRST_TIME && prop_id < PROP_FIRST_FLAG)
    {
      g_value_set_boxed (value, self->times[prop_id - PROP_FIRST_TIME]);
      return;
    }
  if (prop_id >= PROP_FIRST_FLAG && prop_id < N_PROPS)
    {
      g_value_set_boolean (value, self->flags[prop_id - PROP_FIRST_FLAG]);
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

    case PROP_DMS_MILEAGE:
      g_value_set_int64 (value, self->dms_mileage);
      break;

    case PROP_DMS_SHOP_STATE:
      g_value_set_enum (value, self->dms_shop);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->process.status);
      break;

    case PROP_RESUME_STATUS:
      g_value_set_enum (value, self->process.resume_status);
      break;

    case PROP_SHOP_STATE:
      g_value_set_enum (value, self->process.shop);
      break;

    case PROP_CANCEL_REASON:
      g_value_set_enum (value, self->process.cancel_reason);
      break;

    case PROP_CAR:
      g_value_set_object (value, self->car);
      break;

    case PROP_DRIVER:
    case PROP_OWNER:
    case PROP_CONTRACTOR:
      g_value_set_object (value, self->parties[prop_id - PROP_DRIVER]);
      break;

    case PROP_INTERVENTIONS:
      g_value_set_object (value, self->interventions);
      break;

    case PROP_CUSTOMER_NAME:
      g_value_take_string (value, cw_workorder_dup_customer_name (self));
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, cw_workorder_is_read_only (self));
      break;

    case PROP_WORK_STARTED:
      g_value_set_boolean (value, cw_workorder_is_work_started (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_process_member (CwWorkorder *self,
                    guint        prop_id,
                    int          value)
{
  CwProcess process = self->process;

  switch (prop_id)
    {
    case PROP_STATUS:
      process.status = value;
      break;

    case PROP_RESUME_STATUS:
      process.resume_status = value;
      break;

    case PROP_SHOP_STATE:
      process.shop = value;
      break;

    case PROP_CANCEL_REASON:
      process.cancel_reason = value;
      break;

    default:
      g_assert_not_reached ();
    }

  cw_workorder_set_process (self, &process);
}

static void
cw_workorder_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CwWorkorder *self = CW_WORKORDER (object);

  if (prop_id >= PROP_FIRST_FIELD && prop_id < PROP_FIRST_TIME)
    {
      cw_workorder_set_field (self, prop_id - PROP_FIRST_FIELD, g_value_get_string (value));
      return;
    }
  if (prop_id >= PROP_FIRST_TIME && prop_id < PROP_FIRST_FLAG)
    {
      cw_workorder_set_time (self, prop_id - PROP_FIRST_TIME, g_value_get_boxed (value));
      return;
    }
  if (prop_id >= PROP_FIRST_FLAG && prop_id < N_PROPS)
    {
      cw_workorder_set_flag (self, prop_id - PROP_FIRST_FLAG, g_value_get_boolean (value));
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      cw_workorder_set_id (self, g_value_get_int64 (value));
      break;

    case PROP_REVISION:
      cw_workorder_set_revision (self, g_value_get_int64 (value));
      break;

    case PROP_DMS_MILEAGE:
      cw_workorder_set_dms_mileage (self, g_value_get_int64 (value));
      break;

    case PROP_DMS_SHOP_STATE:
      cw_workorder_set_dms_shop_state (self, g_value_get_enum (value));
      break;

    case PROP_STATUS:
    case PROP_RESUME_STATUS:
    case PROP_SHOP_STATE:
    case PROP_CANCEL_REASON:
      set_process_member (self, prop_id, g_value_get_enum (value));
      break;

    case PROP_CAR:
      cw_workorder_set_car (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_workorder_class_init (CwWorkorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cw_workorder_dispose;
  object_class->finalize = cw_workorder_finalize;
  object_class->get_property = cw_workorder_get_property;
  object_class->set_property = cw_workorder_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_REVISION] = g_param_spec_int64 ("revision", NULL, NULL, 0, G_MAXINT64, 0, rw);
  properties[PROP_DMS_MILEAGE] =
    g_param_spec_int64 ("dms-mileage", NULL, NULL,
                        CW_MILEAGE_UNKNOWN, G_MAXINT64, CW_MILEAGE_UNKNOWN, rw);
  properties[PROP_DMS_SHOP_STATE] =
    g_param_spec_enum ("dms-shop-state", NULL, NULL, CW_TYPE_SHOP_STATE, CW_SHOP_NOT_ARRIVED, rw);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY, rw);
  properties[PROP_RESUME_STATUS] =
    g_param_spec_enum ("resume-status", NULL, NULL, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY, rw);
  properties[PROP_SHOP_STATE] =
    g_param_spec_enum ("shop-state", NULL, NULL, CW_TYPE_SHOP_STATE, CW_SHOP_NOT_ARRIVED, rw);
  properties[PROP_CANCEL_REASON] =
    g_param_spec_enum ("cancel-reason", NULL, NULL,
                       CW_TYPE_CANCEL_REASON, CW_CANCEL_REASON_NONE, rw);
  properties[PROP_CAR] = g_param_spec_object ("car", NULL, NULL, CW_TYPE_CAR, rw);
  properties[PROP_DRIVER] = g_param_spec_object ("driver", NULL, NULL, CW_TYPE_PARTY, ro);
  properties[PROP_OWNER] = g_param_spec_object ("owner", NULL, NULL, CW_TYPE_PARTY, ro);
  properties[PROP_CONTRACTOR] = g_param_spec_object ("contractor", NULL, NULL, CW_TYPE_PARTY, ro);
  properties[PROP_INTERVENTIONS] =
    g_param_spec_object ("interventions", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_CUSTOMER_NAME] = g_param_spec_string ("customer-name", NULL, NULL, NULL, ro);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, ro);
  properties[PROP_WORK_STARTED] = g_param_spec_boolean ("work-started", NULL, NULL, FALSE, ro);

  for (guint i = 0; i < CW_WORKORDER_N_FIELDS; i++)
    properties[PROP_FIRST_FIELD + i] = g_param_spec_string (field_names[i], NULL, NULL, NULL, rw);
  for (guint i = 0; i < CW_WORKORDER_N_TIMES; i++)
    properties[PROP_FIRST_TIME + i] =
      g_param_spec_boxed (time_names[i], NULL, NULL, G_TYPE_DATE_TIME, rw);
  for (guint i = 0; i < CW_WORKORDER_N_FLAGS; i++)
    properties[PROP_FIRST_FLAG + i] = g_param_spec_boolean (flag_names[i], NULL, NULL, FALSE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_workorder_init (CwWorkorder *self)
{
  self->dms_mileage = CW_MILEAGE_UNKNOWN;
  self->mileage = CW_MILEAGE_UNKNOWN;
  self->process = CW_PROCESS_INIT;
  self->car = cw_car_new ();
  self->interventions = g_list_store_new (CW_TYPE_INTERVENTION);
}

CwWorkorder *
cw_workorder_new (void)
{
  return g_object_new (CW_TYPE_WORKORDER, NULL);
}

/**
 * cw_workorder_get_id:
 * @self: a #CwWorkorder
 *
 * Returns: the id of the workorder in the local store, 0 when it is not stored
 */
gint64
cw_workorder_get_id (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), 0);

  return self->id;
}

void
cw_workorder_set_id (CwWorkorder *self,
                     gint64       id)
{
  g_return_if_fail (CW_IS_WORKORDER (self));

  if (self->id == id)
    return;

  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

/**
 * cw_workorder_get_revision:
 * @self: a #CwWorkorder
 *
 * Returns: how many times the stored workorder was written; the list models use it to
 *   tell which rows changed
 */
gint64
cw_workorder_get_revision (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), 0);

  return self->revision;
}

void
cw_workorder_set_revision (CwWorkorder *self,
                           gint64       revision)
{
  g_return_if_fail (CW_IS_WORKORDER (self));

  if (self->revision == revision)
    return;

  self->revision = revision;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

/**
 * cw_workorder_get_field:
 * @self: a #CwWorkorder
 * @field: which field
 *
 * Returns: (transfer none) (nullable): the field
 */
const char *
cw_workorder_get_field (CwWorkorder      *self,
                        CwWorkorderField  field)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);
  g_return_val_if_fail ((guint) field < CW_WORKORDER_N_FIELDS, NULL);

  return self->fields[field];
}

void
cw_workorder_set_field (CwWorkorder      *self,
                        CwWorkorderField  field,
                        const char       *value)
{
  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail ((guint) field < CW_WORKORDER_N_FIELDS);

  if (cw_set_text (&self->fields[field], value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_FIELD + field]);
}

/**
 * cw_workorder_get_time:
 * @self: a #CwWorkorder
 * @which: which moment
 *
 * Returns: (transfer none) (nullable): the moment, %NULL when unknown
 */
GDateTime *
cw_workorder_get_time (CwWorkorder     *self,
                       CwWorkorderTime  which)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);
  g_return_val_if_fail ((guint) which < CW_WORKORDER_N_TIMES, NULL);

  return self->times[which];
}

void
cw_workorder_set_time (CwWorkorder     *self,
                       CwWorkorderTime  which,
                       GDateTime       *time)
{
  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail ((guint) which < CW_WORKORDER_N_TIMES);

  if (cw_set_date_time (&self->times[which], time))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_TIME + which]);
}

gboolean
cw_workorder_get_flag (CwWorkorder     *self,
                       CwWorkorderFlag  flag)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), FALSE);
  g_return_val_if_fail ((guint) flag < CW_WORKORDER_N_FLAGS, FALSE);

  return self->flags[flag];
}

void
cw_workorder_set_flag (CwWorkorder     *self,
                       CwWorkorderFlag  flag,
                       gboolean         value)
{
  gboolean was_read_only;

  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail ((guint) flag < CW_WORKORDER_N_FLAGS);

  value = !!value;
  if (self->flags[flag] == value)
    return;

  was_read_only = cw_workorder_is_read_only (self);
  self->flags[flag] = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_FLAG + flag]);
  if (was_read_only != cw_workorder_is_read_only (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

/**
 * cw_workorder_get_dms_mileage:
 * @self: a #CwWorkorder
 *
 * Returns: the mileage the DMS gave, in kilometres, or %CW_MILEAGE_UNKNOWN
 */
gint64
cw_workorder_get_dms_mileage (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), CW_MILEAGE_UNKNOWN);

  return self->dms_mileage;
}

void
cw_workorder_set_dms_mileage (CwWorkorder *self,
                              gint64       km)
{
  g_return_if_fail (CW_IS_WORKORDER (self));

  if (km < 0)
    km = CW_MILEAGE_UNKNOWN;

  if (self->dms_mileage == km)
    return;

  self->dms_mileage = km;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DMS_MILEAGE]);
}

/**
 * cw_workorder_get_mileage:
 * @self: a #CwWorkorder
 * @at: (out) (optional) (transfer none) (nullable): when it was read
 *
 * The mileage read in the app (by the advisor at reception, or from the car), apart from
 * the DMS's.
 *
 * Returns: the reading in kilometres, or %CW_MILEAGE_UNKNOWN
 */
gint64
cw_workorder_get_mileage (CwWorkorder  *self,
                          GDateTime   **at)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), CW_MILEAGE_UNKNOWN);

  if (at != NULL)
    *at = self->mileage_at;

  return self->mileage;
}

void
cw_workorder_set_mileage (CwWorkorder *self,
                          gint64       km,
                          GDateTime   *at)
{
  g_return_if_fail (CW_IS_WORKORDER (self));

  g_clear_pointer (&self->mileage_at, g_date_time_unref);
  self->mileage = km < 0 ? CW_MILEAGE_UNKNOWN : km;
  if (self->mileage != CW_MILEAGE_UNKNOWN && at != NULL)
    self->mileage_at = g_date_time_ref (at);
}

/**
 * cw_workorder_get_ocw_state:
 * @self: a #CwWorkorder
 *
 * Returns: the car's OCW state as PON last gave it for this workorder
 */
CwOcwState
cw_workorder_get_ocw_state (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), CW_OCW_UNKNOWN);

  return self->ocw_state;
}

/**
 * cw_workorder_get_ocw_status:
 * @self: a #CwWorkorder
 *
 * Returns: (nullable): PON's last answer for the car (mileage, its time, the portal)
 */
const CwOcwStatus *
cw_workorder_get_ocw_status (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);

  return self->ocw_status;
}

/**
 * cw_workorder_get_ocw_checked_at:
 * @self: a #CwWorkorder
 *
 * Returns: (nullable): when PON last answered about the car for this workorder
 */
GDateTime *
cw_workorder_get_ocw_checked_at (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);

  return self->ocw_checked_at;
}

void
cw_workorder_set_ocw (CwWorkorder       *self,
                      CwOcwState         state,
                      const CwOcwStatus *status,
                      GDateTime         *checked_at)
{
  g_return_if_fail (CW_IS_WORKORDER (self));

  self->ocw_state = state;
  g_clear_pointer (&self->ocw_status, cw_ocw_status_free);
  self->ocw_status = status != NULL ? cw_ocw_status_copy (status) : NULL;
  g_clear_pointer (&self->ocw_checked_at, g_date_time_unref);
  self->ocw_checked_at = checked_at != NULL ? g_date_time_ref (checked_at) : NULL;
}

/**
 * cw_workorder_get_dms_shop_state:
 * @self: a #CwWorkorder
 *
 * Whether the DMS says the car is in the shop (Autoflex, Incadea report it), apart from
 * the app's own in/out toggle: %CW_SHOP_NOT_ARRIVED when the DMS says nothing. The store
 * applies a change of it to the process (docs/workflow.md).
 *
 * Returns: the DMS's in/out state
 */
CwShopState
cw_workorder_get_dms_shop_state (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), CW_SHOP_NOT_ARRIVED);

  return self->dms_shop;
}

void
cw_workorder_set_dms_shop_state (CwWorkorder *self,
                                 CwShopState  shop)
{
  g_return_if_fail (CW_IS_WORKORDER (self));

  if (self->dms_shop == shop)
    return;

  self->dms_shop = shop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DMS_SHOP_STATE]);
}

CwStatus
cw_workorder_get_status (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), CW_STATUS_NEW_ENTRY);

  return self->process.status;
}

/**
 * cw_workorder_get_process:
 * @self: a #CwWorkorder
 * @process: (out caller-allocates): where to copy the process state
 */
void
cw_workorder_get_process (CwWorkorder *self,
                          CwProcess   *process)
{
  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail (process != NULL);

  *process = self->process;
}

/**
 * cw_workorder_set_process:
 * @self: a #CwWorkorder
 * @process: the new process state
 *
 * Replaces the process state as it is. The rules are not applied here: a state loaded from
 * the store was valid when it was written, and changes go through the cw_process_*()
 * functions first.
 */
void
cw_workorder_set_process (CwWorkorder     *self,
                          const CwProcess *process)
{
  gboolean was_read_only, was_work_started;
  CwProcess old;

  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail (process != NULL);

  old = self->process;
  was_read_only = cw_workorder_is_read_only (self);
  was_work_started = cw_workorder_is_work_started (self);
  self->process = *process;

  g_object_freeze_notify (G_OBJECT (self));
  if (old.status != process->status)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  if (was_read_only != cw_workorder_is_read_only (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
  if (was_work_started != cw_workorder_is_work_started (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORK_STARTED]);
  if (old.resume_status != process->resume_status)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESUME_STATUS]);
  if (old.shop != process->shop)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOP_STATE]);
  if (old.cancel_reason != process->cancel_reason)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANCEL_REASON]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * cw_workorder_get_car:
 * @self: a #CwWorkorder
 *
 * Returns: (transfer none): the car; every workorder has one, possibly empty
 */
CwCar *
cw_workorder_get_car (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);

  return self->car;
}

/**
 * cw_workorder_set_car:
 * @self: a #CwWorkorder
 * @car: (nullable): the car; %NULL means an empty car
 */
void
cw_workorder_set_car (CwWorkorder *self,
                      CwCar       *car)
{
  g_autoptr(CwCar) empty = NULL;

  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail (!car || CW_IS_CAR (car));

  if (car == NULL)
    car = empty = cw_car_new ();

  if (g_set_object (&self->car, car))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAR]);
}

/* Replaces a party; the customer name notifies only when the name shown changes. */
static void
set_party_notifying (CwWorkorder *self,
                     CwPartyRole  role,
                     CwParty     *party)
{
  g_autofree char *old_name = cw_workorder_dup_customer_name (self);
  g_autofree char *new_name = NULL;

  g_set_object (&self->parties[role], party);
  new_name = cw_workorder_dup_customer_name (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRIVER + role]);
  if (g_strcmp0 (old_name, new_name) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_NAME]);
}

/**
 * cw_workorder_get_party:
 * @self: a #CwWorkorder
 * @role: the driver, owner or contractor
 *
 * Returns: (transfer none) (nullable): the party in @role, %NULL when the DMS gave none
 */
CwParty *
cw_workorder_get_party (CwWorkorder *self,
                        CwPartyRole  role)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);
  g_return_val_if_fail ((guint) role < CW_PARTY_N_ROLES, NULL);

  return self->parties[role];
}

/**
 * cw_workorder_set_party:
 * @self: a #CwWorkorder
 * @party: the party; it takes the place of its role
 */
void
cw_workorder_set_party (CwWorkorder *self,
                        CwParty     *party)
{
  CwPartyRole role;

  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail (CW_IS_PARTY (party));

  role = cw_party_get_role (party);
  if (self->parties[role] == party)
    return;

  set_party_notifying (self, role, party);
}

void
cw_workorder_clear_party (CwWorkorder *self,
                          CwPartyRole  role)
{
  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail ((guint) role < CW_PARTY_N_ROLES);

  if (self->parties[role] == NULL)
    return;

  set_party_notifying (self, role, NULL);
}

/**
 * cw_workorder_get_interventions:
 * @self: a #CwWorkorder
 *
 * The interventions, DMS lines first in the DMS's order, then the ones added in the app.
 *
 * Returns: (transfer none): a #GListModel of #CwIntervention
 */
GListModel *
cw_workorder_get_interventions (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);

  return G_LIST_MODEL (self->interventions);
}

void
cw_workorder_append_intervention (CwWorkorder    *self,
                                  CwIntervention *intervention)
{
  g_return_if_fail (CW_IS_WORKORDER (self));
  g_return_if_fail (CW_IS_INTERVENTION (intervention));

  g_list_store_append (self->interventions, intervention);
}

void
cw_workorder_clear_interventions (CwWorkorder *self)
{
  g_return_if_fail (CW_IS_WORKORDER (self));

  g_list_store_remove_all (self->interventions);
}

/**
 * cw_workorder_get_identity:
 * @self: a #CwWorkorder
 *
 * The key the workorder is known by in its DMS: the connector's DMS key, or else the DMS
 * number, or else the WO number. Importing the same identity again updates the workorder.
 *
 * Returns: (transfer none) (nullable): the identity, %NULL if the workorder has none
 */
const char *
cw_workorder_get_identity (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);

  if (self->fields[CW_WORKORDER_DMS_KEY] != NULL)
    return self->fields[CW_WORKORDER_DMS_KEY];
  if (self->fields[CW_WORKORDER_DMS_NUMBER] != NULL)
    return self->fields[CW_WORKORDER_DMS_NUMBER];

  return self->fields[CW_WORKORDER_WO_NUMBER];
}

/**
 * cw_workorder_dup_customer_name:
 * @self: a #CwWorkorder
 *
 * The customer shown on the list: the contractor, or else the owner, or else the driver,
 * whichever the DMS named first (docs/domain.md).
 *
 * Returns: (transfer full) (nullable): the name, or %NULL
 */
char *
cw_workorder_dup_customer_name (CwWorkorder *self)
{
  static const CwPartyRole order[] = {
    CW_PARTY_ROLE_CONTRACTOR, CW_PARTY_ROLE_OWNER, CW_PARTY_ROLE_DRIVER,
  };

  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      CwParty *party = self->parties[order[i]];
      char *name = party ? cw_party_dup_display_name (party) : NULL;

      if (name != NULL)
        return name;
    }

  return NULL;
}

/**
 * cw_workorder_is_read_only:
 * @self: a #CwWorkorder
 *
 * Returns: %TRUE for invoiced and canceled workorders, which no longer change in the app
 */
gboolean
cw_workorder_is_read_only (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), TRUE);

  return self->flags[CW_WORKORDER_BILLED] || self->process.status == CW_STATUS_CANCELED;
}

gboolean
cw_workorder_is_work_started (CwWorkorder *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER (self), FALSE);

  return cw_status_is_work_started (self->process.status);
}

/* The digest's input is built in one buffer and hashed at once: thousands of workorders
 * are digested on every poll, and small updates of a checksum cost more than the hash. */
static void
digest_text (GString    *input,
             const char *text)
{
  /* Absent and empty are different, and "ab"+"c" differs from "a"+"bc". */
  if (text == NULL)
    {
      g_string_append_c (input, '\x01');
      return;
    }

  g_string_append_c (input, '\x02');
  g_string_append (input, text);
  g_string_append_len (input, "", 1);
}

static void
digest_int (GString *input,
            gint64   value)
{
  /* Decimal, as "%" G_GINT64_FORMAT would print it, without the cost of printf. */
  char buffer[24];
  char *p = buffer + sizeof buffer;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  *--p = '\0';
  do
    *--p = (char) ('0' + magnitude % 10);
  while ((magnitude /= 10) != 0);
  if (value < 0)
    *--p = '-';

  digest_text (input, p);
}

static void
digest_date (GString     *input,
             const GDate *date)
{
  g_autofree char *iso = cw_date_to_iso (date);

  digest_text (input, iso);
}

/**
 * cw_workorder_dup_dms_digest:
 * @self: a #CwWorkorder
 *
 * A digest of everything the DMS says about the workorder (its fields, car, parties and
 * DMS interventions in order), and of nothing the app adds (the process, local lines,
 * sync times). The store compares it to tell whether a new import changes anything. The
 * DMS's in/out of shop state is left out: the store follows its changes on their own.
 *
 * Returns: (transfer full): the digest, as hexadecimal text
 */
char *
cw_workorder_dup_dms_digest (CwWorkorder *self)
{
  static const CwWorkorderField dms_fields[] = {
    CW_WORKORDER_CONNECTION_ID, CW_WORKORDER_DMS_KEY, CW_WORKORDER_DMS_NUMBER,
    CW_WORKORDER_WO_NUMBER, CW_WORKORDER_DMS_NOTES, CW_WORKORDER_LOCATION,
  };
  static const CwWorkorderTime dms_times[] = {
    CW_WORKORDER_APPOINTMENT, CW_WORKORDER_DMS_CREATED,
    CW_WORKORDER_SCHEDULED_IN, CW_WORKORDER_SCHEDULED_OUT,
  };
  g_autoptr(GString) input = g_string_sized_new (1024);
  guint n_items;

  g_return_val_if_fail (CW_IS_WORKORDER (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (dms_fields); i++)
    digest_text (input, self->fields[dms_fields[i]]);
  for (guint i = 0; i < G_N_ELEMENTS (dms_times); i++)
    digest_int (input, self->times[dms_times[i]] ? g_date_time_to_unix (self->times[dms_times[i]]) : -1);
  for (guint i = 0; i < CW_WORKORDER_N_FLAGS; i++)
    digest_int (input, self->flags[i]);
  digest_int (input, self->dms_mileage);

  for (guint i = 0; i < CW_CAR_N_FIELDS; i++)
    digest_text (input, cw_car_get_field (self->car, i));
  for (guint i = 0; i < CW_CAR_N_DATES; i++)
    digest_date (input, cw_car_get_date (self->car, i));

  for (guint role = 0; role < CW_PARTY_N_ROLES; role++)
    {
      CwParty *party = self->parties[role];

      digest_int (input, party != NULL);
      for (guint i = 0; party != NULL && i < CW_PARTY_N_FIELDS; i++)
        digest_text (input, cw_party_get_field (party, i));
      if (party != NULL)
        digest_int (input, cw_party_get_lease_company (party));
    }

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->interventions));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CwIntervention) item = g_list_model_get_item (G_LIST_MODEL (self->interventions), i);
      const char * const *codes = cw_intervention_get_part_codes (item);
      gint64 cents = 0;

      if (cw_intervention_get_source (item) != CW_INTERVENTION_SOURCE_DMS)
        continue;

      digest_text (input, cw_intervention_get_dms_line_id (item));
      digest_text (input, cw_intervention_get_title (item));
      digest_text (input, cw_intervention_get_description (item));
      digest_int (input, cw_intervention_get_element_kind (item));
      digest_int (input, cw_intervention_get_price (item, &cents));
      digest_int (input, cents);
      digest_text (input, cw_intervention_get_currency (item));
      for (guint j = 0; codes != NULL && codes[j] != NULL; j++)
        digest_text (input, codes[j]);
      digest_int (input, -2);
    }

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) input->str, input->len);
}

const char *
cw_workorder_field_get_name (CwWorkorderField field)
{
  g_return_val_if_fail ((guint) field < CW_WORKORDER_N_FIELDS, NULL);

  return field_names[field];
}

const char *
cw_workorder_time_get_name (CwWorkorderTime which)
{
  g_return_val_if_fail ((guint) which < CW_WORKORDER_N_TIMES, NULL);

  return time_names[which];
}

const char *
cw_workorder_flag_get_name (CwWorkorderFlag flag)
{
  g_return_val_if_fail ((guint) flag < CW_WORKORDER_N_FLAGS, NULL);

  return flag_names[flag];
}
