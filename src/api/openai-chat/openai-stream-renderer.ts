import type { ChatUsage } from '../../providers/canonical-chat';
import type { ChatStreamEvent } from '../../providers/chat-stream-event';
import { chatCompletionId } from './chat-completion-id';
import { openAIErrorType } from './openai-error-response';
import type { StreamRenderer } from '../inferences/stream-renderer';

export interface OpenAIStreamOptions {
  /** The model group the client named, echoed in every chunk. */
  modelGroup: string;
  /** `stream_options.include_usage`: every chunk carries `usage: null`, and a usage chunk with no choices ends the stream. */
  includeUsage: boolean;
  /** The chunk id when the provider gives none. */
  fallbackId: string;
  /** Unix seconds. */
  created?: number;
}

const frame = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

export function toOpenAIUsage(usage: ChatUsage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
    ...(usage.cachedPromptTokens !== undefined && {
      prompt_tokens_details: { cached_tokens: usage.cachedPromptTokens },
    }),
    ...(usage.reasoningTokens !== undefined && {
      completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    }),
  };
}

/** Renders canonical events as OpenAI `chat.completion.chunk` events, ending with `data: [DONE]`. */
export function createOpenAIStreamRenderer({
  modelGroup,
  includeUsage,
  fallbackId,
  created = Math.floor(Date.now() / 1000),
}: OpenAIStreamOptions): StreamRenderer {
  let id = fallbackId;
  let opened = false;
  let finished = false;
  let usage: ChatUsage | undefined;
  let details: Record<string, string> = {};
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: modelGroup,
    ...details,
    choices,
    ...(includeUsage && { usage: null }),
    ...extra,
  });
  const delta = (content: Record<string, unknown>, finishReason: string | null = null) =>
    frame(chunk([{ index: 0, delta: content, logprobs: null, finish_reason: finishReason }]));
  const open = (): string[] => {
    if (opened) return [];
    opened = true;
    return [delta({ role: 'assistant', content: '', refusal: null })];
  };

  return {
    event(event: ChatStreamEvent): string[] {
      switch (event.type) {
        case 'start':
          if (!opened) {
            id = chatCompletionId(event.id || fallbackId);
            details = {
              ...(event.serviceTier && { service_tier: event.serviceTier }),
              ...(event.systemFingerprint && { system_fingerprint: event.systemFingerprint }),
            };
          }
          return [];
        case 'usage':
          usage = event.usage;
          return [];
        case 'dropped':
        case 'reasoning_signature':
        case 'redacted_reasoning':
        case 'provider_block':
          return [];
        case 'text':
          return [...open(), delta({ content: event.text })];
        case 'reasoning':
          // The field openai-compatible servers (DeepSeek, vLLM) and other gateways use for reasoning text.
          return [...open(), delta({ reasoning_content: event.text })];
        case 'tool_call_start':
          return [
            ...open(),
            delta({
              tool_calls: [
                { index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } },
              ],
            }),
          ];
        case 'tool_call_delta':
          return [...open(), delta({ tool_calls: [{ index: event.index, function: { arguments: event.arguments } }] })];
        case 'finish':
          finished = true;
          return [...open(), delta({}, event.finishReason)];
      }
    },
    end(): string[] {
      const frames = [...open(), ...(finished ? [] : [delta({}, 'stop')])];
      if (includeUsage)
        frames.push(
          frame(chunk([], { usage: toOpenAIUsage(usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 }) })),
        );
      frames.push('data: [DONE]\n\n');
      return frames;
    },
    error(status: number, code: string, message: string): string[] {
      return [frame({ error: { message, type: openAIErrorType(status), code, param: null } })];
    },
  };
}
