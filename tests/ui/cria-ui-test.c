/* cria-ui-test.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-test-util.h"
#include "cria-ui-test.h"

CriaApplication *
cria_ui_test_init (int    *argc,
                   char ***argv)
{
  g_autoptr(GError) error = NULL;
  CriaApplication *app;

  cria_test_init (argc, argv);
  if (!gtk_init_check ())
    return NULL;

  app = cria_application_new ();
  /* Its own flags kept (it opens files), and no other instance's. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  return app;
}

CriaWindow *
cria_ui_test_open_window (CriaApplication  *app,
                          const char       *models_json,
                          CriaFakeServer  **server,
                          char            **key)
{
  CriaClient *client = cria_application_get_client (app);
  CriaFakeResponse *models;
  g_autoptr(GError) error = NULL;
  CriaWindow *window;

  *server = cria_fake_server_new ();
  *key = cria_test_make_key ();
  cria_fake_server_set_api_key (*server, *key);
  models = cria_fake_server_expect (*server, "/v1/models");
  cria_fake_response_set_body (models, "application/json", models_json, -1);

  g_assert_true (cria_client_set_base_url (client, cria_fake_server_get_base_url (*server), &error));
  g_assert_no_error (error);
  cria_client_set_api_key (client, *key);

  window = cria_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

void
cria_ui_test_window_set_up (CriaUiTestWindow *w,
                            CriaApplication  *app,
                            const char       *models_json)
{
  if (app == NULL)
    return;

  w->window = cria_ui_test_open_window (app, models_json, &w->server, &w->key);
}

void
cria_ui_test_window_tear_down (CriaUiTestWindow *w)
{
  if (w->window != NULL)
    gtk_window_destroy (GTK_WINDOW (w->window));
  w->window = NULL;
  g_clear_object (&w->server);
  g_clear_pointer (&w->key, g_free);
}

typedef struct
{
  gboolean (*condition) (gpointer data);
  gpointer   data;
} PlainCondition;

static gboolean
plain_condition (gpointer      fixture,
                 gconstpointer data)
{
  const PlainCondition *plain = data;

  return plain->condition (plain->data);
}

gboolean
cria_ui_test_wait (gboolean (*condition) (gpointer data),
                   gpointer   data,
                   guint      seconds)
{
  PlainCondition plain = { condition, data };

  return cria_ui_test_wait_full (plain_condition, NULL, &plain, seconds);
}

gboolean
cria_ui_test_wait_full (CriaUiTestCondition condition,
                        gpointer            fixture,
                        gconstpointer       data,
                        guint               seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (fixture, data))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

void
cria_ui_test_skip_no_display (void)
{
  g_test_skip ("no display; run under build-aux/run-headless.sh");
}

GtkWidget *
cria_ui_test_find_descendant (GtkWidget *widget,
                              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cria_ui_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkListView *
cria_ui_test_get_list_view (CriaWindow *window)
{
  return _cria_chat_view_get_list_view (_cria_window_get_chat_view (window));
}

GtkScrolledWindow *
cria_ui_test_get_scroller (CriaWindow *window)
{
  return _cria_chat_view_get_scroller (_cria_window_get_chat_view (window));
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return *frames < 2 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
two_frames_passed (gpointer data)
{
  return *(guint *) data >= 2;
}

void
cria_ui_test_settle (GtkWidget *widget)
{
  guint frames = 0;

  gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);
  gtk_widget_queue_draw (widget);
  g_assert_true (cria_ui_test_wait (two_frames_passed, &frames, 20));
  while (g_main_context_iteration (NULL, FALSE));
}

CriaMessageRow *
cria_ui_test_find_message_row (GtkListView *list_view,
                               CriaMessage *message)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (CRIA_IS_MESSAGE_ROW (row) && cria_message_row_get_message (CRIA_MESSAGE_ROW (row)) == message)
        return CRIA_MESSAGE_ROW (row);
    }

  return NULL;
}

void
cria_ui_test_type_and_send (CriaWindow *window,
                            const char *text)
{
  GtkTextView *view = _cria_composer_get_text_view (_cria_window_get_composer (window));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
}

CriaMessage *
cria_ui_test_message_at (CriaWindow *window,
                         guint       position)
{
  CriaMessage *message = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (window)), position);

  g_object_unref (message);
  return message;
}

gboolean
cria_ui_test_window_idle (CriaWindow *window)
{
  return !cria_conversation_get_busy (cria_window_get_conversation (window));
}

void
cria_ui_test_collect_text (GtkWidget *widget,
                           GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cria_ui_test_collect_text (child, out);
}

/* The notification server */

static struct
{
  guint      owner_id;
  guint      object_id;
  GPtrArray *sent;
  guint      next_id;
  guint      closed;
  gboolean   owned;
} notifications;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

static void
notification_free (CriaUiTestNotification *notification)
{
  g_free (notification->summary);
  g_free (notification->body);
  g_free (notification->desktop_entry);
  g_free (notification);
}

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      CriaUiTestNotification *notification = g_new0 (CriaUiTestNotification, 1);
      const char *summary, *body;
      g_autoptr(GVariant) hints = NULL;
      const char *entry = NULL;

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, NULL, NULL, &summary, &body, NULL, &hints, NULL);
      g_variant_lookup (hints, "desktop-entry", "&s", &entry);
      notification->id = ++notifications.next_id;
      notification->summary = g_strdup (summary);
      notification->body = g_strdup (body);
      notification->desktop_entry = g_strdup (entry);
      g_ptr_array_add (notifications.sent, notification);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notification->id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      notifications.closed++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "body", "actions", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "Cria", "1", "1.2"));
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  notifications.owned = TRUE;
}

void
cria_ui_test_notifications_start (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  notifications.sent = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  notifications.object_id = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                               info->interfaces[0], &vtable,
                                                               NULL, NULL, NULL);
  notifications.owner_id = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                                         G_BUS_NAME_OWNER_FLAGS_NONE,
                                                         name_acquired_cb, NULL, NULL, NULL);
  while (!notifications.owned && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (notifications.owned);
}

void
cria_ui_test_notifications_stop (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_bus_unown_name (notifications.owner_id);
  g_dbus_connection_unregister_object (bus, notifications.object_id);
  g_clear_pointer (&notifications.sent, g_ptr_array_unref);
  notifications.owned = FALSE;
}

GPtrArray *
cria_ui_test_notifications_get (void)
{
  return notifications.sent;
}

guint
cria_ui_test_notifications_n_closed (void)
{
  return notifications.closed;
}

void
cria_ui_test_notifications_clear (void)
{
  g_ptr_array_set_size (notifications.sent, 0);
  notifications.closed = 0;
}

static void
ping_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);

  g_assert_nonnull (reply);
  *(gboolean *) user_data = TRUE;
}

void
cria_ui_test_notifications_sync (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  gboolean done = FALSE;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_dbus_connection_call (bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                          "org.freedesktop.Notifications", "GetServerInformation", NULL,
                          G_VARIANT_TYPE ("(ssss)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, ping_cb, &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done);
}

void
cria_ui_test_notifications_click (guint id)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", id, "default"), &error);
  g_assert_no_error (error);
}
