import { Context } from '@temporalio/activity';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import { gatewayErrorTypes } from '../providers/gateway-error-types';
import { ProviderCallError, toApplicationFailure, type ProviderErrorDetails } from '../providers/provider-error';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry';
import { accountKey, routeKey, type Route } from '../routing/route';
import type { AttemptOutcome, RouteStateStore } from '../state/route-state-store';
import { logger } from '../observability/logger';
import { attemptLatency, attemptsTotal, tokensTotal } from '../observability/metrics';
import { resolveRouteConfig } from './resolve-route-config';

export interface InvokeRouteInput {
  route: Route;
  request: ChatRequest;
  /** The quota reservation the region step took for this call, reconciled with the real usage. */
  reservationId?: string;
}

export interface InvokeRouteOutput {
  response: ChatResponse;
  /** Cost of this call from the deployment's pricing, when it has one. */
  cost?: number;
  /** Which try of this activity succeeded (1 = first). */
  attempt: number;
  latencyMs: number;
  /** Streaming attempts: milliseconds from the provider call to its first content token. */
  ttftMs?: number;
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
export function costOf(config: GatewayConfig, route: Route, response: ChatResponse): { cost?: number } {
  const deployment = config.modelGroups
    .flatMap((group) => group.deployments)
    .find((candidate) => candidate.provider === route.provider && candidate.model === route.model && candidate.account === route.account && candidate.region === route.region);
  const pricing = deployment?.pricing;
  if (!pricing) return {};
  const cached = response.usage.cachedPromptTokens ?? 0;
  const cachedPrice = pricing.cachedInputPerMillion ?? pricing.inputPerMillion;
  const cost = ((response.usage.promptTokens - cached) * pricing.inputPerMillion + cached * cachedPrice + response.usage.completionTokens * pricing.outputPerMillion) / 1_000_000;
  return { cost };
}

/** Books a failed provider call: its metric, a log line, and what it teaches the route state. */
export async function recordFailedCall(store: RouteStateStore, route: Route, details: ProviderErrorDetails, reservationId: string | undefined, context: Context): Promise<void> {
  attemptsTotal.inc({ provider: route.provider, model: route.model, region: route.region, result: details.type });
  logger.warn({ inferenceId: context.info.workflowExecution?.workflowId, route: routeKey(route), attempt: context.info.attempt, errorType: details.type, status: details.status }, 'provider attempt failed');
  await store.record(routeKey(route), accountKey(route), failureOutcome(details, reservationId), Date.now());
}

/** Books a successful provider call: metrics, and its latency and real usage in the route state. */
export async function recordSuccessfulCall(store: RouteStateStore, route: Route, response: ChatResponse, latencyMs: number, reservationId: string | undefined): Promise<void> {
  const labels = { provider: route.provider, model: route.model, region: route.region };
  attemptsTotal.inc({ ...labels, result: 'ok' });
  attemptLatency.observe(labels, latencyMs / 1000);
  tokensTotal.inc({ provider: route.provider, model: route.model, kind: 'prompt' }, response.usage.promptTokens);
  tokensTotal.inc({ provider: route.provider, model: route.model, kind: 'completion' }, response.usage.completionTokens);
  await store.record(routeKey(route), accountKey(route), { ok: true, latencyMs, tokens: response.usage.totalTokens, reservationId }, Date.now());
}

export function createInvokeRouteActivity(getConfig: () => GatewayConfig, adapters: ProviderRegistry, store: RouteStateStore, environment: NodeJS.ProcessEnv) {
  return async function invokeRouteActivity({ route, request, reservationId }: InvokeRouteInput): Promise<InvokeRouteOutput> {
    const context = Context.current();
    const { provider, account, region } = resolveRouteConfig(getConfig(), route);
    const started = performance.now();
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
      if (error instanceof ProviderCallError) {
        await recordFailedCall(store, route, error.details, reservationId, context);
        throw toApplicationFailure({ ...error.details, attempt: context.info.attempt });
      }
      // An unexpected failure (a bug, a cancellation) still ends the route's half-open trial.
      await store.record(routeKey(route), accountKey(route), failureOutcome({ type: 'ServerError' }, reservationId), Date.now());
      throw error;
    }
    const latencyMs = Math.round(performance.now() - started);
    await recordSuccessfulCall(store, route, response, latencyMs, reservationId);
    return { response, attempt: context.info.attempt, latencyMs, ...costOf(getConfig(), route, response) };
  };
}
