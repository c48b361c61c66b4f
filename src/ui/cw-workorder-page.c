/* cw-workorder-page.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-workorder-page"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cw-cancel-dialog.h"
#include "cw-capabilities.h"
#include "cw-connector-registry.h"
#include "cw-intervention-dialog.h"
#include "cw-money.h"
#include "cw-ocw-button.h"
#include "cw-ocw-service.h"
#include "cw-status-bar.h"
#include "cw-text.h"
#include "cw-workorder-page-private.h"
#include "cw-writeback.h"

/*
 * One workorder, as the advisor works it: the header (WO number, plate, car, customer,
 * the refresh-from-DMS button and a slot for the OCW button), the status bar, and the
 * sections the DMS filled (appointment, interventions, car, driver/owner/contractor) with
 * the timeline last. What the DMS did not give is left out rather than shown empty.
 *
 * The page reads the store synchronously (the reads are index lookups, docs/store.md) and
 * writes through the store's _async calls, so the main loop never waits for the disk. It
 * re-reads when the store says something changed and the workorder is not what it shows,
 * keeping its scroll position. Its "workorder.*" actions are enabled from the workflow
 * rules (src/core/cw-status.h); the store applies the same rules and the page shows its
 * answer when it refuses. Messages go out through the ::toast signal; unless a handler
 * stops it, the nearest AdwToastOverlay shows them. docs/ui.md has the decisions.
 */

/* The actions, as bits, so tests can ask which are enabled. */
typedef enum
{
  ACTION_ADVANCE,
  ACTION_ADVANCE_TO,
  ACTION_TOGGLE_IN_SHOP,
  ACTION_BACKORDER,
  ACTION_CANCEL,
  ACTION_REFRESH,
  ACTION_ADD_INTERVENTION,
  ACTION_EDIT_INTERVENTION,
  ACTION_REMOVE_INTERVENTION,
  ACTION_RETRY_WRITEBACK,
  ACTION_DISMISS_WRITEBACK,
  N_ACTIONS
} PageAction;

static const char * const action_names[N_ACTIONS] = {
  [ACTION_ADVANCE]             = "workorder.advance",
  [ACTION_ADVANCE_TO]          = "workorder.advance-to",
  [ACTION_TOGGLE_IN_SHOP]      = "workorder.toggle-in-shop",
  [ACTION_BACKORDER]           = "workorder.backorder",
  [ACTION_CANCEL]              = "workorder.cancel",
  [ACTION_REFRESH]             = "workorder.refresh",
  [ACTION_ADD_INTERVENTION]    = "workorder.add-intervention",
  [ACTION_EDIT_INTERVENTION]   = "workorder.edit-intervention",
  [ACTION_REMOVE_INTERVENTION] = "workorder.remove-intervention",
  [ACTION_RETRY_WRITEBACK]     = "workorder.retry-writeback",
  [ACTION_DISMISS_WRITEBACK]   = "workorder.dismiss-writeback",
};

struct _CwWorkorderPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwStatusPage       *error_page;
  GtkScrolledWindow   *scrolled;
  GtkLabel            *number_label;
  GtkLabel            *plate_label;
  GtkLabel            *car_label;
  GtkLabel            *customer_label;
  GtkBox              *ocw_slot;
  GtkSpinner          *refresh_spinner;
  GtkButton           *refresh_button;
  GtkLabel            *sync_label;
  CwStatusBar         *status_bar;
  AdwPreferencesGroup *appointment_group;
  GtkListBox          *appointment_list;
  GtkListBox          *intervention_list;
  AdwPreferencesGroup *mileage_group;
  AdwEntryRow         *mileage_row;
  AdwPreferencesGroup *writeback_group;
  GtkListBox          *writeback_list;
  AdwPreferencesGroup *car_group;
  GtkListBox          *car_list;
  AdwPreferencesGroup *driver_group;
  GtkListBox          *driver_list;
  AdwPreferencesGroup *owner_group;
  GtkListBox          *owner_list;
  AdwPreferencesGroup *contractor_group;
  GtkListBox          *contractor_list;
  GtkListBox          *timeline_list;

  /* Owned references */
  CwStore             *store;
  CwImportService     *service;
  CwOcwService        *ocw_service;
  CwOcwButton         *ocw_button;
  CwWorkorder         *workorder;
  char                *title;
  /* Cancelled when the page goes: late answers then find nothing to update. */
  GCancellable        *cancellable;
  /* Cancelled when the page shows another workorder, or goes. */
  GCancellable        *refresh_cancellable;

  gint64               workorder_id;
  /* Changes with the workorder shown, so that a late answer about another is ignored. */
  guint                generation;

  /* What the page shows, to tell whether the store changed it. */
  gint64               shown_revision;
  gint64               shown_last_sync;
  guint                shown_n_events;
  gint64               shown_last_event;

  guint                n_writes;
  gboolean             refreshing;
  guint                enabled_actions;
  double               kept_scroll;
  guint                scroll_tick;
};

G_DEFINE_FINAL_TYPE (CwWorkorderPage, cw_workorder_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_IMPORT_SERVICE,
  PROP_WORKORDER_ID,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_toast (CwWorkorderPage *self,
                        const char      *message);
static void reload (CwWorkorderPage *self,
                    gboolean         force);

/*
 * Formatting
 */

/* Translators: what separates the parts of a line, e.g. "Today, 10:42 · Sanne" */
#define SEPARATOR _(" · ")

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  int ya, ma, da, yb, mb, db;

  g_date_time_get_ymd (a, &ya, &ma, &da);
  g_date_time_get_ymd (b, &yb, &mb, &db);

  return ya == yb && ma == mb && da == db;
}

static char *
format_moment (GDateTime *moment)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;

  if (moment == NULL)
    return NULL;

  local = g_date_time_to_local (moment);
  now = g_date_time_new_now_local ();
  yesterday = g_date_time_add_days (now, -1);
  tomorrow = g_date_time_add_days (now, 1);

  if (same_day (local, now))
    /* Translators: a moment today; see g_date_time_format() */
    return g_date_time_format (local, _("Today, %H:%M"));
  if (same_day (local, yesterday))
    /* Translators: a moment yesterday; see g_date_time_format() */
    return g_date_time_format (local, _("Yesterday, %H:%M"));
  if (same_day (local, tomorrow))
    /* Translators: a moment tomorrow; see g_date_time_format() */
    return g_date_time_format (local, _("Tomorrow, %H:%M"));

  /* Translators: a moment on another day than today, yesterday or tomorrow; see g_date_time_format() */
  return g_date_time_format (local, _("%a %-d %b %Y, %H:%M"));
}

static char *
format_date (const GDate *date)
{
  char text[64];

  if (date == NULL || !g_date_valid (date))
    return NULL;

  /* Translators: a calendar date such as an APK date; see strftime() */
  if (g_date_strftime (text, sizeof text, _("%-d %B %Y"), date) == 0)
    return NULL;

  return g_strdup (text);
}

/* Groups thousands as the money of the desk's language does (docs/money.md), so that a
 * mileage and a price read alike whatever the system locale: 48.210, 48 210, 48,210. */
static char *
format_mileage (gint64 km)
{
  g_autofree char *number = NULL;

  if (km < 0)
    return NULL;

  number = cw_text_dup_grouped (km);

  /* Translators: a mileage; %s is the number of kilometres */
  return g_strdup_printf (_("%s km"), number);
}

static void
append_part (GString    *text,
             const char *part)
{
  if (part == NULL || *part == '\0')
    return;

  if (text->len > 0)
    g_string_append (text, SEPARATOR);
  g_string_append (text, part);
}

static char *
dup_number_text (CwWorkorder *workorder)
{
  const char *wo_number = cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER);
  const char *dms_number = cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER);

  if (wo_number != NULL)
    /* Translators: %s is a WO number */
    return g_strdup_printf (_("WO %s"), wo_number);
  if (dms_number != NULL)
    /* Translators: a workorder known only by its DMS number, %s */
    return g_strdup_printf (_("DMS no. %s"), dms_number);

  return g_strdup (_("Workorder"));
}

static char *
dup_title (CwWorkorder *workorder)
{
  g_autofree char *plate = cw_car_dup_plate_display (cw_workorder_get_car (workorder));
  g_autofree char *number = dup_number_text (workorder);
  GString *title = g_string_new (number);

  append_part (title, plate);

  return g_string_free (title, FALSE);
}

/* The desk's user, for the timeline: the real name, else the login. */
static const char *
get_actor (void)
{
  const char *name = g_get_real_name ();

  /* GLib says "Unknown" when the system has no real name. */
  if (name == NULL || *name == '\0' || g_str_equal (name, "Unknown"))
    return g_get_user_name ();

  return name;
}

/*
 * Rows
 */

typedef enum
{
  FIELD_PLAIN  = 0,
  /* Numbers and codes an advisor copies: selectable, in tabular figures. */
  FIELD_COPY   = 1 << 0,
  /* Long text (notes): the value under its name, over the row's whole width. */
  FIELD_LONG   = 1 << 1,
} FieldFlags;

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static gboolean
list_is_empty (GtkListBox *list)
{
  return gtk_list_box_get_row_at_index (list, 0) == NULL;
}

/* Values up to this many characters stay on one line; longer ones wrap. */
#define SHORT_VALUE_CHARS 28

static GtkWidget *
new_value_label (const char *value,
                 FieldFlags  flags)
{
  GtkWidget *label = gtk_label_new (value);

  /* A wrapping label asks for the width of one character, and a row squeezes it to that:
   * short values (numbers, dates, names) do not wrap; long ones wrap from a fair width. */
  if ((flags & FIELD_LONG) || g_utf8_strlen (value, -1) > SHORT_VALUE_CHARS)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), SHORT_VALUE_CHARS);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
    }
  gtk_widget_add_css_class (label, "cw-field-value");
  if (flags & FIELD_COPY)
    {
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "numeric");
    }

  return label;
}

static GtkWidget *
add_field (GtkListBox  *list,
           const char  *title,
           const char  *value,
           FieldFlags   flags)
{
  GtkWidget *row, *label;

  if (value == NULL || *value == '\0')
    return NULL;

  label = new_value_label (value, flags);

  if (flags & FIELD_LONG)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *caption = gtk_label_new (title);

      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_widget_add_css_class (caption, "caption");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), caption);
      gtk_box_append (GTK_BOX (box), label);

      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "cw-long-field");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      -1);
    }
  else
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  gtk_list_box_append (list, row);

  return row;
}

static void
add_moment_field (GtkListBox *list,
                  const char *title,
                  GDateTime  *moment)
{
  g_autofree char *text = format_moment (moment);

  add_field (list, title, text, FIELD_PLAIN);
}

static void
add_date_field (GtkListBox  *list,
                const char  *title,
                const GDate *date)
{
  g_autofree char *text = format_date (date);

  add_field (list, title, text, FIELD_PLAIN);
}

/* An icon beside text that says the same: screen readers skip it. */
static GtkWidget *
new_icon (const char *icon_name)
{
  return g_object_new (GTK_TYPE_IMAGE,
                       "icon-name", icon_name,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       NULL);
}

/* A yes/no fact the DMS gave: shown only when it holds (a DMS that says nothing is no "no"). */
static void
add_flag (GtkListBox *list,
          const char *title,
          const char *icon_name,
          gboolean    value)
{
  GtkWidget *row, *icon;

  if (!value)
    return;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  icon = new_icon (icon_name);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (list, row);
}

static void
show_group (gpointer    group,
            GtkListBox *list)
{
  gtk_widget_set_visible (GTK_WIDGET (group), !list_is_empty (list));
}

/*
 * The sections
 */

static void
show_header (CwWorkorderPage *self)
{
  CwWorkorder *workorder = self->workorder;
  CwCar *car = cw_workorder_get_car (workorder);
  g_autofree char *number = dup_number_text (workorder);
  g_autofree char *plate = cw_car_dup_plate_display (car);
  g_autofree char *make_model = cw_car_dup_make_model (car);
  g_autofree char *customer = cw_workorder_dup_customer_name (workorder);

  gtk_label_set_label (self->number_label, number);
  gtk_label_set_label (self->plate_label, plate);
  gtk_widget_set_visible (GTK_WIDGET (self->plate_label), plate != NULL);
  gtk_label_set_label (self->car_label, make_model);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->car_label), make_model);
  gtk_widget_set_visible (GTK_WIDGET (self->car_label), make_model != NULL);
  gtk_label_set_label (self->customer_label, customer);
  gtk_widget_set_visible (GTK_WIDGET (self->customer_label), customer != NULL);
}

static CwConnection *
find_connection (CwWorkorderPage *self)
{
  if (self->service == NULL || self->workorder == NULL)
    return NULL;

  return cw_import_service_find_connection (self->service,
                                            cw_workorder_get_field (self->workorder, CW_WORKORDER_CONNECTION_ID));
}

static gboolean
can_refresh (CwWorkorderPage *self)
{
  CwConnection *connection = find_connection (self);
  const CwConnectorKind *kind;

  if (connection == NULL)
    return FALSE;

  kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));

  return kind != NULL && (kind->capabilities & CW_CAPABILITY_REFRESH) != 0;
}

static void
show_sync (CwWorkorderPage *self)
{
  CwConnection *connection = find_connection (self);
  GDateTime *last_sync = cw_workorder_get_time (self->workorder, CW_WORKORDER_LAST_SYNC);
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean refreshable = can_refresh (self);

  if (last_sync != NULL)
    {
      g_autofree char *when = format_moment (last_sync);

      if (connection != NULL)
        {
          g_autofree char *name = cw_connection_dup_display_name (connection);

          /* Translators: when the workorder was last read from its DMS; the DMS's name, then a moment */
          g_string_printf (text, _("Synced with %s: %s"), name, when);
        }
      else
        /* Translators: when the workorder was last read from its DMS; %s is a moment */
        g_string_printf (text, _("Last synced: %s"), when);
    }

  /* DESIGN §3: when the DMS data freezes once work starts, the page says so. */
  if (connection != NULL && cw_workorder_is_work_started (self->workorder) &&
      !(cw_import_service_get_import_flags (self->service, connection) & CW_IMPORT_AFTER_WORK_STARTED))
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, _("Work has started: changes in the DMS are no longer taken."));
    }

  gtk_label_set_label (self->sync_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_label), text->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_button), refreshable);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_spinner), refreshable && self->refreshing);
  gtk_spinner_set_spinning (self->refresh_spinner, refreshable && self->refreshing);
}

static void
show_appointment (CwWorkorderPage *self)
{
  CwWorkorder *workorder = self->workorder;
  g_autofree char *mileage = format_mileage (cw_workorder_get_dms_mileage (workorder));
  GtkListBox *list = self->appointment_list;

  clear_list (list);
  add_moment_field (list, _("Appointment"), cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT));
  add_moment_field (list, _("Created in the DMS"), cw_workorder_get_time (workorder, CW_WORKORDER_DMS_CREATED));
  add_moment_field (list, _("Scheduled in"), cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_IN));
  add_moment_field (list, _("Scheduled out"), cw_workorder_get_time (workorder, CW_WORKORDER_SCHEDULED_OUT));
  add_field (list, _("WO number"), cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER), FIELD_COPY);
  add_field (list, _("DMS number"), cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NUMBER), FIELD_COPY);
  add_field (list, _("DMS mileage"), mileage, FIELD_COPY);
  add_field (list, _("Location"), cw_workorder_get_field (workorder, CW_WORKORDER_LOCATION), FIELD_PLAIN);
  add_flag (list, _("The customer is waiting"), "alarm-symbolic",
            cw_workorder_get_flag (workorder, CW_WORKORDER_CUSTOMER_WAITING));
  add_flag (list, _("Internal workorder"), "system-users-symbolic",
            cw_workorder_get_flag (workorder, CW_WORKORDER_INTERNAL));
  add_flag (list, _("Invoiced in the DMS"), "emblem-ok-symbolic",
            cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));
  add_field (list, _("DMS notes"), cw_workorder_get_field (workorder, CW_WORKORDER_DMS_NOTES), FIELD_LONG);
  show_group (self->appointment_group, list);
}

static const char *
source_label (CwInterventionSource source)
{
  switch (source)
    {
    case CW_INTERVENTION_SOURCE_DMS:
      /* Translators: marks an intervention that came from the DMS; keep it short */
      return C_("intervention source", "DMS");

    case CW_INTERVENTION_SOURCE_OCW:
      /* Translators: marks an intervention the app added for OCW; keep it short */
      return C_("intervention source", "OCW");

    case CW_INTERVENTION_SOURCE_LOCAL:
    default:
      /* Translators: marks an intervention the advisor added in the app; keep it short */
      return C_("intervention source", "Added here");
    }
}

static const char *
source_tooltip (CwInterventionSource source)
{
  switch (source)
    {
    case CW_INTERVENTION_SOURCE_DMS:
      return _("From the DMS: change it there");

    case CW_INTERVENTION_SOURCE_OCW:
      return _("Added for the car’s OCW connection");

    case CW_INTERVENTION_SOURCE_LOCAL:
    default:
      return _("Added at the desk: you can change or remove it");
    }
}

static GtkWidget *
new_line_button (const char *icon_name,
                 const char *tooltip,
                 const char *accessible_label,
                 const char *action_name,
                 gint64      id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));

  return button;
}

static GtkWidget *
new_intervention_row (CwIntervention *line)
{
  CwInterventionSource source = cw_intervention_get_source (line);
  const char * const *codes = cw_intervention_get_part_codes (line);
  const char *title = cw_intervention_get_title (line);
  g_autoptr(GString) subtitle = g_string_new (cw_intervention_get_description (line));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *tag;
  gint64 cents;

  if (codes != NULL && codes[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (GStrv) codes);

      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      /* Translators: the part reference codes of an intervention follow */
      g_string_append_printf (subtitle, _("Parts: %s"), joined);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : _("Untitled intervention"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_add_css_class (row, "cw-intervention");

  if (cw_intervention_get_price (line, &cents))
    {
      g_autofree char *price = cw_money_format (cents, cw_intervention_get_currency (line), NULL);
      GtkWidget *label = gtk_label_new (price);

      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "cw-price");
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  tag = gtk_label_new (source_label (source));
  gtk_widget_add_css_class (tag, "cw-source-tag");
  gtk_widget_add_css_class (tag, "caption");
  if (source == CW_INTERVENTION_SOURCE_LOCAL)
    gtk_widget_add_css_class (tag, "local");
  gtk_widget_set_tooltip_text (tag, source_tooltip (source));
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);

  if (cw_intervention_is_editable (line))
    {
      gint64 id = cw_intervention_get_id (line);
      g_autofree char *edit_label = NULL;
      g_autofree char *remove_label = NULL;
      GtkWidget *edit, *remove;

      /* Translators: read by screen readers for the edit button of an intervention; %s is its title */
      edit_label = g_strdup_printf (_("Edit “%s”"), title);
      /* Translators: read by screen readers for the remove button of an intervention; %s is its title */
      remove_label = g_strdup_printf (_("Remove “%s”"), title);

      edit = new_line_button ("document-edit-symbolic", _("Edit Intervention"), edit_label,
                              "workorder.edit-intervention", id);
      remove = new_line_button ("user-trash-symbolic", _("Remove Intervention"), remove_label,
                                "workorder.remove-intervention", id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
    }

  return row;
}

static void
show_interventions (CwWorkorderPage *self)
{
  GListModel *lines = cw_workorder_get_interventions (self->workorder);
  guint n_lines = g_list_model_get_n_items (lines);

  clear_list (self->intervention_list);

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      gtk_list_box_append (self->intervention_list, new_intervention_row (line));
    }

  if (n_lines == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     cw_workorder_is_read_only (self->workorder)
                                       ? _("No interventions")
                                       : _("No interventions yet: add one with the Add button"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->intervention_list, row);
    }
}

static void
show_mileage (CwWorkorderPage *self)
{
  GDateTime *at = NULL;
  gint64 km = cw_workorder_get_mileage (self->workorder, &at);

  if (km >= 0)
    {
      g_autofree char *reading = format_mileage (km);
      g_autofree char *when = at != NULL ? format_moment (at) : NULL;
      g_autofree char *text = NULL;

      if (when != NULL)
        /* Translators: the last mileage recorded in the app, then when, e.g. "Last reading: 123,456 km, Today, 09:12" */
        text = g_strdup_printf (_("Last reading: %s, %s"), reading, when);
      else
        /* Translators: the last mileage recorded in the app */
        text = g_strdup_printf (_("Last reading: %s"), reading);
      adw_preferences_group_set_description (self->mileage_group, text);
    }
  else
    adw_preferences_group_set_description (self->mileage_group,
                                           _("No reading yet: type the odometer reading when the car comes in."));

  gtk_widget_set_visible (GTK_WIDGET (self->mileage_group),
                          km >= 0 || !cw_workorder_is_read_only (self->workorder));
}

/* What the page says about writeback for the workorder's connection. */
static char *
dup_writeback_description (CwWorkorderPage *self,
                           CwCapabilities  *policy)
{
  CwConnection *connection = find_connection (self);
  const CwConnectorKind *kind;
  g_autofree char *name = NULL;
  CwCapabilities can;

  *policy = CW_CAPABILITY_NONE;
  if (connection == NULL)
    return NULL;

  kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));
  can = kind != NULL ? cw_writeback_policy (kind->capabilities, TRUE) : CW_CAPABILITY_NONE;
  *policy = kind != NULL ? cw_writeback_policy (kind->capabilities, cw_connection_get_writeback (connection))
                         : CW_CAPABILITY_NONE;
  name = cw_connection_dup_display_name (connection);

  if (can == CW_CAPABILITY_NONE)
    /* Translators: %s is the name of a DMS connection */
    return g_strdup_printf (_("%s does not take changes from Claire Workshop: interventions and mileages added here stay in the app."), name);

  if (*policy == CW_CAPABILITY_NONE)
    /* Translators: %s is the name of a DMS connection */
    return g_strdup_printf (_("Writeback to %s is off: interventions and mileages added here stay in the app. It can be turned on in Preferences."), name);

  if (!(*policy & CW_CAPABILITY_WRITEBACK_INTERVENTIONS))
    /* Translators: %s is the name of a DMS connection */
    return g_strdup_printf (_("A mileage higher than the DMS’s is sent to %s by itself. Interventions added here stay in the app."), name);

  /* Translators: %s is the name of a DMS connection */
  return g_strdup_printf (_("Interventions added here, and a mileage higher than the DMS’s, are sent to %s by themselves."), name);
}

static const char *
outbox_state_label (CwOutboxState state)
{
  switch (state)
    {
    case CW_OUTBOX_PENDING:
      return C_("writeback", "Pending");
    case CW_OUTBOX_INFLIGHT:
      return C_("writeback", "Sending");
    case CW_OUTBOX_SENT:
      return C_("writeback", "Sent");
    case CW_OUTBOX_FAILED:
      return C_("writeback", "Failed");
    case CW_OUTBOX_DISMISSED:
      return C_("writeback", "Dismissed");
    default:
      return "";
    }
}

static GtkWidget *
new_writeback_row (CwOutboxEntry *entry)
{
  g_autofree char *summary = cw_outbox_entry_dup_summary (entry);
  CwOutboxState state = cw_outbox_entry_get_state (entry);
  GDateTime *moment = state == CW_OUTBOX_SENT ? cw_outbox_entry_get_sent_at (entry)
                                              : cw_outbox_entry_get_created_at (entry);
  g_autofree char *when = moment != NULL ? format_moment (moment) : NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char *message = cw_outbox_entry_get_last_error (entry);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (outbox_state_label (state));
  GVariant *target = g_variant_new_int64 (cw_outbox_entry_get_id (entry));
  const char *icon_name;

  g_variant_ref_sink (target);

  append_part (subtitle, when);
  /* Why it waits, or why it failed: the DMS's own words. */
  if ((state == CW_OUTBOX_PENDING || state == CW_OUTBOX_FAILED) && message != NULL)
    g_string_append_printf (subtitle, "\n%s", message);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), summary);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  switch (state)
    {
    case CW_OUTBOX_SENT:
      icon_name = "emblem-ok-symbolic";
      gtk_widget_add_css_class (label, "success");
      break;
    case CW_OUTBOX_FAILED:
      icon_name = "dialog-warning-symbolic";
      gtk_widget_add_css_class (label, "error");
      break;
    case CW_OUTBOX_PENDING:
    case CW_OUTBOX_INFLIGHT:
    case CW_OUTBOX_DISMISSED:
    default:
      icon_name = "document-send-symbolic";
      gtk_widget_add_css_class (label, "dim-label");
      break;
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), new_icon (icon_name));
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  if (state == CW_OUTBOX_FAILED)
    {
      GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Try Again"));
      GtkWidget *dismiss = gtk_button_new_with_mnemonic (_("_Dismiss"));

      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (dismiss, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (retry, _("Send This Change to the DMS Again"));
      gtk_widget_set_tooltip_text (dismiss, _("Keep This Change in the App Only"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "workorder.retry-writeback");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (retry), target);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (dismiss), "workorder.dismiss-writeback");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (dismiss), target);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), retry);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dismiss);
    }

  g_variant_unref (target);
  g_object_set_data (G_OBJECT (row), "outbox-entry-id", GINT_TO_POINTER ((int) cw_outbox_entry_get_id (entry)));

  return row;
}

static void
show_writeback (CwWorkorderPage *self,
                GPtrArray       *entries)
{
  g_autofree char *description = NULL;
  CwCapabilities policy;

  clear_list (self->writeback_list);
  description = dup_writeback_description (self, &policy);
  adw_preferences_group_set_description (self->writeback_group, description);

  for (guint i = 0; i < entries->len; i++)
    gtk_list_box_append (self->writeback_list, new_writeback_row (g_ptr_array_index (entries, i)));

  gtk_widget_set_visible (GTK_WIDGET (self->writeback_list), entries->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->writeback_group), description != NULL || entries->len > 0);
}

/* The OCW button (DESIGN §4): shown on a Volkswagen when a PON account is stored; while
 * PON is asked it says so, and when PON could not be asked it says why; otherwise it shows
 * the state PON last gave, never a guess. */
static void
show_ocw (CwWorkorderPage *self)
{
  const GError *error;
  const CwOcwStatus *status;

  if (self->ocw_service == NULL || self->workorder == NULL ||
      !cw_ocw_service_shows_button (self->ocw_service, self->workorder))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->ocw_button), FALSE);
      return;
    }

  status = cw_workorder_get_ocw_status (self->workorder);
  error = cw_ocw_service_get_error (self->ocw_service, self->workorder_id);

  cw_ocw_button_set_state (self->ocw_button, cw_workorder_get_ocw_state (self->workorder));
  cw_ocw_button_set_mileage (self->ocw_button, status != NULL ? status->mileage_km : -1);
  cw_ocw_button_set_reading_time (self->ocw_button, status != NULL ? status->mileage_at : NULL);
  cw_ocw_button_set_portal_url (self->ocw_button, status != NULL ? status->portal_url : NULL);
  cw_ocw_button_set_checking (self->ocw_button, cw_ocw_service_is_checking (self->ocw_service, self->workorder_id));
  cw_ocw_button_set_unreachable (self->ocw_button, error != NULL);
  cw_ocw_button_set_message (self->ocw_button, error != NULL ? error->message : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->ocw_button), TRUE);
}

static void
on_ocw_changed_cb (CwOcwService    *service,
                   gint64           workorder_id,
                   CwWorkorderPage *self)
{
  if (self->workorder_id == 0 || (workorder_id != 0 && workorder_id != self->workorder_id))
    return;

  /* A PON account stored now: the workorder shown is asked about at once. */
  if (workorder_id == 0)
    cw_ocw_service_workorder_opened (service, self->workorder_id);

  /* The answer is in the store: reload it with the workorder; a failure is shown as is. */
  reload (self, FALSE);
  show_ocw (self);
}

static void
on_ocw_launch_failed_cb (CwOcwButton     *button,
                         const char      *message,
                         CwWorkorderPage *self)
{
  show_toast (self, message);
}

static void
show_car (CwWorkorderPage *self)
{
  CwCar *car = cw_workorder_get_car (self->workorder);
  g_autofree char *plate = cw_car_dup_plate_display (car);
  GtkListBox *list = self->car_list;

  clear_list (list);
  add_field (list, _("Make"), cw_car_get_field (car, CW_CAR_MAKE), FIELD_PLAIN);
  add_field (list, _("Model"), cw_car_get_field (car, CW_CAR_MODEL), FIELD_PLAIN);
  add_field (list, _("Licence plate"), plate, FIELD_COPY);
  add_field (list, _("VIN"), cw_car_get_field (car, CW_CAR_VIN), FIELD_COPY);
  add_field (list, _("Engine number"), cw_car_get_field (car, CW_CAR_ENGINE_NUMBER), FIELD_COPY);
  add_date_field (list, _("First registration"), cw_car_get_date (car, CW_CAR_FIRST_REGISTRATION));
  add_date_field (list, _("APK date"), cw_car_get_date (car, CW_CAR_APK_DATE));
  add_field (list, _("Car notes"), cw_car_get_field (car, CW_CAR_NOTES), FIELD_LONG);
  show_group (self->car_group, list);
}

static char *
dup_address (CwParty *party)
{
  const char *street = cw_party_get_field (party, CW_PARTY_STREET);
  const char *number = cw_party_get_field (party, CW_PARTY_HOUSE_NUMBER);
  const char *postcode = cw_party_get_field (party, CW_PARTY_POSTCODE);
  const char *place = cw_party_get_field (party, CW_PARTY_PLACE);
  g_autoptr(GString) line1 = g_string_new (NULL);
  g_autoptr(GString) line2 = g_string_new (NULL);

  /* Written as in the Netherlands and Belgium: "Stationsstraat 12", "3511 AB Utrecht". */
  if (street != NULL)
    g_string_append (line1, street);
  if (number != NULL)
    g_string_append_printf (line1, "%s%s", line1->len > 0 ? " " : "", number);
  if (postcode != NULL)
    g_string_append (line2, postcode);
  if (place != NULL)
    g_string_append_printf (line2, "%s%s", line2->len > 0 ? "  " : "", place);

  if (line1->len > 0 && line2->len > 0)
    return g_strconcat (line1->str, "\n", line2->str, NULL);
  if (line1->len > 0 || line2->len > 0)
    return g_strdup (line1->len > 0 ? line1->str : line2->str);

  return NULL;
}

static void
show_party (CwWorkorderPage     *self,
            CwPartyRole          role,
            AdwPreferencesGroup *group,
            GtkListBox          *list)
{
  CwParty *party = cw_workorder_get_party (self->workorder, role);
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  const char *company;

  clear_list (list);
  adw_preferences_group_set_title (group, cw_party_role_get_label (role));

  if (party == NULL || cw_party_is_empty (party))
    {
      gtk_widget_set_visible (GTK_WIDGET (group), FALSE);
      return;
    }

  name = cw_party_dup_display_name (party);
  address = dup_address (party);
  company = cw_party_get_field (party, CW_PARTY_COMPANY);

  add_field (list, _("Name"), name, FIELD_PLAIN);
  /* The name is the company when no person is named: no need to say it twice. */
  if (g_strcmp0 (company, name) != 0)
    add_field (list, _("Company"), company, FIELD_PLAIN);
  add_flag (list, _("Lease company"), "emblem-documents-symbolic", cw_party_get_lease_company (party));
  add_field (list, _("Address"), address, FIELD_PLAIN);
  add_field (list, _("Business phone"), cw_party_get_field (party, CW_PARTY_BUSINESS_PHONE), FIELD_COPY);
  add_field (list, _("Business mobile"), cw_party_get_field (party, CW_PARTY_BUSINESS_MOBILE), FIELD_COPY);
  add_field (list, _("Business e-mail"), cw_party_get_field (party, CW_PARTY_BUSINESS_EMAIL), FIELD_COPY);
  add_field (list, _("Private phone"), cw_party_get_field (party, CW_PARTY_PRIVATE_PHONE), FIELD_COPY);
  add_field (list, _("Private mobile"), cw_party_get_field (party, CW_PARTY_PRIVATE_MOBILE), FIELD_COPY);
  add_field (list, _("Private e-mail"), cw_party_get_field (party, CW_PARTY_PRIVATE_EMAIL), FIELD_COPY);
  add_field (list, _("Customer number in the DMS"), cw_party_get_field (party, CW_PARTY_DMS_ID), FIELD_COPY);
  show_group (group, list);
}

static const char *
event_icon (CwTimelineEvent *event)
{
  switch (cw_timeline_event_get_kind (event))
    {
    case CW_EVENT_STATUS_CHANGED:
      return cw_status_get_icon_name (cw_timeline_event_get_status_to (event));
    case CW_EVENT_CAR_IN:
      return "cw-car-in-shop-symbolic";
    case CW_EVENT_CAR_OUT:
      return "cw-car-left-shop-symbolic";
    case CW_EVENT_CANCELED:
      return cw_status_get_icon_name (CW_STATUS_CANCELED);
    case CW_EVENT_IMPORTED:
      return "folder-download-symbolic";
    case CW_EVENT_REFRESHED:
      return "view-refresh-symbolic";
    case CW_EVENT_SYNC_FAILED:
      return "dialog-warning-symbolic";
    case CW_EVENT_REFRESH_SKIPPED:
      return "changes-prevent-symbolic";
    case CW_EVENT_INTERVENTION_ADDED:
      return "list-add-symbolic";
    case CW_EVENT_INTERVENTION_CHANGED:
      return "document-edit-symbolic";
    case CW_EVENT_INTERVENTION_REMOVED:
      return "user-trash-symbolic";
    case CW_EVENT_MILEAGE_RECORDED:
      return "document-edit-symbolic";
    case CW_EVENT_WRITTEN_BACK:
      return "document-send-symbolic";
    case CW_EVENT_WRITEBACK_FAILED:
      return "dialog-warning-symbolic";
    default:
      return "emblem-system-symbolic";
    }
}

static GtkWidget *
new_event_row (CwTimelineEvent *event)
{
  g_autofree char *description = cw_timeline_event_dup_description (event);
  g_autofree char *when = format_moment (cw_timeline_event_get_at (event));
  g_autoptr(GString) subtitle = g_string_new (when);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = new_icon (event_icon (event));

  append_part (subtitle, cw_timeline_event_get_actor (event));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), description);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  if (cw_timeline_event_get_kind (event) == CW_EVENT_SYNC_FAILED)
    gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

static void
show_timeline (CwWorkorderPage *self,
               GPtrArray       *events)
{
  clear_list (self->timeline_list);

  /* The store gives them oldest first; the page shows the newest first. */
  for (guint i = events->len; i > 0; i--)
    gtk_list_box_append (self->timeline_list, new_event_row (g_ptr_array_index (events, i - 1)));
}

/*
 * Actions
 */

static void
set_action_enabled (CwWorkorderPage *self,
                    PageAction       action,
                    gboolean         enabled)
{
  if (enabled)
    self->enabled_actions |= 1u << action;
  else
    self->enabled_actions &= ~(1u << action);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), action_names[action], enabled);
}

static void
update_actions (CwWorkorderPage *self)
{
  gboolean loaded = self->workorder != NULL;
  gboolean editable = loaded && !cw_workorder_is_read_only (self->workorder);
  /* One change at a time: a second press must not act on what the first has changed. */
  gboolean writable = editable && self->n_writes == 0;
  CwProcess process = CW_PROCESS_INIT;
  CwStatus next = CW_STATUS_NEW_ENTRY;

  if (loaded)
    {
      cw_workorder_get_process (self->workorder, &process);
      next = cw_status_bar_next_step (&process);
    }

  set_action_enabled (self, ACTION_ADVANCE,
                      writable && next != process.status && cw_process_can_advance (&process, next, NULL));
  set_action_enabled (self, ACTION_ADVANCE_TO,
                      writable && next != process.status && cw_process_can_advance (&process, next, NULL));
  set_action_enabled (self, ACTION_TOGGLE_IN_SHOP, writable && cw_process_can_toggle_shop (&process, NULL));
  set_action_enabled (self, ACTION_BACKORDER, writable && cw_process_can_advance (&process, CW_STATUS_BACKORDER, NULL));
  set_action_enabled (self, ACTION_CANCEL, writable && cw_process_can_cancel (&process, NULL));
  set_action_enabled (self, ACTION_REFRESH, loaded && can_refresh (self) && !self->refreshing);
  set_action_enabled (self, ACTION_ADD_INTERVENTION, editable);
  set_action_enabled (self, ACTION_EDIT_INTERVENTION, editable);
  set_action_enabled (self, ACTION_REMOVE_INTERVENTION, editable);
  set_action_enabled (self, ACTION_RETRY_WRITEBACK, loaded);
  set_action_enabled (self, ACTION_DISMISS_WRITEBACK, loaded);
  /* Not insensitive while a write runs: that would take the focus from the advisor. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->mileage_row), editable);
}

static void
show_toast (CwWorkorderPage *self,
            const char      *message)
{
  g_signal_emit (self, signals[TOAST], 0, message);
}

static void
cw_workorder_page_real_toast (CwWorkorderPage *self,
                              const char      *message)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkWidget *overlay = parent != NULL ? gtk_widget_get_ancestor (parent, ADW_TYPE_TOAST_OVERLAY) : NULL;
  AdwToast *toast = adw_toast_new (message);

  /* The window's overlay when there is one, so toasts do not stack in two places. */
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (overlay != NULL ? ADW_TOAST_OVERLAY (overlay) : self->toast_overlay, toast);
}

/* A write or refresh the page started; it holds the page until it answers. */
typedef struct
{
  CwWorkorderPage *self;
  guint            generation;
} PageCall;

static PageCall *
page_call_new (CwWorkorderPage *self)
{
  PageCall *call = g_new0 (PageCall, 1);

  call->self = g_object_ref (self);
  call->generation = self->generation;

  return call;
}

static void
page_call_free (PageCall *call)
{
  g_clear_object (&call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageCall, page_call_free)

/* Ends a write: FALSE when the page is gone and nothing is to be shown. */
static gboolean
finish_write (PageCall  *call,
              gboolean   ok,
              GError    *error)
{
  CwWorkorderPage *self = call->self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  if (call->generation == self->generation && self->n_writes > 0)
    self->n_writes--;

  if (!ok)
    show_toast (self, error->message);

  /* The store's ::changed may have come first and found nothing new to show. */
  reload (self, FALSE);
  update_actions (self);

  return TRUE;
}

static void
process_changed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PageCall) call = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = cw_store_change_process_finish (CW_STORE (source), result, &error);
  finish_write (call, ok, error);
}

static void
change_process (CwWorkorderPage       *self,
                const CwProcessChange *change)
{
  if (self->store == NULL || self->workorder_id == 0)
    return;

  self->n_writes++;
  update_actions (self);
  cw_store_change_process_async (self->store, self->workorder_id, change, get_actor (),
                                 self->cancellable, process_changed_cb, page_call_new (self));
}

static void
advance_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);
  CwProcessChange change = { CW_PROCESS_ADVANCE };
  CwProcess process;

  g_assert (self->workorder != NULL);

  cw_workorder_get_process (self->workorder, &process);
  change.target = cw_status_bar_next_step (&process);
  change_process (self, &change);
}

static void
advance_to_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);
  CwProcessChange change = { CW_PROCESS_ADVANCE };
  int target = g_variant_get_int32 (parameter);

  /* Only forward steps: Backorder and Cancel have their own actions. */
  if (target < CW_STATUS_NEW_ENTRY || target > CW_STATUS_LAST_STEP)
    return;

  change.target = target;
  change_process (self, &change);
}

static void
toggle_in_shop_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CwProcessChange change = { CW_PROCESS_TOGGLE_SHOP };

  change_process (CW_WORKORDER_PAGE (widget), &change);
}

static void
backorder_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CwProcessChange change = { CW_PROCESS_ADVANCE, CW_STATUS_BACKORDER };

  change_process (CW_WORKORDER_PAGE (widget), &change);
}

static GtkWindow *
get_parent_window (CwWorkorderPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
cancel_response_cb (CwCancelDialog  *dialog,
                    const char      *response,
                    CwWorkorderPage *self)
{
  g_autofree char *text = NULL;
  CwProcessChange change = { CW_PROCESS_CANCEL };

  /* Only a real answer cancels: adw_message_dialog_response() does not check the rules. */
  if (!g_str_equal (response, "confirm") || !cw_cancel_dialog_get_can_confirm (dialog))
    return;

  text = cw_cancel_dialog_dup_text (dialog);
  change.reason = cw_cancel_dialog_get_reason (dialog);
  change.text = text;
  change_process (self, &change);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);
  g_autofree char *label = dup_number_text (self->workorder);
  CwCancelDialog *dialog = cw_cancel_dialog_new (get_parent_window (self), label);

  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PageCall) call = user_data;
  CwWorkorderPage *self = call->self;
  g_autoptr(GError) error = NULL;
  CwImportOutcome outcome = CW_IMPORT_UNCHANGED;
  gboolean ok;

  ok = cw_import_service_refresh_finish (CW_IMPORT_SERVICE (source), result, &outcome, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || call->generation != self->generation)
    return;

  self->refreshing = FALSE;

  if (!ok)
    show_toast (self, error->message);
  else
    switch (outcome)
      {
      case CW_IMPORT_FROZEN:
        show_toast (self, _("Work has started: the DMS data was kept as it was."));
        break;

      case CW_IMPORT_UPDATED:
      case CW_IMPORT_CREATED:
        show_toast (self, _("Refreshed: the changes from the DMS are shown."));
        break;

      case CW_IMPORT_UNCHANGED:
      default:
        show_toast (self, _("Refreshed: nothing changed in the DMS."));
        break;
      }

  show_sync (self);
  update_actions (self);
  reload (self, FALSE);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);

  if (self->service == NULL || self->workorder_id == 0 || self->refreshing)
    return;

  self->refreshing = TRUE;
  g_clear_object (&self->refresh_cancellable);
  self->refresh_cancellable = g_cancellable_new ();
  show_sync (self);
  update_actions (self);

  cw_import_service_refresh_async (self->service, self->workorder_id, self->refresh_cancellable,
                                   refreshed_cb, page_call_new (self));
}

static void
line_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PageCall) call = user_data;
  g_autoptr(GError) error = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));
  gboolean ok;

  if (tag == cw_store_add_intervention_async)
    ok = cw_store_add_intervention_finish (CW_STORE (source), result, &error) != 0;
  else if (tag == cw_store_update_intervention_async)
    ok = cw_store_update_intervention_finish (CW_STORE (source), result, &error);
  else
    ok = cw_store_remove_intervention_finish (CW_STORE (source), result, &error);

  finish_write (call, ok, error);
}

static void
intervention_response_cb (CwInterventionDialog *dialog,
                          const char           *response,
                          CwWorkorderPage      *self)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  gint64 id = cw_intervention_dialog_get_intervention_id (dialog);
  gboolean has_price;
  gint64 cents = 0;

  if (!g_str_equal (response, "save") || !cw_intervention_dialog_get_can_save (dialog) ||
      self->store == NULL || self->workorder_id == 0)
    return;

  title = cw_intervention_dialog_dup_line_title (dialog);
  description = cw_intervention_dialog_dup_description (dialog);
  has_price = cw_intervention_dialog_get_price (dialog, &cents);

  self->n_writes++;
  update_actions (self);

  if (id == 0)
    {
      g_autoptr(CwIntervention) line = cw_intervention_new (CW_INTERVENTION_SOURCE_LOCAL);

      cw_intervention_set_title (line, title);
      cw_intervention_set_description (line, description);
      if (has_price)
        cw_intervention_set_price (line, cents);
      cw_store_add_intervention_async (self->store, self->workorder_id, line, get_actor (),
                                       self->cancellable, line_written_cb, page_call_new (self));
    }
  else
    cw_store_update_intervention_async (self->store, id, title, description, has_price ? &cents : NULL,
                                        get_actor (), self->cancellable, line_written_cb, page_call_new (self));
}

static CwIntervention *
find_line (CwWorkorderPage *self,
           gint64           id)
{
  GListModel *lines;

  if (self->workorder == NULL)
    return NULL;

  lines = cw_workorder_get_interventions (self->workorder);
  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      if (cw_intervention_get_id (line) == id)
        return line;
    }

  return NULL;
}

static void
add_intervention_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);
  CwInterventionDialog *dialog = cw_intervention_dialog_new (get_parent_window (self), NULL);

  g_signal_connect_object (dialog, "response", G_CALLBACK (intervention_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_intervention_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);
  CwIntervention *line = find_line (self, g_variant_get_int64 (parameter));
  CwInterventionDialog *dialog;

  /* The DMS's lines are the DMS's: no dialog offers to change them. */
  if (line == NULL || !cw_intervention_is_editable (line))
    return;

  dialog = cw_intervention_dialog_new (get_parent_window (self), line);
  g_signal_connect_object (dialog, "response", G_CALLBACK (intervention_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    CwWorkorderPage  *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (dialog), "intervention-id");

  if (!g_str_equal (response, "remove") || self->store == NULL || id == NULL)
    return;

  self->n_writes++;
  update_actions (self);
  cw_store_remove_intervention_async (self->store, *id, get_actor (), self->cancellable,
                                      line_written_cb, page_call_new (self));
}

static void
remove_intervention_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);
  CwIntervention *line = find_line (self, id);
  GtkWidget *dialog;

  if (line == NULL || !cw_intervention_is_editable (line))
    return;

  dialog = adw_message_dialog_new (get_parent_window (self), _("Remove Intervention?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is the title of an intervention */
                                  _("“%s” will be removed from this workorder."),
                                  cw_intervention_get_title (line));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "intervention-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
writeback_updated_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(PageCall) call = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = cw_store_update_outbox_finish (CW_STORE (source), result, &error);

  finish_write (call, ok, error);
}

static void
writeback_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);
  CwOutboxUpdate update = { CW_OUTBOX_RETRY, NULL, NULL, 0, FALSE };

  if (self->store == NULL)
    return;

  if (g_str_equal (action_name, "workorder.dismiss-writeback"))
    update.transition = CW_OUTBOX_DISMISS;

  self->n_writes++;
  update_actions (self);
  cw_store_update_outbox_async (self->store, g_variant_get_int64 (parameter), &update,
                                self->cancellable, writeback_updated_cb, page_call_new (self));
}

static void
mileage_recorded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(PageCall) call = user_data;
  g_autoptr(GError) error = NULL;
  gboolean queued = FALSE;
  gboolean ok = cw_store_record_mileage_finish (CW_STORE (source), result, &queued, &error);
  CwWorkorderPage *self = call->self;

  if (!finish_write (call, ok, error) || !ok)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->mileage_row), "");
  show_toast (self, queued ? _("Mileage recorded: it is being sent to the DMS.")
                           : _("Mileage recorded in the app."));
}

static void
mileage_apply_cb (CwWorkorderPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->mileage_row));
  g_autofree char *digits = NULL;
  guint64 km = 0;

  if (self->store == NULL || self->workorder_id == 0 || self->n_writes > 0)
    return;

  /* "123.456", "123 456" and "123,456 km" all mean 123456 km. */
  digits = g_strdup (text);
  {
    char *out = digits;

    for (const char *in = text; *in; in++)
      if (g_ascii_isdigit (*in))
        *out++ = *in;
      else if (!strchr (".,kmKM", *in) && !g_ascii_isspace (*in) && (guchar) *in < 0x80)
        {
          show_toast (self, _("Type the mileage as a whole number of kilometres, like 123456."));
          return;
        }
    *out = '\0';
  }

  if (*digits == '\0' || !g_ascii_string_to_unsigned (digits, 10, 0, 9999999, &km, NULL))
    {
      show_toast (self, _("Type the mileage as a whole number of kilometres, from 0 to 9,999,999."));
      return;
    }

  self->n_writes++;
  update_actions (self);
  cw_store_record_mileage_async (self->store, self->workorder_id, (gint64) km, get_actor (),
                                 self->cancellable, mileage_recorded_cb, page_call_new (self));
}

/*
 * Loading
 */

static void
set_title (CwWorkorderPage *self,
           const char      *title)
{
  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static gboolean
restore_scroll_cb (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);

  gtk_adjustment_set_value (adjustment, self->kept_scroll);
  self->scroll_tick = 0;

  return G_SOURCE_REMOVE;
}

static void
show_nothing (CwWorkorderPage *self,
              const char      *stack_page)
{
  g_clear_object (&self->workorder);
  self->shown_revision = self->shown_last_sync = self->shown_last_event = 0;
  self->shown_n_events = 0;
  gtk_stack_set_visible_child_name (self->stack, stack_page);
  set_title (self, NULL);
  update_actions (self);
}

static void
reload (CwWorkorderPage *self,
        gboolean         force)
{
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GtkAdjustment *adjustment;
  GDateTime *last_sync;
  CwProcess process;
  gint64 last_event = 0;

  if (self->store == NULL || self->workorder_id == 0)
    {
      show_nothing (self, "empty");
      return;
    }

  workorder = cw_store_load_workorder (self->store, self->workorder_id, &error);
  if (workorder == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      show_nothing (self, "error");
      return;
    }

  outbox = cw_store_list_outbox (self->store, self->workorder_id, &error);
  if (outbox == NULL)
    {
      g_warning ("The DMS writeback of workorder %" G_GINT64_FORMAT " cannot be read: %s",
                 self->workorder_id, error->message);
      g_clear_error (&error);
      outbox = g_ptr_array_new_with_free_func (g_object_unref);
    }

  events = cw_store_list_events (self->store, self->workorder_id, &error);
  if (events == NULL)
    {
      g_warning ("The timeline of workorder %" G_GINT64_FORMAT " cannot be read: %s",
                 self->workorder_id, error->message);
      events = g_ptr_array_new_with_free_func (g_object_unref);
    }
  if (events->len > 0)
    last_event = cw_timeline_event_get_id (g_ptr_array_index (events, events->len - 1));
  last_sync = cw_workorder_get_time (workorder, CW_WORKORDER_LAST_SYNC);

  /* A sync that changed nothing moves only the sync time and the timeline. */
  if (!force && self->workorder != NULL &&
      self->shown_revision == cw_workorder_get_revision (workorder) &&
      self->shown_last_sync == (last_sync != NULL ? g_date_time_to_unix (last_sync) : 0) &&
      self->shown_n_events == events->len && self->shown_last_event == last_event)
    return;

  /* Rebuilding the sections must not move what the advisor is looking at. */
  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);
  self->kept_scroll = force ? 0 : gtk_adjustment_get_value (adjustment);

  g_set_object (&self->workorder, workorder);
  self->shown_revision = cw_workorder_get_revision (workorder);
  self->shown_last_sync = last_sync != NULL ? g_date_time_to_unix (last_sync) : 0;
  self->shown_n_events = events->len;
  self->shown_last_event = last_event;

  cw_workorder_get_process (workorder, &process);
  show_header (self);
  show_sync (self);
  cw_status_bar_set_state (self->status_bar, &process,
                           cw_workorder_get_field (workorder, CW_WORKORDER_CANCEL_TEXT),
                           cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED));
  show_appointment (self);
  show_interventions (self);
  show_ocw (self);
  show_mileage (self);
  show_writeback (self, outbox);
  show_car (self);
  show_party (self, CW_PARTY_ROLE_DRIVER, self->driver_group, self->driver_list);
  show_party (self, CW_PARTY_ROLE_OWNER, self->owner_group, self->owner_list);
  show_party (self, CW_PARTY_ROLE_CONTRACTOR, self->contractor_group, self->contractor_list);
  show_timeline (self, events);

  gtk_stack_set_visible_child_name (self->stack, "workorder");
  title = dup_title (workorder);
  set_title (self, title);
  update_actions (self);

  gtk_adjustment_set_value (adjustment, self->kept_scroll);
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), restore_scroll_cb, NULL, NULL);
}

static void
on_store_changed_cb (CwWorkorderPage *self)
{
  reload (self, FALSE);
}

/*
 * GObject
 */

static gboolean
cw_workorder_page_grab_focus (GtkWidget *widget)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (widget);

  /* Start on the status bar, not on a selectable number (which focus would select). */
  if (self->workorder != NULL && gtk_widget_child_focus (GTK_WIDGET (self->status_bar), GTK_DIR_TAB_FORWARD))
    return TRUE;

  return GTK_WIDGET_CLASS (cw_workorder_page_parent_class)->grab_focus (widget);
}

static void
cw_workorder_page_dispose (GObject *object)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->refresh_cancellable);
  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
      self->scroll_tick = 0;
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed_cb, self);
  if (self->ocw_service != NULL)
    g_signal_handlers_disconnect_by_func (self->ocw_service, on_ocw_changed_cb, self);

  /* The bin's child is a template child: let go of it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_WORKORDER_PAGE);

  g_clear_object (&self->store);
  g_clear_object (&self->service);
  g_clear_object (&self->ocw_service);
  g_clear_object (&self->workorder);

  G_OBJECT_CLASS (cw_workorder_page_parent_class)->dispose (object);
}

static void
cw_workorder_page_finalize (GObject *object)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (cw_workorder_page_parent_class)->finalize (object);
}

static void
cw_workorder_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_IMPORT_SERVICE:
      g_value_set_object (value, self->service);
      break;

    case PROP_WORKORDER_ID:
      g_value_set_int64 (value, self->workorder_id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, cw_workorder_page_get_title (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_workorder_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CwWorkorderPage *self = CW_WORKORDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      cw_workorder_page_set_store (self, g_value_get_object (value));
      break;

    case PROP_IMPORT_SERVICE:
      cw_workorder_page_set_import_service (self, g_value_get_object (value));
      break;

    case PROP_WORKORDER_ID:
      cw_workorder_page_set_workorder_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_workorder_page_class_init (CwWorkorderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_workorder_page_dispose;
  object_class->finalize = cw_workorder_page_finalize;
  object_class->get_property = cw_workorder_page_get_property;
  object_class->set_property = cw_workorder_page_set_property;
  widget_class->grab_focus = cw_workorder_page_grab_focus;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMPORT_SERVICE] =
    g_param_spec_object ("import-service", NULL, NULL, CW_TYPE_IMPORT_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKORDER_ID] =
    g_param_spec_int64 ("workorder-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CwWorkorderPage::toast:
   * @self: the page
   * @message: what happened and what to do, translated
   *
   * Something the advisor should read: a refused change, the outcome of a refresh. The
   * default handler shows it in the nearest #AdwToastOverlay above the page (else the
   * page's own); a handler that shows it another way stops the emission.
   */
  signals[TOAST] =
    g_signal_new_class_handler ("toast",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (cw_workorder_page_real_toast),
                                NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/cw-workorder-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, scrolled);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, number_label);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, plate_label);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, car_label);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, customer_label);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, ocw_slot);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, sync_label);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, status_bar);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, appointment_group);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, appointment_list);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, intervention_list);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, mileage_group);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, mileage_row);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, writeback_group);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, writeback_list);
  gtk_widget_class_bind_template_callback (widget_class, mileage_apply_cb);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, car_group);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, car_list);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, driver_group);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, driver_list);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, owner_group);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, owner_list);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, contractor_group);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, contractor_list);
  gtk_widget_class_bind_template_child (widget_class, CwWorkorderPage, timeline_list);

  gtk_widget_class_install_action (widget_class, "workorder.advance", NULL, advance_action);
  gtk_widget_class_install_action (widget_class, "workorder.advance-to", "i", advance_to_action);
  gtk_widget_class_install_action (widget_class, "workorder.toggle-in-shop", NULL, toggle_in_shop_action);
  gtk_widget_class_install_action (widget_class, "workorder.backorder", NULL, backorder_action);
  gtk_widget_class_install_action (widget_class, "workorder.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "workorder.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "workorder.add-intervention", NULL, add_intervention_action);
  gtk_widget_class_install_action (widget_class, "workorder.edit-intervention", "x", edit_intervention_action);
  gtk_widget_class_install_action (widget_class, "workorder.remove-intervention", "x", remove_intervention_action);
  gtk_widget_class_install_action (widget_class, "workorder.retry-writeback", "x", writeback_action);
  gtk_widget_class_install_action (widget_class, "workorder.dismiss-writeback", "x", writeback_action);

  g_type_ensure (CW_TYPE_STATUS_BAR);
}

/* libadwaita 1.2 gives the apply button of an AdwEntryRow an icon and nothing a screen
 * reader can say: give it a name and a tooltip. */
static void
label_apply_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (child)), "adw-entry-apply-symbolic") == 0)
        {
          gtk_widget_set_tooltip_text (child, _("Record the Mileage"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Record the Mileage"),
                                          -1);
        }
      label_apply_button (child);
    }
}

static void
cw_workorder_page_init (CwWorkorderPage *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  label_apply_button (GTK_WIDGET (self->mileage_row));

  self->ocw_button = CW_OCW_BUTTON (cw_ocw_button_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->ocw_button), FALSE);
  gtk_widget_set_valign (GTK_WIDGET (self->ocw_button), GTK_ALIGN_CENTER);
  g_signal_connect_object (self->ocw_button, "launch-failed", G_CALLBACK (on_ocw_launch_failed_cb), self, 0);
  gtk_box_append (self->ocw_slot, GTK_WIDGET (self->ocw_button));

  update_actions (self);
}

/*
 * Public API
 */

GtkWidget *
cw_workorder_page_new (void)
{
  return g_object_new (CW_TYPE_WORKORDER_PAGE, NULL);
}

/**
 * cw_workorder_page_get_store:
 * @self: a #CwWorkorderPage
 *
 * Returns: (transfer none) (nullable): the store the page reads and writes
 */
CwStore *
cw_workorder_page_get_store (CwWorkorderPage *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_PAGE (self), NULL);

  return self->store;
}

/**
 * cw_workorder_page_set_store:
 * @self: a #CwWorkorderPage
 * @store: (nullable): the store; the page follows its #CwStore::changed
 */
void
cw_workorder_page_set_store (CwWorkorderPage *self,
                             CwStore         *store)
{
  g_return_if_fail (CW_IS_WORKORDER_PAGE (self));
  g_return_if_fail (store == NULL || CW_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed_cb, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, G_CONNECT_SWAPPED);

  reload (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * cw_workorder_page_get_import_service:
 * @self: a #CwWorkorderPage
 *
 * Returns: (transfer none) (nullable): the service that refreshes from the DMS
 */
CwImportService *
cw_workorder_page_get_import_service (CwWorkorderPage *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_PAGE (self), NULL);

  return self->service;
}

/**
 * cw_workorder_page_set_import_service:
 * @self: a #CwWorkorderPage
 * @service: (nullable): the service that refreshes from the DMS; without it, or when the
 *   workorder's connection cannot refresh, there is no refresh button
 */
void
cw_workorder_page_set_import_service (CwWorkorderPage *self,
                                      CwImportService *service)
{
  g_return_if_fail (CW_IS_WORKORDER_PAGE (self));
  g_return_if_fail (service == NULL || CW_IS_IMPORT_SERVICE (service));

  if (!g_set_object (&self->service, service))
    return;

  if (self->workorder != NULL)
    show_sync (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORT_SERVICE]);
}

gint64
cw_workorder_page_get_workorder_id (CwWorkorderPage *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_PAGE (self), 0);

  return self->workorder_id;
}

/**
 * cw_workorder_page_set_workorder_id:
 * @self: a #CwWorkorderPage
 * @id: the workorder to show, 0 for none
 *
 * Shows the workorder, from the top. A refresh still running for the previous one is
 * cancelled; its changes already asked for are still made.
 */
void
cw_workorder_page_set_workorder_id (CwWorkorderPage *self,
                                    gint64           id)
{
  g_return_if_fail (CW_IS_WORKORDER_PAGE (self));
  g_return_if_fail (id >= 0);

  if (self->workorder_id == id)
    return;

  self->workorder_id = id;
  self->generation++;
  self->n_writes = 0;
  self->refreshing = FALSE;
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->workorder);

  reload (self, TRUE);
  /* Opening a workorder asks PON about its car, when the rules say so. */
  if (self->ocw_service != NULL && id != 0 && cw_ocw_service_workorder_opened (self->ocw_service, id))
    show_ocw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKORDER_ID]);
}

/**
 * cw_workorder_page_set_ocw_service:
 * @self: a #CwWorkorderPage
 * @service: (nullable): the OCW service; %NULL for no OCW button
 */
void
cw_workorder_page_set_ocw_service (CwWorkorderPage *self,
                                   CwOcwService    *service)
{
  g_return_if_fail (CW_IS_WORKORDER_PAGE (self));
  g_return_if_fail (service == NULL || CW_IS_OCW_SERVICE (service));

  if (self->ocw_service != NULL)
    g_signal_handlers_disconnect_by_func (self->ocw_service, on_ocw_changed_cb, self);
  if (!g_set_object (&self->ocw_service, service))
    return;

  if (service != NULL)
    {
      g_signal_connect_object (service, "changed", G_CALLBACK (on_ocw_changed_cb), self, 0);
      if (self->workorder_id != 0)
        cw_ocw_service_workorder_opened (service, self->workorder_id);
    }
  if (self->workorder != NULL)
    show_ocw (self);
}

/**
 * cw_workorder_page_get_ocw_slot:
 * @self: a #CwWorkorderPage
 *
 * Returns: (transfer none): an empty box in the header, beside the refresh button, for
 *   the OCW button (issue 6)
 */
GtkWidget *
cw_workorder_page_get_ocw_slot (CwWorkorderPage *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_PAGE (self), NULL);

  return GTK_WIDGET (self->ocw_slot);
}

/**
 * cw_workorder_page_get_title:
 * @self: a #CwWorkorderPage
 *
 * Returns: (nullable): the title for the header bar above the page, e.g.
 *   "WO 12345 · AB-123-C"; %NULL when no workorder is shown
 */
const char *
cw_workorder_page_get_title (CwWorkorderPage *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_PAGE (self), NULL);

  return self->title;
}

/*
 * For tests
 */

gboolean
_cw_workorder_page_get_action_enabled (CwWorkorderPage *self,
                                       const char      *action_name)
{
  g_return_val_if_fail (CW_IS_WORKORDER_PAGE (self), FALSE);

  for (guint i = 0; i < N_ACTIONS; i++)
    if (g_str_equal (action_names[i], action_name))
      return (self->enabled_actions & (1u << i)) != 0;

  g_return_val_if_reached (FALSE);
}

gboolean
_cw_workorder_page_is_busy (CwWorkorderPage *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_PAGE (self), FALSE);

  return self->n_writes > 0 || self->refreshing;
}

CwWorkorder *
_cw_workorder_page_get_workorder (CwWorkorderPage *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_PAGE (self), NULL);

  return self->workorder;
}
