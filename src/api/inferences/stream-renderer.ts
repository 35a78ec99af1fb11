import type { ChatStreamEvent } from '../../providers/chat-stream-event';

/** Renders one streamed answer as server-sent-event frames in a client's wire format. */
export interface StreamRenderer {
  /** Frames for one canonical event; the first content event also opens the answer. Empty until then. */
  event(event: ChatStreamEvent): string[];
  /** Frames that close a complete answer. */
  end(): string[];
  /** Frames that end a begun answer with an error, never with the format's clean ending. */
  error(status: number, code: string, message: string): string[];
}
