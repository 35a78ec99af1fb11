import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config/load-config';
import { exactCacheKey } from './cache-key';
import { cacheUse, storableFinish } from './cache-policy';

const config = parseConfig({
  providers: [{ id: 'openai', kind: 'openai', accounts: [{ id: 'a', apiKeyEnv: 'K', regions: [{ id: 'us' }] }] }],
  modelGroups: [
    {
      name: 'cached',
      cache: { ttlSeconds: 60 },
      deployments: [{ provider: 'openai', model: 'm', account: 'a', region: 'us' }],
    },
    { name: 'uncached', deployments: [{ provider: 'openai', model: 'm', account: 'a', region: 'us' }] },
    {
      name: 'similar',
      cache: { ttlSeconds: 60, semantic: {} },
      deployments: [{ provider: 'openai', model: 'm', account: 'a', region: 'us' }],
    },
    {
      name: 'vectors',
      operation: 'embeddings',
      deployments: [{ provider: 'openai', model: 'e', account: 'a', region: 'us' }],
    },
  ],
});
const request = { messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0.2 };

describe('exact cache key', () => {
  it('covers the tenant, the group and every answer-changing field, in any key order, and nothing about delivery', () => {
    const key = exactCacheKey('acme', 'cached', request);
    assert.equal(
      exactCacheKey('acme', 'cached', { temperature: 0.2, messages: [{ content: 'hi', role: 'user' }] }),
      key,
      'key order does not matter',
    );
    assert.equal(
      exactCacheKey('acme', 'cached', { ...request, stream: true, user: 'u1' } as Parameters<typeof exactCacheKey>[2]),
      key,
      'streaming and the billing user do not change the answer',
    );
    assert.notEqual(exactCacheKey('globex', 'cached', request), key, 'another tenant never shares an entry');
    assert.notEqual(exactCacheKey('acme', 'other', request), key);
    assert.notEqual(exactCacheKey('acme', 'cached', { ...request, temperature: 0.3 }), key);
    assert.notEqual(
      exactCacheKey('acme', 'cached', { ...request, tool_choice: 'none' }),
      key,
      'tool_choice is part of the key',
    );
    assert.notEqual(exactCacheKey('acme', 'cached', { ...request, max_tokens: 5 }), key);
  });
});

describe('cache use of a request', () => {
  const owner = { tenant: 'acme' };
  it('is on only for a group with cache, and off for a tenant or key that opted out', () => {
    assert.equal(cacheUse(config, owner, 'cached', request, {})?.ttlMs, 60_000);
    assert.equal(cacheUse(config, owner, 'uncached', request, {}), undefined);
    assert.equal(cacheUse(config, { tenant: 'acme', cache: false }, 'cached', request, {}), undefined);
  });
  it('follows Cache-Control and a per-request TTL, and rejects a bad TTL', () => {
    assert.deepEqual(
      [
        cacheUse(config, owner, 'cached', request, { 'cache-control': 'no-cache' })?.lookup,
        cacheUse(config, owner, 'cached', request, { 'cache-control': 'no-cache' })?.store,
      ],
      [false, true],
    );
    assert.deepEqual(
      [
        cacheUse(config, owner, 'cached', request, { 'cache-control': 'No-Store' })?.lookup,
        cacheUse(config, owner, 'cached', request, { 'cache-control': 'No-Store' })?.store,
      ],
      [true, false],
    );
    assert.equal(cacheUse(config, owner, 'cached', request, { 'x-gateway-cache-ttl': '5' })?.ttlMs, 5_000);
    assert.throws(
      () => cacheUse(config, owner, 'cached', request, { 'x-gateway-cache-ttl': '-1' }),
      /x-gateway-cache-ttl must be a whole number/,
    );
  });
  it('stores only whole answers', () => {
    assert.deepEqual((['stop', 'tool_calls', 'length', 'content_filter'] as const).map(storableFinish), [
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('semantic cache use of a request', () => {
  it('is on beside the exact cache for a group with `semantic`, at 0.95 unless set', () => {
    const use = cacheUse(config, { tenant: 'acme' }, 'similar', request, {});
    assert.deepEqual(
      [use?.semantic?.text, use?.semantic?.threshold, use?.semantic?.embeddingModelGroup],
      ['hi', 0.95, undefined],
    );
    assert.equal(cacheUse(config, { tenant: 'acme' }, 'cached', request, {})?.semantic, undefined);
  });
  it('refuses an embedding group that does not serve embeddings, and a threshold below 0.9', () => {
    const group = (semantic: object) => ({
      name: 'g',
      cache: { ttlSeconds: 60, semantic },
      deployments: [{ provider: 'openai', model: 'm', account: 'a', region: 'us' }],
    });
    const providers = [
      { id: 'openai', kind: 'openai', accounts: [{ id: 'a', apiKeyEnv: 'K', regions: [{ id: 'us' }] }] },
    ];
    assert.throws(
      () => parseConfig({ providers, modelGroups: [group({ embeddingModelGroup: 'g' })] }),
      /"g" is not an embeddings model group/,
    );
    assert.throws(() => parseConfig({ providers, modelGroups: [group({ threshold: 0.8 })] }), /threshold/);
  });
});
