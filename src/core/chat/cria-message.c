/* cria-message.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-types-enums.h"
#include "cria-chat-enums.h"
#include "cria-store-enums.h"
#include "cria-message-private.h"

struct _CriaMessage
{
  GObject           parent_instance;

  char             *id;
  CriaRole          role;
  GDateTime        *created;
  /* GStrings, because a streamed answer grows by appending. */
  GString          *content;
  GString          *reasoning;
  char             *model;
  CriaMessageState  state;
  GError           *error;
  CriaUsage        *usage;
  double            cost;
  gint64            thinking_time;
  double            tokens_per_second;
  GStrv             image_urls;
  GPtrArray        *documents;
  GPtrArray        *sources;
  CriaFinishReason  finish_reason;
  GPtrArray        *tool_calls;
  CriaToolStatus    tool_status;
  gint64            tool_duration;

  /* The reply being mirrored while the answer streams, else NULL. */
  CriaChatReply    *reply;
  gboolean          content_streamed;
  gboolean          reasoning_streamed;
  /* While a continuation streams: how much of the text came before it, and
   * what the parts before it used (NULL when not continuing). */
  gsize             content_prefix;
  gsize             reasoning_prefix;
  CriaUsage        *base_usage;
  gint64            base_thinking_time;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaMessage, cria_message, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_STREAMING_TEXT, NULL))

enum {
  PROP_0,
  PROP_ID,
  PROP_ROLE,
  PROP_CREATED,
  PROP_CONTENT,
  PROP_REASONING,
  PROP_MODEL,
  PROP_STATE,
  PROP_ERROR,
  PROP_USAGE,
  PROP_COST,
  PROP_THINKING_TIME,
  PROP_TOKENS_PER_SECOND,
  PROP_IMAGE_URLS,
  PROP_DOCUMENTS,
  PROP_SOURCES,
  PROP_FINISH_REASON,
  PROP_TOOL_CALLS,
  PROP_TOOL_STATUS,
  PROP_TOOL_DURATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cria_message_constructed (GObject *object)
{
  CriaMessage *self = CRIA_MESSAGE (object);

  G_OBJECT_CLASS (cria_message_parent_class)->constructed (object);

  /* A restored message brings its own id and time; a new one gets fresh ones. */
  if (self->id == NULL)
    self->id = g_uuid_string_random ();
  if (self->created == NULL)
    self->created = g_date_time_new_now_utc ();
}

static void
cria_message_dispose (GObject *object)
{
  CriaMessage *self = CRIA_MESSAGE (object);

  if (self->reply != NULL)
    g_signal_handlers_disconnect_by_data (self->reply, self);
  g_clear_object (&self->reply);

  G_OBJECT_CLASS (cria_message_parent_class)->dispose (object);
}

static void
cria_message_finalize (GObject *object)
{
  CriaMessage *self = CRIA_MESSAGE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_string_free (self->content, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_clear_pointer (&self->model, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->usage, cria_usage_free);
  g_clear_pointer (&self->image_urls, g_strfreev);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->tool_calls, g_ptr_array_unref);
  g_clear_pointer (&self->base_usage, cria_usage_free);

  G_OBJECT_CLASS (cria_message_parent_class)->finalize (object);
}

static void
cria_message_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CriaMessage *self = CRIA_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_CONTENT:
      g_value_set_string (value, self->content->str);
      break;
    case PROP_REASONING:
      g_value_set_string (value, self->reasoning->str);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_USAGE:
      g_value_set_boxed (value, self->usage);
      break;
    case PROP_COST:
      g_value_set_double (value, self->cost);
      break;
    case PROP_THINKING_TIME:
      g_value_set_int64 (value, cria_message_get_thinking_time (self));
      break;
    case PROP_TOKENS_PER_SECOND:
      g_value_set_double (value, self->tokens_per_second);
      break;
    case PROP_IMAGE_URLS:
      g_value_set_boxed (value, self->image_urls);
      break;
    case PROP_DOCUMENTS:
      g_value_set_boxed (value, self->documents);
      break;
    case PROP_SOURCES:
      g_value_set_boxed (value, self->sources);
      break;
    case PROP_FINISH_REASON:
      g_value_set_enum (value, self->finish_reason);
      break;
    case PROP_TOOL_CALLS:
      g_value_set_boxed (value, self->tool_calls);
      break;
    case PROP_TOOL_STATUS:
      g_value_set_enum (value, self->tool_status);
      break;
    case PROP_TOOL_DURATION:
      g_value_set_int64 (value, self->tool_duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_message_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CriaMessage *self = CRIA_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_ROLE:
      self->role = g_value_get_enum (value);
      break;
    case PROP_CREATED:
      self->created = g_value_dup_boxed (value);
      break;
    case PROP_CONTENT:
      cria_message_set_content (self, g_value_get_string (value));
      break;
    case PROP_REASONING:
      cria_message_set_reasoning (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      cria_message_set_model (self, g_value_get_string (value));
      break;
    case PROP_STATE:
      cria_message_set_state (self, g_value_get_enum (value));
      break;
    case PROP_USAGE:
      cria_message_set_usage (self, g_value_get_boxed (value));
      break;
    case PROP_COST:
      cria_message_set_cost (self, g_value_get_double (value));
      break;
    case PROP_THINKING_TIME:
      cria_message_set_thinking_time (self, g_value_get_int64 (value));
      break;
    case PROP_TOKENS_PER_SECOND:
      cria_message_set_tokens_per_second (self, g_value_get_double (value));
      break;
    case PROP_IMAGE_URLS:
      cria_message_set_image_urls (self, g_value_get_boxed (value));
      break;
    case PROP_DOCUMENTS:
      cria_message_set_documents (self, g_value_get_boxed (value));
      break;
    case PROP_SOURCES:
      cria_message_set_sources (self, g_value_get_boxed (value));
      break;
    case PROP_FINISH_REASON:
      cria_message_set_finish_reason (self, g_value_get_enum (value));
      break;
    case PROP_TOOL_CALLS:
      cria_message_set_tool_calls (self, g_value_get_boxed (value));
      break;
    case PROP_TOOL_STATUS:
      cria_message_set_tool_status (self, g_value_get_enum (value));
      break;
    case PROP_TOOL_DURATION:
      cria_message_set_tool_duration (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_message_class_init (CriaMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cria_message_constructed;
  object_class->dispose = cria_message_dispose;
  object_class->finalize = cria_message_finalize;
  object_class->get_property = cria_message_get_property;
  object_class->set_property = cria_message_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       CRIA_TYPE_ROLE, CRIA_ROLE_USER,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The text is notified when set whole or when a streamed answer ends, never
   * per token: a notification per token would invite every listener to copy
   * (or re-render) the whole text each time, which is quadratic in the length
   * of the answer. The ::content-appended signal hands over only what is new. */
  properties[PROP_CONTENT] =
    g_param_spec_string ("content", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASONING] =
    g_param_spec_string ("reasoning", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CRIA_TYPE_MESSAGE_STATE, CRIA_MESSAGE_STATE_COMPLETE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USAGE] =
    g_param_spec_boxed ("usage", NULL, NULL, CRIA_TYPE_USAGE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COST] =
    g_param_spec_double ("cost", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, -1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THINKING_TIME] =
    g_param_spec_int64 ("thinking-time", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKENS_PER_SECOND] =
    g_param_spec_double ("tokens-per-second", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE_URLS] =
    g_param_spec_boxed ("image-urls", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A user message's attached documents (element-type CriaDocument). */
  properties[PROP_DOCUMENTS] =
    g_param_spec_boxed ("documents", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* An answer's sources (element-type CriaSource). */
  properties[PROP_SOURCES] =
    g_param_spec_boxed ("sources", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINISH_REASON] =
    g_param_spec_enum ("finish-reason", NULL, NULL,
                       CRIA_TYPE_FINISH_REASON, CRIA_FINISH_REASON_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL_CALLS] =
    g_param_spec_boxed ("tool-calls", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A tool message's: where its call stands, and how long it ran (µs). */
  properties[PROP_TOOL_STATUS] =
    g_param_spec_enum ("tool-status", NULL, NULL,
                       CRIA_TYPE_TOOL_STATUS, CRIA_TOOL_STATUS_NONE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL_DURATION] =
    g_param_spec_int64 ("tool-duration", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_message_init (CriaMessage *self)
{
  self->content = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->state = CRIA_MESSAGE_STATE_COMPLETE;
  self->cost = -1.0;
  self->image_urls = g_new0 (char *, 1);
  self->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_source_unref);
  self->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_tool_call_free);
}

CriaMessage *
cria_message_new (CriaRole    role,
                  const char *content)
{
  return g_object_new (CRIA_TYPE_MESSAGE,
                       "role", role,
                       "content", content,
                       NULL);
}

const char *
cria_message_get_id (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->id;
}

CriaRole
cria_message_get_role (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), CRIA_ROLE_USER);

  return self->role;
}

/**
 * cria_message_get_created:
 *
 * Returns: (transfer none): when the message was made, in UTC
 */
GDateTime *
cria_message_get_created (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->created;
}

/**
 * cria_message_get_content:
 *
 * Returns: the text so far; never %NULL
 */
const char *
cria_message_get_content (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->content->str;
}

void
cria_message_set_content (CriaMessage *self,
                          const char  *content)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));
  g_return_if_fail (self->reply == NULL);

  if (content == NULL)
    content = "";

  if (g_str_equal (self->content->str, content))
    return;

  g_string_assign (self->content, content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

/**
 * cria_message_get_reasoning:
 *
 * Returns: the model's reasoning so far; never %NULL, empty when there is none
 */
const char *
cria_message_get_reasoning (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->reasoning->str;
}

void
cria_message_set_reasoning (CriaMessage *self,
                            const char  *reasoning)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));
  g_return_if_fail (self->reply == NULL);

  if (reasoning == NULL)
    reasoning = "";

  if (g_str_equal (self->reasoning->str, reasoning))
    return;

  g_string_assign (self->reasoning, reasoning);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASONING]);
}

/**
 * cria_message_get_model:
 *
 * Returns: (nullable): the id of the model asked for the answer
 */
const char *
cria_message_get_model (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->model;
}

void
cria_message_set_model (CriaMessage *self,
                        const char  *model)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (g_strcmp0 (self->model, model) == 0)
    return;

  g_free (self->model);
  self->model = g_strdup (model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

CriaMessageState
cria_message_get_state (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), CRIA_MESSAGE_STATE_FAILED);

  return self->state;
}

void
cria_message_set_state (CriaMessage      *self,
                        CriaMessageState  state)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));
  /* What the user wrote is never streaming, stopped or failed. */
  g_return_if_fail (self->role != CRIA_ROLE_USER || state == CRIA_MESSAGE_STATE_COMPLETE);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * cria_message_get_error:
 *
 * Returns: (nullable): why the answer failed or was interrupted
 */
const GError *
cria_message_get_error (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->error;
}

void
cria_message_set_error (CriaMessage  *self,
                        const GError *error)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (self->error == NULL && error == NULL)
    return;
  if (self->error != NULL && error != NULL &&
      self->error->domain == error->domain && self->error->code == error->code &&
      g_strcmp0 (self->error->message, error->message) == 0)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/**
 * cria_message_get_usage:
 *
 * Returns: (nullable): the tokens the answer used, when known
 */
const CriaUsage *
cria_message_get_usage (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->usage;
}

void
cria_message_set_usage (CriaMessage     *self,
                        const CriaUsage *usage)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (self->usage == NULL && usage == NULL)
    return;
  if (self->usage != NULL && usage != NULL &&
      self->usage->prompt_tokens == usage->prompt_tokens &&
      self->usage->completion_tokens == usage->completion_tokens &&
      self->usage->reasoning_tokens == usage->reasoning_tokens &&
      self->usage->estimated == usage->estimated)
    return;

  g_clear_pointer (&self->usage, cria_usage_free);
  if (usage != NULL)
    self->usage = cria_usage_copy (usage);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USAGE]);
}

/**
 * cria_message_get_cost:
 *
 * Returns: what the answer cost in USD, or a negative number when unknown
 */
double
cria_message_get_cost (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), -1.0);

  return self->cost;
}

void
cria_message_set_cost (CriaMessage *self,
                       double       cost)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));

  /* Every unknown cost is the same unknown. */
  if (cost < 0)
    cost = -1.0;

  if (self->cost == cost)
    return;

  self->cost = cost;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST]);
}

/**
 * cria_message_get_thinking_time:
 *
 * Returns: µs the model spent reasoning; while the answer streams, the time so
 *   far (a view that shows it ticking polls this)
 */
gint64
cria_message_get_thinking_time (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), 0);

  if (self->reply != NULL)
    return self->base_thinking_time + cria_chat_reply_get_thinking_time (self->reply);

  return self->thinking_time;
}

void
cria_message_set_thinking_time (CriaMessage *self,
                                gint64       usec)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));
  g_return_if_fail (usec >= 0);

  if (self->thinking_time == usec)
    return;

  self->thinking_time = usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THINKING_TIME]);
}

/**
 * cria_message_get_tokens_per_second:
 *
 * Returns: the answer's generation speed, or 0 when unknown
 */
double
cria_message_get_tokens_per_second (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), 0.0);

  return self->tokens_per_second;
}

void
cria_message_set_tokens_per_second (CriaMessage *self,
                                    double       tokens_per_second)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));
  g_return_if_fail (tokens_per_second >= 0);

  if (self->tokens_per_second == tokens_per_second)
    return;

  self->tokens_per_second = tokens_per_second;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS_PER_SECOND]);
}

/**
 * cria_message_get_image_urls:
 *
 * Returns: (transfer none) (array zero-terminated=1): the attached images'
 *   URLs, normally `data:` URLs; never %NULL
 */
const char * const *
cria_message_get_image_urls (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return (const char * const *) self->image_urls;
}

void
cria_message_set_image_urls (CriaMessage        *self,
                             const char * const *urls)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (urls == NULL)
    urls = none;

  if (g_strv_equal ((const char * const *) self->image_urls, urls))
    return;

  g_strfreev (self->image_urls);
  self->image_urls = g_strdupv ((char **) urls);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_URLS]);
}

/**
 * cria_message_get_documents:
 *
 * Returns: (transfer none) (element-type CriaDocument): the documents the
 *   message carries, in the order they were attached; never %NULL
 */
GPtrArray *
cria_message_get_documents (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->documents;
}

/**
 * cria_message_set_documents:
 * @documents: (nullable) (element-type CriaDocument): the documents; the
 *   message keeps references to them (they are immutable)
 */
void
cria_message_set_documents (CriaMessage *self,
                            GPtrArray   *documents)
{
  gboolean same;

  g_return_if_fail (CRIA_IS_MESSAGE (self));

  same = documents == NULL ? self->documents->len == 0 : self->documents->len == documents->len;
  for (guint i = 0; same && documents != NULL && i < documents->len; i++)
    same = g_ptr_array_index (self->documents, i) == g_ptr_array_index (documents, i);
  if (same)
    return;

  g_ptr_array_set_size (self->documents, 0);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);

      g_return_if_fail (document != NULL);
      g_ptr_array_add (self->documents, cria_document_ref (document));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENTS]);
}

/**
 * cria_message_get_sources:
 *
 * Returns: (transfer none) (element-type CriaSource): the passages the
 *   answer was given with, best match first; never %NULL
 */
GPtrArray *
cria_message_get_sources (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->sources;
}

/**
 * cria_message_set_sources:
 * @sources: (nullable) (element-type CriaSource): the passages; the message
 *   keeps references to them (they are immutable)
 */
void
cria_message_set_sources (CriaMessage *self,
                          GPtrArray   *sources)
{
  gboolean same;

  g_return_if_fail (CRIA_IS_MESSAGE (self));

  same = sources == NULL ? self->sources->len == 0 : self->sources->len == sources->len;
  for (guint i = 0; same && sources != NULL && i < sources->len; i++)
    same = cria_source_equal (g_ptr_array_index (self->sources, i), g_ptr_array_index (sources, i));
  if (same)
    return;

  g_ptr_array_set_size (self->sources, 0);
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      CriaSource *source = g_ptr_array_index (sources, i);

      g_return_if_fail (source != NULL);
      g_ptr_array_add (self->sources, cria_source_ref (source));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCES]);
}

CriaFinishReason
cria_message_get_finish_reason (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), CRIA_FINISH_REASON_NONE);

  return self->finish_reason;
}

void
cria_message_set_finish_reason (CriaMessage      *self,
                                CriaFinishReason  reason)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (self->finish_reason == reason)
    return;

  self->finish_reason = reason;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISH_REASON]);
}

/**
 * cria_message_get_tool_calls:
 *
 * Returns: (transfer none) (element-type CriaToolCall): the tool calls, in the
 *   order the server gave them; never %NULL
 */
GPtrArray *
cria_message_get_tool_calls (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->tool_calls;
}

static gboolean
tool_calls_equal (GPtrArray *a,
                  GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const CriaToolCall *x = g_ptr_array_index (a, i);
      const CriaToolCall *y = g_ptr_array_index (b, i);

      if (x->index != y->index || g_strcmp0 (x->id, y->id) != 0 || g_strcmp0 (x->type, y->type) != 0 ||
          g_strcmp0 (x->name, y->name) != 0 || g_strcmp0 (x->arguments, y->arguments) != 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * cria_message_set_tool_calls:
 * @tool_calls: (nullable) (element-type CriaToolCall): copied
 */
void
cria_message_set_tool_calls (CriaMessage *self,
                             GPtrArray   *tool_calls)
{
  g_autoptr(GPtrArray) none = NULL;

  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (tool_calls == NULL)
    tool_calls = none = g_ptr_array_new ();

  if (tool_calls_equal (self->tool_calls, tool_calls))
    return;

  g_ptr_array_set_size (self->tool_calls, 0);
  for (guint i = 0; i < tool_calls->len; i++)
    g_ptr_array_add (self->tool_calls, cria_tool_call_copy (g_ptr_array_index (tool_calls, i)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_CALLS]);
}

/**
 * cria_message_get_tool_call:
 *
 * Returns: (transfer none) (nullable): the call a tool message answers, or
 *   %NULL for any other message
 */
const CriaToolCall *
cria_message_get_tool_call (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  if (self->role != CRIA_ROLE_TOOL || self->tool_calls->len == 0)
    return NULL;

  return g_ptr_array_index (self->tool_calls, 0);
}

CriaToolStatus
cria_message_get_tool_status (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), CRIA_TOOL_STATUS_NONE);

  return self->tool_status;
}

void
cria_message_set_tool_status (CriaMessage    *self,
                              CriaToolStatus  status)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (self->tool_status == status)
    return;

  self->tool_status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_STATUS]);
}

gint64
cria_message_get_tool_duration (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), 0);

  return self->tool_duration;
}

void
cria_message_set_tool_duration (CriaMessage *self,
                                gint64       usec)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));

  usec = MAX (usec, 0);
  if (self->tool_duration == usec)
    return;

  self->tool_duration = usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_DURATION]);
}

gboolean
cria_message_can_continue (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), FALSE);

  if (self->role != CRIA_ROLE_ASSISTANT || self->content->len == 0)
    return FALSE;

  return (self->state == CRIA_MESSAGE_STATE_COMPLETE && self->finish_reason == CRIA_FINISH_REASON_LENGTH) ||
         self->state == CRIA_MESSAGE_STATE_INTERRUPTED;
}

static void
reply_content_appended_cb (CriaMessage   *self,
                           const char    *text,
                           CriaChatReply *reply)
{
  g_assert (self->reply == reply);

  g_string_append (self->content, text);
  self->content_streamed = TRUE;
  cria_streaming_text_emit_content_appended (CRIA_STREAMING_TEXT (self), text);
}

static void
reply_reasoning_appended_cb (CriaMessage   *self,
                             const char    *text,
                             CriaChatReply *reply)
{
  g_assert (self->reply == reply);

  g_string_append (self->reasoning, text);
  self->reasoning_streamed = TRUE;
  cria_streaming_text_emit_reasoning_appended (CRIA_STREAMING_TEXT (self), text);
}

static void
reply_content_reset_cb (CriaMessage   *self,
                        CriaChatReply *reply)
{
  g_assert (self->reply == reply);

  /* Only the reply's part goes: a continued answer keeps what came before. */
  g_string_truncate (self->content, self->content_prefix);
  self->content_streamed = TRUE;
  cria_streaming_text_emit_content_reset (CRIA_STREAMING_TEXT (self));
}

static void start_following (CriaMessage   *self,
                             CriaChatReply *reply);

/* Connects the reply's incremental signals; the message is then STREAMING
 * until _cria_message_end_reply(). Handlers are disconnected there or in
 * dispose, whichever comes first. */
void
_cria_message_follow_reply (CriaMessage   *self,
                            CriaChatReply *reply)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));
  g_return_if_fail (CRIA_IS_CHAT_REPLY (reply));
  g_return_if_fail (self->role == CRIA_ROLE_ASSISTANT);
  g_return_if_fail (self->reply == NULL);

  /* The reply may already hold text (it never does when it comes from the
   * conversation, which hands over fresh replies); start from it whole. */
  cria_message_set_content (self, cria_chat_reply_get_content (reply));
  cria_message_set_reasoning (self, cria_chat_reply_get_reasoning (reply));
  self->content_prefix = 0;
  self->reasoning_prefix = 0;
  g_clear_pointer (&self->base_usage, cria_usage_free);
  self->base_thinking_time = 0;
  cria_message_set_finish_reason (self, CRIA_FINISH_REASON_NONE);
  cria_message_set_tool_calls (self, NULL);

  start_following (self, reply);
}

/* Connects the reply's incremental signals, the message then STREAMING. */
static void
start_following (CriaMessage   *self,
                 CriaChatReply *reply)
{
  self->reply = g_object_ref (reply);
  self->content_streamed = FALSE;
  self->reasoning_streamed = FALSE;

  g_signal_connect_object (reply, "content-appended",
                           G_CALLBACK (reply_content_appended_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (reply, "reasoning-appended",
                           G_CALLBACK (reply_reasoning_appended_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (reply, "content-reset",
                           G_CALLBACK (reply_content_reset_cb), self, G_CONNECT_SWAPPED);

  cria_message_set_error (self, NULL);
  cria_message_set_state (self, CRIA_MESSAGE_STATE_STREAMING);
}

/* The reply must be fresh: what it holds would be appended as it arrives. */
void
_cria_message_continue_reply (CriaMessage   *self,
                              CriaChatReply *reply)
{
  g_return_if_fail (CRIA_IS_MESSAGE (self));
  g_return_if_fail (CRIA_IS_CHAT_REPLY (reply));
  g_return_if_fail (self->role == CRIA_ROLE_ASSISTANT);
  g_return_if_fail (self->reply == NULL);

  self->content_prefix = self->content->len;
  self->reasoning_prefix = self->reasoning->len;
  g_clear_pointer (&self->base_usage, cria_usage_free);
  if (self->usage != NULL)
    self->base_usage = cria_usage_copy (self->usage);
  self->base_thinking_time = self->thinking_time;
  cria_message_set_finish_reason (self, CRIA_FINISH_REASON_NONE);

  start_following (self, reply);
}

void
_cria_message_set_reply_usage (CriaMessage     *self,
                               const CriaUsage *usage)
{
  CriaUsage sum;

  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (self->base_usage == NULL || usage == NULL)
    {
      cria_message_set_usage (self, usage != NULL ? usage : self->base_usage);
      return;
    }

  sum.prompt_tokens = self->base_usage->prompt_tokens + usage->prompt_tokens;
  sum.completion_tokens = self->base_usage->completion_tokens + usage->completion_tokens;
  sum.reasoning_tokens = self->base_usage->reasoning_tokens + usage->reasoning_tokens;
  sum.estimated = self->base_usage->estimated || usage->estimated;
  cria_message_set_usage (self, &sum);
}

/**
 * _cria_message_get_reply:
 *
 * Returns: (nullable) (transfer none): the reply being followed
 */
CriaChatReply *
_cria_message_get_reply (CriaMessage *self)
{
  g_return_val_if_fail (CRIA_IS_MESSAGE (self), NULL);

  return self->reply;
}

static CriaMessageState
state_from_reply (CriaChatReply *reply)
{
  switch (cria_chat_reply_get_state (reply))
    {
    case CRIA_CHAT_REPLY_STATE_COMPLETE:
      return CRIA_MESSAGE_STATE_COMPLETE;
    case CRIA_CHAT_REPLY_STATE_INTERRUPTED:
      return CRIA_MESSAGE_STATE_INTERRUPTED;
    case CRIA_CHAT_REPLY_STATE_FAILED:
      return CRIA_MESSAGE_STATE_FAILED;
    case CRIA_CHAT_REPLY_STATE_STOPPED:
    /* Ending a reply that has not finished is stopping it. */
    case CRIA_CHAT_REPLY_STATE_PENDING:
    case CRIA_CHAT_REPLY_STATE_STREAMING:
    default:
      return CRIA_MESSAGE_STATE_STOPPED;
    }
}

/* A continuation's calls come after those of the parts before it. */
static void
append_tool_calls (CriaMessage *self,
                   GPtrArray   *tool_calls)
{
  if (tool_calls == NULL || tool_calls->len == 0)
    return;

  for (guint i = 0; i < tool_calls->len; i++)
    g_ptr_array_add (self->tool_calls, cria_tool_call_copy (g_ptr_array_index (tool_calls, i)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_CALLS]);
}

/* Stops following the reply and takes its final figures. A reply that has not
 * finished yet (the user stopped it) leaves the message STOPPED with the text
 * that arrived; its usage, known only later, is for the caller to set. The
 * state is set last, so a handler of notify::state sees everything else final. */
void
_cria_message_end_reply (CriaMessage *self)
{
  g_autoptr(CriaChatReply) reply = NULL;
  CriaMessageState state;

  g_return_if_fail (CRIA_IS_MESSAGE (self));

  if (self->reply == NULL)
    return;

  reply = g_steal_pointer (&self->reply);
  g_signal_handlers_disconnect_by_data (reply, self);
  state = state_from_reply (reply);
  /* A continuation that failed leaves the text before it: cut short, not failed. */
  if (state == CRIA_MESSAGE_STATE_FAILED && self->content_prefix > 0)
    state = CRIA_MESSAGE_STATE_INTERRUPTED;

  /* The text was mirrored piece by piece; only a stopped reply may hold more
   * than the message, and what came after the stop is not wanted. */
  if (cria_chat_reply_is_finished (reply) &&
      !g_str_equal (self->content->str + self->content_prefix, cria_chat_reply_get_content (reply)))
    {
      g_string_truncate (self->content, self->content_prefix);
      g_string_append (self->content, cria_chat_reply_get_content (reply));
      self->content_streamed = TRUE;
    }
  if (cria_chat_reply_is_finished (reply) &&
      !g_str_equal (self->reasoning->str + self->reasoning_prefix, cria_chat_reply_get_reasoning (reply)))
    {
      g_string_truncate (self->reasoning, self->reasoning_prefix);
      g_string_append (self->reasoning, cria_chat_reply_get_reasoning (reply));
      self->reasoning_streamed = TRUE;
    }

  g_object_freeze_notify (G_OBJECT (self));

  if (self->content_streamed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
  if (self->reasoning_streamed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASONING]);
  self->content_streamed = FALSE;
  self->reasoning_streamed = FALSE;

  if (state == CRIA_MESSAGE_STATE_INTERRUPTED || state == CRIA_MESSAGE_STATE_FAILED)
    cria_message_set_error (self, cria_chat_reply_get_error (reply));
  _cria_message_set_reply_usage (self, cria_chat_reply_get_usage (reply));
  cria_message_set_thinking_time (self, self->base_thinking_time + cria_chat_reply_get_thinking_time (reply));
  cria_message_set_tokens_per_second (self, cria_chat_reply_get_tokens_per_second (reply));
  cria_message_set_finish_reason (self, cria_chat_reply_get_finish_reason (reply));
  append_tool_calls (self, cria_chat_reply_get_tool_calls (reply));

  g_object_thaw_notify (G_OBJECT (self));

  cria_message_set_state (self, state);
}

CriaMessageRecord *
cria_message_record_new_from_message (CriaMessage *message)
{
  CriaMessageRecord *record;
  const CriaUsage *usage;
  const GError *error;
  GDateTime *created;

  g_return_val_if_fail (CRIA_IS_MESSAGE (message), NULL);

  record = cria_message_record_new ();
  record->id = g_strdup (cria_message_get_id (message));
  record->role = cria_message_get_role (message);
  g_free (record->content);
  record->content = g_strdup (cria_message_get_content (message));
  g_free (record->reasoning);
  record->reasoning = g_strdup (cria_message_get_reasoning (message));
  record->state = cria_message_get_state (message);
  record->model = g_strdup (cria_message_get_model (message));
  usage = cria_message_get_usage (message);
  if (usage != NULL)
    {
      record->tokens_in = usage->prompt_tokens;
      record->tokens_out = usage->completion_tokens;
      record->reasoning_tokens = usage->reasoning_tokens;
      record->estimated = usage->estimated;
    }
  record->cost = cria_message_get_cost (message);
  record->thinking_time = cria_message_get_thinking_time (message);
  record->tokens_per_second = cria_message_get_tokens_per_second (message);
  error = cria_message_get_error (message);
  record->error = error != NULL ? g_strdup (error->message) : NULL;
  created = cria_message_get_created (message);
  record->created = g_date_time_to_unix (created) * G_USEC_PER_SEC + g_date_time_get_microsecond (created);
  g_strfreev (record->image_urls);
  record->image_urls = g_strdupv ((char **) cria_message_get_image_urls (message));
  for (guint i = 0; i < cria_message_get_documents (message)->len; i++)
    g_ptr_array_add (record->documents, cria_document_ref (g_ptr_array_index (cria_message_get_documents (message), i)));
  for (guint i = 0; i < cria_message_get_sources (message)->len; i++)
    g_ptr_array_add (record->sources, cria_source_ref (g_ptr_array_index (cria_message_get_sources (message), i)));
  record->finish_reason = cria_message_get_finish_reason (message);
  for (guint i = 0; i < cria_message_get_tool_calls (message)->len; i++)
    g_ptr_array_add (record->tool_calls, cria_tool_call_copy (g_ptr_array_index (cria_message_get_tool_calls (message), i)));
  record->tool_status = cria_message_get_tool_status (message);
  record->tool_duration = cria_message_get_tool_duration (message);

  return record;
}

CriaMessage *
cria_message_record_to_message (const CriaMessageRecord *record)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(CriaMessage) message = NULL;
  CriaMessageState state;

  g_return_val_if_fail (record != NULL, NULL);

  seconds = g_date_time_new_from_unix_utc (record->created / G_USEC_PER_SEC);
  created = g_date_time_add (seconds, record->created % G_USEC_PER_SEC);
  message = g_object_new (CRIA_TYPE_MESSAGE,
                          "id", record->id,
                          "role", record->role,
                          "created", created,
                          "content", record->content,
                          NULL);
  if (record->reasoning != NULL && *record->reasoning != '\0')
    cria_message_set_reasoning (message, record->reasoning);
  cria_message_set_model (message, record->model);

  /* Saved while streaming means Cria stopped before the answer ended. */
  state = record->state;
  if (state == CRIA_MESSAGE_STATE_STREAMING)
    state = CRIA_MESSAGE_STATE_INTERRUPTED;
  cria_message_set_state (message, state);

  if (record->error != NULL || state == CRIA_MESSAGE_STATE_INTERRUPTED)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                   record->error != NULL ? record->error
                                                         : _("Cria closed before the answer was complete."));
      cria_message_set_error (message, error);
    }

  if (record->tokens_in >= 0 || record->tokens_out >= 0)
    {
      CriaUsage usage = {
        .prompt_tokens = MAX (record->tokens_in, 0),
        .completion_tokens = MAX (record->tokens_out, 0),
        .reasoning_tokens = MAX (record->reasoning_tokens, 0),
        .estimated = record->estimated,
      };

      cria_message_set_usage (message, &usage);
    }
  cria_message_set_cost (message, record->cost);
  if (record->thinking_time > 0)
    cria_message_set_thinking_time (message, record->thinking_time);
  if (record->tokens_per_second > 0)
    cria_message_set_tokens_per_second (message, record->tokens_per_second);
  if (record->image_urls != NULL && record->image_urls[0] != NULL)
    cria_message_set_image_urls (message, (const char * const *) record->image_urls);
  cria_message_set_documents (message, record->documents);
  cria_message_set_sources (message, record->sources);
  cria_message_set_finish_reason (message, record->finish_reason);
  cria_message_set_tool_calls (message, record->tool_calls);
  cria_message_set_tool_duration (message, record->tool_duration);
  /* A call that was waiting or running when Cria closed never ended. */
  if (record->tool_status != CRIA_TOOL_STATUS_NONE && !cria_tool_status_is_final (record->tool_status))
    cria_message_set_tool_status (message, CRIA_TOOL_STATUS_STOPPED);
  else
    cria_message_set_tool_status (message, record->tool_status);

  return g_steal_pointer (&message);
}
