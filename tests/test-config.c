/* test-config.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>

#include "cria-api-error.h"
#include "cria-config.h"

typedef struct
{
  const char *input;
  const char *expected;
} Accepted;

typedef struct
{
  const char *input;
  int         code;
} Refused;

static void
test_normalize_accepted (void)
{
  static const Accepted cases[] = {
    { "https://api.llamagate.dev/v1", "https://api.llamagate.dev/v1" },
    { CRIA_DEFAULT_BASE_URL, CRIA_DEFAULT_BASE_URL },
    { "https://api.llamagate.dev/v1/", "https://api.llamagate.dev/v1" },
    { "https://api.llamagate.dev/v1///", "https://api.llamagate.dev/v1" },
    { "https://api.llamagate.dev/", "https://api.llamagate.dev" },
    { "https://api.llamagate.dev", "https://api.llamagate.dev" },
    { "HTTPS://API.LlamaGate.DEV/v1", "https://api.llamagate.dev/v1" },
    /* The path is the server's business: its case is kept. */
    { "https://Example.COM:8443/OpenAI/V1/", "https://example.com:8443/OpenAI/V1" },
    { "https://gateway.example.com:443/v1", "https://gateway.example.com:443/v1" },
    { "https://gateway.example.com/a%2Fb/v1", "https://gateway.example.com/a%2Fb/v1" },
    { "  https://api.llamagate.dev/v1\n", "https://api.llamagate.dev/v1" },
    { "https://203.0.113.7/v1", "https://203.0.113.7/v1" },
    { "https://[2001:db8::1]:8443/v1", "https://[2001:db8::1]:8443/v1" },
    { "http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1" },
    { "http://127.0.0.1:11434/v1/", "http://127.0.0.1:11434/v1" },
    { "http://127.5.6.7", "http://127.5.6.7" },
    { "http://localhost", "http://localhost" },
    { "HTTP://LocalHost:4000/v1", "http://localhost:4000/v1" },
    { "http://localhost./v1", "http://localhost./v1" },
    { "http://llm.localhost:8080/v1", "http://llm.localhost:8080/v1" },
    { "http://[::1]:8080/v1", "http://[::1]:8080/v1" },
    { "http://[::1]", "http://[::1]" },
    { "http://[::ffff:127.0.0.1]:8080", "http://[::ffff:127.0.0.1]:8080" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;

      g_test_message ("accepting “%s”", cases[i].input);
      result = cria_config_normalize_base_url (cases[i].input, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (result, ==, cases[i].expected);
    }
}

static void
test_normalize_idempotent (void)
{
  static const char * const urls[] = {
    "HTTPS://API.LlamaGate.DEV/v1/",
    "http://[::1]:8080/v1/",
    "https://bücher.example/v1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *once = cria_config_normalize_base_url (urls[i], &error);
      g_autofree char *twice = NULL;

      g_assert_no_error (error);
      twice = cria_config_normalize_base_url (once, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (once, ==, twice);
    }
}

static void
test_normalize_idn (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = cria_config_normalize_base_url ("https://Bücher.example/v1", &error);

  /* A host is sent as ASCII; IDN names become punycode. */
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, "https://xn--bcher-kva.example/v1");
}

static void
test_normalize_insecure (void)
{
  static const char * const urls[] = {
    "http://example.com",
    "http://api.llamagate.dev/v1",
    "HTTP://API.LLAMAGATE.DEV/v1",
    "http://127.0.0.1.evil.com/v1",
    "http://localhost.evil.com/v1",
    "http://evil-localhost/v1",
    "http://notlocalhost/v1",
    "http://10.0.0.5:11434/v1",
    "http://192.168.1.10/v1",
    "http://0.0.0.0:8080/v1",
    "http://[2001:db8::1]/v1",
    "http://[::ffff:10.0.0.1]/v1",
    "http://128.0.0.1/v1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;

      g_test_message ("refusing “%s”", urls[i]);
      result = cria_config_normalize_base_url (urls[i], &error);
      g_assert_null (result);
      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_INSECURE_URL);
      g_assert_nonnull (strstr (error->message, "https://"));
    }
}

static void
test_normalize_insecure_names_host (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;

  result = cria_config_normalize_base_url ("http://Gateway.Example.com:8080/v1", &error);
  g_assert_null (result);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, "gateway.example.com"));
}

static void
test_normalize_invalid (void)
{
  static const Refused cases[] = {
    { "", CRIA_API_ERROR_INVALID_URL },
    { "   ", CRIA_API_ERROR_INVALID_URL },
    { "not a url", CRIA_API_ERROR_INVALID_URL },
    { "api.llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "localhost:8080", CRIA_API_ERROR_INVALID_URL },
    { "//api.llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "ftp://api.llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "file:///etc/passwd", CRIA_API_ERROR_INVALID_URL },
    { "ws://localhost:8080", CRIA_API_ERROR_INVALID_URL },
    { "https://", CRIA_API_ERROR_INVALID_URL },
    { "https:///v1", CRIA_API_ERROR_INVALID_URL },
    { "https:api.llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://user:pass@api.llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://user@api.llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://@api.llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "http://user:pass@localhost:8080/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev/v1?key=1", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev/v1?", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev/v1#top", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev/v1#", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llama gate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev/v 1", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev\n/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://api..llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://.llamagate.dev/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://my_gateway.example/v1", CRIA_API_ERROR_INVALID_URL },
    { "http://my_gateway.localhost/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev:99999/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev:0/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev:port/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://api.llamagate.dev/%zz", CRIA_API_ERROR_INVALID_URL },
    { "https://[::1/v1", CRIA_API_ERROR_INVALID_URL },
    { "https://[fe80::1%25eth0]/v1", CRIA_API_ERROR_INVALID_URL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;

      g_test_message ("refusing “%s”", cases[i].input);
      result = cria_config_normalize_base_url (cases[i].input, &error);
      g_assert_null (result);
      g_assert_error (error, CRIA_API_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* A key pasted into the address field must not come back in an error
 * message, which may be shown, logged or reported. */
static void
test_normalize_never_echoes_key (void)
{
  static const char *key = "llg_sk_0123456789abcdefSECRET";
  static const struct
  {
    const char *before;
    const char *after;
  } templates[] = {
    { "", "" },
    { "https://", "" },
    { "http://", "/v1" },
    { "https://", "@api.llamagate.dev/v1" },
    { "https://user:", "@api.llamagate.dev/v1" },
    { "https://api.llamagate.dev/v1?key=", "" },
    { "https://api.llamagate.dev/v1#", "" },
    { "http://localhost/v1?api_key=", "" },
    { "Bearer ", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *input = g_strconcat (templates[i].before, key, templates[i].after, NULL);
      g_autofree char *result = NULL;

      result = cria_config_normalize_base_url (input, &error);
      g_assert_null (result);
      g_assert_nonnull (error);
      g_assert_true (error->domain == CRIA_API_ERROR);
      g_assert_null (strstr (error->message, key));
      g_assert_null (strstr (error->message, "SECRET"));
    }
}

static void
test_loopback_host (void)
{
  static const char * const loopback[] = {
    "127.0.0.1", "127.5.6.7", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1", "localhost", "LOCALHOST", "localhost.", "llm.localhost",
    "a.b.LocalHost",
  };
  static const char * const remote[] = {
    "", "127.0.0.1.evil.com", "localhost.evil.com", "evil-localhost", "notlocalhost",
    ".localhost", "localhostx", "128.0.0.1", "126.255.255.255", "0.0.0.0", "::",
    "::2", "[::2]", "::ffff:10.0.0.1", "10.0.0.1", "192.168.0.1", "example.com",
    "[::1", "127.1", "2130706433", "0x7f.0.0.1",
  };

  g_assert_false (cria_config_is_loopback_host (NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (loopback); i++)
    {
      g_test_message ("loopback: “%s”", loopback[i]);
      g_assert_true (cria_config_is_loopback_host (loopback[i]));
    }

  for (gsize i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      g_test_message ("not loopback: “%s”", remote[i]);
      g_assert_false (cria_config_is_loopback_host (remote[i]));
    }
}

static void
test_pick_base_url (void)
{
  /* The test environment sets both variables to "", which counts as unset. */
  g_assert_cmpstr (cria_config_pick_base_url (NULL), ==, CRIA_DEFAULT_BASE_URL);
  g_assert_cmpstr (cria_config_pick_base_url (""), ==, CRIA_DEFAULT_BASE_URL);
  g_assert_cmpstr (cria_config_pick_base_url ("  "), ==, CRIA_DEFAULT_BASE_URL);
  g_assert_cmpstr (cria_config_pick_base_url ("https://configured.example/v1"), ==,
                   "https://configured.example/v1");

  g_unsetenv (CRIA_ENV_API_BASE);
  g_assert_cmpstr (cria_config_pick_base_url (NULL), ==, CRIA_DEFAULT_BASE_URL);
  g_assert_cmpstr (cria_config_pick_base_url (""), ==, CRIA_DEFAULT_BASE_URL);
  g_assert_cmpstr (cria_config_pick_base_url ("https://configured.example/v1"), ==,
                   "https://configured.example/v1");

  g_setenv (CRIA_ENV_API_BASE, "", TRUE);
  g_assert_cmpstr (cria_config_pick_base_url ("https://configured.example/v1"), ==,
                   "https://configured.example/v1");

  g_setenv (CRIA_ENV_API_BASE, " \t", TRUE);
  g_assert_cmpstr (cria_config_pick_base_url ("https://configured.example/v1"), ==,
                   "https://configured.example/v1");

  g_setenv (CRIA_ENV_API_BASE, "http://localhost:4000/v1", TRUE);
  g_assert_cmpstr (cria_config_pick_base_url (NULL), ==, "http://localhost:4000/v1");
  g_assert_cmpstr (cria_config_pick_base_url (""), ==, "http://localhost:4000/v1");
  g_assert_cmpstr (cria_config_pick_base_url ("https://configured.example/v1"), ==,
                   "http://localhost:4000/v1");

  g_setenv (CRIA_ENV_API_BASE, "", TRUE);
}

static void
test_env_api_key (void)
{
  const char *key;

  /* As the test environment has it. */
  g_setenv (CRIA_ENV_API_KEY, "", TRUE);
  g_assert_null (cria_config_get_env_api_key ());

  g_unsetenv (CRIA_ENV_API_KEY);
  g_assert_null (cria_config_get_env_api_key ());

  g_setenv (CRIA_ENV_API_KEY, " \t\r\n", TRUE);
  g_assert_null (cria_config_get_env_api_key ());

  g_setenv (CRIA_ENV_API_KEY, "llg_sk_test", TRUE);
  g_assert_cmpstr (cria_config_get_env_api_key (), ==, "llg_sk_test");

  /* Stray whitespace around a pasted key would make every request fail. */
  g_setenv (CRIA_ENV_API_KEY, "  llg_sk_padded\r\n", TRUE);
  key = cria_config_get_env_api_key ();
  g_assert_cmpstr (key, ==, "llg_sk_padded");
  /* The trimmed copy is stable while the variable is unchanged. */
  g_assert_true (cria_config_get_env_api_key () == key);

  g_setenv (CRIA_ENV_API_KEY, "llg_sk_other ", TRUE);
  g_assert_cmpstr (cria_config_get_env_api_key (), ==, "llg_sk_other");

  g_setenv (CRIA_ENV_API_KEY, "", TRUE);
  g_assert_null (cria_config_get_env_api_key ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/normalize/accepted", test_normalize_accepted);
  g_test_add_func ("/config/normalize/idempotent", test_normalize_idempotent);
  g_test_add_func ("/config/normalize/idn", test_normalize_idn);
  g_test_add_func ("/config/normalize/insecure", test_normalize_insecure);
  g_test_add_func ("/config/normalize/insecure-names-host", test_normalize_insecure_names_host);
  g_test_add_func ("/config/normalize/invalid", test_normalize_invalid);
  g_test_add_func ("/config/normalize/never-echoes-key", test_normalize_never_echoes_key);
  g_test_add_func ("/config/loopback-host", test_loopback_host);
  g_test_add_func ("/config/pick-base-url", test_pick_base_url);
  g_test_add_func ("/config/env-api-key", test_env_api_key);

  return g_test_run ();
}
