import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { inferenceWorkflowIdPrefix, type EmbeddingInferenceInput } from '../../workflows/inference-types';
import type { ApiDependencies } from '../api-dependencies';
import { sendRefusal } from '../api-shape';
import { embeddingBodyToRequest, embeddingCapabilityRefusal, embeddingNeeds } from './embedding-needs';
import { embeddingBodySchema } from './embeddings-schema';
import { sendUnsuccessfulOutcome } from '../gateway-error-response';
import { gatewayHeaders } from '../gateway-headers';
import { readIdempotency } from '../inferences/idempotency';
import { admitEmbedding, settleAdmission } from '../admission/inference-admission';
import { inferenceInput } from '../inferences/inference-input';
import { cancelWhenClientLeaves, startFor } from '../inferences/inference-start';
import { openAIApiShape } from '../openai-chat/openai-api-shape';
import { sendOpenAIError } from '../openai-chat/openai-error-response';
import { awaitInference } from '../inferences/run-inference';
import { setGatewayHeaders } from '../answer-headers';
import { toOpenAIEmbeddings } from './to-openai-embeddings';
import { describeZodError } from '../zod-error-message';

/**
 * POST /v1/embeddings: one durable `inference` workflow per request, routed like chat (the four
 * selection steps, quotas, fallbacks, usage and cost) over an `embeddings` model group.
 */
export function embeddingsRoute(dependencies: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const receivedAt = performance.now();
    const parsed = embeddingBodySchema.safeParse(request.body);
    if (!parsed.success) {
      sendOpenAIError(response, 400, {
        type: 'invalid_request_error',
        code: 'invalid_request',
        ...describeZodError(parsed.error),
      });
      return;
    }
    const body = parsed.data;
    // Errors in OpenAI's shape, as for chat completions.
    const shape = openAIApiShape(body.model);
    const { idempotency, refusal } = readIdempotency(request);
    if (refusal) return sendRefusal(response, shape, refusal);
    const embedding = embeddingBodyToRequest(body);
    const asked = { request: embedding, needs: embeddingNeeds(embedding) };
    const incapable = embeddingCapabilityRefusal(dependencies.getConfig(), body.model, asked.needs);
    if (incapable) return sendRefusal(response, shape, incapable);
    const admission = await admitEmbedding(request, body.model, asked, dependencies);
    if (!admission.admitted) return sendRefusal(response, shape, admission.refusal);
    const { request: admitted, needs } = admission.held;
    const { stream: _stream, ...base } = inferenceInput(request, admission, dependencies.getConfig(), {
      modelGroup: body.model,
      needs,
      request: admitted,
    });
    const input: EmbeddingInferenceInput = { ...base, operation: 'embeddings' };
    const inferenceId = idempotency?.workflowId ?? `${inferenceWorkflowIdPrefix}${randomUUID()}`;
    const handle = await startFor(
      dependencies,
      response,
      input,
      shape,
      { admission, ...(idempotency && { idempotency }) },
      inferenceId,
    );
    if (!handle) return;
    response.setHeader(gatewayHeaders.inferenceId, inferenceId);
    let ended = false;
    cancelWhenClientLeaves(dependencies, response, handle, idempotency, () => ended);
    const outcome = await awaitInference(dependencies, handle, input, receivedAt);
    ended = true;
    // A pending inference keeps its estimate in the windows: it may still be using tokens.
    if (outcome.kind !== 'pending')
      settleAdmission(
        dependencies,
        admission,
        outcome.kind === 'result' ? outcome.result.response.usage.totalTokens : 0,
      );
    if (outcome.kind !== 'result') return sendUnsuccessfulOutcome(response, shape, outcome);
    setGatewayHeaders(response, inferenceId, outcome.result);
    response.json(toOpenAIEmbeddings(outcome.result, body.model, body.encoding_format ?? 'float'));
  };
}
