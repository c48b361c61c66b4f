/* cw-cancel-dialog.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-cancel-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-cancel-dialog.h"
#include "cw-text.h"

/*
 * Asks why a workorder is canceled: customer no-show, customer cancelation, dealer
 * cancelation, or another reason the advisor writes down. "Cancel Workorder" stays
 * insensitive until a reason is chosen, and for "Other" until there is text; typing a
 * reason chooses "Other". Escape keeps the workorder; Enter confirms when it may. The
 * caller reads the answer in its ::response handler (response "confirm"), and checks
 * cw_cancel_dialog_get_can_confirm() there: adw_message_dialog_response() does not.
 */

struct _CwCancelDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  AdwActionRow     *no_show_row;
  AdwActionRow     *customer_row;
  AdwActionRow     *dealer_row;
  AdwActionRow     *other_row;
  GtkCheckButton   *no_show_check;
  GtkCheckButton   *customer_check;
  GtkCheckButton   *dealer_check;
  GtkCheckButton   *other_check;
  AdwEntryRow      *other_entry;
};

G_DEFINE_FINAL_TYPE (CwCancelDialog, cw_cancel_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
update_confirm (CwCancelDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "confirm",
                                           cw_cancel_dialog_get_can_confirm (self));
}

static void
on_other_text_changed_cb (CwCancelDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->other_entry));

  /* Writing a reason is choosing "Other". */
  if (text != NULL && *text != '\0' && !gtk_check_button_get_active (self->other_check))
    gtk_check_button_set_active (self->other_check, TRUE);

  update_confirm (self);
}

static void
on_other_toggled_cb (CwCancelDialog *self)
{
  if (gtk_check_button_get_active (self->other_check))
    gtk_widget_grab_focus (GTK_WIDGET (self->other_entry));

  update_confirm (self);
}

static void
cw_cancel_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_CANCEL_DIALOG);

  G_OBJECT_CLASS (cw_cancel_dialog_parent_class)->dispose (object);
}

static void
cw_cancel_dialog_class_init (CwCancelDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_cancel_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-cancel-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, no_show_row);
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, customer_row);
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, dealer_row);
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, other_row);
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, no_show_check);
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, customer_check);
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, dealer_check);
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, other_check);
  gtk_widget_class_bind_template_child (widget_class, CwCancelDialog, other_entry);
}

static void
cw_cancel_dialog_init (CwCancelDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The reasons' names are the workflow's own, translated once in src/core. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->no_show_row),
                                 cw_cancel_reason_get_label (CW_CANCEL_REASON_NO_SHOW));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->customer_row),
                                 cw_cancel_reason_get_label (CW_CANCEL_REASON_CUSTOMER));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->dealer_row),
                                 cw_cancel_reason_get_label (CW_CANCEL_REASON_DEALER));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->other_row),
                                 cw_cancel_reason_get_label (CW_CANCEL_REASON_OTHER));
  adw_action_row_set_subtitle (self->other_row, _("Write the reason below"));

  g_signal_connect_object (self->no_show_check, "toggled", G_CALLBACK (update_confirm), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->customer_check, "toggled", G_CALLBACK (update_confirm), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->dealer_check, "toggled", G_CALLBACK (update_confirm), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->other_check, "toggled", G_CALLBACK (on_other_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->other_entry, "changed", G_CALLBACK (on_other_text_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * cw_cancel_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @workorder_label: how the workorder is called, e.g. "WO 12345"
 *
 * Returns: (transfer none): a new dialog; present it with gtk_window_present()
 */
CwCancelDialog *
cw_cancel_dialog_new (GtkWindow  *parent,
                      const char *workorder_label)
{
  CwCancelDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (workorder_label != NULL, NULL);

  self = g_object_new (CW_TYPE_CANCEL_DIALOG, "transient-for", parent, NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  /* Translators: %s names the workorder, e.g. "WO 12345" */
                                  _("Choose why %s is canceled. A canceled workorder can no longer change."),
                                  workorder_label);

  return self;
}

/**
 * cw_cancel_dialog_get_reason:
 * @self: a #CwCancelDialog
 *
 * Returns: the reason chosen, %CW_CANCEL_REASON_NONE while none is
 */
CwCancelReason
cw_cancel_dialog_get_reason (CwCancelDialog *self)
{
  g_return_val_if_fail (CW_IS_CANCEL_DIALOG (self), CW_CANCEL_REASON_NONE);

  if (gtk_check_button_get_active (self->no_show_check))
    return CW_CANCEL_REASON_NO_SHOW;
  if (gtk_check_button_get_active (self->customer_check))
    return CW_CANCEL_REASON_CUSTOMER;
  if (gtk_check_button_get_active (self->dealer_check))
    return CW_CANCEL_REASON_DEALER;
  if (gtk_check_button_get_active (self->other_check))
    return CW_CANCEL_REASON_OTHER;

  return CW_CANCEL_REASON_NONE;
}

/**
 * cw_cancel_dialog_dup_text:
 * @self: a #CwCancelDialog
 *
 * Returns: (transfer full) (nullable): the reason written for "Other", trimmed; %NULL
 *   when blank or when another reason is chosen
 */
char *
cw_cancel_dialog_dup_text (CwCancelDialog *self)
{
  g_return_val_if_fail (CW_IS_CANCEL_DIALOG (self), NULL);

  if (cw_cancel_dialog_get_reason (self) != CW_CANCEL_REASON_OTHER)
    return NULL;

  return cw_text_dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->other_entry)));
}

/**
 * cw_cancel_dialog_get_can_confirm:
 * @self: a #CwCancelDialog
 *
 * Returns: %TRUE when a reason is chosen, with text for "Other"
 */
gboolean
cw_cancel_dialog_get_can_confirm (CwCancelDialog *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (CW_IS_CANCEL_DIALOG (self), FALSE);

  switch (cw_cancel_dialog_get_reason (self))
    {
    case CW_CANCEL_REASON_NONE:
      return FALSE;

    case CW_CANCEL_REASON_OTHER:
      text = cw_cancel_dialog_dup_text (self);
      return text != NULL;

    case CW_CANCEL_REASON_NO_SHOW:
    case CW_CANCEL_REASON_CUSTOMER:
    case CW_CANCEL_REASON_DEALER:
    default:
      return TRUE;
    }
}
