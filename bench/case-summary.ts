// Aggregates each target's rounds: the median of the rounds' p50s, p99s, rates and CPU costs, and
// the sums of requests and failures.
import type { CaseFigures } from './bench-rounds';
import { failuresOf } from './load-types';
import { median, sum } from './statistics';
import type { BenchTarget } from './targets/bench-target';

export interface ProcessCost {
  label: string;
  /** Median over rounds of the round's CPU milliseconds ÷ the 2xx responses of that round. */
  cpuMsPerInference: number;
  /** Median over rounds of the share of one core the process kept busy. */
  coresBusy: number;
  peakRssMiB: number;
}

export interface TargetSummary {
  target: BenchTarget;
  p50: number;
  p99: number;
  requestsPerSecond: number;
  completed: number;
  failures: number;
  firstTokenP50?: number;
  firstTokenP99?: number;
  roundP50s: number[];
  /** Each round's req/s, in round order: rounds alternate targets, so round i of two targets ran side by side. */
  roundRequestsPerSecond: number[];
  processes: ProcessCost[];
}

export interface CaseSummary {
  figures: CaseFigures;
  targets: TargetSummary[];
  direct?: TargetSummary;
}

export function summarizeCase(figures: CaseFigures): CaseSummary {
  const targets = figures.targets.map(({ target, rounds }): TargetSummary => {
    const results = rounds.map((round) => round.result);
    const processes = target.measured.map(({ label }): ProcessCost => ({
      label,
      cpuMsPerInference: median(
        rounds
          .filter((round) => round.result.completed > 0)
          .map((round) => (round.cpuMs[label] ?? 0) / round.result.completed),
      ),
      coresBusy: median(rounds.map((round) => (round.cpuMs[label] ?? 0) / (round.wallSeconds * 1000))),
      peakRssMiB: Math.max(...rounds.map((round) => round.rssMiB[label] ?? Number.NaN)),
    }));
    const firstTokens = results
      .map((result) => result.firstTokenP50)
      .filter((value): value is number => value !== undefined && Number.isFinite(value));
    const firstTokenTails = results
      .map((result) => result.firstTokenP99)
      .filter((value): value is number => value !== undefined && Number.isFinite(value));
    return {
      target,
      p50: median(results.map((result) => result.latencyP50)),
      p99: median(results.map((result) => result.latencyP99)),
      requestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
      completed: sum(results.map((result) => result.completed)),
      failures: sum(results.map(failuresOf)),
      ...(figures.mode === 'first-token' && {
        firstTokenP50: median(firstTokens),
        firstTokenP99: median(firstTokenTails),
      }),
      roundP50s: results.map((result) =>
        figures.mode === 'first-token' ? (result.firstTokenP50 ?? Number.NaN) : result.latencyP50,
      ),
      roundRequestsPerSecond: results.map((result) => result.requestsPerSecond),
      processes,
    };
  });
  return { figures, targets, direct: targets.find((summary) => summary.target.kind === 'direct') };
}

/** CPU ms per inference of all the target's processes together (Temporal included). */
export const totalCpuMs = (summary: TargetSummary) =>
  sum(summary.processes.map((process) => process.cpuMsPerInference));
