import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import { startTestRedis, type TestRedis } from '../../test/helpers/redis-server';
import type { CachedAnswer } from './response-cache';
import { MemorySemanticCacheStore, RedisSemanticCacheStore, type SemanticCacheStore } from './semantic-cache-store';

const answer = (inferenceId: string): CachedAnswer => ({
  inferenceId,
  storedAt: Date.now(),
  route: { provider: 'openai', account: 'a', region: 'us', model: 'm' } as CachedAnswer['route'],
  response: {
    content: inferenceId,
    finishReason: 'stop',
    usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
  } as unknown as CachedAnswer['response'],
});
const candidate = (id: string, ttlMs = 60_000) => ({ id, text: id, vector: 'AAAAAA==', expiresAt: Date.now() + ttlMs });

function storeSuite(name: string, makeStore: (perPartition: number) => SemanticCacheStore) {
  describe(`semantic cache store (${name})`, () => {
    it('keeps partitions apart, and an answer is read only through its own partition', async () => {
      const store = makeStore(10);
      await store.add('tenant-a', candidate('a1'), answer('a1'));
      await store.add('tenant-b', candidate('b1'), answer('b1'));
      assert.deepEqual(
        (await store.candidates('tenant-a')).map((entry) => entry.id),
        ['a1'],
      );
      assert.equal((await store.answer('tenant-a', 'a1'))?.inferenceId, 'a1');
      assert.equal(await store.answer('tenant-a', 'b1'), undefined, 'an id of another partition reads nothing');
      await store.close();
    });

    it('drops expired entries and keeps at most its bound per partition, the oldest out first', async () => {
      const store = makeStore(3);
      await store.add('p', candidate('short', 20), answer('short'));
      for (const id of ['one', 'two', 'three', 'four']) await store.add('p', candidate(id), answer(id));
      await new Promise((resolve) => setTimeout(resolve, 40));
      assert.deepEqual((await store.candidates('p')).map((entry) => entry.id).sort(), ['four', 'three', 'two']);
      await store.close();
    });
  });
}

storeSuite('memory', (perPartition) => new MemorySemanticCacheStore(100, perPartition));

describe('on a real Redis', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });
  storeSuite('Redis', (perPartition) => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return new RedisSemanticCacheStore(client, `test-${randomUUID()}:`, perPartition);
  });
});
