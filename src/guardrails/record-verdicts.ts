import type { Logger } from 'pino';
import { guardrailVerdictsTotal } from '../observability/metrics';
import type { GuardrailVerdict } from './guardrail-verdict';

/** Counts and logs each verdict: policy, check, action, stage and match count, never the matched text. */
export function recordGuardrailVerdicts(
  logger: Logger,
  verdicts: readonly GuardrailVerdict[],
  context: Record<string, unknown>,
): void {
  for (const verdict of verdicts) {
    guardrailVerdictsTotal.inc({
      policy: verdict.policy,
      check: verdict.check,
      action: verdict.action,
      stage: verdict.stage,
    });
    // A remote check that gave no verdict is an operator's problem (an outage, a timeout): a warning.
    if (verdict.failure) logger.warn({ ...context, guardrail: verdict }, 'guardrail verdict');
    else logger.info({ ...context, guardrail: verdict }, 'guardrail verdict');
  }
}
