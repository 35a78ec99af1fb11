import { createHash, randomUUID } from 'node:crypto';
import type { CallPlan } from '../../simulator/fault-plan';
import { thinkingSignature } from '../../simulator/simulated-reasoning';
import {
  contentText,
  requiredParameters,
  type ConversationSummary,
  type SimulatedReply,
} from '../../simulator/simulated-reply';
import type { WireErrorKind } from '../../simulator/simulator-faults';
import type { WireError } from '../../simulator/wire-error';

interface AnthropicBody {
  messages?: Array<{ role?: string; content?: unknown }>;
  tools?: Array<{ type?: string; name?: string; input_schema?: unknown }>;
  system?: unknown;
  thinking?: { type?: string };
}

/** One of Anthropic's server tools, which the model runs itself: a dated type such as web_search_20250305. */
function isServerTool(tool: { type?: string }): tool is { type: string } {
  return typeof tool.type === 'string' && /_\d{8}$/.test(tool.type);
}

/** The blocks of a simulated web search: the server tool's use and its result. */
function webSearchBlocks(query: string) {
  const id = `srvtoolu_${createHash('sha256').update(query).digest('hex').slice(0, 20)}`;
  return [
    { type: 'server_tool_use', id, name: 'web_search', input: { query } },
    {
      type: 'web_search_tool_result',
      tool_use_id: id,
      content: [
        {
          type: 'web_search_result',
          url: 'https://example.com/simulated',
          title: `Simulated result for ${query}`,
          encrypted_content: 'c2ltdWxhdGVk',
          page_age: null,
        },
      ],
    },
  ];
}

/** The thinking blocks of earlier answers a request sends back. */
function thinkingBlocks(messages: AnthropicBody['messages']): Array<{ thinking: string; signature?: string }> {
  return (messages ?? []).flatMap((message) =>
    Array.isArray(message.content)
      ? message.content.filter((block: { type?: string }) => block?.type === 'thinking')
      : [],
  ) as Array<{ thinking: string; signature?: string }>;
}

/** The part of a request a cache breakpoint covers, as the simulator keys its cache: system and tools. */
export function cachedPrefix(body: object, prefix: unknown): string | undefined {
  return JSON.stringify(body).includes('"cache_control"') || JSON.stringify(body).includes('"cachePoint"')
    ? JSON.stringify(prefix)
    : undefined;
}

function endsWithToolResult(content: unknown): boolean {
  return Array.isArray(content) && content.some((block: { type?: string }) => block?.type === 'tool_result');
}

export function summarizeAnthropic(body: AnthropicBody): ConversationSummary {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  const lastUser = [...messages]
    .reverse()
    .find((message) => message.role === 'user' && !endsWithToolResult(message.content));
  return {
    lastUserText: contentText(lastUser?.content),
    lastToolResult: last && endsWithToolResult(last.content) ? contentText(last.content) : undefined,
    tools: (body.tools ?? [])
      .filter((tool) => !isServerTool(tool))
      .map((tool) => ({ name: tool.name ?? 'tool', required: requiredParameters(tool.input_schema) })),
    webSearch: (body.tools ?? []).some((tool) => isServerTool(tool) && tool.type.startsWith('web_search_')),
    requestChars: JSON.stringify([body.system ?? '', messages]).length,
    thinking: body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive',
    thinkingSentBack: thinkingBlocks(messages),
    cachedPrefix: cachedPrefix(body, [body.system, body.tools]),
  };
}

const errorTable: Record<WireErrorKind, { status: number; type: string; message: string }> = {
  invalid_request: {
    status: 400,
    type: 'invalid_request_error',
    message: 'messages: roles must alternate between "user" and "assistant"',
  },
  context_window: {
    status: 400,
    type: 'invalid_request_error',
    message: 'prompt is too long: 210000 tokens > 200000 maximum',
  },
  request_too_large: {
    status: 413,
    type: 'request_too_large',
    message: 'Request exceeds the maximum allowed number of bytes.',
  },
  authentication: { status: 401, type: 'authentication_error', message: 'invalid x-api-key' },
  permission_denied: {
    status: 403,
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  model_not_found: { status: 404, type: 'not_found_error', message: 'model: not found' },
  quota_exhausted: {
    status: 402,
    type: 'billing_error',
    message: 'Your credit balance is too low to access the Anthropic API.',
  },
  rate_limited: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Number of requests has exceeded your per-minute rate limit.',
  },
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
  server_error: { status: 500, type: 'api_error', message: 'Internal server error' },
  timeout: { status: 504, type: 'timeout_error', message: 'Request timed out' },
};

export function anthropicError(kind: keyof typeof errorTable, plan: CallPlan): WireError {
  const entry = errorTable[kind];
  const requestId = `req_${randomUUID().replaceAll('-', '')}`;
  const headers: Record<string, string> = { 'request-id': requestId, ...anthropicRateLimitHeaders(plan.limits) };
  if (plan.retryAfterSeconds !== undefined) headers['retry-after'] = String(plan.retryAfterSeconds);
  return {
    status: entry.status,
    headers,
    body: { type: 'error', error: { type: entry.type, message: entry.message }, request_id: requestId },
  };
}

export function anthropicRateLimitHeaders(limits: CallPlan['limits']): Record<string, string> {
  if (!limits) return {};
  const reset = new Date(Date.now() + limits.resetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const headers: Record<string, string> = {};
  if (limits.rpm !== undefined) {
    headers['anthropic-ratelimit-requests-limit'] = String(limits.rpm);
    headers['anthropic-ratelimit-requests-remaining'] = String(limits.remainingRequests ?? 0);
    headers['anthropic-ratelimit-requests-reset'] = reset;
  }
  if (limits.tpm !== undefined) {
    headers['anthropic-ratelimit-tokens-limit'] = String(limits.tpm);
    headers['anthropic-ratelimit-tokens-remaining'] = String(limits.remainingTokens ?? 0);
    headers['anthropic-ratelimit-tokens-reset'] = reset;
  }
  return headers;
}

function answerBlock(reply: SimulatedReply) {
  if (reply.toolCall)
    return {
      type: 'tool_use',
      id: reply.toolCall.id.replace('call_', 'toolu_'),
      name: reply.toolCall.name,
      input: reply.toolCall.arguments,
    };
  return { type: 'text', text: reply.text ?? '' };
}

function contentBlocks(reply: SimulatedReply) {
  const thinking =
    reply.reasoning === undefined
      ? []
      : [{ type: 'thinking', thinking: reply.reasoning, signature: thinkingSignature(reply.reasoning) }];
  return [...thinking, ...(reply.webSearch ? webSearchBlocks(reply.webSearch.query) : []), answerBlock(reply)];
}

function usage(reply: SimulatedReply) {
  const cache = reply.cache ?? { write: 0, read: 0 };
  return {
    input_tokens: reply.promptTokens - cache.write - cache.read,
    output_tokens: reply.completionTokens,
    cache_creation_input_tokens: cache.write,
    cache_read_input_tokens: cache.read,
  };
}

export function anthropicMessage(model: string, reply: SimulatedReply, refused = false) {
  return {
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    type: 'message',
    role: 'assistant',
    model,
    content: refused ? [] : contentBlocks(reply),
    stop_reason: refused ? 'refusal' : reply.toolCall ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: usage(reply),
  };
}

/** Anthropic's streamed events for a reply: message_start … message_stop. */
export function anthropicStreamEvents(model: string, reply: SimulatedReply): string[] {
  const message = anthropicMessage(model, reply);
  const events: Array<[string, object]> = [
    [
      'message_start',
      {
        type: 'message_start',
        message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } },
      },
    ],
  ];
  const delta = (index: number, value: object): [string, object] => [
    'content_block_delta',
    { type: 'content_block_delta', index, delta: value },
  ];
  let index = 0;
  if (reply.reasoning !== undefined) {
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } },
    ]);
    for (const word of reply.reasoning.split(/(?<= )/))
      events.push(delta(index, { type: 'thinking_delta', thinking: word }));
    events.push(delta(index, { type: 'signature_delta', signature: thinkingSignature(reply.reasoning) }));
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    index += 1;
  }
  for (const searchBlock of reply.webSearch ? webSearchBlocks(reply.webSearch.query) : []) {
    if (searchBlock.type === 'server_tool_use') {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: { ...searchBlock, input: {} } },
      ]);
      events.push(delta(index, { type: 'input_json_delta', partial_json: JSON.stringify(searchBlock.input) }));
    } else {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: searchBlock }]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    index += 1;
  }
  const block = answerBlock(reply);
  if (block.type === 'tool_use') {
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: { ...block, input: {} } },
    ]);
    events.push(
      delta(index, { type: 'input_json_delta', partial_json: JSON.stringify(reply.toolCall?.arguments ?? {}) }),
    );
  } else {
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    ]);
    for (const word of (reply.text ?? '').split(/(?<= )/))
      events.push(delta(index, { type: 'text_delta', text: word }));
  }
  events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: reply.completionTokens },
    },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}
