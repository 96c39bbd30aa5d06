/* test-retrieval.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Answering from long documents: the chunker, the int8 index, and
 * CriaRetrieval against the real client, the real store and the fake
 * LlamaGate's word-vector embeddings.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cria-api-error.h"
#include "cria-chunker.h"
#include "cria-export-json.h"
#include "cria-export-markdown.h"
#include "cria-message.h"
#include "cria-retrieval-private.h"
#include "cria-store-chunks.h"
#include "cria-store-private.h"
#include "cria-test-embed.h"
#include "cria-test-util.h"
#include "cria-vector-index.h"

/* Waiting for a callback, with a ceiling that only ends a hung test. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);

  return *slot;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static CriaDocument *
make_document (const char          *name,
               const char * const  *pages)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
  g_autofree char *joined = g_strjoinv ("\f", (GStrv) pages);

  return cria_document_new (name, "text/plain", hash, (gint64) strlen (joined), pages, 0);
}

static CriaDocument *
load_fixture_document (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "retrieval", name, NULL);
  g_autofree char *text = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_strchomp (text);
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, len);
  pages = cria_document_split_pages (text);

  return cria_document_new (name, "text/plain", hash, (gint64) len, (const char * const *) pages->pdata, 0);
}

/* The chunker. */

static void
test_chunker_pages (void)
{
  const char *pages[] = {
    "The first page talks about apples. Apples are red.",
    "   \n\n  ",
    "",
    "The fourth page talks about pears.\n\nPears are green.",
    NULL,
  };
  g_autoptr(CriaDocument) document = make_document ("fruit.txt", pages);
  g_autoptr(GPtrArray) chunks = cria_chunker_split (document);
  CriaStoreChunk *chunk;

  /* Empty pages give nothing; a chunk never spans pages. */
  g_assert_cmpuint (chunks->len, ==, 2);
  chunk = g_ptr_array_index (chunks, 0);
  g_assert_cmpuint (chunk->index, ==, 0);
  g_assert_cmpuint (chunk->page, ==, 1);
  g_assert_cmpstr (chunk->text, ==, pages[0]);
  chunk = g_ptr_array_index (chunks, 1);
  g_assert_cmpuint (chunk->index, ==, 1);
  g_assert_cmpuint (chunk->page, ==, 4);
  g_assert_cmpstr (chunk->text, ==, pages[3]);
  g_assert_cmpint (chunk->tokens, ==, cria_usage_estimate_tokens (pages[3]));
}

static char *
make_sentences (const char *topic,
                guint       n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%sThis is sentence %u about %s and what it means. ",
                            i > 0 && i % 6 == 0 ? "\n\n" : "", i, topic);

  return g_strchomp (g_string_free (text, FALSE));
}

static void
test_chunker_headings (void)
{
  g_autofree char *first = make_sentences ("rivers", 30);
  g_autofree char *second = make_sentences ("mountains", 8);
  g_autofree char *page = g_strdup_printf ("# Geography\n\n%s\n\n## Mountains\n\n%s", first, second);
  const char *pages[] = { page, NULL };
  g_autoptr(CriaDocument) document = make_document ("geo.md", pages);
  g_autoptr(GPtrArray) chunks = cria_chunker_split (document);
  gboolean found = FALSE;

  g_assert_cmpuint (chunks->len, >=, 2);
  /* The heading starts a chunk of its own section, with no overlap. */
  for (guint i = 0; i < chunks->len; i++)
    {
      CriaStoreChunk *chunk = g_ptr_array_index (chunks, i);

      if (g_str_has_prefix (chunk->text, "## Mountains"))
        {
          found = TRUE;
          g_assert_null (strstr (chunk->text, "rivers"));
        }
      else
        g_assert_null (strstr (chunk->text, "## Mountains"));
    }
  g_assert_true (found);
}

static void
test_chunker_overlap (void)
{
  g_autofree char *page = make_sentences ("the weather", 300);
  const char *pages[] = { page, NULL };
  g_autoptr(CriaDocument) document = make_document ("weather.txt", pages);
  g_autoptr(GPtrArray) chunks = cria_chunker_split (document);
  g_autoptr(GPtrArray) again = cria_chunker_split (document);

  g_assert_cmpuint (chunks->len, >=, 8);
  for (guint i = 0; i < chunks->len; i++)
    {
      CriaStoreChunk *chunk = g_ptr_array_index (chunks, i);

      g_assert_cmpint (chunk->tokens, <=, CRIA_CHUNK_MAX_TOKENS);
      if (i + 1 < chunks->len)
        {
          CriaStoreChunk *next = g_ptr_array_index (chunks, i + 1);
          const char *end = chunk->text + strlen (chunk->text);
          gsize shared = 0;

          /* A full chunk holds at least the target; the next begins with
           * its last sentences: about 15 %. */
          g_assert_cmpint (chunk->tokens, >=, CRIA_CHUNK_TARGET_TOKENS);
          for (gsize n = MIN (strlen (chunk->text), strlen (next->text)); n > 0; n--)
            if (strncmp (end - n, next->text, n) == 0)
              {
                shared = n;
                break;
              }
          g_assert_cmpuint (shared, >, strlen (chunk->text) * 5 / 100);
          g_assert_cmpuint (shared, <, strlen (chunk->text) * 25 / 100);
        }
    }

  /* Deterministic. */
  g_assert_cmpuint (again->len, ==, chunks->len);
  for (guint i = 0; i < chunks->len; i++)
    g_assert_cmpstr (((CriaStoreChunk *) g_ptr_array_index (again, i))->text, ==,
                     ((CriaStoreChunk *) g_ptr_array_index (chunks, i))->text);
}

static void
test_chunker_huge_paragraph (void)
{
  /* 2,000,000 characters with no break at all, and a run of words with no
   * sentence end: both are cut, in linear time, into bounded chunks that
   * lose nothing. */
  g_autofree char *solid = g_strnfill (2000000, 'x');
  g_autoptr(GString) words = g_string_new (NULL);
  const char *pages[3] = { solid, NULL, NULL };
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GPtrArray) chunks = NULL;
  gsize solid_chars = 0;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (words, "wörd%u ", i);
  pages[1] = words->str;
  document = make_document ("huge.txt", pages);
  chunks = cria_chunker_split (document);

  for (guint i = 0; i < chunks->len; i++)
    {
      CriaStoreChunk *chunk = g_ptr_array_index (chunks, i);

      g_assert_true (g_utf8_validate (chunk->text, -1, NULL));
      g_assert_cmpint (chunk->tokens, <=, CRIA_CHUNK_MAX_TOKENS);
      g_assert_cmpint (chunk->tokens, >, 0);
      if (chunk->page == 1)
        solid_chars += strlen (chunk->text);
      else
        /* Cut at spaces: every chunk holds whole words. */
        g_assert_true (g_str_has_prefix (chunk->text, "wörd"));
    }
  /* Overlap repeats some of it; nothing is lost. */
  g_assert_cmpuint (solid_chars, >=, 2000000);
}

/* The index. */

static void
random_vector (GRand *rand,
               float *out,
               guint  n)
{
  for (guint i = 0; i < n; i++)
    out[i] = (float) g_rand_double_range (rand, -1, 1);
}

static void
test_quantise_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  float vector[768];
  gint8 q[768];
  float restored[768];
  float scale;

  for (guint round = 0; round < 100; round++)
    {
      random_vector (rand, vector, 768);
      cria_vector_quantise (vector, 768, q, &scale);
      for (guint i = 0; i < 768; i++)
        restored[i] = q[i] * scale;
      g_assert_cmpfloat (cria_vector_cosine (vector, restored, 768), >, 0.999);
    }

  /* float16 as the history keeps vectors. */
  for (guint i = 0; i < 1000; i++)
    {
      float value = (float) g_rand_double_range (rand, -2, 2);
      float back = cria_store_half_to_float (cria_store_half_from_float (value));

      g_assert_cmpfloat (fabsf (back - value), <=, fabsf (value) / 1024 + 1e-7);
    }
  g_assert_cmpfloat (cria_store_half_to_float (cria_store_half_from_float (0)), ==, 0);
  g_assert_cmpfloat (cria_store_half_to_float (cria_store_half_from_float (1e-6f)), >, 0);

  /* A zero vector is no direction at all. */
  memset (vector, 0, sizeof vector);
  cria_vector_quantise (vector, 768, q, &scale);
  g_assert_cmpfloat (scale, ==, 0);
}

static void
test_index_search (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(CriaVectorIndex) index = cria_vector_index_new (64, 0);
  g_autofree float *vectors = g_new (float, 500 * 64);
  CriaVectorHit hits[10];
  guint n;

  for (guint i = 0; i < 500; i++)
    {
      random_vector (rand, vectors + i * 64, 64);
      cria_vector_index_add (index, 1000 + i, vectors + i * 64);
    }
  g_assert_cmpuint (cria_vector_index_get_n_vectors (index), ==, 500);

  for (guint i = 0; i < 500; i += 50)
    {
      n = cria_vector_index_search (index, vectors + i * 64, 10, hits);
      g_assert_cmpuint (n, ==, 10);
      g_assert_cmpint (hits[0].id, ==, 1000 + i);
      g_assert_cmpfloat (fabsf (hits[0].score - 1.0f), <, 0.02);
      for (guint h = 1; h < n; h++)
        {
          float exact = cria_vector_cosine (vectors + (hits[h].id - 1000) * 64, vectors + i * 64, 64);

          g_assert_cmpfloat (hits[h].score, <=, hits[h - 1].score);
          g_assert_cmpfloat (fabsf (hits[h].score - exact), <, 0.03);
        }
    }

  {
    g_autofree CriaVectorHit *all = g_new0 (CriaVectorHit, 1000);

    g_autofree CriaVectorHit *best = g_new0 (CriaVectorHit, 100);

    n = cria_vector_index_search (index, vectors, 1000, all);
    g_assert_cmpuint (n, ==, 500);

    /* Many wanted from more: a selection instead of a heap, the same list. */
    for (guint i = 0; i < 500; i += 25)
      {
        n = cria_vector_index_search (index, vectors + i * 64, 500, all);
        g_assert_cmpuint (n, ==, 500);
        n = cria_vector_index_search (index, vectors + i * 64, 100, best);
        g_assert_cmpuint (n, ==, 100);
        for (guint h = 0; h < 100; h++)
          {
            g_assert_cmpint (best[h].id, ==, all[h].id);
            g_assert_cmpfloat (best[h].score, ==, all[h].score);
          }
      }
  }
}

/* CriaRetrieval end to end. */

typedef struct
{
  CriaTestFixture      base;
  CriaTestEmbedCounts  counts;
  char                *dir;
  char                *path;
  CriaStore           *store;
  CriaRetrieval       *retrieval;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cria_test_fixture_set_up (&f->base, data);
  cria_test_embed_serve (f->base.server, &f->counts);
  f->dir = g_dir_make_tmp ("cria-retrieval-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "cria.db", NULL);
  f->store = cria_store_new (f->path);
  f->retrieval = cria_retrieval_new (f->base.client, f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->retrieval);
  g_assert_finalize_object (f->store);
  cria_test_fixture_tear_down (&f->base, data);
  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal (suffix, "") ? "-wal" : g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (f->path, suffix, NULL);

      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static CriaUsage *
index_document (Fixture       *f,
                CriaDocument  *document,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_retrieval_index_async (f->retrieval, document, NULL, NULL, NULL, NULL, store_result_cb, &result);

  return cria_retrieval_index_finish (f->retrieval, wait_result (&result), error);
}

static guint
plan_missing (Fixture      *f,
              CriaDocument *document,
              guint        *n_chunks)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_missing = 0;
  gint64 tokens = -1;

  cria_retrieval_plan_async (f->retrieval, document, NULL, store_result_cb, &result);
  g_assert_true (cria_retrieval_plan_finish (f->retrieval, wait_result (&result), n_chunks, &n_missing,
                                             &tokens, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tokens, >=, n_missing);

  return n_missing;
}

static GPtrArray *
search (Fixture    *f,
        GPtrArray  *documents,
        const char *question,
        gint64      budget,
        GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CriaUsage) usage = NULL;
  GPtrArray *sources;

  cria_retrieval_search_async (f->retrieval, documents, question, budget, NULL, store_result_cb, &result);
  sources = cria_retrieval_search_finish (f->retrieval, wait_result (&result), &usage, error);
  if (sources != NULL)
    g_assert_cmpint (usage->prompt_tokens, >, 0);

  return sources;
}

static void
test_recall (Fixture       *f,
             gconstpointer  data)
{
  static const char * const names[] = { "bread.txt", "bees.txt", "volcanoes.txt" };
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "retrieval", "questions.txt", NULL);
  g_autofree char *questions = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_questions = 0;
  guint n_found = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CriaDocument) document = load_fixture_document (names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaUsage) usage = index_document (f, document, &error);

      g_assert_no_error (error);
      g_assert_cmpint (usage->prompt_tokens, >, 0);
      g_ptr_array_add (documents, g_steal_pointer (&document));
    }

  g_assert_true (g_file_get_contents (path, &questions, NULL, NULL));
  lines = g_strsplit (questions, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "|", 3);
      g_autoptr(GPtrArray) sources = NULL;
      g_autoptr(GError) error = NULL;
      gboolean found = FALSE;

      if (g_strv_length (fields) != 3)
        continue;
      n_questions++;
      sources = search (f, documents, fields[2], 100000, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sources->len, >, 0);
      for (guint s = 0; s < MIN (sources->len, 5); s++)
        {
          CriaSource *source = g_ptr_array_index (sources, s);

          if (g_str_equal (cria_source_get_document_name (source), fields[0]) &&
              cria_source_get_page (source) == (guint) g_ascii_strtoull (fields[1], NULL, 10))
            found = TRUE;
        }
      if (found)
        n_found++;
      else
        g_test_message ("missed: %s", fields[2]);
    }

  g_assert_cmpuint (n_questions, ==, 20);
  g_test_message ("recall@5: %u/%u", n_found, n_questions);
  g_assert_cmpuint (n_found * 10, >=, n_questions * 9);
}

static void
test_budget (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CriaDocument) document = load_fixture_document ("bees.txt");
  g_autoptr(GPtrArray) documents = g_ptr_array_new ();
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaUsage) usage = NULL;
  gint64 total = 0;

  /* Not indexed yet: a clear error. */
  g_ptr_array_add (documents, document);
  sources = search (f, documents, "waggle dance", 1000, &error);
  g_assert_error (error, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_NOT_INDEXED);
  g_assert_null (sources);
  g_clear_error (&error);

  usage = index_document (f, document, &error);
  g_assert_no_error (error);

  /* As many as fit, best first, with the document's name and page. */
  sources = search (f, documents, "How does the waggle dance encode distance?", 450, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, >=, 1);
  g_assert_cmpstr (cria_source_get_document_name (g_ptr_array_index (sources, 0)), ==, "bees.txt");
  g_assert_cmpuint (cria_source_get_page (g_ptr_array_index (sources, 0)), ==, 2);
  g_assert_cmpstr (cria_source_get_document_hash (g_ptr_array_index (sources, 0)), ==, document->hash);
  for (guint i = 0; i < sources->len; i++)
    total += cria_usage_estimate_tokens (cria_source_get_text (g_ptr_array_index (sources, i)));
  g_assert_cmpint (total, <=, 450);
  g_clear_pointer (&sources, g_ptr_array_unref);

  /* A budget below the best passage still gives it, cut to the budget. */
  sources = search (f, documents, "waggle dance", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sources->len, ==, 1);
  g_assert_cmpint (cria_usage_estimate_tokens (cria_source_get_text (g_ptr_array_index (sources, 0))), <=, 20);
}

typedef struct
{
  GCancellable *cancellable;
  guint         n_calls;
  guint         last_done;
  guint         total;
} Progress;

static void
progress_cb (guint    n_done,
             guint    n_total,
             gpointer user_data)
{
  Progress *progress = user_data;

  progress->n_calls++;
  progress->last_done = n_done;
  progress->total = n_total;
  /* Cancels as soon as the first batch is stored. */
  if (progress->cancellable != NULL && n_done > 0)
    g_cancellable_cancel (progress->cancellable);
}

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CriaDocument) document = load_fixture_document ("bread.txt");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaUsage) usage = NULL;
  Progress progress = { cancellable, 0, 0, 0 };
  guint n_chunks = 0;

  _cria_retrieval_set_batch_size (f->retrieval, 2);
  g_assert_cmpuint (plan_missing (f, document, &n_chunks), ==, n_chunks);
  g_assert_cmpuint (n_chunks, >=, 5);

  cria_retrieval_index_async (f->retrieval, document, progress_cb, &progress, NULL, cancellable,
                              store_result_cb, &result);
  usage = cria_retrieval_index_finish (f->retrieval, wait_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (usage);
  g_clear_error (&error);
  g_clear_object (&result);

  /* One batch was paid for and kept. */
  g_assert_cmpuint (f->counts.n_inputs, ==, 2);
  g_assert_cmpuint (progress.last_done, ==, 2);
  g_assert_cmpuint (progress.total, ==, n_chunks);
  g_assert_cmpuint (plan_missing (f, document, NULL), ==, n_chunks - 2);

  /* Again: only the rest goes to the server. */
  progress = (Progress) { NULL, 0, 0, 0 };
  cria_retrieval_index_async (f->retrieval, document, progress_cb, &progress, NULL, NULL,
                              store_result_cb, &result);
  usage = cria_retrieval_index_finish (f->retrieval, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->counts.n_inputs, ==, n_chunks);
  g_assert_cmpint (usage->prompt_tokens, >, 0);
  g_assert_cmpint (usage->prompt_tokens, <, f->counts.n_tokens);
  g_assert_cmpuint (progress.last_done, ==, n_chunks);
  g_assert_cmpuint (plan_missing (f, document, NULL), ==, 0);
  g_clear_pointer (&usage, cria_usage_free);

  /* And once more: nothing to pay for. */
  usage = index_document (f, document, &error);
  g_assert_no_error (error);
  g_assert_cmpint (usage->prompt_tokens, ==, 0);
  g_assert_cmpuint (f->counts.n_inputs, ==, n_chunks);
}

/* A body of @n vectors, the @odd-th of them @odd_dimension long. */
static char *
vectors_body (guint n,
              guint odd,
              guint odd_dimension,
              gboolean base64)
{
  GString *body = g_string_new ("{\"object\":\"list\",\"model\":\"nomic-embed-text\",\"data\":[");

  for (guint i = 0; i < n; i++)
    {
      guint dimension = i == odd ? odd_dimension : 768;
      g_autofree float *vector = g_new0 (float, MAX (dimension, 1));

      if (dimension > 0)
        cria_test_embed_text ("nomic-embed-text", "anything", dimension, vector);
      g_string_append_printf (body, "%s{\"object\":\"embedding\",\"index\":%u,\"embedding\":", i > 0 ? "," : "", i);
      if (base64)
        {
          g_autofree char *encoded = g_base64_encode ((const guchar *) vector, dimension * 4);

          g_string_append_printf (body, "\"%s\"", encoded);
        }
      else
        {
          g_string_append_c (body, '[');
          for (guint d = 0; d < dimension; d++)
            g_string_append_printf (body, "%s%g", d > 0 ? "," : "", vector[d]);
          g_string_append_c (body, ']');
        }
      g_string_append_c (body, '}');
    }
  g_string_append (body, "],\"usage\":{\"prompt_tokens\":10,\"total_tokens\":10}}");

  return g_string_free (body, FALSE);
}

static void
test_embedding_errors (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CriaDocument) document = load_fixture_document ("volcanoes.txt");
  CriaFakeResponse *response;
  g_autofree char *odd = vectors_body (2, 1, 767, FALSE);
  g_autofree char *base64 = vectors_body (2, G_MAXUINT, 0, TRUE);
  g_autofree char *empty_vector = vectors_body (2, 0, 0, FALSE);
  guint n_chunks = 0;
  struct {
    guint       status;
    const char *body;
    GQuark      domain;
  } cases[] = {
    { 500, "{\"error\":{\"message\":\"The model crashed\",\"type\":\"server_error\"}}", CRIA_API_ERROR },
    { 200, odd, CRIA_RETRIEVAL_ERROR },
    { 200, "{\"object\":\"list\",\"data\":[],\"model\":\"nomic-embed-text\"}", CRIA_API_ERROR },
    { 200, empty_vector, CRIA_API_ERROR },
  };

  _cria_retrieval_set_batch_size (f->retrieval, 2);
  plan_missing (f, document, &n_chunks);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaUsage) usage = NULL;

      response = cria_fake_server_expect (f->base.server, "/v1/embeddings");
      cria_fake_response_set_status (response, cases[i].status);
      cria_fake_response_set_body (response, "application/json", cases[i].body, -1);

      usage = index_document (f, document, &error);
      g_assert_null (usage);
      g_assert_nonnull (error);
      g_assert_cmpuint (error->domain, ==, cases[i].domain);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_test_message ("case %u: %s", i, error->message);
      /* Nothing of that batch was stored. */
      g_assert_cmpuint (plan_missing (f, document, NULL), ==, n_chunks);
    }

  /* Base64 vectors are read like numbers: the first batch is stored. */
  response = cria_fake_server_expect (f->base.server, "/v1/embeddings");
  cria_fake_response_set_body (response, "application/json", base64, -1);
  response = cria_fake_server_expect (f->base.server, "/v1/embeddings");
  cria_fake_response_set_body (response, "application/json", odd, -1);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CriaUsage) usage = index_document (f, document, &error);

    g_assert_error (error, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_BAD_VECTORS);
    g_assert_cmpuint (plan_missing (f, document, NULL), ==, n_chunks - 2);
  }

  /* Once the server behaves, the rest is indexed. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CriaUsage) usage = index_document (f, document, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (plan_missing (f, document, NULL), ==, 0);
  }
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static void
save_conversation_with (Fixture      *f,
                        const char   *id,
                        CriaDocument *document)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (id);
  g_autoptr(CriaMessageRecord) message = cria_message_record_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  record->title = g_strdup ("Bees");
  record->model = g_strdup ("llama-3.1-8b");
  message->id = g_uuid_string_random ();
  g_free (message->content);
  message->content = g_strdup ("What about bees?");
  g_ptr_array_add (message->documents, cria_document_ref (document));
  cria_store_save_conversation (f->store, record);
  cria_store_save_message (f->store, id, 0, message);
  cria_store_flush_async (f->store, NULL, store_result_cb, &result);
  g_assert_true (cria_store_flush_finish (f->store, wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
delete_conversation (Fixture    *f,
                     const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(CriaConversationRecord) record = NULL;

  cria_store_delete_conversation_async (f->store, id, NULL, store_result_cb, &result);
  record = cria_store_delete_conversation_finish (f->store, wait_result (&result), &messages, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CriaDocument) bees = load_fixture_document ("bees.txt");
  g_autoptr(CriaDocument) bread = load_fixture_document ("bread.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaUsage) usage = NULL;
  g_autoptr(CriaUsage) usage2 = NULL;
  g_autofree char *bees_chunks = g_strdup_printf ("SELECT count(*) FROM chunks WHERE hash = '%s'", bees->hash);
  g_autofree char *bees_vectors =
    g_strdup_printf ("SELECT count(*) FROM chunk_vectors v JOIN chunks c ON c.id = v.chunk_id WHERE c.hash = '%s'",
                     bees->hash);
  g_autofree char *bees_fts =
    g_strdup_printf ("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'waggle'");
  gint64 n_bread;

  save_conversation_with (f, "first", bees);
  save_conversation_with (f, "second", bees);
  usage = index_document (f, bees, &error);
  g_assert_no_error (error);
  /* Being indexed before its message is saved: kept through deletions. */
  usage2 = index_document (f, bread, &error);
  g_assert_no_error (error);
  n_bread = count_rows (f->path, "SELECT count(*) FROM chunk_vectors");
  g_assert_cmpint (count_rows (f->path, bees_chunks), >, 0);
  g_assert_cmpint (count_rows (f->path, bees_vectors), ==, count_rows (f->path, bees_chunks));
  g_assert_cmpint (count_rows (f->path, bees_fts), >, 0);

  /* Another conversation still carries the document. */
  delete_conversation (f, "first");
  g_assert_cmpint (count_rows (f->path, bees_chunks), >, 0);
  g_assert_cmpint (count_rows (f->path, bees_vectors), >, 0);

  /* The last one that did takes its chunks, vectors and keywords along. */
  delete_conversation (f, "second");
  g_assert_cmpint (count_rows (f->path, bees_chunks), ==, 0);
  g_assert_cmpint (count_rows (f->path, bees_vectors), ==, 0);
  g_assert_cmpint (count_rows (f->path, bees_fts), ==, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM chunk_vectors"), >, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM chunk_vectors"), <, n_bread);
}


static GPtrArray *
make_sources (void)
{
  GPtrArray *sources = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_source_unref);

  g_ptr_array_add (sources, cria_source_new ("bees.txt", "abc123", 2,
                                             "The waggle run encodes distance: a second a kilometre."));
  g_ptr_array_add (sources, cria_source_new ("Report [draft].pdf", "def456", 7, "Zweite Quelle, „zitiert“."));

  return sources;
}

static void
assert_same_sources (GPtrArray *a,
                     GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_true (cria_source_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)));
}

static CriaConversationRecord *
load_conversation (Fixture     *f,
                   const char  *id,
                   GPtrArray  **messages)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CriaConversationRecord *record;

  cria_store_load_conversation_async (f->store, id, NULL, store_result_cb, &result);
  record = cria_store_load_conversation_finish (f->store, wait_result (&result), messages, &error);
  g_assert_no_error (error);

  return record;
}

/* An answer's sources go through its message, the history, and a JSON
 * export and import unchanged; the Markdown export lists them. */
static void
test_sources_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) sources = make_sources ();
  g_autoptr(CriaMessage) message = cria_message_new (CRIA_ROLE_ASSISTANT, "Bees dance.");
  g_autoptr(CriaMessageRecord) answer = NULL;
  g_autoptr(CriaMessageRecord) question = cria_message_record_new ();
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new ("with-sources");
  g_autoptr(CriaConversationRecord) loaded = NULL;
  g_autoptr(CriaConversationRecord) imported = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) imported_messages = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMessage) back = NULL;
  g_autofree char *json = NULL;
  g_autofree char *markdown = NULL;
  CriaMessageRecord *loaded_answer;

  cria_message_set_sources (message, sources);
  answer = cria_message_record_new_from_message (message);
  assert_same_sources (answer->sources, sources);
  back = cria_message_record_to_message (answer);
  assert_same_sources (cria_message_get_sources (back), sources);

  record->title = g_strdup ("Sources");
  record->model = g_strdup ("llama-3.1-8b");
  question->id = g_uuid_string_random ();
  g_free (question->content);
  question->content = g_strdup ("How do bees tell distance?");
  cria_store_save_conversation (f->store, record);
  cria_store_save_message (f->store, record->id, 0, question);
  cria_store_save_message (f->store, record->id, 1, answer);
  cria_store_flush_async (f->store, NULL, store_result_cb, &result);
  g_assert_true (cria_store_flush_finish (f->store, wait_result (&result), &error));

  loaded = load_conversation (f, record->id, &messages);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpuint (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->sources->len, ==, 0);
  loaded_answer = g_ptr_array_index (messages, 1);
  assert_same_sources (loaded_answer->sources, sources);
  g_assert_true (cria_message_record_equal (loaded_answer, answer));

  json = cria_export_json (loaded, messages, NULL);
  imported = cria_import_json (json, -1, &imported_messages, &error);
  g_assert_no_error (error);
  assert_same_sources (((CriaMessageRecord *) g_ptr_array_index (imported_messages, 1))->sources, sources);

  markdown = cria_export_markdown (loaded, messages);
  g_assert_nonnull (strstr (markdown, "**Sources:**\n\n- bees.txt, page 2\n- Report \\[draft\\].pdf, page 7\n"));
}

static void
test_sources_import_bad (void)
{
  static const char * const bad[] = {
    "\"sources\": [{\"document\": \"a\", \"page\": 1, \"text\": \"t\"}]",
    "\"sources\": 3",
    "\"sources\": [3]",
    "\"sources\": [{\"document\": \"a\", \"page\": -1, \"text\": \"t\"}]",
    "\"sources\": [{\"page\": 1, \"text\": \"t\"}]",
    "\"sources\": [{\"document\": \"a\", \"page\": \"one\", \"text\": \"t\"}]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"format\": \"cria-conversation\", \"version\": 1, \"title\": \"x\", \"messages\": ["
        "{\"role\": \"user\", \"content\": \"q\"},"
        "{\"role\": \"assistant\", \"content\": \"a\", %s}]}", bad[i]);
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaConversationRecord) record = cria_import_json (json, -1, &messages, &error);

      /* The first is fine: the file around them is. */
      if (i == 0)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (((CriaMessageRecord *) g_ptr_array_index (messages, 1))->sources->len, ==, 1);
          continue;
        }
      g_assert_null (record);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

/* A history of schema 10 (documents, no chunks), made by the migrations
 * that made it, opens at the new schema with everything it had, and takes
 * chunks and sources from then on. */
static void
test_migrate_v10 (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CriaDocument) bees = load_fixture_document ("bees.txt");
  g_autofree char *joined = cria_document_join_pages (bees);
  g_autofree char *rows = g_strdup_printf (
    "INSERT INTO conversations (id, title, model, created, updated)"
    " VALUES ('c1', 'Before chunks', 'llama-3.1-8b', 10, 20);"
    "INSERT INTO messages (uuid, conversation_id, position, role, content, state, created)"
    " VALUES ('m1', 'c1', 0, 'user', 'Read this', 'complete', 11);"
    "INSERT INTO messages (uuid, conversation_id, position, role, content, state, model, created)"
    " VALUES ('m2', 'c1', 1, 'assistant', 'Done', 'complete', 'llama-3.1-8b', 12);"
    "INSERT INTO documents (hash, mime, size, scanned, text) VALUES ('%s', 'text/plain', %" G_GINT64_FORMAT ", 0, ?);"
    "INSERT INTO message_documents (message_id, idx, hash, name)"
    " SELECT id, 0, '%s', 'bees.txt' FROM messages WHERE uuid = 'm1';",
    bees->hash, bees->size, bees->hash);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) sources = make_sources ();
  g_autoptr(CriaUsage) usage = NULL;
  g_autoptr(GError) error = NULL;
  CriaMessageRecord *message;
  const char *tail;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_cmpint (CRIA_STORE_SCHEMA_VERSION, >=, 11);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  for (guint version = 0; version < 10; version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", version + 1);

      g_assert_cmpint (sqlite3_exec (db, _cria_store_schema_get_migration (version), NULL, NULL, NULL), ==,
                       SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, set_version, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  /* The statements one by one: the document's text is bound. */
  for (const char *sql = rows; *sql != '\0'; sql = tail)
    {
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, &tail), ==, SQLITE_OK);
      if (stmt == NULL)
        break;
      if (sqlite3_bind_parameter_count (stmt) > 0)
        sqlite3_bind_text (stmt, 1, joined, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  g_assert_cmpint (count_rows (f->path, "PRAGMA user_version"), ==, 10);

  record = load_conversation (f, "c1", &messages);
  g_assert_cmpint (count_rows (f->path, "PRAGMA user_version"), ==, CRIA_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (record->title, ==, "Before chunks");
  g_assert_cmpuint (messages->len, ==, 2);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (message->content, ==, "Read this");
  g_assert_cmpuint (message->documents->len, ==, 1);
  g_assert_cmpstr (((CriaDocument *) g_ptr_array_index (message->documents, 0))->hash, ==, bees->hash);

  /* The document it carried can be indexed, and answers keep sources. */
  usage = index_document (f, bees, &error);
  g_assert_no_error (error);
  message = g_ptr_array_index (messages, 1);
  g_ptr_array_extend (message->sources, sources, (GCopyFunc) (void (*) (void)) cria_source_ref, NULL);
  cria_store_save_message (f->store, "c1", 1, message);
  g_clear_pointer (&messages, g_ptr_array_unref);
  g_clear_pointer (&record, cria_conversation_record_free);
  record = load_conversation (f, "c1", &messages);
  assert_same_sources (((CriaMessageRecord *) g_ptr_array_index (messages, 1))->sources, sources);
}

/* Storing a batch's vectors is all or nothing: a chunk that is gone fails
 * the batch, and the vectors before it are not kept either. */
static void
test_vectors_all_or_nothing (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_store_chunk_free);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *values = g_new0 (float, 2 * 8);
  const char *hashes[] = { "h", NULL };
  gint64 ids[2];

  g_ptr_array_add (chunks, cria_store_chunk_new (0, 1, "One passage."));
  cria_store_add_chunks_async (f->store, "h", chunks, "m", NULL, store_result_cb, &result);
  stored = cria_store_add_chunks_finish (f->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  g_clear_object (&result);

  ids[0] = ((CriaStoreChunk *) g_ptr_array_index (stored, 0))->id;
  ids[1] = ids[0] + 1000;
  for (guint i = 0; i < 16; i++)
    values[i] = 0.25f * (float) (i % 8);
  cria_store_add_vectors_async (f->store, "m", 8, ids, 2, values, NULL, store_result_cb, &result);
  g_assert_false (cria_store_add_vectors_finish (f->store, wait_result (&result), &error));
  g_assert_error (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  cria_store_load_vectors_async (f->store, hashes, "m", NULL, store_result_cb, &result);
  loaded = cria_store_load_vectors_finish (f->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((CriaStoreVectors *) g_ptr_array_index (loaded, 0))->n_vectors, ==, 0);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_clear_object (&result);

  /* The good one alone is stored, as float16. */
  cria_store_add_vectors_async (f->store, "m", 8, ids, 1, values, NULL, store_result_cb, &result);
  g_assert_true (cria_store_add_vectors_finish (f->store, wait_result (&result), &error));
  g_clear_object (&result);
  cria_store_load_vectors_async (f->store, hashes, "m", NULL, store_result_cb, &result);
  loaded = cria_store_load_vectors_finish (f->store, wait_result (&result), &error);
  g_assert_no_error (error);
  {
    CriaStoreVectors *vectors = g_ptr_array_index (loaded, 0);

    g_assert_cmpuint (vectors->n_vectors, ==, 1);
    g_assert_cmpuint (vectors->dimension, ==, 8);
    g_assert_cmpint (vectors->ids[0], ==, ids[0]);
    for (guint i = 0; i < 8; i++)
      g_assert_cmpfloat (vectors->values[i], ==, values[i]);
  }
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  g_test_add_func ("/retrieval/chunker/pages", test_chunker_pages);
  g_test_add_func ("/retrieval/chunker/headings", test_chunker_headings);
  g_test_add_func ("/retrieval/chunker/overlap", test_chunker_overlap);
  g_test_add_func ("/retrieval/chunker/huge-paragraph", test_chunker_huge_paragraph);
  g_test_add_func ("/retrieval/index/quantise", test_quantise_round_trip);
  g_test_add_func ("/retrieval/index/search", test_index_search);
  g_test_add ("/retrieval/recall", Fixture, NULL, fixture_set_up, test_recall, fixture_tear_down);
  g_test_add ("/retrieval/budget", Fixture, NULL, fixture_set_up, test_budget, fixture_tear_down);
  g_test_add ("/retrieval/resume", Fixture, NULL, fixture_set_up, test_resume, fixture_tear_down);
  g_test_add ("/retrieval/embedding-errors", Fixture, NULL, fixture_set_up, test_embedding_errors, fixture_tear_down);
  g_test_add ("/retrieval/delete", Fixture, NULL, fixture_set_up, test_delete, fixture_tear_down);
  g_test_add ("/retrieval/store/sources", Fixture, NULL, fixture_set_up, test_sources_round_trip, fixture_tear_down);
  g_test_add_func ("/retrieval/store/sources-import-bad", test_sources_import_bad);
  g_test_add ("/retrieval/store/vectors-all-or-nothing", Fixture, NULL, fixture_set_up,
              test_vectors_all_or_nothing, fixture_tear_down);
  g_test_add ("/retrieval/store/migrate-v10", Fixture, NULL, fixture_set_up, test_migrate_v10, fixture_tear_down);

  return g_test_run ();
}
