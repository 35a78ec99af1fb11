import type { GatewayConfig } from '../config/gateway-config-schema';
import { ProviderCallError } from '../providers/provider-error';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry';
import { accountKey, routeKey, type Route } from '../routing/route';
import { configuredRoutes, routeOperation } from '../routing/route-candidates';
import { embeddingAdapterFor, type EmbeddingRegistry } from '../providers/embedding-registry';
import type { GatewayStateStore } from '../state/route-state-store';
import { failureOutcome } from './call-bookkeeping';
import { resolveRouteConfig } from './resolve-route-config';

export interface ProbeResult {
  route: string;
  ok: boolean;
  latencyMs: number;
  errorType?: string;
  /** Not called: the route's circuit is open (or its half-open trial is taken). */
  skipped?: 'circuit_open';
}

/**
 * Active health probes: a one-token request per route (a one-word embedding on an embedding
 * route), feeding the same state as real traffic.
 * A probe never calls a route whose circuit is open: once the open period has passed, the probe
 * takes the route's single half-open trial (if traffic has not), so a successful probe closes the
 * circuit and a failed one opens it for another period, exactly as a failed trial call would.
 */
export function createProbeActivities(
  getConfig: () => GatewayConfig,
  adapters: ProviderRegistry,
  store: GatewayStateStore,
  environment: NodeJS.ProcessEnv,
  embeddingAdapters: EmbeddingRegistry,
) {
  return {
    async listRoutes(): Promise<Route[]> {
      return configuredRoutes(getConfig());
    },
    async probeRoute(route: Route): Promise<ProbeResult> {
      const { provider, account, region } = resolveRouteConfig(getConfig(), route);
      const key = routeKey(route);
      const { circuit } = (await store.snapshot([key], Date.now()))[key] ?? { circuit: 'closed' };
      if (circuit === 'open' || (circuit === 'half-open' && !(await store.claimTrial(key, Date.now())))) {
        await store.recordProbe(key, { at: Date.now(), ok: false, latencyMs: 0, skipped: 'circuit_open' });
        return { route: key, ok: false, latencyMs: 0, skipped: 'circuit_open' };
      }
      const started = performance.now();
      try {
        const call = { model: route.model, provider, account, region, environment };
        const response =
          routeOperation(getConfig(), route) === 'embeddings'
            ? await embeddingAdapterFor(embeddingAdapters, provider).embed({ ...call, request: { input: ['ping'] } })
            : await adapterFor(adapters, provider).chat({
                ...call,
                request: { messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 },
              });
        const latencyMs = Math.round(performance.now() - started);
        await store.record(
          routeKey(route),
          accountKey(route),
          { ok: true, latencyMs, tokens: response.usage.totalTokens },
          Date.now(),
        );
        await store.recordProbe(key, { at: Date.now(), ok: true, latencyMs });
        return { route: routeKey(route), ok: true, latencyMs };
      } catch (error) {
        const latencyMs = Math.round(performance.now() - started);
        if (!(error instanceof ProviderCallError)) throw error;
        await store.record(routeKey(route), accountKey(route), failureOutcome(error.details), Date.now());
        await store.recordProbe(key, { at: Date.now(), ok: false, latencyMs, errorType: error.details.type });
        return { route: routeKey(route), ok: false, latencyMs, errorType: error.details.type };
      }
    },
  };
}
