import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { setupTemporalSchema } from '../../../scripts/stack/setup-temporal-schema';
import { readStackOptions, repoRoot, type StackOptions } from '../../../scripts/stack/stack-options';
import { startStackProcess, type StackProcess } from '../../../scripts/stack/stack-process';
import { startPostgres } from '../../../scripts/stack/start-postgres';
import { startRedis } from '../../../scripts/stack/start-redis';
import { startTemporalServer } from '../../../scripts/stack/start-temporal-server';
import { generateGatewayKey, hashKey } from '../../../src/api/admission/gateway-keys';
import { loadConfig } from '../../../src/config/load-config';
import type { GatewayConfig } from '../../../src/config/gateway-config-schema';
import type { TemporalServerBinaries } from '../../../src/temporal/temporal-server-binaries';
import { startCountingSimulator, type CountingSimulator } from './counting-simulator';

/** One part of the stack the chaos test stops and starts again: a name, its process now, and how to start it. */
export class RestartablePart {
  private restarting: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private current: StackProcess,
    private readonly launch: () => Promise<StackProcess>,
  ) {}

  /** Kills it with SIGKILL: no chance to finish anything. */
  async kill(): Promise<void> {
    // Never a group or every process: only the one this part started.
    if (!(this.current.pid > 0)) throw new Error(`${this.name} has no process id to kill`);
    process.kill(this.current.pid, 'SIGKILL');
    await this.current.exited;
  }

  /** Stops it the way an operator's restart does (its stop signal, SIGKILL after the grace time), after any start under way. */
  async stop(): Promise<void> {
    await this.restarting.catch(() => undefined);
    await this.current.stop();
  }

  /**
   * Starts it again in the background; `running()` resolves once it is up. A start that fails
   * (a worker that found the Temporal server restarting, say) is tried again, three times in all.
   */
  restart(): void {
    this.restarting = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          this.current = await this.launch();
          return;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    })();
  }

  running(): Promise<void> {
    return this.restarting;
  }
}

export const chaosTenant = 'chaos';

/** The longest traffic-class deadline of the chaos config: the counting waits this long for the last inference. */
export const chaosDeadlineMs = 60_000;

export interface ChaosStack {
  options: StackOptions;
  config: GatewayConfig;
  simulator: CountingSimulator;
  apiUrls: string[];
  gatewayKey: string;
  temporalAddress: string;
  redisUrl: string;
  workers: RestartablePart[];
  apis: RestartablePart[];
  temporal: RestartablePart;
  redis: RestartablePart;
  stop(): Promise<void>;
}

const providerKeys = {
  CHAOS_OPENAI_KEY_A: 'sim-openai-a',
  CHAOS_OPENAI_KEY_B: 'sim-openai-b',
  CHAOS_ANTHROPIC_KEY: 'sim-anthropic-a',
};

/** The gateway config of the chaos run: two OpenAI accounts and an Anthropic fallback on the simulator, one tenant with a budget. */
function chaosConfig(simulatorUrl: string, gatewayKey: string): Record<string, unknown> {
  const account = (id: string, apiKeyEnv: string, baseUrl: string) => ({
    id,
    apiKeyEnv,
    regions: [{ id: 'us', baseUrl }],
  });
  return {
    providers: [
      {
        id: 'openai',
        kind: 'openai',
        timeoutMs: 20_000,
        accounts: [
          account('openai-a', 'CHAOS_OPENAI_KEY_A', `${simulatorUrl}/regions/us/v1`),
          account('openai-b', 'CHAOS_OPENAI_KEY_B', `${simulatorUrl}/regions/us/v1`),
        ],
      },
      {
        id: 'anthropic',
        kind: 'anthropic',
        timeoutMs: 20_000,
        defaultMaxTokens: 256,
        accounts: [account('anthropic-a', 'CHAOS_ANTHROPIC_KEY', `${simulatorUrl}/regions/us`)],
      },
    ],
    modelGroups: [
      {
        name: 'chat-default',
        deployments: [
          { provider: 'openai', model: 'gpt-4o-mini', account: 'openai-a', region: 'us', weight: 1 },
          { provider: 'openai', model: 'gpt-4o-mini', account: 'openai-b', region: 'us', weight: 1 },
          { provider: 'anthropic', model: 'claude-sonnet-5-5', account: 'anthropic-a', region: 'us', priority: 1 },
        ],
      },
    ],
    routing: { probeIntervalSeconds: 0 },
    // Every class the load sends ends within the same deadline, so the count can wait for it.
    trafficClasses: {
      critical: { deadlineMs: chaosDeadlineMs },
      standard: { deadlineMs: chaosDeadlineMs },
      background: { deadlineMs: chaosDeadlineMs },
    },
    tenants: [{ id: chaosTenant, keys: [{ id: 'chaos-admin', sha256: hashKey(gatewayKey), admin: true }] }],
    // Large enough never to refuse, so every call reserves spend and settles it.
    budgets: { [chaosTenant]: { monthly: 100_000, daily: 10_000 } },
    prices: {
      'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
      'claude-sonnet-5-5': { inputPerMillion: 3, outputPerMillion: 15 },
    },
  };
}

/**
 * The production topology of `npm run stack`, split (two workers, two APIs), built from the same
 * parts, but with a handle on each process so the chaos test can kill and restart it; the provider
 * simulator runs in the test's process.
 */
export async function startChaosStack(
  binaries: TemporalServerBinaries,
  latency: { minMs: number; maxMs: number },
): Promise<ChaosStack> {
  const root = mkdtempSync(join(tmpdir(), 'gateway-chaos-'));
  chmodSync(root, 0o755); // as root, PostgreSQL runs as another user, who must reach its folder
  const options = await readStackOptions({
    ...process.env,
    STACK_FREE_PORTS: '1',
    STACK_TOPOLOGY: 'split',
    STACK_DATA_DIR: join(root, 'stack'),
  });
  const logDir = join(options.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop();
    // CHAOS_KEEP_DATA=1 keeps the data folder and every part's log for a look after the run.
    if (process.env.CHAOS_KEEP_DATA === '1') console.log(`chaos: data and logs kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
  try {
    const user = 'temporal';
    const password = 'temporal';
    const postgres = await startPostgres({
      dataDir: options.dataDir,
      logDir,
      port: options.postgresPort,
      user,
      password,
    });
    started.push(postgres.process);
    await setupTemporalSchema({
      sqlTool: binaries.sqlTool,
      postgresPort: options.postgresPort,
      user,
      password,
      fresh: postgres.created,
    });

    const launchRedis = async () =>
      (await startRedis({ dataDir: options.dataDir, logDir, port: options.redisPort })).process;
    const redis = new RestartablePart('redis', await launchRedis(), launchRedis);
    started.push(redis);
    const redisUrl = `redis://127.0.0.1:${options.redisPort}`;

    const launchTemporal = async () =>
      (
        await startTemporalServer({
          server: binaries.server,
          logDir,
          ports: options.temporal,
          postgresPort: options.postgresPort,
          user,
          password,
          namespace: options.namespace,
        })
      ).process;
    const temporal = new RestartablePart('temporal-server', await launchTemporal(), launchTemporal);
    started.push(temporal);
    const temporalAddress = `127.0.0.1:${options.temporal.frontend}`;

    // Every call takes a while, so that a killed process always has calls in flight.
    const simulator = await startCountingSimulator([
      { latencyMs: { min: latency.minMs, max: latency.maxMs }, timeToFirstTokenMs: 100 },
    ]);
    started.push(simulator);
    const gatewayKey = generateGatewayKey('gw-chaos');
    const configPath = join(options.dataDir, 'gateway-chaos.yaml');
    writeFileSync(configPath, stringify(chaosConfig(simulator.url, gatewayKey)));
    const config = loadConfig(configPath);

    const environment = {
      ...process.env,
      ...providerKeys,
      LOG_LEVEL: 'warn',
      GATEWAY_CONFIG: configPath,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: options.namespace,
      REDIS_URL: redisUrl,
    };
    const gatewayPart = async (name: string, script: string, ready: RegExp, extra: Record<string, string> = {}) => {
      const launch = async () => {
        const child = startStackProcess(name, process.execPath, ['--import', 'tsx', script], {
          cwd: repoRoot,
          env: { ...environment, ...extra },
          logFile: join(logDir, `${name}.log`),
        });
        try {
          await child.waitForLine(ready, 120_000);
        } catch (error) {
          await child.stop();
          throw new Error(`${name} did not start: ${(error as Error).message}\n${child.recentOutput(20)}`);
        }
        return child;
      };
      const part = new RestartablePart(name, await launch(), launch);
      started.push(part);
      return part;
    };
    const workers = await Promise.all(
      [1, 2].map((index) => gatewayPart(`worker-${index}`, 'src/worker-main.ts', /polling task queue/)),
    );
    const apis = await Promise.all(
      options.apiPorts.map((port, index) =>
        gatewayPart(`api-${index + 1}`, 'src/api-main.ts', /Gateway API listening on/, {
          PORT: String(port),
          HOST: '127.0.0.1',
        }),
      ),
    );
    return {
      options,
      config,
      simulator,
      apiUrls: options.apiPorts.map((port) => `http://127.0.0.1:${port}`),
      gatewayKey,
      temporalAddress,
      redisUrl,
      workers,
      apis,
      temporal,
      redis,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
