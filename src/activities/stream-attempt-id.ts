import { randomUUID } from 'node:crypto';

/**
 * The id one run of a streaming attempt sends with each of its messages: its activity id, its try,
 * and a nonce of this run. The nonce matters when the same try runs twice at once: a workflow task
 * whose worker was too slow to answer in time (one worker left to carry the load of two, say) is
 * handed to another worker, which runs the same local activity while the first still streams. With
 * one id for both, the API took both streams for one and joined them into a garbled answer that
 * ended cleanly; with an id per run, the second run's `reset` supersedes the first, or, after the
 * first token, ends the stream with `stream_interrupted`.
 */
export function streamAttemptId(info: { activityId: string; attempt: number }): string {
  return `${info.activityId}/${info.attempt}/${randomUUID().slice(0, 8)}`;
}
