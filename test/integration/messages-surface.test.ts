import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { bedrockClaudeModel, surfaceConfig } from '../helpers/surface-config';
import { simulatorRoutes, startTestStack, type TestStack } from '../helpers/test-gateway';

const claudeCode = JSON.parse(readFileSync(join(__dirname, '__fixtures__/claude-code-first-request.json'), 'utf8')) as {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
};

const lookupTool: Anthropic.Tool = {
  name: 'lookup',
  description: 'Looks a word up',
  input_schema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
};

/** Every path in a JSON value whose value is null, except those Anthropic itself sends as null. */
function nullsIn(value: unknown, allowed: string[], path = ''): string[] {
  if (value === null) return allowed.includes(path) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => nullsIn(item, allowed, `${path}[${index}]`));
  if (typeof value === 'object')
    return Object.entries(value as object).flatMap(([key, item]) =>
      nullsIn(item, allowed, path ? `${path}.${key}` : key),
    );
  return [];
}

/** The server-sent events of a raw stream, parsed. */
function sseEvents(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('event: '))
    .map((frame) => ({
      event: /^event: (\S+)/.exec(frame)![1]!,
      data: JSON.parse(/\ndata: (.*)$/s.exec(frame)![1]!) as Record<string, unknown>,
    }));
}

describe('POST /v1/messages: the whole Messages surface, through a real Temporal server', () => {
  let stack: TestStack;
  let anthropic: Anthropic;
  const claudeRoute = 'anthropic/anthropic-main/us/claude-sim';
  const bedrockClaudeRoute = `bedrock/AKIDTESTBEDROCK/us-east-1/${bedrockClaudeModel}`;

  before(async () => {
    stack = await startTestStack(surfaceConfig);
    anthropic = new Anthropic({ apiKey: stack.gatewayKey, baseURL: stack.gateway.url, maxRetries: 0 });
  });
  after(async () => stack?.stop());
  beforeEach(() => {
    stack.simulator.setFaults([]);
    stack.simulator.requests.length = 0;
  });

  for (const [modelGroup, route] of [
    ['claude', claudeRoute],
    ['bedrock-claude', bedrockClaudeRoute],
  ] as const) {
    it(`${modelGroup}: thinking comes back as a signed thinking block, and the block goes back to the provider with its signature`, async () => {
      const question: Anthropic.MessageParam = { role: 'user', content: 'Define gateway' };
      const first = await anthropic.messages.create({
        model: modelGroup,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tools: [lookupTool],
        messages: [question],
      });
      const sentFirst = stack.simulator.lastRequest(route)?.body ?? {};
      if (modelGroup === 'claude') assert.deepEqual(sentFirst.thinking, { type: 'enabled', budget_tokens: 2048 });
      else
        assert.deepEqual(sentFirst.additionalModelRequestFields, {
          thinking: { type: 'enabled', budget_tokens: 2048 },
        });
      assert.deepEqual(
        first.content.map((block) => block.type),
        ['thinking', 'tool_use'],
      );
      const thinking = first.content[0] as Anthropic.ThinkingBlock;
      assert.equal(thinking.thinking, 'Simulated thinking about: Define gateway');
      assert.match(thinking.signature, /^sim-sig-/);
      const toolUse = first.content[1] as Anthropic.ToolUseBlock;

      const history: Anthropic.MessageParam[] = [
        question,
        { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'a place requests pass through' }],
        },
      ];
      const second = await anthropic.messages.create({
        model: modelGroup,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tools: [lookupTool],
        messages: history,
      });
      assert.equal(second.stop_reason, 'end_turn');
      const sent = stack.simulator.lastRequest(route)?.body as {
        messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
      };
      const assistantTurn = sent.messages[1]!.content[0]!;
      if (modelGroup === 'claude')
        assert.deepEqual(assistantTurn, {
          type: 'thinking',
          thinking: thinking.thinking,
          signature: thinking.signature,
        });
      else
        assert.deepEqual(assistantTurn, {
          reasoningContent: { reasoningText: { text: thinking.thinking, signature: thinking.signature } },
        });

      // A block whose signature was altered is refused by the provider, as Anthropic refuses it.
      const forged = [
        history[0]!,
        {
          role: 'assistant' as const,
          content: [{ ...thinking, signature: 'sim-sig-forged' }, toolUse] as Anthropic.ContentBlockParam[],
        },
        history[2]!,
      ];
      await assert.rejects(
        anthropic.messages.create({ model: modelGroup, max_tokens: 4096, tools: [lookupTool], messages: forged }),
        Anthropic.BadRequestError,
      );
    });

    it(`${modelGroup}: a streamed answer brings its thinking block, thinking_delta and signature_delta included`, async () => {
      const stream = anthropic.messages.stream({
        model: modelGroup,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'Stream a thought' }],
      });
      const thoughts: string[] = [];
      const signatures: string[] = [];
      stream.on('thinking', (delta) => thoughts.push(delta));
      stream.on('signature', (signature) => signatures.push(signature));
      const message = await stream.finalMessage();
      assert.ok(thoughts.length > 1, 'the reasoning arrived in pieces');
      assert.equal(thoughts.join(''), 'Simulated thinking about: Stream a thought');
      assert.equal(signatures.length, 1);
      assert.deepEqual(
        message.content.map((block) => block.type),
        ['thinking', 'text'],
      );
      assert.equal((message.content[0] as Anthropic.ThinkingBlock).signature, signatures[0]);
      assert.match(message.id, /^msg_/);
    });
  }

  it('sends top_k, stop_sequences, metadata, every tool_choice form, system blocks, cache_control and the Anthropic-only fields to an Anthropic route as they came', async () => {
    const system: Anthropic.TextBlockParam[] = [
      { type: 'text', text: 'You answer briefly.' },
      { type: 'text', text: 'A long reference text.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ];
    const base = { model: 'claude', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hello' }] };
    await anthropic.messages.create({
      ...base,
      system,
      top_k: 5,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-9' },
      tools: [{ ...lookupTool, cache_control: { type: 'ephemeral' } }],
      tool_choice: { type: 'tool', name: 'lookup', disable_parallel_tool_use: true },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_config: { effort: 'high' },
      service_tier: 'standard_only',
    } as Anthropic.MessageCreateParamsNonStreaming);
    const sent = stack.simulator.lastRequest(claudeRoute)?.body ?? {};
    assert.deepEqual(sent.system, system);
    assert.equal(sent.top_k, 5);
    assert.deepEqual(sent.stop_sequences, ['END']);
    assert.deepEqual(sent.metadata, { user_id: 'user-9' });
    assert.deepEqual(sent.tools, [{ ...lookupTool, cache_control: { type: 'ephemeral' } }]);
    assert.deepEqual(sent.tool_choice, { type: 'tool', name: 'lookup', disable_parallel_tool_use: true });
    assert.deepEqual(sent.context_management, { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] });
    assert.deepEqual(sent.output_config, { effort: 'high' });
    assert.equal(sent.service_tier, 'standard_only');

    for (const toolChoice of [
      { type: 'auto' },
      { type: 'any' },
      { type: 'none' },
      { type: 'any', disable_parallel_tool_use: true },
    ] as Anthropic.ToolChoice[]) {
      await anthropic.messages.create({ ...base, tools: [lookupTool], tool_choice: toolChoice });
      assert.deepEqual(stack.simulator.lastRequest(claudeRoute)?.body.tool_choice, toolChoice);
    }
  });

  it('an image inside a tool_result reaches every provider kind: in the tool result (Anthropic, Bedrock) or right after it (OpenAI)', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Read the screenshot' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_read1', name: 'lookup', input: { word: 'shot.png' } }],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_read1',
            content: [
              { type: 'text', text: 'the file:' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
            ],
          },
        ],
      },
    ];
    for (const modelGroup of ['claude', 'bedrock-claude', 'chat-default']) {
      const answer = await anthropic.messages.create({
        model: modelGroup,
        max_tokens: 64,
        tools: [lookupTool],
        messages,
      });
      assert.equal(answer.stop_reason, 'end_turn', modelGroup);
    }
    const toAnthropic = stack.simulator.lastRequest(claudeRoute)?.body as {
      messages: Array<{ content: Array<{ type: string; content?: Array<{ type: string }> }> }>;
    };
    assert.deepEqual(
      toAnthropic.messages[2]!.content[0]!.content!.map((block) => block.type),
      ['text', 'image'],
    );
    const toBedrock = stack.simulator.lastRequest(bedrockClaudeRoute)?.body as {
      messages: Array<{ content: Array<{ toolResult?: { content: Array<Record<string, unknown>> } }> }>;
    };
    assert.deepEqual(
      toBedrock.messages[2]!.content[0]!.toolResult!.content.map((block) => Object.keys(block)[0]),
      ['text', 'image'],
    );
    const toOpenAI = stack.simulator.lastRequest('openai/')?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    assert.deepEqual(
      toOpenAI.messages.slice(2).map((message) => message.role),
      ['tool', 'user'],
    );
    assert.equal(toOpenAI.messages[2]!.content, 'the file:');
    assert.deepEqual(toOpenAI.messages[3]!.content, [
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ]);
  });

  it('a PDF or text document reaches every provider kind: an Anthropic document, a Converse document, an OpenAI file part', async () => {
    const pdf = Buffer.from('%PDF-1.4 simulated').toString('base64');
    const messages: Anthropic.MessageParam[] = [
      {
        role: 'user',
        content: [
          {
            type: 'document',
            source: { type: 'base64', media_type: 'application/pdf', data: pdf },
            title: 'report.pdf',
          },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain notes' } },
          { type: 'text', text: 'Summarise these' },
        ],
      },
    ];
    for (const modelGroup of ['claude', 'bedrock-claude', 'chat-default']) {
      const { response } = await anthropic.messages
        .create({ model: modelGroup, max_tokens: 64, messages })
        .withResponse();
      assert.equal(response.headers.get('x-gateway-dropped-params'), null, modelGroup);
    }
    const toAnthropic = stack.simulator.lastRequest(claudeRoute)?.body as { messages: Array<{ content: unknown[] }> };
    assert.deepEqual(toAnthropic.messages[0]!.content.slice(0, 2), [
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf }, title: 'report.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain notes' } },
    ]);
    const toBedrock = stack.simulator.lastRequest(bedrockClaudeRoute)?.body as {
      messages: Array<{ content: Array<{ document?: { format: string; name: string } }> }>;
    };
    assert.deepEqual(
      toBedrock.messages[0]!.content.slice(0, 2).map((block) => [block.document?.format, block.document?.name]),
      [
        ['pdf', 'report'],
        ['txt', 'document'],
      ],
    );
    const toOpenAI = stack.simulator.lastRequest('openai/')?.body as {
      messages: Array<{ content: Array<{ type: string; file?: { filename?: string; file_data?: string } }> }>;
    };
    assert.deepEqual(toOpenAI.messages[0]!.content[0], {
      type: 'file',
      file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${pdf}` },
    });
  });

  it("a server tool (web search, as Claude Code's WebSearch asks for it) goes to Anthropic as it came and its blocks come back, whole and streamed; elsewhere it is named dropped", async () => {
    // The shape of Claude Code's WebSearch sub-request (captured from 2.1.197): one server tool, forced.
    const request = {
      model: 'claude',
      max_tokens: 1024,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 }],
      tool_choice: { type: 'tool', name: 'web_search' },
      thinking: { type: 'disabled' },
      messages: [{ role: 'user', content: 'Perform a web search for the query: durable gateways' }],
    } as unknown as Anthropic.MessageCreateParamsNonStreaming;
    const whole = await anthropic.messages.create(request);
    const sent = stack.simulator.lastRequest(claudeRoute)?.body ?? {};
    assert.deepEqual(sent.tools, [{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 }]);
    assert.deepEqual(sent.tool_choice, { type: 'tool', name: 'web_search' });
    assert.deepEqual(
      whole.content.map((block) => block.type),
      ['server_tool_use', 'web_search_tool_result', 'text'],
    );
    assert.match(whole.id, /^msg_/);

    const streamed = await anthropic.messages.stream(request).finalMessage();
    assert.deepEqual(
      streamed.content.map((block) => block.type),
      ['server_tool_use', 'web_search_tool_result', 'text'],
    );
    assert.deepEqual((streamed.content[0] as Anthropic.ServerToolUseBlock).input, {
      query: 'Perform a web search for the query: durable gateways',
    });

    const elsewhere = await anthropic.messages.create({ ...request, model: 'chat-default' }).withResponse();
    assert.equal(elsewhere.response.headers.get('x-gateway-dropped-params'), 'tools.web_search_20250305, tool_choice');
    const toOpenAI = stack.simulator.lastRequest('openai/')?.body ?? {};
    assert.equal('tools' in toOpenAI || 'tool_choice' in toOpenAI, false);
  });

  it('prompt caching: cache_control reaches Anthropic and Bedrock (as cache points), and usage reports the cache write, then the read', async () => {
    for (const [modelGroup, route] of [
      ['claude', claudeRoute],
      ['bedrock-claude', bedrockClaudeRoute],
    ] as const) {
      const request = {
        model: modelGroup,
        max_tokens: 64,
        system: [
          {
            type: 'text' as const,
            text: `A shared preamble for ${modelGroup}.`,
            cache_control: { type: 'ephemeral' as const },
          },
        ],
        messages: [{ role: 'user' as const, content: 'cache me' }],
      };
      const first = await anthropic.messages.create(request);
      const sent = stack.simulator.lastRequest(route)?.body ?? {};
      if (modelGroup === 'bedrock-claude')
        assert.deepEqual(sent.system, [
          { text: `A shared preamble for ${modelGroup}.` },
          { cachePoint: { type: 'default' } },
        ]);
      assert.ok(first.usage.cache_creation_input_tokens! > 0, `${modelGroup}: the first call wrote the cache`);
      assert.equal(first.usage.cache_read_input_tokens, 0);
      const second = await anthropic.messages.create(request);
      assert.equal(second.usage.cache_creation_input_tokens, 0);
      assert.ok(second.usage.cache_read_input_tokens! > 0, `${modelGroup}: the second call read it`);
    }
  });

  it('forwards anthropic-beta to Anthropic (header) and to Claude on Bedrock (anthropic_beta); accepts anthropic-version; names it dropped elsewhere', async () => {
    const headers = {
      'anthropic-beta': 'context-management-2025-06-27, interleaved-thinking-2025-05-14',
      'anthropic-version': '2023-06-01',
    };
    const body = { max_tokens: 64, messages: [{ role: 'user' as const, content: 'beta please' }] };
    await anthropic.messages.create({ model: 'claude', ...body }, { headers });
    assert.equal(
      stack.simulator.lastRequest(claudeRoute)?.headers['anthropic-beta'],
      'context-management-2025-06-27,interleaved-thinking-2025-05-14',
    );
    await anthropic.messages.create({ model: 'bedrock-claude', ...body }, { headers });
    assert.deepEqual(stack.simulator.lastRequest(bedrockClaudeRoute)?.body.additionalModelRequestFields, {
      anthropic_beta: ['context-management-2025-06-27', 'interleaved-thinking-2025-05-14'],
    });
    const { response } = await anthropic.messages
      .create({ model: 'chat-default', ...body, top_k: 3 } as Anthropic.MessageCreateParamsNonStreaming, { headers })
      .withResponse();
    assert.equal(response.headers.get('x-gateway-dropped-params'), 'top_k, anthropic-beta');
  });

  it("answers with Anthropic's wire format from every provider kind: msg_ ids, no citations, no nulls Anthropic does not send, whole and streamed", async () => {
    for (const { modelGroup } of simulatorRoutes) {
      const response = await fetch(`${stack.gateway.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': stack.gatewayKey,
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({
          model: modelGroup,
          max_tokens: 64,
          messages: [{ role: 'user', content: 'format check' }],
        }),
      });
      assert.equal(response.status, 200);
      const message = (await response.json()) as {
        id: string;
        content: Array<Record<string, unknown>>;
        usage: Record<string, unknown>;
      };
      assert.match(message.id, /^msg_[A-Za-z0-9_-]+$/, modelGroup);
      assert.deepEqual(nullsIn(message, ['stop_sequence']), [], modelGroup);
      assert.deepEqual(Object.keys(message.content[0]!).sort(), ['text', 'type'], modelGroup);
      assert.deepEqual(Object.keys(message.usage).sort(), [
        'cache_creation_input_tokens',
        'cache_read_input_tokens',
        'input_tokens',
        'output_tokens',
      ]);

      const streamed = await fetch(`${stack.gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': stack.gatewayKey, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: modelGroup,
          max_tokens: 64,
          stream: true,
          messages: [{ role: 'user', content: 'format check' }],
        }),
      });
      const events = sseEvents(await streamed.text());
      const start = events.find((event) => event.event === 'message_start')!.data.message as { id: string };
      assert.match(start.id, /^msg_/, modelGroup);
      const blockStart = events.find((event) => event.event === 'content_block_start')!.data;
      assert.deepEqual(blockStart.content_block, { type: 'text', text: '' }, modelGroup);
      const delta = events.find((event) => event.event === 'message_delta')!.data;
      assert.deepEqual(nullsIn(delta, ['delta.stop_sequence']), [], modelGroup);
    }
  });

  it("POST /v1/messages/count_tokens counts the prompt without an inference, in Anthropic's shapes", async () => {
    const short = await anthropic.messages.countTokens({
      model: 'claude',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const long = await anthropic.messages.countTokens({
      model: 'claude',
      system: 'You are terse.',
      tools: [lookupTool],
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'hi '.repeat(200) }],
    });
    assert.ok(short.input_tokens > 0);
    assert.ok(long.input_tokens > short.input_tokens + 150, `${long.input_tokens} vs ${short.input_tokens}`);
    assert.equal(stack.simulator.requests.length, 0);
    await assert.rejects(
      anthropic.messages.countTokens({ model: 'no-such-group', messages: [{ role: 'user', content: 'hi' }] }),
      Anthropic.NotFoundError,
    );
    await assert.rejects(
      anthropic.messages.countTokens({
        model: 'claude',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 5,
      } as Anthropic.MessageCountTokensParams),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /max_tokens/.test(error.message),
    );
  });

  for (const modelGroup of ['claude', 'chat-default']) {
    it(`${modelGroup}: Claude Code's first request (thinking, context_management, output_config, a system turn, the beta flags) gets 200 and a stream`, async () => {
      const response = await fetch(`${stack.gateway.url}${claudeCode.path}`, {
        method: 'POST',
        headers: { ...claudeCode.headers, 'x-api-key': stack.gatewayKey, 'content-type': 'application/json' },
        body: JSON.stringify({ ...claudeCode.body, model: modelGroup }),
      });
      const text = await response.text();
      assert.equal(response.status, 200, text.slice(0, 300));
      const events = sseEvents(text);
      assert.equal(events.at(-1)?.event, 'message_stop');
      assert.ok(events.some((event) => event.event === 'content_block_delta'));
      if (modelGroup === 'claude') {
        const sent = stack.simulator.lastRequest(claudeRoute)!;
        assert.deepEqual(sent.body.thinking, { type: 'adaptive' });
        assert.deepEqual(sent.body.context_management, claudeCode.body.context_management);
        assert.deepEqual(sent.body.output_config, claudeCode.body.output_config);
        assert.equal(sent.headers['anthropic-beta'], claudeCode.headers['anthropic-beta']);
        assert.equal(response.headers.get('x-gateway-dropped-params'), null);
        // The simulated Claude thought first, as adaptive thinking allows.
        const firstBlock = events.find((event) => event.event === 'content_block_start')?.data.content_block as
          { type: string } | undefined;
        assert.equal(firstBlock?.type, 'thinking');
      } else {
        // On an OpenAI route: the effort is translated, what has no counterpart is named.
        assert.equal(stack.simulator.lastRequest('openai/')?.body.reasoning_effort, 'high');
        assert.equal(response.headers.get('x-gateway-dropped-params'), 'context_management, anthropic-beta');
      }
    });
  }
});
