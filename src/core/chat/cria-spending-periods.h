/* cria-spending-periods.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The periods spending is shown in, in the time zone of @now: days run from
 * local midnight to local midnight (23 or 25 hours across a daylight-saving
 * change), weeks start on the locale's first weekday, months on the 1st.
 * Where the clocks skip midnight, a day starts at its first minute. */

/* @n_days (≥ 1) + 1 local midnights, oldest first: the start of the day
 * @n_days − 1 days before @now's, …, the start of @now's day, the end of
 * @now's day. Free with g_free(); @n_edges may be NULL. */
gint64 *cria_spending_day_edges    (GDateTime *now,
                                    guint      n_days,
                                    guint     *n_edges);
/* Local midnight starting @now's week; @first_weekday 1 (Monday) … 7 (Sunday). */
gint64  cria_spending_week_start   (GDateTime *now,
                                    int        first_weekday);
/* Local midnight starting @now's month, and the one starting the next. */
gint64  cria_spending_month_start  (GDateTime *now);
gint64  cria_spending_month_end    (GDateTime *now);
/* The locale's first day of the week (LC_TIME), 1 (Monday) … 7 (Sunday). */
int     cria_spending_first_weekday (void);

G_END_DECLS
