import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import type { TestStack } from './test-gateway';
import { surfaceConfig } from './surface-config';

/** The model of the `rate-limited` group's one route, which compatFaults makes answer 429. */
const rateLimitedModel = 'claude-sim-limited';

/** surfaceConfig plus `rate-limited`, a group whose route the simulator always refuses with 429 (see compatFaults). */
export function compatConfig(simulator: RunningSimulator): GatewayConfig {
  const base = surfaceConfig(simulator);
  return parseConfig({
    ...base,
    modelGroups: [
      ...base.modelGroups,
      {
        name: 'rate-limited',
        deployments: [{ provider: 'anthropic', model: rateLimitedModel, account: 'anthropic-main', region: 'us' }],
      },
    ],
  });
}

/** The `rate-limited` group's route answers 429 with a Retry-After longer than the gateway waits on a route. */
export function compatFaults(stack: TestStack): void {
  stack.simulator.setFaults([{ match: { model: rateLimitedModel }, error: 'rate_limited', retryAfterSeconds: 30 }]);
}
