import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { localActivityTypes, providerCalls, workflowTaskCount } from '../helpers/history';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

describe('POST /v1/chat/completions through a real Temporal server', () => {
  let stack: TestStack;
  let openai: OpenAI;

  before(async () => {
    stack = await startTestStack();
    openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('answers the official OpenAI SDK and runs one durable inference workflow', async () => {
    const { data: completion, response } = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: 'Say hello to the gateway' }] })
      .withResponse();

    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.model, 'chat-default');
    assert.equal(completion.choices[0]?.message.content, 'Simulated reply to: Say hello to the gateway');
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    assert.ok((completion.usage?.total_tokens ?? 0) > 0);

    const inferenceId = response.headers.get('x-gateway-inference-id');
    assert.match(inferenceId ?? '', /^inf-[0-9a-f-]{36}$/);
    assert.equal(response.headers.get('x-gateway-provider'), 'openai');
    assert.equal(response.headers.get('x-gateway-model'), 'sim-gpt');
    assert.equal(response.headers.get('x-gateway-account'), 'primary');
    assert.equal(response.headers.get('x-gateway-region'), 'us');
    assert.equal(response.headers.get('x-gateway-attempts'), '1');
    assert.equal(stack.simulator.callCount('openai/primary/us/sim-gpt'), 1);

    const handle = stack.gateway.client.workflow.getHandle(inferenceId!);
    const description = await handle.describe();
    assert.equal(description.type, 'inferenceV2');
    assert.equal(description.status.name, 'COMPLETED');
    assert.equal(description.taskQueue, stack.gateway.taskQueue);

    const events = (await handle.fetchHistory()).events ?? [];
    // The policy comes in the input from the API; the four selection steps and the provider call
    // (standard traffic invokes locally) are local activities: the whole inference is one workflow task.
    assert.deepEqual(localActivityTypes(events), [
      'selectProvider',
      'selectModel',
      'selectAccount',
      'selectRegion',
      'invokeRoute',
    ]);
    assert.deepEqual(providerCalls(events), [
      { type: 'invokeRoute', kind: 'local', summary: 'attempt 1: openai/sim-gpt (primary, us)' },
    ]);
    assert.equal(workflowTaskCount(events), 1);
  });

  it('calls the provider through an activity for a traffic class configured with invoke: activity', async () => {
    // Background traffic invokes through an activity by default.
    const { response } = await openai.chat.completions
      .create(
        { model: 'chat-default', messages: [{ role: 'user', content: 'take your time' }] },
        { headers: { 'x-traffic-class': 'background' } },
      )
      .withResponse();
    const events =
      (await stack.gateway.client.workflow.getHandle(response.headers.get('x-gateway-inference-id')!).fetchHistory())
        .events ?? [];
    assert.deepEqual(localActivityTypes(events), ['selectProvider', 'selectModel', 'selectAccount', 'selectRegion']);
    assert.deepEqual(providerCalls(events), [
      { type: 'invokeRoute', kind: 'activity', summary: 'attempt 1: openai/sim-gpt (primary, us)' },
    ]);
    assert.equal(workflowTaskCount(events), 2, 'the selection task, then the task after the activity');
  });

  it('returns the inference by id with its status, result and decision record, only to its own tenant', async () => {
    const { data: completion, response } = await openai.chat.completions
      .create(
        { model: 'chat-default', messages: [{ role: 'user', content: 'remember me' }] },
        { headers: { 'x-feature': 'onboarding', 'x-session-id': 'session-7' } },
      )
      .withResponse();
    const inferenceId = response.headers.get('x-gateway-inference-id');

    const own = await fetch(`${stack.gateway.url}/v1/inferences/${inferenceId}`, {
      headers: { authorization: `Bearer ${stack.gatewayKey}` },
    });
    assert.equal(own.status, 200);
    const record = (await own.json()) as {
      id: string;
      status: string;
      route: { provider: string };
      result: { id: string; choices: Array<{ message: { content: string } }> };
      decision: {
        context: Record<string, unknown>;
        attempts: Array<{ cost?: number; tokens?: { prompt: number; completion: number }; startedAt?: string }>;
        selections: Array<{ steps: Array<{ step: string; choice?: string }> }>;
      };
    };
    assert.equal(record.id, inferenceId);
    assert.deepEqual(
      { ...record.decision.context, keyId: typeof record.decision.context.keyId },
      {
        tenant: 'tenant-test',
        keyId: 'string',
        feature: 'onboarding',
        session: 'session-7',
        modelGroup: 'chat-default',
      },
    );
    assert.deepEqual(
      record.decision.selections[0]?.steps.map((step) => `${step.step}:${step.choice}`),
      ['provider:openai', 'model:sim-gpt', 'account:primary', 'region:us'],
    );
    const [attempt] = record.decision.attempts;
    assert.equal(attempt?.tokens?.prompt, completion.usage?.prompt_tokens);
    assert.equal(
      attempt?.cost,
      ((completion.usage?.prompt_tokens ?? 0) * 1 + (completion.usage?.completion_tokens ?? 0) * 2) / 1_000_000,
      'cost from the deployment pricing',
    );
    assert.match(attempt?.startedAt ?? '', /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(record.status, 'completed');
    assert.equal(record.route.provider, 'openai');
    assert.equal(record.result.id, completion.id);
    assert.equal(record.result.choices[0]?.message.content, 'Simulated reply to: remember me');

    const other = await fetch(`${stack.gateway.url}/v1/inferences/${inferenceId}`, {
      headers: { authorization: `Bearer ${stack.otherTenantKey}` },
    });
    assert.equal(other.status, 404);
    const missing = await fetch(`${stack.gateway.url}/v1/inferences/inf-00000000-0000-0000-0000-000000000000`, {
      headers: { authorization: `Bearer ${stack.gatewayKey}` },
    });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'inference_not_found');
  });

  it("lists the tenant's inferences through Temporal visibility, filtered by search attributes", async () => {
    const { response } = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: 'list me' }] })
      .withResponse();
    const id = response.headers.get('x-gateway-inference-id');
    const list = async (key: string, query: string) => {
      const answer = await fetch(`${stack.gateway.url}/v1/inferences?${query}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(answer.status, 200);
      return ((await answer.json()) as { data: Array<Record<string, unknown>> }).data;
    };
    // Visibility is eventually consistent: wait, boundedly, for the record to be indexed.
    let found: Record<string, unknown> | undefined;
    for (let tries = 0; tries < 50 && !found; tries++) {
      found = (await list(stack.gatewayKey, 'outcome=success&provider=openai&model=sim-gpt&limit=100')).find(
        (item) => item.id === id,
      );
      if (!found) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual(
      {
        outcome: found?.outcome,
        provider: found?.provider,
        model: found?.model,
        region: found?.region,
        fallbacks: found?.fallbacks,
        traffic_class: found?.traffic_class,
        status: found?.status,
        model_group: found?.model_group,
        cache: found?.cache,
      },
      {
        outcome: 'success',
        provider: 'openai',
        model: 'sim-gpt',
        region: 'us',
        fallbacks: 0,
        traffic_class: 'standard',
        status: 'completed',
        model_group: 'chat-default',
        cache: null,
      },
    );
    assert.ok(
      !(await list(stack.gatewayKey, 'provider=anthropic&limit=100')).some((item) => item.id === id),
      'filters apply',
    );
    assert.ok(
      !(await list(stack.otherTenantKey, 'limit=100')).some((item) => item.id === id),
      'another tenant never sees it',
    );
    const bad = await fetch(`${stack.gateway.url}/v1/inferences?provider=x'%20OR%20'1'='1`, {
      headers: { authorization: `Bearer ${stack.gatewayKey}` },
    });
    assert.equal(bad.status, 400, 'a filter value cannot inject into the visibility query');
  });

  it('lists the model groups a client may send', async () => {
    const models = await openai.models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      ['chat-default', 'claude', 'nova', 'local-llm'],
    );
  });

  it('rejects a wrong key with a 401 in the OpenAI error shape', async () => {
    const stranger = new OpenAI({ apiKey: 'gw-not-a-key', baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    await assert.rejects(
      stranger.chat.completions.create({ model: 'chat-default', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) =>
        error instanceof OpenAI.AuthenticationError && error.status === 401 && error.code === 'invalid_api_key',
    );
    const missing = await fetch(`${stack.gateway.url}/v1/models`);
    assert.equal(missing.status, 401);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
  });

  it('answers an unknown model with 404 model_not_found and calls no provider', async () => {
    const callsBefore = stack.simulator.callCount();
    await assert.rejects(
      openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) =>
        error instanceof OpenAI.NotFoundError && error.code === 'model_not_found' && error.param === 'model',
    );
    assert.equal(stack.simulator.callCount(), callsBefore);
  });

  it('names the bad field when messages are missing, empty or of the wrong type', async () => {
    const post = (body: unknown) =>
      openai.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);
    await assert.rejects(
      post({ model: 'chat-default' }),
      (error: unknown) =>
        error instanceof OpenAI.BadRequestError && error.param === 'messages' && /messages/.test(error.message),
    );
    await assert.rejects(
      post({ model: 'chat-default', messages: [] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'messages',
    );
    await assert.rejects(
      post({ model: 'chat-default', messages: [{ role: 'user', content: 42 }] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'messages.0.content',
    );
    await assert.rejects(
      post({ model: 'chat-default', messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'temperature',
    );
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const headers = { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json' };
    const malformed = await fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: '{"model": "chat-default", "messages": [',
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { type: string } }).error.type, 'invalid_request_error');

    const huge = JSON.stringify({
      model: 'chat-default',
      messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }],
    });
    const oversized = await fetch(`${stack.gateway.url}/v1/chat/completions`, { method: 'POST', headers, body: huge });
    assert.equal(oversized.status, 413);
    assert.equal(((await oversized.json()) as { error: { code: string } }).error.code, 'request_too_large');
  });

  it("refuses a model group outside the key's scopes with 403, and lists only the allowed ones", async () => {
    const scoped = new OpenAI({ apiKey: stack.scopedKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    await assert.rejects(
      scoped.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof OpenAI.PermissionDeniedError && error.code === 'model_not_allowed',
    );
    assert.deepEqual(
      (await scoped.models.list()).data.map((model) => model.id),
      ['chat-default'],
    );
    const { response } = await scoped.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const record = await fetch(`${stack.gateway.url}/v1/inferences/${response.headers.get('x-gateway-inference-id')}`, {
      headers: { authorization: `Bearer ${stack.scopedKey}` },
    });
    const { decision } = (await record.json()) as { decision: { trafficClass: string; policyVersion: string } };
    assert.equal(decision.trafficClass, 'batch', "the key's default traffic class applies");
    assert.match(decision.policyVersion, /^[0-9a-f]{12}$/);
  });

  it('shows the routes of a failed inference to an admin key only', async () => {
    stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, error: 'server_error' }]);
    const failed = async (key: string) => {
      const response = await fetch(`${stack.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'who is behind you?' }] }),
      });
      return {
        response,
        body: (await response.json()) as { error: { message: string; code: string; attempts?: unknown[] } },
      };
    };
    const tenant = await failed(stack.otherTenantKey);
    const admin = await failed(stack.gatewayKey);
    stack.simulator.setFaults([]);
    assert.equal(tenant.response.status, 503);
    assert.equal(tenant.body.error.code, 'all_routes_exhausted');
    assert.equal(tenant.body.error.attempts, undefined, 'a tenant sees no attempt list');
    assert.doesNotMatch(tenant.body.error.message, /primary|openai\/sim-gpt/, 'nor an account or route in the message');
    assert.equal(tenant.response.headers.get('x-gateway-attempts'), '2', 'the attempt count is in the headers');
    assert.match(tenant.response.headers.get('x-gateway-inference-id') ?? '', /^inf-/);
    assert.equal(admin.response.status, 503);
    assert.equal(admin.body.error.attempts?.length, 1, 'an admin key sees the route attempts');
    assert.match(admin.body.error.message, /openai\/sim-gpt \(primary, us\): ServerError/);
  });

  it('reports liveness and readiness', async () => {
    const health = await fetch(`${stack.gateway.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${stack.gateway.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', temporal: 'reachable', worker: 'running' });
  });
});
