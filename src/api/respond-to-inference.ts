import type { Request, Response } from 'express';
import type { ChatRequest } from '../providers/canonical-chat';
import { randomUUID } from 'node:crypto';
import { inferenceWorkflowIdPrefix, type InferenceInput } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';
import { sendRefusal, type ApiShape } from './api-shape';
import { sendStartFailure, sendUnsuccessfulOutcome } from './gateway-error-response';
import { idempotencyConflict, readIdempotency, type Idempotency } from './idempotency';
import { admitInference, settleAdmission, type Admission } from './inference-admission';
import { inferenceInput } from './inference-input';
import { requestNeeds } from './request-needs';
import { awaitInference, IdempotencyConflictError, startInference, type InferenceHandle } from './run-inference';
import { streamInference } from './stream-inference';
import { StreamSession } from './stream-session';
import { SseWriter } from './sse-writer';
import { cachedResult, lookUpAnswer, rememberAnswer } from './cached-answer';
import { cacheUse, type CacheUse } from '../cache/cache-policy';
import { setGatewayHeaders } from './to-openai-completion';
import { gatewayHeaders } from './gateway-headers';

/** What the route learned about the request before it asked for an inference. */
export interface AdmittedRequest {
  admission: Extract<Admission, { admitted: true }>;
  idempotency?: Idempotency;
  /** How the request uses the exact response cache; absent when caching is off for it. */
  cache?: CacheUse;
}

/**
 * Starts the inference (or joins the one its Idempotency-Key names); answers the client itself
 * when the start fails or conflicts, and returns the handle otherwise.
 */
export async function startFor(dependencies: ApiDependencies, response: Response, input: InferenceInput, shape: ApiShape, { admission, idempotency }: AdmittedRequest, inferenceId: string): Promise<InferenceHandle | undefined> {
  try {
    return await startInference(dependencies, input, inferenceId, idempotency?.fingerprint);
  } catch (error) {
    settleAdmission(dependencies, admission, 0);
    if (error instanceof IdempotencyConflictError) sendRefusal(response, shape, idempotencyConflict(error.message));
    else sendStartFailure(response, shape, error, inferenceId);
    return undefined;
  }
}

/**
 * How long after the cancel signal the API asks Temporal to cancel an inference that has not
 * ended: the signal reaches a running provider call at once, and a workflow that ended through it
 * needs no cancel request (one that arrived while its last workflow task was open would make
 * Temporal reject that task).
 */
const durableCancelAfterMs = 2_000;

/**
 * Cancels the inference when its client hangs up before the answer was sent, unless the request
 * is idempotent: such a request is meant to be retried and joins the same inference. The stream
 * channel's cancel signal aborts the provider call at once; Temporal's cancellation follows for
 * an inference still running (for example one waiting on a timer, or a worker the signal missed).
 */
export function cancelWhenClientLeaves(dependencies: ApiDependencies, response: Response, handle: InferenceHandle, idempotency: Idempotency | undefined, ended: () => boolean): void {
  if (idempotency) return;
  response.once('close', () => {
    if (response.writableFinished) return;
    const warn = (error: Error) => dependencies.logger?.warn({ inferenceId: handle.workflowId, error: error.message }, 'could not cancel an abandoned inference');
    // Heard by every process on the channel; the one running the call aborts it (see cancel-signal).
    dependencies.streams?.publishCancel(handle.workflowId).catch(warn);
    setTimeout(() => {
      if (!ended()) handle.cancel().catch(warn);
    }, dependencies.streams ? durableCancelAfterMs : 0).unref();
  });
}

/**
 * Runs one admitted request as a durable `inference` workflow and answers in the API's shape: the
 * whole answer when the inference ends, or a stream of it when the input asks for one.
 */
export async function respondToInference(dependencies: ApiDependencies, response: Response, input: InferenceInput, shape: ApiShape, receivedAt: number, admitted: AdmittedRequest): Promise<void> {
  const inferenceId = admitted.idempotency?.workflowId ?? `${inferenceWorkflowIdPrefix}${randomUUID()}`;
  const hit = await lookUpAnswer(dependencies, response, input, admitted.cache);
  if (hit) {
    // No provider call: the tokens the admission reserved in the windows are given back.
    settleAdmission(dependencies, admitted.admission, 0);
    const result = cachedResult(hit, input);
    if (input.stream) {
      new StreamSession(shape, hit.inferenceId, new SseWriter(response), () => undefined).onOutcome({ kind: 'result', result });
      return;
    }
    setGatewayHeaders(response, hit.inferenceId, result);
    response.json(shape.answer(result));
    return;
  }
  if (input.stream) {
    await streamInference(dependencies, response, input, shape, receivedAt, inferenceId, admitted);
    return;
  }
  const handle = await startFor(dependencies, response, input, shape, admitted, inferenceId);
  if (!handle) return;
  response.setHeader(gatewayHeaders.inferenceId, inferenceId);
  let ended = false;
  cancelWhenClientLeaves(dependencies, response, handle, admitted.idempotency, () => ended);
  const outcome = await awaitInference(dependencies, handle, input, receivedAt);
  ended = true;
  // A pending inference keeps its estimate in the windows: it may still be using tokens.
  if (outcome.kind !== 'pending') settleAdmission(dependencies, admitted.admission, outcome.kind === 'result' ? outcome.result.response.usage.totalTokens : 0);
  if (outcome.kind === 'result') {
    rememberAnswer(dependencies, admitted.cache, inferenceId, outcome.result);
    setGatewayHeaders(response, inferenceId, outcome.result);
    response.json(shape.answer(outcome.result));
    return;
  }
  sendUnsuccessfulOutcome(response, shape, outcome);
}

/**
 * What every inference request goes through once its body is parsed, whatever its API shape:
 * Idempotency-Key, then admission (scopes, windows, budget), then the workflow input. Answers the
 * client itself when the request is refused.
 */
export async function admitRequest(
  dependencies: ApiDependencies,
  request: Request,
  response: Response,
  shape: ApiShape,
  what: { modelGroup: string; request: ChatRequest; stream: boolean },
): Promise<{ input: InferenceInput; admitted: AdmittedRequest } | undefined> {
  const { idempotency, refusal } = readIdempotency(request);
  if (refusal) {
    sendRefusal(response, shape, refusal);
    return undefined;
  }
  const admission = await admitInference(request, what.modelGroup, { request: what.request, needs: requestNeeds(what.request) }, dependencies);
  if (!admission.admitted) {
    sendRefusal(response, shape, admission.refusal);
    return undefined;
  }
  const { needs, request: chat } = admission.chat;
  let cache: CacheUse | undefined;
  try {
    cache = cacheUse(dependencies.getConfig(), request.keyOwner, what.modelGroup, chat, request.headers);
  } catch (error) {
    settleAdmission(dependencies, admission, 0);
    sendRefusal(response, shape, { status: 400, code: 'invalid_request', message: (error as Error).message, param: gatewayHeaders.cacheTtl });
    return undefined;
  }
  const input = inferenceInput(request, admission, dependencies.getConfig(), { modelGroup: what.modelGroup, needs, request: chat, stream: what.stream });
  return { input, admitted: { admission, ...(idempotency && { idempotency }), ...(cache && { cache }) } };
}

/** A synchronous or streamed inference request, from parsed body to answer. */
export async function serveInference(
  dependencies: ApiDependencies,
  request: Request,
  response: Response,
  shape: ApiShape,
  what: { modelGroup: string; request: ChatRequest; stream: boolean },
  receivedAt: number,
): Promise<void> {
  const prepared = await admitRequest(dependencies, request, response, shape, what);
  if (prepared) await respondToInference(dependencies, response, prepared.input, shape, receivedAt, prepared.admitted);
}
