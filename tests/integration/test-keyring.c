/* test-keyring.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checks the keyring harness that build-aux/test provides (a private session bus with an
 * unlocked gnome-keyring, see build-aux/with-keyring.sh): a password is stored, looked up
 * and cleared through the real Secret Service. Later credential-store tests rely on it.
 *
 * Outside that harness the test does not touch whatever keyring happens to be reachable,
 * because that could be the developer's own: it fails when CI=true (CI must never silently
 * lose these tests) and is skipped otherwise.
 */

#define G_LOG_DOMAIN "test-keyring"

#include "config.h"

#include <unistd.h>

#include <glib.h>
#include <libsecret/secret.h>

#include "cw-keyring-harness.h"

/* An unlock prompt under Xvfb waits forever for a click; no keyring call may outlive this. */
#define KEYRING_TIMEOUT_SECONDS 20

static const SecretSchema test_schema = {
  "com.claire.Workshop.Test.Keyring",
  SECRET_SCHEMA_NONE,
  {
    { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

typedef struct
{
  GCancellable *cancellable;
  GAsyncResult *result;
  guint         timeout_id;
  gboolean      timed_out;
} Call;

static gboolean
call_timeout_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  call->timeout_id = 0;
  g_cancellable_cancel (call->cancellable);

  return G_SOURCE_REMOVE;
}

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;

  call->result = g_object_ref (result);
}

static void
call_init (Call *call)
{
  call->cancellable = g_cancellable_new ();
  call->result = NULL;
  call->timed_out = FALSE;
  call->timeout_id = g_timeout_add_seconds (KEYRING_TIMEOUT_SECONDS, call_timeout_cb, call);
}

/* Iterates the main context until the call has finished, or was cancelled by the timeout. */
static void
call_wait (Call *call)
{
  while (call->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_clear_handle_id (&call->timeout_id, g_source_remove);
}

static void
call_clear (Call *call)
{
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_clear_object (&call->cancellable);
  g_clear_object (&call->result);
}

static void
assert_no_error (const Call   *call,
                 const GError *error,
                 const char   *what)
{
  if (call->timed_out)
    g_error ("%s: no answer from the Secret Service within %d s (a locked keyring "
             "waiting for an unlock prompt?)", what, KEYRING_TIMEOUT_SECONDS);
  if (error != NULL)
    g_error ("%s: %s (%s, %d)", what, error->message,
             g_quark_to_string (error->domain), error->code);
}

static GHashTable *
make_attributes (const char *service,
                 const char *user)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "service", (gpointer) service);
  g_hash_table_insert (attributes, (gpointer) "user", (gpointer) user);

  return attributes;
}

static void
store_password (GHashTable *attributes,
                const char *password)
{
  g_autoptr(GError) error = NULL;
  Call call;
  gboolean ok;

  call_init (&call);
  secret_password_storev (&test_schema, attributes, SECRET_COLLECTION_DEFAULT,
                          "Claire Workshop keyring test", password,
                          call.cancellable, call_done_cb, &call);
  call_wait (&call);
  ok = secret_password_store_finish (call.result, &error);
  assert_no_error (&call, error, "store");
  g_assert_true (ok);
  call_clear (&call);
}

static char *
lookup_password (GHashTable *attributes)
{
  g_autoptr(GError) error = NULL;
  Call call;
  char *password;

  call_init (&call);
  secret_password_lookupv (&test_schema, attributes, call.cancellable, call_done_cb, &call);
  call_wait (&call);
  password = secret_password_lookup_finish (call.result, &error);
  assert_no_error (&call, error, "lookup");
  call_clear (&call);

  return password;
}

static gboolean
clear_password (GHashTable *attributes)
{
  g_autoptr(GError) error = NULL;
  Call call;
  gboolean removed;

  call_init (&call);
  secret_password_clearv (&test_schema, attributes, call.cancellable, call_done_cb, &call);
  call_wait (&call);
  removed = secret_password_clear_finish (call.result, &error);
  assert_no_error (&call, error, "clear");
  call_clear (&call);

  return removed;
}

static guint
count_items (GHashTable *attributes)
{
  g_autoptr(GError) error = NULL;
  Call call;
  GList *items;
  guint n;

  call_init (&call);
  secret_password_searchv (&test_schema, attributes, SECRET_SEARCH_ALL, call.cancellable,
                           call_done_cb, &call);
  call_wait (&call);
  items = secret_password_search_finish (call.result, &error);
  assert_no_error (&call, error, "search");
  call_clear (&call);

  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

/* A service name of our own per run, so that nothing a crashed earlier run left behind
 * (in a persistent profile keyring) can make a lookup succeed by accident. */
static char *
unique_service (const char *what)
{
  return g_strdup_printf ("claire-workshop-test-%s-%d-%08x", what, (int) getpid (),
                          g_random_int ());
}

static void
test_store_lookup_clear (void)
{
  g_autofree char *service = NULL;
  g_autofree char *found = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  /* Non-ASCII on purpose: the password is UTF-8 and must come back byte for byte. */
  const char *secret = "s3cr3t-\xe2\x82\xac-\xc3\xbc";

  if (!cw_keyring_harness_require ())
    return;

  service = unique_service ("slc");
  attributes = make_attributes (service, "claire");

  store_password (attributes, secret);
  found = lookup_password (attributes);
  g_assert_cmpstr (found, ==, secret);
  g_assert_cmpuint (count_items (attributes), ==, 1);

  g_assert_true (clear_password (attributes));
  gone = lookup_password (attributes);
  g_assert_null (gone);
  g_assert_cmpuint (count_items (attributes), ==, 0);

  /* Clearing what is not there is not an error, just nothing removed. */
  g_assert_false (clear_password (attributes));
}

static void
test_store_replaces (void)
{
  g_autofree char *service = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  if (!cw_keyring_harness_require ())
    return;

  service = unique_service ("replace");
  attributes = make_attributes (service, "claire");

  store_password (attributes, "first");
  store_password (attributes, "second");

  /* Storing under the same attributes replaces the item instead of adding a second one. */
  g_assert_cmpuint (count_items (attributes), ==, 1);
  found = lookup_password (attributes);
  g_assert_cmpstr (found, ==, "second");

  g_assert_true (clear_password (attributes));
}

static void
test_attributes_separate (void)
{
  g_autofree char *service = NULL;
  g_autofree char *found_a = NULL;
  g_autofree char *found_b = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GHashTable) user_a = NULL;
  g_autoptr(GHashTable) user_b = NULL;

  if (!cw_keyring_harness_require ())
    return;

  service = unique_service ("separate");
  user_a = make_attributes (service, "anna");
  user_b = make_attributes (service, "bram");

  store_password (user_a, "password-a");
  store_password (user_b, "password-b");

  found_a = lookup_password (user_a);
  found_b = lookup_password (user_b);
  g_assert_cmpstr (found_a, ==, "password-a");
  g_assert_cmpstr (found_b, ==, "password-b");

  /* Clearing one account leaves the other alone. */
  g_assert_true (clear_password (user_a));
  after = lookup_password (user_b);
  g_assert_cmpstr (after, ==, "password-b");

  g_assert_true (clear_password (user_b));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/keyring/store-replaces", test_store_replaces);
  g_test_add_func ("/keyring/attributes-separate", test_attributes_separate);

  status = g_test_run ();

  /* Drops libsecret's cached connection to the service, so LeakSanitizer sees no leak. */
  secret_service_disconnect ();

  return status;
}
