import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayConfigSchema } from './gateway-config-schema';

const providers = [
  { id: 'openai', kind: 'openai', accounts: [{ id: 'main', apiKeyEnv: 'OPENAI_API_KEY', regions: [{ id: 'us' }] }] },
  {
    id: 'anthropic',
    kind: 'anthropic',
    accounts: [{ id: 'main', apiKeyEnv: 'ANTHROPIC_API_KEY', regions: [{ id: 'us' }] }],
  },
  {
    id: 'bedrock',
    kind: 'bedrock',
    accounts: [{ id: 'aws', credentials: { type: 'profile', profile: 'default' }, regions: [{ id: 'us-east-1' }] }],
  },
];
const embed = (model: string, provider = 'openai', account = 'main', region = 'us') => ({
  provider,
  model,
  account,
  region,
});
const issues = (modelGroups: unknown[]) => {
  const parsed = gatewayConfigSchema.safeParse({ providers, modelGroups });
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('embedding model groups in config', () => {
  it('a group serves chat unless it says embeddings', () => {
    const parsed = gatewayConfigSchema.parse({
      providers,
      modelGroups: [
        { name: 'chat', deployments: [embed('gpt')] },
        { name: 'vectors', operation: 'embeddings', deployments: [embed('text-embedding-3-small')] },
      ],
    });
    assert.deepEqual(
      parsed.modelGroups.map((group) => group.operation),
      ['chat', 'embeddings'],
    );
  });

  it('refuses an Anthropic deployment and a Bedrock model of unknown body format in an embedding group', () => {
    const found = issues([
      {
        name: 'vectors',
        operation: 'embeddings',
        deployments: [
          embed('claude', 'anthropic'),
          embed('amazon.nova-lite-v1:0', 'bedrock', 'aws', 'us-east-1'),
          embed('cohere.embed-english-v3', 'bedrock', 'aws', 'us-east-1'),
        ],
      },
    ]);
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0]!, /^modelGroups\.0\.deployments\.0\.provider: .*no embedding models/);
    assert.match(found[1]!, /^modelGroups\.0\.deployments\.1\.model: .*amazon\.nova-lite-v1:0/);
  });

  it('refuses a fallback that serves the other operation', () => {
    const found = issues([
      { name: 'vectors', operation: 'embeddings', fallbacks: ['chat'], deployments: [embed('text-embedding-3-small')] },
      { name: 'chat', deployments: [embed('gpt')] },
    ]);
    assert.deepEqual(found, [
      'modelGroups.0.fallbacks.0: "chat" serves chat, "vectors" serves embeddings: a fallback serves the same operation',
    ]);
  });
});
