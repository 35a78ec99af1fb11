import type { StreamChannel } from './stream-channel';

/**
 * The fast path of a client's cancellation. A provider call made as a local activity hears of a
 * cancelled workflow only at the next workflow-task heartbeat (80% of the task timeout, 8 s by
 * default), so the API also says so on the stream channel, which the call listens to while it runs.
 */
const cancelKey = (inferenceId: string): string => `${inferenceId}/cancel`;

/** Tells the worker running the inference's provider call to abort it. */
export function publishCancel(channel: StreamChannel, inferenceId: string): Promise<void> {
  return channel.publish(cancelKey(inferenceId), { type: 'cancel' });
}

/**
 * Aborts `controller` when the API publishes a cancel for the inference; returns the function
 * that stops listening. The subscription is in place when the promise resolves.
 */
export async function listenForCancel(channel: StreamChannel, inferenceId: string, controller: AbortController): Promise<() => Promise<void>> {
  const subscription = await channel.subscribe(cancelKey(inferenceId));
  void subscription.next().then((message) => {
    if (message.type === 'cancel') controller.abort(new Error('The client cancelled the inference'));
  });
  return () => subscription.close();
}
