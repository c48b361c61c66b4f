/* cw-plate.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CwPlateKind:
 * @CW_PLATE_KIND_NL: a Dutch plate of one of the sidecodes 1–14
 * @CW_PLATE_KIND_BE: a Belgian plate (1-ABC-123, ABC-123 or 123-ABC)
 * @CW_PLATE_KIND_OTHER: a plausible plate of no known format (foreign, personalised);
 *   kept as typed, without separators
 */
typedef enum
{
  CW_PLATE_KIND_NL,
  CW_PLATE_KIND_BE,
  CW_PLATE_KIND_OTHER,
} CwPlateKind;

#define CW_PLATE_ERROR (cw_plate_error_quark ())

typedef enum
{
  CW_PLATE_ERROR_EMPTY,
  CW_PLATE_ERROR_INVALID,
} CwPlateError;

/* Longest compact plate accepted, in characters (ASCII letters and digits only). */
#define CW_PLATE_MAX_COMPACT 10
/* Longest input accepted, in bytes, separators included. */
#define CW_PLATE_MAX_INPUT 32

/**
 * CwPlate:
 * @kind: which format the plate follows
 * @sidecode: the Dutch sidecode (1–14), 0 for other kinds
 * @compact: upper-case letters and digits, no separators: the form that is stored
 * @formatted: the form that is shown: dashed for Dutch and Belgian plates, @compact otherwise
 */
typedef struct
{
  CwPlateKind kind;
  guint       sidecode;
  char        compact[CW_PLATE_MAX_COMPACT + 1];
  char        formatted[CW_PLATE_MAX_COMPACT + 4];
} CwPlate;

GQuark    cw_plate_error_quark (void);
gboolean  cw_plate_parse       (const char  *text,
                                CwPlate     *plate,
                                GError     **error);
char     *cw_plate_normalize   (const char  *text);
char     *cw_plate_format      (const char  *text);

G_END_DECLS
