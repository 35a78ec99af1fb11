import { z } from 'zod';
import { envVarName, identifier } from '../../config/config-fields';
import { regionSchema, timeoutMs } from '../provider-config-fields';

export const bedrockCredentialsSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('static'),
    accessKeyIdEnv: envVarName,
    secretAccessKeyEnv: envVarName,
    sessionTokenEnv: envVarName.optional(),
  }),
  z.strictObject({ type: z.literal('profile'), profile: z.string().min(1) }),
  z.strictObject({
    type: z.literal('assumeRole'),
    roleArn: z.string().startsWith('arn:'),
    sessionName: z.string().min(1).default('inference-gateway'),
  }),
]);

const bedrockAccountSchema = z.strictObject({
  id: identifier,
  credentials: bedrockCredentialsSchema,
  regions: z.array(regionSchema).min(1, 'a Bedrock account needs at least one region'),
});

export const bedrockProviderConfigSchema = z.strictObject({
  id: identifier,
  kind: z.literal('bedrock'),
  timeoutMs,
  accounts: z.array(bedrockAccountSchema).min(1),
});

export type BedrockProviderConfig = z.infer<typeof bedrockProviderConfigSchema>;
export type BedrockCredentialsConfig = z.infer<typeof bedrockCredentialsSchema>;
