import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * The Temporal server version the production stack runs: the one Temporal CLI 1.5.1's dev server
 * embeds (`temporal --version` prints "Server 1.29.1"), so histories and behaviour match.
 */
export const pinnedTemporalServerVersion = '1.29.1';

/** Project-local, git-ignored folder the server and its schema tool are built into. */
export const serverToolsDir = resolve(__dirname, '../../tools/temporal-server', pinnedTemporalServerVersion);

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** Where they came from, for start-up output. */
  source: string;
}

export interface TemporalServerLookup {
  binaries?: TemporalServerBinaries;
  /** Every place and method tried, in order, for the error message when all fail. */
  tried: string[];
}

/** What `go install` builds (named after the package's last path element) and what we call it. */
const goPackages = [
  { path: 'go.temporal.io/server/cmd/server', built: 'server', name: 'temporal-server' },
  { path: 'go.temporal.io/server/cmd/tools/sql', built: 'sql', name: 'temporal-sql-tool' },
] as const;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The version a server binary reports (`temporal version 1.29.1`), or undefined when it does not run. */
export function serverVersion(path: string): string | undefined {
  if (!isExecutable(path)) return undefined;
  const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) return undefined;
  return /(\d+\.\d+\.\d+)/.exec(result.stdout)?.[1];
}

function findOnPath(name: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory && isExecutable(join(directory, name))) return join(directory, name);
  }
  return undefined;
}

/** `go` on PATH, else where the official Go archive is usually unpacked. */
export function findGo(): string | undefined {
  return findOnPath('go') ?? ['/usr/local/go/bin/go'].find(isExecutable);
}

function pinned(server: string, sqlTool: string, source: string, tried: string[]): TemporalServerBinaries | undefined {
  const version = serverVersion(server);
  if (version === pinnedTemporalServerVersion && isExecutable(sqlTool)) return { server, sqlTool, source };
  if (!version) tried.push(`${source}: ${server} (${isExecutable(server) ? 'does not run' : 'not found'})`);
  else if (version !== pinnedTemporalServerVersion)
    tried.push(`${source}: ${server} (version ${version}, not ${pinnedTemporalServerVersion})`);
  else tried.push(`${source}: ${sqlTool} (not found)`);
  return undefined;
}

function buildWithGo(go: string, log: (line: string) => void): boolean {
  mkdirSync(serverToolsDir, { recursive: true });
  const staging = mkdtempSync(join(serverToolsDir, 'build-'));
  try {
    const started = Date.now();
    log(
      `Building Temporal server ${pinnedTemporalServerVersion} and its SQL tool with ${go} into ${serverToolsDir} (a few minutes the first time)…`,
    );
    const result = spawnSync(
      go,
      ['install', ...goPackages.map((pkg) => `${pkg.path}@v${pinnedTemporalServerVersion}`)],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
        timeout: 30 * 60_000,
      },
    );
    if (result.status !== 0) return false;
    for (const pkg of goPackages) renameSync(join(staging, pkg.built), join(serverToolsDir, pkg.name));
    log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
    return true;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Finds the Temporal server and `temporal-sql-tool`, building them when needed, like the CLI
 * lookup: TEMPORAL_SERVER_PATH (with TEMPORAL_SQL_TOOL_PATH, or the tool beside it), then both on
 * PATH at the pinned version, then tools/temporal-server/<version>/, then `go install` into it.
 * Pass `build: false` to only look.
 */
export function findOrBuildTemporalServer(
  options: { build?: boolean; log?: (line: string) => void } = {},
): TemporalServerLookup {
  const log = options.log ?? (() => {});
  const tried: string[] = [];
  const explicit = process.env.TEMPORAL_SERVER_PATH;
  if (explicit) {
    const sqlTool = process.env.TEMPORAL_SQL_TOOL_PATH ?? join(resolve(explicit, '..'), 'temporal-sql-tool');
    if (serverVersion(explicit) && isExecutable(sqlTool))
      return { binaries: { server: explicit, sqlTool, source: 'TEMPORAL_SERVER_PATH' }, tried };
    tried.push(
      `TEMPORAL_SERVER_PATH=${explicit} with ${sqlTool} (${serverVersion(explicit) ? 'no SQL tool there; set TEMPORAL_SQL_TOOL_PATH' : 'not a runnable Temporal server'})`,
    );
  } else {
    tried.push('TEMPORAL_SERVER_PATH (unset)');
  }

  const onPath = findOnPath('temporal-server');
  const sqlOnPath = findOnPath('temporal-sql-tool');
  if (onPath && sqlOnPath) {
    const found = pinned(onPath, sqlOnPath, 'PATH', tried);
    if (found) return { binaries: found, tried };
  } else {
    tried.push('`temporal-server` and `temporal-sql-tool` on PATH (not found)');
  }

  const server = join(serverToolsDir, 'temporal-server');
  const sqlTool = join(serverToolsDir, 'temporal-sql-tool');
  if (existsSync(server)) {
    const found = pinned(server, sqlTool, 'tools folder', tried);
    if (found) return { binaries: found, tried };
  } else {
    tried.push(`${server} (not built yet)`);
  }
  if (options.build === false) return { tried };

  const go = findGo();
  if (!go) {
    tried.push(
      `go install go.temporal.io/server/cmd/server@v${pinnedTemporalServerVersion} (no \`go\` on PATH or in /usr/local/go/bin; the build needs Go 1.25 or newer)`,
    );
    return { tried };
  }
  if (buildWithGo(go, log)) {
    const found = pinned(server, sqlTool, 'go install', tried);
    if (found) return { binaries: found, tried };
  } else {
    tried.push(
      `${go} install go.temporal.io/server/cmd/server@v${pinnedTemporalServerVersion} (failed; its output is above)`,
    );
  }
  return { tried };
}
