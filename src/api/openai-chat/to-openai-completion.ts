import type { ChatChoice } from '../../providers/canonical-chat';
import type { InferenceResult } from '../../workflows/inference-types';
import { toOpenAIUsage } from './openai-stream-renderer';
import { chatCompletionId } from './chat-completion-id';

function toOpenAIChoice(choice: ChatChoice, index: number) {
  return {
    index,
    message: {
      role: 'assistant' as const,
      content: choice.content,
      refusal: null,
      ...(choice.toolCalls && { tool_calls: choice.toolCalls }),
      // The field openai-compatible servers (DeepSeek, vLLM) and other gateways use for reasoning text.
      ...(choice.reasoning && { reasoning_content: choice.reasoning }),
    },
    logprobs: choice.logprobs ?? null,
    finish_reason: choice.finishReason,
  };
}

/** Maps the canonical result back to OpenAI's chat.completion object. */
export function toOpenAICompletion(result: InferenceResult, modelGroup: string) {
  const { response } = result;
  return {
    id: chatCompletionId(response.id),
    object: 'chat.completion' as const,
    created: response.created,
    model: modelGroup,
    choices: [response, ...(response.moreChoices ?? [])].map(toOpenAIChoice),
    usage: toOpenAIUsage(response.usage),
    ...(response.serviceTier && { service_tier: response.serviceTier }),
    ...(response.systemFingerprint && { system_fingerprint: response.systemFingerprint }),
  };
}
