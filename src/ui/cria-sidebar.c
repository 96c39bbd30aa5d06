/* cria-sidebar.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-conversation-info.h"
#include "cria-search-hit.h"
#include "cria-sidebar-private.h"
#include "cria-sidebar-row.h"
#include "cria-store.h"

struct _CriaSidebar
{
  GtkWidget       parent_instance;

  GListModel     *conversations;
  GListModel     *results;
  /* The list items showing a row now, whose headings follow changes. */
  GHashTable     *bound;
  guint           headings_id;

  GtkSearchEntry *search_entry;
  GtkStack       *stack;
  GtkListView    *list_view;
  GtkListView    *results_view;
  GtkLabel       *empty_label;
};

G_DEFINE_FINAL_TYPE (CriaSidebar, cria_sidebar, GTK_TYPE_WIDGET)

enum {
  CONVERSATION_ACTIVATED,
  HIT_ACTIVATED,
  SEARCH_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
_cria_sidebar_group_label (gint64     updated,
                           gboolean   pinned,
                           GDateTime *now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) today = NULL;
  GTimeSpan age;

  if (pinned)
    return g_strdup (_("Pinned"));

  utc = g_date_time_new_from_unix_utc (updated / G_USEC_PER_SEC);
  then = g_date_time_to_timezone (utc, g_date_time_get_timezone (now));
  today = g_date_time_new (g_date_time_get_timezone (now),
                           g_date_time_get_year (now), g_date_time_get_month (now),
                           g_date_time_get_day_of_month (now), 0, 0, 0);
  age = g_date_time_difference (today, then);

  if (age <= 0)
    return g_strdup (_("Today"));
  if (age <= G_TIME_SPAN_DAY)
    return g_strdup (_("Yesterday"));
  if (age <= 7 * G_TIME_SPAN_DAY)
    return g_strdup (_("Previous 7 Days"));

  /* Translators: a heading over older conversations: month and year, see g_date_time_format() */
  return g_date_time_format (then, _("%B %Y"));
}

static char *
heading_for (CriaSidebar *self,
             guint        position,
             GDateTime   *now)
{
  g_autoptr(CriaConversationInfo) info = NULL;
  g_autoptr(CriaConversationInfo) previous = NULL;
  g_autofree char *label = NULL;
  g_autofree char *previous_label = NULL;

  if (self->conversations == NULL || position == GTK_INVALID_LIST_POSITION)
    return NULL;

  info = g_list_model_get_item (self->conversations, position);
  if (info == NULL)
    return NULL;

  label = _cria_sidebar_group_label (cria_conversation_info_get_updated (info),
                                     cria_conversation_info_get_pinned (info), now);
  if (position == 0)
    return g_steal_pointer (&label);

  previous = g_list_model_get_item (self->conversations, position - 1);
  previous_label = _cria_sidebar_group_label (cria_conversation_info_get_updated (previous),
                                              cria_conversation_info_get_pinned (previous), now);

  return g_strcmp0 (label, previous_label) != 0 ? g_steal_pointer (&label) : NULL;
}

static void
update_heading (CriaSidebar *self,
                GtkListItem *item,
                GDateTime   *now)
{
  g_autofree char *heading = heading_for (self, gtk_list_item_get_position (item), now);

  cria_sidebar_row_set_heading (CRIA_SIDEBAR_ROW (gtk_list_item_get_child (item)), heading);
}

static gboolean
update_headings_cb (gpointer user_data)
{
  CriaSidebar *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GHashTableIter iter;
  gpointer item;

  self->headings_id = 0;
  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    update_heading (self, item, now);

  return G_SOURCE_REMOVE;
}

static void
update_view (CriaSidebar *self)
{
  if (self->results != NULL)
    {
      gboolean any = g_list_model_get_n_items (self->results) > 0;

      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

      /* One letter looks at titles only (cria_store_search_async()). */
      if (cria_store_search_reaches_messages (text))
        gtk_label_set_text (self->empty_label, _("No conversation matches."));
      else
        gtk_label_set_text (self->empty_label, _("No title matches. Type more to search messages too."));
      gtk_stack_set_visible_child_name (self->stack, any ? "results" : "empty");
    }
  else
    {
      gboolean any = self->conversations != NULL && g_list_model_get_n_items (self->conversations) > 0;

      gtk_label_set_text (self->empty_label, _("Your conversations will be listed here."));
      gtk_stack_set_visible_child_name (self->stack, any ? "list" : "empty");
    }
}

static void
conversations_changed_cb (CriaSidebar *self)
{
  /* Rows next to a change may gain or lose their heading; the list view
   * moves its items first. */
  if (self->headings_id == 0)
    self->headings_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_headings_cb, self, NULL);
  update_view (self);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          CriaSidebar              *self)
{
  gtk_list_item_set_child (item, cria_sidebar_row_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         CriaSidebar              *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  cria_sidebar_row_set_info (CRIA_SIDEBAR_ROW (gtk_list_item_get_child (item)), gtk_list_item_get_item (item));
  update_heading (self, item, now);
  g_hash_table_add (self->bound, item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           CriaSidebar              *self)
{
  g_hash_table_remove (self->bound, item);
  cria_sidebar_row_set_info (CRIA_SIDEBAR_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
bind_hit_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CriaSidebar              *self)
{
  CriaSearchHit *hit = gtk_list_item_get_item (item);
  CriaSidebarRow *row = CRIA_SIDEBAR_ROW (gtk_list_item_get_child (item));
  guint position = gtk_list_item_get_position (item);

  cria_sidebar_row_set_hit (row, hit);

  /* The conversations found by meaning come after the word hits, under a
   * heading of their own. */
  if (cria_search_hit_get_by_meaning (hit))
    {
      g_autoptr(CriaSearchHit) before = position > 0 ? g_list_model_get_item (self->results, position - 1) : NULL;

      if (before == NULL || !cria_search_hit_get_by_meaning (before))
        /* Translators: the heading of search results found by meaning rather than by their words */
        cria_sidebar_row_set_heading (row, _("Related"));
    }
}

static void
unbind_hit_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CriaSidebar              *self)
{
  cria_sidebar_row_set_hit (CRIA_SIDEBAR_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
list_activate_cb (CriaSidebar *self,
                  guint        position)
{
  g_autoptr(CriaConversationInfo) info = g_list_model_get_item (self->conversations, position);

  if (info != NULL)
    g_signal_emit (self, signals[CONVERSATION_ACTIVATED], 0, cria_conversation_info_get_id (info));
}

static void
results_activate_cb (CriaSidebar *self,
                     guint        position)
{
  g_autoptr(CriaSearchHit) hit = NULL;

  if (self->results == NULL)
    return;

  hit = g_list_model_get_item (self->results, position);
  if (hit != NULL)
    g_signal_emit (self, signals[HIT_ACTIVATED], 0,
                   cria_search_hit_get_conversation_id (hit), cria_search_hit_get_message_id (hit));
}

static void
search_changed_cb (CriaSidebar *self)
{
  g_signal_emit (self, signals[SEARCH_CHANGED], 0, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
stop_search_cb (CriaSidebar *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static GtkListItemFactory *
make_factory (CriaSidebar *self,
              GCallback    bind,
              GCallback    unbind)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", bind, self);
  g_signal_connect (factory, "unbind", unbind, self);

  return factory;
}

static void
cria_sidebar_dispose (GObject *object)
{
  GtkWidget *child;
  CriaSidebar *self = CRIA_SIDEBAR (object);

  g_clear_handle_id (&self->headings_id, g_source_remove);
  if (self->conversations != NULL)
    g_signal_handlers_disconnect_by_data (self->conversations, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_SIDEBAR);
  /* The template's top box is a child of ours, not bound to a field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->conversations);
  g_clear_object (&self->results);
  g_clear_pointer (&self->bound, g_hash_table_unref);

  G_OBJECT_CLASS (cria_sidebar_parent_class)->dispose (object);
}

static void
cria_sidebar_class_init (CriaSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_sidebar_dispose;

  /**
   * CriaSidebar::conversation-activated:
   * @id: the conversation to open
   */
  signals[CONVERSATION_ACTIVATED] =
    g_signal_new ("conversation-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CriaSidebar::hit-activated:
   * @conversation_id: the conversation to open
   * @message_id: (nullable): the message to show, NULL for a title
   */
  signals[HIT_ACTIVATED] =
    g_signal_new ("hit-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * CriaSidebar::search-changed:
   * @text: what to search for, as typed
   */
  signals[SEARCH_CHANGED] =
    g_signal_new ("search-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebar, results_view);
  gtk_widget_class_bind_template_child (widget_class, CriaSidebar, empty_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "criasidebar");
}

static void
cria_sidebar_init (CriaSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkListItemFactory) hit_factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->bound = g_hash_table_new (NULL, NULL);

  factory = make_factory (self, G_CALLBACK (bind_cb), G_CALLBACK (unbind_cb));
  gtk_list_view_set_factory (self->list_view, factory);
  hit_factory = make_factory (self, G_CALLBACK (bind_hit_cb), G_CALLBACK (unbind_hit_cb));
  gtk_list_view_set_factory (self->results_view, hit_factory);

  gtk_search_entry_set_search_delay (self->search_entry, 80);
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (list_activate_cb), self);
  g_signal_connect_swapped (self->results_view, "activate", G_CALLBACK (results_activate_cb), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  update_view (self);
}

GtkWidget *
cria_sidebar_new (void)
{
  return g_object_new (CRIA_TYPE_SIDEBAR, NULL);
}

void
cria_sidebar_set_conversations (CriaSidebar *self,
                                GListModel  *conversations)
{
  g_autoptr(GtkSelectionModel) selection = NULL;

  g_return_if_fail (CRIA_IS_SIDEBAR (self));
  g_return_if_fail (conversations == NULL || G_IS_LIST_MODEL (conversations));

  if (self->conversations != NULL)
    g_signal_handlers_disconnect_by_data (self->conversations, self);
  g_set_object (&self->conversations, conversations);

  if (conversations != NULL)
    {
      selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (conversations)));
      g_signal_connect_object (conversations, "items-changed", G_CALLBACK (conversations_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_list_view_set_model (self->list_view, selection);
  update_view (self);
}

void
cria_sidebar_set_results (CriaSidebar *self,
                          GListModel  *results)
{
  g_autoptr(GtkSelectionModel) selection = NULL;

  g_return_if_fail (CRIA_IS_SIDEBAR (self));
  g_return_if_fail (results == NULL || G_IS_LIST_MODEL (results));

  g_set_object (&self->results, results);
  if (results != NULL)
    selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (results)));
  gtk_list_view_set_model (self->results_view, selection);
  update_view (self);
}

const char *
cria_sidebar_get_search_text (CriaSidebar *self)
{
  g_return_val_if_fail (CRIA_IS_SIDEBAR (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

void
cria_sidebar_focus_search (CriaSidebar *self)
{
  g_return_if_fail (CRIA_IS_SIDEBAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
