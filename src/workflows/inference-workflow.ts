import { type ActivityOptions, ActivityFailure, ApplicationFailure, TimeoutFailure, isCancellation, patched, workflowInfo, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import type { GatewayActivities } from '../activities/create-activities';
import type { InvokeRouteOutput } from '../activities/invoke-route-activity';
import { deterministicErrorTypes, gatewayErrorTypes, isGatewayErrorType, nextRouteFirstErrorTypes, type GatewayErrorType } from '../providers/gateway-error-types';
import { sameRouteRetryLimitMs, type AttemptFailureDetails } from '../providers/provider-error';
import { waitFits, waitJitterMs } from '../routing/deferral';
import { accountKey, describeRoute, routeKey, type Route } from '../routing/route';
import type { StepDecision } from '../routing/routing-types';
import type { AttemptRecord, DecisionRecord, EmbeddingInferenceInput, EmbeddingInferenceResult, InferenceFailureDetails, InferenceInput, InferenceResult, WaitRecord } from './inference-types';
import { decisionQuery } from './decision-query';
import { gatewaySearchAttributes as attributes } from './search-attributes';

const { routingPolicy, selectProvider, selectModel, selectAccount, selectRegion, quotaResetMs, readBudget } = proxyLocalActivities<GatewayActivities>({
  startToCloseTimeout: '5s',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['ModelNotFound'] },
});

const { invokeRoute, embedRoute } = proxyActivities<GatewayActivities>({
  startToCloseTimeout: '2m', // replaced per call by the provider's attempt timeout
  // Explicit policy: retry a transient error on the same route (as many calls as the traffic class
  // allows per route), honouring the provider's hint through nextRetryDelay; never retry a
  // deterministic error.
  retry: { initialInterval: '250ms', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes: deterministicErrorTypes },
});

// The streaming variant: the same policy, plus a heartbeat timeout so an attempt whose worker died
// mid-stream is noticed in seconds rather than at its start-to-close timeout.
const { invokeRouteStream } = proxyActivities<GatewayActivities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '250ms', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes: deterministicErrorTypes },
});

// Traffic classes with `invoke: local` call the route as a local activity, so the whole inference
// is one workflow task. Each call is one try: the workflow itself retries a transient error on the
// same route, after the provider's Retry-After or the same back-off as above, on a Temporal timer.
const localInvoke = proxyLocalActivities<GatewayActivities>({
  startToCloseTimeout: '2m', // replaced per call by the provider's attempt timeout
  retry: { maximumAttempts: 1 },
});
const sameRouteRetry = { initialMs: 250, coefficient: 2, maximumMs: 10_000 };

/** Errors that say this account, not the request, is the problem: skip the whole account. */
const accountErrors = new Set(['Authentication', 'PermissionDenied', 'QuotaExhausted']);
/**
 * Errors that make an inference "merely out of quota". Since the patch below, an account's
 * exhausted billing quota is not one: it does not lift by itself, so it is never reported as a
 * rate limit with a Retry-After.
 */
const quotaErrors = new Set(['RateLimited', 'QuotaExhausted']);
const quotaErrorsSinceAccountPatch = new Set(['RateLimited']);

/**
 * Durable waits: the shortest, the longest back-off between quota waits (each consecutive one
 * doubles from the shortest, so a provider that keeps saying 429 is not asked again every second),
 * and how many one inference may take before it gives up.
 */
const minimumWaitMs = 1_000;
const maximumBackoffMs = 60_000;
const maximumWaits = 100;

/**
 * Records where the inference ended in its search attributes, for the UI and the audit list.
 * `fallbacks` defaults to every attempt but the last.
 */
function recordOutcome(patches: Patches, outcome: string, decision: DecisionRecord, fallbacks = decision.attempts.length - 1): void {
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

/** Where the session went: kept on its route, bound for the first time, or moved, and why. */
function sessionOutcome(decision: DecisionRecord, servedBy: string): NonNullable<DecisionRecord['session']> {
  const boundTo = decision.session?.boundTo;
  if (boundTo === undefined) return { servedBy, moved: false, reason: 'first request of the session: bound to this route' };
  if (boundTo === servedBy) return { boundTo, servedBy, moved: false };
  const failed = decision.attempts.find((attempt) => routeKey(attempt.route) === boundTo && attempt.outcome !== 'success');
  const skipped = decision.selections[0]?.steps[0]?.sticky?.reason;
  return { boundTo, servedBy, moved: true, reason: failed ? `the bound route failed with ${failed.outcome}` : (skipped ?? 'the bound route was not chosen') };
}

/**
 * Why the last selection found no route to call, from what its steps skipped (routes already tried
 * aside): for example "account_unavailable: account set aside for 58 s after Authentication error".
 * Names no provider, account or region, so a tenant may read it.
 */
function whyNoRoute(decision: DecisionRecord): string | undefined {
  const last = decision.selections.at(-1);
  if (!last || last.steps.some((step) => step.choice !== undefined && step.step === 'region')) return undefined;
  const reasons = new Set(last.steps.flatMap((step) => step.skipped).filter((skip) => skip.reason !== 'already_tried').map((skip) => (skip.detail ? `${skip.reason}: ${skip.detail}` : skip.reason)));
  return reasons.size > 0 ? [...reasons].join('; ') : undefined;
}

/** Why a provider call failed: an activity's failure wraps it, a local activity's is the cause itself. */
function failureCause(error: unknown): unknown {
  return error instanceof ActivityFailure ? error.cause : error;
}

/**
 * Calls a route as local activities, one per try, retrying a transient error on the same route up
 * to `callsLeft` calls in all: after the provider's Retry-After (a failure carrying a hint longer
 * than the same-route limit is non-retryable), else after an exponential back-off. Reports each
 * try's number through `onCall`, so a failure is recorded with the calls it took.
 */
async function callLocally<I, T>(
  invoke: { executeWithOptions(options: { startToCloseTimeout: number; summary: string }, args: [I]): Promise<T> },
  options: { startToCloseTimeout: number; summary: string },
  invokeInput: I,
  callsLeft: number,
  onCall: (calls: number) => void,
): Promise<T & { attempt: number }> {
  for (let call = 1; ; call++) {
    onCall(call);
    try {
      const outcome = await invoke.executeWithOptions({ ...options, summary: call === 1 ? options.summary : `${options.summary} (call ${call})` }, [invokeInput]);
      return { ...outcome, attempt: call };
    } catch (error) {
      const cause = failureCause(error);
      if (!(cause instanceof ApplicationFailure) || cause.nonRetryable || cause.type === 'Cancelled' || call >= callsLeft) throw error;
      // The failure's decoded form drops its nextRetryDelay; the same hint is in its details.
      const [details] = (cause.details ?? []) as Array<Partial<AttemptFailureDetails> | undefined>;
      const backoffMs = Math.min(sameRouteRetry.maximumMs, sameRouteRetry.initialMs * sameRouteRetry.coefficient ** (call - 1));
      const delayMs = details?.retryAfterMs ? details.retryAfterMs : backoffMs;
      await sleep(delayMs, { summary: `${options.summary} failed with ${cause.type ?? 'an error'}${details?.status ? ` (HTTP ${details.status})` : ''}: retry on the same route in ${delayMs} ms` });
    }
  }
}

function fail(patches: Patches, type: string, message: string, details: InferenceFailureDetails): never {
  setCurrentDetails(`${type} after ${details.decision.attempts.length} route(s): ${message}`);
  recordOutcome(patches, type, details.decision);
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: [details] });
}

/**
 * Whether one of the changes made before `inferenceV2` existed applies to this run: `patched()` for
 * runs of the `inference` type, always for `inferenceV2`, which was born with all of them. A later
 * change of command order calls `patched()` itself, for both types.
 */
type Patches = (patchId: string) => boolean;
const everyPatch: Patches = () => true;

/** A chat or an embedding inference: the chain is the same, only the call on the chosen route differs. */
type AnyInferenceInput = InferenceInput | EmbeddingInferenceInput;
type AnyInferenceResult = Omit<InferenceResult, 'response'> & { response: InferenceResult['response'] | EmbeddingInferenceResult['response'] };
type AnyInvokeOutput = Omit<InvokeRouteOutput, 'response'> & { response: AnyInferenceResult['response'] };

/** One durable inference, whatever type it runs as. */
async function runInference(input: AnyInferenceInput, patches: Patches): Promise<AnyInferenceResult> {
  const audit: { decision?: DecisionRecord } = {};
  try {
    return await chooseAndCall(input, audit, patches);
  } catch (error) {
    // The API cancels the workflow when its client disconnects. Wherever that lands (a selection
    // step, a wait, a provider call), the inference ends with its decision record and says why.
    if (!isCancellation(error) || !audit.decision) throw error;
    const { decision } = audit;
    decision.end = 'cancelled by client';
    fail(patches, 'Cancelled', 'The inference was cancelled by the client', { attempts: decision.attempts.reduce((sum, attempt) => sum + attempt.calls, 0), decision });
  }
}

/**
 * One durable inference: choose a route in four steps (provider → model → account → region), call
 * it, and on failure walk the fallback chain until success or the traffic class's explicit end.
 * Every new inference runs as this type, a chat or (with `operation: "embeddings"`) an embedding
 * one. It makes no `patched()` calls for the changes it was born with: each call costs a marker
 * event and a `TemporalChangeVersion` search-attribute update per inference.
 */
export async function inferenceV2(input: EmbeddingInferenceInput): Promise<EmbeddingInferenceResult>;
export async function inferenceV2(input: InferenceInput): Promise<InferenceResult>;
export async function inferenceV2(input: AnyInferenceInput): Promise<AnyInferenceResult> {
  return runInference(input, everyPatch);
}

/**
 * The first inference type, kept so that runs started as it (and their recorded histories) go on
 * and replay: each change made after them is behind its `patched()` marker.
 */
export async function inference(input: InferenceInput): Promise<InferenceResult> {
  // Chat inputs only (embeddings came after it): the result is a chat answer.
  return (await runInference(input, patched)) as InferenceResult;
}

async function chooseAndCall(input: AnyInferenceInput, audit: { decision?: DecisionRecord }, patches: Patches): Promise<AnyInferenceResult> {
  const startedAt = Date.now();
  // The API sends the policy in the input; inputs recorded before it did read it with a local activity.
  const { policy, policyVersion } = input.routing ?? (await routingPolicy.executeWithOptions({ summary: `routing policy for ${input.trafficClass} traffic` }, [{ trafficClass: input.trafficClass }]));
  const decision: DecisionRecord = {
    context: { tenant: input.tenant, keyId: input.keyId, feature: input.feature, session: input.session, modelGroup: input.modelGroup },
    trafficClass: input.trafficClass,
    policyVersion,
    ...(input.budget && { budget: input.budget }),
    ...(input.traceId && { traceId: input.traceId }),
    ...(input.guardrails?.verdicts.length && { guardrails: input.guardrails.verdicts }),
    selections: [],
    attempts: [],
  };
  audit.decision = decision;
  setHandler(decisionQuery, () => decision);
  // Runs recorded before local calls existed replay with activities.
  const invokeLocally = policy.invoke === 'local' && patches('invoke-local-activity');
  const excluded: string[] = [];
  /**
   * Routes set aside after an error whose rule is "next route first" (overloaded, timed out) while
   * their class still allowed a same-route call: tried again only when no other route is eligible.
   */
  const secondChances: Array<{ key: string; outcome: string; retryAfterMs?: number; calls: number }> = [];
  const noteSecondChance = (route: Route, outcome: string, retryAfterMs?: number): void => {
    if (!nextRouteFirstErrorTypes.includes(outcome as GatewayErrorType)) return;
    if (retryAfterMs !== undefined && retryAfterMs > sameRouteRetryLimitMs) return;
    const key = routeKey(route);
    const calls = decision.attempts.slice(cycle.attempts).filter((attempt) => routeKey(attempt.route) === key).reduce((sum, attempt) => sum + attempt.calls, 0);
    if (calls < policy.attemptsPerRoute) secondChances.push({ key, outcome, calls, ...(retryAfterMs !== undefined && { retryAfterMs }) });
  };
  /** Provider calls made since attempt `from` (all of them by default), Temporal retries included. */
  const callsSince = (from = 0): number => decision.attempts.slice(from).reduce((sum, attempt) => sum + attempt.calls, 0);
  let budget = input.budget;
  // Limits on routes, calls and rounds count from the start of the current cycle: the start of the
  // inference, or the end of its last durable wait.
  let cycle = { attempts: 0, selections: 0, rounds: 0 };
  let previousCycle = cycle;

  /**
   * "Merely out of quota" in this cycle, whether only by rate limits that lift by themselves (not
   * an account's exhausted billing quota), and the providers' Retry-After hints.
   */
  const quotaOnly = (reason: string): { only: boolean; passing: boolean; hints: number[] } => {
    // Every attempt hit a quota error and no route was ruled out as unhealthy. Routes skipped for
    // capability or policy could never have served, so they do not count; neither does losing
    // reservation races to concurrent inferences (max_rounds).
    // A cycle that has not run a selection yet (the deadline came right after a wait) is judged by the one before.
    const from = decision.selections.length > cycle.selections ? cycle : previousCycle;
    const attempts = decision.attempts.slice(from.attempts);
    const skips = decision.selections.slice(from.selections).flatMap((selection) => selection.steps.flatMap((step) => step.skipped));
    const sawQuota = attempts.length > 0 || skips.some((skip) => skip.reason === 'no_quota') || reason === 'max_rounds';
    // An account set aside for its credentials or billing rules a route out, like an open circuit.
    const quota = attempts.some((attempt) => attempt.outcome === 'QuotaExhausted') || skips.some((skip) => skip.reason === 'account_unavailable') ? (patches('account-errors-are-not-quota') ? quotaErrorsSinceAccountPatch : quotaErrors) : quotaErrors;
    const ruledOut = skips.some((skip) => skip.reason === 'circuit_open' || skip.reason === 'account_unavailable');
    const only = sawQuota && attempts.every((attempt) => quota.has(attempt.outcome)) && !ruledOut;
    const passing = attempts.every((attempt) => attempt.outcome === 'RateLimited');
    return { only, passing, hints: attempts.map((attempt) => attempt.retryAfterMs).filter((hint): hint is number => hint !== undefined) };
  };

  /**
   * Ends the chain. `resetMs` is when the routes' quota returns, read from the route state, for a
   * refusal whose attempts gave no Retry-After (every route skipped as cooling down or out of its
   * window): without it the refusal says one second.
   */
  const end = (reason: string, resetMs?: number | null): never => {
    decision.end = reason;
    const why = whyNoRoute(decision);
    if (why) decision.endDetail = why;
    const calls = callsSince();
    const quota = quotaOnly(reason);
    if (quota.only) {
      const retryAfterMs = quota.hints.length > 0 ? Math.min(...quota.hints) : Math.max(minimumWaitMs, resetMs ?? 0);
      fail(patches, 'RateLimited', `Every route for ${input.modelGroup} is out of quota right now`, { attempts: calls, retryAfterMs, decision });
    }
    const tried = decision.attempts.map((attempt) => `${describeRoute(attempt.route)}: ${attempt.outcome}`).join('; ');
    fail(patches, 'AllRoutesExhausted', `All routes for ${input.modelGroup} were exhausted (${reason}${why ? `; ${why}` : ''})${tried ? `: ${tried}` : ''}`, { attempts: calls, decision });
  };

  /** Whether this inference may wait durably: its class defers (and the run has this code). */
  const mayWait = (): boolean => policy.defer === true && patches('durable-deferral');

  /**
   * Waits on a Temporal timer, recorded in the decision record, when the wait ends before the
   * deadline; then starts a new cycle with every route eligible again. False when it cannot wait.
   */
  const waitDurably = async (reason: WaitRecord['reason'], waitMs: number, detail: string): Promise<boolean> => {
    const now = Date.now();
    const waits = (decision.waits ??= []);
    const duration = Math.max(minimumWaitMs, Math.ceil(waitMs));
    // The wait must leave the attempts time before the deadline.
    if (!waitFits(now - startedAt, duration, policy.deadlineMs) || waits.length >= maximumWaits) return false;
    const until = new Date(now + duration).toISOString();
    waits.push({ reason, from: new Date(now).toISOString(), until, detail });
    setCurrentDetails(`waiting until ${until}: ${detail}`);
    await sleep(duration, { summary: `wait ${waits.length}: ${reason} until ${until}` });
    previousCycle = cycle;
    cycle = { attempts: decision.attempts.length, selections: decision.selections.length, rounds: 0 };
    excluded.length = 0;
    return true;
  };

  /** Ends the chain, unless every route is merely out of quota and the class may wait for it. */
  const endOrWait = async (reason: string): Promise<void> => {
    const quota = quotaOnly(reason);
    const readResetMs = () => quotaResetMs.executeWithOptions({ summary: `${input.modelGroup}: when does quota return` }, [{ ...routing(), chosen: {} }]);
    let resetMs: number | null | undefined;
    if (quota.only && quota.passing && mayWait()) {
      resetMs = quota.hints.length > 0 ? Math.min(...quota.hints) : await readResetMs();
      const quotaWaits = (decision.waits ?? []).filter((wait) => wait.reason === 'quota').length;
      const backoffMs = Math.min(maximumBackoffMs, minimumWaitMs * 2 ** quotaWaits);
      if (resetMs !== null && (await waitDurably('quota', Math.max(resetMs, backoffMs), `every route for ${input.modelGroup} is out of quota (${reason})`))) return;
    }
    // A refusal for quota with no provider hint says when the route state lets a route serve again
    // (runs recorded before this change said one second).
    if (quota.only && quota.hints.length === 0 && patched('quota-refusal-reads-reset')) {
      end(reason, resetMs === undefined ? await readResetMs() : resetMs);
    }
    end(reason);
  };

  /** Waits for the tenant's budget to start afresh, re-reading it after each wait; refuses when it cannot wait. */
  const waitForBudget = async (resetsAt: number, message: string): Promise<void> => {
    for (;;) {
      // Spread over a few minutes, so that deferred work does not all start at the same instant.
      if (!mayWait() || !(await waitDurably('budget', resetsAt - Date.now() + waitJitterMs(workflowInfo().workflowId, policy.deadlineMs), message))) {
        decision.end = 'budget';
        // An explicit, audited refusal: never a quiet switch to another (dearer or cheaper) route.
        // Like a refusal at admission, it says when the budget's period starts afresh.
        const retryAfterMs = Number.isFinite(resetsAt) ? Math.max(1_000, resetsAt - Date.now()) : undefined;
        fail(patches, 'BudgetExceeded', message, { attempts: callsSince(), decision, ...(retryAfterMs !== undefined && { retryAfterMs }) });
      }
      const fresh = await readBudget.executeWithOptions({ summary: `${input.tenant}: read budget after the wait` }, [{ tenant: input.tenant, trafficClass: input.trafficClass }]);
      if (!fresh.refusal) {
        budget = fresh.tier;
        if (fresh.tier) decision.budget = fresh.tier;
        return;
      }
      ({ resetsAt, message } = fresh.refusal);
    }
  };

  const routing = () => ({ modelGroup: input.modelGroup, trafficClass: input.trafficClass, needs: input.needs, allowedProviders: input.allowedProviders, residency: input.residency, excluded: [...excluded], tenant: input.tenant, budget });

  // Admitted while the budget refuses: a deferrable class waits for the next budget period first.
  if (budget?.deferredUntil) {
    await waitForBudget(Date.parse(budget.deferredUntil), `The tenant's budget refuses ${input.trafficClass} traffic until ${budget.deferredUntil} (the ${budget.period === 'day' ? 'daily' : 'monthly'} budget is ${Math.floor(budget.spent * 100)}% spent)`);
  }

  // Rounds are bounded separately from attempts: a round can end without a call when concurrent
  // inferences take the last quota between two steps.
  for (let round = 1; ; round++) {
    cycle.rounds += 1;
    if (cycle.rounds > policy.maxRoutes * 3) {
      await endOrWait('max_rounds');
      continue;
    }
    if (decision.attempts.length - cycle.attempts >= policy.maxRoutes) {
      await endOrWait('max_routes');
      continue;
    }
    if (callsSince(cycle.attempts) >= policy.maxAttempts) {
      await endOrWait('max_attempts');
      continue;
    }
    if (Date.now() - startedAt >= policy.deadlineMs) end('deadline');

    const base = routing();
    const steps: StepDecision[] = [];
    decision.selections.push({ round, steps });
    // After a failed attempt the summary says why the chain goes on: the UI shows a local
    // activity's summary but not whether it failed.
    const previous = decision.attempts.at(-1);
    const after = previous && previous.outcome !== 'success' ? ` after attempt ${decision.attempts.length} failed with ${previous.outcome}` : '';
    const provider = await selectProvider.executeWithOptions({ summary: `${input.modelGroup}: choose provider${input.session ? ' (sticky session)' : ''}${after}` }, [{ ...base, session: input.session, chosen: {} }]);
    steps.push(provider);
    if (provider.sticky && round === 1) decision.session = { boundTo: provider.sticky.route, moved: false };
    // The later steps honour the binding the provider step read (and a critical session's floor).
    const request = { ...base, preferredRoute: provider.sticky?.usable ? provider.sticky.route : undefined, minQuality: provider.sticky?.minQuality };
    if (!provider.choice) {
      // Overloaded or timed out, with no other route left: the same route once more, if the class
      // allows it (runs recorded before this rule end here).
      if (secondChances.length > 0 && patches('same-route-when-no-other')) {
        const again = secondChances.splice(0);
        for (const { key } of again) excluded.splice(excluded.indexOf(key), 1);
        const delayMs = Math.max(...again.map(({ retryAfterMs, calls }) => retryAfterMs || Math.min(sameRouteRetry.maximumMs, sameRouteRetry.initialMs * sameRouteRetry.coefficient ** (calls - 1))));
        await sleep(delayMs, { summary: `no other route is eligible: try again after ${again.map(({ outcome }) => outcome).join(', ')} in ${delayMs} ms` });
        continue;
      }
      await endOrWait('no_route');
      continue;
    }
    const model = await selectModel.executeWithOptions({ summary: `${provider.choice}: choose model` }, [{ ...request, chosen: { provider: provider.choice } }]);
    steps.push(model);
    if (!model.choice) continue;
    const account = await selectAccount.executeWithOptions({ summary: `${provider.choice}/${model.choice}: choose account` }, [{ ...request, chosen: { provider: provider.choice, model: model.choice } }]);
    steps.push(account);
    if (!account.choice) continue;
    const region = await selectRegion.executeWithOptions(
      { summary: `${provider.choice}/${model.choice} (${account.choice}): choose region` },
      [{ ...request, chosen: { provider: provider.choice, model: model.choice, account: account.choice } }],
    );
    steps.push(region.decision);
    if (region.budgetExceeded) {
      await waitForBudget(region.budgetResetsAt ?? Number.POSITIVE_INFINITY, region.budgetExceeded);
      continue;
    }
    if (!region.route) continue;
    const route: Route = region.route;

    const callsLeft = Math.min(policy.attemptsPerRoute, policy.maxAttempts - callsSince(cycle.attempts));
    const attemptNumber = decision.attempts.length + 1;
    const attemptStartedAt = new Date().toISOString();
    const summary = `attempt ${attemptNumber}: ${describeRoute(route)}`;
    // Shown live in the Temporal UI ("current details"); not part of the history.
    setCurrentDetails(summary);
    const booking = {
      route,
      reservationId: region.reservationId,
      spend: region.spend,
      // Fallbacks count within the cycle: attempts before a durable wait are not fallbacks.
      tenant: { id: input.tenant, modelGroup: input.modelGroup, feature: input.feature, session: input.session, fallbacks: decision.attempts.length - cycle.attempts },
    };
    const startToCloseTimeout = region.attemptTimeoutMs + 5_000;
    /** Calls made on this route by the local path (the activity path reads Temporal's attempt). */
    let localCalls = 0;
    try {
      /** One call of the route: a local activity (the workflow retries), or an activity (Temporal retries). */
      const call = <I, O extends AnyInvokeOutput>(
        local: { executeWithOptions(options: { startToCloseTimeout: number; summary: string }, args: [I]): Promise<O> },
        remote: { executeWithOptions(options: ActivityOptions, args: [I]): Promise<O> },
        invokeInput: I,
      ): Promise<O> =>
        invokeLocally
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
      // An embedding inference calls `embedRoute`; a streaming one the streaming variant, whose
      // tokens go to the API outside history. Chat inputs take the same commands as before.
      const outcome: AnyInvokeOutput =
        input.operation === 'embeddings'
          ? await call(localInvoke.embedRoute, embedRoute, { ...booking, request: input.request })
          : await call(input.stream ? localInvoke.invokeRouteStream : localInvoke.invokeRoute, input.stream ? invokeRouteStream : invokeRoute, { ...booking, request: input.request });
      const tokens = { prompt: outcome.response.usage.promptTokens, completion: outcome.response.usage.completionTokens };
      decision.attempts.push({ route, startedAt: attemptStartedAt, calls: outcome.attempt, latencyMs: outcome.latencyMs, ...(outcome.ttftMs !== undefined && { ttftMs: outcome.ttftMs }), tokens, ...(outcome.cost !== undefined && { cost: outcome.cost }), outcome: 'success' });
      const fallbacks = decision.attempts.length - cycle.attempts - 1;
      if (input.session) decision.session = sessionOutcome(decision, routeKey(route));
      setCurrentDetails(`${input.modelGroup} → ${route.provider}/${route.model} in ${route.region}${fallbacks > 0 ? ` after ${fallbacks} fallback${fallbacks > 1 ? 's' : ''}` : ''}`);
      recordOutcome(patches, 'success', decision, fallbacks);
      return { response: outcome.response, route, attempts: callsSince(), fallback: fallbacks > 0, decision };
    } catch (error) {
      const cause = failureCause(error);
      // `Cancelled`: the API's cancel signal aborted the call before Temporal's cancellation came.
      if (isCancellation(error) || (cause instanceof ApplicationFailure && cause.type === 'Cancelled')) {
        // The API cancels the workflow when its client disconnects; the activity's cancellation
        // signal has aborted the provider call by the time this runs.
        decision.attempts.push({ route, startedAt: attemptStartedAt, calls: Math.max(1, localCalls), outcome: 'Cancelled' });
        decision.end = 'cancelled by client';
        fail(patches, 'Cancelled', 'The inference was cancelled by the client', { route, attempts: callsSince(), decision });
      }
      if (cause instanceof TimeoutFailure) {
        // The attempt outlived its timeout (a hung provider, or a worker that died mid-call):
        // a transient failure of this route, so the chain goes on.
        if (input.stream && (cause.lastHeartbeatDetails as { partialOutputSent?: boolean } | undefined)?.partialOutputSent) {
          // …unless it had streamed content to the client: nothing can continue that answer.
          decision.attempts.push({ route, startedAt: attemptStartedAt, calls: 1, outcome: 'StreamInterrupted' });
          fail(patches, 'StreamInterrupted', 'The streaming attempt timed out after its first token', { route, attempts: callsSince(), decision });
        }
        decision.attempts.push({ route, startedAt: attemptStartedAt, calls: Math.max(1, localCalls), outcome: 'Timeout' });
        excluded.push(routeKey(route));
        noteSecondChance(route, 'Timeout');
        continue;
      }
      if (!(cause instanceof ApplicationFailure)) throw error;
      const type = cause.type ?? 'ServerError';
      const [details] = (cause.details ?? []) as Array<Partial<AttemptFailureDetails> | undefined>;
      const calls = invokeLocally ? localCalls : (details?.attempt ?? 1);
      const attempt: AttemptRecord = { route, startedAt: attemptStartedAt, calls, outcome: type, status: details?.status, retryAfterMs: details?.retryAfterMs, ...(details?.ttftMs !== undefined && { ttftMs: details.ttftMs }) };
      decision.attempts.push(attempt);
      const known = isGatewayErrorType(type) ? gatewayErrorTypes[type] : undefined;
      // A stream that broke after content reached the client cannot be hidden by another route.
      if ((known && !known.transient && !known.anotherRouteCanHelp) || details?.partialOutputSent) {
        // No other route can fix this request: fail fast with the provider's error class.
        fail(patches, type, cause.message, { route, status: details?.status, providerCode: details?.providerCode, attempts: callsSince(), decision });
      }
      excluded.push(accountErrors.has(type) ? accountKey(route) : routeKey(route));
      // A route whose circuit this failure opened gets no second chance.
      if (!details?.circuitOpen) noteSecondChance(route, type, details?.retryAfterMs);
    }
  }
}
