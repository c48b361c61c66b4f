/* cw-outbox-entry.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-outbox-entry"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-outbox-entry.h"
#include "cw-text.h"

/*
 * One change waiting to reach the DMS, as the store keeps it and a connector sends it.
 * The idempotency key is made once, when the change is stored, and every attempt carries
 * the same key, so that a DMS that received an attempt whose answer was lost applies the
 * change once. The payload is a copy of what was asked for at that moment: an intervention
 * or a mileage reading, with the identity of the workorder in the DMS.
 */

struct _CwOutboxEntry
{
  GObject         parent_instance;

  gint64          id;
  CwOutboxKind    kind;
  char           *idem_key;
  gint64          workorder_id;
  char           *connection_id;
  char           *dms_key;
  char           *wo_number;
  CwIntervention *intervention;
  gint64          mileage;
  gint64          dms_mileage;
  CwOutboxState   state;
  guint           attempts;
  char           *last_error;
  GDateTime      *created_at;
  GDateTime      *sent_at;
  GDateTime      *next_attempt_at;
};

G_DEFINE_FINAL_TYPE (CwOutboxEntry, cw_outbox_entry, G_TYPE_OBJECT)

static void
cw_outbox_entry_finalize (GObject *object)
{
  CwOutboxEntry *self = (CwOutboxEntry *)object;

  g_clear_pointer (&self->idem_key, g_free);
  g_clear_pointer (&self->connection_id, g_free);
  g_clear_pointer (&self->dms_key, g_free);
  g_clear_pointer (&self->wo_number, g_free);
  g_clear_object (&self->intervention);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->sent_at, g_date_time_unref);
  g_clear_pointer (&self->next_attempt_at, g_date_time_unref);

  G_OBJECT_CLASS (cw_outbox_entry_parent_class)->finalize (object);
}

static void
cw_outbox_entry_class_init (CwOutboxEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_outbox_entry_finalize;
}

static void
cw_outbox_entry_init (CwOutboxEntry *self)
{
  self->mileage = -1;
  self->dms_mileage = -1;
}

/**
 * cw_outbox_entry_new:
 * @kind: what the change carries
 * @idem_key: its idempotency key, sent with every attempt
 *
 * Returns: (transfer full): a pending entry
 */
CwOutboxEntry *
cw_outbox_entry_new (CwOutboxKind  kind,
                     const char   *idem_key)
{
  CwOutboxEntry *self;

  g_return_val_if_fail (idem_key != NULL && *idem_key != '\0', NULL);

  self = g_object_new (CW_TYPE_OUTBOX_ENTRY, NULL);
  self->kind = kind;
  self->idem_key = g_strdup (idem_key);

  return self;
}

#define STRING_ACCESSORS(field)                                                   \
const char *                                                                      \
cw_outbox_entry_get_##field (CwOutboxEntry *self)                                 \
{                                                                                 \
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), NULL);                         \
  return self->field;                                                             \
}                                                                                 \
void                                                                              \
cw_outbox_entry_set_##field (CwOutboxEntry *self,                                 \
                             const char    *value)                                \
{                                                                                 \
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));                                   \
  if (value != self->field)                                                       \
    {                                                                             \
      g_free (self->field);                                                       \
      self->field = g_strdup (value);                                             \
    }                                                                             \
}

#define TIME_ACCESSORS(field)                                                     \
GDateTime *                                                                       \
cw_outbox_entry_get_##field (CwOutboxEntry *self)                                 \
{                                                                                 \
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), NULL);                         \
  return self->field;                                                             \
}                                                                                 \
void                                                                              \
cw_outbox_entry_set_##field (CwOutboxEntry *self,                                 \
                             GDateTime     *value)                                \
{                                                                                 \
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));                                   \
  if (value != NULL)                                                              \
    g_date_time_ref (value);                                                      \
  g_clear_pointer (&self->field, g_date_time_unref);                              \
  self->field = value;                                                            \
}

STRING_ACCESSORS (connection_id)
STRING_ACCESSORS (dms_key)
STRING_ACCESSORS (wo_number)
STRING_ACCESSORS (last_error)
TIME_ACCESSORS (created_at)
TIME_ACCESSORS (sent_at)
TIME_ACCESSORS (next_attempt_at)

gint64
cw_outbox_entry_get_id (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), 0);

  return self->id;
}

void
cw_outbox_entry_set_id (CwOutboxEntry *self,
                        gint64         id)
{
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));

  self->id = id;
}

CwOutboxKind
cw_outbox_entry_get_kind (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), CW_OUTBOX_INTERVENTION);

  return self->kind;
}

const char *
cw_outbox_entry_get_idem_key (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), NULL);

  return self->idem_key;
}

gint64
cw_outbox_entry_get_workorder_id (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), 0);

  return self->workorder_id;
}

void
cw_outbox_entry_set_workorder_id (CwOutboxEntry *self,
                                  gint64         workorder_id)
{
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));

  self->workorder_id = workorder_id;
}

/**
 * cw_outbox_entry_get_intervention:
 * @self: a #CwOutboxEntry of kind %CW_OUTBOX_INTERVENTION
 *
 * Returns: (transfer none) (nullable): the line to add in the DMS, as it was when the
 *   entry was last written
 */
CwIntervention *
cw_outbox_entry_get_intervention (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), NULL);

  return self->intervention;
}

void
cw_outbox_entry_set_intervention (CwOutboxEntry  *self,
                                  CwIntervention *intervention)
{
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));
  g_return_if_fail (intervention == NULL || CW_IS_INTERVENTION (intervention));

  g_set_object (&self->intervention, intervention);
}

/**
 * cw_outbox_entry_get_mileage:
 * @self: a #CwOutboxEntry of kind %CW_OUTBOX_MILEAGE
 *
 * Returns: the reading to record in the DMS, in km; -1 for an entry of another kind
 */
gint64
cw_outbox_entry_get_mileage (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), -1);

  return self->mileage;
}

void
cw_outbox_entry_set_mileage (CwOutboxEntry *self,
                             gint64         mileage)
{
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));

  self->mileage = mileage;
}

/**
 * cw_outbox_entry_get_dms_mileage:
 * @self: a #CwOutboxEntry
 *
 * Returns: the DMS mileage the workorder had when the entry was written (a connector
 *   may send it so that the DMS can refuse a reading that is no longer higher), or -1
 */
gint64
cw_outbox_entry_get_dms_mileage (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), -1);

  return self->dms_mileage;
}

void
cw_outbox_entry_set_dms_mileage (CwOutboxEntry *self,
                                 gint64         dms_mileage)
{
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));

  self->dms_mileage = dms_mileage;
}

CwOutboxState
cw_outbox_entry_get_state (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), CW_OUTBOX_PENDING);

  return self->state;
}

void
cw_outbox_entry_set_state (CwOutboxEntry *self,
                           CwOutboxState  state)
{
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));

  self->state = state;
}

guint
cw_outbox_entry_get_attempts (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), 0);

  return self->attempts;
}

void
cw_outbox_entry_set_attempts (CwOutboxEntry *self,
                              guint          attempts)
{
  g_return_if_fail (CW_IS_OUTBOX_ENTRY (self));

  self->attempts = attempts;
}

/**
 * cw_outbox_entry_dup_summary:
 * @self: a #CwOutboxEntry
 *
 * Returns: (transfer full): what the entry carries, for the advisor: “Intervention
 *   “Brake check”” or “Mileage 123,456 km”
 */
char *
cw_outbox_entry_dup_summary (CwOutboxEntry *self)
{
  g_return_val_if_fail (CW_IS_OUTBOX_ENTRY (self), NULL);

  if (self->kind == CW_OUTBOX_MILEAGE)
    {
      g_autofree char *km = cw_text_dup_grouped (self->mileage);

      /* Translators: a mileage sent to the DMS; %s is a number of kilometres */
      return g_strdup_printf (_("Mileage %s km"), km);
    }
  else
    {
      const char *title = self->intervention != NULL ? cw_intervention_get_title (self->intervention) : NULL;
      g_autofree char *quoted = cw_text_quote (title != NULL ? title : "");

      /* Translators: an intervention sent to the DMS; %s is its title */
      return g_strdup_printf (_("Intervention “%s”"), quoted);
    }
}
