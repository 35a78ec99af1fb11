import type { GatewayConfig } from '../config/gateway-config-schema';
import { ProviderCallError } from '../providers/provider-error';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry';
import { accountKey, routeKey, type Route } from '../routing/route';
import { configuredRoutes } from '../routing/route-candidates';
import type { RouteStateStore } from '../state/route-state-store';
import { failureOutcome } from './call-bookkeeping';
import { resolveRouteConfig } from './resolve-route-config';

export interface ProbeResult {
  route: string;
  ok: boolean;
  latencyMs: number;
  errorType?: string;
}

/** Active health probes: a one-token request per route, feeding the same state as real traffic. */
export function createProbeActivities(getConfig: () => GatewayConfig, adapters: ProviderRegistry, store: RouteStateStore, environment: NodeJS.ProcessEnv) {
  return {
    async listRoutes(): Promise<Route[]> {
      return configuredRoutes(getConfig());
    },
    async probeRoute(route: Route): Promise<ProbeResult> {
      const { provider, account, region } = resolveRouteConfig(getConfig(), route);
      const started = performance.now();
      try {
        const response = await adapterFor(adapters, provider).chat({
          model: route.model,
          request: { messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 },
          provider,
          account,
          region,
          environment,
        });
        const latencyMs = Math.round(performance.now() - started);
        await store.record(routeKey(route), accountKey(route), { ok: true, latencyMs, tokens: response.usage.totalTokens }, Date.now());
        return { route: routeKey(route), ok: true, latencyMs };
      } catch (error) {
        const latencyMs = Math.round(performance.now() - started);
        if (!(error instanceof ProviderCallError)) throw error;
        await store.record(routeKey(route), accountKey(route), failureOutcome(error.details), Date.now());
        return { route: routeKey(route), ok: false, latencyMs, errorType: error.details.type };
      }
    },
  };
}
