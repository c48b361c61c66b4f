/* test-window.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>

#include "cw-application.h"
#include "cw-day-popover.h"
#include "cw-sim-server.h"
#include "cw-store.h"
#include "cw-test-fixtures.h"
#include "cw-test-ui.h"
#include "cw-window.h"

/*
 * The main window in a real X session (Xvfb): it lists today's workorders from a seeded
 * store, moves between days, says why the list is empty, labels its icon buttons for
 * screen readers, remembers its size, and renders in light and dark. The renders are
 * written to the build directory; the light one is the README's screenshot.
 */

static void
seed_store (guint n_today)
{
  g_autofree char *path = cw_store_dup_default_path ();
  g_autoptr(CwStore) store = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autoptr(GError) error = NULL;
  GDate day;

  store = cw_store_open (path, &error);
  g_assert_no_error (error);

  cw_test_date_today (&day);
  for (guint i = 0; i < n_today; i++)
    g_ptr_array_add (batch, cw_test_workorder_generate (rand, i, &day));

  /* Two tomorrow, none yesterday. */
  cw_test_date_offset (&day, 1);
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (batch, cw_test_workorder_generate (rand, 1000 + i, &day));

  g_assert_true (cw_store_import_workorders (store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
}

static void
move_some_along (guint n)
{
  g_autofree char *path = cw_store_dup_default_path ();
  g_autoptr(CwStore) store = cw_store_open (path, NULL);
  static const CwProcessChange changes[] = {
    { CW_PROCESS_TOGGLE_SHOP },
    { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_STARTED },
    { CW_PROCESS_ADVANCE, CW_STATUS_CALCULATING },
    { CW_PROCESS_ADVANCE, CW_STATUS_CUSTOMER_OK },
    { CW_PROCESS_ADVANCE, CW_STATUS_CAR_READY },
  };

  /* Give the list a realistic mix of statuses: ids 1..n are today's, and the cars that are
   * ready have left the shop. */
  for (guint id = 1; id <= n; id++)
    {
      guint steps = id % G_N_ELEMENTS (changes);

      for (guint step = 0; step < steps; step++)
        g_assert_true (cw_store_change_process (store, id, &changes[step], "Sanne", NULL));
      if (steps == G_N_ELEMENTS (changes) - 1)
        g_assert_true (cw_store_change_process (store, id, &changes[0], "Sanne", NULL));
    }
}

/* The first widget of @type under @root, depth first. */
static GtkWidget *
find_widget_of_type (GtkWidget *root,
                     GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_widget_of_type (child, type)) != NULL)
        return found;
    }

  return NULL;
}

static char *
row_number (CwWindow *window,
            guint     position)
{
  g_autoptr(CwWorkorderSummary) row = g_list_model_get_item (cw_window_get_rows (window), position);

  return g_strdup (cw_workorder_summary_get_wo_number (row));
}

static void
test_window_lists_today (CwApplication *app)
{
  CwWindow *window;
  GListModel *rows;
  GDateTime *previous = NULL;

  seed_store (12);
  window = cw_window_new (app);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));

  g_assert_cmpstr (cw_window_get_page_name (window), ==, "list");
  rows = cw_window_get_rows (window);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 12);

  /* Sorted by appointment time. */
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CwWorkorderSummary) row = g_list_model_get_item (rows, i);
      GDateTime *at = cw_workorder_summary_get_appointment (row);

      g_assert_nonnull (at);
      if (previous != NULL)
        g_assert_cmpint (g_date_time_compare (previous, at), <=, 0);
      previous = at;
    }

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_window_day_navigation (CwApplication *app)
{
  g_autofree char *tomorrow_first = NULL;
  CwWindow *window;
  GDate today, day;

  seed_store (5);
  window = cw_window_new (app);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));
  cw_test_date_today (&today);

  g_assert_cmpint (g_date_compare (cw_window_get_day (window), &today), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-day", NULL);
  day = today;
  g_date_add_days (&day, 1);
  g_assert_cmpint (g_date_compare (cw_window_get_day (window), &day), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cw_window_get_rows (window)), ==, 2);
  tomorrow_first = row_number (window, 0);
  g_assert_true (g_str_equal (tomorrow_first, "101000") || g_str_equal (tomorrow_first, "101001"));

  /* Two back is yesterday: nothing planned, but the store is not empty. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-day", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-day", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (cw_window_get_rows (window)), ==, 0);
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "empty-day");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.today", NULL);
  g_assert_cmpint (g_date_compare (cw_window_get_day (window), &today), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cw_window_get_rows (window)), ==, 5);
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "list");

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_window_keyboard_navigation (CwApplication *app)
{
  CwWindow *window;
  GDate today, day;

  seed_store (3);
  window = cw_window_new (app);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));
  cw_test_date_today (&today);

  /* The shortcuts are the window's own bindings. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-day", NULL));
  {
    GtkShortcutController *controller = NULL;
    GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
    gboolean found_alt_right = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (item))
          continue;
        controller = GTK_SHORTCUT_CONTROLLER (item);
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
            GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
            g_autofree char *text = gtk_shortcut_trigger_to_string (trigger);

            if (g_str_equal (text, "<Alt>Right"))
              found_alt_right = TRUE;
          }
      }
    g_object_unref (controllers);
    g_assert_true (found_alt_right);
  }

  day = today;
  g_date_add_days (&day, 1);
  g_assert_cmpint (g_date_compare (cw_window_get_day (window), &day), ==, 0);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_window_empty_store (CwApplication *app)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *png = g_build_filename (dir, "empty-store.png", NULL);
  CwWindow *window = cw_window_new (app);

  cw_test_ui_wait_until_shown (GTK_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (cw_window_get_rows (window)), ==, 0);
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "no-data");

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (window), png, NULL));

  cw_test_ui_close_window (GTK_WINDOW (window));
}

/* Something that is not a database sits where the store should be. */
static void
put_garbage_in_place_of_store (void)
{
  g_autofree char *path = cw_store_dup_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  char garbage[8192];

  memset (garbage, 'x', sizeof garbage);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, NULL));
  g_test_expect_message ("cw-application", G_LOG_LEVEL_WARNING, "*cannot be opened*");
}

static void
test_window_store_error (CwApplication *app)
{
  CwWindow *window;

  g_test_assert_expected_messages ();
  g_assert_null (cw_application_get_store (app));
  g_assert_nonnull (cw_application_get_store_error (app));

  window = cw_window_new (app);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "error");

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static GtkWidget *
find_button_with_action (GtkWidget  *root,
                         const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;

      if ((found = find_button_with_action (child, action_name)) != NULL)
        return found;
    }

  return NULL;
}

/* The main menu: the primary menu button. */
static GtkWidget *
find_menu_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_MENU_BUTTON (child) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (child)))
        return child;
      if ((found = find_menu_button (child)) != NULL)
        return found;
    }

  return NULL;
}

/* Every icon-only button under @widget has a label for screen readers and a tooltip for
 * the rest; returns how many there are. */
static guint
assert_icon_buttons_labelled (GtkWidget *widget)
{
  const char *icon = NULL;
  const char *label = NULL;
  guint n = 0;

  if (!gtk_widget_get_visible (widget))
    return 0;

  if (GTK_IS_MENU_BUTTON (widget))
    {
      icon = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));
      label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
    }
  else if (GTK_IS_BUTTON (widget))
    {
      icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
      label = gtk_button_get_label (GTK_BUTTON (widget));
    }

  if (icon != NULL && label == NULL)
    {
      g_test_message ("icon-only button %s (%s)", G_OBJECT_TYPE_NAME (widget), icon);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_nonnull (gtk_widget_get_tooltip_text (widget));
      n++;
    }

  /* A menu button's own inner button is labelled through the menu button. */
  if (GTK_IS_MENU_BUTTON (widget))
    return n;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += assert_icon_buttons_labelled (child);

  return n;
}

/* The header bar's menu button whose icon is @icon_name (the day button has none). */
static GtkMenuButton *
find_menu_button_by_icon (GtkWidget  *root,
                          const char *icon_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found;

      if (GTK_IS_MENU_BUTTON (child) &&
          g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (child)), icon_name) == 0)
        return GTK_MENU_BUTTON (child);
      if ((found = find_menu_button_by_icon (child, icon_name)) != NULL)
        return found;
    }

  return NULL;
}

static guint
count_status (GListModel *rows,
              CwStatus    status)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CwWorkorderSummary) row = g_list_model_get_item (rows, i);

      n += cw_workorder_summary_get_status (row) == status;
    }

  return n;
}

/* The popover's check button for @status, found by the label it shows. */
static GtkCheckButton *
find_status_check (GtkWidget *root,
                   CwStatus   status)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkCheckButton *found;

      if (GTK_IS_CHECK_BUTTON (child) &&
          g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (child)), cw_status_get_label (status)) == 0)
        return GTK_CHECK_BUTTON (child);
      if ((found = find_status_check (child, status)) != NULL)
        return found;
    }

  return NULL;
}

static guint
get_n_days (CwWindow *window)
{
  guint n_days;

  g_object_get (window, "n-days", &n_days, NULL);

  return n_days;
}

static void
test_window_status_filter (CwApplication *app)
{
  CwWindow *window;
  GListModel *rows;
  GtkMenuButton *button;
  GtkWidget *popover;
  guint n_new, n_ok;

  seed_store (12);
  move_some_along (12);
  window = cw_window_new (app);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));
  rows = cw_window_get_rows (window);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 12);
  n_new = count_status (rows, CW_STATUS_NEW_ENTRY);
  n_ok = count_status (rows, CW_STATUS_CUSTOMER_OK);
  g_assert_cmpuint (n_new, >, 0);
  g_assert_cmpuint (n_ok, >, 0);

  /* At the size a new desk opens with, a day of mixed statuses (the widest status cells)
   * and the page sit side by side. */
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET))));

  /* The popover is built when it first opens, with one check per status, all shown. */
  button = find_menu_button_by_icon (GTK_WIDGET (window), "cw-status-filter-symbolic");
  g_assert_nonnull (button);
  g_assert_null (gtk_menu_button_get_popover (button));
  gtk_menu_button_popup (button);
  cw_test_ui_iterate (100);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  g_assert_nonnull (popover);
  for (CwStatus status = CW_STATUS_NEW_ENTRY; status <= CW_STATUS_CANCELED; status++)
    g_assert_true (gtk_check_button_get_active (find_status_check (popover, status)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (button), "cw-filtered"));

  /* Hiding "New entry" leaves those rows out, and the button shows that something is. */
  gtk_check_button_set_active (find_status_check (popover, CW_STATUS_NEW_ENTRY), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 12 - n_new);
  g_assert_cmpuint (count_status (rows, CW_STATUS_NEW_ENTRY), ==, 0);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (button), "cw-filtered"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Some Statuses Are Hidden");
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "list");

  /* Hiding every status of the day: the window says the statuses hide them. */
  for (CwStatus status = CW_STATUS_NEW_ENTRY; status <= CW_STATUS_CANCELED; status++)
    gtk_check_button_set_active (find_status_check (popover, status), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "filtered");

  /* Only "Customer OK": only those. */
  gtk_check_button_set_active (find_status_check (popover, CW_STATUS_CUSTOMER_OK), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n_ok);
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "list");

  /* "Show all" brings every row back, and the button looks as before. */
  g_assert_true (gtk_widget_activate_action (popover, "filter.show-all", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 12);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (button), "cw-filtered"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Show Statuses");

  gtk_popover_popdown (GTK_POPOVER (popover));
  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_window_range_of_days (CwApplication *app)
{
  CwWindow *window;
  GtkMenuButton *button;
  GtkWidget *popover;
  GtkSpinButton *days;
  GDate today, day;
  guint n_days;

  seed_store (4);
  window = cw_window_new (app);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));
  cw_test_date_today (&today);

  /* Ctrl+D's action opens the day popover, which shows the day the list shows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pick-day", NULL));
  cw_test_ui_iterate (100);
  popover = find_widget_of_type (GTK_WIDGET (window), CW_TYPE_DAY_POPOVER);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  button = GTK_MENU_BUTTON (gtk_widget_get_ancestor (popover, GTK_TYPE_MENU_BUTTON));
  g_assert_true (GTK_WIDGET (gtk_menu_button_get_popover (button)) == popover);
  cw_day_popover_get_days (CW_DAY_POPOVER (popover), &day, &n_days);
  g_assert_cmpint (g_date_compare (&day, &today), ==, 0);
  g_assert_cmpuint (n_days, ==, 1);

  /* Three days from today: today's four and tomorrow's two, with a column for the day. */
  days = GTK_SPIN_BUTTON (find_widget_of_type (popover, GTK_TYPE_SPIN_BUTTON));
  gtk_spin_button_set_value (days, 3);
  g_assert_cmpuint (get_n_days (window), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (cw_window_get_rows (window)), ==, 6);

  /* The next range follows this one: three days later, nothing is planned. */
  gtk_popover_popdown (GTK_POPOVER (popover));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-day", NULL));
  day = today;
  g_date_add_days (&day, 3);
  g_assert_cmpint (g_date_compare (cw_window_get_day (window), &day), ==, 0);
  g_assert_cmpuint (get_n_days (window), ==, 3);
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "empty-day");

  /* Never more than a week, whatever is asked for. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pick-day", NULL));
  cw_test_ui_iterate (100);
  cw_day_popover_get_days (CW_DAY_POPOVER (popover), &day, &n_days);
  g_assert_cmpuint (n_days, ==, 3);
  gtk_spin_button_set_value (days, 30);
  g_assert_cmpuint (get_n_days (window), ==, 7);

  gtk_popover_popdown (GTK_POPOVER (popover));
  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_window_accessible_labels (CwApplication *app)
{
  CwWindow *window;
  GtkWidget *previous, *next, *menu;
  g_autoptr(CwWorkorderSummary) first = NULL;

  seed_store (3);
  window = cw_window_new (app);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));

  previous = find_button_with_action (GTK_WIDGET (window), "win.previous-day");
  next = find_button_with_action (GTK_WIDGET (window), "win.next-day");
  menu = find_menu_button (GTK_WIDGET (window));
  g_assert_nonnull (previous);
  g_assert_nonnull (next);
  g_assert_nonnull (menu);

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (previous), GTK_ACCESSIBLE_PROPERTY_LABEL, "Previous day");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (next), GTK_ACCESSIBLE_PROPERTY_LABEL, "Next day");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu), GTK_ACCESSIBLE_PROPERTY_LABEL, "Main menu");

  /* With a workorder open, every icon-only button of the window and of its page. */
  first = g_list_model_get_item (cw_window_get_rows (window), 0);
  cw_window_open_workorder (window, cw_workorder_summary_get_id (first));
  cw_test_ui_iterate (300);
  g_assert_cmpuint (assert_icon_buttons_labelled (GTK_WIDGET (window)), >=, 5);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_window_remembers_size (CwApplication *app)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  CwWindow *window = cw_window_new (app);
  int width, height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  gtk_window_destroy (GTK_WINDOW (window));
  window = cw_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  cw_test_ui_wait_until_shown (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  cw_test_ui_iterate (100);
  gtk_window_destroy (GTK_WINDOW (window));
  cw_test_ui_iterate (50);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static void
test_window_renders_light_and_dark (CwApplication *app)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *light = g_build_filename (dir, "main-window-light.png", NULL);
  g_autofree char *dark = g_build_filename (dir, "main-window-dark.png", NULL);
  AdwStyleManager *style = adw_style_manager_get_default ();
  double light_luminance = 0, dark_luminance = 0;
  GStatBuf st;
  CwWindow *window;

  seed_store (14);
  move_some_along (14);
  window = cw_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 1200);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (window), light, &light_luminance));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  cw_test_ui_iterate (300);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (window), dark, &dark_luminance));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  g_test_message ("light %.2f, dark %.2f mean luminance; written to %s", light_luminance, dark_luminance, dir);
  g_assert_cmpint (g_stat (light, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 20000);
  g_assert_cmpfloat (light_luminance, >, 0.7);
  g_assert_cmpfloat (dark_luminance, <, 0.3);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
use_language (const char *language)
{
  g_autofree char *po_dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

  /* gettext ignores LANGUAGE in the C locale, hence C.UTF-8 (docs/packaging.md). */
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, language != NULL ? "C.UTF-8" : "C");
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* Setting the domain again makes glibc drop the translations it cached. */
  textdomain (textdomain (NULL));
}

/* Whether a label under @root starts with @prefix. */
static gboolean
shows_label_starting (GtkWidget  *root,
                      const char *prefix)
{
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (root)), prefix))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label_starting (child, prefix))
      return TRUE;

  return FALSE;
}

static void
assert_speaks (CwApplication *app,
               const char    *language,
               const char    *today,
               const char    *status,
               const char    *png_name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *png = g_build_filename (dir, png_name, NULL);
  g_autoptr(CwWorkorderSummary) row = NULL;
  CwWindow *window;

  use_language (language);
  window = cw_window_new (app);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));

  /* The day in the header bar: "Vandaag, za 21 nov". */
  g_assert_true (shows_label_starting (GTK_WIDGET (window), today));
  row = g_list_model_get_item (cw_window_get_rows (window), 0);
  g_assert_cmpstr (cw_status_get_label (cw_workorder_summary_get_status (row)), ==, status);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (window), png, NULL));

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_window_translations (CwApplication *app)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);

  seed_store (4);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  assert_speaks (app, "nl", "Vandaag", "Nieuw", "main-window-nl.png");
  assert_speaks (app, "fr", "Aujourd’hui", "Nouveau", "main-window-fr.png");
  use_language (NULL);
  g_assert_cmpstr (cw_status_get_label (CW_STATUS_NEW_ENTRY), ==, "New entry");
}

/*
 * The demo, end to end: the simulator serves Autoflex, a connection to it is configured
 * with its credentials in the keyring, and the app's own start-up fills the list.
 */

static CwSimServer *demo_sim;

static void
configure_demo_connection (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CwConnection) connection = NULL;
  g_autofree char *endpoint = NULL;
  const char * const ids[] = { "demo-autoflex", NULL };

  if (demo_sim == NULL)
    {
      demo_sim = cw_sim_server_new (2026, NULL);
      g_assert_true (cw_sim_server_listen (demo_sim, 0, NULL));
    }

  endpoint = cw_sim_server_dup_url (demo_sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  connection = cw_connection_new_for_settings ("demo-autoflex");
  g_object_set (connection, "kind", "autoflex", "name", "Autoflex (demo)", "endpoint", endpoint, NULL);
  g_settings_set_strv (settings, "connections", ids);

  cw_test_store_credentials (connection, "api_key", CW_SIM_AUTOFLEX_API_KEY,
                             "username", CW_SIM_AUTOFLEX_USERNAME,
                             "password", CW_SIM_AUTOFLEX_PASSWORD, NULL);
}

static guint
demo_orders_today (void)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (demo_sim);
  g_autoptr(GPtrArray) today = cw_sim_dataset_list_days (dataset, CW_SIM_DMS_AUTOFLEX,
                                                         cw_sim_dataset_get_today (dataset), 1);
  guint n = 0;

  for (guint i = 0; i < today->len; i++)
    if (((CwSimOrder *) g_ptr_array_index (today, i))->order_type == 1)
      n++;

  return n;
}

static void
test_window_fills_from_the_dms (CwApplication *app)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *png = g_build_filename (dir, "demo-today.png", NULL);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint expected = demo_orders_today ();
  CwWindow *window;

  g_assert_cmpuint (expected, >, 3);
  window = cw_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));

  /* No one asks: keep-importing runs at start-up and the list follows the store. */
  while (g_list_model_get_n_items (cw_window_get_rows (window)) < expected)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  cw_test_ui_iterate (300);

  g_assert_cmpuint (g_list_model_get_n_items (cw_window_get_rows (window)), ==, expected);
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "list");
  g_assert_cmpuint (cw_sim_server_count_requests (demo_sim, CW_SIM_AUTOFLEX_API), >, 0);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (window), png, NULL));

  cw_test_ui_close_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("cw-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  int status;

  /* The demo's credentials go to libsecret's file backend: the UI tests need no keyring. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  cw_test_ui_init (&argc, &argv);

  CW_TEST_UI_ADD_DESK ("/window/lists-today", NULL, test_window_lists_today);
  CW_TEST_UI_ADD_DESK ("/window/day-navigation", NULL, test_window_day_navigation);
  CW_TEST_UI_ADD_DESK ("/window/keyboard-navigation", NULL, test_window_keyboard_navigation);
  CW_TEST_UI_ADD_DESK ("/window/status-filter", NULL, test_window_status_filter);
  CW_TEST_UI_ADD_DESK ("/window/range-of-days", NULL, test_window_range_of_days);
  CW_TEST_UI_ADD_DESK ("/window/empty-store", NULL, test_window_empty_store);
  CW_TEST_UI_ADD_DESK ("/window/store-error", put_garbage_in_place_of_store, test_window_store_error);
  CW_TEST_UI_ADD_DESK ("/window/accessible-labels", NULL, test_window_accessible_labels);
  CW_TEST_UI_ADD_DESK ("/window/remembers-size", NULL, test_window_remembers_size);
  CW_TEST_UI_ADD_DESK ("/window/renders-light-and-dark", NULL, test_window_renders_light_and_dark);
  CW_TEST_UI_ADD_DESK ("/window/translations", NULL, test_window_translations);
  CW_TEST_UI_ADD_DESK ("/window/fills-from-the-dms", configure_demo_connection, test_window_fills_from_the_dms);

  status = g_test_run ();

  g_clear_object (&demo_sim);
  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
