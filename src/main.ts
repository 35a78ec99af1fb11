// `npm start`: the embedded stack in one process — Temporal dev server (unless TEMPORAL_ADDRESS is
// set), the provider simulator when no provider key is set, the worker and the HTTP API.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateGatewayKey, GatewayKeyring } from './api/admission/gateway-keys';
import { watchGatewayConfig } from './config/config-watcher';
import type { GatewayConfig } from './config/gateway-config-schema';
import { defaultConfigPath, loadConfig } from './config/load-config';
import { policyVersion } from './config/traffic-class-policy';
import { hasNoProviderKeys, routeEverythingToSimulator } from './config/simulator-mode';
import { readList, readPort } from './gateway/read-environment';
import { startGateway } from './gateway/start-gateway';
import { describeTracing, startTracing } from './observability/tracing';
import { startSimulator } from './simulator/start-simulator';
import { startEmbeddedTemporal } from './temporal/embedded-temporal';
import { payloadCodecFromEnvironment } from './temporal/payload-codec-from-environment';
import {
  describeStorage,
  payloadStorageFromEnvironment,
  payloadStorageThresholdBytes,
} from './temporal/payload-storage-from-environment';

const say = (line: string) => console.log(line);

async function main(): Promise<void> {
  const port = readPort('PORT', 8080);
  const configPath = process.env.GATEWAY_CONFIG ?? defaultConfigPath;
  const initialConfig = loadConfig(configPath); // fail fast, naming the bad field
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => console.error(error));
  };

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say(`\n${signal} received: stopping the API, the worker and Temporal…`);
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // If whatever started us dies without passing on a signal, stop too rather than orphan Temporal.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && shutdown('parent exited'), 1_000).unref();
  // The handlers above stop the API before the worker; the SDK's own signal handlers would start
  // draining the worker first, and our stop would then find it no longer running.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  try {
    const payloadCodec = payloadCodecFromEnvironment(); // fail fast on a malformed key
    const payloadStorage = payloadStorageFromEnvironment();
    const tracing = startTracing();
    if (tracing) stops.push(tracing.shutdown);
    const host = process.env.HOST ?? '127.0.0.1';
    const uiPort = readPort('TEMPORAL_UI_PORT', 8233);
    // The browser showing the UI calls this address: a wildcard bind address is no place to call.
    const codecEndpoint =
      payloadCodec && port !== 0
        ? `http://${['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host}:${port}/codec`
        : undefined;
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    if (temporalAddress) {
      say(`Using the Temporal server at ${temporalAddress} (TEMPORAL_ADDRESS).`);
    } else {
      const dataDir = resolve(process.env.GATEWAY_DATA_DIR ?? '.data');
      mkdirSync(dataDir, { recursive: true });
      const temporal = await startEmbeddedTemporal({
        port: readPort('TEMPORAL_PORT', 7233),
        uiPort,
        uiCodecEndpoint: codecEndpoint,
        dbFilename: resolve(dataDir, 'temporal.sqlite'),
        namespace,
        log: say,
      });
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      say(
        `Temporal dev server at ${temporalAddress} (CLI from ${temporal.source}), state in ${dataDir}/temporal.sqlite`,
      );
    }

    let transform = (config: GatewayConfig) => config;
    if (hasNoProviderKeys(initialConfig, process.env)) {
      const simulator = await startSimulator();
      stops.push(simulator.stop);
      transform = (config) => {
        const simulated = routeEverythingToSimulator(config, simulator);
        Object.assign(process.env, simulated.environment);
        return simulated.config;
      };
      say(`No provider API key is set: every route is served by the built-in provider simulator at ${simulator.url}.`);
    }
    const watcher = watchGatewayConfig(transform);
    stops.push(async () => watcher.close());

    const keyring = new GatewayKeyring(() => watcher.get());
    let devKey = process.env.GATEWAY_DEV_KEY;
    const generated = !devKey;
    devKey ??= generateGatewayKey();
    keyring.add(devKey, 'dev', { admin: true });

    const gateway = await startGateway({
      temporalAddress,
      namespace,
      getConfig: watcher.get,
      keyring,
      port,
      host,
      healthProbes: true,
      payloadCodec,
      payloadStorage,
      codecCorsOrigins: readList('GATEWAY_CODEC_CORS_ORIGINS', [
        `http://127.0.0.1:${uiPort}`,
        `http://localhost:${uiPort}`,
      ]),
      temporalUiUrl:
        process.env.TEMPORAL_UI_URL ?? (process.env.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${uiPort}`),
      tracing,
    });
    stops.push(gateway.stop);

    say(`Gateway API:  ${gateway.url}/v1 (OpenAI- and Anthropic-compatible)`);
    if (!process.env.TEMPORAL_ADDRESS)
      say(
        `Temporal UI:  http://127.0.0.1:${uiPort}${codecEndpoint ? ` (decodes payloads through ${codecEndpoint})` : ''}`,
      );
    say(
      generated
        ? `Gateway key:  ${devKey}  (generated for this run; set GATEWAY_DEV_KEY to choose your own)`
        : 'Gateway key:  the value of GATEWAY_DEV_KEY',
    );
    say(
      `Models:       ${watcher
        .get()
        .modelGroups.map((group) => group.name)
        .join(', ')} (policy version ${policyVersion(watcher.get())}; edits to ${configPath} apply without a restart)`,
    );
    say(
      payloadCodec
        ? `Payloads:     encrypted in Temporal with AES-256-GCM, key ${payloadCodec.current.id}; codec endpoint ${gateway.url}/codec`
        : 'Payloads:     stored in Temporal as plain JSON (set GATEWAY_PAYLOAD_KEY to encrypt prompts and completions)',
    );
    say(
      `Big payloads: from ${payloadStorageThresholdBytes / 1024} KiB (large prompts) kept outside Temporal history, in ${describeStorage(payloadStorage)}`,
    );
    say(
      `Route state:  ${process.env.REDIS_URL ? `Redis at ${process.env.REDIS_URL.replace(/\/\/[^@]*@/, '//')}` : 'in memory (set REDIS_URL to share it between processes)'}`,
    );
    say(`Tracing:      ${describeTracing(tracing)}`);
    say('Press Ctrl-C to stop.');
  } catch (error) {
    console.error(`Gateway failed to start: ${(error as Error).message}`);
    await stopAll();
    process.exit(1);
  }
}

void main();
