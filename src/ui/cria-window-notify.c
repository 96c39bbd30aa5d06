/* cria-window-notify.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-catalogue.h"
#include "cria-window-private.h"

/* Answers can take a while: when one finishes while the user is in another
 * window, a desktop notification says so. Never while the window has the
 * focus, where the answer is there to see, and withdrawn once the user is
 * back. */

#define NOTIFICATION_ID "answer-finished"
/* Enough of the answer to recognise it; the rest is a click away. */
#define BODY_CHARS 160

static CriaMessage *
last_message (CriaWindow *self)
{
  GListModel *messages = G_LIST_MODEL (self->conversation);
  guint n = g_list_model_get_n_items (messages);

  return n > 0 ? g_list_model_get_item (messages, n - 1) : NULL;
}

/* The first words of the answer as plain text: Markdown marks and line
 * breaks only get in the way in a notification bubble. */
static char *
make_body (const char *content)
{
  GString *body = g_string_new (NULL);
  gboolean space = FALSE;
  guint chars = 0;

  for (const char *p = content; *p != '\0' && chars < BODY_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '#' || c == '*' || c == '`' || c == '_' || c == '>' || c == '|')
        continue;
      if (g_unichar_isspace (c))
        {
          space = body->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (body, ' ');
          chars++;
          space = FALSE;
        }
      g_string_append_unichar (body, c);
      chars++;
    }

  if (chars >= BODY_CHARS)
    g_string_append (body, "…");

  return g_string_free (body, FALSE);
}

static void
send_notification (CriaWindow  *self,
                   CriaMessage *message)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  const char *model = cria_message_get_model (message);

  if (app == NULL || !g_application_get_is_registered (app))
    return;

  /* Named as the answer is labelled in the window. */
  if (model != NULL && _cria_window_get_models (self) != NULL)
    {
      CriaModel *known = cria_catalogue_find (_cria_window_get_models (self), model);

      if (known != NULL)
        model = cria_model_get_name (known);
    }

  if (cria_message_get_state (message) == CRIA_MESSAGE_STATE_COMPLETE)
    {
      g_autofree char *title = NULL;

      if (model != NULL && *model != '\0')
        /* Translators: a notification's title; %s is the model's name, such as "Qwen 3 8B" */
        title = g_strdup_printf (_("%s answered"), model);
      notification = g_notification_new (title != NULL ? title : _("Answer ready"));
      body = make_body (cria_message_get_content (message));
    }
  else
    {
      const GError *error = cria_message_get_error (message);

      notification = g_notification_new (_("The answer could not be finished"));
      body = g_strdup (error != NULL ? error->message : _("The connection was cut off."));
    }

  /* Notification servers may read the body as markup. */
  {
    g_autofree char *escaped = g_markup_escape_text (body, -1);

    g_notification_set_body (notification, escaped);
  }
  /* With no default action, clicking the notification activates the
   * application, which presents this window. */
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
  g_application_send_notification (app, NOTIFICATION_ID, notification);
  self->notified = TRUE;
}

/* In the window itself or one of its dialogs (Preferences, About), the
 * user is looking at Cria already. */
static gboolean
app_has_focus (CriaWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (gtk_window_is_active (GTK_WINDOW (self)))
    return TRUE;

  for (GList *l = app != NULL ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    {
      if (gtk_window_is_active (l->data))
        return TRUE;
    }

  return FALSE;
}

void
_cria_window_busy_changed (CriaWindow *self)
{
  g_autoptr(CriaMessage) message = NULL;

  if (self->conversation == NULL || cria_conversation_get_busy (self->conversation))
    return;

  message = last_message (self);
  if (message == NULL || cria_message_get_role (message) != CRIA_ROLE_ASSISTANT)
    return;

  /* The user stopped it themselves: nothing to tell them. */
  if (cria_message_get_state (message) == CRIA_MESSAGE_STATE_STOPPED)
    return;

  if (app_has_focus (self))
    return;

  send_notification (self, message);
}

static void
is_active_changed_cb (CriaWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (!gtk_window_is_active (GTK_WINDOW (self)) || !self->notified || app == NULL)
    return;

  self->notified = FALSE;
  g_application_withdraw_notification (app, NOTIFICATION_ID);
}

void
_cria_window_init_notify (CriaWindow *self)
{
  g_signal_connect (self, "notify::is-active", G_CALLBACK (is_active_changed_cb), NULL);
}
