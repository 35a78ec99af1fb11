import type { Tracer } from '@opentelemetry/api';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { GatewayStateStore } from '../state/route-state-store';
import type { StreamChannel } from '../streaming/stream-channel';
import type { ResponseCache } from '../cache/response-cache';
import type { SemanticCacheStore } from '../cache/semantic-cache-store';
import type { TextEmbedder } from '../embedders/text-embedder';
import type { GatewayKeyring } from './admission/gateway-keys';

export interface ApiDependencies {
  client: Client;
  /** The config in force (a function so a reload is seen by the next request). */
  getConfig: () => GatewayConfig;
  keyring: GatewayKeyring;
  taskQueue: string;
  /**
   * How long a call to Temporal that should be quick (start, describe) may take before the
   * client gets a 503.
   * @default 5000
   */
  temporalDeadlineMs?: number;
  /** The gateway state store: tenant and key windows, budgets, usage (the same store as route state). */
  state?: GatewayStateStore;
  /**
   * Where streamed tokens arrive from the workers. Without one, a streamed answer is sent in one
   * go when the inference ends.
   */
  streams?: StreamChannel;
  /**
   * Ask Temporal to hand the first workflow task straight to a worker on this client's
   * connection. Only for a client on a NativeConnection shared with a worker (the embedded
   * stack); a plain client connection is refused by the SDK.
   * @default false
   */
  eagerStart?: boolean;
  /** Where remote guardrail checks read their secrets (Bedrock keys, webhook headers) by name; process.env when omitted. */
  environment?: NodeJS.ProcessEnv;
  /** Structured logger; the process-wide one when omitted. */
  logger?: Logger;
  /** The codec the Temporal client and workers use; `/codec/*` answers 404 `codec_disabled` without one. */
  payloadCodec?: PayloadCodec;
  /**
   * Browser origins allowed to call `/codec/*` (the Temporal UI).
   * @default http://127.0.0.1:8233 and http://localhost:8233
   */
  codecCorsOrigins?: string[];
  /** The exact response cache; model groups with `cache` use it. */
  responseCache?: ResponseCache;
  /** The semantic cache's entries; model groups with `cache.semantic` use it (beside `responseCache`). */
  semanticCache?: SemanticCacheStore;
  /** The local embedder, loaded on first call; semantic caches without an `embeddingModelGroup` use it. */
  localEmbedder?: () => Promise<TextEmbedder>;
  /** The Temporal UI's base URL, for links from the status page (e.g. http://127.0.0.1:8233). */
  temporalUiUrl?: string;
  /** Opens a span per `/v1` request and sends its trace id back; requests are not traced without one. */
  tracer?: Tracer;
}
