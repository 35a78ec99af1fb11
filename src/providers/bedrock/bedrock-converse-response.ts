import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ChatResponse, FinishReason } from '../canonical-chat';
import { ProviderCallError } from '../provider-error';

const stopReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};

export function mapBedrockStopReason(reason: string | undefined): FinishReason {
  return (reason && stopReasons[reason]) || 'stop';
}

/** Bedrock Converse output → canonical response. */
export function fromConverseOutput(output: ConverseCommandOutput, modelId: string, now = Date.now()): ChatResponse {
  const content = output.output?.message?.content;
  if (!Array.isArray(content)) {
    throw new ProviderCallError({ type: 'ServerError', status: output.$metadata?.httpStatusCode, message: 'The provider returned no message' });
  }
  const text = content.flatMap((block) => (block.text !== undefined ? [block.text] : [])).join('');
  const toolCalls = content.flatMap((block) =>
    block.toolUse
      ? [{ id: block.toolUse.toolUseId ?? '', type: 'function' as const, function: { name: block.toolUse.name ?? '', arguments: JSON.stringify(block.toolUse.input ?? {}) } }]
      : [],
  );
  // Converse counts cached prompt tokens apart from inputTokens; the canonical prompt count has them all.
  const promptTokens = (output.usage?.inputTokens ?? 0) + (output.usage?.cacheReadInputTokens ?? 0) + (output.usage?.cacheWriteInputTokens ?? 0);
  const completionTokens = output.usage?.outputTokens ?? 0;
  return {
    id: output.$metadata?.requestId ?? `bedrock-${now}`,
    created: Math.floor(now / 1000),
    model: modelId,
    content: text || (toolCalls.length > 0 ? null : ''),
    ...(toolCalls.length > 0 && { toolCalls }),
    finishReason: mapBedrockStopReason(output.stopReason),
    usage: {
      promptTokens,
      completionTokens,
      totalTokens: output.usage?.totalTokens ?? promptTokens + completionTokens,
      cachedPromptTokens: output.usage?.cacheReadInputTokens ?? undefined,
    },
  };
}
