import type { Response } from 'express';
import type { CacheUse } from '../../cache/cache-policy';
import type { GuardrailPolicy } from '../../config/gateway-config-schema';
import type { ApiDependencies } from '../api-dependencies';
import { sendRefusal, type ApiShape } from '../api-shape';
import { sendStartFailure } from '../gateway-error-response';
import { idempotencyConflict, type Idempotency } from './idempotency';
import { settleAdmission, type Admission } from '../admission/inference-admission';
import {
  IdempotencyConflictError,
  startInference,
  type AnyInferenceInput,
  type InferenceHandleFor,
} from './run-inference';

/** What the route learned about the request before it asked for an inference. */
export interface AdmittedRequest {
  admission: Extract<Admission<unknown>, { admitted: true }>;
  idempotency?: Idempotency;
  /** How the request uses the exact response cache; absent when caching is off for it. */
  cache?: CacheUse;
  /** The guardrail policies the request met; its answer meets their output checks. Absent when none apply. */
  guardrails?: GuardrailPolicy[];
}

/**
 * Starts the inference (or joins the one its Idempotency-Key names); answers the client itself
 * when the start fails or conflicts, and returns the handle otherwise.
 */
export async function startFor<I extends AnyInferenceInput>(
  dependencies: ApiDependencies,
  response: Response,
  input: I,
  shape: ApiShape,
  { admission, idempotency }: AdmittedRequest,
  inferenceId: string,
): Promise<InferenceHandleFor<I> | undefined> {
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
export function cancelWhenClientLeaves(
  dependencies: ApiDependencies,
  response: Response,
  handle: Pick<InferenceHandleFor<AnyInferenceInput>, 'workflowId' | 'cancel'>,
  idempotency: Idempotency | undefined,
  ended: () => boolean,
): void {
  if (idempotency) return;
  response.once('close', () => {
    if (response.writableFinished) return;
    const warn = (error: Error) =>
      dependencies.logger?.warn(
        { inferenceId: handle.workflowId, error: error.message },
        'could not cancel an abandoned inference',
      );
    // Heard by every process on the channel; the one running the call aborts it (see cancel-signal).
    dependencies.streams?.publishCancel(handle.workflowId).catch(warn);
    setTimeout(
      () => {
        if (!ended()) handle.cancel().catch(warn);
      },
      dependencies.streams ? durableCancelAfterMs : 0,
    ).unref();
  });
}
