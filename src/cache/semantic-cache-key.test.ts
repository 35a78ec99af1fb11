import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../providers/canonical-chat';
import { semanticQuery } from './semantic-cache-key';

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'How do I reset my password?' },
  ],
  temperature: 0,
};
const partition = (tenant: string, group: string, changed: ChatRequest) =>
  semanticQuery(tenant, group, changed)?.partition;

describe('semantic cache partition', () => {
  it('embeds only the last user message; the rest of the request, the tenant and the group are its exact partition', () => {
    const query = semanticQuery('acme', 'chat', request)!;
    assert.equal(query.text, 'How do I reset my password?');
    const paraphrase = {
      ...request,
      messages: [request.messages[0]!, { role: 'user' as const, content: 'How can I reset my password?' }],
    };
    assert.equal(
      partition('acme', 'chat', paraphrase),
      query.partition,
      'the last user message is not in the partition',
    );
    assert.equal(
      partition('acme', 'chat', { ...request, stream: true, user: 'u1' } as ChatRequest),
      query.partition,
      'delivery fields are not in it',
    );
    for (const [why, other] of [
      ['another tenant', partition('globex', 'chat', request)],
      ['another group', partition('acme', 'other', request)],
      [
        'another system prompt',
        partition('acme', 'chat', {
          ...request,
          messages: [{ role: 'system', content: 'Be long.' }, request.messages[1]!],
        }),
      ],
      [
        'an earlier turn',
        partition('acme', 'chat', {
          ...request,
          messages: [
            request.messages[0]!,
            { role: 'user', content: 'hi' },
            { role: 'assistant', content: 'hello' },
            request.messages[1]!,
          ],
        }),
      ],
      ['tool_choice', partition('acme', 'chat', { ...request, tool_choice: 'none' })],
      ['response_format', partition('acme', 'chat', { ...request, response_format: { type: 'json_object' } })],
      ['a sampling parameter', partition('acme', 'chat', { ...request, temperature: 0.7 })],
    ] as const)
      assert.notEqual(other, query.partition, why);
  });

  it('does not apply when the last message is not the user’s text alone', () => {
    assert.equal(
      semanticQuery('acme', 'chat', {
        messages: [...request.messages, { role: 'assistant', content: 'Click reset.' }],
      }),
      undefined,
    );
    assert.equal(
      semanticQuery('acme', 'chat', {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            ],
          },
        ],
      }),
      undefined,
    );
    assert.equal(
      semanticQuery('acme', 'chat', { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] })?.text,
      'Hello',
    );
  });
});
