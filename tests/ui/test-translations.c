/* test-translations.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs Cria's own translation domain in German and Spanish the way a user gets it: the
 * catalogues compiled by the build (po/LANG/LC_MESSAGES/cria.mo), a real de_DE.UTF-8 or
 * es_ES.UTF-8 locale (compiled by build-aux/make-test-locales.sh, loaded through LOCPATH),
 * strings from the core's C code, plural forms, the locale's number and month formats, and
 * widgets built from Cria's .ui templates and its shortcuts window. */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "cria-config.h"
#include "cria-model-picker.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"

typedef struct
{
  const char *locale;
  const char *preferences;
  const char *quit;            /* msgctxt "shortcut window" */
  const char *general;         /* msgctxt "shortcut window" */
  const char *shortcuts_title;
  const char *preparing_one;
  const char *preparing_three;
  const char *thought;         /* 2.5 seconds, with the locale's decimal comma */
  const char *https_error;
  const char *month_heading;   /* March 2026 */
  const char *choose_model;
} Language;

static const Language german = {
  .locale = "de_DE.UTF-8",
  .preferences = "Einstellungen",
  .quit = "Beenden",
  .general = "Allgemein",
  .shortcuts_title = "Tastenkürzel",
  .preparing_one = "1 Anhang wird vorbereitet …",
  .preparing_three = "3 Anhänge werden vorbereitet …",
  .thought = "2,5 s nachgedacht",
  .https_error = "Die Serveradresse muss mit https:// beginnen.",
  .month_heading = "März 2026",
  .choose_model = "Modell wählen",
};

static const Language spanish = {
  .locale = "es_ES.UTF-8",
  .preferences = "Preferencias",
  .quit = "Salir",
  .general = "General",
  .shortcuts_title = "Atajos de teclado",
  .preparing_one = "Preparando 1 adjunto…",
  .preparing_three = "Preparando 3 adjuntos…",
  .thought = "Pensó durante 2,5 s",
  .https_error = "La dirección del servidor debe empezar por https://.",
  .month_heading = "marzo de 2026",
  .choose_model = "Elegir un modelo",
};

/* Switches the whole process to @language's locale; FALSE (and the test skipped) when
 * the locale could not be compiled on this machine. */
static gboolean
use_locale (const Language *language)
{
  if (setlocale (LC_ALL, language->locale) == NULL)
    {
      g_autofree char *name = g_strndup (language->locale, strcspn (language->locale, "."));
      g_autofree char *source = g_build_filename ("/usr/share/i18n/locales", name, NULL);
      g_autofree char *why = NULL;

      /* With the locale's sources at hand, a missing locale is the build's fault. */
      if (g_file_test (source, G_FILE_TEST_IS_REGULAR))
        {
          g_test_message ("%s was not compiled into %s although %s exists",
                          language->locale, CRIA_TEST_LOCPATH, source);
          g_test_fail ();
          return FALSE;
        }
      why = g_strdup_printf ("the %s locale is not available in %s: install Debian's "
                             "locales package (build-aux/install-deps.sh)",
                             language->locale, CRIA_TEST_LOCPATH);
      g_test_skip (why);
      return FALSE;
    }
  return TRUE;
}

static void
use_c_locale (void)
{
  g_assert_nonnull (setlocale (LC_ALL, "C"));
}

static char *
format_thought (double seconds)
{
  /* Translators' format, filled in as cria-message-row.c does. */
  return g_strdup_printf (_("Thought for %'.1f s"), seconds);
}

static char *
format_preparing (guint n)
{
  return g_strdup_printf (ngettext ("Preparing %u attachment…", "Preparing %u attachments…", n), n);
}

static char *
format_month (void)
{
  g_autoptr(GDateTime) march = g_date_time_new_utc (2026, 3, 14, 12, 0, 0);

  /* As the sidebar heads older conversations. */
  return g_date_time_format (march, _("%B %Y"));
}

/* The catalogue: C code's strings, contexts, plurals and the locale's formats. */
static void
test_catalogue (gconstpointer data)
{
  const Language *language = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *one = NULL;
  g_autofree char *three = NULL;
  g_autofree char *thought = NULL;
  g_autofree char *month = NULL;

  if (!use_locale (language))
    return;

  g_assert_cmpstr (_("Preferences"), ==, language->preferences);
  g_assert_cmpstr (C_("shortcut window", "Quit"), ==, language->quit);

  one = format_preparing (1);
  three = format_preparing (3);
  g_assert_cmpstr (one, ==, language->preparing_one);
  g_assert_cmpstr (three, ==, language->preparing_three);

  thought = format_thought (2.5);
  g_assert_cmpstr (thought, ==, language->thought);

  month = format_month ();
  g_assert_cmpstr (month, ==, language->month_heading);

  /* An error the core builds for the user. */
  url = cria_config_normalize_base_url ("ftp://api.llamagate.dev/v1", &error);
  g_assert_null (url);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, language->https_error);

  use_c_locale ();
}

/* Without a language, the same calls give the English originals: the translations above
 * come from the catalogue, not from the test. */
static void
test_untranslated (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *three = NULL;
  g_autofree char *thought = NULL;

  use_c_locale ();
  g_assert_cmpstr (_("Preferences"), ==, "Preferences");
  three = format_preparing (3);
  g_assert_cmpstr (three, ==, "Preparing 3 attachments…");
  thought = format_thought (2.5);
  g_assert_cmpstr (thought, ==, "Thought for 2.5 s");
  url = cria_config_normalize_base_url ("ftp://api.llamagate.dev/v1", &error);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, "The server address must start with https://.");
}

static GtkShortcutsShortcut *
find_shortcut (GtkBuilder *builder,
               const char *title)
{
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *object_title = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      g_object_get (l->data, "title", &object_title, NULL);
      if (g_strcmp0 (object_title, title) == 0)
        return l->data;
    }
  return NULL;
}

static gboolean
has_group (GtkBuilder *builder,
           const char *title)
{
  g_autoptr(GSList) objects = gtk_builder_get_objects (builder);

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *object_title = NULL;

      if (!GTK_IS_SHORTCUTS_GROUP (l->data))
        continue;
      g_object_get (l->data, "title", &object_title, NULL);
      if (g_strcmp0 (object_title, title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Widgets built from Cria's templates and its shortcuts window, in the language. */
static void
test_widgets (gconstpointer data)
{
  const Language *language = data;
  g_autoptr(GtkBuilder) builder = NULL;
  GtkShortcutsShortcut *quit;
  g_autofree char *accelerator = NULL;
  GtkWindow *overlay;
  GtkWidget *picker;
  GtkWidget *button;

  if (!use_locale (language))
    return;

  builder = gtk_builder_new_from_resource ("/io/github/cria/Cria/cria-shortcuts-window.ui");
  overlay = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  g_assert_nonnull (overlay);
  g_assert_cmpstr (gtk_window_get_title (overlay), ==, language->shortcuts_title);
  g_assert_true (has_group (builder, language->general));
  quit = find_shortcut (builder, language->quit);
  g_assert_nonnull (quit);
  g_object_get (quit, "accelerator", &accelerator, NULL);
  g_assert_cmpstr (accelerator, ==, "<Control>q");
  g_assert_null (find_shortcut (builder, "Quit"));
  gtk_window_destroy (overlay);

  picker = g_object_ref_sink (cria_model_picker_new ());
  button = adw_bin_get_child (ADW_BIN (picker));
  g_assert_true (GTK_IS_MENU_BUTTON (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, language->choose_model);
  g_assert_finalize_object (picker);

  use_c_locale ();
}

int
main (int   argc,
      char *argv[])
{
  gboolean display;

  cria_test_init (&argc, &argv);

  /* The build's catalogues and locales, and nothing from the environment that would pick
   * a language over the locale. */
  g_setenv ("LOCPATH", CRIA_TEST_LOCPATH, TRUE);
  g_unsetenv ("LANGUAGE");
  bindtextdomain (GETTEXT_PACKAGE, CRIA_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_disable_setlocale ();
  display = gtk_init_check ();
  if (display)
    adw_init ();

  g_test_add_func ("/translations/c/untranslated", test_untranslated);
  g_test_add_data_func ("/translations/de/catalogue", &german, test_catalogue);
  g_test_add_data_func ("/translations/es/catalogue", &spanish, test_catalogue);
  if (display)
    {
      g_test_add_data_func ("/translations/de/widgets", &german, test_widgets);
      g_test_add_data_func ("/translations/es/widgets", &spanish, test_widgets);
    }
  else
    g_test_add_func ("/translations/widgets/no-display", cria_ui_test_skip_no_display);

  return g_test_run ();
}
