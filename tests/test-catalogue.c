/* test-catalogue.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-error.h"
#include "cria-api-private.h"
#include "cria-catalogue.h"

/* The model picker shows the catalogue in this order. */
static const char * const catalogue_ids[] = {
  "llama-3.1-8b", "llama-3.2-3b", "qwen3-8b", "mistral-7b-v0.3", "dolphin3-8b",
  "deepseek-r1-8b", "deepseek-r1-7b-qwen", "openthinker-7b",
  "qwen2.5-coder-7b", "deepseek-coder-6.7b", "codellama-7b", "codegemma-7b", "starcoder2-7b",
  "qwen3-vl-8b", "llava-7b", "gemma3-4b", "olmocr-7b", "ui-tars-7b",
  "nomic-embed-text", "qwen3-embedding-8b", "embeddinggemma-300m",
};

static GListModel *
load_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  GListModel *catalogue = cria_catalogue_load (&error);

  g_assert_no_error (error);
  g_assert_nonnull (catalogue);
  g_assert_true (g_type_is_a (g_list_model_get_item_type (catalogue), CRIA_TYPE_MODEL));

  return catalogue;
}

static CriaModel *
find (GListModel *models,
      const char *id)
{
  CriaModel *model = cria_catalogue_find (models, id);

  if (model == NULL)
    g_test_message ("“%s” is missing", id);
  g_assert_nonnull (model);

  return model;
}

static void
test_order (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();

  g_assert_cmpuint (g_list_model_get_n_items (catalogue), ==, G_N_ELEMENTS (catalogue_ids));
  for (guint i = 0; i < G_N_ELEMENTS (catalogue_ids); i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (catalogue, i);

      g_assert_cmpstr (cria_model_get_id (model), ==, catalogue_ids[i]);
      g_assert_true (cria_model_get_in_catalogue (model));
      g_assert_true (cria_model_get_capabilities_known (model));
      /* Until a server says otherwise, everything can be picked. */
      g_assert_true (cria_model_get_available (model));
      /* A real display name, not the id shown twice. */
      g_assert_cmpstr (cria_model_get_name (model), !=, cria_model_get_id (model));
      g_assert_cmpint (cria_model_get_context_length (model), >, 0);
      g_assert_cmpfloat (cria_model_get_input_price (model), >, 0.0);
    }
}

typedef struct
{
  const char            *id;
  const char            *name;
  CriaModelCategory      category;
  CriaModelCapabilities  capabilities;
  gint64                 context_length;
  gint64                 max_output;
  double                 input_price;
  double                 output_price;
} Row;

static const Row rows[] = {
  { "llama-3.1-8b", "Llama 3.1 8B", CRIA_MODEL_CATEGORY_GENERAL, CRIA_MODEL_CAPABILITY_TOOLS,
    131072, 8192, 0.03, 0.05 },
  { "deepseek-r1-8b", "DeepSeek R1 8B", CRIA_MODEL_CATEGORY_REASONING,
    CRIA_MODEL_CAPABILITY_REASONING | CRIA_MODEL_CAPABILITY_TOOLS, 65536, 16384, 0.10, 0.20 },
  { "qwen3-vl-8b", "Qwen 3 VL 8B", CRIA_MODEL_CATEGORY_VISION,
    CRIA_MODEL_CAPABILITY_VISION | CRIA_MODEL_CAPABILITY_TOOLS, 32768, 8192, 0.15, 0.55 },
  { "llava-7b", "LLaVA 1.5 7B", CRIA_MODEL_CATEGORY_VISION, CRIA_MODEL_CAPABILITY_VISION,
    4096, 2048, 0.10, 0.20 },
  { "qwen2.5-coder-7b", "Qwen 2.5 Coder 7B", CRIA_MODEL_CATEGORY_CODE,
    CRIA_MODEL_CAPABILITY_CODE | CRIA_MODEL_CAPABILITY_TOOLS, 32768, 8192, 0.06, 0.12 },
  { "nomic-embed-text", "Nomic Embed Text", CRIA_MODEL_CATEGORY_EMBEDDING,
    CRIA_MODEL_CAPABILITY_EMBEDDING, 8192, 0, 0.02, -1 },
};

static void
test_rows (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const Row *row = &rows[i];
      CriaModel *model = find (catalogue, row->id);

      g_test_message ("%s", row->id);
      g_assert_cmpstr (cria_model_get_name (model), ==, row->name);
      g_assert_cmpint (cria_model_get_category (model), ==, row->category);
      g_assert_cmphex (cria_model_get_capabilities (model), ==, row->capabilities);
      g_assert_cmpint (cria_model_get_context_length (model), ==, row->context_length);
      g_assert_cmpint (cria_model_get_max_output (model), ==, row->max_output);
      g_assert_cmpfloat_with_epsilon (cria_model_get_input_price (model), row->input_price, 1e-9);
      if (row->output_price < 0)
        g_assert_cmpfloat (cria_model_get_output_price (model), <, 0.0);
      else
        g_assert_cmpfloat_with_epsilon (cria_model_get_output_price (model), row->output_price, 1e-9);
    }

  /* has_capability answers the questions the window asks. */
  g_assert_true (cria_model_has_capability (find (catalogue, "qwen2.5-coder-7b"), CRIA_MODEL_CAPABILITY_CODE));
  g_assert_false (cria_model_has_capability (find (catalogue, "qwen2.5-coder-7b"), CRIA_MODEL_CAPABILITY_VISION));
  g_assert_true (cria_model_has_capability (find (catalogue, "qwen3-vl-8b"), CRIA_MODEL_CAPABILITY_VISION));
  g_assert_false (cria_model_has_capability (find (catalogue, "llava-7b"), CRIA_MODEL_CAPABILITY_TOOLS));
  g_assert_true (cria_model_has_capability (find (catalogue, "deepseek-r1-8b"), CRIA_MODEL_CAPABILITY_REASONING));
  g_assert_false (cria_model_has_capability (find (catalogue, "llama-3.1-8b"), CRIA_MODEL_CAPABILITY_REASONING));

  /* Every embedding model is unusable for chat and has no output price. */
  for (guint i = 0; i < g_list_model_get_n_items (catalogue); i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (catalogue, i);
      gboolean embedding = cria_model_get_category (model) == CRIA_MODEL_CATEGORY_EMBEDDING;

      g_assert_cmpint (embedding, ==, cria_model_has_capability (model, CRIA_MODEL_CAPABILITY_EMBEDDING));
      if (embedding)
        {
          g_assert_cmpint (cria_model_get_max_output (model), ==, 0);
          g_assert_cmpfloat (cria_model_get_output_price (model), <, 0.0);
        }
      else
        g_assert_cmpfloat (cria_model_get_output_price (model), >, 0.0);
    }

  g_assert_null (cria_catalogue_find (catalogue, "gpt-4o"));
  g_assert_null (cria_catalogue_find (catalogue, "LLAMA-3.1-8B"));
}

static void
add_server_model (GPtrArray  *list,
                  const char *id,
                  gint64      context_length)
{
  CriaServerModel *entry = g_new0 (CriaServerModel, 1);

  entry->id = g_strdup (id);
  entry->context_length = context_length;
  g_ptr_array_add (list, entry);
}

static void
test_merge (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_server_model_free);
  g_autoptr(GListModel) merged = NULL;
  g_autoptr(GHashTable) listed_ids = g_hash_table_new (g_str_hash, g_str_equal);
  static const char * const unknown[] = { "zeta-13b", "my-lora-adapter", "alpha:latest" };
  CriaModel *model;

  add_server_model (listed, "zeta-13b", 0);
  add_server_model (listed, "qwen3-8b", 8192);
  add_server_model (listed, "llama-3.1-8b", 0);
  add_server_model (listed, "my-lora-adapter", 4096);
  add_server_model (listed, "nomic-embed-text", 0);
  add_server_model (listed, "alpha:latest", 0);
  g_hash_table_add (listed_ids, (gpointer) "qwen3-8b");
  g_hash_table_add (listed_ids, (gpointer) "llama-3.1-8b");
  g_hash_table_add (listed_ids, (gpointer) "nomic-embed-text");

  merged = cria_catalogue_merge (catalogue, listed);
  g_assert_nonnull (merged);
  g_assert_cmpuint (g_list_model_get_n_items (merged), ==, G_N_ELEMENTS (catalogue_ids) + G_N_ELEMENTS (unknown));

  /* The catalogue comes first, in its order; listed models are available. */
  for (guint i = 0; i < G_N_ELEMENTS (catalogue_ids); i++)
    {
      g_autoptr(CriaModel) item = g_list_model_get_item (merged, i);

      g_assert_cmpstr (cria_model_get_id (item), ==, catalogue_ids[i]);
      g_assert_true (cria_model_get_in_catalogue (item));
      g_assert_true (cria_model_get_capabilities_known (item));
      g_assert_cmpint (cria_model_get_available (item), ==,
                       g_hash_table_contains (listed_ids, catalogue_ids[i]));
    }

  /* Then the models only the server knows, in the server's order. */
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(CriaModel) item = g_list_model_get_item (merged, G_N_ELEMENTS (catalogue_ids) + i);

      g_assert_cmpstr (cria_model_get_id (item), ==, unknown[i]);
      g_assert_cmpstr (cria_model_get_name (item), ==, unknown[i]);
      g_assert_cmpint (cria_model_get_category (item), ==, CRIA_MODEL_CATEGORY_OTHER);
      g_assert_false (cria_model_get_capabilities_known (item));
      g_assert_false (cria_model_get_in_catalogue (item));
      g_assert_true (cria_model_get_available (item));
      g_assert_cmpfloat (cria_model_get_input_price (item), <, 0.0);
      g_assert_cmpfloat (cria_model_get_output_price (item), <, 0.0);
    }
  g_assert_cmpint (cria_model_get_context_length (find (merged, "my-lora-adapter")), ==, 4096);
  g_assert_cmpint (cria_model_get_context_length (find (merged, "zeta-13b")), ==, 0);

  /* What the server reports wins; 0 means "not said" and keeps the catalogue's. */
  model = find (merged, "qwen3-8b");
  g_assert_cmpint (cria_model_get_context_length (model), ==, 8192);
  g_assert_cmpstr (cria_model_get_name (model), ==, "Qwen 3 8B");
  g_assert_cmpint (cria_model_get_max_output (model), ==, 8192);
  g_assert_cmpfloat_with_epsilon (cria_model_get_output_price (model), 0.14, 1e-9);
  model = find (merged, "llama-3.1-8b");
  g_assert_cmpint (cria_model_get_context_length (model), ==, 131072);
  g_assert_cmphex (cria_model_get_capabilities (model), ==, CRIA_MODEL_CAPABILITY_TOOLS);
  /* An unlisted model keeps its figures, only greyed out. */
  model = find (merged, "qwen3-vl-8b");
  g_assert_false (cria_model_get_available (model));
  g_assert_cmpint (cria_model_get_context_length (model), ==, 32768);
  g_assert_true (cria_model_has_capability (model, CRIA_MODEL_CAPABILITY_VISION));

  /* Merging leaves the catalogue itself untouched, ready for the next server. */
  model = find (catalogue, "qwen3-8b");
  g_assert_cmpint (cria_model_get_context_length (model), ==, 32768);
  g_assert_true (cria_model_get_available (find (catalogue, "qwen3-vl-8b")));
  g_assert_cmpuint (g_list_model_get_n_items (catalogue), ==, G_N_ELEMENTS (catalogue_ids));
}

static void
test_merge_edge_cases (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_server_model_free);
  g_autoptr(GPtrArray) twice = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_server_model_free);
  g_autoptr(GListModel) empty_merge = NULL;
  g_autoptr(GListModel) twice_merge = NULL;
  guint n_extra = 0;

  /* A server that serves nothing leaves every catalogue model unavailable. */
  empty_merge = cria_catalogue_merge (catalogue, none);
  g_assert_cmpuint (g_list_model_get_n_items (empty_merge), ==, G_N_ELEMENTS (catalogue_ids));
  for (guint i = 0; i < G_N_ELEMENTS (catalogue_ids); i++)
    {
      g_autoptr(CriaModel) item = g_list_model_get_item (empty_merge, i);

      g_assert_false (cria_model_get_available (item));
    }

  /* An id listed twice shows once. */
  add_server_model (twice, "extra-model", 0);
  add_server_model (twice, "extra-model", 0);
  add_server_model (twice, "llava-7b", 0);
  twice_merge = cria_catalogue_merge (catalogue, twice);
  g_assert_cmpuint (g_list_model_get_n_items (twice_merge), ==, G_N_ELEMENTS (catalogue_ids) + 1);
  for (guint i = 0; i < g_list_model_get_n_items (twice_merge); i++)
    {
      g_autoptr(CriaModel) item = g_list_model_get_item (twice_merge, i);

      if (g_str_equal (cria_model_get_id (item), "extra-model"))
        n_extra++;
    }
  g_assert_cmpuint (n_extra, ==, 1);
  g_assert_true (cria_model_get_available (find (twice_merge, "llava-7b")));
  g_assert_cmpint (cria_model_get_context_length (find (twice_merge, "llava-7b")), ==, 4096);
}

static GPtrArray *
parse_fixture (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "models", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) read_error = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &read_error);
  g_assert_no_error (read_error);

  return _cria_api_parse_models (contents, len, error);
}

typedef struct
{
  const char *id;
  gint64      context_length;
} Expected;

static void
assert_models (const char     *fixture,
               const Expected *expected,
               guint           n_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = parse_fixture (fixture, &error);

  g_test_message ("%s", fixture);
  g_assert_no_error (error);
  g_assert_nonnull (models);
  g_assert_cmpuint (models->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      CriaServerModel *entry = g_ptr_array_index (models, i);

      g_assert_cmpstr (entry->id, ==, expected[i].id);
      g_assert_cmpint (entry->context_length, ==, expected[i].context_length);
    }
}

static void
test_parse_models (void)
{
  static const Expected llamagate[] = {
    { "llama-3.1-8b", 0 }, { "qwen3-8b", 0 }, { "deepseek-r1-8b", 0 }, { "nomic-embed-text", 0 },
  };
  static const Expected vllm[] = {
    { "qwen3-8b", 8192 }, { "llama-3.1-8b", 131072 }, { "my-lora-adapter", 8192 },
  };
  static const Expected openrouter[] = {
    { "meta-llama/llama-3.1-8b-instruct", 131072 }, { "qwen/qwen3-8b:free", 40960 },
  };
  static const Expected ollama_v1[] = {
    { "llama3:latest", 0 }, { "qwen2.5-coder:7b", 0 }, { "nomic-embed-text:latest", 0 },
  };
  static const Expected ollama_tags[] = {
    { "llama3:latest", 0 }, { "deepseek-r1:8b", 0 },
  };
  static const Expected lmstudio[] = {
    { "qwen2.5-7b-instruct", 32768 }, { "text-embedding-nomic-embed-text-v1.5", 2048 },
  };
  static const Expected bare[] = {
    { "llama-3.2-3b", 0 }, { "gemma3-4b", 128000 },
  };
  static const Expected duplicates[] = {
    { "qwen3-8b", 8192 }, { "llama-3.1-8b", 0 },
  };
  static const Expected missing_ids[] = {
    { "codegemma-7b", 0 },
  };

  assert_models ("llamagate.json", llamagate, G_N_ELEMENTS (llamagate));
  assert_models ("vllm.json", vllm, G_N_ELEMENTS (vllm));
  assert_models ("openrouter.json", openrouter, G_N_ELEMENTS (openrouter));
  assert_models ("ollama-v1.json", ollama_v1, G_N_ELEMENTS (ollama_v1));
  assert_models ("ollama-tags.json", ollama_tags, G_N_ELEMENTS (ollama_tags));
  assert_models ("lmstudio.json", lmstudio, G_N_ELEMENTS (lmstudio));
  assert_models ("bare-array.json", bare, G_N_ELEMENTS (bare));
  assert_models ("duplicates.json", duplicates, G_N_ELEMENTS (duplicates));
  assert_models ("missing-ids.json", missing_ids, G_N_ELEMENTS (missing_ids));
}

static void
test_parse_models_empty (void)
{
  static const char * const empties[] = { "{\"object\":\"list\",\"data\":[]}", "[]", "{\"models\":[]}" };

  /* An empty list is a valid answer (a server with nothing loaded). */
  for (guint i = 0; i < G_N_ELEMENTS (empties); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = _cria_api_parse_models (empties[i], strlen (empties[i]), &error);

      g_assert_no_error (error);
      g_assert_nonnull (models);
      g_assert_cmpuint (models->len, ==, 0);
    }
}

static void
test_parse_models_errors (void)
{
  static const char * const fixtures[] = { "not-json.txt", "wrong-shape.json" };
  static const char * const texts[] = {
    "", "<html><body>Not Found</body></html>", "{\"data\":", "42", "\"llama-3.1-8b\"", "null",
    "{\"object\":\"list\"}", "{\"data\":\"llama-3.1-8b\"}", "{\"models\":{\"name\":\"llama3\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = parse_fixture (fixtures[i], &error);

      g_test_message ("%s", fixtures[i]);
      g_assert_null (models);
      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED);
      g_assert_cmpstr (error->message, !=, "");
    }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = _cria_api_parse_models (texts[i], strlen (texts[i]), &error);

      g_test_message ("%s", texts[i]);
      g_assert_null (models);
      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED);
    }
}

static void
test_parse_then_merge (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = parse_fixture ("vllm.json", &error);
  g_autoptr(GListModel) merged = NULL;

  g_assert_no_error (error);
  merged = cria_catalogue_merge (catalogue, listed);

  g_assert_cmpuint (g_list_model_get_n_items (merged), ==, G_N_ELEMENTS (catalogue_ids) + 1);
  g_assert_true (cria_model_get_available (find (merged, "qwen3-8b")));
  g_assert_cmpint (cria_model_get_context_length (find (merged, "qwen3-8b")), ==, 8192);
  g_assert_true (cria_model_get_available (find (merged, "llama-3.1-8b")));
  g_assert_false (cria_model_get_available (find (merged, "deepseek-r1-8b")));
  g_assert_false (cria_model_get_capabilities_known (find (merged, "my-lora-adapter")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalogue/order", test_order);
  g_test_add_func ("/catalogue/rows", test_rows);
  g_test_add_func ("/catalogue/merge", test_merge);
  g_test_add_func ("/catalogue/merge-edge-cases", test_merge_edge_cases);
  g_test_add_func ("/catalogue/parse-models", test_parse_models);
  g_test_add_func ("/catalogue/parse-models-empty", test_parse_models_empty);
  g_test_add_func ("/catalogue/parse-models-errors", test_parse_models_errors);
  g_test_add_func ("/catalogue/parse-then-merge", test_parse_then_merge);

  return g_test_run ();
}
