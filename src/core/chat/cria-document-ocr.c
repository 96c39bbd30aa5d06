/* cria-document-ocr.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scanned PDF pages (or a picture's text) read by a vision model, one page
 * at a time: the cache first, then render, ask, clean, cache. Pages go one after another so
 * progress is honest and a cancel wastes at most the page in flight.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-catalogue.h"
#include "cria-document-ocr.h"
#include "cria-document-render.h"
#include "cria-document.h"
#include "cria-usage.h"

/* Cache file and folder names keep to these characters. */
#define SAFE_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
#define SAFE_NAME_MAX   96

static const char instruction[] =
  "Transcribe this document page as plain text/Markdown, in reading order; "
  "output only the text.";
static const char image_instruction[] =
  "Transcribe the text in this image as plain text/Markdown, in reading order; "
  "output only the text.";

struct _CriaDocumentOcr
{
  GObject     parent_instance;

  CriaClient *client;
  char       *model_id;
  /* What is read: the PDF's pages, or one picture sent as it is. */
  GBytes     *pdf;
  GBytes     *image;
  char       *image_mime_type;
  char       *hash;
  char       *password;
  GArray     *pages;
  double      input_price;
  double      output_price;

  double      progress;
  guint       pages_done;
  double      cost;
  gboolean    running;
};

G_DEFINE_FINAL_TYPE (CriaDocumentOcr, cria_document_ocr, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROGRESS,
  PROP_PAGES_DONE,
  PROP_COST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One run: the transcriptions so far and the page being read. */
typedef struct
{
  GPtrArray     *texts;
  guint          index;
  CriaChatReply *reply;
} RunState;

static void
run_state_free (RunState *state)
{
  g_clear_pointer (&state->texts, g_ptr_array_unref);
  g_clear_object (&state->reply);
  g_free (state);
}

static void next_page (GTask *task);

/* A name that cannot leave its folder or be hidden: only SAFE_NAME_CHARS,
 * no leading dot, never empty, bounded. */
static char *
safe_name (const char *name)
{
  g_autofree char *copy = g_strndup (name, SAFE_NAME_MAX);

  g_strcanon (copy, SAFE_NAME_CHARS, '_');
  if (copy[0] == '.')
    copy[0] = '_';
  if (copy[0] == '\0')
    return g_strdup ("_");

  return g_steal_pointer (&copy);
}

static char *
cache_path (CriaDocumentOcr *self,
            guint            page)
{
  g_autofree char *hash = safe_name (self->hash);
  g_autofree char *model = safe_name (self->model_id);
  g_autofree char *file = g_strdup_printf ("%s-%u.txt", model, page + 1);

  return g_build_filename (g_get_user_cache_dir (), "cria", "ocr", hash, file, NULL);
}

/* A model's answer or a cache file made a page: clean, trimmed, capped at
 * a character boundary. */
static char *
page_text (const char *text,
           gsize       len)
{
  g_autofree char *clean = NULL;
  gsize n;

  clean = cria_document_clean_page_text (len > 0 ? text : "", MIN (len, (gsize) CRIA_DOCUMENT_OCR_MAX_PAGE_BYTES + 4));
  g_strstrip (clean);
  n = strlen (clean);
  if (n > CRIA_DOCUMENT_OCR_MAX_PAGE_BYTES)
    {
      const char *end = g_utf8_find_prev_char (clean, clean + CRIA_DOCUMENT_OCR_MAX_PAGE_BYTES + 1);

      clean[end != NULL ? end - clean : 0] = '\0';
    }

  return g_steal_pointer (&clean);
}

static void
set_progress (CriaDocumentOcr *self,
              guint            pages_done)
{
  double progress = self->pages->len > 0 ? (double) pages_done / self->pages->len : 1.0;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->pages_done != pages_done)
    {
      self->pages_done = pages_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGES_DONE]);
    }
  if (self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
page_done (GTask *task,
           char  *text)
{
  CriaDocumentOcr *self = g_task_get_source_object (task);
  RunState *state = g_task_get_task_data (task);

  g_ptr_array_add (state->texts, text);
  state->index++;
  set_progress (self, state->index);
  next_page (task);
}

static void
fail (GTask  *task,
      GError *error)
{
  CriaDocumentOcr *self = g_task_get_source_object (task);

  self->running = FALSE;
  g_task_return_error (task, error);
  g_object_unref (task);
}

typedef struct
{
  char *path;
  char *text;
} CacheWrite;

static void
cache_write_free (CacheWrite *write)
{
  g_free (write->path);
  g_free (write->text);
  g_free (write);
}

static void
cache_write_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CacheWrite *write = task_data;
  g_autofree char *folder = g_path_get_dirname (write->path);
  g_autoptr(GError) error = NULL;

  /* A cache that cannot be written costs a second payment later, not the
   * transcription now. */
  if (g_mkdir_with_parents (folder, 0700) != 0)
    g_debug ("No OCR cache folder: %s", g_strerror (errno));
  else if (!g_file_set_contents_full (write->path, write->text, -1,
                                      G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("The OCR cache was not written: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
cache_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CacheWrite *write = g_task_get_task_data (G_TASK (result));

  page_done (task, g_steal_pointer (&write->text));
}

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  CriaDocumentOcr *self = g_task_get_source_object (task);
  RunState *state = g_task_get_task_data (task);
  g_autoptr(GTask) write_task = NULL;
  GError *error = NULL;
  const CriaUsage *usage;
  const char *content;
  CacheWrite *write;
  gboolean ok;

  ok = cria_client_chat_finish (CRIA_CLIENT (object), result, &error);

  /* What the server said it took; a request that failed or was stopped
   * counts only when the server reported usage, not Cria's estimate. */
  usage = cria_chat_reply_get_usage (state->reply);
  if (usage != NULL && (ok || !usage->estimated)
      && self->input_price >= 0 && self->output_price >= 0)
    {
      double spent = cria_usage_get_cost (usage, self->input_price, self->output_price);

      if (spent > 0)
        {
          self->cost += spent;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COST]);
        }
    }

  if (!ok)
    {
      fail (task, error);
      return;
    }

  content = cria_chat_reply_get_content (state->reply);
  write = g_new0 (CacheWrite, 1);
  write->path = cache_path (self, g_array_index (self->pages, guint, state->index));
  write->text = page_text (content, content != NULL ? strlen (content) : 0);

  /* Not cancellable: the page is paid for and must reach the cache. */
  write_task = g_task_new (NULL, NULL, cache_written_cb, task);
  g_task_set_source_tag (write_task, cache_write_thread);
  g_task_set_task_data (write_task, write, (GDestroyNotify) cache_write_free);
  g_task_run_in_thread (write_task, cache_write_thread);
}

/* Asks the model to transcribe one picture, @mime_type's @picture. */
static void
ask (GTask      *task,
     GBytes     *picture,
     const char *mime_type)
{
  CriaDocumentOcr *self = g_task_get_source_object (task);
  RunState *state = g_task_get_task_data (task);
  g_autoptr(CriaChatRequest) request = NULL;
  g_autoptr(CriaChatMessage) message = NULL;
  g_autofree char *base64 = NULL;
  g_autofree char *url = NULL;

  base64 = g_base64_encode (g_bytes_get_data (picture, NULL), g_bytes_get_size (picture));
  url = g_strconcat ("data:", mime_type, ";base64,", base64, NULL);
  g_clear_pointer (&base64, g_free);

  request = cria_chat_request_new (self->model_id);
  cria_chat_request_set_stream (request, FALSE);
  cria_chat_request_set_max_tokens (request, CRIA_DOCUMENT_OCR_MAX_TOKENS);
  cria_chat_request_set_temperature (request, 0.0);
  message = cria_chat_message_new (CRIA_ROLE_USER, self->image != NULL ? image_instruction : instruction);
  cria_chat_message_add_image_url (message, url);
  cria_chat_request_add_message (request, message);

  g_clear_object (&state->reply);
  state->reply = cria_chat_reply_new ();
  cria_client_chat_async (self->client, request, state->reply, g_task_get_cancellable (task), chat_cb, task);
}

static void
rendered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GBytes) png = NULL;
  GError *error = NULL;

  png = cria_document_render_page_finish (result, &error);
  if (png == NULL)
    {
      fail (task, error);
      return;
    }

  ask (task, png, "image/png");
}

static void
cache_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  CriaDocumentOcr *self = g_task_get_source_object (task);
  RunState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (g_file_load_contents_finish (G_FILE (object), result, &contents, &len, NULL, &error))
    {
      page_done (task, page_text (contents, len));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  /* Not in the cache (or unreadable there): read it now. */
  if (self->image != NULL)
    {
      ask (task, self->image, self->image_mime_type);
      return;
    }
  cria_document_render_page_async (self->pdf, self->password,
                                   g_array_index (self->pages, guint, state->index),
                                   CRIA_DOCUMENT_OCR_SIDE, g_task_get_cancellable (task),
                                   rendered_cb, task);
}

static void
next_page (GTask *task)
{
  CriaDocumentOcr *self = g_task_get_source_object (task);
  RunState *state = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      fail (task, error);
      return;
    }

  if (state->index == self->pages->len)
    {
      self->running = FALSE;
      g_task_return_pointer (task, g_steal_pointer (&state->texts), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  path = cache_path (self, g_array_index (self->pages, guint, state->index));
  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, g_task_get_cancellable (task), cache_loaded_cb, task);
}

void
cria_document_ocr_run_async (CriaDocumentOcr     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  RunState *state;
  GTask *task;

  g_return_if_fail (CRIA_IS_DOCUMENT_OCR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->running);

  /* The task holds itself until the run ends (fail() or the last page). */
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_document_ocr_run_async);
  state = g_new0 (RunState, 1);
  state->texts = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, state, (GDestroyNotify) run_state_free);

  self->running = TRUE;
  g_object_freeze_notify (G_OBJECT (self));
  set_progress (self, 0);
  if (self->pages->len == 0)
    {
      self->progress = 1.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  next_page (task);
}

GPtrArray *
cria_document_ocr_run_finish (CriaDocumentOcr  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (CRIA_IS_DOCUMENT_OCR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_document_ocr_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
cria_document_ocr_get_n_cached (CriaDocumentOcr *self)
{
  guint n = 0;

  g_return_val_if_fail (CRIA_IS_DOCUMENT_OCR (self), 0);

  /* A stat per page, in the local cache folder. */
  for (guint i = 0; i < self->pages->len; i++)
    {
      g_autofree char *path = cache_path (self, g_array_index (self->pages, guint, i));

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        n++;
    }

  return n;
}

guint
cria_document_ocr_get_n_pages (CriaDocumentOcr *self)
{
  g_return_val_if_fail (CRIA_IS_DOCUMENT_OCR (self), 0);

  return self->pages->len;
}

double
cria_document_ocr_estimate_cost (CriaDocumentOcr *self,
                                 double           input_price,
                                 double           output_price)
{
  CriaUsage usage = { 0 };
  guint n;

  g_return_val_if_fail (CRIA_IS_DOCUMENT_OCR (self), -1.0);

  if (input_price < 0 || output_price < 0)
    return -1.0;

  n = self->pages->len - cria_document_ocr_get_n_cached (self);
  usage.prompt_tokens = (gint64) n * (CRIA_DOCUMENT_OCR_PAGE_INPUT_TOKENS + CRIA_DOCUMENT_OCR_PROMPT_TOKENS);
  usage.completion_tokens = (gint64) n * CRIA_DOCUMENT_OCR_PAGE_OUTPUT_TOKENS;

  return cria_usage_get_cost (&usage, input_price, output_price);
}

void
cria_document_ocr_set_prices (CriaDocumentOcr *self,
                              double           input_price,
                              double           output_price)
{
  g_return_if_fail (CRIA_IS_DOCUMENT_OCR (self));

  self->input_price = input_price;
  self->output_price = output_price;
}

double
cria_document_ocr_get_progress (CriaDocumentOcr *self)
{
  g_return_val_if_fail (CRIA_IS_DOCUMENT_OCR (self), 0.0);

  return self->progress;
}

guint
cria_document_ocr_get_pages_done (CriaDocumentOcr *self)
{
  g_return_val_if_fail (CRIA_IS_DOCUMENT_OCR (self), 0);

  return self->pages_done;
}

double
cria_document_ocr_get_cost (CriaDocumentOcr *self)
{
  g_return_val_if_fail (CRIA_IS_DOCUMENT_OCR (self), 0.0);

  return self->cost;
}

static void
cria_document_ocr_finalize (GObject *object)
{
  CriaDocumentOcr *self = CRIA_DOCUMENT_OCR (object);

  g_clear_object (&self->client);
  g_free (self->model_id);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_clear_pointer (&self->image, g_bytes_unref);
  g_free (self->image_mime_type);
  g_free (self->hash);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_clear_pointer (&self->pages, g_array_unref);

  G_OBJECT_CLASS (cria_document_ocr_parent_class)->finalize (object);
}

static void
cria_document_ocr_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CriaDocumentOcr *self = CRIA_DOCUMENT_OCR (object);

  switch (prop_id)
    {
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_PAGES_DONE:
      g_value_set_uint (value, self->pages_done);
      break;
    case PROP_COST:
      g_value_set_double (value, self->cost);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_document_ocr_class_init (CriaDocumentOcrClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cria_document_ocr_finalize;
  object_class->get_property = cria_document_ocr_get_property;

  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGES_DONE] =
    g_param_spec_uint ("pages-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COST] =
    g_param_spec_double ("cost", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_document_ocr_init (CriaDocumentOcr *self)
{
  self->input_price = -1.0;
  self->output_price = -1.0;
}

/* The bundled catalogue's prices for the model, or unknown. */
static void
set_catalogue_prices (CriaDocumentOcr *self)
{
  g_autoptr(GListModel) catalogue = cria_catalogue_load (NULL);
  CriaModel *model = catalogue != NULL ? cria_catalogue_find (catalogue, self->model_id) : NULL;

  if (model != NULL)
    cria_document_ocr_set_prices (self, cria_model_get_input_price (model), cria_model_get_output_price (model));
  else
    cria_document_ocr_set_prices (self, -1.0, -1.0);
}

CriaDocumentOcr *
cria_document_ocr_new (CriaClient  *client,
                       const char  *model_id,
                       GBytes      *pdf,
                       const char  *hash,
                       const char  *password,
                       const guint *pages,
                       guint        n_pages)
{
  CriaDocumentOcr *self;

  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (model_id != NULL && *model_id != '\0', NULL);
  g_return_val_if_fail (pdf != NULL, NULL);
  g_return_val_if_fail (hash != NULL && *hash != '\0', NULL);
  g_return_val_if_fail (pages != NULL || n_pages == 0, NULL);

  self = g_object_new (CRIA_TYPE_DOCUMENT_OCR, NULL);
  self->client = g_object_ref (client);
  self->model_id = g_strdup (model_id);
  self->pdf = g_bytes_ref (pdf);
  self->hash = g_strdup (hash);
  self->password = g_strdup (password);
  self->pages = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_pages);
  if (n_pages > 0)
    g_array_append_vals (self->pages, pages, n_pages);

  set_catalogue_prices (self);

  return self;
}

CriaDocumentOcr *
cria_document_ocr_new_for_image (CriaClient *client,
                                 const char *model_id,
                                 GBytes     *image,
                                 const char *mime_type,
                                 const char *hash)
{
  static const guint first_page = 0;
  CriaDocumentOcr *self;

  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (model_id != NULL && *model_id != '\0', NULL);
  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (mime_type != NULL && g_str_has_prefix (mime_type, "image/"), NULL);
  g_return_val_if_fail (hash != NULL && *hash != '\0', NULL);

  self = g_object_new (CRIA_TYPE_DOCUMENT_OCR, NULL);
  self->client = g_object_ref (client);
  self->model_id = g_strdup (model_id);
  self->image = g_bytes_ref (image);
  self->image_mime_type = g_strdup (mime_type);
  self->hash = g_strdup (hash);
  self->pages = g_array_sized_new (FALSE, FALSE, sizeof (guint), 1);
  g_array_append_val (self->pages, first_page);
  set_catalogue_prices (self);

  return self;
}

const char *
cria_document_ocr_get_model_id (CriaDocumentOcr *self)
{
  g_return_val_if_fail (CRIA_IS_DOCUMENT_OCR (self), NULL);

  return self->model_id;
}

void
cria_document_ocr_set_model_id (CriaDocumentOcr *self,
                                const char      *model_id)
{
  g_return_if_fail (CRIA_IS_DOCUMENT_OCR (self));
  g_return_if_fail (model_id != NULL && *model_id != '\0');
  g_return_if_fail (!self->running);

  if (g_strcmp0 (self->model_id, model_id) == 0)
    return;

  g_free (self->model_id);
  self->model_id = g_strdup (model_id);
  set_catalogue_prices (self);
}
