/* cria-preferences-window.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-client.h"
#include "cria-meaning.h"
#include "cria-toolbox.h"

G_BEGIN_DECLS

#define CRIA_TYPE_PREFERENCES_WINDOW (cria_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CriaPreferencesWindow, cria_preferences_window, CRIA, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* @settings is an io.github.cria.Cria GSettings. The API key lives only in
 * the keyring and on @client, never in @settings. */
GtkWidget *cria_preferences_window_new         (CriaClient            *client,
                                                GSettings             *settings);
/* The Tools group lists @toolbox's tools allowed for good, each with a
 * button that forgets it. */
void       cria_preferences_window_set_toolbox (CriaPreferencesWindow *self,
                                                CriaToolbox           *toolbox);
/* The History group shows what indexing for search by meaning costs and how
 * far it is. */
void       cria_preferences_window_set_meaning (CriaPreferencesWindow *self,
                                                CriaMeaning           *meaning);

G_END_DECLS
