// PostgreSQL for the Temporal server: Debian's binaries (or any on PATH), a cluster created in
// the stack's data folder, listening on its own loopback port with no Unix socket, never the
// system service. initdb and postgres refuse to run as root, so as root they run as the user
// STACK_POSTGRES_USER (default `postgres`, which Debian's package creates) through setpriv.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runCommand } from './run-command';
import { loopback } from './stack-options';
import { StackPartError } from './stack-part-error';
import { setprivPath, startStackProcess, type StackProcess } from './stack-process';

const part = 'PostgreSQL';

export interface PostgresOptions {
  dataDir: string;
  logDir: string;
  port: number;
  user: string;
  password: string;
}

export interface RunningPostgres {
  process: StackProcess;
  address: string;
  /** True when this run created the cluster (so the Temporal schema is certainly absent). */
  created: boolean;
  /** The user the server runs as, for the start-up output. */
  runsAs: string;
}

/** The folder holding initdb and postgres: STACK_POSTGRES_BIN, PATH, then Debian's newest /usr/lib/postgresql/<version>/bin. */
function findBinDir(tried: string[]): string | undefined {
  const has = (directory: string) => existsSync(join(directory, 'initdb')) && existsSync(join(directory, 'postgres'));
  const explicit = process.env.STACK_POSTGRES_BIN;
  if (explicit) {
    if (has(explicit)) return explicit;
    tried.push(`STACK_POSTGRES_BIN=${explicit} (no initdb and postgres there)`);
  } else {
    tried.push('STACK_POSTGRES_BIN (unset)');
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).find((directory) => directory && has(directory));
  if (onPath) return onPath;
  tried.push('initdb and postgres on PATH (not found)');
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions.map((version) => join(debian, version, 'bin')).find(has);
  if (found) return found;
  tried.push(`${debian}/<version>/bin (${versions.length === 0 ? 'none installed' : 'no initdb there'})`);
  return undefined;
}

/** Root cannot run PostgreSQL: the uid and gid of the user it runs as instead, or undefined when not root. */
function postgresUser(): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const name = process.env.STACK_POSTGRES_USER ?? 'postgres';
  const lookup = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const groups = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (lookup.status !== 0 || groups.status !== 0) {
    throw new StackPartError(
      part,
      `initdb and postgres refuse to run as root, and the user "${name}" to run them as does not exist. Create it (Debian's postgresql package does) or set STACK_POSTGRES_USER to an existing user`,
    );
  }
  if (!setprivPath)
    throw new StackPartError(part, `running as root needs setpriv (util-linux) to start PostgreSQL as "${name}"`);
  return { uid: Number(lookup.stdout.trim()), gid: Number(groups.stdout.trim()), name };
}

function run(
  command: string,
  args: string[],
  runAs: { uid: number; gid: number } | undefined,
): Promise<{ ok: boolean; output: string }> {
  const [file, argv] = runAs
    ? [
        setprivPath!,
        ['--reuid', String(runAs.uid), '--regid', String(runAs.gid), '--clear-groups', '--', command, ...args],
      ]
    : [command, args];
  return runCommand(file, argv);
}

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const tried: string[] = [];
  const binDir = findBinDir(tried);
  if (!binDir)
    throw new StackPartError(
      part,
      'no PostgreSQL server is installed: `apt-get install postgresql` (Debian), or set STACK_POSTGRES_BIN to the folder holding initdb and postgres',
      tried,
    );
  const runAs = postgresUser();
  const clusterDir = join(options.dataDir, 'postgres');
  const created = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (created) {
    rmSync(clusterDir, { recursive: true, force: true }); // a run that died inside initdb leaves a partial folder
    mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    const passwordFile = join(options.dataDir, 'postgres-password');
    writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
    if (runAs) for (const path of [clusterDir, passwordFile]) chownSync(path, runAs.uid, runAs.gid);
    const init = await run(
      join(binDir, 'initdb'),
      [
        '-D',
        clusterDir,
        '-U',
        options.user,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--no-locale',
      ],
      runAs,
    );
    rmSync(passwordFile, { force: true });
    if (!init.ok) {
      rmSync(clusterDir, { recursive: true, force: true });
      throw new StackPartError(
        part,
        `initdb failed in ${clusterDir}${runAs ? ` (as ${runAs.name}, who must be able to reach that folder)` : ''}:\n${init.output}`,
        [`${join(binDir, 'initdb')} -D ${clusterDir}`],
      );
    }
  }

  const server = startStackProcess(
    'postgresql',
    join(binDir, 'postgres'),
    [
      '-D',
      clusterDir,
      '-p',
      String(options.port),
      '-c',
      `listen_addresses=${loopback}`,
      '-c',
      'unix_socket_directories=',
      // Each of the Temporal server's four services keeps pools to both databases.
      '-c',
      'max_connections=200',
    ],
    { logFile: join(options.logDir, 'postgresql.log'), runAs, stopSignal: 'SIGINT' },
  );
  try {
    await server.waitForLine(/database system is ready to accept connections/, 60_000);
  } catch (error) {
    await server.stop();
    throw new StackPartError(
      part,
      `the server on port ${options.port} did not start: ${(error as Error).message}:\n${server.recentOutput()}`,
      [`${join(binDir, 'postgres')} -D ${clusterDir} -p ${options.port}`],
    );
  }
  return {
    process: server,
    address: `${loopback}:${options.port}`,
    created,
    runsAs: runAs?.name ?? (process.env.USER || 'the current user'),
  };
}
