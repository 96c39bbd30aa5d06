/* cria-window-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-window.h"

G_BEGIN_DECLS

struct _CriaWindow
{
  AdwApplicationWindow  parent_instance;

  CriaClient           *client;
  GSettings            *settings;
  GListModel           *models;
  CriaConversation     *conversation;
  GBinding             *model_binding;
  GCancellable         *models_cancellable;
  guint                 retry_id;
  guint                 retry_delay;
  /* The user message being edited from the composer, or NULL. */
  CriaMessage          *editing;
  GtkWidget            *welcome_page;
  gboolean              stick_to_bottom;
  gboolean              scrolling;
  double                last_scroll_value;
  guint                 scroll_tick_id;
  /* A notification about a finished answer is showing. */
  gboolean              notified;

  AdwToastOverlay      *toast_overlay;
  GtkWidget            *model_picker;
  GtkLabel             *cost_label;
  GtkRevealer          *banner;
  GtkLabel             *banner_label;
  GtkStack             *stack;
  GtkStack             *chat_stack;
  GtkScrolledWindow    *scroller;
  GtkListView          *list_view;
  GtkLabel             *context_label;
  GtkLevelBar          *context_meter;
  GtkTextView          *composer_view;
  GtkButton            *send_button;
  GtkButton            *stop_button;
};

/* cria-window.c */
void  _cria_window_set_conversation   (CriaWindow       *self,
                                       CriaConversation *conversation);
void  _cria_window_new_conversation   (CriaWindow       *self);
void  _cria_window_refresh_models     (CriaWindow       *self);
/* Refreshes the context meter and the warning about left-out turns. */
void  _cria_window_update_context     (CriaWindow       *self);
void  _cria_window_show_toast         (CriaWindow       *self,
                                       const char       *text);

/* cria-window-actions.c: the command layer and the composer */
void  _cria_window_class_init_actions (GtkWidgetClass   *widget_class);
void  _cria_window_init_composer      (CriaWindow       *self);
void  _cria_window_update_actions     (CriaWindow       *self);
char *_cria_window_dup_composer_text  (CriaWindow       *self);

/* cria-window-notify.c: a notification when an answer finishes unseen */
void  _cria_window_init_notify        (CriaWindow       *self);
void  _cria_window_busy_changed       (CriaWindow       *self);

G_END_DECLS
