import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../config/load-config';
import { selectRoute, UnknownModelGroupError } from './select-route';

const config = parseConfig({
  providers: [
    { id: 'openai', kind: 'openai', accounts: [{ id: 'a1', apiKeyEnv: 'KEY_A', regions: [{ id: 'us', baseUrl: 'http://127.0.0.1:1/v1' }] }] },
    { id: 'vllm', kind: 'openai-compatible', accounts: [{ id: 'onprem', apiKeyEnv: 'KEY_B', regions: [{ id: 'eu', baseUrl: 'http://127.0.0.1:2/v1' }] }] },
  ],
  modelGroups: [
    {
      name: 'chat-default',
      deployments: [
        { provider: 'openai', model: 'gpt-4o-mini', account: 'a1', region: 'us' },
        { provider: 'vllm', model: 'llama', account: 'onprem', region: 'eu' },
      ],
    },
  ],
});

describe('selectRoute', () => {
  it('chooses the first deployment and keeps the rest as ordered alternatives', () => {
    const decision = selectRoute(config, 'chat-default');
    assert.deepEqual(decision.route, { provider: 'openai', providerKind: 'openai', model: 'gpt-4o-mini', account: 'a1', region: 'us' });
    assert.deepEqual(decision.alternatives.map((route) => `${route.providerKind}:${route.model}`), ['openai-compatible:llama']);
  });

  it('throws a typed error for an unknown model group', () => {
    assert.throws(() => selectRoute(config, 'missing'), UnknownModelGroupError);
  });
});
