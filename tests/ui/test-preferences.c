/* test-preferences.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "cw-connector-registry.h"
#include "cw-import-service.h"
#include "cw-preferences-window-private.h"
#include "cw-preferences-window.h"
#include "cw-sim-server.h"
#include "cw-store.h"
#include "cw-test-ui.h"

/*
 * The preferences window in a real X session (Xvfb), driven through its own widgets: a
 * connection is added with its credentials, which end up in the keyring and nowhere else
 * (not in the settings, the store or any other file); it is edited, tested against the
 * simulator and removed; the PON account is saved to the keyring, tested (what is typed, or
 * the saved one) and forgotten; the style buttons write the color-scheme key; every
 * icon-only button has an accessible label; and the window renders in light and dark.
 */

#define WRONG_PASSWORD "not-the-demo-password"
#define NEW_PASSWORD "a-new-password-0815"

typedef struct
{
  GSettings           *settings;
  GListModel          *connections;
  CwStore             *store;
  CwImportService     *service;
  CwPreferencesWindow *window;
} Fixture;

static CwSimServer *sim;

/*
 * Helpers
 */

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition condition,
            gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/*
 * libsecret 0.20.5's file backend (Debian 12) leaks the keyring file's previous etag at
 * every write but the first: SecretFileCollection's on_replace_contents() passes
 * &self->etag to g_file_replace_contents_finish() without freeing what it held. The
 * string is allocated in GIO's own callbacks, with no libsecret frame on the stack, so
 * LeakSanitizer is told to ignore what is allocated while the test waits for a keyring
 * write, by the name of the function that waits. Only those waits use it.
 */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions (void);

__attribute__ ((used)) const char *
__lsan_default_suppressions (void)
{
  return "leak:wait_for_keyring_write\n"
         /* The PON account saved by the keyboard: the write ends while Enter is handled. */
         "leak:type_and_press_enter\n";
}
#endif

static void
wait_for_keyring_write (Condition condition,
                        gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child, data))
        return child;
      if ((found = find_widget (child, match, data)) != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action_name)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

static gboolean
has_label (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_style_button (GtkWidget     *widget,
                 gconstpointer  scheme)
{
  GVariant *target;

  if (!GTK_IS_TOGGLE_BUTTON (widget) ||
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "settings.color-scheme") != 0)
    return FALSE;

  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));

  return target != NULL && g_str_equal (g_variant_get_string (target, NULL), scheme);
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* Clicks a button the way a pointer or the keyboard does: it must be usable first. */
static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_is_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

static GtkWidget *
page_button (CwConnectionPage *page,
             const char       *action_name)
{
  return find_widget (GTK_WIDGET (page), has_action, action_name);
}

static void
type_text (GtkWidget  *row,
           const char *text)
{
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Focuses the row, types @text and presses Enter in it. */
static void
type_and_press_enter (GtkWidget  *row,
                      const char *text)
{
  GtkWidget *entry;

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_grab_focus (row));
  cw_test_ui_iterate (20);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  entry = find_widget (row, is_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT));
  g_assert_nonnull (entry);
  g_signal_emit_by_name (entry, "activate");
  cw_test_ui_iterate (20);
}

static char **
connection_ids (Fixture *fixture)
{
  return g_settings_get_strv (fixture->settings, "connections");
}

static gboolean
has_n_connections (gpointer data)
{
  Fixture *fixture = data;
  g_auto(GStrv) ids = connection_ids (fixture);

  return g_strv_length (ids) == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->settings), "expected"));
}

static void
wait_for_n_connections (Fixture *fixture,
                        guint    n)
{
  g_object_set_data (G_OBJECT (fixture->settings), "expected", GUINT_TO_POINTER (n));
  /* Adding and removing a connection write to the keyring first. */
  wait_for_keyring_write (has_n_connections, fixture);
}

static GSettings *
connection_settings (const char *id)
{
  g_autofree char *path = g_strconcat ("/com/claire/Workshop/connections/", id, "/", NULL);

  return g_settings_new_with_path (APP_ID ".Connection", path);
}

static const SecretSchema *
credentials_schema (void)
{
  /* As docs/configuration.md gives it, independent of the app's code. */
  static const SecretSchema schema = {
    APP_ID ".DmsCredentials", SECRET_SCHEMA_NONE,
    {
      { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static char *
keyring_secret (const char *id)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (credentials_schema (), NULL, &error, "connection", id, NULL);
  g_assert_no_error (error);

  return secret;
}

static gboolean
keyring_holds (gpointer data)
{
  const char * const *id_and_text = data;
  g_autofree char *secret = keyring_secret (id_and_text[0]);

  return secret != NULL && strstr (secret, id_and_text[1]) != NULL;
}

static void
credentials_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_connection_store_credentials_finish (CW_CONNECTION (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* A connection as the command line or an earlier session would leave it. */
static void
configure_connection (Fixture    *fixture,
                      const char *id,
                      const char *kind,
                      const char *name,
                      const char *endpoint)
{
  g_autoptr(CwConnection) connection = cw_connection_new_for_settings (id);
  g_autoptr(GHashTable) credentials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = connection_ids (fixture);
  g_auto(GStrv) new_ids = NULL;
  gboolean stored = FALSE;

  g_object_set (connection, "kind", kind, "name", name, "endpoint", endpoint, NULL);
  if (g_str_equal (kind, "2drive"))
    {
      g_autofree char *token_url = cw_sim_server_dup_url (sim, CW_SIM_2DRIVE_TOKEN);

      g_object_set (connection,
                    "token-url", token_url,
                    "audience", CW_SIM_2DRIVE_AUDIENCE,
                    "affiliate-id", CW_SIM_2DRIVE_AFFILIATE,
                    "import-after-work-started", TRUE,
                    NULL);
      g_hash_table_insert (credentials, (gpointer) "client_id", (gpointer) CW_SIM_2DRIVE_CLIENT_ID);
      g_hash_table_insert (credentials, (gpointer) "client_secret", (gpointer) CW_SIM_2DRIVE_SECRET);
    }
  else
    {
      g_hash_table_insert (credentials, (gpointer) "api_key", (gpointer) CW_SIM_AUTOFLEX_API_KEY);
      g_hash_table_insert (credentials, (gpointer) "username", (gpointer) CW_SIM_AUTOFLEX_USERNAME);
      g_hash_table_insert (credentials, (gpointer) "password", (gpointer) CW_SIM_AUTOFLEX_PASSWORD);
    }

  g_strv_builder_addv (builder, (const char **) ids);
  g_strv_builder_add (builder, id);
  new_ids = g_strv_builder_end (builder);
  g_settings_set_strv (fixture->settings, "connections", (const char * const *) new_ids);

  cw_connection_store_credentials_async (connection, credentials, NULL, credentials_stored_cb, &stored);
  wait_for_keyring_write (is_true, &stored);
}

static void
pon_stored_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_pon_account_store_finish (CW_PON_ACCOUNT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
pon_forgotten_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_assert_true (cw_pon_account_forget_finish (CW_PON_ACCOUNT (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
forget_pon_account (void)
{
  g_autoptr(CwPonAccount) account = cw_pon_account_new ();
  gboolean done = FALSE;

  cw_pon_account_forget_async (account, NULL, pon_forgotten_cb, &done);
  wait_for_keyring_write (is_true, &done);
}

static void
assert_no_secret_in_settings (GSettings  *settings,
                              const char *secret)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      g_assert_null (strstr (printed, secret));
    }
}

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

static guint
assert_no_secret_in_files (const char *dir,
                           const char *secret)
{
  g_autoptr(GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_files = 0;

  while (entries != NULL && (name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += assert_no_secret_in_files (path, secret);
          continue;
        }

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (contains_bytes (contents, length, secret))
        g_error ("%s holds a secret", path);
      n_files++;
    }

  return n_files;
}

static gboolean
page_is_idle (gpointer data)
{
  CwConnectionPage *page = data;

  return !cw_connection_page_get_testing (page) && !cw_connection_page_get_busy (page);
}

static gboolean
subpage_is_gone (gpointer data)
{
  return cw_preferences_window_get_subpage (data) == NULL;
}

static CwConnectionPage *
open_new_page (Fixture    *fixture,
               const char *kind)
{
  CwConnectionPage *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "prefs.add-connection", "s", kind));
  cw_test_ui_iterate (400);
  page = cw_preferences_window_get_subpage (fixture->window);
  g_assert_nonnull (page);
  g_assert_true (cw_connection_page_get_is_new (page));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));

  return page;
}

static GtkWidget *
connection_row (Fixture *fixture,
                guint    position)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (cw_preferences_window_get_connection_list (fixture->window),
                                                      position);

  g_assert_nonnull (row);

  return GTK_WIDGET (row);
}

static CwConnectionPage *
open_edit_page (Fixture *fixture,
                guint    position)
{
  GtkListBox *list = cw_preferences_window_get_connection_list (fixture->window);
  CwConnectionPage *page;

  g_signal_emit_by_name (list, "row-activated", connection_row (fixture, position));
  cw_test_ui_iterate (400);
  page = cw_preferences_window_get_subpage (fixture->window);
  g_assert_nonnull (page);
  g_assert_false (cw_connection_page_get_is_new (page));

  return page;
}

static gboolean
row_has_text (gpointer data)
{
  GtkEditable *row = data;

  return *gtk_editable_get_text (row) != '\0';
}

/*
 * The tests
 */

static void
test_preferences_empty (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *menu_button;
  GMenuModel *menu;
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpstr (cw_preferences_window_get_connections_view (fixture->window), ==, "empty");
  g_assert_nonnull (find_widget (GTK_WIDGET (fixture->window), is_type, GSIZE_TO_POINTER (ADW_TYPE_STATUS_PAGE)));

  /* The add menu lists every DMS the registry knows, by its name. */
  menu_button = find_widget (GTK_WIDGET (fixture->window), is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (menu_button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;

      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      g_assert_true (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_cmpstr (action, ==, "prefs.add-connection");
      g_assert_cmpstr (label, ==, cw_connector_kind_lookup (g_variant_get_string (target, NULL))->label);
      g_ptr_array_add (kinds, g_variant_dup_string (target, NULL));
    }
  g_assert_cmpuint (kinds->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (kinds, 0), ==, "2drive");
  g_assert_cmpstr (g_ptr_array_index (kinds, 1), ==, "autoflex");
  g_assert_cmpstr (g_ptr_array_index (kinds, 2), ==, "incadea");
  g_assert_cmpstr (g_ptr_array_index (kinds, 3), ==, "wincar");
}

static void
test_preferences_add_connection (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *endpoint = cw_sim_server_dup_url (sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  g_autofree char *store_path = cw_store_dup_default_path ();
  g_autofree char *user_root = g_path_get_dirname (g_get_user_data_dir ());
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *secret = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *stored_endpoint = NULL;
  g_autofree char *stored_name = NULL;
  g_autofree char *stored_kind = NULL;
  const char *id_and_password[2];
  CwConnectionPage *page = open_new_page (fixture, "autoflex");
  GtkWidget *endpoint_row = cw_connection_page_get_field_row (page, "endpoint");
  g_autofree char *db_contents = NULL;
  gsize db_length;

  /* Only the rows Autoflex needs. */
  g_assert_true (gtk_widget_get_visible (endpoint_row));
  g_assert_false (gtk_widget_get_visible (cw_connection_page_get_field_row (page, "token-url")));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (cw_connection_page_get_credential_row (page, "password")));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (cw_connection_page_get_credential_row (page, "api_key")));
  g_assert_false (ADW_IS_PASSWORD_ENTRY_ROW (cw_connection_page_get_credential_row (page, "username")));
  g_assert_null (cw_connection_page_get_credential_row (page, "client_id"));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (cw_connection_page_get_field_row (page, "poll-interval"),
                                                                  ADW_TYPE_ACTION_ROW)));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (cw_connection_page_get_field_row (page, "events"),
                                                                   ADW_TYPE_ACTION_ROW)));

  type_text (cw_connection_page_get_field_row (page, "name"), "Werkplaats Utrecht");
  type_text (cw_connection_page_get_credential_row (page, "api_key"), CW_SIM_AUTOFLEX_API_KEY);
  type_text (cw_connection_page_get_credential_row (page, "username"), CW_SIM_AUTOFLEX_USERNAME);
  type_text (cw_connection_page_get_credential_row (page, "password"), CW_SIM_AUTOFLEX_PASSWORD);

  /* Not an address: nothing is saved, and the row says where the problem is. */
  type_and_press_enter (endpoint_row, "api.autoflex10 work");
  g_assert_true (gtk_widget_has_css_class (endpoint_row, "error"));
  cw_test_ui_iterate (100);
  ids = connection_ids (fixture);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);

  type_text (endpoint_row, endpoint);
  g_assert_false (gtk_widget_has_css_class (endpoint_row, "error"));
  click (page_button (page, "page.add"));
  wait_for_n_connections (fixture, 1);
  wait_until (subpage_is_gone, fixture->window);

  /* The connection is in the list, with its settings. */
  ids = connection_ids (fixture);
  g_assert_true (g_str_has_prefix (ids[0], "autoflex-"));
  settings = connection_settings (ids[0]);
  stored_endpoint = g_settings_get_string (settings, "endpoint");
  stored_name = g_settings_get_string (settings, "name");
  stored_kind = g_settings_get_string (settings, "kind");
  g_assert_cmpstr (stored_endpoint, ==, endpoint);
  g_assert_cmpstr (stored_name, ==, "Werkplaats Utrecht");
  g_assert_cmpstr (stored_kind, ==, "autoflex");
  g_assert_cmpuint (g_settings_get_uint (settings, "poll-interval"), ==, 300);
  g_assert_cmpstr (cw_preferences_window_get_connections_view (fixture->window), ==, "list");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (connection_row (fixture, 0))), ==,
                   "Werkplaats Utrecht");

  /* The credentials are in the keyring, all three. */
  secret = keyring_secret (ids[0]);
  g_assert_nonnull (secret);
  g_assert_nonnull (strstr (secret, CW_SIM_AUTOFLEX_PASSWORD));
  g_assert_nonnull (strstr (secret, CW_SIM_AUTOFLEX_API_KEY));
  g_assert_nonnull (strstr (secret, "\"" CW_SIM_AUTOFLEX_USERNAME "\""));
  id_and_password[0] = ids[0];
  id_and_password[1] = CW_SIM_AUTOFLEX_PASSWORD;
  g_assert_true (keyring_holds (id_and_password));

  /* …and nowhere else: not in a settings key, the store or any other file of the desk. */
  assert_no_secret_in_settings (fixture->settings, CW_SIM_AUTOFLEX_PASSWORD);
  assert_no_secret_in_settings (fixture->settings, CW_SIM_AUTOFLEX_API_KEY);
  assert_no_secret_in_settings (settings, CW_SIM_AUTOFLEX_PASSWORD);
  assert_no_secret_in_settings (settings, CW_SIM_AUTOFLEX_API_KEY);
  g_assert_true (g_file_get_contents (store_path, &db_contents, &db_length, NULL));
  g_assert_cmpuint (db_length, >, 0);
  g_assert_false (contains_bytes (db_contents, db_length, CW_SIM_AUTOFLEX_PASSWORD));
  g_assert_false (contains_bytes (db_contents, db_length, CW_SIM_AUTOFLEX_API_KEY));
  g_assert_cmpuint (assert_no_secret_in_files (user_root, CW_SIM_AUTOFLEX_PASSWORD), >, 0);
  assert_no_secret_in_files (user_root, CW_SIM_AUTOFLEX_API_KEY);
}

static gboolean
endpoint_is (gpointer data)
{
  GSettings *settings = data;
  g_autofree char *endpoint = g_settings_get_string (settings, "endpoint");

  return g_str_equal (endpoint, g_object_get_data (G_OBJECT (settings), "expected"));
}

static gboolean
keyring_is_empty (gpointer data)
{
  g_autofree char *secret = keyring_secret (data);

  return secret == NULL;
}

static void
test_preferences_edit_and_remove (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *endpoint = cw_sim_server_dup_url (sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  g_autoptr(GSettings) settings = connection_settings ("test-autoflex");
  const char *id_and_password[2] = { "test-autoflex", NEW_PASSWORD };
  g_autoptr(GList) toplevels = NULL;
  CwConnectionPage *page;
  GtkWidget *password_row, *endpoint_row, *save_button;
  AdwMessageDialog *dialog = NULL;
  g_autofree char *reset_endpoint = NULL;
  g_autofree char *stored_name = NULL;

  configure_connection (fixture, "test-autoflex", "autoflex", "Garage Janssen", endpoint);
  cw_test_ui_iterate (100);
  g_assert_cmpstr (cw_preferences_window_get_connections_view (fixture->window), ==, "list");
  page = open_edit_page (fixture, 0);

  /* The credentials come from the keyring, masked. */
  password_row = cw_connection_page_get_credential_row (page, "password");
  wait_until (row_has_text, password_row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password_row)), ==, CW_SIM_AUTOFLEX_PASSWORD);
  g_assert_false (gtk_text_get_visibility (GTK_TEXT (find_widget (password_row, is_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT)))));
  save_button = page_button (page, "page.save-credentials");
  g_assert_false (gtk_widget_is_sensitive (save_button));

  /* An address is applied with Enter; a wrong one is not. */
  endpoint_row = cw_connection_page_get_field_row (page, "endpoint");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (endpoint_row)), ==, endpoint);
  type_and_press_enter (endpoint_row, "ftp://example.com");
  g_assert_true (gtk_widget_has_css_class (endpoint_row, "error"));
  g_object_set_data (G_OBJECT (settings), "expected", endpoint);
  g_assert_true (endpoint_is (settings));
  type_and_press_enter (endpoint_row, "https://autoflex.example.com/v2 ");
  g_object_set_data (G_OBJECT (settings), "expected", (gpointer) "https://autoflex.example.com/v2");
  wait_until (endpoint_is, settings);
  g_assert_false (gtk_widget_has_css_class (endpoint_row, "error"));

  /* A cleared name is cleared in the settings too; the DMS's name stands in. */
  type_and_press_enter (cw_connection_page_get_field_row (page, "name"), "");
  stored_name = g_settings_get_string (settings, "name");
  g_assert_cmpstr (stored_name, ==, "");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (connection_row (fixture, 0))), ==, "Autoflex");
  type_and_press_enter (cw_connection_page_get_field_row (page, "name"), "Garage Janssen");
  g_clear_pointer (&stored_name, g_free);
  stored_name = g_settings_get_string (settings, "name");
  g_assert_cmpstr (stored_name, ==, "Garage Janssen");

  /* The dealer's options apply at once; the interval is shown in minutes. */
  gtk_switch_set_active (GTK_SWITCH (cw_connection_page_get_field_row (page, "writeback")), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "writeback"));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (cw_connection_page_get_field_row (page, "poll-interval"))), ==, 5);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (cw_connection_page_get_field_row (page, "poll-interval")), 12);
  g_assert_cmpuint (g_settings_get_uint (settings, "poll-interval"), ==, 720);

  /* New credentials go to the keyring with Save. */
  type_text (password_row, NEW_PASSWORD);
  g_assert_true (gtk_widget_is_sensitive (save_button));
  click (save_button);
  wait_for_keyring_write (page_is_idle, page);
  g_assert_true (keyring_holds (id_and_password));
  g_assert_false (gtk_widget_is_sensitive (save_button));
  assert_no_secret_in_settings (settings, NEW_PASSWORD);

  /* Removing asks first, then takes the connection, its settings and its credentials. */
  click (page_button (page, "page.remove"));
  cw_test_ui_iterate (200);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      dialog = l->data;
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove “Garage Janssen”?");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  click (find_widget (GTK_WIDGET (dialog), has_label, "_Remove"));

  wait_for_n_connections (fixture, 0);
  g_assert_null (dialog);
  wait_until (keyring_is_empty, (gpointer) "test-autoflex");
  wait_until (subpage_is_gone, fixture->window);
  reset_endpoint = g_settings_get_string (settings, "endpoint");
  g_assert_cmpstr (reset_endpoint, ==, "");
  g_assert_false (g_settings_get_boolean (settings, "writeback"));
  g_assert_cmpstr (cw_preferences_window_get_connections_view (fixture->window), ==, "empty");
}

static void
run_test (CwConnectionPage *page)
{
  click (page_button (page, "page.test"));
  wait_until (page_is_idle, page);
}

static void
test_preferences_test_connection (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *endpoint = cw_sim_server_dup_url (sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  CwConnectionPage *page = open_new_page (fixture, "autoflex");
  AdwActionRow *test_row = cw_connection_page_get_test_row (page);
  const char *draft_id = cw_connection_get_id (cw_connection_page_get_connection (page));
  g_autofree char *secret = NULL;
  g_auto(GStrv) ids = NULL;

  type_text (cw_connection_page_get_field_row (page, "endpoint"), endpoint);
  type_text (cw_connection_page_get_credential_row (page, "api_key"), CW_SIM_AUTOFLEX_API_KEY);
  type_text (cw_connection_page_get_credential_row (page, "username"), CW_SIM_AUTOFLEX_USERNAME);

  /* Incomplete: the connector says what is missing, without asking the DMS. */
  run_test (page);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "incomplete"));

  type_text (cw_connection_page_get_credential_row (page, "password"), CW_SIM_AUTOFLEX_PASSWORD);
  click (page_button (page, "page.test"));
  /* The DMS is asked: a spinner turns, and the button cancels. */
  g_assert_true (cw_connection_page_get_testing (page));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (page_button (page, "page.test"))), ==, "_Cancel");
  wait_until (page_is_idle, page);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (page_button (page, "page.test"))), ==, "_Test");
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==, "The DMS accepted the login: the connection works.");

  type_text (cw_connection_page_get_credential_row (page, "password"), WRONG_PASSWORD);
  run_test (page);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (test_row), "Autoflex refused the login: "));

  /* A test saves nothing. */
  ids = connection_ids (fixture);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  secret = keyring_secret (draft_id);
  g_assert_null (secret);
}

static void
test_preferences_appearance (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *follow = find_widget (window, is_style_button, "default");
  GtkWidget *light = find_widget (window, is_style_button, "light");
  GtkWidget *dark = find_widget (window, is_style_button, "dark");
  g_autofree char *scheme = NULL;

  g_assert_nonnull (follow);
  g_assert_nonnull (light);
  g_assert_nonnull (dark);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (follow)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (dark)));

  click (dark);
  scheme = g_settings_get_string (fixture->settings, "color-scheme");
  g_assert_cmpstr (scheme, ==, "dark");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (dark)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (follow)));
  g_clear_pointer (&scheme, g_free);

  click (light);
  scheme = g_settings_get_string (fixture->settings, "color-scheme");
  g_assert_cmpstr (scheme, ==, "light");
  g_clear_pointer (&scheme, g_free);

  /* A change made elsewhere shows. */
  g_settings_set_string (fixture->settings, "color-scheme", "default");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (follow)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (light)));
}

/* Every button that shows only an icon carries a label for screen readers. */
static guint
assert_icon_buttons_labelled (GtkWidget *root)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean icon_only = FALSE;

      if (GTK_IS_MENU_BUTTON (child))
        icon_only = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (child)) != NULL &&
                    gtk_menu_button_get_label (GTK_MENU_BUTTON (child)) == NULL;
      else if (GTK_IS_BUTTON (child))
        icon_only = gtk_button_get_icon_name (GTK_BUTTON (child)) != NULL ||
                    GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (child)));

      if (icon_only)
        {
          g_test_message ("icon-only %s %s", G_OBJECT_TYPE_NAME (child),
                          GTK_IS_BUTTON (child) ? gtk_button_get_icon_name (GTK_BUTTON (child)) : "");
          if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL))
            g_error ("The %s with the icon %s in %s has no accessible label", G_OBJECT_TYPE_NAME (child),
                     GTK_IS_BUTTON (child) ? gtk_button_get_icon_name (GTK_BUTTON (child))
                                           : gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (child)),
                     G_OBJECT_TYPE_NAME (root));
          n++;
        }

      /* A menu button's own button is labelled through the menu button. */
      if (!GTK_IS_MENU_BUTTON (child))
        n += assert_icon_buttons_labelled (child);
    }

  return n;
}

static void
test_preferences_accessible_labels (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *endpoint = cw_sim_server_dup_url (sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  GtkWidget *add;
  CwConnectionPage *page;

  /* The list, with its add button and the search. */
  configure_connection (fixture, "test-autoflex", "autoflex", "Garage Janssen", endpoint);
  cw_test_ui_iterate (100);
  add = find_widget (GTK_WIDGET (fixture->window), is_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL, "Add a connection");
  g_assert_nonnull (gtk_widget_get_tooltip_text (add));
  g_assert_cmpuint (assert_icon_buttons_labelled (GTK_WIDGET (fixture->window)), >=, 2);

  /* An existing connection: back, apply buttons of the entry rows, file chooser. */
  page = open_edit_page (fixture, 0);
  g_assert_cmpuint (assert_icon_buttons_labelled (GTK_WIDGET (page)), >=, 4);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (page_button (page, "page.back")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Back");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (page_button (page, "page.choose-ca-file")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Choose a certificate authority file");
  g_assert_nonnull (gtk_widget_get_tooltip_text (page_button (page, "page.back")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (page_button (page, "page.choose-ca-file")));
  gtk_widget_activate_action (GTK_WIDGET (page), "page.back", NULL);
  wait_until (subpage_is_gone, fixture->window);

  /* A new 2Drive connection. */
  page = open_new_page (fixture, "2drive");
  g_assert_cmpuint (assert_icon_buttons_labelled (GTK_WIDGET (page)), >=, 2);
}

static gboolean
has_shortcut (GtkWidget  *widget,
              const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          found = g_str_equal (text, trigger);
        }
    }

  return found;
}

static void
test_preferences_keyboard (Fixture       *fixture,
                           gconstpointer  data)
{
  CwConnectionPage *page;

  /* Escape closes the window; Alt+Left leaves a connection for the list. */
  g_assert_true (has_shortcut (GTK_WIDGET (fixture->window), "Escape"));
  page = open_new_page (fixture, "autoflex");
  g_assert_true (has_shortcut (GTK_WIDGET (page), "<Alt>Left"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.back", NULL));
  wait_until (subpage_is_gone, fixture->window);
}

static void
test_preferences_wincar_page (Fixture       *fixture,
                              gconstpointer  data)
{
  CwConnectionPage *page = open_new_page (fixture, "wincar");
  GtkWidget *events = cw_connection_page_get_field_row (page, "events");

  /* A user name and password; realtime changes offered, and on until the dealer says no. */
  g_assert_false (ADW_IS_PASSWORD_ENTRY_ROW (cw_connection_page_get_credential_row (page, "username")));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (cw_connection_page_get_credential_row (page, "password")));
  g_assert_null (cw_connection_page_get_credential_row (page, "api_key"));
  g_assert_false (gtk_widget_get_visible (cw_connection_page_get_field_row (page, "token-url")));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (events, ADW_TYPE_ACTION_ROW)));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (events)));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (cw_connection_page_get_field_row (page, "poll-interval"),
                                                                   ADW_TYPE_ACTION_ROW)));

  gtk_switch_set_active (GTK_SWITCH (events), FALSE);
  g_assert_false (cw_connection_get_events (cw_connection_page_get_connection (page)));
}

static void
render (GtkWidget  *window,
        const char *name,
        double     *luminance)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *png = g_build_filename (dir, name, NULL);
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  /* The window's render node is only there once a frame was drawn after the last change. */
  cw_test_ui_iterate (300);
  g_assert_true (cw_test_ui_render_png (window, png, luminance));
  g_assert_cmpint (g_stat (png, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 10000);
  g_test_message ("%s written", png);
}

static void
test_preferences_renders (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *autoflex = cw_sim_server_dup_url (sim, CW_SIM_AUTOFLEX_BOOTSTRAP);
  g_autofree char *twodrive = cw_sim_server_dup_url (sim, CW_SIM_2DRIVE_API);
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window = GTK_WIDGET (fixture->window);
  double light = 0, dark = 0, luminance = 0;
  CwConnectionPage *page;

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  cw_test_ui_iterate (200);
  render (window, "preferences-empty.png", NULL);

  configure_connection (fixture, "test-autoflex", "autoflex", "Garage Janssen Utrecht", autoflex);
  configure_connection (fixture, "test-2drive", "2drive", NULL, twodrive);
  cw_test_ui_iterate (300);
  render (window, "preferences-light.png", &light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  cw_test_ui_iterate (300);
  render (window, "preferences-dark.png", &dark);
  g_test_message ("light %.2f, dark %.2f mean luminance", light, dark);
  g_assert_cmpfloat (light, >, 0.7);
  g_assert_cmpfloat (dark, <, 0.3);

  /* An existing connection, tested, in both styles, all of it. */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 1010);
  page = open_edit_page (fixture, 0);
  wait_until (row_has_text, cw_connection_page_get_credential_row (page, "password"));
  run_test (page);
  render (window, "preferences-connection-dark.png", &luminance);
  g_assert_cmpfloat (luminance, <, 0.3);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  cw_test_ui_iterate (300);
  render (window, "preferences-connection-light.png", &luminance);
  g_assert_cmpfloat (luminance, >, 0.7);
  gtk_widget_activate_action (GTK_WIDGET (page), "page.back", NULL);
  wait_until (subpage_is_gone, fixture->window);

  /* A new 2Drive connection, and the failed test of a wrong address. */
  page = open_new_page (fixture, "2drive");
  type_text (cw_connection_page_get_field_row (page, "name"), "Autobedrijf Smit – Amersfoort");
  type_text (cw_connection_page_get_field_row (page, "endpoint"), "https://app-2drive-dab2-10259.example.com/api");
  /* Adding it without a token address says so, at the row. */
  click (page_button (page, "page.add"));
  g_assert_true (gtk_widget_has_css_class (cw_connection_page_get_field_row (page, "token-url"), "error"));
  render (window, "preferences-new-2drive.png", NULL);
  gtk_widget_activate_action (GTK_WIDGET (page), "page.back", NULL);
  wait_until (subpage_is_gone, fixture->window);

  /* The style switcher. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "appearance");
  cw_test_ui_iterate (300);
  render (window, "preferences-appearance-light.png", NULL);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  cw_test_ui_iterate (300);
  render (window, "preferences-appearance-dark.png", NULL);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/*
 * The PON account
 */

#define PON_PASSWORD "Pon-wachtwoord-€-8"

static const SecretSchema *
pon_schema (void)
{
  /* As docs/configuration.md gives it, independent of the app's code. */
  static const SecretSchema schema = {
    APP_ID ".PonAccount", SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static char *
pon_keyring_password (const char *username)
{
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (pon_schema (), NULL, &error,
                                        "account", "pon", "username", username, NULL);
  g_assert_no_error (error);

  return secret;
}

static gboolean
pon_has_account (gpointer data)
{
  return cw_pon_account_get_has_account (data);
}

static gboolean
pon_has_no_account (gpointer data)
{
  return !cw_pon_account_get_has_account (data);
}

static gboolean
pon_is_loaded (gpointer data)
{
  return cw_pon_account_get_loaded (data);
}

static gboolean
pon_is_idle (gpointer data)
{
  return !cw_preferences_window_get_pon_busy (data);
}

static GtkWidget *
window_button (Fixture    *fixture,
               const char *action_name)
{
  return find_widget (GTK_WIDGET (fixture->window), has_action, action_name);
}

static const char *
row_title (GtkWidget *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static void
run_pon_test (Fixture *fixture)
{
  click (window_button (fixture, "prefs.pon-test"));
  g_assert_true (cw_preferences_window_get_pon_busy (fixture->window));
  wait_until (pon_is_idle, fixture->window);
}

static void
test_preferences_pon_account (Fixture       *fixture,
                              gconstpointer  data)
{
  CwPonAccount *account = cw_preferences_window_get_pon_account (fixture->window);
  GtkWidget *username = cw_preferences_window_get_pon_row (fixture->window, "username");
  GtkWidget *password = cw_preferences_window_get_pon_row (fixture->window, "password");
  GtkWidget *state = cw_preferences_window_get_pon_row (fixture->window, "state");
  g_autofree char *secret = NULL;

  /* Nothing saved: the group says what that means; only typing is possible. */
  g_assert_cmpstr (row_title (state), ==, "No PON account is saved");
  g_assert_false (gtk_widget_is_sensitive (window_button (fixture, "prefs.pon-save")));
  g_assert_false (gtk_widget_is_sensitive (window_button (fixture, "prefs.pon-forget")));
  g_assert_false (gtk_widget_is_sensitive (window_button (fixture, "prefs.pon-test")));

  type_text (username, " werkplaats@garage-janssen.nl ");
  g_assert_false (gtk_widget_is_sensitive (window_button (fixture, "prefs.pon-save")));
  type_text (password, PON_PASSWORD);
  g_assert_true (gtk_widget_is_sensitive (window_button (fixture, "prefs.pon-test")));

  /* Saved: in the keyring under the PON schema, and nowhere else. */
  click (window_button (fixture, "prefs.pon-save"));
  wait_for_keyring_write (pon_has_account, account);
  wait_until (pon_is_idle, fixture->window);
  secret = pon_keyring_password ("werkplaats@garage-janssen.nl");
  g_assert_cmpstr (secret, ==, PON_PASSWORD);
  g_clear_pointer (&secret, g_free);
  g_assert_cmpstr (cw_pon_account_get_username (account), ==, "werkplaats@garage-janssen.nl");
  g_assert_cmpstr (row_title (state), ==, "The PON account is saved in the keyring");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (username)), ==, "werkplaats@garage-janssen.nl");
  /* The typed password does not linger in the row. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");
  g_assert_true (gtk_widget_is_sensitive (window_button (fixture, "prefs.pon-forget")));
  assert_no_secret_in_settings (fixture->settings, PON_PASSWORD);
  assert_no_secret_in_files (g_get_user_config_dir (), PON_PASSWORD);
  assert_no_secret_in_files (g_get_user_data_dir (), PON_PASSWORD);

  /* Forgotten: gone from the keyring and from the rows. */
  click (window_button (fixture, "prefs.pon-forget"));
  wait_for_keyring_write (pon_has_no_account, account);
  wait_until (pon_is_idle, fixture->window);
  secret = pon_keyring_password ("werkplaats@garage-janssen.nl");
  g_assert_null (secret);
  g_assert_cmpstr (row_title (state), ==, "No PON account is saved");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (username)), ==, "");
  g_assert_false (gtk_widget_is_sensitive (window_button (fixture, "prefs.pon-forget")));

  /* By keyboard: Enter in the user name goes to the password, Enter there saves. */
  type_and_press_enter (username, "balie");
  g_assert_true (gtk_widget_has_focus (password) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), password));
  type_and_press_enter (password, "tweede-" PON_PASSWORD);
  wait_for_keyring_write (pon_has_account, account);
  wait_until (pon_is_idle, fixture->window);
  secret = pon_keyring_password ("balie");
  g_assert_cmpstr (secret, ==, "tweede-" PON_PASSWORD);
}

static void
test_preferences_pon_test_connection (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *endpoint = cw_sim_server_dup_url (sim, CW_SIM_PON_API);
  CwPonAccount *account = cw_preferences_window_get_pon_account (fixture->window);
  GtkWidget *username = cw_preferences_window_get_pon_row (fixture->window, "username");
  GtkWidget *password = cw_preferences_window_get_pon_row (fixture->window, "password");
  AdwActionRow *test_row = ADW_ACTION_ROW (cw_preferences_window_get_pon_row (fixture->window, "test"));
  guint logins = cw_sim_pon_count_logins (sim);

  g_settings_set_string (fixture->settings, "pon-endpoint", endpoint);

  /* What is typed, against the simulator. */
  type_text (username, CW_SIM_PON_USERNAME);
  type_text (password, CW_SIM_PON_PASSWORD);
  click (window_button (fixture, "prefs.pon-test"));
  g_assert_true (cw_preferences_window_get_pon_busy (fixture->window));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (window_button (fixture, "prefs.pon-test"))), ==, "_Cancel");
  wait_until (pon_is_idle, fixture->window);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (window_button (fixture, "prefs.pon-test"))), ==, "_Test");
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==, "PON accepted the login: the account works.");
  g_assert_cmpuint (cw_sim_pon_count_logins (sim), ==, logins + 1);

  /* A wrong password: PON's refusal, said in the row. */
  type_text (password, WRONG_PASSWORD);
  run_pon_test (fixture);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (test_row), "PON refused the user name or password"));
  g_assert_cmpuint (cw_sim_pon_count_logins (sim), ==, logins + 2);

  /* A test saves nothing. */
  g_assert_false (cw_pon_account_get_has_account (account));
  g_assert_null (pon_keyring_password (CW_SIM_PON_USERNAME));

  /* Saved, then tested with nothing typed in the password row: the saved password. */
  type_text (password, CW_SIM_PON_PASSWORD);
  click (window_button (fixture, "prefs.pon-save"));
  wait_for_keyring_write (pon_has_account, account);
  wait_until (pon_is_idle, fixture->window);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");
  run_pon_test (fixture);
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), ==, "PON accepted the login: the account works.");
  g_assert_cmpuint (cw_sim_pon_count_logins (sim), ==, logins + 3);
  render (GTK_WIDGET (fixture->window), "preferences-pon.png", NULL);

  /* No address: says which setting. */
  g_settings_set_string (fixture->settings, "pon-endpoint", "");
  run_pon_test (fixture);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "pon-endpoint"));
  g_assert_cmpuint (cw_sim_pon_count_logins (sim), ==, logins + 3);
}

static void
test_preferences_pon_saved_before (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(CwPonAccount) stored = cw_pon_account_new ();
  CwPreferencesWindow *window;
  gboolean done = FALSE;

  /* An account saved in an earlier session shows when the window opens. */
  cw_pon_account_store_async (stored, "balie", PON_PASSWORD, NULL, pon_stored_cb, &done);
  wait_for_keyring_write (is_true, &done);

  window = cw_preferences_window_new (NULL, fixture->settings, fixture->connections, fixture->service);
  wait_until (pon_is_loaded, cw_preferences_window_get_pon_account (window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (cw_preferences_window_get_pon_row (window, "username"))), ==, "balie");
  g_assert_cmpstr (row_title (cw_preferences_window_get_pon_row (window, "state")), ==,
                   "The PON account is saved in the keyring");
  cw_test_ui_close_window (GTK_WINDOW (window));
}

/*
 * Fixture: a new desk (empty store, default settings, an empty keyring for the ids used)
 * and the window over it.
 */

static void
clear_credentials_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  cw_connection_clear_credentials_finish (CW_CONNECTION (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
forget_connection (const char *id)
{
  g_autoptr(CwConnection) connection = cw_connection_new (id, "autoflex");
  g_autoptr(GSettings) settings = connection_settings (id);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  gboolean cleared = FALSE;

  cw_connection_clear_credentials_async (connection, NULL, clear_credentials_cb, &cleared);
  wait_for_keyring_write (is_true, &cleared);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  cw_test_ui_reset_data ();
  fixture->settings = g_settings_new (APP_ID);
  g_settings_reset (fixture->settings, "connections");
  g_settings_reset (fixture->settings, "color-scheme");
  forget_connection ("test-autoflex");
  forget_connection ("test-2drive");
  forget_pon_account ();
  g_settings_reset (fixture->settings, "pon-endpoint");
  g_settings_reset (fixture->settings, "pon-ca-file");

  path = cw_store_dup_default_path ();
  fixture->store = cw_store_open (path, &error);
  g_assert_no_error (error);
  fixture->connections = cw_connection_list_new (fixture->settings);
  fixture->service = cw_import_service_new (fixture->store, fixture->connections);

  fixture->window = cw_preferences_window_new (NULL, fixture->settings, fixture->connections, fixture->service);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 720, 800);
  cw_test_ui_wait_until_shown (GTK_WINDOW (fixture->window));
  /* The window looks the PON account up as it opens; typing starts after that. */
  wait_until (pon_is_loaded, cw_preferences_window_get_pon_account (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->window;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) fixture->window)
      gtk_window_destroy (l->data);

  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  cw_test_ui_iterate (100);
  g_assert_null (weak);

  g_clear_object (&fixture->service);
  g_clear_object (&fixture->connections);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->settings);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("cw-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  g_autoptr(GtkCssProvider) css = NULL;
  int status;

  /* libsecret's file backend (the one the Flatpak uses): the test needs no keyring daemon. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  cw_test_ui_init (&argc, &argv);

  /* No animations: a step is complete once its frame is drawn, and a render never shows
   * half a transition. (libadwaita 1.2's leaflet also loses a render node now and then
   * when a subpage slides out, which LeakSanitizer reports.) */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* The app's own style sheet, as AdwApplication loads it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  sim = cw_sim_server_new (2026, NULL);
  g_assert_true (cw_sim_server_listen (sim, 0, NULL));

  ADD ("/preferences/empty", test_preferences_empty);
  ADD ("/preferences/add-connection", test_preferences_add_connection);
  ADD ("/preferences/edit-and-remove", test_preferences_edit_and_remove);
  ADD ("/preferences/test-connection", test_preferences_test_connection);
  ADD ("/preferences/appearance", test_preferences_appearance);
  ADD ("/preferences/accessible-labels", test_preferences_accessible_labels);
  ADD ("/preferences/keyboard", test_preferences_keyboard);
  ADD ("/preferences/wincar-page", test_preferences_wincar_page);
  ADD ("/preferences/renders", test_preferences_renders);
  ADD ("/preferences/pon-account", test_preferences_pon_account);
  ADD ("/preferences/pon-test-connection", test_preferences_pon_test_connection);
  ADD ("/preferences/pon-saved-before", test_preferences_pon_saved_before);

  status = g_test_run ();

  g_clear_object (&sim);
  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
