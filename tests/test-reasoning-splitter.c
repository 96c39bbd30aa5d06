/* test-reasoning-splitter.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-reasoning-splitter.h"

/* Collects the splitter's output the way a reply does: a reclassification
 * replaces the answer shown so far with reasoning. */
typedef struct
{
  GString *answer;
  GString *reasoning;
  guint    n_calls;
  guint    n_reclassified;
} Collector;

static void
collect_cb (const char *answer,
            const char *reasoning,
            gboolean    reclassified,
            gpointer    user_data)
{
  Collector *col = user_data;

  col->n_calls++;

  /* One kind of text per call, and never an empty call. */
  g_assert_true ((answer == NULL) != (reasoning == NULL));
  g_assert_true ((answer != NULL ? answer : reasoning)[0] != '\0');

  if (reclassified)
    {
      g_assert_null (answer);
      /* What was shown as answer is part of what turned out to be reasoning,
       * and no reasoning was reported before. */
      g_assert_true (g_str_has_prefix (reasoning, col->answer->str));
      g_assert_cmpuint (col->reasoning->len, ==, 0);
      g_string_truncate (col->answer, 0);
      g_string_assign (col->reasoning, reasoning);
      col->n_reclassified++;
    }
  else if (answer != NULL)
    g_string_append (col->answer, answer);
  else
    g_string_append (col->reasoning, reasoning);
}

static void
collector_init (Collector *col)
{
  col->answer = g_string_new (NULL);
  col->reasoning = g_string_new (NULL);
  col->n_calls = 0;
  col->n_reclassified = 0;
}

static char *
collector_free_to_string (Collector *col)
{
  char *result = g_strdup_printf ("A[%s] R[%s] X%u", col->answer->str, col->reasoning->str,
                                  col->n_reclassified);

  g_string_free (col->answer, TRUE);
  g_string_free (col->reasoning, TRUE);
  return result;
}

/* Feeds @input in pieces of @step bytes (0: whole). */
static char *
split_in_steps (const char *input,
                gsize       step,
                gboolean    orphan_close)
{
  gsize len = strlen (input);
  Collector col;
  CriaReasoningSplitter *splitter;

  collector_init (&col);
  splitter = cria_reasoning_splitter_new (collect_cb, &col);
  if (!orphan_close)
    cria_reasoning_splitter_disable_orphan_close (splitter);

  if (step == 0)
    step = MAX (len, 1);
  for (gsize i = 0; i < len; i += step)
    cria_reasoning_splitter_feed (splitter, input + i, MIN (step, len - i));
  cria_reasoning_splitter_finish (splitter);
  cria_reasoning_splitter_free (splitter);

  return collector_free_to_string (&col);
}

static char *
split_at (const char *input,
          gsize       at,
          gboolean    orphan_close)
{
  Collector col;
  CriaReasoningSplitter *splitter;

  collector_init (&col);
  splitter = cria_reasoning_splitter_new (collect_cb, &col);
  if (!orphan_close)
    cria_reasoning_splitter_disable_orphan_close (splitter);

  cria_reasoning_splitter_feed (splitter, input, at);
  cria_reasoning_splitter_feed (splitter, input + at, strlen (input) - at);
  cria_reasoning_splitter_finish (splitter);
  cria_reasoning_splitter_free (splitter);

  return collector_free_to_string (&col);
}

/* Asserts that @input gives @expected however it is split: whole, one byte at
 * a time, other small steps, and in two pieces at every split point. */
static void
assert_splits_to_full (const char *input,
                       gboolean    orphan_close,
                       const char *expected)
{
  static const gsize steps[] = { 0, 1, 2, 3, 5, 8 };
  gsize len = strlen (input);

  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *result = split_in_steps (input, steps[i], orphan_close);

      g_assert_cmpstr (result, ==, expected);
    }

  for (gsize at = 0; at <= len; at++)
    {
      g_autofree char *result = split_at (input, at, orphan_close);

      g_assert_cmpstr (result, ==, expected);
    }
}

static void
assert_splits_to (const char *input,
                  const char *expected)
{
  assert_splits_to_full (input, TRUE, expected);
}

static void
test_think (void)
{
  assert_splits_to ("<think>Let me add 2 and 2.</think>\n\nThe answer is 4.",
                    "A[The answer is 4.] R[Let me add 2 and 2.] X0");
  assert_splits_to ("<think>\nStep one.\n</think>\n\n**4**",
                    "A[**4**] R[\nStep one.\n] X0");
}

static void
test_think_leading_whitespace (void)
{
  /* Whitespace before the opening tag is dropped, and so is whitespace at the
   * start of the answer, but not inside it. */
  assert_splits_to ("\n \t<think>r</think> \n\t\n Hello\n\n world ",
                    "A[Hello\n\n world ] R[r] X0");
}

static void
test_think_empty_answer (void)
{
  assert_splits_to ("<think>only thoughts</think>\n\n", "A[] R[only thoughts] X0");
  assert_splits_to ("<think></think>answer", "A[answer] R[] X0");
}

static void
test_openthinker (void)
{
  assert_splits_to ("<|begin_of_thought|>\n\nI need to sum.\n\n<|end_of_thought|>\n\n"
                    "<|begin_of_solution|>\n\nThe sum is 4.\n\n<|end_of_solution|>",
                    "A[The sum is 4.\n\n] R[\n\nI need to sum.\n\n] X0");
  /* Text after the solution is kept as answer. */
  assert_splits_to ("<|begin_of_thought|>t<|end_of_thought|><|begin_of_solution|>s"
                    "<|end_of_solution|>\nbye",
                    "A[s\nbye] R[t] X0");
}

static void
test_openthinker_without_solution_tags (void)
{
  /* Without a solution tag the answer is plain, and a late one is literal. */
  assert_splits_to ("<|begin_of_thought|>t<|end_of_thought|>\n\nplain <|begin_of_solution|>",
                    "A[plain <|begin_of_solution|>] R[t] X0");
}

static void
test_solution_only (void)
{
  assert_splits_to ("<|begin_of_solution|>\n\n42\n<|end_of_solution|>", "A[42\n] R[] X0");
  assert_splits_to ("  <|begin_of_solution|>42", "A[42] R[] X0");
}

static void
test_solution_after_think_literal (void)
{
  /* Solution tags only follow a thought section. */
  assert_splits_to ("<think>r</think><|begin_of_solution|>x<|end_of_solution|>",
                    "A[<|begin_of_solution|>x<|end_of_solution|>] R[r] X0");
}

static void
test_orphan_close (void)
{
  assert_splits_to ("Okay, 2 and 2.\nThat is 4.\n</think>\n\nThe answer is 4.",
                    "A[The answer is 4.] R[Okay, 2 and 2.\nThat is 4.\n] X1");
  assert_splits_to ("thinking<|end_of_thought|>\n<|begin_of_solution|>ans<|end_of_solution|>",
                    "A[ans] R[thinking] X1");
  /* Leading whitespace belongs to the reclassified text. */
  assert_splits_to ("\n\nhmm</think>ok", "A[ok] R[\n\nhmm] X1");
}

static void
test_orphan_close_shown_first (void)
{
  Collector col;
  g_autoptr(CriaReasoningSplitter) splitter = NULL;
  g_autofree char *result = NULL;

  collector_init (&col);
  splitter = cria_reasoning_splitter_new (collect_cb, &col);

  /* The text is shown as answer while it may be one... */
  cria_reasoning_splitter_feed (splitter, "Let me see", 10);
  cria_reasoning_splitter_feed (splitter, ". Fine.", 7);
  g_assert_cmpstr (col.answer->str, ==, "Let me see. Fine.");
  g_assert_cmpuint (col.n_reclassified, ==, 0);

  /* ...and taken back in one call when the closing tag comes. */
  cria_reasoning_splitter_feed (splitter, "\n</thi", 6);
  cria_reasoning_splitter_feed (splitter, "nk>\n\nYes", 8);
  g_assert_cmpuint (col.n_reclassified, ==, 1);
  g_assert_cmpstr (col.reasoning->str, ==, "Let me see. Fine.\n");
  g_assert_cmpstr (col.answer->str, ==, "Yes");

  /* From then on everything is answer, a second closing tag included. */
  cria_reasoning_splitter_feed (splitter, " </think>", 9);
  cria_reasoning_splitter_finish (splitter);

  result = collector_free_to_string (&col);
  g_assert_cmpstr (result, ==, "A[Yes </think>] R[Let me see. Fine.\n] X1");
}

static void
test_orphan_close_at_start (void)
{
  /* Nothing was shown, so there is nothing to take back. */
  assert_splits_to ("</think>\n\nanswer", "A[answer] R[] X0");
  assert_splits_to ("\n<|end_of_thought|>\n<|begin_of_solution|>s", "A[s] R[] X0");
}

static void
test_opening_tag_later (void)
{
  /* An opening tag past the start is the model writing about tags: it is
   * literal, and the closing tag after it is not an orphan. */
  assert_splits_to ("Models write <think>x</think> first.",
                    "A[Models write <think>x</think> first.] R[] X0");
  assert_splits_to ("See <|begin_of_thought|> and <|end_of_thought|>.",
                    "A[See <|begin_of_thought|> and <|end_of_thought|>.] R[] X0");
}

static void
test_tags_later_literal (void)
{
  assert_splits_to ("<think>a</think>Use <think> and </think>, or <think>.",
                    "A[Use <think> and </think>, or <think>.] R[a] X0");
  assert_splits_to ("<|begin_of_thought|>a<|end_of_thought|><|begin_of_solution|>"
                    "Write <|end_of_thought|> <think></think> "
                    "<|end_of_solution|> <|end_of_solution|>",
                    "A[Write <|end_of_thought|> <think></think>  <|end_of_solution|>] R[a] X0");
  /* Inside reasoning, only the matching closing tag counts. */
  assert_splits_to ("<think>I could write <|end_of_thought|> or <think>.</think>ok",
                    "A[ok] R[I could write <|end_of_thought|> or <think>.] X0");
}

static void
test_disable_orphan_close (void)
{
  assert_splits_to_full ("Closing tags look like </think>.\n\nOK",
                         FALSE, "A[Closing tags look like </think>.\n\nOK] R[] X0");
  /* Opening tags at the start still count. */
  assert_splits_to_full ("<think>r</think>\n\na", FALSE, "A[a] R[r] X0");
}

static void
test_disable_orphan_close_midway (void)
{
  Collector col;
  g_autoptr(CriaReasoningSplitter) splitter = NULL;
  g_autofree char *result = NULL;

  collector_init (&col);
  splitter = cria_reasoning_splitter_new (collect_cb, &col);

  /* The server starts sending reasoning fields while a prefix of a closing tag
   * is held back: the tag is then plain text. */
  cria_reasoning_splitter_feed (splitter, "a</th", 5);
  g_assert_cmpstr (col.answer->str, ==, "a");
  cria_reasoning_splitter_disable_orphan_close (splitter);
  cria_reasoning_splitter_feed (splitter, "ink>b", 5);
  g_assert_cmpstr (col.answer->str, ==, "a</think>b");
  cria_reasoning_splitter_finish (splitter);

  result = collector_free_to_string (&col);
  g_assert_cmpstr (result, ==, "A[a</think>b] R[] X0");
}

static void
test_finish_held_prefix (void)
{
  /* A tag prefix at the end of the text stays what it was. */
  assert_splits_to ("<thi", "A[<thi] R[] X0");
  assert_splits_to ("  <|begin_of_", "A[  <|begin_of_] R[] X0");
  assert_splits_to ("abc </thi", "A[abc </thi] R[] X0");
  assert_splits_to ("<think>abc</thi", "A[] R[abc</thi] X0");
  assert_splits_to ("<|begin_of_thought|>t<|end_of_thought|>\n<|begin_of",
                    "A[<|begin_of] R[t] X0");
  assert_splits_to ("<|begin_of_solution|>s<|end_of_sol", "A[s<|end_of_sol] R[] X0");
}

static void
test_finish_unclosed_think (void)
{
  /* The model was cut off while thinking: the reasoning stays reasoning. */
  assert_splits_to ("<think>still thinking about", "A[] R[still thinking about] X0");
  assert_splits_to ("<think>", "A[] R[] X0");
}

static void
test_finish_whitespace_only (void)
{
  assert_splits_to (" \n", "A[ \n] R[] X0");
  assert_splits_to ("", "A[] R[] X0");
}

static void
test_plain_text (void)
{
  assert_splits_to ("Hello, world!", "A[Hello, world!] R[] X0");
  assert_splits_to ("  indented", "A[  indented] R[] X0");
  assert_splits_to ("a < b and c <= d, x<y, <div></p> <|im_end|> <",
                    "A[a < b and c <= d, x<y, <div></p> <|im_end|> <] R[] X0");
  assert_splits_to ("<b>bold</b>", "A[<b>bold</b>] R[] X0");
  assert_splits_to ("Caf\xC3\xA9 \xF0\x9F\xA6\x99 <think\xC3\xA9",
                    "A[Caf\xC3\xA9 \xF0\x9F\xA6\x99 <think\xC3\xA9] R[] X0");
}

static void
test_utf8 (void)
{
  assert_splits_to ("<think>h\xC3\xA9las</think>\xF0\x9F\xA6\x99 w\xC3\xB6rld",
                    "A[\xF0\x9F\xA6\x99 w\xC3\xB6rld] R[h\xC3\xA9las] X0");
}

static void
test_fast_path (void)
{
  Collector col;
  g_autoptr(CriaReasoningSplitter) splitter = NULL;
  g_autofree char *result = NULL;

  collector_init (&col);
  splitter = cria_reasoning_splitter_new (collect_cb, &col);

  /* Text that cannot hold a tag goes out in one call per feed. */
  cria_reasoning_splitter_feed (splitter, "Hello there, ", 13);
  g_assert_cmpuint (col.n_calls, ==, 1);
  cria_reasoning_splitter_feed (splitter, "a < b is true.", 14);
  g_assert_cmpuint (col.n_calls, ==, 2);

  /* A held '<' goes out as soon as the next byte rules a tag out. */
  cria_reasoning_splitter_feed (splitter, " x<", 3);
  g_assert_cmpstr (col.answer->str, ==, "Hello there, a < b is true. x");
  cria_reasoning_splitter_feed (splitter, "y", 1);
  g_assert_cmpstr (col.answer->str, ==, "Hello there, a < b is true. x<y");

  cria_reasoning_splitter_finish (splitter);
  result = collector_free_to_string (&col);
  g_assert_cmpstr (result, ==, "A[Hello there, a < b is true. x<y] R[] X0");
}

static void
test_nothing_after_finish (void)
{
  Collector col;
  g_autoptr(CriaReasoningSplitter) splitter = NULL;
  g_autofree char *result = NULL;

  collector_init (&col);
  splitter = cria_reasoning_splitter_new (collect_cb, &col);
  cria_reasoning_splitter_feed (splitter, "<th", 3);
  cria_reasoning_splitter_finish (splitter);
  cria_reasoning_splitter_finish (splitter);
  g_assert_cmpuint (col.n_calls, ==, 1);

  g_test_expect_message ("Cria", G_LOG_LEVEL_CRITICAL, "*!self->finished*");
  cria_reasoning_splitter_feed (splitter, "ink>", 4);
  g_test_assert_expected_messages ();

  result = collector_free_to_string (&col);
  g_assert_cmpstr (result, ==, "A[<th] R[] X0");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reasoning-splitter/think", test_think);
  g_test_add_func ("/reasoning-splitter/think/leading-whitespace", test_think_leading_whitespace);
  g_test_add_func ("/reasoning-splitter/think/empty-answer", test_think_empty_answer);
  g_test_add_func ("/reasoning-splitter/openthinker", test_openthinker);
  g_test_add_func ("/reasoning-splitter/openthinker/without-solution-tags",
                   test_openthinker_without_solution_tags);
  g_test_add_func ("/reasoning-splitter/solution-only", test_solution_only);
  g_test_add_func ("/reasoning-splitter/solution-after-think", test_solution_after_think_literal);
  g_test_add_func ("/reasoning-splitter/orphan-close", test_orphan_close);
  g_test_add_func ("/reasoning-splitter/orphan-close/shown-first", test_orphan_close_shown_first);
  g_test_add_func ("/reasoning-splitter/orphan-close/at-start", test_orphan_close_at_start);
  g_test_add_func ("/reasoning-splitter/orphan-close/disabled", test_disable_orphan_close);
  g_test_add_func ("/reasoning-splitter/orphan-close/disabled-midway",
                   test_disable_orphan_close_midway);
  g_test_add_func ("/reasoning-splitter/opening-tag-later", test_opening_tag_later);
  g_test_add_func ("/reasoning-splitter/tags-later-literal", test_tags_later_literal);
  g_test_add_func ("/reasoning-splitter/finish/held-prefix", test_finish_held_prefix);
  g_test_add_func ("/reasoning-splitter/finish/unclosed-think", test_finish_unclosed_think);
  g_test_add_func ("/reasoning-splitter/finish/whitespace-only", test_finish_whitespace_only);
  g_test_add_func ("/reasoning-splitter/plain-text", test_plain_text);
  g_test_add_func ("/reasoning-splitter/utf8", test_utf8);
  g_test_add_func ("/reasoning-splitter/fast-path", test_fast_path);
  g_test_add_func ("/reasoning-splitter/nothing-after-finish", test_nothing_after_finish);

  return g_test_run ();
}
