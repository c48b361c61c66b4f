/* cw-ocw-service.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-ocw-service"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-ocw-service.h"

/*
 * OCW on Volkswagen workorders (DESIGN §4): when a workorder is opened, asks PON about its
 * car if the rules say so (a PON account, a Volkswagen, before Car ready, not canceled or
 * invoiced, and the last answer 30 minutes old or none), and stores the answer with what
 * follows (cw_store_record_ocw()). One request per workorder at a time: opening it again
 * while PON is asked does not ask again, and the stored time of the answer keeps every
 * later opening within 30 minutes from asking. A failure is kept in memory only, for the
 * page to say "PON unreachable" and why; the last stored state is never overwritten by a
 * guess.
 */

typedef struct
{
  CwOcwService *self;
  gint64        workorder_id;
} Check;

struct _CwOcwService
{
  GObject       parent_instance;

  CwStore      *store;
  CwPonAccount *account;
  CwPonClient  *client;
  CwPonClientFactory factory;
  gpointer      factory_data;
  GCancellable *cancellable;
  /* workorder id → TRUE while PON is asked about it */
  GHashTable   *checking;
  /* workorder id → GError of its last check, until the next one */
  GHashTable   *errors;
};

G_DEFINE_FINAL_TYPE (CwOcwService, cw_ocw_service, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cw_ocw_service_dispose (GObject *object)
{
  CwOcwService *self = (CwOcwService *)object;

  cw_ocw_service_stop (self);

  G_OBJECT_CLASS (cw_ocw_service_parent_class)->dispose (object);
}

static void
cw_ocw_service_finalize (GObject *object)
{
  CwOcwService *self = (CwOcwService *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->account);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->checking, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);

  G_OBJECT_CLASS (cw_ocw_service_parent_class)->finalize (object);
}

static void
cw_ocw_service_class_init (CwOcwServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cw_ocw_service_dispose;
  object_class->finalize = cw_ocw_service_finalize;

  /**
   * CwOcwService::changed:
   * @self: the service
   * @workorder_id: the workorder whose OCW state, check or error changed; 0 for all
   *   (the PON account was stored or forgotten)
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
cw_ocw_service_init (CwOcwService *self)
{
  self->cancellable = g_cancellable_new ();
  self->checking = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->errors = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_error_free);
}

static void
on_account_changed (CwPonAccount *account,
                    CwOcwService *self)
{
  g_hash_table_remove_all (self->errors);
  g_signal_emit (self, signals[CHANGED], 0, (gint64) 0);
}

/**
 * cw_ocw_service_new:
 * @store: the store
 * @account: the dealer's PON account
 * @client: (nullable): the PON client; %NULL when no PON address is configured
 *
 * Returns: (transfer full): the service
 */
CwOcwService *
cw_ocw_service_new (CwStore      *store,
                    CwPonAccount *account,
                    CwPonClient  *client)
{
  CwOcwService *self;

  g_return_val_if_fail (CW_IS_STORE (store), NULL);
  g_return_val_if_fail (CW_IS_PON_ACCOUNT (account), NULL);
  g_return_val_if_fail (client == NULL || CW_IS_PON_CLIENT (client), NULL);

  self = g_object_new (CW_TYPE_OCW_SERVICE, NULL);
  self->store = g_object_ref (store);
  self->account = g_object_ref (account);
  g_set_object (&self->client, client);
  g_signal_connect_object (account, "changed", G_CALLBACK (on_account_changed), self, 0);

  return self;
}

CwPonAccount *
cw_ocw_service_get_account (CwOcwService *self)
{
  g_return_val_if_fail (CW_IS_OCW_SERVICE (self), NULL);

  return self->account;
}

void
cw_ocw_service_set_client (CwOcwService *self,
                           CwPonClient  *client)
{
  g_return_if_fail (CW_IS_OCW_SERVICE (self));

  if (g_set_object (&self->client, client))
    {
      g_hash_table_remove_all (self->errors);
      g_signal_emit (self, signals[CHANGED], 0, (gint64) 0);
    }
}

/**
 * cw_ocw_service_set_client_factory:
 * @self: a #CwOcwService
 * @factory: (nullable): makes the PON client when the service first needs one
 * @user_data: data for @factory, which must outlive the service
 *
 * With a factory, the client is made on the first question to PON, and again after
 * cw_ocw_service_set_client() with %NULL (when the PON settings change).
 */
void
cw_ocw_service_set_client_factory (CwOcwService       *self,
                                   CwPonClientFactory  factory,
                                   gpointer            user_data)
{
  g_return_if_fail (CW_IS_OCW_SERVICE (self));

  self->factory = factory;
  self->factory_data = user_data;
}

/**
 * cw_ocw_service_shows_button:
 * @self: a #CwOcwService
 * @workorder: a workorder
 *
 * Returns: whether its page shows the OCW button: a PON account is stored and the car is
 *   a Volkswagen
 */
gboolean
cw_ocw_service_shows_button (CwOcwService *self,
                             CwWorkorder  *workorder)
{
  g_return_val_if_fail (CW_IS_OCW_SERVICE (self), FALSE);
  g_return_val_if_fail (CW_IS_WORKORDER (workorder), FALSE);

  return cw_ocw_button_shown (cw_pon_account_get_has_account (self->account),
                              cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_MAKE));
}

static void
check_done (Check  *check,
            GError *error)
{
  CwOcwService *self = check->self;

  g_hash_table_remove (self->checking, &check->workorder_id);
  if (error != NULL)
    g_hash_table_insert (self->errors, g_memdup2 (&check->workorder_id, sizeof (gint64)), error);

  g_signal_emit (self, signals[CHANGED], 0, check->workorder_id);
  g_object_unref (check->self);
  g_free (check);
}

static void
on_recorded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Check *check = user_data;
  GError *error = NULL;
  CwOcwOutcome outcome;

  if (!cw_store_record_ocw_finish (CW_STORE (source), result, &outcome, &error))
    g_warning ("The OCW state of workorder %" G_GINT64_FORMAT " cannot be stored: %s",
               check->workorder_id, error->message);
  else
    g_debug ("Workorder %" G_GINT64_FORMAT ": OCW state %d, safety line added %d, mileage queued %d",
             check->workorder_id, outcome.state, outcome.safety_added, outcome.mileage_queued);

  check_done (check, error);
}

static void
on_car (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Check *check = user_data;
  g_autoptr(CwOcwStatus) status = NULL;
  GError *error = NULL;

  status = cw_pon_client_get_car_finish (CW_PON_CLIENT (source), result, &error);
  if (status == NULL)
    {
      check_done (check, error);
      return;
    }

  cw_store_record_ocw_async (check->self->store, check->workorder_id, status, NULL, on_recorded, check);
}

/**
 * cw_ocw_service_workorder_opened:
 * @self: a #CwOcwService
 * @workorder_id: the workorder the advisor opened
 *
 * Asks PON about the workorder's car when the rules say so (cw_ocw_refresh_due()).
 *
 * Returns: %TRUE when PON is being asked (::changed follows when it has answered)
 */
gboolean
cw_ocw_service_workorder_opened (CwOcwService *self,
                                 gint64        workorder_id)
{
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  const char *vin;
  CwProcess process = CW_PROCESS_INIT;
  Check *check;

  g_return_val_if_fail (CW_IS_OCW_SERVICE (self), FALSE);

  if (g_hash_table_contains (self->checking, &workorder_id) || g_cancellable_is_cancelled (self->cancellable))
    return FALSE;

  workorder = cw_store_load_workorder (self->store, workorder_id, &error);
  if (workorder == NULL || !cw_ocw_service_shows_button (self, workorder))
    return FALSE;

  now = g_date_time_new_now_local ();
  cw_workorder_get_process (workorder, &process);
  if (!cw_ocw_refresh_due (cw_workorder_get_ocw_checked_at (workorder), now, process.status,
                           cw_workorder_get_flag (workorder, CW_WORKORDER_BILLED)))
    return FALSE;

  g_hash_table_remove (self->errors, &workorder_id);

  if (self->client == NULL && self->factory != NULL)
    {
      g_autoptr(GError) factory_error = NULL;

      self->client = self->factory (self->factory_data, &factory_error);
      if (self->client == NULL)
        {
          g_hash_table_insert (self->errors, g_memdup2 (&workorder_id, sizeof workorder_id),
                               g_steal_pointer (&factory_error));
          g_signal_emit (self, signals[CHANGED], 0, workorder_id);
          return FALSE;
        }
    }

  vin = cw_car_get_field (cw_workorder_get_car (workorder), CW_CAR_VIN);
  if (self->client == NULL || vin == NULL)
    {
      GError *reason = self->client == NULL
        ? g_error_new_literal (CW_PON_ERROR, CW_PON_ERROR_CONFIGURATION,
                               _("No PON address is configured, so OCW cannot be asked. Check the PON settings in Preferences."))
        : g_error_new_literal (CW_PON_ERROR, CW_PON_ERROR_UNKNOWN_CAR,
                               _("The DMS gave no VIN for this car, so PON cannot be asked about it. Add the VIN in the DMS and refresh the workorder."));

      g_hash_table_insert (self->errors, g_memdup2 (&workorder_id, sizeof workorder_id), reason);
      g_signal_emit (self, signals[CHANGED], 0, workorder_id);
      return FALSE;
    }

  check = g_new0 (Check, 1);
  check->self = g_object_ref (self);
  check->workorder_id = workorder_id;
  g_hash_table_add (self->checking, g_memdup2 (&workorder_id, sizeof workorder_id));
  g_signal_emit (self, signals[CHANGED], 0, workorder_id);

  cw_pon_client_get_car_async (self->client, vin, self->cancellable, on_car, check);

  return TRUE;
}

gboolean
cw_ocw_service_is_checking (CwOcwService *self,
                            gint64        workorder_id)
{
  g_return_val_if_fail (CW_IS_OCW_SERVICE (self), FALSE);

  return g_hash_table_contains (self->checking, &workorder_id);
}

/**
 * cw_ocw_service_get_error:
 * @self: a #CwOcwService
 * @workorder_id: a workorder
 *
 * Returns: (nullable) (transfer none): why the last check of the workorder failed
 */
const GError *
cw_ocw_service_get_error (CwOcwService *self,
                          gint64        workorder_id)
{
  g_return_val_if_fail (CW_IS_OCW_SERVICE (self), NULL);

  return g_hash_table_lookup (self->errors, &workorder_id);
}

/**
 * cw_ocw_service_stop:
 * @self: a #CwOcwService
 *
 * Cancels the requests under way (at quit); asks nothing more.
 */
void
cw_ocw_service_stop (CwOcwService *self)
{
  g_return_if_fail (CW_IS_OCW_SERVICE (self));

  g_cancellable_cancel (self->cancellable);
}
