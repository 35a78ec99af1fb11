import { randomUUID } from 'node:crypto';
import type { RouteState } from '../routing/routing-types';
import { MemoryTenantStateStore } from './memory-tenant-state-store';
import { SlidingWindow } from './sliding-window';
import {
  recentErrorsWindowMs,
  type AttemptOutcome,
  type CircuitSettings,
  type ProbeRecord,
  type RecordedOutcome,
  type GatewayStateStore,
  type RouteStatus,
} from './route-state-store';

const minuteMs = 60_000;
/** How long an account is set aside after a quota-exhausted answer without a retry hint. */
const defaultAccountCoolDownMs = 60_000;

interface Entry {
  /** The calls reserved in the last minute, for the RPM and TPM limits. */
  requests: SlidingWindow;
  consecutiveFailures: number;
  openUntil?: number;
  /** When the half-open trial was claimed; a trial that never reports back expires after a cool-down. */
  trialClaimedAt?: number;
  coolingDownUntil?: number;
  latencyEwmaMs?: number;
  /** Failed calls of the recent-errors window, oldest first. */
  errors: Array<{ at: number; type: string }>;
  lastProbe?: ProbeRecord;
}

/** Most failures one route keeps for its status. */
const maximumRecentErrors = 1_000;

/** The default, single-process store. Every method is synchronous inside, so each is atomic. */
export class MemoryRouteStateStore extends MemoryTenantStateStore implements GatewayStateStore {
  private readonly entries = new Map<string, Entry>();
  /** Account key → until when it is set aside, and the error type that set it aside. */
  private readonly accountCoolDowns = new Map<string, { until: number; reason: string }>();

  constructor(
    private readonly circuit: () => CircuitSettings,
    private readonly latencyAlpha: () => number,
    billingMarkerTtl?: number,
  ) {
    super(Date.now, billingMarkerTtl);
  }

  private entry(routeKey: string, now: number): Entry {
    let entry = this.entries.get(routeKey);
    if (!entry) {
      entry = { requests: new SlidingWindow(minuteMs), consecutiveFailures: 0, errors: [] };
      this.entries.set(routeKey, entry);
    }
    entry.requests.prune(now);
    if (entry.trialClaimedAt !== undefined && now - entry.trialClaimedAt > this.circuit().cooldownMs)
      entry.trialClaimedAt = undefined;
    return entry;
  }

  private stateOf(routeKey: string, now: number): RouteState {
    const entry = this.entry(routeKey, now);
    const accountCoolDown = this.accountCoolDowns.get(routeKey.split('/').slice(0, 2).join('/'));
    const accountUntil = accountCoolDown?.until;
    const coolingDownUntil = Math.max(entry.coolingDownUntil ?? 0, accountUntil ?? 0) || undefined;
    let circuit: RouteState['circuit'] = 'closed';
    if (entry.openUntil !== undefined)
      circuit = now < entry.openUntil || entry.trialClaimedAt !== undefined ? 'open' : 'half-open';
    return {
      circuit,
      requestsThisMinute: entry.requests.count,
      tokensThisMinute: entry.requests.tokens,
      ...(coolingDownUntil !== undefined && coolingDownUntil > now && { coolingDownUntil }),
      ...(accountCoolDown !== undefined &&
        accountCoolDown.until > now && { accountCoolingDown: true, accountCoolDownReason: accountCoolDown.reason }),
      ...(entry.latencyEwmaMs !== undefined && { latencyEwmaMs: Math.round(entry.latencyEwmaMs) }),
    };
  }

  async snapshot(routeKeys: string[], now: number): Promise<Record<string, RouteState>> {
    return Object.fromEntries(routeKeys.map((key) => [key, this.stateOf(key, now)]));
  }

  async reserve(
    routeKey: string,
    limits: { rpm?: number; tpm?: number },
    tokens: number,
    now: number,
  ): Promise<string | undefined> {
    const { requests } = this.entry(routeKey, now);
    if (limits.rpm !== undefined && requests.count >= limits.rpm) return undefined;
    if (limits.tpm !== undefined && requests.tokens + tokens > limits.tpm) return undefined;
    const id = randomUUID();
    requests.add({ id, at: now, tokens });
    return id;
  }

  async windowResetMs(routeKey: string, now: number): Promise<number> {
    const { oldestAt } = this.entry(routeKey, now).requests;
    return oldestAt === undefined ? 0 : Math.max(0, oldestAt + minuteMs - now);
  }

  async reconcile(routeKey: string, reservationId: string, tokens: number, now: number): Promise<void> {
    this.entry(routeKey, now).requests.setTokens(reservationId, tokens);
  }

  async claimTrial(routeKey: string, now: number): Promise<boolean> {
    const entry = this.entry(routeKey, now);
    if (entry.openUntil === undefined) return true;
    if (now < entry.openUntil || entry.trialClaimedAt !== undefined) return false;
    entry.trialClaimedAt = now;
    return true;
  }

  async releaseTrial(routeKey: string): Promise<void> {
    const entry = this.entries.get(routeKey);
    if (entry) entry.trialClaimedAt = undefined;
  }

  async record(routeKey: string, accountKey: string, outcome: AttemptOutcome, now: number): Promise<RecordedOutcome> {
    const entry = this.entry(routeKey, now);
    const wasTrial = entry.trialClaimedAt !== undefined;
    entry.trialClaimedAt = undefined;
    if (outcome.ok) {
      // Reconcile the reservation with what the call really used.
      entry.requests.setTokens(outcome.reservationId, outcome.tokens);
      const alpha = this.latencyAlpha();
      entry.latencyEwmaMs =
        entry.latencyEwmaMs === undefined
          ? outcome.latencyMs
          : alpha * outcome.latencyMs + (1 - alpha) * entry.latencyEwmaMs;
      entry.consecutiveFailures = 0;
      entry.openUntil = undefined;
      return { circuitOpen: false };
    }
    // A failed call still used its request slot, but not its estimated tokens.
    entry.requests.setTokens(outcome.reservationId, 0);
    if (outcome.errorType) {
      entry.errors.push({ at: now, type: outcome.errorType });
      if (entry.errors.length > maximumRecentErrors) entry.errors.shift();
    }
    if (outcome.coolDownAccount) {
      this.accountCoolDowns.set(accountKey, {
        until: now + (outcome.retryAfterMs ?? defaultAccountCoolDownMs),
        reason: outcome.coolDownAccount,
      });
    } else if (outcome.coolDownRoute && outcome.retryAfterMs) {
      entry.coolingDownUntil = now + outcome.retryAfterMs;
    }
    if (outcome.unhealthy) {
      const { failureThreshold, cooldownMs } = this.circuit();
      entry.consecutiveFailures += 1;
      if (wasTrial || entry.consecutiveFailures >= failureThreshold) entry.openUntil = now + cooldownMs;
    }
    return { circuitOpen: entry.openUntil !== undefined && now < entry.openUntil };
  }

  async recordProbe(routeKey: string, probe: ProbeRecord): Promise<void> {
    this.entry(routeKey, probe.at).lastProbe = probe;
  }

  async status(routeKeys: string[], now: number): Promise<Record<string, RouteStatus>> {
    return Object.fromEntries(
      routeKeys.map((key) => {
        const entry = this.entry(key, now);
        entry.errors = entry.errors.filter((error) => error.at > now - recentErrorsWindowMs);
        const recentErrors: Record<string, number> = {};
        for (const error of entry.errors) recentErrors[error.type] = (recentErrors[error.type] ?? 0) + 1;
        const status: RouteStatus = {
          ...this.stateOf(key, now),
          consecutiveFailures: entry.consecutiveFailures,
          ...(entry.openUntil !== undefined && { openUntil: entry.openUntil }),
          recentErrors,
          ...(entry.lastProbe && { lastProbe: entry.lastProbe }),
        };
        return [key, status];
      }),
    );
  }
}
