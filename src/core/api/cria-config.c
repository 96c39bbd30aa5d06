/* cria-config.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cria-api-error.h"
#include "cria-config.h"
#include "cria-secret.h"

/* The environment names are LiteLLM's, so a shell already set up for other
 * OpenAI-compatible tools works with Cria as it is. */

static gboolean
is_blank (const char *str)
{
  if (str == NULL)
    return TRUE;

  for (; *str != '\0'; str++)
    {
      if (!g_ascii_isspace (*str))
        return FALSE;
    }

  return TRUE;
}

static GError *
invalid_url_error (const char *message)
{
  return cria_api_error_new (CRIA_API_ERROR_INVALID_URL, 0, NULL, -1, message);
}

/* GUri accepts almost anything between "//" and the next "/" as a host, even
 * spaces. A host we will connect to is a DNS name (already converted from
 * IDN to ASCII by GUri) or an IP address. Host names have no "_" (RFC 1123),
 * while keys do: refusing it keeps a key typed into the wrong field out of
 * DNS queries and out of the "use https:// for …" message. */
static gboolean
is_valid_host (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;

  /* GUri hands IPv6 literals over without their brackets. Zone identifiers
   * ("%eth0") are refused: they only name link-local peers, and they do not
   * survive being written back into a URL. */
  if (strchr (host, ':') != NULL)
    {
      g_autoptr(GInetAddress) address = NULL;

      if (strchr (host, '%') != NULL)
        return FALSE;

      address = g_inet_address_new_from_string (host);
      return address != NULL;
    }

  if (host[0] == '.' || host[0] == '-' || strstr (host, "..") != NULL)
    return FALSE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
        return FALSE;
    }

  return TRUE;
}

/**
 * cria_config_is_loopback_host:
 * @host: a host name or IP address, IPv6 with or without brackets
 *
 * Whether @host names this computer: an address in 127.0.0.0/8, `::1` (also
 * as `[::1]` or `::ffff:127.x.y.z`), `localhost` or a name ending in
 * `.localhost` (RFC 6761). Names that merely start like an address, such as
 * `127.0.0.1.example.com`, are not loopback.
 *
 * Returns: %TRUE when traffic to @host never leaves the computer
 */
gboolean
cria_config_is_loopback_host (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) address = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  if (address != NULL)
    {
      const guint8 *bytes;

      if (g_inet_address_get_is_loopback (address))
        return TRUE;

      /* An IPv4-mapped IPv6 address reaches the IPv4 loopback, which GLib
       * only recognises in its IPv4 form. */
      bytes = g_inet_address_to_bytes (address);
      if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
        {
          static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

          return memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0 && bytes[12] == 127;
        }

      return FALSE;
    }

  /* A fully qualified "localhost." is the same name. */
  len = strlen (bare);
  if (len > 0 && bare[len - 1] == '.')
    bare[--len] = '\0';

  if (g_ascii_strcasecmp (bare, "localhost") == 0)
    return TRUE;

  /* "x.localhost" needs at least one character before the dot. */
  return len > strlen (".localhost") &&
         g_ascii_strcasecmp (bare + len - strlen (".localhost"), ".localhost") == 0;
}

/**
 * cria_config_normalize_base_url:
 * @url: a base URL as the user typed it, such as `https://api.llamagate.dev/v1/`
 * @error: return location for a #CRIA_API_ERROR
 *
 * Checks and tidies a base URL. It must be http:// or https:// with a host,
 * and carry no user name or password (they would end up in logs), query or
 * fragment. Plain http:// is only accepted for a loopback host (see
 * cria_config_is_loopback_host()): anywhere else the key would cross the
 * network in clear text.
 *
 * The result has the scheme and host in lower case, the port and path as
 * given, and no trailing slash, so `https://API.llamagate.dev/v1/` and
 * `https://api.llamagate.dev/v1` are the same server.
 *
 * Error messages never repeat @url, which may be a key pasted into the
 * wrong field.
 *
 * Returns: (transfer full) (nullable): the normalised URL, or %NULL with
 *   %CRIA_API_ERROR_INVALID_URL or %CRIA_API_ERROR_INSECURE_URL set
 */
char *
cria_config_normalize_base_url (const char  *url,
                                GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GString) result = NULL;
  const char *scheme;
  const char *path;
  int port;
  gsize path_len;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Addresses are often pasted with a stray space or newline around them. */
  trimmed = g_strstrip (g_strdup (url));

  /* Whitespace or control characters inside are a broken paste, not a URL;
   * GUri would quietly percent-encode them. */
  for (const char *p = trimmed; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        {
          g_propagate_error (error,
                             invalid_url_error (_("The server address contains spaces or "
                                                  "control characters.")));
          return NULL;
        }
    }

  /* ENCODED keeps the path as written, so an escaped "/" stays escaped. */
  uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      g_propagate_error (error,
                         invalid_url_error (_("The server address is not a valid web address. "
                                              "It should look like "
                                              "https://api.llamagate.dev/v1.")));
      return NULL;
    }

  /* GUri always reports the scheme in lower case. */
  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
    {
      g_propagate_error (error,
                         invalid_url_error (_("The server address must start with https://.")));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_propagate_error (error,
                         invalid_url_error (_("The server address must not contain a user name "
                                              "or password. Enter the API key in its own "
                                              "field.")));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_propagate_error (error,
                         invalid_url_error (_("The server address must not contain a “?” or "
                                              "“#” part.")));
      return NULL;
    }

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_propagate_error (error,
                         invalid_url_error (_("The server address has no host name.")));
      return NULL;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (!is_valid_host (host))
    {
      g_propagate_error (error,
                         invalid_url_error (_("The server address has an invalid host name.")));
      return NULL;
    }

  port = g_uri_get_port (uri);
  if (port == 0)
    {
      g_propagate_error (error,
                         invalid_url_error (_("The server address has an invalid port.")));
      return NULL;
    }

  if (g_str_equal (scheme, "http") && !cria_config_is_loopback_host (host))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Plain http:// is only allowed for servers on this "
                                   "computer; use https:// for %s."),
                                 host);
      g_propagate_error (error,
                         cria_api_error_new (CRIA_API_ERROR_INSECURE_URL, 0, NULL, -1, message));
      return NULL;
    }

  result = g_string_new (scheme);
  g_string_append (result, "://");
  if (strchr (host, ':') != NULL)
    g_string_append_printf (result, "[%s]", host);
  else
    g_string_append (result, host);
  if (port > 0)
    g_string_append_printf (result, ":%d", port);

  path = g_uri_get_path (uri);
  path_len = strlen (path);
  while (path_len > 0 && path[path_len - 1] == '/')
    path_len--;
  g_string_append_len (result, path, path_len);

  return g_string_free (g_steal_pointer (&result), FALSE);
}

/**
 * cria_config_pick_base_url:
 * @configured: (nullable): the base URL from the settings
 *
 * The environment wins over the settings, so a shell can point one run of
 * Cria at another gateway without changing what is saved. Blank values count
 * as unset. The result is not normalised; pass it to
 * cria_config_normalize_base_url() before use.
 *
 * Returns: (transfer none): `LLAMAGATE_API_BASE` when set, else @configured
 *   when set, else %CRIA_DEFAULT_BASE_URL
 */
const char *
cria_config_pick_base_url (const char *configured)
{
  const char *env = g_getenv (CRIA_ENV_API_BASE);

  if (!is_blank (env))
    return env;

  if (!is_blank (configured))
    return configured;

  return CRIA_DEFAULT_BASE_URL;
}

/**
 * cria_config_base_url_from_env:
 *
 * Returns: %TRUE when `LLAMAGATE_API_BASE` is set and not blank, so that it
 *   overrides the settings
 */
gboolean
cria_config_base_url_from_env (void)
{
  return !is_blank (g_getenv (CRIA_ENV_API_BASE));
}

/* A key copied into an export line often brings a trailing space, or a "\r"
 * from a file saved on Windows. The trimmed copy is cached so the function can
 * keep returning a borrowed string; it only changes when the variable does. */
G_LOCK_DEFINE_STATIC (trimmed_key);
static char *trimmed_key;

/**
 * cria_config_get_env_api_key:
 *
 * The key from `LLAMAGATE_API_KEY`, without surrounding whitespace. It is
 * used for this run only and never stored. Like g_getenv(), the string is
 * only valid until the environment changes.
 *
 * Returns: (transfer none) (nullable): the key, or %NULL when the variable
 *   is unset or blank
 */
const char *
cria_config_get_env_api_key (void)
{
  const char *value = g_getenv (CRIA_ENV_API_KEY);
  const char *start;
  const char *end;
  gsize len;
  const char *ret;

  if (is_blank (value))
    return NULL;

  start = value;
  while (g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (start == value && *end == '\0')
    return value;

  len = end - start;

  G_LOCK (trimmed_key);
  if (trimmed_key == NULL || strlen (trimmed_key) != len || memcmp (trimmed_key, start, len) != 0)
    {
      if (trimmed_key != NULL)
        {
          /* The old key should not linger in freed memory. */
          cria_secret_free (trimmed_key);
        }
      trimmed_key = g_strndup (start, len);
    }
  ret = trimmed_key;
  G_UNLOCK (trimmed_key);

  return ret;
}
