import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import type { Route } from '../routing/route';

/** Input of the `inference` workflow. Holds no credentials: activities resolve them by reference. */
export interface InferenceInput {
  tenant: string;
  /** The public model name the client sent. */
  modelGroup: string;
  request: ChatRequest;
}

export interface InferenceResult {
  response: ChatResponse;
  route: Route;
  /** Provider calls made, retries included. */
  attempts: number;
  /** True when the answer did not come from the first route chosen. */
  fallback: boolean;
}

/** Details attached to the workflow's failure so the API can explain it to the client. */
export interface InferenceFailureDetails {
  route?: Route;
  status?: number;
  providerCode?: string;
  attempts: number;
}

export const inferenceTaskQueue = 'inference';
export const inferenceWorkflowIdPrefix = 'inf-';
