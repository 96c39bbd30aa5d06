/* cria-document-lines.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-document-lines.h"
#include "cria-document.h"
#include "cria-format.h"

/* The text went to the model, not into the transcript: a line names it. */
void
cria_document_lines_fill (GtkBox    *box,
                          GPtrArray *documents)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_BOX (box));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);

  gtk_widget_set_visible (GTK_WIDGET (box), documents != NULL && documents->len > 0);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name ("x-office-document-symbolic");
      GtkWidget *name = gtk_label_new (document->name);
      GtkWidget *detail;
      g_autofree char *detail_text = NULL;
      g_autofree char *tokens = cria_format_tokens (document->tokens);
      guint n_pages = cria_document_get_n_pages (document);

      if (cria_document_is_paged (document))
        detail_text = g_strdup_printf (ngettext ("%u page", "%u pages", n_pages), n_pages);
      else
        detail_text = g_strdup_printf (_("about %s tokens"), tokens);
      detail = gtk_label_new (detail_text);
      /* A file name is the user's text: never markup (a GtkLabel's default). */
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_widget_add_css_class (detail, "caption");
      gtk_box_append (GTK_BOX (line), icon);
      gtk_box_append (GTK_BOX (line), name);
      gtk_box_append (GTK_BOX (line), detail);
      gtk_box_append (box, line);
    }
}
