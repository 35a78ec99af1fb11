import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { GatewayKeyring } from '../../src/api/admission/gateway-keys';
import { startApiServer, type RunningApiServer } from '../../src/gateway/start-api-server';
import { AesGcmPayloadCodec, encryptedEncoding, keyIdMetadataKey } from '../../src/temporal/aes-gcm-payload-codec';
import { simulatorConfig, startTestStack, testProviderEnvironment, type TestStack } from '../helpers/test-gateway';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type JsonPayload = { metadata: Record<string, string>; data: string };

const uiOrigin = 'http://127.0.0.1:8233';
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});
const fromBase64 = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');

/** Every payload in a history with where it sits, e.g. `events.0.workflowExecutionStartedEventAttributes.input.payloads.0`. */
function payloadsIn(value: unknown, path: string, found: Array<{ path: string; payload: Payload }>): void {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  const record = value as Record<string, unknown>;
  if (record.metadata && typeof record.metadata === 'object' && 'data' in record) {
    found.push({ path, payload: record as Payload });
    return;
  }
  for (const [key, child] of Object.entries(record)) payloadsIn(child, path ? `${path}.${key}` : key, found);
}

describe('payload encryption (GATEWAY_PAYLOAD_KEY) and the codec endpoint', () => {
  const codec = new AesGcmPayloadCodec({ id: 'test-key-1', key: randomBytes(32) });
  const secretPrompt = `confidential prompt ${randomUUID()}`;
  let stack: TestStack;
  let events: HistoryEvent[];
  /** An inference of a class that calls the provider through an activity (background). */
  let activityEvents: HistoryEvent[];
  let inferenceId: string;
  let completionText: string;

  before(async () => {
    stack = await startTestStack(simulatorConfig, testProviderEnvironment, undefined, undefined, undefined, {}, codec);
    const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    const { data, response } = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: secretPrompt }] })
      .withResponse();
    completionText = data.choices[0]?.message.content ?? '';
    inferenceId = response.headers.get('x-gateway-inference-id') ?? '';
    events = (await stack.gateway.client.workflow.getHandle(inferenceId).fetchHistory()).events ?? [];
    const background = await openai.chat.completions
      .create(
        { model: 'chat-default', messages: [{ role: 'user', content: secretPrompt }] },
        { headers: { 'x-traffic-class': 'background' } },
      )
      .withResponse();
    activityEvents =
      (
        await stack.gateway.client.workflow
          .getHandle(background.response.headers.get('x-gateway-inference-id') ?? '')
          .fetchHistory()
      ).events ?? [];
  });
  after(async () => stack?.stop());

  const startedInput = () => events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0] as Payload;
  const codecCall = (url: string, direction: 'encode' | 'decode', payloads: JsonPayload[], key?: string) =>
    fetch(`${url}/codec/${direction}`, {
      method: 'POST',
      headers: {
        origin: uiOrigin,
        'content-type': 'application/json',
        'x-namespace': 'default',
        ...(key && { authorization: `Bearer ${key}` }),
      },
      body: JSON.stringify({ payloads }),
    });

  it('still answers with the right completion, and the raw history holds neither the prompt nor the completion', () => {
    assert.equal(completionText, `Simulated reply to: ${secretPrompt}`);
    assert.ok(events.length > 5);
    const raw = Buffer.from(temporal.api.history.v1.History.encode({ events }).finish()).toString('latin1');
    assert.ok(!raw.includes(secretPrompt), 'the prompt must not appear in the history bytes');
    assert.ok(!raw.includes('Simulated reply to'), 'the completion must not appear in the history bytes');
    for (const secret of [stack.gatewayKey, testProviderEnvironment.TEST_BEDROCK_SECRET_ACCESS_KEY])
      assert.ok(!raw.includes(secret));
  });

  it("encrypts every payload of the history except search attributes and the SDK's own markers", () => {
    const found: Array<{ path: string; payload: Payload }> = [];
    payloadsIn({ events }, '', found);
    payloadsIn({ activityEvents }, '', found);
    const plain = found
      .filter(({ payload }) => text(payload.metadata?.encoding) !== encryptedEncoding)
      .map(({ path }) => path);
    const encrypted = found.filter(({ payload }) => text(payload.metadata?.encoding) === encryptedEncoding);
    const invokeMarker = events.findIndex((event) =>
      text(event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data).includes(
        '"activity_type":"invokeRoute"',
      ),
    );
    assert.ok(invokeMarker > 0, 'the provider call is a local activity marker');
    const invokeActivity = activityEvents.findIndex((event) => event.activityTaskScheduledEventAttributes);
    // Workflow input and result, memo, the workflow's and each call's summary, local-activity
    // results (the provider call of standard traffic among them), and, for a class that invokes
    // through an activity, its input and result: all encrypted with the configured key.
    for (const expected of [
      /^events\.0\.workflowExecutionStartedEventAttributes\.input\.payloads\.0$/,
      /^events\.0\.workflowExecutionStartedEventAttributes\.memo\.fields\.tenant$/,
      /^events\.0\.userMetadata\.summary$/,
      new RegExp(`^events\\.${invokeMarker}\\.markerRecordedEventAttributes\\.details\\.result\\.payloads\\.0$`),
      new RegExp(`^events\\.${invokeMarker}\\.userMetadata\\.summary$`),
      /^events\.\d+\.workflowExecutionCompletedEventAttributes\.result\.payloads\.0$/,
      /^activityEvents\.\d+\.activityTaskScheduledEventAttributes\.input\.payloads\.0$/,
      new RegExp(`^activityEvents\\.${invokeActivity}\\.userMetadata\\.summary$`),
      /^activityEvents\.\d+\.activityTaskCompletedEventAttributes\.result\.payloads\.0$/,
    ]) {
      assert.ok(
        encrypted.some(({ path }) => expected.test(path)),
        `no encrypted payload at ${expected}`,
      );
    }
    assert.ok(encrypted.every(({ payload }) => text(payload.metadata?.[keyIdMetadataKey]) === 'test-key-1'));
    // Left in the clear, by design: search attributes (the server indexes them) and the markers
    // the SDK writes itself (a local activity's type and attempt, a patch id), which hold no user data.
    const sdkMarker = /markerRecordedEventAttributes\.details\.(data|patch-data)\.payloads\.0$/;
    const searchAttribute = /searchAttributes\.indexedFields\.(Gateway\w+|TemporalChangeVersion)$/;
    assert.ok(plain.some((path) => path.endsWith('indexedFields.GatewayTenant')));
    assert.deepEqual(
      plain.filter((path) => !sdkMarker.test(path) && !searchAttribute.test(path)),
      [],
    );
    const raw = Buffer.from(temporal.api.history.v1.History.encode({ events: activityEvents }).finish()).toString(
      'latin1',
    );
    assert.ok(!raw.includes(secretPrompt), 'the activity input does not show the prompt');
  });

  it('encrypts failure details, while failure messages stay in the clear', async () => {
    stack.simulator.setFaults([{ match: { provider: 'anthropic' }, error: 'invalid_request' }]);
    const response = await fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', messages: [{ role: 'user', content: secretPrompt }] }),
    });
    stack.simulator.setFaults([]);
    assert.equal(response.status, 400);
    const history = await stack.gateway.client.workflow
      .getHandle(response.headers.get('x-gateway-inference-id')!)
      .fetchHistory();
    const failure = history.events?.find((event) => event.workflowExecutionFailedEventAttributes)
      ?.workflowExecutionFailedEventAttributes?.failure;
    assert.ok(failure?.message, 'the failure message is readable');
    assert.equal(text(failure.applicationFailureInfo?.details?.payloads?.[0]?.metadata?.encoding), encryptedEncoding);
    // The provider call's failure, recorded in its local activity's marker.
    const callFailure = history.events?.find((event) => event.markerRecordedEventAttributes?.failure)
      ?.markerRecordedEventAttributes?.failure;
    assert.ok(callFailure?.message, 'the call failure message is readable');
    assert.equal(
      text(callFailure.applicationFailureInfo?.details?.payloads?.[0]?.metadata?.encoding),
      encryptedEncoding,
    );
    const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    assert.ok(!raw.includes(secretPrompt));
  });

  it('keeps search attributes readable, and the gateway still reads memo and result back', async () => {
    const description = await stack.gateway.client.workflow.getHandle(inferenceId).describe();
    assert.equal(description.memo?.tenant, 'tenant-test');
    const record = await fetch(`${stack.gateway.url}/v1/inferences/${inferenceId}`, {
      headers: { authorization: `Bearer ${stack.gatewayKey}` },
    });
    assert.equal(record.status, 200);
    const body = (await record.json()) as {
      status: string;
      result: { choices: Array<{ message: { content: string } }> };
    };
    assert.equal(body.result.choices[0]?.message.content, completionText);
  });

  it('decodes a payload from that history back to the original over POST /codec/decode', async () => {
    const response = await codecCall(stack.gateway.url, 'decode', [toJson(startedInput())], stack.gatewayKey);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), uiOrigin);
    const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
    assert.equal(payloads.length, 1);
    assert.equal(fromBase64(payloads[0]?.metadata.encoding), 'json/plain');
    const input = JSON.parse(fromBase64(payloads[0]?.data)) as {
      tenant: string;
      request: { messages: Array<{ content: string }> };
    };
    assert.equal(input.tenant, 'tenant-test');
    assert.equal(input.request.messages[0]?.content, secretPrompt);
  });

  it('encodes over POST /codec/encode what decode turns back', async () => {
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"typed in the UI"').toString('base64'),
    };
    const encoded = (await (await codecCall(stack.gateway.url, 'encode', [plain], stack.gatewayKey)).json()) as {
      payloads: JsonPayload[];
    };
    assert.equal(fromBase64(encoded.payloads[0]?.metadata.encoding), encryptedEncoding);
    assert.ok(!fromBase64(encoded.payloads[0]?.data).includes('typed in the UI'));
    const decoded = (await (
      await codecCall(stack.gateway.url, 'decode', encoded.payloads, stack.gatewayKey)
    ).json()) as { payloads: JsonPayload[] };
    assert.deepEqual(decoded.payloads, [plain]);
  });

  it('answers 401 without a gateway key, with CORS headers so the UI can read the answer', async () => {
    const missing = await codecCall(stack.gateway.url, 'decode', [toJson(startedInput())]);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('access-control-allow-origin'), uiOrigin);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    const wrong = await codecCall(stack.gateway.url, 'decode', [toJson(startedInput())], 'gw-test-not-a-key');
    assert.equal(wrong.status, 401);
  });

  it("refuses a tenant key that is not admin with 403: payloads hold every tenant's prompts", async () => {
    const tenant = await codecCall(stack.gateway.url, 'decode', [toJson(startedInput())], stack.otherTenantKey);
    assert.equal(tenant.status, 403);
    assert.equal(((await tenant.json()) as { error: { code: string } }).error.code, 'admin_required');
  });

  it('answers the browser preflight for the Temporal UI origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.gateway.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const allowed = await preflight(uiOrigin);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), uiOrigin);
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /POST/);
    const allowedHeaders = (allowed.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of ['authorization', 'content-type', 'x-namespace'])
      assert.ok(allowedHeaders.includes(header), `allows ${header}`);
    assert.equal(
      (await preflight('http://localhost:8233')).headers.get('access-control-allow-origin'),
      'http://localhost:8233',
    );
    assert.equal((await preflight('https://elsewhere.example')).headers.get('access-control-allow-origin'), null);
  });

  describe('browser sign-in for the Temporal UI, which cannot send a gateway key itself', () => {
    const signIn = (key: string, origin?: string) =>
      fetch(`${stack.gateway.url}/codec/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin && { origin }) },
        body: new URLSearchParams({ key }).toString(),
      });
    const decodeWithCookie = (cookie: string) =>
      fetch(`${stack.gateway.url}/codec/decode`, {
        method: 'POST',
        headers: { origin: uiOrigin, 'content-type': 'application/json', cookie },
        body: JSON.stringify({ payloads: [toJson(startedInput())] }),
      });

    it('serves a sign-in form', async () => {
      const response = await fetch(`${stack.gateway.url}/codec/session`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /<form method="post" action="session">[\s\S]*type="password" name="key"/);
    });

    it('sets an HttpOnly, SameSite=Strict cookie for /codec only, which then authorizes decode', async () => {
      const response = await signIn(stack.gatewayKey, new URL(stack.gateway.url).origin);
      assert.equal(response.status, 200);
      const setCookie = response.headers.get('set-cookie') ?? '';
      assert.match(
        setCookie,
        /^gateway_codec_session=[\w-]{43}; Max-Age=28800; Path=\/codec; Expires=[^;]+; HttpOnly; SameSite=Strict$/,
      );
      assert.ok(!setCookie.includes(stack.gatewayKey), 'the cookie holds a session id, not the key');
      const decoded = await decodeWithCookie(setCookie.split(';')[0]!);
      assert.equal(decoded.status, 200);
      assert.equal(decoded.headers.get('access-control-allow-credentials'), 'true');
      const { payloads } = (await decoded.json()) as { payloads: JsonPayload[] };
      assert.ok(fromBase64(payloads[0]?.data).includes(secretPrompt));
    });

    it('refuses a wrong key, a sign-in posted from another site, and an unknown session', async () => {
      const wrong = await signIn('gw-test-not-a-key');
      assert.equal(wrong.status, 401);
      assert.equal(wrong.headers.get('set-cookie'), null);
      const foreign = await signIn(stack.gatewayKey, 'https://elsewhere.example');
      assert.equal(foreign.status, 403);
      assert.equal(foreign.headers.get('set-cookie'), null);
      assert.equal((await decodeWithCookie('gateway_codec_session=made-up')).status, 401);
    });
  });

  describe('on an API whose codec differs', () => {
    const servers: RunningApiServer[] = [];
    const key = `gw-test-${randomUUID()}`;
    const serve = async (payloadCodec?: AesGcmPayloadCodec) => {
      const keyring = new GatewayKeyring();
      keyring.add(key, 'tenant-test', { admin: true });
      const server = await startApiServer({
        client: stack.gateway.client,
        getConfig: () => stack.config,
        keyring,
        taskQueue: stack.gateway.taskQueue,
        port: 0,
        host: '127.0.0.1',
        payloadCodec,
      });
      servers.push(server);
      return server.url;
    };
    after(async () => Promise.all(servers.map((server) => server.stop())));

    it('answers 404 codec_disabled when no payload key is configured', async () => {
      const response = await codecCall(await serve(), 'decode', [toJson(startedInput())], key);
      assert.equal(response.status, 404);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'codec_disabled');
      assert.match(error.message, /GATEWAY_PAYLOAD_KEY/);
    });

    it('answers 400 naming the key id when it lacks the key a payload was encrypted with', async () => {
      const other = new AesGcmPayloadCodec({ id: 'test-key-2', key: randomBytes(32) });
      const response = await codecCall(await serve(other), 'decode', [toJson(startedInput())], key);
      assert.equal(response.status, 400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'payload_not_decryptable');
      assert.match(error.message, /"test-key-1"/);
    });
  });
});
