import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startEmbeddedTemporal } from '../../src/temporal/embedded-temporal';
import { workflowTracingModule } from '../../src/temporal/tracing-interceptors';
import { inferenceWorkflowBundling, inferenceWorkflowsPath } from '../../src/worker/workflow-bundling';

export interface TestTemporal {
  address: string;
  namespace: string;
  /** The web UI's base URL, when the options asked for one. */
  uiUrl?: string;
  stop(): Promise<void>;
}

export interface TestTemporalOptions {
  /**
   * Start a dev server with its web UI on this port. The UI of a server at TEMPORAL_ADDRESS is
   * unknown, so a test that needs one always gets its own dev server.
   */
  uiPort?: number;
}

let runtimeInstalled = false;

/** The SDK runtime of a test process: failed attempts are expected in these tests; only errors are worth printing. */
export function installTestRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeInstalled = true;
}

/**
 * A real Temporal server for integration tests: the one at TEMPORAL_ADDRESS when set and no UI is
 * asked for, otherwise a fresh dev server on a free port started with the project's Temporal CLI.
 */
export async function startTestTemporal(options: TestTemporalOptions = {}): Promise<TestTemporal> {
  installTestRuntime();
  const existing = process.env.TEMPORAL_ADDRESS;
  if (existing && options.uiPort === undefined) {
    return { address: existing, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default', stop: async () => {} };
  }
  const temporal = await startEmbeddedTemporal({ log: (line) => console.error(line), uiPort: options.uiPort });
  return {
    address: temporal.address,
    namespace: temporal.namespace,
    ...(options.uiPort !== undefined && { uiUrl: `http://127.0.0.1:${options.uiPort}` }),
    stop: temporal.stop,
  };
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/** Bundles src/workflows once per test process as the worker does, with the tracing interceptors when asked for. */
export function workflowBundle(options: { tracing?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  const key = options.tracing ? 'tracing' : 'plain';
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: inferenceWorkflowsPath,
      ...inferenceWorkflowBundling,
      logger: new DefaultLogger('WARN'),
      ...(options.tracing && { workflowInterceptorModules: [workflowTracingModule] }),
    });
    bundles.set(key, bundle);
  }
  return bundle;
}
