import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StorageDriverClaim, type Payload, type StorageDriver } from '@temporalio/common';
import Redis from 'ioredis';
import { FileStorageDriver, StoredPayloadError } from '../../src/temporal/file-storage-driver';
import { LargePayloadCodec, storedPayloadEncoding } from '../../src/temporal/large-payload-codec';
import {
  payloadStorageFromEnvironment,
  payloadStorageThresholdBytes,
} from '../../src/temporal/payload-storage-from-environment';
import { RedisStorageDriver } from '../../src/temporal/redis-storage-driver';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';

const payload = (text: string): Payload => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(text)),
});
const textOf = (stored: Payload) => JSON.parse(Buffer.from(stored.data!).toString('utf8')) as string;

/** The contract both drivers keep: what is stored comes back byte for byte; a bad claim fails loudly. */
function driverContract(driverFor: () => StorageDriver) {
  it('returns each stored payload, metadata and data, and stores identical payloads under one claim', async () => {
    const driver = driverFor();
    const claims = await driver.store({}, [payload('first prompt'), payload('second prompt'), payload('first prompt')]);
    assert.equal(claims[0]!.claimData.sha256, claims[2]!.claimData.sha256);
    assert.notEqual(claims[0]!.claimData.sha256, claims[1]!.claimData.sha256);
    const back = await driver.retrieve({}, claims);
    assert.deepEqual(back.map(textOf), ['first prompt', 'second prompt', 'first prompt']);
    assert.equal(Buffer.from(back[0]!.metadata!.encoding!).toString(), 'json/plain');
  });

  it('fails with StoredPayloadError for a claim it does not hold', async () => {
    const missing = new StorageDriverClaim({ sha256: 'a'.repeat(64) });
    await assert.rejects(driverFor().retrieve({}, [missing]), StoredPayloadError);
  });
}

describe('payload storage outside Temporal', () => {
  describe('the large-payload codec', () => {
    let directory: string;
    before(() => {
      directory = mkdtempSync(join(tmpdir(), 'payload-codec-'));
    });
    after(() => rmSync(directory, { recursive: true, force: true }));

    it('replaces each payload from the threshold up by a small reference, and reads it back', async () => {
      const codec = new LargePayloadCodec(new FileStorageDriver(directory), 1024);
      const small = payload('short');
      const large = payload('x'.repeat(4096));
      const encoded = await codec.encode([small, large, small]);
      assert.equal(encoded[0], small, 'a payload below the threshold is left as it is');
      assert.equal(encoded[2], small);
      assert.equal(Buffer.from(encoded[1]!.metadata!.encoding!).toString(), storedPayloadEncoding);
      assert.ok(encoded[1]!.data!.byteLength < 300, `the reference holds ${encoded[1]!.data!.byteLength} bytes`);
      assert.equal(readdirSync(directory).length, 1, 'the large payload is in one file');
      const decoded = await codec.decode(encoded);
      assert.deepEqual(decoded.map(textOf), ['short', 'x'.repeat(4096), 'short']);
      assert.equal(Buffer.from(decoded[1]!.metadata!.encoding!).toString(), 'json/plain');
    });

    it('returns a batch with nothing to store or fetch as the same array', async () => {
      const codec = new LargePayloadCodec(new FileStorageDriver(directory), 1024);
      const batch = [payload('a'), payload('b')];
      assert.equal(await codec.encode(batch), batch);
      assert.equal(await codec.decode(batch), batch);
    });

    it('fails loudly for a reference to a payload that is gone, or that another store holds', async () => {
      const elsewhere = mkdtempSync(join(tmpdir(), 'payload-codec-other-'));
      const encoded = await new LargePayloadCodec(new FileStorageDriver(elsewhere), 1024).encode([
        payload('y'.repeat(2048)),
      ]);
      await assert.rejects(
        new LargePayloadCodec(new FileStorageDriver(directory), 1024).decode(encoded),
        StoredPayloadError,
      );
      const redisReference = {
        ...encoded[0]!,
        data: Buffer.from(JSON.stringify({ driver: 'gateway-redis', claim: { sha256: 'a'.repeat(64) }, bytes: 2048 })),
      };
      await assert.rejects(
        new LargePayloadCodec(new FileStorageDriver(directory), 1024).decode([redisReference]),
        /stored in gateway-redis, but this process reads gateway-files/,
      );
      rmSync(elsewhere, { recursive: true, force: true });
    });
  });

  describe('files', () => {
    let directory: string;
    before(() => {
      directory = mkdtempSync(join(tmpdir(), 'payload-files-'));
    });
    after(() => rmSync(directory, { recursive: true, force: true }));
    driverContract(() => new FileStorageDriver(directory));

    it('refuses a file whose bytes no longer match its digest', async () => {
      const driver = new FileStorageDriver(directory);
      const [claim] = await driver.store({}, [payload('tamper with me')]);
      writeFileSync(join(directory, claim!.claimData.sha256!), 'altered');
      await assert.rejects(driver.retrieve({}, [claim!]), /does not match its digest/);
    });

    it('leaves no temporary file behind, whether a write succeeds or fails', async () => {
      const driver = new FileStorageDriver(directory);
      await driver.store({}, [payload('written whole')]);
      // A directory where the file should go makes the rename fail, even for root.
      const [blocked] = await new FileStorageDriver(mkdtempSync(join(tmpdir(), 'payload-probe-'))).store({}, [
        payload('cannot land'),
      ]);
      mkdirSync(join(directory, blocked!.claimData.sha256!, 'occupied'), { recursive: true });
      await assert.rejects(driver.store({}, [payload('cannot land')]));
      assert.deepEqual(
        readdirSync(directory).filter((name) => name.startsWith('.')),
        [],
        'no temporary files are left',
      );
    });

    it('is the default without REDIS_URL: files under the data directory, from 128 KiB', () => {
      const storage = payloadStorageFromEnvironment({ GATEWAY_DATA_DIR: directory });
      assert.equal(storage.thresholdBytes, payloadStorageThresholdBytes);
      const { driver } = storage;
      assert.ok(driver instanceof FileStorageDriver);
      assert.equal(driver.directory, join(directory, 'payloads'));
    });

    it('asks a process of a split deployment for REDIS_URL or a shared GATEWAY_PAYLOAD_DIR', () => {
      assert.throws(
        () => payloadStorageFromEnvironment({}, { shared: true }),
        /Set REDIS_URL .* or GATEWAY_PAYLOAD_DIR/,
      );
      const { driver } = payloadStorageFromEnvironment({ GATEWAY_PAYLOAD_DIR: directory }, { shared: true });
      assert.ok(driver instanceof FileStorageDriver && driver.directory === directory);
    });
  });

  describe('Redis', () => {
    let redis: TestRedis;
    let client: Redis;
    before(async () => {
      redis = await startTestRedis();
      client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    });
    after(async () => {
      client?.disconnect();
      await redis?.stop();
    });
    driverContract(() => new RedisStorageDriver(client, 60));

    it('keeps each payload for its TTL', async () => {
      const [claim] = await new RedisStorageDriver(client, 60).store({}, [payload('expires')]);
      const ttl = await client.ttl(`payload:${claim!.claimData.sha256}`);
      assert.ok(ttl > 0 && ttl <= 60, String(ttl));
    });

    it('is chosen with REDIS_URL, and refuses a TTL that is not a positive number of days', () => {
      const { driver } = payloadStorageFromEnvironment({ REDIS_URL: redis.url, GATEWAY_PAYLOAD_TTL_DAYS: '2' });
      assert.ok(driver instanceof RedisStorageDriver);
      assert.equal(driver.ttlSeconds, 2 * 24 * 60 * 60);
      assert.throws(
        () => payloadStorageFromEnvironment({ REDIS_URL: redis.url, GATEWAY_PAYLOAD_TTL_DAYS: 'soon' }),
        /GATEWAY_PAYLOAD_TTL_DAYS must be a positive number/,
      );
    });
  });
});
