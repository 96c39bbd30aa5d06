/* cria-mcp-stdio.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>

#include "cria-mcp-stdio-private.h"

/* How much of the server's stderr is kept for error messages. */
#define DIAGNOSTICS_MAX 4096
/* How long a server may take to exit after its stdin closed and it was
 * asked to stop, before it is killed. */
#define EXIT_GRACE_MS 2000
#define READ_CHUNK 65536

struct _CriaMcpStdio
{
  GObject        parent_instance;

  char          *command;
  GStrv          args;
  GStrv          env;

  GSubprocess   *process;
  GOutputStream *stdin_pipe;
  GCancellable  *cancellable;

  GByteArray    *line;
  GString       *diagnostics;
  GQueue         outgoing;     /* GBytes */
  gboolean       writing;
  gboolean       closed;
};

static void transport_iface_init (CriaMcpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaMcpStdio, cria_mcp_stdio, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_MCP_TRANSPORT,
                                                      transport_iface_init))

/* Flatpak puts this file at the root of every sandbox. */
static const char *sandbox_marker = "/.flatpak-info";

gboolean
cria_mcp_stdio_is_sandboxed (void)
{
  return g_file_test (sandbox_marker, G_FILE_TEST_EXISTS);
}

void
_cria_mcp_stdio_set_sandbox_marker (const char *path)
{
  sandbox_marker = path;
}

static char *
dup_diagnostics (CriaMcpTransport *transport)
{
  CriaMcpStdio *self = CRIA_MCP_STDIO (transport);
  g_autofree char *text = NULL;

  if (self->diagnostics->len == 0)
    return NULL;

  text = g_utf8_make_valid (self->diagnostics->str, self->diagnostics->len);
  return g_strdup (g_strstrip (text));
}

static gboolean
kill_cb (gpointer data)
{
  g_subprocess_force_exit (G_SUBPROCESS (data));
  return G_SOURCE_REMOVE;
}

/* Ends the connection from our side or the server's: everything in flight
 * is cancelled, and the process is asked to stop, then killed. */
static void
shut_down (CriaMcpStdio *self)
{
  g_cancellable_cancel (self->cancellable);
  g_queue_clear_full (&self->outgoing, (GDestroyNotify) g_bytes_unref);
  if (self->stdin_pipe != NULL)
    g_output_stream_close (self->stdin_pipe, NULL, NULL);
  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      /* The timeout holds the process: a server that ignores SIGTERM is
       * killed even after the transport is gone. */
      g_timeout_add_full (G_PRIORITY_DEFAULT, EXIT_GRACE_MS, kill_cb,
                          g_object_ref (self->process), g_object_unref);
    }
}

static void
fail (CriaMcpStdio *self,
      const char   *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *diagnostics = NULL;

  if (self->closed)
    return;
  self->closed = TRUE;

  diagnostics = dup_diagnostics (CRIA_MCP_TRANSPORT (self));
  if (diagnostics != NULL)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "%s: %s", reason, diagnostics);
  else
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, reason);

  g_object_ref (self);
  shut_down (self);
  cria_mcp_transport_emit_closed (CRIA_MCP_TRANSPORT (self), error);
  g_object_unref (self);
}

static void
take_lines (CriaMcpStdio *self)
{
  gsize start = 0;

  for (gsize i = 0; i < self->line->len && !self->closed; i++)
    {
      if (self->line->data[i] != '\n')
        continue;

      if (i > start)
        cria_mcp_transport_dispatch_json (CRIA_MCP_TRANSPORT (self),
                                          (const char *) self->line->data + start,
                                          i - start);
      start = i + 1;
    }

  if (!self->closed && start > 0)
    g_byte_array_remove_range (self->line, 0, start);
}

static void read_stdout (CriaMcpStdio *self);

static void
stdout_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CriaMcpStdio) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (self->closed)
    return;
  if (bytes == NULL)
    {
      fail (self, _("Could not read from the server"));
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      fail (self, _("The server stopped"));
      return;
    }

  g_byte_array_append (self->line, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  take_lines (self);
  if (self->closed)
    return;
  if (self->line->len > CRIA_MCP_MESSAGE_MAX)
    {
      fail (self, _("The server sent a message that is too large"));
      return;
    }

  read_stdout (self);
}

static void
read_stdout (CriaMcpStdio *self)
{
  g_input_stream_read_bytes_async (g_subprocess_get_stdout_pipe (self->process),
                                   READ_CHUNK, G_PRIORITY_DEFAULT, self->cancellable,
                                   stdout_read_cb, g_object_ref (self));
}

static void
stderr_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CriaMcpStdio) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);
  if (bytes == NULL || (size = g_bytes_get_size (bytes)) == 0)
    return;

  /* Only the tail is kept: a chatty server does not grow memory. */
  g_string_append_len (self->diagnostics, g_bytes_get_data (bytes, NULL), size);
  if (self->diagnostics->len > DIAGNOSTICS_MAX)
    g_string_erase (self->diagnostics, 0, self->diagnostics->len - DIAGNOSTICS_MAX);

  g_input_stream_read_bytes_async (G_INPUT_STREAM (object), READ_CHUNK, G_PRIORITY_DEFAULT,
                                   self->cancellable, stderr_read_cb, g_object_ref (self));
}

static void write_next (CriaMcpStdio *self);

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CriaMcpStdio) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!self->closed)
        fail (self, _("Could not write to the server"));
      return;
    }

  write_next (self);
}

static void
write_next (CriaMcpStdio *self)
{
  GBytes *bytes;

  if (self->writing || self->closed)
    return;

  bytes = g_queue_pop_head (&self->outgoing);
  if (bytes == NULL)
    return;

  self->writing = TRUE;
  /* The queue entry lives on as the task's data until the write ends. */
  g_object_set_data_full (G_OBJECT (self->stdin_pipe), "cria-mcp-writing",
                          bytes, (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (self->stdin_pipe,
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   write_cb, g_object_ref (self));
}

static void
transport_send (CriaMcpTransport *transport,
      JsonNode         *message)
{
  CriaMcpStdio *self = CRIA_MCP_STDIO (transport);
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;
  gsize len;

  if (self->closed || self->stdin_pipe == NULL)
    return;

  /* Not pretty-printed, so the text holds no line end: newlines inside
   * strings are escaped. */
  generator = json_generator_new ();
  json_generator_set_root (generator, message);
  text = json_generator_to_data (generator, &len);
  g_queue_push_tail (&self->outgoing,
                     g_bytes_new_take (g_strconcat (text, "\n", NULL), len + 1));
  write_next (self);
}

static gboolean
transport_start (CriaMcpTransport  *transport,
       GError           **error)
{
  CriaMcpStdio *self = CRIA_MCP_STDIO (transport);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = NULL;

  g_return_val_if_fail (self->process == NULL, FALSE);

  if (cria_mcp_stdio_is_sandboxed ())
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Cria runs in a sandbox and can't start programs on this computer. "
                             "Run the server yourself and add it by its HTTP address instead."));
      return FALSE;
    }
  if (self->command == NULL || *self->command == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("No command is set for this server"));
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; self->env != NULL && self->env[i] != NULL; i++)
    {
      const char *eq = strchr (self->env[i], '=');
      g_autofree char *name = NULL;

      if (eq == NULL || eq == self->env[i])
        continue;
      name = g_strndup (self->env[i], eq - self->env[i]);
      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }

  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, self->command);
  for (guint i = 0; self->args != NULL && self->args[i] != NULL; i++)
    g_ptr_array_add (argv, self->args[i]);
  g_ptr_array_add (argv, NULL);

  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (self->process == NULL)
    return FALSE;

  self->stdin_pipe = g_object_ref (g_subprocess_get_stdin_pipe (self->process));
  read_stdout (self);
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (self->process),
                                   READ_CHUNK, G_PRIORITY_DEFAULT, self->cancellable,
                                   stderr_read_cb, g_object_ref (self));
  write_next (self);

  return TRUE;
}

static void
close_transport (CriaMcpTransport *transport)
{
  CriaMcpStdio *self = CRIA_MCP_STDIO (transport);

  if (self->closed)
    return;
  self->closed = TRUE;
  shut_down (self);
}

static void
transport_iface_init (CriaMcpTransportInterface *iface)
{
  iface->start = transport_start;
  iface->send = transport_send;
  iface->close = close_transport;
  iface->dup_diagnostics = dup_diagnostics;
}

static void
cria_mcp_stdio_dispose (GObject *object)
{
  CriaMcpStdio *self = CRIA_MCP_STDIO (object);

  close_transport (CRIA_MCP_TRANSPORT (self));
  g_clear_object (&self->stdin_pipe);
  g_clear_object (&self->process);

  G_OBJECT_CLASS (cria_mcp_stdio_parent_class)->dispose (object);
}

static void
cria_mcp_stdio_finalize (GObject *object)
{
  CriaMcpStdio *self = CRIA_MCP_STDIO (object);

  g_clear_object (&self->cancellable);
  g_free (self->command);
  g_strfreev (self->args);
  g_strfreev (self->env);
  g_byte_array_unref (self->line);
  g_string_free (self->diagnostics, TRUE);

  G_OBJECT_CLASS (cria_mcp_stdio_parent_class)->finalize (object);
}

static void
cria_mcp_stdio_class_init (CriaMcpStdioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_mcp_stdio_dispose;
  object_class->finalize = cria_mcp_stdio_finalize;
}

static void
cria_mcp_stdio_init (CriaMcpStdio *self)
{
  self->cancellable = g_cancellable_new ();
  self->line = g_byte_array_new ();
  self->diagnostics = g_string_new (NULL);
  g_queue_init (&self->outgoing);
}

CriaMcpStdio *
cria_mcp_stdio_new (const char         *command,
                    const char * const *args,
                    const char * const *env)
{
  CriaMcpStdio *self = g_object_new (CRIA_TYPE_MCP_STDIO, NULL);

  self->command = g_strdup (command);
  self->args = g_strdupv ((char **) args);
  self->env = g_strdupv ((char **) env);

  return self;
}

GSubprocess *
_cria_mcp_stdio_get_process (CriaMcpStdio *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_STDIO (self), NULL);
  return self->process;
}
