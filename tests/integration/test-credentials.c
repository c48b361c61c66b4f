/* test-credentials.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

#include "cw-connection.h"
#include "cw-connector.h"
#include "cw-keyring-harness.h"
#include "cw-store.h"

/*
 * A DMS connection's credentials against the real gnome-keyring of the harness: stored as
 * one item of the schema com.claire.Workshop.DmsCredentials with the connection's id as its
 * attribute, read back field by field, cleared; and written nowhere else: not in the
 * connection's settings (a real keyfile backend here), not in the store.
 */

#define SECRET_TEXT "s3cr3t-Ünïcode-€"

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Call;

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;

  call->result = g_object_ref (result);
  call->done = TRUE;
}

static void
call_wait (Call *call)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!call->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static GHashTable *
lookup (CwConnection  *connection,
        GError       **error)
{
  Call call = { 0 };
  GHashTable *credentials;

  cw_connection_lookup_credentials_async (connection, NULL, call_done_cb, &call);
  call_wait (&call);
  credentials = cw_connection_lookup_credentials_finish (connection, call.result, error);
  g_object_unref (call.result);

  return credentials;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return g_strstr_len (contents, length, needle) != NULL;
}

static gboolean
tree_contains (const char *path,
               const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) ? tree_contains (child, needle)
                                                   : file_contains (child, needle))
        return TRUE;
    }

  return FALSE;
}

static void
test_credentials_round_trip (void)
{
  g_autoptr(CwConnection) connection = NULL;
  g_autoptr(GHashTable) credentials = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GList) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwStore) store = NULL;
  g_autofree char *id = NULL;
  g_autofree char *db = NULL;
  Call call = { 0 };

  if (!cw_keyring_harness_require ())
    return;

  /* A connection that follows its settings, stored by the keyfile backend in this
   * process's private config folder, so the test can look at what was written. */
  id = g_strdup_printf ("test-%08x", g_random_int ());
  connection = cw_connection_new_for_settings (id);
  g_object_set (connection, "kind", "autoflex", "endpoint", "https://example.invalid/v2",
                "name", "Autoflex (test)", NULL);
  db = g_build_filename (g_get_user_data_dir (), "workshop.db", NULL);
  store = cw_store_open (db, &error);
  g_assert_no_error (error);

  g_hash_table_insert (credentials, (gpointer) "api_key", (gpointer) "key-" SECRET_TEXT);
  g_hash_table_insert (credentials, (gpointer) "username", (gpointer) "desk@garage.nl");
  g_hash_table_insert (credentials, (gpointer) "password", (gpointer) SECRET_TEXT);
  cw_connection_store_credentials_async (connection, credentials, NULL, call_done_cb, &call);
  call_wait (&call);
  g_assert_true (cw_connection_store_credentials_finish (connection, call.result, &error));
  g_assert_no_error (error);
  g_clear_object (&call.result);

  /* In the keyring, under the schema and the connection id, as one item. */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "connection", id);
  items = secret_password_searchv_sync (&(SecretSchema) {
                                          APP_ID ".DmsCredentials", SECRET_SCHEMA_NONE,
                                          { { "connection", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } } },
                                        attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (g_steal_pointer (&items), g_object_unref);

  found = lookup (connection, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "password"), ==, SECRET_TEXT);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, "key-" SECRET_TEXT);
  g_assert_cmpstr (g_hash_table_lookup (found, "username"), ==, "desk@garage.nl");

  /* Nowhere else: not in the settings, not in the store. */
  g_settings_sync ();
  g_assert_true (tree_contains (g_get_user_config_dir (), "example.invalid"));
  g_assert_false (tree_contains (g_get_user_config_dir (), SECRET_TEXT));
  g_assert_false (tree_contains (g_get_user_config_dir (), "desk@garage.nl"));
  g_assert_false (tree_contains (g_get_user_data_dir (), SECRET_TEXT));

  /* Forgotten: the next lookup says how to enter them again. */
  call = (Call) { 0 };
  cw_connection_clear_credentials_async (connection, NULL, call_done_cb, &call);
  call_wait (&call);
  g_assert_true (cw_connection_clear_credentials_finish (connection, call.result, &error));
  g_clear_object (&call.result);
  g_clear_pointer (&found, g_hash_table_unref);
  found = lookup (connection, &error);
  g_assert_null (found);
  g_assert_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS);
  g_assert_nonnull (strstr (error->message, "Preferences"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The settings are written to a file here, so the test can read what was written. */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);

  g_test_add_func ("/credentials/round-trip", test_credentials_round_trip);

  return g_test_run ();
}
