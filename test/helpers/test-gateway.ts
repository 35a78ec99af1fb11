import { randomUUID } from 'node:crypto';
import { GatewayKeyring } from '../../src/api/gateway-keys';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import { startGateway, type RunningGateway } from '../../src/gateway/start-gateway';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator';
import { startTestTemporal, workflowBundle, type TestTemporal } from './test-temporal';

export interface TestStack {
  temporal: TestTemporal;
  simulator: RunningSimulator;
  gateway: RunningGateway;
  config: GatewayConfig;
  gatewayKey: string;
  /** A key of another tenant, for isolation checks. */
  otherTenantKey: string;
  stop(): Promise<void>;
}

export const testProviderKeyEnv = 'TEST_SIMULATOR_KEY';

/** A config with one model group served by the simulator through the openai adapter. */
export function simulatorConfig(simulatorBaseUrl: string): GatewayConfig {
  return parseConfig({
    providers: [
      {
        id: 'openai',
        kind: 'openai',
        timeoutMs: 10_000,
        accounts: [{ id: 'primary', apiKeyEnv: testProviderKeyEnv, regions: [{ id: 'us', baseUrl: simulatorBaseUrl }] }],
      },
    ],
    modelGroups: [{ name: 'chat-default', deployments: [{ provider: 'openai', model: 'sim-gpt', account: 'primary', region: 'us' }] }],
  });
}

/** Temporal + simulator + worker + API, each real, on free loopback ports. */
export async function startTestStack(): Promise<TestStack> {
  const temporal = await startTestTemporal();
  const simulator = await startSimulator();
  const config = simulatorConfig(simulator.baseUrl);
  const gatewayKey = `gw-test-${randomUUID()}`;
  const keyring = new GatewayKeyring();
  keyring.add(gatewayKey, 'tenant-test');
  const otherTenantKey = `gw-test-${randomUUID()}`;
  keyring.add(otherTenantKey, 'tenant-other');
  const gateway = await startGateway({
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    config,
    keyring,
    port: 0,
    // A task queue of its own, so a shared TEMPORAL_ADDRESS server never mixes test runs.
    taskQueue: `inference-test-${randomUUID()}`,
    environment: { [testProviderKeyEnv]: 'sk-simulator-test-secret' },
    workflowBundle: await workflowBundle(),
  });
  return {
    temporal,
    simulator,
    gateway,
    config,
    gatewayKey,
    otherTenantKey,
    async stop() {
      await gateway.stop();
      await simulator.stop();
      await temporal.stop();
    },
  };
}
