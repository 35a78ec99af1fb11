import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { DecisionRecord } from '../../src/workflows/inference-types';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

describe('cancellation by the client', () => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack();
  });
  after(async () => stack?.stop());

  // Standard traffic calls the provider as a local activity, background traffic as an activity.
  for (const [trafficClass, kind] of [
    ['standard', 'local activity'],
    ['background', 'activity'],
  ] as const) {
    it(`cancels the workflow and aborts the provider call (${kind}) when the client disconnects, and the audit says so`, async () => {
      const session = `cancel-${randomUUID()}`;
      const cancelledAttempts =
        /^gateway_attempts_total\{provider="openai",model="sim-gpt",region="us",result="Cancelled"\} (\d+)/m;
      const cancelledNow = (metrics: string) => Number(metrics.match(cancelledAttempts)?.[1] ?? 0);
      const readMetrics = async () => (await fetch(`${stack.gateway.url}/metrics`)).text();
      const cancelledSoFar = cancelledNow(await readMetrics());
      stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, latencyMs: 5_000 }]);
      const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
      const abort = new AbortController();
      const before = stack.simulator.callCount('openai/primary/us/sim-gpt');
      const request = openai.chat.completions.create(
        { model: 'chat-default', messages: [{ role: 'user', content: 'never mind' }] },
        { signal: abort.signal, headers: { 'x-session-id': session, 'x-traffic-class': trafficClass } },
      );
      while (stack.simulator.callCount('openai/primary/us/sim-gpt') === before)
        await new Promise((resolve) => setTimeout(resolve, 50));
      abort.abort();
      await assert.rejects(request, (error: unknown) => error instanceof OpenAI.APIUserAbortError);
      stack.simulator.setFaults([]);

      let workflowId: string | undefined;
      for (let i = 0; i < 100 && !workflowId; i++) {
        for await (const execution of stack.gateway.client.workflow.list({ query: `GatewaySession = "${session}"` }))
          workflowId = execution.workflowId;
        if (!workflowId) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(workflowId, 'the inference is listed');
      const handle = stack.gateway.client.workflow.getHandle(workflowId);
      await handle.result().catch(() => undefined);
      // The API's cancel signal reaches the running call at once, which aborts it and counts a
      // cancelled attempt.
      let metrics = await readMetrics();
      for (let i = 0; i < 100 && cancelledNow(metrics) === cancelledSoFar; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        metrics = await readMetrics();
      }
      assert.equal(cancelledNow(metrics), cancelledSoFar + 1, 'the in-flight provider call was aborted');
      const lookup = await fetch(`${stack.gateway.url}/v1/inferences/${workflowId}`, {
        headers: { authorization: `Bearer ${stack.gatewayKey}` },
      });
      const body = (await lookup.json()) as { error: { code: string; message: string }; decision: DecisionRecord };
      assert.equal(body.error.code, 'cancelled');
      assert.match(body.error.message, /cancelled by the client/);
      assert.equal(body.decision.end, 'cancelled by client');
      assert.equal(body.decision.attempts.at(-1)?.outcome, 'Cancelled');
      assert.equal(
        stack.simulator.callCount('openai/primary/us/sim-gpt'),
        before + 1,
        'no retry and no fallback after a cancellation',
      );
    });
  }
});
