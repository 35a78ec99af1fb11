// What one call into a workflow sandbox costs, with and without the timeout the Temporal SDK
// (1.24) passes to every such call, and how many calls one inference makes.
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { inferenceWorkflowBundling, inferenceWorkflowsPath } from '../../src/worker/workflow-bundling';

export interface CallCost {
  /** Wall-clock microseconds per call. */
  wallUs: number;
  /** CPU microseconds per call, all of this process's threads. */
  cpuUs: number;
}

export interface SandboxCallCost {
  plain: CallCost;
  /** With `timeout`: Node starts and joins a watchdog thread around each call. */
  timed: CallCost;
}

/** The SDK's default `isolateExecutionTimeout` (worker-options.js, 1.24): 5 s. */
const sdkTimeoutMs = 5_000;

function timeCalls(calls: number, options: vm.RunningScriptOptions): CallCost {
  const context = vm.createContext({ counter: 0 }, { microtaskMode: 'afterEvaluate' });
  const script = new vm.Script('counter += 1');
  for (let index = 0; index < 200; index++) script.runInContext(context, options);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < calls; index++) script.runInContext(context, options);
  const wallUs = ((performance.now() - started) * 1000) / calls;
  const used = process.cpuUsage(cpu);
  return { wallUs, cpuUs: (used.user + used.system) / calls };
}

/** Times `calls` trivial sandbox calls each way, in a context made as the SDK makes its own. */
export function measureSandboxCallCost(calls = 5_000): SandboxCallCost {
  return { plain: timeCalls(calls, {}), timed: timeCalls(calls, { timeout: sdkTimeoutMs }) };
}

/**
 * Sandbox calls per inference, counted over `replays` replays of one recorded history against the
 * gateway's workflows, bundled as its worker bundles them (once, before counting): the
 * replay worker runs its sandboxes in this thread, so wrapping node:vm's two entry points here
 * sees each call (restored afterwards). 0 when the SDK moved them elsewhere: then nothing was counted.
 */
export async function countSandboxCalls(historyPath: string, replays = 50): Promise<number> {
  const history = JSON.parse(readFileSync(historyPath, 'utf8')) as unknown;
  const histories = Array.from({ length: replays }, (_, index) => ({ workflowId: `count-${index}`, history }));
  const logger = new DefaultLogger('ERROR');
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: inferenceWorkflowsPath,
    ...inferenceWorkflowBundling,
    logger,
  });
  const options = { workflowBundle, logger };
  // A first replay warms the worker; its calls are not counted.
  for await (const result of Worker.runReplayHistories(options, histories.slice(0, 1)))
    if (result.error) throw result.error;
  const scriptRun = vm.Script.prototype.runInContext;
  const moduleRun = vm.runInContext;
  let calls = 0;
  vm.Script.prototype.runInContext = function (this: vm.Script, ...args: Parameters<typeof scriptRun>) {
    calls += 1;
    return scriptRun.apply(this, args);
  };
  vm.runInContext = (...args: Parameters<typeof moduleRun>) => {
    calls += 1;
    return moduleRun(...args);
  };
  try {
    for await (const result of Worker.runReplayHistories(options, histories)) if (result.error) throw result.error;
  } finally {
    vm.Script.prototype.runInContext = scriptRun;
    vm.runInContext = moduleRun;
  }
  return calls / replays;
}
