// Memory soak: drives the gateway (durable, embedded Temporal, 0 ms simulator) with steady load for
// BENCH_SOAK_MINUTES (default 10) and samples this process's memory every BENCH_SOAK_SAMPLE_SECONDS
// (default 30) after two forced GCs, then twice more after the load stops. The load generator runs
// in a child process of its own (bench/load-generator.ts), so that its buffers and histograms are
// not counted as the gateway's. Run with `npm run bench:soak`; it prints a table and the heap's
// slope from minute 1 to the end of the load, by least squares.
import { setTimeout as sleep } from 'node:timers/promises';
import { join, resolve } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { createLogger } from '../src/observability/logger';
import { memoryStateStore } from '../test/helpers/memory-state-store';
import { startTestStack } from '../test/helpers/test-gateway';
import { startLoadGenerator } from './load-generator-process';
import { slope } from './statistics';

const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const sampleEveryMs = Number(process.env.BENCH_SOAK_SAMPLE_SECONDS ?? 30) * 1000;
const repoRoot = resolve(__dirname, '..');
// Billing markers are kept an hour by default (billingMarkerTtlMs), about 80 bytes per inference;
// a shorter life here shows what else, if anything, grows.
const markerSeconds = process.env.BENCH_SOAK_BILLING_MARKER_SECONDS;
// Heap snapshots for `npm run bench:heap-diff`: at the first sample from minute 2, and as the load
// stops. Writing one stops the process for some seconds.
const snapshotDir = process.env.BENCH_SOAK_SNAPSHOT_DIR;
const mib = (bytes: number) => bytes / 1024 / 1024;

interface Sample {
  minute: number;
  requests: number;
  heapMiB: number;
  rssMiB: number;
  externalMiB: number;
  note: string;
}

async function main(): Promise<void> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench:soak does)');
  // Warnings and errors only: info lines per inference would interleave with the table.
  const stack = await startTestStack(undefined, undefined, createLogger(undefined, 'warn'), (config) =>
    memoryStateStore(config, markerSeconds === undefined ? undefined : Number(markerSeconds) * 1000),
  );
  const generator = await startLoadGenerator(repoRoot);

  console.log(
    `memory soak: ${minutes} min, 10 connections, 0 ms upstream, load generator in its own process; ` +
      'this process (API, worker, simulator) after two forced GCs; billing markers kept ' +
      (markerSeconds === undefined ? 'an hour (the default)' : `${markerSeconds} s`),
  );
  console.log('| minute | requests so far | heap used MiB | RSS MiB | external MiB | |');
  console.log('|---|---|---|---|---|---|');
  const samples: Sample[] = [];
  let requests = 0;
  let earlyWritten = false;
  const started = Date.now();
  const sample = (note = '') => {
    // Two passes: the first can leave objects whose finalizers free more for the second.
    collect();
    collect();
    const memory = process.memoryUsage();
    const row: Sample = {
      minute: (Date.now() - started) / 60_000,
      requests,
      heapMiB: mib(memory.heapUsed),
      rssMiB: mib(memory.rss),
      externalMiB: mib(memory.external),
      note,
    };
    samples.push(row);
    if (snapshotDir && ((note === '' && row.minute >= 2 && !earlyWritten) || note === 'load stopped')) {
      const late = note === 'load stopped';
      writeHeapSnapshot(join(snapshotDir, `${late ? 'late' : 'early'}.heapsnapshot`));
      earlyWritten ||= !late;
    }
    console.log(
      `| ${row.minute.toFixed(1)} | ${row.requests} | ${row.heapMiB.toFixed(1)} | ${row.rssMiB.toFixed(1)} | ${row.externalMiB.toFixed(1)} | ${note} |`,
    );
  };
  sample('before the load');
  const timer = setInterval(() => sample(), sampleEveryMs);
  const { result } = await generator.run(
    {
      mode: 'throughput',
      url: `${stack.gateway.url}/v1/chat/completions`,
      connections: 10,
      durationSeconds: minutes * 60,
      headers: { authorization: `Bearer ${stack.gatewayKey}` },
      body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'soak' }] }),
      progressEverySeconds: 1,
    },
    [],
    (completed) => (requests = completed),
  );
  clearInterval(timer);
  requests = result.completed;
  sample('load stopped');
  await sleep(10_000);
  sample('10 s later');

  const underLoad = samples.filter((row) => row.minute >= 1 && row.note === '');
  const heapSlope = slope(underLoad.map((row) => ({ x: row.minute, y: row.heapMiB })));
  console.log(
    `\n${result.completed} inferences (${result.requestsPerSecond.toFixed(1)}/s), ${result.errors} errors, ` +
      `${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
  );
  console.log(
    `heap slope under load, minute 1 to the end: ${heapSlope >= 0 ? '+' : ''}${heapSlope.toFixed(2)} MiB/min ` +
      `over ${underLoad.length} samples`,
  );
  await generator.process.stop();
  await stack.stop();
}

if (require.main === module)
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
