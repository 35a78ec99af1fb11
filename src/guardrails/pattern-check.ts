import type { GuardrailCheck } from '../config/gateway-config-schema';
import { findBuiltIn, type BuiltInPattern } from './built-in-patterns';
import { regexMatches, type TextMatch } from './text-match';

/** The checks that call a service (Amazon Bedrock Guardrails, a webhook); they run after the offline ones. */
export type RemoteCheck = Extract<GuardrailCheck, { type: 'bedrock' | 'webhook' }>;

export function isRemoteCheck(check: GuardrailCheck): check is RemoteCheck {
  return check.type === 'bedrock' || check.type === 'webhook';
}

/** The offline checks that look for matches in text, and so may mask them. */
export type PatternCheck = Exclude<GuardrailCheck, { type: 'size' } | { type: 'json_schema' } | RemoteCheck>;

export function isPatternCheck(check: GuardrailCheck): check is PatternCheck {
  return check.type !== 'size' && check.type !== 'json_schema' && !isRemoteCheck(check);
}

/** The check's name in verdicts, errors and metrics: the built-in's type, or the name config gave it. */
export function checkName(check: GuardrailCheck): string {
  return 'name' in check ? check.name : check.type;
}

/** What a mask puts in place of a match: the configured label, else `[EMAIL]`, `[PAYMENT_CARD]`… */
export function maskLabel(check: PatternCheck): string {
  return check.label ?? `[${checkName(check).toUpperCase()}]`;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Compiled once per loaded config: the check objects live as long as their config.
const compiled = new WeakMap<PatternCheck, RegExp>();

function compiledPattern(check: Extract<PatternCheck, { type: 'regex' | 'deny_list' }>): RegExp {
  let pattern = compiled.get(check);
  if (!pattern) {
    pattern =
      check.type === 'regex'
        ? new RegExp(check.pattern, `${check.flags.replace('g', '')}gu`)
        : // Whole words and phrases: no letter or digit right before or after, any case, any run of spaces.
          new RegExp(
            `(?<![\\p{L}\\p{N}])(?:${check.terms.map((term) => escapeRegex(term).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}])`,
            'giu',
          );
    compiled.set(check, pattern);
  }
  return pattern;
}

/** Where the check matches in one text. */
export function findMatches(check: PatternCheck, text: string): TextMatch[] {
  if (check.type === 'regex' || check.type === 'deny_list') return regexMatches(compiledPattern(check), text);
  return findBuiltIn(check.type as BuiltInPattern, text);
}
