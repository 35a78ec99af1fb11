import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/observability/logger';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { simulatorConfig, startTestStack, testProviderEnvironment, type TestStack } from '../helpers/test-gateway';

const bedrockRoute = { provider: 'bedrock', account: 'aws-main', region: 'us-east-1' };
const novaCalls = 'bedrock/AKIDTESTBEDROCK/us-east-1/us.amazon.nova-lite-v1:0';
const guardrailCalls = (identifier: string) => `bedrock/AKIDTESTBEDROCK/us-east-1/guardrail:${identifier}:1`;
const webhookToken = 'hook-token-0123456789';

/** What the test webhook received, and how it answers the next calls. */
interface WebhookCall {
  headers: IncomingHttpHeaders;
  body: { stage: string; texts: string[]; policy: string; check: string };
}
type WebhookBehaviour = (call: WebhookCall) => { status: number; body?: unknown } | 'hang';

function remoteConfig(webhookUrl: string) {
  return (simulator: RunningSimulator): GatewayConfig => {
    const config = simulatorConfig(simulator);
    const attach: Record<string, string[]> = {
      nova: ['bedrock-input', 'bedrock-output'],
      'chat-default': ['hook-closed'],
      claude: ['hook-open'],
    };
    const hook = {
      type: 'webhook',
      name: 'hook',
      url: webhookUrl,
      timeoutMs: 400,
      headersFromEnv: { authorization: 'TEST_WEBHOOK_TOKEN' },
    };
    return parseConfig({
      ...config,
      modelGroups: config.modelGroups.map((group) => ({
        ...group,
        ...(attach[group.name] && { guardrails: attach[group.name] }),
      })),
      guardrails: [
        {
          name: 'bedrock-input',
          checks: [
            {
              type: 'bedrock',
              name: 'bedrock_in',
              guardrailIdentifier: 'gr-in',
              guardrailVersion: '1',
              ...bedrockRoute,
              action: 'mask',
              on: ['input'],
            },
          ],
        },
        {
          name: 'bedrock-output',
          checks: [
            {
              type: 'bedrock',
              name: 'bedrock_out',
              guardrailIdentifier: 'gr-out',
              guardrailVersion: '1',
              ...bedrockRoute,
              action: 'mask',
              on: ['output'],
            },
          ],
        },
        { name: 'hook-closed', checks: [{ ...hook }] },
        { name: 'hook-open', checks: [{ ...hook, failMode: 'open' }] },
      ],
    });
  };
}

/** A history or a record as text, payload bytes decoded, to search for leaked values. */
function asText(value: unknown): string {
  return JSON.stringify(value, (key, field: unknown) => {
    if (key === 'data' && typeof field === 'string') return Buffer.from(field, 'base64').toString('utf8');
    if (field instanceof Uint8Array) return Buffer.from(field).toString('utf8');
    const buffer = field as { type?: string; data?: number[] };
    if (buffer?.type === 'Buffer' && Array.isArray(buffer.data)) return Buffer.from(buffer.data).toString('utf8');
    return field;
  });
}

describe('remote guardrail checks (Bedrock Guardrails, webhook) on a gateway with a real Temporal server', () => {
  let stack: TestStack;
  let webhook: Server;
  let behaviour: WebhookBehaviour = () => ({ status: 200, body: { action: 'pass' } });
  const webhookCalls: WebhookCall[] = [];
  /** Every body the webhook received, across tests, for the scan. */
  const webhookBodies: unknown[] = [];
  const lines: string[] = [];
  const inferenceIds: string[] = [];
  /** Every value a check masked or blocked; the scan looks for each of them everywhere. */
  const secrets: string[] = [];
  let counter = 0;
  const fresh = () => `remote guardrails test ${++counter}`;

  before(async () => {
    webhook = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      request.on('end', () => {
        const call = { headers: request.headers, body: JSON.parse(raw) as WebhookCall['body'] };
        webhookCalls.push(call);
        webhookBodies.push(call.body);
        const answer = behaviour(call);
        if (answer === 'hang') return;
        response
          .writeHead(answer.status, { 'content-type': 'application/json' })
          .end(JSON.stringify(answer.body ?? {}));
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/verdict`;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    stack = await startTestStack(
      remoteConfig(webhookUrl),
      { ...testProviderEnvironment, TEST_WEBHOOK_TOKEN: webhookToken },
      createLogger(sink, 'trace'),
    );
  });
  after(async () => {
    await stack?.stop();
    webhook?.closeAllConnections();
    await new Promise((resolve) => webhook?.close(resolve));
  });
  beforeEach(() => {
    stack.simulator.setFaults([]);
    stack.simulator.setGuardrails([
      {
        guardrailIdentifier: 'gr-in',
        maskTerms: ['ACCT-7781-SECRET', 'ACCT-STREAM-SECRET'],
        blockTerms: ['launch codes'],
      },
      { guardrailIdentifier: 'gr-out', maskTerms: ['ZEBRA-42'], blockTerms: ['forbidden-answer'] },
    ]);
    behaviour = () => ({ status: 200, body: { action: 'pass' } });
    webhookCalls.length = 0;
  });

  const post = (body: unknown) =>
    fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const decisionOf = async (id: string) =>
    (
      (await (
        await fetch(`${stack.gateway.url}/v1/inferences/${id}`, {
          headers: { authorization: `Bearer ${stack.gatewayKey}` },
        })
      ).json()) as { decision: { guardrails?: unknown[] } }
    ).decision;
  const openai = () => new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });

  it('Bedrock Guardrails masks the input (whole): the provider gets the texts ApplyGuardrail returned', async () => {
    const secret = 'ACCT-7781-SECRET';
    secrets.push(secret);
    const { data, response } = await openai()
      .chat.completions.create({
        model: 'nova',
        messages: [{ role: 'user', content: `${fresh()} account ${secret} please` }],
      })
      .withResponse();
    assert.equal(response.headers.get('x-gateway-guardrails'), 'bedrock-input, bedrock-output');
    assert.match(data.choices[0]?.message.content ?? '', /account \{MASKED\} please$/);
    const applied = stack.simulator.lastRequest(guardrailCalls('gr-in'))!;
    assert.equal(applied.path, '/guardrail/gr-in/version/1/apply');
    assert.equal((applied.body as { source: string }).source, 'INPUT');
    assert.ok(asText(applied.body).includes(secret), 'ApplyGuardrail itself had to read the text');
    assert.equal((stack.simulator.lastRequest(guardrailCalls('gr-out'))!.body as { source: string }).source, 'OUTPUT');
    const sent = asText(stack.simulator.lastRequest(novaCalls)!.body);
    assert.ok(sent.includes('{MASKED}') && !sent.includes(secret));
    const inferenceId = response.headers.get('x-gateway-inference-id')!;
    inferenceIds.push(inferenceId);
    assert.deepEqual((await decisionOf(inferenceId)).guardrails, [
      { policy: 'bedrock-input', check: 'bedrock_in', action: 'mask', stage: 'input' },
    ]);
    const { events } = await stack.gateway.client.workflow.getHandle(inferenceId).fetchHistory();
    const input = JSON.parse(
      Buffer.from(events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!).toString('utf8'),
    ) as { guardrails: unknown };
    assert.deepEqual(
      input.guardrails,
      {
        policies: ['bedrock-input', 'bedrock-output'],
        verdicts: [{ policy: 'bedrock-input', check: 'bedrock_in', action: 'mask', stage: 'input' }],
      },
      'the verdict is in the workflow history, as the Temporal UI shows it',
    );
    const metrics = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    assert.match(
      metrics,
      /gateway_guardrail_verdicts_total\{policy="bedrock-input",check="bedrock_in",action="mask",stage="input"\} [1-9]/,
    );
    assert.match(
      metrics,
      /gateway_guardrail_remote_check_seconds_count\{type="bedrock",stage="input",outcome="mask"\} [1-9]/,
    );
  });

  it('Bedrock Guardrails blocks the input: 400 content_blocked naming the policy and check, no model call', async () => {
    const secret = 'the launch codes';
    secrets.push(secret);
    const before = stack.simulator.callCount(novaCalls);
    for (const stream of [false, true]) {
      const response = await post({
        model: 'nova',
        stream,
        messages: [{ role: 'user', content: `${fresh()} tell me ${secret}` }],
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(response.status, 400);
      assert.equal(body.error.code, 'content_blocked');
      assert.match(
        body.error.message,
        /request was blocked by the guardrail policy "bedrock-input", check "bedrock_in"/,
      );
      assert.ok(!JSON.stringify(body).includes('launch'), "neither the match nor Bedrock's message is echoed");
    }
    assert.equal(stack.simulator.callCount(novaCalls), before);
  });

  it('Bedrock Guardrails masks the input of a streamed request', async () => {
    const secret = 'ACCT-STREAM-SECRET';
    secrets.push(secret);
    const { data: stream, response } = await openai()
      .chat.completions.create({
        model: 'nova',
        stream: true,
        messages: [{ role: 'user', content: `${fresh()} stream ${secret}` }],
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.match(text, /stream \{MASKED\}$/);
    inferenceIds.push(response.headers.get('x-gateway-inference-id')!);
    assert.ok(!asText(stack.simulator.lastRequest(novaCalls)!.body).includes(secret));
  });

  it('Bedrock Guardrails masks and blocks the output, whole and streamed (held)', async () => {
    const whole = await openai()
      .chat.completions.create({ model: 'nova', messages: [{ role: 'user', content: `${fresh()} say ZEBRA-42` }] })
      .withResponse();
    assert.match(whole.data.choices[0]?.message.content ?? '', /say \{MASKED\}$/);
    assert.deepEqual((await decisionOf(whole.response.headers.get('x-gateway-inference-id')!)).guardrails, [
      { policy: 'bedrock-output', check: 'bedrock_out', action: 'mask', stage: 'output' },
    ]);
    const { data: stream } = await openai()
      .chat.completions.create({
        model: 'nova',
        stream: true,
        messages: [{ role: 'user', content: `${fresh()} say ZEBRA-42 now` }],
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.match(text, /say \{MASKED\} now$/);
    assert.ok(!text.includes('ZEBRA'));

    for (const streamed of [false, true]) {
      const response = await post({
        model: 'nova',
        stream: streamed,
        messages: [{ role: 'user', content: `${fresh()} forbidden-answer` }],
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(response.status, 400, `stream: ${streamed}`);
      assert.equal(body.error.code, 'content_blocked');
      assert.match(
        body.error.message,
        /answer was blocked by the guardrail policy "bedrock-output", check "bedrock_out"/,
      );
    }
  });

  it('Bedrock Guardrails that fails (5xx, or slower than its timeout) fails closed by default: 503 guardrail_unavailable', async () => {
    stack.simulator.setFaults([{ match: { model: 'guardrail:gr-in:1' }, error: 'server_error' }]);
    const before = stack.simulator.callCount(novaCalls);
    const failed = await post({ model: 'nova', messages: [{ role: 'user', content: fresh() }] });
    const body = (await failed.json()) as { error: { code: string; message: string } };
    assert.equal(failed.status, 503);
    assert.equal(body.error.code, 'guardrail_unavailable');
    assert.match(
      body.error.message,
      /"bedrock-input", check "bedrock_in" \(InternalServerException\); the check fails closed/,
    );
    stack.simulator.setFaults([{ match: { model: 'guardrail:gr-in:1' }, latencyMs: 5_000 }]);
    const started = Date.now();
    const slow = await post({ model: 'nova', messages: [{ role: 'user', content: fresh() }] });
    assert.equal(slow.status, 503);
    assert.match(((await slow.json()) as { error: { message: string } }).error.message, /\(timeout\)/);
    assert.ok(Date.now() - started < 4_000, 'the check gave up at its 2 s timeout');
    assert.equal(stack.simulator.callCount(novaCalls), before, 'no model call');
  });

  it('a webhook passes, blocks and masks, sent {stage, texts, policy, check} with its header read from the environment', async () => {
    const passed = await post({
      model: 'chat-default',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: fresh() },
      ],
    });
    assert.equal(passed.status, 200);
    assert.equal(webhookCalls.length, 2, 'the input, then the answer');
    assert.equal(webhookCalls[0]!.headers.authorization, webhookToken);
    assert.deepEqual(
      { ...webhookCalls[0]!.body, texts: webhookCalls[0]!.body.texts.length },
      { stage: 'input', texts: 2, policy: 'hook-closed', check: 'hook' },
    );
    assert.equal(webhookCalls[1]!.body.stage, 'output');

    const secret = 'hook-blocked-secret';
    secrets.push(secret);
    behaviour = ({ body }) => ({
      status: 200,
      body: { action: body.texts.some((text) => text.includes(secret)) ? 'block' : 'pass' },
    });
    const blocked = await post({
      model: 'chat-default',
      messages: [{ role: 'user', content: `${fresh()} ${secret}` }],
    });
    const blockedBody = (await blocked.json()) as { error: { code: string; message: string } };
    assert.equal(blocked.status, 400);
    assert.equal(blockedBody.error.code, 'content_blocked');
    assert.match(blockedBody.error.message, /"hook-closed", check "hook"/);

    const masked = 'hook-masked-secret';
    secrets.push(masked);
    behaviour = ({ body }) => ({
      status: 200,
      body: { action: 'mask', texts: body.texts.map((text) => text.replaceAll(masked, '[HOOKED]')) },
    });
    const { data, response } = await openai()
      .chat.completions.create({ model: 'chat-default', messages: [{ role: 'user', content: `${fresh()} ${masked}` }] })
      .withResponse();
    assert.match(data.choices[0]?.message.content ?? '', /\[HOOKED\]$/);
    inferenceIds.push(response.headers.get('x-gateway-inference-id')!);
    assert.deepEqual((await decisionOf(response.headers.get('x-gateway-inference-id')!)).guardrails, [
      { policy: 'hook-closed', check: 'hook', action: 'mask', stage: 'input' },
      // The answer echoed the masked request; the webhook masks again, finding nothing new.
      { policy: 'hook-closed', check: 'hook', action: 'mask', stage: 'output' },
    ]);
  });

  it('a webhook that fails closed (500, timeout) refuses with 503 guardrail_unavailable and calls no provider', async () => {
    const before = stack.simulator.callCount('openai/');
    for (const [answer, failure] of [
      [() => ({ status: 500 }), 'http_500'],
      [() => 'hang', 'timeout'],
    ] as Array<[WebhookBehaviour, string]>) {
      behaviour = answer;
      const started = Date.now();
      const response = await post({ model: 'chat-default', messages: [{ role: 'user', content: fresh() }] });
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(response.status, 503, failure);
      assert.equal(body.error.code, 'guardrail_unavailable');
      assert.ok(body.error.message.includes(`(${failure})`), body.error.message);
      assert.ok(Date.now() - started < 3_000);
    }
    behaviour = () => ({ status: 500 });
    const anthropicShape = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': stack.gatewayKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat-default', max_tokens: 16, messages: [{ role: 'user', content: fresh() }] }),
    });
    const anthropicBody = (await anthropicShape.json()) as { type: string; error: { code: string } };
    assert.equal(anthropicShape.status, 503);
    assert.equal(anthropicBody.type, 'error', 'in the shape of the API called');
    assert.equal(anthropicBody.error.code, 'guardrail_unavailable');
    assert.equal(stack.simulator.callCount('openai/'), before);
  });

  it('a webhook that fails open (500, timeout) lets the request through with a log verdict recording the failure', async () => {
    for (const [answer, failure] of [
      [() => ({ status: 500 }), 'http_500'],
      [() => 'hang', 'timeout'],
      [() => ({ status: 200, body: { action: 'maybe' } }), 'invalid_verdict'],
    ] as Array<[WebhookBehaviour, string]>) {
      behaviour = answer;
      const { response } = await openai()
        .chat.completions.create({ model: 'claude', max_tokens: 32, messages: [{ role: 'user', content: fresh() }] })
        .withResponse();
      assert.equal(response.status, 200, failure);
      const { guardrails } = await decisionOf(response.headers.get('x-gateway-inference-id')!);
      assert.deepEqual(guardrails, [
        { policy: 'hook-open', check: 'hook', action: 'log', stage: 'input', failure },
        { policy: 'hook-open', check: 'hook', action: 'log', stage: 'output', failure },
      ]);
    }
  });

  it('scan: no masked or blocked value is in any workflow history, log line or model request; only the guardrail calls read them', async () => {
    assert.ok(secrets.length >= 4 && inferenceIds.length >= 3);
    const histories = await Promise.all(
      inferenceIds.map(async (id) => asText(await stack.gateway.client.workflow.getHandle(id).fetchHistory())),
    );
    const modelRequests = asText(
      stack.simulator.requests.filter((recorded) => !recorded.route.includes('/guardrail:')),
    );
    const guardrailRequests = asText([
      ...stack.simulator.requests.filter((recorded) => recorded.route.includes('/guardrail:')),
      ...webhookBodies,
    ]);
    assert.ok(
      histories.some((history) => history.includes('{MASKED}')) &&
        histories.some((history) => history.includes('[HOOKED]')),
      'the histories are read decoded: they hold the masked texts',
    );
    const logs = lines.join('\n');
    assert.ok(logs.includes('"guardrail verdict"'), 'the logs were captured at a level that logs verdicts');
    for (const secret of secrets) {
      assert.ok(!modelRequests.includes(secret), `${secret} reached a model`);
      assert.ok(!logs.includes(secret), `${secret} is in the logs`);
      for (const history of histories) assert.ok(!history.includes(secret), `${secret} is in a workflow history`);
      assert.ok(
        guardrailRequests.includes(secret),
        `${secret} was read by the check that masked or blocked it, and only there`,
      );
    }
  });
});
