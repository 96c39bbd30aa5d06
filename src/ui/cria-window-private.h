/* cria-window-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-budget-banner.h"
#include "cria-chat-view.h"
#include "cria-composer.h"
#include "cria-model-source.h"
#include "cria-sidebar.h"
#include "cria-window.h"

G_BEGIN_DECLS

typedef struct _CriaWindowHistory CriaWindowHistory;

struct _CriaWindow
{
  AdwApplicationWindow  parent_instance;

  CriaClient           *client;
  GSettings            *settings;
  /* The models on offer: the bundled catalogue, then the server's list. */
  CriaModelSource      *model_source;
  CriaConversation     *conversation;
  GBinding             *model_binding;
  GtkWidget            *welcome_page;
  /* A notification about a finished answer is showing. */
  gboolean              notified;

  /* cria-window-history.c */
  CriaWindowHistory    *history;
  AdwFlap              *flap;
  CriaSidebar          *sidebar;

  AdwToastOverlay      *toast_overlay;
  GtkWidget            *model_picker;
  GtkLabel             *cost_label;
  GtkRevealer          *banner;
  GtkLabel             *banner_label;
  /* Holds the budget (cria_window_set_budget()) the cost label shows too. */
  CriaBudgetBanner     *budget_banner;
  GtkStack             *stack;
  /* The transcript of the conversation on screen. */
  CriaChatView         *chat_view;
  CriaComposer         *composer;
  /* The Keyboard Shortcuts window while it is open (a weak pointer). */
  GtkWindow            *shortcuts_window;
};

/* cria-window.c */
void  _cria_window_set_conversation   (CriaWindow       *self,
                                       CriaConversation *conversation);
void  _cria_window_new_conversation   (CriaWindow       *self);
void  _cria_window_refresh_models     (CriaWindow       *self);
/* The models on offer now (a GListModel of CriaModel). */
GListModel      *_cria_window_get_models       (CriaWindow *self);
/* For tests: the window's parts, reached without its struct. */
CriaChatView    *_cria_window_get_chat_view     (CriaWindow *self);
CriaModelSource *_cria_window_get_model_source  (CriaWindow *self);
/* The banner saying the model list could not be refreshed. */
GtkRevealer     *_cria_window_get_banner        (CriaWindow *self);
GtkLabel        *_cria_window_get_banner_label  (CriaWindow *self);
/* The stack of the "chat" and "welcome" pages. */
GtkStack        *_cria_window_get_stack         (CriaWindow *self);
AdwFlap         *_cria_window_get_flap          (CriaWindow *self);
CriaSidebar     *_cria_window_get_sidebar       (CriaWindow *self);
AdwToastOverlay *_cria_window_get_toast_overlay (CriaWindow *self);
GtkWidget       *_cria_window_get_model_picker  (CriaWindow *self);
/* The cost in the header bar, and the banner warning of the budget. */
GtkLabel        *_cria_window_get_cost_label    (CriaWindow *self);
CriaBudgetBanner *_cria_window_get_budget_banner (CriaWindow *self);
void  _cria_window_show_toast         (CriaWindow       *self,
                                       const char       *text);
/* Shows @toast (transfer full). With CRIA_TOAST_TIMEOUT set (seconds, 0:
 * until dismissed), every toast that would go by itself stays that long
 * instead: tests set it so a toast never goes before it has been read. */
void  _cria_window_add_toast          (CriaWindow       *self,
                                       AdwToast         *toast);

/* The composer, for tests. */
CriaComposer *_cria_window_get_composer (CriaWindow     *self);

/* cria-window-actions.c: the command layer, and what the window does for
 * the composer (drops, toasts, following a sent message) */
void  _cria_window_class_init_actions (GtkWidgetClass   *widget_class);
void  _cria_window_init_composer      (CriaWindow       *self);
void  _cria_window_update_actions     (CriaWindow       *self);

/* cria-window-history.c: the sidebar, saving, search, opening, rename, pin and delete */
void        _cria_window_class_init_history (GtkWidgetClass   *widget_class);
void        _cria_window_init_sidebar       (CriaWindow       *self);
void        _cria_window_init_history       (CriaWindow       *self,
                                             CriaStore        *store);
void        _cria_window_dispose_history    (CriaWindow       *self);
/* Search by meaning for the sidebar's search. */
void        _cria_window_history_set_meaning (CriaWindow      *self,
                                              CriaMeaning     *meaning);
/* Starts saving @conversation, which is now on screen. */
void        _cria_window_history_attach     (CriaWindow       *self,
                                             CriaConversation *conversation);
/* The saved id of the conversation on screen. */
const char *_cria_window_history_get_id     (CriaWindow       *self);
/* Shows a saved conversation, scrolled to @message_id if not NULL. */
void        _cria_window_open_saved         (CriaWindow       *self,
                                             const char       *id,
                                             const char       *message_id);

/* cria-window-export.c: what the file choosers' answers lead to */
void        _cria_window_import_file        (CriaWindow       *self,
                                             GFile            *file);
void        _cria_window_export_file        (CriaWindow       *self,
                                             const char       *id,
                                             gboolean          json,
                                             GFile            *file);
/* cria-window-notify.c: a notification when an answer finishes unseen */
void  _cria_window_init_notify        (CriaWindow       *self);
void  _cria_window_busy_changed       (CriaWindow       *self);

G_END_DECLS
