/* cria-math-parse.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LaTeX maths into a tree. A recursive-descent parser whose every recursion
 * passes through _cria_math_parser_enter(), which counts the nesting and
 * refuses to go past CRIA_MATH_MAX_DEPTH, so no input can exhaust the
 * stack. Text and environments are in cria-math-parse-env.c.
 */

#include "config.h"

#include <string.h>

#include "cria-math-parse-private.h"

static CriaMathNode *parse_arg (Parser *ps);
static CriaMathNode *parse_unicode_script (Parser *ps, char *which);

CriaMathNode *
_cria_math_node_new (CriaMathNodeKind kind)
{
  CriaMathNode *node = g_new0 (CriaMathNode, 1);

  node->kind = kind;
  return node;
}

void
_cria_math_parser_array_free (CriaMathArray *array)
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
  g_clear_pointer (&node->array, _cria_math_parser_array_free);
  g_free (node->text);
  g_free (node);
}

CriaMathNode *
_cria_math_parser_list_new (void)
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

CriaMathNode *
_cria_math_parser_space_new (double mu)
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

gboolean
_cria_math_parser_fail (Parser     *ps,
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

gboolean
_cria_math_parser_enter (Parser *ps)
{
  if (++ps->depth > CRIA_MATH_MAX_DEPTH)
    return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_TOO_DEEP,
                 "The formula is nested more than %d levels deep", CRIA_MATH_MAX_DEPTH);
  return TRUE;
}

void
_cria_math_parser_leave (Parser *ps)
{
  ps->depth--;
}

void
_cria_math_parser_skip_space (Parser *ps)
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

gboolean
_cria_math_parser_is_letter (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The name of the command at ps->p (which is a backslash), without moving. */
gsize
_cria_math_parser_peek_command (Parser      *ps,
                                const char **name)
{
  const char *q = ps->p + 1;

  *name = q;
  if (q >= ps->end)
    return 0;
  if (!_cria_math_parser_is_letter (*q))
    return g_utf8_next_char (q) - q;
  while (q < ps->end && _cria_math_parser_is_letter (*q))
    q++;
  return q - *name;
}

gboolean
_cria_math_parser_peek_is_command (Parser     *ps,
                                   const char *want)
{
  const char *name;
  gsize len;

  if (ps->p >= ps->end || *ps->p != '\\')
    return FALSE;
  len = _cria_math_parser_peek_command (ps, &name);
  return len == strlen (want) && memcmp (name, want, len) == 0;
}

/* Reads a command name and looks it up; a starred form (\operatorname*) is
 * taken when the table has it. */
static const CriaMathCommand *
read_command (Parser *ps)
{
  const CriaMathCommand *cmd;
  const char *name;
  gsize len = _cria_math_parser_peek_command (ps, &name);

  if (len == 0)
    {
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A backslash ends the formula");
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
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "Unknown command \\%.*s", (int) MIN (len, 64), name);
      return NULL;
    }
  if (_cria_math_parser_is_letter (*name))
    _cria_math_parser_skip_space (ps);
  return cmd;
}

/* The text of a {…} group, braces balanced, not parsed: colours, labels,
 * environment names, dimensions. */
gboolean
_cria_math_parser_read_raw_group (Parser      *ps,
                                  const char **text,
                                  gsize       *len)
{
  int level = 0;
  const char *start;

  _cria_math_parser_skip_space (ps);
  if (ps->p >= ps->end || *ps->p != '{')
    return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A { was expected");
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
  return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } is missing");
}

/* A TeX dimension ("2pt", "-0.5em", "1 cm") in mu, 18 to the em, taking
 * a 10 pt font as TeX's reference. FALSE if @text is not one. */
gboolean
_cria_math_parser_parse_dimension (const char *text,
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

gboolean
_cria_math_parser_read_char (Parser   *ps,
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

  _cria_math_parser_skip_space (ps);
  if (ps->p >= ps->end)
    return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A delimiter is missing");
  start = ps->p;
  if (*ps->p == '\\')
    {
      const char *name;

      len = _cria_math_parser_peek_command (ps, &name) + 1;
      ps->p = name + len - 1;
    }
  else
    {
      ps->p = g_utf8_next_char (ps->p);
      len = ps->p - start;
    }
  if (!_cria_math_delimiter_lookup (start, len, cp))
    return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "%.*s is not a delimiter", (int) MIN (len, 64), start);
  return TRUE;
}

static CriaMathNode *
parse_group (Parser *ps)
{
  CriaMathNode *list;
  CriaMathVariant saved = ps->variant;

  g_assert (*ps->p == '{');
  if (!_cria_math_parser_enter (ps))
    return NULL;
  ps->p++;
  list = _cria_math_parser_parse_list (ps, 0);
  ps->variant = saved;
  if (list != NULL && (ps->p >= ps->end || *ps->p != '}'))
    {
      if (ps->p >= ps->end)
        _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A } is missing");
      else if (*ps->p == '&')
        _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "An & outside a table");
      else
        _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "Unexpected %.*s inside a group",
              (int) (g_utf8_next_char (ps->p + 1) - ps->p), ps->p);
      g_clear_pointer (&list, cria_math_node_free);
    }
  else if (list != NULL)
    ps->p++;
  _cria_math_parser_leave (ps);
  return list;
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
          CriaMathNode *list = _cria_math_parser_list_new ();

          list->atom = CRIA_MATH_ATOM_REL;
          g_ptr_array_add (list->kids, _cria_math_parser_space_new (5));
          g_ptr_array_add (list->kids, n);
          g_ptr_array_add (list->kids, _cria_math_parser_space_new (5));
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
      _cria_math_parser_skip_space (ps);
      if (ps->p < ps->end && *ps->p == '[')
        {
          if (!_cria_math_parser_enter (ps))
            goto failed;
          ps->p++;
          n->b = _cria_math_parser_parse_list (ps, STOP_BRACKET);
          _cria_math_parser_leave (ps);
          if (n->b == NULL)
            goto failed;
          if (ps->p >= ps->end || *ps->p != ']')
            {
              _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A ] is missing after \\sqrt[");
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
      if (!parse_delimiter (ps, &n->cp) || !_cria_math_parser_enter (ps))
        goto failed;
      n->a = _cria_math_parser_list_new ();
      for (;;)
        {
          CriaMathNode *part = _cria_math_parser_parse_list (ps, 0);
          CriaMathNode *middle;

          if (part == NULL)
            {
              _cria_math_parser_leave (ps);
              goto failed;
            }
          g_ptr_array_add (n->a->kids, part);
          if (_cria_math_parser_peek_is_command (ps, "right"))
            {
              ps->p += 6;
              break;
            }
          if (!_cria_math_parser_peek_is_command (ps, "middle"))
            {
              _cria_math_parser_leave (ps);
              _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\left without \\right");
              goto failed;
            }
          ps->p += 7;
          middle = _cria_math_node_new (CRIA_MATH_NODE_DELIM);
          middle->atom = CRIA_MATH_ATOM_REL;
          g_ptr_array_add (n->a->kids, middle);
          if (!parse_delimiter (ps, &middle->cp))
            {
              _cria_math_parser_leave (ps);
              goto failed;
            }
        }
      _cria_math_parser_leave (ps);
      if (!parse_delimiter (ps, &n->cp2))
        goto failed;
      break;

    case CRIA_MATH_CMD_MIDDLE:
    case CRIA_MATH_CMD_RIGHT:
      return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\%s without \\left", cmd->name);

    case CRIA_MATH_CMD_BIG:
      n = _cria_math_node_new (CRIA_MATH_NODE_DELIM);
      n->size = cmd->arg;
      n->atom = cmd->atom;
      if (!parse_delimiter (ps, &n->cp))
        goto failed;
      break;

    case CRIA_MATH_CMD_BEGIN:
      if (!_cria_math_parser_read_raw_group (ps, &text, &len))
        return FALSE;
      n = _cria_math_parser_parse_environment (ps, text, len);
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_END:
      return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\end without \\begin");

    case CRIA_MATH_CMD_TEXT:
      n = _cria_math_parser_parse_text_arg (ps, cmd->arg);
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
          CriaMathNode *list = _cria_math_parser_list_new ();

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
        {
          /* \overset{def}{=} is a relation, \underset{x}{\lim} an operator. */
          const CriaMathNode *base = n->a;

          while (base->kind == CRIA_MATH_NODE_LIST && base->atom == CRIA_MATH_ATOM_ORD && base->kids->len == 1)
            base = g_ptr_array_index (base->kids, 0);
          n->atom = base->kind == CRIA_MATH_NODE_CHAR || base->kind == CRIA_MATH_NODE_OPNAME
                    || base->kind == CRIA_MATH_NODE_LIST ? base->atom : CRIA_MATH_ATOM_ORD;
        }
      break;

    case CRIA_MATH_CMD_XARROW:
      n = _cria_math_node_new (CRIA_MATH_NODE_STACK);
      n->atom = CRIA_MATH_ATOM_REL;
      n->flags = CRIA_MATH_FLAG_STRETCH;
      n->a = char_new (cmd->cp, CRIA_MATH_ATOM_REL);
      _cria_math_parser_skip_space (ps);
      if (ps->p < ps->end && *ps->p == '[')
        {
          if (!_cria_math_parser_enter (ps))
            goto failed;
          ps->p++;
          n->c = _cria_math_parser_parse_list (ps, STOP_BRACKET);
          _cria_math_parser_leave (ps);
          if (n->c == NULL)
            goto failed;
          if (ps->p >= ps->end || *ps->p != ']')
            {
              _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "A ] is missing after \\%s[", cmd->name);
              goto failed;
            }
          ps->p++;
        }
      if ((n->b = parse_arg (ps)) == NULL)
        goto failed;
      break;

    case CRIA_MATH_CMD_SPACE:
      n = _cria_math_parser_space_new (cmd->arg);
      break;

    case CRIA_MATH_CMD_HSPACE:
      {
        double mu;

        if (cmd->arg == 0 || (ps->p < ps->end && *ps->p == '{'))
          {
            if (!_cria_math_parser_read_raw_group (ps, &text, &len))
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
        if (!_cria_math_parser_parse_dimension (text, len, &mu))
          return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\%s needs a dimension such as 1em", cmd->name);
        n = _cria_math_parser_space_new (mu);
      }
      break;

    case CRIA_MATH_CMD_SMASH:
      _cria_math_parser_skip_space (ps);
      if (ps->p < ps->end && *ps->p == '[' && !_cria_math_parser_read_raw_group (ps, &text, &len))
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
      if (!_cria_math_parser_read_raw_group (ps, &text, &len))
        return FALSE;
      break;

    case CRIA_MATH_CMD_TEXTCOLOR:
      if (!_cria_math_parser_read_raw_group (ps, &text, &len))
        return FALSE;
      n = cmd->arg ? _cria_math_parser_parse_text_arg (ps, CRIA_MATH_VARIANT_ROMAN) : parse_arg (ps);
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_IGNORE_ARG:
      return _cria_math_parser_read_raw_group (ps, &text, &len);

    case CRIA_MATH_CMD_IGNORE:
    case CRIA_MATH_CMD_HLINE:
      break;

    case CRIA_MATH_CMD_TAG:
      if (ps->tag != NULL)
        return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "More than one \\tag");
      n = _cria_math_parser_parse_text_arg (ps, CRIA_MATH_VARIANT_ROMAN);
      if (n == NULL)
        return FALSE;
      /* A \tag inside this one's own text (\tag{$\tag{1}$}) came first. */
      if (ps->tag != NULL)
        {
          cria_math_node_free (n);
          return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "More than one \\tag");
        }
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
        n = _cria_math_parser_list_new ();
        g_ptr_array_add (n->kids, _cria_math_parser_space_new (cmd->arg == 2 ? 18 : 12));
        if (cmd->arg == 2)
          {
            g_ptr_array_add (n->kids, opname_new ("mod", CRIA_MATH_ATOM_ORD));
            g_ptr_array_add (n->kids, _cria_math_parser_space_new (6));
            break;
          }
        if ((arg = parse_arg (ps)) == NULL)
          goto failed;
        g_ptr_array_add (n->kids, char_new ('(', CRIA_MATH_ATOM_OPEN));
        if (cmd->arg == 0)
          {
            g_ptr_array_add (n->kids, opname_new ("mod", CRIA_MATH_ATOM_ORD));
            g_ptr_array_add (n->kids, _cria_math_parser_space_new (6));
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
          CriaMathNode *list = _cria_math_parser_list_new ();

          g_ptr_array_add (list->kids, n);
          n = list;
        }
      n->atom = cmd->atom;
      /* \mathop{…} takes its limits below in display style, as TeX's do. */
      if (cmd->atom == CRIA_MATH_ATOM_OP)
        n->flags |= CRIA_MATH_FLAG_DISPLAY_LIM;
      break;

    case CRIA_MATH_CMD_SUBSTACK:
      n = _cria_math_parser_parse_substack (ps);
      if (n == NULL)
        return FALSE;
      break;

    case CRIA_MATH_CMD_INFIX:
      return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "\\%s here is not supported", cmd->name);

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

  _cria_math_parser_read_char (ps, &cp);
  switch (cp)
    {
    case '#':
    case '$':
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "Unexpected %c", (char) cp);
      return NULL;
    case '~':
      return _cria_math_parser_space_new (6);
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

  _cria_math_parser_skip_space (ps);
  if (ps->p >= ps->end)
    {
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "An argument is missing at the end");
      return NULL;
    }
  switch (*ps->p)
    {
    case '{':
      return parse_group (ps);
    case '}': case '&': case '^': case '_': case ']':
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "An argument is missing before %c", *ps->p);
      return NULL;
    case '\\':
      if (!_cria_math_parser_enter (ps))
        return NULL;
      if (!parse_command (ps, NULL, &node))
        node = NULL;
      else if (node == NULL)
        _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "An argument is missing");
      _cria_math_parser_leave (ps);
      return node;
    default:
      {
        /* x^²: the character stands for its plain self. */
        char which = 0;

        node = parse_unicode_script (ps, &which);
        if (node != NULL || which != 0)
          return node;
        return parse_char (ps);
      }
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
    return _cria_math_parser_peek_is_command (ps, "\\") || _cria_math_parser_peek_is_command (ps, "right")
           || _cria_math_parser_peek_is_command (ps, "middle") || _cria_math_parser_peek_is_command (ps, "end")
           || _cria_math_parser_peek_is_command (ps, "cr");
  return FALSE;
}

/* Unicode's superscript and subscript characters, as models write them
 * (x², H₂O, aₙ): what each stands for in a script, or 0. */
static char
unicode_script (gunichar  c,
                char     *which)
{
  static const char sup_digits[] = "0i  456789+-=()n";
  static const char sub_chars[] = "0123456789+-=() aeoxLhklmnpst";

  *which = '^';
  switch (c)
    {
    case 0x00B9: return '1';
    case 0x00B2: return '2';
    case 0x00B3: return '3';
    default: break;
    }
  if (c >= 0x2070 && c <= 0x207F && sup_digits[c - 0x2070] != ' ')
    return sup_digits[c - 0x2070];
  *which = '_';
  /* U+2094 is a schwa, which has no plain letter here. */
  if (c >= 0x2080 && c <= 0x209C && sub_chars[c - 0x2080] != ' ' && sub_chars[c - 0x2080] != 'L')
    return sub_chars[c - 0x2080];
  return 0;
}

/* A run of such characters of one kind, read as the script it stands
 * for: x²³ is x^{23}. NULL, with nothing read and @which 0, when there is
 * none; NULL with @which set is an error. */
static CriaMathNode *
parse_unicode_script (Parser *ps,
                      char   *which)
{
  char plain[64];
  gsize n = 0;
  const char *p = ps->p;
  Parser inner;
  CriaMathNode *list;

  *which = 0;
  while (p < ps->end && n < sizeof plain - 1)
    {
      char kind;
      char c = unicode_script (g_utf8_get_char (p), &kind);

      if (c == 0 || (n > 0 && kind != *which))
        break;
      *which = kind;
      plain[n++] = c;
      p = g_utf8_next_char (p);
    }
  if (n == 0)
    return NULL;
  plain[n] = '\0';

  inner = *ps;
  inner.p = plain;
  inner.end = plain + n;
  inner.tag = NULL;
  list = _cria_math_parser_parse_list (&inner, 0);
  /* Digits, signs, brackets and letters: nothing in them can fail, but an
   * unbalanced ) is taken as it comes. */
  if (list == NULL)
    return NULL;
  ps->p = p;
  return list;
}

/* The scripts node a script @which goes into: the last item when it is
 * one with room for it, else a new one around the last item. NULL, and an
 * error, for a second subscript or superscript. */
static CriaMathNode *
scripts_node (Parser    *ps,
              GPtrArray *kids,
              char       which)
{
  CriaMathNode *s = kids->len > 0 ? g_ptr_array_index (kids, kids->len - 1) : NULL;
  CriaMathNode *base = NULL;

  if (s != NULL && s->kind == CRIA_MATH_NODE_SCRIPTS
      && !(which == '_' && s->c != NULL) && !(which == '^' && (s->flags & CRIA_MATH_FLAG_HAS_SUP)))
    return s;

  if (s != NULL && s->kind == CRIA_MATH_NODE_SCRIPTS)
    {
      _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, which == '_' ? "Double subscript: use braces, x_{a_b}"
                                                                       : "Double superscript: use braces, x^{a^b}");
      return NULL;
    }
  if (s != NULL && s->kind != CRIA_MATH_NODE_STYLE && s->kind != CRIA_MATH_NODE_SPACE)
    base = g_ptr_array_steal_index (kids, kids->len - 1);
  s = _cria_math_node_new (CRIA_MATH_NODE_SCRIPTS);
  s->a = base;
  s->atom = base != NULL ? base->atom : CRIA_MATH_ATOM_ORD;
  g_ptr_array_add (kids, s);
  return s;
}

static gboolean add_script_arg (Parser       *ps,
                                GPtrArray    *kids,
                                char          which,
                                CriaMathNode *arg);

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
        return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "Double superscript: a prime after ^");
      g_ptr_array_add (kids, char_new (0x2032, CRIA_MATH_ATOM_ORD));
      return TRUE;
    }

  if (which == '\'')
    {
      s = scripts_node (ps, kids, which);
      if (s == NULL)
        return FALSE;
      if (s->flags & CRIA_MATH_FLAG_HAS_SUP)
        return _cria_math_parser_fail (ps, CRIA_MATH_ERROR_SYNTAX, "Double superscript: a prime after ^");
      if (s->b == NULL)
        {
          s->b = _cria_math_parser_list_new ();
          s->flags |= CRIA_MATH_FLAG_PRIMES;
        }
      g_ptr_array_add (s->b->kids, char_new (0x2032, CRIA_MATH_ATOM_ORD));
      return TRUE;
    }

  arg = parse_arg (ps);
  if (arg == NULL)
    return FALSE;
  return add_script_arg (ps, kids, which, arg);
}

/* Attaches @arg (transfer full) as the script @which of the last item. */
static gboolean
add_script_arg (Parser       *ps,
                GPtrArray    *kids,
                char          which,
                CriaMathNode *arg)
{
  CriaMathNode *s = scripts_node (ps, kids, which);

  if (s == NULL)
    {
      cria_math_node_free (arg);
      return FALSE;
    }

  if (which == '_')
    s->c = arg;
  else
    {
      s->flags |= CRIA_MATH_FLAG_HAS_SUP;
      s->flags &= ~CRIA_MATH_FLAG_PRIMES;
      if (s->b != NULL)
        g_ptr_array_add (s->b->kids, arg);
      else
        s->b = arg;
    }
  return TRUE;
}

/* Items up to the end of the list: the end, }, &, \\, \right, \middle,
 * \end (or ] and $ when @stop says so), which is left for the caller. */
CriaMathNode *
_cria_math_parser_parse_list (Parser *ps,
                              guint   stop)
{
  g_autoptr(CriaMathNode) list = _cria_math_parser_list_new ();

  for (;;)
    {
      CriaMathNode *node = NULL;
      char c;

      _cria_math_parser_skip_space (ps);
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
          gsize len = _cria_math_parser_peek_command (ps, &name);
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
              list = _cria_math_parser_list_new ();
              g_ptr_array_add (list->kids, frac);
              if (!_cria_math_parser_enter (ps) || (frac->b = _cria_math_parser_parse_list (ps, stop)) == NULL)
                return NULL;
              _cria_math_parser_leave (ps);
              break;
            }
          if (!_cria_math_parser_enter (ps))
            return NULL;
          if (!parse_command (ps, list->kids, &node))
            return NULL;
          _cria_math_parser_leave (ps);
          if (node == NULL)
            continue;
        }
      else
        {
          char which = 0;
          CriaMathNode *script = parse_unicode_script (ps, &which);

          if (script == NULL && which != 0)
            return NULL;
          if (script != NULL)
            {
              if (!add_script_arg (ps, list->kids, which, script))
                return NULL;
              continue;
            }
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
  _cria_math_parser_skip_space (&ps);
  if (ps.p >= ps.end)
    {
      g_set_error_literal (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_SYNTAX, "The formula is empty");
      return NULL;
    }

  root = _cria_math_parser_parse_top (&ps);
  if (root == NULL)
    {
      cria_math_node_free (ps.tag);
      return NULL;
    }
  if (ps.tag != NULL)
    {
      CriaMathNode *list = _cria_math_parser_list_new ();

      g_ptr_array_add (list->kids, root);
      g_ptr_array_add (list->kids, _cria_math_parser_space_new (36));
      g_ptr_array_add (list->kids, ps.tag);
      root = list;
    }
  return root;
}
