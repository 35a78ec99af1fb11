import { StorageDriverClaim, type Payload, type StorageDriver } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A stored payload that cannot be read back: missing, or not the bytes its claim names. */
export class StoredPayloadError extends Error {
  override readonly name = 'StoredPayloadError';
}

/** The claim of a stored payload: the SHA-256 of its bytes, which is also where it is kept. */
export function payloadDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function checkedPayload(bytes: Uint8Array, digest: string, where: string): Payload {
  if (payloadDigest(bytes) !== digest)
    throw new StoredPayloadError(`The stored payload ${digest} in ${where} does not match its digest: it was altered`);
  const { metadata, data } = temporal.api.common.v1.Payload.decode(bytes);
  return { metadata, data };
}

/**
 * Keeps large payloads as files named by their SHA-256, for the embedded stack: one directory,
 * beside the dev server's SQLite file, that outlives the process. Identical payloads share a file.
 */
export class FileStorageDriver implements StorageDriver {
  readonly name = 'gateway-files';
  readonly type = 'gateway.files';

  constructor(readonly directory: string) {}

  async store(_context: unknown, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    await mkdir(this.directory, { recursive: true });
    return Promise.all(
      payloads.map(async (payload) => {
        const bytes = temporal.api.common.v1.Payload.encode(payload).finish();
        const digest = payloadDigest(bytes);
        await this.writeDurably(digest, bytes);
        return new StorageDriverClaim({ sha256: digest });
      }),
    );
  }

  /**
   * Writes under a temporary name, flushes to disk, renames, then flushes the directory: once the
   * reference is in Temporal's history, the bytes survive a crash or a power loss. A failed write
   * leaves no temporary file behind.
   */
  private async writeDurably(digest: string, bytes: Uint8Array): Promise<void> {
    const partial = join(this.directory, `.${digest}.${randomUUID()}`);
    try {
      const file = await open(partial, 'w');
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(partial, join(this.directory, digest));
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const directory = await open(this.directory, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  async retrieve(_context: unknown, claims: StorageDriverClaim[]): Promise<Payload[]> {
    return Promise.all(
      claims.map(async ({ claimData }) => {
        const digest = claimData.sha256 ?? '';
        if (!/^[0-9a-f]{64}$/.test(digest))
          throw new StoredPayloadError(`A payload claim names no SHA-256 digest: ${JSON.stringify(claimData)}`);
        const bytes = await readFile(join(this.directory, digest)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
          throw new StoredPayloadError(
            `The stored payload ${digest} is missing from ${this.directory}; GATEWAY_PAYLOAD_DIR must name the same directory for the API and every worker`,
          );
        });
        return checkedPayload(bytes, digest, this.directory);
      }),
    );
  }
}
