import type { Tracer } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/create-app';
import { createResponseCache } from '../cache/create-response-cache';
import { createSemanticCacheStore } from '../cache/create-semantic-cache-store';
import { configUsesLocalEmbedder, lazyLocalEmbedder } from '../embedders/local-embedder';
import { logger as defaultLogger } from '../observability/logger';
import type { GatewayKeyring } from '../api/admission/gateway-keys';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { GatewayStateStore } from '../state/route-state-store';
import type { StreamChannel } from '../streaming/stream-channel';

export interface ApiServerOptions {
  client: Client;
  getConfig: () => GatewayConfig;
  keyring: GatewayKeyring;
  taskQueue: string;
  /** 0 picks a free port. */
  port: number;
  host: string;
  logger?: Logger;
  /** Where remote guardrail checks read secrets by name; process.env when omitted. */
  environment?: NodeJS.ProcessEnv;
  state?: GatewayStateStore;
  /** The client's NativeConnection is shared with a worker in this process. */
  eagerStart?: boolean;
  /** Where streamed tokens arrive from the workers. */
  streams?: StreamChannel;
  /** Serves `/codec/*` for the Temporal UI when set. */
  payloadCodec?: PayloadCodec;
  codecCorsOrigins?: string[];
  /** The Temporal UI's base URL, for the status page's links. */
  temporalUiUrl?: string;
  /** Traces `/v1` requests when set. */
  tracer?: Tracer;
}

export interface RunningApiServer {
  url: string;
  stop(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  // Redis with REDIS_URL, else this process's memory; model groups with `cache` use it.
  const responseCache = createResponseCache();
  const semanticCache = createSemanticCacheStore();
  const localEmbedder = lazyLocalEmbedder(process.env, (line) => (options.logger ?? defaultLogger).info(line));
  // Loaded before the first request when the config needs it, so no request waits for the model.
  if (configUsesLocalEmbedder(options.getConfig())) await localEmbedder();
  const app = createApp({ ...options, responseCache, semanticCache, localEmbedder });
  const server: Server = app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    // Accepted inferences are durable workflows, so cutting open connections loses no work: the
    // client can read the result with GET /v1/inferences/:id.
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await responseCache.close();
      await semanticCache.close();
    },
  };
}
