import type { GatewayConfig } from '../config/gateway-config-schema';
import { configuredRoutes } from '../routing/route-candidates';
import { routeKey, type Route } from '../routing/route';
import type { GatewayStateStore, RouteStatus } from '../state/route-state-store';

/** One route as `GET /v1/routes` shows it. */
export interface RouteStatusView {
  route: string;
  provider: string;
  model: string;
  account: string;
  region: string;
  model_groups: string[];
  circuit: { state: RouteStatus['circuit']; consecutive_failures: number; next_trial_at: string | null };
  cool_down: { until: string; scope: 'account' | 'route'; reason: string } | null;
  windows: { requests: WindowView; tokens: WindowView };
  latency_ewma_ms: number | null;
  last_probe: { at: string; ok: boolean; latency_ms: number; error_type: string | null; skipped: string | null } | null;
  /** Failed calls of the last 15 minutes, by gateway error type. */
  recent_errors: Record<string, number>;
}

interface WindowView {
  used: number;
  limit: number | null;
  remaining: number | null;
}

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
export async function routeStatusViews(config: GatewayConfig, store: GatewayStateStore, now: number): Promise<RouteStatusView[]> {
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
      circuit: { state: status.circuit, consecutive_failures: status.consecutiveFailures, next_trial_at: status.circuit === 'open' && status.openUntil !== undefined ? iso(status.openUntil) : null },
      cool_down: coolingDown
        ? status.accountCoolingDown
          ? { until: iso(status.coolingDownUntil!), scope: 'account', reason: status.accountCoolDownReason ?? 'account error' }
          : { until: iso(status.coolingDownUntil!), scope: 'route', reason: 'the provider asked to wait (RateLimited)' }
        : null,
      windows: { requests: windowView(status.requestsThisMinute, rpm), tokens: windowView(status.tokensThisMinute, tpm) },
      latency_ewma_ms: status.latencyEwmaMs ?? null,
      last_probe: status.lastProbe
        ? { at: iso(status.lastProbe.at), ok: status.lastProbe.ok, latency_ms: status.lastProbe.latencyMs, error_type: status.lastProbe.errorType ?? null, skipped: status.lastProbe.skipped ?? null }
        : null,
      recent_errors: status.recentErrors,
    };
  });
}
