/* cria-tool.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A function a model may call: Cria's own tools (calculator, date and time,
 * search in the history, fetch a page) and each tool of an MCP server
 * implement this interface, and the conversation's tool loop sees only it.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRIA_TYPE_TOOL (cria_tool_get_type ())

G_DECLARE_INTERFACE (CriaTool, cria_tool, CRIA, TOOL, GObject)

typedef enum
{
  CRIA_TOOL_APPROVAL_NONE,  /* only computes: runs without asking */
  CRIA_TOOL_APPROVAL_ASK,   /* reaches the network, the user's data or an MCP server: asks first */
} CriaToolApproval;

/* What a call gave back. @text is plain UTF-8 (never markup), already capped
 * at CRIA_TOOL_RESULT_MAX bytes by whoever made it; @is_error is TRUE when the
 * tool ran and reports a failure the model should read (bad arguments, a page
 * that answered 404, an MCP result with isError). A failure to run at all is
 * a GError from run_finish instead. */
typedef struct
{
  char     *text;
  gboolean  is_error;
} CriaToolResult;

#define CRIA_TOOL_RESULT_MAX (64 * 1024)

#define CRIA_TYPE_TOOL_RESULT (cria_tool_result_get_type ())
GType           cria_tool_result_get_type (void) G_GNUC_CONST;
/* Makes @text valid UTF-8 and cuts it at CRIA_TOOL_RESULT_MAX bytes (on a
 * character boundary, saying that it was cut). */
CriaToolResult *cria_tool_result_new      (const char           *text,
                                           gboolean              is_error);
CriaToolResult *cria_tool_result_copy     (const CriaToolResult *result);
void            cria_tool_result_free     (CriaToolResult       *result);

struct _CriaToolInterface
{
  GTypeInterface parent_iface;

  /* The function name sent to the model: [A-Za-z0-9_-]{1,64}, unique in a
   * conversation's tool set. */
  const char     *(*get_name)        (CriaTool             *self);
  /* A short name for people ("Calculator", "read_file on Files"). */
  const char     *(*get_title)       (CriaTool             *self);
  const char     *(*get_description) (CriaTool             *self);
  /* The JSON schema of the arguments (an object schema), borrowed. */
  JsonNode       *(*get_parameters)  (CriaTool             *self);
  CriaToolApproval (*get_approval)   (CriaTool             *self);
  /* Where the tool comes from: NULL for Cria's own, else the MCP server's
   * name as the user gave it. */
  const char     *(*get_source)      (CriaTool             *self);

  /* @arguments is the parsed JSON object the model wrote. The call ends
   * promptly with G_IO_ERROR_CANCELLED when @cancellable is cancelled. */
  void            (*run_async)       (CriaTool             *self,
                                      JsonObject           *arguments,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
  CriaToolResult *(*run_finish)      (CriaTool             *self,
                                      GAsyncResult         *result,
                                      GError              **error);
};

const char       *cria_tool_get_name        (CriaTool             *self);
const char       *cria_tool_get_title       (CriaTool             *self);
const char       *cria_tool_get_description (CriaTool             *self);
JsonNode         *cria_tool_get_parameters  (CriaTool             *self);
CriaToolApproval  cria_tool_get_approval    (CriaTool             *self);
const char       *cria_tool_get_source      (CriaTool             *self);
void              cria_tool_run_async       (CriaTool             *self,
                                             JsonObject           *arguments,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
CriaToolResult   *cria_tool_run_finish      (CriaTool             *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaToolResult, cria_tool_result_free)

G_END_DECLS
