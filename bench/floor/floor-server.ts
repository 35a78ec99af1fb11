// The floor's process: a worker for floor-workflow.ts and a bare node:http server that, for each
// POST /<shape>/chat/completions (shape `local` or `activity`), starts one workflow with eager
// start through a Client sharing the worker's connection (as src/gateway/start-gateway.ts does)
// and answers with its result. A `stream: true` request gets the upstream's chunks as SSE while
// the workflow runs, and its response ends at the last chunk, as the gateway's does.
// Environment: TEMPORAL_ADDRESS, FLOOR_TASK_QUEUE, FLOOR_PORT (0 = any), FLOOR_UPSTREAM_BASE_URL,
// FLOOR_UPSTREAM_KEY, TEMPORAL_NAMESPACE. Prints one JSON line {"event":"listening","url":…} when
// it serves.
import { Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { preloadingBundling } from '../../src/worker/workflow-bundling';
import { createFloorActivities } from './floor-activities';
import { floorStreamSinks } from './floor-stream-sinks';
import type { ChatRequest, FloorInput, FloorShape } from './floor-types';
import type { floorInference } from './floor-workflow';

const startAttributes = {
  tenant: defineSearchAttributeKey('GatewayTenant', SearchAttributeType.KEYWORD),
  trafficClass: defineSearchAttributeKey('GatewayTrafficClass', SearchAttributeType.KEYWORD),
};

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text);
}

async function main(): Promise<void> {
  const address = required('TEMPORAL_ADDRESS');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const taskQueue = process.env.FLOOR_TASK_QUEUE ?? 'bench-floor';
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: require.resolve('./floor-workflow'),
    // Bundled as the gateway bundles its workflows: loaded once, shared by every run.
    bundlerOptions: preloadingBundling(require.resolve('./floor-workflow')),
    activities: createFloorActivities({
      baseUrl: required('FLOOR_UPSTREAM_BASE_URL'),
      apiKey: required('FLOOR_UPSTREAM_KEY'),
    }),
  });
  const workerRun = worker.run();
  const client = new Client({ connection, namespace });

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/(local|activity|visible)\/chat\/completions$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match)
      return sendJson(response, 404, { error: { message: 'POST /<local|activity|visible>/chat/completions' } });
    let body: Omit<ChatRequest, 'stream'> & { stream?: boolean };
    try {
      body = (await readJson(request)) as Omit<ChatRequest, 'stream'> & { stream?: boolean };
    } catch {
      return sendJson(response, 400, { error: { message: 'the body is not JSON' } });
    }
    const workflowId = `floor-${randomUUID()}`;
    response.setHeader('x-floor-workflow-id', workflowId);
    const { stream, ...rest } = body;
    const input: FloorInput = {
      shape: match[1] as FloorShape,
      request: rest,
      ...(stream === true ? { streamKey: workflowId } : {}),
    };
    try {
      if (stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        floorStreamSinks.set(workflowId, {
          chunk: (chunk) => {
            if (!response.writableEnded) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
          },
          // Like the gateway, the stream ends at the upstream's last chunk, before the workflow does.
          done: () => {
            if (!response.writableEnded) response.end('data: [DONE]\n\n');
          },
        });
      }
      // What the gateway sends with each start (src/api/run-inference.ts), for the `visible` shape.
      const visibility =
        input.shape === 'visible'
          ? {
              memo: { tenant: 'bench', modelGroup: rest.model },
              staticSummary: `${rest.model} for bench (standard)`,
              typedSearchAttributes: [
                { key: startAttributes.tenant, value: 'bench' },
                { key: startAttributes.trafficClass, value: 'standard' },
              ],
            }
          : {};
      const handle = await client.workflow.start<typeof floorInference>('floorInference', {
        taskQueue,
        workflowId,
        args: [input],
        requestEagerStart: true,
        ...visibility,
      });
      const result = await handle.result();
      if (!stream) sendJson(response, 200, result.response);
      else if (!response.writableEnded) response.end('data: [DONE]\n\n');
    } catch (error) {
      const message = (error as Error).message;
      if (!stream) sendJson(response, 502, { error: { message } });
      else if (!response.writableEnded) response.end(`data: ${JSON.stringify({ error: { message } })}\n\n`);
    } finally {
      floorStreamSinks.delete(workflowId);
    }
  };

  const server = createServer((request, response) => void serve(request, response));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(process.env.FLOOR_PORT ?? 0), '127.0.0.1', resolve);
  });
  console.log(
    JSON.stringify({
      event: 'listening',
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      taskQueue,
    }),
  );

  // The SDK shuts the worker down on SIGINT and SIGTERM; then the server and the connection go.
  await workerRun;
  server.closeAllConnections();
  server.close();
  await connection.close();
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`floor failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
