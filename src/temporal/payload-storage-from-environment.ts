import Redis from 'ioredis';
import { resolve } from 'node:path';
import { logger } from '../observability/logger';
import { FileStorageDriver } from './file-storage-driver';
import { LargePayloadCodec } from './large-payload-codec';
import { RedisStorageDriver } from './redis-storage-driver';

/**
 * Payloads from this size up are kept outside Temporal and replaced in history by a reference:
 * half of Temporal's 256 KiB payload warning size, so no inline payload comes near it.
 */
export const payloadStorageThresholdBytes = 128 * 1024;

/** Days a payload stored in Redis is kept. @default 30 */
const defaultRedisTtlDays = 30;

/**
 * Where large payloads (prompts above the threshold, with their activity inputs and results) are
 * kept: Redis with REDIS_URL, since the API and workers may share nothing else; otherwise files in
 * GATEWAY_PAYLOAD_DIR, by default `payloads/` in the data directory beside Temporal's SQLite file.
 * `shared`: the process is one of several (api-main, worker-main), so the default directory, which
 * only this machine sees, is refused.
 */
export function payloadStorageFromEnvironment(
  environment: NodeJS.ProcessEnv = process.env,
  { shared = false }: { shared?: boolean } = {},
): LargePayloadCodec {
  const redisUrl = environment.REDIS_URL;
  if (redisUrl) {
    const days = Number(environment.GATEWAY_PAYLOAD_TTL_DAYS ?? defaultRedisTtlDays);
    if (!Number.isFinite(days) || days <= 0)
      throw new Error(
        `GATEWAY_PAYLOAD_TTL_DAYS must be a positive number of days, got "${environment.GATEWAY_PAYLOAD_TTL_DAYS}"`,
      );
    // Connects on first use: a gateway that never sees a large prompt never opens it.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
    redis.on('error', (error) => logger.warn({ error: error.message }, 'Redis payload storage connection error'));
    return new LargePayloadCodec(
      new RedisStorageDriver(redis, Math.ceil(days * 24 * 60 * 60)),
      payloadStorageThresholdBytes,
    );
  }
  if (shared && !environment.GATEWAY_PAYLOAD_DIR) {
    // A process of a split deployment: a directory of its own would hold payloads the others cannot read.
    throw new Error(
      'Set REDIS_URL (a Redis the API and every worker share) or GATEWAY_PAYLOAD_DIR (a directory they all share): large prompts are kept there, outside Temporal',
    );
  }
  const directory = resolve(
    environment.GATEWAY_PAYLOAD_DIR ?? resolve(environment.GATEWAY_DATA_DIR ?? '.data', 'payloads'),
  );
  return new LargePayloadCodec(new FileStorageDriver(directory), payloadStorageThresholdBytes);
}

/** Where the storage keeps payloads, for the startup banner. */
export function describeStorage(storage: LargePayloadCodec): string {
  const { driver } = storage;
  return driver instanceof FileStorageDriver ? driver.directory : 'Redis (REDIS_URL)';
}
