import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { embeddingBodySchema } from './embeddings-schema';

const accepts = (body: Record<string, unknown>) =>
  embeddingBodySchema.safeParse({ model: 'embed-openai', input: 'hi', ...body });

/** Requests the OpenAI spec calls valid, found by the contract test (test/compat/openai-contract.test.ts). */
describe('createEmbedding bodies the spec allows', () => {
  it("accepts token ids and dimensions past 2^53, within the spec's int64 range (the provider judges them)", () => {
    for (const body of [{ input: [2 ** 60, 7] }, { input: [[0], [2 ** 60]] }, { dimensions: 2 ** 60 }]) {
      const parsed = accepts(body);
      assert.ok(parsed.success, `${JSON.stringify(body)}: ${parsed.error?.message}`);
    }
  });

  it('refuses a negative token id, a fraction, no dimension and an empty text', () => {
    for (const body of [{ input: [-1] }, { input: [[1.5]] }, { dimensions: 0 }, { input: [''] }])
      assert.equal(accepts(body).success, false, JSON.stringify(body));
  });
});
