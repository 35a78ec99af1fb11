import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import type { EmbeddingRequest, EmbeddingResponse } from '../providers/canonical-embedding';
import type { OutputGuardrails } from '../guardrails/guardrail-verdict';
import type { Route } from '../routing/route';
import type { SpendPeriod } from '../state/tenant-state-store';

/** What one provider call is given and what it returns, shared by the activities and the workflow. */
export interface InvokeRouteInput {
  route: Route;
  request: ChatRequest;
  /** The quota reservation the region step took for this call, reconciled with the real usage. */
  reservationId?: string;
  /** The tenant's spend reservation, settled with the call's real cost (0 when it fails). */
  spend?: { reservationId?: string; periods: SpendPeriod[] };
  /** Who to bill in usage, and the session to bind to this route once it answers. */
  tenant?: { id: string; modelGroup: string; feature?: string; session?: string; fallbacks: number };
  /** The guardrail policies (by name) whose output checks run on the answer before it is recorded. */
  guardrails?: string[];
  /**
   * How a streamed answer meets those checks: `hold` publishes nothing on the stream channel (the
   * client gets the answer from the result once it passed); `flow` checks each piece before it is
   * published and ends the stream with a `blocked` message on a block.
   */
  guardrailStream?: 'hold' | 'flow';
}

export interface InvokeRouteOutput {
  response: ChatResponse;
  /** Cost of this call from the deployment's pricing, when it has one. */
  cost?: number;
  /** Which try of this activity succeeded (1 = first). */
  attempt: number;
  latencyMs: number;
  /** Streaming attempts: milliseconds from the provider call to its first content token. */
  ttftMs?: number;
  /** The output checks' verdicts, when the call ran them (`guardrails` in the input). */
  guardrails?: OutputGuardrails;
}

/** One embedding call on a route: the same booking as a chat call, an embedding request. */
export type EmbedRouteInput = Omit<InvokeRouteInput, 'request'> & { request: EmbeddingRequest };

export type EmbedRouteOutput = Omit<InvokeRouteOutput, 'response' | 'ttftMs'> & { response: EmbeddingResponse };
