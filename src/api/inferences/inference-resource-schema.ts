import { z } from 'zod';
import { chatCompletionObjectSchema } from '../openai-chat/chat-completion-object-schema';
import { embeddingsListSchema } from '../embeddings/embeddings-list-schema';

const inferenceId = z.string().meta({
  description: "The workflow id, `inf-…`, or a cache hit's own id, `cache-hit-…`.",
  example: 'inf-3f1c2a9e-6b7d-4c1e-9a0f-2d5e8b7c4a11',
});
const workflowStatus = z.string().meta({
  description:
    "The workflow's status in Temporal: running, completed, failed, canceled, terminated, timed_out…; a cache hit is completed.",
});
const cacheResult = z.enum(['hit', 'semantic-hit']).meta({
  description: 'Answered from the response cache (`hit`) or the semantic cache (`semantic-hit`): no workflow ran.',
});
const cacheSimilarity = z
  .number()
  .meta({ description: "A semantic hit's cosine similarity of the prompt and the stored one." });
const sourceInferenceId = z
  .string()
  .meta({ description: 'A cache hit: the inference that produced the answer served.' });
const modelGroup = z.string().meta({ description: 'The model group the client asked for.' });

/** The 202 body of `POST /v1/inferences`. */
export const inferenceAcceptedSchema = z
  .object({
    id: inferenceId,
    object: z.literal('inference'),
    status: z.literal('accepted'),
    model: z.string(),
    traffic_class: z.string(),
    url: z.string().meta({ description: 'Where to read the status and result.' }),
  })
  .meta({ id: 'InferenceAccepted' });

const routeSchema = z.object({
  provider: z.string(),
  providerKind: z.string(),
  model: z.string(),
  account: z.string(),
  region: z.string(),
});
const decisionSchema = z
  .looseObject({
    trafficClass: z.string(),
    policyVersion: z.string(),
    selections: z.array(z.unknown()),
    attempts: z.array(z.unknown()),
  })
  .meta({
    description: 'The decision record: every selection step, attempt and wait, with reasons (never the prompt).',
  });

/** The body of `GET /v1/inferences/{id}`: the status, then the result or the error. */
export const inferenceStatusSchema = z
  .object({
    id: inferenceId,
    object: z.literal('inference'),
    status: workflowStatus,
    started_at: z.iso.datetime(),
    closed_at: z.iso.datetime().nullable(),
    decision: decisionSchema
      .optional()
      .meta({ description: 'While running: the decision so far, when a worker answers in time.' }),
    route: routeSchema.optional(),
    attempts: z.number().int().optional(),
    fallback: z.boolean().optional(),
    result: z.union([chatCompletionObjectSchema, embeddingsListSchema]).optional(),
    error: z.object({ message: z.string(), code: z.string(), attempts: z.array(z.unknown()).optional() }).optional(),
    // A cache hit's entry only: no result (the source inference has the answer), what it saved.
    outcome: z.enum(['cache_hit', 'semantic_cache_hit']).optional(),
    model_group: modelGroup.optional(),
    traffic_class: z.string().optional(),
    feature: z.string().nullable().optional(),
    cache: cacheResult.optional(),
    similarity: cacheSimilarity.nullable().optional(),
    source_inference_id: sourceInferenceId.optional(),
    saved_tokens: z
      .object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int() })
      .optional()
      .meta({ description: "The tokens the hit's provider call would have used." }),
    saved_cost: z.number().optional().meta({ description: "What that call would have cost, at the route's prices." }),
    guardrails: z
      .array(z.looseObject({ policy: z.string(), check: z.string(), action: z.string(), stage: z.string() }))
      .optional()
      .meta({
        description:
          "A cache hit's guardrail verdicts, of its input checks and of the output checks the cached answer met (never the matched text); `error` is set when one refused it.",
      }),
  })
  .meta({ id: 'Inference' });

/**
 * The body of `GET /v1/inferences`: the calling tenant's inferences, newest first, cache hits among
 * them (`outcome` `cache_hit` or `semantic_cache_hit`, with the route that produced their answer).
 */
export const inferenceListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: inferenceId,
        status: workflowStatus,
        started_at: z.iso.datetime(),
        closed_at: z.iso.datetime().nullable(),
        traffic_class: z.string().nullable(),
        outcome: z.string().nullable(),
        provider: z.string().nullable(),
        model: z.string().nullable(),
        region: z.string().nullable(),
        fallbacks: z.number().int().nullable(),
        model_group: modelGroup.nullable(),
        cache: cacheResult.nullable().meta({ description: 'null for an inference that ran as a workflow.' }),
        similarity: cacheSimilarity.nullable(),
        source_inference_id: sourceInferenceId.nullable(),
      }),
    ),
  })
  .meta({ id: 'InferenceList' });
