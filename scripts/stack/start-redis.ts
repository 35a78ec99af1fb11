// Redis for the state the gateway processes share (route health, quotas, tenant windows, spend,
// sessions), the pub/sub that carries streamed tokens and cancellations between them, and large
// payloads: Debian's redis-server in the stack's data folder, with append-only persistence.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loopback } from './stack-options';
import { StackPartError } from './stack-part-error';
import { startStackProcess, type StackProcess } from './stack-process';

const part = 'Redis';

export interface RunningRedis {
  process: StackProcess;
  url: string;
}

function findRedisServer(tried: string[]): string | undefined {
  const candidates = [process.env.STACK_REDIS_SERVER, 'redis-server'].filter((value): value is string =>
    Boolean(value),
  );
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
    tried.push(
      `${candidate} --version (${candidate === process.env.STACK_REDIS_SERVER ? 'STACK_REDIS_SERVER' : 'PATH'}: not found or does not run)`,
    );
  }
  return undefined;
}

export async function startRedis(options: { dataDir: string; logDir: string; port: number }): Promise<RunningRedis> {
  const tried: string[] = [];
  const executable = findRedisServer(tried);
  if (!executable)
    throw new StackPartError(
      part,
      'redis-server is not installed: `apt-get install redis-server` (Debian), or set STACK_REDIS_SERVER',
      tried,
    );
  const directory = join(options.dataDir, 'redis');
  mkdirSync(directory, { recursive: true });
  const redis = startStackProcess(
    'redis',
    executable,
    [
      '--port',
      String(options.port),
      '--bind',
      loopback,
      '--dir',
      directory,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    { logFile: join(options.logDir, 'redis.log'), stopGraceMs: 10_000 },
  );
  try {
    await redis.waitForLine(/Ready to accept connections/i, 30_000);
  } catch (error) {
    await redis.stop();
    throw new StackPartError(
      part,
      `redis-server on port ${options.port} did not start: ${(error as Error).message}:\n${redis.recentOutput()}`,
      [`${executable} --port ${options.port} --dir ${directory} --appendonly yes`],
    );
  }
  return { process: redis, url: `redis://${loopback}:${options.port}` };
}
