import { assessCandidate, estimatedCost } from './assess-candidate';
import type {
  RouteCandidate,
  RouteState,
  RoutingContext,
  SelectionStep,
  SkippedCandidate,
  StepDecision,
} from './routing-types';
import { weightedShuffle } from './weighted-shuffle';

export interface StepInputs {
  candidates: RouteCandidate[];
  context: RoutingContext;
  state: Record<string, RouteState>;
  now: number;
  random?: () => number;
}

interface Option {
  name: string;
  members: RouteCandidate[];
  tier: number;
  priority: number;
  weight: number;
  latency: number;
  /** Holds the session's bound route. */
  preferred: boolean;
  /** Cheapest estimated cost among the option's routes; unpriced routes count as dearest. */
  cost: number;
}

/** Where a region never measured sorts under the `latency` strategy: after every measured one. */
const unmeasuredLatencyMs = Number.MAX_SAFE_INTEGER;

function mostCommonReason(skips: SkippedCandidate[]): SkippedCandidate {
  const counts = new Map<string, number>();
  for (const skip of skips) counts.set(skip.reason, (counts.get(skip.reason) ?? 0) + 1);
  const [reason] = [...counts].sort((left, right) => right[1] - left[1])[0]!;
  return skips.find((skip) => skip.reason === reason)!;
}

/**
 * One selection step: groups the candidates by what this step chooses (provider, model, account
 * or region), skips the groups none of whose routes can serve, and orders the rest: fallback tier
 * first, then priority, then (for regions of a group whose strategy is `latency`) the latency
 * average, with equal ones shuffled by weight. Pure.
 */
function decide(step: SelectionStep, nameOf: (candidate: RouteCandidate) => string, inputs: StepInputs): StepDecision {
  const { candidates, context, state, now, random = Math.random } = inputs;
  const primaryQuality = Math.max(
    ...candidates.filter((candidate) => candidate.tier === 0).map((candidate) => candidate.groupQuality),
    Number.NEGATIVE_INFINITY,
  );
  const byName = new Map<string, { eligible: RouteCandidate[]; skipped: SkippedCandidate[] }>();
  for (const candidate of candidates) {
    const entry = byName.get(nameOf(candidate)) ?? { eligible: [], skipped: [] };
    const skip = assessCandidate(candidate, context, state[candidate.key], primaryQuality, now);
    if (skip) entry.skipped.push(skip);
    else entry.eligible.push(candidate);
    byName.set(nameOf(candidate), entry);
  }
  const skipped: SkippedCandidate[] = [];
  const options: Option[] = [];
  for (const [name, { eligible, skipped: skips }] of byName) {
    if (eligible.length === 0) {
      const representative = mostCommonReason(skips);
      skipped.push({ ...representative, candidate: name });
      continue;
    }
    const tier = Math.min(...eligible.map((candidate) => candidate.tier));
    const best = eligible.filter((candidate) => candidate.tier === tier);
    const priority = Math.min(...best.map((candidate) => candidate.priority));
    const top = best.filter((candidate) => candidate.priority === priority);
    options.push({
      name,
      members: eligible,
      tier,
      priority,
      weight: top.reduce((sum, candidate) => sum + candidate.weight, 0),
      latency:
        step === 'region' && top.every((candidate) => candidate.routingStrategy === 'latency')
          ? Math.min(...top.map((candidate) => state[candidate.key]?.latencyEwmaMs ?? unmeasuredLatencyMs))
          : 0,
      preferred: eligible.some((candidate) => candidate.key === context.preferredRoute),
      cost: Math.min(...eligible.map((candidate) => estimatedCost(candidate, context) ?? Number.POSITIVE_INFINITY)),
    });
  }
  const shuffled = weightedShuffle(options, (option) => option.weight, random);
  // A session's bound route comes first; a budget downgrade puts the cheapest routes next.
  const ordered = shuffled.sort(
    (left, right) =>
      Number(right.preferred) - Number(left.preferred) ||
      (context.budgetDowngrade ? left.cost - right.cost : 0) ||
      left.tier - right.tier ||
      left.priority - right.priority ||
      left.latency - right.latency,
  );
  const stateSeen = Object.fromEntries(
    candidates.filter((candidate) => state[candidate.key]).map((candidate) => [candidate.key, state[candidate.key]!]),
  );
  const [choice, ...alternatives] = ordered.map((option) => option.name);
  return { step, ...(choice !== undefined && { choice }), alternatives, skipped, stateSeen };
}

export const selectProvider = (inputs: StepInputs) =>
  decide('provider', (candidate) => candidate.route.provider, inputs);
export const selectModel = (inputs: StepInputs) => decide('model', (candidate) => candidate.route.model, inputs);
export const selectAccount = (inputs: StepInputs) => decide('account', (candidate) => candidate.route.account, inputs);
export const selectRegion = (inputs: StepInputs) => decide('region', (candidate) => candidate.route.region, inputs);

/** The candidates left for the next step once earlier steps have chosen. */
export function narrowCandidates(
  candidates: RouteCandidate[],
  chosen: { provider?: string; model?: string; account?: string; region?: string },
): RouteCandidate[] {
  return candidates.filter(
    (candidate) =>
      (chosen.provider === undefined || candidate.route.provider === chosen.provider) &&
      (chosen.model === undefined || candidate.route.model === chosen.model) &&
      (chosen.account === undefined || candidate.route.account === chosen.account) &&
      (chosen.region === undefined || candidate.route.region === chosen.region),
  );
}
