/* test-markdown.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-format.h"
#include "cria-markdown-private.h"

static const char * const fixtures[] = {
  "autolinks",
  "code",
  "emphasis",
  "entities",
  "headings",
  "html",
  "lists",
  "llm-answer",
  "math",
  "math-answer",
  "math-currency",
  "quotes",
  "tables",
};

static char *
load_fixture (const char *name,
              const char *ext,
              gsize      *len)
{
  g_autofree char *file = g_strconcat (name, ".", ext, NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "markdown", file, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

static char *
dump_parse (const char *text,
            gsize       len)
{
  g_autoptr(CriaMarkdownDocument) doc = cria_markdown_parse (text, len);

  return cria_markdown_document_dump (doc);
}

static void check_math_blocks (GPtrArray *blocks);

/* Streams @text in pieces whose sizes come from @next_size and checks on the
 * way that every final block is the block cria_markdown_parse() gives for
 * the whole text at the same place: final blocks are right when they are
 * handed out, and never need to change. Returns the dump after finishing. */
typedef gsize (*SizeFunc) (gsize offset, gpointer data);

static char *
stream_in_pieces (const char *text,
                  gsize       len,
                  SizeFunc    next_size,
                  gpointer    data,
                  GPtrArray  *expected_blocks)
{
  g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
  GString *out = g_string_new (NULL);
  gsize offset = 0;
  guint n_final = 0;

  while (offset < len)
    {
      /* MIN() would call the size function twice. */
      gsize size = next_size (offset, data);
      guint n_new;
      g_autoptr(CriaMarkdownDocument) tail = NULL;

      size = MIN (size, len - offset);
      n_new = cria_markdown_stream_append (stream, text + offset, size);

      offset += size;
      g_assert_cmpuint (cria_markdown_stream_get_n_final_blocks (stream), ==, n_final + n_new);
      for (guint i = n_final; i < n_final + n_new; i++)
        {
          g_autofree char *got = cria_markdown_block_dump (cria_markdown_stream_get_final_block (stream, i));

          if (expected_blocks != NULL)
            {
              g_assert_cmpuint (i, <, expected_blocks->len);
              g_assert_cmpstr (got, ==, g_ptr_array_index (expected_blocks, i));
            }
          g_string_append (out, got);
        }
      n_final += n_new;

      /* The stable prefix is what cria_markdown_stable_prefix() says. */
      g_assert_cmpuint (cria_markdown_stream_get_stable_length (stream), ==,
                        cria_markdown_stable_prefix (text, offset));

      tail = cria_markdown_stream_get_tail (stream);
      g_assert_nonnull (tail);
      /* Formulas still arriving are well formed too. */
      check_math_blocks (_cria_markdown_document_get_blocks (tail));
    }

  {
    guint n_new = cria_markdown_stream_finish (stream);

    for (guint i = n_final; i < n_final + n_new; i++)
      {
        g_autofree char *got = cria_markdown_block_dump (cria_markdown_stream_get_final_block (stream, i));

        g_string_append (out, got);
      }
  }

  return g_string_free (out, FALSE);
}

static GPtrArray *
block_dumps (const char *text,
             gsize       len)
{
  g_autoptr(CriaMarkdownDocument) doc = cria_markdown_parse (text, len);
  GPtrArray *dumps = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < cria_markdown_document_get_n_blocks (doc); i++)
    g_ptr_array_add (dumps, cria_markdown_block_dump (cria_markdown_document_get_block (doc, i)));
  return dumps;
}

static gsize
fixed_size (gsize    offset,
            gpointer data)
{
  return GPOINTER_TO_SIZE (data);
}

static gsize
random_size (gsize    offset,
             gpointer data)
{
  return g_test_rand_int_range (1, GPOINTER_TO_INT (data));
}

typedef struct
{
  gsize split;
} TwoPieces;

static gsize
two_pieces (gsize    offset,
            gpointer data)
{
  TwoPieces *tp = data;

  return offset < tp->split ? tp->split - offset : G_MAXSIZE;
}

static void
test_fixture (gconstpointer data)
{
  const char *name = data;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  g_autofree char *single = NULL;
  gsize len;

  text = load_fixture (name, "md", &len);
  got = dump_parse (text, len);

  if (g_getenv ("CRIA_UPDATE_DUMPS") != NULL)
    {
      g_autofree char *file = g_strconcat (name, ".dump", NULL);
      g_autofree char *path = g_build_filename (g_getenv ("CRIA_UPDATE_DUMPS"), file, NULL);

      g_file_set_contents (path, got, -1, NULL);
    }

  expected = load_fixture (name, "dump", NULL);
  g_assert_cmpstr (got, ==, expected);

  /* Splitting the text into runs at stable points gives what md4c gives
   * for the text as a whole. */
  {
    g_autoptr(CriaMarkdownDocument) doc = _cria_markdown_parse_single_run (text, len);

    single = cria_markdown_document_dump (doc);
    g_assert_cmpstr (got, ==, single);
  }
}

static void
test_fixture_streaming (gconstpointer data)
{
  const char *name = data;
  g_autofree char *text = NULL;
  g_autofree char *whole = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  gsize len;

  text = load_fixture (name, "md", &len);
  whole = dump_parse (text, len);
  expected = block_dumps (text, len);

  for (gsize step = 1; step <= 7; step += 3)
    {
      g_autofree char *got = stream_in_pieces (text, len, fixed_size, GSIZE_TO_POINTER (step), expected);

      g_assert_cmpstr (got, ==, whole);
    }

  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *got = stream_in_pieces (text, len, random_size, GINT_TO_POINTER (40), expected);

      g_assert_cmpstr (got, ==, whole);
    }

  for (gsize split = 0; split <= len; split++)
    {
      TwoPieces tp = { split };
      g_autofree char *got = stream_in_pieces (text, len, two_pieces, &tp, expected);

      g_assert_cmpstr (got, ==, whole);
    }
}

static void
assert_dump (const char *markdown,
             const char *expected)
{
  g_autofree char *got = dump_parse (markdown, strlen (markdown));

  g_assert_cmpstr (got, ==, expected);
}

static void
test_raw_html (void)
{
  assert_dump ("<b>bold?</b>", "paragraph \"<b>bold?</b>\"\n");
  assert_dump ("<script>alert(1)</script>\n", "paragraph \"<script>alert(1)</script>\"\n");
  assert_dump ("<span foreground=\"red\">x</span>",
               "paragraph \"<span foreground=\\\"red\\\">x</span>\"\n");
  assert_dump ("&amp;", "paragraph \"&\"\n");
  assert_dump ("&lt;b&gt;", "paragraph \"<b>\"\n");
  assert_dump ("&unknown; &#xD800; &#1114112;", "paragraph \"&unknown; \357\277\275 \357\277\275\"\n");
}

static gsize
prefix (const char *text)
{
  return cria_markdown_stable_prefix (text, strlen (text));
}

static void
test_stable_prefix (void)
{
  const char *text;

  /* Nothing is stable until the next block has started after a blank line:
   * a paragraph may still turn into a setext heading or a table. */
  g_assert_cmpuint (prefix (""), ==, 0);
  g_assert_cmpuint (prefix ("Hello"), ==, 0);
  g_assert_cmpuint (prefix ("Hello\n\n"), ==, 0);
  g_assert_cmpuint (prefix ("Hello\n\nW"), ==, 7);
  g_assert_cmpuint (prefix ("Hello\n\nWorld\n"), ==, 7);
  g_assert_cmpuint (prefix ("Hello\r\n\r\nWorld\r\n"), ==, 9);
  g_assert_cmpuint (prefix ("Hello\nWorld\n====\n"), ==, 0);
  g_assert_cmpuint (prefix ("Head\n---\n\nnext\n"), ==, 10);
  g_assert_cmpuint (prefix ("| a | b |\n|---|---|\n| 1 | 2 |\n\nafter\n"), ==, 31);

  /* An unclosed fence swallows everything after it. */
  text = "Intro\n\n```python\ncode\n\nmore\n\nstill code\n";
  g_assert_cmpuint (prefix (text), ==, 7);
  text = "Intro\n\n~~~\ncode\n```\n\nstill code\n";
  g_assert_cmpuint (prefix (text), ==, 7);
  /* A shorter fence does not close a longer one. */
  text = "````\ncode\n```\n\nstill code\n";
  g_assert_cmpuint (prefix (text), ==, 0);
  /* A closed fence is final as soon as the next line starts a block. */
  text = "```\ncode\n```\nafter\n";
  g_assert_cmpuint (prefix (text), ==, 13);
  text = "```\ncode\n```\n\nafter\n";
  g_assert_cmpuint (prefix (text), ==, 14);
  /* Indented four spaces, a fence is code, not a fence. */
  text = "    ```\n\nafter\n";
  g_assert_cmpuint (prefix (text), ==, 9);

  /* A list goes on after blank lines with items and indented lines. */
  text = "- a\n\n- b\n\n  more b\n\n";
  g_assert_cmpuint (prefix (text), ==, 0);
  text = "- a\n\n- b\n\n  more b\n\n1. other\n";
  g_assert_cmpuint (prefix (text), ==, 0);
  text = "- a\n\n- b\n\nafter\n";
  g_assert_cmpuint (prefix (text), ==, 10);
  /* A fence in a list item ends with the item. */
  text = "- a\n  ```\n\ncode in item\n";
  g_assert_cmpuint (prefix (text), ==, 11);
  /* A fence at the margin after a list item starts at top level. */
  text = "- a\n```\ncode\n\nstill code\n";
  g_assert_cmpuint (prefix (text), ==, 0);
  /* A fence under a lazy line is still the item's; md4c 0.4.8 lets a fence
   * at the margin close it, where CommonMark would open a new one. */
  text = "- a\nlazy\n  ```\n  code\n\n```\n\nnot code\n";
  g_assert_cmpuint (prefix (text), ==, 28);

  /* Block quotes end at a blank line. */
  text = "> quote\n> more\n\nafter\n";
  g_assert_cmpuint (prefix (text), ==, 16);
  text = "> ```\n> code\n\n```\n\nstill code\n";
  g_assert_cmpuint (prefix (text), ==, 14);

  /* After a list, a line counts only once complete: "1" may still become
   * "1." and add an item; any other first byte ends the list. */
  g_assert_cmpuint (prefix ("- a\n\n1"), ==, 0);
  g_assert_cmpuint (prefix ("- a\n\n1\n"), ==, 5);
  g_assert_cmpuint (prefix ("- a\n\nx"), ==, 5);
  g_assert_cmpuint (prefix ("- a\n\n "), ==, 0);
}

/* Streaming a long answer a character at a time parses every byte a
 * bounded number of times: the final runs once, the tail once per append. */
static void
test_not_quadratic (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
  gsize parsed;

  for (guint i = 0; i < 200; i++)
    {
      if (i % 20 == 0)
        g_string_append_printf (text, "## Section %u\n\n", i / 20);
      g_string_append_printf (text, "Paragraph %u with **bold** and `code`.\n\n", i);
    }

  for (gsize i = 0; i < text->len; i++)
    {
      g_autoptr(CriaMarkdownDocument) tail = NULL;

      cria_markdown_stream_append (stream, text->str + i, 1);
      tail = cria_markdown_stream_get_tail (stream);
    }
  cria_markdown_stream_finish (stream);

  parsed = _cria_markdown_stream_get_n_parsed_bytes (stream);
  g_test_message ("text %" G_GSIZE_FORMAT " bytes, parsed %" G_GSIZE_FORMAT " bytes (%.1f×)",
                  text->len, parsed, (double) parsed / text->len);
  g_assert_cmpuint (parsed, <, 40 * text->len);

  {
    g_autofree char *whole = dump_parse (text->str, text->len);
    g_autoptr(GString) streamed = g_string_new (NULL);

    for (guint i = 0; i < cria_markdown_stream_get_n_final_blocks (stream); i++)
      {
        g_autofree char *block = cria_markdown_block_dump (cria_markdown_stream_get_final_block (stream, i));

        g_string_append (streamed, block);
      }
    g_assert_cmpstr (streamed->str, ==, whole);
  }
}

static void
test_tail (void)
{
  g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
  g_autoptr(CriaMarkdownDocument) tail = NULL;
  g_autofree char *dump = NULL;

  g_assert_cmpuint (cria_markdown_stream_append (stream, "# Title\n\nSome *text", -1), ==, 1);
  tail = cria_markdown_stream_get_tail (stream);
  dump = cria_markdown_document_dump (tail);
  g_assert_cmpstr (dump, ==, "paragraph \"Some *text\"\n");
  g_assert_cmpuint (cria_markdown_document_get_block (tail, 0)->source_start, ==, 9);
  g_clear_pointer (&tail, cria_markdown_document_free);
  g_clear_pointer (&dump, g_free);

  /* A character cut in two is left out of the tail until it is whole. */
  g_assert_cmpuint (cria_markdown_stream_append (stream, "* \xc3", -1), ==, 0);
  tail = cria_markdown_stream_get_tail (stream);
  dump = cria_markdown_document_dump (tail);
  g_assert_cmpstr (dump, ==, "paragraph \"Some text\" [italic 5-9]\n");
  g_clear_pointer (&tail, cria_markdown_document_free);
  g_clear_pointer (&dump, g_free);

  g_assert_cmpuint (cria_markdown_stream_append (stream, "\xa9", -1), ==, 0);
  g_assert_cmpuint (cria_markdown_stream_finish (stream), ==, 1);
  dump = cria_markdown_block_dump (cria_markdown_stream_get_final_block (stream, 1));
  g_assert_cmpstr (dump, ==, "paragraph \"Some text é\" [italic 5-9]\n");

  tail = cria_markdown_stream_get_tail (stream);
  g_assert_cmpuint (cria_markdown_document_get_n_blocks (tail), ==, 0);
}

/* What follows the given length never changes a parse. md4c 0.4.8 looks one
 * byte past the end for the ")" or "." of a list marker after a last digit;
 * here a ")" just past the end must not turn "1" into an ordered list. */
static void
test_ends_at_length (void)
{
  const char *texts[] = {
    "A paragraph\n1",
    "| a | b |\n|---|---|\n| 1 | 2 |\n1",
    "- item\n\n2",
    "> quote\n3",
  };
  const char trailers[] = ").*|`_]>-\n ";

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gsize len = strlen (texts[i]);
      g_autofree char *expected = dump_parse (texts[i], len);
      g_autofree char *buffer = g_malloc (len + 1);

      memcpy (buffer, texts[i], len);
      for (guint j = 0; trailers[j] != '\0'; j++)
        {
          g_autofree char *dump = NULL;
          g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
          g_autoptr(GString) streamed = g_string_new (NULL);

          buffer[len] = trailers[j];
          dump = dump_parse (buffer, len);
          g_assert_cmpstr (dump, ==, expected);

          /* A stream fed the same bytes ends with the same blocks. */
          cria_markdown_stream_append (stream, buffer, len);
          cria_markdown_stream_finish (stream);
          for (guint k = 0; k < cria_markdown_stream_get_n_final_blocks (stream); k++)
            {
              g_autofree char *block = cria_markdown_block_dump (cria_markdown_stream_get_final_block (stream, k));

              g_string_append (streamed, block);
            }
          g_assert_cmpstr (streamed->str, ==, expected);
        }
    }
}

/* Invalid UTF-8 is made valid (as U+FFFD) before md4c sees it, run by run,
 * so the view always gets valid text. */
static void
test_invalid_utf8 (void)
{
  static const char text[] = "Bad \xff\xfe bytes **b\xc3**\n\n```\n\x80\n```\n\n- \xe2\x82\n\0after nul\n";
  g_autoptr(CriaMarkdownDocument) doc = cria_markdown_parse (text, sizeof text - 1);
  g_autofree char *dump = cria_markdown_document_dump (doc);
  g_autofree char *streamed = stream_in_pieces (text, sizeof text - 1, fixed_size, GSIZE_TO_POINTER (1), NULL);

  g_assert_true (g_utf8_validate (dump, -1, NULL));
  g_assert_cmpstr (streamed, ==, dump);

  for (guint i = 0; i < cria_markdown_document_get_n_blocks (doc); i++)
    {
      CriaMarkdownBlock *block = cria_markdown_document_get_block (doc, i);

      if (block->text != NULL)
        g_assert_true (g_utf8_validate (block->text, -1, NULL));
    }
}

static void
test_block_fields (void)
{
  const char *text = "3. a\n4. b\n\n```c  x\nint\n```\n\n| l | r |\n|:--|--:|\n| 1 | 2 |\n";
  g_autoptr(CriaMarkdownDocument) doc = cria_markdown_parse (text, strlen (text));
  CriaMarkdownBlock *list, *code, *table;
  CriaMarkdownTableRow *row;

  g_assert_cmpuint (cria_markdown_document_get_n_blocks (doc), ==, 3);
  list = cria_markdown_document_get_block (doc, 0);
  g_assert_cmpint (list->kind, ==, CRIA_MARKDOWN_BLOCK_LIST);
  g_assert_true (list->ordered);
  g_assert_cmpuint (list->start, ==, 3);
  g_assert_cmpuint (list->children->len, ==, 2);
  g_assert_cmpuint (list->source_start, ==, 0);

  code = cria_markdown_document_get_block (doc, 1);
  g_assert_cmpint (code->kind, ==, CRIA_MARKDOWN_BLOCK_CODE);
  g_assert_cmpstr (code->language, ==, "c");
  g_assert_cmpstr (code->text, ==, "int");

  table = cria_markdown_document_get_block (doc, 2);
  g_assert_cmpint (table->kind, ==, CRIA_MARKDOWN_BLOCK_TABLE);
  g_assert_cmpuint (table->n_columns, ==, 2);
  g_assert_cmpint (g_array_index (table->aligns, CriaMarkdownAlign, 0), ==, CRIA_MARKDOWN_ALIGN_LEFT);
  g_assert_cmpint (g_array_index (table->aligns, CriaMarkdownAlign, 1), ==, CRIA_MARKDOWN_ALIGN_RIGHT);
  row = g_ptr_array_index (table->rows, 0);
  g_assert_true (row->header);
  row = g_ptr_array_index (table->rows, 1);
  g_assert_false (row->header);
  g_assert_cmpstr (((CriaMarkdownCell *) g_ptr_array_index (row->cells, 1))->text, ==, "2");

  /* Blocks outlive their document. */
  {
    g_autoptr(CriaMarkdownBlock) kept = cria_markdown_block_ref (code);

    g_clear_pointer (&doc, cria_markdown_document_free);
    g_assert_cmpstr (kept->text, ==, "int");
    g_assert_true (G_TYPE_IS_BOXED (CRIA_TYPE_MARKDOWN_BLOCK));
  }
}

/* Walks a block tree without recursion (so that a tree too deep for the
 * stack fails the assertion rather than crashing the test), returning its
 * depth, and appends every text of it to @text. */
static guint
tree_depth_and_text (GPtrArray *roots,
                     GString   *text)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  guint max_depth = 0;

  for (guint i = roots->len; i > 0; i--)
    {
      guint one = 1;

      g_ptr_array_add (stack, g_ptr_array_index (roots, i - 1));
      g_array_append_val (depths, one);
    }

  while (stack->len > 0)
    {
      CriaMarkdownBlock *block = g_ptr_array_steal_index (stack, stack->len - 1);
      guint depth = g_array_index (depths, guint, depths->len - 1);

      g_array_set_size (depths, depths->len - 1);
      max_depth = MAX (max_depth, depth);
      if (block->text != NULL && text != NULL)
        {
          g_string_append (text, block->text);
          g_string_append_c (text, '\n');
        }
      for (guint i = 0; block->rows != NULL && i < block->rows->len; i++)
        {
          CriaMarkdownTableRow *row = g_ptr_array_index (block->rows, i);

          for (guint j = 0; text != NULL && j < row->cells->len; j++)
            {
              g_string_append (text, ((CriaMarkdownCell *) g_ptr_array_index (row->cells, j))->text);
              g_string_append_c (text, '\n');
            }
        }
      for (guint i = block->children != NULL ? block->children->len : 0; i > 0; i--)
        {
          guint child_depth = depth + 1;

          g_ptr_array_add (stack, g_ptr_array_index (block->children, i - 1));
          g_array_append_val (depths, child_depth);
        }
    }

  return max_depth;
}

/* Parses @text whole and streamed in pieces, checks that both trees are no
 * deeper than the cap allows and returns the text of the whole parse. */
static char *
check_deep (const char *text,
            gsize       len)
{
  g_autoptr(CriaMarkdownDocument) doc = cria_markdown_parse (text, len);
  g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
  g_autoptr(GPtrArray) streamed = g_ptr_array_new ();
  g_autoptr(CriaMarkdownDocument) tail = NULL;
  GString *out = g_string_new (NULL);
  g_autoptr(GString) streamed_text = g_string_new (NULL);
  g_autofree char *dump = NULL;
  gsize step = MAX (len / 7, 1);

  /* A list item adds a list and an item; a table adds itself. */
  g_assert_cmpuint (tree_depth_and_text (_cria_markdown_document_get_blocks (doc), out),
                    <=, CRIA_MARKDOWN_MAX_DEPTH + 2);

  for (gsize offset = 0; offset < len; offset += step)
    {
      cria_markdown_stream_append (stream, text + offset, MIN (step, len - offset));
      tail = cria_markdown_stream_get_tail (stream);
      g_assert_cmpuint (tree_depth_and_text (_cria_markdown_document_get_blocks (tail), NULL),
                        <=, CRIA_MARKDOWN_MAX_DEPTH + 2);
      g_clear_pointer (&tail, cria_markdown_document_free);
    }
  cria_markdown_stream_finish (stream);
  for (guint i = 0; i < cria_markdown_stream_get_n_final_blocks (stream); i++)
    g_ptr_array_add (streamed, cria_markdown_stream_get_final_block (stream, i));
  g_assert_cmpuint (tree_depth_and_text (streamed, streamed_text), <=, CRIA_MARKDOWN_MAX_DEPTH + 2);
  g_assert_cmpstr (streamed_text->str, ==, out->str);

  /* Dumping walks the whole tree too. */
  dump = cria_markdown_document_dump (doc);
  g_assert_nonnull (dump);

  return g_string_free (out, FALSE);
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

/* A hundred thousand nested quotes overflowed the stack freeing the tree;
 * six thousand nested lists overflowed the view. Past the cap, blocks are
 * kept flat, with all their text. */
static void
test_deep_quotes (void)
{
  g_autofree char *text = repeat (">", 100000, " deep quote text\n");
  g_autofree char *shown = check_deep (text, strlen (text));

  g_assert_nonnull (strstr (shown, "deep quote text"));
}

static void
test_deep_lists (void)
{
  g_autofree char *text = repeat ("- ", 6000, "deep item text\n");
  g_autofree char *ordered = repeat ("1. ", 6000, "deep ordered text\n");
  g_autofree char *shown = check_deep (text, strlen (text));
  g_autofree char *shown_ordered = check_deep (ordered, strlen (ordered));

  g_assert_nonnull (strstr (shown, "deep item text"));
  g_assert_nonnull (strstr (shown_ordered, "deep ordered text"));
}

/* Every level of a deep outline keeps its own text, including those past
 * the cap, in order; so do quotes and lists mixed. */
static void
test_deep_mixed (void)
{
  GString *outline = g_string_new (NULL);
  g_autofree char *mixed = repeat ("> - 1. ", 3000, "mixed text\n\n| a | b |\n|---|---|\n| c | d |\n");
  g_autofree char *shown_mixed = NULL;
  g_autofree char *shown = NULL;
  const char *pos;

  for (guint i = 0; i < 200; i++)
    {
      for (guint j = 0; j < i; j++)
        g_string_append (outline, "  ");
      g_string_append_printf (outline, "- level %u\n", i);
      for (guint j = 0; j < i; j++)
        g_string_append (outline, "  ");
      g_string_append_printf (outline, "  > quoted %u\n", i);
    }
  shown = check_deep (outline->str, outline->len);
  pos = shown;
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *level = g_strdup_printf ("level %u", i);
      g_autofree char *quoted = g_strdup_printf ("quoted %u", i);

      pos = strstr (pos, level);
      g_assert_nonnull (pos);
      pos = strstr (pos, quoted);
      g_assert_nonnull (pos);
    }
  g_string_free (outline, TRUE);

  shown_mixed = check_deep (mixed, strlen (mixed));
  g_assert_nonnull (strstr (shown_mixed, "mixed text"));
  g_assert_nonnull (strstr (shown_mixed, "c\nd\n"));
}

/* Emphasis, links and code spans nest as spans over flat text, never as a
 * tree: storms of them keep all their text. */
static void
test_deep_emphasis (void)
{
  g_autofree char *stars = repeat ("*", 20000, "");
  g_autofree char *under = repeat ("_a ", 20000, "");
  g_autofree char *brackets = repeat ("[", 20000, "x](https://example.com)");
  g_autofree char *strong = repeat ("**a ", 5000, "b");
  g_autofree char *text = g_strconcat (stars, "storm", stars, "\n\n", under, "\n\n",
                                       brackets, "\n\n", strong, "\n", NULL);
  g_autofree char *shown = check_deep (text, strlen (text));

  g_assert_nonnull (strstr (shown, "storm"));
  g_assert_nonnull (strstr (shown, "x"));
}

/* Maths */

/* Checks what the view relies on for every MATH span of @text: it covers
 * the formula's source with its delimiters, its LaTeX is valid UTF-8, and
 * every other span either holds it whole or lies outside it. */
static void
check_math_spans (const char *text,
                  GArray     *spans)
{
  gsize len = strlen (text);

  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      CriaMarkdownSpan *span = &g_array_index (spans, CriaMarkdownSpan, i);

      if (span->kind != CRIA_MARKDOWN_SPAN_MATH)
        {
          g_assert_null (span->math);
          g_assert_false (span->display);
          continue;
        }

      g_assert_cmpuint (span->end, <=, len);
      g_assert_true (text[span->start] == '$' || text[span->start] == '\\');
      if (span->math != NULL)
        {
          g_assert_true (g_utf8_validate (span->math, -1, NULL));
          g_assert_true (text[span->end - 1] == '$' || text[span->end - 1] == ')'
                         || text[span->end - 1] == ']' || text[span->end - 1] == '}');
        }

      for (guint j = 0; j < spans->len; j++)
        {
          CriaMarkdownSpan *other = &g_array_index (spans, CriaMarkdownSpan, j);
          gboolean outside = other->end <= span->start || other->start >= span->end;
          gboolean holds = other->start <= span->start && other->end >= span->end;

          if (j == i)
            continue;
          g_assert_true (outside || (holds && other->kind != CRIA_MARKDOWN_SPAN_MATH));
        }
    }
}

static void
check_math_blocks (GPtrArray *blocks)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      CriaMarkdownBlock *block = g_ptr_array_index (blocks, i);

      if (block->kind == CRIA_MARKDOWN_BLOCK_MATH)
        {
          g_assert_true (g_utf8_validate (block->text, -1, NULL));
          g_assert_cmpuint (block->spans->len, ==, 0);
          g_assert_true (block->math == NULL || g_utf8_validate (block->math, -1, NULL));
          g_assert_true (block->text[0] == '$' || block->text[0] == '\\');
        }
      else
        g_assert_null (block->math);

      if (block->text != NULL)
        check_math_spans (block->text, block->spans);
      for (guint j = 0; block->rows != NULL && j < block->rows->len; j++)
        {
          CriaMarkdownTableRow *row = g_ptr_array_index (block->rows, j);

          for (guint k = 0; k < row->cells->len; k++)
            {
              CriaMarkdownCell *cell = g_ptr_array_index (row->cells, k);

              check_math_spans (cell->text, cell->spans);
            }
        }
      if (block->children != NULL)
        check_math_blocks (block->children);
    }
}

static void
test_math_fixtures (void)
{
  const char *names[] = { "math", "math-answer", "math-currency", "llm-answer" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize len;
      g_autofree char *text = load_fixture (names[i], "md", &len);
      g_autoptr(CriaMarkdownDocument) doc = cria_markdown_parse (text, len);

      check_math_blocks (_cria_markdown_document_get_blocks (doc));
    }
}

/* Returns the only span of the first block of @markdown's parse. */
static CriaMarkdownBlock *
parse_one (const char            *markdown,
           CriaMarkdownDocument **doc)
{
  *doc = cria_markdown_parse (markdown, strlen (markdown));
  g_assert_cmpuint (cria_markdown_document_get_n_blocks (*doc), >=, 1);
  return cria_markdown_document_get_block (*doc, 0);
}

static void
test_math_fields (void)
{
  g_autoptr(CriaMarkdownDocument) doc = NULL;
  CriaMarkdownBlock *block;
  CriaMarkdownSpan *span;

  block = parse_one ("Let $a_1*b*$ be \\(x\\) or $$ y $$ and \\[z\\].", &doc);
  g_assert_cmpint (block->kind, ==, CRIA_MARKDOWN_BLOCK_PARAGRAPH);
  g_assert_cmpstr (block->text, ==, "Let $a_1*b*$ be \\(x\\) or $$ y $$ and \\[z\\].");
  g_assert_cmpuint (block->spans->len, ==, 4);
  span = &g_array_index (block->spans, CriaMarkdownSpan, 0);
  g_assert_cmpint (span->kind, ==, CRIA_MARKDOWN_SPAN_MATH);
  g_assert_cmpuint (span->start, ==, 4);
  g_assert_cmpuint (span->end, ==, 12);
  g_assert_cmpstr (span->math, ==, "a_1*b*");
  g_assert_false (span->display);
  span = &g_array_index (block->spans, CriaMarkdownSpan, 1);
  g_assert_cmpstr (span->math, ==, "x");
  g_assert_false (span->display);
  span = &g_array_index (block->spans, CriaMarkdownSpan, 2);
  g_assert_cmpstr (span->math, ==, "y");
  g_assert_true (span->display);
  g_assert_cmpuint (span->end - span->start, ==, strlen ("$$ y $$"));
  span = &g_array_index (block->spans, CriaMarkdownSpan, 3);
  g_assert_cmpstr (span->math, ==, "z");
  g_assert_true (span->display);
  g_clear_pointer (&doc, cria_markdown_document_free);

  /* A block keeps its delimiters in its text, and its body in @math; a
   * bare environment is its own formula. */
  block = parse_one ("$$\n\\frac{a}{b}\n$$\n", &doc);
  g_assert_cmpint (block->kind, ==, CRIA_MARKDOWN_BLOCK_MATH);
  g_assert_cmpstr (block->text, ==, "$$\n\\frac{a}{b}\n$$");
  g_assert_cmpstr (block->math, ==, "\\frac{a}{b}");
  g_assert_cmpuint (block->spans->len, ==, 0);
  g_clear_pointer (&doc, cria_markdown_document_free);

  block = parse_one ("\\begin{cases}\nx & x > 0\\\\\n-x & x \\le 0\n\\end{cases}", &doc);
  g_assert_cmpint (block->kind, ==, CRIA_MARKDOWN_BLOCK_MATH);
  g_assert_cmpstr (block->math, ==, block->text);
  g_assert_true (g_str_has_prefix (block->math, "\\begin{cases}\nx & x > 0\\\\\n"));
  g_clear_pointer (&doc, cria_markdown_document_free);

  /* Container markers are not part of the formula. */
  block = parse_one ("> - $$\n>   a_1\n>   $$\n", &doc);
  g_assert_cmpint (block->kind, ==, CRIA_MARKDOWN_BLOCK_QUOTE);
  block = g_ptr_array_index (block->children, 0);
  block = g_ptr_array_index (block->children, 0);
  block = g_ptr_array_index (block->children, 0);
  g_assert_cmpint (block->kind, ==, CRIA_MARKDOWN_BLOCK_MATH);
  g_assert_cmpstr (block->text, ==, "$$\na_1\n$$");
  g_assert_cmpstr (block->math, ==, "a_1");
}

/* Prices in real-world sentences, from models and from Cria's own answers
 * about LlamaGate's pricing, are never formulas. */
static void
test_math_currency (void)
{
  const char *sentences[] = {
    "It costs $5 and $10.",
    "It costs $5 and $10",
    "$5-$10",
    "between $3.50 and $4",
    "US$20",
    "$ 5",
    "Llama 3.1 8B costs $0.03 per 1M tokens and Qwen $0.05",
    "Llama 3.1 8B costs $0.03 per 1M tokens and Qwen $0.05 per 1M tokens.",
    "Input is $0.10/M and output $0.40/M.",
    "The plan is $20/month or $200/year.",
    "Budgets from $1,000–$2,000 are common.",
    "Tickets cost $15 ($12 for students).",
    "3×$5=$15 in total.",
    "I paid $4.99, $12.50 and $100.",
    "Save $$$ now: $99 instead of $120!",
    "Revenue: $1.2M (2023) vs $3.4M (2024).",
    "A \\$5 fee, a \\$10 deposit.",
    "Price: $5.",
    "The cost was $5, or around $5-6 with tax.",
    "Costs rose from $10 to $12 (20%), then to $15.",
    "Between 5$ and 10$, or 5 $ and 10 $.",
    "You spent $0.0042 on this answer; your budget is $5.00 this month.",
    "$5 + $3 = $8",
    "**Total:** $42.50 (was $50)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (sentences); i++)
    {
      g_autoptr(CriaMarkdownDocument) doc = cria_markdown_parse (sentences[i], strlen (sentences[i]));
      g_autofree char *dump = cria_markdown_document_dump (doc);

      g_test_message ("%s", sentences[i]);
      g_assert_null (strstr (dump, "[math"));
      g_assert_null (strstr (dump, "\nmath"));
      g_assert_false (g_str_has_prefix (dump, "math"));
    }

  /* A price and a formula in one sentence: only the formula is maths. */
  assert_dump ("It costs $5, and the area is $\\pi r^2$.",
               "paragraph \"It costs $5, and the area is $\\\\pi r^2$.\" [math 29-38 \"\\\\pi r^2\"]\n");
}

/* Amounts written the way Cria writes them (cria-format.c), in the
 * sentences a model uses to answer about LlamaGate's prices, stay text. */
static void
test_math_cria_prices (void)
{
  const double amounts[] = { 0, 0.0000021, 0.0012, 0.03, 0.05, 0.1, 0.125, 0.4, 1, 5, 10, 12.5, 1234.567 };
  /* Each "@" is an amount. */
  const char *templates[] = {
    "Llama 3.1 8B costs @ per 1M tokens and Qwen @ per 1M tokens.",
    "Llama 3.1 8B costs @ per 1M tokens and Qwen @",
    "Input: @/M, output: @/M",
    "| DeepSeek R1 8B | @ | @ |",
    "- **Qwen 3 8B**: @ input, @ output",
    "7 December: @ — Llama 3.1 8B @",
    "This answer cost @; the conversation @ so far.",
    "between @ and @",
    "@-@ per answer",
    "@–@",
    "(@) and (@)",
    "@, @",
    "@/@",
    "@ + @",
    "@ (≈ @ with reasoning)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    for (guint j = 0; j < G_N_ELEMENTS (amounts); j++)
      for (guint k = 0; k < G_N_ELEMENTS (amounts); k++)
        {
          g_autofree char *first = j % 2 ? cria_format_price (amounts[j]) : cria_format_cost (amounts[j]);
          g_autofree char *second = k % 3 == 2 ? cria_format_estimated_cost (amounts[k])
                                               : cria_format_price (amounts[k]);
          g_auto(GStrv) pieces = g_strsplit (templates[i], "@", 3);
          g_autofree char *text = g_strconcat (pieces[0], first, pieces[1], second, pieces[2], NULL);
          g_autofree char *dump = dump_parse (text, strlen (text));

          if (strstr (dump, "math") != NULL)
            g_error ("maths in \"%s\": %s", text, dump);
        }
}

/* Maths never lies in code, and code never in maths. */
static void
test_math_code (void)
{
  assert_dump ("`$x$` and `\\(y\\)` and $`z`$",
               "paragraph \"$x$ and \\\\(y\\\\) and $`z`$\" [code 0-3] [code 8-13] [math 18-23 \"`z`\"]\n");
  assert_dump ("```\n$$\nx\n$$\n```\n", "code \"$$\\nx\\n$$\"\n");
  assert_dump ("~~~tex\n\\[ x \\]\n~~~\n", "code(tex) \"\\\\[ x \\\\]\"\n");
  /* Indented four spaces at the top, a formula is code after all: shown as written. */
  assert_dump ("Text\n\n    $x$ and $$y$$\n", "paragraph \"Text\"\ncode \"$x$ and $$y$$\"\n");
  assert_dump ("Text\n\n    $$\n    x\n    $$\n", "paragraph \"Text\"\ncode \"$$\\nx\\n$$\"\n");
  /* A backslash escape is Markdown's: "\\$" is a dollar, "\\\\(" a backslash. */
  assert_dump ("\\$x$ and \\\\(y\\\\)", "paragraph \"$x$ and \\\\(y\\\\)\"\n");
}

static void
test_math_unclosed (void)
{
  const char *texts[] = {
    "$$\n\\frac{a}{",
    "so \\(x^2",
    "so $\\alpha",
    "$$",
    "\\[",
    "Thus $$ a +",
    "\\begin{aligned}\na &= b",
  };

  /* In a whole parse, and once a stream is finished, an opening delimiter
   * without its closing one is text. */
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *dump = dump_parse (texts[i], strlen (texts[i]));
      g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
      g_autoptr(CriaMarkdownDocument) tail = NULL;
      g_autofree char *tail_dump = NULL;
      g_autofree char *final = NULL;

      g_test_message ("%s", texts[i]);
      g_assert_null (strstr (dump, "math"));

      /* At the end of a stream's tail it is maths still arriving. */
      cria_markdown_stream_append (stream, texts[i], -1);
      tail = cria_markdown_stream_get_tail (stream);
      tail_dump = cria_markdown_document_dump (tail);
      g_assert_true (strstr (tail_dump, "math(pending)") != NULL || strstr (tail_dump, " pending]") != NULL);
      check_math_blocks (_cria_markdown_document_get_blocks (tail));

      cria_markdown_stream_finish (stream);
      g_assert_cmpuint (cria_markdown_stream_get_n_final_blocks (stream), ==, 1);
      final = cria_markdown_block_dump (cria_markdown_stream_get_final_block (stream, 0));
      g_assert_cmpstr (final, ==, dump);
    }
}

static char *
tail_dump (CriaMarkdownStream *stream)
{
  g_autoptr(CriaMarkdownDocument) tail = cria_markdown_stream_get_tail (stream);

  return cria_markdown_document_dump (tail);
}

static void
test_math_tail (void)
{
  g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
  char *dump;

  cria_markdown_stream_append (stream, "Solve:\n$$\n\\frac{a}{", -1);
  dump = tail_dump (stream);
  g_assert_cmpstr (dump, ==, "paragraph \"Solve:\"\nmath(pending) \"$$\\n\\\\frac{a}{\"\n");
  g_free (dump);

  cria_markdown_stream_append (stream, "b}\n$", -1);
  dump = tail_dump (stream);
  g_assert_cmpstr (dump, ==, "paragraph \"Solve:\"\nmath(pending) \"$$\\n\\\\frac{a}{b}\\n$\"\n");
  g_free (dump);

  /* Once it closes, the text before it is final; the formula itself is
   * final as soon as the next line starts. */
  g_assert_cmpuint (cria_markdown_stream_append (stream, "$\n", -1), ==, 1);
  dump = tail_dump (stream);
  g_assert_cmpstr (dump, ==, "math \"$$\\n\\\\frac{a}{b}\\n$$\" => \"\\\\frac{a}{b}\"\n");
  g_free (dump);

  /* An inline formula arriving at the very end. */
  g_assert_cmpuint (cria_markdown_stream_append (stream, "so \\(x^", -1), ==, 1);
  dump = cria_markdown_block_dump (cria_markdown_stream_get_final_block (stream, 1));
  g_assert_cmpstr (dump, ==, "math \"$$\\n\\\\frac{a}{b}\\n$$\" => \"\\\\frac{a}{b}\"\n");
  g_free (dump);
  dump = tail_dump (stream);
  g_assert_cmpstr (dump, ==, "paragraph \"so \\\\(x^\" [math 3-7 pending]\n");
  g_free (dump);

  /* A single dollar is only taken for maths when nothing else fits. */
  cria_markdown_stream_append (stream, "2\\) for $5 and $x", -1);
  dump = tail_dump (stream);
  g_assert_null (strstr (dump, "pending"));
  g_free (dump);
  cria_markdown_stream_append (stream, "_1", -1);
  dump = tail_dump (stream);
  g_assert_nonnull (strstr (dump, "[math 3-10 \"x^2\"] [math 22-26 pending]"));
  g_free (dump);
}

/* A display block on lines of its own is final as soon as the line after
 * it starts, and is then never parsed again while the answer goes on. */
static void
test_math_final_early (void)
{
  g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
  gsize parsed;

  g_assert_cmpuint (cria_markdown_stream_append (stream, "\\[\n\\int_0^1 f\n\\]\n", -1), ==, 0);
  g_assert_cmpuint (cria_markdown_stream_append (stream, "w", -1), ==, 1);
  g_assert_cmpint (cria_markdown_stream_get_final_block (stream, 0)->kind, ==, CRIA_MARKDOWN_BLOCK_MATH);
  g_assert_cmpuint (cria_markdown_stream_get_stable_length (stream), ==, strlen ("\\[\n\\int_0^1 f\n\\]\n"));

  parsed = _cria_markdown_stream_get_n_parsed_bytes (stream);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(CriaMarkdownDocument) tail = NULL;

      cria_markdown_stream_append (stream, "ord ", -1);
      tail = cria_markdown_stream_get_tail (stream);
      g_assert_cmpuint (cria_markdown_document_get_n_blocks (tail), ==, 1);
      g_assert_cmpint (cria_markdown_document_get_block (tail, 0)->kind, ==, CRIA_MARKDOWN_BLOCK_PARAGRAPH);
    }
  /* Only the tail after the formula was parsed again. */
  g_assert_cmpuint (_cria_markdown_stream_get_n_parsed_bytes (stream) - parsed, <, 100 * 401);
  g_assert_cmpuint (cria_markdown_stream_get_n_final_blocks (stream), ==, 1);

  /* Not when the closing delimiter has text after it, nor inside a list. */
  g_assert_cmpuint (prefix ("$$\nx\n$$ so\nw"), ==, 0);
  g_assert_cmpuint (prefix ("- a\n\n  $$\n  x\n  $$\nw"), ==, 0);
  g_assert_cmpuint (prefix ("$$\nx\n$$\nw"), ==, 8);
  /* After a line of text, a list or a quote, which the formula ends. */
  g_assert_cmpuint (prefix ("Solve:\n$$\nx\n$$\n"), ==, 7);
  g_assert_cmpuint (prefix ("Solve:\n$$\nx\n$$\nw"), ==, 15);
  g_assert_cmpuint (prefix ("- a\n$$x$$\nw"), ==, 10);
  g_assert_cmpuint (prefix ("> a\n\\[x\\]\nw"), ==, 10);
  /* Not when a formula before it may run on into it, nor after a line
   * with a "|" (md4c 0.4.8 goes on with a table through any line). */
  g_assert_cmpuint (prefix ("Thus \\(\n$$\nx\n$$\ny \\)"), ==, 0);
  g_assert_cmpuint (prefix ("| a |\n|---|\n$$\nx\n$$\nw"), ==, 0);
  g_assert_cmpuint (prefix ("\\begin{aligned}\nx\n\\end{aligned}\n="), ==, 32);
  /* An empty formula is none. */
  g_assert_cmpuint (prefix ("$$\n$$\nw"), ==, 0);
}

/* Openers without closers in one long paragraph cost linear time, and
 * every character is kept. */
static void
test_math_many_openers (void)
{
  const char *units[] = { "\\( ", "$$ ", "\\[ ", "$a ", "\\begin{aligned} ", "$5 and $" };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autofree char *text = repeat (units[i], 40000, "end");
      g_autofree char *shown = check_deep (text, strlen (text));

      g_assert_nonnull (strstr (shown, "end"));
    }

  /* Backtick runs of every length up to 600, none closed, then maths. */
  {
    GString *text = g_string_new (NULL);
    g_autofree char *dump = NULL;

    for (guint i = 1; i <= 600; i++)
      {
        for (guint j = 0; j < i; j++)
          g_string_append_c (text, '`');
        g_string_append_c (text, ' ');
      }
    g_string_append (text, "$x$");
    dump = dump_parse (text->str, text->len);
    g_assert_true (g_str_has_suffix (dump, "[math 180900-180903 \"x\"]\n"));
    g_string_free (text, TRUE);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/markdown/fixture/%s", fixtures[i]);
      g_autofree char *stream_path = g_strdup_printf ("/markdown/streaming/%s", fixtures[i]);

      g_test_add_data_func (path, fixtures[i], test_fixture);
      g_test_add_data_func (stream_path, fixtures[i], test_fixture_streaming);
    }
  g_test_add_func ("/markdown/raw-html", test_raw_html);
  g_test_add_func ("/markdown/stable-prefix", test_stable_prefix);
  g_test_add_func ("/markdown/not-quadratic", test_not_quadratic);
  g_test_add_func ("/markdown/tail", test_tail);
  g_test_add_func ("/markdown/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/markdown/ends-at-length", test_ends_at_length);
  g_test_add_func ("/markdown/block-fields", test_block_fields);
  g_test_add_func ("/markdown/deep/quotes", test_deep_quotes);
  g_test_add_func ("/markdown/deep/lists", test_deep_lists);
  g_test_add_func ("/markdown/deep/mixed", test_deep_mixed);
  g_test_add_func ("/markdown/deep/emphasis", test_deep_emphasis);
  g_test_add_func ("/markdown/math/fixtures", test_math_fixtures);
  g_test_add_func ("/markdown/math/fields", test_math_fields);
  g_test_add_func ("/markdown/math/currency", test_math_currency);
  g_test_add_func ("/markdown/math/cria-prices", test_math_cria_prices);
  g_test_add_func ("/markdown/math/code", test_math_code);
  g_test_add_func ("/markdown/math/unclosed", test_math_unclosed);
  g_test_add_func ("/markdown/math/tail", test_math_tail);
  g_test_add_func ("/markdown/math/final-early", test_math_final_early);
  g_test_add_func ("/markdown/math/many-openers", test_math_many_openers);

  return g_test_run ();
}
