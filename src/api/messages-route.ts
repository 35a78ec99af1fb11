import type { Request, Response } from 'express';
import { anthropicApiShape } from './anthropic-api-shape';
import { sendAnthropicError } from './anthropic-error';
import type { ApiDependencies } from './api-dependencies';
import { sendRefusal } from './api-shape';
import { buildInferenceInput } from './inference-input';
import { admitInference } from './inference-admission';
import { messagesBodySchema } from './messages-schema';
import { messagesToChatRequest } from './messages-to-chat-request';
import { respondToInference } from './respond-to-inference';
import { describeZodError } from './zod-error-message';

/**
 * POST /v1/messages (Anthropic-compatible): the same durable `inference` workflow to any provider,
 * answered with Anthropic's message, stream events and error shape.
 */
export function messagesRoute(dependencies: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const receivedAt = performance.now();
    const parsed = messagesBodySchema.safeParse(request.body);
    if (!parsed.success) {
      sendAnthropicError(response, 400, { message: describeZodError(parsed.error).message, code: 'invalid_request' });
      return;
    }
    const body = parsed.data;
    const shape = anthropicApiShape(body.model);
    const admission = await admitInference(request, body.model, dependencies);
    if (!admission.admitted) {
      sendRefusal(response, shape, admission.refusal);
      return;
    }
    const input = buildInferenceInput(request, admission, body.model, messagesToChatRequest(body), body.stream === true);
    await respondToInference(dependencies, response, input, shape, receivedAt);
  };
}
