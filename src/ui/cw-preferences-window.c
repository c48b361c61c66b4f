/* cw-preferences-window.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-preferences-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-application.h"
#include "cw-connection-page.h"
#include "cw-connector-registry.h"
#include "cw-pon-client.h"
#include "cw-preferences-window-private.h"
#include "cw-preferences-window.h"

/*
 * Preferences: the DMS connections (a list; adding, editing and removing one happens on a
 * subpage, CwConnectionPage), the PON account (for the OCW button) and the app's style. The
 * window writes settings only; the application follows them (the style through
 * AdwStyleManager, the connections through the live list of cw_connection_list_new()). The
 * PON account goes to the keyring through the application's CwPonAccount, which everything
 * that uses it follows. Decisions: docs/ui.md, "Preferences".
 */

struct _CwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkMenuButton        *add_button;
  GtkStack             *connections_stack;
  GtkListBox           *connection_list;
  GtkMenuButton        *empty_add_button;
  AdwActionRow         *pon_state_row;
  GtkImage             *pon_state_icon;
  AdwEntryRow          *pon_username_row;
  AdwEntryRow          *pon_password_row;
  AdwActionRow         *pon_test_row;
  GtkImage             *pon_test_icon;
  GtkSpinner           *pon_test_spinner;
  GtkButton            *pon_test_button;

  /* Owned references */
  GSettings            *settings;
  GListModel           *connections;
  CwImportService      *import_service;
  CwPonAccount         *pon_account;
  /* The PON test in flight; cancelled when the window goes. Saving and forgetting go on. */
  GCancellable         *pon_test_cancellable;
  gboolean              pon_testing;
  gboolean              pon_busy;

  /* The subpage shown, if any (weak) */
  CwConnectionPage     *subpage;
};

G_DEFINE_FINAL_TYPE (CwPreferencesWindow, cw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CONNECTIONS,
  PROP_IMPORT_SERVICE,
  PROP_PON_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/*
 * The list of connections
 */

static void
update_connection_row (AdwActionRow *row,
                       GParamSpec   *pspec,
                       CwConnection *connection)
{
  const CwConnectorKind *kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));
  g_autofree char *name = cw_connection_dup_display_name (connection);
  g_autofree char *subtitle = NULL;
  const char *kind_label;
  const char *endpoint = cw_connection_get_endpoint (connection);

  kind_label = kind != NULL ? g_dgettext (GETTEXT_PACKAGE, kind->label) : cw_connection_get_kind (connection);
  if (endpoint == NULL)
    endpoint = _("No address yet");

  /* Without a name of its own the title is already the DMS's name. */
  if (cw_connection_get_name (connection) != NULL && kind_label != NULL)
    /* Translators: a connection's subtitle in Preferences: the DMS, then its address */
    subtitle = g_strdup_printf (_("%s · %s"), kind_label, endpoint);
  else
    subtitle = g_strdup (endpoint);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (row, subtitle);
}

static GtkWidget *
create_connection_row (gpointer item,
                       gpointer user_data)
{
  CwConnection *connection = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  /* The name is the dealer's own text: no markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  g_object_set_data_full (G_OBJECT (row), "cw-connection", g_object_ref (connection), g_object_unref);
  g_signal_connect_object (connection, "notify", G_CALLBACK (update_connection_row), row,
                           G_CONNECT_SWAPPED);
  update_connection_row (ADW_ACTION_ROW (row), NULL, connection);

  return row;
}

static void
update_connections_view (CwPreferencesWindow *self)
{
  gboolean empty = g_list_model_get_n_items (self->connections) == 0;

  gtk_stack_set_visible_child_name (self->connections_stack, empty ? "empty" : "list");
  /* The empty page has its own, larger button. */
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), !empty);
}

static void
show_page (CwPreferencesWindow *self,
           CwConnectionPage    *page)
{
  g_set_weak_pointer (&self->subpage, page);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), GTK_WIDGET (page));
}

static void
on_connection_activated_cb (CwPreferencesWindow *self,
                            GtkListBoxRow       *row)
{
  CwConnection *connection = g_object_get_data (G_OBJECT (row), "cw-connection");

  g_return_if_fail (CW_IS_CONNECTION (connection));

  show_page (self, cw_connection_page_new_for_connection (connection, self->settings,
                                                          self->import_service));
}

static void
cw_preferences_window_add_connection_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  CwPreferencesWindow *self = CW_PREFERENCES_WINDOW (widget);
  const char *kind = g_variant_get_string (parameter, NULL);

  g_return_if_fail (cw_connector_kind_lookup (kind) != NULL);

  show_page (self, cw_connection_page_new_for_kind (kind, self->settings, self->import_service));
}

/* One menu item per DMS the app knows, in the registry's order. */
static GMenuModel *
create_add_menu (void)
{
  GMenu *menu = g_menu_new ();
  const CwConnectorKind *kind;

  for (guint i = 0; (kind = cw_connector_kind_get_nth (i)) != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (g_dgettext (GETTEXT_PACKAGE, kind->label), NULL);

      g_menu_item_set_action_and_target (item, "prefs.add-connection", "s", kind->kind);
      g_menu_append_item (menu, item);
    }

  return G_MENU_MODEL (menu);
}

/*
 * The PON account
 */

/* The window's widgets are gone once it is disposed; an answer that comes later is dropped. */
static gboolean
pon_is_alive (CwPreferencesWindow *self)
{
  return self->pon_state_row != NULL;
}

static char *
dup_pon_username (CwPreferencesWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pon_username_row)));

  g_strstrip (text);
  if (*text == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

/* The password as typed, or the saved one's user name when nothing is typed. */
static gboolean
pon_test_uses_saved_password (CwPreferencesWindow *self)
{
  g_autofree char *username = dup_pon_username (self);

  return *gtk_editable_get_text (GTK_EDITABLE (self->pon_password_row)) == '\0' &&
         username != NULL &&
         g_strcmp0 (username, cw_pon_account_get_username (self->pon_account)) == 0;
}

static void
update_pon_actions (CwPreferencesWindow *self)
{
  g_autofree char *username = dup_pon_username (self);
  gboolean has_password = *gtk_editable_get_text (GTK_EDITABLE (self->pon_password_row)) != '\0';
  gboolean has_account = cw_pon_account_get_has_account (self->pon_account);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.pon-save",
                                 !self->pon_busy && username != NULL && has_password);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.pon-forget",
                                 !self->pon_busy && has_account);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.pon-test",
                                 self->pon_testing ||
                                 (username != NULL && (has_password || pon_test_uses_saved_password (self))));
}

static void
update_pon_state (CwPreferencesWindow *self)
{
  const char *icon;
  const char *title;
  g_autofree char *subtitle = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->pon_state_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->pon_state_icon), "warning");

  if (cw_pon_account_get_session_only (self->pon_account))
    {
      icon = "dialog-warning-symbolic";
      title = _("No keyring could keep the password: it is kept until Claire Workshop quits");
      /* Translators: %s is the PON user name */
      subtitle = g_strdup_printf (_("User name: %s"), cw_pon_account_get_username (self->pon_account));
      gtk_widget_add_css_class (GTK_WIDGET (self->pon_state_icon), "warning");
    }
  else if (cw_pon_account_get_has_account (self->pon_account))
    {
      icon = "emblem-ok-symbolic";
      title = _("The PON account is saved in the keyring");
      subtitle = g_strdup_printf (_("User name: %s"), cw_pon_account_get_username (self->pon_account));
      gtk_widget_add_css_class (GTK_WIDGET (self->pon_state_icon), "success");
    }
  else if (cw_pon_account_get_loaded (self->pon_account))
    {
      icon = "dialog-password-symbolic";
      title = _("No PON account is saved");
      subtitle = g_strdup (_("Volkswagen workorders show no OCW button until one is saved"));
    }
  else
    {
      icon = "dialog-password-symbolic";
      title = _("Looking for the PON account in the keyring…");
    }

  gtk_image_set_from_icon_name (self->pon_state_icon, icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pon_state_row), title);
  adw_action_row_set_subtitle (self->pon_state_row, subtitle != NULL ? subtitle : "");
  update_pon_actions (self);
}

/* Stored, forgotten or first looked up: the rows show the account as it now is. */
static void
on_pon_account_changed_cb (CwPreferencesWindow *self)
{
  const char *username = cw_pon_account_get_username (self->pon_account);

  gtk_editable_set_text (GTK_EDITABLE (self->pon_username_row), username != NULL ? username : "");
  gtk_editable_set_text (GTK_EDITABLE (self->pon_password_row), "");
  update_pon_state (self);
}

static void
on_pon_text_changed_cb (CwPreferencesWindow *self)
{
  update_pon_actions (self);
}

static void
on_pon_username_activated_cb (CwPreferencesWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->pon_password_row));
}

static void
on_pon_password_activated_cb (CwPreferencesWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "prefs.pon-save", NULL);
}

static void
show_toast (CwPreferencesWindow *self,
            const char          *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 8);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

static void
pon_store_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CwPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  cw_pon_account_store_finish (CW_PON_ACCOUNT (source), result, &error);
  if (!pon_is_alive (self))
    return;

  self->pon_busy = FALSE;
  update_pon_state (self);
  /* Session-only says so in the group too; the toast gives the whole message. */
  show_toast (self, error != NULL ? error->message : _("The PON account is saved in the keyring."));
}

static void
cw_preferences_window_pon_save_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  CwPreferencesWindow *self = CW_PREFERENCES_WINDOW (widget);
  g_autofree char *username = dup_pon_username (self);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->pon_password_row));

  if (self->pon_busy || username == NULL || *password == '\0')
    return;

  self->pon_busy = TRUE;
  update_pon_actions (self);
  cw_pon_account_store_async (self->pon_account, username, password, NULL, pon_store_cb,
                              g_object_ref (self));
}

static void
pon_forget_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CwPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  cw_pon_account_forget_finish (CW_PON_ACCOUNT (source), result, &error);
  if (!pon_is_alive (self))
    return;

  self->pon_busy = FALSE;
  update_pon_state (self);
  show_toast (self, error != NULL ? error->message
                                  : _("The PON account is forgotten. Volkswagen workorders show no OCW button."));
}

static void
cw_preferences_window_pon_forget_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter)
{
  CwPreferencesWindow *self = CW_PREFERENCES_WINDOW (widget);

  if (self->pon_busy)
    return;

  self->pon_busy = TRUE;
  update_pon_actions (self);
  cw_pon_account_forget_async (self->pon_account, NULL, pon_forget_cb, g_object_ref (self));
}

static void
set_pon_testing (CwPreferencesWindow *self,
                 gboolean             testing)
{
  self->pon_testing = testing;
  gtk_widget_set_visible (GTK_WIDGET (self->pon_test_spinner), testing);
  gtk_spinner_set_spinning (self->pon_test_spinner, testing);
  gtk_button_set_label (self->pon_test_button, testing ? _("_Cancel") : _("_Test"));
  if (testing)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->pon_test_icon), FALSE);
      adw_action_row_set_subtitle (self->pon_test_row, _("Logging in to PON…"));
    }
  update_pon_actions (self);
}

static void
show_pon_test_result (CwPreferencesWindow *self,
                      const GError        *error)
{
  g_clear_object (&self->pon_test_cancellable);
  set_pon_testing (self, FALSE);

  gtk_widget_remove_css_class (GTK_WIDGET (self->pon_test_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->pon_test_icon), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->pon_test_icon), TRUE);

  if (error == NULL)
    {
      gtk_image_set_from_icon_name (self->pon_test_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->pon_test_icon), "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->pon_test_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Success"), -1);
      adw_action_row_set_subtitle (self->pon_test_row, _("PON accepted the login: the account works."));
    }
  else
    {
      gtk_image_set_from_icon_name (self->pon_test_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->pon_test_icon), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->pon_test_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Failed"), -1);
      /* The client's messages say what happened and what to do. */
      adw_action_row_set_subtitle (self->pon_test_row, error->message);
    }
}

static void
pon_check_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CwPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  cw_pon_client_check_finish (CW_PON_CLIENT (source), result, &error);

  /* Cancelled: the user or the window going away did; both already reset the row. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !pon_is_alive (self))
    return;

  show_pon_test_result (self, error);
}

/* Logs in with @username and @password; the client lives as long as its check. */
static void
start_pon_check (CwPreferencesWindow *self,
                 const char          *username,
                 const char          *password)
{
  g_autofree char *endpoint = g_settings_get_string (self->settings, "pon-endpoint");
  g_autofree char *ca_file = g_settings_get_string (self->settings, "pon-ca-file");
  g_autoptr(CwPonClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = cw_pon_client_new (endpoint, ca_file, NULL, &error);
  if (client == NULL)
    {
      show_pon_test_result (self, error);
      return;
    }

  cw_pon_client_check_async (client, username, password, self->pon_test_cancellable,
                             pon_check_cb, g_object_ref (self));
}

static void
pon_saved_password_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CwPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;
  char *password;

  password = cw_pon_account_lookup_password_finish (CW_PON_ACCOUNT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !pon_is_alive (self))
    {
      cw_pon_account_free_password (password);
      return;
    }

  if (password == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (CW_PON_ERROR, CW_PON_ERROR_NO_ACCOUNT,
                                     _("The saved password is gone from the keyring. Enter it again."));
      show_pon_test_result (self, error);
      return;
    }

  username = dup_pon_username (self);
  start_pon_check (self, username, password);
  cw_pon_account_free_password (password);
}

static void
cancel_pon_test (CwPreferencesWindow *self)
{
  if (self->pon_test_cancellable == NULL)
    return;

  g_cancellable_cancel (self->pon_test_cancellable);
  g_clear_object (&self->pon_test_cancellable);
  set_pon_testing (self, FALSE);
  adw_action_row_set_subtitle (self->pon_test_row, _("The test was cancelled."));
}

static void
cw_preferences_window_pon_test_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  CwPreferencesWindow *self = CW_PREFERENCES_WINDOW (widget);
  g_autofree char *username = dup_pon_username (self);

  if (self->pon_testing)
    {
      cancel_pon_test (self);
      return;
    }

  self->pon_test_cancellable = g_cancellable_new ();
  set_pon_testing (self, TRUE);

  /* Nothing typed in the password row: the saved account is tested. */
  if (pon_test_uses_saved_password (self))
    cw_pon_account_lookup_password_async (self->pon_account, self->pon_test_cancellable,
                                          pon_saved_password_cb, g_object_ref (self));
  else
    start_pon_check (self, username, gtk_editable_get_text (GTK_EDITABLE (self->pon_password_row)));
}

static void
pon_account_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* ::changed shows the result; a keyring that cannot be used shows as no account. */
  if (!cw_pon_account_load_finish (CW_PON_ACCOUNT (source), result, &error))
    g_debug ("The PON account was not looked up: %s", error->message);
}

/*
 * libadwaita 1.2 gives the button that shows a password, and the (hidden) apply button of
 * an entry row, no accessible label; a screen reader would only say "button".
 */
static void
label_reveal_button (GtkButton *button)
{
  gboolean shown = g_strcmp0 (gtk_button_get_icon_name (button), "view-conceal-symbolic") == 0;

  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  shown ? _("Hide the text") : _("Show the text"),
                                  -1);
}

static void
label_row_buttons (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *icon = GTK_IS_BUTTON (child) ? gtk_button_get_icon_name (GTK_BUTTON (child)) : NULL;

      if (g_strcmp0 (icon, "adw-entry-apply-symbolic") == 0)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Apply"),
                                          -1);
        }
      else if (g_strcmp0 (icon, "view-reveal-symbolic") == 0 || g_strcmp0 (icon, "view-conceal-symbolic") == 0)
        {
          label_reveal_button (GTK_BUTTON (child));
          g_signal_connect (child, "notify::icon-name", G_CALLBACK (label_reveal_button), NULL);
        }
      else
        {
          label_row_buttons (child);
        }
    }
}

static void
setup_pon_account (CwPreferencesWindow *self)
{
  GApplication *application = g_application_get_default ();

  /* The application's account, which the OCW button follows too. */
  if (self->pon_account == NULL && CW_IS_APPLICATION (application))
    self->pon_account = g_object_ref (cw_application_get_pon_account (CW_APPLICATION (application)));

  /* Without an application (a test): one of the window's own. */
  if (self->pon_account == NULL)
    self->pon_account = cw_pon_account_new ();

  g_signal_connect_object (self->pon_account, "changed", G_CALLBACK (on_pon_account_changed_cb),
                           self, G_CONNECT_SWAPPED);

  if (cw_pon_account_get_loaded (self->pon_account))
    on_pon_account_changed_cb (self);
  else
    {
      update_pon_state (self);
      cw_pon_account_load_async (self->pon_account, NULL, pon_account_loaded_cb, NULL);
    }

  label_row_buttons (GTK_WIDGET (self->pon_username_row));
  label_row_buttons (GTK_WIDGET (self->pon_password_row));
}

/*
 * libadwaita 1.2's search button has a tooltip but no accessible label; a screen reader
 * would only say "toggle button". Give it one.
 */
static void
label_search_button (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child) &&
          g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (child)), "edit-find-symbolic") == 0)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search preferences"),
                                        -1);
      else
        label_search_button (child);
    }
}

/*
 * GObject and GtkWidget
 */

static void
cw_preferences_window_constructed (GObject *object)
{
  CwPreferencesWindow *self = (CwPreferencesWindow *)object;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) color_scheme = NULL;
  g_autoptr(GMenuModel) add_menu = create_add_menu ();

  G_OBJECT_CLASS (cw_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  if (self->connections == NULL)
    self->connections = cw_connection_list_new (self->settings);

  /* The style buttons are radio buttons of the key's action. */
  color_scheme = g_settings_create_action (self->settings, "color-scheme");
  g_action_map_add_action (G_ACTION_MAP (group), color_scheme);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "settings", G_ACTION_GROUP (group));

  gtk_menu_button_set_menu_model (self->add_button, add_menu);
  gtk_menu_button_set_menu_model (self->empty_add_button, add_menu);

  gtk_list_box_bind_model (self->connection_list, self->connections,
                           create_connection_row, self, NULL);
  g_signal_connect_object (self->connections, "items-changed",
                           G_CALLBACK (update_connections_view), self, G_CONNECT_SWAPPED);
  update_connections_view (self);

  setup_pon_account (self);

  label_search_button (GTK_WIDGET (self));
}

static void
cw_preferences_window_dispose (GObject *object)
{
  CwPreferencesWindow *self = (CwPreferencesWindow *)object;

  if (self->connection_list != NULL)
    gtk_list_box_bind_model (self->connection_list, NULL, NULL, NULL, NULL);
  if (self->pon_test_cancellable != NULL)
    g_cancellable_cancel (self->pon_test_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_PREFERENCES_WINDOW);

  g_clear_weak_pointer (&self->subpage);
  g_clear_object (&self->connections);
  g_clear_object (&self->import_service);
  g_clear_object (&self->pon_test_cancellable);
  g_clear_object (&self->pon_account);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cw_preferences_window_parent_class)->dispose (object);
}

static void
cw_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CwPreferencesWindow *self = CW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_CONNECTIONS:
      g_value_set_object (value, self->connections);
      break;

    case PROP_IMPORT_SERVICE:
      g_value_set_object (value, self->import_service);
      break;

    case PROP_PON_ACCOUNT:
      g_value_set_object (value, self->pon_account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CwPreferencesWindow *self = CW_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_CONNECTIONS:
      self->connections = g_value_dup_object (value);
      break;

    case PROP_IMPORT_SERVICE:
      self->import_service = g_value_dup_object (value);
      break;

    case PROP_PON_ACCOUNT:
      self->pon_account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_preferences_window_class_init (CwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cw_preferences_window_constructed;
  object_class->dispose = cw_preferences_window_dispose;
  object_class->get_property = cw_preferences_window_get_property;
  object_class->set_property = cw_preferences_window_set_property;

  /**
   * CwPreferencesWindow:settings:
   *
   * The application's settings (schema com.claire.Workshop); %NULL: the default ones.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS, flags);

  /**
   * CwPreferencesWindow:connections:
   *
   * The live list of #CwConnection (cw_connection_list_new()); %NULL: one of its own.
   */
  properties[PROP_CONNECTIONS] =
    g_param_spec_object ("connections", NULL, NULL, G_TYPE_LIST_MODEL, flags);

  /**
   * CwPreferencesWindow:import-service:
   *
   * The import service, told to drop a connector whose credentials changed; may be %NULL.
   */
  properties[PROP_IMPORT_SERVICE] =
    g_param_spec_object ("import-service", NULL, NULL, CW_TYPE_IMPORT_SERVICE, flags);

  /**
   * CwPreferencesWindow:pon-account:
   *
   * The PON account the "PON Account" group saves, tests and forgets; %NULL: the
   * application's (cw_application_get_pon_account()), or one of the window's own.
   */
  properties[PROP_PON_ACCOUNT] =
    g_param_spec_object ("pon-account", NULL, NULL, CW_TYPE_PON_ACCOUNT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, connections_stack);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, connection_list);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, pon_state_row);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, pon_state_icon);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, pon_username_row);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, pon_password_row);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, pon_test_row);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, pon_test_icon);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, pon_test_spinner);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, pon_test_button);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pon_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pon_username_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pon_password_activated_cb);

  gtk_widget_class_install_action (widget_class, "prefs.add-connection", "s",
                                   cw_preferences_window_add_connection_action);
  gtk_widget_class_install_action (widget_class, "prefs.pon-save", NULL,
                                   cw_preferences_window_pon_save_action);
  gtk_widget_class_install_action (widget_class, "prefs.pon-forget", NULL,
                                   cw_preferences_window_pon_forget_action);
  gtk_widget_class_install_action (widget_class, "prefs.pon-test", NULL,
                                   cw_preferences_window_pon_test_action);

  g_type_ensure (CW_TYPE_CONNECTION_PAGE);
}

static void
cw_preferences_window_init (CwPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cw_preferences_window_new:
 * @parent: (nullable): the window it belongs to
 * @settings: the application's settings (schema com.claire.Workshop)
 * @connections: the live list of #CwConnection, from cw_connection_list_new()
 * @service: (nullable): the import service, %NULL when the store could not be opened
 *
 * Returns: (transfer none): a new preferences window, to present
 */
CwPreferencesWindow *
cw_preferences_window_new (GtkWindow       *parent,
                           GSettings       *settings,
                           GListModel      *connections,
                           CwImportService *service)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (connections), NULL);
  g_return_val_if_fail (service == NULL || CW_IS_IMPORT_SERVICE (service), NULL);

  return g_object_new (CW_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       "connections", connections,
                       "import-service", service,
                       NULL);
}

/*
 * For the tests (cw-preferences-window-private.h)
 */

GtkListBox *
cw_preferences_window_get_connection_list (CwPreferencesWindow *self)
{
  g_return_val_if_fail (CW_IS_PREFERENCES_WINDOW (self), NULL);

  return self->connection_list;
}

/* "list" or "empty" */
const char *
cw_preferences_window_get_connections_view (CwPreferencesWindow *self)
{
  g_return_val_if_fail (CW_IS_PREFERENCES_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->connections_stack);
}

CwConnectionPage *
cw_preferences_window_get_subpage (CwPreferencesWindow *self)
{
  g_return_val_if_fail (CW_IS_PREFERENCES_WINDOW (self), NULL);

  return self->subpage;
}

CwPonAccount *
cw_preferences_window_get_pon_account (CwPreferencesWindow *self)
{
  g_return_val_if_fail (CW_IS_PREFERENCES_WINDOW (self), NULL);

  return self->pon_account;
}

/* "username", "password", "state" or "test" */
GtkWidget *
cw_preferences_window_get_pon_row (CwPreferencesWindow *self,
                                   const char          *name)
{
  g_return_val_if_fail (CW_IS_PREFERENCES_WINDOW (self), NULL);

  if (g_strcmp0 (name, "username") == 0)
    return GTK_WIDGET (self->pon_username_row);
  if (g_strcmp0 (name, "password") == 0)
    return GTK_WIDGET (self->pon_password_row);
  if (g_strcmp0 (name, "state") == 0)
    return GTK_WIDGET (self->pon_state_row);
  if (g_strcmp0 (name, "test") == 0)
    return GTK_WIDGET (self->pon_test_row);

  return NULL;
}

gboolean
cw_preferences_window_get_pon_busy (CwPreferencesWindow *self)
{
  g_return_val_if_fail (CW_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->pon_busy || self->pon_testing;
}
