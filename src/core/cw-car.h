/* cw-car.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CwCarField:
 *
 * The text fields of a car. Each is also a property, named as in cw_car_field_get_name().
 * %CW_CAR_PLATE is stored normalised (upper case, no separators, see cw_plate_normalize());
 * cw_car_dup_plate_display() gives the dashed form.
 */
typedef enum
{
  CW_CAR_MAKE,
  CW_CAR_MODEL,
  CW_CAR_PLATE,
  CW_CAR_VIN,
  CW_CAR_ENGINE_NUMBER,
  CW_CAR_NOTES,
  CW_CAR_FUEL,
  CW_CAR_DRIVER_ID,
  CW_CAR_OWNER_ID,
  CW_CAR_CONTRACTOR_ID,
} CwCarField;

#define CW_CAR_N_FIELDS (CW_CAR_CONTRACTOR_ID + 1)

/**
 * CwCarDate:
 *
 * The calendar dates of a car (no time of day). Each is also a #GDate property.
 */
typedef enum
{
  CW_CAR_FIRST_REGISTRATION,
  CW_CAR_APK_DATE,
  CW_CAR_WARRANTY_START,
  CW_CAR_WARRANTY_END,
} CwCarDate;

#define CW_CAR_N_DATES (CW_CAR_WARRANTY_END + 1)

#define CW_TYPE_CAR (cw_car_get_type ())

G_DECLARE_FINAL_TYPE (CwCar, cw_car, CW, CAR, GObject)

CwCar       *cw_car_new                (void);
CwCar       *cw_car_copy               (CwCar       *self);
const char  *cw_car_get_field          (CwCar       *self,
                                        CwCarField   field);
void         cw_car_set_field          (CwCar       *self,
                                        CwCarField   field,
                                        const char  *value);
const GDate *cw_car_get_date           (CwCar       *self,
                                        CwCarDate    which);
void         cw_car_set_date           (CwCar       *self,
                                        CwCarDate    which,
                                        const GDate *date);
char        *cw_car_dup_make_model     (CwCar       *self);
char        *cw_car_dup_plate_display  (CwCar       *self);
gboolean     cw_car_is_empty           (CwCar       *self);

const char  *cw_car_field_get_name     (CwCarField   field);
const char  *cw_car_date_get_name      (CwCarDate    which);

G_END_DECLS
