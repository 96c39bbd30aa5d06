/* cria-mcp-test.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the MCP tests share: finding the servers npm installed, and waiting
 * for an asynchronous result with a ceiling that only ends a hung test.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MCP_TEST_CEILING_S 120

typedef struct
{
  GAsyncResult *result;
  gboolean      done;
} McpWait;

static inline gboolean
mcp_test_ceiling_cb (gpointer user_data)
{
  g_error ("An MCP test waited %d s for something that never came", MCP_TEST_CEILING_S);
  return G_SOURCE_REMOVE;
}

/* Runs the main context until *@flag is TRUE. */
static inline void
mcp_test_wait_for (const gboolean *flag)
{
  guint ceiling = g_timeout_add_seconds (MCP_TEST_CEILING_S, mcp_test_ceiling_cb, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ceiling);
}

static inline void
mcp_test_result_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  McpWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static inline GAsyncResult *
mcp_test_wait (McpWait *wait)
{
  mcp_test_wait_for (&wait->done);
  return wait->result;
}

/* The path of a program npm installed, or NULL after skipping the test
 * with the reason when the servers could not be installed. */
static inline char *
mcp_test_server_path (const char *program)
{
  const char *stamp = g_getenv ("CRIA_MCP_SERVERS_STAMP");
  g_autofree char *status = NULL;
  char *path;

  if (stamp == NULL || !g_file_get_contents (stamp, &status, NULL, NULL))
    g_error ("The MCP test servers were not installed (run the tests through meson)");
  if (!g_str_has_prefix (status, "ok"))
    {
      g_autofree char *message = g_strdup_printf ("The reference MCP servers are not installed: %s",
                                                  g_strstrip (status));
      g_test_skip (message);
      return NULL;
    }

  path = g_build_filename (g_getenv ("CRIA_MCP_SERVERS"), program, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

G_END_DECLS
