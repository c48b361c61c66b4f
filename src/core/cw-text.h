/* cw-text.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char      *cw_text_dup_stripped (const char *text);
char      *cw_text_quote       (const char *text);
char      *cw_text_dup_grouped (gint64      value);
char      *cw_text_fold        (const char *text);
char      *cw_text_compact     (const char *text);
char     **cw_text_tokens      (const char *text);
char      *cw_text_prefix_end  (const char *prefix);
const char *cw_text_ui_language (void);

G_END_DECLS
