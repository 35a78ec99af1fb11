import type { GuardrailRefusal, GuardrailVerdict } from './guardrail-verdict';

/** The first `block` verdict: which policy and check refused, never what matched. */
export interface GuardrailBlock {
  policy: string;
  check: string;
  stage: GuardrailVerdict['stage'];
  /** Why, for checks that have a reason other than a match (size, JSON schema). */
  reason?: string;
}

/** A remote check that failed closed: which one, and why (never a text). */
export interface GuardrailFailure {
  policy: string;
  check: string;
  stage: GuardrailVerdict['stage'];
  failure: string;
}

/**
 * What a set of policies made of a request or an answer: the (masked) value, the verdicts, the
 * block if one refused, or the remote check that failed closed.
 */
export interface GuardrailOutcome<Value> {
  value: Value;
  verdicts: GuardrailVerdict[];
  blocked?: GuardrailBlock;
  unavailable?: GuardrailFailure;
}

/** The client's message for a block: the policy and the check, never the matched text. */
export function blockedMessage({ policy, check, stage, reason }: GuardrailBlock): string {
  const what = stage === 'input' ? 'The request' : 'The answer';
  return `${what} was blocked by the guardrail policy "${policy}", check "${check}"${reason ? `: ${reason}` : ''}.`;
}

/** The client's message when a check that fails closed could not give a verdict. */
export function unavailableMessage({ policy, check, stage, failure }: GuardrailFailure): string {
  const what = stage === 'input' ? 'The request' : 'The answer';
  return `${what} could not be checked by the guardrail policy "${policy}", check "${check}" (${failure}); the check fails closed. Try again later.`;
}

/** The refusal an outcome makes, if any: a remote check that failed closed first, then a block. */
export function refusalOf(
  outcome: Pick<GuardrailOutcome<unknown>, 'blocked' | 'unavailable'>,
): GuardrailRefusal | undefined {
  if (outcome.unavailable) return { code: 'guardrail_unavailable', message: unavailableMessage(outcome.unavailable) };
  if (outcome.blocked) return { code: 'content_blocked', message: blockedMessage(outcome.blocked) };
  return undefined;
}
