import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import { MemoryRouteStateStore } from '../../src/state/memory-route-state-store';
import { RedisRouteStateStore } from '../../src/state/redis-route-state-store';
import type { GatewayStateStore } from '../../src/state/route-state-store';
import {
  cacheHitAuditEntries,
  cacheHitRetentionMs,
  billingMarkerTtlMs,
  spendReservationTtlMs,
  type CacheHitRecord,
} from '../../src/state/tenant-state-store';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';

// One contract, two stores: the in-memory default and the shared Redis store (a real
// redis-server on a free loopback port). Every test runs against both.
const route = 'openai/a1/us/gpt';
const account = 'openai/a1';
const unhealthy = { ok: false as const, unhealthy: true };
const success = { ok: true as const, latencyMs: 100, tokens: 10 };
const circuit = () => ({ failureThreshold: 2, cooldownMs: 10_000 });
const alpha = () => 0.5;

const cacheHit = (tenant: string, id: string, at: number): CacheHitRecord => ({
  id,
  tenant,
  modelGroup: 'chat',
  trafficClass: 'standard',
  cache: 'semantic-hit',
  similarity: 0.97,
  sourceInferenceId: 'inf-source',
  route: { provider: 'openai', providerKind: 'openai', model: 'gpt', account: 'a1', region: 'us' },
  at,
  savedTokens: { prompt: 12, completion: 5 },
  savedCost: 0.0001,
});

async function circuitOf(state: GatewayStateStore, now: number) {
  return (await state.snapshot([route], now))[route]?.circuit;
}

function contract(name: string, store: () => Promise<GatewayStateStore>) {
  describe(name, () => {
    it('opens a circuit after consecutive health failures, half-opens after the cool-down, closes on success', async () => {
      const state = await store();
      assert.deepEqual(await state.record(route, account, unhealthy, 0), { circuitOpen: false });
      assert.equal(await circuitOf(state, 0), 'closed');
      assert.deepEqual(
        await state.record(route, account, unhealthy, 1),
        { circuitOpen: true },
        'the failure that opens the circuit says so',
      );
      assert.equal(await circuitOf(state, 2), 'open');
      assert.deepEqual(
        await state.record(route, account, { ok: false, unhealthy: false }, 3),
        { circuitOpen: true },
        'a call that ends while the circuit is open says so',
      );
      assert.equal(await state.claimTrial(route, 5_000), false, 'no trial while open');
      assert.equal(await circuitOf(state, 10_001), 'half-open');
      assert.equal(await state.claimTrial(route, 10_001), true, 'one trial');
      assert.equal(await state.claimTrial(route, 10_002), false, 'only one trial');
      await state.record(route, account, success, 10_003);
      assert.equal(await circuitOf(state, 10_004), 'closed');
    });

    it('reopens the circuit when the half-open trial fails', async () => {
      const state = await store();
      await state.record(route, account, unhealthy, 0);
      await state.record(route, account, unhealthy, 0);
      assert.equal(await state.claimTrial(route, 10_000), true);
      assert.deepEqual(await state.record(route, account, unhealthy, 10_001), { circuitOpen: true });
      assert.equal(await circuitOf(state, 10_002), 'open');
    });

    it('never leaves a trial stuck: a non-health failure, a release, or a silent trial each free it', async () => {
      const state = await store();
      await state.record(route, account, unhealthy, 0);
      await state.record(route, account, unhealthy, 0);
      assert.equal(await state.claimTrial(route, 10_000), true);
      await state.record(route, account, { ok: false, unhealthy: false }, 10_001); // e.g. a client's bad request
      assert.equal(await state.claimTrial(route, 10_002), true, 'a bad request does not keep the trial');
      await state.releaseTrial(route);
      assert.equal(await state.claimTrial(route, 10_003), true, 'a released trial can be claimed again');
      assert.equal(await state.claimTrial(route, 15_000), false);
      assert.equal(await state.claimTrial(route, 20_004), true, 'a trial that never reported back expires');
    });

    it('reports a route status: circuit, failures in a row, recent errors by type within their window, the last probe', async () => {
      const state = await store();
      const failed = (errorType: string) => ({ ok: false as const, unhealthy: errorType !== 'RateLimited', errorType });
      await state.record(route, account, failed('ServerError'), 0);
      await state.record(route, account, failed('RateLimited'), 1_000);
      await state.record(route, account, failed('ServerError'), 2_000);
      await state.recordProbe(route, { at: 2_500, ok: false, latencyMs: 0, skipped: 'circuit_open' });
      const status = (await state.status([route], 3_000))[route];
      assert.equal(status?.circuit, 'open');
      assert.equal(status?.openUntil, 12_000, 'the trial may start one cool-down after the failure that opened it');
      assert.equal(status?.consecutiveFailures, 2, 'a rate limit is not a health failure');
      assert.deepEqual(status?.recentErrors, { ServerError: 2, RateLimited: 1 });
      assert.deepEqual(status?.lastProbe, { at: 2_500, ok: false, latencyMs: 0, skipped: 'circuit_open' });
      const later = (await state.status([route], 15 * 60_000 + 1_500))[route];
      assert.deepEqual(later?.recentErrors, { ServerError: 1 }, 'errors older than the window drop out');
      await state.record(route, account, success, 15 * 60_000 + 20_000);
      const healed = (await state.status([route], 15 * 60_000 + 20_001))[route];
      assert.equal(healed?.circuit, 'closed');
      assert.equal(healed?.consecutiveFailures, 0);
      assert.equal(healed?.openUntil, undefined);
    });

    it('does not count rate limits as ill health', async () => {
      const state = await store();
      for (let i = 0; i < 5; i++)
        await state.record(route, account, { ok: false, unhealthy: false, coolDownRoute: true, retryAfterMs: 1 }, i);
      assert.equal(await circuitOf(state, 10), 'closed');
    });

    it('reserves within RPM and TPM limits, atomically per call, over a sliding minute', async () => {
      const state = await store();
      assert.ok(await state.reserve(route, { rpm: 2, tpm: 100 }, 40, 0));
      assert.equal(await state.reserve(route, { rpm: 2, tpm: 100 }, 70, 1), undefined, 'tokens over TPM');
      assert.ok(await state.reserve(route, { rpm: 2, tpm: 100 }, 50, 2));
      assert.equal(await state.reserve(route, { rpm: 2 }, 1, 3), undefined, 'requests over RPM');
      assert.ok(await state.reserve(route, { rpm: 2 }, 1, 60_001), 'the window slid');
    });

    it('reconciles each reservation by id: real usage on success, no tokens on failure', async () => {
      const state = await store();
      const first = await state.reserve(route, {}, 500, 0);
      const second = await state.reserve(route, {}, 500, 0);
      await state.record(route, account, { ...success, tokens: 120, reservationId: first }, 1);
      await state.record(route, account, { ok: false, unhealthy: true, reservationId: second }, 1);
      const snapshot = (await state.snapshot([route], 2))[route];
      assert.equal(snapshot?.tokensThisMinute, 120);
      assert.equal(snapshot?.requestsThisMinute, 2, 'a failed call still used its request slot');
    });

    it('keeps the window’s count and tokens right as reservations change and expire, in any clock order', async () => {
      const state = await store();
      const window = async (now: number) => {
        const snapshot = (await state.snapshot([route], now))[route]!;
        return [snapshot.requestsThisMinute, snapshot.tokensThisMinute];
      };
      const ids: string[] = [];
      for (let index = 0; index < 40; index++) ids.push((await state.reserve(route, {}, 10, index * 1_000))!);
      // A caller whose clock lags: reserved "before" the last one.
      assert.ok(await state.reserve(route, {}, 7, 38_500));
      assert.deepEqual(await window(40_000), [41, 407]);
      await state.reconcile(route, ids[0]!, 3, 40_000);
      await state.record(route, account, { ...success, tokens: 25, reservationId: ids[1] }, 40_000);
      await state.record(route, account, { ok: false, unhealthy: false, reservationId: ids[2] }, 40_000);
      assert.deepEqual(await window(40_000), [41, 3 + 25 + 0 + 37 * 10 + 7], 'reconciled and failed calls');
      // At 62 s the first three (0 s, 1 s, 2 s) have left the minute, with their 28 tokens.
      assert.deepEqual(await window(62_000), [38, 37 * 10 + 7]);
      await state.reconcile(route, ids[0]!, 999, 62_000);
      assert.deepEqual(await window(62_000), [38, 377], 'an expired reservation is not counted again');
      assert.deepEqual(await window(98_600), [1, 10], 'the lagging reservation expires in its time order');
      assert.deepEqual(await window(200_000), [0, 0]);
      assert.equal(
        (await state.reserve(route, { tpm: 10 }, 10, 200_000)) !== undefined,
        true,
        'an empty window takes a full one',
      );
    });

    it('keeps a latency EWMA', async () => {
      const state = await store();
      await state.record(route, account, { ...success, latencyMs: 100 }, 0);
      await state.record(route, account, { ...success, latencyMs: 300 }, 1);
      assert.equal((await state.snapshot([route], 2))[route]?.latencyEwmaMs, 200);
    });

    it('cools down a whole account on quota exhaustion and a route on a rate limit', async () => {
      const state = await store();
      const other = 'openai/a1/eu/gpt';
      await state.record(
        route,
        account,
        { ok: false, unhealthy: false, coolDownAccount: 'Authentication', retryAfterMs: 30_000 },
        0,
      );
      const snapshot = await state.snapshot([route, other], 1);
      assert.equal(snapshot[route]?.coolingDownUntil, 30_000);
      assert.equal(snapshot[other]?.coolingDownUntil, 30_000);
      assert.equal(
        snapshot[other]?.accountCoolDownReason,
        'Authentication',
        'the account remembers why it was set aside',
      );
      const limited = await store();
      await limited.record(
        route,
        account,
        { ok: false, unhealthy: false, coolDownRoute: true, retryAfterMs: 2_000 },
        0,
      );
      const after = await limited.snapshot([route, other], 1);
      assert.equal(after[route]?.coolingDownUntil, 2_000);
      assert.equal(after[other]?.coolingDownUntil, undefined);
    });

    it('tells when a window frees a slot and reconciles a window reservation by id', async () => {
      const state = await store();
      assert.equal(await state.windowResetMs('tenant/acme', 0), 0, 'an empty window is free now');
      const first = await state.reserve('tenant/acme', { rpm: 2, tpm: 1_000 }, 600, 1_000);
      await state.reserve('tenant/acme', { rpm: 2, tpm: 1_000 }, 100, 20_000);
      assert.equal(await state.reserve('tenant/acme', { rpm: 2 }, 0, 30_000), undefined);
      assert.equal(await state.windowResetMs('tenant/acme', 30_000), 31_000, 'the oldest reservation leaves at 61 s');
      assert.equal(
        await state.reserve('tenant/acme', { tpm: 1_000 }, 400, 30_000),
        undefined,
        '600 + 100 + 400 is over the TPM',
      );
      await state.reconcile('tenant/acme', first!, 50, 30_000);
      assert.ok(
        await state.reserve('tenant/acme', { tpm: 1_000 }, 400, 30_000),
        'reconciled to 50 tokens, 400 more fit',
      );
    });

    it('binds a session to a route with a sliding TTL, and moves it', async () => {
      const state = await store();
      assert.equal(await state.readBinding('sticky:acme:chat:s1', 300), undefined);
      await state.bindSession('sticky:acme:chat:s1', route, 300);
      await sleep(200);
      assert.equal(await state.readBinding('sticky:acme:chat:s1', 300), route, 'read within the TTL, which slides');
      await sleep(200);
      assert.equal(
        await state.readBinding('sticky:acme:chat:s1', 300),
        route,
        'still bound 400 ms after binding, because the read slid it',
      );
      await state.bindSession('sticky:acme:chat:s1', 'anthropic/a2/us/claude', 300);
      assert.equal(await state.readBinding('sticky:acme:chat:s1', 300), 'anthropic/a2/us/claude', 'moved');
      await sleep(450);
      assert.equal(await state.readBinding('sticky:acme:chat:s1', 300), undefined, 'expired after the TTL without use');
    });

    it('reserves spend in every period atomically, refuses past a limit, and settles by actual cost', async () => {
      const state = await store();
      const month = { key: 'spend:{acme}:month:2026-11', limit: 10, ttlMs: 60_000 };
      const day = { key: 'spend:{acme}:day:2026-11-22', limit: 1, ttlMs: 60_000 };
      const first = await state.reserveSpend([month, day], 0.6, 0);
      assert.ok(first);
      assert.equal(await state.reserveSpend([month, day], 0.5, 0), undefined, 'the day budget has 0.4 left');
      assert.deepEqual(
        (await state.readSpend([month, day], 0)).map(({ committed, reserved }) => [committed, reserved]),
        [
          [0, 0.6],
          [0, 0.6],
        ],
        'a refusal reserves nothing anywhere',
      );
      await state.settleSpend([month, day], first, 0.25, 1);
      assert.deepEqual(
        (await state.readSpend([month, day], 1)).map(({ committed, reserved }) => [committed, reserved]),
        [
          [0.25, 0],
          [0.25, 0],
        ],
      );
      assert.ok(await state.reserveSpend([month, day], 0.75, 1), 'exactly at the limit is allowed');
      await state.settleSpend([month], undefined, 0.5, 2);
      assert.equal(
        (await state.readSpend([month], 2))[0]?.committed,
        0.75,
        'a settle without a reservation still counts its cost',
      );
    });

    it('forgets a spend reservation whose call never reported back', async () => {
      const state = await store();
      const month = { key: 'spend:{acme}:month:2026-11', limit: 1, ttlMs: 24 * 3_600_000 };
      assert.ok(await state.reserveSpend([month], 1, 0));
      assert.equal(await state.reserveSpend([month], 1, 1), undefined);
      assert.ok(await state.reserveSpend([month], 1, spendReservationTtlMs + 1));
    });

    it('takes a reservation with a given id once: a step run again after a crash finds it', async () => {
      const state = await store();
      const month = { key: 'spend:{acme}:month:2026-11', limit: 1, ttlMs: 60_000 };
      assert.equal(await state.reserveSpend([month], 0.75, 0, 'inf-1/3'), 'inf-1/3');
      assert.equal(
        await state.reserveSpend([month], 0.75, 1, 'inf-1/3'),
        'inf-1/3',
        'held already: not refused for the limit, not reserved twice',
      );
      assert.equal((await state.readSpend([month], 1))[0]?.reserved, 0.75);
      await state.settleSpend([month], 'inf-1/3', 0, 2);
      assert.equal((await state.readSpend([month], 2))[0]?.reserved, 0);
    });

    it('bills an inference once: a repeat of its bill only releases the repeat’s reservation', async () => {
      const state = await store();
      const month = { key: 'spend:{acme}:month:2026-11', limit: 10, ttlMs: 60_000 };
      const day = { key: 'spend:{acme}:day:2026-11-22', limit: 5, ttlMs: 60_000 };
      const usage = {
        period: '2026-11',
        row: { tenant: 'acme', model: 'chat', feature: '' },
        delta: { requests: 1, promptTokens: 10, completionTokens: 5, cost: 0.5, fallbacks: 0 },
      };
      const inferenceId = `inf-${randomUUID()}`;
      const first = await state.reserveSpend([month, day], 1, 0);
      assert.equal(
        await state.billInference(
          { inferenceId, spend: { periods: [month, day], reservationId: first }, cost: 0.5, usage },
          1,
        ),
        true,
      );
      // The same call made again after a crash: a new reservation, the same inference.
      const again = await state.reserveSpend([month, day], 1, 2);
      assert.equal(
        await state.billInference(
          { inferenceId, spend: { periods: [month, day], reservationId: again }, cost: 0.5, usage },
          3,
        ),
        false,
      );
      assert.deepEqual(
        (await state.readSpend([month, day], 3)).map(({ committed, reserved }) => [committed, reserved]),
        [
          [0.5, 0],
          [0.5, 0],
        ],
      );
      assert.deepEqual(
        (await state.readUsage('2026-11', 'acme')).map(({ requests, promptTokens, cost }) => [
          requests,
          promptTokens,
          cost,
        ]),
        [[1, 10, 0.5]],
      );
      // Another inference is billed as usual, with or without a budget.
      assert.equal(
        await state.billInference(
          {
            inferenceId: `inf-${randomUUID()}`,
            cost: 0.25,
            usage: { ...usage, delta: { ...usage.delta, cost: 0.25 } },
          },
          4,
        ),
        true,
      );
      assert.deepEqual(
        (await state.readUsage('2026-11', 'acme')).map(({ requests, cost }) => [requests, cost]),
        [[2, 0.75]],
      );
    });

    it('keeps usage per tenant, model and feature, readable by one tenant or all', async () => {
      const state = await store();
      const delta = { requests: 1, promptTokens: 10, completionTokens: 5, cost: 0.125, fallbacks: 1 };
      await state.addUsage('2026-11', { tenant: 'acme', model: 'chat', feature: 'search' }, delta);
      await state.addUsage('2026-11', { tenant: 'acme', model: 'chat', feature: 'search' }, { ...delta, fallbacks: 0 });
      await state.addUsage('2026-11', { tenant: 'acme', model: 'claude', feature: '' }, delta);
      await state.addUsage('2026-11', { tenant: 'globex', model: 'chat', feature: '' }, delta);
      await state.addUsage('2026-10', { tenant: 'acme', model: 'chat', feature: 'search' }, delta);
      const acme = await state.readUsage('2026-11', 'acme');
      const byKey = (rows: typeof acme) => rows.map((row) => `${row.tenant}/${row.model}/${row.feature}`).sort();
      assert.deepEqual(byKey(acme), ['acme/chat/search', 'acme/claude/']);
      assert.deepEqual(
        acme.find((row) => row.feature === 'search'),
        {
          tenant: 'acme',
          model: 'chat',
          feature: 'search',
          requests: 2,
          promptTokens: 20,
          completionTokens: 10,
          cost: 0.25,
          fallbacks: 1,
          cacheHits: 0,
          savedTokens: 0,
          savedCost: 0,
        },
      );
      assert.deepEqual(byKey(await state.readUsage('2026-11')), ['acme/chat/search', 'acme/claude/', 'globex/chat/']);
    });

    it("keeps each tenant's cache hits apart, newest first, the newest ones only, for the retention only", async () => {
      const state = await store();
      const now = Date.now();
      const total = cacheHitAuditEntries + 5;
      for (let index = 0; index < total; index++)
        await state.recordCacheHit(cacheHit('acme', `cache-hit-${index}`, now - total + index));
      await state.recordCacheHit(cacheHit('globex', 'cache-hit-globex', now));
      await state.recordCacheHit(cacheHit('globex', 'cache-hit-expired', now - cacheHitRetentionMs - 1_000));

      const acme = await state.readCacheHits('acme');
      assert.equal(acme.length, cacheHitAuditEntries, 'trimmed to the cap');
      assert.equal(acme[0]?.id, `cache-hit-${total - 1}`, 'newest first');
      assert.equal(acme.at(-1)?.id, 'cache-hit-5', 'the oldest went first');
      assert.deepEqual(acme[0], cacheHit('acme', `cache-hit-${total - 1}`, now - 1), 'kept whole');
      assert.equal(await state.readCacheHit('acme', 'cache-hit-4'), undefined, 'a trimmed hit is gone');
      assert.deepEqual(
        (await state.readCacheHits('acme', now - 3)).map((record) => record.id),
        [`cache-hit-${total - 1}`, `cache-hit-${total - 2}`, `cache-hit-${total - 3}`],
        'since is inclusive',
      );

      assert.deepEqual(
        (await state.readCacheHits('globex')).map((record) => record.id),
        ['cache-hit-globex'],
        "another tenant's hits and expired ones are not listed",
      );
      assert.equal((await state.readCacheHit('globex', 'cache-hit-globex'))?.tenant, 'globex');
      assert.equal(await state.readCacheHit('acme', 'cache-hit-globex'), undefined, "another tenant's id is not found");
      assert.equal(await state.readCacheHit('globex', 'cache-hit-expired'), undefined, 'past the retention');
      assert.deepEqual(await state.readCacheHits('initech'), []);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

contract('MemoryRouteStateStore', async () => new MemoryRouteStateStore(circuit, alpha));

describe('MemoryRouteStateStore: billing markers', () => {
  it('remembers a bill for billingMarkerTtlMs and forgets it within a minute more, so memory stays bounded', async () => {
    const state = new MemoryRouteStateStore(circuit, alpha);
    const bill = (inferenceId: string, now: number) => state.billInference({ inferenceId, cost: 0 }, now);
    const start = 1_800_000_000_000;
    assert.equal(await bill('inf-a', start), true);
    assert.equal(await bill('inf-b', start + 30_000), true);
    assert.equal(await bill('inf-a', start + billingMarkerTtlMs - 1), false, 'still remembered at the end of the TTL');
    assert.equal(await bill('inf-a', start + billingMarkerTtlMs + 60_000), true, 'forgotten a minute after the TTL');
    assert.equal(await bill('inf-b', start + billingMarkerTtlMs + 90_000), true);
    assert.equal(await bill('inf-a', start + billingMarkerTtlMs + 90_000), false, 'billed anew, remembered anew');
  });
});

describe('with Redis', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });
  contract('RedisRouteStateStore', async () => {
    const client = new Redis(redis.url);
    clients.push(client);
    // A fresh key prefix per test keeps tests apart on one server.
    return new RedisRouteStateStore(client, circuit, alpha, `test-${randomUUID()}:`);
  });

  it('counts a window written before the running token sum, and prunes thousands of expired reservations at once', async () => {
    const client = new Redis(redis.url);
    clients.push(client);
    const prefix = `test-${randomUUID()}:`;
    const state = new RedisRouteStateStore(client, circuit, alpha, prefix);
    // The layout an older gateway wrote: reservations and their tokens, no `sum` field.
    const base = `${prefix}route:{${route}}`;
    const pipeline = client.pipeline();
    for (let index = 0; index < 9_000; index++) {
      pipeline.zadd(`${base}:res`, index, `old-${index}`);
      pipeline.hset(`${base}:tok`, `old-${index}`, 2);
    }
    await pipeline.exec();
    const before = (await state.snapshot([route], 9_000))[route]!;
    assert.deepEqual([before.requestsThisMinute, before.tokensThisMinute], [9_000, 18_000]);
    await state.reconcile(route, 'old-8999', 12);
    const id = await state.reserve(route, {}, 5, 9_000);
    assert.ok(id);
    assert.equal((await state.snapshot([route], 9_000))[route]?.tokensThisMinute, 18_015);
    // At 68.5 s the reservations made at 8.5 s or before (8,501 at once) have left the minute.
    const after = (await state.snapshot([route], 68_500))[route]!;
    assert.deepEqual([after.requestsThisMinute, after.tokensThisMinute], [500, 498 * 2 + 12 + 5]);
  });
});
