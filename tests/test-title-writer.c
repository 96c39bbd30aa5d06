/* test-title-writer.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-test-util.h"
#include "cria-title-writer.h"

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
write_title (CriaTestFixture  *f,
             const char       *content,
             GError          **error)
{
  g_autofree char *completion = NULL;
  g_autofree char *escaped = g_strescape (content, NULL);
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  GAsyncResult *result = NULL;
  char *title;

  completion = g_strdup_printf ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"llama-3.1-8b\","
                                "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"%s\"},"
                                "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":90,\"completion_tokens\":5}}",
                                escaped);
  cria_fake_response_set_body (response, "application/json", completion, -1);

  cria_title_writer_write_async (f->client, "llama-3.1-8b", "How do I make <tomato> soup?", "Boil tomatoes.",
                                 NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  title = cria_title_writer_write_finish (result, error);
  g_object_unref (result);

  return title;
}

static void
test_title_written (CriaTestFixture *f,
                    gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = write_title (f, "\"Tomato Soup Basics.\"\nHope this helps!", &error);
  CriaFakeRequest *request = cria_fake_server_get_last_request (f->server);
  g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));

  g_assert_no_error (error);
  g_assert_cmpstr (title, ==, "Tomato Soup Basics");
  /* One plain request that quotes the exchange. */
  g_assert_nonnull (strstr (body, "\"stream\":false"));
  g_assert_nonnull (strstr (body, "How do I make <tomato> soup?"));
}

static void
test_title_empty (CriaTestFixture *f,
                  gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = write_title (f, "  \n ", &error);

  g_assert_null (title);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_clean (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "Simple", "Simple" },
    { "## **Title: Soup**", "Soup" },
    { "'Quoted'.", "Quoted" },
    { "\n\nFirst line\nsecond", "First line" },
    { "A title that goes on and on and on well past the sixty characters a sidebar shows", NULL },
    { "\"\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = cria_title_writer_clean (cases[i].in);

      if (i == 4)
        g_assert_cmpint (g_utf8_strlen (title, -1), ==, 60);
      else
        g_assert_cmpstr (title, ==, cases[i].out);
    }

  g_assert_cmpfloat (cria_title_writer_estimate_cost (-1, 1), <, 0);
  g_assert_cmpfloat (cria_title_writer_estimate_cost (1.0, 2.0), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  g_test_add_func ("/title-writer/clean", test_clean);
  g_test_add ("/title-writer/written", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_title_written, cria_test_fixture_tear_down);
  g_test_add ("/title-writer/empty", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_title_empty, cria_test_fixture_tear_down);

  return g_test_run ();
}
