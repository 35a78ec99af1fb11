import type { ChatResponse, ChatUsage, FinishReason, ThinkingBlock, ToolCall } from './canonical-chat';
import type { ChatStreamEvent } from './chat-stream-event';

/** Builds the complete canonical response from a stream's events, for the workflow's audit. */
export class ChatStreamAssembler {
  private id: string | undefined;
  private model: string | undefined;
  private details: Pick<ChatResponse, 'systemFingerprint' | 'serviceTier' | 'droppedParameters' | 'stopSequence'> = {};
  private text = '';
  private readonly thinking: ThinkingBlock[] = [];
  /** The reasoning block still taking text (none after a signature or another kind of content). */
  private openThinking: Extract<ThinkingBlock, { type: 'thinking' }> | undefined;
  private readonly toolCalls: ToolCall[] = [];
  private finishReason: FinishReason | undefined;
  private usage: ChatUsage | undefined;

  add(event: ChatStreamEvent): void {
    if (event.type !== 'reasoning' && event.type !== 'reasoning_signature') this.openThinking = undefined;
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.model = event.model;
        if (event.systemFingerprint) this.details.systemFingerprint = event.systemFingerprint;
        if (event.serviceTier) this.details.serviceTier = event.serviceTier;
        break;
      case 'dropped':
        this.details.droppedParameters = event.parameters;
        break;
      case 'text':
        this.text += event.text;
        break;
      case 'reasoning':
        if (!this.openThinking) {
          this.openThinking = { type: 'thinking', thinking: '' };
          this.thinking.push(this.openThinking);
        }
        this.openThinking.thinking += event.text;
        break;
      case 'reasoning_signature': {
        const block = this.openThinking ?? { type: 'thinking' as const, thinking: '' };
        if (!this.openThinking) this.thinking.push(block);
        block.signature = event.signature;
        this.openThinking = undefined;
        break;
      }
      case 'redacted_reasoning':
        this.thinking.push({ type: 'redacted_thinking', data: event.data });
        break;
      case 'provider_block':
        // Kept out of the assembled answer: it serves the stream, and the audit keeps the text and calls.
        break;
      case 'tool_call_start':
        this.toolCalls[event.index] = { id: event.id, type: 'function', function: { name: event.name, arguments: '' } };
        break;
      case 'tool_call_delta': {
        const call = this.toolCalls[event.index];
        if (call) call.function.arguments += event.arguments;
        break;
      }
      case 'finish':
        this.finishReason = event.finishReason;
        if (event.stopSequence !== undefined) this.details.stopSequence = event.stopSequence;
        break;
      case 'usage':
        this.usage = event.usage;
        break;
    }
  }

  /** The answer so far as a response; `fallback` names it when the provider gave no id or model. */
  result(fallback: { id: string; model: string; created: number }): ChatResponse {
    const toolCalls = this.toolCalls.filter((call): call is ToolCall => call !== undefined);
    const usage = this.usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    const reasoning = this.thinking.map((block) => (block.type === 'thinking' ? block.thinking : '')).join('');
    return {
      id: this.id || fallback.id,
      created: fallback.created,
      model: this.model || fallback.model,
      content: this.text || (toolCalls.length > 0 ? null : ''),
      ...(toolCalls.length > 0 && { toolCalls }),
      finishReason: this.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      usage,
      ...(this.thinking.length > 0 && { thinking: this.thinking, ...(reasoning && { reasoning }) }),
      ...this.details,
    };
  }
}
