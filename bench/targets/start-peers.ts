// Peer gateways (behind --peers): LiteLLM's proxy and Portkey's gateway, started by bench/peers/
// (each installs its pinned release on first use), in front of the same upstream and route.
// A peer that fails to install or start is left out, and the report says why.
import { onCleanup } from '../child-processes';
import { startLiteLLM } from '../peers/litellm';
import { startPortkey } from '../peers/portkey';
import type { PeerOptions, RunningPeer } from '../peers/running-peer';
import type { BenchTarget } from './bench-target';

const peerStarters: Array<{ name: string; start: (options: PeerOptions) => Promise<RunningPeer> }> = [
  { name: 'litellm', start: startLiteLLM },
  { name: 'portkey', start: startPortkey },
];

export interface StartedPeers {
  targets: BenchTarget[];
  /** `litellm: LiteLLM proxy 1.108.7`, for the report. */
  described: string[];
  skipped: string[];
}

export async function startPeers(
  options: Omit<PeerOptions, 'log'>,
  log: (line: string) => void,
): Promise<StartedPeers> {
  const started: StartedPeers = { targets: [], described: [], skipped: [] };
  for (const { name, start } of peerStarters) {
    try {
      log(`starting ${name} (installed on first use)…`);
      // Install progress is worth seeing; the peer's own start-up chatter ("[portkey] …") is not.
      const peer = await start({ ...options, log: (line) => /^\[(litellm|portkey)\]/.test(line) || log(`  ${line}`) });
      onCleanup(name, () => peer.stop());
      started.targets.push({
        name,
        kind: 'peer',
        chatUrl: `${peer.url.replace(/\/$/, '')}/chat/completions`,
        headers: peer.headers,
        model: peer.model,
        // Its whole process tree: a peer may fork workers.
        measured: [{ label: name, pid: peer.pid, tree: true }],
      });
      started.described.push(`${name}: ${peer.name} ${peer.version}`);
    } catch (error) {
      started.skipped.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return started;
}
