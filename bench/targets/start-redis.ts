// A throwaway Redis for the split target: Debian's redis-server on a free loopback port, in a
// temporary directory, with no persistence.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnChild, type RunningChild } from '../child-processes';
import { freePort } from '../../test/helpers/free-port';

export const redisInstallHint =
  'redis-server is not installed: `sudo apt-get install redis-server` (Debian/Ubuntu) to measure the split target';

export function findRedisServer(): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const candidate = join(directory, 'redis-server');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function startRedis(
  executable: string,
  directory: string,
): Promise<{ url: string; process: RunningChild }> {
  const port = await freePort();
  const redis = spawnChild(
    'redis',
    executable,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      directory,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'notice',
    ],
    { stopGraceMs: 5_000 },
  );
  await redis.waitForLine(/Ready to accept connections/i, 30_000);
  return { url: `redis://127.0.0.1:${port}`, process: redis };
}
