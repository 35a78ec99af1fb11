import { spawnChild, type RunningChild } from './child-processes';

export interface Upstream {
  /** Root URL of the simulator. */
  url: string;
  /** OpenAI-wire base URL of the bench's region, e.g. http://127.0.0.1:P/regions/local/v1. */
  openAIBaseUrl: string;
  /** The API key every target sends upstream (the simulator counts calls by it). */
  apiKey: string;
  process: RunningChild;
  /** Sets the fixed latency of every call from now on. */
  setLatency(latencyMs: number): Promise<void>;
}

export const upstreamRegion = 'local';

/** Starts the provider simulator in its own process (bench/upstream-simulator.ts). */
export async function startUpstream(repoRoot: string): Promise<Upstream> {
  const child = spawnChild('simulator', process.execPath, ['--import', 'tsx', 'bench/upstream-simulator.ts'], {
    cwd: repoRoot,
    stopGraceMs: 5_000,
  });
  const line = await child.waitForLine(/"event":"listening"/, 60_000);
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    openAIBaseUrl: `${url}/regions/${upstreamRegion}/v1`,
    apiKey: 'bench-openai-key',
    process: child,
    async setLatency(latencyMs) {
      const response = await fetch(`${url}/_simulator/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(latencyMs > 0 ? [{ latencyMs }] : []),
      });
      if (!response.ok)
        throw new Error(`could not set the simulator's latency: HTTP ${response.status} ${await response.text()}`);
    },
  };
}
