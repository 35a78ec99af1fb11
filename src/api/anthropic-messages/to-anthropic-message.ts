import type { ChatResponse, FinishReason } from '../../providers/canonical-chat';
import type { InferenceResult } from '../../workflows/inference-types';

type StopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal' | 'stop_sequence';

const stopReasons: Record<FinishReason, StopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** The canonical finish reason as Anthropic's `stop_reason`; `stop_sequence` when a stop sequence ended it. */
export function toAnthropicStopReason(reason: FinishReason, stopSequence?: string): StopReason {
  return reason === 'stop' && stopSequence !== undefined ? 'stop_sequence' : stopReasons[reason];
}

/** A message id in Anthropic's form (`msg_…`), whatever the provider called its answer. */
export function anthropicMessageId(id: string): string {
  if (id.startsWith('msg_')) return id;
  return `msg_${id.replace(/^chatcmpl-/, '').replace(/[^A-Za-z0-9_-]/g, '')}`;
}

/** A tool call's JSON arguments as an Anthropic `input` object; text that does not parse is kept under `_raw`. */
export function toolInput(argumentsText: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsText || '{}');
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { _raw: argumentsText };
  } catch {
    return { _raw: argumentsText };
  }
}

/** Canonical usage in Anthropic's terms: `input_tokens` excludes the tokens read from or written to the prompt cache. */
export function toAnthropicUsage(usage: ChatResponse['usage']) {
  const cacheRead = usage.cachedPromptTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.promptTokens - cacheRead - cacheWrite),
    output_tokens: usage.completionTokens,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/** The answer's reasoning as Anthropic content blocks (an OpenAI-wire route's reasoning has no signature). */
function thinkingBlocks(response: ChatResponse) {
  const blocks =
    response.thinking ?? (response.reasoning ? [{ type: 'thinking' as const, thinking: response.reasoning }] : []);
  return blocks.map((block) =>
    block.type === 'thinking'
      ? { type: 'thinking' as const, thinking: block.thinking, signature: block.signature ?? '' }
      : block,
  );
}

/** Anthropic's own blocks as they came, without a `citations: null` a text block may carry. */
function wholeContent(blocks: unknown[]): unknown[] {
  return blocks.map((block) => {
    const { citations, ...rest } = block as { citations?: unknown };
    return citations === null ? rest : block;
  });
}

/** Maps the canonical result back to Anthropic's `message` object, with only the fields Anthropic sends. */
export function toAnthropicMessage(result: InferenceResult, modelGroup: string) {
  const { response } = result;
  const content = response.anthropicContent
    ? wholeContent(response.anthropicContent)
    : [
        ...thinkingBlocks(response),
        ...(response.content ? [{ type: 'text' as const, text: response.content }] : []),
        ...(response.toolCalls ?? []).map((call) => ({
          type: 'tool_use' as const,
          id: call.id,
          name: call.function.name,
          input: toolInput(call.function.arguments),
        })),
      ];
  return {
    id: anthropicMessageId(response.id),
    type: 'message' as const,
    role: 'assistant' as const,
    model: modelGroup,
    content,
    stop_reason: toAnthropicStopReason(response.finishReason, response.stopSequence),
    stop_sequence: response.stopSequence ?? null,
    usage: toAnthropicUsage(response.usage),
  };
}
