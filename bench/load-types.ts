// What the harness asks the load generator for, and what it answers (one JSON line each).

export interface LoadSpec {
  /** `throughput`: autocannon; `first-token`: streamed requests, timing the first content chunk. */
  mode: 'throughput' | 'first-token';
  url: string;
  connections: number;
  durationSeconds: number;
  /** Throughput mode only: stop after this many requests instead of after the duration. */
  amount?: number;
  body: string;
  headers: Record<string, string>;
  /** Report the requests completed so far this often (a `progress` event). */
  progressEverySeconds?: number;
}

export interface LoadResult {
  mode: LoadSpec['mode'];
  durationSeconds: number;
  /** Whole-request latency, ms. */
  latencyP50: number;
  latencyP99: number;
  /** 2xx responses per second over the run. */
  requestsPerSecond: number;
  /** 2xx responses (streams that carried content, in first-token mode). */
  completed: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** First-token mode: ms from sending the request to the first SSE chunk carrying content. */
  firstTokenP50?: number;
  firstTokenP99?: number;
}

export type LoadEvent =
  | { event: 'started' }
  | { event: 'progress'; completed: number }
  | { event: 'result'; result: LoadResult }
  | { event: 'error'; message: string };

export const failuresOf = (result: LoadResult) => result.errors + result.timeouts + result.non2xx;
