/* cw-store.c
 *
 * Copyright 2026 The Claire Workshop authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cw-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cw-store-private.h"

/*
 * The local store: the app's memory (DESIGN §5). It holds two SQLite connections to the same
 * file. The reader belongs to the thread that opened the store (the main thread in the app)
 * and answers the list, the search and the page; its queries are index lookups bounded by
 * the benchmarks in tests/bench/. The writer is shared by every thread behind a mutex, so
 * imports and bulk writes run off the main thread while the reader keeps answering from the
 * last committed state (WAL). After each commit the store emits ::changed on the reader's
 * thread, coalesced, and the list models re-read.
 */

struct _CwStore
{
  GObject       parent_instance;

  char         *path;
  CwDb         *reader;
  GMainContext *context;

  GMutex        writer_lock;
  CwDb         *writer;

  /* Set while a ::changed emission is queued on @context. */
  gint          changed_pending;
};

G_DEFINE_FINAL_TYPE (CwStore, cw_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (cw-store-error-quark, cw_store_error)

static void
cw_store_finalize (GObject *object)
{
  CwStore *self = (CwStore *)object;

  g_clear_pointer (&self->reader, _cw_db_close);
  g_mutex_lock (&self->writer_lock);
  g_clear_pointer (&self->writer, _cw_db_close);
  g_mutex_unlock (&self->writer_lock);
  g_mutex_clear (&self->writer_lock);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cw_store_parent_class)->finalize (object);
}

static void
cw_store_class_init (CwStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_store_finalize;

  /**
   * CwStore::changed:
   * @self: the store
   *
   * Emitted on the thread that opened the store after one or more writes committed.
   * Several writes in quick succession give one emission.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cw_store_init (CwStore *self)
{
  g_mutex_init (&self->writer_lock);
}

/**
 * cw_store_dup_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/claire-workshop/workshop.db`
 */
char *
cw_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), PACKAGE_NAME, "workshop.db", NULL);
}

/**
 * cw_store_open:
 * @path: the database file; created with its folder when missing
 * @error: return location for a #CwStoreError
 *
 * Opens the store and brings its schema up to date. The thread that calls this is the
 * one that may read from it and that receives #CwStore::changed.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
CwStore *
cw_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(CwStore) self = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_OPEN,
                   _("The folder for the workorder database, %s, cannot be created (%s). Check that you may write there."),
                   folder, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (CW_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->context = g_main_context_ref_thread_default ();

  if (!(self->writer = _cw_db_open (path, FALSE, error)) ||
      !_cw_store_migrate (self->writer, error) ||
      !(self->reader = _cw_db_open (path, TRUE, error)))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cw_store_get_path (CwStore *self)
{
  g_return_val_if_fail (CW_IS_STORE (self), NULL);

  return self->path;
}

static gboolean
emit_changed (gpointer user_data)
{
  CwStore *self = user_data;

  g_atomic_int_set (&self->changed_pending, FALSE);
  g_signal_emit (self, signals[CHANGED], 0);

  return G_SOURCE_REMOVE;
}

static void
queue_changed (CwStore *self)
{
  GSource *source;

  if (!g_atomic_int_compare_and_exchange (&self->changed_pending, FALSE, TRUE))
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_changed, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[cw-store] changed");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/*
 * The writes. Each locks the writer, runs in one BEGIN IMMEDIATE transaction, and rolls
 * back as a whole on any error: a workorder is stored entirely or not at all.
 */

typedef gboolean (*WriteFunc) (CwDb     *db,
                               gpointer  data,
                               GError  **error);

static gboolean
run_write (CwStore    *self,
           WriteFunc   func,
           gpointer    data,
           GError    **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->writer_lock);

  if (!_cw_db_begin (self->writer, error))
    return FALSE;

  if (!func (self->writer, data, error) || !_cw_db_commit (self->writer, error))
    {
      _cw_db_rollback (self->writer);
      return FALSE;
    }

  g_clear_pointer (&locker, g_mutex_locker_free);
  queue_changed (self);

  return TRUE;
}

typedef struct
{
  GPtrArray     *workorders;
  CwImportFlags  flags;
  GArray        *outcomes;
} ImportWrite;

static void
import_write_free (ImportWrite *write)
{
  g_clear_pointer (&write->workorders, g_ptr_array_unref);
  g_clear_pointer (&write->outcomes, g_array_unref);
  g_free (write);
}

static gboolean
write_imports (CwDb     *db,
               gpointer  data,
               GError  **error)
{
  ImportWrite *write = data;
  gint64 now = now_unix ();

  g_array_set_size (write->outcomes, 0);

  for (guint i = 0; i < write->workorders->len; i++)
    {
      CwImportOutcome outcome;

      if (!_cw_store_write_workorder (db, g_ptr_array_index (write->workorders, i),
                                      write->flags, now, &outcome, error))
        return FALSE;

      g_array_append_val (write->outcomes, outcome);
    }

  return TRUE;
}

/**
 * cw_store_import_workorders:
 * @self: a #CwStore
 * @workorders: (element-type CwWorkorder): the workorders as the DMS gave them
 * @flags: how to treat workorders whose work has started, and whether this is a refresh
 *   an advisor asked for
 * @outcomes: (out) (optional) (element-type CwImportOutcome): what happened to each, in
 *   the order of @workorders
 * @error: return location for a #CwStoreError
 *
 * Stores whole workorders (DMS fields, car, parties and DMS interventions in order), keyed
 * on their DMS identity: the same identity again updates, never duplicates. In one
 * transaction: all are stored, or none. The workshop process and the lines added in the
 * app are kept. A workorder the DMS says nothing new about is not rewritten (its sync time
 * is); a workorder whose work has started keeps its DMS data unless @flags has
 * %CW_IMPORT_AFTER_WORK_STARTED. Imports, changes and advisor refreshes are recorded on the
 * timeline. On success each workorder's id and revision are the stored ones. May be called
 * from any thread.
 *
 * Returns: %TRUE on success; on failure nothing is stored
 */
gboolean
cw_store_import_workorders (CwStore        *self,
                            GPtrArray      *workorders,
                            CwImportFlags   flags,
                            GArray        **outcomes,
                            GError        **error)
{
  g_autoptr(GArray) results = g_array_new (FALSE, FALSE, sizeof (CwImportOutcome));
  ImportWrite write = { workorders, flags, results };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (workorders != NULL, FALSE);

  if (workorders->len > 0 && !run_write (self, write_imports, &write, error))
    return FALSE;

  if (outcomes != NULL)
    *outcomes = g_steal_pointer (&results);

  return TRUE;
}

/**
 * cw_store_import_workorder:
 * @self: a #CwStore
 * @workorder: the workorder as the DMS gave it
 * @flags: see cw_store_import_workorders()
 * @outcome: (out) (optional): what happened to it
 * @error: return location for a #CwStoreError
 *
 * cw_store_import_workorders() for one workorder.
 *
 * Returns: %TRUE on success
 */
gboolean
cw_store_import_workorder (CwStore          *self,
                           CwWorkorder      *workorder,
                           CwImportFlags     flags,
                           CwImportOutcome  *outcome,
                           GError          **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GArray) outcomes = NULL;

  g_return_val_if_fail (CW_IS_WORKORDER (workorder), FALSE);

  g_ptr_array_add (one, workorder);
  if (!cw_store_import_workorders (self, one, flags, &outcomes, error))
    return FALSE;

  if (outcome != NULL)
    *outcome = g_array_index (outcomes, CwImportOutcome, 0);

  return TRUE;
}

static void
import_workorders_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  ImportWrite *write = task_data;
  GArray *outcomes = NULL;
  GError *error = NULL;
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;

  ok = cw_store_import_workorders (source_object, write->workorders, write->flags, &outcomes, &error);

  /* If the caller did not keep them, thousands of workorders are freed here rather than on
   * the main loop. */
  g_clear_pointer (&write->workorders, g_ptr_array_unref);

  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcomes, (GDestroyNotify) g_array_unref);
}

/**
 * cw_store_import_workorders_async:
 * @self: a #CwStore
 * @workorders: (element-type CwWorkorder): the workorders; the store keeps a reference
 *   until the write is done, and they must not change meanwhile. It drops it on the worker
 *   thread: a caller that does not keep one of its own has them freed there, off the main
 *   loop
 * @flags: see cw_store_import_workorders()
 * @cancellable: (nullable): cancels the write if it has not started
 * @callback: called on the caller's thread when the write is done
 * @user_data: data for @callback
 *
 * Runs cw_store_import_workorders() on a worker thread, so the main loop never waits for
 * the disk.
 */
void
cw_store_import_workorders_async (CwStore             *self,
                                  GPtrArray           *workorders,
                                  CwImportFlags        flags,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportWrite *write;

  g_return_if_fail (CW_IS_STORE (self));
  g_return_if_fail (workorders != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  write = g_new0 (ImportWrite, 1);
  write->workorders = g_ptr_array_ref (workorders);
  write->flags = flags;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_store_import_workorders_async);
  g_task_set_task_data (task, write, (GDestroyNotify) import_write_free);
  g_task_run_in_thread (task, import_workorders_thread);
}

/**
 * cw_store_import_workorders_finish:
 * @self: a #CwStore
 * @result: the result
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (element-type CwImportOutcome) (nullable): the outcome of each
 *   workorder, or %NULL with @error set
 */
GArray *
cw_store_import_workorders_finish (CwStore       *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  gint64           id;
  CwProcessChange  change;
  char            *text;
  char            *actor;
} ProcessWrite;

static void
process_write_free (ProcessWrite *write)
{
  g_free (write->text);
  g_free (write->actor);
  g_free (write);
}

static gboolean
write_process (CwDb     *db,
               gpointer  data,
               GError  **error)
{
  ProcessWrite *write = data;

  return _cw_store_write_process (db, write->id, &write->change, write->actor, now_unix (), error);
}

/**
 * cw_store_change_process:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @change: what the advisor asked for: a step forward, the in/out toggle, or a cancel
 * @actor: (nullable): who asked, for the timeline
 * @error: return location for a #CwStoreError or #CwStatusError
 *
 * Applies @change with the workflow rules (cw_process_apply()) to the stored state, and
 * records each resulting change on the timeline, in one transaction. Invoiced workorders
 * refuse every change. May be called from any thread.
 *
 * Returns: %TRUE if the change was made
 */
gboolean
cw_store_change_process (CwStore                *self,
                         gint64                  workorder_id,
                         const CwProcessChange  *change,
                         const char             *actor,
                         GError                **error)
{
  ProcessWrite write = { workorder_id, *change, NULL, (char *) actor };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  return run_write (self, write_process, &write, error);
}

static void
change_process_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  ProcessWrite *write = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!cw_store_change_process (source_object, write->id, &write->change, write->actor, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cw_store_change_process_async:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @change: the change; copied
 * @actor: (nullable): who asked
 * @cancellable: (nullable): cancels the change if it has not started
 * @callback: called on the caller's thread when done
 * @user_data: data for @callback
 *
 * Runs cw_store_change_process() on a worker thread, so the main loop never waits for the
 * disk.
 */
void
cw_store_change_process_async (CwStore                *self,
                               gint64                  workorder_id,
                               const CwProcessChange  *change,
                               const char             *actor,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ProcessWrite *write;

  g_return_if_fail (CW_IS_STORE (self));
  g_return_if_fail (change != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  write = g_new0 (ProcessWrite, 1);
  write->id = workorder_id;
  write->change = *change;
  write->text = g_strdup (change->text);
  write->change.text = write->text;
  write->actor = g_strdup (actor);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_store_change_process_async);
  g_task_set_task_data (task, write, (GDestroyNotify) process_write_free);
  g_task_run_in_thread (task, change_process_thread);
}

gboolean
cw_store_change_process_finish (CwStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  gint64           id;
  CwTimelineEvent *event;
} EventWrite;

static gboolean
write_event (CwDb     *db,
             gpointer  data,
             GError  **error)
{
  EventWrite *write = data;

  return _cw_store_insert_event (db, write->id, write->event, error);
}

/**
 * cw_store_add_event:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @event: the event to record
 * @error: return location for a #CwStoreError
 *
 * Records @event on the workorder's timeline (an import failure, say). May be called
 * from any thread.
 *
 * Returns: %TRUE on success
 */
gboolean
cw_store_add_event (CwStore          *self,
                    gint64            workorder_id,
                    CwTimelineEvent  *event,
                    GError          **error)
{
  EventWrite write = { workorder_id, event };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (CW_IS_TIMELINE_EVENT (event), FALSE);

  return run_write (self, write_event, &write, error);
}

typedef struct
{
  gint64           id;
  CwTimelineEvent *event;
} EventTask;

static void
event_task_free (EventTask *data)
{
  g_clear_object (&data->event);
  g_free (data);
}

static void
add_event_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  EventTask *data = task_data;
  GError *error = NULL;

  if (!cw_store_add_event (source_object, data->id, data->event, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cw_store_add_event_async:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @event: the event to record
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the event is stored
 * @user_data: data for @callback
 *
 * Runs cw_store_add_event() on a worker thread.
 */
void
cw_store_add_event_async (CwStore             *self,
                          gint64               workorder_id,
                          CwTimelineEvent     *event,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EventTask *data;

  g_return_if_fail (CW_IS_STORE (self));
  g_return_if_fail (CW_IS_TIMELINE_EVENT (event));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (EventTask, 1);
  data->id = workorder_id;
  data->event = g_object_ref (event);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_store_add_event_async);
  g_task_set_task_data (task, data, (GDestroyNotify) event_task_free);
  g_task_run_in_thread (task, add_event_thread);
}

gboolean
cw_store_add_event_finish (CwStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/*
 * Interventions added in the app: add, change and remove, each one transaction with its
 * timeline event. The rules (local lines only, never on a canceled or invoiced workorder)
 * are in cw-store-intervention.c.
 */

typedef enum
{
  LINE_ADD,
  LINE_UPDATE,
  LINE_REMOVE,
} LineOp;

typedef struct
{
  LineOp          op;
  /* The workorder for LINE_ADD, the line otherwise. */
  gint64          id;
  CwIntervention *intervention;
  char           *title;
  char           *description;
  gboolean        has_price;
  gint64          price_cents;
  char           *actor;
  /* The new line's id, after LINE_ADD. */
  gint64          new_id;
} LineWrite;

static void
line_write_free (LineWrite *write)
{
  g_clear_object (&write->intervention);
  g_free (write->title);
  g_free (write->description);
  g_free (write->actor);
  g_free (write);
}

static gboolean
write_line (CwDb     *db,
            gpointer  data,
            GError  **error)
{
  LineWrite *write = data;
  gint64 now = now_unix ();

  switch (write->op)
    {
    case LINE_ADD:
      return _cw_store_write_add_intervention (db, write->id, write->intervention, write->actor,
                                               now, &write->new_id, error);

    case LINE_UPDATE:
      return _cw_store_write_update_intervention (db, write->id, write->title, write->description,
                                                  write->has_price ? &write->price_cents : NULL,
                                                  write->actor, now, error);

    case LINE_REMOVE:
      return _cw_store_write_remove_intervention (db, write->id, write->actor, now, error);

    default:
      g_assert_not_reached ();
    }
}

static void
write_line_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LineWrite *write = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!run_write (source_object, write_line, write, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&write->new_id, sizeof write->new_id), g_free);
}

static void
run_line_write_async (CwStore             *self,
                      LineWrite           *write,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, write, (GDestroyNotify) line_write_free);
  g_task_run_in_thread (task, write_line_thread);
}

static gboolean
finish_line_write (CwStore       *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   gint64        *new_id,
                   GError       **error)
{
  g_autofree gint64 *id = NULL;

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  if (!(id = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;

  if (new_id != NULL)
    *new_id = *id;

  return TRUE;
}

/**
 * cw_store_add_intervention:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @intervention: the line to add; its source must be %CW_INTERVENTION_SOURCE_LOCAL and
 *   its title not blank
 * @actor: (nullable): who added it, for the timeline
 * @error: return location for a #CwStoreError
 *
 * Adds an intervention of the advisor's own after the workorder's lines (the DMS's lines
 * keep their order; local lines follow in the order they were added), bumps the
 * workorder's revision and records the addition on the timeline, in one transaction. A
 * canceled or invoiced workorder refuses it (%CW_STORE_ERROR_READ_ONLY). An import never
 * touches the line. May be called from any thread.
 *
 * Returns: the new line's id, or 0 with @error set
 */
gint64
cw_store_add_intervention (CwStore         *self,
                           gint64           workorder_id,
                           CwIntervention  *intervention,
                           const char      *actor,
                           GError         **error)
{
  LineWrite write = { LINE_ADD, workorder_id, intervention, .actor = (char *) actor };

  g_return_val_if_fail (CW_IS_STORE (self), 0);
  g_return_val_if_fail (CW_IS_INTERVENTION (intervention), 0);

  if (!run_write (self, write_line, &write, error))
    return 0;

  return write.new_id;
}

/**
 * cw_store_add_intervention_async:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @intervention: the line to add; copied
 * @actor: (nullable): who added it
 * @cancellable: (nullable): cancels the write if it has not started
 * @callback: called on the caller's thread when done
 * @user_data: data for @callback
 *
 * Runs cw_store_add_intervention() on a worker thread.
 */
void
cw_store_add_intervention_async (CwStore             *self,
                                 gint64               workorder_id,
                                 CwIntervention      *intervention,
                                 const char          *actor,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  LineWrite *write;

  g_return_if_fail (CW_IS_STORE (self));
  g_return_if_fail (CW_IS_INTERVENTION (intervention));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  write = g_new0 (LineWrite, 1);
  write->op = LINE_ADD;
  write->id = workorder_id;
  /* A copy, so the caller may go on changing its own while the worker writes. */
  write->intervention = cw_intervention_copy (intervention);
  write->actor = g_strdup (actor);

  run_line_write_async (self, write, cw_store_add_intervention_async, cancellable, callback, user_data);
}

/**
 * cw_store_add_intervention_finish:
 * @self: a #CwStore
 * @result: the result
 * @error: return location for a #CwStoreError
 *
 * Returns: the new line's id, or 0 with @error set
 */
gint64
cw_store_add_intervention_finish (CwStore       *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  gint64 id = 0;

  if (!finish_line_write (self, result, cw_store_add_intervention_async, &id, error))
    return 0;

  return id;
}

/**
 * cw_store_update_intervention:
 * @self: a #CwStore
 * @intervention_id: the line
 * @title: its new title; not blank
 * @description: (nullable): its new description
 * @price_cents: (nullable): its new price in cents (in the line's currency), %NULL for
 *   none
 * @actor: (nullable): who changed it, for the timeline
 * @error: return location for a #CwStoreError
 *
 * Changes an intervention added in the app, bumps the workorder's revision and records the
 * change on the timeline, in one transaction. A line from the DMS or for OCW is refused
 * with %CW_STORE_ERROR_READ_ONLY, and so is any line of a canceled or invoiced workorder.
 * May be called from any thread.
 *
 * Returns: %TRUE if the line was changed
 */
gboolean
cw_store_update_intervention (CwStore       *self,
                              gint64         intervention_id,
                              const char    *title,
                              const char    *description,
                              const gint64  *price_cents,
                              const char    *actor,
                              GError       **error)
{
  LineWrite write = {
    LINE_UPDATE, intervention_id, NULL, (char *) title, (char *) description,
    price_cents != NULL, price_cents != NULL ? *price_cents : 0, (char *) actor, 0
  };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);

  return run_write (self, write_line, &write, error);
}

/**
 * cw_store_update_intervention_async:
 * @self: a #CwStore
 * @intervention_id: the line
 * @title: its new title
 * @description: (nullable): its new description
 * @price_cents: (nullable): its new price in cents, %NULL for none; copied
 * @actor: (nullable): who changed it
 * @cancellable: (nullable): cancels the write if it has not started
 * @callback: called on the caller's thread when done
 * @user_data: data for @callback
 *
 * Runs cw_store_update_intervention() on a worker thread.
 */
void
cw_store_update_intervention_async (CwStore             *self,
                                    gint64               intervention_id,
                                    const char          *title,
                                    const char          *description,
                                    const gint64        *price_cents,
                                    const char          *actor,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  LineWrite *write;

  g_return_if_fail (CW_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  write = g_new0 (LineWrite, 1);
  write->op = LINE_UPDATE;
  write->id = intervention_id;
  write->title = g_strdup (title);
  write->description = g_strdup (description);
  write->has_price = price_cents != NULL;
  write->price_cents = price_cents != NULL ? *price_cents : 0;
  write->actor = g_strdup (actor);

  run_line_write_async (self, write, cw_store_update_intervention_async, cancellable, callback, user_data);
}

gboolean
cw_store_update_intervention_finish (CwStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_line_write (self, result, cw_store_update_intervention_async, NULL, error);
}

/**
 * cw_store_remove_intervention:
 * @self: a #CwStore
 * @intervention_id: the line
 * @actor: (nullable): who removed it, for the timeline
 * @error: return location for a #CwStoreError
 *
 * Removes an intervention added in the app, bumps the workorder's revision and records
 * the removal (with the line's title) on the timeline, in one transaction. A line from
 * the DMS or for OCW is refused with %CW_STORE_ERROR_READ_ONLY, and so is any line of a
 * canceled or invoiced workorder. May be called from any thread.
 *
 * Returns: %TRUE if the line was removed
 */
gboolean
cw_store_remove_intervention (CwStore     *self,
                              gint64       intervention_id,
                              const char  *actor,
                              GError     **error)
{
  LineWrite write = { LINE_REMOVE, intervention_id, .actor = (char *) actor };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);

  return run_write (self, write_line, &write, error);
}

/**
 * cw_store_remove_intervention_async:
 * @self: a #CwStore
 * @intervention_id: the line
 * @actor: (nullable): who removed it
 * @cancellable: (nullable): cancels the write if it has not started
 * @callback: called on the caller's thread when done
 * @user_data: data for @callback
 *
 * Runs cw_store_remove_intervention() on a worker thread.
 */
void
cw_store_remove_intervention_async (CwStore             *self,
                                    gint64               intervention_id,
                                    const char          *actor,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  LineWrite *write;

  g_return_if_fail (CW_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  write = g_new0 (LineWrite, 1);
  write->op = LINE_REMOVE;
  write->id = intervention_id;
  write->actor = g_strdup (actor);

  run_line_write_async (self, write, cw_store_remove_intervention_async, cancellable, callback, user_data);
}

gboolean
cw_store_remove_intervention_finish (CwStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_line_write (self, result, cw_store_remove_intervention_async, NULL, error);
}

/*
 * The reads, on the reader connection and its thread.
 */

/**
 * cw_store_find_workorder:
 * @self: a #CwStore
 * @connection_id: the DMS connection
 * @dms_key: the workorder's identity in that DMS (see cw_workorder_get_identity())
 * @error: return location for a #CwStoreError
 *
 * Returns: the id of the stored workorder, 0 when there is none (or on error)
 */
gint64
cw_store_find_workorder (CwStore     *self,
                         const char  *connection_id,
                         const char  *dms_key,
                         GError     **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), 0);
  g_return_val_if_fail (connection_id != NULL, 0);
  g_return_val_if_fail (dms_key != NULL, 0);

  return _cw_store_read_identity (self->reader, connection_id, dms_key, error);
}

/**
 * cw_store_load_workorder:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (nullable): the whole workorder, or %NULL with @error set
 */
CwWorkorder *
cw_store_load_workorder (CwStore  *self,
                         gint64    workorder_id,
                         GError  **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), NULL);

  return _cw_store_read_workorder (self->reader, workorder_id, error);
}

/**
 * cw_store_list_days:
 * @self: a #CwStore
 * @first_day: the first day, in the local time zone
 * @n_days: how many days, 1 to %CW_STORE_MAX_DAYS
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (element-type CwWorkorderSummary) (nullable): the workorders
 *   with an appointment on those days, earliest first
 */
GPtrArray *
cw_store_list_days (CwStore      *self,
                    const GDate  *first_day,
                    guint         n_days,
                    GError      **error)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  GDate last;

  g_return_val_if_fail (CW_IS_STORE (self), NULL);
  g_return_val_if_fail (first_day != NULL && g_date_valid (first_day), NULL);

  if (n_days == 0 || n_days > CW_STORE_MAX_DAYS)
    {
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A list covers at most %d day; choose a shorter range.",
                                "A list covers at most %d days; choose a shorter range.",
                                CW_STORE_MAX_DAYS),
                   CW_STORE_MAX_DAYS);
      return NULL;
    }

  /* Local midnights, computed from the calendar so a DST change makes no day 23 or 25 hours off. */
  last = *first_day;
  g_date_add_days (&last, n_days);
  from = g_date_time_new_local (g_date_get_year (first_day), g_date_get_month (first_day),
                                g_date_get_day (first_day), 0, 0, 0);
  to = g_date_time_new_local (g_date_get_year (&last), g_date_get_month (&last),
                              g_date_get_day (&last), 0, 0, 0);

  return _cw_store_read_range (self->reader, g_date_time_to_unix (from),
                               g_date_time_to_unix (to), error);
}

/**
 * cw_store_search:
 * @self: a #CwStore
 * @query: what the advisor typed: a WO or DMS number, a plate in any spelling, or names
 * @limit: the most results to return
 * @error: return location for a #CwStoreError
 *
 * Searches every day in the store; see docs/store.md for the ranking.
 *
 * Returns: (transfer full) (element-type CwWorkorderSummary) (nullable): the results,
 *   best first
 */
GPtrArray *
cw_store_search (CwStore     *self,
                 const char  *query,
                 guint        limit,
                 GError     **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), NULL);

  return _cw_store_read_search (self->reader, query, limit, now_unix (), error);
}

/**
 * cw_store_list_events:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (element-type CwTimelineEvent) (nullable): its timeline,
 *   oldest first
 */
GPtrArray *
cw_store_list_events (CwStore  *self,
                      gint64    workorder_id,
                      GError  **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), NULL);

  return _cw_store_read_events (self->reader, workorder_id, error);
}

/**
 * cw_store_count_workorders:
 * @self: a #CwStore
 * @error: return location for a #CwStoreError
 *
 * Returns: how many workorders the store holds, or -1 with @error set
 */
gint64
cw_store_count_workorders (CwStore  *self,
                           GError  **error)
{
  static const char sql[] = "SELECT count(*) FROM workorder";

  g_return_val_if_fail (CW_IS_STORE (self), -1);

  return _cw_db_pragma_int (self->reader, sql, error);
}

/**
 * cw_store_get_event_seq:
 * @self: a #CwStore
 * @connection_id: the connection whose DMS pushes events
 * @error: return location for a #CwStoreError
 *
 * Returns: the sequence number of the last DMS change event applied for the connection,
 *   0 when none was, or -1 with @error set
 */
gint64
cw_store_get_event_seq (CwStore     *self,
                        const char  *connection_id,
                        GError     **error)
{
  static const char sql[] = "SELECT seq FROM event_cursor WHERE connection_id = :connection_id";
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  int rc;

  g_return_val_if_fail (CW_IS_STORE (self), -1);
  g_return_val_if_fail (connection_id != NULL, -1);

  if (!(stmt = _cw_db_prepare (self->reader, sql, error)))
    return -1;

  _cw_bind_text (stmt, ":connection_id", connection_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  if (!_cw_db_end_rows (self->reader, stmt, rc, error))
    return -1;

  return seq;
}

typedef struct
{
  const char      *connection_id;
  gint64           seq;
  CwWorkorder     *workorder;
  CwImportFlags    flags;
  gboolean         applied;
  CwImportOutcome  outcome;
} CursorWrite;

static gboolean
write_cursor_event (CwDb     *db,
             gpointer  data,
             GError  **error)
{
  static const char read_sql[] = "SELECT seq FROM event_cursor WHERE connection_id = :connection_id";
  static const char write_sql[] =
    "INSERT INTO event_cursor (connection_id, seq, applied_at)"
    " VALUES (:connection_id, :seq, :applied_at)"
    " ON CONFLICT (connection_id) DO UPDATE SET seq = excluded.seq, applied_at = excluded.applied_at";
  CursorWrite *write = data;
  gint64 now = now_unix ();
  gint64 last = 0;
  sqlite3_stmt *stmt;
  int rc;

  write->applied = FALSE;
  write->outcome = CW_IMPORT_UNCHANGED;

  if (!(stmt = _cw_db_prepare (db, read_sql, error)))
    return FALSE;
  _cw_bind_text (stmt, ":connection_id", write->connection_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      last = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  if (!_cw_db_end_rows (db, stmt, rc, error))
    return FALSE;

  /* Seen already: a catch-up after a gap repeats what was applied before it. */
  if (write->seq <= last)
    return TRUE;

  if (write->workorder != NULL &&
      !_cw_store_write_workorder (db, write->workorder, write->flags, now, &write->outcome, error))
    return FALSE;

  if (!(stmt = _cw_db_prepare (db, write_sql, error)))
    return FALSE;
  _cw_bind_text (stmt, ":connection_id", write->connection_id);
  _cw_bind_int64 (stmt, ":seq", write->seq);
  _cw_bind_int64 (stmt, ":applied_at", now);
  if (!_cw_db_step_done (db, stmt, error))
    return FALSE;

  write->applied = TRUE;

  return TRUE;
}

/**
 * cw_store_apply_event:
 * @self: a #CwStore
 * @connection_id: the connection whose DMS sent the change
 * @seq: the change's sequence number, above 0
 * @workorder: (nullable): the workorder as the change gives it; %NULL for a change that
 *   could not be used, which is still marked applied so the stream moves on
 * @flags: as for cw_store_import_workorders()
 * @applied: (out) (optional): %FALSE when @seq was applied before and nothing changed
 * @outcome: (out) (optional): what happened to the workorder
 * @error: return location for a #CwStoreError
 *
 * Stores a DMS change event and moves the connection's event cursor to @seq in one
 * transaction, so that a change is applied once: a repeat of @seq, or of any earlier
 * change, does nothing. May be called from any thread.
 *
 * Returns: %TRUE on success; on failure nothing is stored and the cursor stays
 */
gboolean
cw_store_apply_event (CwStore          *self,
                      const char       *connection_id,
                      gint64            seq,
                      CwWorkorder      *workorder,
                      CwImportFlags     flags,
                      gboolean         *applied,
                      CwImportOutcome  *outcome,
                      GError          **error)
{
  CursorWrite write = { connection_id, seq, workorder, flags, FALSE, CW_IMPORT_UNCHANGED };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (connection_id != NULL, FALSE);
  g_return_val_if_fail (seq > 0, FALSE);
  g_return_val_if_fail (workorder == NULL || CW_IS_WORKORDER (workorder), FALSE);

  if (!run_write (self, write_cursor_event, &write, error))
    return FALSE;

  if (applied != NULL)
    *applied = write.applied;
  if (outcome != NULL)
    *outcome = write.outcome;

  return TRUE;
}

typedef struct
{
  const char *connection_id;
  gint64      seq;
} CursorReset;

static gboolean
write_cursor_reset (CwDb     *db,
                    gpointer  data,
                    GError  **error)
{
  static const char sql[] =
    "INSERT INTO event_cursor (connection_id, seq, applied_at)"
    " VALUES (:connection_id, :seq, :applied_at)"
    " ON CONFLICT (connection_id) DO UPDATE SET seq = excluded.seq, applied_at = excluded.applied_at";
  CursorReset *reset = data;
  sqlite3_stmt *stmt;

  if (!(stmt = _cw_db_prepare (db, sql, error)))
    return FALSE;
  _cw_bind_text (stmt, ":connection_id", reset->connection_id);
  _cw_bind_int64 (stmt, ":seq", reset->seq);
  _cw_bind_int64 (stmt, ":applied_at", now_unix ());

  return _cw_db_step_done (db, stmt, error);
}

/**
 * cw_store_reset_event_seq:
 * @self: a #CwStore
 * @connection_id: the connection whose DMS pushes events
 * @seq: where its change stream resumes: after this sequence number, 0 or more
 * @error: return location for a #CwStoreError
 *
 * Sets the connection's event cursor to @seq, whether that is after or before the last
 * change applied. Only for a DMS that lost the changes the cursor asks for (or whose
 * numbering started again): once the workorders of the connection were fetched again, the
 * stream resumes after the DMS's current number. May be called from any thread.
 *
 * Returns: %TRUE on success
 */
gboolean
cw_store_reset_event_seq (CwStore     *self,
                          const char  *connection_id,
                          gint64       seq,
                          GError     **error)
{
  CursorReset reset = { connection_id, seq };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (connection_id != NULL, FALSE);
  g_return_val_if_fail (seq >= 0, FALSE);

  return run_write (self, write_cursor_reset, &reset, error);
}

/**
 * cw_store_list_dms_keys:
 * @self: a #CwStore
 * @connection_id: a DMS connection
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (nullable): the DMS keys of every workorder the store holds for
 *   the connection, the latest appointment first (none last); %NULL with @error set
 */
GStrv
cw_store_list_dms_keys (CwStore     *self,
                        const char  *connection_id,
                        GError     **error)
{
  static const char sql[] =
    "SELECT dms_key FROM workorder WHERE connection_id = :connection_id"
    " ORDER BY appointment_at IS NULL, appointment_at DESC, id DESC";
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CW_IS_STORE (self), NULL);
  g_return_val_if_fail (connection_id != NULL, NULL);

  if (!(stmt = _cw_db_prepare (self->reader, sql, error)))
    return NULL;

  _cw_bind_text (stmt, ":connection_id", connection_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, _cw_column_text (stmt, 0));
  if (!_cw_db_end_rows (self->reader, stmt, rc, error))
    return NULL;

  return g_strv_builder_end (builder);
}

/**
 * cw_store_has_workorders:
 * @self: a #CwStore
 *
 * Cheaper than counting: used to tell "nothing imported yet" from "nothing on this day".
 *
 * Returns: %TRUE if the store holds at least one workorder; %FALSE also when it cannot tell
 */
gboolean
cw_store_has_workorders (CwStore *self)
{
  static const char sql[] = "SELECT EXISTS (SELECT 1 FROM workorder)";

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);

  return _cw_db_pragma_int (self->reader, sql, NULL) == 1;
}

/**
 * cw_store_check_integrity:
 * @self: a #CwStore
 * @error: return location for a #CwStoreError
 *
 * Runs SQLite's full integrity check and the foreign key check.
 *
 * Returns: %TRUE if the database is sound
 */
gboolean
cw_store_check_integrity (CwStore  *self,
                          GError  **error)
{
  static const char integrity_sql[] = "PRAGMA integrity_check";
  static const char foreign_key_sql[] = "PRAGMA foreign_key_check";
  sqlite3_stmt *stmt;
  g_autofree char *verdict = NULL;
  gboolean dangling;
  int rc;

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);

  if (!(stmt = _cw_db_prepare (self->reader, integrity_sql, error)))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    verdict = g_strdup (_cw_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _cw_db_set_error (self->reader, rc, error);
      return FALSE;
    }

  if (!(stmt = _cw_db_prepare (self->reader, foreign_key_sql, error)))
    return FALSE;
  dangling = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  if (g_strcmp0 (verdict, "ok") != 0 || dangling)
    {
      g_set_error (error, CW_STORE_ERROR, CW_STORE_ERROR_CORRUPT,
                   _("The workorder database is damaged (%s). Restore it from a backup."),
                   dangling ? "foreign key" : verdict);
      return FALSE;
    }

  return TRUE;
}

/*
 * Writeback: the connection's policy, mileage readings, and the outbox's states.
 */

typedef struct
{
  const char     *connection_id;
  CwCapabilities  policy;
} PolicyWrite;

static gboolean
write_policy (CwDb     *db,
              gpointer  data,
              GError  **error)
{
  PolicyWrite *write = data;

  return _cw_store_write_policy (db, write->connection_id, write->policy, error);
}

/**
 * cw_store_set_writeback:
 * @self: a #CwStore
 * @connection_id: a connection
 * @policy: what of its changes go to the DMS (cw_writeback_policy())
 * @error: return location for a #CwStoreError
 *
 * Tells the store which local changes of the connection's workorders it must queue in
 * the outbox, in the same transaction as the change. Until told, a connection writes
 * nothing back. Kept for this run only: the sync layer tells it again at start-up.
 *
 * Returns: %TRUE on success
 */
gboolean
cw_store_set_writeback (CwStore         *self,
                        const char      *connection_id,
                        CwCapabilities   policy,
                        GError         **error)
{
  PolicyWrite write = { connection_id, policy };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (connection_id != NULL, FALSE);

  return run_write (self, write_policy, &write, error);
}

typedef struct
{
  gint64    workorder_id;
  gint64    km;
  char     *actor;
  gboolean  queued;
} MileageWrite;

static void
mileage_write_free (MileageWrite *write)
{
  g_free (write->actor);
  g_free (write);
}

static gboolean
write_mileage (CwDb     *db,
               gpointer  data,
               GError  **error)
{
  MileageWrite *write = data;

  return _cw_store_write_mileage (db, write->workorder_id, write->km, write->actor,
                                  now_unix (), &write->queued, error);
}

/**
 * cw_store_record_mileage:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @km: the mileage read, in km
 * @actor: (nullable): who read it
 * @queued: (out) (optional): whether it goes to the DMS (writeback of mileage is on and
 *   it is higher than the DMS's)
 * @error: return location for a #CwStoreError
 *
 * Records a mileage reading, on the workorder and its timeline, and in the same
 * transaction queues it for the DMS when it must go there.
 *
 * Returns: %TRUE on success
 */
gboolean
cw_store_record_mileage (CwStore      *self,
                         gint64        workorder_id,
                         gint64        km,
                         const char   *actor,
                         gboolean     *queued,
                         GError      **error)
{
  MileageWrite write = { workorder_id, km, (char *) actor, FALSE };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);

  if (!run_write (self, write_mileage, &write, error))
    return FALSE;

  if (queued != NULL)
    *queued = write.queued;

  return TRUE;
}

static void
record_mileage_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  MileageWrite *write = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!run_write (source_object, write_mileage, write, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_store_record_mileage_async (CwStore             *self,
                               gint64               workorder_id,
                               gint64               km,
                               const char          *actor,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MileageWrite *write;

  g_return_if_fail (CW_IS_STORE (self));

  write = g_new0 (MileageWrite, 1);
  write->workorder_id = workorder_id;
  write->km = km;
  write->actor = g_strdup (actor);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_store_record_mileage_async);
  g_task_set_task_data (task, write, (GDestroyNotify) mileage_write_free);
  g_task_run_in_thread (task, record_mileage_thread);
}

gboolean
cw_store_record_mileage_finish (CwStore       *self,
                                GAsyncResult  *result,
                                gboolean      *queued,
                                GError       **error)
{
  MileageWrite *write;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cw_store_record_mileage_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  write = g_task_get_task_data (G_TASK (result));
  if (queued != NULL)
    *queued = write->queued;

  return TRUE;
}

typedef struct
{
  gint64          entry_id;
  CwOutboxUpdate  update;
  char           *message;
  char           *dms_ref;
} OutboxWrite;

static void
outbox_write_free (OutboxWrite *write)
{
  g_free (write->message);
  g_free (write->dms_ref);
  g_free (write);
}

static gboolean
write_outbox_update (CwDb     *db,
                     gpointer  data,
                     GError  **error)
{
  OutboxWrite *write = data;

  return _cw_store_write_outbox_update (db, write->entry_id, &write->update, now_unix (), error);
}

/**
 * cw_store_update_outbox:
 * @self: a #CwStore
 * @entry_id: the outbox entry
 * @update: the move to make
 * @error: return location for a #CwStoreError
 *
 * Moves an outbox entry on (see #CwOutboxTransition). Fails with
 * %CW_STORE_ERROR_NOT_FOUND when the entry is not in a state the move starts from.
 *
 * Returns: %TRUE on success
 */
gboolean
cw_store_update_outbox (CwStore               *self,
                        gint64                 entry_id,
                        const CwOutboxUpdate  *update,
                        GError               **error)
{
  OutboxWrite write = { entry_id, *update, NULL, NULL };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (update != NULL, FALSE);

  return run_write (self, write_outbox_update, &write, error);
}

static void
update_outbox_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;

  /* Not cancelled half-way: a request that went out must have its answer recorded. */
  if (!run_write (source_object, write_outbox_update, task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_store_update_outbox_async (CwStore               *self,
                              gint64                 entry_id,
                              const CwOutboxUpdate  *update,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  OutboxWrite *write;

  g_return_if_fail (CW_IS_STORE (self));
  g_return_if_fail (update != NULL);

  write = g_new0 (OutboxWrite, 1);
  write->entry_id = entry_id;
  write->update = *update;
  write->message = g_strdup (update->message);
  write->dms_ref = g_strdup (update->dms_ref);
  write->update.message = write->message;
  write->update.dms_ref = write->dms_ref;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_store_update_outbox_async);
  g_task_set_task_data (task, write, (GDestroyNotify) outbox_write_free);
  g_task_run_in_thread (task, update_outbox_thread);
}

gboolean
cw_store_update_outbox_finish (CwStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cw_store_update_outbox_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
write_outbox_recover (CwDb     *db,
                      gpointer  data,
                      GError  **error)
{
  return _cw_store_write_outbox_recover (db, error);
}

/**
 * cw_store_recover_outbox:
 * @self: a #CwStore
 * @error: return location for a #CwStoreError
 *
 * At start-up, before anything is sent: entries left in flight by a crash, a kill or a
 * power cut go back to pending, to be sent again with their own idempotency key.
 *
 * Returns: %TRUE on success
 */
gboolean
cw_store_recover_outbox (CwStore  *self,
                         GError  **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), FALSE);

  return run_write (self, write_outbox_recover, NULL, error);
}

/**
 * cw_store_list_outbox:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (element-type CwOutboxEntry) (nullable): the workorder's
 *   changes for the DMS, oldest first, without the dismissed ones
 */
GPtrArray *
cw_store_list_outbox (CwStore  *self,
                      gint64    workorder_id,
                      GError  **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), NULL);

  return _cw_store_read_outbox (self->reader, workorder_id, error);
}

/**
 * cw_store_list_outbox_heads:
 * @self: a #CwStore
 * @error: return location for a #CwStoreError
 *
 * Returns: (transfer full) (element-type CwOutboxEntry) (nullable): per workorder, the
 *   next change to send (pending or in flight), oldest first
 */
GPtrArray *
cw_store_list_outbox_heads (CwStore  *self,
                            GError  **error)
{
  g_return_val_if_fail (CW_IS_STORE (self), NULL);

  return _cw_store_read_outbox_heads (self->reader, error);
}

typedef struct
{
  gint64        workorder_id;
  CwOcwStatus  *status;
  CwOcwOutcome  outcome;
} OcwWrite;

static void
ocw_write_free (OcwWrite *write)
{
  g_clear_pointer (&write->status, cw_ocw_status_free);
  g_free (write);
}

static gboolean
write_ocw (CwDb     *db,
           gpointer  data,
           GError  **error)
{
  OcwWrite *write = data;

  return _cw_store_write_ocw (db, write->workorder_id, write->status, now_unix (), &write->outcome, error);
}

/**
 * cw_store_record_ocw:
 * @self: a #CwStore
 * @workorder_id: the workorder
 * @status: what PON said about its car
 * @outcome: (out) (optional): what followed
 * @error: return location for a #CwStoreError
 *
 * Stores PON's answer (state, mileage, portal, the time it was asked) and what follows
 * from it, in one transaction: the OCW safety intervention once when the car is
 * connected, the car's mileage as the workorder's live reading, and, for the DMS when the
 * connection writes them back, the intervention and a higher mileage (each mileage once).
 * A canceled or invoiced workorder only keeps the state.
 *
 * Returns: %TRUE on success
 */
gboolean
cw_store_record_ocw (CwStore            *self,
                     gint64              workorder_id,
                     const CwOcwStatus  *status,
                     CwOcwOutcome       *outcome,
                     GError            **error)
{
  OcwWrite write = { workorder_id, (CwOcwStatus *) status, { 0 } };

  g_return_val_if_fail (CW_IS_STORE (self), FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (!run_write (self, write_ocw, &write, error))
    return FALSE;

  if (outcome != NULL)
    *outcome = write.outcome;

  return TRUE;
}

static void
record_ocw_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  if (!run_write (source_object, write_ocw, task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_store_record_ocw_async (CwStore             *self,
                           gint64               workorder_id,
                           const CwOcwStatus   *status,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OcwWrite *write;

  g_return_if_fail (CW_IS_STORE (self));
  g_return_if_fail (status != NULL);

  write = g_new0 (OcwWrite, 1);
  write->workorder_id = workorder_id;
  write->status = cw_ocw_status_copy (status);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_store_record_ocw_async);
  g_task_set_task_data (task, write, (GDestroyNotify) ocw_write_free);
  /* Not cancellable once asked: PON's answer is kept. */
  g_task_run_in_thread (task, record_ocw_thread);
}

gboolean
cw_store_record_ocw_finish (CwStore       *self,
                            GAsyncResult  *result,
                            CwOcwOutcome  *outcome,
                            GError       **error)
{
  OcwWrite *write;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cw_store_record_ocw_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  write = g_task_get_task_data (G_TASK (result));
  if (outcome != NULL)
    *outcome = write->outcome;

  return TRUE;
}
