// Runs the load cases in alternating rounds: every target once per round, in the same order,
// with the same body and connection count, so that drift on the machine spreads over all targets.
import type { LoadCase } from './bench-options';
import type { LoadGenerator } from './load-generator-process';
import { failuresOf, type LoadResult, type LoadSpec } from './load-types';
import { residentMebibytes } from './process-table';
import type { BenchTarget } from './targets/bench-target';

export interface RoundFigures {
  round: number;
  result: LoadResult;
  wallSeconds: number;
  /** CPU milliseconds each measured process used during the run. */
  cpuMs: Record<string, number>;
  /** Resident memory of each measured process right after the run. */
  rssMiB: Record<string, number>;
}

export interface CaseFigures {
  loadCase: LoadCase;
  mode: LoadSpec['mode'];
  targets: Array<{ target: BenchTarget; rounds: RoundFigures[] }>;
}

export interface RoundPlan {
  loadGenerator: LoadGenerator;
  targets: BenchTarget[];
  setUpstreamLatency(latencyMs: number): Promise<void>;
  body: (stream: boolean, model?: string) => string;
  seconds: number;
  rounds: number;
  settleMs: number;
  log: (line: string) => void;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export function specFor(
  target: BenchTarget,
  mode: LoadSpec['mode'],
  connections: number,
  durationSeconds: number,
  body: string,
): LoadSpec {
  return { mode, url: target.chatUrl, connections, durationSeconds, body, headers: target.headers };
}

export async function runCase(plan: RoundPlan, loadCase: LoadCase, mode: LoadSpec['mode']): Promise<CaseFigures> {
  await plan.setUpstreamLatency(loadCase.upstreamMs);
  const figures: CaseFigures = { loadCase, mode, targets: plan.targets.map((target) => ({ target, rounds: [] })) };
  const label = `${mode === 'first-token' ? 'stream, ' : ''}${loadCase.connections} conn, ${loadCase.upstreamMs} ms upstream`;
  for (let round = 1; round <= plan.rounds; round++) {
    for (const entry of figures.targets) {
      const { target } = entry;
      const run = await plan.loadGenerator.run(
        specFor(target, mode, loadCase.connections, plan.seconds, plan.body(mode === 'first-token', target.model)),
        target.measured,
      );
      const rssMiB = Object.fromEntries(
        target.measured.map((process) => [process.label, residentMebibytes(process.pid) ?? Number.NaN]),
      );
      entry.rounds.push({ round, ...run, rssMiB });
      const { result } = run;
      const latency =
        mode === 'first-token'
          ? `first token p50 ${result.firstTokenP50} ms`
          : `p50 ${result.latencyP50} ms, p99 ${result.latencyP99} ms`;
      plan.log(
        `[${label}] round ${round}/${plan.rounds} ${target.name}: ${latency}, ${result.requestsPerSecond.toFixed(1)} req/s, ${failuresOf(result)} failures`,
      );
      await sleep(plan.settleMs);
    }
  }
  return figures;
}

/** Load not counted, so that caches, JIT and connection pools are warm for the first round. */
export async function warmUp(plan: RoundPlan, seconds: number): Promise<void> {
  if (seconds <= 0) return;
  await plan.setUpstreamLatency(0);
  for (const target of plan.targets) {
    const run = await plan.loadGenerator.run(
      specFor(target, 'throughput', 10, seconds, plan.body(false, target.model)),
      [],
    );
    plan.log(
      `[warm-up] ${target.name}: ${run.result.requestsPerSecond.toFixed(1)} req/s, ${failuresOf(run.result)} failures`,
    );
    await sleep(plan.settleMs);
  }
}
