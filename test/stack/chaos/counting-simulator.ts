import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimulator } from '../../../src/simulator/create-simulator';
import type { FaultInput } from '../../../src/simulator/simulator-faults';

/** The marker each chaos prompt carries, so a provider call can be traced back to its request. */
export const requestMarkerPattern = /chaos-request-[0-9a-f-]{36}/;

export interface CountingSimulator {
  url: string;
  /** Provider calls received, by the request marker found in the call's body. */
  callsByRequest: Map<string, number>;
  /** Calls whose body carried no marker (none are expected). */
  unmarkedCalls(): number;
  /** Calls received whose answer has not finished yet. */
  inFlight(): number;
  totalCalls(): number;
  stop(): Promise<void>;
}

/**
 * The provider simulator in the test's own process (so it outlives every gateway process the
 * chaos test kills), with a counter in front of it: each call is attributed to the request whose
 * marker its prompt carries.
 */
export async function startCountingSimulator(faults: FaultInput[]): Promise<CountingSimulator> {
  const simulator = createSimulator();
  simulator.faults.set(faults);
  const callsByRequest = new Map<string, number>();
  let unmarked = 0;
  let inFlight = 0;
  const app = express();
  app.disable('x-powered-by');
  // Parsed here once; the simulator's own body parser sees the body is read and leaves it.
  app.use(express.json({ limit: '50mb', type: () => true }));
  app.use((request, response, next) => {
    if (request.method === 'POST' && !request.path.startsWith('/_simulator')) {
      const marker = requestMarkerPattern.exec(JSON.stringify(request.body ?? {}))?.[0];
      if (marker) callsByRequest.set(marker, (callsByRequest.get(marker) ?? 0) + 1);
      else unmarked += 1;
      inFlight += 1;
      response.once('close', () => (inFlight -= 1));
    }
    next();
  });
  app.use(simulator.app);
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    callsByRequest,
    unmarkedCalls: () => unmarked,
    inFlight: () => inFlight,
    totalCalls: () => [...simulator.calls.values()].reduce((sum, count) => sum + count, 0),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
