import type { GatewayConfig } from '../config/gateway-config-schema';
import { trafficClassPolicy } from '../config/traffic-class-policy';
import { routeCandidates, UnknownModelGroupError } from '../routing/route-candidates';
import { callCost, routePricing } from '../routing/route-pricing';
import type { RouteCandidate, RouteState, RoutingContext, StepDecision } from '../routing/routing-types';
import {
  narrowCandidates,
  selectAccount,
  selectModel,
  selectProvider,
  selectRegion,
  type StepInputs,
} from '../routing/selection-steps';
import type { DecisionRecord, InferenceInput } from '../workflows/inference-types';

/** One inference as Temporal recorded it: what it asked for and what its selection steps saw. */
export interface RecordedInference {
  id: string;
  input: Pick<InferenceInput, 'modelGroup' | 'trafficClass' | 'needs' | 'allowedProviders' | 'residency' | 'budget'>;
  decision: DecisionRecord;
}

/** Where a config would send an inference's first attempt, or why it would find no route. */
export interface FirstRoute {
  route?: string;
  /** The skip reasons of the step that found nothing, when no route was left. */
  refusal?: string;
  /** The estimated cost of the recorded answer's tokens on this route, from the config's prices. */
  cost?: number;
}

/** Ties in the weighted shuffle resolve the same way for every config, so a difference is the config's. */
const steadyRandom = () => 0.5;

/** The live state the recorded first round saw, merged over its steps, and when it saw it. */
function recordedState(decision: DecisionRecord): { state: Record<string, RouteState>; now: number } {
  const steps = decision.selections[0]?.steps ?? [];
  const state = Object.assign({}, ...steps.map((step) => step.stateSeen)) as Record<string, RouteState>;
  const started = decision.attempts[0]?.startedAt;
  return { state, now: started ? Date.parse(started) : Date.now() };
}

function refusalOf(step: StepDecision): string {
  return (
    step.skipped
      .map((skip) => `${skip.candidate}: ${skip.reason}${skip.detail ? ` (${skip.detail})` : ''}`)
      .join('; ') || `no ${step.step} left`
  );
}

/**
 * The four selection steps of `config` on a recorded inference's first round: the same pure
 * functions the workflow's local activities run, on the inputs the workflow had and the route
 * state its steps recorded. No store, no provider, no clock.
 */
export function firstRouteUnder(config: GatewayConfig, recorded: RecordedInference): FirstRoute {
  const { input, decision } = recorded;
  let candidates: RouteCandidate[];
  try {
    candidates = routeCandidates(config, input.modelGroup);
  } catch (error) {
    if (error instanceof UnknownModelGroupError) return { refusal: error.message };
    throw error;
  }
  const sticky = decision.selections[0]?.steps[0]?.sticky;
  const context: RoutingContext = {
    modelGroup: input.modelGroup,
    trafficClass: input.trafficClass,
    policy: trafficClassPolicy(config, input.trafficClass),
    needs: input.needs,
    allowedProviders: input.allowedProviders,
    residency: input.residency,
    excluded: [],
    ...(sticky?.usable && { preferredRoute: sticky.route }),
    ...(input.budget?.effect === 'downgrade' && { budgetDowngrade: true }),
  };
  const { state, now } = recordedState(decision);
  const chosen: { provider?: string; model?: string; account?: string; region?: string } = {};
  const steps = [
    ['provider', selectProvider],
    ['model', selectModel],
    ['account', selectAccount],
    ['region', selectRegion],
  ] as const;
  for (const [name, select] of steps) {
    const inputs: StepInputs = {
      candidates: narrowCandidates(candidates, chosen),
      context,
      state,
      now,
      random: steadyRandom,
    };
    const step = select(inputs);
    if (step.choice === undefined) return { refusal: refusalOf(step) };
    chosen[name] = step.choice;
  }
  const [candidate] = narrowCandidates(candidates, chosen);
  const tokens = decision.attempts.find((attempt) => attempt.outcome === 'success')?.tokens;
  const pricing = candidate ? routePricing(config, candidate.route) : undefined;
  return {
    route: candidate?.key,
    ...(pricing &&
      tokens && { cost: callCost(pricing, { promptTokens: tokens.prompt, completionTokens: tokens.completion }) }),
  };
}
