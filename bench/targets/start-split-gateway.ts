// The split deployment: src/api-main.ts and src/worker-main.ts as two processes sharing route
// state and streams through Redis, on the embedded gateway's Temporal server, on their own task
// queue, with the same config and key.
import { cleanEnvironment } from '../bench-environment';
import { benchKeyVariable } from '../bench-gateway-config';
import { spawnChild, type RunningChild } from '../child-processes';
import { freePort } from '../../test/helpers/free-port';
import type { Upstream } from '../start-upstream';
import { waitUntilAnswers, type ProbeRequest } from '../wait-until-answers';
import type { BenchTarget } from './bench-target';
import { findRedisServer, redisInstallHint, startRedis } from './start-redis';

export interface SplitOptions {
  repoRoot: string;
  configPath: string;
  upstream: Upstream;
  temporalAddress: string;
  temporalPid: number;
  devKey: string;
  /** Where Redis may keep its (unused) files. */
  redisDirectory: string;
  probe: Omit<ProbeRequest, 'url' | 'headers'>;
  logLevel?: string;
}

export type SplitStart =
  { started: true; target: BenchTarget; processes: RunningChild[] } | { started: false; reason: string };

export async function startSplitGateway(options: SplitOptions): Promise<SplitStart> {
  const redisServer = findRedisServer();
  if (!redisServer) return { started: false, reason: redisInstallHint };
  const redis = await startRedis(redisServer, options.redisDirectory);
  const port = await freePort();
  const shared = {
    GATEWAY_CONFIG: options.configPath,
    GATEWAY_TASK_QUEUE: 'bench-split',
    TEMPORAL_ADDRESS: options.temporalAddress,
    REDIS_URL: redis.url,
    LOG_LEVEL: options.logLevel ?? 'warn',
    [benchKeyVariable]: options.upstream.apiKey,
  };
  const worker = spawnChild('split worker', process.execPath, ['--import', 'tsx', 'src/worker-main.ts'], {
    cwd: options.repoRoot,
    env: cleanEnvironment(shared),
    stopGraceMs: 10_000,
  });
  const api = spawnChild('split api', process.execPath, ['--import', 'tsx', 'src/api-main.ts'], {
    cwd: options.repoRoot,
    env: cleanEnvironment({ ...shared, PORT: String(port), HOST: '127.0.0.1', GATEWAY_DEV_KEY: options.devKey }),
  });
  const target: BenchTarget = {
    name: 'split',
    kind: 'split',
    chatUrl: `http://127.0.0.1:${port}/v1/chat/completions`,
    headers: { authorization: `Bearer ${options.devKey}` },
    measured: [
      { label: 'api', pid: api.pid },
      { label: 'worker', pid: worker.pid },
      { label: 'temporal', pid: options.temporalPid },
      { label: 'redis', pid: redis.process.pid },
    ],
  };
  await waitUntilAnswers('the split gateway', { ...options.probe, url: target.chatUrl, headers: target.headers }, [
    api,
    worker,
    redis.process,
  ]);
  return { started: true, target, processes: [redis.process, worker, api] };
}
