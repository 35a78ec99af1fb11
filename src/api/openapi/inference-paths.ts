import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  anthropicMessageObjectSchema,
  countTokensResultSchema,
} from '../anthropic-messages/anthropic-message-object-schema';
import { chatCompletionObjectSchema } from '../openai-chat/chat-completion-object-schema';
import { chatCompletionBodySchema } from '../openai-chat/chat-completion-schema';
import { embeddingsListSchema } from '../embeddings/embeddings-list-schema';
import { embeddingBodySchema } from '../embeddings/embeddings-schema';
import { inferenceListQuerySchema } from '../inferences/inference-list-route';
import {
  inferenceAcceptedSchema,
  inferenceListSchema,
  inferenceStatusSchema,
} from '../inferences/inference-resource-schema';
import { countTokensBodySchema, messagesBodySchema } from '../anthropic-messages/messages-schema';
import { responsesObjectSchema } from '../responses/responses-object-schema';
import { responsesBodySchema } from '../responses/responses-schema';
import { anthropicErrorResponses, inferenceErrorStatuses, openAIErrorResponses } from './error-responses';
import { gatewayResponseHeadersSchema, inferenceRequestHeadersSchema } from './gateway-header-schemas';

const eventStream = (events: string) => ({
  schema: { type: 'string' as const, description: `Server-sent events: ${events}.` },
});

/** An answer as JSON, or as server-sent events when the body has `"stream": true`. */
const answered = (what: string, schema: z.ZodType, events: string) => ({
  description: `${what}, or its stream with "stream": true.`,
  headers: gatewayResponseHeadersSchema,
  content: { 'application/json': { schema }, 'text/event-stream': eventStream(events) },
});

const chatCompletionRequestSchema = chatCompletionBodySchema.meta({ id: 'ChatCompletionRequest' });

const anthropicRequestHeaders = inferenceRequestHeadersSchema.extend({
  'anthropic-version': z
    .string()
    .optional()
    .meta({ description: 'Accepted; the gateway speaks the version its own SDK sets.' }),
  'anthropic-beta': z
    .string()
    .optional()
    .meta({ description: 'Beta flags, comma-separated, passed to Anthropic routes and Claude on Bedrock.' }),
});

/** The inference endpoints: each request is one durable `inference` workflow. */
export const inferencePaths: ZodOpenApiPathsObject = {
  '/v1/chat/completions': {
    post: {
      operationId: 'createChatCompletion',
      tags: ['inference'],
      summary: "A chat completion in OpenAI's shape, from any provider, with fallbacks.",
      requestParams: { header: inferenceRequestHeadersSchema },
      requestBody: { required: true, content: { 'application/json': { schema: chatCompletionRequestSchema } } },
      responses: {
        200: answered(
          'The chat completion',
          chatCompletionObjectSchema,
          '`chat.completion.chunk` objects, then `[DONE]`',
        ),
        ...openAIErrorResponses(inferenceErrorStatuses),
      },
    },
  },
  '/v1/messages': {
    post: {
      operationId: 'createMessage',
      tags: ['inference'],
      summary: "A message in Anthropic's shape, from any provider, with fallbacks.",
      requestParams: { header: anthropicRequestHeaders },
      requestBody: {
        required: true,
        content: { 'application/json': { schema: messagesBodySchema.meta({ id: 'MessagesRequest' }) } },
      },
      responses: {
        200: answered('The message', anthropicMessageObjectSchema, "Anthropic's message_start … message_stop events"),
        ...anthropicErrorResponses(inferenceErrorStatuses),
      },
    },
  },
  '/v1/messages/count_tokens': {
    post: {
      operationId: 'countMessageTokens',
      tags: ['inference'],
      summary: "The prompt's size in tokens, by the gateway's tokenizer; no provider call.",
      requestBody: {
        required: true,
        content: { 'application/json': { schema: countTokensBodySchema.meta({ id: 'CountTokensRequest' }) } },
      },
      responses: {
        200: { description: 'The count.', content: { 'application/json': { schema: countTokensResultSchema } } },
        ...anthropicErrorResponses([400, 401, 403, 404, 413]),
      },
    },
  },
  '/v1/responses': {
    post: {
      operationId: 'createResponse',
      tags: ['inference'],
      summary: "A response in the Responses API's shape, from any provider, with fallbacks.",
      requestParams: { header: inferenceRequestHeadersSchema },
      requestBody: {
        required: true,
        content: { 'application/json': { schema: responsesBodySchema.meta({ id: 'ResponsesRequest' }) } },
      },
      responses: {
        200: answered('The response', responsesObjectSchema, '`response.*` events'),
        ...openAIErrorResponses(inferenceErrorStatuses),
      },
    },
  },
  '/v1/embeddings': {
    post: {
      operationId: 'createEmbedding',
      tags: ['inference'],
      summary: 'Embeddings of one or more inputs, routed like chat.',
      requestParams: { header: inferenceRequestHeadersSchema },
      requestBody: {
        required: true,
        content: { 'application/json': { schema: embeddingBodySchema.meta({ id: 'EmbeddingRequest' }) } },
      },
      responses: {
        200: {
          description: 'The embeddings.',
          headers: gatewayResponseHeadersSchema,
          content: { 'application/json': { schema: embeddingsListSchema } },
        },
        ...openAIErrorResponses(inferenceErrorStatuses),
      },
    },
  },
  '/v1/inferences': {
    post: {
      operationId: 'startInference',
      tags: ['inference'],
      summary: 'Starts a chat inference without waiting for it: the /v1/chat/completions body, without stream.',
      requestParams: { header: inferenceRequestHeadersSchema },
      requestBody: { required: true, content: { 'application/json': { schema: chatCompletionRequestSchema } } },
      responses: {
        202: {
          description: 'Temporal accepted the inference.',
          headers: z.object({
            location: z.string().meta({ description: 'GET it for the status and result.' }),
            ...gatewayResponseHeadersSchema.pick({ 'x-gateway-inference-id': true }).shape,
          }),
          content: { 'application/json': { schema: inferenceAcceptedSchema } },
        },
        ...openAIErrorResponses([400, 401, 403, 404, 409, 413, 429, 500, 503]),
      },
    },
    get: {
      operationId: 'listInferences',
      tags: ['inference'],
      summary:
        "The calling tenant's inferences, newest first, from Temporal visibility, and its cache hits, from the state store.",
      requestParams: { query: inferenceListQuerySchema },
      responses: {
        200: { description: 'The inferences.', content: { 'application/json': { schema: inferenceListSchema } } },
        ...openAIErrorResponses([400, 401, 500, 503]),
      },
    },
  },
  '/v1/inferences/{id}': {
    get: {
      operationId: 'getInference',
      tags: ['inference'],
      summary:
        "One inference's status, decision record and result (or error), read back from Temporal, or a cache hit's entry; waits for nothing.",
      requestParams: {
        path: z.object({
          id: z.string().meta({
            description: "The inference id, `inf-…`, or a cache hit's, `cache-hit-…`, from x-gateway-inference-id.",
          }),
        }),
      },
      responses: {
        200: { description: 'The inference.', content: { 'application/json': { schema: inferenceStatusSchema } } },
        ...openAIErrorResponses([401, 404, 500, 503]),
      },
    },
  },
};
