import { ApplicationFailure } from '@temporalio/common';
import type { GatewayConfig, TrafficClassName, TrafficClassPolicy } from '../config/gateway-config-schema';
import { policyVersion, trafficClassPolicy } from '../config/traffic-class-policy';
import { routeCandidates, UnknownModelGroupError } from '../routing/route-candidates';
import type { Route } from '../routing/route';
import type { RequestNeeds, RouteCandidate, RoutingContext, StepDecision } from '../routing/routing-types';
import { narrowCandidates, selectAccount, selectModel, selectProvider, selectRegion, type StepInputs } from '../routing/selection-steps';
import type { RouteStateStore } from '../state/route-state-store';

export interface RoutingRequest {
  modelGroup: string;
  trafficClass: TrafficClassName;
  needs: RequestNeeds;
  allowedProviders?: string[];
  residency?: string;
  excluded: string[];
  chosen: { provider?: string; model?: string; account?: string };
}

export interface RoutingPolicyOutput {
  policy: TrafficClassPolicy;
  policyVersion: string;
}

export interface RegionStepOutput {
  decision: StepDecision;
  route?: Route;
  /** The quota reservation taken on the route, reconciled after the call. */
  reservationId?: string;
  attemptTimeoutMs: number;
}

export function createSelectionActivities(getConfig: () => GatewayConfig, store: RouteStateStore) {
  // Each inference runs four steps over the same group: expand it once per loaded config.
  const expanded = new WeakMap<GatewayConfig, Map<string, RouteCandidate[]>>();
  const candidatesOf = (config: GatewayConfig, modelGroup: string): RouteCandidate[] => {
    let byGroup = expanded.get(config);
    if (!byGroup) expanded.set(config, (byGroup = new Map()));
    let candidates = byGroup.get(modelGroup);
    if (!candidates) byGroup.set(modelGroup, (candidates = routeCandidates(config, modelGroup)));
    return candidates;
  };

  function candidatesFor(request: RoutingRequest): { candidates: RouteCandidate[]; context: RoutingContext } {
    const config = getConfig();
    let candidates: RouteCandidate[];
    try {
      candidates = candidatesOf(config, request.modelGroup);
    } catch (error) {
      if (error instanceof UnknownModelGroupError) throw ApplicationFailure.create({ type: 'ModelNotFound', message: error.message, nonRetryable: true });
      throw error;
    }
    const context: RoutingContext = {
      modelGroup: request.modelGroup,
      trafficClass: request.trafficClass,
      policy: trafficClassPolicy(config, request.trafficClass),
      needs: request.needs,
      allowedProviders: request.allowedProviders,
      residency: request.residency,
      excluded: request.excluded,
    };
    return { candidates: narrowCandidates(candidates, request.chosen), context };
  }

  async function inputsFor(request: RoutingRequest): Promise<StepInputs & { candidates: RouteCandidate[] }> {
    const { candidates, context } = candidatesFor(request);
    const now = Date.now();
    return { candidates, context, state: await store.snapshot(candidates.map((candidate) => candidate.key), now), now };
  }

  return {
    async routingPolicy({ trafficClass }: { trafficClass: TrafficClassName }): Promise<RoutingPolicyOutput> {
      const config = getConfig();
      return { policy: trafficClassPolicy(config, trafficClass), policyVersion: policyVersion(config) };
    },
    async selectProvider(request: RoutingRequest): Promise<StepDecision> {
      return selectProvider(await inputsFor(request));
    },
    async selectModel(request: RoutingRequest): Promise<StepDecision> {
      return selectModel(await inputsFor(request));
    },
    async selectAccount(request: RoutingRequest): Promise<StepDecision> {
      return selectAccount(await inputsFor(request));
    },
    /** Chooses the region, then takes the route's quota (and half-open trial) atomically. */
    async selectRegion(request: RoutingRequest): Promise<RegionStepOutput> {
      const inputs = await inputsFor(request);
      const decision = selectRegion(inputs);
      const tokens = request.needs.estimatedPromptTokens + request.needs.maxOutputTokens;
      const provider = getConfig().providers.find((candidate) => candidate.id === request.chosen.provider);
      const attemptTimeoutMs = provider?.timeoutMs ?? 60_000;
      for (const region of [decision.choice, ...decision.alternatives].filter((name): name is string => name !== undefined)) {
        const candidate = narrowCandidates(inputs.candidates, { region }).sort((left, right) => left.tier - right.tier || left.priority - right.priority)[0]!;
        if (!(await store.claimTrial(candidate.key, inputs.now))) {
          decision.skipped.push({ candidate: region, reason: 'circuit_open', detail: 'half-open trial already in flight' });
          continue;
        }
        const reservationId = await store.reserve(candidate.key, { rpm: candidate.rpm, tpm: candidate.tpm }, tokens, inputs.now);
        if (!reservationId) {
          await store.releaseTrial(candidate.key);
          decision.skipped.push({ candidate: region, reason: 'no_quota', detail: 'taken by concurrent requests' });
          continue;
        }
        const alternatives = decision.alternatives.filter((name) => name !== region);
        return { decision: { ...decision, choice: region, alternatives }, route: candidate.route, reservationId, attemptTimeoutMs };
      }
      const { choice: _choice, ...rest } = decision;
      return { decision: { ...rest, alternatives: [] }, attemptTimeoutMs };
    },
  };
}
