import type Anthropic from '@anthropic-ai/sdk';
import type { ChatUsage } from '../canonical-chat';
import type { ChatStreamEvent } from '../chat-stream-event';
import { mapAnthropicStopReason } from './anthropic-messages-response';

/**
 * Turns Anthropic's raw stream events into canonical events, one event at a time: text_delta
 * becomes text, a tool_use block a tool call whose input_json_delta pieces are its arguments.
 */
export function createAnthropicEventTranslator() {
  const toolIndexes = new Map<number, number>();
  let usage: ChatUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  const withOutput = (outputTokens: number): ChatUsage => ({ ...usage, completionTokens: outputTokens, totalTokens: usage.promptTokens + outputTokens });
  return (event: Anthropic.RawMessageStreamEvent): ChatStreamEvent[] => {
    switch (event.type) {
      case 'message_start': {
        const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens } = event.message.usage;
        const cached = cache_read_input_tokens ?? 0;
        const promptTokens = input_tokens + cached + (cache_creation_input_tokens ?? 0);
        usage = { promptTokens, completionTokens: 0, totalTokens: promptTokens, cachedPromptTokens: cached };
        return [{ type: 'start', id: event.message.id, model: event.message.model }, { type: 'usage', usage: withOutput(output_tokens ?? 0) }];
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') return block.text ? [{ type: 'text', text: block.text }] : [];
        if (block.type !== 'tool_use') return [];
        const index = toolIndexes.size;
        toolIndexes.set(event.index, index);
        return [{ type: 'tool_call_start', index, id: block.id, name: block.name }];
      }
      case 'content_block_delta': {
        if (event.delta.type === 'text_delta') return event.delta.text ? [{ type: 'text', text: event.delta.text }] : [];
        const index = toolIndexes.get(event.index);
        if (event.delta.type === 'input_json_delta' && index !== undefined && event.delta.partial_json) {
          return [{ type: 'tool_call_delta', index, arguments: event.delta.partial_json }];
        }
        return [];
      }
      case 'message_delta': {
        const events: ChatStreamEvent[] = [];
        if (event.delta.stop_reason) events.push({ type: 'finish', finishReason: mapAnthropicStopReason(event.delta.stop_reason) });
        if (event.usage) events.push({ type: 'usage', usage: withOutput(event.usage.output_tokens ?? 0) });
        return events;
      }
      default:
        return [];
    }
  };
}
