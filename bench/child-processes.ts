// Every process the bench starts goes through here, so that all of them are stopped at the end,
// on Ctrl-C, on SIGTERM and on errors. Children are started under `setpriv --pdeathsig` where it
// exists, so that they are also signalled if the bench itself is killed outright (SIGKILL by
// default; SIGTERM for a child that must stop children of its own, like the gateway its Temporal).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { descendantsOf, readProcessStat, type ProcessStat } from './process-table';

export interface RunningChild {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<string>;
  hasExited(): boolean;
  /** The last lines it wrote to stdout and stderr, for error messages. */
  recentOutput(): string;
  /** Resolves with the first stdout or stderr line matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

interface CleanupStep {
  name: string;
  run: () => Promise<void>;
}

const cleanupSteps: CleanupStep[] = [];
const startedChildren = new Set<RunningChild>();
const setprivPath = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Registers a step to run at cleanup, last registered first. Returns a function that unregisters it. */
export function onCleanup(name: string, run: () => Promise<void>): () => void {
  const step = { name, run };
  cleanupSteps.push(step);
  return () => {
    const index = cleanupSteps.indexOf(step);
    if (index >= 0) cleanupSteps.splice(index, 1);
  };
}

const isSameProcess = (stat: ProcessStat) => readProcessStat(stat.pid)?.startTicks === stat.startTicks;

function signal(stat: ProcessStat, name: NodeJS.Signals): void {
  if (!isSameProcess(stat)) return; // gone, or its pid reused by someone else's process
  try {
    process.kill(stat.pid, name);
  } catch {
    // already gone
  }
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with every line of stdout. */
  onStdoutLine?: (line: string) => void;
  /** Echo stderr lines to the bench's stderr (default false: kept for error messages only). */
  echoStderr?: boolean;
  /** How long to wait after SIGTERM before SIGKILL; default 15 s. */
  stopGraceMs?: number;
  /** What the child gets if the bench dies without cleaning up; default KILL. */
  parentDeathSignal?: 'TERM' | 'KILL';
}

export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions = {}): RunningChild {
  const [file, argv] = setprivPath
    ? [setprivPath, ['--pdeathsig', options.parentDeathSignal ?? 'KILL', '--', command, ...args]]
    : [command, args];
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const pid = child.pid;
  const recent: string[] = [];
  const lineWatchers = new Set<(line: string) => void>();
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    for (const watcher of lineWatchers) watcher(line);
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    remember(line);
    options.onStdoutLine?.(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    remember(line);
    if (options.echoStderr) process.stderr.write(`[${name}] ${line}\n`);
  });
  let exitedWith: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signalName) => {
      exitedWith = signalName ?? String(code);
      resolve(exitedWith);
    });
    child.once('error', (error) => {
      exitedWith = `error: ${error.message}`;
      resolve(exitedWith);
    });
  });

  let stopping: Promise<void> | undefined;
  const running: RunningChild = {
    name,
    pid,
    child,
    exited,
    hasExited: () => exitedWith !== undefined,
    recentOutput: () => recent.join('\n'),
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const found = recent.find((line) => pattern.test(line));
        if (found) return resolve(found);
        const timer = setTimeout(
          () =>
            finish(
              new Error(
                `${name} wrote no line matching ${pattern} within ${timeoutMs / 1000} s:\n${running.recentOutput()}`,
              ),
            ),
          timeoutMs,
        );
        const watcher = (line: string) => pattern.test(line) && finish(undefined, line);
        const finish = (error?: Error, line?: string) => {
          clearTimeout(timer);
          lineWatchers.delete(watcher);
          if (error) reject(error);
          else resolve(line!);
        };
        lineWatchers.add(watcher);
        void exited.then((how) =>
          finish(
            new Error(`${name} exited (${how}) before writing a line matching ${pattern}:\n${running.recentOutput()}`),
          ),
        );
      });
    },
    stop() {
      stopping ??= (async () => {
        // Note its descendants first: once it is gone they are re-parented and harder to find.
        const self = readProcessStat(pid);
        const below = descendantsOf(pid);
        if (self && exitedWith === undefined) signal(self, 'SIGTERM');
        const grace = options.stopGraceMs ?? 15_000;
        await Promise.race([exited, sleep(grace)]);
        if (exitedWith === undefined && self) {
          process.stderr.write(
            `${name} (pid ${pid}) did not stop within ${grace / 1000} s of SIGTERM: SIGKILL. Its last output:\n${running.recentOutput().split('\n').slice(-5).join('\n')}\n`,
          );
          signal(self, 'SIGKILL');
          await Promise.race([exited, sleep(2_000)]);
        }
        // Whatever it started and left behind (a Temporal server, a worker) goes too.
        let left = below.filter(isSameProcess);
        for (const stat of left) signal(stat, 'SIGTERM');
        for (let wait = 0; wait < 50 && left.length > 0; wait++) {
          await sleep(100);
          left = left.filter(isSameProcess);
        }
        for (const stat of left) signal(stat, 'SIGKILL');
        startedChildren.delete(running);
      })();
      return stopping;
    },
  };
  startedChildren.add(running);
  onCleanup(name, running.stop);
  return running;
}

let cleaning: Promise<void> | undefined;

/** Runs every cleanup step, last registered first; safe to call more than once. */
export const isCleaningUp = () => cleaning !== undefined;

export function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanupSteps.length > 0) {
      const step = cleanupSteps.pop()!;
      await step
        .run()
        .catch((error: Error) => process.stderr.write(`stopping ${step.name} failed: ${error.message}\n`));
    }
  })();
  return cleaning;
}

/** Last resort on exit: SIGKILL every child still known, synchronously. */
function killLeftovers(): void {
  for (const running of startedChildren) {
    for (const stat of [readProcessStat(running.pid), ...descendantsOf(running.pid)]) if (stat) signal(stat, 'SIGKILL');
  }
}

/** Stops every child on SIGINT, SIGTERM, uncaught errors and exit. Call once, at the start. */
export function installCleanupHandlers(): void {
  const stopAndExit = (code: number, reason: string) => {
    process.stderr.write(`\n${reason}: stopping every process the bench started…\n`);
    void cleanUp().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stopAndExit(130, 'SIGINT'));
  process.once('SIGTERM', () => stopAndExit(143, 'SIGTERM'));
  process.once('SIGHUP', () => stopAndExit(129, 'SIGHUP'));
  process.on('uncaughtException', (error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    stopAndExit(1, 'error');
  });
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
    stopAndExit(1, 'error');
  });
  process.on('exit', killLeftovers);
}

/** Runs `main`, then cleans up whatever it started, whether it succeeded or not. */
export async function runWithCleanup(main: () => Promise<void>): Promise<void> {
  installCleanupHandlers();
  let failed = false;
  try {
    await main();
  } catch (error) {
    failed = true;
    // Stopped by a signal: what failed then is only the children going away.
    if (!isCleaningUp())
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  await cleanUp();
  process.exit(failed ? 1 : 0);
}
