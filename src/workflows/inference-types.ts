import type { RoutingPolicyOutput } from '../activities/selection-activities';
import type { TrafficClassName } from '../config/gateway-config-schema';
import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import type { EmbeddingRequest, EmbeddingResponse } from '../providers/canonical-embedding';
import type { Route } from '../routing/route';
import type { BudgetTier } from '../routing/budget-tier';
import type { RequestNeeds, StepDecision } from '../routing/routing-types';
import type { GuardrailVerdict, InputGuardrails, OutputGuardrails } from '../guardrails/guardrail-verdict';

/** Input of the `inference` workflow. Holds no credentials: activities resolve them by reference. */
export interface InferenceInput {
  tenant: string;
  /** The public model name the client sent. */
  modelGroup: string;
  trafficClass: TrafficClassName;
  needs: RequestNeeds;
  allowedProviders?: string[];
  /** The tenant's data-residency zone, honoured by the region step. */
  residency?: string;
  /** Non-secret id of the gateway key, for the audit. */
  keyId?: string;
  /** The `x-feature` the app tagged the request with. */
  feature?: string;
  /** The session (`x-session-id`, or OpenAI's `user` when configured) that binds requests to one route. */
  session?: string;
  /** The tenant's budget tier when the request was admitted; a downgrade orders routes by cost. */
  budget?: BudgetTier;
  request: ChatRequest;
  /** Absent on chat inferences (every input recorded before embeddings existed); see EmbeddingInferenceInput. */
  operation?: undefined;
  /**
   * The traffic class's policy and the policy version, from the config the API admitted the
   * request under. Absent in inputs recorded before it was added: the workflow then reads it with
   * the `routingPolicy` local activity.
   */
  routing?: RoutingPolicyOutput;
  /**
   * The client asked for a stream: each attempt streams from the provider and sends the tokens to
   * the API through the stream channel (not through history). Absent on non-streaming inferences.
   */
  stream?: boolean;
  /** The OpenTelemetry trace of the API request that started the inference, when tracing is on. */
  traceId?: string;
  /** The guardrail policies the API applied to the request (already masked) and their verdicts. */
  guardrails?: InputGuardrails;
}

/** One route tried: what happened there. */
export interface AttemptRecord {
  route: Route;
  /** When the attempt started (workflow time, ISO 8601). */
  startedAt?: string;
  /** Tokens the provider reported, on success. */
  tokens?: { prompt: number; completion: number };
  /** Cost from the deployment's pricing, when it has one. */
  cost?: number;
  /** Provider calls made on this route (Temporal retries included). */
  calls: number;
  latencyMs?: number;
  /** Streaming attempts: milliseconds from the provider call to its first content token. */
  ttftMs?: number;
  outcome: 'success' | string;
  status?: number;
  retryAfterMs?: number;
}

/** One durable wait on a Temporal timer: why, and from when until when (workflow time, ISO 8601). */
export interface WaitRecord {
  reason: 'quota' | 'budget';
  from: string;
  until: string;
  detail: string;
}

/** Why the inference went where it went, kept in its history and returned with its result. */
export interface DecisionRecord {
  /** Who asked and how; never the prompt. */
  context?: { tenant: string; keyId?: string; feature?: string; session?: string; modelGroup: string };
  trafficClass: TrafficClassName;
  policyVersion: string;
  /** The tenant's budget tier at admission, when it has a budget. */
  budget?: BudgetTier;
  /** The session's binding: the route it was bound to, the route that served, and any move with its reason. */
  session?: { boundTo?: string; servedBy?: string; moved: boolean; reason?: string };
  selections: Array<{ round: number; steps: StepDecision[] }>;
  attempts: AttemptRecord[];
  /** Each durable wait of a deferrable class, in order. */
  waits?: WaitRecord[];
  /** How the chain ended when it did not succeed: `max_routes`, `max_attempts`, `deadline`, `no_route`, `budget`. */
  end?: string;
  /** Why no route was left to call, from the last selection's skips (no route names). */
  endDetail?: string;
  /** The inference's OpenTelemetry trace id (also in `x-gateway-trace-id`), when tracing is on. */
  traceId?: string;
  /** The guardrail verdicts on the request and, for a whole answer, on the answer (policy, check, action; never the matched text). */
  guardrails?: GuardrailVerdict[];
}

/**
 * Input of an embedding inference (`/v1/embeddings`): the same workflow, routing and fallback
 * chain as chat, with `operation` set, an embedding request and no stream. Each attempt calls
 * `embedRoute` instead of `invokeRoute`.
 */
export type EmbeddingInferenceInput = Omit<InferenceInput, 'request' | 'stream' | 'operation'> & {
  operation: 'embeddings';
  request: EmbeddingRequest;
  stream?: undefined;
};

export interface InferenceResult {
  response: ChatResponse;
  route: Route;
  /** Provider calls made, retries and fallbacks included. */
  attempts: number;
  /** True when the answer did not come from the first route tried. */
  fallback: boolean;
  decision: DecisionRecord;
  /**
   * Set when the output checks ran in the worker (their verdicts are in `decision.guardrails`,
   * `response` is masked): the API serves the answer without checking it again, or the refusal.
   */
  outputGuardrails?: Pick<OutputGuardrails, 'refused'>;
}

export type EmbeddingInferenceResult = Omit<InferenceResult, 'response' | 'outputGuardrails'> & {
  response: EmbeddingResponse;
};

/** Details attached to the workflow's failure so the API can explain it to the client. */
export interface InferenceFailureDetails {
  route?: Route;
  status?: number;
  providerCode?: string;
  /** Provider calls made in all. */
  attempts: number;
  retryAfterMs?: number;
  decision: DecisionRecord;
}

export const inferenceTaskQueue = 'inference';
export const inferenceWorkflowIdPrefix = 'inf-';

/** The workflow type every new inference starts as (`inference` runs, started before it, go on). */
export const inferenceWorkflowType = 'inferenceV2';
/** A visibility-query clause that matches inferences of either type. */
export const anyInferenceTypeClause = `WorkflowType IN ('inference', '${inferenceWorkflowType}')`;
