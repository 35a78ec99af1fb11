import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import { gatewayErrorTypes } from '../providers/gateway-error-types';
import { ProviderCallError, toApplicationFailure, type ProviderErrorDetails } from '../providers/provider-error';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry';
import { accountKey, routeKey, type Route } from '../routing/route';
import { usagePeriod } from '../state/budget-periods';
import type { AttemptOutcome, RouteStateStore } from '../state/route-state-store';
import { sessionBindingKey, type SpendPeriod } from '../state/tenant-state-store';
import { logger } from '../observability/logger';
import { attemptLatency, attemptsTotal, costTotal, tokensTotal } from '../observability/metrics';
import { resolveRouteConfig } from './resolve-route-config';
import { callCost, routePricing } from '../routing/route-pricing';

/** How often a provider call in flight heartbeats; the workflow's heartbeat timeout is 10 s. */
const heartbeatIntervalMs = 1_000;

export interface InvokeRouteInput {
  route: Route;
  request: ChatRequest;
  /** The quota reservation the region step took for this call, reconciled with the real usage. */
  reservationId?: string;
  /** The tenant's spend reservation, settled with the call's real cost (0 when it fails). */
  spend?: { reservationId?: string; periods: SpendPeriod[] };
  /** Who to bill in usage, and the session to bind to this route once it answers. */
  tenant?: { id: string; modelGroup: string; feature?: string; session?: string; fallbacks: number };
}

export interface InvokeRouteOutput {
  response: ChatResponse;
  /** Cost of this call from the deployment's pricing, when it has one. */
  cost?: number;
  /** Which try of this activity succeeded (1 = first). */
  attempt: number;
  latencyMs: number;
}

/**
 * What a failure teaches the route state. Server errors, overloads and timeouts are health
 * failures; a rate limit is a quota signal (a cool-down), not ill health.
 */
export function failureOutcome(details: Pick<ProviderErrorDetails, 'type' | 'retryAfterMs'>, reservationId?: string): AttemptOutcome {
  const { transient } = gatewayErrorTypes[details.type];
  const accountWide = details.type === 'QuotaExhausted' || details.type === 'Authentication';
  return {
    ok: false,
    unhealthy: transient && details.type !== 'RateLimited',
    reservationId,
    retryAfterMs: details.retryAfterMs,
    coolDownAccount: accountWide,
    coolDownRoute: details.type === 'RateLimited' || details.type === 'PermissionDenied',
  };
}

/** Prices a call with the pricing of the deployment the route came from. */
function costOf(config: GatewayConfig, route: Route, response: ChatResponse): { cost?: number } {
  const pricing = routePricing(config, route);
  return pricing ? { cost: callCost(pricing, response.usage) } : {};
}

export function createInvokeRouteActivity(getConfig: () => GatewayConfig, adapters: ProviderRegistry, store: RouteStateStore, environment: NodeJS.ProcessEnv) {
  async function recordSuccess({ route, response, latencyMs, reservationId, spend, tenant, cost }: Omit<InvokeRouteInput, 'request'> & { response: ChatResponse; latencyMs: number; cost: number }): Promise<void> {
    const now = Date.now();
    await store.record(routeKey(route), accountKey(route), { ok: true, latencyMs, tokens: response.usage.totalTokens, reservationId }, now);
    if (spend) await store.settleSpend(spend.periods, spend.reservationId, cost, now);
    if (!tenant) return;
    if (tenant.session) await store.bindSession(sessionBindingKey(tenant.id, tenant.modelGroup, tenant.session), routeKey(route), getConfig().routing.sticky.ttlSeconds * 1000);
    await store.addUsage(usagePeriod(now), { tenant: tenant.id, model: tenant.modelGroup, feature: tenant.feature ?? '' }, {
      requests: 1,
      promptTokens: response.usage.promptTokens,
      completionTokens: response.usage.completionTokens,
      cost,
      fallbacks: tenant.fallbacks,
    });
  }

  return async function invokeRouteActivity({ route, request, reservationId, spend, tenant }: InvokeRouteInput): Promise<InvokeRouteOutput> {
    const context = Context.current();
    const { provider, account, region } = resolveRouteConfig(getConfig(), route);
    const started = performance.now();
    // Heartbeats tell Temporal this worker is alive, and bring back a cancellation, which
    // aborts the provider call through context.cancellationSignal.
    const heartbeats = setInterval(() => context.heartbeat(), heartbeatIntervalMs);
    let response: ChatResponse;
    try {
      response = await adapterFor(adapters, provider).chat({
        model: route.model,
        request,
        provider,
        account,
        region,
        environment,
        signal: context.cancellationSignal,
      });
    } catch (error) {
      if (context.cancellationSignal.aborted) {
        // Cancelled by the client, not a fault of the route: free its trial and reservations
        // without counting a health failure, and report the cancellation to Temporal.
        attemptsTotal.inc({ provider: route.provider, model: route.model, region: route.region, result: 'Cancelled' });
        await store.record(routeKey(route), accountKey(route), { ok: false, unhealthy: false, reservationId }, Date.now());
        if (spend) await store.settleSpend(spend.periods, spend.reservationId, 0, Date.now());
        throw new CancelledFailure('The client cancelled the inference; the provider call was aborted');
      }
      if (error instanceof ProviderCallError) {
        attemptsTotal.inc({ provider: route.provider, model: route.model, region: route.region, result: error.details.type });
        logger.warn({ inferenceId: context.info.workflowExecution?.workflowId, route: routeKey(route), attempt: context.info.attempt, errorType: error.details.type, status: error.details.status }, 'provider attempt failed');
        await store.record(routeKey(route), accountKey(route), failureOutcome(error.details, reservationId), Date.now());
        if (spend) await store.settleSpend(spend.periods, spend.reservationId, 0, Date.now());
        throw toApplicationFailure({ ...error.details, attempt: context.info.attempt });
      }
      // An unexpected failure (a bug) still ends the route's half-open trial.
      await store.record(routeKey(route), accountKey(route), failureOutcome({ type: 'ServerError' }, reservationId), Date.now());
      if (spend) await store.settleSpend(spend.periods, spend.reservationId, 0, Date.now());
      throw error;
    } finally {
      clearInterval(heartbeats);
    }
    const latencyMs = Math.round(performance.now() - started);
    const labels = { provider: route.provider, model: route.model, region: route.region };
    attemptsTotal.inc({ ...labels, result: 'ok' });
    attemptLatency.observe(labels, latencyMs / 1000);
    tokensTotal.inc({ provider: route.provider, model: route.model, kind: 'prompt' }, response.usage.promptTokens);
    tokensTotal.inc({ provider: route.provider, model: route.model, kind: 'completion' }, response.usage.completionTokens);
    const priced = costOf(getConfig(), route, response);
    if (priced.cost !== undefined) costTotal.inc({ provider: route.provider, model: route.model, tenant: tenant?.id ?? 'unknown' }, priced.cost);
    // The provider has answered: a failure to write the bookkeeping must not fail the activity,
    // or Temporal would retry it and call (and bill) the provider twice.
    try {
      await recordSuccess({ route, response, latencyMs, reservationId, spend, tenant, cost: priced.cost ?? 0 });
    } catch (error) {
      logger.error({ inferenceId: context.info.workflowExecution?.workflowId, route: routeKey(route), error: (error as Error).message }, 'could not record a successful call in the state store');
    }
    return { response, attempt: context.info.attempt, latencyMs, ...priced };
  };
}
