/* cw-connector-registry.h
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cw-connector.h"

G_BEGIN_DECLS

/**
 * CwConnectorKind:
 * @kind: the id written in the settings ("autoflex")
 * @label: the DMS's name as shown (translatable, not translated here)
 * @capabilities: what connectors of this kind can do
 * @credential_fields: the names of the secrets the connector needs, all kept in the
 *   keyring
 * @create: makes a connector for a connection and its credentials
 */
typedef struct
{
  const char          *kind;
  const char          *label;
  CwCapabilities       capabilities;
  const char * const  *credential_fields;
  CwConnector       *(*create) (CwConnection  *connection,
                                GHashTable    *credentials,
                                GError       **error);
} CwConnectorKind;

const CwConnectorKind *cw_connector_kind_lookup         (const char    *kind);
const CwConnectorKind *cw_connector_kind_get_nth        (guint          n);
CwConnector           *cw_connector_new_for_connection  (CwConnection  *connection,
                                                         GHashTable    *credentials,
                                                         GError       **error);

G_END_DECLS
