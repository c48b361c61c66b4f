/* cw-window.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-connector-registry.h"
#include "cw-core-enums.h"
#include "cw-day-popover.h"
#include "cw-plate.h"
#include "cw-search-result.h"
#include "cw-search-row.h"
#include "cw-status-filter.h"
#include "cw-ocw.h"
#include "cw-window.h"
#include "cw-workorder-list.h"
#include "cw-workorder-page.h"

/*
 * The main window: the appointment list of a day (or of up to 7 days), read live from the
 * store, on the left, and the selected workorder on the right; on a narrow window the two
 * fold into one column. The search in the header bar is the heart of the desk: typing
 * anywhere starts it, stored workorders show as one types, and when nothing stored matches
 * the first row offers to import the workorder from the DMS. When there is nothing to list
 * the window says why: nothing on these days, nothing in the chosen statuses, nothing
 * imported yet (and how to connect a DMS), or the store could not be read.
 */

/* The most results the search shows: enough for a plate's history, few enough to scan. */
#define SEARCH_LIMIT 20
/* The widest range the list shows, as in Claire. */
#define MAX_DAYS 7

struct _CwWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkBox               *list_pane;
  GtkBox               *page_pane;
  AdwWindowTitle       *page_title;
  GtkWidget            *no_workorder_page;
  GtkMenuButton        *day_button;
  GtkLabel             *day_label;
  GtkSearchEntry       *search_entry;
  GtkStack             *sync_stack;
  GtkMenuButton        *filter_button;
  AdwHeaderBar         *list_header;
  GtkDropDown          *connection_dropdown;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *day_column;
  GtkColumnViewColumn  *time_column;
  GtkColumnViewColumn  *number_column;
  GtkColumnViewColumn  *plate_column;
  GtkColumnViewColumn  *customer_column;
  GtkColumnViewColumn  *car_column;
  GtkColumnViewColumn  *ocw_column;
  GtkColumnViewColumn  *status_column;
  GtkColumnViewColumn  *updated_column;
  GtkFilterListModel   *filter_model;
  GtkSortListModel     *sort_model;
  GtkSliceListModel    *slice_model;
  GtkSingleSelection   *selection;
  GtkListView          *results_view;
  GtkSingleSelection   *results_selection;
  GListStore           *results;

  /* Owned references */
  GSettings            *settings;
  CwStore              *store;
  CwImportService      *service;
  CwImportScheduler    *scheduler;
  GListModel           *connections;
  CwWorkorderList      *list;
  GtkCustomFilter      *filter;
  CwWorkorderPage      *page;
  GCancellable         *import_cancellable;
  CwSearchResult       *importing;

  GDate                 first_day;
  guint                 n_days;
  /* One bit per CwStatus that the list hides. */
  guint                 hidden_statuses;
  guint                 syncing;
  guint                 frames_drawn;
};

G_DEFINE_FINAL_TYPE (CwWindow, cw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DAY,
  PROP_N_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_page (CwWindow *self);
static void run_search (CwWindow *self);

/*
 * The list's cells
 *
 * Each column's cells are made by a GtkSignalListItemFactory in C rather than from XML:
 * a day's list is hundreds of cells, and a GtkBuilder per cell was a good part of the
 * time the window took to show. A cell follows its row's summary (::notify), so that a
 * keep-importing run that updates a row in place updates what the cell shows.
 */

/* The sorters in cw-window.ui. */
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

typedef enum
{
  COLUMN_DAY,
  COLUMN_TIME,
  COLUMN_NUMBER,
  COLUMN_PLATE,
  COLUMN_CUSTOMER,
  COLUMN_CAR,
  COLUMN_OCW,
  COLUMN_STATUS,
  COLUMN_UPDATED,
} Column;

static char *
format_updated (GDateTime *updated)
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

static const char *
shop_icon (CwShopState shop)
{
  switch (shop)
    {
    case CW_SHOP_IN:
      return "cw-car-in-shop-symbolic";

    case CW_SHOP_LEFT:
      return "cw-car-left-shop-symbolic";

    case CW_SHOP_NOT_ARRIVED:
    default:
      return NULL;
    }
}

/* The list's icons explain themselves on hover. A tooltip set per cell would ask the X
 * server where the pointer is for every row as the list fills: only asked when hovered. */
static gboolean
query_icon_tooltip (GtkWidget  *widget,
                    int         x,
                    int         y,
                    gboolean    keyboard_mode,
                    GtkTooltip *tooltip,
                    gpointer    user_data)
{
  const char *icon = gtk_image_get_icon_name (GTK_IMAGE (widget));
  const char *text = NULL;

  if (g_strcmp0 (icon, "cw-car-in-shop-symbolic") == 0)
    text = _("The car is in the shop");
  else if (g_strcmp0 (icon, "cw-car-left-shop-symbolic") == 0)
    text = _("The car has left the shop");
  else if (g_strcmp0 (icon, "cw-ocw-symbolic") == 0)
    text = _("A Volkswagen: One Connect Workspace applies to this car");
  else if (g_object_get_data (G_OBJECT (widget), "ocw-state") != NULL)
    /* The last state PON gave, in words. */
    text = cw_ocw_state_get_label (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "ocw-state")));

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static GtkWidget *
new_cell_label (const char *css_class,
                gboolean    ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (ellipsize)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static GtkWidget *
new_cell_icon (void)
{
  GtkWidget *image = gtk_image_new ();

  gtk_widget_set_has_tooltip (image, TRUE);
  g_signal_connect (image, "query-tooltip", G_CALLBACK (query_icon_tooltip), NULL);

  return image;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *child;

  switch (column)
    {
    case COLUMN_TIME:
    case COLUMN_NUMBER:
      child = new_cell_label ("numeric", FALSE);
      break;

    case COLUMN_PLATE:
      child = new_cell_label ("plate", FALSE);
      break;

    case COLUMN_CUSTOMER:
    case COLUMN_CAR:
      child = new_cell_label (NULL, TRUE);
      break;

    case COLUMN_UPDATED:
      child = new_cell_label ("numeric", FALSE);
      gtk_widget_add_css_class (child, "dim-label");
      break;

    case COLUMN_OCW:
      child = new_cell_icon ();
      gtk_image_set_from_icon_name (GTK_IMAGE (child), "cw-ocw-symbolic");
      break;

    case COLUMN_STATUS:
      {
        /* The status is its label; its icon says nothing more to a screen reader. */
        GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
        GtkWidget *shop = new_cell_icon ();

        child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
        gtk_widget_add_css_class (shop, "shop-state");
        gtk_box_append (GTK_BOX (child), icon);
        gtk_box_append (GTK_BOX (child), new_cell_label (NULL, FALSE));
        gtk_box_append (GTK_BOX (child), shop);
      }
      break;

    case COLUMN_DAY:
    default:
      child = new_cell_label (NULL, FALSE);
      break;
    }

  gtk_list_item_set_child (item, child);
}

static void
set_label (GtkWidget  *label,
           const char *text)
{
  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");
}

/* Shows @summary in @item's cell; called on bind and on every change of the summary. */
static void
render_cell (GtkListItem *item)
{
  CwWorkorderSummary *summary = gtk_list_item_get_item (item);
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "cw-column"));
  GtkWidget *child = gtk_list_item_get_child (item);
  GDateTime *appointment;
  g_autofree char *text = NULL;

  if (summary == NULL)
    return;

  appointment = cw_workorder_summary_get_appointment (summary);

  switch (column)
    {
    case COLUMN_DAY:
      if (appointment != NULL)
        /* Translators: the day of an appointment in the list when it shows several days; see g_date_time_format() */
        text = g_date_time_format (appointment, _("%a %-d %b"));
      set_label (child, text);
      break;

    case COLUMN_TIME:
      if (appointment != NULL)
        /* Translators: the time of an appointment in the list, 24-hour clock; see g_date_time_format() */
        text = g_date_time_format (appointment, _("%H:%M"));
      set_label (child, text);
      break;

    case COLUMN_NUMBER:
      set_label (child, cw_workorder_summary_get_wo_number (summary));
      break;

    case COLUMN_PLATE:
      set_label (child, cw_workorder_summary_get_plate_display (summary));
      break;

    case COLUMN_CUSTOMER:
      set_label (child, cw_workorder_summary_get_customer (summary));
      break;

    case COLUMN_CAR:
      set_label (child, cw_workorder_summary_get_make_model (summary));
      break;

    case COLUMN_OCW:
      {
        /* The mark follows the last state PON gave: its icon, its colour, its words. */
        static const char * const classes[] = { "ocw-mark-grey", "ocw-mark-red", "ocw-mark-green", "ocw-mark-orange" };
        CwOcwState state = cw_workorder_summary_get_ocw_state (summary);

        gtk_widget_set_visible (child, cw_ocw_is_volkswagen (cw_workorder_summary_get_make (summary)));
        for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
          gtk_widget_remove_css_class (child, classes[i]);
        if (state == CW_OCW_UNKNOWN)
          {
            gtk_image_set_from_icon_name (GTK_IMAGE (child), "cw-ocw-symbolic");
            g_object_set_data (G_OBJECT (child), "ocw-state", NULL);
          }
        else
          {
            gtk_image_set_from_icon_name (GTK_IMAGE (child), cw_ocw_state_get_icon_name (state));
            gtk_widget_add_css_class (child, classes[state - CW_OCW_NOT_CAPABLE]);
            g_object_set_data (G_OBJECT (child), "ocw-state", GINT_TO_POINTER (state));
          }
      }
      break;

    case COLUMN_STATUS:
      {
        CwStatus status = cw_workorder_summary_get_status (summary);
        GtkWidget *icon = gtk_widget_get_first_child (child);
        GtkWidget *label = gtk_widget_get_next_sibling (icon);
        GtkWidget *shop = gtk_widget_get_next_sibling (label);
        const char *shop_name = shop_icon (cw_workorder_summary_get_shop_state (summary));

        gtk_image_set_from_icon_name (GTK_IMAGE (icon), cw_status_get_icon_name (status));
        set_label (label, cw_status_get_label (status));
        gtk_image_set_from_icon_name (GTK_IMAGE (shop), shop_name);
        gtk_widget_set_visible (shop, shop_name != NULL);
      }
      break;

    case COLUMN_UPDATED:
      text = format_updated (cw_workorder_summary_get_updated_at (summary));
      set_label (child, text);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  gulong handler;

  g_object_set_data (G_OBJECT (item), "cw-column", user_data);
  handler = g_signal_connect_swapped (gtk_list_item_get_item (item), "notify",
                                      G_CALLBACK (render_cell), item);
  g_object_set_data (G_OBJECT (item), "cw-notify", GSIZE_TO_POINTER (handler));
  render_cell (item);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "cw-notify"));
  gpointer summary = gtk_list_item_get_item (item);

  if (handler != 0 && summary != NULL)
    g_signal_handler_disconnect (summary, handler);
  g_object_set_data (G_OBJECT (item), "cw-notify", NULL);
}

static void
set_cell_factory (GtkColumnViewColumn *column_view_column,
                  Column               column)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GUINT_TO_POINTER (column));
  gtk_column_view_column_set_factory (column_view_column, factory);
}

/*
 * Helpers
 */

static void
get_today (GDate *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (today, 1);
  g_date_set_dmy (today, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

static void
toast (CwWindow   *self,
       const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  /* Messages say what to do: leave them long enough to read. */
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static CwApplication *
get_application (CwWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  return CW_IS_APPLICATION (application) ? CW_APPLICATION (application) : NULL;
}

/* Borrowed, as gtk_drop_down_get_selected_item() gives it: the list keeps a reference. */
static CwConnection *
get_first_connection (CwWindow *self)
{
  CwConnection *first = g_list_model_get_item (self->connections, 0);

  g_object_unref (first);

  return first;
}

/* The connection the desk works with: the one picked, or the only one. */
static CwConnection *
get_connection (CwWindow *self)
{
  if (self->connections == NULL || g_list_model_get_n_items (self->connections) == 0)
    return NULL;

  /* One connection: no picker. */
  if (self->connection_dropdown == NULL)
    return g_list_model_get_n_items (self->connections) == 1 ? get_first_connection (self) : NULL;

  return gtk_drop_down_get_selected_item (self->connection_dropdown);
}

static CwCapabilities
get_capabilities (CwConnection *connection)
{
  const CwConnectorKind *kind;

  if (connection == NULL)
    return CW_CAPABILITY_NONE;

  kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));

  return kind != NULL ? kind->capabilities : CW_CAPABILITY_NONE;
}

static gboolean
in_search (CwWindow *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
}

static gboolean
page_shown_folded (CwWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet) &&
         adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->page_pane);
}

/*
 * The list: its range of days, filters and what the window shows instead of it
 */

/* What the window shows instead of the list, built the first time it is needed: a desk
 * that starts on its list builds none of them (and loads none of their large icons,
 * which Adwaita has only as SVG). */
static AdwStatusPage *
ensure_status_page (CwWindow   *self,
                    const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, name);
  GtkWidget *button;

  if (page != NULL)
    return ADW_STATUS_PAGE (page);

  page = adw_status_page_new ();

  if (g_str_equal (name, "empty-day"))
    {
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "x-office-calendar-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No Appointments"));
      adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                       _("Nothing is planned on this day. Use Alt+← and Alt+→ to look at other days, or type a WO number or plate to find a workorder."));
    }
  else if (g_str_equal (name, "filtered"))
    {
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "view-list-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No Workorders in the Chosen Statuses"));
      adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                       _("Other workorders are planned on this day. Choose which statuses to show with the button next to the search."));
    }
  else if (g_str_equal (name, "no-data"))
    {
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "com.claire.Workshop-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Connect Your DMS"));
      adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                       _("Workorders come from your dealer management system. Open Preferences (Ctrl+,), add your 2Drive, Autoflex, Incadea or Wincar connection with the credentials your DMS supplier gave you, and today’s appointments appear here."));
      button = gtk_button_new_with_mnemonic (_("_Open Preferences"));
      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.preferences");
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "suggested-action");
      adw_status_page_set_child (ADW_STATUS_PAGE (page), button);
    }
  else
    {
      g_assert (g_str_equal (name, "error"));
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "dialog-warning-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("The Workorders Cannot Be Shown"));
    }

  gtk_stack_add_named (self->stack, page, name);

  return ADW_STATUS_PAGE (page);
}

static void
update_page (CwWindow *self)
{
  const GError *error = NULL;
  const char *page;

  if (in_search (self))
    {
      gtk_stack_set_visible_child_name (self->stack, "search");
      return;
    }

  if (self->list != NULL)
    error = cw_workorder_list_get_error (self->list);
  else if (get_application (self) != NULL)
    error = cw_application_get_store_error (get_application (self));

  if (self->list == NULL && error == NULL)
    return;

  if (error != NULL)
    {
      adw_status_page_set_description (ensure_status_page (self, "error"), error->message);
      page = "error";
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    page = "list";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) > 0)
    page = "filtered";
  else if (!cw_store_has_workorders (self->store))
    page = "no-data";
  else
    page = "empty-day";

  if (!g_str_equal (page, "list"))
    ensure_status_page (self, page);
  gtk_stack_set_visible_child_name (self->stack, page);
}

static char *
format_day (const GDate *day,
            gboolean     with_relative)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (g_date_get_year (day), g_date_get_month (day),
                                                     g_date_get_day (day), 12, 0, 0);
  g_autofree char *date = NULL;
  GDate today;

  get_today (&today);
  /* Translators: a day in the header bar, e.g. "Sat 21 Nov"; see g_date_time_format() */
  date = g_date_time_format (time, _("%a %-d %b"));

  if (!with_relative)
    return g_steal_pointer (&date);

  switch (g_date_days_between (&today, day))
    {
    case -1:
      /* Translators: the day shown: "Yesterday, Fri 20 Nov" */
      return g_strdup_printf (_("Yesterday, %s"), date);
    case 0:
      /* Translators: the day shown: "Today, Sat 21 Nov" */
      return g_strdup_printf (_("Today, %s"), date);
    case 1:
      /* Translators: the day shown: "Tomorrow, Sun 22 Nov" */
      return g_strdup_printf (_("Tomorrow, %s"), date);
    default:
      return g_steal_pointer (&date);
    }
}

static void
update_title (CwWindow *self)
{
  g_autofree char *label = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  GDate last_day = self->first_day;

  if (self->n_days <= 1)
    label = format_day (&self->first_day, TRUE);
  else
    {
      g_date_add_days (&last_day, self->n_days - 1);
      first = format_day (&self->first_day, FALSE);
      last = format_day (&last_day, FALSE);
      /* Translators: a range of days in the header bar: "Mon 23 Nov – Fri 27 Nov" */
      label = g_strdup_printf (_("%s – %s"), first, last);
    }

  gtk_label_set_label (self->day_label, label);
  gtk_column_view_column_set_visible (self->day_column, self->n_days > 1);
}

static void
show_days (CwWindow    *self,
           const GDate *first_day,
           guint        n_days)
{
  g_autoptr(GError) error = NULL;

  n_days = CLAMP (n_days, 1, MAX_DAYS);
  if (g_date_valid (&self->first_day) && g_date_compare (&self->first_day, first_day) == 0 &&
      self->n_days == n_days)
    return;

  if (self->list != NULL && !cw_workorder_list_set_range (self->list, first_day, n_days, &error))
    {
      toast (self, error->message);
      return;
    }

  self->first_day = *first_day;
  self->n_days = n_days;
  update_title (self);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DAYS]);
}

static void
move_days (CwWindow *self,
           int       direction)
{
  GDate day = self->first_day;

  /* A range moves by its own length, so that the next week follows this one. */
  if (direction > 0)
    g_date_add_days (&day, self->n_days);
  else
    g_date_subtract_days (&day, self->n_days);

  show_days (self, &day, self->n_days);
}

static void
on_days_picked_cb (CwWindow     *self,
                   CwDayPopover *popover)
{
  GDate first_day;
  guint n_days;

  cw_day_popover_get_days (popover, &first_day, &n_days);
  show_days (self, &first_day, n_days);
}

/* The popovers are built when they first open: the list comes first at start-up. */
static void
create_day_popover (GtkMenuButton *button,
                    gpointer       user_data)
{
  CwWindow *self = user_data;
  GtkPopover *popover = gtk_menu_button_get_popover (button);

  if (popover == NULL)
    {
      popover = GTK_POPOVER (cw_day_popover_new ());
      g_signal_connect_object (popover, "days-changed", G_CALLBACK (on_days_picked_cb),
                               self, G_CONNECT_SWAPPED);
      gtk_menu_button_set_popover (button, GTK_WIDGET (popover));
    }

  cw_day_popover_set_days (CW_DAY_POPOVER (popover), &self->first_day, self->n_days);
}

static gboolean
filter_row (gpointer item,
            gpointer user_data)
{
  CwWindow *self = user_data;
  CwWorkorderSummary *summary = item;
  CwConnection *connection;

  if (self->hidden_statuses & (1u << cw_workorder_summary_get_status (summary)))
    return FALSE;

  /* With several connections (locations), the list is the picked one's. */
  if (self->connections != NULL && g_list_model_get_n_items (self->connections) > 1 &&
      (connection = get_connection (self)) != NULL)
    return g_strcmp0 (cw_workorder_summary_get_connection_id (summary),
                      cw_connection_get_id (connection)) == 0;

  return TRUE;
}

static void
refilter (CwWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_page (self);
}

static void
on_statuses_changed_cb (CwWindow       *self,
                        CwStatusFilter *filter)
{
  self->hidden_statuses = cw_status_filter_get_hidden (filter);

  /* A list that leaves workorders out says so on its button, so nobody forgets it does. */
  if (self->hidden_statuses != 0)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "cw-filtered");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_button), _("Some Statuses Are Hidden"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "cw-filtered");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_button), _("Show Statuses"));
    }
  refilter (self);
}

static void
create_status_filter (GtkMenuButton *button,
                      gpointer       user_data)
{
  CwWindow *self = user_data;
  GtkWidget *popover;

  if (gtk_menu_button_get_popover (button) != NULL)
    return;

  popover = cw_status_filter_new ();
  g_signal_connect_object (popover, "changed", G_CALLBACK (on_statuses_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_menu_button_set_popover (button, popover);
}

/*
 * Connections
 */

static char *
connection_display_name (CwConnection *connection)
{
  return connection != NULL ? cw_connection_dup_display_name (connection) : NULL;
}

static void
on_connection_picked_cb (CwWindow *self)
{
  refilter (self);
  if (in_search (self))
    run_search (self);
}

static void
on_connections_changed_cb (CwWindow *self)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  /* The picker exists from the second connection on (a dealer with several locations). */
  if (n > 1 && self->connection_dropdown == NULL)
    {
      g_autoptr(GtkExpression) name = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                                   G_CALLBACK (connection_display_name),
                                                                   NULL, NULL);

      self->connection_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
      gtk_drop_down_set_expression (self->connection_dropdown, name);
      gtk_drop_down_set_model (self->connection_dropdown, self->connections);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->connection_dropdown), _("DMS Connection"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->connection_dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("DMS connection"), -1);
      g_signal_connect_object (self->connection_dropdown, "notify::selected",
                               G_CALLBACK (on_connection_picked_cb), self, G_CONNECT_SWAPPED);
      adw_header_bar_pack_end (self->list_header, GTK_WIDGET (self->connection_dropdown));
    }
  if (self->connection_dropdown != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->connection_dropdown), n > 1);
  refilter (self);
  if (in_search (self))
    run_search (self);
}


/*
 * Opening a workorder
 */

/* The page is built when the first workorder opens: a desk that has just started shows
 * the list as fast as it can, and nothing of a page nobody has looked at yet. */
/* The application's OCW service: the page shows the OCW button through it. */
static CwOcwService *
window_ocw_service (CwWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  return CW_IS_APPLICATION (application) ? cw_application_get_ocw_service (CW_APPLICATION (application)) : NULL;
}

static CwWorkorderPage *
ensure_page (CwWindow *self)
{
  if (self->page != NULL)
    return self->page;

  self->page = CW_WORKORDER_PAGE (cw_workorder_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page), TRUE);
  cw_workorder_page_set_store (self->page, self->store);
  cw_workorder_page_set_import_service (self->page, self->service);
  cw_workorder_page_set_ocw_service (self->page, window_ocw_service (self));
  g_object_bind_property (self->page, "title", self->page_title, "title", G_BINDING_SYNC_CREATE);
  gtk_widget_set_visible (GTK_WIDGET (self->no_workorder_page), FALSE);
  gtk_box_append (self->page_pane, GTK_WIDGET (self->page));

  return self->page;
}

static gint64
open_workorder_id (CwWindow *self)
{
  return self->page != NULL ? cw_workorder_page_get_workorder_id (self->page) : 0;
}

/* GTK 4.8 has no gtk_column_view_scroll_to(): its list view's "list.scroll-to-item" action
 * scrolls to a row, selects it and focuses it. */
static void
scroll_list_to (CwWindow *self,
                guint     position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      {
        gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
        return;
      }
}

static void
select_in_list (CwWindow *self,
                gint64    workorder_id)
{
  GListModel *rows = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CwWorkorderSummary) summary = g_list_model_get_item (rows, i);

      if (cw_workorder_summary_get_id (summary) == workorder_id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          scroll_list_to (self, i);
          return;
        }
    }

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
show_page (CwWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->page_pane));
  gtk_widget_grab_focus (GTK_WIDGET (ensure_page (self)));
}

static void
show_list (CwWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->list_pane));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* Opens a workorder from anywhere (search, command line, D-Bus): the list goes to its day
 * and selects it, and the page shows it. */
static void
open_workorder (CwWindow *self,
                gint64    workorder_id,
                gboolean  focus_page)
{
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GError) error = NULL;
  GDateTime *appointment;

  if (self->store == NULL)
    return;

  workorder = cw_store_load_workorder (self->store, workorder_id, &error);
  if (workorder == NULL)
    {
      toast (self, error->message);
      return;
    }

  appointment = cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT);
  if (appointment != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (appointment);
      GDate day, last = self->first_day;

      g_date_clear (&day, 1);
      g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                      g_date_time_get_year (local));
      g_date_add_days (&last, self->n_days - 1);
      if (g_date_compare (&day, &self->first_day) < 0 || g_date_compare (&day, &last) > 0)
        show_days (self, &day, 1);
    }

  cw_workorder_page_set_workorder_id (ensure_page (self), workorder_id);
  select_in_list (self, workorder_id);
  if (focus_page)
    show_page (self);
}

static void
on_selection_changed_cb (CwWindow *self)
{
  CwWorkorderSummary *summary = gtk_single_selection_get_selected_item (self->selection);

  /* Moving through the list shows each workorder on the right; it only takes the focus
   * (and, folded, the whole window) when a row is activated. */
  if (summary != NULL)
    cw_workorder_page_set_workorder_id (ensure_page (self), cw_workorder_summary_get_id (summary));
}

static void
on_row_activated_cb (CwWindow *self,
                     guint     position)
{
  g_autoptr(CwWorkorderSummary) summary = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (summary == NULL)
    return;

  cw_workorder_page_set_workorder_id (ensure_page (self), cw_workorder_summary_get_id (summary));
  show_page (self);
}

/*
 * Search
 */

static void
cancel_import (CwWindow *self)
{
  g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  if (self->importing != NULL)
    cw_search_result_set_busy (self->importing, FALSE);
  g_clear_object (&self->importing);
}

/* What the row offers when nothing stored matches @text. */
static CwSearchResult *
new_fallback_result (CwWindow   *self,
                     const char *text)
{
  g_autoptr(CwDmsQuery) query = cw_dms_query_new (text);
  CwConnection *connection = get_connection (self);
  CwCapabilities capabilities = get_capabilities (connection);
  g_autofree char *name = connection_display_name (connection);
  g_autofree char *shown = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  /* A plate is shown as the DMS will be asked for it, whatever the spelling typed. */
  if (query->plate != NULL)
    shown = cw_plate_format (query->plate);
  else if (query->wo_number != NULL)
    shown = g_strdup (query->wo_number);
  else
    shown = g_strdup (text);

  if (connection == NULL)
    {
      /* Translators: %s is what the advisor typed */
      title = g_strdup_printf (_("No workorder matches “%s”"), text);
      return cw_search_result_new_action (CW_SEARCH_RESULT_NONE, text, NULL, title,
                                          _("To import workorders from your DMS, add a connection in Preferences (Ctrl+,)."));
    }

  if ((capabilities & CW_CAPABILITY_SEARCH_IMPORT) && (query->plate != NULL || query->wo_number != NULL))
    {
      /* Translators: the first %s is a WO number or plate, the second a DMS connection: "Import 12345 from 2Drive" */
      title = g_strdup_printf (_("Import %s from %s"), shown, name);
      subtitle = g_strdup (_("Press Enter to import it and open it; Esc cancels."));
      return cw_search_result_new_action (CW_SEARCH_RESULT_IMPORT, text,
                                          cw_connection_get_id (connection), title, subtitle);
    }

  if (capabilities & CW_CAPABILITY_SEARCH_IMPORT)
    {
      /* Translators: %s is what the advisor typed */
      title = g_strdup_printf (_("No workorder matches “%s”"), text);
      /* Translators: %s is a DMS connection */
      subtitle = g_strdup_printf (_("%s imports by WO number or registration: type one of those."), name);
      return cw_search_result_new_action (CW_SEARCH_RESULT_NONE, text, NULL, title, subtitle);
    }

  if (capabilities & CW_CAPABILITY_KEEP_IMPORTING)
    {
      /* Translators: %s is a WO number, plate or name */
      title = g_strdup_printf (_("%s is not among the imported workorders"), shown);
      /* Translators: %s is a DMS connection */
      subtitle = g_strdup_printf (_("%s sends its workorders by itself every few minutes. Press Enter to sync now."), name);
      return cw_search_result_new_action (CW_SEARCH_RESULT_SYNC, text,
                                          cw_connection_get_id (connection), title, subtitle);
    }

  /* Translators: %s is what the advisor typed */
  title = g_strdup_printf (_("No workorder matches “%s”"), text);
  return cw_search_result_new_action (CW_SEARCH_RESULT_NONE, text, NULL, title, NULL);
}

static void
run_search (CwWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  if (*text == '\0' || self->store == NULL)
    {
      g_list_store_remove_all (self->results);
      return;
    }

  found = cw_store_search (self->store, text, SEARCH_LIMIT, &error);
  if (found == NULL)
    {
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (results, cw_search_result_new_workorder (g_ptr_array_index (found, i)));

  /* The row of a running import stays, with its spinner, until the import ends. */
  if (self->importing != NULL && g_str_equal (cw_search_result_get_query (self->importing), text))
    g_ptr_array_add (results, g_object_ref (self->importing));
  else if (found->len == 0)
    g_ptr_array_add (results, new_fallback_result (self, text));

  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       results->pdata, results->len);
  gtk_single_selection_set_selected (self->results_selection, 0);
}

static void
on_search_changed_cb (CwWindow *self)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (self->search_entry));

  /* Typing elsewhere in the window started the search: Enter and Esc belong to it now.
   * Focusing the usual way would select the text, and the next key would replace it. */
  if (in_search (self) && GTK_IS_TEXT (text) && !gtk_widget_has_focus (GTK_WIDGET (text)))
    gtk_text_grab_focus_without_selecting (GTK_TEXT (text));

  /* Another text: an import of the previous one stops. */
  if (self->importing != NULL &&
      !g_str_equal (cw_search_result_get_query (self->importing),
                    gtk_editable_get_text (GTK_EDITABLE (self->search_entry))))
    cancel_import (self);

  run_search (self);
  update_page (self);
}

static void
on_store_changed_cb (CwWindow *self)
{
  /* A keep-importing run may just have brought what is being searched for. */
  if (in_search (self) && self->importing == NULL)
    run_search (self);
  update_page (self);
}

static void
end_search (CwWindow *self)
{
  cancel_import (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  update_page (self);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CwImportOutcome outcome;
  gint64 id;

  id = cw_import_service_search_import_finish (CW_IMPORT_SERVICE (source), result, &outcome, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self->importing != NULL)
    cw_search_result_set_busy (self->importing, FALSE);
  g_clear_object (&self->importing);
  g_clear_object (&self->import_cancellable);

  if (id == 0)
    {
      toast (self, error->message);
      run_search (self);
      return;
    }

  end_search (self);
  open_workorder (self, id, TRUE);
}

static void
start_import (CwWindow       *self,
              CwSearchResult *result)
{
  if (self->service == NULL || self->importing != NULL)
    return;

  self->importing = g_object_ref (result);
  self->import_cancellable = g_cancellable_new ();
  cw_search_result_set_busy (result, TRUE);
  cw_import_service_search_import_async (self->service,
                                         cw_search_result_get_connection_id (result),
                                         cw_search_result_get_query (result),
                                         self->import_cancellable,
                                         imported_cb, g_object_ref (self));
}

static void sync_now (CwWindow *self);

static void
activate_result (CwWindow       *self,
                 CwSearchResult *result)
{
  switch (cw_search_result_get_kind (result))
    {
    case CW_SEARCH_RESULT_WORKORDER:
      {
        gint64 id = cw_workorder_summary_get_id (cw_search_result_get_summary (result));

        end_search (self);
        open_workorder (self, id, TRUE);
      }
      break;

    case CW_SEARCH_RESULT_IMPORT:
      start_import (self, result);
      break;

    case CW_SEARCH_RESULT_SYNC:
      sync_now (self);
      break;

    case CW_SEARCH_RESULT_NONE:
    default:
      gtk_widget_error_bell (GTK_WIDGET (self));
      break;
    }
}

static void
on_search_activate_cb (CwWindow *self)
{
  CwSearchResult *result = gtk_single_selection_get_selected_item (self->results_selection);

  if (result != NULL)
    activate_result (self, result);
}

static void
on_result_activated_cb (CwWindow *self,
                        guint     position)
{
  g_autoptr(CwSearchResult) result = g_list_model_get_item (G_LIST_MODEL (self->results_selection), position);

  if (result != NULL)
    activate_result (self, result);
}

static void
on_search_stop_cb (CwWindow *self)
{
  /* Esc stops a running import first, and only then leaves the search. */
  if (self->importing != NULL)
    {
      cancel_import (self);
      run_search (self);
      return;
    }

  end_search (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
move_result (CwWindow *self,
             int       delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results_selection));
  guint selected = gtk_single_selection_get_selected (self->results_selection);
  guint position;

  if (n == 0)
    return;

  if (selected == GTK_INVALID_LIST_POSITION)
    position = delta > 0 ? 0 : n - 1;
  else if (delta > 0)
    position = MIN (selected + 1, n - 1);
  else
    position = selected > 0 ? selected - 1 : 0;

  gtk_single_selection_set_selected (self->results_selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->results_view), "list.scroll-to-item", "u", position);
}

static void
on_search_next_cb (CwWindow *self)
{
  move_result (self, 1);
}

static void
on_search_previous_cb (CwWindow *self)
{
  move_result (self, -1);
}

static gboolean
on_search_key_pressed_cb (CwWindow        *self,
                          guint            keyval,
                          guint            keycode,
                          GdkModifierType  state)
{
  /* Up and Down move through the results while the focus stays in the entry. */
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0 || !in_search (self))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_result (self, 1);
      return GDK_EVENT_STOP;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_result (self, -1);
      return GDK_EVENT_STOP;

    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static void
on_result_setup_cb (CwWindow     *self,
                    GtkListItem  *item)
{
  gtk_list_item_set_child (item, cw_search_row_new ());
}

static void
on_result_bind_cb (CwWindow     *self,
                   GtkListItem  *item)
{
  cw_search_row_set_result (CW_SEARCH_ROW (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item));
}

/*
 * Keep-importing
 */

static void
update_sync_state (CwWindow *self)
{
  gtk_stack_set_visible_child_name (self->sync_stack, self->syncing > 0 ? "running" : "idle");
}

static void
on_run_started_cb (CwWindow          *self,
                   const char        *connection_id,
                   CwImportScheduler *scheduler)
{
  self->syncing++;
  update_sync_state (self);
}

static void
on_run_finished_cb (CwWindow          *self,
                    const char        *connection_id,
                    const GError      *error,
                    CwImportScheduler *scheduler)
{
  CwConnection *connection;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (self->syncing > 0)
    self->syncing--;
  update_sync_state (self);

  /* Say it once when a DMS starts failing, not at every retry. */
  if (error == NULL || cw_import_scheduler_get_failures (scheduler, connection_id) != 1)
    return;

  connection = cw_import_service_find_connection (self->service, connection_id);
  name = connection != NULL ? cw_connection_dup_display_name (connection) : g_strdup (connection_id);
  /* Translators: the DMS's name, then what went wrong and what to do */
  message = g_strdup_printf (_("%s: %s"), name, error->message);
  toast (self, message);
}

static void
sync_now (CwWindow *self)
{
  CwConnection *picked = get_connection (self);
  guint started = 0;
  guint keeping = 0;

  if (self->scheduler == NULL || self->connections == NULL)
    return;

  /* The picked connection, or every one that keeps importing when there is one list. */
  for (guint i = 0; i < g_list_model_get_n_items (self->connections); i++)
    {
      g_autoptr(CwConnection) connection = g_list_model_get_item (self->connections, i);

      if (g_list_model_get_n_items (self->connections) > 1 && connection != picked)
        continue;
      if (!(get_capabilities (connection) & CW_CAPABILITY_KEEP_IMPORTING))
        continue;

      keeping++;
      if (cw_import_scheduler_run_now (self->scheduler, cw_connection_get_id (connection)))
        started++;
    }

  if (keeping == 0)
    toast (self, g_list_model_get_n_items (self->connections) == 0
                 ? _("There is no DMS to sync with. Add a connection in Preferences (Ctrl+,).")
                 : _("This DMS imports a workorder when you search for its WO number or registration: type one in the search."));
  else if (started == 0 && self->syncing == 0)
    toast (self, _("The network is down: the workorders are synced as soon as it is back."));
}

/*
 * Actions
 */

static void
cw_window_previous_day_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  /* Folded, Alt+← is "back" on the workorder page, as everywhere in GNOME. */
  if (page_shown_folded (self))
    show_list (self);
  else
    move_days (self, -1);
}

static void
cw_window_next_day_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  move_days (CW_WINDOW (widget), 1);
}

static void
cw_window_today_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);
  GDate today;

  get_today (&today);
  show_days (self, &today, self->n_days > 0 ? self->n_days : 1);
}

static void
cw_window_pick_day_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  if (page_shown_folded (self))
    show_list (self);
  gtk_menu_button_popup (self->day_button);
}

static void
cw_window_search_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  if (page_shown_folded (self))
    show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
cw_window_back_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  if (self->importing != NULL)
    on_search_stop_cb (self);
  else if (page_shown_folded (self))
    show_list (self);
  else if (in_search (self))
    on_search_stop_cb (self);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
cw_window_sync_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  sync_now (CW_WINDOW (widget));
}

static void
cw_window_refresh_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CwWindow *self = CW_WINDOW (widget);

  /* F5 refreshes what is open, when its DMS can; otherwise the list is synced. */
  if (open_workorder_id (self) != 0 &&
      gtk_widget_activate_action (GTK_WIDGET (self->page), "workorder.refresh", NULL))
    return;

  sync_now (self);
}

/* Status changes from the keyboard go to the open workorder's page, which knows the rules. */
static void
activate_on_page (CwWindow   *self,
                  const char *action)
{
  if (open_workorder_id (self) == 0 ||
      !gtk_widget_activate_action (GTK_WIDGET (self->page), action, NULL))
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
cw_window_advance_status_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  activate_on_page (CW_WINDOW (widget), "workorder.advance");
}

static void
cw_window_toggle_in_shop_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  activate_on_page (CW_WINDOW (widget), "workorder.toggle-in-shop");
}

/* The shortcuts window is built when asked for, not with every window as GtkApplication
 * would (it is not at the automatic gtk/help-overlay.ui path for that reason). */
static void
cw_window_show_help_overlay_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/ui/cw-shortcuts-window.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  gtk_window_set_application (shortcuts, gtk_window_get_application (GTK_WINDOW (widget)));
  gtk_window_present (shortcuts);
}

/*
 * The first frame
 *
 * GTK 4.8's list view makes a row widget for every row up to 200, seen or not, and the
 * column view a cell widget per column in each: a day of 50 appointments is 400 widgets
 * to build, style and measure before the window can show. The first frame therefore
 * gets the rows that fit the window (the list is sorted, so they are its top rows), and
 * the rest follow in the next frame, below the fold.
 */

/* A row of the list is 33 px high with the default font, and the header bar and the column
 * titles take 80 px: the first frame gets the rows that fit, and one more. A larger font
 * makes rows taller and needs fewer. */
#define ROW_HEIGHT 33
#define LIST_TOP 80

static gboolean
on_frame_cb (GtkWidget     *widget,
             GdkFrameClock *frame_clock,
             gpointer       user_data)
{
  CwWindow *self = CW_WINDOW (widget);

  /* The first tick comes before the first frame is drawn; the second after it. */
  if (++self->frames_drawn < 2)
    return G_SOURCE_CONTINUE;

  gtk_slice_list_model_set_size (self->slice_model, G_MAXUINT);

  return G_SOURCE_REMOVE;
}

static void
limit_first_frame (CwWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (gtk_window_is_maximized (GTK_WINDOW (self)) || height <= 0)
    height = 1600;

  gtk_slice_list_model_set_size (self->slice_model, (guint) MAX (height - LIST_TOP, 0) / ROW_HEIGHT + 2);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), on_frame_cb, NULL, NULL);
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

/* The application (and with it the store) is set after construction: attach to it then. */
static void
on_application_changed_cb (CwWindow *self)
{
  CwApplication *application = get_application (self);
  GDate today;

  if (self->list != NULL || application == NULL)
    return;

  g_set_object (&self->store, cw_application_get_store (application));
  g_set_object (&self->service, cw_application_get_import_service (application));
  g_set_object (&self->scheduler, cw_application_get_scheduler (application));
  if (self->service != NULL)
    g_set_object (&self->connections, cw_import_service_get_connections (self->service));

  if (self->connections != NULL)
    {
      g_signal_connect_object (self->connections, "items-changed",
                               G_CALLBACK (on_connections_changed_cb), self, G_CONNECT_SWAPPED);
    }
  on_connections_changed_cb (self);

  if (self->scheduler != NULL)
    {
      g_signal_connect_object (self->scheduler, "run-started",
                               G_CALLBACK (on_run_started_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->scheduler, "run-finished",
                               G_CALLBACK (on_run_finished_cb), self, G_CONNECT_SWAPPED);
      for (guint i = 0; self->connections != NULL && i < g_list_model_get_n_items (self->connections); i++)
        {
          g_autoptr(CwConnection) connection = g_list_model_get_item (self->connections, i);

          if (cw_import_scheduler_is_running (self->scheduler, cw_connection_get_id (connection)))
            self->syncing++;
        }
      update_sync_state (self);
    }

  if (self->page != NULL)
    {
      cw_workorder_page_set_store (self->page, self->store);
      cw_workorder_page_set_import_service (self->page, self->service);
      cw_workorder_page_set_ocw_service (self->page, window_ocw_service (self));
    }

  if (self->store != NULL)
    {
      g_signal_connect_object (self->store, "changed",
                               G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);

      self->list = cw_workorder_list_new (self->store);
      gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (self->list));
      g_signal_connect_object (self->filter_model, "items-changed",
                               G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->list, "notify::error",
                               G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
    }

  g_date_clear (&self->first_day, 1);
  get_today (&today);
  show_days (self, &today, 1);
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
  limit_first_frame (self);
  /* The list has the focus at start-up; typing still goes to the search. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->column_view));

  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed_cb), NULL);
  on_application_changed_cb (self);
}

static void
cw_window_dispose (GObject *object)
{
  CwWindow *self = (CwWindow *)object;

  cancel_import (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_WINDOW);

  g_clear_object (&self->list);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_object (&self->service);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->connections);
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

    case PROP_N_DAYS:
      g_value_set_uint (value, self->n_days);
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

    case PROP_N_DAYS:
      show_days (self, &self->first_day, g_value_get_uint (value));
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
   * The first day whose appointments are shown.
   */
  properties[PROP_DAY] =
    g_param_spec_boxed ("day", NULL, NULL,
                        G_TYPE_DATE,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CwWindow:n-days:
   *
   * How many days the list shows, from #CwWindow:day on: 1 to 7.
   */
  properties[PROP_N_DAYS] =
    g_param_spec_uint ("n-days", NULL, NULL,
                       1, MAX_DAYS, 1,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template's sorters and the results' store name these types. */
  g_type_ensure (CW_TYPE_WORKORDER_SUMMARY);
  g_type_ensure (CW_TYPE_SEARCH_RESULT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, page_pane);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, no_workorder_page);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, day_button);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, day_label);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, sync_stack);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, list_header);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, day_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, time_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, number_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, plate_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, customer_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, car_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, ocw_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, status_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, updated_column);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, filter_model);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, sort_model);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, slice_model);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, selection);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, results_view);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, results_selection);
  gtk_widget_class_bind_template_child (widget_class, CwWindow, results);

  gtk_widget_class_bind_template_callback (widget_class, cw_window_time_sort_key);
  gtk_widget_class_bind_template_callback (widget_class, cw_window_status_sort_key);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_result_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_result_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_result_bind_cb);

  gtk_widget_class_install_action (widget_class, "win.previous-day", NULL, cw_window_previous_day_action);
  gtk_widget_class_install_action (widget_class, "win.next-day", NULL, cw_window_next_day_action);
  gtk_widget_class_install_action (widget_class, "win.today", NULL, cw_window_today_action);
  gtk_widget_class_install_action (widget_class, "win.pick-day", NULL, cw_window_pick_day_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, cw_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, cw_window_back_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, cw_window_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, cw_window_sync_action);
  gtk_widget_class_install_action (widget_class, "win.advance-status", NULL, cw_window_advance_status_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-in-shop", NULL, cw_window_toggle_in_shop_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, cw_window_show_help_overlay_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.previous-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK, "win.previous-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.next-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK, "win.next-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, GDK_ALT_MASK, "win.today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.pick-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.advance-status", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.advance-status", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.toggle-in-shop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK, "win.show-help-overlay", NULL);
}

static void
cw_window_init (CwWindow *self)
{
  GtkEventController *keys;

  g_date_clear (&self->first_day, 1);
  self->n_days = 1;
  self->settings = g_settings_new (APP_ID);

  gtk_widget_init_template (GTK_WIDGET (self));

  set_cell_factory (self->day_column, COLUMN_DAY);
  set_cell_factory (self->time_column, COLUMN_TIME);
  set_cell_factory (self->number_column, COLUMN_NUMBER);
  set_cell_factory (self->plate_column, COLUMN_PLATE);
  set_cell_factory (self->customer_column, COLUMN_CUSTOMER);
  set_cell_factory (self->car_column, COLUMN_CAR);
  set_cell_factory (self->ocw_column, COLUMN_OCW);
  set_cell_factory (self->status_column, COLUMN_STATUS);
  set_cell_factory (self->updated_column, COLUMN_UPDATED);

  self->filter = gtk_custom_filter_new (filter_row, self, NULL);
  gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  gtk_menu_button_set_create_popup_func (self->day_button, create_day_popover, self, NULL);
  gtk_menu_button_set_create_popup_func (self->filter_button, create_status_filter, self, NULL);

  /* Typing anywhere in the window starts the search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);

  /* Folded, one click opens a workorder; side by side, a click selects (and shows) it. */
  g_object_bind_property (self->leaflet, "folded", self->column_view, "single-click-activate",
                          G_BINDING_SYNC_CREATE);
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
 * Returns: (transfer none): the first day shown
 */
const GDate *
cw_window_get_day (CwWindow *self)
{
  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);

  return g_date_valid (&self->first_day) ? &self->first_day : NULL;
}

void
cw_window_set_day (CwWindow    *self,
                   const GDate *day)
{
  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (day != NULL && g_date_valid (day));

  show_days (self, day, self->n_days);
}

/**
 * cw_window_set_days:
 * @self: a #CwWindow
 * @first_day: the first day to show
 * @n_days: how many days, 1 to 7
 *
 * Shows the appointments of a range of days.
 */
void
cw_window_set_days (CwWindow    *self,
                    const GDate *first_day,
                    guint        n_days)
{
  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (first_day != NULL && g_date_valid (first_day));
  g_return_if_fail (n_days >= 1 && n_days <= MAX_DAYS);

  show_days (self, first_day, n_days);
}

/**
 * cw_window_get_rows:
 * @self: a #CwWindow
 *
 * Returns: (transfer none): the rows as the list shows them, filtered and sorted; a
 *   #GtkSingleSelection
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
 * Returns: (transfer none): what the window's left side shows: "list", "search",
 *   "empty-day", "filtered", "no-data" or "error"
 */
const char *
cw_window_get_page_name (CwWindow *self)
{
  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * cw_window_get_search_results:
 * @self: a #CwWindow
 *
 * Returns: (transfer none): the search results as shown (#CwSearchResult), a
 *   #GtkSingleSelection
 */
GListModel *
cw_window_get_search_results (CwWindow *self)
{
  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->results_selection);
}

/**
 * cw_window_get_workorder_page:
 * @self: a #CwWindow
 *
 * Returns: (transfer none): the page of the open workorder, built if it was not yet
 */
CwWorkorderPage *
cw_window_get_workorder_page (CwWindow *self)
{
  g_return_val_if_fail (CW_IS_WINDOW (self), NULL);

  return ensure_page (self);
}

/**
 * cw_window_search:
 * @self: a #CwWindow
 * @text: what to search for, as if typed
 *
 * Puts @text in the search and shows what matches (`claire-workshop TEXT`, app.search).
 */
void
cw_window_search (CwWindow   *self,
                  const char *text)
{
  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  if (page_shown_folded (self))
    show_list (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
}

/**
 * cw_window_open_workorder:
 * @self: a #CwWindow
 * @workorder_id: a stored workorder
 *
 * Shows the workorder: its day in the list, selected, and its page.
 */
void
cw_window_open_workorder (CwWindow *self,
                          gint64    workorder_id)
{
  g_return_if_fail (CW_IS_WINDOW (self));
  g_return_if_fail (workorder_id > 0);

  end_search (self);
  open_workorder (self, workorder_id, TRUE);
}
