/* test-connection.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cw-connection.h"

/*
 * A connection follows its settings both ways (the memory backend stands in for dconf):
 * what is set on the object is saved, what changes in the settings reaches the object, an
 * emptied field is emptied in the settings too, and the list of connections keeps the
 * objects of the connections that stay.
 */

#define SCHEMA "com.claire.Workshop.Connection"
#define PATH "/com/claire/Workshop/connections/"

static GSettings *
settings_of (const char *id)
{
  g_autofree char *path = g_strconcat (PATH, id, "/", NULL);

  return g_settings_new_with_path (SCHEMA, path);
}

static void
test_follows_settings (void)
{
  g_autoptr(CwConnection) connection = cw_connection_new_for_settings ("test-follow");
  g_autoptr(GSettings) settings = settings_of ("test-follow");
  g_autofree char *name = NULL;
  g_autofree char *endpoint = NULL;

  /* Object → settings. */
  g_object_set (connection, "kind", "autoflex", "name", "Breda", "endpoint", "https://dms.example/v2",
                "poll-interval", 600, "writeback", TRUE, NULL);
  name = g_settings_get_string (settings, "name");
  endpoint = g_settings_get_string (settings, "endpoint");
  g_assert_cmpstr (name, ==, "Breda");
  g_assert_cmpstr (endpoint, ==, "https://dms.example/v2");
  g_assert_cmpuint (g_settings_get_uint (settings, "poll-interval"), ==, 600);
  g_assert_true (g_settings_get_boolean (settings, "writeback"));

  /* Settings → object. */
  g_settings_set_string (settings, "name", "Tilburg");
  g_assert_cmpstr (cw_connection_get_name (connection), ==, "Tilburg");

  /* Emptied on the object (kept as NULL there), emptied in the settings. */
  g_object_set (connection, "name", "", NULL);
  g_assert_null (cw_connection_get_name (connection));
  g_clear_pointer (&name, g_free);
  name = g_settings_get_string (settings, "name");
  g_assert_cmpstr (name, ==, "");
  g_object_set (connection, "endpoint", NULL, NULL);
  g_clear_pointer (&endpoint, g_free);
  endpoint = g_settings_get_string (settings, "endpoint");
  g_assert_cmpstr (endpoint, ==, "");

  /* And the display name falls back to the DMS's. */
  g_clear_pointer (&name, g_free);
  name = cw_connection_dup_display_name (connection);
  g_assert_cmpstr (name, ==, "Autoflex");
}

static void
test_list_keeps_objects (void)
{
  g_autoptr(GSettings) app = g_settings_new (APP_ID);
  g_autoptr(GListModel) list = cw_connection_list_new (app);
  g_autoptr(CwConnection) first = NULL;
  g_autoptr(CwConnection) again = NULL;
  const char * const one[] = { "test-a", NULL };
  const char * const two[] = { "test-b", "test-a", NULL };

  g_settings_set_strv (app, "connections", one);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  first = g_list_model_get_item (list, 0);
  g_assert_cmpstr (cw_connection_get_id (first), ==, "test-a");

  g_settings_set_strv (app, "connections", two);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  again = g_list_model_get_item (list, 1);
  g_assert_true (again == first);

  g_settings_reset (app, "connections");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/connection/follows-settings", test_follows_settings);
  g_test_add_func ("/connection/list-keeps-objects", test_list_keeps_objects);

  return g_test_run ();
}
