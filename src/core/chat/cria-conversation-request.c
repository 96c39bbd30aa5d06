/* cria-conversation-request.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-catalogue.h"
#include "cria-conversation-private.h"

/* What of a conversation goes to the model: its plan (cria-request-plan.c)
 * made from the conversation's state, and how large the request is. */

static gint64
text_tokens (const char *text)
{
  return cria_request_plan_text_tokens (text);
}

static gboolean
is_sendable (CriaMessage *message)
{
  return cria_request_plan_is_sendable (message);
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
        tokens += cria_request_plan_message_tokens_limited (message, _cria_conversation_document_limit (self));
    }

  return tokens;
}

/* The tokens a request may use (see cria_request_plan_budget()); -1 when
 * unknown. */
static gint64
get_budget (CriaConversation *self)
{
  if (self->models == NULL || self->model_id == NULL)
    return -1;

  return cria_request_plan_budget (cria_catalogue_find (self->models, self->model_id));
}

/* The plan for a request of the messages before @end, within the context
 * budget; the conversation is left as it is. */
CriaRequestPlan *
_cria_conversation_plan_request (CriaConversation *self,
                                 guint             end,
                                 const char       *retrieved)
{
  return cria_request_plan_new_full (self->model_id, self->system_prompt, self->params,
                                     self->messages, end, get_budget (self),
                                     cria_conversation_can_see_images (self),
                                     _cria_conversation_document_limit (self), retrieved);
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

/* About the bytes @documents add to a message: each one's name and fence
 * around its pages, which JSON carries about as long as they are. */
static gint64
documents_size (CriaConversation *self,
                GPtrArray        *all_documents)
{
  g_autoptr(GPtrArray) documents = NULL;
  gint64 size = 0;

  /* Searched documents go as passages, at most the inline limit's worth. */
  cria_request_plan_split_documents (all_documents, _cria_conversation_document_limit (self), &documents, NULL);
  if (documents->len < (all_documents != NULL ? all_documents->len : 0))
    size += cria_conversation_get_inline_document_limit (self) * 4;
  for (guint i = 0; i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);

      size += strlen (document->name) + 64;
      for (guint j = 0; j < document->pages->len; j++)
        size += strlen (g_ptr_array_index (document->pages, j)) + 16;
    }

  return size;
}

gint64
_cria_conversation_request_size (CriaConversation   *self,
                                 const char         *text,
                                 const char * const *image_urls,
                                 GPtrArray          *documents)
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
      size += documents_size (self, cria_message_get_documents (message));
      for (guint j = 0; with_images && urls[j] != NULL; j++)
        size += strlen (urls[j]) + 64;
    }

  size += (text != NULL ? strlen (text) : 0) + 64;
  size += documents_size (self, documents);
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
 *   would be, the history with its images and documents included
 */
gint64
cria_conversation_estimate_request_size (CriaConversation   *self,
                                         const char         *text,
                                         const char * const *image_urls)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0);

  return _cria_conversation_request_size (self, text, image_urls, NULL);
}

/**
 * cria_conversation_get_inline_document_limit:
 *
 * Returns: in tokens, how much document text one message may carry inline:
 *   a quarter of the model's context length when it is known, else a
 *   quarter of 8,192. The rest of the window is left to the history, the
 *   question and the answer.
 */
gint64
cria_conversation_get_inline_document_limit (CriaConversation *self)
{
  CriaModel *model = NULL;
  gint64 context = 0;

  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0);

  if (self->models != NULL && self->model_id != NULL)
    model = cria_catalogue_find (self->models, self->model_id);
  if (model != NULL)
    context = cria_model_get_context_length (model);
  if (context <= 0)
    context = 8192;

  return context / 4;
}

/* Whether @documents together fit in one message (see
 * cria_conversation_get_inline_document_limit()); if not, @error names the
 * largest, the one to take out first. */
gboolean
_cria_conversation_check_documents (CriaConversation  *self,
                                    GPtrArray         *documents,
                                    GError           **error)
{
  gint64 limit = cria_conversation_get_inline_document_limit (self);
  gint64 tokens = cria_request_plan_documents_tokens (documents);
  CriaDocument *largest = NULL;

  if (documents == NULL || documents->len == 0 || tokens <= limit)
    return TRUE;

  for (guint i = 0; i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);

      if (largest == NULL || document->tokens > largest->tokens)
        largest = document;
    }

  if (documents->len == 1)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                 _("The document “%s” is too long to send with a message: it is about %lld tokens, "
                   "and this model takes at most %lld tokens of documents at once. Attach a shorter part of it."),
                 largest->name, (long long) tokens, (long long) limit);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                 _("The documents are too long to send together: they are about %lld tokens, "
                   "and this model takes at most %lld tokens of documents at once. Remove “%s”, the longest, or attach shorter parts."),
                 (long long) tokens, (long long) limit, largest->name);

  return FALSE;
}

/**
 * cria_conversation_estimate_request_size_full:
 * @text: (nullable): the message about to be sent
 * @image_urls: (nullable): the images about to be sent with it
 * @documents: (nullable) (element-type CriaDocument): the documents about
 *   to be sent with it
 *
 * Returns: about how many bytes the request sending @text, @image_urls and
 *   @documents would be, the history with its images and documents included
 */
gint64
cria_conversation_estimate_request_size_full (CriaConversation   *self,
                                              const char         *text,
                                              const char * const *image_urls,
                                              GPtrArray          *documents)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0);

  return _cria_conversation_request_size (self, text, image_urls, documents);
}

gboolean
_cria_conversation_check_request_size (CriaConversation    *self,
                                       const char          *text,
                                       const char * const  *image_urls,
                                       GPtrArray           *documents,
                                       GError             **error)
{
  g_autofree char *size_text = NULL;
  g_autofree char *limit_text = NULL;
  gint64 size;

  if (self->max_request_size <= 0)
    return TRUE;

  size = _cria_conversation_request_size (self, text, image_urls, documents);
  if (size <= self->max_request_size)
    return TRUE;

  size_text = g_format_size (size);
  limit_text = g_format_size (self->max_request_size);
  if (documents != NULL && documents->len > 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                 _("This message would make a request of %s, more than the limit of %s. "
                   "Remove a document or an image, or start a new chat "
                   "(earlier documents and images are sent again with every message)."),
                 size_text, limit_text);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                 _("This message would make a request of %s, more than the limit of %s. "
                   "Remove an image, lower the image size in Preferences, or start a new chat "
                   "(earlier images are sent again with every message)."),
                 size_text, limit_text);

  return FALSE;
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
