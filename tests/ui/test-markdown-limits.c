/* test-markdown-limits.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* CriaMarkdownView on input at its limits: nesting thousands of levels
 * deep, tables streamed row by row, invalid UTF-8. A test program of its
 * own, so that each stays well within the time a sanitizer build allows. */

#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "cria-code-block.h"
#include "cria-markdown.h"
#include "cria-markdown-view.h"
#include "cria-markdown-view-private.h"
#include "cria-ui-test.h"

static gboolean have_display;

typedef struct
{
  GtkWindow        *window;
  CriaMarkdownView *view;
} Fixture;

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

typedef struct
{
  CriaMarkdownView *view;
  guint             builds;
} BuildsAbove;

static gboolean
builds_above (gpointer data)
{
  BuildsAbove *b = data;

  return _cria_markdown_view_get_n_tail_builds (b->view) > b->builds;
}

/* Waits for the next tail rebuild, that is for a frame that had work. */
static void
pump_frame (CriaMarkdownView *view)
{
  BuildsAbove b = { view, _cria_markdown_view_get_n_tail_builds (view) };

  g_assert_true (cria_ui_test_wait (builds_above, &b, 5));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!have_display)
    return;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 600, 400);
  fixture->view = CRIA_MARKDOWN_VIEW (cria_markdown_view_new ());
  g_object_ref_sink (fixture->view);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
  g_assert_true (cria_ui_test_wait (is_mapped, fixture->view, 5));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->view);
}

static char *
text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Everything a reader sees, one widget's text per line. */
static void
dump_widget (GtkWidget *widget,
             GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
      return;
    }
  if (GTK_IS_TEXT_VIEW (widget))
    {
      g_autofree char *text = text_view_get_text (GTK_TEXT_VIEW (widget));

      g_string_append_printf (out, "code:%s\n", text);
      return;
    }
  if (GTK_IS_CHECK_BUTTON (widget))
    {
      g_string_append (out, gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)) ? "[x]\n" : "[ ]\n");
      return;
    }
  if (GTK_IS_SEPARATOR (widget))
    g_string_append (out, "---\n");

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    dump_widget (child, out);
}

static char *
dump_view (CriaMarkdownView *view)
{
  GString *out = g_string_new (NULL);

  dump_widget (GTK_WIDGET (view), out);
  return g_string_free (out, FALSE);
}

static const char *
label_text (GtkWidget *widget)
{
  g_assert_true (GTK_IS_LABEL (widget));
  return gtk_label_get_text (GTK_LABEL (widget));
}

/* The depth of @root's widget tree and the text of its labels, walked
 * without recursion so that a tree too deep for the stack fails the
 * assertion on its depth instead of crashing the test. */
static guint
widget_depth_and_text (GtkWidget *root,
                       GString   *text)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  guint max_depth = 0;
  guint zero = 0;

  g_ptr_array_add (stack, root);
  g_array_append_val (depths, zero);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);
      guint depth = g_array_index (depths, guint, depths->len - 1);

      g_array_set_size (depths, depths->len - 1);
      max_depth = MAX (max_depth, depth);
      if (GTK_IS_LABEL (widget) && text != NULL)
        {
          g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
          g_string_append_c (text, '\n');
        }
      for (GtkWidget *child = gtk_widget_get_last_child (widget); child != NULL;
           child = gtk_widget_get_prev_sibling (child))
        {
          guint child_depth = depth + 1;

          g_ptr_array_add (stack, child);
          g_array_append_val (depths, child_depth);
        }
    }
  return max_depth;
}

static char *
repeat (const char *unit,
        guint       times,
        const char *end)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);
  g_string_append (s, end);
  return g_string_free (s, FALSE);
}

/* A list level is a list box, an item row and its content box: three
 * widgets per two block levels, and a few more for the deepest block. */
#define MAX_VIEW_DEPTH (2 * CRIA_MARKDOWN_MAX_DEPTH + 8)

static void
check_deep_shown (CriaMarkdownView *view,
                  const char       *marker)
{
  g_autoptr(GString) shown = g_string_new (NULL);
  guint depth;
  int height;

  depth = widget_depth_and_text (GTK_WIDGET (view), shown);
  g_test_message ("widget depth %u", depth);
  g_assert_cmpuint (depth, <=, MAX_VIEW_DEPTH);
  g_assert_nonnull (strstr (shown->str, marker));
  /* Measuring recurses over the widgets too. */
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_VERTICAL, 400, &height, NULL, NULL, NULL);
  g_assert_cmpint (height, >, 0);
}

/* Nesting thousands of levels deep overflowed the stack building, measuring
 * or drawing the widgets; past the cap blocks are shown flat, text and all,
 * whole and while streaming. */
static void
test_deep (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *quotes = repeat (">", 15000, " end of the quotes\n");
  g_autofree char *lists = repeat ("- ", 6000, "end of the lists\n");
  g_autofree char *mixed = repeat ("> 1. - ", 3000, "end of the mix\n");
  const char *texts[] = { quotes, lists, mixed };
  const char *markers[] = { "end of the quotes", "end of the lists", "end of the mix" };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gsize len = strlen (texts[i]);
      gsize step = len / 3 + 1;

      cria_markdown_view_set_text (fixture->view, texts[i]);
      check_deep_shown (fixture->view, markers[i]);

      cria_markdown_view_clear (fixture->view);
      for (gsize pos = 0; pos < len; pos += step)
        {
          g_autofree char *piece = g_strndup (texts[i] + pos, step);

          cria_markdown_view_append (fixture->view, piece);
          pump_frame (fixture->view);
          g_assert_cmpuint (widget_depth_and_text (GTK_WIDGET (fixture->view), NULL), <=, MAX_VIEW_DEPTH);
        }
      check_deep_shown (fixture->view, markers[i]);
      cria_markdown_view_finish (fixture->view);
      check_deep_shown (fixture->view, markers[i]);
    }
}

static GtkWidget *
table_grid (CriaMarkdownView *view)
{
  GtkWidget *grid = cria_ui_test_find_descendant (GTK_WIDGET (view), GTK_TYPE_GRID);

  g_assert_nonnull (grid);
  return grid;
}

/* A table streamed a row at a time rebuilt every row each frame. Now each
 * cell's label is made once: the labels of earlier rows are the same
 * widgets frame after frame, no cell is ever made twice, and the result is
 * what the whole text shows. */
static void
test_table_streaming (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) table = g_string_new ("| Name | Value | Note |\n|:--|--:|:-:|\n");
  g_autoptr(GtkWidget) other = NULL;
  g_autoptr(GPtrArray) first_row = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *streamed = NULL;
  g_autofree char *whole = NULL;
  guint built_before;
  const guint n_rows = 16;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  built_before = _cria_markdown_view_get_n_table_cells_built ();
  cria_markdown_view_append (fixture->view, "A table:\n\n");
  cria_markdown_view_append (fixture->view, table->str);
  for (guint r = 0; r < n_rows; r++)
    {
      g_autofree char *row = g_strdup_printf ("| row %u | **%u** | `n` |\n", r, r * 7);
      gsize half = strlen (row) / 2;
      g_autofree char *head = g_strndup (row, half);

      /* Half a row first: the open row is shown, then completed in place. */
      cria_markdown_view_append (fixture->view, head);
      pump_frame (fixture->view);
      cria_markdown_view_append (fixture->view, row + half);
      pump_frame (fixture->view);

      if (r == 0)
        {
          GtkGrid *grid = GTK_GRID (table_grid (fixture->view));

          for (guint c = 0; c < 3; c++)
            g_ptr_array_add (first_row, g_object_ref (gtk_grid_get_child_at (grid, c, 1)));
        }
      else
        {
          GtkGrid *grid = GTK_GRID (table_grid (fixture->view));

          for (guint c = 0; c < 3; c++)
            g_assert_true (gtk_grid_get_child_at (grid, c, 1) == g_ptr_array_index (first_row, c));
        }
    }

  /* Each cell made once: the header and every row, three columns each. */
  g_assert_cmpuint (_cria_markdown_view_get_n_table_cells_built () - built_before, ==, 3 * (n_rows + 1));
  g_assert_cmpstr (label_text (g_ptr_array_index (first_row, 0)), ==, "row 0");

  cria_markdown_view_append (fixture->view, "\nAfter the table.\n");
  pump_frame (fixture->view);
  cria_markdown_view_finish (fixture->view);
  g_assert_cmpuint (_cria_markdown_view_get_n_table_cells_built () - built_before, ==, 3 * (n_rows + 1));
  for (guint c = 0; c < 3; c++)
    g_assert_true (gtk_grid_get_child_at (GTK_GRID (table_grid (fixture->view)), c, 1)
                   == g_ptr_array_index (first_row, c));

  other = g_object_ref_sink (cria_markdown_view_new ());
  cria_markdown_view_set_text (CRIA_MARKDOWN_VIEW (other), cria_markdown_view_get_text (fixture->view));
  streamed = dump_view (fixture->view);
  whole = dump_view (CRIA_MARKDOWN_VIEW (other));
  g_assert_cmpstr (streamed, ==, whole);
  g_assert_nonnull (strstr (whole, "row 15\n105\nn\n"));
}

/* Invalid UTF-8 (a broken stream, a damaged file) never reaches a widget:
 * every label the view makes holds valid text, streamed or whole. */
static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char text[] =
    "Bad \xff\xfe bytes **b\xc3**\n\n"
    "| a\x80 | b |\n|---|---|\n| \xe2\x82 | d |\n\n"
    "```\n\x80\xc0\n```\n\n"
    "- item \xed\xa0\x80 surrogate\n"
    "> quote \xf4\x90\x80\x80 too big\n";
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autofree char *whole = NULL;
  g_autofree char *streamed = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_markdown_view_set_text (fixture->view, text);
  whole = dump_view (fixture->view);
  g_assert_true (g_utf8_validate (whole, -1, NULL));
  g_assert_nonnull (strstr (whole, "Bad \xef\xbf\xbd"));
  g_assert_nonnull (strstr (whole, "surrogate"));

  /* A byte at a time, looking every seventh byte: the frames fall at
   * every place inside the multi-byte sequences. */
  cria_markdown_view_clear (fixture->view);
  for (const char *p = text; *p != '\0'; p++)
    {
      char piece[2] = { *p, '\0' };

      cria_markdown_view_append (fixture->view, piece);
      if ((p - text) % 7 != 0)
        continue;
      pump_frame (fixture->view);
      g_string_truncate (shown, 0);
      widget_depth_and_text (GTK_WIDGET (fixture->view), shown);
      g_assert_true (g_utf8_validate (shown->str, shown->len, NULL));
    }
  cria_markdown_view_finish (fixture->view);
  streamed = dump_view (fixture->view);
  g_assert_cmpstr (streamed, ==, whole);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      gtk_source_init ();
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/markdown-limits/deep", test_deep);
  ADD ("/markdown-limits/table-streaming", test_table_streaming);
  ADD ("/markdown-limits/invalid-utf8", test_invalid_utf8);

#undef ADD

  return g_test_run ();
}
