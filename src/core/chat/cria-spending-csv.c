/* cria-spending-csv.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-spending-csv.h"

/* Appends @text as one field. A model name comes from the server: it is made
 * valid UTF-8, kept from starting a formula, and quoted when it holds what
 * separates fields or lines. */
static void
append_text_field (GString    *csv,
                   const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  /* A spreadsheet runs a cell starting with = + - @ (or a tab or CR before
   * one) as a formula; a leading ' makes it text (OWASP's advice). */
  if (text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL)
    {
      g_autofree char *guarded = g_strconcat ("'", text, NULL);

      g_free (valid);
      text = valid = g_steal_pointer (&guarded);
    }

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (csv, text);
      return;
    }

  g_string_append_c (csv, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

/* Dollars with a point whatever the locale, up to 10 decimals, without
 * trailing zeros: 0.0123, 12, 0. */
static void
append_cost (GString *csv,
             double   cost)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;

  /* Never "-0" (which would also look like a formula), nor NaN. */
  if (!(cost > 0))
    {
      g_string_append_c (csv, '0');
      return;
    }

  g_ascii_formatd (buffer, sizeof buffer, "%.10f", cost);
  if (strchr (buffer, '.') != NULL)
    {
      end = buffer + strlen (buffer) - 1;
      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
    }
  g_string_append (csv, buffer);
}

/* The day @time (µs since 1970) falls on in @zone, as YYYY-MM-DD. */
static void
append_date (GString   *csv,
             GTimeZone *zone,
             gint64     time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  gint64 seconds = time / G_USEC_PER_SEC;

  /* Rounded down, so a time just before 1970 is on the day before. */
  if (time % G_USEC_PER_SEC < 0)
    seconds--;

  utc = g_date_time_new_from_unix_utc (seconds);
  local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
  if (local == NULL)
    return;

  g_string_append_printf (csv, "%04d-%02d-%02d",
                          g_date_time_get_year (local),
                          g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local));
}

char *
cria_spending_to_csv (const CriaSpending *spending,
                      GTimeZone          *zone,
                      gsize              *length)
{
  GString *csv;

  g_return_val_if_fail (spending != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);

  csv = g_string_new ("date,model,answers,tokens_in,tokens_out,cost_usd,estimated_answers,unpriced_answers\r\n");

  for (guint i = 0; i < spending->n_periods; i++)
    {
      GPtrArray *rows = spending->periods[i];

      for (guint j = 0; rows != NULL && j < rows->len; j++)
        {
          const CriaSpendingRow *row = g_ptr_array_index (rows, j);

          append_date (csv, zone, spending->edges[i]);
          g_string_append_c (csv, ',');
          append_text_field (csv, row->model);
          g_string_append_printf (csv, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",",
                                  row->answers, row->tokens_in, row->tokens_out);
          append_cost (csv, row->cost);
          g_string_append_printf (csv, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\r\n",
                                  row->estimated, row->unpriced);
        }
    }

  if (length != NULL)
    *length = csv->len;

  return g_string_free (csv, FALSE);
}
