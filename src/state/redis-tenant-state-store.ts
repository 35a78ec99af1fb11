import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { billInferenceScript } from './redis-billing-script';
import {
  billingMarkerTtlMs,
  cacheHitAuditEntries,
  cacheHitRetentionMs,
  noUsage,
  spendReservationTtlMs,
  usageFields,
  type CacheHitRecord,
  type InferenceBill,
  type SpendPeriod,
  type SpendStatus,
  type TenantStateStore,
  type UsageDelta,
  type UsageRow,
} from './tenant-state-store';

// Spend of one period: <key> (hash: committed), <key>:res (sorted set of reservation ids by time),
// <key>:amt (hash of reservation id → amount). Amounts travel as strings: Redis truncates Lua
// numbers to integers on return.
const pruneSpendLua = `
local function reserved(key, now)
  local old = redis.call('ZRANGEBYSCORE', key .. ':res', '-inf', now - ${spendReservationTtlMs})
  if #old > 0 then
    redis.call('ZREM', key .. ':res', unpack(old))
    redis.call('HDEL', key .. ':amt', unpack(old))
  end
  local sum = 0
  for _, value in ipairs(redis.call('HVALS', key .. ':amt')) do sum = sum + tonumber(value) end
  return sum
end
`;

const readSpendScript = `${pruneSpendLua}
local now, result = tonumber(ARGV[1]), {}
for _, key in ipairs(KEYS) do
  table.insert(result, redis.call('HGET', key, 'committed') or '0')
  table.insert(result, tostring(reserved(key, now)))
end
return result
`;

const reserveSpendScript = `${pruneSpendLua}
local now, amount, id = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
-- Held already: the step that took it ran again after a crash.
if redis.call('HEXISTS', KEYS[1] .. ':amt', id) == 1 then return 1 end
for index, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 + index * 2])
  local committed = tonumber(redis.call('HGET', key, 'committed') or '0')
  if committed + reserved(key, now) + amount > limit then return 0 end
end
for index, key in ipairs(KEYS) do
  local ttl = tonumber(ARGV[3 + index * 2])
  redis.call('ZADD', key .. ':res', now, id)
  redis.call('HSET', key .. ':amt', id, ARGV[2])
  for _, name in ipairs({ key, key .. ':res', key .. ':amt' }) do redis.call('PEXPIRE', name, ttl) end
end
return 1
`;

const settleSpendScript = `
local id, actual = ARGV[1], ARGV[2]
for index, key in ipairs(KEYS) do
  if id ~= '' then
    redis.call('ZREM', key .. ':res', id)
    redis.call('HDEL', key .. ':amt', id)
  end
  redis.call('HINCRBYFLOAT', key, 'committed', actual)
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + index]))
end
return 1
`;

const usageTtlSeconds = 400 * 24 * 60 * 60;

// A tenant's cache hits: <prefix>cache-hits:{tenant} (sorted set of ids by time) and
// <prefix>cache-hit-entries:{tenant} (hash of id → JSON entry), trimmed together in one script.
// ARGV: id, time (ms), entry, cap, the oldest time kept (ms), TTL (ms).
const recordCacheHitScript = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[5])
local extra = redis.call('ZCARD', KEYS[1]) - #gone - tonumber(ARGV[4])
if extra > 0 then
  for _, id in ipairs(redis.call('ZRANGE', KEYS[1], #gone, #gone + extra - 1)) do table.insert(gone, id) end
end
if #gone > 0 then
  redis.call('ZREM', KEYS[1], unpack(gone))
  redis.call('HDEL', KEYS[2], unpack(gone))
end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 1
`;

/** Tenant state shared by every gateway process; each mutation is one command or one Lua script. */
export class RedisTenantStateStore implements TenantStateStore {
  constructor(
    protected readonly redis: Redis,
    protected readonly prefix = 'gateway:',
  ) {}

  async readBinding(sessionKey: string, ttlMs: number): Promise<string | undefined> {
    return (await this.redis.getex(`${this.prefix}${sessionKey}`, 'PX', ttlMs)) ?? undefined;
  }

  async bindSession(sessionKey: string, routeKey: string, ttlMs: number): Promise<void> {
    await this.redis.set(`${this.prefix}${sessionKey}`, routeKey, 'PX', ttlMs);
  }

  async readSpend(periods: SpendPeriod[], now: number): Promise<SpendStatus[]> {
    if (periods.length === 0) return [];
    const values = (await this.redis.eval(
      readSpendScript,
      periods.length,
      ...periods.map((period) => this.prefix + period.key),
      now,
    )) as string[];
    return periods.map((period, index) => ({
      key: period.key,
      limit: period.limit,
      committed: Number(values[index * 2]),
      reserved: Number(values[index * 2 + 1]),
    }));
  }

  async reserveSpend(
    periods: SpendPeriod[],
    amount: number,
    now: number,
    id: string = randomUUID(),
  ): Promise<string | undefined> {
    const limits = periods.flatMap((period) => [period.limit, period.ttlMs]);
    const reserved = await this.redis.eval(
      reserveSpendScript,
      periods.length,
      ...periods.map((period) => this.prefix + period.key),
      now,
      amount,
      id,
      ...limits,
    );
    return reserved === 1 ? id : undefined;
  }

  async settleSpend(periods: SpendPeriod[], reservationId: string | undefined, actual: number): Promise<void> {
    if (periods.length === 0) return;
    await this.redis.eval(
      settleSpendScript,
      periods.length,
      ...periods.map((period) => this.prefix + period.key),
      reservationId ?? '',
      actual,
      ...periods.map((period) => period.ttlMs),
    );
  }

  async billInference({ inferenceId, spend, cost, usage }: InferenceBill): Promise<boolean> {
    const periods = spend?.periods ?? [];
    const keys = [`${this.prefix}billed:${inferenceId}`, ...periods.map((period) => this.prefix + period.key)];
    const args: Array<string | number> = [
      billingMarkerTtlMs,
      periods.length,
      spend?.reservationId ?? '',
      cost,
      ...periods.map((period) => period.ttlMs),
    ];
    if (usage) {
      keys.push(`${this.prefix}usage-tenants:${usage.period}`, this.usageKey(usage.period, usage.row.tenant));
      const field = (name: string) => JSON.stringify([usage.row.model, usage.row.feature, name]);
      args.push(
        '1',
        usage.row.tenant,
        usageTtlSeconds,
        ...usageFields
          .filter((name) => (usage.delta[name] ?? 0) !== 0)
          .flatMap((name) => [field(name), usage.delta[name] ?? 0]),
      );
    } else {
      args.push('0');
    }
    return (await this.redis.eval(billInferenceScript, keys.length, ...keys, ...args)) === 1;
  }

  private usageKey(period: string, tenant: string): string {
    return `${this.prefix}usage:${period}:{${tenant}}`;
  }

  async addUsage(
    period: string,
    row: Pick<UsageRow, 'tenant' | 'model' | 'feature'>,
    delta: UsageDelta,
  ): Promise<void> {
    const key = this.usageKey(period, row.tenant);
    const field = (name: string) => JSON.stringify([row.model, row.feature, name]);
    const pipeline = this.redis
      .multi()
      .sadd(`${this.prefix}usage-tenants:${period}`, row.tenant)
      .expire(`${this.prefix}usage-tenants:${period}`, usageTtlSeconds);
    for (const name of usageFields) {
      const amount = delta[name] ?? 0;
      if (amount !== 0) pipeline.hincrbyfloat(key, field(name), amount);
    }
    await pipeline.expire(key, usageTtlSeconds).exec();
  }

  async readUsage(period: string, tenant?: string): Promise<UsageRow[]> {
    const tenants =
      tenant !== undefined ? [tenant] : await this.redis.smembers(`${this.prefix}usage-tenants:${period}`);
    const rows: UsageRow[] = [];
    for (const name of tenants) {
      const byRow = new Map<string, UsageRow>();
      for (const [field, value] of Object.entries(await this.redis.hgetall(this.usageKey(period, name)))) {
        const [model, feature, metric] = JSON.parse(field) as [string, string, (typeof usageFields)[number]];
        const id = JSON.stringify([model, feature]);
        const row = byRow.get(id) ?? { tenant: name, model, feature, ...noUsage() };
        row[metric] = Number(value);
        byRow.set(id, row);
      }
      rows.push(...byRow.values());
    }
    return rows;
  }

  private cacheHitKeys(tenant: string): [ids: string, entries: string] {
    return [`${this.prefix}cache-hits:{${tenant}}`, `${this.prefix}cache-hit-entries:{${tenant}}`];
  }

  async recordCacheHit(record: CacheHitRecord): Promise<void> {
    await this.redis.eval(
      recordCacheHitScript,
      2,
      ...this.cacheHitKeys(record.tenant),
      record.id,
      record.at,
      JSON.stringify(record),
      cacheHitAuditEntries,
      Date.now() - cacheHitRetentionMs,
      cacheHitRetentionMs,
    );
  }

  async readCacheHits(tenant: string, since = 0): Promise<CacheHitRecord[]> {
    const [idsKey, entriesKey] = this.cacheHitKeys(tenant);
    const ids = await this.redis.zrevrangebyscore(idsKey, '+inf', Math.max(since, Date.now() - cacheHitRetentionMs));
    if (ids.length === 0) return [];
    const entries = await this.redis.hmget(entriesKey, ...ids);
    return entries.flatMap((entry) => (entry ? [JSON.parse(entry) as CacheHitRecord] : []));
  }

  async readCacheHit(tenant: string, id: string): Promise<CacheHitRecord | undefined> {
    const entry = await this.redis.hget(this.cacheHitKeys(tenant)[1], id);
    const record = entry ? (JSON.parse(entry) as CacheHitRecord) : undefined;
    return record && record.at >= Date.now() - cacheHitRetentionMs ? record : undefined;
  }
}
