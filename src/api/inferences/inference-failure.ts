import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, TimeoutFailure, CancelledFailure, TerminatedFailure } from '@temporalio/common';
import type { InferenceFailureDetails } from '../../workflows/inference-types';

export interface InferenceFailure {
  type: string;
  message: string;
  details?: InferenceFailureDetails;
}

/** Reads why an inference workflow failed, from the error `handle.result()` threw. */
export function readInferenceFailure(error: unknown): InferenceFailure | undefined {
  if (!(error instanceof WorkflowFailedError)) return undefined;
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    const [details] = (cause.details ?? []) as Array<InferenceFailureDetails | undefined>;
    return { type: cause.type ?? 'ServerError', message: cause.message, details };
  }
  if (cause instanceof TimeoutFailure) return { type: 'Timeout', message: 'The inference ran out of time' };
  if (cause instanceof CancelledFailure) return { type: 'Cancelled', message: 'The inference was cancelled' };
  if (cause instanceof TerminatedFailure)
    return { type: 'Terminated', message: 'The inference was terminated by an operator' };
  return { type: 'ServerError', message: cause?.message ?? error.message };
}
