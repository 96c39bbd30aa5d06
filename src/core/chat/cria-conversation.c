/* cria-conversation.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-catalogue.h"
#include "cria-conversation-private.h"
#include "cria-message-private.h"

/* A title is a line in a sidebar, not a paragraph. */
#define TITLE_MAX_CHARS 60

/* What a continuation asks for, as a user turn after the cut-off answer. An
 * assistant turn left last for the model to extend (a "prefill") is not part
 * of the OpenAI API: OpenAI answers it anew, vLLM needs its own
 * continue_final_message flag and llama.cpp's behaviour depends on the chat
 * template. A plain instruction works on every OpenAI-compatible server. It is
 * sent only, never kept in the conversation, and it is not translated: it
 * speaks to the model, not to the user. */
#define CONTINUE_PROMPT \
  "Continue exactly where you stopped, without repeating anything you already wrote " \
  "and without any preamble."

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaConversation, cria_conversation, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_MODELS,
  PROP_TITLE,
  PROP_MODEL_ID,
  PROP_SYSTEM_PROMPT,
  PROP_BUSY,
  PROP_TOTAL_COST,
  PROP_TOTAL_COST_ESTIMATED,
  PROP_CONTEXT_TOKENS,
  PROP_N_OMITTED_MESSAGES,
  PROP_PARAMS,
  N_PROPS,
  /* cria-conversation-tools.c installs its own after these. */
  PROP_FIRST_TOOL = N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static GType
cria_conversation_get_item_type (GListModel *model)
{
  return CRIA_TYPE_MESSAGE;
}

static guint
cria_conversation_get_n_items (GListModel *model)
{
  return CRIA_CONVERSATION (model)->messages->len;
}

static gpointer
cria_conversation_get_item (GListModel *model,
                            guint       position)
{
  CriaConversation *self = CRIA_CONVERSATION (model);

  if (position >= self->messages->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->messages, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cria_conversation_get_item_type;
  iface->get_n_items = cria_conversation_get_n_items;
  iface->get_item = cria_conversation_get_item;
}

static void
set_n_omitted_messages (CriaConversation *self,
                        guint             n_omitted)
{
  if (self->n_omitted_messages == n_omitted)
    return;

  self->n_omitted_messages = n_omitted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OMITTED_MESSAGES]);
}

/* Makes the request for the messages before @end, and shows what it leaves
 * out. */
static CriaChatRequest *
build_request (CriaConversation *self,
               guint             end,
               const char       *retrieved)
{
  g_autoptr(CriaRequestPlan) plan = NULL;
  g_autofree char *turn_retrieved = NULL;

  /* Later requests of a turn (after tool calls, or continuing an answer)
   * send the passages its answer was given with again. */
  for (guint i = end; retrieved == NULL && i > 0; i--)
    {
      CriaMessage *message = g_ptr_array_index (self->messages, i - 1);

      if (cria_message_get_role (message) == CRIA_ROLE_USER)
        break;
      if (cria_message_get_role (message) == CRIA_ROLE_ASSISTANT && cria_message_get_sources (message)->len > 0)
        retrieved = turn_retrieved = cria_request_plan_sources_text (cria_message_get_sources (message));
    }

  plan = _cria_conversation_plan_request (self, end, retrieved);

  set_n_omitted_messages (self, plan->n_omitted_messages);
  _cria_conversation_apply_tools (self, plan->request);

  return g_steal_pointer (&plan->request);
}

static void
update_context_tokens (CriaConversation *self)
{
  gint64 tokens = _cria_conversation_history_tokens (self, self->messages->len);

  if (self->context_tokens == tokens)
    return;

  self->context_tokens = tokens;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT_TOKENS]);
}

static void
update_totals (CriaConversation *self)
{
  double total = 0.0;
  gboolean estimated = FALSE;

  for (guint i = 0; i < self->messages->len; i++)
    {
      CriaMessage *message = g_ptr_array_index (self->messages, i);
      const CriaUsage *usage = cria_message_get_usage (message);
      double cost = cria_message_get_cost (message);

      if (cost < 0)
        continue;

      total += cost;
      if (usage != NULL && usage->estimated)
        estimated = TRUE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (self->total_cost != total)
    {
      self->total_cost = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_COST]);
    }
  if (self->total_cost_estimated != estimated)
    {
      self->total_cost_estimated = estimated;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_COST_ESTIMATED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Messages do not notify their text per token, so listening to every
 * notification of every message costs nothing while an answer streams. */
static void
message_notify_cb (CriaConversation *self,
                   GParamSpec       *pspec,
                   CriaMessage      *message)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "content") || g_str_equal (name, "state"))
    update_context_tokens (self);
  else if (g_str_equal (name, "cost") || g_str_equal (name, "usage"))
    update_totals (self);
}

/* The one place the list changes: removes @n_removed messages at @position,
 * puts @added (if any) there, and says so in one items-changed. */
static void
splice (CriaConversation *self,
        guint             position,
        guint             n_removed,
        CriaMessage      *added)
{
  g_assert (position + n_removed <= self->messages->len);

  for (guint i = position; i < position + n_removed; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->messages, i),
                                          message_notify_cb, self);
  g_ptr_array_remove_range (self->messages, position, n_removed);

  if (added != NULL)
    {
      g_ptr_array_insert (self->messages, position, g_object_ref (added));
      g_signal_connect_object (added, "notify", G_CALLBACK (message_notify_cb),
                               self, G_CONNECT_SWAPPED);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, n_removed, added != NULL ? 1 : 0);

  update_context_tokens (self);
  update_totals (self);
}

/* The context and cost figures after an answer ended. */
void
_cria_conversation_update_figures (CriaConversation *self)
{
  update_context_tokens (self);
  update_totals (self);
}

void
_cria_conversation_notify_busy (CriaConversation *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
_cria_conversation_append (CriaConversation *self,
                           CriaMessage      *message)
{
  splice (self, self->messages->len, 0, message);
}

static gboolean
find_message (CriaConversation *self,
              CriaMessage      *message,
              guint            *position)
{
  return g_ptr_array_find (self->messages, message, position);
}

static gboolean
is_first_user_message (CriaConversation *self,
                       guint             position)
{
  for (guint i = 0; i < position; i++)
    {
      if (cria_message_get_role (g_ptr_array_index (self->messages, i)) == CRIA_ROLE_USER)
        return FALSE;
    }

  return TRUE;
}

/* The first non-blank line, trimmed, cut at a word near TITLE_MAX_CHARS. */
static char *
make_title (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  const char *newline = strchr (stripped, '\n');
  g_autofree char *line = NULL;
  g_autofree char *head = NULL;
  const char *cut;
  char *space;

  line = g_strndup (stripped, newline != NULL ? (gsize) (newline - stripped) : strlen (stripped));
  g_strstrip (line);

  if (g_utf8_strlen (line, -1) <= TITLE_MAX_CHARS)
    return g_steal_pointer (&line);

  /* One character is left for the ellipsis. */
  cut = g_utf8_offset_to_pointer (line, TITLE_MAX_CHARS - 1);
  head = g_strndup (line, cut - line);
  space = strrchr (head, ' ');
  if (space != NULL && g_utf8_strlen (head, space - head) >= TITLE_MAX_CHARS / 2)
    *space = '\0';
  g_strchomp (head);

  return g_strconcat (head, "…", NULL);
}

static void
set_auto_title (CriaConversation *self,
                const char       *text)
{
  g_autofree char *title = NULL;

  if (self->title != NULL && !self->title_is_auto)
    return;

  title = make_title (text);
  self->title_is_auto = TRUE;

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_ready (CriaConversation  *self,
             GError           **error)
{
  if (cria_conversation_get_busy (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("An answer is still arriving."));
      return FALSE;
    }

  if (self->client == NULL || self->model_id == NULL || *self->model_id == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("No model is chosen for this conversation."));
      return FALSE;
    }

  return TRUE;
}

/* Whether @message can be acted on now: the conversation is ready and the
 * message is in it, at *@position. Otherwise @task returns why. */
static gboolean
check_ready_for_message (CriaConversation *self,
                         CriaMessage      *message,
                         guint            *position,
                         GTask            *task)
{
  g_autoptr(GError) error = NULL;

  if (!check_ready (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return FALSE;
    }

  if (!find_message (self, message, position))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The message is not in this conversation."));
      return FALSE;
    }

  return TRUE;
}

/* Puts a new assistant message at @position in place of @n_removed messages
 * and streams into it the answer to the messages before it. */
static void
start_reply (CriaConversation *self,
             guint             position,
             guint             n_removed,
             GTask            *task)
{
  g_autoptr(CriaMessage) answer = cria_message_new (CRIA_ROLE_ASSISTANT, NULL);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(CriaChatRequest) request = NULL;

  g_assert (self->op == NULL && self->tool_round == NULL);

  _cria_conversation_begin_turn (self);
  cria_message_set_model (answer, self->model_id);
  _cria_message_follow_reply (answer, reply);
  splice (self, position, n_removed, answer);
  if (_cria_conversation_search_then_reply (self, answer, reply, position, task))
    return;

  request = build_request (self, position, NULL);
  _cria_conversation_run_reply (self, answer, reply, request, FALSE, task);
}

void
_cria_conversation_reply_with (CriaConversation *self,
                               CriaMessage      *answer,
                               CriaChatReply    *reply,
                               guint             position,
                               const char       *retrieved,
                               double            cost,
                               GTask            *task)
{
  g_autoptr(CriaChatRequest) request = build_request (self, position, retrieved);

  /* The embeddings are part of what the answer cost: the reply's cost adds
   * to them as a continuation's adds to the answer so far. */
  if (cost > 0)
    cria_message_set_cost (answer, cost);
  _cria_conversation_run_reply (self, answer, reply, request, cost > 0, task);
}

void
_cria_conversation_follow_up (CriaConversation *self,
                              GTask            *task)
{
  g_autoptr(CriaMessage) answer = cria_message_new (CRIA_ROLE_ASSISTANT, NULL);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(CriaChatRequest) request = NULL;
  guint position = self->messages->len;

  g_assert (self->op == NULL && self->tool_round == NULL);

  cria_message_set_model (answer, self->model_id);
  _cria_message_follow_reply (answer, reply);
  splice (self, position, 0, answer);
  request = build_request (self, position, NULL);

  _cria_conversation_run_reply (self, answer, reply, request, FALSE, task);
}

static void
cria_conversation_dispose (GObject *object)
{
  CriaConversation *self = CRIA_CONVERSATION (object);

  /* A running answer normally keeps the conversation alive (its task holds
   * it); this is for an owner that disposes it by force. */
  if (self->op != NULL || self->tool_round != NULL || self->retrieval_op != NULL)
    cria_conversation_stop (self);
  _cria_conversation_tools_dispose (self);
  g_clear_object (&self->retrieval);

  for (guint i = 0; i < self->messages->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->messages, i),
                                          message_notify_cb, self);
  g_ptr_array_set_size (self->messages, 0);

  g_clear_object (&self->client);
  g_clear_object (&self->models);

  G_OBJECT_CLASS (cria_conversation_parent_class)->dispose (object);
}

static void
cria_conversation_finalize (GObject *object)
{
  CriaConversation *self = CRIA_CONVERSATION (object);

  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->model_id, g_free);
  g_clear_pointer (&self->system_prompt, g_free);
  g_clear_pointer (&self->params, cria_chat_params_free);

  G_OBJECT_CLASS (cria_conversation_parent_class)->finalize (object);
}

static void
cria_conversation_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CriaConversation *self = CRIA_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_MODELS:
      g_value_set_object (value, self->models);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_MODEL_ID:
      g_value_set_string (value, self->model_id);
      break;
    case PROP_SYSTEM_PROMPT:
      g_value_set_string (value, self->system_prompt);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, cria_conversation_get_busy (self));
      break;
    case PROP_TOTAL_COST:
      g_value_set_double (value, self->total_cost);
      break;
    case PROP_TOTAL_COST_ESTIMATED:
      g_value_set_boolean (value, self->total_cost_estimated);
      break;
    case PROP_CONTEXT_TOKENS:
      g_value_set_int64 (value, self->context_tokens);
      break;
    case PROP_N_OMITTED_MESSAGES:
      g_value_set_uint (value, self->n_omitted_messages);
      break;
    case PROP_PARAMS:
      g_value_set_boxed (value, self->params);
      break;
    default:
      if (!_cria_conversation_tools_get_property (self, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_conversation_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CriaConversation *self = CRIA_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      cria_conversation_set_client (self, g_value_get_object (value));
      break;
    case PROP_MODELS:
      cria_conversation_set_models (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      cria_conversation_set_title (self, g_value_get_string (value));
      break;
    case PROP_MODEL_ID:
      cria_conversation_set_model_id (self, g_value_get_string (value));
      break;
    case PROP_SYSTEM_PROMPT:
      cria_conversation_set_system_prompt (self, g_value_get_string (value));
      break;
    case PROP_PARAMS:
      cria_conversation_set_params (self, g_value_get_boxed (value));
      break;
    default:
      if (!_cria_conversation_tools_set_property (self, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_conversation_class_init (CriaConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_conversation_dispose;
  object_class->finalize = cria_conversation_finalize;
  object_class->get_property = cria_conversation_get_property;
  object_class->set_property = cria_conversation_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, CRIA_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The merged model list, for prices and context windows. */
  properties[PROP_MODELS] =
    g_param_spec_object ("models", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL_ID] =
    g_param_spec_string ("model-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYSTEM_PROMPT] =
    g_param_spec_string ("system-prompt", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* USD, the sum of the known costs of the answers in the list: an answer
   * deleted or regenerated no longer counts. */
  properties[PROP_TOTAL_COST] =
    g_param_spec_double ("total-cost", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL_COST_ESTIMATED] =
    g_param_spec_boolean ("total-cost-estimated", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The estimated tokens of the whole history (system prompt included) before
   * any older turns are left out; compare with the model's context window. */
  properties[PROP_CONTEXT_TOKENS] =
    g_param_spec_int64 ("context-tokens", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* How many messages the last request left out to fit the context window;
   * a view shows "older turns left out" while it is not 0. */
  properties[PROP_N_OMITTED_MESSAGES] =
    g_param_spec_uint ("n-omitted-messages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The sampling parameters sent with every request: the one place they are
   * kept. Notified only when they change. */
  properties[PROP_PARAMS] =
    g_param_spec_boxed ("params", NULL, NULL, CRIA_TYPE_CHAT_PARAMS,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CriaConversation::indexing-progress:
   * @document: (type CriaDocument): the document being indexed
   * @n_done: its chunks with a vector so far
   * @n_total: its chunks
   *
   * A long document is being made searchable before its question goes.
   */
  g_signal_new ("indexing-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 3,
                CRIA_TYPE_DOCUMENT | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_UINT, G_TYPE_UINT);
  _cria_conversation_tools_class_init (object_class, PROP_FIRST_TOOL);
}

static void
cria_conversation_init (CriaConversation *self)
{
  self->params = cria_chat_params_new ();
  self->messages = g_ptr_array_new_with_free_func (g_object_unref);
  _cria_conversation_tools_init (self);
}

CriaConversation *
cria_conversation_new (CriaClient *client,
                       GListModel *models)
{
  g_return_val_if_fail (client == NULL || CRIA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (models == NULL || G_IS_LIST_MODEL (models), NULL);

  return g_object_new (CRIA_TYPE_CONVERSATION,
                       "client", client,
                       "models", models,
                       NULL);
}

/**
 * cria_conversation_get_client:
 *
 * Returns: (transfer none) (nullable): the client that sends the requests
 */
CriaClient *
cria_conversation_get_client (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->client;
}

void
cria_conversation_set_client (CriaConversation *self,
                              CriaClient       *client)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (client == NULL || CRIA_IS_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * cria_conversation_get_models:
 *
 * Returns: (transfer none) (nullable): the CriaModel list prices and context
 *   windows come from
 */
GListModel *
cria_conversation_get_models (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->models;
}

void
cria_conversation_set_models (CriaConversation *self,
                              GListModel       *models)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (models == NULL || G_IS_LIST_MODEL (models));

  if (g_set_object (&self->models, models))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS]);
      _cria_conversation_notify_tools_reason (self);
    }
}

/**
 * cria_conversation_get_title:
 *
 * Returns: (nullable): the title, made from the first user message unless set
 */
const char *
cria_conversation_get_title (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->title;
}

void
cria_conversation_set_title (CriaConversation *self,
                             const char       *title)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  /* A title given by hand is kept even when the first message changes. */
  self->title_is_auto = FALSE;

  if (g_strcmp0 (self->title, title) == 0)
    return;

  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
cria_conversation_get_model_id (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->model_id;
}

/* The model of the next request; a running answer keeps its own. */
void
cria_conversation_set_model_id (CriaConversation *self,
                                const char       *model_id)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  if (g_strcmp0 (self->model_id, model_id) == 0)
    return;

  g_free (self->model_id);
  self->model_id = g_strdup (model_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_ID]);
  _cria_conversation_notify_tools_reason (self);
}

const char *
cria_conversation_get_system_prompt (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->system_prompt;
}

void
cria_conversation_set_system_prompt (CriaConversation *self,
                                     const char       *system_prompt)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  if (g_strcmp0 (self->system_prompt, system_prompt) == 0)
    return;

  g_free (self->system_prompt);
  self->system_prompt = g_strdup (system_prompt);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYSTEM_PROMPT]);
  update_context_tokens (self);
}

gboolean
cria_conversation_get_busy (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);

  return self->op != NULL || self->tool_round != NULL || self->retrieval_op != NULL;
}

double
cria_conversation_get_total_cost (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0.0);

  return self->total_cost;
}

gboolean
cria_conversation_get_total_cost_estimated (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);

  return self->total_cost_estimated;
}

gint64
cria_conversation_get_context_tokens (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0);

  return self->context_tokens;
}

guint
cria_conversation_get_n_omitted_messages (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0);

  return self->n_omitted_messages;
}

void
cria_conversation_send_async (CriaConversation    *self,
                              const char          *text,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (text != NULL);

  cria_conversation_send_with_images_async (self, text, NULL, cancellable, callback, user_data);
}

void
cria_conversation_send_with_images_async (CriaConversation    *self,
                                          const char          *text,
                                          const char * const  *image_urls,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  cria_conversation_send_with_attachments_async (self, text, image_urls, NULL, cancellable, callback, user_data);
}

void
cria_conversation_send_with_attachments_async (CriaConversation    *self,
                                               const char          *text,
                                               const char * const  *image_urls,
                                               GPtrArray           *documents,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_images = image_urls != NULL && image_urls[0] != NULL;
  gboolean has_documents = documents != NULL && documents->len > 0;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_conversation_send_async);

  if (!check_ready (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (is_blank (text) && !has_images && !has_documents)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("There is nothing to send."));
      return;
    }

  if (has_images && !cria_conversation_can_see_images (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The model %s cannot see images: choose a vision model, or remove the images."),
                               self->model_id);
      return;
    }

  if (self->retrieval == NULL && !_cria_conversation_check_documents (self, documents, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!_cria_conversation_check_request_size (self, text, image_urls, documents, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!_cria_conversation_index_then_send (self, text, image_urls, documents, task))
    _cria_conversation_append_question (self, text, image_urls, documents, task);
}

void
_cria_conversation_append_question (CriaConversation   *self,
                                    const char         *text,
                                    const char * const *image_urls,
                                    GPtrArray          *documents,
                                    GTask              *task)
{
  g_autoptr(CriaMessage) question = NULL;
  gboolean has_images = image_urls != NULL && image_urls[0] != NULL;
  gboolean has_documents = documents != NULL && documents->len > 0;
  guint position;

  position = self->messages->len;
  question = cria_message_new (CRIA_ROLE_USER, text);
  if (has_images)
    cria_message_set_image_urls (question, image_urls);
  if (has_documents)
    cria_message_set_documents (question, documents);
  if (is_first_user_message (self, position))
    {
      if (!is_blank (text))
        set_auto_title (self, text);
      else if (has_documents)
        set_auto_title (self, ((CriaDocument *) g_ptr_array_index (documents, 0))->name);
      else
        set_auto_title (self, _("Image"));
    }
  splice (self, position, 0, question);

  start_reply (self, position + 1, 0, task);
}

gboolean
cria_conversation_send_finish (CriaConversation  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cria_conversation_regenerate_async (CriaConversation    *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_conversation_regenerate_async);
  position = self->messages->len;

  if (!check_ready (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The answer to regenerate is whatever follows the last user message. */
  while (position > 0 &&
         cria_message_get_role (g_ptr_array_index (self->messages, position - 1)) != CRIA_ROLE_USER)
    position--;

  if (position == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("There is no question to answer again."));
      return;
    }

  start_reply (self, position, self->messages->len - position, task);
}

gboolean
cria_conversation_regenerate_finish (CriaConversation  *self,
                                     GAsyncResult      *result,
                                     GError           **error)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cria_conversation_edit_and_resend_async (CriaConversation    *self,
                                         CriaMessage         *message,
                                         const char          *new_text,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint position;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (CRIA_IS_MESSAGE (message));
  g_return_if_fail (new_text != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_conversation_edit_and_resend_async);

  if (!check_ready_for_message (self, message, &position, task))
    return;

  /* A question with documents or images may be left with no text of its own. */
  if (cria_message_get_role (message) != CRIA_ROLE_USER ||
      (is_blank (new_text) && cria_message_get_documents (message)->len == 0 &&
       cria_message_get_image_urls (message)[0] == NULL))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Only a question can be edited, and not to nothing."));
      return;
    }

  cria_message_set_content (message, new_text);
  if (is_first_user_message (self, position) && self->title_is_auto)
    {
      if (!is_blank (new_text))
        set_auto_title (self, new_text);
      else if (cria_message_get_documents (message)->len > 0)
        set_auto_title (self, ((CriaDocument *) g_ptr_array_index (cria_message_get_documents (message), 0))->name);
    }

  start_reply (self, position + 1, self->messages->len - (position + 1), task);
}

gboolean
cria_conversation_edit_and_resend_finish (CriaConversation  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cria_conversation_continue_async (CriaConversation    *self,
                                  CriaMessage         *message,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CriaChatRequest) request = NULL;
  g_autoptr(CriaChatMessage) instruction = NULL;
  g_autoptr(CriaChatReply) reply = NULL;
  guint position;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (CRIA_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_conversation_continue_async);

  if (!check_ready_for_message (self, message, &position, task))
    return;

  if (!cria_message_can_continue (message))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Only an answer that was cut short can be continued."));
      return;
    }

  /* Text added to an earlier answer would land in the middle of a
   * conversation that has moved on. */
  if (position + 1 != self->messages->len)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Only the last answer of a conversation can be continued."));
      return;
    }

  /* The history up to the answer, the answer as far as it got, then the
   * instruction; built before the answer streams, as a streaming answer is
   * never sent. */
  request = build_request (self, position + 1, NULL);
  instruction = cria_chat_message_new (CRIA_ROLE_USER, CONTINUE_PROMPT);
  cria_chat_request_add_message (request, instruction);

  reply = cria_chat_reply_new ();
  _cria_message_continue_reply (message, reply);
  _cria_conversation_run_reply (self, message, reply, request, TRUE, task);
}

gboolean
cria_conversation_continue_finish (CriaConversation  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cria_conversation_delete (CriaConversation *self,
                          CriaMessage      *message)
{
  guint position;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (CRIA_IS_MESSAGE (message));

  if (_cria_conversation_get_reply_message (self) == message)
    cria_conversation_stop (self);

  /* Looked up after stopping: the stopped send's callback may have changed the list. */
  if (!find_message (self, message, &position))
    g_return_if_reached ();

  splice (self, position, 1, NULL);
}

/**
 * cria_conversation_set_params:
 * @params: (nullable): the sampling parameters sent with every request from
 *   now on; %NULL leaves every one to the server's default
 *
 * Notifies #CriaConversation:params when they differ from the ones set.
 */
void
cria_conversation_set_params (CriaConversation     *self,
                              const CriaChatParams *params)
{
  g_autoptr(CriaChatParams) empty = NULL;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  if (params == NULL)
    params = empty = cria_chat_params_new ();
  if (cria_chat_params_equal (self->params, params))
    return;

  g_clear_pointer (&self->params, cria_chat_params_free);
  self->params = cria_chat_params_copy (params);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAMS]);
}

/**
 * cria_conversation_get_params:
 *
 * Returns: (transfer none): the sampling parameters, never %NULL
 */
const CriaChatParams *
cria_conversation_get_params (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->params;
}

/**
 * cria_conversation_set_temperature:
 * @temperature: the sampling temperature, or a negative number for the
 *   server's default
 *
 * Sets the temperature in #CriaConversation:params, for the requests sent
 * from now on.
 */
void
cria_conversation_set_temperature (CriaConversation *self,
                                   double            temperature)
{
  g_autoptr(CriaChatParams) params = NULL;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  params = cria_chat_params_copy (self->params);
  if (temperature >= 0)
    {
      params->set |= CRIA_CHAT_PARAM_TEMPERATURE;
      params->temperature = temperature;
    }
  else
    {
      params->set &= ~CRIA_CHAT_PARAM_TEMPERATURE;
      params->temperature = 0;
    }
  cria_conversation_set_params (self, params);
}

/* The temperature in the parameters, or -1 for the server's default. */
double
cria_conversation_get_temperature (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), -1);

  if (!(self->params->set & CRIA_CHAT_PARAM_TEMPERATURE))
    return -1;

  return self->params->temperature;
}

/**
 * cria_conversation_set_max_tokens:
 * @max_tokens: the longest answer in tokens, or 0 for the server's default
 *
 * Sets the answer length in #CriaConversation:params.
 */
void
cria_conversation_set_max_tokens (CriaConversation *self,
                                  gint64            max_tokens)
{
  g_autoptr(CriaChatParams) params = NULL;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  params = cria_chat_params_copy (self->params);
  if (max_tokens > 0)
    {
      params->set |= CRIA_CHAT_PARAM_MAX_TOKENS;
      params->max_tokens = max_tokens;
    }
  else
    {
      params->set &= ~CRIA_CHAT_PARAM_MAX_TOKENS;
      params->max_tokens = 0;
    }
  cria_conversation_set_params (self, params);
}

/* The answer length in the parameters, or 0 for the server's default. */
gint64
cria_conversation_get_max_tokens (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), 0);

  if (!(self->params->set & CRIA_CHAT_PARAM_MAX_TOKENS))
    return 0;

  return MAX (self->params->max_tokens, 0);
}

/**
 * cria_conversation_restore:
 * @messages: (element-type CriaMessage): saved messages, oldest first
 *
 * Appends @messages in one items-changed; for loading a saved conversation.
 */
void
cria_conversation_restore (CriaConversation *self,
                           GPtrArray        *messages)
{
  guint position;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (messages != NULL);
  g_return_if_fail (!cria_conversation_get_busy (self));

  position = self->messages->len;
  for (guint i = 0; i < messages->len; i++)
    {
      CriaMessage *message = g_ptr_array_index (messages, i);

      /* A plain handler: splice() and dispose disconnect it, and a weak
       * reference per message would make a long conversation slow to free. */
      g_ptr_array_add (self->messages, g_object_ref (message));
      g_signal_connect_swapped (message, "notify", G_CALLBACK (message_notify_cb), self);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, messages->len);
  update_context_tokens (self);
  update_totals (self);
}
