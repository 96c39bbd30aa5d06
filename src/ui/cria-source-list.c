/* cria-source-list.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "cria-source.h"
#include "cria-source-list.h"

struct _CriaSourceList
{
  GtkWidget   parent_instance;

  GPtrArray  *sources;
  GtkListBox *list;
  /* The passage shown, weakly: it closes on its own. */
  GtkWindow  *passage_window;
};

G_DEFINE_FINAL_TYPE (CriaSourceList, cria_source_list, GTK_TYPE_WIDGET)

/* "page N" for a paged document; a text file is one running text, page 1,
 * and says so too: the page is where to look. */
static char *
describe_page (CriaSource *source)
{
  return g_strdup_printf (_("page %u"), cria_source_get_page (source));
}

static void
passage_window_destroyed_cb (gpointer  data,
                             GObject  *where_the_object_was)
{
  CriaSourceList *self = data;

  if ((GObject *) self->passage_window == where_the_object_was)
    self->passage_window = NULL;
}

static void
forget_passage_window (CriaSourceList *self)
{
  if (self->passage_window != NULL)
    {
      g_object_weak_unref (G_OBJECT (self->passage_window), passage_window_destroyed_cb, self);
      self->passage_window = NULL;
    }
}

/* A window of its own rather than a popover: a passage is a few hundred
 * words, which a narrow window shows better full size, and Escape closes it. */
static void
show_passage (CriaSourceList *self,
              CriaSource     *source)
{
  g_autofree char *page = describe_page (source);
  g_autofree char *title = g_strdup_printf (_("%s, %s"), cria_source_get_document_name (source), page);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (cria_source_get_document_name (source));
  GtkWidget *subtitle = gtk_label_new (page);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *text = gtk_text_view_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkEventController *keys = gtk_shortcut_controller_new ();

  if (self->passage_window != NULL)
    {
      GtkWindow *old = self->passage_window;

      forget_passage_window (self);
      gtk_window_destroy (old);
    }

  /* Document names are the user's text: plain labels, never markup. */
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 420);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (name, "title");
  gtk_widget_add_css_class (subtitle, "subtitle");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (heading), name);
  gtk_box_append (GTK_BOX (heading), subtitle);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), heading);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), cria_source_get_text (source), -1);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (text), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (text), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (text), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (text), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (text), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (text), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (text), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Passage"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), text);
  gtk_widget_set_vexpand (scrolled, TRUE);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, keys);

  self->passage_window = GTK_WINDOW (window);
  g_object_weak_ref (G_OBJECT (window), passage_window_destroyed_cb, self);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (text);
}

static void
row_activated_cb (CriaSourceList *self,
                  GtkListBoxRow  *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0 && (guint) index < self->sources->len)
    show_passage (self, g_ptr_array_index (self->sources, index));
}

static GtkWidget *
make_row (CriaSource *source)
{
  g_autofree char *page = describe_page (source);
  g_autofree char *accessible = g_strdup_printf (_("%s, %s"), cria_source_get_document_name (source), page);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("x-office-document-symbolic");
  GtkWidget *name = gtk_label_new (cria_source_get_document_name (source));
  GtkWidget *page_label = gtk_label_new (page);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (page_label, "dim-label");
  gtk_widget_add_css_class (page_label, "caption");
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), page_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Show the passage"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Show the passage"),
                                  -1);

  return row;
}

static void
cria_source_list_dispose (GObject *object)
{
  CriaSourceList *self = CRIA_SOURCE_LIST (object);
  GtkWidget *child;

  if (self->passage_window != NULL)
    {
      GtkWindow *window = self->passage_window;

      forget_passage_window (self);
      gtk_window_destroy (window);
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->sources, g_ptr_array_unref);

  G_OBJECT_CLASS (cria_source_list_parent_class)->dispose (object);
}

static void
cria_source_list_class_init (CriaSourceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_source_list_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cria-sources");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cria_source_list_init (CriaSourceList *self)
{
  GtkWidget *heading = gtk_label_new (_("Sources"));
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 4);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_source_unref);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_parent (heading, GTK_WIDGET (self));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sources"), -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL, -1);
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_parent (GTK_WIDGET (self->list), GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sources"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
cria_source_list_new (void)
{
  return g_object_new (CRIA_TYPE_SOURCE_LIST, NULL);
}

void
cria_source_list_set_sources (CriaSourceList *self,
                              GPtrArray      *sources)
{
  GtkWidget *row;

  g_return_if_fail (CRIA_IS_SOURCE_LIST (self));

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, row);
  g_ptr_array_set_size (self->sources, 0);

  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      CriaSource *source = g_ptr_array_index (sources, i);

      g_ptr_array_add (self->sources, cria_source_ref (source));
      gtk_list_box_append (self->list, make_row (source));
    }

  gtk_widget_set_visible (GTK_WIDGET (self), self->sources->len > 0);
}

guint
cria_source_list_get_n_sources (CriaSourceList *self)
{
  g_return_val_if_fail (CRIA_IS_SOURCE_LIST (self), 0);

  return self->sources->len;
}

GtkWidget *
cria_source_list_get_row (CriaSourceList *self,
                          guint           index)
{
  g_return_val_if_fail (CRIA_IS_SOURCE_LIST (self), NULL);

  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, index));
}

GtkWindow *
cria_source_list_get_passage_window (CriaSourceList *self)
{
  g_return_val_if_fail (CRIA_IS_SOURCE_LIST (self), NULL);

  return self->passage_window;
}
