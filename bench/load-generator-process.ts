// The harness's side of bench/load-generator.ts: one long-lived child in serve mode, so its start-up
// is paid once. Around each run it samples the CPU time of the processes being measured, from the
// moment the load starts to the moment the result comes back.
import { performance } from 'node:perf_hooks';
import { spawnChild, type RunningChild } from './child-processes';
import type { LoadEvent, LoadResult, LoadSpec } from './load-types';
import { cpuMilliseconds } from './process-table';

export interface MeasuredProcess {
  /** How the report names it: `gateway`, `temporal`, `floor`, `api`, … */
  label: string;
  pid: number;
  /** Count its descendants too (a peer gateway that forks workers). */
  tree?: boolean;
}

export interface MeasuredRun {
  result: LoadResult;
  /** Wall time from the `started` event to the `result` event. */
  wallSeconds: number;
  /** CPU milliseconds each measured process used over that time, by label. */
  cpuMs: Record<string, number>;
}

export interface LoadGenerator {
  run(spec: LoadSpec, measured: MeasuredProcess[], onProgress?: (completed: number) => void): Promise<MeasuredRun>;
  process: RunningChild;
}

export async function startLoadGenerator(repoRoot: string): Promise<LoadGenerator> {
  let handle: ((event: LoadEvent) => void) | undefined;
  const child = spawnChild(
    'load generator',
    process.execPath,
    ['--import', 'tsx', 'bench/load-generator.ts', '--serve'],
    {
      cwd: repoRoot,
      stopGraceMs: 5_000,
      onStdoutLine: (line) => {
        if (!line.startsWith('{')) return;
        handle?.(JSON.parse(line) as LoadEvent);
      },
    },
  );
  let queue: Promise<unknown> = Promise.resolve();

  const runNow = (spec: LoadSpec, measured: MeasuredProcess[], onProgress?: (completed: number) => void) =>
    new Promise<MeasuredRun>((resolve, reject) => {
      const sample = () =>
        Object.fromEntries(measured.map((entry) => [entry.label, cpuMilliseconds(entry.pid, entry.tree)]));
      let before: Record<string, number> = {};
      let startedAt = 0;
      // A run that outlives its duration by a minute is stuck; one bounded by `amount` gets a day.
      const limitMs = spec.amount === undefined ? (spec.durationSeconds + 60) * 1000 : 86_400_000;
      const timer = setTimeout(
        () => finish(new Error(`the load generator gave no result within ${limitMs / 1000} s`)),
        limitMs,
      );
      void child.exited.then((how) =>
        finish(new Error(`the load generator exited (${how}):\n${child.recentOutput()}`)),
      );
      let done = false;
      const finish = (error?: Error, run?: MeasuredRun) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        handle = undefined;
        if (error) reject(error);
        else resolve(run!);
      };
      handle = (event) => {
        if (event.event === 'started') {
          before = sample();
          startedAt = performance.now();
        } else if (event.event === 'progress') {
          onProgress?.(event.completed);
        } else if (event.event === 'result') {
          const after = sample();
          const cpuMs = Object.fromEntries(
            measured.map(({ label }) => [label, (after[label] ?? 0) - (before[label] ?? 0)]),
          );
          finish(undefined, { result: event.result, wallSeconds: (performance.now() - startedAt) / 1000, cpuMs });
        } else {
          finish(new Error(`load generator: ${event.message}`));
        }
      };
      child.child.stdin!.write(`${JSON.stringify(spec)}\n`);
    });

  return {
    process: child,
    run(spec, measured, onProgress) {
      // One run at a time: the child serves specs in order.
      const next = queue.then(() => runNow(spec, measured, onProgress));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
