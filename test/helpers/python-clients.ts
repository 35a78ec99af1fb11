import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../..');
/** The pinned Python clients (openai, anthropic, schemathesis). */
export const pythonRequirementsPath = join(root, 'test/compat/python/requirements.txt');
/** Git-ignored (under tools/), kept between runs while the requirements stay the same. */
const venvDir = join(root, 'tools/venv-clients');
const stampPath = join(venvDir, 'requirements.sha256');

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(
      `\`${command} ${args.join(' ')}\` failed (exit ${String(result.status ?? result.signal)}):\n${output}`,
    );
  }
}

/**
 * The Python of a virtual environment holding the pinned clients: made with `python3 -m venv` the
 * first time, or again when requirements.txt changed, and reused otherwise.
 */
export function pythonClients(): string {
  const python = join(venvDir, 'bin/python');
  const digest = createHash('sha256').update(readFileSync(pythonRequirementsPath)).digest('hex');
  if (existsSync(python) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === digest) return python;
  rmSync(venvDir, { recursive: true, force: true });
  // Debian's python3 makes a venv only with its python3-venv package (scripts/provision-test-tools.ts installs it).
  run('python3', ['-m', 'venv', venvDir]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', pythonRequirementsPath]);
  writeFileSync(stampPath, digest);
  return python;
}

/**
 * Runs a Python script of test/compat/python with the clients' venv (call pythonClients() first, before
 * the stack starts: making the venv blocks); its stdout is one JSON value. Asynchronous, because the
 * gateway it calls runs in this process.
 */
export async function runPythonScript(
  script: string,
  args: string[],
  environment: Record<string, string> = {},
): Promise<unknown> {
  const python = join(venvDir, 'bin/python');
  const { stdout } = await promisify(execFile)(python, [join(root, 'test/compat/python', script), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...environment },
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as unknown;
}
