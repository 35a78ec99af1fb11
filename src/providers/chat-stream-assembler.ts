import type { ChatResponse, ChatUsage, FinishReason, ToolCall } from './canonical-chat';
import type { ChatStreamEvent } from './chat-stream-event';

/** Builds the complete canonical response from a stream's events, for the workflow's audit. */
export class ChatStreamAssembler {
  private id: string | undefined;
  private model: string | undefined;
  private text = '';
  private readonly toolCalls: ToolCall[] = [];
  private finishReason: FinishReason | undefined;
  private usage: ChatUsage | undefined;

  add(event: ChatStreamEvent): void {
    switch (event.type) {
      case 'start':
        this.id = event.id;
        this.model = event.model;
        break;
      case 'text':
        this.text += event.text;
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
    return {
      id: this.id || fallback.id,
      created: fallback.created,
      model: this.model || fallback.model,
      content: this.text || (toolCalls.length > 0 ? null : ''),
      ...(toolCalls.length > 0 && { toolCalls }),
      finishReason: this.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      usage,
    };
  }
}
