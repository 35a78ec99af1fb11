// `npm run bench`: what the gateway adds over its upstream, against a bare Temporal workflow of
// the same shape (the floor), the split deployment and, with --peers, LiteLLM and Portkey, in one
// run. Every piece runs in its own process: the upstream simulator, the gateway as `npm start`
// runs it (its embedded Temporal server is the one every Temporal target uses), the floor, the
// split API and worker with Redis, and the load generator. Targets are measured in alternating
// rounds. Progress goes to stderr; the report (markdown) to stdout. See bench/README.md.
//   npm run bench
//   BENCH_SECONDS=2 BENCH_ROUNDS=1 npm run bench
//   npm run bench -- --peers --floor-shapes local,activity --json /tmp/bench.json
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gatewayDefaultInvoke, readBenchOptions, usage, type BenchOptions } from './bench-options';
import { benchCachedModelGroup, benchModelGroup, writeBenchGatewayConfig } from './bench-gateway-config';
import { chatBody } from './chat-body';
import { runCase, warmUp, type CaseFigures, type RoundPlan } from './bench-rounds';
import { summarizeCase, type CaseSummary } from './case-summary';
import { onCleanup, runWithCleanup } from './child-processes';
import { startLoadGenerator } from './load-generator-process';
import { loadAverage, readMachineConditions, type MachineConditions } from './machine-conditions';
import { formatMs, ratioTable, streamTable, throughputTable } from './markdown-report';
import { cpuMilliseconds } from './process-table';
import { startUpstream } from './start-upstream';
import type { BenchTarget } from './targets/bench-target';
import { startEmbeddedGateway } from './targets/start-embedded-gateway';
import { startFloor } from './targets/start-floor';
import { startPeers } from './targets/start-peers';
import { startSplitGateway } from './targets/start-split-gateway';
import { startStackTarget } from './targets/start-stack';

const repoRoot = resolve(__dirname, '..');
const startedAt = performance.now();
const log = (line: string) =>
  process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

function conditionsText(
  conditions: MachineConditions,
  options: BenchOptions,
  order: string[],
  loadAtEnd: string,
): string {
  return [
    `Conditions: ${conditions.date}; ${conditions.cores} cores (${conditions.cpuModel}), ${conditions.memoryGiB} GiB; Node ${conditions.node}; Temporal CLI ${conditions.temporalCli}`,
    "(the gateway's embedded dev server, SQLite file in a fresh directory, shared by every Temporal target, each on its own task queue).",
    `${options.rounds} round(s) × ${options.seconds} s per target per case, interleaved in the order ${order.join(' → ')}, ${options.settleMs / 1000} s pause between runs,`,
    `after ${options.warmupSeconds} s of 10-connection warm-up per target. Load generator: autocannon ${conditions.autocannon} (streams: node:http) in its own process;`,
    `every target, the simulator and the load generator share the machine. Load average ${conditions.loadAtStart} at start, ${loadAtEnd} at end.`,
    `CPU: utime+stime from /proc/<pid>/stat (CLK_TCK ${conditions.clockTicks}) over each run ÷ its 2xx responses, median over rounds; (cores busy) = CPU time ÷ wall time.`,
  ].join('\n');
}

function peakMemory(cases: CaseSummary[]): string {
  const peaks = new Map<string, number>();
  for (const summary of cases) {
    for (const target of summary.targets) {
      for (const process of target.processes) {
        if (Number.isFinite(process.peakRssMiB))
          peaks.set(process.label, Math.max(peaks.get(process.label) ?? 0, process.peakRssMiB));
      }
    }
  }
  return [...peaks].map(([label, mib]) => `${label} ${formatMs(mib)} MiB`).join(', ');
}

const idleSeconds = 3;

/** Cores each measured process keeps busy with no load at all (timers, pollers, housekeeping). */
async function measureIdle(targets: BenchTarget[], seconds: number): Promise<string> {
  const processes = [
    ...new Map(targets.flatMap((target) => target.measured).map((process) => [process.pid, process])).values(),
  ];
  const before = processes.map((process) => cpuMilliseconds(process.pid, process.tree));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return processes
    .map(
      (process, index) =>
        `${process.label} ${((cpuMilliseconds(process.pid, process.tree) - before[index]!) / (seconds * 1000)).toFixed(2)}`,
    )
    .join(', ');
}

async function main(): Promise<void> {
  const options = readBenchOptions();
  if (options === 'help') {
    console.log(usage);
    return;
  }
  const loadAtStart = loadAverage();
  const workDirectory = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  onCleanup('temporary directory', async () => rmSync(workDirectory, { recursive: true, force: true }));
  const notes: string[] = [];
  const probe = { body: chatBody(false) };

  log('starting the upstream simulator…');
  const upstream = await startUpstream(repoRoot);
  const configPath = writeBenchGatewayConfig(workDirectory, upstream, options.gatewayInvoke);
  const devKey = `gw-bench-${randomUUID()}`;
  log('starting the gateway (src/main.ts, as npm start runs it) and its embedded Temporal…');
  const gateway = await startEmbeddedGateway({
    repoRoot,
    configPath,
    upstream,
    dataDir: join(workDirectory, 'gateway-data'),
    devKey,
    probe,
  });
  log(`gateway up (pid ${gateway.process.pid}), Temporal at ${gateway.temporalAddress} (pid ${gateway.temporalPid})`);

  const shared = {
    repoRoot,
    upstream,
    temporalAddress: gateway.temporalAddress,
    temporalPid: gateway.temporalPid,
    probe,
  };
  const redisDirectory = join(workDirectory, 'redis');
  mkdirSync(redisDirectory);
  const others = [
    ...(options.targets.has('floor') ? [`the floor (${options.floorShapes.join(', ')})`] : []),
    ...(options.targets.has('split') ? ['the split API, worker and Redis'] : []),
  ];
  if (others.length > 0) log(`starting ${others.join(' and ')}…`);
  const [floor, split] = await Promise.all([
    options.targets.has('floor')
      ? startFloor({ ...shared, shapes: options.floorShapes }).catch((error: Error) => {
          notes.push(`floor: did not start, left out: ${error.message.split('\n')[0]}`);
          return undefined;
        })
      : undefined,
    options.targets.has('split')
      ? startSplitGateway({ ...shared, configPath, devKey, redisDirectory }).catch((error: Error) => ({
          started: false as const,
          reason: `did not start: ${error.message.split('\n')[0]}`,
        }))
      : undefined,
  ]);
  if (split && !split.started) {
    notes.push(`split: left out: ${split.reason}`);
    log(`split target left out: ${split.reason}`);
  }
  let stackTargets: BenchTarget[] = [];
  if (options.targets.has('stack')) {
    log(
      'starting the production stack (npm run stack: PostgreSQL, Redis, the Temporal server, one gateway process) and a floor on it…',
    );
    const stack = await startStackTarget({
      repoRoot,
      configPath,
      upstream,
      devKey,
      dataDir: join(workDirectory, 'stack'),
      floorShapes: options.floorShapes,
      probe,
    }).catch((error: Error) => ({ started: false as const, reason: `did not start: ${error.message.split('\n')[0]}` }));
    if (stack.started) stackTargets = stack.targets;
    else {
      notes.push(`stack: left out: ${stack.reason}`);
      log(`stack targets left out: ${stack.reason}`);
    }
  }
  let peers: BenchTarget[] = [];
  if (options.peers) {
    const started = await startPeers(
      { upstreamBaseUrl: upstream.openAIBaseUrl, upstreamModel: benchModelGroup, upstreamApiKey: upstream.apiKey },
      log,
    );
    peers = started.targets;
    notes.push(...started.described.map((line) => `peer ${line}, in front of the same upstream`));
    for (const reason of started.skipped) {
      notes.push(`peer left out: ${reason}`);
      log(`peer left out: ${reason}`);
    }
  }

  const direct: BenchTarget = {
    name: 'direct',
    kind: 'direct',
    chatUrl: `${upstream.openAIBaseUrl}/chat/completions`,
    headers: { authorization: `Bearer ${upstream.apiKey}` },
    measured: [{ label: 'simulator', pid: upstream.process.pid }],
  };
  const targets = [
    ...(options.targets.has('direct') ? [direct] : []),
    ...(floor?.targets ?? []),
    gateway.target,
    ...(options.targets.has('cache')
      ? [{ ...gateway.target, name: 'gateway (cache hit)', kind: 'cache-hit' as const, model: benchCachedModelGroup }]
      : []),
    ...(split?.started ? [split.target] : []),
    ...stackTargets,
    ...peers,
  ];
  const loadGenerator = await startLoadGenerator(repoRoot);
  const plan: RoundPlan = {
    loadGenerator,
    targets,
    setUpstreamLatency: upstream.setLatency,
    body: chatBody,
    seconds: options.seconds,
    rounds: options.rounds,
    settleMs: options.settleMs,
    log,
  };
  const idle = await measureIdle(targets, idleSeconds);
  log(`idle CPU over ${idleSeconds} s: ${idle}`);
  await warmUp({ ...plan, targets: targets.filter((target) => target.kind !== 'direct') }, options.warmupSeconds);
  const figures: CaseFigures[] = [];
  for (const loadCase of options.cases) figures.push(await runCase(plan, loadCase, 'throughput'));
  if (options.stream) figures.push(await runCase(plan, options.stream, 'first-token'));

  const conditions = readMachineConditions(gateway.temporalExecutable, loadAtStart);
  const summaries = figures.map(summarizeCase);
  const throughput = summaries.filter((summary) => summary.figures.mode === 'throughput');
  const streaming = summaries.filter((summary) => summary.figures.mode === 'first-token');
  const report = [
    `## npm run bench (${conditions.date})`,
    '',
    conditionsText(
      conditions,
      options,
      targets.map((target) => target.name),
      loadAverage(),
    ),
    `Idle CPU before the first run (cores busy over ${idleSeconds} s, no load): ${idle}.`,
    '',
    throughput.length > 0 ? throughputTable(throughput) : '',
    '',
    ...streaming.flatMap((summary) => [
      'Streaming (`stream: true`), time from the request to the first SSE chunk carrying content:',
      '',
      streamTable(summary),
      '',
    ]),
    'The gateway against the others (gateway ÷ other; below 1× for req/s and above 1× for latency and CPU means the gateway is worse):',
    '',
    ratioTable(summaries),
    '',
    `Peak resident memory at the end of a run: ${peakMemory(summaries)}.`,
    `The gateway's provider call: \`invoke: ${options.gatewayInvoke ?? gatewayDefaultInvoke}\` (${options.gatewayInvoke ? 'set on the standard traffic class by the bench config' : "the standard traffic class's default"}); the floor's shapes: ${options.floorShapes.join(', ')}.`,
    ...notes.map((note) => `- ${note}`),
  ].join('\n');
  console.log(report);
  if (options.jsonPath) {
    writeFileSync(
      options.jsonPath,
      JSON.stringify({ conditions, options: { ...options, targets: [...options.targets] }, figures }, null, 2),
    );
    log(`every round's figures: ${options.jsonPath}`);
  }
}

void runWithCleanup(main);
