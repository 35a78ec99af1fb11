import type { Response } from 'express';
import { z } from 'zod';

export interface OpenAIErrorBody {
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
  /** Route attempts, when the gateway tried providers before failing. */
  attempts?: unknown[];
}

/** Sends an error in OpenAI's shape: `{"error":{"message","type","code","param"}}`. */
export function sendOpenAIError(response: Response, status: number, error: OpenAIErrorBody): void {
  response.status(status).json({ error: { param: null, ...error } });
}

/** OpenAI's error `type` for an HTTP status. */
export function openAIErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** The body of every error outside Anthropic's paths, as the OpenAPI description has it. */
export const openAIErrorResponseSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().meta({
        description:
          'invalid_request_error, authentication_error, permission_error, rate_limit_error or api_error, by status.',
      }),
      code: z
        .string()
        .nullable()
        .meta({ description: "The gateway's code, such as model_not_found or all_routes_exhausted." }),
      param: z.string().nullable(),
      attempts: z
        .array(z.unknown())
        .optional()
        .meta({ description: 'The route attempts, for an admin key, when providers were tried.' }),
    }),
  })
  .meta({ id: 'OpenAIError', description: "An error in OpenAI's shape." });
