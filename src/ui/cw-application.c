/* cw-application.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-application"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>

#include "cw-application.h"
#include "cw-ocw-service.h"
#include "cw-outbox-drainer.h"
#include "cw-event-hub.h"
#include "cw-preferences-window.h"
#include "cw-ui.h"
#include "cw-window.h"

/*
 * The application: one instance per desk session (GApplication's uniqueness sends a second
 * start to the running one), owning the local store. The store is opened at start-up; when
 * it cannot be, the window says why and what to do instead of the list.
 */

struct _CwApplication
{
  AdwApplication     parent_instance;

  CwStore           *store;
  GError            *store_error;
  GSettings         *settings;
  GListModel        *connections;
  CwImportService   *import_service;
  CwImportScheduler *scheduler;
  CwOutboxDrainer   *drainer;
  CwEventHub        *event_hub;
  CwPonAccount      *pon_account;
  CwOcwService      *ocw_service;
};

G_DEFINE_FINAL_TYPE (CwApplication, cw_application, ADW_TYPE_APPLICATION)

static void
cw_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  static const char *developers[] = { "Claire Workshop contributors", NULL };
  CwApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("Claire Workshop"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("Claire Workshop contributors"),
                         "developers", developers,
                         "comments", _("Workorders, the workshop process and OCW at the service desk"),
                         "website", "https://github.com/claire-workshop/claire-workshop",
                         "issue-url", "https://github.com/claire-workshop/claire-workshop/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 Claire Workshop contributors",
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
cw_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  CwApplication *self = user_data;

  /* Closing the windows saves their state; quitting then follows. */
  for (GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
       windows != NULL;
       windows = gtk_application_get_windows (GTK_APPLICATION (self)))
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (self));
}

static CwWindow *
present_window (CwApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!CW_IS_WINDOW (window))
    window = GTK_WINDOW (cw_window_new (self));

  gtk_window_present (window);

  return CW_WINDOW (window);
}

static void
cw_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  CwApplication *self = user_data;
  CwWindow *window = present_window (self);
  GtkWindow *preferences;

  preferences = GTK_WINDOW (cw_preferences_window_new (GTK_WINDOW (window), self->settings,
                                                       self->connections, self->import_service));
  gtk_window_present (preferences);
}

/* app.search (s): `gapplication action com.claire.Workshop search "'12345'"`. */
static void
cw_application_search_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  cw_window_search (present_window (user_data), g_variant_get_string (parameter, NULL));
}

/* app.open-workorder (x): the id of a stored workorder, as desktop notifications name it. */
static void
cw_application_open_workorder_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  gint64 id = g_variant_get_int64 (parameter);
  CwWindow *window = present_window (user_data);

  if (id > 0)
    cw_window_open_workorder (window, id);
}

static const GActionEntry app_actions[] = {
  { "about", cw_application_about_action },
  { "quit", cw_application_quit_action },
  { "preferences", cw_application_preferences_action },
  { "search", cw_application_search_action, "s" },
  { "open-workorder", cw_application_open_workorder_action, "x" },
};

/* Appearance follows the setting: the system's choice, or light or dark for this app. */
static void
on_color_scheme_changed_cb (CwApplication *self)
{
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");
  AdwColorScheme color_scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (scheme, "light") == 0)
    color_scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (scheme, "dark") == 0)
    color_scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme);
}

/* The PON client for the address in the settings, made when OCW first asks PON: its HTTP
 * session loads the system's certificates, which the first frame does not wait for. */
static CwPonClient *
new_pon_client (gpointer   user_data,
                GError   **error)
{
  CwApplication *self = user_data;
  g_autofree char *endpoint = g_settings_get_string (self->settings, "pon-endpoint");
  g_autofree char *ca_file = g_settings_get_string (self->settings, "pon-ca-file");

  return cw_pon_client_new (endpoint, *ca_file != '\0' ? ca_file : NULL, self->pon_account, error);
}

static void
on_pon_settings_changed_cb (CwApplication *self)
{
  /* Made again, from the new settings, at the next question. */
  cw_ocw_service_set_client (self->ocw_service, NULL);
}

static void
on_pon_account_loaded_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Without a keyring there is no account (and no OCW button); Preferences says why. */
  if (!cw_pon_account_load_finish (CW_PON_ACCOUNT (source), result, &error))
    g_message ("The PON account cannot be looked up: %s", error->message);
}

static gboolean
load_pon_account_cb (gpointer user_data)
{
  cw_pon_account_load_async (CW_PON_ACCOUNT (user_data), NULL, on_pon_account_loaded_cb, NULL);

  return G_SOURCE_REMOVE;
}

static void
cw_application_startup (GApplication *application)
{
  CwApplication *self = CW_APPLICATION (application);
  g_autofree char *path = NULL;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  cw_ui_ensure_types ();

  G_APPLICATION_CLASS (cw_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed_cb), self, G_CONNECT_SWAPPED);
  on_color_scheme_changed_cb (self);

  /* The PON account (the OCW button's), looked up in the keyring in the background. */
  self->pon_account = cw_pon_account_new ();
  /* After the first frame: opening the keyring takes longer than the frame may wait. */
  g_idle_add_full (G_PRIORITY_LOW, load_pon_account_cb, g_object_ref (self->pon_account), g_object_unref);

  path = cw_store_dup_default_path ();
  self->store = cw_store_open (path, &self->store_error);
  if (self->store == NULL)
    {
      g_warning ("The store at %s cannot be opened: %s", path, self->store_error->message);
      return;
    }

  /* Keep-importing starts with the app, so the list fills without anyone asking. */
  self->connections = cw_connection_list_new (self->settings);
  self->import_service = cw_import_service_new (self->store, self->connections);
  self->scheduler = cw_import_scheduler_new (self->import_service, NULL);
  cw_import_scheduler_start (self->scheduler);

  /* Writeback: what was queued before a crash or while offline goes out now. */
  self->drainer = cw_outbox_drainer_new (self->import_service, g_network_monitor_get_default ());
  cw_outbox_drainer_start (self->drainer);
  /* Realtime changes too, from the DMSs that send them. */
  self->event_hub = cw_event_hub_new (self->import_service, NULL);
  cw_event_hub_start (self->event_hub);

  /* OCW on Volkswagen workorders, through PON, once a PON account is stored. */
  {
    self->ocw_service = cw_ocw_service_new (self->store, self->pon_account, NULL);
    cw_ocw_service_set_client_factory (self->ocw_service, new_pon_client, self);
    g_signal_connect_object (self->settings, "changed::pon-endpoint",
                             G_CALLBACK (on_pon_settings_changed_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (self->settings, "changed::pon-ca-file",
                             G_CALLBACK (on_pon_settings_changed_cb), self, G_CONNECT_SWAPPED);
  }
}

static void
cw_application_activate (GApplication *application)
{
  present_window (CW_APPLICATION (application));
}

/* `claire-workshop TEXT…` opens the window and searches TEXT; a second start hands its
 * arguments to the running instance, which searches there. */
static int
cw_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  CwApplication *self = CW_APPLICATION (application);
  g_auto(GStrv) arguments = g_application_command_line_get_arguments (command_line, NULL);
  g_autofree char *text = NULL;
  CwWindow *window = present_window (self);

  if (arguments[0] != NULL && arguments[1] != NULL)
    {
      text = g_strjoinv (" ", arguments + 1);
      cw_window_search (window, g_strstrip (text));
    }

  return EXIT_SUCCESS;
}

static void
cw_application_shutdown (GApplication *application)
{
  CwApplication *self = CW_APPLICATION (application);

  /* No import may start or write once the app is going. */
  if (self->scheduler != NULL)
    cw_import_scheduler_stop (self->scheduler);
  if (self->drainer != NULL)
    cw_outbox_drainer_stop (self->drainer);
  if (self->event_hub != NULL)
    cw_event_hub_stop (self->event_hub);
  if (self->ocw_service != NULL)
    cw_ocw_service_stop (self->ocw_service);

  G_APPLICATION_CLASS (cw_application_parent_class)->shutdown (application);

  g_clear_object (&self->ocw_service);
  g_clear_object (&self->drainer);
  g_clear_object (&self->event_hub);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->import_service);
  g_clear_object (&self->connections);
  g_clear_object (&self->pon_account);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
}

static void
cw_application_finalize (GObject *object)
{
  CwApplication *self = (CwApplication *)object;

  g_clear_object (&self->ocw_service);
  g_clear_object (&self->drainer);
  g_clear_object (&self->event_hub);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->import_service);
  g_clear_object (&self->connections);
  g_clear_object (&self->pon_account);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (cw_application_parent_class)->finalize (object);
}

static void
cw_application_class_init (CwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = cw_application_finalize;

  application_class->startup = cw_application_startup;
  application_class->activate = cw_application_activate;
  application_class->command_line = cw_application_command_line;
  application_class->shutdown = cw_application_shutdown;
}

static void
cw_application_init (CwApplication *self)
{
}

CwApplication *
cw_application_new (void)
{
  return g_object_new (CW_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

/**
 * cw_application_get_store:
 * @self: a #CwApplication
 *
 * Returns: (transfer none) (nullable): the store, %NULL if it could not be opened (see
 *   cw_application_get_store_error()) or before start-up
 */
CwStore *
cw_application_get_store (CwApplication *self)
{
  g_return_val_if_fail (CW_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * cw_application_get_store_error:
 * @self: a #CwApplication
 *
 * Returns: (transfer none) (nullable): why the store could not be opened
 */
const GError *
cw_application_get_store_error (CwApplication *self)
{
  g_return_val_if_fail (CW_IS_APPLICATION (self), NULL);

  return self->store_error;
}

/**
 * cw_application_get_import_service:
 * @self: a #CwApplication
 *
 * Returns: (transfer none) (nullable): the import service, %NULL without a store
 */
CwImportService *
cw_application_get_import_service (CwApplication *self)
{
  g_return_val_if_fail (CW_IS_APPLICATION (self), NULL);

  return self->import_service;
}

/**
 * cw_application_get_drainer:
 * @self: a #CwApplication
 *
 * Returns: (transfer none) (nullable): the outbox drainer, %NULL without a store
 */
CwOutboxDrainer *
cw_application_get_drainer (CwApplication *self)
{
  g_return_val_if_fail (CW_IS_APPLICATION (self), NULL);

  return self->drainer;
}

/**
 * cw_application_get_scheduler:
 * @self: a #CwApplication
 *
 * Returns: (transfer none) (nullable): the keep-importing scheduler, %NULL without a store
 */
CwImportScheduler *
cw_application_get_scheduler (CwApplication *self)
{
  g_return_val_if_fail (CW_IS_APPLICATION (self), NULL);

  return self->scheduler;
}

/**
 * cw_application_get_ocw_service:
 * @self: a #CwApplication
 *
 * Returns: (transfer none) (nullable): the OCW service, %NULL without a store
 */
CwOcwService *
cw_application_get_ocw_service (CwApplication *self)
{
  g_return_val_if_fail (CW_IS_APPLICATION (self), NULL);

  return self->ocw_service;
}

/**
 * cw_application_get_pon_account:
 * @self: a #CwApplication
 *
 * Returns: (transfer none) (nullable): the dealer's PON account, looked up at start-up;
 *   %NULL before start-up
 */
CwPonAccount *
cw_application_get_pon_account (CwApplication *self)
{
  g_return_val_if_fail (CW_IS_APPLICATION (self), NULL);

  return self->pon_account;
}
