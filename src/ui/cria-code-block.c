/* cria-code-block.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "cria-code-block.h"

struct _CriaCodeBlock
{
  GtkWidget        parent_instance;

  GtkWidget       *header;
  GtkLabel        *language_label;
  GtkWidget       *copy_button;
  GtkWidget       *scroller;
  GtkSourceView   *source_view;

  GtkSourceBuffer *buffer;
  char            *language;
  /* A copy of the buffer's text, so that streaming updates can tell an
   * append from a rewrite without asking the buffer for all of its text. */
  GString         *code;
};

G_DEFINE_FINAL_TYPE (CriaCodeBlock, cria_code_block, GTK_TYPE_WIDGET)

/* Fence info words that differ from GtkSourceView's language ids. */
static const struct
{
  const char *alias;
  const char *id;
} language_aliases[] = {
  { "py", "python" },
  { "js", "js" },
  { "javascript", "js" },
  { "ts", "typescript" },
  { "sh", "sh" },
  { "bash", "sh" },
  { "shell", "sh" },
  { "zsh", "sh" },
  { "c++", "cpp" },
  { "yml", "yaml" },
  { "md", "markdown" },
  { "rs", "rust" },
  { "golang", "go" },
};

static GtkSourceLanguage *
lookup_language (const char *language)
{
  GtkSourceLanguageManager *manager;
  g_autofree char *id = NULL;

  if (language == NULL || language[0] == '\0')
    return NULL;

  id = g_ascii_strdown (language, -1);
  for (guint i = 0; i < G_N_ELEMENTS (language_aliases); i++)
    {
      if (strcmp (id, language_aliases[i].alias) == 0)
        {
          g_free (id);
          id = g_strdup (language_aliases[i].id);
          break;
        }
    }

  manager = gtk_source_language_manager_get_default ();
  return gtk_source_language_manager_get_language (manager, id);
}

static void
update_style_scheme (CriaCodeBlock *self)
{
  GtkSourceStyleSchemeManager *manager;
  GtkSourceStyleScheme *scheme;
  gboolean dark = FALSE;

  /* The style manager only exists once libadwaita is initialised, which a
   * bare GTK program (a test) may not have done. */
  if (adw_is_initialized ())
    dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  manager = gtk_source_style_scheme_manager_get_default ();
  scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
  gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

static void
dark_changed_cb (CriaCodeBlock *self)
{
  update_style_scheme (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CriaCodeBlock *self = CRIA_CODE_BLOCK (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->code->str);
}

static void
cria_code_block_dispose (GObject *object)
{
  CriaCodeBlock *self = (CriaCodeBlock *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_CODE_BLOCK);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (cria_code_block_parent_class)->dispose (object);
}

static void
cria_code_block_finalize (GObject *object)
{
  CriaCodeBlock *self = (CriaCodeBlock *) object;

  g_clear_pointer (&self->language, g_free);
  g_string_free (self->code, TRUE);

  G_OBJECT_CLASS (cria_code_block_parent_class)->finalize (object);
}

static void
cria_code_block_class_init (CriaCodeBlockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_code_block_dispose;
  object_class->finalize = cria_code_block_finalize;

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-code-block.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaCodeBlock, header);
  gtk_widget_class_bind_template_child (widget_class, CriaCodeBlock, language_label);
  gtk_widget_class_bind_template_child (widget_class, CriaCodeBlock, copy_button);
  gtk_widget_class_bind_template_child (widget_class, CriaCodeBlock, scroller);
  gtk_widget_class_bind_template_child (widget_class, CriaCodeBlock, source_view);

  gtk_widget_class_install_action (widget_class, "code-block.copy", NULL, copy_action);

  gtk_widget_class_set_css_name (widget_class, "codeblock");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cria_code_block_init (CriaCodeBlock *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->code = g_string_new (NULL);
  self->buffer = gtk_source_buffer_new (NULL);
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->source_view), GTK_TEXT_BUFFER (self->buffer));

  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
}

GtkWidget *
cria_code_block_new (void)
{
  return g_object_new (CRIA_TYPE_CODE_BLOCK, NULL);
}

void
cria_code_block_set_code (CriaCodeBlock *self,
                          const char    *language,
                          const char    *text)
{
  GtkTextBuffer *buffer;
  gsize len;

  g_return_if_fail (CRIA_IS_CODE_BLOCK (self));

  if (text == NULL)
    text = "";

  if (g_strcmp0 (language, self->language) != 0)
    {
      g_free (self->language);
      self->language = g_strdup (language);

      /* The info word is untrusted text, but a label without markup shows it
       * literally. */
      if (language != NULL && language[0] != '\0')
        gtk_label_set_text (self->language_label, language);
      else
        gtk_label_set_text (self->language_label, _("Code"));
      gtk_source_buffer_set_language (self->buffer, lookup_language (language));
    }

  buffer = GTK_TEXT_BUFFER (self->buffer);
  len = strlen (text);

  if (len == self->code->len && memcmp (text, self->code->str, len) == 0)
    return;

  /* A streaming block only grows: inserting the new end keeps the
   * highlighter from starting over on every frame. */
  if (len > self->code->len && memcmp (text, self->code->str, self->code->len) == 0)
    {
      GtkTextIter end;

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, text + self->code->len, len - self->code->len);
    }
  else
    {
      gtk_text_buffer_set_text (buffer, text, len);
    }

  g_string_assign (self->code, text);
}

const char *
cria_code_block_get_language (CriaCodeBlock *self)
{
  g_return_val_if_fail (CRIA_IS_CODE_BLOCK (self), NULL);

  return self->language;
}

const char *
cria_code_block_get_code (CriaCodeBlock *self)
{
  g_return_val_if_fail (CRIA_IS_CODE_BLOCK (self), NULL);

  return self->code->str;
}
