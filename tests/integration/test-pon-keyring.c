/* test-pon-keyring.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "cw-keyring-harness.h"
#include "cw-pon-client.h"
#include "cw-sim-server.h"
#include "cw-store.h"

/*
 * The PON account against the real gnome-keyring of the harness: stored as one item of the
 * schema com.claire.Workshop.PonAccount (attributes account and username), used by the PON
 * client for a login against the simulator, and written nowhere else: not in the settings
 * (a real keyfile backend here), not in the store, not in the HTTP debug log
 * (CLAIRE_WORKSHOP_HTTP_DEBUG=1). And, in a child process with no Secret Service on its
 * bus, kept for the session only with a plain message, and still written nowhere.
 */

#define PASSWORD "Pon-s3cr3t-Ünïcode-€"
#define USERNAME "werkplaats@garage-vangils.nl"

static const SecretSchema pon_schema = {
  APP_ID ".PonAccount", SECRET_SCHEMA_NONE,
  {
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct
{
  GAsyncResult *result;
} Call;

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;

  call->result = g_object_ref (result);
}

static void
call_wait (Call *call)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (call->result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
store (CwPonAccount  *account,
       const char    *username,
       const char    *password,
       GError       **error)
{
  Call call = { 0 };
  gboolean stored;

  cw_pon_account_store_async (account, username, password, NULL, call_done_cb, &call);
  call_wait (&call);
  stored = cw_pon_account_store_finish (account, call.result, error);
  g_object_unref (call.result);

  return stored;
}

static void
forget (CwPonAccount *account)
{
  g_autoptr(GError) error = NULL;
  Call call = { 0 };

  cw_pon_account_forget_async (account, NULL, call_done_cb, &call);
  call_wait (&call);
  g_assert_true (cw_pon_account_forget_finish (account, call.result, &error));
  g_assert_no_error (error);
  g_object_unref (call.result);
}

static CwOcwStatus *
get_car (CwPonClient  *client,
         const char   *vin,
         GError      **error)
{
  Call call = { 0 };
  CwOcwStatus *status;

  cw_pon_client_get_car_async (client, vin, NULL, call_done_cb, &call);
  call_wait (&call);
  status = cw_pon_client_get_car_finish (client, call.result, error);
  g_object_unref (call.result);

  return status;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (contents + i, needle, strlen (needle)) == 0)
      return TRUE;

  return FALSE;
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

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR) ? tree_contains (child, needle)
                                                   : file_contains (child, needle))
        return TRUE;
    }

  return FALSE;
}

static void
capture_log (const char     *log_domain,
             GLogLevelFlags  log_level,
             const char     *message,
             gpointer        user_data)
{
  g_ptr_array_add (user_data, g_strdup (message));
}

static gboolean
log_has (GPtrArray  *lines,
         const char *text)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (g_ptr_array_index (lines, i), text) != NULL)
      return TRUE;

  return FALSE;
}

static CwSimServer *
sim_new (void)
{
  g_autoptr(GError) error = NULL;
  CwSimServer *sim = cw_sim_server_new (2026, NULL);

  cw_sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);

  return sim;
}

/* Settings in this process's keyfile, pointing at the simulator; the client as the app
 * makes it, with the HTTP debug log on. */
static CwPonClient *
client_for_settings (CwSimServer  *sim,
                     CwPonAccount *account)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *endpoint = cw_sim_server_dup_url (sim, CW_SIM_PON_API);
  g_autofree char *configured = NULL;
  g_autofree char *ca_file = NULL;
  g_autoptr(GError) error = NULL;
  CwPonClient *client;

  g_settings_set_string (settings, "pon-endpoint", endpoint);
  g_settings_sync ();
  configured = g_settings_get_string (settings, "pon-endpoint");
  ca_file = g_settings_get_string (settings, "pon-ca-file");

  g_setenv ("CLAIRE_WORKSHOP_HTTP_DEBUG", "1", TRUE);
  client = cw_pon_client_new (configured, ca_file, account, &error);
  g_unsetenv ("CLAIRE_WORKSHOP_HTTP_DEBUG");
  g_assert_no_error (error);

  return client;
}

static void
assert_nowhere_on_disk (const char *secret)
{
  g_settings_sync ();
  g_assert_false (tree_contains (g_get_user_config_dir (), secret));
  g_assert_false (tree_contains (g_get_user_data_dir (), secret));
  g_assert_false (tree_contains (g_get_user_cache_dir (), secret));
  g_assert_false (tree_contains (g_get_user_state_dir (), secret));
}

static void
test_pon_keyring_round_trip (void)
{
  g_autoptr(CwSimServer) sim = NULL;
  g_autoptr(CwPonAccount) account = cw_pon_account_new ();
  g_autoptr(CwPonAccount) later = cw_pon_account_new ();
  g_autoptr(CwPonClient) client = NULL;
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(CwStore) store_db = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *in_keyring = NULL;
  g_autofree char *db = NULL;
  GList *items;
  guint handler;

  if (!cw_keyring_harness_require ())
    return;

  sim = sim_new ();
  db = g_build_filename (g_get_user_data_dir (), "workshop.db", NULL);
  store_db = cw_store_open (db, &error);
  g_assert_no_error (error);

  /* A first user, replaced by the simulator's: one item, the second's. */
  g_assert_true (store (account, USERNAME, PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (store (account, CW_SIM_PON_USERNAME, CW_SIM_PON_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_false (cw_pon_account_get_session_only (account));

  items = secret_password_search_sync (&pon_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "account", "pon", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);
  in_keyring = secret_password_lookup_sync (&pon_schema, NULL, &error,
                                            "account", "pon", "username", CW_SIM_PON_USERNAME, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (in_keyring, ==, CW_SIM_PON_PASSWORD);

  /* The next start finds it. */
  {
    Call call = { 0 };

    cw_pon_account_load_async (later, NULL, call_done_cb, &call);
    call_wait (&call);
    g_assert_true (cw_pon_account_load_finish (later, call.result, &error));
    g_object_unref (call.result);
    g_assert_cmpstr (cw_pon_account_get_username (later), ==, CW_SIM_PON_USERNAME);
  }

  /* The client logs in with it, the debug log on. */
  client = client_for_settings (sim, later);
  handler = g_log_set_handler ("cw-http", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                               capture_log, lines);
  status = get_car (client, cw_sim_pon_find_vin (sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0), &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  {
    Call call = { 0 };

    cw_pon_client_check_async (client, USERNAME, PASSWORD, NULL, call_done_cb, &call);
    call_wait (&call);
    g_assert_false (cw_pon_client_check_finish (client, call.result, &error));
    g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_LOGIN);
    g_clear_error (&error);
    g_object_unref (call.result);
  }
  g_log_remove_handler ("cw-http", handler);

  /* The log shows the requests, with the token redacted and no password at all. */
  g_assert_cmpuint (lines->len, >, 0);
  g_assert_true (log_has (lines, "POST " CW_SIM_PON_LOGIN));
  g_assert_true (log_has (lines, "GET " CW_SIM_PON_VEHICLES));
  g_assert_true (log_has (lines, "Authorization: [redacted]"));
  g_assert_false (log_has (lines, CW_SIM_PON_PASSWORD));
  g_assert_false (log_has (lines, PASSWORD));
  g_assert_false (log_has (lines, "simpon."));

  /* Nowhere on disk: the settings keyfile (which holds the address), the store. */
  g_settings_sync ();
  g_assert_true (tree_contains (g_get_user_config_dir (), CW_SIM_PON_API));
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  assert_nowhere_on_disk (CW_SIM_PON_PASSWORD);
  assert_nowhere_on_disk (PASSWORD);

  /* Forgotten: gone from the keyring; the client can no longer log in. */
  forget (account);
  g_clear_pointer (&in_keyring, g_free);
  in_keyring = secret_password_lookup_sync (&pon_schema, NULL, &error,
                                            "account", "pon", "username", CW_SIM_PON_USERNAME, NULL);
  g_assert_no_error (error);
  g_assert_null (in_keyring);
}

/* The child: its bus has no Secret Service (nor anything else). */
static void
no_keyring_child (void)
{
  g_autoptr(CwSimServer) sim = sim_new ();
  g_autoptr(CwPonAccount) account = cw_pon_account_new ();
  g_autoptr(CwPonClient) client = NULL;
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  Call call = { 0 };
  guint handler;

  /* Looked up in vain: no account, and why. */
  cw_pon_account_load_async (account, NULL, call_done_cb, &call);
  call_wait (&call);
  g_assert_false (cw_pon_account_load_finish (account, call.result, &error));
  g_assert_error (error, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_NO_KEYRING);
  g_clear_error (&error);
  g_clear_object (&call.result);
  g_assert_false (cw_pon_account_get_has_account (account));

  /* Saved anyway: for this run, said plainly. */
  g_assert_false (store (account, CW_SIM_PON_USERNAME, CW_SIM_PON_PASSWORD, &error));
  g_assert_error (error, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_NO_KEYRING);
  g_assert_cmpstr (error->message, ==,
                   "No keyring could keep the password: it is kept until Claire Workshop quits. "
                   "To keep it for good, unlock or set up the keyring of your session and save "
                   "the account again.");
  g_clear_error (&error);
  g_assert_true (cw_pon_account_get_session_only (account));
  g_assert_true (cw_pon_account_get_has_account (account));

  /* Usable for this run: the client logs in with it. */
  client = client_for_settings (sim, account);
  handler = g_log_set_handler ("cw-http", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                               capture_log, lines);
  status = get_car (client, cw_sim_pon_find_vin (sim, CW_OCW_NOT_ACTIVATED, CW_SIM_PON_MILEAGE_ANY, 0), &error);
  g_log_remove_handler ("cw-http", handler);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_cmpuint (cw_sim_pon_count_logins (sim), ==, 1);

  /* And never written down. */
  g_assert_cmpuint (lines->len, >, 0);
  g_assert_false (log_has (lines, CW_SIM_PON_PASSWORD));
  assert_nowhere_on_disk (CW_SIM_PON_PASSWORD);
}

static void
test_pon_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      /* No Secret Service: a bus address where nothing listens. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/claire-workshop-bus", TRUE);
      g_unsetenv ("SECRET_BACKEND");
      no_keyring_child ();
      return;
    }

  /* The parent must not touch the harness's keyring for this. */
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The settings are written to a file here, so the test can read what was written. */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

  g_test_add_func ("/pon-keyring/round-trip", test_pon_keyring_round_trip);
  g_test_add_func ("/pon-keyring/no-keyring", test_pon_no_keyring);

  return g_test_run ();
}
