/* test-desk.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#ifdef __SANITIZE_ADDRESS__
#endif

#include "cw-application.h"
#include "cw-ocw-button.h"
#include "cw-plate.h"
#include "cw-pon-account.h"
#include "cw-preferences-window.h"
#include "cw-search-result.h"
#include "cw-sim-server.h"
#include "cw-store.h"
#include "cw-test-fixtures.h"
#include "cw-test-ui.h"
#include "cw-text.h"
#include "cw-window.h"

/*
 * The advisor's desk as a user drives it: the app running in a real X session (Xvfb), the
 * DMS simulator on loopback, and the keyboard typed through the X server with xdotool, as
 * a real keyboard would. Type a WO number anywhere and press Enter: the workorder is
 * imported and its page opens; a plate in another spelling finds the same one; Esc stops a
 * slow import and leaves nothing behind; a keep-importing run updates the list without
 * losing the selection or the scroll position; the status moves on from the keyboard.
 */

#define TWODRIVE "demo-2drive"
#define AUTOFLEX "demo-autoflex"
#define WINCAR "demo-wincar"

static CwSimServer *sim;

/*
 * Set-up: connections to the simulator, configured as Preferences would
 */

static void
ensure_sim (void)
{
  if (sim == NULL)
    {
      sim = cw_sim_server_new (2026, NULL);
      g_assert_true (cw_sim_server_listen (sim, 0, NULL));
    }
  cw_sim_server_clear_faults (sim);
}

static void
configure_2drive (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CwConnection) connection = cw_connection_new_for_settings (TWODRIVE);
  g_autofree char *endpoint = NULL;
  g_autofree char *token_url = NULL;
  const char * const ids[] = { TWODRIVE, NULL };

  ensure_sim ();
  endpoint = cw_sim_server_dup_url (sim, CW_SIM_2DRIVE_API);
  token_url = cw_sim_server_dup_url (sim, CW_SIM_2DRIVE_TOKEN);
  g_object_set (connection, "kind", "2drive", "name", "2Drive (demo)", "endpoint", endpoint,
                "token-url", token_url, "audience", CW_SIM_2DRIVE_AUDIENCE,
                "affiliate-id", CW_SIM_2DRIVE_AFFILIATE, NULL);
  g_settings_set_strv (settings, "connections", ids);
  cw_test_store_credentials (connection, "client_id", CW_SIM_2DRIVE_CLIENT_ID,
                             "client_secret", CW_SIM_2DRIVE_SECRET, NULL);
}

static void
configure_autoflex (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CwConnection) connection = cw_connection_new_for_settings (AUTOFLEX);
  g_autofree char *endpoint = NULL;
  const char * const ids[] = { AUTOFLEX, NULL };

  ensure_sim ();
  endpoint = cw_sim_server_dup_url (sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  g_object_set (connection, "kind", "autoflex", "name", "Autoflex (demo)", "endpoint", endpoint, NULL);
  g_settings_set_strv (settings, "connections", ids);
  cw_test_store_credentials (connection, "api_key", CW_SIM_AUTOFLEX_API_KEY,
                             "username", CW_SIM_AUTOFLEX_USERNAME,
                             "password", CW_SIM_AUTOFLEX_PASSWORD, NULL);
}

static void
configure_wincar (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CwConnection) connection = cw_connection_new_for_settings (WINCAR);
  g_autofree char *endpoint = NULL;
  const char * const ids[] = { WINCAR, NULL };

  ensure_sim ();
  endpoint = cw_sim_server_dup_url (sim, CW_SIM_WINCAR_API);
  g_object_set (connection, "kind", "wincar", "name", "Wincar (demo)", "endpoint", endpoint,
                "writeback", TRUE, NULL);
  g_settings_set_strv (settings, "connections", ids);
  cw_test_store_credentials (connection, "username", CW_SIM_WINCAR_USERNAME,
                             "password", CW_SIM_WINCAR_PASSWORD, NULL);
}

/* Wincar, and a PON account with the simulator as PON: the OCW button shows. */
static void
configure_wincar_and_pon (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CwPonAccount) account = cw_pon_account_new ();
  g_autofree char *pon = NULL;

  configure_wincar ();
  pon = cw_sim_server_dup_url (sim, CW_SIM_PON_API);
  g_settings_set_string (settings, "pon-endpoint", pon);
  cw_test_store_pon_account (account, CW_SIM_PON_USERNAME, CW_SIM_PON_PASSWORD);
}

/* A 2Drive order of the dataset that can be imported (it has a labour line). */
static CwSimOrder *
twodrive_order (guint skip)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (sim);

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

      if (order->dms == CW_SIM_DMS_2DRIVE && cw_sim_order_has_labour (order) && !order->invoiced &&
          cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE) != NULL &&
          skip-- == 0)
        return order;
    }

  g_assert_not_reached ();
}

/*
 * The keyboard, through the X server
 */

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
run_xdotool (CwWindow   *window,
             const char *first,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  gboolean done = FALSE;
  const char *arg;
  va_list args;

  g_assert_true (GDK_IS_X11_SURFACE (surface));

  /* The window gets the X input focus first: there is no window manager to give it. */
  g_ptr_array_add (argv, g_strdup ("xdotool"));
  g_ptr_array_add (argv, g_strdup ("windowfocus"));
  g_ptr_array_add (argv, g_strdup ("--sync"));
  g_ptr_array_add (argv, g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface)));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);

  /* The app must keep handling events while xdotool types. */
  g_subprocess_wait_async (process, NULL, waited_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  cw_test_ui_iterate (150);
}

static void
type_text (CwWindow   *window,
           const char *text)
{
  run_xdotool (window, "type", "--delay", "30", text, NULL);
}

static void
press_keys (CwWindow   *window,
            const char *keys)
{
  run_xdotool (window, "key", "--delay", "30", keys, NULL);
}

/*
 * Waiting
 */

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition  condition,
            gpointer   data,
            guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
page_is_open (gpointer data)
{
  return cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (data)) != 0;
}

static CwSearchResult *
first_result (CwWindow *window)
{
  GListModel *results = cw_window_get_search_results (window);

  if (g_list_model_get_n_items (results) == 0)
    return NULL;

  return g_list_model_get_item (results, 0);
}

static gboolean
first_result_is_import (gpointer data)
{
  g_autoptr(CwSearchResult) result = first_result (data);

  return result != NULL && cw_search_result_get_kind (result) == CW_SEARCH_RESULT_IMPORT;
}

/* The first row can open the workorder: a local one (the change stream may have brought
 * it already) or the import. */
static gboolean
first_result_opens (gpointer data)
{
  g_autoptr(CwSearchResult) result = first_result (data);

  return result != NULL && !cw_search_result_get_busy (result) &&
         (cw_search_result_get_kind (result) == CW_SEARCH_RESULT_IMPORT ||
          cw_search_result_get_kind (result) == CW_SEARCH_RESULT_WORKORDER);
}

static gboolean
first_result_is_busy (gpointer data)
{
  g_autoptr(CwSearchResult) result = first_result (data);

  return result != NULL && cw_search_result_get_busy (result);
}

/* Whether a label somewhere under @widget shows @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static CwStore *
app_store (CwApplication *app)
{
  return cw_application_get_store (app);
}

static CwWindow *
open_window (CwApplication *app,
             int            width,
             int            height)
{
  CwWindow *window = cw_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  cw_test_ui_wait_until_shown (GTK_WINDOW (window));

  return window;
}

/*
 * Tests
 */

static void
test_type_wo_number_imports_and_opens (CwApplication *app)
{
  CwSimOrder *order = twodrive_order (0);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  const char *make = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_MAKE);
  g_autofree char *plate = cw_plate_format (cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE));
  g_autoptr(CwSearchResult) result = NULL;
  CwWindow *window = open_window (app, 1280, 800);
  gint64 id;

  /* Nothing is stored: typing anywhere searches, and the first row offers the import. */
  g_assert_cmpint (cw_store_count_workorders (app_store (app), NULL), ==, 0);
  type_text (window, wo_number);
  wait_until (first_result_is_import, window, 5);
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "search");
  result = first_result (window);
  g_assert_nonnull (strstr (cw_search_result_get_title (result), wo_number));
  g_assert_nonnull (strstr (cw_search_result_get_title (result), "2Drive"));

  press_keys (window, "Return");
  wait_until (page_is_open, window, 10);

  id = cw_store_find_workorder (app_store (app), TWODRIVE, wo_number, NULL);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (window)), ==, id);
  g_assert_cmpstr (cw_window_get_page_name (window), !=, "search");

  /* The page shows what the DMS said. */
  cw_test_ui_iterate (200);
  g_assert_true (shows_text (GTK_WIDGET (cw_window_get_workorder_page (window)), wo_number));
  g_assert_true (shows_text (GTK_WIDGET (cw_window_get_workorder_page (window)), plate));
  if (make != NULL)
    g_assert_true (shows_text (GTK_WIDGET (cw_window_get_workorder_page (window)), make));

  /* Typed again, it is found locally: no second import. */
  g_clear_object (&result);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  type_text (window, wo_number);
  wait_until ((Condition) first_result, window, 5);
  result = first_result (window);
  g_assert_cmpint (cw_search_result_get_kind (result), ==, CW_SEARCH_RESULT_WORKORDER);
  g_assert_cmpint (cw_workorder_summary_get_id (cw_search_result_get_summary (result)), ==, id);
  g_assert_cmpint (cw_store_count_workorders (app_store (app), NULL), ==, 1);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_plate_in_another_spelling (CwApplication *app)
{
  CwSimOrder *order = twodrive_order (1);
  const char *normalized = cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_PLATE);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  g_autofree char *lower = g_ascii_strdown (normalized, -1);
  g_autofree char *formatted = cw_plate_format (normalized);
  g_autoptr(CwSearchResult) result = NULL;
  CwWindow *window = open_window (app, 1280, 800);
  gint64 id;

  /* "ab123c": lower case, no dashes; the row names the plate as the DMS is asked for it. */
  type_text (window, lower);
  wait_until (first_result_is_import, window, 5);
  result = first_result (window);
  g_assert_nonnull (strstr (cw_search_result_get_title (result), formatted));

  press_keys (window, "Return");
  wait_until (page_is_open, window, 10);
  id = cw_store_find_workorder (app_store (app), TWODRIVE, wo_number, NULL);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (window)), ==, id);

  /* With dashes and spaces, it is the same workorder, found locally. */
  g_clear_object (&result);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  type_text (window, formatted);
  wait_until ((Condition) first_result, window, 5);
  result = first_result (window);
  g_assert_cmpint (cw_search_result_get_kind (result), ==, CW_SEARCH_RESULT_WORKORDER);
  g_assert_cmpint (cw_workorder_summary_get_id (cw_search_result_get_summary (result)), ==, id);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_escape_cancels_slow_import (CwApplication *app)
{
  CwSimOrder *order = twodrive_order (2);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  CwWindow *window = open_window (app, 1280, 800);
  g_autoptr(CwSearchResult) result = NULL;

  /* The DMS takes its time; Esc while the spinner turns stops the import. */
  cw_sim_server_add_fault (sim, CW_SIM_2DRIVE_API, CW_SIM_FAULT_DELAY, 2500, 10);
  type_text (window, wo_number);
  wait_until (first_result_is_import, window, 5);
  press_keys (window, "Return");
  wait_until (first_result_is_busy, window, 5);

  press_keys (window, "Escape");
  result = first_result (window);
  g_assert_nonnull (result);
  g_assert_false (cw_search_result_get_busy (result));
  g_assert_cmpstr (cw_window_get_page_name (window), ==, "search");

  /* Long after the DMS would have answered, nothing was stored and nothing opened. */
  cw_test_ui_iterate (3500);
  g_assert_cmpint (cw_store_count_workorders (app_store (app), NULL), ==, 0);
  g_assert_cmpint (cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (window)), ==, 0);

  /* A second Esc leaves the search. */
  press_keys (window, "Escape");
  g_assert_cmpstr (cw_window_get_page_name (window), !=, "search");

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static guint
n_rows (gpointer data)
{
  return g_list_model_get_n_items (cw_window_get_rows (data));
}

static gboolean
list_has_rows (gpointer data)
{
  return n_rows (data) > 0;
}

static gboolean
list_grew (gpointer data)
{
  CwWindow *window = data;

  return n_rows (window) > GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "rows-before"));
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The appointment list's scrolling. */
static GtkAdjustment *
list_vadjustment (CwWindow *window)
{
  GtkWidget *column_view = find_widget (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW);

  g_assert_nonnull (column_view);
  g_assert_true (GTK_IS_SCROLLED_WINDOW (gtk_widget_get_parent (column_view)));

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_parent (column_view)));
}

static void
test_keep_importing_keeps_selection (CwApplication *app)
{
  CwImportScheduler *scheduler = cw_application_get_scheduler (app);
  CwSimDataset *dataset = cw_sim_server_get_dataset (sim);
  g_autoptr(CwWorkorderSummary) selected = NULL;
  g_autoptr(CwWorkorderSummary) after = NULL;
  GtkSingleSelection *rows;
  GtkAdjustment *vadjustment;
  CwWindow *window;
  double scrolled, row_height;
  gint64 stored;
  guint position;
  GDate tomorrow;

  /* Enough of today's orders for the list to scroll in a small window. */
  cw_sim_dataset_add_bulk (dataset, CW_SIM_DMS_AUTOFLEX, 40, cw_sim_dataset_get_today (dataset));
  window = open_window (app, 1000, 420);
  wait_until (list_has_rows, window, 20);
  while (cw_import_scheduler_is_running (scheduler, AUTOFLEX))
    g_main_context_iteration (NULL, TRUE);
  cw_test_ui_iterate (300);

  rows = GTK_SINGLE_SELECTION (cw_window_get_rows (window));
  position = g_list_model_get_n_items (G_LIST_MODEL (rows)) / 2;
  gtk_single_selection_set_selected (rows, position);
  selected = g_object_ref (gtk_single_selection_get_selected_item (rows));
  vadjustment = list_vadjustment (window);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >, gtk_adjustment_get_page_size (vadjustment));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment) / 3);
  cw_test_ui_iterate (200);
  scrolled = gtk_adjustment_get_value (vadjustment);

  /* The DMS changes one order and adds two; a keep-importing run brings them in. */
  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

      if (order->dms == CW_SIM_DMS_AUTOFLEX &&
          g_strcmp0 (cw_workorder_get_field (order->workorder, CW_WORKORDER_DMS_NUMBER),
                     cw_workorder_summary_get_dms_number (selected)) == 0)
        {
          cw_workorder_set_dms_mileage (order->workorder, 123456);
          cw_sim_dataset_touch (dataset, order);
        }
    }
  cw_sim_dataset_add_bulk (dataset, CW_SIM_DMS_AUTOFLEX, 2, cw_sim_dataset_get_today (dataset));
  g_object_set_data (G_OBJECT (window), "rows-before", GUINT_TO_POINTER (n_rows (window)));
  g_assert_true (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  wait_until (list_grew, window, 20);
  /* The rows show before the run has finished its bookkeeping; the next run needs it done. */
  while (cw_import_scheduler_is_running (scheduler, AUTOFLEX))
    g_main_context_iteration (NULL, TRUE);
  cw_test_ui_iterate (300);

  after = g_object_ref (gtk_single_selection_get_selected_item (rows));
  g_assert_cmpint (cw_workorder_summary_get_id (after), ==, cw_workorder_summary_get_id (selected));
  g_assert_cmpint (cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (window)), ==,
                   cw_workorder_summary_get_id (selected));
  /* Rows that came in above the visible ones push them down by at most their own height:
   * what was in view stays in view. */
  row_height = gtk_adjustment_get_upper (vadjustment) / n_rows (window);
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (vadjustment) - scrolled), <=, 2 * row_height + 1);

  /* A run that changes rows in place (and adds only to another day) moves nothing. */
  scrolled = gtk_adjustment_get_value (vadjustment);
  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

      if (order->dms == CW_SIM_DMS_AUTOFLEX && i % 3 == 0)
        {
          cw_workorder_set_dms_mileage (order->workorder, 200000 + i);
          cw_sim_dataset_touch (dataset, order);
        }
    }
  cw_test_date_today (&tomorrow);
  cw_test_date_offset (&tomorrow, 1);
  cw_sim_dataset_add_bulk (dataset, CW_SIM_DMS_AUTOFLEX, 3, &tomorrow);
  stored = cw_store_count_workorders (app_store (app), NULL);
  g_assert_true (cw_import_scheduler_run_now (scheduler, AUTOFLEX));
  while (cw_import_scheduler_is_running (scheduler, AUTOFLEX))
    g_main_context_iteration (NULL, TRUE);
  cw_test_ui_iterate (300);
  g_assert_cmpint (cw_store_count_workorders (app_store (app), NULL), ==, stored + 3);
  g_assert_cmpint (cw_workorder_summary_get_id (gtk_single_selection_get_selected_item (rows)), ==,
                   cw_workorder_summary_get_id (selected));
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (vadjustment), scrolled, 0.5);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static gboolean
status_is (gpointer data)
{
  CwApplication *app = g_object_get_data (G_OBJECT (data), "app");
  gint64 id = cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (data));
  g_autoptr(CwWorkorder) workorder = cw_store_load_workorder (app_store (app), id, NULL);
  CwProcess process;

  cw_workorder_get_process (workorder, &process);

  return process.status == (CwStatus) GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (data), "want"));
}

static void
test_status_from_the_keyboard (CwApplication *app)
{
  CwSimOrder *order = twodrive_order (3);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  CwWindow *window = open_window (app, 1280, 800);

  g_object_set_data (G_OBJECT (window), "app", app);
  type_text (window, wo_number);
  wait_until (first_result_is_import, window, 5);
  press_keys (window, "Return");
  wait_until (page_is_open, window, 10);
  cw_test_ui_iterate (200);

  /* Ctrl+Return moves the status on; Ctrl+I is the car in/out toggle. */
  g_object_set_data (G_OBJECT (window), "want", GUINT_TO_POINTER (CW_STATUS_CAR_IN_SHOP));
  press_keys (window, "ctrl+Return");
  wait_until (status_is, window, 5);

  g_object_set_data (G_OBJECT (window), "want", GUINT_TO_POINTER (CW_STATUS_CHECK_STARTED));
  press_keys (window, "ctrl+Return");
  wait_until (status_is, window, 5);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
test_app_actions (CwApplication *app)
{
  CwSimOrder *order = twodrive_order (4);
  const char *wo_number = cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER);
  CwWindow *window = open_window (app, 1280, 800);
  GtkWindow *preferences = NULL;
  gint64 id;

  /* app.search, as `gapplication action com.claire.Workshop search "'12345'"` calls it. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "search", g_variant_new_string (wo_number));
  wait_until (first_result_is_import, window, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_window_get_focus (GTK_WINDOW (window)))), ==, wo_number);
  press_keys (window, "Return");
  wait_until (page_is_open, window, 10);
  id = cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (window));

  /* app.open-workorder, with a stored workorder's id, opens it wherever the list was. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-day", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-day", NULL);
  cw_workorder_page_set_workorder_id (cw_window_get_workorder_page (window), 0);
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-workorder", g_variant_new_int64 (id));
  cw_test_ui_iterate (100);
  g_assert_cmpint (cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (window)), ==, id);

  /* app.preferences opens the preferences over the window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  cw_test_ui_iterate (200);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && preferences == NULL; i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (CW_IS_PREFERENCES_WINDOW (toplevel))
          preferences = toplevel;
      }
  }
  g_assert_nonnull (preferences);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (preferences)));
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  gtk_window_destroy (preferences);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

typedef struct
{
  CwWindow   *window;
  const char *text;
} Shows;

static gboolean
page_shows (gpointer data)
{
  Shows *shows = data;

  return shows_text (GTK_WIDGET (cw_window_get_workorder_page (shows->window)), shows->text);
}

/* Both changes in the DMS, and the page says so: nothing pending or being sent. */
static gboolean
both_sent (gpointer data)
{
  Shows *shows = data;
  Shows pending = { shows->window, "Pending" };
  Shows sending = { shows->window, "Sending" };

  return cw_sim_server_count_writebacks (sim, "wincar") == 2 &&
         !page_shows (&pending) && !page_shows (&sending) && page_shows (shows);
}

static gint64
add_line (CwApplication *app,
          gint64         id,
          const char    *title)
{
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(GError) error = NULL;
  gint64 line_id;

  cw_intervention_set_title (line, title);
  line_id = cw_store_add_intervention (app_store (app), id, line, NULL, &error);
  g_assert_no_error (error);

  return line_id;
}

/* The "done when": with the Wincar demo connection, an intervention added on a
 * workorder shows "Sent" within seconds and the DMS has it; with the DMS down another
 * shows "Pending"; when the DMS is back it turns "Sent" with no click. */
static void
test_writeback_while_the_dms_comes_and_goes (CwApplication *app)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (sim);
  CwSimOrder *order = NULL;
  CwWindow *window = open_window (app, 1280, 1000);
  Shows pending = { window, "Pending" };
  Shows sending = { window, "Sending" };
  Shows sent = { window, "Sent" };
  g_autoptr(GError) error = NULL;
  guint port = cw_sim_server_get_port (sim);
  gint64 id;

  for (guint i = 0; order == NULL && i < cw_sim_dataset_get_n_orders (dataset); i++)
    if (cw_sim_dataset_get_order (dataset, i)->dms == CW_SIM_DMS_WINCAR &&
        !cw_sim_dataset_get_order (dataset, i)->invoiced)
      order = cw_sim_dataset_get_order (dataset, i);
  g_assert_nonnull (order);

  type_text (window, cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER));
  wait_until (first_result_opens, window, 10);
  press_keys (window, "Return");
  wait_until (page_is_open, window, 10);
  id = cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (window));

  add_line (app, id, "Bandenspanning controleren");
  wait_until (page_shows, &sent, 10);
  g_assert_cmpuint (cw_sim_server_count_writebacks (sim, "wincar"), ==, 1);

  cw_sim_server_disconnect (sim);
  add_line (app, id, "Ruitensproeiervloeistof bijvullen");
  wait_until (page_shows, &pending, 10);
  /* It waits (between retries it may show "Sending" for the moment a retry takes). */
  cw_test_ui_iterate (1500);
  g_assert_true (page_shows (&pending) || page_shows (&sending));
  g_assert_cmpuint (cw_sim_server_count_writebacks (sim, "wincar"), ==, 1);

  g_assert_true (cw_sim_server_listen (sim, port, &error));
  g_assert_no_error (error);
  wait_until (both_sent, &sent, 45);

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void render (CwWindow   *window,
                    const char *name);

static CwOcwButton *
ocw_button (CwWindow *window)
{
  return CW_OCW_BUTTON (find_widget (GTK_WIDGET (cw_window_get_workorder_page (window)), CW_TYPE_OCW_BUTTON));
}

typedef struct
{
  CwWindow   *window;
  const char *wo_number;
} Opened;

/* The page shows the workorder with that number (not the one opened before it). */
static gboolean
page_shows_wo (gpointer data)
{
  Opened *opened = data;
  const char *title = cw_workorder_page_get_title (cw_window_get_workorder_page (opened->window));

  return title != NULL && strstr (title, opened->wo_number) != NULL;
}

static gboolean
ocw_settled (gpointer data)
{
  CwOcwButton *button = ocw_button (data);

  return button != NULL && gtk_widget_get_visible (GTK_WIDGET (button)) &&
         !cw_ocw_button_get_checking (button) && cw_ocw_button_get_state (button) != CW_OCW_UNKNOWN;
}

/* The "done when" for OCW: each Volkswagen shows its colour; the green one its
 * mileage, and it carries the safety intervention once, however often it is opened. */
static void
test_ocw_on_volkswagens (CwApplication *app)
{
  const CwOcwState states[] = { CW_OCW_NOT_CAPABLE, CW_OCW_NOT_ACTIVATED, CW_OCW_CONNECTED, CW_OCW_MAINTENANCE };
  CwWindow *window = open_window (app, 1280, 1000);
  gint64 green_id = 0;

  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      CwSimOrder *order = NULL;
      CwOcwButton *button;

      for (guint nth = 0; order == NULL || order->dms != CW_SIM_DMS_WINCAR || order->invoiced; nth++)
        {
          order = cw_sim_pon_find_order (sim, states[s], CW_SIM_PON_MILEAGE_ANY, nth);
          g_assert_nonnull (order);
        }

      gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
      type_text (window, cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER));
      wait_until (first_result_opens, window, 10);
      press_keys (window, "Return");
      {
        Opened opened = { window, cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER) };

        wait_until (page_shows_wo, &opened, 10);
      }
      wait_until (ocw_settled, window, 20);

      button = ocw_button (window);
      g_assert_cmpint (cw_ocw_button_get_state (button), ==, states[s]);
      if (states[s] == CW_OCW_CONNECTED)
        {
          g_autofree char *km = cw_text_dup_grouped (cw_sim_pon_get_mileage (sim, cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_VIN)));
          const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (button));

          green_id = cw_workorder_page_get_workorder_id (cw_window_get_workorder_page (window));
          g_assert_nonnull (tooltip);
          g_assert_nonnull (strstr (tooltip, km));
          render (window, "desk-ocw-green.png");
        }
      g_assert_cmpuint (cw_sim_pon_count_requests (sim, cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_VIN)), ==, 1);
    }

  /* The green one carries the safety intervention, once. */
  {
    g_autoptr(CwWorkorder) green = cw_store_load_workorder (app_store (app), green_id, NULL);
    GListModel *lines = cw_workorder_get_interventions (green);
    guint n_ocw = 0;

    for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
      {
        g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

        n_ocw += cw_intervention_get_source (line) == CW_INTERVENTION_SOURCE_OCW;
      }
    g_assert_cmpuint (n_ocw, ==, 1);
  }

  cw_test_ui_close_window (GTK_WINDOW (window));
}

static void
render (CwWindow   *window,
        const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (window), path, NULL));
}

static void
test_screenshots (CwApplication *app)
{
  static const struct {
    int         width;
    int         height;
    gboolean    dark;
    const char *name;
  } shots[] = {
    { 1280, 800, FALSE, "main-window-workorder-light-1280x800.png" },
    { 1280, 800, TRUE, "main-window-workorder-dark-1280x800.png" },
    { 800, 600, FALSE, "main-window-workorder-light-800x600.png" },
    { 800, 600, TRUE, "main-window-workorder-dark-800x600.png" },
  };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      CwWindow *window = open_window (app, shots[i].width, shots[i].height);
      GListModel *rows = cw_window_get_rows (window);
      g_autoptr(CwWorkorderSummary) summary = NULL;

      adw_style_manager_set_color_scheme (style, shots[i].dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                               : ADW_COLOR_SCHEME_FORCE_LIGHT);
      wait_until (list_has_rows, window, 20);

      /* A car that is in the shop, with its work on the page. */
      summary = g_list_model_get_item (rows, MIN (2, g_list_model_get_n_items (rows) - 1));
      cw_window_open_workorder (window, cw_workorder_summary_get_id (summary));
      cw_test_ui_iterate (500);
      render (window, shots[i].name);
      cw_test_ui_close_window (GTK_WINDOW (window));
    }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("cw-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  g_autofree char *xdotool = NULL;
  int status;

  /* The connections' credentials go to libsecret's file backend. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  cw_test_ui_init (&argc, &argv);

  /* The keyboard is driven through the X server, as a user's would be: without xdotool
   * these tests cannot run, and that is a failure, not a skip. */
  xdotool = g_find_program_in_path ("xdotool");
  if (xdotool == NULL)
    {
      g_printerr ("xdotool is not installed: run build-aux/test, which installs it\n");
      return EXIT_FAILURE;
    }

  CW_TEST_UI_ADD_DESK ("/desk/type-wo-number-imports-and-opens", configure_2drive, test_type_wo_number_imports_and_opens);
  CW_TEST_UI_ADD_DESK ("/desk/plate-in-another-spelling", configure_2drive, test_plate_in_another_spelling);
  CW_TEST_UI_ADD_DESK ("/desk/escape-cancels-slow-import", configure_2drive, test_escape_cancels_slow_import);
  CW_TEST_UI_ADD_DESK ("/desk/keep-importing-keeps-selection", configure_autoflex, test_keep_importing_keeps_selection);
  CW_TEST_UI_ADD_DESK ("/desk/status-from-the-keyboard", configure_2drive, test_status_from_the_keyboard);
  CW_TEST_UI_ADD_DESK ("/desk/app-actions", configure_2drive, test_app_actions);
  CW_TEST_UI_ADD_DESK ("/desk/screenshots", configure_autoflex, test_screenshots);
  CW_TEST_UI_ADD_DESK ("/desk/writeback-while-the-dms-comes-and-goes", configure_wincar,
                       test_writeback_while_the_dms_comes_and_goes);
  CW_TEST_UI_ADD_DESK ("/desk/ocw-on-volkswagens", configure_wincar_and_pon, test_ocw_on_volkswagens);

  status = g_test_run ();

  g_clear_object (&sim);
  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
