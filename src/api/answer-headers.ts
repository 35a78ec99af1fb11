import type { Response } from 'express';
import type { EmbeddingResponse } from '../providers/canonical-embedding';
import type { InferenceResult } from '../workflows/inference-types';
import { gatewayHeaders } from './gateway-headers';

// The headers every surface (OpenAI chat, Anthropic messages, Responses, embeddings) sets on an answer.

/** Lists the request fields the route left out, so a drop never goes unsaid. */
export function droppedParametersHeader(dropped: string[] | undefined): Record<string, string> {
  return dropped?.length ? { [gatewayHeaders.droppedParams]: dropped.join(', ') } : {};
}

/** The `x-gateway-*` headers that tell a client how its answer was reached. */
export function setGatewayHeaders(
  response: Response,
  inferenceId: string,
  result: Pick<InferenceResult, 'route' | 'attempts' | 'fallback'> & {
    response: InferenceResult['response'] | EmbeddingResponse;
  },
): void {
  response.setHeader(gatewayHeaders.inferenceId, inferenceId);
  response.setHeader(gatewayHeaders.provider, result.route.provider);
  response.setHeader(gatewayHeaders.model, result.route.model);
  response.setHeader(gatewayHeaders.account, result.route.account);
  response.setHeader(gatewayHeaders.region, result.route.region);
  response.setHeader(gatewayHeaders.attempts, String(result.attempts));
  response.setHeader(gatewayHeaders.fallback, String(result.fallback));
  for (const [name, value] of Object.entries(
    droppedParametersHeader('droppedParameters' in result.response ? result.response.droppedParameters : undefined),
  ))
    response.setHeader(name, value);
}
