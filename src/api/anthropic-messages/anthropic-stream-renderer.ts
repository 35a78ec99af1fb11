import type { ChatUsage, FinishReason } from '../../providers/canonical-chat';
import type { ChatStreamEvent } from '../../providers/chat-stream-event';
import { anthropicErrorBody } from './anthropic-error';
import type { StreamRenderer } from '../inferences/stream-renderer';
import { anthropicMessageId, toAnthropicStopReason, toAnthropicUsage } from './to-anthropic-message';

export interface AnthropicStreamOptions {
  /** The model group the client named, echoed in `message_start`. */
  modelGroup: string;
  /** The message id when the provider gives none. */
  fallbackId: string;
}

const frame = (name: string, data: Record<string, unknown>) =>
  `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;

type BlockKind = 'text' | 'thinking' | 'tool_use';

/**
 * Renders canonical events as Anthropic Messages stream events: message_start and a ping, then
 * content blocks numbered from 0 (thinking blocks with their signature, a text block, a tool_use
 * block per tool call), each opened with content_block_start and closed with content_block_stop,
 * then message_delta and message_stop.
 */
export function createAnthropicStreamRenderer({ modelGroup, fallbackId }: AnthropicStreamOptions): StreamRenderer {
  let id = fallbackId;
  let opened = false;
  let blockCount = 0;
  let openBlock: { index: number; kind: BlockKind; signed?: boolean } | undefined;
  const toolBlocks = new Map<number, number>();
  let finishReason: FinishReason | undefined;
  let stopSequence: string | undefined;
  let usage: ChatUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

  const open = (): string[] => {
    if (opened) return [];
    opened = true;
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model: modelGroup,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...toAnthropicUsage(usage), output_tokens: 0 },
    };
    return [frame('message_start', { message }), frame('ping', {})];
  };
  const closeBlock = (): string[] => {
    if (!openBlock) return [];
    const { index } = openBlock;
    openBlock = undefined;
    return [frame('content_block_stop', { index })];
  };
  const startBlock = (kind: BlockKind, contentBlock: Record<string, unknown>): string[] => {
    const frames = closeBlock();
    openBlock = { index: blockCount++, kind };
    return [...frames, frame('content_block_start', { index: openBlock.index, content_block: contentBlock })];
  };
  /** The thinking block that takes more reasoning: the open one, unless its signature has come. */
  const thinkingBlock = (): string[] =>
    openBlock?.kind === 'thinking' && !openBlock.signed
      ? []
      : startBlock('thinking', { type: 'thinking', thinking: '', signature: '' });

  return {
    event(event: ChatStreamEvent): string[] {
      switch (event.type) {
        case 'start':
          if (!opened) id = anthropicMessageId(event.id || fallbackId);
          return [];
        case 'usage':
          usage = event.usage;
          return [];
        case 'dropped':
          return [];
        case 'finish':
          finishReason = event.finishReason;
          stopSequence = event.stopSequence;
          return open();
        case 'reasoning': {
          const frames = [...open(), ...thinkingBlock()];
          frames.push(
            frame('content_block_delta', {
              index: openBlock!.index,
              delta: { type: 'thinking_delta', thinking: event.text },
            }),
          );
          return frames;
        }
        case 'reasoning_signature': {
          const frames = [...open(), ...thinkingBlock()];
          frames.push(
            frame('content_block_delta', {
              index: openBlock!.index,
              delta: { type: 'signature_delta', signature: event.signature },
            }),
          );
          openBlock!.signed = true;
          return frames;
        }
        case 'provider_block':
          return [...open(), ...startBlock('tool_use', event.block), ...closeBlock()];
        case 'redacted_reasoning':
          return [
            ...open(),
            ...startBlock('thinking', { type: 'redacted_thinking', data: event.data }),
            ...closeBlock(),
          ];
        case 'text': {
          const frames = open();
          if (openBlock?.kind !== 'text') frames.push(...startBlock('text', { type: 'text', text: '' }));
          frames.push(
            frame('content_block_delta', { index: openBlock!.index, delta: { type: 'text_delta', text: event.text } }),
          );
          return frames;
        }
        case 'tool_call_start': {
          const frames = [
            ...open(),
            ...startBlock('tool_use', { type: 'tool_use', id: event.id, name: event.name, input: {} }),
          ];
          toolBlocks.set(event.index, openBlock!.index);
          return frames;
        }
        case 'tool_call_delta': {
          const index = toolBlocks.get(event.index);
          if (index === undefined) return [];
          return [
            ...open(),
            frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: event.arguments } }),
          ];
        }
      }
    },
    end(): string[] {
      const { input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens } =
        toAnthropicUsage(usage);
      const reason = finishReason ?? 'stop';
      return [
        ...open(),
        ...closeBlock(),
        frame('message_delta', {
          delta: { stop_reason: toAnthropicStopReason(reason, stopSequence), stop_sequence: stopSequence ?? null },
          usage: { input_tokens, output_tokens, cache_creation_input_tokens, cache_read_input_tokens },
        }),
        frame('message_stop', {}),
      ];
    },
    error(status: number, code: string, message: string): string[] {
      const body = anthropicErrorBody(status, { message, code });
      return [`event: error\ndata: ${JSON.stringify(body)}\n\n`];
    },
  };
}
