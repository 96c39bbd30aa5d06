/* cria-application.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-api-error.h"
#include "cria-application.h"
#include "cria-config.h"
#include "cria-preferences-window.h"
#include "cria-spending-window.h"
#include "cria-window.h"

#define CRIA_WEBSITE "https://github.com/cria/cria"
#define CRIA_ISSUE_URL "https://github.com/cria/cria/issues"

struct _CriaApplication
{
  AdwApplication  parent_instance;

  CriaClient     *client;
  GSettings      *settings;
  /* The history, opened with the first window that asks for it. */
  CriaStore      *store;
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

static void
cria_application_startup (GApplication *app)
{
  CriaApplication *self = CRIA_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *configured = NULL;

  G_APPLICATION_CLASS (cria_application_parent_class)->startup (app);
  load_icon_theme_in_background ();

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
}

static void
preferences_activated_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  CriaApplication *self = CRIA_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences = cria_preferences_window_new (self->client, self->settings);

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

  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cria_application_parent_class)->dispose (object);
}

static void
cria_application_class_init (CriaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cria_application_dispose;
  app_class->activate = cria_application_activate;
  app_class->startup = cria_application_startup;
}

static void
cria_application_init (CriaApplication *self)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *close_accels[] = { "<Control>w", NULL };

  self->client = cria_client_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

CriaApplication *
cria_application_new (void)
{
  return g_object_new (CRIA_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
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
    }

  return self->store;
}

CriaWindow *
cria_application_new_window (CriaApplication *self)
{
  g_return_val_if_fail (CRIA_IS_APPLICATION (self), NULL);

  return cria_window_new (GTK_APPLICATION (self), self->client, cria_application_get_store (self));
}
