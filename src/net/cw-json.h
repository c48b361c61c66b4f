/* cw-json.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CW_JSON_ERROR (cw_json_error_quark ())

/**
 * CwJsonError:
 * @CW_JSON_ERROR_TOO_DEEP: arrays and objects nest deeper than allowed
 * @CW_JSON_ERROR_INVALID: the text is not JSON
 *
 * Why cw_json_parse() refused a text. The messages are for the log; callers say what
 * it means to the user.
 */
typedef enum
{
  CW_JSON_ERROR_TOO_DEEP,
  CW_JSON_ERROR_INVALID,
} CwJsonError;

GQuark    cw_json_error_quark (void);
JsonNode *cw_json_parse       (const char  *data,
                               gsize        length,
                               guint        max_depth,
                               GError     **error);

G_END_DECLS
