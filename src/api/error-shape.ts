import type { Request, Response } from 'express';
import { sendAnthropicError } from './anthropic-messages/anthropic-error';
import { sendOpenAIError, type OpenAIErrorBody } from './openai-chat/openai-error-response';

/** Paths whose clients speak Anthropic's API and expect its error shape. */
const anthropicPaths = ['/v1/messages'];

export function speaksAnthropic(request: Request): boolean {
  const path = (request.originalUrl ?? request.url).split('?')[0] ?? '';
  return anthropicPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Sends an error raised before any route handler (authentication, body parsing, unknown paths)
 * in the shape of the API the client called: Anthropic's on /v1/messages, OpenAI's elsewhere.
 */
export function sendErrorInClientShape(
  request: Request,
  response: Response,
  status: number,
  error: OpenAIErrorBody,
): void {
  if (speaksAnthropic(request))
    sendAnthropicError(response, status, { message: error.message, code: error.code, attempts: error.attempts });
  else sendOpenAIError(response, status, error);
}
