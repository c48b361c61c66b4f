/* fuzz-2drive.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "cw-2drive-mapping.h"
#include "cw-connector.h"

/*
 * The 2Drive mapping under libFuzzer (and fuzz-replay.c). An input is the workorder answer,
 * a NUL byte, and the lines answer, as the files in corpus/2drive/ are; without a NUL it is
 * the workorder answer alone. Beyond "does not crash and frees everything", the target
 * checks what the mapping promises: a workorder or an error of the connector's domain, never
 * both or neither, and a workorder always has a WO number as its DMS key and a labour line.
 */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Quiet below critical; a critical or an error is a bug that the input found. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

static gboolean
has_labour (CwWorkorder *workorder)
{
  GListModel *lines = cw_workorder_get_interventions (workorder);

  for (guint i = 0; i < g_list_model_get_n_items (lines); i++)
    {
      g_autoptr(CwIntervention) line = g_list_model_get_item (lines, i);

      if (cw_intervention_get_element_kind (line) == CW_ELEMENT_KIND_LABOUR)
        return TRUE;
    }

  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised;
  const char *order = (const char *) data;
  const uint8_t *nul = memchr (data, '\0', size);
  gsize order_length = nul != NULL ? (gsize) (nul - data) : size;
  const char *lines = nul != NULL ? (const char *) nul + 1 : NULL;
  gsize lines_length = nul != NULL ? size - order_length - 1 : 0;
  g_autoptr(CwWorkorder) workorder = NULL;
  g_autoptr(GError) error = NULL;

  if (!initialised)
    {
      g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
      initialised = TRUE;
    }

  workorder = cw_2drive_map_workorder_data (order, order_length, lines, lines_length,
                                            "fuzz", &error);

  if ((workorder == NULL) == (error == NULL))
    abort ();

  if (error != NULL && error->domain != CW_DMS_ERROR)
    abort ();

  if (workorder != NULL)
    {
      const char *key = cw_workorder_get_field (workorder, CW_WORKORDER_DMS_KEY);
      g_autofree char *digest = cw_workorder_dup_dms_digest (workorder);

      if (key == NULL ||
          g_strcmp0 (key, cw_workorder_get_field (workorder, CW_WORKORDER_WO_NUMBER)) != 0 ||
          !g_utf8_validate (key, -1, NULL) ||
          !has_labour (workorder) ||
          digest == NULL)
        abort ();
    }

  return 0;
}
