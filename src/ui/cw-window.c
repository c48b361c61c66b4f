/* cw-window.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-core-enums.h"
#include "cw-window.h"
#include "cw-workorder-list.h"

/*
 * The main window: the appointment list of one day, read live from the store, with day
 * navigation in the header bar. When there is nothing to list it says why: nothing on this
 * day, nothing imported yet (and how to connect a DMS), or the store could not be read.
 */

struct _CwWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *time_column;
  GtkSortListModel     *sort_model;
  GtkSingleSelection   *selection;
  AdwStatusPage        *error_page;

  /* Owned references */
  GSettings            *settings;
  CwStore              *store;
  CwWorkorderList      *list;
  GDate                 day;
};

G_DEFINE_FINAL_TYPE (CwWindow, cw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/*
 * Cell formatting, used by the column factories in cw-window.ui.
 */

static gint64
cw_window_time_sort_key (GObject   *item,
                         GDateTime *time)
{
  return time != NULL ? g_date_time_to_unix (time) : G_MAXINT64;
}

static int
cw_window_status_sort_key (GObject  *item,
                           CwStatus  status)
{
  return (int) status;
}

static char *
cw_window_format_appointment (GObject   *item,
                              GDateTime *appointment)
{
  if (appointment == NULL)
    return NULL;

  /* Translators: the time of an appointment in the list, 24-hour clock; see g_date_time_format() */
  return g_date_time_format (appointment, _("%H:%M"));
}

static char *
cw_window_format_updated (GObject   *item,
                          GDateTime *updated)
{
  g_autoptr(GDateTime) now = NULL;

  if (updated == NULL)
    return NULL;

  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (now) == g_date_time_get_year (updated) &&
      g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (updated))
    /* Translators: the time a workorder was last updated today; see g_date_time_format() */
    return g_date_time_format (updated, _("%H:%M"));

  /* Translators: the day a workorder was last updated, when not today; see g_date_time_format() */
  return g_date_time_format (updated, _("%-d %b"));
}

static char *
cw_window_status_icon (GObject  *item,
                       CwStatus  status)
{
  return g_strdup (cw_status_get_icon_name (status));
}

static char *
cw_window_status_label (GObject  *item,
                        CwStatus  status)
{
  return g_strdup (cw_status_get_label (status));
}

static char *
cw_window_shop_icon (GObject     *item,
                     CwShopState  shop)
{
  switch (shop)
    {
    case CW_SHOP_IN:
      return g_strdup ("cw-car-in-shop-symbolic");

    case CW_SHOP_LEFT:
      return g_strdup ("cw-car-left-shop-symbolic");

    case CW_SHOP_NOT_ARRIVED:
    default:
      return NULL;
    }
}

static char *
cw_window_shop_label (GObject     *item,
                      CwShopState  shop)
{
  switch (shop)
    {
    case CW_SHOP_IN:
      return g_strdup (_("The car is in the shop"));

    case CW_SHOP_LEFT:
      return g_strdup (_("The car has left the shop"));

    case CW_SHOP_NOT_ARRIVED:
    default:
      return NULL;
    }
}

/*
 * State
 */

static void
update_page (CwWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const GError *error = NULL;
  const char *page;

  if (self->list != NULL)
    error = cw_workorder_list_get_error (self->list);
  else if (CW_IS_APPLICATION (application))
    error = cw_application_get_store_error (CW_APPLICATION (application));

  if (self->list == NULL && error == NULL)
    return;

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      page = "error";
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    page = "list";
  else if (!cw_store_has_workorders (self->store))
    page = "no-data";
  else
    page = "empty-day";

  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
update_title (CwWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *weekday = NULL;
  GDate today;
  int offset;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
  offset = g_date_days_between (&today, &self->day);

  day = g_date_time_new_local (g_date_get_year (&self->day), g_date_get_month (&self->day),
                               g_date_get_day (&self->day), 12, 0, 0);
  /* Translators: the day shown under the title, e.g. "Saturday 21 November 2026"; see g_date_time_format() */
  subtitle = g_date_time_format (day, _("%A %-d %B %Y"));
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), subtitle);

  switch (offset)
    {
    case -1:
      adw_window_title_set_title (self->window_title, _("Yesterday"));
      break;

    case 0:
      adw_window_title_set_title (self->window_title, _("Today"));
      break;

    case 1:
      adw_window_title_set_title (self->window_title, _("Tomorrow"));
      break;

    default:
      weekday = g_date_time_format (day, "%A");
      adw_window_title_set_title (self->window_title, weekday);
      break;
    }
}

static void
on_rows_changed_cb (CwWindow *self)
{
  update_page (self);
}

static void
show_day (CwWindow    *self,
          const GDate *day)
{
  g_autoptr(GError) error = NULL;

  if (g_date_valid (&self->day) && g_date_compare (&self->day, day) == 0)
    return;

  if (self->list != NULL && !cw_workorder_list_set_range (self->list, day, 1, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  self->day = *day;
  update_title (self);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAY]);
}

static void
move_day (CwWindow *self,
          int       days)
{
  GDate day = self->day;

  if (days >= 0)
    g_date_add_days (&day, days);
  else
    g_date_subtract_days (&day, -days);

  show_day (self, &day);
}

static void
cw_window_previous_day_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  move_day (CW_WINDOW (widget), -1);
}

static void
cw_window_next_day_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  move_day (CW_WINDOW (widget), 1);
}

static void
cw_window_today_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
  show_day (CW_WINDOW (widget), &today);
}

/*
 * GObject and GtkWidget
 */

static void
save_window_state (CwWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static void
cw_window_unmap (GtkWidget *widget)
{
  save_window_state (CW_WINDOW (widget));

  GTK_WIDGET_CLASS (cw_window_parent_class)->unmap (widget);
}

static void
on_import_finished_cb (CwWindow          *self,
                       const char        *connection_id,
                       const GError      *error,
                       CwImportScheduler *scheduler)
{
  CwImportService *service;
  CwConnection *connection;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  /* Say it once when a DMS starts failing, not at every retry. */
  if (error == NULL || cw_import_scheduler_get_failures (scheduler, connection_id) != 1)
    return;

  service = cw_application_get_import_service (CW_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  connection = cw_import_service_find_connection (service, connection_id);
  name = connection != NULL ? cw_connection_dup_display_name (connection) : g_strdup (connection_id);
  /* Translators: the DMS's name, then what went wrong and what to do */
  title = g_strdup_printf (_("%s: %s"), name, error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* The application (and with it the store) is set after construction: attach to it then. */
static void
on_application_changed_cb (CwWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (self->list != NULL || !CW_IS_APPLICATION (application))
    return;

  g_set_object (&self->store, cw_application_get_store (CW_APPLICATION (application)));

  if (cw_application_get_scheduler (CW_APPLICATION (application)) != NULL)
    g_signal_connect_object (cw_application_get_scheduler (CW_APPLICATION (application)),
                             "run-finished", G_CALLBACK (on_import_finished_cb), self,
                             G_CONNECT_SWAPPED);

  if (self->store != NULL)
    {
      self->list = cw_workorder_list_new (self->store);
      gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (self->list));
      g_signal_connect_object (self->list, "items-changed",
                               G_CALLBACK (on_rows_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->list, "notify::error",
                               G_CALLBACK (on_rows_changed_cb), self, G_CONNECT_SWAPPED);
    }

  g_date_clear (&self->day, 1);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.today", NULL);
  update_page (self);
}

static void
cw_window_constructed (GObject *object)
{
  CwWindow *self = (CwWindow *)object;

  G_OBJECT_CLASS (cw_window_parent_class)->constructed (object);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gtk_column_view_sort_by_column (self->column_view, self->time_column, GTK_SORT_ASCENDING);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.today", NULL);

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed_cb), NULL);
}

static void
cw_window_dispose (GObject *object)
{
  CwWindow *self = (CwWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_WINDOW);

  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cw_window_parent_class)->dispose (object);
}

static void
cw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CwWindow *self = CW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DAY:
      g_value_set_boxed (value, cw_window_get_day (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CwWindow *self = CW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DAY:
      cw_window_set_day (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_window_class_init (CwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cw_window_constructed;
  object_class->dispose = cw_window_dispose;
  object_class->get_property = cw_window_get_property;
  object_class->set_property = cw_window_set_property;

  widget_class->unmap = cw_window_unmap;

  /**
   * CwWindow:day:
   *
   * The day whose appointments are shown.
   */
  properties[PROP_DAY] =
    g_param_spec_boxed ("day", NULL, NULL,
                        G_TYPE_DATE,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The cells' templates name this type in their expressions. */
  g_type_ensure (CW_TYPE_WORKORDER_SUMMARY);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, time_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, sort_model);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_time_sort_key);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_status_sort_key);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_format_appointment);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_format_updated);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_status_icon);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_status_label);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_shop_icon);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_shop_label);

  gtk_widget_class_install_action (widget_class, "win.previous-day", NULL, cw_window_previous_day_action);
  gtk_widget_class_install_action (widget_class, "win.next-day", NULL, cw_window_next_day_action);
  gtk_widget_class_install_action (widget_class, "win.today", NULL, cw_window_today_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.previous-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "win.previous-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "win.next-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "win.today", NULL);
}

static void
cw_window_init (CwWindow *self)
{
  g_date_clear (&self->day, 1);
  self->settings = g_settings_new (APP_ID);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cw_window_new:
 * @application: the application, which owns the store the window shows
 *
 * Returns: (transfer full): a new window showing today
 */
CwWindow *
cw_window_new (CwApplication *application)
{
  g_return_val_if_fail (CW_IS_APPLICATION (application), NULL);

  return g_object_new (CW_TYPE_WINDOW, "application", application, NULL);
}

/**
 * cw_window_get_day:
 * @self: a #CwWindow
 *
 * Returns: (transfer none): the day shown
 */
const GDate *
cw_window_get_day (CwWindow *self)
{
  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);

  return g_date_valid (&self->day) ? &self->day : NULL;
}

void
cw_window_set_day (CwWindow    *self,
                   const GDate *day)
{
  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (day != NULL && g_date_valid (day));

  show_day (self, day);
}

/**
 * cw_window_get_rows:
 * @self: a #CwWindow
 *
 * Returns: (transfer none): the rows as the list shows them, sorted
 */
GListModel *
cw_window_get_rows (CwWindow *self)
{
  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->selection);
}

/**
 * cw_window_get_page_name:
 * @self: a #CwWindow
 *
 * Returns: (transfer none): what the window shows: "list", "empty-day", "no-data" or "error"
 */
const char *
cw_window_get_page_name (CwWindow *self)
{
  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
