/* cria-application.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-api-error.h"
#include "cria-application.h"
#include "cria-builtin-tools.h"
#include "cria-config.h"
#include "cria-format.h"
#include "cria-mcp-page.h"
#include "cria-preferences-window.h"
#include "cria-spending-periods.h"
#include "cria-spending-window.h"
#include "cria-window.h"

#define CRIA_WEBSITE "https://github.com/cria/cria"
#define CRIA_ISSUE_URL "https://github.com/cria/cria/issues"
/* One notification for the budget: the 100 % warning replaces the 80 % one. */
#define BUDGET_NOTIFICATION_ID "budget"

struct _CriaApplication
{
  AdwApplication  parent_instance;

  CriaClient     *client;
  GSettings      *settings;
  /* The history, opened with the first window that asks for it. */
  CriaStore      *store;
  /* This month's spending against the monthly-budget setting, made with
   * the store: cria-application.c warns of it, the windows show it. */
  CriaBudget     *budget;
  /* The start of the month the budget counts; checked when a window comes
   * to the front and when the month should end, to count the next one. */
  gint64          budget_month;
  guint           month_end_id;
  /* The MCP servers the user configured, connected from start-up. */
  CriaMcpManager *mcp_manager;
  guint           mcp_start_id;
  /* The tools every window's conversations may offer. */
  CriaToolbox    *toolbox;
  /* What searches documents too long to send whole, for every window. */
  CriaRetrieval  *retrieval;
  CriaMeaning    *meaning;
  /* The tools allowed for good are being loaded from the setting, or
   * saved to it: neither change goes back where it came from. */
  gboolean        loading_allowed;
  gboolean        saving_allowed;
};

G_DEFINE_FINAL_TYPE (CriaApplication, cria_application, ADW_TYPE_APPLICATION)

static void
cria_application_activate (GApplication *app)
{
  GtkWindow *window = NULL;

  /* The chat window used last; the spending window is not one. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL && window == NULL; l = l->next)
    if (CRIA_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    window = GTK_WINDOW (cria_application_new_window (CRIA_APPLICATION (app)));

  gtk_window_present (window);
}

/* Files handed to Cria (its command line, a file manager's "Open With"):
 * a new chat in the window used last, with them attached and the composer
 * focused for the question about them. */
static void
cria_application_open (GApplication  *app,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  CriaWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL && window == NULL; l = l->next)
    if (CRIA_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    window = cria_application_new_window (CRIA_APPLICATION (app));

  cria_window_open_files (window, files, n_files);
  gtk_window_present (GTK_WINDOW (window));
}

static void
load_icon_theme_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  /* Looking up any name makes the theme read its index and caches; the
   * icon theme does this under its own lock, from any thread. */
  gtk_icon_theme_has_icon (task_data, "go-up-symbolic");
  g_task_return_boolean (task, TRUE);
}

/* GTK reads the icon theme in a thread when the display opens, but adding the
 * application's and libadwaita's icon paths afterwards can throw that away, and
 * the first frame then reads it again on the main thread. Reading it again
 * here, once the paths are final, lets the window be built meanwhile. */
static void
load_icon_theme_in_background (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GTask) task = NULL;

  if (display == NULL)
    return;

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_object_ref (gtk_icon_theme_get_for_display (display)), g_object_unref);
  g_task_run_in_thread (task, load_icon_theme_thread);
}

static gboolean
start_mcp_servers_cb (gpointer user_data)
{
  CriaApplication *self = user_data;

  self->mcp_start_id = 0;
  cria_mcp_manager_start (cria_application_get_mcp_manager (self));
  return G_SOURCE_REMOVE;
}

static void
cria_application_startup (GApplication *app)
{
  CriaApplication *self = CRIA_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *configured = NULL;

  G_APPLICATION_CLASS (cria_application_parent_class)->startup (app);
  load_icon_theme_in_background ();

  if (self->settings == NULL)
    self->settings = g_settings_new (APPLICATION_ID);
  configured = g_settings_get_string (self->settings, "base-url");
  if (!cria_client_set_base_url (self->client, cria_config_pick_base_url (configured), &error))
    {
      g_autofree char *message = NULL;
      g_autoptr(GError) refusal = NULL;

      /* The saved address was checked when it was saved; a broken one leaves
       * the default server, whose key is kept apart from others. */
      if (!cria_config_base_url_from_env ())
        g_warning ("Ignoring the configured API base URL: %s", error->message);
      else
        {
          /* The user asked for another server: going to the default one
           * instead would hand it their key. Nothing is sent; the window
           * says why. The message never repeats the value, which may be a
           * key pasted into the wrong variable. */
          message = g_strdup_printf (_("%s is set to a server address Cria can’t use. %s "
                                       "Nothing is sent to any server. Correct or unset the "
                                       "variable, then start Cria again."),
                                     CRIA_ENV_API_BASE, error->message);
          refusal = cria_api_error_new (error->code, 0, NULL, -1, message);
          g_printerr ("%s\n", message);
          cria_client_refuse (self->client, refusal);
        }
    }

  /* A key from the environment is used for this run only, never stored. */
  if (cria_config_get_env_api_key () != NULL)
    cria_client_set_api_key (self->client, cria_config_get_env_api_key ());

  /* The MCP servers start once the first window is drawn: a server is a
   * process to spawn and a handshake, none of which the window waits for. */
  self->mcp_start_id = g_idle_add_full (G_PRIORITY_LOW, start_mcp_servers_cb, self, NULL);
}

/* The budget */

static char *
format_month (GDateTime *now)
{
  return g_date_time_format (now, "%Y-%m");
}

/* Each threshold warns once a month, whichever window is open and however
 * often Cria starts: the month of each warning is kept in the settings. A
 * month that passes both thresholds at once gets the 100 % warning only. */
static gboolean
mark_warned (CriaApplication *self,
             CriaBudgetLevel  level)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *month = format_month (now);
  g_autofree char *near = g_settings_get_string (self->settings, "budget-warned-near");
  g_autofree char *over = g_settings_get_string (self->settings, "budget-warned-over");
  gboolean warn;

  if (level == CRIA_BUDGET_LEVEL_OVER)
    {
      warn = !g_str_equal (over, month);
      g_settings_set_string (self->settings, "budget-warned-over", month);
    }
  else
    warn = !g_str_equal (near, month) && !g_str_equal (over, month);

  g_settings_set_string (self->settings, "budget-warned-near", month);

  return warn;
}

static void
send_budget_notification (CriaApplication *self,
                          CriaBudgetLevel  level)
{
  g_autoptr(GNotification) notification = NULL;
  double spent = cria_budget_get_month_cost (self->budget);
  g_autofree char *spent_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *escaped = NULL;

  if (!g_application_get_is_registered (G_APPLICATION (self)))
    return;

  spent_text = cria_budget_get_estimated (self->budget) ? cria_format_estimated_cost (spent)
                                                         : cria_format_cost (spent);
  limit_text = cria_format_cost (cria_budget_get_limit (self->budget));
  /* Translators: what answers cost this month, then the monthly budget, both amounts in US dollars */
  body = g_strdup_printf (_("%s of %s spent this month"), spent_text, limit_text);

  notification = g_notification_new (level == CRIA_BUDGET_LEVEL_OVER ? _("Over This Month’s Budget")
                                                                     : _("Most of This Month’s Budget Is Spent"));
  /* Notification servers may read the body as markup. */
  escaped = g_markup_escape_text (body, -1);
  g_notification_set_body (notification, escaped);
  g_notification_set_priority (notification, level == CRIA_BUDGET_LEVEL_OVER ? G_NOTIFICATION_PRIORITY_HIGH
                                                                              : G_NOTIFICATION_PRIORITY_NORMAL);
  /* With no default action, clicking it activates the application, which
   * presents its window. */
  g_application_send_notification (G_APPLICATION (self), BUDGET_NOTIFICATION_ID, notification);
}

static void
budget_level_changed_cb (CriaApplication *self)
{
  CriaBudgetLevel level = cria_budget_get_level (self->budget);

  if (level == CRIA_BUDGET_LEVEL_NONE || !mark_warned (self, level))
    return;

  send_budget_notification (self, level);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (CRIA_IS_WINDOW (l->data))
        cria_window_warn_budget (l->data, level);
    }
}

static void schedule_month_end (CriaApplication *self);

/* A new month began since the budget last counted: it counts this one. */
static void
check_month (CriaApplication *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 month = cria_spending_month_start (now);

  if (self->budget == NULL || month == self->budget_month)
    return;

  self->budget_month = month;
  cria_budget_refresh (self->budget);
  schedule_month_end (self);
}

static gboolean
month_end_cb (gpointer user_data)
{
  CriaApplication *self = user_data;

  self->month_end_id = 0;
  check_month (self);
  if (self->month_end_id == 0)
    schedule_month_end (self);

  return G_SOURCE_REMOVE;
}

/* A timer for the end of the month. It runs on the monotonic clock, which
 * stands still while the computer sleeps: a window coming to the front
 * checks the month too. */
static void
schedule_month_end (CriaApplication *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 seconds = (cria_spending_month_end (now) - g_date_time_to_unix (now) * G_USEC_PER_SEC) / G_USEC_PER_SEC;

  g_clear_handle_id (&self->month_end_id, g_source_remove);
  self->month_end_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, (guint) CLAMP (seconds + 1, 1, G_MAXUINT),
                                                   month_end_cb, self, NULL);
}

static void
window_active_cb (GtkWindow       *window,
                  GParamSpec      *pspec,
                  CriaApplication *self)
{
  if (gtk_window_is_active (window))
    check_month (self);
}

static void
cria_application_window_added (GtkApplication *app,
                               GtkWindow      *window)
{
  GTK_APPLICATION_CLASS (cria_application_parent_class)->window_added (app, window);

  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (window_active_cb), app, 0);
}

static void
make_budget (CriaApplication *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_assert (self->budget == NULL);
  g_assert (self->store != NULL);

  /* Before start-up, in tests that ask for the store early. */
  if (self->settings == NULL)
    self->settings = g_settings_new (APPLICATION_ID);

  self->budget = cria_budget_new (self->store);
  self->budget_month = cria_spending_month_start (now);
  g_signal_connect_object (self->budget, "notify::level", G_CALLBACK (budget_level_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "monthly-budget", self->budget, "limit", G_SETTINGS_BIND_GET);
  schedule_month_end (self);
}

static void
preferences_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  CriaApplication *self = CRIA_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences = cria_preferences_window_new (self->client, self->settings);
  GtkWidget *mcp_page = cria_mcp_page_new (cria_application_get_mcp_manager (self));

  cria_preferences_window_set_toolbox (CRIA_PREFERENCES_WINDOW (preferences), cria_application_get_toolbox (self));
  cria_preferences_window_set_meaning (CRIA_PREFERENCES_WINDOW (preferences), cria_application_get_meaning (self));
  cria_mcp_page_set_toolbox (CRIA_MCP_PAGE (mcp_page), cria_application_get_toolbox (self));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (preferences), ADW_PREFERENCES_PAGE (mcp_page));

  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* One spending window for the application, in front of the window it was
 * asked from. */
static void
spending_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CriaApplication *self = CRIA_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *spending = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL && spending == NULL; l = l->next)
    if (CRIA_IS_SPENDING_WINDOW (l->data))
      spending = l->data;

  if (spending == NULL)
    spending = GTK_WINDOW (cria_spending_window_new (GTK_APPLICATION (self), cria_application_get_store (self)));
  if (parent != NULL && parent != spending)
    gtk_window_set_transient_for (spending, parent);
  gtk_window_present (spending);
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CriaApplication *self = CRIA_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Cria authors https://github.com/cria/cria", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Cria"),
                        "developer-name", _("The Cria authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Chat with open language models through LlamaGate"),
                        "website", CRIA_WEBSITE,
                        "issue-url", CRIA_ISSUE_URL,
                        "support-url", CRIA_ISSUE_URL,
                        "copyright", "© 2026 The Cria authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line, shown in the About window */
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about), _("Built With"),
                                       (const char *[]) { "GTK https://gtk.org",
                                                          "libadwaita https://gnome.pages.gitlab.gnome.org/libadwaita/",
                                                          "md4c https://github.com/mity/md4c",
                                                          NULL });
  adw_about_window_add_link (ADW_ABOUT_WINDOW (about), _("Get an API Key"), "https://llamagate.dev");
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated_cb },
  { "preferences", preferences_activated_cb },
  { "spending", spending_activated_cb },
  { "about", about_activated_cb },
};

static void
cria_application_dispose (GObject *object)
{
  CriaApplication *self = CRIA_APPLICATION (object);

  g_clear_handle_id (&self->month_end_id, g_source_remove);
  g_clear_handle_id (&self->mcp_start_id, g_source_remove);
  if (self->budget != NULL)
    g_settings_unbind (self->budget, "limit");
  g_clear_object (&self->budget);
  if (self->meaning != NULL)
    {
      g_settings_unbind (self->meaning, "enabled");
      g_settings_unbind (self->meaning, "model");
    }
  g_clear_object (&self->meaning);
  g_clear_object (&self->mcp_manager);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->toolbox);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->retrieval);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cria_application_parent_class)->dispose (object);
}

static void
cria_application_class_init (CriaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = cria_application_dispose;
  gtk_app_class->window_added = cria_application_window_added;
  app_class->activate = cria_application_activate;
  app_class->open = cria_application_open;
  app_class->startup = cria_application_startup;
}

static void
cria_application_init (CriaApplication *self)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *close_accels[] = { "<Control>w", NULL };
  const char *shortcuts_accels[] = { "<Control>question", NULL };

  self->client = cria_client_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  /* CriaWindow's own action, which builds the shortcuts window when asked. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", shortcuts_accels);
}

CriaApplication *
cria_application_new (void)
{
  return g_object_new (CRIA_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/cria/Cria",
                       NULL);
}

CriaClient *
cria_application_get_client (CriaApplication *self)
{
  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  return self->client;
}

CriaStore *
cria_application_get_store (CriaApplication *self)
{
  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  if (self->store == NULL)
    {
      g_autofree char *path = cria_store_dup_default_path ();

      self->store = cria_store_new (path);
      make_budget (self);
    }

  return self->store;
}

CriaBudget *
cria_application_get_budget (CriaApplication *self)
{
  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  cria_application_get_store (self);

  return self->budget;
}

/* The tools allowed for good: the "always-allowed-tools" setting holds them,
 * the toolbox answers with them. A change on either side goes to the other. */

static void
allowed_setting_changed_cb (CriaApplication *self)
{
  g_autoptr(GVariant) allowed = NULL;

  if (self->saving_allowed || self->toolbox == NULL)
    return;

  /* What the toolbox refuses of it (bad entries, past the bound) is not
   * written back: another writer may hold it. */
  allowed = g_settings_get_value (self->settings, "always-allowed-tools");
  self->loading_allowed = TRUE;
  cria_toolbox_set_allowed (self->toolbox, allowed);
  self->loading_allowed = FALSE;
}

static void
toolbox_allowed_changed_cb (CriaApplication *self)
{
  g_autoptr(GVariant) allowed = NULL;

  if (self->loading_allowed)
    return;

  allowed = cria_toolbox_dup_allowed (self->toolbox);
  self->saving_allowed = TRUE;
  g_settings_set_value (self->settings, "always-allowed-tools", allowed);
  self->saving_allowed = FALSE;
}

static void
bind_allowed_tools (CriaApplication *self)
{
  g_assert (self->toolbox != NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (APPLICATION_ID);

  allowed_setting_changed_cb (self);
  g_signal_connect_object (self->toolbox, "allowed-changed", G_CALLBACK (toolbox_allowed_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->settings, "changed::always-allowed-tools",
                            G_CALLBACK (allowed_setting_changed_cb), self);
}

/**
 * cria_application_get_toolbox:
 *
 * Returns: (transfer none): the tools the conversations may offer: each
 *   source of tools (Cria's own, each MCP server's) is added to it once
 */
CriaToolbox *
cria_application_get_toolbox (CriaApplication *self)
{
  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  if (self->toolbox == NULL)
    {
      g_autoptr(GPtrArray) builtin = cria_builtin_tools_new (cria_application_get_store (self));
      g_autoptr(GListStore) own = g_list_store_new (CRIA_TYPE_TOOL);

      /* Cria's own tools first: their names win over a server's. */
      g_list_store_splice (own, 0, 0, builtin->pdata, builtin->len);
      self->toolbox = cria_toolbox_new ();
      cria_toolbox_add_source (self->toolbox, G_LIST_MODEL (own));
      /* Then the tools of the MCP servers that are on and connected, as
       * they come and go. */
      cria_toolbox_add_source (self->toolbox,
                               cria_mcp_manager_get_tools (cria_application_get_mcp_manager (self)));
      /* And the tools the user allowed for good, kept across runs. */
      bind_allowed_tools (self);
    }

  return self->toolbox;
}

static void
embedding_model_changed_cb (CriaApplication *self)
{
  g_autofree char *model = g_settings_get_string (self->settings, "embedding-model");

  cria_retrieval_set_model (self->retrieval, *model != '\0' ? model : CRIA_RETRIEVAL_DEFAULT_MODEL);
}

/**
 * cria_application_get_retrieval:
 *
 * Returns: (transfer none): what searches documents too long to send whole,
 *   over the application's client and store, with the embedding model of
 *   the "embedding-model" setting
 */
CriaRetrieval *
cria_application_get_retrieval (CriaApplication *self)
{
  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  if (self->retrieval == NULL)
    {
      self->retrieval = cria_retrieval_new (self->client, cria_application_get_store (self));
      g_signal_connect_object (self->settings, "changed::embedding-model",
                               G_CALLBACK (embedding_model_changed_cb), self, G_CONNECT_SWAPPED);
      embedding_model_changed_cb (self);
    }

  return self->retrieval;
}

CriaWindow *
cria_application_new_window (CriaApplication *self)
{
  CriaWindow *window;

  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  window = cria_window_new (GTK_APPLICATION (self), self->client, cria_application_get_store (self));
  cria_window_set_budget (window, self->budget);
  cria_window_set_toolbox (window, cria_application_get_toolbox (self));
  cria_window_set_retrieval (window, cria_application_get_retrieval (self));
  cria_window_set_meaning (window, cria_application_get_meaning (self));

  return window;
}

/**
 * cria_application_get_meaning:
 *
 * Search by meaning over the history (made on first use), following the
 * search-by-meaning and embedding-model settings.
 */
CriaMeaning *
cria_application_get_meaning (CriaApplication *self)
{
  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  if (self->meaning == NULL)
    {
      self->meaning = cria_meaning_new (cria_application_get_store (self), self->client);
      g_settings_bind (self->settings, "embedding-model", self->meaning, "model", G_SETTINGS_BIND_GET);
      g_settings_bind (self->settings, "search-by-meaning", self->meaning, "enabled", G_SETTINGS_BIND_GET);
    }

  return self->meaning;
}

/**
 * cria_application_get_mcp_manager:
 *
 * The MCP servers the user configured (made on first use; start-up
 * connects the enabled ones). A conversation's tool set takes its MCP
 * tools from cria_mcp_manager_dup_tools().
 *
 * Returns: (transfer none): the application's #CriaMcpManager
 */
CriaMcpManager *
cria_application_get_mcp_manager (CriaApplication *self)
{
  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  if (self->mcp_manager == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID ".Mcp");

      self->mcp_manager = cria_mcp_manager_new (settings);
    }
  return self->mcp_manager;
}
