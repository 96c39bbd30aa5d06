/* cria-attachment.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-attachment.h"
#include "cria-chat-enums.h"
#include "cria-document-reader.h"

struct _CriaAttachment
{
  GObject              parent_instance;

  GFile               *file;
  GBytes              *bytes;
  GBytes              *pixels;
  int                  width;
  int                  height;
  int                  stride;
  char                *name;
  CriaAttachmentKind   kind;
  CriaAttachmentState  state;
  double               progress;
  GError              *error;
  CriaPreparedImage   *image;
  CriaDocument        *document;
  /* Reading the scanned pages: the job running, why the last one failed. */
  CriaDocumentOcr     *ocr;
  GError              *ocr_error;
  gint64               original_size;
  int                  max_side;
  /* A PDF's password, as the user typed it: never saved. */
  char                *password;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (CriaAttachment, cria_attachment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_NAME,
  PROP_KIND,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_ERROR,
  PROP_IMAGE,
  PROP_DOCUMENT,
  PROP_OCR_ERROR,
  PROP_ORIGINAL_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cria_attachment_dispose (GObject *object)
{
  CriaAttachment *self = CRIA_ATTACHMENT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cria_attachment_parent_class)->dispose (object);
}

static void
cria_attachment_finalize (GObject *object)
{
  CriaAttachment *self = CRIA_ATTACHMENT (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->pixels, g_bytes_unref);
  g_clear_pointer (&self->image, cria_prepared_image_unref);
  g_clear_pointer (&self->document, cria_document_unref);
  g_clear_object (&self->ocr);
  g_clear_error (&self->ocr_error);
  g_clear_error (&self->error);
  g_free (self->name);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);

  G_OBJECT_CLASS (cria_attachment_parent_class)->finalize (object);
}

static void
cria_attachment_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CriaAttachment *self = CRIA_ATTACHMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_IMAGE:
      g_value_set_boxed (value, self->image);
      break;
    case PROP_DOCUMENT:
      g_value_set_boxed (value, self->document);
      break;
    case PROP_OCR_ERROR:
      g_value_set_boxed (value, self->ocr_error);
      break;
    case PROP_ORIGINAL_SIZE:
      g_value_set_int64 (value, self->original_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_attachment_class_init (CriaAttachmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_attachment_dispose;
  object_class->finalize = cria_attachment_finalize;
  object_class->get_property = cria_attachment_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, CRIA_TYPE_ATTACHMENT_KIND, CRIA_ATTACHMENT_KIND_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CRIA_TYPE_ATTACHMENT_STATE, CRIA_ATTACHMENT_STATE_PREPARING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE] =
    g_param_spec_boxed ("image", NULL, NULL, CRIA_TYPE_PREPARED_IMAGE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT] =
    g_param_spec_boxed ("document", NULL, NULL, CRIA_TYPE_DOCUMENT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OCR_ERROR] =
    g_param_spec_boxed ("ocr-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORIGINAL_SIZE] =
    g_param_spec_int64 ("original-size", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_attachment_init (CriaAttachment *self)
{
  self->original_size = -1;
}

CriaAttachment *
cria_attachment_new_for_file (GFile *file)
{
  CriaAttachment *self;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (CRIA_TYPE_ATTACHMENT, NULL);
  self->file = g_object_ref (file);
  basename = g_file_get_basename (file);
  /* File names are bytes in the file system's encoding; the name is shown
   * in the chip, read by screen readers and saved in the history. */
  if (basename != NULL)
    self->name = g_filename_display_name (basename);
  else
    self->name = g_strdup (_("Attachment"));

  return self;
}

CriaAttachment *
cria_attachment_new_for_bytes (GBytes     *bytes,
                               const char *name)
{
  CriaAttachment *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (CRIA_TYPE_ATTACHMENT, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->kind = CRIA_ATTACHMENT_KIND_IMAGE;
  self->name = name != NULL ? g_utf8_make_valid (name, -1) : g_strdup (_("Pasted image"));
  self->original_size = g_bytes_get_size (bytes);

  return self;
}

CriaAttachment *
cria_attachment_new_for_pixels (GBytes     *pixels,
                                int         width,
                                int         height,
                                int         stride,
                                const char *name)
{
  CriaAttachment *self;

  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && stride >= width * 4, NULL);

  self = g_object_new (CRIA_TYPE_ATTACHMENT, NULL);
  self->pixels = g_bytes_ref (pixels);
  self->kind = CRIA_ATTACHMENT_KIND_IMAGE;
  self->width = width;
  self->height = height;
  self->stride = stride;
  self->name = name != NULL ? g_utf8_make_valid (name, -1) : g_strdup (_("Pasted image"));

  return self;
}

static void
set_original_size (CriaAttachment *self,
                   gint64          size)
{
  if (self->original_size == size)
    return;

  self->original_size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGINAL_SIZE]);
}

static void
set_progress (CriaAttachment *self,
              double          progress)
{
  if (self->progress == progress)
    return;

  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  set_progress (CRIA_ATTACHMENT (user_data), fraction);
}

static void
set_kind (CriaAttachment     *self,
          CriaAttachmentKind  kind)
{
  if (self->kind == kind)
    return;

  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

/* Ends a preparation with the image or the document it made, or with
 * @error; takes all three. */
static void
finish (CriaAttachment    *self,
        CriaPreparedImage *image,
        CriaDocument      *document,
        GError            *error)
{
  g_object_freeze_notify (G_OBJECT (self));

  g_clear_pointer (&self->image, cria_prepared_image_unref);
  g_clear_pointer (&self->document, cria_document_unref);
  g_clear_error (&self->error);
  self->image = image;
  self->document = document;
  self->error = error;
  self->state = error == NULL ? CRIA_ATTACHMENT_STATE_READY : CRIA_ATTACHMENT_STATE_FAILED;
  if (image != NULL)
    set_original_size (self, image->original_size);
  if (document != NULL)
    set_original_size (self, document->size);
  if (error == NULL)
    set_progress (self, 1.0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CriaAttachment) self = user_data;
  g_autoptr(GError) error = NULL;
  CriaPreparedImage *image;

  image = cria_image_prepare_finish (result, &error);
  /* A newer preparation replaced this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_clear_pointer (&image, cria_prepared_image_unref);
      return;
    }

  g_clear_object (&self->cancellable);
  finish (self, image, NULL, g_steal_pointer (&error));
}

static void
document_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CriaAttachment) self = user_data;
  g_autoptr(GError) error = NULL;
  CriaDocument *document;

  document = cria_document_read_file_finish (result, &error);
  /* A newer preparation replaced this one. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_clear_pointer (&document, cria_document_unref);
      return;
    }

  g_clear_object (&self->cancellable);
  finish (self, NULL, document, g_steal_pointer (&error));
}

static void
start_reading (CriaAttachment *self)
{
  if (self->kind == CRIA_ATTACHMENT_KIND_DOCUMENT)
    cria_document_read_file_async (self->file, self->password, self->cancellable, progress_cb, self,
                                   document_read_cb, g_object_ref (self));
  else
    cria_image_prepare_file_async (self->file, self->max_side, self->cancellable, progress_cb, self,
                                   prepared_cb, g_object_ref (self));
}

/* The file's type decides what it is: an image by its content type, a
 * document otherwise (the reader refuses what is neither). Without a
 * type (the file is gone, say) the name decides, and the preparer that
 * gets it says what went wrong. */
typedef struct
{
  CriaAttachment *self;
  GCancellable   *cancellable;
} InfoQuery;

static void
info_query_free (InfoQuery *query)
{
  g_object_unref (query->self);
  g_object_unref (query->cancellable);
  g_free (query);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (InfoQuery, info_query_free)

static void
info_queried_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(InfoQuery) query = user_data;
  CriaAttachment *self = query->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);
  const char *content_type = NULL;

  /* A newer preparation replaced this one. */
  if (query->cancellable != self->cancellable)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->cancellable);
      finish (self, NULL, NULL, g_steal_pointer (&error));
      return;
    }
  if (info != NULL)
    {
      if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
        set_original_size (self, g_file_info_get_size (info));
      content_type = g_file_info_get_attribute_string (info, G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE);
    }

  if (content_type != NULL)
    {
      g_autofree char *mime = g_content_type_get_mime_type (content_type);

      set_kind (self, mime != NULL && g_str_has_prefix (mime, "image/") ? CRIA_ATTACHMENT_KIND_IMAGE
                                                                       : CRIA_ATTACHMENT_KIND_DOCUMENT);
    }
  else
    set_kind (self, cria_document_reader_handles (NULL, self->name) ? CRIA_ATTACHMENT_KIND_DOCUMENT
                                                                    : CRIA_ATTACHMENT_KIND_IMAGE);
  start_reading (self);
}

void
cria_attachment_prepare (CriaAttachment *self,
                         int             max_side)
{
  g_return_if_fail (CRIA_IS_ATTACHMENT (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* A job reading scanned pages belongs to the document read before. */
  if (self->ocr != NULL)
    g_signal_handlers_disconnect_by_data (self->ocr, self);
  g_clear_object (&self->ocr);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != CRIA_ATTACHMENT_STATE_PREPARING)
    {
      self->state = CRIA_ATTACHMENT_STATE_PREPARING;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  set_progress (self, 0);
  g_object_thaw_notify (G_OBJECT (self));

  self->max_side = max_side;
  if (self->file != NULL && self->kind != CRIA_ATTACHMENT_KIND_UNKNOWN)
    start_reading (self);
  else if (self->file != NULL)
    {
      InfoQuery *query = g_new0 (InfoQuery, 1);

      query->self = g_object_ref (self);
      query->cancellable = g_object_ref (self->cancellable);
      g_file_query_info_async (self->file,
                               G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                               G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, self->cancellable,
                               info_queried_cb, query);
    }
  else if (self->pixels != NULL)
    cria_image_prepare_pixels_async (self->pixels, self->width, self->height, self->stride, max_side,
                                     self->cancellable, progress_cb, self, prepared_cb, g_object_ref (self));
  else
    cria_image_prepare_bytes_async (self->bytes, self->name, max_side, self->cancellable, progress_cb, self,
                                    prepared_cb, g_object_ref (self));
}

void
cria_attachment_unlock (CriaAttachment *self,
                        const char     *password)
{
  g_return_if_fail (CRIA_IS_ATTACHMENT (self));
  g_return_if_fail (password != NULL);

  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
  cria_attachment_prepare (self, self->max_side);
}

gboolean
cria_attachment_needs_password (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), FALSE);

  return g_error_matches (self->error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_NEEDS_PASSWORD) ||
         g_error_matches (self->error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_WRONG_PASSWORD);
}

void
cria_attachment_cancel (CriaAttachment *self)
{
  g_return_if_fail (CRIA_IS_ATTACHMENT (self));

  g_cancellable_cancel (self->cancellable);
}

GFile *
cria_attachment_get_file (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), NULL);

  return self->file;
}

const char *
cria_attachment_get_name (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), NULL);

  return self->name;
}

CriaAttachmentState
cria_attachment_get_state (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), CRIA_ATTACHMENT_STATE_FAILED);

  return self->state;
}

double
cria_attachment_get_progress (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), 0);

  return self->progress;
}

const GError *
cria_attachment_get_error (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), NULL);

  return self->error;
}

CriaPreparedImage *
cria_attachment_get_image (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), NULL);

  return self->image;
}

static void
set_ocr_error (CriaAttachment *self,
               GError         *error)
{
  if (self->ocr_error == NULL && error == NULL)
    return;

  g_clear_error (&self->ocr_error);
  self->ocr_error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OCR_ERROR]);
}

static void
pdf_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaAttachment *self = g_task_get_source_object (task);
  CriaClient *client = g_object_get_data (G_OBJECT (task), "cria-client");
  const char *model_id = g_object_get_data (G_OBJECT (task), "cria-model-id");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (guint));
  CriaDocument *document = self->document;

  if (pdf == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The file changed since it was read: its pages may be others now. */
  if (document == NULL || (gint64) g_bytes_get_size (pdf) != document->size)
    {
      g_task_return_new_error (task, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED,
                               _("“%s” changed since it was attached: remove it and attach it again."),
                               self->name);
      return;
    }

  for (guint i = 0; i < document->pages->len; i++)
    if (*(const char *) g_ptr_array_index (document->pages, i) == '\0')
      g_array_append_val (pages, i);

  g_task_return_pointer (task,
                         cria_document_ocr_new (client, model_id, pdf, document->hash, self->password,
                                                (const guint *) pages->data, pages->len),
                         g_object_unref);
}

/* A picture's cache folder is named by its bytes' hash: computed off the
 * main thread, as an image may be megabytes. */
static void
hash_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  g_task_return_pointer (task, g_strconcat ("image-", hash, NULL), g_free);
}

static void
image_hashed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaAttachment *self = g_task_get_source_object (task);
  CriaClient *client = g_object_get_data (G_OBJECT (task), "cria-client");
  const char *model_id = g_object_get_data (G_OBJECT (task), "cria-model-id");
  CriaPreparedImage *image = g_object_get_data (G_OBJECT (task), "cria-image");
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_task_propagate_pointer (G_TASK (result), &error);

  if (hash == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Another preparation (or transcription) replaced the picture meanwhile. */
  if (self->image != image)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("“%s” changed before its text was read."), self->name);
      return;
    }

  g_task_return_pointer (task,
                         cria_document_ocr_new_for_image (client, model_id, image->encoded, image->mime_type, hash),
                         g_object_unref);
}

/**
 * cria_attachment_plan_ocr_async:
 * @client: the client the job will use
 * @model_id: the vision model that reads the pages
 *
 * Loads the PDF again and makes the job that would read the document's
 * scanned pages, or, for a READY image, the job that would transcribe its
 * text; fails unless the attachment is one of these.
 */
void
cria_attachment_plan_ocr_async (CriaAttachment      *self,
                                CriaClient          *client,
                                const char          *model_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CRIA_IS_ATTACHMENT (self));
  g_return_if_fail (CRIA_IS_CLIENT (client));
  g_return_if_fail (model_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_attachment_plan_ocr_async);
  g_object_set_data_full (G_OBJECT (task), "cria-client", g_object_ref (client), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "cria-model-id", g_strdup (model_id), g_free);

  if (self->state == CRIA_ATTACHMENT_STATE_READY && self->image != NULL)
    {
      g_autoptr(GTask) hash_task = g_task_new (NULL, cancellable, image_hashed_cb, g_object_ref (task));

      g_object_set_data_full (G_OBJECT (task), "cria-image", cria_prepared_image_ref (self->image),
                              (GDestroyNotify) cria_prepared_image_unref);
      g_task_set_source_tag (hash_task, hash_image_thread);
      g_task_set_task_data (hash_task, g_bytes_ref (self->image->encoded), (GDestroyNotify) g_bytes_unref);
      g_task_run_in_thread (hash_task, hash_image_thread);
      return;
    }

  if (self->state != CRIA_ATTACHMENT_STATE_READY || self->document == NULL || self->file == NULL ||
      !cria_document_is_paged (self->document))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only the scanned pages of an attached PDF can be read this way."));
      return;
    }

  g_file_load_bytes_async (self->file, cancellable, pdf_loaded_cb, g_object_ref (task));
}

CriaDocumentOcr *
cria_attachment_plan_ocr_finish (CriaAttachment  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ocr_progress_cb (CriaDocumentOcr *ocr,
                 GParamSpec      *pspec,
                 CriaAttachment  *self)
{
  if (ocr == self->ocr)
    set_progress (self, cria_document_ocr_get_progress (ocr));
}

/* The document with the transcribed pages in place of the empty ones. */
static CriaDocument *
document_with_pages (CriaDocument    *document,
                     CriaDocumentOcr *ocr,
                     GPtrArray       *texts)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *joined = NULL;
  g_autoptr(CriaDocument) partial = NULL;
  guint next = 0;
  guint n_scanned = 0;

  for (guint i = 0; i < document->pages->len; i++)
    {
      const char *page = g_ptr_array_index (document->pages, i);

      if (*page == '\0' && next < texts->len)
        page = g_ptr_array_index (texts, next++);
      if (*page == '\0')
        n_scanned++;
      g_ptr_array_add (pages, (gpointer) page);
    }
  g_ptr_array_add (pages, NULL);

  /* Its text is no longer what the file's bytes say: like an imported
   * document, it is known by the hash of its text. */
  partial = cria_document_new (document->name, document->mime_type, document->hash, document->size,
                               (const char * const *) pages->pdata, n_scanned);
  joined = cria_document_join_pages (partial);
  g_checksum_update (checksum, (const guchar *) joined, strlen (joined));

  return cria_document_new (document->name, document->mime_type, g_checksum_get_string (checksum),
                            document->size, (const char * const *) pages->pdata, n_scanned);
}

/* A picture's transcription: a document of one page, named as the picture
 * and known by the hash of its text. */
static CriaDocument *
document_for_image (CriaAttachment *self,
                    const char     *text)
{
  const char *pages[] = { text, NULL };
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  return cria_document_new (self->name, "text/plain", hash, self->image->original_size, pages, 0);
}

static void
ocr_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CriaAttachment) self = user_data;
  CriaDocumentOcr *ocr = CRIA_DOCUMENT_OCR (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = cria_document_ocr_run_finish (ocr, result, &error);
  CriaDocument *document;

  /* Another preparation or job replaced this one. */
  if (ocr != self->ocr)
    return;

  g_clear_object (&self->cancellable);
  g_signal_handlers_disconnect_by_data (ocr, self);
  g_clear_object (&self->ocr);

  if (texts == NULL)
    {
      /* Stopped or failed: the document or the picture stays as it was. */
      if (self->image != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_ocr_error (self, g_error_new (error->domain, error->code,
                                          _("The text of “%s” could not be read: %s"),
                                          self->name, error->message));
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_ocr_error (self, g_steal_pointer (&error));
      if (self->image != NULL)
        finish (self, cria_prepared_image_ref (self->image), NULL, NULL);
      else
        finish (self, NULL, cria_document_ref (self->document), NULL);
      return;
    }

  if (self->image != NULL)
    {
      g_assert (texts->len == 1);
      document = document_for_image (self, g_ptr_array_index (texts, 0));
      g_object_freeze_notify (G_OBJECT (self));
      set_kind (self, CRIA_ATTACHMENT_KIND_DOCUMENT);
      finish (self, NULL, document, NULL);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  document = document_with_pages (self->document, ocr, texts);
  finish (self, NULL, document, NULL);
}

/**
 * cria_attachment_run_ocr:
 * @ocr: the job cria_attachment_plan_ocr_finish() gave
 *
 * Reads the scanned pages, or the image's text; cria_attachment_cancel()
 * stops it.
 */
void
cria_attachment_run_ocr (CriaAttachment  *self,
                         CriaDocumentOcr *ocr)
{
  g_return_if_fail (CRIA_IS_ATTACHMENT (self));
  g_return_if_fail (CRIA_IS_DOCUMENT_OCR (ocr));
  g_return_if_fail (self->document != NULL || self->image != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->ocr != NULL)
    g_signal_handlers_disconnect_by_data (self->ocr, self);
  g_set_object (&self->ocr, ocr);

  g_object_freeze_notify (G_OBJECT (self));
  set_ocr_error (self, NULL);
  self->state = CRIA_ATTACHMENT_STATE_PREPARING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  set_progress (self, 0);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_connect (ocr, "notify::progress", G_CALLBACK (ocr_progress_cb), self);
  cria_document_ocr_run_async (ocr, self->cancellable, ocr_done_cb, g_object_ref (self));
}

gboolean
cria_attachment_get_ocr_running (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), FALSE);

  return self->ocr != NULL;
}

const GError *
cria_attachment_get_ocr_error (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), NULL);

  return self->ocr_error;
}

CriaAttachmentKind
cria_attachment_get_kind (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), CRIA_ATTACHMENT_KIND_UNKNOWN);

  return self->kind;
}

CriaDocument *
cria_attachment_get_document (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), NULL);

  return self->document;
}

gint64
cria_attachment_get_original_size (CriaAttachment *self)
{
  g_return_val_if_fail (CRIA_IS_ATTACHMENT (self), -1);

  return self->original_size;
}
