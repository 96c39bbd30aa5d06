/* test-preferences.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gtk/gtk.h>

#include "cria-api-error.h"
#include "cria-config.h"
#include "cria-key-store.h"
#include "cria-math-style.h"
#include "cria-preferences-window-private.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"

#define MODELS_BODY "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}"
#define TIMEOUT_MS  10000

typedef struct
{
  CriaTestFixture        base;
  GSettings             *settings;
  CriaPreferencesWindow *window;
} Fixture;

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
window_idle (gpointer data)
{
  Fixture *fixture = data;

  return !_cria_preferences_window_get_busy (fixture->window);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Fixture */

static void
reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = CRIA_PREFERENCES_WINDOW (cria_preferences_window_new (fixture->base.client,
                                                                         fixture->settings));
  g_object_ref (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  spin ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  cria_test_fixture_set_up (&fixture->base, data);
  fixture->settings = g_settings_new ("io.github.cria.Cria");
  reset_settings (fixture->settings);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      g_assert_true (wait_until (window_idle, fixture));
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      spin ();
      g_assert_finalize_object (fixture->window);
    }
  g_clear_object (&fixture->settings);
  cria_test_fixture_tear_down (&fixture->base, data);
}

static void
apply (GtkWidget  *row,
       const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

/* Tests */

static void
test_insecure_base_url (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *bad = "http://example.com/v1";
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *client_before = NULL;
  g_autoptr(GError) expected = NULL;
  GtkWidget *label;

  g_settings_set_string (fixture->settings, "base-url", CRIA_DEFAULT_BASE_URL);
  before = g_settings_get_string (fixture->settings, "base-url");
  client_before = g_strdup (cria_client_get_base_url (fixture->base.client));
  open_window (fixture);

  g_assert_null (cria_config_normalize_base_url (bad, &expected));
  g_assert_error (expected, CRIA_API_ERROR, CRIA_API_ERROR_INSECURE_URL);

  apply (_cria_preferences_window_get_base_url_row (fixture->window), bad);
  spin ();

  label = _cria_preferences_window_get_base_url_error (fixture->window);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expected->message);

  after = g_settings_get_string (fixture->settings, "base-url");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (cria_client_get_base_url (fixture->base.client), ==, client_before);
  g_assert_true (cria_client_has_api_key (fixture->base.client));
}

static gboolean
client_on_fake_server (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (cria_client_get_base_url (fixture->base.client),
                    cria_fake_server_get_base_url (fixture->base.server)) == 0 &&
         !_cria_preferences_window_get_busy (fixture->window);
}

static void
test_valid_base_url (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *fake_url = cria_fake_server_get_base_url (fixture->base.server);
  g_autofree char *no_keyring = cria_test_keyring_skip_reason ();
  gboolean keyring = no_keyring == NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;

  /* Start from the real service, without a key. */
  g_assert_true (cria_client_set_base_url (fixture->base.client, CRIA_DEFAULT_BASE_URL, &error));
  g_assert_no_error (error);
  cria_client_set_api_key (fixture->base.client, NULL);

  /* The fake server's key waits in the keyring for its URL. */
  if (keyring)
    cria_test_keyring_store (fake_url, fixture->base.key);
  else
    g_test_message ("no keyring: only checking the URL");

  open_window (fixture);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_cria_preferences_window_get_base_url_row (fixture->window))),
                   ==, CRIA_DEFAULT_BASE_URL);

  /* A trailing slash is tidied away. */
  {
    g_autofree char *typed = g_strdup_printf ("%s/", fake_url);
    apply (_cria_preferences_window_get_base_url_row (fixture->window), typed);
  }
  g_assert_true (wait_until (client_on_fake_server, fixture));

  saved = g_settings_get_string (fixture->settings, "base-url");
  g_assert_cmpstr (saved, ==, fake_url);
  g_assert_false (gtk_widget_get_visible (_cria_preferences_window_get_base_url_error (fixture->window)));

  if (keyring)
    {
      CriaFakeResponse *response = cria_fake_server_expect (fixture->base.server, "/v1/models");

      g_assert_true (cria_client_has_api_key (fixture->base.client));
      cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);
      g_assert_true (cria_test_list_models_works (fixture->base.client));
      cria_test_keyring_clear (fake_url);
    }
}

static void
test_remove_key (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *fake_url = cria_fake_server_get_base_url (fixture->base.server);
  g_autofree char *stored = NULL;
  GtkWidget *button;

  if (!cria_test_require_keyring ())
    return;

  cria_test_keyring_store (fake_url, fixture->base.key);
  stored = cria_test_keyring_lookup (fake_url);
  g_assert_cmpstr (stored, ==, fixture->base.key);
  g_clear_pointer (&stored, g_free);

  open_window (fixture);
  button = _cria_preferences_window_get_remove_key_button (fixture->window);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (_cria_preferences_window_get_busy (fixture->window));
  g_assert_true (wait_until (window_idle, fixture));

  stored = cria_test_keyring_lookup (fake_url);
  g_assert_null (stored);
  g_assert_false (cria_client_has_api_key (fixture->base.client));
}

static void
test_new_key (Fixture       *fixture,
              gconstpointer  data)
{
  const char *fake_url = cria_fake_server_get_base_url (fixture->base.server);
  g_autofree char *wrong = cria_test_make_key ();
  g_autofree char *stored = NULL;
  CriaFakeResponse *response;
  GtkWidget *row;
  GtkWidget *label;

  if (!cria_test_require_keyring ())
    return;

  /* The good key is saved; a wrong new one must not replace it. */
  cria_test_keyring_store (fake_url, fixture->base.key);
  open_window (fixture);
  row = _cria_preferences_window_get_new_key_row (fixture->window);
  label = _cria_preferences_window_get_key_status_label (fixture->window);

  apply (row, wrong);
  g_assert_true (_cria_preferences_window_get_busy (fixture->window));
  g_assert_true (wait_until (window_idle, fixture));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "did not accept"));
  stored = cria_test_keyring_lookup (fake_url);
  g_assert_cmpstr (stored, ==, fixture->base.key);
  g_clear_pointer (&stored, g_free);
  /* The client went back to the saved key. */
  response = cria_fake_server_expect (fixture->base.server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);
  g_assert_true (cria_test_list_models_works (fixture->base.client));

  /* Now the server wants a new key, and it is given. */
  cria_test_keyring_clear (fake_url);
  {
    g_autofree char *fresh = cria_test_make_key ();

    cria_fake_server_set_api_key (fixture->base.server, fresh);
    response = cria_fake_server_expect (fixture->base.server, "/v1/models");
    cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);
    apply (row, fresh);
    g_assert_true (wait_until (window_idle, fixture));

    stored = cria_test_keyring_lookup (fake_url);
    g_assert_cmpstr (stored, ==, fresh);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  }
  cria_test_keyring_clear (fake_url);
}

static void
test_generation_settings (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *spin_button;
  GtkWidget *toggle;
  GtkWidget *prompt;

  open_window (fixture);
  spin_button = _cria_preferences_window_get_temperature_spin (fixture->window);
  toggle = _cria_preferences_window_get_server_temperature_switch (fixture->window);
  prompt = _cria_preferences_window_get_system_prompt_row (fixture->window);

  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin_button)), 0.7, 1e-9);
  g_assert_false (gtk_widget_is_sensitive (spin_button));

  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  spin ();
  g_assert_false (g_settings_get_boolean (fixture->settings, "use-server-temperature"));
  g_assert_true (gtk_widget_is_sensitive (spin_button));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 1.3);
  spin ();
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "temperature"), 1.3, 1e-9);

  /* The spin button stops at the schema's range. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin_button), 5.0);
  spin ();
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "temperature"), 2.0, 1e-9);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (_cria_preferences_window_get_max_tokens_spin (fixture->window)), 2048);
  spin ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "max-tokens"), ==, 2048);

  gtk_editable_set_text (GTK_EDITABLE (prompt), "Answer in French.");
  spin ();
  {
    g_autofree char *saved = g_settings_get_string (fixture->settings, "system-prompt");
    g_assert_cmpstr (saved, ==, "Answer in French.");
  }

  /* And back from GSettings to the widgets. */
  g_settings_set_boolean (fixture->settings, "use-server-temperature", TRUE);
  spin ();
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
}

/* The switch writes the setting, and every view's maths follows it. */
static void
test_math_as_source (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *toggle;

  open_window (fixture);
  toggle = _cria_preferences_window_get_math_source_switch (fixture->window);

  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_false (cria_math_style_get_as_source (cria_math_style_get_default ()));

  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  spin ();
  g_assert_true (g_settings_get_boolean (fixture->settings, "math-as-source"));
  g_assert_true (cria_math_style_get_as_source (cria_math_style_get_default ()));

  g_settings_set_boolean (fixture->settings, "math-as-source", FALSE);
  spin ();
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_false (cria_math_style_get_as_source (cria_math_style_get_default ()));
}

static void
test_image_settings (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *side;
  GtkWidget *limit;

  open_window (fixture);
  side = _cria_preferences_window_get_image_size_spin (fixture->window);
  limit = _cria_preferences_window_get_request_limit_spin (fixture->window);

  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (side)), ==, 1536);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (limit)), ==, 20);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (side), 1024);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (limit), 8);
  spin ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "image-max-side"), ==, 1024);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "max-request-size"), ==, 8);

  /* Never below what a vision model can use. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (side), 10);
  spin ();
  g_assert_cmpint (g_settings_get_int (fixture->settings, "image-max-side"), ==, 256);

  g_settings_reset (fixture->settings, "image-max-side");
  g_settings_reset (fixture->settings, "max-request-size");
  spin ();
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (side)), ==, 1536);
}

static void
test_default_model (Fixture       *fixture,
                    gconstpointer  data)
{
  AdwComboRow *row;
  GListModel *names;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint selected;

  before = g_settings_get_string (fixture->settings, "default-model");
  open_window (fixture);
  row = ADW_COMBO_ROW (_cria_preferences_window_get_model_row (fixture->window));
  names = adw_combo_row_get_model (row);
  g_assert_cmpuint (g_list_model_get_n_items (names), >, 1);

  /* Choosing another entry saves its id, not its name. */
  selected = adw_combo_row_get_selected (row);
  g_assert_cmpuint (selected, !=, GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (row, selected == 0 ? 1 : 0);
  spin ();
  after = g_settings_get_string (fixture->settings, "default-model");
  g_assert_cmpstr (after, !=, before);
  g_assert_null (strchr (after, ' '));

  /* A model the catalogue lacks is still shown. */
  g_settings_set_string (fixture->settings, "default-model", "my-own-model");
  spin ();
  selected = adw_combo_row_get_selected (row);
  {
    g_autoptr(GtkStringObject) item = g_list_model_get_item (names, selected);
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "my-own-model");
  }
}

/* The embedding model is one of the catalogue's embedding models, shown by
 * name and saved by id; one it lacks is still shown. */
static void
test_embedding_model (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwComboRow *row;
  GListModel *names;
  g_autofree char *saved = g_settings_get_string (fixture->settings, "embedding-model");
  guint selected;

  g_assert_cmpstr (saved, ==, "nomic-embed-text");
  g_clear_pointer (&saved, g_free);
  open_window (fixture);
  row = ADW_COMBO_ROW (_cria_preferences_window_get_embedding_model_row (fixture->window));
  names = adw_combo_row_get_model (row);
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 3);
  selected = adw_combo_row_get_selected (row);
  {
    g_autoptr(GtkStringObject) item = g_list_model_get_item (names, selected);
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Nomic Embed Text");
  }
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (names, i);

      g_assert_null (strstr (gtk_string_object_get_string (item), "Llama"));
    }

  adw_combo_row_set_selected (row, selected == 0 ? 1 : 0);
  spin ();
  saved = g_settings_get_string (fixture->settings, "embedding-model");
  g_assert_cmpstr (saved, !=, "nomic-embed-text");
  g_assert_null (strchr (saved, ' '));

  g_settings_set_string (fixture->settings, "embedding-model", "my-embedder");
  spin ();
  selected = adw_combo_row_get_selected (row);
  {
    g_autoptr(GtkStringObject) item = g_list_model_get_item (names, selected);
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "my-embedder");
  }
  g_settings_reset (fixture->settings, "embedding-model");
}

static void
test_reset (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *prompt = NULL;
  g_autofree char *model = NULL;
  g_autofree char *url = NULL;

  g_settings_set_double (fixture->settings, "temperature", 1.5);
  g_settings_set_boolean (fixture->settings, "use-server-temperature", FALSE);
  g_settings_set_int (fixture->settings, "max-tokens", 100);
  g_settings_set_string (fixture->settings, "system-prompt", "Be brief.");
  g_settings_set_string (fixture->settings, "default-model", "my-own-model");
  g_settings_set_string (fixture->settings, "base-url", cria_fake_server_get_base_url (fixture->base.server));
  open_window (fixture);

  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (_cria_preferences_window_get_temperature_spin (fixture->window))),
                                  1.5, 1e-9);

  g_signal_emit_by_name (_cria_preferences_window_get_reset_button (fixture->window), "clicked");
  spin ();
  g_assert_true (wait_until (window_idle, fixture));

  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "temperature"), 0.7, 1e-9);
  g_assert_true (g_settings_get_boolean (fixture->settings, "use-server-temperature"));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "max-tokens"), ==, 0);
  prompt = g_settings_get_string (fixture->settings, "system-prompt");
  g_assert_cmpstr (prompt, ==, "");
  model = g_settings_get_string (fixture->settings, "default-model");
  g_assert_cmpstr (model, ==, "llama-3.1-8b");
  url = g_settings_get_string (fixture->settings, "base-url");
  g_assert_cmpstr (url, ==, CRIA_DEFAULT_BASE_URL);

  /* The widgets follow. */
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (_cria_preferences_window_get_temperature_spin (fixture->window))),
                                  0.7, 1e-9);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (_cria_preferences_window_get_server_temperature_switch (fixture->window))));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (_cria_preferences_window_get_max_tokens_spin (fixture->window))), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_cria_preferences_window_get_system_prompt_row (fixture->window))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_cria_preferences_window_get_base_url_row (fixture->window))), ==, CRIA_DEFAULT_BASE_URL);
  g_assert_cmpstr (cria_client_get_base_url (fixture->base.client), ==, CRIA_DEFAULT_BASE_URL);
}

static void
test_monthly_budget (Fixture       *fixture,
                     gconstpointer  data)
{
  AdwExpanderRow *row;
  GtkSpinButton *amount;

  open_window (fixture);
  row = ADW_EXPANDER_ROW (_cria_preferences_window_get_budget_row (fixture->window));
  amount = GTK_SPIN_BUTTON (_cria_preferences_window_get_budget_spin (fixture->window));

  /* Off by default. */
  g_assert_false (adw_expander_row_get_enable_expansion (row));
  g_assert_true (adw_expander_row_get_show_enable_switch (row));
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "monthly-budget"), ==, 0);

  /* Switched on, the amount in the field is the budget, in dollars and cents. */
  adw_expander_row_set_enable_expansion (row, TRUE);
  spin ();
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "monthly-budget"),
                                  gtk_spin_button_get_value (amount), 1e-9);
  gtk_spin_button_set_value (amount, 12.5);
  spin ();
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "monthly-budget"), 12.5, 1e-9);
  g_assert_cmpuint (gtk_spin_button_get_digits (amount), ==, 2);

  /* Never more than the setting allows, never zero while on. */
  gtk_spin_button_set_value (amount, 5e6);
  spin ();
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "monthly-budget"), ==, 1e6);
  gtk_spin_button_set_value (amount, 0);
  spin ();
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "monthly-budget"), >, 0);

  /* Off again: no budget, and the amount waits for the switch. */
  gtk_spin_button_set_value (amount, 7.25);
  adw_expander_row_set_enable_expansion (row, FALSE);
  spin ();
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "monthly-budget"), ==, 0);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (amount), 7.25, 1e-9);
  adw_expander_row_set_enable_expansion (row, TRUE);
  spin ();
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "monthly-budget"), 7.25, 1e-9);

  /* And from the setting to the row. */
  g_settings_set_double (fixture->settings, "monthly-budget", 42);
  spin ();
  g_assert_true (adw_expander_row_get_enable_expansion (row));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (amount), 42, 1e-9);
  g_settings_set_double (fixture->settings, "monthly-budget", 0);
  spin ();
  g_assert_false (adw_expander_row_get_enable_expansion (row));

  /* Reset turns it off, but what Cria remembers of this month's warnings
   * stays, so they are not given again. */
  g_settings_set_double (fixture->settings, "monthly-budget", 20);
  g_settings_set_string (fixture->settings, "budget-warned-near", "2026-12");
  g_settings_set_string (fixture->settings, "budget-asked-day", "2026-12-07");
  g_signal_emit_by_name (_cria_preferences_window_get_reset_button (fixture->window), "clicked");
  spin ();
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "monthly-budget"), ==, 0);
  g_assert_false (adw_expander_row_get_enable_expansion (row));
  {
    g_autofree char *warned = g_settings_get_string (fixture->settings, "budget-warned-near");
    g_autofree char *asked = g_settings_get_string (fixture->settings, "budget-asked-day");

    g_assert_cmpstr (warned, ==, "2026-12");
    g_assert_cmpstr (asked, ==, "2026-12-07");
  }
}

static void
test_no_key_in_settings (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_null (strstr (keys[i], "key"));
}

typedef struct
{
  Fixture    *fixture;
  const char *other_url;
} SwitchBase;

/* The user types another server address into Preferences while the first
 * server is still answering the new key's check; the first server accepts it. */
static void
switch_base_handler (CriaFakeServer        *server,
                     const CriaFakeRequest *request,
                     CriaFakeResponse      *response,
                     gpointer               user_data)
{
  SwitchBase *switch_base = user_data;

  apply (_cria_preferences_window_get_base_url_row (switch_base->fixture->window), switch_base->other_url);
  cria_fake_response_set_body (response, "application/json", MODELS_BODY, -1);
}

static void
test_base_changed_during_check (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(CriaFakeServer) other = cria_fake_server_new ();
  const char *fake_url = cria_fake_server_get_base_url (fixture->base.server);
  const char *other_url = cria_fake_server_get_base_url (other);
  SwitchBase switch_base = { fixture, other_url };
  g_autofree char *stored_here = NULL;
  g_autofree char *stored_there = NULL;
  GtkWidget *label;
  const char *text;

  if (!cria_test_require_keyring ())
    return;

  open_window (fixture);
  cria_fake_server_set_handler (fixture->base.server, "/v1/models", switch_base_handler, &switch_base, NULL);
  label = _cria_preferences_window_get_key_status_label (fixture->window);

  apply (_cria_preferences_window_get_new_key_row (fixture->window), fixture->base.key);
  g_assert_true (_cria_preferences_window_get_busy (fixture->window));
  g_assert_true (wait_until (window_idle, fixture));

  g_assert_cmpuint (cria_fake_server_get_requests (fixture->base.server)->len, ==, 1);
  g_assert_cmpuint (cria_fake_server_get_requests (other)->len, ==, 0);
  g_assert_cmpstr (cria_client_get_base_url (fixture->base.client), ==, other_url);
  /* The key checked with one server is saved for neither, and the other
   * server does not get it. */
  stored_there = cria_test_keyring_lookup (other_url);
  g_assert_null (stored_there);
  stored_here = cria_test_keyring_lookup (fake_url);
  g_assert_null (stored_here);
  g_assert_false (cria_client_has_api_key (fixture->base.client));
  text = gtk_label_get_text (GTK_LABEL (label));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (text, "server address changed"));
  g_assert_null (strstr (text, fixture->base.key));

  cria_fake_server_set_handler (fixture->base.server, "/v1/models", NULL, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  if (!gtk_init_check ())
    {
      g_test_add_func ("/preferences/no-display", cria_ui_test_skip_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add ("/preferences/base-url/insecure", Fixture, NULL, fixture_set_up, test_insecure_base_url, fixture_tear_down);
  g_test_add ("/preferences/base-url/valid", Fixture, NULL, fixture_set_up, test_valid_base_url, fixture_tear_down);
  g_test_add ("/preferences/key/remove", Fixture, NULL, fixture_set_up, test_remove_key, fixture_tear_down);
  g_test_add ("/preferences/key/new", Fixture, NULL, fixture_set_up, test_new_key, fixture_tear_down);
  g_test_add ("/preferences/generation", Fixture, NULL, fixture_set_up, test_generation_settings, fixture_tear_down);
  g_test_add ("/preferences/images", Fixture, NULL, fixture_set_up, test_image_settings, fixture_tear_down);
  g_test_add ("/preferences/default-model", Fixture, NULL, fixture_set_up, test_default_model, fixture_tear_down);
  g_test_add ("/preferences/embedding-model", Fixture, NULL, fixture_set_up, test_embedding_model, fixture_tear_down);
  g_test_add ("/preferences/reset", Fixture, NULL, fixture_set_up, test_reset, fixture_tear_down);
  g_test_add ("/preferences/math-as-source", Fixture, NULL, fixture_set_up, test_math_as_source, fixture_tear_down);
  g_test_add ("/preferences/monthly-budget", Fixture, NULL, fixture_set_up, test_monthly_budget, fixture_tear_down);
  g_test_add ("/preferences/no-key-in-settings", Fixture, NULL, fixture_set_up, test_no_key_in_settings, fixture_tear_down);
  g_test_add ("/preferences/base-changed-during-check", Fixture, NULL, fixture_set_up,
              test_base_changed_during_check, fixture_tear_down);

  return g_test_run ();
}
