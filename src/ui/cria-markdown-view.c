/* cria-markdown-view.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-markdown.h"

#include "cria-code-block.h"
#include "cria-markdown-view.h"
#include "cria-markdown-view-private.h"
#include "cria-math-view.h"

#define BLOCK_SPACING 12

struct _CriaMarkdownView
{
  GtkWidget           parent_instance;

  /* Streamed text lives in @stream; set_text() text in @text, with
   * @stream %NULL. */
  CriaMarkdownStream *stream;
  GString            *text;

  /* The widgets of the unfinished tail: the last children, borrowed. */
  GPtrArray          *tail_widgets;
  guint               n_final_built;
  /* The children are @n_chunks chunks of CHUNK_BLOCKS final blocks, then
   * @n_loose final blocks, then the tail. @chunks holds the chunks, borrowed,
   * top to bottom. */
  GPtrArray          *chunks;
  guint               n_chunks;
  /* What the last snapshot did, for tests: children whose bounds it
   * compared with the viewport, children it drew. */
  guint               n_snapshots;
  guint               n_checked;
  guint               n_drawn;
  guint               n_loose;
  guint               n_tail_builds;
  guint               tick_id;
  guint               tail_dirty : 1;
  guint               finished : 1;
};

G_DEFINE_FINAL_TYPE (CriaMarkdownView, cria_markdown_view, GTK_TYPE_WIDGET)

/* Which kind of block a widget shows, so that a tail widget can be updated
 * in place when the block it shows changes but keeps its kind. */
static GQuark block_kind_quark;

static GtkWidget *build_block (CriaMarkdownBlock *block,
                               guint              depth);
static gboolean   update_block (GtkWidget         *widget,
                                CriaMarkdownBlock *block,
                                guint              depth);

/* Every function that builds widgets for nested blocks takes the depth of
 * the block, and stops nesting widgets at this depth. The parser already
 * nests no deeper (CRIA_MARKDOWN_MAX_DEPTH, plus a list's item and a
 * table), so this only bounds the recursion for any tree: a block this deep
 * is shown as one label with all its text. GTK measures, draws and exposes
 * to screen readers by recursing over widgets, so the widget tree must stay
 * shallow as well as the block tree. */
#define MAX_WIDGET_DEPTH (CRIA_MARKDOWN_MAX_DEPTH + 2)

/* Table cell labels made so far, in every view: tests use it to prove that
 * a streaming table keeps the cells of its earlier rows. */
static guint n_table_cells_built;

static void
set_block_kind (GtkWidget             *widget,
                CriaMarkdownBlockKind  kind)
{
  g_object_set_qdata (G_OBJECT (widget), block_kind_quark, GUINT_TO_POINTER (kind + 1));
}

static gboolean
has_block_kind (GtkWidget             *widget,
                CriaMarkdownBlockKind  kind)
{
  return GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (widget), block_kind_quark)) == kind + 1;
}

/* Blocks */

static GtkWidget *
new_block_box (void)
{
  return gtk_box_new (GTK_ORIENTATION_VERTICAL, BLOCK_SPACING);
}

/* Makes the children of @parent from @first on show @blocks, keeping every
 * widget that can be updated in place: replacing a widget costs far more
 * than changing its text, most of all with a screen reader attached. */
static void
sync_children (GtkWidget *parent,
               GtkWidget *first,
               GPtrArray *blocks,
               guint      depth)
{
  GtkWidget *child = first;
  guint n_blocks = blocks != NULL ? blocks->len : 0;

  for (guint i = 0; i < n_blocks; i++)
    {
      CriaMarkdownBlock *block = g_ptr_array_index (blocks, i);

      if (child != NULL && update_block (child, block, depth))
        {
          child = gtk_widget_get_next_sibling (child);
        }
      else
        {
          GtkWidget *widget = build_block (block, depth);

          gtk_widget_insert_before (widget, parent, child);
          if (child != NULL)
            {
              GtkWidget *next = gtk_widget_get_next_sibling (child);

              gtk_widget_unparent (child);
              child = next;
            }
        }
    }

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_widget_unparent (child);
      child = next;
    }
}

static GtkWidget *
new_list_marker (CriaMarkdownBlock *list,
                 CriaMarkdownBlock *item,
                 guint              index)
{
  GtkWidget *marker;

  if (item->task != CRIA_MARKDOWN_TASK_NONE)
    {
      marker = gtk_check_button_new ();
      gtk_check_button_set_active (GTK_CHECK_BUTTON (marker), item->task == CRIA_MARKDOWN_TASK_CHECKED);
      gtk_widget_set_sensitive (marker, FALSE);
    }
  else
    {
      g_autofree char *text = NULL;

      if (list->ordered)
        text = g_strdup_printf ("%u.", list->start + index);
      marker = gtk_label_new (text != NULL ? text : "•");
      gtk_label_set_xalign (GTK_LABEL (marker), 1.0f);
      gtk_widget_add_css_class (marker, "cria-list-marker");
    }
  gtk_widget_set_valign (marker, GTK_ALIGN_START);

  return marker;
}

static GtkWidget *
build_list_item (CriaMarkdownBlock *list,
                 CriaMarkdownBlock *item,
                 guint              index,
                 guint              depth)
{
  GtkWidget *row;
  GtkWidget *content;

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (row), new_list_marker (list, item, index));

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_hexpand (content, TRUE);
  sync_children (content, NULL, item->children, depth + 1);
  gtk_box_append (GTK_BOX (row), content);

  return row;
}

static gboolean
update_list_item (GtkWidget         *row,
                  CriaMarkdownBlock *list,
                  CriaMarkdownBlock *item,
                  guint              index,
                  guint              depth)
{
  GtkWidget *marker = gtk_widget_get_first_child (row);
  GtkWidget *content = gtk_widget_get_next_sibling (marker);

  if (item->task != CRIA_MARKDOWN_TASK_NONE)
    {
      if (!GTK_IS_CHECK_BUTTON (marker))
        return FALSE;
      gtk_check_button_set_active (GTK_CHECK_BUTTON (marker), item->task == CRIA_MARKDOWN_TASK_CHECKED);
    }
  else
    {
      g_autofree char *text = NULL;

      if (!GTK_IS_LABEL (marker))
        return FALSE;
      if (list->ordered)
        text = g_strdup_printf ("%u.", list->start + index);
      gtk_label_set_text (GTK_LABEL (marker), text != NULL ? text : "•");
    }

  sync_children (content, gtk_widget_get_first_child (content), item->children, depth + 1);
  return TRUE;
}

static void
sync_list (GtkWidget         *box,
           CriaMarkdownBlock *list,
           guint              depth)
{
  GtkWidget *row = gtk_widget_get_first_child (box);
  guint n_items = list->children != NULL ? list->children->len : 0;

  for (guint i = 0; i < n_items; i++)
    {
      CriaMarkdownBlock *item = g_ptr_array_index (list->children, i);

      if (row != NULL && update_list_item (row, list, item, i, depth + 1))
        {
          row = gtk_widget_get_next_sibling (row);
        }
      else
        {
          GtkWidget *widget = build_list_item (list, item, i, depth + 1);

          gtk_widget_insert_before (widget, box, row);
          if (row != NULL)
            {
              GtkWidget *next = gtk_widget_get_next_sibling (row);

              gtk_widget_unparent (row);
              row = next;
            }
        }
    }

  while (row != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (row);

      gtk_widget_unparent (row);
      row = next;
    }
}

/* What a table widget shows, to update it in place while it streams:
 * @last_row holds the cell labels of its last row (borrowed from the grid),
 * since finding a grid's child by position walks all its children. */
typedef struct
{
  guint      n_columns;
  GArray    *aligns;
  guint      n_rows;
  GPtrArray *last_row;
} TableState;

static GQuark table_state_quark;

static void
table_state_free (gpointer data)
{
  TableState *state = data;

  g_array_unref (state->aligns);
  g_ptr_array_unref (state->last_row);
  g_free (state);
}

static GtkWidget *
table_get_grid (GtkWidget *scroller)
{
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));

  return gtk_viewport_get_child (GTK_VIEWPORT (viewport));
}

static GtkWidget *
new_cell_label (CriaMarkdownBlock *block,
                guint              c)
{
  CriaMarkdownAlign align = CRIA_MARKDOWN_ALIGN_DEFAULT;
  GtkWidget *label = _cria_markdown_view_new_text_label (FALSE);
  float xalign = 0.0f;

  if (block->aligns != NULL && c < block->aligns->len)
    align = g_array_index (block->aligns, CriaMarkdownAlign, c);
  if (align == CRIA_MARKDOWN_ALIGN_CENTER)
    xalign = 0.5f;
  else if (align == CRIA_MARKDOWN_ALIGN_RIGHT)
    xalign = 1.0f;

  /* The table scrolls sideways instead: a wrapping label in a horizontal
   * scroller is measured at its narrowest, a word a line, which leaves a
   * tall blank band under the table. */
  gtk_label_set_wrap (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  n_table_cells_built++;

  return label;
}

/* Shows row @r of @block in @grid, whose labels so far are @labels (empty
 * for a new row): they are updated in place, cells the row gained are made
 * and cells it lost removed. @labels ends up holding the row's labels. */
static void
sync_table_row (GtkGrid           *grid,
                CriaMarkdownBlock *block,
                guint              r,
                GPtrArray         *labels)
{
  CriaMarkdownTableRow *row = g_ptr_array_index (block->rows, r);
  guint n_cells = row->cells != NULL ? row->cells->len : 0;

  while (labels->len > n_cells)
    gtk_grid_remove (grid, g_ptr_array_steal_index (labels, labels->len - 1));

  for (guint c = 0; c < n_cells; c++)
    {
      CriaMarkdownCell *cell = g_ptr_array_index (row->cells, c);
      GtkWidget *label;

      if (c < labels->len)
        {
          label = g_ptr_array_index (labels, c);
        }
      else
        {
          label = new_cell_label (block, c);
          gtk_grid_attach (grid, label, c, r, 1, 1);
          g_ptr_array_add (labels, label);
        }
      _cria_markdown_view_set_label_inline (GTK_LABEL (label), block, cell->text, cell->spans, row->header);
    }
}

/* A table streams in row by row, and rebuilding all of it each frame cost
 * 115 ms a frame at 300 rows. The rows before the last one shown are
 * complete lines, which the text that follows cannot change: they are kept
 * as they are, and only the last row shown (perhaps cut short a frame ago)
 * and the new rows are brought up to date. The work per frame is one row
 * plus the rows that arrived. */
static void
sync_table (GtkWidget         *scroller,
            CriaMarkdownBlock *block)
{
  TableState *state = g_object_get_qdata (G_OBJECT (scroller), table_state_quark);
  GtkGrid *grid = GTK_GRID (table_get_grid (scroller));
  guint n_rows = block->rows != NULL ? block->rows->len : 0;

  g_assert (n_rows >= state->n_rows);

  if (state->n_rows > 0)
    sync_table_row (grid, block, state->n_rows - 1, state->last_row);
  for (guint r = state->n_rows; r < n_rows; r++)
    {
      g_ptr_array_set_size (state->last_row, 0);
      sync_table_row (grid, block, r, state->last_row);
    }
  state->n_rows = n_rows;
}

static gboolean
same_table_shape (TableState        *state,
                  CriaMarkdownBlock *block)
{
  /* A table only grows as it streams; one that lost rows is made anew. */
  if (state == NULL || state->n_columns != block->n_columns
      || (block->rows != NULL ? block->rows->len : 0) < state->n_rows)
    return FALSE;
  if (block->aligns == NULL)
    return state->aligns->len == 0;
  return state->aligns->len == block->aligns->len
         && memcmp (state->aligns->data, block->aligns->data,
                    block->aligns->len * sizeof (CriaMarkdownAlign)) == 0;
}

static GtkWidget *
build_table (CriaMarkdownBlock *block)
{
  GtkWidget *scroller;
  GtkWidget *grid;
  TableState *state;

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "cria-table");

  scroller = g_object_new (GTK_TYPE_SCROLLED_WINDOW,
                           "hscrollbar-policy", GTK_POLICY_AUTOMATIC,
                           "vscrollbar-policy", GTK_POLICY_NEVER,
                           "propagate-natural-height", TRUE,
                           "child", grid,
                           NULL);

  state = g_new0 (TableState, 1);
  state->n_columns = block->n_columns;
  state->aligns = g_array_new (FALSE, FALSE, sizeof (CriaMarkdownAlign));
  state->last_row = g_ptr_array_new ();
  if (block->aligns != NULL)
    g_array_append_vals (state->aligns, block->aligns->data, block->aligns->len);
  g_object_set_qdata_full (G_OBJECT (scroller), table_state_quark, state, table_state_free);

  sync_table (scroller, block);
  return scroller;
}

/* All the text of @block and what it holds, one block a line, gathered
 * without recursion. */
static char *
flat_text (CriaMarkdownBlock *block)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  g_ptr_array_add (stack, block);
  while (stack->len > 0)
    {
      CriaMarkdownBlock *next = g_ptr_array_steal_index (stack, stack->len - 1);

      if (next->text != NULL)
        {
          if (out->len > 0)
            g_string_append_c (out, '\n');
          g_string_append (out, next->text);
        }
      for (guint i = 0; next->rows != NULL && i < next->rows->len; i++)
        {
          CriaMarkdownTableRow *row = g_ptr_array_index (next->rows, i);

          for (guint j = 0; j < row->cells->len; j++)
            {
              g_string_append (out, j == 0 ? "\n" : " | ");
              g_string_append (out, ((CriaMarkdownCell *) g_ptr_array_index (row->cells, j))->text);
            }
        }
      for (guint i = next->children != NULL ? next->children->len : 0; i > 0; i--)
        g_ptr_array_add (stack, g_ptr_array_index (next->children, i - 1));
    }

  return g_string_free (out, FALSE);
}

static GtkWidget *
build_block (CriaMarkdownBlock *block,
             guint              depth)
{
  GtkWidget *widget = NULL;

  if (depth >= MAX_WIDGET_DEPTH && block->children != NULL)
    {
      g_autofree char *text = flat_text (block);

      /* Marked as a paragraph, so that it is never updated as a container. */
      widget = _cria_markdown_view_new_text_label (FALSE);
      gtk_label_set_text (GTK_LABEL (widget), text);
      set_block_kind (widget, CRIA_MARKDOWN_BLOCK_PARAGRAPH);
      return widget;
    }

  switch (block->kind)
    {
    case CRIA_MARKDOWN_BLOCK_PARAGRAPH:
    case CRIA_MARKDOWN_BLOCK_HEADING:
      widget = _cria_markdown_view_new_text_label (block->kind == CRIA_MARKDOWN_BLOCK_HEADING);
      _cria_markdown_view_update_text_label (GTK_LABEL (widget), block);
      break;

    case CRIA_MARKDOWN_BLOCK_CODE:
      widget = cria_code_block_new ();
      cria_code_block_set_code (CRIA_CODE_BLOCK (widget), block->language, block->text);
      break;

    case CRIA_MARKDOWN_BLOCK_QUOTE:
      widget = new_block_box ();
      gtk_widget_add_css_class (widget, "cria-quote");
      sync_children (widget, NULL, block->children, depth + 1);
      break;

    case CRIA_MARKDOWN_BLOCK_LIST:
      widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_add_css_class (widget, "cria-list");
      sync_list (widget, block, depth);
      break;

    case CRIA_MARKDOWN_BLOCK_LIST_ITEM:
      /* Items only appear inside lists; show a stray one's content. */
      widget = new_block_box ();
      sync_children (widget, NULL, block->children, depth + 1);
      break;

    case CRIA_MARKDOWN_BLOCK_TABLE:
      widget = build_table (block);
      break;

    case CRIA_MARKDOWN_BLOCK_MATH:
      widget = cria_math_view_new ();
      cria_math_view_set_math (CRIA_MATH_VIEW (widget), block->text != NULL ? block->text : "", block->math);
      break;

    case CRIA_MARKDOWN_BLOCK_RULE:
    default:
      widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      break;
    }

  set_block_kind (widget, block->kind);
  return widget;
}

/* Shows @block in @widget if that needs no new widget. */
static gboolean
update_block (GtkWidget         *widget,
              CriaMarkdownBlock *block,
              guint              depth)
{
  if (!has_block_kind (widget, block->kind))
    return FALSE;
  if (depth >= MAX_WIDGET_DEPTH && block->children != NULL)
    return FALSE;

  switch (block->kind)
    {
    case CRIA_MARKDOWN_BLOCK_PARAGRAPH:
    case CRIA_MARKDOWN_BLOCK_HEADING:
      _cria_markdown_view_update_text_label (GTK_LABEL (widget), block);
      return TRUE;

    case CRIA_MARKDOWN_BLOCK_CODE:
      cria_code_block_set_code (CRIA_CODE_BLOCK (widget), block->language, block->text);
      return TRUE;

    case CRIA_MARKDOWN_BLOCK_QUOTE:
    case CRIA_MARKDOWN_BLOCK_LIST_ITEM:
      sync_children (widget, gtk_widget_get_first_child (widget), block->children, depth + 1);
      return TRUE;

    case CRIA_MARKDOWN_BLOCK_LIST:
      sync_list (widget, block, depth);
      return TRUE;

    case CRIA_MARKDOWN_BLOCK_RULE:
      return TRUE;

    case CRIA_MARKDOWN_BLOCK_MATH:
      cria_math_view_set_math (CRIA_MATH_VIEW (widget), block->text != NULL ? block->text : "", block->math);
      return TRUE;

    case CRIA_MARKDOWN_BLOCK_TABLE:
      if (!same_table_shape (g_object_get_qdata (G_OBJECT (widget), table_state_quark), block))
        return FALSE;
      sync_table (widget, block);
      return TRUE;

    default:
      return FALSE;
    }
}

/* The view */

static GtkWidget *
get_first_tail_widget (CriaMarkdownView *self)
{
  return self->tail_widgets->len > 0 ? g_ptr_array_index (self->tail_widgets, 0) : NULL;
}

/* A long answer is thousands of blocks, and a box measures and allocates
 * every child each time the answer grows, which made each frame of a long
 * stream dearer than the one before. Final blocks are gathered into chunks
 * that GTK measures once and then answers from its size cache: a frame walks
 * a few dozen children, not thousands. */
#define CHUNK_BLOCKS 32

/* The first child after the chunks. */
static GtkWidget *
get_first_loose_child (CriaMarkdownView *self)
{
  g_assert (self->chunks->len == self->n_chunks);

  if (self->n_chunks == 0)
    return gtk_widget_get_first_child (GTK_WIDGET (self));

  return gtk_widget_get_next_sibling (g_ptr_array_index (self->chunks, self->n_chunks - 1));
}

static void
gather_loose_blocks (CriaMarkdownView *self)
{
  while (self->n_loose >= 2 * CHUNK_BLOCKS)
    {
      GtkWidget *block = get_first_loose_child (self);
      GtkWidget *chunk = gtk_box_new (GTK_ORIENTATION_VERTICAL, BLOCK_SPACING);

      gtk_widget_add_css_class (chunk, "cria-markdown-chunk");
      gtk_widget_insert_before (chunk, GTK_WIDGET (self), block);
      for (guint i = 0; i < CHUNK_BLOCKS; i++)
        {
          GtkWidget *next = gtk_widget_get_next_sibling (block);

          g_object_ref (block);
          gtk_widget_unparent (block);
          gtk_box_append (GTK_BOX (chunk), block);
          g_object_unref (block);
          block = next;
        }

      g_ptr_array_add (self->chunks, chunk);
      self->n_chunks++;
      self->n_loose -= CHUNK_BLOCKS;
    }
}

/* Builds the blocks that became final since the last call, each once. A
 * final block usually was the first tail block a frame ago: its widget is
 * kept and brought up to date rather than replaced. */
static void
add_final_blocks (CriaMarkdownView *self)
{
  guint n_final = cria_markdown_stream_get_n_final_blocks (self->stream);

  for (; self->n_final_built < n_final; self->n_final_built++)
    {
      CriaMarkdownBlock *block = cria_markdown_stream_get_final_block (self->stream, self->n_final_built);
      GtkWidget *first_tail = get_first_tail_widget (self);

      if (first_tail != NULL && update_block (first_tail, block, 0))
        g_ptr_array_remove_index (self->tail_widgets, 0);
      else
        gtk_widget_insert_before (build_block (block, 0), GTK_WIDGET (self), first_tail);
      self->n_loose++;
    }

  gather_loose_blocks (self);
}

static void
remove_tail (CriaMarkdownView *self)
{
  for (guint i = 0; i < self->tail_widgets->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->tail_widgets, i));
  g_ptr_array_set_size (self->tail_widgets, 0);
}

static void
rebuild_tail (CriaMarkdownView *self)
{
  g_autoptr(CriaMarkdownDocument) doc = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  GtkWidget *child;
  guint n_blocks;

  g_assert (self->stream != NULL);

  doc = cria_markdown_stream_get_tail (self->stream);
  n_blocks = cria_markdown_document_get_n_blocks (doc);
  blocks = g_ptr_array_sized_new (n_blocks);
  for (guint i = 0; i < n_blocks; i++)
    g_ptr_array_add (blocks, cria_markdown_document_get_block (doc, i));

  sync_children (GTK_WIDGET (self), get_first_tail_widget (self), blocks, 0);

  /* The tail widgets are whatever follows the final ones. */
  g_ptr_array_set_size (self->tail_widgets, 0);
  child = gtk_widget_get_last_child (GTK_WIDGET (self));
  for (guint i = 0; i < n_blocks; i++)
    {
      g_assert (child != NULL);
      g_ptr_array_insert (self->tail_widgets, 0, child);
      child = gtk_widget_get_prev_sibling (child);
    }

  self->n_tail_builds++;
  self->tail_dirty = FALSE;
}

static gboolean
tail_tick_cb (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  CriaMarkdownView *self = CRIA_MARKDOWN_VIEW (widget);

  if (self->tail_dirty && self->stream != NULL)
    rebuild_tail (self);

  /* Idle until the next append asks for a frame again. */
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
remove_tick (CriaMarkdownView *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
remove_children (CriaMarkdownView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->tail_widgets, 0);
  g_ptr_array_set_size (self->chunks, 0);
  self->n_chunks = 0;
  self->n_loose = 0;
}

static void
cria_markdown_view_dispose (GObject *object)
{
  CriaMarkdownView *self = (CriaMarkdownView *) object;

  remove_tick (self);
  remove_children (self);

  G_OBJECT_CLASS (cria_markdown_view_parent_class)->dispose (object);
}

static void
cria_markdown_view_finalize (GObject *object)
{
  CriaMarkdownView *self = (CriaMarkdownView *) object;

  g_clear_pointer (&self->stream, cria_markdown_stream_free);
  g_string_free (self->text, TRUE);
  g_ptr_array_unref (self->tail_widgets);
  g_ptr_array_unref (self->chunks);

  G_OBJECT_CLASS (cria_markdown_view_parent_class)->finalize (object);
}

/* Whether @child lies wholly above (< 0), across (0) or wholly below (> 0)
 * the @visible part of @view. A child whose bounds are unknown counts as
 * across, so it is drawn. */
static int
compare_with_visible (CriaMarkdownView      *self,
                      GtkWidget             *child,
                      const graphene_rect_t *visible)
{
  graphene_rect_t bounds;

  self->n_checked++;
  if (!gtk_widget_compute_bounds (child, GTK_WIDGET (self), &bounds))
    return 0;
  if (bounds.origin.y + bounds.size.height < visible->origin.y)
    return -1;
  if (bounds.origin.y > visible->origin.y + visible->size.height)
    return 1;

  return 0;
}

/* A long answer is one row of the conversation's list view, so the list
 * cannot leave its off-screen parts out: the view does. Blocks outside the
 * scrolled window's viewport are not snapshotted at all, which keeps the cost
 * of a frame near that of what is on screen however long the answer grows.
 * Finding them costs little more: the chunks are stacked top to bottom, so a
 * binary search finds the first one on screen and the walk stops at the first
 * one below; the children after the chunks are fewer than 2 × CHUNK_BLOCKS
 * loose blocks and the tail. */
static void
cria_markdown_view_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  CriaMarkdownView *self = CRIA_MARKDOWN_VIEW (widget);
  GtkWidget *viewport = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t visible;
  guint lo = 0, hi = self->chunks->len;

  self->n_snapshots++;
  self->n_checked = 0;
  self->n_drawn = 0;

  if (viewport == NULL || !gtk_widget_compute_bounds (viewport, widget, &visible))
    {
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          gtk_widget_snapshot_child (widget, child, snapshot);
          self->n_drawn++;
        }
      return;
    }

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_with_visible (self, g_ptr_array_index (self->chunks, mid), &visible) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < self->chunks->len; i++)
    {
      GtkWidget *chunk = g_ptr_array_index (self->chunks, i);

      /* This chunk and everything after it is below the viewport. */
      if (compare_with_visible (self, chunk, &visible) > 0)
        return;
      gtk_widget_snapshot_child (widget, chunk, snapshot);
      self->n_drawn++;
    }

  for (GtkWidget *child = get_first_loose_child (self);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int where = compare_with_visible (self, child, &visible);

      if (where > 0)
        return;
      if (where == 0)
        {
          gtk_widget_snapshot_child (widget, child, snapshot);
          self->n_drawn++;
        }
    }
}

static void
cria_markdown_view_class_init (CriaMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_markdown_view_dispose;
  object_class->finalize = cria_markdown_view_finalize;
  widget_class->snapshot = cria_markdown_view_snapshot;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "markdownview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  block_kind_quark = g_quark_from_static_string ("cria-markdown-block-kind");
  table_state_quark = g_quark_from_static_string ("cria-markdown-table-state");
}

static void
cria_markdown_view_init (CriaMarkdownView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), BLOCK_SPACING);

  self->text = g_string_new (NULL);
  self->tail_widgets = g_ptr_array_new ();
  self->chunks = g_ptr_array_new ();
}

GtkWidget *
cria_markdown_view_new (void)
{
  return g_object_new (CRIA_TYPE_MARKDOWN_VIEW, NULL);
}

void
cria_markdown_view_clear (CriaMarkdownView *self)
{
  g_return_if_fail (CRIA_IS_MARKDOWN_VIEW (self));

  remove_tick (self);
  remove_children (self);
  g_clear_pointer (&self->stream, cria_markdown_stream_free);
  g_string_truncate (self->text, 0);
  self->n_final_built = 0;
  self->tail_dirty = FALSE;
  self->finished = FALSE;
}

void
cria_markdown_view_set_text (CriaMarkdownView *self,
                             const char       *text)
{
  g_autoptr(CriaMarkdownDocument) doc = NULL;
  guint n_blocks;

  g_return_if_fail (CRIA_IS_MARKDOWN_VIEW (self));

  cria_markdown_view_clear (self);

  if (text == NULL)
    return;

  g_string_assign (self->text, text);
  doc = cria_markdown_parse (self->text->str, self->text->len);
  n_blocks = cria_markdown_document_get_n_blocks (doc);
  for (guint i = 0; i < n_blocks; i++)
    gtk_widget_insert_before (build_block (cria_markdown_document_get_block (doc, i), 0),
                              GTK_WIDGET (self), NULL);
  self->n_loose = n_blocks;
  gather_loose_blocks (self);
}

/* Appending to a finished text (after set_text() or finish()) starts a
 * stream over it: rare, so it simply renders everything again. */
static void
ensure_open_stream (CriaMarkdownView *self)
{
  g_autofree char *text = NULL;

  if (self->stream != NULL && !self->finished)
    return;

  text = g_strdup (cria_markdown_view_get_text (self));
  cria_markdown_view_clear (self);
  self->stream = cria_markdown_stream_new ();
  cria_markdown_stream_append (self->stream, text, -1);
  add_final_blocks (self);
  self->tail_dirty = TRUE;
}

void
cria_markdown_view_append (CriaMarkdownView *self,
                           const char       *text)
{
  g_return_if_fail (CRIA_IS_MARKDOWN_VIEW (self));

  if (text == NULL || text[0] == '\0')
    return;

  ensure_open_stream (self);

  if (cria_markdown_stream_append (self->stream, text, -1) > 0)
    add_final_blocks (self);

  self->tail_dirty = TRUE;
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tail_tick_cb, NULL, NULL);
}

void
cria_markdown_view_finish (CriaMarkdownView *self)
{
  g_return_if_fail (CRIA_IS_MARKDOWN_VIEW (self));

  if (self->stream == NULL || self->finished)
    return;

  remove_tick (self);
  cria_markdown_stream_finish (self->stream);
  add_final_blocks (self);
  remove_tail (self);
  self->tail_dirty = FALSE;
  self->finished = TRUE;
}

const char *
cria_markdown_view_get_text (CriaMarkdownView *self)
{
  g_return_val_if_fail (CRIA_IS_MARKDOWN_VIEW (self), NULL);

  if (self->stream != NULL)
    return cria_markdown_stream_get_text (self->stream);
  return self->text->str;
}

guint
_cria_markdown_view_get_n_tail_builds (CriaMarkdownView *self)
{
  g_return_val_if_fail (CRIA_IS_MARKDOWN_VIEW (self), 0);

  return self->n_tail_builds;
}

guint
_cria_markdown_view_get_n_table_cells_built (void)
{
  return n_table_cells_built;
}

void
_cria_markdown_view_get_last_snapshot (CriaMarkdownView *self,
                                       guint            *n_snapshots,
                                       guint            *n_checked,
                                       guint            *n_drawn)
{
  g_return_if_fail (CRIA_IS_MARKDOWN_VIEW (self));

  *n_snapshots = self->n_snapshots;
  *n_checked = self->n_checked;
  *n_drawn = self->n_drawn;
}
