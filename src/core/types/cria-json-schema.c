/* cria-json-schema.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A validator for the part of JSON Schema that structured outputs use. It
 * stops at the first mismatch and names it by JSON pointer, which is what a
 * reader needs to find it in a pretty-printed answer.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-json-schema.h"
#include "cria-json.h"

G_DEFINE_QUARK (cria-json-schema-error-quark, cria_json_schema_error)

/* json-glib's parser recurses on nesting: text nested deeper than this is
 * refused before it is parsed. */
#define MAX_TEXT_DEPTH 512

typedef struct
{
  JsonNode  *root;
  GString   *path;
  guint      depth;
  int        code;
  GError   **error;
} Walk;

static const char *const type_names[] = {
  "object", "array", "string", "number", "integer", "boolean", "null",
};

G_GNUC_PRINTF (2, 3)
static gboolean
fail (Walk       *walk,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (walk->code == CRIA_JSON_SCHEMA_ERROR_MISMATCH)
    g_set_error (walk->error, CRIA_JSON_SCHEMA_ERROR, walk->code, "%s: %s",
                 walk->path->len > 0 ? walk->path->str : _("the answer"), what);
  else
    g_set_error (walk->error, CRIA_JSON_SCHEMA_ERROR, walk->code, _("The schema at %s: %s"),
                 walk->path->len > 0 ? walk->path->str : "/", what);
  return FALSE;
}

/* Appends a JSON pointer step (RFC 6901) and returns the old length. */
static gsize
push (Walk       *walk,
      const char *step)
{
  gsize old = walk->path->len;

  g_string_append_c (walk->path, '/');
  for (const char *p = step; *p != '\0'; p++)
    {
      if (*p == '~')
        g_string_append (walk->path, "~0");
      else if (*p == '/')
        g_string_append (walk->path, "~1");
      else
        g_string_append_c (walk->path, *p);
    }
  return old;
}

static gsize
push_index (Walk  *walk,
            guint  index)
{
  char step[16];

  g_snprintf (step, sizeof step, "%u", index);
  return push (walk, step);
}

static void
pop (Walk  *walk,
     gsize  old)
{
  g_string_truncate (walk->path, old);
}

static const char *
node_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "object";
    case JSON_NODE_ARRAY:
      return "array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "string";
    case G_TYPE_BOOLEAN:
      return "boolean";
    case G_TYPE_INT64:
      return "integer";
    default:
      return "number";
    }
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static double
number_of (JsonNode *node)
{
  return json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                         : json_node_get_double (node);
}

static gboolean
type_matches (const char *type,
              JsonNode   *node)
{
  const char *actual = node_type_name (node);

  if (g_str_equal (type, actual))
    return TRUE;
  if (g_str_equal (type, "number"))
    return g_str_equal (actual, "integer");
  if (g_str_equal (type, "integer") && g_str_equal (actual, "number"))
    {
      double x = json_node_get_double (node);
      return isfinite (x) && floor (x) == x;
    }
  return FALSE;
}

static gboolean
is_type_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (name, type_names[i]))
      return TRUE;
  return FALSE;
}

/* The schema a local $ref points at, or NULL. */
static JsonNode *
resolve_ref (JsonNode   *root,
             const char *ref)
{
  g_auto(GStrv) steps = NULL;
  JsonNode *node = root;

  if (g_str_equal (ref, "#"))
    return root;
  if (!g_str_has_prefix (ref, "#/"))
    return NULL;

  steps = g_strsplit (ref + 2, "/", 32);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_autoptr(GString) step = g_string_new (steps[i]);

      g_string_replace (step, "~1", "/", 0);
      g_string_replace (step, "~0", "~", 0);
      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !json_object_has_member (json_node_get_object (node), step->str))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), step->str);
    }
  return node;
}

/* Checking a schema. */

static gboolean check_schema (Walk *walk, JsonNode *schema);

static gboolean
check_schema_member (Walk       *walk,
                     const char *name,
                     JsonNode   *schema)
{
  gsize old = push (walk, name);
  gboolean ok = check_schema (walk, schema);

  if (ok)
    pop (walk, old);
  return ok;
}

static gboolean
check_schema_list (Walk       *walk,
                   JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;
  gsize old;

  if (node == NULL)
    return TRUE;
  old = push (walk, name);
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return fail (walk, _("must be a list of schemas"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gsize before = push_index (walk, i);

      if (!check_schema (walk, json_array_get_element (array, i)))
        return FALSE;
      pop (walk, before);
    }
  pop (walk, old);
  return TRUE;
}

static gboolean
check_schema_map (Walk       *walk,
                  JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GList) members = NULL;
  gsize old;

  if (node == NULL)
    return TRUE;
  old = push (walk, name);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (walk, _("must be an object of schemas"));
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    if (!check_schema_member (walk, l->data, json_object_get_member (json_node_get_object (node), l->data)))
      return FALSE;
  pop (walk, old);
  return TRUE;
}

static gboolean
check_number_member (Walk       *walk,
                     JsonObject *object,
                     const char *name,
                     gboolean    count)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!is_number (node) || (count && (number_of (node) < 0 || floor (number_of (node)) != number_of (node))))
    {
      push (walk, name);
      return fail (walk, count ? _("must be a whole number that is not negative") : _("must be a number"));
    }
  return TRUE;
}

static gboolean
check_schema (Walk     *walk,
              JsonNode *schema)
{
  JsonObject *object;
  JsonNode *node;
  gboolean ok = FALSE;

  if (walk->depth >= CRIA_JSON_SCHEMA_MAX_DEPTH)
    return fail (walk, _("the schema is nested too deeply"));

  if (JSON_NODE_HOLDS_VALUE (schema) && json_node_get_value_type (schema) == G_TYPE_BOOLEAN)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (schema))
    return fail (walk, _("a schema must be an object"));

  walk->depth++;
  object = json_node_get_object (schema);

  if ((node = json_object_get_member (object, "type")) != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (!is_type_name (json_node_get_string (node)))
            {
              push (walk, "type");
              return fail (walk, _("“%s” is not a JSON type"), json_node_get_string (node));
            }
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *types = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (types); i++)
            {
              JsonNode *type = json_array_get_element (types, i);

              if (!JSON_NODE_HOLDS_VALUE (type) || json_node_get_value_type (type) != G_TYPE_STRING ||
                  !is_type_name (json_node_get_string (type)))
                {
                  push (walk, "type");
                  push_index (walk, i);
                  return fail (walk, _("not a JSON type"));
                }
            }
        }
      else
        {
          push (walk, "type");
          return fail (walk, _("must be a type name or a list of them"));
        }
    }

  if ((node = json_object_get_member (object, "required")) != NULL)
    {
      JsonArray *names = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; names != NULL && i < json_array_get_length (names); i++)
        {
          JsonNode *name = json_array_get_element (names, i);

          if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
            names = NULL;
        }
      if (names == NULL)
        {
          push (walk, "required");
          return fail (walk, _("must be a list of member names"));
        }
    }

  if ((node = json_object_get_member (object, "enum")) != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    {
      push (walk, "enum");
      return fail (walk, _("must be a list of values"));
    }

  if ((node = json_object_get_member (object, "pattern")) != NULL)
    {
      g_autoptr(GRegex) regex = NULL;
      g_autoptr(GError) regex_error = NULL;

      push (walk, "pattern");
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return fail (walk, _("must be a regular expression"));
      regex = g_regex_new (json_node_get_string (node), 0, 0, &regex_error);
      if (regex == NULL)
        return fail (walk, _("not a regular expression Cria can use: %s"), regex_error->message);
      pop (walk, walk->path->len - strlen ("/pattern"));
    }

  if ((node = json_object_get_member (object, "$ref")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          resolve_ref (walk->root, json_node_get_string (node)) == NULL)
        {
          push (walk, "$ref");
          return fail (walk, _("must point into this schema, as #/$defs/name does"));
        }
    }

  if (!check_number_member (walk, object, "minimum", FALSE) ||
      !check_number_member (walk, object, "maximum", FALSE) ||
      !check_number_member (walk, object, "exclusiveMinimum", FALSE) ||
      !check_number_member (walk, object, "exclusiveMaximum", FALSE) ||
      !check_number_member (walk, object, "minLength", TRUE) ||
      !check_number_member (walk, object, "maxLength", TRUE) ||
      !check_number_member (walk, object, "minItems", TRUE) ||
      !check_number_member (walk, object, "maxItems", TRUE))
    return FALSE;

  if (!check_schema_map (walk, object, "properties") ||
      !check_schema_map (walk, object, "$defs") ||
      !check_schema_map (walk, object, "definitions") ||
      !check_schema_list (walk, object, "anyOf") ||
      !check_schema_list (walk, object, "oneOf") ||
      !check_schema_list (walk, object, "allOf"))
    return FALSE;

  if ((node = json_object_get_member (object, "items")) != NULL &&
      !check_schema_member (walk, "items", node))
    return FALSE;
  if ((node = json_object_get_member (object, "additionalProperties")) != NULL &&
      !check_schema_member (walk, "additionalProperties", node))
    return FALSE;

  ok = TRUE;
  walk->depth--;
  return ok;
}

/* Validating an answer. */

static gboolean validate (Walk *walk, JsonNode *schema, JsonNode *instance);

static gboolean
validate_choices (Walk       *walk,
                  JsonObject *object,
                  JsonNode   *instance)
{
  JsonNode *node;

  if ((node = json_object_get_member (object, "allOf")) != NULL)
    {
      JsonArray *all = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (all); i++)
        if (!validate (walk, json_array_get_element (all, i), instance))
          return FALSE;
    }

  for (guint which = 0; which < 2; which++)
    {
      const char *name = which == 0 ? "anyOf" : "oneOf";
      g_autoptr(GError) first = NULL;
      JsonArray *choices;
      guint fits = 0;

      if ((node = json_object_get_member (object, name)) == NULL)
        continue;
      choices = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (choices); i++)
        {
          g_autoptr(GError) error = NULL;
          GError **outer = walk->error;
          gboolean ok;

          gsize old = walk->path->len;
          guint depth = walk->depth;

          /* A choice that does not fit leaves its path and depth behind. */
          walk->error = &error;
          ok = validate (walk, json_array_get_element (choices, i), instance);
          walk->error = outer;
          pop (walk, old);
          walk->depth = depth;
          if (ok)
            fits++;
          else if (first == NULL)
            first = g_steal_pointer (&error);
        }
      if (fits == 0)
        return fail (walk, _("fits none of the choices (the first: %s)"), first->message);
      if (which == 1 && fits > 1)
        return fail (walk, _("fits %u of the choices where exactly one must fit"), fits);
    }
  return TRUE;
}

static gboolean
validate_object (Walk       *walk,
                 JsonObject *schema,
                 JsonObject *instance)
{
  JsonNode *properties_node = json_object_get_member (schema, "properties");
  JsonObject *properties = properties_node != NULL ? json_node_get_object (properties_node) : NULL;
  JsonNode *required = json_object_get_member (schema, "required");
  JsonNode *additional = json_object_get_member (schema, "additionalProperties");
  g_autoptr(GList) members = json_object_get_members (instance);

  if (required != NULL)
    {
      JsonArray *names = json_node_get_array (required);

      for (guint i = 0; i < json_array_get_length (names); i++)
        {
          const char *name = json_array_get_string_element (names, i);

          if (!json_object_has_member (instance, name))
            return fail (walk, _("the member “%s” is missing"), name);
        }
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *member = json_object_get_member (instance, name);
      JsonNode *member_schema = properties != NULL ? json_object_get_member (properties, name) : NULL;
      gsize old;

      if (member_schema == NULL)
        {
          if (additional == NULL)
            continue;
          if (JSON_NODE_HOLDS_VALUE (additional) && json_node_get_value_type (additional) == G_TYPE_BOOLEAN &&
              !json_node_get_boolean (additional))
            return fail (walk, _("the member “%s” is not allowed"), name);
          member_schema = additional;
        }
      old = push (walk, name);
      if (!validate (walk, member_schema, member))
        return FALSE;
      pop (walk, old);
    }
  return TRUE;
}

static gboolean
validate_array (Walk       *walk,
                JsonObject *schema,
                JsonArray  *instance)
{
  JsonNode *items = json_object_get_member (schema, "items");
  guint len = json_array_get_length (instance);

  if (json_object_has_member (schema, "minItems") &&
      len < number_of (json_object_get_member (schema, "minItems")))
    return fail (walk, _("must have at least %g items, not %u"),
                 number_of (json_object_get_member (schema, "minItems")), len);
  if (json_object_has_member (schema, "maxItems") &&
      len > number_of (json_object_get_member (schema, "maxItems")))
    return fail (walk, _("must have at most %g items, not %u"),
                 number_of (json_object_get_member (schema, "maxItems")), len);

  if (items == NULL)
    return TRUE;
  for (guint i = 0; i < len; i++)
    {
      gsize old = push_index (walk, i);

      if (!validate (walk, items, json_array_get_element (instance, i)))
        return FALSE;
      pop (walk, old);
    }
  return TRUE;
}

static gboolean
validate_scalar (Walk       *walk,
                 JsonObject *schema,
                 JsonNode   *instance)
{
  JsonNode *node;

  if (is_number (instance))
    {
      double x = number_of (instance);

      if ((node = json_object_get_member (schema, "minimum")) != NULL && x < number_of (node))
        return fail (walk, _("must be at least %g, not %g"), number_of (node), x);
      if ((node = json_object_get_member (schema, "maximum")) != NULL && x > number_of (node))
        return fail (walk, _("must be at most %g, not %g"), number_of (node), x);
      if ((node = json_object_get_member (schema, "exclusiveMinimum")) != NULL && x <= number_of (node))
        return fail (walk, _("must be more than %g, not %g"), number_of (node), x);
      if ((node = json_object_get_member (schema, "exclusiveMaximum")) != NULL && x >= number_of (node))
        return fail (walk, _("must be less than %g, not %g"), number_of (node), x);
    }

  if (JSON_NODE_HOLDS_VALUE (instance) && json_node_get_value_type (instance) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (instance);
      glong len = g_utf8_strlen (text, -1);

      if ((node = json_object_get_member (schema, "minLength")) != NULL && len < number_of (node))
        return fail (walk, _("must be at least %g characters long, not %ld"), number_of (node), len);
      if ((node = json_object_get_member (schema, "maxLength")) != NULL && len > number_of (node))
        return fail (walk, _("must be at most %g characters long, not %ld"), number_of (node), len);
      if ((node = json_object_get_member (schema, "pattern")) != NULL)
        {
          g_autoptr(GRegex) regex = g_regex_new (json_node_get_string (node), 0, 0, NULL);

          if (regex != NULL && !g_regex_match (regex, text, 0, NULL))
            return fail (walk, _("does not match the pattern %s"), json_node_get_string (node));
        }
    }
  return TRUE;
}

static gboolean
validate (Walk     *walk,
          JsonNode *schema,
          JsonNode *instance)
{
  JsonObject *object;
  JsonNode *node;
  gboolean ok = FALSE;

  if (walk->depth >= CRIA_JSON_SCHEMA_MAX_DEPTH)
    return fail (walk, _("nested too deeply to check"));

  if (JSON_NODE_HOLDS_VALUE (schema) && json_node_get_value_type (schema) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (schema) ? TRUE : fail (walk, _("no value is allowed here"));
  if (!JSON_NODE_HOLDS_OBJECT (schema))
    return TRUE;

  walk->depth++;
  object = json_object_ref (json_node_get_object (schema));

  if ((node = json_object_get_member (object, "$ref")) != NULL)
    {
      JsonNode *target = resolve_ref (walk->root, json_node_get_string (node));

      if (target != NULL && !validate (walk, target, instance))
        goto out;
    }

  if ((node = json_object_get_member (object, "type")) != NULL)
    {
      gboolean matches = FALSE;
      g_autoptr(GString) expected = g_string_new (NULL);

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *types = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (types); i++)
            {
              const char *type = json_array_get_string_element (types, i);

              matches |= type_matches (type, instance);
              g_string_append_printf (expected, "%s%s", i > 0 ? _(" or ") : "", type);
            }
        }
      else
        {
          matches = type_matches (json_node_get_string (node), instance);
          g_string_append (expected, json_node_get_string (node));
        }
      if (!matches)
        {
          fail (walk, _("must be %s, not %s"), expected->str, node_type_name (instance));
          goto out;
        }
    }

  if ((node = json_object_get_member (object, "enum")) != NULL)
    {
      JsonArray *values = json_node_get_array (node);
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (values) && !found; i++)
        found = json_node_equal (json_array_get_element (values, i), instance);
      if (!found)
        {
          g_autofree char *listed = json_to_string (node, FALSE);

          fail (walk, _("must be one of %s"), listed);
          goto out;
        }
    }

  if ((node = json_object_get_member (object, "const")) != NULL && !json_node_equal (node, instance))
    {
      g_autofree char *value = json_to_string (node, FALSE);

      fail (walk, _("must be %s"), value);
      goto out;
    }

  if (!validate_scalar (walk, object, instance))
    goto out;
  if (JSON_NODE_HOLDS_OBJECT (instance) && !validate_object (walk, object, json_node_get_object (instance)))
    goto out;
  if (JSON_NODE_HOLDS_ARRAY (instance) && !validate_array (walk, object, json_node_get_array (instance)))
    goto out;
  if (!validate_choices (walk, object, instance))
    goto out;

  ok = TRUE;
out:
  json_object_unref (object);
  walk->depth--;
  return ok;
}

/* Parsing. */

/* Whether @text nests brackets deeper than json-glib should recurse. */
static gboolean
too_deep (const char *text,
          gsize       len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_TEXT_DEPTH)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}

static JsonNode *
parse_text (const char  *text,
            gsize        len,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (too_deep (text, len))
    {
      g_set_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON,
                   _("The JSON is nested more than %u levels deep"), MAX_TEXT_DEPTH);
      return NULL;
    }
  if (!cria_json_is_single_value (text, len))
    {
      g_autofree char *repaired = NULL;
      gsize repaired_len = 0;

      repaired = cria_json_repair_strings (text, len, &repaired_len);
      if (repaired != NULL && cria_json_is_single_value (repaired, repaired_len))
        g_set_error_literal (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON,
                             _("Not JSON: a string holds an escape JSON does not have, or half of a surrogate pair"));
      else
        g_set_error_literal (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON,
                             _("Not JSON: there must be exactly one value, an object or an array"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, len, &parse_error))
    {
      g_autofree char *message = cria_json_parse_error_text (parse_error);

      g_set_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON,
                   _("Not JSON at line:column %s"), message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON,
                           _("There is no JSON, only spaces"));
      return NULL;
    }
  return json_node_ref (root);
}

JsonNode *
cria_json_schema_parse (const char  *text,
                        GError     **error)
{
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  Walk walk = { NULL, path, 0, CRIA_JSON_SCHEMA_ERROR_INVALID_SCHEMA, error };

  g_return_val_if_fail (text != NULL, NULL);

  schema = parse_text (text, strlen (text), error);
  if (schema == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (schema))
    {
      g_set_error_literal (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_INVALID_SCHEMA,
                           _("A schema must be a JSON object"));
      return NULL;
    }
  walk.root = schema;
  if (!check_schema (&walk, schema))
    return NULL;
  return g_steal_pointer (&schema);
}

JsonNode *
cria_json_schema_parse_answer (const char  *text,
                               GError     **error)
{
  const char *start, *end;

  g_return_val_if_fail (text != NULL, NULL);

  start = text;
  end = text + strlen (text);
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  /* ```json\n … \n``` */
  if (end - start >= 6 && strncmp (start, "```", 3) == 0 && strncmp (end - 3, "```", 3) == 0)
    {
      const char *newline = memchr (start, '\n', end - start);

      if (newline != NULL && newline < end - 3)
        {
          start = newline + 1;
          end -= 3;
        }
    }
  return parse_text (start, end - start, error);
}

gboolean
cria_json_schema_validate (JsonNode  *schema,
                           JsonNode  *instance,
                           GError   **error)
{
  g_autoptr(GString) path = g_string_new (NULL);
  Walk walk = { schema, path, 0, CRIA_JSON_SCHEMA_ERROR_MISMATCH, error };
  g_autoptr(GError) schema_error = NULL;
  Walk check = { schema, g_string_new (NULL), 0, CRIA_JSON_SCHEMA_ERROR_INVALID_SCHEMA, &schema_error };
  gboolean usable;

  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);

  /* A schema that did not come through cria_json_schema_parse() (one kept
   * with an old message) is checked first: validation trusts its shape. */
  usable = check_schema (&check, schema);
  g_string_free (check.path, TRUE);
  if (!usable)
    {
      g_propagate_error (error, g_steal_pointer (&schema_error));
      return FALSE;
    }
  return validate (&walk, schema, instance);
}

char *
cria_json_schema_response_format (JsonNode *schema)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  if (schema == NULL)
    json_builder_add_string_value (builder, "json_object");
  else
    {
      g_autoptr(GString) name = g_string_new (NULL);
      const char *title = NULL;

      if (JSON_NODE_HOLDS_OBJECT (schema))
        {
          JsonNode *title_node = json_object_get_member (json_node_get_object (schema), "title");

          if (title_node != NULL && JSON_NODE_HOLDS_VALUE (title_node) &&
              json_node_get_value_type (title_node) == G_TYPE_STRING)
            title = json_node_get_string (title_node);
        }
      /* The name must be [a-zA-Z0-9_-]{1,64}. */
      for (const char *p = title; p != NULL && *p != '\0' && name->len < 64; p++)
        {
          if (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
            g_string_append_c (name, *p);
          else if (*p == ' ' && name->len > 0 && name->str[name->len - 1] != '_')
            g_string_append_c (name, '_');
        }
      if (name->len == 0)
        g_string_assign (name, "answer");

      json_builder_add_string_value (builder, "json_schema");
      json_builder_set_member_name (builder, "json_schema");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name->str);
      json_builder_set_member_name (builder, "strict");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "schema");
      json_builder_add_value (builder, json_node_copy (schema));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

JsonNode *
cria_json_schema_from_response_format (JsonNode *response_format)
{
  JsonObject *object, *inner;
  JsonNode *node;

  g_return_val_if_fail (response_format != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (response_format))
    return NULL;
  object = json_node_get_object (response_format);
  node = json_object_get_member (object, "json_schema");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  inner = json_node_get_object (node);
  node = json_object_get_member (inner, "schema");
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? node : NULL;
}

char *
cria_json_schema_pretty (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

char *
cria_json_schema_present_answer (const char  *content,
                                 const char  *response_format,
                                 char       **verdict,
                                 gboolean    *fits)
{
  g_autoptr(JsonNode) format = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pretty = NULL;
  JsonNode *schema;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (verdict != NULL && fits != NULL, NULL);

  *verdict = NULL;
  *fits = FALSE;

  answer = cria_json_schema_parse_answer (content, &error);
  if (answer == NULL)
    {
      *verdict = g_strdup_printf (_("The answer is not JSON. %s"), error->message);
      return NULL;
    }

  format = response_format != NULL ? json_from_string (response_format, NULL) : NULL;
  schema = format != NULL ? cria_json_schema_from_response_format (format) : NULL;
  if (schema == NULL)
    {
      *verdict = g_strdup (_("The answer is JSON."));
      *fits = TRUE;
    }
  else if (cria_json_schema_validate (schema, answer, &error))
    {
      *verdict = g_strdup (_("The answer follows the schema."));
      *fits = TRUE;
    }
  else
    *verdict = g_strdup_printf (_("The answer does not follow the schema: %s"), error->message);

  /* A fence longer than any run of backticks in the text cannot close early. */
  pretty = cria_json_schema_pretty (answer);
  {
    guint longest = 0, run = 0;
    g_autofree char *fence = NULL;

    for (const char *p = pretty; *p != '\0'; p++)
      {
        run = *p == '`' ? run + 1 : 0;
        longest = MAX (longest, run);
      }
    fence = g_strnfill (MAX (3, longest + 1), '`');
    return g_strdup_printf ("%sjson\n%s\n%s\n", fence, pretty, fence);
  }
}
