// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EXK_API_ERROR (exk_api_error_quark ())

/**
 * ExkApiError:
 * @EXK_API_ERROR_NETWORK: the server could not be reached; the message keeps the cause
 * @EXK_API_ERROR_TLS: the secure connection failed (certificate, protocol)
 * @EXK_API_ERROR_TIMEOUT: the server did not answer in time
 * @EXK_API_ERROR_UNAUTHORIZED: 401, the token or key is not (or no longer) valid
 * @EXK_API_ERROR_LOGIN_FAILED: 401 "Login failed." on login
 * @EXK_API_ERROR_LOGIN_THROTTLED: 401 "Login denied." on login (too many attempts)
 * @EXK_API_ERROR_FORBIDDEN: 403
 * @EXK_API_ERROR_NOT_FOUND: 404, missing or not accessible
 * @EXK_API_ERROR_VALIDATION: 400/422 (and other refusals of the request)
 * @EXK_API_ERROR_PLAN_LIMIT: 426 (and 402)
 * @EXK_API_ERROR_RATE_LIMITED: 429
 * @EXK_API_ERROR_SERVER: 5xx
 * @EXK_API_ERROR_INVALID_RESPONSE: the answer did not have the expected shape
 * @EXK_API_ERROR_INVALID_URL: the server address cannot be used
 * @EXK_API_ERROR_INSECURE_URL: plain http:// to a host that is not the local machine, or a
 *   server that answers only that way, without the user's choice to connect to it
 * @EXK_API_ERROR_REDIRECTED: the server answered with a redirect, which the API never does
 */
typedef enum
{
  EXK_API_ERROR_NETWORK,
  EXK_API_ERROR_TLS,
  EXK_API_ERROR_TIMEOUT,
  EXK_API_ERROR_UNAUTHORIZED,
  EXK_API_ERROR_LOGIN_FAILED,
  EXK_API_ERROR_LOGIN_THROTTLED,
  EXK_API_ERROR_FORBIDDEN,
  EXK_API_ERROR_NOT_FOUND,
  EXK_API_ERROR_VALIDATION,
  EXK_API_ERROR_PLAN_LIMIT,
  EXK_API_ERROR_RATE_LIMITED,
  EXK_API_ERROR_SERVER,
  EXK_API_ERROR_INVALID_RESPONSE,
  EXK_API_ERROR_INVALID_URL,
  EXK_API_ERROR_INSECURE_URL,
  EXK_API_ERROR_REDIRECTED,
} ExkApiError;

GQuark  exk_api_error_quark                  (void);

GError *exk_api_error_new_from_response      (guint         status,
                                              GBytes       *body,
                                              const char   *content_type);
GError *exk_api_error_new_from_transport     (const GError *error,
                                              gboolean      got_response);
GError *exk_api_error_new_from_transport_at  (const GError *error,
                                              gboolean      got_response,
                                              const char   *address);

G_END_DECLS
