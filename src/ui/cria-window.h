/* cria-window.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-budget.h"
#include "cria-client.h"
#include "cria-conversation.h"
#include "cria-meaning.h"
#include "cria-store.h"

G_BEGIN_DECLS

#define CRIA_TYPE_WINDOW (cria_window_get_type ())

G_DECLARE_FINAL_TYPE (CriaWindow, cria_window, CRIA, WINDOW, AdwApplicationWindow)

/* A window of @application that sends with @client and keeps its history in
 * @store (cria_application_new_window() passes the application's own). */
CriaWindow       *cria_window_new              (GtkApplication  *application,
                                                CriaClient      *client,
                                                CriaStore       *store);
CriaConversation *cria_window_get_conversation (CriaWindow      *self);
/* The key is known (from the environment, the keyring or the welcome page):
 * show the chat and ask the server for its models. */
void              cria_window_show_chat        (CriaWindow      *self);
/* Starts a new chat with @files attached (images and documents) and
 * focuses the composer. */
void              cria_window_open_files       (CriaWindow      *self,
                                                GFile          **files,
                                                int              n_files);
/* The monthly budget: the header's cost label shows the month's share of
 * it, the composer asks before sending over it, and the banner warns of it
 * when told to (cria_window_warn_budget()). */
void              cria_window_set_budget       (CriaWindow      *self,
                                                CriaBudget      *budget);
/* Shows the banner saying this month's spending reached @level (NEAR or OVER). */
void              cria_window_warn_budget      (CriaWindow      *self,
                                                CriaBudgetLevel  level);
/* The sidebar's search also finds conversations by meaning through
 * @meaning when it is enabled. */
void              cria_window_set_meaning      (CriaWindow      *self,
                                                CriaMeaning     *meaning);
/* The tools the window's conversations may offer, the one on screen too. */
void              cria_window_set_toolbox      (CriaWindow      *self,
                                                CriaToolbox     *toolbox);
void              cria_window_set_retrieval    (CriaWindow      *self,
                                                CriaRetrieval   *retrieval);

G_END_DECLS
