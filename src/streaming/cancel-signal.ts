import type { StreamChannel } from './stream-channel';

/**
 * The fast path of a client's cancellation. A provider call made as a local activity hears of a
 * cancelled workflow only at the next workflow-task heartbeat (80% of the task timeout, 8 s by
 * default), so the API also broadcasts the cancellation on the stream channel. Each process
 * watches the broadcast once and aborts the calls it runs for that inference.
 */
const callsByChannel = new WeakMap<StreamChannel, Promise<Map<string, Set<AbortController>>>>();

function runningCalls(channel: StreamChannel): Promise<Map<string, Set<AbortController>>> {
  let calls = callsByChannel.get(channel);
  if (!calls) {
    const map = new Map<string, Set<AbortController>>();
    calls = channel
      .watchCancels((inferenceId) => {
        for (const controller of map.get(inferenceId) ?? [])
          controller.abort(new Error('The client cancelled the inference'));
      })
      .then(() => map);
    // A failed watch (Redis down) is tried again by the next call.
    calls.catch(() => callsByChannel.delete(channel));
    callsByChannel.set(channel, calls);
  }
  return calls;
}

/**
 * Aborts `controller` when the API publishes a cancel for the inference; returns the function
 * that stops listening.
 */
export async function listenForCancel(
  channel: StreamChannel,
  inferenceId: string,
  controller: AbortController,
): Promise<() => void> {
  const calls = await runningCalls(channel);
  let controllers = calls.get(inferenceId);
  if (!controllers) calls.set(inferenceId, (controllers = new Set()));
  controllers.add(controller);
  return () => {
    controllers.delete(controller);
    if (controllers.size === 0 && calls.get(inferenceId) === controllers) calls.delete(inferenceId);
  };
}
