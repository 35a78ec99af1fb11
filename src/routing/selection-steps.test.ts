import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTrafficClasses, type TrafficClassName } from '../config/gateway-config-schema';
import { parseConfig } from '../config/load-config';
import { routeCandidates } from './route-candidates';
import type { RouteState, RoutingContext } from './routing-types';
import { narrowCandidates, selectAccount, selectModel, selectProvider, selectRegion } from './selection-steps';

const config = parseConfig({
  providers: [
    {
      id: 'openai',
      kind: 'openai',
      accounts: [
        {
          id: 'a1',
          apiKeyEnv: 'K1',
          regions: [
            { id: 'us', residency: 'us' },
            { id: 'eu', residency: 'eu' },
          ],
        },
        { id: 'a2', apiKeyEnv: 'K2', regions: [{ id: 'us' }] },
      ],
    },
    { id: 'anthropic', kind: 'anthropic', accounts: [{ id: 'b1', apiKeyEnv: 'K3', regions: [{ id: 'us' }] }] },
  ],
  modelGroups: [
    {
      name: 'smart',
      quality: 5,
      fallbacks: ['cheap'],
      deployments: [
        {
          provider: 'openai',
          model: 'gpt-big',
          account: 'a1',
          region: 'us',
          rpm: 3,
          pricing: { inputPerMillion: 10, outputPerMillion: 30 },
        },
        { provider: 'openai', model: 'gpt-big', account: 'a1', region: 'eu' },
        { provider: 'openai', model: 'gpt-big', account: 'a2', region: 'us', weight: 3 },
        {
          provider: 'anthropic',
          model: 'claude-big',
          account: 'b1',
          region: 'us',
          priority: 1,
          capabilities: { tools: false },
        },
      ],
    },
    {
      name: 'cheap',
      quality: 2,
      deployments: [{ provider: 'anthropic', model: 'claude-small', account: 'b1', region: 'us', contextWindow: 1000 }],
    },
  ],
});

const needs = { estimatedPromptTokens: 100, maxOutputTokens: 100, tools: false, vision: false, jsonMode: false };
const context = (trafficClass: TrafficClassName = 'standard', extra: Partial<RoutingContext> = {}): RoutingContext => ({
  modelGroup: 'smart',
  trafficClass,
  policy: defaultTrafficClasses[trafficClass],
  needs,
  excluded: [],
  ...extra,
});
const candidates = routeCandidates(config, 'smart');
const now = 1_000_000;
const closed = (extra: Partial<RouteState> = {}): RouteState => ({
  circuit: 'closed',
  requestsThisMinute: 0,
  tokensThisMinute: 0,
  ...extra,
});

describe('routeCandidates', () => {
  it('lists the group deployments, then each fallback group at the next tier', () => {
    assert.deepEqual(
      candidates.map((candidate) => `${candidate.tier}:${candidate.key}`),
      [
        '0:openai/a1/us/gpt-big',
        '0:openai/a1/eu/gpt-big',
        '0:openai/a2/us/gpt-big',
        '0:anthropic/b1/us/claude-big',
        '1:anthropic/b1/us/claude-small',
      ],
    );
  });
});

describe('selection steps', () => {
  it('chooses the provider with the best tier and priority, keeping the rest in order', () => {
    const decision = selectProvider({ candidates, context: context(), state: {}, now });
    assert.equal(decision.choice, 'openai');
    assert.deepEqual(decision.alternatives, ['anthropic']);
  });

  it('skips a provider none of whose routes can serve, with the reason', () => {
    const state = {
      'openai/a1/us/gpt-big': closed({ circuit: 'open' }),
      'openai/a1/eu/gpt-big': closed({ circuit: 'open' }),
      'openai/a2/us/gpt-big': closed({ circuit: 'open' }),
    };
    const decision = selectProvider({ candidates, context: context(), state, now });
    assert.equal(decision.choice, 'anthropic');
    assert.deepEqual(decision.skipped, [{ candidate: 'openai', reason: 'circuit_open' }]);
    assert.deepEqual(Object.keys(decision.stateSeen).sort(), Object.keys(state).sort());
  });

  it('shares traffic by weight among accounts of equal priority', () => {
    const inOpenAI = narrowCandidates(candidates, { provider: 'openai', model: 'gpt-big' });
    const draws = [0.5, 0.5];
    // Efraimidis–Spirakis keys: a1 = 0.5^(1/2) (two deployments, weight 2) ≈ 0.71, a2 = 0.5^(1/3) ≈ 0.79.
    const decision = selectAccount({
      candidates: inOpenAI,
      context: context(),
      state: {},
      now,
      random: () => draws.shift() ?? 0.5,
    });
    assert.equal(decision.choice, 'a2');
    assert.deepEqual(decision.alternatives, ['a1']);
  });

  it('overflows to the next account when one is out of quota', () => {
    const inOpenAI = narrowCandidates(candidates, { provider: 'openai', model: 'gpt-big', account: 'a1' });
    const state = { 'openai/a1/us/gpt-big': closed({ requestsThisMinute: 3 }) };
    const decision = selectRegion({ candidates: inOpenAI, context: context(), state, now });
    assert.equal(decision.choice, 'eu');
    assert.deepEqual(decision.skipped, [{ candidate: 'us', reason: 'no_quota', detail: 'rpm 3 reached' }]);
  });

  it('shares regions by weight by default: neither a latency average nor an untried region decides', () => {
    const inA1 = narrowCandidates(candidates, { provider: 'openai', model: 'gpt-big', account: 'a1' });
    // us measured slow, eu never tried: over many draws each region wins about half the time.
    const state = { 'openai/a1/us/gpt-big': closed({ latencyEwmaMs: 300 }) };
    let seed = 7;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const wins = { us: 0, eu: 0 };
    for (let draw = 0; draw < 2_000; draw++)
      wins[selectRegion({ candidates: inA1, context: context(), state, now, random }).choice as 'us' | 'eu'] += 1;
    assert.ok(Math.abs(wins.us - wins.eu) < 200, `equal weights share within 10%: ${JSON.stringify(wins)}`);
  });

  it('orders regions by latency average under the latency strategy, an unmeasured region last', () => {
    const latencyFirst = candidates.map((candidate) => ({ ...candidate, routingStrategy: 'latency' as const }));
    const inA1 = narrowCandidates(latencyFirst, { provider: 'openai', model: 'gpt-big', account: 'a1' });
    const measured = {
      'openai/a1/us/gpt-big': closed({ latencyEwmaMs: 300 }),
      'openai/a1/eu/gpt-big': closed({ latencyEwmaMs: 80 }),
    };
    assert.equal(selectRegion({ candidates: inA1, context: context(), state: measured, now }).choice, 'eu');
    const untried = { 'openai/a1/us/gpt-big': closed({ latencyEwmaMs: 300 }) };
    assert.equal(
      selectRegion({ candidates: inA1, context: context(), state: untried, now }).choice,
      'us',
      'an untried region does not win by default',
    );
  });

  it('honours a provider cool-down until it passes', () => {
    const inA2 = narrowCandidates(candidates, { provider: 'openai', model: 'gpt-big', account: 'a2' });
    const state = { 'openai/a2/us/gpt-big': closed({ coolingDownUntil: now + 5_000 }) };
    const decision = selectRegion({ candidates: inA2, context: context(), state, now });
    assert.equal(decision.choice, undefined);
    assert.equal(decision.skipped[0]?.reason, 'no_quota');
    assert.equal(selectRegion({ candidates: inA2, context: context(), state, now: now + 5_000 }).choice, 'us');
  });

  it('skips models that lack a capability the request needs', () => {
    const inAnthropic = narrowCandidates(candidates, { provider: 'anthropic' });
    const decision = selectModel({
      candidates: inAnthropic,
      context: context('standard', { needs: { ...needs, tools: true } }),
      state: {},
      now,
    });
    assert.equal(decision.choice, 'claude-small');
    assert.deepEqual(decision.skipped, [{ candidate: 'claude-big', reason: 'capability', detail: 'no tool use' }]);
  });

  it('skips a model whose context window is too small', () => {
    const inAnthropic = narrowCandidates(candidates, { provider: 'anthropic', model: 'claude-small' });
    const large = context('standard', { needs: { ...needs, estimatedPromptTokens: 5_000 } });
    assert.equal(
      selectAccount({ candidates: inAnthropic, context: large, state: {}, now }).skipped[0]?.reason,
      'capability',
    );
  });

  it('keeps critical traffic at or above the requested quality', () => {
    const inAnthropic = narrowCandidates(candidates, { provider: 'anthropic' });
    const decision = selectModel({
      candidates: inAnthropic,
      context: context('critical', { needs: { ...needs, tools: true } }),
      state: {},
      now,
    });
    assert.equal(decision.choice, undefined);
    assert.deepEqual(decision.skipped.map((skip) => skip.reason).sort(), ['capability', 'quality_floor']);
  });

  it('gives experiment traffic no fallback group', () => {
    const inAnthropic = narrowCandidates(candidates, { provider: 'anthropic', model: 'claude-small' });
    assert.equal(
      selectAccount({ candidates: inAnthropic, context: context('experiment'), state: {}, now }).skipped[0]?.reason,
      'fallback_disabled',
    );
  });

  it('skips a route whose estimated cost is over the class ceiling', () => {
    const inA1us = narrowCandidates(candidates, { provider: 'openai', model: 'gpt-big', account: 'a1', region: 'us' });
    const strict = context('standard', { policy: { ...defaultTrafficClasses.standard, costCeiling: 0.001 } });
    assert.equal(
      selectRegion({ candidates: inA1us, context: strict, state: {}, now }).skipped[0]?.reason,
      'cost_ceiling',
    );
  });

  it('never offers a route or account already tried in this inference', () => {
    const decision = selectProvider({
      candidates,
      context: context('standard', { excluded: ['openai/a1', 'openai/a2/us/gpt-big'] }),
      state: {},
      now,
    });
    assert.equal(decision.choice, 'anthropic');
    assert.deepEqual(decision.skipped, [{ candidate: 'openai', reason: 'already_tried' }]);
  });

  it('keeps a tenant with a data residency in regions of that zone', () => {
    const inA1 = narrowCandidates(candidates, { provider: 'openai', model: 'gpt-big', account: 'a1' });
    const decision = selectRegion({
      candidates: inA1,
      context: context('standard', { residency: 'eu' }),
      state: {},
      now,
    });
    assert.equal(decision.choice, 'eu');
    assert.deepEqual(decision.skipped, [
      { candidate: 'us', reason: 'residency', detail: 'region us is us, the tenant requires eu' },
    ]);
  });
});
