import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { simulatorConfig } from './test-gateway';

/** The simulator's Bedrock Claude model: a Claude id, so it gets thinking, top_k and the beta flags. */
export const bedrockClaudeModel = 'anthropic.claude-sim-v1:0';

/**
 * simulatorConfig plus Claude on Bedrock (`bedrock-claude`) and an Anthropic group that rejects
 * the fields it cannot honour (`claude-strict`).
 */
export function surfaceConfig(simulator: RunningSimulator): GatewayConfig {
  const base = simulatorConfig(simulator);
  return parseConfig({
    ...base,
    modelGroups: [
      ...base.modelGroups,
      { name: 'bedrock-claude', deployments: [{ provider: 'bedrock', model: bedrockClaudeModel, account: 'aws-main', region: 'us-east-1' }] },
      { name: 'claude-strict', unsupportedParameters: 'reject', deployments: [{ provider: 'anthropic', model: 'claude-sim', account: 'anthropic-main', region: 'us' }] },
    ],
  });
}
