/* cria-proxy-resolver.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRIA_TYPE_PROXY_RESOLVER (cria_proxy_resolver_get_type ())

G_DECLARE_FINAL_TYPE (CriaProxyResolver, cria_proxy_resolver, CRIA, PROXY_RESOLVER, GObject)

/* Answers like @fallback (the system's proxy settings), except that a URI
 * whose host is this computer (see cria_config_is_loopback_host()) always
 * goes direct: a proxy would see a plain-http request and its key. */
GProxyResolver *cria_proxy_resolver_new (GProxyResolver *fallback);

G_END_DECLS
