/* test-html-text.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readable text of a page: what a reader would see, without what only
 * a browser needs.
 */

#include "config.h"

#include <string.h>

#include "cria-html-text.h"

static char *
text_of (const char  *html,
         char       **title)
{
  return cria_html_to_text (html, strlen (html), title);
}

static void
test_article (void)
{
  static const char html[] =
    "<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>  Soup &amp; Bread </title>"
    "<style>body { color: red }</style><script>var a = '<p>not text</p>';</script></head>"
    "<body><nav><ul><li><a href=/>Home</a></li><li>About</li></ul></nav>"
    "<main><h1>Leek   soup</h1><p>Take <b>two</b> leeks,\n   wash them.</p>"
    "<!-- a comment <p>hidden</p> -->"
    "<ul><li>Leeks</li><li>Stock &mdash; 1&nbsp;l</li></ul>"
    "<p>Caf&eacute; &#233; &#x1F372; 3 &lt; 4</p>"
    "<pre>  indented\n    more</pre></main>"
    "<footer>Copyright</footer><script>alert(1)</script></body></html>";
  g_autofree char *title = NULL;
  g_autofree char *text = text_of (html, &title);

  g_assert_cmpstr (title, ==, "Soup & Bread");
  g_assert_cmpstr (text, ==,
                   "# Leek soup\n\n"
                   "Take two leeks, wash them.\n\n"
                   "- Leeks\n"
                   "- Stock — 1 l\n\n"
                   "Café é 🍲 3 < 4\n\n"
                   "  indented\n    more");
}

static void
test_broken_markup (void)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  /* Unclosed tags, a lone <, an unknown entity, a tag cut off at the end. */
  text = text_of ("<p>a < b &bogus; &amp c<div>next<p attr=\"x>y\">z</p><span", &title);
  g_assert_null (title);
  g_assert_cmpstr (text, ==, "a < b &bogus; &amp c\nnext\n\nz");
  g_clear_pointer (&text, g_free);

  /* A script that never closes hides the rest, and nothing else breaks. */
  text = text_of ("before<script>while (1) {}", NULL);
  g_assert_cmpstr (text, ==, "before");
  g_clear_pointer (&text, g_free);

  /* Nested skipped elements end with their own closing tag. */
  text = text_of ("<nav>a<nav>b</nav>c</nav>shown", NULL);
  g_assert_cmpstr (text, ==, "shown");
  g_clear_pointer (&text, g_free);

  /* Invalid UTF-8 is replaced, never passed on. */
  text = text_of ("caf\xe9 ok", NULL);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "ok"));
  g_clear_pointer (&text, g_free);

  /* Character references to nothing or to control characters stay text. */
  text = text_of ("&#0; &#xD800; &#99999999999;", NULL);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==, "&#0; &#xD800; &#99999999999;");
}

static void
test_deep_and_large (void)
{
  g_autoptr(GString) html = g_string_new ("<head><title>t</title></head>");
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  gint64 start;

  /* Nesting depth costs nothing: there is no recursion on it. */
  for (guint i = 0; i < 200000; i++)
    g_string_append (html, "<div><head>");
  g_string_append (html, "deep");
  for (guint i = 0; i < 1000000; i++)
    g_string_append (html, "x &amp; ");

  start = g_get_monotonic_time ();
  text = cria_html_to_text (html->str, html->len, &title);
  g_assert_cmpstr (title, ==, "t");
  /* Everything after the first unclosed <head> is hidden, and the scan
   * still ends: linear, not quadratic, on several megabytes. */
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
}

static void
test_tables (void)
{
  g_autofree char *text = text_of ("<table><tr><th>Name</th><th>Age</th></tr>"
                                   "<tr><td>Ada</td><td>36</td></tr></table>", NULL);

  g_assert_cmpstr (text, ==, "Name Age\nAda 36");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/html-text/article", test_article);
  g_test_add_func ("/html-text/broken-markup", test_broken_markup);
  g_test_add_func ("/html-text/deep-and-large", test_deep_and_large);
  g_test_add_func ("/html-text/tables", test_tables);

  return g_test_run ();
}
