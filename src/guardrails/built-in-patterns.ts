import { findPhoneNumbersInText } from 'libphonenumber-js';
import type { builtInGuardrailPatterns } from '../config/gateway-config-schema';
import { passesLuhn } from './luhn';
import { regexMatches, type TextMatch } from './text-match';

export type BuiltInPattern = (typeof builtInGuardrailPatterns)[number];

const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 13 to 19 digits, optionally grouped by spaces or dashes; kept only when the Luhn checksum holds.
const cardCandidate = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
// Area 000, 666 and 900-999, group 00 and serial 0000 are never issued.
const usSsn = /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g;
const ukNino = /\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;
const awsAccessKey = /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g;
// A whole PEM block, or its beginning to the end of the text when the end line is missing.
const privateKey = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g;
const apiToken = new RegExp(
  [
    String.raw`\bsk-(?:proj-|ant-(?:api\d\d-)?|svcacct-)?[A-Za-z0-9_-]{20,}`, // OpenAI, Anthropic
    String.raw`\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}`, // GitHub
    String.raw`\bgithub_pat_[A-Za-z0-9_]{22,}`,
    String.raw`\bxox[abposr]-[A-Za-z0-9-]{10,}`, // Slack
    String.raw`\bAIza[0-9A-Za-z_-]{35}`, // Google API keys
    String.raw`\b(?:sk|rk)_live_[A-Za-z0-9]{16,}`, // Stripe
  ].join('|'),
  'g',
);

const finders: Record<BuiltInPattern, (text: string) => TextMatch[]> = {
  email: (text) => regexMatches(email, text),
  phone: (text) => findPhoneNumbersInText(text, 'US').map((found) => ({ start: found.startsAt, end: found.endsAt })),
  payment_card: (text) => regexMatches(cardCandidate, text, (matched) => passesLuhn(matched.replace(/[ -]/g, ''))),
  us_ssn: (text) => regexMatches(usSsn, text),
  uk_nino: (text) => regexMatches(ukNino, text),
  aws_access_key: (text) => regexMatches(awsAccessKey, text),
  private_key: (text) => regexMatches(privateKey, text),
  api_token: (text) => regexMatches(apiToken, text),
};

/** Where a built-in pattern matches in a text. */
export function findBuiltIn(pattern: BuiltInPattern, text: string): TextMatch[] {
  return finders[pattern](text);
}
