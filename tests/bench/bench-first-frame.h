/* bench-first-frame.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* For the start-up benchmark's programs: once the first window of @app has
 * painted its first frame, prints "first-frame MONOTONIC-USEC" on stdout and
 * exits at once, so the parent measures exec to first frame. */
void bench_first_frame_watch (GtkApplication *app);

G_END_DECLS
