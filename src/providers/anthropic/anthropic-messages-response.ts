import type Anthropic from '@anthropic-ai/sdk';
import type { ChatResponse, FinishReason } from '../canonical-chat';
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

/** Anthropic Messages response → canonical response; text blocks join, tool_use blocks become calls. */
export function fromAnthropicResponse(message: Anthropic.Message, now = Date.now()): ChatResponse {
  if (!Array.isArray(message?.content)) {
    throw new ProviderCallError({ type: 'ServerError', message: 'The provider returned a message without content' });
  }
  const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  const toolCalls = message.content.flatMap((block) =>
    block.type === 'tool_use'
      ? [{ id: block.id, type: 'function' as const, function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } }]
      : [],
  );
  const input = message.usage?.input_tokens ?? 0;
  const cacheRead = message.usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = message.usage?.cache_creation_input_tokens ?? 0;
  const promptTokens = input + cacheRead + cacheWrite;
  const completionTokens = message.usage?.output_tokens ?? 0;
  return {
    id: message.id,
    created: Math.floor(now / 1000),
    model: message.model,
    content: text || (toolCalls.length > 0 ? null : ''),
    ...(toolCalls.length > 0 && { toolCalls }),
    finishReason: mapAnthropicStopReason(message.stop_reason),
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedPromptTokens: cacheRead },
  };
}
