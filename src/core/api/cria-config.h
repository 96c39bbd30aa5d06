/* cria-config.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRIA_DEFAULT_BASE_URL "https://api.llamagate.dev/v1"
#define CRIA_ENV_API_KEY      "LLAMAGATE_API_KEY"
#define CRIA_ENV_API_BASE     "LLAMAGATE_API_BASE"

/* Checks and tidies a base URL: http or https with a host, no credentials,
 * query or fragment; plain http only for loopback hosts; scheme and host in
 * lower case, trailing slashes removed. Errors are in CRIA_API_ERROR
 * (INVALID_URL, INSECURE_URL) and never repeat the input. */
char       *cria_config_normalize_base_url (const char  *url,
                                            GError     **error);
gboolean    cria_config_is_loopback_host   (const char  *host);
/* LLAMAGATE_API_BASE when set, else @configured when set, else the default;
 * blank counts as unset. Not normalised. */
const char *cria_config_pick_base_url      (const char  *configured);
/* Whether cria_config_pick_base_url() takes LLAMAGATE_API_BASE. */
gboolean    cria_config_base_url_from_env  (void);
/* LLAMAGATE_API_KEY without surrounding whitespace when set and not blank,
 * else %NULL. Never stored. Valid until the environment changes. */
const char *cria_config_get_env_api_key    (void);

G_END_DECLS
