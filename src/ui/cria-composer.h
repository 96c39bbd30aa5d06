/* cria-composer.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-budget.h"
#include "cria-conversation.h"
#include "cria-message.h"

G_BEGIN_DECLS

#define CRIA_TYPE_COMPOSER (cria_composer_get_type ())

G_DECLARE_FINAL_TYPE (CriaComposer, cria_composer, CRIA, COMPOSER, GtkWidget)

/* Where the next message is written: the text, the images attached to it
 * (a file chooser, drops and pastes), send and stop, and how full the
 * model's context window is. It sends to its "conversation" through one
 * path — text, text with images, or an edited message sent again — and
 * says what the window should show through its signals: "toast" (plain
 * text, not markup) and "sending" (a message is about to join the
 * conversation, so the view follows it).
 *
 * Actions: composer.send (Enter in the text; Shift+Enter breaks the line),
 * composer.stop, composer.attach. */
GtkWidget        *cria_composer_new                (void);

CriaConversation *cria_composer_get_conversation   (CriaComposer     *self);
void              cria_composer_set_conversation   (CriaComposer     *self,
                                                    CriaConversation *conversation);
/* The model list (a GListModel of CriaModel), for names, context sizes and
 * which models can see images. */
GListModel       *cria_composer_get_models         (CriaComposer     *self);
void              cria_composer_set_models         (CriaComposer     *self,
                                                    GListModel       *models);
/* The user message being edited, or NULL: sending then replaces it and the
 * answers after it. Setting a message puts its text in the composer;
 * setting NULL leaves the text as it is. */
CriaMessage      *cria_composer_get_editing        (CriaComposer     *self);
void              cria_composer_set_editing        (CriaComposer     *self,
                                                    CriaMessage      *message);

/* The monthly budget, or NULL. Over it, the first send of each day asks
 * before it goes ("Send Anyway" sends what was written; "Cancel" keeps it),
 * and the other sends that day go without asking. */
CriaBudget       *cria_composer_get_budget         (CriaComposer     *self);
void              cria_composer_set_budget         (CriaComposer     *self,
                                                    CriaBudget       *budget);

/* The tools conversations may offer (the Tools switch turns them on and
 * off per chat); each conversation the composer is told of gets them. */
void              cria_composer_set_toolbox        (CriaComposer     *self,
                                                    CriaToolbox      *toolbox);
/* What searches documents too long to send whole; each conversation the
 * composer is told of gets it. */
void              cria_composer_set_retrieval      (CriaComposer     *self,
                                                    CriaRetrieval    *retrieval);
char             *cria_composer_dup_text           (CriaComposer     *self);
void              cria_composer_set_text           (CriaComposer     *self,
                                                    const char       *text);

/* What the file chooser, a drop and a paste end in. */
void              cria_composer_attach_files       (CriaComposer     *self,
                                                    GSList           *files);
void              cria_composer_attach_texture     (CriaComposer     *self,
                                                    GdkTexture       *texture);
/* A drop's value: a GdkFileList or a GdkTexture. FALSE when it is neither. */
gboolean          cria_composer_drop_value         (CriaComposer     *self,
                                                    const GValue     *value);
/* The user picked @model_id in the window's model picker: the summary is
 * brought up to date, and a model that cannot see images is told to leave
 * the earlier ones out. */
void              cria_composer_model_picked       (CriaComposer     *self,
                                                    const char       *model_id);

G_END_DECLS
