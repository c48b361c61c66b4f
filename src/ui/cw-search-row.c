/* cw-search-row.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-search-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-search-row.h"
#include "cw-status.h"

/*
 * A row of the search results: a workorder (its numbers, car, customer, day and status) or
 * what can be done instead (import, sync now), with a spinner while an import runs.
 */

struct _CwSearchRow
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkImage       *icon;
  GtkLabel       *title;
  GtkLabel       *subtitle;
  GtkSpinner     *spinner;

  CwSearchResult *result;
  gulong          busy_handler;
};

G_DEFINE_FINAL_TYPE (CwSearchRow, cw_search_row, GTK_TYPE_WIDGET)

static void
append_part (GString    *text,
             const char *part)
{
  if (part == NULL || *part == '\0')
    return;

  if (text->len > 0)
    /* Translators: what separates the parts of a search result's second line */
    g_string_append (text, _(" · "));
  g_string_append (text, part);
}

static void
show_workorder (CwSearchRow        *self,
                CwWorkorderSummary *summary)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *when = NULL;
  GDateTime *appointment = cw_workorder_summary_get_appointment (summary);
  const char *wo_number = cw_workorder_summary_get_wo_number (summary);

  if (wo_number != NULL)
    /* Translators: %s is a WO number */
    g_string_append_printf (title, _("WO %s"), wo_number);
  append_part (title, cw_workorder_summary_get_plate_display (summary));

  append_part (subtitle, cw_workorder_summary_get_customer (summary));
  append_part (subtitle, cw_workorder_summary_get_make_model (summary));
  if (appointment != NULL)
    /* Translators: the day and time of an appointment in a search result; see g_date_time_format() */
    when = g_date_time_format (appointment, _("%a %-d %b %Y, %H:%M"));
  append_part (subtitle, when);
  append_part (subtitle, cw_status_get_label (cw_workorder_summary_get_status (summary)));

  gtk_image_set_from_icon_name (self->icon, cw_status_get_icon_name (cw_workorder_summary_get_status (summary)));
  gtk_label_set_label (self->title, title->str);
  gtk_label_set_label (self->subtitle, subtitle->str);
}

static const char *
action_icon (CwSearchResultKind kind)
{
  switch (kind)
    {
    case CW_SEARCH_RESULT_IMPORT:
      return "document-save-symbolic";
    case CW_SEARCH_RESULT_SYNC:
      return "view-refresh-symbolic";
    case CW_SEARCH_RESULT_NONE:
    case CW_SEARCH_RESULT_WORKORDER:
    default:
      return "edit-find-symbolic";
    }
}

static void
on_busy_changed_cb (CwSearchRow *self)
{
  gboolean busy = self->result != NULL && cw_search_result_get_busy (self->result);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
cw_search_row_dispose (GObject *object)
{
  CwSearchRow *self = (CwSearchRow *)object;

  GtkWidget *child;

  cw_search_row_set_result (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_SEARCH_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cw_search_row_parent_class)->dispose (object);
}

static void
cw_search_row_class_init (CwSearchRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_search_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-search-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CwSearchRow, icon);
  gtk_widget_class_bind_template_child (widget_class, CwSearchRow, title);
  gtk_widget_class_bind_template_child (widget_class, CwSearchRow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, CwSearchRow, spinner);
}

static void
cw_search_row_init (CwSearchRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cw_search_row_new (void)
{
  return g_object_new (CW_TYPE_SEARCH_ROW, NULL);
}

/**
 * cw_search_row_get_result:
 * @self: a #CwSearchRow
 *
 * Returns: (transfer none) (nullable): the result the row shows
 */
CwSearchResult *
cw_search_row_get_result (CwSearchRow *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_ROW (self), NULL);

  return self->result;
}

void
cw_search_row_set_result (CwSearchRow    *self,
                          CwSearchResult *result)
{
  g_return_if_fail (CW_IS_SEARCH_ROW (self));
  g_return_if_fail (!result || CW_IS_SEARCH_RESULT (result));

  if (self->result == result)
    return;

  if (self->result != NULL)
    g_clear_signal_handler (&self->busy_handler, self->result);
  g_set_object (&self->result, result);

  if (result == NULL)
    {
      on_busy_changed_cb (self);
      return;
    }

  if (cw_search_result_get_kind (result) == CW_SEARCH_RESULT_WORKORDER)
    show_workorder (self, cw_search_result_get_summary (result));
  else
    {
      gtk_image_set_from_icon_name (self->icon, action_icon (cw_search_result_get_kind (result)));
      gtk_label_set_label (self->title, cw_search_result_get_title (result));
      gtk_label_set_label (self->subtitle, cw_search_result_get_subtitle (result));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle),
                          *gtk_label_get_label (self->subtitle) != '\0');

  self->busy_handler = g_signal_connect_object (result, "notify::busy",
                                                G_CALLBACK (on_busy_changed_cb), self,
                                                G_CONNECT_SWAPPED);
  on_busy_changed_cb (self);
}
