/* cria-math-parse-env.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parts of the parser with a grammar of their own: \text{…} and its
 * runs, and tables — environments, \substack, and a whole formula with &
 * or \\ outside any environment.
 */

#include "config.h"

#include <string.h>

#include "cria-math-parse-private.h"

/* How much of a name an error message quotes: 64 bytes at most, cut
 * between characters so that the message stays UTF-8. */
static int
clip (const char *text,
      gsize       len)
{
  const char *end;

  if (len <= 64)
    return (int) len;
  end = g_utf8_find_prev_char (text, text + 65);
  return end != NULL ? (int) (end - text) : 0;
}

/* The body of \text{…}: runs of text, spaces, and $…$ maths inside. */
CriaMathNode *
_cria_math_parser_parse_text_arg (Parser         *ps,
                                  CriaMathVariant variant)
{
  g_autoptr(CriaMathNode) list = _cria_math_parser_list_new ();
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

  _cria_math_parser_skip_space (ps);
  if (ps->p >= ps->end)
    {
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A text argument is missing");
      return NULL;
    }
  if (*ps->p != '{')
    {
      /* \text a: one character. */
      gunichar cp;

      _cria_math_parser_read_char (ps, &cp);
      g_string_append_unichar (run, variant == CRIA_MATH_VARIANT_ROMAN ? cp : _cria_math_map_variant (cp, variant));
      FLUSH ();
      return g_steal_pointer (&list);
    }
  if (!_cria_math_parser_enter (ps))
    return NULL;
  ps->p++;
  for (;;)
    {
      gunichar cp;

      if (ps->p >= ps->end)
        {
          _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } is missing after \\text{");
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
            if (!_cria_math_parser_enter (ps))
              return NULL;
            math = _cria_math_parser_parse_list (ps, STOP_DOLLAR);
            _cria_math_parser_leave (ps);
            if (math == NULL)
              return NULL;
            g_ptr_array_add (list->kids, math);
            if (ps->p >= ps->end || *ps->p != '$')
              {
                _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A $ is missing inside \\text{");
                return NULL;
              }
            ps->p++;
          }
          continue;
        case '\\':
          {
            const char *name;
            gsize len = _cria_math_parser_peek_command (ps, &name);
            double mu = 0;

            if (len == 0)
              {
                _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A backslash ends the formula");
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
                _cria_math_parser_skip_space (ps);
                continue;
              }
            else
              {
                const CriaMathCommand *cmd = _cria_math_command_lookup (name, len);
                CriaMathNode *inner;

                if (cmd == NULL || cmd->kind != CRIA_MATH_CMD_TEXT)
                  {
                    _cria_math_parser_fail (ps, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "Unknown command \\%.*s in text",
                          (int) MIN (len, 64), name);
                    return NULL;
                  }
                FLUSH ();
                inner = _cria_math_parser_parse_text_arg (ps, cmd->arg);
                if (inner == NULL)
                  return NULL;
                g_ptr_array_add (list->kids, inner);
                continue;
              }
            FLUSH ();
            g_ptr_array_add (list->kids, _cria_math_parser_space_new (mu));
            if (_cria_math_parser_is_letter (*name))
              _cria_math_parser_skip_space (ps);
          }
          continue;
        default:
          _cria_math_parser_read_char (ps, &cp);
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
  _cria_math_parser_leave (ps);
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

      _cria_math_parser_skip_space (ps);
      while (cur == 0 && (_cria_math_parser_peek_is_command (ps, "hline") || _cria_math_parser_peek_is_command (ps, "hdashline")))
        {
          ps->p += _cria_math_parser_peek_is_command (ps, "hline") ? 6 : 10;
          hl = MIN (hl + 1, 2);
          _cria_math_parser_skip_space (ps);
        }
      cell = _cria_math_parser_parse_list (ps, 0);
      if (cell == NULL)
        return NULL;
      g_ptr_array_add (cells, cell);
      cur++;
      if (cur > 64)
        {
          _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A table has more than 64 columns");
          return NULL;
        }

      if (ps->p >= ps->end)
        {
          if (end != ROWS_TOP)
            {
              if (end == ROWS_SUBSTACK)
                _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } is missing after \\substack{");
              else
                _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\begin{%.*s} without \\end",
                                        clip (name, name_len), name);
              return NULL;
            }
          row_done = all_done = TRUE;
        }
      else if (*ps->p == '&')
        ps->p++;
      else if (_cria_math_parser_peek_is_command (ps, "\\") || _cria_math_parser_peek_is_command (ps, "cr"))
        {
          double mu = 0;
          const char *save;

          ps->p += _cria_math_parser_peek_is_command (ps, "cr") ? 3 : 2;
          save = ps->p;
          _cria_math_parser_skip_space (ps);
          if (ps->p < ps->end && *ps->p == '[')
            {
              const char *close = memchr (ps->p, ']', MIN (ps->end - ps->p, 64));

              if (close != NULL && _cria_math_parser_parse_dimension (ps->p + 1, close - ps->p - 1, &mu))
                ps->p = close + 1;
              else
                ps->p = save;
            }
          g_array_append_val (gaps, (double) { mu / 18.0 });
          row_done = TRUE;
        }
      else if (_cria_math_parser_peek_is_command (ps, "end"))
        {
          const char *text;
          gsize len;

          if (end != ROWS_ENV)
            {
              _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\end without \\begin");
              return NULL;
            }
          ps->p += 4;
          if (!_cria_math_parser_read_raw_group (ps, &text, &len))
            return NULL;
          if (len != name_len || memcmp (text, name, len) != 0)
            {
              _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\begin{%.*s} ended by \\end{%.*s}",
                    clip (name, name_len), name, clip (text, len), text);
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
          _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } without its {");
          return NULL;
        }
      else
        {
          _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\%s without \\left",
                _cria_math_parser_peek_is_command (ps, "right") ? "right" : "middle");
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

  if (!_cria_math_parser_read_raw_group (ps, &text, &len))
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
          if (!_cria_math_parser_read_raw_group (&sub, &arg, &arg_len))
            return FALSE;
          if (text[i] == 'p' || text[i] == 'm' || text[i] == 'b')
            g_string_append_c (align, 'l');
          i = sub.p - text - 1;
          break;
        case ' ':
          break;
        default:
          return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "%.*s in an array's columns",
                                         (int) (g_utf8_next_char (text + i) - (text + i)), text + i);
        }
    }
  array->align = g_string_free (g_steal_pointer (&align), FALSE);
  return TRUE;
}

CriaMathNode *
_cria_math_parser_parse_environment (Parser     *ps,
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
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "Unknown environment %.*s",
                              clip (name, len), name);
      return NULL;
    }

  if (environments[i].env == CRIA_MATH_ENV_ARRAY && !parse_preamble (ps, &preamble))
    return NULL;
  if (g_str_has_prefix (environments[i].name, "alignat") || g_str_has_prefix (environments[i].name, "alignedat"))
    {
      const char *text;
      gsize text_len;

      if (!_cria_math_parser_read_raw_group (ps, &text, &text_len))
        return NULL;
    }

  if (!_cria_math_parser_enter (ps))
    {
      g_free (preamble.align);
      return NULL;
    }
  array = parse_rows (ps, ROWS_ENV, name, len);
  _cria_math_parser_leave (ps);
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
    delimited->a = _cria_math_parser_list_new ();
    g_ptr_array_add (delimited->a->kids, node);
    return delimited;
  }
}

CriaMathNode *
_cria_math_parser_parse_substack (Parser *ps)
{
  CriaMathArray *array;
  CriaMathNode *node;

  _cria_math_parser_skip_space (ps);
  if (ps->p >= ps->end || *ps->p != '{')
    {
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\substack needs a {");
      return NULL;
    }
  if (!_cria_math_parser_enter (ps))
    return NULL;
  ps->p++;
  array = parse_rows (ps, ROWS_SUBSTACK, NULL, 0);
  _cria_math_parser_leave (ps);
  if (array == NULL)
    return NULL;
  array->env = CRIA_MATH_ENV_SUBSTACK;
  node = _cria_math_node_new (CRIA_MATH_NODE_ARRAY);
  node->array = array;
  return node;
}

/* The whole formula: one list, or rows and columns when it has \\ or &
 * outside any environment (models write aligned derivations bare). */
CriaMathNode *
_cria_math_parser_parse_top (Parser *ps)
{
  CriaMathArray *array = parse_rows (ps, ROWS_TOP, NULL, 0);
  CriaMathNode *node;

  if (array == NULL)
    return NULL;
  if (array->rows == 1 && array->cols == 1)
    {
      node = g_steal_pointer (&array->cells[0]);
      _cria_math_parser_array_free (array);
      return node;
    }
  array->env = array->cols > 1 ? CRIA_MATH_ENV_ALIGNED : CRIA_MATH_ENV_GATHER;
  array->display = TRUE;
  node = _cria_math_node_new (CRIA_MATH_NODE_ARRAY);
  node->array = array;
  return node;
}
