import type { RouteState } from '../routing/routing-types';

export interface CircuitSettings {
  failureThreshold: number;
  cooldownMs: number;
}

/** The outcome of one provider call, as the state store learns it. */
export type AttemptOutcome =
  | { ok: true; latencyMs: number; tokens: number; reservationId?: string }
  | {
      ok: false;
      /** A health failure (server error, overload, timeout): counts towards opening the circuit. */
      unhealthy: boolean;
      reservationId?: string;
      retryAfterMs?: number;
      coolDownAccount?: boolean;
      coolDownRoute?: boolean;
    };

/**
 * Live routing state: per-route health (circuit breaker), one-minute request and token windows,
 * cool-downs asked for by providers, and latency EWMA. One interface so a shared store (Redis) can
 * replace the in-memory one.
 */
export interface RouteStateStore {
  snapshot(routeKeys: string[], now: number): Promise<Record<string, RouteState>>;
  /**
   * Atomically reserves one request and `tokens` on a route if its limits allow; returns the
   * reservation's id, reconciled by `record`, or undefined when the limits are reached.
   */
  reserve(routeKey: string, limits: { rpm?: number; tpm?: number }, tokens: number, now: number): Promise<string | undefined>;
  /** Takes the single half-open trial of a route whose cool-down has passed; false if taken. */
  claimTrial(routeKey: string, now: number): Promise<boolean>;
  /** Gives back a trial that was claimed but not used (the reservation failed). */
  releaseTrial(routeKey: string): Promise<void>;
  record(routeKey: string, accountKey: string, outcome: AttemptOutcome, now: number): Promise<void>;
}
