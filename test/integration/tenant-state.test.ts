import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import OpenAI from 'openai';
import { routeKey } from '../../src/routing/route';
import { budgetPeriods } from '../../src/state/budget-periods';
import type { DecisionRecord } from '../../src/workflows/inference-types';
import { onBothStores } from '../helpers/both-stores';
import { routingEnvironment } from '../helpers/routing-scenarios';
import { tenantConfig, tenantKeys as keys } from '../helpers/tenant-scenarios';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

// Stickiness, budget tiers, budget atomicity, TPM windows and usage, each on the in-memory store
// and on a real Redis.
onBothStores('tenants on shared state', (storeFor) => {
  let stack: TestStack;
  const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  const ask = (
    key: string,
    model: string,
    headers: Record<string, string> = {},
    extra: { user?: string; max_tokens?: number } = {},
  ) =>
    client(key)
      .chat.completions.create(
        { model, messages: [{ role: 'user', content: 'q' }], max_tokens: 10, ...extra },
        { headers },
      )
      .withResponse();
  const decisionOf = async (key: string, id: string): Promise<DecisionRecord> => {
    const response = await fetch(`${stack.gateway.url}/v1/inferences/${id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return ((await response.json()) as { decision: DecisionRecord }).decision;
  };
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => assert.fail('expected a refusal'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof OpenAI.APIError, String(error));
    return error;
  };
  const route = (model: string) => ({
    provider: model.startsWith('sticky-a') || model.startsWith('critical-a') ? 'openai' : 'anthropic',
    account: model.startsWith('sticky-a') || model.startsWith('critical-a') ? 'primary' : 'anthropic-main',
    region: 'us',
    model,
  });
  const key = (model: string) => routeKey({ ...route(model), providerKind: 'openai' });

  before(async () => {
    stack = await startTestStack(tenantConfig, routingEnvironment, undefined, storeFor);
  });
  after(async () => stack?.stop());

  it('binds a session to the route that first served it, keeps it there, and audits a move on failover', async () => {
    const session = { 'x-session-id': 'session-1' };
    // The first request lands on the priority-1 route because the priority-0 one fails.
    stack.simulator.setFaults([{ match: { model: 'sticky-a' }, error: 'server_error' }]);
    const first = await ask(keys.sticky, 'sticky', session);
    assert.equal(first.response.headers.get('x-gateway-model'), 'sticky-b');
    stack.simulator.setFaults([]);
    for (let i = 0; i < 3; i++) {
      const { response } = await ask(keys.sticky, 'sticky', session);
      assert.equal(
        response.headers.get('x-gateway-model'),
        'sticky-b',
        'the session stays on its route although sticky-a has priority',
      );
    }
    const other = await ask(keys.sticky, 'sticky', { 'x-session-id': 'session-2' });
    assert.equal(other.response.headers.get('x-gateway-model'), 'sticky-a', 'another session routes by priority');

    stack.simulator.setFaults([{ match: { model: 'sticky-b' }, error: 'server_error' }]);
    const moved = await ask(keys.sticky, 'sticky', session);
    assert.equal(moved.response.headers.get('x-gateway-model'), 'sticky-a');
    const decision = await decisionOf(keys.sticky, moved.response.headers.get('x-gateway-inference-id')!);
    assert.deepEqual(decision.session, {
      boundTo: key('sticky-b'),
      servedBy: key('sticky-a'),
      moved: true,
      reason: 'the bound route failed with ServerError',
    });
    stack.simulator.setFaults([]);
    const after = await ask(keys.sticky, 'sticky', session);
    assert.equal(after.response.headers.get('x-gateway-model'), 'sticky-a', 'the binding moved with the failover');
    const kept = await decisionOf(keys.sticky, after.response.headers.get('x-gateway-inference-id')!);
    assert.deepEqual(kept.session, { boundTo: key('sticky-a'), servedBy: key('sticky-a'), moved: false });
  });

  it('uses the OpenAI user field as the session when configured', async () => {
    stack.simulator.setFaults([{ match: { model: 'sticky-a' }, error: 'server_error' }]);
    assert.equal(
      (await ask(keys.sticky, 'sticky', {}, { user: 'end-user-7' })).response.headers.get('x-gateway-model'),
      'sticky-b',
    );
    stack.simulator.setFaults([]);
    assert.equal(
      (await ask(keys.sticky, 'sticky', {}, { user: 'end-user-7' })).response.headers.get('x-gateway-model'),
      'sticky-b',
    );
  });

  it('never moves a critical session to a lower-quality model, though critical traffic without a session may', async () => {
    const critical = { 'x-traffic-class': 'critical' };
    const bound = await ask(keys.sticky, 'sticky-critical', { ...critical, 'x-session-id': 'critical-1' });
    assert.equal(bound.response.headers.get('x-gateway-model'), 'critical-a');
    stack.simulator.setFaults([{ match: { model: 'critical-a' }, error: 'server_error' }]);
    const error = await refusal(ask(keys.sticky, 'sticky-critical', { ...critical, 'x-session-id': 'critical-1' }));
    assert.equal(error.status, 503);
    assert.equal(error.code, 'all_routes_exhausted');
    const decision = await decisionOf(keys.sticky, error.headers!.get('x-gateway-inference-id')!);
    const skips = decision.selections.flatMap((selection) => selection.steps.flatMap((step) => step.skipped));
    assert.ok(
      skips.some((skip) => skip.reason === 'quality_floor' && /critical session/.test(skip.detail ?? '')),
      JSON.stringify(skips),
    );
    assert.equal(stack.simulator.callCount('anthropic/anthropic-main/us/critical-cheap'), 0);
    const unbound = await ask(keys.sticky, 'sticky-critical', critical);
    assert.equal(
      unbound.response.headers.get('x-gateway-model'),
      'critical-cheap',
      'without a session the chain may go down in quality',
    );
    stack.simulator.setFaults([]);
  });

  it('applies the budget tiers: downgrade at 80%, refuse nonessential at 95%, refuse all at 100%', async () => {
    const periods = budgetPeriods(stack.config, 'tiers', Date.now());
    await stack.store.settleSpend(periods, undefined, 8.5, Date.now());
    const standard = await ask(keys.tiers, 'budget-chat', { 'x-feature': 'checkout' });
    assert.equal(
      standard.response.headers.get('x-gateway-model'),
      'budget-premium',
      'standard traffic keeps its route at 85%',
    );
    const background = await ask(keys.tiers, 'budget-chat', { 'x-traffic-class': 'background', 'x-feature': 'digest' });
    assert.equal(
      background.response.headers.get('x-gateway-model'),
      'budget-cheap',
      'background traffic is downgraded at 85%',
    );
    const decision = await decisionOf(keys.tiers, background.response.headers.get('x-gateway-inference-id')!);
    assert.equal(decision.budget?.effect, 'downgrade');
    assert.ok(decision.budget!.spent >= 0.85 && decision.budget!.spent < 0.86, String(decision.budget?.spent));

    await stack.store.settleSpend(periods, undefined, 1, Date.now());
    const calls = stack.simulator.callCount();
    for (const trafficClass of ['background', 'batch']) {
      const error = await refusal(ask(keys.tiers, 'budget-chat', { 'x-traffic-class': trafficClass }));
      assert.equal(error.status, 429);
      assert.equal(error.code, 'budget_exceeded');
      assert.match(error.message, /95%/);
      assert.ok(Number(error.headers?.get('retry-after')) > 0);
    }
    assert.equal(
      (await ask(keys.tiers, 'budget-chat')).response.headers.get('x-gateway-model'),
      'budget-premium',
      'standard still served at 95%',
    );

    await stack.store.settleSpend(periods, undefined, 0.5, Date.now());
    for (const trafficClass of ['standard', 'critical']) {
      const error = await refusal(ask(keys.tiers, 'budget-chat', { 'x-traffic-class': trafficClass }));
      assert.equal(error.status, 429);
      assert.equal(error.code, 'budget_exceeded');
      assert.match(error.message, /every request is refused until/);
    }
    assert.equal(stack.simulator.callCount(), calls + 1, 'refusals make no provider call');
  });

  it('keeps spend atomic: 50 concurrent requests near the limit never overshoot it', async () => {
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => ask(keys.atomic, 'budget-atomic')));
    const served = results.filter((result) => result.status === 'fulfilled');
    const refused = results
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map((result) => result.reason as InstanceType<typeof OpenAI.APIError>);
    for (const error of refused) {
      assert.equal(error.code, 'budget_exceeded', error.message);
      // Refused at admission or, once admitted, when the reservation no longer fits: either way
      // the 429 says when to come back.
      assert.ok(Number(error.headers?.get('retry-after')) > 0, `a 429 without Retry-After: ${error.message}`);
    }
    // Every reservation is 10 and every call costs 6: ten reservations fill the budget of 100,
    // and calls that finish early free 4 each for later ones.
    assert.ok(served.length >= 10 && served.length <= 16, `served ${served.length}`);
    const [month, day] = await stack.store.readSpend(budgetPeriods(stack.config, 'atomic', Date.now()), Date.now());
    assert.equal(month?.committed, served.length * 6, 'spend is the sum of the real costs');
    assert.ok(month!.committed <= 100, `spend ${month?.committed} stays within the budget`);
    assert.equal(month?.reserved, 0, 'every reservation was settled');
    assert.equal(day?.committed, month?.committed, 'the day and the month agree');
    assert.equal(
      stack.simulator.callCount('openai/primary/us/atomic-model'),
      served.length,
      'no provider call for a refused request',
    );
  });

  it('reports usage by model and feature to the tenant, and every tenant to an admin key', async () => {
    const usage = async (key: string, query = '') => {
      const response = await fetch(`${stack.gateway.url}/v1/usage${query}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          tenants: Array<{
            tenant: string;
            requests: number;
            cost: number;
            fallbacks: number;
            by_model: Array<{ model: string; requests: number }>;
            by_feature: Array<{ feature: string; requests: number }>;
          }>;
        },
      };
    };
    const own = await usage(keys.tiers);
    assert.equal(own.status, 200);
    assert.deepEqual(
      own.body.tenants.map((tenant) => tenant.tenant),
      ['tiers'],
    );
    const [tiers] = own.body.tenants;
    assert.equal(tiers?.requests, 3);
    assert.deepEqual(
      tiers?.by_model.map((row) => [row.model, row.requests]),
      [['budget-chat', 3]],
      'a downgraded request counts under the model the client asked for',
    );
    assert.deepEqual(
      tiers?.by_feature.map((row) => [row.feature, row.requests]),
      [
        ['', 1],
        ['checkout', 1],
        ['digest', 1],
      ],
    );
    assert.equal((await usage(keys.tiers, '?tenant=atomic')).status, 403, 'a tenant key cannot read another tenant');
    const all = await usage(keys.admin);
    const names = all.body.tenants.map((tenant) => tenant.tenant);
    for (const name of ['sticky-tenant', 'tiers', 'atomic']) assert.ok(names.includes(name), names.join());
    const sticky = all.body.tenants.find((tenant) => tenant.tenant === 'sticky-tenant');
    assert.ok(sticky!.fallbacks >= 3, 'failovers are counted');
    const atomic = await usage(keys.admin, '?tenant=atomic');
    assert.deepEqual(
      atomic.body.tenants.map((tenant) => tenant.tenant),
      ['atomic'],
    );
    assert.equal(atomic.body.tenants[0]?.cost, atomic.body.tenants[0]!.requests * 6);
  });

  it('limits tokens per minute per key with an honest Retry-After, and traffic classes by scope', async () => {
    await ask(keys.tpm, 'sticky', {}, { max_tokens: 80 });
    const error = await refusal(ask(keys.tpm, 'sticky', {}, { max_tokens: 80 }));
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limited');
    assert.match(error.message, /100 tokens per minute/);
    const retryAfter = Number(error.headers?.get('retry-after'));
    assert.ok(retryAfter >= 55 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    const scoped = await refusal(ask(keys.batchOnly, 'sticky'));
    assert.equal(scoped.status, 403);
    assert.equal(scoped.code, 'traffic_class_not_allowed');
    assert.equal((await ask(keys.batchOnly, 'sticky', { 'x-traffic-class': 'batch' })).response.status, 200);
  });
});
