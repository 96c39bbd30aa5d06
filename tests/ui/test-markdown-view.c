/* test-markdown-view.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "cria-code-block.h"
#include "cria-markdown-view.h"
#include "cria-markdown-view-private.h"
#include "cria-ui-test.h"

static gboolean have_display;

typedef struct
{
  GtkWindow        *window;
  CriaMarkdownView *view;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds or a few seconds pass. */
static gboolean
pump_until (Condition condition,
            gpointer  data)
{
  /* Only a guard against a hang: laying out thousands of blocks takes
   * seconds under the sanitizers on a loaded machine. */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

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

  g_assert_true (pump_until (builds_above, &b));
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
  g_assert_true (pump_until (is_mapped, fixture->view));
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

static GtkWidget *
nth_child (GtkWidget *widget,
           guint      n)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  for (guint i = 0; i < n && child != NULL; i++)
    child = gtk_widget_get_next_sibling (child);
  g_assert_nonnull (child);
  return child;
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
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

static gboolean
has_attribute (GtkLabel       *label,
               PangoAttrType   type)
{
  PangoAttrList *attrs = gtk_label_get_attributes (label);
  g_autoptr(PangoAttrIterator) iter = NULL;

  if (attrs == NULL)
    return FALSE;

  iter = pango_attr_list_get_iterator (attrs);
  do
    {
      if (pango_attr_iterator_get (iter, type) != NULL)
        return TRUE;
    }
  while (pango_attr_iterator_next (iter));
  return FALSE;
}

static const char document[] =
  "# Title\n"
  "\n"
  "Some **bold** and `code` here.\n"
  "\n"
  "- one\n"
  "- two\n"
  "\n"
  "* [ ] todo\n"
  "* [x] done\n"
  "\n"
  "> quoted text\n"
  "\n"
  "```python\n"
  "print(\"hi\")\n"
  "x = 1\n"
  "```\n"
  "\n"
  "| A | B |\n"
  "|:--|--:|\n"
  "| 1 | 2 |\n"
  "\n"
  "---\n";

static void
test_structure (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *view;
  GtkWidget *child, *row, *marker, *code, *grid, *cell;
  g_autofree char *code_text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  view = GTK_WIDGET (fixture->view);
  cria_markdown_view_set_text (fixture->view, document);
  g_assert_cmpstr (cria_markdown_view_get_text (fixture->view), ==, document);
  g_assert_cmpuint (n_children (view), ==, 8);

  child = nth_child (view, 0);
  g_assert_cmpstr (label_text (child), ==, "Title");
  g_assert_true (gtk_widget_has_css_class (child, "title-1"));

  child = nth_child (view, 1);
  g_assert_cmpstr (label_text (child), ==, "Some bold and code here.");
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (child)));
  /* Prose wraps between words (long words: test_long_words). */
  g_assert_cmpint (gtk_label_get_wrap_mode (GTK_LABEL (child)), ==, PANGO_WRAP_WORD);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child)));
  g_assert_true (has_attribute (GTK_LABEL (child), PANGO_ATTR_WEIGHT));
  g_assert_true (has_attribute (GTK_LABEL (child), PANGO_ATTR_FAMILY));

  child = nth_child (view, 2);
  g_assert_true (GTK_IS_BOX (child));
  g_assert_cmpuint (n_children (child), ==, 2);
  row = nth_child (child, 1);
  g_assert_cmpstr (label_text (nth_child (row, 0)), ==, "•");
  g_assert_cmpstr (label_text (nth_child (nth_child (row, 1), 0)), ==, "two");

  child = nth_child (view, 3);
  g_assert_cmpuint (n_children (child), ==, 2);
  marker = nth_child (nth_child (child, 0), 0);
  g_assert_true (GTK_IS_CHECK_BUTTON (marker));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (marker)));
  g_assert_false (gtk_widget_get_sensitive (marker));
  marker = nth_child (nth_child (child, 1), 0);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (marker)));
  g_assert_cmpstr (label_text (nth_child (nth_child (nth_child (child, 1), 1), 0)), ==, "done");

  child = nth_child (view, 4);
  g_assert_true (gtk_widget_has_css_class (child, "cria-quote"));
  g_assert_cmpstr (label_text (nth_child (child, 0)), ==, "quoted text");

  code = nth_child (view, 5);
  g_assert_true (CRIA_IS_CODE_BLOCK (code));
  g_assert_cmpstr (cria_code_block_get_language (CRIA_CODE_BLOCK (code)), ==, "python");
  g_assert_cmpstr (label_text (cria_ui_test_find_descendant (code, GTK_TYPE_LABEL)), ==, "python");
  code_text = text_view_get_text (GTK_TEXT_VIEW (cria_ui_test_find_descendant (code, GTK_SOURCE_TYPE_VIEW)));
  g_assert_cmpstr (code_text, ==, "print(\"hi\")\nx = 1");
  g_assert_nonnull (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (
    GTK_TEXT_VIEW (cria_ui_test_find_descendant (code, GTK_SOURCE_TYPE_VIEW))))));

  child = nth_child (view, 6);
  g_assert_true (GTK_IS_SCROLLED_WINDOW (child));
  grid = cria_ui_test_find_descendant (child, GTK_TYPE_GRID);
  g_assert_nonnull (grid);
  cell = gtk_grid_get_child_at (GTK_GRID (grid), 0, 0);
  g_assert_cmpstr (label_text (cell), ==, "A");
  g_assert_true (has_attribute (GTK_LABEL (cell), PANGO_ATTR_WEIGHT));
  cell = gtk_grid_get_child_at (GTK_GRID (grid), 1, 1);
  g_assert_cmpstr (label_text (cell), ==, "2");
  g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (cell)), ==, 1.0f);
  g_assert_false (has_attribute (GTK_LABEL (cell), PANGO_ATTR_WEIGHT));

  g_assert_true (GTK_IS_SEPARATOR (nth_child (view, 7)));
}

static void
test_literal (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *label;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_markdown_view_set_text (fixture->view,
                               "Use <b>bold</b> and <span foreground=\"red\">x</span> &amp; done");
  g_assert_cmpuint (n_children (GTK_WIDGET (fixture->view)), ==, 1);
  label = nth_child (GTK_WIDGET (fixture->view), 0);
  g_assert_cmpstr (label_text (label), ==,
                   "Use <b>bold</b> and <span foreground=\"red\">x</span> & done");
  g_assert_false (has_attribute (GTK_LABEL (label), PANGO_ATTR_WEIGHT));
  g_assert_false (has_attribute (GTK_LABEL (label), PANGO_ATTR_FOREGROUND));

  /* A link needs markup; the text around it and in it stays literal. */
  cria_markdown_view_set_text (fixture->view,
                               "See [<b>x</b> & y](https://example.org/?a=1&b=\"2\") or <i>z</i> **now**");
  label = nth_child (GTK_WIDGET (fixture->view), 0);
  g_assert_cmpstr (label_text (label), ==, "See <b>x</b> & y or <i>z</i> now");
  g_assert_true (gtk_label_get_use_markup (GTK_LABEL (label)));
  g_assert_true (has_attribute (GTK_LABEL (label), PANGO_ATTR_WEIGHT));
  g_assert_false (has_attribute (GTK_LABEL (label), PANGO_ATTR_STYLE));

  /* Links other than web and mail ones are swallowed, not opened. */
  {
    gboolean handled = FALSE;

    g_signal_emit_by_name (label, "activate-link", "file:///etc/passwd", &handled);
    g_assert_true (handled);
  }
}

static const char stream_text[] =
  "First paragraph with **bold** text.\n"
  "\n"
  "Second paragraph, a little longer than the first one.\n"
  "\n"
  "Third one with `code` at the end.\n";

static void
test_streaming (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *view;
  GtkWidget *first = NULL;
  g_autoptr(GtkWidget) other = NULL;
  g_autofree char *streamed = NULL;
  g_autofree char *whole = NULL;
  gsize len = strlen (stream_text);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  view = GTK_WIDGET (fixture->view);
  for (gsize pos = 0; pos < len; pos += 3)
    {
      g_autofree char *piece = g_strndup (stream_text + pos, 3);

      cria_markdown_view_append (fixture->view, piece);
      pump_frame (fixture->view);

      /* By the start of the third paragraph the first is long final. */
      if (first == NULL && pos >= (gsize) (strstr (stream_text, "Third") - stream_text))
        {
          first = gtk_widget_get_first_child (view);
          g_assert_cmpstr (label_text (first), ==, "First paragraph with bold text.");
        }
      else if (first != NULL)
        {
          g_assert_true (gtk_widget_get_first_child (view) == first);
        }
    }
  g_assert_nonnull (first);

  cria_markdown_view_finish (fixture->view);
  g_assert_true (gtk_widget_get_first_child (view) == first);
  g_assert_cmpstr (cria_markdown_view_get_text (fixture->view), ==, stream_text);
  g_assert_cmpuint (n_children (view), ==, 3);

  other = g_object_ref_sink (cria_markdown_view_new ());
  cria_markdown_view_set_text (CRIA_MARKDOWN_VIEW (other), stream_text);
  streamed = dump_view (fixture->view);
  whole = dump_view (CRIA_MARKDOWN_VIEW (other));
  g_assert_cmpstr (streamed, ==, whole);

  /* A growing tail paragraph keeps its label: only the text changes. */
  cria_markdown_view_clear (fixture->view);
  cria_markdown_view_append (fixture->view, "Hello");
  pump_frame (fixture->view);
  first = gtk_widget_get_first_child (view);
  cria_markdown_view_append (fixture->view, " **world**");
  pump_frame (fixture->view);
  g_assert_true (gtk_widget_get_first_child (view) == first);
  g_assert_cmpstr (label_text (first), ==, "Hello world");
  g_assert_true (has_attribute (GTK_LABEL (first), PANGO_ATTR_WEIGHT));

  /* The same holds for a stream that is still open at a code block. */
  cria_markdown_view_clear (fixture->view);
  cria_markdown_view_append (fixture->view, "Intro.\n\n```c\nint x;\n");
  pump_frame (fixture->view);
  cria_markdown_view_append (fixture->view, "int y;\n");
  pump_frame (fixture->view);
  g_clear_pointer (&streamed, g_free);
  streamed = dump_view (fixture->view);
  g_assert_cmpstr (streamed, ==, "Intro.\nc\ncode:int x;\nint y;\n");
}

static void
test_coalesced (Fixture       *fixture,
                gconstpointer  data)
{
  guint before;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  before = _cria_markdown_view_get_n_tail_builds (fixture->view);
  for (guint i = 0; i < 200; i++)
    cria_markdown_view_append (fixture->view, "w ");
  pump_frame (fixture->view);
  g_assert_cmpuint (_cria_markdown_view_get_n_tail_builds (fixture->view) - before, <=, 3);

  /* Nothing more to do: the view stops asking for frames. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (_cria_markdown_view_get_n_tail_builds (fixture->view) - before, <=, 3);
  g_assert_cmpuint (n_children (GTK_WIDGET (fixture->view)), ==, 1);
}

typedef struct
{
  gboolean  done;
  char     *text;
} ReadResult;

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadResult *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ReadResult *) data)->done;
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  static const char code[] = "fn main() {\n    println!(\"<b>&amp;</b>\");\n}";
  g_autofree char *text = NULL;
  ReadResult read = { FALSE, NULL };
  GtkWidget *block, *button;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  text = g_strdup_printf ("```rs\n%s\n```\n", code);
  cria_markdown_view_set_text (fixture->view, text);
  block = gtk_widget_get_first_child (GTK_WIDGET (fixture->view));
  g_assert_true (CRIA_IS_CODE_BLOCK (block));
  g_assert_nonnull (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (
    GTK_TEXT_VIEW (cria_ui_test_find_descendant (block, GTK_SOURCE_TYPE_VIEW))))));

  button = cria_ui_test_find_descendant (block, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Copy");
  g_signal_emit_by_name (button, "clicked");

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (block), NULL, read_text_cb, &read);
  g_assert_true (pump_until (read_done, &read));
  g_assert_cmpstr (read.text, ==, code);
  g_free (read.text);
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *view;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  view = GTK_WIDGET (fixture->view);
  cria_markdown_view_set_text (fixture->view, document);
  g_assert_nonnull (gtk_widget_get_first_child (view));
  cria_markdown_view_clear (fixture->view);
  g_assert_null (gtk_widget_get_first_child (view));
  g_assert_cmpstr (cria_markdown_view_get_text (fixture->view), ==, "");

  /* Clearing mid-stream drops the pending tail too. */
  cria_markdown_view_append (fixture->view, "Para one.\n\nPara two");
  pump_frame (fixture->view);
  cria_markdown_view_append (fixture->view, " continues");
  cria_markdown_view_clear (fixture->view);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (gtk_widget_get_first_child (view));

  /* And the view streams again afterwards. */
  cria_markdown_view_append (fixture->view, "Again");
  pump_frame (fixture->view);
  g_assert_cmpstr (label_text (gtk_widget_get_first_child (view)), ==, "Again");
  cria_markdown_view_finish (fixture->view);
  g_assert_cmpstr (label_text (gtk_widget_get_first_child (view)), ==, "Again");
  g_assert_cmpuint (n_children (view), ==, 1);
}

static void
test_long_words (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *view;
  GtkWidget *child;
  int prose_min, url_min;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  view = GTK_WIDGET (fixture->view);
  cria_markdown_view_set_text (fixture->view, "A short paragraph of ordinary words.");
  child = gtk_widget_get_first_child (view);
  g_assert_cmpint (gtk_label_get_wrap_mode (GTK_LABEL (child)), ==, PANGO_WRAP_WORD);
  gtk_widget_measure (view, GTK_ORIENTATION_HORIZONTAL, -1, &prose_min, NULL, NULL, NULL);

  /* A URL longer than a phone's line breaks inside itself, so no answer
   * makes the window wider than 360 pixels. */
  cria_markdown_view_set_text (fixture->view,
                               "See https://example.com/a/path/that/goes/on/and/on/for/far/longer/"
                               "than/any/narrow/window/could/show/on/one/line/at/all/index.html today.");
  child = gtk_widget_get_first_child (view);
  g_assert_cmpint (gtk_label_get_wrap_mode (GTK_LABEL (child)), ==, PANGO_WRAP_WORD_CHAR);
  gtk_widget_measure (view, GTK_ORIENTATION_HORIZONTAL, -1, &url_min, NULL, NULL, NULL);
  g_test_message ("minimum width: prose %d px, with a long URL %d px", prose_min, url_min);
  g_assert_cmpint (url_min, <, 300);

  /* Back to prose, back to breaking between words. */
  cria_markdown_view_set_text (fixture->view, "Ordinary words again.");
  child = gtk_widget_get_first_child (view);
  g_assert_cmpint (gtk_label_get_wrap_mode (GTK_LABEL (child)), ==, PANGO_WRAP_WORD);
}

/* Every label under @widget, depth first, one per line. */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static void
test_long_answer (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *view;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) shown = g_string_new (NULL);
  int height_whole, height_streamed;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  view = GTK_WIDGET (fixture->view);
  for (guint i = 0; i < 500; i++)
    {
      g_string_append_printf (answer, "Paragraph %u of a long answer.\n\n", i);
      g_string_append_printf (expected, "Paragraph %u of a long answer.\n", i);
    }

  /* Whole: every paragraph, in order, but not 500 children to walk. */
  cria_markdown_view_set_text (fixture->view, answer->str);
  collect_labels (view, shown);
  g_assert_cmpstr (shown->str, ==, expected->str);
  g_test_message ("500 blocks in %u children", n_children (view));
  g_assert_cmpuint (n_children (view), <, 100);
  gtk_widget_measure (view, GTK_ORIENTATION_VERTICAL, 400, &height_whole, NULL, NULL, NULL);

  /* Streamed a line at a time, frames in between: the same. */
  cria_markdown_view_clear (fixture->view);
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *line = g_strdup_printf ("Paragraph %u of a long answer.\n\n", i);

      cria_markdown_view_append (fixture->view, line);
      if (i % 25 == 0)
        pump_frame (fixture->view);
    }
  cria_markdown_view_finish (fixture->view);
  g_string_truncate (shown, 0);
  collect_labels (view, shown);
  g_assert_cmpstr (shown->str, ==, expected->str);
  g_assert_cmpuint (n_children (view), <, 100);
  gtk_widget_measure (view, GTK_ORIENTATION_VERTICAL, 400, &height_streamed, NULL, NULL, NULL);
  /* Chunks keep the spacing between blocks: both are as tall. */
  g_assert_cmpint (height_streamed, ==, height_whole);
  g_assert_cmpstr (cria_markdown_view_get_text (fixture->view), ==, answer->str);
}

static gboolean
is_laid_out_long (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_upper (adjustment) > 20 * gtk_adjustment_get_page_size (adjustment) &&
         gtk_adjustment_get_page_size (adjustment) > 0;
}

typedef struct
{
  CriaMarkdownView *view;
  guint             snapshots;
} SnapshotsAbove;

static gboolean
snapshots_above (gpointer data)
{
  SnapshotsAbove *s = data;
  guint snapshots, checked, drawn;

  _cria_markdown_view_get_last_snapshot (s->view, &snapshots, &checked, &drawn);
  return snapshots > s->snapshots;
}

/* Scrolls to @value and waits for the view to be drawn there. */
static void
draw_at (CriaMarkdownView *view,
         GtkAdjustment    *adjustment,
         double            value,
         guint            *checked,
         guint            *drawn)
{
  SnapshotsAbove s = { view, 0 };
  guint snapshots;

  _cria_markdown_view_get_last_snapshot (view, &s.snapshots, checked, drawn);
  gtk_adjustment_set_value (adjustment, value);
  gtk_widget_queue_draw (GTK_WIDGET (view));
  g_assert_true (pump_until (snapshots_above, &s));
  _cria_markdown_view_get_last_snapshot (view, &snapshots, checked, drawn);
}

/* A long answer scrolled through: a frame compares a handful of children
 * with the viewport (a binary search over the chunks), not every child, and
 * draws only what is on screen. */
static void
test_culling (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GString) answer = g_string_new (NULL);
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  guint checked, drawn, children;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  scroller = gtk_scrolled_window_new ();
  gtk_window_set_child (fixture->window, NULL);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (fixture->view));
  gtk_window_set_child (fixture->window, scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (answer, "Paragraph %u of a very long answer.\n\n", i);
  cria_markdown_view_set_text (fixture->view, answer->str);
  children = n_children (GTK_WIDGET (fixture->view));
  g_test_message ("4,000 blocks in %u children", children);
  g_assert_cmpuint (children, >, 100);
  g_assert_true (pump_until (is_laid_out_long, adjustment));

  /* The middle: about log2 (125) chunks looked at, one or two drawn. */
  draw_at (fixture->view, adjustment,
           (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment)) / 2,
           &checked, &drawn);
  g_test_message ("middle: %u children checked, %u drawn", checked, drawn);
  g_assert_cmpuint (checked, <=, 16);
  g_assert_cmpuint (drawn, >=, 1);
  g_assert_cmpuint (drawn, <=, 3);

  /* The top: the same. */
  draw_at (fixture->view, adjustment, 0, &checked, &drawn);
  g_test_message ("top: %u children checked, %u drawn", checked, drawn);
  g_assert_cmpuint (checked, <=, 16);
  g_assert_cmpuint (drawn, >=, 1);

  /* The end, where a streaming answer is read: the loose blocks after the
   * chunks are walked, fewer than 64 of them. */
  draw_at (fixture->view, adjustment,
           gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment),
           &checked, &drawn);
  g_test_message ("end: %u children checked, %u drawn", checked, drawn);
  g_assert_cmpuint (checked, <=, 16 + 64);
  g_assert_cmpuint (drawn, >=, 1);
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

  ADD ("/markdown-view/structure", test_structure);
  ADD ("/markdown-view/literal", test_literal);
  ADD ("/markdown-view/streaming", test_streaming);
  ADD ("/markdown-view/coalesced", test_coalesced);
  ADD ("/markdown-view/copy", test_copy);
  ADD ("/markdown-view/clear", test_clear);
  ADD ("/markdown-view/long-words", test_long_words);
  ADD ("/markdown-view/long-answer", test_long_answer);
  ADD ("/markdown-view/culling", test_culling);

#undef ADD

  return g_test_run ();
}
