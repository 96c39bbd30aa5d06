/* cria-builtin-tools-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The classes behind cria_builtin_tools_new(), what they share, and the
 * seams their tests use.
 */

#pragma once

#include <libsoup/soup.h>

#include "cria-builtin-tools.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CALCULATOR_TOOL (cria_calculator_tool_get_type ())
G_DECLARE_FINAL_TYPE (CriaCalculatorTool, cria_calculator_tool, CRIA, CALCULATOR_TOOL, GObject)

typedef enum
{
  CRIA_CLOCK_TOOL_CURRENT,
  CRIA_CLOCK_TOOL_CONVERT,
} CriaClockToolKind;

#define CRIA_TYPE_CLOCK_TOOL (cria_clock_tool_get_type ())
G_DECLARE_FINAL_TYPE (CriaClockTool, cria_clock_tool, CRIA, CLOCK_TOOL, GObject)

#define CRIA_TYPE_HISTORY_SEARCH_TOOL (cria_history_search_tool_get_type ())
G_DECLARE_FINAL_TYPE (CriaHistorySearchTool, cria_history_search_tool, CRIA, HISTORY_SEARCH_TOOL, GObject)

#define CRIA_TYPE_FETCH_TOOL (cria_fetch_tool_get_type ())
G_DECLARE_FINAL_TYPE (CriaFetchTool, cria_fetch_tool, CRIA, FETCH_TOOL, GObject)

CriaTool   *cria_calculator_tool_new        (void);
CriaTool   *cria_clock_tool_new             (CriaClockToolKind  kind);
CriaTool   *cria_history_search_tool_new    (CriaStore         *store);
CriaTool   *cria_fetch_tool_new             (void);

/* Tests: the clock reads @now (a copy is kept) instead of the real time,
 * and local time is @local instead of the system's zone; NULL restores. */
void        _cria_clock_tool_set_now        (CriaClockTool     *self,
                                             GDateTime         *now,
                                             GTimeZone         *local);

/* Tests: the limits of one fetch. */
void        _cria_fetch_tool_set_limits     (CriaFetchTool     *self,
                                             gsize              max_bytes,
                                             guint              timeout_msec);
SoupSession *_cria_fetch_tool_get_session   (CriaFetchTool     *self);
/* Tests: let the fetcher reach this computer (their servers listen there). */
void        _cria_fetch_tool_set_allow_local (CriaFetchTool    *self,
                                              gboolean          allow);

/* What the page fetcher will not reach (cria-fetch-guard.c). */
gboolean    _cria_fetch_address_is_local    (GInetAddress      *address);
gboolean    _cria_fetch_host_is_local       (const char        *host);

#define CRIA_TYPE_FETCH_RESOLVER (cria_fetch_resolver_get_type ())
G_DECLARE_FINAL_TYPE (CriaFetchResolver, cria_fetch_resolver, CRIA, FETCH_RESOLVER, GObject)

CriaFetchResolver *_cria_fetch_resolver_new        (GProxyResolver    *fallback);
gboolean           _cria_fetch_resolver_is_proxied (CriaFetchResolver *self,
                                                    GUri              *uri);

/* The JSON schema of a tool's arguments from a constant JSON text. */
JsonNode   *_cria_tool_parse_schema         (const char        *json);

/* Reads the string member @name of @arguments: FALSE with a message for the
 * model in @error when it is missing (and @required) or not a string; *@value
 * is NULL when it is absent and not required. */
gboolean    _cria_tool_get_string_arg       (JsonObject        *arguments,
                                             const char        *name,
                                             gboolean           required,
                                             const char       **value,
                                             GError           **error);
/* The same for an integer, clamped into [@min, @max]; @fallback when absent. */
gboolean    _cria_tool_get_int_arg          (JsonObject        *arguments,
                                             const char        *name,
                                             gint64             min,
                                             gint64             max,
                                             gint64             fallback,
                                             gint64            *value,
                                             GError           **error);

/* Completes @task with a result for the model. */
void        _cria_tool_return_text          (GTask             *task,
                                             const char        *text,
                                             gboolean           is_error);
/* The run_finish shared by the built-in tools. */
CriaToolResult *_cria_tool_task_finish      (CriaTool          *self,
                                             GAsyncResult      *result,
                                             GError           **error);

G_END_DECLS
