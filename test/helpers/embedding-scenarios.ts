import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';

/** One embedding group per provider kind, a group that falls back across providers, and a chat group. */
export function embeddingConfig(simulator: RunningSimulator): GatewayConfig {
  const bedrockAccount = {
    id: 'aws-main',
    credentials: {
      type: 'static',
      accessKeyIdEnv: 'TEST_BEDROCK_ACCESS_KEY_ID',
      secretAccessKeyEnv: 'TEST_BEDROCK_SECRET_ACCESS_KEY',
    },
    regions: [{ id: 'us-east-1', baseUrl: simulator.url }],
  };
  return parseConfig({
    providers: [
      {
        id: 'openai',
        kind: 'openai',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'primary',
            apiKeyEnv: 'TEST_OPENAI_KEY',
            regions: [{ id: 'us', baseUrl: simulator.openAIBaseUrl('us') }],
          },
        ],
      },
      {
        id: 'vllm',
        kind: 'openai-compatible',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'onprem',
            apiKeyEnv: 'TEST_ONPREM_KEY',
            regions: [{ id: 'dc1', baseUrl: simulator.openAIBaseUrl('dc1') }],
          },
        ],
      },
      { id: 'bedrock', kind: 'bedrock', timeoutMs: 10_000, accounts: [bedrockAccount] },
    ],
    modelGroups: [
      {
        name: 'embed-openai',
        operation: 'embeddings',
        deployments: [
          {
            provider: 'openai',
            model: 'text-embedding-3-small',
            account: 'primary',
            region: 'us',
            pricing: { inputPerMillion: 20, outputPerMillion: 0 },
          },
        ],
      },
      {
        name: 'embed-local',
        operation: 'embeddings',
        deployments: [{ provider: 'vllm', model: 'nomic-embed-text', account: 'onprem', region: 'dc1' }],
      },
      {
        name: 'embed-titan',
        operation: 'embeddings',
        deployments: [
          { provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0', account: 'aws-main', region: 'us-east-1' },
        ],
      },
      {
        name: 'embed-cohere',
        operation: 'embeddings',
        deployments: [
          {
            provider: 'bedrock',
            model: 'cohere.embed-english-v3',
            account: 'aws-main',
            region: 'us-east-1',
            contextWindow: 512,
          },
        ],
      },
      {
        // The same model served by OpenAI and, second, by an openai-compatible server.
        name: 'embed-failover',
        operation: 'embeddings',
        deployments: [
          { provider: 'openai', model: 'text-embedding-3-small', account: 'primary', region: 'us' },
          { provider: 'vllm', model: 'text-embedding-3-small', account: 'onprem', region: 'dc1', priority: 1 },
        ],
      },
      {
        // Titan first; a request Titan cannot take (token arrays) skips it.
        name: 'embed-titan-then-openai',
        operation: 'embeddings',
        deployments: [
          { provider: 'bedrock', model: 'amazon.titan-embed-text-v2:0', account: 'aws-main', region: 'us-east-1' },
          { provider: 'openai', model: 'text-embedding-3-small', account: 'primary', region: 'us', priority: 1 },
        ],
      },
      {
        // Primaries with a one-request or a 20-token window per minute: overflow goes to the second route.
        name: 'embed-quota',
        operation: 'embeddings',
        deployments: [
          { provider: 'openai', model: 'text-embedding-3-large', account: 'primary', region: 'us', rpm: 1 },
          { provider: 'vllm', model: 'text-embedding-3-large', account: 'onprem', region: 'dc1', priority: 1 },
        ],
      },
      {
        name: 'embed-tpm',
        operation: 'embeddings',
        deployments: [
          // A model no other group uses: a route's windows are shared by every group that deploys it.
          { provider: 'openai', model: 'text-embedding-ada-002', account: 'primary', region: 'us', tpm: 20 },
          { provider: 'vllm', model: 'text-embedding-ada-002', account: 'onprem', region: 'dc1', priority: 1 },
        ],
      },
      { name: 'chat', deployments: [{ provider: 'openai', model: 'sim-gpt', account: 'primary', region: 'us' }] },
    ],
  });
}
