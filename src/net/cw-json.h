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

/**
 * CwJsonRead:
 * @CW_JSON_READ_OK: the member holds a usable value, which was stored
 * @CW_JSON_READ_MISSING: the member is absent or null
 * @CW_JSON_READ_BLANK: the member is a string of white space only (most callers read it as
 *   missing; a caller that does not says so)
 * @CW_JSON_READ_MALFORMED: the member is there but unusable as what was asked
 *
 * What a cw_json_read_*() reader found. The readers compose no message: the caller names
 * the member, its DMS and what it expected, in its own translated sentence.
 */
typedef enum
{
  CW_JSON_READ_OK,
  CW_JSON_READ_MISSING,
  CW_JSON_READ_BLANK,
  CW_JSON_READ_MALFORMED,
} CwJsonRead;

GQuark      cw_json_error_quark            (void);
JsonNode   *cw_json_parse                  (const char   *data,
                                            gsize         length,
                                            guint         max_depth,
                                            GError      **error);

gboolean    cw_json_node_is_missing        (JsonNode     *node);
GType       cw_json_node_value_type        (JsonNode     *node);
char       *cw_json_node_dup_quoted        (JsonNode     *node);

CwJsonRead  cw_json_read_string            (JsonNode     *node,
                                            char        **out);
CwJsonRead  cw_json_read_text              (JsonNode     *node,
                                            char        **out);
CwJsonRead  cw_json_read_whole             (JsonNode     *node,
                                            gint64        min,
                                            gint64        max,
                                            gint64       *out);
CwJsonRead  cw_json_read_flag              (JsonNode     *node,
                                            gboolean     *out);
GDateTime  *cw_json_date_time_from_iso8601 (const char   *text);
CwJsonRead  cw_json_read_date_time         (JsonNode     *node,
                                            GDateTime   **out);
CwJsonRead  cw_json_read_cents             (JsonNode     *node,
                                            gint64       *cents);
CwJsonRead  cw_json_read_object            (JsonNode     *node,
                                            JsonObject  **out);

G_END_DECLS
