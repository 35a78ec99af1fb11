import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import OpenAI from 'openai';
import { stringify } from 'yaml';
import Redis from 'ioredis';
import { GatewayKeyring, hashKey } from '../../src/api/admission/gateway-keys';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import { startApiServer, type RunningApiServer } from '../../src/gateway/start-api-server';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator';
import { budgetPeriods, usagePeriod } from '../../src/state/budget-periods';
import { RedisTenantStateStore } from '../../src/state/redis-tenant-state-store';
import type { InferenceResult } from '../../src/workflows/inference-types';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';
import { testProviderEnvironment } from '../helpers/test-gateway';
import { startTestTemporal, type TestTemporal } from '../helpers/test-temporal';

// The worker runs as its own process (src/worker-main.ts), as in the split deployment, so the
// test can kill it with SIGKILL mid-call; the API runs in this process and is restarted too. The
// worker keeps its state in Redis, as in production, so the test can read what the tenant was billed.
const taskQueue = `inference-crash-${randomUUID()}`;
const gatewayKey = `gw-test-${randomUUID()}`;

describe('crash safety on a real Temporal server', () => {
  let temporal: TestTemporal;
  let redis: TestRedis;
  let simulator: RunningSimulator;
  let connection: Connection;
  let api: RunningApiServer;
  let configDir: string;
  let gatewayConfig: GatewayConfig;
  const workers: ChildProcess[] = [];
  const keyring = new GatewayKeyring();
  keyring.add(gatewayKey, 'crash-tenant');

  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker-main.ts'], {
      env: {
        ...process.env,
        ...testProviderEnvironment,
        REDIS_URL: redis.url,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        GATEWAY_TASK_QUEUE: taskQueue,
        GATEWAY_CONFIG: join(configDir, 'gateway.yaml'),
        GATEWAY_PAYLOAD_DIR: join(configDir, 'payloads'),
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    workers.push(child);
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before polling`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('polling task queue')) resolve(child);
      });
    });
  }

  const startApi = async (getConfig: () => GatewayConfig) =>
    startApiServer({
      client: new Client({ connection, namespace: temporal.namespace }),
      getConfig,
      keyring,
      taskQueue,
      port: 0,
      host: '127.0.0.1',
    });

  before(async () => {
    temporal = await startTestTemporal();
    redis = await startTestRedis();
    simulator = await startSimulator();
    const config = {
      providers: [
        {
          id: 'openai',
          kind: 'openai',
          timeoutMs: 4_000,
          accounts: [
            {
              id: 'primary',
              apiKeyEnv: 'TEST_OPENAI_KEY',
              regions: [{ id: 'us', baseUrl: simulator.openAIBaseUrl('us') }],
            },
          ],
        },
      ],
      modelGroups: [
        {
          name: 'chat-default',
          deployments: [{ provider: 'openai', model: 'sim-gpt', account: 'primary', region: 'us' }],
        },
      ],
      routing: { probeIntervalSeconds: 0 },
      // A budget, so that each call reserves its estimated spend and settles it.
      tenants: [{ id: 'crash-tenant', keys: [{ id: 'crash-key', sha256: hashKey(gatewayKey) }] }],
      budgets: { 'crash-tenant': { monthly: 100 } },
      prices: { 'sim-gpt': { inputPerMillion: 1, outputPerMillion: 2 } },
    };
    configDir = mkdtempSync(join(tmpdir(), 'gateway-crash-'));
    writeFileSync(join(configDir, 'gateway.yaml'), stringify(config));
    gatewayConfig = parseConfig(config);
    connection = await Connection.connect({ address: temporal.address });
    api = await startApi(() => gatewayConfig);
  });

  after(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await api?.stop();
    await connection?.close();
    await simulator?.stop();
    await temporal?.stop();
    await redis?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('finishes an inference whose worker was killed with SIGKILL mid-call, and the waiting client gets it', async () => {
    const first = await startWorker();
    // The provider takes 3 s, long enough to kill the worker while the call is in flight.
    simulator.setFaults([{ match: { model: 'sim-gpt' }, latencyMs: 3_000 }]);
    const openai = new OpenAI({ apiKey: gatewayKey, baseURL: `${api.url}/v1`, maxRetries: 0, timeout: 120_000 });
    const pending = openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: 'survive a crash' }] })
      .withResponse();
    const deadline = Date.now() + 20_000;
    while (simulator.callCount('openai/primary/us/sim-gpt') === 0) {
      assert.ok(Date.now() < deadline, 'the provider call never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.kill('SIGKILL');
    simulator.setFaults([]);
    await startWorker();
    const { data, response } = await pending;
    assert.equal(data.choices[0]?.message.content, 'Simulated reply to: survive a crash');
    assert.equal(
      simulator.callCount('openai/primary/us/sim-gpt'),
      2,
      'the killed call and its retry on the new worker',
    );
    const id = response.headers.get('x-gateway-inference-id')!;

    // An API restart loses nothing either: the result is read back from Temporal by id.
    await api.stop();
    api = await startApi(() => gatewayConfig);
    const lookup = await fetch(`${api.url}/v1/inferences/${id}`, {
      headers: { authorization: `Bearer ${gatewayKey}` },
    });
    const body = (await lookup.json()) as {
      status: string;
      decision: InferenceResult['decision'];
      result: { choices: Array<{ message: { content: string } }> };
    };
    assert.equal(body.status, 'completed');
    assert.equal(body.result.choices[0]?.message.content, 'Simulated reply to: survive a crash');

    // Billed once, and the killed call's spend reservation was taken over, not left behind: the new
    // worker ran the same selection step again, which found the reservation the dead one took.
    const cost = body.decision.attempts[0]?.cost;
    assert.ok(cost !== undefined && cost > 0, 'the call has a price');
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      const store = new RedisTenantStateStore(client);
      const now = Date.now();
      const [month] = await store.readSpend(budgetPeriods(gatewayConfig, 'crash-tenant', now), now);
      assert.deepEqual({ committed: month?.committed, reserved: month?.reserved }, { committed: cost, reserved: 0 });
      const usage = await store.readUsage(usagePeriod(now), 'crash-tenant');
      assert.deepEqual(
        usage.map((row) => [row.requests, row.cost]),
        [[1, cost]],
      );
    } finally {
      client.disconnect();
    }
  });
});
