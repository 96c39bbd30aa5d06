/* cria-math-parse.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LaTeX maths into a tree. A recursive-descent parser whose every recursion
 * passes through enter(), which counts the nesting and refuses to go past
 * CRIA_MATH_MAX_DEPTH, so no input can exhaust the stack.
 */

#include "config.h"

#include <string.h>

#include "cria-math-private.h"

enum
{
  STOP_BRACKET = 1 << 0,  /* ] ends the list: \sqrt[…] */
  STOP_DOLLAR  = 1 << 1,  /* $ ends the list: maths inside \text{…} */
};

typedef struct
{
  const char     *p;
  const char     *end;
  int             depth;
  CriaMathVariant variant;
  CriaMathNode   *tag;
  GError        **error;
} Parser;

static CriaMathNode *parse_list (Parser *ps, guint stop);
static CriaMathNode *parse_arg  (Parser *ps);

CriaMathNode *
_cria_math_node_new (CriaMathNodeKind kind)
{
  CriaMathNode *node = g_new0 (CriaMathNode, 1);

  node->kind = kind;
  return node;
}

static void
array_free (CriaMathArray *array)
{
  for (guint i = 0; i < array->rows * array->cols; i++)
    if (array->cells[i] != NULL)
      cria_math_node_free (array->cells[i]);
  g_free (array->cells);
  g_free (array->align);
  g_free (array->row_gap);
  g_free (array->hlines);
  g_free (array);
}

void
cria_math_node_free (CriaMathNode *node)
{
  if (node == NULL)
    return;

  g_clear_pointer (&node->a, cria_math_node_free);
  g_clear_pointer (&node->b, cria_math_node_free);
  g_clear_pointer (&node->c, cria_math_node_free);
  g_clear_pointer (&node->kids, g_ptr_array_unref);
  g_clear_pointer (&node->array, array_free);
  g_free (node->text);
  g_free (node);
}

static CriaMathNode *
list_new (void)
{
  CriaMathNode *node = _cria_math_node_new (CRIA_MATH_NODE_LIST);

  node->kids = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_math_node_free);
  return node;
}

static CriaMathNode *
char_new (gunichar     cp,
          CriaMathAtom atom)
{
  CriaMathNode *node = _cria_math_node_new (CRIA_MATH_NODE_CHAR);

  node->cp = cp;
  node->atom = atom;
  return node;
}

static CriaMathNode *
space_new (double mu)
{
  CriaMathNode *node = _cria_math_node_new (CRIA_MATH_NODE_SPACE);

  node->dim = mu;
  return node;
}

static CriaMathNode *
opname_new (const char *name,
            CriaMathAtom atom)
{
  CriaMathNode *node = _cria_math_node_new (CRIA_MATH_NODE_OPNAME);

  node->text = g_strdup (name);
  node->atom = atom;
  return node;
}

static gboolean
fail (Parser     *ps,
      int         code,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (Parser     *ps,
      int         code,
      const char *format,
      ...)
{
  va_list args;

  if (ps->error != NULL && *ps->error == NULL)
    {
      va_start (args, format);
      *ps->error = g_error_new_valist (CRIA_MATH_ERROR, code, format, args);
      va_end (args);
    }
  return FALSE;
}

static gboolean
enter (Parser *ps)
{
  if (++ps->depth > CRIA_MATH_MAX_DEPTH)
    return fail (ps, CRIA_MATH_ERROR_TOO_DEEP,
                 "The formula is nested more than %d levels deep", CRIA_MATH_MAX_DEPTH);
  return TRUE;
}

static void
leave (Parser *ps)
{
  ps->depth--;
}

static void
skip_space (Parser *ps)
{
  while (ps->p < ps->end)
    {
      char c = *ps->p;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        ps->p++;
      else if (c == '%')
        {
          while (ps->p < ps->end && *ps->p != '\n')
            ps->p++;
        }
      else
        break;
    }
}

static gboolean
is_letter (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The name of the command at ps->p (which is a backslash), without moving. */
static gsize
peek_command (Parser      *ps,
              const char **name)
{
  const char *q = ps->p + 1;

  *name = q;
  if (q >= ps->end)
    return 0;
  if (!is_letter (*q))
    return g_utf8_next_char (q) - q;
  while (q < ps->end && is_letter (*q))
    q++;
  return q - *name;
}

static gboolean
peek_is_command (Parser     *ps,
                 const char *want)
{
  const char *name;
  gsize len;

  if (ps->p >= ps->end || *ps->p != '\\')
    return FALSE;
  len = peek_command (ps, &name);
  return len == strlen (want) && memcmp (name, want, len) == 0;
}

/* Reads a command name and looks it up; a starred form (\operatorname*) is
 * taken when the table has it. */
static const CriaMathCommand *
read_command (Parser *ps)
{
  const CriaMathCommand *cmd;
  const char *name;
  gsize len = peek_command (ps, &name);

  if (len == 0)
    {
      fail (ps, CRIA_MATH_ERROR_SYNTAX, "A backslash ends the formula");
      return NULL;
    }
  ps->p = name + len;
  if (ps->p < ps->end && *ps->p == '*')
    {
      char starred[64];

      if (len + 2 <= sizeof starred)
        {
          memcpy (starred, name, len);
          starred[len] = '*';
          cmd = _cria_math_command_lookup (starred, len + 1);
          if (cmd != NULL)
            {
              ps->p++;
              return cmd;
            }
        }
    }
  cmd = _cria_math_command_lookup (name, len);
  if (cmd == NULL)
    {
      fail (ps, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "Unknown command \\%.*s", (int) MIN (len, 64), name);
      return NULL;
    }
  if (is_letter (*name))
    skip_space (ps);
  return cmd;
}

/* The text of a {…} group, braces balanced, not parsed: colours, labels,
 * environment names, dimensions. */
static gboolean
read_raw_group (Parser      *ps,
                const char **text,
                gsize       *len)
{
  int level = 0;
  const char *start;

  skip_space (ps);
  if (ps->p >= ps->end || *ps->p != '{')
    return fail (ps, CRIA_MATH_ERROR_SYNTAX, "A { was expected");
  start = ++ps->p;
  for (; ps->p < ps->end; ps->p++)
    {
      if (*ps->p == '\\' && ps->p + 1 < ps->end)
        ps->p++;
      else if (*ps->p == '{')
        level++;
      else if (*ps->p == '}' && level-- == 0)
        {
          *text = start;
          *len = ps->p - start;
          ps->p++;
          return TRUE;
        }
    }
  return fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } is missing");
}

/* A TeX dimension ("2pt", "-0.5em", "1 cm") in mu, 18 to the em, taking
 * a 10 pt font as TeX's reference. FALSE if @text is not one. */
static gboolean
parse_dimension (const char *text,
                 gsize       len,
                 double     *mu)
{
  static const struct { const char *unit; double mu; } units[] = {
    { "em", 18 }, { "ex", 7.74 }, { "mu", 1 }, { "pt", 1.8 }, { "bp", 1.807 }, { "px", 1.8 },
    { "mm", 5.12 }, { "cm", 51.2 }, { "in", 130.1 }, { "pc", 21.6 }, { "sp", 0.0000275 },
  };
  char buf[64];
  char *endp;
  double value;
  const char *unit;

  if (len >= sizeof buf)
    return FALSE;
  memcpy (buf, text, len);
  buf[len] = '\0';
  value = g_ascii_strtod (buf, &endp);
  if (endp == buf)
    return FALSE;
  unit = g_strstrip (endp);
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (unit, units[i].unit) == 0)
      {
        /* No space wider than a hundred em: a typo must not make a formula
         * kilometres wide. */
        *mu = CLAMP (value * units[i].mu, -1800.0, 1800.0);
        return TRUE;
      }
  return FALSE;
}

static gboolean
read_char (Parser   *ps,
           gunichar *cp)
{
  const char *next = g_utf8_next_char (ps->p);

  *cp = g_utf8_get_char (ps->p);
  ps->p = next;
  return TRUE;
}

/* The delimiter after \left, \right, \middle or \big. */
static gboolean
parse_delimiter (Parser   *ps,
                 gunichar *cp)
{
  const char *start;
  gsize len;

  skip_space (ps);
  if (ps->p >= ps->end)
    return fail (ps, CRIA_MATH_ERROR_SYNTAX, "A delimiter is missing");
  start = ps->p;
  if (*ps->p == '\\')
    {
      const char *name;

      len = peek_command (ps, &name) + 1;
      ps->p = name + len - 1;
    }
  else
    {
      ps->p = g_utf8_next_char (ps->p);
      len = ps->p - start;
    }
  if (!_cria_math_delimiter_lookup (start, len, cp))
    return fail (ps, CRIA_MATH_ERROR_SYNTAX, "%.*s is not a delimiter", (int) MIN (len, 64), start);
  return TRUE;
}

static CriaMathNode *
parse_group (Parser *ps)
{
  CriaMathNode *list;
  CriaMathVariant saved = ps->variant;

  g_assert (*ps->p == '{');
  if (!enter (ps))
    return NULL;
  ps->p++;
  list = parse_list (ps, 0);
  ps->variant = saved;
  if (list != NULL && (ps->p >= ps->end || *ps->p != '}'))
    {
      if (ps->p >= ps->end)
        fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } is missing");
      else if (*ps->p == '&')
        fail (ps, CRIA_MATH_ERROR_SYNTAX, "An & outside a table");
      else
        fail (ps, CRIA_MATH_ERROR_SYNTAX, "Unexpected %.*s inside a group",
              (int) (g_utf8_next_char (ps->p + 1) - ps->p), ps->p);
      g_clear_pointer (&list, cria_math_node_free);
    }
  else if (list != NULL)
    ps->p++;
  leave (ps);
  return list;
}

/* The body of \text{…}: runs of text, spaces, and $…$ maths inside. */
static CriaMathNode *
parse_text_arg (Parser         *ps,
                CriaMathVariant variant)
{
  g_autoptr(CriaMathNode) list = list_new ();
  g_autoptr(GString) run = g_string_new (NULL);
  int level = 0;

#define FLUSH() G_STMT_START { \
    if (run->len > 0) \
      { \
        CriaMathNode *t = _cria_math_node_new (CRIA_MATH_NODE_TEXT); \
        t->text = g_strndup (run->str, run->len); \
        g_ptr_array_add (list->kids, t); \
        g_string_truncate (run, 0); \
      } \
  } G_STMT_END

  skip_space (ps);
  if (ps->p >= ps->end)
    {
      fail (ps, CRIA_MATH_ERROR_SYNTAX, "A text argument is missing");
      return NULL;
    }
  if (*ps->p != '{')
    {
      /* \text a: one character. */
      gunichar cp;

      read_char (ps, &cp);
      g_string_append_unichar (run, variant == CRIA_MATH_VARIANT_ROMAN ? cp : _cria_math_map_variant (cp, variant));
      FLUSH ();
      return g_steal_pointer (&list);
    }
  if (!enter (ps))
    return NULL;
  ps->p++;
  for (;;)
    {
      gunichar cp;

      if (ps->p >= ps->end)
        {
          fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } is missing after \\text{");
          return NULL;
        }
      switch (*ps->p)
        {
        case '}':
          ps->p++;
          if (level-- == 0)
            goto done;
          continue;
        case '{':
          ps->p++;
          level++;
          continue;
        case '$':
          {
            CriaMathNode *math;

            FLUSH ();
            ps->p++;
            if (!enter (ps))
              return NULL;
            math = parse_list (ps, STOP_DOLLAR);
            leave (ps);
            if (math == NULL)
              return NULL;
            g_ptr_array_add (list->kids, math);
            if (ps->p >= ps->end || *ps->p != '$')
              {
                fail (ps, CRIA_MATH_ERROR_SYNTAX, "A $ is missing inside \\text{");
                return NULL;
              }
            ps->p++;
          }
          continue;
        case '\\':
          {
            const char *name;
            gsize len = peek_command (ps, &name);
            double mu = 0;

            if (len == 0)
              {
                fail (ps, CRIA_MATH_ERROR_SYNTAX, "A backslash ends the formula");
                return NULL;
              }
            ps->p = name + len;
            if (len == 1 && strchr ("{}$%&#_", *name) != NULL)
              {
                g_string_append_c (run, *name);
                continue;
              }
            if (len == 1 && (*name == ' ' || *name == '\\'))
              {
                g_string_append_c (run, ' ');
                continue;
              }
            if (len == 1 && strchr (",;:!", *name) != NULL)
              mu = *name == ',' ? 3 : *name == ':' ? 4 : *name == ';' ? 5 : -3;
            else if (len == 4 && memcmp (name, "quad", 4) == 0)
              mu = 18;
            else if (len == 5 && memcmp (name, "qquad", 5) == 0)
              mu = 36;
            else if ((len == 5 && memcmp (name, "ldots", 5) == 0) || (len == 4 && memcmp (name, "dots", 4) == 0))
              {
                g_string_append (run, "…");
                skip_space (ps);
                continue;
              }
            else
              {
                const CriaMathCommand *cmd = _cria_math_command_lookup (name, len);
                CriaMathNode *inner;

                if (cmd == NULL || cmd->kind != CRIA_MATH_CMD_TEXT)
                  {
                    fail (ps, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "Unknown command \\%.*s in text",
                          (int) MIN (len, 64), name);
                    return NULL;
                  }
                FLUSH ();
                inner = parse_text_arg (ps, cmd->arg);
                if (inner == NULL)
                  return NULL;
                g_ptr_array_add (list->kids, inner);
                continue;
              }
            FLUSH ();
            g_ptr_array_add (list->kids, space_new (mu));
            if (is_letter (*name))
              skip_space (ps);
          }
          continue;
        default:
          read_char (ps, &cp);
          if (cp == '\n' || cp == '\t' || cp == '\r')
            cp = ' ';
          else if (cp == '~')
            cp = 0xA0;
          if (variant != CRIA_MATH_VARIANT_ROMAN)
            cp = _cria_math_map_variant (cp, variant);
          g_string_append_unichar (run, cp);
          continue;
        }
    }
done:
  leave (ps);
  FLUSH ();
#undef FLUSH
  return g_steal_pointer (&list);
}

typedef enum
{
  ROWS_TOP,       /* the whole formula: ends at the end of the source */
  ROWS_ENV,       /* ends at \end{name} */
  ROWS_SUBSTACK,  /* ends at } */
} RowsEnd;

static gboolean
is_empty_cell (CriaMathNode *cell)
{
  return cell == NULL || (cell->kind == CRIA_MATH_NODE_LIST && cell->kids->len == 0);
}

/* Cells separated by & and rows by \\ (with an optional [2pt] after it), up
 * to the end of the environment. */
static CriaMathArray *
parse_rows (Parser     *ps,
            RowsEnd     end,
            const char *name,
            gsize       name_len)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_math_node_free);
  g_autoptr(GArray) row_len = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) gaps = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr(GArray) hlines = g_array_new (FALSE, TRUE, sizeof (guint8));
  CriaMathArray *array;
  guint cur = 0;
  guint8 hl = 0;
  guint cols = 0;
  guint k = 0;

  for (;;)
    {
      CriaMathNode *cell;
      gboolean row_done = FALSE;
      gboolean all_done = FALSE;

      skip_space (ps);
      while (cur == 0 && (peek_is_command (ps, "hline") || peek_is_command (ps, "hdashline")))
        {
          ps->p += peek_is_command (ps, "hline") ? 6 : 10;
          hl = MIN (hl + 1, 2);
          skip_space (ps);
        }
      cell = parse_list (ps, 0);
      if (cell == NULL)
        return NULL;
      g_ptr_array_add (cells, cell);
      cur++;
      if (cur > 64)
        {
          fail (ps, CRIA_MATH_ERROR_SYNTAX, "A table has more than 64 columns");
          return NULL;
        }

      if (ps->p >= ps->end)
        {
          if (end != ROWS_TOP)
            {
              if (end == ROWS_SUBSTACK)
                fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } is missing after \\substack{");
              else
                fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\begin{%.*s} without \\end", (int) MIN (name_len, 64), name);
              return NULL;
            }
          row_done = all_done = TRUE;
        }
      else if (*ps->p == '&')
        ps->p++;
      else if (peek_is_command (ps, "\\") || peek_is_command (ps, "cr"))
        {
          double mu = 0;
          const char *save;

          ps->p += peek_is_command (ps, "cr") ? 3 : 2;
          save = ps->p;
          skip_space (ps);
          if (ps->p < ps->end && *ps->p == '[')
            {
              const char *close = memchr (ps->p, ']', MIN (ps->end - ps->p, 64));

              if (close != NULL && parse_dimension (ps->p + 1, close - ps->p - 1, &mu))
                ps->p = close + 1;
              else
                ps->p = save;
            }
          g_array_append_val (gaps, (double) { mu / 18.0 });
          row_done = TRUE;
        }
      else if (peek_is_command (ps, "end"))
        {
          const char *text;
          gsize len;

          if (end != ROWS_ENV)
            {
              fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\end without \\begin");
              return NULL;
            }
          ps->p += 4;
          if (!read_raw_group (ps, &text, &len))
            return NULL;
          if (len != name_len || memcmp (text, name, len) != 0)
            {
              fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\begin{%.*s} ended by \\end{%.*s}",
                    (int) MIN (name_len, 64), name, (int) MIN (len, 64), text);
              return NULL;
            }
          row_done = all_done = TRUE;
        }
      else if (*ps->p == '}' && end == ROWS_SUBSTACK)
        {
          ps->p++;
          row_done = all_done = TRUE;
        }
      else if (*ps->p == '}')
        {
          fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } without its {");
          return NULL;
        }
      else
        {
          fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\%s without \\left",
                peek_is_command (ps, "right") ? "right" : "middle");
          return NULL;
        }

      if (row_done)
        {
          g_array_append_val (row_len, cur);
          g_array_append_val (hlines, hl);
          if (gaps->len < row_len->len)
            g_array_append_val (gaps, (double) { 0 });
          cols = MAX (cols, cur);
          cur = 0;
          hl = 0;
        }
      if (all_done)
        break;
    }

  /* A \\ at the very end makes no empty row; its \hline stays below. */
  if (row_len->len > 1 && g_array_index (row_len, guint, row_len->len - 1) == 1
      && is_empty_cell (g_ptr_array_index (cells, cells->len - 1)))
    {
      guint8 last_hl = g_array_index (hlines, guint8, hlines->len - 1);

      g_array_set_size (row_len, row_len->len - 1);
      g_array_set_size (hlines, hlines->len - 1);
      g_array_set_size (gaps, row_len->len);
      g_ptr_array_set_size (cells, cells->len - 1);
      hl = last_hl;
      cols = 0;
      for (guint r = 0; r < row_len->len; r++)
        cols = MAX (cols, g_array_index (row_len, guint, r));
    }

  array = g_new0 (CriaMathArray, 1);
  array->rows = row_len->len;
  array->cols = cols;
  array->cells = g_new0 (CriaMathNode *, (gsize) array->rows * cols);
  array->row_gap = g_new0 (double, array->rows);
  array->hlines = g_new0 (guint8, array->rows + 1);
  for (guint r = 0; r < array->rows; r++)
    {
      guint n = g_array_index (row_len, guint, r);

      for (guint c = 0; c < n; c++)
        {
          array->cells[r * cols + c] = g_ptr_array_index (cells, k);
          g_ptr_array_index (cells, k) = NULL;
          k++;
        }
      array->row_gap[r] = g_array_index (gaps, double, r);
      array->hlines[r] = g_array_index (hlines, guint8, r);
    }
  array->hlines[array->rows] = hl;
  return array;
}

static const struct
{
  const char *name;
  CriaMathEnv env;
  gunichar    left;
  gunichar    right;
  gboolean    display;
} environments[] = {
  { "matrix", CRIA_MATH_ENV_MATRIX, 0, 0, FALSE },
  { "pmatrix", CRIA_MATH_ENV_MATRIX, '(', ')', FALSE },
  { "bmatrix", CRIA_MATH_ENV_MATRIX, '[', ']', FALSE },
  { "Bmatrix", CRIA_MATH_ENV_MATRIX, '{', '}', FALSE },
  { "vmatrix", CRIA_MATH_ENV_MATRIX, '|', '|', FALSE },
  { "Vmatrix", CRIA_MATH_ENV_MATRIX, 0x2016, 0x2016, FALSE },
  { "smallmatrix", CRIA_MATH_ENV_SMALLMATRIX, 0, 0, FALSE },
  { "psmallmatrix", CRIA_MATH_ENV_SMALLMATRIX, '(', ')', FALSE },
  { "bsmallmatrix", CRIA_MATH_ENV_SMALLMATRIX, '[', ']', FALSE },
  { "cases", CRIA_MATH_ENV_CASES, '{', 0, FALSE },
  { "dcases", CRIA_MATH_ENV_CASES, '{', 0, TRUE },
  { "rcases", CRIA_MATH_ENV_CASES, 0, '}', FALSE },
  { "aligned", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "align", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "align*", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "alignat", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "alignat*", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "alignedat", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "flalign", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "flalign*", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "split", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "eqnarray", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "eqnarray*", CRIA_MATH_ENV_ALIGNED, 0, 0, TRUE },
  { "gather", CRIA_MATH_ENV_GATHER, 0, 0, TRUE },
  { "gather*", CRIA_MATH_ENV_GATHER, 0, 0, TRUE },
  { "gathered", CRIA_MATH_ENV_GATHER, 0, 0, TRUE },
  { "multline", CRIA_MATH_ENV_GATHER, 0, 0, TRUE },
  { "multline*", CRIA_MATH_ENV_GATHER, 0, 0, TRUE },
  { "equation", CRIA_MATH_ENV_GATHER, 0, 0, TRUE },
  { "equation*", CRIA_MATH_ENV_GATHER, 0, 0, TRUE },
  { "displaymath", CRIA_MATH_ENV_GATHER, 0, 0, TRUE },
  { "array", CRIA_MATH_ENV_ARRAY, 0, 0, FALSE },
  { "darray", CRIA_MATH_ENV_ARRAY, 0, 0, TRUE },
  { "subarray", CRIA_MATH_ENV_ARRAY, 0, 0, FALSE },
};

/* An array preamble: {lcr}, {c|c}, {@{}l@{}}, {p{3cm}}. */
static gboolean
parse_preamble (Parser        *ps,
                CriaMathArray *array)
{
  g_autoptr(GString) align = g_string_new (NULL);
  const char *text;
  gsize len;

  if (!read_raw_group (ps, &text, &len))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      const char *arg;
      gsize arg_len;
      Parser sub = *ps;

      switch (text[i])
        {
        case 'l': case 'c': case 'r':
          g_string_append_c (align, text[i]);
          break;
        case '|': case ':':
          if (align->len < 64)
            array->vlines |= G_GUINT64_CONSTANT (1) << align->len;
          break;
        case 'p': case 'm': case 'b': case '@': case '!': case '>': case '<':
          /* The argument is skipped; p{…} columns are set left-aligned. */
          sub.p = text + i + 1;
          sub.end = text + len;
          if (!read_raw_group (&sub, &arg, &arg_len))
            return FALSE;
          if (text[i] == 'p' || text[i] == 'm' || text[i] == 'b')
            g_string_append_c (align, 'l');
          i = sub.p - text - 1;
          break;
        case ' ':
          break;
        default:
          return fail (ps, CRIA_MATH_ERROR_SYNTAX, "%c in an array's columns", text[i]);
        }
    }
  array->align = g_string_free (g_steal_pointer (&align), FALSE);
  return TRUE;
}

static CriaMathNode *
parse_environment (Parser     *ps,
                   const char *name,
                   gsize       len)
{
  CriaMathArray *array;
  CriaMathNode *node;
  CriaMathArray preamble = { 0, };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (environments); i++)
    if (strlen (environments[i].name) == len && memcmp (environments[i].name, name, len) == 0)
      break;
  if (i == G_N_ELEMENTS (environments))
    {
      fail (ps, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "Unknown environment %.*s", (int) MIN (len, 64), name);
      return NULL;
    }

  if (environments[i].env == CRIA_MATH_ENV_ARRAY && !parse_preamble (ps, &preamble))
    return NULL;
  if (g_str_has_prefix (environments[i].name, "alignat") || g_str_has_prefix (environments[i].name, "alignedat"))
    {
      const char *text;
      gsize text_len;

      if (!read_raw_group (ps, &text, &text_len))
        return NULL;
    }

  if (!enter (ps))
    {
      g_free (preamble.align);
      return NULL;
    }
  array = parse_rows (ps, ROWS_ENV, name, len);
  leave (ps);
  if (array == NULL)
    {
      g_free (preamble.align);
      return NULL;
    }
  array->env = environments[i].env;
  array->display = environments[i].display;
  array->align = preamble.align;
  array->vlines = preamble.vlines;

  node = _cria_math_node_new (CRIA_MATH_NODE_ARRAY);
  node->array = array;
  if (environments[i].left == 0 && environments[i].right == 0)
    return node;

  {
    CriaMathNode *delimited = _cria_math_node_new (CRIA_MATH_NODE_LEFT_RIGHT);

    delimited->atom = CRIA_MATH_ATOM_INNER;
    delimited->cp = environments[i].left;
    delimited->cp2 = environments[i].right;
    delimited->a = list_new ();
    g_ptr_array_add (delimited->a->kids, node);
    return delimited;
  }
}

static CriaMathNode *
parse_substack (Parser *ps)
{
  CriaMathArray *array;
  CriaMathNode *node;

  skip_space (ps);
  if (ps->p >= ps->end || *ps->p != '{')
    {
      fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\substack needs a {");
      return NULL;
    }
  if (!enter (ps))
    return NULL;
  ps->p++;
  array = parse_rows (ps, ROWS_SUBSTACK, NULL, 0);
  leave (ps);
  if (array == NULL)
    return NULL;
  array->env = CRIA_MATH_ENV_SUBSTACK;
  node = _cria_math_node_new (CRIA_MATH_NODE_ARRAY);
  node->array = array;
  return node;
}

/* The whole formula: one list, or rows and columns when it has \\ or &
 * outside any environment (models write aligned derivations bare). */
static CriaMathNode *
parse_top (Parser *ps)
{
  CriaMathArray *array = parse_rows (ps, ROWS_TOP, NULL, 0);
  CriaMathNode *node;

  if (array == NULL)
    return NULL;
  if (array->rows == 1 && array->cols == 1)
    {
      node = g_steal_pointer (&array->cells[0]);
      array_free (array);
      return node;
    }
  array->env = array->cols > 1 ? CRIA_MATH_ENV_ALIGNED : CRIA_MATH_ENV_GATHER;
  array->display = TRUE;
  node = _cria_math_node_new (CRIA_MATH_NODE_ARRAY);
  node->array = array;
  return node;
}

/* A command; *node is NULL for commands that make nothing (\nonumber). */
static gboolean
parse_command (Parser        *ps,
               GPtrArray     *kids,
               CriaMathNode **node)
{
  const CriaMathCommand *cmd;
  CriaMathNode *n = NULL;
  CriaMathVariant saved;
  const char *text;
  gsize len;

  *node = NULL;
  cmd = read_command (ps);
  if (cmd == NULL)
    return FALSE;

  switch (cmd->kind)
    {
    case CRIA_MATH_CMD_SYMBOL:
      n = char_new (_cria_math_map_variant (cmd->cp, ps->variant), cmd->atom);
      n->flags = cmd->flags;
      if (strcmp (cmd->name, "implies") == 0 || strcmp (cmd->name, "impliedby") == 0
          || strcmp (cmd->name, "iff") == 0)
        {
          /* amsmath sets these with a thick space either side. */
          CriaMathNode *list = list_new ();

          list->atom = CRIA_MATH_ATOM_REL;
          g_ptr_array_add (list->kids, space_new (5));
          g_ptr_array_add (list->kids, n);
          g_ptr_array_add (list->kids, space_new (5));
          n = list;
        }
      break;

    case CRIA_MATH_CMD_OPNAME:
      n = opname_new (cmd->name, CRIA_MATH_ATOM_OP);
      n->flags = cmd->flags;
      break;

    case CRIA_MATH_CMD_FRAC:
      n = _cria_math_node_new (CRIA_MATH_NODE_FRAC);
      n->size = cmd->arg == 1 || cmd->arg == 3 || cmd->arg == 5 ? CRIA_MATH_STYLE_DISPLAY
              : cmd->arg == 2 || cmd->arg == 6 ? CRIA_MATH_STYLE_TEXT : -1;
      if (cmd->arg >= 4)
        {
          n->flags = CRIA_MATH_FLAG_NO_RULE;
          n->cp = '(';
          n->cp2 = ')';
        }
      if ((n->a = parse_arg (ps)) == NULL || (n->b = parse_arg (ps)) == NULL)
        goto failed;
      break;

    case CRIA_MATH_CMD_SQRT:
      n = _cria_math_node_new (CRIA_MATH_NODE_SQRT);
      skip_space (ps);
      if (ps->p < ps->end && *ps->p == '[')
        {
          if (!enter (ps))
            goto failed;
          ps->p++;
          n->b = parse_list (ps, STOP_BRACKET);
          leave (ps);
          if (n->b == NULL)
            goto failed;
          if (ps->p >= ps->end || *ps->p != ']')
            {
              fail (ps, CRIA_MATH_ERROR_SYNTAX, "A ] is missing after \\sqrt[");
              goto failed;
            }
          ps->p++;
        }
      if ((n->a = parse_arg (ps)) == NULL)
        goto failed;
      break;

    case CRIA_MATH_CMD_LEFT:
      n = _cria_math_node_new (CRIA_MATH_NODE_LEFT_RIGHT);
      n->atom = CRIA_MATH_ATOM_INNER;
      if (!parse_delimiter (ps, &n->cp) || !enter (ps))
        goto failed;
      n->a = list_new ();
      for (;;)
        {
          CriaMathNode *part = parse_list (ps, 0);
          CriaMathNode *middle;

          if (part == NULL)
            {
              leave (ps);
              goto failed;
            }
          g_ptr_array_add (n->a->kids, part);
          if (peek_is_command (ps, "right"))
            {
              ps->p += 6;
              break;
            }
          if (!peek_is_command (ps, "middle"))
            {
              leave (ps);
              fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\left without \\right");
              goto failed;
            }
          ps->p += 7;
          middle = _cria_math_node_new (CRIA_MATH_NODE_DELIM);
          middle->atom = CRIA_MATH_ATOM_REL;
          g_ptr_array_add (n->a->kids, middle);
          if (!parse_delimiter (ps, &middle->cp))
            {
              leave (ps);
              goto failed;
            }
        }
      leave (ps);
      if (!parse_delimiter (ps, &n->cp2))
        goto failed;
      break;

    case CRIA_MATH_CMD_MIDDLE:
    case CRIA_MATH_CMD_RIGHT:
      return fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\%s without \\left", cmd->name);

    case CRIA_MATH_CMD_BIG:
      n = _cria_math_node_new (CRIA_MATH_NODE_DELIM);
      n->size = cmd->arg;
      n->atom = cmd->atom;
      if (!parse_delimiter (ps, &n->cp))
        goto failed;
      break;

    case CRIA_MATH_CMD_BEGIN:
      if (!read_raw_group (ps, &text, &len))
        return FALSE;
      n = parse_environment (ps, text, len);
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_END:
      return fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\end without \\begin");

    case CRIA_MATH_CMD_TEXT:
      n = parse_text_arg (ps, cmd->arg);
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_FONT:
      saved = ps->variant;
      ps->variant = cmd->arg;
      n = parse_arg (ps);
      ps->variant = saved;
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_FONT_SWITCH:
      ps->variant = cmd->arg;
      break;

    case CRIA_MATH_CMD_OPERATORNAME:
      saved = ps->variant;
      ps->variant = CRIA_MATH_VARIANT_ROMAN;
      n = parse_arg (ps);
      ps->variant = saved;
      if (n == NULL)
        return FALSE;
      if (n->kind != CRIA_MATH_NODE_LIST)
        {
          CriaMathNode *list = list_new ();

          g_ptr_array_add (list->kids, n);
          n = list;
        }
      n->atom = CRIA_MATH_ATOM_OP;
      n->flags = cmd->arg ? CRIA_MATH_FLAG_DISPLAY_LIM : 0;
      break;

    case CRIA_MATH_CMD_ACCENT:
    case CRIA_MATH_CMD_OVERLINE:
    case CRIA_MATH_CMD_UNDERLINE:
    case CRIA_MATH_CMD_BRACE:
    case CRIA_MATH_CMD_BOXED:
    case CRIA_MATH_CMD_PHANTOM:
      n = _cria_math_node_new (cmd->kind == CRIA_MATH_CMD_ACCENT ? CRIA_MATH_NODE_ACCENT
                               : cmd->kind == CRIA_MATH_CMD_OVERLINE ? CRIA_MATH_NODE_OVERLINE
                               : cmd->kind == CRIA_MATH_CMD_UNDERLINE ? CRIA_MATH_NODE_UNDERLINE
                               : cmd->kind == CRIA_MATH_CMD_BRACE ? CRIA_MATH_NODE_BRACE
                               : cmd->kind == CRIA_MATH_CMD_BOXED ? CRIA_MATH_NODE_BOXED
                               : CRIA_MATH_NODE_PHANTOM);
      n->cp = cmd->cp;
      n->flags = cmd->flags;
      if ((n->a = parse_arg (ps)) == NULL)
        goto failed;
      break;

    case CRIA_MATH_CMD_STACK:
      n = _cria_math_node_new (CRIA_MATH_NODE_STACK);
      if (cmd->arg == 1)
        n->c = parse_arg (ps);
      else
        n->b = parse_arg (ps);
      if ((n->b == NULL && n->c == NULL) || (n->a = parse_arg (ps)) == NULL)
        goto failed;
      if (cmd->arg == 2)
        n->atom = CRIA_MATH_ATOM_REL;
      else
        n->atom = n->a->kind == CRIA_MATH_NODE_CHAR ? n->a->atom : CRIA_MATH_ATOM_ORD;
      break;

    case CRIA_MATH_CMD_XARROW:
      n = _cria_math_node_new (CRIA_MATH_NODE_STACK);
      n->atom = CRIA_MATH_ATOM_REL;
      n->flags = CRIA_MATH_FLAG_STRETCH;
      n->a = char_new (cmd->cp, CRIA_MATH_ATOM_REL);
      skip_space (ps);
      if (ps->p < ps->end && *ps->p == '[')
        {
          if (!enter (ps))
            goto failed;
          ps->p++;
          n->c = parse_list (ps, STOP_BRACKET);
          leave (ps);
          if (n->c == NULL)
            goto failed;
          if (ps->p >= ps->end || *ps->p != ']')
            {
              fail (ps, CRIA_MATH_ERROR_SYNTAX, "A ] is missing after \\%s[", cmd->name);
              goto failed;
            }
          ps->p++;
        }
      if ((n->b = parse_arg (ps)) == NULL)
        goto failed;
      break;

    case CRIA_MATH_CMD_SPACE:
      n = space_new (cmd->arg);
      break;

    case CRIA_MATH_CMD_HSPACE:
      {
        double mu;

        if (cmd->arg == 0 || (ps->p < ps->end && *ps->p == '{'))
          {
            if (!read_raw_group (ps, &text, &len))
              return FALSE;
          }
        else
          {
            /* \kern3mu: the dimension runs to the end of its unit. */
            text = ps->p;
            while (ps->p < ps->end && (g_ascii_isdigit (*ps->p) || *ps->p == '.' || *ps->p == '-' || *ps->p == ' '))
              ps->p++;
            if (ps->end - ps->p >= 2)
              ps->p += 2;
            len = ps->p - text;
          }
        if (!parse_dimension (text, len, &mu))
          return fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\%s needs a dimension such as 1em", cmd->name);
        n = space_new (mu);
      }
      break;

    case CRIA_MATH_CMD_SMASH:
      skip_space (ps);
      if (ps->p < ps->end && *ps->p == '[' && !read_raw_group (ps, &text, &len))
        return FALSE;
      /* fall through */
    case CRIA_MATH_CMD_IDENTITY:
      n = parse_arg (ps);
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_STYLE:
      n = _cria_math_node_new (CRIA_MATH_NODE_STYLE);
      n->size = cmd->arg;
      break;

    case CRIA_MATH_CMD_COLOR:
      /* Colours are dropped: the view draws in the theme's colour. */
      if (!read_raw_group (ps, &text, &len))
        return FALSE;
      break;

    case CRIA_MATH_CMD_TEXTCOLOR:
      if (!read_raw_group (ps, &text, &len))
        return FALSE;
      n = cmd->arg ? parse_text_arg (ps, CRIA_MATH_VARIANT_ROMAN) : parse_arg (ps);
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_IGNORE_ARG:
      return read_raw_group (ps, &text, &len);

    case CRIA_MATH_CMD_IGNORE:
    case CRIA_MATH_CMD_HLINE:
      break;

    case CRIA_MATH_CMD_TAG:
      if (ps->tag != NULL)
        return fail (ps, CRIA_MATH_ERROR_SYNTAX, "More than one \\tag");
      n = parse_text_arg (ps, CRIA_MATH_VARIANT_ROMAN);
      if (n == NULL)
        return FALSE;
      if (cmd->arg == 0)
        {
          g_ptr_array_insert (n->kids, 0, char_new ('(', CRIA_MATH_ATOM_OPEN));
          g_ptr_array_add (n->kids, char_new (')', CRIA_MATH_ATOM_CLOSE));
        }
      ps->tag = n;
      n = NULL;
      break;

    case CRIA_MATH_CMD_NOT:
      {
        CriaMathNode *arg = parse_arg (ps);
        gunichar negated;

        if (arg == NULL)
          return FALSE;
        negated = arg->kind == CRIA_MATH_NODE_CHAR ? _cria_math_negate (arg->cp) : 0;
        if (negated != 0)
          {
            arg->cp = negated;
            n = arg;
          }
        else
          {
            n = _cria_math_node_new (CRIA_MATH_NODE_NOT);
            n->atom = arg->kind == CRIA_MATH_NODE_CHAR ? arg->atom : CRIA_MATH_ATOM_REL;
            n->a = arg;
          }
      }
      break;

    case CRIA_MATH_CMD_MOD:
      {
        CriaMathNode *arg = NULL;

        if (cmd->arg == 1)
          {
            n = opname_new ("mod", CRIA_MATH_ATOM_BIN);
            break;
          }
        n = list_new ();
        g_ptr_array_add (n->kids, space_new (cmd->arg == 2 ? 18 : 12));
        if (cmd->arg == 2)
          {
            g_ptr_array_add (n->kids, opname_new ("mod", CRIA_MATH_ATOM_ORD));
            g_ptr_array_add (n->kids, space_new (6));
            break;
          }
        if ((arg = parse_arg (ps)) == NULL)
          goto failed;
        g_ptr_array_add (n->kids, char_new ('(', CRIA_MATH_ATOM_OPEN));
        if (cmd->arg == 0)
          {
            g_ptr_array_add (n->kids, opname_new ("mod", CRIA_MATH_ATOM_ORD));
            g_ptr_array_add (n->kids, space_new (6));
          }
        g_ptr_array_add (n->kids, arg);
        g_ptr_array_add (n->kids, char_new (')', CRIA_MATH_ATOM_CLOSE));
      }
      break;

    case CRIA_MATH_CMD_LIMITS:
      if (kids != NULL && kids->len > 0)
        {
          CriaMathNode *last = g_ptr_array_index (kids, kids->len - 1);

          if (last->kind == CRIA_MATH_NODE_SCRIPTS && last->a != NULL)
            last = last->a;
          last->flags &= ~(CRIA_MATH_FLAG_LIMITS | CRIA_MATH_FLAG_NOLIMITS);
          last->flags |= cmd->arg ? CRIA_MATH_FLAG_LIMITS : CRIA_MATH_FLAG_NOLIMITS;
        }
      break;

    case CRIA_MATH_CMD_CLASS:
      n = parse_arg (ps);
      if (n == NULL)
        return FALSE;
      if (n->kind != CRIA_MATH_NODE_LIST)
        {
          CriaMathNode *list = list_new ();

          g_ptr_array_add (list->kids, n);
          n = list;
        }
      n->atom = cmd->atom;
      break;

    case CRIA_MATH_CMD_SUBSTACK:
      n = parse_substack (ps);
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_INFIX:
      return fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\%s here is not supported", cmd->name);

    case CRIA_MATH_CMD_NONE:
    default:
      g_assert_not_reached ();
    }

  *node = n;
  return TRUE;

failed:
  cria_math_node_free (n);
  return FALSE;
}

static CriaMathNode *
parse_char (Parser *ps)
{
  gunichar cp;
  guint flags;
  CriaMathAtom atom;
  CriaMathNode *n;

  read_char (ps, &cp);
  switch (cp)
    {
    case '#':
    case '$':
      fail (ps, CRIA_MATH_ERROR_SYNTAX, "Unexpected %c", (char) cp);
      return NULL;
    case '~':
      return space_new (6);
    default:
      break;
    }
  atom = _cria_math_char_atom (cp, &flags);
  if (cp == '-')
    cp = 0x2212;
  else if (cp == '*')
    cp = 0x2217;
  n = char_new (_cria_math_map_variant (cp, ps->variant), atom);
  n->flags = flags;
  return n;
}

/* One argument: a group, a command, or a single character (\frac12). */
static CriaMathNode *
parse_arg (Parser *ps)
{
  CriaMathNode *node = NULL;

  skip_space (ps);
  if (ps->p >= ps->end)
    {
      fail (ps, CRIA_MATH_ERROR_SYNTAX, "An argument is missing at the end");
      return NULL;
    }
  switch (*ps->p)
    {
    case '{':
      return parse_group (ps);
    case '}': case '&': case '^': case '_': case ']':
      fail (ps, CRIA_MATH_ERROR_SYNTAX, "An argument is missing before %c", *ps->p);
      return NULL;
    case '\\':
      if (!enter (ps))
        return NULL;
      if (!parse_command (ps, NULL, &node))
        node = NULL;
      else if (node == NULL)
        fail (ps, CRIA_MATH_ERROR_SYNTAX, "An argument is missing");
      leave (ps);
      return node;
    default:
      return parse_char (ps);
    }
}

static gboolean
at_list_end (Parser *ps,
             guint   stop)
{
  char c;

  if (ps->p >= ps->end)
    return TRUE;
  c = *ps->p;
  if (c == '}' || c == '&')
    return TRUE;
  if ((c == ']' && (stop & STOP_BRACKET)) || (c == '$' && (stop & STOP_DOLLAR)))
    return TRUE;
  if (c == '\\')
    return peek_is_command (ps, "\\") || peek_is_command (ps, "right")
           || peek_is_command (ps, "middle") || peek_is_command (ps, "end")
           || peek_is_command (ps, "cr");
  return FALSE;
}

static gboolean
add_script (Parser    *ps,
            GPtrArray *kids,
            char       which)
{
  CriaMathNode *s = kids->len > 0 ? g_ptr_array_index (kids, kids->len - 1) : NULL;
  CriaMathNode *arg;

  /* f': an OpenType maths font draws ′ already raised, so it follows its
   * base at full size, and f'^2 puts the 2 after it. Only after a
   * subscript (x_1') does it join the superscript, as in TeX. */
  if (which == '\'' && (s == NULL || s->kind != CRIA_MATH_NODE_SCRIPTS || s->b != NULL))
    {
      if (s != NULL && s->kind == CRIA_MATH_NODE_SCRIPTS && (s->flags & CRIA_MATH_FLAG_HAS_SUP))
        return fail (ps, CRIA_MATH_ERROR_SYNTAX, "Double superscript: a prime after ^");
      g_ptr_array_add (kids, char_new (0x2032, CRIA_MATH_ATOM_ORD));
      return TRUE;
    }

  if (s == NULL || s->kind != CRIA_MATH_NODE_SCRIPTS
      || (which == '_' && s->c != NULL) || (which == '^' && (s->flags & CRIA_MATH_FLAG_HAS_SUP)))
    {
      CriaMathNode *base = NULL;

      if (s != NULL && s->kind == CRIA_MATH_NODE_SCRIPTS)
        {
          if (which == '_')
            return fail (ps, CRIA_MATH_ERROR_SYNTAX, "Double subscript: use braces, x_{a_b}");
          return fail (ps, CRIA_MATH_ERROR_SYNTAX, "Double superscript: use braces, x^{a^b}");
        }
      if (s != NULL && s->kind != CRIA_MATH_NODE_STYLE && s->kind != CRIA_MATH_NODE_SPACE)
        base = g_ptr_array_steal_index (kids, kids->len - 1);
      s = _cria_math_node_new (CRIA_MATH_NODE_SCRIPTS);
      s->a = base;
      s->atom = base != NULL ? base->atom : CRIA_MATH_ATOM_ORD;
      g_ptr_array_add (kids, s);
    }

  if (which == '\'')
    {
      if (s->flags & CRIA_MATH_FLAG_HAS_SUP)
        return fail (ps, CRIA_MATH_ERROR_SYNTAX, "Double superscript: a prime after ^");
      if (s->b == NULL)
        s->b = list_new ();
      g_ptr_array_add (s->b->kids, char_new (0x2032, CRIA_MATH_ATOM_ORD));
      return TRUE;
    }

  arg = parse_arg (ps);
  if (arg == NULL)
    return FALSE;
  if (which == '_')
    s->c = arg;
  else
    {
      s->flags |= CRIA_MATH_FLAG_HAS_SUP;
      if (s->b != NULL)
        g_ptr_array_add (s->b->kids, arg);
      else
        s->b = arg;
    }
  return TRUE;
}

/* Items up to the end of the list: the end, }, &, \\, \right, \middle,
 * \end (or ] and $ when @stop says so), which is left for the caller. */
static CriaMathNode *
parse_list (Parser *ps,
            guint   stop)
{
  g_autoptr(CriaMathNode) list = list_new ();

  for (;;)
    {
      CriaMathNode *node = NULL;
      char c;

      skip_space (ps);
      if (at_list_end (ps, stop))
        break;

      c = *ps->p;
      if (c == '^' || c == '_' || c == '\'')
        {
          ps->p++;
          if (!add_script (ps, list->kids, c))
            return NULL;
          continue;
        }
      if (c == '{')
        {
          node = parse_group (ps);
          if (node == NULL)
            return NULL;
        }
      else if (c == '\\')
        {
          const char *name;
          gsize len = peek_command (ps, &name);
          const CriaMathCommand *cmd = _cria_math_command_lookup (name, len);

          if (cmd != NULL && cmd->kind == CRIA_MATH_CMD_INFIX)
            {
              /* {a \over b}: what came before over what comes after. */
              CriaMathNode *frac = _cria_math_node_new (CRIA_MATH_NODE_FRAC);

              ps->p = name + len;
              frac->size = -1;
              if (cmd->arg != 0)
                frac->flags = CRIA_MATH_FLAG_NO_RULE;
              if (cmd->arg == 1)
                {
                  frac->cp = '(';
                  frac->cp2 = ')';
                }
              frac->a = g_steal_pointer (&list);
              list = list_new ();
              g_ptr_array_add (list->kids, frac);
              if (!enter (ps) || (frac->b = parse_list (ps, stop)) == NULL)
                return NULL;
              leave (ps);
              break;
            }
          if (!enter (ps))
            return NULL;
          if (!parse_command (ps, list->kids, &node))
            return NULL;
          leave (ps);
          if (node == NULL)
            continue;
        }
      else
        {
          node = parse_char (ps);
          if (node == NULL)
            return NULL;
        }
      g_ptr_array_add (list->kids, node);
    }

  return g_steal_pointer (&list);
}

CriaMathNode *
cria_math_parse (const char  *source,
                 gssize       len,
                 GError     **error)
{
  Parser ps = { 0, };
  CriaMathNode *root;
  gsize n;

  g_return_val_if_fail (source != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = len < 0 ? strlen (source) : (gsize) len;
  if (n > CRIA_MATH_MAX_SOURCE)
    {
      g_set_error (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_TOO_LONG,
                   "The formula is longer than %d bytes", CRIA_MATH_MAX_SOURCE);
      return NULL;
    }
  if (!g_utf8_validate_len (source, n, NULL))
    {
      g_set_error_literal (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_SYNTAX,
                           "The formula is not valid UTF-8");
      return NULL;
    }

  ps.p = source;
  ps.end = source + n;
  ps.error = error;
  skip_space (&ps);
  if (ps.p >= ps.end)
    {
      g_set_error_literal (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_SYNTAX, "The formula is empty");
      return NULL;
    }

  root = parse_top (&ps);
  if (root == NULL)
    {
      cria_math_node_free (ps.tag);
      return NULL;
    }
  if (ps.tag != NULL)
    {
      CriaMathNode *list = list_new ();

      g_ptr_array_add (list->kids, root);
      g_ptr_array_add (list->kids, space_new (36));
      g_ptr_array_add (list->kids, ps.tag);
      root = list;
    }
  return root;
}
