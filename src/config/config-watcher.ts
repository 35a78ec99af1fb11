import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { GatewayConfig } from './gateway-config-schema';
import { defaultConfigPath, loadConfig } from './load-config';
import { policyVersion } from './traffic-class-policy';

export interface ConfigWatcher {
  /** The config in force; activities and routes call it on every use. */
  get(): GatewayConfig;
  close(): void;
}

export interface ConfigWatcherOptions {
  /** Applied to every loaded config before it takes effect (e.g. simulator mode). */
  transform?: (config: GatewayConfig) => GatewayConfig;
  onReload?: (config: GatewayConfig, version: string) => void;
  /** A bad edit keeps the previous config in force and is reported here. */
  onError?: (error: Error) => void;
}

/**
 * Watches the config file and swaps in each valid new version without a restart. It watches the
 * folder, not the file, because editors often replace a file rather than write into it.
 */
export function watchConfig(path: string, options: ConfigWatcherOptions = {}): ConfigWatcher {
  const file = resolve(path);
  const transform = options.transform ?? ((config) => config);
  let current = transform(loadConfig(file));
  let currentVersion = policyVersion(current);
  let timer: NodeJS.Timeout | undefined;

  const reload = () => {
    try {
      const next = transform(loadConfig(file));
      const version = policyVersion(next);
      if (version === currentVersion && JSON.stringify(next) === JSON.stringify(current)) return;
      current = next;
      currentVersion = version;
      options.onReload?.(next, version);
    } catch (error) {
      options.onError?.(error as Error);
    }
  };

  const watcher: FSWatcher = watch(dirname(file), (_event, changed) => {
    if (changed && changed.toString() !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(reload, 100); // editors write in several steps
  });
  watcher.unref();

  return {
    get: () => current,
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/**
 * Watches the config named by GATEWAY_CONFIG (or the default path), reporting reloads and
 * rejected edits on the console; the entry points all start from this.
 */
export function watchGatewayConfig(
  transform?: (config: GatewayConfig) => GatewayConfig,
): ConfigWatcher & { path: string } {
  const path = process.env.GATEWAY_CONFIG ?? defaultConfigPath;
  const watcher = watchConfig(path, {
    transform,
    onReload: (_config, version) => console.log(`Config reloaded from ${path}: policy version ${version}`),
    onError: (error) => console.error(`Config change ignored, the previous config stays in force:\n${error.message}`),
  });
  return { ...watcher, path };
}
