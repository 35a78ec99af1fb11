import type { Request, Response } from 'express';
import type { ApiDependencies } from '../api-dependencies';
import { unsupportedParametersPolicy } from '../openai-chat/chat-completion-to-chat-request';
import { sendOpenAIError } from '../openai-chat/openai-error-response';
import { EarlierItemError, readEarlierItems } from './previous-response';
import { responsesApiShape } from './responses-api-shape';
import { responsesEcho } from './responses-object';
import { responsesBodySchema } from './responses-schema';
import { encryptedReasoningInclude, responsesToChatRequest, type EarlierItems } from './responses-to-chat-request';
import { serveInference } from '../inferences/respond-to-inference';
import { describeZodError } from '../zod-error-message';

const invalid = (response: Response, message: string, param: string | null, code = 'invalid_request') =>
  sendOpenAIError(response, 400, { message, type: 'invalid_request_error', code, param });

/**
 * POST /v1/responses (OpenAI's Responses API): translated to the gateway's canonical chat
 * request, run as the same durable `inference` workflow as chat (fallbacks, every provider kind),
 * and answered as a `response` object or its `response.*` stream events.
 */
export function responsesRoute(dependencies: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const receivedAt = performance.now();
    const parsed = responsesBodySchema.safeParse(request.body);
    if (!parsed.success) {
      const { message, param } = describeZodError(parsed.error);
      invalid(response, message, param);
      return;
    }
    const body = parsed.data;
    if (body.conversation) {
      invalid(
        response,
        'The gateway keeps no conversations: send the earlier turns in input, or continue a response with previous_response_id.',
        'conversation',
        'unsupported_parameter',
      );
      return;
    }
    let earlier: EarlierItems;
    try {
      earlier = await readEarlierItems(dependencies, request.keyOwner?.tenant, body);
    } catch (error) {
      if (!(error instanceof EarlierItemError)) throw error;
      invalid(response, error.message, error.param, error.code);
      return;
    }
    const policy = unsupportedParametersPolicy(dependencies.getConfig(), body.model);
    const { request: chat, unsupported } = responsesToChatRequest(body, earlier, policy);
    if (unsupported.length > 0 && policy === 'reject') {
      invalid(
        response,
        `The gateway cannot honour ${unsupported.join(', ')} on any route, and this model group rejects unsupported parameters (unsupportedParameters: reject); leave them out or use another model group.`,
        unsupported[0]!,
        'unsupported_parameter',
      );
      return;
    }
    if (!chat.messages.some((message) => message.role !== 'system')) {
      invalid(
        response,
        'input is required: give a text or at least one input item (or a previous_response_id).',
        'input',
      );
      return;
    }
    const shape = responsesApiShape(
      responsesEcho(body, body.model),
      body.include?.includes(encryptedReasoningInclude) ?? false,
    );
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
