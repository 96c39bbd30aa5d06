/* cria-welcome-page-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-welcome-page.h"

G_BEGIN_DECLS

/* For tests: the page's controls. */
GtkWidget *_cria_welcome_page_get_key_row          (CriaWelcomePage *self);
GtkWidget *_cria_welcome_page_get_continue_button  (CriaWelcomePage *self);
GtkWidget *_cria_welcome_page_get_session_button   (CriaWelcomePage *self);
GtkWidget *_cria_welcome_page_get_error_label      (CriaWelcomePage *self);
gboolean   _cria_welcome_page_get_busy             (CriaWelcomePage *self);

G_END_DECLS
