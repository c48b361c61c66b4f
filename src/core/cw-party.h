/* cw-party.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CW_PARTY_ROLE_DRIVER,
  CW_PARTY_ROLE_OWNER,
  CW_PARTY_ROLE_CONTRACTOR,
} CwPartyRole;

#define CW_PARTY_N_ROLES 3

/**
 * CwPartyField:
 *
 * The text fields of a party. Each is also a property, named as in
 * cw_party_field_get_name(). Which ones arrive depends on the DMS; any may be %NULL.
 */
typedef enum
{
  CW_PARTY_DMS_ID,
  CW_PARTY_COMPANY,
  CW_PARTY_TITLE,
  CW_PARTY_FIRST_NAME,
  CW_PARTY_LAST_NAME,
  CW_PARTY_STREET,
  CW_PARTY_HOUSE_NUMBER,
  CW_PARTY_POSTCODE,
  CW_PARTY_PLACE,
  CW_PARTY_BUSINESS_PHONE,
  CW_PARTY_BUSINESS_EMAIL,
  CW_PARTY_BUSINESS_MOBILE,
  CW_PARTY_PRIVATE_PHONE,
  CW_PARTY_PRIVATE_EMAIL,
  CW_PARTY_PRIVATE_MOBILE,
} CwPartyField;

#define CW_PARTY_N_FIELDS (CW_PARTY_PRIVATE_MOBILE + 1)

#define CW_TYPE_PARTY (cw_party_get_type ())

G_DECLARE_FINAL_TYPE (CwParty, cw_party, CW, PARTY, GObject)

CwParty     *cw_party_new                (CwPartyRole   role);
CwParty     *cw_party_copy               (CwParty      *self);
CwPartyRole  cw_party_get_role           (CwParty      *self);
const char  *cw_party_get_field          (CwParty      *self,
                                          CwPartyField  field);
void         cw_party_set_field          (CwParty      *self,
                                          CwPartyField  field,
                                          const char   *value);
gboolean     cw_party_get_lease_company  (CwParty      *self);
void         cw_party_set_lease_company  (CwParty      *self,
                                          gboolean      lease_company);
gboolean     cw_party_is_empty           (CwParty      *self);
char        *cw_party_dup_display_name   (CwParty      *self);

const char  *cw_party_field_get_name     (CwPartyField  field);
const char  *cw_party_role_get_label     (CwPartyRole   role);

G_END_DECLS
