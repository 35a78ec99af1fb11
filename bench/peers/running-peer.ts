// What bench/peers/*.ts share: the shape of a started peer gateway, where their installs live
// (tools/bench/, git-ignored), and a runner for the one-off install commands.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { spawnChild } from '../child-processes';
import { waitUntilAnswers } from '../wait-until-answers';

/** Another gateway, started as its own process in front of the same upstream as ours. */
export interface RunningPeer {
  name: string;
  version: string;
  /** OpenAI-compatible base URL on loopback, e.g. http://127.0.0.1:P/v1. */
  url: string;
  /** The process that serves requests, for reading its CPU time from /proc. */
  pid: number;
  /** Headers every request must carry (besides content-type). */
  headers: Record<string, string>;
  /** Model name to put in the request body. */
  model: string;
  /** Kills the process tree and resolves once it has exited. */
  stop(): Promise<void>;
}

export interface PeerOptions {
  /** OpenAI-wire base URL of the upstream, e.g. http://127.0.0.1:4010/regions/local/v1. */
  upstreamBaseUrl: string;
  upstreamModel: string;
  upstreamApiKey: string;
  log?: (line: string) => void;
}

export const repositoryRoot = resolve(__dirname, '..', '..');
export const benchToolsDir = resolve(repositoryRoot, 'tools', 'bench');

/** Runs an install command to completion, passing its output to `log`; rejects on a non-zero exit. */
export function runInstaller(
  command: string,
  args: string[],
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const recent: string[] = [];
    const keep = (line: string) => {
      log(line);
      recent.push(line);
      if (recent.length > 30) recent.shift();
    };
    createInterface({ input: child.stdout }).on('line', keep);
    createInterface({ input: child.stderr }).on('line', keep);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? code}):\n${recent.join('\n')}`));
    });
  });
}

/** How a peer's serving process is started and proved ready. */
export interface PeerProcess {
  /** Short name, for logs and the process list. */
  id: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** A temporary working directory, removed when the peer stops. */
  workDir: string;
  /** OpenAI-compatible base URL it serves. */
  url: string;
  headers: Record<string, string>;
  /** The model name a request through it carries. */
  model: string;
  startDeadlineMs: number;
  log: (line: string) => void;
}

/**
 * Starts a peer's process and waits until it returns a real chat completion from the upstream;
 * on failure it is stopped and its working directory removed.
 */
export async function startPeerProcess(peer: PeerProcess): Promise<Omit<RunningPeer, 'name' | 'version'>> {
  const child = spawnChild(peer.id, peer.command, peer.args, {
    cwd: peer.workDir,
    env: peer.env,
    stopGraceMs: 10_000,
    onStdoutLine: (line) => peer.log(`[${peer.id}] ${line}`),
  });
  const stop = async () => {
    await child.stop();
    await rm(peer.workDir, { recursive: true, force: true });
  };
  try {
    const body = JSON.stringify({ model: peer.model, messages: [{ role: 'user', content: 'ready?' }] });
    await waitUntilAnswers(
      peer.id,
      { url: `${peer.url}/chat/completions`, headers: peer.headers, body },
      [child],
      peer.startDeadlineMs,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: peer.url, pid: child.pid, headers: peer.headers, model: peer.model, stop };
}
