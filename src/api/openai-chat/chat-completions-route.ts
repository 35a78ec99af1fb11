import type { Request, Response } from 'express';
import type { ApiDependencies } from '../api-dependencies';
import { chatCompletionBodySchema } from './chat-completion-schema';
import { chatCompletionToChatRequest, unsupportedParametersPolicy } from './chat-completion-to-chat-request';
import { openAIApiShape } from './openai-api-shape';
import { sendOpenAIError } from './openai-error-response';
import { serveInference } from '../inferences/respond-to-inference';
import { describeZodError } from '../zod-error-message';

/** POST /v1/chat/completions: one durable `inference` workflow per request, answered whole or streamed. */
export function chatCompletionsRoute(dependencies: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const receivedAt = performance.now();
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
    const shape = openAIApiShape(body.model, { includeUsage: body.stream_options?.include_usage === true });
    const policy = unsupportedParametersPolicy(dependencies.getConfig(), body.model);
    await serveInference(
      dependencies,
      request,
      response,
      shape,
      { modelGroup: body.model, request: chatCompletionToChatRequest(body, policy), stream: body.stream === true },
      receivedAt,
    );
  };
}
