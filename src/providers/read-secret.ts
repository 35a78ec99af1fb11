import { ProviderCallError } from './provider-error';

/** Reads a secret by the environment variable name given in config; never logs the value. */
export function readSecret(environment: NodeJS.ProcessEnv, variable: string, accountId: string): string {
  const value = environment[variable];
  if (!value) {
    throw new ProviderCallError({
      type: 'Authentication',
      message: `The environment variable ${variable} for account ${accountId} is not set`,
    });
  }
  return value;
}
