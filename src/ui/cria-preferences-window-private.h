/* cria-preferences-window-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-preferences-window.h"

G_BEGIN_DECLS

/* For tests: the window's controls. */
GtkWidget *_cria_preferences_window_get_new_key_row        (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_key_status_label   (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_remove_key_button  (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_base_url_row       (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_base_url_error     (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_model_row          (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_embedding_model_row (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_temperature_spin   (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_server_temperature_switch (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_max_tokens_spin    (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_system_prompt_row  (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_math_source_switch (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_image_size_spin   (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_request_limit_spin (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_reset_button       (CriaPreferencesWindow *self);
/* The monthly budget: an expander row whose switch turns it on, and the amount. */
GtkWidget *_cria_preferences_window_get_budget_row         (CriaPreferencesWindow *self);
GtkWidget *_cria_preferences_window_get_budget_spin        (CriaPreferencesWindow *self);
/* Tools: the switch of "tools-enabled", the rounds, and the list of the
 * tools allowed without asking (one AdwActionRow each, whose button's
 * action is "preferences.forget-tool"). */
GtkWidget  *_cria_preferences_window_get_tools_switch      (CriaPreferencesWindow *self);
GtkWidget  *_cria_preferences_window_get_tool_rounds_spin  (CriaPreferencesWindow *self);
GtkListBox *_cria_preferences_window_get_allowed_list      (CriaPreferencesWindow *self);
/* Search by meaning: the row (its subtitle tells the cost, the progress or
 * the error) and its switch. */
GtkWidget  *_cria_preferences_window_get_meaning_row       (CriaPreferencesWindow *self);
GtkWidget  *_cria_preferences_window_get_meaning_switch    (CriaPreferencesWindow *self);
/* TRUE while a key check, keyring call or lookup is under way. */
gboolean   _cria_preferences_window_get_busy               (CriaPreferencesWindow *self);

G_END_DECLS
