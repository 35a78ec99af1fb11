import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

describe('idempotency keys and asynchronous inferences', () => {
  let stack: TestStack;
  let openai: OpenAI;
  const calls = () => stack.simulator.callCount('openai/primary/us/sim-gpt');
  const ask = (content: string, key: string, client = openai) =>
    client.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content }] }, { headers: { 'idempotency-key': key } })
      .withResponse();

  before(async () => {
    stack = await startTestStack();
    openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => stack?.stop());

  it('answers a repeat, while the first is still running and after it ended, from the same inference with no second provider call', async () => {
    stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, latencyMs: 1_000 }]);
    const before = calls();
    const [first, second] = await Promise.all([
      ask('pay once', 'order-41'),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() => ask('pay once', 'order-41')),
    ]);
    stack.simulator.setFaults([]);
    const third = await ask('pay once', 'order-41');
    const id = first.response.headers.get('x-gateway-inference-id');
    assert.match(id ?? '', /^inf-idem-/);
    for (const repeat of [second, third]) {
      assert.equal(repeat.response.headers.get('x-gateway-inference-id'), id);
      assert.deepEqual(repeat.data, first.data);
    }
    assert.equal(calls() - before, 1, 'one provider call for three requests');
  });

  it('refuses the same key with a different body with 409, and keeps keys apart per tenant', async () => {
    await ask('first body', 'order-42');
    await assert.rejects(
      ask('second body', 'order-42'),
      (error: unknown) => error instanceof OpenAI.ConflictError && error.code === 'idempotency_conflict',
    );
    const other = new OpenAI({ apiKey: stack.otherTenantKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    const before = calls();
    const { data } = await ask('second body', 'order-42', other);
    assert.equal(
      data.choices[0]?.message.content,
      'Simulated reply to: second body',
      "another tenant's key is its own",
    );
    assert.equal(calls() - before, 1);
    await assert.rejects(
      ask('x', 'has spaces in it'),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'invalid_idempotency_key',
    );
  });

  it('accepts POST /v1/inferences with 202 and the id, and GET returns the status, then the result', async () => {
    stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, latencyMs: 500 }]);
    const headers = { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json' };
    const accepted = await fetch(`${stack.gateway.url}/v1/inferences`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'later please' }] }),
    });
    assert.equal(accepted.status, 202);
    const { id, url } = (await accepted.json()) as { id: string; url: string };
    assert.equal(accepted.headers.get('location'), url);
    const first = (await (await fetch(`${stack.gateway.url}${url}`, { headers })).json()) as { status: string };
    assert.equal(first.status, 'running');
    let body: { status: string; result?: { choices: Array<{ message: { content: string } }> } } = first;
    for (let i = 0; i < 100 && body.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      body = (await (await fetch(`${stack.gateway.url}/v1/inferences/${id}`, { headers })).json()) as typeof body;
    }
    stack.simulator.setFaults([]);
    assert.equal(body.status, 'completed');
    assert.equal(body.result?.choices[0]?.message.content, 'Simulated reply to: later please');
    const invalid = await fetch(`${stack.gateway.url}/v1/inferences`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'chat-default' }),
    });
    assert.equal(invalid.status, 400);
  });
});
