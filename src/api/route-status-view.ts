import { z } from 'zod';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { configuredRoutes } from '../routing/route-candidates';
import { routeKey, type Route } from '../routing/route';
import type { CircuitState } from '../routing/routing-types';
import type { GatewayStateStore } from '../state/route-state-store';

const windowViewSchema = z.object({ used: z.number(), limit: z.number().nullable(), remaining: z.number().nullable() });
type WindowView = z.infer<typeof windowViewSchema>;

/** One route as `GET /v1/routes` shows it. */
export const routeStatusViewSchema = z
  .object({
    route: z.string(),
    provider: z.string(),
    model: z.string(),
    account: z.string(),
    region: z.string(),
    model_groups: z.array(z.string()),
    circuit: z.object({
      state: z.enum(['closed', 'open', 'half-open'] satisfies CircuitState[]),
      consecutive_failures: z.number().int(),
      next_trial_at: z.iso.datetime().nullable(),
    }),
    cool_down: z
      .object({ until: z.iso.datetime(), scope: z.enum(['account', 'route']), reason: z.string() })
      .nullable(),
    windows: z.object({ requests: windowViewSchema, tokens: windowViewSchema }),
    latency_ewma_ms: z.number().nullable(),
    last_probe: z
      .object({
        at: z.iso.datetime(),
        ok: z.boolean(),
        latency_ms: z.number(),
        error_type: z.string().nullable(),
        skipped: z.string().nullable(),
      })
      .nullable(),
    recent_errors: z
      .record(z.string(), z.number().int())
      .meta({ description: 'Failed calls of the last 15 minutes, by gateway error type.' }),
  })
  .meta({ id: 'RouteStatus' });
export type RouteStatusView = z.infer<typeof routeStatusViewSchema>;

/** The body of `GET /v1/routes`. */
export const routeStatusListSchema = z
  .object({ object: z.literal('list'), data: z.array(routeStatusViewSchema) })
  .meta({ id: 'RouteStatusList' });

const iso = (at: number) => new Date(at).toISOString();

/** The tightest RPM and TPM any deployment of the route sets, and the groups it serves. */
function deploymentsOf(config: GatewayConfig, route: Route): { groups: string[]; rpm?: number; tpm?: number } {
  const key = routeKey(route);
  const groups: string[] = [];
  let rpm: number | undefined;
  let tpm: number | undefined;
  for (const group of config.modelGroups) {
    for (const deployment of group.deployments) {
      const provider = config.providers.find((candidate) => candidate.id === deployment.provider)!;
      if (routeKey({ ...deployment, providerKind: provider.kind }) !== key) continue;
      if (!groups.includes(group.name)) groups.push(group.name);
      if (deployment.rpm !== undefined) rpm = Math.min(rpm ?? Number.POSITIVE_INFINITY, deployment.rpm);
      if (deployment.tpm !== undefined) tpm = Math.min(tpm ?? Number.POSITIVE_INFINITY, deployment.tpm);
    }
  }
  return { groups, ...(rpm !== undefined && { rpm }), ...(tpm !== undefined && { tpm }) };
}

function windowView(used: number, limit: number | undefined): WindowView {
  return { used, limit: limit ?? null, remaining: limit === undefined ? null : Math.max(0, limit - used) };
}

/** Every configured route with its live status, in config order. */
export async function routeStatusViews(
  config: GatewayConfig,
  store: GatewayStateStore,
  now: number,
): Promise<RouteStatusView[]> {
  const routes = configuredRoutes(config);
  const statuses = await store.status(routes.map(routeKey), now);
  return routes.map((route): RouteStatusView => {
    const key = routeKey(route);
    const status = statuses[key]!;
    const { groups, rpm, tpm } = deploymentsOf(config, route);
    const coolingDown = status.coolingDownUntil !== undefined && status.coolingDownUntil > now;
    return {
      route: key,
      provider: route.provider,
      model: route.model,
      account: route.account,
      region: route.region,
      model_groups: groups,
      circuit: {
        state: status.circuit,
        consecutive_failures: status.consecutiveFailures,
        next_trial_at: status.circuit === 'open' && status.openUntil !== undefined ? iso(status.openUntil) : null,
      },
      cool_down: coolingDown
        ? status.accountCoolingDown
          ? {
              until: iso(status.coolingDownUntil!),
              scope: 'account',
              reason: status.accountCoolDownReason ?? 'account error',
            }
          : { until: iso(status.coolingDownUntil!), scope: 'route', reason: 'the provider asked to wait (RateLimited)' }
        : null,
      windows: {
        requests: windowView(status.requestsThisMinute, rpm),
        tokens: windowView(status.tokensThisMinute, tpm),
      },
      latency_ewma_ms: status.latencyEwmaMs ?? null,
      last_probe: status.lastProbe
        ? {
            at: iso(status.lastProbe.at),
            ok: status.lastProbe.ok,
            latency_ms: status.lastProbe.latencyMs,
            error_type: status.lastProbe.errorType ?? null,
            skipped: status.lastProbe.skipped ?? null,
          }
        : null,
      recent_errors: status.recentErrors,
    };
  });
}
