/* test-model-source.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-catalogue.h"
#include "cria-model-source.h"
#include "cria-test-util.h"

typedef CriaTestFixture Fixture;

/* What the source did, as its signals told. */
typedef struct
{
  guint   n_changed;
  guint   n_failed;
  guint   last_delay;
  char   *last_error;
} Seen;

static void
models_changed_cb (CriaModelSource *source,
                   GParamSpec      *pspec,
                   Seen            *seen)
{
  seen->n_changed++;
}

static void
failed_cb (CriaModelSource *source,
           const GError    *error,
           guint            retry_delay,
           Seen            *seen)
{
  seen->n_failed++;
  seen->last_delay = retry_delay;
  g_free (seen->last_error);
  seen->last_error = g_strdup (error->message);
}

static gboolean
ceiling_cb (gpointer user_data)
{
  gboolean *hit = user_data;

  *hit = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *@counter reaches @n; a ceiling only ends a
 * hung test. */
static void
wait_for_count (guint *counter,
                guint  n)
{
  gboolean hit = FALSE;
  guint ceiling = g_timeout_add_seconds (30, ceiling_cb, &hit);

  while (*counter < n && !hit)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hit);
  g_source_remove (ceiling);
}

static CriaModelSource *
make_source (Fixture *fixture,
             Seen    *seen)
{
  g_autoptr(GListModel) catalogue = cria_catalogue_load (NULL);
  CriaModelSource *source = cria_model_source_new (fixture->client, catalogue);

  g_assert_true (cria_model_source_get_models (source) == catalogue);
  g_signal_connect (source, "notify::models", G_CALLBACK (models_changed_cb), seen);
  g_signal_connect (source, "refresh-failed", G_CALLBACK (failed_cb), seen);

  return source;
}

static void
test_waits_until_ready (Fixture       *fixture,
                        gconstpointer  user_data)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/models");
  g_autoptr(CriaModelSource) source = NULL;
  Seen seen = { 0 };

  cria_fake_response_set_body_from_fixture (response, "application/json", "models/vllm.json");
  source = make_source (fixture, &seen);

  /* Asked before it is ready, it only remembers. */
  g_assert_false (cria_model_source_get_ready (source));
  cria_model_source_queue_refresh (source);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (cria_fake_server_get_requests (fixture->server)->len, ==, 0);

  /* Ready, it asks, and the server's list replaces the catalogue. */
  cria_model_source_set_ready (source);
  g_assert_true (cria_model_source_get_ready (source));
  wait_for_count (&seen.n_changed, 1);
  g_assert_cmpuint (cria_fake_server_get_requests (fixture->server)->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (cria_model_source_get_models (source)), ==, 22);
  g_assert_cmpuint (seen.n_failed, ==, 0);
  g_assert_cmpuint (cria_model_source_get_retry_delay (source), ==, 0);
}

static void
test_backs_off (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(CriaModelSource) source = NULL;
  CriaFakeResponse *response;
  GListModel *catalogue;
  Seen seen = { 0 };

  source = make_source (fixture, &seen);
  catalogue = cria_model_source_get_models (source);
  cria_model_source_set_ready (source);

  /* A failure keeps the list and says when the next try comes. */
  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_status (response, 503);
  cria_fake_response_set_body (response, "text/plain", "upstream unavailable", -1);
  cria_model_source_queue_refresh (source);
  wait_for_count (&seen.n_failed, 1);
  g_assert_cmpuint (seen.last_delay, ==, 5);
  g_assert_cmpuint (cria_model_source_get_retry_delay (source), ==, 5);
  g_assert_nonnull (strstr (seen.last_error, "upstream unavailable"));
  g_assert_true (cria_model_source_get_models (source) == catalogue);
  g_assert_cmpuint (seen.n_changed, ==, 0);

  /* Each failure in a row waits twice as long. */
  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_status (response, 503);
  cria_fake_response_set_body (response, "text/plain", "upstream unavailable", -1);
  cria_model_source_refresh (source);
  wait_for_count (&seen.n_failed, 2);
  g_assert_cmpuint (seen.last_delay, ==, 10);

  /* A success ends the backing off and replaces the list. */
  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_body_from_fixture (response, "application/json", "models/vllm.json");
  cria_model_source_refresh (source);
  wait_for_count (&seen.n_changed, 1);
  g_assert_cmpuint (cria_model_source_get_retry_delay (source), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cria_model_source_get_models (source)), ==, 22);
  g_assert_cmpuint (seen.n_failed, ==, 2);

  g_free (seen.last_error);
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/model-source/" path, Fixture, NULL, cria_test_fixture_set_up, func, cria_test_fixture_tear_down)

  ADD ("waits-until-ready", test_waits_until_ready);
  ADD ("backs-off", test_backs_off);

#undef ADD

  return g_test_run ();
}
