// The production stack as `npm run stack` starts it (scripts/stack.ts): PostgreSQL, Redis, the
// Temporal server built from go.temporal.io/server, and one combined gateway process (API and
// worker) on them, with the bench's config and key, on free ports and a throwaway data directory.
// A floor on the same Temporal server comes with it, so the report shows what the real server
// changes for both.
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { cleanEnvironment } from '../bench-environment';
import { benchKeyVariable } from '../bench-gateway-config';
import { spawnChild, type RunningChild } from '../child-processes';
import type { FloorShape } from '../floor/floor-types';
import { descendantsOf } from '../process-table';
import type { Upstream } from '../start-upstream';
import { waitUntilAnswers, type ProbeRequest } from '../wait-until-answers';
import type { BenchTarget } from './bench-target';
import { startFloor } from './start-floor';

export interface StackTargetOptions {
  repoRoot: string;
  configPath: string;
  upstream: Upstream;
  devKey: string;
  dataDir: string;
  floorShapes: readonly FloorShape[];
  probe: Omit<ProbeRequest, 'url' | 'headers'>;
}

export type StackStart =
  { started: true; targets: BenchTarget[]; processes: RunningChild[] } | { started: false; reason: string };

/** The value after `label:` on one of the stack's address lines ("Gateway API 1:   http://…"). */
function addressLine(output: string, label: string): string | undefined {
  return output
    .split('\n')
    .find((line) => line.startsWith(`${label}:`))
    ?.slice(label.length + 1)
    .trim();
}

export async function startStackTarget(options: StackTargetOptions): Promise<StackStart> {
  mkdirSync(options.dataDir, { recursive: true });
  // Run as root, the stack starts PostgreSQL as the postgres user, who must reach its data folder:
  // the bench's temporary directory is private (0700) until this.
  chmodSync(dirname(options.dataDir), 0o755);
  const stack = spawnChild('stack', process.execPath, ['--import', 'tsx', 'scripts/stack.ts'], {
    cwd: options.repoRoot,
    env: cleanEnvironment({
      STACK_FREE_PORTS: '1',
      STACK_DATA_DIR: options.dataDir,
      STACK_APIS: '1',
      GATEWAY_CONFIG: options.configPath,
      GATEWAY_DEV_KEY: options.devKey,
      LOG_LEVEL: 'warn',
      [benchKeyVariable]: options.upstream.apiKey,
    }),
    stopGraceMs: 60_000,
    // It stops every part it started on SIGTERM; SIGKILL would leave them running.
    parentDeathSignal: 'TERM',
  });
  try {
    await stack.waitForLine(/^Press Ctrl-C to stop\./, 600_000);
  } catch (error) {
    await stack.stop();
    const lines = (error as Error).message.split('\n').filter((line) => /failed|not found|missing|Error/i.test(line));
    return {
      started: false,
      reason: `npm run stack did not come up: ${lines.slice(0, 2).join(' ') || (error as Error).message.split('\n')[0]}`,
    };
  }
  const output = stack.recentOutput();
  const api = /^(\S+) .*pid (\d+)\)/.exec(addressLine(output, 'Gateway API 1') ?? '');
  const temporalAddress = /^(\S+)/.exec(addressLine(output, 'Temporal server') ?? '')?.[1];
  const below = descendantsOf(stack.pid);
  const temporal = below.find((stat) => stat.command.startsWith('temporal-server'));
  // The postmaster; its backends are its children, counted with it.
  const postgres = below.find(
    (stat) =>
      stat.command === 'postgres' &&
      !below.some((other) => other.command === 'postgres' && other.pid === stat.parentPid),
  );
  const redis = below.find((stat) => stat.command === 'redis-server');
  if (!api || !temporalAddress || !temporal || !postgres) {
    await stack.stop();
    return {
      started: false,
      reason: `npm run stack came up, but its API, Temporal server or PostgreSQL could not be found in its output and processes:\n${output}`,
    };
  }
  const [, apiUrl, apiPid] = api;
  const gateway: BenchTarget = {
    name: 'stack gateway',
    kind: 'stack-gateway',
    chatUrl: `${apiUrl!.replace(/\/v1\/?$/, '')}/v1/chat/completions`,
    headers: { authorization: `Bearer ${options.devKey}` },
    measured: [
      { label: 'stack gateway', pid: Number(apiPid) },
      { label: 'temporal-server', pid: temporal.pid },
      { label: 'postgres', pid: postgres.pid, tree: true },
      ...(redis ? [{ label: 'redis', pid: redis.pid }] : []),
    ],
  };
  await waitUntilAnswers('the stack gateway', { ...options.probe, url: gateway.chatUrl, headers: gateway.headers }, [
    stack,
  ]);
  const floor = await startFloor({
    repoRoot: options.repoRoot,
    temporalAddress: temporalAddress!,
    temporalPid: temporal.pid,
    upstream: options.upstream,
    shapes: options.floorShapes,
    probe: options.probe,
  });
  const floors = floor.targets.map((target) => ({
    ...target,
    name: target.name.replace('floor', 'stack floor'),
    kind: 'stack-floor' as const,
    measured: [
      { label: 'stack floor', pid: floor.process.pid },
      { label: 'temporal-server', pid: temporal.pid },
      { label: 'postgres', pid: postgres.pid, tree: true },
    ],
  }));
  return { started: true, targets: [...floors, gateway], processes: [floor.process, stack] };
}
