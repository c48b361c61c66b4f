/* cw-pon-account.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-pon-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "cw-pon-account.h"
#include "cw-text.h"

/*
 * The dealer's PON account (DESIGN §4): one item in the keyring, libsecret schema
 * com.claire.Workshop.PonAccount with the attributes account="pon" and username=<the user
 * name>, the password as its secret (docs/configuration.md). The user name is an attribute
 * so that the app knows whether there is an account, and whose, without unlocking the
 * keyring; the password is read only when a login needs it, and never kept here.
 *
 * When no keyring can keep the password (no Secret Service in the session, a keyring that
 * refuses), the account is kept in this object's memory for this run only ("session only"),
 * and nowhere else: never in GSettings, a file or a log.
 */

#define ACCOUNT_ATTRIBUTE "pon"

struct _CwPonAccount
{
  GObject   parent_instance;

  char     *username;
  /* Only while session-only: the password no keyring could keep. */
  char     *session_password;
  gboolean  session_only;
  gboolean  loaded;
  /* Bumped by every store and forget, so a lookup that started before one does not undo
   * it when it ends. */
  guint     generation;
};

G_DEFINE_FINAL_TYPE (CwPonAccount, cw_pon_account, G_TYPE_OBJECT)

G_DEFINE_QUARK (cw-pon-account-error-quark, cw_pon_account_error)

enum {
  PROP_0,
  PROP_HAS_ACCOUNT,
  PROP_USERNAME,
  PROP_SESSION_ONLY,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const SecretSchema *
pon_schema (void)
{
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

/**
 * cw_pon_account_free_password:
 * @password: (nullable) (transfer full): a password from
 *   cw_pon_account_lookup_password_finish()
 *
 * Overwrites the password's memory, then frees it.
 */
void
cw_pon_account_free_password (char *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

static void
clear_session_password (CwPonAccount *self)
{
  g_clear_pointer (&self->session_password, cw_pon_account_free_password);
}

/* Sets what the account is, notifying what changed; does not emit ::changed. */
static void
set_account (CwPonAccount *self,
             const char   *username,
             gboolean      session_only,
             const char   *session_password)
{
  gboolean had_account = cw_pon_account_get_has_account (self);

  g_object_freeze_notify (G_OBJECT (self));

  clear_session_password (self);
  if (session_only)
    self->session_password = g_strdup (session_password);

  if (g_strcmp0 (self->username, username) != 0)
    {
      g_free (self->username);
      self->username = g_strdup (username);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
    }

  if (self->session_only != session_only)
    {
      self->session_only = session_only;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ONLY]);
    }

  if (had_account != cw_pon_account_get_has_account (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_ACCOUNT]);

  g_object_thaw_notify (G_OBJECT (self));
}

static GError *
keyring_error_new (const GError *cause)
{
  return g_error_new (CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_NO_KEYRING,
                      /* Translators: %s is the keyring's own explanation */
                      _("The keyring cannot be used (%s). Unlock it, or check that a keyring "
                        "service runs in your session."),
                      cause->message);
}

/*
 * GObject
 */

static void
cw_pon_account_finalize (GObject *object)
{
  CwPonAccount *self = (CwPonAccount *)object;

  clear_session_password (self);
  g_clear_pointer (&self->username, g_free);

  G_OBJECT_CLASS (cw_pon_account_parent_class)->finalize (object);
}

static void
cw_pon_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CwPonAccount *self = CW_PON_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_HAS_ACCOUNT:
      g_value_set_boolean (value, cw_pon_account_get_has_account (self));
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_SESSION_ONLY:
      g_value_set_boolean (value, self->session_only);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_pon_account_class_init (CwPonAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cw_pon_account_finalize;
  object_class->get_property = cw_pon_account_get_property;

  /**
   * CwPonAccount:has-account:
   *
   * Whether there is a PON account: in the keyring, or for this run only.
   */
  properties[PROP_HAS_ACCOUNT] = g_param_spec_boolean ("has-account", NULL, NULL, FALSE, flags);

  /**
   * CwPonAccount:username:
   *
   * The account's user name, %NULL without one.
   */
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, flags);

  /**
   * CwPonAccount:session-only:
   *
   * No keyring could keep the account: it is kept in memory until the app quits.
   */
  properties[PROP_SESSION_ONLY] = g_param_spec_boolean ("session-only", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CwPonAccount::changed:
   *
   * The account was stored, forgotten or first looked up.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cw_pon_account_init (CwPonAccount *self)
{
}

/**
 * cw_pon_account_new:
 *
 * An account that knows nothing yet: call cw_pon_account_load_async().
 *
 * Returns: (transfer full): the account
 */
CwPonAccount *
cw_pon_account_new (void)
{
  return g_object_new (CW_TYPE_PON_ACCOUNT, NULL);
}

gboolean
cw_pon_account_get_has_account (CwPonAccount *self)
{
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (self), FALSE);

  return self->username != NULL;
}

/**
 * cw_pon_account_get_username:
 * @self: a #CwPonAccount
 *
 * Returns: (nullable): the user name, %NULL without an account (or before it was looked up)
 */
const char *
cw_pon_account_get_username (CwPonAccount *self)
{
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (self), NULL);

  return self->username;
}

gboolean
cw_pon_account_get_session_only (CwPonAccount *self)
{
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (self), FALSE);

  return self->session_only;
}

/**
 * cw_pon_account_get_loaded:
 * @self: a #CwPonAccount
 *
 * Returns: whether the keyring was asked (with or without success), or the account was
 *   stored or forgotten since
 */
gboolean
cw_pon_account_get_loaded (CwPonAccount *self)
{
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (self), FALSE);

  return self->loaded;
}

/*
 * Looking the account up
 */

/* The user name of the newest item found, or NULL. */
static char *
dup_newest_username (GList *items)
{
  SecretRetrievable *newest = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  for (GList *l = items; l != NULL; l = l->next)
    if (newest == NULL ||
        secret_retrievable_get_modified (l->data) > secret_retrievable_get_modified (newest))
      newest = l->data;

  if (newest == NULL)
    return NULL;

  attributes = secret_retrievable_get_attributes (newest);

  return cw_text_dup_stripped (g_hash_table_lookup (attributes, "username"));
}

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwPonAccount *self = g_task_get_source_object (task);
  guint generation = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autolist(SecretRetrievable) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;
  gboolean first = !self->loaded;

  items = secret_password_search_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A store or forget since the search started knows better. */
  if (generation != self->generation)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->loaded = TRUE;

  if (error != NULL)
    {
      g_debug ("The PON account cannot be looked up: %s", error->message);
      /* An account kept for this run stays; without one, there is none. */
      if (!self->session_only)
        set_account (self, NULL, FALSE, NULL);
      if (first)
        g_signal_emit (self, signals[CHANGED], 0);
      g_task_return_error (task, keyring_error_new (error));
      return;
    }

  username = dup_newest_username (items);
  if (username == NULL && self->session_only)
    {
      /* The keyring works but holds nothing: the account of this run stays. */
      if (first)
        g_signal_emit (self, signals[CHANGED], 0);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (first || g_strcmp0 (username, self->username) != 0 || self->session_only)
    {
      set_account (self, username, FALSE, NULL);
      g_signal_emit (self, signals[CHANGED], 0);
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * cw_pon_account_load_async:
 * @self: a #CwPonAccount
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring answered
 * @user_data: data for @callback
 *
 * Looks the account up in the keyring (its user name; the password stays there). Emits
 * ::changed the first time, and whenever the answer differs from what the object held.
 */
void
cw_pon_account_load_async (CwPonAccount        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CW_IS_PON_ACCOUNT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_pon_account_load_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (self->generation), NULL);

  secret_password_search (pon_schema (), SECRET_SEARCH_ALL, cancellable, search_cb,
                          g_steal_pointer (&task),
                          "account", ACCOUNT_ATTRIBUTE,
                          NULL);
}

/**
 * cw_pon_account_load_finish:
 *
 * Returns: %TRUE when the keyring answered (with or without an account);
 *   %FALSE with %CW_PON_ACCOUNT_ERROR_NO_KEYRING when it cannot be used
 */
gboolean
cw_pon_account_load_finish (CwPonAccount  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/*
 * The password
 */

static void
password_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (error != NULL)
    g_task_return_error (task, keyring_error_new (error));
  else
    g_task_return_pointer (task, password, (GDestroyNotify) cw_pon_account_free_password);
}

static void
lookup_password (GTask *task)
{
  CwPonAccount *self = g_task_get_source_object (task);

  if (self->session_only)
    {
      g_task_return_pointer (task, g_strdup (self->session_password),
                             (GDestroyNotify) cw_pon_account_free_password);
      g_object_unref (task);
      return;
    }

  if (self->username == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }

  secret_password_lookup (pon_schema (), g_task_get_cancellable (task), password_lookup_cb, task,
                          "account", ACCOUNT_ATTRIBUTE,
                          "username", self->username,
                          NULL);
}

static void
load_then_lookup_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!cw_pon_account_load_finish (CW_PON_ACCOUNT (source), result, &error) &&
      !CW_PON_ACCOUNT (source)->session_only)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  lookup_password (task);
}

/**
 * cw_pon_account_lookup_password_async:
 * @self: a #CwPonAccount
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the password
 * @user_data: data for @callback
 *
 * Reads the password from the keyring (from memory when session-only), looking the account
 * up first if that has not been done yet. A login asks for it each time and frees it once
 * sent.
 */
void
cw_pon_account_lookup_password_async (CwPonAccount        *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CW_IS_PON_ACCOUNT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_pon_account_lookup_password_async);

  if (!self->loaded && !self->session_only)
    cw_pon_account_load_async (self, cancellable, load_then_lookup_cb, task);
  else
    lookup_password (task);
}

/**
 * cw_pon_account_lookup_password_finish:
 *
 * Returns: (transfer full) (nullable): the password, to free with
 *   cw_pon_account_free_password(); %NULL without an error when there is no account (or
 *   its password is gone from the keyring); %NULL with %CW_PON_ACCOUNT_ERROR_NO_KEYRING when
 *   the keyring cannot be used
 */
char *
cw_pon_account_lookup_password_finish (CwPonAccount  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/*
 * Storing and forgetting
 */

typedef struct
{
  char *username;
  char *password;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->username);
  cw_pon_account_free_password (data->password);
  g_free (data);
}

/* No keyring could take it: kept for this run, and said plainly. */
static void
store_in_memory (GTask        *task,
                 const GError *cause)
{
  CwPonAccount *self = g_task_get_source_object (task);
  StoreData *data = g_task_get_task_data (task);

  g_debug ("No keyring can keep the PON password: %s", cause->message);

  self->loaded = TRUE;
  set_account (self, data->username, TRUE, data->password);
  g_signal_emit (self, signals[CHANGED], 0);

  g_task_return_new_error (task, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_NO_KEYRING,
                           _("No keyring could keep the password: it is kept until Claire "
                             "Workshop quits. To keep it for good, unlock or set up the "
                             "keyring of your session and save the account again."));
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwPonAccount *self = g_task_get_source_object (task);
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  secret_password_store_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (error != NULL)
    {
      store_in_memory (task, error);
      return;
    }

  self->loaded = TRUE;
  set_account (self, data->username, FALSE, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

static void
clear_before_store_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* Nothing to clear is no error (FALSE without one). */
  secret_password_clear_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (error != NULL)
    {
      store_in_memory (task, error);
      return;
    }

  secret_password_store (pon_schema (), SECRET_COLLECTION_DEFAULT,
                         /* Translators: the label of the item in the keyring */
                         _("Claire Workshop: PON account"),
                         data->password, cancellable, store_cb, g_steal_pointer (&task),
                         "account", ACCOUNT_ATTRIBUTE,
                         "username", data->username,
                         NULL);
}

/**
 * cw_pon_account_store_async:
 * @self: a #CwPonAccount
 * @username: the PON user name (surrounding blanks are dropped)
 * @password: the PON password, as typed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when stored
 * @user_data: data for @callback
 *
 * Stores the account in the keyring, replacing the one there (of any user name). When no
 * keyring can keep it, the account is kept in memory for this run (session-only) and the
 * result is %CW_PON_ACCOUNT_ERROR_NO_KEYRING with a message that says so. Emits ::changed.
 */
void
cw_pon_account_store_async (CwPonAccount        *self,
                            const char          *username,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreData *data;

  g_return_if_fail (CW_IS_PON_ACCOUNT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_pon_account_store_async);

  data = g_new0 (StoreData, 1);
  data->username = cw_text_dup_stripped (username);
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  if (data->username == NULL || data->password == NULL || *data->password == '\0')
    {
      g_task_return_new_error (task, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_INVALID,
                               data->username == NULL
                               ? _("Enter the PON user name.")
                               : _("Enter the PON password."));
      return;
    }

  self->generation++;

  /* One account: the item of an earlier user name goes first. */
  secret_password_clear (pon_schema (), cancellable, clear_before_store_cb, g_steal_pointer (&task),
                         "account", ACCOUNT_ATTRIBUTE,
                         NULL);
}

/**
 * cw_pon_account_store_finish:
 *
 * Returns: %TRUE when the keyring keeps the account
 */
gboolean
cw_pon_account_store_finish (CwPonAccount  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
forget_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CwPonAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* An account of this run only was never in the keyring: forgetting it always works. */
  if (error != NULL && !self->session_only)
    {
      g_task_return_error (task, keyring_error_new (error));
      return;
    }

  self->loaded = TRUE;
  set_account (self, NULL, FALSE, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * cw_pon_account_forget_async:
 * @self: a #CwPonAccount
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when forgotten
 * @user_data: data for @callback
 *
 * Removes the account from the keyring (and from memory); having none is not an error.
 * Emits ::changed.
 */
void
cw_pon_account_forget_async (CwPonAccount        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CW_IS_PON_ACCOUNT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_pon_account_forget_async);

  self->generation++;

  secret_password_clear (pon_schema (), cancellable, forget_cb, g_steal_pointer (&task),
                         "account", ACCOUNT_ATTRIBUTE,
                         NULL);
}

gboolean
cw_pon_account_forget_finish (CwPonAccount  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
