/* cria-message-row.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-api-error.h"
#include "cria-catalogue.h"
#include "cria-conversation.h"
#include "cria-document-lines.h"
#include "cria-format.h"
#include "cria-image-texture.h"
#include "cria-json-schema.h"
#include "cria-markdown-view.h"
#include "cria-message-row.h"
#include "cria-source-list.h"
#include "cria-tool-call-row.h"

struct _CriaMessageRow
{
  GtkWidget     parent_instance;

  CriaMessage  *message;
  GListModel   *models;
  GSignalGroup *signals;
  /* The conversation the message is in: only its last answer may be
   * continued, as text added to an earlier one would land in the middle of
   * a conversation that has moved on. */
  GListModel   *history;
  GSignalGroup *history_signals;
  guint         retry_countdown_id;
  /* Reasoning that arrived since the reasoning view was last updated. */
  GString      *pending_reasoning;
  guint         reasoning_flush_id;
  int           retry_seconds_left;
  /* Whether the text was last shown as a stream (its last block open). */
  gboolean      shown_streaming;
  /* The image URLs the thumbnails show, and their decoding. */
  GStrv         shown_urls;
  GCancellable *images_cancellable;

  GtkWidget    *bubble;
  GtkLabel     *author_label;
  GtkMenuButton *actions_button;
  GtkExpander  *thinking_expander;
  GtkTextView  *reasoning_view;
  GtkLabel     *user_label;
  GtkFlowBox   *images_box;
  GtkBox       *documents_box;
  CriaMarkdownView *markdown_view;
  CriaSourceList *source_list;
  GtkLabel     *json_status_label;
  GtkWidget    *tool_calls_box;
  CriaToolCallRow *tool_call_row;
  GtkWidget    *outcome_box;
  GtkLabel     *outcome_label;
  GtkButton    *continue_button;
  GtkWidget    *error_box;
  GtkLabel     *error_label;
  GtkButton    *error_button;
  GtkLabel     *status_label;
};

G_DEFINE_FINAL_TYPE (CriaMessageRow, cria_message_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_streaming (CriaMessageRow *self)
{
  return cria_message_get_state (self->message) == CRIA_MESSAGE_STATE_STREAMING;
}

/* Most messages have no reasoning, and a text view is among the dearest
 * widgets to build: it is made for the first message that has some. */
static GtkTextBuffer *
reasoning_buffer (CriaMessageRow *self)
{
  if (self->reasoning_view == NULL)
    {
      self->reasoning_view = g_object_new (GTK_TYPE_TEXT_VIEW,
                                           "editable", FALSE,
                                           "cursor-visible", FALSE,
                                           "wrap-mode", GTK_WRAP_WORD,
                                           "margin-top", 6,
                                           "margin-start", 12,
                                           "css-classes", (const char *[]) { "cria-reasoning", "dim-label", NULL },
                                           NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->reasoning_view),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reasoning"),
                                      -1);
      gtk_expander_set_child (self->thinking_expander, GTK_WIDGET (self->reasoning_view));
    }

  return gtk_text_view_get_buffer (self->reasoning_view);
}

static void
show_reasoning (CriaMessageRow *self)
{
  const char *reasoning = cria_message_get_reasoning (self->message);

  if ((reasoning != NULL && *reasoning != '\0') || self->reasoning_view != NULL)
    gtk_text_buffer_set_text (reasoning_buffer (self), reasoning != NULL ? reasoning : "", -1);
}

static void
update_thinking (CriaMessageRow *self)
{
  const char *reasoning = cria_message_get_reasoning (self->message);
  gboolean answering = *cria_message_get_content (self->message) != '\0';
  g_autofree char *label = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->thinking_expander), reasoning != NULL && *reasoning != '\0');
  /* An expander's label is a new widget each time it is set. */
  if (reasoning == NULL || *reasoning == '\0')
    {
      gtk_expander_set_expanded (self->thinking_expander, FALSE);
      return;
    }

  if (is_streaming (self) && !answering)
    label = g_strdup (_("Thinking…"));
  else
    /* Translators: how long the model reasoned, in seconds, with a decimal */
    label = g_strdup_printf (_("Thought for %'.1f s"),
                             cria_message_get_thinking_time (self->message) / (double) G_USEC_PER_SEC);
  gtk_expander_set_label (self->thinking_expander, label);

  /* Open while the model thinks, folded away once the answer starts. */
  gtk_expander_set_expanded (self->thinking_expander, is_streaming (self) && !answering);
}

static char *
describe_usage (CriaMessageRow *self)
{
  const CriaUsage *usage = cria_message_get_usage (self->message);
  double cost = cria_message_get_cost (self->message);
  double speed = cria_message_get_tokens_per_second (self->message);
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;
  g_autofree char *cost_text = cria_format_cost (cost);
  GString *text;

  if (usage == NULL)
    return NULL;

  text = g_string_new (NULL);
  /* Numbers in the locale's digit grouping and decimal mark ("%'"); the
   * counts are formatted first, as xgettext can't read G_GINT64_FORMAT. The
   * cost's own text puts the dollar sign where the language does. */
  sent = cria_format_tokens (usage->prompt_tokens);
  received = cria_format_tokens (usage->completion_tokens);
  g_string_append_printf (text,
                          /* Translators: tokens sent → tokens received, both numbers */
                          ngettext ("%s → %s token", "%s → %s tokens", (gulong) usage->completion_tokens),
                          sent, received);
  if (speed > 0)
    g_string_append_printf (text, _(" · %'.0f tokens/s"), speed);
  if (cost_text != NULL)
    g_string_append_printf (text, " · %s", cost_text);
  else
    g_string_append (text, _(" · cost unknown"));
  if (usage->estimated)
    g_string_append (text, _(" (estimated)"));

  return g_string_free (text, FALSE);
}

static void
update_status (CriaMessageRow *self)
{
  g_autofree char *usage = describe_usage (self);
  const char *state = NULL;
  g_autofree char *text = NULL;

  switch (cria_message_get_state (self->message))
    {
    case CRIA_MESSAGE_STATE_STOPPED:
      state = _("Stopped");
      break;
    case CRIA_MESSAGE_STATE_INTERRUPTED:
      state = _("Interrupted");
      break;
    default:
      break;
    }

  if (state != NULL && usage != NULL)
    text = g_strdup_printf ("%s · %s", state, usage);
  else
    text = g_strdup (state != NULL ? state : usage);

  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

/* Why the answer ended, when the reader should know: a note under it, and
 * Continue when there is text to go on from. NULL when it simply ended. */
static const char *
describe_outcome (CriaMessageRow *self)
{
  if (cria_message_get_role (self->message) != CRIA_ROLE_ASSISTANT || is_streaming (self))
    return NULL;

  switch (cria_message_get_state (self->message))
    {
    case CRIA_MESSAGE_STATE_INTERRUPTED:
      return _("The answer broke off before its end; what arrived is kept.");
    case CRIA_MESSAGE_STATE_COMPLETE:
    case CRIA_MESSAGE_STATE_STOPPED:
      break;
    case CRIA_MESSAGE_STATE_STREAMING:
    case CRIA_MESSAGE_STATE_FAILED:
    default:
      return NULL;
    }

  switch (cria_message_get_finish_reason (self->message))
    {
    case CRIA_FINISH_REASON_LENGTH:
      return _("The answer stopped at the length limit.");
    case CRIA_FINISH_REASON_CONTENT_FILTER:
      return _("The answer was stopped by the server’s content filter.");
    case CRIA_FINISH_REASON_NONE:
    case CRIA_FINISH_REASON_STOP:
    case CRIA_FINISH_REASON_TOOL_CALLS:
    case CRIA_FINISH_REASON_OTHER:
    default:
      return NULL;
    }
}

static gboolean
is_last_message (CriaMessageRow *self)
{
  guint n;
  g_autoptr(CriaMessage) last = NULL;

  if (self->history == NULL)
    return FALSE;

  n = g_list_model_get_n_items (self->history);
  if (n == 0)
    return FALSE;

  last = g_list_model_get_item (self->history, n - 1);
  return last == self->message;
}

/* How far back from the end of the history a row looks for its message:
 * rows are built around what is on screen, mostly near the end, and a
 * longer search per row would make opening a long conversation slow. */
#define CALLS_LOOKBACK 64

/* Whether the calls of the answer have rows of their own: the message after
 * it in the history is a tool message (the tool loop ran them). */
static gboolean
calls_have_rows (CriaMessageRow *self)
{
  guint n;

  if (self->history == NULL)
    return FALSE;

  n = g_list_model_get_n_items (self->history);
  for (guint i = n; i > 1 && n - i < CALLS_LOOKBACK; i--)
    {
      g_autoptr(CriaMessage) message = g_list_model_get_item (self->history, i - 2);

      if (message == self->message)
        {
          g_autoptr(CriaMessage) next = g_list_model_get_item (self->history, i - 1);

          return cria_message_get_role (next) == CRIA_ROLE_TOOL;
        }
    }

  return FALSE;
}

static void
update_tool_calls_visible (CriaMessageRow *self)
{
  gtk_widget_set_visible (self->tool_calls_box,
                          cria_message_get_role (self->message) == CRIA_ROLE_ASSISTANT &&
                          cria_message_get_tool_calls (self->message)->len > 0 &&
                          !calls_have_rows (self));
}

static void
update_outcome (CriaMessageRow *self)
{
  const char *note = describe_outcome (self);
  gboolean can_continue = note != NULL && cria_message_can_continue (self->message) &&
                          is_last_message (self);

  gtk_widget_set_visible (self->outcome_box, note != NULL);
  gtk_label_set_text (self->outcome_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->continue_button), can_continue);

  /* The target goes first, as for the error button. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->continue_button), NULL);
  if (can_continue)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->continue_button), "s",
                                        cria_message_get_id (self->message));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->continue_button), "win.continue");
    }
}

/* Each call as its name over its arguments, as plain text: the model wrote
 * both, so neither may reach markup. */
static void
update_tool_calls (CriaMessageRow *self)
{
  GPtrArray *calls = cria_message_get_tool_calls (self->message);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->tool_calls_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->tool_calls_box), child);

  update_tool_calls_visible (self);
  for (guint i = 0; i < calls->len; i++)
    {
      const CriaToolCall *call = g_ptr_array_index (calls, i);
      g_autofree char *name = g_utf8_make_valid (call->name != NULL ? call->name : "", -1);
      g_autofree char *heading = NULL;
      g_autofree char *arguments = cria_tool_call_format_arguments (call);
      GtkWidget *heading_label;
      GtkWidget *arguments_label;

      /* Translators: %s is the name of a function the model asked to call */
      heading = g_strdup_printf (_("Tool call: %s"), *name != '\0' ? name : _("(unnamed)"));
      heading_label = g_object_new (GTK_TYPE_LABEL,
                                    "label", heading,
                                    "use-markup", FALSE,
                                    "xalign", 0.0f,
                                    "wrap", TRUE,
                                    "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                    "selectable", TRUE,
                                    "css-classes", (const char *[]) { "heading", NULL },
                                    NULL);
      arguments_label = g_object_new (GTK_TYPE_LABEL,
                                      "label", arguments,
                                      "use-markup", FALSE,
                                      "xalign", 0.0f,
                                      "wrap", TRUE,
                                      "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                      "selectable", TRUE,
                                      "visible", *arguments != '\0',
                                      "css-classes", (const char *[]) { "monospace", "cria-tool-arguments", NULL },
                                      NULL);
      gtk_box_append (GTK_BOX (self->tool_calls_box), heading_label);
      gtk_box_append (GTK_BOX (self->tool_calls_box), arguments_label);
    }
}

static void
stop_countdown (CriaMessageRow *self)
{
  g_clear_handle_id (&self->retry_countdown_id, g_source_remove);
}

static void
update_countdown_label (CriaMessageRow *self)
{
  /* Translators: a countdown on a button, "s" for seconds */
  g_autofree char *label = g_strdup_printf (_("Retry in %d s"), self->retry_seconds_left);

  gtk_button_set_label (self->error_button, label);
}

static gboolean
countdown_cb (gpointer user_data)
{
  CriaMessageRow *self = user_data;

  if (--self->retry_seconds_left > 0)
    {
      update_countdown_label (self);
      return G_SOURCE_CONTINUE;
    }

  self->retry_countdown_id = 0;
  gtk_button_set_label (self->error_button, _("Retry"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), "win.regenerate");
  gtk_widget_set_sensitive (GTK_WIDGET (self->error_button), TRUE);

  return G_SOURCE_REMOVE;
}

/* Each error comes with what the user can do about it. */
static void
update_error (CriaMessageRow *self)
{
  const GError *error = cria_message_get_error (self->message);
  const char *id = cria_message_get_id (self->message);
  const char *label = _("Retry");
  const char *action = "win.regenerate";

  stop_countdown (self);
  gtk_widget_set_visible (self->error_box, error != NULL);
  if (error == NULL)
    return;

  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_set_sensitive (GTK_WIDGET (self->error_button), TRUE);

  if (g_error_matches (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED))
    {
      label = _("Open Preferences");
      action = "app.preferences";
    }
  else if (g_error_matches (error, CRIA_API_ERROR, CRIA_API_ERROR_INSUFFICIENT_CREDITS))
    {
      label = _("Top Up Credits");
      action = "win.top-up";
    }
  else if (g_error_matches (error, CRIA_API_ERROR, CRIA_API_ERROR_MODEL_NOT_FOUND))
    {
      label = _("Pick Another Model");
      action = "win.pick-model";
    }

  /* The target goes first: a name whose parameter type the current target
   * does not match makes GTK complain. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), NULL);
  if (g_str_equal (action, "win.regenerate"))
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->error_button), "s", id);
  else
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->error_button), NULL);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), action);
  gtk_button_set_label (self->error_button, label);

  /* A rate limit says how long to wait: retrying sooner only fails again. */
  if (g_error_matches (error, CRIA_API_ERROR, CRIA_API_ERROR_RATE_LIMITED) &&
      cria_api_error_get_retry_after (error) > 0)
    {
      self->retry_seconds_left = cria_api_error_get_retry_after (error);
      /* An action would keep the button sensitive; it comes back when the
       * wait is over. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), NULL);
      gtk_widget_set_sensitive (GTK_WIDGET (self->error_button), FALSE);
      update_countdown_label (self);
      self->retry_countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
    }
}

/* The reasoning view is a text view, and each change of its text is an
 * event for screen readers: it takes what arrived a few times a second, not
 * token by token. */
#define REASONING_FLUSH_MS 250

static void
flush_reasoning (CriaMessageRow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_clear_handle_id (&self->reasoning_flush_id, g_source_remove);
  if (self->pending_reasoning->len == 0)
    return;

  buffer = reasoning_buffer (self);

  /* Appending at the end costs the same however long the reasoning is. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, self->pending_reasoning->str, (int) self->pending_reasoning->len);
  g_string_truncate (self->pending_reasoning, 0);
}

static void
drop_pending_reasoning (CriaMessageRow *self)
{
  g_clear_handle_id (&self->reasoning_flush_id, g_source_remove);
  g_string_truncate (self->pending_reasoning, 0);
}

static gboolean
flush_reasoning_cb (gpointer user_data)
{
  CriaMessageRow *self = user_data;

  self->reasoning_flush_id = 0;
  flush_reasoning (self);

  return G_SOURCE_REMOVE;
}

/* What a screen reader says for the row: who wrote it, and once the message
 * is complete, its opening words. The description changes once, when the
 * answer is done, not with every piece that arrives; while the answer
 * streams the row is marked busy, which tells screen readers to wait. */
#define DESCRIPTION_CHARS 280

static char *
describe_content (CriaMessageRow *self)
{
  const char *content = cria_message_get_content (self->message);
  GString *text = g_string_new (NULL);
  gboolean space = FALSE;
  guint chars = 0;

  /* The stream, the store and the import hand over valid UTF-8, but the
   * message takes any text: a stray byte is read as U+FFFD, never stepped
   * over blindly. */
  for (const char *p = content; *p != '\0' && chars < DESCRIPTION_CHARS;)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          c = 0xFFFD;
          p++;
        }
      else
        p = g_utf8_next_char (p);

      /* Markdown's marks mean nothing read aloud. */
      if (c == '*' || c == '`' || c == '#' || c == '>' || c == '|')
        continue;
      if (g_unichar_isspace (c))
        {
          space = text->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (text, ' ');
      space = FALSE;
      g_string_append_unichar (text, c);
      chars++;
    }
  if (*content != '\0' && chars >= DESCRIPTION_CHARS)
    g_string_append (text, "…");

  return g_string_free (text, FALSE);
}

/* The answer's model as the model picker names it, or its id. */
static const char *
model_name (CriaMessageRow *self)
{
  const char *model = cria_message_get_model (self->message);
  CriaModel *known = model != NULL && self->models != NULL ? cria_catalogue_find (self->models, model) : NULL;

  return known != NULL ? cria_model_get_name (known) : model;
}

/* Appends @sentence to @text after a full stop, unless it has one. */
static void
append_sentence (GString    *text,
                 const char *sentence)
{
  if (text->len > 0 && text->str[text->len - 1] != '.')
    g_string_append (text, ". ");
  else if (text->len > 0)
    g_string_append_c (text, ' ');
  g_string_append (text, sentence);
}

static void
update_accessible (CriaMessageRow *self)
{
  gboolean streaming = is_streaming (self);
  const char *model = model_name (self);
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;

  if (cria_message_get_role (self->message) == CRIA_ROLE_TOOL)
    {
      const CriaToolCall *call = cria_message_get_tool_call (self->message);
      g_autofree char *name = g_utf8_make_valid (call != NULL && call->name != NULL ? call->name : "", -1);
      g_autofree char *status = cria_tool_call_describe_status (self->message);

      /* Translators: %s is the name of a tool the model called */
      label = g_strdup_printf (_("Tool call: %s"), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status,
                                      -1);
      return;
    }
  else if (cria_message_get_role (self->message) == CRIA_ROLE_USER)
    label = g_strdup (_("Your message"));
  else if (streaming)
    /* Translators: %s is the model's name, such as "Qwen 3 8B" */
    label = g_strdup_printf (_("Answer from %s, being written"), model != NULL ? model : _("the assistant"));
  else
    /* Translators: %s is the model's name, such as "Qwen 3 8B" */
    label = g_strdup_printf (_("Answer from %s"), model != NULL ? model : _("the assistant"));

  if (!streaming)
    {
      const GError *error = cria_message_get_error (self->message);
      g_autofree char *content = describe_content (self);
      const char *status = gtk_widget_get_visible (GTK_WIDGET (self->status_label))
                           ? gtk_label_get_text (self->status_label) : NULL;
      const char *outcome = describe_outcome (self);
      GPtrArray *calls = cria_message_get_tool_calls (self->message);
      GString *text = g_string_new (NULL);

      /* What is under the answer is read after it, in the order shown. */
      if (error != NULL && cria_message_get_state (self->message) == CRIA_MESSAGE_STATE_FAILED)
        g_string_append (text, error->message);
      else
        g_string_append (text, content);
      for (guint i = 0; i < calls->len; i++)
        {
          const CriaToolCall *call = g_ptr_array_index (calls, i);
          g_autofree char *name = g_utf8_make_valid (call->name != NULL ? call->name : "", -1);

          g_autofree char *heading = g_strdup_printf (_("Tool call: %s"), *name != '\0' ? name : _("(unnamed)"));

          append_sentence (text, heading);
        }
      if (outcome != NULL)
        append_sentence (text, outcome);
      if (error != NULL && cria_message_get_state (self->message) != CRIA_MESSAGE_STATE_FAILED)
        append_sentence (text, error->message);
      if (status != NULL && *status != '\0')
        append_sentence (text, status);
      description = g_string_free (text, FALSE);
    }

  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, streaming, -1);
  /* The text itself is left out of the accessibility tree while it
   * streams: every frame would otherwise report a change of it. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->markdown_view), GTK_ACCESSIBLE_STATE_HIDDEN, streaming, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description != NULL ? description : "",
                                  -1);
}

static void
update_actions_menu (CriaMessageRow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  const char *id = cria_message_get_id (self->message);
  g_autoptr(GMenuItem) copy = g_menu_item_new (_("_Copy"), NULL);
  g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Delete"), NULL);

  g_menu_item_set_action_and_target (copy, "win.copy-message", "s", id);
  g_menu_append_item (menu, copy);

  if (cria_message_get_role (self->message) == CRIA_ROLE_ASSISTANT)
    {
      g_autoptr(GMenuItem) regenerate = g_menu_item_new (_("_Regenerate"), NULL);

      g_menu_item_set_action_and_target (regenerate, "win.regenerate", "s", id);
      g_menu_append_item (menu, regenerate);
    }
  else if (cria_message_get_role (self->message) == CRIA_ROLE_USER)
    {
      g_autoptr(GMenuItem) edit = g_menu_item_new (_("_Edit and Resend"), NULL);

      g_menu_item_set_action_and_target (edit, "win.edit-message", "s", id);
      g_menu_append_item (menu, edit);
    }

  g_menu_item_set_action_and_target (remove, "win.delete-message", "s", id);
  g_menu_append_item (menu, remove);

  gtk_menu_button_set_menu_model (self->actions_button, G_MENU_MODEL (menu));
}

/* A popover menu is a tree of widgets that watch their actions: a row builds
 * its menu when it is opened, not for every message it shows, which made
 * opening a long conversation (some 200 rows at once) several times slower. */
static void
create_actions_popup_cb (GtkMenuButton *button,
                         gpointer       user_data)
{
  CriaMessageRow *self = user_data;

  if (self->message != NULL)
    update_actions_menu (self);
}

/* The response_format the conversation asks for, or NULL for text. */
static const char *
response_format (CriaMessageRow *self)
{
  const CriaChatParams *params;

  if (self->history == NULL || !CRIA_IS_CONVERSATION (self->history))
    return NULL;
  params = cria_conversation_get_params (CRIA_CONVERSATION (self->history));
  if (params == NULL || !(params->set & CRIA_CHAT_PARAM_RESPONSE_FORMAT))
    return NULL;
  return params->response_format;
}

/* A whole answer in a chat that asks for JSON: shown pretty-printed (and
 * highlighted, as a json code block), with a line saying whether it follows
 * the schema and where it does not. Returns the text to show. */
static char *
present_json (CriaMessageRow *self)
{
  const char *format = response_format (self);
  const char *content = cria_message_get_content (self->message);
  g_autofree char *verdict = NULL;
  char *shown;
  gboolean fits = FALSE;

  if (format == NULL || cria_message_get_role (self->message) != CRIA_ROLE_ASSISTANT ||
      is_streaming (self) || *content == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->json_status_label), FALSE);
      return g_strdup (content);
    }

  shown = cria_json_schema_present_answer (content, format, &verdict, &fits);
  gtk_label_set_text (self->json_status_label, verdict);
  gtk_widget_set_visible (GTK_WIDGET (self->json_status_label), TRUE);
  if (fits)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->json_status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->json_status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->json_status_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->json_status_label), "error");
    }
  return shown != NULL ? shown : g_strdup (content);
}

static void
show_message (CriaMessageRow *self)
{
  g_autofree char *shown = NULL;
  gboolean is_user = cria_message_get_role (self->message) == CRIA_ROLE_USER;
  gboolean is_tool = cria_message_get_role (self->message) == CRIA_ROLE_TOOL;
  const char *model = model_name (self);

  gtk_widget_remove_css_class (self->bubble, "user");
  gtk_widget_remove_css_class (self->bubble, "assistant");
  gtk_widget_remove_css_class (self->bubble, "tool");
  gtk_widget_add_css_class (self->bubble, is_user ? "user" : is_tool ? "tool" : "assistant");

  gtk_label_set_text (self->author_label,
                      is_user ? _("You") : is_tool ? _("Tool") : (model != NULL ? model : _("Assistant")));

  /* A tool call is its own compact row: the call, its status, its result. */
  gtk_widget_set_visible (GTK_WIDGET (self->tool_call_row), is_tool);
  cria_tool_call_row_set_message (self->tool_call_row, is_tool ? self->message : NULL);
  if (is_tool)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->user_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->markdown_view), FALSE);
      gtk_widget_set_visible (self->tool_calls_box, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->json_status_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->thinking_expander), FALSE);
      cria_markdown_view_clear (self->markdown_view);
      update_error (self);
      update_status (self);
      gtk_widget_set_visible (self->outcome_box, FALSE);
      gtk_menu_button_set_menu_model (self->actions_button, NULL);
      update_accessible (self);
      return;
    }

  /* A message of images alone has no text to show. */
  gtk_widget_set_visible (GTK_WIDGET (self->user_label), is_user && *cria_message_get_content (self->message) != '\0');
  /* An answer of tool calls alone has no text to show either. */
  gtk_widget_set_visible (GTK_WIDGET (self->markdown_view),
                          !is_user && (is_streaming (self) || *cria_message_get_content (self->message) != '\0' ||
                                       cria_message_get_tool_calls (self->message)->len == 0));
  if (is_user)
    gtk_label_set_text (self->user_label, cria_message_get_content (self->message));
  else if (is_streaming (self))
    {
      /* Keep the trailing block open: more text is on its way. */
      cria_markdown_view_clear (self->markdown_view);
      cria_markdown_view_append (self->markdown_view, cria_message_get_content (self->message));
    }
  else
    {
      shown = present_json (self);
      cria_markdown_view_set_text (self->markdown_view, shown);
    }
  if (is_user || is_streaming (self))
    gtk_widget_set_visible (GTK_WIDGET (self->json_status_label), FALSE);

  self->shown_streaming = is_streaming (self);
  drop_pending_reasoning (self);
  show_reasoning (self);
  update_thinking (self);
  update_tool_calls (self);
  update_outcome (self);
  update_error (self);
  update_status (self);
  /* The menu of the message shown before is built again when opened. */
  gtk_menu_button_set_menu_model (self->actions_button, NULL);
  update_accessible (self);
}

static void
content_appended_cb (CriaMessageRow *self,
                     const char     *text)
{
  gboolean first = gtk_expander_get_expanded (self->thinking_expander);

  cria_markdown_view_append (self->markdown_view, text);
  if (first)
    update_thinking (self);
}

static void
reasoning_appended_cb (CriaMessageRow *self,
                       const char     *text)
{
  g_string_append (self->pending_reasoning, text);
  if (self->reasoning_flush_id == 0)
    self->reasoning_flush_id = g_timeout_add (REASONING_FLUSH_MS, flush_reasoning_cb, self);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->thinking_expander)))
    update_thinking (self);
}

static void
content_reset_cb (CriaMessageRow *self)
{
  /* What is left is the text before a continuation, if any. */
  cria_markdown_view_clear (self->markdown_view);
  cria_markdown_view_append (self->markdown_view, cria_message_get_content (self->message));
  drop_pending_reasoning (self);
  show_reasoning (self);
  update_thinking (self);
}

static void
state_changed_cb (CriaMessageRow *self)
{
  flush_reasoning (self);
  if (!is_streaming (self) && cria_message_get_role (self->message) != CRIA_ROLE_USER)
    cria_markdown_view_finish (self->markdown_view);
  /* A continued answer streams again: its text so far is shown with the
   * last block open, so that what comes next joins it. */
  if (is_streaming (self) && !self->shown_streaming)
    {
      show_message (self);
      return;
    }
  /* A JSON answer is shown formatted once it is whole. */
  if (self->shown_streaming && !is_streaming (self) && response_format (self) != NULL)
    {
      show_message (self);
      return;
    }
  self->shown_streaming = is_streaming (self);

  update_thinking (self);
  update_outcome (self);
  update_error (self);
  update_status (self);
  update_accessible (self);
}

/* The status line is part of the description: both follow the figures,
 * which come after the state (the cost is known only then). */
static void
figures_changed_cb (CriaMessageRow *self)
{
  update_status (self);
  /* While the answer streams (the figures of its end come just before its
   * state does) it is described once, when it is complete. */
  if (!is_streaming (self))
    update_accessible (self);
}

static void
finish_reason_changed_cb (CriaMessageRow *self)
{
  update_outcome (self);
  if (!is_streaming (self))
    update_accessible (self);
}

/* Once the answer is whole, the calls may be all there is to show. */
static void
tool_calls_changed_cb (CriaMessageRow *self)
{
  if (is_streaming (self))
    update_tool_calls (self);
  else
    show_message (self);
}

static void
content_changed_cb (CriaMessageRow *self)
{
  /* A whole new text (an edit, or the end of a stream); while streaming the
   * view follows the appended pieces instead. */
  if (!is_streaming (self))
    show_message (self);
}

/* Thumbnails are decoded from the data URLs in a worker thread; the
 * picture keeps its place meanwhile. */
#define THUMBNAIL_SIDE 200

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = cria_image_texture_load_finish (result, &error);

  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_widget_set_tooltip_text (GTK_WIDGET (picture), _("This image cannot be shown"));
}

static void
update_images (CriaMessageRow *self)
{
  const char * const *urls = self->message != NULL ? cria_message_get_image_urls (self->message) : NULL;
  guint n = urls != NULL ? g_strv_length ((char **) urls) : 0;
  GtkWidget *child;

  if (self->shown_urls != NULL && urls != NULL && g_strv_equal ((const char * const *) self->shown_urls, urls))
    return;

  g_cancellable_cancel (self->images_cancellable);
  g_clear_object (&self->images_cancellable);
  g_clear_pointer (&self->shown_urls, g_strfreev);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->images_box))) != NULL)
    gtk_flow_box_remove (self->images_box, child);

  gtk_widget_set_visible (GTK_WIDGET (self->images_box), n > 0);
  if (n == 0)
    return;

  self->shown_urls = g_strdupv ((char **) urls);
  self->images_cancellable = g_cancellable_new ();
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *picture = gtk_picture_new ();
      g_autofree char *label = g_strdup_printf (_("Image %u of %u"), i + 1, n);

      gtk_widget_set_size_request (picture, 120, 90);
      gtk_widget_set_halign (picture, GTK_ALIGN_START);
      gtk_widget_set_valign (picture, GTK_ALIGN_START);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
      gtk_widget_add_css_class (picture, "cria-message-image");
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_flow_box_append (self->images_box, picture);
      cria_image_texture_load_async (NULL, urls[i], THUMBNAIL_SIDE, self->images_cancellable,
                                     thumbnail_loaded_cb, g_object_ref (picture));
    }
}

static void
update_documents (CriaMessageRow *self)
{
  cria_document_lines_fill (self->documents_box,
                            self->message != NULL ? cria_message_get_documents (self->message) : NULL);
}

static void
update_sources (CriaMessageRow *self)
{
  cria_source_list_set_sources (self->source_list,
                                self->message != NULL ? cria_message_get_sources (self->message) : NULL);
}

static void
history_changed_cb (CriaMessageRow *self,
                    guint           position,
                    guint           removed,
                    guint           added)
{
  if (self->message != NULL)
    {
      update_outcome (self);
      if (cria_message_get_tool_calls (self->message)->len > 0 &&
          cria_message_get_role (self->message) == CRIA_ROLE_ASSISTANT)
        update_tool_calls_visible (self);
    }
}

static void
cria_message_row_dispose (GObject *object)
{
  CriaMessageRow *self = CRIA_MESSAGE_ROW (object);

  g_cancellable_cancel (self->images_cancellable);
  g_clear_object (&self->images_cancellable);
  g_clear_pointer (&self->shown_urls, g_strfreev);
  stop_countdown (self);
  g_clear_handle_id (&self->reasoning_flush_id, g_source_remove);
  g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->signals);
  g_signal_group_set_target (self->history_signals, NULL);
  g_clear_object (&self->history_signals);
  g_clear_object (&self->history);
  g_clear_object (&self->message);
  g_clear_object (&self->models);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_MESSAGE_ROW);

  G_OBJECT_CLASS (cria_message_row_parent_class)->dispose (object);
}

static void
cria_message_row_finalize (GObject *object)
{
  CriaMessageRow *self = CRIA_MESSAGE_ROW (object);

  g_string_free (self->pending_reasoning, TRUE);

  G_OBJECT_CLASS (cria_message_row_parent_class)->finalize (object);
}

static void
cria_message_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CriaMessageRow *self = CRIA_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_message_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CriaMessageRow *self = CRIA_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      cria_message_row_set_message (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_message_row_class_init (CriaMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_message_row_dispose;
  object_class->finalize = cria_message_row_finalize;
  object_class->get_property = cria_message_row_get_property;
  object_class->set_property = cria_message_row_set_property;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, CRIA_TYPE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRIA_TYPE_MARKDOWN_VIEW);
  g_type_ensure (CRIA_TYPE_TOOL_CALL_ROW);
  g_type_ensure (CRIA_TYPE_SOURCE_LIST);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, actions_button);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, thinking_expander);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, user_label);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, images_box);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, documents_box);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, source_list);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, markdown_view);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, tool_calls_box);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, tool_call_row);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, outcome_box);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, continue_button);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, error_box);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, error_button);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CriaMessageRow, json_status_label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cria_message_row_init (CriaMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->pending_reasoning = g_string_new (NULL);
  gtk_menu_button_set_create_popup_func (self->actions_button, create_actions_popup_cb, self, NULL);
  self->signals = g_signal_group_new (CRIA_TYPE_MESSAGE);
  g_signal_group_connect_swapped (self->signals, "content-appended", G_CALLBACK (content_appended_cb), self);
  g_signal_group_connect_swapped (self->signals, "reasoning-appended", G_CALLBACK (reasoning_appended_cb), self);
  g_signal_group_connect_swapped (self->signals, "content-reset", G_CALLBACK (content_reset_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::state", G_CALLBACK (state_changed_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::error", G_CALLBACK (state_changed_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::usage", G_CALLBACK (figures_changed_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::cost", G_CALLBACK (figures_changed_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::tokens-per-second", G_CALLBACK (figures_changed_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::thinking-time", G_CALLBACK (update_thinking), self);
  g_signal_group_connect_swapped (self->signals, "notify::content", G_CALLBACK (content_changed_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::image-urls", G_CALLBACK (update_images), self);
  g_signal_group_connect_swapped (self->signals, "notify::tool-calls", G_CALLBACK (tool_calls_changed_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::finish-reason", G_CALLBACK (finish_reason_changed_cb), self);
  g_signal_group_connect_swapped (self->signals, "notify::tool-status", G_CALLBACK (update_accessible), self);
  g_signal_group_connect_swapped (self->signals, "notify::sources", G_CALLBACK (update_sources), self);
  self->history_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->history_signals, "items-changed", G_CALLBACK (history_changed_cb), self);
}

GtkWidget *
cria_message_row_new (void)
{
  return g_object_new (CRIA_TYPE_MESSAGE_ROW, NULL);
}

CriaMessage *
cria_message_row_get_message (CriaMessageRow *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}

void
cria_message_row_set_message (CriaMessageRow *self,
                              CriaMessage    *message)
{
  g_return_if_fail (CRIA_IS_MESSAGE_ROW (self));
  g_return_if_fail (message == NULL || CRIA_IS_MESSAGE (message));

  if (self->message == message)
    return;

  stop_countdown (self);
  drop_pending_reasoning (self);
  g_set_object (&self->message, message);
  g_signal_group_set_target (self->signals, message);
  update_images (self);
  update_documents (self);
  update_sources (self);
  if (message != NULL)
    show_message (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
cria_message_row_set_models (CriaMessageRow *self,
                             GListModel     *models)
{
  g_return_if_fail (CRIA_IS_MESSAGE_ROW (self));
  g_return_if_fail (models == NULL || G_IS_LIST_MODEL (models));

  if (!g_set_object (&self->models, models))
    return;

  if (self->message != NULL)
    show_message (self);
}

void
cria_message_row_set_history (CriaMessageRow *self,
                              GListModel     *history)
{
  g_return_if_fail (CRIA_IS_MESSAGE_ROW (self));
  g_return_if_fail (history == NULL || G_IS_LIST_MODEL (history));

  if (!g_set_object (&self->history, history))
    return;

  g_signal_group_set_target (self->history_signals, history);
  if (self->message != NULL)
    {
      update_outcome (self);
      update_tool_calls_visible (self);
    }
}
