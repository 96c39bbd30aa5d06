/* cria-sse-parser.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-sse-parser.h"

/* The parser follows the WHATWG rules for "Parsing an event stream" and
 * "Interpreting an event stream", working on bytes: a read may end anywhere,
 * even inside a UTF-8 sequence, and only whole lines are ever interpreted.
 * docs/sse.md describes the behaviour, including where Cria departs from the
 * standard at the end of the stream. */

struct _CriaSseParser
{
  CriaSseEventFunc  func;
  gpointer          user_data;
  CriaSseFieldFunc  field_func;
  gpointer          field_user_data;

  /* The start of a line whose end has not arrived yet. It is reused, so it
   * keeps the size of the longest partial line seen, at most
   * CRIA_SSE_MAX_SIZE. */
  GString          *line;

  /* The event being built. Reused across events, so a stream of events of
   * similar size allocates nothing after the first one. */
  GString          *data;
  GString          *type;
  gboolean          have_data;

  /* The ID the next dispatch commits, and the committed one. */
  GString          *id_buffer;
  GString          *last_event_id;

  int               retry;

  /* How many bytes of a leading byte order mark have matched so far. */
  guint             bom_matched;
  guint             bom_done : 1;
  /* The previous feed ended in CR: an LF at the start of the next one is the
   * second half of a CRLF, not an empty line. */
  guint             last_was_cr : 1;
  guint             finished : 1;
  /* A line or an event was larger than CRIA_SSE_MAX_SIZE: nothing more is
   * read. */
  guint             overflowed : 1;
};

static const char bom[] = "\xEF\xBB\xBF";

/**
 * cria_sse_parser_new:
 * @func: called for each dispatched event
 * @user_data: passed to @func
 *
 * Returns: (transfer full): a new parser, to free with cria_sse_parser_free()
 */
CriaSseParser *
cria_sse_parser_new (CriaSseEventFunc func,
                     gpointer         user_data)
{
  CriaSseParser *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (CriaSseParser, 1);
  self->func = func;
  self->user_data = user_data;
  self->line = g_string_sized_new (256);
  self->data = g_string_sized_new (256);
  self->type = g_string_new (NULL);
  self->id_buffer = g_string_new (NULL);
  self->last_event_id = g_string_new (NULL);
  self->retry = -1;

  return self;
}

void
cria_sse_parser_free (CriaSseParser *self)
{
  if (self == NULL)
    return;

  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->type, TRUE);
  g_string_free (self->id_buffer, TRUE);
  g_string_free (self->last_event_id, TRUE);
  g_free (self);
}

static void
dispatch (CriaSseParser *self,
          gboolean       terminated)
{
  CriaSseEvent event;

  /* The standard commits the ID even for an event that carries no data. */
  if (self->last_event_id->len != self->id_buffer->len
      || memcmp (self->last_event_id->str, self->id_buffer->str, self->id_buffer->len) != 0)
    g_string_assign (self->last_event_id, self->id_buffer->str);

  if (!self->have_data)
    {
      g_string_truncate (self->type, 0);
      return;
    }

  event.type = self->type->len > 0 ? self->type->str : "message";
  event.data = self->data->str;
  event.data_len = self->data->len;
  event.last_event_id = self->last_event_id->str;
  event.terminated = terminated;

  /* A type holding NUL cannot be handed out as a C string, and whatever it is
   * truncated to would name another type. A browser would deliver the event
   * only to a listener for that exact name, which no C string can be, so it is
   * dropped. */
  if (self->type->len == 0 || memchr (self->type->str, '\0', self->type->len) == NULL)
    self->func (&event, self->user_data);

  g_string_truncate (self->data, 0);
  g_string_truncate (self->type, 0);
  self->have_data = FALSE;
}

static void
overflow (CriaSseParser *self)
{
  self->overflowed = TRUE;
  self->have_data = FALSE;
  /* Give the memory back: the stream is over for this parser. */
  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
}

static void
set_retry (CriaSseParser *self,
           const char    *value,
           gsize          len)
{
  gint64 retry = 0;

  /* An empty value is ignored, as browsers do. */
  if (len == 0)
    return;

  for (gsize i = 0; i < len; i++)
    {
      if (value[i] < '0' || value[i] > '9')
        return;

      /* Saturate instead of overflowing: a huge delay is still a huge delay. */
      if (retry <= G_MAXINT)
        retry = retry * 10 + (value[i] - '0');
    }

  self->retry = (int) MIN (retry, (gint64) G_MAXINT);
}

static void
process_line (CriaSseParser *self,
              const char    *line,
              gsize          len)
{
  const char *colon;
  const char *value;
  gsize name_len;
  gsize value_len;

  if (len == 0)
    {
      dispatch (self, TRUE);
      return;
    }

  /* Comments carry the keep-alives proxies and routers send while a model is
   * still busy (": PROCESSING", ": OPENROUTER PROCESSING"). */
  if (line[0] == ':')
    return;

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      name_len = colon - line;
      value = colon + 1;
      value_len = len - name_len - 1;
      /* Only one space is part of the syntax; a second one is data. */
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      name_len = len;
      value = line + len;
      value_len = 0;
    }

  if (name_len == 4 && memcmp (line, "data", 4) == 0)
    {
      if (self->data->len + value_len + 1 > CRIA_SSE_MAX_SIZE)
        {
          overflow (self);
          return;
        }
      /* Joining with "\n" before each line but the first gives the same
       * result as the standard's append-then-strip, without the strip. */
      if (self->have_data)
        g_string_append_c (self->data, '\n');
      g_string_append_len (self->data, value, value_len);
      self->have_data = TRUE;
    }
  else if (name_len == 5 && memcmp (line, "event", 5) == 0)
    {
      g_string_truncate (self->type, 0);
      g_string_append_len (self->type, value, value_len);
    }
  else if (name_len == 5 && memcmp (line, "retry", 5) == 0)
    set_retry (self, value, value_len);
  else if (name_len == 2 && memcmp (line, "id", 2) == 0)
    {
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_string_truncate (self->id_buffer, 0);
          g_string_append_len (self->id_buffer, value, value_len);
        }
    }
  else if (self->field_func != NULL)
    self->field_func (line, name_len, value, value_len, self->field_user_data);
}

/* Finds the first CR or LF. The position of the next LF is cached in *next_lf
 * so that a stream using lone CRs does not rescan the rest of the buffer for an
 * LF on every line. */
static const char *
find_line_end (const char  *p,
               const char  *end,
               const char **next_lf)
{
  const char *cr;
  const char *limit;

  if (*next_lf != NULL && *next_lf < p)
    *next_lf = memchr (p, '\n', end - p);

  limit = *next_lf != NULL ? *next_lf : end;
  cr = memchr (p, '\r', limit - p);

  return cr != NULL ? cr : *next_lf;
}

/**
 * cria_sse_parser_feed:
 * @self: a #CriaSseParser
 * @bytes: the next bytes of the stream, split anywhere
 * @len: the length of @bytes
 *
 * Parses @bytes, calling the event function for each event they complete.
 * The event function must not feed or free @self.
 */
void
cria_sse_parser_feed (CriaSseParser *self,
                      const char    *bytes,
                      gsize          len)
{
  const char *p = bytes;
  const char *end = bytes + len;
  const char *next_lf;

  g_return_if_fail (self != NULL);
  g_return_if_fail (bytes != NULL || len == 0);
  g_return_if_fail (!self->finished);

  if (len == 0 || self->overflowed)
    return;

  /* The byte order mark is only skipped at the start of the stream, and its
   * three bytes may come in different reads. */
  while (!self->bom_done && p < end)
    {
      if ((guchar) *p == (guchar) bom[self->bom_matched])
        {
          p++;
          if (++self->bom_matched == 3)
            self->bom_done = TRUE;
        }
      else
        {
          /* Not a BOM after all: the bytes that matched are text. None of
           * them is a line end, so they start the first line. */
          g_string_append_len (self->line, bom, self->bom_matched);
          self->bom_done = TRUE;
        }
    }

  if (self->last_was_cr && p < end)
    {
      if (*p == '\n')
        p++;
      self->last_was_cr = FALSE;
    }

  next_lf = memchr (p, '\n', end - p);

  while (p < end)
    {
      const char *eol = find_line_end (p, end, &next_lf);

      if ((gsize) ((eol != NULL ? eol : end) - p) > CRIA_SSE_MAX_SIZE - self->line->len)
        {
          overflow (self);
          return;
        }

      if (eol == NULL)
        {
          g_string_append_len (self->line, p, end - p);
          return;
        }

      if (self->line->len > 0)
        {
          g_string_append_len (self->line, p, eol - p);
          process_line (self, self->line->str, self->line->len);
          g_string_truncate (self->line, 0);
        }
      else
        {
          /* The common case: a whole line inside this read needs no copy. */
          process_line (self, p, eol - p);
        }

      if (self->overflowed)
        return;

      if (*eol == '\r')
        {
          if (eol + 1 == end)
            self->last_was_cr = TRUE;
          else if (eol[1] == '\n')
            eol++;
        }

      p = eol + 1;
    }
}

/**
 * cria_sse_parser_finish:
 * @self: a #CriaSseParser
 *
 * Ends the stream. A last line without a line end is taken as a whole field
 * line. Then, unlike the standard, which discards an event that no blank line
 * terminated, a pending event with data is dispatched with
 * #CriaSseEvent.terminated set to %FALSE: what the server sent whole is not
 * lost, and the caller can tell a truncated fragment from a complete event.
 *
 * Feeding the parser after this is a programmer error; calling this again does
 * nothing.
 */
void
cria_sse_parser_finish (CriaSseParser *self)
{
  g_return_if_fail (self != NULL);

  if (self->finished)
    return;
  self->finished = TRUE;

  if (self->overflowed)
    return;

  if (!self->bom_done)
    {
      /* The stream ended inside what looked like a BOM: it was text. */
      g_string_append_len (self->line, bom, self->bom_matched);
      self->bom_done = TRUE;
    }

  if (self->line->len > 0)
    {
      process_line (self, self->line->str, self->line->len);
      g_string_truncate (self->line, 0);
    }

  if (self->have_data)
    dispatch (self, FALSE);
}

/**
 * cria_sse_parser_set_field_func:
 * @self: a #CriaSseParser
 * @func: (nullable): called for each field the standard does not know
 * @user_data: passed to @func
 *
 * Lets a caller read a server's non-standard fields, which the standard (and
 * the parser without this) ignores. @func must not feed or free @self.
 */
void
cria_sse_parser_set_field_func (CriaSseParser    *self,
                                CriaSseFieldFunc  func,
                                gpointer          user_data)
{
  g_return_if_fail (self != NULL);

  self->field_func = func;
  self->field_user_data = user_data;
}

/**
 * cria_sse_parser_overflowed:
 * @self: a #CriaSseParser
 *
 * Returns: whether a line or an event held more than CRIA_SSE_MAX_SIZE bytes,
 *   after which the parser stopped reading the stream
 */
gboolean
cria_sse_parser_overflowed (CriaSseParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->overflowed;
}

/**
 * cria_sse_parser_get_retry:
 * @self: a #CriaSseParser
 *
 * Returns: the reconnection time in milliseconds from the last valid `retry:`
 *   field, or -1 when there was none
 */
int
cria_sse_parser_get_retry (CriaSseParser *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->retry;
}

/**
 * cria_sse_parser_get_last_event_id:
 * @self: a #CriaSseParser
 *
 * Returns: the last event ID committed by a dispatch, or "" (never %NULL)
 */
const char *
cria_sse_parser_get_last_event_id (CriaSseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->last_event_id->str;
}
