import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { randomUUID } from 'node:crypto';
import type { CallPlan } from '../../simulator/fault-plan';
import { cachedPrefix } from '../anthropic/anthropic-simulator-wire';
import { thinkingSignature } from '../../simulator/simulated-reasoning';
import {
  contentText,
  requiredParameters,
  type ConversationSummary,
  type SimulatedReply,
} from '../../simulator/simulated-reply';
import type { WireErrorKind } from '../../simulator/simulator-faults';
import type { WireError } from '../../simulator/wire-error';

interface ConverseBody {
  messages?: Array<{
    role?: string;
    content?: Array<{
      text?: string;
      toolResult?: { content?: Array<{ text?: string }> };
      reasoningContent?: { reasoningText?: { text?: string; signature?: string } };
    }>;
  }>;
  system?: unknown;
  toolConfig?: { tools?: Array<{ toolSpec?: { name?: string; inputSchema?: { json?: unknown } } }> };
  additionalModelRequestFields?: { thinking?: { type?: string } };
}

export function summarizeConverse(body: ConverseBody): ConversationSummary {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  const toolResult = last?.content?.find((block) => block.toolResult)?.toolResult;
  const lastUser = [...messages]
    .reverse()
    .find((message) => message.role === 'user' && !message.content?.some((block) => block.toolResult));
  return {
    lastUserText: contentText(lastUser?.content),
    lastToolResult: toolResult ? contentText(toolResult.content) : undefined,
    tools: (body.toolConfig?.tools ?? []).map((tool) => ({
      name: tool.toolSpec?.name ?? 'tool',
      required: requiredParameters(tool.toolSpec?.inputSchema?.json),
    })),
    requestChars: JSON.stringify([body.system ?? '', messages]).length,
    thinking: ['enabled', 'adaptive'].includes(body.additionalModelRequestFields?.thinking?.type ?? ''),
    thinkingSentBack: messages.flatMap((message) =>
      (message.content ?? []).flatMap((block) =>
        block.reasoningContent?.reasoningText
          ? [
              {
                thinking: block.reasoningContent.reasoningText.text ?? '',
                signature: block.reasoningContent.reasoningText.signature,
              },
            ]
          : [],
      ),
    ),
    cachedPrefix: cachedPrefix(body, [body.system, body.toolConfig]),
  };
}

/** Reads account (access key id) and region from a SigV4 Authorization header. */
export function sigV4Identity(authorization: string | undefined): { account: string; region: string } | undefined {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/bedrock\/aws4_request/.exec(authorization ?? '');
  return match ? { account: match[1]!, region: match[2]! } : undefined;
}

const errorTable: Record<WireErrorKind, { status: number; name: string; message: string }> = {
  invalid_request: {
    status: 400,
    name: 'ValidationException',
    message: 'Malformed input request, please reformat your input and try again.',
  },
  context_window: { status: 400, name: 'ValidationException', message: 'Input is too long for requested model.' },
  request_too_large: {
    status: 413,
    name: 'ValidationException',
    message: 'Request body is larger than the maximum allowed size.',
  },
  authentication: {
    status: 403,
    name: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
  },
  permission_denied: {
    status: 403,
    name: 'AccessDeniedException',
    message: "You don't have access to the model with the specified model ID.",
  },
  model_not_found: {
    status: 404,
    name: 'ResourceNotFoundException',
    message: 'Could not resolve the foundation model from the provided model identifier.',
  },
  quota_exhausted: {
    status: 400,
    name: 'ServiceQuotaExceededException',
    message: 'Your request exceeds the service quota for your account.',
  },
  rate_limited: {
    status: 429,
    name: 'ThrottlingException',
    message: 'Too many requests, please wait before trying again.',
  },
  overloaded: { status: 503, name: 'ServiceUnavailableException', message: 'Service is temporarily unavailable.' },
  server_error: { status: 500, name: 'InternalServerException', message: 'The server encountered an internal error.' },
  timeout: { status: 408, name: 'ModelTimeoutException', message: 'The model timed out while processing the request.' },
};

export function bedrockError(kind: keyof typeof errorTable, plan: CallPlan): WireError {
  const entry = errorTable[kind];
  const headers: Record<string, string> = {
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': `${entry.name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  };
  if (plan.retryAfterSeconds !== undefined) headers['retry-after'] = String(plan.retryAfterSeconds);
  return { status: entry.status, headers, body: { message: entry.message } };
}

function converseContent(reply: SimulatedReply): object[] {
  const reasoning =
    reply.reasoning === undefined
      ? []
      : [
          {
            reasoningContent: {
              reasoningText: { text: reply.reasoning, signature: thinkingSignature(reply.reasoning) },
            },
          },
        ];
  if (reply.toolCall)
    return [
      ...reasoning,
      {
        toolUse: {
          toolUseId: reply.toolCall.id.replace('call_', 'tooluse_'),
          name: reply.toolCall.name,
          input: reply.toolCall.arguments,
        },
      },
    ];
  return [...reasoning, { text: reply.text ?? '' }];
}

function converseUsage(reply: SimulatedReply) {
  const cache = reply.cache ?? { write: 0, read: 0 };
  const usage = {
    inputTokens: reply.promptTokens - cache.write - cache.read,
    outputTokens: reply.completionTokens,
    totalTokens: reply.promptTokens + reply.completionTokens,
  };
  return cache.write + cache.read > 0
    ? { ...usage, cacheReadInputTokens: cache.read, cacheWriteInputTokens: cache.write }
    : usage;
}

export function converseOutput(reply: SimulatedReply, latencyMs: number, filtered = false) {
  return {
    output: {
      message: {
        role: 'assistant',
        content: filtered ? [{ text: 'Sorry, the model cannot answer this.' }] : converseContent(reply),
      },
    },
    stopReason: filtered ? 'guardrail_intervened' : reply.toolCall ? 'tool_use' : 'end_turn',
    usage: converseUsage(reply),
    metrics: { latencyMs },
  };
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(eventType: string, payload: object): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** An in-stream exception frame, as ConverseStream sends after the stream has begun. */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

/** ConverseStream frames (AWS event-stream, both CRCs) for a reply. */
export function converseStreamFrames(reply: SimulatedReply, latencyMs: number): Uint8Array[] {
  const frames = [frame('messageStart', { role: 'assistant' })];
  let index = 0;
  if (reply.reasoning !== undefined) {
    for (const word of reply.reasoning.split(/(?<= )/))
      frames.push(
        frame('contentBlockDelta', { contentBlockIndex: index, delta: { reasoningContent: { text: word } } }),
      );
    frames.push(
      frame('contentBlockDelta', {
        contentBlockIndex: index,
        delta: { reasoningContent: { signature: thinkingSignature(reply.reasoning) } },
      }),
    );
    frames.push(frame('contentBlockStop', { contentBlockIndex: index }));
    index += 1;
  }
  if (reply.toolCall) {
    frames.push(
      frame('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: reply.toolCall.id.replace('call_', 'tooluse_'), name: reply.toolCall.name } },
      }),
    );
    frames.push(
      frame('contentBlockDelta', {
        contentBlockIndex: index,
        delta: { toolUse: { input: JSON.stringify(reply.toolCall.arguments) } },
      }),
    );
  } else {
    for (const word of (reply.text ?? '').split(/(?<= )/))
      frames.push(frame('contentBlockDelta', { contentBlockIndex: index, delta: { text: word } }));
  }
  frames.push(frame('contentBlockStop', { contentBlockIndex: index }));
  frames.push(frame('messageStop', { stopReason: reply.toolCall ? 'tool_use' : 'end_turn' }));
  frames.push(frame('metadata', { usage: converseUsage(reply), metrics: { latencyMs } }));
  return frames;
}
