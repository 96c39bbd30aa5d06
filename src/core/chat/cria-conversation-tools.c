/* cria-conversation-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The tool loop of a conversation: when an answer asks for tool calls, each
 * call becomes a tool message after it, runs (together with the others, once
 * allowed when its tool asks), and when every call has ended the model is
 * asked again with the results, until it answers without calls or the round
 * limit ends the turn. The caller's task spans the whole turn. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-catalogue.h"
#include "cria-conversation-private.h"
#include "cria-json.h"

#define DEFAULT_MAX_TOOL_ROUNDS 8
/* Bounds on stored tool settings: text, sources left out, a name. */
#define TOOL_SETTINGS_MAX_BYTES (64 * 1024)
#define TOOL_SOURCES_OFF_MAX 256
#define TOOL_NAME_MAX_BYTES 1024

enum {
  TOOL_PROP_TOOLBOX,
  TOOL_PROP_TOOLS_ENABLED,
  TOOL_PROP_TOOL_CHOICE,
  TOOL_PROP_MAX_TOOL_ROUNDS,
  TOOL_PROP_TOOLS_UNAVAILABLE_REASON,
  TOOL_PROP_TOOL_SOURCES_OFF,
  N_TOOL_PROPS
};

static GParamSpec *tool_properties[N_TOOL_PROPS];
static guint first_prop_id;

/* One call of a round. */
typedef struct
{
  ToolRound    *round;
  CriaMessage  *message;
  CriaTool     *tool;
  JsonObject   *arguments;
  gint64        started;
} ToolRun;

/* The calls of one answer. Each running tool holds a reference, so a round
 * the user stopped lives until its last tool has let go. */
struct _ToolRound
{
  gatomicrefcount  ref_count;
  GWeakRef         conversation;
  /* The caller's task; NULL once the round has handed it on or returned it. */
  GTask           *task;
  GCancellable    *cancellable;
  /* ToolRun. */
  GPtrArray       *runs;
};

static void
tool_run_free (ToolRun *run)
{
  g_clear_object (&run->message);
  g_clear_object (&run->tool);
  g_clear_pointer (&run->arguments, json_object_unref);
  g_free (run);
}

static ToolRound *
tool_round_ref (ToolRound *round)
{
  g_atomic_ref_count_inc (&round->ref_count);
  return round;
}

static void
tool_round_unref (ToolRound *round)
{
  if (!g_atomic_ref_count_dec (&round->ref_count))
    return;

  g_assert (round->task == NULL);
  g_clear_object (&round->cancellable);
  g_clear_pointer (&round->runs, g_ptr_array_unref);
  g_weak_ref_clear (&round->conversation);
  g_free (round);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ToolRound, tool_round_unref)

static CriaModel *
find_model (CriaConversation *self)
{
  if (self->models == NULL || self->model_id == NULL)
    return NULL;

  return cria_catalogue_find (self->models, self->model_id);
}

/**
 * cria_conversation_get_tools_unavailable_reason:
 *
 * Returns: (nullable): why the conversation's model cannot be offered tools,
 *   for the user, or %NULL when it can (or nothing is known about it)
 */
const char *
cria_conversation_get_tools_unavailable_reason (CriaConversation *self)
{
  CriaModel *model;

  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  model = find_model (self);
  if (model == NULL || !cria_model_get_capabilities_known (model))
    return NULL;

  if (!cria_model_has_capability (model, CRIA_MODEL_CAPABILITY_TOOLS))
    return _("This model cannot call tools: choose a model with the Tools badge.");

  return NULL;
}

/* Whether the next request offers tools. */
static gboolean
tools_active (CriaConversation *self)
{
  return self->tools_enabled && self->toolbox != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (self->toolbox)) > 0 &&
         cria_conversation_get_tools_unavailable_reason (self) == NULL;
}

static gboolean
is_keyword_choice (const char *choice)
{
  return g_str_equal (choice, "required") || g_str_equal (choice, "none") || g_str_equal (choice, "auto");
}

static char *
build_tool_choice (const char *choice)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (is_keyword_choice (choice))
    return g_strdup (choice);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "function");
  json_builder_set_member_name (builder, "function");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, choice);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  generator = json_generator_new ();
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Offers the tools in @request when the conversation has them on. A tool
 * the user forces is forced in the first request of a turn only: forcing it
 * again after its result would loop until the round limit. */
void
_cria_conversation_apply_tools (CriaConversation *self,
                                CriaChatRequest  *request)
{
  g_autofree char *tools = NULL;

  if (!tools_active (self))
    return;

  tools = cria_toolbox_to_json (self->toolbox, (const char * const *) self->tool_sources_off);
  if (tools == NULL)
    return;

  cria_chat_request_set_tools_json (request, tools);
  if (self->tool_choice != NULL && self->n_tool_rounds == 0)
    {
      g_autofree char *choice = NULL;
      g_autoptr(CriaTool) forced = NULL;

      /* A forced tool no longer offered (its server gone or left out) is
       * not asked for: the server would refuse the whole request. */
      if (!is_keyword_choice (self->tool_choice) &&
          (forced = cria_toolbox_lookup (self->toolbox, self->tool_choice,
                                         (const char * const *) self->tool_sources_off)) == NULL)
        return;
      choice = build_tool_choice (self->tool_choice);
      cria_chat_request_set_tool_choice_json (request, choice);
    }
}

void
_cria_conversation_begin_turn (CriaConversation *self)
{
  self->n_tool_rounds = 0;
}

static void
set_result (ToolRun        *run,
            CriaToolStatus  status,
            const char     *text)
{
  g_autoptr(CriaToolResult) capped = cria_tool_result_new (text, FALSE);

  if (run->started > 0)
    cria_message_set_tool_duration (run->message, g_get_monotonic_time () - run->started);
  cria_message_set_content (run->message, capped->text);
  cria_message_set_tool_status (run->message, status);
}

static gboolean
round_is_done (ToolRound *round)
{
  for (guint i = 0; i < round->runs->len; i++)
    {
      ToolRun *run = g_ptr_array_index (round->runs, i);

      if (!cria_tool_status_is_final (cria_message_get_tool_status (run->message)))
        return FALSE;
    }

  return TRUE;
}

/* Every call has ended: ask the model again, or end the turn at the limit. */
static void
finish_round (CriaConversation *self)
{
  ToolRound *round = self->tool_round;
  g_autoptr(GTask) task = NULL;

  g_assert (round != NULL);

  task = g_steal_pointer (&round->task);
  self->tool_round = NULL;
  self->n_tool_rounds++;

  if (self->n_tool_rounds >= self->max_tool_rounds)
    {
      g_autoptr(CriaMessage) note = cria_message_new (CRIA_ROLE_ASSISTANT, NULL);
      g_autoptr(GError) error = NULL;

      error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The model kept calling tools: Cria stopped after %u round. "
                                        "Ask again, or raise the limit in Preferences.",
                                        "The model kept calling tools: Cria stopped after %u rounds. "
                                        "Ask again, or raise the limit in Preferences.",
                                        self->max_tool_rounds),
                           self->max_tool_rounds);
      cria_message_set_model (note, self->model_id);
      cria_message_set_error (note, error);
      cria_message_set_state (note, CRIA_MESSAGE_STATE_FAILED);
      _cria_conversation_append (self, note);
      _cria_conversation_notify_busy (self);
      g_task_return_error (task, g_steal_pointer (&error));
      tool_round_unref (round);
      return;
    }

  tool_round_unref (round);
  /* Busy the whole time: the next answer takes over before anyone is told. */
  _cria_conversation_follow_up (self, task);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ToolRun *run = user_data;
  g_autoptr(ToolRound) round = run->round;
  g_autoptr(CriaConversation) self = g_weak_ref_get (&round->conversation);
  g_autoptr(CriaToolResult) tool_result = NULL;
  g_autoptr(GError) error = NULL;

  tool_result = cria_tool_run_finish (CRIA_TOOL (object), result, &error);

  /* A stopped round has already said so in its messages. */
  if (self == NULL || self->tool_round != round ||
      cria_message_get_tool_status (run->message) != CRIA_TOOL_STATUS_RUNNING)
    return;

  if (tool_result != NULL)
    set_result (run, tool_result->is_error ? CRIA_TOOL_STATUS_FAILED : CRIA_TOOL_STATUS_DONE,
                tool_result->text);
  else
    set_result (run, CRIA_TOOL_STATUS_FAILED, error->message);

  if (round_is_done (round))
    finish_round (self);
}

static void
start_run (ToolRun *run)
{
  run->started = g_get_monotonic_time ();
  cria_message_set_tool_status (run->message, CRIA_TOOL_STATUS_RUNNING);
  tool_round_ref (run->round);
  cria_tool_run_async (run->tool, run->arguments, run->round->cancellable, run_done_cb, run);
}

/* The calls as the answer will be sent back: each with an id, which the
 * result must name. Servers that give none get one made up. */
static GPtrArray *
calls_with_ids (CriaMessage *answer)
{
  GPtrArray *calls = cria_message_get_tool_calls (answer);
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_tool_call_free);
  gboolean changed = FALSE;

  for (guint i = 0; i < calls->len; i++)
    {
      CriaToolCall *call = cria_tool_call_copy (g_ptr_array_index (calls, i));

      if (call->id == NULL || *call->id == '\0')
        {
          g_free (call->id);
          call->id = g_strdup_printf ("call_%s_%u", cria_message_get_id (answer), i);
          changed = TRUE;
        }
      g_ptr_array_add (copy, call);
    }

  if (changed)
    cria_message_set_tool_calls (answer, copy);

  return cria_message_get_tool_calls (answer);
}

/* Makes the tool message of @call and what it needs to run, or ends it
 * failed when it cannot run at all. */
static ToolRun *
prepare_run (CriaConversation   *self,
             ToolRound          *round,
             const CriaToolCall *call)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  ToolRun *run = g_new0 (ToolRun, 1);

  run->round = round;
  run->message = cria_message_new (CRIA_ROLE_TOOL, NULL);
  g_ptr_array_add (one, (gpointer) call);
  cria_message_set_tool_calls (run->message, one);
  cria_message_set_model (run->message, self->model_id);

  run->tool = cria_toolbox_lookup (self->toolbox, call->name, (const char * const *) self->tool_sources_off);
  if (run->tool == NULL)
    {
      g_autofree char *text = g_strdup_printf ("There is no tool named “%s”. The tools are the ones "
                                               "offered in this request.",
                                               call->name != NULL ? call->name : "");

      set_result (run, CRIA_TOOL_STATUS_FAILED, text);
      return run;
    }

  run->arguments = cria_tool_call_parse_arguments (call, &error);
  if (run->arguments == NULL)
    {
      set_result (run, CRIA_TOOL_STATUS_FAILED, error->message);
      return run;
    }

  cria_message_set_tool_status (run->message,
                                cria_toolbox_needs_approval (self->toolbox, run->tool)
                                ? CRIA_TOOL_STATUS_WAITING : CRIA_TOOL_STATUS_RUNNING);
  return run;
}

/* Runs the calls @answer asked for, taking over @task, when the conversation
 * has tools on; FALSE (and @task untouched) when there is nothing to run. */
gboolean
_cria_conversation_run_tools (CriaConversation *self,
                              CriaMessage      *answer,
                              GTask            *task)
{
  ToolRound *round;
  GPtrArray *calls;

  g_assert (self->op == NULL && self->tool_round == NULL);

  /* Calls to tools the request did not offer are shown, never run. */
  if (cria_message_get_tool_calls (answer)->len == 0 || !tools_active (self))
    return FALSE;

  round = g_new0 (ToolRound, 1);
  g_atomic_ref_count_init (&round->ref_count);
  g_weak_ref_init (&round->conversation, self);
  round->task = g_object_ref (task);
  round->cancellable = g_cancellable_new ();
  round->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tool_run_free);
  self->tool_round = round;

  calls = calls_with_ids (answer);
  for (guint i = 0; i < calls->len; i++)
    {
      ToolRun *run = prepare_run (self, round, g_ptr_array_index (calls, i));

      g_ptr_array_add (round->runs, run);
      _cria_conversation_append (self, run->message);
    }

  /* Parallel calls run together; those that ask wait for the user. */
  for (guint i = 0; i < round->runs->len; i++)
    {
      ToolRun *run = g_ptr_array_index (round->runs, i);

      if (cria_message_get_tool_status (run->message) == CRIA_TOOL_STATUS_RUNNING)
        start_run (run);
    }

  if (self->tool_round == round && round_is_done (round))
    finish_round (self);

  return TRUE;
}

/* Ends the running round now: the calls not yet ended are stopped, and the
 * caller's task returns cancelled. */
void
_cria_conversation_stop_tools (CriaConversation *self)
{
  ToolRound *round = self->tool_round;
  g_autoptr(GTask) task = NULL;

  g_assert (round != NULL);

  task = g_steal_pointer (&round->task);
  self->tool_round = NULL;

  for (guint i = 0; i < round->runs->len; i++)
    {
      ToolRun *run = g_ptr_array_index (round->runs, i);

      if (!cria_tool_status_is_final (cria_message_get_tool_status (run->message)))
        set_result (run, CRIA_TOOL_STATUS_STOPPED, "The user stopped this call before it ended.");
    }

  g_cancellable_cancel (round->cancellable);
  tool_round_unref (round);
  _cria_conversation_notify_busy (self);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The answer was stopped."));
}

/**
 * cria_conversation_answer_tool_call:
 * @message: a tool message waiting for approval
 * @answer: what the user said
 *
 * Lets the call of @message run, for this once or for good, or denies it.
 * Only the user answers: nothing a model or a tool writes calls this.
 */
void
cria_conversation_answer_tool_call (CriaConversation *self,
                                    CriaMessage      *message,
                                    CriaToolAnswer    answer)
{
  ToolRound *round;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (CRIA_IS_MESSAGE (message));

  round = self->tool_round;
  if (round == NULL || cria_message_get_tool_status (message) != CRIA_TOOL_STATUS_WAITING)
    return;

  for (guint i = 0; i < round->runs->len; i++)
    {
      ToolRun *run = g_ptr_array_index (round->runs, i);

      if (run->message != message)
        continue;

      if (answer == CRIA_TOOL_ANSWER_DENY)
        {
          set_result (run, CRIA_TOOL_STATUS_DENIED, "The user did not allow this call.");
          if (round_is_done (round))
            finish_round (self);
          return;
        }

      if (answer == CRIA_TOOL_ANSWER_ALLOW_ALWAYS)
        cria_toolbox_allow_always (self->toolbox, run->tool);
      start_run (run);
      return;
    }
}

/* The properties, installed after the conversation's own. */

void
_cria_conversation_tools_class_init (GObjectClass *object_class,
                                     guint         first_id)
{
  first_prop_id = first_id;

  tool_properties[TOOL_PROP_TOOLBOX] =
    g_param_spec_object ("toolbox", NULL, NULL, CRIA_TYPE_TOOLBOX,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The user's switch; tools go out only when the model can take them too. */
  tool_properties[TOOL_PROP_TOOLS_ENABLED] =
    g_param_spec_boolean ("tools-enabled", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* NULL: the model chooses; "required", or the name of the tool to call. */
  tool_properties[TOOL_PROP_TOOL_CHOICE] =
    g_param_spec_string ("tool-choice", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  tool_properties[TOOL_PROP_MAX_TOOL_ROUNDS] =
    g_param_spec_uint ("max-tool-rounds", NULL, NULL, 1, 100, DEFAULT_MAX_TOOL_ROUNDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Notified with model-id and models. */
  tool_properties[TOOL_PROP_TOOLS_UNAVAILABLE_REASON] =
    g_param_spec_string ("tools-unavailable-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The sources whose tools the chat leaves out: "" for Cria's own, else
   * an MCP server's name. Never NULL. */
  tool_properties[TOOL_PROP_TOOL_SOURCES_OFF] =
    g_param_spec_boxed ("tool-sources-off", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  for (guint i = 0; i < N_TOOL_PROPS; i++)
    g_object_class_install_property (object_class, first_id + i, tool_properties[i]);
}

void
_cria_conversation_tools_init (CriaConversation *self)
{
  self->max_tool_rounds = DEFAULT_MAX_TOOL_ROUNDS;
  self->tool_sources_off = g_new0 (char *, 1);
}

void
_cria_conversation_tools_dispose (CriaConversation *self)
{
  g_clear_object (&self->toolbox);
  g_clear_pointer (&self->tool_choice, g_free);
  g_clear_pointer (&self->tool_sources_off, g_strfreev);
}

void
_cria_conversation_notify_tools_reason (CriaConversation *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), tool_properties[TOOL_PROP_TOOLS_UNAVAILABLE_REASON]);
}

gboolean
_cria_conversation_tools_get_property (CriaConversation *self,
                                       guint             prop_id,
                                       GValue           *value)
{
  switch (prop_id - first_prop_id)
    {
    case TOOL_PROP_TOOLBOX:
      g_value_set_object (value, self->toolbox);
      return TRUE;
    case TOOL_PROP_TOOLS_ENABLED:
      g_value_set_boolean (value, self->tools_enabled);
      return TRUE;
    case TOOL_PROP_TOOL_CHOICE:
      g_value_set_string (value, self->tool_choice);
      return TRUE;
    case TOOL_PROP_MAX_TOOL_ROUNDS:
      g_value_set_uint (value, self->max_tool_rounds);
      return TRUE;
    case TOOL_PROP_TOOLS_UNAVAILABLE_REASON:
      g_value_set_string (value, cria_conversation_get_tools_unavailable_reason (self));
      return TRUE;
    case TOOL_PROP_TOOL_SOURCES_OFF:
      g_value_set_boxed (value, self->tool_sources_off);
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
_cria_conversation_tools_set_property (CriaConversation *self,
                                       guint             prop_id,
                                       const GValue     *value)
{
  switch (prop_id - first_prop_id)
    {
    case TOOL_PROP_TOOLBOX:
      cria_conversation_set_toolbox (self, g_value_get_object (value));
      return TRUE;
    case TOOL_PROP_TOOLS_ENABLED:
      cria_conversation_set_tools_enabled (self, g_value_get_boolean (value));
      return TRUE;
    case TOOL_PROP_TOOL_CHOICE:
      cria_conversation_set_tool_choice (self, g_value_get_string (value));
      return TRUE;
    case TOOL_PROP_MAX_TOOL_ROUNDS:
      cria_conversation_set_max_tool_rounds (self, g_value_get_uint (value));
      return TRUE;
    case TOOL_PROP_TOOL_SOURCES_OFF:
      cria_conversation_set_tool_sources_off (self, g_value_get_boxed (value));
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * cria_conversation_get_toolbox:
 *
 * Returns: (transfer none) (nullable): the tools the conversation may offer
 */
CriaToolbox *
cria_conversation_get_toolbox (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->toolbox;
}

void
cria_conversation_set_toolbox (CriaConversation *self,
                               CriaToolbox      *toolbox)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (toolbox == NULL || CRIA_IS_TOOLBOX (toolbox));

  if (g_set_object (&self->toolbox, toolbox))
    g_object_notify_by_pspec (G_OBJECT (self), tool_properties[TOOL_PROP_TOOLBOX]);
}

gboolean
cria_conversation_get_tools_enabled (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);

  return self->tools_enabled;
}

void
cria_conversation_set_tools_enabled (CriaConversation *self,
                                     gboolean          enabled)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  enabled = !!enabled;
  self->tools_chosen = TRUE;
  if (self->tools_enabled == enabled)
    return;

  self->tools_enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), tool_properties[TOOL_PROP_TOOLS_ENABLED]);
}

gboolean
cria_conversation_get_tools_chosen (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), FALSE);

  return self->tools_chosen;
}

/**
 * cria_conversation_get_tool_sources_off:
 *
 * Returns: (transfer none) (array zero-terminated=1): the sources whose
 *   tools the chat leaves out, never %NULL
 */
const char * const *
cria_conversation_get_tool_sources_off (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return (const char * const *) self->tool_sources_off;
}

/**
 * cria_conversation_set_tool_sources_off:
 * @sources_off: (nullable) (array zero-terminated=1): "" for Cria's own
 *   tools, else MCP servers' names; %NULL leaves none out
 */
void
cria_conversation_set_tool_sources_off (CriaConversation   *self,
                                        const char * const *sources_off)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) off = NULL;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  /* Each once, and only text a widget can show. */
  for (guint i = 0; sources_off != NULL && sources_off[i] != NULL && kept->len < TOOL_SOURCES_OFF_MAX; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (sources_off[i], -1);

      if (!g_ptr_array_find_with_equal_func (kept, valid, g_str_equal, NULL))
        g_ptr_array_add (kept, g_steal_pointer (&valid));
    }
  g_ptr_array_add (kept, NULL);
  off = (GStrv) g_ptr_array_steal (kept, NULL);

  if (g_strv_equal ((const char * const *) self->tool_sources_off, (const char * const *) off))
    return;

  g_strfreev (self->tool_sources_off);
  self->tool_sources_off = g_steal_pointer (&off);
  g_object_notify_by_pspec (G_OBJECT (self), tool_properties[TOOL_PROP_TOOL_SOURCES_OFF]);
}

/**
 * cria_conversation_dup_tool_settings:
 *
 * Returns: (transfer full) (nullable): {"enabled": …, "choice": …,
 *   "sources_off": […]}, each member only when it is not the default
 */
char *
cria_conversation_dup_tool_settings (CriaConversation *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  if (!self->tools_chosen && self->tool_choice == NULL && self->tool_sources_off[0] == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (self->tools_chosen)
    {
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, self->tools_enabled);
    }
  if (self->tool_choice != NULL)
    {
      json_builder_set_member_name (builder, "choice");
      json_builder_add_string_value (builder, self->tool_choice);
    }
  if (self->tool_sources_off[0] != NULL)
    {
      json_builder_set_member_name (builder, "sources_off");
      json_builder_begin_array (builder);
      for (guint i = 0; self->tool_sources_off[i] != NULL; i++)
        json_builder_add_string_value (builder, self->tool_sources_off[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return cria_json_to_data (root, FALSE, NULL);
}

void
cria_conversation_load_tool_settings (CriaConversation *self,
                                      const char       *json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) off = g_ptr_array_new ();
  JsonObject *object;
  JsonNode *node;
  gsize len;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  /* The store's text is Cria's own, but a file may have been edited or
   * imported: anything else than the shape written above is left alone. */
  if (json == NULL || (len = strlen (json)) > TOOL_SETTINGS_MAX_BYTES ||
      !g_utf8_validate_len (json, len, NULL) || !cria_json_is_single_value (json, len) ||
      !json_parser_load_from_data (parser, json, (gssize) len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  object = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (object, "enabled");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    cria_conversation_set_tools_enabled (self, json_node_get_boolean (node));

  node = json_object_get_member (object, "choice");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      strlen (json_node_get_string (node)) <= TOOL_NAME_MAX_BYTES)
    cria_conversation_set_tool_choice (self, json_node_get_string (node));

  node = json_object_get_member (object, "sources_off");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && off->len < TOOL_SOURCES_OFF_MAX; i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_ptr_array_add (off, (gpointer) json_node_get_string (item));
        }
      g_ptr_array_add (off, NULL);
      cria_conversation_set_tool_sources_off (self, (const char * const *) off->pdata);
    }
}

const char *
cria_conversation_get_tool_choice (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->tool_choice;
}

/**
 * cria_conversation_set_tool_choice:
 * @choice: (nullable): %NULL to let the model choose, "required" to make it
 *   call one, or a tool's name to make it call that one
 */
void
cria_conversation_set_tool_choice (CriaConversation *self,
                                   const char       *choice)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  if (choice != NULL && (*choice == '\0' || g_str_equal (choice, "auto")))
    choice = NULL;
  if (g_strcmp0 (self->tool_choice, choice) == 0)
    return;

  g_free (self->tool_choice);
  self->tool_choice = g_strdup (choice);
  g_object_notify_by_pspec (G_OBJECT (self), tool_properties[TOOL_PROP_TOOL_CHOICE]);
}

guint
cria_conversation_get_max_tool_rounds (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), DEFAULT_MAX_TOOL_ROUNDS);

  return self->max_tool_rounds;
}

void
cria_conversation_set_max_tool_rounds (CriaConversation *self,
                                       guint             max_rounds)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  max_rounds = CLAMP (max_rounds, 1, 100);
  if (self->max_tool_rounds == max_rounds)
    return;

  self->max_tool_rounds = max_rounds;
  g_object_notify_by_pspec (G_OBJECT (self), tool_properties[TOOL_PROP_MAX_TOOL_ROUNDS]);
}
