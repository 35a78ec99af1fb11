import type { TargetKind } from './targets/bench-target';
// The report: markdown tables, paste-ready for bench/README.md, with the run's conditions.
import { totalCpuMs, type CaseSummary, type TargetSummary } from './case-summary';
import { median } from './statistics';

const dash = '–';

export function formatMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return dash;
  return Math.abs(value) < 10 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(0);
}

const signed = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? dash : `${value >= 0 ? '+' : ''}${formatMs(value)}`;
const rate = (value: number) => (!Number.isFinite(value) ? dash : value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** a ÷ b as "0.42×", or n/a when b is not a positive number. */
export function formatRatio(numerator: number, denominator: number): string {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return 'n/a';
  const value = numerator / denominator;
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;
}

function cpuCell(summary: TargetSummary): string {
  return summary.processes
    .map((process) => `${process.label} ${formatMs(process.cpuMsPerInference)} (${process.coresBusy.toFixed(2)})`)
    .join(' · ');
}

const caseCells = (summary: CaseSummary) => [
  `${summary.figures.loadCase.upstreamMs} ms`,
  String(summary.figures.loadCase.connections),
];
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

export function throughputTable(cases: CaseSummary[]): string {
  const lines = [
    row([
      'upstream',
      'connections',
      'target',
      'p50 ms',
      'p99 ms',
      'req/s',
      'added p50',
      'added p99',
      'requests',
      'failures',
      'CPU ms per inference (cores busy)',
      'round p50s',
    ]),
    row(Array(12).fill('---')),
  ];
  for (const summary of cases) {
    for (const target of summary.targets) {
      const isDirect = target.target.kind === 'direct';
      const added = (value: number, base: number | undefined) =>
        isDirect || base === undefined ? '' : `**${signed(value - base)}**`;
      lines.push(
        row([
          ...caseCells(summary),
          target.target.name,
          formatMs(target.p50),
          formatMs(target.p99),
          rate(target.requestsPerSecond),
          added(target.p50, summary.direct?.p50),
          added(target.p99, summary.direct?.p99),
          String(target.completed),
          String(target.failures),
          cpuCell(target),
          target.roundP50s.map(formatMs).join(' / '),
        ]),
      );
    }
  }
  return lines.join('\n');
}

export function streamTable(summary: CaseSummary): string {
  const lines = [
    row([
      'upstream',
      'connections',
      'target',
      'first token p50 ms',
      'first token p99 ms',
      'added first token p50',
      'whole stream p50 ms',
      'streams',
      'failures',
      'CPU ms per inference (cores busy)',
      'round first-token p50s',
    ]),
    row(Array(11).fill('---')),
  ];
  const base = summary.direct?.firstTokenP50;
  for (const target of summary.targets) {
    lines.push(
      row([
        ...caseCells(summary),
        target.target.name,
        formatMs(target.firstTokenP50),
        formatMs(target.firstTokenP99),
        target.target.kind === 'direct' || base === undefined
          ? ''
          : `**${signed((target.firstTokenP50 ?? Number.NaN) - base)}**`,
        formatMs(target.p50),
        String(target.completed),
        String(target.failures),
        cpuCell(target),
        target.roundP50s.map(formatMs).join(' / '),
      ]),
    );
  }
  return lines.join('\n');
}

/**
 * The spread of a req/s ratio over the rounds: in round i the two targets ran one after the
 * other, seconds apart, so the spread shows how far a single round's ratio can be trusted.
 */
export function roundRatioRange(numerators: number[], denominators: number[]): string {
  const ratios = numerators
    .map((value, index) => value / (denominators[index] ?? Number.NaN))
    .filter((ratio) => Number.isFinite(ratio));
  if (ratios.length === 0) return '';
  if (ratios.length === 1) return `${ratios[0]!.toFixed(2)}× (one round)`;
  return `${Math.min(...ratios).toFixed(2)}× – ${Math.max(...ratios).toFixed(2)}×`;
}

/**
 * The gateway's p50 (first token when streaming) minus the other's, paired round by round: the
 * median of those differences, then the lowest and highest. Two targets' rounds run seconds apart,
 * so a paired difference drifts less with the machine than two medians taken across the run.
 */
export function roundDifferenceRange(gatewayP50s: number[], otherP50s: number[]): string {
  const differences = gatewayP50s
    .map((value, index) => value - (otherP50s[index] ?? Number.NaN))
    .filter((difference) => Number.isFinite(difference));
  if (differences.length === 0) return '';
  if (differences.length === 1) return `${signed(differences[0])} ms (one round)`;
  return `${signed(median(differences))} ms (${signed(Math.min(...differences))} – ${signed(Math.max(...differences))})`;
}

/** The gateway against the floor, the split deployment and each peer, case by case. */
export function ratioTable(cases: CaseSummary[]): string {
  const lines = [
    row([
      'upstream',
      'connections',
      'load',
      'ratio',
      'req/s',
      'req/s, round by round (lowest – highest)',
      'added latency p50 (first token when streaming)',
      'p50 difference, round by round: median (lowest – highest)',
      'CPU ms per inference, all its processes',
    ]),
    row(Array(9).fill('---')),
  ];
  // The embedded gateway against the floor, the split deployment and the peers; the stack's gateway
  // against the floor on the same production server, and against the embedded gateway.
  const comparisons: Array<{ gateway: TargetKind; others: TargetKind[] }> = [
    { gateway: 'gateway', others: ['floor', 'split', 'peer'] },
    // A cache hit against the same gateway's uncached inference (a miss pays that plus a lookup and a store).
    { gateway: 'cache-hit', others: ['gateway'] },
    { gateway: 'stack-gateway', others: ['stack-floor', 'gateway'] },
  ];
  for (const summary of cases) {
    const streaming = summary.figures.mode === 'first-token';
    const latencyOf = (target: TargetSummary) => (streaming ? (target.firstTokenP50 ?? Number.NaN) : target.p50);
    const direct = summary.direct ? latencyOf(summary.direct) : Number.NaN;
    for (const comparison of comparisons) {
      const gateway = summary.targets.find((target) => target.target.kind === comparison.gateway);
      if (!gateway) continue;
      for (const other of summary.targets.filter((target) => comparison.others.includes(target.target.kind))) {
        lines.push(
          row([
            ...caseCells(summary),
            streaming ? 'stream' : 'throughput',
            `${gateway.target.name} ÷ ${other.target.name}`,
            formatRatio(gateway.requestsPerSecond, other.requestsPerSecond),
            roundRatioRange(gateway.roundRequestsPerSecond, other.roundRequestsPerSecond),
            `${formatRatio(latencyOf(gateway) - direct, latencyOf(other) - direct)} (${signed(latencyOf(gateway) - direct)} vs ${signed(latencyOf(other) - direct)} ms)`,
            roundDifferenceRange(gateway.roundP50s, other.roundP50s),
            `${formatRatio(totalCpuMs(gateway), totalCpuMs(other))} (${formatMs(totalCpuMs(gateway))} vs ${formatMs(totalCpuMs(other))})`,
          ]),
        );
      }
    }
  }
  return lines.join('\n');
}
