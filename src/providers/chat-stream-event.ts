import type { ChatResponse, ChatUsage, FinishReason } from './canonical-chat';

/**
 * One step of a streamed answer in the gateway's canonical terms. Adapters turn each provider's
 * stream into these; the API renders them as OpenAI chunks or Anthropic events. Tool calls are
 * numbered from 0 in the order they start, whatever the provider's own block numbering.
 */
export type ChatStreamEvent =
  /** The provider's id for the answer and the model it says answered; carries no content. */
  | { type: 'start'; id: string; model: string }
  | { type: 'text'; text: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  /** A piece of the call's JSON arguments text. */
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'finish'; finishReason: FinishReason }
  /** Usage so far; a later usage event replaces an earlier one. */
  | { type: 'usage'; usage: ChatUsage };

/** Events that put part of the answer on the wire: after the first one, a failure cannot be hidden. */
export function isContentEvent(event: ChatStreamEvent): boolean {
  return event.type === 'text' || event.type === 'tool_call_start' || event.type === 'tool_call_delta' || event.type === 'finish';
}

/** A complete answer as the events that would have streamed it. */
export function responseAsStreamEvents(response: ChatResponse): ChatStreamEvent[] {
  const events: ChatStreamEvent[] = [{ type: 'start', id: response.id, model: response.model }];
  if (response.content) events.push({ type: 'text', text: response.content });
  (response.toolCalls ?? []).forEach((call, index) => {
    events.push({ type: 'tool_call_start', index, id: call.id, name: call.function.name });
    if (call.function.arguments) events.push({ type: 'tool_call_delta', index, arguments: call.function.arguments });
  });
  events.push({ type: 'finish', finishReason: response.finishReason }, { type: 'usage', usage: response.usage });
  return events;
}
