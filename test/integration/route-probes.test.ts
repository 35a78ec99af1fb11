import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routeKey } from '../../src/routing/route';
import { MemoryRouteStateStore } from '../../src/state/memory-route-state-store';
import { ensureRouteProbeSchedule, routeProbeScheduleId } from '../../src/worker/route-probe-schedule';
import type { ProbeResult } from '../../src/activities/probe-activities';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

describe('active route probes', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack?.stop();
  });

  it('runs every 10 s on a Temporal Schedule that skips overlapping runs', async () => {
    const { client, taskQueue } = stack.gateway;
    await ensureRouteProbeSchedule(client, taskQueue, 10);
    await ensureRouteProbeSchedule(client, taskQueue, 10); // a restart updates, not fails
    const description = await client.schedule.getHandle(routeProbeScheduleId).describe();
    assert.equal(description.spec.intervals?.[0]?.every, 10_000);
    assert.equal(description.action.type, 'startWorkflow');
    assert.equal(description.action.type === 'startWorkflow' && description.action.workflowType, 'probeRoutes');
    assert.equal(description.policies.overlap, 'SKIP');
    // The 10-s interval may already have fired a run; pause the schedule and let every run it
    // started finish, so that none of its probe calls land in the next test's count.
    const handle = client.schedule.getHandle(routeProbeScheduleId);
    await handle.trigger(); // one run for certain, so the wait below is always exercised
    await handle.pause('test over');
    // The schedule's own workflow starts the run; on a busy CI machine that once took over 10 s.
    let started: string[] = [];
    for (let waited = 0; started.length === 0 && waited < 30_000; waited += 100) {
      const { info } = await handle.describe();
      started = [...info.recentActions.map((result) => result.action), ...info.runningActions].map(
        (action) => action.workflow.workflowId,
      );
      if (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(started.length > 0, 'the triggered run is recorded within 30 s');
    await Promise.all([...new Set(started)].map((workflowId) => client.workflow.getHandle(workflowId).result()));
    await ensureRouteProbeSchedule(client, taskQueue, 0);
    await assert.rejects(client.schedule.getHandle(routeProbeScheduleId).describe());
  });

  it('probes every route once and reports each result, feeding the health state', async () => {
    stack.simulator.setFaults([{ match: { provider: 'anthropic' }, error: 'overloaded' }]);
    stack.simulator.calls.clear();
    const results: ProbeResult[] = await stack.gateway.client.workflow.execute('probeRoutes', {
      taskQueue: stack.gateway.taskQueue,
      workflowId: `probe-test-${Date.now()}`,
    });
    const byRoute = Object.fromEntries(results.map((result) => [result.route, result.ok ? 'ok' : result.errorType]));
    assert.deepEqual(byRoute, {
      'openai/primary/us/sim-gpt': 'ok',
      'anthropic/anthropic-main/us/claude-sim': 'Overloaded',
      'bedrock/aws-main/us-east-1/us.amazon.nova-lite-v1:0': 'ok',
      'vllm/onprem/dc1/llama-sim': 'ok',
    });
    assert.equal(stack.simulator.callCount(), 4, 'one call per route, no retries');
    const store = stack.store as MemoryRouteStateStore;
    const state = await store.snapshot(
      [routeKey({ provider: 'openai', providerKind: 'openai', model: 'sim-gpt', account: 'primary', region: 'us' })],
      Date.now(),
    );
    assert.ok(Object.values(state)[0]?.latencyEwmaMs !== undefined, 'a successful probe updates the latency EWMA');
  });
});
