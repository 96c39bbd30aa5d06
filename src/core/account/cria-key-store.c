/* cria-key-store.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "cria-config.h"
#include "cria-key-store.h"
#include "cria-secret.h"

/* Nothing in this file logs: a key must never reach a log line, and the
 * errors it builds carry no key either. */

/* How long to wait, after a keyring prompt was dismissed or the keyring
 * went away, for libsecret to report it before we report it ourselves (see
 * prompt_completed_cb()). */
#define LOST_GRACE_MS 1000
/* How long an operation in a Flatpak sandbox may wait for libsecret before
 * it is taken as lost (see request_arm()). */
#define SANDBOX_WAIT_MS 15000

G_DEFINE_QUARK (cria-key-store-error-quark, cria_key_store_error)

/* The schema name is matched on lookup, so items other applications store
 * with a "base-url" attribute are never mistaken for ours. */
static const SecretSchema key_schema = {
  "io.github.cria.Cria.ApiKey",
  SECRET_SCHEMA_NONE,
  {
    { "base-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef enum
{
  OPERATION_STORE,
  OPERATION_LOOKUP,
  OPERATION_CLEAR,
} Operation;

typedef struct
{
  Operation        operation;
  char            *base_url;
  char            *api_key;

  /* The guards that let an operation finish even when libsecret never
   * calls back; all are dropped once the task has returned. */
  GDBusConnection *bus;
  guint            prompt_signal_id;
  guint            owner_signal_id;
  GSource         *cancelled_source;
  GSource         *lost_source;
  GError          *lost_error;
  gboolean         returned;
} Request;

/* Each endpoint has one slot, so "https://x/v1/" and "https://x/v1" must
 * give the same attribute. A URL the config rules refuse (plain http to a
 * remote host, say) still gets a slot of its own; the key store is not the
 * place to enforce those rules. */
static char *
slot_for_base_url (const char *base_url)
{
  char *normalized = cria_config_normalize_base_url (base_url, NULL);
  gsize len;

  if (normalized != NULL)
    return normalized;

  normalized = g_strstrip (g_strdup (base_url));
  len = strlen (normalized);
  while (len > 0 && normalized[len - 1] == '/')
    normalized[--len] = '\0';

  return normalized;
}

static void
request_disarm (Request *request)
{
  if (request->prompt_signal_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (request->bus, request->prompt_signal_id);
      request->prompt_signal_id = 0;
    }

  if (request->owner_signal_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (request->bus, request->owner_signal_id);
      request->owner_signal_id = 0;
    }

  if (request->cancelled_source != NULL)
    {
      g_source_destroy (request->cancelled_source);
      g_clear_pointer (&request->cancelled_source, g_source_unref);
    }

  if (request->lost_source != NULL)
    {
      g_source_destroy (request->lost_source);
      g_clear_pointer (&request->lost_source, g_source_unref);
    }

  g_clear_error (&request->lost_error);
}

static void
request_free (Request *request)
{
  request_disarm (request);
  g_clear_object (&request->bus);
  g_free (request->base_url);
  cria_secret_free (request->api_key);
  g_free (request);
}

static Request *
request_new (Operation   operation,
             const char *base_url)
{
  Request *request = g_new0 (Request, 1);

  request->operation = operation;
  request->base_url = slot_for_base_url (base_url);

  return request;
}

/* Seahorse and similar tools show the label; the host is enough to tell the
 * items apart. */
static char *
label_for_slot (const char *slot)
{
  g_autoptr(GUri) uri = g_uri_parse (slot, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  /* Translators: %s is a server's host name, such as api.llamagate.dev. */
  return g_strdup_printf (_("LlamaGate API key (%s)"),
                          host != NULL && *host != '\0' ? host : slot);
}

/* Errors */

static gboolean
is_service_missing (const GError *error)
{
  if (error->domain != G_DBUS_ERROR)
    return FALSE;

  switch ((GDBusError) error->code)
    {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_NO_SERVER:
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
    case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
    case G_DBUS_ERROR_SPAWN_FILE_INVALID:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
      return TRUE;

    default:
      return FALSE;
    }
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
}

static GError *
unavailable_error (Operation operation)
{
  const char *message = NULL;

  switch (operation)
    {
    case OPERATION_STORE:
      message = _("No keyring is available (the Secret Service is not running), "
                  "so the key can’t be saved.");
      break;

    case OPERATION_LOOKUP:
      message = _("No keyring is available (the Secret Service is not running), "
                  "so a saved key can’t be read.");
      break;

    case OPERATION_CLEAR:
      message = _("No keyring is available (the Secret Service is not running), "
                  "so the saved key can’t be removed.");
      break;

    default:
      g_assert_not_reached ();
    }

  return g_error_new_literal (CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_UNAVAILABLE, message);
}

static GError *
refused_error (Operation operation)
{
  const char *message = NULL;

  switch (operation)
    {
    case OPERATION_STORE:
      message = _("The keyring is locked, so the key can’t be saved. "
                  "Unlock it and try again.");
      break;

    case OPERATION_LOOKUP:
      message = _("The keyring is locked, so the saved key can’t be read. "
                  "Unlock it and try again.");
      break;

    case OPERATION_CLEAR:
      message = _("The keyring is locked, so the saved key can’t be removed. "
                  "Unlock it and try again.");
      break;

    default:
      g_assert_not_reached ();
    }

  return g_error_new_literal (CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_REFUSED, message);
}

/* Sorts a libsecret or D-Bus error into what a window can act on: install or
 * start a keyring, unlock it, or read the details. */
static GError *
map_error (const GError *error,
           GTask        *task,
           Operation     operation)
{
  g_autoptr(GError) stripped = NULL;

  /* Only the caller's own cancellable makes an operation "cancelled". */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return cancelled_error ();

  if (is_service_missing (error))
    return unavailable_error (operation);

  /* A cancellation nobody asked for is a prompt the user dismissed. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED))
    return refused_error (operation);

  stripped = g_error_copy (error);
  if (g_dbus_error_is_remote_error (stripped))
    g_dbus_error_strip_remote_error (stripped);

  switch (operation)
    {
    case OPERATION_STORE:
      /* Translators: %s is the keyring's own error message. */
      return g_error_new (CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_FAILED,
                          _("The key couldn’t be saved in the keyring: %s"),
                          stripped->message);

    case OPERATION_LOOKUP:
      /* Translators: %s is the keyring's own error message. */
      return g_error_new (CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_FAILED,
                          _("The saved key couldn’t be read from the keyring: %s"),
                          stripped->message);

    case OPERATION_CLEAR:
      /* Translators: %s is the keyring's own error message. */
      return g_error_new (CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_FAILED,
                          _("The saved key couldn’t be removed from the keyring: %s"),
                          stripped->message);

    default:
      g_assert_not_reached ();
    }
}

/* Returning. A task can be finished by libsecret's callback or by one of the
 * guards, whichever comes first; the other is then ignored. */

static gboolean
claim_return (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->returned)
    return FALSE;

  request->returned = TRUE;
  request_disarm (request);

  return TRUE;
}

static void
return_error (GTask  *task,
              GError *error)
{
  if (claim_return (task))
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

static void
return_success (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (!claim_return (task))
    return;

  if (request->operation == OPERATION_LOOKUP)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_boolean (task, TRUE);
}

static void
return_key (GTask *task,
            char  *key)
{
  if (claim_return (task))
    g_task_return_pointer (task, key, (GDestroyNotify) cria_secret_free);
  else
    cria_secret_free (key);
}

/* Guards */

/* libsecret leaves its operation waiting while a prompt is up, and only
 * dismisses the prompt when cancelled; the caller should not wait for that. */
static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;

  return_error (task, cancelled_error ());

  return G_SOURCE_REMOVE;
}

static gboolean
lost_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  return_error (task, g_steal_pointer (&request->lost_error));

  return G_SOURCE_REMOVE;
}

/* libsecret (seen with 0.20.5, Debian 12's) can lose an operation
 * whose prompt ends without a usable result: when the Secret Service goes
 * away while it prompts, or answers with an unexpected result type,
 * secret_prompt_perform_finish() gives NULL without an error, which
 * on_real_prompt_completed() hands to g_task_return_error(), so the
 * operation never calls back and a "Saving…" spinner would turn forever.
 * Both events are visible on the bus, so we watch for them too; if libsecret
 * has not finished shortly after, we finish with @error ourselves. */
static void
expect_loss_after (GTask  *task,
                   GError *error,
                   guint   msec)
{
  Request *request = g_task_get_task_data (task);

  if (request->returned || request->lost_source != NULL)
    {
      g_error_free (error);
      return;
    }

  request->lost_error = error;
  request->lost_source = g_timeout_source_new (msec);
  g_task_attach_source (task, request->lost_source, lost_timeout_cb);
}

static void
expect_loss (GTask  *task,
             GError *error)
{
  expect_loss_after (task, error, LOST_GRACE_MS);
}

static void
prompt_completed_cb (GDBusConnection *connection,
                     const char      *sender_name,
                     const char      *object_path,
                     const char      *interface_name,
                     const char      *signal_name,
                     GVariant        *parameters,
                     gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  gboolean dismissed = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(bv)")))
    return;

  g_variant_get_child (parameters, 0, "b", &dismissed);
  if (dismissed)
    expect_loss (task, refused_error (request->operation));
}

static void
owner_changed_cb (GDBusConnection *connection,
                  const char      *sender_name,
                  const char      *object_path,
                  const char      *interface_name,
                  const char      *signal_name,
                  GVariant        *parameters,
                  gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  const char *new_owner = NULL;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sss)")))
    return;

  g_variant_get_child (parameters, 2, "&s", &new_owner);
  if (*new_owner == '\0')
    expect_loss (task, unavailable_error (request->operation));
}

static void
request_arm (GTask           *task,
             GDBusConnection *bus)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (request->bus == NULL);

  request->bus = g_object_ref (bus);
  request->prompt_signal_id =
    g_dbus_connection_signal_subscribe (bus, NULL, "org.freedesktop.Secret.Prompt",
                                        "Completed", NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        prompt_completed_cb,
                                        g_object_ref (task), g_object_unref);
  request->owner_signal_id =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                        "NameOwnerChanged", "/org/freedesktop/DBus",
                                        "org.freedesktop.secrets", G_DBUS_SIGNAL_FLAGS_NONE,
                                        owner_changed_cb,
                                        g_object_ref (task), g_object_unref);

#if !SECRET_CHECK_VERSION (0, 21, 0)
  /* In a Flatpak sandbox libsecret keeps the key in a file of the app's
   * own, unlocked with a secret from the Secret portal. libsecret before
   * 0.21 starts listening for the portal's answer only once its request
   * has returned, so an answer that comes at once is missed and the
   * operation would wait forever. Past a generous wait (the portal may be
   * asking the user to unlock their keyring) it counts as no keyring, and
   * the window offers to use the key for this session only. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    expect_loss_after (task, unavailable_error (request->operation), SANDBOX_WAIT_MS);
#endif

  if (cancellable != NULL)
    {
      request->cancelled_source = g_cancellable_source_new (cancellable);
      g_task_attach_source (task, request->cancelled_source, G_SOURCE_FUNC (cancelled_cb));
    }
}

/* Callbacks from libsecret */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_error (task, map_error (error, task, OPERATION_STORE));
  else
    return_success (task);
}

static void
explain_search_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GList *items;
  gboolean locked = FALSE;

  /* This second look only explains an empty answer; if it fails, the empty
   * answer stands. */
  items = secret_service_search_finish (SECRET_SERVICE (object), result, NULL);
  for (GList *l = items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        locked = TRUE;
    }
  g_list_free_full (items, g_object_unref);

  if (locked)
    return_error (task, refused_error (request->operation));
  else
    return_success (task);
}

static void
explain_service_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  service = secret_service_get_finish (result, NULL);
  if (service == NULL || request->returned)
    {
      return_success (task);
      g_object_unref (task);
      return;
    }

  attributes = secret_attributes_build (&key_schema, "base-url", request->base_url, NULL);

  /* Without SECRET_SEARCH_UNLOCK this asks no questions: it only tells
   * whether a matching item sits in a locked collection. */
  secret_service_search (service, &key_schema, attributes, SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task), explain_search_cb, task);
}

/* libsecret answers "nothing stored" and "nothing to remove" when the item
 * is in a locked collection and unlocking failed. Telling the user that no
 * key is saved, or that it is gone, would be wrong: they would type it again
 * only to hit the same lock, or believe a key was removed that is still
 * there. One more search, which never prompts, tells the cases apart. */
static void
explain_empty_answer (GTask *task)
{
  /* In a Flatpak sandbox libsecret keeps items in a file of the app's own,
   * unlocked through the Secret portal, where nothing can be locked; and
   * the sandbox does not let the Secret Service be asked, so the search
   * would wait forever. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      return_success (task);
      g_object_unref (task);
      return;
    }

  secret_service_get (SECRET_SERVICE_NONE, g_task_get_cancellable (task),
                      explain_service_cb, task);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_error (task, map_error (error, task, OPERATION_LOOKUP));
      g_object_unref (task);
      return;
    }

  if (secret != NULL)
    {
      /* libsecret's copy lives in non-pageable memory and must be freed
       * with its own function; the caller gets an ordinary string. */
      return_key (task, g_strdup (secret));
      secret_password_free (secret);
      g_object_unref (task);
      return;
    }

  explain_empty_answer (task);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (secret_password_clear_finish (result, &error))
    {
      return_success (task);
      g_object_unref (task);
      return;
    }

  if (error != NULL)
    {
      return_error (task, map_error (error, task, OPERATION_CLEAR));
      g_object_unref (task);
      return;
    }

  /* Nothing was removed: either there was nothing, which is what the caller
   * wanted anyway, or the key is behind a lock. */
  explain_empty_answer (task);
}

/* Every operation first makes sure there is a session bus. libsecret reports
 * a missing bus with generic GIO errors ("Cannot autolaunch D-Bus…", "Could
 * not connect…") that cannot be told apart from other failures afterwards;
 * asking for the bus ourselves (libsecret then shares the same connection)
 * makes "no keyring at all" exact. */
static void call_libsecret (GTask *task);

#if !SECRET_CHECK_VERSION (0, 21, 0)
static gboolean
call_libsecret_cb (gpointer user_data)
{
  call_libsecret (user_data);

  return G_SOURCE_REMOVE;
}
#endif

static void
bus_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return_error (task, cancelled_error ());
      else
        return_error (task, unavailable_error (request->operation));
      g_object_unref (task);
      return;
    }

  request_arm (task, bus);

#if !SECRET_CHECK_VERSION (0, 21, 0)
  /* The race described in request_arm() is lost when the main loop is busy
   * as libsecret's request returns, as it is while a window is being built
   * and first drawn: in a sandbox, libsecret is only called once the main
   * loop has nothing more urgent to do. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_idle_add_full (G_PRIORITY_LOW, call_libsecret_cb, task, NULL);
      return;
    }
#endif

  call_libsecret (task);
}

static void
call_libsecret (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *label = NULL;

  switch (request->operation)
    {
    case OPERATION_STORE:
      label = label_for_slot (request->base_url);
      secret_password_store (&key_schema, SECRET_COLLECTION_DEFAULT, label, request->api_key,
                             cancellable, store_cb, task,
                             "base-url", request->base_url,
                             NULL);
      /* libsecret has copied the key; ours goes at once. */
      g_clear_pointer (&request->api_key, cria_secret_free);
      break;

    case OPERATION_LOOKUP:
      secret_password_lookup (&key_schema, cancellable, lookup_cb, task,
                              "base-url", request->base_url,
                              NULL);
      break;

    case OPERATION_CLEAR:
      secret_password_clear (&key_schema, cancellable, clear_cb, task,
                             "base-url", request->base_url,
                             NULL);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
start (GTask   *task,
       Request *request)
{
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  g_bus_get (G_BUS_TYPE_SESSION, g_task_get_cancellable (task), bus_cb, g_object_ref (task));
}

/* Public API */

/**
 * cria_key_store_store_async:
 * @base_url: the base URL the key belongs to
 * @api_key: the key; it is not logged or kept beyond the call
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is saved or saving failed
 * @user_data: data for @callback
 *
 * Saves @api_key in the default keyring, replacing any key saved earlier for
 * the same base URL. Base URLs that differ only by trailing slashes, or the
 * case of the scheme and host, share one key. The keyring may ask the user
 * to unlock it first.
 */
void
cria_key_store_store_async (const char          *base_url,
                            const char          *api_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (base_url != NULL);
  g_return_if_fail (api_key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_key_store_store_async);
  g_task_set_name (task, "[cria] store API key");

  request = request_new (OPERATION_STORE, base_url);
  request->api_key = g_strdup (api_key);
  start (task, request);
}

/**
 * cria_key_store_store_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #CRIA_KEY_STORE_ERROR, or
 *   %G_IO_ERROR_CANCELLED when the caller cancelled
 *
 * Returns: %TRUE when the key is saved
 */
gboolean
cria_key_store_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_key_store_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cria_key_store_lookup_async:
 * @base_url: the base URL whose key is wanted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the key, or when there is none
 * @user_data: data for @callback
 *
 * Reads the key saved for @base_url. The keyring may ask the user to unlock
 * it first.
 */
void
cria_key_store_lookup_async (const char          *base_url,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (base_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_key_store_lookup_async);
  g_task_set_name (task, "[cria] look up API key");

  start (task, request_new (OPERATION_LOOKUP, base_url));
}

/**
 * cria_key_store_lookup_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #CRIA_KEY_STORE_ERROR, or
 *   %G_IO_ERROR_CANCELLED when the caller cancelled
 *
 * Returns: (transfer full) (nullable): the key, to be freed with g_free(),
 *   or %NULL — with @error unset when no key is saved for the base URL
 */
char *
cria_key_store_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_key_store_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cria_key_store_clear_async:
 * @base_url: the base URL whose key is to be forgotten
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is gone
 * @user_data: data for @callback
 *
 * Removes the key saved for @base_url. Finishes successfully when there was
 * none.
 */
void
cria_key_store_clear_async (const char          *base_url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (base_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_key_store_clear_async);
  g_task_set_name (task, "[cria] clear API key");

  start (task, request_new (OPERATION_CLEAR, base_url));
}

/**
 * cria_key_store_clear_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #CRIA_KEY_STORE_ERROR, or
 *   %G_IO_ERROR_CANCELLED when the caller cancelled
 *
 * Returns: %TRUE when no key is saved for the base URL any more
 */
gboolean
cria_key_store_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_key_store_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
