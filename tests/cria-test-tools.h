/* cria-test-tools.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-fake-server.h"
#include "cria-tool.h"

G_BEGIN_DECLS

/* A tool for tests of the tool loop: it answers "NAME(ARGS)" with the
 * arguments it was given in compact JSON, counts its runs, and, when told to
 * hold, ends a run only when released or cancelled, so a test sees
 * "running" for as long as it needs. */

#define CRIA_TYPE_TEST_TOOL (cria_test_tool_get_type ())

G_DECLARE_FINAL_TYPE (CriaTestTool, cria_test_tool, CRIA, TEST_TOOL, GObject)

CriaTestTool *cria_test_tool_new          (const char       *name,
                                           CriaToolApproval  approval);
void          cria_test_tool_set_hold     (CriaTestTool     *self,
                                           gboolean          hold);
/* Ends every held run; returns how many there were. */
guint         cria_test_tool_release      (CriaTestTool     *self);
guint         cria_test_tool_get_n_held   (CriaTestTool     *self);
guint         cria_test_tool_get_n_runs   (CriaTestTool     *self);
guint         cria_test_tool_get_n_cancelled (CriaTestTool  *self);
/* The arguments of the last run, compact JSON, or NULL. */
const char   *cria_test_tool_get_last_arguments (CriaTestTool *self);
void          cria_test_tool_set_source   (CriaTestTool     *self,
                                           const char       *source);

/* Scripts @response as a streamed answer in OpenAI's dialect that asks for
 * @n calls of tools @names with @arguments (JSON text, possibly broken),
 * ids "call_0", "call_1", …; each call's arguments arrive in pieces of
 * @split bytes (0: whole), every piece a separate event. */
void          cria_test_script_tool_calls (CriaFakeResponse   *response,
                                           guint               n,
                                           const char * const *names,
                                           const char * const *arguments,
                                           gsize               split);
/* Scripts @response as a streamed plain answer @text. */
void          cria_test_script_answer     (CriaFakeResponse   *response,
                                           const char         *text);

G_END_DECLS
