import { spawn } from 'node:child_process';

/** Runs a one-off command of the stack's setup to its end: whether it succeeded, and the tail of what it printed. */
export function runCommand(
  file: string,
  args: string[],
  environment: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: environment });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => resolve({ ok: false, output: error.message }));
    child.once('exit', (code) => resolve({ ok: code === 0, output: output.trim() }));
  });
}
