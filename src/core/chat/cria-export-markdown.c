/* cria-export-markdown.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-export-markdown.h"

static const char *
role_heading (CriaRole role)
{
  switch (role)
    {
    case CRIA_ROLE_USER:
      return _("You");
    case CRIA_ROLE_ASSISTANT:
      return _("Assistant");
    case CRIA_ROLE_SYSTEM:
      return _("System");
    case CRIA_ROLE_TOOL:
    default:
      return _("Tool");
    }
}

static const char *
state_note (CriaMessageState state)
{
  switch (state)
    {
    case CRIA_MESSAGE_STATE_STOPPED:
      return _("Stopped before the end.");
    case CRIA_MESSAGE_STATE_INTERRUPTED:
    case CRIA_MESSAGE_STATE_STREAMING:
      return _("Interrupted before the end.");
    case CRIA_MESSAGE_STATE_FAILED:
      return _("No answer came.");
    case CRIA_MESSAGE_STATE_COMPLETE:
    default:
      return NULL;
    }
}

/* Titles are one line of plain text: nothing in one may start Markdown. */
static void
append_escaped_line (GString    *out,
                     const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        {
          if (strchr ("\\`*_{}[]<>()#+-.!|", *p) != NULL)
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
    }
}

/* A name on one line, with nothing in it that Markdown would read. */
static void
append_name (GString    *out,
             const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        {
          if (strchr ("\\`*_[]<>|", *p) != NULL)
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
    }
}

/* The passages an answer was given with: the document and page of each. */
static void
append_sources (GString   *out,
                GPtrArray *sources)
{
  if (sources == NULL || sources->len == 0)
    return;

  g_string_append_printf (out, "**%s**\n\n", _("Sources:"));
  for (guint i = 0; i < sources->len; i++)
    {
      CriaSource *source = g_ptr_array_index (sources, i);

      g_string_append (out, "- ");
      append_name (out, cria_source_get_document_name (source));
      if (cria_source_get_page (source) > 0)
        {
          g_string_append (out, ", ");
          g_string_append_printf (out, _("page %u"), cria_source_get_page (source));
        }
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');
}

/* One line per attached document under the text: its name, and its pages
 * when it has them. The text itself stays out: a reader of the export wants
 * the conversation, not the files again. */
static void
append_documents (GString   *out,
                  GPtrArray *documents)
{
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);
      guint n_pages = cria_document_get_n_pages (document);

      g_string_append (out, "📎 ");
      append_name (out, document->name);
      if (cria_document_is_paged (document))
        {
          g_string_append (out, " (");
          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", n_pages), n_pages);
          g_string_append_c (out, ')');
        }
      g_string_append (out, "\n\n");
    }
}

static const char *
finish_note (const CriaMessageRecord *message)
{
  if (message->state != CRIA_MESSAGE_STATE_COMPLETE && message->state != CRIA_MESSAGE_STATE_STOPPED)
    return NULL;

  switch (message->finish_reason)
    {
    case CRIA_FINISH_REASON_LENGTH:
      return _("The answer stopped at the length limit.");
    case CRIA_FINISH_REASON_CONTENT_FILTER:
      return _("The answer was stopped by the server’s content filter.");
    case CRIA_FINISH_REASON_NONE:
    case CRIA_FINISH_REASON_STOP:
    case CRIA_FINISH_REASON_TOOL_CALLS:
    case CRIA_FINISH_REASON_OTHER:
    default:
      return NULL;
    }
}

/* A fence longer than any run of backticks in @text, so that it holds. */
static char *
make_fence (const char *text)
{
  guint longest = 0;
  guint run = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }

  return g_strnfill (MAX (3, longest + 1), '`');
}

static void
append_tool_calls (GString   *out,
                   GPtrArray *tool_calls)
{
  for (guint i = 0; tool_calls != NULL && i < tool_calls->len; i++)
    {
      const CriaToolCall *call = g_ptr_array_index (tool_calls, i);
      g_autofree char *arguments = cria_tool_call_format_arguments (call);
      g_autofree char *fence = make_fence (arguments);

      g_string_append_printf (out, "**%s** ", _("Tool call:"));
      append_escaped_line (out, call->name != NULL ? call->name : "");
      g_string_append (out, "\n\n");
      if (*arguments != '\0')
        g_string_append_printf (out, "%sjson\n%s\n%s\n\n", fence, arguments, fence);
    }
}

/* A tool message as a reader wants it: the tool's name and where the call
 * ended on one line, then what it gave back in a fence of its own, so
 * nothing in it is read as Markdown. */
static void
append_tool_result (GString                 *out,
                    const CriaMessageRecord *message)
{
  const CriaToolCall *call = message->tool_calls->len > 0 ? g_ptr_array_index (message->tool_calls, 0) : NULL;
  const char *status = cria_tool_status_to_string (message->tool_status);
  g_autofree char *fence = make_fence (message->content != NULL ? message->content : "");

  g_string_append_printf (out, "**%s** ", _("Tool result:"));
  append_escaped_line (out, call != NULL && call->name != NULL ? call->name : "");
  if (status != NULL)
    g_string_append_printf (out, " (%s, %.1f s)", status, message->tool_duration / (double) G_USEC_PER_SEC);
  g_string_append (out, "\n\n");
  if (message->content != NULL && *message->content != '\0')
    g_string_append_printf (out, "%s\n%s\n%s\n\n", fence, message->content, fence);
}

char *
cria_export_markdown (const CriaConversationRecord *record,
                      GPtrArray                    *messages)
{
  GString *out;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (messages != NULL, NULL);

  out = g_string_new ("# ");
  append_escaped_line (out, record->title != NULL ? record->title : _("Conversation"));
  g_string_append (out, "\n\n");

  if (record->model != NULL)
    g_string_append_printf (out, "%s `%s`\n\n", _("Model:"), record->model);
  if (record->system_prompt != NULL && *record->system_prompt != '\0')
    g_string_append_printf (out, "<details>\n<summary>%s</summary>\n\n%s\n\n</details>\n\n",
                            _("System prompt"), record->system_prompt);

  for (guint i = 0; i < messages->len; i++)
    {
      CriaMessageRecord *message = g_ptr_array_index (messages, i);
      const char *note = state_note (message->state);

      if (message->role == CRIA_ROLE_TOOL)
        {
          append_tool_result (out, message);
          continue;
        }

      g_string_append_printf (out, "## %s\n\n", role_heading (message->role));

      if (message->reasoning != NULL && *message->reasoning != '\0')
        g_string_append_printf (out, "<details>\n<summary>%s</summary>\n\n%s\n\n</details>\n\n",
                                _("Reasoning"), message->reasoning);

      if (message->content != NULL && *message->content != '\0')
        g_string_append_printf (out, "%s\n\n", message->content);

      append_documents (out, message->documents);
      append_sources (out, message->sources);

      for (guint j = 0; message->image_urls != NULL && message->image_urls[j] != NULL; j++)
        g_string_append_printf (out, "![%s %u](%s)\n\n", _("Image"), j + 1, message->image_urls[j]);

      append_tool_calls (out, message->tool_calls);
      if (finish_note (message) != NULL)
        g_string_append_printf (out, "*%s*\n\n", finish_note (message));
      if (note != NULL)
        g_string_append_printf (out, "*%s*\n\n", note);
    }

  /* Text from the store may hold bytes that are not UTF-8; the file is
   * UTF-8 all the same. */
  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      char *valid = g_utf8_make_valid (out->str, (gssize) out->len);

      g_string_free (out, TRUE);
      return valid;
    }

  return g_string_free (out, FALSE);
}
