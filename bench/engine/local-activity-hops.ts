// Workflows of 0, 5 and 20 no-op local activities, started one at a time with eager start on the
// embedded dev server (the gateway's SQLite settings and dynamic config): what a workflow and each
// local activity cost the engine on this machine, with no gateway code at all.
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedTemporal } from '../../src/temporal/embedded-temporal';
import { preloadingBundling } from '../../src/worker/workflow-bundling';
import { cpuMilliseconds, descendantsOf } from '../process-table';
import { median } from '../statistics';
import { hopActivities } from './hop-activities';
import type { localActivityHops } from './hop-workflow';

export interface HopRun {
  localActivities: number;
  workflows: number;
  /** Median wall-clock milliseconds from the start call to the result. */
  wallMs: number;
  /** CPU milliseconds per workflow: this process (worker, client, SDK threads) and the Temporal server. */
  processCpuMs: number;
  serverCpuMs: number;
}

const taskQueue = 'engine-probe';

export async function measureLocalActivityHops(counts: number[], workflows: number): Promise<HopRun[]> {
  const directory = mkdtempSync(join(tmpdir(), 'engine-probe-'));
  const temporal = await startEmbeddedTemporal({ dbFilename: join(directory, 'temporal.sqlite') });
  try {
    const server = descendantsOf(process.pid).find((stat) => stat.command === 'temporal');
    const connection = await NativeConnection.connect({ address: temporal.address });
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('./hop-workflow'),
      // Bundled as the gateway bundles its workflows.
      bundlerOptions: preloadingBundling(require.resolve('./hop-workflow')),
      activities: hopActivities,
    });
    const client = new Client({ connection });
    const run = async (count: number) => {
      const started = performance.now();
      const handle = await client.workflow.start<typeof localActivityHops>('localActivityHops', {
        taskQueue,
        workflowId: `engine-probe-${randomUUID()}`,
        args: [count],
        requestEagerStart: true,
      });
      await handle.result();
      return performance.now() - started;
    };
    const runs: HopRun[] = [];
    await worker.runUntil(async () => {
      for (let index = 0; index < 30; index++) await run(5); // warm-up, not counted
      for (const count of counts) {
        const cpu = process.cpuUsage();
        const serverBefore = server ? cpuMilliseconds(server.pid) : 0;
        const walls: number[] = [];
        for (let index = 0; index < workflows; index++) walls.push(await run(count));
        const used = process.cpuUsage(cpu);
        runs.push({
          localActivities: count,
          workflows,
          wallMs: median(walls),
          processCpuMs: (used.user + used.system) / 1000 / workflows,
          serverCpuMs: server ? (cpuMilliseconds(server.pid) - serverBefore) / workflows : Number.NaN,
        });
      }
    });
    await connection.close();
    return runs;
  } finally {
    await temporal.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** What one more local activity adds, from the runs with the fewest and the most of them. */
export function perLocalActivity(runs: HopRun[]): Omit<HopRun, 'localActivities' | 'workflows'> {
  const sorted = [...runs].sort((left, right) => left.localActivities - right.localActivities);
  const fewest = sorted[0]!;
  const most = sorted[sorted.length - 1]!;
  const hops = most.localActivities - fewest.localActivities;
  if (hops <= 0) throw new Error('need runs with two different numbers of local activities');
  return {
    wallMs: (most.wallMs - fewest.wallMs) / hops,
    processCpuMs: (most.processCpuMs - fewest.processCpuMs) / hops,
    serverCpuMs: (most.serverCpuMs - fewest.serverCpuMs) / hops,
  };
}
