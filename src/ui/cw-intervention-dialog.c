/* cw-intervention-dialog.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-intervention-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-intervention-dialog.h"
#include "cw-money.h"
#include "cw-text.h"

/*
 * Adds an intervention of the advisor's own, or edits one: a title (required), a
 * description and a price (both optional). The price is read as the advisor types it in
 * the desk's language (cw_money_parse_localized()); when it cannot be read, the dialog says
 * why under the field and will not save. Escape cancels; Enter saves when it may. The
 * caller reads the answer in its ::response handler (response "save").
 */

struct _CwInterventionDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  AdwEntryRow      *title_row;
  AdwEntryRow      *description_row;
  AdwEntryRow      *price_row;
  GtkLabel         *price_error;

  gint64            intervention_id;
};

G_DEFINE_FINAL_TYPE (CwInterventionDialog, cw_intervention_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* Reads the price field: TRUE with *has_price FALSE when it is blank. */
static gboolean
parse_price (CwInterventionDialog  *self,
             gboolean              *has_price,
             gint64                *cents,
             GError               **error)
{
  g_autofree char *text = cw_text_dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->price_row)));

  *has_price = text != NULL;
  if (text == NULL)
    return TRUE;

  return cw_money_parse_localized (text, NULL, cents, error);
}

static void
update_save (CwInterventionDialog *self)
{
  g_autoptr(GError) error = NULL;
  gboolean has_price;
  gint64 cents;

  if (parse_price (self, &has_price, &cents, &error))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->price_row), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->price_error), FALSE);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->price_row), GTK_ACCESSIBLE_STATE_INVALID);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->price_row), "error");
      gtk_label_set_label (self->price_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->price_error), TRUE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->price_row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "save",
                                           cw_intervention_dialog_get_can_save (self));
}

static void
cw_intervention_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_INTERVENTION_DIALOG);

  G_OBJECT_CLASS (cw_intervention_dialog_parent_class)->dispose (object);
}

static void
cw_intervention_dialog_class_init (CwInterventionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_intervention_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-intervention-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwInterventionDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, CwInterventionDialog, description_row);
  gtk_widget_class_bind_template_child (widget_class, CwInterventionDialog, price_row);
  gtk_widget_class_bind_template_child (widget_class, CwInterventionDialog, price_error);
}

static void
cw_intervention_dialog_init (CwInterventionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->title_row, "changed", G_CALLBACK (update_save), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->price_row, "changed", G_CALLBACK (update_save), self, G_CONNECT_SWAPPED);
}

/**
 * cw_intervention_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @intervention: (nullable): the line to edit, or %NULL to add one
 *
 * Returns: (transfer none): a new dialog; present it with gtk_window_present()
 */
CwInterventionDialog *
cw_intervention_dialog_new (GtkWindow      *parent,
                            CwIntervention *intervention)
{
  CwInterventionDialog *self;
  gint64 cents;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (intervention == NULL || CW_IS_INTERVENTION (intervention), NULL);

  self = g_object_new (CW_TYPE_INTERVENTION_DIALOG, "transient-for", parent, NULL);
  if (intervention == NULL)
    return self;

  self->intervention_id = cw_intervention_get_id (intervention);
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self), _("Edit Intervention"));
  adw_message_dialog_set_response_label (ADW_MESSAGE_DIALOG (self), "save", _("_Save"));

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), cw_intervention_get_title (intervention) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), cw_intervention_get_description (intervention) ?: "");
  if (cw_intervention_get_price (intervention, &cents))
    {
      /* What the app writes, it reads back (docs/money.md). */
      g_autofree char *price = cw_money_format (cents, cw_intervention_get_currency (intervention), NULL);

      gtk_editable_set_text (GTK_EDITABLE (self->price_row), price);
    }

  return self;
}

/**
 * cw_intervention_dialog_get_intervention_id:
 * @self: a #CwInterventionDialog
 *
 * Returns: the id of the line being edited, 0 when adding one
 */
gint64
cw_intervention_dialog_get_intervention_id (CwInterventionDialog *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION_DIALOG (self), 0);

  return self->intervention_id;
}

/**
 * cw_intervention_dialog_dup_line_title:
 * @self: a #CwInterventionDialog
 *
 * Returns: (transfer full) (nullable): the title typed, trimmed; %NULL when blank
 */
char *
cw_intervention_dialog_dup_line_title (CwInterventionDialog *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION_DIALOG (self), NULL);

  return cw_text_dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
}

/**
 * cw_intervention_dialog_dup_description:
 * @self: a #CwInterventionDialog
 *
 * Returns: (transfer full) (nullable): the description typed, trimmed; %NULL when blank
 */
char *
cw_intervention_dialog_dup_description (CwInterventionDialog *self)
{
  g_return_val_if_fail (CW_IS_INTERVENTION_DIALOG (self), NULL);

  return cw_text_dup_stripped (gtk_editable_get_text (GTK_EDITABLE (self->description_row)));
}

/**
 * cw_intervention_dialog_get_price:
 * @self: a #CwInterventionDialog
 * @cents: (out) (optional): the price in cents
 *
 * Returns: %TRUE if a price was typed and can be read
 */
gboolean
cw_intervention_dialog_get_price (CwInterventionDialog *self,
                                  gint64               *cents)
{
  gboolean has_price = FALSE;
  gint64 value = 0;

  g_return_val_if_fail (CW_IS_INTERVENTION_DIALOG (self), FALSE);

  if (!parse_price (self, &has_price, &value, NULL) || !has_price)
    return FALSE;

  if (cents != NULL)
    *cents = value;

  return TRUE;
}

/**
 * cw_intervention_dialog_get_can_save:
 * @self: a #CwInterventionDialog
 *
 * Returns: %TRUE when the title is not blank and the price is blank or an amount
 */
gboolean
cw_intervention_dialog_get_can_save (CwInterventionDialog *self)
{
  g_autofree char *title = NULL;
  gboolean has_price;
  gint64 cents;

  g_return_val_if_fail (CW_IS_INTERVENTION_DIALOG (self), FALSE);

  title = cw_intervention_dialog_dup_line_title (self);

  return title != NULL && parse_price (self, &has_price, &cents, NULL);
}
