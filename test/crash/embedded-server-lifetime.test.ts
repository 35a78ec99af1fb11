import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { startEmbeddedTemporal } from '../../src/temporal/embedded-temporal';
import { freePort } from '../helpers/free-port';

interface Gateway {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
  temporalPort: number;
}

const dataDirs: string[] = [];

/** `npm start` as the README runs it (node + tsx on src/main.ts), on ports of its own. */
async function startGatewayProcess(temporalPort?: number): Promise<Gateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-lifetime-'));
  dataDirs.push(dataDir);
  const port = temporalPort ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: String(await freePort()), TEMPORAL_PORT: String(port), TEMPORAL_UI_PORT: String(await freePort()), GATEWAY_DATA_DIR: dataDir, TEMPORAL_ADDRESS: '', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit, temporalPort: port };
}

async function started(gateway: Gateway): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!gateway.output().includes('Press Ctrl-C to stop.')) {
    if (gateway.child.exitCode !== null) assert.fail(`the gateway exited while starting:\n${gateway.output()}`);
    if (Date.now() > deadline) assert.fail(`the gateway did not start in time:\n${gateway.output()}`);
    await delay(100);
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function portFreedWithin(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await listening(port))) return true;
    await delay(200);
  }
  return false;
}

describe('the embedded Temporal dev server lives and dies with the gateway', () => {
  after(() => {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('stops with the gateway on SIGTERM, cleanly', async () => {
    const gateway = await startGatewayProcess();
    await started(gateway);
    assert.ok(await listening(gateway.temporalPort), 'the dev server listens while the gateway runs');
    gateway.child.kill('SIGTERM');
    assert.equal(await gateway.exit, 0);
    assert.ok(await portFreedWithin(gateway.temporalPort, 10_000), 'the dev server stopped with the gateway');
    assert.doesNotMatch(gateway.output(), /IllegalStateError|Not running/, 'the shutdown is clean');
  });

  it('dies with the gateway when the gateway is killed with SIGKILL', async () => {
    const gateway = await startGatewayProcess();
    await started(gateway);
    gateway.child.kill('SIGKILL');
    await gateway.exit;
    assert.ok(await portFreedWithin(gateway.temporalPort, 15_000), 'no orphaned dev server keeps the port');
  });

  it('fails clearly instead of attaching to a server already on its port', async () => {
    const other = await startEmbeddedTemporal();
    try {
      const port = Number(other.address.split(':').at(-1));
      const gateway = await startGatewayProcess(port);
      assert.equal(await gateway.exit, 1, 'the start fails');
      assert.match(gateway.output(), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(gateway.output(), /TEMPORAL_ADDRESS=127\.0\.0\.1:\d+/, 'it says how to use that server on purpose');
      assert.doesNotMatch(gateway.output(), /Gateway API:/);
    } finally {
      await other.stop();
    }
  });
});
