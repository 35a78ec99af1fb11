import type { Response } from 'express';
import type { InferenceResult } from '../workflows/inference-types';

/** Maps the canonical result back to OpenAI's chat.completion object. */
export function toOpenAICompletion(result: InferenceResult, modelGroup: string) {
  const { response } = result;
  return {
    id: response.id,
    object: 'chat.completion' as const,
    created: response.created,
    model: modelGroup,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: response.content,
          refusal: null,
          ...(response.toolCalls && { tool_calls: response.toolCalls }),
        },
        logprobs: null,
        finish_reason: response.finishReason,
      },
    ],
    usage: {
      prompt_tokens: response.usage.promptTokens,
      completion_tokens: response.usage.completionTokens,
      total_tokens: response.usage.totalTokens,
      ...(response.usage.cachedPromptTokens !== undefined && {
        prompt_tokens_details: { cached_tokens: response.usage.cachedPromptTokens },
      }),
    },
  };
}

/** The `x-gateway-*` headers that tell a client how its answer was reached. */
export function setGatewayHeaders(response: Response, inferenceId: string, result: InferenceResult): void {
  response.setHeader('x-gateway-inference-id', inferenceId);
  response.setHeader('x-gateway-provider', result.route.provider);
  response.setHeader('x-gateway-model', result.route.model);
  response.setHeader('x-gateway-account', result.route.account);
  response.setHeader('x-gateway-region', result.route.region);
  response.setHeader('x-gateway-attempts', String(result.attempts));
  response.setHeader('x-gateway-fallback', String(result.fallback));
}
