import { WorkflowNotFoundError } from '@temporalio/client';
import type { Request, Response } from 'express';
import { decisionQuery } from '../../workflows/decision-query';
import {
  inferenceWorkflowIdPrefix,
  type DecisionRecord,
  type EmbeddingInferenceResult,
  type InferenceResult,
} from '../../workflows/inference-types';
import { policiesNamed } from '../../guardrails/attached-policies';
import { blockedMessage, unavailableMessage } from '../../guardrails/guardrail-outcome';
import { checkAnswer, type RemoteCheckContext } from '../../guardrails/remote/run-remote-guardrails';
import { remoteCheckContext } from '../request-guardrails';
import { toOpenAIEmbeddings } from '../embeddings/to-openai-embeddings';
import type { ApiDependencies } from '../api-dependencies';
import { toErrorCode } from '../gateway-error-response';
import { readInferenceFailure } from './inference-failure';
import { cacheHitResource } from './cache-hit-view';
import { cacheHitIdPrefix } from '../../state/tenant-state-store';
import { sendOpenAIError } from '../openai-chat/openai-error-response';
import { toOpenAICompletion } from '../openai-chat/to-openai-completion';

function sendNotFound(response: Response, id: string): void {
  sendOpenAIError(response, 404, {
    message: `No inference with id "${id}"`,
    type: 'invalid_request_error',
    code: 'inference_not_found',
    param: 'id',
  });
}

/**
 * The output checks of the policies the inference met (named in its memo), as the config has them
 * now (remote ones included), so an answer read back by id is never one a synchronous client was
 * refused. The JSON schema check needs the request and is not run here. An answer the worker
 * checked (`outputGuardrails`) is served as recorded.
 */
async function checkStoredAnswer(
  context: RemoteCheckContext,
  names: unknown,
  result: InferenceResult,
): Promise<InferenceResult | { refused: { message: string; code: string }; decision: DecisionRecord }> {
  if (!Array.isArray(names) || names.length === 0) return result;
  // Checked in the worker when the answer came: the record already holds the verdicts.
  if (result.outputGuardrails)
    return result.outputGuardrails.refused
      ? { refused: result.outputGuardrails.refused, decision: result.decision }
      : result;
  const outcome = await checkAnswer(
    policiesNamed(context.config, names as string[]),
    result.response,
    undefined,
    context,
  );
  const decision =
    outcome.verdicts.length > 0
      ? { ...result.decision, guardrails: [...(result.decision.guardrails ?? []), ...outcome.verdicts] }
      : result.decision;
  if (outcome.unavailable)
    return { refused: { message: unavailableMessage(outcome.unavailable), code: 'guardrail_unavailable' }, decision };
  if (outcome.blocked)
    return { refused: { message: blockedMessage(outcome.blocked), code: 'content_blocked' }, decision };
  return { ...result, response: outcome.value, decision };
}

/**
 * GET /v1/inferences/:id: status and result, read back from Temporal; a cache hit's entry
 * (`cache-hit-…`) from the state store.
 */
export function inferencesRoute(dependencies: ApiDependencies) {
  const { client, state, temporalDeadlineMs = 5_000 } = dependencies;
  return async (request: Request<{ id: string }>, response: Response): Promise<void> => {
    const { id } = request.params;
    if (id.startsWith(cacheHitIdPrefix)) {
      // Kept under the tenant: another tenant's hit is not found, as an unknown one is.
      const record = await state?.readCacheHit(request.keyOwner?.tenant ?? '', id);
      if (record) response.json(cacheHitResource(record));
      else sendNotFound(response, id);
      return;
    }
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
    const summary = {
      id,
      object: 'inference',
      status,
      started_at: description.startTime.toISOString(),
      closed_at: description.closeTime?.toISOString() ?? null,
    };
    if (status === 'running') {
      // The decision so far (waits included), when a worker answers within 2 s; the status alone otherwise.
      const decision = await client
        .withDeadline(Date.now() + Math.min(temporalDeadlineMs, 2_000), () => handle.query(decisionQuery))
        .catch(() => undefined);
      response.json({ ...summary, ...(decision && { decision }) });
      return;
    }
    try {
      const result = (await handle.result()) as InferenceResult | EmbeddingInferenceResult;
      const modelGroup = (description.memo?.modelGroup as string | undefined) ?? result.route.model;
      if (isEmbeddingResult(result)) {
        response.json({
          ...summary,
          route: result.route,
          attempts: result.attempts,
          fallback: result.fallback,
          decision: result.decision,
          result: toOpenAIEmbeddings(result, modelGroup, 'float'),
        });
        return;
      }
      const checked = await checkStoredAnswer(remoteCheckContext(dependencies), description.memo?.guardrails, result);
      if ('refused' in checked) {
        response.json({ ...summary, decision: checked.decision, error: checked.refused });
        return;
      }
      response.json({
        ...summary,
        route: result.route,
        attempts: result.attempts,
        fallback: result.fallback,
        decision: checked.decision,
        result: toOpenAICompletion(checked, modelGroup),
      });
    } catch (error) {
      const failure = readInferenceFailure(error);
      if (!failure) throw error;
      response.json({
        ...summary,
        decision: failure.details?.decision,
        error: {
          message: failure.message,
          code: toErrorCode(failure.type),
          attempts: failure.details?.decision.attempts ?? [],
        },
      });
    }
  };
}

/** An embedding inference's result holds vectors, a chat inference's an answer. */
function isEmbeddingResult(result: InferenceResult | EmbeddingInferenceResult): result is EmbeddingInferenceResult {
  return 'embeddings' in result.response;
}
