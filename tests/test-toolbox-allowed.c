/* test-toolbox-allowed.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tools the user allowed for good, as the toolbox holds them: read and
 * replaced as the setting's a(ss), forgotten one by one or by server, a
 * signal for each change and none without one, a bound, and entries that are
 * not kept (empty names, text that is not UTF-8, repeats, overlong ones).
 */

#include <string.h>

#include "cria-test-tools.h"
#include "cria-toolbox.h"

typedef struct
{
  CriaToolbox  *toolbox;
  GListStore   *tools;
  CriaTestTool *fetch;
  CriaTestTool *read_file;
  guint         n_changed;
} Fixture;

static void
allowed_changed_cb (CriaToolbox *toolbox,
                    Fixture     *f)
{
  f->n_changed++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* Cria's own "fetch" and a server's "read_file", both asking first. */
  f->fetch = cria_test_tool_new ("fetch", CRIA_TOOL_APPROVAL_ASK);
  f->read_file = cria_test_tool_new ("read_file", CRIA_TOOL_APPROVAL_ASK);
  cria_test_tool_set_source (f->read_file, "Files");
  f->tools = g_list_store_new (CRIA_TYPE_TOOL);
  g_list_store_append (f->tools, f->fetch);
  g_list_store_append (f->tools, f->read_file);
  f->toolbox = cria_toolbox_new ();
  cria_toolbox_add_source (f->toolbox, G_LIST_MODEL (f->tools));
  g_signal_connect (f->toolbox, "allowed-changed", G_CALLBACK (allowed_changed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->toolbox);
  g_clear_object (&f->tools);
  g_clear_object (&f->fetch);
  g_clear_object (&f->read_file);
}

static char *
print_allowed (CriaToolbox *toolbox)
{
  g_autoptr(GVariant) allowed = cria_toolbox_dup_allowed (toolbox);

  g_assert_true (g_variant_is_of_type (allowed, G_VARIANT_TYPE ("a(ss)")));
  return g_variant_print (allowed, FALSE);
}

#define assert_allowed(toolbox, text) \
  G_STMT_START { \
    g_autofree char *printed_ = print_allowed (toolbox); \
    g_assert_cmpstr (printed_, ==, text); \
  } G_STMT_END

static void
set_allowed_text (CriaToolbox *toolbox,
                  const char  *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) allowed = g_variant_parse (G_VARIANT_TYPE ("a(ss)"), text, NULL, NULL, &error);

  g_assert_no_error (error);
  cria_toolbox_set_allowed (toolbox, allowed);
}

static void
test_allow_and_forget (Fixture       *f,
                       gconstpointer  data)
{
  assert_allowed (f->toolbox, "[]");
  g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->fetch)));
  g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->read_file)));

  /* "Always allow" on each: kept as (source, name), oldest first; Cria's own
   * tools have the source "". */
  cria_toolbox_allow_always (f->toolbox, CRIA_TOOL (f->read_file));
  g_assert_cmpuint (f->n_changed, ==, 1);
  cria_toolbox_allow_always (f->toolbox, CRIA_TOOL (f->fetch));
  g_assert_cmpuint (f->n_changed, ==, 2);
  assert_allowed (f->toolbox, "[('Files', 'read_file'), ('', 'fetch')]");
  g_assert_false (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->fetch)));
  g_assert_false (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->read_file)));
  g_assert_true (cria_toolbox_is_allowed (f->toolbox, "Files", "read_file"));
  g_assert_false (cria_toolbox_is_allowed (f->toolbox, "Other", "read_file"));

  /* Again: nothing changes, and nothing says so. */
  cria_toolbox_allow_always (f->toolbox, CRIA_TOOL (f->fetch));
  g_assert_cmpuint (f->n_changed, ==, 2);

  /* Forgotten, the tool asks again; forgetting what is not there is no
   * change. */
  g_assert_true (cria_toolbox_forget (f->toolbox, "", "fetch"));
  g_assert_cmpuint (f->n_changed, ==, 3);
  g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->fetch)));
  g_assert_false (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->read_file)));
  g_assert_false (cria_toolbox_forget (f->toolbox, "", "fetch"));
  g_assert_false (cria_toolbox_forget (f->toolbox, "Other", "read_file"));
  g_assert_cmpuint (f->n_changed, ==, 3);
  assert_allowed (f->toolbox, "[('Files', 'read_file')]");
}

static void
test_set_and_get (Fixture       *f,
                  gconstpointer  data)
{
  /* Loaded as the setting holds it: order kept, read back the same. */
  set_allowed_text (f->toolbox, "[('Files', 'read_file'), ('', 'fetch'), ('Web', 'search')]");
  g_assert_cmpuint (f->n_changed, ==, 1);
  assert_allowed (f->toolbox, "[('Files', 'read_file'), ('', 'fetch'), ('Web', 'search')]");
  g_assert_false (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->fetch)));
  g_assert_false (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->read_file)));

  /* The same again is no change: saving it and reading it back ends there. */
  set_allowed_text (f->toolbox, "[('Files', 'read_file'), ('', 'fetch'), ('Web', 'search')]");
  g_assert_cmpuint (f->n_changed, ==, 1);

  /* Replaced: what is not in the new set asks again. */
  set_allowed_text (f->toolbox, "[('Web', 'search')]");
  g_assert_cmpuint (f->n_changed, ==, 2);
  g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->fetch)));
  g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->read_file)));

  set_allowed_text (f->toolbox, "@a(ss) []");
  g_assert_cmpuint (f->n_changed, ==, 3);
  assert_allowed (f->toolbox, "[]");

  /* A tool of another source with the same name is another tool: an
   * entry for server "Files" does not allow Cria's own "read_file". */
  set_allowed_text (f->toolbox, "[('', 'read_file')]");
  g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->read_file)));
}

static void
test_forget_source (Fixture       *f,
                    gconstpointer  data)
{
  set_allowed_text (f->toolbox,
                    "[('Files', 'read_file'), ('', 'fetch'), ('Files', 'write_file'), ('Files2', 'read_file')]");
  g_assert_cmpuint (f->n_changed, ==, 1);

  /* Every tool of the server goes, in one change; other servers' and
   * Cria's own stay. */
  g_assert_cmpuint (cria_toolbox_forget_source (f->toolbox, "Files"), ==, 2);
  g_assert_cmpuint (f->n_changed, ==, 2);
  assert_allowed (f->toolbox, "[('', 'fetch'), ('Files2', 'read_file')]");
  g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->read_file)));

  g_assert_cmpuint (cria_toolbox_forget_source (f->toolbox, "Files"), ==, 0);
  g_assert_cmpuint (f->n_changed, ==, 2);
}

static void
test_rename_source (Fixture       *f,
                    gconstpointer  data)
{
  set_allowed_text (f->toolbox,
                    "[('Files', 'read_file'), ('', 'fetch'), ('Disk', 'write_file'), ('Files', 'write_file')]");
  g_assert_cmpuint (f->n_changed, ==, 1);

  /* The server's tools stay allowed under its new name, in their places;
   * one already allowed there is kept once. */
  g_assert_cmpuint (cria_toolbox_rename_source (f->toolbox, "Files", "Disk"), ==, 1);
  g_assert_cmpuint (f->n_changed, ==, 2);
  assert_allowed (f->toolbox, "[('Disk', 'read_file'), ('', 'fetch'), ('Disk', 'write_file')]");

  /* Nothing is left under the old name for a new server of that name. */
  g_assert_cmpuint (cria_toolbox_forget_source (f->toolbox, "Files"), ==, 0);
  g_assert_cmpuint (f->n_changed, ==, 2);

  /* A name with nothing allowed, or the same name: no change. */
  g_assert_cmpuint (cria_toolbox_rename_source (f->toolbox, "Files", "Other"), ==, 0);
  g_assert_cmpuint (cria_toolbox_rename_source (f->toolbox, "Disk", "Disk"), ==, 0);
  g_assert_cmpuint (f->n_changed, ==, 2);

  /* A name that cannot be kept (too long) forgets them, in one change. */
  {
    g_autofree char *long_name = g_strnfill (CRIA_TOOLBOX_ALLOWED_MAX_LENGTH + 1, 'x');

    g_assert_cmpuint (cria_toolbox_rename_source (f->toolbox, "Disk", long_name), ==, 0);
    g_assert_cmpuint (f->n_changed, ==, 3);
    assert_allowed (f->toolbox, "[('', 'fetch')]");
  }
}

static void
test_bad_entries (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *long_name = g_strnfill (CRIA_TOOLBOX_ALLOWED_MAX_LENGTH + 1, 'x');
  g_autofree char *longest_name = g_strnfill (CRIA_TOOLBOX_ALLOWED_MAX_LENGTH, 'y');
  GVariantBuilder builder;
  g_autoptr(GVariant) allowed = NULL;
  g_autoptr(GVariant) broken = NULL;
  g_autoptr(GVariant) kept = NULL;
  /* a(ss) serialised by hand: ("Files", "read\xff") — a name that is not
   * UTF-8, as a damaged settings file could give. */
  static const guint8 bad_utf8[] = {
    'F', 'i', 'l', 'e', 's', '\0', 'r', 'e', 'a', 'd', 0xff, '\0', 6,
    13,
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (bad_utf8, sizeof bad_utf8);

  /* Empty names, overlong text and repeats are not kept; what is good in the
   * same list is. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  g_variant_builder_add (&builder, "(ss)", "Files", "");
  g_variant_builder_add (&builder, "(ss)", "Files", "read_file");
  g_variant_builder_add (&builder, "(ss)", "Files", "read_file");
  g_variant_builder_add (&builder, "(ss)", "", long_name);
  g_variant_builder_add (&builder, "(ss)", long_name, "fetch");
  g_variant_builder_add (&builder, "(ss)", "", longest_name);
  allowed = g_variant_ref_sink (g_variant_builder_end (&builder));
  cria_toolbox_set_allowed (f->toolbox, allowed);
  kept = cria_toolbox_dup_allowed (f->toolbox);
  g_assert_cmpuint (g_variant_n_children (kept), ==, 2);
  g_assert_true (cria_toolbox_is_allowed (f->toolbox, "Files", "read_file"));
  g_assert_true (cria_toolbox_is_allowed (f->toolbox, "", longest_name));
  g_assert_false (cria_toolbox_is_allowed (f->toolbox, "", long_name));
  g_assert_false (cria_toolbox_is_allowed (f->toolbox, "Files", ""));

  /* A name that is not UTF-8 never becomes an entry. */
  broken = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE ("a(ss)"), bytes, FALSE));
  cria_toolbox_set_allowed (f->toolbox, broken);
  assert_allowed (f->toolbox, "[]");
  g_assert_false (cria_toolbox_is_allowed (f->toolbox, "Files", "read\xff"));
  g_assert_false (cria_toolbox_forget (f->toolbox, "Files", "read\xff"));

  /* Nor does a tool without a name, or with one or from a server whose
   * name is not UTF-8, asked to be allowed for good: it goes on asking. */
  {
    g_autoptr(CriaTestTool) nameless = cria_test_tool_new ("", CRIA_TOOL_APPROVAL_ASK);
    g_autoptr(CriaTestTool) garbled = cria_test_tool_new ("read\xff", CRIA_TOOL_APPROVAL_ASK);
    g_autoptr(CriaTestTool) garbled_source = cria_test_tool_new ("read", CRIA_TOOL_APPROVAL_ASK);
    guint before = f->n_changed;

    cria_test_tool_set_source (garbled_source, "Fil\xc3" "es");
    cria_toolbox_allow_always (f->toolbox, CRIA_TOOL (nameless));
    cria_toolbox_allow_always (f->toolbox, CRIA_TOOL (garbled));
    cria_toolbox_allow_always (f->toolbox, CRIA_TOOL (garbled_source));
    g_assert_cmpuint (f->n_changed, ==, before);
    assert_allowed (f->toolbox, "[]");
    g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (nameless)));
    g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (garbled)));
    g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (garbled_source)));
  }
}

static void
test_bound (Fixture       *f,
            gconstpointer  data)
{
  GVariantBuilder builder;
  g_autoptr(GVariant) allowed = NULL;
  g_autoptr(GVariant) kept = NULL;
  const char *first_source;
  const char *first_name;
  const char *last_name;

  /* A setting holding more than the bound: the oldest are kept. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i < CRIA_TOOLBOX_MAX_ALLOWED + 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("tool_%u", i);

      g_variant_builder_add (&builder, "(ss)", "Many", name);
    }
  allowed = g_variant_ref_sink (g_variant_builder_end (&builder));
  cria_toolbox_set_allowed (f->toolbox, allowed);
  kept = cria_toolbox_dup_allowed (f->toolbox);
  g_assert_cmpuint (g_variant_n_children (kept), ==, CRIA_TOOLBOX_MAX_ALLOWED);
  g_variant_get_child (kept, 0, "(&s&s)", &first_source, &first_name);
  g_assert_cmpstr (first_source, ==, "Many");
  g_assert_cmpstr (first_name, ==, "tool_0");
  g_variant_get_child (kept, CRIA_TOOLBOX_MAX_ALLOWED - 1, "(&s&s)", NULL, &last_name);
  g_assert_cmpstr (last_name, ==, "tool_499");
  g_assert_false (cria_toolbox_is_allowed (f->toolbox, "Many", "tool_500"));
  g_assert_cmpuint (f->n_changed, ==, 1);

  /* Full: allowing one more is refused, nothing changes, and the tool asks
   * again next time. */
  cria_toolbox_allow_always (f->toolbox, CRIA_TOOL (f->fetch));
  g_assert_cmpuint (f->n_changed, ==, 1);
  g_assert_true (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->fetch)));
  g_assert_true (cria_toolbox_is_allowed (f->toolbox, "Many", "tool_0"));

  /* With room again, it is kept. */
  g_assert_true (cria_toolbox_forget (f->toolbox, "Many", "tool_7"));
  cria_toolbox_allow_always (f->toolbox, CRIA_TOOL (f->fetch));
  g_assert_cmpuint (f->n_changed, ==, 3);
  g_assert_false (cria_toolbox_needs_approval (f->toolbox, CRIA_TOOL (f->fetch)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/toolbox-allowed/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("allow-and-forget", test_allow_and_forget);
  ADD ("set-and-get", test_set_and_get);
  ADD ("forget-source", test_forget_source);
  ADD ("rename-source", test_rename_source);
  ADD ("bad-entries", test_bad_entries);
  ADD ("bound", test_bound);

#undef ADD

  return g_test_run ();
}
