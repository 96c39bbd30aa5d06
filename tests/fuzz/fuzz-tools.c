/* fuzz-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A libFuzzer target for what Cria's own tools and JSON answers read from
 * outside: the calculator's expressions (a model writes them), a web page's
 * HTML, and a pasted schema with an answer checked against it. The first
 * byte picks which; the rest is the input.
 *
 * Beyond crashes, leaks and undefined behaviour it checks that every text
 * that comes out is UTF-8 and that an evaluation either gives a value or an
 * error, never both or neither.
 *
 *   CC=clang meson setup build-fuzz -Dfuzzing=true -Dtests=true
 *   meson compile -C build-fuzz fuzz-tools
 *   ./build-fuzz/tests/fuzz/fuzz-tools -max_total_time=120 -timeout=10 -rss_limit_mb=2048
 *
 * Warnings and criticals abort. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cria-calc.h"
#include "cria-html-text.h"
#include "cria-json-schema.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

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
  return 0;
}

static void
check_text (const char *text)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    abort ();
}

static void
fuzz_calc (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = cria_calc_evaluate (text, &error);

  if ((value == NULL) == (error == NULL))
    abort ();
  check_text (value);
  check_text (error != NULL ? error->message : NULL);
}

static void
fuzz_html (const char *data,
           size_t      size)
{
  g_autofree char *title = NULL;
  g_autofree char *text = cria_html_to_text (data, size, &title);

  check_text (text);
  check_text (title);
}

/* The schema up to the first NUL, the answer after it. */
static void
fuzz_schema (const char *data,
             size_t      size)
{
  const char *split = memchr (data, '\0', size);
  g_autofree char *schema_text = g_strndup (data, split != NULL ? (gsize) (split - data) : size);
  g_autofree char *answer_text = split != NULL ? g_strndup (split + 1, size - (split - data) - 1) : g_strdup ("{}");
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  g_autofree char *verdict = NULL;
  g_autofree char *shown = NULL;
  gboolean fits;

  if (!g_utf8_validate (schema_text, -1, NULL) || !g_utf8_validate (answer_text, -1, NULL))
    return;

  schema = cria_json_schema_parse (schema_text, &error);
  check_text (error != NULL ? error->message : NULL);
  g_clear_error (&error);
  answer = cria_json_schema_parse_answer (answer_text, &error);
  check_text (error != NULL ? error->message : NULL);
  g_clear_error (&error);
  if (schema != NULL && answer != NULL)
    {
      cria_json_schema_validate (schema, answer, &error);
      check_text (error != NULL ? error->message : NULL);
    }
  format = cria_json_schema_response_format (schema);
  shown = cria_json_schema_present_answer (answer_text, format, &verdict, &fits);
  check_text (shown);
  check_text (verdict);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;

  if (size < 1 || size > 64 * 1024)
    return 0;

  text = g_strndup ((const char *) data + 1, size - 1);
  switch (data[0] % 3)
    {
    case 0:
      fuzz_calc (text);
      break;
    case 1:
      fuzz_html ((const char *) data + 1, size - 1);
      break;
    default:
      fuzz_schema ((const char *) data + 1, size - 1);
      break;
    }
  return 0;
}
