import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatStreamEvent } from '../chat-stream-event';
import { mapOpenAIFinishReason } from './openai-chat-response';

/**
 * Turns OpenAI chat-completion chunks into canonical events, one chunk at a time. Tool calls are
 * renumbered in the order they start; servers that repeat a call's id in every chunk start it once.
 */
export function createOpenAIChunkTranslator() {
  let started = false;
  const toolIndexes = new Map<number, number>();
  return (chunk: ChatCompletionChunk): ChatStreamEvent[] => {
    const events: ChatStreamEvent[] = [];
    if (!started && chunk.id) {
      started = true;
      events.push({ type: 'start', id: chunk.id, model: chunk.model });
    }
    const choice = chunk.choices?.[0];
    const delta = choice?.delta;
    if (delta?.content) events.push({ type: 'text', text: delta.content });
    for (const call of delta?.tool_calls ?? []) {
      let index = toolIndexes.get(call.index);
      if (index === undefined && (call.id || call.function?.name)) {
        index = toolIndexes.size;
        toolIndexes.set(call.index, index);
        events.push({ type: 'tool_call_start', index, id: call.id ?? `call_${index}`, name: call.function?.name ?? '' });
      }
      if (index !== undefined && call.function?.arguments) events.push({ type: 'tool_call_delta', index, arguments: call.function.arguments });
    }
    if (choice?.finish_reason) events.push({ type: 'finish', finishReason: mapOpenAIFinishReason(choice.finish_reason) });
    if (chunk.usage) {
      events.push({
        type: 'usage',
        usage: {
          promptTokens: chunk.usage.prompt_tokens ?? 0,
          completionTokens: chunk.usage.completion_tokens ?? 0,
          totalTokens: chunk.usage.total_tokens ?? 0,
          cachedPromptTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? undefined,
        },
      });
    }
    return events;
  };
}
