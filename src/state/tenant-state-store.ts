import type { GuardrailRefusal, GuardrailVerdict } from '../guardrails/guardrail-verdict';
import type { Route } from '../routing/route';

/** One budget period of a tenant (a month or a day) with its limit in currency units. */
export interface SpendPeriod {
  /** Store key of the period, such as `spend:{acme}:month:2026-11`. */
  key: string;
  limit: number;
  /** How long the period's record is kept after its last change. */
  ttlMs: number;
}

export interface SpendStatus {
  key: string;
  limit: number;
  /** Cost of calls that finished. */
  committed: number;
  /** Estimated cost of calls still in flight. */
  reserved: number;
}

/** One row of usage: one tenant, model group and feature in one period. */
export interface UsageRow {
  tenant: string;
  model: string;
  feature: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
  fallbacks: number;
  /** Requests answered from the response cache (counted in `requests` too, with no tokens or cost). */
  cacheHits: number;
  /** Tokens and cost the cache hits saved: what their provider calls would have used. */
  savedTokens: number;
  savedCost: number;
}

/** The counters of a usage row, every one of them summed by the stores. */
export const usageFields = [
  'requests',
  'promptTokens',
  'completionTokens',
  'cost',
  'fallbacks',
  'cacheHits',
  'savedTokens',
  'savedCost',
] as const;

export type UsageCounters = Omit<UsageRow, 'tenant' | 'model' | 'feature'>;
/** What one call adds to a row; a counter left out adds nothing. */
export type UsageDelta = Partial<UsageCounters>;

/** A row's counters before anything was added. */
export function noUsage(): UsageCounters {
  return {
    requests: 0,
    promptTokens: 0,
    completionTokens: 0,
    cost: 0,
    fallbacks: 0,
    cacheHits: 0,
    savedTokens: 0,
    savedCost: 0,
  };
}

/** What one inference's answered call costs the tenant: its spend reservation settled, and its usage. */
export interface InferenceBill {
  /** The inference (workflow id): it is billed once, however often its call was made. */
  inferenceId: string;
  spend?: { periods: SpendPeriod[]; reservationId?: string };
  cost: number;
  usage?: { period: string; row: Pick<UsageRow, 'tenant' | 'model' | 'feature'>; delta: UsageDelta };
}

/** How a cache hit's audit id starts: `cache-hit-<uuid>`, beside the workflows' `inf-…`. */
export const cacheHitIdPrefix = 'cache-hit-';

/**
 * A request answered from the response cache, for the audit list: no workflow ran for it. Holds
 * no prompt or answer text, only where the answer came from and what it saved.
 */
export interface CacheHitRecord {
  /** `cache-hit-<uuid>`, sent back in `x-gateway-inference-id`. */
  id: string;
  tenant: string;
  modelGroup: string;
  trafficClass: string;
  feature?: string;
  cache: 'hit' | 'semantic-hit';
  /** On a semantic hit: the cosine similarity of the prompt and the stored one. */
  similarity?: number;
  /** The inference whose stored answer was served. */
  sourceInferenceId: string;
  /** The route that produced the stored answer. */
  route: Route;
  /** When the hit was served (epoch milliseconds). */
  at: number;
  /** What the provider call would have used, at the route's prices. */
  savedTokens: { prompt: number; completion: number };
  savedCost: number;
  /** The verdicts of the request's input checks and of the output checks the hit met. */
  guardrails?: GuardrailVerdict[];
  /** When an output check refused the cached answer: what the client got instead. */
  refused?: GuardrailRefusal;
}

/**
 * Cache hits kept per tenant, the oldest out first.
 * @default 1000
 */
export const cacheHitAuditEntries = 1_000;

/**
 * How long a cache hit stays in the audit list: the dev server's namespace retention, so hits and
 * workflows leave the list together.
 * @default one day
 */
export const cacheHitRetentionMs = 24 * 60 * 60 * 1000;

/**
 * Per-tenant state beside route health: session bindings, spend against budgets, and usage.
 * Every mutation is atomic, in one process (memory) or across processes (Redis scripts).
 */
export interface TenantStateStore {
  /** The route key a session is bound to; reading it slides the binding's TTL. */
  readBinding(sessionKey: string, ttlMs: number): Promise<string | undefined>;
  /** Binds (or moves) a session to a route for `ttlMs`. */
  bindSession(sessionKey: string, routeKey: string, ttlMs: number): Promise<void>;

  readSpend(periods: SpendPeriod[], now: number): Promise<SpendStatus[]>;
  /**
   * Reserves an estimated cost in every period at once, only if each stays within its limit
   * (committed + reserved + amount ≤ limit). Returns the reservation id, or undefined. With an
   * `id` already held, changes nothing and returns it: a step that runs again after a crash
   * takes the same reservation, not a second one.
   */
  reserveSpend(periods: SpendPeriod[], amount: number, now: number, id?: string): Promise<string | undefined>;
  /** Replaces a reservation (when still held) by the actual cost, in every period. */
  settleSpend(periods: SpendPeriod[], reservationId: string | undefined, actual: number, now: number): Promise<void>;

  addUsage(period: string, row: Pick<UsageRow, 'tenant' | 'model' | 'feature'>, delta: UsageDelta): Promise<void>;
  /**
   * Bills an inference's answered call, atomically: settles its spend reservation with the cost
   * and adds its usage. An inference billed within `billingMarkerTtlMs` already (its call was made
   * again because a worker died, or the Temporal server never took the first call's result) only
   * has the reservation released. Returns whether it billed.
   */
  billInference(bill: InferenceBill, now: number): Promise<boolean>;
  /** Usage rows of a period, for one tenant or (admin) all of them. */
  readUsage(period: string, tenant?: string): Promise<UsageRow[]>;

  /** Keeps a cache hit in its tenant's audit list (at most `cacheHitAuditEntries`, for `cacheHitRetentionMs`). */
  recordCacheHit(record: CacheHitRecord): Promise<void>;
  /** A tenant's cache hits served at or after `since` (epoch ms), newest first. */
  readCacheHits(tenant: string, since?: number): Promise<CacheHitRecord[]>;
  /** One of a tenant's cache hits by id; another tenant's id is not found. */
  readCacheHit(tenant: string, id: string): Promise<CacheHitRecord | undefined>;
}

/** A spend reservation not settled in this time (its worker died mid-call) stops counting. */
export const spendReservationTtlMs = 2 * 60 * 60 * 1000;

/**
 * How long an inference's billing is remembered. A call made again after a crash follows the
 * first within a workflow-task or activity timeout (seconds to minutes).
 */
export const billingMarkerTtlMs = 60 * 60 * 1000;

/** Where a session's binding is kept: one per tenant, model group and session id. */
export function sessionBindingKey(tenant: string, modelGroup: string, session: string): string {
  return `sticky:{${tenant}}:${JSON.stringify([modelGroup, session])}`;
}
