/* test-pon-account.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "cw-pon-account.h"

/*
 * The PON account against libsecret's file backend (the one the Flatpak uses; no keyring
 * daemon needed): stored as one item of the schema com.claire.Workshop.PonAccount with the
 * attributes account="pon" and username, looked up by a fresh object, replaced, forgotten,
 * with ::changed and has-account telling each step; blanks refused; and, in a child
 * process whose keyring file cannot be written, kept for the session only with a plain
 * message. The real gnome-keyring is tests/integration/test-pon-keyring.c's.
 */

#define PASSWORD "Pon-wachtwoord ünïcode €"

static const SecretSchema schema = {
  "com.claire.Workshop.PonAccount", SECRET_SCHEMA_NONE,
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

/*
 * libsecret 0.20.5's file backend leaks the keyring file's previous etag at every write
 * but the first (see tests/ui/test-preferences.c); LeakSanitizer ignores what is allocated
 * while the test waits for the keyring.
 */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions (void);

__attribute__ ((used)) const char *
__lsan_default_suppressions (void)
{
  return "leak:wait_for_keyring\n";
}
#endif

static void
wait_for_keyring (Call *call)
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
  wait_for_keyring (&call);
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
  wait_for_keyring (&call);
  g_assert_true (cw_pon_account_forget_finish (account, call.result, &error));
  g_assert_no_error (error);
  g_object_unref (call.result);
}

static gboolean
load (CwPonAccount  *account,
      GError       **error)
{
  Call call = { 0 };
  gboolean loaded;

  cw_pon_account_load_async (account, NULL, call_done_cb, &call);
  wait_for_keyring (&call);
  loaded = cw_pon_account_load_finish (account, call.result, error);
  g_object_unref (call.result);

  return loaded;
}

static char *
lookup_password (CwPonAccount  *account,
                 GError       **error)
{
  Call call = { 0 };
  char *password;

  cw_pon_account_lookup_password_async (account, NULL, call_done_cb, &call);
  wait_for_keyring (&call);
  password = cw_pon_account_lookup_password_finish (account, call.result, error);
  g_object_unref (call.result);

  return password;
}

static guint
count_items (void)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  items = secret_password_search_sync (&schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "account", "pon", NULL);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_account_round_trip (void)
{
  g_autoptr(CwPonAccount) account = cw_pon_account_new ();
  g_autoptr(CwPonAccount) other = cw_pon_account_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *in_keyring = NULL;
  guint changed = 0, notified = 0, other_changed = 0;

  g_signal_connect (account, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (account, "notify::has-account", G_CALLBACK (notify_count_cb), &notified);

  /* Nothing yet: looked up once, ::changed tells it. */
  g_assert_true (load (account, &error));
  g_assert_no_error (error);
  g_assert_true (cw_pon_account_get_loaded (account));
  g_assert_false (cw_pon_account_get_has_account (account));
  g_assert_null (cw_pon_account_get_username (account));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_null (lookup_password (account, &error));
  g_assert_no_error (error);

  /* Stored: in the keyring under the schema, the user name without blanks. */
  g_assert_true (store (account, "  werkplaats@garage-vangils.nl ", PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (cw_pon_account_get_has_account (account));
  g_assert_false (cw_pon_account_get_session_only (account));
  g_assert_cmpstr (cw_pon_account_get_username (account), ==, "werkplaats@garage-vangils.nl");
  in_keyring = secret_password_lookup_sync (&schema, NULL, &error,
                                            "account", "pon",
                                            "username", "werkplaats@garage-vangils.nl",
                                            NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (in_keyring, ==, PASSWORD);
  g_assert_cmpuint (count_items (), ==, 1);

  password = lookup_password (account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);
  g_clear_pointer (&password, cw_pon_account_free_password);

  /* Another object (the next start of the app) finds it, and reads the password without
   * being loaded first. */
  g_signal_connect (other, "changed", G_CALLBACK (count_cb), &other_changed);
  password = lookup_password (other, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);
  g_assert_cmpstr (cw_pon_account_get_username (other), ==, "werkplaats@garage-vangils.nl");
  g_assert_cmpuint (other_changed, ==, 1);
  g_clear_pointer (&password, cw_pon_account_free_password);

  /* Another user replaces the first: one item, the new one's. */
  g_assert_true (store (account, "balie", "tweede", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (count_items (), ==, 1);
  g_assert_cmpstr (cw_pon_account_get_username (account), ==, "balie");
  g_assert_true (load (other, &error));
  g_assert_cmpstr (cw_pon_account_get_username (other), ==, "balie");
  g_assert_cmpuint (other_changed, ==, 2);

  /* Forgotten: gone from the keyring, and the object says so. */
  forget (account);
  g_assert_cmpuint (changed, ==, 4);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_false (cw_pon_account_get_has_account (account));
  g_assert_null (cw_pon_account_get_username (account));
  g_assert_cmpuint (count_items (), ==, 0);
  g_assert_null (lookup_password (account, &error));
  g_assert_no_error (error);

  /* Forgetting nothing is no error. */
  forget (account);
  g_assert_false (cw_pon_account_get_has_account (account));
}

static void
test_account_invalid (void)
{
  g_autoptr(CwPonAccount) account = cw_pon_account_new ();
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  g_signal_connect (account, "changed", G_CALLBACK (count_cb), &changed);

  g_assert_false (store (account, "  ", "secret", &error));
  g_assert_error (error, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "user name"));
  g_clear_error (&error);

  g_assert_false (store (account, "balie", "", &error));
  g_assert_error (error, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "password"));
  g_clear_error (&error);

  g_assert_false (store (account, NULL, NULL, &error));
  g_assert_error (error, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_INVALID);

  g_assert_cmpuint (changed, ==, 0);
  g_assert_false (cw_pon_account_get_has_account (account));
  g_assert_cmpuint (count_items (), ==, 0);
}

/* The child: its keyring file cannot be written (its folder is a file). */
static void
no_keyring_child (void)
{
  g_autoptr(CwPonAccount) account = cw_pon_account_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  guint changed = 0;

  g_signal_connect (account, "changed", G_CALLBACK (count_cb), &changed);

  g_assert_false (store (account, "balie", PASSWORD, &error));
  g_assert_error (error, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_NO_KEYRING);
  /* Plain words: what happened, for how long, and what to do. */
  g_assert_nonnull (strstr (error->message, "No keyring could keep the password"));
  g_assert_nonnull (strstr (error->message, "until Claire Workshop quits"));
  g_assert_null (strstr (error->message, "DBus"));
  g_assert_null (strstr (error->message, PASSWORD));
  g_clear_error (&error);

  g_assert_true (cw_pon_account_get_session_only (account));
  g_assert_true (cw_pon_account_get_has_account (account));
  g_assert_cmpstr (cw_pon_account_get_username (account), ==, "balie");
  g_assert_cmpuint (changed, ==, 1);

  /* Usable for this run. */
  password = lookup_password (account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);

  /* A later look at the keyring does not lose it. */
  load (account, NULL);
  g_assert_true (cw_pon_account_get_session_only (account));
  g_assert_cmpstr (cw_pon_account_get_username (account), ==, "balie");

  /* Forgotten: gone from memory too, though the keyring still cannot be used. */
  forget (account);
  g_assert_false (cw_pon_account_get_has_account (account));
  g_assert_false (cw_pon_account_get_session_only (account));
  g_assert_cmpuint (changed, ==, 2);
}

static void
test_account_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_dir_make_tmp ("cw-pon-nokeyring-XXXXXX", NULL);
      g_autofree char *blocker = g_build_filename (dir, "not-a-folder", NULL);
      g_autofree char *path = g_build_filename (blocker, "test.keyring", NULL);

      g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
      g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
      no_keyring_child ();

      /* Nothing was written anywhere: the folder holds the blocker only. */
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_unlink (blocker);
      g_rmdir (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_account_unreadable_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CwPonAccount) account = cw_pon_account_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("cw-pon-nokeyring-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "not-a-folder", "test.keyring", NULL);
      g_autofree char *blocker = g_path_get_dirname (path);
      guint changed = 0;

      g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
      g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
      g_signal_connect (account, "changed", G_CALLBACK (count_cb), &changed);

      /* Looked up in vain: no account, and a message that says why. */
      if (!load (account, &error))
        {
          g_assert_error (error, CW_PON_ACCOUNT_ERROR, CW_PON_ACCOUNT_ERROR_NO_KEYRING);
          g_assert_nonnull (strstr (error->message, "keyring"));
        }
      g_assert_false (cw_pon_account_get_has_account (account));
      g_assert_true (cw_pon_account_get_loaded (account));
      g_assert_cmpuint (changed, ==, 1);

      g_unlink (blocker);
      g_rmdir (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = NULL;
  g_autofree char *keyring = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The parent's keyring; a child sets its own path before libsecret reads it. */
  keyring_dir = g_dir_make_tmp ("cw-pon-keyring-XXXXXX", NULL);
  keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  if (!g_test_subprocess ())
    g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);

  g_test_add_func ("/pon/account/round-trip", test_account_round_trip);
  g_test_add_func ("/pon/account/invalid", test_account_invalid);
  g_test_add_func ("/pon/account/no-keyring", test_account_no_keyring);
  g_test_add_func ("/pon/account/unreadable-keyring", test_account_unreadable_keyring);

  status = g_test_run ();

  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
