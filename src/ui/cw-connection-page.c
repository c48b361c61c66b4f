/* cw-connection-page.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-connection-page"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>

#include "cw-connection-page.h"
#include "cw-connector-registry.h"
#include "cw-preferences-window-private.h"

/*
 * One DMS connection in Preferences, shown as a subpage of the preferences window: a new
 * one (the DMS is chosen before; everything is saved at once with "Add") or an existing
 * one (each setting applies on its own: entry rows with their apply button or Enter,
 * switches and the interval at once, the credentials with their Save button).
 *
 * The credentials only ever go to the keyring (cw_connection_store_credentials_async());
 * they are never written to GSettings, the store or a log. "Test" logs in with what is
 * entered, saved or not. Decisions: docs/ui.md, "Preferences".
 */

#define CONNECTION_SCHEMA_ID APP_ID ".Connection"

struct _CwConnectionPage
{
  AdwBin                 parent_instance;

  /* Template widgets */
  AdwWindowTitle        *window_title;
  GtkWidget             *add_button;
  AdwPreferencesGroup   *connection_group;
  AdwEntryRow           *name_row;
  GtkLabel              *kind_label;
  AdwEntryRow           *endpoint_row;
  AdwEntryRow           *token_url_row;
  AdwEntryRow           *audience_row;
  AdwEntryRow           *affiliate_id_row;
  AdwPreferencesGroup   *credentials_group;
  GtkWidget             *save_credentials_button;
  AdwActionRow          *test_row;
  GtkImage              *test_icon;
  GtkSpinner            *test_spinner;
  GtkButton             *test_button;
  AdwActionRow          *writeback_row;
  GtkSwitch             *writeback_switch;
  GtkSwitch             *after_work_switch;
  AdwActionRow          *events_row;
  GtkSwitch             *events_switch;
  AdwActionRow          *interval_row;
  GtkSpinButton         *interval_spin;
  AdwEntryRow           *ca_file_row;
  GtkWidget             *remove_group;

  /* Owned references */
  GSettings             *settings;
  CwImportService       *import_service;
  /* The connection edited: the live one, or for a new one a draft held in memory. */
  CwConnection          *connection;
  /* The credential rows, in the order of the kind's credential fields. */
  GPtrArray             *credential_rows;
  /* The credentials as the keyring holds them, to tell what changed. */
  GHashTable            *stored_credentials;
  /* Reading the keyring and testing; cancelled when the page goes away. */
  GCancellable          *cancellable;
  GCancellable          *test_cancellable;
  GtkFileChooserNative  *file_chooser;

  const CwConnectorKind *kind;
  gboolean               is_new;
  gboolean               testing;
  gboolean               busy;
};

G_DEFINE_FINAL_TYPE (CwConnectionPage, cw_connection_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_IMPORT_SERVICE,
  PROP_CONNECTION,
  PROP_IS_NEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What each credential field is called and whether it is masked. */
static const struct {
  const char *field;
  const char *title;
  gboolean    secret;
} credential_texts[] = {
  { "api_key", N_("API Key"), TRUE },
  { "username", N_("User Name"), FALSE },
  { "password", N_("Password"), TRUE },
  { "client_id", N_("Client ID"), FALSE },
  { "client_secret", N_("Client Secret"), TRUE },
};

/* Every setting of a connection, as CwConnection's properties (= the settings keys). */
static const char * const connection_properties[] = {
  "kind", "name", "endpoint", "ca-file", "affiliate-id", "audience", "token-url",
  "writeback", "import-after-work-started", "events", "poll-interval",
};

/*
 * Small helpers
 */

static gboolean
is_2drive (CwConnectionPage *self)
{
  return self->kind != NULL && g_str_equal (self->kind->kind, "2drive");
}

static char *
dup_trimmed_text (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static void
show_toast (CwConnectionPage *self,
            const char       *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);
  AdwToast *toast;

  if (window == NULL)
    return;

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 8);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), toast);
}

/* Leaves the subpage for the list, with @message as a toast there. */
static void
close_page (CwConnectionPage *self,
            const char       *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window == NULL)
    return;

  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (window));
  if (message != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (message));
}

static void
copy_settings (CwConnection *from,
               CwConnection *to)
{
  for (guint i = 0; i < G_N_ELEMENTS (connection_properties); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_object_get_property (G_OBJECT (from), connection_properties[i], &value);
      g_object_set_property (G_OBJECT (to), connection_properties[i], &value);
    }
}

static GSettings *
connection_settings_new (const char *id)
{
  /* The same path as cw_connection_new_for_settings() uses (docs/configuration.md). */
  g_autofree char *path = g_strconcat (RESOURCE_BASE_PATH "/connections/", id, "/", NULL);

  return g_settings_new_with_path (CONNECTION_SCHEMA_ID, path);
}

/*
 * Writes a new connection's settings to @settings key by key: the draft lives in memory
 * only, bound to no settings, until its credentials are in the keyring. An emptied text
 * (which the connection holds as %NULL) is written as "".
 */
static void
save_settings (CwConnection *connection,
               GSettings    *settings)
{
  for (guint i = 0; i < G_N_ELEMENTS (connection_properties); i++)
    {
      const char *key = connection_properties[i];
      g_auto(GValue) value = G_VALUE_INIT;

      g_object_get_property (G_OBJECT (connection), key, &value);
      if (G_VALUE_HOLDS_STRING (&value))
        g_settings_set_string (settings, key, g_value_get_string (&value) != NULL ? g_value_get_string (&value) : "");
      else if (G_VALUE_HOLDS_BOOLEAN (&value))
        g_settings_set_boolean (settings, key, g_value_get_boolean (&value));
      else if (G_VALUE_HOLDS_UINT (&value))
        g_settings_set_uint (settings, key, g_value_get_uint (&value));
      else
        g_assert_not_reached ();
    }
}

/* A new id never seen before in this desk's list: the store keys workorders by it. */
static char *
generate_id (GSettings  *settings,
             const char *kind)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "connections");

  for (;;)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *id = g_strdup_printf ("%s-%.8s", kind, uuid);

      if (!g_strv_contains ((const char * const *) ids, id))
        return g_steal_pointer (&id);
    }
}

/*
 * The text fields
 */

static GtkWidget *
text_row_for_key (CwConnectionPage *self,
                  const char       *key)
{
  AdwEntryRow *rows[] = {
    self->name_row, self->endpoint_row, self->token_url_row, self->audience_row,
    self->affiliate_id_row, self->ca_file_row,
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (rows[i]), "cw-key"), key) == 0)
      return GTK_WIDGET (rows[i]);

  return NULL;
}

static gboolean
is_web_address (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  return uri != NULL &&
         (g_str_equal (g_uri_get_scheme (uri), "https") || g_str_equal (g_uri_get_scheme (uri), "http")) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

/* Returns: (transfer full) (nullable): what is wrong with the row's text, %NULL if nothing */
static char *
check_text_row (CwConnectionPage *self,
                AdwEntryRow      *row)
{
  const char *key = g_object_get_data (G_OBJECT (row), "cw-key");
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *text = dup_trimmed_text (GTK_EDITABLE (row));
  gboolean required;

  if (!gtk_widget_get_visible (GTK_WIDGET (row)))
    return NULL;

  required = row == self->endpoint_row || row == self->token_url_row ||
             row == self->audience_row || row == self->affiliate_id_row;

  if (*text == '\0')
    return required ? g_strdup_printf (/* Translators: %s is the title of a field, e.g. "Token Audience" */
                                       _("“%s” is empty. Fill it in: the DMS needs it."), title)
                    : NULL;

  if ((row == self->endpoint_row || row == self->token_url_row) && !is_web_address (text))
    return g_strdup_printf (/* Translators: %s is what was typed as an address */
                            _("“%s” is not a web address. Enter the whole address, starting with https://."),
                            text);

  if (g_str_equal (key, "ca-file"))
    {
      if (!g_path_is_absolute (text))
        return g_strdup (_("The certificate authority file must be given with its full path, starting with /. Choose it with the button next to it."));
      if (!g_file_test (text, G_FILE_TEST_IS_REGULAR) || g_access (text, R_OK) != 0)
        return g_strdup_printf (/* Translators: %s is a file's path */
                                _("“%s” cannot be read. Choose a certificate authority file that exists and that you may read."),
                                text);
    }

  return NULL;
}

static void
on_text_row_changed_cb (CwConnectionPage *self,
                        GtkEditable      *row)
{
  g_autofree char *problem = NULL;

  /* An error mark goes as soon as the text is right; a new one waits for Enter. */
  if (!gtk_widget_has_css_class (GTK_WIDGET (row), "error"))
    return;

  problem = check_text_row (self, ADW_ENTRY_ROW (row));
  if (problem == NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* Edit mode: the apply button of an entry row, or Enter in it. */
static void
on_text_row_apply_cb (CwConnectionPage *self,
                      AdwEntryRow      *row)
{
  const char *key = g_object_get_data (G_OBJECT (row), "cw-key");
  g_autofree char *problem = check_text_row (self, row);
  g_autofree char *text = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (problem != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_toast (self, problem);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  text = dup_trimmed_text (GTK_EDITABLE (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  /* Into the settings, which the connection follows (cw_connection_new_for_settings()). */
  settings = connection_settings_new (cw_connection_get_id (self->connection));
  g_settings_set_string (settings, key, text);
}

/* Enter in a row of a new connection adds it, as the button does. */
static void
on_entry_activated_cb (CwConnectionPage *self)
{
  if (self->is_new)
    gtk_widget_activate_action (GTK_WIDGET (self), "page.add", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "page.save-credentials", NULL);
}

static void
label_reveal_button (GtkButton *button)
{
  gboolean shown = g_strcmp0 (gtk_button_get_icon_name (button), "view-conceal-symbolic") == 0;

  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  shown ? _("Hide the text") : _("Show the text"),
                                  -1);
}

/*
 * libadwaita 1.2 gives the apply button of an entry row a tooltip but no accessible label,
 * nor do the button that shows a password and GTK 4.8's buttons of a spin button; a screen
 * reader would only say "button".
 */
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
      else if (g_strcmp0 (icon, "value-decrease-symbolic") == 0 || g_strcmp0 (icon, "value-increase-symbolic") == 0)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          g_str_equal (icon, "value-decrease-symbolic") ? _("Decrease") : _("Increase"),
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

/*
 * Credentials
 */

static GHashTable *
collect_credentials (CwConnectionPage *self)
{
  GHashTable *credentials = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < self->credential_rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->credential_rows, i);

      /* Taken as typed: a password may begin or end with a space. */
      g_hash_table_insert (credentials, g_object_get_data (G_OBJECT (row), "cw-field"),
                           g_strdup (gtk_editable_get_text (row)));
    }

  return credentials;
}

static GtkWidget *
find_empty_credential (CwConnectionPage *self)
{
  for (guint i = 0; i < self->credential_rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->credential_rows, i);

      if (*gtk_editable_get_text (row) == '\0')
        return GTK_WIDGET (row);
    }

  return NULL;
}

static gboolean
credentials_changed (CwConnectionPage *self)
{
  for (guint i = 0; i < self->credential_rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->credential_rows, i);
      const char *stored = NULL;

      if (self->stored_credentials != NULL)
        stored = g_hash_table_lookup (self->stored_credentials,
                                      g_object_get_data (G_OBJECT (row), "cw-field"));
      if (g_strcmp0 (gtk_editable_get_text (row), stored != NULL ? stored : "") != 0)
        return TRUE;
    }

  return FALSE;
}

static void
update_actions (CwConnectionPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.add", self->is_new && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.remove", !self->is_new && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.save-credentials",
                                 !self->is_new && !self->busy && credentials_changed (self));
}

static void
on_credential_changed_cb (CwConnectionPage *self,
                          GtkEditable      *row)
{
  if (*gtk_editable_get_text (row) != '\0')
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  update_actions (self);
}

/* The empty credential @row, marked and focused, with a toast that says so. */
static void
report_empty_credential (CwConnectionPage *self,
                         GtkWidget        *row)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (/* Translators: %s is the title of a credential, e.g. "Password" */
                             _("“%s” is empty. The DMS needs every credential: fill it in."),
                             adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  gtk_widget_add_css_class (row, "error");
  gtk_widget_grab_focus (row);
  show_toast (self, message);
}

static void
add_credential_rows (CwConnectionPage *self)
{
  if (self->kind == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->credentials_group), FALSE);
      return;
    }

  for (guint i = 0; self->kind->credential_fields[i] != NULL; i++)
    {
      const char *field = self->kind->credential_fields[i];
      const char *title = field;
      gboolean secret = TRUE;
      GtkWidget *row;

      for (guint j = 0; j < G_N_ELEMENTS (credential_texts); j++)
        if (g_str_equal (credential_texts[j].field, field))
          {
            title = g_dgettext (GETTEXT_PACKAGE, credential_texts[j].title);
            secret = credential_texts[j].secret;
          }

      row = secret ? adw_password_entry_row_new () : adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_entry_row_set_input_hints (ADW_ENTRY_ROW (row),
                                     GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_NO_EMOJI);
      g_object_set_data (G_OBJECT (row), "cw-field", (gpointer) field);
      g_signal_connect_object (row, "changed", G_CALLBACK (on_credential_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "entry-activated", G_CALLBACK (on_entry_activated_cb), self,
                               G_CONNECT_SWAPPED);
      label_row_buttons (row);
      adw_preferences_group_add (self->credentials_group, row);
      g_ptr_array_add (self->credential_rows, row);
    }
}

static void
lookup_credentials_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CwConnectionPage) self = user_data;
  g_autoptr(GHashTable) credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = cw_connection_lookup_credentials_finish (CW_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (credentials == NULL)
    {
      /* Nothing stored yet, or the keyring cannot be used: the message says which. */
      adw_preferences_group_set_description (self->credentials_group, error->message);
      return;
    }

  g_clear_pointer (&self->stored_credentials, g_hash_table_unref);
  self->stored_credentials = g_steal_pointer (&credentials);

  for (guint i = 0; i < self->credential_rows->len; i++)
    {
      GtkEditable *row = g_ptr_array_index (self->credential_rows, i);
      const char *value = g_hash_table_lookup (self->stored_credentials,
                                               g_object_get_data (G_OBJECT (row), "cw-field"));

      /* Only where the user did not start typing meanwhile. */
      if (*gtk_editable_get_text (row) == '\0' && value != NULL)
        gtk_editable_set_text (row, value);
    }

  update_actions (self);
}

static void
store_credentials_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CwConnectionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;

  if (!cw_connection_store_credentials_finish (CW_CONNECTION (source), result, &error))
    {
      update_actions (self);
      show_toast (self, error->message);
      return;
    }

  g_clear_pointer (&self->stored_credentials, g_hash_table_unref);
  self->stored_credentials = collect_credentials (self);
  /* The next import logs in with the new ones. */
  if (self->import_service != NULL)
    cw_import_service_forget_connector (self->import_service, cw_connection_get_id (self->connection));

  adw_preferences_group_set_description (self->credentials_group,
                                         _("Kept in the keyring of your session, never in the settings"));
  update_actions (self);
  show_toast (self, _("The credentials are saved in the keyring."));
}

static void
cw_connection_page_save_credentials_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  CwConnectionPage *self = CW_CONNECTION_PAGE (widget);
  g_autoptr(GHashTable) credentials = NULL;
  GtkWidget *empty;

  if (self->is_new || self->busy || !credentials_changed (self))
    return;

  if ((empty = find_empty_credential (self)) != NULL)
    {
      report_empty_credential (self, empty);
      return;
    }

  self->busy = TRUE;
  update_actions (self);
  credentials = collect_credentials (self);
  /* Not cancelled with the page: leaving it right after Save still saves. */
  cw_connection_store_credentials_async (self->connection, credentials, NULL,
                                         store_credentials_cb, g_object_ref (self));
}

/*
 * Test connection
 */

/* The connection as entered on the page, saved or not, in memory only. */
static CwConnection *
dup_connection_as_entered (CwConnectionPage *self)
{
  CwConnection *copy = cw_connection_new (cw_connection_get_id (self->connection),
                                          cw_connection_get_kind (self->connection));
  AdwEntryRow *rows[] = {
    self->name_row, self->endpoint_row, self->token_url_row, self->audience_row,
    self->affiliate_id_row, self->ca_file_row,
  };

  copy_settings (self->connection, copy);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (rows[i])))
      {
        g_autofree char *text = dup_trimmed_text (GTK_EDITABLE (rows[i]));

        g_object_set (copy, g_object_get_data (G_OBJECT (rows[i]), "cw-key"), text, NULL);
      }

  return copy;
}

static void
set_testing (CwConnectionPage *self,
             gboolean          testing)
{
  self->testing = testing;
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_button_set_label (self->test_button, testing ? _("_Cancel") : _("_Test"));
  if (testing)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->test_icon), FALSE);
      adw_action_row_set_subtitle (self->test_row, _("Logging in to the DMS…"));
    }
}

static void
show_test_result (CwConnectionPage *self,
                  const GError     *error)
{
  set_testing (self, FALSE);

  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), TRUE);

  if (error == NULL)
    {
      gtk_image_set_from_icon_name (self->test_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Success"), -1);
      adw_action_row_set_subtitle (self->test_row, _("The DMS accepted the login: the connection works."));
    }
  else
    {
      gtk_image_set_from_icon_name (self->test_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Failed"), -1);
      /* The connectors' messages say what happened and what to do. */
      adw_action_row_set_subtitle (self->test_row, error->message);
    }
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CwConnectionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  cw_connector_check_finish (CW_CONNECTOR (source), result, &error);

  /* Cancelled: the user or the page going away did; both already reset the row. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->test_cancellable);
  show_test_result (self, error);
}

static void
cancel_test (CwConnectionPage *self)
{
  if (self->test_cancellable == NULL)
    return;

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  set_testing (self, FALSE);
  adw_action_row_set_subtitle (self->test_row, _("The test was cancelled."));
}

static void
cw_connection_page_test_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CwConnectionPage *self = CW_CONNECTION_PAGE (widget);
  g_autoptr(CwConnection) entered = NULL;
  g_autoptr(GHashTable) credentials = NULL;
  g_autoptr(CwConnector) connector = NULL;
  g_autoptr(GError) error = NULL;

  if (self->testing)
    {
      cancel_test (self);
      return;
    }

  entered = dup_connection_as_entered (self);
  credentials = collect_credentials (self);
  connector = cw_connector_new_for_connection (entered, credentials, &error);
  if (connector == NULL)
    {
      show_test_result (self, error);
      return;
    }

  self->test_cancellable = g_cancellable_new ();
  set_testing (self, TRUE);
  cw_connector_check_async (connector, self->test_cancellable, check_cb, g_object_ref (self));
}

/*
 * Adding a new connection
 */

/* Returns: the first row whose text is wrong, with what is wrong in @problem */
static GtkWidget *
find_wrong_text_row (CwConnectionPage  *self,
                     char             **problem)
{
  AdwEntryRow *rows[] = {
    self->name_row, self->endpoint_row, self->token_url_row, self->audience_row,
    self->affiliate_id_row, self->ca_file_row,
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if ((*problem = check_text_row (self, rows[i])) != NULL)
      return GTK_WIDGET (rows[i]);

  return NULL;
}

static void
add_credentials_stored_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(CwConnectionPage) self = user_data;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  const char *id = cw_connection_get_id (self->connection);

  self->busy = FALSE;
  update_actions (self);

  if (!cw_connection_store_credentials_finish (CW_CONNECTION (source), result, &error))
    {
      /* Nothing is saved: the connection would only fail without its credentials. */
      show_toast (self, error->message);
      return;
    }

  /* The settings first, the list last: the app takes up the connection complete. */
  settings = connection_settings_new (id);
  save_settings (self->connection, settings);

  ids = g_settings_get_strv (self->settings, "connections");
  g_strv_builder_addv (builder, (const char **) ids);
  g_strv_builder_add (builder, id);
  g_clear_pointer (&ids, g_strfreev);
  ids = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "connections", (const char * const *) ids);

  if (self->import_service != NULL)
    cw_import_service_forget_connector (self->import_service, id);

  name = cw_connection_dup_display_name (self->connection);
  /* Translators: %s is the name of the connection */
  message = g_strdup_printf (_("“%s” is added."), name);
  close_page (self, message);
}

static void
cw_connection_page_add_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CwConnectionPage *self = CW_CONNECTION_PAGE (widget);
  g_autoptr(GHashTable) credentials = NULL;
  g_autofree char *problem = NULL;
  AdwEntryRow *rows[] = {
    self->name_row, self->endpoint_row, self->token_url_row, self->audience_row,
    self->affiliate_id_row, self->ca_file_row,
  };
  GtkWidget *wrong;

  if (!self->is_new || self->busy)
    return;

  if ((wrong = find_wrong_text_row (self, &problem)) != NULL)
    {
      gtk_widget_add_css_class (wrong, "error");
      gtk_widget_grab_focus (wrong);
      show_toast (self, problem);
      return;
    }

  if ((wrong = find_empty_credential (self)) != NULL)
    {
      report_empty_credential (self, wrong);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (rows[i])))
      {
        g_autofree char *text = dup_trimmed_text (GTK_EDITABLE (rows[i]));

        g_object_set (self->connection, g_object_get_data (G_OBJECT (rows[i]), "cw-key"), text, NULL);
      }

  /* The credentials go to the keyring first; only then the connection is saved. */
  self->busy = TRUE;
  update_actions (self);
  credentials = collect_credentials (self);
  cw_connection_store_credentials_async (self->connection, credentials, NULL,
                                         add_credentials_stored_cb, g_object_ref (self));
}

/*
 * Removing a connection
 */

static void
forget_connection_settings (CwConnectionPage *self)
{
  const char *id = cw_connection_get_id (self->connection);
  g_auto(GStrv) ids = g_settings_get_strv (self->settings, "connections");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  /* Out of the list first, so nothing uses the connection while its keys reset. */
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_str_equal (ids[i], id))
      g_strv_builder_add (builder, ids[i]);
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "connections", (const char * const *) kept);

  settings = connection_settings_new (id);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  if (self->import_service != NULL)
    cw_import_service_forget_connector (self->import_service, id);
}

static void
remove_credentials_cleared_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(CwConnectionPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  self->busy = FALSE;
  update_actions (self);

  if (!cw_connection_clear_credentials_finish (CW_CONNECTION (source), result, &error))
    {
      /* Kept, so that the credentials can still be removed once the keyring works. */
      show_toast (self, error->message);
      return;
    }

  name = cw_connection_dup_display_name (self->connection);
  forget_connection_settings (self);

  /* Translators: %s is the name of the connection */
  message = g_strdup_printf (_("“%s” is removed, with its credentials."), name);
  close_page (self, message);
}

static void
on_remove_response_cb (CwConnectionPage *self,
                       const char       *response)
{
  if (!g_str_equal (response, "remove") || self->busy)
    return;

  self->busy = TRUE;
  update_actions (self);
  cw_connection_clear_credentials_async (self->connection, NULL,
                                         remove_credentials_cleared_cb, g_object_ref (self));
}

static void
cw_connection_page_remove_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  CwConnectionPage *self = CW_CONNECTION_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = cw_connection_dup_display_name (self->connection);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: %s is the name of the connection */
  heading = g_strdup_printf (_("Remove “%s”?"), name);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Claire Workshop stops importing from this DMS, and its credentials are removed from the keyring. The workorders already imported stay."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/*
 * The certificate authority file
 */

static void
on_file_chosen_cb (CwConnectionPage     *self,
                   int                   response,
                   GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);

  if (path != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->ca_file_row), path);
      if (!self->is_new)
        on_text_row_apply_cb (self, self->ca_file_row);
    }

  g_clear_object (&self->file_chooser);
}

static void
cw_connection_page_choose_ca_file_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  CwConnectionPage *self = CW_CONNECTION_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->file_chooser != NULL)
    return;

  self->file_chooser = gtk_file_chooser_native_new (_("Choose a Certificate Authority File"),
                                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                    GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (pem, _("Certificates (PEM)"));
  gtk_file_filter_add_mime_type (pem, "application/x-x509-ca-cert");
  gtk_file_filter_add_mime_type (pem, "application/x-pem-file");
  gtk_file_filter_add_suffix (pem, "pem");
  gtk_file_filter_add_suffix (pem, "crt");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), pem);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);
  g_signal_connect_object (self->file_chooser, "response", G_CALLBACK (on_file_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
cw_connection_page_back_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  close_page (CW_CONNECTION_PAGE (widget), NULL);
}

/*
 * Setting up for one connection
 */

static gboolean
minutes_from_seconds (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_double (to, g_value_get_uint (from) / 60.0);
  return TRUE;
}

static gboolean
seconds_from_minutes (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_uint (to, (guint) lround (g_value_get_double (from) * 60.0));
  return TRUE;
}

/* The interval in whole minutes, within the key's range. */
static void
set_up_interval (CwConnectionPage *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (self->interval_spin);
  guint min = 60, max = 3600;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, CONNECTION_SCHEMA_ID, TRUE);
  if (schema != NULL)
    {
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, "poll-interval");
      g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
      g_autoptr(GVariant) limits = NULL;
      const char *type;

      g_variant_get (range, "(&sv)", &type, &limits);
      if (g_str_equal (type, "range"))
        g_variant_get (limits, "(uu)", &min, &max);
    }

  gtk_adjustment_set_lower (adjustment, MAX (1, (min + 59) / 60));
  gtk_adjustment_set_upper (adjustment, MAX (1, max / 60));
}

static void
update_title (CwConnectionPage *self)
{
  const char *kind_label = self->kind != NULL ? g_dgettext (GETTEXT_PACKAGE, self->kind->label)
                                              : cw_connection_get_kind (self->connection);

  if (self->is_new)
    {
      g_autofree char *title = NULL;

      /* Translators: the title of the page adding a connection; %s is the DMS */
      title = g_strdup_printf (_("New %s Connection"), kind_label);
      adw_window_title_set_title (self->window_title, title);
    }
  else
    {
      g_autofree char *name = cw_connection_dup_display_name (self->connection);

      adw_window_title_set_title (self->window_title, name);
      adw_window_title_set_subtitle (self->window_title, kind_label);
    }
}

static void
set_up (CwConnectionPage *self)
{
  const char *kind_label;
  AdwEntryRow *rows[] = {
    self->name_row, self->endpoint_row, self->token_url_row, self->audience_row,
    self->affiliate_id_row, self->ca_file_row,
  };

  self->kind = cw_connector_kind_lookup (cw_connection_get_kind (self->connection));
  kind_label = self->kind != NULL ? g_dgettext (GETTEXT_PACKAGE, self->kind->label)
                                  : cw_connection_get_kind (self->connection);
  gtk_label_set_label (self->kind_label, kind_label);
  update_title (self);

  /* What each DMS needs, in its supplier's words. */
  if (is_2drive (self))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->endpoint_row), _("API Address"));
      adw_preferences_group_set_description (self->connection_group,
                                             _("Vinacles gives you the token address and audience, your dealership’s API address and its branch number (AffiliateId)"));
      gtk_widget_set_visible (GTK_WIDGET (self->token_url_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->audience_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->affiliate_id_row), TRUE);
    }
  else if (self->kind != NULL && g_str_equal (self->kind->kind, "autoflex"))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->endpoint_row), _("Autoflex Address"));
      adw_preferences_group_set_description (self->connection_group,
                                             _("Autoflex gives you the address (such as https://api.autoflex10.work/v2) and the API key of your dealership"));
    }
  else if (self->kind != NULL && g_str_equal (self->kind->kind, "incadea"))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->endpoint_row), _("API Address"));
      adw_preferences_group_set_description (self->connection_group,
                                             _("Your Incadea partner gives you your dealership’s API address and the user name and password of its API user"));
    }
  else if (self->kind != NULL && g_str_equal (self->kind->kind, "wincar"))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->endpoint_row), _("API Address"));
      adw_preferences_group_set_description (self->connection_group,
                                             _("Wincar gives you the address of your dealership’s API, and a user name and password for it"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *value = NULL;

      g_object_get (self->connection, g_object_get_data (G_OBJECT (rows[i]), "cw-key"), &value, NULL);
      gtk_editable_set_text (GTK_EDITABLE (rows[i]), value != NULL ? value : "");

      if (self->is_new)
        g_signal_connect_object (rows[i], "entry-activated", G_CALLBACK (on_entry_activated_cb),
                                 self, G_CONNECT_SWAPPED);
      else
        {
          adw_entry_row_set_show_apply_button (rows[i], TRUE);
          g_signal_connect_object (rows[i], "apply", G_CALLBACK (on_text_row_apply_cb), self,
                                   G_CONNECT_SWAPPED);
        }
      g_signal_connect_object (rows[i], "changed", G_CALLBACK (on_text_row_changed_cb), self,
                               G_CONNECT_SWAPPED);
      label_row_buttons (GTK_WIDGET (rows[i]));
    }

  add_credential_rows (self);

  /* The dealer's options apply at once, to the settings or to the draft. */
  g_object_bind_property (self->connection, "writeback", self->writeback_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->connection, "import-after-work-started",
                          self->after_work_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->connection, "events", self->events_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_widget_set_visible (GTK_WIDGET (self->events_row),
                          self->kind != NULL && (self->kind->capabilities & CW_CAPABILITY_EVENTS));
  set_up_interval (self);
  label_row_buttons (GTK_WIDGET (self->interval_spin));
  g_object_bind_property_full (self->connection, "poll-interval", self->interval_spin, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               minutes_from_seconds, seconds_from_minutes, NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->interval_row),
                          self->kind != NULL && (self->kind->capabilities & CW_CAPABILITY_KEEP_IMPORTING));

  /* Writeback is the dealer's choice only where the DMS can take it (DESIGN §3). */
  {
    CwCapabilities caps = self->kind != NULL ? self->kind->capabilities : CW_CAPABILITY_NONE;

    gtk_widget_set_sensitive (GTK_WIDGET (self->writeback_row),
                              (caps & (CW_CAPABILITY_WRITEBACK_INTERVENTIONS | CW_CAPABILITY_WRITEBACK_MILEAGE)) != 0);
    if (!(caps & (CW_CAPABILITY_WRITEBACK_INTERVENTIONS | CW_CAPABILITY_WRITEBACK_MILEAGE)))
      adw_action_row_set_subtitle (self->writeback_row,
                                   _("This DMS cannot take changes from Claire Workshop: they stay in the app"));
    else if (!(caps & CW_CAPABILITY_WRITEBACK_INTERVENTIONS))
      adw_action_row_set_subtitle (self->writeback_row,
                                   _("A mileage higher than the DMS’s goes to the DMS; this DMS takes no interventions from Claire Workshop"));
  }

  gtk_widget_set_visible (self->add_button, self->is_new);
  gtk_widget_set_visible (self->save_credentials_button, !self->is_new);
  gtk_widget_set_visible (self->remove_group, !self->is_new);

  if (!self->is_new)
    {
      g_signal_connect_object (self->connection, "notify::name", G_CALLBACK (update_title), self,
                               G_CONNECT_SWAPPED);
      if (self->kind != NULL)
        cw_connection_lookup_credentials_async (self->connection, self->cancellable,
                                                lookup_credentials_cb, g_object_ref (self));
    }

  update_actions (self);
}

/*
 * GObject and GtkWidget
 */

static void
cw_connection_page_constructed (GObject *object)
{
  CwConnectionPage *self = (CwConnectionPage *)object;

  G_OBJECT_CLASS (cw_connection_page_parent_class)->constructed (object);

  if (self->connection != NULL && self->settings != NULL)
    set_up (self);
  else
    update_actions (self);
}

/* Reads and tests stop when the page leaves the window; saving and removing go on. */
static void
cw_connection_page_unroot (GtkWidget *widget)
{
  CwConnectionPage *self = CW_CONNECTION_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  cancel_test (self);

  GTK_WIDGET_CLASS (cw_connection_page_parent_class)->unroot (widget);
}

static void
cw_connection_page_dispose (GObject *object)
{
  CwConnectionPage *self = (CwConnectionPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->test_cancellable != NULL)
    g_cancellable_cancel (self->test_cancellable);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_CONNECTION_PAGE);

  g_clear_object (&self->file_chooser);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->import_service);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cw_connection_page_parent_class)->dispose (object);
}

static void
cw_connection_page_finalize (GObject *object)
{
  CwConnectionPage *self = (CwConnectionPage *)object;

  g_clear_pointer (&self->credential_rows, g_ptr_array_unref);
  g_clear_pointer (&self->stored_credentials, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cw_connection_page_parent_class)->finalize (object);
}

static void
cw_connection_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CwConnectionPage *self = CW_CONNECTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_IMPORT_SERVICE:
      g_value_set_object (value, self->import_service);
      break;

    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_IS_NEW:
      g_value_set_boolean (value, self->is_new);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_connection_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CwConnectionPage *self = CW_CONNECTION_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_IMPORT_SERVICE:
      self->import_service = g_value_dup_object (value);
      break;

    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;

    case PROP_IS_NEW:
      self->is_new = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_connection_page_class_init (CwConnectionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cw_connection_page_constructed;
  object_class->dispose = cw_connection_page_dispose;
  object_class->finalize = cw_connection_page_finalize;
  object_class->get_property = cw_connection_page_get_property;
  object_class->set_property = cw_connection_page_set_property;

  widget_class->unroot = cw_connection_page_unroot;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS, flags);
  properties[PROP_IMPORT_SERVICE] =
    g_param_spec_object ("import-service", NULL, NULL, CW_TYPE_IMPORT_SERVICE, flags);
  /**
   * CwConnectionPage:connection:
   *
   * The connection shown: a live one (cw_connection_new_for_settings()), or the draft of
   * a new one (cw_connection_new()) when #CwConnectionPage:is-new is set.
   */
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, CW_TYPE_CONNECTION, flags);
  properties[PROP_IS_NEW] =
    g_param_spec_boolean ("is-new", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-connection-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, connection_group);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, kind_label);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, token_url_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, audience_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, affiliate_id_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, save_credentials_button);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, test_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, test_icon);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, writeback_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, writeback_switch);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, after_work_switch);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, events_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, events_switch);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, interval_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, CwConnectionPage, remove_group);

  gtk_widget_class_install_action (widget_class, "page.back", NULL, cw_connection_page_back_action);
  gtk_widget_class_install_action (widget_class, "page.add", NULL, cw_connection_page_add_action);
  gtk_widget_class_install_action (widget_class, "page.save-credentials", NULL,
                                   cw_connection_page_save_credentials_action);
  gtk_widget_class_install_action (widget_class, "page.test", NULL, cw_connection_page_test_action);
  gtk_widget_class_install_action (widget_class, "page.remove", NULL, cw_connection_page_remove_action);
  gtk_widget_class_install_action (widget_class, "page.choose-ca-file", NULL,
                                   cw_connection_page_choose_ca_file_action);

  /* Alt+Left goes back, as on every GNOME subpage; Escape closes the whole window. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "page.back", NULL);
}

static void
cw_connection_page_init (CwConnectionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->credential_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  g_object_set_data (G_OBJECT (self->name_row), "cw-key", (gpointer) "name");
  g_object_set_data (G_OBJECT (self->endpoint_row), "cw-key", (gpointer) "endpoint");
  g_object_set_data (G_OBJECT (self->token_url_row), "cw-key", (gpointer) "token-url");
  g_object_set_data (G_OBJECT (self->audience_row), "cw-key", (gpointer) "audience");
  g_object_set_data (G_OBJECT (self->affiliate_id_row), "cw-key", (gpointer) "affiliate-id");
  g_object_set_data (G_OBJECT (self->ca_file_row), "cw-key", (gpointer) "ca-file");
}

/**
 * cw_connection_page_new_for_kind:
 * @kind: a connector kind from the registry ("autoflex")
 * @settings: the application's settings
 * @service: (nullable): the import service
 *
 * A page to add a connection of @kind; nothing is saved until its "Add".
 *
 * Returns: (transfer floating): the page
 */
CwConnectionPage *
cw_connection_page_new_for_kind (const char      *kind,
                                 GSettings       *settings,
                                 CwImportService *service)
{
  g_autoptr(CwConnection) draft = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (cw_connector_kind_lookup (kind) != NULL, NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  id = generate_id (settings, kind);
  draft = cw_connection_new (id, kind);

  return g_object_new (CW_TYPE_CONNECTION_PAGE,
                       "settings", settings,
                       "import-service", service,
                       "connection", draft,
                       "is-new", TRUE,
                       NULL);
}

/**
 * cw_connection_page_new_for_connection:
 * @connection: a connection that follows its settings
 * @settings: the application's settings
 * @service: (nullable): the import service
 *
 * A page to edit or remove @connection; each change applies on its own.
 *
 * Returns: (transfer floating): the page
 */
CwConnectionPage *
cw_connection_page_new_for_connection (CwConnection    *connection,
                                       GSettings       *settings,
                                       CwImportService *service)
{
  g_return_val_if_fail (CW_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (CW_TYPE_CONNECTION_PAGE,
                       "settings", settings,
                       "import-service", service,
                       "connection", connection,
                       NULL);
}

CwConnection *
cw_connection_page_get_connection (CwConnectionPage *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION_PAGE (self), NULL);

  return self->connection;
}

gboolean
cw_connection_page_get_is_new (CwConnectionPage *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION_PAGE (self), FALSE);

  return self->is_new;
}

/*
 * For the tests (cw-preferences-window-private.h)
 */

/* The row of a setting, by its key ("endpoint", "writeback", "poll-interval"…). */
GtkWidget *
cw_connection_page_get_field_row (CwConnectionPage *self,
                                  const char       *key)
{
  g_return_val_if_fail (CW_IS_CONNECTION_PAGE (self), NULL);

  if (g_str_equal (key, "writeback"))
    return GTK_WIDGET (self->writeback_switch);
  if (g_str_equal (key, "import-after-work-started"))
    return GTK_WIDGET (self->after_work_switch);
  if (g_str_equal (key, "events"))
    return GTK_WIDGET (self->events_switch);
  if (g_str_equal (key, "poll-interval"))
    return GTK_WIDGET (self->interval_spin);

  return text_row_for_key (self, key);
}

GtkWidget *
cw_connection_page_get_credential_row (CwConnectionPage *self,
                                       const char       *field)
{
  g_return_val_if_fail (CW_IS_CONNECTION_PAGE (self), NULL);

  for (guint i = 0; i < self->credential_rows->len; i++)
    if (g_strcmp0 (g_object_get_data (g_ptr_array_index (self->credential_rows, i), "cw-field"), field) == 0)
      return g_ptr_array_index (self->credential_rows, i);

  return NULL;
}

AdwActionRow *
cw_connection_page_get_test_row (CwConnectionPage *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION_PAGE (self), NULL);

  return self->test_row;
}

gboolean
cw_connection_page_get_testing (CwConnectionPage *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION_PAGE (self), FALSE);

  return self->testing;
}

gboolean
cw_connection_page_get_busy (CwConnectionPage *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION_PAGE (self), FALSE);

  return self->busy;
}
