/* test-key-store.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "cria-key-store.h"
#include "cria-test-util.h"

/* These tests talk to a real Secret Service: a gnome-keyring-daemon with an
 * unlocked default collection in a throw-away D-Bus session, which the test
 * command sets up. Without one they skip. Tests that need a missing or
 * locked keyring make their own in a subprocess, so the keyring the other
 * tests use is never touched. */

#define SECRETS_NAME   "org.freedesktop.secrets"
#define SCHEMA_NAME    "io.github.cria.Cria.ApiKey"
#define WAIT_SECONDS   20
#define TEST_KEY       "llg_sk_test_0123456789abcdef"

/* A copy of the store's schema, so the tests check the contract (name and
 * attribute) rather than share the implementation's definition. */
static const SecretSchema test_schema = {
  SCHEMA_NAME,
  SECRET_SCHEMA_NONE,
  {
    { "base-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* The same attribute under a name of another application. */
static const SecretSchema other_schema = {
  "org.example.OtherApp.Token",
  SECRET_SCHEMA_NONE,
  {
    { "base-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* Test URLs carry the process id and a reserved TLD, so a run against a
 * developer's own keyring can never touch a real item. */
static char *
test_url (const char *name)
{
  return g_strdup_printf ("https://cria-key-store-test-%d.invalid/%s/v1", (int) getpid (), name);
}

/* Waiting */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

/* A Secret Service that waits on a prompt nobody can answer would hang the
 * suite; this turns that into a failure with a reason. */
static GAsyncResult *
wait_for_result (GAsyncResult **slot,
                 const char    *what)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, &timed_out);
  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("%s did not finish within %d seconds", what, WAIT_SECONDS);

  g_source_remove (timeout_id);
  return g_steal_pointer (slot);
}

static gboolean
store_key (const char    *base_url,
           const char    *api_key,
           GCancellable  *cancellable,
           GError       **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  cria_key_store_store_async (base_url, api_key, cancellable, result_cb, &slot);
  result = wait_for_result (&slot, "Storing a key");

  return cria_key_store_store_finish (result, error);
}

static char *
lookup_key (const char    *base_url,
            GCancellable  *cancellable,
            GError       **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  cria_key_store_lookup_async (base_url, cancellable, result_cb, &slot);
  result = wait_for_result (&slot, "Looking up a key");

  return cria_key_store_lookup_finish (result, error);
}

static gboolean
clear_key (const char    *base_url,
           GCancellable  *cancellable,
           GError       **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  cria_key_store_clear_async (base_url, cancellable, result_cb, &slot);
  result = wait_for_result (&slot, "Clearing a key");

  return cria_key_store_clear_finish (result, error);
}

static void
assert_stored (const char *base_url,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = lookup_key (base_url, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, expected);
}

static void
assert_cleared (const char *base_url)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (clear_key (base_url, NULL, &error));
  g_assert_no_error (error);
}

/* Items of our schema stored for @base_url exactly as given, locked or not. */
static GList *
find_items (const char *base_url)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  attributes = secret_attributes_build (&test_schema, "base-url", base_url, NULL);
  items = secret_service_search_sync (NULL, &test_schema, attributes, SECRET_SEARCH_ALL,
                                      NULL, &error);
  g_assert_no_error (error);

  return items;
}

static guint
count_items (const char *base_url)
{
  GList *items = find_items (base_url);
  guint count = g_list_length (items);

  g_list_free_full (items, g_object_unref);
  return count;
}

/* Tests against the running keyring */

static void
test_round_trip (void)
{
  g_autofree char *url = test_url ("round-trip");
  g_autoptr(GError) error = NULL;

  if (!cria_test_require_keyring ())
    return;

  g_assert_true (store_key (url, TEST_KEY, NULL, &error));
  g_assert_no_error (error);
  assert_stored (url, TEST_KEY);

  assert_cleared (url);
}

static void
test_urls_do_not_mix (void)
{
  g_autofree char *url_a = test_url ("a");
  g_autofree char *url_b = test_url ("b");
  g_autofree char *url_a_other_path = test_url ("a/v2");
  g_autoptr(GError) error = NULL;

  if (!cria_test_require_keyring ())
    return;

  g_assert_true (store_key (url_a, "llg_sk_key_for_a", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store_key (url_b, "llg_sk_key_for_b", NULL, &error));
  g_assert_no_error (error);

  assert_stored (url_a, "llg_sk_key_for_a");
  assert_stored (url_b, "llg_sk_key_for_b");
  /* A URL that merely starts like another is a different endpoint. */
  assert_stored (url_a_other_path, NULL);

  assert_cleared (url_a);
  assert_stored (url_a, NULL);
  assert_stored (url_b, "llg_sk_key_for_b");

  assert_cleared (url_b);
  assert_stored (url_b, NULL);
}

static void
test_trailing_slash_same_slot (void)
{
  g_autofree char *url = test_url ("slash");
  g_autofree char *url_slash = g_strconcat (url, "/", NULL);
  g_autofree char *url_slashes = g_strconcat (url, "///", NULL);
  g_autofree char *url_upper = g_ascii_strup (url, -1);
  g_autoptr(GError) error = NULL;

  if (!cria_test_require_keyring ())
    return;

  g_assert_true (store_key (url_slash, "llg_sk_first", NULL, &error));
  g_assert_no_error (error);
  assert_stored (url, "llg_sk_first");
  assert_stored (url_slashes, "llg_sk_first");

  /* Scheme and host are case-insensitive; the path ("/SLASH/V1" here) is
   * not, so only the start of the URL is upper-cased for this check. */
  memcpy (url_upper + strlen (url) - strlen ("/slash/v1"), "/slash/v1", strlen ("/slash/v1"));
  assert_stored (url_upper, "llg_sk_first");

  /* Storing under another spelling replaces the key rather than adding a
   * second item. */
  g_assert_true (store_key (url, "llg_sk_second", NULL, &error));
  g_assert_no_error (error);
  assert_stored (url_slash, "llg_sk_second");
  g_assert_cmpuint (count_items (url), ==, 1);
  g_assert_cmpuint (count_items (url_slash), ==, 0);

  assert_cleared (url_slashes);
  assert_stored (url, NULL);
  g_assert_cmpuint (count_items (url), ==, 0);
}

static void
test_missing_is_null (void)
{
  g_autofree char *url = test_url ("never-stored");
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (!cria_test_require_keyring ())
    return;

  key = lookup_key (url, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);
}

static void
test_clear (void)
{
  g_autofree char *url = test_url ("clear");
  g_autoptr(GError) error = NULL;

  if (!cria_test_require_keyring ())
    return;

  g_assert_true (store_key (url, TEST_KEY, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items (url), ==, 1);

  assert_cleared (url);
  assert_stored (url, NULL);
  g_assert_cmpuint (count_items (url), ==, 0);

  /* Clearing what is not there is not an error. */
  assert_cleared (url);
}

static void
test_store_replaces (void)
{
  g_autofree char *url = test_url ("replace");
  g_autoptr(GError) error = NULL;

  if (!cria_test_require_keyring ())
    return;

  g_assert_true (store_key (url, "llg_sk_old", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (store_key (url, "llg_sk_new", NULL, &error));
  g_assert_no_error (error);

  assert_stored (url, "llg_sk_new");
  g_assert_cmpuint (count_items (url), ==, 1);

  assert_cleared (url);
}

/* The item is really in the Secret Service, findable by other clients under
 * the documented schema, with a label a person can recognise. */
static void
test_item_in_secret_service (void)
{
  g_autofree char *url = test_url ("independent");
  g_autofree char *url_slash = g_strconcat (url, "/", NULL);
  g_autofree char *password = NULL;
  g_autofree char *secret_tool = NULL;
  g_autofree char *expected_label = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GList *items;

  if (!cria_test_require_keyring ())
    return;

  g_assert_true (store_key (url_slash, TEST_KEY, NULL, &error));
  g_assert_no_error (error);

  /* The attribute is the normalised URL, without the trailing slash. */
  password = secret_password_lookup_sync (&test_schema, NULL, &error, "base-url", url, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, TEST_KEY);

  items = find_items (url);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  expected_label = g_strdup_printf ("LlamaGate API key (cria-key-store-test-%d.invalid)",
                                    (int) getpid ());
  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, expected_label);
  attributes = secret_item_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, SCHEMA_NAME);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "base-url"), ==, url);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 2);
  g_list_free_full (items, g_object_unref);

  /* Another process, through the command line tool, sees the same item. */
  secret_tool = g_find_program_in_path ("secret-tool");
  if (secret_tool != NULL)
    {
      const char *argv[] = { secret_tool, "lookup", "xdg:schema", SCHEMA_NAME, "base-url", url,
                             NULL };
      g_autofree char *out = NULL;
      int status = 0;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                                   NULL, NULL, &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_cmpstr (g_strchomp (out), ==, TEST_KEY);
    }
  else
    {
      g_test_message ("secret-tool is not installed; skipping the out-of-process check");
    }

  assert_cleared (url);
  g_clear_pointer (&password, g_free);
  password = secret_password_lookup_sync (&test_schema, NULL, &error, "base-url", url, NULL);
  g_assert_no_error (error);
  g_assert_null (password);
}

/* Items other applications keep under the same attribute name never match. */
static void
test_other_schema_ignored (void)
{
  g_autofree char *url = test_url ("other-app");
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;

  if (!cria_test_require_keyring ())
    return;

  g_assert_true (secret_password_store_sync (&other_schema, SECRET_COLLECTION_DEFAULT,
                                             "Other app token", "other-app-secret", NULL,
                                             &error, "base-url", url, NULL));
  g_assert_no_error (error);

  assert_stored (url, NULL);

  /* Clearing ours leaves theirs alone. */
  assert_cleared (url);
  password = secret_password_lookup_sync (&other_schema, NULL, &error, "base-url", url, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "other-app-secret");

  secret_password_clear_sync (&other_schema, NULL, &error, "base-url", url, NULL);
  g_assert_no_error (error);
}

static void
test_unicode_and_long_key (void)
{
  g_autofree char *url = test_url ("unicode");
  g_autoptr(GString) key = g_string_new ("llg_sk_ünïcødé—🦙—ключ—鍵—");
  g_autoptr(GError) error = NULL;

  if (!cria_test_require_keyring ())
    return;

  for (int i = 0; key->len < 16 * 1024; i++)
    g_string_append_printf (key, "%08x", g_str_hash (key->str) + i);

  g_assert_true (store_key (url, key->str, NULL, &error));
  g_assert_no_error (error);
  assert_stored (url, key->str);

  assert_cleared (url);
}

/* Cancelling before anything started is the caller's cancellation, never a
 * keyring error, and nothing is stored. */
static void
test_cancelled_before_start (void)
{
  g_autofree char *url = test_url ("cancelled");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_cancellable_cancel (cancellable);

  g_assert_false (store_key (url, TEST_KEY, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  key = lookup_key (url, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (key);
  g_clear_error (&error);

  g_assert_false (clear_key (url, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  if (!cria_test_require_keyring ())
    return;

  assert_stored (url, NULL);
  g_assert_cmpuint (count_items (url), ==, 0);
}

/* Cancelling while the request is under way also gives exactly
 * G_IO_ERROR_CANCELLED, whichever step it lands on. */
static void
test_cancelled_in_flight (void)
{
  g_autofree char *url = test_url ("cancelled-in-flight");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  if (!cria_test_require_keyring ())
    return;

  cria_key_store_store_async (url, TEST_KEY, cancellable, result_cb, &slot);
  g_cancellable_cancel (cancellable);
  result = wait_for_result (&slot, "A cancelled store");
  g_assert_false (cria_key_store_store_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  assert_cleared (url);
}

/* No Secret Service at all */

static void
assert_unavailable (const GError *error)
{
  g_assert_error (error, CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_UNAVAILABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_assert_nonnull (strstr (error->message, "Secret Service"));
  g_assert_null (strstr (error->message, TEST_KEY));
  g_assert_null (strstr (error->message, "llg_sk_"));
}

static void
check_all_unavailable (void)
{
  g_autofree char *url = test_url ("unavailable");
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_assert_false (store_key (url, TEST_KEY, NULL, &error));
  assert_unavailable (error);
  g_clear_error (&error);

  key = lookup_key (url, NULL, &error);
  g_assert_null (key);
  assert_unavailable (error);
  g_clear_error (&error);

  g_assert_false (clear_key (url, NULL, &error));
  assert_unavailable (error);
  g_clear_error (&error);
}

static void
test_unavailable_no_service (void)
{
  if (g_test_subprocess ())
    {
      /* A bus on which nothing provides org.freedesktop.secrets and nothing
       * can be activated. */
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      check_all_unavailable ();

      /* libsecret keeps its service proxy, and with it the connection; the
       * bus can only be taken down once that is dropped. */
      secret_service_disconnect ();
      g_test_dbus_down (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_unavailable_no_bus (void)
{
  if (g_test_subprocess ())
    {
      /* Set before anything in this process has touched D-Bus. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
      check_all_unavailable ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_unavailable_bogus_bus_address (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "this is not an address", TRUE);
      check_all_unavailable ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A private bus with a private gnome-keyring-daemon, for a locked keyring */

typedef struct
{
  char      *home;
  GTestDBus *bus;
  GPid       pid;
} PrivateKeyring;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Runs in a test subprocess: the environment changes here stay there. With
 * no prompter on this bus and no display, the daemon's unlock prompts fail
 * at once instead of waiting for a person. @crash_on_prompt makes the
 * daemon abort at that moment (it logs a warning), which is how a keyring
 * that goes away in the middle of a prompt is staged. */
static void
private_keyring_start (PrivateKeyring *keyring,
                       gboolean        crash_on_prompt)
{
  const char *argv[] = { NULL, "--foreground", "--unlock", "--components=secrets", NULL };
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *runtime_dir = NULL;
  g_autofree char *data_dir = NULL;
  g_auto(GStrv) envp = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  int stdin_fd = -1;
  gboolean appeared = FALSE;
  gboolean timed_out = FALSE;
  guint watch_id, timeout_id;

  g_assert_nonnull (daemon);
  argv[0] = daemon;

  keyring->home = g_dir_make_tmp ("cria-test-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  runtime_dir = g_build_filename (keyring->home, "run", NULL);
  data_dir = g_build_filename (keyring->home, ".local", "share", NULL);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);
  g_setenv ("HOME", keyring->home, TRUE);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");

  keyring->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (keyring->bus);

  /* The test's own debugging settings are not the daemon's: under
   * fatal-warnings it aborts on its "couldn't create system prompt". */
  envp = g_get_environ ();
  envp = g_environ_unsetenv (envp, "MALLOC_CHECK_");
  envp = g_environ_unsetenv (envp, "MALLOC_PERTURB_");
  envp = g_environ_unsetenv (envp, "G_DEBUG");
  if (crash_on_prompt)
    envp = g_environ_setenv (envp, "G_DEBUG", "fatal-warnings", TRUE);

  g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                            G_SPAWN_STDERR_TO_DEV_NULL,
                            NULL, NULL, &keyring->pid, &stdin_fd, NULL, NULL, &error);
  g_assert_no_error (error);

  /* The login password on stdin creates and unlocks the default collection
   * with no prompt. */
  g_assert_cmpint (write (stdin_fd, "test", 4), ==, 4);
  close (stdin_fd);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  /* The bus tells when the daemon takes the name (or that it has it). */
  watch_id = g_bus_watch_name_on_connection (bus, SECRETS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                             name_appeared_cb, NULL, &appeared, NULL);
  timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, &timed_out);
  while (!appeared && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch_id);
  if (timed_out)
    g_error ("gnome-keyring-daemon did not appear on the bus within %d seconds",
             WAIT_SECONDS);
  g_source_remove (timeout_id);
}

static void
private_keyring_stop (PrivateKeyring *keyring)
{
  kill (keyring->pid, SIGTERM);
  while (waitpid (keyring->pid, NULL, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (keyring->pid);

  /* libsecret 0.20.5 keeps references to the bus connection after a lookup
   * that found a secret and after a prompt (its own _sync calls do the
   * same), so g_test_dbus_down() would wait 30 s for the connection to go
   * and then warn. Stopping the daemon is all a subprocess needs; the
   * GTestDBus is deliberately kept, because finalizing it would wait for the
   * connection too. */
  secret_service_disconnect ();
  g_test_dbus_stop (keyring->bus);
  remove_tree (keyring->home);
  g_clear_pointer (&keyring->home, g_free);
}

static void
lock_default_collection (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *objects;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));
}

static void
assert_refused (const GError *error)
{
  g_assert_error (error, CRIA_KEY_STORE_ERROR, CRIA_KEY_STORE_ERROR_REFUSED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_assert_null (strstr (error->message, "llg_sk_"));
}

static gboolean
have_keyring_daemon (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (daemon == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return FALSE;
    }

  return TRUE;
}

/* Kept for the life of the subprocess; see private_keyring_stop(). */
static PrivateKeyring private_keyring;

static void
test_refused_when_locked (void)
{
  if (!have_keyring_daemon ())
    return;

  if (g_test_subprocess ())
    {
      g_autofree char *url = test_url ("locked");
      g_autofree char *new_url = test_url ("locked-new");
      g_autoptr(GError) error = NULL;
      g_autofree char *key = NULL;

      private_keyring_start (&private_keyring, FALSE);

      g_assert_true (store_key (url, TEST_KEY, NULL, &error));
      g_assert_no_error (error);
      assert_stored (url, TEST_KEY);

      lock_default_collection ();

      g_assert_false (store_key (new_url, TEST_KEY, NULL, &error));
      assert_refused (error);
      g_clear_error (&error);

      /* libsecret itself answers "nothing stored" here; a locked item must
       * not look like a missing one. */
      key = lookup_key (url, NULL, &error);
      g_assert_null (key);
      assert_refused (error);
      g_clear_error (&error);

      /* Nothing is stored for this one, locked or not. */
      key = lookup_key (new_url, NULL, &error);
      g_assert_no_error (error);
      g_assert_null (key);

      /* libsecret reports "nothing removed" here too, while the key is
       * still there. */
      g_assert_false (clear_key (url, NULL, &error));
      assert_refused (error);
      g_clear_error (&error);
      g_assert_cmpuint (count_items (url), ==, 1);

      private_keyring_stop (&private_keyring);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static guint libsecret_lost_task_criticals;

/* When the Secret Service goes away during a prompt, libsecret (0.20.5
 * here) passes a NULL error to g_task_return_error() and never finishes the
 * operation; the key store has a guard for that (see expect_loss() there).
 * The critical it logs is tolerated in that test, and only that one. */
static gboolean
tolerate_libsecret_lost_task (const char     *log_domain,
                              GLogLevelFlags  log_level,
                              const char     *message,
                              gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "GLib-GIO") == 0 &&
      g_strcmp0 (message, "g_task_return_error: assertion 'error != NULL' failed") == 0)
    {
      libsecret_lost_task_criticals++;
      return FALSE;
    }

  return TRUE;
}

/* Present only in sanitizer builds. */
extern void __lsan_disable (void) __attribute__ ((weak));

static void
test_keyring_vanishes_while_prompting (void)
{
  if (!have_keyring_daemon ())
    return;

  if (g_test_subprocess ())
    {
      g_autofree char *url = test_url ("vanishing");
      g_autoptr(GError) error = NULL;
      gint64 start;

      g_test_log_set_fatal_handler (tolerate_libsecret_lost_task, NULL);

      /* The operation libsecret loses keeps its task, and the key store's
       * reference on it, forever: in this child process that is the point
       * of the test, not a leak of Cria's. */
      if (__lsan_disable != NULL)
        __lsan_disable ();

      private_keyring_start (&private_keyring, TRUE);
      lock_default_collection ();

      /* The store asks to unlock; the daemon dies trying to prompt. The
       * operation must still finish, and soon. */
      start = g_get_monotonic_time ();
      g_assert_false (store_key (url, TEST_KEY, NULL, &error));
      g_test_message ("finished after %.1f s with: %s",
                      (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                      error->message);
      g_test_message ("libsecret lost its task %u times", libsecret_lost_task_criticals);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
      g_assert_true (error->domain == CRIA_KEY_STORE_ERROR);
      g_assert_null (strstr (error->message, "llg_sk_"));

      private_keyring_stop (&private_keyring);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/key-store/round-trip", test_round_trip);
  g_test_add_func ("/key-store/urls-do-not-mix", test_urls_do_not_mix);
  g_test_add_func ("/key-store/trailing-slash-same-slot", test_trailing_slash_same_slot);
  g_test_add_func ("/key-store/missing-is-null", test_missing_is_null);
  g_test_add_func ("/key-store/clear", test_clear);
  g_test_add_func ("/key-store/store-replaces", test_store_replaces);
  g_test_add_func ("/key-store/item-in-secret-service", test_item_in_secret_service);
  g_test_add_func ("/key-store/other-schema-ignored", test_other_schema_ignored);
  g_test_add_func ("/key-store/unicode-and-long-key", test_unicode_and_long_key);
  g_test_add_func ("/key-store/cancelled-before-start", test_cancelled_before_start);
  g_test_add_func ("/key-store/cancelled-in-flight", test_cancelled_in_flight);
  g_test_add_func ("/key-store/unavailable/no-service", test_unavailable_no_service);
  g_test_add_func ("/key-store/unavailable/no-bus", test_unavailable_no_bus);
  g_test_add_func ("/key-store/unavailable/bogus-bus-address",
                   test_unavailable_bogus_bus_address);
  g_test_add_func ("/key-store/refused/locked", test_refused_when_locked);
  g_test_add_func ("/key-store/keyring-vanishes-while-prompting",
                   test_keyring_vanishes_while_prompting);

  return g_test_run ();
}
