/* cria-record.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cria-record.h"

CriaConversationRecord *
cria_conversation_record_new (const char *id)
{
  CriaConversationRecord *record = g_new0 (CriaConversationRecord, 1);

  record->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  record->params = cria_chat_params_new ();

  return record;
}

CriaConversationRecord *
cria_conversation_record_copy (const CriaConversationRecord *record)
{
  CriaConversationRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->title = g_strdup (record->title);
  copy->model = g_strdup (record->model);
  copy->system_prompt = g_strdup (record->system_prompt);
  copy->params = cria_chat_params_copy (record->params);
  copy->tools = g_strdup (record->tools);

  return copy;
}

void
cria_conversation_record_free (CriaConversationRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->title);
  g_free (record->model);
  g_free (record->system_prompt);
  cria_chat_params_free (record->params);
  g_free (record->tools);
  g_free (record);
}

gboolean
cria_conversation_record_equal (const CriaConversationRecord *a,
                                const CriaConversationRecord *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->id, b->id) == 0 &&
         g_strcmp0 (a->title, b->title) == 0 &&
         g_strcmp0 (a->model, b->model) == 0 &&
         g_strcmp0 (a->system_prompt, b->system_prompt) == 0 &&
         cria_chat_params_equal (a->params, b->params) &&
         g_strcmp0 (a->tools, b->tools) == 0 &&
         !a->pinned == !b->pinned &&
         a->created == b->created &&
         a->updated == b->updated;
}

CriaMessageRecord *
cria_message_record_new (void)
{
  CriaMessageRecord *record = g_new0 (CriaMessageRecord, 1);

  record->role = CRIA_ROLE_USER;
  record->content = g_strdup ("");
  record->reasoning = g_strdup ("");
  record->params = cria_chat_params_new ();
  record->tokens_in = -1;
  record->tokens_out = -1;
  record->reasoning_tokens = -1;
  record->cost = -1.0;
  record->image_urls = g_new0 (char *, 1);
  record->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
  record->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_source_unref);
  record->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_tool_call_free);

  return record;
}

CriaMessageRecord *
cria_message_record_copy (const CriaMessageRecord *record)
{
  CriaMessageRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->content = g_strdup (record->content);
  copy->reasoning = g_strdup (record->reasoning);
  copy->model = g_strdup (record->model);
  copy->params = cria_chat_params_copy (record->params);
  copy->error = g_strdup (record->error);
  copy->image_urls = g_strdupv (record->image_urls);
  copy->documents = g_ptr_array_new_full (record->documents->len, (GDestroyNotify) cria_document_unref);
  for (guint i = 0; i < record->documents->len; i++)
    g_ptr_array_add (copy->documents, cria_document_ref (g_ptr_array_index (record->documents, i)));
  copy->sources = g_ptr_array_new_full (record->sources->len, (GDestroyNotify) cria_source_unref);
  for (guint i = 0; i < record->sources->len; i++)
    g_ptr_array_add (copy->sources, cria_source_ref (g_ptr_array_index (record->sources, i)));
  copy->tool_calls = g_ptr_array_new_full (record->tool_calls->len, (GDestroyNotify) cria_tool_call_free);
  for (guint i = 0; i < record->tool_calls->len; i++)
    g_ptr_array_add (copy->tool_calls, cria_tool_call_copy (g_ptr_array_index (record->tool_calls, i)));

  return copy;
}

void
cria_message_record_free (CriaMessageRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->content);
  g_free (record->reasoning);
  g_free (record->model);
  cria_chat_params_free (record->params);
  g_free (record->error);
  g_strfreev (record->image_urls);
  g_clear_pointer (&record->documents, g_ptr_array_unref);
  g_clear_pointer (&record->sources, g_ptr_array_unref);
  g_clear_pointer (&record->tool_calls, g_ptr_array_unref);
  g_free (record);
}

static gboolean
sources_equal (GPtrArray *a,
               GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (!cria_source_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;

  return TRUE;
}

static gboolean
tool_calls_equal (GPtrArray *a,
                  GPtrArray *b)
{
  g_autofree char *a_json = cria_tool_calls_to_json (a);
  g_autofree char *b_json = cria_tool_calls_to_json (b);

  return g_strcmp0 (a_json, b_json) == 0;
}

/* Documents are the same when they are the same text under the same name. */
static gboolean
documents_equal (GPtrArray *a,
                 GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      CriaDocument *x = g_ptr_array_index (a, i);
      CriaDocument *y = g_ptr_array_index (b, i);

      if (x == y)
        continue;
      if (g_strcmp0 (x->name, y->name) != 0 || g_strcmp0 (x->mime_type, y->mime_type) != 0 ||
          g_strcmp0 (x->hash, y->hash) != 0 || x->size != y->size ||
          x->n_scanned_pages != y->n_scanned_pages || x->pages->len != y->pages->len)
        return FALSE;
      for (guint j = 0; j < x->pages->len; j++)
        {
          if (g_strcmp0 (g_ptr_array_index (x->pages, j), g_ptr_array_index (y->pages, j)) != 0)
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
cria_message_record_equal (const CriaMessageRecord *a,
                           const CriaMessageRecord *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->id, b->id) == 0 &&
         a->role == b->role &&
         g_strcmp0 (a->content, b->content) == 0 &&
         g_strcmp0 (a->reasoning, b->reasoning) == 0 &&
         a->state == b->state &&
         g_strcmp0 (a->model, b->model) == 0 &&
         cria_chat_params_equal (a->params, b->params) &&
         a->tokens_in == b->tokens_in &&
         a->tokens_out == b->tokens_out &&
         a->reasoning_tokens == b->reasoning_tokens &&
         !a->estimated == !b->estimated &&
         a->cost == b->cost &&
         a->thinking_time == b->thinking_time &&
         a->tokens_per_second == b->tokens_per_second &&
         g_strcmp0 (a->error, b->error) == 0 &&
         a->created == b->created &&
         a->finish_reason == b->finish_reason &&
         tool_calls_equal (a->tool_calls, b->tool_calls) &&
         a->tool_status == b->tool_status &&
         a->tool_duration == b->tool_duration &&
         g_strv_equal ((const char * const *) a->image_urls, (const char * const *) b->image_urls) &&
         documents_equal (a->documents, b->documents) &&
         sources_equal (a->sources, b->sources);
}

static const char * const state_names[] = {
  [CRIA_MESSAGE_STATE_COMPLETE] = "complete",
  [CRIA_MESSAGE_STATE_STREAMING] = "streaming",
  [CRIA_MESSAGE_STATE_STOPPED] = "stopped",
  [CRIA_MESSAGE_STATE_INTERRUPTED] = "interrupted",
  [CRIA_MESSAGE_STATE_FAILED] = "failed",
};

const char *
cria_message_state_to_string (CriaMessageState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), "complete");

  return state_names[state];
}

gboolean
cria_message_state_from_string (const char       *text,
                                CriaMessageState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (text, state_names[i]) == 0)
        {
          *state = i;
          return TRUE;
        }
    }

  return FALSE;
}

static const char * const tool_status_names[] = {
  [CRIA_TOOL_STATUS_NONE] = NULL,
  [CRIA_TOOL_STATUS_WAITING] = "waiting",
  [CRIA_TOOL_STATUS_RUNNING] = "running",
  [CRIA_TOOL_STATUS_DONE] = "done",
  [CRIA_TOOL_STATUS_FAILED] = "failed",
  [CRIA_TOOL_STATUS_DENIED] = "denied",
  [CRIA_TOOL_STATUS_STOPPED] = "stopped",
};

const char *
cria_tool_status_to_string (CriaToolStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (tool_status_names), NULL);

  return tool_status_names[status];
}

CriaToolStatus
cria_tool_status_from_string (const char *text)
{
  if (text == NULL)
    return CRIA_TOOL_STATUS_NONE;

  for (guint i = 1; i < G_N_ELEMENTS (tool_status_names); i++)
    {
      if (g_str_equal (text, tool_status_names[i]))
        return i;
    }

  return CRIA_TOOL_STATUS_NONE;
}

gboolean
cria_tool_status_is_final (CriaToolStatus status)
{
  return status == CRIA_TOOL_STATUS_DONE || status == CRIA_TOOL_STATUS_FAILED ||
         status == CRIA_TOOL_STATUS_DENIED || status == CRIA_TOOL_STATUS_STOPPED;
}

G_DEFINE_BOXED_TYPE (CriaConversationRecord, cria_conversation_record,
                     cria_conversation_record_copy, cria_conversation_record_free)
G_DEFINE_BOXED_TYPE (CriaMessageRecord, cria_message_record,
                     cria_message_record_copy, cria_message_record_free)
