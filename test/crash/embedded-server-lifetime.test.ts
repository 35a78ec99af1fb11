import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startEmbeddedTemporal } from '../../src/temporal/embedded-temporal';
import {
  listening,
  portFreedWithin,
  removeDataDirectories,
  startGatewayProcess,
  started,
} from '../helpers/gateway-process';

describe('the embedded Temporal dev server lives and dies with the gateway', () => {
  after(removeDataDirectories);

  it('stops with the gateway on SIGTERM, cleanly', async () => {
    const gateway = await startGatewayProcess();
    await started(gateway);
    assert.ok(await listening(gateway.temporalPort), 'the dev server listens while the gateway runs');
    gateway.child.kill('SIGTERM');
    assert.equal(await gateway.exit, 0);
    assert.ok(await portFreedWithin(gateway.temporalPort, 10_000), 'the dev server stopped with the gateway');
    assert.doesNotMatch(gateway.output(), /IllegalStateError|Not running/, 'the shutdown is clean');
  });

  it('dies with the gateway when the gateway is killed with SIGKILL', async () => {
    const gateway = await startGatewayProcess();
    await started(gateway);
    gateway.child.kill('SIGKILL');
    await gateway.exit;
    assert.ok(await portFreedWithin(gateway.temporalPort, 15_000), 'no orphaned dev server keeps the port');
  });

  it('fails clearly instead of attaching to a server already on its port', async () => {
    const other = await startEmbeddedTemporal();
    try {
      const port = Number(other.address.split(':').at(-1));
      const gateway = await startGatewayProcess({ temporalPort: port });
      assert.equal(await gateway.exit, 1, 'the start fails');
      assert.match(gateway.output(), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(gateway.output(), /TEMPORAL_ADDRESS=127\.0\.0\.1:\d+/, 'it says how to use that server on purpose');
      assert.doesNotMatch(gateway.output(), /Gateway API:/);
    } finally {
      await other.stop();
    }
  });
});
