/* fuzz-autoflex.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

#include "cw-autoflex-mapping.h"
#include "cw-connector.h"

/*
 * The Autoflex mapping from raw bytes: whatever a server sends as a page of orders, the
 * mapping gives workorders (and problems) or an error, and never crashes. The seed corpus
 * (corpus/autoflex/) holds real simulator pages: plain, every field, numbers as strings,
 * missing fields, an empty day, an errorCode answer, and a day with a car sale.
 */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Debug messages name every refused order: too many for a fuzzer. A warning or a critical
 * is a bug, so it still ends the run. */
static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

static void
check_workorder (CwWorkorder *workorder)
{
  /* Every workorder has an identity and an appointment, and takes a digest. */
  g_autofree char *digest = cw_workorder_dup_dms_digest (workorder);

  if (cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY) == NULL ||
      cw_workorder_get_time (workorder, CW_WORKORDER_APPOINTMENT) == NULL ||
      digest == NULL)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialized;
  g_autoptr(GPtrArray) workorders = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  gboolean next_page;

  if (!initialized)
    {
      g_log_set_writer_func (write_log, NULL, NULL);
      initialized = TRUE;
    }

  workorders = cw_autoflex_map_page_data ((const char *) data, size, "fuzz", &next_page,
                                          &problems, &error);

  /* Workorders and problems, or an error: never both, never neither. */
  if ((workorders == NULL) == (error == NULL) || (workorders != NULL) != (problems != NULL))
    abort ();

  for (guint i = 0; workorders != NULL && i < workorders->len; i++)
    check_workorder (g_ptr_array_index (workorders, i));

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CwDmsProblem *problem = g_ptr_array_index (problems, i);

      if (problem->error == NULL || !g_utf8_validate (problem->error->message, -1, NULL))
        abort ();
    }

  return 0;
}
