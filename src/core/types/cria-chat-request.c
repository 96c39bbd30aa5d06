/* cria-chat-request.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-chat-request.h"

/* An optional number: a parameter the user never set stays out of the body. */
typedef struct
{
  gboolean set;
  double   value;
} OptionalDouble;

typedef struct
{
  gboolean set;
  gint64   value;
} OptionalInt;

struct _CriaChatRequest
{
  GObject         parent_instance;

  char           *model;
  GPtrArray      *messages;
  gboolean        stream;
  OptionalDouble  temperature;
  OptionalDouble  top_p;
  OptionalDouble  frequency_penalty;
  OptionalDouble  presence_penalty;
  OptionalInt     max_tokens;
  OptionalInt     seed;
  char          **stop;
  char           *response_format_json;
  char           *tools_json;
  char           *tool_choice_json;
};

G_DEFINE_FINAL_TYPE (CriaChatRequest, cria_chat_request, G_TYPE_OBJECT)

static void
cria_chat_request_finalize (GObject *object)
{
  CriaChatRequest *self = CRIA_CHAT_REQUEST (object);

  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->stop, g_strfreev);
  g_clear_pointer (&self->response_format_json, g_free);
  g_clear_pointer (&self->tools_json, g_free);
  g_clear_pointer (&self->tool_choice_json, g_free);

  G_OBJECT_CLASS (cria_chat_request_parent_class)->finalize (object);
}

static void
cria_chat_request_class_init (CriaChatRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cria_chat_request_finalize;
}

static void
cria_chat_request_init (CriaChatRequest *self)
{
  self->messages = g_ptr_array_new_with_free_func (g_object_unref);
  self->stream = TRUE;
}

CriaChatRequest *
cria_chat_request_new (const char *model)
{
  CriaChatRequest *self = g_object_new (CRIA_TYPE_CHAT_REQUEST, NULL);

  self->model = g_strdup (model);

  return self;
}

const char *
cria_chat_request_get_model (CriaChatRequest *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REQUEST (self), NULL);

  return self->model;
}

void
cria_chat_request_set_model (CriaChatRequest *self,
                             const char      *model)
{
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (self));

  g_free (self->model);
  self->model = g_strdup (model);
}

void
cria_chat_request_add_message (CriaChatRequest *self,
                               CriaChatMessage *message)
{
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (self));
  g_return_if_fail (CRIA_IS_CHAT_MESSAGE (message));

  g_ptr_array_add (self->messages, g_object_ref (message));
}

/**
 * cria_chat_request_get_messages:
 *
 * Returns: (transfer none) (element-type CriaChatMessage): the messages
 */
GPtrArray *
cria_chat_request_get_messages (CriaChatRequest *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REQUEST (self), NULL);

  return self->messages;
}

gboolean
cria_chat_request_get_stream (CriaChatRequest *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REQUEST (self), TRUE);

  return self->stream;
}

void
cria_chat_request_set_stream (CriaChatRequest *self,
                              gboolean         stream)
{
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (self));

  self->stream = !!stream;
}

static gboolean
optional_double_get (const OptionalDouble *opt,
                     double               *value)
{
  if (opt->set && value != NULL)
    *value = opt->value;
  return opt->set;
}

static gboolean
optional_int_get (const OptionalInt *opt,
                  gint64            *value)
{
  if (opt->set && value != NULL)
    *value = opt->value;
  return opt->set;
}

#define DEFINE_OPTIONAL_DOUBLE(field)                                          \
void                                                                           \
cria_chat_request_set_##field (CriaChatRequest *self,                          \
                               double           value)                         \
{                                                                              \
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (self));                              \
  self->field.set = TRUE;                                                      \
  self->field.value = value;                                                   \
}                                                                              \
                                                                               \
gboolean                                                                       \
cria_chat_request_get_##field (CriaChatRequest *self,                          \
                               double          *value)                         \
{                                                                              \
  g_return_val_if_fail (CRIA_IS_CHAT_REQUEST (self), FALSE);                   \
  return optional_double_get (&self->field, value);                            \
}

#define DEFINE_OPTIONAL_INT(field)                                             \
void                                                                           \
cria_chat_request_set_##field (CriaChatRequest *self,                          \
                               gint64           value)                         \
{                                                                              \
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (self));                              \
  self->field.set = TRUE;                                                      \
  self->field.value = value;                                                   \
}                                                                              \
                                                                               \
gboolean                                                                       \
cria_chat_request_get_##field (CriaChatRequest *self,                          \
                               gint64          *value)                         \
{                                                                              \
  g_return_val_if_fail (CRIA_IS_CHAT_REQUEST (self), FALSE);                   \
  return optional_int_get (&self->field, value);                               \
}

DEFINE_OPTIONAL_DOUBLE (temperature)
DEFINE_OPTIONAL_DOUBLE (top_p)
DEFINE_OPTIONAL_DOUBLE (frequency_penalty)
DEFINE_OPTIONAL_DOUBLE (presence_penalty)
DEFINE_OPTIONAL_INT (max_tokens)
DEFINE_OPTIONAL_INT (seed)

/**
 * cria_chat_request_set_stop:
 * @stop: (nullable) (array zero-terminated=1): stop sequences, or %NULL for none
 */
void
cria_chat_request_set_stop (CriaChatRequest    *self,
                            const char * const *stop)
{
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (self));

  g_clear_pointer (&self->stop, g_strfreev);
  if (stop != NULL && stop[0] != NULL)
    self->stop = g_strdupv ((char **) stop);
}

const char * const *
cria_chat_request_get_stop (CriaChatRequest *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REQUEST (self), NULL);

  return (const char * const *) self->stop;
}

#define DEFINE_JSON_TEXT(field)                                                \
void                                                                           \
cria_chat_request_set_##field##_json (CriaChatRequest *self,                   \
                                      const char      *json)                   \
{                                                                              \
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (self));                              \
  g_free (self->field##_json);                                                 \
  self->field##_json = (json != NULL && *json != '\0') ? g_strdup (json) : NULL; \
}                                                                              \
                                                                               \
const char *                                                                   \
cria_chat_request_get_##field##_json (CriaChatRequest *self)                   \
{                                                                              \
  g_return_val_if_fail (CRIA_IS_CHAT_REQUEST (self), NULL);                    \
  return self->field##_json;                                                   \
}

DEFINE_JSON_TEXT (response_format)
DEFINE_JSON_TEXT (tools)
DEFINE_JSON_TEXT (tool_choice)
