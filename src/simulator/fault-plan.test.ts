import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultPlan } from './fault-plan';
import type { SimulatedRoute } from './simulator-faults';

const route: SimulatedRoute = { provider: 'openai', account: 'a', region: 'us', model: 'm' };
const otherRoute: SimulatedRoute = { ...route, region: 'eu' };

function planWithClock(random = () => 0) {
  let now = 1_000_000;
  const plan = new FaultPlan(random, () => now);
  return { plan, advance: (milliseconds: number) => (now += milliseconds) };
}

describe('FaultPlan', () => {
  it('applies a fault only to the routes it matches', () => {
    const { plan } = planWithClock();
    plan.set([{ match: { region: 'us' }, error: 'server_error' }]);
    assert.equal(plan.plan(route, 1).error, 'server_error');
    assert.equal(plan.plan(otherRoute, 1).error, undefined);
  });

  it('fails only the first N calls when times is set', () => {
    const { plan } = planWithClock();
    plan.set([{ error: 'overloaded', times: 2 }]);
    assert.deepEqual(
      [1, 2, 3].map(() => plan.plan(route, 1).error),
      ['overloaded', 'overloaded', undefined],
    );
  });

  it('fails the configured share of calls', () => {
    const draws = [0.1, 0.9, 0.4, 0.6];
    const { plan } = planWithClock(() => draws.shift() ?? 0);
    plan.set([{ error: 'server_error', rate: 0.5 }]);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => plan.plan(route, 1).error),
      ['server_error', undefined, 'server_error', undefined],
    );
  });

  it('limits requests per minute per route and reopens when the window slides', () => {
    const { plan, advance } = planWithClock();
    plan.set([{ rpm: 2 }]);
    assert.equal(plan.plan(route, 1).limits?.remainingRequests, 1);
    advance(10_000);
    assert.equal(plan.plan(route, 1).limits?.remainingRequests, 0);
    const limited = plan.plan(route, 1);
    assert.equal(limited.error, 'rate_limited');
    assert.equal(limited.retryAfterSeconds, 50);
    assert.equal(plan.plan(otherRoute, 1).error, undefined, 'each route has its own window');
    advance(50_001);
    assert.equal(plan.plan(route, 1).error, undefined);
  });

  it('limits tokens per minute', () => {
    const { plan } = planWithClock();
    plan.set([{ tpm: 100 }]);
    assert.equal(plan.plan(route, 60).error, undefined);
    assert.equal(plan.plan(route, 60).error, 'rate_limited');
    assert.equal(plan.plan(route, 40).error, undefined);
  });

  it('fails inside an outage window only', () => {
    const { plan, advance } = planWithClock();
    plan.set([{ outage: { startMs: 1_000, durationMs: 5_000 } }]);
    assert.equal(plan.plan(route, 1).error, undefined);
    advance(1_000);
    assert.equal(plan.plan(route, 1).error, 'overloaded');
    advance(5_000);
    assert.equal(plan.plan(route, 1).error, undefined);
  });

  it('adds latency from every matching fault', () => {
    const { plan } = planWithClock(() => 0.5);
    plan.set([{ latencyMs: 10 }, { latencyMs: { min: 100, max: 200 }, timeToFirstTokenMs: 30 }]);
    const decided = plan.plan(route, 1);
    assert.equal(decided.latencyMs, 160);
    assert.equal(decided.timeToFirstTokenMs, 30);
  });
});
