/* test-pon.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cw-net-error.h"
#include "cw-pon-client-private.h"
#include "cw-pon-mapping.h"
#include "cw-sim-server.h"

/*
 * The PON client against the in-process simulator over real HTTP on 127.0.0.1, with the
 * account in libsecret's file backend; and the mapping on hand-written answers. Simulator
 * and client share the default main context: a test starts an operation and iterates the
 * context until it is done. The client's HTTP client gets a short timeout and retry policy
 * through the private test hook, so the only real waits are the timeout test's second.
 */

typedef struct
{
  CwSimServer  *sim;
  CwPonAccount *account;
  CwPonClient  *client;
  char         *base;
} Fixture;

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

#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions (void);

/* libsecret 0.20.5's file backend leaks an etag per write (see test-pon-account.c). */
__attribute__ ((used)) const char *
__lsan_default_suppressions (void)
{
  return "leak:wait_for_keyring\n";
}

const char *__asan_default_options (void);

/* GnuTLS's dynamic TLS blocks and GCC 12's LeakSanitizer (see test-http-client.c). */
const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}
#endif

static void
wait_call (Call *call)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (call->result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_for_keyring (Call *call)
{
  wait_call (call);
}

static void
store_account (CwPonAccount *account,
               const char   *username,
               const char   *password)
{
  g_autoptr(GError) error = NULL;
  Call call = { 0 };

  cw_pon_account_store_async (account, username, password, NULL, call_done_cb, &call);
  wait_for_keyring (&call);
  g_assert_true (cw_pon_account_store_finish (account, call.result, &error));
  g_assert_no_error (error);
  g_object_unref (call.result);
}

static void
forget_account (CwPonAccount *account)
{
  Call call = { 0 };

  cw_pon_account_forget_async (account, NULL, call_done_cb, &call);
  wait_for_keyring (&call);
  g_assert_true (cw_pon_account_forget_finish (account, call.result, NULL));
  g_object_unref (call.result);
}

static CwPonClient *
client_new (const char   *base,
            const char   *ca_file,
            CwPonAccount *account)
{
  g_autoptr(GError) error = NULL;
  CwPonClient *client = cw_pon_client_new (base, ca_file, account, &error);
  CwHttpClient *http;

  g_assert_no_error (error);
  g_assert_nonnull (client);

  /* Fast: one second to answer, retries after a few milliseconds. */
  http = cw_pon_client_get_http_client (client);
  cw_http_client_set_timeout (http, 1);
  cw_http_client_set_retry_policy (http, 3, 2, 10);

  return client;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 21, G_DATE_NOVEMBER, 2026);
  fixture->sim = cw_sim_server_new (2026, &today);
  cw_sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);

  fixture->account = cw_pon_account_new ();
  store_account (fixture->account, CW_SIM_PON_USERNAME, CW_SIM_PON_PASSWORD);

  fixture->base = cw_sim_server_dup_url (fixture->sim, CW_SIM_PON_API);
  fixture->client = client_new (fixture->base, NULL, fixture->account);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  forget_account (fixture->account);
  g_clear_object (&fixture->account);
  spin ();
  g_clear_object (&fixture->sim);
  spin ();
  g_clear_pointer (&fixture->base, g_free);
}

static CwOcwStatus *
get_car (CwPonClient  *client,
         const char   *vin,
         GError      **error)
{
  Call call = { 0 };
  CwOcwStatus *status;

  cw_pon_client_get_car_async (client, vin, NULL, call_done_cb, &call);
  wait_call (&call);
  status = cw_pon_client_get_car_finish (client, call.result, error);
  g_object_unref (call.result);

  return status;
}

static gboolean
check (CwPonClient  *client,
       const char   *username,
       const char   *password,
       GError      **error)
{
  Call call = { 0 };
  gboolean ok;

  cw_pon_client_check_async (client, username, password, NULL, call_done_cb, &call);
  wait_call (&call);
  ok = cw_pon_client_check_finish (client, call.result, error);
  g_object_unref (call.result);

  return ok;
}

static gint64
dms_mileage (CwSimOrder *order)
{
  return cw_workorder_get_dms_mileage (order->workorder);
}

static const char *
order_vin (CwSimOrder *order)
{
  return cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_VIN);
}

static void
assert_mentions (const GError *error,
                 const char   *text)
{
  if (strstr (error->message, text) == NULL)
    g_error ("“%s” is not in the message “%s”", text, error->message);
}

/* ------------------------------------------------------------------------------------- */
/* The four states                                                                       */
/* ------------------------------------------------------------------------------------- */

static void
test_states (Fixture       *fixture,
             gconstpointer  data)
{
  const CwOcwState states[] = {
    CW_OCW_NOT_CAPABLE, CW_OCW_NOT_ACTIVATED, CW_OCW_CONNECTED, CW_OCW_MAINTENANCE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    for (guint nth = 0; nth < 2; nth++)
      {
        CwSimOrder *order = cw_sim_pon_find_order (fixture->sim, states[i], CW_SIM_PON_MILEAGE_ANY, nth);
        g_autoptr(CwOcwStatus) status = NULL;
        g_autoptr(GError) error = NULL;

        g_assert_nonnull (order);
        g_assert_true (cw_ocw_is_volkswagen (cw_car_get_field (cw_workorder_get_car (order->workorder), CW_CAR_MAKE)));
        g_assert_cmpint (cw_sim_pon_get_state (fixture->sim, order_vin (order)), ==, states[i]);

        status = get_car (fixture->client, order_vin (order), &error);
        g_assert_no_error (error);
        g_assert_cmpint (cw_ocw_state_from_status (status), ==, states[i]);

        switch (states[i])
          {
          case CW_OCW_NOT_CAPABLE:
            g_assert_false (status->capable);
            g_assert_false (status->activated || status->connected || status->maintenance);
            g_assert_cmpint (status->mileage_km, ==, -1);
            g_assert_null (status->portal_url);
            break;

          case CW_OCW_NOT_ACTIVATED:
            g_assert_true (status->capable);
            g_assert_false (status->connected);
            g_assert_cmpint (status->mileage_km, ==, -1);
            /* The red button's way to the portal. */
            g_assert_true (g_str_has_prefix (status->portal_url, "http://127.0.0.1:"));
            g_assert_nonnull (strstr (status->portal_url, order_vin (order)));
            break;

          case CW_OCW_CONNECTED:
            g_assert_true (status->capable && status->activated && status->connected);
            g_assert_cmpint (status->mileage_km, >=, 0);
            g_assert_nonnull (status->mileage_at);
            break;

          case CW_OCW_MAINTENANCE:
            g_assert_true (status->capable && status->maintenance);
            g_assert_cmpint (status->mileage_km, ==, dms_mileage (order));
            break;

          case CW_OCW_UNKNOWN:
          default:
            g_assert_not_reached ();
          }
      }

  /* Both kinds of red: not activated, and activated but not yet connected. */
  {
    g_autoptr(CwOcwStatus) first = get_car (fixture->client, cw_sim_pon_find_vin (fixture->sim, CW_OCW_NOT_ACTIVATED, CW_SIM_PON_MILEAGE_ANY, 0), NULL);
    g_autoptr(CwOcwStatus) second = get_car (fixture->client, cw_sim_pon_find_vin (fixture->sim, CW_OCW_NOT_ACTIVATED, CW_SIM_PON_MILEAGE_ANY, 1), NULL);

    g_assert_true (first->activated != second->activated);
  }
}

static void
test_mileage (Fixture       *fixture,
              gconstpointer  data)
{
  const CwSimPonMileage relations[] = {
    CW_SIM_PON_MILEAGE_HIGHER, CW_SIM_PON_MILEAGE_EQUAL, CW_SIM_PON_MILEAGE_LOWER,
    CW_SIM_PON_MILEAGE_MILES,
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (relations); i++)
    {
      CwSimOrder *order = cw_sim_pon_find_order (fixture->sim, CW_OCW_CONNECTED, relations[i], 0);
      g_autoptr(CwOcwStatus) status = NULL;
      g_autoptr(GError) error = NULL;
      gint64 dms;

      g_assert_nonnull (order);
      dms = dms_mileage (order);
      status = get_car (fixture->client, order_vin (order), &error);
      g_assert_no_error (error);

      switch (relations[i])
        {
        case CW_SIM_PON_MILEAGE_HIGHER:
          g_assert_cmpint (status->mileage_km, >, dms);
          g_assert_cmpint (status->mileage_km, ==, cw_sim_pon_get_mileage (fixture->sim, order_vin (order)));
          break;
        case CW_SIM_PON_MILEAGE_EQUAL:
          g_assert_cmpint (status->mileage_km, ==, dms);
          break;
        case CW_SIM_PON_MILEAGE_LOWER:
          g_assert_cmpint (status->mileage_km, <, dms);
          break;
        case CW_SIM_PON_MILEAGE_MILES:
          {
            /* PON said miles: converted, so within a km of what the car read in km. */
            gint64 km = cw_sim_pon_get_mileage (fixture->sim, order_vin (order));
            gint64 miles = (gint64) ceil ((double) km / 1.609344);

            g_assert_cmpint (status->mileage_km, ==, llround (miles * 1.609344));
            g_assert_cmpint (ABS (status->mileage_km - km), <=, 2);
            g_assert_cmpint (status->mileage_km, >, dms);
          }
          break;
        case CW_SIM_PON_MILEAGE_ANY:
        case CW_SIM_PON_MILEAGE_NONE:
        default:
          g_assert_not_reached ();
        }

      /* When the car read it: minutes ago, in UTC from PON. */
      g_assert_nonnull (status->mileage_at);
      g_assert_cmpint (g_date_time_difference (now, status->mileage_at), >, 0);
      g_assert_cmpint (g_date_time_difference (now, status->mileage_at), <, 60 * G_TIME_SPAN_MINUTE);
    }

  /* A test changes a car's answer: read as given, miles converted. */
  {
    const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0);
    g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 11, 21, 7, 45, 0);
    g_autoptr(CwOcwStatus) status = NULL;

    cw_sim_pon_set_mileage (fixture->sim, vin, 100000, TRUE, at);
    status = get_car (fixture->client, vin, NULL);
    /* 62138 miles (rounded up), back in km. */
    g_assert_cmpint (status->mileage_km, ==, llround (62138 * 1.609344));
    g_assert_true (g_date_time_equal (status->mileage_at, at));
  }
}

static void
test_set_state (Fixture       *fixture,
                gconstpointer  data)
{
  const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_NOT_ACTIVATED, CW_SIM_PON_MILEAGE_ANY, 0);
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  /* The customer activated the car meanwhile. */
  cw_sim_pon_set_state (fixture->sim, vin, CW_OCW_CONNECTED);
  cw_sim_pon_set_mileage (fixture->sim, vin, 51234, FALSE, NULL);
  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_ocw_state_from_status (status), ==, CW_OCW_CONNECTED);
  g_assert_cmpint (status->mileage_km, ==, 51234);
  g_clear_pointer (&status, cw_ocw_status_free);

  /* A car of no workorder. */
  cw_sim_pon_set_state (fixture->sim, "WVWZZZAUZPW123456", CW_OCW_MAINTENANCE);
  status = get_car (fixture->client, "wvwzzz auzpw123456", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_ocw_state_from_status (status), ==, CW_OCW_MAINTENANCE);
  g_clear_pointer (&status, cw_ocw_status_free);

  /* Forgotten by PON. */
  cw_sim_pon_set_state (fixture->sim, vin, CW_OCW_UNKNOWN);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_UNKNOWN_CAR);
}

/* ------------------------------------------------------------------------------------- */
/* The token                                                                             */
/* ------------------------------------------------------------------------------------- */

static void
test_token_reuse (Fixture       *fixture,
                  gconstpointer  data)
{
  Call calls[10] = { { 0 } };
  const char *vins[10];

  for (guint i = 0; i < 10; i++)
    {
      vins[i] = cw_sim_pon_find_vin (fixture->sim, (CwOcwState) (CW_OCW_NOT_CAPABLE + i % 4),
                                     CW_SIM_PON_MILEAGE_ANY, i / 4);
      g_assert_nonnull (vins[i]);
    }

  /* Ten cars asked at once: one login, which they all wait for. */
  for (guint i = 0; i < 10; i++)
    cw_pon_client_get_car_async (fixture->client, vins[i], NULL, call_done_cb, &calls[i]);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(CwOcwStatus) status = NULL;
      g_autoptr(GError) error = NULL;

      wait_call (&calls[i]);
      status = cw_pon_client_get_car_finish (fixture->client, calls[i].result, &error);
      g_assert_no_error (error);
      g_assert_nonnull (status);
      g_object_unref (calls[i].result);
    }
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 1);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, NULL), ==, 10);

  /* Ten more, one after the other: the same token. */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(CwOcwStatus) status = get_car (fixture->client, vins[i], NULL);

      g_assert_nonnull (status);
    }
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 1);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, NULL), ==, 20);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vins[0]), ==, 2);
}

static void
test_token_expiry (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0);
  g_autoptr(CwOcwStatus) status = NULL;

  /* A token that lives no longer than the renewal margin serves one request. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_LOGIN, CW_SIM_FAULT_TOKEN_EXPIRED, 30, 1);
  status = get_car (fixture->client, vin, NULL);
  g_assert_nonnull (status);
  g_clear_pointer (&status, cw_ocw_status_free);
  status = get_car (fixture->client, vin, NULL);
  g_assert_nonnull (status);
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 2);
}

static void
test_relogin_on_401 (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0);
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_clear_pointer (&status, cw_ocw_status_free);
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 1);

  /* PON drops the token early: one new login, and the answer. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_TOKEN_EXPIRED, 0, 1);
  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_clear_pointer (&status, cw_ocw_status_free);
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 2);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 3);

  /* Refused again after the new login: once only, then an error that says what to do. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_UNAUTHORIZED, 0, 5);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_LOGIN);
  assert_mentions (error, "Preferences");
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 3);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 5);
}

static void
test_account_changes (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0);
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_clear_pointer (&status, cw_ocw_status_free);

  /* Another account: the old token is not used for it, and PON refuses the new one. */
  store_account (fixture->account, "someone-else", "wrong");
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_LOGIN);
  assert_mentions (error, "user name or password");
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 2);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 1);
  g_clear_error (&error);

  /* No account at all. */
  forget_account (fixture->account);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_NO_ACCOUNT);
  assert_mentions (error, "Preferences");
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 2);
}

static void
test_no_account (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CwPonClient) without = client_new (fixture->base, NULL, NULL);
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = get_car (without, cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0),
                    &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_NO_ACCOUNT);
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 0);
}

/* ------------------------------------------------------------------------------------- */
/* Test Connection                                                                       */
/* ------------------------------------------------------------------------------------- */

static void
test_check (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CwPonClient) without = client_new (fixture->base, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (check (without, " " CW_SIM_PON_USERNAME " ", CW_SIM_PON_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 1);

  g_assert_false (check (without, CW_SIM_PON_USERNAME, "not-the-password", &error));
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_LOGIN);
  assert_mentions (error, "PON refused the user name or password");
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 2);
  g_clear_error (&error);

  g_assert_false (check (without, "", "x", &error));
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_NO_ACCOUNT);
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 2);
  g_clear_error (&error);

  /* A check leaves the account's token alone: the first car still logs in. */
  g_assert_true (check (fixture->client, CW_SIM_PON_USERNAME, CW_SIM_PON_PASSWORD, NULL));
  {
    g_autoptr(CwOcwStatus) status = get_car (fixture->client, cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0), NULL);

    g_assert_nonnull (status);
  }
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 4);

  /* A PON that is down. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_LOGIN, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  g_assert_false (check (without, CW_SIM_PON_USERNAME, CW_SIM_PON_PASSWORD, &error));
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_SERVER);
  assert_mentions (error, "PON");
}

/* ------------------------------------------------------------------------------------- */
/* Unknown cars and answers that cannot be used                                          */
/* ------------------------------------------------------------------------------------- */

static void
test_unknown_car (Fixture       *fixture,
                  gconstpointer  data)
{
  CwSimDataset *dataset = cw_sim_server_get_dataset (fixture->sim);
  const char *audi = NULL;
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < cw_sim_dataset_get_n_orders (dataset) && audi == NULL; i++)
    {
      CwCar *car = cw_workorder_get_car (cw_sim_dataset_get_order (dataset, i)->workorder);

      if (g_strcmp0 (cw_car_get_field (car, CW_CAR_MAKE), "Audi") == 0)
        audi = cw_car_get_field (car, CW_CAR_VIN);
    }
  g_assert_nonnull (audi);

  status = get_car (fixture->client, audi, &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_UNKNOWN_CAR);
  assert_mentions (error, audi);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, audi), ==, 1);
  g_clear_error (&error);

  /* Not a VIN at all: PON is not asked. */
  status = get_car (fixture->client, "WVW/../../auth", &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_UNKNOWN_CAR);
  g_clear_error (&error);
  status = get_car (fixture->client, "WVWZZZ1KZAW00000I", &error);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_UNKNOWN_CAR);
  g_clear_error (&error);
  status = get_car (fixture->client, NULL, &error);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_UNKNOWN_CAR);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, NULL), ==, 1);
}

static void
test_wrong_address (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *wrong = cw_sim_server_dup_url (fixture->sim, "/pon/nothing-here");
  g_autoptr(CwPonClient) client = client_new (wrong, NULL, fixture->account);
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  /* A 404 without PON's "vehicle_not_found" is the address, not the car. */
  status = get_car (client, cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0), &error);
  g_assert_null (status);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_NOT_FOUND);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0);
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  /* Not JSON: the net layer's rule, not retried. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_MALFORMED_JSON, 0, 1);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_MALFORMED);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 1);
  g_clear_error (&error);

  /* Optional members left out: still an answer. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_MISSING_FIELDS, 0, 1);
  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_ocw_state_from_status (status), ==, CW_OCW_CONNECTED);
  g_assert_cmpint (status->mileage_km, ==, -1);
  g_assert_null (status->portal_url);
  g_clear_pointer (&status, cw_ocw_status_free);

  /* A required one left out: named. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_MISSING_FIELDS, 1, 1);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_MALFORMED);
  assert_mentions (error, "“connected” is missing");
  assert_mentions (error, vin);
  g_clear_error (&error);

  /* Flags as strings: named, never guessed. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_NUMBERS_AS_STRINGS, 0, 1);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_MALFORMED);
  assert_mentions (error, "“capable” is not true or false");
}

typedef struct
{
  const char *json;
  const char *field;
} MalformedCase;

static const MalformedCase malformed_cases[] = {
  { "[]", "not a JSON object" },
  { "\"capable\"", "not a JSON object" },
  { "{}", "“capable” is missing" },
  { "{\"capable\": null}", "“capable” is missing" },
  { "{\"capable\": 1}", "“capable” is not true or false" },
  { "{\"capable\": true, \"connected\": true, \"maintenanceMode\": false}", "“activated” is missing" },
  { "{\"capable\": true, \"activated\": true, \"connected\": true}", "“maintenanceMode” is missing" },
  { "{\"capable\": false, \"activated\": \"no\"}", "“activated” is not true or false" },
  { "{\"vin\": \"WVWZZZ1KZAW000002\", \"capable\": false}", "“vin” names another car" },
  { "{\"vin\": 17, \"capable\": false}", "“vin” names another car" },
  { "{\"capable\": false, \"mileage\": 12}", "“mileage” is not an object" },
  { "{\"capable\": false, \"mileage\": {\"unit\": \"km\", \"readAt\": \"2026-11-21T08:00:00Z\"}}", "“mileage.value” is missing" },
  { "{\"capable\": false, \"mileage\": {\"value\": \"48210\", \"unit\": \"km\", \"readAt\": \"2026-11-21T08:00:00Z\"}}", "“mileage.value” is not a number" },
  { "{\"capable\": false, \"mileage\": {\"value\": -5, \"unit\": \"km\", \"readAt\": \"2026-11-21T08:00:00Z\"}}", "“mileage.value” is not a mileage" },
  { "{\"capable\": false, \"mileage\": {\"value\": 1e300, \"unit\": \"km\", \"readAt\": \"2026-11-21T08:00:00Z\"}}", "“mileage.value” is not a mileage" },
  { "{\"capable\": false, \"mileage\": {\"value\": 99999999999999999999, \"unit\": \"km\", \"readAt\": \"2026-11-21T08:00:00Z\"}}", "“mileage.value” is not a mileage" },
  { "{\"capable\": false, \"mileage\": {\"value\": 100, \"readAt\": \"2026-11-21T08:00:00Z\"}}", "“mileage.unit” is missing" },
  { "{\"capable\": false, \"mileage\": {\"value\": 100, \"unit\": \"furlongs\", \"readAt\": \"2026-11-21T08:00:00Z\"}}", "“mileage.unit” is neither" },
  { "{\"capable\": false, \"mileage\": {\"value\": 100, \"unit\": 1, \"readAt\": \"2026-11-21T08:00:00Z\"}}", "“mileage.unit” is not text" },
  { "{\"capable\": false, \"mileage\": {\"value\": 100, \"unit\": \"km\"}}", "“mileage.readAt” is missing" },
  { "{\"capable\": false, \"mileage\": {\"value\": 100, \"unit\": \"km\", \"readAt\": \"2026-11-21 08:00\"}}", "“mileage.readAt” is not a date" },
  { "{\"capable\": false, \"mileage\": {\"value\": 100, \"unit\": \"km\", \"readAt\": \"2026-11-21T08:00:00\"}}", "“mileage.readAt” is not a date" },
  { "{\"capable\": true, \"activated\": false, \"connected\": false, \"maintenanceMode\": false, \"portalUrl\": \"javascript:alert(1)\"}", "“portalUrl” is not a web address" },
  { "{\"capable\": true, \"activated\": false, \"connected\": false, \"maintenanceMode\": false, \"portalUrl\": \"file:///etc/passwd\"}", "“portalUrl” is not a web address" },
  { "{\"capable\": true, \"activated\": false, \"connected\": false, \"maintenanceMode\": false, \"portalUrl\": 42}", "“portalUrl” is not a web address" },
};

static void
test_mapping_malformed (void)
{
  const char *vin = "WVWZZZ1KZAW000001";

  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_autoptr(CwOcwStatus) status = NULL;
      g_autoptr(GError) error = NULL;

      status = cw_pon_map_car_data (malformed_cases[i].json, strlen (malformed_cases[i].json), vin, &error);
      if (status != NULL)
        g_error ("“%s” was mapped", malformed_cases[i].json);
      g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_MALFORMED);
      assert_mentions (error, malformed_cases[i].field);
      assert_mentions (error, vin);
    }
}

static void
test_mapping (void)
{
  const char *vin = "WVWZZZ1KZAW000001";
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  const char *full =
    "{\"vin\": \"wvwzzz1kzaw000001\", \"capable\": true, \"activated\": true, \"connected\": true,"
    " \"maintenanceMode\": false, \"unknownMember\": [1, 2],"
    " \"mileage\": {\"value\": 30000.4, \"unit\": \"MI\", \"readAt\": \"2026-11-21T09:30:00+01:00\"},"
    " \"portalUrl\": \"https://portal.example/ocw?vin=WVWZZZ1KZAW000001\"}";
  const char *sentinel =
    "{\"capable\": true, \"activated\": true, \"connected\": true, \"maintenanceMode\": false,"
    " \"mileage\": {\"value\": 2147483647}}";
  const char *grey = "{\"capable\": false, \"mileage\": null, \"portalUrl\": null}";
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 11, 21, 8, 30, 0);
  char *token = NULL;
  gint64 lifetime = -1;

  status = cw_pon_map_car_data (full, strlen (full), vin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_ocw_state_from_status (status), ==, CW_OCW_CONNECTED);
  g_assert_cmpint (status->mileage_km, ==, 48281);
  g_assert_true (g_date_time_equal (status->mileage_at, at));
  g_assert_cmpstr (status->portal_url, ==, "https://portal.example/ocw?vin=WVWZZZ1KZAW000001");
  g_clear_pointer (&status, cw_ocw_status_free);

  /* The car's own "no value": no reading, no error. */
  status = cw_pon_map_car_data (sentinel, strlen (sentinel), vin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->mileage_km, ==, -1);
  g_assert_null (status->mileage_at);
  g_clear_pointer (&status, cw_ocw_status_free);

  status = cw_pon_map_car_data (grey, strlen (grey), vin, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_ocw_state_from_status (status), ==, CW_OCW_NOT_CAPABLE);
  g_clear_pointer (&status, cw_ocw_status_free);

  /* VINs */
  {
    g_autofree char *a = cw_pon_normalize_vin (" wvwzzz1kzaw000001\n");
    g_autofree char *b = cw_pon_normalize_vin ("WVWZZZ1KZAW00000");
    g_autofree char *c = cw_pon_normalize_vin ("WVWZZZ1KZAW0000012");
    g_autofree char *d = cw_pon_normalize_vin ("WVWZZZ1KZAW00000O");
    g_autofree char *e = cw_pon_normalize_vin ("WVW-ZZ1KZAW000001");

    g_assert_cmpstr (a, ==, vin);
    g_assert_null (b);
    g_assert_null (c);
    g_assert_null (d);
    g_assert_null (e);
  }

  /* The login's answer. */
  {
    const char *good = "{\"access_token\": \"abc.DEF-123_~+/=\", \"token_type\": \"bearer\", \"expires_in\": 3600}";
    const char *bad[] = {
      "{\"access_token\": \"has space\"}", "{\"access_token\": 5}", "{\"token_type\": \"Bearer\"}",
      "{\"access_token\": \"abc\", \"token_type\": \"MAC\"}", "{\"access_token\": \"\"}", "[]",
    };
    g_autoptr(JsonNode) node = json_from_string (good, NULL);

    g_assert_true (cw_pon_read_token (node, &token, &lifetime));
    g_assert_cmpstr (token, ==, "abc.DEF-123_~+/=");
    g_assert_cmpint (lifetime, ==, 3600);
    g_clear_pointer (&token, g_free);

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(JsonNode) wrong = json_from_string (bad[i], NULL);

        g_assert_false (cw_pon_read_token (wrong, &token, &lifetime));
        g_assert_null (token);
      }
  }
}

/* ------------------------------------------------------------------------------------- */
/* The net rules                                                                         */
/* ------------------------------------------------------------------------------------- */

static void
test_server_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_NOT_ACTIVATED, CW_SIM_PON_MILEAGE_ANY, 0);
  CwHttpClient *http = cw_pon_client_get_http_client (fixture->client);
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_clear_pointer (&status, cw_ocw_status_free);

  /* 500: not retried, says what to do. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_SERVER_ERROR, 0, 1);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_SERVER);
  assert_mentions (error, "PON");
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 2);
  g_clear_error (&error);

  /* 429 twice: retried after Retry-After, then the answer. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_TOO_MANY, 0, 2);
  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_clear_pointer (&status, cw_ocw_status_free);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 5);

  /* 429 every time: THROTTLED once the attempts are spent. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_TOO_MANY, 0, 3);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_THROTTLED);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 8);
  g_clear_error (&error);

  /* No answer within the timeout: tried again, then TIMEOUT. */
  cw_http_client_set_retry_policy (http, 2, 2, 10);
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_HANG, 0, 2);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_TIMEOUT);
  assert_mentions (error, "PON");
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 10);
  g_clear_error (&error);

  /* The login too follows the rules: a 503-like 429 on it is retried. */
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_TOKEN_EXPIRED, 0, 1);
  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_LOGIN, CW_SIM_FAULT_TOO_MANY, 0, 1);
  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 2);
}

static void
test_oversized (Fixture       *fixture,
                gconstpointer  data)
{
  const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0);
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  cw_sim_server_add_fault (fixture->sim, CW_SIM_PON_VEHICLES, CW_SIM_FAULT_OVERSIZED, 0, 1);
  status = get_car (fixture->client, vin, &error);
  g_assert_null (status);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_TOO_LARGE);
  g_assert_cmpuint (cw_sim_pon_count_requests (fixture->sim, vin), ==, 1);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  const char *vin = cw_sim_pon_find_vin (fixture->sim, CW_OCW_CONNECTED, CW_SIM_PON_MILEAGE_ANY, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  Call call = { 0 };

  /* Cancelled while it waits for the login. */
  cw_pon_client_get_car_async (fixture->client, vin, cancellable, call_done_cb, &call);
  g_cancellable_cancel (cancellable);
  wait_call (&call);
  status = cw_pon_client_get_car_finish (fixture->client, call.result, &error);
  g_object_unref (call.result);
  g_assert_null (status);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The login went on for whoever asks next. */
  status = get_car (fixture->client, vin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cw_sim_pon_count_logins (fixture->sim), ==, 1);
}

static void
test_configuration (void)
{
  g_autoptr(CwPonClient) client = NULL;
  g_autoptr(GError) error = NULL;
  const char *refused[] = {
    "", "   ", "api.pon.nl/ocw/v1", "http://api.pon.nl/ocw/v1", "ftp://api.pon.nl/",
    "https:///ocw", "https://api.pon.nl/ocw/v1?x=1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      client = cw_pon_client_new (refused[i], NULL, NULL, &error);
      g_assert_null (client);
      g_assert_error (error, CW_PON_ERROR, CW_PON_ERROR_CONFIGURATION);
      assert_mentions (error, "pon-endpoint");
      g_clear_error (&error);
    }

  client = cw_pon_client_new (" https://api.pon.nl/ocw/v1/ ", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_pon_client_get_base_url (client), ==, "https://api.pon.nl/ocw/v1");
  g_clear_object (&client);

  client = cw_pon_client_new ("http://localhost:8080/pon", "", NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&client);

  /* A CA file: an absolute path, the net layer's rule. */
  client = cw_pon_client_new ("https://api.pon.nl/ocw/v1", "certs/pon.pem", NULL, &error);
  g_assert_null (client);
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_TLS);
}

/* ------------------------------------------------------------------------------------- */
/* TLS                                                                                   */
/* ------------------------------------------------------------------------------------- */

static void
tls_handler (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  guint *hits = user_data;

  (*hits)++;
  cw_sim_reply_text (message, SOUP_STATUS_OK, "application/json",
                     "{\"access_token\": \"tls-token\", \"token_type\": \"Bearer\", \"expires_in\": 60}");
}

static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cw-pon-tls-XXXXXX", &error);
  g_autofree char *cert_path = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (dir, "key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(CwPonClient) untrusting = NULL;
  g_autoptr(CwPonClient) trusting = NULL;
  g_autofree char *base = NULL;
  g_autofree char *standard_error = NULL;
  GSList *uris;
  guint hits = 0;
  int status;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    "-keyout", key_path, "-out", cert_path, NULL
  };

  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &standard_error, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("openssl failed: %s\n%s", error->message, standard_error);

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, tls_handler, &hits, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("https://127.0.0.1:%d/pon", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  /* The system does not trust the test's own certificate: an error, never retried, and
   * nothing reaches the server (not the password). */
  untrusting = client_new (base, NULL, NULL);
  g_assert_false (check (untrusting, "balie", "secret", &error));
  g_assert_error (error, CW_NET_ERROR, CW_NET_ERROR_TLS);
  assert_mentions (error, "PON");
  g_assert_cmpuint (hits, ==, 0);
  g_clear_error (&error);

  /* With the certificate as the CA file (pon-ca-file) it is trusted. */
  trusting = client_new (base, cert_path, NULL);
  g_assert_true (check (trusting, "balie", "secret", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hits, ==, 1);

  g_clear_object (&trusting);
  g_clear_object (&untrusting);
  soup_server_disconnect (server);
  g_clear_object (&server);
  spin ();
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_autofree char *keyring_dir = g_dir_make_tmp ("cw-pon-keyring-XXXXXX", NULL);
  g_autofree char *keyring = g_build_filename (keyring_dir, "test.keyring", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);

  /* libsecret's file backend: no keyring daemon needed. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  /* The servers are local: a proxy configured for the machine must not get in between. */
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);

  ADD ("/pon/client/states", test_states);
  ADD ("/pon/client/mileage", test_mileage);
  ADD ("/pon/client/set-state", test_set_state);
  ADD ("/pon/client/token-reuse", test_token_reuse);
  ADD ("/pon/client/token-expiry", test_token_expiry);
  ADD ("/pon/client/relogin-on-401", test_relogin_on_401);
  ADD ("/pon/client/account-changes", test_account_changes);
  ADD ("/pon/client/no-account", test_no_account);
  ADD ("/pon/client/check", test_check);
  ADD ("/pon/client/unknown-car", test_unknown_car);
  ADD ("/pon/client/wrong-address", test_wrong_address);
  ADD ("/pon/client/malformed", test_malformed);
  ADD ("/pon/client/server-errors", test_server_errors);
  ADD ("/pon/client/oversized", test_oversized);
  ADD ("/pon/client/cancel", test_cancel);
  g_test_add_func ("/pon/client/configuration", test_configuration);
  g_test_add_func ("/pon/client/tls", test_tls);
  g_test_add_func ("/pon/mapping/answers", test_mapping);
  g_test_add_func ("/pon/mapping/malformed", test_mapping_malformed);

  status = g_test_run ();

  g_unlink (keyring);
  g_rmdir (keyring_dir);

  return status;
}
