/* cria-conversation-list.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-conversation-list.h"

struct _CriaConversationList
{
  GObject       parent_instance;

  CriaStore    *store;
  GCancellable *cancellable;
  /* Sorted by cria_conversation_info_compare(). */
  GPtrArray    *items;
  gboolean      loaded;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaConversationList, cria_conversation_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return CRIA_TYPE_CONVERSATION_INFO;
}

static guint
get_n_items (GListModel *model)
{
  return CRIA_CONVERSATION_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  CriaConversationList *self = CRIA_CONVERSATION_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

CriaConversationInfo *
cria_conversation_list_find (CriaConversationList *self,
                             const char           *id,
                             guint                *position)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_LIST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      CriaConversationInfo *info = g_ptr_array_index (self->items, i);

      if (g_str_equal (cria_conversation_info_get_id (info), id))
        {
          if (position != NULL)
            *position = i;
          return info;
        }
    }

  return NULL;
}

static guint
sorted_position (CriaConversationList *self,
                 CriaConversationInfo *info)
{
  guint low = 0;
  guint high = self->items->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (cria_conversation_info_compare (g_ptr_array_index (self->items, middle), info) < 0)
        low = middle + 1;
      else
        high = middle;
    }

  return low;
}

static void
conversation_changed_cb (CriaConversationList         *self,
                         const CriaConversationRecord *record)
{
  g_autoptr(CriaConversationInfo) info = NULL;
  guint old_position;
  guint position;

  info = cria_conversation_list_find (self, record->id, &old_position);
  if (info == NULL)
    {
      info = cria_conversation_info_new (record);
      position = sorted_position (self, info);
      g_ptr_array_insert (self->items, position, g_object_ref (info));
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      return;
    }

  g_object_ref (info);
  g_ptr_array_remove_index (self->items, old_position);
  cria_conversation_info_update (info, record);
  position = sorted_position (self, info);
  g_ptr_array_insert (self->items, position, g_object_ref (info));

  /* Same place: the row follows the notifications. A move is one change
   * over the rows from its old place to its new one, never a removal and
   * then an insertion: GTK 4.8's list view can abort on the removal half
   * (gtk_list_item_manager_ensure_items: item != NULL), as renaming the
   * conversation on screen from its row's menu did, moving that row from
   * the bottom of the sidebar to the top (tests/e2e/test-e2e.py). */
  if (position != old_position)
    {
      guint first = MIN (position, old_position);
      guint n = MAX (position, old_position) - first + 1;

      g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
    }
}

static void
conversation_removed_cb (CriaConversationList *self,
                         const char           *id)
{
  guint position;

  if (cria_conversation_list_find (self, id, &position) == NULL)
    return;

  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CriaConversationList) self = user_data;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  guint removed;

  records = cria_store_list_conversations_finish (CRIA_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (records == NULL)
    {
      g_debug ("No history to list: %s", error->message);
      records = g_ptr_array_new ();
    }

  /* The snapshot includes every change announced before it. */
  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (self->items, cria_conversation_info_new (g_ptr_array_index (records, i)));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
cria_conversation_list_dispose (GObject *object)
{
  CriaConversationList *self = CRIA_CONVERSATION_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cria_conversation_list_parent_class)->dispose (object);
}

static void
cria_conversation_list_finalize (GObject *object)
{
  CriaConversationList *self = CRIA_CONVERSATION_LIST (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (cria_conversation_list_parent_class)->finalize (object);
}

static void
cria_conversation_list_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CriaConversationList *self = CRIA_CONVERSATION_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_conversation_list_class_init (CriaConversationListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_conversation_list_dispose;
  object_class->finalize = cria_conversation_list_finalize;
  object_class->get_property = cria_conversation_list_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_conversation_list_init (CriaConversationList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

CriaConversationList *
cria_conversation_list_new (CriaStore *store)
{
  CriaConversationList *self;

  g_return_val_if_fail (CRIA_IS_STORE (store), NULL);

  self = g_object_new (CRIA_TYPE_CONVERSATION_LIST, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "conversation-changed", G_CALLBACK (conversation_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "conversation-removed", G_CALLBACK (conversation_removed_cb), self,
                           G_CONNECT_SWAPPED);
  cria_store_list_conversations_async (store, self->cancellable, listed_cb, g_object_ref (self));

  return self;
}

gboolean
cria_conversation_list_get_loaded (CriaConversationList *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_LIST (self), FALSE);

  return self->loaded;
}
