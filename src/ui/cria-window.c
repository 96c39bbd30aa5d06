/* cria-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cria-budget-banner-private.h"
#include "cria-catalogue.h"
#include "cria-config.h"
#include "cria-format.h"
#include "cria-key-store.h"
#include "cria-chat-view.h"
#include "cria-model-picker.h"
#include "cria-secret.h"
#include "cria-welcome-page.h"
#include "cria-window-private.h"

G_DEFINE_FINAL_TYPE (CriaWindow, cria_window, ADW_TYPE_APPLICATION_WINDOW)

/* The window stays thin: what belongs to the transcript, the composer or the
 * model list lives in their own classes. Twenty fields of a pointer's size
 * at most; the build refuses a window that grows past them. */
G_STATIC_ASSERT (sizeof (CriaWindow) <= sizeof (AdwApplicationWindow) + 20 * sizeof (gpointer));

static CriaClient *
get_client (CriaWindow *self)
{
  return self->client;
}

/* Never %NULL: the total is a sum of known costs, zero or more. */
static char *
format_cost (double   cost,
             gboolean estimated)
{
  if (estimated)
    return cria_format_estimated_cost (cost);

  return cria_format_cost (cost);
}

/* The cost of the conversation on screen, and with a budget the month's
 * share of it too, kept short for the header bar ("$0.04 · 12 % of budget");
 * the tooltip has the amounts. */
static void
update_cost (CriaWindow *self)
{
  double cost = cria_conversation_get_total_cost (self->conversation);
  gboolean estimated = cria_conversation_get_total_cost_estimated (self->conversation);
  g_autofree char *text = format_cost (cost, estimated);
  CriaBudget *budget = cria_budget_banner_get_budget (self->budget_banner);

  if (budget != NULL && cria_budget_get_limit (budget) > 0)
    {
      g_autofree char *spent = _cria_budget_banner_format_spent (budget);
      g_autofree char *limit = cria_format_cost (cria_budget_get_limit (budget));
      guint percent = _cria_budget_banner_percent (budget);
      g_autofree char *share = NULL;
      g_autofree char *month = NULL;
      g_autofree char *label = NULL;
      g_autofree char *lines = NULL;

      /* Translators: the monthly budget's share spent, in the header bar;
       * keep it short. %u is a whole percentage */
      share = g_strdup_printf (ngettext ("%u %% of budget", "%u %% of budget", percent), percent);
      if (cost > 0)
        /* Translators: the conversation's cost, then the budget's share
         * spent ("$0.04 · 12 % of budget") */
        label = g_strdup_printf (_("%s · %s"), text, share);
      else
        label = g_steal_pointer (&share);

      if (cria_budget_get_estimated (budget))
        /* Translators: what was spent this month, then the monthly budget,
         * both amounts in US dollars */
        month = g_strdup_printf (_("%s of %s spent this month, partly estimated"), spent, limit);
      else
        /* Translators: what was spent this month, then the monthly budget,
         * both amounts in US dollars */
        month = g_strdup_printf (_("%s of %s spent this month"), spent, limit);

      if (cost > 0)
        {
          /* Translators: the cost of the conversation on screen, an amount in US dollars */
          g_autofree char *conversation = g_strdup_printf (_("This conversation: %s"), text);

          lines = g_strjoin ("\n", month, conversation, NULL);
        }
      else
        lines = g_steal_pointer (&month);
      gtk_label_set_text (self->cost_label, label);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), lines);
      gtk_widget_set_visible (GTK_WIDGET (self->cost_label), TRUE);
      return;
    }

  gtk_label_set_text (self->cost_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label),
                               estimated ? _("Cost of this conversation, partly estimated: the server did not report every token count")
                                         : _("Cost of this conversation"));
  gtk_widget_set_visible (GTK_WIDGET (self->cost_label), cost > 0);
}

static void
model_id_changed_cb (CriaWindow *self)
{
  const char *id = cria_conversation_get_model_id (self->conversation);

  /* The last model used is the default for the next new chat. */
  if (id != NULL && *id != '\0')
    g_settings_set_string (self->settings, "default-model", id);
}

void
_cria_window_set_conversation (CriaWindow       *self,
                               CriaConversation *conversation)
{
  if (self->conversation != NULL)
    {
      cria_conversation_stop (self->conversation);
      g_signal_handlers_disconnect_by_data (self->conversation, self);
    }
  g_clear_pointer (&self->model_binding, g_binding_unbind);
  g_set_object (&self->conversation, conversation);
  cria_composer_set_conversation (self->composer, conversation);

  cria_chat_view_set_conversation (self->chat_view, conversation);
  self->model_binding = g_object_bind_property (conversation, "model-id",
                                                self->model_picker, "selected-model-id",
                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_signal_connect_swapped (conversation, "notify::busy", G_CALLBACK (_cria_window_update_actions), self);
  g_signal_connect_swapped (conversation, "notify::busy", G_CALLBACK (_cria_window_busy_changed), self);
  g_signal_connect_swapped (conversation, "notify::total-cost", G_CALLBACK (update_cost), self);
  g_signal_connect_swapped (conversation, "notify::total-cost-estimated", G_CALLBACK (update_cost), self);
  g_signal_connect_swapped (conversation, "notify::model-id", G_CALLBACK (model_id_changed_cb), self);

  update_cost (self);
  _cria_window_update_actions (self);
  _cria_window_history_attach (self, conversation);
}

void
_cria_window_new_conversation (CriaWindow *self)
{
  g_autoptr(CriaConversation) conversation = NULL;
  g_autofree char *model = g_settings_get_string (self->settings, "default-model");
  g_autofree char *system_prompt = g_settings_get_string (self->settings, "system-prompt");

  conversation = cria_conversation_new (get_client (self), _cria_window_get_models (self));
  cria_conversation_set_model_id (conversation, model);
  if (!g_settings_get_boolean (self->settings, "use-server-temperature"))
    cria_conversation_set_temperature (conversation, g_settings_get_double (self->settings, "temperature"));
  cria_conversation_set_max_tokens (conversation, g_settings_get_int (self->settings, "max-tokens"));
  if (*system_prompt != '\0')
    cria_conversation_set_system_prompt (conversation, system_prompt);
  _cria_window_set_conversation (self, conversation);
}

static void
models_changed_cb (CriaWindow *self)
{
  GListModel *models = _cria_window_get_models (self);

  gtk_revealer_set_reveal_child (self->banner, FALSE);
  g_object_set (self->model_picker, "models", models, NULL);
  cria_chat_view_set_models (self->chat_view, models);
  if (self->conversation != NULL)
    cria_conversation_set_models (self->conversation, models);
  cria_composer_set_models (self->composer, models);
}

static void
models_failed_cb (CriaWindow   *self,
                  const GError *error,
                  guint         retry_delay)
{
  g_autofree char *text = NULL;

  /* The bundled catalogue still fills the picker; the banner says why
   * the list may be out of date, and Cria keeps trying, backing off. */
  text = g_strdup_printf (ngettext ("%s Trying again in %u second.",
                                    "%s Trying again in %u seconds.",
                                    retry_delay),
                          error->message, retry_delay);
  gtk_label_set_text (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner, TRUE);
}

void
_cria_window_refresh_models (CriaWindow *self)
{
  cria_model_source_refresh (self->model_source);
}

GListModel *
_cria_window_get_models (CriaWindow *self)
{
  return self->model_source != NULL ? cria_model_source_get_models (self->model_source) : NULL;
}

void
cria_window_show_chat (CriaWindow *self)
{
  g_return_if_fail (CRIA_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->stack, "chat");
  /* Setting up the first request (proxy resolver, connection) is work the
   * first frame need not wait for: the bundled catalogue fills the picker. */
  cria_model_source_queue_refresh (self->model_source);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

void
cria_window_open_files (CriaWindow  *self,
                        GFile      **files,
                        int          n_files)
{
  g_autoptr(GSList) list = NULL;

  g_return_if_fail (CRIA_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  _cria_window_new_conversation (self);
  for (int i = n_files; i > 0; i--)
    list = g_slist_prepend (list, files[i - 1]);
  cria_composer_attach_files (self->composer, list);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static void
key_ready_cb (CriaWindow *self)
{
  cria_window_show_chat (self);
}

static void
show_welcome (CriaWindow *self)
{
  if (self->welcome_page == NULL)
    {
      self->welcome_page = cria_welcome_page_new (get_client (self));
      gtk_stack_add_named (self->stack, self->welcome_page, "welcome");
      g_signal_connect_object (self->welcome_page, "key-ready", G_CALLBACK (key_ready_cb), self,
                               G_CONNECT_SWAPPED);
    }

  gtk_stack_set_visible_child_name (self->stack, "welcome");
}

static void
key_looked_up_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = cria_key_store_lookup_finish (result, &error);
  if (key == NULL)
    {
      /* No key saved, or no keyring: the welcome page asks for one and
       * explains what it can do without a keyring. */
      show_welcome (self);
      return;
    }

  cria_client_set_api_key (get_client (self), key);
  cria_secret_wipe (key);
  cria_window_show_chat (self);
}

/* A key from LLAMAGATE_API_KEY skips the welcome page and is never stored. */
static void
find_key (CriaWindow *self)
{
  CriaClient *client = get_client (self);

  /* A client that refuses to send (a rejected LLAMAGATE_API_BASE): the
   * welcome page says why, and no key is looked up for a server not asked for. */
  if (cria_client_get_refusal (client) != NULL)
    {
      show_welcome (self);
      return;
    }

  if (cria_client_has_api_key (client))
    {
      cria_window_show_chat (self);
      return;
    }

  cria_key_store_lookup_async (cria_client_get_base_url (client), NULL,
                               key_looked_up_cb, g_object_ref (self));
}

static void
cria_window_dispose (GObject *object)
{
  CriaWindow *self = CRIA_WINDOW (object);

  if (self->model_source != NULL)
    {
      cria_model_source_stop (self->model_source);
      g_signal_handlers_disconnect_by_data (self->model_source, self);
    }
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->budget_banner != NULL && cria_budget_banner_get_budget (self->budget_banner) != NULL)
    g_signal_handlers_disconnect_by_data (cria_budget_banner_get_budget (self->budget_banner), self);
  if (self->conversation != NULL)
    {
      cria_conversation_stop (self->conversation);
      g_signal_handlers_disconnect_by_data (self->conversation, self);
    }
  g_clear_pointer (&self->model_binding, g_binding_unbind);
  if (self->shortcuts_window != NULL)
    gtk_window_destroy (self->shortcuts_window);
  g_clear_weak_pointer (&self->shortcuts_window);
  _cria_window_dispose_history (self);
  g_clear_object (&self->conversation);
  g_clear_object (&self->model_source);
  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_WINDOW);

  G_OBJECT_CLASS (cria_window_parent_class)->dispose (object);
}

static void
first_frame_painted_cb (GdkFrameClock *clock,
                        CriaWindow    *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_painted_cb, self);
  if (self->model_source != NULL)
    cria_model_source_set_ready (self->model_source);
}

static void
cria_window_map (GtkWidget *widget)
{
  CriaWindow *self = CRIA_WINDOW (widget);

  GTK_WIDGET_CLASS (cria_window_parent_class)->map (widget);

  if (self->model_source != NULL && !cria_model_source_get_ready (self->model_source))
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (first_frame_painted_cb), self, 0);
}

static void
cria_window_class_init (CriaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_window_dispose;
  widget_class->map = cria_window_map;

  g_type_ensure (CRIA_TYPE_BUDGET_BANNER);
  g_type_ensure (CRIA_TYPE_CHAT_VIEW);
  g_type_ensure (CRIA_TYPE_COMPOSER);
  g_type_ensure (CRIA_TYPE_MODEL_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, model_picker);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, cost_label);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, budget_banner);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, chat_view);
  gtk_widget_class_bind_template_child (widget_class, CriaWindow, composer);

  _cria_window_class_init_actions (widget_class);
  _cria_window_class_init_history (widget_class);
}

static void
cria_window_init (CriaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);

  _cria_window_init_composer (self);
  _cria_window_init_sidebar (self);
  _cria_window_init_notify (self);
}

static void
base_url_changed_cb (CriaWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "chat") == 0)
    _cria_window_refresh_models (self);
}

CriaWindow *
cria_window_new (GtkApplication *application,
                 CriaClient     *client,
                 CriaStore      *store)
{
  CriaWindow *self;
  g_autoptr(GListModel) catalogue = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (CRIA_IS_STORE (store), NULL);

  /* "application" is not a construct property, so it is only set once the
   * object is built: the start-up that needs the client comes here. */
  self = g_object_new (CRIA_TYPE_WINDOW, "application", application, NULL);
  self->client = g_object_ref (client);

  /* The bundled catalogue fills the picker until the server answers. */
  catalogue = cria_catalogue_load (NULL);
  self->model_source = cria_model_source_new (self->client, catalogue);
  g_signal_connect_swapped (self->model_source, "notify::models", G_CALLBACK (models_changed_cb), self);
  g_signal_connect_swapped (self->model_source, "refresh-failed", G_CALLBACK (models_failed_cb), self);
  models_changed_cb (self);
  _cria_window_init_history (self, store);
  _cria_window_new_conversation (self);

  /* Another endpoint serves other models. */
  g_signal_connect_swapped (self->client, "notify::base-url", G_CALLBACK (base_url_changed_cb), self);
  find_key (self);

  return self;
}

void
cria_window_set_budget (CriaWindow *self,
                        CriaBudget *budget)
{
  CriaBudget *old;

  g_return_if_fail (CRIA_IS_WINDOW (self));
  g_return_if_fail (budget == NULL || CRIA_IS_BUDGET (budget));

  old = cria_budget_banner_get_budget (self->budget_banner);
  if (old == budget)
    return;

  if (old != NULL)
    g_signal_handlers_disconnect_by_data (old, self);
  cria_budget_banner_set_budget (self->budget_banner, budget);
  cria_composer_set_budget (self->composer, budget);

  if (budget != NULL)
    {
      g_signal_connect_object (budget, "notify::limit", G_CALLBACK (update_cost), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (budget, "notify::month-cost", G_CALLBACK (update_cost), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (budget, "notify::estimated", G_CALLBACK (update_cost), self, G_CONNECT_SWAPPED);
    }
  update_cost (self);
}

void
cria_window_warn_budget (CriaWindow      *self,
                         CriaBudgetLevel  level)
{
  g_return_if_fail (CRIA_IS_WINDOW (self));

  cria_budget_banner_warn (self->budget_banner, level);
}

/**
 * cria_window_set_toolbox:
 * @toolbox: (nullable): the tools the window's conversations may offer
 */
void
cria_window_set_toolbox (CriaWindow  *self,
                         CriaToolbox *toolbox)
{
  g_return_if_fail (CRIA_IS_WINDOW (self));
  g_return_if_fail (toolbox == NULL || CRIA_IS_TOOLBOX (toolbox));

  /* The composer gives it to each conversation it is told of. */
  cria_composer_set_toolbox (self->composer, toolbox);
}

/**
 * cria_window_set_retrieval:
 * @retrieval: (nullable): what searches the documents too long to send
 *   whole in the window's conversations
 */
void
cria_window_set_retrieval (CriaWindow    *self,
                           CriaRetrieval *retrieval)
{
  g_return_if_fail (CRIA_IS_WINDOW (self));
  g_return_if_fail (retrieval == NULL || CRIA_IS_RETRIEVAL (retrieval));

  /* The composer gives it to each conversation it is told of. */
  cria_composer_set_retrieval (self->composer, retrieval);
}

/**
 * cria_window_set_meaning:
 * @meaning: (nullable): the app's search by meaning
 */
void
cria_window_set_meaning (CriaWindow  *self,
                         CriaMeaning *meaning)
{
  g_return_if_fail (CRIA_IS_WINDOW (self));
  g_return_if_fail (meaning == NULL || CRIA_IS_MEANING (meaning));

  _cria_window_history_set_meaning (self, meaning);
}

CriaComposer *
_cria_window_get_composer (CriaWindow *self)
{
  return self->composer;
}

CriaConversation *
cria_window_get_conversation (CriaWindow *self)
{
  g_return_val_if_fail (CRIA_IS_WINDOW (self), NULL);

  return self->conversation;
}

CriaChatView *
_cria_window_get_chat_view (CriaWindow *self)
{
  return self->chat_view;
}

CriaModelSource *
_cria_window_get_model_source (CriaWindow *self)
{
  return self->model_source;
}

GtkRevealer *
_cria_window_get_banner (CriaWindow *self)
{
  return self->banner;
}

GtkLabel *
_cria_window_get_banner_label (CriaWindow *self)
{
  return self->banner_label;
}

GtkStack *
_cria_window_get_stack (CriaWindow *self)
{
  return self->stack;
}

AdwFlap *
_cria_window_get_flap (CriaWindow *self)
{
  return self->flap;
}

CriaSidebar *
_cria_window_get_sidebar (CriaWindow *self)
{
  return self->sidebar;
}

AdwToastOverlay *
_cria_window_get_toast_overlay (CriaWindow *self)
{
  return self->toast_overlay;
}

GtkWidget *
_cria_window_get_model_picker (CriaWindow *self)
{
  return self->model_picker;
}

GtkLabel *
_cria_window_get_cost_label (CriaWindow *self)
{
  return self->cost_label;
}

CriaBudgetBanner *
_cria_window_get_budget_banner (CriaWindow *self)
{
  return self->budget_banner;
}

void
_cria_window_show_toast (CriaWindow *self,
                         const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  /* AdwToast titles are markup in libadwaita 1.2. */
  _cria_window_add_toast (self, adw_toast_new (escaped));
}

void
_cria_window_add_toast (CriaWindow *self,
                        AdwToast   *toast)
{
  const char *timeout = g_getenv ("CRIA_TOAST_TIMEOUT");
  guint64 seconds;

  if (timeout != NULL && adw_toast_get_timeout (toast) != 0 &&
      g_ascii_string_to_unsigned (timeout, 10, 0, G_MAXUINT, &seconds, NULL))
    adw_toast_set_timeout (toast, seconds);

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
