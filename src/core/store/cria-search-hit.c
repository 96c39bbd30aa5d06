/* cria-search-hit.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-search-hit.h"

struct _CriaSearchHit
{
  GObject  parent_instance;

  char    *conversation_id;
  char    *title;
  char    *message_id;
  char    *snippet_markup;
  gboolean by_meaning;
};

G_DEFINE_FINAL_TYPE (CriaSearchHit, cria_search_hit, G_TYPE_OBJECT)

static void
cria_search_hit_finalize (GObject *object)
{
  CriaSearchHit *self = CRIA_SEARCH_HIT (object);

  g_free (self->conversation_id);
  g_free (self->title);
  g_free (self->message_id);
  g_free (self->snippet_markup);

  G_OBJECT_CLASS (cria_search_hit_parent_class)->finalize (object);
}

static void
cria_search_hit_class_init (CriaSearchHitClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cria_search_hit_finalize;
}

static void
cria_search_hit_init (CriaSearchHit *self)
{
}

CriaSearchHit *
cria_search_hit_new (const char *conversation_id,
                     const char *title,
                     const char *message_id,
                     const char *snippet_markup)
{
  CriaSearchHit *self;

  g_return_val_if_fail (conversation_id != NULL, NULL);

  self = g_object_new (CRIA_TYPE_SEARCH_HIT, NULL);
  self->conversation_id = g_strdup (conversation_id);
  self->title = g_strdup (title != NULL ? title : "");
  self->message_id = g_strdup (message_id);
  self->snippet_markup = g_strdup (snippet_markup != NULL ? snippet_markup : "");

  return self;
}

const char *
cria_search_hit_get_conversation_id (CriaSearchHit *self)
{
  g_return_val_if_fail (CRIA_IS_SEARCH_HIT (self), NULL);

  return self->conversation_id;
}

const char *
cria_search_hit_get_title (CriaSearchHit *self)
{
  g_return_val_if_fail (CRIA_IS_SEARCH_HIT (self), NULL);

  return self->title;
}

const char *
cria_search_hit_get_message_id (CriaSearchHit *self)
{
  g_return_val_if_fail (CRIA_IS_SEARCH_HIT (self), NULL);

  return self->message_id;
}

const char *
cria_search_hit_get_snippet_markup (CriaSearchHit *self)
{
  g_return_val_if_fail (CRIA_IS_SEARCH_HIT (self), NULL);

  return self->snippet_markup;
}

char *
cria_search_hit_highlight (const char *text,
                           gunichar    open,
                           gunichar    close)
{
  GString *markup = g_string_new (NULL);
  const char *run = text;
  const char *p;
  gboolean bold = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  /* Escape each run between sentinels on its own, so the only markup is ours. */
  for (p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == open || c == close || c == 0)
        {
          g_autofree char *escaped = g_markup_escape_text (run, p - run);

          g_string_append (markup, escaped);
          if (c == open && !bold)
            {
              g_string_append (markup, "<b>");
              bold = TRUE;
            }
          else if (c == close && bold)
            {
              g_string_append (markup, "</b>");
              bold = FALSE;
            }
          if (c == 0)
            break;
          run = g_utf8_next_char (p);
        }
    }

  if (bold)
    g_string_append (markup, "</b>");

  return g_string_free (markup, FALSE);
}

void
cria_search_hit_set_by_meaning (CriaSearchHit *self,
                                gboolean       by_meaning)
{
  g_return_if_fail (CRIA_IS_SEARCH_HIT (self));

  self->by_meaning = !!by_meaning;
}

gboolean
cria_search_hit_get_by_meaning (CriaSearchHit *self)
{
  g_return_val_if_fail (CRIA_IS_SEARCH_HIT (self), FALSE);

  return self->by_meaning;
}
