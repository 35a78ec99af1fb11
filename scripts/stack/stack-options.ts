// What `npm run stack` reads from the environment. Every port has a default; STACK_FREE_PORTS=1
// replaces each default by a free loopback port (the stack test runs that way), and a port given
// explicitly is used as it is.
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { readList, readPort } from '../../src/gateway/read-environment';
import { StackPartError } from './stack-part-error';

export const repoRoot = resolve(__dirname, '../..');
export const loopback = '127.0.0.1';

export type StackTopology = 'split' | 'combined';

export interface TemporalPorts {
  frontend: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
}

export interface StackOptions {
  dataDir: string;
  topology: StackTopology;
  workers: number;
  apiPorts: number[];
  postgresPort: number;
  redisPort: number;
  temporal: TemporalPorts;
  simulatorPort: number;
  gatewayConfig: string;
  devKey?: string;
  namespace: string;
}

/** A loopback port nothing listened on a moment ago. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, loopback, done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/** True when nothing listens on the loopback port. */
function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((done) => {
    probe.once('error', () => done(false));
    probe.listen({ host: loopback, port, exclusive: true }, () => probe.close(() => done(true)));
  });
}

/**
 * A free port below 32768: Temporal keeps membership ports in a PostgreSQL smallint, and the
 * ports the kernel hands out for port 0 are usually above that.
 */
async function freeSmallPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    if (await isFree(candidate)) return candidate;
  }
  throw new Error('found no free loopback port from 20000 to 31999 for the Temporal membership ports');
}

/** Fails, naming the part, when something already listens on the port. */
export async function requireFreePort(part: string, port: number, variable: string): Promise<void> {
  const probe = createServer();
  await new Promise<void>((done, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StackPartError(
              part,
              `port ${port} on ${loopback} is already in use (find what holds it with \`ss -ltnp 'sport = :${port}'\`); stop it or choose another port with ${variable}`,
            )
          : error,
      ),
    );
    probe.listen({ host: loopback, port, exclusive: true }, () => probe.close(() => done()));
  });
}

function readCount(name: string, fallback: number, environment: NodeJS.ProcessEnv): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 16)
    throw new Error(`${name} must be a whole number from 1 to 16, got "${raw}"`);
  return count;
}

export async function readStackOptions(environment: NodeJS.ProcessEnv = process.env): Promise<StackOptions> {
  const free = environment.STACK_FREE_PORTS === '1';
  const picked = new Set<number>();
  const pickFree = async (small = false): Promise<number> => {
    const candidate = small ? await freeSmallPort() : await freePort();
    if (picked.has(candidate)) return pickFree(small);
    picked.add(candidate);
    return candidate;
  };
  const port = async (name: string, fallback: number, small = false) => {
    const value = readPort(name, free ? 0 : fallback, environment);
    if (small && value > 32_767)
      throw new Error(
        `${name} must be below 32768 (Temporal stores membership ports as a PostgreSQL smallint), got ${value}`,
      );
    return value === 0 ? pickFree(small) : value;
  };
  // Combined processes measured faster on this stack (README, Running in production); split is one variable away.
  const topology = environment.STACK_TOPOLOGY ?? 'combined';
  if (topology !== 'split' && topology !== 'combined')
    throw new Error(`STACK_TOPOLOGY must be "split" or "combined", got "${topology}"`);
  const apiCount = readCount('STACK_APIS', 2, environment);
  const apiPortList = readList('STACK_API_PORTS', [], environment).map((value) =>
    readPort('STACK_API_PORTS', 0, { STACK_API_PORTS: value }),
  );
  const apiPorts: number[] = [];
  for (let index = 0; index < (apiPortList.length || apiCount); index++) {
    const given = apiPortList[index] ?? (free ? 0 : 8080 + index);
    apiPorts.push(given === 0 ? await pickFree() : given);
  }
  return {
    dataDir: resolve(environment.STACK_DATA_DIR ?? resolve(repoRoot, '.data/stack')),
    topology,
    workers: readCount('STACK_WORKERS', 2, environment),
    apiPorts,
    postgresPort: await port('STACK_POSTGRES_PORT', 15432),
    redisPort: await port('STACK_REDIS_PORT', 16379),
    temporal: {
      frontend: await port('STACK_TEMPORAL_PORT', 7233),
      history: await port('STACK_TEMPORAL_HISTORY_PORT', 7234),
      matching: await port('STACK_TEMPORAL_MATCHING_PORT', 7235),
      worker: await port('STACK_TEMPORAL_WORKER_PORT', 7239),
      frontendMembership: await port('STACK_TEMPORAL_FRONTEND_MEMBERSHIP_PORT', 6933, true),
      historyMembership: await port('STACK_TEMPORAL_HISTORY_MEMBERSHIP_PORT', 6934, true),
      matchingMembership: await port('STACK_TEMPORAL_MATCHING_MEMBERSHIP_PORT', 6935, true),
      workerMembership: await port('STACK_TEMPORAL_WORKER_MEMBERSHIP_PORT', 6939, true),
    },
    simulatorPort: await port('STACK_SIMULATOR_PORT', 0),
    gatewayConfig: resolve(environment.GATEWAY_CONFIG ?? resolve(repoRoot, 'config/gateway.yaml')),
    devKey: environment.GATEWAY_DEV_KEY || undefined,
    namespace: environment.TEMPORAL_NAMESPACE ?? 'default',
  };
}

/** Every port with the part it belongs to and the variable that moves it, checked before anything starts. */
export function portsToCheck(options: StackOptions): Array<{ part: string; port: number; variable: string }> {
  const temporal = (name: keyof TemporalPorts, variable: string) => ({
    part: 'Temporal server',
    port: options.temporal[name],
    variable,
  });
  return [
    { part: 'PostgreSQL', port: options.postgresPort, variable: 'STACK_POSTGRES_PORT' },
    { part: 'Redis', port: options.redisPort, variable: 'STACK_REDIS_PORT' },
    temporal('frontend', 'STACK_TEMPORAL_PORT'),
    temporal('history', 'STACK_TEMPORAL_HISTORY_PORT'),
    temporal('matching', 'STACK_TEMPORAL_MATCHING_PORT'),
    temporal('worker', 'STACK_TEMPORAL_WORKER_PORT'),
    temporal('frontendMembership', 'STACK_TEMPORAL_FRONTEND_MEMBERSHIP_PORT'),
    temporal('historyMembership', 'STACK_TEMPORAL_HISTORY_MEMBERSHIP_PORT'),
    temporal('matchingMembership', 'STACK_TEMPORAL_MATCHING_MEMBERSHIP_PORT'),
    temporal('workerMembership', 'STACK_TEMPORAL_WORKER_MEMBERSHIP_PORT'),
    ...(options.simulatorPort
      ? [{ part: 'provider simulator', port: options.simulatorPort, variable: 'STACK_SIMULATOR_PORT' }]
      : []),
    ...options.apiPorts.map((port, index) => ({ part: `gateway API ${index + 1}`, port, variable: 'STACK_API_PORTS' })),
  ];
}
