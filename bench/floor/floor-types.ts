import type OpenAI from 'openai';

/**
 * How the floor workflow makes the provider call: `local`, a fifth local activity (the whole
 * inference is one workflow task), or `activity`, a regular activity (a second workflow task).
 * `visible` is `local` plus what the gateway asks of Temporal's visibility for each inference: a
 * memo, a static summary and two search attributes at the start, and one upsert of five search
 * attributes before it completes. It prices those features on the server; still no gateway code.
 */
export type FloorShape = 'local' | 'activity' | 'visible';
export const floorShapes: readonly FloorShape[] = ['local', 'activity', 'visible'];

export type ChatRequest = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

export interface FloorInput {
  shape: FloorShape;
  request: ChatRequest;
  /** Set for a streamed request: the provider call hands each chunk to this process's sink of that key. */
  streamKey?: string;
}

export type SelectionStepName = 'provider' | 'model' | 'account' | 'region';

export interface SelectionStepInput {
  step: SelectionStepName;
  modelGroup: string;
  chosen: Partial<Record<SelectionStepName, string>>;
}

/** About what one of the gateway's selection steps returns, without any of its work. */
export interface SelectionStepDecision {
  step: SelectionStepName;
  choice: string;
  candidates: Array<{ id: string; score: number }>;
  skipped: Array<{ id: string; reason: string }>;
}

export interface ProviderCallInput {
  request: ChatRequest;
  streamKey?: string;
}

export interface ProviderCallOutcome {
  /** The upstream's body (a streamed call returns the assembled text and the chunk count instead). */
  response: OpenAI.Chat.ChatCompletion | { content: string; chunks: number };
  latencyMs: number;
}

export interface FloorResult {
  response: ProviderCallOutcome['response'];
  route: string;
}
