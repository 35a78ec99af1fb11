import type { Response } from 'express';
import { gatewayErrorTypes, isGatewayErrorType } from '../providers/gateway-error-types';
import { openAIErrorType, sendOpenAIError } from './openai-error';

/** `ModelNotFound` → `model_not_found`: the gateway type as it appears in an error's `code`. */
export function toErrorCode(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Sends a failure whose cause is one of the gateway's error types. */
export function sendGatewayError(response: Response, type: string, message: string, extra: { attempts?: unknown[] } = {}): void {
  const status = isGatewayErrorType(type) ? gatewayErrorTypes[type].httpStatus : 502;
  sendOpenAIError(response, status, { message, type: openAIErrorType(status), code: toErrorCode(type), ...extra });
}

export function sendTemporalUnavailable(response: Response, error: unknown, inferenceId?: string): void {
  const lookup = inferenceId ? ` If it reached Temporal after all, GET /v1/inferences/${inferenceId} will return it; check that before retrying.` : '';
  sendOpenAIError(response, 503, {
    message: `The gateway cannot reach its Temporal server right now, so it could not confirm the request was accepted; retry shortly.${lookup} (${(error as Error)?.message ?? error})`,
    type: 'api_error',
    code: 'temporal_unavailable',
  });
}
