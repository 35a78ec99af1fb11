import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { surfaceConfig } from './surface-config';

/** The chat model groups of surfaceConfig the own-contract run spreads its requests over, one per provider kind. */
export const ownContractChatGroups = ['chat-default', 'claude', 'nova', 'local-llm', 'bedrock-claude'];
/** Its embedding group. */
export const ownContractEmbeddingGroups = ['embed-openai'];

/** surfaceConfig plus an embeddings group on the simulator's OpenAI route. */
export function ownContractConfig(simulator: RunningSimulator): GatewayConfig {
  const base = surfaceConfig(simulator);
  return parseConfig({
    ...base,
    modelGroups: [...base.modelGroups, { name: 'embed-openai', operation: 'embeddings', deployments: [{ provider: 'openai', model: 'text-embedding-3-small', account: 'primary', region: 'us' }] }],
  });
}
