// Run by `npm test` before the suites: the Debian packages the tests drive for real (redis-server
// for the shared-state suites, chromium for the Temporal UI browser test), installed with apt when
// they are missing and this process may (root), or one message naming the command when it may not.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

interface DebianTool {
  package: string;
  present: () => boolean;
}

const tools: DebianTool[] = [
  { package: 'redis-server', present: () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0 },
  // The browser test drives this binary through playwright-core, which downloads no browser.
  { package: 'chromium', present: () => existsSync('/usr/bin/chromium') },
];

const missing = tools.filter((tool) => !tool.present()).map((tool) => tool.package);
if (missing.length > 0) {
  const command = `apt-get install -y ${missing.join(' ')}`;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canInstall) {
    console.error(`The tests need Debian's ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed. Run \`sudo ${command}\`, then \`npm test\` again.`);
    process.exit(1);
  }
  console.error(`Installing Debian's ${missing.join(' and ')} for the tests (${command})…`);
  const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: environment });
    if (result.status !== 0) {
      console.error(`\`apt-get ${args.join(' ')}\` failed (exit ${result.status}); install ${missing.join(' and ')} by hand, then run \`npm test\` again.`);
      process.exit(1);
    }
  }
  // Debian's package starts a system service; the tests start their own servers on free ports.
  spawnSync('service', ['redis-server', 'stop'], { stdio: 'ignore' });
  const still = tools.filter((tool) => missing.includes(tool.package) && !tool.present()).map((tool) => tool.package);
  if (still.length > 0) {
    console.error(`apt-get finished but ${still.join(' and ')} still cannot be found.`);
    process.exit(1);
  }
}
