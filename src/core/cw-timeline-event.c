/* cw-timeline-event.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-timeline-event"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-core-enums.h"
#include "cw-text.h"
#include "cw-timeline-event.h"
#include "cw-util.h"

/*
 * One line of a workorder's timeline. The store keeps the facts (kind, statuses, detail);
 * the sentence shown to the advisor is made at display time, so it follows the language of
 * the desk rather than the language the event was recorded in.
 */

struct _CwTimelineEvent
{
  GObject         parent_instance;

  gint64          id;
  CwEventKind     kind;
  GDateTime      *at;
  char           *actor;
  CwStatus        status_from;
  CwStatus        status_to;
  CwCancelReason  cancel_reason;
  char           *detail;
};

G_DEFINE_FINAL_TYPE (CwTimelineEvent, cw_timeline_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_AT,
  PROP_ACTOR,
  PROP_STATUS_FROM,
  PROP_STATUS_TO,
  PROP_CANCEL_REASON,
  PROP_DETAIL,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cw_timeline_event_finalize (GObject *object)
{
  CwTimelineEvent *self = (CwTimelineEvent *)object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (cw_timeline_event_parent_class)->finalize (object);
}

static void
cw_timeline_event_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CwTimelineEvent *self = CW_TIMELINE_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;

    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;

    case PROP_STATUS_FROM:
      g_value_set_enum (value, self->status_from);
      break;

    case PROP_STATUS_TO:
      g_value_set_enum (value, self->status_to);
      break;

    case PROP_CANCEL_REASON:
      g_value_set_enum (value, self->cancel_reason);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    case PROP_DESCRIPTION:
      g_value_take_string (value, cw_timeline_event_dup_description (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_timeline_event_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CwTimelineEvent *self = CW_TIMELINE_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;

    case PROP_AT:
      cw_set_date_time (&self->at, g_value_get_boxed (value));
      break;

    case PROP_ACTOR:
      cw_set_text (&self->actor, g_value_get_string (value));
      break;

    case PROP_STATUS_FROM:
      self->status_from = g_value_get_enum (value);
      break;

    case PROP_STATUS_TO:
      self->status_to = g_value_get_enum (value);
      break;

    case PROP_CANCEL_REASON:
      self->cancel_reason = g_value_get_enum (value);
      break;

    case PROP_DETAIL:
      cw_set_text (&self->detail, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_timeline_event_class_init (CwTimelineEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* An event is a record of the past: every property is set once, at construction. */
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cw_timeline_event_finalize;
  object_class->get_property = cw_timeline_event_get_property;
  object_class->set_property = cw_timeline_event_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, co);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, CW_TYPE_EVENT_KIND, CW_EVENT_STATUS_CHANGED, co);
  properties[PROP_AT] = g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, co);
  properties[PROP_ACTOR] = g_param_spec_string ("actor", NULL, NULL, NULL, co);
  properties[PROP_STATUS_FROM] =
    g_param_spec_enum ("status-from", NULL, NULL, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY, co);
  properties[PROP_STATUS_TO] =
    g_param_spec_enum ("status-to", NULL, NULL, CW_TYPE_STATUS, CW_STATUS_NEW_ENTRY, co);
  properties[PROP_CANCEL_REASON] =
    g_param_spec_enum ("cancel-reason", NULL, NULL,
                       CW_TYPE_CANCEL_REASON, CW_CANCEL_REASON_NONE, co);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, co);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_timeline_event_init (CwTimelineEvent *self)
{
}

/**
 * cw_timeline_event_new:
 * @kind: what happened
 * @at: when it happened
 * @actor: (nullable): who did it; %NULL for the app itself
 *
 * Convenience for the common properties; the store sets the rest with g_object_new().
 *
 * Returns: (transfer full): a new event
 */
CwTimelineEvent *
cw_timeline_event_new (CwEventKind  kind,
                       GDateTime   *at,
                       const char  *actor)
{
  g_return_val_if_fail (at != NULL, NULL);

  return g_object_new (CW_TYPE_TIMELINE_EVENT,
                       "kind", kind,
                       "at", at,
                       "actor", actor,
                       NULL);
}

gint64
cw_timeline_event_get_id (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), 0);

  return self->id;
}

CwEventKind
cw_timeline_event_get_kind (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), CW_EVENT_STATUS_CHANGED);

  return self->kind;
}

/**
 * cw_timeline_event_get_at:
 * @self: a #CwTimelineEvent
 *
 * Returns: (transfer none): when the event happened
 */
GDateTime *
cw_timeline_event_get_at (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), NULL);

  return self->at;
}

const char *
cw_timeline_event_get_actor (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), NULL);

  return self->actor;
}

CwStatus
cw_timeline_event_get_status_from (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), CW_STATUS_NEW_ENTRY);

  return self->status_from;
}

CwStatus
cw_timeline_event_get_status_to (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), CW_STATUS_NEW_ENTRY);

  return self->status_to;
}

CwCancelReason
cw_timeline_event_get_cancel_reason (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), CW_CANCEL_REASON_NONE);

  return self->cancel_reason;
}

const char *
cw_timeline_event_get_detail (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), NULL);

  return self->detail;
}

/**
 * cw_timeline_event_dup_description:
 * @self: a #CwTimelineEvent
 *
 * Returns: (transfer full): the event as a sentence in the language of the desk
 */
char *
cw_timeline_event_dup_description (CwTimelineEvent *self)
{
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (self), NULL);

  switch (self->kind)
    {
    case CW_EVENT_STATUS_CHANGED:
      /* Translators: a status change on the timeline, e.g. "Check ready → Calculating" */
      return g_strdup_printf (_("%s → %s"),
                              cw_status_get_label (self->status_from),
                              cw_status_get_label (self->status_to));

    case CW_EVENT_CAR_IN:
      return g_strdup (_("Car in the shop"));

    case CW_EVENT_CAR_OUT:
      return g_strdup (_("Car left the shop"));

    case CW_EVENT_CANCELED:
      {
        const char *why = self->detail;

        if (self->cancel_reason != CW_CANCEL_REASON_OTHER || why == NULL)
          why = cw_cancel_reason_get_label (self->cancel_reason);
        if (why == NULL)
          return g_strdup (_("Canceled"));
        /* Translators: the reason follows, e.g. "Canceled: Customer no-show" */
        return g_strdup_printf (_("Canceled: %s"), why);
      }

    case CW_EVENT_IMPORTED:
      return g_strdup (_("Imported from the DMS"));

    case CW_EVENT_REFRESHED:
      return g_strdup (_("Refreshed from the DMS"));

    case CW_EVENT_SYNC_FAILED:
      if (self->detail != NULL)
        /* Translators: the DMS's error message follows */
        return g_strdup_printf (_("DMS sync failed: %s"), self->detail);
      return g_strdup (_("DMS sync failed"));

    case CW_EVENT_REFRESH_SKIPPED:
      return g_strdup (_("Not refreshed from the DMS: work has started"));

    case CW_EVENT_INTERVENTION_ADDED:
      if (self->detail != NULL)
        /* Translators: the intervention's title follows */
        return g_strdup_printf (_("Intervention added: %s"), self->detail);
      return g_strdup (_("Intervention added"));

    case CW_EVENT_INTERVENTION_CHANGED:
      if (self->detail != NULL)
        /* Translators: the intervention's title follows */
        return g_strdup_printf (_("Intervention changed: %s"), self->detail);
      return g_strdup (_("Intervention changed"));

    case CW_EVENT_INTERVENTION_REMOVED:
      if (self->detail != NULL)
        /* Translators: the intervention's title follows */
        return g_strdup_printf (_("Intervention removed: %s"), self->detail);
      return g_strdup (_("Intervention removed"));

    case CW_EVENT_MILEAGE_RECORDED:
      if (self->detail != NULL)
        {
          guint64 km = 0;
          g_autofree char *grouped = NULL;

          if (g_ascii_string_to_unsigned (self->detail, 10, 0, G_MAXINT64, &km, NULL))
            grouped = cw_text_dup_grouped ((gint64) km);
          /* Translators: a mileage in km follows, e.g. "Mileage recorded: 123,456 km" */
          return g_strdup_printf (_("Mileage recorded: %s km"), grouped != NULL ? grouped : self->detail);
        }
      return g_strdup (_("Mileage recorded"));

    case CW_EVENT_WRITTEN_BACK:
      if (self->detail != NULL)
        /* Translators: what was sent follows, e.g. "Written to the DMS: Intervention “Brake check”" */
        return g_strdup_printf (_("Written to the DMS: %s"), self->detail);
      return g_strdup (_("Written to the DMS"));

    case CW_EVENT_WRITEBACK_FAILED:
      if (self->detail != NULL)
        /* Translators: what could not be sent follows */
        return g_strdup_printf (_("Not written to the DMS: %s"), self->detail);
      return g_strdup (_("Not written to the DMS"));

    default:
      g_return_val_if_reached (g_strdup (""));
    }
}
