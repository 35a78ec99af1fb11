import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Upstream } from './start-upstream';
import { upstreamRegion } from './start-upstream';

/** The variable the bench config names for the upstream key; set, so the gateway does not switch to its own simulator. */
export const benchKeyVariable = 'BENCH_OPENAI_KEY';
export const benchModelGroup = 'chat-default';
/** The same route with the exact response cache on: the `cache` target's requests, all alike, are hits after the first. */
export const benchCachedModelGroup = 'chat-cached';

/**
 * Writes the gateway config every gateway target uses: one `chat-default` group with one OpenAI
 * route to the bench's simulator (and `chat-cached`, the same route behind the exact cache). Route probes are off so that no probe workflow runs during a
 * round. `invoke` (when given) is written into the standard traffic class, for a gateway whose
 * workflow offers that choice; a gateway without it rejects the config at start.
 */
export function writeBenchGatewayConfig(directory: string, upstream: Upstream, invoke?: string): string {
  const config = {
    providers: [
      {
        id: 'openai',
        kind: 'openai',
        timeoutMs: 30_000,
        accounts: [
          {
            id: 'bench',
            apiKeyEnv: benchKeyVariable,
            regions: [{ id: upstreamRegion, baseUrl: upstream.openAIBaseUrl }],
          },
        ],
      },
    ],
    modelGroups: [
      {
        name: benchModelGroup,
        deployments: [{ provider: 'openai', model: benchModelGroup, account: 'bench', region: upstreamRegion }],
      },
      {
        name: benchCachedModelGroup,
        cache: { ttlSeconds: 86_400 },
        deployments: [{ provider: 'openai', model: benchModelGroup, account: 'bench', region: upstreamRegion }],
      },
    ],
    routing: { probeIntervalSeconds: 0 },
    ...(invoke && { trafficClasses: { standard: { invoke } } }),
  };
  const path = join(directory, 'bench-gateway.yaml');
  writeFileSync(path, `# Written by npm run bench; JSON is YAML.\n${JSON.stringify(config, null, 2)}\n`);
  return path;
}
