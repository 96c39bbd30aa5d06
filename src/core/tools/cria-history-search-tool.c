/* cria-history-search-tool.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search in the user's own conversations, through the store's full-text
 * index. It reads the user's data, so it asks before it runs.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-builtin-tools-private.h"

#define DEFAULT_LIMIT 8
#define MAX_LIMIT     25

struct _CriaHistorySearchTool
{
  GObject    parent_instance;

  CriaStore *store;
  JsonNode  *parameters;
};

static void tool_iface_init (CriaToolInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaHistorySearchTool, cria_history_search_tool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_TOOL, tool_iface_init))

static const char parameters_json[] =
  "{"
  "  \"type\": \"object\","
  "  \"properties\": {"
  "    \"query\": {"
  "      \"type\": \"string\","
  "      \"description\": \"Words to look for; every word must occur (as the start of a word)\""
  "    },"
  "    \"limit\": {"
  "      \"type\": \"integer\","
  "      \"minimum\": 1,"
  "      \"maximum\": 25,"
  "      \"description\": \"How many matches at most (default 8)\""
  "    }"
  "  },"
  "  \"required\": [\"query\"],"
  "  \"additionalProperties\": false"
  "}";

static const char *
get_name (CriaTool *tool)
{
  return "search_conversations";
}

static const char *
get_title (CriaTool *tool)
{
  return _("Search Conversations");
}

static const char *
get_description (CriaTool *tool)
{
  return "Searches the user's earlier conversations in this app (titles and messages) and returns "
         "the matching conversations with an excerpt of each match, newest first.";
}

static JsonNode *
get_parameters (CriaTool *tool)
{
  return CRIA_HISTORY_SEARCH_TOOL (tool)->parameters;
}

static CriaToolApproval
get_approval (CriaTool *tool)
{
  return CRIA_TOOL_APPROVAL_ASK;
}

/* The store's snippets are Pango markup made of escaped text and <b> around
 * the matches; the model gets the plain text with the matches in «». */
static void
append_plain (GString    *out,
              const char *markup)
{
  static const struct { const char *entity; const char *text; } entities[] = {
    { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&apos;", "'" },
    { "<b>", "«" }, { "</b>", "»" },
  };
  const char *p = markup;

  while (*p != '\0')
    {
      gboolean replaced = FALSE;

      if (*p == '&' && p[1] == '#')
        {
          const char *digits = p + 2;
          gboolean hex = *digits == 'x' || *digits == 'X';
          char *end = NULL;
          guint64 c = g_ascii_strtoull (digits + (hex ? 1 : 0), &end, hex ? 16 : 10);

          if (end != NULL && *end == ';' && c > 0 && c <= 0x10FFFF && g_unichar_validate ((gunichar) c))
            {
              /* Control characters other than line breaks carry nothing for a reader. */
              if (g_unichar_isprint ((gunichar) c) || c == '\n' || c == '\t')
                g_string_append_unichar (out, (gunichar) c);
              else
                g_string_append_c (out, ' ');
              p = end + 1;
              continue;
            }
        }
      for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
        if (g_str_has_prefix (p, entities[i].entity))
          {
            g_string_append (out, entities[i].text);
            p += strlen (entities[i].entity);
            replaced = TRUE;
            break;
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(GHashTable) excerpts = NULL;
  const char *query = g_task_get_task_data (task);

  hits = cria_store_search_finish (CRIA_STORE (object), result, &error);
  if (hits == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        {
          g_autofree char *message = g_strdup_printf (_("The search failed: %s"), error->message);
          _cria_tool_return_text (task, message, TRUE);
        }
      return;
    }

  if (hits->len == 0)
    {
      g_string_append_printf (text, "No conversation matches “%s”.", query);
      _cria_tool_return_text (task, text->str, FALSE);
      return;
    }

  /* One entry per conversation, in the order of its newest match, with
   * every matching excerpt under it. */
  conversations = g_ptr_array_new ();
  excerpts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, string_free);
  for (guint i = 0; i < hits->len; i++)
    {
      CriaSearchHit *hit = g_ptr_array_index (hits, i);
      const char *id = cria_search_hit_get_conversation_id (hit);
      GString *lines = g_hash_table_lookup (excerpts, id);

      if (lines == NULL)
        {
          lines = g_string_new (NULL);
          g_hash_table_insert (excerpts, (gpointer) id, lines);
          g_ptr_array_add (conversations, hit);
        }
      g_string_append (lines, "   - ");
      if (cria_search_hit_get_message_id (hit) == NULL)
        g_string_append (lines, "(the title matches)");
      else
        append_plain (lines, cria_search_hit_get_snippet_markup (hit));
      g_string_append_c (lines, '\n');
    }

  g_string_append_printf (text, "%u conversation%s “%s”, newest first:\n", conversations->len,
                          conversations->len == 1 ? " matches" : "s match", query);
  for (guint i = 0; i < conversations->len; i++)
    {
      CriaSearchHit *hit = g_ptr_array_index (conversations, i);
      const char *title = cria_search_hit_get_title (hit);
      GString *lines = g_hash_table_lookup (excerpts, cria_search_hit_get_conversation_id (hit));

      /* A title hit carries the title as markup; message hits as text. */
      g_string_append_printf (text, "\n%u. “", i + 1);
      if (cria_search_hit_get_message_id (hit) == NULL)
        append_plain (text, cria_search_hit_get_snippet_markup (hit));
      else
        g_string_append (text, title != NULL && *title != '\0' ? title : "Untitled");
      g_string_append (text, "”\n");
      g_string_append_len (text, lines->str, lines->len);
    }

  _cria_tool_return_text (task, text->str, FALSE);
}

static void
run_async (CriaTool            *tool,
           JsonObject          *arguments,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  CriaHistorySearchTool *self = CRIA_HISTORY_SEARCH_TOOL (tool);
  g_autoptr(GTask) task = g_task_new (tool, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;
  const char *query;
  gint64 limit;

  g_task_set_source_tag (task, run_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!_cria_tool_get_string_arg (arguments, "query", TRUE, &query, &error) ||
      !_cria_tool_get_int_arg (arguments, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT, &limit, &error))
    {
      _cria_tool_return_text (task, error->message, TRUE);
      return;
    }

  trimmed = g_utf8_make_valid (query, MIN (strlen (query), 1000));
  g_strstrip (trimmed);
  if (*trimmed == '\0')
    {
      _cria_tool_return_text (task, _("The query is empty: give at least one word"), TRUE);
      return;
    }

  g_task_set_task_data (task, g_strdup (trimmed), g_free);
  cria_store_search_async (self->store, trimmed, (guint) limit, cancellable,
                           search_cb, g_steal_pointer (&task));
}

static void
tool_iface_init (CriaToolInterface *iface)
{
  iface->get_name = get_name;
  iface->get_title = get_title;
  iface->get_description = get_description;
  iface->get_parameters = get_parameters;
  iface->get_approval = get_approval;
  iface->run_async = run_async;
  iface->run_finish = _cria_tool_task_finish;
}

static void
cria_history_search_tool_finalize (GObject *object)
{
  CriaHistorySearchTool *self = CRIA_HISTORY_SEARCH_TOOL (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->parameters, json_node_unref);

  G_OBJECT_CLASS (cria_history_search_tool_parent_class)->finalize (object);
}

static void
cria_history_search_tool_class_init (CriaHistorySearchToolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cria_history_search_tool_finalize;
}

static void
cria_history_search_tool_init (CriaHistorySearchTool *self)
{
  self->parameters = _cria_tool_parse_schema (parameters_json);
}

CriaTool *
cria_history_search_tool_new (CriaStore *store)
{
  CriaHistorySearchTool *self;

  g_return_val_if_fail (CRIA_IS_STORE (store), NULL);

  self = g_object_new (CRIA_TYPE_HISTORY_SEARCH_TOOL, NULL);
  self->store = g_object_ref (store);
  return CRIA_TOOL (self);
}
