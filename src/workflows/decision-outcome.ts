import { ApplicationFailure, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { routeKey } from '../routing/route';
import type { DecisionRecord, InferenceFailureDetails } from './inference-types';
import { gatewaySearchAttributes as attributes } from './search-attributes';

/**
 * Whether one of the changes made before `inferenceV2` existed applies to this run: `patched()` for
 * runs of the `inference` type, always for `inferenceV2`, which was born with all of them. A later
 * change of command order calls `patched()` itself, for both types.
 */
export type Patches = (patchId: string) => boolean;
export const everyPatch: Patches = () => true;

/**
 * Records where the inference ended in its search attributes, for the UI and the audit list.
 * `fallbacks` defaults to every attempt but the last.
 */
export function recordOutcome(
  patches: Patches,
  outcome: string,
  decision: DecisionRecord,
  fallbacks = decision.attempts.length - 1,
): void {
  // Added after histories were recorded: runs started before this change replay without it.
  if (!patches('outcome-search-attributes')) return;
  const last = decision.attempts.at(-1)?.route;
  upsertSearchAttributes([
    { key: attributes.outcome, value: outcome },
    { key: attributes.fallbacks, value: Math.max(0, fallbacks) },
    ...(last
      ? [
          { key: attributes.provider, value: last.provider },
          { key: attributes.model, value: last.model },
          { key: attributes.region, value: last.region },
        ]
      : []),
  ]);
}

/** Ends the inference with an explicit, audited failure of `type`, its decision record in the details. */
export function fail(patches: Patches, type: string, message: string, details: InferenceFailureDetails): never {
  setCurrentDetails(`${type} after ${details.decision.attempts.length} route(s): ${message}`);
  recordOutcome(patches, type, details.decision);
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });
}

/** Where the session went: kept on its route, bound for the first time, or moved, and why. */
export function sessionOutcome(decision: DecisionRecord, servedBy: string): NonNullable<DecisionRecord['session']> {
  const boundTo = decision.session?.boundTo;
  if (boundTo === undefined)
    return { servedBy, moved: false, reason: 'first request of the session: bound to this route' };
  if (boundTo === servedBy) return { boundTo, servedBy, moved: false };
  const failed = decision.attempts.find(
    (attempt) => routeKey(attempt.route) === boundTo && attempt.outcome !== 'success',
  );
  const skipped = decision.selections[0]?.steps[0]?.sticky?.reason;
  return {
    boundTo,
    servedBy,
    moved: true,
    reason: failed ? `the bound route failed with ${failed.outcome}` : (skipped ?? 'the bound route was not chosen'),
  };
}

/**
 * Why the last selection found no route to call, from what its steps skipped (routes already tried
 * aside): for example "account_unavailable: account set aside for 58 s after Authentication error".
 * Names no provider, account or region, so a tenant may read it.
 */
export function whyNoRoute(decision: DecisionRecord): string | undefined {
  const last = decision.selections.at(-1);
  if (!last || last.steps.some((step) => step.choice !== undefined && step.step === 'region')) return undefined;
  const reasons = new Set(
    last.steps
      .flatMap((step) => step.skipped)
      .filter((skip) => skip.reason !== 'already_tried')
      .map((skip) => (skip.detail ? `${skip.reason}: ${skip.detail}` : skip.reason)),
  );
  return reasons.size > 0 ? [...reasons].join('; ') : undefined;
}
