// The gateway's own processes on the stack's Temporal server and Redis: combined processes
// (src/main.ts with TEMPORAL_ADDRESS: an API and a worker each, the default), or with
// STACK_TOPOLOGY=split workers (src/worker-main.ts) and APIs (src/api-main.ts) apart. Without
// provider keys, the provider simulator runs as a process of its own and every route of the
// config points at it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load-config';
import { hasNoProviderKeys, routeEverythingToSimulator } from '../../src/config/simulator-mode';
import { loopback, repoRoot, type StackOptions } from './stack-options';
import { StackPartError } from './stack-part-error';
import { startStackProcess, type StackProcess } from './stack-process';

export interface GatewayProcesses {
  workers: StackProcess[];
  /** The processes serving HTTP (APIs, or combined processes), in the order of options.apiPorts. */
  apis: StackProcess[];
  apiUrls: string[];
  simulatorUrl?: string;
  /** The config file the gateway processes read. */
  configPath: string;
}

async function ready(process: StackProcess, pattern: RegExp, part: string, tried: string): Promise<string> {
  try {
    return await process.waitForLine(pattern, 120_000);
  } catch (error) {
    throw new StackPartError(part, `${(error as Error).message}:\n${process.recentOutput()}`, [tried]);
  }
}

export async function startGatewayProcesses(
  options: StackOptions,
  shared: { temporalAddress: string; redisUrl: string; devKey: string; logDir: string },
  started: (process: StackProcess) => void,
): Promise<GatewayProcesses> {
  const node = (name: string, script: string, environment: NodeJS.ProcessEnv) => {
    const child = startStackProcess(name, process.execPath, ['--import', 'tsx', script], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...environment },
      logFile: join(shared.logDir, `${name}.log`),
    });
    started(child);
    return child;
  };

  let configPath = options.gatewayConfig;
  let simulatorUrl: string | undefined;
  let providerEnvironment: Record<string, string> = {};
  const config = (() => {
    try {
      return loadConfig(options.gatewayConfig);
    } catch (error) {
      throw new StackPartError('gateway config', (error as Error).message, [`GATEWAY_CONFIG=${options.gatewayConfig}`]);
    }
  })();
  if (hasNoProviderKeys(config, process.env)) {
    const simulator = node('simulator', 'src/simulator/simulator-main.ts', {
      SIMULATOR_PORT: String(options.simulatorPort),
    });
    const line = await ready(
      simulator,
      /Provider simulator listening on (\S+)/,
      'provider simulator',
      'node --import tsx src/simulator/simulator-main.ts',
    );
    simulatorUrl = /listening on (\S+)/.exec(line)![1]!;
    const url = simulatorUrl;
    const simulated = routeEverythingToSimulator(config, {
      url,
      openAIBaseUrl: (region) => `${url}/regions/${region}/v1`,
      anthropicBaseUrl: (region) => `${url}/regions/${region}`,
    });
    mkdirSync(options.dataDir, { recursive: true });
    configPath = join(options.dataDir, 'gateway-simulated.yaml');
    writeFileSync(
      configPath,
      `# Written by npm run stack from ${options.gatewayConfig}: every route points at the provider simulator.\n${stringify(simulated.config)}`,
    );
    providerEnvironment = simulated.environment;
  }

  const common = {
    ...providerEnvironment,
    GATEWAY_CONFIG: configPath,
    TEMPORAL_ADDRESS: shared.temporalAddress,
    TEMPORAL_NAMESPACE: options.namespace,
    REDIS_URL: shared.redisUrl,
  };
  const workers: StackProcess[] = [];
  const apis: StackProcess[] = [];
  const waits: Array<Promise<string>> = [];
  if (options.topology === 'split') {
    for (let index = 1; index <= options.workers; index++) {
      const worker = node(`worker-${index}`, 'src/worker-main.ts', common);
      workers.push(worker);
      waits.push(
        ready(worker, /polling task queue/, `gateway worker ${index}`, 'node --import tsx src/worker-main.ts'),
      );
    }
  }
  options.apiPorts.forEach((port, index) => {
    const [name, script, readyLine] =
      options.topology === 'split'
        ? [`api-${index + 1}`, 'src/api-main.ts', /Gateway API listening on/]
        : [`gateway-${index + 1}`, 'src/main.ts', /Press Ctrl-C to stop/];
    const api = node(name, script, { ...common, PORT: String(port), HOST: loopback, GATEWAY_DEV_KEY: shared.devKey });
    apis.push(api);
    waits.push(
      ready(
        api,
        readyLine,
        `gateway ${options.topology === 'split' ? 'API' : 'process'} ${index + 1} (port ${port})`,
        `node --import tsx ${script}`,
      ),
    );
  });
  // The first to fail stops the others at once (their checks then end too), and is the one reported.
  let firstFailure: unknown;
  await Promise.all(
    waits.map((wait) =>
      wait.catch(async (error: unknown) => {
        firstFailure ??= error;
        await Promise.all([...workers, ...apis].map((child) => child.stop()));
      }),
    ),
  );
  if (firstFailure) throw firstFailure;
  return {
    workers,
    apis,
    apiUrls: options.apiPorts.map((port) => `http://${loopback}:${port}/v1`),
    simulatorUrl,
    configPath,
  };
}
