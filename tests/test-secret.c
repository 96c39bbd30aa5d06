/* test-secret.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "cria-secret.h"

/* Every byte up to the nul becomes zero; the bytes after it are not the
 * secret's and stay as they were. */
static void
test_wipe (void)
{
  char buffer[32];

  memset (buffer, 'x', sizeof buffer);
  memcpy (buffer, "llg-secret-value", sizeof "llg-secret-value");

  cria_secret_wipe (buffer);

  for (gsize i = 0; i < sizeof "llg-secret-value"; i++)
    g_assert_cmpint (buffer[i], ==, 0);
  for (gsize i = sizeof "llg-secret-value"; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 'x');
}

static void
test_wipe_empty_and_null (void)
{
  char empty[2] = { '\0', 'x' };

  cria_secret_wipe (NULL);
  cria_secret_wipe (empty);
  g_assert_cmpint (empty[0], ==, 0);
  g_assert_cmpint (empty[1], ==, 'x');
}

/* Freeing is what happens at every call site; under valgrind or ASan this
 * also shows the free is right. */
static void
test_free_and_clear (void)
{
  char *secret = g_strdup ("llg-another-value");
  g_autoptr(CriaSecret) scoped = g_strdup ("llg-scoped-value");

  cria_secret_free (NULL);
  cria_secret_clear (&secret);
  g_assert_null (secret);
  /* Clearing twice is harmless. */
  cria_secret_clear (&secret);
  g_assert_null (secret);
  g_assert_cmpstr (scoped, ==, "llg-scoped-value");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secret/wipe", test_wipe);
  g_test_add_func ("/secret/wipe-empty-and-null", test_wipe_empty_and_null);
  g_test_add_func ("/secret/free-and-clear", test_free_and_clear);

  return g_test_run ();
}
