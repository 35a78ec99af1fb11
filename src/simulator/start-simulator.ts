import type { AddressInfo } from 'node:net';
import { createOpenAISimulator, type SimulatorOptions } from './openai-simulator';

export interface RunningSimulator {
  /** Base URL an OpenAI client uses, ending in /v1. */
  baseUrl: string;
  calls: Map<string, number>;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions & { port?: number } = {}): Promise<RunningSimulator> {
  const { app, calls } = createOpenAISimulator(options);
  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    calls,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
