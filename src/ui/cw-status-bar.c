/* cw-status-bar.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-status-bar"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-status-bar.h"

/*
 * The workshop process of one workorder, on its page: where it stands (status, the ten
 * forward steps as a track, in or out of the shop), and the buttons for what the rules
 * allow next: the next step (with the later ones in its menu: a desk may record "Car
 * ready" when the mechanic says so), the in/out toggle, Backorder and Cancel. The buttons
 * are bound to the page's "workorder.*" actions, which the page enables from the same
 * rules (src/core/cw-status.h); this widget only shows and hides them. A canceled or
 * invoiced workorder shows why, and no buttons.
 */

struct _CwStatusBar
{
  AdwBin            parent_instance;

  /* Template widgets */
  GtkImage         *status_icon;
  GtkLabel         *status_label;
  GtkLabel         *detail_label;
  GtkBox           *shop_box;
  GtkImage         *shop_icon;
  GtkLabel         *shop_label;
  GtkLevelBar      *track;
  GtkWidget        *actions_row;
  AdwSplitButton   *advance_button;
  GtkLabel         *advance_label;
  GtkButton        *shop_button;
  AdwButtonContent *shop_content;
  GtkButton        *backorder_button;
  GtkButton        *cancel_button;
};

G_DEFINE_FINAL_TYPE (CwStatusBar, cw_status_bar, ADW_TYPE_BIN)

/**
 * cw_status_bar_next_step:
 * @process: the process state
 *
 * The step "workorder.advance" moves to: the next forward step, or, in Backorder, the step
 * the workorder was at when it entered it.
 *
 * Returns: the next step, or @process's own status when there is none (Car ready,
 *   Canceled)
 */
CwStatus
cw_status_bar_next_step (const CwProcess *process)
{
  g_return_val_if_fail (process != NULL, CW_STATUS_NEW_ENTRY);

  if (process->status == CW_STATUS_BACKORDER)
    return process->resume_status;

  return cw_status_next_step (process->status);
}

/* The step the track fills up to: Backorder and Canceled show where they came from. */
static CwStatus
reached_step (const CwProcess *process)
{
  if (cw_status_is_step (process->status))
    return process->status;

  return cw_status_is_step (process->resume_status) ? process->resume_status : CW_STATUS_NEW_ENTRY;
}

static GMenuModel *
build_skip_menu (const CwProcess *process,
                 CwStatus         next)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  for (CwStatus step = next + 1; step <= CW_STATUS_LAST_STEP; step++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (!cw_process_can_advance (process, step, NULL))
        continue;

      item = g_menu_item_new (cw_status_get_label (step), NULL);
      g_menu_item_set_action_and_target_value (item, "workorder.advance-to",
                                               g_variant_new_int32 (step));
      g_menu_append_item (section, item);
    }

  if (g_menu_model_get_n_items (G_MENU_MODEL (section)) == 0)
    return NULL;

  /* Translators: the heading of the menu of later steps a workorder can skip ahead to */
  g_menu_append_section (menu, _("Skip Ahead To"), G_MENU_MODEL (section));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
show_shop (CwStatusBar *self,
           CwShopState  shop)
{
  switch (shop)
    {
    case CW_SHOP_IN:
      gtk_image_set_from_icon_name (self->shop_icon, "cw-car-in-shop-symbolic");
      gtk_label_set_label (self->shop_label, _("In the shop"));
      adw_button_content_set_icon_name (self->shop_content, "cw-car-left-shop-symbolic");
      adw_button_content_set_label (self->shop_content, _("Car _Out"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->shop_button), _("Report that the car has left the shop"));
      break;

    case CW_SHOP_LEFT:
      gtk_image_set_from_icon_name (self->shop_icon, "cw-car-left-shop-symbolic");
      gtk_label_set_label (self->shop_label, _("Left the shop"));
      adw_button_content_set_icon_name (self->shop_content, "cw-car-in-shop-symbolic");
      adw_button_content_set_label (self->shop_content, _("Car _In"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->shop_button), _("Report the car back in the shop"));
      break;

    case CW_SHOP_NOT_ARRIVED:
    default:
      gtk_image_set_from_icon_name (self->shop_icon, "x-office-calendar-symbolic");
      gtk_label_set_label (self->shop_label, _("Not arrived yet"));
      adw_button_content_set_icon_name (self->shop_content, "cw-car-in-shop-symbolic");
      adw_button_content_set_label (self->shop_content, _("Car _In"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->shop_button), _("Report the car in the shop"));
      break;
    }
}

static char *
dup_detail (const CwProcess *process,
            const char      *cancel_text,
            gboolean         billed,
            CwStatus         next)
{
  CwStatus reached = reached_step (process);

  if (process->status == CW_STATUS_CANCELED)
    {
      const char *why = cancel_text;

      if (process->cancel_reason != CW_CANCEL_REASON_OTHER || why == NULL)
        why = cw_cancel_reason_get_label (process->cancel_reason);
      if (why == NULL)
        return g_strdup (_("This workorder is canceled and can no longer change."));

      /* Translators: %s is why the workorder was canceled */
      return g_strdup_printf (_("Reason: %s. A canceled workorder can no longer change."), why);
    }

  if (billed)
    return g_strdup (_("Invoiced in the DMS: this workorder can no longer change."));

  if (process->status == CW_STATUS_BACKORDER)
    /* Translators: %s is the step the workorder was at when parts were ordered */
    return g_strdup_printf (_("Waiting for parts; it was at “%s”."), cw_status_get_label (process->resume_status));

  if (next == process->status)
    return g_strdup (_("Every step is done."));

  /* Translators: the position of the workorder among the forward steps, e.g. "Step 3 of 10" */
  return g_strdup_printf (_("Step %d of %d"), (int) reached + 1, (int) CW_STATUS_LAST_STEP + 1);
}

static void
cw_status_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_STATUS_BAR);

  G_OBJECT_CLASS (cw_status_bar_parent_class)->dispose (object);
}

static void
cw_status_bar_class_init (CwStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_status_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-status-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, status_label);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, shop_box);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, shop_icon);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, shop_label);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, track);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, actions_row);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, advance_button);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, advance_label);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, shop_button);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, shop_content);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, backorder_button);
  gtk_widget_class_bind_template_child (widget_class, CwStatusBar, cancel_button);

  gtk_widget_class_set_css_name (widget_class, "cw-status-bar");
}

static void
cw_status_bar_init (CwStatusBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* One colour for every reached step: the track shows progress, not a level. */
  gtk_level_bar_remove_offset_value (self->track, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->track, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->track, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_set_max_value (self->track, CW_STATUS_LAST_STEP + 1);

  /* libadwaita 1.2 gives the arrow of a split button a tooltip but no name to read aloud. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->advance_button));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_MENU_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Skip ahead to a later step"),
                                      -1);
}

GtkWidget *
cw_status_bar_new (void)
{
  return g_object_new (CW_TYPE_STATUS_BAR, NULL);
}

/**
 * cw_status_bar_set_state:
 * @self: a #CwStatusBar
 * @process: the workorder's process state
 * @cancel_text: (nullable): the advisor's reason, for a cancel with reason "Other"
 * @billed: whether the DMS invoiced the workorder
 *
 * Shows @process and the buttons its rules allow.
 */
void
cw_status_bar_set_state (CwStatusBar     *self,
                         const CwProcess *process,
                         const char      *cancel_text,
                         gboolean         billed)
{
  g_autoptr(GMenuModel) skip_menu = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *advance_tooltip = NULL;
  g_autofree char *track_text = NULL;
  gboolean frozen, canceled;
  CwStatus next;

  g_return_if_fail (CW_IS_STATUS_BAR (self));
  g_return_if_fail (process != NULL);

  canceled = process->status == CW_STATUS_CANCELED;
  frozen = canceled || billed;
  next = cw_status_bar_next_step (process);

  gtk_image_set_from_icon_name (self->status_icon, cw_status_get_icon_name (process->status));
  gtk_label_set_label (self->status_label, cw_status_get_label (process->status));
  detail = dup_detail (process, cancel_text, billed, next);
  gtk_label_set_label (self->detail_label, detail);

  if (canceled)
    gtk_widget_add_css_class (GTK_WIDGET (self), "canceled");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "canceled");

  gtk_widget_set_visible (GTK_WIDGET (self->shop_box), !canceled);
  show_shop (self, process->shop);

  gtk_level_bar_set_value (self->track, reached_step (process) + 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->track), !frozen);
  /* Translators: the step track read aloud, e.g. "Check started, step 3 of 10" */
  track_text = g_strdup_printf (_("%s, step %d of %d"), cw_status_get_label (reached_step (process)),
                                (int) reached_step (process) + 1, (int) CW_STATUS_LAST_STEP + 1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->track), track_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->track),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, track_text,
                                  -1);

  /* Nothing changes on a canceled or invoiced workorder: no buttons at all. */
  gtk_widget_set_visible (self->actions_row, !frozen);
  if (frozen)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->advance_button),
                          next != process->status && cw_process_can_advance (process, next, NULL));
  if (next != process->status)
    {
      g_autofree char *label = NULL;

      if (process->status == CW_STATUS_BACKORDER)
        /* Translators: leaving Backorder; %s is the step the workorder goes back to */
        label = g_strdup_printf (_("Resume: %s"), cw_status_get_label (next));
      else
        /* Translators: the button that moves a workorder to its next step; %s is that step */
        label = g_strdup_printf (_("Next: %s"), cw_status_get_label (next));
      gtk_label_set_label (self->advance_label, label);
      /* Translators: %s is a workshop step */
      advance_tooltip = g_strdup_printf (_("Move this workorder to “%s”"), cw_status_get_label (next));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->advance_button), advance_tooltip);
      skip_menu = build_skip_menu (process, next);
    }
  adw_split_button_set_menu_model (self->advance_button, skip_menu);

  /* Each only while it is allowed: the two never are at the same time (Cancel before work
   * starts, Backorder after), so the bar stays short. */
  gtk_widget_set_visible (GTK_WIDGET (self->backorder_button),
                          cw_process_can_advance (process, CW_STATUS_BACKORDER, NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), cw_process_can_cancel (process, NULL));
}
