/* cria-proxy-resolver.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-config.h"
#include "cria-proxy-resolver.h"

/* GLib's resolvers (libproxy, GNOME's settings) send everything through
 * http_proxy when no_proxy is unset, loopback included. Plain http is only
 * allowed for loopback precisely because it never leaves the computer; through
 * a proxy it would, with the key in its Authorization header. */

struct _CriaProxyResolver
{
  GObject         parent_instance;

  GProxyResolver *fallback;
};

static void cria_proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaProxyResolver, cria_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      cria_proxy_resolver_iface_init))

static char **
direct (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");
  return proxies;
}

static gboolean
is_loopback_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  return parsed != NULL && cria_config_is_loopback_host (g_uri_get_host (parsed));
}

static gboolean
cria_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
cria_proxy_resolver_lookup (GProxyResolver  *resolver,
                            const char      *uri,
                            GCancellable    *cancellable,
                            GError         **error)
{
  CriaProxyResolver *self = CRIA_PROXY_RESOLVER (resolver);

  if (is_loopback_uri (uri) || self->fallback == NULL)
    return direct ();

  return g_proxy_resolver_lookup (self->fallback, uri, cancellable, error);
}

static void
fallback_lookup_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies;

  proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);
  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
cria_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                  const char          *uri,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  CriaProxyResolver *self = CRIA_PROXY_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, cria_proxy_resolver_lookup_async);

  if (is_loopback_uri (uri) || self->fallback == NULL)
    {
      g_task_return_pointer (task, direct (), (GDestroyNotify) g_strfreev);
      return;
    }

  g_proxy_resolver_lookup_async (self->fallback, uri, cancellable,
                                 fallback_lookup_cb, g_steal_pointer (&task));
}

static char **
cria_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cria_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = cria_proxy_resolver_is_supported;
  iface->lookup = cria_proxy_resolver_lookup;
  iface->lookup_async = cria_proxy_resolver_lookup_async;
  iface->lookup_finish = cria_proxy_resolver_lookup_finish;
}

static void
cria_proxy_resolver_finalize (GObject *object)
{
  CriaProxyResolver *self = CRIA_PROXY_RESOLVER (object);

  g_clear_object (&self->fallback);

  G_OBJECT_CLASS (cria_proxy_resolver_parent_class)->finalize (object);
}

static void
cria_proxy_resolver_class_init (CriaProxyResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cria_proxy_resolver_finalize;
}

static void
cria_proxy_resolver_init (CriaProxyResolver *self)
{
}

/**
 * cria_proxy_resolver_new:
 * @fallback: (nullable): the resolver for every other host, usually
 *   g_proxy_resolver_get_default(); %NULL for always direct
 *
 * Returns: (transfer full): a resolver that never proxies loopback
 */
GProxyResolver *
cria_proxy_resolver_new (GProxyResolver *fallback)
{
  CriaProxyResolver *self;

  g_return_val_if_fail (fallback == NULL || G_IS_PROXY_RESOLVER (fallback), NULL);

  self = g_object_new (CRIA_TYPE_PROXY_RESOLVER, NULL);
  if (fallback != NULL)
    self->fallback = g_object_ref (fallback);

  return G_PROXY_RESOLVER (self);
}
