/* test-templates.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cw-test-ui.h"

/*
 * Every .ui file in the resources builds on the Debian 12 floor (GTK 4.8, libadwaita 1.2):
 * a widget from a newer release in a .ui compiles fine and only fails at run time, so each
 * template class is instantiated and each plain .ui file is built.
 */

static void
collect_ui_files (const char *path,
                  GPtrArray  *found)
{
  g_auto(GStrv) children = g_resources_enumerate_children (path, 0, NULL);

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      g_autofree char *child = g_strconcat (path, children[i], NULL);

      if (g_str_has_suffix (children[i], "/"))
        collect_ui_files (child, found);
      else if (g_str_has_suffix (children[i], ".ui"))
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

static char *
template_class (const char *xml)
{
  const char *start = strstr (xml, "<template class=\"");
  const char *end;

  if (start == NULL)
    return NULL;

  start += strlen ("<template class=\"");
  end = strchr (start, '"');

  return g_strndup (start, end - start);
}

static void
test_ui_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
  g_autofree char *xml = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *class_name = template_class (xml);

  if (class_name != NULL)
    {
      GType type = g_type_from_name (class_name);
      GObject *object;

      g_test_message ("%s: template of %s", path, class_name);
      /* cw_ui_ensure_types() must register every template class. */
      g_assert_true (type != G_TYPE_INVALID);

      if (g_type_is_a (type, GTK_TYPE_WINDOW))
        {
          /* Windows are owned by GTK: built without an application, then destroyed. */
          object = g_object_new (type, NULL);
          g_assert_true (GTK_IS_WINDOW (object));
          gtk_window_destroy (GTK_WINDOW (object));
        }
      else
        {
          object = g_object_ref_sink (g_object_new (type, NULL));
          g_assert_finalize_object (object);
        }
    }
  else
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GSList) objects = NULL;

      g_test_message ("%s: plain builder file", path);
      g_assert_true (gtk_builder_add_from_resource (builder, path, &error));
      g_assert_no_error (error);
      objects = gtk_builder_get_objects (builder);
      g_assert_nonnull (objects);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  cw_test_ui_init (&argc, &argv);

  collect_ui_files (RESOURCE_BASE_PATH "/", files);
  g_assert_cmpuint (files->len, >=, 2);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *test_path = g_strconcat ("/templates", (char *) g_ptr_array_index (files, i), NULL);
      g_test_add_data_func (test_path, g_ptr_array_index (files, i), test_ui_file);
    }

  return g_test_run ();
}
