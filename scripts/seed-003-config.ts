// Seed 003's quota-driven fallback scenarios, shared by `npm run demo` and the routing tests.
import type { GatewayConfig } from '../src/config/gateway-config-schema';
import { parseConfig } from '../src/config/load-config';
import type { RunningSimulator } from '../src/simulator/start-simulator';

/** Provider keys for the seed scenarios; the simulator reads each key as the account's name. */
export const seedEnvironment = { SEED_KEY_PRIMARY: 'primary', SEED_KEY_PRIMARY_B: 'primary-b', SEED_KEY_FALLBACK: 'fallback' };

export const seedDemoGroups = [
  // (a) a primary at 3 RPM and a fallback at 25 RPM.
  { name: 'seed-a', deployments: [
    { provider: 'openai', model: 'seed-a-model', account: 'primary', region: 'us', rpm: 3 },
    { provider: 'openai', model: 'seed-a-model', account: 'fallback', region: 'us', rpm: 25, priority: 1 },
  ] },
  // (b) two primaries at 3 RPM each and a fallback at 25 RPM.
  { name: 'seed-b', deployments: [
    { provider: 'openai', model: 'seed-b-model', account: 'primary', region: 'us', rpm: 3 },
    { provider: 'openai', model: 'seed-b-model', account: 'primary-b', region: 'us', rpm: 3 },
    { provider: 'openai', model: 'seed-b-model', account: 'fallback', region: 'us', rpm: 25, priority: 1 },
  ] },
];

export function seedAccounts(simulator: RunningSimulator) {
  const account = (id: string, apiKeyEnv: string) => ({ id, apiKeyEnv, regions: [{ id: 'us', baseUrl: simulator.openAIBaseUrl('us') }] });
  return [account('primary', 'SEED_KEY_PRIMARY'), account('primary-b', 'SEED_KEY_PRIMARY_B'), account('fallback', 'SEED_KEY_FALLBACK')];
}

export function seedDemoConfig(simulator: RunningSimulator): GatewayConfig {
  return parseConfig({
    providers: [{ id: 'openai', kind: 'openai', timeoutMs: 10_000, accounts: seedAccounts(simulator) }],
    modelGroups: seedDemoGroups,
    routing: { probeIntervalSeconds: 0 },
  });
}
