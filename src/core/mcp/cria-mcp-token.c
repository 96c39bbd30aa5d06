/* cria-mcp-token.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "cria-mcp-token.h"
#include "cria-secret.h"

/* Nothing here logs: a token must never reach a log line. */

static const SecretSchema token_schema = {
  "io.github.cria.Cria.McpToken",
  SECRET_SCHEMA_NONE,
  {
    { "server-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cria_mcp_token_store_async (const char          *server_id,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  g_autofree char *label = NULL;

  g_return_if_fail (server_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_mcp_token_store_async);

  if (token == NULL || *token == '\0')
    {
      secret_password_clear (&token_schema, cancellable, cleared_cb, task,
                             "server-id", server_id, NULL);
      return;
    }

  label = g_strdup (_("Cria: token of an MCP server"));
  secret_password_store (&token_schema, SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, stored_cb, task,
                         "server-id", server_id, NULL);
}

gboolean
cria_mcp_token_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *found;

  found = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Moved into memory we wipe ourselves. */
  g_task_return_pointer (task, g_strdup (found), (GDestroyNotify) cria_secret_free);
  secret_password_free (found);
}

void
cria_mcp_token_lookup_async (const char          *server_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (server_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_mcp_token_lookup_async);
  secret_password_lookup (&token_schema, cancellable, looked_up_cb, task,
                          "server-id", server_id, NULL);
}

char *
cria_mcp_token_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
