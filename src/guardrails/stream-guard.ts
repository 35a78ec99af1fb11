import type { GuardrailPolicy } from '../config/gateway-config-schema';
import type { ChatResponse, ToolCall } from '../providers/canonical-chat';
import type { ChatStreamEvent } from '../providers/chat-stream-event';
import type { GuardrailBlock } from './guardrail-outcome';
import type { GuardrailVerdict } from './guardrail-verdict';
import { runOutputGuardrails } from './run-guardrails';

/**
 * The `flow` mode of output checks on a stream, run by the streaming call in the worker: the
 * attempt's pieces are gathered, and the answer so far meets the policies' pattern checks at each
 * piece of text, reasoning or tool arguments, before that piece is published. Size and JSON schema checks wait
 * for the whole answer. `verdicts` are those of the last check.
 */
export class StreamGuard {
  private text = '';
  private reasoning = '';
  private readonly toolCalls: ToolCall[] = [];
  private readonly piecewise: GuardrailPolicy[];
  verdicts: GuardrailVerdict[] = [];

  constructor(policies: GuardrailPolicy[]) {
    this.piecewise = policies.map((policy) => ({
      ...policy,
      checks: policy.checks.filter((check) => check.type !== 'size' && check.type !== 'json_schema'),
    }));
  }

  /** The block this piece brings, if any; events that carry no text pass unchecked. */
  check(event: ChatStreamEvent): GuardrailBlock | undefined {
    if (event.type === 'text') this.text += event.text;
    else if (event.type === 'reasoning') this.reasoning += event.text;
    else if (event.type === 'tool_call_start')
      this.toolCalls[event.index] = { id: event.id, type: 'function', function: { name: event.name, arguments: '' } };
    else if (event.type === 'tool_call_delta' && this.toolCalls[event.index])
      this.toolCalls[event.index]!.function.arguments += event.arguments;
    else return undefined;
    const outcome = runOutputGuardrails(this.piecewise, this.answerSoFar(), undefined);
    this.verdicts = outcome.verdicts;
    return outcome.blocked;
  }

  private answerSoFar(): ChatResponse {
    const calls = this.toolCalls.filter(Boolean);
    return {
      id: '',
      created: 0,
      model: '',
      content: this.text || (calls.length ? null : ''),
      finishReason: 'stop',
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      ...(calls.length && { toolCalls: calls }),
      ...(this.reasoning && { reasoning: this.reasoning }),
    };
  }
}
