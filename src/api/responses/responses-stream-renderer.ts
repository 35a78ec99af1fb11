import type { ChatUsage, FinishReason, ThinkingBlock, ToolCall } from '../../providers/canonical-chat';
import type { ChatStreamEvent } from '../../providers/chat-stream-event';
import {
  functionCallItem,
  messageItem,
  outputTextPart,
  reasoningItem,
  responseEnvelope,
  responseStatus,
  summaryPart,
  toResponsesUsage,
  type ResponsesEcho,
} from './responses-object';
import { functionCallItemId, messageItemId, reasoningItemId } from './responses-item-ids';
import type { StreamRenderer } from '../inferences/stream-renderer';

export interface ResponsesStreamOptions {
  inferenceId: string;
  /** The request's settings, repeated in every response snapshot. */
  echo: ResponsesEcho;
  /** The reasoning item carries `encrypted_content` (the request's `include` asked for it). */
  encryptedReasoning?: boolean;
  /** Unix seconds. */
  createdAt?: number;
}

type OpenItem =
  | { kind: 'message'; outputIndex: number; text: string }
  | { kind: 'function_call'; outputIndex: number; toolIndex: number; call: ToolCall }
  /** `part`: the summary part of the last block is open (its reasoning is still arriving). */
  | { kind: 'reasoning'; outputIndex: number; blocks: ThinkingBlock[]; part: boolean };

/**
 * Renders canonical events as the Responses API's stream: `response.created` and
 * `response.in_progress`, then for each output item `response.output_item.added`, its content
 * (`response.reasoning_summary_part.added` and `response.reasoning_summary_text.delta`… per
 * reasoning block, `response.content_part.added` and `response.output_text.delta`…, or
 * `response.function_call_arguments.delta`…), its `.done` events and `response.output_item.done`,
 * and last `response.completed` (`response.incomplete` when cut short). A failure after the first
 * event ends it with `response.failed`. Every event carries its `sequence_number`, from 0.
 */
export function createResponsesStreamRenderer({
  inferenceId,
  echo,
  encryptedReasoning = false,
  createdAt = Math.floor(Date.now() / 1000),
}: ResponsesStreamOptions): StreamRenderer {
  let sequence = 0;
  let opened = false;
  let open: OpenItem | undefined;
  const done: unknown[] = [];
  let finishReason: FinishReason | undefined;
  let usage: ChatUsage | undefined;
  let serviceTier: string | undefined;

  const frame = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: sequence++ })}\n\n`;
  const snapshot = (extra: Record<string, unknown>) => ({
    ...responseEnvelope(inferenceId, createdAt, echo),
    status: 'in_progress',
    incomplete_details: null,
    output: [],
    usage: null,
    ...(serviceTier && { service_tier: serviceTier }),
    ...extra,
  });

  const begin = (): string[] => {
    if (opened) return [];
    opened = true;
    const response = snapshot({});
    return [frame('response.created', { response }), frame('response.in_progress', { response })];
  };
  const closeItem = (): string[] => {
    if (!open) return [];
    const item = open;
    const output_index = item.outputIndex;
    if (item.kind === 'reasoning') {
      const frames = closeSummaryPart();
      open = undefined;
      const whole = reasoningItem(inferenceId, item.blocks, encryptedReasoning);
      done.push(whole);
      return [...frames, frame('response.output_item.done', { output_index, item: whole })];
    }
    open = undefined;
    if (item.kind === 'message') {
      const item_id = messageItemId(inferenceId);
      const part = outputTextPart(item.text);
      const whole = messageItem(inferenceId, 'completed', [part]);
      done.push(whole);
      return [
        frame('response.output_text.done', { item_id, output_index, content_index: 0, text: item.text, logprobs: [] }),
        frame('response.content_part.done', { item_id, output_index, content_index: 0, part }),
        frame('response.output_item.done', { output_index, item: whole }),
      ];
    }
    const whole = functionCallItem(inferenceId, item.toolIndex, item.call, 'completed');
    done.push(whole);
    return [
      frame('response.function_call_arguments.done', {
        item_id: whole.id,
        output_index,
        name: item.call.function.name,
        arguments: item.call.function.arguments,
      }),
      frame('response.output_item.done', { output_index, item: whole }),
    ];
  };
  const summaryIndex = (blocks: ThinkingBlock[]) => blocks.filter((block) => block.type === 'thinking').length - 1;
  const closeSummaryPart = (): string[] => {
    if (open?.kind !== 'reasoning' || !open.part) return [];
    open.part = false;
    const block = open.blocks.at(-1) as Extract<ThinkingBlock, { type: 'thinking' }>;
    const at = {
      item_id: reasoningItemId(inferenceId),
      output_index: open.outputIndex,
      summary_index: summaryIndex(open.blocks),
    };
    return [
      frame('response.reasoning_summary_text.done', { ...at, text: block.thinking }),
      frame('response.reasoning_summary_part.done', { ...at, part: summaryPart(block.thinking) }),
    ];
  };
  const openReasoning = (): string[] => {
    if (open?.kind === 'reasoning') return [];
    const frames = closeItem();
    open = { kind: 'reasoning', outputIndex: done.length, blocks: [], part: false };
    frames.push(
      frame('response.output_item.added', {
        output_index: open.outputIndex,
        item: reasoningItem(inferenceId, [], false),
      }),
    );
    return frames;
  };
  /** The open summary part that takes more reasoning text; a new one (and block) after a signature. */
  const openSummaryPart = (): string[] => {
    const frames = openReasoning();
    const item = open as Extract<OpenItem, { kind: 'reasoning' }>;
    if (item.part) return frames;
    item.blocks.push({ type: 'thinking', thinking: '' });
    item.part = true;
    frames.push(
      frame('response.reasoning_summary_part.added', {
        item_id: reasoningItemId(inferenceId),
        output_index: item.outputIndex,
        summary_index: summaryIndex(item.blocks),
        part: summaryPart(''),
      }),
    );
    return frames;
  };
  const openMessage = (): string[] => {
    if (open?.kind === 'message') return [];
    const frames = closeItem();
    open = { kind: 'message', outputIndex: done.length, text: '' };
    const item_id = messageItemId(inferenceId);
    frames.push(
      frame('response.output_item.added', {
        output_index: open.outputIndex,
        item: messageItem(inferenceId, 'in_progress', []),
      }),
      frame('response.content_part.added', {
        item_id,
        output_index: open.outputIndex,
        content_index: 0,
        part: outputTextPart(''),
      }),
    );
    return frames;
  };

  return {
    event(event: ChatStreamEvent): string[] {
      switch (event.type) {
        case 'start':
          if (!opened && event.serviceTier) serviceTier = event.serviceTier;
          return [];
        case 'usage':
          usage = event.usage;
          return [];
        case 'finish':
          finishReason = event.finishReason;
          return begin();
        case 'text': {
          const frames = [...begin(), ...openMessage()];
          (open as Extract<OpenItem, { kind: 'message' }>).text += event.text;
          frames.push(
            frame('response.output_text.delta', {
              item_id: messageItemId(inferenceId),
              output_index: open!.outputIndex,
              content_index: 0,
              delta: event.text,
              logprobs: [],
            }),
          );
          return frames;
        }
        case 'tool_call_start': {
          const frames = [...begin(), ...closeItem()];
          const call: ToolCall = { id: event.id, type: 'function', function: { name: event.name, arguments: '' } };
          open = { kind: 'function_call', outputIndex: done.length, toolIndex: event.index, call };
          frames.push(
            frame('response.output_item.added', {
              output_index: open.outputIndex,
              item: functionCallItem(inferenceId, event.index, call, 'in_progress'),
            }),
          );
          return frames;
        }
        case 'tool_call_delta': {
          if (open?.kind !== 'function_call' || open.toolIndex !== event.index) return [];
          open.call.function.arguments += event.arguments;
          return [
            frame('response.function_call_arguments.delta', {
              item_id: functionCallItemId(inferenceId, event.index),
              output_index: open.outputIndex,
              delta: event.arguments,
            }),
          ];
        }
        case 'reasoning': {
          const frames = [...begin(), ...openSummaryPart()];
          const item = open as Extract<OpenItem, { kind: 'reasoning' }>;
          (item.blocks.at(-1) as Extract<ThinkingBlock, { type: 'thinking' }>).thinking += event.text;
          frames.push(
            frame('response.reasoning_summary_text.delta', {
              item_id: reasoningItemId(inferenceId),
              output_index: item.outputIndex,
              summary_index: summaryIndex(item.blocks),
              delta: event.text,
            }),
          );
          return frames;
        }
        case 'reasoning_signature': {
          const frames = [...begin(), ...openSummaryPart()];
          const item = open as Extract<OpenItem, { kind: 'reasoning' }>;
          (item.blocks.at(-1) as Extract<ThinkingBlock, { type: 'thinking' }>).signature = event.signature;
          return [...frames, ...closeSummaryPart()];
        }
        case 'redacted_reasoning': {
          const frames = [...begin(), ...openReasoning(), ...closeSummaryPart()];
          (open as Extract<OpenItem, { kind: 'reasoning' }>).blocks.push({
            type: 'redacted_thinking',
            data: event.data,
          });
          return frames;
        }
        // An Anthropic server tool's block has no place in a Responses answer; the other events carry no output.
        case 'provider_block':
        case 'dropped':
          return [];
      }
    },
    end(): string[] {
      const frames = [...begin(), ...closeItem()];
      const { status, incomplete_details } = responseStatus(finishReason);
      const response = snapshot({
        status,
        incomplete_details,
        completed_at: Math.floor(Date.now() / 1000),
        output: done,
        usage: toResponsesUsage(usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 }),
      });
      frames.push(frame(status === 'completed' ? 'response.completed' : 'response.incomplete', { response }));
      return frames;
    },
    error(_status: number, code: string, message: string): string[] {
      const frames = begin();
      const response = snapshot({
        status: 'failed',
        error: { code, message },
        output: done,
        ...(usage && { usage: toResponsesUsage(usage) }),
      });
      frames.push(frame('response.failed', { response }));
      return frames;
    },
  };
}
