// One process of the production stack. Each is started under `setpriv --pdeathsig`, so the kernel
// signals it when `npm run stack` dies however it dies (kill -9 included), and in a process group
// of its own, so a Ctrl-C reaches only the stack, which then stops the parts in order. Its output
// goes to a log file in the data folder; the last lines are kept for error messages.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export const setprivPath = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));

export interface StackProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Run as this user and group (setpriv --reuid/--regid), e.g. PostgreSQL when the stack runs as root. */
  runAs?: { uid: number; gid: number };
  /** What stops it cleanly (default SIGTERM), also sent by the kernel if the stack dies first. */
  stopSignal?: NodeJS.Signals;
  /** How long to wait after stopSignal before SIGKILL (default 15 s). */
  stopGraceMs?: number;
}

export interface StackProcess {
  name: string;
  pid: number;
  /** Resolves with the exit code or the signal's name once it has exited. */
  exited: Promise<string>;
  hasExited(): boolean;
  recentOutput(lines?: number): string;
  /** Resolves with the first output line matching `pattern`; rejects when it exits first or on timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function prefixArguments(options: StackProcessOptions): string[] {
  if (!setprivPath) return [];
  const signal = (options.stopSignal ?? 'SIGTERM').replace(/^SIG/, '');
  const user = options.runAs
    ? ['--reuid', String(options.runAs.uid), '--regid', String(options.runAs.gid), '--clear-groups']
    : [];
  return ['--pdeathsig', signal, ...user, '--'];
}

export function startStackProcess(
  name: string,
  command: string,
  args: string[],
  options: StackProcessOptions,
): StackProcess {
  if (options.runAs && !setprivPath)
    throw new Error(`${name} must run as another user, which needs setpriv (util-linux)`);
  const [file, argv] = setprivPath ? [setprivPath, [...prefixArguments(options), command, ...args]] : [command, args];
  const child: ChildProcess = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const recent: string[] = [];
  const watchers = new Set<(line: string) => void>();
  const remember = (line: string) => {
    log.write(`${line}\n`);
    recent.push(line);
    if (recent.length > 60) recent.shift();
    for (const watcher of watchers) watcher(line);
  };
  createInterface({ input: child.stdout! }).on('line', remember);
  createInterface({ input: child.stderr! }).on('line', remember);

  let exitedWith: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve((exitedWith = signal ?? `code ${code}`)));
    child.once('error', (error) => resolve((exitedWith = `could not run ${command}: ${error.message}`)));
  });
  void exited.then(() => log.end());

  let stopping: Promise<void> | undefined;
  const running: StackProcess = {
    name,
    pid: child.pid ?? -1,
    exited,
    hasExited: () => exitedWith !== undefined,
    recentOutput: (lines = 8) =>
      recent
        .slice(-lines)
        .map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line))
        .join('\n'),
    waitForLine(pattern, timeoutMs) {
      const seen = recent.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const finish = (error: Error | undefined, line?: string) => {
          clearTimeout(timer);
          watchers.delete(watcher);
          if (error) reject(error);
          else resolve(line!);
        };
        const watcher = (line: string) => pattern.test(line) && finish(undefined, line);
        const timer = setTimeout(() => finish(new Error(`it was not ready within ${timeoutMs / 1000} s`)), timeoutMs);
        watchers.add(watcher);
        void exited.then((how) => finish(new Error(`it exited (${how}) before it was ready`)));
      });
    },
    stop() {
      stopping ??= (async () => {
        if (exitedWith !== undefined) return;
        child.kill(options.stopSignal ?? 'SIGTERM');
        const grace = options.stopGraceMs ?? 15_000;
        await Promise.race([exited, sleep(grace)]);
        if (exitedWith === undefined) {
          console.error(`${name} (pid ${child.pid}) did not stop within ${grace / 1000} s: SIGKILL`);
          child.kill('SIGKILL');
          await exited;
        }
      })();
      return stopping;
    },
  };
  return running;
}
