/* cria-request-plan.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Planning a request: which messages of a conversation go to the model,
 * within its context window, with which images and documents. Pure: it reads what it is
 * given and returns the request with what it left out.
 */

#include "config.h"

#include "cria-request-plan.h"
#include "cria-usage.h"

gint64
cria_request_plan_text_tokens (const char *text)
{
  return CRIA_REQUEST_TOKENS_PER_MESSAGE + cria_usage_estimate_tokens (text);
}

gint64
cria_request_plan_documents_tokens (GPtrArray *documents)
{
  gint64 tokens = 0;

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    tokens += ((CriaDocument *) g_ptr_array_index (documents, i))->tokens;

  return tokens;
}

gint64
cria_request_plan_message_tokens (CriaMessage *message)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (message), 0);

  return cria_request_plan_text_tokens (cria_message_get_content (message)) +
         cria_request_plan_documents_tokens (cria_message_get_documents (message));
}

/* The documents go first, so that the question that follows reads as being
 * about them; a blank line keeps each fence apart from what comes next. */
char *
cria_request_plan_message_text (CriaMessage *message)
{
  GPtrArray *documents;
  const char *content;
  GString *text;

  g_return_val_if_fail (CRIA_IS_MESSAGE (message), NULL);

  documents = cria_message_get_documents (message);
  content = cria_message_get_content (message);
  if (documents->len == 0)
    return g_strdup (content);

  text = g_string_new (NULL);
  for (guint i = 0; i < documents->len; i++)
    {
      g_autofree char *prompt = cria_document_to_prompt (g_ptr_array_index (documents, i));

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, prompt);
    }
  if (*content != '\0')
    {
      g_string_append_c (text, '\n');
      g_string_append (text, content);
    }

  return g_string_free (text, FALSE);
}

/* Reasoning never goes into a request, and neither do answers that failed or
 * are empty (a server may reject an empty assistant turn); an answer stopped
 * or cut off is sent as far as it got. An answer that only asked for tool
 * calls is not empty, and a tool message goes once its call has ended. */
gboolean
cria_request_plan_is_sendable (CriaMessage *message)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (message), FALSE);

  switch (cria_message_get_role (message))
    {
    case CRIA_ROLE_USER:
      return TRUE;
    case CRIA_ROLE_ASSISTANT:
      return cria_message_get_state (message) != CRIA_MESSAGE_STATE_FAILED &&
             cria_message_get_state (message) != CRIA_MESSAGE_STATE_STREAMING &&
             (*cria_message_get_content (message) != '\0' ||
              cria_message_get_tool_calls (message)->len > 0);
    case CRIA_ROLE_TOOL:
      return cria_message_get_tool_call (message) != NULL &&
             cria_tool_status_is_final (cria_message_get_tool_status (message));
    case CRIA_ROLE_SYSTEM:
    default:
      return FALSE;
    }
}

/* The context window less the room kept for the answer, which is the
 * model's max output, or a quarter of the window when that is unknown (or
 * would leave no room for the question). */
gint64
cria_request_plan_budget (CriaModel *model)
{
  gint64 context;
  gint64 reserve;

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
    total += cria_request_plan_message_tokens (g_ptr_array_index (history, i));

  last = history->len - 1;
  while (total > budget && first < last)
    {
      do
        {
          total -= cria_request_plan_message_tokens (g_ptr_array_index (history, first));
          first++;
        }
      while (first < last &&
             cria_message_get_role (g_ptr_array_index (history, first)) != CRIA_ROLE_USER);
    }

  return first;
}

/* Whether every call of @answer, at @index of @history, has its result in
 * the tool messages right after it: a server rejects calls without results,
 * and results without their calls. */
static gboolean
calls_answered (GPtrArray *history,
                guint      index)
{
  GPtrArray *calls = cria_message_get_tool_calls (g_ptr_array_index (history, index));

  for (guint i = 0; i < calls->len; i++)
    {
      const CriaToolCall *call = g_ptr_array_index (calls, i);
      gboolean found = FALSE;

      for (guint j = index + 1; !found && j < history->len; j++)
        {
          CriaMessage *next = g_ptr_array_index (history, j);
          const CriaToolCall *answered = cria_message_get_tool_call (next);

          if (cria_message_get_role (next) != CRIA_ROLE_TOOL)
            break;
          found = call->id != NULL && g_strcmp0 (answered->id, call->id) == 0;
        }

      if (!found)
        return FALSE;
    }

  return TRUE;
}

/* The message of the API for @message, %NULL when it does not go. *@open
 * tells a tool message whether the answer before it went with its calls. */
static CriaChatMessage *
to_api_message (GPtrArray *history,
                guint      index,
                gboolean  *open,
                gboolean   with_images,
                guint     *n_omitted_images)
{
  CriaMessage *message = g_ptr_array_index (history, index);
  CriaRole role = cria_message_get_role (message);
  g_autoptr(CriaChatMessage) api_message = NULL;
  const char * const *urls = cria_message_get_image_urls (message);
  GPtrArray *calls = cria_message_get_tool_calls (message);

  if (role == CRIA_ROLE_TOOL)
    {
      if (!*open)
        return NULL;
      api_message = cria_chat_message_new (role, cria_message_get_content (message));
      cria_chat_message_set_tool_call_id (api_message, cria_message_get_tool_call (message)->id);
      return g_steal_pointer (&api_message);
    }

  *open = role == CRIA_ROLE_ASSISTANT && calls->len > 0 && calls_answered (history, index);
  if (role == CRIA_ROLE_ASSISTANT && !*open && *cria_message_get_content (message) == '\0')
    return NULL;

  if (role == CRIA_ROLE_USER)
    {
      g_autofree char *text = cria_request_plan_message_text (message);

      api_message = cria_chat_message_new (role, text);
    }
  else
    api_message = cria_chat_message_new (role, cria_message_get_content (message));
  for (guint j = 0; urls[j] != NULL; j++)
    {
      if (with_images)
        cria_chat_message_add_image_url (api_message, urls[j]);
      else
        (*n_omitted_images)++;
    }
  for (guint j = 0; *open && j < calls->len; j++)
    cria_chat_message_add_tool_call (api_message, g_ptr_array_index (calls, j));

  return g_steal_pointer (&api_message);
}

/**
 * cria_request_plan_new:
 * @model_id: (nullable): the model to ask
 * @system_prompt: (nullable): sent first when not empty
 * @params: (nullable): the sampling parameters
 * @messages: (element-type CriaMessage): the conversation, oldest first
 * @end: the messages before this position are the history to send
 * @budget: the tokens the request may use, or -1 for no limit
 * @with_images: whether the model sees images; a model known to see none
 *   gets the text of earlier turns only, as servers of text models reject
 *   image parts
 *
 * Returns: (transfer full): the request, and what it leaves out
 */
CriaRequestPlan *
cria_request_plan_new (const char           *model_id,
                       const char           *system_prompt,
                       const CriaChatParams *params,
                       GPtrArray            *messages,
                       guint                 end,
                       gint64                budget,
                       gboolean              with_images)
{
  g_autoptr(CriaRequestPlan) plan = g_new0 (CriaRequestPlan, 1);
  g_autoptr(GPtrArray) history = g_ptr_array_new ();
  gint64 fixed = 0;
  gboolean open = FALSE;
  guint first;

  g_return_val_if_fail (messages != NULL, NULL);
  g_return_val_if_fail (end <= messages->len, NULL);

  plan->request = cria_chat_request_new (model_id);
  cria_chat_request_set_stream (plan->request, TRUE);
  cria_chat_params_apply (params, plan->request);

  if (system_prompt != NULL && *system_prompt != '\0')
    {
      g_autoptr(CriaChatMessage) system = cria_chat_message_new (CRIA_ROLE_SYSTEM, system_prompt);

      cria_chat_request_add_message (plan->request, system);
      fixed = cria_request_plan_text_tokens (system_prompt);
    }

  for (guint i = 0; i < end; i++)
    {
      CriaMessage *message = g_ptr_array_index (messages, i);

      if (cria_request_plan_is_sendable (message))
        g_ptr_array_add (history, message);
    }

  first = plan_omitted (history, fixed, budget);
  plan->n_omitted_messages = first;

  for (guint i = first; i < history->len; i++)
    {
      g_autoptr(CriaChatMessage) api_message = NULL;

      api_message = to_api_message (history, i, &open, with_images, &plan->n_omitted_images);
      if (api_message != NULL)
        cria_chat_request_add_message (plan->request, api_message);
    }

  return g_steal_pointer (&plan);
}

void
cria_request_plan_free (CriaRequestPlan *plan)
{
  if (plan == NULL)
    return;

  g_clear_object (&plan->request);
  g_free (plan);
}
