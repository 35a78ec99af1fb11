// Starts the Portkey AI gateway (npm @portkey-ai/gateway, pinned) as its own Node process in front
// of the bench's upstream, installing it first into the git-ignored tools/bench/portkey (not into
// the project's node_modules). Flags and environment, and why:
// - `build/start-server.js --port=P`: the package's own Node entry point (its `start:node`); the
//   port is read from argv only;
// - `--headless` and NODE_ENV=production: no web UI and no /log/stream route that would fan every
//   request's log out to UI clients;
// - `--require <force-loopback.cjs>`: the server calls listen(port) with no host, i.e. every
//   interface; this preload makes such calls listen on 127.0.0.1 only;
// - routing is per request, by headers: provider `openai` with a custom host (loopback hosts are
//   trusted by default), the upstream key as the bearer token. No config, cache, plugins or
//   guardrails, so it calls nothing but the upstream (checked with strace: one connect, to it);
// - `npm install --ignore-scripts`: its only script is a patch-package postinstall for its own
//   dev sources; the published build is a single bundled file.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/helpers/free-port';
import { benchToolsDir, runInstaller, startPeerProcess, type PeerOptions, type RunningPeer } from './running-peer';

export const portkeyVersion = '1.15.2';
const packageName = '@portkey-ai/gateway';
const installDir = join(benchToolsDir, 'portkey');
const packageDir = join(installDir, 'node_modules', ...packageName.split('/'));
const startDeadlineMs = 30_000;

const forceLoopback = `// Written by bench/peers/portkey.ts: listen(port) with no host listens on 127.0.0.1.
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
`;

function installedVersion(): string | undefined {
  const manifest = join(packageDir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
}

/** Installs the pinned gateway into tools/bench/portkey unless that version is already there. */
export async function installPortkey(log: (line: string) => void = () => {}): Promise<string> {
  const entry = join(packageDir, 'build', 'start-server.js');
  if (installedVersion() === portkeyVersion && existsSync(entry)) return entry;
  const started = Date.now();
  log(`installing ${packageName}@${portkeyVersion} into ${installDir}`);
  await runInstaller(
    'npm',
    [
      'install',
      '--prefix',
      installDir,
      '--save-exact',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `${packageName}@${portkeyVersion}`,
    ],
    log,
  );
  log(`installed ${packageName}@${portkeyVersion} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return entry;
}

export async function startPortkey(options: PeerOptions): Promise<RunningPeer> {
  const log = options.log ?? (() => {});
  const entry = await installPortkey(log);
  const workDir = await mkdtemp(join(tmpdir(), 'bench-portkey-'));
  const preload = join(workDir, 'force-loopback.cjs');
  await writeFile(preload, forceLoopback);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
  const url = `http://127.0.0.1:${port}/v1`;
  // Routing is per request: these headers send it, OpenAI-wire, to the upstream.
  const headers = {
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': options.upstreamBaseUrl,
    authorization: `Bearer ${options.upstreamApiKey}`,
  };
  const args = ['--require', preload, entry, `--port=${port}`, '--headless'];
  const peer = await startPeerProcess({
    id: 'portkey',
    command: process.execPath,
    args,
    env,
    workDir,
    url,
    headers,
    model: options.upstreamModel,
    startDeadlineMs,
    log,
  });
  return { name: 'Portkey gateway', version: portkeyVersion, ...peer };
}
