/* test-ocw-button.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdk/x11/gdkx.h>

#include "cw-ocw-button-private.h"
#include "cw-test-ui.h"

/*
 * The OCW button in a real X session (Xvfb): each of the car's four states (and "never
 * asked") has its colour class and the colour Adwaita gives it, its own icon, its own
 * words on the button and for screen readers, and its tooltip; checking and "PON
 * unreachable" have no colour. Green's tooltip gives the mileage and the reading's age,
 * counted against an injected time; red alone opens the portal, through a launcher the
 * test puts in place of the browser. Renders every state in light, dark and high contrast,
 * and the green button with its tooltip.
 */

#define PORTAL "https://portal.example.com/ocw/activate?vin=WVWZZZ1KZAW000001"

typedef struct
{
  GtkWindow   *window;
  CwOcwButton *button;
  GPtrArray   *failures;
} Fixture;

/* What the launcher was asked, and what it answers. */
static GPtrArray *launched;
static GAppLaunchContext *launched_context;
static gboolean launch_fails;

static void
test_launch (const char          *uri,
             GAppLaunchContext   *context,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_ptr_array_add (launched, g_strdup (uri));
  g_set_object (&launched_context, context);
  if (launch_fails)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No web browser is installed");
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
test_launch_finish (GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_launch_failed_cb (CwOcwButton *button,
                     const char  *message,
                     Fixture     *fixture)
{
  g_ptr_array_add (fixture->failures, g_strdup (message));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->button = CW_OCW_BUTTON (cw_ocw_button_new ());
  fixture->failures = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_set_halign (GTK_WIDGET (fixture->button), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (fixture->button), GTK_ALIGN_CENTER);
  gtk_window_set_default_size (fixture->window, 360, 80);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->button));
  _cw_ocw_button_set_launcher (fixture->button, test_launch, test_launch_finish);
  g_signal_connect (fixture->button, "launch-failed", G_CALLBACK (on_launch_failed_cb), fixture);

  launched = g_ptr_array_new_with_free_func (g_free);
  launch_fails = FALSE;

  cw_test_ui_wait_until_shown (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer button = fixture->button;

  g_object_add_weak_pointer (G_OBJECT (button), &button);
  cw_test_ui_close_window (fixture->window);
  g_assert_null (button);

  g_ptr_array_unref (fixture->failures);
  g_clear_pointer (&launched, g_ptr_array_unref);
  g_clear_object (&launched_context);
}

/*
 * Helpers
 */

static GDateTime *
date_time (int day,
           int hour,
           int minute)
{
  return g_date_time_new_local (2026, 3, day, hour, minute, 0);
}

static GtkWidget *
find_child (GtkWidget *root,
            GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_child (child, type)) != NULL)
        return found;
    }

  return NULL;
}

/* The words the button shows, its visible labels joined by a space. */
static void
collect_text (GtkWidget *root,
              GString   *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child))
        g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", gtk_label_get_label (GTK_LABEL (child)));
      collect_text (child, text);
    }
}

static char *
shown_text (CwOcwButton *button)
{
  GString *text = g_string_new (NULL);

  collect_text (GTK_WIDGET (button), text);

  return g_string_free (text, FALSE);
}

/* The icon shown, or NULL while the spinner shows instead. */
static const char *
shown_icon (CwOcwButton *button)
{
  GtkWidget *image = find_child (GTK_WIDGET (button), GTK_TYPE_IMAGE);

  g_assert_nonnull (image);
  if (!gtk_widget_get_visible (image))
    return NULL;

  return gtk_image_get_icon_name (GTK_IMAGE (image));
}

static gboolean
spinner_shown (CwOcwButton *button)
{
  GtkWidget *spinner = find_child (GTK_WIDGET (button), GTK_TYPE_SPINNER);

  g_assert_nonnull (spinner);

  return gtk_widget_get_visible (spinner) && gtk_spinner_get_spinning (GTK_SPINNER (spinner));
}

/* The one colour class the button has, or NULL. */
static const char *
colour_class (CwOcwButton *button)
{
  static const char * const colours[] = { "grey", "red", "green", "orange" };
  const char *found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (colours); i++)
    if (gtk_widget_has_css_class (GTK_WIDGET (button), colours[i]))
      {
        g_assert_null (found);
        found = colours[i];
      }

  return found;
}

/* The text colour the style gives the button, against one of Adwaita's named colours. */
static gboolean
has_named_colour (CwOcwButton *button,
                  const char  *name)
{
  GtkStyleContext *context;
  GdkRGBA colour, named;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (GTK_WIDGET (button));
  gtk_style_context_get_color (context, &colour);
  g_assert_true (gtk_style_context_lookup_color (context, name, &named));
  G_GNUC_END_IGNORE_DEPRECATIONS

  return gdk_rgba_equal (&colour, &named);
}

static void
assert_no_state_colour (CwOcwButton *button)
{
  g_assert_null (colour_class (button));
  g_assert_true (has_named_colour (button, "window_fg_color"));
  g_assert_false (has_named_colour (button, "error_color"));
  g_assert_false (has_named_colour (button, "success_color"));
  g_assert_false (has_named_colour (button, "warning_color"));
}

/* Activates the button as Enter and Space do (GtkButton's keybinding signal), and as a
 * click does; returns how many launches that asked for. */
static guint
activate_both_ways (CwOcwButton *button)
{
  guint before = launched->len;

  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (button)));

  /* GtkButton shows itself pressed for a moment before it emits ::clicked. */
  gtk_widget_activate (GTK_WIDGET (button));
  cw_test_ui_iterate (300);
  g_signal_emit_by_name (button, "clicked");
  cw_test_ui_iterate (20);

  return launched->len - before;
}

/*
 * The states
 */

typedef struct
{
  CwOcwState  state;
  const char *colour;
  const char *named_colour;
  const char *icon;
  const char *text;
  const char *label;
  const char *tooltip;
} StateCase;

static const StateCase state_cases[] = {
  { CW_OCW_NOT_CAPABLE, "grey", "window_fg_color", "action-unavailable-symbolic", "OCW Not available",
    "OCW not available for this car", "This car cannot be connected to OCW" },
  { CW_OCW_NOT_ACTIVATED, "red", "error_color", "network-wireless-disabled-symbolic", "OCW Not activated",
    "OCW not activated", "Open the Volkswagen portal to help the customer activate OCW and install the app" },
  { CW_OCW_CONNECTED, "green", "success_color", "network-wireless-signal-excellent-symbolic", "OCW Connected",
    "OCW connected", "Connected · 48,210 km, read 12 minutes ago" },
  { CW_OCW_MAINTENANCE, "orange", "warning_color", "emblem-system-symbolic", "OCW Maintenance",
    "OCW in maintenance mode", "The car is in OCW maintenance mode" },
  { CW_OCW_UNKNOWN, NULL, "window_fg_color", "dialog-question-symbolic", "OCW Unknown",
    "OCW state unknown", "PON has not been asked about this car yet" },
};

static void
set_car (CwOcwButton *button,
         CwOcwState   state)
{
  g_autoptr(GDateTime) now = date_time (12, 10, 0);
  g_autoptr(GDateTime) read = date_time (12, 9, 48);

  _cw_ocw_button_set_now (button, now);
  g_object_set (button,
                "state", state,
                "mileage", (gint64) 48210,
                "reading-time", read,
                "portal-url", PORTAL,
                NULL);
}

static void
test_states (Fixture       *fixture,
             gconstpointer  data)
{
  CwOcwButton *button = fixture->button;

  for (guint i = 0; i < G_N_ELEMENTS (state_cases); i++)
    {
      const StateCase *c = &state_cases[i];
      g_autofree char *text = NULL;

      g_test_message ("state %d", c->state);
      set_car (button, c->state);
      cw_test_ui_iterate (20);

      g_assert_cmpint (cw_ocw_button_get_state (button), ==, c->state);
      g_assert_cmpstr (colour_class (button), ==, c->colour);
      g_assert_true (has_named_colour (button, c->named_colour));
      g_assert_cmpstr (shown_icon (button), ==, c->icon);
      g_assert_false (spinner_shown (button));
      text = shown_text (button);
      g_assert_cmpstr (text, ==, c->text);
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, c->label);
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, c->tooltip);
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, c->tooltip);
      gtk_test_accessible_assert_role (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_ROLE_BUTTON);

      /* Red alone has an action; the others keep their look, without a hover or press. */
      g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (button), "inert"), ==, c->state != CW_OCW_NOT_ACTIVATED);
      g_assert_cmpint (cw_ocw_button_can_open_portal (button), ==, c->state == CW_OCW_NOT_ACTIVATED);
    }

  /* Each state its own icon and words, so colour is never the only cue. */
  for (guint i = 0; i < G_N_ELEMENTS (state_cases); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (state_cases); j++)
      {
        g_assert_cmpstr (state_cases[i].icon, !=, state_cases[j].icon);
        g_assert_cmpstr (state_cases[i].text, !=, state_cases[j].text);
        g_assert_cmpstr (state_cases[i].label, !=, state_cases[j].label);
      }
}

static void
test_checking (Fixture       *fixture,
               gconstpointer  data)
{
  CwOcwButton *button = fixture->button;

  for (guint i = 0; i < G_N_ELEMENTS (state_cases); i++)
    {
      g_autofree char *text = NULL;

      set_car (button, state_cases[i].state);
      cw_ocw_button_set_checking (button, TRUE);
      /* Checking goes before unreachable, too. */
      cw_ocw_button_set_unreachable (button, i % 2 == 1);
      cw_test_ui_iterate (20);

      assert_no_state_colour (button);
      g_assert_true (spinner_shown (button));
      g_assert_null (shown_icon (button));
      text = shown_text (button);
      g_assert_cmpstr (text, ==, "Checking OCW…");
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Checking OCW…");
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Asking PON for the car’s OCW state");
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (button), "inert"));
      g_assert_cmpuint (activate_both_ways (button), ==, 0);

      cw_ocw_button_set_unreachable (button, FALSE);
      cw_ocw_button_set_checking (button, FALSE);
      g_assert_cmpstr (colour_class (button), ==, state_cases[i].colour);
      g_assert_false (spinner_shown (button));
    }
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  CwOcwButton *button = fixture->button;
  const char *message = "PON refused the dealer’s username or password. Check the PON account in Preferences.";

  for (guint i = 0; i < G_N_ELEMENTS (state_cases); i++)
    {
      g_autofree char *text = NULL;

      set_car (button, state_cases[i].state);
      cw_ocw_button_set_unreachable (button, TRUE);
      cw_test_ui_iterate (20);

      assert_no_state_colour (button);
      g_assert_false (spinner_shown (button));
      g_assert_cmpstr (shown_icon (button), ==, "dialog-warning-symbolic");
      text = shown_text (button);
      g_assert_cmpstr (text, ==, "PON unreachable");
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           "OCW state unknown: PON unreachable");
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==,
                       "PON could not be reached, so the car’s OCW state is not known");
      g_assert_cmpuint (activate_both_ways (button), ==, 0);

      /* The caller's message says why, and what to do. */
      cw_ocw_button_set_message (button, message);
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, message);
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message);
      cw_ocw_button_set_message (button, NULL);

      cw_ocw_button_set_unreachable (button, FALSE);
      g_assert_cmpstr (colour_class (button), ==, state_cases[i].colour);
    }
}

/*
 * Green's tooltip: the mileage and how old the reading is
 */

/* What the pointer resting on the button does: GTK asks for the tooltip. */
static void
query_tooltip (CwOcwButton *button)
{
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_signal_emit_by_name (button, "query-tooltip", 4, 4, FALSE, tooltip, &shown);
  g_assert_true (shown);
  cw_test_ui_iterate (20);
}

static void
assert_green_tooltip (CwOcwButton *button,
                      GDateTime   *now,
                      GDateTime   *read,
                      gint64       mileage,
                      const char  *expected)
{
  _cw_ocw_button_set_now (button, now);
  cw_ocw_button_set_mileage (button, mileage);
  cw_ocw_button_set_reading_time (button, read);
  query_tooltip (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, expected);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
}

static void
test_green_tooltip (Fixture       *fixture,
                    gconstpointer  data)
{
  CwOcwButton *button = fixture->button;
  g_autoptr(GDateTime) now = date_time (12, 10, 0);
  g_autoptr(GDateTime) min29 = g_date_time_add_minutes (now, -29);
  g_autoptr(GDateTime) hours2 = g_date_time_add_hours (now, -2);
  g_autoptr(GDateTime) day1 = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) just = g_date_time_add_seconds (now, -40);
  g_autoptr(GDateTime) future = g_date_time_add_minutes (now, 3);
  g_autoptr(GDateTime) min1 = g_date_time_add_seconds (now, -90);
  g_autoptr(GDateTime) hour1 = g_date_time_add_minutes (now, -61);
  g_autoptr(GDateTime) hours23 = g_date_time_add_minutes (now, -(23 * 60 + 59));
  g_autoptr(GDateTime) late_yesterday = date_time (11, 23, 30);
  g_autoptr(GDateTime) after_midnight = date_time (12, 0, 30);
  g_autoptr(GDateTime) days3 = g_date_time_add_days (now, -3);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) min29_utc = g_date_time_to_timezone (min29, utc);

  cw_ocw_button_set_state (button, CW_OCW_CONNECTED);

  /* The three ages of the brief, then the edges. */
  assert_green_tooltip (button, now, min29, 48210, "Connected · 48,210 km, read 29 minutes ago");
  assert_green_tooltip (button, now, hours2, 48210, "Connected · 48,210 km, read 2 hours ago");
  assert_green_tooltip (button, now, day1, 48210, "Connected · 48,210 km, read yesterday");
  assert_green_tooltip (button, now, just, 48210, "Connected · 48,210 km, read just now");
  assert_green_tooltip (button, now, future, 48210, "Connected · 48,210 km, read just now");
  assert_green_tooltip (button, now, min1, 48210, "Connected · 48,210 km, read 1 minute ago");
  assert_green_tooltip (button, now, hour1, 48210, "Connected · 48,210 km, read 1 hour ago");
  assert_green_tooltip (button, now, hours23, 48210, "Connected · 48,210 km, read 23 hours ago");
  assert_green_tooltip (button, now, days3, 48210, "Connected · 48,210 km, read 3 days ago");
  assert_green_tooltip (button, now, min29_utc, 48210, "Connected · 48,210 km, read 29 minutes ago");
  assert_green_tooltip (button, now, NULL, 1234567, "Connected · 1,234,567 km");
  assert_green_tooltip (button, now, min29, 0, "Connected · 0 km, read 29 minutes ago");
  assert_green_tooltip (button, now, min29, -1, "Connected · PON gave no mileage");

  /* Days are the calendar's: half an hour before midnight is 9 hours before the next
   * morning, and two days before the morning after; half an hour after midnight is
   * yesterday then. */
  {
    g_autoptr(GDateTime) next_morning = date_time (12, 9, 0);
    g_autoptr(GDateTime) morning_after = date_time (13, 9, 0);

    assert_green_tooltip (button, next_morning, late_yesterday, 48210, "Connected · 48,210 km, read 9 hours ago");
    assert_green_tooltip (button, morning_after, late_yesterday, 48210, "Connected · 48,210 km, read 2 days ago");
    assert_green_tooltip (button, morning_after, after_midnight, 48210, "Connected · 48,210 km, read yesterday");
  }

  /* Only green shows the mileage. */
  cw_ocw_button_set_state (button, CW_OCW_MAINTENANCE);
  g_assert_null (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), "km"));
}

/* The age is counted again when the tooltip shows, not only when the reading arrived. */
static void
test_green_tooltip_recounts (Fixture       *fixture,
                             gconstpointer  data)
{
  CwOcwButton *button = fixture->button;
  g_autoptr(GDateTime) now = date_time (12, 10, 0);
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);
  g_autoptr(GDateTime) read = g_date_time_add_minutes (now, -29);

  _cw_ocw_button_set_now (button, now);
  g_object_set (button, "state", CW_OCW_CONNECTED, "mileage", (gint64) 48210, "reading-time", read, NULL);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Connected · 48,210 km, read 29 minutes ago");

  /* Two hours on, without any change to the button. */
  _cw_ocw_button_set_now (button, later);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Connected · 48,210 km, read 29 minutes ago");
  query_tooltip (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Connected · 48,210 km, read 2 hours ago");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Connected · 48,210 km, read 2 hours ago");
}

/*
 * Red opens the portal; nothing else does
 */

static void
test_red_opens_portal (Fixture       *fixture,
                       gconstpointer  data)
{
  CwOcwButton *button = fixture->button;

  set_car (button, CW_OCW_NOT_ACTIVATED);
  g_assert_cmpuint (activate_both_ways (button), ==, 2);
  g_assert_cmpstr (g_ptr_array_index (launched, 0), ==, PORTAL);
  g_assert_cmpstr (g_ptr_array_index (launched, 1), ==, PORTAL);
  /* With the display's launch context: startup notification and the right screen. */
  g_assert_true (GDK_IS_APP_LAUNCH_CONTEXT (launched_context));
  g_assert_true (gdk_app_launch_context_get_display (GDK_APP_LAUNCH_CONTEXT (launched_context)) ==
                 gtk_widget_get_display (GTK_WIDGET (button)));
  g_assert_cmpuint (fixture->failures->len, ==, 0);

  /* A plain http address opens too. */
  cw_ocw_button_set_portal_url (button, "http://portal.example.com/ocw");
  g_assert_cmpuint (activate_both_ways (button), ==, 2);
  g_assert_cmpstr (g_ptr_array_index (launched, 2), ==, "http://portal.example.com/ocw");
}

static void
test_other_states_do_not_open (Fixture       *fixture,
                               gconstpointer  data)
{
  static const char * const not_web[] = {
    NULL, "", "portal.example.com/ocw", "file:///etc/passwd", "javascript:alert(1)",
    "mailto:ocw@example.com", "ssh://portal.example.com",
  };
  CwOcwButton *button = fixture->button;

  for (guint i = 0; i < G_N_ELEMENTS (state_cases); i++)
    {
      if (state_cases[i].state == CW_OCW_NOT_ACTIVATED)
        continue;

      set_car (button, state_cases[i].state);
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (button), "inert"));
      g_assert_cmpuint (activate_both_ways (button), ==, 0);
    }

  /* Red without a web address for the portal says so, and opens nothing. */
  set_car (button, CW_OCW_NOT_ACTIVATED);
  for (guint i = 0; i < G_N_ELEMENTS (not_web); i++)
    {
      cw_ocw_button_set_portal_url (button, not_web[i]);
      g_assert_cmpstr (colour_class (button), ==, "red");
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (button), "inert"));
      g_assert_false (cw_ocw_button_can_open_portal (button));
      g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==,
                       "OCW is not activated, and PON gave no address of the Volkswagen portal to open");
      g_assert_cmpuint (activate_both_ways (button), ==, 0);
    }

  g_assert_cmpuint (launched->len, ==, 0);
}

static void
test_launch_failed (Fixture       *fixture,
                    gconstpointer  data)
{
  CwOcwButton *button = fixture->button;

  launch_fails = TRUE;
  set_car (button, CW_OCW_NOT_ACTIVATED);
  gtk_widget_activate (GTK_WIDGET (button));
  cw_test_ui_iterate (300);

  g_assert_cmpuint (launched->len, ==, 1);
  g_assert_cmpuint (fixture->failures->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->failures, 0), ==,
                   "Could not open the Volkswagen portal in a web browser: No web browser is installed");
}

/*
 * The API
 */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The button's own properties notified, in alphabetical order. */
static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GString    *notified)
{
  g_auto(GStrv) names = NULL;
  g_autofree char *joined = NULL;

  if (pspec->owner_type != CW_TYPE_OCW_BUTTON)
    return;

  g_string_append_printf (notified, "%s%s", notified->len > 0 ? " " : "", pspec->name);
  names = g_strsplit (notified->str, " ", -1);
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  joined = g_strjoinv (" ", names);
  g_string_assign (notified, joined);
}

static void
test_properties (Fixture       *fixture,
                 gconstpointer  data)
{
  CwOcwButton *button = fixture->button;
  g_autoptr(GDateTime) read = date_time (12, 9, 48);
  g_autoptr(GDateTime) same = date_time (12, 9, 48);
  g_autoptr(GDateTime) got_time = NULL;
  g_autoptr(GString) notified = g_string_new (NULL);
  g_autofree char *url = NULL;
  g_autofree char *message = NULL;
  CwOcwState state;
  gboolean checking, unreachable;
  gint64 mileage;

  /* A new button: never asked, nothing known. */
  g_assert_cmpint (cw_ocw_button_get_state (button), ==, CW_OCW_UNKNOWN);
  g_assert_false (cw_ocw_button_get_checking (button));
  g_assert_false (cw_ocw_button_get_unreachable (button));
  g_assert_null (cw_ocw_button_get_message (button));
  g_assert_cmpint (cw_ocw_button_get_mileage (button), ==, -1);
  g_assert_null (cw_ocw_button_get_reading_time (button));
  g_assert_null (cw_ocw_button_get_portal_url (button));

  g_signal_connect (button, "notify", G_CALLBACK (count_notify_cb), notified);
  g_object_set (button,
                "state", CW_OCW_CONNECTED,
                "checking", TRUE,
                "unreachable", TRUE,
                "message", "PON is down",
                "mileage", (gint64) 48210,
                "reading-time", read,
                "portal-url", PORTAL,
                NULL);
  g_assert_cmpstr (notified->str, ==, "checking message mileage portal-url reading-time state unreachable");
  g_object_get (button,
                "state", &state,
                "checking", &checking,
                "unreachable", &unreachable,
                "message", &message,
                "mileage", &mileage,
                "reading-time", &got_time,
                "portal-url", &url,
                NULL);
  g_assert_cmpint (state, ==, CW_OCW_CONNECTED);
  g_assert_true (checking);
  g_assert_true (unreachable);
  g_assert_cmpstr (message, ==, "PON is down");
  g_assert_cmpint (mileage, ==, 48210);
  g_assert_true (g_date_time_equal (got_time, read));
  g_assert_cmpstr (url, ==, PORTAL);

  /* Notified only on a real change. */
  g_string_truncate (notified, 0);
  g_object_set (button,
                "state", CW_OCW_CONNECTED,
                "checking", TRUE,
                "unreachable", TRUE,
                "message", "PON is down",
                "mileage", (gint64) 48210,
                "reading-time", same,
                "portal-url", PORTAL,
                NULL);
  g_assert_cmpstr (notified->str, ==, "");
}

static void
test_set_status (Fixture       *fixture,
                 gconstpointer  data)
{
  CwOcwButton *button = fixture->button;
  g_autoptr(CwOcwStatus) status = cw_ocw_status_new ();
  g_autoptr(GDateTime) read = date_time (12, 9, 48);

  cw_ocw_button_set_checking (button, TRUE);
  cw_ocw_button_set_unreachable (button, TRUE);
  cw_ocw_button_set_message (button, "PON is down");

  status->capable = TRUE;
  status->activated = TRUE;
  status->connected = TRUE;
  status->portal_url = g_strdup (PORTAL);
  g_assert_true (cw_ocw_status_set_mileage (status, 48210, "km", read));
  cw_ocw_button_set_status (button, status);

  g_assert_cmpint (cw_ocw_button_get_state (button), ==, CW_OCW_CONNECTED);
  g_assert_false (cw_ocw_button_get_checking (button));
  g_assert_false (cw_ocw_button_get_unreachable (button));
  g_assert_null (cw_ocw_button_get_message (button));
  g_assert_cmpint (cw_ocw_button_get_mileage (button), ==, 48210);
  g_assert_true (g_date_time_equal (cw_ocw_button_get_reading_time (button), read));
  g_assert_cmpstr (cw_ocw_button_get_portal_url (button), ==, PORTAL);
  g_assert_cmpstr (colour_class (button), ==, "green");

  status->connected = FALSE;
  cw_ocw_button_set_status (button, status);
  g_assert_cmpstr (colour_class (button), ==, "red");
  g_assert_true (cw_ocw_button_can_open_portal (button));
}

/*
 * Renders
 */

static char *
screenshot_path (const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  return g_build_filename (dir, name, NULL);
}

/* A window with a button in each state, one under the other. */
static GtkWindow *
states_window (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  g_autoptr(GDateTime) now = date_time (12, 10, 0);
  g_autoptr(GDateTime) read = date_time (12, 9, 48);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_window_set_child (window, box);

  for (guint i = 0; i < G_N_ELEMENTS (state_cases) + 2; i++)
    {
      GtkWidget *button = cw_ocw_button_new ();

      gtk_widget_set_halign (button, GTK_ALIGN_START);
      _cw_ocw_button_set_now (CW_OCW_BUTTON (button), now);
      g_object_set (button,
                    "state", i < G_N_ELEMENTS (state_cases) ? state_cases[i].state : CW_OCW_CONNECTED,
                    "checking", i == G_N_ELEMENTS (state_cases),
                    "unreachable", i == G_N_ELEMENTS (state_cases) + 1,
                    "mileage", (gint64) 48210,
                    "reading-time", read,
                    "portal-url", PORTAL,
                    NULL);
      gtk_box_append (GTK_BOX (box), button);
    }

  return window;
}

static void
render_states (const char *variant)
{
  GtkWindow *window = states_window ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  double luminance[2];

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  cw_test_ui_wait_until_shown (window);

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *name = g_strdup_printf ("ocw-button-states%s-%s.png", variant, dark ? "dark" : "light");
      g_autofree char *path = screenshot_path (name);

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      cw_test_ui_iterate (300);
      g_assert_true (cw_test_ui_render_png (GTK_WIDGET (window), path, &luminance[dark]));
      g_test_message ("%s: mean luminance %.2f", path, luminance[dark]);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  g_assert_cmpfloat (luminance[0], >, 0.7);
  g_assert_cmpfloat (luminance[1], <, 0.3);
  cw_test_ui_close_window (window);
}

static void
test_renders (void)
{
  render_states ("");
}

/* libadwaita reads ADW_DEBUG_HIGH_CONTRAST once, when it starts: in a process of its own. */
static void
test_renders_high_contrast (void)
{
  if (g_test_subprocess ())
    {
      g_assert_true (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()));
      render_states ("-high-contrast");
      return;
    }

  g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("ADW_DEBUG_HIGH_CONTRAST");
  g_test_trap_assert_passed ();
}

/* The green button with its tooltip up, as the advisor sees it when the pointer rests on
 * it: the pointer is moved onto the button in the X server, GTK shows its own tooltip
 * window, and the picture is taken from the X screen, as a screenshot would (the tooltip
 * is a window of its own, which rendering the workorder window would leave out). */
static GtkWidget *
find_tooltip_window (GtkWidget *window)
{
  for (GtkWidget *child = gtk_widget_get_first_child (window);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (G_OBJECT_TYPE_NAME (child), "GtkTooltipWindow") && gtk_widget_get_mapped (child))
      return child;

  return NULL;
}

/* What the X screen shows of @surface's window, its size, as a PNG. */
static void
save_screen_png (GdkSurface *surface,
                 const char *path)
{
  Display *xdisplay = gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface));
  Window child;
  int x, y;
  int width = gdk_surface_get_width (surface);
  int height = gdk_surface_get_height (surface);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guchar *pixels = g_malloc (width * height * 4);
  XImage *image;

  XTranslateCoordinates (xdisplay, gdk_x11_surface_get_xid (surface), DefaultRootWindow (xdisplay), 0, 0,
                         &x, &y, &child);
  image = XGetImage (xdisplay, DefaultRootWindow (xdisplay), x, y, width, height, AllPlanes, ZPixmap);
  g_assert_nonnull (image);
  g_assert_cmpint (image->bits_per_pixel, ==, 32);

  for (int row = 0; row < height; row++)
    for (int column = 0; column < width; column++)
      {
        unsigned long pixel = XGetPixel (image, column, row);
        guchar *out = pixels + (row * width + column) * 4;

        out[0] = (pixel & image->red_mask) >> 16;
        out[1] = (pixel & image->green_mask) >> 8;
        out[2] = pixel & image->blue_mask;
        out[3] = 0xff;
      }
  XDestroyImage (image);

  bytes = g_bytes_new_take (pixels, width * height * 4);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, width * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("written to %s", path);
}

static void
test_renders_tooltip (Fixture       *fixture,
                      gconstpointer  data)
{
  CwOcwButton *button = fixture->button;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GdkDisplay *display = gtk_widget_get_display (window);
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) read = g_date_time_add_minutes (now, -12);
  GdkSurface *surface;
  Display *xdisplay;
  Window xid;
  double x, y, surface_x, surface_y;
  gint64 deadline;

  if (!GDK_IS_X11_DISPLAY (display))
    {
      g_test_skip ("Moves the X pointer and reads the X screen");
      return;
    }

  gtk_window_set_default_size (fixture->window, 460, 130);
  gtk_widget_set_valign (GTK_WIDGET (button), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (button), 24);
  g_object_set (button, "state", CW_OCW_CONNECTED, "mileage", (gint64) 48210, "reading-time", read, NULL);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  cw_test_ui_iterate (300);

  /* To a corner of the window, then to the middle of the button. */
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &surface_x, &surface_y);
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (button), window,
                                                   gtk_widget_get_width (GTK_WIDGET (button)) / 2.0,
                                                   gtk_widget_get_height (GTK_WIDGET (button)) / 2.0,
                                                   &x, &y));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  xid = gdk_x11_surface_get_xid (surface);
  XWarpPointer (xdisplay, None, xid, 0, 0, 0, 0, 2, 2);
  XFlush (xdisplay);
  cw_test_ui_iterate (100);
  XWarpPointer (xdisplay, None, xid, 0, 0, 0, 0, (int) (x + surface_x), (int) (y + surface_y));
  XFlush (xdisplay);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (find_tooltip_window (window) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      cw_test_ui_iterate (50);
    }
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Connected · 48,210 km, read 12 minutes ago");

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *name = g_strdup_printf ("ocw-button-tooltip-%s.png", dark ? "dark" : "light");
      g_autofree char *path = screenshot_path (name);

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      cw_test_ui_iterate (300);
      g_assert_nonnull (find_tooltip_window (window));
      save_screen_png (surface, path);
    }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  XWarpPointer (xdisplay, None, DefaultRootWindow (xdisplay), 0, 0, 0, 0, 1200, 1000);
  XFlush (xdisplay);
}

/* What the application's resource base path gives a window: its icons and its style. */
static void
load_app_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GdkDisplay *display = gdk_display_get_default ();

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display), RESOURCE_BASE_PATH "/icons");
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

int
main (int   argc,
      char *argv[])
{
  cw_test_ui_init (&argc, &argv);
  load_app_style ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ocw-button/states", test_states);
  ADD ("/ocw-button/checking", test_checking);
  ADD ("/ocw-button/unreachable", test_unreachable);
  ADD ("/ocw-button/green-tooltip", test_green_tooltip);
  ADD ("/ocw-button/green-tooltip-recounts", test_green_tooltip_recounts);
  ADD ("/ocw-button/red-opens-portal", test_red_opens_portal);
  ADD ("/ocw-button/other-states-do-not-open", test_other_states_do_not_open);
  ADD ("/ocw-button/launch-failed", test_launch_failed);
  ADD ("/ocw-button/properties", test_properties);
  ADD ("/ocw-button/set-status", test_set_status);
  ADD ("/ocw-button/renders-tooltip", test_renders_tooltip);
#undef ADD
  g_test_add_func ("/ocw-button/renders", test_renders);
  g_test_add_func ("/ocw-button/renders-high-contrast", test_renders_high_contrast);

  return g_test_run ();
}
