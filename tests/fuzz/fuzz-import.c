/* fuzz-import.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A libFuzzer target for the conversation import: the checks in front of
 * JSON-GLib (size, UTF-8, depth, number of values) and the type- and
 * range-checked reader behind it, on arbitrary bytes, with no store and no
 * window. The seed corpus is tests/fuzz/corpus-import.
 *
 * Beyond crashes, leaks and undefined behaviour, it checks what the rest of
 * Cria relies on for whatever the import accepts: every string is UTF-8,
 * every time is one GDateTime can show in any time zone, every message
 * becomes a CriaMessage and the conversation a sidebar entry without a
 * warning, and the export of what was read is UTF-8 and imports again to
 * the same records.
 *
 *   CC=clang meson setup build-fuzz -Dfuzzing=true -Dtests=true
 *   meson compile -C build-fuzz fuzz-import
 *   corpus=$(mktemp -d)
 *   cp -R tests/fuzz/corpus-import/. "$corpus"
 *   ./build-fuzz/tests/fuzz/fuzz-import -max_total_time=120 -timeout=10 \
 *       -rss_limit_mb=2048 "$corpus"
 *   rm -rf "$corpus"
 *
 * Warnings and criticals abort: the import must never cause one. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cria-conversation-info.h"
#include "cria-export-json.h"
#include "cria-message.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The zones furthest either way from UTC. */
static GTimeZone *zones[2];

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;

  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  zones[0] = g_time_zone_new_identifier ("+14:00");
  zones[1] = g_time_zone_new_identifier ("-12:00");

  return 0;
}

static void
check_text (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    abort ();
}

/* A time the window shows: in UTC and in the zones furthest from it. */
static void
check_time (gint64 us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  if (utc == NULL)
    abort ();
  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zones[i]);

      if (local == NULL)
        abort ();
    }
}

static void
check_params (const CriaChatParams *params)
{
  for (guint i = 0; params->stop != NULL && params->stop[i] != NULL; i++)
    check_text (params->stop[i]);
}

static void
check_records (const CriaConversationRecord *record,
               GPtrArray                    *messages)
{
  g_autoptr(CriaConversationInfo) info = NULL;

  check_text (record->id);
  check_text (record->title);
  check_text (record->model);
  check_text (record->system_prompt);
  check_params (record->params);
  check_time (record->created);
  check_time (record->updated);
  info = cria_conversation_info_new (record);

  for (guint i = 0; i < messages->len; i++)
    {
      CriaMessageRecord *message = g_ptr_array_index (messages, i);
      g_autoptr(CriaMessage) object = NULL;

      check_text (message->id);
      check_text (message->content);
      check_text (message->reasoning);
      check_text (message->model);
      check_text (message->error);
      for (guint j = 0; message->image_urls[j] != NULL; j++)
        check_text (message->image_urls[j]);
      check_params (message->params);
      check_time (message->created);
      /* What the window makes of it; a property out of range warns. */
      object = cria_message_record_to_message (message);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(CriaConversationRecord) again = NULL;
  g_autoptr(GPtrArray) again_messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gsize len;

  record = cria_import_json (size > 0 ? (const char *) data : "", (gssize) size, &messages, &error);
  if (record == NULL)
    {
      /* A refusal is a sentence for the user. */
      if (error == NULL || messages != NULL || error->message[0] == '\0' ||
          !g_utf8_validate (error->message, -1, NULL))
        abort ();
      return 0;
    }
  if (error != NULL || messages == NULL)
    abort ();

  check_records (record, messages);

  /* What was read exports as UTF-8 and reads back the same. */
  json = cria_export_json (record, messages, &len);
  if (!g_utf8_validate (json, (gssize) len, NULL))
    abort ();
  again = cria_import_json (json, (gssize) len, &again_messages, &error);
  if (again == NULL || !cria_conversation_record_equal (record, again) ||
      again_messages->len != messages->len)
    abort ();
  for (guint i = 0; i < messages->len; i++)
    {
      if (!cria_message_record_equal (g_ptr_array_index (messages, i), g_ptr_array_index (again_messages, i)))
        abort ();
    }

  return 0;
}
