/* cria-toolbox.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-tool.h"

G_BEGIN_DECLS

#define CRIA_TYPE_TOOLBOX (cria_toolbox_get_type ())

G_DECLARE_FINAL_TYPE (CriaToolbox, cria_toolbox, CRIA, TOOLBOX, GObject)

/* The tools a conversation may offer a model: a GListModel of CriaTool made
 * of sources, each a GListModel of CriaTool (Cria's own tools, the tools of
 * one MCP server), in the order they were added, with exact items-changed
 * when a source changes. When two tools have one name the first wins: the
 * other is neither offered nor run.
 *
 * It also holds which tools the user allowed for good ("Always allow this
 * tool"), by source and name; it keeps no settings itself: the application
 * loads the set, saves it on ::allowed-changed and follows the setting. */
CriaToolbox *cria_toolbox_new                 (void);
void         cria_toolbox_add_source          (CriaToolbox *self,
                                               GListModel  *tools);
void         cria_toolbox_remove_source       (CriaToolbox *self,
                                               GListModel  *tools);
/* A chat may leave out the tools of some sources: @sources_off names them
 * as cria_tool_get_source() does, with "" for Cria's own tools. The tools
 * of a source left out are neither offered nor run, and a tool of another
 * source with the same name takes their place. */

/* The tool the model calls @name, or %NULL (transfer full). */
CriaTool    *cria_toolbox_lookup              (CriaToolbox        *self,
                                               const char         *name,
                                               const char * const *sources_off);
/* The "tools" of a chat request: a JSON array of OpenAI's function tools,
 * or %NULL when there are none. */
char        *cria_toolbox_to_json             (CriaToolbox        *self,
                                               const char * const *sources_off);
/* The sources that have tools now, in order, each once: "" for Cria's own,
 * then each MCP server's name. */
GStrv        cria_toolbox_dup_sources         (CriaToolbox        *self);
/* The source of @tool as @sources_off names it: never %NULL. */
const char  *cria_toolbox_source_key          (CriaTool           *tool);
/* Whether a call to @tool must wait for the user: it asks, and it was not
 * allowed for good. */
gboolean     cria_toolbox_needs_approval      (CriaToolbox *self,
                                               CriaTool    *tool);
void         cria_toolbox_allow_always        (CriaToolbox *self,
                                               CriaTool    *tool);

/* The tools allowed for good, as the "always-allowed-tools" setting keeps
 * them: an a(ss) of (source, name), oldest first; the source is "" for
 * Cria's own tools, else the MCP server's name. At most
 * CRIA_TOOLBOX_MAX_ALLOWED are kept: past it, allowing another is refused
 * and the oldest stay. An entry with an empty name, a string that is not
 * valid UTF-8 or longer than CRIA_TOOLBOX_ALLOWED_MAX_LENGTH bytes, or a
 * repeat is ignored. ::allowed-changed is emitted when the set changes,
 * whichever call changed it. */
#define CRIA_TOOLBOX_MAX_ALLOWED 500
#define CRIA_TOOLBOX_ALLOWED_MAX_LENGTH 1024

GVariant    *cria_toolbox_dup_allowed         (CriaToolbox *self);
void         cria_toolbox_set_allowed         (CriaToolbox *self,
                                               GVariant    *allowed);
gboolean     cria_toolbox_is_allowed          (CriaToolbox *self,
                                               const char  *source,
                                               const char  *name);
gboolean     cria_toolbox_forget              (CriaToolbox *self,
                                               const char  *source,
                                               const char  *name);
guint        cria_toolbox_forget_source       (CriaToolbox *self,
                                               const char  *source);
/* The MCP server @old_source is now called @new_source: the tools of it
 * allowed for good stay allowed under the new name, in their place. */
guint        cria_toolbox_rename_source       (CriaToolbox *self,
                                               const char  *old_source,
                                               const char  *new_source);

G_END_DECLS
