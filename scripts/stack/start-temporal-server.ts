// The Temporal server of the production topology: the binary built from go.temporal.io/server at
// the pinned version, all four services in one process, configured by the committed
// config/temporal/production.yaml (PostgreSQL persistence and visibility, four history shards) and
// config/temporal/dynamic-config.yaml. It then gets the gateway's namespace and search attributes.
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { join, resolve } from 'node:path';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { loopback, repoRoot, type TemporalPorts } from './stack-options';
import { StackPartError } from './stack-part-error';
import { startStackProcess, type StackProcess } from './stack-process';

const part = 'Temporal server';
const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/** How long inferences stay readable (and Idempotency-Keys binding) after they end. */
export const namespaceRetentionDays = 3;

export interface TemporalServerOptions {
  server: string;
  logDir: string;
  ports: TemporalPorts;
  postgresPort: number;
  user: string;
  password: string;
  namespace: string;
}

export interface RunningTemporalServer {
  process: StackProcess;
  address: string;
}

/** The variables config/temporal/production.yaml reads. */
export function temporalServerEnvironment(options: TemporalServerOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_DB_HOST: loopback,
    TEMPORAL_DB_PORT: String(options.postgresPort),
    TEMPORAL_DB_USER: options.user,
    TEMPORAL_DB_PASSWORD: options.password,
    TEMPORAL_BIND_IP: loopback,
    TEMPORAL_BROADCAST_ADDRESS: loopback,
    TEMPORAL_FRONTEND_PORT: String(options.ports.frontend),
    TEMPORAL_HISTORY_PORT: String(options.ports.history),
    TEMPORAL_MATCHING_PORT: String(options.ports.matching),
    TEMPORAL_WORKER_PORT: String(options.ports.worker),
    TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(options.ports.frontendMembership),
    TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(options.ports.historyMembership),
    TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(options.ports.matchingMembership),
    TEMPORAL_WORKER_MEMBERSHIP_PORT: String(options.ports.workerMembership),
    TEMPORAL_DYNAMIC_CONFIG_FILE: resolve(repoRoot, 'config/temporal/dynamic-config.yaml'),
  };
}

async function untilAnswers(address: string, server: StackProcess, timeoutMs: number): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline && !server.hasExited()) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (error) {
      lastError = (error as Error).message;
      await sleep(250);
    }
  }
  throw new Error(
    server.hasExited()
      ? `it exited (${await server.exited})`
      : `${address} did not answer within ${timeoutMs / 1000} s (${lastError})`,
  );
}

async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${namespaceRetentionDays} days`),
    });
  } catch (error) {
    if (!/already exists/i.test((error as Error).message)) throw error;
  }
  // The frontend learns of a new namespace when it next refreshes its cache (about 10 s).
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(
          `namespace ${namespace} was registered but not usable within 60 s: ${(error as Error).message}`,
        );
      await sleep(500);
    }
  }
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<RunningTemporalServer> {
  const args = ['--root', repoRoot, '--config', 'config/temporal', '--env', 'production', '--allow-no-auth', 'start'];
  const server = startStackProcess('temporal-server', options.server, args, {
    cwd: repoRoot,
    env: temporalServerEnvironment(options),
    logFile: join(options.logDir, 'temporal-server.log'),
    stopGraceMs: 20_000,
  });
  const address = `${loopback}:${options.ports.frontend}`;
  let connection: Connection | undefined;
  try {
    connection = await untilAnswers(address, server, 90_000);
    await ensureNamespace(connection, options.namespace);
    await registerSearchAttributes(connection, options.namespace);
  } catch (error) {
    await server.stop();
    throw new StackPartError(part, `${(error as Error).message}:\n${server.recentOutput()}`, [
      `${options.server} ${args.join(' ')}`,
    ]);
  } finally {
    await connection?.close();
  }
  return { process: server, address };
}
