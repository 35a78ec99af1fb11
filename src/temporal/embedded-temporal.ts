import { TestWorkflowEnvironment } from '@temporalio/testing';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { allGatewaySearchAttributes } from '../workflows/search-attributes';
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
 * Starts a Temporal dev server with the CLI found by findOrInstallTemporalCli, or with the SDK's
 * own download when nothing else worked. Fails with one message that lists everything tried.
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
  let environment: TestWorkflowEnvironment;
  let source: string;
  if (lookup.path) {
    environment = await TestWorkflowEnvironment.createLocal({
      server: { ...server, executable: { type: 'existing-path', path: lookup.path } },
    });
    source = `${lookup.source} (${lookup.path})`;
  } else {
    log('No Temporal CLI found or installable; trying the Temporal SDK download…');
    try {
      environment = await TestWorkflowEnvironment.createLocal({ server });
    } catch (error) {
      throw new Error(
        `Could not start a Temporal dev server. Tried:\n- ${[...lookup.tried, `the SDK's download (${(error as Error).message})`].join('\n- ')}\n` +
          'Set TEMPORAL_CLI_PATH, put `temporal` on PATH, or set TEMPORAL_ADDRESS to use a running server.',
      );
    }
    source = "the Temporal SDK's download";
  }
  return {
    address: environment.address,
    namespace,
    source,
    stop: () => environment.teardown(),
  };
}
