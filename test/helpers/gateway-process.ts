import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePorts } from './free-port';

export interface Gateway {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
  temporalPort: number;
  /** The API's base URL. */
  url: string;
}

const dataDirs: string[] = [];

/** Deletes the data directories of every gateway process started so far. */
export function removeDataDirectories(): void {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The embedded gateway in a process of its own, on ports of its own: `npm start` as the README
 * runs it (node + tsx on src/main.ts) by default, or another entry point such as `dist/main.js`.
 */
export async function startGatewayProcess({
  temporalPort,
  args = ['--import', 'tsx', 'src/main.ts'],
  environment = {},
}: { temporalPort?: number; args?: string[]; environment?: Record<string, string> } = {}): Promise<Gateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-process-'));
  dataDirs.push(dataDir);
  const [apiPort, uiPort, ownTemporalPort] = await freePorts(3);
  const port = temporalPort ?? ownTemporalPort!;
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      PORT: String(apiPort),
      TEMPORAL_PORT: String(port),
      TEMPORAL_UI_PORT: String(uiPort),
      GATEWAY_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: '',
      LOG_LEVEL: 'silent',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit, temporalPort: port, url: `http://127.0.0.1:${apiPort}` };
}

/** Waits until the gateway prints that it is ready; fails with its output if it exits first. */
export async function started(gateway: Gateway): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!gateway.output().includes('Press Ctrl-C to stop.')) {
    if (gateway.child.exitCode !== null) assert.fail(`the gateway exited while starting:\n${gateway.output()}`);
    if (Date.now() > deadline) assert.fail(`the gateway did not start in time:\n${gateway.output()}`);
    await delay(100);
  }
}

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function portFreedWithin(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await listening(port))) return true;
    await delay(200);
  }
  return false;
}
