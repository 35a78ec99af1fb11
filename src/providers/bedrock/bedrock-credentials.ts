import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { BedrockCredentialsConfig } from './bedrock-provider-config';
import { readSecret } from '../read-secret';

/** Resolves an account's credentials by reference: static keys from env, a profile, or a role. */
export function bedrockCredentials(
  credentials: BedrockCredentialsConfig,
  accountId: string,
  region: string,
  environment: NodeJS.ProcessEnv,
): AwsCredentialIdentity | AwsCredentialIdentityProvider {
  switch (credentials.type) {
    case 'static':
      return {
        accessKeyId: readSecret(environment, credentials.accessKeyIdEnv, accountId),
        secretAccessKey: readSecret(environment, credentials.secretAccessKeyEnv, accountId),
        ...(credentials.sessionTokenEnv && {
          sessionToken: readSecret(environment, credentials.sessionTokenEnv, accountId),
        }),
      };
    case 'profile':
      return fromIni({ profile: credentials.profile });
    case 'assumeRole':
      return fromTemporaryCredentials({
        params: { RoleArn: credentials.roleArn, RoleSessionName: credentials.sessionName },
        clientConfig: { region },
      });
  }
}
