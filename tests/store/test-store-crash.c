/* test-store-crash.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include "cw-store.h"
#include "cw-test-fixtures.h"

/*
 * Durability: a writer killed with SIGKILL in the middle of a write transaction, again and
 * again, leaves a database that passes PRAGMA integrity_check and holds every batch it
 * committed, whole, and nothing of the batch it was writing. And a write that runs out of
 * space fails with a message that says so, and loses nothing stored before.
 */

#define BATCH_SIZE 100
#define N_ROUNDS 12

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* Every stored workorder is whole: car, driver, interventions, search terms, one import. */
static void
assert_no_half_written_workorder (const char *path)
{
  static const char * const incomplete[] = {
    "SELECT count(*) FROM workorder w WHERE NOT EXISTS (SELECT 1 FROM car c WHERE c.workorder_id = w.id)",
    "SELECT count(*) FROM workorder w WHERE NOT EXISTS (SELECT 1 FROM party p WHERE p.workorder_id = w.id AND p.role = 'driver')",
    "SELECT count(*) FROM workorder w WHERE NOT EXISTS (SELECT 1 FROM intervention i WHERE i.workorder_id = w.id)",
    "SELECT count(*) FROM workorder w WHERE NOT EXISTS (SELECT 1 FROM search_term s WHERE s.workorder_id = w.id AND s.kind = 0)",
    "SELECT count(*) FROM workorder w WHERE (SELECT count(*) FROM event e WHERE e.workorder_id = w.id AND e.kind = 'imported') <> 1",
    "SELECT count(*) FROM intervention i WHERE NOT EXISTS (SELECT 1 FROM workorder w WHERE w.id = i.workorder_id)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (incomplete); i++)
    g_assert_cmpint (query_int (path, incomplete[i]), ==, 0);
}

static guint
parse_counter (const char *line,
               const char *prefix)
{
  if (!g_str_has_prefix (line, prefix))
    return 0;

  return (guint) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
}

static void
test_sigkill_mid_transaction (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cw-crash-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "workshop.db", NULL);
  g_autofree char *writer = g_test_build_filename (G_TEST_BUILT, "store", "store-writer", NULL);
  g_autofree char *batch_arg = g_strdup_printf ("%u", BATCH_SIZE);
  g_autoptr(GRand) rand = g_rand_new ();
  gint64 expected_total = 0;
  guint interrupted = 0;

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autofree char *round_arg = g_strdup_printf ("%u", round + 1);
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(CwStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *round_sql = NULL;
      guint begun = 0, committed = 0;
      guint kill_after = g_rand_int_range (rand, 1, 4);
      gint64 in_round;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                writer, path, round_arg, batch_arg, NULL);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      /* Let it commit a few batches, then kill it while it writes the next one. */
      while (begun < kill_after)
        {
          g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_nonnull (line);
          begun = MAX (begun, parse_counter (line, "begin "));
          committed = MAX (committed, parse_counter (line, "committed "));
        }
      g_usleep (g_rand_int_range (rand, 0, 20000));
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      /* It went on writing until the signal arrived: read what it said meanwhile. */
      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

          g_assert_no_error (error);
          if (line == NULL)
            break;
          begun = MAX (begun, parse_counter (line, "begin "));
          committed = MAX (committed, parse_counter (line, "committed "));
        }

      /* The batches it reported are there, whole; one more may have committed unreported. */
      store = cw_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (cw_store_check_integrity (store, &error));
      g_assert_no_error (error);
      g_clear_object (&store);

      round_sql = g_strdup_printf ("SELECT count(*) FROM workorder WHERE CAST (wo_number AS INTEGER) >= %u"
                                   " AND CAST (wo_number AS INTEGER) < %u",
                                   100000 + (round + 1) * 1000000, 100000 + (round + 2) * 1000000);
      in_round = query_int (path, round_sql);
      g_assert_cmpint (in_round % BATCH_SIZE, ==, 0);
      g_assert_cmpint (in_round, >=, (gint64) committed * BATCH_SIZE);
      g_assert_cmpint (in_round, <=, (gint64) begun * BATCH_SIZE);
      if (in_round < (gint64) begun * BATCH_SIZE)
        interrupted++;

      expected_total += in_round;
      g_assert_cmpint (query_int (path, "SELECT count(*) FROM workorder"), ==, expected_total);
      assert_no_half_written_workorder (path);
    }

  /* Most kills must have landed inside a transaction, or the test proved little. */
  g_test_message ("%u of %u kills interrupted a transaction", interrupted, N_ROUNDS);
  g_assert_cmpuint (interrupted, >=, N_ROUNDS / 2);
}

/*
 * A full disk. The child process lowers its file-size limit just above what the database
 * holds, so the next large write fails part-way, as on a full disk.
 */

static void
test_disk_full (void)
{
  const char *path = g_getenv ("CW_TEST_DISK_FULL_DB");

  if (g_test_subprocess ())
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GRand) rand = g_rand_new_with_seed (99);
      g_autoptr(CwStore) store = NULL;
      g_autoptr(GError) error = NULL;
      struct rlimit limit;
      GStatBuf st;
      GDate day;

      store = cw_store_open (path, &error);
      g_assert_no_error (error);

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      limit.rlim_cur = limit.rlim_max = st.st_size + 64 * 1024;
      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      cw_test_date_today (&day);
      for (guint i = 0; i < 2000; i++)
        g_ptr_array_add (batch, cw_test_workorder_generate (rand, 500000 + i, &day));

      g_assert_false (cw_store_import_workorders (store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error));
      g_assert_error (error, CW_STORE_ERROR, CW_STORE_ERROR_DISK_FULL);
      g_assert_nonnull (strstr (error->message, "disk"));
      g_assert_nonnull (strstr (error->message, "saved before is kept"));
      g_print ("%s\n", error->message);
      return;
    }
  else
    {
      g_autofree char *dir = g_dir_make_tmp ("cw-full-XXXXXX", NULL);
      g_autofree char *db = g_build_filename (dir, "workshop.db", NULL);
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GRand) rand = g_rand_new_with_seed (98);
      g_autoptr(CwStore) store = NULL;
      g_autoptr(GError) error = NULL;
      GDate day;

      store = cw_store_open (db, &error);
      g_assert_no_error (error);
      cw_test_date_today (&day);
      for (guint i = 0; i < 50; i++)
        g_ptr_array_add (batch, cw_test_workorder_generate (rand, i, &day));
      g_assert_true (cw_store_import_workorders (store, batch, CW_IMPORT_FLAGS_NONE, NULL, &error));
      g_clear_object (&store);

      g_setenv ("CW_TEST_DISK_FULL_DB", db, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*disk*");

      /* Everything stored before is still there, and the file is sound. */
      store = cw_store_open (db, &error);
      g_assert_no_error (error);
      g_assert_true (cw_store_check_integrity (store, &error));
      g_assert_cmpint (cw_store_count_workorders (store, NULL), ==, 50);
      assert_no_half_written_workorder (db);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/crash/sigkill-mid-transaction", test_sigkill_mid_transaction);
  g_test_add_func ("/store/crash/disk-full", test_disk_full);

  return g_test_run ();
}
