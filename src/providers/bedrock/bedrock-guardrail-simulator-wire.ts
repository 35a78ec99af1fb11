import type { GuardrailScript } from '../../simulator/guardrail-scripts';

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
  scripts: readonly GuardrailScript[],
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
