/* cw-party.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-party"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-core-enums.h"
#include "cw-party.h"
#include "cw-util.h"

/*
 * A driver, owner or contractor of a workorder, with what the DMS gave and nothing more.
 * The text fields are kept in one array indexed by CwPartyField, and each is installed as a
 * property from the name table below, so the store and the UI can walk them generically.
 */

struct _CwParty
{
  GObject      parent_instance;

  CwPartyRole  role;
  char        *fields[CW_PARTY_N_FIELDS];
  guint        lease_company : 1;
};

G_DEFINE_FINAL_TYPE (CwParty, cw_party, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROLE,
  PROP_LEASE_COMPANY,
  PROP_FIRST_FIELD,
  N_PROPS = PROP_FIRST_FIELD + CW_PARTY_N_FIELDS
};

static GParamSpec *properties[N_PROPS];

static const char * const field_names[CW_PARTY_N_FIELDS] = {
  [CW_PARTY_DMS_ID]          = "dms-id",
  [CW_PARTY_COMPANY]         = "company",
  [CW_PARTY_TITLE]           = "title",
  [CW_PARTY_FIRST_NAME]      = "first-name",
  [CW_PARTY_LAST_NAME]       = "last-name",
  [CW_PARTY_STREET]          = "street",
  [CW_PARTY_HOUSE_NUMBER]    = "house-number",
  [CW_PARTY_POSTCODE]        = "postcode",
  [CW_PARTY_PLACE]           = "place",
  [CW_PARTY_BUSINESS_PHONE]  = "business-phone",
  [CW_PARTY_BUSINESS_EMAIL]  = "business-email",
  [CW_PARTY_BUSINESS_MOBILE] = "business-mobile",
  [CW_PARTY_PRIVATE_PHONE]   = "private-phone",
  [CW_PARTY_PRIVATE_EMAIL]   = "private-email",
  [CW_PARTY_PRIVATE_MOBILE]  = "private-mobile",
};

static const char * const role_labels[CW_PARTY_N_ROLES] = {
  [CW_PARTY_ROLE_DRIVER]     = N_("Driver"),
  [CW_PARTY_ROLE_OWNER]      = N_("Owner"),
  [CW_PARTY_ROLE_CONTRACTOR] = N_("Contractor"),
};

static void
cw_party_finalize (GObject *object)
{
  CwParty *self = (CwParty *)object;

  for (guint i = 0; i < CW_PARTY_N_FIELDS; i++)
    g_clear_pointer (&self->fields[i], g_free);

  G_OBJECT_CLASS (cw_party_parent_class)->finalize (object);
}

static void
cw_party_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CwParty *self = CW_PARTY (object);

  if (prop_id >= PROP_FIRST_FIELD && prop_id < N_PROPS)
    {
      g_value_set_string (value, self->fields[prop_id - PROP_FIRST_FIELD]);
      return;
    }

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    case PROP_LEASE_COMPANY:
      g_value_set_boolean (value, self->lease_company);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_party_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  CwParty *self = CW_PARTY (object);

  if (prop_id >= PROP_FIRST_FIELD && prop_id < N_PROPS)
    {
      cw_party_set_field (self, prop_id - PROP_FIRST_FIELD, g_value_get_string (value));
      return;
    }

  switch (prop_id)
    {
    case PROP_ROLE:
      self->role = g_value_get_enum (value);
      break;

    case PROP_LEASE_COMPANY:
      cw_party_set_lease_company (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_party_class_init (CwPartyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_party_finalize;
  object_class->get_property = cw_party_get_property;
  object_class->set_property = cw_party_set_property;

  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       CW_TYPE_PARTY_ROLE,
                       CW_PARTY_ROLE_DRIVER,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LEASE_COMPANY] =
    g_param_spec_boolean ("lease-company", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  for (guint i = 0; i < CW_PARTY_N_FIELDS; i++)
    properties[PROP_FIRST_FIELD + i] =
      g_param_spec_string (field_names[i], NULL, NULL,
                           NULL,
                           (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_party_init (CwParty *self)
{
}

CwParty *
cw_party_new (CwPartyRole role)
{
  g_return_val_if_fail ((guint) role < CW_PARTY_N_ROLES, NULL);

  return g_object_new (CW_TYPE_PARTY, "role", role, NULL);
}

/**
 * cw_party_copy:
 * @self: a #CwParty
 *
 * Returns: (transfer full): a new party with the same role and fields
 */
CwParty *
cw_party_copy (CwParty *self)
{
  CwParty *copy;

  g_return_val_if_fail (CW_IS_PARTY (self), NULL);

  copy = cw_party_new (self->role);
  for (guint i = 0; i < CW_PARTY_N_FIELDS; i++)
    copy->fields[i] = g_strdup (self->fields[i]);
  copy->lease_company = self->lease_company;

  return copy;
}

CwPartyRole
cw_party_get_role (CwParty *self)
{
  g_return_val_if_fail (CW_IS_PARTY (self), CW_PARTY_ROLE_DRIVER);

  return self->role;
}

/**
 * cw_party_get_field:
 * @self: a #CwParty
 * @field: which field
 *
 * Returns: (transfer none) (nullable): the field, %NULL when the DMS did not give it
 */
const char *
cw_party_get_field (CwParty      *self,
                    CwPartyField  field)
{
  g_return_val_if_fail (CW_IS_PARTY (self), NULL);
  g_return_val_if_fail ((guint) field < CW_PARTY_N_FIELDS, NULL);

  return self->fields[field];
}

/**
 * cw_party_set_field:
 * @self: a #CwParty
 * @field: which field
 * @value: (nullable): the new value; blank text counts as missing
 */
void
cw_party_set_field (CwParty      *self,
                    CwPartyField  field,
                    const char   *value)
{
  g_return_if_fail (CW_IS_PARTY (self));
  g_return_if_fail ((guint) field < CW_PARTY_N_FIELDS);

  if (cw_set_text (&self->fields[field], value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_FIELD + field]);
}

gboolean
cw_party_get_lease_company (CwParty *self)
{
  g_return_val_if_fail (CW_IS_PARTY (self), FALSE);

  return self->lease_company;
}

void
cw_party_set_lease_company (CwParty  *self,
                            gboolean  lease_company)
{
  g_return_if_fail (CW_IS_PARTY (self));

  lease_company = !!lease_company;
  if (self->lease_company == lease_company)
    return;

  self->lease_company = lease_company;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEASE_COMPANY]);
}

/**
 * cw_party_is_empty:
 * @self: a #CwParty
 *
 * Returns: %TRUE if the DMS gave nothing at all for this party
 */
gboolean
cw_party_is_empty (CwParty *self)
{
  g_return_val_if_fail (CW_IS_PARTY (self), TRUE);

  for (guint i = 0; i < CW_PARTY_N_FIELDS; i++)
    if (self->fields[i] != NULL)
      return FALSE;

  return !self->lease_company;
}

/**
 * cw_party_dup_display_name:
 * @self: a #CwParty
 *
 * The name to show for the party: the person's title, first and last name, or the company
 * when no person is named. Nothing is invented: a party with neither has no name.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL
 */
char *
cw_party_dup_display_name (CwParty *self)
{
  const char *parts[3];
  guint n = 0;

  g_return_val_if_fail (CW_IS_PARTY (self), NULL);

  if (self->fields[CW_PARTY_LAST_NAME] == NULL && self->fields[CW_PARTY_FIRST_NAME] == NULL)
    return g_strdup (self->fields[CW_PARTY_COMPANY]);

  if (self->fields[CW_PARTY_TITLE] != NULL)
    parts[n++] = self->fields[CW_PARTY_TITLE];
  if (self->fields[CW_PARTY_FIRST_NAME] != NULL)
    parts[n++] = self->fields[CW_PARTY_FIRST_NAME];
  if (self->fields[CW_PARTY_LAST_NAME] != NULL)
    parts[n++] = self->fields[CW_PARTY_LAST_NAME];

  switch (n)
    {
    case 1:
      return g_strdup (parts[0]);
    case 2:
      return g_strconcat (parts[0], " ", parts[1], NULL);
    case 3:
      return g_strconcat (parts[0], " ", parts[1], " ", parts[2], NULL);
    default:
      g_assert_not_reached ();
    }
}

/**
 * cw_party_field_get_name:
 * @field: a #CwPartyField
 *
 * Returns: (transfer none): the property name of @field, e.g. "last-name"
 */
const char *
cw_party_field_get_name (CwPartyField field)
{
  g_return_val_if_fail ((guint) field < CW_PARTY_N_FIELDS, NULL);

  return field_names[field];
}


const char *
cw_party_role_get_label (CwPartyRole role)
{
  g_return_val_if_fail ((guint) role < CW_PARTY_N_ROLES, NULL);

  return g_dgettext (GETTEXT_PACKAGE, role_labels[role]);
}
