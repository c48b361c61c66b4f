/* cw-writeback.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-writeback"

#include "config.h"

#include "cw-writeback.h"

/*
 * The rules of DMS writeback (DESIGN §3, §5), as pure functions: what a connection may
 * write, when a mileage goes to the DMS, and how long to wait before trying again.
 */

#define WRITEBACK_CAPABILITIES (CW_CAPABILITY_WRITEBACK_INTERVENTIONS | CW_CAPABILITY_WRITEBACK_MILEAGE)

/**
 * cw_writeback_policy:
 * @connector_capabilities: what the connection's connector can do
 * @dealer_enabled: the dealer's "DMS writeback" option for the connection
 *
 * Returns: the writeback capabilities the connection uses: none unless the dealer
 *   enabled writeback and the connector can take it
 */
CwCapabilities
cw_writeback_policy (CwCapabilities connector_capabilities,
                     gboolean       dealer_enabled)
{
  if (!dealer_enabled)
    return CW_CAPABILITY_NONE;

  return connector_capabilities & WRITEBACK_CAPABILITIES;
}

/**
 * cw_writeback_policy_allows:
 * @policy: a connection's writeback policy, from cw_writeback_policy()
 * @kind: what a change carries
 *
 * Returns: whether a change of @kind goes to the DMS
 */
gboolean
cw_writeback_policy_allows (CwCapabilities policy,
                            CwOutboxKind   kind)
{
  switch (kind)
    {
    case CW_OUTBOX_INTERVENTION:
      return (policy & CW_CAPABILITY_WRITEBACK_INTERVENTIONS) != 0;
    case CW_OUTBOX_MILEAGE:
      return (policy & CW_CAPABILITY_WRITEBACK_MILEAGE) != 0;
    default:
      return FALSE;
    }
}

/**
 * cw_writeback_mileage_is_due:
 * @reading: the mileage read in the app, km; negative when unknown
 * @dms_mileage: the DMS's mileage, km; negative when the DMS has none
 * @policy: the connection's writeback policy
 *
 * A mileage goes to the DMS only when writeback of mileage is on and it is higher than
 * the DMS's; a DMS without a mileage takes any reading.
 *
 * Returns: whether @reading must be written back
 */
gboolean
cw_writeback_mileage_is_due (gint64         reading,
                             gint64         dms_mileage,
                             CwCapabilities policy)
{
  if (reading < 0 || !cw_writeback_policy_allows (policy, CW_OUTBOX_MILEAGE))
    return FALSE;

  return dms_mileage < 0 || reading > dms_mileage;
}

/**
 * cw_writeback_backoff:
 * @attempts: the failed attempts so far, 1 or more
 * @max_seconds: the longest wait
 * @jitter: a random number in [0, 1)
 *
 * Exponential backoff with jitter: 2, 4, 8 … seconds, capped at @max_seconds, then a
 * random part of up to a quarter of it added, so that desks do not retry in step.
 *
 * Returns: the wait before the next attempt, in seconds
 */
guint
cw_writeback_backoff (guint  attempts,
                      guint  max_seconds,
                      double jitter)
{
  guint base = 1;

  for (guint i = 0; i < attempts && base < max_seconds; i++)
    base *= 2;
  base = MIN (base, max_seconds);

  return base + (guint) (base * CLAMP (jitter, 0.0, 1.0) / 4);
}
