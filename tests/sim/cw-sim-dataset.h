/* cw-sim-dataset.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-workorder.h"

G_BEGIN_DECLS

/**
 * CwSimDms:
 *
 * Which simulated DMS holds an order. Each order lives in exactly one DMS, as at a
 * dealer with two locations on two systems.
 */
typedef enum
{
  CW_SIM_DMS_AUTOFLEX,
  CW_SIM_DMS_2DRIVE,
  CW_SIM_DMS_INCADEA,
  CW_SIM_DMS_WINCAR,
} CwSimDms;

/**
 * CwSimOrder:
 * @workorder: the order's content in domain terms; each API renders it in its own JSON.
 *   Its DMS number is the DMS's order id, and its interventions are in the DMS's order.
 * @dms: which DMS holds it
 * @order_type: the Autoflex order type (1 = workshop; others must be ignored)
 * @invoiced: invoiced in the DMS (Autoflex is_invoiced)
 * @revision: bumped by cw_sim_dataset_touch() whenever a test changes the order
 */
typedef struct
{
  CwWorkorder *workorder;
  CwSimDms     dms;
  int          order_type;
  gboolean     invoiced;
  guint        revision;
} CwSimOrder;

typedef struct _CwSimDataset CwSimDataset;

CwSimDataset *cw_sim_dataset_new              (guint32        seed,
                                               const GDate   *today);
void          cw_sim_dataset_free             (CwSimDataset  *self);
const GDate  *cw_sim_dataset_get_today        (CwSimDataset  *self);
guint         cw_sim_dataset_get_n_orders     (CwSimDataset  *self);
CwSimOrder   *cw_sim_dataset_get_order        (CwSimDataset  *self,
                                               guint          index);
CwSimOrder   *cw_sim_dataset_find_dms_number  (CwSimDataset  *self,
                                               CwSimDms       dms,
                                               const char    *dms_number);
CwSimOrder   *cw_sim_dataset_find_wo_number   (CwSimDataset  *self,
                                               CwSimDms       dms,
                                               const char    *wo_number);
GPtrArray    *cw_sim_dataset_find_plate       (CwSimDataset  *self,
                                               CwSimDms       dms,
                                               const char    *plate);
GPtrArray    *cw_sim_dataset_list_days        (CwSimDataset  *self,
                                               CwSimDms       dms,
                                               const GDate   *first_day,
                                               guint          n_days);
void          cw_sim_dataset_touch            (CwSimDataset  *self,
                                               CwSimOrder    *order);
guint         cw_sim_dataset_get_generation   (CwSimDataset  *self);
void          cw_sim_dataset_add_bulk         (CwSimDataset  *self,
                                               CwSimDms       dms,
                                               guint          n_orders,
                                               const GDate   *day);
gboolean      cw_sim_order_has_labour         (CwSimOrder    *order);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwSimDataset, cw_sim_dataset_free)

G_END_DECLS
