// Registered with the worker by path (workflowsPath) so Temporal can bundle it in its sandbox.
export { inference, inferenceV2 } from './inference-workflow';
export { probeRoutes } from './probe-routes-workflow';
