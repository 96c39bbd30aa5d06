/* cria-title-writer.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-title-writer.h"
#include "cria-usage.h"

#define TITLE_MAX_CHARS 60
/* A typical first exchange, for the estimate: a question and an answer cut
 * to CRIA_TITLE_WRITER_MAX_QUOTE characters. */
#define TYPICAL_QUOTE_TOKENS 300

static const char instruction[] =
  "Write a title of at most six words for the conversation below. "
  "Answer with the title alone: no quotes, no full stop.";

char *
cria_title_writer_clean (const char *text)
{
  g_autofree char *line = NULL;
  const char *newline;
  char *title;
  gsize len;

  if (text == NULL)
    return NULL;

  /* The first line with words on it. */
  while (*text != '\0' && g_ascii_isspace (*text))
    text++;
  newline = strchr (text, '\n');
  line = g_strndup (text, newline != NULL ? (gsize) (newline - text) : strlen (text));
  g_strstrip (line);

  /* Markdown and quotes models like to add. */
  while (*line != '\0' && strchr ("#*\"' ", *line) != NULL)
    memmove (line, line + 1, strlen (line));
  g_strstrip (line);
  len = strlen (line);
  while (len > 0 && strchr ("\"'*.", line[len - 1]) != NULL)
    line[--len] = '\0';
  g_strstrip (line);
  if (g_str_has_prefix (line, "Title:"))
    {
      memmove (line, line + strlen ("Title:"), strlen (line) - strlen ("Title:") + 1);
      g_strstrip (line);
    }

  if (*line == '\0' || !g_utf8_validate (line, -1, NULL))
    return NULL;

  title = g_utf8_substring (line, 0, MIN (g_utf8_strlen (line, -1), TITLE_MAX_CHARS));
  return title;
}

double
cria_title_writer_estimate_cost (double input_price,
                                 double output_price)
{
  CriaUsage usage = {
    .prompt_tokens = CRIA_TITLE_WRITER_EXTRA_INPUT_TOKENS + 2 * TYPICAL_QUOTE_TOKENS,
    .completion_tokens = CRIA_TITLE_WRITER_OUTPUT_TOKENS,
  };

  if (input_price < 0 || output_price < 0)
    return -1.0;

  return cria_usage_get_cost (&usage, input_price, output_price);
}

static char *
quote (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  if (g_utf8_strlen (text, -1) <= CRIA_TITLE_WRITER_MAX_QUOTE)
    return g_strdup (text);

  return g_utf8_substring (text, 0, CRIA_TITLE_WRITER_MAX_QUOTE);
}

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaChatReply *reply = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *title;

  if (!cria_client_chat_finish (CRIA_CLIENT (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  title = cria_title_writer_clean (cria_chat_reply_get_content (reply));
  if (title == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The model wrote no title."));
      return;
    }

  g_task_return_pointer (task, title, g_free);
}

void
cria_title_writer_write_async (CriaClient          *client,
                               const char          *model,
                               const char          *question,
                               const char          *answer,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(CriaChatRequest) request = NULL;
  g_autoptr(CriaChatMessage) system = NULL;
  g_autoptr(CriaChatMessage) user = NULL;
  g_autofree char *question_quote = quote (question);
  g_autofree char *answer_quote = quote (answer);
  g_autofree char *text = NULL;
  CriaChatReply *reply;
  GTask *task;

  g_return_if_fail (CRIA_IS_CLIENT (client));
  g_return_if_fail (model != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_title_writer_write_async);
  reply = cria_chat_reply_new ();
  g_task_set_task_data (task, reply, g_object_unref);

  request = cria_chat_request_new (model);
  cria_chat_request_set_stream (request, FALSE);
  cria_chat_request_set_max_tokens (request, 64);
  system = cria_chat_message_new (CRIA_ROLE_SYSTEM, instruction);
  text = g_strdup_printf ("User: %s\n\nAssistant: %s", question_quote, answer_quote);
  user = cria_chat_message_new (CRIA_ROLE_USER, text);
  cria_chat_request_add_message (request, system);
  cria_chat_request_add_message (request, user);

  cria_client_chat_async (client, request, reply, cancellable, chat_cb, task);
}

char *
cria_title_writer_write_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_title_writer_write_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
