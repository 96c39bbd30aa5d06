/* cria-ui-test.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-application.h"
#include "cria-chat-view-private.h"
#include "cria-fake-server.h"
#include "cria-composer-private.h"
#include "cria-message-row.h"
#include "cria-window-private.h"

G_BEGIN_DECLS

/* What widget tests of the window share: one application, registered on
 * the session bus under the app ID, which only one instance may hold. */

/* cria_test_init() and GTK; returns the registered application, or NULL
 * when there is no display (the tests then skip themselves). */
CriaApplication *cria_ui_test_init        (int              *argc,
                                           char           ***argv);

/* A fake LlamaGate that accepts a fresh key and lists @models_json (a
 * /v1/models body), @app's client pointed at it, and a window presented. */
CriaWindow      *cria_ui_test_open_window (CriaApplication  *app,
                                           const char       *models_json,
                                           CriaFakeServer  **server,
                                           char            **key);

/* A window against a fake LlamaGate, as most window tests start: a test's
 * fixture holds one and sets it up and tears it down with these. */
typedef struct
{
  CriaWindow     *window;
  CriaFakeServer *server;
  char           *key;
} CriaUiTestWindow;

/* cria_ui_test_open_window() into @w; nothing when @app is NULL (no
 * display: the test skips itself). */
void             cria_ui_test_window_set_up    (CriaUiTestWindow *w,
                                                CriaApplication  *app,
                                                const char       *models_json);
/* Destroys the window (if one was opened), the fake server and the key. */
void             cria_ui_test_window_tear_down (CriaUiTestWindow *w);

/* Spins the main loop until @condition holds, for at most @seconds;
 * FALSE when it never did. */
gboolean         cria_ui_test_wait        (gboolean        (*condition) (gpointer data),
                                           gpointer          data,
                                           guint             seconds);

/* A condition on a test's fixture and the test's datum. */
typedef gboolean (*CriaUiTestCondition) (gpointer      fixture,
                                         gconstpointer data);

/* cria_ui_test_wait() for a condition on a fixture and a datum. */
gboolean         cria_ui_test_wait_full   (CriaUiTestCondition condition,
                                           gpointer            fixture,
                                           gconstpointer       data,
                                           guint               seconds);

/* Marks the test skipped: there is no display (run the test under
 * build-aux/run-headless.sh). */
void             cria_ui_test_skip_no_display (void);

/* The first of @widget and its descendants, depth first, of type @type. */
GtkWidget       *cria_ui_test_find_descendant (GtkWidget *widget,
                                               GType      type);

/* Lets two frames of @widget's frame clock pass, then what they queued
 * run: layout and the scrolling that follows it are done. */
void             cria_ui_test_settle          (GtkWidget *widget);

/* The row showing @message among @list_view's children, or NULL while it
 * has none (rows are built only around what is on screen). */
CriaMessageRow  *cria_ui_test_find_message_row (GtkListView *list_view,
                                                CriaMessage *message);

/* The list view and the scrolled window of @window's transcript. */
GtkListView       *cria_ui_test_get_list_view (CriaWindow *window);
GtkScrolledWindow *cria_ui_test_get_scroller  (CriaWindow *window);

/* Puts @text in @window's composer and sends it (win.send). */
void             cria_ui_test_type_and_send   (CriaWindow *window,
                                               const char *text);
/* The message at @position of @window's conversation (transfer none). */
CriaMessage     *cria_ui_test_message_at      (CriaWindow *window,
                                               guint       position);
/* Whether @window's conversation has no answer under way. */
gboolean         cria_ui_test_window_idle     (CriaWindow *window);
/* Appends the text of every visible label in @widget and under it to @out,
 * one per line, depth first. */
void             cria_ui_test_collect_text    (GtkWidget  *widget,
                                               GString    *out);

/* A notification server (org.freedesktop.Notifications) in the test itself,
 * on the session bus: GLib's notification backend reaches it through the bus
 * daemon, as it would the desktop's. It keeps what it was sent, in order. */
typedef struct
{
  /* The id the server gave it. */
  guint  id;
  char  *summary;
  char  *body;
  /* The "desktop-entry" hint, or NULL. */
  char  *desktop_entry;
} CriaUiTestNotification;

void             cria_ui_test_notifications_start    (void);
void             cria_ui_test_notifications_stop     (void);
/* What was sent since the last clear: CriaUiTestNotification. */
GPtrArray       *cria_ui_test_notifications_get      (void);
/* How many CloseNotification calls came since the last clear. */
guint            cria_ui_test_notifications_n_closed (void);
void             cria_ui_test_notifications_clear    (void);
/* A round trip to the server on the bus the application sends on: every
 * notification sent before has reached it and been handled. */
void             cria_ui_test_notifications_sync     (void);
/* The user clicks notification @id (ActionInvoked with "default"). */
void             cria_ui_test_notifications_click    (guint id);

G_END_DECLS
