import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { inferenceWorkflowIdPrefix } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';
import { chatCompletionBodySchema } from './chat-completion-schema';
import { toChatRequest } from './chat-completions-route';
import { sendTemporalUnavailable } from './gateway-error-response';
import { idempotencyConflict, readIdempotency } from './idempotency';
import { admitInference } from './inference-admission';
import { inferenceInput } from './inference-input';
import { sendOpenAIError, sendOpenAIRefusal } from './openai-error';
import { requestNeeds } from './request-needs';
import { IdempotencyConflictError, startInference } from './run-inference';
import { describeZodError } from './zod-error-message';

/**
 * POST /v1/inferences: the asynchronous form of /v1/chat/completions. The same body and checks;
 * answers 202 with the inference id as soon as Temporal has accepted it. GET /v1/inferences/:id
 * returns the status, then the result.
 */
export function inferenceCreateRoute(dependencies: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const parsed = chatCompletionBodySchema.safeParse(request.body);
    if (!parsed.success) {
      sendOpenAIError(response, 400, { type: 'invalid_request_error', code: 'invalid_request', ...describeZodError(parsed.error) });
      return;
    }
    const body = parsed.data;
    const { idempotency, refusal } = readIdempotency(request);
    if (refusal) {
      sendOpenAIRefusal(response, refusal);
      return;
    }
    const chatRequest = toChatRequest(body);
    const needs = requestNeeds(chatRequest);
    const admission = await admitInference(request, body.model, needs.estimatedPromptTokens + needs.maxOutputTokens, dependencies);
    if (!admission.admitted) {
      sendOpenAIRefusal(response, admission.refusal);
      return;
    }
    const input = inferenceInput(request, admission, dependencies.getConfig(), { modelGroup: body.model, needs, request: chatRequest });
    const workflowId = idempotency?.workflowId ?? `${inferenceWorkflowIdPrefix}${randomUUID()}`;
    try {
      await startInference(dependencies, input, workflowId, idempotency?.fingerprint);
    } catch (error) {
      if (error instanceof IdempotencyConflictError) {
        sendOpenAIRefusal(response, idempotencyConflict(error.message));
        return;
      }
      response.setHeader('x-gateway-inference-id', workflowId);
      sendTemporalUnavailable(response, error, workflowId);
      return;
    }
    response.setHeader('x-gateway-inference-id', workflowId);
    response.setHeader('location', `/v1/inferences/${workflowId}`);
    response.status(202).json({ id: workflowId, object: 'inference', status: 'accepted', model: body.model, traffic_class: input.trafficClass, url: `/v1/inferences/${workflowId}` });
  };
}
