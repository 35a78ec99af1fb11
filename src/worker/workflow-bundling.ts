/** The inference worker's workflows, by path: the worker (and the tests' bundle) bundle this module. */
export const inferenceWorkflowsPath = require.resolve('../workflows');

/**
 * Bundler options that preload a workflows module and everything it imports. The worker reuses one
 * V8 context for every workflow it runs and, by default, evaluates each workflow's own modules
 * afresh for every run, so that no module-level state leaks from one run to the next; for the
 * gateway that is a dozen modules per inference, about 1 ms of the first workflow task (measured
 * over replays of a recorded inference, 2026-12-04: 13.8 → 12.6 ms CPU per replay, median of 8
 * alternating batches of 300). Preloaded, they are evaluated once when the context is made, then
 * shared and frozen. That is safe only while their module scope holds constants and everything a
 * run changes lives in the workflow function: the lint rule on src/workflows rejects module-level
 * `let`/`var` and collections, and the few modules it imports from src/routing and src/providers
 * hold only constants and pure functions.
 */
export const preloadingBundling = (workflowsPath: string) => ({ preloadModules: [workflowsPath] });

/** The gateway's bundler options: its workflows preloaded (see {@link preloadingBundling}). */
export const inferenceWorkflowBundling = preloadingBundling(inferenceWorkflowsPath);
