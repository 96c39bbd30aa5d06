/* cria-tool-call-row.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cria-tool-call-row.h"

/* A result shown whole would make a label of up to 64 KB, slow to lay out
 * at every scroll; the history and the export keep it whole. */
#define RESULT_SHOWN_MAX (8 * 1024)

struct _CriaToolCallRow
{
  AdwBin        parent_instance;

  CriaMessage  *message;
  GSignalGroup *signals;
  char         *status;
  char         *result;

  GtkLabel     *name_label;
  GtkLabel     *status_label;
  GtkLabel     *arguments_label;
  GtkWidget    *approval_box;
  GtkExpander  *result_expander;
  GtkLabel     *result_label;
};

G_DEFINE_FINAL_TYPE (CriaToolCallRow, cria_tool_call_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_duration (gint64 usec)
{
  if (usec < G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%d ms"), (int) (usec / 1000));

  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.1f s"), usec / (double) G_USEC_PER_SEC);
}

/**
 * cria_tool_call_describe_status:
 *
 * Returns: (transfer full): where the call of @message stands, for people
 */
char *
cria_tool_call_describe_status (CriaMessage *message)
{
  g_autofree char *duration = format_duration (cria_message_get_tool_duration (message));

  switch (cria_message_get_tool_status (message))
    {
    case CRIA_TOOL_STATUS_WAITING:
      return g_strdup (_("Waiting for your approval"));
    case CRIA_TOOL_STATUS_RUNNING:
      return g_strdup (_("Running…"));
    case CRIA_TOOL_STATUS_DONE:
      /* Translators: %s is a duration, such as "0.2 s" */
      return g_strdup_printf (_("Done in %s"), duration);
    case CRIA_TOOL_STATUS_FAILED:
      if (cria_message_get_tool_duration (message) == 0)
        return g_strdup (_("Failed"));
      /* Translators: %s is a duration, such as "0.2 s" */
      return g_strdup_printf (_("Failed after %s"), duration);
    case CRIA_TOOL_STATUS_DENIED:
      return g_strdup (_("Denied"));
    case CRIA_TOOL_STATUS_STOPPED:
      return g_strdup (_("Stopped"));
    case CRIA_TOOL_STATUS_NONE:
    default:
      return g_strdup ("");
    }
}

/* The result, valid UTF-8, cut on a character boundary past RESULT_SHOWN_MAX. */
static char *
shown_result (const char *content)
{
  g_autofree char *valid = g_utf8_make_valid (content, -1);
  gsize len = strlen (valid);
  g_autofree char *more = NULL;
  const char *end;

  if (len <= RESULT_SHOWN_MAX)
    return g_steal_pointer (&valid);

  end = g_utf8_find_prev_char (valid, valid + RESULT_SHOWN_MAX + 1);
  more = g_format_size (len - (end - valid));
  /* Translators: %.*s is the start of a long result, %s a size such as "12 kB" */
  return g_strdup_printf (_("%.*s\n… %s more, kept in the history"), (int) (end - valid), valid, more);
}

static void
update (CriaToolCallRow *self)
{
  const CriaToolCall *call = cria_message_get_tool_call (self->message);
  CriaToolStatus status = cria_message_get_tool_status (self->message);
  g_autofree char *name = NULL;
  g_autofree char *arguments = NULL;
  g_autofree char *label = NULL;
  gboolean waiting = status == CRIA_TOOL_STATUS_WAITING;
  gboolean has_result = cria_tool_status_is_final (status) && *cria_message_get_content (self->message) != '\0';

  name = g_utf8_make_valid (call != NULL && call->name != NULL ? call->name : "", -1);
  arguments = call != NULL ? cria_tool_call_format_arguments (call) : g_strdup ("");
  g_free (self->status);
  self->status = cria_tool_call_describe_status (self->message);
  g_free (self->result);
  self->result = shown_result (cria_message_get_content (self->message));

  gtk_label_set_text (self->name_label, *name != '\0' ? name : _("(unnamed)"));
  gtk_label_set_text (self->status_label, self->status);
  gtk_label_set_text (self->arguments_label, arguments);
  gtk_widget_set_visible (GTK_WIDGET (self->arguments_label), *arguments != '\0');
  gtk_widget_set_visible (self->approval_box, waiting);
  gtk_widget_set_visible (GTK_WIDGET (self->result_expander), has_result);
  gtk_expander_set_label (self->result_expander,
                          status == CRIA_TOOL_STATUS_DONE ? _("Result") : _("Why"));
  gtk_label_set_text (self->result_label, self->result);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tool-call.allow-once", waiting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tool-call.allow-always", waiting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tool-call.deny", waiting);

  /* Translators: %s is the name of a tool the model called */
  label = g_strdup_printf (_("Tool call: %s"), *name != '\0' ? name : _("(unnamed)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->status,
                                  -1);
}

static void
answer (CriaToolCallRow *self,
        const char      *what)
{
  if (self->message == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.answer-tool-call", "(ss)",
                              cria_message_get_id (self->message), what);
}

static void
answer_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  /* "tool-call.allow-once" → "allow-once". */
  answer (CRIA_TOOL_CALL_ROW (widget), action_name + strlen ("tool-call."));
}

static void
cria_tool_call_row_dispose (GObject *object)
{
  CriaToolCallRow *self = CRIA_TOOL_CALL_ROW (object);

  g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->message);

  G_OBJECT_CLASS (cria_tool_call_row_parent_class)->dispose (object);
}

static void
cria_tool_call_row_finalize (GObject *object)
{
  CriaToolCallRow *self = CRIA_TOOL_CALL_ROW (object);

  g_clear_object (&self->signals);
  g_free (self->status);
  g_free (self->result);

  G_OBJECT_CLASS (cria_tool_call_row_parent_class)->finalize (object);
}

static void
cria_tool_call_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CriaToolCallRow *self = CRIA_TOOL_CALL_ROW (object);

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
cria_tool_call_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CriaToolCallRow *self = CRIA_TOOL_CALL_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      cria_tool_call_row_set_message (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_tool_call_row_class_init (CriaToolCallRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_tool_call_row_dispose;
  object_class->finalize = cria_tool_call_row_finalize;
  object_class->get_property = cria_tool_call_row_get_property;
  object_class->set_property = cria_tool_call_row_set_property;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, CRIA_TYPE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-tool-call-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaToolCallRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CriaToolCallRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CriaToolCallRow, arguments_label);
  gtk_widget_class_bind_template_child (widget_class, CriaToolCallRow, approval_box);
  gtk_widget_class_bind_template_child (widget_class, CriaToolCallRow, result_expander);
  gtk_widget_class_bind_template_child (widget_class, CriaToolCallRow, result_label);

  gtk_widget_class_install_action (widget_class, "tool-call.allow-once", NULL, answer_activated);
  gtk_widget_class_install_action (widget_class, "tool-call.allow-always", NULL, answer_activated);
  gtk_widget_class_install_action (widget_class, "tool-call.deny", NULL, answer_activated);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cria_tool_call_row_init (CriaToolCallRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->signals = g_signal_group_new (CRIA_TYPE_MESSAGE);
  g_signal_group_connect_swapped (self->signals, "notify::tool-status", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::tool-duration", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::content", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->signals, "notify::tool-calls", G_CALLBACK (update), self);
}

GtkWidget *
cria_tool_call_row_new (void)
{
  return g_object_new (CRIA_TYPE_TOOL_CALL_ROW, NULL);
}

CriaMessage *
cria_tool_call_row_get_message (CriaToolCallRow *self)
{
  g_return_val_if_fail (CRIA_IS_TOOL_CALL_ROW (self), NULL);

  return self->message;
}

void
cria_tool_call_row_set_message (CriaToolCallRow *self,
                                CriaMessage     *message)
{
  g_return_if_fail (CRIA_IS_TOOL_CALL_ROW (self));
  g_return_if_fail (message == NULL || CRIA_IS_MESSAGE (message));

  if (!g_set_object (&self->message, message))
    return;

  g_signal_group_set_target (self->signals, message);
  if (message != NULL)
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

const char *
cria_tool_call_row_get_status (CriaToolCallRow *self)
{
  g_return_val_if_fail (CRIA_IS_TOOL_CALL_ROW (self), NULL);

  return self->status;
}

const char *
cria_tool_call_row_get_result (CriaToolCallRow *self)
{
  g_return_val_if_fail (CRIA_IS_TOOL_CALL_ROW (self), NULL);

  return self->result;
}
