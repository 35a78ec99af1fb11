import type { GuardrailCheck, GuardrailPolicy } from '../config/gateway-config-schema';
import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import { collectTexts, rewriteRequestTexts, rewriteResponseTexts, type TextRewrite } from './chat-texts';
import type { GuardrailOutcome } from './guardrail-outcome';
import type { GuardrailStage, GuardrailVerdict } from './guardrail-verdict';
import { validateJsonAnswer } from './json-schema-check';
import { checkName, findMatches, isPatternCheck, isRemoteCheck, maskLabel } from './pattern-check';
import { replaceMatches } from './text-match';

/** Rewrites every text of the value (a request or an answer) with one function. */
type Rewriter<Value> = (value: Value, rewrite: TextRewrite) => Value;

interface StageContext<Value> {
  stage: GuardrailStage;
  rewriter: Rewriter<Value>;
  /** The verdict of a check that is not a pattern (size, JSON schema): a reason to refuse, or none. */
  otherCheck(check: GuardrailCheck, value: Value): string | undefined;
}

function runStage<Value>(
  policies: GuardrailPolicy[],
  value: Value,
  context: StageContext<Value>,
): GuardrailOutcome<Value> {
  const verdicts: GuardrailVerdict[] = [];
  let current = value;
  for (const policy of policies) {
    for (const check of policy.checks) {
      // Remote checks run afterwards, on what the offline checks left (run-remote-guardrails.ts).
      if (isRemoteCheck(check)) continue;
      const stages: readonly GuardrailStage[] = 'on' in check ? check.on : ['output'];
      if (!stages.includes(context.stage)) continue;
      const verdict = { policy: policy.name, check: checkName(check), action: check.action, stage: context.stage };
      if (!isPatternCheck(check)) {
        const reason = context.otherCheck(check, current);
        if (reason === undefined) continue;
        verdicts.push(verdict);
        if (check.action === 'block')
          return {
            value: current,
            verdicts,
            blocked: { policy: policy.name, check: verdict.check, stage: context.stage, reason },
          };
        continue;
      }
      let matches = 0;
      const label = maskLabel(check);
      const masked = context.rewriter(current, (text) => {
        const found = findMatches(check, text);
        matches += found.length;
        return check.action === 'mask' && found.length > 0 ? replaceMatches(text, found, label) : text;
      });
      if (matches === 0) continue;
      verdicts.push({ ...verdict, matches });
      if (check.action === 'block')
        return {
          value: current,
          verdicts,
          blocked: { policy: policy.name, check: verdict.check, stage: context.stage },
        };
      if (check.action === 'mask') current = masked;
    }
  }
  return { value: current, verdicts };
}

const totalChars = (texts: string[]) => texts.reduce((sum, text) => sum + text.length, 0);

/** Runs the policies' input checks on every message, part and tool-call argument of the request. */
export function runInputGuardrails(policies: GuardrailPolicy[], request: ChatRequest): GuardrailOutcome<ChatRequest> {
  return runStage(policies, request, {
    stage: 'input',
    rewriter: rewriteRequestTexts,
    otherCheck: (check, value) => {
      if (check.type !== 'size') return undefined;
      const size = totalChars(collectTexts((rewrite) => rewriteRequestTexts(value, rewrite)));
      return size > check.maxChars
        ? `the request holds ${size} characters of text, more than ${check.maxChars}`
        : undefined;
    },
  });
}

/** Runs the policies' output checks on the answer (every choice and tool call), for a request that asked for `format`. */
export function runOutputGuardrails(
  policies: GuardrailPolicy[],
  response: ChatResponse,
  format: ChatRequest['response_format'],
): GuardrailOutcome<ChatResponse> {
  return runStage(policies, response, {
    stage: 'output',
    rewriter: rewriteResponseTexts,
    otherCheck: (check, value) => {
      if (check.type === 'size') {
        const size = totalChars(collectTexts((rewrite) => rewriteResponseTexts(value, rewrite)));
        return size > check.maxChars
          ? `the answer holds ${size} characters of text, more than ${check.maxChars}`
          : undefined;
      }
      if (check.type !== 'json_schema' || format?.type !== 'json_schema' || !format.json_schema.schema)
        return undefined;
      // A tool call answers no schema; only the text answers are held to it.
      if (value.content === null && value.toolCalls?.length) return undefined;
      const answers = [value.content, ...(value.moreChoices ?? []).map((choice) => choice.content)];
      for (const answer of answers) {
        const result = validateJsonAnswer(answer, format.json_schema.schema);
        if (!result.valid) return result.reason;
      }
      return undefined;
    },
  });
}

const readsOutput = (policy: GuardrailPolicy) =>
  policy.checks.some((check) => !('on' in check) || check.on.includes('output'));

/**
 * How a stream meets the policies' output checks: `none` when no check reads the answer, `hold`
 * when any policy that reads it holds, else `flow`.
 */
export function streamGuarding(policies: GuardrailPolicy[]): 'none' | 'hold' | 'flow' {
  const reading = policies.filter(readsOutput);
  if (reading.length === 0) return 'none';
  return reading.some((policy) => policy.stream === 'hold') ? 'hold' : 'flow';
}
