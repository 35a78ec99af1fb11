import type { ChatResponse, ChatUsage, FinishReason } from './canonical-chat';

/**
 * One step of a streamed answer in the gateway's canonical terms. Adapters turn each provider's
 * stream into these; the API renders them as OpenAI chunks or Anthropic events. Tool calls are
 * numbered from 0 in the order they start, whatever the provider's own block numbering.
 */
export type ChatStreamEvent =
  /** The provider's id for the answer and the model it says answered; carries no content. */
  | { type: 'start'; id: string; model: string; systemFingerprint?: string; serviceTier?: string }
  /** Request fields the route left out; sent before anything else, so the API can say so in a header. */
  | { type: 'dropped'; parameters: string[] }
  | { type: 'text'; text: string }
  /** A piece of the model's reasoning; a reasoning event after a signature starts a new block. */
  | { type: 'reasoning'; text: string }
  /** The signature that closes the current reasoning block. */
  | { type: 'reasoning_signature'; signature: string }
  /** A reasoning block the provider sent encrypted, whole. */
  | { type: 'redacted_reasoning'; data: string }
  /** A whole Anthropic content block the canonical form has no place for (a server tool's use or result). */
  | { type: 'provider_block'; block: Record<string, unknown> }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  /** A piece of the call's JSON arguments text. */
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'finish'; finishReason: FinishReason; stopSequence?: string }
  /** Usage so far; a later usage event replaces an earlier one. */
  | { type: 'usage'; usage: ChatUsage };

/** Events that put part of the answer on the wire: after the first one, a failure cannot be hidden. */
export function isContentEvent(event: ChatStreamEvent): boolean {
  return event.type !== 'start' && event.type !== 'usage' && event.type !== 'dropped';
}

/** A complete answer as the events that would have streamed it. */
export function responseAsStreamEvents(response: ChatResponse): ChatStreamEvent[] {
  const events: ChatStreamEvent[] = [
    {
      type: 'start',
      id: response.id,
      model: response.model,
      ...(response.systemFingerprint && { systemFingerprint: response.systemFingerprint }),
      ...(response.serviceTier && { serviceTier: response.serviceTier }),
    },
  ];
  if (response.droppedParameters?.length) events.push({ type: 'dropped', parameters: response.droppedParameters });
  for (const block of response.thinking ??
    (response.reasoning ? [{ type: 'thinking' as const, thinking: response.reasoning }] : [])) {
    if (block.type === 'redacted_thinking') events.push({ type: 'redacted_reasoning', data: block.data });
    else {
      events.push({ type: 'reasoning', text: block.thinking });
      if (block.signature) events.push({ type: 'reasoning_signature', signature: block.signature });
    }
  }
  if (response.content) events.push({ type: 'text', text: response.content });
  (response.toolCalls ?? []).forEach((call, index) => {
    events.push({ type: 'tool_call_start', index, id: call.id, name: call.function.name });
    if (call.function.arguments) events.push({ type: 'tool_call_delta', index, arguments: call.function.arguments });
  });
  events.push(
    {
      type: 'finish',
      finishReason: response.finishReason,
      ...(response.stopSequence !== undefined && { stopSequence: response.stopSequence }),
    },
    { type: 'usage', usage: response.usage },
  );
  return events;
}
