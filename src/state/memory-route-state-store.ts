import type { RouteState } from '../routing/routing-types';
import type { AttemptOutcome, CircuitSettings, RouteStateStore } from './route-state-store';

const minuteMs = 60_000;
/** How long an account is set aside after a quota-exhausted answer without a retry hint. */
const defaultAccountCoolDownMs = 60_000;

interface Entry {
  requests: number[];
  tokens: Array<{ at: number; tokens: number }>;
  consecutiveFailures: number;
  openUntil?: number;
  trialTaken: boolean;
  coolingDownUntil?: number;
  latencyEwmaMs?: number;
}

/** The default, single-process store. Every method is synchronous inside, so each is atomic. */
export class MemoryRouteStateStore implements RouteStateStore {
  private readonly entries = new Map<string, Entry>();
  private readonly accountCoolDowns = new Map<string, number>();

  constructor(private readonly circuit: () => CircuitSettings, private readonly latencyAlpha: () => number) {}

  private entry(routeKey: string, now: number): Entry {
    let entry = this.entries.get(routeKey);
    if (!entry) {
      entry = { requests: [], tokens: [], consecutiveFailures: 0, trialTaken: false };
      this.entries.set(routeKey, entry);
    }
    entry.requests = entry.requests.filter((at) => at > now - minuteMs);
    entry.tokens = entry.tokens.filter((item) => item.at > now - minuteMs);
    return entry;
  }

  private stateOf(routeKey: string, now: number): RouteState {
    const entry = this.entry(routeKey, now);
    const accountUntil = this.accountCoolDowns.get(routeKey.split('/').slice(0, 2).join('/'));
    const coolingDownUntil = Math.max(entry.coolingDownUntil ?? 0, accountUntil ?? 0) || undefined;
    let circuit: RouteState['circuit'] = 'closed';
    if (entry.openUntil !== undefined) circuit = now < entry.openUntil || entry.trialTaken ? 'open' : 'half-open';
    return {
      circuit,
      requestsThisMinute: entry.requests.length,
      tokensThisMinute: entry.tokens.reduce((sum, item) => sum + item.tokens, 0),
      ...(coolingDownUntil !== undefined && coolingDownUntil > now && { coolingDownUntil }),
      ...(entry.latencyEwmaMs !== undefined && { latencyEwmaMs: Math.round(entry.latencyEwmaMs) }),
    };
  }

  async snapshot(routeKeys: string[], now: number): Promise<Record<string, RouteState>> {
    return Object.fromEntries(routeKeys.map((key) => [key, this.stateOf(key, now)]));
  }

  async reserve(routeKey: string, limits: { rpm?: number; tpm?: number }, tokens: number, now: number): Promise<boolean> {
    const entry = this.entry(routeKey, now);
    const used = entry.tokens.reduce((sum, item) => sum + item.tokens, 0);
    if (limits.rpm !== undefined && entry.requests.length >= limits.rpm) return false;
    if (limits.tpm !== undefined && used + tokens > limits.tpm) return false;
    entry.requests.push(now);
    entry.tokens.push({ at: now, tokens });
    return true;
  }

  async claimTrial(routeKey: string, now: number): Promise<boolean> {
    const entry = this.entry(routeKey, now);
    if (entry.openUntil === undefined) return true;
    if (now < entry.openUntil || entry.trialTaken) return false;
    entry.trialTaken = true;
    return true;
  }

  async record(routeKey: string, accountKey: string, outcome: AttemptOutcome, now: number): Promise<void> {
    const entry = this.entry(routeKey, now);
    if (outcome.ok) {
      // Reconcile the reservation with what the call really used.
      const reservation = entry.tokens.findLast((item) => item.tokens === outcome.reservedTokens);
      if (reservation) reservation.tokens = outcome.tokens;
      const alpha = this.latencyAlpha();
      entry.latencyEwmaMs = entry.latencyEwmaMs === undefined ? outcome.latencyMs : alpha * outcome.latencyMs + (1 - alpha) * entry.latencyEwmaMs;
      entry.consecutiveFailures = 0;
      entry.openUntil = undefined;
      entry.trialTaken = false;
      return;
    }
    if (outcome.coolDownAccount) {
      this.accountCoolDowns.set(accountKey, now + (outcome.retryAfterMs ?? defaultAccountCoolDownMs));
    } else if (outcome.coolDownRoute && outcome.retryAfterMs) {
      entry.coolingDownUntil = now + outcome.retryAfterMs;
    }
    if (!outcome.transient) return;
    const { failureThreshold, cooldownMs } = this.circuit();
    entry.consecutiveFailures += 1;
    if (entry.trialTaken || entry.consecutiveFailures >= failureThreshold) {
      entry.openUntil = now + cooldownMs;
      entry.trialTaken = false;
    }
  }
}
