import type { Request, Response } from 'express';
import { anthropicApiShape } from './anthropic-api-shape';
import { sendAnthropicError } from './anthropic-error';
import type { ApiDependencies } from '../api-dependencies';
import { unsupportedParametersPolicy } from '../openai-chat/chat-completion-to-chat-request';
import { messagesBodySchema } from './messages-schema';
import { anthropicBetas, messagesToChatRequest } from './messages-to-chat-request';
import { serveInference } from '../inferences/respond-to-inference';
import { describeZodError } from '../zod-error-message';

/**
 * POST /v1/messages (Anthropic-compatible): the same durable `inference` workflow to any provider,
 * answered with Anthropic's message, stream events and error shape. The `anthropic-beta` flags go
 * to Anthropic routes (and Claude on Bedrock); `anthropic-version` is accepted and the gateway's
 * own SDK sets the one it speaks.
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
    const chat = messagesToChatRequest(body, {
      betas: anthropicBetas(request.headers['anthropic-beta']),
      policy: unsupportedParametersPolicy(dependencies.getConfig(), body.model),
    });
    await serveInference(
      dependencies,
      request,
      response,
      shape,
      { modelGroup: body.model, request: chat, stream: body.stream === true },
      receivedAt,
    );
  };
}
