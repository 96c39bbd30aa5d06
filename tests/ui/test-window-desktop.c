/* test-window-desktop.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window as part of the desktop: the notification when an answer
 * finishes unseen (through a notification server on the session bus),
 * copying the last answer, the shortcuts window, the About window and the
 * phone-sized layout. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <gtk/gtk.h>

#include "cria-application.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

typedef struct
{
  CriaUiTestWindow ui;
} Fixture;

/* What the fake LlamaGate lists. */
#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"qwen3-8b\"}]}"

static gboolean have_display;
static CriaApplication *app;

static gboolean
wait_for (gboolean (*condition) (Fixture *f),
          Fixture   *f,
          guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (f))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cria_ui_test_window_set_up (&f->ui, app, MODELS_JSON);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cria_ui_test_window_tear_down (&f->ui);
}

static gboolean
not_busy (Fixture *f)
{
  return !cria_conversation_get_busy (cria_window_get_conversation (f->ui.window));
}

static gboolean
is_active (Fixture *f)
{
  return gtk_window_is_active (GTK_WINDOW (f->ui.window));
}

static gboolean
is_inactive (Fixture *f)
{
  return !gtk_window_is_active (GTK_WINDOW (f->ui.window));
}

static gboolean
got_notification (Fixture *f)
{
  return cria_ui_test_notifications_get ()->len > 0;
}

static gboolean
got_close (Fixture *f)
{
  return cria_ui_test_notifications_n_closed () > 0;
}

static CriaUiTestNotification *
notification_at (guint position)
{
  return g_ptr_array_index (cria_ui_test_notifications_get (), position);
}

static void
send_and_wait (Fixture    *f,
               const char *fixture,
               const char *text)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");

  cria_fake_response_set_body_from_fixture (response, "text/event-stream", fixture);
  cria_fake_response_set_chunk_size (response, 32);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_cria_composer_get_text_view (_cria_window_get_composer (f->ui.window))), text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.send", NULL));
  g_assert_true (wait_for (not_busy, f, 20));
}

static gboolean
phone_width (Fixture *f)
{
  return gtk_widget_get_width (GTK_WIDGET (f->ui.window)) <= 360;
}

static void
test_notify_only_when_unfocused (Fixture       *f,
                                 gconstpointer  data)
{
  GtkWidget *other;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_ui_test_notifications_clear ();

  /* Without a window manager, X gives the presented window the focus. */
  g_assert_true (wait_for (is_active, f, 5));
  send_and_wait (f, "streams/openai-basic.sse", "Say hello");
  cria_ui_test_notifications_sync ();
  g_assert_cmpuint (cria_ui_test_notifications_get ()->len, ==, 0);

  /* One of Cria's own dialogs has the focus: Cria is in front all the same. */
  other = gtk_window_new ();
  gtk_window_set_application (GTK_WINDOW (other), GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (wait_for (is_inactive, f, 5));
  send_and_wait (f, "streams/openai-basic.sse", "Say hello from a dialog");
  cria_ui_test_notifications_sync ();
  g_assert_cmpuint (cria_ui_test_notifications_get ()->len, ==, 0);
  gtk_window_destroy (GTK_WINDOW (other));

  /* Another application's window takes the focus; the next answer finishes
   * unseen. */
  other = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (wait_for (is_inactive, f, 5));
  send_and_wait (f, "streams/think-inline.sse", "Say hello again");
  g_assert_true (wait_for (got_notification, f, 5));
  g_assert_cmpuint (cria_ui_test_notifications_get ()->len, ==, 1);
  g_assert_cmpstr (notification_at (0)->body, ==, "Hello, friend!");
  g_assert_nonnull (strstr (notification_at (0)->summary, "answered"));
  g_assert_cmpstr (notification_at (0)->desktop_entry, ==, APPLICATION_ID);

  /* Back in the window, the notification is withdrawn. */
  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_present (GTK_WINDOW (f->ui.window));
  g_assert_true (wait_for (is_active, f, 5));
  g_assert_true (wait_for (got_close, f, 5));
  g_assert_cmpuint (cria_ui_test_notifications_get ()->len, ==, 1);
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static char *
read_clipboard (Fixture *f)
{
  ClipboardRead read = { NULL, FALSE };
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (f->ui.window)), NULL,
                                 clipboard_read_cb, &read);
  while (!read.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  return read.text;
}

static void
test_copy_last_answer (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *copied = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* Nothing to copy yet: the clipboard is left alone. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f->ui.window)), "untouched");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.copy-last-answer", NULL));
  before = read_clipboard (f);
  g_assert_cmpstr (before, ==, "untouched");

  send_and_wait (f, "streams/think-inline.sse", "Say hello");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.copy-last-answer", NULL));
  copied = read_clipboard (f);
  /* The answer, without its reasoning. */
  g_assert_cmpstr (copied, ==, "Hello, friend!");
}

static void
collect_accels (GtkWidget  *widget,
                GPtrArray  *accels)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accel = NULL;
      g_autofree char *title = NULL;

      g_object_get (widget, "accelerator", &accel, "title", &title, NULL);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      g_ptr_array_add (accels, g_steal_pointer (&accel));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_accels (child, accels);
}

static gboolean
has_accel (GPtrArray  *accels,
           const char *accel)
{
  guint key, wanted_key;
  GdkModifierType mods, wanted_mods;

  g_assert_true (gtk_accelerator_parse (accel, &wanted_key, &wanted_mods));
  for (guint i = 0; i < accels->len; i++)
    {
      if (gtk_accelerator_parse (g_ptr_array_index (accels, i), &key, &mods) &&
          key == wanted_key && mods == wanted_mods)
        return TRUE;
    }

  return FALSE;
}

/* The shortcuts window among the toplevels, if there is one. */
static GtkShortcutsWindow *
find_shortcuts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (window))
        return GTK_SHORTCUTS_WINDOW (window);
    }
  return NULL;
}

static void
test_shortcuts_window (Fixture       *f,
                       gconstpointer  data)
{
  static const char *wanted[] = {
    "<Control>n", "<Control>f", "<Control>l", "Escape", "<Control>m", "<Control>o",
    "<Control><Shift>c", "<Control>comma", "<Control>w", "<Control>q", "<Control>question",
    "Return", "<Shift>Return",
  };
  g_autoptr(GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) help_accels = NULL;
  GtkShortcutsWindow *overlay;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* No hidden shortcuts window waits among the toplevels: one with no AT-SPI
   * object can take the app off the accessibility bus (cria-window-actions.c). */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->ui.window)));
  g_assert_null (find_shortcuts_window ());
  help_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_true (g_strv_contains ((const char * const *) help_accels, "<Control>question"));

  /* win.show-help-overlay (Ctrl+?) builds it, over the window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.show-help-overlay", NULL));
  overlay = find_shortcuts_window ();
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (f->ui.window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (overlay)));

  collect_accels (GTK_WIDGET (overlay), accels);
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      if (!has_accel (accels, wanted[i]))
        g_error ("the shortcuts window does not list %s", wanted[i]);
    }

  /* Asked again while it is open, the same one comes to the front. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.show-help-overlay", NULL));
  g_assert_true (find_shortcuts_window () == overlay);

  /* Closed, it is gone, not hidden. */
  gtk_window_close (GTK_WINDOW (overlay));
  g_assert_null (find_shortcuts_window ());
}

static void
test_about (Fixture       *f,
            gconstpointer  data)
{
  AdwAboutWindow *about = NULL;
  GListModel *toplevels;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && about == NULL; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        about = ADW_ABOUT_WINDOW (window);
    }

  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APPLICATION_ID);
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_prefix (adw_about_window_get_issue_url (about), "https://"));
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (adw_about_window_get_developers (about));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (f->ui.window));
  gtk_window_destroy (GTK_WINDOW (about));
}

static void
test_phone_width (Fixture       *f,
                  gconstpointer  data)
{
  int minimum, natural;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  send_and_wait (f, "streams/openai-basic.sse", "A question long enough to wrap on a phone-sized screen, "
                                                 "with a_very_long_identifier_that_cannot_break_anywhere_at_all");

  /* Everything in the window, header bar, model picker, composer and the
   * messages, fits in 360 pixels. */
  gtk_widget_measure (GTK_WIDGET (f->ui.window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (GTK_WINDOW (f->ui.window), 360, 640);
  g_assert_true (wait_for (phone_width, f, 20));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->ui.window)), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (_cria_composer_get_text_view (_cria_window_get_composer (f->ui.window)))), >, 150);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Notifications need the session bus as well as a display. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    app = cria_ui_test_init (&argc, &argv);
  else
    cria_test_init (&argc, &argv);
  have_display = app != NULL;
  if (have_display)
    {
      /* startup: the accelerators. */
      cria_ui_test_notifications_start ();
    }

#define ADD(path, func) \
  g_test_add ("/window-desktop/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("notify-only-when-unfocused", test_notify_only_when_unfocused);
  ADD ("copy-last-answer", test_copy_last_answer);
  ADD ("shortcuts-window", test_shortcuts_window);
  ADD ("about", test_about);
  ADD ("phone-width", test_phone_width);

#undef ADD

  status = g_test_run ();
  if (have_display)
    cria_ui_test_notifications_stop ();
  g_clear_object (&app);

  return status;
}
