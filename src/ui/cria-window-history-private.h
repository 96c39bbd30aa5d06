/* cria-window-history-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-conversation-list.h"
#include "cria-conversation-recorder.h"
#include "cria-meaning.h"
#include "cria-window-private.h"

G_BEGIN_DECLS

/* The window's history state, shared by cria-window-history.c and
 * cria-window-export.c. */
struct _CriaWindowHistory
{
  CriaStore                *store;
  CriaConversationList     *conversations;
  CriaConversationRecorder *recorder;
  /* The saved id of the conversation about to be shown, if it has one. */
  char                     *pending_id;
  /* The message to show once that conversation is open. */
  char                     *scroll_to;
  GCancellable             *cancellable;
  GCancellable             *search_cancellable;
  GListStore               *results;
  /* Search by meaning, when the app has it; its query is cancelled apart
   * from the word search's. The hits of both for the query on screen. */
  CriaMeaning              *meaning;
  GCancellable             *meaning_cancellable;
  GPtrArray                *word_hits;
  GPtrArray                *meaning_hits;
  CriaConversationRecord   *deleted;
  GPtrArray                *deleted_messages;
  /* The id of the conversation being imported, to open once it is in. */
  char                     *pending_import;
  gint64                    last_error_toast;
  guint                     fill_id;
};

/* cria-window-history.c */
CriaWindowHistory *_cria_window_get_history      (CriaWindow *self);

/* cria-window-export.c: win.export-markdown, win.export-json (with the
 * conversation's id) and win.import-conversation */
void               _cria_window_export_activated (GtkWidget  *widget,
                                                  const char *action_name,
                                                  GVariant   *parameter);
void               _cria_window_import_activated (GtkWidget  *widget,
                                                  const char *action_name,
                                                  GVariant   *parameter);

G_END_DECLS
