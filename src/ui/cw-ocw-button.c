/* cw-ocw-button.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-ocw-button"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-core-enums.h"
#include "cw-ocw-button-private.h"
#include "cw-text.h"

/*
 * The OCW button of a Volkswagen workorder (DESIGN §4, seeds/000): the car's One Connect
 * Workspace state as PON gave it, in its colour (grey, red, green, orange), with an icon
 * and words of its own so that colour is never the only cue. While PON is asked it says
 * so with a spinner, and when PON cannot be reached it says that; neither shows a colour,
 * since any colour would be a guess.
 *
 * Only red has an action: it opens the Volkswagen portal in the default browser, where the
 * advisor helps the customer activate OCW and install the app. In the other states the
 * button stays focusable and sensitive (its label and tooltip are what it is for) but a
 * click does nothing, and the "inert" style class keeps it from reacting to the pointer
 * (docs/ui.md, "OCW button"). Green's tooltip gives the mileage and how old the reading is,
 * counted again each time the tooltip shows.
 */

typedef enum
{
  SHOW_STATE,
  SHOW_CHECKING,
  SHOW_UNREACHABLE,
} Showing;

struct _CwOcwButton
{
  GtkButton              parent_instance;

  /* Template widgets */
  GtkImage              *icon;
  GtkSpinner            *spinner;
  GtkLabel              *name_label;
  GtkLabel              *state_label;

  CwOcwState             state;
  gboolean               checking;
  gboolean               unreachable;
  char                  *message;
  gint64                 mileage;
  GDateTime             *reading_time;
  char                  *portal_url;

  /* Tests put their own here. */
  GDateTime             *now;
  CwOcwLaunchFunc        launch;
  CwOcwLaunchFinishFunc  launch_finish;

  guint                  tooltip_idle_id;
};

G_DEFINE_FINAL_TYPE (CwOcwButton, cw_ocw_button, GTK_TYPE_BUTTON)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_CHECKING,
  PROP_UNREACHABLE,
  PROP_MESSAGE,
  PROP_MILEAGE,
  PROP_READING_TIME,
  PROP_PORTAL_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  LAUNCH_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The colour classes of the four states, in the order of CwOcwState from NOT_CAPABLE. */
static const char * const colour_classes[] = { "grey", "red", "green", "orange" };

/* g_set_str() is GLib 2.76; Debian 12 has 2.74. */
static gboolean
set_str (char       **str_pointer,
         const char  *new_str)
{
  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  g_free (*str_pointer);
  *str_pointer = g_strdup (new_str);

  return TRUE;
}

static Showing
get_showing (CwOcwButton *self)
{
  if (self->checking)
    return SHOW_CHECKING;
  if (self->unreachable)
    return SHOW_UNREACHABLE;

  return SHOW_STATE;
}

/* Only a web address: PON's answer is not trusted to name a file or a program. */
static gboolean
is_web_address (const char *uri)
{
  const char *scheme;

  if (uri == NULL)
    return FALSE;

  scheme = g_uri_peek_scheme (uri);

  return scheme != NULL && (g_str_equal (scheme, "https") || g_str_equal (scheme, "http"));
}

/**
 * cw_ocw_button_can_open_portal:
 * @self: a #CwOcwButton
 *
 * Returns: whether activating the button opens the Volkswagen portal: the car is red
 *   (while not checking and PON was reached) and PON gave a web address for the portal
 */
gboolean
cw_ocw_button_can_open_portal (CwOcwButton *self)
{
  g_return_val_if_fail (CW_IS_OCW_BUTTON (self), FALSE);

  return get_showing (self) == SHOW_STATE &&
         self->state == CW_OCW_NOT_ACTIVATED &&
         is_web_address (self->portal_url);
}

static const char *
state_text (CwOcwState state)
{
  switch (state)
    {
    case CW_OCW_NOT_CAPABLE:
      /* Translators: on the OCW button, after "OCW": the car cannot use OCW */
      return C_("OCW state", "Not available");
    case CW_OCW_NOT_ACTIVATED:
      /* Translators: on the OCW button, after "OCW" */
      return C_("OCW state", "Not activated");
    case CW_OCW_CONNECTED:
      /* Translators: on the OCW button, after "OCW" */
      return C_("OCW state", "Connected");
    case CW_OCW_MAINTENANCE:
      /* Translators: on the OCW button, after "OCW": the car is in maintenance mode */
      return C_("OCW state", "Maintenance");
    case CW_OCW_UNKNOWN:
    default:
      /* Translators: on the OCW button, after "OCW": PON has not been asked yet */
      return C_("OCW state", "Unknown");
    }
}

static GDateTime *
dup_now (CwOcwButton *self)
{
  if (self->now != NULL)
    return g_date_time_ref (self->now);

  return g_date_time_new_now_local ();
}

/* How old a reading is, in words: "read 12 minutes ago", "read yesterday". The days are
 * counted on the calendar, in the time zone of @now. */
static char *
dup_age (GDateTime *reading,
         GDateTime *now)
{
  GTimeSpan span = g_date_time_difference (now, reading);
  g_autoptr(GDateTime) local = NULL;
  GDate read_day, today;
  int days;

  /* A reading from the future is a clock that is a little off. */
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("read just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (span / G_TIME_SPAN_MINUTE);

      /* Translators: how old the car's mileage reading is */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "read %d minute ago", "read %d minutes ago", minutes),
                              minutes);
    }

  if (span < G_TIME_SPAN_DAY)
    {
      int hours = (int) (span / G_TIME_SPAN_HOUR);

      /* Translators: how old the car's mileage reading is */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "read %d hour ago", "read %d hours ago", hours),
                              hours);
    }

  local = g_date_time_to_timezone (reading, g_date_time_get_timezone (now));
  g_date_clear (&read_day, 1);
  g_date_clear (&today, 1);
  g_date_set_dmy (&read_day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  days = MAX (g_date_days_between (&read_day, &today), 1);

  if (days == 1)
    /* Translators: how old the car's mileage reading is */
    return g_strdup (_("read yesterday"));

  /* Translators: how old the car's mileage reading is */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "read %d day ago", "read %d days ago", days), days);
}

static char *
dup_connected_tooltip (CwOcwButton *self)
{
  g_autofree char *mileage = NULL;
  g_autofree char *age = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (self->mileage < 0)
    /* Translators: the tooltip of the green OCW button when PON gave no mileage */
    return g_strdup (_("Connected · PON gave no mileage"));

  mileage = cw_text_dup_grouped (self->mileage);
  if (self->reading_time == NULL)
    /* Translators: the tooltip of the green OCW button; %s is the mileage, "48,210" */
    return g_strdup_printf (_("Connected · %s km"), mileage);

  now = dup_now (self);
  age = dup_age (self->reading_time, now);

  /* Translators: the tooltip of the green OCW button; the first %s is the mileage,
   * "48,210", the second how old the reading is, "read 12 minutes ago" */
  return g_strdup_printf (_("Connected · %s km, %s"), mileage, age);
}

static char *
dup_tooltip (CwOcwButton *self)
{
  switch (get_showing (self))
    {
    case SHOW_CHECKING:
      return g_strdup (_("Asking PON for the car’s OCW state"));

    case SHOW_UNREACHABLE:
      if (self->message != NULL && *self->message != '\0')
        return g_strdup (self->message);
      return g_strdup (_("PON could not be reached, so the car’s OCW state is not known"));

    case SHOW_STATE:
    default:
      break;
    }

  switch (self->state)
    {
    case CW_OCW_NOT_CAPABLE:
      return g_strdup (_("This car cannot be connected to OCW"));

    case CW_OCW_NOT_ACTIVATED:
      if (is_web_address (self->portal_url))
        return g_strdup (_("Open the Volkswagen portal to help the customer activate OCW and install the app"));
      return g_strdup (_("OCW is not activated, and PON gave no address of the Volkswagen portal to open"));

    case CW_OCW_CONNECTED:
      return dup_connected_tooltip (self);

    case CW_OCW_MAINTENANCE:
      return g_strdup (_("The car is in OCW maintenance mode"));

    case CW_OCW_UNKNOWN:
    default:
      return g_strdup (_("PON has not been asked about this car yet"));
    }
}

static void
update (CwOcwButton *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  Showing showing = get_showing (self);
  g_autofree char *tooltip = dup_tooltip (self);
  const char *text;
  const char *label;

  for (guint i = 0; i < G_N_ELEMENTS (colour_classes); i++)
    gtk_widget_remove_css_class (widget, colour_classes[i]);

  switch (showing)
    {
    case SHOW_CHECKING:
      text = _("Checking OCW…");
      label = text;
      break;

    case SHOW_UNREACHABLE:
      text = _("PON unreachable");
      /* Translators: read aloud for the OCW button when PON could not be asked */
      label = _("OCW state unknown: PON unreachable");
      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
      break;

    case SHOW_STATE:
    default:
      text = state_text (self->state);
      label = cw_ocw_state_get_label (self->state);
      gtk_image_set_from_icon_name (self->icon, cw_ocw_state_get_icon_name (self->state));
      if (self->state >= CW_OCW_NOT_CAPABLE && self->state <= CW_OCW_MAINTENANCE)
        gtk_widget_add_css_class (widget, colour_classes[self->state - CW_OCW_NOT_CAPABLE]);
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), showing == SHOW_CHECKING);
  gtk_spinner_set_spinning (self->spinner, showing == SHOW_CHECKING);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), showing != SHOW_CHECKING);
  gtk_widget_set_visible (GTK_WIDGET (self->name_label), showing == SHOW_STATE);
  gtk_label_set_label (self->state_label, text);

  if (cw_ocw_button_can_open_portal (self))
    gtk_widget_remove_css_class (widget, "inert");
  else
    gtk_widget_add_css_class (widget, "inert");

  gtk_widget_set_tooltip_text (widget, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                  -1);
}

/* The tooltip counts the reading's age again each time it shows; the stored text (what
 * screen readers get as the description) follows once the tooltip is up. */
static gboolean
update_idle_cb (gpointer user_data)
{
  CwOcwButton *self = user_data;

  self->tooltip_idle_id = 0;
  update (self);

  return G_SOURCE_REMOVE;
}

static gboolean
cw_ocw_button_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_tooltip,
                             GtkTooltip *tooltip)
{
  CwOcwButton *self = CW_OCW_BUTTON (widget);
  g_autofree char *text = dup_tooltip (self);

  gtk_tooltip_set_text (tooltip, text);
  if (g_strcmp0 (text, gtk_widget_get_tooltip_text (widget)) != 0 && self->tooltip_idle_id == 0)
    self->tooltip_idle_id = g_idle_add (update_idle_cb, self);

  return TRUE;
}

static void
on_launched_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CwOcwButton) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->launch_finish (result, &error))
    return;

  g_debug ("Could not open the Volkswagen portal: %s", error->message);
  /* Translators: %s is the reason, from the system */
  message = g_strdup_printf (_("Could not open the Volkswagen portal in a web browser: %s"), error->message);
  g_signal_emit (self, signals[LAUNCH_FAILED], 0, message);
}

static void
cw_ocw_button_clicked (GtkButton *button)
{
  CwOcwButton *self = CW_OCW_BUTTON (button);
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (!cw_ocw_button_can_open_portal (self))
    return;

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  /* The button is kept until the browser started (or failed to), to report a failure. */
  self->launch (self->portal_url, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched_cb, g_object_ref (self));
}

static void
cw_ocw_button_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CwOcwButton *self = CW_OCW_BUTTON (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;

    case PROP_UNREACHABLE:
      g_value_set_boolean (value, self->unreachable);
      break;

    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;

    case PROP_MILEAGE:
      g_value_set_int64 (value, self->mileage);
      break;

    case PROP_READING_TIME:
      g_value_set_boxed (value, self->reading_time);
      break;

    case PROP_PORTAL_URL:
      g_value_set_string (value, self->portal_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_ocw_button_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CwOcwButton *self = CW_OCW_BUTTON (object);

  switch (prop_id)
    {
    case PROP_STATE:
      cw_ocw_button_set_state (self, g_value_get_enum (value));
      break;

    case PROP_CHECKING:
      cw_ocw_button_set_checking (self, g_value_get_boolean (value));
      break;

    case PROP_UNREACHABLE:
      cw_ocw_button_set_unreachable (self, g_value_get_boolean (value));
      break;

    case PROP_MESSAGE:
      cw_ocw_button_set_message (self, g_value_get_string (value));
      break;

    case PROP_MILEAGE:
      cw_ocw_button_set_mileage (self, g_value_get_int64 (value));
      break;

    case PROP_READING_TIME:
      cw_ocw_button_set_reading_time (self, g_value_get_boxed (value));
      break;

    case PROP_PORTAL_URL:
      cw_ocw_button_set_portal_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_ocw_button_dispose (GObject *object)
{
  CwOcwButton *self = CW_OCW_BUTTON (object);

  g_clear_handle_id (&self->tooltip_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_OCW_BUTTON);

  G_OBJECT_CLASS (cw_ocw_button_parent_class)->dispose (object);
}

static void
cw_ocw_button_finalize (GObject *object)
{
  CwOcwButton *self = CW_OCW_BUTTON (object);

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->reading_time, g_date_time_unref);
  g_clear_pointer (&self->portal_url, g_free);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (cw_ocw_button_parent_class)->finalize (object);
}

static void
cw_ocw_button_class_init (CwOcwButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkButtonClass *button_class = GTK_BUTTON_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = cw_ocw_button_get_property;
  object_class->set_property = cw_ocw_button_set_property;
  object_class->dispose = cw_ocw_button_dispose;
  object_class->finalize = cw_ocw_button_finalize;

  widget_class->query_tooltip = cw_ocw_button_query_tooltip;

  button_class->clicked = cw_ocw_button_clicked;

  /**
   * CwOcwButton:state:
   *
   * The car's OCW state as PON last gave it; shown unless #CwOcwButton:checking or
   * #CwOcwButton:unreachable is set.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CW_TYPE_OCW_STATE, CW_OCW_UNKNOWN, flags);

  /**
   * CwOcwButton:checking:
   *
   * PON is being asked: the button says so, with a spinner and no colour. It goes before
   * #CwOcwButton:unreachable and #CwOcwButton:state.
   */
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE, flags);

  /**
   * CwOcwButton:unreachable:
   *
   * PON could not be asked: the button says so, with no colour, and
   * #CwOcwButton:message (if any) as its tooltip.
   */
  properties[PROP_UNREACHABLE] =
    g_param_spec_boolean ("unreachable", NULL, NULL, FALSE, flags);

  /**
   * CwOcwButton:message:
   *
   * Why PON could not be asked and what to do, translated: the tooltip while
   * #CwOcwButton:unreachable.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL, flags);

  /**
   * CwOcwButton:mileage:
   *
   * The car's mileage in km as PON gave it, or -1: in green's tooltip.
   */
  properties[PROP_MILEAGE] =
    g_param_spec_int64 ("mileage", NULL, NULL, -1, G_MAXINT64, -1, flags);

  /**
   * CwOcwButton:reading-time:
   *
   * When the car read #CwOcwButton:mileage; green's tooltip says how long ago.
   */
  properties[PROP_READING_TIME] =
    g_param_spec_boxed ("reading-time", NULL, NULL, G_TYPE_DATE_TIME, flags);

  /**
   * CwOcwButton:portal-url:
   *
   * The Volkswagen portal that the red button opens; only an http or https address is
   * opened.
   */
  properties[PROP_PORTAL_URL] =
    g_param_spec_string ("portal-url", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CwOcwButton::launch-failed:
   * @self: the button
   * @message: what happened, translated, for a toast
   *
   * The red button could not open the Volkswagen portal.
   */
  signals[LAUNCH_FAILED] =
    g_signal_new ("launch-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-ocw-button.ui");
  gtk_widget_class_bind_template_child (widget_class, CwOcwButton, icon);
  gtk_widget_class_bind_template_child (widget_class, CwOcwButton, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwOcwButton, name_label);
  gtk_widget_class_bind_template_child (widget_class, CwOcwButton, state_label);
}

static void
cw_ocw_button_init (CwOcwButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->state = CW_OCW_UNKNOWN;
  self->mileage = -1;
  self->launch = g_app_info_launch_default_for_uri_async;
  self->launch_finish = g_app_info_launch_default_for_uri_finish;

  update (self);
}

GtkWidget *
cw_ocw_button_new (void)
{
  return g_object_new (CW_TYPE_OCW_BUTTON, NULL);
}

CwOcwState
cw_ocw_button_get_state (CwOcwButton *self)
{
  g_return_val_if_fail (CW_IS_OCW_BUTTON (self), CW_OCW_UNKNOWN);

  return self->state;
}

void
cw_ocw_button_set_state (CwOcwButton *self,
                         CwOcwState   state)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));

  if (self->state == state)
    return;

  self->state = state;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

gboolean
cw_ocw_button_get_checking (CwOcwButton *self)
{
  g_return_val_if_fail (CW_IS_OCW_BUTTON (self), FALSE);

  return self->checking;
}

void
cw_ocw_button_set_checking (CwOcwButton *self,
                            gboolean     checking)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));

  checking = !!checking;
  if (self->checking == checking)
    return;

  self->checking = checking;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

gboolean
cw_ocw_button_get_unreachable (CwOcwButton *self)
{
  g_return_val_if_fail (CW_IS_OCW_BUTTON (self), FALSE);

  return self->unreachable;
}

void
cw_ocw_button_set_unreachable (CwOcwButton *self,
                               gboolean     unreachable)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));

  unreachable = !!unreachable;
  if (self->unreachable == unreachable)
    return;

  self->unreachable = unreachable;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREACHABLE]);
}

const char *
cw_ocw_button_get_message (CwOcwButton *self)
{
  g_return_val_if_fail (CW_IS_OCW_BUTTON (self), NULL);

  return self->message;
}

void
cw_ocw_button_set_message (CwOcwButton *self,
                           const char  *message)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));

  if (!set_str (&self->message, message))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

gint64
cw_ocw_button_get_mileage (CwOcwButton *self)
{
  g_return_val_if_fail (CW_IS_OCW_BUTTON (self), -1);

  return self->mileage;
}

void
cw_ocw_button_set_mileage (CwOcwButton *self,
                           gint64       mileage)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));
  g_return_if_fail (mileage >= -1);

  if (self->mileage == mileage)
    return;

  self->mileage = mileage;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MILEAGE]);
}

/**
 * cw_ocw_button_get_reading_time:
 * @self: a #CwOcwButton
 *
 * Returns: (transfer none) (nullable): when the car read its mileage
 */
GDateTime *
cw_ocw_button_get_reading_time (CwOcwButton *self)
{
  g_return_val_if_fail (CW_IS_OCW_BUTTON (self), NULL);

  return self->reading_time;
}

void
cw_ocw_button_set_reading_time (CwOcwButton *self,
                                GDateTime   *reading_time)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));

  if (self->reading_time == reading_time ||
      (self->reading_time != NULL && reading_time != NULL &&
       g_date_time_equal (self->reading_time, reading_time)))
    return;

  g_clear_pointer (&self->reading_time, g_date_time_unref);
  self->reading_time = reading_time != NULL ? g_date_time_ref (reading_time) : NULL;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READING_TIME]);
}

const char *
cw_ocw_button_get_portal_url (CwOcwButton *self)
{
  g_return_val_if_fail (CW_IS_OCW_BUTTON (self), NULL);

  return self->portal_url;
}

void
cw_ocw_button_set_portal_url (CwOcwButton *self,
                              const char  *portal_url)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));

  if (!set_str (&self->portal_url, portal_url))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORTAL_URL]);
}

/**
 * cw_ocw_button_set_status:
 * @self: a #CwOcwButton
 * @status: what PON said about the car
 *
 * Shows PON's answer: its state, mileage, reading time and portal, and clears
 * #CwOcwButton:checking, #CwOcwButton:unreachable and #CwOcwButton:message.
 */
void
cw_ocw_button_set_status (CwOcwButton       *self,
                          const CwOcwStatus *status)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));
  g_return_if_fail (status != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  cw_ocw_button_set_state (self, cw_ocw_state_from_status (status));
  cw_ocw_button_set_mileage (self, MAX (status->mileage_km, -1));
  cw_ocw_button_set_reading_time (self, status->mileage_at);
  cw_ocw_button_set_portal_url (self, status->portal_url);
  cw_ocw_button_set_message (self, NULL);
  cw_ocw_button_set_unreachable (self, FALSE);
  cw_ocw_button_set_checking (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_cw_ocw_button_set_launcher (CwOcwButton           *self,
                             CwOcwLaunchFunc        launch,
                             CwOcwLaunchFinishFunc  launch_finish)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));
  g_return_if_fail (launch != NULL && launch_finish != NULL);

  self->launch = launch;
  self->launch_finish = launch_finish;
}

void
_cw_ocw_button_set_now (CwOcwButton *self,
                        GDateTime   *now)
{
  g_return_if_fail (CW_IS_OCW_BUTTON (self));

  /* As the clock moving on: what is shown is counted again at the next change or when
   * the tooltip next shows. */
  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = now != NULL ? g_date_time_ref (now) : NULL;
}
