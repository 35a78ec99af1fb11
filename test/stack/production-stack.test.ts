import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import OpenAI from 'openai';
import { stringify } from 'yaml';
import { findOrBuildTemporalServer, pinnedTemporalServerVersion } from '../../src/temporal/temporal-server-binaries';
import { listening } from '../helpers/gateway-process';

// `npm run stack` for real: PostgreSQL, Redis, the Temporal server built from the Go module and the
// gateway's processes (two combined, or two workers and two APIs apart), each its own process, on
// free ports and a throwaway data folder.
interface StackState {
  temporalAddress: string;
  namespace: string;
  apiUrls: string[];
  processes: Array<{ name: string; pid: number }>;
  ports: Array<{ part: string; port: number; variable: string }>;
}

const devKey = `gw-test-${randomUUID()}`;
const startTimeoutMs = 240_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const expectedProcesses = {
  combined: ['postgresql', 'redis', 'temporal-server', 'simulator', 'gateway-1', 'gateway-2'],
  split: ['postgresql', 'redis', 'temporal-server', 'simulator', 'worker-1', 'worker-2', 'api-1', 'api-2'],
} as const;

for (const topology of ['combined', 'split'] as const) {
  describe(`npm run stack: the production topology (${topology})`, () => {
    let dataDir: string;
    let stack: ChildProcess;
    let output = '';
    let exited: Promise<number | null>;
    let state: StackState;

    before(async () => {
      const lookup = findOrBuildTemporalServer({ build: false });
      assert.ok(
        lookup.binaries,
        `The Temporal server ${pinnedTemporalServerVersion} is not built: run \`npm run temporal:server\` (\`.ci/run\` does) first. Tried:\n- ${lookup.tried.join('\n- ')}`,
      );
      dataDir = mkdtempSync(join(tmpdir(), 'gateway-stack-'));
      chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as another user, who must reach its folder
      // One route whose key variable is unset, so the stack serves it from its provider simulator.
      const configPath = join(dataDir, 'gateway.yaml');
      writeFileSync(
        configPath,
        stringify({
          providers: [
            {
              id: 'openai',
              kind: 'openai',
              accounts: [
                {
                  id: 'primary',
                  apiKeyEnv: 'STACK_TEST_UNSET_OPENAI_KEY',
                  regions: [{ id: 'us', baseUrl: 'http://127.0.0.1:9/v1' }],
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
        }),
      );
      const environment: NodeJS.ProcessEnv = {
        ...process.env,
        STACK_TOPOLOGY: topology,
        STACK_FREE_PORTS: '1',
        STACK_DATA_DIR: join(dataDir, 'stack'),
        GATEWAY_CONFIG: configPath,
        GATEWAY_DEV_KEY: devKey,
        LOG_LEVEL: 'warn',
      };
      delete environment.STACK_TEST_UNSET_OPENAI_KEY;
      stack = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack.ts'], {
        env: environment,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      exited = new Promise((resolve) => stack.once('exit', (code) => resolve(code)));
      const collect = (chunk: Buffer) => (output += chunk.toString());
      stack.stdout!.on('data', collect);
      stack.stderr!.on('data', collect);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`npm run stack was not up within ${startTimeoutMs / 1000} s:\n${output}`)),
          startTimeoutMs,
        );
        stack.stdout!.on('data', () => output.includes('Press Ctrl-C to stop.') && (clearTimeout(timer), resolve()));
        void exited.then(
          (code) => (
            clearTimeout(timer),
            reject(new Error(`npm run stack exited (${code}) before it was up:\n${output}`))
          ),
        );
      });
      state = JSON.parse(readFileSync(join(dataDir, 'stack', 'stack.json'), 'utf8')) as StackState;
    });

    after(async () => {
      if (stack && stack.exitCode === null && stack.signalCode === null) {
        stack.kill('SIGKILL'); // its parts are started with a parent-death signal and go with it
        await exited;
      }
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('serves a chat completion through each API port, recorded in Temporal, and stops leaving nothing running', async () => {
      assert.deepEqual(
        state.processes.map((part) => part.name),
        expectedProcesses[topology],
        output,
      );
      assert.equal(state.apiUrls.length, 2, output);
      const ids: string[] = [];
      for (const [index, baseURL] of state.apiUrls.entries()) {
        const openai = new OpenAI({ apiKey: devKey, baseURL, maxRetries: 0, timeout: 60_000 });
        const { data, response } = await openai.chat.completions
          .create({ model: 'chat-default', messages: [{ role: 'user', content: `through API ${index + 1}` }] })
          .withResponse();
        assert.equal(data.choices[0]?.message.content, `Simulated reply to: through API ${index + 1}`);
        ids.push(response.headers.get('x-gateway-inference-id')!);
      }
      // Either API reads back an inference the other one took.
      for (const [index, id] of ids.entries()) {
        const other = state.apiUrls[(index + 1) % state.apiUrls.length];
        const lookup = await fetch(`${other}/inferences/${id}`, { headers: { authorization: `Bearer ${devKey}` } });
        assert.equal(lookup.status, 200);
        assert.equal(((await lookup.json()) as { status: string }).status, 'completed');
      }

      const connection = await Connection.connect({ address: state.temporalAddress });
      try {
        const client = new Client({ connection, namespace: state.namespace });
        for (const id of ids) {
          const description = await client.workflow.getHandle(id).describe();
          assert.equal(description.type, 'inferenceV2');
          assert.equal(description.status.name, 'COMPLETED');
        }
        // Visibility (the second PostgreSQL database) lists them too, by a gateway search attribute.
        const listed: string[] = [];
        for await (const workflow of client.workflow.list({ query: 'GatewayOutcome = "success"' }))
          listed.push(workflow.workflowId);
        assert.deepEqual(listed.filter((id) => ids.includes(id)).sort(), [...ids].sort());
      } finally {
        await connection.close();
      }

      // The Temporal worker service is given a gRPC port but serves none; every other port is in use.
      for (const { part, port, variable } of state.ports) {
        if (variable !== 'STACK_TEMPORAL_WORKER_PORT')
          assert.ok(await listening(port), `${part} should listen on ${port} (${variable})`);
      }
      stack.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      assert.match(output, /Stopped every part of the stack/);
      const stillListening = [];
      for (const { port } of state.ports) if (await listening(port)) stillListening.push(port);
      assert.deepEqual(stillListening, [], `ports still listening after the stack stopped:\n${output}`);
      assert.deepEqual(
        state.processes.filter((part) => isAlive(part.pid)),
        [],
        'processes left running',
      );
    });
  });
}
