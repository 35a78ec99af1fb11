import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startEmbeddedTemporal } from '../../src/temporal/embedded-temporal';

export interface TestTemporal {
  address: string;
  namespace: string;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/**
 * A real Temporal server for integration tests: the one at TEMPORAL_ADDRESS when set, otherwise a
 * fresh dev server on a free port started with the project's Temporal CLI.
 */
export async function startTestTemporal(): Promise<TestTemporal> {
  if (!runtimeInstalled) {
    // Failed attempts are expected in these tests; only errors are worth printing.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const existing = process.env.TEMPORAL_ADDRESS;
  if (existing) {
    return { address: existing, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default', stop: async () => {} };
  }
  const temporal = await startEmbeddedTemporal({ log: (line) => console.error(line) });
  return { address: temporal.address, namespace: temporal.namespace, stop: temporal.stop };
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles src/workflows once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}
