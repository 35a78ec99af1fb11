// The bench's load generator, in a process of its own so that it never shares an event loop with
// what it measures. Runs autocannon (throughput mode) or timed streamed requests (first-token mode).
//   node --import tsx bench/load-generator.ts '{"mode":"throughput","url":"http://127.0.0.1:8080/v1/chat/completions","connections":10,"durationSeconds":5,"body":"{…}","headers":{}}'
//   node --import tsx bench/load-generator.ts --serve     # one JSON spec a line on stdin, answers on stdout
// Answers are JSON lines (see load-types.ts): `started` right before the load begins, `progress`
// when asked for, then `result` (or `error`).
import autocannon from 'autocannon';
import { createInterface } from 'node:readline';
import { measureFirstTokens } from './first-token-timer';
import type { LoadEvent, LoadResult, LoadSpec } from './load-types';

const say = (event: LoadEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

function runAutocannon(spec: LoadSpec, onCompleted: () => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        connections: spec.connections,
        duration: spec.durationSeconds,
        ...(spec.amount !== undefined && { amount: spec.amount }),
        headers: { 'content-type': 'application/json', ...spec.headers },
        body: spec.body,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          mode: 'throughput',
          durationSeconds: result.duration,
          latencyP50: result.latency.p50,
          latencyP99: result.latency.p99,
          requestsPerSecond: result['2xx'] / result.duration,
          completed: result['2xx'],
          errors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
        });
      },
    );
    instance.on('response', (_client, statusCode) => {
      if (statusCode >= 200 && statusCode < 300) onCompleted();
    });
  });
}

async function runOne(spec: LoadSpec): Promise<void> {
  let completed = 0;
  const progress = spec.progressEverySeconds
    ? setInterval(() => say({ event: 'progress', completed }), spec.progressEverySeconds * 1000)
    : undefined;
  say({ event: 'started' });
  try {
    const count = () => (completed += 1);
    const result =
      spec.mode === 'first-token' ? await measureFirstTokens(spec, count) : await runAutocannon(spec, count);
    say({ event: 'result', result });
  } catch (error) {
    say({ event: 'error', message: (error as Error).message });
  } finally {
    clearInterval(progress);
  }
}

async function main(): Promise<void> {
  const argument = process.argv[2];
  if (argument && argument !== '--serve') {
    await runOne(JSON.parse(argument) as LoadSpec);
    return;
  }
  // Serve mode: one spec at a time, in order; ends when stdin closes.
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim()) await runOne(JSON.parse(line) as LoadSpec);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    say({ event: 'error', message: error.message });
    process.exit(1);
  },
);
