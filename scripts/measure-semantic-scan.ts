// Measures what a semantic-cache lookup costs as a partition grows: reading N candidates (from
// memory, and from a real Redis started here on a free port) and comparing a 384-dimension vector
// with each (the local embedder's size); the guards run only on the few above the threshold. Prints one line per size and store.
// Run: npx tsx scripts/measure-semantic-scan.ts [sizes, e.g. 100,1000,10000]
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { bestMatch } from '../src/cache/semantic-match';
import {
  MemorySemanticCacheStore,
  RedisSemanticCacheStore,
  type SemanticCacheStore,
} from '../src/cache/semantic-cache-store';
import type { CachedAnswer } from '../src/cache/response-cache';
import { normalised } from '../src/embedders/text-embedder';
import { encodeVector } from '../src/providers/canonical-embedding';
import { startTestRedis } from '../test/helpers/redis-server';

const dimensions = 384;
const randomVector = () => normalised(Array.from({ length: dimensions }, () => Math.random() - 0.5));
const answer = {
  inferenceId: 'x',
  storedAt: 0,
  route: {},
  response: { content: 'an answer of a few hundred characters '.repeat(8) },
} as unknown as CachedAnswer;

async function fill(store: SemanticCacheStore, partition: string, size: number): Promise<void> {
  for (let index = 0; index < size; index++) {
    await store.add(
      partition,
      {
        id: randomUUID(),
        text: `stored prompt number ${index} about something`,
        vector: encodeVector(randomVector()),
        expiresAt: Date.now() + 3_600_000,
      },
      answer,
    );
  }
}

async function timeLookups(
  store: SemanticCacheStore,
  partition: string,
): Promise<{ firstMs: number; medianMs: number; p95Ms: number }> {
  const times: number[] = [];
  const first = performance.now();
  bestMatch('a prompt to look up', randomVector(), await store.candidates(partition), 0.95);
  const firstMs = performance.now() - first;
  for (let round = 0; round < 30; round++) {
    const started = performance.now();
    bestMatch('a prompt to look up', randomVector(), await store.candidates(partition), 0.95);
    times.push(performance.now() - started);
  }
  times.sort((left, right) => left - right);
  return { firstMs, medianMs: times[15]!, p95Ms: times[28]! };
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '100,1000,5000').split(',').map(Number);
  const redisServer = await startTestRedis();
  const client = new Redis(redisServer.url);
  try {
    for (const size of sizes) {
      const prefix = `measure-${randomUUID()}:`;
      // The Redis reader is a second store: a gateway process that has read none of the partition yet.
      const memory = new MemorySemanticCacheStore(size + 1, size);
      const stores: Array<[string, SemanticCacheStore, SemanticCacheStore]> = [
        ['memory', memory, memory],
        ['Redis', new RedisSemanticCacheStore(client, prefix, size), new RedisSemanticCacheStore(client, prefix, size)],
      ];
      for (const [name, writer, reader] of stores) {
        await fill(writer, 'partition', size);
        const { firstMs, medianMs, p95Ms } = await timeLookups(reader, 'partition');
        console.log(
          `${name.padEnd(6)} ${String(size).padStart(6)} entries: first lookup ${firstMs.toFixed(2)} ms, then median ${medianMs.toFixed(2)} ms, p95 ${p95Ms.toFixed(2)} ms`,
        );
      }
    }
  } finally {
    client.disconnect();
    await redisServer.stop();
  }
}

void main();
