import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guardrailScriptListSchema } from '../../simulator/guardrail-scripts';
import { applyGuardrailOutput } from './bedrock-guardrail-simulator-wire';

const body = (...texts: string[]) => ({ source: 'INPUT', content: texts.map((text) => ({ text: { text } })) });

describe('simulated ApplyGuardrail', () => {
  const scripts = guardrailScriptListSchema.parse([
    { guardrailIdentifier: 'gr-1', blockTerms: ['Launch Codes'], maskTerms: ['ACCT-1'], maskLabel: '{ACCOUNT}' },
  ]);

  it('intervenes and blocks on a block term, in any case, with a BLOCKED assessment', () => {
    const answer = applyGuardrailOutput(scripts, 'gr-1', body('hello', 'the launch codes please'));
    assert.equal(answer.action, 'GUARDRAIL_INTERVENED');
    assert.deepEqual(answer.outputs, [{ text: 'Sorry, I cannot help with that.' }]);
    assert.match(JSON.stringify(answer.assessments), /"action":"BLOCKED"/);
  });

  it('anonymizes a mask term: one output per text sent, with ANONYMIZED assessments', () => {
    const answer = applyGuardrailOutput(scripts, 'gr-1', body('see acct-1 and ACCT-1', 'nothing here'));
    assert.equal(answer.action, 'GUARDRAIL_INTERVENED');
    assert.deepEqual(answer.outputs, [{ text: 'see {ACCOUNT} and {ACCOUNT}' }, { text: 'nothing here' }]);
    assert.doesNotMatch(JSON.stringify(answer.assessments), /BLOCKED/);
  });

  it('does nothing for clean text or another guardrail', () => {
    assert.equal(applyGuardrailOutput(scripts, 'gr-1', body('clean')).action, 'NONE');
    assert.equal(applyGuardrailOutput(scripts, 'gr-2', body('launch codes')).action, 'NONE');
  });
});
