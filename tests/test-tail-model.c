/* test-tail-model.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-tail-model.h"
#include "cria-test-util.h"

/* A view's copy of the tail, kept only from the tail's items-changed: it
 * must always hold exactly what the tail holds. */
typedef struct
{
  GListStore    *store;
  CriaTailModel *tail;
  GPtrArray     *mirror;
  guint          emissions;
} Fixture;

static void
mirror_cb (GListModel *tail,
           guint       position,
           guint       removed,
           guint       added,
           Fixture    *f)
{
  g_assert_cmpuint (position + removed, <=, f->mirror->len);
  g_ptr_array_remove_range (f->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (f->mirror, position + i, g_list_model_get_item (tail, position + i));
  f->emissions++;
}

static void
fill (Fixture *f,
      guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);

      g_list_store_append (f->store, item);
    }
}

static void
start (Fixture *f,
       guint    n_items,
       guint    n_shown)
{
  f->store = g_list_store_new (G_TYPE_OBJECT);
  fill (f, n_items);
  f->tail = cria_tail_model_new (G_LIST_MODEL (f->store), n_shown);
  f->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->tail)); i++)
    g_ptr_array_add (f->mirror, g_list_model_get_item (G_LIST_MODEL (f->tail), i));
  g_signal_connect (f->tail, "items-changed", G_CALLBACK (mirror_cb), f);
}

static void
finish (Fixture *f)
{
  g_ptr_array_unref (f->mirror);
  g_assert_finalize_object (f->tail);
  g_object_unref (f->store);
}

/* The tail is the model from its offset on, and the mirror agrees. */
static void
check (Fixture *f)
{
  GListModel *store = G_LIST_MODEL (f->store);
  GListModel *tail = G_LIST_MODEL (f->tail);
  guint offset = cria_tail_model_get_offset (f->tail);

  g_assert_cmpuint (offset, <=, g_list_model_get_n_items (store));
  g_assert_cmpuint (g_list_model_get_n_items (tail), ==, g_list_model_get_n_items (store) - offset);
  g_assert_cmpuint (f->mirror->len, ==, g_list_model_get_n_items (tail));
  for (guint i = 0; i < f->mirror->len; i++)
    {
      g_autoptr(GObject) a = g_list_model_get_item (tail, i);
      g_autoptr(GObject) b = g_list_model_get_item (store, offset + i);

      g_assert_true (a == b);
      g_assert_true (a == g_ptr_array_index (f->mirror, i));
    }
  g_assert_null (g_list_model_get_item (tail, f->mirror->len));
}

static void
test_opens_with_the_end (void)
{
  Fixture f = { 0 };

  start (&f, 10000, 60);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.tail)), ==, 60);
  g_assert_cmpuint (cria_tail_model_get_offset (f.tail), ==, 9940);
  check (&f);

  /* A short conversation is shown whole. */
  finish (&f);
  start (&f, 5, 60);
  g_assert_cmpuint (cria_tail_model_get_offset (f.tail), ==, 0);
  check (&f);
  finish (&f);
}

static void
test_appended_items_show (void)
{
  Fixture f = { 0 };

  start (&f, 100, 10);
  fill (&f, 2);
  g_assert_cmpuint (f.emissions, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f.tail)), ==, 12);
  check (&f);

  /* An answer regenerated: the last item replaced. */
  g_list_store_remove (f.store, 101);
  fill (&f, 1);
  check (&f);
  finish (&f);
}

static void
test_show_more (void)
{
  Fixture f = { 0 };

  start (&f, 100, 10);
  g_assert_cmpuint (cria_tail_model_show_more (f.tail, 50), ==, 50);
  g_assert_cmpuint (cria_tail_model_get_offset (f.tail), ==, 40);
  check (&f);
  g_assert_cmpuint (cria_tail_model_show_more (f.tail, 50), ==, 40);
  check (&f);
  g_assert_cmpuint (f.emissions, ==, 2);
  g_assert_cmpuint (cria_tail_model_show_more (f.tail, 50), ==, 0);
  g_assert_cmpuint (f.emissions, ==, 2);

  finish (&f);
  start (&f, 100, 10);
  /* A search result far up: the tail grows to reach it. */
  g_assert_cmpuint (cria_tail_model_show_from (f.tail, 25), ==, 0);
  g_assert_cmpuint (cria_tail_model_get_offset (f.tail), ==, 25);
  g_assert_cmpuint (cria_tail_model_show_from (f.tail, 95), ==, 70);
  check (&f);
  finish (&f);
}

static void
test_changes_before_and_across (void)
{
  Fixture f = { 0 };

  start (&f, 100, 10);
  /* Deleted above the tail: nothing the view shows changes. */
  g_list_store_remove (f.store, 3);
  g_assert_cmpuint (f.emissions, ==, 0);
  g_assert_cmpuint (cria_tail_model_get_offset (f.tail), ==, 89);
  check (&f);

  /* A change that reaches into the tail. */
  g_list_store_splice (f.store, 85, 6, NULL, 0);
  g_assert_cmpuint (f.emissions, ==, 1);
  g_assert_cmpuint (cria_tail_model_get_offset (f.tail), ==, 85);
  check (&f);

  /* Everything replaced, as when another conversation is loaded. */
  g_list_store_remove_all (f.store);
  fill (&f, 3);
  check (&f);
  finish (&f);
}

static void
test_random_changes (void)
{
  Fixture f = { 0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);

  start (&f, 300, 40);
  for (guint round = 0; round < 2000; round++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (f.store));
      guint op = g_rand_int_range (rand, 0, 4);

      if (op == 0)
        cria_tail_model_show_more (f.tail, g_rand_int_range (rand, 0, 30));
      else if (op == 1 && n > 0)
        cria_tail_model_show_from (f.tail, g_rand_int_range (rand, 0, n));
      else
        {
          guint position = g_rand_int_range (rand, 0, n + 1);
          guint removed = g_rand_int_range (rand, 0, MIN (n - position, 20) + 1);
          guint added = g_rand_int_range (rand, 0, 20);
          g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

          for (guint i = 0; i < added; i++)
            g_ptr_array_add (items, g_object_new (G_TYPE_OBJECT, NULL));
          g_list_store_splice (f.store, position, removed, items->pdata, added);
        }
      check (&f);
    }
  finish (&f);
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  g_test_add_func ("/tail-model/opens-with-the-end", test_opens_with_the_end);
  g_test_add_func ("/tail-model/appended-items-show", test_appended_items_show);
  g_test_add_func ("/tail-model/show-more", test_show_more);
  g_test_add_func ("/tail-model/changes-before-and-across", test_changes_before_and_across);
  g_test_add_func ("/tail-model/random-changes", test_random_changes);

  return g_test_run ();
}
