/* cria-sidebar-row.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-sidebar-row.h"

struct _CriaSidebarRow
{
  GtkWidget             parent_instance;

  CriaConversationInfo *info;
  GMenuModel           *row_menu;
  GtkLabel             *heading_label;
  GtkLabel             *title_label;
  GtkLabel             *snippet_label;
  GtkImage             *pin_icon;
  GtkMenuButton        *menu_button;
};

G_DEFINE_FINAL_TYPE (CriaSidebarRow, cria_sidebar_row, GTK_TYPE_WIDGET)

static const char *
display_title (const char *title)
{
  return title != NULL && *title != '\0' ? title : _("Untitled");
}

/* The menu acts on this row's conversation: its items carry the id. */
static GMenuModel *
make_menu (CriaSidebarRow *self,
           const char     *id)
{
  GMenu *menu = g_menu_new ();
  const int n_sections = g_menu_model_get_n_items (self->row_menu);

  for (int s = 0; s < n_sections; s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (self->row_menu, s, G_MENU_LINK_SECTION);
      g_autoptr(GMenu) copy = g_menu_new ();

      for (int i = 0; i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *label = NULL;
          g_autofree char *action = NULL;
          g_autoptr(GMenuItem) item = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          if (g_str_equal (action, "win.pin-conversation") && self->info != NULL &&
              cria_conversation_info_get_pinned (self->info))
            {
              g_free (label);
              label = g_strdup (_("_Unpin"));
            }
          item = g_menu_item_new (label, NULL);
          g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
          g_menu_append_item (copy, item);
        }
      g_menu_append_section (menu, NULL, G_MENU_MODEL (copy));
    }

  return G_MENU_MODEL (menu);
}

/* The menu is made when it opens: a sidebar binds up to a couple of hundred
 * rows at once, and most menus are never opened. */
static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  CriaSidebarRow *self = CRIA_SIDEBAR_ROW (user_data);
  g_autoptr(GMenuModel) menu = NULL;

  if (self->info == NULL)
    return;

  menu = make_menu (self, cria_conversation_info_get_id (self->info));
  gtk_menu_button_set_menu_model (button, menu);
}

static void
update (CriaSidebarRow *self)
{
  const char *title;

  if (self->info == NULL)
    return;

  title = display_title (cria_conversation_info_get_title (self->info));
  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_icon), cria_conversation_info_get_pinned (self->info));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

void
cria_sidebar_row_set_info (CriaSidebarRow       *self,
                           CriaConversationInfo *info)
{
  g_return_if_fail (CRIA_IS_SIDEBAR_ROW (self));

  if (self->info != NULL)
    g_signal_handlers_disconnect_by_data (self->info, self);
  g_set_object (&self->info, info);

  gtk_widget_set_visible (GTK_WIDGET (self->snippet_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), info != NULL);
  if (info == NULL)
    return;

  g_signal_connect_object (info, "notify::title", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (info, "notify::pinned", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

CriaConversationInfo *
cria_sidebar_row_get_info (CriaSidebarRow *self)
{
  g_return_val_if_fail (CRIA_IS_SIDEBAR_ROW (self), NULL);

  return self->info;
}

void
cria_sidebar_row_set_hit (CriaSidebarRow *self,
                          CriaSearchHit  *hit)
{
  const char *title;

  g_return_if_fail (CRIA_IS_SIDEBAR_ROW (self));

  cria_sidebar_row_set_info (self, NULL);
  cria_sidebar_row_set_heading (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_icon), FALSE);
  if (hit == NULL)
    return;

  title = display_title (cria_search_hit_get_title (hit));
  gtk_label_set_text (self->title_label, title);
  /* The snippet is markup the store made: escaped text, <b> around matches. */
  gtk_label_set_markup (self->snippet_label, cria_search_hit_get_snippet_markup (hit));
  gtk_widget_set_visible (GTK_WIDGET (self->snippet_label), cria_search_hit_get_message_id (hit) != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

void
cria_sidebar_row_set_heading (CriaSidebarRow *self,
                              const char     *heading)
{
  g_return_if_fail (CRIA_IS_SIDEBAR_ROW (self));

  gtk_label_set_text (self->heading_label, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->heading_label), heading != NULL);
}

const char *
cria_sidebar_row_get_heading (CriaSidebarRow *self)
{
  g_return_val_if_fail (CRIA_IS_SIDEBAR_ROW (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->heading_label))
         ? gtk_label_get_text (self->heading_label) : NULL;
}

const char *
cria_sidebar_row_get_title (CriaSidebarRow *self)
{
  g_return_val_if_fail (CRIA_IS_SIDEBAR_ROW (self), NULL);

  return gtk_label_get_text (self->title_label);
}

static void
cria_sidebar_row_dispose (GObject *object)
{
  GtkWidget *child;
  CriaSidebarRow *self = CRIA_SIDEBAR_ROW (object);

  if (self->info != NULL)
    g_signal_handlers_disconnect_by_data (self->info, self);
  g_clear_object (&self->info);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_SIDEBAR_ROW);
  /* The template's top box is a child of ours, not bound to a field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cria_sidebar_row_parent_class)->dispose (object);
}

static void
cria_sidebar_row_class_init (CriaSidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_sidebar_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-sidebar-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaSidebarRow, row_menu);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebarRow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebarRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebarRow, snippet_label);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebarRow, pin_icon);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebarRow, menu_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "criasidebarrow");
}

static void
cria_sidebar_row_init (CriaSidebarRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, self, NULL);
}

GtkWidget *
cria_sidebar_row_new (void)
{
  return g_object_new (CRIA_TYPE_SIDEBAR_ROW, NULL);
}
