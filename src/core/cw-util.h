/* cw-util.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  cw_set_text       (char       **field,
                             const char  *value);
gboolean  cw_set_date_time  (GDateTime  **field,
                             GDateTime   *value);
gboolean  cw_set_date       (GDate      **field,
                             const GDate *value);
gboolean  cw_date_equal     (const GDate *a,
                             const GDate *b);
GDate    *cw_date_from_iso  (const char  *text);
char     *cw_date_to_iso    (const GDate *date);
const char *cw_enum_to_nick (GType        enum_type,
                             int          value);
gboolean  cw_enum_from_nick (GType        enum_type,
                             const char  *nick,
                             int         *value);

G_END_DECLS
