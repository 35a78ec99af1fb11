import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { simulatorConfig } from './test-gateway';

/** The simulator's Bedrock Claude model: a Claude id, so it gets thinking, top_k and the beta flags. */
export const bedrockClaudeModel = 'anthropic.claude-sim-v1:0';

/** The embedding groups of surfaceConfig, one per embedding wire: OpenAI, openai-compatible, Bedrock Titan and Cohere. */
export const surfaceEmbeddingGroups = ['embed-openai', 'embed-local', 'embed-titan', 'embed-cohere'];

/**
 * simulatorConfig plus Claude on Bedrock (`bedrock-claude`), an Anthropic group that rejects
 * the fields it cannot honour (`claude-strict`), and embedding groups (surfaceEmbeddingGroups).
 * The Bedrock ones fall back to OpenAI, which takes what Titan and Cohere cannot (token arrays,
 * any `dimensions`).
 */
export function surfaceConfig(simulator: RunningSimulator): GatewayConfig {
  const base = simulatorConfig(simulator);
  return parseConfig({
    ...base,
    modelGroups: [
      ...base.modelGroups,
      {
        name: 'bedrock-claude',
        deployments: [{ provider: 'bedrock', model: bedrockClaudeModel, account: 'aws-main', region: 'us-east-1' }],
      },
      {
        name: 'embed-openai',
        operation: 'embeddings',
        deployments: [{ provider: 'openai', model: 'text-embedding-3-small', account: 'primary', region: 'us' }],
      },
      {
        name: 'embed-local',
        operation: 'embeddings',
        deployments: [{ provider: 'vllm', model: 'nomic-embed-text', account: 'onprem', region: 'dc1' }],
      },
      ...[
        ['embed-titan', 'amazon.titan-embed-text-v2:0'],
        ['embed-cohere', 'cohere.embed-english-v3'],
      ].map(([name, model]) => ({
        name,
        operation: 'embeddings',
        deployments: [
          { provider: 'bedrock', model, account: 'aws-main', region: 'us-east-1', contextWindow: 512 },
          { provider: 'openai', model: 'text-embedding-3-large', account: 'primary', region: 'us', priority: 1 },
        ],
      })),
      {
        name: 'claude-strict',
        unsupportedParameters: 'reject',
        deployments: [{ provider: 'anthropic', model: 'claude-sim', account: 'anthropic-main', region: 'us' }],
      },
    ],
  });
}
