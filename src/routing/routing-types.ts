import type { Operation, TrafficClassName, TrafficClassPolicy } from '../config/gateway-config-schema';
import type { EmbeddingNeeds } from '../providers/canonical-embedding';
import type { Route } from './route';

/** A route a model group may use, with what the routing steps need to know about it. */
export interface RouteCandidate {
  route: Route;
  key: string;
  /** The model group this deployment belongs to (the requested one or a fallback). */
  modelGroup: string;
  /** What the deployment's group serves: chat or embeddings. */
  operation: Operation;
  groupQuality: number;
  /** 0 for the requested group, 1 for its first fallback group, and so on. */
  tier: number;
  priority: number;
  weight: number;
  rpm?: number;
  tpm?: number;
  contextWindow?: number;
  capabilities: { tools: boolean; vision: boolean; jsonMode: boolean };
  pricing?: { inputPerMillion: number; outputPerMillion: number; cachedInputPerMillion?: number };
  /** The region's data-residency zone, when configured. */
  residency?: string;
  /** The group orders regions by latency average (weighted shuffle when absent). */
  routingStrategy?: 'latency';
}

/** What the request needs from a route, derived once by the API. */
export interface RequestNeeds {
  /** Prompt tokens, counted with a real tokenizer. */
  estimatedPromptTokens: number;
  /** The completion budget the request allows (max_tokens, or a default). */
  maxOutputTokens: number;
  tools: boolean;
  vision: boolean;
  jsonMode: boolean;
  /** Set on embedding requests (absent: a chat request, as every input recorded before embeddings). */
  operation?: 'embeddings';
  /** What an embedding request asks of a route; its largest input is held to the context window. */
  embedding?: EmbeddingNeeds & { longestInputTokens: number };
}

export interface RoutingContext {
  modelGroup: string;
  trafficClass: TrafficClassName;
  policy: TrafficClassPolicy;
  needs: RequestNeeds;
  /** Providers the tenant may use; all when absent. */
  allowedProviders?: string[];
  /** The tenant's data-residency zone; only regions of that zone may serve it. */
  residency?: string;
  /** Route keys or account keys (`provider/account`) this inference must not use again. */
  excluded: string[];
  /** The route the session is bound to: chosen first while it can serve. */
  preferredRoute?: string;
  /** Lowest group quality allowed (a critical session never moves to a lower-quality model). */
  minQuality?: number;
  /** The tenant's budget tier asks for the cheapest routes first. */
  budgetDowngrade?: boolean;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Live state of one route, as the selection steps saw it. */
export interface RouteState {
  circuit: CircuitState;
  requestsThisMinute: number;
  tokensThisMinute: number;
  /** Until when the provider asked us to back off (epoch ms). */
  coolingDownUntil?: number;
  /**
   * The back-off is the whole account's, after a quota (billing) or authentication error: it does
   * not lift by itself the way a rate limit does, so a deferrable inference does not wait for it.
   */
  accountCoolingDown?: boolean;
  /** The error type that set the account aside: `Authentication`, `PermissionDenied` or `QuotaExhausted`. */
  accountCoolDownReason?: string;
  latencyEwmaMs?: number;
}

export type SkipReason =
  | 'already_tried'
  | 'fallback_disabled'
  | 'provider_not_allowed'
  | 'residency'
  | 'quality_floor'
  | 'capability'
  | 'cost_ceiling'
  | 'circuit_open'
  | 'no_quota'
  | 'account_unavailable'
  | 'budget';

export interface SkippedCandidate {
  /** What was skipped: a provider, model, account or region name, or a route key. */
  candidate: string;
  reason: SkipReason;
  detail?: string;
}

export type SelectionStep = 'provider' | 'model' | 'account' | 'region';

/** One selection step's record: its choice, the ordered alternatives, what it skipped and why. */
export interface StepDecision {
  step: SelectionStep;
  choice?: string;
  alternatives: string[];
  skipped: SkippedCandidate[];
  /** The live state of the candidates this step looked at, keyed by route key. */
  stateSeen: Record<string, RouteState>;
  /** The session's binding as the provider step found it. */
  sticky?: StickyBinding;
}

/** A session's bound route and whether it can serve this round (and if not, why). */
export interface StickyBinding {
  route: string;
  usable: boolean;
  reason?: string;
  /** The bound route's group quality, the floor of a critical session. */
  minQuality?: number;
}
