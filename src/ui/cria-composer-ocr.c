/* cria-composer-ocr.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text read by a vision model, paid for only after the user has seen the
 * model and the price: a PDF's scanned pages, or the text in images sent
 * to a model that cannot see them. The dialog that asks lets the user pick
 * the model; the choice is kept in the "ocr-model" setting.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-catalogue.h"
#include "cria-composer-private.h"
#include "cria-format.h"

/* The model offered first: made to transcribe documents. */
#define DEFAULT_OCR_MODEL "olmocr-7b"

/* The vision models the server has, the default first, then in the
 * catalogue's order. */
static GPtrArray *
ocr_models (CriaComposer *self)
{
  GPtrArray *models = g_ptr_array_new_with_free_func (g_object_unref);
  CriaModel *preferred;
  guint n;

  if (self->models == NULL)
    return models;

  preferred = cria_catalogue_find (self->models, DEFAULT_OCR_MODEL);
  if (preferred != NULL && cria_model_get_available (preferred))
    g_ptr_array_add (models, g_object_ref (preferred));
  else
    preferred = NULL;

  n = g_list_model_get_n_items (self->models);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (self->models, i);

      if (model != preferred && cria_model_get_available (model) &&
          cria_model_has_capability (model, CRIA_MODEL_CAPABILITY_VISION))
        g_ptr_array_add (models, g_steal_pointer (&model));
    }

  return models;
}

/* Where in @models the remembered model is; a model no longer listed
 * gives the default, the first. */
static guint
chosen_position (CriaComposer *self,
                 GPtrArray    *models)
{
  g_autofree char *id = g_settings_get_string (self->settings, "ocr-model");

  for (guint i = 0; i < models->len; i++)
    if (g_strcmp0 (cria_model_get_id (g_ptr_array_index (models, i)), id) == 0)
      return i;

  return 0;
}

gboolean
_cria_composer_can_transcribe (CriaComposer *self)
{
  g_autoptr(GPtrArray) models = ocr_models (self);

  return models->len > 0;
}

/* One offer: what would be read, the jobs that would read it, and the
 * models to choose from. The dialog owns it. */
typedef struct
{
  GPtrArray        *attachments;
  GPtrArray        *jobs;
  GPtrArray        *models;
  gboolean          images;
  AdwMessageDialog *dialog;
  GtkDropDown      *dropdown;
} OcrOffer;

static void
ocr_offer_free (OcrOffer *offer)
{
  g_clear_pointer (&offer->attachments, g_ptr_array_unref);
  g_clear_pointer (&offer->jobs, g_ptr_array_unref);
  g_clear_pointer (&offer->models, g_ptr_array_unref);
  g_free (offer);
}

static CriaModel *
offer_model (OcrOffer *offer)
{
  guint position = gtk_drop_down_get_selected (offer->dropdown);

  if (position >= offer->models->len)
    position = 0;

  return g_ptr_array_index (offer->models, position);
}

/* The body says what is read, by which model, and what it costs: updated
 * when another model is picked, as prices and caches are the model's. */
static void
update_offer (OcrOffer *offer)
{
  CriaModel *model = offer_model (offer);
  const char *name = cria_model_get_name (model);
  g_autofree char *cost = NULL;
  g_autofree char *body = NULL;
  guint n_pages = 0;
  guint n_cached = 0;
  double total = 0;
  gboolean known = TRUE;

  for (guint i = 0; i < offer->jobs->len; i++)
    {
      CriaDocumentOcr *job = g_ptr_array_index (offer->jobs, i);
      double estimate;

      cria_document_ocr_set_model_id (job, cria_model_get_id (model));
      n_pages += cria_document_ocr_get_n_pages (job);
      n_cached += cria_document_ocr_get_n_cached (job);
      estimate = cria_document_ocr_estimate_cost (job, cria_model_get_input_price (model),
                                                  cria_model_get_output_price (model));
      if (estimate < 0)
        known = FALSE;
      else
        total += estimate;
    }
  cost = known ? cria_format_estimated_cost (total) : g_strdup (_("an unknown price"));

  if (!offer->images)
    /* TRANSLATORS: the model, the pages, the document, then what it costs */
    body = g_strdup_printf (ngettext ("%s transcribes %u page of “%s”, one request a page, for about %s. The text then goes with the document.",
                                      "%s transcribes %u pages of “%s”, one request a page, for about %s. The text then goes with the document.",
                                      n_pages),
                            name, n_pages, cria_attachment_get_name (g_ptr_array_index (offer->attachments, 0)), cost);
  else if (offer->attachments->len == 1)
    /* TRANSLATORS: the model, the image's name, then what it costs */
    body = g_strdup_printf (_("%s reads the text in “%s” in one request, for about %s. The text is then sent in place of the image."),
                            name, cria_attachment_get_name (g_ptr_array_index (offer->attachments, 0)), cost);
  else
    /* TRANSLATORS: the model, the count of images, then what it costs */
    body = g_strdup_printf (ngettext ("%s reads the text in %u image, one request an image, for about %s. The text is then sent in place of the images.",
                                      "%s reads the text in %u images, one request an image, for about %s. The text is then sent in place of the images.",
                                      offer->attachments->len),
                            name, offer->attachments->len, cost);

  if (n_cached > 0)
    {
      g_autofree char *cached = g_strdup_printf (ngettext ("%u of them was read before and costs nothing.",
                                                           "%u of them were read before and cost nothing.", n_cached),
                                                 n_cached);
      char *joined = g_strconcat (body, " ", cached, NULL);

      g_free (body);
      body = joined;
    }

  /* Names are the user's: the body is never markup. */
  adw_message_dialog_set_body (offer->dialog, body);
}

static void
model_selected_cb (GtkDropDown *dropdown,
                   GParamSpec  *pspec,
                   OcrOffer    *offer)
{
  update_offer (offer);
}

static void
offer_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   CriaComposer     *self)
{
  OcrOffer *offer = g_object_get_data (G_OBJECT (dialog), "cria-ocr-offer");
  guint n_started = 0;

  /* The jobs are the user's answer now: their model no longer changes. */
  g_signal_handlers_disconnect_by_func (offer->dropdown, model_selected_cb, offer);
  if (!g_str_equal (response, "read"))
    return;

  g_settings_set_string (self->settings, "ocr-model", cria_model_get_id (offer_model (offer)));
  for (guint i = 0; i < offer->attachments->len; i++)
    {
      CriaAttachment *attachment = g_ptr_array_index (offer->attachments, i);
      guint position;

      /* Removed or changed meanwhile: nothing to read into. */
      if (!g_list_store_find (self->attachments, attachment, &position) ||
          cria_attachment_get_state (attachment) != CRIA_ATTACHMENT_STATE_READY ||
          (offer->images && cria_attachment_get_image (attachment) == NULL))
        continue;
      cria_attachment_run_ocr (attachment, g_ptr_array_index (offer->jobs, i));
      n_started++;
    }

  /* The user was sending: the message goes once the text is in. */
  if (offer->images && n_started > 0)
    self->send_after_ocr = TRUE;
}

static void
show_offer (CriaComposer *self,
            GPtrArray    *attachments,
            GPtrArray    *jobs,
            gboolean      images)
{
  OcrOffer *offer = g_new0 (OcrOffer, 1);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *label;
  GtkWindow *parent;
  guint n_pages = 0;

  offer->attachments = g_ptr_array_ref (attachments);
  offer->jobs = g_ptr_array_ref (jobs);
  offer->models = ocr_models (self);
  offer->images = images;
  if (offer->models->len == 0)
    {
      ocr_offer_free (offer);
      _cria_composer_toast (self, _("No model that can read pages is available."));
      return;
    }

  for (guint i = 0; i < jobs->len; i++)
    n_pages += cria_document_ocr_get_n_pages (g_ptr_array_index (jobs, i));
  if (images)
    heading = g_strdup_printf (ngettext ("Transcribe %u Image?", "Transcribe %u Images?", attachments->len),
                               attachments->len);
  else
    heading = g_strdup_printf (ngettext ("Read %u Scanned Page?", "Read %u Scanned Pages?", n_pages), n_pages);

  parent = GTK_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))) ? GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)))
                                                                  : NULL;
  dialog = adw_message_dialog_new (parent, NULL, NULL);
  offer->dialog = ADW_MESSAGE_DIALOG (dialog);
  adw_message_dialog_set_heading (offer->dialog, heading);

  for (guint i = 0; i < offer->models->len; i++)
    gtk_string_list_append (names, cria_model_get_name (g_ptr_array_index (offer->models, i)));
  offer->dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL));
  gtk_drop_down_set_selected (offer->dropdown, chosen_position (self, offer->models));
  gtk_widget_set_hexpand (GTK_WIDGET (offer->dropdown), TRUE);
  label = gtk_label_new_with_mnemonic (_("_Model"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (offer->dropdown));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (offer->dropdown), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (offer->dropdown));
  adw_message_dialog_set_extra_child (offer->dialog, box);

  adw_message_dialog_add_responses (offer->dialog, "cancel", _("_Cancel"),
                                    "read", images ? _("_Transcribe and Send") : _("_Read"), NULL);
  adw_message_dialog_set_response_appearance (offer->dialog, "read", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (offer->dialog, "read");
  adw_message_dialog_set_close_response (offer->dialog, "cancel");

  g_object_set_data_full (G_OBJECT (dialog), "cria-ocr-offer", offer, (GDestroyNotify) ocr_offer_free);
  update_offer (offer);
  g_signal_connect (offer->dropdown, "notify::selected", G_CALLBACK (model_selected_cb), offer);
  g_signal_connect_object (dialog, "response", G_CALLBACK (offer_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Jobs are planned for every attachment (a PDF is loaded again, an
 * image's bytes hashed) before the offer can say what they cost. */
typedef struct
{
  CriaComposer *composer;
  GPtrArray    *attachments;
  GPtrArray    *jobs;
  guint         n_pending;
  gboolean      images;
  GError       *error;
} OcrPlanning;

static void
ocr_planning_free (OcrPlanning *planning)
{
  g_object_unref (planning->composer);
  g_ptr_array_unref (planning->attachments);
  g_ptr_array_unref (planning->jobs);
  g_clear_error (&planning->error);
  g_free (planning);
}

static void
planned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  OcrPlanning *planning = user_data;
  CriaAttachment *attachment = CRIA_ATTACHMENT (object);
  g_autoptr(GError) error = NULL;
  CriaDocumentOcr *job = cria_attachment_plan_ocr_finish (attachment, result, &error);
  guint position;

  if (job != NULL && g_ptr_array_find (planning->attachments, attachment, &position))
    g_ptr_array_index (planning->jobs, position) = job;
  else if (planning->error == NULL && error != NULL)
    planning->error = g_steal_pointer (&error);
  else
    g_clear_object (&job);

  if (--planning->n_pending > 0)
    return;

  if (planning->error != NULL)
    _cria_composer_toast (planning->composer, planning->error->message);
  else if (gtk_widget_get_root (GTK_WIDGET (planning->composer)) != NULL)
    show_offer (planning->composer, planning->attachments, planning->jobs, planning->images);
  ocr_planning_free (planning);
}

static void
plan (CriaComposer *self,
      GPtrArray    *attachments,
      gboolean      images)
{
  g_autoptr(GPtrArray) models = ocr_models (self);
  CriaClient *client = self->conversation != NULL ? cria_conversation_get_client (self->conversation) : NULL;
  OcrPlanning *planning;
  const char *model_id;

  if (client == NULL || attachments->len == 0)
    return;
  if (models->len == 0)
    {
      _cria_composer_toast (self, _("No model that can read pages is available."));
      return;
    }

  model_id = cria_model_get_id (g_ptr_array_index (models, chosen_position (self, models)));
  planning = g_new0 (OcrPlanning, 1);
  planning->composer = g_object_ref (self);
  planning->attachments = g_ptr_array_ref (attachments);
  planning->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_set_size (planning->jobs, attachments->len);
  planning->n_pending = attachments->len;
  planning->images = images;
  for (guint i = 0; i < attachments->len; i++)
    cria_attachment_plan_ocr_async (g_ptr_array_index (attachments, i), client, model_id, NULL,
                                    planned_cb, planning);
}

void
_cria_composer_read_scanned (CriaComposer   *self,
                             CriaAttachment *attachment)
{
  g_autoptr(GPtrArray) attachments = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (attachments, g_object_ref (attachment));
  plan (self, attachments, FALSE);
}

void
_cria_composer_transcribe_images (CriaComposer *self)
{
  g_autoptr(GPtrArray) attachments = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaAttachment) attachment = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);

      if (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_READY &&
          cria_attachment_get_image (attachment) != NULL)
        g_ptr_array_add (attachments, g_steal_pointer (&attachment));
    }

  plan (self, attachments, TRUE);
}

/* Called whenever an attachment's state changes: once the images the user
 * sent for transcribing are all text, the message goes; a failure or a
 * stop leaves it for the user. */
void
_cria_composer_ocr_state_changed (CriaComposer *self)
{
  g_auto(CriaComposerAttachments) attachments = { 0 };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  if (!self->send_after_ocr)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaAttachment) attachment = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);

      if (cria_attachment_get_ocr_running (attachment))
        return;
    }

  self->send_after_ocr = FALSE;
  _cria_composer_collect (self, &attachments);
  if (attachments.n_images == 0 && attachments.n_preparing == 0 && attachments.n_failed == 0)
    _cria_composer_send (self);
}
