import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { anthropicErrorResponseSchema } from '../anthropic-messages/anthropic-error';
import { openAIErrorResponseSchema } from '../openai-chat/openai-error-response';
import { failureResponseHeadersSchema } from './gateway-header-schemas';

/** Why the gateway answers each error status, whatever the endpoint. */
const errorStatuses = {
  400: 'The request is invalid: a field outside the schema, a bad value, a malformed header, or a guardrail block.',
  401: 'The gateway key is missing or unknown.',
  403: 'The key may not do this: its model groups, traffic classes or admin rights.',
  404: 'No such model group, inference or endpoint.',
  409: 'The Idempotency-Key was used before with a different body.',
  413: 'The request body, or the prompt, is larger than the gateway or every route takes.',
  429: "A rate limit, quota or budget: the key's, the tenant's or every route's.",
  500: 'The gateway hit an internal error.',
  502: 'Every route the inference tried failed at the provider.',
  503: 'The gateway cannot reach its Temporal server or state store, or every route is overloaded.',
  504: 'The inference is still running past the wait; GET /v1/inferences/{id} returns it when it ends.',
} as const;

export type ErrorStatus = keyof typeof errorStatuses;

/** The statuses an inference endpoint may answer with instead of an answer. */
export const inferenceErrorStatuses: ErrorStatus[] = [400, 401, 403, 404, 409, 413, 429, 500, 502, 503, 504];

/** Each status's response, once per error shape: a component every path that answers it refers to. */
function errorResponsesOf(shape: 'OpenAI' | 'Anthropic') {
  const schema = shape === 'OpenAI' ? openAIErrorResponseSchema : anthropicErrorResponseSchema;
  const byStatus = new Map<ErrorStatus, ZodOpenApiResponseObject>(
    (Object.keys(errorStatuses).map(Number) as ErrorStatus[]).map((status) => [
      status,
      {
        id: `${shape}Error${status}`,
        description: errorStatuses[status],
        headers: failureResponseHeadersSchema,
        content: { 'application/json': { schema } },
      },
    ]),
  );
  return (statuses: ErrorStatus[]): ZodOpenApiResponsesObject =>
    Object.fromEntries(statuses.map((status) => [String(status), byStatus.get(status)!]));
}

/** Error responses in OpenAI's shape, `{"error":{…}}`: every path but /v1/messages. */
export const openAIErrorResponses = errorResponsesOf('OpenAI');

/** Error responses in Anthropic's shape, `{"type":"error","error":{…}}`: /v1/messages and below. */
export const anthropicErrorResponses = errorResponsesOf('Anthropic');
