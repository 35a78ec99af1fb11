import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { pythonClients } from './python-clients';

/** The folder of the schemathesis hooks (test/compat/python), put on PYTHONPATH. */
const hooksDir = resolve(__dirname, '..', 'compat', 'python');

/** What one schemathesis run printed, and its exit code (0 when every check passed). */
export interface SchemathesisRun {
  code: number;
  output: string;
}

/**
 * Runs the pinned schemathesis (test/compat/python/requirements.txt, in the venv of the Python
 * clients) with the given arguments after `run`, the hooks module named, and a fixed seed; the
 * arguments every run shares (no generated security parameters, no example database, carry on
 * after a failure) are added here. Resolves whatever the exit code: the caller checks it.
 */
export async function runSchemathesis(
  args: string[],
  {
    workDir,
    hooks,
    env = {},
    timeoutMs,
  }: { workDir: string; hooks: string; env?: Record<string, string>; timeoutMs: number },
): Promise<SchemathesisRun> {
  const command = [
    'run',
    ...args,
    '--generation-with-security-parameters',
    'false',
    '--generation-database',
    'none',
    '--seed',
    '1',
    '--continue-on-failure',
    '--no-color',
  ];
  try {
    const { stdout, stderr } = await promisify(execFile)(join(pythonClients(), '..', 'schemathesis'), command, {
      cwd: workDir,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: workDir,
        PYTHONPATH: hooksDir,
        SCHEMATHESIS_HOOKS: hooks,
        ...env,
      },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** The run passed every generated case, generated at least `minimum`, and printed none of `forbidden`. */
export function assertSchemathesisPassed({ code, output }: SchemathesisRun, minimum: number, forbidden: RegExp): void {
  const summary = /(\d+) generated, (\d+) passed\s*$/m.exec(output);
  assert.ok(code === 0 && summary, `schemathesis found failures (exit ${code}):\n${output.slice(-6_000)}`);
  assert.equal(summary[1], summary[2]);
  assert.ok(Number(summary[1]) >= minimum, `only ${summary[1]} cases generated`);
  assert.doesNotMatch(output, forbidden);
}
