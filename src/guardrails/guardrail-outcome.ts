import type { GuardrailVerdict } from './guardrail-verdict';

/** The first `block` verdict: which policy and check refused, never what matched. */
export interface GuardrailBlock {
  policy: string;
  check: string;
  stage: GuardrailVerdict['stage'];
  /** Why, for checks that have a reason other than a match (size, JSON schema). */
  reason?: string;
}

/** What a set of policies made of a request or an answer: the (masked) value, the verdicts, and the block if one refused. */
export interface GuardrailOutcome<Value> {
  value: Value;
  verdicts: GuardrailVerdict[];
  blocked?: GuardrailBlock;
}

/** The client's message for a block: the policy and the check, never the matched text. */
export function blockedMessage({ policy, check, stage, reason }: GuardrailBlock): string {
  const what = stage === 'input' ? 'The request' : 'The answer';
  return `${what} was blocked by the guardrail policy "${policy}", check "${check}"${reason ? `: ${reason}` : ''}.`;
}
