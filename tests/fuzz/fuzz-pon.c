/* fuzz-pon.c
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

#include "cw-http-client.h"
#include "cw-json.h"
#include "cw-pon-client.h"
#include "cw-pon-mapping.h"

/*
 * The PON answer mapping under libFuzzer (and fuzz-replay.c). An input is the VIN asked
 * about, a NUL byte, and PON's answer, as the files in corpus/pon/ are (the simulator's
 * answers in every state and fault, a 404 and a login answer); without a NUL it is the
 * answer about a fixed VIN. The answer goes through the mapping of a car, of a login and
 * of a 404. Beyond "does not crash and frees everything", the target checks what the
 * mapping promises: a status or a CW_PON_ERROR_MALFORMED, never both or neither; a mileage
 * in range with its time, or none without one; a portal address that is http(s) only; a
 * token that can go into a header as it is.
 */

#define DEFAULT_VIN "WVWZZZ1KZAW000001"

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

static void
check_status (const CwOcwStatus *status)
{
  CwOcwState state = cw_ocw_state_from_status (status);

  if (status->mileage_km < -1 || status->mileage_km > 9999999)
    abort ();
  if ((status->mileage_km >= 0) != (status->mileage_at != NULL))
    abort ();
  if (status->portal_url != NULL &&
      !g_str_has_prefix (status->portal_url, "https://") &&
      !g_str_has_prefix (status->portal_url, "http://"))
    abort ();
  if (status->portal_url != NULL && !g_utf8_validate (status->portal_url, -1, NULL))
    abort ();
  if (state == CW_OCW_UNKNOWN || (!status->capable && state != CW_OCW_NOT_CAPABLE))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised;
  const uint8_t *nul = memchr (data, '\0', size);
  g_autofree char *asked = nul != NULL ? g_strndup ((const char *) data, nul - data) : NULL;
  g_autofree char *vin = cw_pon_normalize_vin (asked != NULL ? asked : DEFAULT_VIN);
  const char *answer = nul != NULL ? (const char *) nul + 1 : (const char *) data;
  gsize answer_length = nul != NULL ? size - (gsize) (nul - data) - 1 : size;
  g_autoptr(CwOcwStatus) status = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 lifetime = -1;

  if (!initialised)
    {
      g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
      initialised = TRUE;
    }

  /* The client never asks about something that is not a VIN. */
  if (vin == NULL)
    vin = g_strdup (DEFAULT_VIN);

  status = cw_pon_map_car_data (answer, answer_length, vin, &error);
  if ((status == NULL) == (error == NULL))
    abort ();
  if (error != NULL && !g_error_matches (error, CW_PON_ERROR, CW_PON_ERROR_MALFORMED))
    abort ();
  if (error != NULL && (strstr (error->message, vin) == NULL || !g_utf8_validate (error->message, -1, NULL)))
    abort ();
  if (status != NULL)
    check_status (status);

  /* The same text as a login's answer and as a 404's. */
  body = cw_json_parse (answer, answer_length, CW_HTTP_MAX_JSON_DEPTH, NULL);
  if (cw_pon_read_token (body, &token, &lifetime))
    {
      if (token == NULL || *token == '\0' || strlen (token) > CW_PON_MAX_TOKEN_LENGTH ||
          strpbrk (token, " \r\n\t\"") != NULL || lifetime < 0 || lifetime > CW_PON_MAX_TOKEN_LIFETIME)
        abort ();
    }
  else if (token != NULL)
    abort ();
  cw_pon_is_unknown_car (body);

  return 0;
}
