import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ChatStreamEvent } from '../chat-stream-event';
import { fromOpenAIUsage, mapOpenAIFinishReason, reasoningText } from './openai-chat-response';

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
      events.push({
        type: 'start',
        id: chunk.id,
        model: chunk.model,
        ...(chunk.system_fingerprint && { systemFingerprint: chunk.system_fingerprint }),
        ...(chunk.service_tier && { serviceTier: chunk.service_tier }),
      });
    }
    const choice = chunk.choices?.[0];
    const delta = choice?.delta;
    const reasoning = reasoningText(delta);
    if (reasoning) events.push({ type: 'reasoning', text: reasoning });
    if (delta?.content) events.push({ type: 'text', text: delta.content });
    for (const call of delta?.tool_calls ?? []) {
      let index = toolIndexes.get(call.index);
      if (index === undefined && (call.id || call.function?.name)) {
        index = toolIndexes.size;
        toolIndexes.set(call.index, index);
        events.push({
          type: 'tool_call_start',
          index,
          id: call.id ?? `call_${index}`,
          name: call.function?.name ?? '',
        });
      }
      if (index !== undefined && call.function?.arguments)
        events.push({ type: 'tool_call_delta', index, arguments: call.function.arguments });
    }
    if (choice?.finish_reason)
      events.push({ type: 'finish', finishReason: mapOpenAIFinishReason(choice.finish_reason) });
    if (chunk.usage) events.push({ type: 'usage', usage: fromOpenAIUsage(chunk.usage) });
    return events;
  };
}
