import {
  faultListSchema,
  matches,
  routeKey,
  type Fault,
  type FaultInput,
  type FaultKind,
  type SimulatedRoute,
} from './simulator-faults';

const minuteMs = 60_000;

/** What the simulator decided for one call. */
export interface CallPlan {
  latencyMs: number;
  timeToFirstTokenMs: number;
  error?: FaultKind;
  retryAfterSeconds?: number;
  /** Rate-limit state of the route after this call, for the rate-limit headers. */
  limits?: { rpm?: number; remainingRequests?: number; tpm?: number; remainingTokens?: number; resetSeconds: number };
}

interface ActiveFault {
  fault: Fault;
  installedAt: number;
  applied: number;
}

/**
 * Holds the scripted faults and each route's rolling one-minute windows, and decides how one call
 * is answered. Randomness and the clock are injectable so tests of the simulator are exact.
 */
export class FaultPlan {
  private faults: ActiveFault[] = [];
  private readonly requestWindows = new Map<string, number[]>();
  private readonly tokenWindows = new Map<string, Array<{ at: number; tokens: number }>>();

  constructor(
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now,
  ) {}

  set(faults: FaultInput[]): void {
    const installedAt = this.now();
    this.faults = faultListSchema.parse(faults).map((fault) => ({ fault, installedAt, applied: 0 }));
    this.requestWindows.clear();
    this.tokenWindows.clear();
  }

  list(): Fault[] {
    return this.faults.map((active) => active.fault);
  }

  plan(route: SimulatedRoute, estimatedTokens: number): CallPlan {
    const now = this.now();
    const plan: CallPlan = { latencyMs: 0, timeToFirstTokenMs: 0 };
    const key = routeKey(route);
    for (const active of this.faults) {
      const { fault } = active;
      if (!matches(fault, route)) continue;
      plan.latencyMs += this.latencyOf(fault);
      plan.timeToFirstTokenMs = Math.max(plan.timeToFirstTokenMs, fault.timeToFirstTokenMs ?? 0);
      if (plan.error) continue;
      if (fault.rpm !== undefined || fault.tpm !== undefined) {
        const limited = this.applyRateLimits(key, fault, estimatedTokens, now);
        plan.limits = limited.limits;
        if (limited.retryAfterSeconds !== undefined) {
          plan.error = 'rate_limited';
          plan.retryAfterSeconds = limited.retryAfterSeconds;
          continue;
        }
      }
      if (fault.outage) {
        const start = active.installedAt + fault.outage.startMs;
        if (now >= start && now < start + fault.outage.durationMs) {
          plan.error = fault.error ?? 'overloaded';
          plan.retryAfterSeconds = fault.retryAfterSeconds;
        }
        continue;
      }
      if (fault.error && (fault.times === undefined || active.applied < fault.times) && this.random() < fault.rate) {
        active.applied += 1;
        plan.error = fault.error;
        plan.retryAfterSeconds = fault.retryAfterSeconds;
      }
    }
    return plan;
  }

  private latencyOf(fault: Fault): number {
    const latency = fault.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === 'number') return latency;
    return latency.min + this.random() * Math.max(0, latency.max - latency.min);
  }

  private applyRateLimits(key: string, fault: Fault, tokens: number, now: number) {
    const requests = (this.requestWindows.get(key) ?? []).filter((at) => at > now - minuteMs);
    const tokenEntries = (this.tokenWindows.get(key) ?? []).filter((entry) => entry.at > now - minuteMs);
    const usedTokens = tokenEntries.reduce((sum, entry) => sum + entry.tokens, 0);
    const overRequests = fault.rpm !== undefined && requests.length >= fault.rpm;
    const overTokens = fault.tpm !== undefined && usedTokens + tokens > fault.tpm;
    const oldest = Math.min(requests[0] ?? now, tokenEntries[0]?.at ?? now);
    const resetSeconds = Math.max(1, Math.ceil((oldest + minuteMs - now) / 1000));
    if (!overRequests && !overTokens) {
      requests.push(now);
      tokenEntries.push({ at: now, tokens });
    }
    this.requestWindows.set(key, requests);
    this.tokenWindows.set(key, tokenEntries);
    const accepted = tokenEntries.reduce((sum, entry) => sum + entry.tokens, 0);
    return {
      retryAfterSeconds: overRequests || overTokens ? resetSeconds : undefined,
      limits: {
        rpm: fault.rpm,
        remainingRequests: fault.rpm === undefined ? undefined : Math.max(0, fault.rpm - requests.length),
        tpm: fault.tpm,
        remainingTokens: fault.tpm === undefined ? undefined : Math.max(0, fault.tpm - accepted),
        resetSeconds,
      },
    };
  }
}
