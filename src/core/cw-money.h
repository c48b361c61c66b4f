/* cw-money.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CW_MONEY_ERROR (cw_money_error_quark ())

typedef enum
{
  CW_MONEY_ERROR_INVALID,
  CW_MONEY_ERROR_OVERFLOW,
} CwMoneyError;

/* Money is always an integer number of cents with an ISO 4217 currency code; never a float.
 * The largest amount accepted is ±(G_MAXINT64 / 100) whole units. */

GQuark    cw_money_error_quark     (void);
char     *cw_money_format          (gint64       cents,
                                    const char  *currency,
                                    const char  *locale);
gboolean  cw_money_parse_decimal   (const char  *text,
                                    gint64      *cents,
                                    GError     **error);
gboolean  cw_money_parse_localized (const char  *text,
                                    const char  *locale,
                                    gint64      *cents,
                                    GError     **error);

G_END_DECLS
