/* cria-spending-csv.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-spending.h"

G_BEGIN_DECLS

/* The spending table as CSV (RFC 4180, UTF-8, CRLF line ends, a header
 * line): one line per period and model with answers, in period order, as
 *   date,model,answers,tokens_in,tokens_out,cost_usd,estimated_answers,unpriced_answers
 * where date is the period's start in @zone as YYYY-MM-DD and cost_usd is
 * written with a point and up to 10 decimals whatever the locale. A field
 * holding a comma, quote or line break is quoted; one a spreadsheet would
 * take for a formula (starting with = + - @, tab or CR) gets a leading '. */
char *cria_spending_to_csv (const CriaSpending *spending,
                            GTimeZone          *zone,
                            gsize              *length);

G_END_DECLS
