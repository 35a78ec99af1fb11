// Quota-driven fallback scenarios (RPM-limited primaries that overflow to a fallback account),
// shared by `npm run demo:quota` and the routing tests.
import type { GatewayConfig } from '../src/config/gateway-config-schema';
import { parseConfig } from '../src/config/load-config';
import type { RunningSimulator } from '../src/simulator/start-simulator';

/** Provider keys for the quota scenarios; the simulator reads each key as the account's name. */
export const quotaEnvironment = {
  QUOTA_KEY_PRIMARY: 'primary',
  QUOTA_KEY_PRIMARY_B: 'primary-b',
  QUOTA_KEY_FALLBACK: 'fallback',
};

export const quotaFallbackGroups = [
  // (a) a primary at 3 RPM and a fallback at 25 RPM.
  {
    name: 'quota-one-primary',
    deployments: [
      { provider: 'openai', model: 'quota-one-primary-model', account: 'primary', region: 'us', rpm: 3 },
      { provider: 'openai', model: 'quota-one-primary-model', account: 'fallback', region: 'us', rpm: 25, priority: 1 },
    ],
  },
  // (b) two primaries at 3 RPM each and a fallback at 25 RPM.
  {
    name: 'quota-two-primaries',
    deployments: [
      { provider: 'openai', model: 'quota-two-primaries-model', account: 'primary', region: 'us', rpm: 3 },
      { provider: 'openai', model: 'quota-two-primaries-model', account: 'primary-b', region: 'us', rpm: 3 },
      {
        provider: 'openai',
        model: 'quota-two-primaries-model',
        account: 'fallback',
        region: 'us',
        rpm: 25,
        priority: 1,
      },
    ],
  },
];

export function quotaAccounts(simulator: RunningSimulator) {
  const account = (id: string, apiKeyEnv: string) => ({
    id,
    apiKeyEnv,
    regions: [{ id: 'us', baseUrl: simulator.openAIBaseUrl('us') }],
  });
  return [
    account('primary', 'QUOTA_KEY_PRIMARY'),
    account('primary-b', 'QUOTA_KEY_PRIMARY_B'),
    account('fallback', 'QUOTA_KEY_FALLBACK'),
  ];
}

export function quotaFallbackConfig(simulator: RunningSimulator): GatewayConfig {
  return parseConfig({
    providers: [{ id: 'openai', kind: 'openai', timeoutMs: 10_000, accounts: quotaAccounts(simulator) }],
    modelGroups: quotaFallbackGroups,
    routing: { probeIntervalSeconds: 0 },
  });
}
