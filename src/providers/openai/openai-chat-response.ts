import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ChatChoice, ChatResponse, ChatUsage, FinishReason } from '../canonical-chat';
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

/** Usage as OpenAI-wire servers report it; every detail is optional. */
export function fromOpenAIUsage(usage: ChatCompletion['usage'] | null | undefined): ChatUsage {
  return {
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
    totalTokens: usage?.total_tokens ?? 0,
    cachedPromptTokens: usage?.prompt_tokens_details?.cached_tokens ?? undefined,
    ...(usage?.completion_tokens_details?.reasoning_tokens && {
      reasoningTokens: usage.completion_tokens_details.reasoning_tokens,
    }),
  };
}

/** Reasoning text as openai-compatible servers send it (`reasoning_content`, or vLLM's newer `reasoning`). */
export function reasoningText(message: object | null | undefined): string | undefined {
  const { reasoning_content: content, reasoning } = (message ?? {}) as {
    reasoning_content?: unknown;
    reasoning?: unknown;
  };
  const text = typeof content === 'string' ? content : typeof reasoning === 'string' ? reasoning : undefined;
  return text || undefined;
}

function fromChoice(choice: ChatCompletion['choices'][number]): ChatChoice {
  const toolCalls = (choice.message.tool_calls ?? [])
    .filter((call) => call.type === 'function')
    .map((call) => ({
      id: call.id,
      type: 'function' as const,
      function: { name: call.function.name, arguments: call.function.arguments },
    }));
  const reasoning = reasoningText(choice.message);
  return {
    content: choice.message.content ?? null,
    ...(toolCalls.length > 0 && { toolCalls }),
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
    ...(choice.logprobs && { logprobs: choice.logprobs }),
    ...(reasoning && { reasoning }),
  };
}

/** OpenAI chat completion → canonical response; with `n` > 1 the other choices come along. */
export function fromOpenAIResponse(completion: ChatCompletion): ChatResponse {
  const [first, ...others] = (completion.choices ?? []).filter((choice) => choice?.message);
  if (!first) {
    throw new ProviderCallError({ type: 'ServerError', message: 'The provider returned no choices' });
  }
  const moreChoices = others.map(fromChoice);
  return {
    id: completion.id,
    created: completion.created,
    model: completion.model,
    ...fromChoice(first),
    usage: fromOpenAIUsage(completion.usage),
    ...(moreChoices.length > 0 && { moreChoices }),
    ...(completion.system_fingerprint && { systemFingerprint: completion.system_fingerprint }),
    ...(completion.service_tier && { serviceTier: completion.service_tier }),
  };
}
