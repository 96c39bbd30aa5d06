/* cria-chat-message.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-chat-message.h"
#include "cria-types-enums.h"

/* One message of a conversation as the API sees it. The reasoning a model
 * produced is kept with its message for display, but never sent back. */
struct _CriaChatMessage
{
  GObject    parent_instance;

  CriaRole   role;
  char      *content;
  char      *reasoning;
  char      *tool_call_id;
  GPtrArray *image_urls;
  GPtrArray *tool_calls;
};

G_DEFINE_FINAL_TYPE (CriaChatMessage, cria_chat_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROLE,
  PROP_CONTENT,
  PROP_REASONING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cria_chat_message_finalize (GObject *object)
{
  CriaChatMessage *self = CRIA_CHAT_MESSAGE (object);

  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->reasoning, g_free);
  g_clear_pointer (&self->tool_call_id, g_free);
  g_clear_pointer (&self->image_urls, g_ptr_array_unref);
  g_clear_pointer (&self->tool_calls, g_ptr_array_unref);

  G_OBJECT_CLASS (cria_chat_message_parent_class)->finalize (object);
}

static void
cria_chat_message_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CriaChatMessage *self = CRIA_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_CONTENT:
      g_value_set_string (value, self->content);
      break;
    case PROP_REASONING:
      g_value_set_string (value, self->reasoning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_chat_message_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CriaChatMessage *self = CRIA_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      self->role = g_value_get_enum (value);
      break;
    case PROP_CONTENT:
      cria_chat_message_set_content (self, g_value_get_string (value));
      break;
    case PROP_REASONING:
      cria_chat_message_set_reasoning (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_chat_message_class_init (CriaChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cria_chat_message_finalize;
  object_class->get_property = cria_chat_message_get_property;
  object_class->set_property = cria_chat_message_set_property;

  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       CRIA_TYPE_ROLE, CRIA_ROLE_USER,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTENT] =
    g_param_spec_string ("content", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASONING] =
    g_param_spec_string ("reasoning", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_chat_message_init (CriaChatMessage *self)
{
  self->image_urls = g_ptr_array_new_with_free_func (g_free);
  self->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_tool_call_free);
}

CriaChatMessage *
cria_chat_message_new (CriaRole    role,
                       const char *content)
{
  return g_object_new (CRIA_TYPE_CHAT_MESSAGE,
                       "role", role,
                       "content", content,
                       NULL);
}

CriaRole
cria_chat_message_get_role (CriaChatMessage *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_MESSAGE (self), CRIA_ROLE_USER);

  return self->role;
}

const char *
cria_chat_message_get_content (CriaChatMessage *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_MESSAGE (self), NULL);

  return self->content;
}

void
cria_chat_message_set_content (CriaChatMessage *self,
                               const char      *content)
{
  g_return_if_fail (CRIA_IS_CHAT_MESSAGE (self));

  if (g_strcmp0 (self->content, content) == 0)
    return;

  g_free (self->content);
  self->content = g_strdup (content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

const char *
cria_chat_message_get_reasoning (CriaChatMessage *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_MESSAGE (self), NULL);

  return self->reasoning;
}

void
cria_chat_message_set_reasoning (CriaChatMessage *self,
                                 const char      *reasoning)
{
  g_return_if_fail (CRIA_IS_CHAT_MESSAGE (self));

  if (g_strcmp0 (self->reasoning, reasoning) == 0)
    return;

  g_free (self->reasoning);
  self->reasoning = g_strdup (reasoning);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASONING]);
}

/**
 * cria_chat_message_add_image_url:
 * @self: a #CriaChatMessage
 * @url: an image URL, normally a `data:image/…;base64,` URL
 *
 * Attaches an image; the message is then sent as content parts.
 */
void
cria_chat_message_add_image_url (CriaChatMessage *self,
                                 const char      *url)
{
  g_return_if_fail (CRIA_IS_CHAT_MESSAGE (self));
  g_return_if_fail (url != NULL);

  g_ptr_array_add (self->image_urls, g_strdup (url));
}

/**
 * cria_chat_message_get_image_urls:
 *
 * Returns: (transfer none) (element-type utf8): the attached image URLs
 */
GPtrArray *
cria_chat_message_get_image_urls (CriaChatMessage *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_MESSAGE (self), NULL);

  return self->image_urls;
}

const char *
cria_chat_message_get_tool_call_id (CriaChatMessage *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_MESSAGE (self), NULL);

  return self->tool_call_id;
}

void
cria_chat_message_set_tool_call_id (CriaChatMessage *self,
                                    const char      *tool_call_id)
{
  g_return_if_fail (CRIA_IS_CHAT_MESSAGE (self));

  g_free (self->tool_call_id);
  self->tool_call_id = g_strdup (tool_call_id);
}

void
cria_chat_message_add_tool_call (CriaChatMessage    *self,
                                 const CriaToolCall *call)
{
  g_return_if_fail (CRIA_IS_CHAT_MESSAGE (self));
  g_return_if_fail (call != NULL);

  g_ptr_array_add (self->tool_calls, cria_tool_call_copy (call));
}

/**
 * cria_chat_message_get_tool_calls:
 *
 * Returns: (transfer none) (element-type CriaToolCall): the tool calls an
 *   assistant message made
 */
GPtrArray *
cria_chat_message_get_tool_calls (CriaChatMessage *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_MESSAGE (self), NULL);

  return self->tool_calls;
}

const char *
cria_role_to_string (CriaRole role)
{
  switch (role)
    {
    case CRIA_ROLE_SYSTEM:
      return "system";
    case CRIA_ROLE_USER:
      return "user";
    case CRIA_ROLE_ASSISTANT:
      return "assistant";
    case CRIA_ROLE_TOOL:
      return "tool";
    default:
      g_return_val_if_reached ("user");
    }
}

gboolean
cria_role_from_string (const char *text,
                       CriaRole   *role)
{
  static const CriaRole roles[] = {
    CRIA_ROLE_SYSTEM, CRIA_ROLE_USER, CRIA_ROLE_ASSISTANT, CRIA_ROLE_TOOL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      if (g_strcmp0 (text, cria_role_to_string (roles[i])) == 0)
        {
          *role = roles[i];
          return TRUE;
        }
    }

  return FALSE;
}
