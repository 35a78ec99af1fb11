import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { hashKey } from '../../src/api/admission/gateway-keys';
import { guardrailPolicySchema, type GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/observability/logger';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { MemoryStreamChannel } from '../../src/streaming/memory-stream-channel';
import type { StreamMessage } from '../../src/streaming/stream-channel';
import { simulatorConfig, startTestStack, testProviderEnvironment, type TestStack } from '../helpers/test-gateway';

/** A key of a config tenant with the `secrets` policy attached to the key itself. */
const guardedKey = 'gw-test-guarded-key-0123456789';

function guardedConfig(simulator: RunningSimulator): GatewayConfig {
  const config = simulatorConfig(simulator);
  const attach: Record<string, { guardrails: string[]; cache?: { ttlSeconds: number } }> = {
    'chat-default': { guardrails: ['pii', 'answers'], cache: { ttlSeconds: 60 } },
    claude: { guardrails: ['pii'] },
    'local-llm': { guardrails: ['flowing'] },
  };
  return parseConfig({
    ...config,
    modelGroups: config.modelGroups.map((group) => ({ ...group, ...attach[group.name] })),
    tenants: [
      { id: 'tenant-guarded', keys: [{ id: 'guarded-key', sha256: hashKey(guardedKey), guardrails: ['secrets'] }] },
    ],
    guardrails: [
      {
        name: 'secrets',
        checks: [
          { type: 'aws_access_key', action: 'block' },
          { type: 'private_key', action: 'block' },
          { type: 'api_token', action: 'mask', label: '[TOKEN]' },
          { type: 'regex', name: 'ticket', pattern: 'TICKET-\\d+', action: 'log' },
        ],
      },
      {
        name: 'pii',
        checks: [
          { type: 'email', action: 'mask', label: '[EMAIL]' },
          { type: 'phone', action: 'mask', label: '[PHONE]' },
          { type: 'uk_nino', action: 'mask' },
          { type: 'payment_card', action: 'block' },
          { type: 'us_ssn', action: 'block' },
          { type: 'deny_list', name: 'codenames', terms: ['project falcon'], action: 'block', on: ['input'] },
          { type: 'size', name: 'prompt_size', maxChars: 4_000, action: 'block', on: ['input'] },
        ],
      },
      {
        name: 'flowing',
        stream: 'flow',
        checks: [
          {
            type: 'deny_list',
            name: 'output_words',
            terms: ['forbidden-output-word'],
            action: 'block',
            on: ['output'],
          },
          { type: 'email', action: 'log', on: ['output'] },
        ],
      },
      {
        name: 'answers',
        checks: [
          {
            type: 'deny_list',
            name: 'output_words',
            terms: ['forbidden-output-word'],
            action: 'block',
            on: ['output'],
          },
          { type: 'json_schema', action: 'block' },
          { type: 'size', name: 'answer_size', maxChars: 3_000, action: 'log', on: ['output'] },
          // Matches the simulator's echo only ("Simulated reply to: …"), never the prompt itself.
          { type: 'regex', name: 'reply_code', pattern: 'reply to: CODE-\\d+', action: 'mask', on: ['output'] },
        ],
      },
    ],
  });
}

/** The process's own stream channel, keeping what the worker publishes on it, to see what a guarded stream lets out. */
class RecordingStreamChannel extends MemoryStreamChannel {
  readonly published: Array<{ inferenceId: string; message: StreamMessage }> = [];

  override async publish(inferenceId: string, message: StreamMessage): Promise<void> {
    this.published.push({ inferenceId, message: structuredClone(message) });
    await super.publish(inferenceId, message);
  }

  /** Everything published for one inference, as text. */
  textOf(inferenceId: string): string {
    return JSON.stringify(
      this.published.filter((entry) => entry.inferenceId === inferenceId).map((entry) => entry.message),
    );
  }
}

/** A history or a record as text, payload bytes decoded, to search for leaked values. */
function asText(value: unknown): string {
  return JSON.stringify(value, (key, field: unknown) => {
    // A fetched history holds each payload's bytes as base64 under `data`.
    if (key === 'data' && typeof field === 'string') return Buffer.from(field, 'base64').toString('utf8');
    if (field instanceof Uint8Array) return Buffer.from(field).toString('utf8');
    const buffer = field as { type?: string; data?: number[] };
    if (buffer?.type === 'Buffer' && Array.isArray(buffer.data)) return Buffer.from(buffer.data).toString('utf8');
    return field;
  });
}

/** A value as it reads inside a payload of asText's output (a JSON text within a JSON string). */
const inPayload = (value: unknown) => JSON.stringify(JSON.stringify(value)).slice(1, -1);

describe('guardrails on a gateway with a real Temporal server', () => {
  let stack: TestStack;
  const channel = new RecordingStreamChannel();
  let openai: OpenAI;
  let guarded: OpenAI;
  const lines: string[] = [];
  let counter = 0;
  const fresh = () => `guardrails test ${++counter}`;
  const gptCalls = () => stack.simulator.callCount('openai/primary/us/sim-gpt');

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    stack = await startTestStack(
      guardedConfig,
      testProviderEnvironment,
      createLogger(sink, 'info'),
      undefined,
      channel,
    );
    openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    guarded = new OpenAI({ apiKey: guardedKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  const post = (path: string, body: unknown, key = stack.gatewayKey) =>
    fetch(`${stack.gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('masks every message, part and tool-call argument: the originals reach no provider, history or log', async () => {
    const secrets = {
      email: 'jane.doe@example.org',
      phone: '415-867-5309',
      nino: 'AB 12 34 56 C',
      token: `sk-proj-${'Zq7'.repeat(10)}`,
    };
    const { data, response } = await guarded.chat.completions
      .create({
        model: 'chat-default',
        messages: [
          { role: 'system', content: `Support mailbox: ${secrets.email}` },
          {
            role: 'user',
            content: [
              { type: 'text', text: `${fresh()}: my number is ${secrets.phone}` },
              { type: 'text', text: `and my NINO is ${secrets.nino}` },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'lookup', arguments: JSON.stringify({ token: secrets.token, ticket: 'TICKET-12' }) },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: `found ${secrets.email}` },
          { role: 'user', content: `Reply to ${secrets.email} please` },
        ],
      })
      .withResponse();
    assert.equal(response.headers.get('x-gateway-guardrails'), 'secrets, pii, answers');
    assert.equal(data.choices[0]?.message.content, 'Simulated reply to: Reply to [EMAIL] please');

    const sent = asText(stack.simulator.lastRequest('openai/primary/us/sim-gpt')?.body);
    for (const label of ['[EMAIL]', '[PHONE]', '[UK_NINO]', '[TOKEN]'])
      assert.ok(sent.includes(label), `the provider received ${label}`);
    const inferenceId = response.headers.get('x-gateway-inference-id')!;
    const history = asText(await stack.gateway.client.workflow.getHandle(inferenceId).fetchHistory());
    assert.ok(history.includes('[EMAIL]') && history.includes('[TOKEN]'), 'the history holds the masked request');
    const everything = [asText(stack.simulator.requests), history, lines.join('\n')];
    for (const value of Object.values(secrets)) {
      for (const [index, text] of everything.entries())
        assert.ok(
          !text.includes(value),
          `${value} leaked into ${['the provider requests', 'the history', 'the logs'][index]}`,
        );
    }

    const { decision } = (await (
      await fetch(`${stack.gateway.url}/v1/inferences/${inferenceId}`, {
        headers: { authorization: `Bearer ${guardedKey}` },
      })
    ).json()) as { decision: { guardrails: unknown[] } };
    assert.deepEqual(decision.guardrails, [
      { policy: 'secrets', check: 'api_token', action: 'mask', stage: 'input', matches: 1 },
      { policy: 'secrets', check: 'ticket', action: 'log', stage: 'input', matches: 1 },
      { policy: 'pii', check: 'email', action: 'mask', stage: 'input', matches: 3 },
      { policy: 'pii', check: 'phone', action: 'mask', stage: 'input', matches: 1 },
      { policy: 'pii', check: 'uk_nino', action: 'mask', stage: 'input', matches: 1 },
    ]);
    const verdictLines = lines.filter((line) => line.includes('"guardrail verdict"'));
    assert.ok(verdictLines.length >= 5);
    const metrics = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    assert.match(
      metrics,
      /gateway_guardrail_verdicts_total\{policy="pii",check="email",action="mask",stage="input"\} [1-9]/,
    );
  });

  it('blocks a request with 400 content_blocked (OpenAI shape), names policy and check, never the match, and calls no provider', async () => {
    const cases = [
      {
        key: stack.gatewayKey,
        text: 'my card is 4111 1111 1111 1111',
        match: '4111 1111 1111 1111',
        policy: 'pii',
        check: 'payment_card',
      },
      { key: stack.gatewayKey, text: 'ssn 123-45-6789', match: '123-45-6789', policy: 'pii', check: 'us_ssn' },
      {
        key: stack.gatewayKey,
        text: 'status of Project Falcon?',
        match: 'Project Falcon',
        policy: 'pii',
        check: 'codenames',
      },
      { key: stack.gatewayKey, text: 'x'.repeat(4_001), match: 'x'.repeat(4_001), policy: 'pii', check: 'prompt_size' },
      {
        key: guardedKey,
        text: 'key AKIAIOSFODNN7EXAMPLE',
        match: 'AKIAIOSFODNN7EXAMPLE',
        policy: 'secrets',
        check: 'aws_access_key',
      },
      {
        key: guardedKey,
        text: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg\n-----END EC PRIVATE KEY-----',
        match: 'MHcCAQEEIBkg',
        policy: 'secrets',
        check: 'private_key',
      },
    ];
    for (const { key, text, match, policy, check } of cases) {
      const calls = gptCalls();
      const response = await post(
        '/v1/chat/completions',
        {
          model: 'chat-default',
          messages: [
            { role: 'user', content: fresh() },
            { role: 'assistant', content: 'ok' },
            { role: 'user', content: text },
          ],
        },
        key,
      );
      const body = (await response.json()) as { error: { type: string; code: string; message: string } };
      assert.equal(response.status, 400, check);
      assert.equal(body.error.code, 'content_blocked');
      assert.equal(body.error.type, 'invalid_request_error');
      assert.ok(
        body.error.message.includes(`"${policy}"`) && body.error.message.includes(`"${check}"`),
        body.error.message,
      );
      assert.ok(!JSON.stringify(body).includes(match), 'the match is not echoed');
      assert.equal(response.headers.get('x-gateway-cache'), null, 'blocked before the cache lookup');
      assert.equal(gptCalls(), calls, `${check}: no provider call`);
      assert.ok(!lines.join('\n').includes(match), `${check}: the match is not logged`);
    }
  });

  it('blocks an answer that fails an output check, after the call, and never caches it', async () => {
    const prompt = `${fresh()} forbidden-output-word`;
    const ask = () =>
      post('/v1/chat/completions', { model: 'chat-default', messages: [{ role: 'user', content: prompt }] });
    const calls = gptCalls();
    const first = await ask();
    const body = (await first.json()) as { error: { code: string; message: string } };
    assert.equal(first.status, 400);
    assert.equal(body.error.code, 'content_blocked');
    assert.match(body.error.message, /answer was blocked by the guardrail policy "answers", check "output_words"/);
    assert.ok(!body.error.message.includes('forbidden-output-word'));
    assert.equal(gptCalls(), calls + 1, 'the provider answered; the answer was refused');
    const readBack = (await (
      await fetch(`${stack.gateway.url}/v1/inferences/${first.headers.get('x-gateway-inference-id')}`, {
        headers: { authorization: `Bearer ${stack.gatewayKey}` },
      })
    ).json()) as Record<string, unknown>;
    assert.equal(
      (readBack.error as { code: string }).code,
      'content_blocked',
      'reading the inference back by id does not bypass the output check',
    );
    assert.equal(readBack.result, undefined);
    assert.ok(!JSON.stringify(readBack).includes('forbidden-output-word'));
    const verdict = { policy: 'answers', check: 'output_words', action: 'block', stage: 'output', matches: 1 };
    assert.deepEqual((readBack.decision as { guardrails: unknown[] }).guardrails, [verdict]);
    const history = asText(
      await stack.gateway.client.workflow.getHandle(first.headers.get('x-gateway-inference-id')!).fetchHistory(),
    );
    assert.ok(history.includes(inPayload(verdict)), 'the block verdict is in the workflow history');
    assert.ok(!history.includes(`Simulated reply to: ${prompt}`), 'the refused answer was not recorded');
    const second = await ask();
    assert.equal(second.status, 400);
    assert.equal(second.headers.get('x-gateway-cache'), 'miss', 'the blocked answer was not stored');
    assert.equal(gptCalls(), calls + 2);
  });

  it('masks an answer in the worker: the unmasked answer is in no history, and the output verdicts are', async () => {
    const prompt = `CODE-4711 ${fresh()}`;
    const { data, response } = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, `Simulated [REPLY_CODE] ${prompt.slice('CODE-4711 '.length)}`);
    const inferenceId = response.headers.get('x-gateway-inference-id')!;
    const history = asText(await stack.gateway.client.workflow.getHandle(inferenceId).fetchHistory());
    assert.ok(history.includes(prompt), 'the history holds the request, which no input check masks');
    assert.ok(!history.includes('reply to: CODE-4711'), 'the unmasked answer never entered the history');
    assert.ok(history.includes('Simulated [REPLY_CODE]'), 'the history holds the masked answer');
    const verdict = { policy: 'answers', check: 'reply_code', action: 'mask', stage: 'output', matches: 1 };
    assert.ok(history.includes(inPayload(verdict)), 'the output verdict is in the history');
    assert.ok(!lines.join('\n').includes('reply to: CODE-4711'), 'nor in the logs');
    const readBack = (await (
      await fetch(`${stack.gateway.url}/v1/inferences/${inferenceId}`, {
        headers: { authorization: `Bearer ${stack.gatewayKey}` },
      })
    ).json()) as { decision: { guardrails: unknown[] }; result: { choices: Array<{ message: { content: string } }> } };
    assert.deepEqual(readBack.decision.guardrails, [verdict], 'recorded once, not checked again on reading');
    assert.equal(readBack.result.choices[0]?.message.content, data.choices[0]?.message.content);
  });

  it('blocks an answer that is not valid against the requested JSON schema', async () => {
    const response = await post('/v1/chat/completions', {
      model: 'chat-default',
      messages: [{ role: 'user', content: fresh() }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    });
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(response.status, 400);
    assert.equal(body.error.code, 'content_blocked');
    assert.match(body.error.message, /"answers", check "json_schema": the answer is not JSON/);
  });

  it('caches only masked answers that passed: a request that differs only in a masked e-mail is a hit', async () => {
    const prompt = fresh();
    const first = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: `${prompt} for a@example.com` }] })
      .withResponse();
    assert.equal(first.response.headers.get('x-gateway-cache'), 'miss');
    const calls = gptCalls();
    const second = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: `${prompt} for b@example.net` }] })
      .withResponse();
    assert.equal(second.response.headers.get('x-gateway-cache'), 'hit');
    assert.equal(second.data.choices[0]?.message.content, `Simulated reply to: ${prompt} for [EMAIL]`);
    assert.equal(gptCalls(), calls);
    const readEntry = async (id: string) =>
      (await (
        await fetch(`${stack.gateway.url}/v1/inferences/${id}`, {
          headers: { authorization: `Bearer ${stack.gatewayKey}` },
        })
      ).json()) as { guardrails?: unknown[]; error?: { code: string; message: string } };
    const maskVerdict = { policy: 'pii', check: 'email', action: 'mask', stage: 'input', matches: 1 };
    const entry = await readEntry(second.response.headers.get('x-gateway-inference-id')!);
    assert.deepEqual(entry.guardrails, [maskVerdict], "the hit's audit entry holds its verdicts");
    assert.equal(entry.error, undefined);

    // A policy that changed since the answer was stored refuses the hit; its audit entry says so.
    const answers = stack.config.guardrails.find((policy) => policy.name === 'answers')!;
    const [added] = guardrailPolicySchema.parse({
      name: 'late',
      checks: [{ type: 'deny_list', name: 'late_words', terms: ['simulated reply'], action: 'block', on: ['output'] }],
    }).checks;
    answers.checks.push(added!);
    try {
      const refused = await post('/v1/chat/completions', {
        model: 'chat-default',
        messages: [{ role: 'user', content: `${prompt} for c@example.org` }],
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.headers.get('x-gateway-cache'), 'hit');
      const refusedEntry = await readEntry(refused.headers.get('x-gateway-inference-id')!);
      assert.equal(refusedEntry.error?.code, 'content_blocked', 'the entry records the refusal the client got');
      assert.deepEqual(refusedEntry.guardrails, [
        maskVerdict,
        { policy: 'answers', check: 'late_words', action: 'block', stage: 'output', matches: 1 },
      ]);
    } finally {
      answers.checks.pop();
    }
  });

  it('streams (OpenAI): holds the answer until it passed, then streams it masked; a blocked answer is a 400 before any byte', async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({
        model: 'chat-default',
        messages: [{ role: 'user', content: `${fresh()} mail x@example.com` }],
        stream: true,
      })
      .withResponse();
    assert.equal(response.headers.get('x-gateway-guardrails'), 'pii, answers');
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.ok(chunks >= 2);
    assert.match(text, /mail \[EMAIL\]$/);
    const prompt = `CODE-4711 ${fresh()}`;
    const held = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: prompt }], stream: true })
      .withResponse();
    let heldText = '';
    for await (const chunk of held.data) heldText += chunk.choices[0]?.delta.content ?? '';
    assert.equal(heldText, `Simulated [REPLY_CODE] ${prompt.slice('CODE-4711 '.length)}`);
    const heldId = held.response.headers.get('x-gateway-inference-id')!;
    const history = asText(await stack.gateway.client.workflow.getHandle(heldId).fetchHistory());
    assert.ok(!history.includes('reply to: CODE-4711'), 'the held answer entered the history masked');
    assert.equal(channel.textOf(heldId), '[]', 'nothing of a held stream goes on the stream channel');
    assert.ok(
      history.includes(
        inPayload({ policy: 'answers', check: 'reply_code', action: 'mask', stage: 'output', matches: 1 }),
      ),
      "the held stream's output verdict is in the history",
    );
    await assert.rejects(
      openai.chat.completions.create({
        model: 'chat-default',
        messages: [{ role: 'user', content: `${fresh()} forbidden-output-word` }],
        stream: true,
      }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'content_blocked',
    );
  });

  it('streams (flow mode): tokens go out at once, and a blocking match ends the stream with a content_blocked error event', async () => {
    const { data: stream, response } = await openai.chat.completions
      .create({
        model: 'local-llm',
        messages: [{ role: 'user', content: `${fresh()} mail x@example.com` }],
        stream: true,
      })
      .withResponse();
    assert.equal(response.headers.get('x-gateway-guardrails'), 'flowing');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.match(text, /mail x@example\.com$/, 'a log check changes nothing');
    const logVerdict = { policy: 'flowing', check: 'email', action: 'log', stage: 'output', matches: 1 };
    const passedId = response.headers.get('x-gateway-inference-id')!;
    await stack.gateway.client.workflow.getHandle(passedId).result(); // the stream can end before its workflow does
    assert.ok(
      asText(await stack.gateway.client.workflow.getHandle(passedId).fetchHistory()).includes(inPayload(logVerdict)),
      "the flowing stream's output verdict is in the workflow history",
    );

    const prompt = `${fresh()} says forbidden-output-word and goes on`;
    const blocked = await post('/v1/chat/completions', {
      model: 'local-llm',
      messages: [{ role: 'user', content: prompt }],
      stream: true,
    });
    const body = await blocked.text();
    if (blocked.status === 400) {
      assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'content_blocked');
    } else {
      assert.equal(blocked.status, 200);
      assert.match(body, /"code":"content_blocked"/, 'the stream ends with an error event');
      assert.ok(body.includes('"content":"Simulated "'), 'the text before the match was streamed as it came');
    }
    assert.ok(!body.includes('forbidden-output-word'), 'the piece that completes the match is never sent');
    assert.ok(!body.includes('goes on'), 'nothing after the match is sent');
    assert.doesNotMatch(body, /\[DONE\]/, 'no clean end');
    // The worker checked the pieces: the piece that matched never went on the stream channel, and
    // the history holds the verdict and the refusal, not the answer.
    const blockedId = blocked.headers.get('x-gateway-inference-id')!;
    await stack.gateway.client.workflow.getHandle(blockedId).result();
    const published = channel.textOf(blockedId);
    assert.match(published, /"type":"blocked"/);
    assert.ok(!published.includes('forbidden-output-word'), 'the matching piece was not published');
    assert.doesNotMatch(published, /"type":"done"/);
    const verdict = { policy: 'flowing', check: 'output_words', action: 'block', stage: 'output', matches: 1 };
    const history = asText(await stack.gateway.client.workflow.getHandle(blockedId).fetchHistory());
    assert.ok(history.includes(inPayload(verdict)), 'the block verdict is in the workflow history');
    assert.ok(!history.includes(`reply to: ${prompt}`), 'the refused answer was not recorded');
    const readBack = (await (
      await fetch(`${stack.gateway.url}/v1/inferences/${blockedId}`, {
        headers: { authorization: `Bearer ${stack.gatewayKey}` },
      })
    ).json()) as { error?: { code: string }; result?: unknown; decision: { guardrails: unknown[] } };
    assert.equal(readBack.error?.code, 'content_blocked', 'read back by id, it is the refusal the client got');
    assert.equal(readBack.result, undefined);
    assert.deepEqual(readBack.decision.guardrails, [verdict]);
  });

  it('answers in Anthropic shape on /v1/messages: masked, blocked with content_blocked, streamed', async () => {
    const anthropic = new Anthropic({ apiKey: stack.gatewayKey, baseURL: stack.gateway.url, maxRetries: 0 });
    const { data: message, response } = await anthropic.messages
      .create({
        model: 'claude',
        max_tokens: 64,
        messages: [{ role: 'user', content: [{ type: 'text', text: `${fresh()} call (212) 555-0199` }] }],
      })
      .withResponse();
    assert.equal(response.headers.get('x-gateway-guardrails'), 'pii');
    assert.match(message.content[0]?.type === 'text' ? message.content[0].text : '', /call \[PHONE\]$/);
    assert.ok(!asText(stack.simulator.requests).includes('555-0199'));

    const calls = stack.simulator.callCount('anthropic/');
    const blocked = await post('/v1/messages', {
      model: 'claude',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'card 4111-1111-1111-1111' }],
    });
    const body = (await blocked.json()) as { type: string; error: { type: string; code: string; message: string } };
    assert.equal(blocked.status, 400);
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.code, 'content_blocked');
    assert.match(body.error.message, /"pii", check "payment_card"/);
    assert.ok(!JSON.stringify(body).includes('4111'));
    assert.equal(stack.simulator.callCount('anthropic/'), calls);

    const stream = anthropic.messages.stream({
      model: 'claude',
      max_tokens: 64,
      messages: [{ role: 'user', content: `${fresh()} from z@example.com` }],
    });
    const final = await stream.finalMessage();
    assert.match(final.content[0]?.type === 'text' ? final.content[0].text : '', /from \[EMAIL\]$/);
  });
});
