/* cria-key-check.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-key-check.h"
#include "cria-key-store.h"
#include "cria-secret.h"

struct _CriaKeyCheck
{
  GObject     parent_instance;

  CriaClient *client;
  /* The key being checked, or that works but was not saved. */
  char       *key;
  /* The server the key is checked against: the answer is only good for it. */
  char       *base_url;
  gboolean    running;
};

G_DEFINE_FINAL_TYPE (CriaKeyCheck, cria_key_check, G_TYPE_OBJECT)

G_DEFINE_QUARK (cria-key-check-error-quark, cria_key_check_error)

static gboolean
server_changed (CriaKeyCheck *self)
{
  return g_strcmp0 (self->base_url, cria_client_get_base_url (self->client)) != 0;
}

static void
return_server_changed (GTask *task)
{
  g_task_return_new_error (task, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_SERVER_CHANGED,
                           _("The server address changed while the key was being checked."));
}

static void
store_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaKeyCheck *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->running = FALSE;

  if (cria_key_store_store_finish (result, &error))
    {
      cria_key_check_forget (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      cria_key_check_forget (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The key works and stays on the client; only keeping it failed. */
  if (g_error_matches (error, CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_UNAVAILABLE) ||
      g_error_matches (error, CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_REFUSED))
    g_task_return_new_error (task, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NO_KEYRING,
                             "%s", error->message);
  else
    g_task_return_new_error (task, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_NOT_SAVED,
                             "%s", error->message);
}

static void
list_models_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaKeyCheck *self = g_task_get_source_object (task);
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;

  models = cria_client_list_models_finish (CRIA_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->running = FALSE;
      cria_key_check_forget (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The answer came from the old server and says nothing about the new
   * one; whoever changed the address put the new server's own key (if any)
   * on the client. */
  if (server_changed (self))
    {
      self->running = FALSE;
      cria_key_check_forget (self);
      return_server_changed (task);
      return;
    }

  if (models == NULL)
    {
      /* Do not leave a key the server refused on the client. */
      self->running = FALSE;
      cria_client_set_api_key (self->client, NULL);
      cria_key_check_forget (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cria_key_store_store_async (self->base_url,
                              self->key,
                              g_task_get_cancellable (task),
                              store_done_cb,
                              g_object_ref (task));
}

void
cria_key_check_check_and_save_async (CriaKeyCheck        *self,
                                     const char          *api_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CriaSecret) key = NULL;

  g_return_if_fail (CRIA_IS_KEY_CHECK (self));
  g_return_if_fail (api_key != NULL);
  g_return_if_fail (!self->running);

  key = g_strstrip (g_strdup (api_key));
  g_return_if_fail (*key != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_key_check_check_and_save_async);

  cria_key_check_forget (self);
  self->key = g_steal_pointer (&key);
  self->running = TRUE;
  g_free (self->base_url);
  self->base_url = g_strdup (cria_client_get_base_url (self->client));
  cria_client_set_api_key (self->client, self->key);
  cria_client_list_models_async (self->client,
                                 cancellable,
                                 list_models_done_cb,
                                 g_steal_pointer (&task));
}

gboolean
cria_key_check_check_and_save_finish (CriaKeyCheck  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (CRIA_IS_KEY_CHECK (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_key_check_check_and_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cria_key_check_has_unsaved_key (CriaKeyCheck *self)
{
  g_return_val_if_fail (CRIA_IS_KEY_CHECK (self), FALSE);

  return self->key != NULL;
}

gboolean
cria_key_check_use_for_session (CriaKeyCheck  *self,
                                GError       **error)
{
  g_return_val_if_fail (CRIA_IS_KEY_CHECK (self), FALSE);
  g_return_val_if_fail (self->key != NULL && !self->running, FALSE);

  /* The key was checked against one server; the client serves another one
   * now, with no key. */
  if (server_changed (self))
    {
      cria_key_check_forget (self);
      g_set_error_literal (error, CRIA_KEY_CHECK_ERROR, CRIA_KEY_CHECK_ERROR_SERVER_CHANGED,
                           _("The server address changed while the key was being checked."));
      return FALSE;
    }

  cria_client_set_api_key (self->client, self->key);
  cria_key_check_forget (self);

  return TRUE;
}

void
cria_key_check_forget (CriaKeyCheck *self)
{
  g_return_if_fail (CRIA_IS_KEY_CHECK (self));

  cria_secret_clear (&self->key);
}

static void
cria_key_check_finalize (GObject *object)
{
  CriaKeyCheck *self = CRIA_KEY_CHECK (object);

  cria_secret_clear (&self->key);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (cria_key_check_parent_class)->finalize (object);
}

static void
cria_key_check_class_init (CriaKeyCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cria_key_check_finalize;
}

static void
cria_key_check_init (CriaKeyCheck *self)
{
}

CriaKeyCheck *
cria_key_check_new (CriaClient *client)
{
  CriaKeyCheck *self;

  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);

  self = g_object_new (CRIA_TYPE_KEY_CHECK, NULL);
  self->client = g_object_ref (client);

  return self;
}
