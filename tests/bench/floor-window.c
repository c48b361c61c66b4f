/* floor-window.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cw-startup-probe.h"

/*
 * The floor of bench-startup: the least a libadwaita application can do before its first
 * frame. An AdwApplication whose activate presents an empty AdwApplicationWindow with an
 * AdwHeaderBar, nothing else, measured by the same start-up probe as the app. It links GTK
 * and libadwaita only, registers on the session bus like the app (a unique application), and
 * opens at the app's default size (the schema's 1280 × 800) so both draw as many pixels.
 */

#define FLOOR_WIDTH  1280
#define FLOOR_HEIGHT 800

static void
on_activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), FLOOR_WIDTH, FLOOR_HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("com.claire.Workshop.BenchFloor", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
  cw_startup_probe_install (G_APPLICATION (app));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
