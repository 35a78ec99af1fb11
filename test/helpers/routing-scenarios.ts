import { quotaAccounts, quotaFallbackGroups, quotaEnvironment } from '../../scripts/quota-fallback-config';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { testProviderEnvironment } from './test-gateway';

export const scenarios = [
  'standard',
  'critical',
  'background',
  'batch',
  'experiment',
  'deterministic',
  'breaker',
  'ratelimit',
] as const;

/** Model groups for the routing scenarios; every model name is unique so no two tests share state. */
export function routingConfig(simulator: RunningSimulator): GatewayConfig {
  const account = (id: string, apiKeyEnv: string, baseUrl: string) => ({
    id,
    apiKeyEnv,
    regions: [{ id: 'us', baseUrl }],
  });
  const chainGroups = scenarios.flatMap((name) => [
    {
      name,
      quality: 5,
      fallbacks: [`${name}-peer`, `${name}-cheap`],
      deployments: [{ provider: 'openai', model: `${name}-primary`, account: 'primary', region: 'us' }],
    },
    {
      name: `${name}-peer`,
      quality: 5,
      deployments: [{ provider: 'anthropic', model: `${name}-peer`, account: 'anthropic-main', region: 'us' }],
    },
    {
      name: `${name}-cheap`,
      quality: 2,
      deployments: [{ provider: 'anthropic', model: `${name}-cheap`, account: 'anthropic-main', region: 'us' }],
    },
  ]);
  return parseConfig({
    providers: [
      {
        id: 'openai',
        kind: 'openai',
        timeoutMs: 10_000,
        accounts: quotaAccounts(simulator),
      },
      {
        id: 'anthropic',
        kind: 'anthropic',
        timeoutMs: 10_000,
        accounts: [account('anthropic-main', 'TEST_ANTHROPIC_KEY', simulator.anthropicBaseUrl('us'))],
      },
    ],
    modelGroups: [...quotaFallbackGroups, ...chainGroups],
    routing: { circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 }, probeIntervalSeconds: 0 },
  });
}

export const routingEnvironment = { ...testProviderEnvironment, ...quotaEnvironment };
