import type Anthropic from '@anthropic-ai/sdk';
import type { ChatResponse, ChatUsage, FinishReason, ThinkingBlock } from '../canonical-chat';
import { ProviderCallError } from '../provider-error';

const stopReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  return (reason && stopReasons[reason]) || 'stop';
}

/** The block types the canonical response holds; a message with any other keeps its content whole too. */
export const canonicalBlockTypes = new Set(['text', 'tool_use', 'thinking', 'redacted_thinking']);

/** Anthropic's usage in canonical terms: the canonical prompt count has the cache reads and writes in it. */
export function fromAnthropicUsage(usage: Partial<Anthropic.Usage> | null | undefined): ChatUsage {
  const input = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  const promptTokens = input + cacheRead + cacheWrite;
  const completionTokens = usage?.output_tokens ?? 0;
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    cachedPromptTokens: cacheRead,
    ...(cacheWrite > 0 && { cacheWriteTokens: cacheWrite }),
  };
}

/** Anthropic Messages response → canonical response; text blocks join, tool_use blocks become calls, thinking blocks keep their signatures. */
export function fromAnthropicResponse(message: Anthropic.Message, now = Date.now()): ChatResponse {
  if (!Array.isArray(message?.content)) {
    throw new ProviderCallError({ type: 'ServerError', message: 'The provider returned a message without content' });
  }
  const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  const toolCalls = message.content.flatMap((block) =>
    block.type === 'tool_use'
      ? [
          {
            id: block.id,
            type: 'function' as const,
            function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
          },
        ]
      : [],
  );
  const thinking = message.content.flatMap((block): ThinkingBlock[] => {
    if (block.type === 'thinking')
      return [
        { type: 'thinking', thinking: block.thinking ?? '', ...(block.signature && { signature: block.signature }) },
      ];
    if (block.type === 'redacted_thinking') return [{ type: 'redacted_thinking', data: block.data }];
    return [];
  });
  const reasoning = thinking.map((block) => (block.type === 'thinking' ? block.thinking : '')).join('');
  const whole = message.content.some((block) => !canonicalBlockTypes.has(block.type));
  return {
    id: message.id,
    created: Math.floor(now / 1000),
    model: message.model,
    content: text || (toolCalls.length > 0 ? null : ''),
    ...(toolCalls.length > 0 && { toolCalls }),
    finishReason: mapAnthropicStopReason(message.stop_reason),
    ...(message.stop_reason === 'stop_sequence' &&
      typeof message.stop_sequence === 'string' && { stopSequence: message.stop_sequence }),
    usage: fromAnthropicUsage(message.usage),
    ...(thinking.length > 0 && { thinking, ...(reasoning && { reasoning }) }),
    ...(whole && { anthropicContent: message.content }),
  };
}
