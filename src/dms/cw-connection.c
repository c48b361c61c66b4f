/* cw-connection.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-connection"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "cw-connection.h"
#include "cw-connector.h"
#include "cw-connector-registry.h"

/*
 * A configured DMS connection: which connector, where, and the dealer's options. The
 * settings live in GSettings (a relocatable schema per connection, under
 * /com/claire/Workshop/connections/ID/); every credential lives in the keyring, as one
 * secret per connection holding a small JSON object of the connector's credential fields.
 * Nothing secret is ever written to GSettings, the store or a log. docs/configuration.md.
 */

#define CONNECTION_SCHEMA_ID APP_ID ".Connection"
#define CONNECTION_PATH RESOURCE_BASE_PATH "/connections/"

struct _CwConnection
{
  GObject    parent_instance;

  char      *id;
  char      *kind;
  char      *name;
  char      *endpoint;
  char      *ca_file;
  char      *affiliate_id;
  char      *audience;
  char      *token_url;
  guint      poll_interval;
  guint      writeback : 1;
  guint      import_after_work_started : 1;
  guint      events : 1;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (CwConnection, cw_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_ENDPOINT,
  PROP_CA_FILE,
  PROP_AFFILIATE_ID,
  PROP_AUDIENCE,
  PROP_TOKEN_URL,
  PROP_WRITEBACK,
  PROP_IMPORT_AFTER_WORK_STARTED,
  PROP_EVENTS,
  PROP_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The string properties backed by settings keys of the same name. */
static const guint text_props[] = {
  PROP_KIND, PROP_NAME, PROP_ENDPOINT, PROP_CA_FILE, PROP_AFFILIATE_ID, PROP_AUDIENCE,
  PROP_TOKEN_URL,
};

static char **
text_field (CwConnection *self,
            guint         prop_id)
{
  switch (prop_id)
    {
    case PROP_KIND:
      return &self->kind;
    case PROP_NAME:
      return &self->name;
    case PROP_ENDPOINT:
      return &self->endpoint;
    case PROP_CA_FILE:
      return &self->ca_file;
    case PROP_AFFILIATE_ID:
      return &self->affiliate_id;
    case PROP_AUDIENCE:
      return &self->audience;
    case PROP_TOKEN_URL:
      return &self->token_url;
    default:
      return NULL;
    }
}

static void
cw_connection_finalize (GObject *object)
{
  CwConnection *self = (CwConnection *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->id, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (text_props); i++)
    g_clear_pointer (text_field (self, text_props[i]), g_free);

  G_OBJECT_CLASS (cw_connection_parent_class)->finalize (object);
}

static void
cw_connection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CwConnection *self = CW_CONNECTION (object);
  char **text = text_field (self, prop_id);

  if (text != NULL)
    {
      g_value_set_string (value, *text);
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_WRITEBACK:
      g_value_set_boolean (value, self->writeback);
      break;

    case PROP_IMPORT_AFTER_WORK_STARTED:
      g_value_set_boolean (value, self->import_after_work_started);
      break;

    case PROP_EVENTS:
      g_value_set_boolean (value, self->events);
      break;

    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_connection_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CwConnection *self = CW_CONNECTION (object);
  char **text = text_field (self, prop_id);

  if (text != NULL)
    {
      const char *new_value = g_value_get_string (value);

      /* An empty setting means "not set". */
      if (new_value != NULL && *new_value == '\0')
        new_value = NULL;
      if (g_strcmp0 (*text, new_value) != 0)
        {
          g_free (*text);
          *text = g_strdup (new_value);
          g_object_notify_by_pspec (object, pspec);
        }
      return;
    }

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_WRITEBACK:
      if (self->writeback != g_value_get_boolean (value))
        {
          self->writeback = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_IMPORT_AFTER_WORK_STARTED:
      if (self->import_after_work_started != g_value_get_boolean (value))
        {
          self->import_after_work_started = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_EVENTS:
      if (self->events != g_value_get_boolean (value))
        {
          self->events = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_POLL_INTERVAL:
      if (self->poll_interval != g_value_get_uint (value))
        {
          self->poll_interval = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_connection_class_init (CwConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cw_connection_finalize;
  object_class->get_property = cw_connection_get_property;
  object_class->set_property = cw_connection_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, rw);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_ENDPOINT] = g_param_spec_string ("endpoint", NULL, NULL, NULL, rw);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, rw);
  properties[PROP_AFFILIATE_ID] = g_param_spec_string ("affiliate-id", NULL, NULL, NULL, rw);
  properties[PROP_AUDIENCE] = g_param_spec_string ("audience", NULL, NULL, NULL, rw);
  properties[PROP_TOKEN_URL] = g_param_spec_string ("token-url", NULL, NULL, NULL, rw);
  properties[PROP_WRITEBACK] = g_param_spec_boolean ("writeback", NULL, NULL, FALSE, rw);
  properties[PROP_IMPORT_AFTER_WORK_STARTED] =
    g_param_spec_boolean ("import-after-work-started", NULL, NULL, FALSE, rw);
  properties[PROP_EVENTS] = g_param_spec_boolean ("events", NULL, NULL, TRUE, rw);
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL, 10, 24 * 3600,
                       CW_CONNECTION_DEFAULT_POLL_INTERVAL, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_connection_init (CwConnection *self)
{
  self->poll_interval = CW_CONNECTION_DEFAULT_POLL_INTERVAL;
  self->events = TRUE;
}

/**
 * cw_connection_new:
 * @id: the connection's id: letters, digits and '-'
 * @kind: the connector kind ("autoflex", "2drive")
 *
 * A connection held in memory only (tests, the preferences before saving).
 *
 * Returns: (transfer full): the connection
 */
CwConnection *
cw_connection_new (const char *id,
                   const char *kind)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (CW_TYPE_CONNECTION, "id", id, "kind", kind, NULL);
}

static gboolean
text_from_setting (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_value_set_string (value, g_variant_get_string (variant, NULL));

  return TRUE;
}

/* The object keeps an emptied text as NULL, for which the default mapping writes nothing:
 * a field the advisor empties must be emptied in the settings too. */
static GVariant *
text_to_setting (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  const char *text = g_value_get_string (value);

  return g_variant_new_string (text != NULL ? text : "");
}

/**
 * cw_connection_new_for_settings:
 * @id: the connection's id, as listed in the "connections" key
 *
 * A connection that follows its settings under /com/claire/Workshop/connections/@id/, both
 * ways: a change in the settings updates the object and a property set on the object is
 * saved.
 *
 * Returns: (transfer full): the connection
 */
CwConnection *
cw_connection_new_for_settings (const char *id)
{
  static const struct {
    const char *key;
    const char *property;
  } bindings[] = {
    { "kind", "kind" },
    { "name", "name" },
    { "endpoint", "endpoint" },
    { "ca-file", "ca-file" },
    { "affiliate-id", "affiliate-id" },
    { "audience", "audience" },
    { "token-url", "token-url" },
    { "writeback", "writeback" },
    { "import-after-work-started", "import-after-work-started" },
    { "events", "events" },
    { "poll-interval", "poll-interval" },
  };
  g_autofree char *path = NULL;
  CwConnection *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = cw_connection_new (id, NULL);
  path = g_strconcat (CONNECTION_PATH, id, "/", NULL);
  self->settings = g_settings_new_with_path (CONNECTION_SCHEMA_ID, path);

  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), bindings[i].property);

      if (pspec->value_type == G_TYPE_STRING)
        g_settings_bind_with_mapping (self->settings, bindings[i].key, self, bindings[i].property,
                                      G_SETTINGS_BIND_DEFAULT, text_from_setting, text_to_setting,
                                      NULL, NULL);
      else
        g_settings_bind (self->settings, bindings[i].key, self, bindings[i].property,
                         G_SETTINGS_BIND_DEFAULT);
    }

  return self;
}

const char *
cw_connection_get_id (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  return self->id;
}

const char *
cw_connection_get_kind (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  return self->kind;
}

const char *
cw_connection_get_name (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  return self->name;
}

/**
 * cw_connection_dup_display_name:
 * @self: a #CwConnection
 *
 * Returns: (transfer full): the name the dealer gave the connection, or else the name of
 *   its DMS
 */
char *
cw_connection_dup_display_name (CwConnection *self)
{
  const CwConnectorKind *kind;

  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  if (self->name != NULL)
    return g_strdup (self->name);

  kind = cw_connector_kind_lookup (self->kind);
  if (kind != NULL)
    return g_strdup (g_dgettext (GETTEXT_PACKAGE, kind->label));

  return g_strdup (self->id);
}

const char *
cw_connection_get_endpoint (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  return self->endpoint;
}

const char *
cw_connection_get_ca_file (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  return self->ca_file;
}

const char *
cw_connection_get_affiliate_id (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  return self->affiliate_id;
}

const char *
cw_connection_get_audience (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  return self->audience;
}

const char *
cw_connection_get_token_url (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);

  return self->token_url;
}

gboolean
cw_connection_get_writeback (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), FALSE);

  return self->writeback;
}

/**
 * cw_connection_get_import_after_work_started:
 * @self: a #CwConnection
 *
 * The dealer option; it only counts for connectors that have
 * %CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED.
 *
 * Returns: %TRUE if DMS changes still update a workorder after work started
 */
gboolean
cw_connection_get_import_after_work_started (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), FALSE);

  return self->import_after_work_started;
}

/**
 * cw_connection_get_events:
 * @self: a #CwConnection
 *
 * The dealer option "realtime changes"; it only counts for connectors that have
 * %CW_CAPABILITY_EVENTS. On by default.
 *
 * Returns: %TRUE if the app follows the DMS's change events
 */
gboolean
cw_connection_get_events (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), FALSE);

  return self->events;
}

guint
cw_connection_get_poll_interval (CwConnection *self)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), CW_CONNECTION_DEFAULT_POLL_INTERVAL);

  return self->poll_interval;
}

/*
 * Credentials in the keyring
 */

static const SecretSchema *
credentials_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".DmsCredentials", SECRET_SCHEMA_NONE,
    {
      { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
set_keyring_error (GError     **error,
                   const GError *cause)
{
  g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS,
               _("The keyring cannot be used (%s). Unlock it, or check that a keyring service runs in your session."),
               cause->message);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwConnection *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) credentials = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *display = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      GError *keyring_error = NULL;

      set_keyring_error (&keyring_error, error);
      g_task_return_error (task, keyring_error);
      return;
    }

  display = cw_connection_dup_display_name (self);
  if (secret == NULL || !json_parser_load_from_data (parser, secret, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_task_return_new_error (task, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS,
                               _("No credentials for %s are in the keyring. Enter them in Preferences."),
                               display);
      return;
    }

  credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      g_hash_table_insert (credentials, g_strdup (name), g_strdup (json_node_get_string (value)));

  g_task_return_pointer (task, g_steal_pointer (&credentials), (GDestroyNotify) g_hash_table_unref);
}

/**
 * cw_connection_lookup_credentials_async:
 * @self: a #CwConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring answered
 * @user_data: data for @callback
 *
 * Reads the connection's credentials from the keyring.
 */
void
cw_connection_lookup_credentials_async (CwConnection        *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CW_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_connection_lookup_credentials_async);

  secret_password_lookup (credentials_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "connection", self->id,
                          NULL);
}

/**
 * cw_connection_lookup_credentials_finish:
 *
 * Returns: (transfer full) (element-type utf8 utf8) (nullable): the credential fields by
 *   name; %NULL with %CW_DMS_ERROR_NO_CREDENTIALS when there are none or the keyring
 *   cannot be used
 */
GHashTable *
cw_connection_lookup_credentials_finish (CwConnection  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Ends a write to the keyring: @error, if set, as the keyring's error. */
static void
return_keyring_result (GTask        *task,
                       const GError *error)
{
  GError *keyring_error = NULL;

  if (error == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  set_keyring_error (&keyring_error, error);
  g_task_return_error (task, keyring_error);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_password_store_finish (result, &error);
  return_keyring_result (task, error);
}

/**
 * cw_connection_store_credentials_async:
 * @self: a #CwConnection
 * @credentials: (element-type utf8 utf8): the credential fields by name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring stored them
 * @user_data: data for @callback
 *
 * Stores the credentials in the keyring, replacing what was there.
 */
void
cw_connection_store_credentials_async (CwConnection        *self,
                                       GHashTable          *credentials,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *display = NULL;
  g_autofree char *label = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (CW_IS_CONNECTION (self));
  g_return_if_fail (credentials != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_connection_store_credentials_async);

  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, credentials);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  secret = json_generator_to_data (generator, NULL);

  display = cw_connection_dup_display_name (self);
  /* Translators: the label of the item in the keyring; %s is the connection's name */
  label = g_strdup_printf (_("Claire Workshop: %s credentials"), display);

  secret_password_store (credentials_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, store_cb, g_steal_pointer (&task),
                         "connection", self->id,
                         NULL);
}

gboolean
cw_connection_store_credentials_finish (CwConnection  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Nothing to clear is no error (FALSE without one). */
  secret_password_clear_finish (result, &error);
  return_keyring_result (task, error);
}

/**
 * cw_connection_clear_credentials_async:
 * @self: a #CwConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring forgot them
 * @user_data: data for @callback
 *
 * Removes the connection's credentials from the keyring; having none is not an error.
 */
void
cw_connection_clear_credentials_async (CwConnection        *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CW_IS_CONNECTION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_connection_clear_credentials_async);

  secret_password_clear (credentials_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "connection", self->id,
                         NULL);
}

gboolean
cw_connection_clear_credentials_finish (CwConnection  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (CW_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/*
 * The list of configured connections
 */

static void
reload_connections (GSettings  *settings,
                    const char *key,
                    GListStore *list)
{
  g_auto(GStrv) ids = g_settings_get_strv (settings, "connections");
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);

  /* Keep the objects of connections that stay, so their users keep them too. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      CwConnection *found = NULL;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (list)) && found == NULL; j++)
        {
          g_autoptr(CwConnection) existing = g_list_model_get_item (G_LIST_MODEL (list), j);

          if (g_str_equal (existing->id, ids[i]))
            found = g_object_ref (existing);
        }

      g_ptr_array_add (connections, found != NULL ? found : cw_connection_new_for_settings (ids[i]));
    }

  g_list_store_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)),
                       connections->pdata, connections->len);
}

/**
 * cw_connection_list_new:
 * @settings: the application's settings (schema com.claire.Workshop)
 *
 * Returns: (transfer full): a #GListModel of #CwConnection following the "connections"
 *   key
 */
GListModel *
cw_connection_list_new (GSettings *settings)
{
  GListStore *list;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  list = g_list_store_new (CW_TYPE_CONNECTION);
  g_signal_connect_object (settings, "changed::connections",
                           G_CALLBACK (reload_connections), list, 0);
  reload_connections (settings, "connections", list);

  return G_LIST_MODEL (list);
}
