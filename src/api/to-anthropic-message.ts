import type { ChatResponse, FinishReason } from '../providers/canonical-chat';
import type { InferenceResult } from '../workflows/inference-types';

const stopReasons: Record<FinishReason, 'end_turn' | 'max_tokens' | 'tool_use' | 'refusal'> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

/** The canonical finish reason as Anthropic's `stop_reason`. */
export function toAnthropicStopReason(reason: FinishReason): string {
  return stopReasons[reason];
}

/** A tool call's JSON arguments as an Anthropic `input` object; text that does not parse is kept under `_raw`. */
export function toolInput(argumentsText: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsText || '{}');
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { _raw: argumentsText };
  } catch {
    return { _raw: argumentsText };
  }
}

/** Canonical usage in Anthropic's terms: `input_tokens` excludes the tokens read from the prompt cache. */
export function toAnthropicUsage(usage: ChatResponse['usage']) {
  const cached = usage.cachedPromptTokens ?? 0;
  return { input_tokens: usage.promptTokens - cached, output_tokens: usage.completionTokens, cache_creation_input_tokens: null, cache_read_input_tokens: cached };
}

/** Maps the canonical result back to Anthropic's `message` object. */
export function toAnthropicMessage(result: InferenceResult, modelGroup: string) {
  const { response } = result;
  const content = [
    ...(response.content ? [{ type: 'text' as const, text: response.content, citations: null }] : []),
    ...(response.toolCalls ?? []).map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.function.name, input: toolInput(call.function.arguments) })),
  ];
  return {
    id: response.id,
    type: 'message' as const,
    role: 'assistant' as const,
    model: modelGroup,
    content,
    stop_reason: toAnthropicStopReason(response.finishReason),
    stop_sequence: null,
    usage: toAnthropicUsage(response.usage),
  };
}
