import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium, which `npm test` installs; playwright-core downloads no browser. */
export const chromiumPath = '/usr/bin/chromium';
// Headless, plus the flags that keep Chromium off the network of this closed machine.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** A fresh chromium with a throwaway profile; fails the test (never skips it) when chromium is missing. */
export async function launchChromium(viewport: { width: number; height: number }): Promise<TestBrowser> {
  assert.ok(
    existsSync(chromiumPath),
    `Debian's chromium is not installed (${chromiumPath} is missing). Install it with \`apt-get install -y chromium\`; npm test does this as root.`,
  );
  const profileDirectory = mkdtempSync(join(tmpdir(), 'gateway-test-chromium-'));
  const context = await chromium.launchPersistentContext(profileDirectory, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport,
  });
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profileDirectory, { recursive: true, force: true });
      }
    },
  };
}
