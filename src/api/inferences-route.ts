import { WorkflowNotFoundError } from '@temporalio/client';
import type { Request, Response } from 'express';
import { decisionQuery } from '../workflows/decision-query';
import { inferenceWorkflowIdPrefix, type EmbeddingInferenceResult, type InferenceResult } from '../workflows/inference-types';
import { toOpenAIEmbeddings } from './to-openai-embeddings';
import type { ApiDependencies } from './api-dependencies';
import { toErrorCode } from './gateway-error-response';
import { readInferenceFailure } from './inference-failure';
import { sendOpenAIError } from './openai-error';
import { toOpenAICompletion } from './to-openai-completion';

function sendNotFound(response: Response, id: string): void {
  sendOpenAIError(response, 404, { message: `No inference with id "${id}"`, type: 'invalid_request_error', code: 'inference_not_found', param: 'id' });
}

/** GET /v1/inferences/:id: status and result, read back from Temporal. */
export function inferencesRoute({ client, temporalDeadlineMs = 5_000 }: ApiDependencies) {
  return async (request: Request<{ id: string }>, response: Response): Promise<void> => {
    const { id } = request.params;
    if (!id.startsWith(inferenceWorkflowIdPrefix)) {
      sendNotFound(response, id);
      return;
    }
    const handle = client.workflow.getHandle(id);
    let description;
    try {
      description = await client.withDeadline(Date.now() + temporalDeadlineMs, () => handle.describe());
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        sendNotFound(response, id);
        return;
      }
      throw error;
    }
    // A tenant reads only its own inferences; another tenant's id looks like it does not exist.
    if (description.memo?.tenant !== request.keyOwner?.tenant) {
      sendNotFound(response, id);
      return;
    }
    const status = (description.status.name ?? 'UNKNOWN').toLowerCase();
    const summary = { id, object: 'inference', status, started_at: description.startTime.toISOString(), closed_at: description.closeTime?.toISOString() ?? null };
    if (status === 'running') {
      // The decision so far (waits included), when a worker answers within 2 s; the status alone otherwise.
      const decision = await client.withDeadline(Date.now() + Math.min(temporalDeadlineMs, 2_000), () => handle.query(decisionQuery)).catch(() => undefined);
      response.json({ ...summary, ...(decision && { decision }) });
      return;
    }
    try {
      const result = (await handle.result()) as InferenceResult | EmbeddingInferenceResult;
      const modelGroup = (description.memo?.modelGroup as string | undefined) ?? result.route.model;
      const answer = isEmbeddingResult(result) ? toOpenAIEmbeddings(result, modelGroup, 'float') : toOpenAICompletion(result, modelGroup);
      response.json({ ...summary, route: result.route, attempts: result.attempts, fallback: result.fallback, decision: result.decision, result: answer });
    } catch (error) {
      const failure = readInferenceFailure(error);
      if (!failure) throw error;
      response.json({ ...summary, decision: failure.details?.decision, error: { message: failure.message, code: toErrorCode(failure.type), attempts: failure.details?.decision.attempts ?? [] } });
    }
  };
}

/** An embedding inference's result holds vectors, a chat inference's an answer. */
function isEmbeddingResult(result: InferenceResult | EmbeddingInferenceResult): result is EmbeddingInferenceResult {
  return 'embeddings' in result.response;
}
