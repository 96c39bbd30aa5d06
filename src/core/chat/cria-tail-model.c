/* cria-tail-model.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-tail-model.h"

struct _CriaTailModel
{
  GObject     parent_instance;

  GListModel *model;
  guint       offset;
};

static void cria_tail_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaTailModel, cria_tail_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cria_tail_model_list_model_init))

static GType
cria_tail_model_get_item_type (GListModel *list)
{
  CriaTailModel *self = CRIA_TAIL_MODEL (list);

  return g_list_model_get_item_type (self->model);
}

static guint
cria_tail_model_get_n_items (GListModel *list)
{
  CriaTailModel *self = CRIA_TAIL_MODEL (list);

  return g_list_model_get_n_items (self->model) - self->offset;
}

static gpointer
cria_tail_model_get_item (GListModel *list,
                          guint       position)
{
  CriaTailModel *self = CRIA_TAIL_MODEL (list);

  if (position > G_MAXUINT - self->offset)
    return NULL;

  return g_list_model_get_item (self->model, self->offset + position);
}

static void
cria_tail_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cria_tail_model_get_item_type;
  iface->get_n_items = cria_tail_model_get_n_items;
  iface->get_item = cria_tail_model_get_item;
}

static void
items_changed_cb (CriaTailModel *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *model)
{
  guint old_offset = self->offset;

  if (position >= old_offset)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position - old_offset, removed, added);
      return;
    }

  if (position + removed <= old_offset)
    {
      /* Before the tail: it stays the same items, now elsewhere. */
      self->offset = old_offset - removed + added;
      return;
    }

  /* The change reaches into the tail: its new items start the tail. */
  self->offset = position;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, position + removed - old_offset, added);
}

static void
cria_tail_model_dispose (GObject *object)
{
  CriaTailModel *self = CRIA_TAIL_MODEL (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, items_changed_cb, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cria_tail_model_parent_class)->dispose (object);
}

static void
cria_tail_model_class_init (CriaTailModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_tail_model_dispose;
}

static void
cria_tail_model_init (CriaTailModel *self)
{
}

CriaTailModel *
cria_tail_model_new (GListModel *model,
                     guint       n_shown)
{
  CriaTailModel *self;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (CRIA_TYPE_TAIL_MODEL, NULL);
  self->model = g_object_ref (model);
  n = g_list_model_get_n_items (model);
  self->offset = n > n_shown ? n - n_shown : 0;
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (items_changed_cb), self);

  return self;
}

GListModel *
cria_tail_model_get_model (CriaTailModel *self)
{
  g_return_val_if_fail (CRIA_IS_TAIL_MODEL (self), NULL);

  return self->model;
}

guint
cria_tail_model_get_offset (CriaTailModel *self)
{
  g_return_val_if_fail (CRIA_IS_TAIL_MODEL (self), 0);

  return self->offset;
}

guint
cria_tail_model_show_more (CriaTailModel *self,
                           guint          n)
{
  guint shown;

  g_return_val_if_fail (CRIA_IS_TAIL_MODEL (self), 0);

  shown = MIN (n, self->offset);
  if (shown == 0)
    return 0;

  self->offset -= shown;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, shown);

  return shown;
}

guint
cria_tail_model_show_from (CriaTailModel *self,
                           guint          position)
{
  g_return_val_if_fail (CRIA_IS_TAIL_MODEL (self), 0);

  if (position < self->offset)
    cria_tail_model_show_more (self, self->offset - position);

  return position - self->offset;
}
