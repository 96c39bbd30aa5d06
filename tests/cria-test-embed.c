/* cria-test-embed.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-test-embed.h"

static const char * const stop_words[] = {
  "a", "an", "and", "are", "as", "at", "be", "by", "can", "did", "do", "does", "for", "from",
  "had", "has", "have", "how", "i", "in", "is", "it", "its", "many", "much", "of", "on", "or",
  "that", "the", "their", "there", "these", "this", "to", "was", "were", "what", "when", "where",
  "which", "who", "why", "will", "with", "you", "your", "into", "than", "then", "they", "them",
  "about", "after", "before", "each", "most", "more", "not", "but", "our", "we", "all", "any",
  "one", "two", "also", "been", "being", "per", "use", "used",
};

static gboolean
is_stop_word (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (stop_words); i++)
    if (g_str_equal (word, stop_words[i]))
      return TRUE;

  return FALSE;
}

static gboolean
ends_with (const char *word,
           gsize       len,
           const char *suffix)
{
  gsize n = strlen (suffix);

  return len > n && memcmp (word + len - n, suffix, n) == 0;
}

/* A few English suffixes, enough that "boil", "boils", "boiling" and
 * "boiled" meet. */
static void
stem (char *word)
{
  gsize len = strlen (word);

  if (len > 5 && ends_with (word, len, "ing"))
    len -= 3;
  else if (len > 4 && ends_with (word, len, "ied"))
    {
      len -= 3;
      word[len++] = 'y';
    }
  else if (len > 4 && ends_with (word, len, "ies"))
    {
      len -= 3;
      word[len++] = 'y';
    }
  else if (len > 4 && ends_with (word, len, "ed"))
    len -= 2;
  else if (len > 4 && ends_with (word, len, "ly"))
    len -= 2;
  else if (len > 4 && ends_with (word, len, "es") && !ends_with (word, len, "ses"))
    len -= 2;
  else if (len > 3 && ends_with (word, len, "s") && !ends_with (word, len, "ss"))
    len -= 1;
  word[len] = '\0';
}

guint
cria_test_embed_dimensions (const char *model)
{
  if (model != NULL && g_str_equal (model, "qwen3-embedding-8b"))
    return 4096;

  return 768;
}

void
cria_test_embed_text (const char *model,
                      const char *text,
                      guint       dimensions,
                      float      *out)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  const char *p = lower;
  double norm = 0;

  g_return_if_fail (dimensions > 0);

  memset (out, 0, sizeof (float) * dimensions);

  while (*p != '\0')
    {
      g_autofree char *word = NULL;
      const char *start;
      guint64 hash = 14695981039346656037u;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        continue;

      word = g_strndup (start, p - start);
      if (is_stop_word (word))
        continue;
      stem (word);

      for (const char *c = word; *c != '\0'; c++)
        hash = (hash ^ (guchar) *c) * 1099511628211u;
      out[hash % dimensions] += (hash >> 63) ? 1.0f : -1.0f;
      out[(hash >> 20) % dimensions] += ((hash >> 62) & 1) ? 1.0f : -1.0f;
    }

  for (guint i = 0; i < dimensions; i++)
    norm += (double) out[i] * out[i];
  if (norm == 0)
    {
      out[0] = 1;
      return;
    }
  norm = sqrt (norm);
  for (guint i = 0; i < dimensions; i++)
    out[i] = (float) (out[i] / norm);
}

static void
set_error (CriaFakeResponse *response,
           guint             status,
           const char       *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "invalid_request_error");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  cria_fake_response_set_status (response, status);
  cria_fake_response_set_body (response, "application/json", json, -1);
}

static void
embeddings_cb (CriaFakeServer        *server,
               const CriaFakeRequest *request,
               CriaFakeResponse      *response,
               gpointer               user_data)
{
  CriaTestEmbedCounts *counts = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  g_autofree char *json = NULL;
  g_autofree float *vector = NULL;
  JsonObject *object;
  JsonNode *input;
  const char *model;
  const char *format;
  guint dimensions;
  gint64 tokens = 0;
  gsize len;
  const char *body = g_bytes_get_data (request->body, &len);

  if (!json_parser_load_from_data (parser, body, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      set_error (response, SOUP_STATUS_BAD_REQUEST, "the body is not a JSON object");
      return;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  model = json_object_get_string_member_with_default (object, "model", "nomic-embed-text");
  format = json_object_get_string_member_with_default (object, "encoding_format", "float");

  input = json_object_get_member (object, "input");
  if (input != NULL && JSON_NODE_HOLDS_VALUE (input) && json_node_get_value_type (input) == G_TYPE_STRING)
    g_ptr_array_add (inputs, (gpointer) json_node_get_string (input));
  else if (input != NULL && JSON_NODE_HOLDS_ARRAY (input))
    {
      JsonArray *array = json_node_get_array (input);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              set_error (response, SOUP_STATUS_BAD_REQUEST, "input must be a string or an array of strings");
              return;
            }
          g_ptr_array_add (inputs, (gpointer) json_node_get_string (node));
        }
    }
  if (inputs->len == 0)
    {
      set_error (response, SOUP_STATUS_BAD_REQUEST, "input must be a string or a non-empty array of strings");
      return;
    }

  dimensions = cria_test_embed_dimensions (model);
  vector = g_new (float, dimensions);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < inputs->len; i++)
    {
      const char *text = g_ptr_array_index (inputs, i);

      cria_test_embed_text (model, text, dimensions, vector);
      tokens += MAX (1, (gint64) g_utf8_strlen (text, -1) / 4);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "embedding");
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, i);
      json_builder_set_member_name (builder, "embedding");
      if (g_str_equal (format, "base64"))
        {
          g_autofree guint32 *le = g_new (guint32, dimensions);
          g_autofree char *base64 = NULL;

          for (guint d = 0; d < dimensions; d++)
            {
              guint32 bits;

              memcpy (&bits, &vector[d], 4);
              le[d] = GUINT32_TO_LE (bits);
            }
          base64 = g_base64_encode ((const guchar *) le, dimensions * 4);
          json_builder_add_string_value (builder, base64);
        }
      else
        {
          json_builder_begin_array (builder);
          for (guint d = 0; d < dimensions; d++)
            json_builder_add_double_value (builder, vector[d]);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, tokens);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  cria_fake_response_set_body (response, "application/json", json, -1);

  if (counts != NULL)
    {
      counts->n_requests++;
      counts->n_inputs += inputs->len;
      counts->n_tokens += tokens;
    }
}

void
cria_test_embed_serve (CriaFakeServer      *server,
                       CriaTestEmbedCounts *counts)
{
  cria_fake_server_set_handler (server, "/v1/embeddings", embeddings_cb, counts, NULL);
}
