/* cria-toolbox.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-toolbox.h"

struct _CriaToolbox
{
  GObject     parent_instance;

  /* GListModel of CriaTool each, in order. */
  GPtrArray  *sources;
  /* "source\x1fname" of the tools the user allowed for good. */
  GHashTable *always_allowed;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaToolbox, cria_toolbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
cria_toolbox_get_item_type (GListModel *model)
{
  return CRIA_TYPE_TOOL;
}

static guint
cria_toolbox_get_n_items (GListModel *model)
{
  CriaToolbox *self = CRIA_TOOLBOX (model);
  guint n = 0;

  for (guint i = 0; i < self->sources->len; i++)
    n += g_list_model_get_n_items (g_ptr_array_index (self->sources, i));

  return n;
}

static gpointer
cria_toolbox_get_item (GListModel *model,
                       guint       position)
{
  CriaToolbox *self = CRIA_TOOLBOX (model);

  for (guint i = 0; i < self->sources->len; i++)
    {
      GListModel *source = g_ptr_array_index (self->sources, i);
      guint n = g_list_model_get_n_items (source);

      if (position < n)
        return g_list_model_get_item (source, position);
      position -= n;
    }

  return NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = cria_toolbox_get_item_type;
  iface->get_n_items = cria_toolbox_get_n_items;
  iface->get_item = cria_toolbox_get_item;
}

/* Where @source's items start in the whole list. */
static guint
source_offset (CriaToolbox *self,
               GListModel  *source)
{
  guint offset = 0;

  for (guint i = 0; i < self->sources->len; i++)
    {
      GListModel *other = g_ptr_array_index (self->sources, i);

      if (other == source)
        break;
      offset += g_list_model_get_n_items (other);
    }

  return offset;
}

static void
source_items_changed_cb (GListModel  *source,
                         guint        position,
                         guint        removed,
                         guint        added,
                         CriaToolbox *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), source_offset (self, source) + position,
                              removed, added);
}

static void
cria_toolbox_dispose (GObject *object)
{
  CriaToolbox *self = CRIA_TOOLBOX (object);

  for (guint i = 0; i < self->sources->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->sources, i),
                                          source_items_changed_cb, self);
  g_ptr_array_set_size (self->sources, 0);

  G_OBJECT_CLASS (cria_toolbox_parent_class)->dispose (object);
}

static void
cria_toolbox_finalize (GObject *object)
{
  CriaToolbox *self = CRIA_TOOLBOX (object);

  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->always_allowed, g_hash_table_unref);

  G_OBJECT_CLASS (cria_toolbox_parent_class)->finalize (object);
}

static void
cria_toolbox_class_init (CriaToolboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_toolbox_dispose;
  object_class->finalize = cria_toolbox_finalize;
}

static void
cria_toolbox_init (CriaToolbox *self)
{
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  self->always_allowed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

CriaToolbox *
cria_toolbox_new (void)
{
  return g_object_new (CRIA_TYPE_TOOLBOX, NULL);
}

/**
 * cria_toolbox_add_source:
 * @tools: a GListModel of CriaTool, followed as it changes
 */
void
cria_toolbox_add_source (CriaToolbox *self,
                         GListModel  *tools)
{
  guint position;
  guint n;

  g_return_if_fail (CRIA_IS_TOOLBOX (self));
  g_return_if_fail (G_IS_LIST_MODEL (tools));
  g_return_if_fail (g_type_is_a (g_list_model_get_item_type (tools), CRIA_TYPE_TOOL));

  if (g_ptr_array_find (self->sources, tools, NULL))
    return;

  position = cria_toolbox_get_n_items (G_LIST_MODEL (self));
  n = g_list_model_get_n_items (tools);
  g_ptr_array_add (self->sources, g_object_ref (tools));
  g_signal_connect_object (tools, "items-changed", G_CALLBACK (source_items_changed_cb),
                           self, 0);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n);
}

void
cria_toolbox_remove_source (CriaToolbox *self,
                            GListModel  *tools)
{
  guint index;
  guint position;
  guint n;

  g_return_if_fail (CRIA_IS_TOOLBOX (self));
  g_return_if_fail (G_IS_LIST_MODEL (tools));

  if (!g_ptr_array_find (self->sources, tools, &index))
    return;

  position = source_offset (self, tools);
  n = g_list_model_get_n_items (tools);
  g_signal_handlers_disconnect_by_func (tools, source_items_changed_cb, self);
  g_ptr_array_remove_index (self->sources, index);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, n, 0);
}

const char *
cria_toolbox_source_key (CriaTool *tool)
{
  const char *source;

  g_return_val_if_fail (CRIA_IS_TOOL (tool), "");

  source = cria_tool_get_source (tool);
  return source != NULL ? source : "";
}

static gboolean
is_off (CriaTool           *tool,
        const char * const *sources_off)
{
  return sources_off != NULL && g_strv_contains (sources_off, cria_toolbox_source_key (tool));
}

GStrv
cria_toolbox_dup_sources (CriaToolbox *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n;

  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), NULL);

  n = cria_toolbox_get_n_items (G_LIST_MODEL (self));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaTool) tool = g_list_model_get_item (G_LIST_MODEL (self), i);
      const char *key = cria_toolbox_source_key (tool);

      if (g_hash_table_add (seen, g_strdup (key)))
        g_strv_builder_add (builder, key);
    }

  return g_strv_builder_end (builder);
}

/**
 * cria_toolbox_lookup:
 * @sources_off: (nullable) (array zero-terminated=1): sources left out
 *
 * Returns: (transfer full) (nullable): the first tool named @name
 */
CriaTool *
cria_toolbox_lookup (CriaToolbox        *self,
                     const char         *name,
                     const char * const *sources_off)
{
  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), NULL);

  if (name == NULL)
    return NULL;

  for (guint i = 0; i < self->sources->len; i++)
    {
      GListModel *source = g_ptr_array_index (self->sources, i);
      guint n = g_list_model_get_n_items (source);

      for (guint j = 0; j < n; j++)
        {
          g_autoptr(CriaTool) tool = g_list_model_get_item (source, j);

          if (g_strcmp0 (cria_tool_get_name (tool), name) == 0 && !is_off (tool, sources_off))
            return g_steal_pointer (&tool);
        }
    }

  return NULL;
}

static void
build_parameters (JsonBuilder *builder,
                  CriaTool    *tool)
{
  JsonNode *parameters = cria_tool_get_parameters (tool);

  if (parameters != NULL && JSON_NODE_HOLDS_OBJECT (parameters))
    {
      json_builder_add_value (builder, json_node_copy (parameters));
      return;
    }

  /* A tool without a schema takes no arguments. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "object");
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/**
 * cria_toolbox_to_json:
 * @sources_off: (nullable) (array zero-terminated=1): sources left out
 *
 * Returns: (transfer full) (nullable): the tools as the "tools" member of a
 *   chat request, each name once
 */
char *
cria_toolbox_to_json (CriaToolbox        *self,
                      const char * const *sources_off)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), NULL);

  n = cria_toolbox_get_n_items (G_LIST_MODEL (self));
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaTool) tool = g_list_model_get_item (G_LIST_MODEL (self), i);
      const char *name = cria_tool_get_name (tool);

      if (name == NULL || is_off (tool, sources_off) || !g_hash_table_add (seen, (gpointer) name))
        continue;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "function");
      json_builder_set_member_name (builder, "function");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, cria_tool_get_description (tool));
      json_builder_set_member_name (builder, "parameters");
      build_parameters (builder, tool);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (g_hash_table_size (seen) == 0)
    return NULL;

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static char *
allow_key (CriaTool *tool)
{
  const char *source = cria_tool_get_source (tool);

  return g_strconcat (source != NULL ? source : "", "\x1f", cria_tool_get_name (tool), NULL);
}

gboolean
cria_toolbox_needs_approval (CriaToolbox *self,
                             CriaTool    *tool)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), TRUE);
  g_return_val_if_fail (CRIA_IS_TOOL (tool), TRUE);

  if (cria_tool_get_approval (tool) == CRIA_TOOL_APPROVAL_NONE)
    return FALSE;

  key = allow_key (tool);
  return !g_hash_table_contains (self->always_allowed, key);
}

void
cria_toolbox_allow_always (CriaToolbox *self,
                           CriaTool    *tool)
{
  g_return_if_fail (CRIA_IS_TOOLBOX (self));
  g_return_if_fail (CRIA_IS_TOOL (tool));

  g_hash_table_add (self->always_allowed, allow_key (tool));
}
