/* cria-model-source.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cria-model-source.h"

#define RETRY_MIN_S 5
#define RETRY_MAX_S 300

struct _CriaModelSource
{
  GObject       parent_instance;

  CriaClient   *client;
  GListModel   *models;
  GCancellable *cancellable;
  guint         retry_id;
  guint         retry_delay;
  gboolean      ready;
  gboolean      refresh_when_ready;
};

G_DEFINE_FINAL_TYPE (CriaModelSource, cria_model_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODELS,
  N_PROPS
};

enum {
  REFRESH_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
retry_cb (gpointer user_data)
{
  CriaModelSource *self = user_data;

  self->retry_id = 0;
  cria_model_source_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CriaModelSource) self = user_data;
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;

  models = cria_client_list_models_finish (CRIA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (models == NULL)
    {
      /* The list on hand still serves; Cria keeps trying, backing off. */
      self->retry_delay = CLAMP (self->retry_delay * 2, RETRY_MIN_S, RETRY_MAX_S);
      g_clear_handle_id (&self->retry_id, g_source_remove);
      self->retry_id = g_timeout_add_seconds (self->retry_delay, retry_cb, self);
      g_signal_emit (self, signals[REFRESH_FAILED], 0, error, self->retry_delay);
      return;
    }

  self->retry_delay = 0;
  if (g_set_object (&self->models, models))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS]);
}

static void
cria_model_source_dispose (GObject *object)
{
  CriaModelSource *self = CRIA_MODEL_SOURCE (object);

  cria_model_source_stop (self);
  g_clear_object (&self->models);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (cria_model_source_parent_class)->dispose (object);
}

static void
cria_model_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CriaModelSource *self = CRIA_MODEL_SOURCE (object);

  switch (prop_id)
    {
    case PROP_MODELS:
      g_value_set_object (value, self->models);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_model_source_class_init (CriaModelSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_model_source_dispose;
  object_class->get_property = cria_model_source_get_property;

  properties[PROP_MODELS] =
    g_param_spec_object ("models", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CriaModelSource::refresh-failed:
   * @error: why the list could not be had
   * @retry_delay: the seconds until the next try
   */
  signals[REFRESH_FAILED] =
    g_signal_new ("refresh-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_ERROR, G_TYPE_UINT);
}

static void
cria_model_source_init (CriaModelSource *self)
{
}

CriaModelSource *
cria_model_source_new (CriaClient *client,
                       GListModel *models)
{
  CriaModelSource *self;

  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (models == NULL || G_IS_LIST_MODEL (models), NULL);

  self = g_object_new (CRIA_TYPE_MODEL_SOURCE, NULL);
  self->client = g_object_ref (client);
  g_set_object (&self->models, models);

  return self;
}

GListModel *
cria_model_source_get_models (CriaModelSource *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_SOURCE (self), NULL);

  return self->models;
}

void
cria_model_source_refresh (CriaModelSource *self)
{
  g_return_if_fail (CRIA_IS_MODEL_SOURCE (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  cria_client_list_models_async (self->client, self->cancellable, listed_cb, g_object_ref (self));
}

void
cria_model_source_queue_refresh (CriaModelSource *self)
{
  g_return_if_fail (CRIA_IS_MODEL_SOURCE (self));

  if (self->ready)
    cria_model_source_refresh (self);
  else
    self->refresh_when_ready = TRUE;
}

gboolean
cria_model_source_get_ready (CriaModelSource *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_SOURCE (self), FALSE);

  return self->ready;
}

void
cria_model_source_set_ready (CriaModelSource *self)
{
  g_return_if_fail (CRIA_IS_MODEL_SOURCE (self));

  self->ready = TRUE;
  if (self->refresh_when_ready)
    {
      self->refresh_when_ready = FALSE;
      cria_model_source_refresh (self);
    }
}

guint
cria_model_source_get_retry_delay (CriaModelSource *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_SOURCE (self), 0);

  return self->retry_delay;
}

void
cria_model_source_stop (CriaModelSource *self)
{
  g_return_if_fail (CRIA_IS_MODEL_SOURCE (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}
