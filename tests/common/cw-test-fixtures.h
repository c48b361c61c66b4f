/* cw-test-fixtures.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-connection.h"
#include "cw-pon-account.h"
#include "cw-store.h"
#include "cw-workorder.h"

G_BEGIN_DECLS

#define CW_TEST_CONNECTION "test-dms"

CwWorkorder *cw_test_workorder_new       (const char  *wo_number,
                                          GDateTime   *appointment);
CwWorkorder *cw_test_workorder_generate  (GRand       *rand,
                                          guint        index,
                                          const GDate *day);
GDateTime   *cw_test_date_time_on        (const GDate *day,
                                          int          hour,
                                          int          minute);
void         cw_test_date_today          (GDate       *day);
void         cw_test_date_offset         (GDate       *day,
                                          int          days);
void         cw_test_store_fill          (CwStore     *store,
                                          guint        n_workorders);
void         cw_test_store_credentials   (CwConnection *connection,
                                          ...) G_GNUC_NULL_TERMINATED;
void         cw_test_store_pon_account   (CwPonAccount *account,
                                          const char   *username,
                                          const char   *password);

G_END_DECLS
