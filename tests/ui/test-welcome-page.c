/* test-welcome-page.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gtk/gtk.h>

#include "cria-api-error.h"
#include "cria-application.h"
#include "cria-config.h"
#include "cria-key-store.h"
#include "cria-preferences-window-private.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-welcome-page-private.h"

#include <adwaita.h>

#define MODELS_BODY "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}"
#define TIMEOUT_MS  10000

typedef struct
{
  CriaTestFixture  base;
  GtkWidget       *window;
  CriaWelcomePage *page;
  guint            n_key_ready;
} Fixture;

static gboolean have_display;

/* Waiting */

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main context until @condition holds; FALSE on timeout. */
static gboolean
wait_until (Condition condition,
            gpointer  data)
{
  return cria_ui_test_wait (condition, data, TIMEOUT_MS / 1000);
}

static gboolean
page_idle (gpointer data)
{
  Fixture *fixture = data;

  return !_cria_welcome_page_get_busy (fixture->page);
}

/* Fixture */

static void
key_ready_cb (CriaWelcomePage *page,
              Fixture         *fixture)
{
  fixture->n_key_ready++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  cria_test_fixture_set_up (&fixture->base, data);
  /* The page is what puts a key on the client. */
  cria_client_set_api_key (fixture->base.client, NULL);

  fixture->window = gtk_window_new ();
  g_object_ref (fixture->window);
  fixture->page = CRIA_WELCOME_PAGE (cria_welcome_page_new (fixture->base.client));
  g_signal_connect (fixture->page, "key-ready", G_CALLBACK (key_ready_cb), fixture);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_true (wait_until (page_idle, fixture));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  cria_test_fixture_tear_down (&fixture->base, data);
}

static void
type_key (Fixture    *fixture,
          const char *key)
{
  gtk_editable_set_text (GTK_EDITABLE (_cria_welcome_page_get_key_row (fixture->page)), key);
}

static void
press_continue (Fixture *fixture)
{
  GtkWidget *button = _cria_welcome_page_get_continue_button (fixture->page);

  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (_cria_welcome_page_get_busy (fixture->page));
  g_assert_true (wait_until (page_idle, fixture));
}

/* Tests */

static void
test_empty_key (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *button = _cria_welcome_page_get_continue_button (fixture->page);

  g_assert_false (gtk_widget_get_sensitive (button));
  type_key (fixture, "   ");
  g_assert_false (gtk_widget_get_sensitive (button));
  type_key (fixture, "llg_sk_x");
  g_assert_true (gtk_widget_get_sensitive (button));
  type_key (fixture, "");
  g_assert_false (gtk_widget_get_sensitive (button));

  /* Activating it anyway does nothing. */
  g_signal_emit_by_name (button, "clicked");
  g_assert_false (_cria_welcome_page_get_busy (fixture->page));
  g_assert_cmpuint (cria_fake_server_get_requests (fixture->base.server)->len, ==, 0);
}

static void
test_wrong_key (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *wrong = cria_test_make_key ();
  GtkWidget *label = _cria_welcome_page_get_error_label (fixture->page);
  GtkWidget *row = _cria_welcome_page_get_key_row (fixture->page);

  type_key (fixture, wrong);
  press_continue (fixture);

  g_assert_cmpuint (fixture->n_key_ready, ==, 0);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "did not accept"));
  /* The message never repeats the key. */
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (label)), wrong));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, wrong);
  g_assert_false (cria_client_has_api_key (fixture->base.client));
  g_assert_false (gtk_widget_get_visible (_cria_welcome_page_get_session_button (fixture->page)));
}

static void
test_right_key (Fixture       *fixture,
                gconstpointer  data)
{
  const char *base_url = cria_fake_server_get_base_url (fixture->base.server);
  CriaFakeResponse *response;
  g_autofree char *stored = NULL;

  if (!cria_test_require_keyring ())
    return;

  response = cria_fake_server_expect (fixture->base.server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);

  /* Surrounding blanks from a sloppy paste are dropped. */
  {
    g_autofree char *padded = g_strdup_printf ("  %s\n", fixture->base.key);
    type_key (fixture, padded);
  }
  press_continue (fixture);

  g_assert_cmpuint (fixture->n_key_ready, ==, 1);
  g_assert_false (gtk_widget_get_visible (_cria_welcome_page_get_error_label (fixture->page)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_cria_welcome_page_get_key_row (fixture->page))), ==, "");

  stored = cria_test_keyring_lookup (base_url);
  g_assert_cmpstr (stored, ==, fixture->base.key);

  g_assert_true (cria_client_has_api_key (fixture->base.client));
  response = cria_fake_server_expect (fixture->base.server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);
  g_assert_true (cria_test_list_models_works (fixture->base.client));

  cria_test_keyring_clear (base_url);
}

static void
test_server_down (Fixture       *fixture,
                  gconstpointer  data)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->base.server, "/v1/models");
  GtkWidget *label = _cria_welcome_page_get_error_label (fixture->page);

  cria_fake_response_set_bad_gateway_html (response);
  type_key (fixture, fixture->base.key);
  press_continue (fixture);

  g_assert_cmpuint (fixture->n_key_ready, ==, 0);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), !=, "");
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (label)), "did not accept"));
}

static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      /* main() pointed D-Bus at nothing before GTK started. */
      Fixture fixture = { 0, };
      CriaFakeResponse *response;
      GtkWidget *session_button;
      GtkWidget *label;

      fixture_set_up (&fixture, NULL);
      response = cria_fake_server_expect (fixture.base.server, "/v1/models");
      cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);

      type_key (&fixture, fixture.base.key);
      press_continue (&fixture);

      session_button = _cria_welcome_page_get_session_button (fixture.page);
      label = _cria_welcome_page_get_error_label (fixture.page);
      g_assert_cmpuint (fixture.n_key_ready, ==, 0);
      g_assert_true (gtk_widget_get_visible (session_button));
      g_assert_true (gtk_widget_get_visible (label));
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "keyring"));

      g_signal_emit_by_name (session_button, "clicked");
      g_assert_cmpuint (fixture.n_key_ready, ==, 1);
      g_assert_false (gtk_widget_get_visible (session_button));

      response = cria_fake_server_expect (fixture.base.server, "/v1/models");
      cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);
      g_assert_true (cria_test_list_models_works (fixture.base.client));

      fixture_tear_down (&fixture, NULL);
      return;
    }

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Raw bytes in the reason phrase (no encoding at all) must not reach the
 * label, its accessible text or anything after it as invalid UTF-8. */
static void
test_invalid_reason_phrase (Fixture       *fixture,
                            gconstpointer  data)
{
  static const char response[] = "HTTP/1.1 502 Gateway \xff\xfe" "Broken\x01 here\r\n"
                                 "Content-Length: 0\r\n"
                                 "Connection: close\r\n"
                                 "\r\n";
  g_autoptr(CriaTestRawServer) server = cria_test_raw_server_new (response, sizeof response - 1);
  GtkWidget *label = _cria_welcome_page_get_error_label (fixture->page);
  const char *text;

  g_assert_true (cria_client_set_base_url (fixture->base.client, cria_test_raw_server_get_base_url (server), NULL));
  type_key (fixture, fixture->base.key);
  press_continue (fixture);

  g_assert_cmpuint (cria_test_raw_server_get_n_requests (server), ==, 1);
  g_assert_cmpuint (fixture->n_key_ready, ==, 0);
  g_assert_true (gtk_widget_get_visible (label));
  text = gtk_label_get_text (GTK_LABEL (label));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "HTTP 502 Gateway"));
  g_assert_nonnull (strstr (text, "Broken"));
  g_assert_nonnull (strstr (text, "here"));
  g_assert_null (strchr (text, '\x01'));
}

static void
test_base_changed_during_check (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CriaFakeServer) other = cria_fake_server_new ();
  const char *base_url = cria_fake_server_get_base_url (fixture->base.server);
  const char *other_url = cria_fake_server_get_base_url (other);
  CriaTestSwitchBase switch_base = { fixture->base.client, other_url };
  GtkWidget *label = _cria_welcome_page_get_error_label (fixture->page);
  g_autofree char *stored_here = NULL;
  g_autofree char *stored_there = NULL;

  if (!cria_test_require_keyring ())
    return;

  cria_fake_server_set_handler (fixture->base.server, "/v1/models", cria_test_switch_base_handler, &switch_base, NULL);
  type_key (fixture, fixture->base.key);
  press_continue (fixture);

  /* Checked against one server, never saved for another, and not taken as
   * ready: the client serves the other server now. */
  g_assert_cmpuint (cria_fake_server_get_requests (fixture->base.server)->len, ==, 1);
  g_assert_cmpuint (cria_fake_server_get_requests (other)->len, ==, 0);
  g_assert_cmpuint (fixture->n_key_ready, ==, 0);
  stored_there = cria_test_keyring_lookup (other_url);
  g_assert_null (stored_there);
  stored_here = cria_test_keyring_lookup (base_url);
  g_assert_null (stored_here);
  g_assert_false (cria_client_has_api_key (fixture->base.client));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "server address changed"));
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (label)), fixture->base.key));
  /* What the user typed stays, to check again with a press of Continue. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_cria_welcome_page_get_key_row (fixture->page))),
                   ==, fixture->base.key);
  g_assert_true (gtk_widget_get_sensitive (_cria_welcome_page_get_continue_button (fixture->page)));

  cria_fake_server_set_handler (fixture->base.server, "/v1/models", NULL, NULL, NULL);
}

/* The key works but no keyring keeps it; before "Use for This Session
 * Only" is pressed, the user points Cria at another server. The key was
 * never checked there: the page says so and takes nothing as ready. */
static void
test_base_changed_before_session_only (void)
{
  if (g_test_subprocess ())
    {
      /* main() pointed D-Bus at nothing before GTK started. */
      Fixture fixture = { 0, };
      g_autoptr(CriaFakeServer) other = cria_fake_server_new ();
      CriaFakeResponse *response;
      GtkWidget *session_button;
      GtkWidget *label;

      fixture_set_up (&fixture, NULL);
      response = cria_fake_server_expect (fixture.base.server, "/v1/models");
      cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);

      type_key (&fixture, fixture.base.key);
      press_continue (&fixture);

      session_button = _cria_welcome_page_get_session_button (fixture.page);
      label = _cria_welcome_page_get_error_label (fixture.page);
      g_assert_true (gtk_widget_get_visible (session_button));

      g_assert_true (cria_client_set_base_url (fixture.base.client, cria_fake_server_get_base_url (other), NULL));
      g_signal_emit_by_name (session_button, "clicked");

      g_assert_cmpuint (fixture.n_key_ready, ==, 0);
      g_assert_false (cria_client_has_api_key (fixture.base.client));
      g_assert_false (gtk_widget_get_visible (session_button));
      g_assert_true (gtk_widget_get_visible (label));
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "server address changed"));
      g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (label)), fixture.base.key));
      /* What the user typed stays, to check again with a press of Continue. */
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_cria_welcome_page_get_key_row (fixture.page))),
                       ==, fixture.base.key);
      g_assert_true (gtk_widget_get_sensitive (_cria_welcome_page_get_continue_button (fixture.page)));
      g_assert_cmpuint (cria_fake_server_get_requests (other)->len, ==, 0);

      fixture_tear_down (&fixture, NULL);
      return;
    }

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static gboolean
window_shows_welcome (gpointer data)
{
  GtkWidget *window = data;

  return cria_ui_test_find_descendant (window, CRIA_TYPE_WELCOME_PAGE) != NULL &&
         gtk_widget_get_mapped (cria_ui_test_find_descendant (window, CRIA_TYPE_WELCOME_PAGE));
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
refused_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* LLAMAGATE_API_BASE that can't be used (plain http to another computer):
 * the window says so and nothing is sent anywhere, least of all the key from
 * LLAMAGATE_API_KEY to the default server. */
static void
test_rejected_env_base (void)
{
  g_autoptr(CriaFakeServer) server = cria_fake_server_new ();
  g_autofree char *key = cria_test_make_key ();
  g_autoptr(CriaApplication) app = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *preferences;
  CriaClient *client;
  CriaWindow *window;
  GtkWidget *page;
  GtkWidget *label;
  const char *text;

  g_setenv (CRIA_ENV_API_BASE, "http://gateway.example.com/v1", TRUE);
  g_setenv (CRIA_ENV_API_KEY, key, TRUE);
  app = cria_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_setenv (CRIA_ENV_API_BASE, "", TRUE);
  g_setenv (CRIA_ENV_API_KEY, "", TRUE);
  g_assert_no_error (error);

  client = cria_application_get_client (app);
  g_assert_false (cria_client_has_api_key (client));

  window = cria_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (window_shows_welcome, window));

  page = cria_ui_test_find_descendant (GTK_WIDGET (window), CRIA_TYPE_WELCOME_PAGE);
  label = _cria_welcome_page_get_error_label (CRIA_WELCOME_PAGE (page));
  text = gtk_label_get_text (GTK_LABEL (label));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (text, "LLAMAGATE_API_BASE"));
  g_assert_nonnull (strstr (text, "https://"));
  g_assert_nonnull (strstr (text, "Nothing is sent"));
  g_assert_null (strstr (text, key));
  /* No key can be entered for a server the user did not choose. */
  gtk_editable_set_text (GTK_EDITABLE (_cria_welcome_page_get_key_row (CRIA_WELCOME_PAGE (page))), "llg_sk_typed");
  g_assert_false (gtk_widget_get_sensitive (_cria_welcome_page_get_continue_button (CRIA_WELCOME_PAGE (page))));

  /* Nothing can make the client send: not another address, not a request. */
  g_assert_false (cria_client_set_base_url (client, cria_fake_server_get_base_url (server), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  cria_client_set_api_key (client, key);
  g_assert_false (cria_client_has_api_key (client));
  cria_client_list_models_async (client, NULL, refused_cb, &result);
  g_assert_true (wait_until (result_ready, &result));
  models = cria_client_list_models_finish (client, result, &error);
  g_assert_null (models);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "LLAMAGATE_API_BASE"));
  g_assert_cmpuint (cria_fake_server_get_requests (server)->len, ==, 0);

  /* Preferences say it too, beside the server address. */
  settings = g_settings_new ("io.github.cria.Cria");
  preferences = cria_preferences_window_new (client, settings);
  label = _cria_preferences_window_get_base_url_error (CRIA_PREFERENCES_WINDOW (preferences));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "LLAMAGATE_API_BASE"));
  gtk_window_destroy (GTK_WINDOW (preferences));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  /* The no-keyring test runs in a child in which no session bus answers;
   * that must be in place before anything touches D-Bus. */
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
      g_setenv ("GTK_A11Y", "none", TRUE);
    }

  have_display = gtk_init_check ();
  if (!have_display)
    {
      g_test_add_func ("/welcome-page/no-display", cria_ui_test_skip_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add ("/welcome-page/empty-key", Fixture, NULL, fixture_set_up, test_empty_key, fixture_tear_down);
  g_test_add ("/welcome-page/wrong-key", Fixture, NULL, fixture_set_up, test_wrong_key, fixture_tear_down);
  g_test_add ("/welcome-page/right-key", Fixture, NULL, fixture_set_up, test_right_key, fixture_tear_down);
  g_test_add ("/welcome-page/server-down", Fixture, NULL, fixture_set_up, test_server_down, fixture_tear_down);
  g_test_add_func ("/welcome-page/no-keyring", test_no_keyring);
  g_test_add ("/welcome-page/invalid-reason-phrase", Fixture, NULL, fixture_set_up,
              test_invalid_reason_phrase, fixture_tear_down);
  g_test_add ("/welcome-page/base-changed-during-check", Fixture, NULL, fixture_set_up,
              test_base_changed_during_check, fixture_tear_down);
  g_test_add_func ("/welcome-page/base-changed-before-session-only", test_base_changed_before_session_only);
  g_test_add_func ("/welcome-page/rejected-env-base", test_rejected_env_base);

  return g_test_run ();
}
