import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { inferenceWorkflowIdPrefix } from '../../workflows/inference-types';
import type { ApiDependencies } from '../api-dependencies';
import { sendRefusal } from '../api-shape';
import { chatCompletionBodySchema } from '../openai-chat/chat-completion-schema';
import {
  chatCompletionToChatRequest,
  unsupportedParametersPolicy,
} from '../openai-chat/chat-completion-to-chat-request';
import { openAIApiShape } from '../openai-chat/openai-api-shape';
import { sendOpenAIError } from '../openai-chat/openai-error-response';
import { startFor } from './inference-start';
import { admitRequest } from './respond-to-inference';
import { describeZodError } from '../zod-error-message';
import { gatewayHeaders } from '../gateway-headers';

/**
 * POST /v1/inferences: the asynchronous form of /v1/chat/completions. The same body and checks;
 * answers 202 with the inference id as soon as Temporal has accepted it. GET /v1/inferences/:id
 * returns the status, then the result.
 */
export function inferenceCreateRoute(dependencies: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const parsed = chatCompletionBodySchema.safeParse(request.body);
    if (!parsed.success) {
      sendOpenAIError(response, 400, {
        type: 'invalid_request_error',
        code: 'invalid_request',
        ...describeZodError(parsed.error),
      });
      return;
    }
    const body = parsed.data;
    const shape = openAIApiShape(body.model, { includeUsage: false });
    if (body.stream) {
      sendRefusal(response, shape, {
        status: 400,
        code: 'invalid_request',
        param: 'stream',
        message: 'An asynchronous inference cannot stream; use POST /v1/chat/completions with "stream": true.',
      });
      return;
    }
    const prepared = await admitRequest(dependencies, request, response, shape, {
      modelGroup: body.model,
      request: chatCompletionToChatRequest(body, unsupportedParametersPolicy(dependencies.getConfig(), body.model)),
      stream: false,
    });
    if (!prepared) return;
    const { input, admitted } = prepared;
    const inferenceId = admitted.idempotency?.workflowId ?? `${inferenceWorkflowIdPrefix}${randomUUID()}`;
    // Nobody waits for the result here, so the windows keep the request's estimate.
    if (!(await startFor(dependencies, response, input, shape, admitted, inferenceId))) return;
    response.setHeader(gatewayHeaders.inferenceId, inferenceId);
    response.setHeader('location', `/v1/inferences/${inferenceId}`);
    response.status(202).json({
      id: inferenceId,
      object: 'inference',
      status: 'accepted',
      model: body.model,
      traffic_class: input.trafficClass,
      url: `/v1/inferences/${inferenceId}`,
    });
  };
}
