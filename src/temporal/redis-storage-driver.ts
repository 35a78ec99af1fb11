import { StorageDriverClaim, type Payload, type StorageDriver } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type Redis from 'ioredis';
import { checkedPayload, payloadDigest, StoredPayloadError } from './file-storage-driver';

/**
 * Keeps large payloads in Redis under their SHA-256, for deployments whose API and workers share
 * Redis but no disk. Each is kept `ttlSeconds` after its last write.
 */
export class RedisStorageDriver implements StorageDriver {
  readonly name = 'gateway-redis';
  readonly type = 'gateway.redis';

  constructor(
    private readonly redis: Redis,
    readonly ttlSeconds: number,
  ) {}

  async store(_context: unknown, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    return Promise.all(
      payloads.map(async (payload) => {
        const bytes = Buffer.from(temporal.api.common.v1.Payload.encode(payload).finish());
        const digest = payloadDigest(bytes);
        await this.redis.set(`payload:${digest}`, bytes, 'EX', this.ttlSeconds);
        return new StorageDriverClaim({ sha256: digest });
      }),
    );
  }

  async retrieve(_context: unknown, claims: StorageDriverClaim[]): Promise<Payload[]> {
    return Promise.all(
      claims.map(async ({ claimData }) => {
        const digest = claimData.sha256 ?? '';
        const bytes = await this.redis.getBuffer(`payload:${digest}`);
        if (!bytes)
          throw new StoredPayloadError(
            `The stored payload ${digest} is not in Redis: it expired (GATEWAY_PAYLOAD_TTL_DAYS) or was written to another Redis`,
          );
        return checkedPayload(bytes, digest, 'Redis');
      }),
    );
  }
}
