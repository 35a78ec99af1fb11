import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ZodError } from 'zod';
import { gatewayConfigSchema, type GatewayConfig } from './gateway-config-schema';

export const defaultConfigPath = 'config/gateway.yaml';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describeIssues(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      const hint =
        issue.code === 'unrecognized_keys' && issue.keys.some((key) => /key|secret|token/i.test(key))
          ? ' (secrets are referenced by environment variable name with apiKeyEnv, never written inline)'
          : '';
      return `  ${path}: ${issue.message}${hint}`;
    })
    .join('\n');
}

/** Validates an already-parsed config document; the error names the path of every bad field. */
export function parseConfig(document: unknown, source = 'config'): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(document);
  if (!result.success) {
    throw new ConfigError(`Invalid gateway config in ${source}:\n${describeIssues(result.error)}`);
  }
  return result.data;
}

export function loadConfig(path = process.env.GATEWAY_CONFIG ?? defaultConfigPath): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read gateway config at ${path} (set GATEWAY_CONFIG): ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError(`Gateway config ${path} is not valid YAML: ${(error as Error).message}`);
  }
  return parseConfig(document, path);
}
