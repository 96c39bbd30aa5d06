/* bench-retrieval.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What answering from documents costs at scale: 100,000 chunk vectors of
 * 768 dimensions (nomic-embed-text) in the int8 index — its memory (RSS
 * delta) and the top-k scan (median and p90 over 50 questions, k = 10 and
 * the 4,096 candidates a search re-ranks) — and, from a history holding
 * those 100,000 vectors as float16, reading the 4,096 candidates' exact
 * vectors back for the re-ranking.
 *
 *   meson test -C build-bench --benchmark --verbose retrieval
 *   or: bench-retrieval [DIR] */

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "cria-store-chunks.h"
#include "cria-vector-index.h"

#define N_VECTORS 100000
#define DIMENSION 768
#define N_QUERIES 50
#define N_CANDIDATES 4096

static long
rss_kib (void)
{
  g_autofree char *statm = NULL;
  long pages = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%*d %ld", &pages);

  return pages * (sysconf (_SC_PAGESIZE) / 1024);
}

/* Vectors with some structure, like real embeddings: a few shared
 * directions plus noise. */
static void
make_vector (GRand *rand,
             float *topics,
             float *out)
{
  guint topic = (guint) g_rand_int_range (rand, 0, 16);

  for (guint d = 0; d < DIMENSION; d++)
    out[d] = topics[topic * DIMENSION + d] + (float) g_rand_double_range (rand, -0.5, 0.5);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return da < db ? -1 : da > db;
}

static void
report (const char *what,
        double     *ms,
        guint       n)
{
  qsort (ms, n, sizeof (double), compare_double);
  printf ("%-40s median %7.2f ms   p90 %7.2f ms\n", what, ms[n / 2], ms[n * 9 / 10]);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
bench_store (const char *dir,
             GRand      *rand,
             float      *topics,
             float      *queries)
{
  g_autofree char *path = g_build_filename (dir, "bench-retrieval.db", NULL);
  g_autoptr(CriaStore) store = NULL;
  g_autoptr(GPtrArray) chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_store_chunk_free);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaVectorIndex) index = cria_vector_index_new (DIMENSION, N_VECTORS);
  g_autofree float *values = g_new (float, 1000 * DIMENSION);
  g_autofree gint64 *ids = g_new (gint64, 1000);
  g_autofree CriaVectorHit *hits = g_new (CriaVectorHit, N_CANDIDATES);
  const char *hashes[] = { "bench", NULL };
  double ms[N_QUERIES];
  GAsyncResult *result = NULL;
  gint64 start;

  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      g_remove (file);
    }
  store = cria_store_new (path);

  for (guint i = 0; i < N_VECTORS; i++)
    {
      g_autofree char *text = g_strdup_printf ("Passage %u of the benchmark document, on subject %u.",
                                               i, i % 1000);

      g_ptr_array_add (chunks, cria_store_chunk_new (i, 1 + i / 10, text));
    }
  start = g_get_monotonic_time ();
  cria_store_add_chunks_async (store, "bench", chunks, "nomic-embed-text", NULL, result_cb, &result);
  stored = cria_store_add_chunks_finish (store, wait_result (&result), &error);
  g_clear_object (&result);
  if (stored == NULL)
    g_error ("%s", error->message);

  for (guint batch = 0; batch < N_VECTORS / 1000; batch++)
    {
      for (guint i = 0; i < 1000; i++)
        {
          CriaStoreChunk *chunk = g_ptr_array_index (stored, batch * 1000 + i);

          make_vector (rand, topics, values + i * DIMENSION);
          ids[i] = chunk->id;
          cria_vector_index_add (index, chunk->id, values + i * DIMENSION);
        }
      cria_store_add_vectors_async (store, "nomic-embed-text", DIMENSION, ids, 1000, values,
                                    NULL, result_cb, &result);
      if (!cria_store_add_vectors_finish (store, wait_result (&result), &error))
        g_error ("%s", error->message);
      g_clear_object (&result);
    }
  printf ("%-40s %7.2f s\n", "storing 100,000 chunks and vectors",
          (g_get_monotonic_time () - start) / 1e6);

  for (guint q = 0; q < N_QUERIES; q++)
    {
      g_autoptr(GPtrArray) candidates = NULL;
      guint n = cria_vector_index_search (index, queries + q * DIMENSION, N_CANDIDATES, hits);
      g_autofree gint64 *candidate_ids = g_new (gint64, n);

      for (guint i = 0; i < n; i++)
        candidate_ids[i] = hits[i].id;
      start = g_get_monotonic_time ();
      cria_store_match_chunks_async (store, hashes, "nomic-embed-text", candidate_ids, n,
                                     "", 50, NULL, result_cb, &result);
      if (!cria_store_match_chunks_finish (store, wait_result (&result), &candidates, NULL, &error))
        g_error ("%s", error->message);
      g_clear_object (&result);
      ms[q] = (g_get_monotonic_time () - start) / 1e3;
      g_assert (candidates->len == n);
    }
  report ("4,096 exact vectors (SQLite, float16)", ms, N_QUERIES);

  /* Keywords: a rare word (a hundred passages), then with a word every
   * passage holds, which FTS5 ranks (bm25) in full. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint q = 0; q < N_QUERIES; q++)
        {
          g_autoptr(GPtrArray) keyword_hits = NULL;
          g_autofree char *words = round == 0 ? g_strdup_printf ("%u", q * 7) : g_strdup_printf ("passage %u", q * 7);

          start = g_get_monotonic_time ();
          cria_store_match_chunks_async (store, hashes, "nomic-embed-text", NULL, 0,
                                         words, 50, NULL, result_cb, &result);
          if (!cria_store_match_chunks_finish (store, wait_result (&result), NULL, &keyword_hits, &error))
            g_error ("%s", error->message);
          g_clear_object (&result);
          ms[q] = (g_get_monotonic_time () - start) / 1e3;
        }
      report (round == 0 ? "keywords, top 50 of ~100 matches" : "keywords, top 50 of 100,000 matches",
              ms, N_QUERIES);
    }

  g_clear_object (&store);
  for (const char *suffix = ""; suffix != NULL;
       suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      g_remove (file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autofree float *topics = g_new (float, 16 * DIMENSION);
  g_autofree float *queries = g_new (float, N_QUERIES * DIMENSION);
  g_autofree float *vector = g_new (float, DIMENSION);
  g_autofree CriaVectorHit *hits = g_new (CriaVectorHit, N_CANDIDATES);
  g_autofree char *dir = NULL;
  CriaVectorIndex *index;
  double ms[N_QUERIES];
  long before;
  long after;
  gint64 start;

  dir = argc > 1 ? g_strdup (argv[1]) : g_dir_make_tmp ("bench-retrieval-XXXXXX", NULL);

  for (guint i = 0; i < 16 * DIMENSION; i++)
    topics[i] = (float) g_rand_double_range (rand, -1, 1);
  for (guint q = 0; q < N_QUERIES; q++)
    make_vector (rand, topics, queries + q * DIMENSION);

  before = rss_kib ();
  start = g_get_monotonic_time ();
  index = cria_vector_index_new (DIMENSION, N_VECTORS);
  for (guint i = 0; i < N_VECTORS; i++)
    {
      make_vector (rand, topics, vector);
      cria_vector_index_add (index, i + 1, vector);
    }
  after = rss_kib ();
  printf ("%-40s %7.2f s (with making the vectors)\n", "building the index of 100,000 × 768",
          (g_get_monotonic_time () - start) / 1e6);
  printf ("%-40s %7.1f MiB (%.1f MiB held)\n", "index memory, RSS delta",
          (after - before) / 1024.0, cria_vector_index_get_size (index) / (1024.0 * 1024.0));

  for (guint q = 0; q < N_QUERIES; q++)
    {
      start = g_get_monotonic_time ();
      cria_vector_index_search (index, queries + q * DIMENSION, 10, hits);
      ms[q] = (g_get_monotonic_time () - start) / 1e3;
    }
  report ("top-10 of 100,000", ms, N_QUERIES);

  for (guint q = 0; q < N_QUERIES; q++)
    {
      start = g_get_monotonic_time ();
      cria_vector_index_search (index, queries + q * DIMENSION, N_CANDIDATES, hits);
      ms[q] = (g_get_monotonic_time () - start) / 1e3;
    }
  report ("top-4,096 of 100,000", ms, N_QUERIES);
  cria_vector_index_unref (index);

  bench_store (dir, rand, topics, queries);

  if (argc <= 1)
    g_rmdir (dir);

  return 0;
}
