import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { configuredRoutes } from '../routing/route-candidates';
import { routeKey } from '../routing/route';
import type { GatewayStateStore } from '../state/route-state-store';

/** The process's Prometheus registry; `GET /metrics` serves it. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'gateway_process_' });

export const requestsTotal = new Counter({
  name: 'gateway_requests_total',
  help: 'HTTP requests answered, by route and status',
  labelNames: ['endpoint', 'status'] as const,
  registers: [registry],
});

export const inferencesTotal = new Counter({
  name: 'gateway_inferences_total',
  help: 'Inferences that ended, by model group, traffic class and outcome (success or the gateway error type)',
  labelNames: ['model_group', 'traffic_class', 'outcome'] as const,
  registers: [registry],
});

export const cacheLookupsTotal = new Counter({
  name: 'gateway_cache_total',
  help: 'Response cache use by model group: hit (exact), semantic_hit, miss or bypass (caching off or Cache-Control: no-cache)',
  labelNames: ['model_group', 'result'] as const,
  registers: [registry],
});

export const cacheSavedTokensTotal = new Counter({
  name: 'gateway_cache_saved_tokens_total',
  help: 'Tokens of answers served from the response cache (exact or semantic) instead of a provider, by model group and kind',
  labelNames: ['model_group', 'kind'] as const,
  registers: [registry],
});

export const cacheSavedCostTotal = new Counter({
  name: 'gateway_cache_saved_cost_total',
  help: 'What the provider calls that cache hits (exact or semantic) replaced would have cost (the route prices), by model group',
  labelNames: ['model_group'] as const,
  registers: [registry],
});

export const fallbacksTotal = new Counter({
  name: 'gateway_fallbacks_total',
  help: 'Routes tried after the first one, summed over inferences',
  labelNames: ['model_group'] as const,
  registers: [registry],
});

export const semanticLookupDuration = new Histogram({
  name: 'gateway_semantic_cache_lookup_seconds',
  help: 'Time a semantic-cache lookup takes (embedding the prompt, scanning its partition, the guards), by model group and result',
  labelNames: ['model_group', 'result'] as const,
  buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
  registers: [registry],
});

export const inferenceDuration = new Histogram({
  name: 'gateway_inference_duration_seconds',
  help: 'Time from request to answer for synchronous inferences',
  labelNames: ['model_group', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const attemptsTotal = new Counter({
  name: 'gateway_attempts_total',
  help: 'Provider calls, by route and result (ok or the gateway error type)',
  labelNames: ['provider', 'model', 'region', 'result'] as const,
  registers: [registry],
});

export const attemptLatency = new Histogram({
  name: 'gateway_attempt_latency_seconds',
  help: 'Latency of successful provider calls',
  labelNames: ['provider', 'model', 'region'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

export const attemptTimeToFirstToken = new Histogram({
  name: 'gateway_attempt_ttft_seconds',
  help: 'Time from a streaming provider call to its first content token',
  labelNames: ['provider', 'model', 'region'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30],
  registers: [registry],
});

export const tokensTotal = new Counter({
  name: 'gateway_tokens_total',
  help: 'Tokens reported by providers, by route and kind (prompt or completion)',
  labelNames: ['provider', 'model', 'kind'] as const,
  registers: [registry],
});

export const costTotal = new Counter({
  name: 'gateway_cost_total',
  help: 'Cost of successful provider calls in the pricing currency, by route and tenant',
  labelNames: ['provider', 'model', 'tenant'] as const,
  registers: [registry],
});

const circuitValue = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Circuit state and RPM headroom of every configured route, read from live state at each scrape. */
export function registerRouteStateGauges(getConfig: () => GatewayConfig, store: GatewayStateStore): void {
  const routes = () => configuredRoutes(getConfig());
  // A process that starts a second worker (tests do) reports the newest worker's state.
  for (const name of ['gateway_route_circuit_state', 'gateway_route_requests_this_minute'])
    registry.removeSingleMetric(name);
  new Gauge({
    name: 'gateway_route_circuit_state',
    help: 'Circuit of each route: 0 closed, 1 half-open, 2 open',
    labelNames: ['route'] as const,
    registers: [registry],
    async collect() {
      const state = await store.snapshot(routes().map(routeKey), Date.now());
      for (const [route, value] of Object.entries(state)) this.set({ route }, circuitValue[value.circuit]);
    },
  });
  new Gauge({
    name: 'gateway_route_requests_this_minute',
    help: 'Requests reserved on each route in the last minute (compare with its rpm)',
    labelNames: ['route'] as const,
    registers: [registry],
    async collect() {
      const state = await store.snapshot(routes().map(routeKey), Date.now());
      for (const [route, value] of Object.entries(state)) this.set({ route }, value.requestsThisMinute);
    },
  });
}

export const guardrailVerdictsTotal = new Counter({
  name: 'gateway_guardrail_verdicts_total',
  help: 'Guardrail checks that matched, by policy, check, action (block, mask, log) and stage (input, output)',
  labelNames: ['policy', 'check', 'action', 'stage'] as const,
  registers: [registry],
});

export const guardrailRemoteCheckDuration = new Histogram({
  name: 'gateway_guardrail_remote_check_seconds',
  help: 'Time of one remote guardrail check (Bedrock Guardrails, webhook), by type, stage and outcome (pass, block, mask, log, failed)',
  labelNames: ['type', 'stage', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  registers: [registry],
});
