import type { Express, Request, Response } from 'express';
import type { CallPlan } from './fault-plan';
import type { GuardrailScript } from './guardrail-scripts';
import type { ConversationSummary, SimulatedReply } from './simulated-reply';
import type { SimulatedRoute, WireErrorKind } from './simulator-faults';
import type { WireError } from './wire-error';

/** How one provider's wire format answers a call the simulator has decided on. */
export interface WireFormat {
  error(kind: WireErrorKind, plan: CallPlan): WireError;
  success(response: Response, reply: SimulatedReply, plan: CallPlan, filtered: boolean): void;
  stream?(response: Response, reply: SimulatedReply, plan: CallPlan, interrupted: boolean): Promise<void>;
}

/** What an embedding call answers with, or why its body is refused (the caller sends the wire's invalid_request). */
export type EmbeddingWireAnswer =
  { ok: true; tokens: number; headers: Record<string, string>; body: () => unknown } | { ok: false; message: string };

/**
 * What a provider kind's simulator routes are given: the express app to add them to, and the
 * handling every route shares (the call counters, the recorded requests and the fault plan).
 */
export interface SimulatorMount {
  app: Express;
  /** One chat call: counted and recorded, then the fault plan decides and the wire format answers. */
  serveChat(
    request: Request,
    response: Response,
    route: SimulatedRoute,
    summary: ConversationSummary,
    wire: WireFormat,
    stream: boolean,
  ): Promise<void>;
  /** One embedding call: counted and recorded, then the fault plan decides before the vectors. */
  serveEmbedding(
    request: Request,
    response: Response,
    route: SimulatedRoute,
    answer: EmbeddingWireAnswer,
    error: (kind: WireErrorKind, plan: CallPlan) => WireError,
  ): Promise<void>;
  /** Counts and records a call that a route answers itself. */
  record(route: SimulatedRoute, request: Request, body: Record<string, unknown>): void;
  /** What the fault plan decides for a call of so many tokens. */
  plan(route: SimulatedRoute, tokens: number): CallPlan;
  /** The scripted guardrail verdicts, as `PUT /_simulator/guardrails` set them. */
  guardrails: readonly GuardrailScript[];
}

/** The plan of a call refused before the fault plan is asked. */
export const noPlan: CallPlan = Object.freeze({ latencyMs: 0, timeToFirstTokenMs: 0 });

export const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export function sendWireError(response: Response, error: WireError): void {
  response.status(error.status).set(error.headers).json(error.body);
}

/**
 * Writes a stream's chunks after the time to first token. An interrupted stream stops halfway and
 * ends with the provider's in-stream error instead of its proper ending.
 */
export async function writeSlowly(
  response: Response,
  chunks: Array<string | Uint8Array>,
  plan: CallPlan,
  interruption?: string | Uint8Array,
): Promise<void> {
  await sleep(plan.timeToFirstTokenMs);
  const sent = interruption ? [...chunks.slice(0, Math.max(1, Math.floor(chunks.length / 2))), interruption] : chunks;
  for (const chunk of sent) {
    if (response.destroyed) return;
    response.write(chunk);
    await sleep(1);
  }
  response.end();
}
