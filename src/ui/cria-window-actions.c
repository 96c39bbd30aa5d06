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

/* One place decides what can be done now. */
void
_cria_window_update_actions (CriaWindow *self)
{
  gboolean busy = self->conversation != NULL && cria_conversation_get_busy (self->conversation);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.regenerate", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.continue", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-message", !busy);
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
regenerate_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;

  cria_conversation_regenerate_finish (CRIA_CONVERSATION (object), result, NULL);
  _cria_window_update_actions (self);
}

/* The user's answer to a tool call waiting for approval, from the call's
 * row: only a click lands here, never what a model or a tool wrote. */
static void
answer_tool_call_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  const char *id = NULL;
  const char *what = NULL;
  g_autoptr(GVariant) id_variant = NULL;
  CriaMessage *message;
  CriaToolAnswer answer;

  if (self->conversation == NULL)
    return;

  g_variant_get (parameter, "(&s&s)", &id, &what);
  if (g_str_equal (what, "allow-once"))
    answer = CRIA_TOOL_ANSWER_ALLOW_ONCE;
  else if (g_str_equal (what, "allow-always"))
    answer = CRIA_TOOL_ANSWER_ALLOW_ALWAYS;
  else if (g_str_equal (what, "deny"))
    answer = CRIA_TOOL_ANSWER_DENY;
  else
    return;

  id_variant = g_variant_ref_sink (g_variant_new_string (id));
  message = find_message (self, id_variant);
  if (message != NULL)
    cria_conversation_answer_tool_call (self->conversation, message, answer);
}

/* The composer's commands, from anywhere in the window: Escape stops,
 * Ctrl+O attaches. */
static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (CRIA_WINDOW (widget)->composer), "composer.send", NULL);
}

static void
stop_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (CRIA_WINDOW (widget)->composer), "composer.stop", NULL);
}

static void
attach_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (CRIA_WINDOW (widget)->composer), "composer.attach", NULL);
}

static void
new_chat_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);

  _cria_window_new_conversation (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static void
focus_composer_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (CRIA_WINDOW (widget)->composer));
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
  cria_composer_set_editing (self->composer, message);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
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

  if (cria_composer_get_editing (self->composer) == message)
    cria_composer_set_editing (self->composer, NULL);
  cria_conversation_delete (self->conversation, message);
}

static void
top_up_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), TOP_UP_URL, GDK_CURRENT_TIME);
}

static void
composer_toast_cb (CriaComposer *composer,
                   const char   *text,
                   CriaWindow   *self)
{
  _cria_window_show_toast (self, text);
}

/* A message the user sends is followed to the bottom. */
static void
composer_sending_cb (CriaWindow *self)
{
  cria_chat_view_scroll_to_bottom (self->chat_view);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CriaWindow    *self)
{
  return cria_composer_drop_value (self->composer, value);
}

static void
model_picked_cb (CriaWindow *self)
{
  g_autofree char *id = NULL;

  g_object_get (self->model_picker, "selected-model-id", &id, NULL);
  cria_composer_model_picked (self->composer, id);
}

void
_cria_window_init_composer (CriaWindow *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE };

  g_signal_connect_object (self->composer, "toast", G_CALLBACK (composer_toast_cb), self, 0);
  g_signal_connect_object (self->composer, "sending", G_CALLBACK (composer_sending_cb), self,
                           G_CONNECT_SWAPPED);

  /* Files and pictures dropped anywhere on the conversation or composer. */
  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->stack), GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (self->model_picker, "notify::selected-model-id", G_CALLBACK (model_picked_cb), self,
                           G_CONNECT_SWAPPED);
}

/* The Keyboard Shortcuts window exists only while it is shown: built on each
 * Ctrl+?, destroyed when closed. A window kept hidden for later (what
 * GtkApplication does with a gtk/help-overlay.ui resource) stays in the list
 * of toplevels with no AT-SPI object; when it is the last one, GTK 4.8 answers
 * a screen reader's GetChildAtIndex past the shown windows (the count it read
 * while a dialog was open) with a null object path, and the accessibility bus
 * then drops Cria's connection: the app vanishes from the accessibility tree
 * for the rest of the session. */
static void
show_help_overlay_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *window;

  if (self->shortcuts_window == NULL)
    {
      builder = gtk_builder_new_from_resource ("/io/github/cria/Cria/cria-shortcuts-window.ui");
      window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
      gtk_window_set_transient_for (window, GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (window, TRUE);
      g_set_weak_pointer (&self->shortcuts_window, window);
    }
  gtk_window_present (self->shortcuts_window);
}

void
_cria_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_activated);
  gtk_widget_class_install_action (widget_class, "win.attach", NULL, attach_activated);
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
  gtk_widget_class_install_action (widget_class, "win.answer-tool-call", "(ss)", answer_tool_call_activated);
  gtk_widget_class_install_action (widget_class, "win.top-up", NULL, top_up_activated);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.attach", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-chat", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-composer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.pick-model", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.copy-last-answer", NULL);
}
