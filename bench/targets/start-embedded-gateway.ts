// The gateway as users run it: `node --import tsx src/main.ts` (what `npm start` runs), with its
// embedded Temporal dev server, which every other Temporal target of the bench then shares.
import { readlinkSync } from 'node:fs';
import { cleanEnvironment, measuredNodeArguments } from '../bench-environment';
import { benchKeyVariable } from '../bench-gateway-config';
import { spawnChild, type RunningChild } from '../child-processes';
import { freePorts } from '../../test/helpers/free-port';
import { descendantsOf } from '../process-table';
import type { Upstream } from '../start-upstream';
import { waitUntilAnswers, type ProbeRequest } from '../wait-until-answers';
import type { BenchTarget } from './bench-target';

export interface EmbeddedGateway {
  target: BenchTarget;
  process: RunningChild;
  temporalAddress: string;
  temporalPid: number;
  /** The Temporal CLI the gateway started, as /proc/<pid>/exe names it. */
  temporalExecutable: string;
}

export interface EmbeddedGatewayOptions {
  repoRoot: string;
  configPath: string;
  upstream: Upstream;
  dataDir: string;
  devKey: string;
  probe: Omit<ProbeRequest, 'url' | 'headers'>;
  logLevel?: string;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export async function startEmbeddedGateway(options: EmbeddedGatewayOptions): Promise<EmbeddedGateway> {
  const [port, temporalPort, uiPort] = await freePorts(3);
  const gateway = spawnChild('gateway', process.execPath, measuredNodeArguments('src/main.ts'), {
    cwd: options.repoRoot,
    env: cleanEnvironment({
      GATEWAY_CONFIG: options.configPath,
      GATEWAY_DEV_KEY: options.devKey,
      GATEWAY_DATA_DIR: options.dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      LOG_LEVEL: options.logLevel ?? 'warn',
      [benchKeyVariable]: options.upstream.apiKey,
    }),
    stopGraceMs: 20_000,
    // It stops its Temporal server on SIGTERM; SIGKILL would leave that server running.
    parentDeathSignal: 'TERM',
  });
  const url = `http://127.0.0.1:${port}/v1/chat/completions`;
  const headers = { authorization: `Bearer ${options.devKey}` };
  await gateway.waitForLine(/^Gateway API:/, 180_000);
  await waitUntilAnswers('the gateway', { ...options.probe, url, headers }, [gateway]);
  const simulated = gateway
    .recentOutput()
    .split('\n')
    .find((line) => line.startsWith('No provider API key is set'));
  if (simulated)
    throw new Error(
      `the gateway switched to its built-in simulator, so it would not call the bench's upstream: ${simulated}`,
    );

  // The Temporal server is the gateway's child process named `temporal`.
  let temporal = descendantsOf(gateway.pid).find((stat) => stat.command === 'temporal');
  for (let attempt = 0; attempt < 20 && !temporal; attempt++) {
    await sleep(250);
    temporal = descendantsOf(gateway.pid).find((stat) => stat.command === 'temporal');
  }
  if (!temporal) throw new Error(`no process named "temporal" below the gateway (pid ${gateway.pid})`);
  let temporalExecutable = 'temporal';
  try {
    temporalExecutable = readlinkSync(`/proc/${temporal.pid}/exe`);
  } catch {
    // keep the bare name
  }
  return {
    target: {
      name: 'gateway',
      kind: 'gateway',
      chatUrl: url,
      headers,
      measured: [
        { label: 'gateway', pid: gateway.pid },
        { label: 'temporal', pid: temporal.pid },
      ],
    },
    process: gateway,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    temporalPid: temporal.pid,
    temporalExecutable,
  };
}
