// The floor target: bench/floor/floor-server.ts in its own process, on the gateway's Temporal
// server, on its own task queue. One process serves every shape (the path picks it).
import { cleanEnvironment, measuredNodeArguments } from '../bench-environment';
import { spawnChild, type RunningChild } from '../child-processes';
import type { FloorShape } from '../floor/floor-types';
import type { Upstream } from '../start-upstream';
import { waitUntilAnswers, type ProbeRequest } from '../wait-until-answers';
import type { BenchTarget } from './bench-target';

export interface FloorOptions {
  repoRoot: string;
  temporalAddress: string;
  temporalPid: number;
  upstream: Upstream;
  shapes: readonly FloorShape[];
  probe: Omit<ProbeRequest, 'url' | 'headers'>;
}

export async function startFloor(options: FloorOptions): Promise<{ targets: BenchTarget[]; process: RunningChild }> {
  const floor = spawnChild('floor', process.execPath, measuredNodeArguments('bench/floor/floor-server.ts'), {
    cwd: options.repoRoot,
    env: cleanEnvironment({
      TEMPORAL_ADDRESS: options.temporalAddress,
      FLOOR_TASK_QUEUE: 'bench-floor',
      FLOOR_UPSTREAM_BASE_URL: options.upstream.openAIBaseUrl,
      FLOOR_UPSTREAM_KEY: options.upstream.apiKey,
    }),
  });
  const line = await floor.waitForLine(/"event":"listening"/, 180_000);
  const { url } = JSON.parse(line) as { url: string };
  const targets = options.shapes.map((shape): BenchTarget => ({
    name: `floor (${shape})`,
    kind: 'floor',
    chatUrl: `${url}/${shape}/chat/completions`,
    headers: {},
    measured: [
      { label: 'floor', pid: floor.pid },
      { label: 'temporal', pid: options.temporalPid },
    ],
  }));
  for (const target of targets)
    await waitUntilAnswers(target.name, { ...options.probe, url: target.chatUrl, headers: target.headers }, [floor]);
  return { targets, process: floor };
}
