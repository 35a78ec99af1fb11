import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { RouteState } from '../routing/routing-types';
import { RedisTenantStateStore } from './redis-tenant-state-store';
import {
  recentErrorsWindowMs,
  type AttemptOutcome,
  type CircuitSettings,
  type ProbeRecord,
  type RecordedOutcome,
  type GatewayStateStore,
  type RouteStatus,
} from './route-state-store';

const minuteMs = 60_000;
const defaultAccountCoolDownMs = 60_000;

// Each script works on one route's keys, so every operation is atomic in Redis, as the in-memory
// store's are in one process. Keys: <route> (hash of health fields), <route>:res (sorted set of
// reservation ids by time), <route>:tok (hash of reservation id → tokens, and the field `sum`: the
// tokens of every reservation in it, kept as they change, so that no read walks the whole window).
const windowLua = `
local function ensureSum(tok)
  -- A window written before the running sum: count it once from its reservations.
  if redis.call('HEXISTS', tok, 'sum') == 1 or redis.call('HLEN', tok) == 0 then return end
  local total = 0
  for _, value in ipairs(redis.call('HVALS', tok)) do total = total + tonumber(value) end
  redis.call('HSET', tok, 'sum', total)
end
local function setTokens(base, id, value)
  local tok = base .. ':tok'
  ensureSum(tok)
  local old = tonumber(redis.call('HGET', tok, id) or '')
  if not old then return end
  redis.call('HSET', tok, id, value)
  redis.call('HINCRBYFLOAT', tok, 'sum', value - old)
end
local function prune(base, now)
  local res, tok = base .. ':res', base .. ':tok'
  ensureSum(tok)
  local old = redis.call('ZRANGEBYSCORE', res, '-inf', now - ${minuteMs})
  -- In chunks: Lua's unpack takes a few thousand values at most.
  for first = 1, #old, 1000 do
    local chunk = { unpack(old, first, math.min(first + 999, #old)) }
    local expired = 0
    for _, value in ipairs(redis.call('HMGET', tok, unpack(chunk))) do expired = expired + (tonumber(value) or 0) end
    redis.call('ZREM', res, unpack(chunk))
    redis.call('HDEL', tok, unpack(chunk))
    if expired ~= 0 then redis.call('HINCRBYFLOAT', tok, 'sum', -expired) end
  end
  return redis.call('ZCARD', res), tonumber(redis.call('HGET', tok, 'sum') or '0')
end
`;

const snapshotScript = `${windowLua}
local base, now, cooldownMs = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local requests, tokens = prune(base, now)
local fields = redis.call('HMGET', base, 'openUntil', 'trialAt', 'coolUntil', 'ewma')
return { requests, tokens, fields[1] or '', fields[2] or '', fields[3] or '', fields[4] or '', redis.call('GET', KEYS[2]) or '' }
`;

const reserveScript = `${windowLua}
local base, now, rpm, tpm, wanted, id = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local requests, tokens = prune(base, now)
if rpm >= 0 and requests >= rpm then return 0 end
if tpm >= 0 and tokens + wanted > tpm then return 0 end
redis.call('ZADD', base .. ':res', now, id)
redis.call('HSET', base .. ':tok', id, wanted)
redis.call('HINCRBYFLOAT', base .. ':tok', 'sum', wanted)
redis.call('PEXPIRE', base .. ':res', ${minuteMs * 2})
redis.call('PEXPIRE', base .. ':tok', ${minuteMs * 2})
return 1
`;

const windowResetScript = `${windowLua}
local base, now = KEYS[1], tonumber(ARGV[1])
prune(base, now)
local oldest = redis.call('ZRANGE', base .. ':res', 0, 0, 'WITHSCORES')
if #oldest == 0 then return 0 end
return math.max(0, tonumber(oldest[2]) + ${minuteMs} - now)
`;

const reconcileScript = `${windowLua}
setTokens(KEYS[1], ARGV[1], tonumber(ARGV[2]))
return 1
`;

const claimTrialScript = `
local base, now, cooldownMs = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local openUntil = tonumber(redis.call('HGET', base, 'openUntil') or '')
if not openUntil then return 1 end
local trialAt = tonumber(redis.call('HGET', base, 'trialAt') or '')
if trialAt and now - trialAt > cooldownMs then trialAt = nil end
if now < openUntil or trialAt then return 0 end
redis.call('HSET', base, 'trialAt', now)
return 1
`;

const recordScript = `${windowLua}
local base, accountKey, now = KEYS[1], KEYS[2], tonumber(ARGV[1])
local ok, reservationId, value = ARGV[2] == '1', ARGV[3], tonumber(ARGV[4])
local alpha, unhealthy, retryAfter = tonumber(ARGV[5]), ARGV[6] == '1', tonumber(ARGV[7])
local coolAccount, coolRoute = ARGV[8], ARGV[9] == '1'
local threshold, cooldownMs = tonumber(ARGV[10]), tonumber(ARGV[11])
local errorType, errorId = ARGV[13], ARGV[14]
local wasTrial = redis.call('HEXISTS', base, 'trialAt') == 1
redis.call('HDEL', base, 'trialAt')
if reservationId ~= '' then setTokens(base, reservationId, ok and value or 0) end
if ok then
  local ewma = tonumber(redis.call('HGET', base, 'ewma') or '')
  local latency = tonumber(ARGV[12])
  if ewma then ewma = alpha * latency + (1 - alpha) * ewma else ewma = latency end
  redis.call('HSET', base, 'ewma', ewma, 'failures', 0)
  redis.call('HDEL', base, 'openUntil')
  return 0
end
if errorType ~= '' then
  -- Recent errors for the route status: members '<type>|<id>' scored by time, the window's only.
  redis.call('ZADD', base .. ':err', now, errorType .. '|' .. errorId)
  redis.call('ZREMRANGEBYSCORE', base .. ':err', '-inf', now - ${recentErrorsWindowMs})
  redis.call('ZREMRANGEBYRANK', base .. ':err', 0, -1001)
  redis.call('PEXPIRE', base .. ':err', ${recentErrorsWindowMs})
end
if coolAccount ~= '' then
  local untilMs = now + (retryAfter >= 0 and retryAfter or ${defaultAccountCoolDownMs})
  redis.call('SET', accountKey, untilMs .. '|' .. coolAccount, 'PX', math.max(1, untilMs - now))
elseif coolRoute and retryAfter > 0 then
  redis.call('HSET', base, 'coolUntil', now + retryAfter)
end
if unhealthy then
  local failures = redis.call('HINCRBY', base, 'failures', 1)
  if wasTrial or failures >= threshold then redis.call('HSET', base, 'openUntil', now + cooldownMs) end
end
local openUntil = tonumber(redis.call('HGET', base, 'openUntil') or '')
if openUntil and now < openUntil then return 1 end
return 0
`;

const number = (value: string | number | null | undefined) =>
  value === '' || value === null || value === undefined ? undefined : Number(value);

/**
 * The shared store, for many gateway processes (REDIS_URL). The same contract and the same test
 * suite as the in-memory store; every mutation is one Lua script, so it is atomic across processes.
 */
export class RedisRouteStateStore extends RedisTenantStateStore implements GatewayStateStore {
  constructor(
    redis: Redis,
    private readonly circuit: () => CircuitSettings,
    private readonly latencyAlpha: () => number,
    prefix = 'gateway:',
  ) {
    super(redis, prefix);
  }

  private routeKey(route: string): string {
    return `${this.prefix}route:{${route}}`;
  }

  private accountKeyOf(route: string): string {
    return `${this.prefix}account:${route.split('/').slice(0, 2).join('/')}`;
  }

  async snapshot(routeKeys: string[], now: number): Promise<Record<string, RouteState>> {
    const { cooldownMs } = this.circuit();
    const entries = await Promise.all(
      routeKeys.map(async (key) => {
        const [requests, tokens, openUntil, trialAt, coolUntil, ewma, accountUntil] = (await this.redis.eval(
          snapshotScript,
          2,
          this.routeKey(key),
          this.accountKeyOf(key),
          now,
          cooldownMs,
        )) as Array<string | number>;
        const open = number(openUntil);
        const trial = number(trialAt);
        const trialLive = trial !== undefined && now - trial <= cooldownMs;
        // An account's value is `<until>|<the error type that set it aside>`.
        const [accountUntilMs, accountReason] = String(accountUntil).split('|');
        const accountUntilAt = number(accountUntilMs) ?? 0;
        const coolingDownUntil = Math.max(number(coolUntil) ?? 0, accountUntilAt);
        const state: RouteState = {
          circuit: open === undefined ? 'closed' : now < open || trialLive ? 'open' : 'half-open',
          requestsThisMinute: Number(requests),
          tokensThisMinute: Number(tokens),
          ...(coolingDownUntil > now && { coolingDownUntil }),
          ...(accountUntilAt > now && {
            accountCoolingDown: true,
            accountCoolDownReason: accountReason ?? 'QuotaExhausted',
          }),
          ...(number(ewma) !== undefined && { latencyEwmaMs: Math.round(number(ewma)!) }),
        };
        return [key, state] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  async reserve(
    routeKey: string,
    limits: { rpm?: number; tpm?: number },
    tokens: number,
    now: number,
  ): Promise<string | undefined> {
    const id = randomUUID();
    const reserved = await this.redis.eval(
      reserveScript,
      1,
      this.routeKey(routeKey),
      now,
      limits.rpm ?? -1,
      limits.tpm ?? -1,
      tokens,
      id,
    );
    return reserved === 1 ? id : undefined;
  }

  async windowResetMs(routeKey: string, now: number): Promise<number> {
    return Number(await this.redis.eval(windowResetScript, 1, this.routeKey(routeKey), now));
  }

  async reconcile(routeKey: string, reservationId: string, tokens: number): Promise<void> {
    await this.redis.eval(reconcileScript, 1, this.routeKey(routeKey), reservationId, tokens);
  }

  async claimTrial(routeKey: string, now: number): Promise<boolean> {
    return (await this.redis.eval(claimTrialScript, 1, this.routeKey(routeKey), now, this.circuit().cooldownMs)) === 1;
  }

  async releaseTrial(routeKey: string): Promise<void> {
    await this.redis.hdel(this.routeKey(routeKey), 'trialAt');
  }

  async record(routeKey: string, _accountKey: string, outcome: AttemptOutcome, now: number): Promise<RecordedOutcome> {
    const { failureThreshold, cooldownMs } = this.circuit();
    const failure = outcome.ok ? undefined : outcome;
    const open = await this.redis.eval(
      recordScript,
      2,
      this.routeKey(routeKey),
      this.accountKeyOf(routeKey),
      now,
      outcome.ok ? '1' : '0',
      outcome.reservationId ?? '',
      outcome.ok ? outcome.tokens : 0,
      this.latencyAlpha(),
      failure?.unhealthy ? '1' : '0',
      failure?.retryAfterMs ?? -1,
      failure?.coolDownAccount ?? '',
      failure?.coolDownRoute ? '1' : '0',
      failureThreshold,
      cooldownMs,
      outcome.ok ? outcome.latencyMs : 0,
      failure?.errorType ?? '',
      randomUUID(),
    );
    return { circuitOpen: open === 1 };
  }

  async recordProbe(routeKey: string, probe: ProbeRecord): Promise<void> {
    await this.redis.hset(this.routeKey(routeKey), 'probe', JSON.stringify(probe));
  }

  async status(routeKeys: string[], now: number): Promise<Record<string, RouteStatus>> {
    const states = await this.snapshot(routeKeys, now);
    const entries = await Promise.all(
      routeKeys.map(async (key) => {
        const base = this.routeKey(key);
        const [[, fields], [, errors]] = (await this.redis
          .multi()
          .hmget(base, 'failures', 'openUntil', 'probe')
          .zrangebyscore(`${base}:err`, now - recentErrorsWindowMs, '+inf')
          .exec()) as [[unknown, Array<string | null>], [unknown, string[]]];
        const [failures, openUntil, probe] = fields;
        const recentErrors: Record<string, number> = {};
        for (const member of errors) {
          const [type = 'unknown'] = member.split('|');
          recentErrors[type] = (recentErrors[type] ?? 0) + 1;
        }
        const status: RouteStatus = {
          ...states[key]!,
          consecutiveFailures: number(failures) ?? 0,
          ...(number(openUntil) !== undefined && { openUntil: number(openUntil) }),
          recentErrors,
          ...(probe && { lastProbe: JSON.parse(probe) as ProbeRecord }),
        };
        return [key, status] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
}
