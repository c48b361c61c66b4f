/* cw-day-popover.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-day-popover"

#include "config.h"

#include "cw-day-popover.h"

/*
 * The header bar's day picker: a calendar for the first day and how many days to show,
 * 1 to 7 (Claire's widest range). It is built the first time it opens, not with the
 * window. ::days-changed tells the window when the advisor picks another range.
 */

struct _CwDayPopover
{
  GtkPopover     parent_instance;

  /* Template widgets */
  GtkCalendar   *calendar;
  GtkSpinButton *days_spin;

  /* Set while the widgets are made to show a range, so that they report nothing. */
  gboolean       syncing;
};

G_DEFINE_FINAL_TYPE (CwDayPopover, cw_day_popover, GTK_TYPE_POPOVER)

enum {
  DAYS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_day_selected_cb (CwDayPopover *self)
{
  if (!self->syncing)
    g_signal_emit (self, signals[DAYS_CHANGED], 0);
}

static void
on_days_changed_cb (CwDayPopover *self)
{
  if (!self->syncing)
    g_signal_emit (self, signals[DAYS_CHANGED], 0);
}

static void
cw_day_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_DAY_POPOVER);

  G_OBJECT_CLASS (cw_day_popover_parent_class)->dispose (object);
}

static void
cw_day_popover_class_init (CwDayPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_day_popover_dispose;

  /**
   * CwDayPopover::days-changed:
   *
   * The advisor picked another first day or number of days.
   */
  signals[DAYS_CHANGED] =
    g_signal_new ("days-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-day-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, CwDayPopover, calendar);
  gtk_widget_class_bind_template_child (widget_class, CwDayPopover, days_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_days_changed_cb);
}

static void
cw_day_popover_init (CwDayPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cw_day_popover_new (void)
{
  return g_object_new (CW_TYPE_DAY_POPOVER, NULL);
}

/**
 * cw_day_popover_set_days:
 * @self: a #CwDayPopover
 * @first_day: the first day shown
 * @n_days: how many days are shown, 1 to 7
 *
 * Shows the range the list shows, without reporting it as a change.
 */
void
cw_day_popover_set_days (CwDayPopover *self,
                         const GDate  *first_day,
                         guint         n_days)
{
  g_autoptr(GDateTime) day = NULL;

  g_return_if_fail (CW_IS_DAY_POPOVER (self));
  g_return_if_fail (first_day != NULL && g_date_valid (first_day));

  day = g_date_time_new_local (g_date_get_year (first_day), g_date_get_month (first_day),
                               g_date_get_day (first_day), 12, 0, 0);
  self->syncing = TRUE;
  gtk_calendar_select_day (self->calendar, day);
  gtk_spin_button_set_value (self->days_spin, n_days);
  self->syncing = FALSE;
}

/**
 * cw_day_popover_get_days:
 * @self: a #CwDayPopover
 * @first_day: (out caller-allocates): the first day picked
 * @n_days: (out): how many days
 */
void
cw_day_popover_get_days (CwDayPopover *self,
                         GDate        *first_day,
                         guint        *n_days)
{
  g_autoptr(GDateTime) picked = NULL;

  g_return_if_fail (CW_IS_DAY_POPOVER (self));
  g_return_if_fail (first_day != NULL && n_days != NULL);

  picked = gtk_calendar_get_date (self->calendar);
  g_date_clear (first_day, 1);
  g_date_set_dmy (first_day, g_date_time_get_day_of_month (picked), g_date_time_get_month (picked),
                  g_date_time_get_year (picked));
  *n_days = (guint) gtk_spin_button_get_value_as_int (self->days_spin);
}
