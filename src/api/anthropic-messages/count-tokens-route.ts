import type { Request, Response } from 'express';
import { sendAnthropicError } from './anthropic-error';
import type { ApiDependencies } from '../api-dependencies';
import { countTokensBodySchema } from './messages-schema';
import { messagesToChatRequest } from './messages-to-chat-request';
import { requestNeeds } from '../admission/request-needs';
import { describeZodError } from '../zod-error-message';

/**
 * POST /v1/messages/count_tokens (Anthropic-compatible): the prompt's size in tokens, counted by
 * the gateway's tokenizer (the estimate its quotas use, whichever provider would serve it), with
 * no inference and no provider call.
 */
export function countTokensRoute({ getConfig }: ApiDependencies) {
  return (request: Request, response: Response): void => {
    const parsed = countTokensBodySchema.safeParse(request.body);
    if (!parsed.success) {
      sendAnthropicError(response, 400, { message: describeZodError(parsed.error).message, code: 'invalid_request' });
      return;
    }
    const body = parsed.data;
    const owner = request.keyOwner;
    if (!getConfig().modelGroups.some((group) => group.name === body.model)) {
      sendAnthropicError(response, 404, {
        message: `The model "${body.model}" does not exist; GET /v1/models lists the models you may use.`,
        code: 'model_not_found',
      });
      return;
    }
    if (owner?.modelGroups && !owner.modelGroups.includes(body.model)) {
      sendAnthropicError(response, 403, {
        message: `This key may not use the model "${body.model}".`,
        code: 'model_not_allowed',
      });
      return;
    }
    response.json({ input_tokens: requestNeeds(messagesToChatRequest(body)).estimatedPromptTokens });
  };
}
