/* cria-window-history.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's history: the sidebar of saved conversations, opening one,
 * search, rename, pin, delete with undo, export and import, and keeping the
 * conversation on screen saved.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-conversation-settings.h"
#include "cria-conversation-list.h"
#include "cria-conversation-recorder.h"
#include "cria-sidebar.h"
#include "cria-title-writer.h"
#include "cria-window-history-private.h"

/* Write failures come in bursts (every save fails on a full disk): one toast
 * per this many seconds. */
#define ERROR_TOAST_INTERVAL_S 15
#define SEARCH_LIMIT 50
/* Conversations found by meaning, after the word hits. */
#define MEANING_LIMIT 5


CriaWindowHistory *
_cria_window_get_history (CriaWindow *self)
{
  return self->history;
}

#define get_history _cria_window_get_history

static void busy_changed_cb (CriaWindow       *self,
                             GParamSpec       *pspec,
                             CriaConversation *conversation);

static void
show_error (CriaWindow   *self,
            const GError *error)
{
  CriaWindowHistory *h = get_history (self);
  gint64 now = g_get_monotonic_time ();

  if (h->last_error_toast != 0 && now - h->last_error_toast < ERROR_TOAST_INTERVAL_S * G_USEC_PER_SEC)
    return;

  h->last_error_toast = now;
  _cria_window_show_toast (self, error->message);
}

static void
write_failed_cb (CriaWindow   *self,
                 const GError *error)
{
  /* What is on screen stays: only saving it failed. */
  show_error (self, error);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autofree char *moved_aside = NULL;
  g_autoptr(GError) error = NULL;

  if (!cria_store_open_finish (CRIA_STORE (object), result, &moved_aside, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && get_history (self) != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Conversations will not be saved: %s"), error->message);
          g_autofree char *escaped = g_markup_escape_text (text, -1);
          AdwToast *toast = adw_toast_new (escaped);

          adw_toast_set_timeout (toast, 0);
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
        }
      return;
    }

  if (moved_aside != NULL && get_history (self) != NULL)
    {
      g_autofree char *name = g_filename_display_name (moved_aside);
      g_autofree char *text = g_strdup_printf (_("The saved conversations could not be read, so a new history was started. The old file was kept as %s."),
                                               name);
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

static gboolean
fill_sidebar_cb (gpointer user_data)
{
  CriaWindow *self = user_data;
  CriaWindowHistory *h = get_history (self);

  h->fill_id = 0;
  cria_store_open_async (h->store, h->cancellable, opened_cb, g_object_ref (self));
  h->conversations = cria_conversation_list_new (h->store);
  cria_sidebar_set_conversations (self->sidebar, G_LIST_MODEL (h->conversations));

  return G_SOURCE_REMOVE;
}

void
_cria_window_init_history (CriaWindow *self,
                           CriaStore  *store)
{
  CriaWindowHistory *h;

  g_assert (self->history == NULL);

  h = g_new0 (CriaWindowHistory, 1);
  self->history = h;
  h->store = g_object_ref (store);
  h->cancellable = g_cancellable_new ();
  h->results = g_list_store_new (CRIA_TYPE_SEARCH_HIT);
  /* The history is opened and listed once the window has shown its first
   * frame: however long it is, start-up does not wait for it. */
  h->fill_id = g_idle_add_full (G_PRIORITY_LOW, fill_sidebar_cb, self, NULL);

  g_signal_connect_object (store, "write-failed", G_CALLBACK (write_failed_cb), self, G_CONNECT_SWAPPED);

  if (self->conversation != NULL)
    _cria_window_history_attach (self, self->conversation);
}

void
_cria_window_dispose_history (CriaWindow *self)
{
  CriaWindowHistory *h = get_history (self);

  if (h == NULL)
    return;

  self->history = NULL;
  g_clear_handle_id (&h->fill_id, g_source_remove);
  g_cancellable_cancel (h->cancellable);
  g_clear_object (&h->cancellable);
  g_cancellable_cancel (h->search_cancellable);
  g_clear_object (&h->search_cancellable);
  g_cancellable_cancel (h->meaning_cancellable);
  g_clear_object (&h->meaning_cancellable);
  g_clear_object (&h->meaning);
  g_clear_pointer (&h->word_hits, g_ptr_array_unref);
  g_clear_pointer (&h->meaning_hits, g_ptr_array_unref);
  g_signal_handlers_disconnect_by_data (h->store, self);
  if (h->recorder != NULL)
    g_signal_handlers_disconnect_by_func (cria_conversation_recorder_get_conversation (h->recorder),
                                          busy_changed_cb, self);
  /* Disposing the recorder writes what is pending. */
  g_clear_object (&h->recorder);
  g_clear_object (&h->conversations);
  g_clear_object (&h->results);
  g_clear_object (&h->store);
  g_clear_pointer (&h->deleted, cria_conversation_record_free);
  g_clear_pointer (&h->deleted_messages, g_ptr_array_unref);
  g_free (h->pending_id);
  g_free (h->pending_import);
  g_free (h->scroll_to);
  g_free (h);
}

static void
title_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CriaConversation) conversation = user_data;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;

  /* A title that did not come costs nothing to lose: the first message's stays. */
  title = cria_title_writer_write_finish (result, &error);
  if (title == NULL)
    {
      g_debug ("No title from the model: %s", error->message);
      return;
    }

  /* The recorder saves it, if the conversation is still recorded. */
  cria_conversation_set_title (conversation, title);
}

static void
busy_changed_cb (CriaWindow       *self,
                 GParamSpec       *pspec,
                 CriaConversation *conversation)
{
  CriaWindowHistory *h = get_history (self);
  g_autoptr(CriaMessage) question = NULL;
  g_autoptr(CriaMessage) answer = NULL;

  if (h == NULL || cria_conversation_get_busy (conversation) ||
      g_list_model_get_n_items (G_LIST_MODEL (conversation)) != 2)
    return;

  question = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
  if (cria_message_get_state (answer) != CRIA_MESSAGE_STATE_COMPLETE)
    return;

  /* Once per conversation, whatever the answer. */
  g_signal_handlers_disconnect_by_func (conversation, busy_changed_cb, self);
  if (!g_settings_get_boolean (self->settings, "write-titles"))
    return;

  cria_title_writer_write_async (self->client, cria_conversation_get_model_id (conversation),
                                 cria_message_get_content (question), cria_message_get_content (answer),
                                 h->cancellable, title_written_cb, g_object_ref (conversation));
}

void
_cria_window_history_attach (CriaWindow       *self,
                             CriaConversation *conversation)
{
  CriaWindowHistory *h = get_history (self);
  g_autofree char *id = NULL;

  if (h == NULL)
    return;

  id = g_steal_pointer (&h->pending_id);
  if (h->recorder != NULL && cria_conversation_recorder_get_conversation (h->recorder) == conversation)
    return;

  if (h->recorder != NULL)
    g_signal_handlers_disconnect_by_func (cria_conversation_recorder_get_conversation (h->recorder),
                                          busy_changed_cb, self);
  g_clear_object (&h->recorder);
  h->recorder = cria_conversation_recorder_new (h->store, conversation, id);

  /* A new conversation may get a title from the model after its first answer. */
  if (id == NULL)
    g_signal_connect_swapped (conversation, "notify::busy", G_CALLBACK (busy_changed_cb), self);
}

const char *
_cria_window_history_get_id (CriaWindow *self)
{
  CriaWindowHistory *h = get_history (self);

  return h != NULL && h->recorder != NULL ? cria_conversation_recorder_get_id (h->recorder) : NULL;
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  CriaWindowHistory *h = get_history (self);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CriaConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;

  record = cria_store_load_conversation_finish (CRIA_STORE (object), result, &records, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || h == NULL)
    return;
  if (record == NULL)
    {
      _cria_window_show_toast (self, error->message);
      return;
    }

  conversation = cria_conversation_new (self->client, _cria_window_get_models (self));
  cria_conversation_set_model_id (conversation, record->model);
  cria_conversation_set_system_prompt (conversation, record->system_prompt);
  cria_conversation_set_params (conversation, record->params);
  cria_conversation_load_tool_settings (conversation, record->tools);
  if (record->title != NULL)
    cria_conversation_set_title (conversation, record->title);
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (messages, cria_message_record_to_message (g_ptr_array_index (records, i)));
  cria_conversation_restore (conversation, messages);

  g_free (h->pending_id);
  h->pending_id = g_strdup (record->id);
  _cria_window_set_conversation (self, conversation);

  if (h->scroll_to != NULL)
    {
      g_autofree char *scroll_to = g_steal_pointer (&h->scroll_to);

      cria_chat_view_scroll_to_message (self->chat_view, scroll_to);
    }

  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

void
_cria_window_open_saved (CriaWindow *self,
                         const char *id,
                         const char *message_id)
{
  CriaWindowHistory *h = get_history (self);

  g_return_if_fail (h != NULL);

  g_clear_pointer (&h->scroll_to, g_free);
  /* A scroll still under way gives way to what is asked for now. */
  cria_chat_view_scroll_to_message (self->chat_view, NULL);

  if (g_strcmp0 (_cria_window_history_get_id (self), id) == 0)
    {
      cria_chat_view_scroll_to_message (self->chat_view, message_id);
      return;
    }

  h->scroll_to = g_strdup (message_id);

  cria_store_load_conversation_async (h->store, id, h->cancellable, loaded_cb, g_object_ref (self));
}

/* win.open-conversation: a saved conversation, by id, asked for from
 * outside the window (the spending window's most expensive conversations). */
static void
open_conversation_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);

  if (get_history (self) == NULL)
    return;

  _cria_window_open_saved (self, g_variant_get_string (parameter, NULL), NULL);
}

static void
conversation_activated_cb (CriaWindow *self,
                           const char *id)
{
  _cria_window_open_saved (self, id, NULL);
}

static void
hit_activated_cb (CriaWindow *self,
                  const char *conversation_id,
                  const char *message_id)
{
  _cria_window_open_saved (self, conversation_id, message_id);
}

/* The list: the word hits, then the conversations found by meaning that
 * the words did not find. */
static void
show_results (CriaWindow *self)
{
  CriaWindowHistory *h = get_history (self);
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) hits = g_ptr_array_new ();

  for (guint i = 0; h->word_hits != NULL && i < h->word_hits->len; i++)
    {
      CriaSearchHit *hit = g_ptr_array_index (h->word_hits, i);

      g_ptr_array_add (hits, hit);
      g_hash_table_add (shown, (gpointer) cria_search_hit_get_conversation_id (hit));
    }
  for (guint i = 0; h->meaning_hits != NULL && i < h->meaning_hits->len; i++)
    {
      CriaSearchHit *hit = g_ptr_array_index (h->meaning_hits, i);

      if (!g_hash_table_contains (shown, cria_search_hit_get_conversation_id (hit)))
        g_ptr_array_add (hits, hit);
    }

  g_list_store_splice (h->results, 0, g_list_model_get_n_items (G_LIST_MODEL (h->results)),
                       hits->pdata, hits->len);
  cria_sidebar_set_results (self->sidebar, G_LIST_MODEL (h->results));
}

static void
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  CriaWindowHistory *h = get_history (self);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  hits = cria_store_search_finish (CRIA_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || h == NULL)
    return;
  if (hits == NULL)
    {
      show_error (self, error);
      hits = g_ptr_array_new_with_free_func (g_object_unref);
    }

  g_clear_pointer (&h->word_hits, g_ptr_array_unref);
  h->word_hits = g_steal_pointer (&hits);
  show_results (self);
}

/* Search by meaning adds to the word hits when it answers; when it fails
 * (the endpoint, the key), the word hits stay as they are, and
 * Preferences tells why. */
static void
meaning_searched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  CriaWindowHistory *h = get_history (self);
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  hits = cria_meaning_search_finish (CRIA_MEANING (object), result, &error);
  if (hits == NULL || h == NULL)
    return;

  g_clear_pointer (&h->meaning_hits, g_ptr_array_unref);
  h->meaning_hits = g_steal_pointer (&hits);
  if (h->word_hits != NULL)
    show_results (self);
}

static void
search_changed_cb (CriaWindow *self,
                   const char *text)
{
  CriaWindowHistory *h = get_history (self);
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  /* Only the newest query matters: the one before is cancelled, on the
   * worker too if it is running, and so is its embedding request. */
  g_cancellable_cancel (h->search_cancellable);
  g_clear_object (&h->search_cancellable);
  g_cancellable_cancel (h->meaning_cancellable);
  g_clear_object (&h->meaning_cancellable);
  g_clear_pointer (&h->word_hits, g_ptr_array_unref);
  g_clear_pointer (&h->meaning_hits, g_ptr_array_unref);

  if (*stripped == '\0')
    {
      cria_sidebar_set_results (self->sidebar, NULL);
      return;
    }

  h->search_cancellable = g_cancellable_new ();
  cria_store_search_async (h->store, text, SEARCH_LIMIT, h->search_cancellable, searched_cb, g_object_ref (self));
  if (h->meaning != NULL && cria_meaning_get_enabled (h->meaning))
    {
      h->meaning_cancellable = g_cancellable_new ();
      cria_meaning_search_async (h->meaning, stripped, MEANING_LIMIT, h->meaning_cancellable,
                                 meaning_searched_cb, g_object_ref (self));
    }
}

void
_cria_window_history_set_meaning (CriaWindow  *self,
                                  CriaMeaning *meaning)
{
  CriaWindowHistory *h = get_history (self);

  if (h != NULL)
    g_set_object (&h->meaning, meaning);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, TRUE);
  cria_sidebar_focus_search (self->sidebar);
}

static CriaConversationInfo *
find_info (CriaWindow *self,
           const char *id)
{
  CriaWindowHistory *h = get_history (self);

  return h != NULL && h->conversations != NULL ? cria_conversation_list_find (h->conversations, id, NULL) : NULL;
}

typedef struct
{
  CriaWindow *window;
  GtkEditable *entry;
  char        *id;
} RenameData;

static void
rename_data_free (gpointer  user_data,
                  GClosure *closure)
{
  RenameData *data = user_data;

  g_object_unref (data->window);
  g_free (data->id);
  g_free (data);
}

static void
rename_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RenameData       *data)
{
  CriaWindow *self = data->window;
  CriaWindowHistory *h = get_history (self);
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (data->entry)));

  if (h == NULL || !g_str_equal (response, "rename") || *title == '\0')
    return;

  if (g_strcmp0 (_cria_window_history_get_id (self), data->id) == 0)
    cria_conversation_set_title (self->conversation, title);
  cria_store_rename_conversation (h->store, data->id, title);
}

/* Return in the entry does what the Rename button does: respond, then close
 * (emitting a response leaves an AdwMessageDialog open). */
static void
rename_entry_activate_cb (AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "rename");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
rename_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  CriaConversationInfo *info = find_info (self, id);
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  RenameData *data;

  if (info == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Rename Conversation"), NULL));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), cria_conversation_info_get_title (info) != NULL
                                               ? cria_conversation_info_get_title (info) : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Title"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  adw_message_dialog_set_close_response (dialog, "cancel");

  data = g_new0 (RenameData, 1);
  data->window = g_object_ref (self);
  data->entry = GTK_EDITABLE (entry);
  data->id = g_strdup (id);
  g_signal_connect_data (dialog, "response", G_CALLBACK (rename_response_cb), data,
                         rename_data_free, 0);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (rename_entry_activate_cb), dialog);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
pin_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  CriaConversationInfo *info = find_info (self, id);

  if (info != NULL)
    cria_store_set_pinned (get_history (self)->store, id, !cria_conversation_info_get_pinned (info));
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  CriaWindowHistory *h = get_history (self);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  record = cria_store_delete_conversation_finish (CRIA_STORE (object), result, &messages, &error);
  if (h == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (record == NULL)
    {
      _cria_window_show_toast (self, error->message);
      return;
    }

  /* Kept until the next delete, for Undo. */
  g_clear_pointer (&h->deleted, cria_conversation_record_free);
  g_clear_pointer (&h->deleted_messages, g_ptr_array_unref);
  h->deleted = g_steal_pointer (&record);
  h->deleted_messages = g_steal_pointer (&messages);

  text = g_strdup_printf (_("“%s” deleted"), h->deleted->title != NULL ? h->deleted->title : _("Untitled"));
  /* AdwToast titles are markup; a title is the user's (or the model's) text. */
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  _cria_window_add_toast (self, toast);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-delete", TRUE);
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  CriaWindowHistory *h = get_history (self);
  const char *id = g_variant_get_string (parameter, NULL);

  if (h == NULL)
    return;

  /* The conversation on screen goes too: a new chat takes its place. */
  if (g_strcmp0 (_cria_window_history_get_id (self), id) == 0)
    _cria_window_new_conversation (self);

  cria_store_delete_conversation_async (h->store, id, h->cancellable, deleted_cb, g_object_ref (self));
}

static void
undone_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CriaWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cria_store_import_finish (CRIA_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _cria_window_show_toast (self, error->message);
}

static void
undo_delete_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  CriaWindowHistory *h = get_history (self);

  if (h == NULL || h->deleted == NULL)
    return;

  cria_store_import_async (h->store, h->deleted, h->deleted_messages, h->cancellable, undone_cb,
                           g_object_ref (self));
  g_clear_pointer (&h->deleted, cria_conversation_record_free);
  g_clear_pointer (&h->deleted_messages, g_ptr_array_unref);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-delete", FALSE);
}

static void
settings_applied_cb (CriaWindow *self)
{
  CriaWindowHistory *h = get_history (self);

  if (h != NULL && h->recorder != NULL)
    cria_conversation_recorder_save_settings (h->recorder);
}

static void
conversation_settings_activated (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  CriaWindow *self = CRIA_WINDOW (widget);
  GtkWidget *settings = cria_conversation_settings_new (self->conversation);

  g_signal_connect_object (settings, "applied", G_CALLBACK (settings_applied_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (settings), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (settings));
}

void
_cria_window_init_sidebar (CriaWindow *self)
{
  g_signal_connect_object (self->sidebar, "conversation-activated", G_CALLBACK (conversation_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "hit-activated", G_CALLBACK (hit_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar, "search-changed", G_CALLBACK (search_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-delete", FALSE);
}

void
_cria_window_class_init_history (GtkWidgetClass *widget_class)
{
  g_type_ensure (CRIA_TYPE_SIDEBAR);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.rename-conversation", "s", rename_activated);
  gtk_widget_class_install_action (widget_class, "win.pin-conversation", "s", pin_activated);
  gtk_widget_class_install_action (widget_class, "win.delete-conversation", "s", delete_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", NULL, undo_delete_activated);
  gtk_widget_class_install_action (widget_class, "win.open-conversation", "s", open_conversation_activated);
  gtk_widget_class_install_action (widget_class, "win.export-markdown", "s", _cria_window_export_activated);
  gtk_widget_class_install_action (widget_class, "win.export-json", "s", _cria_window_export_activated);
  gtk_widget_class_install_action (widget_class, "win.import-conversation", NULL, _cria_window_import_activated);
  gtk_widget_class_install_action (widget_class, "win.conversation-settings", NULL, conversation_settings_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}
