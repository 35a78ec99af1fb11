import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GatewayKeyring } from '../../src/api/admission/gateway-keys';
import { startGateway, type RunningGateway } from '../../src/gateway/start-gateway';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator';
import { startEmbeddedTemporal, type EmbeddedTemporal } from '../../src/temporal/embedded-temporal';
import type { DecisionRecord } from '../../src/workflows/inference-types';
import { freePort } from '../helpers/free-port';
import { simulatorConfig, testProviderEnvironment } from '../helpers/test-gateway';
import { installTestRuntime, workflowBundle } from '../helpers/test-temporal';

// Always a dev server of its own, even with TEMPORAL_ADDRESS set: the test stops and restarts it
// on the same port with the same SQLite file, while a batch inference waits on a timer.
describe('a Temporal dev server restart during a durable wait', () => {
  let dataDir: string;
  let port: number;
  let temporal: EmbeddedTemporal | undefined;
  let simulator: RunningSimulator;
  let gateway: RunningGateway;
  const gatewayKey = `gw-test-${randomUUID()}`;

  const startTemporal = async () => {
    temporal = await startEmbeddedTemporal({
      port,
      dbFilename: join(dataDir, 'temporal.sqlite'),
      log: (line) => console.error(line),
    });
  };
  const read = async (
    id: string,
  ): Promise<{
    status: string;
    decision?: DecisionRecord;
    result?: { choices: Array<{ message: { content: string } }> };
  }> => {
    const response = await fetch(`${gateway.url}/v1/inferences/${id}`, {
      headers: { authorization: `Bearer ${gatewayKey}` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as Awaited<ReturnType<typeof read>>;
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, limitMs: number): Promise<T> => {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what}: not reached within ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  before(async () => {
    installTestRuntime();
    dataDir = mkdtempSync(join(tmpdir(), 'gateway-restart-'));
    port = await freePort();
    await startTemporal();
    simulator = await startSimulator();
    const config = simulatorConfig(simulator);
    const keyring = new GatewayKeyring(() => config);
    keyring.add(gatewayKey, 'tenant-restart');
    gateway = await startGateway({
      temporalAddress: temporal!.address,
      namespace: temporal!.namespace,
      getConfig: () => config,
      keyring,
      port: 0,
      taskQueue: `inference-restart-${randomUUID()}`,
      environment: testProviderEnvironment,
      workflowBundle: await workflowBundle(),
    });
  });
  after(async () => {
    await gateway?.stop();
    await simulator?.stop();
    await temporal?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes the wait after the restart and serves the inference', async () => {
    // The only route answers 429 with a 12 s Retry-After once: a batch inference waits 12 s for it.
    simulator.setFaults([{ match: { model: 'sim-gpt' }, error: 'rate_limited', retryAfterSeconds: 12, times: 1 }]);
    const accepted = await fetch(`${gateway.url}/v1/inferences`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${gatewayKey}`,
        'content-type': 'application/json',
        'x-traffic-class': 'batch',
      },
      body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'survive a restart' }] }),
    });
    assert.equal(accepted.status, 202);
    const { id } = (await accepted.json()) as { id: string };
    const waiting = await until('the wait starts', async () => (await read(id)).decision?.waits?.[0], 10_000);
    assert.equal(waiting.reason, 'quota');

    await temporal!.stop();
    temporal = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await startTemporal();

    const done = await until(
      'the inference completes',
      async () => {
        const state = await read(id);
        return state.status === 'completed' ? state : undefined;
      },
      60_000,
    );
    assert.equal(done.result?.choices[0]?.message.content, 'Simulated reply to: survive a restart');
    assert.deepEqual(
      done.decision?.waits?.map((wait) => wait.until),
      [waiting.until],
      'the same wait, resumed, not a new one',
    );
    assert.deepEqual(
      done.decision?.attempts.map((attempt) => attempt.outcome),
      ['RateLimited', 'success'],
    );
    assert.equal(simulator.callCount('openai/primary/us/sim-gpt'), 2, 'one 429, then one call after the wait');
  });
});
