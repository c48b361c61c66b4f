/* cw-connector-registry.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-connector-registry"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-2drive-connector.h"
#include "cw-autoflex-connector.h"
#include "cw-connector-registry.h"
#include "cw-incadea-connector.h"
#include "cw-wincar-connector.h"

/*
 * The connectors the app knows, by the kind written in a connection's settings. Adding a
 * DMS is a row here, its connector folder, and its mapping page in docs/connectors/.
 */

static const char * const autoflex_credentials[] = { "api_key", "username", "password", NULL };
static const char * const twodrive_credentials[] = { "client_id", "client_secret", NULL };
/* The dealer's Incadea API user (docs/connectors/incadea.md). */
static const char * const incadea_credentials[] = { "username", "password", NULL };
static const char * const wincar_credentials[] = { "username", "password", NULL };

static const CwConnectorKind kinds[] = {
  {
    "2drive", N_("2Drive"),
    CW_CAPABILITY_SEARCH_IMPORT | CW_CAPABILITY_REFRESH | CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED,
    twodrive_credentials,
    cw_2drive_connector_new,
  },
  {
    "autoflex", N_("Autoflex"),
    CW_CAPABILITY_KEEP_IMPORTING,
    autoflex_credentials,
    cw_autoflex_connector_new,
  },
  {
    "incadea", N_("Incadea"),
    CW_CAPABILITY_SEARCH_IMPORT | CW_CAPABILITY_REFRESH | CW_CAPABILITY_KEEP_IMPORTING |
    CW_CAPABILITY_WRITEBACK_MILEAGE,
    incadea_credentials,
    cw_incadea_connector_new,
  },
  {
    "wincar", N_("Wincar"),
    CW_CAPABILITY_SEARCH_IMPORT | CW_CAPABILITY_REFRESH | CW_CAPABILITY_IMPORT_AFTER_WORK_STARTED |
    CW_CAPABILITY_WRITEBACK_INTERVENTIONS | CW_CAPABILITY_WRITEBACK_MILEAGE | CW_CAPABILITY_EVENTS,
    wincar_credentials,
    cw_wincar_connector_new,
  },
};

/**
 * cw_connector_kind_lookup:
 * @kind: (nullable): a connector kind, as in the settings
 *
 * Returns: (transfer none) (nullable): the kind, %NULL when the app does not know it
 */
const CwConnectorKind *
cw_connector_kind_lookup (const char *kind)
{
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].kind, kind))
      return &kinds[i];

  return NULL;
}

/**
 * cw_connector_kind_get_nth:
 * @n: an index from 0
 *
 * Returns: (transfer none) (nullable): the @n-th kind the app knows, %NULL past the last
 */
const CwConnectorKind *
cw_connector_kind_get_nth (guint n)
{
  return n < G_N_ELEMENTS (kinds) ? &kinds[n] : NULL;
}

/**
 * cw_connector_new_for_connection:
 * @connection: the connection
 * @credentials: (element-type utf8 utf8): its credentials, from the keyring
 * @error: return location for a #CwDmsError
 *
 * Returns: (transfer full) (nullable): a connector for @connection
 */
CwConnector *
cw_connector_new_for_connection (CwConnection  *connection,
                                 GHashTable    *credentials,
                                 GError       **error)
{
  const CwConnectorKind *kind;

  g_return_val_if_fail (CW_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (credentials != NULL, NULL);

  kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));
  if (kind == NULL)
    {
      g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_CONFIGURATION,
                   _("The connection “%s” is for a DMS this version does not know (“%s”). Choose its DMS again in Preferences."),
                   cw_connection_get_id (connection),
                   cw_connection_get_kind (connection) ? cw_connection_get_kind (connection) : "");
      return NULL;
    }

  for (guint i = 0; kind->credential_fields[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (credentials, kind->credential_fields[i]);

      if (value == NULL || *value == '\0')
        {
          g_autofree char *display = cw_connection_dup_display_name (connection);

          g_set_error (error, CW_DMS_ERROR, CW_DMS_ERROR_NO_CREDENTIALS,
                       _("The credentials of %s are incomplete in the keyring. Enter them again in Preferences."),
                       display);
          return NULL;
        }
    }

  return kind->create (connection, credentials, error);
}
