/* cria-math-corpus.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-math-corpus.h"

GPtrArray *
cria_math_corpus_read (const char  *path,
                       GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *formulas;
  GString *several = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  formulas = g_ptr_array_new_with_free_func (g_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (strcmp (line, "---") == 0)
        {
          if (several == NULL)
            {
              several = g_string_new (NULL);
            }
          else
            {
              g_ptr_array_add (formulas, g_string_free (several, FALSE));
              several = NULL;
            }
          continue;
        }

      if (several != NULL)
        {
          if (several->len > 0)
            g_string_append_c (several, '\n');
          g_string_append (several, line);
          continue;
        }

      if (line[0] == '\0' || line[0] == '#')
        continue;
      g_ptr_array_add (formulas, g_strdup (line));
    }

  /* An unclosed block is still a formula. */
  if (several != NULL)
    g_ptr_array_add (formulas, g_string_free (several, FALSE));

  return formulas;
}
