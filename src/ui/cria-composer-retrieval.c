/* cria-composer-retrieval.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-attachment-chip.h"
#include "cria-catalogue.h"
#include "cria-composer-private.h"
#include "cria-request-plan.h"

/* Documents too long to send whole: their chips say they will be searched
 * and what indexing them once costs (asked of the retrieval, once per
 * document and embedding model); while a send indexes them, their chips
 * show how far it got, and the text and chips stay until the question is
 * in the conversation, so a stop or a failure loses nothing. */

/* The key of a plan: the embedding model, then the document's hash. */
static char *
plan_key (CriaComposer *self,
          CriaDocument *document)
{
  return g_strconcat (cria_retrieval_get_model (self->retrieval), "\n", document->hash, NULL);
}

CriaModel *
_cria_composer_embedding_model (CriaComposer *self)
{
  if (self->retrieval == NULL || self->models == NULL)
    return NULL;

  return cria_catalogue_find (self->models, cria_retrieval_get_model (self->retrieval));
}

const char *
_cria_composer_embedding_model_name (CriaComposer *self)
{
  CriaModel *model = _cria_composer_embedding_model (self);

  if (model != NULL)
    return cria_model_get_name (model);

  return self->retrieval != NULL ? cria_retrieval_get_model (self->retrieval) : "";
}

typedef struct
{
  CriaComposer *composer;
  char         *key;
} PlanRequest;

static void
plan_request_free (PlanRequest *request)
{
  g_object_unref (request->composer);
  g_free (request->key);
  g_free (request);
}

static void
planned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PlanRequest *request = user_data;
  CriaComposer *self = request->composer;
  g_autoptr(GError) error = NULL;
  guint n_chunks = 0;
  guint n_missing = 0;
  gint64 missing_tokens = -1;

  if (!cria_retrieval_plan_finish (CRIA_RETRIEVAL (object), result, &n_chunks, &n_missing, &missing_tokens, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->plans != NULL)
        g_hash_table_remove (self->plans, request->key);
      plan_request_free (request);
      return;
    }

  if (self->plans != NULL)
    {
      g_hash_table_insert (self->plans, g_strdup (request->key), g_memdup2 (&missing_tokens, sizeof missing_tokens));
      _cria_composer_update_summary (self);
    }
  plan_request_free (request);
}

/* The tokens indexing @document still needs, or -1 while that is being
 * asked. */
static gint64
index_tokens (CriaComposer *self,
              CriaDocument *document)
{
  g_autofree char *key = plan_key (self, document);
  gint64 *tokens;
  PlanRequest *request;

  if (g_hash_table_lookup_extended (self->plans, key, NULL, (gpointer *) &tokens))
    return tokens != NULL ? *tokens : -1;

  /* A NULL value marks the plan as asked. */
  g_hash_table_insert (self->plans, g_strdup (key), NULL);
  request = g_new0 (PlanRequest, 1);
  request->composer = g_object_ref (self);
  request->key = g_steal_pointer (&key);
  cria_retrieval_plan_async (self->retrieval, document, self->plan_cancellable, planned_cb, request);

  return -1;
}

gint64
_cria_composer_index_tokens (CriaComposer *self,
                             GPtrArray    *searched)
{
  gint64 total = 0;

  for (guint i = 0; searched != NULL && i < searched->len; i++)
    {
      gint64 tokens = index_tokens (self, g_ptr_array_index (searched, i));

      if (tokens < 0)
        return -1;
      total += tokens;
    }

  return total;
}

static gboolean
is_searched (GPtrArray    *searched,
             CriaDocument *document)
{
  for (guint i = 0; searched != NULL && i < searched->len; i++)
    if (g_str_equal (((CriaDocument *) g_ptr_array_index (searched, i))->hash, document->hash))
      return TRUE;

  return FALSE;
}

/* Tells each document's chip whether it is searched, and what indexing it
 * costs. */
void
_cria_composer_update_chips_search (CriaComposer *self,
                                    GPtrArray    *searched)
{
  CriaModel *model = _cria_composer_embedding_model (self);
  double price = model != NULL ? cria_model_get_input_price (model) : -1;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  for (guint i = 0; i < n; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->attachment_flow, i);
      CriaAttachmentChip *chip;
      CriaDocument *document;

      if (child == NULL || !CRIA_IS_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child)))
        continue;
      chip = CRIA_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child));
      document = cria_attachment_get_document (cria_attachment_chip_get_attachment (chip));
      if (document == NULL || !is_searched (searched, document))
        {
          cria_attachment_chip_set_searched (chip, FALSE, NULL, -1, -1);
          continue;
        }
      cria_attachment_chip_set_searched (chip, TRUE, _cria_composer_embedding_model_name (self),
                                         index_tokens (self, document), price);
    }
}

/* The documents of @documents that will be searched, not sent whole. */
GPtrArray *
_cria_composer_split_documents (CriaComposer *self,
                                GPtrArray    *documents,
                                GPtrArray   **inline_documents)
{
  GPtrArray *searched = NULL;

  if (self->conversation == NULL || self->retrieval == NULL ||
      cria_conversation_get_retrieval (self->conversation) == NULL)
    {
      if (inline_documents != NULL)
        *inline_documents = g_ptr_array_ref (documents);
      return g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
    }

  cria_request_plan_split_documents (documents, cria_conversation_get_inline_document_limit (self->conversation),
                                     inline_documents, &searched);
  return searched;
}

static CriaAttachmentChip *
chip_for_document (CriaComposer *self,
                   CriaDocument *document)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  for (guint i = 0; i < n; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->attachment_flow, i);
      CriaAttachmentChip *chip;
      CriaDocument *shown;

      if (child == NULL || !CRIA_IS_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child)))
        continue;
      chip = CRIA_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child));
      shown = cria_attachment_get_document (cria_attachment_chip_get_attachment (chip));
      if (shown != NULL && g_str_equal (shown->hash, document->hash))
        return chip;
    }

  return NULL;
}

static void
indexing_progress_cb (CriaComposer *self,
                      CriaDocument *document,
                      guint         n_done,
                      guint         n_total,
                      CriaConversation *conversation)
{
  CriaAttachmentChip *chip = chip_for_document (self, document);

  if (chip != NULL)
    cria_attachment_chip_set_indexing (chip, n_total > 0 ? (double) n_done / n_total : 0);
}

static void
stop_chips_indexing (CriaComposer *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  for (guint i = 0; i < n; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->attachment_flow, i);

      if (child != NULL && CRIA_IS_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child)))
        cria_attachment_chip_set_indexing (CRIA_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child)), -1);
    }
}

/* Indexing failed: each searched document's chip says why, as well as the
 * toast, until it is indexed again. */
void
_cria_composer_show_index_error (CriaComposer *self,
                                 const char   *message)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  for (guint i = 0; i < n; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->attachment_flow, i);
      GtkWidget *chip = child != NULL ? gtk_flow_box_child_get_child (child) : NULL;

      if (CRIA_IS_ATTACHMENT_CHIP (chip) && cria_attachment_chip_get_searched (CRIA_ATTACHMENT_CHIP (chip)))
        cria_attachment_chip_set_index_error (CRIA_ATTACHMENT_CHIP (chip), message);
    }
}

static void
busy_changed_cb (CriaComposer *self)
{
  if (!cria_conversation_get_busy (self->conversation))
    stop_chips_indexing (self);
}

/* The question went into the conversation: the tray and the text it was
 * sent with go. Text typed meanwhile stays. */
static void
items_changed_cb (CriaComposer *self)
{
  g_autofree char *text = NULL;

  if (self->pending_text == NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (self->conversation)) <= self->pending_n_before)
    return;

  text = cria_composer_dup_text (self);
  if (g_strcmp0 (text, self->pending_text) == 0)
    cria_composer_set_text (self, "");
  g_clear_pointer (&self->pending_text, g_free);
  _cria_composer_clear_attachments (self);
  /* What was indexed costs nothing any more. */
  g_hash_table_remove_all (self->plans);
}

void
_cria_composer_send_pending (CriaComposer *self,
                             const char   *text,
                             guint         n_before)
{
  g_free (self->pending_text);
  self->pending_text = g_strdup (text);
  self->pending_n_before = n_before;
}

/* The send ended: if its question never went in (stopped or failed while
 * indexing), everything stays for the next try. */
gboolean
_cria_composer_send_ended (CriaComposer *self)
{
  gboolean was_pending = self->pending_text != NULL;

  g_clear_pointer (&self->pending_text, g_free);
  stop_chips_indexing (self);
  g_hash_table_remove_all (self->plans);
  _cria_composer_update_summary (self);

  return was_pending;
}

void
_cria_composer_attach_retrieval (CriaComposer     *self,
                                 CriaConversation *conversation)
{
  g_clear_pointer (&self->pending_text, g_free);
  if (conversation == NULL)
    return;

  if (self->retrieval != NULL)
    cria_conversation_set_retrieval (conversation, self->retrieval);
  g_signal_connect_swapped (conversation, "indexing-progress", G_CALLBACK (indexing_progress_cb), self);
  g_signal_connect_swapped (conversation, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect_swapped (conversation, "notify::busy", G_CALLBACK (busy_changed_cb), self);
}

static void
model_changed_cb (CriaComposer *self)
{
  _cria_composer_update_summary (self);
}

void
_cria_composer_init_retrieval (CriaComposer *self)
{
  self->plans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->plan_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->settings, "changed::embedding-model", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
_cria_composer_dispose_retrieval (CriaComposer *self)
{
  g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  g_clear_pointer (&self->plans, g_hash_table_unref);
  g_clear_pointer (&self->pending_text, g_free);
  g_clear_object (&self->retrieval);
}

/**
 * cria_composer_set_retrieval:
 * @retrieval: (nullable): what searches documents too long to send whole,
 *   given to each conversation the composer is told of
 */
void
cria_composer_set_retrieval (CriaComposer  *self,
                             CriaRetrieval *retrieval)
{
  g_return_if_fail (CRIA_IS_COMPOSER (self));
  g_return_if_fail (retrieval == NULL || CRIA_IS_RETRIEVAL (retrieval));

  if (!g_set_object (&self->retrieval, retrieval))
    return;

  if (self->conversation != NULL)
    cria_conversation_set_retrieval (self->conversation, retrieval);
  _cria_composer_update_summary (self);
}
