import {
  type ActivityOptions,
  ApplicationFailure,
  TimeoutFailure,
  isCancellation,
  patched,
  setCurrentDetails,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { RegionStepOutput, RoutingPolicyOutput } from '../activities/selection-activities';
import type { InvokeRouteOutput } from '../activities/invoke-route-activity';
import {
  gatewayErrorTypes,
  isGatewayErrorType,
  nextRouteFirstErrorTypes,
  type GatewayErrorType,
} from '../providers/gateway-error-types';
import { sameRouteRetryLimitMs, type AttemptFailureDetails } from '../providers/provider-error';
import { waitFits, waitJitterMs } from '../routing/deferral';
import { accountKey, describeRoute, routeKey, type Route } from '../routing/route';
import type { StepDecision } from '../routing/routing-types';
import { callLocally, failureCause, sameRouteBackoffMs } from './call-locally';
import { fail, recordOutcome, sessionOutcome, whyNoRoute, type Patches } from './decision-outcome';
import {
  embedRoute,
  invokeRoute,
  invokeRouteStream,
  localInvoke,
  quotaResetMs,
  readBudget,
  selectAccount,
  selectModel,
  selectProvider,
  selectRegion,
} from './inference-activities';
import type {
  AttemptRecord,
  DecisionRecord,
  EmbeddingInferenceInput,
  EmbeddingInferenceResult,
  InferenceInput,
  InferenceResult,
  WaitRecord,
} from './inference-types';

/** A chat or an embedding inference: the chain is the same, only the call on the chosen route differs. */
export type AnyInferenceInput = InferenceInput | EmbeddingInferenceInput;
export type AnyInferenceResult = Omit<InferenceResult, 'response'> & {
  response: InferenceResult['response'] | EmbeddingInferenceResult['response'];
};
type AnyInvokeOutput = Omit<InvokeRouteOutput, 'response'> & { response: AnyInferenceResult['response'] };

/** Errors that say this account, not the request, is the problem: skip the whole account. */
const accountErrors: readonly string[] = ['Authentication', 'PermissionDenied', 'QuotaExhausted'];
/**
 * Errors that make an inference "merely out of quota". Since the patch below, an account's
 * exhausted billing quota is not one: it does not lift by itself, so it is never reported as a
 * rate limit with a Retry-After.
 */
const quotaErrors: readonly string[] = ['RateLimited', 'QuotaExhausted'];
const quotaErrorsSinceAccountPatch: readonly string[] = ['RateLimited'];

/**
 * Durable waits: the shortest, the longest back-off between quota waits (each consecutive one
 * doubles from the shortest, so a provider that keeps saying 429 is not asked again every second),
 * and how many one inference may take before it gives up.
 */
const minimumWaitMs = 1_000;
const maximumBackoffMs = 60_000;
const maximumWaits = 100;

/** Where a cycle starts: the start of the inference, or the end of its last durable wait. */
interface Cycle {
  attempts: number;
  selections: number;
  rounds: number;
}

/**
 * A route set aside after an error whose rule is "next route first" (overloaded, timed out) while
 * its class still allowed a same-route call: tried again only when no other route is eligible.
 */
interface SecondChance {
  key: string;
  outcome: string;
  retryAfterMs?: number;
  calls: number;
}

/** What the four selection steps of one round found. */
export type Selection =
  | { kind: 'route'; route: Route; region: RegionStepOutput }
  /** The provider step found no eligible route at all. */
  | { kind: 'no_provider' }
  /** The tenant's budget cannot pay for this request on any route left. */
  | { kind: 'over_budget'; resetsAt: number; message: string }
  /** A later step found nothing (a race for the last quota): the next round selects again. */
  | { kind: 'none' };

/** One route attempt: its answer, or the failure that ended it. */
export type Attempt = { route: Route; startedAt: string } & (
  { kind: 'success'; outcome: AnyInvokeOutput } | { kind: 'failure'; error: unknown; localCalls: number }
);

/**
 * The state of one inference's fallback chain, and its named steps: select a route (provider →
 * model → account → region), invoke it, classify the failure, and go on or end. The workflow
 * (`runChain`) reads top to bottom over these; each step's commands are those the workflow has
 * always made, in the same order, which the recorded histories prove.
 */
export class InferenceChain {
  readonly decision: DecisionRecord;
  /** Routes (or whole accounts) already tried in this cycle. */
  private readonly excluded: string[] = [];
  private readonly secondChances: SecondChance[] = [];
  /** Limits on routes, calls and rounds count from the start of the current cycle. */
  private cycle: Cycle = { attempts: 0, selections: 0, rounds: 0 };
  private previousCycle: Cycle = this.cycle;
  private budget: InferenceInput['budget'];
  private readonly startedAt: number;
  private readonly policy: RoutingPolicyOutput['policy'];
  /** Runs recorded before local calls existed replay with activities. */
  private readonly invokeLocally: boolean;

  constructor(
    private readonly input: AnyInferenceInput,
    private readonly patches: Patches,
    { policy, policyVersion }: RoutingPolicyOutput,
    /** When the inference started, before its policy was read: the deadline counts from here. */
    startedAt: number,
  ) {
    this.startedAt = startedAt;
    this.policy = policy;
    this.budget = input.budget;
    this.invokeLocally = policy.invoke === 'local' && patches('invoke-local-activity');
    this.decision = {
      context: {
        tenant: input.tenant,
        keyId: input.keyId,
        feature: input.feature,
        session: input.session,
        modelGroup: input.modelGroup,
      },
      trafficClass: input.trafficClass,
      policyVersion,
      ...(input.budget && { budget: input.budget }),
      ...(input.traceId && { traceId: input.traceId }),
      ...(input.guardrails?.verdicts.length && { guardrails: input.guardrails.verdicts }),
      selections: [],
      attempts: [],
    };
  }

  /** Whether admission deferred this inference to the next budget period (see waitIfDeferred). */
  get deferred(): boolean {
    return Boolean(this.budget?.deferredUntil);
  }

  /** Admitted while the budget refuses: a deferrable class waits for the next budget period first. */
  async waitIfDeferred(): Promise<void> {
    const { budget, input } = this;
    if (!budget?.deferredUntil) return;
    await this.waitForBudget(
      Date.parse(budget.deferredUntil),
      `The tenant's budget refuses ${input.trafficClass} traffic until ${budget.deferredUntil} (the ${budget.period === 'day' ? 'daily' : 'monthly'} budget is ${Math.floor(budget.spent * 100)}% spent)`,
    );
  }

  /**
   * Starts a round and says which of the class's limits, if any, it has reached in this cycle.
   * Rounds are bounded separately from attempts: a round can end without a call when concurrent
   * inferences take the last quota between two steps.
   */
  startRound(): 'max_rounds' | 'max_routes' | 'max_attempts' | undefined {
    const { cycle, policy, decision } = this;
    cycle.rounds += 1;
    if (cycle.rounds > policy.maxRoutes * 3) return 'max_rounds';
    if (decision.attempts.length - cycle.attempts >= policy.maxRoutes) return 'max_routes';
    if (this.callsSince(cycle.attempts) >= policy.maxAttempts) return 'max_attempts';
    return undefined;
  }

  pastDeadline(): boolean {
    return Date.now() - this.startedAt >= this.policy.deadlineMs;
  }

  /** The four selection steps, each a local activity; a step that finds nothing ends the round. */
  async select(round: number): Promise<Selection> {
    const { input, decision } = this;
    const base = this.routing();
    const steps: StepDecision[] = [];
    decision.selections.push({ round, steps });
    // After a failed attempt the summary says why the chain goes on: the UI shows a local
    // activity's summary but not whether it failed.
    const previous = decision.attempts.at(-1);
    const after =
      previous && previous.outcome !== 'success'
        ? ` after attempt ${decision.attempts.length} failed with ${previous.outcome}`
        : '';
    const provider = await selectProvider.executeWithOptions(
      { summary: `${input.modelGroup}: choose provider${input.session ? ' (sticky session)' : ''}${after}` },
      [{ ...base, session: input.session, chosen: {} }],
    );
    steps.push(provider);
    if (provider.sticky && round === 1) decision.session = { boundTo: provider.sticky.route, moved: false };
    if (!provider.choice) return { kind: 'no_provider' };
    // The later steps honour the binding the provider step read (and a critical session's floor).
    const request = {
      ...base,
      preferredRoute: provider.sticky?.usable ? provider.sticky.route : undefined,
      minQuality: provider.sticky?.minQuality,
    };
    const model = await selectModel.executeWithOptions({ summary: `${provider.choice}: choose model` }, [
      { ...request, chosen: { provider: provider.choice } },
    ]);
    steps.push(model);
    if (!model.choice) return { kind: 'none' };
    const account = await selectAccount.executeWithOptions(
      { summary: `${provider.choice}/${model.choice}: choose account` },
      [{ ...request, chosen: { provider: provider.choice, model: model.choice } }],
    );
    steps.push(account);
    if (!account.choice) return { kind: 'none' };
    const region = await selectRegion.executeWithOptions(
      { summary: `${provider.choice}/${model.choice} (${account.choice}): choose region` },
      [{ ...request, chosen: { provider: provider.choice, model: model.choice, account: account.choice } }],
    );
    steps.push(region.decision);
    if (region.budgetExceeded)
      return {
        kind: 'over_budget',
        resetsAt: region.budgetResetsAt ?? Number.POSITIVE_INFINITY,
        message: region.budgetExceeded,
      };
    return region.route ? { kind: 'route', route: region.route, region } : { kind: 'none' };
  }

  /**
   * No route is eligible: overloaded or timed out routes get their same-route call once more, if
   * the class allows it (runs recorded before this rule end here); otherwise the chain ends, or
   * waits when every route is merely out of quota.
   */
  async retrySetAsideOrEnd(): Promise<void> {
    const { secondChances, excluded } = this;
    if (secondChances.length > 0 && this.patches('same-route-when-no-other')) {
      const again = secondChances.splice(0);
      for (const { key } of again) excluded.splice(excluded.indexOf(key), 1);
      const delayMs = Math.max(...again.map(({ retryAfterMs, calls }) => retryAfterMs || sameRouteBackoffMs(calls)));
      await sleep(delayMs, {
        summary: `no other route is eligible: try again after ${again.map(({ outcome }) => outcome).join(', ')} in ${delayMs} ms`,
      });
      return;
    }
    await this.endOrWait('no_route');
  }

  /** One route attempt: a local activity per call (the workflow retries), or an activity (Temporal retries). */
  async invoke({ route, region }: Extract<Selection, { kind: 'route' }>): Promise<Attempt> {
    const { input, decision, cycle, policy } = this;
    const callsLeft = Math.min(policy.attemptsPerRoute, policy.maxAttempts - this.callsSince(cycle.attempts));
    const startedAt = new Date().toISOString();
    const summary = `attempt ${decision.attempts.length + 1}: ${describeRoute(route)}`;
    // Shown live in the Temporal UI ("current details"); not part of the history.
    setCurrentDetails(summary);
    const booking = {
      route,
      reservationId: region.reservationId,
      spend: region.spend,
      // Fallbacks count within the cycle: attempts before a durable wait are not fallbacks.
      tenant: {
        id: input.tenant,
        modelGroup: input.modelGroup,
        feature: input.feature,
        session: input.session,
        fallbacks: decision.attempts.length - cycle.attempts,
      },
    };
    const startToCloseTimeout = region.attemptTimeoutMs + 5_000;
    /** Calls made on this route by the local path (the activity path reads Temporal's attempt). */
    let localCalls = 0;
    const call = <I, O extends AnyInvokeOutput>(
      local: { executeWithOptions(options: { startToCloseTimeout: number; summary: string }, args: [I]): Promise<O> },
      remote: { executeWithOptions(options: ActivityOptions, args: [I]): Promise<O> },
      invokeInput: I,
    ): Promise<O> =>
      this.invokeLocally
        ? callLocally(local, { startToCloseTimeout, summary }, invokeInput, callsLeft, (calls) => (localCalls = calls))
        : remote.executeWithOptions(
            {
              startToCloseTimeout,
              // The activity heartbeats while it waits: a dead worker is noticed in seconds, and a
              // cancellation reaches the provider call.
              heartbeatTimeout: '10s',
              summary,
              retry: { maximumAttempts: callsLeft },
            },
            [invokeInput],
          );
    try {
      // An embedding inference calls `embedRoute`; a streaming one the streaming variant, whose
      // tokens go to the API outside history. Chat inputs take the same commands as before.
      const outcome: AnyInvokeOutput =
        input.operation === 'embeddings'
          ? await call(localInvoke.embedRoute, embedRoute, { ...booking, request: input.request })
          : await call(
              input.stream ? localInvoke.invokeRouteStream : localInvoke.invokeRoute,
              input.stream ? invokeRouteStream : invokeRoute,
              // An answer meets its output checks in the call (a stream's piece by piece, or held), so
              // the history holds it masked and the verdicts.
              {
                ...booking,
                request: input.request,
                ...(input.guardrails?.policies.length && {
                  guardrails: input.guardrails.policies,
                  ...(input.stream && { guardrailStream: input.guardrails.holdStream ? 'hold' : 'flow' }),
                }),
              },
            );
      return { kind: 'success', route, startedAt, outcome };
    } catch (error) {
      return { kind: 'failure', route, startedAt, error, localCalls };
    }
  }

  /** Records the served attempt and where the inference ended. */
  succeed({ route, startedAt, outcome }: Extract<Attempt, { kind: 'success' }>): AnyInferenceResult {
    const { input, decision, cycle } = this;
    const tokens = { prompt: outcome.response.usage.promptTokens, completion: outcome.response.usage.completionTokens };
    decision.attempts.push({
      route,
      startedAt,
      calls: outcome.attempt,
      latencyMs: outcome.latencyMs,
      ...(outcome.ttftMs !== undefined && { ttftMs: outcome.ttftMs }),
      tokens,
      ...(outcome.cost !== undefined && { cost: outcome.cost }),
      outcome: 'success',
    });
    const fallbacks = decision.attempts.length - cycle.attempts - 1;
    if (input.session) decision.session = sessionOutcome(decision, routeKey(route));
    setCurrentDetails(
      `${input.modelGroup} → ${route.provider}/${route.model} in ${route.region}${fallbacks > 0 ? ` after ${fallbacks} fallback${fallbacks > 1 ? 's' : ''}` : ''}`,
    );
    if (outcome.guardrails?.verdicts.length)
      decision.guardrails = [...(decision.guardrails ?? []), ...outcome.guardrails.verdicts];
    recordOutcome(this.patches, 'success', decision, fallbacks);
    return {
      response: outcome.response,
      route,
      attempts: this.callsSince(),
      fallback: fallbacks > 0,
      decision,
      ...(outcome.guardrails && {
        outputGuardrails: { ...(outcome.guardrails.refused && { refused: outcome.guardrails.refused }) },
      }),
    };
  }

  /**
   * Classifies a failed attempt and records it: a cancellation, a broken stream or a deterministic
   * error ends the chain at once; a transient one sets the route (or its account) aside, and the
   * chain goes on.
   */
  classify({ route, startedAt, error, localCalls }: Extract<Attempt, { kind: 'failure' }>): void {
    const { input, decision, patches } = this;
    const cause = failureCause(error);
    // `Cancelled`: the API's cancel signal aborted the call before Temporal's cancellation came.
    if (isCancellation(error) || (cause instanceof ApplicationFailure && cause.type === 'Cancelled')) {
      // The API cancels the workflow when its client disconnects; the activity's cancellation
      // signal has aborted the provider call by the time this runs.
      decision.attempts.push({ route, startedAt, calls: Math.max(1, localCalls), outcome: 'Cancelled' });
      decision.end = 'cancelled by client';
      fail(patches, 'Cancelled', 'The inference was cancelled by the client', {
        route,
        attempts: this.callsSince(),
        decision,
      });
    }
    if (cause instanceof TimeoutFailure) {
      // The attempt outlived its timeout (a hung provider, or a worker that died mid-call):
      // a transient failure of this route, so the chain goes on.
      if (
        input.stream &&
        (cause.lastHeartbeatDetails as { partialOutputSent?: boolean } | undefined)?.partialOutputSent
      ) {
        // …unless it had streamed content to the client: nothing can continue that answer.
        decision.attempts.push({ route, startedAt, calls: 1, outcome: 'StreamInterrupted' });
        fail(patches, 'StreamInterrupted', 'The streaming attempt timed out after its first token', {
          route,
          attempts: this.callsSince(),
          decision,
        });
      }
      decision.attempts.push({ route, startedAt, calls: Math.max(1, localCalls), outcome: 'Timeout' });
      this.excluded.push(routeKey(route));
      this.noteSecondChance(route, 'Timeout');
      return;
    }
    if (!(cause instanceof ApplicationFailure)) throw error;
    const type = cause.type ?? 'ServerError';
    const [details] = (cause.details ?? []) as Array<Partial<AttemptFailureDetails> | undefined>;
    const calls = this.invokeLocally ? localCalls : (details?.attempt ?? 1);
    const attempt: AttemptRecord = {
      route,
      startedAt,
      calls,
      outcome: type,
      status: details?.status,
      retryAfterMs: details?.retryAfterMs,
      ...(details?.ttftMs !== undefined && { ttftMs: details.ttftMs }),
    };
    decision.attempts.push(attempt);
    const known = isGatewayErrorType(type) ? gatewayErrorTypes[type] : undefined;
    // A stream that broke after content reached the client cannot be hidden by another route.
    if ((known && !known.transient && !known.anotherRouteCanHelp) || details?.partialOutputSent) {
      // No other route can fix this request: fail fast with the provider's error class.
      fail(patches, type, cause.message, {
        route,
        status: details?.status,
        providerCode: details?.providerCode,
        attempts: this.callsSince(),
        decision,
      });
    }
    this.excluded.push(accountErrors.includes(type) ? accountKey(route) : routeKey(route));
    // A route whose circuit this failure opened gets no second chance.
    if (!details?.circuitOpen) this.noteSecondChance(route, type, details?.retryAfterMs);
  }

  /** Provider calls made since attempt `from` (all of them by default), Temporal retries included. */
  callsSince(from = 0): number {
    return this.decision.attempts.slice(from).reduce((sum, attempt) => sum + attempt.calls, 0);
  }

  private noteSecondChance(route: Route, outcome: string, retryAfterMs?: number): void {
    if (!nextRouteFirstErrorTypes.includes(outcome as GatewayErrorType)) return;
    if (retryAfterMs !== undefined && retryAfterMs > sameRouteRetryLimitMs) return;
    const key = routeKey(route);
    const calls = this.decision.attempts
      .slice(this.cycle.attempts)
      .filter((attempt) => routeKey(attempt.route) === key)
      .reduce((sum, attempt) => sum + attempt.calls, 0);
    if (calls < this.policy.attemptsPerRoute)
      this.secondChances.push({ key, outcome, calls, ...(retryAfterMs !== undefined && { retryAfterMs }) });
  }

  /**
   * "Merely out of quota" in this cycle, whether only by rate limits that lift by themselves (not
   * an account's exhausted billing quota), and the providers' Retry-After hints.
   */
  private quotaOnly(reason: string): { only: boolean; passing: boolean; hints: number[] } {
    const { decision, cycle, previousCycle } = this;
    // Every attempt hit a quota error and no route was ruled out as unhealthy. Routes skipped for
    // capability or policy could never have served, so they do not count; neither does losing
    // reservation races to concurrent inferences (max_rounds).
    // A cycle that has not run a selection yet (the deadline came right after a wait) is judged by the one before.
    const from = decision.selections.length > cycle.selections ? cycle : previousCycle;
    const attempts = decision.attempts.slice(from.attempts);
    const skips = decision.selections
      .slice(from.selections)
      .flatMap((selection) => selection.steps.flatMap((step) => step.skipped));
    const sawQuota = attempts.length > 0 || skips.some((skip) => skip.reason === 'no_quota') || reason === 'max_rounds';
    // An account set aside for its credentials or billing rules a route out, like an open circuit.
    const quota =
      attempts.some((attempt) => attempt.outcome === 'QuotaExhausted') ||
      skips.some((skip) => skip.reason === 'account_unavailable')
        ? this.patches('account-errors-are-not-quota')
          ? quotaErrorsSinceAccountPatch
          : quotaErrors
        : quotaErrors;
    const ruledOut = skips.some((skip) => skip.reason === 'circuit_open' || skip.reason === 'account_unavailable');
    const only = sawQuota && attempts.every((attempt) => quota.includes(attempt.outcome)) && !ruledOut;
    const passing = attempts.every((attempt) => attempt.outcome === 'RateLimited');
    return {
      only,
      passing,
      hints: attempts.map((attempt) => attempt.retryAfterMs).filter((hint): hint is number => hint !== undefined),
    };
  }

  /**
   * Ends the chain. `resetMs` is when the routes' quota returns, read from the route state, for a
   * refusal whose attempts gave no Retry-After (every route skipped as cooling down or out of its
   * window): without it the refusal says one second.
   */
  end(reason: string, resetMs?: number | null): never {
    const { decision, input, patches } = this;
    decision.end = reason;
    const why = whyNoRoute(decision);
    if (why) decision.endDetail = why;
    const calls = this.callsSince();
    const quota = this.quotaOnly(reason);
    if (quota.only) {
      const retryAfterMs = quota.hints.length > 0 ? Math.min(...quota.hints) : Math.max(minimumWaitMs, resetMs ?? 0);
      fail(patches, 'RateLimited', `Every route for ${input.modelGroup} is out of quota right now`, {
        attempts: calls,
        retryAfterMs,
        decision,
      });
    }
    const tried = decision.attempts.map((attempt) => `${describeRoute(attempt.route)}: ${attempt.outcome}`).join('; ');
    fail(
      patches,
      'AllRoutesExhausted',
      `All routes for ${input.modelGroup} were exhausted (${reason}${why ? `; ${why}` : ''})${tried ? `: ${tried}` : ''}`,
      { attempts: calls, decision },
    );
  }

  /** Ends the chain, unless every route is merely out of quota and the class may wait for it. */
  async endOrWait(reason: string): Promise<void> {
    const { input } = this;
    const quota = this.quotaOnly(reason);
    const readResetMs = () =>
      quotaResetMs.executeWithOptions({ summary: `${input.modelGroup}: when does quota return` }, [
        { ...this.routing(), chosen: {} },
      ]);
    let resetMs: number | null | undefined;
    if (quota.only && quota.passing && this.mayWait()) {
      resetMs = quota.hints.length > 0 ? Math.min(...quota.hints) : await readResetMs();
      const quotaWaits = (this.decision.waits ?? []).filter((wait) => wait.reason === 'quota').length;
      const backoffMs = Math.min(maximumBackoffMs, minimumWaitMs * 2 ** quotaWaits);
      if (
        resetMs !== null &&
        (await this.waitDurably(
          'quota',
          Math.max(resetMs, backoffMs),
          `every route for ${input.modelGroup} is out of quota (${reason})`,
        ))
      )
        return;
    }
    // A refusal for quota with no provider hint says when the route state lets a route serve again
    // (runs recorded before this change said one second).
    if (quota.only && quota.hints.length === 0 && patched('quota-refusal-reads-reset')) {
      this.end(reason, resetMs === undefined ? await readResetMs() : resetMs);
    }
    this.end(reason);
  }

  /** Waits for the tenant's budget to start afresh, re-reading it after each wait; refuses when it cannot wait. */
  async waitForBudget(resetsAt: number, message: string): Promise<void> {
    const { input, decision, policy, patches } = this;
    for (;;) {
      // Spread over a few minutes, so that deferred work does not all start at the same instant.
      if (
        !this.mayWait() ||
        !(await this.waitDurably(
          'budget',
          resetsAt - Date.now() + waitJitterMs(workflowInfo().workflowId, policy.deadlineMs),
          message,
        ))
      ) {
        decision.end = 'budget';
        // An explicit, audited refusal: never a quiet switch to another (dearer or cheaper) route.
        // Like a refusal at admission, it says when the budget's period starts afresh.
        const retryAfterMs = Number.isFinite(resetsAt) ? Math.max(1_000, resetsAt - Date.now()) : undefined;
        fail(patches, 'BudgetExceeded', message, {
          attempts: this.callsSince(),
          decision,
          ...(retryAfterMs !== undefined && { retryAfterMs }),
        });
      }
      const fresh = await readBudget.executeWithOptions({ summary: `${input.tenant}: read budget after the wait` }, [
        { tenant: input.tenant, trafficClass: input.trafficClass },
      ]);
      if (!fresh.refusal) {
        this.budget = fresh.tier;
        if (fresh.tier) decision.budget = fresh.tier;
        return;
      }
      ({ resetsAt, message } = fresh.refusal);
    }
  }

  /** Whether this inference may wait durably: its class defers (and the run has this code). */
  private mayWait(): boolean {
    return this.policy.defer === true && this.patches('durable-deferral');
  }

  /**
   * Waits on a Temporal timer, recorded in the decision record, when the wait ends before the
   * deadline; then starts a new cycle with every route eligible again. False when it cannot wait.
   */
  private async waitDurably(reason: WaitRecord['reason'], waitMs: number, detail: string): Promise<boolean> {
    const { decision, policy } = this;
    const now = Date.now();
    const waits = (decision.waits ??= []);
    const duration = Math.max(minimumWaitMs, Math.ceil(waitMs));
    // The wait must leave the attempts time before the deadline.
    if (!waitFits(now - this.startedAt, duration, policy.deadlineMs) || waits.length >= maximumWaits) return false;
    const until = new Date(now + duration).toISOString();
    waits.push({ reason, from: new Date(now).toISOString(), until, detail });
    setCurrentDetails(`waiting until ${until}: ${detail}`);
    await sleep(duration, { summary: `wait ${waits.length}: ${reason} until ${until}` });
    this.previousCycle = this.cycle;
    this.cycle = { attempts: decision.attempts.length, selections: decision.selections.length, rounds: 0 };
    this.excluded.length = 0;
    return true;
  }

  /** What every selection step of this cycle is asked: the group, the class, the needs, the routes set aside. */
  private routing() {
    const { input } = this;
    return {
      modelGroup: input.modelGroup,
      trafficClass: input.trafficClass,
      needs: input.needs,
      allowedProviders: input.allowedProviders,
      residency: input.residency,
      excluded: [...this.excluded],
      tenant: input.tenant,
      budget: this.budget,
    };
  }
}
