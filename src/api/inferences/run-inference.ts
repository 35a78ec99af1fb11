import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { trafficClassPolicy } from '../../config/traffic-class-policy';
import { logger as defaultLogger } from '../../observability/logger';
import { fallbacksTotal, inferenceDuration, inferencesTotal } from '../../observability/metrics';
import { activeTraceId } from '../../observability/span-attributes';
import {
  inferenceWorkflowIdPrefix,
  inferenceWorkflowType,
  type EmbeddingInferenceInput,
  type EmbeddingInferenceResult,
  type InferenceInput,
  type InferenceResult,
} from '../../workflows/inference-types';
import { gatewaySearchAttributes } from '../../workflows/search-attributes';
import type { ApiDependencies } from '../api-dependencies';
import { readInferenceFailure, type InferenceFailure } from './inference-failure';

/** Time past a traffic class's deadline that a synchronous caller still waits for the last attempt. */
const resultGraceMs = 70_000;

/** A chat or an embedding inference's input: the `inferenceV2` workflow takes both. */
export type AnyInferenceInput = InferenceInput | EmbeddingInferenceInput;
/** What an inference of this input returns. */
export type ResultFor<I extends AnyInferenceInput> = I extends EmbeddingInferenceInput
  ? EmbeddingInferenceResult
  : InferenceResult;
/** The inference workflow, typed for one operation's input and result. */
export type InferenceHandleFor<I extends AnyInferenceInput> = WorkflowHandle<(input: I) => Promise<ResultFor<I>>>;
export type InferenceHandle = InferenceHandleFor<InferenceInput>;

/** Another request already used this idempotency key with a different body. */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
}

/**
 * Starts one durable `inference` workflow; throws when Temporal cannot confirm the start. With
 * an idempotency fingerprint, the workflow id is the idempotency key's: a repeat joins the
 * running or finished workflow (no second provider call), and a different body is a conflict.
 */
export async function startInference<I extends AnyInferenceInput = InferenceInput>(
  { client, taskQueue, temporalDeadlineMs = 5_000, eagerStart = false }: ApiDependencies,
  input: I,
  workflowId = `${inferenceWorkflowIdPrefix}${randomUUID()}`,
  idempotencyFingerprint?: string,
): Promise<InferenceHandleFor<I>> {
  // The request's trace id, for the decision record (none when tracing is off).
  const traceId = activeTraceId();
  type Workflow = (input: I) => Promise<ResultFor<I>>;
  const handle = await client.withDeadline(
    Date.now() + temporalDeadlineMs,
    async (): Promise<InferenceHandleFor<I>> => {
      try {
        return await client.workflow.start<Workflow>(inferenceWorkflowType, {
          taskQueue,
          workflowId,
          args: [traceId ? { ...input, traceId } : input],
          // The guardrail policies by name, so an answer read back by id meets their output checks too.
          memo: {
            tenant: input.tenant,
            modelGroup: input.modelGroup,
            ...(idempotencyFingerprint && { fingerprint: idempotencyFingerprint }),
            ...(input.guardrails && { guardrails: input.guardrails.policies }),
          },
          staticSummary: `${input.modelGroup}${input.operation === 'embeddings' ? ' embeddings' : ''} for ${input.tenant} (${input.trafficClass})`,
          typedSearchAttributes: [
            { key: gatewaySearchAttributes.tenant, value: input.tenant },
            { key: gatewaySearchAttributes.trafficClass, value: input.trafficClass },
            ...(input.session ? [{ key: gatewaySearchAttributes.session, value: input.session }] : []),
          ],
          // When a worker shares this client's connection (the embedded stack), the server hands it
          // the first workflow task directly, saving a round trip.
          requestEagerStart: eagerStart && !idempotencyFingerprint,
          ...(idempotencyFingerprint && {
            workflowIdConflictPolicy: 'USE_EXISTING' as const,
            workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
          }),
        });
      } catch (error) {
        // A finished workflow with this id: the repeat reads its result.
        if (!(idempotencyFingerprint && error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        return client.workflow.getHandle<Workflow>(workflowId);
      }
    },
  );
  if (idempotencyFingerprint) {
    const { memo } = await client.withDeadline(Date.now() + temporalDeadlineMs, () => handle.describe());
    if (memo?.fingerprint !== idempotencyFingerprint || memo?.tenant !== input.tenant) {
      throw new IdempotencyConflictError(
        'This Idempotency-Key was already used with a different request body; use a new key for a new request.',
      );
    }
  }
  return handle;
}

export type InferenceOutcome<R = InferenceResult> =
  { kind: 'result'; result: R } | { kind: 'failure'; failure: InferenceFailure } | { kind: 'pending'; message: string };

/**
 * Waits for an inference's end for at most its traffic class's deadline (plus the last attempt's
 * time); the inference itself carries on durably and stays readable by id. Counts and logs it.
 * When `clientGone` fires (the client disconnected), the inference is cancelled.
 */
export async function awaitInference<I extends AnyInferenceInput>(
  { client, getConfig, logger = defaultLogger }: ApiDependencies,
  handle: InferenceHandleFor<I>,
  input: I,
  receivedAt: number,
  clientGone?: AbortSignal,
): Promise<InferenceOutcome<ResultFor<I>>> {
  const workflowId = handle.workflowId;
  // A client that hangs up no longer wants the answer: cancel the inference and its provider call.
  const cancel = () =>
    void handle
      .cancel()
      .catch((error: Error) =>
        logger.warn({ inferenceId: workflowId, error: error.message }, 'could not cancel an abandoned inference'),
      );
  clientGone?.addEventListener('abort', cancel, { once: true });
  const waitMs = trafficClassPolicy(getConfig(), input.trafficClass).deadlineMs + resultGraceMs;
  const abandon = new AbortController();
  const timer = setTimeout(() => abandon.abort(), waitMs);
  const finished = (outcome: string, fallbacks: number, extra: Record<string, unknown> = {}) => {
    const seconds = (performance.now() - receivedAt) / 1000;
    inferencesTotal.inc({ model_group: input.modelGroup, traffic_class: input.trafficClass, outcome });
    if (fallbacks > 0) fallbacksTotal.inc({ model_group: input.modelGroup }, fallbacks);
    inferenceDuration.observe({ model_group: input.modelGroup, outcome }, seconds);
    logger.info(
      {
        inferenceId: workflowId,
        tenant: input.tenant,
        keyId: input.keyId,
        modelGroup: input.modelGroup,
        trafficClass: input.trafficClass,
        outcome,
        fallbacks,
        durationMs: Math.round(seconds * 1000),
        ...extra,
      },
      'inference finished',
    );
  };
  try {
    const result: ResultFor<I> = await client.withAbortSignal(abandon.signal, () => handle.result());
    finished('success', result.decision.attempts.length - 1, {
      provider: result.route.provider,
      model: result.route.model,
      region: result.route.region,
      attempts: result.attempts,
    });
    return { kind: 'result', result };
  } catch (error) {
    const failure = readInferenceFailure(error);
    if (failure) {
      finished(failure.type, Math.max(0, (failure.details?.decision.attempts.length ?? 1) - 1), {
        attempts: failure.details?.attempts,
      });
      return { kind: 'failure', failure };
    }
    return {
      kind: 'pending',
      message: abandon.signal.aborted
        ? `The inference ${workflowId} is still running after ${Math.round(waitMs / 1000)} s; GET /v1/inferences/${workflowId} returns its result when it ends.`
        : `The inference ${workflowId} was accepted, but the gateway lost contact with Temporal while waiting; GET /v1/inferences/${workflowId} returns its result.`,
    };
  } finally {
    clearTimeout(timer);
    clientGone?.removeEventListener('abort', cancel);
  }
}
