import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { CachedAnswer } from './response-cache';
import { unpackVector } from './semantic-vector';

/** What a lookup compares: one stored prompt's text and vector (the answer is read only for the best). */
export interface SemanticCandidate {
  id: string;
  /** The last user message it was stored for, which the guards compare word by word. */
  text: string;
  /** Unit vector, packed as little-endian float32 in base64 (encodeVector). */
  vector: string;
  expiresAt: number;
  /** The vector already unpacked, where the store keeps it so (memory): a lookup skips decoding it. */
  unpacked?: Float32Array;
}

/** Semantic-cache entries by partition (semanticQuery): a lookup scans its partition's candidates. */
export interface SemanticCacheStore {
  /** The partition's entries that have not expired, at most `semanticPartitionEntries`. */
  candidates(partition: string): Promise<SemanticCandidate[]>;
  answer(partition: string, id: string): Promise<CachedAnswer | undefined>;
  add(partition: string, candidate: SemanticCandidate, answer: CachedAnswer): Promise<void>;
  close(): Promise<void>;
}

/**
 * Entries one partition (one tenant, group, system prompt, history and parameters) keeps, the
 * oldest out first: this bounds the scan a lookup makes.
 * @default 1000
 */
export const semanticPartitionEntries = 1000;

/**
 * Entries one process keeps in memory in all, least recently used out first.
 * @default 10000
 */
export const semanticMemoryEntries = 10_000;

interface MemoryEntry {
  partition: string;
  candidate: SemanticCandidate;
  answer: CachedAnswer;
}

/** The default, in this process: bounded in all and per partition, each entry with its TTL. */
export class MemorySemanticCacheStore implements SemanticCacheStore {
  private readonly entries: LRUCache<string, MemoryEntry>;
  /** Entry ids by partition, oldest first. */
  private readonly partitions = new Map<string, Set<string>>();

  constructor(
    maxEntries = semanticMemoryEntries,
    private readonly perPartition = semanticPartitionEntries,
  ) {
    this.entries = new LRUCache({
      max: maxEntries,
      dispose: (entry, id) => {
        const ids = this.partitions.get(entry.partition);
        ids?.delete(id);
        if (ids?.size === 0) this.partitions.delete(entry.partition);
      },
    });
  }

  async candidates(partition: string): Promise<SemanticCandidate[]> {
    const found: SemanticCandidate[] = [];
    for (const id of [...(this.partitions.get(partition) ?? [])]) {
      const entry = this.entries.peek(id);
      if (entry && entry.candidate.expiresAt > Date.now()) found.push(entry.candidate);
      else this.entries.delete(id);
    }
    return found;
  }

  async answer(partition: string, id: string): Promise<CachedAnswer | undefined> {
    const entry = this.entries.get(id);
    return entry?.partition === partition ? entry.answer : undefined;
  }

  async add(partition: string, candidate: SemanticCandidate, answer: CachedAnswer): Promise<void> {
    const ids = this.partitions.get(partition) ?? new Set<string>();
    while (ids.size >= this.perPartition) {
      const oldest = ids.values().next().value!;
      ids.delete(oldest);
      this.entries.delete(oldest);
    }
    ids.add(candidate.id);
    this.partitions.set(partition, ids);
    const unpacked = unpackVector(candidate.vector);
    this.entries.set(
      candidate.id,
      { partition, candidate: { ...candidate, unpacked }, answer },
      { ttl: Math.max(1, candidate.expiresAt - Date.now()) },
    );
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

/**
 * Candidates a Redis store's process has read already, unpacked, in all its partitions.
 * @default 20000
 */
export const redisKnownCandidates = 20_000;

/**
 * Shared by every gateway process on one Redis (REDIS_URL). Redis 7.0 has no vector search, so a
 * partition is one hash of candidates (id to text, vector and expiry) that the gateway compares
 * itself; each answer is a key of its own that Redis expires. A lookup reads the partition's ids
 * (HKEYS) and fetches only the candidates this process has not read before: an entry never
 * changes once stored, so what it read stays true until the entry expires.
 */
export class RedisSemanticCacheStore implements SemanticCacheStore {
  private readonly known = new LRUCache<string, SemanticCandidate>({ max: redisKnownCandidates });

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gateway:semantic:',
    private readonly perPartition = semanticPartitionEntries,
  ) {}

  private partitionKey(partition: string): string {
    return `${this.prefix}partition:${partition}`;
  }

  private answerKey(partition: string, id: string): string {
    return `${this.prefix}answer:${partition}:${id}`;
  }

  private async stored(partition: string): Promise<SemanticCandidate[]> {
    const key = this.partitionKey(partition);
    const ids = await this.redis.hkeys(key);
    const missing = ids.filter((id) => !this.known.has(`${partition}:${id}`));
    if (missing.length > 0) {
      const values = await this.redis.hmget(key, ...missing);
      missing.forEach((id, index) => {
        const value = values[index];
        if (!value) return;
        const fields = JSON.parse(value) as Omit<SemanticCandidate, 'id'>;
        this.known.set(`${partition}:${id}`, { id, ...fields, unpacked: unpackVector(fields.vector) });
      });
    }
    return ids
      .map((id) => this.known.get(`${partition}:${id}`))
      .filter((candidate): candidate is SemanticCandidate => candidate !== undefined);
  }

  async candidates(partition: string): Promise<SemanticCandidate[]> {
    const now = Date.now();
    const all = await this.stored(partition);
    const expired = all.filter((candidate) => candidate.expiresAt <= now).map((candidate) => candidate.id);
    if (expired.length > 0) await this.redis.hdel(this.partitionKey(partition), ...expired);
    return all.filter((candidate) => candidate.expiresAt > now);
  }

  async answer(partition: string, id: string): Promise<CachedAnswer | undefined> {
    const value = await this.redis.get(this.answerKey(partition, id));
    return value ? (JSON.parse(value) as CachedAnswer) : undefined;
  }

  async add(partition: string, candidate: SemanticCandidate, answer: CachedAnswer): Promise<void> {
    const ttlMs = Math.max(1, Math.round(candidate.expiresAt - Date.now()));
    const key = this.partitionKey(partition);
    const { id, ...fields } = candidate;
    const results = await this.redis
      .multi()
      .set(this.answerKey(partition, id), JSON.stringify(answer), 'PX', ttlMs)
      .hset(key, id, JSON.stringify(fields))
      .pttl(key)
      .hlen(key)
      .exec();
    const [pttl, size] = [Number(results?.[2]?.[1]), Number(results?.[3]?.[1])];
    // The hash lives as long as its longest-lived entry.
    if (pttl < ttlMs) await this.redis.pexpire(key, ttlMs);
    if (size > this.perPartition) {
      const oldest = (await this.stored(partition))
        .sort((left, right) => left.expiresAt - right.expiresAt)
        .slice(0, size - this.perPartition);
      await this.redis
        .multi()
        .hdel(key, ...oldest.map((entry) => entry.id))
        .del(...oldest.map((entry) => this.answerKey(partition, entry.id)))
        .exec();
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
