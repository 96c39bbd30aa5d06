/* cria-tool-call.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-tool-call.h"

/* JSON-GLib parses recursively: deeper arguments are shown as written. */
#define FORMAT_MAX_DEPTH 64
/* Longer arguments are shown as written, and cut here. */
#define FORMAT_MAX_BYTES (64 * 1024)

G_DEFINE_BOXED_TYPE (CriaToolCall, cria_tool_call, cria_tool_call_copy, cria_tool_call_free)

CriaToolCall *
cria_tool_call_new (int index)
{
  CriaToolCall *call = g_new0 (CriaToolCall, 1);

  call->index = index;

  return call;
}

CriaToolCall *
cria_tool_call_copy (const CriaToolCall *call)
{
  CriaToolCall *copy;

  g_return_val_if_fail (call != NULL, NULL);

  copy = cria_tool_call_new (call->index);
  copy->id = g_strdup (call->id);
  copy->type = g_strdup (call->type);
  copy->name = g_strdup (call->name);
  copy->arguments = g_strdup (call->arguments);

  return copy;
}

void
cria_tool_call_free (CriaToolCall *call)
{
  if (call == NULL)
    return;

  g_free (call->id);
  g_free (call->type);
  g_free (call->name);
  g_free (call->arguments);
  g_free (call);
}

/* The deepest nesting of objects and arrays in @text, outside strings. */
static guint
json_depth (const char *text)
{
  guint depth = 0;
  guint deepest = 0;
  gboolean in_string = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        deepest = MAX (deepest, ++depth);
      else if ((*p == '}' || *p == ']') && depth > 0)
        depth--;
    }

  return deepest;
}

char *
cria_tool_call_format_arguments (const CriaToolCall *call)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *valid = NULL;
  JsonNode *root;

  g_return_val_if_fail (call != NULL, NULL);

  valid = g_utf8_make_valid (call->arguments != NULL ? call->arguments : "", -1);
  if (strlen (valid) > FORMAT_MAX_BYTES)
    {
      const char *end = valid + FORMAT_MAX_BYTES;
      g_autofree char *head = NULL;

      /* Cut between characters. */
      while (end > valid && (*end & 0xc0) == 0x80)
        end--;
      head = g_strndup (valid, end - valid);

      return g_strconcat (head, "…", NULL);
    }

  if (*valid == '\0' || json_depth (valid) > FORMAT_MAX_DEPTH)
    return g_steal_pointer (&valid);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, valid, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    return g_steal_pointer (&valid);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}
