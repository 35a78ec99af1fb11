import OpenAI from 'openai';
import type { GatewayErrorType } from '../gateway-error-types';
import type { ProviderErrorDetails } from '../provider-error';
import { openAIRateLimitReset, parseRetryHint } from '../retry-hint';

function typeForStatus(status: number, code: string | undefined, message: string): GatewayErrorType {
  if (status === 429) return code === 'insufficient_quota' ? 'QuotaExhausted' : 'RateLimited';
  if (status === 400 || status === 422) {
    if (code === 'context_length_exceeded' || /maximum context length|context window/i.test(message)) {
      return 'ContextWindowExceeded';
    }
    if (code === 'content_filter' || code === 'content_policy_violation') return 'ContentFiltered';
    return 'InvalidRequest';
  }
  if (status === 401) return 'Authentication';
  if (status === 403) return 'PermissionDenied';
  if (status === 404) return 'ModelNotFound';
  if (status === 408 || status === 504) return 'Timeout';
  if (status === 413) return 'RequestTooLarge';
  if (status === 503 || status === 529) return 'Overloaded';
  return 'ServerError';
}

/** Classifies anything the openai SDK throws into the gateway taxonomy. */
export function classifyOpenAIError(error: unknown): ProviderErrorDetails {
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return { type: 'Timeout', message: 'The provider did not answer within the attempt timeout' };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { type: 'ServerError', message: `Could not connect to the provider: ${error.message}` };
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const code = typeof error.code === 'string' ? error.code : undefined;
    const message = error.message;
    const type = typeForStatus(
      error.status,
      code ?? (typeof error.type === 'string' ? error.type : undefined),
      message,
    );
    return {
      type,
      status: error.status,
      providerCode: code ?? error.type ?? undefined,
      retryAfterMs:
        parseRetryHint(error.headers) ?? (type === 'RateLimited' ? openAIRateLimitReset(error.headers) : undefined),
      message,
    };
  }
  return { type: 'ServerError', message: `Unexpected provider failure: ${(error as Error)?.message ?? String(error)}` };
}
