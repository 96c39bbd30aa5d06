/* cria-window.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-application.h"

G_BEGIN_DECLS

#define CRIA_TYPE_WINDOW (cria_window_get_type ())

G_DECLARE_FINAL_TYPE (CriaWindow, cria_window, CRIA, WINDOW, AdwApplicationWindow)

CriaWindow *cria_window_new (CriaApplication *application);

G_END_DECLS
