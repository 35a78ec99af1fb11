import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { watchConfig } from './config-watcher';

/** Resolves when `check` holds, polling every 50 ms; rejects after `limitMs`. */
async function eventually(check: () => boolean, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('watchConfig (hot reload)', () => {
  it('swaps in a valid edit and keeps the old config when an edit is invalid', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gateway-watch-'));
    const file = join(folder, 'gateway.yaml');
    const original = readFileSync('config/gateway.yaml', 'utf8');
    writeFileSync(file, original);
    const versions: string[] = [];
    const errors: Error[] = [];
    const watcher = watchConfig(file, {
      onReload: (_config, version) => versions.push(version),
      onError: (error) => errors.push(error),
    });
    try {
      assert.ok(watcher.get().modelGroups.some((group) => group.name === 'chat-default'));

      writeFileSync(file, original.replace('- name: chat-default', '- name: chat-renamed'));
      await eventually(() => watcher.get().modelGroups.some((group) => group.name === 'chat-renamed'));
      assert.equal(versions.length, 1);

      writeFileSync(file, original.replace('kind: openai', 'kind: carrier-pigeon'));
      await eventually(() => errors.length > 0);
      assert.match(errors[0]!.message, /providers\.0\.kind/);
      assert.ok(
        watcher.get().modelGroups.some((group) => group.name === 'chat-renamed'),
        'the last valid config stays in force',
      );
    } finally {
      watcher.close();
    }
  });
});
