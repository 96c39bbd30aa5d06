/* test-import-export.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export and import as the window does them under Xvfb, from the file
 * choosers' answers on: exported files are private and importable, and a
 * file that will not import says why in a dialog, leaves the history as it
 * was and never takes the window down.
 */

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cria-export-json.h"
#include "cria-application.h"
#include "cria-conversation-list.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

typedef struct
{
  CriaWindow           *window;
  CriaConversationList *list;
  CriaStore            *store;
  char                 *dir;
} Fixture;

static gboolean have_display;
static CriaApplication *app;
static char *data_home;

static void
wait_until (gboolean (*condition) (Fixture *f, gconstpointer data),
            Fixture       *f,
            gconstpointer  data)
{
  g_assert_true (cria_ui_test_wait_full ((CriaUiTestCondition) condition, f, data, 60));
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
flush (CriaStore *store)
{
  GAsyncResult *result = NULL;

  cria_store_flush_async (store, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cria_store_flush_finish (store, result, NULL));
  g_object_unref (result);
}

/* A question and an answer that failed with @error, saved through the
 * app's store. */
static char *
save_conversation (CriaStore  *store,
                   const char *title,
                   const char *error)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);
  g_autoptr(CriaMessageRecord) question = cria_message_record_new ();
  g_autoptr(CriaMessageRecord) answer = cria_message_record_new ();

  record->title = g_strdup (title);
  record->model = g_strdup ("llama-3.1-8b");
  record->created = record->updated = g_get_real_time ();
  cria_store_save_conversation (store, record);

  question->id = g_uuid_string_random ();
  g_free (question->content);
  question->content = g_strdup_printf ("%s question", title);
  question->created = g_get_real_time ();
  cria_store_save_message (store, record->id, 0, question);

  answer->id = g_uuid_string_random ();
  answer->role = CRIA_ROLE_ASSISTANT;
  answer->state = CRIA_MESSAGE_STATE_FAILED;
  answer->error = g_strdup (error);
  answer->created = g_get_real_time ();
  cria_store_save_message (store, record->id, 1, answer);
  flush (store);

  return g_strdup (record->id);
}

static gboolean
list_loaded (Fixture       *f,
             gconstpointer  data)
{
  return cria_conversation_list_get_loaded (f->list);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;

  f->store = g_object_ref (cria_application_get_store (app));
  f->list = cria_conversation_list_new (f->store);
  wait_until (list_loaded, f, NULL);
  f->window = cria_application_new_window (app);
  gtk_window_present (GTK_WINDOW (f->window));
  f->dir = g_dir_make_tmp ("cria-import-export-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;

  if (!have_display)
    return;

  while ((dialog = find_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (f->window));
  flush (f->store);
  g_clear_object (&f->list);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
dialog_shown (Fixture       *f,
              gconstpointer  data)
{
  return find_dialog () != NULL;
}

/* Imports @path as the import chooser's answer would, and waits for the
 * dialog that says why it did not import: its body must hold @needle. The
 * history is as it was, and the window goes on. */
static void
assert_import_refused (Fixture    *f,
                       const char *path,
                       const char *needle)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint before = g_list_model_get_n_items (G_LIST_MODEL (f->list));
  AdwMessageDialog *dialog;
  const char *body;

  _cria_window_import_file (f->window, file);
  wait_until (dialog_shown, f, NULL);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Import the Conversation");
  g_assert_false (adw_message_dialog_get_body_use_markup (dialog));
  body = adw_message_dialog_get_body (dialog);
  if (strstr (body, needle) == NULL)
    g_error ("“%s” does not say “%s”", body, needle);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));

  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Nothing half-imported. */
  flush (f->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, before);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
}

static void
test_import_too_deep (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GString) json = g_string_new ("{\"messages\": ");
  g_autofree char *path = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* 400 KB, well-formed, 200,000 deep. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (json, ']');
  g_string_append_c (json, '}');
  path = g_build_filename (f->dir, "deep.json", NULL);
  g_assert_true (g_file_set_contents (path, json->str, (gssize) json->len, NULL));

  assert_import_refused (f, path, "nest more than 64 levels deep");
}

static void
test_import_out_of_range (Fixture       *f,
                          gconstpointer  data)
{
  static const struct {
    const char *json;
    const char *needle;
  } cases[] = {
    { "{\"messages\": [{\"role\": \"user\", \"content\": \"Fine\"},"
      " {\"role\": \"assistant\", \"content\": \"Far future\", \"cria\": {\"created_us\": 300000000000000000}}]}",
      "“created_us” is not a time between the years 1970 and 9999" },
    { "{\"conversation\": {\"updated_us\": -1}, \"messages\": [{\"role\": \"user\", \"content\": \"Before\"}]}",
      "“updated_us” is not a time" },
    { "{\"messages\": [{\"role\": \"assistant\", \"content\": \"x\", \"cria\": {\"thinking_time_us\": -1}}]}",
      "“thinking_time_us” is out of range" },
    { "{\"messages\": [{\"role\": \"assistant\", \"content\": \"x\", \"cria\": {\"tokens_per_second\": 1e999}}]}",
      "“tokens_per_second” is out of range" },
    { "{\"messages\": [{\"role\": \"<b>wizard</b>\", \"content\": \"x\"}]}",
      "unknown role “<b>wizard</b>”" },
    { "{\"messages\": [{\"role\": \"user\", \"content\": \"Failed question\", \"cria\": {\"state\": \"failed\"}}]}",
      "“state” is out of range" },
  };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-%u.json", i);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_assert_true (g_file_set_contents (path, cases[i].json, -1, NULL));
      assert_import_refused (f, path, cases[i].needle);
    }
}

static void
test_import_too_large (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = NULL;
  int fd;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* Sparse: one byte more than the most, without writing 64 MiB. */
  path = g_build_filename (f->dir, "huge.json", NULL);
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, CRIA_IMPORT_MAX_BYTES + 1), ==, 0);
  close (fd);

  assert_import_refused (f, path, "larger than 64.0");
}

static gboolean
open_with_title (Fixture       *f,
                 gconstpointer  title)
{
  return cria_window_get_conversation (f->window) != NULL &&
         g_strcmp0 (cria_conversation_get_title (cria_window_get_conversation (f->window)), title) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))) == 2;
}

/* JSON-GLib writes the export in one piece, ending with the root's brace. */
static gboolean
export_written (Fixture       *f,
                gconstpointer  path)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && g_str_has_suffix (g_strchomp (contents), "}") &&
         strstr (contents, "\"messages\"") != NULL;
}

static gboolean
markdown_written (Fixture       *f,
                  gconstpointer  path)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, "*No answer came.*") != NULL;
}

static void
assert_private (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_export_private (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *md_path = NULL;
  g_autoptr(GFile) json_file = NULL;
  g_autoptr(GFile) md_file = NULL;
  mode_t old_mask;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* The usual umask, which leaves new files readable by all. */
  old_mask = umask (022);
  id = save_conversation (f->store, "Private soup", "The server is overloaded.");
  json_path = g_build_filename (f->dir, "soup.json", NULL);
  md_path = g_build_filename (f->dir, "soup.md", NULL);
  json_file = g_file_new_for_path (json_path);
  md_file = g_file_new_for_path (md_path);

  /* New files, as the export choosers' answers make them. */
  _cria_window_export_file (f->window, id, TRUE, json_file);
  wait_until (export_written, f, json_path);
  assert_private (json_path);
  _cria_window_export_file (f->window, id, FALSE, md_file);
  wait_until (markdown_written, f, md_path);
  assert_private (md_path);

  /* Over a file others could read. */
  g_assert_true (g_file_set_contents (json_path, "old", -1, NULL));
  g_assert_cmpint (g_chmod (json_path, 0644), ==, 0);
  _cria_window_export_file (f->window, id, TRUE, json_file);
  wait_until (export_written, f, json_path);
  assert_private (json_path);

  umask (old_mask);
}

/* An answer whose error holds bytes that are not UTF-8, as a server's
 * reason phrase can: the export is UTF-8 and imports, and the error reads
 * with replacement characters. */
static void
test_export_round_trip_bad_utf8 (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CriaMessage) answer = NULL;
  gsize length;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  id = save_conversation (f->store, "Bad gateway soup", "HTTP 502: Bad \xff\xfe Gateway");
  path = g_build_filename (f->dir, "bad.json", NULL);
  file = g_file_new_for_path (path);

  _cria_window_export_file (f->window, id, TRUE, file);
  wait_until (export_written, f, path);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_utf8_validate (contents, (gssize) length, NULL));

  _cria_window_import_file (f->window, file);
  wait_until (open_with_title, f, "Bad gateway soup");
  g_assert_cmpstr (_cria_window_history_get_id (f->window), !=, id);
  g_assert_null (find_dialog ());
  answer = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (f->window)), 1);
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_FAILED);
  g_assert_cmpstr (cria_message_get_error (answer)->message, ==, "HTTP 502: Bad \xef\xbf\xbd\xef\xbf\xbd Gateway");
}

/* Odd but not wrong: a byte order mark, members Cria does not know, a
 * title far too long for a row, bytes that are not UTF-8, no times. */
static void
test_import_odd_but_valid (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *long_title = g_strnfill (5000, 'x');
  g_autofree char *json = g_strdup_printf (
    "\xef\xbb\xbf{\"conversation\": {\"title\": \"%s\", \"tags\": [\"a\"]},"
    " \"messages\": [{\"role\": \"user\", \"content\": \"Odd \xff question\", \"name\": \"me\"},"
    " {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"Odd answer\"}, {\"type\": \"audio\"}],"
    "  \"cria\": {\"usage\": {\"prompt_tokens\": 0}, \"cost\": 0}}]}", long_title);
  g_autofree char *title = g_strnfill (1000, 'x');
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CriaMessage) question = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  path = g_build_filename (f->dir, "odd.json", NULL);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  file = g_file_new_for_path (path);

  _cria_window_import_file (f->window, file);
  wait_until (open_with_title, f, title);
  g_assert_null (find_dialog ());
  question = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (f->window)), 0);
  g_assert_cmpstr (cria_message_get_content (question), ==, "Odd \xef\xbf\xbd question");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* A history of its own, before anything asks where the user's is. */
  data_home = g_dir_make_tmp ("cria-import-export-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

#define ADD(path, func) \
  g_test_add ("/import-export/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("import-too-deep", test_import_too_deep);
  ADD ("import-out-of-range", test_import_out_of_range);
  ADD ("import-too-large", test_import_too_large);
  ADD ("import-odd-but-valid", test_import_odd_but_valid);
  ADD ("export-private", test_export_private);
  ADD ("export-round-trip-bad-utf8", test_export_round_trip_bad_utf8);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  remove_tree (data_home);
  g_free (data_home);

  return status;
}
