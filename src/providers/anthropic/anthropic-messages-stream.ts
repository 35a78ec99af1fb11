import type Anthropic from '@anthropic-ai/sdk';
import type { ChatUsage } from '../canonical-chat';
import type { ChatStreamEvent } from '../chat-stream-event';
import { canonicalBlockTypes, fromAnthropicUsage, mapAnthropicStopReason } from './anthropic-messages-response';

/** A streamed block's input JSON; kept as text under `_raw` when it does not parse. */
function parseInput(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return { _raw: json };
  }
}

/**
 * Turns Anthropic's raw stream events into canonical events, one event at a time: text_delta
 * becomes text, a tool_use block a tool call whose input_json_delta pieces are its arguments, a
 * thinking block reasoning closed by its signature.
 */
export function createAnthropicEventTranslator() {
  const toolIndexes = new Map<number, number>();
  /** Blocks of other types (a server tool's use or result), gathered until they stop, by block index. */
  const otherBlocks = new Map<number, { block: Record<string, unknown>; json: string }>();
  let usage: ChatUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  const withOutput = (outputTokens: number): ChatUsage => ({
    ...usage,
    completionTokens: outputTokens,
    totalTokens: usage.promptTokens + outputTokens,
  });
  return (event: Anthropic.RawMessageStreamEvent): ChatStreamEvent[] => {
    switch (event.type) {
      case 'message_start': {
        usage = { ...fromAnthropicUsage(event.message.usage), completionTokens: 0 };
        usage.totalTokens = usage.promptTokens;
        return [
          { type: 'start', id: event.message.id, model: event.message.model },
          { type: 'usage', usage: withOutput(event.message.usage.output_tokens ?? 0) },
        ];
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') return block.text ? [{ type: 'text', text: block.text }] : [];
        if (block.type === 'thinking') return block.thinking ? [{ type: 'reasoning', text: block.thinking }] : [];
        if (block.type === 'redacted_thinking') return [{ type: 'redacted_reasoning', data: block.data }];
        if (!canonicalBlockTypes.has(block.type)) {
          otherBlocks.set(event.index, { block: { ...block }, json: '' });
          return [];
        }
        if (block.type !== 'tool_use') return [];
        const index = toolIndexes.size;
        toolIndexes.set(event.index, index);
        return [{ type: 'tool_call_start', index, id: block.id, name: block.name }];
      }
      case 'content_block_delta': {
        const { delta } = event;
        if (delta.type === 'text_delta') return delta.text ? [{ type: 'text', text: delta.text }] : [];
        if (delta.type === 'thinking_delta') return delta.thinking ? [{ type: 'reasoning', text: delta.thinking }] : [];
        if (delta.type === 'signature_delta')
          return delta.signature ? [{ type: 'reasoning_signature', signature: delta.signature }] : [];
        const other = otherBlocks.get(event.index);
        if (other && delta.type === 'input_json_delta') other.json += delta.partial_json;
        const index = toolIndexes.get(event.index);
        if (delta.type === 'input_json_delta' && index !== undefined && delta.partial_json) {
          return [{ type: 'tool_call_delta', index, arguments: delta.partial_json }];
        }
        return [];
      }
      case 'content_block_stop': {
        const other = otherBlocks.get(event.index);
        if (!other) return [];
        otherBlocks.delete(event.index);
        const block = other.json ? { ...other.block, input: parseInput(other.json) } : other.block;
        return [{ type: 'provider_block', block }];
      }
      case 'message_delta': {
        const events: ChatStreamEvent[] = [];
        const { stop_reason: reason, stop_sequence: sequence } = event.delta;
        if (reason)
          events.push({
            type: 'finish',
            finishReason: mapAnthropicStopReason(reason),
            ...(reason === 'stop_sequence' && typeof sequence === 'string' && { stopSequence: sequence }),
          });
        if (event.usage) events.push({ type: 'usage', usage: withOutput(event.usage.output_tokens ?? 0) });
        return events;
      }
      default:
        return [];
    }
  };
}
