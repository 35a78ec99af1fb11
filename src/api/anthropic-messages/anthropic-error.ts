import type { Response } from 'express';
import { z } from 'zod';

/** Anthropic's error `type` for an HTTP status. */
export function anthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export interface AnthropicErrorBody {
  message: string;
  /** The gateway's own code (e.g. `model_not_found`), beside Anthropic's `type`. */
  code?: string | null;
  /** Route attempts, when the gateway tried providers before failing. */
  attempts?: unknown[];
}

/** The body of an Anthropic error: `{"type":"error","error":{"type","message"}}`. */
export function anthropicErrorBody(status: number, { message, code, attempts }: AnthropicErrorBody) {
  return {
    type: 'error' as const,
    error: { type: anthropicErrorType(status), message, ...(code && { code }), ...(attempts && { attempts }) },
  };
}

/** Sends an error in Anthropic's shape, the type chosen by the status. */
export function sendAnthropicError(response: Response, status: number, error: AnthropicErrorBody): void {
  response.status(status).json(anthropicErrorBody(status, error));
}

/** The body of every error on /v1/messages, as the OpenAPI description has it. */
export const anthropicErrorResponseSchema = z
  .object({
    type: z.literal('error'),
    error: z.object({
      type: z.enum([
        'invalid_request_error',
        'authentication_error',
        'permission_error',
        'not_found_error',
        'rate_limit_error',
        'overloaded_error',
        'api_error',
      ]),
      message: z.string(),
      code: z
        .string()
        .optional()
        .meta({ description: "The gateway's code, such as model_not_found, beside Anthropic's type." }),
      attempts: z
        .array(z.unknown())
        .optional()
        .meta({ description: 'The route attempts, for an admin key, when providers were tried.' }),
    }),
  })
  .meta({ id: 'AnthropicError', description: "An error in Anthropic's shape." });
