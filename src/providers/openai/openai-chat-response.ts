import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ChatResponse, FinishReason } from '../canonical-chat';
import { ProviderCallError } from '../provider-error';

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

export function mapOpenAIFinishReason(reason: string | null | undefined): FinishReason {
  return (reason && finishReasons[reason]) || 'stop';
}

/** OpenAI chat completion → canonical response. */
export function fromOpenAIResponse(completion: ChatCompletion): ChatResponse {
  const choice = completion.choices?.[0];
  if (!choice?.message) {
    throw new ProviderCallError({ type: 'ServerError', message: 'The provider returned no choices' });
  }
  const toolCalls = (choice.message.tool_calls ?? [])
    .filter((call) => call.type === 'function')
    .map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } }));
  return {
    id: completion.id,
    created: completion.created,
    model: completion.model,
    content: choice.message.content ?? null,
    ...(toolCalls.length > 0 && { toolCalls }),
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
    usage: {
      promptTokens: completion.usage?.prompt_tokens ?? 0,
      completionTokens: completion.usage?.completion_tokens ?? 0,
      totalTokens: completion.usage?.total_tokens ?? 0,
      cachedPromptTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? undefined,
    },
  };
}
