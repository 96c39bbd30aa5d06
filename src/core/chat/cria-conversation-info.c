/* cria-conversation-info.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-conversation-info.h"

struct _CriaConversationInfo
{
  GObject  parent_instance;

  char    *id;
  char    *title;
  char    *model;
  gboolean pinned;
  gint64   created;
  gint64   updated;
};

G_DEFINE_FINAL_TYPE (CriaConversationInfo, cria_conversation_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_MODEL,
  PROP_PINNED,
  PROP_UPDATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cria_conversation_info_finalize (GObject *object)
{
  CriaConversationInfo *self = CRIA_CONVERSATION_INFO (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->model);

  G_OBJECT_CLASS (cria_conversation_info_parent_class)->finalize (object);
}

static void
cria_conversation_info_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CriaConversationInfo *self = CRIA_CONVERSATION_INFO (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PINNED:
      g_value_set_boolean (value, self->pinned);
      break;
    case PROP_UPDATED:
      g_value_set_int64 (value, self->updated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_conversation_info_class_init (CriaConversationInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cria_conversation_info_finalize;
  object_class->get_property = cria_conversation_info_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PINNED] =
    g_param_spec_boolean ("pinned", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED] =
    g_param_spec_int64 ("updated", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_conversation_info_init (CriaConversationInfo *self)
{
}

CriaConversationInfo *
cria_conversation_info_new (const CriaConversationRecord *record)
{
  CriaConversationInfo *self;

  g_return_val_if_fail (record != NULL && record->id != NULL, NULL);

  self = g_object_new (CRIA_TYPE_CONVERSATION_INFO, NULL);
  self->id = g_strdup (record->id);
  self->title = g_strdup (record->title);
  self->model = g_strdup (record->model);
  self->pinned = record->pinned;
  self->created = record->created;
  self->updated = record->updated;

  return self;
}

void
cria_conversation_info_update (CriaConversationInfo         *self,
                               const CriaConversationRecord *record)
{
  g_return_if_fail (CRIA_IS_CONVERSATION_INFO (self));
  g_return_if_fail (record != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->title, record->title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (record->title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  if (g_strcmp0 (self->model, record->model) != 0)
    {
      g_free (self->model);
      self->model = g_strdup (record->model);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
    }
  if (self->pinned != record->pinned)
    {
      self->pinned = record->pinned;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED]);
    }
  if (self->updated != record->updated)
    {
      self->updated = record->updated;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

int
cria_conversation_info_compare (CriaConversationInfo *a,
                                CriaConversationInfo *b)
{
  if (a->pinned != b->pinned)
    return a->pinned ? -1 : 1;
  if (a->updated != b->updated)
    return a->updated > b->updated ? -1 : 1;

  return g_strcmp0 (a->id, b->id);
}

const char *
cria_conversation_info_get_id (CriaConversationInfo *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_INFO (self), NULL);

  return self->id;
}

const char *
cria_conversation_info_get_title (CriaConversationInfo *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_INFO (self), NULL);

  return self->title;
}

const char *
cria_conversation_info_get_model (CriaConversationInfo *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_INFO (self), NULL);

  return self->model;
}

gboolean
cria_conversation_info_get_pinned (CriaConversationInfo *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_INFO (self), FALSE);

  return self->pinned;
}

gint64
cria_conversation_info_get_created (CriaConversationInfo *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_INFO (self), 0);

  return self->created;
}

gint64
cria_conversation_info_get_updated (CriaConversationInfo *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_INFO (self), 0);

  return self->updated;
}
