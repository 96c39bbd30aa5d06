/* cria-api-response.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cria-api-chunk-reader.h"
#include "cria-api-error.h"
#include "cria-api-json.h"
#include "cria-api-private.h"
#include "cria-json.h"
#include "cria-embeddings-private.h"
#include "cria-model-private.h"

void
_cria_api_chunk_init (CriaApiChunk *chunk)
{
  memset (chunk, 0, sizeof *chunk);
  chunk->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_tool_call_free);
}

void
_cria_api_chunk_clear (CriaApiChunk *chunk)
{
  g_clear_pointer (&chunk->content, g_free);
  g_clear_pointer (&chunk->reasoning, g_free);
  g_clear_pointer (&chunk->finish_reason, g_free);
  g_clear_pointer (&chunk->tool_calls, g_ptr_array_unref);
  g_clear_pointer (&chunk->model, g_free);
  g_clear_error (&chunk->error);
}

static void read_parts (JsonArray *parts,
                        GString   *text,
                        GString   *thinking,
                        guint      depth);

/* A thinking part's text: a string, or parts of its own (Mistral's
 * Magistral sends {"type": "thinking", "thinking": [{"type": "text", …}]}). */
static void
read_thinking (JsonNode *node,
               GString  *thinking,
               guint     depth)
{
  if (node == NULL)
    return;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (thinking, json_node_get_string (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    /* Text inside a thinking part is all thinking. */
    read_parts (json_node_get_array (node), thinking, thinking, depth + 1);
}

static void
read_parts (JsonArray *parts,
            GString   *text,
            GString   *thinking,
            guint      depth)
{
  /* Thinking parts hold parts; a hostile nesting stops here. */
  if (depth > 4)
    return;

  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *node = json_array_get_element (parts, i);
      JsonObject *part;
      const char *type;
      const char *str;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      part = json_node_get_object (node);
      type = _cria_api_json_member_string (part, "type");

      if (g_strcmp0 (type, "thinking") == 0 || g_strcmp0 (type, "reasoning") == 0)
        {
          read_thinking (json_object_get_member (part, "thinking"), thinking, depth);
          if (!json_object_has_member (part, "thinking"))
            read_thinking (json_object_get_member (part, "text"), thinking, depth);
          continue;
        }

      /* Other part types (images, references) carry no text to show. */
      if (type != NULL && g_strcmp0 (type, "text") != 0 && g_strcmp0 (type, "output_text") != 0)
        continue;

      str = _cria_api_json_member_string (part, "text");
      if (str != NULL)
        g_string_append (text, str);
    }
}

static char *
take_text (GString *text)
{
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }

  return g_string_free (text, FALSE);
}

/* Content is normally a string, but some servers send an array of content
 * parts even in deltas: text parts are the answer, and thinking parts (Mistral's
 * Magistral) reasoning, which goes to *@thinking when it is given. */
static char *
read_content (JsonObject  *object,
              const char  *name,
              char       **thinking)
{
  JsonNode *node = json_object_get_member (object, name);
  GString *text;
  GString *thought;

  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);

      return *str != '\0' ? g_strdup (str) : NULL;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  text = g_string_new (NULL);
  thought = g_string_new (NULL);
  read_parts (json_node_get_array (node), text, thought, 0);

  if (thinking != NULL)
    *thinking = take_text (thought);
  else
    g_string_free (thought, TRUE);

  return take_text (text);
}

static char *
read_reasoning (JsonObject *object)
{
  /* DeepSeek and vLLM name it reasoning_content, Ollama and OpenRouter
   * reasoning; OpenRouter may send both with the same text, so one is taken. */
  char *text = read_content (object, "reasoning_content", NULL);

  if (text == NULL)
    text = read_content (object, "reasoning", NULL);

  return text;
}

static void
read_tool_calls (JsonObject   *object,
                 CriaApiChunk *chunk)
{
  JsonArray *calls = _cria_api_json_member_array (object, "tool_calls");

  if (calls == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonNode *node = json_array_get_element (calls, i);
      JsonObject *call_object;
      JsonObject *function;
      CriaToolCall *call;
      JsonNode *arguments;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      call_object = json_node_get_object (node);
      function = _cria_api_json_member_object (call_object, "function");
      call = cria_tool_call_new ((int) CLAMP (_cria_api_json_member_int (call_object, "index", i), 0, G_MAXINT));
      call->id = g_strdup (_cria_api_json_member_string (call_object, "id"));
      call->type = g_strdup (_cria_api_json_member_string (call_object, "type"));
      call->name = g_strdup (_cria_api_json_member_string (function, "name"));

      /* Arguments are a JSON text in pieces, but a few servers send the
       * parsed object whole; that is turned back into text. */
      arguments = function != NULL ? json_object_get_member (function, "arguments") : NULL;
      if (arguments != NULL && JSON_NODE_HOLDS_VALUE (arguments) &&
          json_node_get_value_type (arguments) == G_TYPE_STRING)
        call->arguments = g_strdup (json_node_get_string (arguments));
      else if (arguments != NULL && JSON_NODE_HOLDS_OBJECT (arguments))
        call->arguments = cria_json_to_data (arguments, FALSE, NULL);

      g_ptr_array_add (chunk->tool_calls, call);
    }
}

static void
read_usage (JsonObject   *root,
            CriaApiChunk *chunk)
{
  JsonObject *usage = _cria_api_json_member_object (root, "usage");
  JsonObject *details;

  if (usage == NULL)
    return;

  chunk->has_usage = TRUE;
  chunk->usage.prompt_tokens = _cria_api_json_member_int (usage, "prompt_tokens", 0);
  chunk->usage.completion_tokens = _cria_api_json_member_int (usage, "completion_tokens", 0);
  details = _cria_api_json_member_object (usage, "completion_tokens_details");
  chunk->usage.reasoning_tokens = _cria_api_json_member_int (details, "reasoning_tokens", 0);
  chunk->usage.estimated = FALSE;
}

static JsonObject *
first_choice (JsonObject *root)
{
  JsonArray *choices = _cria_api_json_member_array (root, "choices");
  JsonObject *fallback = NULL;

  if (choices == NULL)
    return NULL;

  /* Only the first choice (n=1) is shown; pick it by its index when the
   * server interleaves several. */
  for (guint i = 0; i < json_array_get_length (choices); i++)
    {
      JsonNode *node = json_array_get_element (choices, i);
      JsonObject *choice;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      choice = json_node_get_object (node);
      if (_cria_api_json_member_int (choice, "index", 0) == 0)
        return choice;
      if (fallback == NULL)
        fallback = choice;
    }

  return fallback;
}

static gboolean
read_choice (JsonObject    *root,
             const char    *message_member,
             CriaApiChunk  *chunk)
{
  JsonObject *choice = first_choice (root);
  JsonObject *message;
  g_autofree char *thinking = NULL;

  g_free (chunk->model);
  chunk->model = g_strdup (_cria_api_json_member_string (root, "model"));
  read_usage (root, chunk);

  if (_cria_api_json_member_object (root, "error") != NULL || _cria_api_json_member_string (root, "error") != NULL ||
      g_strcmp0 (_cria_api_json_member_string (root, "object"), "error") == 0)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_set_object (node, root);
      text = cria_json_to_data (node, FALSE, NULL);
      chunk->error = _cria_api_error_from_stream_event (text, strlen (text));
    }

  if (choice == NULL)
    return TRUE;

  chunk->finish_reason = g_strdup (_cria_api_json_member_string (choice, "finish_reason"));

  message = _cria_api_json_member_object (choice, message_member);
  if (message == NULL)
    return TRUE;

  chunk->content = read_content (message, "content", &thinking);
  chunk->reasoning = read_reasoning (message);
  if (thinking != NULL)
    {
      char *joined = g_strconcat (chunk->reasoning != NULL ? chunk->reasoning : "", thinking, NULL);

      g_free (chunk->reasoning);
      chunk->reasoning = joined;
    }
  read_tool_calls (message, chunk);

  return TRUE;
}

/**
 * _cria_api_parse_chunk_slow:
 * @chunk: an initialised #CriaApiChunk to fill
 *
 * Reads one `chat.completion.chunk` of any shape through a JSON tree.
 */
gboolean
_cria_api_parse_chunk_slow (const char    *data,
                            gsize          len,
                            CriaApiChunk  *chunk,
                            GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *root = _cria_api_json_parse_object (parser, data, len, error);

  if (root == NULL)
    return FALSE;

  return read_choice (root, "delta", chunk);
}

/**
 * _cria_api_parse_chunk:
 * @chunk: an initialised #CriaApiChunk to fill
 *
 * Reads one `chat.completion.chunk`.
 */
gboolean
_cria_api_parse_chunk (const char    *data,
                       gsize          len,
                       CriaApiChunk  *chunk,
                       GError       **error)
{
  /* Almost every chunk has the simple shape the fast reader handles; it
   * declines everything else, which the tree reader then decides. */
  if (_cria_api_read_chunk_fast (data, len, chunk))
    return TRUE;

  return _cria_api_parse_chunk_slow (data, len, chunk, error);
}

/**
 * _cria_api_parse_completion:
 * @chunk: an initialised #CriaApiChunk to fill
 *
 * Reads a whole non-streamed `chat.completion` into the same shape as a chunk.
 */
gboolean
_cria_api_parse_completion (const char    *data,
                            gsize          len,
                            CriaApiChunk  *chunk,
                            GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *repaired = NULL;
  gsize repaired_len = 0;
  JsonObject *root;

  /* One broken character (bad UTF-8, a lone surrogate) must not cost the
   * whole answer: it becomes U+FFFD. */
  if (data != NULL && !_cria_api_json_is_single_value (data, len) &&
      (repaired = _cria_api_repair_json_text (data, len, FALSE, &repaired_len, NULL)) != NULL)
    {
      data = repaired;
      len = repaired_len;
    }

  root = _cria_api_json_parse_object (parser, data, len, error);
  if (root == NULL)
    return FALSE;

  if (_cria_api_json_member_array (root, "choices") == NULL && _cria_api_json_member_object (root, "error") == NULL &&
      _cria_api_json_member_string (root, "error") == NULL)
    {
      g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                           _("The server’s reply holds no answer."));
      return FALSE;
    }

  return read_choice (root, "message", chunk);
}

/* A context window a server reports in its model list: vLLM's max_model_len,
 * OpenRouter's context_length, Groq's context_window, LM Studio's
 * max_context_length. */
static gint64
read_context_length (JsonObject *entry)
{
  static const char * const names[] = {
    "max_model_len", "context_length", "context_window", "max_context_length",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gint64 value = _cria_api_json_member_int (entry, names[i], 0);

      if (value > 0)
        return value;
    }

  return 0;
}

/* At most this many models of a GET /models reply are kept. */
#define CRIA_MAX_SERVER_MODELS 5000

/**
 * _cria_api_parse_models:
 *
 * Reads GET /models: OpenAI's `{"data": [{"id": …}]}`, a bare array, or
 * Ollama's native `{"models": [{"name": …}]}`.
 *
 * Returns: (transfer full) (element-type CriaServerModel): the listed models
 */
GPtrArray *
_cria_api_parse_models (const char  *data,
                        gsize        len,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GHashTable) seen = NULL;
  JsonNode *root = _cria_api_json_parse (parser, data, len, error);
  JsonArray *list = NULL;

  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    list = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      list = _cria_api_json_member_array (json_node_get_object (root), "data");
      if (list == NULL)
        list = _cria_api_json_member_array (json_node_get_object (root), "models");
    }

  if (list == NULL)
    {
      g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                           _("The server’s model list has an unexpected shape."));
      return NULL;
    }

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_server_model_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *entry;
      const char *id;
      CriaServerModel *model;

      /* No one picks from tens of thousands of models: the first ones are
       * kept, and the log says how many were left out. */
      if (models->len == CRIA_MAX_SERVER_MODELS)
        {
          g_message ("The server lists %u models; only the first %u are offered",
                     json_array_get_length (list), CRIA_MAX_SERVER_MODELS);
          break;
        }

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      entry = json_node_get_object (node);
      id = _cria_api_json_member_string (entry, "id");
      if (id == NULL)
        id = _cria_api_json_member_string (entry, "model");
      if (id == NULL)
        id = _cria_api_json_member_string (entry, "name");
      if (id == NULL || *id == '\0' || !g_utf8_validate (id, -1, NULL) ||
          g_hash_table_contains (seen, id))
        continue;

      model = g_new0 (CriaServerModel, 1);
      model->id = g_strdup (id);
      model->context_length = read_context_length (entry);
      g_hash_table_add (seen, model->id);
      g_ptr_array_add (models, model);
    }

  return g_steal_pointer (&models);
}

static GArray *
read_vector (JsonNode  *node,
             GError   **error)
{
  GArray *vector = g_array_new (FALSE, FALSE, sizeof (float));

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *values = json_node_get_array (node);
      guint n = json_array_get_length (values);

      g_array_set_size (vector, n);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *value = json_array_get_element (values, i);

          if (!JSON_NODE_HOLDS_VALUE (value) ||
              (json_node_get_value_type (value) != G_TYPE_DOUBLE &&
               json_node_get_value_type (value) != G_TYPE_INT64))
            goto bad;
          g_array_index (vector, float, i) = (float) json_node_get_double (value);
        }
      return vector;
    }

  /* base64: the little-endian bytes of float32 values. */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree guchar *bytes = NULL;
      gsize n_bytes = 0;

      bytes = g_base64_decode (json_node_get_string (node), &n_bytes);
      if (n_bytes % 4 != 0)
        goto bad;

      g_array_set_size (vector, n_bytes / 4);
      for (gsize i = 0; i < n_bytes / 4; i++)
        {
          guint32 bits;
          float value;

          memcpy (&bits, bytes + i * 4, 4);
          bits = GUINT32_FROM_LE (bits);
          memcpy (&value, &bits, 4);
          g_array_index (vector, float, i) = value;
        }
      return vector;
    }

bad:
  g_array_unref (vector);
  g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                       _("The server sent an embedding that is not a list of numbers."));
  return NULL;
}

static gsize
vector_length (CriaEmbeddings *embeddings,
               guint           index)
{
  gsize n = 0;

  cria_embeddings_get_vector (embeddings, index, &n);

  return n;
}

/**
 * _cria_api_parse_embeddings:
 *
 * Reads POST /embeddings: vectors as float arrays or base64, placed by index.
 */
CriaEmbeddings *
_cria_api_parse_embeddings (const char  *data,
                            gsize        len,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CriaEmbeddings) embeddings = NULL;
  JsonObject *root = _cria_api_json_parse_object (parser, data, len, error);
  JsonObject *usage_object;
  CriaUsage usage = { 0, };
  JsonArray *list;

  if (root == NULL)
    return NULL;

  list = _cria_api_json_member_array (root, "data");
  if (list == NULL)
    {
      g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                           _("The server’s reply holds no embeddings."));
      return NULL;
    }

  embeddings = _cria_embeddings_new (_cria_api_json_member_string (root, "model"));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *entry;
      JsonNode *embedding;
      GArray *vector;
      gint64 index;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      embedding = json_object_get_member (entry, "embedding");
      index = _cria_api_json_member_int (entry, "index", i);
      if (embedding == NULL || index >= json_array_get_length (list))
        {
          g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                               _("The server sent an embedding with no vector or a bad index."));
          return NULL;
        }

      vector = read_vector (embedding, error);
      if (vector == NULL)
        return NULL;
      if (vector->len == 0 ||
          ((guint) index < cria_embeddings_get_n_vectors (embeddings) &&
           vector_length (embeddings, (guint) index) > 0))
        {
          g_array_unref (vector);
          g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                               _("The server sent an empty or repeated embedding."));
          return NULL;
        }
      _cria_embeddings_set_vector (embeddings, (guint) index, vector);
    }

  /* Every index below the count was filled exactly once. */
  for (guint i = 0; i < cria_embeddings_get_n_vectors (embeddings); i++)
    if (vector_length (embeddings, i) == 0)
      {
        g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                             _("The server left out some of the embeddings."));
        return NULL;
      }

  usage_object = _cria_api_json_member_object (root, "usage");
  usage.prompt_tokens = _cria_api_json_member_int (usage_object, "prompt_tokens", 0);
  usage.estimated = usage_object == NULL;
  _cria_embeddings_set_usage (embeddings, &usage);

  return g_steal_pointer (&embeddings);
}
