/* test-status.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cw-core-enums.h"
#include "cw-status.h"

/*
 * The workflow rules of docs/workflow.md, written out as tables. The tables are the oracle:
 * every expected outcome is spelled out here rather than recomputed from the rules, so a
 * change in cw-status.c that the document does not describe shows up as a failing cell.
 */

#define N_STATUSES (CW_STATUS_CANCELED + 1)
#define N_STEPS    (CW_STATUS_LAST_STEP + 1)
#define N_REASONS  (CW_CANCEL_REASON_OTHER + 1)

static const CwShopState all_shop_states[] = {
  CW_SHOP_NOT_ARRIVED, CW_SHOP_IN, CW_SHOP_LEFT,
};

/* Outcome letters of the matrices: A allowed, B CW_STATUS_ERROR_BACKWARD, F FROZEN,
 * R REASON_REQUIRED, N NOT_ALLOWED, C CANCEL_NOT_ALLOWED. */
static int
outcome_to_code (char outcome)
{
  switch (outcome)
    {
    case 'B': return CW_STATUS_ERROR_BACKWARD;
    case 'F': return CW_STATUS_ERROR_FROZEN;
    case 'R': return CW_STATUS_ERROR_REASON_REQUIRED;
    case 'N': return CW_STATUS_ERROR_NOT_ALLOWED;
    case 'C': return CW_STATUS_ERROR_CANCEL_NOT_ALLOWED;
    default:
      g_error ("unknown outcome letter '%c' in a test table", outcome);
    }
}

/* The outcome letter of a call that returned @ok and set @error. */
static char
outcome_of (gboolean      ok,
            const GError *error)
{
  if (ok)
    return error == NULL ? 'A' : '?';
  if (error == NULL || error->domain != CW_STATUS_ERROR)
    return '?';

  switch (error->code)
    {
    case CW_STATUS_ERROR_BACKWARD: return 'B';
    case CW_STATUS_ERROR_FROZEN: return 'F';
    case CW_STATUS_ERROR_REASON_REQUIRED: return 'R';
    case CW_STATUS_ERROR_NOT_ALLOWED: return 'N';
    case CW_STATUS_ERROR_CANCEL_NOT_ALLOWED: return 'C';
    default: return '?';
    }
}

static const char *
status_nick (CwStatus status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (CW_TYPE_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_assert_nonnull (value);
  return value->value_nick;
}

static void
assert_process_equal (const CwProcess *a,
                      const CwProcess *b)
{
  g_assert_cmpint (a->status, ==, b->status);
  g_assert_cmpint (a->resume_status, ==, b->resume_status);
  g_assert_cmpint (a->shop, ==, b->shop);
  g_assert_cmpint (a->cancel_reason, ==, b->cancel_reason);
}

static void
assert_status_error (const GError *error,
                     char          outcome)
{
  g_assert_nonnull (error);
  g_assert_error (error, CW_STATUS_ERROR, outcome_to_code (outcome));
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* ---------------------------------------------------------------------------------------
 * Advance
 * Columns: the target status, in enum order:
 *   NE  CIS CS  CR  CA  PO  CC  CAn COK CRd BO  CX
 * (New entry, Car in shop, Check started, Check ready, Calculating, Proposal OK, Contact
 * customer, Customer answered, Customer OK, Car ready, Backorder, Canceled).
 */

typedef struct
{
  CwStatus    from;
  CwStatus    resume;
  const char *expected;  /* one outcome letter per target status */
} AdvanceRow;

static const AdvanceRow advance_matrix[] = {
  /*                                                          NE CIS CS CR CA PO CC CAn COK CRd BO CX */
  { CW_STATUS_NEW_ENTRY,         CW_STATUS_NEW_ENTRY,         "B" "A" "A" "A" "A" "A" "A" "A" "A" "A" "N" "R" },
  { CW_STATUS_CAR_IN_SHOP,       CW_STATUS_CAR_IN_SHOP,       "B" "B" "A" "A" "A" "A" "A" "A" "A" "A" "N" "R" },
  { CW_STATUS_CHECK_STARTED,     CW_STATUS_CHECK_STARTED,     "B" "B" "B" "A" "A" "A" "A" "A" "A" "A" "A" "R" },
  { CW_STATUS_CHECK_READY,       CW_STATUS_CHECK_READY,       "B" "B" "B" "B" "A" "A" "A" "A" "A" "A" "A" "R" },
  { CW_STATUS_CALCULATING,       CW_STATUS_CALCULATING,       "B" "B" "B" "B" "B" "A" "A" "A" "A" "A" "A" "R" },
  { CW_STATUS_PROPOSAL_OK,       CW_STATUS_PROPOSAL_OK,       "B" "B" "B" "B" "B" "B" "A" "A" "A" "A" "A" "R" },
  { CW_STATUS_CONTACT_CUSTOMER,  CW_STATUS_CONTACT_CUSTOMER,  "B" "B" "B" "B" "B" "B" "B" "A" "A" "A" "A" "R" },
  { CW_STATUS_CUSTOMER_ANSWERED, CW_STATUS_CUSTOMER_ANSWERED, "B" "B" "B" "B" "B" "B" "B" "B" "A" "A" "A" "R" },
  { CW_STATUS_CUSTOMER_OK,       CW_STATUS_CUSTOMER_OK,       "B" "B" "B" "B" "B" "B" "B" "B" "B" "A" "A" "R" },
  { CW_STATUS_CAR_READY,         CW_STATUS_CAR_READY,         "B" "B" "B" "B" "B" "B" "B" "B" "B" "B" "N" "R" },
  /* Canceled is frozen, whatever it was canceled from. */
  { CW_STATUS_CANCELED,          CW_STATUS_NEW_ENTRY,         "F" "F" "F" "F" "F" "F" "F" "F" "F" "F" "F" "F" },
  { CW_STATUS_CANCELED,          CW_STATUS_CAR_IN_SHOP,       "F" "F" "F" "F" "F" "F" "F" "F" "F" "F" "F" "F" },
};

/* Backorder, entered from each step that allows it: leaving goes to that step or later. */
static const AdvanceRow backorder_matrix[] = {
  /*                                                          NE CIS CS CR CA PO CC CAn COK CRd BO CX */
  { CW_STATUS_BACKORDER,         CW_STATUS_CHECK_STARTED,     "B" "B" "A" "A" "A" "A" "A" "A" "A" "A" "N" "R" },
  { CW_STATUS_BACKORDER,         CW_STATUS_CHECK_READY,       "B" "B" "B" "A" "A" "A" "A" "A" "A" "A" "N" "R" },
  { CW_STATUS_BACKORDER,         CW_STATUS_CALCULATING,       "B" "B" "B" "B" "A" "A" "A" "A" "A" "A" "N" "R" },
  { CW_STATUS_BACKORDER,         CW_STATUS_PROPOSAL_OK,       "B" "B" "B" "B" "B" "A" "A" "A" "A" "A" "N" "R" },
  { CW_STATUS_BACKORDER,         CW_STATUS_CONTACT_CUSTOMER,  "B" "B" "B" "B" "B" "B" "A" "A" "A" "A" "N" "R" },
  { CW_STATUS_BACKORDER,         CW_STATUS_CUSTOMER_ANSWERED, "B" "B" "B" "B" "B" "B" "B" "A" "A" "A" "N" "R" },
  { CW_STATUS_BACKORDER,         CW_STATUS_CUSTOMER_OK,       "B" "B" "B" "B" "B" "B" "B" "B" "A" "A" "N" "R" },
};

static void
check_advance_cell (const AdvanceRow *row,
                    CwStatus          target)
{
  char outcome = row->expected[target];

  for (guint s = 0; s < G_N_ELEMENTS (all_shop_states); s++)
    {
      CwProcess before = {
        row->from, row->resume, all_shop_states[s],
        row->from == CW_STATUS_CANCELED ? CW_CANCEL_REASON_DEALER : CW_CANCEL_REASON_NONE,
      };
      CwProcess process = before;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) advance_error = NULL;
      gboolean ok;

      g_autofree char *cell = g_strdup_printf ("%s (resume %s, shop %d) -> %s",
                                               status_nick (row->from), status_nick (row->resume),
                                               all_shop_states[s], status_nick (target));
      g_autofree char *expected = NULL;
      g_autofree char *actual = NULL;

      /* The check itself, with and without an error location; the cell is named in the
       * comparison so that a failure says which one. */
      ok = cw_process_can_advance (&process, target, &error);
      expected = g_strdup_printf ("%s: %c", cell, outcome);
      actual = g_strdup_printf ("%s: %c", cell, outcome_of (ok, error));
      g_assert_cmpstr (actual, ==, expected);
      g_assert_cmpint (cw_process_can_advance (&process, target, NULL), ==, outcome == 'A');
      assert_process_equal (&process, &before);

      if (outcome != 'A')
        {
          assert_status_error (error, outcome);

          /* The message names where the workorder is, so the advisor sees why. */
          if (outcome == 'B')
            {
              CwStatus at = row->from == CW_STATUS_BACKORDER ? row->resume : row->from;

              g_assert_nonnull (strstr (error->message, cw_status_get_label (at)));
            }
        }
      else
        g_assert_no_error (error);

      /* The change: refused leaves the process as it was. */
      ok = cw_process_advance (&process, target, &advance_error);
      g_assert_cmpint (ok, ==, outcome == 'A');

      if (outcome != 'A')
        {
          assert_status_error (advance_error, outcome);
          assert_process_equal (&process, &before);

          process = before;
          g_assert_false (cw_process_advance (&process, target, NULL));
          assert_process_equal (&process, &before);
          continue;
        }

      g_assert_no_error (advance_error);
      g_assert_cmpint (process.status, ==, target);

      /* Backorder remembers where it came from; a step is its own resume point. */
      if (target == CW_STATUS_BACKORDER)
        g_assert_cmpint (process.resume_status, ==, before.status);
      else
        g_assert_cmpint (process.resume_status, ==, target);

      /* Any step from Car in shop on means the car arrived; a car that left stays left. */
      if (cw_status_is_step (target) && before.shop == CW_SHOP_NOT_ARRIVED)
        g_assert_cmpint (process.shop, ==, CW_SHOP_IN);
      else
        g_assert_cmpint (process.shop, ==, before.shop);

      g_assert_cmpint (process.cancel_reason, ==, before.cancel_reason);
    }
}

static void
check_advance_rows (const AdvanceRow *rows,
                    guint             n_rows)
{
  for (guint r = 0; r < n_rows; r++)
    {
      g_assert_cmpuint (strlen (rows[r].expected), ==, N_STATUSES);

      for (CwStatus target = 0; target < N_STATUSES; target++)
        check_advance_cell (&rows[r], target);
    }
}

static void
test_advance_matrix (void)
{
  /* Every from-status but Backorder appears (Backorder has its own matrix). */
  for (CwStatus from = 0; from < N_STATUSES; from++)
    {
      gboolean found = from == CW_STATUS_BACKORDER;

      for (guint r = 0; r < G_N_ELEMENTS (advance_matrix); r++)
        found |= advance_matrix[r].from == from;
      g_assert_true (found);
    }

  check_advance_rows (advance_matrix, G_N_ELEMENTS (advance_matrix));
}

static void
test_advance_backorder_matrix (void)
{
  /* Every step that may enter Backorder appears as a resume point. */
  for (CwStatus step = CW_STATUS_CHECK_STARTED; step <= CW_STATUS_CUSTOMER_OK; step++)
    {
      gboolean found = FALSE;

      for (guint r = 0; r < G_N_ELEMENTS (backorder_matrix); r++)
        found |= backorder_matrix[r].resume == step;
      g_assert_true (found);
    }

  check_advance_rows (backorder_matrix, G_N_ELEMENTS (backorder_matrix));
}

static void
test_advance_backorder_round_trip (void)
{
  /* Entering Backorder from each allowed step and leaving it again at the same step. */
  for (CwStatus step = CW_STATUS_CHECK_STARTED; step <= CW_STATUS_CUSTOMER_OK; step++)
    {
      CwProcess process = { step, step, CW_SHOP_IN, CW_CANCEL_REASON_NONE };
      g_autoptr(GError) error = NULL;

      g_assert_true (cw_process_advance (&process, CW_STATUS_BACKORDER, &error));
      g_assert_no_error (error);
      g_assert_cmpint (process.status, ==, CW_STATUS_BACKORDER);
      g_assert_cmpint (process.resume_status, ==, step);

      /* Entering it twice is refused. */
      g_assert_false (cw_process_advance (&process, CW_STATUS_BACKORDER, &error));
      g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_NOT_ALLOWED);
      g_clear_error (&error);

      g_assert_true (cw_process_advance (&process, step, &error));
      g_assert_no_error (error);
      g_assert_cmpint (process.status, ==, step);
      g_assert_cmpint (process.resume_status, ==, step);
      g_assert_cmpint (process.shop, ==, CW_SHOP_IN);
    }
}

static void
test_advance_ignores_stale_resume (void)
{
  /* Outside Backorder the resume status plays no part: only the status counts. */
  CwProcess process = { CW_STATUS_CHECK_READY, CW_STATUS_NEW_ENTRY, CW_SHOP_IN, CW_CANCEL_REASON_NONE };
  g_autoptr(GError) error = NULL;

  g_assert_false (cw_process_can_advance (&process, CW_STATUS_CHECK_STARTED, &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_BACKWARD);
  g_assert_true (cw_process_can_advance (&process, CW_STATUS_CALCULATING, NULL));

  process = (CwProcess) { CW_STATUS_CHECK_STARTED, CW_STATUS_CAR_READY, CW_SHOP_IN, CW_CANCEL_REASON_NONE };
  g_assert_true (cw_process_can_advance (&process, CW_STATUS_CHECK_READY, NULL));
  g_assert_true (cw_process_advance (&process, CW_STATUS_BACKORDER, NULL));
  g_assert_cmpint (process.resume_status, ==, CW_STATUS_CHECK_STARTED);
}

static void
test_advance_invalid_target (void)
{
  CwProcess process = CW_PROCESS_INIT;
  CwProcess before = process;

  g_test_expect_message ("cw-status", G_LOG_LEVEL_CRITICAL, "*status_is_valid*");
  g_assert_false (cw_process_can_advance (&process, (CwStatus) N_STATUSES, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("cw-status", G_LOG_LEVEL_CRITICAL, "*status_is_valid*");
  g_assert_false (cw_process_advance (&process, (CwStatus) 99, NULL));
  g_test_assert_expected_messages ();

  assert_process_equal (&process, &before);
}

/* ---------------------------------------------------------------------------------------
 * Cancel
 */

/* Per status, in enum order: A cancel possible, C CANCEL_NOT_ALLOWED, F FROZEN. */
static const char cancel_by_status[] =
  /* NE CIS CS CR CA PO CC CAn COK CRd BO CX */
  "A" "A" "C" "C" "C" "C" "C" "C" "C" "C" "C" "F";

static const char * const cancel_texts[] = { NULL, "", "  ", "\t\n ", "Klant belde af" };

/* Where cancel is possible: per reason (rows) and text (columns, as cancel_texts[]). */
static const char * const cancel_by_reason[N_REASONS] = {
  /*                                  NULL "" "  " "\t\n " "Klant belde af" */
  [CW_CANCEL_REASON_NONE]     = "R" "R" "R" "R" "R",
  [CW_CANCEL_REASON_NO_SHOW]  = "A" "A" "A" "A" "A",
  [CW_CANCEL_REASON_CUSTOMER] = "A" "A" "A" "A" "A",
  [CW_CANCEL_REASON_DEALER]   = "A" "A" "A" "A" "A",
  [CW_CANCEL_REASON_OTHER]    = "R" "R" "R" "R" "A",
};

static void
test_cancel_matrix (void)
{
  g_assert_cmpuint (strlen (cancel_by_status), ==, N_STATUSES);

  for (CwStatus status = 0; status < N_STATUSES; status++)
    for (CwCancelReason reason = 0; reason < N_REASONS; reason++)
      for (guint t = 0; t < G_N_ELEMENTS (cancel_texts); t++)
        for (guint s = 0; s < G_N_ELEMENTS (all_shop_states); s++)
          {
            CwProcess before = {
              status,
              status == CW_STATUS_BACKORDER ? CW_STATUS_CALCULATING : status,
              all_shop_states[s],
              status == CW_STATUS_CANCELED ? CW_CANCEL_REASON_NO_SHOW : CW_CANCEL_REASON_NONE,
            };
            CwProcess process = before;
            g_autoptr(GError) error = NULL;
            char outcome = cancel_by_status[status];
            gboolean ok;

            if (outcome == 'A')
              outcome = cancel_by_reason[reason][t];

            g_autofree char *cell = g_strdup_printf ("cancel %s (shop %d) reason %d text \"%s\"",
                                                     status_nick (status), all_shop_states[s],
                                                     reason, cancel_texts[t] ? cancel_texts[t] : "(null)");
            g_autofree char *expected = NULL;
            g_autofree char *actual = NULL;

            /* cw_process_can_cancel() only looks at the status. */
            g_assert_cmpint (cw_process_can_cancel (&process, NULL), ==, cancel_by_status[status] == 'A');

            ok = cw_process_cancel (&process, reason, cancel_texts[t], &error);
            expected = g_strdup_printf ("%s: %c", cell, outcome);
            actual = g_strdup_printf ("%s: %c", cell, outcome_of (ok, error));
            g_assert_cmpstr (actual, ==, expected);

            if (outcome != 'A')
              {
                assert_status_error (error, outcome);
                assert_process_equal (&process, &before);

                if (outcome == 'C')
                  g_assert_nonnull (strstr (error->message, cw_status_get_label (status)));

                process = before;
                g_assert_false (cw_process_cancel (&process, reason, cancel_texts[t], NULL));
                assert_process_equal (&process, &before);
                continue;
              }

            g_assert_no_error (error);
            g_assert_cmpint (process.status, ==, CW_STATUS_CANCELED);
            g_assert_cmpint (process.cancel_reason, ==, reason);
            g_assert_cmpint (process.resume_status, ==, before.status);
            g_assert_cmpint (process.shop, ==, before.shop);

            /* And from then on, frozen. */
            g_assert_false (cw_process_cancel (&process, reason, cancel_texts[t], &error));
            g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_FROZEN);
          }
}

static void
test_cancel_can_cancel_errors (void)
{
  for (CwStatus status = 0; status < N_STATUSES; status++)
    {
      CwProcess process = { status, status, CW_SHOP_IN, CW_CANCEL_REASON_NONE };
      g_autoptr(GError) error = NULL;
      gboolean ok = cw_process_can_cancel (&process, &error);

      g_assert_cmpint (ok, ==, cancel_by_status[status] == 'A');
      if (ok)
        g_assert_no_error (error);
      else
        assert_status_error (error, cancel_by_status[status]);
    }
}

static void
test_cancel_unknown_reason (void)
{
  CwProcess process = CW_PROCESS_INIT;
  CwProcess before = process;
  g_autoptr(GError) error = NULL;

  g_assert_false (cw_process_cancel (&process, (CwCancelReason) N_REASONS, "Klant belde af", &error));
  assert_status_error (error, 'R');
  assert_process_equal (&process, &before);
}

/* ---------------------------------------------------------------------------------------
 * The in/out toggle
 */

typedef struct
{
  CwStatus    status;
  CwShopState shop;
  char        outcome;       /* A or F */
  CwStatus    status_after;
  CwShopState shop_after;
} ToggleCase;

#define TOGGLE_LATER(s) \
  { s, CW_SHOP_NOT_ARRIVED, 'A', s, CW_SHOP_IN }, \
  { s, CW_SHOP_IN,          'A', s, CW_SHOP_LEFT }, \
  { s, CW_SHOP_LEFT,        'A', s, CW_SHOP_IN }

static const ToggleCase toggle_cases[] = {
  /* In New entry, coming in is the Car in shop step. */
  { CW_STATUS_NEW_ENTRY, CW_SHOP_NOT_ARRIVED, 'A', CW_STATUS_CAR_IN_SHOP, CW_SHOP_IN },
  { CW_STATUS_NEW_ENTRY, CW_SHOP_IN,          'A', CW_STATUS_NEW_ENTRY,   CW_SHOP_LEFT },
  { CW_STATUS_NEW_ENTRY, CW_SHOP_LEFT,        'A', CW_STATUS_CAR_IN_SHOP, CW_SHOP_IN },
  /* It never changes a later status. */
  TOGGLE_LATER (CW_STATUS_CAR_IN_SHOP),
  TOGGLE_LATER (CW_STATUS_CHECK_STARTED),
  TOGGLE_LATER (CW_STATUS_CHECK_READY),
  TOGGLE_LATER (CW_STATUS_CALCULATING),
  TOGGLE_LATER (CW_STATUS_PROPOSAL_OK),
  TOGGLE_LATER (CW_STATUS_CONTACT_CUSTOMER),
  TOGGLE_LATER (CW_STATUS_CUSTOMER_ANSWERED),
  TOGGLE_LATER (CW_STATUS_CUSTOMER_OK),
  TOGGLE_LATER (CW_STATUS_CAR_READY),
  TOGGLE_LATER (CW_STATUS_BACKORDER),
  /* Canceled is frozen, the toggle included. */
  { CW_STATUS_CANCELED, CW_SHOP_NOT_ARRIVED, 'F', CW_STATUS_CANCELED, CW_SHOP_NOT_ARRIVED },
  { CW_STATUS_CANCELED, CW_SHOP_IN,          'F', CW_STATUS_CANCELED, CW_SHOP_IN },
  { CW_STATUS_CANCELED, CW_SHOP_LEFT,        'F', CW_STATUS_CANCELED, CW_SHOP_LEFT },
};

#undef TOGGLE_LATER

static void
test_toggle_matrix (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (toggle_cases), ==, N_STATUSES * G_N_ELEMENTS (all_shop_states));

  for (guint i = 0; i < G_N_ELEMENTS (toggle_cases); i++)
    {
      const ToggleCase *c = &toggle_cases[i];
      CwStatus resume = c->status == CW_STATUS_BACKORDER ? CW_STATUS_PROPOSAL_OK :
                        c->status == CW_STATUS_CANCELED ? CW_STATUS_CAR_IN_SHOP : c->status;
      CwProcess before = {
        c->status, resume, c->shop,
        c->status == CW_STATUS_CANCELED ? CW_CANCEL_REASON_CUSTOMER : CW_CANCEL_REASON_NONE,
      };
      CwProcess process = before;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) can_error = NULL;
      gboolean ok;

      g_autofree char *cell = g_strdup_printf ("toggle %s (shop %d)", status_nick (c->status), c->shop);
      g_autofree char *expected = g_strdup_printf ("%s: %c -> %s, shop %d", cell, c->outcome,
                                                   status_nick (c->status_after), c->shop_after);
      g_autofree char *actual = NULL;

      g_assert_cmpint (cw_process_can_toggle_shop (&process, &can_error), ==, c->outcome == 'A');
      g_assert_cmpint (cw_process_can_toggle_shop (&process, NULL), ==, c->outcome == 'A');
      if (c->outcome == 'A')
        g_assert_no_error (can_error);
      else
        assert_status_error (can_error, c->outcome);

      ok = cw_process_toggle_shop (&process, &error);
      actual = g_strdup_printf ("%s: %c -> %s, shop %d", cell, outcome_of (ok, error),
                                status_nick (process.status), process.shop);
      g_assert_cmpstr (actual, ==, expected);
      if (c->outcome == 'A')
        g_assert_no_error (error);
      else
        assert_status_error (error, c->outcome);

      g_assert_cmpint (process.status, ==, c->status_after);
      g_assert_cmpint (process.shop, ==, c->shop_after);
      g_assert_cmpint (process.cancel_reason, ==, before.cancel_reason);

      /* Entering Car in shop by the toggle makes it the resume point, like a step does. */
      if (c->status_after != c->status)
        g_assert_cmpint (process.resume_status, ==, c->status_after);
      else
        g_assert_cmpint (process.resume_status, ==, before.resume_status);
    }
}

static void
test_toggle_in_out_in (void)
{
  CwProcess process = CW_PROCESS_INIT;

  g_assert_true (cw_process_toggle_shop (&process, NULL));
  g_assert_cmpint (process.status, ==, CW_STATUS_CAR_IN_SHOP);
  g_assert_cmpint (process.shop, ==, CW_SHOP_IN);

  g_assert_true (cw_process_toggle_shop (&process, NULL));
  g_assert_cmpint (process.status, ==, CW_STATUS_CAR_IN_SHOP);
  g_assert_cmpint (process.shop, ==, CW_SHOP_LEFT);

  g_assert_true (cw_process_toggle_shop (&process, NULL));
  g_assert_cmpint (process.status, ==, CW_STATUS_CAR_IN_SHOP);
  g_assert_cmpint (process.shop, ==, CW_SHOP_IN);
}

/* ---------------------------------------------------------------------------------------
 * Apply
 */

static void
test_apply_dispatch (void)
{
  g_autoptr(GError) error = NULL;
  CwProcess process = CW_PROCESS_INIT;
  CwProcessChange change;

  /* Advance: fields of other actions are ignored. */
  change = (CwProcessChange) { CW_PROCESS_ADVANCE, CW_STATUS_CHECK_READY, CW_CANCEL_REASON_DEALER, "x" };
  g_assert_true (cw_process_apply (&process, &change, &error));
  g_assert_no_error (error);
  assert_process_equal (&process, &(CwProcess) { CW_STATUS_CHECK_READY, CW_STATUS_CHECK_READY,
                                                 CW_SHOP_IN, CW_CANCEL_REASON_NONE });

  /* A refused advance keeps its error code. */
  change = (CwProcessChange) { CW_PROCESS_ADVANCE, CW_STATUS_CAR_IN_SHOP, CW_CANCEL_REASON_NONE, NULL };
  g_assert_false (cw_process_apply (&process, &change, &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_BACKWARD);
  g_clear_error (&error);
  change = (CwProcessChange) { CW_PROCESS_ADVANCE, CW_STATUS_CANCELED, CW_CANCEL_REASON_NO_SHOW, NULL };
  g_assert_false (cw_process_apply (&process, &change, &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_REASON_REQUIRED);
  g_clear_error (&error);

  /* Backorder through apply. */
  change = (CwProcessChange) { CW_PROCESS_ADVANCE, CW_STATUS_BACKORDER, CW_CANCEL_REASON_NONE, NULL };
  g_assert_true (cw_process_apply (&process, &change, &error));
  g_assert_no_error (error);
  assert_process_equal (&process, &(CwProcess) { CW_STATUS_BACKORDER, CW_STATUS_CHECK_READY,
                                                 CW_SHOP_IN, CW_CANCEL_REASON_NONE });

  /* Toggle: target and reason are ignored. */
  change = (CwProcessChange) { CW_PROCESS_TOGGLE_SHOP, CW_STATUS_CAR_READY, CW_CANCEL_REASON_OTHER, NULL };
  g_assert_true (cw_process_apply (&process, &change, &error));
  g_assert_no_error (error);
  assert_process_equal (&process, &(CwProcess) { CW_STATUS_BACKORDER, CW_STATUS_CHECK_READY,
                                                 CW_SHOP_LEFT, CW_CANCEL_REASON_NONE });

  /* Cancel: refused after work started. */
  change = (CwProcessChange) { CW_PROCESS_CANCEL, CW_STATUS_NEW_ENTRY, CW_CANCEL_REASON_NO_SHOW, NULL };
  g_assert_false (cw_process_apply (&process, &change, &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_CANCEL_NOT_ALLOWED);
  g_clear_error (&error);

  /* Cancel with reason and text, from a fresh workorder. */
  process = CW_PROCESS_INIT;
  change = (CwProcessChange) { CW_PROCESS_CANCEL, CW_STATUS_CAR_READY, CW_CANCEL_REASON_OTHER, "   " };
  g_assert_false (cw_process_apply (&process, &change, &error));
  g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_REASON_REQUIRED);
  g_clear_error (&error);
  assert_process_equal (&process, &CW_PROCESS_INIT);

  change.text = "Klant belde af";
  g_assert_true (cw_process_apply (&process, &change, &error));
  g_assert_no_error (error);
  assert_process_equal (&process, &(CwProcess) { CW_STATUS_CANCELED, CW_STATUS_NEW_ENTRY,
                                                 CW_SHOP_NOT_ARRIVED, CW_CANCEL_REASON_OTHER });

  /* Every action is refused as frozen now. */
  for (CwProcessAction action = CW_PROCESS_ADVANCE; action <= CW_PROCESS_CANCEL; action++)
    {
      CwProcess before = process;

      change = (CwProcessChange) { action, CW_STATUS_CAR_READY, CW_CANCEL_REASON_DEALER, "x" };
      g_assert_false (cw_process_apply (&process, &change, &error));
      g_assert_error (error, CW_STATUS_ERROR, CW_STATUS_ERROR_FROZEN);
      g_clear_error (&error);
      assert_process_equal (&process, &before);
    }
}

static void
test_apply_unknown_action (void)
{
  CwProcess process = CW_PROCESS_INIT;
  CwProcessChange change = { (CwProcessAction) 42, CW_STATUS_CAR_IN_SHOP, CW_CANCEL_REASON_NONE, NULL };

  g_test_expect_message ("cw-status", G_LOG_LEVEL_CRITICAL, "*should not be reached*");
  g_assert_false (cw_process_apply (&process, &change, NULL));
  g_test_assert_expected_messages ();
  assert_process_equal (&process, &CW_PROCESS_INIT);
}

static void
test_walkthrough (void)
{
  /* A whole visit, as the desk records it. */
  CwProcess process = CW_PROCESS_INIT;

  g_assert_cmpint (process.status, ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (process.resume_status, ==, CW_STATUS_NEW_ENTRY);
  g_assert_cmpint (process.shop, ==, CW_SHOP_NOT_ARRIVED);
  g_assert_cmpint (process.cancel_reason, ==, CW_CANCEL_REASON_NONE);

  g_assert_true (cw_process_toggle_shop (&process, NULL));
  g_assert_true (cw_process_advance (&process, CW_STATUS_CHECK_STARTED, NULL));
  g_assert_true (cw_process_advance (&process, CW_STATUS_CALCULATING, NULL));    /* a skip */
  g_assert_true (cw_process_advance (&process, CW_STATUS_BACKORDER, NULL));
  g_assert_false (cw_process_advance (&process, CW_STATUS_CHECK_READY, NULL));
  g_assert_true (cw_process_advance (&process, CW_STATUS_CALCULATING, NULL));    /* resumes */
  g_assert_cmpint (process.resume_status, ==, CW_STATUS_CALCULATING);
  g_assert_true (cw_process_toggle_shop (&process, NULL));                       /* test drive */
  g_assert_cmpint (process.shop, ==, CW_SHOP_LEFT);
  g_assert_true (cw_process_toggle_shop (&process, NULL));
  g_assert_true (cw_process_advance (&process, CW_STATUS_CAR_READY, NULL));
  g_assert_false (cw_process_advance (&process, CW_STATUS_BACKORDER, NULL));
  g_assert_false (cw_process_cancel (&process, CW_CANCEL_REASON_DEALER, NULL, NULL));
  g_assert_true (cw_process_toggle_shop (&process, NULL));                       /* picked up */

  assert_process_equal (&process, &(CwProcess) { CW_STATUS_CAR_READY, CW_STATUS_CAR_READY,
                                                 CW_SHOP_LEFT, CW_CANCEL_REASON_NONE });
}

/* ---------------------------------------------------------------------------------------
 * Status predicates
 */

static void
test_is_step (void)
{
  static const gboolean expected[N_STATUSES] = {
    TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE,
  };

  for (CwStatus status = 0; status < N_STATUSES; status++)
    g_assert_cmpint (cw_status_is_step (status), ==, expected[status]);

  g_assert_cmpint (CW_STATUS_LAST_STEP, ==, CW_STATUS_CAR_READY);
}

static void
test_is_work_started (void)
{
  static const gboolean expected[N_STATUSES] = {
    [CW_STATUS_NEW_ENTRY]         = FALSE,
    [CW_STATUS_CAR_IN_SHOP]       = FALSE,
    [CW_STATUS_CHECK_STARTED]     = TRUE,
    [CW_STATUS_CHECK_READY]       = TRUE,
    [CW_STATUS_CALCULATING]       = TRUE,
    [CW_STATUS_PROPOSAL_OK]       = TRUE,
    [CW_STATUS_CONTACT_CUSTOMER]  = TRUE,
    [CW_STATUS_CUSTOMER_ANSWERED] = TRUE,
    [CW_STATUS_CUSTOMER_OK]       = TRUE,
    [CW_STATUS_CAR_READY]         = TRUE,
    [CW_STATUS_BACKORDER]         = TRUE,
    [CW_STATUS_CANCELED]          = FALSE,
  };

  for (CwStatus status = 0; status < N_STATUSES; status++)
    g_assert_cmpint (cw_status_is_work_started (status), ==, expected[status]);
}

static void
test_has_reached (void)
{
  /* Rows: current status; columns: the step, New entry … Car ready. */
  static const char * const expected[N_STATUSES] = {
    [CW_STATUS_NEW_ENTRY]         = "1000000000",
    [CW_STATUS_CAR_IN_SHOP]       = "1100000000",
    [CW_STATUS_CHECK_STARTED]     = "1110000000",
    [CW_STATUS_CHECK_READY]       = "1111000000",
    [CW_STATUS_CALCULATING]       = "1111100000",
    [CW_STATUS_PROPOSAL_OK]       = "1111110000",
    [CW_STATUS_CONTACT_CUSTOMER]  = "1111111000",
    [CW_STATUS_CUSTOMER_ANSWERED] = "1111111100",
    [CW_STATUS_CUSTOMER_OK]       = "1111111110",
    [CW_STATUS_CAR_READY]         = "1111111111",
    [CW_STATUS_BACKORDER]         = "1110000000",
    [CW_STATUS_CANCELED]          = "0000000000",
  };

  for (CwStatus status = 0; status < N_STATUSES; status++)
    {
      g_assert_cmpuint (strlen (expected[status]), ==, N_STEPS);

      for (CwStatus step = 0; step < N_STEPS; step++)
        g_assert_cmpint (cw_status_has_reached (status, step), ==, expected[status][step] == '1');
    }
}

static void
test_has_reached_not_a_step (void)
{
  g_test_expect_message ("cw-status", G_LOG_LEVEL_CRITICAL, "*cw_status_is_step*");
  g_assert_false (cw_status_has_reached (CW_STATUS_CAR_READY, CW_STATUS_BACKORDER));
  g_test_assert_expected_messages ();

  g_test_expect_message ("cw-status", G_LOG_LEVEL_CRITICAL, "*cw_status_is_step*");
  g_assert_false (cw_status_has_reached (CW_STATUS_CANCELED, CW_STATUS_CANCELED));
  g_test_assert_expected_messages ();
}

static void
test_next_step (void)
{
  static const CwStatus expected[N_STATUSES] = {
    [CW_STATUS_NEW_ENTRY]         = CW_STATUS_CAR_IN_SHOP,
    [CW_STATUS_CAR_IN_SHOP]       = CW_STATUS_CHECK_STARTED,
    [CW_STATUS_CHECK_STARTED]     = CW_STATUS_CHECK_READY,
    [CW_STATUS_CHECK_READY]       = CW_STATUS_CALCULATING,
    [CW_STATUS_CALCULATING]       = CW_STATUS_PROPOSAL_OK,
    [CW_STATUS_PROPOSAL_OK]       = CW_STATUS_CONTACT_CUSTOMER,
    [CW_STATUS_CONTACT_CUSTOMER]  = CW_STATUS_CUSTOMER_ANSWERED,
    [CW_STATUS_CUSTOMER_ANSWERED] = CW_STATUS_CUSTOMER_OK,
    [CW_STATUS_CUSTOMER_OK]       = CW_STATUS_CAR_READY,
    [CW_STATUS_CAR_READY]         = CW_STATUS_CAR_READY,
    [CW_STATUS_BACKORDER]         = CW_STATUS_BACKORDER,
    [CW_STATUS_CANCELED]          = CW_STATUS_CANCELED,
  };

  for (CwStatus status = 0; status < N_STATUSES; status++)
    {
      CwProcess process = { status, status, CW_SHOP_IN, CW_CANCEL_REASON_NONE };

      g_assert_cmpint (cw_status_next_step (status), ==, expected[status]);

      /* The next step, where there is one, is always a permitted advance. */
      if (expected[status] != status)
        g_assert_true (cw_process_can_advance (&process, expected[status], NULL));
    }
}

/* ---------------------------------------------------------------------------------------
 * Labels, icons and errors
 */

static void
test_labels (void)
{
  /* The tests run untranslated (LANGUAGE unset, C.UTF-8), so these are the msgids. */
  static const char * const expected[N_STATUSES] = {
    "New entry", "Car in shop", "Check started", "Check ready", "Calculating", "Proposal OK",
    "Contact customer", "Customer answered", "Customer OK", "Car ready", "Backorder", "Canceled",
  };

  for (CwStatus status = 0; status < N_STATUSES; status++)
    {
      const char *label = cw_status_get_label (status);

      g_assert_nonnull (label);
      g_assert_cmpstr (label, ==, expected[status]);

      for (CwStatus other = 0; other < status; other++)
        g_assert_cmpstr (label, !=, cw_status_get_label (other));
    }

  g_test_expect_message ("cw-status", G_LOG_LEVEL_CRITICAL, "*status_is_valid*");
  g_assert_null (cw_status_get_label ((CwStatus) N_STATUSES));
  g_test_assert_expected_messages ();
}

static void
test_icon_names (void)
{
  for (CwStatus status = 0; status < N_STATUSES; status++)
    {
      const char *icon = cw_status_get_icon_name (status);

      g_assert_nonnull (icon);
      g_assert_cmpstr (icon, !=, "");
      g_assert_true (g_str_has_suffix (icon, "-symbolic"));

      for (CwStatus other = 0; other < status; other++)
        g_assert_cmpstr (icon, !=, cw_status_get_icon_name (other));
    }

  g_test_expect_message ("cw-status", G_LOG_LEVEL_CRITICAL, "*status_is_valid*");
  g_assert_null (cw_status_get_icon_name ((CwStatus) -1));
  g_test_assert_expected_messages ();
}

static void
test_cancel_reason_labels (void)
{
  static const char * const expected[N_REASONS] = {
    [CW_CANCEL_REASON_NONE]     = NULL,
    [CW_CANCEL_REASON_NO_SHOW]  = "Customer no-show",
    [CW_CANCEL_REASON_CUSTOMER] = "Customer cancelation",
    [CW_CANCEL_REASON_DEALER]   = "Dealer cancelation",
    [CW_CANCEL_REASON_OTHER]    = "Other",
  };

  for (CwCancelReason reason = 0; reason < N_REASONS; reason++)
    {
      const char *label = cw_cancel_reason_get_label (reason);

      g_assert_cmpstr (label, ==, expected[reason]);
      if (reason != CW_CANCEL_REASON_NONE)
        g_assert_cmpstr (label, !=, "");
    }

  g_test_expect_message ("cw-status", G_LOG_LEVEL_CRITICAL, "*G_N_ELEMENTS*");
  g_assert_null (cw_cancel_reason_get_label ((CwCancelReason) N_REASONS));
  g_test_assert_expected_messages ();
}

static void
test_error_quark (void)
{
  g_assert_cmpuint (CW_STATUS_ERROR, !=, 0);
  g_assert_cmpuint (CW_STATUS_ERROR, ==, g_quark_from_static_string ("cw-status-error-quark"));
}

static void
test_error_messages (void)
{
  /* One instance of each error code, each with a sentence the advisor can act on. */
  CwProcess canceled = { CW_STATUS_CANCELED, CW_STATUS_NEW_ENTRY, CW_SHOP_IN, CW_CANCEL_REASON_NO_SHOW };
  CwProcess late = { CW_STATUS_CAR_READY, CW_STATUS_CAR_READY, CW_SHOP_IN, CW_CANCEL_REASON_NONE };
  CwProcess fresh = CW_PROCESS_INIT;
  CwProcess backorder = { CW_STATUS_BACKORDER, CW_STATUS_CALCULATING, CW_SHOP_IN, CW_CANCEL_REASON_NONE };
  GError *errors[8] = { NULL, };
  guint n = 0;

  g_assert_false (cw_process_can_advance (&late, CW_STATUS_CHECK_READY, &errors[n++]));
  g_assert_false (cw_process_can_advance (&backorder, CW_STATUS_CHECK_READY, &errors[n++]));
  g_assert_false (cw_process_can_advance (&canceled, CW_STATUS_CAR_READY, &errors[n++]));
  g_assert_false (cw_process_can_advance (&fresh, CW_STATUS_CANCELED, &errors[n++]));
  g_assert_false (cw_process_can_advance (&fresh, CW_STATUS_BACKORDER, &errors[n++]));
  g_assert_false (cw_process_can_advance (&backorder, CW_STATUS_BACKORDER, &errors[n++]));
  g_assert_false (cw_process_cancel (&late, CW_CANCEL_REASON_DEALER, NULL, &errors[n++]));
  g_assert_false (cw_process_cancel (&fresh, CW_CANCEL_REASON_OTHER, " ", &errors[n++]));
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (errors));

  g_assert_error (errors[0], CW_STATUS_ERROR, CW_STATUS_ERROR_BACKWARD);
  g_assert_error (errors[1], CW_STATUS_ERROR, CW_STATUS_ERROR_BACKWARD);
  g_assert_error (errors[2], CW_STATUS_ERROR, CW_STATUS_ERROR_FROZEN);
  g_assert_error (errors[3], CW_STATUS_ERROR, CW_STATUS_ERROR_REASON_REQUIRED);
  g_assert_error (errors[4], CW_STATUS_ERROR, CW_STATUS_ERROR_NOT_ALLOWED);
  g_assert_error (errors[5], CW_STATUS_ERROR, CW_STATUS_ERROR_NOT_ALLOWED);
  g_assert_error (errors[6], CW_STATUS_ERROR, CW_STATUS_ERROR_CANCEL_NOT_ALLOWED);
  g_assert_error (errors[7], CW_STATUS_ERROR, CW_STATUS_ERROR_REASON_REQUIRED);

  /* The backward messages name where the workorder is (or was, before the backorder). */
  g_assert_nonnull (strstr (errors[0]->message, "Car ready"));
  g_assert_nonnull (strstr (errors[1]->message, "Calculating"));
  /* The cancel-not-allowed message names both statuses that allow it and the current one. */
  g_assert_nonnull (strstr (errors[6]->message, "New entry"));
  g_assert_nonnull (strstr (errors[6]->message, "Car in shop"));
  g_assert_nonnull (strstr (errors[6]->message, "Car ready"));

  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (strlen (errors[i]->message), >, 10);
      g_assert_true (g_utf8_validate (errors[i]->message, -1, NULL));
      for (guint j = 0; j < i; j++)
        if (errors[j]->code != errors[i]->code)
          g_assert_cmpstr (errors[j]->message, !=, errors[i]->message);
    }

  for (guint i = 0; i < n; i++)
    g_error_free (errors[i]);
}

/* ---------------------------------------------------------------------------------------
 * Enum types
 */

static void
test_enum_types (void)
{
  static const char * const status_nicks[N_STATUSES] = {
    "new-entry", "car-in-shop", "check-started", "check-ready", "calculating", "proposal-ok",
    "contact-customer", "customer-answered", "customer-ok", "car-ready", "backorder", "canceled",
  };
  g_autoptr(GEnumClass) shop = g_type_class_ref (CW_TYPE_SHOP_STATE);
  g_autoptr(GEnumClass) reasons = g_type_class_ref (CW_TYPE_CANCEL_REASON);

  /* The nicks are what the store writes: they must not change. */
  for (CwStatus status = 0; status < N_STATUSES; status++)
    g_assert_cmpstr (status_nick (status), ==, status_nicks[status]);

  g_assert_cmpstr (g_enum_get_value (shop, CW_SHOP_NOT_ARRIVED)->value_nick, ==, "not-arrived");
  g_assert_cmpstr (g_enum_get_value (shop, CW_SHOP_IN)->value_nick, ==, "in");
  g_assert_cmpstr (g_enum_get_value (shop, CW_SHOP_LEFT)->value_nick, ==, "left");
  g_assert_cmpuint (reasons->n_values, ==, N_REASONS);
  g_assert_cmpstr (g_enum_get_value (reasons, CW_CANCEL_REASON_NO_SHOW)->value_nick, ==, "no-show");
}

int
main (int   argc,
      char *argv[])
{
  /* Labels are checked in English: no translation may apply. */
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "C.UTF-8", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/status/advance/matrix", test_advance_matrix);
  g_test_add_func ("/status/advance/backorder-matrix", test_advance_backorder_matrix);
  g_test_add_func ("/status/advance/backorder-round-trip", test_advance_backorder_round_trip);
  g_test_add_func ("/status/advance/ignores-stale-resume", test_advance_ignores_stale_resume);
  g_test_add_func ("/status/advance/invalid-target", test_advance_invalid_target);
  g_test_add_func ("/status/cancel/matrix", test_cancel_matrix);
  g_test_add_func ("/status/cancel/can-cancel", test_cancel_can_cancel_errors);
  g_test_add_func ("/status/cancel/unknown-reason", test_cancel_unknown_reason);
  g_test_add_func ("/status/toggle/matrix", test_toggle_matrix);
  g_test_add_func ("/status/toggle/in-out-in", test_toggle_in_out_in);
  g_test_add_func ("/status/apply/dispatch", test_apply_dispatch);
  g_test_add_func ("/status/apply/unknown-action", test_apply_unknown_action);
  g_test_add_func ("/status/walkthrough", test_walkthrough);
  g_test_add_func ("/status/is-step", test_is_step);
  g_test_add_func ("/status/is-work-started", test_is_work_started);
  g_test_add_func ("/status/has-reached/table", test_has_reached);
  g_test_add_func ("/status/has-reached/not-a-step", test_has_reached_not_a_step);
  g_test_add_func ("/status/next-step", test_next_step);
  g_test_add_func ("/status/labels", test_labels);
  g_test_add_func ("/status/icon-names", test_icon_names);
  g_test_add_func ("/status/cancel-reason-labels", test_cancel_reason_labels);
  g_test_add_func ("/status/error/quark", test_error_quark);
  g_test_add_func ("/status/error/messages", test_error_messages);
  g_test_add_func ("/status/enum-types", test_enum_types);

  return g_test_run ();
}
