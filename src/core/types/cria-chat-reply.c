/* cria-chat-reply.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-chat-reply-private.h"
#include "cria-types-enums.h"

struct _CriaChatReply
{
  GObject             parent_instance;

  CriaChatReplyState  state;
  GString            *content;
  GString            *reasoning;
  GPtrArray          *tool_calls;
  /* The arguments of each call in tool_calls, at the same position, being
   * built: each call's arguments is its GString's buffer, so a fragment is
   * appended in time proportional to its own length, and index_map finds a
   * call by the index the server gave it in constant time. */
  GPtrArray          *tool_arguments;
  GHashTable         *index_map;
  CriaFinishReason    finish_reason;
  char               *finish_reason_string;
  CriaUsage           usage;
  gboolean            has_usage;
  GError             *error;
  char               *model;

  /* Monotonic times in µs, 0 until they happen. */
  gint64              begun_at;
  gint64              first_reasoning_at;
  gint64              first_content_at;
  gint64              finished_at;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaChatReply, cria_chat_reply, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_STREAMING_TEXT, NULL))

enum {
  PROP_0,
  PROP_STATE,
  PROP_FINISH_REASON,
  PROP_MODEL,
  PROP_USAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cria_chat_reply_finalize (GObject *object)
{
  CriaChatReply *self = CRIA_CHAT_REPLY (object);

  g_string_free (self->content, TRUE);
  g_string_free (self->reasoning, TRUE);
  /* Each call keeps its arguments' buffer: the array of calls may outlive
   * the reply. */
  for (guint i = 0; i < self->tool_arguments->len; i++)
    g_string_free (g_ptr_array_index (self->tool_arguments, i), FALSE);
  g_clear_pointer (&self->tool_arguments, g_ptr_array_unref);
  g_clear_pointer (&self->index_map, g_hash_table_unref);
  g_clear_pointer (&self->tool_calls, g_ptr_array_unref);
  g_clear_pointer (&self->finish_reason_string, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cria_chat_reply_parent_class)->finalize (object);
}

static void
cria_chat_reply_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CriaChatReply *self = CRIA_CHAT_REPLY (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FINISH_REASON:
      g_value_set_enum (value, self->finish_reason);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_USAGE:
      g_value_set_boxed (value, cria_chat_reply_get_usage (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_chat_reply_class_init (CriaChatReplyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cria_chat_reply_finalize;
  object_class->get_property = cria_chat_reply_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CRIA_TYPE_CHAT_REPLY_STATE, CRIA_CHAT_REPLY_STATE_PENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISH_REASON] =
    g_param_spec_enum ("finish-reason", NULL, NULL,
                       CRIA_TYPE_FINISH_REASON, CRIA_FINISH_REASON_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USAGE] =
    g_param_spec_boxed ("usage", NULL, NULL, CRIA_TYPE_USAGE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_chat_reply_init (CriaChatReply *self)
{
  self->content = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_tool_call_free);
  self->tool_arguments = g_ptr_array_new ();
  self->index_map = g_hash_table_new (NULL, NULL);
}

CriaChatReply *
cria_chat_reply_new (void)
{
  return g_object_new (CRIA_TYPE_CHAT_REPLY, NULL);
}

CriaChatReplyState
cria_chat_reply_get_state (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), CRIA_CHAT_REPLY_STATE_FAILED);

  return self->state;
}

gboolean
cria_chat_reply_is_finished (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), TRUE);

  return self->state != CRIA_CHAT_REPLY_STATE_PENDING &&
         self->state != CRIA_CHAT_REPLY_STATE_STREAMING;
}

const char *
cria_chat_reply_get_content (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), NULL);

  return self->content->str;
}

const char *
cria_chat_reply_get_reasoning (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), NULL);

  return self->reasoning->str;
}

/**
 * cria_chat_reply_get_tool_calls:
 *
 * Returns: (transfer none) (element-type CriaToolCall): the merged tool calls
 */
GPtrArray *
cria_chat_reply_get_tool_calls (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), NULL);

  return self->tool_calls;
}

CriaFinishReason
cria_chat_reply_get_finish_reason (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), CRIA_FINISH_REASON_NONE);

  return self->finish_reason;
}

const char *
cria_chat_reply_get_finish_reason_string (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), NULL);

  return self->finish_reason_string;
}

/**
 * cria_chat_reply_get_usage:
 *
 * Returns: (nullable): the usage the server reported, or the estimate made when
 *   the reply finished without one (then `estimated` is set); %NULL before that
 */
const CriaUsage *
cria_chat_reply_get_usage (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), NULL);

  return self->has_usage ? &self->usage : NULL;
}

const GError *
cria_chat_reply_get_error (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), NULL);

  return self->error;
}

const char *
cria_chat_reply_get_model (CriaChatReply *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), NULL);

  return self->model;
}

/**
 * cria_chat_reply_get_thinking_time:
 *
 * Returns: µs from the first reasoning to the first answer text (or to the
 *   end, or to now while still thinking); 0 when the model did not reason
 */
gint64
cria_chat_reply_get_thinking_time (CriaChatReply *self)
{
  gint64 end;

  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), 0);

  if (self->first_reasoning_at == 0)
    return 0;

  if (self->first_content_at > self->first_reasoning_at)
    end = self->first_content_at;
  else if (self->finished_at != 0)
    end = self->finished_at;
  else
    end = g_get_monotonic_time ();

  return end - self->first_reasoning_at;
}

/**
 * cria_chat_reply_get_generation_time:
 *
 * Returns: µs from the first token (reasoning or answer) to the end, or to now
 */
gint64
cria_chat_reply_get_generation_time (CriaChatReply *self)
{
  gint64 first;
  gint64 end;

  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), 0);

  first = self->first_reasoning_at;
  if (first == 0 || (self->first_content_at != 0 && self->first_content_at < first))
    first = self->first_content_at;
  if (first == 0)
    return 0;

  end = self->finished_at != 0 ? self->finished_at : g_get_monotonic_time ();

  return end - first;
}

/**
 * cria_chat_reply_get_tokens_per_second:
 *
 * Returns: completion tokens per second of generation, or 0 when unknown
 */
double
cria_chat_reply_get_tokens_per_second (CriaChatReply *self)
{
  gint64 generation;

  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (self), 0);

  generation = cria_chat_reply_get_generation_time (self);
  if (!self->has_usage || generation <= 0 || self->usage.completion_tokens <= 0)
    return 0;

  return self->usage.completion_tokens / (generation / (double) G_USEC_PER_SEC);
}

static void
set_state (CriaChatReply      *self,
           CriaChatReplyState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_cria_chat_reply_begin (CriaChatReply *self)
{
  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));

  self->begun_at = g_get_monotonic_time ();
  set_state (self, CRIA_CHAT_REPLY_STATE_PENDING);
}

void
_cria_chat_reply_append_content (CriaChatReply *self,
                                 const char    *text)
{
  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));
  g_return_if_fail (!cria_chat_reply_is_finished (self));

  if (text == NULL || *text == '\0')
    return;

  if (self->first_content_at == 0)
    self->first_content_at = g_get_monotonic_time ();

  g_string_append (self->content, text);
  set_state (self, CRIA_CHAT_REPLY_STATE_STREAMING);
  cria_streaming_text_emit_content_appended (CRIA_STREAMING_TEXT (self), text);
}

void
_cria_chat_reply_append_reasoning (CriaChatReply *self,
                                   const char    *text)
{
  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));
  g_return_if_fail (!cria_chat_reply_is_finished (self));

  if (text == NULL || *text == '\0')
    return;

  if (self->first_reasoning_at == 0)
    self->first_reasoning_at = g_get_monotonic_time ();

  g_string_append (self->reasoning, text);
  set_state (self, CRIA_CHAT_REPLY_STATE_STREAMING);
  cria_streaming_text_emit_reasoning_appended (CRIA_STREAMING_TEXT (self), text);
}

/* The answer shown so far was reasoning after all (a closing think tag came
 * with no opening one): it moves whole to the reasoning. */
void
_cria_chat_reply_move_content_to_reasoning (CriaChatReply *self,
                                            const char    *reasoning)
{
  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));

  if (self->first_content_at != 0 &&
      (self->first_reasoning_at == 0 || self->first_content_at < self->first_reasoning_at))
    self->first_reasoning_at = self->first_content_at;
  self->first_content_at = 0;

  g_string_truncate (self->content, 0);
  cria_streaming_text_emit_content_reset (CRIA_STREAMING_TEXT (self));
  _cria_chat_reply_append_reasoning (self, reasoning);
}

void
_cria_chat_reply_merge_tool_call (CriaChatReply *self,
                                  int            index,
                                  const char    *id,
                                  const char    *type,
                                  const char    *name,
                                  const char    *arguments)
{
  CriaToolCall *call;
  GString *call_arguments;
  gpointer position;

  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));

  if (g_hash_table_lookup_extended (self->index_map, GINT_TO_POINTER (index), NULL, &position))
    {
      call = g_ptr_array_index (self->tool_calls, GPOINTER_TO_UINT (position));
      call_arguments = g_ptr_array_index (self->tool_arguments, GPOINTER_TO_UINT (position));
    }
  else
    {
      call = cria_tool_call_new (index);
      call->type = g_strdup ("function");
      call_arguments = g_string_new (NULL);
      call->arguments = call_arguments->str;
      g_hash_table_insert (self->index_map, GINT_TO_POINTER (index), GUINT_TO_POINTER (self->tool_calls->len));
      g_ptr_array_add (self->tool_calls, call);
      g_ptr_array_add (self->tool_arguments, call_arguments);
    }

  /* The id, type and name come whole on the first fragment; some servers repeat
   * them on later fragments, so they are replaced, never appended. */
  if (id != NULL && *id != '\0')
    {
      g_free (call->id);
      call->id = g_strdup (id);
    }
  if (type != NULL && *type != '\0')
    {
      g_free (call->type);
      call->type = g_strdup (type);
    }
  if (name != NULL && *name != '\0')
    {
      g_free (call->name);
      call->name = g_strdup (name);
    }
  if (arguments != NULL && *arguments != '\0')
    {
      g_string_append (call_arguments, arguments);
      call->arguments = call_arguments->str;
    }

  set_state (self, CRIA_CHAT_REPLY_STATE_STREAMING);
}

void
_cria_chat_reply_set_finish_reason (CriaChatReply *self,
                                    const char    *reason)
{
  CriaFinishReason value;

  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));

  if (reason == NULL || *reason == '\0')
    return;

  if (g_str_equal (reason, "stop") || g_str_equal (reason, "eos") ||
      g_str_equal (reason, "end_turn") || g_str_equal (reason, "stop_sequence"))
    value = CRIA_FINISH_REASON_STOP;
  else if (g_str_equal (reason, "length") || g_str_equal (reason, "max_tokens"))
    value = CRIA_FINISH_REASON_LENGTH;
  else if (g_str_equal (reason, "tool_calls") || g_str_equal (reason, "function_call") ||
           g_str_equal (reason, "tool_use"))
    value = CRIA_FINISH_REASON_TOOL_CALLS;
  else if (g_str_equal (reason, "content_filter"))
    value = CRIA_FINISH_REASON_CONTENT_FILTER;
  else
    value = CRIA_FINISH_REASON_OTHER;

  g_free (self->finish_reason_string);
  self->finish_reason_string = g_strdup (reason);

  if (self->finish_reason != value)
    {
      self->finish_reason = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISH_REASON]);
    }
}

void
_cria_chat_reply_set_usage (CriaChatReply   *self,
                            const CriaUsage *usage)
{
  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));
  g_return_if_fail (usage != NULL);

  self->usage = *usage;
  self->has_usage = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USAGE]);
}

void
_cria_chat_reply_set_model (CriaChatReply *self,
                            const char    *model)
{
  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));

  if (model == NULL || g_strcmp0 (self->model, model) == 0)
    return;

  g_free (self->model);
  self->model = g_strdup (model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * _cria_chat_reply_finish:
 * @state: a finished state
 * @error: (nullable): why it failed or was interrupted
 * @estimated_prompt_tokens: the prompt's estimated size, used when the server
 *   reported no usage
 *
 * Ends the reply. When the server sent no usage but something was generated,
 * the usage is estimated and marked so.
 */
void
_cria_chat_reply_finish (CriaChatReply      *self,
                         CriaChatReplyState  state,
                         const GError       *error,
                         gint64              estimated_prompt_tokens)
{
  g_return_if_fail (CRIA_IS_CHAT_REPLY (self));
  g_return_if_fail (state != CRIA_CHAT_REPLY_STATE_PENDING &&
                    state != CRIA_CHAT_REPLY_STATE_STREAMING);

  if (cria_chat_reply_is_finished (self))
    return;

  self->finished_at = g_get_monotonic_time ();

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);

  if (!self->has_usage &&
      (self->content->len > 0 || self->reasoning->len > 0 ||
       state == CRIA_CHAT_REPLY_STATE_COMPLETE))
    {
      CriaUsage estimate = { 0, };

      estimate.prompt_tokens = estimated_prompt_tokens;
      estimate.reasoning_tokens = cria_usage_estimate_tokens (self->reasoning->str);
      estimate.completion_tokens = cria_usage_estimate_tokens (self->content->str) +
                                   estimate.reasoning_tokens;
      estimate.estimated = TRUE;
      _cria_chat_reply_set_usage (self, &estimate);
    }

  set_state (self, state);
}

static const char * const finish_reason_names[] = {
  [CRIA_FINISH_REASON_NONE] = NULL,
  [CRIA_FINISH_REASON_STOP] = "stop",
  [CRIA_FINISH_REASON_LENGTH] = "length",
  [CRIA_FINISH_REASON_TOOL_CALLS] = "tool_calls",
  [CRIA_FINISH_REASON_CONTENT_FILTER] = "content_filter",
  [CRIA_FINISH_REASON_OTHER] = "other",
};

/**
 * cria_finish_reason_to_string:
 *
 * Returns: (nullable): the reason as OpenAI names it, NULL for none
 */
const char *
cria_finish_reason_to_string (CriaFinishReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (finish_reason_names), NULL);

  return finish_reason_names[reason];
}

/* An unknown name is OTHER, none is NONE. */
CriaFinishReason
cria_finish_reason_from_string (const char *text)
{
  if (text == NULL || *text == '\0')
    return CRIA_FINISH_REASON_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (finish_reason_names); i++)
    {
      if (g_strcmp0 (text, finish_reason_names[i]) == 0)
        return i;
    }

  return CRIA_FINISH_REASON_OTHER;
}
