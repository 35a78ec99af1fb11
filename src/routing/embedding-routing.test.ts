import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTrafficClasses } from '../config/gateway-config-schema';
import { parseConfig } from '../config/load-config';
import { assessCandidate } from './assess-candidate';
import { routeCandidates } from './route-candidates';
import type { RequestNeeds, RoutingContext } from './routing-types';
import { selectProvider } from './selection-steps';

const config = parseConfig({
  providers: [
    { id: 'openai', kind: 'openai', accounts: [{ id: 'a1', apiKeyEnv: 'K1', regions: [{ id: 'us' }] }] },
    {
      id: 'bedrock',
      kind: 'bedrock',
      accounts: [{ id: 'aws', credentials: { type: 'profile', profile: 'default' }, regions: [{ id: 'us-east-1' }] }],
    },
  ],
  modelGroups: [
    {
      name: 'vectors',
      operation: 'embeddings',
      deployments: [
        {
          provider: 'bedrock',
          model: 'amazon.titan-embed-text-v2:0',
          account: 'aws',
          region: 'us-east-1',
          contextWindow: 8192,
        },
        {
          provider: 'openai',
          model: 'text-embedding-3-small',
          account: 'a1',
          region: 'us',
          priority: 1,
          contextWindow: 8191,
        },
      ],
    },
    { name: 'chat', deployments: [{ provider: 'openai', model: 'gpt', account: 'a1', region: 'us' }] },
  ],
});

const embeddingNeeds = (embedding: NonNullable<RequestNeeds['embedding']>): RequestNeeds => ({
  estimatedPromptTokens: 20_000,
  maxOutputTokens: 0,
  tools: false,
  vision: false,
  jsonMode: false,
  operation: 'embeddings',
  embedding,
});
const context = (modelGroup: string, needs: RequestNeeds): RoutingContext => ({
  modelGroup,
  trafficClass: 'standard',
  policy: defaultTrafficClasses.standard,
  needs,
  excluded: [],
});
const now = 1_000_000;

describe('routing embedding requests (pure)', () => {
  it('a chat request never takes an embedding deployment, nor an embedding request a chat one', () => {
    const chatNeeds: RequestNeeds = {
      estimatedPromptTokens: 10,
      maxOutputTokens: 10,
      tools: false,
      vision: false,
      jsonMode: false,
    };
    const [titan] = routeCandidates(config, 'vectors');
    assert.deepEqual(assessCandidate(titan!, context('vectors', chatNeeds), undefined, 0, now), {
      candidate: titan!.key,
      reason: 'capability',
      detail: 'serves embeddings, not chat',
    });
    const [gpt] = routeCandidates(config, 'chat');
    const needs = embeddingNeeds({ longestInputTokens: 5 });
    assert.deepEqual(assessCandidate(gpt!, context('chat', needs), undefined, 0, now), {
      candidate: gpt!.key,
      reason: 'capability',
      detail: 'serves chat, not embeddings',
    });
  });

  it('the input limit is per input: a batch larger than the window in total still routes', () => {
    const decision = selectProvider({
      candidates: routeCandidates(config, 'vectors'),
      context: context('vectors', embeddingNeeds({ longestInputTokens: 8000 })),
      state: {},
      now,
    });
    assert.equal(decision.choice, 'bedrock');
    const tooLong = selectProvider({
      candidates: routeCandidates(config, 'vectors'),
      context: context('vectors', embeddingNeeds({ longestInputTokens: 8193 })),
      state: {},
      now,
    });
    assert.equal(tooLong.choice, undefined);
    assert.deepEqual(tooLong.skipped.map((skip) => skip.detail).sort(), [
      'input limit 8191 < 8193 tokens in one input',
      'input limit 8192 < 8193 tokens in one input',
    ]);
  });

  it('token arrays and an unsupported length skip Titan, with the reason, for the next route', () => {
    for (const embedding of [
      { longestInputTokens: 5, tokenInput: true },
      { longestInputTokens: 5, dimensions: 100 },
    ]) {
      const decision = selectProvider({
        candidates: routeCandidates(config, 'vectors'),
        context: context('vectors', embeddingNeeds(embedding)),
        state: {},
        now,
      });
      assert.equal(decision.choice, 'openai');
      assert.equal(decision.skipped[0]?.reason, 'capability');
      assert.match(decision.skipped[0]?.detail ?? '', embedding.tokenInput ? /token arrays/ : /256, 512, 1024/);
    }
  });
});
