/* cria-reasoning-splitter.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-reasoning-splitter.h"

/* Models that think inline wrap their reasoning in tags inside the answer
 * text: <think>…</think> (DeepSeek R1, Qwen 3) or OpenThinker's
 * <|begin_of_thought|>…<|end_of_thought|> followed by
 * <|begin_of_solution|>…<|end_of_solution|>. Tags are recognised once, at the
 * place they can occur, so that a model explaining the tags in its answer is
 * not misread: an opening tag only first thing in the text, a closing tag
 * only once. A closing tag with no opening tag means the chat template put the
 * opening tag in the prompt, so everything before it was reasoning; an opening
 * tag in the middle of the text means the model is writing about tags, and
 * turns that detection off.
 *
 * A feed may end inside a tag: the bytes that could still become a tag are
 * held back until the next feed decides. */

#define TAG(s) { s, sizeof s - 1 }

typedef struct
{
  const char *text;
  gsize       len;
} Tag;

static const Tag think_open = TAG ("<think>");
static const Tag think_close = TAG ("</think>");
static const Tag thought_open = TAG ("<|begin_of_thought|>");
static const Tag thought_close = TAG ("<|end_of_thought|>");
static const Tag solution_open = TAG ("<|begin_of_solution|>");
static const Tag solution_close = TAG ("<|end_of_solution|>");

typedef enum
{
  /* Nothing but whitespace yet: an opening tag may come. */
  STATE_START,
  /* Text with no opening tag, shown as answer for now: a closing tag would
   * turn all of it into reasoning. */
  STATE_PROVISIONAL,
  /* Inside <think> or <|begin_of_thought|>. */
  STATE_REASONING,
  /* The reasoning closed: whitespace is dropped, and after a thought section
   * a <|begin_of_solution|> may come. */
  STATE_AFTER_REASONING,
  /* Just after <|begin_of_solution|>: whitespace is dropped. */
  STATE_SOLUTION_START,
  /* Inside the solution, until <|end_of_solution|>. */
  STATE_SOLUTION,
  /* Plain answer text: no tag means anything any more. */
  STATE_ANSWER,
} State;

typedef enum
{
  MATCH_NONE,
  MATCH_PARTIAL,
  MATCH_FULL,
} Match;

struct _CriaReasoningSplitter
{
  CriaReasoningSplitterFunc  func;
  gpointer                   user_data;

  State                      state;
  /* In STATE_REASONING and STATE_AFTER_REASONING: which format opened it. */
  gboolean                   thought_format;
  gboolean                   orphan_close;
  gboolean                   finished;

  /* Leading whitespace in STATE_START, kept until it is known whether it
   * comes before a tag (dropped) or is part of the answer. */
  GString                   *lead;
  /* The end of the last feed, which is a prefix of a tag (at most one tag's
   * length, and always starting with '<'). */
  GString                   *held;
  /* The held bytes followed by the new feed. */
  GString                   *scratch;
  /* Everything forwarded in STATE_PROVISIONAL, for a reclassification. */
  GString                   *provisional;
  /* A NUL-terminated copy of the text handed to the callback. */
  GString                   *out;
};

/**
 * cria_reasoning_splitter_new:
 * @func: called with each piece of answer or reasoning
 * @user_data: passed to @func
 *
 * Returns: (transfer full): a new splitter, to free with
 *   cria_reasoning_splitter_free()
 */
CriaReasoningSplitter *
cria_reasoning_splitter_new (CriaReasoningSplitterFunc func,
                             gpointer                  user_data)
{
  CriaReasoningSplitter *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (CriaReasoningSplitter, 1);
  self->func = func;
  self->user_data = user_data;
  self->state = STATE_START;
  self->orphan_close = TRUE;
  self->lead = g_string_new (NULL);
  self->held = g_string_new (NULL);
  self->scratch = g_string_new (NULL);
  self->provisional = g_string_new (NULL);
  self->out = g_string_sized_new (128);

  return self;
}

void
cria_reasoning_splitter_free (CriaReasoningSplitter *self)
{
  if (self == NULL)
    return;

  g_string_free (self->lead, TRUE);
  g_string_free (self->held, TRUE);
  g_string_free (self->scratch, TRUE);
  g_string_free (self->provisional, TRUE);
  g_string_free (self->out, TRUE);
  g_free (self);
}

static Match
match_tag (const char *p,
           gsize       n,
           const Tag  *tag)
{
  if (n >= tag->len)
    return memcmp (p, tag->text, tag->len) == 0 ? MATCH_FULL : MATCH_NONE;

  return memcmp (p, tag->text, n) == 0 ? MATCH_PARTIAL : MATCH_NONE;
}

static void
emit (CriaReasoningSplitter *self,
      const char            *text,
      gsize                  len,
      gboolean               reasoning)
{
  if (len == 0)
    return;

  g_string_truncate (self->out, 0);
  g_string_append_len (self->out, text, len);

  if (reasoning)
    self->func (NULL, self->out->str, FALSE, self->user_data);
  else
    self->func (self->out->str, NULL, FALSE, self->user_data);
}

/* Hands out text in the current state, which must be one where text flows. */
static void
emit_text (CriaReasoningSplitter *self,
           const char            *text,
           gsize                  len)
{
  switch (self->state)
    {
    case STATE_PROVISIONAL:
      g_string_append_len (self->provisional, text, len);
      emit (self, text, len, FALSE);
      break;

    case STATE_REASONING:
      emit (self, text, len, TRUE);
      break;

    case STATE_SOLUTION:
    case STATE_ANSWER:
      emit (self, text, len, FALSE);
      break;

    case STATE_START:
    case STATE_AFTER_REASONING:
    case STATE_SOLUTION_START:
    default:
      g_assert_not_reached ();
    }
}

/* The text ahead is not a tag: the answer begins, with the whitespace before
 * it. */
static void
leave_start (CriaReasoningSplitter *self)
{
  g_assert (self->state == STATE_START);

  self->state = self->orphan_close ? STATE_PROVISIONAL : STATE_ANSWER;
  emit_text (self, self->lead->str, self->lead->len);
  g_string_truncate (self->lead, 0);
}

static void
reclassify (CriaReasoningSplitter *self)
{
  if (self->provisional->len > 0)
    self->func (NULL, self->provisional->str, TRUE, self->user_data);

  /* The answer may be long; nothing needs it any more. */
  g_string_free (self->provisional, TRUE);
  self->provisional = g_string_new (NULL);
}

/* The tags that matter while text flows in the current state, searched
 * anywhere in it. */
static gsize
flow_tags (CriaReasoningSplitter  *self,
              const Tag             **tags)
{
  switch (self->state)
    {
    case STATE_PROVISIONAL:
      tags[0] = &think_close;
      tags[1] = &thought_close;
      tags[2] = &think_open;
      tags[3] = &thought_open;
      return 4;

    case STATE_REASONING:
      tags[0] = self->thought_format ? &thought_close : &think_close;
      return 1;

    case STATE_SOLUTION:
      tags[0] = &solution_close;
      return 1;

    case STATE_START:
    case STATE_AFTER_REASONING:
    case STATE_SOLUTION_START:
    case STATE_ANSWER:
    default:
      g_assert_not_reached ();
    }
}

/* Handles a tag found after @len bytes of text at @p. */
static void
tag_found (CriaReasoningSplitter *self,
           const char            *p,
           gsize                  len,
           const Tag             *tag)
{
  switch (self->state)
    {
    case STATE_PROVISIONAL:
      if (tag == &think_open || tag == &thought_open)
        {
          /* An opening tag in the middle of the answer is the model writing
           * about tags, so a closing one later is not an orphan either. */
          self->state = STATE_ANSWER;
          emit (self, p, len + tag->len, FALSE);
          g_string_free (self->provisional, TRUE);
          self->provisional = g_string_new (NULL);
          break;
        }

      /* The text before the tag was reasoning too: it joins what is
       * reclassified instead of being shown as answer. */
      g_string_append_len (self->provisional, p, len);
      reclassify (self);
      self->thought_format = (tag == &thought_close);
      self->state = STATE_AFTER_REASONING;
      break;

    case STATE_REASONING:
      emit_text (self, p, len);
      self->state = STATE_AFTER_REASONING;
      break;

    case STATE_SOLUTION:
      emit_text (self, p, len);
      self->state = STATE_ANSWER;
      break;

    case STATE_START:
    case STATE_AFTER_REASONING:
    case STATE_SOLUTION_START:
    case STATE_ANSWER:
    default:
      g_assert_not_reached ();
    }
}

/* Handles the start of the text, where leading whitespace and an opening tag
 * may be. Returns the number of bytes consumed, or -1 when the rest of the
 * text was held back. */
static gssize
process_start (CriaReasoningSplitter *self,
               const char            *p,
               gsize                  n,
               gboolean               at_end)
{
  const Tag *tags[5];
  gsize n_tags = 0;
  gsize ws = 0;
  gboolean partial = FALSE;

  while (ws < n && g_ascii_isspace (p[ws]))
    ws++;

  if (self->state == STATE_START)
    g_string_append_len (self->lead, p, ws);
  p += ws;
  n -= ws;

  if (n == 0)
    return -1;

  switch (self->state)
    {
    case STATE_START:
      tags[n_tags++] = &think_open;
      tags[n_tags++] = &thought_open;
      tags[n_tags++] = &solution_open;
      if (self->orphan_close)
        {
          tags[n_tags++] = &think_close;
          tags[n_tags++] = &thought_close;
        }
      break;

    case STATE_AFTER_REASONING:
      if (self->thought_format)
        tags[n_tags++] = &solution_open;
      break;

    case STATE_SOLUTION_START:
    case STATE_PROVISIONAL:
    case STATE_REASONING:
    case STATE_SOLUTION:
    case STATE_ANSWER:
    default:
      break;
    }

  for (gsize i = 0; i < n_tags; i++)
    {
      Match match = match_tag (p, n, tags[i]);

      if (match == MATCH_FULL)
        {
          const Tag *tag = tags[i];

          g_string_truncate (self->lead, 0);

          if (tag == &think_open || tag == &thought_open)
            {
              self->thought_format = (tag == &thought_open);
              self->state = STATE_REASONING;
            }
          else if (tag == &solution_open)
            self->state = STATE_SOLUTION_START;
          else
            {
              /* A closing tag first thing: the reasoning was empty, and no
               * answer was shown that would need taking back. */
              self->thought_format = (tag == &thought_close);
              self->state = STATE_AFTER_REASONING;
            }

          return ws + tag->len;
        }

      if (match == MATCH_PARTIAL)
        partial = TRUE;
    }

  if (partial && !at_end)
    {
      g_string_append_len (self->held, p, n);
      return -1;
    }

  switch (self->state)
    {
    case STATE_START:
      leave_start (self);
      break;

    case STATE_AFTER_REASONING:
      self->state = STATE_ANSWER;
      break;

    case STATE_SOLUTION_START:
      self->state = STATE_SOLUTION;
      break;

    case STATE_PROVISIONAL:
    case STATE_REASONING:
    case STATE_SOLUTION:
    case STATE_ANSWER:
    default:
      g_assert_not_reached ();
    }

  return ws;
}

/* Hands out text up to the first closing tag of the current state. Returns the
 * number of bytes consumed, or -1 when the rest of the text was handed out or
 * held back. */
static gssize
process_flow (CriaReasoningSplitter *self,
              const char            *p,
              gsize                  n,
              gboolean               at_end)
{
  const Tag *tags[4];
  gsize n_tags = flow_tags (self, tags);
  const char *end = p + n;
  const char *lt = p;

  while ((lt = memchr (lt, '<', end - lt)) != NULL)
    {
      gboolean partial = FALSE;

      for (gsize i = 0; i < n_tags; i++)
        {
          Match match = match_tag (lt, end - lt, tags[i]);

          if (match == MATCH_FULL)
            {
              tag_found (self, p, lt - p, tags[i]);
              return (lt - p) + tags[i]->len;
            }

          if (match == MATCH_PARTIAL)
            partial = TRUE;
        }

      /* A partial match reaches the end of the text, and a tag holds no '<'
       * after its first byte, so there is nothing further to look at. */
      if (partial)
        {
          if (!at_end)
            {
              emit_text (self, p, lt - p);
              g_string_append_len (self->held, lt, end - lt);
              return -1;
            }
          break;
        }

      lt++;
    }

  emit_text (self, p, n);
  return -1;
}

static void
process (CriaReasoningSplitter *self,
         const char            *p,
         gsize                  n,
         gboolean               at_end)
{
  while (n > 0)
    {
      gssize consumed;

      switch (self->state)
        {
        case STATE_ANSWER:
          emit (self, p, n, FALSE);
          return;

        case STATE_START:
        case STATE_AFTER_REASONING:
        case STATE_SOLUTION_START:
          consumed = process_start (self, p, n, at_end);
          break;

        case STATE_PROVISIONAL:
        case STATE_REASONING:
        case STATE_SOLUTION:
        default:
          consumed = process_flow (self, p, n, at_end);
          break;
        }

      if (consumed < 0)
        return;

      p += consumed;
      n -= consumed;
    }
}

/**
 * cria_reasoning_splitter_feed:
 * @self: a #CriaReasoningSplitter
 * @text: the next piece of the answer's content, split anywhere
 * @len: the length of @text in bytes
 *
 * Splits @text into answer and reasoning, calling the function for each piece
 * that is certain. The function must not feed or free @self.
 */
void
cria_reasoning_splitter_feed (CriaReasoningSplitter *self,
                              const char            *text,
                              gsize                  len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL || len == 0);
  g_return_if_fail (!self->finished);

  if (len == 0)
    return;

  if (self->held->len == 0)
    {
      process (self, text, len, FALSE);
      return;
    }

  /* The held bytes are a tag prefix of at most a tag's length, so joining
   * them to the new text is rare and cheap. */
  g_string_truncate (self->scratch, 0);
  g_string_append_len (self->scratch, self->held->str, self->held->len);
  g_string_append_len (self->scratch, text, len);
  g_string_truncate (self->held, 0);
  process (self, self->scratch->str, self->scratch->len, FALSE);
}

/**
 * cria_reasoning_splitter_finish:
 * @self: a #CriaReasoningSplitter
 *
 * Ends the text: bytes held back because they could have begun a tag are
 * handed out as what they were (answer text, or reasoning when the model was
 * cut off while thinking). Feeding afterwards is a programmer error; calling
 * this again does nothing.
 */
void
cria_reasoning_splitter_finish (CriaReasoningSplitter *self)
{
  g_return_if_fail (self != NULL);

  if (self->finished)
    return;
  self->finished = TRUE;

  if (self->held->len > 0)
    {
      g_string_truncate (self->scratch, 0);
      g_string_append_len (self->scratch, self->held->str, self->held->len);
      g_string_truncate (self->held, 0);
      process (self, self->scratch->str, self->scratch->len, TRUE);
    }

  /* Only whitespace came: it is the answer, such as it is. */
  if (self->state == STATE_START && self->lead->len > 0)
    leave_start (self);
}

/**
 * cria_reasoning_splitter_disable_orphan_close:
 * @self: a #CriaReasoningSplitter
 *
 * Stops a closing tag with no opening tag from turning the answer so far into
 * reasoning. The stream interpreter calls this when the server sends the
 * reasoning in fields of its own: a closing tag in the content is then text.
 */
void
cria_reasoning_splitter_disable_orphan_close (CriaReasoningSplitter *self)
{
  g_return_if_fail (self != NULL);

  if (!self->orphan_close)
    return;
  self->orphan_close = FALSE;

  if (self->state == STATE_PROVISIONAL)
    self->state = STATE_ANSWER;

  g_string_free (self->provisional, TRUE);
  self->provisional = g_string_new (NULL);
}
