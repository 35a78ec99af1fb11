// Starts the LiteLLM proxy (PyPI litellm[proxy], pinned) as its own process in front of the
// bench's upstream, installing it first into the git-ignored venv tools/bench/litellm-venv.
// Flags and environment, and why:
// - `--num_workers 1`: one uvicorn process, so `pid` is the one that serves (no gunicorn master);
// - `--host 127.0.0.1`: loopback only;
// - LITELLM_MASTER_KEY: this version refuses to start without one (no DB, so it is checked
//   in memory); it goes in `headers` as the bearer token;
// - LITELLM_LOG=ERROR: quiet, and it also turns uvicorn's per-request access log off;
// - LITELLM_LOCAL_*=True: use the copies bundled in the package instead of fetching the model
//   cost map, Anthropic beta headers, autorouter presets, blog posts and policy templates from
//   the network at start (telemetry is a no-op in this version; HF_HUB_OFFLINE for good measure);
// - a fresh temp dir as cwd and a minimal environment: no .env file, DATABASE_URL or provider
//   keys from the caller's shell leak in, so no DB and no extra callbacks.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../test/helpers/free-port';
import { benchToolsDir, runInstaller, startPeerProcess, type PeerOptions, type RunningPeer } from './running-peer';

/**
 * The newest release whose `proxy` extra resolves from the registry here: 1.108.8 to 1.109.x pin
 * litellm-proxy-extras / litellm-enterprise builds it lacks, 1.110 needs a `litellm-proxy` it lacks.
 */
export const liteLLMVersion = '1.108.7';
const requirement = `litellm[proxy]==${liteLLMVersion}`;
const venvDir = join(benchToolsDir, 'litellm-venv');
const marker = join(venvDir, '.bench-requirement');
const modelName = 'chat-default';
const startDeadlineMs = 120_000;

/** Creates the venv and installs the pinned proxy, unless the venv already holds exactly that. */
export async function installLiteLLM(log: (line: string) => void = () => {}): Promise<string> {
  const binary = join(venvDir, 'bin', 'litellm');
  if (existsSync(binary) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === requirement) return binary;
  const started = Date.now();
  log(`installing ${requirement} into ${venvDir} (first time: about a minute)`);
  await runInstaller('python3', ['-m', 'venv', venvDir], log);
  await runInstaller(
    join(venvDir, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', '--no-input', requirement],
    log,
  );
  await writeFile(marker, `${requirement}\n`);
  log(`installed ${requirement} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return binary;
}

export async function startLiteLLM(options: PeerOptions): Promise<RunningPeer> {
  const log = options.log ?? (() => {});
  const binary = await installLiteLLM(log);
  const workDir = await mkdtemp(join(tmpdir(), 'bench-litellm-'));
  const configPath = join(workDir, 'config.yaml');
  await writeFile(
    configPath,
    stringify({
      model_list: [
        {
          model_name: modelName,
          litellm_params: {
            model: `openai/${options.upstreamModel}`,
            api_base: options.upstreamBaseUrl,
            api_key: options.upstreamApiKey,
          },
        },
      ],
    }),
  );
  const masterKey = `sk-${randomBytes(32).toString('hex')}`;
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG ?? 'C.UTF-8',
    TMPDIR: workDir,
    PYTHONUNBUFFERED: '1',
    LITELLM_MASTER_KEY: masterKey,
    LITELLM_LOG: 'ERROR',
    LITELLM_LOCAL_MODEL_COST_MAP: 'True',
    LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS: 'True',
    LITELLM_LOCAL_AUTOROUTER_PRESETS: 'True',
    LITELLM_LOCAL_BLOG_POSTS: 'True',
    LITELLM_LOCAL_POLICY_TEMPLATES: 'True',
    HF_HUB_OFFLINE: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
  };
  const url = `http://127.0.0.1:${port}/v1`;
  const args = ['--config', configPath, '--host', '127.0.0.1', '--port', String(port), '--num_workers', '1'];
  const peer = await startPeerProcess({
    id: 'litellm',
    command: binary,
    args,
    env,
    workDir,
    url,
    headers: { authorization: `Bearer ${masterKey}` },
    model: modelName,
    startDeadlineMs,
    log,
  });
  return { name: 'LiteLLM proxy', version: liteLLMVersion, ...peer };
}
