/* cw-status-filter.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-status-filter"

#include "config.h"

#include "cw-status-filter.h"
#include "cw-status.h"

/*
 * Which statuses the list shows: a check box per status, in the order of the workflow,
 * and "Show all". Built the first time it opens, not with the window. ::changed tells the
 * window to filter again; :hidden is one bit per CwStatus that is left out.
 */

struct _CwStatusFilter
{
  GtkPopover      parent_instance;

  /* Template widgets */
  GtkBox         *box;
  GtkLabel       *heading;

  GtkCheckButton *checks[CW_STATUS_CANCELED + 1];
  guint           hidden;
};

G_DEFINE_FINAL_TYPE (CwStatusFilter, cw_status_filter, GTK_TYPE_POPOVER)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_toggled_cb (GtkCheckButton *check,
               CwStatusFilter *self)
{
  CwStatus status = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "cw-status"));
  guint hidden = self->hidden;

  if (gtk_check_button_get_active (check))
    hidden &= ~(1u << status);
  else
    hidden |= 1u << status;

  if (hidden == self->hidden)
    return;

  self->hidden = hidden;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
cw_status_filter_show_all_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CwStatusFilter *self = CW_STATUS_FILTER (widget);

  for (guint i = 0; i < G_N_ELEMENTS (self->checks); i++)
    gtk_check_button_set_active (self->checks[i], TRUE);
}

static void
cw_status_filter_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_STATUS_FILTER);

  G_OBJECT_CLASS (cw_status_filter_parent_class)->dispose (object);
}

static void
cw_status_filter_class_init (CwStatusFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_status_filter_dispose;

  /**
   * CwStatusFilter::changed:
   *
   * A status was shown or hidden.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-status-filter.ui");
  gtk_widget_class_bind_template_child (widget_class, CwStatusFilter, box);
  gtk_widget_class_bind_template_child (widget_class, CwStatusFilter, heading);

  gtk_widget_class_install_action (widget_class, "filter.show-all", NULL, cw_status_filter_show_all_action);
}

static void
cw_status_filter_init (CwStatusFilter *self)
{
  GtkWidget *last;

  gtk_widget_init_template (GTK_WIDGET (self));
  last = GTK_WIDGET (self->heading);

  /* Every status, in the order of the workflow, between the heading and "Show all". */
  for (CwStatus status = CW_STATUS_NEW_ENTRY; status <= CW_STATUS_CANCELED; status++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (cw_status_get_label (status));

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      g_object_set_data (G_OBJECT (check), "cw-status", GUINT_TO_POINTER (status));
      g_signal_connect (check, "toggled", G_CALLBACK (on_toggled_cb), self);
      gtk_box_insert_child_after (self->box, check, last);
      self->checks[status] = GTK_CHECK_BUTTON (check);
      last = check;
    }
}

GtkWidget *
cw_status_filter_new (void)
{
  return g_object_new (CW_TYPE_STATUS_FILTER, NULL);
}

/**
 * cw_status_filter_get_hidden:
 * @self: a #CwStatusFilter
 *
 * Returns: one bit (1 << status) per #CwStatus the list leaves out
 */
guint
cw_status_filter_get_hidden (CwStatusFilter *self)
{
  g_return_val_if_fail (CW_IS_STATUS_FILTER (self), 0);

  return self->hidden;
}
