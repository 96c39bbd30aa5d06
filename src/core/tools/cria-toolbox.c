/* cria-toolbox.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-toolbox.h"

struct _CriaToolbox
{
  GObject     parent_instance;

  /* GListModel of CriaTool each, in order. */
  GPtrArray  *sources;
  /* The tools the user allowed for good: Allowed, oldest first, and the
   * same by allow key (borrowed) to look them up. */
  GPtrArray  *allowed;
  GHashTable *always_allowed;
};

typedef struct
{
  char *source;
  char *name;
  char *key;
} Allowed;

enum {
  ALLOWED_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
allowed_free (Allowed *allowed)
{
  g_free (allowed->source);
  g_free (allowed->name);
  g_free (allowed->key);
  g_free (allowed);
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
  g_clear_pointer (&self->allowed, g_ptr_array_unref);

  G_OBJECT_CLASS (cria_toolbox_parent_class)->finalize (object);
}

static void
cria_toolbox_class_init (CriaToolboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_toolbox_dispose;
  object_class->finalize = cria_toolbox_finalize;

  /**
   * CriaToolbox::allowed-changed:
   *
   * The tools allowed for good changed, whoever changed them.
   */
  signals[ALLOWED_CHANGED] =
    g_signal_new ("allowed-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cria_toolbox_init (CriaToolbox *self)
{
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  self->allowed = g_ptr_array_new_with_free_func ((GDestroyNotify) allowed_free);
  self->always_allowed = g_hash_table_new (g_str_hash, g_str_equal);
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

/* One key per (source, name), whatever bytes either holds: the source's
 * length comes first. */
static char *
allow_key (const char *source,
           const char *name)
{
  return g_strdup_printf ("%zu:%s:%s", strlen (source), source, name);
}

/* What may be kept: valid UTF-8, a name, neither longer than the cap. */
static gboolean
allowed_entry_is_valid (const char *source,
                        const char *name)
{
  return source != NULL && name != NULL && *name != '\0' &&
         strlen (source) <= CRIA_TOOLBOX_ALLOWED_MAX_LENGTH &&
         strlen (name) <= CRIA_TOOLBOX_ALLOWED_MAX_LENGTH &&
         g_utf8_validate (source, -1, NULL) && g_utf8_validate (name, -1, NULL);
}

/* Appends (@source, @name) to @allowed and @index unless it is there, not
 * valid, or the list is full; TRUE when it was added. */
static gboolean
append_allowed (GPtrArray  *allowed,
                GHashTable *index,
                const char *source,
                const char *name)
{
  Allowed *entry;
  g_autofree char *key = NULL;

  if (!allowed_entry_is_valid (source, name) || allowed->len >= CRIA_TOOLBOX_MAX_ALLOWED)
    return FALSE;

  key = allow_key (source, name);
  if (g_hash_table_contains (index, key))
    return FALSE;

  entry = g_new0 (Allowed, 1);
  entry->source = g_strdup (source);
  entry->name = g_strdup (name);
  entry->key = g_steal_pointer (&key);
  g_ptr_array_add (allowed, entry);
  g_hash_table_add (index, entry->key);

  return TRUE;
}

gboolean
cria_toolbox_needs_approval (CriaToolbox *self,
                             CriaTool    *tool)
{
  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), TRUE);
  g_return_val_if_fail (CRIA_IS_TOOL (tool), TRUE);

  if (cria_tool_get_approval (tool) == CRIA_TOOL_APPROVAL_NONE)
    return FALSE;

  return !cria_toolbox_is_allowed (self, cria_toolbox_source_key (tool), cria_tool_get_name (tool));
}

/**
 * cria_toolbox_allow_always:
 *
 * Allows @tool for good, unless CRIA_TOOLBOX_MAX_ALLOWED tools already
 * are: then it goes on asking, and the tools allowed first stay allowed.
 */
void
cria_toolbox_allow_always (CriaToolbox *self,
                           CriaTool    *tool)
{
  g_return_if_fail (CRIA_IS_TOOLBOX (self));
  g_return_if_fail (CRIA_IS_TOOL (tool));

  if (append_allowed (self->allowed, self->always_allowed, cria_toolbox_source_key (tool), cria_tool_get_name (tool)))
    g_signal_emit (self, signals[ALLOWED_CHANGED], 0);
  else if (self->allowed->len >= CRIA_TOOLBOX_MAX_ALLOWED)
    g_debug ("Not allowing another tool for good: %u are", CRIA_TOOLBOX_MAX_ALLOWED);
}

/**
 * cria_toolbox_dup_allowed:
 *
 * Returns: (transfer full): the tools allowed for good, an a(ss) of
 *   (source, name), oldest first
 */
GVariant *
cria_toolbox_dup_allowed (CriaToolbox *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i < self->allowed->len; i++)
    {
      Allowed *entry = g_ptr_array_index (self->allowed, i);

      g_variant_builder_add (&builder, "(ss)", entry->source, entry->name);
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/**
 * cria_toolbox_set_allowed:
 * @allowed: an a(ss) of (source, name)
 *
 * Replaces the tools allowed for good with @allowed, in its order, less
 * what is not kept: invalid entries, repeats, and past
 * CRIA_TOOLBOX_MAX_ALLOWED entries the rest. ::allowed-changed follows
 * only when the set changed.
 */
void
cria_toolbox_set_allowed (CriaToolbox *self,
                          GVariant    *allowed)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) index = NULL;
  gboolean same;
  GVariantIter iter;
  const char *source;
  const char *name;

  g_return_if_fail (CRIA_IS_TOOLBOX (self));
  g_return_if_fail (allowed != NULL);
  g_return_if_fail (g_variant_is_of_type (allowed, G_VARIANT_TYPE ("a(ss)")));

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) allowed_free);
  index = g_hash_table_new (g_str_hash, g_str_equal);
  g_variant_iter_init (&iter, allowed);
  while (list->len < CRIA_TOOLBOX_MAX_ALLOWED && g_variant_iter_next (&iter, "(&s&s)", &source, &name))
    append_allowed (list, index, source, name);

  same = list->len == self->allowed->len;
  for (guint i = 0; same && i < list->len; i++)
    same = g_str_equal (((Allowed *) g_ptr_array_index (list, i))->key,
                        ((Allowed *) g_ptr_array_index (self->allowed, i))->key);
  if (same)
    return;

  g_hash_table_unref (self->always_allowed);
  self->always_allowed = g_steal_pointer (&index);
  g_ptr_array_unref (self->allowed);
  self->allowed = g_steal_pointer (&list);
  g_signal_emit (self, signals[ALLOWED_CHANGED], 0);
}

/* Whether the tool @name of @source ("" for Cria's own) runs without
 * asking, whatever its approval says. */
gboolean
cria_toolbox_is_allowed (CriaToolbox *self,
                         const char  *source,
                         const char  *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), FALSE);

  if (source == NULL || name == NULL)
    return FALSE;

  key = allow_key (source, name);
  return g_hash_table_contains (self->always_allowed, key);
}

/* Removes the entries @remove says, emitting once; how many went. */
static guint
forget_where (CriaToolbox *self,
              gboolean   (*remove) (Allowed    *entry,
                                    const char *source,
                                    const char *name),
              const char  *source,
              const char  *name)
{
  guint n = 0;

  for (guint i = self->allowed->len; i > 0; i--)
    {
      Allowed *entry = g_ptr_array_index (self->allowed, i - 1);

      if (!remove (entry, source, name))
        continue;
      g_hash_table_remove (self->always_allowed, entry->key);
      g_ptr_array_remove_index (self->allowed, i - 1);
      n++;
    }

  if (n > 0)
    g_signal_emit (self, signals[ALLOWED_CHANGED], 0);

  return n;
}

static gboolean
is_entry (Allowed    *entry,
          const char *source,
          const char *name)
{
  return g_str_equal (entry->source, source) && g_str_equal (entry->name, name);
}

static gboolean
is_of_source (Allowed    *entry,
              const char *source,
              const char *name)
{
  return g_str_equal (entry->source, source);
}

/**
 * cria_toolbox_forget:
 *
 * The tool @name of @source asks again before each call.
 *
 * Returns: whether it was allowed for good
 */
gboolean
cria_toolbox_forget (CriaToolbox *self,
                     const char  *source,
                     const char  *name)
{
  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return forget_where (self, is_entry, source, name) > 0;
}

/**
 * cria_toolbox_forget_source:
 *
 * Every tool of @source (an MCP server's name) asks again before each
 * call: the server was removed, and another may come under its name.
 *
 * Returns: how many of its tools were allowed for good
 */
guint
cria_toolbox_forget_source (CriaToolbox *self,
                            const char  *source)
{
  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), 0);
  g_return_val_if_fail (source != NULL, 0);

  return forget_where (self, is_of_source, source, NULL);
}

/**
 * cria_toolbox_rename_source:
 *
 * Every tool of @old_source allowed for good is allowed under @new_source
 * instead, keeping its place; one already allowed under @new_source is kept
 * once. Renaming to a name that is not valid forgets them.
 *
 * Returns: how many entries moved
 */
guint
cria_toolbox_rename_source (CriaToolbox *self,
                            const char  *old_source,
                            const char  *new_source)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) index = NULL;
  guint moved = 0;
  gboolean changed = FALSE;

  g_return_val_if_fail (CRIA_IS_TOOLBOX (self), 0);
  g_return_val_if_fail (old_source != NULL, 0);
  g_return_val_if_fail (new_source != NULL, 0);

  if (g_str_equal (old_source, new_source))
    return 0;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) allowed_free);
  index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->allowed->len; i++)
    {
      Allowed *entry = g_ptr_array_index (self->allowed, i);
      gboolean renamed = g_str_equal (entry->source, old_source);

      if (renamed)
        changed = TRUE;
      if (append_allowed (list, index, renamed ? new_source : entry->source, entry->name) && renamed)
        moved++;
    }
  if (!changed)
    return 0;

  g_ptr_array_unref (self->allowed);
  self->allowed = g_steal_pointer (&list);
  g_hash_table_unref (self->always_allowed);
  self->always_allowed = g_steal_pointer (&index);
  g_signal_emit (self, signals[ALLOWED_CHANGED], 0);
  return moved;
}
