/* cw-workorder-list.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-workorder-list"

#include "config.h"

#include "cw-workorder-list.h"

/*
 * The appointment list as a GListModel of CwWorkorderSummary: the workorders with an
 * appointment in a range of days, read from the store and read again whenever it changes.
 * A re-read keeps the objects of rows that are still there (updated in place) and reports
 * only the span that really changed, so a view bound to it keeps its selection and scroll
 * position while a background import writes.
 */

struct _CwWorkorderList
{
  GObject     parent_instance;

  CwStore    *store;
  GDate       first_day;
  guint       n_days;
  GPtrArray  *items;
  GError     *error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CwWorkorderList, cw_workorder_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_FIRST_DAY,
  PROP_N_DAYS,
  PROP_N_ITEMS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
cw_workorder_list_get_item_type (GListModel *model)
{
  return CW_TYPE_WORKORDER_SUMMARY;
}

static guint
cw_workorder_list_get_n_items (GListModel *model)
{
  return CW_WORKORDER_LIST (model)->items->len;
}

static gpointer
cw_workorder_list_get_item (GListModel *model,
                            guint       position)
{
  CwWorkorderList *self = CW_WORKORDER_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cw_workorder_list_get_item_type;
  iface->get_n_items = cw_workorder_list_get_n_items;
  iface->get_item = cw_workorder_list_get_item;
}

static gint64
item_id (GPtrArray *items,
         guint      position)
{
  return cw_workorder_summary_get_id (g_ptr_array_index (items, position));
}

/*
 * Replaces the rows with @fresh. A row whose workorder is in both keeps its object, updated
 * in place; the span between the longest common prefix and suffix of ids is reported in one
 * ::items-changed, and nothing is reported when only row contents changed.
 */
static void
apply_rows (CwWorkorderList *self,
            GPtrArray       *fresh)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_full (fresh->len, g_object_unref);
  g_autofree gint64 *ids = g_new (gint64, MAX (self->items->len, 1));
  guint old_len = self->items->len;
  guint new_len = fresh->len;
  guint prefix = 0, suffix = 0;

  for (guint i = 0; i < old_len; i++)
    {
      ids[i] = item_id (self->items, i);
      g_hash_table_insert (by_id, &ids[i], g_ptr_array_index (self->items, i));
    }

  for (guint i = 0; i < new_len; i++)
    {
      CwWorkorderSummary *summary = g_ptr_array_index (fresh, i);
      gint64 id = cw_workorder_summary_get_id (summary);
      CwWorkorderSummary *existing = g_hash_table_lookup (by_id, &id);

      if (existing != NULL)
        {
          cw_workorder_summary_update_from (existing, summary);
          summary = existing;
        }

      g_ptr_array_add (rows, g_object_ref (summary));
    }

  while (prefix < old_len && prefix < new_len &&
         ids[prefix] == item_id (rows, prefix))
    prefix++;

  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         ids[old_len - 1 - suffix] == item_id (rows, new_len - 1 - suffix))
    suffix++;

  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&rows);

  if (prefix + suffix == old_len && old_len == new_len)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                              old_len - prefix - suffix,
                              new_len - prefix - suffix);
  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
set_error (CwWorkorderList *self,
           GError          *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Reads the range again after the store changed. A failed read keeps the rows shown and
 * sets :error: an error is never read as "there are no workorders". */
static void
reload (CwWorkorderList *self)
{
  g_autoptr(GPtrArray) fresh = NULL;
  GError *error = NULL;

  if (!g_date_valid (&self->first_day))
    return;

  fresh = cw_store_list_days (self->store, &self->first_day, self->n_days, &error);
  if (fresh == NULL)
    {
      set_error (self, error);
      return;
    }

  set_error (self, NULL);
  apply_rows (self, fresh);
}

static void
on_store_changed_cb (CwWorkorderList *self,
                     CwStore         *store)
{
  reload (self);
}

static void
cw_workorder_list_dispose (GObject *object)
{
  CwWorkorderList *self = (CwWorkorderList *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (cw_workorder_list_parent_class)->dispose (object);
}

static void
cw_workorder_list_finalize (GObject *object)
{
  CwWorkorderList *self = (CwWorkorderList *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cw_workorder_list_parent_class)->finalize (object);
}

static void
cw_workorder_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CwWorkorderList *self = CW_WORKORDER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_FIRST_DAY:
      g_value_set_boxed (value, g_date_valid (&self->first_day) ? &self->first_day : NULL);
      break;

    case PROP_N_DAYS:
      g_value_set_uint (value, self->n_days);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_workorder_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CwWorkorderList *self = CW_WORKORDER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      g_signal_connect_object (self->store, "changed",
                               G_CALLBACK (on_store_changed_cb), self,
                               G_CONNECT_SWAPPED);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_workorder_list_class_init (CwWorkorderListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cw_workorder_list_dispose;
  object_class->finalize = cw_workorder_list_finalize;
  object_class->get_property = cw_workorder_list_get_property;
  object_class->set_property = cw_workorder_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CW_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRST_DAY] = g_param_spec_boxed ("first-day", NULL, NULL, G_TYPE_DATE, ro);
  properties[PROP_N_DAYS] = g_param_spec_uint ("n-days", NULL, NULL, 0, CW_STORE_MAX_DAYS, 0, ro);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /**
   * CwWorkorderList:error:
   *
   * Why the last read failed, or %NULL. The rows of the last good read stay meanwhile.
   */
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_workorder_list_init (CwWorkorderList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_date_clear (&self->first_day, 1);
}

/**
 * cw_workorder_list_new:
 * @store: the store to read
 *
 * The list is empty until cw_workorder_list_set_range() says which days to show.
 *
 * Returns: (transfer full): a new list
 */
CwWorkorderList *
cw_workorder_list_new (CwStore *store)
{
  g_return_val_if_fail (CW_IS_STORE (store), NULL);

  return g_object_new (CW_TYPE_WORKORDER_LIST, "store", store, NULL);
}

/**
 * cw_workorder_list_get_store:
 * @self: a #CwWorkorderList
 *
 * Returns: (transfer none): the store
 */
CwStore *
cw_workorder_list_get_store (CwWorkorderList *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_LIST (self), NULL);

  return self->store;
}

/**
 * cw_workorder_list_get_first_day:
 * @self: a #CwWorkorderList
 *
 * Returns: (transfer none) (nullable): the first day shown, %NULL before a range is set
 */
const GDate *
cw_workorder_list_get_first_day (CwWorkorderList *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_LIST (self), NULL);

  return g_date_valid (&self->first_day) ? &self->first_day : NULL;
}

guint
cw_workorder_list_get_n_days (CwWorkorderList *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_LIST (self), 0);

  return self->n_days;
}

/**
 * cw_workorder_list_set_range:
 * @self: a #CwWorkorderList
 * @first_day: the first day to show
 * @n_days: how many days, 1 to %CW_STORE_MAX_DAYS
 * @error: return location for a #CwStoreError
 *
 * Shows the workorders of another range of days and reads them now.
 *
 * Returns: %TRUE if the range was read; on failure the range is unchanged
 */
gboolean
cw_workorder_list_set_range (CwWorkorderList  *self,
                             const GDate      *first_day,
                             guint             n_days,
                             GError          **error)
{
  g_autoptr(GPtrArray) fresh = NULL;
  gboolean day_changed, n_days_changed;

  g_return_val_if_fail (CW_IS_WORKORDER_LIST (self), FALSE);
  g_return_val_if_fail (first_day != NULL && g_date_valid (first_day), FALSE);

  fresh = cw_store_list_days (self->store, first_day, n_days, error);
  if (fresh == NULL)
    return FALSE;

  day_changed = !g_date_valid (&self->first_day) || g_date_compare (&self->first_day, first_day) != 0;
  n_days_changed = self->n_days != n_days;
  self->first_day = *first_day;
  self->n_days = n_days;

  g_object_freeze_notify (G_OBJECT (self));
  set_error (self, NULL);
  apply_rows (self, fresh);
  if (day_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_DAY]);
  if (n_days_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DAYS]);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * cw_workorder_list_get_error:
 * @self: a #CwWorkorderList
 *
 * Returns: (transfer none) (nullable): why the last read failed
 */
const GError *
cw_workorder_list_get_error (CwWorkorderList *self)
{
  g_return_val_if_fail (CW_IS_WORKORDER_LIST (self), NULL);

  return self->error;
}
