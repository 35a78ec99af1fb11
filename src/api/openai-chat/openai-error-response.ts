import type { Response } from 'express';

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
