import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guardrailPolicySchema, type GuardrailPolicy } from '../config/gateway-config-schema';
import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import { passesLuhn } from './luhn';
import { runInputGuardrails, runOutputGuardrails } from './run-guardrails';

const policy = (checks: unknown[], name = 'test-policy'): GuardrailPolicy =>
  guardrailPolicySchema.parse({ name, checks });
const ask = (text: string): ChatRequest => ({ messages: [{ role: 'user', content: text }] });
const maskAll = (type: string, text: string) =>
  runInputGuardrails([policy([{ type, action: 'mask' }])], ask(text)).value.messages[0]!.content;
const answer = (content: string | null, extra: Partial<ChatResponse> = {}): ChatResponse => ({
  id: 'r',
  created: 0,
  model: 'm',
  content,
  finishReason: 'stop',
  usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
  ...extra,
});

describe('built-in pattern checks', () => {
  const cases: Array<{ type: string; found: string[]; ignored: string[] }> = [
    { type: 'email', found: ['jane.doe+tag@example.co.uk'], ignored: ['jane at example dot com', '@handle'] },
    {
      type: 'phone',
      found: ['(212) 555-0199', '+44 20 7946 0958', '415-867-5309'],
      ignored: ['order 12345678', 'version 1.2.3'],
    },
    {
      type: 'payment_card',
      found: ['4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005'],
      ignored: ['4111 1111 1111 1112', '1234567890123'],
    },
    { type: 'us_ssn', found: ['123-45-6789'], ignored: ['000-12-3456', '666-12-3456', '123-00-4567', '123-45-0000'] },
    { type: 'uk_nino', found: ['AB 12 34 56 C', 'AB123456C'], ignored: ['GB123456A', 'QQ123456E'] },
    {
      type: 'aws_access_key',
      found: ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A'],
      ignored: ['AKIA-not-a-key', 'XKIAIOSFODNN7EXAMPLE'],
    },
    {
      type: 'private_key',
      found: [
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----',
      ],
      ignored: ['-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----'],
    },
    {
      type: 'api_token',
      found: [
        'sk-proj-abcdefghijklmnopqrstuvwxyz0123',
        'sk-ant-api03-abcdefghijklmnopqrstuv',
        `ghp_${'a1'.repeat(18)}`,
        'xoxb-1234567890-abcdef',
      ],
      ignored: ['sk-short', 'ghp_tooshort'],
    },
  ];
  for (const { type, found, ignored } of cases) {
    it(`${type}: masks each match with its label and leaves look-alikes alone`, () => {
      for (const value of found)
        assert.equal(
          maskAll(type, `before ${value} after`),
          `before [${type.toUpperCase()}] after`,
          `${type} should find ${JSON.stringify(value)}`,
        );
      for (const value of ignored)
        assert.equal(
          maskAll(type, `before ${value} after`),
          `before ${value} after`,
          `${type} should ignore ${JSON.stringify(value)}`,
        );
    });
  }

  it('private_key: a block cut before its end line is masked to the end of the text', () => {
    assert.equal(maskAll('private_key', 'key: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg'), 'key: [PRIVATE_KEY]');
  });

  it('Luhn: accepts valid card numbers only', () => {
    assert.equal(passesLuhn('4111111111111111'), true);
    assert.equal(passesLuhn('4111111111111112'), false);
    assert.equal(passesLuhn(''), false);
  });
});

describe('custom checks', () => {
  it('regex: matches with its flags and masks with the configured label', () => {
    const checks = [
      { type: 'regex', name: 'ticket', pattern: 'TICKET-\\d+', flags: 'i', action: 'mask', label: '<ticket>' },
    ];
    const outcome = runInputGuardrails([policy(checks)], ask('see ticket-42 and TICKET-7'));
    assert.equal(outcome.value.messages[0]!.content, 'see <ticket> and <ticket>');
    assert.deepEqual(outcome.verdicts, [
      { policy: 'test-policy', check: 'ticket', action: 'mask', stage: 'input', matches: 2 },
    ]);
  });

  it('regex: an invalid pattern is a config error', () => {
    assert.throws(
      () => policy([{ type: 'regex', name: 'bad', pattern: '(unclosed', action: 'block' }]),
      /valid regular expression/,
    );
  });

  it('deny list: whole words and phrases, any case and spacing, not inside other words', () => {
    const checks = [{ type: 'deny_list', terms: ['project falcon', 'secret'], action: 'block' }];
    assert.equal(
      runInputGuardrails([policy(checks)], ask('Tell me about PROJECT   Falcon')).blocked?.check,
      'deny_list',
    );
    assert.equal(runInputGuardrails([policy(checks)], ask('a secretary and a falcon project')).blocked, undefined);
  });

  it('size: refuses a request or an answer over the limit, with log recording only', () => {
    const block = policy([{ type: 'size', maxChars: 10, action: 'block', on: ['input'] }]);
    assert.match(runInputGuardrails([block], ask('x'.repeat(11))).blocked?.reason ?? '', /11 characters/);
    assert.equal(runInputGuardrails([block], ask('x'.repeat(10))).blocked, undefined);
    assert.equal(
      runOutputGuardrails([block], answer('x'.repeat(50)), undefined).blocked,
      undefined,
      'an input-only check skips the answer',
    );
    const logged = runOutputGuardrails(
      [policy([{ type: 'size', maxChars: 5, action: 'log' }])],
      answer('too long'),
      undefined,
    );
    assert.equal(logged.blocked, undefined);
    assert.deepEqual(logged.verdicts, [{ policy: 'test-policy', check: 'size', action: 'log', stage: 'output' }]);
  });

  it('json_schema: blocks an answer that is not JSON or breaks the schema, only when a schema was asked for', () => {
    const schemaPolicy = policy([{ type: 'json_schema', action: 'block' }]);
    const format = {
      type: 'json_schema' as const,
      json_schema: {
        name: 'city',
        schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    };
    assert.equal(runOutputGuardrails([schemaPolicy], answer('{"city":"Lyon"}'), format).blocked, undefined);
    assert.match(
      runOutputGuardrails([schemaPolicy], answer('{"town":"Lyon"}'), format).blocked?.reason ?? '',
      /does not match/,
    );
    assert.match(runOutputGuardrails([schemaPolicy], answer('Lyon'), format).blocked?.reason ?? '', /not JSON/);
    assert.equal(runOutputGuardrails([schemaPolicy], answer('Lyon'), undefined).blocked, undefined);
    assert.throws(() => policy([{ type: 'json_schema', action: 'mask' }]));
  });
});

describe('what input checks read, and each action', () => {
  const everywhere: ChatRequest = {
    messages: [
      { role: 'system', content: 'admin is root@example.com' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'first part' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          { type: 'text', text: 'mail me: a@example.com' },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'send', arguments: '{"to":"b@example.com"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'sent to b@example.com' },
      { role: 'user', content: 'thanks' },
    ],
  };

  it('mask reaches every message, every text part and every tool-call argument, not only the last', () => {
    const outcome = runInputGuardrails([policy([{ type: 'email', action: 'mask' }])], everywhere);
    const text = JSON.stringify(outcome.value);
    assert.doesNotMatch(text, /@example\.com/);
    assert.equal(outcome.verdicts[0]?.matches, 4);
    assert.equal(
      JSON.parse(outcome.value.messages[2]!.tool_calls![0]!.function.arguments).to,
      '[EMAIL]',
      'tool arguments stay valid JSON',
    );
    assert.equal((outcome.value.messages[1]!.content as Array<{ type: string }>)[1]!.type, 'image_url');
  });

  it('block stops at the first blocking check and keeps the verdicts before it; log changes nothing', () => {
    const policies = [
      policy([{ type: 'email', action: 'log' }], 'audit'),
      policy(
        [
          { type: 'payment_card', action: 'block' },
          { type: 'email', action: 'block' },
        ],
        'strict',
      ),
    ];
    const outcome = runInputGuardrails(policies, everywhere);
    assert.deepEqual(outcome.blocked, { policy: 'strict', check: 'email', stage: 'input' });
    assert.deepEqual(
      outcome.verdicts.map((verdict) => `${verdict.policy}/${verdict.check}/${verdict.action}`),
      ['audit/email/log', 'strict/email/block'],
    );
    const logged = runInputGuardrails([policies[0]!], everywhere);
    assert.deepEqual(logged.value, everywhere);
    assert.equal(logged.blocked, undefined);
  });

  it('output checks mask the answer text, other choices and tool-call arguments', () => {
    const response = answer('call 415-867-5309', {
      toolCalls: [{ id: 't', type: 'function', function: { name: 'dial', arguments: '{"n":"415-867-5309"}' } }],
      moreChoices: [{ content: 'or (212) 555-0199', finishReason: 'stop' }],
    });
    const outcome = runOutputGuardrails(
      [policy([{ type: 'phone', action: 'mask', label: '[PHONE NUMBER]' }])],
      response,
      undefined,
    );
    assert.equal(outcome.value.content, 'call [PHONE NUMBER]');
    assert.equal(outcome.value.toolCalls![0]!.function.arguments, '{"n":"[PHONE NUMBER]"}');
    assert.equal(outcome.value.moreChoices![0]!.content, 'or [PHONE NUMBER]');
    assert.equal(outcome.verdicts[0]?.matches, 3);
  });
});

describe('output checks read the reasoning too', () => {
  const mask = policy([{ type: 'email', action: 'mask', label: '[EMAIL]' }]);
  const reasoned = (email: string) =>
    answer(`write to ${email}`, {
      reasoning: `the user is ${email}`,
      thinking: [{ type: 'thinking', thinking: `the user is ${email}`, signature: 'sig' }],
      logprobs: { content: [{ token: email }] },
      anthropicContent: [{ type: 'text', text: `write to ${email}` }],
      moreChoices: [{ content: 'no address here', finishReason: 'stop', logprobs: { content: [] } }],
    });

  it('masks the reasoning and its blocks, and drops what cannot be masked faithfully', () => {
    const outcome = runOutputGuardrails([mask], reasoned('jane@example.com'), undefined);
    const masked = outcome.value;
    assert.equal(masked.content, 'write to [EMAIL]');
    assert.equal(masked.reasoning, 'the user is [EMAIL]');
    assert.deepEqual(masked.thinking, [{ type: 'thinking', thinking: 'the user is [EMAIL]' }], 'unsigned: it changed');
    assert.equal(masked.logprobs, undefined, "the log probabilities' tokens were the original text");
    assert.equal(masked.anthropicContent, undefined, 'the canonical blocks, masked, replace the raw ones');
    assert.deepEqual(masked.moreChoices?.[0]?.logprobs, { content: [] }, 'an unchanged choice keeps its own');
    assert.ok(!JSON.stringify(masked).includes('jane@example.com'));
    assert.equal(outcome.verdicts[0]?.matches, 3, 'the text, the reasoning and its block');
  });

  it('leaves an answer with nothing to mask as it came', () => {
    const untouched = reasoned('nobody');
    assert.deepEqual(runOutputGuardrails([mask], untouched, undefined).value, untouched);
  });

  it('blocks on a match in the reasoning alone', () => {
    const block = policy([{ type: 'email', action: 'block' }]);
    const outcome = runOutputGuardrails([block], answer('fine', { reasoning: 'mail jane@example.com' }), undefined);
    assert.equal(outcome.blocked?.check, 'email');
  });
});
