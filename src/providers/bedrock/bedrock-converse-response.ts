import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ChatResponse, ChatUsage, FinishReason, ThinkingBlock } from '../canonical-chat';
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

/** Converse usage in canonical terms: Converse counts cached prompt tokens apart from inputTokens; the canonical prompt count has them all. */
export function fromConverseUsage(usage: ConverseCommandOutput['usage']): ChatUsage {
  const promptTokens =
    (usage?.inputTokens ?? 0) + (usage?.cacheReadInputTokens ?? 0) + (usage?.cacheWriteInputTokens ?? 0);
  const completionTokens = usage?.outputTokens ?? 0;
  return {
    promptTokens,
    completionTokens,
    totalTokens: usage?.totalTokens ?? promptTokens + completionTokens,
    cachedPromptTokens: usage?.cacheReadInputTokens ?? undefined,
    ...(usage?.cacheWriteInputTokens && { cacheWriteTokens: usage.cacheWriteInputTokens }),
  };
}

/** Bedrock Converse output → canonical response; reasoning blocks keep their signatures. */
export function fromConverseOutput(output: ConverseCommandOutput, modelId: string, now = Date.now()): ChatResponse {
  const content = output.output?.message?.content;
  if (!Array.isArray(content)) {
    throw new ProviderCallError({
      type: 'ServerError',
      status: output.$metadata?.httpStatusCode,
      message: 'The provider returned no message',
    });
  }
  const text = content.flatMap((block) => (block.text !== undefined ? [block.text] : [])).join('');
  const toolCalls = content.flatMap((block) =>
    block.toolUse
      ? [
          {
            id: block.toolUse.toolUseId ?? '',
            type: 'function' as const,
            function: { name: block.toolUse.name ?? '', arguments: JSON.stringify(block.toolUse.input ?? {}) },
          },
        ]
      : [],
  );
  const thinking = content.flatMap((block): ThinkingBlock[] => {
    const reasoning = block.reasoningContent;
    if (reasoning?.reasoningText)
      return [
        {
          type: 'thinking',
          thinking: reasoning.reasoningText.text ?? '',
          ...(reasoning.reasoningText.signature && { signature: reasoning.reasoningText.signature }),
        },
      ];
    if (reasoning?.redactedContent)
      return [{ type: 'redacted_thinking', data: Buffer.from(reasoning.redactedContent).toString('base64') }];
    return [];
  });
  const reasoning = thinking.map((block) => (block.type === 'thinking' ? block.thinking : '')).join('');
  return {
    id: output.$metadata?.requestId ?? `bedrock-${now}`,
    created: Math.floor(now / 1000),
    model: modelId,
    content: text || (toolCalls.length > 0 ? null : ''),
    ...(toolCalls.length > 0 && { toolCalls }),
    finishReason: mapBedrockStopReason(output.stopReason),
    usage: fromConverseUsage(output.usage),
    ...(thinking.length > 0 && { thinking, ...(reasoning && { reasoning }) }),
  };
}
