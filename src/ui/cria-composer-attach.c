/* cria-composer-attach.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cria-attachment-chip.h"
#include "cria-catalogue.h"
#include "cria-composer-private.h"
#include "cria-document.h"
#include "cria-format.h"
#include "cria-image-preparer.h"
#include "cria-request-plan.h"

/* The vision model offered when the conversation's model sees no images. */
#define DEFAULT_VISION_MODEL "qwen3-vl-8b"
/* Megabytes as g_format_size() shows them. */
#define MEGABYTE (1000 * 1000)
/* Pasted image data is held whole before it is prepared. */
#define MAX_PASTED_BYTES (64 * 1024 * 1024)
#define PASTE_CHUNK (64 * 1024)

/* The formats Cria opens, as a clipboard offers them; the bytes are read,
 * not a texture GTK decoded whole at whatever size and format. */
static const char *pasted_mime_types[] = {
  "image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp", NULL
};

/* The window the composer is in, for the dialogs it opens. */
static GtkWindow *
parent_window (CriaComposer *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static CriaAttachment *
attachment_at (CriaComposer *self,
               guint         position)
{
  CriaAttachment *attachment = g_list_model_get_item (G_LIST_MODEL (self->attachments), position);

  /* The store keeps its own reference. */
  g_object_unref (attachment);
  return attachment;
}

gboolean
_cria_composer_has_attachments (CriaComposer *self)
{
  return self->attachments != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->attachments)) > 0;
}

gint64
_cria_composer_max_request_size (CriaComposer *self)
{
  return (gint64) g_settings_get_int (self->settings, "max-request-size") * MEGABYTE;
}

void
_cria_composer_collect (CriaComposer            *self,
                        CriaComposerAttachments *out)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  memset (out, 0, sizeof *out);
  out->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
  for (guint i = 0; i < n; i++)
    {
      CriaAttachment *attachment = attachment_at (self, i);

      switch (cria_attachment_get_kind (attachment))
        {
        case CRIA_ATTACHMENT_KIND_IMAGE:
          out->n_images++;
          break;
        case CRIA_ATTACHMENT_KIND_DOCUMENT:
          out->n_documents++;
          break;
        case CRIA_ATTACHMENT_KIND_UNKNOWN:
        default:
          break;
        }

      switch (cria_attachment_get_state (attachment))
        {
        case CRIA_ATTACHMENT_STATE_READY:
          if (cria_attachment_get_image (attachment) != NULL)
            g_strv_builder_add (builder, cria_attachment_get_image (attachment)->data_url);
          else if (cria_attachment_get_document (attachment) != NULL)
            {
              CriaDocument *document = cria_attachment_get_document (attachment);

              g_ptr_array_add (out->documents, cria_document_ref (document));
              out->document_tokens += document->tokens;
            }
          break;
        case CRIA_ATTACHMENT_STATE_PREPARING:
          out->n_preparing++;
          break;
        case CRIA_ATTACHMENT_STATE_FAILED:
        default:
          out->n_failed++;
          break;
        }
    }

  out->urls = g_strv_builder_end (builder);
}

void
_cria_composer_attachments_clear (CriaComposerAttachments *attachments)
{
  g_clear_pointer (&attachments->urls, g_strfreev);
  g_clear_pointer (&attachments->documents, g_ptr_array_unref);
}

static const char *
model_display_name (CriaComposer *self,
                    const char   *id)
{
  CriaModel *model = self->models != NULL && id != NULL ? cria_catalogue_find (self->models, id) : NULL;

  return model != NULL ? cria_model_get_name (model) : id;
}

gint64
_cria_composer_document_limit (CriaComposer *self)
{
  return self->conversation != NULL ? cria_conversation_get_inline_document_limit (self->conversation) : 0;
}

double
_cria_composer_input_price (CriaComposer *self)
{
  const char *id = self->conversation != NULL ? cria_conversation_get_model_id (self->conversation) : NULL;
  CriaModel *model = self->models != NULL && id != NULL ? cria_catalogue_find (self->models, id) : NULL;

  return model != NULL ? cria_model_get_input_price (model) : -1;
}

/* What the documents take: their tokens against what a message may carry,
 * and what sending them costs with the conversation's model. */
static char *
join_names (GPtrArray *documents)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < documents->len; i++)
    {
      if (i > 0)
        /* TRANSLATORS: between the names of documents in a list */
        g_string_append (names, _(", "));
      g_string_append (names, ((CriaDocument *) g_ptr_array_index (documents, i))->name);
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* Which documents go whole and which are searched, with what each part
 * costs: the whole ones with the chat model, indexing the others once with
 * the embedding model. */
static char *
describe_split (CriaComposer *self,
                GPtrArray    *inline_documents,
                GPtrArray    *searched)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *model = model_display_name (self, cria_conversation_get_model_id (self->conversation));
  const char *embedding_model = _cria_composer_embedding_model_name (self);
  CriaModel *embedding = _cria_composer_embedding_model (self);
  double price = _cria_composer_input_price (self);
  double embedding_price = embedding != NULL ? cria_model_get_input_price (embedding) : -1;
  gint64 index_tokens = _cria_composer_index_tokens (self, searched);
  g_autofree char *searched_names = join_names (searched);

  if (inline_documents->len > 0)
    {
      gint64 tokens = cria_request_plan_documents_tokens (inline_documents);
      g_autofree char *names = join_names (inline_documents);
      g_autofree char *tokens_text = cria_format_tokens (tokens);
      g_autofree char *cost = price >= 0 ? cria_format_estimated_cost (tokens * price / 1e6) : NULL;

      if (cost != NULL)
        /* TRANSLATORS: document names, their tokens, the cost, the model */
        g_string_append_printf (text, _("Sent whole: %s · about %s tokens · %s with %s"),
                                names, tokens_text, cost, model);
      else
        g_string_append_printf (text, _("Sent whole: %s · about %s tokens"), names, tokens_text);
      g_string_append_c (text, '\n');
    }

  if (index_tokens == 0)
    /* TRANSLATORS: document names */
    g_string_append_printf (text, _("Searched for the passages that answer the question: %s · already indexed"),
                            searched_names);
  else if (index_tokens > 0 && embedding_price >= 0)
    {
      g_autofree char *tokens_text = cria_format_tokens (index_tokens);
      g_autofree char *cost = cria_format_estimated_cost (index_tokens * embedding_price / 1e6);

      /* TRANSLATORS: document names, tokens, an amount, an embedding model's name */
      g_string_append_printf (text, _("Searched for the passages that answer the question: %s · indexing once "
                                      "about %s tokens, %s with %s"),
                              searched_names, tokens_text, cost, embedding_model);
    }
  else if (index_tokens > 0)
    {
      g_autofree char *tokens_text = cria_format_tokens (index_tokens);

      /* TRANSLATORS: document names, tokens, an embedding model's name */
      g_string_append_printf (text, _("Searched for the passages that answer the question: %s · indexing once "
                                      "about %s tokens with %s"),
                              searched_names, tokens_text, embedding_model);
    }
  else
    /* TRANSLATORS: document names, an embedding model's name */
    g_string_append_printf (text, _("Searched for the passages that answer the question: %s · indexed once with %s"),
                            searched_names, embedding_model);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_documents (CriaComposer                  *self,
                    const CriaComposerAttachments *attachments,
                    gboolean                      *problem)
{
  g_autoptr(GPtrArray) inline_documents = NULL;
  g_autoptr(GPtrArray) searched = _cria_composer_split_documents (self, attachments->documents, &inline_documents);

  _cria_composer_update_chips_search (self, searched);
  if (searched->len > 0)
    return describe_split (self, inline_documents, searched);

  gint64 limit = _cria_composer_document_limit (self);
  double price = _cria_composer_input_price (self);
  g_autofree char *tokens = cria_format_tokens (attachments->document_tokens);
  g_autofree char *limit_text = cria_format_tokens (limit);
  g_autofree char *cost = price >= 0 ? cria_format_estimated_cost (attachments->document_tokens * price / 1e6)
                                     : NULL;
  const char *model = model_display_name (self, cria_conversation_get_model_id (self->conversation));

  if (limit > 0 && attachments->document_tokens > limit)
    {
      *problem = TRUE;
      return g_strdup_printf (_("The documents are about %s tokens, more than the %s that %s takes in one "
                                "message: remove one, or pick a model with a longer context."),
                              tokens, limit_text, model);
    }

  if (cost != NULL)
    /* TRANSLATORS: the count of documents, their tokens, the cost, the model */
    return g_strdup_printf (ngettext ("%u document, sent whole · about %s tokens · %s with %s",
                                      "%u documents, sent whole · about %s tokens · %s with %s",
                                      attachments->documents->len),
                            attachments->documents->len, tokens, cost, model);
  return g_strdup_printf (ngettext ("%u document, sent whole · about %s tokens",
                                    "%u documents, sent whole · about %s tokens",
                                    attachments->documents->len),
                          attachments->documents->len, tokens);
}

/* The line under the chips: what is being sent, how big it is, and what
 * stands in the way. */
void
_cria_composer_update_summary (CriaComposer *self)
{
  g_auto(CriaComposerAttachments) attachments = { 0 };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *composer_text = NULL;
  gboolean problem = FALSE;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  gtk_widget_set_visible (self->attachments_box, n > 0);
  if (n == 0 || self->conversation == NULL)
    return;

  /* Each document's chip says what it costs with the model now chosen. */
  for (guint i = 0; i < n; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->attachment_flow, i);

      if (child != NULL && CRIA_IS_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child)))
        cria_attachment_chip_set_input_price (CRIA_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child)),
                                              _cria_composer_input_price (self));
    }

  _cria_composer_collect (self, &attachments);
  composer_text = cria_composer_dup_text (self);

  if (attachments.n_preparing > 0)
    g_string_append_printf (text, ngettext ("Preparing %u attachment…", "Preparing %u attachments…",
                                            attachments.n_preparing),
                            attachments.n_preparing);
  else if (attachments.n_failed > 0)
    {
      g_string_append_printf (text, ngettext ("%u attachment could not be opened: remove it to send.",
                                              "%u attachments could not be opened: remove them to send.",
                                              attachments.n_failed),
                              attachments.n_failed);
      problem = TRUE;
    }
  else
    {
      if (attachments.urls[0] != NULL)
        {
          gint64 size = cria_conversation_estimate_request_size (self->conversation, composer_text,
                                                                (const char * const *) attachments.urls);
          gint64 limit = _cria_composer_max_request_size (self);
          g_autofree char *size_text = g_format_size (size);
          g_autofree char *limit_text = g_format_size (limit);
          guint n_images = g_strv_length (attachments.urls);

          if (size > limit)
            {
              g_string_append_printf (text, _("The request would be %s, more than the limit of %s: remove an "
                                              "image, or lower the image size in Preferences."),
                                      size_text, limit_text);
              problem = TRUE;
            }
          else
            g_string_append_printf (text, ngettext ("%u image · request %s of at most %s",
                                                    "%u images · request %s of at most %s", n_images),
                                    n_images, size_text, limit_text);
        }
      if (attachments.documents->len > 0)
        {
          g_autofree char *documents = describe_documents (self, &attachments, &problem);

          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, documents);
        }
    }

  if (attachments.n_images > 0 && !cria_conversation_can_see_images (self->conversation))
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("%s cannot see images: sending offers a model that can."),
                              model_display_name (self, cria_conversation_get_model_id (self->conversation)));
      problem = TRUE;
    }

  gtk_label_set_text (self->attachment_label, text->str);
  if (problem)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->attachment_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->attachment_label), "warning");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->attachment_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->attachment_label), "dim-label");
    }
}

static void
attachments_changed_cb (CriaComposer *self)
{
  _cria_composer_update_summary (self);
  _cria_composer_update_actions (self);
  _cria_composer_ocr_state_changed (self);
}

static void
remove_attachment (CriaComposer   *self,
                   CriaAttachment *attachment)
{
  guint position;

  if (!g_list_store_find (self->attachments, attachment, &position))
    return;

  /* Removing stops the preparation: nothing more is read or decoded. */
  g_signal_handlers_disconnect_by_data (attachment, self);
  cria_attachment_cancel (attachment);
  g_list_store_remove (self->attachments, position);
  attachments_changed_cb (self);
}

static void
chip_remove_requested_cb (CriaAttachmentChip *chip,
                          CriaComposer       *self)
{
  remove_attachment (self, cria_attachment_chip_get_attachment (chip));
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/* Reading a document's scanned pages costs a request a page: planned
 * first, so the user sees the model and the price before agreeing. */
static void
chip_read_scanned_requested_cb (CriaAttachmentChip *chip,
                                CriaComposer       *self)
{
  _cria_composer_read_scanned (self, cria_attachment_chip_get_attachment (chip));
}

static GtkWidget *
create_chip_cb (gpointer item,
                gpointer user_data)
{
  CriaComposer *self = user_data;
  GtkWidget *chip = cria_attachment_chip_new (CRIA_ATTACHMENT (item));

  g_signal_connect_object (chip, "read-scanned-requested", G_CALLBACK (chip_read_scanned_requested_cb), self, 0);
  cria_attachment_chip_set_input_price (CRIA_ATTACHMENT_CHIP (chip), _cria_composer_input_price (self));
  g_signal_connect_object (chip, "remove-requested", G_CALLBACK (chip_remove_requested_cb), self, 0);

  return chip;
}

static void
add_attachment (CriaComposer   *self,
                CriaAttachment *attachment)
{
  g_signal_connect_object (attachment, "notify::state", G_CALLBACK (attachments_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_list_store_append (self->attachments, attachment);
  cria_attachment_prepare (attachment, g_settings_get_int (self->settings, "image-max-side"));
  attachments_changed_cb (self);
}

void
cria_composer_attach_files (CriaComposer *self,
                            GSList       *files)
{
  g_return_if_fail (CRIA_IS_COMPOSER (self));

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autoptr(CriaAttachment) attachment = cria_attachment_new_for_file (G_FILE (l->data));

      add_attachment (self, attachment);
    }
}

void
cria_composer_attach_texture (CriaComposer *self,
                              GdkTexture   *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  guchar *data;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(CriaAttachment) attachment = NULL;

  g_return_if_fail (CRIA_IS_COMPOSER (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  /* A picture from another app meets the limit a file does, before its
   * pixels are copied. */
  if ((gint64) width * height > CRIA_IMAGE_MAX_PIXELS)
    {
      g_autofree char *message = g_strdup_printf (_("The image is too large to open (%d × %d pixels). Save it as JPEG, or scale it below 50 megapixels."),
                                                  width, height);

      _cria_composer_toast (self, message);
      return;
    }

  /* A copy of the pixels, as they are; converting and encoding them is the
   * worker's job. */
  data = g_try_malloc (stride * height);
  if (data == NULL)
    {
      _cria_composer_toast (self, _("There is not enough memory to open this image. Close other programs, or make the image smaller."));
      return;
    }
  gdk_texture_download (texture, data, stride);
  pixels = g_bytes_new_take (data, stride * height);
  attachment = cria_attachment_new_for_pixels (pixels, width, height, stride, _("Pasted image"));
  add_attachment (self, attachment);
}

gboolean
cria_composer_drop_value (CriaComposer *self,
                          const GValue *value)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files == NULL)
        return FALSE;
      cria_composer_attach_files (self, files);
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE) && g_value_get_object (value) != NULL)
    {
      cria_composer_attach_texture (self, g_value_get_object (value));
      return TRUE;
    }

  return FALSE;
}

static void
pasted_files_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CriaComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);

  if (value == NULL)
    {
      _cria_composer_toast (self, error->message);
      return;
    }

  cria_composer_drop_value (self, value);
}

typedef struct
{
  CriaComposer *composer;
  GByteArray *data;
} PasteRead;

static void
paste_read_free (PasteRead *read)
{
  g_object_unref (read->composer);
  g_byte_array_unref (read->data);
  g_free (read);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasteRead, paste_read_free)

static void
pasted_chunk_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PasteRead) read = user_data;
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (stream, result, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CriaAttachment) attachment = NULL;

  if (chunk == NULL)
    {
      _cria_composer_toast (read->composer, error->message);
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (read->data->len + g_bytes_get_size (chunk) > MAX_PASTED_BYTES)
        {
          g_autofree char *limit = g_format_size (MAX_PASTED_BYTES);
          g_autofree char *message = g_strdup_printf (_("The pasted image is larger than %s. Save it to a file and attach the file."),
                                                      limit);

          _cria_composer_toast (read->composer, message);
          return;
        }
      g_byte_array_append (read->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (stream, PASTE_CHUNK, G_PRIORITY_DEFAULT, NULL,
                                       pasted_chunk_cb, g_steal_pointer (&read));
      return;
    }

  /* The whole picture: prepared like a file, with the same formats and
   * limits. */
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&read->data));
  read->data = g_byte_array_new ();
  attachment = cria_attachment_new_for_bytes (bytes, _("Pasted image"));
  add_attachment (read->composer, attachment);
}

static void
pasted_stream_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CriaComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), result, NULL, &error);
  PasteRead *read;

  if (stream == NULL)
    {
      _cria_composer_toast (self, error->message);
      return;
    }

  read = g_new0 (PasteRead, 1);
  read->composer = g_steal_pointer (&self);
  read->data = g_byte_array_new ();
  g_input_stream_read_bytes_async (stream, PASTE_CHUNK, G_PRIORITY_DEFAULT, NULL, pasted_chunk_cb, read);
}

gboolean
_cria_composer_paste_attachments (CriaComposer *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  /* Copied files first: a file manager also offers their names as text. */
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    {
      gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                      pasted_files_cb, g_object_ref (self));
      return TRUE;
    }

  for (guint i = 0; pasted_mime_types[i] != NULL; i++)
    {
      if (gdk_content_formats_contain_mime_type (formats, pasted_mime_types[i]))
        {
          gdk_clipboard_read_async (clipboard, pasted_mime_types, G_PRIORITY_DEFAULT, NULL,
                                    pasted_stream_cb, g_object_ref (self));
          return TRUE;
        }
    }

  /* A picture only in other formats (TIFF, for one) is not decoded. */
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    {
      _cria_composer_toast (self, _("The copied image is in a format Cria does not open. Copy it as PNG or JPEG, or attach it as a file."));
      return TRUE;
    }

  return FALSE;
}

static void
paste_clipboard_cb (GtkTextView  *view,
                    CriaComposer *self)
{
  if (_cria_composer_paste_attachments (self))
    g_signal_stop_emission_by_name (view, "paste-clipboard");
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     CriaComposer    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GSList) list = NULL;
      guint n = g_list_model_get_n_items (files);

      for (guint i = n; i > 0; i--)
        list = g_slist_prepend (list, g_list_model_get_item (files, i - 1));
      cria_composer_attach_files (self, list);
      g_slist_free_full (g_steal_pointer (&list), g_object_unref);
    }

  /* Not kept for next time: a GtkFileChooserNative holds a hidden
   * GtkFileChooserDialog from its creation on, a toplevel with no AT-SPI
   * object, which can take the app off the accessibility bus (see
   * show_help_overlay_activated() in cria-window-actions.c). */
  if (chooser == GTK_NATIVE_DIALOG (self->attach_chooser))
    g_clear_object (&self->attach_chooser);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

GtkFileChooserNative *
_cria_composer_get_attach_chooser (CriaComposer *self)
{
  static const char * const image_types[] = {
    "image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff",
  };
  /* Text of every kind (plain, Markdown, CSV, source code, logs…), JSON
   * and PDF; the reader refuses what turns out not to be text. */
  static const char * const document_types[] = {
    "text/*", "application/pdf", "application/json", "application/x-yaml", "application/xml",
    "application/x-shellscript", "application/sql", "application/toml",
  };
  g_autoptr(GtkFileFilter) all = NULL;
  g_autoptr(GtkFileFilter) images = NULL;
  g_autoptr(GtkFileFilter) documents = NULL;

  if (self->attach_chooser != NULL)
    return self->attach_chooser;

  /* Native: through the portal when sandboxed, so any file the user picks
   * can be read. */
  self->attach_chooser = gtk_file_chooser_native_new (_("Attach Files"), parent_window (self),
                                                      GTK_FILE_CHOOSER_ACTION_OPEN,
                                                      _("_Attach"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->attach_chooser), TRUE);
  all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, _("Images and Documents"));
  images = gtk_file_filter_new ();
  gtk_file_filter_set_name (images, _("Images"));
  documents = gtk_file_filter_new ();
  gtk_file_filter_set_name (documents, _("Documents"));
  /* The formats Cria reads, by type; not gtk_file_filter_add_pixbuf_formats(),
   * which loses its lists in GTK 4.8 and offers formats (SVG, ICO…) nobody
   * means to send. */
  for (guint i = 0; i < G_N_ELEMENTS (image_types); i++)
    {
      gtk_file_filter_add_mime_type (all, image_types[i]);
      gtk_file_filter_add_mime_type (images, image_types[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (document_types); i++)
    {
      gtk_file_filter_add_mime_type (all, document_types[i]);
      gtk_file_filter_add_mime_type (documents, document_types[i]);
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->attach_chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->attach_chooser), images);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->attach_chooser), documents);
  g_signal_connect_object (self->attach_chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);

  return self->attach_chooser;
}

static void
attach_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (_cria_composer_get_attach_chooser (CRIA_COMPOSER (widget))));
}

/* The model to offer when the current one sees no images: @preferred if
 * the server has it, or else the first that can see. */
static CriaModel *
find_vision_model (CriaComposer *self,
                   const char   *preferred)
{
  CriaModel *model;
  guint n;

  if (self->models == NULL)
    return NULL;

  model = cria_catalogue_find (self->models, preferred);
  if (model != NULL && cria_model_get_available (model))
    return model;

  n = g_list_model_get_n_items (self->models);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaModel) candidate = g_list_model_get_item (self->models, i);

      if (cria_model_get_available (candidate) &&
          cria_model_has_capability (candidate, CRIA_MODEL_CAPABILITY_VISION))
        return candidate;
    }

  return NULL;
}

static void
vision_dialog_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           CriaComposer     *self)
{
  const char *model_id = g_object_get_data (G_OBJECT (dialog), "cria-model-id");

  self->vision_dialog = NULL;
  if (g_str_equal (response, "switch") && model_id != NULL)
    {
      cria_conversation_set_model_id (self->conversation, model_id);
      _cria_composer_send (self);
    }
  else if (g_str_equal (response, "transcribe"))
    _cria_composer_transcribe_images (self);
}

void
_cria_composer_offer_vision_model (CriaComposer *self)
{
  const char *current = model_display_name (self, cria_conversation_get_model_id (self->conversation));
  CriaModel *vision = find_vision_model (self, DEFAULT_VISION_MODEL);
  g_autofree char *heading = g_strdup_printf (_("%s Cannot See Images"), current);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (parent_window (self), heading, NULL);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (vision != NULL)
    {
      g_autofree char *body = g_strdup_printf (_("It would never see the images. Switch this conversation to %s, "
                                                 "which can, and send? The images and your text stay as they are."),
                                               cria_model_get_name (vision));

      /* Or keep the model, and send the images' text instead: a model made
       * to read documents transcribes it, for a price shown first. */
      if (_cria_composer_can_transcribe (self))
        {
          char *joined = g_strconcat (body, "\n\n",
                                      _("Or keep this model, and send the text in the images instead, transcribed "
                                        "by a model that reads."), NULL);

          g_free (body);
          body = joined;
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "transcribe", _("_Transcribe Text…"));
        }
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "switch", _("_Switch and Send"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "switch",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "switch");
      g_object_set_data_full (G_OBJECT (dialog), "cria-model-id",
                              g_strdup (cria_model_get_id (vision)), g_free);
    }
  else
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                 _("It would never see the images, and no model that can see images is "
                                   "available. Remove the images to send the text."));

  g_signal_connect_object (dialog, "response", G_CALLBACK (vision_dialog_response_cb), self, 0);
  self->vision_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_cria_composer_clear_attachments (CriaComposer *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  for (guint i = 0; i < n; i++)
    g_signal_handlers_disconnect_by_data (attachment_at (self, i), self);
  g_list_store_remove_all (self->attachments);
  attachments_changed_cb (self);
}

static gboolean
history_has_images (CriaComposer *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->conversation));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMessage) message = g_list_model_get_item (G_LIST_MODEL (self->conversation), i);

      if (cria_message_get_image_urls (message)[0] != NULL)
        return TRUE;
    }

  return FALSE;
}

/* Earlier images are sent as text only to a model that cannot see them (its
 * server would reject them): said when the user picks such a model. */
void
cria_composer_model_picked (CriaComposer *self,
                            const char   *model_id)
{
  CriaModel *model;

  g_return_if_fail (CRIA_IS_COMPOSER (self));

  _cria_composer_update_summary (self);

  model = model_id != NULL && self->models != NULL ? cria_catalogue_find (self->models, model_id) : NULL;
  if (model == NULL || !cria_model_get_capabilities_known (model) ||
      cria_model_has_capability (model, CRIA_MODEL_CAPABILITY_VISION) ||
      self->conversation == NULL || !history_has_images (self))
    return;

  {
    g_autofree char *text = g_strdup_printf (_("%s cannot see images: the earlier ones in this chat are left out of what it is sent."),
                                             cria_model_get_name (model));

    _cria_composer_toast (self, text);
  }
}

void
_cria_composer_init_attach (CriaComposer *self)
{
  self->attachments = g_list_store_new (CRIA_TYPE_ATTACHMENT);
  gtk_flow_box_bind_model (self->attachment_flow, G_LIST_MODEL (self->attachments),
                           create_chip_cb, self, NULL);
  g_signal_connect (self->text_view, "paste-clipboard", G_CALLBACK (paste_clipboard_cb), self);
}

void
_cria_composer_dispose_attach (CriaComposer *self)
{
  if (self->attachments != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

      for (guint i = 0; i < n; i++)
        {
          CriaAttachment *attachment = attachment_at (self, i);

          g_signal_handlers_disconnect_by_data (attachment, self);
          cria_attachment_cancel (attachment);
        }
    }
  if (self->vision_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->vision_dialog));
  self->vision_dialog = NULL;
  if (self->attach_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->attach_chooser));
  g_clear_object (&self->attach_chooser);
  g_clear_object (&self->attachments);
}

void
_cria_composer_class_init_attach (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "composer.attach", NULL, attach_activated);
}
