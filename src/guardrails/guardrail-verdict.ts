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
  /** A streamed request whose answer is held (`stream: hold`): its output checks run in the worker too. */
  holdStream?: true;
}

/** The refusal the API sends instead of an answer: 400 `content_blocked` or 503 `guardrail_unavailable`. */
export interface GuardrailRefusal {
  code: 'content_blocked' | 'guardrail_unavailable';
  message: string;
}

/**
 * What the output checks made of an answer, run in the worker on the provider's answer and
 * recorded with it (the answer beside it already masked, or emptied when refused).
 */
export interface OutputGuardrails {
  verdicts: GuardrailVerdict[];
  refused?: GuardrailRefusal;
}
