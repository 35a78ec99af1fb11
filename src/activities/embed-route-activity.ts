import { Context } from '@temporalio/activity';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { EmbeddingResponse } from '../providers/canonical-embedding';
import { embeddingAdapterFor, type EmbeddingRegistry } from '../providers/embedding-registry';
import { ProviderCallError, toApplicationFailure } from '../providers/provider-error';
import type { RouteStateStore } from '../state/route-state-store';
import type { StreamChannel } from '../streaming/stream-channel';
import { failureOutcome, recordFailedCall, recordSuccessfulCall, recordUnansweredCall } from './call-bookkeeping';
import { callAbortSignal, reportCancellation } from './invoke-route-activity';
import type { EmbedRouteInput, EmbedRouteOutput } from './invoke-route-types';
import { resolveRouteConfig } from './resolve-route-config';

/** How often an embedding call made as an activity heartbeats; the workflow's heartbeat timeout is 10 s. */
const heartbeatIntervalMs = 1_000;

/**
 * Embeds on a route once, with the same bookkeeping as a chat call (quota reservation, health,
 * latency, usage, cost, spend), as a local activity or as an activity.
 */
export function createEmbedRouteActivity(getConfig: () => GatewayConfig, adapters: EmbeddingRegistry, store: RouteStateStore, environment: NodeJS.ProcessEnv, streams: StreamChannel) {
  return async function embedRouteActivity({ request, ...booking }: EmbedRouteInput): Promise<EmbedRouteOutput> {
    const context = Context.current();
    const { route, reservationId } = booking;
    const { provider, account, region } = resolveRouteConfig(getConfig(), route);
    const started = performance.now();
    const abort = await callAbortSignal(context, streams);
    const heartbeats = context.info.isLocal ? undefined : setInterval(() => context.heartbeat(), heartbeatIntervalMs);
    let response: EmbeddingResponse;
    try {
      response = await embeddingAdapterFor(adapters, provider).embed({ model: route.model, request, provider, account, region, environment, signal: abort.signal });
    } catch (error) {
      if (abort.signal.aborted) return reportCancellation(store, booking, context);
      if (error instanceof ProviderCallError) {
        const { circuitOpen } = await recordFailedCall(store, booking, error.details, context);
        throw toApplicationFailure({ ...error.details, attempt: context.info.attempt, ...(circuitOpen && { circuitOpen }) });
      }
      await recordUnansweredCall(store, booking, failureOutcome({ type: 'ServerError' }, reservationId));
      throw error;
    } finally {
      clearInterval(heartbeats);
      abort.stop();
    }
    const latencyMs = Math.round(performance.now() - started);
    const priced = await recordSuccessfulCall(store, getConfig(), booking, response, latencyMs, context);
    return { response, attempt: context.info.attempt, latencyMs, ...priced };
  };
}
