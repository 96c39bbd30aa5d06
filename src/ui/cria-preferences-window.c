/* cria-preferences-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-api-error.h"
#include "cria-catalogue.h"
#include "cria-title-writer.h"
#include "cria-config.h"
#include "cria-format.h"
#include "cria-key-check.h"
#include "cria-key-store.h"
#include "cria-secret.h"
#include "cria-preferences-window-private.h"

struct _CriaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  CriaClient           *client;
  GSettings            *settings;
  GCancellable         *cancellable;
  /* Checks and saves a new key; holds it only while it is checked. */
  CriaKeyCheck         *check;
  guint                 n_pending;
  gboolean              checking_key;

  /* Model ids, parallel to the names in model_names. */
  GPtrArray            *model_ids;
  GtkStringList        *model_names;
  gboolean              updating_model;
  /* The same for the embedding models. */
  GPtrArray            *embedding_ids;
  GtkStringList        *embedding_names;
  gboolean              updating_embedding;

  GtkWidget            *new_key_row;
  GtkWidget            *key_spinner;
  GtkWidget            *key_status_label;
  GtkWidget            *remove_key_button;
  GtkWidget            *base_url_row;
  GtkWidget            *base_url_error;
  GtkWidget            *model_row;
  GtkWidget            *embedding_model_row;
  GtkWidget            *server_temperature_switch;
  GtkWidget            *temperature_row;
  GtkWidget            *temperature_spin;
  GtkWidget            *max_tokens_spin;
  GtkWidget            *system_prompt_row;
  GtkWidget            *image_size_spin;
  GtkWidget            *request_limit_spin;
  GtkWidget            *write_titles_row;
  GtkWidget            *write_titles_switch;
  GtkWidget            *math_source_switch;
  GtkWidget            *reset_button;
  GtkWidget            *budget_row;
  GtkWidget            *budget_spin;
  /* The budget's widgets are being set from the setting. */
  gboolean              updating_budget;
  GtkWidget            *meaning_row;
  GtkWidget            *meaning_switch;
  GtkWidget            *meaning_spinner;
  CriaMeaning          *meaning;
  GtkWidget            *tools_switch;
  GtkWidget            *tool_rounds_spin;
  GtkWidget            *allowed_list;
  /* Whose tools allowed for good the list shows, or NULL. */
  CriaToolbox          *toolbox;
};

G_DEFINE_FINAL_TYPE (CriaPreferencesWindow, cria_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_actions (CriaPreferencesWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.remove-key",
                                 !self->checking_key);
  /* Not insensitive: taking sensitivity from a focused GtkText makes GTK 4.8 warn. */
  gtk_editable_set_editable (GTK_EDITABLE (self->new_key_row), !self->checking_key);
  gtk_widget_set_visible (self->key_spinner, self->checking_key);
  gtk_spinner_set_spinning (GTK_SPINNER (self->key_spinner), self->checking_key);
}

/* Messages are plain text: server and keyring errors are untrusted. */
static void
show_message (GtkWidget  *label,
              const char *message,
              gboolean    is_error)
{
  gtk_label_set_text (GTK_LABEL (label), message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL);
  if (is_error)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
begin_op (CriaPreferencesWindow *self)
{
  self->n_pending++;
}

static void
end_op (CriaPreferencesWindow *self)
{
  g_assert (self->n_pending > 0);
  self->n_pending--;
}

/* Keys */

typedef struct
{
  CriaPreferencesWindow *self;
  char                  *base_url;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->self);
  g_free (lookup->base_url);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  CriaPreferencesWindow *self = lookup->self;
  g_autoptr(GError) error = NULL;
  char *key;

  end_op (self);
  key = cria_key_store_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The base URL moved on while we were looking. */
  if (g_strcmp0 (lookup->base_url, cria_client_get_base_url (self->client)) == 0)
    {
      if (key != NULL)
        cria_client_set_api_key (self->client, key);
      else
        cria_client_set_api_key (self->client, cria_config_get_env_api_key ());
    }

  cria_secret_free (key);
}

/* Puts the key saved for the client's base URL (or the one from the
 * environment) on the client, or leaves it without one. */
static void
load_key_for_base_url (CriaPreferencesWindow *self)
{
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->self = g_object_ref (self);
  lookup->base_url = g_strdup (cria_client_get_base_url (self->client));

  begin_op (self);
  cria_key_store_lookup_async (lookup->base_url, self->cancellable, lookup_done_cb, lookup);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CriaPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean stored;

  end_op (self);
  stored = cria_key_check_check_and_save_finish (CRIA_KEY_CHECK (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->checking_key = FALSE;
  update_actions (self);

  if (stored ||
      g_error_matches (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NO_KEYRING) ||
      g_error_matches (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NOT_SAVED))
    {
      /* Either way the key works and stays on the client for this session;
       * no copy is kept for later. */
      cria_key_check_forget (self->check);
      gtk_editable_set_text (GTK_EDITABLE (self->new_key_row), "");

      if (stored)
        show_message (self->key_status_label, _("The new key works and is saved in your keyring."), FALSE);
      else if (g_error_matches (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NO_KEYRING))
        show_message (self->key_status_label,
                      _("The new key works, but it can’t be saved in a keyring. "
                        "It is used for this session only."), TRUE);
      else
        {
          g_autofree char *message = g_strdup_printf (_("The new key works, but it could not be saved: %s"),
                                                      error->message);
          show_message (self->key_status_label, message, TRUE);
        }
      return;
    }

  /* The server address changed during the check: the answer is about the
   * old server, and the key was not saved for the new one. Changing the
   * address already put the new server's own key (if any) on the client. */
  if (g_error_matches (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_SERVER_CHANGED))
    {
      show_message (self->key_status_label,
                    _("The server address changed while the key was being checked. "
                      "The key was not saved; enter it again to check it with the new server."),
                    TRUE);
      return;
    }

  if (g_error_matches (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED))
    show_message (self->key_status_label,
                  _("LlamaGate did not accept this API key. Your previous key is kept."), TRUE);
  else
    show_message (self->key_status_label, error->message, TRUE);

  /* Go back to the key that was there before. */
  load_key_for_base_url (self);
}

static void
new_key_apply_cb (CriaPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->new_key_row));
  g_autoptr(CriaSecret) key = NULL;

  if (self->checking_key)
    return;

  key = g_strstrip (g_strdup (text));
  if (*key == '\0')
    {
      show_message (self->key_status_label, _("Enter a key first."), TRUE);
      return;
    }

  self->checking_key = TRUE;
  update_actions (self);
  show_message (self->key_status_label, _("Checking the key…"), FALSE);

  begin_op (self);
  cria_key_check_check_and_save_async (self->check, key, self->cancellable,
                                       check_done_cb, g_object_ref (self));
}

static void
clear_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CriaPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  end_op (self);
  if (!cria_key_store_clear_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->key_status_label, error->message, TRUE);
      return;
    }

  cria_client_set_api_key (self->client, NULL);
  show_message (self->key_status_label, _("The key was removed."), FALSE);
}

static void
remove_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CriaPreferencesWindow *self = CRIA_PREFERENCES_WINDOW (widget);

  if (self->checking_key)
    return;

  begin_op (self);
  cria_key_store_clear_async (cria_client_get_base_url (self->client),
                              self->cancellable,
                              clear_done_cb,
                              g_object_ref (self));
}

/* Base URL */

static void base_url_changed_cb (CriaPreferencesWindow *self);

static void
base_url_apply_cb (CriaPreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->base_url_row));
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;

  normalized = cria_config_normalize_base_url (text, &error);
  if (normalized == NULL)
    {
      /* The setting keeps its old value; the field keeps the text to fix. */
      show_message (self->base_url_error, error->message, TRUE);
      return;
    }

  show_message (self->base_url_error, NULL, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), normalized);
  g_settings_set_string (self->settings, "base-url", normalized);
  /* The changed signal may come later, or not at all when the setting already
   * had this value; bring the client along now. */
  base_url_changed_cb (self);
}

static void
base_url_changed_cb (CriaPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "base-url");
  g_autofree char *normalized = NULL;
  g_autoptr(GError) error = NULL;

  normalized = cria_config_normalize_base_url (url, &error);
  if (normalized == NULL)
    {
      show_message (self->base_url_error, error->message, TRUE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), normalized);
  show_message (self->base_url_error, NULL, FALSE);

  if (g_strcmp0 (normalized, cria_client_get_base_url (self->client)) == 0)
    return;

  /* Keys are kept per base URL: the old one must not go to the new server. */
  if (!cria_client_set_base_url (self->client, normalized, &error))
    {
      show_message (self->base_url_error, error->message, TRUE);
      return;
    }
  cria_client_set_api_key (self->client, NULL);
  load_key_for_base_url (self);
}

/* Default model */

static gboolean
is_chat_model (CriaModel *model)
{
  return cria_model_get_category (model) != CRIA_MODEL_CATEGORY_EMBEDDING &&
         !cria_model_has_capability (model, CRIA_MODEL_CAPABILITY_EMBEDDING);
}

static void
load_models (CriaPreferencesWindow *self)
{
  g_autoptr(GListModel) catalogue = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  catalogue = cria_catalogue_load (&error);
  if (catalogue == NULL)
    {
      g_warning ("Could not load the model catalogue: %s", error->message);
      return;
    }

  n = g_list_model_get_n_items (catalogue);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (catalogue, i);

      if (!is_chat_model (model))
        {
          g_ptr_array_add (self->embedding_ids, g_strdup (cria_model_get_id (model)));
          gtk_string_list_append (self->embedding_names, cria_model_get_name (model));
          continue;
        }

      g_ptr_array_add (self->model_ids, g_strdup (cria_model_get_id (model)));
      gtk_string_list_append (self->model_names, cria_model_get_name (model));
    }
}

/* A title costs a request: the switch says about how much, at the default
 * model's prices. The subtitle is plain text (use-markup is off). */
static void
update_title_cost (CriaPreferencesWindow *self)
{
  g_autofree char *id = g_settings_get_string (self->settings, "default-model");
  g_autoptr(GListModel) catalogue = cria_catalogue_load (NULL);
  CriaModel *model = catalogue != NULL ? cria_catalogue_find (catalogue, id) : NULL;
  double cost = model != NULL ? cria_title_writer_estimate_cost (cria_model_get_input_price (model),
                                                                 cria_model_get_output_price (model))
                              : -1.0;
  g_autofree char *cost_text = cria_format_cost (cost);
  g_autofree char *subtitle = NULL;

  if (cost_text != NULL)
    /* Translators: the first %s is an amount in US dollars such as "$0.000021", the second a model's name */
    subtitle = g_strdup_printf (_("After the first answer of a new conversation, one more request: about %s with %s"),
                                cost_text, cria_model_get_name (model));
  else
    subtitle = g_strdup (_("After the first answer of a new conversation, one more request, at the model’s prices"));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->write_titles_row), subtitle);
}

static void
default_model_changed_cb (CriaPreferencesWindow *self)
{
  g_autofree char *id = g_settings_get_string (self->settings, "default-model");
  guint index;

  if (!g_ptr_array_find_with_equal_func (self->model_ids, id, g_str_equal, &index))
    {
      /* A model the catalogue does not know: offer it under its id. */
      index = self->model_ids->len;
      g_ptr_array_add (self->model_ids, g_strdup (id));
      self->updating_model = TRUE;
      gtk_string_list_append (self->model_names, id);
      self->updating_model = FALSE;
    }

  self->updating_model = TRUE;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->model_row), index);
  self->updating_model = FALSE;
  update_title_cost (self);
}

static void
model_selected_cb (CriaPreferencesWindow *self)
{
  guint selected;

  if (self->updating_model || self->settings == NULL)
    return;

  selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->model_row));
  if (selected >= self->model_ids->len)
    return;

  g_settings_set_string (self->settings, "default-model", g_ptr_array_index (self->model_ids, selected));
}

/* Embedding model: the catalogue's embedding models, and the one set if
 * the catalogue does not know it. */

static void
embedding_model_changed_cb (CriaPreferencesWindow *self)
{
  g_autofree char *id = g_settings_get_string (self->settings, "embedding-model");
  guint index;

  if (!g_ptr_array_find_with_equal_func (self->embedding_ids, id, g_str_equal, &index))
    {
      index = self->embedding_ids->len;
      g_ptr_array_add (self->embedding_ids, g_strdup (id));
      self->updating_embedding = TRUE;
      gtk_string_list_append (self->embedding_names, id);
      self->updating_embedding = FALSE;
    }

  self->updating_embedding = TRUE;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->embedding_model_row), index);
  self->updating_embedding = FALSE;
}

static void
embedding_model_selected_cb (CriaPreferencesWindow *self)
{
  guint selected;

  if (self->updating_embedding || self->settings == NULL)
    return;

  selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->embedding_model_row));
  if (selected >= self->embedding_ids->len)
    return;

  g_settings_set_string (self->settings, "embedding-model", g_ptr_array_index (self->embedding_ids, selected));
}

/* Monthly budget: "monthly-budget" is 0 when there is none, so the switch
 * and the amount are one setting. Turned off, the amount stays in the spin
 * button for turning it on again. */

static void
budget_setting_changed_cb (CriaPreferencesWindow *self)
{
  double limit = g_settings_get_double (self->settings, "monthly-budget");

  self->updating_budget = TRUE;
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self->budget_row), limit > 0);
  if (limit > 0)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->budget_spin), limit);
  self->updating_budget = FALSE;
}

static void
budget_widgets_changed_cb (CriaPreferencesWindow *self)
{
  gboolean on;

  if (self->updating_budget)
    return;

  on = adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self->budget_row));
  g_settings_set_double (self->settings, "monthly-budget",
                         on ? gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->budget_spin)) : 0);
}

/* Tools allowed without asking: one row each, rebuilt when the toolbox's
 * set changes (at most CRIA_TOOLBOX_MAX_ALLOWED rows). Names and server
 * names are untrusted text: the rows have use-markup off. */

static GtkWidget *
create_allowed_row (const char *source,
                    const char *name)
{
  GtkWidget *row = g_object_new (ADW_TYPE_ACTION_ROW, "use-markup", FALSE, NULL);
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *label = NULL;

  /* Set once markup is off: a label set while it is on parses the text. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  /* Translators: where an allowed tool comes from, when it is one of Cria's own */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), *source == '\0' ? _("Cria") : source);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Forget: ask before each call again"));
  /* Translators: the accessible name of the button that forgets an allowed tool; %s is the tool's name */
  label = g_strdup_printf (_("Forget %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "preferences.forget-tool");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", source, name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
allowed_changed_cb (CriaPreferencesWindow *self)
{
  GtkListBox *list = GTK_LIST_BOX (self->allowed_list);
  g_autoptr(GVariant) allowed = NULL;
  GtkListBoxRow *row;
  GVariantIter iter;
  const char *source;
  const char *name;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));

  if (self->toolbox == NULL)
    return;

  allowed = cria_toolbox_dup_allowed (self->toolbox);
  g_variant_iter_init (&iter, allowed);
  while (g_variant_iter_next (&iter, "(&s&s)", &source, &name))
    gtk_list_box_append (list, create_allowed_row (source, name));
}

static void
forget_tool_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CriaPreferencesWindow *self = CRIA_PREFERENCES_WINDOW (widget);
  const char *source;
  const char *name;

  if (self->toolbox == NULL)
    return;

  g_variant_get (parameter, "(&s&s)", &source, &name);
  cria_toolbox_forget (self->toolbox, source, name);
}

/* Reset */

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CriaPreferencesWindow *self = CRIA_PREFERENCES_WINDOW (widget);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  /* The API key is not in GSettings, so every key here can go; but for
   * what Cria remembers of the budget warnings and questions, which are
   * no setting: resetting them would warn and ask again this month. */
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (!g_str_has_prefix (keys[i], "budget-"))
        g_settings_reset (self->settings, keys[i]);
    }
}

/* Search by meaning: before it is on, the subtitle says what indexing the
 * history costs once; while it indexes, how far it is; after an error, the
 * error (once, here, not in a dialog). The subtitle is plain text. */
static void
update_meaning (CriaPreferencesWindow *self)
{
  g_autofree char *subtitle = NULL;
  gboolean indexing = self->meaning != NULL && cria_meaning_get_indexing (self->meaning);
  int n_pending = self->meaning != NULL ? cria_meaning_get_n_pending (self->meaning) : -1;

  gtk_spinner_set_spinning (GTK_SPINNER (self->meaning_spinner), indexing);
  gtk_widget_set_visible (self->meaning_spinner, indexing);

  if (self->meaning == NULL)
    subtitle = g_strdup (_("Find conversations by what they are about, not only by their words"));
  else if (cria_meaning_get_error (self->meaning) != NULL)
    /* Translators: %s is an error message from the server */
    subtitle = g_strdup_printf (_("Indexing stopped: %s"), cria_meaning_get_error (self->meaning));
  else if (indexing)
    {
      guint done = cria_meaning_get_n_done (self->meaning);
      guint total = done + MAX (n_pending, 0);

      /* Translators: progress of indexing the history, e.g. "Indexing: 64 of 300 messages" */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Indexing: %u of %u message",
                                               "Indexing: %u of %u messages", total),
                                  done, total);
    }
  else if (n_pending < 0)
    subtitle = g_strdup (_("Counting the messages to index…"));
  else if (n_pending == 0)
    subtitle = g_strdup (_("Find conversations by what they are about, not only by their words; every message is indexed"));
  else
    {
      g_autoptr(GListModel) catalogue = cria_catalogue_load (NULL);
      const char *id = cria_meaning_get_model (self->meaning);
      CriaModel *model = catalogue != NULL ? cria_catalogue_find (catalogue, id) : NULL;
      gint64 tokens = cria_meaning_get_pending_tokens (self->meaning);
      double price = model != NULL ? cria_model_get_input_price (model) : -1;
      g_autofree char *tokens_text = cria_format_tokens (tokens);
      g_autofree char *cost = price >= 0 ? cria_format_estimated_cost (tokens * price / 1e6) : NULL;
      const char *name = model != NULL ? cria_model_get_name (model) : id;

      if (cost != NULL)
        /* Translators: the one-time cost of search by meaning: a number of messages, a number of
         * tokens such as "12.3K", an amount in US dollars and the embedding model's name */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Indexes %d message once: about %s tokens, %s with %s",
                                                 "Indexes %d messages once: about %s tokens, %s with %s",
                                                 n_pending),
                                    n_pending, tokens_text, cost, name);
      else
        /* Translators: a number of messages, a number of tokens and the embedding model's name */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Indexes %d message once: about %s tokens at the prices of %s",
                                                 "Indexes %d messages once: about %s tokens at the prices of %s",
                                                 n_pending),
                                    n_pending, tokens_text, name);
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->meaning_row), subtitle);
}

/**
 * cria_preferences_window_set_meaning:
 * @meaning: (nullable): the app's search by meaning, whose cost and
 *   progress the window shows
 */
void
cria_preferences_window_set_meaning (CriaPreferencesWindow *self,
                                     CriaMeaning           *meaning)
{
  g_return_if_fail (CRIA_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (meaning == NULL || CRIA_IS_MEANING (meaning));

  if (self->meaning == meaning)
    return;

  if (self->meaning != NULL)
    g_signal_handlers_disconnect_by_func (self->meaning, update_meaning, self);
  g_set_object (&self->meaning, meaning);
  if (meaning != NULL)
    {
      g_signal_connect_object (meaning, "notify", G_CALLBACK (update_meaning), self, G_CONNECT_SWAPPED);
      cria_meaning_refresh (meaning);
    }
  update_meaning (self);
}

/* Setup */

static void
cria_preferences_window_constructed (GObject *object)
{
  CriaPreferencesWindow *self = CRIA_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (cria_preferences_window_parent_class)->constructed (object);

  g_assert (CRIA_IS_CLIENT (self->client));
  g_assert (G_IS_SETTINGS (self->settings));

  self->check = cria_key_check_new (self->client);

  gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), cria_client_get_base_url (self->client));

  g_settings_bind (self->settings, "temperature",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->temperature_spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "use-server-temperature",
                   self->server_temperature_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "use-server-temperature",
                   self->temperature_row, "sensitive",
                   G_SETTINGS_BIND_GET | G_SETTINGS_BIND_INVERT_BOOLEAN);
  g_settings_bind (self->settings, "max-tokens",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->max_tokens_spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "system-prompt",
                   self->system_prompt_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "image-max-side",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->image_size_spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-request-size",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->request_limit_spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "write-titles",
                   self->write_titles_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "math-as-source",
                   self->math_source_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "search-by-meaning",
                   self->meaning_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  update_meaning (self);
  g_settings_bind (self->settings, "tools-enabled",
                   self->tools_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-tool-rounds",
                   gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (self->tool_rounds_spin)), "value",
                   G_SETTINGS_BIND_DEFAULT);

  budget_setting_changed_cb (self);
  g_signal_connect_object (self->settings, "changed::monthly-budget",
                           G_CALLBACK (budget_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->budget_row, "notify::enable-expansion",
                           G_CALLBACK (budget_widgets_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->budget_spin, "value-changed",
                           G_CALLBACK (budget_widgets_changed_cb), self, G_CONNECT_SWAPPED);

  load_models (self);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->model_row), G_LIST_MODEL (self->model_names));
  default_model_changed_cb (self);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->embedding_model_row), G_LIST_MODEL (self->embedding_names));
  embedding_model_changed_cb (self);

  g_signal_connect_object (self->settings, "changed::embedding-model",
                           G_CALLBACK (embedding_model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::default-model",
                           G_CALLBACK (default_model_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::base-url",
                           G_CALLBACK (base_url_changed_cb), self, G_CONNECT_SWAPPED);

  /* A rejected LLAMAGATE_API_BASE: the address shown is not in use either. */
  if (cria_client_get_refusal (self->client) != NULL)
    show_message (self->base_url_error, cria_client_get_refusal (self->client)->message, TRUE);
}

static void
cria_preferences_window_dispose (GObject *object)
{
  CriaPreferencesWindow *self = CRIA_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* The list goes with the template: the toolbox's changes must not reach it. */
  if (self->toolbox != NULL)
    g_signal_handlers_disconnect_by_func (self->toolbox, allowed_changed_cb, self);
  g_clear_object (&self->toolbox);
  if (self->meaning != NULL)
    g_signal_handlers_disconnect_by_func (self->meaning, update_meaning, self);
  g_clear_object (&self->meaning);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (cria_preferences_window_parent_class)->dispose (object);
}

static void
cria_preferences_window_finalize (GObject *object)
{
  CriaPreferencesWindow *self = CRIA_PREFERENCES_WINDOW (object);

  g_clear_object (&self->check);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->model_names);
  g_clear_pointer (&self->embedding_ids, g_ptr_array_unref);
  g_clear_object (&self->embedding_names);
  g_clear_pointer (&self->model_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (cria_preferences_window_parent_class)->finalize (object);
}

static void
cria_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CriaPreferencesWindow *self = CRIA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  CriaPreferencesWindow *self = CRIA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_preferences_window_class_init (CriaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cria_preferences_window_constructed;
  object_class->dispose = cria_preferences_window_dispose;
  object_class->finalize = cria_preferences_window_finalize;
  object_class->get_property = cria_preferences_window_get_property;
  object_class->set_property = cria_preferences_window_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         CRIA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, new_key_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, key_spinner);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, key_status_label);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, remove_key_button);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, base_url_error);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, model_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, embedding_model_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, server_temperature_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, temperature_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, max_tokens_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, system_prompt_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, image_size_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, request_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, write_titles_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, write_titles_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, math_source_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, reset_button);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, budget_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, meaning_row);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, meaning_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, meaning_spinner);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, tools_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, tool_rounds_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaPreferencesWindow, allowed_list);
  gtk_widget_class_bind_template_callback (widget_class, new_key_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, base_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, model_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, embedding_model_selected_cb);

  gtk_widget_class_install_action (widget_class, "preferences.remove-key", NULL, remove_key_action);
  gtk_widget_class_install_action (widget_class, "preferences.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "preferences.forget-tool", "(ss)", forget_tool_action);
}

static void
cria_preferences_window_init (CriaPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->model_ids = g_ptr_array_new_with_free_func (g_free);
  self->model_names = gtk_string_list_new (NULL);
  self->embedding_ids = g_ptr_array_new_with_free_func (g_free);
  self->embedding_names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

GtkWidget *
cria_preferences_window_new (CriaClient *client,
                             GSettings  *settings)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRIA_TYPE_PREFERENCES_WINDOW,
                       "client", client,
                       "settings", settings,
                       NULL);
}

/**
 * cria_preferences_window_set_toolbox:
 * @toolbox: (nullable): whose tools allowed for good the window lists
 */
void
cria_preferences_window_set_toolbox (CriaPreferencesWindow *self,
                                     CriaToolbox           *toolbox)
{
  g_return_if_fail (CRIA_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (toolbox == NULL || CRIA_IS_TOOLBOX (toolbox));

  if (self->toolbox == toolbox)
    return;

  if (self->toolbox != NULL)
    g_signal_handlers_disconnect_by_func (self->toolbox, allowed_changed_cb, self);
  g_set_object (&self->toolbox, toolbox);
  if (toolbox != NULL)
    g_signal_connect_object (toolbox, "allowed-changed", G_CALLBACK (allowed_changed_cb), self,
                             G_CONNECT_SWAPPED);
  allowed_changed_cb (self);
}

GtkWidget *
_cria_preferences_window_get_meaning_row (CriaPreferencesWindow *self)
{
  return self->meaning_row;
}

GtkWidget *
_cria_preferences_window_get_meaning_switch (CriaPreferencesWindow *self)
{
  return self->meaning_switch;
}

GtkWidget *
_cria_preferences_window_get_new_key_row (CriaPreferencesWindow *self)
{
  return self->new_key_row;
}

GtkWidget *
_cria_preferences_window_get_key_status_label (CriaPreferencesWindow *self)
{
  return self->key_status_label;
}

GtkWidget *
_cria_preferences_window_get_remove_key_button (CriaPreferencesWindow *self)
{
  return self->remove_key_button;
}

GtkWidget *
_cria_preferences_window_get_base_url_row (CriaPreferencesWindow *self)
{
  return self->base_url_row;
}

GtkWidget *
_cria_preferences_window_get_base_url_error (CriaPreferencesWindow *self)
{
  return self->base_url_error;
}

GtkWidget *
_cria_preferences_window_get_model_row (CriaPreferencesWindow *self)
{
  return self->model_row;
}

GtkWidget *
_cria_preferences_window_get_embedding_model_row (CriaPreferencesWindow *self)
{
  return self->embedding_model_row;
}

GtkWidget *
_cria_preferences_window_get_temperature_spin (CriaPreferencesWindow *self)
{
  return self->temperature_spin;
}

GtkWidget *
_cria_preferences_window_get_server_temperature_switch (CriaPreferencesWindow *self)
{
  return self->server_temperature_switch;
}

GtkWidget *
_cria_preferences_window_get_max_tokens_spin (CriaPreferencesWindow *self)
{
  return self->max_tokens_spin;
}

GtkWidget *
_cria_preferences_window_get_system_prompt_row (CriaPreferencesWindow *self)
{
  return self->system_prompt_row;
}

GtkWidget *
_cria_preferences_window_get_math_source_switch (CriaPreferencesWindow *self)
{
  return self->math_source_switch;
}

GtkWidget *
_cria_preferences_window_get_image_size_spin (CriaPreferencesWindow *self)
{
  return self->image_size_spin;
}

GtkWidget *
_cria_preferences_window_get_request_limit_spin (CriaPreferencesWindow *self)
{
  return self->request_limit_spin;
}

GtkWidget *
_cria_preferences_window_get_reset_button (CriaPreferencesWindow *self)
{
  return self->reset_button;
}

GtkWidget *
_cria_preferences_window_get_budget_row (CriaPreferencesWindow *self)
{
  return self->budget_row;
}

GtkWidget *
_cria_preferences_window_get_budget_spin (CriaPreferencesWindow *self)
{
  return self->budget_spin;
}

GtkWidget *
_cria_preferences_window_get_tools_switch (CriaPreferencesWindow *self)
{
  return self->tools_switch;
}

GtkWidget *
_cria_preferences_window_get_tool_rounds_spin (CriaPreferencesWindow *self)
{
  return self->tool_rounds_spin;
}

GtkListBox *
_cria_preferences_window_get_allowed_list (CriaPreferencesWindow *self)
{
  return GTK_LIST_BOX (self->allowed_list);
}

gboolean
_cria_preferences_window_get_busy (CriaPreferencesWindow *self)
{
  return self->n_pending > 0;
}
