import type { GatewayErrorType } from '../gateway-error-types';
import type { ProviderErrorDetails } from '../provider-error';
import { parseRetryHint } from '../retry-hint';

/** Bedrock exception names (from the `x-amzn-errortype` header) → gateway types. */
const typesByExceptionName: Record<string, GatewayErrorType> = {
  ValidationException: 'InvalidRequest',
  AccessDeniedException: 'PermissionDenied',
  UnrecognizedClientException: 'Authentication',
  InvalidSignatureException: 'Authentication',
  ExpiredTokenException: 'Authentication',
  ResourceNotFoundException: 'ModelNotFound',
  ServiceQuotaExceededException: 'QuotaExhausted', // HTTP 400, yet a quota, not a bad request
  ThrottlingException: 'RateLimited',
  ModelNotReadyException: 'RateLimited',
  ServiceUnavailableException: 'Overloaded',
  InternalServerException: 'ServerError',
  ModelErrorException: 'ServerError',
  ModelTimeoutException: 'Timeout',
  ModelStreamErrorException: 'StreamInterrupted',
  TimeoutError: 'Timeout',
};

interface AwsError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string> };
}

/** Classifies anything @aws-sdk/client-bedrock-runtime throws into the gateway taxonomy. */
export function classifyBedrockError(error: unknown): ProviderErrorDetails {
  const awsError = (error ?? {}) as AwsError;
  const name = awsError.name ?? 'Error';
  const status = awsError.$metadata?.httpStatusCode;
  const message = awsError.message ?? String(error);
  let type = typesByExceptionName[name];
  if (!type) {
    // An unknown exception (an STS error from assumeRole, say) is not proof the request is bad,
    // so it must not end the inference: treat it as a failure of this route.
    if (status === 429) type = 'RateLimited';
    else if (status === 503) type = 'Overloaded';
    else type = 'ServerError';
  }
  if (status === 413) type = 'RequestTooLarge';
  if (type === 'InvalidRequest' && /too long|too many (input )?tokens|context (length|window)/i.test(message)) {
    type = 'ContextWindowExceeded';
  }
  // Bedrock answers a wrong model id, or a model that needs an inference profile, with a
  // ValidationException; it is about this route, not the request.
  if (type === 'InvalidRequest' && /model identifier|inference profile|on-demand throughput|model id/i.test(message)) {
    type = 'ModelNotFound';
  }
  return { type, status, providerCode: name, retryAfterMs: parseRetryHint(awsError.$response?.headers), message };
}
