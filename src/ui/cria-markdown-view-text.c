/* cria-markdown-view-text.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text of paragraphs, headings and table cells: labels whose emphasis,
 * code and links are Pango attributes over the block's flat text, with
 * inline maths in them.
 */

#include "config.h"

#include <string.h>

#include "cria-markdown.h"

#include "cria-markdown-view-private.h"
#include "cria-math-inline.h"

/* Inline text */

static void
insert_attribute (PangoAttrList  *attrs,
                  PangoAttribute *attr,
                  guint           start,
                  guint           end)
{
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
}

/* Spans and Pango attributes both count bytes of the same UTF-8 text, so the
 * spans map onto attributes one to one, with no markup in between that could
 * let model text be read as tags. */
static PangoAttrList *
build_attributes (const char *text,
                  GArray     *spans,
                  gboolean    bold)
{
  PangoAttrList *attrs = NULL;
  gsize len = strlen (text);

  if (bold)
    {
      attrs = pango_attr_list_new ();
      insert_attribute (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD),
                        0, PANGO_ATTR_INDEX_TO_TEXT_END);
    }

  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const CriaMarkdownSpan *span = &g_array_index (spans, CriaMarkdownSpan, i);
      guint end = MIN (span->end, len);

      if (span->start >= end || span->kind == CRIA_MARKDOWN_SPAN_LINK)
        continue;

      if (attrs == NULL)
        attrs = pango_attr_list_new ();

      switch (span->kind)
        {
        case CRIA_MARKDOWN_SPAN_BOLD:
          insert_attribute (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD), span->start, end);
          break;

        case CRIA_MARKDOWN_SPAN_ITALIC:
          insert_attribute (attrs, pango_attr_style_new (PANGO_STYLE_ITALIC), span->start, end);
          break;

        case CRIA_MARKDOWN_SPAN_STRIKE:
          insert_attribute (attrs, pango_attr_strikethrough_new (TRUE), span->start, end);
          break;

        case CRIA_MARKDOWN_SPAN_CODE:
          /* A translucent grey reads as a tint on light and dark styles. */
          insert_attribute (attrs, pango_attr_family_new ("monospace"), span->start, end);
          insert_attribute (attrs, pango_attr_background_new (0x8000, 0x8000, 0x8000), span->start, end);
          insert_attribute (attrs, pango_attr_background_alpha_new (0x2800), span->start, end);
          break;

        case CRIA_MARKDOWN_SPAN_LINK:
        default:
          break;
        }
    }

  return attrs;
}

static gboolean
has_links (GArray *spans)
{
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const CriaMarkdownSpan *span = &g_array_index (spans, CriaMarkdownSpan, i);

      if (span->kind == CRIA_MARKDOWN_SPAN_LINK && span->href != NULL && span->start < span->end)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_math (GArray *spans)
{
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    if (g_array_index (spans, CriaMarkdownSpan, i).kind == CRIA_MARKDOWN_SPAN_MATH)
      return TRUE;
  return FALSE;
}

static void
append_escaped (GString    *markup,
                const char *text,
                gsize       len)
{
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (markup, escaped);
}

/* GtkLabel only makes links clickable from markup. Every piece of text and
 * every href is escaped, so the markup holds no tags but the <a> we write,
 * and the label's text is exactly the block's text: the attributes from
 * build_attributes() still line up with it. */
static char *
build_link_markup (const char *text,
                   GArray     *spans)
{
  GString *markup = g_string_new (NULL);
  gsize len = strlen (text);
  gsize pos = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const CriaMarkdownSpan *span = &g_array_index (spans, CriaMarkdownSpan, i);
      g_autofree char *open = NULL;
      gsize end = MIN (span->end, len);

      if (span->kind != CRIA_MARKDOWN_SPAN_LINK || span->href == NULL ||
          span->start < pos || span->start >= end)
        continue;

      append_escaped (markup, text + pos, span->start - pos);
      open = g_markup_printf_escaped ("<a href=\"%s\">", span->href);
      g_string_append (markup, open);
      append_escaped (markup, text + span->start, end - span->start);
      g_string_append (markup, "</a>");
      pos = end;
    }
  append_escaped (markup, text + pos, len - pos);

  return g_string_free (markup, FALSE);
}

/* Prose wraps between words: breaking inside words as well makes a label's
 * layout several times dearer. Only text with a word too long for a narrow
 * window (a URL, a path, a hash) may break inside it. */
#define LONG_WORD_CHARS 20

static PangoWrapMode
wrap_mode_for (const char *text)
{
  guint run = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        run = 0;
      else if (++run > LONG_WORD_CHARS)
        return PANGO_WRAP_WORD_CHAR;
    }

  return PANGO_WRAP_WORD;
}

void
_cria_markdown_view_set_label_inline (GtkLabel          *label,
                                      CriaMarkdownBlock *owner,
                                      const char        *text,
                                      GArray            *spans,
                                      gboolean           bold)
{
  g_autoptr(PangoAttrList) attrs = NULL;

  if (text == NULL)
    text = "";

  gtk_label_set_wrap_mode (label, wrap_mode_for (text));

  if (has_links (spans))
    {
      g_autofree char *markup = build_link_markup (text, spans);

      gtk_label_set_markup (label, markup);
    }
  else
    {
      gtk_label_set_text (label, text);
    }

  attrs = build_attributes (text, spans, bold);
  if (attrs == NULL && has_math (spans))
    attrs = pango_attr_list_new ();
  cria_math_inline_apply (label, owner, text, spans, bold, attrs, _cria_markdown_view_set_label_inline);

  gtk_label_set_attributes (label, attrs);
}

static gboolean
activate_link_cb (GtkLabel   *label,
                  const char *uri,
                  gpointer    user_data)
{
  const char *scheme = g_uri_peek_scheme (uri);

  /* Links come from model output: only web and mail links are handed to
   * the system, never file: or custom schemes that launch programs. */
  if (g_strcmp0 (scheme, "http") == 0 ||
      g_strcmp0 (scheme, "https") == 0 ||
      g_strcmp0 (scheme, "mailto") == 0)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (label));

      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
    }

  return TRUE;
}

GtkWidget *
_cria_markdown_view_new_text_label (gboolean heading)
{
  GtkWidget *label;

  label = g_object_new (GTK_TYPE_LABEL,
                        "accessible-role", heading ? GTK_ACCESSIBLE_ROLE_HEADING : GTK_ACCESSIBLE_ROLE_LABEL,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_WORD,
                        "xalign", 0.0f,
                        "selectable", TRUE,
                        NULL);
  g_signal_connect (label, "activate-link", G_CALLBACK (activate_link_cb), NULL);

  return label;
}

void
_cria_markdown_view_update_text_label (GtkLabel          *label,
                                       CriaMarkdownBlock *block)
{
  if (block->kind == CRIA_MARKDOWN_BLOCK_HEADING)
    {
      static const char *classes[] = { "title-1", "title-2", "title-3", "title-4", "heading", "heading" };
      const char *css_classes[] = { classes[CLAMP (block->level, 1, 6) - 1], NULL };

      gtk_widget_set_css_classes (GTK_WIDGET (label), css_classes);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LEVEL, (int) CLAMP (block->level, 1, 6),
                                      -1);
    }

  _cria_markdown_view_set_label_inline (label, block, block->text, block->spans, FALSE);
}
