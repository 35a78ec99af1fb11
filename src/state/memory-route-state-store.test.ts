import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryRouteStateStore } from './memory-route-state-store';

const route = 'openai/a1/us/gpt';
const account = 'openai/a1';
const failure = { ok: false as const, transient: true, reservedTokens: 0 };

function store() {
  return new MemoryRouteStateStore(() => ({ failureThreshold: 2, cooldownMs: 10_000 }), () => 0.5);
}

describe('MemoryRouteStateStore', () => {
  it('opens a circuit after consecutive transient failures, half-opens after the cool-down, closes on success', async () => {
    const state = store();
    await state.record(route, account, failure, 0);
    assert.equal((await state.snapshot([route], 0))[route]?.circuit, 'closed');
    await state.record(route, account, failure, 1);
    assert.equal((await state.snapshot([route], 2))[route]?.circuit, 'open');
    assert.equal(await state.claimTrial(route, 5_000), false, 'no trial while open');
    assert.equal((await state.snapshot([route], 10_001))[route]?.circuit, 'half-open');
    assert.equal(await state.claimTrial(route, 10_001), true, 'one trial');
    assert.equal(await state.claimTrial(route, 10_002), false, 'only one trial');
    await state.record(route, account, { ok: true, latencyMs: 100, tokens: 10, reservedTokens: 10 }, 10_003);
    assert.equal((await state.snapshot([route], 10_004))[route]?.circuit, 'closed');
  });

  it('reopens the circuit when the half-open trial fails', async () => {
    const state = store();
    await state.record(route, account, failure, 0);
    await state.record(route, account, failure, 0);
    assert.equal(await state.claimTrial(route, 10_000), true);
    await state.record(route, account, failure, 10_001);
    assert.equal((await state.snapshot([route], 10_002))[route]?.circuit, 'open');
  });

  it('reserves within RPM and TPM limits, atomically per call, over a sliding minute', async () => {
    const state = store();
    assert.equal(await state.reserve(route, { rpm: 2, tpm: 100 }, 40, 0), true);
    assert.equal(await state.reserve(route, { rpm: 2, tpm: 100 }, 70, 1), false, 'tokens over TPM');
    assert.equal(await state.reserve(route, { rpm: 2, tpm: 100 }, 50, 2), true);
    assert.equal(await state.reserve(route, { rpm: 2 }, 1, 3), false, 'requests over RPM');
    assert.equal(await state.reserve(route, { rpm: 2 }, 1, 60_001), true, 'the window slid');
  });

  it('reconciles a reservation with the real usage', async () => {
    const state = store();
    await state.reserve(route, {}, 500, 0);
    await state.record(route, account, { ok: true, latencyMs: 50, tokens: 120, reservedTokens: 500 }, 1);
    assert.equal((await state.snapshot([route], 2))[route]?.tokensThisMinute, 120);
  });

  it('keeps a latency EWMA', async () => {
    const state = store();
    await state.record(route, account, { ok: true, latencyMs: 100, tokens: 1, reservedTokens: 1 }, 0);
    await state.record(route, account, { ok: true, latencyMs: 300, tokens: 1, reservedTokens: 1 }, 1);
    assert.equal((await state.snapshot([route], 2))[route]?.latencyEwmaMs, 200);
  });

  it('cools down a whole account on quota exhaustion and a route on a rate limit', async () => {
    const state = store();
    const other = 'openai/a1/eu/gpt';
    await state.record(route, account, { ok: false, transient: false, reservedTokens: 0, coolDownAccount: true, retryAfterMs: 30_000 }, 0);
    const snapshot = await state.snapshot([route, other], 1);
    assert.equal(snapshot[route]?.coolingDownUntil, 30_000);
    assert.equal(snapshot[other]?.coolingDownUntil, 30_000);
    const limited = store();
    await limited.record(route, account, { ok: false, transient: true, reservedTokens: 0, coolDownRoute: true, retryAfterMs: 2_000 }, 0);
    const after = await limited.snapshot([route, other], 1);
    assert.equal(after[route]?.coolingDownUntil, 2_000);
    assert.equal(after[other]?.coolingDownUntil, undefined);
  });
});
