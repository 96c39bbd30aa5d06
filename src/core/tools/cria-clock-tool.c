/* cria-clock-tool.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Today's date and time, and a time moved from one time zone to another:
 * what a model cannot know from its training.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-builtin-tools-private.h"

struct _CriaClockTool
{
  GObject            parent_instance;

  CriaClockToolKind  kind;
  JsonNode          *parameters;
  GDateTime         *now;
  GTimeZone         *local;
};

static void tool_iface_init (CriaToolInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaClockTool, cria_clock_tool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_TOOL, tool_iface_init))

static const char current_json[] =
  "{"
  "  \"type\": \"object\","
  "  \"properties\": {"
  "    \"timezone\": {"
  "      \"type\": \"string\","
  "      \"description\": \"An IANA time zone such as Europe/Paris or America/New_York, or UTC; the user's own zone when left out\""
  "    }"
  "  },"
  "  \"additionalProperties\": false"
  "}";

static const char convert_json[] =
  "{"
  "  \"type\": \"object\","
  "  \"properties\": {"
  "    \"time\": {"
  "      \"type\": \"string\","
  "      \"description\": \"The time to convert: 2026-03-14T15:30, 2026-03-14 15:30:00, 2026-03-14T15:30:00+01:00, or just 15:30 for today\""
  "    },"
  "    \"from_timezone\": {"
  "      \"type\": \"string\","
  "      \"description\": \"The IANA time zone the time is in; the user's own zone when left out. Ignored when the time has an offset\""
  "    },"
  "    \"to_timezone\": {"
  "      \"type\": \"string\","
  "      \"description\": \"The IANA time zone to convert to, e.g. Asia/Tokyo\""
  "    }"
  "  },"
  "  \"required\": [\"time\", \"to_timezone\"],"
  "  \"additionalProperties\": false"
  "}";

static const char *
get_name (CriaTool *tool)
{
  return CRIA_CLOCK_TOOL (tool)->kind == CRIA_CLOCK_TOOL_CURRENT ? "current_time" : "convert_time";
}

static const char *
get_title (CriaTool *tool)
{
  return CRIA_CLOCK_TOOL (tool)->kind == CRIA_CLOCK_TOOL_CURRENT ? _("Current Date and Time")
                                                                 : _("Time Zone Conversion");
}

static const char *
get_description (CriaTool *tool)
{
  if (CRIA_CLOCK_TOOL (tool)->kind == CRIA_CLOCK_TOOL_CURRENT)
    return "Tells the current date, time, weekday and UTC offset, in the user's time zone or a given one.";
  return "Converts a date and time from one time zone to another (IANA names such as Europe/Berlin).";
}

static JsonNode *
get_parameters (CriaTool *tool)
{
  return CRIA_CLOCK_TOOL (tool)->parameters;
}

static CriaToolApproval
get_approval (CriaTool *tool)
{
  return CRIA_TOOL_APPROVAL_NONE;
}

static GTimeZone *
local_zone (CriaClockTool *self)
{
  return self->local != NULL ? g_time_zone_ref (self->local) : g_time_zone_new_local ();
}

/* @name as a time zone, the local one when NULL, or NULL with an error. */
static GTimeZone *
zone_from_name (CriaClockTool  *self,
                const char     *name,
                GError        **error)
{
  GTimeZone *zone;

  if (name == NULL || *name == '\0')
    return local_zone (self);
  if (g_ascii_strcasecmp (name, "UTC") == 0 || g_ascii_strcasecmp (name, "GMT") == 0 ||
      g_str_equal (name, "Z"))
    return g_time_zone_new_utc ();

  zone = strlen (name) < 128 ? g_time_zone_new_identifier (name) : NULL;
  if (zone == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a known time zone: use an IANA name such as Europe/Berlin, or UTC"), name);
  return zone;
}

static char *
zone_label (GDateTime *time)
{
  GTimeZone *zone = g_date_time_get_timezone (time);
  const char *identifier = g_time_zone_get_identifier (zone);
  g_autofree char *offset = g_date_time_format (time, "%:z");

  return g_strdup_printf ("%s, UTC%s%s%s", identifier, offset,
                          g_date_time_is_daylight_savings (time) ? ", " : "",
                          g_date_time_is_daylight_savings (time) ? "daylight saving time" : "");
}

/* "Monday 2026-12-07 15:31:03 (Europe/Berlin, UTC+01:00)" */
static char *
describe (GDateTime *time)
{
  /* English whatever the user's locale: the text is for the model, which
   * answers in the user's language anyway. */
  static const char *weekdays[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
  };
  g_autofree char *when = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
  g_autofree char *zone = zone_label (time);

  return g_strdup_printf ("%s %s (%s)", weekdays[g_date_time_get_day_of_week (time) - 1], when, zone);
}

static char *
run_current (CriaClockTool  *self,
             JsonObject     *arguments,
             GError        **error)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *described = NULL;
  g_autofree char *iso = NULL;
  const char *name;

  if (!_cria_tool_get_string_arg (arguments, "timezone", FALSE, &name, error))
    return NULL;
  zone = zone_from_name (self, name, error);
  if (zone == NULL)
    return NULL;

  if (self->now != NULL)
    now = g_date_time_to_timezone (self->now, zone);
  else
    now = g_date_time_new_now (zone);

  described = describe (now);
  iso = g_date_time_format_iso8601 (now);
  return g_strdup_printf ("Now: %s\nISO 8601: %s\nUnix time: %" G_GINT64_FORMAT,
                          described, iso, g_date_time_to_unix (now));
}

static gboolean
two_digits (const char *p,
            int        *value)
{
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
    return FALSE;
  *value = (p[0] - '0') * 10 + (p[1] - '0');
  return TRUE;
}

/* "HH:MM" or "HH:MM:SS", nothing else. */
static gboolean
parse_time_of_day (const char *text,
                   int        *hour,
                   int        *minute,
                   int        *seconds)
{
  gsize len = strlen (text);

  *seconds = 0;
  if (len != 5 && len != 8)
    return FALSE;
  if (!two_digits (text, hour) || text[2] != ':' || !two_digits (text + 3, minute))
    return FALSE;
  if (len == 8 && (text[5] != ':' || !two_digits (text + 6, seconds)))
    return FALSE;
  return TRUE;
}

/* Accepts a date and time in ISO 8601 with a space or a T, with or without
 * seconds and offset, or only a time of day (taken as today in @zone). */
static GDateTime *
parse_time (CriaClockTool  *self,
            const char     *text,
            GTimeZone      *zone,
            GError        **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  int hour, minute, seconds;
  GDateTime *parsed;

  if (strlen (copy) >= 11 && copy[10] == ' ')
    copy[10] = 'T';

  /* "15:30" or "15:30:10": today in @zone. */
  if (parse_time_of_day (copy, &hour, &minute, &seconds))
    {
      g_autoptr(GDateTime) now = self->now != NULL ? g_date_time_to_timezone (self->now, zone)
                                                   : g_date_time_new_now (zone);

      parsed = g_date_time_new (zone, g_date_time_get_year (now), g_date_time_get_month (now),
                                g_date_time_get_day_of_month (now), hour, minute, seconds);
    }
  else
    {
      /* A date alone is midnight. */
      if (strlen (copy) == 10)
        {
          char *with_time = g_strconcat (copy, "T00:00:00", NULL);
          g_free (copy);
          copy = with_time;
        }
      /* GLib wants seconds; add them when only hours and minutes are there. */
      else if (strlen (copy) >= 16 && copy[10] == 'T' && (copy[16] == '\0' || copy[16] == '+' ||
                                                          copy[16] == '-' || copy[16] == 'Z'))
        {
          char *with_seconds = g_strdup_printf ("%.16s:00%s", copy, copy + 16);
          g_free (copy);
          copy = with_seconds;
        }
      parsed = g_date_time_new_from_iso8601 (copy, zone);
    }

  if (parsed == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a time Cria understands: write 2026-03-14T15:30 or 15:30"), text);
  return parsed;
}

static char *
run_convert (CriaClockTool  *self,
             JsonObject     *arguments,
             GError        **error)
{
  g_autoptr(GTimeZone) from = NULL;
  g_autoptr(GTimeZone) to = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) converted = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *iso = NULL;
  const char *text, *from_name, *to_name;

  if (!_cria_tool_get_string_arg (arguments, "time", TRUE, &text, error) ||
      !_cria_tool_get_string_arg (arguments, "from_timezone", FALSE, &from_name, error) ||
      !_cria_tool_get_string_arg (arguments, "to_timezone", TRUE, &to_name, error))
    return NULL;

  if ((from = zone_from_name (self, from_name, error)) == NULL ||
      (to = zone_from_name (self, to_name, error)) == NULL ||
      (time = parse_time (self, text, from, error)) == NULL)
    return NULL;

  converted = g_date_time_to_timezone (time, to);
  if (converted == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is outside the years Cria can convert"), text);
      return NULL;
    }

  before = describe (time);
  after = describe (converted);
  iso = g_date_time_format_iso8601 (converted);
  return g_strdup_printf ("%s\nis %s\nISO 8601: %s", before, after, iso);
}

static void
run_async (CriaTool            *tool,
           JsonObject          *arguments,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  CriaClockTool *self = CRIA_CLOCK_TOOL (tool);
  g_autoptr(GTask) task = g_task_new (tool, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_task_set_source_tag (task, run_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->kind == CRIA_CLOCK_TOOL_CURRENT)
    text = run_current (self, arguments, &error);
  else
    text = run_convert (self, arguments, &error);

  if (text == NULL)
    _cria_tool_return_text (task, error->message, TRUE);
  else
    _cria_tool_return_text (task, text, FALSE);
}

static void
tool_iface_init (CriaToolInterface *iface)
{
  iface->get_name = get_name;
  iface->get_title = get_title;
  iface->get_description = get_description;
  iface->get_parameters = get_parameters;
  iface->get_approval = get_approval;
  iface->run_async = run_async;
  iface->run_finish = _cria_tool_task_finish;
}

static void
cria_clock_tool_finalize (GObject *object)
{
  CriaClockTool *self = CRIA_CLOCK_TOOL (object);

  g_clear_pointer (&self->parameters, json_node_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->local, g_time_zone_unref);

  G_OBJECT_CLASS (cria_clock_tool_parent_class)->finalize (object);
}

static void
cria_clock_tool_class_init (CriaClockToolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cria_clock_tool_finalize;
}

static void
cria_clock_tool_init (CriaClockTool *self)
{
}

CriaTool *
cria_clock_tool_new (CriaClockToolKind kind)
{
  CriaClockTool *self = g_object_new (CRIA_TYPE_CLOCK_TOOL, NULL);

  self->kind = kind;
  self->parameters = _cria_tool_parse_schema (kind == CRIA_CLOCK_TOOL_CURRENT ? current_json : convert_json);
  return CRIA_TOOL (self);
}

void
_cria_clock_tool_set_now (CriaClockTool *self,
                          GDateTime     *now,
                          GTimeZone     *local)
{
  g_return_if_fail (CRIA_IS_CLOCK_TOOL (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->local, g_time_zone_unref);
  self->now = now != NULL ? g_date_time_ref (now) : NULL;
  self->local = local != NULL ? g_time_zone_ref (local) : NULL;
}
