/* cria-window-export.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exporting a saved conversation to Markdown or JSON, and importing JSON.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cria-export-json.h"
#include "cria-export-markdown.h"
#include "cria-window-history-private.h"

#define get_history _cria_window_get_history

/* Export: load, ask where, write. */

typedef struct
{
  CriaWindow *window;
  gboolean    json;
  GBytes     *contents;
  /* Where to write without asking, or NULL to ask. */
  GFile      *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->window);
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_clear_object (&data->file);
  g_free (data);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not export the conversation: %s"), error->message);

      _cria_window_show_toast (self, text);
      return;
    }

  _cria_window_show_toast (self, _("Conversation exported"));
}

/* A conversation is as private as the history it comes from: the file is
 * the user's alone (0600, whatever the umask), like the database, also when
 * it replaces one that was readable by others. */
static void
write_export (CriaWindow *self,
              GFile      *file,
              GBytes     *contents)
{
  g_file_replace_contents_bytes_async (file, contents, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, written_cb, g_object_ref (self));
}

static GBytes *
export_contents (const CriaConversationRecord *record,
                 GPtrArray                    *messages,
                 gboolean                      json)
{
  char *text;
  gsize length;

  if (json)
    text = cria_export_json (record, messages, &length);
  else
    {
      text = cria_export_markdown (record, messages);
      length = strlen (text);
    }

  return g_bytes_new_take (text, length);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    ExportData      *data)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      write_export (data->window, file, data->contents);
    }

  export_data_free (data);
  g_object_unref (chooser);
}

/* A file name from a title: no separators, not too long. */
static char *
suggest_name (const char *title,
              const char *extension)
{
  g_autofree char *base = g_utf8_substring (title != NULL && *title != '\0' ? title : _("Conversation"), 0, 60);

  g_strdelimit (base, "/\\:*?\"<>|\n\r\t", '-');

  return g_strconcat (base, extension, NULL);
}

static void
export_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ExportData *data = user_data;
  CriaWindow *self = data->window;
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  record = cria_store_load_conversation_finish (CRIA_STORE (object), result, &messages, &error);
  if (record == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _cria_window_show_toast (self, error->message);
      export_data_free (data);
      return;
    }

  data->contents = export_contents (record, messages, data->json);
  if (data->file != NULL)
    {
      write_export (self, data->file, data->contents);
      export_data_free (data);
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Export Conversation"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = suggest_name (record->title, data->json ? ".json" : ".md");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
start_export (CriaWindow *self,
              const char *id,
              gboolean    json,
              GFile      *file)
{
  CriaWindowHistory *h = get_history (self);
  ExportData *data;

  if (h == NULL)
    return;

  /* What is on screen is saved first, so the file has all of it. */
  if (h->recorder != NULL)
    cria_conversation_recorder_flush (h->recorder);

  data = g_new0 (ExportData, 1);
  data->window = g_object_ref (self);
  data->json = json;
  data->file = file != NULL ? g_object_ref (file) : NULL;
  cria_store_load_conversation_async (h->store, id, h->cancellable, export_loaded_cb, data);
}

void
_cria_window_export_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  start_export (CRIA_WINDOW (widget), g_variant_get_string (parameter, NULL),
                g_str_equal (action_name, "win.export-json"), NULL);
}

void
_cria_window_export_file (CriaWindow *self,
                          const char *id,
                          gboolean    json,
                          GFile      *file)
{
  g_return_if_fail (CRIA_IS_WINDOW (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (G_IS_FILE (file));

  start_export (self, id, json, file);
}

/* Import: ask which file, read and check it in a thread, save it under new
 * ids in one transaction, open it. */

/* A file that will not import is worth more than a passing toast: the
 * message says what is wrong with it, and it may be long. */
static void
show_import_error (CriaWindow   *self,
                   const GError *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Could Not Import the Conversation"), NULL));
  /* The body is plain text: the message may quote the file. */
  adw_message_dialog_set_body (dialog, error->message);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CriaWindowHistory *h = get_history (self);
  g_autofree char *id = h != NULL ? g_steal_pointer (&h->pending_import) : NULL;

  if (!cria_store_import_finish (CRIA_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_import_error (self, error);
      return;
    }

  if (h != NULL && id != NULL)
    _cria_window_open_saved (self, id, NULL);
}

static void
import_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  CriaWindowHistory *h = get_history (self);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  record = cria_import_json_file_finish (result, &messages, &error);
  if (record == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_import_error (self, error);
      return;
    }
  if (h == NULL)
    return;

  /* All of it goes in, in one transaction, or none. */
  g_free (h->pending_import);
  h->pending_import = g_strdup (record->id);
  cria_store_import_async (h->store, record, messages, h->cancellable, imported_cb, g_object_ref (self));
}

static void
import_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    CriaWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      _cria_window_import_file (self, file);
    }

  g_object_unref (self);
  g_object_unref (chooser);
}

void
_cria_window_import_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Conversation"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Conversations (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_cria_window_import_file (CriaWindow *self,
                          GFile      *file)
{
  CriaWindowHistory *h;

  g_return_if_fail (CRIA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  h = get_history (self);
  cria_import_json_file_async (file, h != NULL ? h->cancellable : NULL, import_read_cb, g_object_ref (self));
}
