/* cria-fetch-guard.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the page fetcher will not reach: this computer and the networks
 * around it (loopback, private and link-local ranges, and the like). A
 * model can be talked into asking for http://192.168.1.1/ or a name that
 * resolves there, and the answer would come from the user's router or a
 * service that trusts the local network. A name is judged by the address
 * it connects to, after DNS, so a public-looking name pointing inward is
 * refused too. Through a proxy the proxy connects, so there only the name
 * itself can be judged.
 */

#include "config.h"

#include <string.h>

#include "cria-builtin-tools-private.h"

/* IPv4 ranges, as (network, prefix length), that are not the public
 * internet (RFC 6890 and its successors). */
static const struct { guint32 net; guint bits; } local_v4[] = {
  { 0x00000000, 8 },   /* "this network" */
  { 0x0a000000, 8 },   /* private */
  { 0x64400000, 10 },  /* shared address space (carrier-grade NAT) */
  { 0x7f000000, 8 },   /* loopback */
  { 0xa9fe0000, 16 },  /* link-local */
  { 0xac100000, 12 },  /* private */
  { 0xc0000000, 24 },  /* IETF protocol assignments */
  { 0xc0a80000, 16 },  /* private */
  { 0xc6120000, 15 },  /* benchmarking */
  { 0xe0000000, 4 },   /* multicast */
  { 0xf0000000, 4 },   /* reserved, broadcast */
};

static gboolean
v4_is_local (const guint8 *bytes)
{
  guint32 value = ((guint32) bytes[0] << 24) | ((guint32) bytes[1] << 16) |
                  ((guint32) bytes[2] << 8) | bytes[3];

  for (guint i = 0; i < G_N_ELEMENTS (local_v4); i++)
    {
      guint32 mask = 0xffffffffu << (32 - local_v4[i].bits);

      if ((value & mask) == local_v4[i].net)
        return TRUE;
    }
  return FALSE;
}

/**
 * _cria_fetch_address_is_local:
 *
 * Whether @address is this computer or a network near it rather than the
 * public internet: IPv4 loopback, private, link-local, shared, multicast
 * and reserved ranges; IPv6 unspecified, loopback, unique-local,
 * link-local, site-local and multicast; and an IPv4 address carried inside
 * IPv6 (mapped, compatible or NAT64) judged as the IPv4 one.
 */
gboolean
_cria_fetch_address_is_local (GInetAddress *address)
{
  const guint8 *bytes;
  static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  static const guint8 compatible[12] = { 0 };
  static const guint8 nat64[12] = { 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 };

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), TRUE);

  bytes = g_inet_address_to_bytes (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return v4_is_local (bytes);

  if (memcmp (bytes, mapped, 12) == 0 || memcmp (bytes, nat64, 12) == 0)
    return v4_is_local (bytes + 12);
  if (memcmp (bytes, compatible, 12) == 0)
    return TRUE;  /* ::, ::1 and the deprecated IPv4-compatible form */
  return (bytes[0] & 0xfe) == 0xfc ||                       /* fc00::/7 unique local */
         (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80) || /* fe80::/10 link-local */
         (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0xc0) || /* fec0::/10 site-local */
         bytes[0] == 0xff;                                  /* multicast */
}

/**
 * _cria_fetch_host_is_local:
 * @host: a URL's host, as GUri gives it (IPv6 without brackets)
 *
 * Whether @host names this computer or the local network by itself, with
 * no lookup: a local address written out, "localhost" and the names under
 * it, and the multicast-DNS ".local" names.
 */
gboolean
_cria_fetch_host_is_local (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *lower = NULL;
  gsize length;

  if (host == NULL || *host == '\0')
    return TRUE;

  address = g_inet_address_new_from_string (host);
  if (address != NULL)
    return _cria_fetch_address_is_local (address);

  lower = g_ascii_strdown (host, -1);
  length = strlen (lower);
  /* A trailing dot names the same host. */
  if (length > 0 && lower[length - 1] == '.')
    lower[--length] = '\0';
  return g_str_equal (lower, "localhost") ||
         g_str_has_suffix (lower, ".localhost") ||
         g_str_equal (lower, "local") ||
         g_str_has_suffix (lower, ".local");
}

/* The fetch session's proxy resolver: answers as the system's does, and
 * notes, per host and port, whether the last answer sent the connection
 * through a proxy, so the address a connection reached can be judged only
 * when it is the page's server itself. */
struct _CriaFetchResolver
{
  GObject         parent_instance;

  GProxyResolver *fallback;
  GMutex          lock;
  GHashTable     *proxied;   /* "host:port" → GINT_TO_POINTER (TRUE or FALSE) */
};

static void resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaFetchResolver, cria_fetch_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER, resolver_iface_init))

/* "host:port" for @uri, the port filled in from the scheme. */
static char *
destination_key (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);
  g_autofree char *lower = g_ascii_strdown (host != NULL ? host : "", -1);

  if (port < 0)
    port = scheme != NULL && g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;
  return g_strdup_printf ("%s:%d", lower, port);
}

static void
note_answer (CriaFetchResolver  *self,
             const char         *uri_text,
             char              **proxies)
{
  g_autoptr(GUri) uri = g_uri_parse (uri_text, G_URI_FLAGS_NONE, NULL);
  gboolean proxied;

  if (uri == NULL || proxies == NULL)
    return;
  proxied = proxies[0] != NULL && !g_str_equal (proxies[0], "direct://");

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->proxied, destination_key (uri), GINT_TO_POINTER (proxied));
  g_mutex_unlock (&self->lock);
}

static gboolean
resolver_is_supported (GProxyResolver *resolver)
{
  return g_proxy_resolver_is_supported (CRIA_FETCH_RESOLVER (resolver)->fallback);
}

static char **
resolver_lookup (GProxyResolver  *resolver,
                 const char      *uri,
                 GCancellable    *cancellable,
                 GError         **error)
{
  CriaFetchResolver *self = CRIA_FETCH_RESOLVER (resolver);
  char **proxies = g_proxy_resolver_lookup (self->fallback, uri, cancellable, error);

  note_answer (self, uri, proxies);
  return proxies;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaFetchResolver *self = g_task_get_source_object (task);
  GError *error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);

  if (proxies == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  note_answer (self, g_task_get_task_data (task), proxies);
  g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
resolver_lookup_async (GProxyResolver      *resolver,
                       const char          *uri,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  CriaFetchResolver *self = CRIA_FETCH_RESOLVER (resolver);
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, resolver_lookup_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_proxy_resolver_lookup_async (self->fallback, uri, cancellable, lookup_cb, task);
}

static char **
resolver_lookup_finish (GProxyResolver  *resolver,
                        GAsyncResult    *result,
                        GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = resolver_is_supported;
  iface->lookup = resolver_lookup;
  iface->lookup_async = resolver_lookup_async;
  iface->lookup_finish = resolver_lookup_finish;
}

static void
cria_fetch_resolver_finalize (GObject *object)
{
  CriaFetchResolver *self = CRIA_FETCH_RESOLVER (object);

  g_clear_object (&self->fallback);
  g_clear_pointer (&self->proxied, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cria_fetch_resolver_parent_class)->finalize (object);
}

static void
cria_fetch_resolver_class_init (CriaFetchResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cria_fetch_resolver_finalize;
}

static void
cria_fetch_resolver_init (CriaFetchResolver *self)
{
  g_mutex_init (&self->lock);
  self->proxied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* A resolver answering like @fallback (the system's when NULL). */
CriaFetchResolver *
_cria_fetch_resolver_new (GProxyResolver *fallback)
{
  CriaFetchResolver *self = g_object_new (CRIA_TYPE_FETCH_RESOLVER, NULL);

  self->fallback = g_object_ref (fallback != NULL ? fallback : g_proxy_resolver_get_default ());
  return self;
}

/* Whether the last lookup for @uri's host and port sent it through a proxy;
 * FALSE when it went direct or was never looked up. */
gboolean
_cria_fetch_resolver_is_proxied (CriaFetchResolver *self,
                                 GUri              *uri)
{
  g_autofree char *key = NULL;
  gboolean proxied;

  g_return_val_if_fail (CRIA_IS_FETCH_RESOLVER (self), FALSE);

  key = destination_key (uri);
  g_mutex_lock (&self->lock);
  proxied = GPOINTER_TO_INT (g_hash_table_lookup (self->proxied, key));
  g_mutex_unlock (&self->lock);
  return proxied;
}
