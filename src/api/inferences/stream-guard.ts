import type { GuardrailPolicy } from '../../config/gateway-config-schema';
import type { GuardrailBlock } from '../../guardrails/guardrail-outcome';
import type { GuardrailVerdict } from '../../guardrails/guardrail-verdict';
import { runOutputGuardrails } from '../../guardrails/run-guardrails';
import type { ChatRequest, ChatResponse, ToolCall } from '../../providers/canonical-chat';
import type { StreamMessage } from '../../streaming/stream-channel';

/**
 * The `flow` mode of output checks on a stream: the pieces of the current attempt are gathered,
 * and the answer so far is checked at each piece of text or tool arguments, and once more, whole,
 * before the stream's clean end. Says when a check blocks; the verdicts are those of the last check.
 */
export class StreamGuard {
  private text = '';
  private readonly toolCalls: ToolCall[] = [];
  verdicts: GuardrailVerdict[] = [];

  constructor(
    private readonly policies: GuardrailPolicy[],
    private readonly format: ChatRequest['response_format'],
  ) {}

  /** The block this message brings, if any (a new attempt starts the gathering afresh). */
  check(message: StreamMessage): GuardrailBlock | undefined {
    if (message.type === 'reset') {
      this.text = '';
      this.toolCalls.length = 0;
      return undefined;
    }
    if (message.type === 'event') {
      const { event } = message;
      if (event.type === 'text') this.text += event.text;
      else if (event.type === 'tool_call_start')
        this.toolCalls[event.index] = { id: event.id, type: 'function', function: { name: event.name, arguments: '' } };
      else if (event.type === 'tool_call_delta' && this.toolCalls[event.index])
        this.toolCalls[event.index]!.function.arguments += event.arguments;
      else return undefined;
      // Size and JSON schema checks wait for the whole answer; the pattern checks run on what has come.
      return this.run(false);
    }
    return this.run(true);
  }

  private run(whole: boolean): GuardrailBlock | undefined {
    const calls = this.toolCalls.filter(Boolean);
    const response: ChatResponse = {
      id: '',
      created: 0,
      model: '',
      content: this.text || (calls.length ? null : ''),
      finishReason: 'stop',
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      ...(calls.length && { toolCalls: calls }),
    };
    const policies = whole
      ? this.policies
      : this.policies.map((policy) => ({
          ...policy,
          checks: policy.checks.filter((check) => check.type !== 'size' && check.type !== 'json_schema'),
        }));
    const outcome = runOutputGuardrails(policies, response, whole ? this.format : undefined);
    this.verdicts = outcome.verdicts;
    return outcome.blocked;
  }
}
