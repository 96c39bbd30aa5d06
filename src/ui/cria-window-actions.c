/* cria-window-actions.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-model-picker.h"
#include "cria-window-private.h"

#define TOP_UP_URL "https://llamagate.dev/billing"

char *
_cria_window_dup_composer_text (CriaWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->composer_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
composer_is_empty (CriaWindow *self)
{
  g_autofree char *text = _cria_window_dup_composer_text (self);

  return *g_strstrip (text) == '\0';
}

/* One place decides what can be done now. */
void
_cria_window_update_actions (CriaWindow *self)
{
  gboolean busy = self->conversation != NULL && cria_conversation_get_busy (self->conversation);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.send",
                                 !busy && (!composer_is_empty (self) || _cria_window_has_attachments (self)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.regenerate", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.continue", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-message", !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->send_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), busy);
}

static CriaMessage *
find_message (CriaWindow *self,
              GVariant   *parameter)
{
  const char *id = g_variant_get_string (parameter, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->conversation));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMessage) message = g_list_model_get_item (G_LIST_MODEL (self->conversation), i);

      if (g_str_equal (cria_message_get_id (message), id))
        return message;
    }

  return NULL;
}

/* Failures are shown on the answer itself, so the callbacks only bring the
 * actions up to date. */
static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;

  cria_conversation_send_finish (CRIA_CONVERSATION (object), result, NULL);
  _cria_window_update_actions (self);
}

static void
edit_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;

  cria_conversation_edit_and_resend_finish (CRIA_CONVERSATION (object), result, NULL);
  _cria_window_update_actions (self);
}

static void
regenerate_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;

  cria_conversation_regenerate_finish (CRIA_CONVERSATION (object), result, NULL);
  _cria_window_update_actions (self);
}

static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  g_autofree char *text = _cria_window_dup_composer_text (self);
  g_autoptr(CriaMessage) editing = NULL;

  if ((composer_is_empty (self) && !_cria_window_has_attachments (self)) ||
      cria_conversation_get_busy (self->conversation))
    return;

  if (_cria_window_has_attachments (self))
    {
      _cria_window_send_with_attachments (self, text);
      return;
    }

  editing = g_steal_pointer (&self->editing);

  cria_chat_view_scroll_to_bottom (self->chat_view);
  if (editing != NULL)
    cria_conversation_edit_and_resend_async (self->conversation, editing, text, NULL,
                                             edit_done_cb, g_object_ref (self));
  else
    cria_conversation_send_async (self->conversation, text, NULL,
                                  send_done_cb, g_object_ref (self));

  /* The text now lives in the conversation, where a failed send keeps it. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer_view), "", 0);
  _cria_window_update_actions (self);
}

static void
stop_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);

  cria_conversation_stop (self->conversation);
}

static void
new_chat_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);

  _cria_window_new_conversation (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer_view));
}

static void
focus_composer_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (CRIA_WINDOW (widget)->composer_view));
}

static void
pick_model_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  cria_model_picker_popup (CRIA_MODEL_PICKER (CRIA_WINDOW (widget)->model_picker));
}

static void
refresh_models_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  _cria_window_refresh_models (CRIA_WINDOW (widget));
}

static void
copy_message_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  CriaMessage *message = find_message (self, parameter);

  if (message == NULL)
    return;

  /* The Markdown as the model wrote it. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), cria_message_get_content (message));
  _cria_window_show_toast (self, _("Copied"));
}

static void
copy_last_answer_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  GListModel *messages = G_LIST_MODEL (self->conversation);

  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(CriaMessage) message = g_list_model_get_item (messages, i - 1);
      const char *content = cria_message_get_content (message);

      if (cria_message_get_role (message) != CRIA_ROLE_ASSISTANT || *content == '\0')
        continue;

      /* The Markdown as the model wrote it; what has arrived of an answer
       * still streaming is as much as there is. */
      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), content);
      _cria_window_show_toast (self, _("Answer copied"));
      return;
    }

  _cria_window_show_toast (self, _("No answer to copy yet"));
}

static void
regenerate_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);

  if (find_message (self, parameter) == NULL || cria_conversation_get_busy (self->conversation))
    return;

  cria_chat_view_scroll_to_bottom (self->chat_view);
  cria_conversation_regenerate_async (self->conversation, NULL, regenerate_done_cb, g_object_ref (self));
}

static void
continue_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;

  cria_conversation_continue_finish (CRIA_CONVERSATION (object), result, NULL);
  _cria_window_update_actions (self);
}

static void
continue_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  CriaMessage *message = find_message (self, parameter);

  if (message == NULL || !cria_message_can_continue (message) ||
      cria_conversation_get_busy (self->conversation))
    return;

  cria_conversation_continue_async (self->conversation, message, NULL, continue_done_cb, g_object_ref (self));
}

static void
edit_message_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  CriaMessage *message = find_message (self, parameter);

  if (message == NULL)
    return;

  /* The text comes back to the composer; sending replaces the answers after it. */
  g_set_object (&self->editing, message);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer_view),
                            cria_message_get_content (message), -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer_view));
  _cria_window_show_toast (self, _("Editing: sending replaces the answers after this message"));
}

static void
delete_message_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  CriaMessage *message = find_message (self, parameter);

  if (message == NULL)
    return;

  if (self->editing == message)
    g_clear_object (&self->editing);
  cria_conversation_delete (self->conversation, message);
}

static void
top_up_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), TOP_UP_URL, GDK_CURRENT_TIME);
}

static gboolean
composer_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         CriaWindow            *self)
{
  /* Enter sends, Shift+Enter breaks the line. */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) &&
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.send", NULL);
      return TRUE;
    }

  return FALSE;
}

static void
composer_changed_cb (CriaWindow *self)
{
  _cria_window_update_actions (self);
  _cria_window_update_context (self);
}

void
_cria_window_init_composer (CriaWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (keys, "key-pressed", G_CALLBACK (composer_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->composer_view), keys);
  g_signal_connect_object (gtk_text_view_get_buffer (self->composer_view), "changed",
                           G_CALLBACK (composer_changed_cb), self, G_CONNECT_SWAPPED);
}

void
_cria_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_activated);
  gtk_widget_class_install_action (widget_class, "win.new-chat", NULL, new_chat_activated);
  gtk_widget_class_install_action (widget_class, "win.focus-composer", NULL, focus_composer_activated);
  gtk_widget_class_install_action (widget_class, "win.pick-model", NULL, pick_model_activated);
  gtk_widget_class_install_action (widget_class, "win.refresh-models", NULL, refresh_models_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-message", "s", copy_message_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-last-answer", NULL, copy_last_answer_activated);
  gtk_widget_class_install_action (widget_class, "win.regenerate", "s", regenerate_activated);
  gtk_widget_class_install_action (widget_class, "win.continue", "s", continue_activated);
  gtk_widget_class_install_action (widget_class, "win.edit-message", "s", edit_message_activated);
  gtk_widget_class_install_action (widget_class, "win.delete-message", "s", delete_message_activated);
  gtk_widget_class_install_action (widget_class, "win.top-up", NULL, top_up_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-chat", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-composer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.pick-model", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-last-answer", NULL);
}
