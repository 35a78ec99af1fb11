import Anthropic from '@anthropic-ai/sdk';
import type { GatewayErrorType } from '../gateway-error-types';
import type { ProviderErrorDetails } from '../provider-error';
import { parseRetryHint } from '../retry-hint';

const typesByErrorType: Record<string, GatewayErrorType> = {
  invalid_request_error: 'InvalidRequest',
  authentication_error: 'Authentication',
  permission_error: 'PermissionDenied',
  not_found_error: 'ModelNotFound',
  request_too_large: 'RequestTooLarge',
  rate_limit_error: 'RateLimited',
  billing_error: 'QuotaExhausted',
  api_error: 'ServerError',
  overloaded_error: 'Overloaded',
  timeout_error: 'Timeout',
};

const typesByStatus: Record<number, GatewayErrorType> = {
  400: 'InvalidRequest',
  401: 'Authentication',
  402: 'QuotaExhausted',
  403: 'PermissionDenied',
  404: 'ModelNotFound',
  408: 'Timeout',
  413: 'RequestTooLarge',
  429: 'RateLimited',
  503: 'Overloaded',
  504: 'Timeout',
  529: 'Overloaded',
};

/** The earliest `anthropic-ratelimit-*-reset` time (RFC 3339), as a delay in milliseconds. */
function rateLimitResetDelay(headers: Headers | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const delays: number[] = [];
  headers.forEach((value, name) => {
    if (name.startsWith('anthropic-ratelimit-') && name.endsWith('-reset')) {
      const at = Date.parse(value);
      if (!Number.isNaN(at)) delays.push(Math.max(0, at - now));
    }
  });
  return delays.length > 0 ? Math.min(...delays) : undefined;
}

/** Classifies anything @anthropic-ai/sdk throws into the gateway taxonomy. */
export function classifyAnthropicError(error: unknown, now = Date.now()): ProviderErrorDetails {
  if (error instanceof Anthropic.APIConnectionTimeoutError) {
    return { type: 'Timeout', message: 'The provider did not answer within the attempt timeout' };
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return { type: 'ServerError', message: `Could not connect to the provider: ${error.message}` };
  }
  if (error instanceof Anthropic.APIError && error.status !== undefined) {
    const errorType = error.type ?? undefined;
    const message = error.apiMessage ?? error.message;
    let type = (errorType && typesByErrorType[errorType]) || typesByStatus[error.status] || 'ServerError';
    if (type === 'InvalidRequest' && /prompt is too long|context window|too many (input )?tokens/i.test(message)) {
      type = 'ContextWindowExceeded';
    }
    // Anthropic reports an empty prepaid balance as a 400 invalid_request_error.
    if (type === 'InvalidRequest' && /credit balance/i.test(message)) type = 'QuotaExhausted';
    return {
      type,
      status: error.status,
      providerCode: errorType,
      retryAfterMs:
        parseRetryHint(error.headers) ?? (type === 'RateLimited' ? rateLimitResetDelay(error.headers, now) : undefined),
      message,
    };
  }
  if (error instanceof Anthropic.APIError && error.type) {
    // An `event: error` inside a stream that had already begun: no status, only the error's type.
    return {
      type: typesByErrorType[error.type] ?? 'ServerError',
      providerCode: error.type,
      message: error.apiMessage ?? error.message,
    };
  }
  return { type: 'ServerError', message: `Unexpected provider failure: ${(error as Error)?.message ?? String(error)}` };
}
