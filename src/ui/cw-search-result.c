/* cw-search-result.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-search-result"

#include "config.h"

#include "cw-search-result.h"

/*
 * One row of the search results: a stored workorder, or what can be done when nothing
 * stored matches (import it, sync now, nothing). The row's spinner follows :busy while an
 * import it started runs.
 */

struct _CwSearchResult
{
  GObject             parent_instance;

  CwSearchResultKind  kind;
  CwWorkorderSummary *summary;
  char               *query;
  char               *connection_id;
  char               *title;
  char               *subtitle;
  gboolean            busy;
};

G_DEFINE_FINAL_TYPE (CwSearchResult, cw_search_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cw_search_result_finalize (GObject *object)
{
  CwSearchResult *self = (CwSearchResult *)object;

  g_clear_object (&self->summary);
  g_free (self->query);
  g_free (self->connection_id);
  g_free (self->title);
  g_free (self->subtitle);

  G_OBJECT_CLASS (cw_search_result_parent_class)->finalize (object);
}

static void
cw_search_result_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CwSearchResult *self = CW_SEARCH_RESULT (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_search_result_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CwSearchResult *self = CW_SEARCH_RESULT (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      cw_search_result_set_busy (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_search_result_class_init (CwSearchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_search_result_finalize;
  object_class->get_property = cw_search_result_get_property;
  object_class->set_property = cw_search_result_set_property;

  /**
   * CwSearchResult:busy:
   *
   * Whether an import this row started is running.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_search_result_init (CwSearchResult *self)
{
}

/**
 * cw_search_result_new_workorder:
 * @summary: the stored workorder that matches
 *
 * Returns: (transfer full): a result that opens @summary
 */
CwSearchResult *
cw_search_result_new_workorder (CwWorkorderSummary *summary)
{
  CwSearchResult *self;

  g_return_val_if_fail (CW_IS_WORKORDER_SUMMARY (summary), NULL);

  self = g_object_new (CW_TYPE_SEARCH_RESULT, NULL);
  self->kind = CW_SEARCH_RESULT_WORKORDER;
  self->summary = g_object_ref (summary);

  return self;
}

/**
 * cw_search_result_new_action:
 * @kind: %CW_SEARCH_RESULT_IMPORT, %CW_SEARCH_RESULT_SYNC or %CW_SEARCH_RESULT_NONE
 * @query: what the advisor typed
 * @connection_id: (nullable): the connection the action is for
 * @title: what the row says
 * @subtitle: (nullable): what it adds: what happens, or what to do
 *
 * Returns: (transfer full): a result that offers an action instead of a workorder
 */
CwSearchResult *
cw_search_result_new_action (CwSearchResultKind  kind,
                             const char         *query,
                             const char         *connection_id,
                             const char         *title,
                             const char         *subtitle)
{
  CwSearchResult *self;

  g_return_val_if_fail (kind != CW_SEARCH_RESULT_WORKORDER, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (CW_TYPE_SEARCH_RESULT, NULL);
  self->kind = kind;
  self->query = g_strdup (query);
  self->connection_id = g_strdup (connection_id);
  self->title = g_strdup (title);
  self->subtitle = g_strdup (subtitle);

  return self;
}

CwSearchResultKind
cw_search_result_get_kind (CwSearchResult *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), CW_SEARCH_RESULT_NONE);

  return self->kind;
}

/**
 * cw_search_result_get_summary:
 * @self: a #CwSearchResult
 *
 * Returns: (transfer none) (nullable): the workorder of a %CW_SEARCH_RESULT_WORKORDER row
 */
CwWorkorderSummary *
cw_search_result_get_summary (CwSearchResult *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), NULL);

  return self->summary;
}

const char *
cw_search_result_get_query (CwSearchResult *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), NULL);

  return self->query;
}

const char *
cw_search_result_get_connection_id (CwSearchResult *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), NULL);

  return self->connection_id;
}

const char *
cw_search_result_get_title (CwSearchResult *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), NULL);

  return self->title;
}

const char *
cw_search_result_get_subtitle (CwSearchResult *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), NULL);

  return self->subtitle;
}

gboolean
cw_search_result_get_busy (CwSearchResult *self)
{
  g_return_val_if_fail (CW_IS_SEARCH_RESULT (self), FALSE);

  return self->busy;
}

void
cw_search_result_set_busy (CwSearchResult *self,
                           gboolean        busy)
{
  g_return_if_fail (CW_IS_SEARCH_RESULT (self));

  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}
