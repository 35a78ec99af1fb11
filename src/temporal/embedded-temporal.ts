import { TypedSearchAttributes } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { allGatewaySearchAttributes } from '../workflows/search-attributes';
import { claimPort, startDevServerProcess } from './dev-server-process';
import { findOrInstallTemporalCli } from './temporal-cli';

export interface EmbeddedTemporalOptions {
  /** gRPC port; a free one is chosen when omitted. */
  port?: number;
  /** Web UI port; the UI is off when omitted. */
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in-memory when omitted. */
  dbFilename?: string;
  namespace?: string;
  /** Where the UI sends payloads to be decoded (`--ui-codec-endpoint`): the gateway's `/codec`. */
  uiCodecEndpoint?: string;
  log?: (line: string) => void;
}

export interface EmbeddedTemporal {
  address: string;
  namespace: string;
  /** Where the CLI came from, for start-up output. */
  source: string;
  stop(): Promise<void>;
}

/** The Temporal server settings the gateway's latency needs, shared with docker-compose.yml. */
export const dynamicConfigPath = resolve(__dirname, '../../config/temporal/dynamic-config.yaml');

/** The dynamic config file's settings as the dev server's `--dynamic-config-value KEY=VALUE` pairs. */
export function latencyDynamicConfig(path = dynamicConfigPath): string[] {
  const settings = parse(readFileSync(path, 'utf8')) as Record<string, Array<{ value: unknown }>>;
  return Object.entries(settings).map(([key, [first]]) => `${key}=${JSON.stringify(first?.value)}`);
}

/**
 * How the dev server keeps its SQLite file. SQLite's default (a rollback journal, synced in full)
 * waits for the disk several times per transaction; a write-ahead log synced at checkpoints keeps
 * every committed transaction across a crash of any process, and may lose the last ones only to a
 * power cut or an OS crash. Measured with `npm run bench`.
 */
export const sqlitePragmas = ['journal_mode=wal', 'synchronous=normal'];

/**
 * Starts a Temporal dev server with the CLI found by findOrInstallTemporalCli, as a child process
 * that dies with this one, or with the SDK's own download when nothing else worked. Fails with one
 * message that lists everything tried, or that says the port is taken.
 */
export async function startEmbeddedTemporal(options: EmbeddedTemporalOptions = {}): Promise<EmbeddedTemporal> {
  const log = options.log ?? (() => {});
  const namespace = options.namespace ?? 'default';
  const lookup = findOrInstallTemporalCli(log);
  const server = {
    type: 'dev-server' as const,
    namespace,
    ip: '127.0.0.1',
    port: options.port,
    ui: options.uiPort !== undefined,
    uiPort: options.uiPort,
    dbFilename: options.dbFilename,
    log: { format: 'pretty', level: 'error' },
    searchAttributes: allGatewaySearchAttributes,
    extraArgs: [
      ...latencyDynamicConfig().flatMap((setting) => ['--dynamic-config-value', setting]),
      ...(options.dbFilename ? sqlitePragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]) : []),
      ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ],
  };
  if (lookup.path) {
    // Our own child process, so it dies with the gateway and never attaches to a server it did not start.
    const ip = '127.0.0.1';
    const devServer = await startDevServerProcess(lookup.path, {
      ip,
      port: options.port,
      log,
      args: [
        '--namespace',
        namespace,
        '--log-format',
        'pretty',
        '--log-level',
        'error',
        ...(options.uiPort !== undefined ? ['--ui-port', String(options.uiPort)] : ['--headless']),
        ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
        ...allGatewaySearchAttributes.flatMap((key) => [
          '--search-attribute',
          `${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
        ]),
        // What the SDK's own start sets too.
        ...[
          'frontend.enableServerVersionCheck=false',
          'frontend.enableUpdateWorkflowExecution=true',
          'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
        ].flatMap((setting) => ['--dynamic-config-value', setting]),
        ...server.extraArgs,
      ],
    });
    return { address: devServer.address, namespace, source: `${lookup.source} (${lookup.path})`, stop: devServer.stop };
  }
  log('No Temporal CLI found or installable; trying the Temporal SDK download…');
  // The SDK's start would take whatever answers on a taken port for its own server.
  if (options.port !== undefined) await claimPort(server.ip, options.port);
  let environment: TestWorkflowEnvironment;
  try {
    environment = await TestWorkflowEnvironment.createLocal({ server });
  } catch (error) {
    throw new Error(
      `Could not start a Temporal dev server. Tried:\n- ${[...lookup.tried, `the SDK's download (${(error as Error).message})`].join('\n- ')}\n` +
        'Set TEMPORAL_CLI_PATH, put `temporal` on PATH, or set TEMPORAL_ADDRESS to use a running server.',
    );
  }
  const source = "the Temporal SDK's download";
  return {
    address: environment.address,
    namespace,
    source,
    stop: () => environment.teardown(),
  };
}
