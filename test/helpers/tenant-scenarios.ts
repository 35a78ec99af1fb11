import { generateGatewayKey, hashKey } from '../../src/api/admission/gateway-keys';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { routingConfig } from './routing-scenarios';

/** Gateway keys of the tenant scenarios, one per role. */
export const tenantKeys = {
  sticky: generateGatewayKey('gw'),
  batchOnly: generateGatewayKey('gw'),
  tpm: generateGatewayKey('gw'),
  tiers: generateGatewayKey('gw'),
  atomic: generateGatewayKey('gw'),
  admin: generateGatewayKey('gw'),
};
const keys = tenantKeys;

/** Model groups, tenants and budgets for stickiness, budget tiers, spend atomicity and usage. */
export function tenantConfig(simulator: RunningSimulator) {
  const base = routingConfig(simulator);
  const openai = (model: string, extra = {}) => ({
    provider: 'openai',
    model,
    account: 'primary',
    region: 'us',
    ...extra,
  });
  const anthropic = (model: string, extra = {}) => ({
    provider: 'anthropic',
    model,
    account: 'anthropic-main',
    region: 'us',
    ...extra,
  });
  return parseConfig({
    providers: base.providers,
    modelGroups: [
      { name: 'sticky', quality: 5, deployments: [openai('sticky-a'), anthropic('sticky-b', { priority: 1 })] },
      {
        name: 'sticky-critical',
        quality: 5,
        fallbacks: ['sticky-critical-cheap'],
        deployments: [openai('critical-a')],
      },
      { name: 'sticky-critical-cheap', quality: 2, deployments: [anthropic('critical-cheap')] },
      {
        name: 'budget-chat',
        quality: 5,
        fallbacks: ['budget-chat-cheap'],
        deployments: [openai('budget-premium', { pricing: { inputPerMillion: 10, outputPerMillion: 30 } })],
      },
      { name: 'budget-chat-cheap', quality: 3, deployments: [anthropic('budget-cheap')] },
      // One output token costs 1: a request with max_tokens 10 reserves 10, and the simulator's
      // reply to "q" ("Simulated reply to: q") uses 6.
      {
        name: 'budget-atomic',
        deployments: [openai('atomic-model', { pricing: { inputPerMillion: 0, outputPerMillion: 1_000_000 } })],
      },
    ],
    prices: { 'budget-cheap': { inputPerMillion: 0.1, outputPerMillion: 0.2 } },
    // Critical traffic may fall back to lower quality here, so that only the session rule holds it.
    // Background and batch refusals are tested here; their durable wait for the next budget period
    // (which would depend on how near the month's end the test runs) is tested in durable-deferral.test.ts.
    trafficClasses: { critical: { qualityFloor: 'none' }, background: { defer: false }, batch: { defer: false } },
    routing: {
      probeIntervalSeconds: 0,
      circuitBreaker: { failureThreshold: 10, cooldownMs: 60_000 },
      sticky: { ttlSeconds: 600, sessionFromUser: true },
    },
    tenants: [
      {
        id: 'sticky-tenant',
        keys: [
          { id: 'sticky-key', sha256: hashKey(keys.sticky) },
          { id: 'batch-only', sha256: hashKey(keys.batchOnly), trafficClasses: ['batch'] },
          { id: 'tpm-key', sha256: hashKey(keys.tpm), tpm: 100 },
        ],
      },
      { id: 'tiers', keys: [{ id: 'tiers-key', sha256: hashKey(keys.tiers) }] },
      { id: 'atomic', keys: [{ id: 'atomic-key', sha256: hashKey(keys.atomic) }] },
      { id: 'ops', keys: [{ id: 'ops-admin', sha256: hashKey(keys.admin), admin: true }] },
    ],
    budgets: { tiers: { monthly: 10 }, atomic: { monthly: 100, daily: 1_000 } },
  });
}
