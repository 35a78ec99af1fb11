import type { GuardrailRefusal } from '../guardrails/guardrail-verdict';
import type { ChatStreamEvent } from '../providers/chat-stream-event';
import type { Route } from '../routing/route';

/**
 * What travels from a streaming attempt (activity) to the API serving the client. Every message
 * names its attempt (activity id and try), so messages of a superseded attempt are recognisable.
 */
export type StreamMessage =
  /** An attempt begins on a route: whatever an earlier attempt streamed is void. */
  | { type: 'reset'; attempt: string; route: Route }
  | { type: 'event'; attempt: string; event: ChatStreamEvent }
  /** The attempt's provider stream ended cleanly; the answer is complete. */
  | { type: 'done'; attempt: string }
  /**
   * An output check refused the answer of a `flow` stream (the piece that completed the match,
   * or the whole answer, was not published); nothing more of this attempt comes.
   */
  | { type: 'blocked'; attempt: string; refused: GuardrailRefusal };

export interface StreamSubscription {
  /** The next message, in publish order; waits until one arrives. */
  next(): Promise<StreamMessage>;
  close(): Promise<void>;
}

/**
 * Carries tokens from the worker to the API, keyed by inference id, outside workflow history.
 * Delivery is at most once and only to subscribers present when a message is published, so the
 * API subscribes before it starts the workflow.
 */
export interface StreamChannel {
  publish(inferenceId: string, message: StreamMessage): Promise<void>;
  /** Resolves once the subscription is in place: every message published afterwards reaches it. */
  subscribe(inferenceId: string): Promise<StreamSubscription>;
  /** Tells every process on the channel that the client of this inference left (see cancel-signal). */
  publishCancel(inferenceId: string): Promise<void>;
  /** Calls `listener` with the id of every inference cancelled from now on; resolves once that holds. */
  watchCancels(listener: (inferenceId: string) => void): Promise<void>;
  close(): Promise<void>;
}
