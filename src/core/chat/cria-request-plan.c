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
#include "cria-source.h"
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

static int
compare_tokens (gconstpointer a,
                gconstpointer b)
{
  const CriaDocument *da = *(CriaDocument * const *) a;
  const CriaDocument *db = *(CriaDocument * const *) b;

  return da->tokens < db->tokens ? -1 : da->tokens > db->tokens ? 1 : 0;
}

/**
 * cria_request_plan_split_documents:
 * @documents: (nullable) (element-type CriaDocument): a message's documents
 * @limit: the tokens of documents a message may carry inline; negative for
 *   no limit
 * @inline_documents: (out) (optional) (element-type CriaDocument): those sent
 *   whole, in their order
 * @searched: (out) (optional) (element-type CriaDocument): those searched
 *   instead, in their order
 *
 * The shortest documents go whole as long as together they fit @limit; the
 * rest are searched, and only their passages that answer a question go.
 * The same documents and limit always split the same way, so a message sent
 * earlier is sent the same way again.
 */
void
cria_request_plan_split_documents (GPtrArray  *documents,
                                   gint64      limit,
                                   GPtrArray **inline_documents,
                                   GPtrArray **searched)
{
  g_autoptr(GPtrArray) by_size = g_ptr_array_new ();
  g_autoptr(GHashTable) inlined = g_hash_table_new (NULL, NULL);
  gint64 total = 0;

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    g_ptr_array_add (by_size, g_ptr_array_index (documents, i));
  g_ptr_array_sort (by_size, compare_tokens);
  for (guint i = 0; i < by_size->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (by_size, i);

      if (limit >= 0 && total + document->tokens > limit)
        break;
      total += document->tokens;
      g_hash_table_add (inlined, document);
    }

  if (inline_documents != NULL)
    *inline_documents = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
  if (searched != NULL)
    *searched = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);
      GPtrArray *into = g_hash_table_contains (inlined, document) ? (inline_documents ? *inline_documents : NULL)
                                                                  : (searched ? *searched : NULL);

      if (into != NULL)
        g_ptr_array_add (into, cria_document_ref (document));
    }
}

static gint64
inline_documents_tokens (GPtrArray *documents,
                         gint64     limit)
{
  g_autoptr(GPtrArray) inline_documents = NULL;

  if (limit < 0)
    return cria_request_plan_documents_tokens (documents);

  cria_request_plan_split_documents (documents, limit, &inline_documents, NULL);
  return cria_request_plan_documents_tokens (inline_documents);
}

static gint64
message_tokens (CriaMessage *message,
                gint64       limit)
{
  return cria_request_plan_text_tokens (cria_message_get_content (message)) +
         inline_documents_tokens (cria_message_get_documents (message), limit);
}

gint64
cria_request_plan_message_tokens (CriaMessage *message)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (message), 0);

  return message_tokens (message, -1);
}

gint64
cria_request_plan_message_tokens_limited (CriaMessage *message,
                                          gint64       limit)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (message), 0);

  return message_tokens (message, limit);
}

static gsize
longest_backtick_run (const char *text)
{
  gsize longest = 0;
  gsize run = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }

  return longest;
}

/**
 * cria_request_plan_sources_text:
 * @sources: (element-type CriaSource): the passages found for a question
 *
 * Returns: the passages as a message carries them, fenced as inline
 *   documents are (cria_document_to_prompt()): each labelled with its
 *   document's name and page, its text in a Markdown code fence longer than
 *   any run of backticks inside
 */
char *
cria_request_plan_sources_text (GPtrArray *sources)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (sources != NULL, NULL);

  for (guint i = 0; i < sources->len; i++)
    {
      CriaSource *source = g_ptr_array_index (sources, i);
      const char *passage = cria_source_get_text (source);
      g_autofree char *fence = g_strnfill (MAX (3, longest_backtick_run (passage) + 1), '`');

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "Passage of document \"%s\", page %u:\n\n%s\n%s",
                              cria_source_get_document_name (source), cria_source_get_page (source),
                              fence, passage);
      if (*passage != '\0' && !g_str_has_suffix (passage, "\n"))
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s\n", fence);
    }

  return g_string_free (text, FALSE);
}

/* The documents go first, so that the question that follows reads as being
 * about them; a blank line keeps each fence apart from what comes next. */
/* Passages found for the question come first, then the documents sent
 * whole; documents that are searched are not sent whole. */
static char *
message_text (CriaMessage *message,
              gint64       limit,
              const char  *retrieved)
{
  g_autoptr(GPtrArray) documents = NULL;
  const char *content;
  GString *text;

  cria_request_plan_split_documents (cria_message_get_documents (message), limit, &documents, NULL);
  content = cria_message_get_content (message);
  if (documents->len == 0 && retrieved == NULL)
    return g_strdup (content);

  text = g_string_new (retrieved);
  for (guint i = 0; i < documents->len; i++)
    {
      g_autofree char *prompt = cria_document_to_prompt (g_ptr_array_index (documents, i));

      if (text->len > 0)
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

char *
cria_request_plan_message_text (CriaMessage *message)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (message), NULL);

  return message_text (message, -1, NULL);
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
              gint64     budget,
              gint64     limit)
{
  gint64 total = fixed_tokens;
  guint first = 0;
  guint last;

  if (budget < 0 || history->len == 0)
    return 0;

  for (guint i = 0; i < history->len; i++)
    total += message_tokens (g_ptr_array_index (history, i), limit);

  last = history->len - 1;
  while (total > budget && first < last)
    {
      do
        {
          total -= message_tokens (g_ptr_array_index (history, first), limit);
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
to_api_message (GPtrArray  *history,
                guint       index,
                gboolean   *open,
                gboolean    with_images,
                guint      *n_omitted_images,
                gint64      limit,
                const char *retrieved)
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
      g_autofree char *text = message_text (message, limit, retrieved);

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
  return cria_request_plan_new_full (model_id, system_prompt, params, messages, end, budget,
                                     with_images, -1, NULL);
}

/**
 * cria_request_plan_new_full:
 * @document_limit: the tokens of documents a message carries whole (see
 *   cria_request_plan_split_documents()); negative to send every document
 *   whole
 * @retrieved: (nullable): the passages found for the newest question
 *   (cria_request_plan_sources_text()), which go before it
 *
 * Like cria_request_plan_new(); documents past @document_limit are not sent
 * whole, the passages of @retrieved stand for them.
 */
CriaRequestPlan *
cria_request_plan_new_full (const char           *model_id,
                            const char           *system_prompt,
                            const CriaChatParams *params,
                            GPtrArray            *messages,
                            guint                 end,
                            gint64                budget,
                            gboolean              with_images,
                            gint64                document_limit,
                            const char           *retrieved)
{
  g_autoptr(CriaRequestPlan) plan = g_new0 (CriaRequestPlan, 1);
  g_autoptr(GPtrArray) history = g_ptr_array_new ();
  gint64 fixed = 0;
  gboolean open = FALSE;
  guint first;
  guint last_user = G_MAXUINT;

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

  /* The passages take room too: they are counted with the fixed part. */
  if (retrieved != NULL)
    fixed += cria_usage_estimate_tokens (retrieved);
  first = plan_omitted (history, fixed, budget, document_limit);
  plan->n_omitted_messages = first;

  for (guint i = 0; i < history->len; i++)
    if (cria_message_get_role (g_ptr_array_index (history, i)) == CRIA_ROLE_USER)
      last_user = i;

  for (guint i = first; i < history->len; i++)
    {
      g_autoptr(CriaChatMessage) api_message = NULL;

      api_message = to_api_message (history, i, &open, with_images, &plan->n_omitted_images,
                                    document_limit, i == last_user ? retrieved : NULL);
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
