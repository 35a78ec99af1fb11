import { Client, Connection } from '@temporalio/client';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/api/create-app';
import { GatewayKeyring } from '../../src/api/admission/gateway-keys';
import { freePort } from '../helpers/free-port';
import { simulatorConfig } from '../helpers/test-gateway';

describe('when Temporal is unreachable', () => {
  let url: string;
  let close: () => Promise<void>;
  const key = 'gw-test-unreachable';

  before(async () => {
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
    const client = new Client({ connection });
    const keyring = new GatewayKeyring();
    keyring.add(key, 'tenant-test');
    const app = createApp({
      client,
      getConfig: () =>
        simulatorConfig({
          url: 'http://127.0.0.1:9',
          openAIBaseUrl: () => 'http://127.0.0.1:9/v1',
          anthropicBaseUrl: () => 'http://127.0.0.1:9',
        }),
      keyring,
      taskQueue: 'inference',
      temporalDeadlineMs: 2_000,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        connection.close().catch(() => {});
      });
  });
  after(async () => close?.());

  it('answers a chat completion with 503 temporal_unavailable instead of hanging', async () => {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'hi' }] }),
      // Bounds the test itself; the gateway's own deadline is 2 s.
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'temporal_unavailable');
    assert.match(body.error.message, /cannot reach its Temporal server/);
  });

  it('reports not ready', async () => {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(15_000) });
    assert.equal(response.status, 503);
    assert.match(((await response.json()) as { temporal: string }).temporal, /^unreachable/);
  });
});
