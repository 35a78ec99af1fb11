import type { Response } from 'express';
import { logger as defaultLogger } from '../observability/logger';
import { responseAsStreamEvents } from '../providers/chat-stream-event';
import { routeKey, type Route } from '../routing/route';
import type { StreamMessage, StreamSubscription } from '../streaming/stream-channel';
import type { InferenceInput } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';
import type { ApiShape } from './api-shape';
import { gatewayErrorStatus, sendStartFailure, sendUnsuccessfulOutcome, toErrorCode } from './gateway-error-response';
import { awaitInference, startInference, type InferenceOutcome } from './run-inference';
import { SseWriter } from './sse-writer';

/**
 * How long the API waits, after the workflow succeeded, for the rest of an answer it has begun
 * to stream to arrive on the channel.
 * @default 5000
 */
export const streamTailGraceMs = 5_000;

type Arrival =
  | { kind: 'message'; message: StreamMessage }
  | { kind: 'outcome'; outcome: InferenceOutcome }
  | { kind: 'client_gone' }
  | { kind: 'tail_timeout' };

const never = new Promise<never>(() => {});

/**
 * Streams one inference to the client as server-sent events.
 *
 * The rule: nothing is written until the first content token arrives, so every retry and fallback
 * before it is invisible and a failure before it is an ordinary HTTP error. From the first token
 * on, tokens are forwarded as they come; a `reset` (a new attempt) or a failed inference then ends
 * the stream with an error event in the client's format, never with a clean ending.
 */
export async function streamInference(dependencies: ApiDependencies, response: Response, input: InferenceInput, shape: ApiShape, receivedAt: number, inferenceId: string): Promise<void> {
  const { streams, logger = defaultLogger } = dependencies;
  // Subscribe before the workflow starts, so no early token is published to nobody.
  let subscription: StreamSubscription | undefined;
  try {
    subscription = await streams?.subscribe(inferenceId);
  } catch (error) {
    logger.warn({ inferenceId, error: (error as Error).message }, 'stream channel unavailable; the answer will be sent when the inference ends');
  }
  let handle;
  try {
    handle = await startInference(dependencies, input, inferenceId);
  } catch (error) {
    await subscription?.close();
    sendStartFailure(response, shape, error, inferenceId);
    return;
  }

  const writer = new SseWriter(response);
  let renderer = shape.streamRenderer(inferenceId);
  let attempt: string | undefined;
  let route: Route | undefined;
  let attemptsStarted = 0;
  const routesTried = new Set<string>();

  const headers = (attempts: number, fallback: boolean): Record<string, string> => ({
    'x-gateway-inference-id': inferenceId,
    ...(route && { 'x-gateway-provider': route.provider, 'x-gateway-model': route.model, 'x-gateway-account': route.account, 'x-gateway-region': route.region }),
    'x-gateway-attempts': String(attempts),
    'x-gateway-fallback': String(fallback),
  });
  const write = (frames: string[]) => {
    if (frames.length === 0) return;
    if (!writer.started) writer.open(headers(attemptsStarted, routesTried.size > 1));
    writer.write(frames);
  };
  const endWithError = (status: number, code: string, message: string) => {
    writer.write(renderer.error(status, code, message));
    writer.end();
  };

  /** Returns true when the response is complete. */
  const onMessage = (message: StreamMessage): boolean => {
    if (message.type === 'reset') {
      if (writer.started) {
        endWithError(502, 'stream_interrupted', `The answer was interrupted after it had begun: attempt ${message.attempt} started over. GET /v1/inferences/${inferenceId} shows what happened.`);
        return true;
      }
      attempt = message.attempt;
      route = message.route;
      attemptsStarted += 1;
      routesTried.add(routeKey(message.route));
      renderer = shape.streamRenderer(inferenceId);
      return false;
    }
    if (message.attempt !== attempt) return false; // a late message of a superseded attempt
    if (message.type === 'event') {
      write(renderer.event(message.event));
      return false;
    }
    write(renderer.end());
    writer.end();
    return true;
  };

  /** Returns true when the response is complete; false when the rest must still come from the channel. */
  const onOutcome = (outcome: InferenceOutcome): boolean => {
    if (outcome.kind === 'result') {
      if (writer.started) return false;
      // Nothing streamed yet (no shared channel, or the result overtook the tokens): send it all now.
      const { result } = outcome;
      route = result.route;
      renderer = shape.streamRenderer(inferenceId);
      const frames = [...responseAsStreamEvents(result.response).flatMap((event) => renderer.event(event)), ...renderer.end()];
      writer.open(headers(result.attempts, result.fallback));
      writer.write(frames);
      writer.end();
      return true;
    }
    if (!writer.started) {
      sendUnsuccessfulOutcome(response, shape, outcome);
      return true;
    }
    if (outcome.kind === 'pending') endWithError(504, 'inference_pending', outcome.message);
    else endWithError(gatewayErrorStatus(outcome.failure.type), toErrorCode(outcome.failure.type), outcome.failure.message);
    return true;
  };

  const nextMessage = (): Promise<Arrival> => (subscription ? subscription.next().then((message) => ({ kind: 'message', message })) : never);
  const outcomeArrival = awaitInference(dependencies, handle, input, receivedAt).then((outcome): Arrival => ({ kind: 'outcome', outcome }));
  const clientGone = new Promise<Arrival>((resolve) => response.once('close', () => resolve({ kind: 'client_gone' })));
  let messageArrival = nextMessage();
  let tail: Promise<Arrival> | undefined;
  let tailTimer: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      const arrival = await Promise.race([messageArrival, tail ?? outcomeArrival, clientGone]);
      if (arrival.kind === 'client_gone') return; // the inference carries on durably; its result stays readable by id
      if (arrival.kind === 'tail_timeout') {
        endWithError(502, 'stream_interrupted', `The rest of the answer did not arrive on the stream channel; GET /v1/inferences/${inferenceId} returns it whole.`);
        return;
      }
      if (arrival.kind === 'message') {
        messageArrival = nextMessage();
        if (onMessage(arrival.message)) return;
        continue;
      }
      if (onOutcome(arrival.outcome)) return;
      tail = new Promise((resolve) => {
        tailTimer = setTimeout(() => resolve({ kind: 'tail_timeout' }), streamTailGraceMs);
      });
    }
  } finally {
    clearTimeout(tailTimer);
    await subscription?.close();
  }
}
