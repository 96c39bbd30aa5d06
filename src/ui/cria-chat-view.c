/* cria-chat-view.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-chat-view-private.h"
#include "cria-message-row.h"
#include "cria-tail-model.h"

/* GTK 4.8's list view builds rows for up to 200 items around what it shows,
 * each a few widgets and a Markdown layout (about a millisecond): a
 * conversation opens with its last messages, enough to fill a window and a
 * little more, and grows upwards 50 at a time. Rows that do not fill the
 * view bring more in at once (wants_more()). */
#define ROWS_AT_OPEN 25
#define ROWS_MORE 50
/* Rows are measured as they come into view: a scroll to a message aims
 * again for this many frames. */
#define SCROLL_TO_FRAMES 4

struct _CriaChatView
{
  GtkWidget          parent_instance;

  CriaConversation  *conversation;
  GListModel        *models;
  /* The end of the conversation that the list view shows: earlier messages
   * come in as the user scrolls up. */
  CriaTailModel     *tail;
  guint              show_more_id;

  gboolean           stick_to_bottom;
  /* The view is moving itself, not the user. */
  gboolean           scrolling;
  double             last_scroll_value;
  guint              scroll_tick_id;

  /* The message to bring into view, for a few frames. */
  char              *scroll_to;
  guint              scroll_frames;
  guint              scroll_to_tick_id;

  GtkStack          *chat_stack;
  GtkScrolledWindow *scroller;
  GtkListView       *list_view;
};

G_DEFINE_FINAL_TYPE (CriaChatView, cria_chat_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONVERSATION,
  PROP_MODELS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Following the newest text: the view sticks to the bottom while an answer
 * streams, lets go the moment the user scrolls up, and holds on again once
 * they are back at the bottom. GTK 4.8 has no gtk_list_view_scroll_to(), so
 * the adjustment is driven directly. */
static gboolean
is_at_bottom (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - 24;
}

static gboolean
scroll_to_bottom_cb (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       user_data)
{
  CriaChatView *self = CRIA_CHAT_VIEW (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_tick_id = 0;
  if (self->stick_to_bottom)
    {
      self->scrolling = TRUE;
      gtk_adjustment_set_value (adjustment,
                                gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
      self->scrolling = FALSE;
    }

  return G_SOURCE_REMOVE;
}

/* Scrolls once the list has its new size: on the next frame, at most once
 * per frame however many tokens arrived. */
static void
queue_scroll_to_bottom (CriaChatView *self)
{
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_bottom_cb, NULL, NULL);
}

/* Earlier messages are wanted when the user has scrolled to within a page of
 * the top, or when the last ones do not even fill the view, so there is
 * nothing to scroll. A view holding on to the bottom is not near the top,
 * even while it passes there as a conversation opens. */
static gboolean
wants_more (CriaChatView  *self,
            GtkAdjustment *adjustment)
{
  double page = gtk_adjustment_get_page_size (adjustment);

  if (self->tail == NULL || cria_tail_model_get_offset (self->tail) == 0 || page <= 0)
    return FALSE;

  if (gtk_adjustment_get_upper (adjustment) <= page)
    return TRUE;

  return !self->stick_to_bottom && gtk_adjustment_get_value (adjustment) < page;
}

static gboolean
show_more_cb (gpointer user_data)
{
  CriaChatView *self = user_data;

  self->show_more_id = 0;
  /* Rows are added above the ones on screen, which stay where they are. */
  if (wants_more (self, gtk_scrolled_window_get_vadjustment (self->scroller)))
    cria_tail_model_show_more (self->tail, ROWS_MORE);

  return G_SOURCE_REMOVE;
}

static void
maybe_show_more (CriaChatView  *self,
                 GtkAdjustment *adjustment)
{
  if (self->show_more_id == 0 && wants_more (self, adjustment))
    self->show_more_id = g_idle_add (show_more_cb, self);
}

static void
adjustment_value_changed_cb (CriaChatView  *self,
                             GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  /* Only a move up lets go; the list view itself nudges the value as rows
   * are measured, which must not count as the user scrolling away. */
  if (!self->scrolling)
    {
      if (is_at_bottom (adjustment))
        self->stick_to_bottom = TRUE;
      else if (value < self->last_scroll_value - 1)
        self->stick_to_bottom = FALSE;
    }

  self->last_scroll_value = value;
  maybe_show_more (self, adjustment);
}

static void
adjustment_upper_changed_cb (CriaChatView  *self,
                             GParamSpec    *pspec,
                             GtkAdjustment *adjustment)
{
  if (self->stick_to_bottom)
    queue_scroll_to_bottom (self);
  maybe_show_more (self, adjustment);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CriaChatView             *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, cria_message_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CriaChatView             *self)
{
  CriaMessageRow *row = CRIA_MESSAGE_ROW (gtk_list_item_get_child (item));

  cria_message_row_set_models (row, self->models);
  cria_message_row_set_history (row, G_LIST_MODEL (self->conversation));
  cria_message_row_set_message (row, gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CriaChatView             *self)
{
  CriaMessageRow *row = CRIA_MESSAGE_ROW (gtk_list_item_get_child (item));

  cria_message_row_set_message (row, NULL);
  cria_message_row_set_history (row, NULL);
}

static void
items_changed_cb (CriaChatView *self)
{
  gtk_stack_set_visible_child_name (self->chat_stack,
                                    self->conversation != NULL &&
                                    g_list_model_get_n_items (G_LIST_MODEL (self->conversation)) > 0
                                    ? "messages" : "empty");
}

static void
stop_scroll_to (CriaChatView *self)
{
  g_clear_pointer (&self->scroll_to, g_free);
  if (self->scroll_to_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_to_tick_id);
  self->scroll_to_tick_id = 0;
}

static gboolean
scroll_to_message_cb (GtkWidget     *widget,
                      GdkFrameClock *frame_clock,
                      gpointer       user_data)
{
  CriaChatView *self = CRIA_CHAT_VIEW (widget);
  GListModel *messages = G_LIST_MODEL (self->conversation);
  guint n;

  g_assert (self->scroll_to != NULL && self->conversation != NULL);

  n = g_list_model_get_n_items (messages);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMessage) message = g_list_model_get_item (messages, i);

      if (g_strcmp0 (cria_message_get_id (message), self->scroll_to) == 0)
        {
          self->stick_to_bottom = FALSE;
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                      cria_tail_model_show_from (self->tail, i));
          break;
        }
    }

  if (++self->scroll_frames < SCROLL_TO_FRAMES)
    return G_SOURCE_CONTINUE;

  self->scroll_to_tick_id = 0;
  g_clear_pointer (&self->scroll_to, g_free);
  return G_SOURCE_REMOVE;
}

static void
cria_chat_view_dispose (GObject *object)
{
  CriaChatView *self = CRIA_CHAT_VIEW (object);

  stop_scroll_to (self);
  if (self->scroll_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
  self->scroll_tick_id = 0;
  g_clear_handle_id (&self->show_more_id, g_source_remove);
  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_data (self->conversation, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_CHAT_VIEW);
  g_clear_object (&self->tail);
  g_clear_object (&self->conversation);
  g_clear_object (&self->models);

  G_OBJECT_CLASS (cria_chat_view_parent_class)->dispose (object);
}

static void
cria_chat_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CriaChatView *self = CRIA_CHAT_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      g_value_set_object (value, self->conversation);
      break;
    case PROP_MODELS:
      g_value_set_object (value, self->models);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_chat_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CriaChatView *self = CRIA_CHAT_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      cria_chat_view_set_conversation (self, g_value_get_object (value));
      break;
    case PROP_MODELS:
      cria_chat_view_set_models (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_chat_view_class_init (CriaChatViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_chat_view_dispose;
  object_class->get_property = cria_chat_view_get_property;
  object_class->set_property = cria_chat_view_set_property;

  properties[PROP_CONVERSATION] =
    g_param_spec_object ("conversation", NULL, NULL, CRIA_TYPE_CONVERSATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODELS] =
    g_param_spec_object ("models", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-chat-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaChatView, chat_stack);
  gtk_widget_class_bind_template_child (widget_class, CriaChatView, scroller);
  gtk_widget_class_bind_template_child (widget_class, CriaChatView, list_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "criachatview");
}

static void
cria_chat_view_init (CriaChatView *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->stick_to_bottom = TRUE;

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "notify::upper", G_CALLBACK (adjustment_upper_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "notify::page-size", G_CALLBACK (adjustment_upper_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
cria_chat_view_new (void)
{
  return g_object_new (CRIA_TYPE_CHAT_VIEW, NULL);
}

CriaConversation *
cria_chat_view_get_conversation (CriaChatView *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_VIEW (self), NULL);

  return self->conversation;
}

void
cria_chat_view_set_conversation (CriaChatView     *self,
                                 CriaConversation *conversation)
{
  g_autoptr(GtkSelectionModel) selection = NULL;
  gboolean changed;

  g_return_if_fail (CRIA_IS_CHAT_VIEW (self));
  g_return_if_fail (conversation == NULL || CRIA_IS_CONVERSATION (conversation));

  /* The same conversation again opens again from its end. */
  stop_scroll_to (self);
  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_data (self->conversation, self);
  changed = g_set_object (&self->conversation, conversation);

  g_clear_handle_id (&self->show_more_id, g_source_remove);
  g_clear_object (&self->tail);
  if (conversation != NULL)
    {
      self->tail = cria_tail_model_new (G_LIST_MODEL (conversation), ROWS_AT_OPEN);
      selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->tail))));
      g_signal_connect_swapped (conversation, "items-changed", G_CALLBACK (items_changed_cb), self);
    }
  gtk_list_view_set_model (self->list_view, selection);

  /* The new list starts at the top: that fall is not the user scrolling up,
   * which would let go of the bottom, leave the conversation open above its
   * end and bring in rows above the tail. */
  self->stick_to_bottom = TRUE;
  self->last_scroll_value = 0;
  items_changed_cb (self);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
}

GListModel *
cria_chat_view_get_models (CriaChatView *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_VIEW (self), NULL);

  return self->models;
}

void
cria_chat_view_set_models (CriaChatView *self,
                           GListModel   *models)
{
  g_return_if_fail (CRIA_IS_CHAT_VIEW (self));
  g_return_if_fail (models == NULL || G_IS_LIST_MODEL (models));

  /* Rows bound from now on name the new models; the ones on screen keep
   * the list they were bound with until they are bound again. */
  if (g_set_object (&self->models, models))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS]);
}

void
cria_chat_view_scroll_to_bottom (CriaChatView *self)
{
  g_return_if_fail (CRIA_IS_CHAT_VIEW (self));

  self->stick_to_bottom = TRUE;
  queue_scroll_to_bottom (self);
}

void
cria_chat_view_scroll_to_message (CriaChatView *self,
                                  const char   *message_id)
{
  g_return_if_fail (CRIA_IS_CHAT_VIEW (self));

  stop_scroll_to (self);
  if (message_id == NULL || self->conversation == NULL)
    return;

  self->scroll_to = g_strdup (message_id);
  self->scroll_frames = 0;
  self->scroll_to_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_message_cb, NULL, NULL);
}

GtkListView *
_cria_chat_view_get_list_view (CriaChatView *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_VIEW (self), NULL);

  return self->list_view;
}

GtkScrolledWindow *
_cria_chat_view_get_scroller (CriaChatView *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_VIEW (self), NULL);

  return self->scroller;
}

GtkStack *
_cria_chat_view_get_stack (CriaChatView *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_VIEW (self), NULL);

  return self->chat_stack;
}

gboolean
_cria_chat_view_get_stick_to_bottom (CriaChatView *self)
{
  g_return_val_if_fail (CRIA_IS_CHAT_VIEW (self), FALSE);

  return self->stick_to_bottom;
}
