/* cw-preferences-window.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-preferences-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-connection-page.h"
#include "cw-connector-registry.h"
#include "cw-preferences-window-private.h"
#include "cw-preferences-window.h"

/*
 * Preferences: the DMS connections (a list; adding, editing and removing one happens on a
 * subpage, CwConnectionPage) and the app's style. The window writes settings only; the
 * application follows them (the style through AdwStyleManager, the connections through
 * the live list of cw_connection_list_new()). Decisions: docs/ui.md, "Preferences".
 */

struct _CwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkMenuButton        *add_button;
  GtkStack             *connections_stack;
  GtkListBox           *connection_list;
  GtkMenuButton        *empty_add_button;

  /* Owned references */
  GSettings            *settings;
  GListModel           *connections;
  CwImportService      *import_service;

  /* The subpage shown, if any (weak) */
  CwConnectionPage     *subpage;
};

G_DEFINE_FINAL_TYPE (CwPreferencesWindow, cw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CONNECTIONS,
  PROP_IMPORT_SERVICE,
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

  label_search_button (GTK_WIDGET (self));
}

static void
cw_preferences_window_dispose (GObject *object)
{
  CwPreferencesWindow *self = (CwPreferencesWindow *)object;

  if (self->connection_list != NULL)
    gtk_list_box_bind_model (self->connection_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_PREFERENCES_WINDOW);

  g_clear_weak_pointer (&self->subpage);
  g_clear_object (&self->connections);
  g_clear_object (&self->import_service);
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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, add_button);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, connections_stack);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, connection_list);
  gtk_widget_class_bind_template_child (widget_class, CwPreferencesWindow, empty_add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_connection_activated_cb);

  gtk_widget_class_install_action (widget_class, "prefs.add-connection", "s",
                                   cw_preferences_window_add_connection_action);

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
