/* cria-store-queries.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's jobs. Each runs on the worker thread with bound parameters on
 * cached statements; every write is one transaction.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-store-private.h"

#define CONVERSATION_COLUMNS \
  "c.id, c.title, c.model, c.system_prompt, c.temperature, c.max_tokens, c.top_p," \
  " c.presence_penalty, c.frequency_penalty, c.stop, c.seed, c.pinned, c.created, c.updated," \
  " c.response_format, c.tools"

#define MESSAGE_COLUMNS \
  "m.id, m.uuid, m.role, m.content, m.reasoning, m.state, m.model, m.params, m.tokens_in," \
  " m.tokens_out, m.reasoning_tokens, m.estimated, m.cost, m.thinking_time, m.tokens_per_second," \
  " m.error, m.created, m.finish_reason, m.tool_calls, m.tool_status, m.tool_duration"

static void
bind_double_if (sqlite3_stmt *stmt,
                int           index,
                gboolean      set,
                double        value)
{
  if (set)
    sqlite3_bind_double (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_int64_if (sqlite3_stmt *stmt,
               int           index,
               gboolean      set,
               gint64        value)
{
  if (set)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

/* Every string leaves the store valid UTF-8, whatever the file holds. */
static char *
column_dup (sqlite3_stmt *stmt,
            int           index)
{
  return _cria_store_dup_valid_text (sqlite3_column_text (stmt, index));
}

static gboolean
column_is_null (sqlite3_stmt *stmt,
                int           index)
{
  return sqlite3_column_type (stmt, index) == SQLITE_NULL;
}

static char *
variant_to_text (GVariant *variant)
{
  g_autoptr(GVariant) sunk = g_variant_ref_sink (variant);

  return g_variant_print (sunk, TRUE);
}

static GVariant *
text_to_variant (const char         *text,
                 const GVariantType *type)
{
  if (text == NULL)
    return NULL;

  return g_variant_parse (type, text, NULL, NULL, NULL);
}

static CriaConversationRecord *
read_conversation (sqlite3_stmt *stmt)
{
  g_autofree char *id = column_dup (stmt, 0);
  CriaConversationRecord *record = cria_conversation_record_new (id);
  CriaChatParams *params = record->params;

  record->title = column_dup (stmt, 1);
  record->model = column_dup (stmt, 2);
  record->system_prompt = column_dup (stmt, 3);
  if (!column_is_null (stmt, 4))
    {
      params->set |= CRIA_CHAT_PARAM_TEMPERATURE;
      params->temperature = sqlite3_column_double (stmt, 4);
    }
  if (!column_is_null (stmt, 5))
    {
      params->set |= CRIA_CHAT_PARAM_MAX_TOKENS;
      params->max_tokens = sqlite3_column_int64 (stmt, 5);
    }
  if (!column_is_null (stmt, 6))
    {
      params->set |= CRIA_CHAT_PARAM_TOP_P;
      params->top_p = sqlite3_column_double (stmt, 6);
    }
  if (!column_is_null (stmt, 7))
    {
      params->set |= CRIA_CHAT_PARAM_PRESENCE_PENALTY;
      params->presence_penalty = sqlite3_column_double (stmt, 7);
    }
  if (!column_is_null (stmt, 8))
    {
      params->set |= CRIA_CHAT_PARAM_FREQUENCY_PENALTY;
      params->frequency_penalty = sqlite3_column_double (stmt, 8);
    }
  if (!column_is_null (stmt, 9))
    {
      g_autofree char *text = column_dup (stmt, 9);
      g_autoptr(GVariant) stop = text_to_variant (text, G_VARIANT_TYPE_STRING_ARRAY);

      if (stop != NULL)
        {
          params->set |= CRIA_CHAT_PARAM_STOP;
          params->stop = g_variant_dup_strv (stop, NULL);
        }
    }
  if (!column_is_null (stmt, 10))
    {
      params->set |= CRIA_CHAT_PARAM_SEED;
      params->seed = sqlite3_column_int64 (stmt, 10);
    }
  record->pinned = sqlite3_column_int (stmt, 11) != 0;
  record->created = sqlite3_column_int64 (stmt, 12);
  record->updated = sqlite3_column_int64 (stmt, 13);
  if (!column_is_null (stmt, 14))
    {
      params->set |= CRIA_CHAT_PARAM_RESPONSE_FORMAT;
      params->response_format = column_dup (stmt, 14);
    }
  if (!column_is_null (stmt, 15))
    record->tools = column_dup (stmt, 15);

  return record;
}

static CriaMessageRecord *
read_message (sqlite3_stmt *stmt)
{
  CriaMessageRecord *record = cria_message_record_new ();
  g_autofree char *params_text = NULL;
  g_autoptr(GVariant) params = NULL;

  record->id = column_dup (stmt, 1);
  if (!cria_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &record->role))
    record->role = CRIA_ROLE_USER;
  g_free (record->content);
  record->content = column_dup (stmt, 3);
  g_free (record->reasoning);
  record->reasoning = column_dup (stmt, 4);
  if (!cria_message_state_from_string ((const char *) sqlite3_column_text (stmt, 5), &record->state))
    record->state = CRIA_MESSAGE_STATE_COMPLETE;
  record->model = column_dup (stmt, 6);
  params_text = column_dup (stmt, 7);
  params = text_to_variant (params_text, G_VARIANT_TYPE_VARDICT);
  if (params != NULL)
    {
      cria_chat_params_free (record->params);
      record->params = cria_chat_params_new_from_variant (params);
    }
  record->tokens_in = column_is_null (stmt, 8) ? -1 : sqlite3_column_int64 (stmt, 8);
  record->tokens_out = column_is_null (stmt, 9) ? -1 : sqlite3_column_int64 (stmt, 9);
  record->reasoning_tokens = column_is_null (stmt, 10) ? -1 : sqlite3_column_int64 (stmt, 10);
  record->estimated = sqlite3_column_int (stmt, 11) != 0;
  record->cost = column_is_null (stmt, 12) ? -1.0 : sqlite3_column_double (stmt, 12);
  record->thinking_time = sqlite3_column_int64 (stmt, 13);
  record->tokens_per_second = sqlite3_column_double (stmt, 14);
  record->error = column_dup (stmt, 15);
  record->created = sqlite3_column_int64 (stmt, 16);
  record->finish_reason = cria_finish_reason_from_string ((const char *) sqlite3_column_text (stmt, 17));
  if (!column_is_null (stmt, 18))
    {
      g_ptr_array_unref (record->tool_calls);
      record->tool_calls = cria_tool_calls_from_json ((const char *) sqlite3_column_text (stmt, 18));
    }
  record->tool_status = cria_tool_status_from_string ((const char *) sqlite3_column_text (stmt, 19));
  record->tool_duration = sqlite3_column_int64 (stmt, 20);
  if (record->content == NULL)
    record->content = g_strdup ("");
  if (record->reasoning == NULL)
    record->reasoning = g_strdup ("");

  return record;
}

/* Queues @id's summary for ::conversation-changed, or ::conversation-removed
 * when it has no message left (the list shows only conversations that do). */
static gboolean
announce (CriaStoreDb   *db,
          CriaStoreJob  *job,
          const char    *id,
          GError       **error)
{
  static const char sql[] =
    "SELECT " CONVERSATION_COLUMNS " FROM conversations c WHERE c.id = ?1"
    " AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)";
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (job->changed == NULL)
        job->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_conversation_record_free);
      g_ptr_array_add (job->changed, read_conversation (stmt));
    }
  else if (rc == SQLITE_DONE)
    {
      if (job->removed == NULL)
        job->removed = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (job->removed, g_strdup (id));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

static void
bind_conversation (sqlite3_stmt                 *stmt,
                   const CriaConversationRecord *record)
{
  const CriaChatParams *params = record->params;
  CriaChatParamFlags set = params != NULL ? params->set : 0;

  _cria_store_db_bind_text (stmt, 1, record->id);
  _cria_store_db_bind_text (stmt, 2, record->title);
  _cria_store_db_bind_text (stmt, 3, record->model);
  _cria_store_db_bind_text (stmt, 4, record->system_prompt);
  bind_double_if (stmt, 5, set & CRIA_CHAT_PARAM_TEMPERATURE, params ? params->temperature : 0);
  bind_int64_if (stmt, 6, set & CRIA_CHAT_PARAM_MAX_TOKENS, params ? params->max_tokens : 0);
  bind_double_if (stmt, 7, set & CRIA_CHAT_PARAM_TOP_P, params ? params->top_p : 0);
  bind_double_if (stmt, 8, set & CRIA_CHAT_PARAM_PRESENCE_PENALTY, params ? params->presence_penalty : 0);
  bind_double_if (stmt, 9, set & CRIA_CHAT_PARAM_FREQUENCY_PENALTY, params ? params->frequency_penalty : 0);
  if ((set & CRIA_CHAT_PARAM_STOP) && params->stop != NULL)
    {
      g_autofree char *stop = variant_to_text (g_variant_new_strv ((const char * const *) params->stop, -1));

      _cria_store_db_bind_text (stmt, 10, stop);
    }
  else
    sqlite3_bind_null (stmt, 10);
  bind_int64_if (stmt, 11, set & CRIA_CHAT_PARAM_SEED, params ? params->seed : 0);
  sqlite3_bind_int (stmt, 12, record->pinned ? 1 : 0);
  sqlite3_bind_int64 (stmt, 13, record->created);
  sqlite3_bind_int64 (stmt, 14, record->updated);
  if ((set & CRIA_CHAT_PARAM_RESPONSE_FORMAT) && params->response_format != NULL)
    _cria_store_db_bind_text (stmt, 15, params->response_format);
  else
    sqlite3_bind_null (stmt, 15);
  if (record->tools != NULL)
    _cria_store_db_bind_text (stmt, 16, record->tools);
  else
    sqlite3_bind_null (stmt, 16);
}

static gboolean
write_conversation (CriaStoreDb                   *db,
                    const CriaConversationRecord  *record,
                    gboolean                       whole,
                    GError                       **error)
{
  /* Saving keeps the pin and creation time the database has; importing
   * writes everything. */
  static const char save_sql[] =
    "INSERT INTO conversations (id, title, model, system_prompt, temperature, max_tokens, top_p,"
    " presence_penalty, frequency_penalty, stop, seed, pinned, created, updated, response_format, tools)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    " ON CONFLICT (id) DO UPDATE SET title = excluded.title, model = excluded.model,"
    " system_prompt = excluded.system_prompt, temperature = excluded.temperature,"
    " max_tokens = excluded.max_tokens, top_p = excluded.top_p,"
    " presence_penalty = excluded.presence_penalty, frequency_penalty = excluded.frequency_penalty,"
    " stop = excluded.stop, seed = excluded.seed, updated = max (updated, excluded.updated),"
    " response_format = excluded.response_format, tools = excluded.tools";
  static const char import_sql[] =
    "INSERT INTO conversations (id, title, model, system_prompt, temperature, max_tokens, top_p,"
    " presence_penalty, frequency_penalty, stop, seed, pinned, created, updated, response_format, tools)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, whole ? import_sql : save_sql, error)) == NULL)
    return FALSE;
  bind_conversation (stmt, record);

  return _cria_store_db_step_done (db, stmt, error);
}

static gboolean
run_save_conversation (CriaStoreDb   *db,
                       CriaStoreJob  *job,
                       GError       **error)
{
  CriaStoreSaveConversationJob *save = _cria_store_job_get_payload (job, &_cria_store_job_save_conversation);
  CriaConversationRecord *record = save->record;

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;
  if (!write_conversation (db, record, FALSE, error) ||
      !announce (db, job, record->id, error))
    {
      _cria_store_db_rollback (db);
      return FALSE;
    }

  return _cria_store_db_commit (db, error);
}

/* Splits a data: URL into its type and bytes; NULL for any other URL, or for
 * one whose bytes would not come back as the very same text. */
static GBytes *
decode_data_url (const char  *url,
                 char       **mime)
{
  const char *comma;
  const char *header;
  g_autofree char *type = NULL;
  g_autofree guchar *data = NULL;
  g_autofree char *again = NULL;
  gsize len;

  if (!g_str_has_prefix (url, "data:") || (comma = strchr (url, ',')) == NULL)
    return NULL;

  header = url + strlen ("data:");
  if (comma - header < (gssize) strlen (";base64") ||
      strncmp (comma - strlen (";base64"), ";base64", strlen (";base64")) != 0)
    return NULL;

  type = g_strndup (header, comma - header - strlen (";base64"));
  data = g_base64_decode (comma + 1, &len);
  again = g_base64_encode (data, len);
  if (g_strcmp0 (again, comma + 1) != 0)
    return NULL;

  *mime = g_steal_pointer (&type);
  return g_bytes_new_take (g_steal_pointer (&data), len);
}

static gboolean
write_images (CriaStoreDb        *db,
              gint64              message_rowid,
              const char * const *urls,
              GError            **error)
{
  static const char clear_sql[] = "DELETE FROM message_images WHERE message_id = ?1";
  static const char image_sql[] =
    "INSERT OR IGNORE INTO images (hash, mime, data, url) VALUES (?1, ?2, ?3, ?4)";
  static const char link_sql[] =
    "INSERT INTO message_images (message_id, idx, hash) VALUES (?1, ?2, ?3)";
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, clear_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_rowid);
  if (!_cria_store_db_step_done (db, stmt, error))
    return FALSE;

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_autofree char *mime = NULL;
      g_autoptr(GBytes) bytes = decode_data_url (urls[i], &mime);
      g_autofree char *hash = NULL;

      /* Stored once by content: the same picture in many messages is one row. */
      if (bytes != NULL)
        hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      else
        hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, urls[i], -1);

      if ((stmt = _cria_store_db_prepare (db, image_sql, error)) == NULL)
        return FALSE;
      _cria_store_db_bind_text (stmt, 1, hash);
      _cria_store_db_bind_text (stmt, 2, mime);
      if (bytes != NULL)
        {
          sqlite3_bind_blob64 (stmt, 3, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                               SQLITE_STATIC);
          sqlite3_bind_null (stmt, 4);
        }
      else
        {
          sqlite3_bind_null (stmt, 3);
          _cria_store_db_bind_text (stmt, 4, urls[i]);
        }
      if (!_cria_store_db_step_done (db, stmt, error))
        return FALSE;

      if ((stmt = _cria_store_db_prepare (db, link_sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, message_rowid);
      sqlite3_bind_int (stmt, 2, i);
      _cria_store_db_bind_text (stmt, 3, hash);
      if (!_cria_store_db_step_done (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
write_message (CriaStoreDb              *db,
               const char               *conversation_id,
               gint64                    position,
               const CriaMessageRecord  *record,
               GError                  **error)
{
  static const char sql[] =
    "INSERT INTO messages (uuid, conversation_id, position, role, content, reasoning, state, model,"
    " params, tokens_in, tokens_out, reasoning_tokens, estimated, cost, thinking_time,"
    " tokens_per_second, error, created, finish_reason, tool_calls, tool_status, tool_duration)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
    " ?21, ?22)"
    " ON CONFLICT (uuid) DO UPDATE SET position = excluded.position, content = excluded.content,"
    " reasoning = excluded.reasoning, state = excluded.state, model = excluded.model,"
    " params = excluded.params, tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out,"
    " reasoning_tokens = excluded.reasoning_tokens, estimated = excluded.estimated,"
    " cost = excluded.cost, thinking_time = excluded.thinking_time,"
    " tokens_per_second = excluded.tokens_per_second, error = excluded.error,"
    " finish_reason = excluded.finish_reason, tool_calls = excluded.tool_calls,"
    " tool_status = excluded.tool_status, tool_duration = excluded.tool_duration"
    " RETURNING id";
  static const char touch_sql[] =
    "UPDATE conversations SET updated = max (updated, ?2) WHERE id = ?1";
  g_autofree char *params = NULL;
  g_autofree char *tool_calls = cria_tool_calls_to_json (record->tool_calls);
  sqlite3_stmt *stmt;
  gint64 rowid;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    return FALSE;

  params = record->params != NULL && record->params->set != 0
           ? variant_to_text (cria_chat_params_to_variant (record->params)) : NULL;
  _cria_store_db_bind_text (stmt, 1, record->id);
  _cria_store_db_bind_text (stmt, 2, conversation_id);
  sqlite3_bind_int64 (stmt, 3, position);
  _cria_store_db_bind_text (stmt, 4, cria_role_to_string (record->role));
  _cria_store_db_bind_text (stmt, 5, record->content != NULL ? record->content : "");
  _cria_store_db_bind_text (stmt, 6, record->reasoning != NULL ? record->reasoning : "");
  _cria_store_db_bind_text (stmt, 7, cria_message_state_to_string (record->state));
  _cria_store_db_bind_text (stmt, 8, record->model);
  _cria_store_db_bind_text (stmt, 9, params);
  bind_int64_if (stmt, 10, record->tokens_in >= 0, record->tokens_in);
  bind_int64_if (stmt, 11, record->tokens_out >= 0, record->tokens_out);
  bind_int64_if (stmt, 12, record->reasoning_tokens >= 0, record->reasoning_tokens);
  sqlite3_bind_int (stmt, 13, record->estimated ? 1 : 0);
  bind_double_if (stmt, 14, record->cost >= 0, record->cost);
  sqlite3_bind_int64 (stmt, 15, record->thinking_time);
  sqlite3_bind_double (stmt, 16, record->tokens_per_second);
  _cria_store_db_bind_text (stmt, 17, record->error);
  sqlite3_bind_int64 (stmt, 18, record->created);
  _cria_store_db_bind_text (stmt, 19, cria_finish_reason_to_string (record->finish_reason));
  _cria_store_db_bind_text (stmt, 20, tool_calls);
  _cria_store_db_bind_text (stmt, 21, cria_tool_status_to_string (record->tool_status));
  sqlite3_bind_int64 (stmt, 22, record->tool_duration);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cria_store_db_set_error (db, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!write_images (db, rowid, (const char * const *) record->image_urls, error))
    return FALSE;
  /* Only a user message carries documents, and it is saved seldom: an
   * answer saved while it streams skips this. */
  if ((record->role == CRIA_ROLE_USER || record->documents->len > 0) &&
      !_cria_store_write_documents (db, rowid, record->documents, error))
    return FALSE;
  /* An answer's sources are set before it streams and never change. */
  if ((record->sources->len > 0 ||
       (record->role == CRIA_ROLE_ASSISTANT && record->state != CRIA_MESSAGE_STATE_STREAMING)) &&
      !_cria_store_write_sources (db, rowid, record->sources, error))
    return FALSE;

  if ((stmt = _cria_store_db_prepare (db, touch_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, conversation_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());

  return _cria_store_db_step_done (db, stmt, error);
}

static gboolean
run_save_message (CriaStoreDb   *db,
                  CriaStoreJob  *job,
                  GError       **error)
{
  CriaStoreSaveMessageJob *save = _cria_store_job_get_payload (job, &_cria_store_job_save_message);

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;
  if (!write_message (db, save->conversation_id, save->position, save->record, error) ||
      !announce (db, job, save->conversation_id, error))
    {
      _cria_store_db_rollback (db);
      return FALSE;
    }

  return _cria_store_db_commit (db, error);
}

static gboolean
run_set_messages (CriaStoreDb   *db,
                  CriaStoreJob  *job,
                  GError       **error)
{
  CriaStoreSetMessagesJob *set = _cria_store_job_get_payload (job, &_cria_store_job_set_messages);
  static const char list_sql[] = "SELECT uuid FROM messages WHERE conversation_id = ?1";
  static const char delete_sql[] = "DELETE FROM messages WHERE uuid = ?1";
  static const char position_sql[] =
    "UPDATE messages SET position = ?2 WHERE uuid = ?1 AND position != ?2";
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  for (guint i = 0; set->message_ids[i] != NULL; i++)
    g_hash_table_add (keep, set->message_ids[i]);

  if (!_cria_store_db_begin (db, error))
    return FALSE;

  if ((stmt = _cria_store_db_prepare (db, list_sql, error)) == NULL)
    goto fail;
  _cria_store_db_bind_text (stmt, 1, set->conversation_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *uuid = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (keep, uuid))
        g_ptr_array_add (gone, g_strdup (uuid));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      goto fail;
    }

  for (guint i = 0; i < gone->len; i++)
    {
      if ((stmt = _cria_store_db_prepare (db, delete_sql, error)) == NULL)
        goto fail;
      _cria_store_db_bind_text (stmt, 1, g_ptr_array_index (gone, i));
      if (!_cria_store_db_step_done (db, stmt, error))
        goto fail;
    }
  if (gone->len > 0 && !_cria_store_delete_orphan_documents (db, error))
    goto fail;

  for (guint i = 0; set->message_ids[i] != NULL; i++)
    {
      if ((stmt = _cria_store_db_prepare (db, position_sql, error)) == NULL)
        goto fail;
      _cria_store_db_bind_text (stmt, 1, set->message_ids[i]);
      sqlite3_bind_int64 (stmt, 2, i);
      if (!_cria_store_db_step_done (db, stmt, error))
        goto fail;
    }

  if (!announce (db, job, set->conversation_id, error))
    goto fail;

  return _cria_store_db_commit (db, error);

fail:
  _cria_store_db_rollback (db);
  return FALSE;
}

static gboolean
update_and_announce (CriaStoreDb   *db,
                     CriaStoreJob  *job,
                     const char    *sql,
                     const char    *id,
                     const char    *text,
                     gint64         number,
                     GError       **error)
{
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;
  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    goto fail;
  _cria_store_db_bind_text (stmt, 1, id);
  if (text != NULL)
    _cria_store_db_bind_text (stmt, 2, text);
  else
    sqlite3_bind_int64 (stmt, 2, number);
  if (!_cria_store_db_step_done (db, stmt, error))
    goto fail;
  if (sqlite3_changes (db->db) == 0)
    {
      g_set_error_literal (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_NOT_FOUND,
                           _("The conversation is not in the history."));
      goto fail;
    }
  if (!announce (db, job, id, error))
    goto fail;

  return _cria_store_db_commit (db, error);

fail:
  _cria_store_db_rollback (db);
  return FALSE;
}

static gboolean
run_rename (CriaStoreDb   *db,
            CriaStoreJob  *job,
            GError       **error)
{
  CriaStoreRenameJob *rename = _cria_store_job_get_payload (job, &_cria_store_job_rename);

  return update_and_announce (db, job, "UPDATE conversations SET title = ?2 WHERE id = ?1",
                              rename->conversation_id, rename->title, 0, error);
}

static gboolean
run_set_pinned (CriaStoreDb   *db,
                CriaStoreJob  *job,
                GError       **error)
{
  CriaStoreSetPinnedJob *pin = _cria_store_job_get_payload (job, &_cria_store_job_set_pinned);

  return update_and_announce (db, job, "UPDATE conversations SET pinned = ?2 WHERE id = ?1",
                              pin->conversation_id, NULL, !!pin->pinned, error);
}

static gboolean
run_list (CriaStoreDb   *db,
          CriaStoreJob  *job,
          GError       **error)
{
  CriaStoreListJob *list = _cria_store_job_get_payload (job, &_cria_store_job_list);
  static const char sql[] =
    "SELECT " CONVERSATION_COLUMNS " FROM conversations c"
    " WHERE EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id)"
    " ORDER BY c.pinned DESC, c.updated DESC";
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_conversation_record_free);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, read_conversation (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  list->records = g_steal_pointer (&records);
  return TRUE;
}

static gboolean
load (CriaStoreDb              *db,
      const char               *id,
      CriaConversationRecord  **record_out,
      GPtrArray               **messages_out,
      GError                  **error)
{
  static const char conversation_sql[] =
    "SELECT " CONVERSATION_COLUMNS " FROM conversations c WHERE c.id = ?1";
  static const char messages_sql[] =
    "SELECT " MESSAGE_COLUMNS " FROM messages m WHERE m.conversation_id = ?1 ORDER BY m.position";
  static const char images_sql[] =
    "SELECT mi.message_id, i.mime, i.data, i.url FROM messages m"
    " JOIN message_images mi ON mi.message_id = m.id JOIN images i ON i.hash = mi.hash"
    " WHERE m.conversation_id = ?1 ORDER BY mi.message_id, mi.idx";
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  g_autoptr(GHashTable) by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) images = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, conversation_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = read_conversation (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_NOT_FOUND,
                           _("The conversation is not in the history."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  if ((stmt = _cria_store_db_prepare (db, messages_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CriaMessageRecord *message = read_message (stmt);

      g_hash_table_insert (by_rowid, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                           message);
      g_ptr_array_add (messages, message);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  if ((stmt = _cria_store_db_prepare (db, images_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      CriaMessageRecord *message = g_hash_table_lookup (by_rowid, &rowid);
      GPtrArray *urls;
      char *url;

      if (message == NULL)
        continue;

      if (sqlite3_column_type (stmt, 2) == SQLITE_BLOB)
        {
          g_autofree char *base64 = g_base64_encode (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2));
          g_autofree char *mime = column_dup (stmt, 1);

          url = g_strdup_printf ("data:%s;base64,%s", mime != NULL ? mime : "", base64);
        }
      else
        url = column_dup (stmt, 3);
      if (url == NULL)
        continue;

      urls = g_hash_table_lookup (images, message);
      if (urls == NULL)
        {
          urls = g_ptr_array_new ();
          g_hash_table_insert (images, message, urls);
        }
      g_ptr_array_add (urls, url);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  for (guint i = 0; i < messages->len; i++)
    {
      CriaMessageRecord *message = g_ptr_array_index (messages, i);
      GPtrArray *urls = g_hash_table_lookup (images, message);

      if (urls == NULL)
        continue;
      g_strfreev (message->image_urls);
      g_ptr_array_add (urls, NULL);
      message->image_urls = (GStrv) g_ptr_array_steal (urls, NULL);
    }

  if (!_cria_store_load_documents (db, id, by_rowid, error) ||
      !_cria_store_load_sources (db, id, by_rowid, error))
    return FALSE;

  *record_out = g_steal_pointer (&record);
  *messages_out = g_steal_pointer (&messages);

  return TRUE;
}

static gboolean
run_load (CriaStoreDb   *db,
          CriaStoreJob  *job,
          GError       **error)
{
  CriaStoreLoadJob *load_job = _cria_store_job_get_payload (job, &_cria_store_job_load);

  g_assert (g_thread_self () == db->thread);

  return load (db, load_job->conversation_id, &load_job->record, &load_job->messages, error);
}

static gboolean
run_delete (CriaStoreDb   *db,
            CriaStoreJob  *job,
            GError       **error)
{
  CriaStoreLoadJob *delete = _cria_store_job_get_payload (job, &_cria_store_job_delete);
  static const char delete_sql[] = "DELETE FROM conversations WHERE id = ?1";
  static const char orphans_sql[] =
    "DELETE FROM images WHERE NOT EXISTS (SELECT 1 FROM message_images mi WHERE mi.hash = images.hash)";
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;
  if (!load (db, delete->conversation_id, &delete->record, &delete->messages, error))
    goto fail;

  if ((stmt = _cria_store_db_prepare (db, delete_sql, error)) == NULL)
    goto fail;
  _cria_store_db_bind_text (stmt, 1, delete->conversation_id);
  if (!_cria_store_db_step_done (db, stmt, error))
    goto fail;
  if ((stmt = _cria_store_db_prepare (db, orphans_sql, error)) == NULL)
    goto fail;
  if (!_cria_store_db_step_done (db, stmt, error))
    goto fail;
  if (!_cria_store_delete_orphan_documents (db, error))
    goto fail;
  if (!announce (db, job, delete->conversation_id, error))
    goto fail;

  return _cria_store_db_commit (db, error);

fail:
  _cria_store_db_rollback (db);
  return FALSE;
}

static gboolean
run_import (CriaStoreDb   *db,
            CriaStoreJob  *job,
            GError       **error)
{
  CriaStoreImportJob *import = _cria_store_job_get_payload (job, &_cria_store_job_import);
  static const char delete_sql[] = "DELETE FROM conversations WHERE id = ?1";
  static const char restore_time_sql[] = "UPDATE conversations SET updated = ?2 WHERE id = ?1";
  CriaConversationRecord *record = import->record;
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;
  if ((stmt = _cria_store_db_prepare (db, delete_sql, error)) == NULL)
    goto fail;
  _cria_store_db_bind_text (stmt, 1, record->id);
  if (!_cria_store_db_step_done (db, stmt, error))
    goto fail;
  if (!write_conversation (db, record, TRUE, error))
    goto fail;
  for (guint i = 0; i < import->messages->len; i++)
    {
      if (!write_message (db, record->id, i, g_ptr_array_index (import->messages, i), error))
        goto fail;
    }
  /* Saving messages touched the time; an import keeps the one it brought. */
  if ((stmt = _cria_store_db_prepare (db, restore_time_sql, error)) == NULL)
    goto fail;
  _cria_store_db_bind_text (stmt, 1, record->id);
  sqlite3_bind_int64 (stmt, 2, record->updated);
  if (!_cria_store_db_step_done (db, stmt, error))
    goto fail;
  if (!announce (db, job, record->id, error))
    goto fail;

  return _cria_store_db_commit (db, error);

fail:
  _cria_store_db_rollback (db);
  return FALSE;
}

/* The payloads and the job types. */

CriaStoreSaveConversationJob *
_cria_store_save_conversation_job_new (const CriaConversationRecord *record)
{
  CriaStoreSaveConversationJob *save = g_new0 (CriaStoreSaveConversationJob, 1);

  save->record = cria_conversation_record_copy (record);

  return save;
}

static void
save_conversation_job_free (gpointer payload)
{
  CriaStoreSaveConversationJob *save = payload;

  cria_conversation_record_free (save->record);
  g_free (save);
}

CriaStoreSaveMessageJob *
_cria_store_save_message_job_new (const char              *conversation_id,
                                  guint                    position,
                                  const CriaMessageRecord *record)
{
  CriaStoreSaveMessageJob *save = g_new0 (CriaStoreSaveMessageJob, 1);

  save->conversation_id = g_strdup (conversation_id);
  save->position = position;
  save->record = cria_message_record_copy (record);

  return save;
}

static void
save_message_job_free (gpointer payload)
{
  CriaStoreSaveMessageJob *save = payload;

  g_free (save->conversation_id);
  cria_message_record_free (save->record);
  g_free (save);
}

CriaStoreSetMessagesJob *
_cria_store_set_messages_job_new (const char         *conversation_id,
                                  const char * const *message_ids)
{
  CriaStoreSetMessagesJob *set = g_new0 (CriaStoreSetMessagesJob, 1);

  set->conversation_id = g_strdup (conversation_id);
  set->message_ids = g_strdupv ((char **) message_ids);

  return set;
}

static void
set_messages_job_free (gpointer payload)
{
  CriaStoreSetMessagesJob *set = payload;

  g_free (set->conversation_id);
  g_strfreev (set->message_ids);
  g_free (set);
}

CriaStoreRenameJob *
_cria_store_rename_job_new (const char *conversation_id,
                            const char *title)
{
  CriaStoreRenameJob *rename = g_new0 (CriaStoreRenameJob, 1);

  rename->conversation_id = g_strdup (conversation_id);
  rename->title = g_strdup (title);

  return rename;
}

static void
rename_job_free (gpointer payload)
{
  CriaStoreRenameJob *rename = payload;

  g_free (rename->conversation_id);
  g_free (rename->title);
  g_free (rename);
}

CriaStoreSetPinnedJob *
_cria_store_set_pinned_job_new (const char *conversation_id,
                                gboolean    pinned)
{
  CriaStoreSetPinnedJob *pin = g_new0 (CriaStoreSetPinnedJob, 1);

  pin->conversation_id = g_strdup (conversation_id);
  pin->pinned = !!pinned;

  return pin;
}

static void
set_pinned_job_free (gpointer payload)
{
  CriaStoreSetPinnedJob *pin = payload;

  g_free (pin->conversation_id);
  g_free (pin);
}

CriaStoreListJob *
_cria_store_list_job_new (void)
{
  return g_new0 (CriaStoreListJob, 1);
}

static void
list_job_free (gpointer payload)
{
  CriaStoreListJob *list = payload;

  g_clear_pointer (&list->records, g_ptr_array_unref);
  g_free (list);
}

CriaStoreLoadJob *
_cria_store_load_job_new (const char *conversation_id)
{
  CriaStoreLoadJob *load_job = g_new0 (CriaStoreLoadJob, 1);

  load_job->conversation_id = g_strdup (conversation_id);

  return load_job;
}

static void
load_job_free (gpointer payload)
{
  CriaStoreLoadJob *load_job = payload;

  g_free (load_job->conversation_id);
  g_clear_pointer (&load_job->record, cria_conversation_record_free);
  g_clear_pointer (&load_job->messages, g_ptr_array_unref);
  g_free (load_job);
}

CriaStoreImportJob *
_cria_store_import_job_new (const CriaConversationRecord *record,
                            GPtrArray                    *messages)
{
  CriaStoreImportJob *import = g_new0 (CriaStoreImportJob, 1);

  import->record = cria_conversation_record_copy (record);
  import->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  for (guint i = 0; i < messages->len; i++)
    g_ptr_array_add (import->messages, cria_message_record_copy (g_ptr_array_index (messages, i)));

  return import;
}

static void
import_job_free (gpointer payload)
{
  CriaStoreImportJob *import = payload;

  cria_conversation_record_free (import->record);
  g_ptr_array_unref (import->messages);
  g_free (import);
}

const CriaStoreJobType _cria_store_job_save_conversation =
  { "save-conversation", FALSE, run_save_conversation, save_conversation_job_free };
const CriaStoreJobType _cria_store_job_save_message =
  { "save-message", FALSE, run_save_message, save_message_job_free };
const CriaStoreJobType _cria_store_job_set_messages =
  { "set-messages", FALSE, run_set_messages, set_messages_job_free };
const CriaStoreJobType _cria_store_job_rename =
  { "rename", FALSE, run_rename, rename_job_free };
const CriaStoreJobType _cria_store_job_set_pinned =
  { "set-pinned", FALSE, run_set_pinned, set_pinned_job_free };
const CriaStoreJobType _cria_store_job_list =
  { "list", FALSE, run_list, list_job_free };
const CriaStoreJobType _cria_store_job_load =
  { "load", FALSE, run_load, load_job_free };
const CriaStoreJobType _cria_store_job_delete =
  { "delete", FALSE, run_delete, load_job_free };
const CriaStoreJobType _cria_store_job_import =
  { "import", FALSE, run_import, import_job_free };
