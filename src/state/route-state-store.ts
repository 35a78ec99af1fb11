import type { RouteState } from '../routing/routing-types';
import type { TenantStateStore } from './tenant-state-store';

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
      /** Set the whole account aside, saying why (the error type, e.g. `Authentication`). */
      coolDownAccount?: string;
      coolDownRoute?: boolean;
    };

/** What the route looks like once a call's outcome is recorded. */
export interface RecordedOutcome {
  /** The route's circuit is open now (this failure opened it, or another call's had): no more calls. */
  circuitOpen: boolean;
}

/**
 * The gateway's live state: per-route health (circuit breaker), one-minute request and token
 * windows (of routes, tenants and keys), cool-downs asked for by providers and latency EWMA, plus
 * the tenant state (session bindings, spend, usage). One interface so a shared store (Redis) can
 * replace the in-memory one.
 */
export interface RouteStateStore extends TenantStateStore {
  snapshot(routeKeys: string[], now: number): Promise<Record<string, RouteState>>;
  /**
   * Atomically reserves one request and `tokens` on a route if its limits allow; returns the
   * reservation's id, reconciled by `record`, or undefined when the limits are reached.
   */
  reserve(routeKey: string, limits: { rpm?: number; tpm?: number }, tokens: number, now: number): Promise<string | undefined>;
  /** Milliseconds until the oldest reservation leaves a window (0 when it is empty): an honest Retry-After. */
  windowResetMs(routeKey: string, now: number): Promise<number>;
  /** Sets a window reservation's tokens to what was really used. */
  reconcile(routeKey: string, reservationId: string, tokens: number, now: number): Promise<void>;
  /** Takes the single half-open trial of a route whose cool-down has passed; false if taken. */
  claimTrial(routeKey: string, now: number): Promise<boolean>;
  /** Gives back a trial that was claimed but not used (the reservation failed). */
  releaseTrial(routeKey: string): Promise<void>;
  record(routeKey: string, accountKey: string, outcome: AttemptOutcome, now: number): Promise<RecordedOutcome>;
}
