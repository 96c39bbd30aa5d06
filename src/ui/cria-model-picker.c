/* cria-model-picker.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cria-catalogue.h"
#include "cria-model.h"
#include "cria-model-picker.h"
#include "cria-model-picker-private.h"
#include "cria-model-row.h"

/* The picker lists models in a GtkListView over a filter (search, no
 * embeddings) over a sort (by category) over the models. A server may list
 * tens of thousands of models: the list view builds rows only for the
 * items around what is on screen (GTK 4.8 keeps about 200) and rebinds them
 * as the list scrolls; a change of search keeps the rows of the items that
 * stay and builds the others, so opening the list and typing cost the same
 * with two hundred models or twenty thousand. The sorter compares categories only:
 * GtkSortListModel keeps equal items in their original order, so each group
 * stays in catalogue order.
 *
 * GTK 4.8's list view has no sections: the first row of each category
 * shows the category's heading above the model, as a list box header would.
 * Whether a row is first depends on the row before it, which a change of
 * search can replace without rebinding the row, so every bound row's
 * heading is worked out again whenever the filtered list changes. */

/* Each row widget knows the list item it belongs to (not a reference: the
 * list item owns the row). */
#define LIST_ITEM_KEY "cria-model-picker-list-item"

struct _CriaModelPicker
{
  AdwBin              parent_instance;

  GListModel         *models;
  char               *selected_model_id;
  char               *search_text;

  GtkSortListModel   *sort_model;
  GtkFilterListModel *filter_model;
  GtkNoSelection     *selection;
  GtkCustomFilter    *filter;
  guint               n_rows_created;
  guint               n_rows_alive;

  GtkMenuButton      *button;
  GtkLabel           *label;
  GtkPopover         *popover;
  gboolean            rows_bound;
  GtkSearchEntry     *search_entry;
  GtkListView        *list_view;
  GtkLabel           *empty_label;
};

G_DEFINE_FINAL_TYPE (CriaModelPicker, cria_model_picker, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODELS,
  PROP_SELECTED_MODEL_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The order groups are shown in; embedding models are never listed. */
static int
category_rank (CriaModelCategory category)
{
  switch (category)
    {
    case CRIA_MODEL_CATEGORY_GENERAL:
      return 0;
    case CRIA_MODEL_CATEGORY_REASONING:
      return 1;
    case CRIA_MODEL_CATEGORY_CODE:
      return 2;
    case CRIA_MODEL_CATEGORY_VISION:
      return 3;
    case CRIA_MODEL_CATEGORY_OTHER:
      return 4;
    case CRIA_MODEL_CATEGORY_EMBEDDING:
    default:
      return 5;
    }
}

static const char *
category_title (CriaModelCategory category)
{
  switch (category)
    {
    case CRIA_MODEL_CATEGORY_GENERAL:
      return _("General");
    case CRIA_MODEL_CATEGORY_REASONING:
      return _("Reasoning");
    case CRIA_MODEL_CATEGORY_CODE:
      return _("Code");
    case CRIA_MODEL_CATEGORY_VISION:
      return _("Vision");
    case CRIA_MODEL_CATEGORY_EMBEDDING:
      return _("Embedding");
    case CRIA_MODEL_CATEGORY_OTHER:
    default:
      return _("Other");
    }
}

static int
compare_category_cb (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  int rank_a = category_rank (cria_model_get_category ((CriaModel *) a));
  int rank_b = category_rank (cria_model_get_category ((CriaModel *) b));

  return rank_a < rank_b ? GTK_ORDERING_SMALLER : rank_a > rank_b ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_model_cb (gpointer item,
                 gpointer user_data)
{
  CriaModelPicker *self = user_data;
  CriaModel *model = item;

  if (cria_model_get_category (model) == CRIA_MODEL_CATEGORY_EMBEDDING)
    return FALSE;

  if (self->search_text == NULL)
    return TRUE;

  return contains_casefold (cria_model_get_name (model), self->search_text) ||
         contains_casefold (cria_model_get_id (model), self->search_text);
}

static CriaModel *
find_model (CriaModelPicker *self,
            const char      *model_id)
{
  if (self->models == NULL || model_id == NULL)
    return NULL;

  return cria_catalogue_find (self->models, model_id);
}

static gboolean
is_current (CriaModelPicker *self,
            CriaModel       *model)
{
  return self->selected_model_id != NULL &&
         g_strcmp0 (cria_model_get_id (model), self->selected_model_id) == 0;
}

/* An unavailable model can't be picked, but the one already in use stays
 * pickable so choosing it again is not a dead end. */
static gboolean
is_pickable (CriaModelPicker *self,
             CriaModel       *model)
{
  return is_current (self, model) || cria_model_get_available (model);
}

/* The list item's widget is what assistive technologies list, so it carries
 * the row's name, description and current-model state. */
static void
update_row (CriaModelPicker *self,
            CriaModelRow    *row)
{
  CriaModel *model = cria_model_row_get_model (row);
  GtkListItem *list_item = g_object_get_data (G_OBJECT (row), LIST_ITEM_KEY);
  GtkWidget *cell = gtk_widget_get_parent (GTK_WIDGET (row));
  g_autoptr(CriaModel) before = NULL;
  guint position;
  gboolean current;

  if (model == NULL || list_item == NULL)
    return;

  current = is_current (self, model);
  cria_model_row_set_current (row, current);
  /* Rows stay selectable, though nothing is ever selected (the list's
   * selection model is a GtkNoSelection): in GTK 4.8 a list item takes
   * keyboard focus only if it is selectable. */
  gtk_list_item_set_activatable (list_item, is_pickable (self, model));

  position = gtk_list_item_get_position (list_item);
  if (position != GTK_INVALID_LIST_POSITION && position > 0)
    before = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position - 1);
  if (before != NULL &&
      category_rank (cria_model_get_category (before)) == category_rank (cria_model_get_category (model)))
    cria_model_row_set_heading (row, NULL);
  else
    cria_model_row_set_heading (row, category_title (cria_model_get_category (model)));

  if (cell != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, cria_model_get_name (model),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, cria_model_row_get_description (row),
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (cell),
                                   GTK_ACCESSIBLE_STATE_SELECTED, current,
                                   -1);
    }
}

/* The rows the list view has built: its children are the list items'
 * widgets, each holding one of ours. */
static void
update_rows (CriaModelPicker *self)
{
  for (GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *child = gtk_widget_get_first_child (cell);

      if (CRIA_IS_MODEL_ROW (child))
        update_row (self, CRIA_MODEL_ROW (child));
    }
}

static void
update_label (CriaModelPicker *self)
{
  CriaModel *model = find_model (self, self->selected_model_id);
  const char *text;

  if (model != NULL)
    text = cria_model_get_name (model);
  else if (self->selected_model_id != NULL)
    text = self->selected_model_id;
  else
    text = _("No Model");

  gtk_label_set_text (self->label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
update_empty (CriaModelPicker *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), empty);
}

static void
setup_row_cb (CriaModelPicker          *self,
              GtkListItem              *list_item,
              GtkSignalListItemFactory *factory)
{
  GtkWidget *row = cria_model_row_new (NULL);

  g_object_set_data (G_OBJECT (row), LIST_ITEM_KEY, list_item);
  gtk_list_item_set_child (list_item, row);
  self->n_rows_created++;
  self->n_rows_alive++;
}

static void
teardown_row_cb (CriaModelPicker          *self,
                 GtkListItem              *list_item,
                 GtkSignalListItemFactory *factory)
{
  g_assert (self->n_rows_alive > 0);
  self->n_rows_alive--;
}

static void
bind_row_cb (CriaModelPicker          *self,
             GtkListItem              *list_item,
             GtkSignalListItemFactory *factory)
{
  CriaModelRow *row = CRIA_MODEL_ROW (gtk_list_item_get_child (list_item));

  cria_model_row_set_model (row, gtk_list_item_get_item (list_item));
  update_row (self, row);
}

static void
unbind_row_cb (CriaModelPicker          *self,
               GtkListItem              *list_item,
               GtkSignalListItemFactory *factory)
{
  CriaModelRow *row = CRIA_MODEL_ROW (gtk_list_item_get_child (list_item));

  cria_model_row_set_model (row, NULL);
  cria_model_row_set_heading (row, NULL);
}

static void
filter_items_changed_cb (CriaModelPicker *self,
                         guint            position,
                         guint            removed,
                         guint            added,
                         GListModel      *model)
{
  update_empty (self);
  /* Connected after the selection model that feeds the list view: the
   * rows are already rebound here. */
  update_rows (self);
}

static void
models_items_changed_cb (CriaModelPicker *self,
                         guint            position,
                         guint            removed,
                         guint            added,
                         GListModel      *model)
{
  update_label (self);
}

static void
pick_model (CriaModelPicker *self,
            CriaModel       *model)
{
  if (!is_pickable (self, model))
    return;

  cria_model_picker_set_selected_model_id (self, cria_model_get_id (model));
  gtk_menu_button_popdown (self->button);
}

static void
list_activate_cb (CriaModelPicker *self,
                  guint            position,
                  GtkListView     *list_view)
{
  g_autoptr(CriaModel) model = NULL;

  g_assert (CRIA_IS_MODEL_PICKER (self));

  model = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);
  if (model != NULL)
    pick_model (self, model);
}

static void
search_changed_cb (CriaModelPicker *self,
                   GtkSearchEntry  *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search_text, g_free);
  if (stripped[0] != '\0')
    self->search_text = g_utf8_casefold (stripped, -1);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Enter picks the first model that can be picked, so typing a few letters
 * and pressing Enter switches models without touching the list. */
static void
search_activate_cb (CriaModelPicker *self,
                    GtkSearchEntry  *entry)
{
  GListModel *shown = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (shown);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (shown, i);

      if (is_pickable (self, model))
        {
          pick_model (self, model);
          return;
        }
    }
}

/* Down from the search entry walks into the list: the list view follows
 * focus into one of its rows, the first one here. */
static gboolean
search_key_pressed_cb (CriaModelPicker       *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  GtkWidget *first;

  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  first = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
  if (first == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    return GDK_EVENT_PROPAGATE;

  gtk_widget_grab_focus (first);
  return GDK_EVENT_STOP;
}

static void
search_stop_cb (CriaModelPicker *self,
                GtkSearchEntry  *entry)
{
  gtk_menu_button_popdown (self->button);
}

/* The rows are built the first time the list is needed, not at start-up:
 * the window's first frame should not wait for a popover nobody opened. */
static void
ensure_rows (CriaModelPicker *self)
{
  if (self->rows_bound)
    return;

  self->rows_bound = TRUE;
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

static void
popover_show_cb (CriaModelPicker *self,
                 GtkPopover      *popover)
{
  ensure_rows (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Each opening starts with the whole list. */
static void
popover_closed_cb (CriaModelPicker *self,
                   GtkPopover      *popover)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
cria_model_picker_dispose (GObject *object)
{
  CriaModelPicker *self = CRIA_MODEL_PICKER (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  /* AdwBin unparents its child, the menu button, itself: disposing the
   * template here would leave it a dangling pointer. */

  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->models);

  G_OBJECT_CLASS (cria_model_picker_parent_class)->dispose (object);
}

static void
cria_model_picker_finalize (GObject *object)
{
  CriaModelPicker *self = CRIA_MODEL_PICKER (object);

  g_clear_pointer (&self->selected_model_id, g_free);
  g_clear_pointer (&self->search_text, g_free);

  G_OBJECT_CLASS (cria_model_picker_parent_class)->finalize (object);
}

static void
cria_model_picker_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CriaModelPicker *self = CRIA_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_MODELS:
      g_value_set_object (value, self->models);
      break;
    case PROP_SELECTED_MODEL_ID:
      g_value_set_string (value, self->selected_model_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_model_picker_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CriaModelPicker *self = CRIA_MODEL_PICKER (object);

  switch (prop_id)
    {
    case PROP_MODELS:
      cria_model_picker_set_models (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_MODEL_ID:
      cria_model_picker_set_selected_model_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_model_picker_class_init (CriaModelPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_model_picker_dispose;
  object_class->finalize = cria_model_picker_finalize;
  object_class->get_property = cria_model_picker_get_property;
  object_class->set_property = cria_model_picker_set_property;

  /**
   * CriaModelPicker:models:
   *
   * The models to choose from, a #GListModel of #CriaModel.
   */
  properties[PROP_MODELS] =
    g_param_spec_object ("models", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CriaModelPicker:selected-model-id:
   *
   * The id of the model in use. It may name a model that is not in
   * #CriaModelPicker:models; the button then shows the id itself.
   */
  properties[PROP_SELECTED_MODEL_ID] =
    g_param_spec_string ("selected-model-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-model-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaModelPicker, button);
  gtk_widget_class_bind_template_child (widget_class, CriaModelPicker, label);
  gtk_widget_class_bind_template_child (widget_class, CriaModelPicker, popover);
  gtk_widget_class_bind_template_child (widget_class, CriaModelPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CriaModelPicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, CriaModelPicker, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_closed_cb);

  g_type_ensure (CRIA_TYPE_MODEL_ROW);
}

static void
cria_model_picker_init (CriaModelPicker *self)
{
  GtkCustomSorter *sorter;
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  sorter = gtk_custom_sorter_new (compare_category_cb, NULL, NULL);
  self->sort_model = gtk_sort_list_model_new (NULL, GTK_SORTER (sorter));

  self->filter = gtk_custom_filter_new (filter_model_cb, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (filter_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "teardown", G_CALLBACK (teardown_row_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  update_label (self);
  update_empty (self);
}

GtkWidget *
cria_model_picker_new (void)
{
  return g_object_new (CRIA_TYPE_MODEL_PICKER, NULL);
}

/**
 * cria_model_picker_get_models:
 *
 * Returns: (transfer none) (nullable): the models to choose from
 */
GListModel *
cria_model_picker_get_models (CriaModelPicker *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_PICKER (self), NULL);

  return self->models;
}

void
cria_model_picker_set_models (CriaModelPicker *self,
                              GListModel      *models)
{
  g_return_if_fail (CRIA_IS_MODEL_PICKER (self));
  g_return_if_fail (models == NULL || G_IS_LIST_MODEL (models));

  if (self->models == models)
    return;

  if (self->models != NULL)
    g_signal_handlers_disconnect_by_func (self->models, models_items_changed_cb, self);

  g_set_object (&self->models, models);

  if (models != NULL)
    g_signal_connect_object (models, "items-changed",
                             G_CALLBACK (models_items_changed_cb), self,
                             G_CONNECT_SWAPPED);

  gtk_sort_list_model_set_model (self->sort_model, models);
  update_label (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS]);
}

const char *
cria_model_picker_get_selected_model_id (CriaModelPicker *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_PICKER (self), NULL);

  return self->selected_model_id;
}

void
cria_model_picker_set_selected_model_id (CriaModelPicker *self,
                                         const char      *model_id)
{
  g_return_if_fail (CRIA_IS_MODEL_PICKER (self));

  if (g_strcmp0 (self->selected_model_id, model_id) == 0)
    return;

  g_free (self->selected_model_id);
  self->selected_model_id = g_strdup (model_id);

  update_label (self);
  update_rows (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_MODEL_ID]);
}

/**
 * cria_model_picker_popup:
 *
 * Opens the list with the search entry focused.
 */
void
cria_model_picker_popup (CriaModelPicker *self)
{
  g_return_if_fail (CRIA_IS_MODEL_PICKER (self));

  gtk_menu_button_popup (self->button);
}

void
cria_model_picker_popdown (CriaModelPicker *self)
{
  g_return_if_fail (CRIA_IS_MODEL_PICKER (self));

  gtk_menu_button_popdown (self->button);
}

GtkMenuButton *
_cria_model_picker_get_button (CriaModelPicker *self)
{
  return self->button;
}

GtkLabel *
_cria_model_picker_get_label (CriaModelPicker *self)
{
  return self->label;
}

GtkSearchEntry *
_cria_model_picker_get_search_entry (CriaModelPicker *self)
{
  return self->search_entry;
}

GtkListView *
_cria_model_picker_get_list_view (CriaModelPicker *self)
{
  ensure_rows (self);
  return self->list_view;
}

GListModel *
_cria_model_picker_get_shown_models (CriaModelPicker *self)
{
  return G_LIST_MODEL (self->filter_model);
}

GtkListItem *
_cria_model_picker_get_list_item (CriaModelPicker *self,
                                  CriaModelRow    *row)
{
  return g_object_get_data (G_OBJECT (row), LIST_ITEM_KEY);
}

guint
_cria_model_picker_get_n_rows_created (CriaModelPicker *self)
{
  return self->n_rows_created;
}

guint
_cria_model_picker_get_n_rows_alive (CriaModelPicker *self)
{
  return self->n_rows_alive;
}
