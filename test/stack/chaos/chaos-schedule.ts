import { setTimeout as delay } from 'node:timers/promises';
import type { ChaosStack, RestartablePart } from './chaos-stack';

/** One disruption as it happened: what, when (seconds into the load), how long until the part was up again, and the provider calls in flight. */
export interface DisruptionRecord {
  what: string;
  /** When it began and when the part was up again (epoch milliseconds). */
  began: number;
  upAt: number;
  atSeconds: number;
  downSeconds: number;
  callsInFlight: number;
}

interface Disruption {
  atSeconds: number;
  what: string;
  part: (stack: ChaosStack) => RestartablePart;
  /** Parts that must be up before it starts: at least one worker and one API stay up throughout. */
  waitFor: (stack: ChaosStack) => RestartablePart[];
  how: 'SIGKILL' | 'restart';
}

const worker = (index: number, atSeconds: number): Disruption => ({
  atSeconds,
  what: `SIGKILL worker-${index + 1}`,
  part: (stack) => stack.workers[index]!,
  waitFor: (stack) => stack.workers,
  how: 'SIGKILL',
});
const api = (index: number, atSeconds: number): Disruption => ({
  atSeconds,
  what: `SIGKILL api-${index + 1}`,
  part: (stack) => stack.apis[index]!,
  waitFor: (stack) => stack.apis,
  how: 'SIGKILL',
});

/**
 * The disruptions of the chaos run: a worker is killed five times (the two in turn), an API twice,
 * the Temporal server and Redis are each restarted once. A killed part is started again at once,
 * in the background (a worker takes about half a minute to start on a busy machine), and the next
 * disruption does not wait for it unless it needs that part or its twin up.
 */
export const disruptions: Disruption[] = [
  worker(0, 10),
  api(0, 30),
  worker(1, 48),
  {
    atSeconds: 66,
    what: 'restart the Temporal server',
    part: (stack) => stack.temporal,
    waitFor: () => [],
    how: 'restart',
  },
  worker(0, 86),
  { atSeconds: 105, what: 'restart Redis', part: (stack) => stack.redis, waitFor: () => [], how: 'restart' },
  worker(1, 124),
  api(1, 140),
  worker(0, 160),
];

/** Runs every disruption against the stack, from `loadStartedAt`; resolves once every part is up again. */
export async function runDisruptions(
  stack: ChaosStack,
  loadStartedAt: number,
  log: (line: string) => void,
): Promise<DisruptionRecord[]> {
  const records: Array<Promise<DisruptionRecord>> = [];
  for (const disruption of disruptions) {
    const wait = loadStartedAt + disruption.atSeconds * 1000 - Date.now();
    if (wait > 0) await delay(wait);
    await Promise.all(disruption.waitFor(stack).map((part) => part.running()));
    const part = disruption.part(stack);
    const began = Date.now();
    const callsInFlight = stack.simulator.inFlight();
    if (disruption.how === 'SIGKILL') await part.kill();
    else await part.stop();
    part.restart();
    records.push(
      part.running().then(() => {
        const record = {
          what: disruption.what,
          began,
          upAt: Date.now(),
          atSeconds: Math.round((began - loadStartedAt) / 100) / 10,
          downSeconds: Math.round((Date.now() - began) / 100) / 10,
          callsInFlight,
        };
        log(
          `chaos: ${record.what} at ${record.atSeconds} s, up again after ${record.downSeconds} s (${callsInFlight} provider calls in flight)`,
        );
        return record;
      }),
    );
  }
  return Promise.all(records);
}
