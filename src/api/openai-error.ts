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
