import { ApplicationFailure } from '@temporalio/common';
import type { GatewayConfig, TrafficClassName, TrafficClassPolicy } from '../config/gateway-config-schema';
import { policyVersion, trafficClassPolicy } from '../config/traffic-class-policy';
import { routeCandidates, UnknownModelGroupError } from '../routing/route-candidates';
import type { Route } from '../routing/route';
import { assessCandidate, estimatedCost } from '../routing/assess-candidate';
import type { BudgetTier } from '../routing/budget-tier';
import { annotateStepSpan } from '../observability/span-attributes';
import type {
  RequestNeeds,
  RouteCandidate,
  RoutingContext,
  StepDecision,
  StickyBinding,
} from '../routing/routing-types';
import {
  narrowCandidates,
  selectAccount,
  selectModel,
  selectProvider,
  selectRegion,
  type StepInputs,
} from '../routing/selection-steps';
import { budgetPeriods, type BudgetPeriod } from '../state/budget-periods';
import type { GatewayStateStore } from '../state/route-state-store';
import { sessionBindingKey, type SpendPeriod } from '../state/tenant-state-store';
import { stepReservationId } from './step-reservation-id';

export interface RoutingRequest {
  modelGroup: string;
  trafficClass: TrafficClassName;
  needs: RequestNeeds;
  allowedProviders?: string[];
  residency?: string;
  excluded: string[];
  chosen: { provider?: string; model?: string; account?: string };
  tenant?: string;
  /** The session whose binding the provider step reads. */
  session?: string;
  /** The bound route and quality floor the provider step found, passed on to the later steps. */
  preferredRoute?: string;
  minQuality?: number;
  budget?: BudgetTier;
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
  /** The tenant's spend reservation for the call's estimated cost, settled after the call. */
  spend?: { reservationId?: string; periods: SpendPeriod[] };
  /** Set when the tenant's budget cannot pay for this request on any route left. */
  budgetExceeded?: string;
  /** With `budgetExceeded`: when the periods that refused start afresh (epoch ms). */
  budgetResetsAt?: number;
  attemptTimeoutMs: number;
}

/** How long a request blocked only by other calls' in-flight spend reservations waits before it tries again. */
const inFlightSettleMs = 10_000;

export function createSelectionActivities(getConfig: () => GatewayConfig, store: GatewayStateStore) {
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
      if (error instanceof UnknownModelGroupError)
        throw ApplicationFailure.create({ type: 'ModelNotFound', message: error.message, nonRetryable: true });
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
      ...(request.preferredRoute && { preferredRoute: request.preferredRoute }),
      ...(request.minQuality !== undefined && { minQuality: request.minQuality }),
      ...(request.budget?.effect === 'downgrade' && { budgetDowngrade: true }),
    };
    return { candidates: narrowCandidates(candidates, request.chosen), context };
  }

  /** The session's bound route, whether it can serve now, and (critical traffic) its quality floor. */
  async function readSticky(request: RoutingRequest): Promise<StickyBinding | undefined> {
    const config = getConfig();
    const bound = await store.readBinding(
      sessionBindingKey(request.tenant!, request.modelGroup, request.session!),
      config.routing.sticky.ttlSeconds * 1000,
    );
    if (!bound) return undefined;
    const { candidates, context } = candidatesFor(request);
    const candidate = candidates.find((item) => item.key === bound);
    if (!candidate) return { route: bound, usable: false, reason: 'route no longer configured for this model group' };
    const now = Date.now();
    const state = (await store.snapshot([bound], now))[bound];
    const primaryQuality = Math.max(...candidates.filter((item) => item.tier === 0).map((item) => item.groupQuality));
    const skip = assessCandidate(candidate, context, state, primaryQuality, now);
    const minQuality = request.trafficClass === 'critical' ? candidate.groupQuality : undefined;
    return {
      route: bound,
      usable: !skip,
      ...(skip && { reason: skip.detail ? `${skip.reason}: ${skip.detail}` : skip.reason }),
      ...(minQuality !== undefined && { minQuality }),
    };
  }

  /**
   * When the budget could take `cost`: undefined when it never can (the cost is more than a whole
   * period's limit); soon when only other calls' in-flight reservations stand in the way, since
   * they settle within an attempt; otherwise when the last refusing period starts afresh.
   */
  async function refusingPeriodsReset(periods: BudgetPeriod[], cost: number, now: number): Promise<number | undefined> {
    const statuses = await store.readSpend(periods, now);
    const refusing = periods
      .map((period, index) => ({ period, status: statuses[index]! }))
      .filter(({ status }) => status.committed + status.reserved + cost > status.limit);
    if (refusing.some(({ status }) => cost > status.limit)) return undefined;
    if (refusing.every(({ status }) => status.committed + cost <= status.limit)) return now + inFlightSettleMs;
    return Math.max(...refusing.map(({ period }) => period.resetsAt));
  }

  /** The step's decision, after naming its choice on the step's span (when traced). */
  function annotated(decision: StepDecision): StepDecision {
    annotateStepSpan(decision);
    return decision;
  }

  async function inputsFor(request: RoutingRequest): Promise<StepInputs & { candidates: RouteCandidate[] }> {
    const { candidates, context } = candidatesFor(request);
    const now = Date.now();
    return {
      candidates,
      context,
      state: await store.snapshot(
        candidates.map((candidate) => candidate.key),
        now,
      ),
      now,
    };
  }

  return {
    async routingPolicy({ trafficClass }: { trafficClass: TrafficClassName }): Promise<RoutingPolicyOutput> {
      const config = getConfig();
      return { policy: trafficClassPolicy(config, trafficClass), policyVersion: policyVersion(config) };
    },
    /** Chooses the provider; with a session, first reads its binding (sliding its TTL). */
    async selectProvider(request: RoutingRequest): Promise<StepDecision> {
      const sticky = request.session && request.tenant ? await readSticky(request) : undefined;
      const inputs = await inputsFor({
        ...request,
        preferredRoute: sticky?.usable ? sticky.route : undefined,
        minQuality: sticky?.minQuality,
      });
      return annotated({ ...selectProvider(inputs), ...(sticky && { sticky }) });
    },
    async selectModel(request: RoutingRequest): Promise<StepDecision> {
      return annotated(selectModel(await inputsFor(request)));
    },
    async selectAccount(request: RoutingRequest): Promise<StepDecision> {
      return annotated(selectAccount(await inputsFor(request)));
    },
    /** Chooses the region, then takes the route's quota (and half-open trial) atomically. */
    async selectRegion(request: RoutingRequest): Promise<RegionStepOutput> {
      const inputs = await inputsFor(request);
      const decision = selectRegion(inputs);
      const tokens = request.needs.estimatedPromptTokens + request.needs.maxOutputTokens;
      const provider = getConfig().providers.find((candidate) => candidate.id === request.chosen.provider);
      const attemptTimeoutMs = provider?.timeoutMs ?? 60_000;
      let budgetExceeded: string | undefined;
      let budgetResetsAt: number | undefined;
      for (const region of [decision.choice, ...decision.alternatives].filter(
        (name): name is string => name !== undefined,
      )) {
        const candidate = narrowCandidates(inputs.candidates, { region }).sort(
          (left, right) => left.tier - right.tier || left.priority - right.priority,
        )[0]!;
        if (!(await store.claimTrial(candidate.key, inputs.now))) {
          decision.skipped.push({
            candidate: region,
            reason: 'circuit_open',
            detail: 'half-open trial already in flight',
          });
          continue;
        }
        const periods = request.tenant ? budgetPeriods(getConfig(), request.tenant, inputs.now) : [];
        const cost = estimatedCost(candidate, inputs.context) ?? 0;
        let spendReservationId: string | undefined;
        if (periods.length > 0 && cost > 0) {
          spendReservationId = await store.reserveSpend(periods, cost, inputs.now, stepReservationId());
          if (!spendReservationId) {
            await store.releaseTrial(candidate.key);
            decision.skipped.push({
              candidate: region,
              reason: 'budget',
              detail: `estimated cost ${cost.toFixed(6)} does not fit the budget left`,
            });
            budgetExceeded ??= `The tenant's budget left cannot pay for this request (estimated ${cost.toFixed(6)})`;
            budgetResetsAt ??= await refusingPeriodsReset(periods, cost, inputs.now);
            continue;
          }
        }
        const spend =
          periods.length > 0
            ? { spend: { ...(spendReservationId && { reservationId: spendReservationId }), periods } }
            : {};
        const reservationId = await store.reserve(
          candidate.key,
          { rpm: candidate.rpm, tpm: candidate.tpm },
          tokens,
          inputs.now,
        );
        if (!reservationId) {
          if (spendReservationId) await store.settleSpend(periods, spendReservationId, 0, inputs.now);
          await store.releaseTrial(candidate.key);
          decision.skipped.push({ candidate: region, reason: 'no_quota', detail: 'taken by concurrent requests' });
          continue;
        }
        const alternatives = decision.alternatives.filter((name) => name !== region);
        annotateStepSpan({ ...decision, choice: region });
        return {
          decision: { ...decision, choice: region, alternatives },
          route: candidate.route,
          reservationId,
          ...spend,
          attemptTimeoutMs,
        };
      }
      const { choice: _choice, ...rest } = decision;
      annotateStepSpan(rest);
      return {
        decision: { ...rest, alternatives: [] },
        ...(budgetExceeded && { budgetExceeded, budgetResetsAt }),
        attemptTimeoutMs,
      };
    },
    /**
     * How long until a route the request could use has quota again: the nearest end of a provider
     * cool-down or of a full one-minute window. 0 when one has quota now; null when no route's
     * quota returns by itself (every one is held by an account's quota or authentication error).
     */
    async quotaResetMs(request: RoutingRequest): Promise<number | null> {
      const { candidates, context, state, now } = await inputsFor({ ...request, chosen: {}, excluded: [] });
      const primaryQuality = Math.max(...candidates.filter((item) => item.tier === 0).map((item) => item.groupQuality));
      const waits: number[] = [];
      for (const candidate of candidates) {
        const skip = assessCandidate(candidate, context, state[candidate.key], primaryQuality, now);
        if (!skip) return 0;
        if (skip.reason !== 'no_quota' || state[candidate.key]?.accountCoolingDown) continue;
        const coolingDownUntil = state[candidate.key]?.coolingDownUntil;
        waits.push(
          coolingDownUntil !== undefined && coolingDownUntil > now
            ? coolingDownUntil - now
            : await store.windowResetMs(candidate.key, now),
        );
      }
      return waits.length > 0 ? Math.min(...waits) : null;
    },
  };
}
