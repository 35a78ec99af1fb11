// `npm run bench:long`: does the embedded gateway slow down as its Temporal SQLite file fills up?
// Measures 10-connection throughput with a 0 ms upstream on a fresh gateway, then drives
// BENCH_STORED inferences (default 50,000) through it, then measures again, and prints both, their
// ratio and the SQLite file's size. Same processes as `npm run bench`: simulator, gateway
// (src/main.ts) and load generator each in their own.
//   BENCH_STORED=5000 npm run bench:long        # a quick try
//   BENCH_SECONDS (default 15) per measurement, BENCH_CONNECTIONS (default 10)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeBenchGatewayConfig } from './bench-gateway-config';
import { onCleanup, runWithCleanup } from './child-processes';
import { startLoadGenerator, type MeasuredRun } from './load-generator-process';
import { failuresOf } from './load-types';
import { loadAverage, readMachineConditions } from './machine-conditions';
import { formatMs, formatRatio } from './markdown-report';
import { chatBody } from './chat-body';
import { startUpstream } from './start-upstream';
import { startEmbeddedGateway } from './targets/start-embedded-gateway';

const repoRoot = resolve(__dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Bytes of the SQLite file and its companions (-wal, -shm, -journal), whichever exist. */
function sqliteBytes(directory: string, name: string): number {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return 0;
  }
  return names
    .filter((file) => file.startsWith(name))
    .reduce((total, file) => total + statSync(join(directory, file)).size, 0);
}

async function main(): Promise<void> {
  const stored = Number(process.env.BENCH_STORED ?? 50_000);
  const seconds = Number(process.env.BENCH_SECONDS ?? 15);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
  const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
  for (const [name, value] of [
    ['BENCH_STORED', stored],
    ['BENCH_SECONDS', seconds],
    ['BENCH_CONNECTIONS', connections],
  ] as const) {
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
  }
  const loadAtStart = loadAverage();
  const workDirectory = mkdtempSync(join(tmpdir(), 'gateway-bench-long-'));
  onCleanup('temporary directory', async () => rmSync(workDirectory, { recursive: true, force: true }));
  const dataDir = join(workDirectory, 'gateway-data');
  const sqliteSize = () => sqliteBytes(dataDir, 'temporal.sqlite');

  log('starting the upstream simulator (0 ms) and the gateway…');
  const upstream = await startUpstream(repoRoot);
  await upstream.setLatency(0);
  const configPath = writeBenchGatewayConfig(workDirectory, upstream);
  const gateway = await startEmbeddedGateway({
    repoRoot,
    configPath,
    upstream,
    dataDir,
    devKey: `gw-bench-${randomUUID()}`,
    probe: { body: chatBody(false) },
  });
  const loadGenerator = await startLoadGenerator(repoRoot);
  const spec = (durationSeconds: number) => ({
    mode: 'throughput' as const,
    url: gateway.target.chatUrl,
    connections,
    durationSeconds,
    body: chatBody(false),
    headers: gateway.target.headers,
  });
  let completedSoFar = 1; // the readiness probe

  if (warmupSeconds > 0) completedSoFar += (await loadGenerator.run(spec(warmupSeconds), [])).result.completed;
  const measure = async (label: string) => {
    const storedBefore = completedSoFar;
    const run = await loadGenerator.run(spec(seconds), gateway.target.measured);
    completedSoFar += run.result.completed;
    log(
      `${label}: ${run.result.requestsPerSecond.toFixed(1)} req/s, p50 ${run.result.latencyP50} ms, ${failuresOf(run.result)} failures`,
    );
    return { label, storedBefore, run, size: sqliteSize() };
  };
  const fresh = await measure('fresh');

  log(`driving ${stored} inferences (${connections} connections)…`);
  const driveStarted = performance.now();
  const drive = await loadGenerator.run(
    { ...spec(1), amount: stored, progressEverySeconds: 30 },
    gateway.target.measured,
    (completed) => {
      const elapsed = (performance.now() - driveStarted) / 1000;
      log(
        `  ${completed} / ${stored} after ${elapsed.toFixed(0)} s (${(completed / elapsed).toFixed(1)}/s), SQLite ${mib(sqliteSize())} MiB`,
      );
    },
  );
  completedSoFar += drive.result.completed;
  const after = await measure(`after ${stored} more`);

  const perInference = (run: MeasuredRun, label: string) =>
    formatMs((run.cpuMs[label] ?? 0) / Math.max(1, run.result.completed));
  const conditions = readMachineConditions(gateway.temporalExecutable, loadAtStart);
  const rows = [fresh, after].map(
    ({ label, storedBefore, run, size }) =>
      `| ${label} | ${storedBefore} | ${run.result.requestsPerSecond.toFixed(1)} | ${formatMs(run.result.latencyP50)} | ${formatMs(run.result.latencyP99)} | ${run.result.completed} | ${failuresOf(run.result)} | ${perInference(run, 'gateway')} | ${perInference(run, 'temporal')} | ${mib(size)} |`,
  );
  console.log(
    [
      `## npm run bench:long (${conditions.date})`,
      '',
      `Conditions: ${conditions.cores} cores (${conditions.cpuModel}); Node ${conditions.node}; Temporal CLI ${conditions.temporalCli} (the gateway's embedded dev server on its SQLite file);`,
      `${connections} connections, 0 ms upstream, ${seconds} s per measurement; load average ${conditions.loadAtStart} at start, ${loadAverage()} at end.`,
      '',
      '| measurement | inferences stored before | req/s | p50 ms | p99 ms | requests | failures | gateway CPU ms per inference | temporal CPU ms per inference | temporal.sqlite* MiB |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `With ${after.storedBefore} stored inferences the gateway runs at ${formatRatio(after.run.result.requestsPerSecond, fresh.run.result.requestsPerSecond)} its fresh throughput.`,
      `The drive itself: ${drive.result.completed} inferences in ${drive.wallSeconds.toFixed(0)} s (${drive.result.requestsPerSecond.toFixed(1)}/s), ${failuresOf(drive.result)} failures; gateway ${perInference(drive, 'gateway')} and temporal ${perInference(drive, 'temporal')} CPU ms per inference.`,
    ].join('\n'),
  );
}

void runWithCleanup(main);
