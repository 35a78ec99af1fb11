import { randomUUID } from 'node:crypto';
import type { CallPlan } from '../../simulator/fault-plan';
import {
  contentText,
  requiredParameters,
  type ConversationSummary,
  type SimulatedReply,
} from '../../simulator/simulated-reply';
import type { WireErrorKind } from '../../simulator/simulator-faults';
import type { WireError } from '../../simulator/wire-error';

interface OpenAIBody {
  model?: unknown;
  n?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  service_tier?: string;
  reasoning_effort?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  tools?: Array<{ function?: { name?: string; parameters?: unknown } }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export function summarizeOpenAI(body: OpenAIBody): ConversationSummary {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  // Images a tool returned come after its tool message, in a user message without text.
  const imagesOnly = (message: { role?: string; content?: unknown }) =>
    message.role === 'user' && Array.isArray(message.content) && contentText(message.content) === '';
  let end = messages.length;
  while (end > 0 && imagesOnly(messages[end - 1]!)) end -= 1;
  const last = messages[end - 1];
  const lastUser = messages
    .slice(0, end)
    .reverse()
    .find((message) => message.role === 'user');
  return {
    lastUserText: contentText(lastUser?.content),
    lastToolResult: last?.role === 'tool' ? contentText(last.content) : undefined,
    tools: (body.tools ?? []).map((tool) => ({
      name: tool.function?.name ?? 'tool',
      required: requiredParameters(tool.function?.parameters),
    })),
    requestChars: JSON.stringify(messages).length,
  };
}

const errorTable: Record<WireErrorKind, { status: number; type: string; code: string | null; message: string }> = {
  invalid_request: {
    status: 400,
    type: 'invalid_request_error',
    code: null,
    message: "Invalid value for 'temperature': expected a number.",
  },
  context_window: {
    status: 400,
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
    message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
  },
  request_too_large: { status: 413, type: 'invalid_request_error', code: null, message: 'Request too large.' },
  authentication: {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided.',
  },
  permission_denied: {
    status: 403,
    type: 'invalid_request_error',
    code: 'unsupported_country_region_territory',
    message: 'Country, region, or territory not supported.',
  },
  model_not_found: {
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist or you do not have access to it.',
  },
  quota_exhausted: {
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    message: 'You exceeded your current quota, please check your plan and billing details.',
  },
  rate_limited: {
    status: 429,
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests.',
  },
  overloaded: {
    status: 503,
    type: 'server_error',
    code: null,
    message: 'The engine is currently overloaded, please try again later.',
  },
  server_error: {
    status: 500,
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request.',
  },
  timeout: { status: 504, type: 'server_error', code: null, message: 'Gateway timeout.' },
};

export function openAIError(kind: keyof typeof errorTable, plan: CallPlan): WireError {
  const entry = errorTable[kind];
  const headers: Record<string, string> = { 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` };
  if (plan.retryAfterSeconds !== undefined) headers['retry-after'] = String(plan.retryAfterSeconds);
  return {
    status: entry.status,
    headers,
    body: { error: { message: entry.message, type: entry.type, param: null, code: entry.code } },
  };
}

export function openAIRateLimitHeaders(limits: CallPlan['limits']): Record<string, string> {
  if (!limits) return {};
  const headers: Record<string, string> = {};
  if (limits.rpm !== undefined) {
    headers['x-ratelimit-limit-requests'] = String(limits.rpm);
    headers['x-ratelimit-remaining-requests'] = String(limits.remainingRequests ?? 0);
    headers['x-ratelimit-reset-requests'] = `${limits.resetSeconds}s`;
  }
  if (limits.tpm !== undefined) {
    headers['x-ratelimit-limit-tokens'] = String(limits.tpm);
    headers['x-ratelimit-remaining-tokens'] = String(limits.remainingTokens ?? 0);
    headers['x-ratelimit-reset-tokens'] = `${limits.resetSeconds}s`;
  }
  return headers;
}

/** The fingerprint of the simulated backend configuration, as OpenAI sends one. */
export const simulatorSystemFingerprint = 'fp_simulator';

/** Log probabilities of each word of the answer, with `top` alternatives at each position. */
function wordLogprobs(text: string, top: number) {
  return {
    content: text.split(/(?<= )/).map((token, position) => {
      const logprob = -0.01 * (position + 1);
      const alternatives = Array.from({ length: top }, (_, rank) => ({
        token: rank === 0 ? token : `${token.trim()}${rank}`,
        logprob: logprob - rank,
        bytes: [...Buffer.from(token)],
      }));
      return { token, logprob, bytes: [...Buffer.from(token)], top_logprobs: alternatives };
    }),
    refusal: null,
  };
}

export function openAICompletion(
  model: string,
  reply: SimulatedReply,
  finishOverride?: 'content_filter',
  body: OpenAIBody = {},
) {
  const toolCalls = reply.toolCall
    ? [
        {
          id: reply.toolCall.id,
          type: 'function',
          function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) },
        },
      ]
    : undefined;
  const choice = (index: number) => ({
    index,
    message: {
      role: 'assistant',
      content: finishOverride ? null : (reply.text ?? null),
      refusal: null,
      ...(toolCalls && !finishOverride && { tool_calls: toolCalls }),
    },
    logprobs: body.logprobs && reply.text ? wordLogprobs(reply.text, body.top_logprobs ?? 0) : null,
    finish_reason: finishOverride ?? (toolCalls ? 'tool_calls' : 'stop'),
  });
  const choices = Math.max(1, Math.min(body.n ?? 1, 128));
  const reasoningTokens = body.reasoning_effort && body.reasoning_effort !== 'none' ? 16 : 0;
  return {
    id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: Array.from({ length: choices }, (_, index) => choice(index)),
    usage: {
      prompt_tokens: reply.promptTokens,
      completion_tokens: reply.completionTokens * choices + reasoningTokens,
      total_tokens: reply.promptTokens + reply.completionTokens * choices + reasoningTokens,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: reasoningTokens },
    },
    service_tier: body.service_tier && body.service_tier !== 'auto' ? body.service_tier : 'default',
    system_fingerprint: simulatorSystemFingerprint,
  };
}

/** OpenAI's streamed chunks for a reply, ending with `data: [DONE]`. */
export function openAIStreamEvents(model: string, reply: SimulatedReply, includeUsage: boolean): string[] {
  const id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: simulatorSystemFingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const events: object[] = [chunk({ role: 'assistant', content: '' }, null)];
  if (reply.toolCall) {
    events.push(
      chunk(
        {
          tool_calls: [
            {
              index: 0,
              id: reply.toolCall.id,
              type: 'function',
              function: { name: reply.toolCall.name, arguments: '' },
            },
          ],
        },
        null,
      ),
    );
    events.push(
      chunk({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify(reply.toolCall.arguments) } }] }, null),
    );
  } else {
    for (const word of (reply.text ?? '').split(/(?<= )/)) events.push(chunk({ content: word }, null));
  }
  events.push(chunk({}, reply.toolCall ? 'tool_calls' : 'stop'));
  if (includeUsage) {
    events.push({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [],
      usage: {
        prompt_tokens: reply.promptTokens,
        completion_tokens: reply.completionTokens,
        total_tokens: reply.promptTokens + reply.completionTokens,
      },
    });
  }
  return [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n'];
}
