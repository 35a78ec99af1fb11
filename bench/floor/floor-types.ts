import type OpenAI from 'openai';

/**
 * How the floor workflow makes the provider call: `local`, a fifth local activity (the whole
 * inference is one workflow task), or `activity`, a regular activity (a second workflow task).
 */
export type FloorShape = 'local' | 'activity';
export const floorShapes: readonly FloorShape[] = ['local', 'activity'];

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
