import { Context } from '@temporalio/activity';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { ChatStreamAssembler } from '../providers/chat-stream-assembler';
import { isContentEvent } from '../providers/chat-stream-event';
import { ProviderCallError, toApplicationFailure, type ProviderErrorDetails } from '../providers/provider-error';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry';
import type { GatewayStateStore } from '../state/route-state-store';
import type { StreamChannel } from '../streaming/stream-channel';
import { attemptTimeToFirstToken } from '../observability/metrics';
import { failureOutcome, recordFailedCall, recordSuccessfulCall, recordUnansweredCall } from './call-bookkeeping';
import {
  callAbortSignal,
  reportCancellation,
  type InvokeRouteInput,
  type InvokeRouteOutput,
} from './invoke-route-activity';
import { guardAnswerInWorker } from './answer-guardrails-activity';
import { resolveRouteConfig } from './resolve-route-config';
import { streamAttemptId } from './stream-attempt-id';
import { createStreamSender } from './stream-sender';

/** What a streaming attempt reports in its heartbeats; a retry of the attempt reads it back. */
export interface StreamProgress {
  /** Content has been published toward the client. */
  partialOutputSent: boolean;
  ttftMs?: number;
}

/**
 * The streaming variant of invokeRoute: streams the route's answer, publishes every canonical event
 * on the stream channel for the API (never into history), heartbeats while it streams, and returns
 * the assembled response like invokeRoute does. A failure after content was published is
 * StreamInterrupted and non-retryable: the client has seen part of an answer no retry can continue.
 */
export function createInvokeRouteStreamActivity(
  getConfig: () => GatewayConfig,
  adapters: ProviderRegistry,
  store: GatewayStateStore,
  environment: NodeJS.ProcessEnv,
  channel: StreamChannel,
) {
  return async function invokeRouteStreamActivity({
    request,
    guardrails,
    ...booking
  }: InvokeRouteInput): Promise<InvokeRouteOutput> {
    const context = Context.current();
    const { route, reservationId } = booking;
    const { info } = context;
    const inferenceId = info.workflowExecution?.workflowId ?? info.activityId;
    const attempt = streamAttemptId(info);
    const previous = info.heartbeatDetails as StreamProgress | undefined;
    if (previous?.partialOutputSent) {
      // The previous try died (a worker crash, a missed heartbeat) after content went out.
      const details: ProviderErrorDetails = {
        type: 'StreamInterrupted',
        message: 'The previous try of this streaming attempt stopped after its first token',
      };
      await recordUnansweredCall(store, booking, failureOutcome(details, reservationId));
      throw toApplicationFailure({
        ...details,
        attempt: info.attempt,
        partialOutputSent: true,
        ttftMs: previous.ttftMs,
      });
    }
    const { provider, account, region } = resolveRouteConfig(getConfig(), route);
    const sender = createStreamSender(channel, inferenceId);
    const progress: StreamProgress = { partialOutputSent: false };
    // A local activity has no heartbeats (its workflow task is kept alive by the SDK).
    const heartbeat = () => !info.isLocal && info.heartbeatTimeoutMs && context.heartbeat({ ...progress });
    // Every attempt starts with a reset, so the API drops whatever an earlier attempt sent it.
    sender.send({ type: 'reset', attempt, route });
    heartbeat();
    // Keeps the attempt alive while the provider thinks before its first token.
    const beat = info.isLocal
      ? undefined
      : setInterval(heartbeat, Math.max(1_000, (info.heartbeatTimeoutMs ?? 30_000) / 3));
    const assembler = new ChatStreamAssembler();
    const started = performance.now();
    const abort = await callAbortSignal(context, channel);
    try {
      const events = adapterFor(adapters, provider).stream({
        model: route.model,
        request,
        provider,
        account,
        region,
        environment,
        signal: abort.signal,
      });
      for await (const event of events) {
        if (isContentEvent(event) && progress.ttftMs === undefined) {
          progress.ttftMs = Math.round(performance.now() - started);
          attemptTimeToFirstToken.observe(
            { provider: route.provider, model: route.model, region: route.region },
            progress.ttftMs / 1000,
          );
        }
        if (isContentEvent(event) && !sender.broken) progress.partialOutputSent = true;
        assembler.add(event);
        sender.send({ type: 'event', attempt, event });
        heartbeat();
      }
    } catch (error) {
      await sender.flush();
      if (abort.signal.aborted) return reportCancellation(store, booking, context);
      if (!(error instanceof ProviderCallError)) {
        // An unexpected failure (a bug) still ends the route's half-open trial.
        await recordUnansweredCall(store, booking, failureOutcome({ type: 'ServerError' }, reservationId));
        throw error;
      }
      const details: ProviderErrorDetails = progress.partialOutputSent
        ? {
            ...error.details,
            type: 'StreamInterrupted',
            providerCode: error.details.providerCode ?? error.details.type,
            message: `The provider's stream broke after the first token: ${error.details.message}`,
          }
        : error.details;
      const { circuitOpen } = await recordFailedCall(store, booking, details, context);
      throw toApplicationFailure({
        ...details,
        attempt: info.attempt,
        ...(circuitOpen && { circuitOpen }),
        ...(progress.partialOutputSent && { partialOutputSent: true }),
        ...(progress.ttftMs !== undefined && { ttftMs: progress.ttftMs }),
      });
    } finally {
      clearInterval(beat);
      abort.stop();
    }
    const latencyMs = Math.round(performance.now() - started);
    const response = assembler.result({
      id: `${inferenceId}-${info.attempt}`,
      model: route.model,
      created: Math.floor(Date.now() / 1000),
    });
    sender.send({ type: 'done', attempt });
    await sender.flush();
    const priced = await recordSuccessfulCall(store, getConfig(), booking, response, latencyMs, context);
    // A held stream: the API streams the answer once it passed, as the worker masked it.
    const guarded = guardrails?.length
      ? await guardAnswerInWorker(getConfig(), environment, guardrails, request, response, {
          inferenceId,
          tenant: booking.tenant?.id,
          modelGroup: booking.tenant?.modelGroup,
        })
      : undefined;
    return {
      response,
      ...guarded,
      attempt: info.attempt,
      latencyMs,
      ...(progress.ttftMs !== undefined && { ttftMs: progress.ttftMs }),
      ...priced,
    };
  };
}
