import type { Response } from 'express';
import { gatewayErrorTypes, isGatewayErrorType } from '../providers/gateway-error-types';
import type { ApiShape } from './api-shape';
import type { InferenceFailure } from './inferences/inference-failure';
import type { InferenceOutcome } from './inferences/run-inference';
import { gatewayHeaders } from './gateway-headers';

/** `ModelNotFound` → `model_not_found`: the gateway type as it appears in an error's `code`. */
export function toErrorCode(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The HTTP status the client gets for a failure of one of the gateway's error types. */
export function gatewayErrorStatus(type: string): number {
  return isGatewayErrorType(type) ? gatewayErrorTypes[type].httpStatus : 502;
}

/** The `x-gateway-*` and Retry-After headers that say where a failed inference ended. */
export function setFailureHeaders(response: Response, { details }: InferenceFailure): void {
  const route = details?.route;
  if (route) {
    response.setHeader(gatewayHeaders.provider, route.provider);
    response.setHeader(gatewayHeaders.model, route.model);
    response.setHeader(gatewayHeaders.account, route.account);
    response.setHeader(gatewayHeaders.region, route.region);
  }
  if (details) response.setHeader(gatewayHeaders.attempts, String(details.attempts));
  if (details?.retryAfterMs !== undefined)
    response.setHeader('retry-after', String(Math.max(1, Math.ceil(details.retryAfterMs / 1000))));
}

/** Sends an inference that did not succeed (failed, or still running past the wait) as a whole error response. */
export function sendUnsuccessfulOutcome(
  response: Response,
  shape: ApiShape,
  outcome: Exclude<InferenceOutcome, { kind: 'result' }>,
): void {
  if (outcome.kind === 'pending') {
    shape.sendError(response, 504, { message: outcome.message, code: 'inference_pending' });
    return;
  }
  const { failure } = outcome;
  setFailureHeaders(response, failure);
  // Route names (providers, accounts, regions) are for admin keys and the audit; a tenant's key
  // gets the error class, and the attempt count and inference id in the headers.
  if (response.req.keyOwner?.admin) {
    shape.sendError(response, gatewayErrorStatus(failure.type), {
      message: failure.message,
      code: toErrorCode(failure.type),
      attempts: failure.details?.decision.attempts ?? [],
    });
    return;
  }
  shape.sendError(response, gatewayErrorStatus(failure.type), {
    message: tenantMessage(failure),
    code: toErrorCode(failure.type),
  });
}

/** A failure's message without the routes it names, for a tenant's key. */
function tenantMessage({ type, message, details }: InferenceFailure): string {
  if (type !== 'AllRoutesExhausted' || !details) return message;
  const { decision } = details;
  const group = decision.context?.modelGroup;
  const why = decision.endDetail
    ? `${decision.end ?? 'no route left'}; ${decision.endDetail}`
    : (decision.end ?? 'no route left');
  return `All routes${group ? ` for ${group}` : ''} are unavailable (${why}) after ${details.attempts} provider call(s); the inference id in x-gateway-inference-id shows the attempts to an admin key.`;
}

/** Temporal did not confirm the start; it may still have landed, so the client gets the id to look up. */
export function sendStartFailure(response: Response, shape: ApiShape, error: unknown, inferenceId: string): void {
  response.setHeader(gatewayHeaders.inferenceId, inferenceId);
  const message = `The gateway cannot reach its Temporal server right now, so it could not confirm the request was accepted; retry shortly. If it reached Temporal after all, GET /v1/inferences/${inferenceId} will return it; check that before retrying. (${(error as Error)?.message ?? error})`;
  shape.sendError(response, 503, { message, code: 'temporal_unavailable' });
}
