/* cria-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cria-catalogue.h"
#include "cria-config.h"
#include "cria-format.h"
#include "cria-key-store.h"
#include "cria-message-row.h"
#include "cria-model-picker.h"
#include "cria-secret.h"
#include "cria-welcome-page.h"
#include "cria-window-private.h"

G_DEFINE_FINAL_TYPE (CriaWindow, cria_window, ADW_TYPE_APPLICATION_WINDOW)

static CriaClient *
get_client (CriaWindow *self)
{
  return self->client;
}

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
  CriaWindow *self = CRIA_WINDOW (widget);
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
queue_scroll_to_bottom (CriaWindow *self)
{
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_bottom_cb, NULL, NULL);
}

/* GTK 4.8's list view builds rows for up to 200 items around what it shows,
 * each a few widgets and a Markdown layout: a conversation opens with its
 * last messages and grows upwards by as many at a time. */
#define ROWS_AT_OPEN 50
#define ROWS_MORE 50

/* Earlier messages are wanted when the user has scrolled to within a page of
 * the top, or when the last ones do not even fill the view, so there is
 * nothing to scroll. A view holding on to the bottom is not near the top,
 * even while it passes there as a conversation opens. */
static gboolean
wants_more (CriaWindow    *self,
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
  CriaWindow *self = user_data;

  self->show_more_id = 0;
  /* Rows are added above the ones on screen, which stay where they are. */
  if (wants_more (self, gtk_scrolled_window_get_vadjustment (self->scroller)))
    cria_tail_model_show_more (self->tail, ROWS_MORE);

  return G_SOURCE_REMOVE;
}

static void
maybe_show_more (CriaWindow    *self,
                 GtkAdjustment *adjustment)
{
  if (self->show_more_id == 0 && wants_more (self, adjustment))
    self->show_more_id = g_idle_add (show_more_cb, self);
}

static void
adjustment_value_changed_cb (CriaWindow    *self,
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
adjustment_upper_changed_cb (CriaWindow    *self,
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
              CriaWindow               *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, cria_message_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CriaWindow               *self)
{
  CriaMessageRow *row = CRIA_MESSAGE_ROW (gtk_list_item_get_child (item));

  cria_message_row_set_models (row, self->models);
  cria_message_row_set_history (row, G_LIST_MODEL (self->conversation));
  cria_message_row_set_message (row, gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CriaWindow               *self)
{
  CriaMessageRow *row = CRIA_MESSAGE_ROW (gtk_list_item_get_child (item));

  cria_message_row_set_message (row, NULL);
  cria_message_row_set_history (row, NULL);
}

/* Never %NULL: the total is a sum of known costs, zero or more. */
static char *
format_cost (double   cost,
             gboolean estimated)
{
  if (estimated)
    return cria_format_estimated_cost (cost);

  return cria_format_cost (cost);
}

static void
update_cost (CriaWindow *self)
{
  double cost = cria_conversation_get_total_cost (self->conversation);
  gboolean estimated = cria_conversation_get_total_cost_estimated (self->conversation);
  g_autofree char *text = format_cost (cost, estimated);

  gtk_label_set_text (self->cost_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label),
                               estimated ? _("Cost of this conversation, partly estimated: the server did not report every token count")
                                         : _("Cost of this conversation"));
  gtk_widget_set_visible (GTK_WIDGET (self->cost_label), cost > 0);
}

static CriaModel *
current_model (CriaWindow *self)
{
  const char *id = cria_conversation_get_model_id (self->conversation);

  return id != NULL && self->models != NULL ? cria_catalogue_find (self->models, id) : NULL;
}

void
_cria_window_update_context (CriaWindow *self)
{
  CriaModel *model;
  gint64 window;
  gint64 used;
  guint omitted;
  g_autofree char *text = NULL;
  g_autofree char *composer_text = NULL;

  if (self->conversation == NULL)
    return;

  model = current_model (self);
  window = model != NULL ? cria_model_get_context_length (model) : 0;
  used = cria_conversation_get_context_tokens (self->conversation);
  omitted = cria_conversation_get_n_omitted_messages (self->conversation);
  composer_text = _cria_window_dup_composer_text (self);

  gtk_level_bar_set_value (self->context_meter, window > 0 ? MIN (1.0, used / (double) window) : 0);
  gtk_widget_set_visible (GTK_WIDGET (self->context_meter), window > 0);
  if (window > 0)
    {
      /* In the locale's digit grouping; formatted first, as xgettext
       * can't read G_GINT64_FORMAT. */
      g_autofree char *used_text = cria_format_tokens (used);
      g_autofree char *window_text = cria_format_tokens (window);
      g_autofree char *tooltip = g_strdup_printf (ngettext ("About %s of %s token of context used",
                                                            "About %s of %s tokens of context used",
                                                            (gulong) window),
                                                  used_text, window_text);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->context_meter), tooltip);
    }

  if (*composer_text != '\0' && cria_conversation_would_overflow (self->conversation, composer_text))
    text = g_strdup (_("This message does not fit the model’s context window with the whole conversation: the oldest turns will be left out."));
  else if (omitted > 0)
    text = g_strdup_printf (ngettext ("%u older message was left out to fit the model’s context window.",
                                      "%u older messages were left out to fit the model’s context window.",
                                      omitted),
                            omitted);

  gtk_label_set_text (self->context_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->context_label), text != NULL);
}

static void
items_changed_cb (CriaWindow *self)
{
  gtk_stack_set_visible_child_name (self->chat_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->conversation)) > 0
                                    ? "messages" : "empty");
  _cria_window_update_context (self);
}

static void
model_id_changed_cb (CriaWindow *self)
{
  const char *id = cria_conversation_get_model_id (self->conversation);

  /* The last model used is the default for the next new chat. */
  if (id != NULL && *id != '\0')
    g_settings_set_string (self->settings, "default-model", id);
  _cria_window_update_context (self);
}

void
_cria_window_set_conversation (CriaWindow       *self,
                               CriaConversation *conversation)
{
  g_autoptr(GtkSelectionModel) selection = NULL;

  if (self->conversation != NULL)
    {
      cria_conversation_stop (self->conversation);
      g_signal_handlers_disconnect_by_data (self->conversation, self);
    }
  g_clear_pointer (&self->model_binding, g_binding_unbind);
  g_set_object (&self->conversation, conversation);

  g_clear_handle_id (&self->show_more_id, g_source_remove);
  g_clear_object (&self->tail);
  self->tail = cria_tail_model_new (G_LIST_MODEL (conversation), ROWS_AT_OPEN);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->tail))));
  gtk_list_view_set_model (self->list_view, selection);
  self->model_binding = g_object_bind_property (conversation, "model-id",
                                                self->model_picker, "selected-model-id",
                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_signal_connect_swapped (conversation, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect_swapped (conversation, "notify::busy", G_CALLBACK (_cria_window_update_actions), self);
  g_signal_connect_swapped (conversation, "notify::busy", G_CALLBACK (_cria_window_busy_changed), self);
  g_signal_connect_swapped (conversation, "notify::total-cost", G_CALLBACK (update_cost), self);
  g_signal_connect_swapped (conversation, "notify::total-cost-estimated", G_CALLBACK (update_cost), self);
  g_signal_connect_swapped (conversation, "notify::context-tokens", G_CALLBACK (_cria_window_update_context), self);
  g_signal_connect_swapped (conversation, "notify::n-omitted-messages", G_CALLBACK (_cria_window_update_context), self);
  g_signal_connect_swapped (conversation, "notify::model-id", G_CALLBACK (model_id_changed_cb), self);

  self->stick_to_bottom = TRUE;
  items_changed_cb (self);
  update_cost (self);
  _cria_window_update_actions (self);
  _cria_window_history_attach (self, conversation);
}

void
_cria_window_new_conversation (CriaWindow *self)
{
  g_autoptr(CriaConversation) conversation = NULL;
  g_autofree char *model = g_settings_get_string (self->settings, "default-model");
  g_autofree char *system_prompt = g_settings_get_string (self->settings, "system-prompt");

  conversation = cria_conversation_new (get_client (self), self->models);
  cria_conversation_set_model_id (conversation, model);
  if (!g_settings_get_boolean (self->settings, "use-server-temperature"))
    cria_conversation_set_temperature (conversation, g_settings_get_double (self->settings, "temperature"));
  cria_conversation_set_max_tokens (conversation, g_settings_get_int (self->settings, "max-tokens"));
  if (*system_prompt != '\0')
    cria_conversation_set_system_prompt (conversation, system_prompt);
  _cria_window_set_conversation (self, conversation);
}

static void
set_models (CriaWindow *self,
            GListModel *models)
{
  g_set_object (&self->models, models);
  g_object_set (self->model_picker, "models", models, NULL);
  if (self->conversation != NULL)
    cria_conversation_set_models (self->conversation, models);
  _cria_window_update_context (self);
}

static gboolean
retry_models_cb (gpointer user_data)
{
  CriaWindow *self = user_data;

  self->retry_id = 0;
  _cria_window_refresh_models (self);

  return G_SOURCE_REMOVE;
}

static void
models_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;

  models = cria_client_list_models_finish (CRIA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (models == NULL)
    {
      g_autofree char *text = NULL;

      /* The bundled catalogue still fills the picker; the banner says why
       * the list may be out of date, and Cria keeps trying, backing off. */
      self->retry_delay = CLAMP (self->retry_delay * 2, 5, 300);
      text = g_strdup_printf (ngettext ("%s Trying again in %u second.",
                                        "%s Trying again in %u seconds.",
                                        self->retry_delay),
                              error->message, self->retry_delay);
      gtk_label_set_text (self->banner_label, text);
      gtk_revealer_set_reveal_child (self->banner, TRUE);
      g_clear_handle_id (&self->retry_id, g_source_remove);
      self->retry_id = g_timeout_add_seconds (self->retry_delay, retry_models_cb, self);
      return;
    }

  self->retry_delay = 0;
  gtk_revealer_set_reveal_child (self->banner, FALSE);
  set_models (self, models);
}

void
_cria_window_refresh_models (CriaWindow *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->models_cancellable);
  g_clear_object (&self->models_cancellable);
  self->models_cancellable = g_cancellable_new ();

  cria_client_list_models_async (get_client (self), self->models_cancellable,
                                 models_listed_cb, g_object_ref (self));
}

void
cria_window_show_chat (CriaWindow *self)
{
  g_return_if_fail (CRIA_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->stack, "chat");
  /* Setting up the first request (proxy resolver, connection) is work the
   * first frame need not wait for: the bundled catalogue fills the picker. */
  if (self->painted)
    _cria_window_refresh_models (self);
  else
    self->refresh_after_paint = TRUE;
  gtk_widget_grab_focus (GTK_WIDGET (self->composer_view));
}

static void
key_ready_cb (CriaWindow *self)
{
  cria_window_show_chat (self);
}

static void
show_welcome (CriaWindow *self)
{
  if (self->welcome_page == NULL)
    {
      self->welcome_page = cria_welcome_page_new (get_client (self));
      gtk_stack_add_named (self->stack, self->welcome_page, "welcome");
      g_signal_connect_object (self->welcome_page, "key-ready", G_CALLBACK (key_ready_cb), self,
                               G_CONNECT_SWAPPED);
    }

  gtk_stack_set_visible_child_name (self->stack, "welcome");
}

static void
key_looked_up_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = cria_key_store_lookup_finish (result, &error);
  if (key == NULL)
    {
      /* No key saved, or no keyring: the welcome page asks for one and
       * explains what it can do without a keyring. */
      show_welcome (self);
      return;
    }

  cria_client_set_api_key (get_client (self), key);
  cria_secret_wipe (key);
  cria_window_show_chat (self);
}

/* A key from LLAMAGATE_API_KEY skips the welcome page and is never stored. */
static void
find_key (CriaWindow *self)
{
  CriaClient *client = get_client (self);

  /* A client that refuses to send (a rejected LLAMAGATE_API_BASE): the
   * welcome page says why, and no key is looked up for a server not asked for. */
  if (cria_client_get_refusal (client) != NULL)
    {
      show_welcome (self);
      return;
    }

  if (cria_client_has_api_key (client))
    {
      cria_window_show_chat (self);
      return;
    }

  cria_key_store_lookup_async (cria_client_get_base_url (client), NULL,
                               key_looked_up_cb, g_object_ref (self));
}

static void
cria_window_dispose (GObject *object)
{
  CriaWindow *self = CRIA_WINDOW (object);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->models_cancellable);
  g_clear_object (&self->models_cancellable);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->scroll_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
  self->scroll_tick_id = 0;
  if (self->conversation != NULL)
    {
      cria_conversation_stop (self->conversation);
      g_signal_handlers_disconnect_by_data (self->conversation, self);
    }
  g_clear_pointer (&self->model_binding, g_binding_unbind);
  g_clear_handle_id (&self->show_more_id, g_source_remove);
  g_clear_object (&self->tail);
  _cria_window_dispose_attach (self);
  _cria_window_dispose_history (self);
  g_clear_object (&self->editing);
  g_clear_object (&self->conversation);
  g_clear_object (&self->models);
  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_WINDOW);

  G_OBJECT_CLASS (cria_window_parent_class)->dispose (object);
}

static void
first_frame_painted_cb (GdkFrameClock *clock,
                        CriaWindow    *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_painted_cb, self);
  self->painted = TRUE;
  if (self->refresh_after_paint)
    {
      self->refresh_after_paint = FALSE;
      _cria_window_refresh_models (self);
    }
}

static void
cria_window_map (GtkWidget *widget)
{
  CriaWindow *self = CRIA_WINDOW (widget);

  GTK_WIDGET_CLASS (cria_window_parent_class)->map (widget);

  if (!self->painted)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (first_frame_painted_cb), self, 0);
}

static void
cria_window_class_init (CriaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_window_dispose;
  widget_class->map = cria_window_map;

  g_type_ensure (CRIA_TYPE_MODEL_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, model_picker);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, cost_label);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, chat_stack);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, context_label);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, context_meter);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, composer_view);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, send_button);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, stop_button);

  _cria_window_class_init_actions (widget_class);
  _cria_window_class_init_attach (widget_class);
  _cria_window_class_init_history (widget_class);
}

static void
cria_window_init (CriaWindow *self)
{
  GtkListItemFactory *factory;
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  self->stick_to_bottom = TRUE;

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "notify::upper", G_CALLBACK (adjustment_upper_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "notify::page-size", G_CALLBACK (adjustment_upper_changed_cb), self,
                           G_CONNECT_SWAPPED);

  _cria_window_init_composer (self);
  _cria_window_init_attach (self);
  _cria_window_init_sidebar (self);
  _cria_window_init_notify (self);
}

static void
base_url_changed_cb (CriaWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "chat") == 0)
    _cria_window_refresh_models (self);
}

CriaWindow *
cria_window_new (CriaApplication *application)
{
  CriaWindow *self;
  g_autoptr(GListModel) catalogue = NULL;

  g_return_val_if_fail (CRIA_IS_APPLICATION (application), NULL);

  /* "application" is not a construct property, so it is only set once the
   * object is built: the start-up that needs the client comes here. */
  self = g_object_new (CRIA_TYPE_WINDOW, "application", application, NULL);
  self->client = g_object_ref (cria_application_get_client (application));

  /* The bundled catalogue fills the picker until the server answers. */
  catalogue = cria_catalogue_load (NULL);
  set_models (self, catalogue);
  _cria_window_init_history (self, cria_application_get_store (application));
  _cria_window_new_conversation (self);

  /* Another endpoint serves other models. */
  g_signal_connect_swapped (self->client, "notify::base-url", G_CALLBACK (base_url_changed_cb), self);
  find_key (self);

  return self;
}

CriaConversation *
cria_window_get_conversation (CriaWindow *self)
{
  g_return_val_if_fail (CRIA_IS_WINDOW (self), NULL);

  return self->conversation;
}

void
_cria_window_show_toast (CriaWindow *self,
                         const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  /* AdwToast titles are markup in libadwaita 1.2. */
  _cria_window_add_toast (self, adw_toast_new (escaped));
}

void
_cria_window_add_toast (CriaWindow *self,
                        AdwToast   *toast)
{
  const char *timeout = g_getenv ("CRIA_TOAST_TIMEOUT");
  guint64 seconds;

  if (timeout != NULL && adw_toast_get_timeout (toast) != 0 &&
      g_ascii_string_to_unsigned (timeout, 10, 0, G_MAXUINT, &seconds, NULL))
    adw_toast_set_timeout (toast, seconds);

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
