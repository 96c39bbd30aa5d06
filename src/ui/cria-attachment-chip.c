/* cria-attachment-chip.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

#include "cria-attachment-chip.h"
#include "cria-format.h"
#include "cria-image-texture.h"

/* Below this, preparing is too quick for a progress bar to mean anything. */
#define PROGRESS_MIN_SIZE (2 * 1024 * 1024)
#define PREVIEW_SIDE 720
/* How much of a document's text its preview shows, in characters. */
#define PREVIEW_CHARS 1500

struct _CriaAttachmentChip
{
  GtkWidget       parent_instance;

  CriaAttachment *attachment;
  double          input_price;
  /* Searched rather than sent whole: the one-time indexing cost. */
  gboolean        searched;
  char           *embedding_model;
  gint64          index_tokens;
  double          embedding_price;
  double          indexing;
  char           *index_error;
  GCancellable   *preview_cancellable;
  gboolean        preview_loaded;

  GtkWidget      *box;
  GtkButton      *preview_button;
  GtkPicture     *thumbnail;
  GtkLabel       *name_label;
  GtkLabel       *detail_label;
  GtkButton      *action_button;
  GtkProgressBar *progress_bar;
  GtkButton      *remove_button;
  GtkPopover     *preview_popover;
  GtkPicture     *preview_picture;
  GtkLabel       *preview_label;
};

G_DEFINE_FINAL_TYPE (CriaAttachmentChip, cria_attachment_chip, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ATTACHMENT,
  N_PROPS
};

enum {
  REMOVE_REQUESTED,
  READ_SCANNED_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A document's pages, tokens and what sending it costs. */
static char *
describe_document (CriaAttachmentChip *self,
                   CriaDocument       *document)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *tokens = cria_format_tokens (document->tokens);
  g_autofree char *cost = self->input_price >= 0
                          ? cria_format_estimated_cost (document->tokens * self->input_price / 1e6) : NULL;
  guint n_pages = cria_document_get_n_pages (document);

  if (cria_document_is_paged (document))
    {
      g_string_append_printf (text, ngettext ("%u page", "%u pages", n_pages), n_pages);
      g_string_append (text, " · ");
    }
  g_string_append_printf (text, _("about %s tokens"), tokens);
  if (self->searched)
    {
      g_string_append (text, " · ");
      g_string_append (text, _("searched for the passages that answer each question, not sent whole"));
      g_string_append_c (text, '\n');
      if (self->index_tokens == 0)
        g_string_append (text, _("Indexed for searching: nothing more to pay"));
      else if (self->index_tokens > 0 && self->embedding_price >= 0)
        {
          g_autofree char *index_tokens = cria_format_tokens (self->index_tokens);
          g_autofree char *index_cost = cria_format_estimated_cost (self->index_tokens * self->embedding_price / 1e6);

          /* TRANSLATORS: tokens, an amount such as "$0.0021", an embedding model's name */
          g_string_append_printf (text, _("Indexing once: about %s tokens, %s with %s"),
                                  index_tokens, index_cost, self->embedding_model);
        }
      else if (self->index_tokens > 0)
        {
          g_autofree char *index_tokens = cria_format_tokens (self->index_tokens);

          /* TRANSLATORS: tokens, then an embedding model's name */
          g_string_append_printf (text, _("Indexing once: about %s tokens with %s"),
                                  index_tokens, self->embedding_model);
        }
      else
        g_string_append_printf (text, _("Indexed once with %s before the first question"), self->embedding_model);
    }
  else if (cost != NULL)
    g_string_append_printf (text, " · %s", cost);
  if (cria_attachment_get_ocr_error (self->attachment) != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, cria_attachment_get_ocr_error (self->attachment)->message);
    }
  else if (document->n_scanned_pages > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, ngettext ("%u scanned page has no text and is left out.",
                                              "%u scanned pages have no text and are left out.",
                                              document->n_scanned_pages),
                              document->n_scanned_pages);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_ready (CriaAttachmentChip *self)
{
  CriaAttachment *attachment = self->attachment;
  CriaPreparedImage *image = cria_attachment_get_image (attachment);
  g_autofree char *sent = NULL;

  if (cria_attachment_get_document (attachment) != NULL)
    return describe_document (self, cria_attachment_get_document (attachment));

  sent = g_format_size (g_bytes_get_size (image->encoded));

  /* Its text could not be transcribed: the picture is still here. */
  if (cria_attachment_get_ocr_error (attachment) != NULL)
    /* TRANSLATORS: the image's size in pixels, the bytes sent, then why its text could not be read */
    return g_strdup_printf (_("%d × %d, %s\n%s"), image->width, image->height, sent,
                            cria_attachment_get_ocr_error (attachment)->message);

  /* TRANSLATORS: the image's size in pixels, then the bytes sent */
  return g_strdup_printf (_("%d × %d, %s"), image->width, image->height, sent);
}

static void
update_action (CriaAttachmentChip *self)
{
  CriaAttachment *attachment = self->attachment;
  CriaDocument *document = cria_attachment_get_document (attachment);
  const char *label = NULL;

  if (cria_attachment_needs_password (attachment))
    label = _("_Unlock…");
  else if (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_PREPARING &&
           (cria_attachment_get_document (attachment) != NULL || cria_attachment_get_ocr_running (attachment)))
    label = _("_Stop Reading");
  else if (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_READY &&
           document != NULL && document->n_scanned_pages > 0)
    label = _("_Read Scanned Pages…");

  if (label != NULL)
    gtk_button_set_label (self->action_button, label);
  gtk_widget_set_visible (GTK_WIDGET (self->action_button), label != NULL);
}

static void
update (CriaAttachmentChip *self)
{
  CriaAttachment *attachment = self->attachment;
  CriaAttachmentState state = cria_attachment_get_state (attachment);
  gint64 original_size = cria_attachment_get_original_size (attachment);
  const GError *error = cria_attachment_get_error (attachment);
  g_autofree char *detail = NULL;
  g_autofree char *remove_label = NULL;

  gtk_label_set_text (self->name_label, cria_attachment_get_name (attachment));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), cria_attachment_get_name (attachment));
  remove_label = g_strdup_printf (_("Remove %s"), cria_attachment_get_name (attachment));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);

  gtk_widget_remove_css_class (self->box, "error");
  switch (state)
    {
    case CRIA_ATTACHMENT_STATE_PREPARING:
      if (cria_attachment_get_ocr_running (attachment) && cria_attachment_get_image (attachment) != NULL)
        {
          /* Transcribing an image's text: a request that takes seconds. */
          detail = g_strdup (_("Reading the text in the image…"));
          gtk_progress_bar_set_fraction (self->progress_bar, cria_attachment_get_progress (attachment));
          gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
          break;
        }
      if (cria_attachment_get_document (attachment) != NULL)
        {
          /* Reading its scanned pages, a request a page: always worth a bar. */
          detail = g_strdup (_("Reading the scanned pages…"));
          gtk_progress_bar_set_fraction (self->progress_bar, cria_attachment_get_progress (attachment));
          gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
          break;
        }
      if (original_size > 0)
        {
          g_autofree char *size = g_format_size (original_size);

          detail = g_strdup_printf (_("Preparing %s…"), size);
        }
      else
        detail = g_strdup (_("Preparing…"));
      gtk_progress_bar_set_fraction (self->progress_bar, cria_attachment_get_progress (attachment));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                              original_size < 0 || original_size >= PROGRESS_MIN_SIZE);
      break;

    case CRIA_ATTACHMENT_STATE_READY:
      if (self->indexing >= 0)
        {
          detail = g_strdup_printf (_("Indexing for searching with %s…"), self->embedding_model);
          gtk_progress_bar_set_fraction (self->progress_bar, self->indexing);
          gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
          break;
        }
      if (self->searched && self->index_error != NULL)
        {
          detail = g_strdup_printf (_("Could not be indexed: %s"), self->index_error);
          gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
          gtk_widget_add_css_class (self->box, "error");
          break;
        }
      detail = describe_ready (self);
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      break;

    case CRIA_ATTACHMENT_STATE_FAILED:
    default:
      detail = g_strdup (error != NULL ? error->message : _("The attachment could not be prepared."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      gtk_widget_add_css_class (self->box, "error");
      break;
    }

  gtk_label_set_text (self->detail_label, detail);
  update_action (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->preview_button), state == CRIA_ATTACHMENT_STATE_READY);
}

static void
image_changed_cb (CriaAttachmentChip *self)
{
  CriaPreparedImage *image = cria_attachment_get_image (self->attachment);
  g_autoptr(GdkTexture) texture = NULL;

  self->preview_loaded = FALSE;
  if (image == NULL)
    {
      g_autoptr(GtkIconPaintable) icon = NULL;
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

      /* A document shows a page; a failed image a broken picture; one
       * being prepared, nothing yet. */
      if (cria_attachment_get_kind (self->attachment) == CRIA_ATTACHMENT_KIND_DOCUMENT)
        icon = gtk_icon_theme_lookup_icon (theme, "x-office-document-symbolic", NULL, 32, 1, GTK_TEXT_DIR_NONE, 0);
      else if (cria_attachment_get_state (self->attachment) == CRIA_ATTACHMENT_STATE_FAILED)
        icon = gtk_icon_theme_lookup_icon (theme, "image-missing-symbolic", NULL, 32, 1, GTK_TEXT_DIR_NONE, 0);
      gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (icon));
      return;
    }

  /* At most 160 pixels, so decoding it here costs nothing noticeable. */
  texture = gdk_texture_new_from_bytes (image->thumbnail, NULL);
  gtk_picture_set_paintable (self->thumbnail, GDK_PAINTABLE (texture));
}

static void
preview_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CriaAttachmentChip) self = user_data;
  g_autoptr(GdkTexture) texture = cria_image_texture_load_finish (result, NULL);

  if (texture != NULL)
    gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
}

/* The start of the text Cria read, so the user can tell it read the
 * right thing (and that a PDF has text at all). */
static void
show_document_preview (CriaAttachmentChip *self,
                       CriaDocument       *document)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < document->pages->len && g_utf8_strlen (text->str, -1) < PREVIEW_CHARS; i++)
    {
      const char *page = g_ptr_array_index (document->pages, i);

      if (*page == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, page);
    }
  if (g_utf8_strlen (text->str, -1) > PREVIEW_CHARS)
    {
      g_string_truncate (text, g_utf8_offset_to_pointer (text->str, PREVIEW_CHARS) - text->str);
      g_string_append (text, "…");
    }
  if (text->len == 0)
    g_string_append (text, _("This document has no text Cria can read."));

  gtk_widget_set_visible (GTK_WIDGET (self->preview_picture), FALSE);
  gtk_label_set_text (self->preview_label, text->str);
  gtk_popover_popup (self->preview_popover);
}

static void
unlock_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    CriaAttachmentChip *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_str_equal (response, "unlock"))
    cria_attachment_unlock (self->attachment, gtk_editable_get_text (entry));
  gtk_editable_set_text (entry, "");
}

static void
unlock_activate_cb (GtkWidget        *entry,
                    AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "unlock");
  gtk_window_close (GTK_WINDOW (dialog));
}

/* Asks for a protected PDF's password; the attachment reads it again. */
void
cria_attachment_chip_ask_password (CriaAttachmentChip *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  g_return_if_fail (CRIA_IS_ATTACHMENT_CHIP (self));

  heading = g_strdup_printf (_("Unlock “%s”"), cria_attachment_get_name (self->attachment));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL);
  /* The name is the user's file name: never markup. */
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), heading);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               g_error_matches (cria_attachment_get_error (self->attachment), CRIA_DOCUMENT_ERROR,
                                                CRIA_DOCUMENT_ERROR_WRONG_PASSWORD)
                               ? _("That password does not open it. Try again.")
                               : _("This PDF is protected. Its password is used to read it now and is not saved."));
  /* A GtkEntry, not a GtkPasswordEntry: GTK 4.8's password entry reacts to
   * the focus leaving it while its dialog is destroyed, after disposal. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PASSWORD);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "unlock", _("_Unlock"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "unlock", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "unlock");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unlock_response_cb), self, 0);
  g_signal_connect_object (entry, "activate", G_CALLBACK (unlock_activate_cb), dialog, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* The one thing to do next, on the button under the name: unlock a
 * protected PDF, read its scanned pages, or stop reading them. */
static void
action_clicked_cb (CriaAttachmentChip *self)
{
  CriaDocument *document = cria_attachment_get_document (self->attachment);

  if (cria_attachment_needs_password (self->attachment))
    cria_attachment_chip_ask_password (self);
  else if (cria_attachment_get_state (self->attachment) == CRIA_ATTACHMENT_STATE_PREPARING)
    cria_attachment_cancel (self->attachment);
  else if (document != NULL && document->n_scanned_pages > 0)
    g_signal_emit (self, signals[READ_SCANNED_REQUESTED], 0);
}


void
cria_attachment_chip_set_input_price (CriaAttachmentChip *self,
                                      double              usd_per_million)
{
  g_return_if_fail (CRIA_IS_ATTACHMENT_CHIP (self));

  if (self->input_price == usd_per_million)
    return;
  self->input_price = usd_per_million;
  update (self);
}

void
cria_attachment_chip_set_searched (CriaAttachmentChip *self,
                                   gboolean            searched,
                                   const char         *model_name,
                                   gint64              index_tokens,
                                   double              usd_per_million)
{
  g_return_if_fail (CRIA_IS_ATTACHMENT_CHIP (self));

  if (self->searched == searched && g_strcmp0 (self->embedding_model, model_name) == 0 &&
      self->index_tokens == index_tokens && self->embedding_price == usd_per_million)
    return;

  self->searched = searched;
  g_free (self->embedding_model);
  self->embedding_model = g_strdup (model_name);
  self->index_tokens = index_tokens;
  self->embedding_price = usd_per_million;
  update (self);
}

gboolean
cria_attachment_chip_get_searched (CriaAttachmentChip *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT_CHIP (self), FALSE);

  return self->searched;
}

void
cria_attachment_chip_set_indexing (CriaAttachmentChip *self,
                                   double              fraction)
{
  g_return_if_fail (CRIA_IS_ATTACHMENT_CHIP (self));

  if (self->indexing == fraction)
    return;

  self->indexing = fraction < 0 ? -1 : CLAMP (fraction, 0, 1);
  /* Indexing again: the last failure is no longer the news. */
  if (self->indexing >= 0)
    g_clear_pointer (&self->index_error, g_free);
  update (self);
}

void
cria_attachment_chip_set_index_error (CriaAttachmentChip *self,
                                      const char         *message)
{
  g_return_if_fail (CRIA_IS_ATTACHMENT_CHIP (self));

  if (g_strcmp0 (self->index_error, message) == 0)
    return;
  g_free (self->index_error);
  self->index_error = message != NULL ? g_utf8_make_valid (message, -1) : NULL;
  update (self);
}

const char *
cria_attachment_chip_get_index_error (CriaAttachmentChip *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT_CHIP (self), NULL);

  return self->index_error;
}

void
cria_attachment_chip_show_preview (CriaAttachmentChip *self)
{
  CriaPreparedImage *image;
  g_autofree char *original = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (CRIA_IS_ATTACHMENT_CHIP (self));

  if (cria_attachment_get_document (self->attachment) != NULL)
    {
      show_document_preview (self, cria_attachment_get_document (self->attachment));
      return;
    }

  image = cria_attachment_get_image (self->attachment);
  if (image == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->preview_picture), TRUE);

  if (!self->preview_loaded)
    {
      /* The thumbnail stands in until the larger picture is decoded. */
      gtk_picture_set_paintable (self->preview_picture, gtk_picture_get_paintable (self->thumbnail));
      g_cancellable_cancel (self->preview_cancellable);
      g_clear_object (&self->preview_cancellable);
      self->preview_cancellable = g_cancellable_new ();
      cria_image_texture_load_async (image->encoded, NULL, PREVIEW_SIDE, self->preview_cancellable,
                                     preview_loaded_cb, g_object_ref (self));
      self->preview_loaded = TRUE;
    }

  original = g_format_size (image->original_size);
  sent = g_format_size (g_bytes_get_size (image->encoded));
  text = g_strdup_printf (_("Sent as %s, %d × %d pixels, %s (the original: %d × %d, %s). %s"),
                          g_str_equal (image->mime_type, "image/png") ? "PNG" : "JPEG",
                          image->width, image->height, sent,
                          image->original_width, image->original_height, original,
                          image->had_metadata
                          ? _("Its metadata — location (GPS), camera make and serial number, dates — was removed.")
                          : _("No metadata is sent: location, camera details and the like are always removed."));
  gtk_label_set_text (self->preview_label, text);
  gtk_popover_popup (self->preview_popover);
}

static void
preview_clicked_cb (CriaAttachmentChip *self)
{
  cria_attachment_chip_show_preview (self);
}

static void
remove_clicked_cb (CriaAttachmentChip *self)
{
  g_signal_emit (self, signals[REMOVE_REQUESTED], 0);
}

static void
cria_attachment_chip_dispose (GObject *object)
{
  CriaAttachmentChip *self = CRIA_ATTACHMENT_CHIP (object);

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  if (self->attachment != NULL)
    g_signal_handlers_disconnect_by_data (self->attachment, self);
  g_clear_object (&self->attachment);
  g_clear_pointer (&self->embedding_model, g_free);
  g_clear_pointer (&self->index_error, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_ATTACHMENT_CHIP);

  G_OBJECT_CLASS (cria_attachment_chip_parent_class)->dispose (object);
}

static void
cria_attachment_chip_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CriaAttachmentChip *self = CRIA_ATTACHMENT_CHIP (object);

  switch (prop_id)
    {
    case PROP_ATTACHMENT:
      g_value_set_object (value, self->attachment);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_attachment_chip_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CriaAttachmentChip *self = CRIA_ATTACHMENT_CHIP (object);

  switch (prop_id)
    {
    case PROP_ATTACHMENT:
      self->attachment = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_attachment_chip_constructed (GObject *object)
{
  CriaAttachmentChip *self = CRIA_ATTACHMENT_CHIP (object);

  G_OBJECT_CLASS (cria_attachment_chip_parent_class)->constructed (object);

  g_assert (self->attachment != NULL);
  g_signal_connect_swapped (self->attachment, "notify::state", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->attachment, "notify::ocr-error", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->attachment, "notify::progress", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->attachment, "notify::original-size", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->attachment, "notify::image", G_CALLBACK (image_changed_cb), self);
  g_signal_connect_swapped (self->attachment, "notify::kind", G_CALLBACK (image_changed_cb), self);
  update (self);
  image_changed_cb (self);
}

static void
cria_attachment_chip_class_init (CriaAttachmentChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_attachment_chip_dispose;
  object_class->get_property = cria_attachment_chip_get_property;
  object_class->set_property = cria_attachment_chip_set_property;
  object_class->constructed = cria_attachment_chip_constructed;

  properties[PROP_ATTACHMENT] =
    g_param_spec_object ("attachment", NULL, NULL, CRIA_TYPE_ATTACHMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REMOVE_REQUESTED] =
    g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The user asked to read the document's scanned pages: the composer,
   * which knows the models and their prices, asks what it would cost. */
  signals[READ_SCANNED_REQUESTED] =
    g_signal_new ("read-scanned-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-attachment-chip.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, box);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, preview_button);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, name_label);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, action_button);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, preview_popover);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, CriaAttachmentChip, preview_label);
  gtk_widget_class_bind_template_callback (widget_class, preview_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, action_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "criaattachmentchip");
}

static void
cria_attachment_chip_init (CriaAttachmentChip *self)
{
  self->input_price = -1;
  self->index_tokens = -1;
  self->embedding_price = -1;
  self->indexing = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cria_attachment_chip_new (CriaAttachment *attachment)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (attachment), NULL);

  return g_object_new (CRIA_TYPE_ATTACHMENT_CHIP, "attachment", attachment, NULL);
}

CriaAttachment *
cria_attachment_chip_get_attachment (CriaAttachmentChip *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT_CHIP (self), NULL);

  return self->attachment;
}
