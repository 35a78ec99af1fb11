// `npm run stack`: the production topology on one machine, each part its own process — PostgreSQL,
// Redis, the Temporal server built from go.temporal.io/server, two gateway processes (API and
// worker each; STACK_TOPOLOGY=split runs two workers and two APIs apart), and the provider
// simulator when no provider key is set. Prints every address; Ctrl-C or SIGTERM stops all of it,
// last started first. A part that is missing or fails stops the stack with one message naming it,
// after stopping whatever had started. Settings: see scripts/stack/stack-options.ts.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateGatewayKey } from '../src/api/admission/gateway-keys';
import { findOrBuildTemporalServer, pinnedTemporalServerVersion } from '../src/temporal/temporal-server-binaries';
import { setupTemporalSchema } from './stack/setup-temporal-schema';
import { portsToCheck, readStackOptions, repoRoot, requireFreePort, type StackOptions } from './stack/stack-options';
import { StackPartError } from './stack/stack-part-error';
import type { StackProcess } from './stack/stack-process';
import { startGatewayProcesses } from './stack/start-gateway-processes';
import { startPostgres } from './stack/start-postgres';
import { startRedis } from './stack/start-redis';
import { namespaceRetentionDays, startTemporalServer } from './stack/start-temporal-server';

const databaseUser = 'temporal';
const databasePassword = process.env.TEMPORAL_DB_PASSWORD ?? 'temporal';
const started: StackProcess[] = [];
let stopping: Promise<void> | undefined;
let stateFile: string | undefined;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    // Last started first; a part that starts while this runs is stopped as it is tracked.
    for (const part of [...started].reverse()) await part.stop();
    if (stateFile) rmSync(stateFile, { force: true });
  })();
  return stopping;
}

function track(part: StackProcess): void {
  started.push(part);
  if (stopping) void part.stop();
}

function onSignal(signal: string): void {
  if (stopping) return;
  console.log(`\n${signal} received: stopping the stack…`);
  void stopAll().then(() => {
    console.log('Stopped every part of the stack.');
    process.exit(0);
  });
}

const shortPath = (path: string) => (path.startsWith(repoRoot) ? relative(repoRoot, path) || '.' : path);

async function startStack(options: StackOptions): Promise<void> {
  const began = Date.now();
  for (const { part, port, variable } of portsToCheck(options)) await requireFreePort(part, port, variable);

  const lookup = findOrBuildTemporalServer({ log: (line) => console.log(line) });
  if (!lookup.binaries) {
    throw new StackPartError(
      'Temporal server binary',
      `no Temporal server ${pinnedTemporalServerVersion} was found or built; run \`npm run temporal:server\` to build it, or set TEMPORAL_SERVER_PATH`,
      lookup.tried,
    );
  }
  const logDir = join(options.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });

  const postgres = await startPostgres({
    dataDir: options.dataDir,
    logDir,
    port: options.postgresPort,
    user: databaseUser,
    password: databasePassword,
  });
  track(postgres.process);
  await setupTemporalSchema({
    sqlTool: lookup.binaries.sqlTool,
    postgresPort: options.postgresPort,
    user: databaseUser,
    password: databasePassword,
    fresh: postgres.created,
  });

  const redis = await startRedis({ dataDir: options.dataDir, logDir, port: options.redisPort });
  track(redis.process);

  const temporal = await startTemporalServer({
    server: lookup.binaries.server,
    logDir,
    ports: options.temporal,
    postgresPort: options.postgresPort,
    user: databaseUser,
    password: databasePassword,
    namespace: options.namespace,
  });
  track(temporal.process);

  const devKey = options.devKey ?? generateGatewayKey();
  const gateway = await startGatewayProcesses(
    options,
    { temporalAddress: temporal.address, redisUrl: redis.url, devKey, logDir },
    track,
  );

  stateFile = join(options.dataDir, 'stack.json');
  writeFileSync(
    stateFile,
    `${JSON.stringify(
      {
        temporalAddress: temporal.address,
        namespace: options.namespace,
        postgres: postgres.address,
        redisUrl: redis.url,
        simulatorUrl: gateway.simulatorUrl,
        apiUrls: gateway.apiUrls,
        processes: started.map((part) => ({ name: part.name, pid: part.pid })),
        ports: portsToCheck(options),
      },
      null,
      2,
    )}\n`,
  );

  const t = options.temporal;
  const say = (label: string, text: string) => console.log(`${`${label}:`.padEnd(20)}${text}`);
  console.log(
    `Production stack up in ${Math.round((Date.now() - began) / 1000)} s (${options.topology} topology). Data in ${shortPath(options.dataDir)}, logs in ${shortPath(logDir)}.`,
  );
  say(
    'PostgreSQL',
    `${postgres.address} (databases temporal and temporal_visibility, user ${databaseUser}; runs as ${postgres.runsAs}${postgres.created ? '; cluster created now' : ''})`,
  );
  say('Redis', `${redis.url} (append-only file in ${shortPath(join(options.dataDir, 'redis'))})`);
  say(
    'Temporal server',
    `${temporal.address} (${pinnedTemporalServerVersion} from ${lookup.binaries.source}; namespace ${options.namespace}, ${namespaceRetentionDays}-day retention, 4 history shards; history ${t.history}, matching ${t.matching}, worker ${t.worker}, membership ${t.frontendMembership}/${t.historyMembership}/${t.matchingMembership}/${t.workerMembership})`,
  );
  if (gateway.simulatorUrl)
    say(
      'Provider simulator',
      `${gateway.simulatorUrl} (no provider API key is set: every route is served by it; config ${shortPath(gateway.configPath)})`,
    );
  if (options.topology === 'split')
    say(
      'Gateway workers',
      `${options.workers} (pids ${gateway.workers.map((worker) => worker.pid).join(', ')}), on the Temporal server and Redis above`,
    );
  const kind = options.topology === 'split' ? 'API' : 'API and worker';
  gateway.apiUrls.forEach((url, index) =>
    say(
      `Gateway API ${index + 1}`,
      `${url} (OpenAI- and Anthropic-compatible; ${kind}, pid ${gateway.apis[index]?.pid})`,
    ),
  );
  say(
    'Gateway key',
    options.devKey
      ? 'the value of GATEWAY_DEV_KEY'
      : `${devKey}  (generated for this run; set GATEWAY_DEV_KEY to choose your own)`,
  );
  say('Temporal CLI', `temporal workflow list --address ${temporal.address} --namespace ${options.namespace}`);
  console.log('Press Ctrl-C to stop.');

  for (const part of started) {
    void part.exited.then((how) => {
      if (!stopping)
        console.error(
          `${part.name} (pid ${part.pid}) exited (${how}); the other parts keep running. Its log: ${shortPath(join(logDir, `${part.name}.log`))}`,
        );
    });
  }
}

async function main(): Promise<void> {
  // Kept listening while stopping: a second signal (npm and `timeout` signal the whole process
  // group, so one stop may bring two) must not kill the stack before its parts are down.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));
  try {
    await startStack(await readStackOptions());
  } catch (error) {
    if (stopping) return; // a signal arrived while starting; its handler stops and exits
    const message = error instanceof StackPartError ? error.message : ((error as Error).stack ?? String(error));
    console.error(`npm run stack failed: ${message}`);
    await stopAll();
    console.error(started.length > 0 ? 'Stopped every part that had started.' : 'Nothing had started.');
    process.exit(1);
  }
}

void main();
