import type { PayloadCodec } from '@temporalio/common';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { after, before, beforeEach } from 'node:test';
import type { Logger } from 'pino';
import { GatewayKeyring } from '../../src/api/admission/gateway-keys';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import { startGateway, type RunningGateway } from '../../src/gateway/start-gateway';
import type { GatewayTracing } from '../../src/observability/tracing';
import type { GatewayStateStore } from '../../src/state/route-state-store';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator';
import type { StreamChannel } from '../../src/streaming/stream-channel';
import { FileStorageDriver } from '../../src/temporal/file-storage-driver';
import { LargePayloadCodec } from '../../src/temporal/large-payload-codec';
import { payloadStorageThresholdBytes } from '../../src/temporal/payload-storage-from-environment';
import { memoryStateStore } from './memory-state-store';
import { startTestTemporal, workflowBundle, type TestTemporal, type TestTemporalOptions } from './test-temporal';

export interface TestStack {
  temporal: TestTemporal;
  simulator: RunningSimulator;
  gateway: RunningGateway;
  config: GatewayConfig;
  gatewayKey: string;
  /** The worker's live routing state. */
  store: GatewayStateStore;
  /** Where large payloads are kept outside Temporal history. */
  payloadDir: string;
  /** A key of another tenant, for isolation checks. */
  otherTenantKey: string;
  /** A key scoped to the `chat-default` group, whose traffic is `batch` by default. */
  scopedKey: string;
  stop(): Promise<void>;
}

/** Provider secrets the test worker sees; the simulator treats each key as the account's name. */
export const testProviderEnvironment = {
  TEST_OPENAI_KEY: 'primary',
  TEST_ANTHROPIC_KEY: 'anthropic-main',
  TEST_ONPREM_KEY: 'onprem',
  TEST_BEDROCK_ACCESS_KEY_ID: 'AKIDTESTBEDROCK',
  TEST_BEDROCK_SECRET_ACCESS_KEY: 'sk-simulator-test-secret',
};

/** The model group of each provider kind in simulatorConfig, and the simulator's call counter of its route. */
export const simulatorRoutes = [
  { modelGroup: 'chat-default', provider: 'openai', counter: 'openai/primary/us/sim-gpt' },
  { modelGroup: 'claude', provider: 'anthropic', counter: 'anthropic/anthropic-main/us/claude-sim' },
  { modelGroup: 'nova', provider: 'bedrock', counter: 'bedrock/AKIDTESTBEDROCK/us-east-1/us.amazon.nova-lite-v1:0' },
  { modelGroup: 'local-llm', provider: 'vllm', counter: 'openai/onprem/dc1/llama-sim' },
] as const;

/** A tool in OpenAI's shape, for tool-call tests on every provider kind. */
export const weatherTool: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/** One model group per provider kind, every route served by the simulator. */
export function simulatorConfig(
  simulator: Pick<RunningSimulator, 'url' | 'openAIBaseUrl' | 'anthropicBaseUrl'>,
): GatewayConfig {
  return parseConfig({
    providers: [
      {
        id: 'openai',
        kind: 'openai',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'primary',
            apiKeyEnv: 'TEST_OPENAI_KEY',
            regions: [{ id: 'us', baseUrl: simulator.openAIBaseUrl('us') }],
          },
        ],
      },
      {
        id: 'anthropic',
        kind: 'anthropic',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'anthropic-main',
            apiKeyEnv: 'TEST_ANTHROPIC_KEY',
            regions: [{ id: 'us', baseUrl: simulator.anthropicBaseUrl('us') }],
          },
        ],
      },
      {
        id: 'bedrock',
        kind: 'bedrock',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'aws-main',
            credentials: {
              type: 'static',
              accessKeyIdEnv: 'TEST_BEDROCK_ACCESS_KEY_ID',
              secretAccessKeyEnv: 'TEST_BEDROCK_SECRET_ACCESS_KEY',
            },
            regions: [{ id: 'us-east-1', baseUrl: simulator.url }],
          },
        ],
      },
      {
        id: 'vllm',
        kind: 'openai-compatible',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'onprem',
            apiKeyEnv: 'TEST_ONPREM_KEY',
            regions: [{ id: 'dc1', baseUrl: simulator.openAIBaseUrl('dc1') }],
          },
        ],
      },
    ],
    modelGroups: [
      {
        name: 'chat-default',
        deployments: [
          {
            provider: 'openai',
            model: 'sim-gpt',
            account: 'primary',
            region: 'us',
            pricing: { inputPerMillion: 1, outputPerMillion: 2 },
          },
        ],
      },
      {
        name: 'claude',
        deployments: [{ provider: 'anthropic', model: 'claude-sim', account: 'anthropic-main', region: 'us' }],
      },
      {
        name: 'nova',
        deployments: [
          { provider: 'bedrock', model: 'us.amazon.nova-lite-v1:0', account: 'aws-main', region: 'us-east-1' },
        ],
      },
      { name: 'local-llm', deployments: [{ provider: 'vllm', model: 'llama-sim', account: 'onprem', region: 'dc1' }] },
    ],
  });
}

/** Temporal + simulator + worker + API, each real, on free loopback ports. */
export async function startTestStack(
  configFor: (simulator: RunningSimulator) => GatewayConfig = simulatorConfig,
  environment: Record<string, string> = testProviderEnvironment,
  logger?: Logger,
  storeFor: (config: GatewayConfig) => GatewayStateStore = memoryStateStore,
  /** The stream channel; the process's own (in memory) when omitted. */
  streams?: StreamChannel,
  temporalOptions: TestTemporalOptions = {},
  /** The client's and worker's payload codec (payloads are plain JSON without one). */
  payloadCodec?: PayloadCodec,
  /** Traces every inference (see startTracing); off when omitted. */
  tracing?: GatewayTracing,
): Promise<TestStack> {
  const temporal = await startTestTemporal(temporalOptions);
  const simulator = await startSimulator();
  const config = configFor(simulator);
  const gatewayKey = `gw-test-${randomUUID()}`;
  const keyring = new GatewayKeyring(() => config);
  // An admin key (it may decode payloads through the codec endpoint and read all usage).
  keyring.add(gatewayKey, 'tenant-test', { admin: true });
  const otherTenantKey = `gw-test-${randomUUID()}`;
  keyring.add(otherTenantKey, 'tenant-other');
  const scopedKey = `gw-test-${randomUUID()}`;
  keyring.add(scopedKey, 'tenant-test', { modelGroups: ['chat-default'], defaultTrafficClass: 'batch' });
  const store = storeFor(config);
  // Large payloads go to files of this stack's own, as the embedded stack keeps them under .data/.
  const payloadDir = mkdtempSync(join(tmpdir(), 'gateway-payloads-'));
  const gateway = await startGateway({
    store,
    streams,
    logger,
    temporalAddress: temporal.address,
    namespace: temporal.namespace,
    getConfig: () => config,
    keyring,
    port: 0,
    // A task queue of its own, so a shared TEMPORAL_ADDRESS server never mixes test runs.
    taskQueue: `inference-test-${randomUUID()}`,
    environment,
    workflowBundle: await workflowBundle({ tracing: tracing !== undefined }),
    tracing,
    payloadCodec,
    temporalUiUrl: temporal.uiUrl,
    payloadStorage: new LargePayloadCodec(new FileStorageDriver(payloadDir), payloadStorageThresholdBytes),
  });
  return {
    temporal,
    simulator,
    gateway,
    config,
    gatewayKey,
    store,
    payloadDir,
    otherTenantKey,
    scopedKey,
    async stop() {
      await gateway.stop();
      await simulator.stop();
      await temporal.stop();
      rmSync(payloadDir, { recursive: true, force: true });
    },
  };
}

/** An OpenAI client on the stack's gateway, with its admin key unless given another; it never retries. */
export function gatewayOpenAI(stack: TestStack, apiKey = stack.gatewayKey): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
}

/**
 * One stack for the enclosing `describe` block: started before its tests, stopped after them, with
 * the simulator's faults and call counts cleared before each test. Read `stack` and `openai` inside tests.
 */
export function useTestStack(configFor: (simulator: RunningSimulator) => GatewayConfig): {
  readonly stack: TestStack;
  readonly openai: OpenAI;
} {
  let stack: TestStack | undefined;
  let openai: OpenAI | undefined;
  before(async () => {
    stack = await startTestStack(configFor);
    openai = gatewayOpenAI(stack);
  });
  after(async () => stack?.stop());
  beforeEach(() => {
    stack!.simulator.setFaults([]);
    stack!.simulator.calls.clear();
  });
  return {
    get stack() {
      assert.ok(stack, 'the test stack has not started');
      return stack;
    },
    get openai() {
      assert.ok(openai, 'the test stack has not started');
      return openai;
    },
  };
}
