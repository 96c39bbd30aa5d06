/* test-json-schema.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON answers: the response_format sent, and an answer checked against the
 * schema the user pasted, a failure saying where.
 */

#include "config.h"

#include <string.h>

#include "cria-json-schema.h"
#include "cria-json.h"

static const char person_schema[] =
  "{"
  "  \"title\": \"A person!\","
  "  \"type\": \"object\","
  "  \"properties\": {"
  "    \"name\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 5},"
  "    \"age\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 150},"
  "    \"email\": {\"type\": [\"string\", \"null\"], \"pattern\": \"^[^@]+@[^@]+$\"},"
  "    \"role\": {\"enum\": [\"admin\", \"user\"]},"
  "    \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"maxItems\": 2},"
  "    \"address\": {\"$ref\": \"#/$defs/address\"},"
  "    \"score\": {\"anyOf\": [{\"type\": \"number\", \"exclusiveMaximum\": 1}, {\"type\": \"null\"}]}"
  "  },"
  "  \"required\": [\"name\", \"age\"],"
  "  \"additionalProperties\": false,"
  "  \"$defs\": {"
  "    \"address\": {"
  "      \"type\": \"object\","
  "      \"properties\": {\"city/town\": {\"type\": \"string\"}},"
  "      \"required\": [\"city/town\"]"
  "    }"
  "  }"
  "}";

static JsonNode *
parse_schema (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *schema = cria_json_schema_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (schema);
  return schema;
}

static void
assert_valid (JsonNode   *schema,
              const char *answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) instance = cria_json_schema_parse_answer (answer, &error);

  g_assert_no_error (error);
  if (!cria_json_schema_validate (schema, instance, &error))
    g_error ("%s: %s", answer, error->message);
}

static void
assert_invalid (JsonNode   *schema,
                const char *answer,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) instance = cria_json_schema_parse_answer (answer, &error);

  g_assert_no_error (error);
  g_assert_false (cria_json_schema_validate (schema, instance, &error));
  g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_MISMATCH);
  if (g_strcmp0 (error->message, message) != 0)
    g_error ("%s: “%s”, not “%s”", answer, error->message, message);
}

static void
test_validate (void)
{
  g_autoptr(JsonNode) schema = parse_schema (person_schema);

  assert_valid (schema, "{\"name\": \"Ada\", \"age\": 36}");
  assert_valid (schema, "{\"name\": \"Ada\", \"age\": 36.0, \"email\": null, \"role\": \"admin\","
                        " \"tags\": [\"a\", \"b\"], \"address\": {\"city/town\": \"London\"}, \"score\": 0.5}");
  assert_valid (schema, "{\"name\": \"Zoë\", \"age\": 0, \"email\": \"a@b\", \"score\": null}");

  /* Each failure says where, by JSON pointer, and what was expected. */
  assert_invalid (schema, "[]", "the answer: must be object, not array");
  assert_invalid (schema, "{\"name\": \"Ada\"}", "the answer: the member “age” is missing");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": \"36\"}", "/age: must be integer, not string");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 36.5}", "/age: must be integer, not number");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 151}", "/age: must be at most 150, not 151");
  assert_invalid (schema, "{\"name\": \"\", \"age\": 1}", "/name: must be at least 1 characters long, not 0");
  assert_invalid (schema, "{\"name\": \"Adalbert\", \"age\": 1}", "/name: must be at most 5 characters long, not 8");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"nick\": \"A\"}", "the answer: the member “nick” is not allowed");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"email\": \"nobody\"}",
                  "/email: does not match the pattern ^[^@]+@[^@]+$");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"email\": 3}", "/email: must be string or null, not integer");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"role\": \"root\"}", "/role: must be one of [\"admin\",\"user\"]");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"tags\": [\"a\", 2]}", "/tags/1: must be string, not integer");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"tags\": [\"a\", \"b\", \"c\"]}",
                  "/tags: must have at most 2 items, not 3");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"address\": {}}",
                  "/address: the member “city/town” is missing");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"address\": {\"city/town\": 1}}",
                  "/address/city~1town: must be string, not integer");
  assert_invalid (schema, "{\"name\": \"Ada\", \"age\": 1, \"score\": 1}",
                  "/score: fits none of the choices (the first: /score: must be less than 1, not 1)");
}

static void
test_answer_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) fenced = cria_json_schema_parse_answer ("  ```json\n{\"a\": [1, 2]}\n```\n", &error);
  g_autoptr(JsonNode) broken = NULL;
  g_autoptr(JsonNode) deep = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *nested = NULL;

  g_assert_no_error (error);
  pretty = cria_json_schema_pretty (fenced);
  g_assert_cmpstr (pretty, ==, "{\n  \"a\" : [\n    1,\n    2\n  ]\n}");

  /* Where the text stops being JSON. */
  broken = cria_json_schema_parse_answer ("{\n  \"a\": 1,\n  \"b\" 2\n}", &error);
  g_assert_null (broken);
  g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON);
  g_assert_nonnull (strstr (error->message, "3:"));
  g_clear_error (&error);

  g_assert_null (cria_json_schema_parse_answer ("   ", &error));
  g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON);
  g_clear_error (&error);

  /* Nesting that would run json-glib's parser out of stack is refused first. */
  nested = g_strnfill (1000000, '[');
  deep = cria_json_schema_parse_answer (nested, &error);
  g_assert_null (deep);
  g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON);
}

static void
test_bad_schemas (void)
{
  static const struct { const char *schema; const char *says; } cases[] = {
    { "[1]", "A schema must be a JSON object" },
    { "{\"type\": \"strin\"}", "The schema at /type: “strin” is not a JSON type" },
    { "{\"properties\": {\"a\": {\"type\": 3}}}", "The schema at /properties/a/type: must be a type name or a list of them" },
    { "{\"required\": \"a\"}", "The schema at /required: must be a list of member names" },
    { "{\"pattern\": \"(\"}", "The schema at /pattern: not a regular expression" },
    { "{\"$ref\": \"#/$defs/missing\"}", "The schema at /$ref: must point into this schema" },
    { "{\"$ref\": \"https://example.org/schema\"}", "The schema at /$ref: must point into this schema" },
    { "{\"minLength\": -1}", "The schema at /minLength: must be a whole number" },
    { "{\"anyOf\": []}", "The schema at /anyOf: must be a list of schemas" },
    { "{\"items\": 5}", "The schema at /items: a schema must be an object" },
    { "{\"type\": \"object\",", "Not JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) schema = cria_json_schema_parse (cases[i].schema, &error);

      g_assert_null (schema);
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, cases[i].says))
        g_error ("%s: “%s” does not start with “%s”", cases[i].schema, error->message, cases[i].says);
    }
}

static void
test_bounds (void)
{
  g_autoptr(GString) deep_schema = g_string_new (NULL);
  g_autoptr(JsonNode) loop = parse_schema ("{\"$ref\": \"#\"}");
  g_autoptr(JsonNode) value = json_from_string ("1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) deep = NULL;

  /* A schema that refers to itself ends with an error, not a crash. */
  g_assert_false (cria_json_schema_validate (loop, value, &error));
  g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_clear_error (&error);

  for (guint i = 0; i < 100; i++)
    g_string_append (deep_schema, "{\"items\": ");
  g_string_append (deep_schema, "{}");
  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep_schema, '}');
  deep = cria_json_schema_parse (deep_schema->str, &error);
  g_assert_null (deep);
  g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_INVALID_SCHEMA);
}

static void
test_response_format (void)
{
  g_autoptr(JsonNode) schema = parse_schema (person_schema);
  g_autofree char *object_mode = cria_json_schema_response_format (NULL);
  g_autofree char *with_schema = cria_json_schema_response_format (schema);
  g_autoptr(JsonNode) parsed = json_from_string (with_schema, NULL);
  g_autoptr(JsonNode) object_parsed = json_from_string (object_mode, NULL);
  JsonObject *inner;

  g_assert_cmpstr (object_mode, ==, "{\"type\":\"json_object\"}");
  g_assert_null (cria_json_schema_from_response_format (object_parsed));

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parsed), "type"), ==, "json_schema");
  inner = json_object_get_object_member (json_node_get_object (parsed), "json_schema");
  /* The name is what the API accepts: letters, digits, _ and -. */
  g_assert_cmpstr (json_object_get_string_member (inner, "name"), ==, "A_person");
  g_assert_true (json_object_get_boolean_member (inner, "strict"));
  g_assert_true (json_node_equal (cria_json_schema_from_response_format (parsed), schema));
}

static void
test_present (void)
{
  g_autoptr(JsonNode) schema = parse_schema (person_schema);
  g_autofree char *format = cria_json_schema_response_format (schema);
  g_autofree char *object_mode = cria_json_schema_response_format (NULL);
  g_autofree char *verdict = NULL;
  g_autofree char *shown = NULL;
  gboolean fits;

  shown = cria_json_schema_present_answer ("{\"name\":\"Ada\",\"age\":36}", format, &verdict, &fits);
  g_assert_cmpstr (shown, ==, "```json\n{\n  \"name\" : \"Ada\",\n  \"age\" : 36\n}\n```\n");
  g_assert_cmpstr (verdict, ==, "The answer follows the schema.");
  g_assert_true (fits);
  g_clear_pointer (&shown, g_free);
  g_clear_pointer (&verdict, g_free);

  shown = cria_json_schema_present_answer ("{\"name\":\"Ada\",\"age\":-1}", format, &verdict, &fits);
  g_assert_nonnull (shown);
  g_assert_cmpstr (verdict, ==, "The answer does not follow the schema: /age: must be at least 0, not -1");
  g_assert_false (fits);
  g_clear_pointer (&shown, g_free);
  g_clear_pointer (&verdict, g_free);

  /* Backticks in a string cannot end the code block early. */
  shown = cria_json_schema_present_answer ("{\"a\": \"```\"}", object_mode, &verdict, &fits);
  g_assert_true (g_str_has_prefix (shown, "````json\n"));
  g_assert_cmpstr (verdict, ==, "The answer is JSON.");
  g_assert_true (fits);
  g_clear_pointer (&shown, g_free);
  g_clear_pointer (&verdict, g_free);

  shown = cria_json_schema_present_answer ("Sure! Here is the JSON: {", object_mode, &verdict, &fits);
  g_assert_null (shown);
  g_assert_true (g_str_has_prefix (verdict, "The answer is not JSON."));
  g_assert_false (fits);
}

/* JSON-GLib 1.6 would read two values one after the other, keep the last and
 * lose the first; a schema, an answer or tool-call arguments holding two
 * values is refused as such instead. */
static void
test_one_value (void)
{
  const char *two[] = {
    "{\"type\": \"object\"} {\"type\": \"array\"}",
    "{\"type\": \"object\"}\n[1, \"a\"]",
    "true{}",
    "\"a\" \"b\"",
    "12 34",
    "{} ]",
  };
  const char *one[] = { "{\"a\": \"} {\"}", "  [1, [2], {\"b\": \"]\"}]  ", "12", "\"x\\\"y\"", "true" };

  for (guint i = 0; i < G_N_ELEMENTS (two); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) schema = cria_json_schema_parse (two[i], &error);

      g_assert_null (schema);
      g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON);
      g_assert_false (cria_json_is_single_value (two[i], strlen (two[i])));
    }
  for (guint i = 0; i < G_N_ELEMENTS (one); i++)
    g_assert_true (cria_json_is_single_value (one[i], strlen (one[i])));
  g_assert_false (cria_json_is_single_value ("   ", 3));
}

/* JSON-GLib 1.6 takes escapes JSON does not have and decodes some to bytes
 * that are not UTF-8; such text is refused before it is parsed, and can be
 * repaired into text whose every string is valid UTF-8 with nothing else
 * lost. */
static void
test_string_escapes (void)
{
  const struct {
    const char *text;
    const char *repaired; /* the value of "a" once repaired, NULL if fine as is */
  } cases[] = {
    { "{\"a\": \"x\\u00e9\\n\\\"\\/\"}", NULL },
    { "{\"a\": \"\\ud83d\\ude00\"}", NULL },
    { "{\"a\": \"x\\601y\"}", "x\\601y" },
    { "{\"a\": \"x\\'y\"}", "x\\'y" },
    { "{\"a\": \"x\\udc00y\"}", "x\xef\xbf\xbdy" },
    { "{\"a\": \"x\\ud83dy\"}", "x\xef\xbf\xbdy" },
    { "{\"a\": \"x\\ud83d\"}", "x\xef\xbf\xbd" },
    { "{\"a\": \"x\\u0000y\"}", "x\xef\xbf\xbdy" },
    { "{\"a\": \"x\\u12g4\"}", "x\\u12g4" },
    { "{\"a\": \"x\xff\"}", "x\xef\xbf\xbd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *text = cases[i].text;
      gsize len = strlen (text);
      gsize repaired_len = 0;
      g_autofree char *repaired = cria_json_repair_strings (text, len, &repaired_len);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) schema = NULL;
      const char *value;

      if (cases[i].repaired == NULL)
        {
          g_assert_true (cria_json_is_single_value (text, len));
          g_assert_null (repaired);
          g_assert_cmpuint (repaired_len, ==, 0);
          continue;
        }

      if (g_utf8_validate (text, -1, NULL))
        g_assert_false (cria_json_is_single_value (text, len));
      schema = cria_json_schema_parse (text, &error);
      g_assert_null (schema);
      g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));

      g_assert_nonnull (repaired);
      g_assert_cmpuint (repaired_len, ==, strlen (repaired));
      g_assert_true (cria_json_is_single_value (repaired, repaired_len));
      g_assert_true (json_parser_load_from_data (parser, repaired, (gssize) repaired_len, NULL));
      value = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "a");
      g_assert_true (g_utf8_validate (value, -1, NULL));
      g_assert_cmpstr (value, ==, cases[i].repaired);
    }

  /* JSON-GLib quotes what it read cut at a byte count, here inside an é:
   * the message that reaches the window is still UTF-8. */
  {
    g_autoptr(GString) text = g_string_new ("{\"");
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) schema = NULL;

    for (guint i = 0; i < 19; i++)
      g_string_append (text, "\xc3\xa9");
    g_string_append (text, "\" 1}");
    schema = cria_json_schema_parse (text->str, &error);
    g_assert_null (schema);
    g_assert_error (error, CRIA_JSON_SCHEMA_ERROR, CRIA_JSON_SCHEMA_ERROR_NOT_JSON);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_true (g_str_has_prefix (error->message, "Not JSON at line:column 1:41: "));
  }

  /* Brackets and quotes escaped inside strings do not count. */
  g_assert_true (cria_json_is_single_value ("[\"\\\"]\"]", strlen ("[\"\\\"]\"]")));
  /* A backslash at the very end leaves the string open. */
  g_assert_false (cria_json_is_single_value ("\"x\\", 3));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-schema/validate", test_validate);
  g_test_add_func ("/json-schema/answer-text", test_answer_text);
  g_test_add_func ("/json-schema/bad-schemas", test_bad_schemas);
  g_test_add_func ("/json-schema/bounds", test_bounds);
  g_test_add_func ("/json-schema/response-format", test_response_format);
  g_test_add_func ("/json-schema/present", test_present);
  g_test_add_func ("/json-schema/one-value", test_one_value);
  g_test_add_func ("/json-schema/string-escapes", test_string_escapes);

  return g_test_run ();
}
