/** Where a check ran: on the request before any provider saw it, or on the answer before the client did. */
export type GuardrailStage = 'input' | 'output';

export type GuardrailAction = 'block' | 'mask' | 'log';

/**
 * What one check of one policy found, for the decision record, logs and metrics. Never the
 * matched text: only which policy and check, what it did, and how many matches.
 */
export interface GuardrailVerdict {
  policy: string;
  check: string;
  action: GuardrailAction;
  stage: GuardrailStage;
  /** How many matches (pattern checks) the text held. */
  matches?: number;
  /**
   * Why a remote check gave no verdict (`timeout`, `http_500`, `unreachable`, `invalid_verdict`,
   * or an AWS exception name); its action is then `log` (fails open) or `block` (fails closed).
   */
  failure?: string;
}

/** The input guardrails of an inference, carried in its workflow input (the request already masked). */
export interface InputGuardrails {
  /** The policies applied, by name. */
  policies: string[];
  verdicts: GuardrailVerdict[];
}
