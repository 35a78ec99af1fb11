import type { Context } from '@temporalio/activity';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { ChatUsage } from '../providers/canonical-chat';
import { gatewayErrorTypes } from '../providers/gateway-error-types';
import type { ProviderErrorDetails } from '../providers/provider-error';
import { accountKey, routeKey } from '../routing/route';
import { callCost, routePricing } from '../routing/route-pricing';
import { annotateAttemptSpan } from '../observability/span-attributes';
import { logger } from '../observability/logger';
import { attemptLatency, attemptsTotal, costTotal, tokensTotal } from '../observability/metrics';
import { usagePeriod } from '../state/budget-periods';
import type { AttemptOutcome, RecordedOutcome, GatewayStateStore } from '../state/route-state-store';
import { sessionBindingKey } from '../state/tenant-state-store';
import type { InvokeRouteInput } from './invoke-route-types';

/** What an attempt booked: its route, its quota and spend reservations, and who to bill. */
export type CallBooking = Omit<InvokeRouteInput, 'request'>;

/**
 * What a failure teaches the route state. Server errors, overloads and timeouts are health
 * failures; a rate limit is a quota signal (a cool-down), not ill health.
 */
export function failureOutcome(
  details: Pick<ProviderErrorDetails, 'type' | 'retryAfterMs'>,
  reservationId?: string,
): AttemptOutcome {
  const { transient } = gatewayErrorTypes[details.type];
  const accountWide = details.type === 'QuotaExhausted' || details.type === 'Authentication';
  return {
    ok: false,
    errorType: details.type,
    unhealthy: transient && details.type !== 'RateLimited',
    reservationId,
    retryAfterMs: details.retryAfterMs,
    ...(accountWide && { coolDownAccount: details.type }),
    coolDownRoute: details.type === 'RateLimited' || details.type === 'PermissionDenied',
  };
}

/**
 * Ends a call that produced no answer: the route learns `outcome`, and the spend reservation is
 * released. Returns the route's state after the call (whether its circuit is open now).
 */
export async function recordUnansweredCall(
  store: GatewayStateStore,
  { route, spend }: CallBooking,
  outcome: AttemptOutcome,
): Promise<RecordedOutcome> {
  const recorded = await store.record(routeKey(route), accountKey(route), outcome, Date.now());
  if (spend) await store.settleSpend(spend.periods, spend.reservationId, 0, Date.now());
  return recorded;
}

/** Books a failed provider call: its metric, a log line, what it teaches the route state, and the spend it frees. */
export async function recordFailedCall(
  store: GatewayStateStore,
  booking: CallBooking,
  details: ProviderErrorDetails,
  context: Context,
): Promise<RecordedOutcome> {
  const { route } = booking;
  attemptsTotal.inc({ provider: route.provider, model: route.model, region: route.region, result: details.type });
  annotateAttemptSpan(route, { errorType: details.type });
  logger.warn(
    {
      inferenceId: context.info.workflowExecution?.workflowId,
      route: routeKey(route),
      attempt: context.info.attempt,
      errorType: details.type,
      status: details.status,
    },
    'provider attempt failed',
  );
  return recordUnansweredCall(store, booking, failureOutcome(details, booking.reservationId));
}

/** How long a bill is retried while the state store is unreachable: less than an activity's 10 s heartbeat timeout. */
const billingRetryMs = 8_000;

/** Runs a write, again after 200 ms, 400 ms… (up to 2 s apart) while it fails, for at most `billingRetryMs`. */
async function whileStoreUnavailable<T>(write: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + billingRetryMs;
  for (let pause = 200; ; pause = Math.min(2_000, pause * 2)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + pause > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * Books a successful provider call: the bill (the real cost against the tenant's budget and the
 * tenant's usage, once per inference even when a crash made the call twice), metrics, latency and
 * real usage in the route state, and the session's binding. Returns the cost. The provider has
 * answered, so a failure to write the bookkeeping is logged, never thrown: Temporal would retry
 * the activity and call the provider again.
 */
export async function recordSuccessfulCall(
  store: GatewayStateStore,
  config: GatewayConfig,
  booking: CallBooking,
  response: { usage: ChatUsage },
  latencyMs: number,
  context: Context,
): Promise<{ cost?: number }> {
  const { route, reservationId, spend, tenant } = booking;
  const labels = { provider: route.provider, model: route.model, region: route.region };
  attemptsTotal.inc({ ...labels, result: 'ok' });
  annotateAttemptSpan(route, {
    tokens: { prompt: response.usage.promptTokens, completion: response.usage.completionTokens },
  });
  attemptLatency.observe(labels, latencyMs / 1000);
  tokensTotal.inc({ provider: route.provider, model: route.model, kind: 'prompt' }, response.usage.promptTokens);
  tokensTotal.inc(
    { provider: route.provider, model: route.model, kind: 'completion' },
    response.usage.completionTokens,
  );
  const pricing = routePricing(config, route);
  const cost = pricing ? callCost(pricing, response.usage) : undefined;
  if (cost !== undefined)
    costTotal.inc({ provider: route.provider, model: route.model, tenant: tenant?.id ?? 'unknown' }, cost);
  const now = Date.now();
  const inferenceId = context.info.workflowExecution?.workflowId ?? context.info.activityId;
  const bill = {
    inferenceId,
    ...(spend && { spend }),
    cost: cost ?? 0,
    ...(tenant && {
      usage: {
        period: usagePeriod(now),
        row: { tenant: tenant.id, model: tenant.modelGroup, feature: tenant.feature ?? '' },
        delta: {
          requests: 1,
          promptTokens: response.usage.promptTokens,
          completionTokens: response.usage.completionTokens,
          cost: cost ?? 0,
          fallbacks: tenant.fallbacks,
        },
      },
    }),
  };
  try {
    // The bill first, and through a Redis restart: it is what the tenant pays.
    const billed = await whileStoreUnavailable(() => store.billInference(bill, now));
    if (!billed)
      logger.warn(
        { inferenceId, route: routeKey(route) },
        'this inference was billed already (its call was made again after a crash): its usage is not counted twice',
      );
  } catch (error) {
    logger.error(
      { inferenceId, route: routeKey(route), error: (error as Error).message },
      'could not bill a successful call in the state store',
    );
  }
  try {
    await store.record(
      routeKey(route),
      accountKey(route),
      { ok: true, latencyMs, tokens: response.usage.totalTokens, reservationId },
      now,
    );
    if (tenant?.session)
      await store.bindSession(
        sessionBindingKey(tenant.id, tenant.modelGroup, tenant.session),
        routeKey(route),
        config.routing.sticky.ttlSeconds * 1000,
      );
  } catch (error) {
    logger.error(
      { inferenceId, route: routeKey(route), error: (error as Error).message },
      'could not record a successful call in the state store',
    );
  }
  return cost !== undefined ? { cost } : {};
}
