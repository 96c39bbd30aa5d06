/* cria-window-attach.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-attachment-chip.h"
#include "cria-catalogue.h"
#include "cria-image-preparer.h"
#include "cria-window-private.h"

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

static CriaAttachment *
attachment_at (CriaWindow *self,
               guint       position)
{
  CriaAttachment *attachment = g_list_model_get_item (G_LIST_MODEL (self->attachments), position);

  /* The store keeps its own reference. */
  g_object_unref (attachment);
  return attachment;
}

gboolean
_cria_window_has_attachments (CriaWindow *self)
{
  return self->attachments != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->attachments)) > 0;
}

static gint64
max_request_size (CriaWindow *self)
{
  return (gint64) g_settings_get_int (self->settings, "max-request-size") * MEGABYTE;
}

/* The data URLs of the ready images, and how many are not ready. */
static GStrv
collect_urls (CriaWindow *self,
              guint      *n_preparing,
              guint      *n_failed)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  *n_preparing = *n_failed = 0;
  for (guint i = 0; i < n; i++)
    {
      CriaAttachment *attachment = attachment_at (self, i);

      switch (cria_attachment_get_state (attachment))
        {
        case CRIA_ATTACHMENT_STATE_READY:
          g_strv_builder_add (builder, cria_attachment_get_image (attachment)->data_url);
          break;
        case CRIA_ATTACHMENT_STATE_PREPARING:
          (*n_preparing)++;
          break;
        case CRIA_ATTACHMENT_STATE_FAILED:
        default:
          (*n_failed)++;
          break;
        }
    }

  return g_strv_builder_end (builder);
}

static const char *
model_display_name (CriaWindow *self,
                    const char *id)
{
  CriaModel *model = _cria_window_get_models (self) != NULL && id != NULL ? cria_catalogue_find (_cria_window_get_models (self), id) : NULL;

  return model != NULL ? cria_model_get_name (model) : id;
}

/* The line under the chips: what is being sent, how big it is, and what
 * stands in the way. */
static void
update_summary (CriaWindow *self)
{
  g_auto(GStrv) urls = NULL;
  g_autofree char *text = NULL;
  g_autofree char *composer_text = NULL;
  gboolean problem = FALSE;
  guint n_preparing, n_failed;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  gtk_widget_set_visible (self->attachments_box, n > 0);
  if (n == 0 || self->conversation == NULL)
    return;

  urls = collect_urls (self, &n_preparing, &n_failed);
  composer_text = _cria_window_dup_composer_text (self);

  if (n_preparing > 0)
    text = g_strdup_printf (ngettext ("Preparing %u image…", "Preparing %u images…", n_preparing), n_preparing);
  else if (n_failed > 0)
    {
      text = g_strdup_printf (ngettext ("%u image could not be opened: remove it to send.",
                                        "%u images could not be opened: remove them to send.", n_failed),
                              n_failed);
      problem = TRUE;
    }
  else
    {
      gint64 size = cria_conversation_estimate_request_size (self->conversation, composer_text,
                                                            (const char * const *) urls);
      gint64 limit = max_request_size (self);
      g_autofree char *size_text = g_format_size (size);
      g_autofree char *limit_text = g_format_size (limit);

      if (size > limit)
        {
          text = g_strdup_printf (_("The request would be %s, more than the limit of %s: remove an image, "
                                    "or lower the image size in Preferences."),
                                  size_text, limit_text);
          problem = TRUE;
        }
      else
        text = g_strdup_printf (ngettext ("%u image · request %s of at most %s",
                                          "%u images · request %s of at most %s", n),
                                n, size_text, limit_text);
    }

  if (!cria_conversation_can_see_images (self->conversation))
    {
      g_autofree char *warning =
        g_strdup_printf (_("%s cannot see images: sending offers a model that can."),
                         model_display_name (self, cria_conversation_get_model_id (self->conversation)));
      char *joined = g_strconcat (text, "\n", warning, NULL);

      g_free (text);
      text = joined;
      problem = TRUE;
    }

  gtk_label_set_text (self->attachment_label, text);
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
attachments_changed_cb (CriaWindow *self)
{
  update_summary (self);
  _cria_window_update_actions (self);
}

static void
remove_attachment (CriaWindow     *self,
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
                          CriaWindow         *self)
{
  remove_attachment (self, cria_attachment_chip_get_attachment (chip));
  gtk_widget_grab_focus (GTK_WIDGET (self->composer_view));
}

static GtkWidget *
create_chip_cb (gpointer item,
                gpointer user_data)
{
  CriaWindow *self = user_data;
  GtkWidget *chip = cria_attachment_chip_new (CRIA_ATTACHMENT (item));

  g_signal_connect_object (chip, "remove-requested", G_CALLBACK (chip_remove_requested_cb), self, 0);

  return chip;
}

static void
add_attachment (CriaWindow     *self,
                CriaAttachment *attachment)
{
  g_signal_connect_object (attachment, "notify::state", G_CALLBACK (attachments_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_list_store_append (self->attachments, attachment);
  cria_attachment_prepare (attachment, g_settings_get_int (self->settings, "image-max-side"));
  attachments_changed_cb (self);
}

void
_cria_window_attach_files (CriaWindow *self,
                           GSList     *files)
{
  g_return_if_fail (CRIA_IS_WINDOW (self));

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autoptr(CriaAttachment) attachment = cria_attachment_new_for_file (G_FILE (l->data));

      add_attachment (self, attachment);
    }
}

void
_cria_window_attach_texture (CriaWindow *self,
                             GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  guchar *data;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(CriaAttachment) attachment = NULL;

  g_return_if_fail (CRIA_IS_WINDOW (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  /* A picture from another app meets the limit a file does, before its
   * pixels are copied. */
  if ((gint64) width * height > CRIA_IMAGE_MAX_PIXELS)
    {
      g_autofree char *message = g_strdup_printf (_("The image is too large to open (%d × %d pixels). Save it as JPEG, or scale it below 50 megapixels."),
                                                  width, height);

      _cria_window_show_toast (self, message);
      return;
    }

  /* A copy of the pixels, as they are; converting and encoding them is the
   * worker's job. */
  data = g_try_malloc (stride * height);
  if (data == NULL)
    {
      _cria_window_show_toast (self, _("There is not enough memory to open this image. Close other programs, or make the image smaller."));
      return;
    }
  gdk_texture_download (texture, data, stride);
  pixels = g_bytes_new_take (data, stride * height);
  attachment = cria_attachment_new_for_pixels (pixels, width, height, stride, _("Pasted image"));
  add_attachment (self, attachment);
}

gboolean
_cria_window_drop_value (CriaWindow   *self,
                         const GValue *value)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files == NULL)
        return FALSE;
      _cria_window_attach_files (self, files);
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE) && g_value_get_object (value) != NULL)
    {
      _cria_window_attach_texture (self, g_value_get_object (value));
      return TRUE;
    }

  return FALSE;
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CriaWindow    *self)
{
  return _cria_window_drop_value (self, value);
}

static void
pasted_files_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);

  if (value == NULL)
    {
      _cria_window_show_toast (self, error->message);
      return;
    }

  _cria_window_drop_value (self, value);
}

typedef struct
{
  CriaWindow *window;
  GByteArray *data;
} PasteRead;

static void
paste_read_free (PasteRead *read)
{
  g_object_unref (read->window);
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
      _cria_window_show_toast (read->window, error->message);
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (read->data->len + g_bytes_get_size (chunk) > MAX_PASTED_BYTES)
        {
          g_autofree char *limit = g_format_size (MAX_PASTED_BYTES);
          g_autofree char *message = g_strdup_printf (_("The pasted image is larger than %s. Save it to a file and attach the file."),
                                                      limit);

          _cria_window_show_toast (read->window, message);
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
  add_attachment (read->window, attachment);
}

static void
pasted_stream_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), result, NULL, &error);
  PasteRead *read;

  if (stream == NULL)
    {
      _cria_window_show_toast (self, error->message);
      return;
    }

  read = g_new0 (PasteRead, 1);
  read->window = g_steal_pointer (&self);
  read->data = g_byte_array_new ();
  g_input_stream_read_bytes_async (stream, PASTE_CHUNK, G_PRIORITY_DEFAULT, NULL, pasted_chunk_cb, read);
}

gboolean
_cria_window_paste_attachments (CriaWindow *self)
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
      _cria_window_show_toast (self, _("The copied image is in a format Cria does not open. Copy it as PNG or JPEG, or attach it as a file."));
      return TRUE;
    }

  return FALSE;
}

static void
paste_clipboard_cb (GtkTextView *view,
                    CriaWindow  *self)
{
  if (_cria_window_paste_attachments (self))
    g_signal_stop_emission_by_name (view, "paste-clipboard");
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     CriaWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GSList) list = NULL;
      guint n = g_list_model_get_n_items (files);

      for (guint i = n; i > 0; i--)
        list = g_slist_prepend (list, g_list_model_get_item (files, i - 1));
      _cria_window_attach_files (self, list);
      g_slist_free_full (g_steal_pointer (&list), g_object_unref);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->composer_view));
}

GtkFileChooserNative *
_cria_window_get_attach_chooser (CriaWindow *self)
{
  static const char * const image_types[] = {
    "image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff",
  };
  g_autoptr(GtkFileFilter) images = NULL;

  if (self->attach_chooser != NULL)
    return self->attach_chooser;

  /* Native: through the portal when sandboxed, so any file the user picks
   * can be read. */
  self->attach_chooser = gtk_file_chooser_native_new (_("Attach Images"), GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_OPEN,
                                                      _("_Attach"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->attach_chooser), TRUE);
  images = gtk_file_filter_new ();
  gtk_file_filter_set_name (images, _("Images"));
  /* The formats Cria reads, by type; not gtk_file_filter_add_pixbuf_formats(),
   * which loses its lists in GTK 4.8 and offers formats (SVG, ICO…) nobody
   * means to send. */
  for (guint i = 0; i < G_N_ELEMENTS (image_types); i++)
    gtk_file_filter_add_mime_type (images, image_types[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->attach_chooser), images);
  g_signal_connect_object (self->attach_chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);

  return self->attach_chooser;
}

static void
attach_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (_cria_window_get_attach_chooser (CRIA_WINDOW (widget))));
}

/* The model to offer when the current one sees no images: the default
 * vision model if the server has it, or else the first that can see. */
static CriaModel *
find_vision_model (CriaWindow *self)
{
  CriaModel *model;
  guint n;

  if (_cria_window_get_models (self) == NULL)
    return NULL;

  model = cria_catalogue_find (_cria_window_get_models (self), DEFAULT_VISION_MODEL);
  if (model != NULL && cria_model_get_available (model))
    return model;

  n = g_list_model_get_n_items (_cria_window_get_models (self));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaModel) candidate = g_list_model_get_item (_cria_window_get_models (self), i);

      if (cria_model_get_available (candidate) &&
          cria_model_has_capability (candidate, CRIA_MODEL_CAPABILITY_VISION))
        return candidate;
    }

  return NULL;
}

static void
vision_dialog_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           CriaWindow       *self)
{
  const char *model_id = g_object_get_data (G_OBJECT (dialog), "cria-model-id");

  self->vision_dialog = NULL;
  if (g_str_equal (response, "switch") && model_id != NULL)
    {
      g_autofree char *text = _cria_window_dup_composer_text (self);

      cria_conversation_set_model_id (self->conversation, model_id);
      _cria_window_send_with_attachments (self, text);
    }
}

static void
offer_vision_model (CriaWindow *self)
{
  const char *current = model_display_name (self, cria_conversation_get_model_id (self->conversation));
  CriaModel *vision = find_vision_model (self);
  g_autofree char *heading = g_strdup_printf (_("%s Cannot See Images"), current);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (vision != NULL)
    {
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("It would never see the images. Switch this conversation to %s, "
                                        "which can, and send? The images and your text stay as they are."),
                                      cria_model_get_name (vision));
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

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A failed answer is shown on the answer; a refusal, here. */
  if (!cria_conversation_send_finish (CRIA_CONVERSATION (object), result, &error) &&
      (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) ||
       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)))
    _cria_window_show_toast (self, error->message);
  _cria_window_update_actions (self);
}

void
_cria_window_send_with_attachments (CriaWindow *self,
                                    const char *text)
{
  g_auto(GStrv) urls = NULL;
  guint n_preparing, n_failed;
  guint n_before;
  gint64 size;

  urls = collect_urls (self, &n_preparing, &n_failed);
  if (n_preparing > 0)
    {
      _cria_window_show_toast (self, _("The images are still being prepared: send again in a moment."));
      return;
    }
  if (n_failed > 0)
    {
      _cria_window_show_toast (self, _("Remove the images that could not be opened, then send."));
      return;
    }
  if (self->editing != NULL)
    {
      _cria_window_show_toast (self, _("Images cannot be added to an edited message: send them in a new one."));
      return;
    }
  if (!cria_conversation_can_see_images (self->conversation))
    {
      offer_vision_model (self);
      return;
    }

  size = cria_conversation_estimate_request_size (self->conversation, text, (const char * const *) urls);
  if (size > max_request_size (self))
    {
      update_summary (self);
      _cria_window_show_toast (self, gtk_label_get_text (self->attachment_label));
      return;
    }

  cria_conversation_set_max_request_size (self->conversation, max_request_size (self));
  n_before = g_list_model_get_n_items (G_LIST_MODEL (self->conversation));
  cria_chat_view_scroll_to_bottom (self->chat_view);
  cria_conversation_send_with_images_async (self->conversation, text, (const char * const *) urls, NULL,
                                            send_done_cb, g_object_ref (self));

  /* Only once the message is in the conversation, which keeps its text and
   * images whatever happens to the answer, is the composer emptied. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->conversation)) > n_before)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

      for (guint i = 0; i < n; i++)
        g_signal_handlers_disconnect_by_data (attachment_at (self, i), self);
      g_list_store_remove_all (self->attachments);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer_view), "", 0);
      attachments_changed_cb (self);
    }
}

static gboolean
history_has_images (CriaWindow *self)
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
static void
model_picked_cb (CriaWindow *self)
{
  g_autofree char *id = NULL;
  CriaModel *model;

  update_summary (self);

  g_object_get (self->model_picker, "selected-model-id", &id, NULL);
  model = id != NULL && _cria_window_get_models (self) != NULL ? cria_catalogue_find (_cria_window_get_models (self), id) : NULL;
  if (model == NULL || !cria_model_get_capabilities_known (model) ||
      cria_model_has_capability (model, CRIA_MODEL_CAPABILITY_VISION) ||
      self->conversation == NULL || !history_has_images (self))
    return;

  {
    g_autofree char *text = g_strdup_printf (_("%s cannot see images: the earlier ones in this chat are left out of what it is sent."),
                                             cria_model_get_name (model));

    _cria_window_show_toast (self, text);
  }
}

void
_cria_window_init_attach (CriaWindow *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE };

  self->attachments = g_list_store_new (CRIA_TYPE_ATTACHMENT);
  gtk_flow_box_bind_model (self->attachment_flow, G_LIST_MODEL (self->attachments),
                           create_chip_cb, self, NULL);

  /* Files and pictures dropped anywhere on the conversation or composer. */
  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->stack), GTK_EVENT_CONTROLLER (target));

  g_signal_connect (self->composer_view, "paste-clipboard", G_CALLBACK (paste_clipboard_cb), self);
  g_signal_connect_object (self->model_picker, "notify::selected-model-id", G_CALLBACK (model_picked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->composer_view), "changed",
                           G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
}

void
_cria_window_dispose_attach (CriaWindow *self)
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
_cria_window_class_init_attach (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child_full (widget_class, "attachments_box", FALSE,
                                             G_STRUCT_OFFSET (CriaWindow, attachments_box));
  gtk_widget_class_bind_template_child_full (widget_class, "attachment_flow", FALSE,
                                             G_STRUCT_OFFSET (CriaWindow, attachment_flow));
  gtk_widget_class_bind_template_child_full (widget_class, "attachment_label", FALSE,
                                             G_STRUCT_OFFSET (CriaWindow, attachment_label));
  gtk_widget_class_bind_template_child_full (widget_class, "attach_button", FALSE,
                                             G_STRUCT_OFFSET (CriaWindow, attach_button));

  gtk_widget_class_install_action (widget_class, "win.attach", NULL, attach_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.attach", NULL);
}
