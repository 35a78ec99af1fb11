import { ActivityFailure, ApplicationFailure, sleep } from '@temporalio/workflow';
import type { AttemptFailureDetails } from '../providers/provider-error';
import { sameRouteRetry } from './inference-activities';

/** Why a provider call failed: an activity's failure wraps it, a local activity's is the cause itself. */
export function failureCause(error: unknown): unknown {
  return error instanceof ActivityFailure ? error.cause : error;
}

/** The back-off before same-route call `call + 1` when the provider gave no hint. */
export function sameRouteBackoffMs(call: number): number {
  return Math.min(sameRouteRetry.maximumMs, sameRouteRetry.initialMs * sameRouteRetry.coefficient ** (call - 1));
}

/**
 * Calls a route as local activities, one per try, retrying a transient error on the same route up
 * to `callsLeft` calls in all: after the provider's Retry-After (a failure carrying a hint longer
 * than the same-route limit is non-retryable), else after an exponential back-off. Reports each
 * try's number through `onCall`, so a failure is recorded with the calls it took.
 */
export async function callLocally<I, T>(
  invoke: { executeWithOptions(options: { startToCloseTimeout: number; summary: string }, args: [I]): Promise<T> },
  options: { startToCloseTimeout: number; summary: string },
  invokeInput: I,
  callsLeft: number,
  onCall: (calls: number) => void,
): Promise<T & { attempt: number }> {
  for (let call = 1; ; call++) {
    onCall(call);
    try {
      const outcome = await invoke.executeWithOptions(
        { ...options, summary: call === 1 ? options.summary : `${options.summary} (call ${call})` },
        [invokeInput],
      );
      return { ...outcome, attempt: call };
    } catch (error) {
      const cause = failureCause(error);
      if (
        !(cause instanceof ApplicationFailure) ||
        cause.nonRetryable ||
        cause.type === 'Cancelled' ||
        call >= callsLeft
      )
        throw error;
      // The failure's decoded form drops its nextRetryDelay; the same hint is in its details.
      const [details] = (cause.details ?? []) as Array<Partial<AttemptFailureDetails> | undefined>;
      const delayMs = details?.retryAfterMs ? details.retryAfterMs : sameRouteBackoffMs(call);
      await sleep(delayMs, {
        summary: `${options.summary} failed with ${cause.type ?? 'an error'}${details?.status ? ` (HTTP ${details.status})` : ''}: retry on the same route in ${delayMs} ms`,
      });
    }
  }
}
