import type { Response } from 'express';
import type { InferenceResult } from '../workflows/inference-types';
import type { AdmissionRefusal } from './admission/inference-admission';
import type { StreamRenderer } from './inferences/stream-renderer';

export interface ApiErrorDetails {
  message: string;
  /** The gateway's code, e.g. `model_not_found`. */
  code: string;
  param?: string | null;
  /** Route attempts, when the gateway tried providers before failing. */
  attempts?: unknown[];
}

/** How one client-facing API (OpenAI chat completions, Anthropic messages) shapes answers and errors. */
export interface ApiShape {
  /** Sends an error as a whole response, before any byte of an answer. */
  sendError(response: Response, status: number, error: ApiErrorDetails): void;
  /** The complete answer as the API's response body; `inferenceId` is the workflow that produced it. */
  answer(result: InferenceResult, inferenceId: string): unknown;
  /** A fresh renderer for a streamed answer. */
  streamRenderer(inferenceId: string): StreamRenderer;
}

/** Sends an admission refusal (unknown model, scopes, limits…) in the API's error shape. */
export function sendRefusal(
  response: Response,
  shape: ApiShape,
  { status, code, message, param, retryAfterSeconds }: AdmissionRefusal,
): void {
  if (retryAfterSeconds !== undefined) response.setHeader('retry-after', String(retryAfterSeconds));
  shape.sendError(response, status, { message, code, ...(param && { param }) });
}
