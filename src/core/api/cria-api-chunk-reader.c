/* cria-api-chunk-reader.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-api-chunk-reader.h"

/* Nearly every streamed chunk has the same small shape, and building a JSON
 * tree for each one costs far more than the text it carries. This reader
 * walks the bytes once, validating them as strict JSON while it picks out
 * the few members a chunk is made of. Anything unusual (an error, tool
 * calls, several choices, content parts, a repeated member it reads) makes
 * it decline, so that the JSON-GLib reader alone decides those cases and
 * the two can never disagree on what they both accept. */

/* Hostile input must not be able to exhaust the stack through recursion. */
#define MAX_DEPTH CRIA_API_JSON_MAX_DEPTH

/* A count with more digits could lose precision on the way through the
 * double that the JSON-GLib reader converts it to. */
#define MAX_COUNT_DIGITS 15

/* Keys longer than this are never among the ones looked for, so an escaped
 * key this long need not be decoded. */
#define MAX_KEY_LEN 32

typedef struct
{
  const guchar *p;
  const guchar *end;
  /* For _cria_api_json_check(): how many values skip_value() passed over,
   * the most it may (0: no limit), and why it stopped. */
  gsize         n_values;
  gsize         max_values;
  CriaApiJsonCheck problem;
} Reader;

typedef enum
{
  KEY_INVALID = -1,
  KEY_OTHER = 0,
  KEY_MODEL,
  KEY_USAGE,
  KEY_CHOICES,
  KEY_ERROR,
  KEY_OBJECT,
  KEY_FINISH_REASON,
  KEY_DELTA,
  KEY_CONTENT,
  KEY_REASONING_CONTENT,
  KEY_REASONING,
  KEY_TOOL_CALLS,
  KEY_PROMPT_TOKENS,
  KEY_COMPLETION_TOKENS,
  KEY_COMPLETION_TOKENS_DETAILS,
  KEY_REASONING_TOKENS,
} Key;

typedef struct
{
  const char *name;
  gsize       len;
} KeyName;

#define KEY_NAME(s) { s, sizeof s - 1 }

/* Indexed by Key. */
static const KeyName key_names[] = {
  KEY_NAME (""),
  KEY_NAME ("model"),
  KEY_NAME ("usage"),
  KEY_NAME ("choices"),
  KEY_NAME ("error"),
  KEY_NAME ("object"),
  KEY_NAME ("finish_reason"),
  KEY_NAME ("delta"),
  KEY_NAME ("content"),
  KEY_NAME ("reasoning_content"),
  KEY_NAME ("reasoning"),
  KEY_NAME ("tool_calls"),
  KEY_NAME ("prompt_tokens"),
  KEY_NAME ("completion_tokens"),
  KEY_NAME ("completion_tokens_details"),
  KEY_NAME ("reasoning_tokens"),
};

typedef struct
{
  char      *model;
  char      *finish_reason;
  char      *content;
  char      *reasoning_content;
  char      *reasoning;
  gboolean   has_usage;
  CriaUsage  usage;
} Found;

enum
{
  BYTE_PLAIN = 0,
  BYTE_QUOTE,
  BYTE_BACKSLASH,
  BYTE_CONTROL,
  BYTE_HIGH,
};

/* What each byte means inside a string; the common case is one lookup. */
static const guint8 string_class[256] = {
  [0x00 ... 0x1f] = BYTE_CONTROL,
  ['"'] = BYTE_QUOTE,
  ['\\'] = BYTE_BACKSLASH,
  [0x80 ... 0xff] = BYTE_HIGH,
};

static gboolean skip_value (Reader *r,
                            guint   depth);

static inline void
skip_space (Reader *r)
{
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static inline gboolean
read_hex4 (const guchar *p,
           const guchar *end,
           guint        *value)
{
  guint v = 0;

  if (end - p < 4)
    return FALSE;

  for (int i = 0; i < 4; i++)
    {
      int h = g_ascii_xdigit_value (p[i]);

      if (h < 0)
        return FALSE;
      v = (v << 4) | (guint) h;
    }

  *value = v;
  return TRUE;
}

/* Scans a string whose opening quote has been consumed, and gives its raw
 * span. Every rule a decoded string must meet is checked here, so decoding
 * later cannot fail: escapes are valid, surrogates come in pairs, no escape
 * makes a NUL, and the raw bytes are UTF-8. Escapes are ASCII, so they
 * cannot hide a broken multi-byte sequence from the validation of the span. */
static gboolean
scan_string (Reader        *r,
             const guchar **start,
             gsize         *len,
             gboolean      *escaped)
{
  const guchar *p = r->p;
  const guchar *end = r->end;
  gboolean high = FALSE;
  gboolean esc = FALSE;

  *start = p;
  for (;;)
    {
      while (p < end && string_class[*p] == BYTE_PLAIN)
        p++;
      if (p >= end)
        return FALSE;

      switch (string_class[*p])
        {
        case BYTE_QUOTE:
          *len = (gsize) (p - *start);
          if (high && !g_utf8_validate ((const char *) *start, (gssize) *len, NULL))
            return FALSE;
          *escaped = esc;
          r->p = p + 1;
          return TRUE;

        case BYTE_HIGH:
          high = TRUE;
          p++;
          break;

        case BYTE_BACKSLASH:
          esc = TRUE;
          p++;
          if (p >= end)
            return FALSE;
          switch (*p)
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              p++;
              break;

            case 'u':
              {
                guint unit;
                guint low;

                if (!read_hex4 (p + 1, end, &unit))
                  return FALSE;
                p += 5;
                if (unit == 0 || (unit >= 0xdc00 && unit <= 0xdfff))
                  return FALSE;
                if (unit >= 0xd800 && unit <= 0xdbff)
                  {
                    if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
                        !read_hex4 (p + 2, end, &low) || low < 0xdc00 || low > 0xdfff)
                      return FALSE;
                    p += 6;
                  }
              }
              break;

            default:
              return FALSE;
            }
          break;

        default:
          return FALSE;
        }
    }
}

/* Decodes a span scan_string() accepted into @out, which holds at least
 * @len + 1 bytes: no escape decodes to more bytes than it is written with.
 * Returns the decoded length. */
static gsize
decode_into (const guchar *s,
             gsize         len,
             char         *out)
{
  const guchar *end = s + len;
  char *o = out;

  while (s < end)
    {
      guint unit = 0;
      guint low = 0;
      gunichar c;

      if (*s != '\\')
        {
          *o++ = (char) *s++;
          continue;
        }

      s++;
      switch (*s++)
        {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
          read_hex4 (s, end, &unit);
          s += 4;
          c = unit;
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              read_hex4 (s + 2, end, &low);
              s += 6;
              c = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
            }
          o += g_unichar_to_utf8 (c, o);
          break;
        default:
          /* The quote, the backslash and the solidus stand for themselves. */
          *o++ = (char) s[-1];
          break;
        }
    }

  *o = '\0';
  return (gsize) (o - out);
}

/* An empty string reads as absent, as the JSON-GLib reader treats it. */
static char *
decode_string (const guchar *s,
               gsize         len,
               gboolean      escaped)
{
  char *out;

  if (len == 0)
    return NULL;

  if (!escaped)
    return g_strndup ((const char *) s, len);

  out = g_malloc (len + 1);
  decode_into (s, len, out);
  return out;
}

static Key
match_key (const char *name,
           gsize       len)
{
  for (guint i = 1; i < G_N_ELEMENTS (key_names); i++)
    {
      if (key_names[i].len == len && memcmp (key_names[i].name, name, len) == 0)
        return (Key) i;
    }

  return KEY_OTHER;
}

/* Reads a member's key and the colon after it, leaving the reader at the
 * value. */
static Key
read_key (Reader *r)
{
  const guchar *start;
  gsize len;
  gboolean escaped;
  Key key;

  if (r->p >= r->end || *r->p != '"')
    return KEY_INVALID;
  r->p++;
  if (!scan_string (r, &start, &len, &escaped))
    return KEY_INVALID;

  if (!escaped)
    key = match_key ((const char *) start, len);
  else if (len <= MAX_KEY_LEN)
    {
      char buf[MAX_KEY_LEN + 1];
      gsize n = decode_into (start, len, buf);

      key = match_key (buf, n);
    }
  else
    key = KEY_OTHER;

  skip_space (r);
  if (r->p >= r->end || *r->p != ':')
    return KEY_INVALID;
  r->p++;
  skip_space (r);

  return key;
}

/* Consumes what follows a member or element: a comma, setting @more, or the
 * @close bracket. */
static inline gboolean
next_item (Reader   *r,
           guchar    close,
           gboolean *more)
{
  skip_space (r);
  if (r->p >= r->end)
    return FALSE;

  if (*r->p == ',')
    {
      r->p++;
      skip_space (r);
      *more = TRUE;
      return TRUE;
    }

  if (*r->p == close)
    {
      r->p++;
      *more = FALSE;
      return TRUE;
    }

  return FALSE;
}

/* Consumes the opening bracket and any space after it; @more says whether
 * the container holds anything. */
static inline gboolean
open_container (Reader   *r,
                guint     depth,
                guchar    close,
                gboolean *more)
{
  if (depth > MAX_DEPTH)
    {
      r->problem = CRIA_API_JSON_TOO_DEEP;
      return FALSE;
    }

  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == close)
    {
      r->p++;
      *more = FALSE;
    }
  else
    *more = TRUE;

  return TRUE;
}

static gboolean
skip_number (Reader *r)
{
  const guchar *p = r->p;
  const guchar *end = r->end;

  if (p < end && *p == '-')
    p++;
  if (p >= end)
    return FALSE;

  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    {
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  else
    return FALSE;

  if (p < end && *p == '.')
    {
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }

  r->p = p;
  return TRUE;
}

static inline gboolean
skip_literal (Reader     *r,
              const char *word,
              gsize       len)
{
  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return FALSE;

  r->p += len;
  return TRUE;
}

static gboolean
skip_object (Reader *r,
             guint   depth)
{
  gboolean more;

  if (!open_container (r, depth, '}', &more))
    return FALSE;

  while (more)
    {
      if (read_key (r) == KEY_INVALID || !skip_value (r, depth) ||
          !next_item (r, '}', &more))
        return FALSE;
    }

  return TRUE;
}

static gboolean
skip_array (Reader *r,
            guint   depth)
{
  gboolean more;

  if (!open_container (r, depth, ']', &more))
    return FALSE;

  while (more)
    {
      if (!skip_value (r, depth) || !next_item (r, ']', &more))
        return FALSE;
    }

  return TRUE;
}

/* Validates and passes over one value; @depth is that of its container. */
static gboolean
skip_value (Reader *r,
            guint   depth)
{
  const guchar *start;
  gsize len;
  gboolean escaped;

  if (r->p >= r->end)
    return FALSE;
  if (r->max_values != 0 && ++r->n_values > r->max_values)
    {
      r->problem = CRIA_API_JSON_TOO_MANY_VALUES;
      return FALSE;
    }

  switch (*r->p)
    {
    case '"':
      r->p++;
      return scan_string (r, &start, &len, &escaped);
    case '{':
      return skip_object (r, depth + 1);
    case '[':
      return skip_array (r, depth + 1);
    case 't':
      return skip_literal (r, "true", 4);
    case 'f':
      return skip_literal (r, "false", 5);
    case 'n':
      return skip_literal (r, "null", 4);
    default:
      return skip_number (r);
    }
}

/* A string member read as text, any other value as absent. */
static gboolean
read_optional_string (Reader  *r,
                      guint    depth,
                      char   **out)
{
  const guchar *start;
  gsize len;
  gboolean escaped;

  if (r->p >= r->end || *r->p != '"')
    return skip_value (r, depth);

  r->p++;
  if (!scan_string (r, &start, &len, &escaped))
    return FALSE;

  *out = decode_string (start, len, escaped);
  return TRUE;
}

/* Text in a delta: a string or null. Content parts and other shapes are
 * left to the JSON-GLib reader. */
static gboolean
read_text (Reader  *r,
           char   **out)
{
  const guchar *start;
  gsize len;
  gboolean escaped;

  if (r->p >= r->end)
    return FALSE;

  if (*r->p == 'n')
    return skip_literal (r, "null", 4);

  if (*r->p != '"')
    return FALSE;

  r->p++;
  if (!scan_string (r, &start, &len, &escaped))
    return FALSE;

  *out = decode_string (start, len, escaped);
  return TRUE;
}

/* A token count: a plain non-negative integer, or any non-number, which
 * reads as 0. Other numbers are declined rather than reproducing how the
 * JSON-GLib reader rounds or rejects them. */
static gboolean
read_count (Reader *r,
            guint   depth,
            gint64 *out)
{
  const guchar *start = r->p;
  gint64 value = 0;

  if (r->p >= r->end)
    return FALSE;

  if (*r->p != '-' && !g_ascii_isdigit (*r->p))
    {
      *out = 0;
      return skip_value (r, depth);
    }

  if (!skip_number (r) || r->p - start > MAX_COUNT_DIGITS)
    return FALSE;

  for (const guchar *p = start; p < r->p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (*p - '0');
    }

  *out = value;
  return TRUE;
}

/* Marks @key as seen in the current object, failing when it already was:
 * JSON-GLib keeps the last of repeated members, and declining is simpler
 * than mirroring that. */
static inline gboolean
first_sight (guint *seen,
             Key    key)
{
  if (*seen & (1u << key))
    return FALSE;

  *seen |= 1u << key;
  return TRUE;
}

static gboolean
read_details (Reader *r,
              guint   depth,
              Found  *found)
{
  guint seen = 0;
  gboolean more;

  if (!open_container (r, depth, '}', &more))
    return FALSE;

  while (more)
    {
      Key key = read_key (r);
      gboolean ok;

      if (key == KEY_REASONING_TOKENS)
        ok = first_sight (&seen, key) &&
             read_count (r, depth, &found->usage.reasoning_tokens);
      else
        ok = key != KEY_INVALID && skip_value (r, depth);

      if (!ok || !next_item (r, '}', &more))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_usage (Reader *r,
            guint   depth,
            Found  *found)
{
  guint seen = 0;
  gboolean more;

  if (r->p >= r->end)
    return FALSE;
  if (*r->p == 'n')
    return skip_literal (r, "null", 4);
  if (*r->p != '{' || !open_container (r, depth, '}', &more))
    return FALSE;

  found->has_usage = TRUE;
  while (more)
    {
      Key key = read_key (r);
      gboolean ok;

      switch (key)
        {
        case KEY_PROMPT_TOKENS:
          ok = first_sight (&seen, key) &&
               read_count (r, depth, &found->usage.prompt_tokens);
          break;
        case KEY_COMPLETION_TOKENS:
          ok = first_sight (&seen, key) &&
               read_count (r, depth, &found->usage.completion_tokens);
          break;
        case KEY_COMPLETION_TOKENS_DETAILS:
          if (!first_sight (&seen, key))
            ok = FALSE;
          else if (r->p < r->end && *r->p == '{')
            ok = read_details (r, depth + 1, found);
          else
            ok = skip_value (r, depth);
          break;
        case KEY_INVALID:
          ok = FALSE;
          break;
        default:
          ok = skip_value (r, depth);
          break;
        }

      if (!ok || !next_item (r, '}', &more))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_delta (Reader *r,
            guint   depth,
            Found  *found)
{
  guint seen = 0;
  gboolean more;

  if (!open_container (r, depth, '}', &more))
    return FALSE;

  while (more)
    {
      Key key = read_key (r);
      gboolean ok;

      switch (key)
        {
        case KEY_CONTENT:
          ok = first_sight (&seen, key) && read_text (r, &found->content);
          break;
        case KEY_REASONING_CONTENT:
          ok = first_sight (&seen, key) && read_text (r, &found->reasoning_content);
          break;
        case KEY_REASONING:
          ok = first_sight (&seen, key) && read_text (r, &found->reasoning);
          break;
        case KEY_TOOL_CALLS:
        case KEY_INVALID:
          ok = FALSE;
          break;
        default:
          ok = skip_value (r, depth);
          break;
        }

      if (!ok || !next_item (r, '}', &more))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_choice (Reader *r,
             guint   depth,
             Found  *found)
{
  guint seen = 0;
  gboolean more;

  if (!open_container (r, depth, '}', &more))
    return FALSE;

  while (more)
    {
      Key key = read_key (r);
      gboolean ok;

      switch (key)
        {
        case KEY_FINISH_REASON:
          ok = first_sight (&seen, key) &&
               read_optional_string (r, depth, &found->finish_reason);
          break;
        case KEY_DELTA:
          if (!first_sight (&seen, key))
            ok = FALSE;
          else if (r->p < r->end && *r->p == '{')
            ok = read_delta (r, depth + 1, found);
          else
            ok = skip_value (r, depth);
          break;
        case KEY_INVALID:
          ok = FALSE;
          break;
        default:
          ok = skip_value (r, depth);
          break;
        }

      if (!ok || !next_item (r, '}', &more))
        return FALSE;
    }

  return TRUE;
}

/* Only a single choice is read: with several, which one is shown depends on
 * their indices, and that is left to the JSON-GLib reader. An element that
 * is not an object is no choice at all, as there. */
static gboolean
read_choices (Reader *r,
              guint   depth,
              Found  *found)
{
  gboolean more;

  if (r->p >= r->end || *r->p != '[')
    return skip_value (r, depth - 1);
  if (!open_container (r, depth, ']', &more))
    return FALSE;
  if (!more)
    return TRUE;

  if (*r->p == '{')
    {
      if (!read_choice (r, depth + 1, found))
        return FALSE;
    }
  else if (!skip_value (r, depth))
    return FALSE;

  return next_item (r, ']', &more) && !more;
}

static gboolean
read_root (Reader *r,
           Found  *found)
{
  guint seen = 0;
  gboolean more;

  skip_space (r);
  if (r->p >= r->end || *r->p != '{' || !open_container (r, 1, '}', &more))
    return FALSE;

  while (more)
    {
      Key key = read_key (r);
      gboolean ok;

      switch (key)
        {
        case KEY_MODEL:
          ok = first_sight (&seen, key) && read_optional_string (r, 1, &found->model);
          break;
        case KEY_USAGE:
          ok = first_sight (&seen, key) && read_usage (r, 2, found);
          break;
        case KEY_CHOICES:
          ok = first_sight (&seen, key) && read_choices (r, 2, found);
          break;
        case KEY_OBJECT:
          /* An error event names itself "object": "error". */
          if (r->p < r->end && *r->p == '"')
            {
              char *object = NULL;

              ok = read_optional_string (r, 1, &object) && g_strcmp0 (object, "error") != 0;
              g_free (object);
            }
          else
            ok = skip_value (r, 1);
          break;
        case KEY_ERROR:
        case KEY_INVALID:
          ok = FALSE;
          break;
        default:
          ok = skip_value (r, 1);
          break;
        }

      if (!ok || !next_item (r, '}', &more))
        return FALSE;
    }

  skip_space (r);
  return r->p == r->end;
}

/**
 * _cria_api_read_chunk_fast:
 * @data: the chunk's JSON text
 * @len: its length in bytes
 * @chunk: a freshly initialised #CriaApiChunk
 *
 * Reads one `chat.completion.chunk` of the simple shape without building a
 * tree. On %FALSE, @chunk is untouched and the text must go to the general
 * reader.
 *
 * Returns: whether the chunk was read
 */
gboolean
_cria_api_read_chunk_fast (const char   *data,
                           gsize         len,
                           CriaApiChunk *chunk)
{
  Reader r = { (const guchar *) data, (const guchar *) data + len };
  Found found = { 0, };

  if (!read_root (&r, &found))
    {
      g_free (found.model);
      g_free (found.finish_reason);
      g_free (found.content);
      g_free (found.reasoning_content);
      g_free (found.reasoning);
      return FALSE;
    }

  chunk->model = found.model;
  chunk->finish_reason = found.finish_reason;
  chunk->content = found.content;
  if (found.reasoning_content != NULL)
    {
      chunk->reasoning = found.reasoning_content;
      g_free (found.reasoning);
    }
  else
    chunk->reasoning = found.reasoning;

  if (found.has_usage)
    {
      chunk->has_usage = TRUE;
      chunk->usage = found.usage;
      chunk->usage.estimated = FALSE;
    }

  return TRUE;
}

CriaApiJsonCheck
_cria_api_json_check (const char *data,
                      gsize       len,
                      gsize       max_values)
{
  Reader r = { (const guchar *) data, (const guchar *) data + len, 0, max_values, CRIA_API_JSON_MALFORMED };

  if (data == NULL)
    return CRIA_API_JSON_MALFORMED;

  skip_space (&r);
  if (!skip_value (&r, 0))
    return r.problem;
  skip_space (&r);

  return r.p == r.end ? CRIA_API_JSON_OK : CRIA_API_JSON_MALFORMED;
}

gboolean
_cria_api_json_is_single_value (const char *data,
                                gsize       len)
{
  return _cria_api_json_check (data, len, 0) == CRIA_API_JSON_OK;
}

static gboolean
holds_marker_range (const char *data,
                    gsize       len)
{
  /* U+10F800…U+10FFFF is F4 8F A0 80…F4 8F BF BF in UTF-8, and escaped its
   * high surrogate is \uDBFE or \uDBFF. Anything close is enough to give up
   * markers: this is only ever about text that was already broken. */
  for (gsize i = 0; i + 1 < len; i++)
    {
      if ((guchar) data[i] == 0xF4 && (guchar) data[i + 1] == 0x8F)
        return TRUE;
      if (data[i] == '\\' && i + 5 < len && data[i + 1] == 'u' &&
          g_ascii_strncasecmp (data + i + 2, "dbf", 3) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * _cria_api_repair_json_text:
 * @data: JSON text the readers refused
 * @len: its length in bytes
 * @mark_surrogates: write markers for lone surrogates instead of U+FFFD
 * @out_len: (out): the length of the repaired text
 * @marked: (out) (optional): whether a marker was written
 *
 * Returns: (transfer full) (nullable): the repaired text, or %NULL when
 *   nothing in @data needed repair
 */
char *
_cria_api_repair_json_text (const char *data,
                            gsize       len,
                            gboolean    mark_surrogates,
                            gsize      *out_len,
                            gboolean   *marked)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean changed = FALSE;
  gboolean wrote_marker = FALSE;

  if (marked != NULL)
    *marked = FALSE;

  if (data == NULL || len > G_MAXSSIZE)
    return NULL;

  /* Bad bytes are replaced, not dropped: what the server meant around them
   * still arrives. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      valid = g_utf8_make_valid (data, (gssize) len);
      data = valid;
      len = strlen (valid);
      changed = TRUE;
    }

  if (mark_surrogates && holds_marker_range (data, len))
    mark_surrogates = FALSE;

  out = g_string_sized_new (len + 16);
  for (gsize i = 0; i < len; i++)
    {
      guint unit;
      guint low;

      if (data[i] != '\\' || i + 1 >= len)
        {
          g_string_append_c (out, data[i]);
          continue;
        }

      if (data[i + 1] != 'u' || !read_hex4 ((const guchar *) data + i + 2, (const guchar *) data + len, &unit))
        {
          /* Any other escape is copied whole, so that an escaped backslash
           * is never taken for the start of a \u escape. */
          g_string_append_len (out, data + i, 2);
          i++;
          continue;
        }

      if (unit >= 0xd800 && unit <= 0xdbff && i + 11 < len && data[i + 6] == '\\' &&
          data[i + 7] == 'u' && read_hex4 ((const guchar *) data + i + 8, (const guchar *) data + len, &low) &&
          low >= 0xdc00 && low <= 0xdfff)
        {
          /* A whole pair. */
          g_string_append_len (out, data + i, 12);
          i += 11;
          continue;
        }

      if (unit >= 0xd800 && unit <= 0xdfff && mark_surrogates)
        {
          g_string_append_unichar (out, CRIA_API_SURROGATE_MARK + (unit - 0xd800));
          wrote_marker = TRUE;
          changed = TRUE;
        }
      else if ((unit >= 0xd800 && unit <= 0xdfff) || unit == 0)
        {
          /* A lone half, or a NUL no C string can hold. */
          g_string_append (out, "\\ufffd");
          changed = TRUE;
        }
      else
        g_string_append_len (out, data + i, 6);
      i += 5;
    }

  if (!changed)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  if (marked != NULL)
    *marked = wrote_marker;
  *out_len = out->len;
  return g_string_free (out, FALSE);
}
