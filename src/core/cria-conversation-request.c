/* cria-conversation-request.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-catalogue.h"
#include "cria-conversation-private.h"

/* What of a conversation goes to the model: which messages, within the
 * model's context window, with which images, and how large the request is. */

/* Chat-template framing around each message, in tokens. */
#define TOKENS_PER_MESSAGE 4

static gint64
text_tokens (const char *text)
{
  return TOKENS_PER_MESSAGE + cria_usage_estimate_tokens (text);
}

/* Whether @message goes into a request. Reasoning never does, and neither do
 * answers that failed or are empty (a server may reject an empty assistant
 * turn); an answer stopped or cut off is sent as far as it got. */
static gboolean
is_sendable (CriaMessage *message)
{
  switch (cria_message_get_role (message))
    {
    case CRIA_ROLE_USER:
      return TRUE;
    case CRIA_ROLE_ASSISTANT:
      return cria_message_get_state (message) != CRIA_MESSAGE_STATE_FAILED &&
             cria_message_get_state (message) != CRIA_MESSAGE_STATE_STREAMING &&
             *cria_message_get_content (message) != '\0';
    case CRIA_ROLE_SYSTEM:
    case CRIA_ROLE_TOOL:
    default:
      return FALSE;
    }
}

static gboolean
has_system_prompt (CriaConversation *self)
{
  return self->system_prompt != NULL && *self->system_prompt != '\0';
}

gint64
_cria_conversation_history_tokens (CriaConversation *self,
                                   guint             end)
{
  gint64 tokens = has_system_prompt (self) ? text_tokens (self->system_prompt) : 0;

  for (guint i = 0; i < end; i++)
    {
      CriaMessage *message = g_ptr_array_index (self->messages, i);

      if (is_sendable (message))
        tokens += text_tokens (cria_message_get_content (message));
    }

  return tokens;
}

/* The tokens a request may use: the context window less the room kept for the
 * answer, which is the model's max output, or a quarter of the window when that
 * is unknown (or would leave no room for the question). -1 when unknown. */
static gint64
get_budget (CriaConversation *self)
{
  CriaModel *model;
  gint64 context;
  gint64 reserve;

  if (self->models == NULL || self->model_id == NULL)
    return -1;

  model = cria_catalogue_find (self->models, self->model_id);
  if (model == NULL || cria_model_get_context_length (model) <= 0)
    return -1;

  context = cria_model_get_context_length (model);
  reserve = cria_model_get_max_output (model);
  if (reserve <= 0 || reserve >= context)
    reserve = context / 4;

  return context - reserve;
}

/* How many of @history (oldest first, the newest user message last) to leave
 * out so that the request fits @budget. Whole turns go, oldest first: a turn
 * is a user message and the answers that follow it, so the request still
 * starts with a user message, as some chat templates demand. The newest user
 * message always stays; if it alone does not fit, the server says so. */
static guint
plan_omitted (GPtrArray *history,
              gint64     fixed_tokens,
              gint64     budget)
{
  gint64 total = fixed_tokens;
  guint first = 0;
  guint last;

  if (budget < 0 || history->len == 0)
    return 0;

  for (guint i = 0; i < history->len; i++)
    total += text_tokens (cria_message_get_content (g_ptr_array_index (history, i)));

  last = history->len - 1;
  while (total > budget && first < last)
    {
      do
        {
          total -= text_tokens (cria_message_get_content (g_ptr_array_index (history, first)));
          first++;
        }
      while (first < last &&
             cria_message_get_role (g_ptr_array_index (history, first)) != CRIA_ROLE_USER);
    }

  return first;
}

CriaChatRequest *
_cria_conversation_build_request (CriaConversation *self,
                                  guint             end)
{
  g_autoptr(CriaChatRequest) request = cria_chat_request_new (self->model_id);
  g_autoptr(GPtrArray) history = g_ptr_array_new ();
  gint64 fixed = 0;
  gboolean with_images;
  guint first;

  cria_chat_request_set_stream (request, TRUE);
  cria_chat_params_apply (self->params, request);

  if (has_system_prompt (self))
    {
      g_autoptr(CriaChatMessage) system = cria_chat_message_new (CRIA_ROLE_SYSTEM, self->system_prompt);

      cria_chat_request_add_message (request, system);
      fixed = text_tokens (self->system_prompt);
    }

  for (guint i = 0; i < end; i++)
    {
      CriaMessage *message = g_ptr_array_index (self->messages, i);

      if (is_sendable (message))
        g_ptr_array_add (history, message);
    }

  first = plan_omitted (history, fixed, get_budget (self));
  /* A model known to see no images gets the text of earlier turns only:
   * servers of text models reject image parts. New images never reach such
   * a model: sending them is refused. */
  with_images = cria_conversation_can_see_images (self);

  for (guint i = first; i < history->len; i++)
    {
      CriaMessage *message = g_ptr_array_index (history, i);
      g_autoptr(CriaChatMessage) api_message = NULL;
      const char * const *urls = cria_message_get_image_urls (message);

      api_message = cria_chat_message_new (cria_message_get_role (message),
                                           cria_message_get_content (message));
      for (guint j = 0; with_images && urls[j] != NULL; j++)
        cria_chat_message_add_image_url (api_message, urls[j]);
      cria_chat_request_add_message (request, api_message);
    }

  _cria_conversation_set_n_omitted_messages (self, first);

  return g_steal_pointer (&request);
}

/**
 * cria_conversation_would_overflow:
 * @text: the message about to be sent
 *
 * Returns: %TRUE when the history with @text does not fit the model's context
 *   window (less the room for the answer): sending it would leave out older
 *   turns. %FALSE when the model's window is unknown.
 */
gboolean
cria_conversation_would_overflow (CriaConversation *self,
                                  const char       *text)
{
  gint64 budget;

  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);

  budget = get_budget (self);
  if (budget < 0)
    return FALSE;

  return self->context_tokens + text_tokens (text) > budget;
}

gint64
_cria_conversation_request_size (CriaConversation   *self,
                                 const char         *text,
                                 const char * const *image_urls)
{
  /* The model, parameters and JSON framing. */
  gint64 size = 512;
  gboolean with_images = cria_conversation_can_see_images (self);

  if (has_system_prompt (self))
    size += strlen (self->system_prompt) + 64;

  for (guint i = 0; i < self->messages->len; i++)
    {
      CriaMessage *message = g_ptr_array_index (self->messages, i);
      const char * const *urls = cria_message_get_image_urls (message);

      if (!is_sendable (message))
        continue;
      size += strlen (cria_message_get_content (message)) + 64;
      for (guint j = 0; with_images && urls[j] != NULL; j++)
        size += strlen (urls[j]) + 64;
    }

  size += (text != NULL ? strlen (text) : 0) + 64;
  for (guint j = 0; image_urls != NULL && image_urls[j] != NULL; j++)
    size += strlen (image_urls[j]) + 64;

  return size;
}

/**
 * cria_conversation_estimate_request_size:
 * @text: (nullable): the message about to be sent
 * @image_urls: (nullable): the images about to be sent with it
 *
 * Returns: about how many bytes the request sending @text and @image_urls
 *   would be, the history and its images included
 */
gint64
cria_conversation_estimate_request_size (CriaConversation   *self,
                                         const char         *text,
                                         const char * const *image_urls)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0);

  return _cria_conversation_request_size (self, text, image_urls);
}

void
cria_conversation_set_max_request_size (CriaConversation *self,
                                        gint64            max_size)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  self->max_request_size = max_size;
}

gint64
cria_conversation_get_max_request_size (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0);

  return self->max_request_size;
}

/**
 * cria_conversation_can_see_images:
 *
 * Returns: %FALSE when the conversation's model is known to take no images
 *   (it has no vision capability): images sent to it would be dropped.
 *   %TRUE when it has the capability, and when nothing is known about it.
 */
gboolean
cria_conversation_can_see_images (CriaConversation *self)
{
  CriaModel *model;

  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);

  if (self->models == NULL || self->model_id == NULL)
    return TRUE;

  model = cria_catalogue_find (self->models, self->model_id);
  if (model == NULL || !cria_model_get_capabilities_known (model))
    return TRUE;

  return cria_model_has_capability (model, CRIA_MODEL_CAPABILITY_VISION);
}
