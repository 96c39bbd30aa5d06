/* cria-math-parse-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser's state and the helpers its two files share.
 */

#pragma once

#include "cria-math-private.h"

G_BEGIN_DECLS

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

/* Sets the error (the first one only) and returns FALSE. */
gboolean      _cria_math_parser_fail              (Parser          *ps,
                                                   int              code,
                                                   const char      *format,
                                                   ...) G_GNUC_PRINTF (3, 4);
/* One more level of nesting; FALSE (and an error) past the limit. */
gboolean      _cria_math_parser_enter             (Parser          *ps);
void          _cria_math_parser_leave             (Parser          *ps);
void          _cria_math_parser_skip_space        (Parser          *ps);
gboolean      _cria_math_parser_is_letter         (char             c);
gsize         _cria_math_parser_peek_command      (Parser          *ps,
                                                   const char     **name);
gboolean      _cria_math_parser_peek_is_command   (Parser          *ps,
                                                   const char      *want);
gboolean      _cria_math_parser_read_raw_group    (Parser          *ps,
                                                   const char     **text,
                                                   gsize           *len);
gboolean      _cria_math_parser_parse_dimension   (const char      *text,
                                                   gsize            len,
                                                   double          *mu);
gboolean      _cria_math_parser_read_char         (Parser          *ps,
                                                   gunichar        *cp);
CriaMathNode *_cria_math_parser_parse_list        (Parser          *ps,
                                                   guint            stop);
CriaMathNode *_cria_math_parser_list_new          (void);
CriaMathNode *_cria_math_parser_space_new         (double           mu);
void          _cria_math_parser_array_free        (CriaMathArray   *array);

/* cria-math-parse-env.c */
CriaMathNode *_cria_math_parser_parse_text_arg    (Parser          *ps,
                                                   CriaMathVariant  variant);
CriaMathNode *_cria_math_parser_parse_environment (Parser          *ps,
                                                   const char      *name,
                                                   gsize            len);
CriaMathNode *_cria_math_parser_parse_substack    (Parser          *ps);
CriaMathNode *_cria_math_parser_parse_top         (Parser          *ps);

G_END_DECLS
