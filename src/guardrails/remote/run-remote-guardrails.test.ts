import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { guardrailPolicySchema, type GatewayConfig } from '../../config/gateway-config-schema';
import { parseConfig } from '../../config/load-config';
import type { ChatRequest } from '../../providers/canonical-chat';
import { startSimulator, type RunningSimulator } from '../../simulator/start-simulator';
import { checkRequest } from './run-remote-guardrails';

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'system secret-a' },
    {
      role: 'assistant',
      content: '',
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"q":"secret-b"}' } }],
    },
    {
      role: 'user',
      content: [
        { type: 'text', text: '   ' },
        { type: 'text', text: 'user secret-c' },
      ],
    },
  ],
};

describe('remote checks on every text of a request', () => {
  let simulator: RunningSimulator;
  let webhook: Server;
  let webhookUrl = '';
  const received: string[][] = [];

  before(async () => {
    simulator = await startSimulator();
    webhook = createServer((incoming, response) => {
      let raw = '';
      incoming.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      incoming.on('end', () => {
        const { texts } = JSON.parse(raw) as { texts: string[] };
        received.push(texts);
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ action: 'mask', texts: texts.map((text) => text.replaceAll(/secret-\w/g, '[S]')) }));
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await simulator.stop();
    webhook.closeAllConnections();
    await new Promise((resolve) => webhook.close(resolve));
  });

  const context = (): { config: GatewayConfig; environment: NodeJS.ProcessEnv } => ({
    config: parseConfig({
      providers: [
        {
          id: 'aws',
          kind: 'bedrock',
          accounts: [
            {
              id: 'main',
              credentials: { type: 'static', accessKeyIdEnv: 'KEY_ID', secretAccessKeyEnv: 'SECRET' },
              regions: [{ id: 'us-west-2', baseUrl: simulator.url }],
            },
          ],
        },
      ],
      modelGroups: [
        { name: 'g', deployments: [{ provider: 'aws', model: 'm', account: 'main', region: 'us-west-2' }] },
      ],
    }),
    environment: { KEY_ID: 'AKIDREMOTE', SECRET: 'not-a-secret' },
  });
  const bedrock = (action: string) =>
    guardrailPolicySchema.parse({
      name: 'p',
      checks: [
        {
          type: 'bedrock',
          guardrailIdentifier: 'gr',
          guardrailVersion: 'DRAFT',
          provider: 'aws',
          account: 'main',
          region: 'us-west-2',
          action,
        },
      ],
    });

  it("sends only the texts with something in them, and puts a webhook's masked texts back where they came from", async () => {
    const policy = guardrailPolicySchema.parse({ name: 'p', checks: [{ type: 'webhook', url: webhookUrl }] });
    const outcome = await checkRequest([policy], request, context());
    assert.deepEqual(received.at(-1), ['system secret-a', '{"q":"secret-b"}', 'user secret-c']);
    assert.deepEqual(
      outcome.value.messages.map((message) => message.content),
      [
        'system [S]',
        '',
        [
          { type: 'text', text: '   ' },
          { type: 'text', text: 'user [S]' },
        ],
      ],
    );
    assert.equal(outcome.value.messages[1]?.tool_calls?.[0]?.function.arguments, '{"q":"[S]"}');
    assert.deepEqual(outcome.verdicts, [{ policy: 'p', check: 'webhook', action: 'mask', stage: 'input' }]);
  });

  it('Bedrock: masks with the outputs, blocks when a policy BLOCKED even with action mask, logs with action log', async () => {
    simulator.setGuardrails([{ maskTerms: ['secret-a', 'secret-c'], blockTerms: ['forbidden'] }]);
    const masked = await checkRequest([bedrock('mask')], request, context());
    assert.equal(masked.value.messages[0]?.content, 'system {MASKED}');
    assert.equal(
      simulator.lastRequest('bedrock/AKIDREMOTE/us-west-2/guardrail:gr:DRAFT')?.path,
      '/guardrail/gr/version/DRAFT/apply',
    );
    const blocking: ChatRequest = { messages: [{ role: 'user', content: 'forbidden secret-a' }] };
    assert.deepEqual((await checkRequest([bedrock('mask')], blocking, context())).blocked, {
      policy: 'p',
      check: 'bedrock',
      stage: 'input',
    });
    const logged = await checkRequest([bedrock('log')], request, context());
    assert.equal(logged.value, request);
    assert.deepEqual(logged.verdicts, [{ policy: 'p', check: 'bedrock', action: 'log', stage: 'input' }]);
  });

  it('a missing credential or an unreachable service is a failure that the fail mode decides', async () => {
    const failing = await checkRequest([bedrock('block')], request, { ...context(), environment: {} });
    assert.deepEqual(failing.unavailable, { policy: 'p', check: 'bedrock', stage: 'input', failure: 'secret_missing' });
    const open = guardrailPolicySchema.parse({
      name: 'p',
      checks: [{ type: 'webhook', url: 'http://127.0.0.1:9/', failMode: 'open' }],
    });
    const passed = await checkRequest([open], request, context());
    assert.deepEqual(passed.verdicts, [
      { policy: 'p', check: 'webhook', action: 'log', stage: 'input', failure: 'unreachable' },
    ]);
    assert.equal(passed.unavailable, undefined);
  });
});
