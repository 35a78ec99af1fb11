import type { Response } from 'express';
import type { ChatChoice } from '../providers/canonical-chat';
import type { EmbeddingResponse } from '../providers/canonical-embedding';
import type { InferenceResult } from '../workflows/inference-types';
import { toOpenAIUsage } from './openai-stream-renderer';
import { chatCompletionId } from './chat-completion-id';
import { gatewayHeaders } from './gateway-headers';

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

/** Lists the request fields the route left out, so a drop never goes unsaid. */
export function droppedParametersHeader(dropped: string[] | undefined): Record<string, string> {
  return dropped?.length ? { [gatewayHeaders.droppedParams]: dropped.join(', ') } : {};
}

/** The `x-gateway-*` headers that tell a client how its answer was reached. */
export function setGatewayHeaders(response: Response, inferenceId: string, result: Pick<InferenceResult, 'route' | 'attempts' | 'fallback'> & { response: InferenceResult['response'] | EmbeddingResponse }): void {
  response.setHeader(gatewayHeaders.inferenceId, inferenceId);
  response.setHeader(gatewayHeaders.provider, result.route.provider);
  response.setHeader(gatewayHeaders.model, result.route.model);
  response.setHeader(gatewayHeaders.account, result.route.account);
  response.setHeader(gatewayHeaders.region, result.route.region);
  response.setHeader(gatewayHeaders.attempts, String(result.attempts));
  response.setHeader(gatewayHeaders.fallback, String(result.fallback));
  for (const [name, value] of Object.entries(droppedParametersHeader('droppedParameters' in result.response ? result.response.droppedParameters : undefined))) response.setHeader(name, value);
}
