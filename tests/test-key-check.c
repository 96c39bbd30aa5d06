/* test-key-check.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-error.h"
#include "cria-key-check.h"
#include "cria-test-util.h"

#define MODELS_BODY "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}"

typedef struct
{
  CriaTestFixture  base;
  CriaKeyCheck    *check;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  cria_test_fixture_set_up (&fixture->base, data);
  /* The key is what the check puts on the client. */
  cria_client_set_api_key (fixture->base.client, NULL);
  fixture->check = cria_key_check_new (fixture->base.client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->check);
  cria_test_fixture_tear_down (&fixture->base, data);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
check_and_save (Fixture     *fixture,
                const char  *key,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_key_check_check_and_save_async (fixture->check, key, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cria_key_check_check_and_save_finish (fixture->check, result, error);
}

static void
expect_models (Fixture *fixture)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->base.server, "/v1/models");

  cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);
}

/* The server refuses the key: the client is left without one, nothing is
 * held and nothing is saved. */
static void
test_rejected (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *wrong = cria_test_make_key ();
  g_autoptr(GError) error = NULL;

  g_assert_false (check_and_save (fixture, wrong, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, wrong));
  g_assert_false (cria_client_has_api_key (fixture->base.client));
  g_assert_false (cria_key_check_has_unsaved_key (fixture->check));
  g_assert_cmpuint (cria_fake_server_get_requests (fixture->base.server)->len, ==, 1);
}

/* Blanks around a pasted key are not part of it; the key works and is
 * saved for the server it was checked with. */
static void
test_saved (Fixture       *fixture,
            gconstpointer  data)
{
  const char *base_url = cria_fake_server_get_base_url (fixture->base.server);
  g_autofree char *padded = g_strdup_printf ("  %s\n", fixture->base.key);
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;

  if (!cria_test_require_keyring ())
    return;

  cria_test_keyring_clear (base_url);
  expect_models (fixture);
  g_assert_true (check_and_save (fixture, padded, &error));
  g_assert_no_error (error);
  g_assert_false (cria_key_check_has_unsaved_key (fixture->check));

  stored = cria_test_keyring_lookup (base_url);
  g_assert_cmpstr (stored, ==, fixture->base.key);
  expect_models (fixture);
  g_assert_true (cria_test_list_models_works (fixture->base.client));

  cria_test_keyring_clear (base_url);
}

/* Whatever the first server said, the key is neither saved nor held nor
 * put on the client for the second. */
static void
test_server_changed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CriaFakeServer) other = cria_fake_server_new ();
  CriaTestSwitchBase switch_base = { fixture->base.client, cria_fake_server_get_base_url (other) };
  g_autoptr(GError) error = NULL;

  cria_fake_server_set_handler (fixture->base.server, "/v1/models", cria_test_switch_base_handler, &switch_base, NULL);
  g_assert_false (check_and_save (fixture, fixture->base.key, &error));
  g_assert_error (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_SERVER_CHANGED);
  g_assert_false (cria_key_check_has_unsaved_key (fixture->check));
  g_assert_false (cria_client_has_api_key (fixture->base.client));
  g_assert_cmpuint (cria_fake_server_get_requests (other)->len, ==, 0);
  cria_fake_server_set_handler (fixture->base.server, "/v1/models", NULL, NULL, NULL);
}

/* No keyring answers (the child's D-Bus points at nothing): the key works,
 * stays on the client and is held for the session-only variant, which
 * refuses once the client serves another server. */
static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      Fixture fixture = { 0, };
      g_autoptr(CriaFakeServer) other = NULL;
      g_autoptr(GError) error = NULL;

      fixture_set_up (&fixture, NULL);

      expect_models (&fixture);
      g_assert_false (check_and_save (&fixture, fixture.base.key, &error));
      g_assert_error (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NO_KEYRING);
      g_assert_null (strstr (error->message, fixture.base.key));
      g_assert_true (cria_key_check_has_unsaved_key (fixture.check));
      g_assert_true (cria_client_has_api_key (fixture.base.client));
      g_clear_error (&error);

      /* Used for the session: the key is the client's alone now. */
      g_assert_true (cria_key_check_use_for_session (fixture.check, &error));
      g_assert_no_error (error);
      g_assert_false (cria_key_check_has_unsaved_key (fixture.check));
      expect_models (&fixture);
      g_assert_true (cria_test_list_models_works (fixture.base.client));

      /* Checked again, then the server changes before it is used. */
      expect_models (&fixture);
      g_assert_false (check_and_save (&fixture, fixture.base.key, &error));
      g_assert_error (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NO_KEYRING);
      g_clear_error (&error);
      other = cria_fake_server_new ();
      g_assert_true (cria_client_set_base_url (fixture.base.client, cria_fake_server_get_base_url (other), NULL));
      cria_client_set_api_key (fixture.base.client, NULL);
      g_assert_false (cria_key_check_use_for_session (fixture.check, &error));
      g_assert_error (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_SERVER_CHANGED);
      g_assert_false (cria_key_check_has_unsaved_key (fixture.check));
      g_assert_false (cria_client_has_api_key (fixture.base.client));

      fixture_tear_down (&fixture, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A key that works but is not wanted any more is wiped, not kept. */
static void
test_forget (void)
{
  if (g_test_subprocess ())
    {
      Fixture fixture = { 0, };
      g_autoptr(GError) error = NULL;

      fixture_set_up (&fixture, NULL);
      expect_models (&fixture);
      g_assert_false (check_and_save (&fixture, fixture.base.key, &error));
      g_assert_true (cria_key_check_has_unsaved_key (fixture.check));
      cria_key_check_forget (fixture.check);
      g_assert_false (cria_key_check_has_unsaved_key (fixture.check));
      fixture_tear_down (&fixture, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  /* The no-keyring tests run in a child in which no session bus answers;
   * that must be in place before anything touches D-Bus. */
  if (g_test_subprocess ())
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);

  g_test_add ("/key-check/rejected", Fixture, NULL, fixture_set_up, test_rejected, fixture_tear_down);
  g_test_add ("/key-check/saved", Fixture, NULL, fixture_set_up, test_saved, fixture_tear_down);
  g_test_add ("/key-check/server-changed", Fixture, NULL, fixture_set_up, test_server_changed, fixture_tear_down);
  g_test_add_func ("/key-check/no-keyring", test_no_keyring);
  g_test_add_func ("/key-check/forget", test_forget);

  return g_test_run ();
}
