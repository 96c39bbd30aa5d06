/* cria-api-error.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRIA_API_ERROR (cria_api_error_quark ())

/**
 * CriaApiError:
 * @CRIA_API_ERROR_FAILED: anything not covered below (an unexpected status, an unreadable reply)
 * @CRIA_API_ERROR_UNAUTHORIZED: 401/403 — the key is missing, wrong or revoked
 * @CRIA_API_ERROR_INSUFFICIENT_CREDITS: 402 — the account is out of credits
 * @CRIA_API_ERROR_MODEL_NOT_FOUND: 404 — the model (or endpoint) does not exist
 * @CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED: 413, or a 400 whose message says the input is too long
 * @CRIA_API_ERROR_RATE_LIMITED: 429; see cria_api_error_get_retry_after()
 * @CRIA_API_ERROR_SERVER_UNAVAILABLE: 500, 502, 503 or 504
 * @CRIA_API_ERROR_BAD_REQUEST: another 4xx the server rejected the request with
 * @CRIA_API_ERROR_NETWORK: the host could not be resolved or reached
 * @CRIA_API_ERROR_TLS: the TLS handshake or certificate check failed
 * @CRIA_API_ERROR_TIMEOUT: no connection, or no data between chunks, in time
 * @CRIA_API_ERROR_INTERRUPTED: the stream was cut off mid-answer; the partial answer is kept
 * @CRIA_API_ERROR_STREAM_ERROR: the server sent an error object in the middle of a stream
 * @CRIA_API_ERROR_INSECURE_URL: a plain http:// base URL that is not a loopback host
 * @CRIA_API_ERROR_INVALID_URL: a base URL that cannot be parsed
 * @CRIA_API_ERROR_INVALID_REQUEST: the request itself is unusable (no model, bad tools JSON)
 *
 * Codes a window can act on. Every error built from a server reply carries the
 * server's own message (cria_api_error_get_server_message()) when it sent one.
 */
typedef enum
{
  CRIA_API_ERROR_FAILED,
  CRIA_API_ERROR_UNAUTHORIZED,
  CRIA_API_ERROR_INSUFFICIENT_CREDITS,
  CRIA_API_ERROR_MODEL_NOT_FOUND,
  CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED,
  CRIA_API_ERROR_RATE_LIMITED,
  CRIA_API_ERROR_SERVER_UNAVAILABLE,
  CRIA_API_ERROR_BAD_REQUEST,
  CRIA_API_ERROR_NETWORK,
  CRIA_API_ERROR_TLS,
  CRIA_API_ERROR_TIMEOUT,
  CRIA_API_ERROR_INTERRUPTED,
  CRIA_API_ERROR_STREAM_ERROR,
  CRIA_API_ERROR_INSECURE_URL,
  CRIA_API_ERROR_INVALID_URL,
  CRIA_API_ERROR_INVALID_REQUEST,
} CriaApiError;

GQuark      cria_api_error_quark              (void);

GError     *cria_api_error_new                (CriaApiError  code,
                                               guint         http_status,
                                               const char   *server_message,
                                               int           retry_after_seconds,
                                               const char   *message);
guint       cria_api_error_get_http_status    (const GError *error);
const char *cria_api_error_get_server_message (const GError *error);
int         cria_api_error_get_retry_after    (const GError *error);

G_END_DECLS
