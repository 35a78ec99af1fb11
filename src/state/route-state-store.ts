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
      /** The gateway error type, counted in the route's recent errors. */
      errorType?: string;
      /** Set the whole account aside, saying why (the error type, e.g. `Authentication`). */
      coolDownAccount?: string;
      coolDownRoute?: boolean;
    };

/** One probe's result, as the route status shows it. */
export interface ProbeRecord {
  at: number;
  ok: boolean;
  latencyMs: number;
  errorType?: string;
  /** Not called: the circuit was open (or its half-open trial taken). */
  skipped?: string;
}

/** How far back a route's recent errors are counted. */
export const recentErrorsWindowMs = 15 * 60_000;

/** What an operator sees of one route: its live state and its recent history. */
export interface RouteStatus extends RouteState {
  consecutiveFailures: number;
  /** While the circuit is open: when its half-open trial may start (epoch ms). */
  openUntil?: number;
  /** Failed calls of the last `recentErrorsWindowMs`, by gateway error type. */
  recentErrors: Record<string, number>;
  lastProbe?: ProbeRecord;
}

/** What the route looks like once a call's outcome is recorded. */
export interface RecordedOutcome {
  /** The route's circuit is open now (this failure opened it, or another call's had): no more calls. */
  circuitOpen: boolean;
}

/**
 * The routes' live state: per-route health (circuit breaker), one-minute request and token
 * windows, cool-downs asked for by providers and latency EWMA.
 */
export interface RouteStateStore {
  snapshot(routeKeys: string[], now: number): Promise<Record<string, RouteState>>;
  /**
   * Atomically reserves one request and `tokens` on a route if its limits allow; returns the
   * reservation's id, reconciled by `record`, or undefined when the limits are reached.
   */
  reserve(
    routeKey: string,
    limits: { rpm?: number; tpm?: number },
    tokens: number,
    now: number,
  ): Promise<string | undefined>;
  /** Milliseconds until the oldest reservation leaves a window (0 when it is empty): an honest Retry-After. */
  windowResetMs(routeKey: string, now: number): Promise<number>;
  /** Sets a window reservation's tokens to what was really used. */
  reconcile(routeKey: string, reservationId: string, tokens: number, now: number): Promise<void>;
  /** Takes the single half-open trial of a route whose cool-down has passed; false if taken. */
  claimTrial(routeKey: string, now: number): Promise<boolean>;
  /** Gives back a trial that was claimed but not used (the reservation failed). */
  releaseTrial(routeKey: string): Promise<void>;
  record(routeKey: string, accountKey: string, outcome: AttemptOutcome, now: number): Promise<RecordedOutcome>;
  /** Keeps a probe's result for the route status (the health it teaches goes through `record`). */
  recordProbe(routeKey: string, probe: ProbeRecord): Promise<void>;
  /** The status of each route, for operators (`GET /v1/routes`). */
  status(routeKeys: string[], now: number): Promise<Record<string, RouteStatus>>;
}

/**
 * The gateway's live state: the routes' (above) and the tenants' (session bindings, windows of
 * tenants and keys, spend, usage). One interface so a shared store (Redis) can replace the
 * in-memory one.
 */
export interface GatewayStateStore extends RouteStateStore, TenantStateStore {}
