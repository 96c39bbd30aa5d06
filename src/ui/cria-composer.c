/* cria-composer.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-attachment-chip.h"
#include "cria-catalogue.h"
#include "cria-composer-private.h"
#include "cria-format.h"

G_DEFINE_FINAL_TYPE (CriaComposer, cria_composer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONVERSATION,
  PROP_MODELS,
  PROP_EDITING,
  PROP_BUDGET,
  N_PROPS
};

enum {
  TOAST,
  SENDING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

char *
cria_composer_dup_text (CriaComposer *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CRIA_IS_COMPOSER (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
cria_composer_set_text (CriaComposer *self,
                        const char   *text)
{
  g_return_if_fail (CRIA_IS_COMPOSER (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
}

static gboolean
text_is_blank (CriaComposer *self)
{
  g_autofree char *text = cria_composer_dup_text (self);

  return *g_strstrip (text) == '\0';
}

static gboolean
is_busy (CriaComposer *self)
{
  return self->conversation != NULL && cria_conversation_get_busy (self->conversation);
}

/* One place decides what can be done now. */
void
_cria_composer_update_actions (CriaComposer *self)
{
  gboolean busy = is_busy (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send",
                                 self->conversation != NULL && !busy &&
                                 (!text_is_blank (self) || _cria_composer_has_attachments (self)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.stop", busy);
  gtk_widget_set_visible (GTK_WIDGET (self->send_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), busy);
}

void
_cria_composer_toast (CriaComposer *self,
                      const char   *text)
{
  g_signal_emit (self, signals[TOAST], 0, text);
}

static CriaModel *
current_model (CriaComposer *self)
{
  const char *id = cria_conversation_get_model_id (self->conversation);

  return id != NULL && self->models != NULL ? cria_catalogue_find (self->models, id) : NULL;
}

/* The meter beside the text, and the warning about turns left out. */
static void
update_context (CriaComposer *self)
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
  composer_text = cria_composer_dup_text (self);

  gtk_level_bar_set_value (self->context_meter, window > 0 ? MIN (1.0, used / (double) window) : 0);
  gtk_widget_set_visible (GTK_WIDGET (self->context_meter), window > 0);
  if (window > 0)
    {
      /* In the locale's digit grouping, formatted first. */
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

/* Failures are shown on the answer itself; a refusal (a model that cannot
 * see images, a request over the limit), here. */
static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CriaComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = cria_conversation_send_finish (CRIA_CONVERSATION (object), result, &error);

  /* A question that never went in (its documents could not be indexed)
   * keeps the text and the chips: said here, as there is no answer. */
  if (_cria_composer_send_ended (self) && !ok &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _cria_composer_show_index_error (self, error->message);
      _cria_composer_toast (self, error->message);
    }
  else if (!ok &&
           (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)))
    _cria_composer_toast (self, error->message);
  _cria_composer_update_actions (self);
}

static void
edit_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CriaComposer) self = user_data;

  cria_conversation_edit_and_resend_finish (CRIA_CONVERSATION (object), result, NULL);
  _cria_composer_update_actions (self);
}

/* The attachments' checks, in the order the user can act on them; FALSE
 * (and said why) when they cannot go now. */
static gboolean
check_attachments (CriaComposer            *self,
                   const char              *text,
                   CriaComposerAttachments *ready)
{
  gint64 limit;

  _cria_composer_collect (self, ready);
  if (ready->n_preparing > 0)
    {
      _cria_composer_toast (self, _("The attachments are still being prepared: send again in a moment."));
      return FALSE;
    }
  if (ready->n_failed > 0)
    {
      _cria_composer_toast (self, _("Remove the attachments that could not be opened, then send."));
      return FALSE;
    }
  if (self->editing != NULL)
    {
      _cria_composer_toast (self, _("Attachments cannot be added to an edited message: send them in a new one."));
      return FALSE;
    }
  if (ready->urls[0] != NULL && !cria_conversation_can_see_images (self->conversation))
    {
      _cria_composer_offer_vision_model (self);
      return FALSE;
    }
  limit = _cria_composer_document_limit (self);
  if ((limit > 0 && ready->document_tokens > limit &&
       cria_conversation_get_retrieval (self->conversation) == NULL) ||
      (ready->urls[0] != NULL &&
       cria_conversation_estimate_request_size (self->conversation, text, (const char * const *) ready->urls) >
       _cria_composer_max_request_size (self)))
    {
      _cria_composer_update_summary (self);
      _cria_composer_toast (self, gtk_label_get_text (self->attachment_label));
      return FALSE;
    }

  return TRUE;
}

void
_cria_composer_send (CriaComposer *self)
{
  g_autofree char *text = cria_composer_dup_text (self);
  g_autoptr(CriaMessage) editing = NULL;
  g_auto(CriaComposerAttachments) ready = { 0 };
  gboolean has_attachments = _cria_composer_has_attachments (self);
  guint n_before;

  if (self->conversation == NULL || (text_is_blank (self) && !has_attachments) || is_busy (self))
    return;

  if (has_attachments && !check_attachments (self, text, &ready))
    return;

  /* Last, once the message could go: over the month's budget the day's
   * first send asks, and its answer comes back here. */
  if (!_cria_composer_check_budget (self))
    return;

  editing = g_steal_pointer (&self->editing);
  if (editing != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);

  g_signal_emit (self, signals[SENDING], 0);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (self->conversation));
  if (editing != NULL)
    cria_conversation_edit_and_resend_async (self->conversation, editing, text, NULL,
                                             edit_done_cb, g_object_ref (self));
  else
    {
      if (has_attachments)
        cria_conversation_set_max_request_size (self->conversation, _cria_composer_max_request_size (self));
      cria_conversation_send_with_attachments_async (self->conversation, text,
                                                     has_attachments ? (const char * const *) ready.urls : NULL,
                                                     has_attachments ? ready.documents : NULL,
                                                     NULL, send_done_cb, g_object_ref (self));
    }

  /* The text now lives in the conversation, where a failed answer keeps
   * it. Attachments go only once their message is in the conversation,
   * which keeps them whatever happens to the answer. */
  if (!has_attachments)
    cria_composer_set_text (self, "");
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->conversation)) > n_before)
    {
      _cria_composer_clear_attachments (self);
      cria_composer_set_text (self, "");
    }
  else if (is_busy (self))
    /* Documents are being indexed first: the question goes in after. */
    _cria_composer_send_pending (self, text, n_before);
  _cria_composer_update_actions (self);
}

static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _cria_composer_send (CRIA_COMPOSER (widget));
}

static void
stop_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CriaComposer *self = CRIA_COMPOSER (widget);

  if (self->conversation != NULL)
    cria_conversation_stop (self->conversation);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CriaComposer          *self)
{
  /* Enter sends, Shift+Enter breaks the line. */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) &&
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "composer.send", NULL);
      return TRUE;
    }

  return FALSE;
}

static void
text_changed_cb (CriaComposer *self)
{
  _cria_composer_update_actions (self);
  update_context (self);
  _cria_composer_update_summary (self);
}

CriaConversation *
cria_composer_get_conversation (CriaComposer *self)
{
  g_return_val_if_fail (CRIA_IS_COMPOSER (self), NULL);

  return self->conversation;
}

void
cria_composer_set_conversation (CriaComposer     *self,
                                CriaConversation *conversation)
{
  g_return_if_fail (CRIA_IS_COMPOSER (self));
  g_return_if_fail (conversation == NULL || CRIA_IS_CONVERSATION (conversation));

  g_autoptr(CriaConversation) old = NULL;

  if (self->conversation == conversation)
    return;

  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_data (self->conversation, self);
  old = g_steal_pointer (&self->conversation);
  g_set_object (&self->conversation, conversation);
  _cria_composer_attach_tools (self, old, conversation);
  _cria_composer_attach_retrieval (self, conversation);
  /* A message waiting for its images to be read was meant for the other
   * chat: it no longer goes by itself; the reading goes on, and the user
   * sends when they choose. */
  self->send_after_ocr = FALSE;

  if (conversation != NULL)
    {
      g_signal_connect_swapped (conversation, "items-changed", G_CALLBACK (update_context), self);
      g_signal_connect_swapped (conversation, "notify::busy", G_CALLBACK (_cria_composer_update_actions), self);
      g_signal_connect_swapped (conversation, "notify::context-tokens", G_CALLBACK (update_context), self);
      g_signal_connect_swapped (conversation, "notify::n-omitted-messages", G_CALLBACK (update_context), self);
      g_signal_connect_swapped (conversation, "notify::model-id", G_CALLBACK (update_context), self);
      g_signal_connect_swapped (conversation, "notify::model-id", G_CALLBACK (_cria_composer_update_summary), self);
    }

  update_context (self);
  _cria_composer_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
}

GListModel *
cria_composer_get_models (CriaComposer *self)
{
  g_return_val_if_fail (CRIA_IS_COMPOSER (self), NULL);

  return self->models;
}

void
cria_composer_set_models (CriaComposer *self,
                          GListModel   *models)
{
  g_return_if_fail (CRIA_IS_COMPOSER (self));
  g_return_if_fail (models == NULL || G_IS_LIST_MODEL (models));

  if (!g_set_object (&self->models, models))
    return;

  update_context (self);
  _cria_composer_update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODELS]);
}

CriaMessage *
cria_composer_get_editing (CriaComposer *self)
{
  g_return_val_if_fail (CRIA_IS_COMPOSER (self), NULL);

  return self->editing;
}

void
cria_composer_set_editing (CriaComposer *self,
                           CriaMessage  *message)
{
  g_return_if_fail (CRIA_IS_COMPOSER (self));
  g_return_if_fail (message == NULL || CRIA_IS_MESSAGE (message));

  /* The text comes back to the composer; sending replaces the answers
   * after it. */
  if (message != NULL)
    cria_composer_set_text (self, cria_message_get_content (message));
  if (g_set_object (&self->editing, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
}

CriaBudget *
cria_composer_get_budget (CriaComposer *self)
{
  g_return_val_if_fail (CRIA_IS_COMPOSER (self), NULL);

  return self->budget;
}

void
cria_composer_set_budget (CriaComposer *self,
                          CriaBudget   *budget)
{
  g_return_if_fail (CRIA_IS_COMPOSER (self));
  g_return_if_fail (budget == NULL || CRIA_IS_BUDGET (budget));

  if (g_set_object (&self->budget, budget))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
}

static gboolean
cria_composer_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (CRIA_COMPOSER (widget)->text_view));
}

static void
cria_composer_dispose (GObject *object)
{
  CriaComposer *self = CRIA_COMPOSER (object);
  GtkWidget *child;

  if (self->conversation != NULL)
    g_signal_handlers_disconnect_by_data (self->conversation, self);
  _cria_composer_dispose_attach (self);
  _cria_composer_dispose_retrieval (self);
  _cria_composer_dispose_budget (self);
  _cria_composer_dispose_tools (self);
  g_clear_object (&self->editing);
  g_clear_object (&self->conversation);
  g_clear_object (&self->models);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_COMPOSER);
  /* The rows that hold the bound parts are children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cria_composer_parent_class)->dispose (object);
}

static void
cria_composer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CriaComposer *self = CRIA_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      g_value_set_object (value, self->conversation);
      break;
    case PROP_MODELS:
      g_value_set_object (value, self->models);
      break;
    case PROP_EDITING:
      g_value_set_object (value, self->editing);
      break;
    case PROP_BUDGET:
      g_value_set_object (value, self->budget);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_composer_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CriaComposer *self = CRIA_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      cria_composer_set_conversation (self, g_value_get_object (value));
      break;
    case PROP_MODELS:
      cria_composer_set_models (self, g_value_get_object (value));
      break;
    case PROP_EDITING:
      cria_composer_set_editing (self, g_value_get_object (value));
      break;
    case PROP_BUDGET:
      cria_composer_set_budget (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_composer_class_init (CriaComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_composer_dispose;
  object_class->get_property = cria_composer_get_property;
  object_class->set_property = cria_composer_set_property;
  widget_class->grab_focus = cria_composer_grab_focus;

  properties[PROP_CONVERSATION] =
    g_param_spec_object ("conversation", NULL, NULL, CRIA_TYPE_CONVERSATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODELS] =
    g_param_spec_object ("models", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDITING] =
    g_param_spec_object ("editing", NULL, NULL, CRIA_TYPE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUDGET] =
    g_param_spec_object ("budget", NULL, NULL, CRIA_TYPE_BUDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Plain text for the window to show; it escapes it for the toast. */
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A message is about to join the conversation. */
  signals[SENDING] = g_signal_new ("sending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, context_label);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, attachment_flow);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, attachment_label);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, attach_button);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, context_meter);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CriaComposer, tools_button);
  gtk_widget_class_bind_template_callback (widget_class, _cria_composer_tools_toggled_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "criacomposer");

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_activated);
  gtk_widget_class_install_action (widget_class, "composer.stop", NULL, stop_activated);
  _cria_composer_class_init_attach (widget_class);
}

static void
cria_composer_init (CriaComposer *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->settings = g_settings_new (APPLICATION_ID);

  gtk_event_controller_set_name (keys, "cria-composer-keys");
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
  _cria_composer_init_attach (self);
  _cria_composer_init_retrieval (self);
  _cria_composer_update_actions (self);
}

GtkWidget *
cria_composer_new (void)
{
  return g_object_new (CRIA_TYPE_COMPOSER, NULL);
}

GtkTextView *
_cria_composer_get_text_view (CriaComposer *self)
{
  return self->text_view;
}

GtkButton *
_cria_composer_get_send_button (CriaComposer *self)
{
  return self->send_button;
}

GtkButton *
_cria_composer_get_stop_button (CriaComposer *self)
{
  return self->stop_button;
}

GtkButton *
_cria_composer_get_attach_button (CriaComposer *self)
{
  return self->attach_button;
}

GListModel *
_cria_composer_get_attachments (CriaComposer *self)
{
  return G_LIST_MODEL (self->attachments);
}

GtkWidget *
_cria_composer_get_attachments_box (CriaComposer *self)
{
  return self->attachments_box;
}

GtkFlowBox *
_cria_composer_get_attachment_flow (CriaComposer *self)
{
  return self->attachment_flow;
}

GtkLabel *
_cria_composer_get_attachment_label (CriaComposer *self)
{
  return self->attachment_label;
}

GtkWidget *
_cria_composer_get_vision_dialog (CriaComposer *self)
{
  return self->vision_dialog;
}

GtkLevelBar *
_cria_composer_get_context_meter (CriaComposer *self)
{
  return self->context_meter;
}

GtkLabel *
_cria_composer_get_context_label (CriaComposer *self)
{
  return self->context_label;
}
