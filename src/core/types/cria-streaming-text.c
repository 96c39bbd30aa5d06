/* cria-streaming-text.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-streaming-text.h"

G_DEFINE_INTERFACE (CriaStreamingText, cria_streaming_text, G_TYPE_OBJECT)

enum {
  CONTENT_APPENDED,
  REASONING_APPENDED,
  CONTENT_RESET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cria_streaming_text_default_init (CriaStreamingTextInterface *iface)
{
  signals[CONTENT_APPENDED] =
    g_signal_new ("content-appended",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[REASONING_APPENDED] =
    g_signal_new ("reasoning-appended",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CONTENT_RESET] =
    g_signal_new ("content-reset",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

void
cria_streaming_text_emit_content_appended (CriaStreamingText *self,
                                           const char        *text)
{
  g_return_if_fail (CRIA_IS_STREAMING_TEXT (self));

  g_signal_emit (self, signals[CONTENT_APPENDED], 0, text);
}

void
cria_streaming_text_emit_reasoning_appended (CriaStreamingText *self,
                                             const char        *text)
{
  g_return_if_fail (CRIA_IS_STREAMING_TEXT (self));

  g_signal_emit (self, signals[REASONING_APPENDED], 0, text);
}

void
cria_streaming_text_emit_content_reset (CriaStreamingText *self)
{
  g_return_if_fail (CRIA_IS_STREAMING_TEXT (self));

  g_signal_emit (self, signals[CONTENT_RESET], 0);
}
