// `npm run bench:engine`: what the engine itself costs on this machine, below any gateway code.
// 1. One call into a workflow sandbox, with and without the timeout the Temporal SDK passes to
//    every such call, and how many calls a recorded inference makes when replayed.
// 2. Workflows of 0, 5 and 20 no-op local activities on the embedded dev server, one at a time:
//    the cost of a workflow and of each local activity (the gateway's inference is one workflow of
//    five). About a minute; BENCH_WORKFLOWS (default 60) per count.
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { measureLocalActivityHops, perLocalActivity, type HopRun } from './engine/local-activity-hops';
import { countSandboxCalls, measureSandboxCallCost } from './engine/sandbox-call-cost';

const repoRoot = resolve(__dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);
const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const workflows = Number(process.env.BENCH_WORKFLOWS ?? 60);
  if (!Number.isInteger(workflows) || workflows <= 0)
    throw new Error('BENCH_WORKFLOWS must be a positive whole number');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

  log('timing sandbox calls…');
  const call = measureSandboxCallCost();
  log('counting the sandbox calls of a replayed inference…');
  const calls = await countSandboxCalls(resolve(repoRoot, 'test/replay/histories/success-first-route.json'));
  log('starting the embedded Temporal dev server and timing local activities…');
  const runs = await measureLocalActivityHops([0, 5, 20], workflows);
  const hop = perLocalActivity(runs);
  const shape = runs.find((run) => run.localActivities === 5);

  const watchdogWallMs = ((call.timed.wallUs - call.plain.wallUs) * calls) / 1000;
  const watchdogCpuMs = ((call.timed.cpuUs - call.plain.cpuUs) * calls) / 1000;
  const row = (run: HopRun) =>
    `| ${run.localActivities} | ${run.workflows} | ${fixed(run.wallMs)} | ${fixed(run.processCpuMs)} | ${fixed(run.serverCpuMs)} |`;
  const lines = [
    `## Engine probe, ${new Date().toISOString()}`,
    '',
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average at the start ${load}.`,
    '',
    '| one sandbox call | wall µs | CPU µs |',
    '| --- | --- | --- |',
    `| without a timeout | ${fixed(call.plain.wallUs)} | ${fixed(call.plain.cpuUs)} |`,
    `| with the SDK's timeout (a watchdog thread per call) | ${fixed(call.timed.wallUs)} | ${fixed(call.timed.cpuUs)} |`,
    '',
    calls > 0
      ? `A replay of \`success-first-route.json\` (one inference: four selection steps and the call, all local activities) makes ${fixed(calls)} sandbox calls: ${fixed(watchdogWallMs)} ms of wall clock and ${fixed(watchdogCpuMs)} ms of CPU per inference go to the watchdogs alone.`
      : 'The replay made no sandbox call in this thread (the SDK runs them elsewhere now): calls per inference not counted.',
    '',
    '| local activities | workflows | wall ms (p50) | CPU ms per workflow, this process | CPU ms per workflow, Temporal server |',
    '| --- | --- | --- | --- | --- |',
    ...runs.map(row),
    `| each one adds | | ${fixed(hop.wallMs)} | ${fixed(hop.processCpuMs)} | ${fixed(hop.serverCpuMs)} |`,
    '',
    shape
      ? `The gateway's shape, one workflow of five local activities with no gateway code and a provider that answers at once, takes ${fixed(shape.wallMs)} ms and ${fixed(shape.processCpuMs + shape.serverCpuMs)} ms of CPU (worker process and server) here, one at a time: the engine's part of every inference on this machine, before an HTTP request is read or a provider called.`
      : '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
