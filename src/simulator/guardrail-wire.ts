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

interface ApplyGuardrailBody {
  source?: string;
  content?: Array<{ text?: { text?: string } }>;
}

const usage = (texts: string[]) => {
  // One text unit per 1,000 characters, as Bedrock bills them.
  const units = texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 1000)), 0);
  return {
    topicPolicyUnits: 0,
    contentPolicyUnits: 0,
    wordPolicyUnits: units,
    sensitiveInformationPolicyUnits: units,
    sensitiveInformationPolicyFreeUnits: 0,
    contextualGroundingPolicyUnits: 0,
  };
};

const includesTerm = (text: string, term: string) => text.toLowerCase().includes(term.toLowerCase());

/** Whether the ApplyGuardrail body is one the service would accept: a source and text blocks. */
export function isApplyGuardrailBody(body: ApplyGuardrailBody): boolean {
  return (
    (body.source === 'INPUT' || body.source === 'OUTPUT') && Array.isArray(body.content) && body.content.length > 0
  );
}

/** The ApplyGuardrail response body for the texts, as the scripts for this guardrail decide. */
export function applyGuardrailOutput(
  scripts: GuardrailScript[],
  guardrailIdentifier: string,
  body: ApplyGuardrailBody,
) {
  const texts = (body.content ?? []).map((block) => block.text?.text ?? '');
  const script = scripts.find(
    (candidate) => candidate.guardrailIdentifier === undefined || candidate.guardrailIdentifier === guardrailIdentifier,
  );
  const blocked = script?.blockTerms.filter((term) => texts.some((text) => includesTerm(text, term))) ?? [];
  if (script && blocked.length > 0) {
    return {
      usage: usage(texts),
      action: 'GUARDRAIL_INTERVENED',
      actionReason: 'Guardrail blocked.',
      outputs: [{ text: script.blockedMessage }],
      assessments: [
        { wordPolicy: { customWords: blocked.map((match) => ({ match, action: 'BLOCKED', detected: true })) } },
      ],
    };
  }
  const masked = script?.maskTerms.filter((term) => texts.some((text) => includesTerm(text, term))) ?? [];
  if (script && masked.length > 0) {
    const pattern = new RegExp(masked.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
    return {
      usage: usage(texts),
      action: 'GUARDRAIL_INTERVENED',
      actionReason: 'Guardrail masked.',
      outputs: texts.map((text) => ({ text: text.replace(pattern, script.maskLabel) })),
      assessments: [
        {
          sensitiveInformationPolicy: {
            regexes: masked.map((match) => ({
              name: 'scripted',
              match,
              regex: match,
              action: 'ANONYMIZED',
              detected: true,
            })),
          },
        },
      ],
    };
  }
  return { usage: usage(texts), action: 'NONE', outputs: [], assessments: [] };
}
