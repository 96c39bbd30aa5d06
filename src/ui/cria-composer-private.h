/* cria-composer-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-attachment.h"
#include "cria-composer.h"
#include "cria-model.h"

G_BEGIN_DECLS

struct _CriaComposer
{
  GtkWidget             parent_instance;

  CriaConversation     *conversation;
  GListModel           *models;
  GSettings            *settings;
  /* The user message being edited, or NULL. */
  CriaMessage          *editing;

  /* Images and documents waiting to be sent: cria-composer-attach.c. */
  GListStore           *attachments;
  GtkFileChooserNative *attach_chooser;
  GtkWidget            *vision_dialog;
  /* Images are being transcribed for a message the user sent: it goes
   * when they are text (cria-composer-ocr.c). */
  gboolean              send_after_ocr;

  /* The month's spending; over it, a send asks first: cria-composer-budget.c. */
  CriaBudget           *budget;
  GtkWidget            *budget_dialog;

  GtkLabel             *context_label;
  GtkWidget            *attachments_box;
  GtkFlowBox           *attachment_flow;
  GtkLabel             *attachment_label;
  GtkButton            *attach_button;
  GtkTextView          *text_view;
  GtkLevelBar          *context_meter;
  GtkButton            *send_button;
  GtkButton            *stop_button;

  /* The Tools switch: cria-composer-tools.c. */
  CriaToolbox          *toolbox;
  GtkToggleButton      *tools_button;

  /* Long documents: cria-composer-retrieval.c. */
  CriaRetrieval        *retrieval;
  /* What indexing each document still costs, by model and hash (gint64*,
   * NULL while being asked). */
  GHashTable           *plans;
  GCancellable         *plan_cancellable;
  /* The text of a send whose question waits for its documents to be
   * indexed, and the conversation's length before it. */
  char                 *pending_text;
  guint                 pending_n_before;
};

/* cria-composer.c */
void      _cria_composer_update_actions     (CriaComposer *self);
void      _cria_composer_toast              (CriaComposer *self,
                                             const char   *text);
/* The one way a message leaves the composer: its text, its images if any,
 * or the edited message, after the checks. */
void      _cria_composer_send               (CriaComposer *self);

/* cria-composer-tools.c */
void      _cria_composer_update_tools       (CriaComposer     *self);
void      _cria_composer_tools_toggled_cb   (GtkToggleButton  *button,
                                             CriaComposer     *self);
void      _cria_composer_attach_tools       (CriaComposer     *self,
                                             CriaConversation *old,
                                             CriaConversation *conversation);
void      _cria_composer_dispose_tools      (CriaComposer     *self);

/* cria-composer-retrieval.c */
void       _cria_composer_init_retrieval       (CriaComposer     *self);
void       _cria_composer_dispose_retrieval    (CriaComposer     *self);
void       _cria_composer_attach_retrieval     (CriaComposer     *self,
                                                CriaConversation *conversation);
CriaModel *_cria_composer_embedding_model      (CriaComposer     *self);
const char *_cria_composer_embedding_model_name (CriaComposer    *self);
/* The searched documents of @documents (and, optionally, those sent whole). */
GPtrArray *_cria_composer_split_documents      (CriaComposer     *self,
                                                GPtrArray        *documents,
                                                GPtrArray       **inline_documents);
/* What indexing @searched still costs, in tokens; -1 while unknown. */
gint64     _cria_composer_index_tokens         (CriaComposer     *self,
                                                GPtrArray        *searched);
void       _cria_composer_update_chips_search  (CriaComposer     *self,
                                                GPtrArray        *searched);
/* A send whose question waits for indexing; and its end, TRUE when the
 * question never went in. */
void       _cria_composer_send_pending         (CriaComposer     *self,
                                                const char       *text,
                                                guint             n_before);
gboolean   _cria_composer_send_ended           (CriaComposer     *self);
void       _cria_composer_show_index_error     (CriaComposer     *self,
                                                const char       *message);

/* cria-composer-budget.c */
/* TRUE when a send may go now; FALSE when it is over the month's budget and
 * the day's question is asked instead: "Send Anyway" sends again. */
gboolean  _cria_composer_check_budget       (CriaComposer *self);
void      _cria_composer_dispose_budget     (CriaComposer *self);

/* cria-composer-attach.c */
void      _cria_composer_init_attach        (CriaComposer *self);
void      _cria_composer_dispose_attach     (CriaComposer *self);
gboolean  _cria_composer_has_attachments    (CriaComposer *self);
/* What the attachments come to: the ready images' data URLs and
 * documents, and how many are not ready. */
typedef struct
{
  GStrv      urls;
  GPtrArray *documents;
  guint      n_images;
  guint      n_documents;
  guint      n_preparing;
  guint      n_failed;
  gint64     document_tokens;
} CriaComposerAttachments;

void      _cria_composer_collect            (CriaComposer            *self,
                                             CriaComposerAttachments *out);
void      _cria_composer_attachments_clear  (CriaComposerAttachments *attachments);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CriaComposerAttachments, _cria_composer_attachments_clear)
/* The tokens the documents may take in one message, and the model's
 * input price (USD per million tokens, negative when unknown). */
gint64    _cria_composer_document_limit     (CriaComposer *self);
double    _cria_composer_input_price        (CriaComposer *self);
void      _cria_composer_update_summary     (CriaComposer *self);
/* Asks whether to switch to a model that can see the images. */
void      _cria_composer_offer_vision_model (CriaComposer *self);
/* Empties the tray once its images are in the conversation. */
void      _cria_composer_clear_attachments  (CriaComposer *self);
gint64    _cria_composer_max_request_size   (CriaComposer *self);
/* Starts pasting images or image files from the clipboard; FALSE when it
 * holds neither, so text pastes as usual. */
gboolean  _cria_composer_paste_attachments  (CriaComposer *self);
/* The file chooser composer.attach shows, made on first use. */
GtkFileChooserNative *_cria_composer_get_attach_chooser (CriaComposer *self);
void      _cria_composer_class_init_attach  (GtkWidgetClass *widget_class);

/* cria-composer-ocr.c */
/* Whether a model that can read pages and images is available. */
gboolean  _cria_composer_can_transcribe     (CriaComposer   *self);
/* Offer to read @attachment's scanned pages, the model and cost shown. */
void      _cria_composer_read_scanned       (CriaComposer   *self,
                                             CriaAttachment *attachment);
/* Offer to transcribe the text of the images attached, then send. */
void      _cria_composer_transcribe_images  (CriaComposer   *self);
void      _cria_composer_ocr_state_changed  (CriaComposer   *self);

/* For tests: the composer's parts. */
GtkTextView *_cria_composer_get_text_view        (CriaComposer *self);
GtkButton   *_cria_composer_get_send_button      (CriaComposer *self);
GtkButton   *_cria_composer_get_stop_button      (CriaComposer *self);
GtkButton   *_cria_composer_get_attach_button    (CriaComposer *self);
GListModel  *_cria_composer_get_attachments      (CriaComposer *self);
GtkWidget   *_cria_composer_get_attachments_box  (CriaComposer *self);
GtkFlowBox  *_cria_composer_get_attachment_flow  (CriaComposer *self);
GtkLabel    *_cria_composer_get_attachment_label (CriaComposer *self);
GtkWidget   *_cria_composer_get_vision_dialog    (CriaComposer *self);
GtkWidget   *_cria_composer_get_budget_dialog    (CriaComposer *self);
GtkLevelBar *_cria_composer_get_context_meter    (CriaComposer *self);
GtkLabel    *_cria_composer_get_context_label    (CriaComposer *self);

G_END_DECLS
