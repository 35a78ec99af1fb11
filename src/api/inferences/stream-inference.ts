import type { Response } from 'express';
import { logger as defaultLogger } from '../../observability/logger';
import type { StreamMessage, StreamSubscription } from '../../streaming/stream-channel';
import type { InferenceInput, InferenceResult } from '../../workflows/inference-types';
import type { ApiDependencies } from '../api-dependencies';
import type { ApiShape } from '../api-shape';
import { sendUnsuccessfulOutcome } from '../gateway-error-response';
import { settleAdmission } from '../admission/inference-admission';
import { cancelWhenClientLeaves, startFor, type AdmittedRequest } from './inference-start';
import { rememberAnswer } from '../cached-answer';
import { awaitInference, type InferenceOutcome } from './run-inference';
import { SseWriter } from './sse-writer';
import { StreamSession } from './stream-session';
import { recordVerdicts } from '../request-guardrails';
import { refusalOf } from '../../guardrails/guardrail-outcome';
import type { GuardrailRefusal } from '../../guardrails/guardrail-verdict';
import { runOutputGuardrails, streamGuarding } from '../../guardrails/run-guardrails';

/**
 * How long the API waits, after the workflow succeeded, for the rest of an answer it has begun
 * to stream to arrive on the channel.
 * @default 5000
 */
export const streamTailGraceMs = 5_000;

type Arrival =
  | { kind: 'message'; message: StreamMessage }
  | { kind: 'outcome'; outcome: InferenceOutcome; refused?: GuardrailRefusal }
  | { kind: 'client_gone' }
  | { kind: 'tail_timeout' };

const never = new Promise<never>(() => {});

/**
 * Streams one inference to the client as server-sent events: subscribes to its tokens, starts the
 * workflow, and feeds a StreamSession with whatever comes first, a token or the workflow's end.
 */
export async function streamInference(
  dependencies: ApiDependencies,
  response: Response,
  input: InferenceInput,
  shape: ApiShape,
  receivedAt: number,
  inferenceId: string,
  admitted: AdmittedRequest,
): Promise<void> {
  const { streams, logger = defaultLogger } = dependencies;
  // Subscribe before the workflow starts, so no early token is published to nobody.
  let subscription: StreamSubscription | undefined;
  try {
    subscription = await streams?.subscribe(inferenceId);
  } catch (error) {
    logger.warn(
      { inferenceId, error: (error as Error).message },
      'stream channel unavailable; the answer will be sent when the inference ends',
    );
  }
  const handle = await startFor(dependencies, response, input, shape, admitted, inferenceId);
  if (!handle) {
    await subscription?.close();
    return;
  }
  let ended = false;
  cancelWhenClientLeaves(dependencies, response, handle, admitted.idempotency, () => ended);

  const session = new StreamSession(shape, inferenceId, new SseWriter(response), (outcome) =>
    sendUnsuccessfulOutcome(response, shape, outcome),
  );
  // `flow` output checks (a `hold` policy never streams through here) run in the worker's streaming
  // call, piece by piece: a block arrives as a `blocked` message, and the result carries the verdicts.
  const policies = admitted.guardrails ?? [];
  const checkedInApi = streamGuarding(policies) !== 'none';
  const verdictContext = { inferenceId, tenant: input.tenant, keyId: input.keyId, modelGroup: input.modelGroup };
  const endRefused = (refused: GuardrailRefusal) =>
    session.onBlocked(refused.message, () =>
      shape.sendError(response, refused.code === 'content_blocked' ? 400 : 503, refused),
    );
  /** The refusal of a whole answer: the worker's, or the API's own check when the call ran none (a call from before they moved). */
  const refusalOfResult = (result: InferenceResult): GuardrailRefusal | undefined => {
    if (result.outputGuardrails) return result.outputGuardrails.refused;
    if (!checkedInApi) return undefined;
    const outcome = runOutputGuardrails(policies, result.response, input.request.response_format);
    recordVerdicts(dependencies, outcome.verdicts, verdictContext);
    return refusalOf(outcome);
  };
  const nextMessage = (): Promise<Arrival> =>
    subscription ? subscription.next().then((message) => ({ kind: 'message', message })) : never;
  const outcomeArrival = awaitInference(dependencies, handle, input, receivedAt).then((outcome): Arrival => {
    ended = outcome.kind !== 'pending';
    if (outcome.kind !== 'pending')
      settleAdmission(
        dependencies,
        admitted.admission,
        outcome.kind === 'result' ? outcome.result.response.usage.totalTokens : 0,
      );
    // The workflow succeeded, so the answer is whole, whatever happened to this client's stream.
    const refused = outcome.kind === 'result' ? refusalOfResult(outcome.result) : undefined;
    if (outcome.kind === 'result' && !refused)
      rememberAnswer(dependencies, input, admitted.cache, inferenceId, outcome.result);
    return { kind: 'outcome', outcome, ...(refused && { refused }) };
  });
  const clientGone = new Promise<Arrival>((resolve) => response.once('close', () => resolve({ kind: 'client_gone' })));
  let messageArrival = nextMessage();
  let tail: Promise<Arrival> | undefined;
  let tailTimer: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      const arrival = await Promise.race([messageArrival, tail ?? outcomeArrival, clientGone]);
      if (arrival.kind === 'client_gone') return; // cancelWhenClientLeaves cancels the inference (an idempotent one carries on)
      if (arrival.kind === 'tail_timeout') {
        session.onTailTimeout();
        return;
      }
      if (arrival.kind === 'message') {
        messageArrival = nextMessage();
        if (arrival.message.type === 'blocked') {
          if (!session.ofCurrentAttempt(arrival.message.attempt)) continue;
          endRefused(arrival.message.refused);
          return;
        }
        if (session.onMessage(arrival.message)) return;
        continue;
      }
      // A refused answer (it may have overtaken its `blocked` message, or come with no channel at all).
      if (arrival.refused) {
        endRefused(arrival.refused);
        return;
      }
      if (session.onOutcome(arrival.outcome)) return;
      tail = new Promise((resolve) => {
        tailTimer = setTimeout(() => resolve({ kind: 'tail_timeout' }), streamTailGraceMs);
      });
    }
  } finally {
    clearTimeout(tailTimer);
    await subscription?.close();
  }
}
