/* test-model-picker.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cria-catalogue.h"
#include "cria-model-picker.h"
#include "cria-model-picker-private.h"
#include "cria-model-row.h"

static gboolean have_display;

typedef struct
{
  GtkWindow       *window;
  CriaModelPicker *picker;
  GListModel      *models;
} Fixture;

static void
pump (void)
{
  /* The search entry reports changes from a (zero) timeout: let it run. */
  for (guint i = 0; i < 5; i++)
    {
      g_usleep (1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static GListModel *
load_catalogue (void)
{
  g_autoptr(GError) error = NULL;
  GListModel *catalogue = cria_catalogue_load (&error);

  g_assert_no_error (error);
  g_assert_nonnull (catalogue);

  return catalogue;
}

/* The catalogue as a server listing only a few of its models, one model it
 * does not know, and one whose id tries to be markup, would merge it. */
static GListModel *
load_merged (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(GPtrArray) server = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_server_model_free);
  const char *ids[] = { "llama-3.1-8b", "qwen3-vl-8b", "mystery-model", "<b>x</b>" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      CriaServerModel *entry = g_new0 (CriaServerModel, 1);

      entry->id = g_strdup (ids[i]);
      entry->context_length = g_str_equal (ids[i], "mystery-model") ? 4096 : 0;
      g_ptr_array_add (server, entry);
    }

  return cria_catalogue_merge (catalogue, server);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean merged = GPOINTER_TO_INT (data);

  if (!have_display)
    return;

  fixture->models = merged ? load_merged () : load_catalogue ();
  fixture->picker = CRIA_MODEL_PICKER (cria_model_picker_new ());
  cria_model_picker_set_models (fixture->picker, fixture->models);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->picker));
  gtk_window_present (fixture->window);
  pump ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  g_object_add_weak_pointer (G_OBJECT (fixture->picker), (gpointer *) &fixture->picker);
  gtk_window_destroy (fixture->window);
  pump ();
  g_assert_null (fixture->picker);
  g_assert_finalize_object (fixture->models);
}

static gboolean
skip_without_display (void)
{
  if (!have_display)
    {
      g_test_skip ("No display");
      return TRUE;
    }

  return FALSE;
}

/* The rows the list view has built, in order: its children are its list
 * items' widgets, each holding a CriaModelRow bound to a model. A list view
 * builds rows for the items on screen and a margin around them, which is
 * every item of a list as short as the catalogue. */
static GPtrArray *
visible_rows (Fixture *fixture)
{
  GtkListView *list_view = _cria_model_picker_get_list_view (fixture->picker);
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (list_view));
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *child = gtk_widget_get_first_child (cell);

      if (CRIA_IS_MODEL_ROW (child) &&
          cria_model_row_get_model (CRIA_MODEL_ROW (child)) != NULL &&
          gtk_widget_get_visible (cell) && gtk_widget_get_visible (child))
        g_ptr_array_add (rows, child);
    }

  return rows;
}

/* The rows inside the list's scrolled window: what the user sees. */
static GPtrArray *
rows_on_screen (Fixture *fixture)
{
  GtkWidget *list_view = GTK_WIDGET (_cria_model_picker_get_list_view (fixture->picker));
  GtkWidget *scrolled = gtk_widget_get_ancestor (list_view, GTK_TYPE_SCROLLED_WINDOW);
  g_autoptr(GPtrArray) rows = visible_rows (fixture);
  GPtrArray *shown = g_ptr_array_new ();
  graphene_rect_t viewport;

  g_assert_nonnull (scrolled);
  graphene_rect_init (&viewport, 0, 0, gtk_widget_get_width (scrolled), gtk_widget_get_height (scrolled));
  g_assert_cmpfloat (viewport.size.height, >, 0);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      graphene_rect_t bounds;

      if (gtk_widget_get_mapped (row) &&
          gtk_widget_compute_bounds (row, scrolled, &bounds) &&
          graphene_rect_intersection (&bounds, &viewport, NULL))
        g_ptr_array_add (shown, row);
    }

  return shown;
}

/* The list item a row belongs to: it says whether the row can be picked. */
static GtkListItem *
row_item (Fixture      *fixture,
          CriaModelRow *row)
{
  GtkListItem *item = _cria_model_picker_get_list_item (fixture->picker, row);

  g_assert_nonnull (item);
  g_assert_true (gtk_list_item_get_child (item) == GTK_WIDGET (row));

  return item;
}

static gboolean
row_activatable (Fixture      *fixture,
                 CriaModelRow *row)
{
  return gtk_list_item_get_activatable (row_item (fixture, row));
}

/* What the list view does when a row is clicked or Enter is pressed on it,
 * whether or not the row is activatable. */
static void
activate_row (Fixture      *fixture,
              CriaModelRow *row)
{
  g_signal_emit_by_name (_cria_model_picker_get_list_view (fixture->picker), "activate",
                         gtk_list_item_get_position (row_item (fixture, row)));
}

static CriaModelRow *
find_row (Fixture    *fixture,
          const char *id)
{
  g_autoptr(GPtrArray) rows = visible_rows (fixture);

  for (guint i = 0; i < rows->len; i++)
    {
      CriaModelRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (cria_model_get_id (cria_model_row_get_model (row)), id))
        return row;
    }

  return NULL;
}

static const char *
row_name (CriaModelRow *row)
{
  return cria_model_get_name (cria_model_row_get_model (row));
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (!gtk_widget_get_visible (widget))
    return;

  /* A category heading sits in the first row of its group but is not part
   * of what the row says about its model. */
  if (gtk_widget_has_css_class (widget, "cria-model-group"))
    return;

  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (labels, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static GtkLabel *
find_label (CriaModelRow *row,
            const char   *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (GTK_WIDGET (row), labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (g_str_equal (gtk_label_get_text (label), text))
        return label;
    }

  return NULL;
}

static guint
count_badges (CriaModelRow *row)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint n = 0;

  collect_labels (GTK_WIDGET (row), labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "cria-badge"))
      n++;

  return n;
}

/* The category heading a row shows above its model, if any. */
static const char *
row_heading (CriaModelRow *row)
{
  GtkWidget *widget = GTK_WIDGET (row);

  while ((widget = gtk_widget_get_first_child (widget)) != NULL)
    {
      for (GtkWidget *child = widget; child != NULL; child = gtk_widget_get_next_sibling (child))
        {
          if (gtk_widget_has_css_class (child, "cria-model-group"))
            {
              g_assert_true (GTK_IS_LABEL (child));
              return gtk_widget_get_visible (child) ? gtk_label_get_text (GTK_LABEL (child)) : NULL;
            }
        }
    }

  return NULL;
}

/* Headings in order, joined with "|". */
static char *
headings (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = visible_rows (fixture);
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *header = row_heading (g_ptr_array_index (rows, i));

      g_assert_cmpstr (header, ==, cria_model_row_get_heading (g_ptr_array_index (rows, i)));
      if (header == NULL)
        continue;

      if (str->len > 0)
        g_string_append_c (str, '|');
      g_string_append (str, header);
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
set_search (Fixture    *fixture,
            const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (_cria_model_picker_get_search_entry (fixture->picker)), text);
  pump ();
}

static void
test_groups (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *heads = NULL;
  g_autofree char *placeholder = NULL;
  const char *expected[] = {
    "llama-3.1-8b", "llama-3.2-3b", "qwen3-8b", "mistral-7b-v0.3", "dolphin3-8b",
    "deepseek-r1-8b", "deepseek-r1-7b-qwen", "openthinker-7b",
    "qwen2.5-coder-7b", "deepseek-coder-6.7b", "codellama-7b", "codegemma-7b", "starcoder2-7b",
    "qwen3-vl-8b", "llava-7b", "gemma3-4b", "olmocr-7b", "ui-tars-7b",
  };

  if (skip_without_display ())
    return;

  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 18);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (expected));

  /* Each group keeps catalogue order. */
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (cria_model_get_id (cria_model_row_get_model (g_ptr_array_index (rows, i))), ==, expected[i]);

  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 0)), ==, "Llama 3.1 8B");

  heads = headings (fixture);
  g_assert_cmpstr (heads, ==, "General|Reasoning|Code|Vision");

  g_object_get (_cria_model_picker_get_search_entry (fixture->picker), "placeholder-text", &placeholder, NULL);
  g_assert_cmpstr (placeholder, ==, "Search models");
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *heads = NULL;

  if (skip_without_display ())
    return;

  cria_model_picker_popup (fixture->picker);
  pump ();

  /* Substrings: "StarCoder2" contains "coder" too. */
  set_search (fixture, "coder");
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 0)), ==, "Qwen 2.5 Coder 7B");
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 1)), ==, "DeepSeek Coder 6.7B");
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 2)), ==, "StarCoder2 7B");
  g_clear_pointer (&rows, g_ptr_array_unref);

  set_search (fixture, " Coder 6 ");
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 0)), ==, "DeepSeek Coder 6.7B");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Case-insensitive, on names and ids; the Qwen embedding model stays hidden. */
  set_search (fixture, "QWEN");
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 0)), ==, "Qwen 3 8B");
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 1)), ==, "DeepSeek R1 Distill Qwen 7B");
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 2)), ==, "Qwen 2.5 Coder 7B");
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 3)), ==, "Qwen 3 VL 8B");
  heads = headings (fixture);
  g_assert_cmpstr (heads, ==, "General|Reasoning|Code|Vision");
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* An id-only match. */
  set_search (fixture, "r1-8b");
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (row_name (g_ptr_array_index (rows, 0)), ==, "DeepSeek R1 8B");
  g_clear_pointer (&rows, g_ptr_array_unref);

  set_search (fixture, "embed");
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  set_search (fixture, "");
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 18);
  g_clear_pointer (&heads, g_free);
  heads = headings (fixture);
  g_assert_cmpstr (heads, ==, "General|Reasoning|Code|Vision");

  /* Enter picks the first row shown and closes the list. */
  set_search (fixture, "coder");
  g_signal_emit_by_name (_cria_model_picker_get_search_entry (fixture->picker), "activate");
  pump ();
  g_assert_cmpstr (cria_model_picker_get_selected_model_id (fixture->picker), ==, "qwen2.5-coder-7b");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (_cria_model_picker_get_button (fixture->picker)))));

  /* Closing clears the search for next time. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_cria_model_picker_get_search_entry (fixture->picker))), ==, "");
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_select (Fixture       *fixture,
             gconstpointer  data)
{
  GtkLabel *label;
  CriaModelRow *row;
  guint notified = 0;

  if (skip_without_display ())
    return;

  label = _cria_model_picker_get_label (fixture->picker);
  g_signal_connect (fixture->picker, "notify::selected-model-id", G_CALLBACK (notify_cb), &notified);

  cria_model_picker_popup (fixture->picker);
  pump ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (_cria_model_picker_get_button (fixture->picker)))));

  row = find_row (fixture, "deepseek-r1-8b");
  g_assert_nonnull (row);
  /* A click on the row, as the list item's widget sends it. */
  g_assert_true (gtk_widget_activate_action (gtk_widget_get_parent (GTK_WIDGET (row)), "list.activate-item",
                                             "u", gtk_list_item_get_position (row_item (fixture, row))));
  pump ();
  g_assert_cmpstr (cria_model_picker_get_selected_model_id (fixture->picker), ==, "deepseek-r1-8b");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "DeepSeek R1 8B");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (cria_model_row_get_current (row));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (_cria_model_picker_get_button (fixture->picker)))));

  g_object_set (fixture->picker, "selected-model-id", "qwen3-8b", NULL);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Qwen 3 8B");
  g_assert_cmpuint (notified, ==, 2);
  g_assert_false (cria_model_row_get_current (row));
  g_assert_true (cria_model_row_get_current (find_row (fixture, "qwen3-8b")));

  /* The same id again is no change. */
  cria_model_picker_set_selected_model_id (fixture->picker, "qwen3-8b");
  g_assert_cmpuint (notified, ==, 2);

  /* An id the list does not have is shown as it is. */
  cria_model_picker_set_selected_model_id (fixture->picker, "not-a-model");
  g_assert_cmpstr (gtk_label_get_text (label), ==, "not-a-model");
  g_assert_cmpuint (notified, ==, 3);

  g_signal_handlers_disconnect_by_func (fixture->picker, notify_cb, &notified);
}

static void
test_unavailable (Fixture       *fixture,
                  gconstpointer  data)
{
  CriaModelRow *row;
  g_autofree char *heads = NULL;

  if (skip_without_display ())
    return;

  cria_model_picker_set_selected_model_id (fixture->picker, "llama-3.1-8b");

  row = find_row (fixture, "qwen3-8b");
  g_assert_nonnull (row);
  g_assert_nonnull (find_label (row, "Unavailable"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "cria-unavailable"));
  g_assert_false (row_activatable (fixture, row));

  /* Even if something activates it anyway, the selection stays. */
  activate_row (fixture, row);
  g_assert_cmpstr (cria_model_picker_get_selected_model_id (fixture->picker), ==, "llama-3.1-8b");

  /* An available model has no such label. */
  g_assert_null (find_label (find_row (fixture, "qwen3-vl-8b"), "Unavailable"));

  /* The model already in use stays activatable though the server dropped it. */
  cria_model_picker_set_selected_model_id (fixture->picker, "qwen3-8b");
  g_assert_true (row_activatable (fixture, row));
  cria_model_picker_set_selected_model_id (fixture->picker, "llama-3.1-8b");
  g_assert_false (row_activatable (fixture, row));

  /* Models only the server knows go last, under Other, without badges. */
  heads = headings (fixture);
  g_assert_cmpstr (heads, ==, "General|Reasoning|Code|Vision|Other");
  row = find_row (fixture, "mystery-model");
  g_assert_nonnull (row);
  g_assert_cmpuint (count_badges (row), ==, 0);
  g_assert_nonnull (find_label (row, "mystery-model"));
  g_assert_nonnull (find_label (row, "4K context"));
  g_assert_nonnull (find_label (row, "Price unknown"));
  g_assert_null (find_label (row, "Unavailable"));
  g_assert_true (row_activatable (fixture, row));

  activate_row (fixture, row);
  g_assert_cmpstr (cria_model_picker_get_selected_model_id (fixture->picker), ==, "mystery-model");
  g_assert_cmpstr (gtk_label_get_text (_cria_model_picker_get_label (fixture->picker)), ==, "mystery-model");
}

static void
test_row_texts (Fixture       *fixture,
                gconstpointer  data)
{
  CriaModelRow *row;
  GtkLabel *label;

  if (skip_without_display ())
    return;

  row = find_row (fixture, "llama-3.1-8b");
  g_assert_nonnull (row);
  g_assert_nonnull (find_label (row, "Llama 3.1 8B"));
  g_assert_nonnull (find_label (row, "128K context"));
  g_assert_nonnull (find_label (row, "$0.03 / $0.05 per 1M tokens"));
  label = find_label (row, "Tools");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "cria-badge"));
  g_assert_cmpuint (count_badges (row), ==, 1);
  g_assert_null (find_label (row, "Vision"));

  row = find_row (fixture, "qwen3-vl-8b");
  g_assert_nonnull (row);
  label = find_label (row, "Vision");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "cria-badge"));
  g_assert_nonnull (find_label (row, "Tools"));
  g_assert_cmpuint (count_badges (row), ==, 2);

  row = find_row (fixture, "deepseek-r1-8b");
  g_assert_nonnull (find_label (row, "Reasoning"));
  g_assert_nonnull (find_label (row, "64K context"));
  g_assert_nonnull (find_label (row, "$0.10 / $0.20 per 1M tokens"));

  /* 128000 is 125 × 1024 too, but it is read as thousands. */
  g_assert_nonnull (find_label (find_row (fixture, "dolphin3-8b"), "128K context"));

  /* A name that looks like markup is shown as it is, never parsed. */
  row = find_row (fixture, "<b>x</b>");
  g_assert_nonnull (row);
  label = find_label (row, "<b>x</b>");
  g_assert_nonnull (label);
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_cmpstr (gtk_label_get_label (label), ==, "<b>x</b>");

  cria_model_picker_set_selected_model_id (fixture->picker, "<b>x</b>");
  label = _cria_model_picker_get_label (fixture->picker);
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_cmpstr (gtk_label_get_label (label), ==, "<b>x</b>");
}

static void
test_format (void)
{
  struct {
    gint64      length;
    const char *text;
  } contexts[] = {
    { 131072, "128K context" },
    { 32768, "32K context" },
    { 4096, "4K context" },
    { 128000, "128K context" },
    { 40960, "40K context" },
    { 200000, "200K context" },
    { 65536, "64K context" },
    { 8192, "8K context" },
    { 100352, "98K context" },
    { 12345, "12K context" },
    { 512, "512 context" },
    { 0, NULL },
  };
  struct {
    double      in;
    double      out;
    const char *text;
  } prices[] = {
    { 0.03, 0.05, "$0.03 / $0.05 per 1M tokens" },
    { 0.1, 0.15, "$0.10 / $0.15 per 1M tokens" },
    { 0.125, 1, "$0.125 / $1.00 per 1M tokens" },
    { 0, 0, "$0.00 / $0.00 per 1M tokens" },
    { 0.02, -1, "$0.02 per 1M input tokens" },
    { -1, -1, "Price unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (contexts); i++)
    {
      g_autofree char *text = cria_model_format_context (contexts[i].length);

      g_assert_cmpstr (text, ==, contexts[i].text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autofree char *text = cria_model_format_price (prices[i].in, prices[i].out);

      g_assert_cmpstr (text, ==, prices[i].text);
    }
}

static void
test_lifecycle (void)
{
  g_autoptr(GListModel) models = NULL;
  CriaModelPicker *picker;

  if (skip_without_display ())
    return;

  models = load_catalogue ();
  picker = g_object_ref_sink (CRIA_MODEL_PICKER (cria_model_picker_new ()));
  cria_model_picker_set_models (picker, models);
  cria_model_picker_set_selected_model_id (picker, "llama-3.1-8b");
  cria_model_picker_set_models (picker, NULL);
  g_assert_cmpstr (gtk_label_get_text (_cria_model_picker_get_label (picker)), ==, "llama-3.1-8b");
  g_assert_finalize_object (picker);
}

/* The catalogue merged with a server listing 20,000 models of its own,
 * org/model-00000 to org/model-19999. */
static GListModel *
load_many (void)
{
  g_autoptr(GListModel) catalogue = load_catalogue ();
  g_autoptr(GPtrArray) server = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_server_model_free);

  for (guint i = 0; i < 20000; i++)
    {
      CriaServerModel *entry = g_new0 (CriaServerModel, 1);

      entry->id = g_strdup_printf ("org/model-%05u", i);
      g_ptr_array_add (server, entry);
    }

  return cria_catalogue_merge (catalogue, server);
}

/* A server listing 20,000 models froze the picker for 12 s building a row
 * for each: the list view builds rows for what is on screen only, and the
 * search still finds any of them. */
static void
test_many_models (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GListModel) many = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  GtkWidget *popover;
  gint64 start;

  if (skip_without_display ())
    return;

  many = load_many ();

  start = g_get_monotonic_time ();
  cria_model_picker_set_models (fixture->picker, many);
  cria_model_picker_popup (fixture->picker);
  pump ();
  g_test_message ("opened with 20,000 models in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);

  popover = GTK_WIDGET (gtk_menu_button_get_popover (_cria_model_picker_get_button (fixture->picker)));
  g_assert_true (gtk_widget_get_visible (popover));
  /* GTK 4.8's list view keeps a few rows beyond the 200 around its first
   * one ready for scrolling: what it has built is bounded, and what it
   * shows is at most a screenful. */
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <=, 300);
  g_assert_cmpuint (rows->len, <=, _cria_model_picker_get_n_rows_created (fixture->picker));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_on_screen (fixture);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <=, 200);

  /* Every model is in the list, none left out behind a "more" line. */
  g_assert_cmpuint (g_list_model_get_n_items (_cria_model_picker_get_shown_models (fixture->picker)), >, 20000);
  labels = g_ptr_array_new ();
  collect_labels (popover, labels);
  for (guint i = 0; i < labels->len; i++)
    g_assert_null (strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), "more model"));

  /* One far down the list is found by typing, and Enter picks it. */
  set_search (fixture, "model-12345");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_nonnull (find_row (fixture, "org/model-12345"));
  g_signal_emit_by_name (_cria_model_picker_get_search_entry (fixture->picker), "activate");
  pump ();
  g_assert_cmpstr (cria_model_picker_get_selected_model_id (fixture->picker), ==, "org/model-12345");
}

/* With 20,000 models the list builds a bounded number of row widgets, on
 * opening, searching and clearing the search alike, and recycles them; the
 * search finds the 19,999th model and clicking its row picks it. */
static void
test_many_models_recycled (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GListModel) many = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GListModel *shown;
  CriaModelRow *row;
  guint created;

  if (skip_without_display ())
    return;

  many = load_many ();
  cria_model_picker_set_models (fixture->picker, many);
  g_assert_cmpuint (_cria_model_picker_get_n_rows_created (fixture->picker), ==, 0);

  cria_model_picker_popup (fixture->picker);
  pump ();
  shown = _cria_model_picker_get_shown_models (fixture->picker);
  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 20000);
  created = _cria_model_picker_get_n_rows_created (fixture->picker);
  g_test_message ("%u row widgets for %u models", created, g_list_model_get_n_items (shown));
  g_assert_cmpuint (created, >, 0);
  g_assert_cmpuint (created, <=, 300);
  g_assert_cmpuint (_cria_model_picker_get_n_rows_alive (fixture->picker), ==, created);
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <=, created);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* The 19,999th of the server's models. */
  set_search (fixture, "model-19998");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  rows = visible_rows (fixture);
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  row = find_row (fixture, "org/model-19998");
  g_assert_nonnull (row);
  g_assert_nonnull (find_label (row, "org/model-19998"));
  g_assert_true (row_activatable (fixture, row));

  /* Back to the whole list and searching again: each change of search
   * builds rows for a screenful at most (GTK 4.8 keeps the rows of the
   * items that stay and builds the others afresh), and the rows in use
   * stay bounded. */
  created = _cria_model_picker_get_n_rows_created (fixture->picker);
  set_search (fixture, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown), >=, 20000);
  g_assert_cmpuint (_cria_model_picker_get_n_rows_created (fixture->picker) - created, <=, 300);
  g_assert_cmpuint (_cria_model_picker_get_n_rows_alive (fixture->picker), <=, 300);
  created = _cria_model_picker_get_n_rows_created (fixture->picker);
  set_search (fixture, "model-1999");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 10);
  g_assert_cmpuint (_cria_model_picker_get_n_rows_created (fixture->picker) - created, <=, 10);
  g_assert_cmpuint (_cria_model_picker_get_n_rows_alive (fixture->picker), <=, 10);

  set_search (fixture, "model-19998");
  row = find_row (fixture, "org/model-19998");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (gtk_widget_get_parent (GTK_WIDGET (row)), "list.activate-item",
                                             "u", gtk_list_item_get_position (row_item (fixture, row))));
  pump ();
  g_assert_cmpstr (cria_model_picker_get_selected_model_id (fixture->picker), ==, "org/model-19998");
  g_assert_cmpstr (gtk_label_get_text (_cria_model_picker_get_label (fixture->picker)), ==, "org/model-19998");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (_cria_model_picker_get_button (fixture->picker)))));
  g_assert_cmpuint (_cria_model_picker_get_n_rows_alive (fixture->picker), <=, 300);
}

/* What the search entry's key controller does with a key press. */
static gboolean
press_key_in_search (Fixture *fixture,
                     guint    keyval)
{
  GtkWidget *entry = GTK_WIDGET (_cria_model_picker_get_search_entry (fixture->picker));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (entry);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
    }

  return handled;
}

/* Down from the search walks into the list, onto the first row shown;
 * Enter there picks it. */
static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *focus;
  CriaModelRow *row;

  if (skip_without_display ())
    return;

  cria_model_picker_popup (fixture->picker);
  pump ();
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (_cria_model_picker_get_search_entry (fixture->picker))));

  set_search (fixture, "coder");
  g_assert_true (press_key_in_search (fixture, GDK_KEY_Down));
  pump ();

  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (_cria_model_picker_get_list_view (fixture->picker))));
  row = find_row (fixture, "qwen2.5-coder-7b");
  g_assert_nonnull (row);
  g_assert_true (focus == gtk_widget_get_parent (GTK_WIDGET (row)) ||
                 gtk_widget_is_ancestor (focus, gtk_widget_get_parent (GTK_WIDGET (row))));

  /* Other keys are the entry's. */
  g_assert_false (press_key_in_search (fixture, GDK_KEY_a));

  /* Enter on the focused row is the list item widget's activation. */
  g_assert_true (gtk_widget_activate (focus));
  pump ();
  g_assert_cmpstr (cria_model_picker_get_selected_model_id (fixture->picker), ==, "qwen2.5-coder-7b");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (_cria_model_picker_get_button (fixture->picker)))));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add ("/model-picker/groups", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_groups, fixture_tear_down);
  g_test_add ("/model-picker/search", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/model-picker/select", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_select, fixture_tear_down);
  g_test_add ("/model-picker/unavailable", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_unavailable, fixture_tear_down);
  g_test_add ("/model-picker/row-texts", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_row_texts, fixture_tear_down);
  g_test_add ("/model-picker/many-models", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_many_models, fixture_tear_down);
  g_test_add ("/model-picker/many-models-recycled", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_many_models_recycled, fixture_tear_down);
  g_test_add ("/model-picker/keyboard", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_keyboard, fixture_tear_down);
  g_test_add_func ("/model-picker/format", test_format);
  g_test_add_func ("/model-picker/lifecycle", test_lifecycle);

  return g_test_run ();
}
