import { z } from 'zod';

/**
 * A scripted Amazon Bedrock guardrail: which texts make it intervene. A term in `blockTerms`
 * blocks (the outputs are the blocked message); a term in `maskTerms` is anonymized (the outputs
 * are the texts with each occurrence replaced by `maskLabel`). Faults (errors, latency, hang) are
 * scripted like any route's, with `model: "guardrail:<identifier>:<version>"`.
 */
export const guardrailScriptSchema = z.strictObject({
  /** The guardrail this script answers for; every guardrail when omitted. */
  guardrailIdentifier: z.string().optional(),
  blockTerms: z.array(z.string().min(1)).default([]),
  maskTerms: z.array(z.string().min(1)).default([]),
  /** @default '{MASKED}' */
  maskLabel: z.string().default('{MASKED}'),
  /** @default 'Sorry, I cannot help with that.' */
  blockedMessage: z.string().default('Sorry, I cannot help with that.'),
});
export type GuardrailScript = z.infer<typeof guardrailScriptSchema>;
export type GuardrailScriptInput = z.input<typeof guardrailScriptSchema>;
export const guardrailScriptListSchema = z.array(guardrailScriptSchema);
