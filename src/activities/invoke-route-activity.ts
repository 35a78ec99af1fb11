import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { ChatResponse, ChatUsage } from '../providers/canonical-chat';
import { ProviderCallError, toApplicationFailure } from '../providers/provider-error';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry';
import { annotateAttemptSpan } from '../observability/span-attributes';
import { logger } from '../observability/logger';
import { attemptsTotal } from '../observability/metrics';
import type { GatewayStateStore } from '../state/route-state-store';
import { listenForCancel } from '../streaming/cancel-signal';
import type { StreamChannel } from '../streaming/stream-channel';
import type { InvokeRouteInput, InvokeRouteOutput } from './invoke-route-types';
import { failureOutcome, recordFailedCall, recordSuccessfulCall, recordUnansweredCall } from './call-bookkeeping';
import { resolveRouteConfig } from './resolve-route-config';
import { guardAnswerInWorker } from './answer-guardrails-activity';

/** How often a provider call made as an activity heartbeats; the workflow's heartbeat timeout is 10 s. */
const heartbeatIntervalMs = 1_000;

export type { InvokeRouteInput, InvokeRouteOutput } from './invoke-route-types';

/**
 * Throws the cancellation, after freeing the route's trial and reservations without a health
 * failure: the cancellation Temporal expects when it asked, or a non-retryable `Cancelled`
 * failure when the API's cancel signal came first (the workflow treats both alike).
 */
export async function reportCancellation(
  store: GatewayStateStore,
  input: Omit<InvokeRouteInput, 'request'>,
  context: Context,
): Promise<never> {
  const { route } = input;
  attemptsTotal.inc({ provider: route.provider, model: route.model, region: route.region, result: 'Cancelled' });
  annotateAttemptSpan(route, { errorType: 'Cancelled' });
  await recordUnansweredCall(store, input, { ok: false, unhealthy: false, reservationId: input.reservationId });
  const message = 'The client cancelled the inference; the provider call was aborted';
  if (context.cancellationSignal.aborted) throw new CancelledFailure(message);
  throw ApplicationFailure.create({ type: 'Cancelled', message, nonRetryable: true });
}

/**
 * What aborts a provider call: Temporal's cancellation of the activity, or the API's cancel
 * signal on the stream channel, which reaches a local activity at once. Without the channel (Redis
 * down) the call still runs, cancelled by Temporal only. Call `stop` when done.
 */
export async function callAbortSignal(
  context: Context,
  streams: StreamChannel,
): Promise<{ signal: AbortSignal; stop: () => void }> {
  const inferenceId = context.info.workflowExecution?.workflowId;
  // One controller that either source aborts (cheaper per call than AbortSignal.any).
  const controller = new AbortController();
  const onCancelled = () => controller.abort(context.cancellationSignal.reason);
  context.cancellationSignal.addEventListener('abort', onCancelled, { once: true });
  const stopListening = inferenceId
    ? await listenForCancel(streams, inferenceId, controller).catch((error: Error) => {
        logger.warn(
          { inferenceId, error: error.message },
          "the stream channel's cancel signal is unavailable; Temporal's cancellation still applies",
        );
        return () => {};
      })
    : () => {};
  return {
    signal: controller.signal,
    stop: () => {
      context.cancellationSignal.removeEventListener('abort', onCancelled);
      stopListening();
    },
  };
}

/** What a provider call on a route gets: the route's resolved config and the call's abort signal. */
export type RouteCall<R> = (target: ReturnType<typeof resolveRouteConfig> & { signal: AbortSignal }) => Promise<R>;

/**
 * Makes one call on a booked route with its bookkeeping, whatever the call: the client's cancel
 * signal, heartbeats when it runs as an activity, what a failure teaches the route state, and the
 * success's latency, usage, cost and spend. Shared by chat and embedding calls.
 */
export async function callRouteOnce<R extends { usage: ChatUsage }>(
  getConfig: () => GatewayConfig,
  store: GatewayStateStore,
  streams: StreamChannel,
  booking: Omit<InvokeRouteInput, 'request'>,
  call: RouteCall<R>,
): Promise<{ response: R; attempt: number; latencyMs: number; cost?: number }> {
  const context = Context.current();
  const target = resolveRouteConfig(getConfig(), booking.route);
  const started = performance.now();
  const abort = await callAbortSignal(context, streams);
  // An activity's heartbeats tell Temporal this worker is alive, and bring back a cancellation.
  // A local activity has none: its workflow task is kept alive by the SDK.
  const heartbeats = context.info.isLocal ? undefined : setInterval(() => context.heartbeat(), heartbeatIntervalMs);
  let response: R;
  try {
    response = await call({ ...target, signal: abort.signal });
  } catch (error) {
    // Cancelled by the client, not a fault of the route.
    if (abort.signal.aborted) return reportCancellation(store, booking, context);
    if (error instanceof ProviderCallError) {
      const { circuitOpen } = await recordFailedCall(store, booking, error.details, context);
      throw toApplicationFailure({
        ...error.details,
        attempt: context.info.attempt,
        ...(circuitOpen && { circuitOpen }),
      });
    }
    // An unexpected failure (a bug) still ends the route's half-open trial.
    await recordUnansweredCall(store, booking, failureOutcome({ type: 'ServerError' }, booking.reservationId));
    throw error;
  } finally {
    clearInterval(heartbeats);
    abort.stop();
  }
  const latencyMs = Math.round(performance.now() - started);
  const priced = await recordSuccessfulCall(store, getConfig(), booking, response, latencyMs, context);
  return { response, attempt: context.info.attempt, latencyMs, ...priced };
}

/**
 * Calls a route once, as a local activity (the workflow retries it on the same route) or as an
 * activity (Temporal retries it, and the attempt heartbeats).
 */
export function createInvokeRouteActivity(
  getConfig: () => GatewayConfig,
  adapters: ProviderRegistry,
  store: GatewayStateStore,
  environment: NodeJS.ProcessEnv,
  streams: StreamChannel,
) {
  return async function invokeRouteActivity({
    request,
    guardrails,
    ...booking
  }: InvokeRouteInput): Promise<InvokeRouteOutput> {
    const called = await callRouteOnce<ChatResponse>(
      getConfig,
      store,
      streams,
      booking,
      ({ provider, account, region, signal }) =>
        adapterFor(adapters, provider).chat({
          model: booking.route.model,
          request,
          provider,
          account,
          region,
          environment,
          signal,
        }),
    );
    if (!guardrails?.length) return called;
    const inferenceId = Context.current().info.workflowExecution?.workflowId;
    const guarded = await guardAnswerInWorker(getConfig(), environment, guardrails, request, called.response, {
      inferenceId,
      tenant: booking.tenant?.id,
      modelGroup: booking.tenant?.modelGroup,
    });
    return { ...called, ...guarded };
  };
}
