/* cria-catalogue.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-api-json.h"
#include "cria-catalogue.h"
#include "cria-api-resources.h"
#include "cria-model-private.h"

#define CATALOGUE_PATH "/io/github/cria/Cria/core/catalogue.json"

void
cria_server_model_free (CriaServerModel *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->id);
  g_free (entry);
}

static CriaModelCapabilities
read_capabilities (JsonObject *entry)
{
  static const struct {
    const char            *name;
    CriaModelCapabilities  flag;
  } names[] = {
    { "vision", CRIA_MODEL_CAPABILITY_VISION },
    { "tools", CRIA_MODEL_CAPABILITY_TOOLS },
    { "reasoning", CRIA_MODEL_CAPABILITY_REASONING },
    { "code", CRIA_MODEL_CAPABILITY_CODE },
    { "embedding", CRIA_MODEL_CAPABILITY_EMBEDDING },
  };
  JsonArray *caps = _cria_api_json_member_array (entry, "capabilities");
  CriaModelCapabilities result = CRIA_MODEL_CAPABILITY_NONE;

  for (guint i = 0; caps != NULL && i < json_array_get_length (caps); i++)
    {
      JsonNode *node = json_array_get_element (caps, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (names); j++)
        if (g_str_equal (json_node_get_string (node), names[j].name))
          result |= names[j].flag;
    }

  return result;
}

/* Reads the bundled catalogue (catalogue.json): its models, in order. */
static GPtrArray *
parse_catalogue (const char  *data,
                 gsize        len,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) models = NULL;
  JsonObject *root = _cria_api_json_parse_object (parser, data, len, error);
  JsonArray *list;

  if (root == NULL)
    return NULL;

  list = _cria_api_json_member_array (root, "models");
  if (list == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The model catalogue has no models");
      return NULL;
    }

  models = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *entry;
      const char *id;
      CriaModelCategory category;
      CriaModel *model;
      double input_price = -1;
      double output_price = -1;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      id = _cria_api_json_member_string (entry, "id");
      if (id == NULL)
        continue;

      if (!cria_model_category_from_string (_cria_api_json_member_string (entry, "category"), &category))
        category = CRIA_MODEL_CATEGORY_OTHER;
      _cria_api_json_member_number (entry, "input_price", &input_price);
      _cria_api_json_member_number (entry, "output_price", &output_price);

      model = cria_model_new (id);
      _cria_model_set_name (model, _cria_api_json_member_string (entry, "name"));
      _cria_model_set_category (model, category);
      _cria_model_set_capabilities (model, read_capabilities (entry));
      _cria_model_set_context_length (model, _cria_api_json_member_int (entry, "context_length", 0));
      _cria_model_set_max_output (model, _cria_api_json_member_int (entry, "max_output", 0));
      _cria_model_set_prices (model, input_price, output_price);
      _cria_model_set_in_catalogue (model, TRUE);
      g_ptr_array_add (models, model);
    }

  return g_steal_pointer (&models);
}

/**
 * cria_catalogue_load:
 *
 * Loads the bundled catalogue of LlamaGate models. It fills the model picker
 * when the server can't be reached.
 *
 * Returns: (transfer full): a #GListModel of #CriaModel
 */
GListModel *
cria_catalogue_load (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) models = NULL;
  GListStore *store;
  gsize len;
  const char *data;

  bytes = g_resource_lookup_data (cria_api_get_resource (), CATALOGUE_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &len);
  models = parse_catalogue (data, len, error);
  if (models == NULL)
    return NULL;

  store = g_list_store_new (CRIA_TYPE_MODEL);
  g_list_store_splice (store, 0, 0, models->pdata, models->len);

  return G_LIST_MODEL (store);
}

static CriaModel *
copy_model (CriaModel *model)
{
  CriaModel *copy = cria_model_new (cria_model_get_id (model));

  if (cria_model_get_in_catalogue (model))
    _cria_model_set_name (copy, cria_model_get_name (model));
  _cria_model_set_category (copy, cria_model_get_category (model));
  _cria_model_set_capabilities (copy, cria_model_get_capabilities (model));
  _cria_model_set_context_length (copy, cria_model_get_context_length (model));
  _cria_model_set_max_output (copy, cria_model_get_max_output (model));
  _cria_model_set_prices (copy, cria_model_get_input_price (model),
                          cria_model_get_output_price (model));
  _cria_model_set_in_catalogue (copy, cria_model_get_in_catalogue (model));

  return copy;
}

/**
 * cria_catalogue_merge:
 * @catalogue: the catalogue's models
 * @server_models: (element-type CriaServerModel): what the server listed
 *
 * Merges the two: catalogue models the server does not list are marked
 * unavailable; a context length the server reports wins over the catalogue's;
 * models only the server knows follow, in the server's order, with category
 * "other" and unknown capabilities.
 *
 * Returns: (transfer full): a new #GListModel of #CriaModel
 */
GListModel *
cria_catalogue_merge (GListModel *catalogue,
                      GPtrArray  *server_models)
{
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(GHashTable) known = NULL;
  GListStore *store;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (catalogue), NULL);
  g_return_val_if_fail (server_models != NULL, NULL);

  listed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < server_models->len; i++)
    {
      CriaServerModel *entry = g_ptr_array_index (server_models, i);

      g_hash_table_insert (listed, entry->id, entry);
    }

  store = g_list_store_new (CRIA_TYPE_MODEL);
  known = g_hash_table_new (g_str_hash, g_str_equal);

  n = g_list_model_get_n_items (catalogue);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (catalogue, i);
      g_autoptr(CriaModel) copy = copy_model (model);
      CriaServerModel *entry = g_hash_table_lookup (listed, cria_model_get_id (model));

      _cria_model_set_available (copy, entry != NULL);
      if (entry != NULL && entry->context_length > 0)
        _cria_model_set_context_length (copy, entry->context_length);

      g_hash_table_add (known, (gpointer) cria_model_get_id (copy));
      g_list_store_append (store, copy);
    }

  for (guint i = 0; i < server_models->len; i++)
    {
      CriaServerModel *entry = g_ptr_array_index (server_models, i);
      g_autoptr(CriaModel) model = NULL;

      if (g_hash_table_contains (known, entry->id))
        continue;

      model = cria_model_new (entry->id);
      _cria_model_set_category (model, CRIA_MODEL_CATEGORY_OTHER);
      _cria_model_set_context_length (model, entry->context_length);
      _cria_model_set_available (model, TRUE);
      g_hash_table_add (known, (gpointer) cria_model_get_id (model));
      g_list_store_append (store, model);
    }

  return G_LIST_MODEL (store);
}

/**
 * cria_catalogue_find:
 *
 * Returns: (transfer none) (nullable): the model with @id in @models
 */
CriaModel *
cria_catalogue_find (GListModel *models,
                     const char *id)
{
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (models), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  n = g_list_model_get_n_items (models);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (models, i);

      if (g_str_equal (cria_model_get_id (model), id))
        return model;
    }

  return NULL;
}
