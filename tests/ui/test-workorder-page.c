/* test-workorder-page.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#ifdef __SANITIZE_ADDRESS__
#endif

#include "cw-cancel-dialog.h"
#include "cw-import-service.h"
#include "cw-intervention-dialog.h"
#include "cw-sim-server.h"
#include "cw-status-bar.h"
#include "cw-store.h"
#include "cw-ocw-button.h"
#include "cw-test-fixtures.h"
#include "cw-test-ui.h"
#include "cw-workorder-page-private.h"

/*
 * The workorder page in a real X session (Xvfb), against a real store in a temporary
 * folder: it shows what the DMS gave and leaves out what it did not, moves the status only
 * forward through its actions, asks why a workorder is canceled, keeps the in/out toggle
 * for the whole process, adds, edits and removes the advisor's own interventions through
 * its dialog, offers a refresh only where the DMS can, labels its icon buttons for screen
 * readers, keeps its scroll position when the store changes, and renders in light and dark.
 */

#define AUTOFLEX "demo-autoflex"
#define TWODRIVE "demo-2drive"

typedef struct
{
  char            *dir;
  CwStore         *store;
  GtkWindow       *window;
  CwWorkorderPage *page;
  GPtrArray       *toasts;
} Fixture;

static void
on_toast_cb (CwWorkorderPage *page,
             const char      *message,
             Fixture         *fixture)
{
  g_ptr_array_add (fixture->toasts, g_strdup (message));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cw-page-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "workshop.db", NULL);
  fixture->store = cw_store_open (path, &error);
  g_assert_no_error (error);
  fixture->toasts = g_ptr_array_new_with_free_func (g_free);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 860, 1400);
  fixture->page = CW_WORKORDER_PAGE (cw_workorder_page_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  g_signal_connect (fixture->page, "toast", G_CALLBACK (on_toast_cb), fixture);
  cw_workorder_page_set_store (fixture->page, fixture->store);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

static void
close_dialogs (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      gtk_window_destroy (l->data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer page = fixture->page;

  close_dialogs ();
  g_object_add_weak_pointer (G_OBJECT (page), &page);
  gtk_window_destroy (fixture->window);
  cw_test_ui_iterate (50);
  g_assert_null (page);

  /* A queued ::changed and a finished write's worker hold the store a moment longer. */
  for (guint tries = 0; G_OBJECT (fixture->store)->ref_count > 1 && tries < 2000; tries++)
    cw_test_ui_iterate (1);
  g_assert_finalize_object (fixture->store);
  g_ptr_array_unref (fixture->toasts);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/*
 * Helpers: workorders, waiting, and finding widgets
 */

/* A workorder with everything Autoflex can give, and a driver but no contractor. */
static gint64
import_full_workorder (Fixture *fixture)
{
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(CwParty) driver = cw_party_new (CW_PARTY_ROLE_DRIVER);
  g_autoptr(GDate) apk = g_date_new_dmy (14, G_DATE_MARCH, 2027);
  g_autoptr(GDate) registered = g_date_new_dmy (2, G_DATE_JUNE, 2019);
  g_autoptr(GError) error = NULL;
  CwParty *owner;
  CwCar *car;
  GDate today;

  cw_test_date_today (&today);
  at = cw_test_date_time_on (&today, 8, 30);
  created = g_date_time_add_days (at, -12);
  workorder = cw_test_workorder_new ("12345", at);
  cw_workorder_set_time (workorder, CW_WORKORDER_DMS_CREATED, created);
  cw_workorder_set_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING, TRUE);
  cw_workorder_set_field (workorder, CW_WORKORDER_DMS_NOTES,
                          "Klant wacht in de showroom; koffie aanbieden. Reservewiel ligt in de kofferbak & moet eruit.");
  cw_workorder_set_dms_mileage (workorder, 48210);

  car = cw_workorder_get_car (workorder);
  cw_car_set_field (car, CW_CAR_ENGINE_NUMBER, "CZCA 123456");
  cw_car_set_field (car, CW_CAR_NOTES, "Krasje op de achterklep");
  cw_car_set_date (car, CW_CAR_APK_DATE, apk);
  cw_car_set_date (car, CW_CAR_FIRST_REGISTRATION, registered);

  owner = cw_workorder_get_party (workorder, CW_PARTY_ROLE_OWNER);
  cw_party_set_field (owner, CW_PARTY_STREET, "Oudegracht");
  cw_party_set_field (owner, CW_PARTY_HOUSE_NUMBER, "231");
  cw_party_set_field (owner, CW_PARTY_POSTCODE, "3511 NK");
  cw_party_set_field (owner, CW_PARTY_PLACE, "Utrecht");
  cw_party_set_field (owner, CW_PARTY_BUSINESS_PHONE, "+31 30 123 45 67");
  cw_party_set_field (driver, CW_PARTY_FIRST_NAME, "Zoë");
  cw_party_set_field (driver, CW_PARTY_LAST_NAME, "Çelik-van den Berghe");
  cw_party_set_field (driver, CW_PARTY_BUSINESS_EMAIL, "zoe.celik@example.nl");
  cw_workorder_set_party (workorder, driver);

  g_assert_true (cw_store_import_workorder (fixture->store, workorder, CW_IMPORT_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  return cw_workorder_get_id (workorder);
}

static CwWorkorder *
load (Fixture *fixture,
      gint64   id)
{
  g_autoptr(GError) error = NULL;
  CwWorkorder *workorder = cw_store_load_workorder (fixture->store, id, &error);

  g_assert_no_error (error);

  return workorder;
}

static CwStatus
stored_status (Fixture *fixture,
               gint64   id)
{
  g_autoptr(CwWorkorder) workorder = load (fixture, id);

  return cw_workorder_get_status (workorder);
}

/* Until the page's writes are answered and it shows what the store holds. */
static void
wait_until_settled (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gint64 id = cw_workorder_page_get_workorder_id (fixture->page);

  for (;;)
    {
      g_autoptr(CwWorkorder) stored = load (fixture, id);
      CwWorkorder *shown = _cw_workorder_page_get_workorder (fixture->page);

      if (!_cw_workorder_page_is_busy (fixture->page) && shown != NULL &&
          cw_workorder_get_revision (shown) == cw_workorder_get_revision (stored))
        break;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  cw_test_ui_iterate (50);
}

static void
show (Fixture *fixture,
      gint64   id)
{
  cw_workorder_page_set_workorder_id (fixture->page, id);
  cw_test_ui_wait_until_shown (fixture->window);
}

static gboolean
enabled (Fixture    *fixture,
         const char *action)
{
  return _cw_workorder_page_get_action_enabled (fixture->page, action);
}

static void
activate (Fixture    *fixture,
          const char *action)
{
  g_assert_true (enabled (fixture, action));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), action, NULL));
  wait_until_settled (fixture);
}

/* The first widget of @type under @root (depth first), mapped ones only if @mapped. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type,
             gboolean   mapped)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (mapped && !gtk_widget_get_mapped (child))
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_widget (child, type, mapped)) != NULL)
        return found;
    }

  return NULL;
}

static void
collect_widgets (GtkWidget *root,
                 GType      type,
                 GPtrArray *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect_widgets (child, type, found);
    }
}

/* The value shown for the field called @title, or NULL when the page shows no such field. */
static const char *
field_value (Fixture    *fixture,
             const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fixture->page), GTK_TYPE_LIST_BOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      const char *row_title = NULL;
      const char *value = NULL;

      if (!gtk_widget_get_mapped (row))
        continue;

      collect_widgets (row, GTK_TYPE_LABEL, labels);
      for (guint j = 0; j < labels->len; j++)
        {
          GtkWidget *label = g_ptr_array_index (labels, j);

          if (gtk_widget_has_css_class (label, "cw-field-value"))
            value = gtk_label_get_label (GTK_LABEL (label));
          else if (gtk_widget_has_css_class (label, "caption") && row_title == NULL)
            row_title = gtk_label_get_label (GTK_LABEL (label));
        }
      if (ADW_IS_PREFERENCES_ROW (row))
        row_title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

      if (value != NULL && g_strcmp0 (row_title, title) == 0)
        return value;
    }

  return NULL;
}

/* The mapped row titled @title, in any section. */
static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fixture->page), ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (gtk_widget_get_mapped (row) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return row;
    }

  return NULL;
}

static gboolean
value_label_selectable (Fixture    *fixture,
                        const char *title)
{
  GtkWidget *row = find_row (fixture, title);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  g_assert_nonnull (row);
  collect_widgets (row, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "cw-field-value"))
      return gtk_label_get_selectable (g_ptr_array_index (labels, i));

  g_assert_not_reached ();
}

/* The text of the label with @css_class under @root, or NULL. */
static const char *
label_with_class (GtkWidget  *root,
                  const char *css_class)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), css_class) &&
        gtk_widget_get_mapped (g_ptr_array_index (labels, i)))
      return gtk_label_get_label (g_ptr_array_index (labels, i));

  return NULL;
}

static gboolean
shows_text (Fixture    *fixture,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fixture->page), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_get_mapped (label) && strstr (gtk_label_get_label (GTK_LABEL (label)), text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name,
                 GVariant   *target)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GVariant) owned = target != NULL ? g_variant_ref_sink (target) : NULL;

  collect_widgets (root, GTK_TYPE_WIDGET, all);
  for (guint i = 0; i < all->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (all, i);
      GVariant *widget_target;

      if (!GTK_IS_ACTIONABLE (widget) ||
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) != 0)
        continue;

      widget_target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
      if (owned == NULL || (widget_target != NULL && g_variant_equal (owned, widget_target)))
        return widget;
    }

  return NULL;
}

/* The open dialog of @type, waiting for it a moment. */
static gpointer
find_dialog (GType type)
{
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

      for (GList *l = toplevels; l != NULL; l = l->next)
        if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
          return l->data;

      if (g_get_monotonic_time () > deadline)
        return NULL;
      cw_test_ui_iterate (10);
    }
}

/* Clicks the dialog's response button labelled @label, as the advisor would: an
 * insensitive one does nothing. */
static void
click_response (gpointer    dialog,
                const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);

      if (g_strcmp0 (gtk_button_get_label (button), label) == 0)
        {
          /* A click reaches only a sensitive button. */
          if (gtk_widget_is_sensitive (GTK_WIDGET (button)))
            g_signal_emit_by_name (button, "clicked");
          cw_test_ui_iterate (20);
          return;
        }
    }

  g_error ("The dialog has no button “%s”", label);
}

/* No dialog of @type is open (once the main loop has caught up). */
static gboolean
no_dialog (GType type)
{
  g_autoptr(GList) toplevels = NULL;

  cw_test_ui_iterate (50);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return FALSE;

  return TRUE;
}

static AdwEntryRow *
find_entry_row (GtkWidget  *root,
                const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_widgets (root, ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_has_prefix (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title))
      return g_ptr_array_index (rows, i);

  return NULL;
}

/*
 * What the page shows
 */

/* The status page the page's stack shows (during a crossfade, both are mapped). */
static AdwStatusPage *
shown_status_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_STACK, FALSE));
  GtkWidget *child = gtk_stack_get_visible_child (stack);

  g_assert_true (ADW_IS_STATUS_PAGE (child));

  return ADW_STATUS_PAGE (child);
}

static void
test_page_empty (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwStatusPage *status;

  cw_test_ui_wait_until_shown (fixture->window);
  status = shown_status_page (fixture);
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "No Workorder Selected");
  g_assert_nonnull (strstr (adw_status_page_get_description (status), "WO number or licence plate"));
  g_assert_null (cw_workorder_page_get_title (fixture->page));
  g_assert_false (enabled (fixture, "workorder.advance"));
  g_assert_false (enabled (fixture, "workorder.add-intervention"));
  g_assert_nonnull (cw_workorder_page_get_ocw_slot (fixture->page));
  g_assert_true (GTK_IS_BOX (cw_workorder_page_get_ocw_slot (fixture->page)));
  /* The slot holds the OCW button, hidden without an OCW service. */
  g_assert_true (CW_IS_OCW_BUTTON (gtk_widget_get_first_child (cw_workorder_page_get_ocw_slot (fixture->page))));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_first_child (cw_workorder_page_get_ocw_slot (fixture->page))));

  /* A workorder that is not in the store says so, and what to do. */
  show (fixture, 4242);
  status = shown_status_page (fixture);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "This Workorder Cannot Be Shown");
  g_assert_nonnull (strstr (adw_status_page_get_description (status), "Search for it"));
}

static void
on_title_notify_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *count)
{
  (*count)++;
}

static void
test_page_shows_dms_fields (Fixture       *fixture,
                            gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  guint title_notifications = 0;
  GtkWidget *row;

  g_signal_connect (fixture->page, "notify::title", G_CALLBACK (on_title_notify_cb), &title_notifications);
  show (fixture, id);

  g_assert_cmpint (cw_workorder_page_get_workorder_id (fixture->page), ==, id);
  g_assert_cmpstr (cw_workorder_page_get_title (fixture->page), ==, "WO 12345 · AB-123-C");
  g_assert_cmpuint (title_notifications, ==, 1);

  /* The header. */
  g_assert_true (shows_text (fixture, "WO 12345"));
  g_assert_true (shows_text (fixture, "Volkswagen Golf"));
  g_assert_true (shows_text (fixture, "Jan de Vries"));

  /* Appointment, car and parties: what the DMS gave, as it gave it. */
  g_assert_cmpstr (field_value (fixture, "WO number"), ==, "12345");
  g_assert_cmpstr (field_value (fixture, "DMS number"), ==, "D12345");
  g_assert_cmpstr (field_value (fixture, "DMS mileage"), ==, "48,210 km");
  g_assert_nonnull (strstr (field_value (fixture, "Appointment"), "08:30"));
  g_assert_nonnull (field_value (fixture, "Created in the DMS"));
  g_assert_cmpstr (field_value (fixture, "DMS notes"), ==,
                   "Klant wacht in de showroom; koffie aanbieden. Reservewiel ligt in de kofferbak & moet eruit.");
  g_assert_nonnull (find_row (fixture, "The customer is waiting"));
  g_assert_null (find_row (fixture, "Invoiced in the DMS"));
  g_assert_null (find_row (fixture, "Internal workorder"));

  g_assert_cmpstr (field_value (fixture, "Make"), ==, "Volkswagen");
  g_assert_cmpstr (field_value (fixture, "Model"), ==, "Golf");
  g_assert_cmpstr (field_value (fixture, "Licence plate"), ==, "AB-123-C");
  g_assert_cmpstr (field_value (fixture, "VIN"), ==, "WVWZZZ1KZAW000001");
  g_assert_cmpstr (field_value (fixture, "Engine number"), ==, "CZCA 123456");
  g_assert_cmpstr (field_value (fixture, "APK date"), ==, "14 March 2027");
  g_assert_cmpstr (field_value (fixture, "First registration"), ==, "2 June 2019");
  g_assert_cmpstr (field_value (fixture, "Car notes"), ==, "Krasje op de achterklep");

  g_assert_cmpstr (field_value (fixture, "Name"), !=, NULL);
  g_assert_cmpstr (field_value (fixture, "Address"), ==, "Oudegracht 231\n3511 NK  Utrecht");
  g_assert_cmpstr (field_value (fixture, "Business phone"), ==, "+31 30 123 45 67");
  g_assert_cmpstr (field_value (fixture, "Business e-mail"), ==, "zoe.celik@example.nl");
  g_assert_true (shows_text (fixture, "Zoë Çelik-van den Berghe"));

  /* Nothing invented: no contractor, no location, no private phone. */
  g_assert_false (shows_text (fixture, "Contractor"));
  g_assert_null (field_value (fixture, "Location"));
  g_assert_null (field_value (fixture, "Private phone"));
  g_assert_false (shows_text (fixture, "—"));

  /* Numbers can be copied; names need not be. */
  g_assert_true (value_label_selectable (fixture, "VIN"));
  g_assert_true (value_label_selectable (fixture, "DMS number"));
  g_assert_true (value_label_selectable (fixture, "Business phone"));
  g_assert_false (value_label_selectable (fixture, "Make"));

  /* The DMS's lines, in its order, with their prices; the timeline says it was imported. */
  row = find_row (fixture, "Kleine beurt");
  g_assert_nonnull (row);
  g_assert_nonnull (find_row (fixture, "APK-keuring"));
  g_assert_true (shows_text (fixture, "€189.50"));
  g_assert_true (shows_text (fixture, "€49.95"));
  g_assert_nonnull (find_row (fixture, "Imported from the DMS"));
}

static void
test_page_interventions_order (Fixture       *fixture,
                               gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  g_autoptr(CwIntervention) wash = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  GtkWidget *list;

  cw_intervention_set_title (wash, "Wasbeurt");
  g_assert_cmpint (cw_store_add_intervention (fixture->store, id, wash, "Sanne", NULL), >, 0);
  show (fixture, id);

  list = gtk_widget_get_parent (find_row (fixture, "Kleine beurt"));
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_PREFERENCES_ROW (row))
      g_ptr_array_add (titles, (gpointer) adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpuint (titles->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, "Kleine beurt");
  g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, "APK-keuring");
  g_assert_cmpstr (g_ptr_array_index (titles, 2), ==, "Wasbeurt");

  /* Each line says where it came from; only the advisor's own has edit and remove. */
  g_assert_cmpstr (label_with_class (find_row (fixture, "Kleine beurt"), "cw-source-tag"), ==, "DMS");
  g_assert_cmpstr (label_with_class (find_row (fixture, "Wasbeurt"), "cw-source-tag"), ==, "Added here");
  g_assert_cmpstr (label_with_class (find_row (fixture, "Kleine beurt"), "cw-price"), ==, "€189.50");
  g_assert_null (label_with_class (find_row (fixture, "Wasbeurt"), "cw-price"));
  g_assert_null (find_actionable (find_row (fixture, "Kleine beurt"), "workorder.edit-intervention", NULL));
  g_assert_null (find_actionable (find_row (fixture, "Kleine beurt"), "workorder.remove-intervention", NULL));
  g_assert_nonnull (find_actionable (find_row (fixture, "Wasbeurt"), "workorder.edit-intervention", NULL));
  g_assert_nonnull (find_actionable (find_row (fixture, "Wasbeurt"), "workorder.remove-intervention", NULL));
}

/*
 * The status bar
 */

static AdwSplitButton *
advance_button (Fixture *fixture)
{
  return ADW_SPLIT_BUTTON (find_widget (GTK_WIDGET (fixture->page), ADW_TYPE_SPLIT_BUTTON, FALSE));
}

/* Every step the skip menu offers is later than @status. */
static void
assert_only_forward (Fixture  *fixture,
                     CwStatus  status)
{
  GMenuModel *menu = adw_split_button_get_menu_model (advance_button (fixture));

  for (int i = 0; menu != NULL && i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (section, j, G_MENU_ATTRIBUTE_TARGET,
                                                                              G_VARIANT_TYPE_INT32);

          g_assert_nonnull (target);
          g_assert_cmpint (g_variant_get_int32 (target), >, (int) status + 1);
        }
    }
}

static void
test_status_steps_forward (Fixture       *fixture,
                           gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);

  show (fixture, id);
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_NEW_ENTRY);

  /* Focus starts on the next step, not on a number (which focus would select). */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (fixture->page)));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (fixture->window),
                                         GTK_WIDGET (advance_button (fixture))));

  for (CwStatus expected = CW_STATUS_CAR_IN_SHOP; expected <= CW_STATUS_LAST_STEP; expected++)
    {
      g_autofree char *next_label = g_strdup_printf ("Next: %s", cw_status_get_label (expected));

      assert_only_forward (fixture, expected - 1);
      g_assert_true (shows_text (fixture, next_label));
      activate (fixture, "workorder.advance");
      g_assert_cmpint (stored_status (fixture, id), ==, expected);
      g_assert_true (shows_text (fixture, cw_status_get_label (expected)));
    }

  /* Car ready: nothing further, and no way back. */
  g_assert_false (enabled (fixture, "workorder.advance"));
  g_assert_false (enabled (fixture, "workorder.advance-to"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (advance_button (fixture))));
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.advance", NULL);
  cw_test_ui_iterate (100);
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_CAR_READY);
  g_assert_true (shows_text (fixture, "Every step is done."));
  /* The car can still leave the shop. */
  g_assert_true (enabled (fixture, "workorder.toggle-in-shop"));
}

static void
test_status_skip_ahead_and_backorder (Fixture       *fixture,
                                      gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);

  show (fixture, id);
  g_assert_false (enabled (fixture, "workorder.backorder"));

  /* A desk can record a later step when the mechanic says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.advance-to", "i",
                                             CW_STATUS_CALCULATING));
  wait_until_settled (fixture);
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_CALCULATING);
  assert_only_forward (fixture, CW_STATUS_CALCULATING);

  /* A step back through the action is refused by the store, and the page says why. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.advance-to", "i",
                                             CW_STATUS_CHECK_READY));
  wait_until_settled (fixture);
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_CALCULATING);
  g_assert_cmpuint (fixture->toasts->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->toasts, 0), "only move forward"));

  activate (fixture, "workorder.backorder");
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_BACKORDER);
  g_assert_false (enabled (fixture, "workorder.backorder"));
  g_assert_true (shows_text (fixture, "Resume: Calculating"));

  activate (fixture, "workorder.advance");
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_CALCULATING);
}

static void
test_toggle_in_later_status (Fixture       *fixture,
                             gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  g_autoptr(CwWorkorder) stored = NULL;
  CwProcess process;

  show (fixture, id);
  activate (fixture, "workorder.toggle-in-shop");
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_CAR_IN_SHOP);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.advance-to", "i",
                                             CW_STATUS_CONTACT_CUSTOMER));
  wait_until_settled (fixture);
  g_assert_true (shows_text (fixture, "In the shop"));

  /* Out, then in again, at Contact customer: the status stays. */
  activate (fixture, "workorder.toggle-in-shop");
  stored = load (fixture, id);
  cw_workorder_get_process (stored, &process);
  g_assert_cmpint (process.status, ==, CW_STATUS_CONTACT_CUSTOMER);
  g_assert_cmpint (process.shop, ==, CW_SHOP_LEFT);
  g_assert_true (shows_text (fixture, "Left the shop"));
  g_assert_nonnull (find_row (fixture, "Car left the shop"));

  activate (fixture, "workorder.toggle-in-shop");
  g_clear_object (&stored);
  stored = load (fixture, id);
  cw_workorder_get_process (stored, &process);
  g_assert_cmpint (process.status, ==, CW_STATUS_CONTACT_CUSTOMER);
  g_assert_cmpint (process.shop, ==, CW_SHOP_IN);
}

/*
 * Cancel
 */

static CwCancelDialog *
open_cancel_dialog (Fixture *fixture)
{
  CwCancelDialog *dialog;

  g_assert_true (enabled (fixture, "workorder.cancel"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.cancel", NULL));
  dialog = find_dialog (CW_TYPE_CANCEL_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->window);
  cw_test_ui_wait_until_shown (GTK_WINDOW (dialog));

  return dialog;
}

static GtkCheckButton *
reason_check (CwCancelDialog *dialog,
              guint           index)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON, checks);
  g_assert_cmpuint (checks->len, ==, 4);

  return g_ptr_array_index (checks, index);
}

static gboolean
can_confirm (CwCancelDialog *dialog)
{
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "confirm");
}

static void
test_cancel_needs_a_reason (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *png = NULL;
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  gint64 id = import_full_workorder (fixture);
  g_autoptr(CwWorkorder) stored = NULL;
  CwCancelDialog *dialog;
  AdwEntryRow *other;

  show (fixture, id);
  dialog = open_cancel_dialog (fixture);

  /* Nothing chosen: no confirming, by the button or by asking for it directly. */
  g_assert_false (can_confirm (dialog));
  click_response (dialog, "C_ancel Workorder");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  cw_test_ui_iterate (100);
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_NEW_ENTRY);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

  /* "Other" needs text, and blank text is none. */
  gtk_check_button_set_active (reason_check (dialog, 3), TRUE);
  g_assert_false (can_confirm (dialog));
  other = find_entry_row (GTK_WIDGET (dialog), "Other reason");
  g_assert_nonnull (other);
  gtk_editable_set_text (GTK_EDITABLE (other), "   ");
  g_assert_false (can_confirm (dialog));
  gtk_editable_set_text (GTK_EDITABLE (other), "Auto total loss na ongeval");
  g_assert_true (can_confirm (dialog));

  /* A listed reason needs nothing more. */
  gtk_check_button_set_active (reason_check (dialog, 0), TRUE);
  g_assert_true (can_confirm (dialog));
  gtk_check_button_set_active (reason_check (dialog, 3), TRUE);
  g_assert_true (can_confirm (dialog));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  png = g_build_filename (dir, "cancel-dialog.png", NULL);
  cw_test_ui_iterate (200);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (dialog), png, NULL));

  click_response (dialog, "C_ancel Workorder");
  wait_until_settled (fixture);
  g_assert_true (no_dialog (CW_TYPE_CANCEL_DIALOG));

  stored = load (fixture, id);
  g_assert_cmpint (cw_workorder_get_status (stored), ==, CW_STATUS_CANCELED);
  g_assert_cmpstr (cw_workorder_get_field (stored, CW_WORKORDER_CANCEL_TEXT), ==, "Auto total loss na ongeval");

  /* Read-only, and it says why. */
  g_assert_false (enabled (fixture, "workorder.advance"));
  g_assert_false (enabled (fixture, "workorder.advance-to"));
  g_assert_false (enabled (fixture, "workorder.toggle-in-shop"));
  g_assert_false (enabled (fixture, "workorder.backorder"));
  g_assert_false (enabled (fixture, "workorder.cancel"));
  g_assert_false (enabled (fixture, "workorder.add-intervention"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (advance_button (fixture))));
  g_assert_true (shows_text (fixture, "Canceled"));
  g_assert_true (shows_text (fixture, "Auto total loss na ongeval"));
  g_assert_nonnull (find_row (fixture, "Canceled: Auto total loss na ongeval"));
}

static void
test_cancel_in_car_in_shop (Fixture       *fixture,
                            gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  g_autoptr(CwWorkorder) stored = NULL;
  CwCancelDialog *dialog;

  show (fixture, id);
  activate (fixture, "workorder.toggle-in-shop");
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_CAR_IN_SHOP);

  /* Escape keeps the workorder. */
  dialog = open_cancel_dialog (fixture);
  gtk_check_button_set_active (reason_check (dialog, 2), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  cw_test_ui_iterate (100);
  g_assert_true (no_dialog (CW_TYPE_CANCEL_DIALOG));
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_CAR_IN_SHOP);

  /* Enter does not confirm without a reason (GTK gives it to the focused reason instead,
   * which chooses it, visibly); with one, it confirms. A button activated from the
   * keyboard clicks after a short press animation. */
  dialog = open_cancel_dialog (fixture);
  g_assert_false (can_confirm (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (reason_check (dialog, 2)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "default.activate", NULL));
  cw_test_ui_iterate (400);
  g_assert_cmpint (stored_status (fixture, id), ==, CW_STATUS_CAR_IN_SHOP);
  g_assert_true (gtk_check_button_get_active (reason_check (dialog, 2)));
  g_assert_true (can_confirm (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "default.activate", NULL));
  cw_test_ui_iterate (400);
  wait_until_settled (fixture);
  g_assert_true (no_dialog (CW_TYPE_CANCEL_DIALOG));

  stored = load (fixture, id);
  g_assert_cmpint (cw_workorder_get_status (stored), ==, CW_STATUS_CANCELED);
  g_assert_true (shows_text (fixture, "Dealer cancelation"));
  g_assert_false (enabled (fixture, "workorder.toggle-in-shop"));
}

static void
test_cancel_not_after_check_started (Fixture       *fixture,
                                     gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  GtkWidget *cancel_button;

  show (fixture, id);
  cancel_button = find_actionable (GTK_WIDGET (fixture->page), "workorder.cancel", NULL);
  g_assert_nonnull (cancel_button);
  g_assert_true (gtk_widget_get_mapped (cancel_button));
  /* Backorder cannot come yet: it is not offered. */
  g_assert_false (gtk_widget_get_mapped (find_actionable (GTK_WIDGET (fixture->page), "workorder.backorder", NULL)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.advance-to", "i",
                                             CW_STATUS_CHECK_STARTED));
  wait_until_settled (fixture);
  g_assert_false (enabled (fixture, "workorder.cancel"));
  g_assert_false (gtk_widget_get_mapped (cancel_button));
  g_assert_true (enabled (fixture, "workorder.backorder"));
  g_assert_true (gtk_widget_get_mapped (find_actionable (GTK_WIDGET (fixture->page), "workorder.backorder", NULL)));
}

static void
test_invoiced_is_read_only (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GDateTime) at = g_date_time_new_now_local ();
  g_autoptr(CwWorkorder) workorder = cw_test_workorder_new ("777", at);

  cw_workorder_set_flag (workorder, CW_WORKORDER_BILLED, TRUE);
  g_assert_true (cw_store_import_workorder (fixture->store, workorder, CW_IMPORT_FLAGS_NONE, NULL, NULL));
  show (fixture, cw_workorder_get_id (workorder));

  g_assert_false (enabled (fixture, "workorder.advance"));
  g_assert_false (enabled (fixture, "workorder.toggle-in-shop"));
  g_assert_false (enabled (fixture, "workorder.cancel"));
  g_assert_false (enabled (fixture, "workorder.add-intervention"));
  g_assert_true (shows_text (fixture, "Invoiced in the DMS: this workorder can no longer change."));
  g_assert_nonnull (find_row (fixture, "Invoiced in the DMS"));
}

/*
 * Interventions of the advisor's own
 */

static CwIntervention *
line_titled (CwWorkorder *workorder,
             const char  *title)
{
  GListModel *lines = cw_workorder_get_interventions (workorder);

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      if (g_strcmp0 (cw_intervention_get_title (line), title) == 0)
        return line;
    }

  return NULL;
}

static gboolean
can_save (CwInterventionDialog *dialog)
{
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save");
}

static void
test_local_interventions (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *png = g_build_filename (dir, "intervention-dialog.png", NULL);
  gint64 id = import_full_workorder (fixture);
  g_autoptr(CwWorkorder) stored = NULL;
  CwInterventionDialog *dialog;
  CwIntervention *line, *dms_line;
  gint64 line_id, cents = 0;

  show (fixture, id);

  /* Add: a title is required, and a price must be an amount. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.add-intervention", NULL));
  dialog = find_dialog (CW_TYPE_INTERVENTION_DIALOG);
  g_assert_nonnull (dialog);
  cw_test_ui_wait_until_shown (GTK_WINDOW (dialog));
  g_assert_false (can_save (dialog));
  click_response (dialog, "_Add");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Price")), "12,50");
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Title")), "Ruitenwisserbladen");
  g_assert_false (can_save (dialog));
  /* The dialog says what is wrong with the price, under it. */
  g_assert_nonnull (label_with_class (GTK_WIDGET (dialog), "error"));
  g_assert_nonnull (strstr (label_with_class (GTK_WIDGET (dialog), "error"), "12,50"));
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Price")), "34.50");
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Description")), "Voor en achter");
  g_assert_true (can_save (dialog));
  g_assert_null (label_with_class (GTK_WIDGET (dialog), "error"));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  cw_test_ui_iterate (200);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (dialog), png, NULL));
  click_response (dialog, "_Add");
  wait_until_settled (fixture);
  g_assert_true (no_dialog (CW_TYPE_INTERVENTION_DIALOG));

  stored = load (fixture, id);
  line = line_titled (stored, "Ruitenwisserbladen");
  g_assert_nonnull (line);
  g_assert_cmpint (cw_intervention_get_source (line), ==, CW_INTERVENTION_SOURCE_LOCAL);
  g_assert_cmpstr (cw_intervention_get_description (line), ==, "Voor en achter");
  g_assert_true (cw_intervention_get_price (line, &cents));
  g_assert_cmpint (cents, ==, 3450);
  line_id = cw_intervention_get_id (line);
  g_assert_nonnull (find_row (fixture, "Ruitenwisserbladen"));
  g_assert_true (shows_text (fixture, "€34.50"));
  g_assert_nonnull (find_row (fixture, "Intervention added: Ruitenwisserbladen"));

  /* Edit: the dialog starts from the line; the price can be taken away. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.edit-intervention", "x", line_id));
  dialog = find_dialog (CW_TYPE_INTERVENTION_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpint (cw_intervention_dialog_get_intervention_id (dialog), ==, line_id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Title"))), ==,
                   "Ruitenwisserbladen");
  g_assert_true (can_save (dialog));
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Title")), "Ruitenwisserbladen voor");
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Price")), "");
  g_assert_true (can_save (dialog));
  click_response (dialog, "_Save");
  wait_until_settled (fixture);

  g_clear_object (&stored);
  stored = load (fixture, id);
  line = line_titled (stored, "Ruitenwisserbladen voor");
  g_assert_nonnull (line);
  g_assert_false (cw_intervention_get_price (line, NULL));
  g_assert_nonnull (find_row (fixture, "Ruitenwisserbladen voor"));
  g_assert_false (shows_text (fixture, "€34.50"));

  /* A DMS line: no dialog, nothing changes. */
  dms_line = line_titled (stored, "Kleine beurt");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.edit-intervention", "x",
                              cw_intervention_get_id (dms_line));
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.remove-intervention", "x",
                              cw_intervention_get_id (dms_line));
  cw_test_ui_iterate (100);
  g_assert_true (no_dialog (ADW_TYPE_MESSAGE_DIALOG));

  /* Remove, after saying which line goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.remove-intervention", "x", line_id));
  {
    AdwMessageDialog *confirm = find_dialog (ADW_TYPE_MESSAGE_DIALOG);

    g_assert_nonnull (confirm);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "Ruitenwisserbladen voor"));
    click_response (confirm, "_Remove");
  }
  wait_until_settled (fixture);

  g_clear_object (&stored);
  stored = load (fixture, id);
  g_assert_null (line_titled (stored, "Ruitenwisserbladen voor"));
  g_assert_nonnull (line_titled (stored, "Kleine beurt"));
  g_assert_null (find_row (fixture, "Ruitenwisserbladen voor"));
  g_assert_nonnull (find_row (fixture, "Intervention removed: Ruitenwisserbladen voor"));
}

/*
 * The page follows the store
 */

static void
test_follows_store_keeps_scroll (Fixture       *fixture,
                                 gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  g_autoptr(CwIntervention) late = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  CwProcessChange change = { CW_PROCESS_TOGGLE_SHOP };
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  double before;

  /* A short window, so the page scrolls. */
  gtk_window_set_default_size (fixture->window, 700, 500);
  show (fixture, id);
  scrolled = GTK_SCROLLED_WINDOW (find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_SCROLLED_WINDOW, TRUE));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment) + 400);
  gtk_adjustment_set_value (adjustment, 400);
  cw_test_ui_iterate (50);
  before = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (before, ==, 400);

  /* Another desk changes the workorder. */
  cw_intervention_set_title (late, "Koffie voor de klant");
  g_assert_cmpint (cw_store_add_intervention (fixture->store, id, late, "Daan", NULL), >, 0);
  g_assert_true (cw_store_change_process (fixture->store, id, &change, "Daan", NULL));
  wait_until_settled (fixture);
  cw_test_ui_iterate (100);

  g_assert_nonnull (find_row (fixture, "Koffie voor de klant"));
  g_assert_true (shows_text (fixture, "In the shop"));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, before);
}

/*
 * Accessibility
 */

static gboolean
in_toast (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (g_str_equal (gtk_widget_get_css_name (widget), "toast"))
      return TRUE;

  return FALSE;
}

static void
assert_icon_buttons_labelled (GtkWidget *root)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint n_icon_only = 0;

  collect_widgets (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));
      GtkWidget *parent = gtk_widget_get_parent (button);
      gboolean labelled;

      /* A button with a label (AdwButtonContent or GtkLabel) is read by its text. */
      if (child == NULL || !GTK_IS_IMAGE (child))
        continue;

      /* libadwaita 1.2's own toast has an unlabelled close button; it is not the page's. */
      if (in_toast (button))
        continue;

      n_icon_only++;
      labelled = gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
                 (GTK_IS_MENU_BUTTON (parent) &&
                  gtk_test_accessible_has_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_LABEL));
      if (!labelled)
        g_error ("An icon-only %s (icon %s) has no accessible label",
                 G_OBJECT_TYPE_NAME (button), gtk_image_get_icon_name (GTK_IMAGE (child)));
      g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_IS_MENU_BUTTON (parent) ? parent : button));
    }

  g_assert_cmpuint (n_icon_only, >, 0);
}

/*
 * Refresh, against the simulator
 */

typedef struct
{
  CwSimServer     *sim;
  GListStore      *connections;
  CwImportService *service;
} Dms;

static void
dms_set_up (Dms     *dms,
            Fixture *fixture)
{
  g_autoptr(CwConnection) autoflex = cw_connection_new (AUTOFLEX, "autoflex");
  g_autoptr(CwConnection) twodrive = cw_connection_new (TWODRIVE, "2drive");
  g_autofree char *url = NULL;

  dms->sim = cw_sim_server_new (2026, NULL);
  g_assert_true (cw_sim_server_listen (dms->sim, 0, NULL));

  url = cw_sim_server_dup_url (dms->sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  g_object_set (autoflex, "endpoint", url, "name", "Autoflex (demo)", NULL);
  g_free (url);
  url = cw_sim_server_dup_url (dms->sim, CW_SIM_2DRIVE_API);
  g_object_set (twodrive, "endpoint", url, "name", "2Drive (demo)", "audience", CW_SIM_2DRIVE_AUDIENCE,
                "affiliate-id", CW_SIM_2DRIVE_AFFILIATE, NULL);
  g_free (url);
  url = cw_sim_server_dup_url (dms->sim, CW_SIM_2DRIVE_TOKEN);
  g_object_set (twodrive, "token-url", url, NULL);

  cw_test_store_credentials (autoflex, "api_key", CW_SIM_AUTOFLEX_API_KEY,
                             "username", CW_SIM_AUTOFLEX_USERNAME,
                             "password", CW_SIM_AUTOFLEX_PASSWORD, NULL);
  cw_test_store_credentials (twodrive, "client_id", CW_SIM_2DRIVE_CLIENT_ID,
                             "client_secret", CW_SIM_2DRIVE_SECRET, NULL);

  dms->connections = g_list_store_new (CW_TYPE_CONNECTION);
  g_list_store_append (dms->connections, autoflex);
  g_list_store_append (dms->connections, twodrive);
  dms->service = cw_import_service_new (fixture->store, G_LIST_MODEL (dms->connections));
  cw_workorder_page_set_import_service (fixture->page, dms->service);
}

static void
dms_tear_down (Dms     *dms,
               Fixture *fixture)
{
  cw_workorder_page_set_import_service (fixture->page, NULL);
  cw_test_ui_iterate (50);
  g_clear_object (&dms->service);
  g_clear_object (&dms->connections);
  g_clear_object (&dms->sim);
}

typedef struct
{
  gboolean done;
  gint64   id;
} Imported;

static void
search_imported_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Imported *imported = user_data;
  g_autoptr(GError) error = NULL;

  imported->id = cw_import_service_search_import_finish (CW_IMPORT_SERVICE (source), result, NULL, &error);
  g_assert_no_error (error);
  imported->done = TRUE;
}

static gint64
import_2drive_order (Dms *dms)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (dms->sim);
  Imported imported = { 0 };

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset); i++)
    {
      CwSimOrder *order = cw_sim_dataset_get_order (dataset, i);

      if (order->dms != CW_SIM_DMS_2DRIVE || !cw_sim_order_has_labour (order))
        continue;

      cw_import_service_search_import_async (dms->service, TWODRIVE,
                                             cw_workorder_get_field (order->workorder, CW_WORKORDER_WO_NUMBER),
                                             NULL, search_imported_cb, &imported);
      while (!imported.done)
        g_main_context_iteration (NULL, TRUE);
      return imported.id;
    }

  g_assert_not_reached ();
}

/* The refresh button's spinner (the OCW button, before it in the header, has its own). */
static GtkWidget *
refresh_spinner (Fixture *fixture)
{
  g_autoptr(GPtrArray) spinners = g_ptr_array_new ();

  collect_widgets (GTK_WIDGET (fixture->page), GTK_TYPE_SPINNER, spinners);
  for (guint i = 0; i < spinners->len; i++)
    if (gtk_widget_get_ancestor (g_ptr_array_index (spinners, i), CW_TYPE_OCW_BUTTON) == NULL)
      return g_ptr_array_index (spinners, i);

  g_assert_not_reached ();
}

static void
test_refresh (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GDateTime) at = g_date_time_new_now_local ();
  g_autoptr(CwWorkorder) from_autoflex = cw_test_workorder_new ("880001", at);
  CwProcessChange start = { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_STARTED };
  GtkWidget *refresh_button;
  Dms dms = { 0 };
  gint64 id;

  dms_set_up (&dms, fixture);

  /* Autoflex cannot refresh one workorder: no button. */
  cw_workorder_set_field (from_autoflex, CW_WORKORDER_CONNECTION_ID, AUTOFLEX);
  g_assert_true (cw_store_import_workorder (fixture->store, from_autoflex, CW_IMPORT_FLAGS_NONE, NULL, NULL));
  show (fixture, cw_workorder_get_id (from_autoflex));
  refresh_button = find_actionable (GTK_WIDGET (fixture->page), "workorder.refresh", NULL);
  g_assert_nonnull (refresh_button);
  g_assert_false (gtk_widget_get_mapped (refresh_button));
  g_assert_false (enabled (fixture, "workorder.refresh"));
  g_assert_true (shows_text (fixture, "Synced with Autoflex (demo)"));

  /* 2Drive can. */
  id = import_2drive_order (&dms);
  show (fixture, id);
  g_assert_true (gtk_widget_get_mapped (refresh_button));
  g_assert_true (enabled (fixture, "workorder.refresh"));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (refresh_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Refresh from the DMS");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.refresh", NULL));
  /* While it runs: a spinner, and no second refresh. */
  g_assert_true (gtk_widget_get_visible (refresh_spinner (fixture)));
  g_assert_false (enabled (fixture, "workorder.refresh"));
  wait_until_settled (fixture);
  g_assert_true (enabled (fixture, "workorder.refresh"));
  g_assert_false (gtk_widget_get_visible (refresh_spinner (fixture)));
  g_assert_cmpuint (fixture->toasts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->toasts, 0), ==, "Refreshed: nothing changed in the DMS.");
  /* With no overlay above it, the page shows the toast itself. */
  g_assert_true (shows_text (fixture, "Refreshed: nothing changed in the DMS."));
  g_assert_nonnull (find_row (fixture, "Refreshed from the DMS"));

  /* Work started: the DMS data is kept, and the page says so. */
  g_assert_true (cw_store_change_process (fixture->store, id, &start, "Sanne", NULL));
  wait_until_settled (fixture);
  g_assert_true (shows_text (fixture, "changes in the DMS are no longer taken"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "workorder.refresh", NULL));
  wait_until_settled (fixture);
  g_assert_cmpuint (fixture->toasts->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->toasts, 1), ==, "Work has started: the DMS data was kept as it was.");
  g_assert_nonnull (find_row (fixture, "Not refreshed from the DMS: work has started"));

  /* Every icon-only button of the full page has a name for screen readers. */
  assert_icon_buttons_labelled (GTK_WIDGET (fixture->page));

  dms_tear_down (&dms, fixture);
}

static void
test_accessible_labels (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  g_autoptr(CwIntervention) wash = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  GtkWidget *edit, *remove;
  gint64 line_id;

  cw_intervention_set_title (wash, "Wasbeurt");
  line_id = cw_store_add_intervention (fixture->store, id, wash, NULL, NULL);
  show (fixture, id);

  edit = find_actionable (GTK_WIDGET (fixture->page), "workorder.edit-intervention", g_variant_new_int64 (line_id));
  remove = find_actionable (GTK_WIDGET (fixture->page), "workorder.remove-intervention", g_variant_new_int64 (line_id));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL, "Edit “Wasbeurt”");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove “Wasbeurt”");
  assert_icon_buttons_labelled (GTK_WIDGET (fixture->page));
}

/*
 * Renders
 */

static void
render_both (Fixture    *fixture,
             const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *light_name = g_strdup_printf ("%s-light.png", name);
  g_autofree char *dark_name = g_strdup_printf ("%s-dark.png", name);
  g_autofree char *light = g_build_filename (dir, light_name, NULL);
  g_autofree char *dark = g_build_filename (dir, dark_name, NULL);
  AdwStyleManager *style = adw_style_manager_get_default ();
  double light_luminance = 0, dark_luminance = 0;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  cw_test_ui_iterate (300);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (fixture->window), light, &light_luminance));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  cw_test_ui_iterate (300);
  g_assert_true (cw_test_ui_render_png (GTK_WIDGET (fixture->window), dark, &dark_luminance));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  g_test_message ("%s: light %.2f, dark %.2f mean luminance; written to %s", name, light_luminance,
                  dark_luminance, dir);
  g_assert_cmpfloat (light_luminance, >, 0.7);
  g_assert_cmpfloat (dark_luminance, <, 0.3);
}

static void
test_renders (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  g_autoptr(CwIntervention) wipers = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  CwProcessChange in = { CW_PROCESS_TOGGLE_SHOP };
  CwProcessChange check = { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_READY };
  CwProcessChange cancel = { CW_PROCESS_CANCEL, 0, CW_CANCEL_REASON_NO_SHOW };
  g_autoptr(GDateTime) at = g_date_time_new_now_local ();
  g_autoptr(CwWorkorder) other = cw_test_workorder_new ("12346", at);

  cw_intervention_set_title (wipers, "Ruitenwisserbladen voor en achter vervangen");
  cw_intervention_set_description (wipers, "Klant vraagt om Bosch Aerotwin; strepen op de voorruit bij regen");
  cw_intervention_set_price (wipers, 3450);
  g_assert_cmpint (cw_store_add_intervention (fixture->store, id, wipers, "Sanne de Vries", NULL), >, 0);
  g_assert_true (cw_store_change_process (fixture->store, id, &in, "Sanne de Vries", NULL));
  g_assert_true (cw_store_change_process (fixture->store, id, &check, "Sanne de Vries", NULL));

  gtk_window_set_default_size (fixture->window, 860, 1000);
  show (fixture, id);
  render_both (fixture, "workorder-page");

  /* The lower sections, scrolled to. */
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (find_widget (GTK_WIDGET (fixture->page),
                                                                    GTK_TYPE_SCROLLED_WINDOW, TRUE));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    render_both (fixture, "workorder-page-lower");
    gtk_adjustment_set_value (adjustment, 0);
  }

  /* Folded beside the list, on a narrow window: the page fits the window's narrowest. */
  {
    int minimum = 0;

    gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
    gtk_window_set_default_size (fixture->window, 360, 900);
    cw_test_ui_iterate (300);
    render_both (fixture, "workorder-page-narrow");
  }

  /* A new workorder, narrow: the most buttons, in the least room. */
  g_assert_true (cw_store_import_workorder (fixture->store, other, CW_IMPORT_FLAGS_NONE, NULL, NULL));
  show (fixture, cw_workorder_get_id (other));
  render_both (fixture, "workorder-page-new-narrow");

  g_assert_true (cw_store_change_process (fixture->store, cw_workorder_get_id (other), &cancel, "Sanne de Vries", NULL));
  gtk_window_set_default_size (fixture->window, 860, 700);
  show (fixture, cw_workorder_get_id (other));
  render_both (fixture, "workorder-page-canceled");

  cw_workorder_page_set_workorder_id (fixture->page, 0);
  render_both (fixture, "workorder-page-empty");
}

/* The advisor's changes for the DMS: each with its state in words, a failed one with the
 * DMS's message and Try Again / Dismiss; and the mileage row, which reads "81.500 km". */
static void
test_writeback_and_mileage (Fixture       *fixture,
                            gconstpointer  data)
{
  gint64 id = import_full_workorder (fixture);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);
  g_autoptr(CwWorkorder) stored = NULL;
  CwOutboxUpdate begin = { CW_OUTBOX_BEGIN, NULL, NULL, 0, FALSE };
  CwOutboxUpdate fail = { CW_OUTBOX_MARK_FAILED, "Werkorder is gesloten in Wincar", NULL, 0, TRUE };
  AdwEntryRow *mileage;
  GtkWidget *retry;
  gint64 entry_id;

  g_assert_true (cw_store_set_writeback (fixture->store, CW_TEST_CONNECTION,
                                         CW_CAPABILITY_WRITEBACK_INTERVENTIONS | CW_CAPABILITY_WRITEBACK_MILEAGE,
                                         &error));
  show (fixture, id);

  cw_intervention_set_title (line, "Ruitenwisserbladen");
  g_assert_cmpint (cw_store_add_intervention (fixture->store, id, line, NULL, &error), >, 0);
  g_assert_no_error (error);
  wait_until_settled (fixture);
  g_assert_true (shows_text (fixture, "Intervention “Ruitenwisserbladen”"));
  g_assert_true (shows_text (fixture, "Pending"));

  entries = cw_store_list_outbox (fixture->store, id, &error);
  entry_id = cw_outbox_entry_get_id (g_ptr_array_index (entries, 0));
  g_assert_true (cw_store_update_outbox (fixture->store, entry_id, &begin, &error));
  g_assert_true (cw_store_update_outbox (fixture->store, entry_id, &fail, &error));
  g_assert_no_error (error);
  wait_until_settled (fixture);
  g_assert_true (shows_text (fixture, "Failed"));
  g_assert_true (shows_text (fixture, "Werkorder is gesloten in Wincar"));

  /* Try Again: pending again, by the row's button. */
  retry = find_actionable (GTK_WIDGET (fixture->page), "workorder.retry-writeback",
                           g_variant_new_int64 (entry_id));
  g_assert_nonnull (retry);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (retry), ==, "Send This Change to the DMS Again");
  g_assert_true (gtk_widget_is_sensitive (retry));
  g_signal_emit_by_name (retry, "clicked");
  g_assert_true (_cw_workorder_page_is_busy (fixture->page));
  wait_until_settled (fixture);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = cw_store_list_outbox (fixture->store, id, &error);
  g_assert_cmpint (cw_outbox_entry_get_state (g_ptr_array_index (entries, 0)), ==, CW_OUTBOX_PENDING);
  g_assert_true (shows_text (fixture, "Pending"));
  g_assert_false (shows_text (fixture, "Werkorder is gesloten in Wincar"));
  g_assert_null (find_actionable (GTK_WIDGET (fixture->page), "workorder.retry-writeback", NULL));

  /* A mileage in any spelling of thousands, higher than the DMS's: recorded and queued. */
  mileage = find_entry_row (GTK_WIDGET (fixture->page), "Mileage read at reception");
  g_assert_nonnull (mileage);
  gtk_editable_set_text (GTK_EDITABLE (mileage), "81.500 km");
  g_signal_emit_by_name (mileage, "apply");
  wait_until_settled (fixture);
  stored = load (fixture, id);
  g_assert_cmpint (cw_workorder_get_mileage (stored, NULL), ==, 81500);
  g_assert_cmpstr (g_ptr_array_index (fixture->toasts, fixture->toasts->len - 1), ==,
                   "Mileage recorded: it is being sent to the DMS.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (mileage)), ==, "");
  g_assert_true (shows_text (fixture, "Mileage 81,500 km"));

  /* Not a number: refused, nothing recorded. */
  gtk_editable_set_text (GTK_EDITABLE (mileage), "tachtig");
  g_signal_emit_by_name (mileage, "apply");
  g_assert_cmpstr (g_ptr_array_index (fixture->toasts, fixture->toasts->len - 1), ==,
                   "Type the mileage as a whole number of kilometres, like 123456.");
  g_clear_object (&stored);
  stored = load (fixture, id);
  g_assert_cmpint (cw_workorder_get_mileage (stored, NULL), ==, 81500);

  /* The two sections on their own, for the picture (the page is taller than the screen). */
  {
    g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
    g_autofree char *file = g_build_filename (dir, "workorder-page-writeback-section.png", NULL);
    GtkWidget *mileage_group = gtk_widget_get_ancestor (GTK_WIDGET (mileage), ADW_TYPE_PREFERENCES_GROUP);
    GtkWidget *writeback_group = gtk_widget_get_next_sibling (mileage_group);
    double luminance = 0;

    g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
    g_assert_true (ADW_IS_PREFERENCES_GROUP (writeback_group));
    g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (writeback_group)), ==, "DMS Writeback");
    g_assert_true (cw_test_ui_render_png (writeback_group, file, &luminance));
  }
  render_both (fixture, "workorder-page-writeback");
}

/* What the application's resource base path gives a window: its icons and its style. */
static void
load_app_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GdkDisplay *display = gdk_display_get_default ();

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display), RESOURCE_BASE_PATH "/icons");
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("cw-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  int status;

  /* The connections' credentials go to libsecret's file backend: no keyring needed. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  cw_test_ui_init (&argc, &argv);
  load_app_style ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/workorder-page/empty", test_page_empty);
  ADD ("/workorder-page/shows-dms-fields", test_page_shows_dms_fields);
  ADD ("/workorder-page/interventions-order", test_page_interventions_order);
  ADD ("/workorder-page/status/steps-forward", test_status_steps_forward);
  ADD ("/workorder-page/status/skip-ahead-and-backorder", test_status_skip_ahead_and_backorder);
  ADD ("/workorder-page/status/toggle-in-later-status", test_toggle_in_later_status);
  ADD ("/workorder-page/cancel/needs-a-reason", test_cancel_needs_a_reason);
  ADD ("/workorder-page/cancel/in-car-in-shop", test_cancel_in_car_in_shop);
  ADD ("/workorder-page/cancel/not-after-check-started", test_cancel_not_after_check_started);
  ADD ("/workorder-page/invoiced-is-read-only", test_invoiced_is_read_only);
  ADD ("/workorder-page/local-interventions", test_local_interventions);
  ADD ("/workorder-page/follows-store-keeps-scroll", test_follows_store_keeps_scroll);
  ADD ("/workorder-page/accessible-labels", test_accessible_labels);
  ADD ("/workorder-page/refresh", test_refresh);
  ADD ("/workorder-page/renders", test_renders);
  ADD ("/workorder-page/writeback-and-mileage", test_writeback_and_mileage);
#undef ADD

  status = g_test_run ();

  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
