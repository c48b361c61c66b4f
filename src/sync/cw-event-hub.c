/* cw-event-hub.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-event-hub"

#include "config.h"

#include "cw-connector-registry.h"
#include "cw-event-hub.h"

/*
 * One CwEventListener per configured connection whose DMS pushes its changes, following the
 * list of connections: a connection added gets a listener (started, when the hub is), one
 * removed loses it. Whether a listener actually follows its DMS is the dealer's option,
 * which the listener itself follows (docs/sync.md).
 */

struct _CwEventHub
{
  GObject          parent_instance;

  CwImportService *service;
  GNetworkMonitor *monitor;
  /* connection id → CwEventListener */
  GHashTable      *listeners;
  guint            started : 1;
};

G_DEFINE_FINAL_TYPE (CwEventHub, cw_event_hub, G_TYPE_OBJECT)

static void
listener_free (CwEventListener *listener)
{
  cw_event_listener_stop (listener);
  g_object_unref (listener);
}

static gboolean
pushes_events (CwConnection *connection)
{
  const CwConnectorKind *kind = cw_connector_kind_lookup (cw_connection_get_kind (connection));

  return kind != NULL && (kind->capabilities & CW_CAPABILITY_EVENTS) != 0;
}

static void
sync_listeners (CwEventHub *self)
{
  GListModel *connections = cw_import_service_get_connections (self->service);
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(CwConnection) connection = g_list_model_get_item (connections, i);
      const char *id = cw_connection_get_id (connection);
      CwEventListener *listener;

      if (!pushes_events (connection))
        continue;

      g_hash_table_add (wanted, (gpointer) id);
      if (g_hash_table_contains (self->listeners, id))
        continue;

      listener = cw_event_listener_new (self->service, id, self->monitor);
      if (listener == NULL)
        continue;

      g_hash_table_insert (self->listeners, g_strdup (id), listener);
      cw_event_listener_start (listener);
    }

  /* A connection that left, or whose DMS changed to one without events. */
  g_hash_table_iter_init (&iter, self->listeners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CwConnection *connection = cw_import_service_find_connection (self->service, key);

      if (!g_hash_table_contains (wanted, key) || connection == NULL)
        g_hash_table_iter_remove (&iter);
    }
}

static void
on_connections_changed_cb (CwEventHub *self)
{
  if (self->started)
    sync_listeners (self);
}

static void
cw_event_hub_dispose (GObject *object)
{
  CwEventHub *self = (CwEventHub *)object;

  cw_event_hub_stop (self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (cw_event_hub_parent_class)->dispose (object);
}

static void
cw_event_hub_finalize (GObject *object)
{
  CwEventHub *self = (CwEventHub *)object;

  g_clear_pointer (&self->listeners, g_hash_table_unref);

  G_OBJECT_CLASS (cw_event_hub_parent_class)->finalize (object);
}

static void
cw_event_hub_class_init (CwEventHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cw_event_hub_dispose;
  object_class->finalize = cw_event_hub_finalize;
}

static void
cw_event_hub_init (CwEventHub *self)
{
  self->listeners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) listener_free);
}

/**
 * cw_event_hub_new:
 * @service: the import service
 * @monitor: (nullable): the network monitor the listeners follow; %NULL for the default
 *
 * Returns: (transfer full): a stopped hub
 */
CwEventHub *
cw_event_hub_new (CwImportService *service,
                  GNetworkMonitor *monitor)
{
  CwEventHub *self;

  g_return_val_if_fail (CW_IS_IMPORT_SERVICE (service), NULL);
  g_return_val_if_fail (!monitor || G_IS_NETWORK_MONITOR (monitor), NULL);

  self = g_object_new (CW_TYPE_EVENT_HUB, NULL);
  self->service = g_object_ref (service);
  self->monitor = g_object_ref (monitor != NULL ? monitor : g_network_monitor_get_default ());

  return self;
}

/**
 * cw_event_hub_start:
 * @self: a #CwEventHub
 *
 * Starts a listener for every connection whose DMS pushes changes, and follows the list of
 * connections from then on.
 */
void
cw_event_hub_start (CwEventHub *self)
{
  g_return_if_fail (CW_IS_EVENT_HUB (self));

  if (self->started)
    return;

  self->started = TRUE;
  g_signal_connect_object (cw_import_service_get_connections (self->service), "items-changed",
                           G_CALLBACK (on_connections_changed_cb), self, G_CONNECT_SWAPPED);
  sync_listeners (self);
}

/**
 * cw_event_hub_stop:
 * @self: a #CwEventHub
 *
 * Stops and drops every listener (see cw_event_listener_stop()).
 */
void
cw_event_hub_stop (CwEventHub *self)
{
  g_return_if_fail (CW_IS_EVENT_HUB (self));

  if (!self->started)
    return;

  self->started = FALSE;
  g_signal_handlers_disconnect_by_data (cw_import_service_get_connections (self->service), self);
  g_hash_table_remove_all (self->listeners);
}

/**
 * cw_event_hub_get_listener:
 * @connection_id: a connection id
 *
 * Returns: (transfer none) (nullable): the listener of the connection, while the hub runs
 */
CwEventListener *
cw_event_hub_get_listener (CwEventHub *self,
                           const char *connection_id)
{
  g_return_val_if_fail (CW_IS_EVENT_HUB (self), NULL);

  return connection_id != NULL ? g_hash_table_lookup (self->listeners, connection_id) : NULL;
}
